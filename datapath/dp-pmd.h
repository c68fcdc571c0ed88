/* dp-pmd: a datapath's PMD (poll mode driver) threads.
 *
 * The receive queues of "pmd" port types (afxdp, dummy-pmd) are not
 * polled by the main thread's event loop but by PMD threads, as in Open
 * vSwitch's userspace datapath: Open_vSwitch other_config:pmd-cpu-mask
 * (hex) gives one thread per set core, pinned to it; without a mask, one
 * thread on the lowest core the process may run on.  Threads exist only
 * while the datapath has pmd ports.
 *
 * Each PMD busy-polls its rx queues in batches of DP_BATCH_SIZE with its
 * own packet pool, megaflow cache and transmit batches (dpif-private.h),
 * so the hit path takes no lock per packet.  It holds its one lock while
 * it runs one poll iteration and drops it between iterations; the main
 * thread takes it (with a "main wants it" flag, so the PMD lets it in
 * after at most one iteration) to install megaflows, flush, expire, push
 * statistics and dump, and takes every PMD's lock to add or delete ports
 * or change poll lists.  So the megaflow code and its owners (ofproto)
 * run on the main thread only, except lookups and counters on the PMD.
 *
 * Upcalls: a PMD's miss copies the packet, its flow and its key into a
 * bounded queue of preallocated slots (single producer, the PMD; single
 * consumer, the main thread) and, when the queue was empty, writes the
 * datapath's eventfd.  The main thread drains the PMDs' queues round
 * robin, at most DP_PMD_UPCALL_BUDGET per event-loop pass so OpenFlow and
 * OVSDB stay responsive, translates, installs the megaflow into that
 * PMD's cache and executes the actions itself, sending what they output
 * once per pass.  Fairness: each rx queue may hold at most its share of a
 * PMD's slots; a per-PMD token bucket (other_config:upcall-rate,
 * DP_PMD_UPCALL_RATE_DEFAULT per second, more than one main thread
 * translates, so that by default the queue is the limit, as Open
 * vSwitch's userspace datapath has none) limits the rate.  Misses beyond
 * either are dropped and counted as "miss with failed upcall".
 *
 * A PMD never waits for the main thread, except where the main thread may
 * run only on the PMD's core (a process started under "taskset -c N" with
 * the PMD on N): there a PMD whose queue is half full sleeps until the
 * main thread has run a pass of upcalls (a millisecond at most; coverage
 * counter pmd_upcall_backoff), rather than keep half the core polling
 * for misses the queue has no room for.
 *
 * Queue assignment: Interface other_config:pmd-rxq-affinity="Q:CORE,..."
 * pins queues; a PMD with pinned queues is isolated (gets no others).
 * The other queues go round robin, by port name and queue id, over the
 * PMDs that are not isolated.  A pinned core without a PMD is warned
 * about and its queue assigned as if unpinned.
 *
 * other_config:pmd-sleep-max (microseconds, default 0) lets an idle PMD
 * sleep up to that long between polls, as Open vSwitch's option does.
 *
 * Not done yet: NUMA awareness (every thread says numa_id 0), load-based
 * assignment and rebalancing, Open vSwitch's pmd-rxq-isolate=false, one set
 * of PMDs shared by all bridges (each datapath has its own, so two bridges
 * with pmd ports poll the same cores from two threads). */
#ifndef XVS_DP_PMD_H
#define XVS_DP_PMD_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dp-key.h"
#include "util.h"

struct dp;
struct dp_packet;
struct dp_pmd;
struct dp_pmds;
struct dp_port;
struct dp_rxq;
struct flow;

#define DP_PMD_UPCALL_RATE_DEFAULT 1000000
/* Slots per PMD (about 10 kB each): at a slow rate of new flows they
 * cover the main thread losing its core for tens of milliseconds, which
 * it does when it shares the core with a busy-polling PMD. */
#define DP_PMD_UPCALL_SLOTS 256
#define DP_PMD_UPCALL_BUDGET 64

struct dp_pmds *dp_pmds_create(struct dp *);
/* Stops the threads (after flushing their caches) and frees. */
void dp_pmds_destroy(struct dp_pmds *);

/* Makes the threads and queue assignment match the datapath's ports and
 * the global configuration: call after adding or deleting a port. */
void dp_pmds_reconfigure(struct dp_pmds *);
/* Takes or releases every PMD's lock (port changes). */
void dp_pmds_lock_all(struct dp_pmds *);
void dp_pmds_unlock_all(struct dp_pmds *);
/* With every lock held: forgets 'port', which is going away (its queues
 * leave the poll lists, its queued upcalls are dropped). */
void dp_pmds_forget_port(struct dp_pmds *, struct dp_port *);

size_t dp_pmds_count(const struct dp_pmds *);
struct dp_pmd *dp_pmds_get(const struct dp_pmds *, size_t i);
void dp_pmd_lock(struct dp_pmd *);
void dp_pmd_unlock(struct dp_pmd *);
struct dp_megaflows *dp_pmd_megaflows(struct dp_pmd *);
int dp_pmd_core(const struct dp_pmd *);

/* On the PMD: queues the upcall of 'p' (which the caller keeps), whose
 * datapath key is 'key'.  Its flow is extracted only if the queue takes
 * it, straight into the queue. */
void dp_pmd_miss(struct dp_pmd *, struct dp_rxq *, const struct dp_packet *p,
                 const struct dp_key *key);

/* "dpif-netdev/pmd-stats-show" sections, one per PMD, and clearing. */
void dp_pmds_format_stats(struct dp_pmds *, struct ds *);
void dp_pmds_clear_stats(struct dp_pmds *);
/* "dpif-netdev/pmd-rxq-show". */
void dp_pmds_format_rxqs(struct dp_pmds *, struct ds *);

/* Global settings from the Open_vSwitch table: 'cpu_mask' (hex, NULL or
 * "" for the default), 'upcall_rate' per second per PMD, 'sleep_max_us'.
 * Reconfigures every datapath if anything changed. */
void dp_pmd_set_config(const char *cpu_mask, unsigned int upcall_rate,
                       unsigned int sleep_max_us);

#endif
