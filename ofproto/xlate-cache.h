/* xlate-cache: what the packets of a cached megaflow count in.
 *
 * A packet that hits a megaflow in the datapath is not translated, yet in
 * OpenFlow terms it went through tables, rules, groups and buckets whose
 * counters users read (dump-flows, dump-tables, dump-group-stats) and
 * whose 'used' time drives idle timeouts.  The translation of the
 * megaflow's first packet records those here (xlate_in's 'cache'); the
 * datapath's per-megaflow counts are later pushed through the record
 * with xlate_cache_push(), before anyone reads the OpenFlow counters and
 * when the megaflow goes away.
 *
 * The record holds plain pointers.  That is safe because ofproto pushes
 * every megaflow's counts before a flow, group or table change may free
 * what they point to, and revalidation then gives every megaflow a new
 * record (or removes it) before it counts another packet; an old record
 * is only freed, never pushed again.
 *
 * Meters are not here: a translation through a meter is never cached
 * (xlate.h), since a meter must see every packet. */
#ifndef XVS_XLATE_CACHE_H
#define XVS_XLATE_CACHE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct group;
struct oftable;
struct rule;

enum xc_type {
    XC_TABLE,           /* A lookup in 'table'; 'matched': it found one. */
    XC_RULE,            /* 'rule' ran. */
    XC_GROUP,           /* 'group' ran, */
    XC_BUCKET,          /* and its bucket 'bucket' among others. */
};

struct xc_entry {
    enum xc_type type;
    union {
        struct oftable *table;
        struct rule *rule;
        struct group *group;
    };
    uint32_t bucket;
    bool matched;
};

struct xlate_cache {
    struct xc_entry *entries;
    size_t n, allocated;
};

#define XLATE_CACHE_INITIALIZER { NULL, 0, 0 }

void xlate_cache_uninit(struct xlate_cache *);
void xlate_cache_clear(struct xlate_cache *);

void xlate_cache_add_table(struct xlate_cache *, struct oftable *,
                           bool matched);
void xlate_cache_add_rule(struct xlate_cache *, struct rule *);
void xlate_cache_add_group(struct xlate_cache *, struct group *);
void xlate_cache_add_bucket(struct xlate_cache *, struct group *,
                            uint32_t bucket);

/* Takes back the table lookups and matches 'xc' recorded, for a
 * translation that was no packet's (revalidation): flow_table_lookup()
 * counted them. */
void xlate_cache_uncount_tables(const struct xlate_cache *);

/* Counts 'n_packets' packets of 'n_bytes' in all, last seen at 'used'
 * (time_msec()), in everything 'xc' recorded. */
void xlate_cache_push(const struct xlate_cache *xc, uint64_t n_packets,
                      uint64_t n_bytes, long long int used);

#endif
