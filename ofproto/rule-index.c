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

/* The address fields whose prefixes narrow a missed subtable's mask, and
 * the prefix lengths tracked for each: every 'step' bits, then the
 * subtable's own length. */
static const struct ri_prefix_field {
    size_t ofs;
    size_t n_bytes;
    int step;
} prefix_fields[] = {
    { offsetof(struct flow, nw_src), 4, 8 },
    { offsetof(struct flow, nw_dst), 4, 8 },
    { offsetof(struct flow, ipv6_src), 16, 16 },
    { offsetof(struct flow, ipv6_dst), 16, 16 },
};
#define N_PREFIX_FIELDS ARRAY_SIZE(prefix_fields)

/* A prefix of an address field, as two 64-bit words in network bit
 * order ('hi' first). */
struct ri_bits {
    uint64_t hi, lo;
};

/* How many of the rules whose subtables have a prefix of 'plen' bits in
 * prefix field 'field' have 'bits' as its leading 'len' bits ('len' is
 * 'plen', or a multiple of the field's step below it). */
struct ri_prefix_count {
    struct hmap_node node;      /* In rule_index 'prefix_counts'. */
    uint8_t field;
    uint8_t plen;
    uint8_t len;
    struct ri_bits bits;
    size_t n;
};

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
    uint8_t prefix_len[N_PREFIX_FIELDS];    /* The mask's prefix length in
                                             * each field; 0: none, or not
                                             * a prefix. */
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
    hmap_init(&idx->prefix_counts);
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
    hmap_destroy(&idx->prefix_counts);
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

/* ---- Prefixes. ---- */

/* The length of the prefix 'mask' has in field 'pf', or 0 if it has none
 * or its bits there are not a prefix. */
static int
prefix_length(const struct flow *mask, const struct ri_prefix_field *pf)
{
    const uint8_t *m = (const uint8_t *) mask + pf->ofs;
    int len = 0;
    size_t i = 0;
    while (i < pf->n_bytes && m[i] == 0xff) {
        len += 8;
        i++;
    }
    if (i < pf->n_bytes) {
        int ones = __builtin_clz((unsigned int) (uint8_t) ~m[i] << 24);
        if ((uint8_t) (m[i] << ones)) {
            return 0;
        }
        len += ones;
        while (++i < pf->n_bytes) {
            if (m[i]) {
                return 0;
            }
        }
    }
    return len;
}

static uint64_t
load_be64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return __builtin_bswap64(v);
}

/* The leading 'len' bits of field 'pf' of 'flow'. */
static struct ri_bits
prefix_bits(const struct flow *flow, const struct ri_prefix_field *pf,
            int len)
{
    const uint8_t *v = (const uint8_t *) flow + pf->ofs;
    struct ri_bits b;
    if (pf->n_bytes == 4) {
        uint32_t w;
        memcpy(&w, v, sizeof w);
        b.hi = (uint64_t) __builtin_bswap32(w) << 32;
        b.lo = 0;
    } else {
        b.hi = load_be64(v);
        b.lo = load_be64(v + 8);
    }
    b.hi &= len >= 64 ? UINT64_MAX : ~(UINT64_MAX >> len);
    b.lo &= (len <= 64 ? 0
             : len >= 128 ? UINT64_MAX : ~(UINT64_MAX >> (len - 64)));
    return b;
}

static uint32_t
prefix_hash(size_t field, int plen, int len, struct ri_bits b)
{
    uint32_t hash = hash_add(field << 16 | plen << 8 | len, b.hi >> 32);
    hash = hash_add(hash_add(hash, b.hi), b.lo >> 32);
    return hash_finish(hash_add(hash, b.lo), 16);
}

static struct ri_prefix_count *
prefix_find(const struct rule_index *idx, size_t field, int plen, int len,
            struct ri_bits b, uint32_t hash)
{
    struct ri_prefix_count *pc;
    HMAP_FOR_EACH_WITH_HASH (pc, node, hash, &idx->prefix_counts) {
        if (pc->bits.hi == b.hi && pc->bits.lo == b.lo && pc->len == len
            && pc->plen == plen && pc->field == field) {
            return pc;
        }
    }
    return NULL;
}

static bool
prefix_present(const struct rule_index *idx, const struct flow *flow,
               size_t field, int plen, int len)
{
    struct ri_bits b = prefix_bits(flow, &prefix_fields[field], len);
    return prefix_find(idx, field, plen, len, b,
                       prefix_hash(field, plen, len, b)) != NULL;
}

static void
prefix_count(struct rule_index *idx, const struct rule *rule, size_t field,
             int plen, int len, int delta)
{
    struct ri_bits b = prefix_bits(&rule->match.flow, &prefix_fields[field],
                                   len);
    uint32_t hash = prefix_hash(field, plen, len, b);
    struct ri_prefix_count *pc = prefix_find(idx, field, plen, len, b, hash);
    if (!pc) {
        pc = xzalloc(sizeof *pc);
        pc->field = field;
        pc->plen = plen;
        pc->len = len;
        pc->bits = b;
        hmap_insert(&idx->prefix_counts, &pc->node, hash);
    }
    pc->n += delta;
    if (!pc->n) {
        hmap_remove(&idx->prefix_counts, &pc->node);
        free(pc);
    }
}

/* Counts the prefixes of 'rule', of subtable 'st', up (by 1) or down. */
static void
prefixes_count(struct rule_index *idx, const struct ri_subtable *st,
               const struct rule *rule, int delta)
{
    for (size_t i = 0; i < N_PREFIX_FIELDS; i++) {
        int plen = st->prefix_len[i];
        for (int len = prefix_fields[i].step; len < plen;
             len += prefix_fields[i].step) {
            prefix_count(idx, rule, i, plen, len, delta);
        }
        if (plen) {
            prefix_count(idx, rule, i, plen, plen, delta);
        }
    }
}

/* What one search learned of its flow's address prefixes, as it needed
 * them: for each field and prefix length L of some subtable, the
 * shortest tracked length at which no rule of a subtable of length L has
 * the flow's prefix. */
struct prefix_ctx {
    const struct flow *flow;
    uint8_t cut[N_PREFIX_FIELDS][129];  /* 0: not known yet; L + 1: none,
                                         * some rule has the flow's whole
                                         * L-bit prefix. */
};

static void
prefix_ctx_init(struct prefix_ctx *ctx, const struct flow *flow)
{
    memset(ctx->cut, 0, sizeof ctx->cut);
    ctx->flow = flow;
}

static int
prefix_cut(const struct rule_index *idx, struct prefix_ctx *ctx, size_t i,
           int plen)
{
    uint8_t *cut = &ctx->cut[i][plen];
    if (!*cut) {
        int step = prefix_fields[i].step;
        if (prefix_present(idx, ctx->flow, i, plen, plen)) {
            *cut = plen + 1;
        } else {
            const struct flow *flow = ctx->flow;
            int len = step;
            while (len < plen && prefix_present(idx, flow, i, plen, len)) {
                len += step;
            }
            *cut = XVS_MIN(len, plen);
        }
    }
    return *cut;
}

/* Whether no rule of 'st' can match the flow of 'ctx' for the leading
 * bits of one of its address fields, which no rule of a subtable with a
 * prefix of the same length there has.  If so, adds those bits to 'wc':
 * no packet that has them can match a rule of 'st' either. */
static bool
prefix_excludes(const struct rule_index *idx, struct prefix_ctx *ctx,
                const struct ri_subtable *st, struct flow_wildcards *wc)
{
    for (size_t i = 0; i < N_PREFIX_FIELDS; i++) {
        int plen = st->prefix_len[i];
        int n = plen ? prefix_cut(idx, ctx, i, plen) : 0;
        if (n && n <= plen) {
            uint8_t *m = wc ? (uint8_t *) &wc->masks + prefix_fields[i].ofs
                         : NULL;
            for (int j = 0; m && j * 8 < n; j++) {
                int left = n - j * 8;
                m[j] |= left >= 8 ? 0xff : (uint8_t) (0xff << (8 - left));
            }
            return true;
        }
    }
    return false;
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
    for (size_t i = 0; i < N_PREFIX_FIELDS; i++) {
        st->prefix_len[i] = prefix_length(mask, &prefix_fields[i]);
    }
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
    prefixes_count(idx, st, rule, 1);
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
    prefixes_count(idx, st, rule, -1);
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
    struct prefix_ctx ctx;

    prefix_ctx_init(&ctx, flow);
    sort_subtables(set);
    for (size_t i = 0; i < set->n_sorted; i++) {
        const struct ri_subtable *st = set->sorted[i];
        if (best && st->max_priority < best->priority) {
            break;
        }
        if (prefix_excludes(idx, &ctx, st, wc)) {
            continue;
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
    struct prefix_ctx ctx;

    prefix_ctx_init(&ctx, flow);
    sort_subtables(set);
    for (size_t i = 0; i < set->n_sorted; i++) {
        const struct ri_subtable *st = set->sorted[i];
        if (st->max_priority < min_priority) {
            break;
        }
        if (prefix_excludes(idx, &ctx, st, wc)) {
            continue;
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
