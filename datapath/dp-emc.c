/* dp-emc: the exact-match cache.  See dp-emc.h. */
#include <config.h>
#include "dp-emc.h"

#include <stdlib.h>
#include <string.h>
#include "util.h"

struct dp_emc_entry {
    struct dpcls_rule *rule;    /* NULL: empty; holds a reference. */
    uint32_t hash;
    uint64_t map[2];            /* The key's map (dp-key.h). */
    uint64_t words[DP_EMC_MAX_WORDS]; /* Its non-zero words, in order. */
};

struct dp_emc {
    struct dp_emc_entry *entries;
    size_t mask;                /* Entries - 1. */
    size_t sweep_pos;
    uint32_t insert_threshold;  /* Insert if random <= this... */
    bool insert_never;          /* ...unless insertion is off. */
    uint32_t rng;               /* xorshift32 state. */
    struct dp_emc_stats stats;
};

struct dp_emc *
dp_emc_create(size_t n_entries)
{
    struct dp_emc *emc = xzalloc(sizeof *emc);
    size_t n = 1;

    if (!n_entries) {
        n_entries = DP_EMC_DEFAULT_ENTRIES;
    }
    while (n < n_entries) {
        n *= 2;
    }
    emc->entries = xcalloc(n, sizeof *emc->entries);
    emc->mask = n - 1;
    emc->rng = 0x9e3779b9;
    dp_emc_set_insert_inv_prob(emc, DP_EMC_DEFAULT_INV_PROB);
    return emc;
}

static void
entry_clear(struct dp_emc_entry *e)
{
    dpcls_rule_unref(e->rule);
    e->rule = NULL;
}

void
dp_emc_flush(struct dp_emc *emc)
{
    for (size_t i = 0; i <= emc->mask; i++) {
        entry_clear(&emc->entries[i]);
    }
}

void
dp_emc_destroy(struct dp_emc *emc)
{
    if (emc) {
        dp_emc_flush(emc);
        free(emc->entries);
        free(emc);
    }
}

void
dp_emc_set_insert_inv_prob(struct dp_emc *emc, uint32_t inv_prob)
{
    emc->insert_never = inv_prob == 0;
    emc->insert_threshold = inv_prob ? UINT32_MAX / inv_prob : 0;
}

/* The two entries a key with 'hash' may occupy: the hash's low bits, and
 * those of the hash with its halves swapped. */
static inline struct dp_emc_entry *
entry_at(struct dp_emc *emc, uint32_t hash, int way)
{
    if (way) {
        hash = (hash >> 16) | (hash << 16);
    }
    return &emc->entries[hash & emc->mask];
}

static inline bool
entry_matches(const struct dp_emc_entry *e, const struct dp_key *key,
              uint32_t hash)
{
    unsigned int n = 0;

    if (e->hash != hash || e->map[0] != key->map[0]
        || e->map[1] != key->map[1]) {
        return false;
    }
    for (uint64_t m = key->map[0]; m; m &= m - 1) {
        if (e->words[n++] != key->w[__builtin_ctzll(m)]) {
            return false;
        }
    }
    for (uint64_t m = key->map[1]; m; m &= m - 1) {
        if (e->words[n++] != key->w[DP_KEY_MD_OFS + __builtin_ctzll(m)]) {
            return false;
        }
    }
    return true;
}

struct dpcls_rule *
dp_emc_lookup(struct dp_emc *emc, const struct dp_key *key, uint32_t hash)
{
    emc->stats.n_lookups++;
    for (int way = 0; way < 2; way++) {
        struct dp_emc_entry *e = entry_at(emc, hash, way);
        if (e->rule && entry_matches(e, key, hash)) {
            if (dpcls_rule_is_dead(e->rule)) {
                entry_clear(e);
                return NULL;
            }
            emc->stats.n_hits++;
            return e->rule;
        }
    }
    return NULL;
}

static void
entry_set_rule(struct dp_emc_entry *e, struct dpcls_rule *rule)
{
    dpcls_rule_ref(rule);
    dpcls_rule_unref(e->rule);
    e->rule = rule;
}

void
dp_emc_insert(struct dp_emc *emc, const struct dp_key *key, uint32_t hash,
              struct dpcls_rule *rule)
{
    struct dp_emc_entry *victim = NULL;
    unsigned int n = 0;

    if (__builtin_popcountll(key->map[0]) + __builtin_popcountll(key->map[1])
        > DP_EMC_MAX_WORDS) {
        return;
    }
    for (int way = 0; way < 2; way++) {
        struct dp_emc_entry *e = entry_at(emc, hash, way);
        if (e->rule && entry_matches(e, key, hash)) {
            entry_set_rule(e, rule);
            emc->stats.n_inserts++;
            return;
        }
        if (!victim && (!e->rule || dpcls_rule_is_dead(e->rule))) {
            victim = e;
        }
    }
    if (!victim) {
        /* Both taken by live keys: the hash's top bit picks one, so
         * which key loses is arbitrary but repeatable. */
        victim = entry_at(emc, hash, hash >> 31);
    }

    entry_set_rule(victim, rule);
    victim->hash = hash;
    victim->map[0] = key->map[0];
    victim->map[1] = key->map[1];
    for (uint64_t m = key->map[0]; m; m &= m - 1) {
        victim->words[n++] = key->w[__builtin_ctzll(m)];
    }
    for (uint64_t m = key->map[1]; m; m &= m - 1) {
        victim->words[n++] = key->w[DP_KEY_MD_OFS + __builtin_ctzll(m)];
    }
    emc->stats.n_inserts++;
}

static inline uint32_t
emc_random(struct dp_emc *emc)
{
    uint32_t x = emc->rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    emc->rng = x;
    return x;
}

void
dp_emc_probabilistic_insert(struct dp_emc *emc, const struct dp_key *key,
                            uint32_t hash, struct dpcls_rule *rule)
{
    if (!emc->insert_never && emc_random(emc) <= emc->insert_threshold) {
        dp_emc_insert(emc, key, hash, rule);
    }
}

void
dp_emc_sweep(struct dp_emc *emc, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct dp_emc_entry *e = &emc->entries[emc->sweep_pos];
        if (e->rule && dpcls_rule_is_dead(e->rule)) {
            entry_clear(e);
        }
        emc->sweep_pos = (emc->sweep_pos + 1) & emc->mask;
    }
}

size_t
dp_emc_n_entries(const struct dp_emc *emc)
{
    return emc->mask + 1;
}

size_t
dp_emc_count(const struct dp_emc *emc)
{
    size_t n = 0;

    for (size_t i = 0; i <= emc->mask; i++) {
        n += emc->entries[i].rule != NULL;
    }
    return n;
}

void
dp_emc_get_stats(const struct dp_emc *emc, struct dp_emc_stats *stats)
{
    *stats = emc->stats;
}
