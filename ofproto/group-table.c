/* group-table: groups, group_mod semantics, bucket selection. */
#include <config.h>
#include "group-table.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "flow-table.h"
#include "packets.h"

void
group_table_init(struct group_table *gt)
{
    hmap_init(&gt->groups);
}

static void
group_free(struct group *g)
{
    ofp_group_uninit(&g->desc);
    free(g->bucket_stats);
    free(g);
}

void
group_table_destroy(struct group_table *gt)
{
    struct group *g, *next;
    HMAP_FOR_EACH_SAFE (g, next, node, &gt->groups) {
        hmap_remove(&gt->groups, &g->node);
        group_free(g);
    }
    hmap_destroy(&gt->groups);
}

void
group_table_clone(struct group_table *dst, const struct group_table *src)
{
    const struct group *g;
    HMAP_FOR_EACH (g, node, &src->groups) {
        struct group *copy = xmemdup(g, sizeof *g);
        ofp_group_clone(&copy->desc, &g->desc);
        copy->bucket_stats = xmemdup(g->bucket_stats,
                                     (g->desc.n_buckets ? g->desc.n_buckets
                                                        : 1)
                                     * sizeof *g->bucket_stats);
        hmap_insert(&dst->groups, &copy->node, hash_int(g->desc.group_id, 0));
    }
}

void
group_table_swap(struct group_table *a, struct group_table *b)
{
    struct group_table tmp = *a;
    *a = *b;
    *b = tmp;
}

struct group *
group_table_find(const struct group_table *gt, uint32_t id)
{
    struct group *g;
    HMAP_FOR_EACH_WITH_HASH (g, node, hash_int(id, 0), &gt->groups) {
        if (g->desc.group_id == id) {
            return g;
        }
    }
    return NULL;
}

size_t
group_table_count(const struct group_table *gt)
{
    return hmap_count(&gt->groups);
}

enum ofperr
group_table_check_ofpacts(const struct group_table *gt,
                          const struct ofpacts *ofpacts)
{
    for (size_t i = 0; i < ofpacts->n; i++) {
        const struct ofpact *a = &ofpacts->acts[i];
        if (a->type == OFPACT_GROUP
            && !group_table_find(gt, a->group.group_id)) {
            return OFPERR_OFPBAC_BAD_OUT_GROUP;
        }
    }
    return 0;
}

static bool
ofpacts_use_group(const struct ofpacts *ofpacts, uint32_t id)
{
    for (size_t i = 0; i < ofpacts->n; i++) {
        const struct ofpact *a = &ofpacts->acts[i];
        if (a->type == OFPACT_GROUP
            && (id == OFPG_ALL || a->group.group_id == id)) {
            return true;
        }
    }
    return false;
}

uint32_t
group_ref_count(const struct flow_table *ft, uint32_t id)
{
    return flow_table_count_using(ft, ofpacts_use_group, id);
}

/* The groups reachable from 'g' through group actions in buckets,
 * depth first, each visited once (so a diamond costs no more than a
 * chain).  True if 'target' is among them. */
struct reach {
    uint32_t *seen;
    size_t n;
};

static bool
reach_seen(struct reach *r, uint32_t id)
{
    for (size_t i = 0; i < r->n; i++) {
        if (r->seen[i] == id) {
            return true;
        }
    }
    r->seen = xrealloc(r->seen, (r->n + 1) * sizeof *r->seen);
    r->seen[r->n++] = id;
    return false;
}

static bool
group_reaches(const struct group_table *gt, const struct ofp_group *g,
              uint32_t target, struct reach *r)
{
    for (size_t i = 0; i < g->n_buckets; i++) {
        const struct ofpacts *o = &g->buckets[i].ofpacts;
        for (size_t j = 0; j < o->n; j++) {
            if (o->acts[j].type != OFPACT_GROUP) {
                continue;
            }
            uint32_t id = o->acts[j].group.group_id;
            if (id == target) {
                return true;
            }
            const struct group *next = group_table_find(gt, id);
            if (next && !reach_seen(r, id)
                && group_reaches(gt, &next->desc, target, r)) {
                return true;
            }
        }
    }
    return false;
}

static enum ofperr
check_group(const struct group_table *gt, const struct ofp_group *g)
{
    if (g->group_id > OFPG_MAX) {
        return OFPERR_OFPGMFC_INVALID_GROUP;
    }
    if (g->type > OFPGT_FF) {
        return OFPERR_OFPGMFC_BAD_TYPE;
    }
    if (g->type == OFPGT_INDIRECT && g->n_buckets != 1) {
        return OFPERR_OFPGMFC_INVALID_GROUP;
    }
    for (size_t i = 0; i < g->n_buckets; i++) {
        const struct ofp_bucket *b = &g->buckets[i];
        if (b->weight && g->type != OFPGT_SELECT) {
            return OFPERR_OFPGMFC_BAD_BUCKET;
        }
        if (g->type == OFPGT_FF && b->watch_port == OFPP_ANY
            && b->watch_group == OFPG_ANY) {
            return OFPERR_OFPGMFC_BAD_WATCH;
        }
        enum ofperr error = group_table_check_ofpacts(gt, &b->ofpacts);
        if (error) {
            return error;
        }
    }
    struct reach r = { NULL, 0 };
    bool loop = group_reaches(gt, g, g->group_id, &r);
    free(r.seen);
    return loop ? OFPERR_OFPGMFC_LOOP : 0;
}

static void
group_set_desc(struct group *g, const struct ofp_group *desc)
{
    ofp_group_uninit(&g->desc);
    free(g->bucket_stats);
    ofp_group_clone(&g->desc, desc);
    g->bucket_stats = xcalloc(desc->n_buckets ? desc->n_buckets : 1,
                              sizeof *g->bucket_stats);
    g->created = time_msec();
    g->n_packets = g->n_bytes = 0;
}

/* The index of the bucket of 'g' with 'bucket_id', or SIZE_MAX. */
static size_t
find_bucket(const struct ofp_group *g, uint32_t bucket_id)
{
    for (size_t i = 0; i < g->n_buckets; i++) {
        if (g->buckets[i].bucket_id == bucket_id) {
            return i;
        }
    }
    return SIZE_MAX;
}

/* Makes 'new' (uninitialized) the group 'old' with the insert or
 * remove-bucket 'gm' applied: OpenFlow 1.5's rules, where
 * command_bucket_id names the bucket to insert before or to remove, or
 * first, last or (remove only) all. */
static enum ofperr
edit_buckets(const struct ofp_group *old, const struct ofp_group_mod *gm,
             struct ofp_group *new)
{
    const struct ofp_group *add = &gm->group;
    uint32_t cbid = gm->command_bucket_id;
    size_t pos, n_remove = 0;

    /* Inserting ignores 'n_remove'; removing first or last from an empty
     * group removes nothing. */
    if (cbid == OFPG_BUCKET_FIRST) {
        pos = 0;
        n_remove = old->n_buckets > 0;
    } else if (cbid == OFPG_BUCKET_LAST) {
        n_remove = old->n_buckets > 0;
        pos = (gm->command == OFPGC_INSERT_BUCKET ? old->n_buckets
               : old->n_buckets - n_remove);
    } else if (cbid == OFPG_BUCKET_ALL) {
        /* Remove only: the decoder refuses it for insert. */
        pos = 0;
        n_remove = old->n_buckets;
    } else {
        pos = find_bucket(old, cbid);
        if (pos == SIZE_MAX) {
            return OFPERR_OFPGMFC_UNKNOWN_BUCKET;
        }
        n_remove = 1;
    }

    /* A shallow list first, then one deep copy of it. */
    struct ofp_group tmp = *old;
    tmp.buckets = xcalloc(old->n_buckets + add->n_buckets + 1,
                          sizeof *tmp.buckets);
    tmp.n_buckets = 0;
    if (gm->command == OFPGC_INSERT_BUCKET) {
        for (size_t i = 0; i < add->n_buckets; i++) {
            if (find_bucket(old, add->buckets[i].bucket_id) != SIZE_MAX
                || find_bucket(add, add->buckets[i].bucket_id) != i) {
                free(tmp.buckets);
                return OFPERR_OFPGMFC_BUCKET_EXISTS;
            }
        }
        memcpy(tmp.buckets, old->buckets, pos * sizeof *tmp.buckets);
        memcpy(tmp.buckets + pos, add->buckets,
               add->n_buckets * sizeof *tmp.buckets);
        memcpy(tmp.buckets + pos + add->n_buckets, old->buckets + pos,
               (old->n_buckets - pos) * sizeof *tmp.buckets);
        tmp.n_buckets = old->n_buckets + add->n_buckets;
    } else {
        memcpy(tmp.buckets, old->buckets, pos * sizeof *tmp.buckets);
        memcpy(tmp.buckets + pos, old->buckets + pos + n_remove,
               (old->n_buckets - pos - n_remove) * sizeof *tmp.buckets);
        tmp.n_buckets = old->n_buckets - n_remove;
    }
    ofp_group_clone(new, &tmp);
    free(tmp.buckets);
    return 0;
}

/* Gives 'g' the buckets of 'desc', keeping the group's counters and those
 * of the buckets that stay (matched by bucket id). */
static void
group_set_buckets(struct group *g, const struct ofp_group *desc)
{
    struct ofp_bucket_counter *stats = xcalloc(desc->n_buckets + 1,
                                               sizeof *stats);
    for (size_t i = 0; i < desc->n_buckets; i++) {
        size_t old = find_bucket(&g->desc, desc->buckets[i].bucket_id);
        if (old != SIZE_MAX) {
            stats[i] = g->bucket_stats[old];
        }
    }
    ofp_group_uninit(&g->desc);
    free(g->bucket_stats);
    ofp_group_clone(&g->desc, desc);
    g->bucket_stats = stats;
}

/* Deletes 'g' and, with reason group_delete, every flow that uses it, as
 * OpenFlow 1.3 asks when a group goes away. */
static void
group_delete(struct group_table *gt, struct flow_table *ft, struct group *g)
{
    flow_table_notify_change(ft);
    flow_table_delete_using(ft, ofpacts_use_group, g->desc.group_id,
                            FT_REMOVED_GROUP_DELETE);
    hmap_remove(&gt->groups, &g->node);
    group_free(g);
}

enum ofperr
group_table_mod(struct group_table *gt, struct flow_table *ft,
                const struct ofp_group_mod *gm)
{
    const struct ofp_group *desc = &gm->group;
    struct group *g;
    enum ofperr error;

    switch (gm->command) {
    case OFPGC_ADD:
    case OFPGC_MODIFY:
    case OFPGC_ADD_OR_MOD:
        error = check_group(gt, desc);
        if (error) {
            return error;
        }
        g = group_table_find(gt, desc->group_id);
        if (gm->command == OFPGC_ADD && g) {
            return OFPERR_OFPGMFC_GROUP_EXISTS;
        }
        if (gm->command == OFPGC_MODIFY && !g) {
            return OFPERR_OFPGMFC_UNKNOWN_GROUP;
        }
        flow_table_notify_change(ft);
        if (!g) {
            g = xzalloc(sizeof *g);
            hmap_insert(&gt->groups, &g->node, hash_int(desc->group_id, 0));
        }
        group_set_desc(g, desc);
        return 0;

    case OFPGC_INSERT_BUCKET:
    case OFPGC_REMOVE_BUCKET: {
        g = group_table_find(gt, desc->group_id);
        if (!g) {
            return OFPERR_OFPGMFC_UNKNOWN_GROUP;
        }
        struct ofp_group new;
        error = edit_buckets(&g->desc, gm, &new);
        if (error) {
            return error;
        }
        error = check_group(gt, &new);
        if (!error) {
            flow_table_notify_change(ft);
            group_set_buckets(g, &new);
        }
        ofp_group_uninit(&new);
        return error;
    }

    case OFPGC_DELETE:
        if (desc->group_id == OFPG_ALL) {
            struct group *next;
            HMAP_FOR_EACH_SAFE (g, next, node, &gt->groups) {
                group_delete(gt, ft, g);
            }
        } else if (desc->group_id > OFPG_MAX) {
            return OFPERR_OFPGMFC_INVALID_GROUP;
        } else if ((g = group_table_find(gt, desc->group_id))) {
            group_delete(gt, ft, g);
        }
        return 0;
    }
    return OFPERR_OFPGMFC_BAD_COMMAND;
}

/* Watch chains longer than this (or circular) are not live. */
#define MAX_WATCH_DEPTH 16

static bool group_is_live(const struct group_table *, uint32_t group_id,
                          group_port_live_cb *, void *aux, int depth);

/* A bucket is live if its watched port is live and its watched group is
 * (either may be absent). */
static bool
bucket_is_live(const struct group_table *gt, const struct ofp_bucket *b,
               group_port_live_cb *live, void *aux, int depth)
{
    return ((b->watch_port == OFPP_ANY || live(b->watch_port, aux))
            && (b->watch_group == OFPG_ANY
                || group_is_live(gt, b->watch_group, live, aux, depth + 1)));
}

/* A group is live if it exists and one of its buckets is. */
static bool
group_is_live(const struct group_table *gt, uint32_t group_id,
              group_port_live_cb *live, void *aux, int depth)
{
    const struct group *g = group_table_find(gt, group_id);
    if (!g || depth > MAX_WATCH_DEPTH) {
        return false;
    }
    for (size_t i = 0; i < g->desc.n_buckets; i++) {
        if (bucket_is_live(gt, &g->desc.buckets[i], live, aux, depth)) {
            return true;
        }
    }
    return false;
}

size_t
group_select_buckets(const struct group_table *gt, const struct group *g,
                     const struct flow *flow, group_port_live_cb *live,
                     void *aux, size_t *idx)
{
    const struct ofp_group *d = &g->desc;
    size_t n = 0;

    switch (d->type) {
    case OFPGT_ALL:
    case OFPGT_INDIRECT:
        for (size_t i = 0; i < d->n_buckets; i++) {
            idx[n++] = i;
        }
        break;
    case OFPGT_FF:
        for (size_t i = 0; i < d->n_buckets; i++) {
            if (bucket_is_live(gt, &d->buckets[i], live, aux, 0)) {
                idx[n++] = i;
                break;
            }
        }
        break;
    case OFPGT_SELECT: {
        uint64_t total = 0;
        for (size_t i = 0; i < d->n_buckets; i++) {
            if (bucket_is_live(gt, &d->buckets[i], live, aux, 0)) {
                total += d->buckets[i].weight;
            }
        }
        if (!total) {
            break;
        }
        uint64_t pick = group_selection_hash(&d->selection, flow) % total;
        for (size_t i = 0; i < d->n_buckets; i++) {
            const struct ofp_bucket *b = &d->buckets[i];
            if (!bucket_is_live(gt, b, live, aux, 0)) {
                continue;
            }
            if (pick < b->weight) {
                idx[n++] = i;
                break;
            }
            pick -= b->weight;
        }
        break;
    }
    }
    return n;
}

void
group_count_packet(struct group *g, uint32_t len)
{
    g->n_packets++;
    g->n_bytes += len;
}

void
group_count(struct group *g, size_t bucket, uint32_t len)
{
    g->bucket_stats[bucket].packet_count++;
    g->bucket_stats[bucket].byte_count += len;
}
