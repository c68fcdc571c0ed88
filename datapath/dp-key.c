/* dp-key: the datapath's packed flow key, laid out from the field
 * registry.  See dp-key.h for the layout. */
#include <config.h>
#include "dp-key.h"

#include <pthread.h>
#include <string.h>
#include "meta-flow.h"

_Static_assert(FLOW_KEY_LEN % 8 == 0, "struct flow key is whole words");
_Static_assert(offsetof(struct flow, tunnel.md) % 8 == 0,
               "option space is word aligned");
_Static_assert(DP_KEY_BASE_MAX <= 64, "base words fit map[0]");
_Static_assert(DP_KEY_MD_WORDS <= 64, "option words fit map[1]");

#define MD_WORD0 (offsetof(struct flow, tunnel.md) / 8)

/* Fields of the OpenFlow pipeline, not of the packet: translation reads
 * and writes them, but they are gone by the time a packet reaches the
 * datapath, so no megaflow matches them. */
static const struct {
    enum mf_field_id first, last;
} pipeline_only[] = {
    { MFF_METADATA, MFF_METADATA },
    { MFF_REG0, MFF_REG15 },
    { MFF_XREG0, MFF_XREG7 },
    { MFF_XXREG0, MFF_XXREG3 },
    { MFF_CONJ_ID, MFF_CONJ_ID },
    { MFF_ACTSET_OUTPUT, MFF_ACTSET_OUTPUT },
};

/* Members the datapath keys on that no registry row names: which options
 * are present (the rows of tun_metadataN name only the option space), and
 * the label stack entries under the outermost, which a pop_mpls exposes. */
static const struct {
    size_t ofs, size;
} extra_members[] = {
    { offsetof(struct flow, tunnel.md_present),
      sizeof(((struct flow *) 0)->tunnel.md_present) },
    { offsetof(struct flow, mpls_lse),
      sizeof(((struct flow *) 0)->mpls_lse) },
};

/* Base word i of a key is word 'flow_word[i]' of 'struct flow', with only
 * the bits of 'keep[i]' (the datapath fields' bytes). */
static struct {
    unsigned int n_base;
    uint16_t flow_word[DP_KEY_BASE_MAX];
    uint64_t keep[DP_KEY_BASE_MAX];
} layout;
static bool layout_ready;
static pthread_once_t layout_once = PTHREAD_ONCE_INIT;

static bool
is_pipeline_only(enum mf_field_id id)
{
    for (size_t i = 0; i < ARRAY_SIZE(pipeline_only); i++) {
        if (id >= pipeline_only[i].first && id <= pipeline_only[i].last) {
            return true;
        }
    }
    return false;
}

static void
mark_bytes(uint8_t *keep, size_t ofs, size_t size)
{
    memset(keep + ofs, 0xff, size);
}

static void
layout_init(void)
{
    uint8_t keep[FLOW_KEY_LEN];

    memset(keep, 0, sizeof keep);
    for (size_t i = 0; i < MFF_N_IDS; i++) {
        const struct mf_field *mf = &mf_fields[i];
        if (!mf_is_tun_md(mf) && !is_pipeline_only(mf->id)) {
            mark_bytes(keep, mf->flow_ofs, mf->flow_size);
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(extra_members); i++) {
        mark_bytes(keep, extra_members[i].ofs, extra_members[i].size);
    }

    for (size_t w = 0; w < FLOW_KEY_LEN / 8; w++) {
        uint64_t bits;

        if (w >= MD_WORD0 && w < MD_WORD0 + DP_KEY_MD_WORDS) {
            continue;
        }
        memcpy(&bits, &keep[w * 8], 8);
        if (bits) {
            layout.flow_word[layout.n_base] = w;
            layout.keep[layout.n_base] = bits;
            layout.n_base++;
        }
    }
    __atomic_store_n(&layout_ready, true, __ATOMIC_RELEASE);
}

static inline void
ensure_layout(void)
{
    if (!__atomic_load_n(&layout_ready, __ATOMIC_ACQUIRE)) {
        pthread_once(&layout_once, layout_init);
    }
}

unsigned int
dp_key_n_base_words(void)
{
    ensure_layout();
    return layout.n_base;
}

bool
dp_key_has_field(const struct mf_field *mf)
{
    return !is_pipeline_only(mf->id);
}

static inline uint64_t
flow_word(const void *flow, size_t w)
{
    uint64_t v;
    memcpy(&v, (const char *) flow + w * 8, 8);
    return v;
}

static inline void
put_flow_word(void *flow, size_t w, uint64_t v)
{
    memcpy((char *) flow + w * 8, &v, 8);
}

void
dp_key_from_flow(struct dp_key *key, const struct flow *flow)
{
    unsigned int n;
    uint64_t map = 0;

    ensure_layout();
    n = layout.n_base;
    for (unsigned int i = 0; i < n; i++) {
        uint64_t v = flow_word(flow, layout.flow_word[i]) & layout.keep[i];
        key->w[i] = v;
        map |= (uint64_t) (v != 0) << i;
    }
    key->map[0] = map;

    map = 0;
    if (flow->tunnel.md_present) {
        for (unsigned int i = 0; i < DP_KEY_MD_WORDS; i++) {
            uint64_t v = flow_word(flow, MD_WORD0 + i);
            key->w[DP_KEY_MD_OFS + i] = v;
            map |= (uint64_t) (v != 0) << i;
        }
    } else {
        /* Zero rather than absent, so a subtable whose mask covers an
         * option reads zeros for packets without one. */
        memset(&key->w[DP_KEY_MD_OFS], 0, DP_KEY_MD_WORDS * 8);
    }
    key->map[1] = map;
}

void
dp_key_to_flow(const struct dp_key *key, struct flow *flow)
{
    ensure_layout();
    memset(flow, 0, sizeof *flow);
    for (unsigned int i = 0; i < layout.n_base; i++) {
        put_flow_word(flow, layout.flow_word[i], key->w[i]);
    }
    for (unsigned int i = 0; i < DP_KEY_MD_WORDS; i++) {
        put_flow_word(flow, MD_WORD0 + i, key->w[DP_KEY_MD_OFS + i]);
    }
}

void
dp_key_mask_from_wc(struct dp_key_mask *mask, const struct flow_wildcards *wc)
{
    ensure_layout();
    memset(mask, 0, sizeof *mask);
    for (unsigned int i = 0; i < layout.n_base; i++) {
        mask->w[i] = flow_word(&wc->masks, layout.flow_word[i])
                     & layout.keep[i];
    }
    for (unsigned int i = 0; i < DP_KEY_MD_WORDS; i++) {
        mask->w[DP_KEY_MD_OFS + i] = flow_word(&wc->masks, MD_WORD0 + i);
    }
}

void
dp_key_mask_to_wc(const struct dp_key_mask *mask, struct flow_wildcards *wc)
{
    ensure_layout();
    memset(wc, 0, sizeof *wc);
    for (unsigned int i = 0; i < layout.n_base; i++) {
        put_flow_word(&wc->masks, layout.flow_word[i], mask->w[i]);
    }
    for (unsigned int i = 0; i < DP_KEY_MD_WORDS; i++) {
        put_flow_word(&wc->masks, MD_WORD0 + i, mask->w[DP_KEY_MD_OFS + i]);
    }
}

bool
dp_key_equal(const struct dp_key *a, const struct dp_key *b)
{
    if (a->map[0] != b->map[0] || a->map[1] != b->map[1]) {
        return false;
    }
    for (uint64_t m = a->map[0]; m; m &= m - 1) {
        unsigned int i = __builtin_ctzll(m);
        if (a->w[i] != b->w[i]) {
            return false;
        }
    }
    for (uint64_t m = a->map[1]; m; m &= m - 1) {
        unsigned int i = DP_KEY_MD_OFS + __builtin_ctzll(m);
        if (a->w[i] != b->w[i]) {
            return false;
        }
    }
    return true;
}

bool
dp_key_matches(const struct dp_key *key, const struct dp_key *masked,
               const struct dp_key_mask *mask)
{
    ensure_layout();
    for (unsigned int i = 0; i < layout.n_base; i++) {
        if ((key->w[i] ^ masked->w[i]) & mask->w[i]) {
            return false;
        }
    }
    for (unsigned int i = DP_KEY_MD_OFS; i < DP_KEY_WORDS; i++) {
        if ((key->w[i] ^ masked->w[i]) & mask->w[i]) {
            return false;
        }
    }
    return true;
}

uint32_t
dp_key_hash(const struct dp_key *key, uint32_t basis)
{
    uint64_t hash = basis;
    unsigned int n = 0;

    for (uint64_t m = key->map[0]; m; m &= m - 1, n++) {
        hash = dp_key_hash_add(hash, key->w[__builtin_ctzll(m)]);
    }
    for (uint64_t m = key->map[1]; m; m &= m - 1, n++) {
        hash = dp_key_hash_add(hash,
                               key->w[DP_KEY_MD_OFS + __builtin_ctzll(m)]);
    }
    hash = dp_key_hash_add(hash, key->map[0]);
    hash = dp_key_hash_add(hash, key->map[1]);
    return dp_key_hash_finish(hash, n);
}
