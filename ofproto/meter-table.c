/* meter-table: meters, meter_mod semantics, token buckets. */
#include <config.h>
#include "meter-table.h"

#include <stdlib.h>
#include <string.h>
#include "flow-table.h"
#include "ofp-actions.h"

/* Refills longer than this (about 11 days) fill any bucket, and keep
 * 'elapsed * rate' well inside 64 bits. */
#define MAX_ELAPSED_MS 1000000000LL

void
meter_table_init(struct meter_table *mt)
{
    hmap_init(&mt->meters);
}

static void
meter_free(struct meter *m)
{
    free(m->bands);
    free(m);
}

void
meter_table_destroy(struct meter_table *mt)
{
    struct meter *m, *next;
    HMAP_FOR_EACH_SAFE (m, next, node, &mt->meters) {
        hmap_remove(&mt->meters, &m->node);
        meter_free(m);
    }
    hmap_destroy(&mt->meters);
}

void
meter_table_clone(struct meter_table *dst, const struct meter_table *src)
{
    const struct meter *m;
    HMAP_FOR_EACH (m, node, &src->meters) {
        struct meter *copy = xmemdup(m, sizeof *m);
        copy->bands = xmemdup(m->bands, (m->n_bands + 1) * sizeof *m->bands);
        hmap_insert(&dst->meters, &copy->node, hash_int(copy->id, 0));
    }
}

void
meter_table_swap(struct meter_table *a, struct meter_table *b)
{
    struct meter_table tmp = *a;
    *a = *b;
    *b = tmp;
}

struct meter *
meter_table_find(const struct meter_table *mt, uint32_t id)
{
    struct meter *m;
    HMAP_FOR_EACH_WITH_HASH (m, node, hash_int(id, 0), &mt->meters) {
        if (m->id == id) {
            return m;
        }
    }
    return NULL;
}

size_t
meter_table_count(const struct meter_table *mt)
{
    return hmap_count(&mt->meters);
}

static bool
ofpacts_use_meter(const struct ofpacts *ofpacts, uint32_t id)
{
    for (size_t i = 0; i < ofpacts->n; i++) {
        const struct ofpact *a = &ofpacts->acts[i];
        if (a->type == OFPACT_METER
            && (id == OFPM_ALL || a->meter.meter_id == id)) {
            return true;
        }
    }
    return false;
}

enum ofperr
meter_table_check_ofpacts(const struct meter_table *mt,
                          const struct ofpacts *ofpacts)
{
    for (size_t i = 0; i < ofpacts->n; i++) {
        const struct ofpact *a = &ofpacts->acts[i];
        if (a->type == OFPACT_METER
            && !meter_table_find(mt, a->meter.meter_id)) {
            return OFPERR_OFPMMFC_UNKNOWN_METER;
        }
    }
    return 0;
}

uint32_t
meter_ref_count(const struct flow_table *ft, uint32_t id)
{
    return flow_table_count_using(ft, ofpacts_use_meter, id);
}

/* Meters a meter_mod may add, modify or delete: the numbered ones and the
 * two virtual ones. */
static bool
meter_id_settable(uint32_t id)
{
    return ((id && id <= OFPM_MAX)
            || id == OFPM_CONTROLLER || id == OFPM_SLOWPATH);
}

/* The checks every ADD and MODIFY passes before touching the table. */
static enum ofperr
check_meter_mod(const struct ofp_meter_mod *mm)
{
    uint16_t unit = mm->flags & (OFPMF_KBPS | OFPMF_PKTPS);
    if (!meter_id_settable(mm->meter_id)) {
        return OFPERR_OFPMMFC_INVALID_METER;
    }
    if (mm->flags & ~(OFPMF_KBPS | OFPMF_PKTPS | OFPMF_BURST | OFPMF_STATS)
        || (unit != OFPMF_KBPS && unit != OFPMF_PKTPS)) {
        return OFPERR_OFPMMFC_BAD_FLAGS;
    }
    if (mm->n_bands > METER_TABLE_MAX_BANDS) {
        return OFPERR_OFPMMFC_OUT_OF_BANDS;
    }
    for (size_t i = 0; i < mm->n_bands; i++) {
        const struct ofp_meter_band *b = &mm->bands[i];
        if (b->type != OFPMBT_DROP) {
            return OFPERR_OFPMMFC_BAD_BAND;
        }
        if (!b->rate) {
            return OFPERR_OFPMMFC_BAD_RATE;
        }
        if (mm->flags & OFPMF_BURST && !b->burst_size) {
            return OFPERR_OFPMMFC_BAD_BURST;
        }
    }
    return 0;
}

/* Bucket size in thousandths of a unit. */
static uint64_t
band_capacity(const struct meter *m, const struct meter_band *b)
{
    return (uint64_t) (m->flags & OFPMF_BURST ? b->config.burst_size
                                               : b->config.rate) * 1000;
}

/* Sets flags and bands from 'mm', with full buckets and zero band
 * counters. */
static void
meter_configure(struct meter *m, const struct ofp_meter_mod *mm,
                long long int now)
{
    free(m->bands);
    m->flags = mm->flags;
    m->n_bands = mm->n_bands;
    m->bands = xcalloc(mm->n_bands + 1, sizeof *m->bands);
    for (size_t i = 0; i < mm->n_bands; i++) {
        m->bands[i].config = mm->bands[i];
        m->bands[i].tokens = band_capacity(m, &m->bands[i]);
    }
    m->last_fill = now;
}

/* Deletes meter 'id' (OFPM_ALL: every meter) and, with reason
 * meter_delete, every flow that uses it: a flow must not outlive the
 * meter it names. */
static void
delete_meters(struct meter_table *mt, struct flow_table *ft, uint32_t id)
{
    flow_table_delete_using(ft, ofpacts_use_meter, id,
                            FT_REMOVED_METER_DELETE);
    struct meter *m, *next;
    HMAP_FOR_EACH_SAFE (m, next, node, &mt->meters) {
        if (id == OFPM_ALL || m->id == id) {
            hmap_remove(&mt->meters, &m->node);
            meter_free(m);
        }
    }
}

enum ofperr
meter_table_mod(struct meter_table *mt, struct flow_table *ft,
                const struct ofp_meter_mod *mm)
{
    if (mm->command == OFPMC_DELETE) {
        if (mm->meter_id == OFPM_ALL || meter_id_settable(mm->meter_id)) {
            delete_meters(mt, ft, mm->meter_id);
        }
        return 0;
    }
    if (mm->command != OFPMC_ADD && mm->command != OFPMC_MODIFY) {
        return OFPERR_OFPMMFC_BAD_COMMAND;
    }
    enum ofperr error = check_meter_mod(mm);
    if (error) {
        return error;
    }
    struct meter *m = meter_table_find(mt, mm->meter_id);
    long long int now = time_msec();
    if (mm->command == OFPMC_MODIFY) {
        if (!m) {
            return OFPERR_OFPMMFC_UNKNOWN_METER;
        }
        meter_configure(m, mm, now);
        return 0;
    }
    if (m) {
        return OFPERR_OFPMMFC_METER_EXISTS;
    }
    if (meter_table_count(mt) >= METER_TABLE_MAX) {
        return OFPERR_OFPMMFC_OUT_OF_METERS;
    }
    m = xcalloc(1, sizeof *m);
    m->id = mm->meter_id;
    m->created = now;
    meter_configure(m, mm, now);
    hmap_insert(&mt->meters, &m->node, hash_int(m->id, 0));
    return 0;
}

/* Tokens band 'b' holds at 'now' (the last refill was at 'last_fill'). */
static uint64_t
band_tokens(const struct meter *m, const struct meter_band *b,
            long long int now)
{
    long long int elapsed = now - m->last_fill;
    uint64_t cap = band_capacity(m, b);
    if (elapsed <= 0) {
        return b->tokens;
    }
    if (elapsed > MAX_ELAPSED_MS) {
        return cap;
    }
    uint64_t tokens = b->tokens + (uint64_t) elapsed * b->config.rate;
    return tokens < cap ? tokens : cap;
}

int
meter_apply(struct meter *m, uint32_t len, long long int now, bool commit)
{
    uint64_t cost = m->flags & OFPMF_PKTPS ? 1000 : (uint64_t) len * 8;
    int exceeded = -1;
    for (size_t i = 0; i < m->n_bands; i++) {
        struct meter_band *b = &m->bands[i];
        uint64_t tokens = band_tokens(m, b, now);
        if (tokens >= cost) {
            tokens -= cost;
        } else if (exceeded < 0
                   || b->config.rate > m->bands[exceeded].config.rate) {
            exceeded = i;
        }
        if (commit) {
            b->tokens = tokens;
        }
    }
    if (commit) {
        if (now > m->last_fill) {
            m->last_fill = now;
        }
        m->packet_count++;
        m->byte_count += len;
        if (exceeded >= 0) {
            m->bands[exceeded].packet_count++;
            m->bands[exceeded].byte_count += len;
        }
    }
    return exceeded;
}

void
meter_get_config(const struct meter *m, struct ofp_meter_mod *mc)
{
    memset(mc, 0, sizeof *mc);
    mc->flags = m->flags;
    mc->meter_id = m->id;
    mc->n_bands = m->n_bands;
    mc->bands = xcalloc(m->n_bands + 1, sizeof *mc->bands);
    for (size_t i = 0; i < m->n_bands; i++) {
        mc->bands[i] = m->bands[i].config;
    }
}
