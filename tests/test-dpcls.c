/* test-dpcls: the datapath key (dp-key), the megaflow classifier
 * (dp-classifier) and the exact-match cache (dp-emc).
 *
 * Usage: test-dpcls CASE [SEED].  Each case prints nothing and exits 0 on
 * success, or prints the first mismatches and exits 1.  The random cases
 * use a fixed seed (or SEED), so a failure reproduces. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "datapath/dp-classifier.h"
#include "datapath/dp-emc.h"
#include "datapath/dp-key.h"
#include "flow-extract.h"
#include "meta-flow.h"
#include "util.h"

static int failures;

#define CHECK(COND)                                                       \
    do {                                                                  \
        if (!(COND)) {                                                    \
            fprintf(stderr, "%s:%d: check failed: %s\n",                  \
                    __FILE__, __LINE__, #COND);                           \
            if (++failures > 20) {                                        \
                exit(1);                                                  \
            }                                                             \
        }                                                                 \
    } while (0)

/* A private generator (xorshift64*), so runs repeat on every libc. */
static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint64_t
rnd64(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dULL;
}

static uint32_t
rnd(uint32_t n)
{
    return rnd64() % n;
}

static void
random_bytes(void *p_, size_t n)
{
    uint8_t *p = p_;
    for (size_t i = 0; i < n; i++) {
        p[i] = rnd64() >> 56;
    }
}

static bool
is_zero(const void *p_, size_t n)
{
    const uint8_t *p = p_;
    for (size_t i = 0; i < n; i++) {
        if (p[i]) {
            return false;
        }
    }
    return true;
}

/* ---- Key layout. ---- */

/* Checks that 'out' keeps every datapath field of 'in' and zeroes every
 * pipeline-only one, field by field through the registry. */
static void
check_fields_kept(const struct flow *in, const struct flow *out)
{
    for (size_t i = 0; i < MFF_N_IDS; i++) {
        const struct mf_field *mf = &mf_fields[i];
        union mf_value a, b, zero;

        if (mf_is_tun_md(mf)) {
            continue;           /* Checked as option space below. */
        }
        mf_get_flow_value(mf, in, &a);
        mf_get_flow_value(mf, out, &b);
        memset(&zero, 0, sizeof zero);
        if (dp_key_has_field(mf)) {
            if (memcmp(&a, &b, mf->n_bytes)) {
                fprintf(stderr, "field %s not kept\n", mf->name);
                failures++;
            }
        } else if (memcmp(&b, &zero, mf->n_bytes)) {
            fprintf(stderr, "pipeline field %s not cleared\n", mf->name);
            failures++;
        }
    }
    CHECK(out->tunnel.md_present == in->tunnel.md_present);
    CHECK(!memcmp(out->mpls_lse, in->mpls_lse, sizeof in->mpls_lse));
    if (in->tunnel.md_present) {
        CHECK(!memcmp(out->tunnel.md, in->tunnel.md, sizeof in->tunnel.md));
    } else {
        CHECK(is_zero(out->tunnel.md, sizeof out->tunnel.md));
    }
    CHECK(is_zero(&out->tun_layout, sizeof out->tun_layout));
}

static void
check_map(const struct dp_key *key)
{
    unsigned int n_base = dp_key_n_base_words();

    for (unsigned int i = 0; i < n_base; i++) {
        CHECK(((key->map[0] >> i) & 1) == (key->w[i] != 0));
    }
    CHECK(!(key->map[0] >> (n_base - 1) >> 1));
    for (unsigned int i = 0; i < DP_KEY_MD_WORDS; i++) {
        CHECK(((key->map[1] >> i) & 1) == (key->w[DP_KEY_MD_OFS + i] != 0));
    }
}

static void
test_key_roundtrip(void)
{
    CHECK(dp_key_n_base_words() > 0);
    CHECK(dp_key_n_base_words() <= DP_KEY_BASE_MAX);

    for (int iter = 0; iter < 2000; iter++) {
        struct flow in, out, again;
        struct dp_key key, key2;

        memset(&in, 0, sizeof in);
        random_bytes(&in, FLOW_KEY_LEN);
        switch (iter % 3) {
        case 0:
            in.tunnel.md_present = 0;   /* Options absent... */
            break;
        case 1:
            memset(in.tunnel.md, 0, sizeof in.tunnel.md);
            in.tunnel.md_present = 0;   /* ...and really empty. */
            break;
        default:
            break;
        }
        dp_key_from_flow(&key, &in);
        check_map(&key);
        dp_key_to_flow(&key, &out);
        check_fields_kept(&in, &out);

        /* The flow the key gives back makes the same key. */
        dp_key_from_flow(&key2, &out);
        CHECK(dp_key_equal(&key, &key2));
        CHECK(dp_key_hash(&key, 0) == dp_key_hash(&key2, 0));
        dp_key_to_flow(&key2, &again);
        CHECK(!memcmp(&out, &again, sizeof out));
    }

    /* One field at a time: a datapath field shows in the key, a pipeline
     * field does not. */
    for (size_t i = 0; i < MFF_N_IDS; i++) {
        const struct mf_field *mf = &mf_fields[i];
        union mf_value ones;
        struct flow flow;
        struct dp_key key;

        if (mf_is_tun_md(mf)) {
            continue;
        }
        memset(&flow, 0, sizeof flow);
        memset(&ones, 0xff, sizeof ones);
        mf_set_flow_value(mf, &ones, &flow);
        dp_key_from_flow(&key, &flow);
        if (dp_key_has_field(mf) != (key.map[0] != 0)) {
            fprintf(stderr, "field %s: has_field %d, key map %#llx\n",
                    mf->name, dp_key_has_field(mf),
                    (unsigned long long) key.map[0]);
            failures++;
        }
    }

    /* Keys differing only in pipeline fields are equal. */
    struct flow a, b;
    struct dp_key ka, kb;
    memset(&a, 0, sizeof a);
    a.in_port = 3;
    a.nw_src = 0x0a000001;
    b = a;
    b.regs[0] = 7;
    b.metadata = 9;
    b.actset_output = 2;
    b.conj_id = 4;
    dp_key_from_flow(&ka, &a);
    dp_key_from_flow(&kb, &b);
    CHECK(dp_key_equal(&ka, &kb));
    b.nw_src++;
    dp_key_from_flow(&kb, &b);
    CHECK(!dp_key_equal(&ka, &kb));
}

static void
test_mask_roundtrip(void)
{
    for (int iter = 0; iter < 500; iter++) {
        struct flow_wildcards wc, out, again;
        struct dp_key_mask mask, mask2;

        memset(&wc, 0, sizeof wc);
        random_bytes(&wc.masks, FLOW_KEY_LEN);
        dp_key_mask_from_wc(&mask, &wc);
        dp_key_mask_to_wc(&mask, &out);

        /* A mask keeps the option space whatever md_present says. */
        struct flow in = wc.masks, kept = out.masks;
        CHECK(!memcmp(kept.tunnel.md, in.tunnel.md, sizeof in.tunnel.md));
        in.tunnel.md_present |= 1;
        kept.tunnel.md_present |= 1;
        check_fields_kept(&in, &kept);

        dp_key_mask_from_wc(&mask2, &out);
        CHECK(!memcmp(&mask, &mask2, sizeof mask));
        dp_key_mask_to_wc(&mask2, &again);
        CHECK(!memcmp(&out, &again, sizeof out));
    }
}

/* ---- Classifier against a linear reference. ---- */

struct ref_rule {
    struct dp_key key;          /* Masked. */
    struct dp_key_mask mask;
    struct dpcls_rule *rule;    /* NULL: not installed. */
};

/* The words the random masks use: a few base words and an option word,
 * so masks collide and keys hit. */
#define N_USED_WORDS 6
static unsigned int used_words[N_USED_WORDS];
/* Each word takes one of four values, so random keys often match. */
static uint64_t word_values[N_USED_WORDS][4];

static void
set_word(struct dp_key *key, unsigned int i, uint64_t v)
{
    unsigned int map = i < DP_KEY_MD_OFS ? 0 : 1;
    unsigned int bit = i < DP_KEY_MD_OFS ? i : i - DP_KEY_MD_OFS;

    key->w[i] = v;
    key->map[map] &= ~(UINT64_C(1) << bit);
    key->map[map] |= (uint64_t) (v != 0) << bit;
}

static void
init_words(void)
{
    unsigned int n_base = dp_key_n_base_words();

    for (int i = 0; i < N_USED_WORDS - 1; i++) {
        used_words[i] = (i * 7 + 1) % n_base;
    }
    used_words[N_USED_WORDS - 1] = DP_KEY_MD_OFS + 3;
    for (int i = 0; i < N_USED_WORDS; i++) {
        word_values[i][0] = 0;
        for (int v = 1; v < 4; v++) {
            word_values[i][v] = rnd64();
        }
    }
}

static void
random_key(struct dp_key *key)
{
    struct flow flow;

    memset(key, 0, sizeof *key);
    memset(&flow, 0, sizeof flow);
    dp_key_from_flow(key, &flow);
    for (int i = 0; i < N_USED_WORDS; i++) {
        set_word(key, used_words[i], word_values[i][rnd(4)]);
    }
}

static void
random_mask(struct dp_key_mask *mask)
{
    static const uint64_t shapes[] = {
        UINT64_MAX, 0xffffffff, 0xffffffff00000000ULL, 0xff00ff, 0x1,
    };

    memset(mask, 0, sizeof *mask);
    for (int i = 0; i < N_USED_WORDS; i++) {
        if (rnd(3) == 0) {
            mask->w[used_words[i]] = shapes[rnd(ARRAY_SIZE(shapes))];
        }
    }
}

/* A key that matches 'r': random, then r's bits where r's mask has them. */
static void
key_for_rule(struct dp_key *key, const struct ref_rule *r)
{
    random_key(key);
    for (int i = 0; i < N_USED_WORDS; i++) {
        unsigned int w = used_words[i];
        set_word(key, w, (key->w[w] & ~r->mask.w[w]) | r->key.w[w]);
    }
}

static bool
ref_matches(const struct ref_rule *r, const struct dp_key *key)
{
    return r->rule && dp_key_matches(key, &r->key, &r->mask);
}

static bool
same_mask(const struct dp_key_mask *a, const struct dp_key_mask *b)
{
    return !memcmp(a, b, sizeof *a);
}

/* Checks one lookup result against the rules: with overlapping rules any
 * match will do, NULL only if none matches. */
static void
check_result(struct ref_rule *rules, size_t n, const struct dp_key *key,
             struct dpcls_rule *got)
{
    bool any = false;

    for (size_t i = 0; i < n; i++) {
        if (ref_matches(&rules[i], key)) {
            any = true;
            if (got == rules[i].rule) {
                return;
            }
        }
    }
    if (any || got) {
        fprintf(stderr, "lookup: got %p, %s rule matches\n", (void *) got,
                any ? "a" : "no");
        failures++;
    }
}

static size_t
count_masks(const struct ref_rule *rules, size_t n)
{
    size_t n_masks = 0;

    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        if (!rules[i].rule) {
            continue;
        }
        for (size_t j = 0; j < i && !seen; j++) {
            seen = rules[j].rule && same_mask(&rules[i].mask, &rules[j].mask);
        }
        n_masks += !seen;
    }
    return n_masks;
}

static bool
install(struct dpcls *cls, struct ref_rule *rules, size_t n, size_t i)
{
    struct ref_rule *r = &rules[i];
    bool dup = false;

    for (size_t j = 0; j < n; j++) {
        dup |= (j != i && rules[j].rule
                && same_mask(&rules[j].mask, &r->mask)
                && dp_key_matches(&rules[j].key, &r->key, &r->mask));
    }
    r->rule = dpcls_insert(cls, &r->key, &r->mask, r);
    CHECK(!r->rule == dup);
    return r->rule != NULL;
}

static void
lookups(struct dpcls *cls, struct ref_rule *rules, size_t n, int n_keys)
{
    for (int k = 0; k < n_keys; ) {
        const struct dp_key *ptrs[DPCLS_BATCH_MAX];
        struct dp_key keys[DPCLS_BATCH_MAX];
        struct dpcls_rule *got[DPCLS_BATCH_MAX];
        size_t batch = 1 + rnd(DPCLS_BATCH_MAX);
        size_t n_found = 0;

        for (size_t b = 0; b < batch; b++) {
            if (rnd(4)) {
                key_for_rule(&keys[b], &rules[rnd(n)]);
            } else {
                random_key(&keys[b]);
            }
            ptrs[b] = &keys[b];
        }
        if (batch == 1 && rnd(2)) {
            got[0] = dpcls_lookup(cls, &keys[0]);
            n_found = 0;
        } else {
            size_t ret = dpcls_lookup_batch(cls, ptrs, batch, got);
            for (size_t b = 0; b < batch; b++) {
                n_found += got[b] != NULL;
            }
            CHECK(ret == n_found);
        }
        for (size_t b = 0; b < batch; b++) {
            check_result(rules, n, &keys[b], got[b]);
        }
        k += batch;
    }
}

static void
test_classifier_random(void)
{
    enum { N_RULES = 400 };
    struct ref_rule *rules = xcalloc(N_RULES, sizeof *rules);
    struct dpcls *cls = dpcls_create();
    size_t n_live = 0;

    init_words();
    for (size_t i = 0; i < N_RULES; i++) {
        struct dp_key key;
        random_mask(&rules[i].mask);
        random_key(&key);
        rules[i].key = key;
        for (unsigned int w = 0; w < DP_KEY_WORDS; w++) {
            set_word(&rules[i].key, w, key.w[w] & rules[i].mask.w[w]);
        }
        n_live += install(cls, rules, N_RULES, i);
    }
    CHECK(dpcls_count(cls) == n_live);
    CHECK(dpcls_n_subtables(cls) == count_masks(rules, N_RULES));
    lookups(cls, rules, N_RULES, 5000);

    for (int round = 0; round < 20; round++) {
        /* Remove about a third, look up, put most back, look up. */
        for (size_t i = 0; i < N_RULES; i++) {
            if (rules[i].rule && rnd(3) == 0) {
                dpcls_remove(cls, rules[i].rule);
                rules[i].rule = NULL;
                n_live--;
            }
        }
        CHECK(dpcls_count(cls) == n_live);
        CHECK(dpcls_n_subtables(cls) == count_masks(rules, N_RULES));
        lookups(cls, rules, N_RULES, 1000);
        if (round % 3 == 0) {
            dpcls_rerank(cls);
        }
        for (size_t i = 0; i < N_RULES; i++) {
            if (!rules[i].rule && rnd(4)) {
                n_live += install(cls, rules, N_RULES, i);
            }
        }
        CHECK(dpcls_count(cls) == n_live);
        lookups(cls, rules, N_RULES, 1000);
    }

    /* The match a rule reports is the one installed. */
    for (size_t i = 0; i < N_RULES; i++) {
        if (rules[i].rule) {
            struct dp_key key;
            struct dp_key_mask mask;
            dpcls_rule_get_match(rules[i].rule, &key, &mask);
            CHECK(dp_key_equal(&key, &rules[i].key));
            CHECK(same_mask(&mask, &rules[i].mask));
            CHECK(dpcls_rule_data(rules[i].rule) == &rules[i]);
        }
    }

    struct dpcls_stats stats;
    dpcls_get_stats(cls, &stats);
    CHECK(stats.n_lookups > 0 && stats.n_hits <= stats.n_lookups);

    /* Emptying it leaves no subtables. */
    for (size_t i = 0; i < N_RULES; i++) {
        if (rules[i].rule) {
            dpcls_remove(cls, rules[i].rule);
            rules[i].rule = NULL;
        }
    }
    CHECK(dpcls_count(cls) == 0);
    CHECK(dpcls_n_subtables(cls) == 0);
    dpcls_destroy(cls);
    free(rules);
}

/* Non-overlapping megaflows, as translation installs them: the lookup
 * result is exactly the reference's, in any subtable order. */
static void
test_classifier_exact(void)
{
    enum { N_MASKS = 20, PER_MASK = 50 };
    struct ref_rule *rules = xcalloc(N_MASKS * PER_MASK, sizeof *rules);
    struct dpcls *cls = dpcls_create();
    struct dp_key_mask masks[N_MASKS];
    unsigned int n_base = dp_key_n_base_words();
    size_t n = 0;

    /* Word 0 (in_port's) fully masked in every mask and distinct per mask
     * keeps megaflows of different masks apart; within a mask keys are
     * distinct. */
    for (int m = 0; m < N_MASKS; m++) {
        memset(&masks[m], 0, sizeof masks[m]);
        masks[m].w[0] = UINT64_MAX;
        for (int k = 0; k < 1 + m % 4; k++) {
            masks[m].w[1 + rnd(n_base - 1)] = rnd64() | 1;
        }
        if (m % 5 == 0) {
            masks[m].w[DP_KEY_MD_OFS + rnd(DP_KEY_MD_WORDS)] = UINT64_MAX;
        }
        for (int r = 0; r < PER_MASK; r++) {
            struct ref_rule *rr = &rules[n];
            struct flow flow;
            memset(&rr->key, 0, sizeof rr->key);
            memset(&flow, 0, sizeof flow);
            dp_key_from_flow(&rr->key, &flow);
            rr->mask = masks[m];
            for (unsigned int w = 0; w < DP_KEY_WORDS; w++) {
                set_word(&rr->key, w, rnd64() & masks[m].w[w]);
            }
            set_word(&rr->key, 0, m + 1);
            if (install(cls, rules, n + 1, n)) {
                n++;
            }
        }
    }
    CHECK(dpcls_n_subtables(cls) == N_MASKS);

    for (int pass = 0; pass < 3; pass++) {
        for (int iter = 0; iter < 4000; iter++) {
            struct ref_rule *want = &rules[rnd(n)];
            struct dp_key key;
            memcpy(&key, &want->key, sizeof key);
            for (unsigned int w = 0; w < DP_KEY_WORDS; w++) {
                if (w < n_base || w >= DP_KEY_MD_OFS) {
                    set_word(&key, w, (rnd64() & ~want->mask.w[w])
                                      | want->key.w[w]);
                }
            }
            CHECK(dpcls_lookup(cls, &key) == want->rule);
        }
        dpcls_rerank(cls);
    }
    dpcls_destroy(cls);
    free(rules);
}

/* Looks up keys[0..n-1] in a batch and one by one: the results agree
 * with each other and with 'want'. */
static void
check_batch(struct dpcls *cls, const struct dp_key keys[], size_t n,
            struct dpcls_rule *const want[])
{
    const struct dp_key *ptrs[DPCLS_BATCH_MAX];
    struct dpcls_rule *got[DPCLS_BATCH_MAX];
    size_t n_want = 0;

    for (size_t i = 0; i < n; i++) {
        ptrs[i] = &keys[i];
        n_want += want[i] != NULL;
    }
    CHECK(dpcls_lookup_batch(cls, ptrs, n, got) == n_want);
    for (size_t i = 0; i < n; i++) {
        CHECK(got[i] == want[i]);
        CHECK(dpcls_lookup(cls, &keys[i]) == want[i]);
    }
}

/* Batch lookups agree with single lookups and with the reference, for
 * masks of 1 to 12 words (each specialised width and the generic one),
 * hits and misses mixed in one batch, batches of every size, while
 * re-ranking under traffic skewed to a different mask each round
 * reorders the subtables, and after removals. */
static void
test_classifier_batch(void)
{
    enum { N_MASKS = 12, PER_MASK = 40, N_FIXED = 256 };
    struct ref_rule *rules = xcalloc(N_MASKS * PER_MASK, sizeof *rules);
    struct dp_key *fixed = xcalloc(N_FIXED, sizeof *fixed);
    struct dpcls_rule **fixed_want = xcalloc(N_FIXED, sizeof *fixed_want);
    size_t *fixed_rule = xcalloc(N_FIXED, sizeof *fixed_rule);
    struct dpcls *cls = dpcls_create();
    unsigned int n_base = dp_key_n_base_words();
    size_t n = 0;

    /* Mask m covers word 0 (distinct per mask, so megaflows never
     * overlap) and m other words, some partially. */
    for (int m = 0; m < N_MASKS; m++) {
        struct dp_key_mask mask;

        memset(&mask, 0, sizeof mask);
        mask.w[0] = UINT64_MAX;
        for (int k = 0; k < m; k++) {
            unsigned int w = k < 9 ? 1 + (m + 3 * k) % (n_base - 1)
                                   : DP_KEY_MD_OFS + k;
            mask.w[w] = rnd(2) ? UINT64_MAX : rnd64() | 1;
        }
        for (int r = 0; r < PER_MASK; r++) {
            struct ref_rule *rr = &rules[n];
            struct flow flow;

            memset(&flow, 0, sizeof flow);
            dp_key_from_flow(&rr->key, &flow);
            rr->mask = mask;
            for (unsigned int w = 0; w < DP_KEY_WORDS; w++) {
                set_word(&rr->key, w, rnd64() & mask.w[w]);
            }
            set_word(&rr->key, 0, m + 1);
            if (install(cls, rules, n + 1, n)) {
                n++;
            }
        }
    }
    CHECK(dpcls_n_subtables(cls) == N_MASKS);

    /* Keys of rules (random where the mask does not look), or misses: an
     * in_port word that no mask has. */
    for (size_t i = 0; i < N_FIXED; i++) {
        size_t r = rnd(n);
        memcpy(&fixed[i], &rules[r].key, sizeof fixed[i]);
        for (unsigned int w = 0; w < DP_KEY_WORDS; w++) {
            if (w < n_base || w >= DP_KEY_MD_OFS) {
                set_word(&fixed[i], w, (rnd64() & ~rules[r].mask.w[w])
                                       | rules[r].key.w[w]);
            }
        }
        if (rnd(4) == 0) {
            set_word(&fixed[i], 0, N_MASKS + 1 + rnd(100));
            fixed_want[i] = NULL;
        } else {
            fixed_want[i] = rules[r].rule;
        }
        fixed_rule[i] = r;
    }

    for (int round = 0; round < 2 * N_MASKS; round++) {
        /* Every batch size, at every offset class. */
        for (size_t size = 1; size <= DPCLS_BATCH_MAX; size++) {
            size_t start = rnd(N_FIXED - size + 1);
            check_batch(cls, &fixed[start], size, &fixed_want[start]);
        }

        /* Traffic to one mask only, then a re-rank: that mask's subtable
         * moves to the front. */
        int hot = round % N_MASKS;
        for (int k = 0; k < 64; k++) {
            size_t i = rnd(N_FIXED);
            if (fixed_want[i] && fixed[i].w[0] == (uint64_t) hot + 1) {
                CHECK(dpcls_lookup(cls, &fixed[i]) == fixed_want[i]);
            }
        }
        dpcls_rerank(cls);

        /* Halfway, remove every third rule: its keys miss from now on. */
        if (round == N_MASKS) {
            for (size_t r = 0; r < n; r += 3) {
                dpcls_remove(cls, rules[r].rule);
                rules[r].rule = NULL;
            }
            for (size_t i = 0; i < N_FIXED; i++) {
                if (fixed_want[i] && !rules[fixed_rule[i]].rule) {
                    fixed_want[i] = NULL;
                }
            }
        }
    }

    dpcls_destroy(cls);
    free(fixed_rule);
    free(fixed_want);
    free(fixed);
    free(rules);
}

/* Many megaflows of one 32-bit mask, so that some pairs share the 32-bit
 * hash of their masked keys (with 200,000 rules, almost surely): a key
 * whose probe meets the other rule of its pair first must go on along
 * the probe run to its own. */
static void
test_classifier_collisions(void)
{
    enum { N = 200000 };
    struct dpcls_rule **rules = xcalloc(N, sizeof *rules);
    struct dpcls *cls = dpcls_create();
    struct dp_key_mask mask;
    struct dp_key key;
    struct flow flow;

    memset(&mask, 0, sizeof mask);
    mask.w[1] = 0xffffffff;
    memset(&flow, 0, sizeof flow);
    dp_key_from_flow(&key, &flow);
    for (size_t i = 0; i < N; i++) {
        set_word(&key, 1, i * 0x9e3779b1 + 1);
        rules[i] = dpcls_insert(cls, &key, &mask, &rules[i]);
        CHECK(rules[i] != NULL);
    }
    for (size_t i = 0; i < N; i += DPCLS_BATCH_MAX) {
        struct dp_key keys[DPCLS_BATCH_MAX];

        for (size_t b = 0; b < DPCLS_BATCH_MAX; b++) {
            memcpy(&keys[b], &key, sizeof key);
            /* Random upper half: the mask does not look at it. */
            set_word(&keys[b], 1, (rnd64() << 32) | (uint32_t) ((i + b)
                                                    * 0x9e3779b1 + 1));
        }
        check_batch(cls, keys, DPCLS_BATCH_MAX, &rules[i]);
    }
    dpcls_destroy(cls);
    free(rules);
}

/* ---- Keys straight from packets. ---- */

/* A random frame of one of many shapes: the common ones dp_key_extract()
 * parses itself, the rarer ones it hands to flow_extract(), each with or
 * without a VLAN tag, and then maybe cut short or with a byte changed, so
 * that both paths see malformed headers too.  Returns the length. */
static size_t
random_frame(uint8_t *f, size_t size)
{
    static const uint8_t protos[] = {
        6, 17, 1, 132, 47, 58, 0, 43, 44, 60,
    };
    size_t len = 0, l3;
    uint8_t proto = protos[rnd(ARRAY_SIZE(protos))];
    int shape = rnd(6);

    random_bytes(f, size);
    len = 12;
    if (rnd(3) == 0) {
        f[len++] = 0x81, f[len++] = 0x00;
        len += 2;
    }
    l3 = len + 2;
    if (shape <= 2) {
        /* IPv4: options sometimes, fragments sometimes. */
        size_t hlen = rnd(4) ? 20 : 24 + 4 * rnd(4);
        size_t l4_len = 8 + rnd(40);
        uint16_t frag = rnd(3) ? 0 : (rnd(2) ? 0x2000 : 0) | rnd(3) * 100;

        f[len++] = 0x08, f[len++] = 0x00;
        f[l3] = 0x40 | hlen / 4;
        f[l3 + 2] = (hlen + l4_len) >> 8;
        f[l3 + 3] = hlen + l4_len;
        f[l3 + 6] = frag >> 8;
        f[l3 + 7] = frag;
        f[l3 + 9] = proto == 58 ? 1 : proto;
        if (proto == 6) {
            f[l3 + hlen + 12] = (5 + rnd(3)) << 4 | rnd(16);
        }
        len = l3 + hlen + l4_len + rnd(2) * rnd(20);   /* Padding. */
    } else if (shape <= 4) {
        /* IPv6, extension headers sometimes. */
        size_t plen = 8 + rnd(60);

        f[len++] = 0x86, f[len++] = 0xdd;
        f[l3] = 0x60 | (f[l3] & 0x0f);
        f[l3 + 4] = plen >> 8;
        f[l3 + 5] = plen;
        f[l3 + 6] = proto;
        if (proto == 0 || proto == 43 || proto == 60) {
            f[l3 + 40] = 6;
            f[l3 + 41] = 0;
        } else if (proto == 44) {
            f[l3 + 40] = 17;
        } else if (proto == 6) {
            f[l3 + 40 + 12] = (5 + rnd(2)) << 4;
        }
        len = l3 + 40 + plen;
    } else {
        /* ARP, MPLS, 802.3 or anything. */
        static const uint16_t types[] = { 0x0806, 0x8847, 0x0040, 0x88cc };
        uint16_t type = types[rnd(ARRAY_SIZE(types))];

        f[len++] = type >> 8, f[len++] = type;
        len += rnd(60);
    }

    if (rnd(8) == 0) {
        f[rnd(len)] ^= 1 << rnd(8);
    }
    if (rnd(8) == 0) {
        len = rnd(len + 1);
    }
    return XVS_MIN(len, size);
}

static void
test_key_extract(void)
{
    for (int i = 0; i < 100000; i++) {
        uint8_t frame[256];
        size_t len = random_frame(frame, sizeof frame);
        uint32_t in_port = rnd(3) ? 1 + rnd(100) : rnd64();
        struct dp_key fast, slow;
        struct flow flow;

        memset(&fast, 0x5a, sizeof fast);
        dp_key_extract(&fast, frame, len, in_port);
        flow_extract(frame, len, in_port, &flow);
        dp_key_from_flow(&slow, &flow);
        CHECK(dp_key_equal(&fast, &slow));
        CHECK(!memcmp(&fast.w[DP_KEY_MD_OFS], &slow.w[DP_KEY_MD_OFS],
                      DP_KEY_MD_WORDS * 8));
        check_map(&fast);
    }
}

/* ---- Exact-match cache. ---- */

static void
test_emc(void)
{
    enum { N = 64 };
    struct dpcls *cls = dpcls_create();
    struct dp_emc *emc = dp_emc_create(1024);
    struct dpcls_rule *rules[N];
    struct dp_key keys[N];
    struct dp_key_mask mask;
    struct dp_emc_stats stats;
    struct flow flow;

    CHECK(dp_emc_n_entries(emc) == 1024);
    memset(&flow, 0, sizeof flow);
    memset(&mask, 0, sizeof mask);
    mask.w[0] = UINT64_MAX;
    for (int i = 0; i < N; i++) {
        flow.in_port = i + 1;
        flow.nw_src = 0x0a000000 + i;
        dp_key_from_flow(&keys[i], &flow);
        rules[i] = dpcls_insert(cls, &keys[i], &mask, &keys[i]);
        CHECK(rules[i] != NULL);
    }

    /* Insertion off: nothing gets in. */
    dp_emc_set_insert_inv_prob(emc, 0);
    for (int i = 0; i < N; i++) {
        uint32_t hash = dp_key_hash(&keys[i], 0);
        CHECK(!dp_emc_lookup(emc, &keys[i], hash));
        dp_emc_probabilistic_insert(emc, &keys[i], hash, rules[i]);
    }
    CHECK(dp_emc_count(emc) == 0);

    /* Always: everything hits afterwards. */
    dp_emc_set_insert_inv_prob(emc, 1);
    for (int i = 0; i < N; i++) {
        uint32_t hash = dp_key_hash(&keys[i], 0);
        dp_emc_probabilistic_insert(emc, &keys[i], hash, rules[i]);
    }
    for (int i = 0; i < N; i++) {
        CHECK(dp_emc_lookup(emc, &keys[i], dp_key_hash(&keys[i], 0))
              == rules[i]);
    }
    dp_emc_get_stats(emc, &stats);
    CHECK(stats.n_hits == N);

    /* A key differing in one bit misses, even with the same hash. */
    struct dp_key other = keys[0];
    other.w[0] ^= UINT64_C(1) << 40;
    other.map[0] |= 1;
    CHECK(!dp_emc_lookup(emc, &other, dp_key_hash(&keys[0], 0)));

    /* Removing a megaflow invalidates its cache entries: the lookup
     * misses (an ASan build would catch a use of freed memory). */
    for (int i = 0; i < N; i += 2) {
        dpcls_remove(cls, rules[i]);
    }
    for (int i = 0; i < N; i++) {
        struct dpcls_rule *got = dp_emc_lookup(emc, &keys[i],
                                               dp_key_hash(&keys[i], 0));
        CHECK(got == (i % 2 ? rules[i] : NULL));
    }
    CHECK(dp_emc_count(emc) == N / 2);

    /* Removed megaflows nobody asks for go at the next sweep. */
    for (int i = 1; i < N; i += 4) {
        dpcls_remove(cls, rules[i]);
    }
    dp_emc_sweep(emc, 512);
    dp_emc_sweep(emc, 512);
    CHECK(dp_emc_count(emc) == N / 4);

    /* Probability 1/100: about one in a hundred offers gets in. */
    dp_emc_flush(emc);
    dp_emc_set_insert_inv_prob(emc, 100);
    dp_emc_get_stats(emc, &stats);
    uint64_t before = stats.n_inserts;
    for (int i = 0; i < 100000; i++) {
        int k = 3 + 4 * (i % (N / 4));
        dp_emc_probabilistic_insert(emc, &keys[k], dp_key_hash(&keys[k], 0),
                                    rules[k]);
    }
    dp_emc_get_stats(emc, &stats);
    CHECK(stats.n_inserts - before >= 800 && stats.n_inserts - before <= 1200);

    /* A tiny cache under many keys: evictions, never a wrong rule. */
    struct dp_emc *tiny = dp_emc_create(4);
    dp_emc_set_insert_inv_prob(tiny, 1);
    for (int i = 0; i < 10000; i++) {
        int k = 3 + 4 * rnd(N / 4);
        uint32_t hash = dp_key_hash(&keys[k], 0);
        struct dpcls_rule *got = dp_emc_lookup(tiny, &keys[k], hash);
        CHECK(!got || got == rules[k]);
        if (!got) {
            dp_emc_insert(tiny, &keys[k], hash, rules[k]);
        }
    }
    CHECK(dp_emc_count(tiny) <= 4);

    /* The classifier goes first: the caches hold the last references. */
    dpcls_destroy(cls);
    for (int k = 3; k < N; k += 4) {
        CHECK(!dp_emc_lookup(tiny, &keys[k], dp_key_hash(&keys[k], 0)));
    }
    dp_emc_destroy(tiny);
    dp_emc_destroy(emc);
}

/* Keys with tunnel options are cached too, and options tell keys apart. */
static void
test_emc_options(void)
{
    struct dpcls *cls = dpcls_create();
    struct dp_emc *emc = dp_emc_create(0);
    struct dp_key_mask mask;
    struct dp_key a, b;
    struct flow flow;

    CHECK(dp_emc_n_entries(emc) == DP_EMC_DEFAULT_ENTRIES);
    memset(&flow, 0, sizeof flow);
    flow.in_port = 1;
    flow.tunnel.md_present = 1;
    flow.tunnel.md[0] = 0xaa;
    dp_key_from_flow(&a, &flow);
    flow.tunnel.md[200] = 0xbb;
    dp_key_from_flow(&b, &flow);
    CHECK(!dp_key_equal(&a, &b));

    memset(&mask, 0, sizeof mask);
    mask.w[0] = UINT64_MAX;
    struct dpcls_rule *rule = dpcls_insert(cls, &a, &mask, NULL);
    CHECK(dpcls_lookup(cls, &b) == rule);
    dp_emc_insert(emc, &a, dp_key_hash(&a, 0), rule);
    CHECK(dp_emc_lookup(emc, &a, dp_key_hash(&a, 0)) == rule);
    CHECK(!dp_emc_lookup(emc, &b, dp_key_hash(&a, 0)));
    CHECK(!dp_emc_lookup(emc, &b, dp_key_hash(&b, 0)));

    /* A key with more non-zero words than an entry holds is not cached;
     * the classifier still finds it. */
    memset(flow.tunnel.md, 0x5a, sizeof flow.tunnel.md);
    flow.dl_type = 0x0008;
    dp_key_from_flow(&b, &flow);
    CHECK(__builtin_popcountll(b.map[0]) + __builtin_popcountll(b.map[1])
          > DP_EMC_MAX_WORDS);
    CHECK(dpcls_lookup(cls, &b) == rule);
    dp_emc_insert(emc, &b, dp_key_hash(&b, 0), rule);
    CHECK(dp_emc_count(emc) == 1);
    CHECK(!dp_emc_lookup(emc, &b, dp_key_hash(&b, 0)));
    dpcls_destroy(cls);
    dp_emc_destroy(emc);
}

static const struct {
    const char *name;
    void (*run)(void);
} cases[] = {
    { "key-roundtrip", test_key_roundtrip },
    { "key-extract", test_key_extract },
    { "mask-roundtrip", test_mask_roundtrip },
    { "classifier-random", test_classifier_random },
    { "classifier-exact", test_classifier_exact },
    { "classifier-batch", test_classifier_batch },
    { "classifier-collisions", test_classifier_collisions },
    { "emc", test_emc },
    { "emc-options", test_emc_options },
};

int
main(int argc, char *argv[])
{
    xvs_set_program_name(argv[0]);
    if (argc < 2 || argc > 3) {
        xvs_fatal(0, "usage: %s CASE [SEED]", program_name);
    }
    if (argc == 3) {
        unsigned long long seed;
        if (!str_to_ullong(argv[2], 0, &seed) || !seed) {
            xvs_fatal(0, "bad seed \"%s\"", argv[2]);
        }
        rng_state = seed;
    }
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        if (!strcmp(cases[i].name, argv[1])) {
            cases[i].run();
            return failures ? 1 : 0;
        }
    }
    xvs_fatal(0, "unknown case \"%s\"", argv[1]);
}
