/* dp-megaflow: a datapath's flow cache.
 *
 * A megaflow is a translation that holds for every packet agreeing with
 * the one translated on the bits translation looked at (ofproto/xlate.h):
 * a key and a mask over the packed datapath key (dp-key.h), the datapath
 * actions, and counters.  The table finds the megaflow of a packet's key
 * through an exact-match cache of recent keys (dp-emc.h) and then the
 * megaflow classifier (dp-classifier.h); a packet that finds none is an
 * upcall, whose translation may install a new one.
 *
 * Owners: whoever installs a megaflow attaches an opaque owner to it
 * (ofproto: what its packets count in) and receives, through the
 * dp_flow_owner_ops given to the table (dpif.h), the packets the megaflow
 * counted since the last push, and the owner back when the megaflow is
 * removed or gets a new one.
 *
 * Revalidation: when something translations read is about to change, the
 * owner calls dp_megaflows_invalidate(), which pushes every megaflow's
 * counts (into what they were counted in before the change) and marks
 * the table stale.  Before the main thread's table is used again (its
 * next lookup) and before a PMD's is used much longer (the main thread's
 * next loop pass, the next housekeeping, or an explicit
 * dp_megaflows_revalidate(), which the owner calls before it answers
 * whoever made the change) every megaflow is translated again through
 * the revalidator (dp_revalidate_cb in dpif.h), from its masked key, and
 *   - deleted if the translation is not cacheable now or needs bits of
 *     the key that the megaflow's mask does not have;
 *   - otherwise kept, with the new owner and, if they differ, the new
 *     actions in place (counted as modified).
 * Marking rather than revalidating at once lets a batch of changes (a
 * bundle, a learned MAC in the middle of a batch of packets) cost one
 * sweep, and keeps translation from running inside a translation.  Until
 * the sweep, old owners may point at freed rules, so they are only handed
 * back: what a PMD counts in a stale megaflow goes to its new owner.  dp_megaflows_flush() removes every megaflow (dpctl/del-flows,
 * datapath destruction).
 *
 * The first packet of a megaflow was counted by its translation; the
 * megaflow's counters include it (what dump-flows shows) but do not push
 * it again.
 *
 * Housekeeping (dp_megaflows_run(), about every 500 ms): a pending
 * revalidation is done; megaflows idle for 'max_idle' ms (Open vSwitch's
 * other_config:max-idle, 10 s by default) go, their counts pushed; the
 * others' counts are pushed; the classifier reorders its subtables by
 * hits; the exact-match cache drops entries of removed megaflows.  The
 * sweep is timed (on the real clock, which tests cannot stop) and the
 * dynamic flow limit follows its duration (dp-flow-limit.h).
 *
 * Limits: at most the dynamic limit of megaflows, which stays within the
 * configured 'flow_limit' (other_config:flow-limit, DP_FLOW_LIMIT_DEFAULT
 * by default, as Open vSwitch's); a translation beyond that runs,
 * uncached, and is counted as not installed.
 *
 * Not done yet: revalidating only the megaflows whose translation went
 * through what changed (one table, one group); Open vSwitch's shorter
 * idle time for a cache over its limit.
 *
 * Kernel offload (dp-xdp.h): a table given a dp_xdp mirrors each
 * megaflow the XDP program can execute into it when the megaflow is
 * installed or revalidated, reads the kernel's counts into the megaflow
 * (its packets, bytes, used time and the table's kernel hits) at every
 * housekeeping, push and dump, and removes the kernel entry with the
 * megaflow.
 *
 * Threads: one table per packet-path thread of a datapath (the main
 * thread and each PMD thread, dp-pmd.h).  A PMD calls only
 * dp_megaflows_lookup_batch() and bumps the counters of what it found,
 * under its own lock; everything else runs on the main thread under that
 * lock, so owner callbacks run on the main thread only. */
#ifndef XVS_DP_MEGAFLOW_H
#define XVS_DP_MEGAFLOW_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dp-key.h"
#include "dpif.h"
#include "list.h"


struct dpcls_rule;
struct dp_xdp;
struct dp_xdp_flow;

struct dp_megaflow {
    struct xvs_list node;       /* In the table's list, oldest first. */
    struct dpcls_rule *rule;
    void *owner;
    uint64_t n_packets, n_bytes;
    uint64_t pushed_packets, pushed_bytes;
    long long int used;         /* time_msec() of the last packet. */
    unsigned int n_acts, n_sets;
    struct dp_action *acts;
    struct packet_set *sets;
    struct dp_xdp_flow *xdp;    /* Its kernel entry, or NULL. */
};

struct dp_megaflow_stats {
    uint64_t n_emc_hits;        /* Packets the exact-match cache found. */
    uint64_t n_megaflow_hits;   /* Packets the classifier found. */
    uint64_t n_misses;          /* Packets that were upcalls. */
    uint64_t n_kernel_hits;     /* Packets the XDP program executed. */
    uint64_t n_installed;       /* Megaflows installed. */
    uint64_t n_not_installed;   /* Cacheable translations over the limit
                                 * or already present. */
    uint64_t n_expired;         /* Megaflows removed as idle. */
    uint64_t n_revalidated;     /* Megaflows translated again. */
    uint64_t n_reval_modified;  /* Of those, given new actions. */
    uint64_t n_reval_deleted;   /* Removed by revalidation. */
    uint64_t n_sweeps;          /* Housekeeping sweeps. */
};

/* The housekeeping figures "upcall/show" prints. */
struct dp_megaflow_sweep {
    size_t n_flows, avg_flows, max_flows;
    size_t limit;               /* Dynamic flow limit. */
    long long int duration;     /* Of the last sweep, ms, real time. */
};

struct dp_megaflows;

struct dp_megaflows *dp_megaflows_create(const struct dp_flow_owner_ops *);
/* Flushes, then frees. */
void dp_megaflows_destroy(struct dp_megaflows *);
void dp_megaflows_set_owner_ops(struct dp_megaflows *,
                                const struct dp_flow_owner_ops *);
/* Offloads what it can to the kernel through 'xdp' (NULL: nothing). */
void dp_megaflows_set_xdp(struct dp_megaflows *, struct dp_xdp *);

/* The megaflow of 'key', or NULL (counted as a miss). */
struct dp_megaflow *dp_megaflows_lookup(struct dp_megaflows *,
                                        const struct dp_key *);
/* The same for 'n' keys at once (at most DPCLS_BATCH_MAX, a receive
 * batch): found[i] is keys[i]'s megaflow or NULL.  The classifier walks
 * its subtables once for every key the exact-match cache missed
 * (dpcls_lookup_batch()), so only for a table that does not change
 * between the lookup and the packets' execution: a PMD's, whose changes
 * wait for its lock. */
void dp_megaflows_lookup_batch(struct dp_megaflows *,
                               const struct dp_key keys[], size_t n,
                               struct dp_megaflow *found[]);

/* Installs the translation of the packet of 'key' ('len' bytes, counted
 * as the megaflow's first packet at 'now'): 'actions' for every packet
 * matching 'key' under 'wc'.  Returns the megaflow, or NULL if it was not
 * installed, in which case 'owner' has been handed back already. */
struct dp_megaflow *dp_megaflows_install(struct dp_megaflows *,
                                         const struct dp_key *,
                                         const struct flow_wildcards *wc,
                                         const struct dp_actions *actions,
                                         void *owner, uint32_t len,
                                         long long int now);

/* The revalidator, called with 'aux' (NULL: stale megaflows are all
 * deleted). */
void dp_megaflows_set_revalidator(struct dp_megaflows *, dp_revalidate_cb *,
                                  void *aux);
/* Pushes every megaflow's counts and marks them all for revalidation. */
void dp_megaflows_invalidate(struct dp_megaflows *);
/* Revalidates every megaflow, if they are marked. */
void dp_megaflows_revalidate(struct dp_megaflows *);
void dp_megaflows_flush(struct dp_megaflows *);
void dp_megaflows_set_limits(struct dp_megaflows *, long long int max_idle,
                             size_t flow_limit);
void dp_megaflows_run(struct dp_megaflows *, long long int now);
void dp_megaflows_push_stats(struct dp_megaflows *);
/* Reads the kernel's counts into the megaflows (and the kernel hits). */
void dp_megaflows_read_kernel(struct dp_megaflows *);

size_t dp_megaflows_count(const struct dp_megaflows *);
void dp_megaflows_get_stats(const struct dp_megaflows *,
                            struct dp_megaflow_stats *);
void dp_megaflows_get_sweep(const struct dp_megaflows *,
                            struct dp_megaflow_sweep *);

/* One line per megaflow, oldest first, as "ovs-appctl dpctl/dump-flows"
 * prints them ("in_port(1),eth_type(0x0800),..., packets:3, bytes:294,
 * used:0.420s, actions:2", with "offloaded:yes, dp:xdp, " before the
 * actions of a megaflow the kernel executes), after reading the kernel's
 * counts; 'now' for the "used" ages, 'map' (or NULL) names Geneve
 * options. */
struct tnl_opt_map;
void dp_megaflows_format(struct dp_megaflows *, long long int now,
                         const struct tnl_opt_map *map,
                         enum dp_flow_filter, struct ds *);

#endif
