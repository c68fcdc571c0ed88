#include <config.h>
#include "rule-index.h"

#include <stdlib.h>
#include <string.h>
#include "flow-table.h"
#include "flow.h"
#include "util.h"

/* The rules of one priority: how many, and the last one. */
struct level {
    struct hmap_node node;      /* In rule_index 'levels'. */
    uint16_t priority;
    size_t n_rules;
    struct rule *last;
};

#define LEVEL_WORDS ((UINT16_MAX + 1) / 64)

/* The rules of one mask, by their masked key. */
struct ri_subtable {
    struct hmap_node node;      /* In its ri_subtables 'map'. */
    uint64_t mask[FLOW_KEY_WORDS];
    uint8_t words[FLOW_KEY_WORDS];  /* The nonzero words of 'mask'. */
    size_t n_words;
    struct hmap rules;          /* By subtable_hash() of their keys. */
    size_t n_rules;
    uint16_t max_priority;      /* Exact, or an upper bound while */
    bool max_exact;             /* 'max_exact' is false, */
    size_t n_removed;           /* for this many removals. */
};

void
rule_index_init(struct rule_index *idx)
{
    xvs_list_init(&idx->list);
    idx->n = 0;
    hmap_init(&idx->by_match);
    hmap_init(&idx->levels);
    idx->level_bits = NULL;
    for (size_t i = 0; i < ARRAY_SIZE(idx->sets); i++) {
        struct ri_subtables *set = &idx->sets[i];
        hmap_init(&set->map);
        set->sorted = NULL;
        set->n_sorted = 0;
        set->stale = false;
    }
    idx->next_seq = 0;
}

void
rule_index_destroy(struct rule_index *idx)
{
    hmap_destroy(&idx->by_match);
    hmap_destroy(&idx->levels);
    free(idx->level_bits);
    idx->level_bits = NULL;
    for (size_t i = 0; i < ARRAY_SIZE(idx->sets); i++) {
        struct ri_subtables *set = &idx->sets[i];
        hmap_destroy(&set->map);
        free(set->sorted);
        set->sorted = NULL;
        set->n_sorted = 0;
    }
}

static uint32_t
rule_hash(uint16_t priority, const struct match *match)
{
    return match_hash(match, priority);
}

static struct level *
level_find(const struct rule_index *idx, uint16_t priority)
{
    struct level *level;
    HMAP_FOR_EACH_WITH_HASH (level, node, hash_int(priority, 0),
                             &idx->levels) {
        if (level->priority == priority) {
            return level;
        }
    }
    return NULL;
}

/* The level of the lowest priority in use above 'priority', or NULL. */
static struct level *
level_above(const struct rule_index *idx, uint16_t priority)
{
    if (!idx->level_bits || priority == UINT16_MAX) {
        return NULL;
    }
    size_t p = priority + 1;
    size_t w = p / 64;
    uint64_t bits = idx->level_bits[w] & (UINT64_MAX << (p % 64));
    while (!bits) {
        if (++w == LEVEL_WORDS) {
            return NULL;
        }
        bits = idx->level_bits[w];
    }
    return level_find(idx, w * 64 + __builtin_ctzll(bits));
}

struct rule *
rule_index_find(const struct rule_index *idx, uint16_t priority,
                const struct match *match)
{
    struct rule *rule;
    HMAP_FOR_EACH_WITH_HASH (rule, match_node, rule_hash(priority, match),
                             &idx->by_match) {
        if (rule->priority == priority && match_equal(&rule->match, match)) {
            return rule;
        }
    }
    return NULL;
}

struct rule *
rule_index_level(const struct rule_index *idx, uint16_t priority, size_t *n)
{
    const struct level *level = level_find(idx, priority);
    *n = level ? level->n_rules : 0;
    return level ? level->last : NULL;
}

/* ---- Subtables. ---- */

static uint32_t
mask_hash(const struct flow *mask)
{
    return hash_bytes(mask, FLOW_KEY_LEN, 0);
}

static uint32_t
subtable_hash(const struct ri_subtable *st, const struct flow *key)
{
    uint32_t hash = 0;
    for (size_t i = 0; i < st->n_words; i++) {
        size_t w = st->words[i];
        uint64_t v = flow_key_word(key, w) & st->mask[w];
        hash = hash_add(hash_add(hash, v), v >> 32);
    }
    return hash_finish(hash, st->n_words);
}

/* Whether 'flow' under the subtable's mask is 'rule''s key. */
static bool
subtable_key_equal(const struct ri_subtable *st, const struct rule *rule,
                   const struct flow *flow)
{
    for (size_t i = 0; i < st->n_words; i++) {
        size_t w = st->words[i];
        if ((flow_key_word(flow, w) & st->mask[w])
            != flow_key_word(&rule->match.flow, w)) {
            return false;
        }
    }
    return true;
}

static bool
subtable_has_mask(const struct ri_subtable *st, const struct flow *mask)
{
    for (size_t w = 0; w < FLOW_KEY_WORDS; w++) {
        if (st->mask[w] != flow_key_word(mask, w)) {
            return false;
        }
    }
    return true;
}

static struct ri_subtable *
subtable_get(struct ri_subtables *set, const struct flow *mask)
{
    uint32_t hash = mask_hash(mask);
    struct ri_subtable *st;
    HMAP_FOR_EACH_WITH_HASH (st, node, hash, &set->map) {
        if (subtable_has_mask(st, mask)) {
            return st;
        }
    }
    st = xzalloc(sizeof *st);
    for (size_t w = 0; w < FLOW_KEY_WORDS; w++) {
        st->mask[w] = flow_key_word(mask, w);
        if (st->mask[w]) {
            st->words[st->n_words++] = w;
        }
    }
    hmap_init(&st->rules);
    st->max_exact = true;
    hmap_insert(&set->map, &st->node, hash);
    set->stale = true;
    return st;
}

/* The set of subtables 'rule' belongs in. */
static struct ri_subtables *
set_of(struct rule_index *idx, const struct rule *rule)
{
    return &idx->sets[rule->conjunctive];
}

static void
subtable_insert(struct rule_index *idx, struct rule *rule)
{
    struct ri_subtables *set = set_of(idx, rule);
    struct ri_subtable *st = subtable_get(set, &rule->match.wc.masks);
    hmap_insert(&st->rules, &rule->key_node,
                subtable_hash(st, &rule->match.flow));
    if (!st->n_rules++ || rule->priority > st->max_priority) {
        st->max_priority = rule->priority;
        st->max_exact = true;
        set->stale = true;
    }
    rule->subtable = st;
}

static void
subtable_remove(struct rule_index *idx, struct rule *rule)
{
    struct ri_subtables *set = set_of(idx, rule);
    struct ri_subtable *st = rule->subtable;
    hmap_remove(&st->rules, &rule->key_node);
    if (!--st->n_rules) {
        hmap_remove(&set->map, &st->node);
        hmap_destroy(&st->rules);
        free(st);
        set->stale = true;
        return;
    }
    /* The highest priority is kept as a bound, which costs lookups only
     * a useless probe, and found again once the removals since have paid
     * for a pass over the subtable. */
    if (st->max_exact && rule->priority == st->max_priority) {
        st->max_exact = false;
        st->n_removed = 0;
    }
    if (!st->max_exact && ++st->n_removed * 4 >= st->n_rules) {
        set->stale = true;
    }
}

static int
subtable_cmp(const void *a_, const void *b_)
{
    const struct ri_subtable *a = *(struct ri_subtable *const *) a_;
    const struct ri_subtable *b = *(struct ri_subtable *const *) b_;
    return (int) b->max_priority - (int) a->max_priority;
}

/* Brings 'set''s order of subtables up to date. */
static void
sort_subtables(struct ri_subtables *set)
{
    size_t n = hmap_count(&set->map);
    struct ri_subtable *st;

    if (!set->stale) {
        return;
    }
    free(set->sorted);
    set->sorted = xmalloc((n ? n : 1) * sizeof *set->sorted);
    set->n_sorted = 0;
    HMAP_FOR_EACH (st, node, &set->map) {
        if (!st->max_exact && st->n_removed * 4 >= st->n_rules) {
            const struct rule *rule;
            st->max_priority = 0;
            HMAP_FOR_EACH (rule, key_node, &st->rules) {
                st->max_priority = XVS_MAX(st->max_priority, rule->priority);
            }
            st->max_exact = true;
        }
        set->sorted[set->n_sorted++] = st;
    }
    qsort(set->sorted, set->n_sorted, sizeof *set->sorted, subtable_cmp);
    set->stale = false;
}

static void
fold_mask(struct flow_wildcards *wc, const struct ri_subtable *st)
{
    for (size_t j = 0; wc && j < st->n_words; j++) {
        size_t w = st->words[j];
        uint64_t m = flow_key_word(&wc->masks, w) | st->mask[w];
        memcpy((uint8_t *) &wc->masks + 8 * w, &m, sizeof m);
    }
}

/* Whether 'a' comes before 'b' in the list. */
static bool
rule_precedes(const struct rule *a, const struct rule *b)
{
    return (a->priority > b->priority
            || (a->priority == b->priority && a->seq < b->seq));
}

bool
rule_index_use_subtables(const struct rule_index *idx)
{
    return idx->n > RULE_INDEX_SCAN_MAX;
}

struct rule *
rule_index_lookup(struct rule_index *idx, const struct flow *flow,
                  struct flow_wildcards *wc)
{
    struct ri_subtables *set = &idx->sets[0];
    struct rule *best = NULL;

    sort_subtables(set);
    for (size_t i = 0; i < set->n_sorted; i++) {
        const struct ri_subtable *st = set->sorted[i];
        if (best && st->max_priority < best->priority) {
            break;
        }
        fold_mask(wc, st);
        /* Rules of one mask and key differ in priority: the highest. */
        struct rule *found = NULL, *rule;
        HMAP_FOR_EACH_WITH_HASH (rule, key_node, subtable_hash(st, flow),
                                 &st->rules) {
            if ((!found || rule->priority > found->priority)
                && subtable_key_equal(st, rule, flow)) {
                found = rule;
            }
        }
        if (found && (!best || rule_precedes(found, best))) {
            best = found;
        }
    }
    return best;
}

static int
rule_cmp(const void *a_, const void *b_)
{
    const struct rule *a = *(struct rule *const *) a_;
    const struct rule *b = *(struct rule *const *) b_;
    return rule_precedes(a, b) ? -1 : rule_precedes(b, a);
}

struct rule **
rule_index_conjunctive(struct rule_index *idx, const struct flow *flow,
                       int min_priority, struct flow_wildcards *wc,
                       size_t *np)
{
    struct ri_subtables *set = &idx->sets[1];
    struct rule **rules = NULL;
    size_t n = 0, allocated = 0;

    sort_subtables(set);
    for (size_t i = 0; i < set->n_sorted; i++) {
        const struct ri_subtable *st = set->sorted[i];
        if (st->max_priority < min_priority) {
            break;
        }
        fold_mask(wc, st);
        struct rule *rule;
        HMAP_FOR_EACH_WITH_HASH (rule, key_node, subtable_hash(st, flow),
                                 &st->rules) {
            if (rule->priority >= min_priority
                && subtable_key_equal(st, rule, flow)) {
                if (n >= allocated) {
                    allocated = 2 * allocated + 8;
                    rules = xrealloc(rules, allocated * sizeof *rules);
                }
                rules[n++] = rule;
            }
        }
    }
    if (n) {
        qsort(rules, n, sizeof *rules, rule_cmp);
    }
    *np = n;
    return rules;
}

void
rule_index_set_conjunctive(struct rule_index *idx, struct rule *rule,
                           bool conjunctive)
{
    if (rule->conjunctive != conjunctive) {
        subtable_remove(idx, rule);
        rule->conjunctive = conjunctive;
        subtable_insert(idx, rule);
    }
}

/* ---- Changes. ---- */

void
rule_index_insert(struct rule_index *idx, struct rule *rule)
{
    uint16_t p = rule->priority;
    struct level *level = level_find(idx, p);
    struct xvs_list *after;

    if (level) {
        after = &level->last->node;
    } else {
        struct level *above = level_above(idx, p);
        after = above ? &above->last->node : &idx->list;
        level = xzalloc(sizeof *level);
        level->priority = p;
        hmap_insert(&idx->levels, &level->node, hash_int(p, 0));
        if (!idx->level_bits) {
            idx->level_bits = xcalloc(LEVEL_WORDS, sizeof *idx->level_bits);
        }
        idx->level_bits[p / 64] |= UINT64_C(1) << (p % 64);
    }
    xvs_list_insert(after->next, &rule->node);
    level->last = rule;
    level->n_rules++;
    hmap_insert(&idx->by_match, &rule->match_node,
                rule_hash(p, &rule->match));
    subtable_insert(idx, rule);
    rule->seq = idx->next_seq++;
    idx->n++;
}

void
rule_index_remove(struct rule_index *idx, struct rule *rule)
{
    uint16_t p = rule->priority;
    struct level *level = level_find(idx, p);
    if (!--level->n_rules) {
        hmap_remove(&idx->levels, &level->node);
        idx->level_bits[p / 64] &= ~(UINT64_C(1) << (p % 64));
        free(level);
    } else if (level->last == rule) {
        level->last = CONTAINER_OF(rule->node.prev, struct rule, node);
    }
    xvs_list_remove(&rule->node);
    hmap_remove(&idx->by_match, &rule->match_node);
    subtable_remove(idx, rule);
    idx->n--;
}
