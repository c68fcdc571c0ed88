/* dp-classifier: tuple space search over the megaflows of one PMD thread.
 * See dp-classifier.h for the design and the contract. */
#include <config.h>
#include "dp-classifier.h"

#include <stdlib.h>
#include <string.h>
#include "util.h"

/* One bucket of a subtable's open-addressed table.  The hash sits next to
 * the pointer so a probe touches the rule only when the hashes agree. */
struct dpcls_slot {
    uint32_t hash;
    struct dpcls_rule *rule;    /* NULL: empty. */
};

#define SUBTABLE_MIN_SLOTS 16

/* The megaflows of one mask.  The mask is kept as the list of key words
 * it covers and their mask bits, so hashing and comparing a key walks
 * only those words. */
struct dpcls_subtable {
    unsigned int n_words;
    uint8_t idx[DP_KEY_WORDS];  /* Key words the mask covers. */
    uint64_t mask[DP_KEY_WORDS];/* Their mask bits; [n_words..] unused. */

    /* Linear probing, at most half full, no tombstones: removal shifts
     * later entries of the run back. */
    struct dpcls_slot *slots;
    uint32_t slot_mask;         /* Number of slots - 1. */
    uint32_t n_rules;

    uint64_t hits;              /* Decayed, for ranking. */
};

struct dpcls {
    struct dpcls_subtable **order;  /* Search order, best first. */
    size_t n_subtables;
    size_t allocated;
    size_t n_rules;
    struct dpcls_stats stats;
};

struct dpcls *
dpcls_create(void)
{
    /* Settles the key layout now rather than on the first packet. */
    dp_key_n_base_words();
    return xzalloc(sizeof(struct dpcls));
}

static void
subtable_destroy(struct dpcls_subtable *st)
{
    free(st->slots);
    free(st);
}

void
dpcls_destroy(struct dpcls *cls)
{
    if (!cls) {
        return;
    }
    for (size_t i = 0; i < cls->n_subtables; i++) {
        struct dpcls_subtable *st = cls->order[i];
        for (uint32_t s = 0; s <= st->slot_mask; s++) {
            struct dpcls_rule *rule = st->slots[s].rule;
            if (rule) {
                rule->subtable = NULL;
                dpcls_rule_unref(rule);
            }
        }
        subtable_destroy(st);
    }
    free(cls->order);
    free(cls);
}

static inline uint32_t
subtable_hash(const struct dpcls_subtable *st, const struct dp_key *key)
{
    uint64_t hash = 0;

    for (unsigned int k = 0; k < st->n_words; k++) {
        hash = dp_key_hash_add(hash, key->w[st->idx[k]] & st->mask[k]);
    }
    return dp_key_hash_finish(hash, st->n_words);
}

static inline bool
rule_matches(const struct dpcls_subtable *st, const struct dpcls_rule *rule,
             const struct dp_key *key)
{
    for (unsigned int k = 0; k < st->n_words; k++) {
        if ((key->w[st->idx[k]] & st->mask[k]) != rule->words[k]) {
            return false;
        }
    }
    return true;
}

static inline struct dpcls_rule *
subtable_find(const struct dpcls_subtable *st, const struct dp_key *key,
              uint32_t hash)
{
    for (uint32_t i = hash & st->slot_mask; ; i = (i + 1) & st->slot_mask) {
        const struct dpcls_slot *slot = &st->slots[i];
        if (!slot->rule) {
            return NULL;
        }
        if (slot->hash == hash && rule_matches(st, slot->rule, key)) {
            return slot->rule;
        }
    }
}

size_t
dpcls_lookup_batch(struct dpcls *cls, const struct dp_key *const keys[],
                   size_t n, struct dpcls_rule *rules[])
{
    uint32_t hashes[DPCLS_BATCH_MAX];
    uint32_t all = n >= 32 ? UINT32_MAX : (UINT32_C(1) << n) - 1;
    uint32_t left = all;

    for (size_t i = 0; i < n; i++) {
        rules[i] = NULL;
    }
    for (size_t s = 0; s < cls->n_subtables && left; s++) {
        struct dpcls_subtable *st = cls->order[s];
        uint32_t found = 0;

        cls->stats.n_subtable_probes += __builtin_popcount(left);
        for (uint32_t m = left; m; m &= m - 1) {
            unsigned int i = __builtin_ctz(m);
            hashes[i] = subtable_hash(st, keys[i]);
            __builtin_prefetch(&st->slots[hashes[i] & st->slot_mask]);
        }
        for (uint32_t m = left; m; m &= m - 1) {
            unsigned int i = __builtin_ctz(m);
            struct dpcls_rule *rule = subtable_find(st, keys[i], hashes[i]);
            if (rule) {
                rules[i] = rule;
                found |= UINT32_C(1) << i;
            }
        }
        st->hits += __builtin_popcount(found);
        left &= ~found;
    }

    size_t n_found = __builtin_popcount(all & ~left);
    cls->stats.n_lookups += n;
    cls->stats.n_hits += n_found;
    return n_found;
}

struct dpcls_rule *
dpcls_lookup(struct dpcls *cls, const struct dp_key *key)
{
    struct dpcls_rule *rule;

    dpcls_lookup_batch(cls, &key, 1, &rule);
    return rule;
}

/* Fills a subtable's word list from 'mask'. */
static void
subtable_set_mask(struct dpcls_subtable *st, const struct dp_key_mask *mask)
{
    unsigned int n = 0;

    for (unsigned int i = 0; i < DP_KEY_WORDS; i++) {
        if (mask->w[i]) {
            st->idx[n] = i;
            st->mask[n] = mask->w[i];
            n++;
        }
    }
    st->n_words = n;
}

static bool
subtable_has_mask(const struct dpcls_subtable *st,
                  const struct dpcls_subtable *probe)
{
    return (st->n_words == probe->n_words
            && !memcmp(st->idx, probe->idx, st->n_words)
            && !memcmp(st->mask, probe->mask,
                       st->n_words * sizeof st->mask[0]));
}

static void
slots_insert(struct dpcls_slot *slots, uint32_t slot_mask,
             struct dpcls_rule *rule)
{
    uint32_t i = rule->hash & slot_mask;

    while (slots[i].rule) {
        i = (i + 1) & slot_mask;
    }
    slots[i].hash = rule->hash;
    slots[i].rule = rule;
}

static void
subtable_resize(struct dpcls_subtable *st, uint32_t n_slots)
{
    struct dpcls_slot *old = st->slots;
    uint32_t old_mask = st->slot_mask;

    st->slots = xcalloc(n_slots, sizeof *st->slots);
    st->slot_mask = n_slots - 1;
    if (old) {
        for (uint32_t i = 0; i <= old_mask; i++) {
            if (old[i].rule) {
                slots_insert(st->slots, st->slot_mask, old[i].rule);
            }
        }
        free(old);
    }
}

static struct dpcls_subtable *
find_or_create_subtable(struct dpcls *cls, const struct dp_key_mask *mask)
{
    struct dpcls_subtable *st = xmalloc(sizeof *st);

    subtable_set_mask(st, mask);
    for (size_t i = 0; i < cls->n_subtables; i++) {
        if (subtable_has_mask(cls->order[i], st)) {
            free(st);
            return cls->order[i];
        }
    }

    st->slots = NULL;
    st->n_rules = 0;
    st->hits = 0;
    subtable_resize(st, SUBTABLE_MIN_SLOTS);
    if (cls->n_subtables == cls->allocated) {
        cls->allocated = cls->allocated ? 2 * cls->allocated : 8;
        cls->order = xrealloc(cls->order,
                              cls->allocated * sizeof *cls->order);
    }
    /* New masks start last; the next rerank moves them up if they earn
     * it. */
    cls->order[cls->n_subtables++] = st;
    return st;
}

static void
remove_subtable(struct dpcls *cls, struct dpcls_subtable *st)
{
    for (size_t i = 0; i < cls->n_subtables; i++) {
        if (cls->order[i] == st) {
            memmove(&cls->order[i], &cls->order[i + 1],
                    (cls->n_subtables - i - 1) * sizeof *cls->order);
            cls->n_subtables--;
            break;
        }
    }
    subtable_destroy(st);
}

struct dpcls_rule *
dpcls_insert(struct dpcls *cls, const struct dp_key *key,
             const struct dp_key_mask *mask, void *data)
{
    struct dpcls_subtable *st = find_or_create_subtable(cls, mask);
    struct dpcls_rule *rule;

    rule = xmalloc(sizeof *rule + st->n_words * sizeof rule->words[0]);
    for (unsigned int k = 0; k < st->n_words; k++) {
        rule->words[k] = key->w[st->idx[k]] & st->mask[k];
    }
    rule->hash = subtable_hash(st, key);
    if (subtable_find(st, key, rule->hash)) {
        free(rule);
        if (!st->n_rules) {
            remove_subtable(cls, st);
        }
        return NULL;
    }

    rule->subtable = st;
    rule->data = data;
    rule->refcnt = 1;
    if (2 * (st->n_rules + 1) > st->slot_mask + 1) {
        subtable_resize(st, 2 * (st->slot_mask + 1));
    }
    slots_insert(st->slots, st->slot_mask, rule);
    st->n_rules++;
    cls->n_rules++;
    return rule;
}

/* Empties slot 'i' and moves later members of its probe run back, so
 * lookups never need tombstones. */
static void
slots_delete(struct dpcls_slot *slots, uint32_t slot_mask, uint32_t i)
{
    uint32_t j = i;

    for (;;) {
        j = (j + 1) & slot_mask;
        if (!slots[j].rule) {
            break;
        }
        /* The entry at 'j' may fill the hole at 'i' unless its home
         * bucket lies cyclically in (i, j]. */
        uint32_t home = slots[j].hash & slot_mask;
        bool home_in_between = i <= j ? (home > i && home <= j)
                                      : (home > i || home <= j);
        if (!home_in_between) {
            slots[i] = slots[j];
            i = j;
        }
    }
    slots[i].rule = NULL;
    slots[i].hash = 0;
}

void
dpcls_remove(struct dpcls *cls, struct dpcls_rule *rule)
{
    struct dpcls_subtable *st = rule->subtable;
    uint32_t i = rule->hash & st->slot_mask;

    while (st->slots[i].rule != rule) {
        i = (i + 1) & st->slot_mask;
    }
    slots_delete(st->slots, st->slot_mask, i);
    st->n_rules--;
    cls->n_rules--;
    if (!st->n_rules) {
        remove_subtable(cls, st);
    } else if (st->slot_mask + 1 > SUBTABLE_MIN_SLOTS
               && 8 * st->n_rules < st->slot_mask + 1) {
        subtable_resize(st, (st->slot_mask + 1) / 2);
    }
    rule->subtable = NULL;
    dpcls_rule_unref(rule);
}

void
dpcls_rule_unref(struct dpcls_rule *rule)
{
    if (rule && !--rule->refcnt) {
        free(rule);
    }
}

void
dpcls_rerank(struct dpcls *cls)
{
    /* Insertion sort: few subtables, mostly in order already, and stable
     * so equal counts keep their places. */
    for (size_t i = 1; i < cls->n_subtables; i++) {
        struct dpcls_subtable *st = cls->order[i];
        size_t j = i;
        while (j > 0 && cls->order[j - 1]->hits < st->hits) {
            cls->order[j] = cls->order[j - 1];
            j--;
        }
        cls->order[j] = st;
    }
    for (size_t i = 0; i < cls->n_subtables; i++) {
        cls->order[i]->hits /= 2;
    }
}

size_t
dpcls_count(const struct dpcls *cls)
{
    return cls->n_rules;
}

size_t
dpcls_n_subtables(const struct dpcls *cls)
{
    return cls->n_subtables;
}

void
dpcls_get_stats(const struct dpcls *cls, struct dpcls_stats *stats)
{
    *stats = cls->stats;
}

void
dpcls_rule_get_match(const struct dpcls_rule *rule, struct dp_key *key,
                     struct dp_key_mask *mask)
{
    const struct dpcls_subtable *st = rule->subtable;

    memset(key, 0, sizeof *key);
    memset(mask, 0, sizeof *mask);
    for (unsigned int k = 0; k < st->n_words; k++) {
        unsigned int i = st->idx[k];
        key->w[i] = rule->words[k];
        mask->w[i] = st->mask[k];
        if (i < DP_KEY_MD_OFS) {
            key->map[0] |= (uint64_t) (key->w[i] != 0) << i;
        } else {
            key->map[1] |= (uint64_t) (key->w[i] != 0) << (i - DP_KEY_MD_OFS);
        }
    }
}
