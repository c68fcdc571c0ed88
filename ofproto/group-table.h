/* group-table: a bridge's OpenFlow groups — storage, group_mod semantics,
 * bucket selection and counters.
 *
 * Why a module of its own: the group_mod handler, the flow_mod checks
 * (a flow may only name groups that exist), xlate (which buckets run for
 * a packet) and the stats replies must agree on one set of rules, those
 * of OpenFlow 1.3 section 6.5, and they live here.
 *
 * Semantics implemented:
 *   ADD     fails with GROUP_EXISTS if the id is taken.
 *   MODIFY  replaces type and buckets (counters restart); UNKNOWN_GROUP if
 *           the id is free.
 *   DELETE  removes the group (OFPG_ALL: every group) and every flow whose
 *           actions use it; deleting a missing group is not an error.
 *   INSERT_BUCKET, REMOVE_BUCKET (OpenFlow 1.5) add buckets before the
 *           bucket that command_bucket_id names (or first, or last) or
 *           remove that bucket (or all); UNKNOWN_BUCKET, BUCKET_EXISTS for
 *           ids that are not, or are, there.  The result must pass the
 *           checks below; counters of the buckets that stay are kept.
 * Checks: ids above OFPG_MAX (INVALID_GROUP), unknown types (BAD_TYPE),
 * unknown commands (BAD_COMMAND), an indirect group without exactly one
 * bucket (INVALID_GROUP), groups chained back to themselves (LOOP), a
 * bucket weight outside a select group
 * (BAD_BUCKET), a fast-failover bucket that watches neither a port nor
 * a group (BAD_WATCH), and
 * bucket actions naming a missing group (OFPBAC_BAD_OUT_GROUP).
 *
 * Selection: "all" runs every bucket; "indirect" its one bucket; "select"
 * one live bucket with a non-zero weight, chosen by the hash of the
 * group's selection method (group-selection.h; L2–L4 fields by default)
 * with probability proportional to the weight, so one flow always takes
 * the same bucket; "ff" the first live bucket.  A bucket is
 * live if its watch_port and its watch_group, where given, are; a port is
 * live if it exists and the datapath reports it up (link and admin
 * state), which the caller says through a callback, so this module does
 * not know ports; a group is live if it exists and has a live bucket
 * (watch chains longer than 16, or circular, are not live).
 *
 * Flows removed with their group go to the flow table's removed list
 * with reason group_delete, for the owner to report (flow-table.h).
 */
#ifndef XVS_GROUP_TABLE_H
#define XVS_GROUP_TABLE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "flow.h"
#include "hmap.h"
#include "ofp-group.h"

struct flow_table;

struct group {
    struct hmap_node node;      /* In group_table 'groups', by id. */
    struct ofp_group desc;      /* Id, type, buckets. */
    long long int created;      /* time_msec(), for the stats duration. */
    uint64_t n_packets, n_bytes;
    struct ofp_bucket_counter *bucket_stats;   /* One per bucket. */
};

struct group_table {
    struct hmap groups;
};

void group_table_init(struct group_table *);
void group_table_destroy(struct group_table *);
/* Adds to 'dst' (initialized, empty) a copy of every group of 'src' with
 * its counters: a bundle applies its group_mods to the copy and swaps it
 * in if the whole bundle succeeds. */
void group_table_clone(struct group_table *dst, const struct group_table *src);
void group_table_swap(struct group_table *, struct group_table *);

struct group *group_table_find(const struct group_table *, uint32_t id);
size_t group_table_count(const struct group_table *);

/* Applies 'gm'; DELETE also deletes the flows in 'ft' that use the
 * deleted groups.  Any change is announced through 'ft''s change hook
 * first (flow-table.h), as translations read groups as they read rules.
 * Returns 0 or an OFPERR. */
enum ofperr group_table_mod(struct group_table *, struct flow_table *,
                            const struct ofp_group_mod *);

/* OFPBAC_BAD_OUT_GROUP if 'ofpacts' names a group that does not exist. */
enum ofperr group_table_check_ofpacts(const struct group_table *,
                                      const struct ofpacts *);

/* How many rules of 'ft' use group 'id'. */
uint32_t group_ref_count(const struct flow_table *, uint32_t id);

typedef bool group_port_live_cb(uint32_t ofp_port, void *aux);
/* Stores in 'idx' (room for desc.n_buckets entries) the indexes of the
 * buckets to run for 'flow', in order, and returns how many.  Watched
 * groups are looked up in 'gt'. */
size_t group_select_buckets(const struct group_table *gt,
                            const struct group *, const struct flow *,
                            group_port_live_cb *, void *aux, size_t *idx);
/* Counts one packet of 'len' bytes in the group and in its bucket. */
void group_count(struct group *, size_t bucket, uint32_t len);
void group_count_packet(struct group *, uint32_t len);

#endif
