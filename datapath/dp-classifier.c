/* dp-classifier: tuple space search over the megaflows of one PMD thread.
 * See dp-classifier.h for the design and the contract. */
#include <config.h>
#include "dp-classifier.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "util.h"

#define SUBTABLE_MIN_SLOTS 16
#define PROBE_WINDOW 8          /* Hashes compared at once; see probe_home(). */

typedef uint32_t subtable_probe_func(const struct dpcls_subtable *,
                                     uint32_t left,
                                     const struct dp_key *const keys[],
                                     uint32_t hashes[], uint32_t slots[]);

/* The megaflows of one mask.  The mask is kept as the list of key words
 * it covers and their mask bits, so hashing and comparing a key walks
 * only those words. */
struct dpcls_subtable {
    unsigned int n_words;
    uint8_t idx[DP_KEY_WORDS];  /* Key words the mask covers. */
    uint64_t mask[DP_KEY_WORDS];/* Their mask bits; [n_words..] unused. */
    subtable_probe_func *probe; /* Specialised for n_words. */

    /* Linear probing, at most half full, no tombstones: removal shifts
     * later entries of the run back.  The hashes have an array of their
     * own, sixteen to a cache line, because most probes are misses (the
     * key belongs to another subtable) and end at an empty slot or a
     * differing hash without touching a rule.  Hash 0 marks an empty
     * slot, so masked_hash() never returns it.  'hashes' has
     * PROBE_WINDOW - 1 more entries, a copy of the first ones. */
    uint32_t *hashes;
    struct dpcls_rule **rules;
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
    free(st->hashes);
    free(st->rules);
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
            struct dpcls_rule *rule = st->rules[s];
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

/* Looking up a batch
 * ------------------
 * A lookup walks the subtables in order; in each it runs two passes over
 * the keys still unresolved: hash every key and prefetch its home slot
 * in 'hashes', then find the first slot holding the same hash.  Most
 * keys belong to another subtable and stop at an empty slot; a key whose
 * hash is found is taken out of the walk as a candidate, since with
 * 32-bit hashes that is almost always a hit.  Only after the walk are the
 * candidates' rules fetched (all prefetched first, then all compared), so
 * the cache misses on rules, one per hit, overlap each other instead of
 * stalling each subtable's pass.  A candidate whose words differ (a hash
 * collision) resumes the search, alone, where it left off.
 *
 * The hashing pass is written once, as an inline function of the word
 * count, and instantiated for the common counts, so that the compiler
 * unrolls the word loop; other counts take the generic instance.  Each
 * subtable points at its instance. */

/* The hash of 'key' masked by the first 'n' words of 'st'.  Never 0.
 *
 * Not dp_key_hash_add()'s chain: here each word is multiplied by its own
 * odd constant and the products summed, so the words' multiplies run in
 * parallel rather than one after the other (the classifier hashes every
 * key once per subtable searched).  An odd multiplier is invertible, so
 * two keys that differ in one word never collide before the finish; the
 * finish folds the high half of the sum, which every bit of a product
 * reaches, into the low. */
static inline uint32_t
masked_hash(const struct dpcls_subtable *st, const struct dp_key *key,
            unsigned int n)
{
    const uint64_t *w = key->w;
    uint64_t hash = 0;
    uint32_t h;

#pragma GCC unroll 8
    for (unsigned int k = 0; k < n; k++) {
        hash += ((w[st->idx[k]] & st->mask[k])
                 * (0x9e3779b97f4a7c15ULL + 2 * k));
    }
    h = dp_key_hash_finish(hash, n);
    return h + !h;
}

static inline bool
masked_equal(const struct dpcls_subtable *st, const struct dpcls_rule *rule,
             const struct dp_key *key)
{
    uint64_t diff = 0;

    /* No early exit: the words are few and a branch per word would
     * mispredict more than it saves. */
    for (unsigned int k = 0; k < st->n_words; k++) {
        diff |= (key->w[st->idx[k]] & st->mask[k]) ^ rule->words[k];
    }
    return !diff;
}

/* The first slot from 'i' on whose hash is 'hash', or UINT32_MAX if the
 * probe run ends first. */
static inline uint32_t
probe_from(const struct dpcls_subtable *st, uint32_t i, uint32_t hash)
{
    for (;; i = (i + 1) & st->slot_mask) {
        uint32_t h = st->hashes[i];
        if (h == hash) {
            return i;
        }
        if (!h) {
            return UINT32_MAX;
        }
    }
}

/* probe_from() from a key's home slot 'i', without a branch per slot:
 * the PROBE_WINDOW hashes from 'i' on are compared at once (the copy of
 * the first ones past the end spares a wrap-around), and only a run
 * longer than the window, rare at half load, falls back to the loop. */
static inline uint32_t
probe_home(const struct dpcls_subtable *st, uint32_t i, uint32_t hash)
{
    const uint32_t *w = &st->hashes[i];
    uint32_t eq, empty;

#ifdef __SSE2__
    __m128i h = _mm_set1_epi32(hash);
    __m128i zero = _mm_setzero_si128();
    __m128i lo = _mm_loadu_si128((const __m128i *) w);
    __m128i hi = _mm_loadu_si128((const __m128i *) (w + 4));

    eq = (_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(lo, h)))
          | _mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(hi, h))) << 4);
    empty = (_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(lo, zero)))
             | _mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(hi, zero)))
               << 4);
#else
    eq = empty = 0;
    for (unsigned int k = 0; k < PROBE_WINDOW; k++) {
        eq |= (uint32_t) (w[k] == hash) << k;
        empty |= (uint32_t) (w[k] == 0) << k;
    }
#endif
    /* Slots before the first empty one (all of them if none is). */
    eq &= (empty & -empty) - 1;
    if (eq) {
        return (i + __builtin_ctz(eq)) & st->slot_mask;
    }
    if (empty) {
        return UINT32_MAX;
    }
    return probe_from(st, (i + PROBE_WINDOW) & st->slot_mask, hash);
}

/* Sets the hash of slot 'i', and of its copy past the end. */
static inline void
set_hash(struct dpcls_subtable *st, uint32_t i, uint32_t hash)
{
    st->hashes[i] = hash;
    if (i < PROBE_WINDOW - 1) {
        st->hashes[st->slot_mask + 1 + i] = hash;
    }
}

/* The rule of 'st' that 'key' (whose masked hash is 'hash') matches,
 * searching the probe run from slot 'i' on, or NULL. */
static struct dpcls_rule *
subtable_find_from(const struct dpcls_subtable *st, const struct dp_key *key,
                   uint32_t hash, uint32_t i)
{
    uint32_t s = probe_from(st, i, hash);

    while (s != UINT32_MAX) {
        if (masked_equal(st, st->rules[s], key)) {
            return st->rules[s];
        }
        s = probe_from(st, (s + 1) & st->slot_mask, hash);
    }
    return NULL;
}

static struct dpcls_rule *
subtable_find(const struct dpcls_subtable *st, const struct dp_key *key,
              uint32_t hash)
{
    return subtable_find_from(st, key, hash, hash & st->slot_mask);
}

/* The two passes over the keys of 'left' (a bitmap of indexes into
 * 'keys') in 'st', 'n' being st->n_words.  Sets hashes[i] for every key
 * of 'left', and slots[i] for those whose hash has a slot, and returns
 * the bitmap of the latter. */
static inline __attribute__((always_inline)) uint32_t
subtable_probe__(const struct dpcls_subtable *st, uint32_t left,
                 const struct dp_key *const keys[], uint32_t hashes[],
                 uint32_t slots[], unsigned int n)
{
    uint32_t have_slot = 0;

    for (uint32_t m = left; m; m &= m - 1) {
        unsigned int i = __builtin_ctz(m);
        hashes[i] = masked_hash(st, keys[i], n);
        __builtin_prefetch(&st->hashes[hashes[i] & st->slot_mask]);
    }
    for (uint32_t m = left; m; m &= m - 1) {
        unsigned int i = __builtin_ctz(m);
        uint32_t s = probe_home(st, hashes[i] & st->slot_mask, hashes[i]);
        if (s != UINT32_MAX) {
            slots[i] = s;
            have_slot |= UINT32_C(1) << i;
            __builtin_prefetch(&st->rules[s]);
        }
    }
    return have_slot;
}

#define SUBTABLE_PROBE_N(N)                                             \
    static uint32_t                                                     \
    subtable_probe_##N(const struct dpcls_subtable *st, uint32_t left,  \
                       const struct dp_key *const keys[],               \
                       uint32_t hashes[], uint32_t slots[])             \
    {                                                                   \
        return subtable_probe__(st, left, keys, hashes, slots, N);      \
    }
SUBTABLE_PROBE_N(1)
SUBTABLE_PROBE_N(2)
SUBTABLE_PROBE_N(3)
SUBTABLE_PROBE_N(4)
SUBTABLE_PROBE_N(5)
SUBTABLE_PROBE_N(6)
SUBTABLE_PROBE_N(7)
SUBTABLE_PROBE_N(8)

static uint32_t
subtable_probe_generic(const struct dpcls_subtable *st, uint32_t left,
                       const struct dp_key *const keys[], uint32_t hashes[],
                       uint32_t slots[])
{
    return subtable_probe__(st, left, keys, hashes, slots, st->n_words);
}

/* The instance for 'n' words. */
static subtable_probe_func *
subtable_probe_for(unsigned int n)
{
    static subtable_probe_func *const funcs[] = {
        NULL, subtable_probe_1, subtable_probe_2, subtable_probe_3,
        subtable_probe_4, subtable_probe_5, subtable_probe_6,
        subtable_probe_7, subtable_probe_8,
    };

    return n < ARRAY_SIZE(funcs) && funcs[n] ? funcs[n]
                                             : subtable_probe_generic;
}

/* The search of one key that was a candidate of the subtable at 'pos' in
 * the search order, with masked hash 'hash' at slot 'slot', but did not
 * match there: the rest of that probe run, then the later subtables.
 * Counts the subtables it probes in '*n_probes'. */
static struct dpcls_rule *
lookup_resume(struct dpcls *cls, const struct dp_key *key, size_t pos,
              uint32_t hash, uint32_t slot, uint64_t *n_probes)
{
    const struct dpcls_subtable *st = cls->order[pos];
    struct dpcls_rule *rule;

    rule = subtable_find_from(st, key, hash, (slot + 1) & st->slot_mask);
    while (!rule && ++pos < cls->n_subtables) {
        st = cls->order[pos];
        rule = subtable_find(st, key, masked_hash(st, key, st->n_words));
        ++*n_probes;
    }
    return rule;
}

size_t
dpcls_lookup_batch(struct dpcls *cls, const struct dp_key *const keys[],
                   size_t n, struct dpcls_rule *rules[])
{
    uint32_t hashes[DPCLS_BATCH_MAX];
    uint32_t slots[DPCLS_BATCH_MAX];
    uint32_t cand_hash[DPCLS_BATCH_MAX];
    uint32_t cand_slot[DPCLS_BATCH_MAX];
    uint32_t cand_pos[DPCLS_BATCH_MAX];
    uint32_t left = n >= 32 ? UINT32_MAX : (UINT32_C(1) << n) - 1;
    uint32_t cands = 0;
    uint64_t n_probes = 0;
    size_t n_left = n;
    size_t n_found = 0;

    for (size_t s = 0; s < cls->n_subtables && left; s++) {
        const struct dpcls_subtable *st = cls->order[s];
        uint32_t got = st->probe(st, left, keys, hashes, slots);

        n_probes += n_left;
        for (uint32_t m = got; m; m &= m - 1) {
            unsigned int i = __builtin_ctz(m);
            cand_hash[i] = hashes[i];
            cand_slot[i] = slots[i];
            cand_pos[i] = s;
            n_left--;
        }
        left &= ~got;
        cands |= got;
    }

    for (size_t i = 0; i < n; i++) {
        rules[i] = NULL;
    }
    for (uint32_t m = cands; m; m &= m - 1) {
        unsigned int i = __builtin_ctz(m);
        const struct dpcls_subtable *st = cls->order[cand_pos[i]];
        rules[i] = st->rules[cand_slot[i]];
        __builtin_prefetch(rules[i]);
        __builtin_prefetch(&rules[i]->words[st->n_words]);
    }
    for (uint32_t m = cands; m; m &= m - 1) {
        unsigned int i = __builtin_ctz(m);
        struct dpcls_rule *rule = rules[i];

        if (!masked_equal(cls->order[cand_pos[i]], rule, keys[i])) {
            rule = lookup_resume(cls, keys[i], cand_pos[i], cand_hash[i],
                                 cand_slot[i], &n_probes);
            rules[i] = rule;
        }
        if (rule) {
            rule->subtable->hits++;
            n_found++;
        }
    }

    cls->stats.n_subtable_probes += n_probes;
    cls->stats.n_lookups += n;
    cls->stats.n_hits += n_found;
    return n_found;
}

/* One key on its own: the batch's passes and bitmaps would cost more
 * than they hide, so each subtable is hashed, probed and checked in
 * turn. */
struct dpcls_rule *
dpcls_lookup(struct dpcls *cls, const struct dp_key *key)
{
    struct dpcls_rule *rule = NULL;
    size_t s;

    for (s = 0; s < cls->n_subtables && !rule; s++) {
        struct dpcls_subtable *st = cls->order[s];
        uint32_t hash = masked_hash(st, key, st->n_words);
        uint32_t slot = probe_home(st, hash & st->slot_mask, hash);

        if (slot != UINT32_MAX) {
            rule = st->rules[slot];
            if (!masked_equal(st, rule, key)) {
                rule = subtable_find_from(st, key, hash,
                                          (slot + 1) & st->slot_mask);
            }
            if (rule) {
                st->hits++;
            }
        }
    }

    cls->stats.n_subtable_probes += s;
    cls->stats.n_lookups++;
    cls->stats.n_hits += rule != NULL;
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
    st->probe = subtable_probe_for(n);
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
slots_insert(struct dpcls_subtable *st, struct dpcls_rule *rule)
{
    uint32_t i = rule->hash & st->slot_mask;

    while (st->hashes[i]) {
        i = (i + 1) & st->slot_mask;
    }
    set_hash(st, i, rule->hash);
    st->rules[i] = rule;
}

static void
subtable_resize(struct dpcls_subtable *st, uint32_t n_slots)
{
    struct dpcls_rule **old = st->rules;
    uint32_t old_mask = st->slot_mask;

    free(st->hashes);
    st->hashes = xcalloc(n_slots + PROBE_WINDOW - 1, sizeof *st->hashes);
    st->rules = xcalloc(n_slots, sizeof *st->rules);
    st->slot_mask = n_slots - 1;
    if (old) {
        for (uint32_t i = 0; i <= old_mask; i++) {
            if (old[i]) {
                slots_insert(st, old[i]);
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

    st->hashes = NULL;
    st->rules = NULL;
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
    rule->hash = masked_hash(st, key, st->n_words);
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
    slots_insert(st, rule);
    st->n_rules++;
    cls->n_rules++;
    return rule;
}

/* Empties slot 'i' and moves later members of its probe run back, so
 * lookups never need tombstones. */
static void
slots_delete(struct dpcls_subtable *st, uint32_t i)
{
    uint32_t j = i;

    for (;;) {
        j = (j + 1) & st->slot_mask;
        if (!st->hashes[j]) {
            break;
        }
        /* The entry at 'j' may fill the hole at 'i' unless its home
         * bucket lies cyclically in (i, j]. */
        uint32_t home = st->hashes[j] & st->slot_mask;
        bool home_in_between = i <= j ? (home > i && home <= j)
                                      : (home > i || home <= j);
        if (!home_in_between) {
            set_hash(st, i, st->hashes[j]);
            st->rules[i] = st->rules[j];
            i = j;
        }
    }
    set_hash(st, i, 0);
    st->rules[i] = NULL;
}

void
dpcls_remove(struct dpcls *cls, struct dpcls_rule *rule)
{
    struct dpcls_subtable *st = rule->subtable;
    uint32_t i = rule->hash & st->slot_mask;

    while (st->rules[i] != rule) {
        i = (i + 1) & st->slot_mask;
    }
    slots_delete(st, i);
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
