/* dp-key: the datapath's packed flow key, laid out from the field
 * registry.  See dp-key.h for the layout. */
#include <config.h>
#include "dp-key.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "flow-extract.h"
#include "meta-flow.h"
#include "packets.h"

_Static_assert(FLOW_KEY_LEN % 8 == 0, "struct flow key is whole words");
_Static_assert(offsetof(struct flow, tunnel.md) % 8 == 0,
               "option space is word aligned");
_Static_assert(DP_KEY_BASE_MAX <= 64, "base words fit map[0]");
_Static_assert(DP_KEY_BASE_MAX % 2 == 0 && DP_KEY_MD_WORDS % 2 == 0,
               "zero_words() clears pairs of words");
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
    /* The inverse: the base word of flow word w, for dp_key_extract(). */
    uint8_t base_word[FLOW_KEY_LEN / 8];
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
            layout.base_word[w] = layout.n_base;
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

/* Clears 'n' words (an even number) from 'w'.  Per packet, so not
 * memset(): GCC expands a memset of the option words' constant size to
 * "rep stos", whose start-up alone cost a third of dp_key_extract(), and
 * a memset of the base words' variable size is a call. */
static inline void
zero_words(uint64_t *w, size_t n)
{
#ifdef __SSE2__
    for (size_t i = 0; i < n; i += 2) {
        _mm_storeu_si128((__m128i *) &w[i], _mm_setzero_si128());
        /* Keeps GCC from turning the stores back into a memset. */
        __asm__("" : : "r"(w) : "memory");
    }
#else
    memset(w, 0, n * sizeof *w);
#endif
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
        zero_words(&key->w[DP_KEY_MD_OFS], DP_KEY_MD_WORDS);
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

/* ---- Straight from the packet. ----
 *
 * The common packets (Ethernet, at most one 802.1Q tag, then IPv4 with
 * any protocol, or IPv6 without extension headers, with TCP, UDP or
 * ICMP) are parsed here, each field written to where dp_key_from_flow()
 * would put it; every other packet, and every packet that is short or
 * malformed anywhere, goes through flow_extract() and dp_key_from_flow(),
 * which define the result.  So the two paths agree by construction on
 * the packets handed over, and test-dpcls compares them on the rest. */

/* Writes the 'n' bytes at 'src' (all within one word) to where byte 'ofs'
 * of 'struct flow' lies in 'key'.  A word of a key that starts zeroed is
 * non-zero if and only if something non-zero was written to it, so this
 * builds key->map[0] as it goes, from the value in a register: reading
 * the words back afterwards stalled on every word written a few bytes at
 * a time. */
static inline __attribute__((always_inline)) void
put_chunk(struct dp_key *key, size_t ofs, const uint8_t *src, size_t n)
{
    unsigned int w = layout.base_word[ofs / 8];
    uint64_t any = 0;

    /* The OR of loads of 8, 4, 2, 1 bytes as 'n' has them: gathering a
     * 6-byte value into one register went through the stack. */
    if (n & 8) {
        uint64_t x;
        memcpy(&x, src, 8);
        any |= x;
    }
    if (n & 4) {
        uint32_t x;
        memcpy(&x, src + (n & 8), 4);
        any |= x;
    }
    if (n & 2) {
        uint16_t x;
        memcpy(&x, src + (n & 12), 2);
        any |= x;
    }
    if (n & 1) {
        any |= src[n & 14];
    }
    memcpy((uint8_t *) &key->w[w] + ofs % 8, src, n);
    key->map[0] |= (uint64_t) (any != 0) << w;
}

/* Writes the 'n' bytes at 'src' as the member of 'struct flow' at byte
 * 'ofs'.  Members are at most 16 bytes, so they span at most three words;
 * 'ofs' and 'n' are constants, so every size below is one too. */
static inline __attribute__((always_inline)) void
put_member(struct dp_key *key, size_t ofs, const void *src, size_t n)
{
    const uint8_t *p = src;
    size_t first = XVS_MIN(n, 8 - ofs % 8);

    put_chunk(key, ofs, p, first);
    if (n > first) {
        size_t second = XVS_MIN(n - first, 8);

        put_chunk(key, ofs + first, p + first, second);
        if (n > first + second) {
            put_chunk(key, ofs + first + second, p + first + second,
                      n - first - second);
        }
    }
}

#define PUT(KEY, MEMBER, SRC)                                           \
    put_member(KEY, offsetof(struct flow, MEMBER), SRC,                 \
               sizeof ((struct flow *) 0)->MEMBER)

static inline uint16_t
be16_at(const uint8_t *p)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
}

/* The L4 fields of TCP, UDP or ICMP at 'l4', 'left' bytes long.
 * Returns false for any other protocol and for headers cut short, which
 * the slow path decides. */
static bool
extract_l4(struct dp_key *key, uint8_t proto, const uint8_t *l4,
           size_t left)
{
    if (proto == IPPROTO_TCP) {
        uint16_t ctl, flags;
        size_t hlen;

        if (left < TCP_HEADER_LEN) {
            return false;
        }
        ctl = ntohs(be16_at(l4 + 12));
        hlen = (ctl >> 12) * 4;
        if (hlen < TCP_HEADER_LEN || hlen > left) {
            return false;
        }
        flags = htons(ctl & TCP_FLAGS_MASK);
        PUT(key, tp_src, l4);
        PUT(key, tp_dst, l4 + 2);
        PUT(key, tcp_flags, &flags);
    } else if (proto == IPPROTO_UDP) {
        if (left < UDP_HEADER_LEN) {
            return false;
        }
        PUT(key, tp_src, l4);
        PUT(key, tp_dst, l4 + 2);
    } else if (proto == IPPROTO_ICMP) {
        uint16_t type, code;

        if (left < ICMP_HEADER_LEN) {
            return false;
        }
        type = htons(l4[0]);
        code = htons(l4[1]);
        PUT(key, tp_src, &type);
        PUT(key, tp_dst, &code);
    } else {
        return false;
    }
    return true;
}

static bool
extract_ipv4(struct dp_key *key, const uint8_t *ip, size_t left)
{
    size_t hlen, tot_len;
    uint16_t frag;
    uint8_t nw_frag = 0;

    if (left < IP_HEADER_LEN || ip[0] >> 4 != IP_VERSION) {
        return false;
    }
    hlen = (ip[0] & 0x0f) * 4;
    tot_len = ntohs(be16_at(ip + 2));
    if (hlen < IP_HEADER_LEN || tot_len < hlen || tot_len > left) {
        return false;
    }
    frag = ntohs(be16_at(ip + 6));
    if (frag & (IP_MORE_FRAGMENTS | IP_FRAG_OFF_MASK)) {
        nw_frag = FLOW_NW_FRAG_ANY;
        if (frag & IP_FRAG_OFF_MASK) {
            nw_frag |= FLOW_NW_FRAG_LATER;
        }
    }
    if (!(nw_frag & FLOW_NW_FRAG_LATER)
        && !extract_l4(key, ip[9], ip + hlen, tot_len - hlen)
        && (ip[9] == IPPROTO_TCP || ip[9] == IPPROTO_UDP
            || ip[9] == IPPROTO_ICMP || ip[9] == IPPROTO_SCTP)) {
        /* A protocol with L4 fields that the fast path does not parse,
         * or a short header: the slow path knows what to leave zero. */
        return false;
    }
    PUT(key, nw_src, ip + 12);
    PUT(key, nw_dst, ip + 16);
    PUT(key, nw_proto, ip + 9);
    PUT(key, nw_tos, ip + 1);
    PUT(key, nw_ttl, ip + 8);
    PUT(key, nw_frag, &nw_frag);
    return true;
}

static bool
extract_ipv6(struct dp_key *key, const uint8_t *ip6, size_t left)
{
    uint32_t vtc, label;
    size_t plen;
    uint8_t tos;

    if (left < IPV6_HEADER_LEN) {
        return false;
    }
    memcpy(&vtc, ip6, 4);
    vtc = ntohl(vtc);
    plen = ntohs(be16_at(ip6 + 4));
    if (vtc >> 28 != 6 || plen > left - IPV6_HEADER_LEN
        || (ip6[6] != IPPROTO_TCP && ip6[6] != IPPROTO_UDP)
        || !extract_l4(key, ip6[6], ip6 + IPV6_HEADER_LEN, plen)) {
        return false;
    }
    label = htonl(vtc & 0xfffff);
    tos = vtc >> 20;
    PUT(key, ipv6_src, ip6 + 8);
    PUT(key, ipv6_dst, ip6 + 24);
    PUT(key, ipv6_label, &label);
    PUT(key, nw_tos, &tos);
    PUT(key, nw_ttl, ip6 + 7);
    PUT(key, nw_proto, ip6 + 6);
    return true;
}

/* The fast path; false if the packet is for the slow path (the key is
 * then garbage). */
static bool
extract_common(struct dp_key *key, const uint8_t *p, size_t len,
               uint32_t in_port)
{
    size_t l3 = 2 * ETH_ADDR_LEN + 2;
    uint16_t type, tci;
    bool ok;

    if (len < l3) {
        return false;
    }
    type = be16_at(p + 2 * ETH_ADDR_LEN);
    if (type == htons(ETH_TYPE_VLAN)) {
        if (len < l3 + 4) {
            return false;
        }
        tci = be16_at(p + l3) | htons(VLAN_CFI);
        type = be16_at(p + l3 + 2);
        PUT(key, vlan_tci, &tci);
        l3 += 4;
    }
    if (type == htons(ETH_TYPE_IP)) {
        ok = extract_ipv4(key, p + l3, len - l3);
    } else if (type == htons(ETH_TYPE_IPV6)) {
        ok = extract_ipv6(key, p + l3, len - l3);
    } else {
        ok = false;
    }
    if (ok) {
        PUT(key, in_port, &in_port);
        PUT(key, dl_dst, p);
        PUT(key, dl_src, p + ETH_ADDR_LEN);
        PUT(key, dl_type, &type);
    }
    return ok;
}

void
dp_key_extract(struct dp_key *key, const void *packet, size_t len,
               uint32_t in_port)
{
    ensure_layout();
    zero_words(key->w, (layout.n_base + 1) & ~1u);
    key->map[0] = 0;
    if (!extract_common(key, packet, len, in_port)) {
        struct flow flow;

        flow_extract(packet, len, in_port, &flow);
        dp_key_from_flow(key, &flow);
        return;
    }
    key->map[1] = 0;
    zero_words(&key->w[DP_KEY_MD_OFS], DP_KEY_MD_WORDS);
}
