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
 * removed.  dp_megaflows_flush() removes every megaflow, pushing its
 * counts first: the owner calls it before anything translations read
 * changes, so no megaflow ever outlives the rules it came from.
 *
 * The first packet of a megaflow was counted by its translation; the
 * megaflow's counters include it (what dump-flows shows) but do not push
 * it again.
 *
 * Housekeeping (dp_megaflows_run(), about once a second): megaflows idle
 * for 'max_idle' ms (Open vSwitch's other_config:max-idle, 10 s by
 * default) go, their counts pushed; the classifier reorders its subtables
 * by hits; the exact-match cache drops entries of removed megaflows.
 *
 * Limits: at most 'flow_limit' megaflows (other_config:flow-limit,
 * DP_FLOW_LIMIT_DEFAULT by default, as Open vSwitch's); a translation
 * beyond that runs, uncached.  Not done yet: Open vSwitch's dynamic limit,
 * which shrinks under load.
 *
 * Threads: one table per packet-path thread of a datapath (the main
 * thread and each PMD thread, dp-pmd.h).  A PMD calls only
 * dp_megaflows_lookup() and bumps the counters of what it found, under
 * its own lock; everything else runs on the main thread under that lock,
 * so owner callbacks run on the main thread only. */
#ifndef XVS_DP_MEGAFLOW_H
#define XVS_DP_MEGAFLOW_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dp-key.h"
#include "dpif.h"
#include "list.h"


struct dpcls_rule;

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
};

struct dp_megaflow_stats {
    uint64_t n_emc_hits;        /* Packets the exact-match cache found. */
    uint64_t n_megaflow_hits;   /* Packets the classifier found. */
    uint64_t n_misses;          /* Packets that were upcalls. */
    uint64_t n_installed;       /* Megaflows installed. */
    uint64_t n_not_installed;   /* Cacheable translations over the limit
                                 * or already present. */
    uint64_t n_expired;         /* Megaflows removed as idle. */
};

struct dp_megaflows;

struct dp_megaflows *dp_megaflows_create(const struct dp_flow_owner_ops *);
/* Flushes, then frees. */
void dp_megaflows_destroy(struct dp_megaflows *);
void dp_megaflows_set_owner_ops(struct dp_megaflows *,
                                const struct dp_flow_owner_ops *);

/* The megaflow of 'key', or NULL (counted as a miss). */
struct dp_megaflow *dp_megaflows_lookup(struct dp_megaflows *,
                                        const struct dp_key *);

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

void dp_megaflows_flush(struct dp_megaflows *);
void dp_megaflows_set_limits(struct dp_megaflows *, long long int max_idle,
                             size_t flow_limit);
void dp_megaflows_run(struct dp_megaflows *, long long int now);
void dp_megaflows_push_stats(struct dp_megaflows *);

size_t dp_megaflows_count(const struct dp_megaflows *);
void dp_megaflows_get_stats(const struct dp_megaflows *,
                            struct dp_megaflow_stats *);

/* One line per megaflow, oldest first, as "ovs-appctl dpctl/dump-flows"
 * prints them ("in_port(1),eth_type(0x0800),..., packets:3, bytes:294,
 * used:0.420s, actions:2"); 'now' for the "used" ages. */
void dp_megaflows_format(const struct dp_megaflows *, long long int now,
                         struct ds *);

#endif
