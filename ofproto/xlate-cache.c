/* xlate-cache: see xlate-cache.h. */
#include <config.h>
#include "xlate-cache.h"

#include <stdlib.h>
#include "flow-table.h"
#include "group-table.h"
#include "util.h"

void
xlate_cache_uninit(struct xlate_cache *xc)
{
    free(xc->entries);
    xc->entries = NULL;
    xc->n = xc->allocated = 0;
}

void
xlate_cache_clear(struct xlate_cache *xc)
{
    xc->n = 0;
}

static struct xc_entry *
add_entry(struct xlate_cache *xc, enum xc_type type)
{
    if (xc->n >= xc->allocated) {
        xc->allocated = xc->allocated ? 2 * xc->allocated : 8;
        xc->entries = xrealloc(xc->entries,
                               xc->allocated * sizeof *xc->entries);
    }
    struct xc_entry *e = &xc->entries[xc->n++];
    e->type = type;
    e->bucket = 0;
    e->matched = false;
    return e;
}

void
xlate_cache_add_table(struct xlate_cache *xc, struct oftable *t, bool matched)
{
    struct xc_entry *e = add_entry(xc, XC_TABLE);
    e->table = t;
    e->matched = matched;
}

void
xlate_cache_add_rule(struct xlate_cache *xc, struct rule *rule)
{
    add_entry(xc, XC_RULE)->rule = rule;
}

void
xlate_cache_add_group(struct xlate_cache *xc, struct group *g)
{
    add_entry(xc, XC_GROUP)->group = g;
}

void
xlate_cache_add_bucket(struct xlate_cache *xc, struct group *g,
                       uint32_t bucket)
{
    struct xc_entry *e = add_entry(xc, XC_BUCKET);
    e->group = g;
    e->bucket = bucket;
}

void
xlate_cache_push(const struct xlate_cache *xc, uint64_t n_packets,
                 uint64_t n_bytes, long long int used)
{
    if (!n_packets) {
        return;
    }
    for (size_t i = 0; i < xc->n; i++) {
        const struct xc_entry *e = &xc->entries[i];
        switch (e->type) {
        case XC_TABLE:
            e->table->n_lookups += n_packets;
            e->table->n_matched += e->matched ? n_packets : 0;
            break;
        case XC_RULE:
            e->rule->n_packets += n_packets;
            e->rule->n_bytes += n_bytes;
            if (used > e->rule->used) {
                e->rule->used = used;
            }
            break;
        case XC_GROUP:
            e->group->n_packets += n_packets;
            e->group->n_bytes += n_bytes;
            break;
        case XC_BUCKET:
            e->group->bucket_stats[e->bucket].packet_count += n_packets;
            e->group->bucket_stats[e->bucket].byte_count += n_bytes;
            break;
        }
    }
}

void
xlate_cache_uncount_tables(const struct xlate_cache *xc)
{
    for (size_t i = 0; i < xc->n; i++) {
        const struct xc_entry *e = &xc->entries[i];
        if (e->type == XC_TABLE) {
            e->table->n_lookups--;
            e->table->n_matched -= e->matched;
        }
    }
}
