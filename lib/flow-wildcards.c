/* flow-wildcards: the lookup side of megaflow masks; see flow-wildcards.h. */
#include <config.h>
#include "flow-wildcards.h"

#include <pthread.h>
#include <string.h>
#include "meta-flow.h"

/* For each key byte, the member of 'struct flow' it belongs to. */
struct wc_member {
    uint16_t start;
    uint16_t len;
    bool prefix;        /* An address: unwildcard from the top. */
};

static struct wc_member members[FLOW_KEY_LEN];
static pthread_once_t members_once = PTHREAD_ONCE_INIT;

static bool
is_address_row(const struct mf_field *mf)
{
    return ((mf->string == MFS_IPV4 || mf->string == MFS_IPV6)
            && !(mf->flags & MFF_F_HOST_ORDER));
}

static void
members_init(void)
{
    for (size_t i = 0; i < FLOW_KEY_LEN; i++) {
        members[i] = (struct wc_member) { i, 1, false };
    }
    /* A byte no row covers stays a member of its own; one that rows cover
     * goes to the smallest of them, so 'len' starts out as "unclaimed". */
    uint16_t claimed[FLOW_KEY_LEN] = { 0 };
    for (size_t id = 0; id < MFF_N_IDS; id++) {
        const struct mf_field *mf = mf_from_id(id);
        if (mf_is_tun_md(mf) || !mf->flow_size
            || mf->flow_ofs + mf->flow_size > FLOW_KEY_LEN) {
            continue;
        }
        for (size_t i = mf->flow_ofs; i < mf->flow_ofs + mf->flow_size; i++) {
            if (!claimed[i] || mf->flow_size < claimed[i]) {
                claimed[i] = mf->flow_size;
                members[i] = (struct wc_member) {
                    mf->flow_ofs, mf->flow_size, is_address_row(mf),
                };
            } else if (mf->flow_size == claimed[i]
                       && members[i].start == mf->flow_ofs) {
                members[i].prefix |= is_address_row(mf);
            }
        }
    }
}

void
flow_wc_fold_match(struct flow_wildcards *wc, const struct match *match)
{
    for (size_t i = 0; i < FLOW_KEY_WORDS; i++) {
        uint64_t w = (flow_key_word(&wc->masks, i)
                      | flow_key_word(&match->wc.masks, i));
        memcpy((uint8_t *) &wc->masks + 8 * i, &w, sizeof w);
    }
}

/* The bits of the member 'mb' that tell 'f' apart from the match with
 * value 'mf' and mask 'mm', whose first differing byte in the member is
 * 'first'; into 'need' (indexed like the key). */
static void
member_need(const struct wc_member *mb, size_t first, const uint8_t *f,
            const uint8_t *mf, const uint8_t *mm, uint8_t *need)
{
    if (mb->prefix) {
        memset(need + mb->start, 0, mb->len);
        memset(need + mb->start, 0xff, first - mb->start);
        uint8_t diff = (f[first] & mm[first]) ^ mf[first];
        uint8_t top = 0x80;
        while (!(diff & top)) {
            top >>= 1;
        }
        /* Bits from the most significant down to 'top' inclusive. */
        need[first] = (uint8_t) ~(top - 1);
    } else {
        memcpy(need + mb->start, mm + mb->start, mb->len);
    }
}

static bool
member_covered(const struct wc_member *mb, const uint8_t *need,
               const uint8_t *w)
{
    for (size_t i = mb->start; i < mb->start + mb->len; i++) {
        if (need[i] & ~w[i]) {
            return false;
        }
    }
    return true;
}

void
flow_wc_exclude(struct flow_wildcards *wc, const struct flow *flow,
                const struct match *match)
{
    pthread_once(&members_once, members_init);

    const uint8_t *f = (const uint8_t *) flow;
    const uint8_t *mf = (const uint8_t *) &match->flow;
    const uint8_t *mm = (const uint8_t *) &match->wc.masks;
    uint8_t *w = (uint8_t *) &wc->masks;
    uint8_t need[FLOW_KEY_LEN];
    const struct wc_member *best = NULL;
    size_t best_first = 0;

    for (size_t i = 0; i < FLOW_KEY_LEN; i++) {
        /* Most of the key agrees: skip it a word at a time. */
        if (!(i % 8) && ((flow_key_word(f, i / 8) & flow_key_word(mm, i / 8))
                         == flow_key_word(mf, i / 8))) {
            i += 7;
            continue;
        }
        if ((f[i] & mm[i]) == mf[i]) {
            continue;
        }
        const struct wc_member *mb = &members[i];
        member_need(mb, i, f, mf, mm, need);
        if (member_covered(mb, need, w)) {
            return;
        }
        if (!best) {
            best = mb;
            best_first = i;
        }
        i = mb->start + mb->len - 1;
    }
    if (best) {
        member_need(best, best_first, f, mf, mm, need);
        for (size_t i = best->start; i < best->start + best->len; i++) {
            w[i] |= need[i];
        }
    }
}

void
flow_wc_field(struct flow_wildcards *wc, const struct mf_field *mf,
              const union mf_value *mask)
{
    union mf_value m, old;
    if (mask) {
        m = *mask;
    } else {
        mf_exact_mask(mf, &m);
    }
    mf_get_flow_value(mf, &wc->masks, &old);
    for (size_t i = 0; i < mf->n_bytes; i++) {
        m.b[i] |= old.b[i];
    }
    mf_set_flow_value(mf, &m, &wc->masks);
}

static bool
any_bits(const struct flow *m, size_t ofs, size_t len)
{
    const uint8_t *p = (const uint8_t *) m + ofs;
    for (size_t i = 0; i < len; i++) {
        if (p[i]) {
            return true;
        }
    }
    return false;
}

#define RANGE(FIRST, AFTER) \
    offsetof(struct flow, FIRST), \
    offsetof(struct flow, AFTER) - offsetof(struct flow, FIRST)

void
flow_wc_add_prereqs(struct flow_wildcards *wc)
{
    struct flow *m = &wc->masks;
    /* struct flow keeps L3 from nw_src to arp_tha, then L4. */
    bool l4 = any_bits(m, RANGE(tp_src, pad1));
    bool nd = (any_bits(m, RANGE(nd_target, ipv6_label))
               || m->nd_reserved || m->nd_options_type);
    bool l3 = l4 || nd || any_bits(m, RANGE(nw_src, tp_src));
    bool mpls = any_bits(m, RANGE(mpls_lse, pad3));
    bool nsh = any_bits(m, offsetof(struct flow, nsh), sizeof m->nsh);
    if (l3 || mpls || nsh) {
        m->dl_type = 0xffff;
    }
    if (l4 || nd) {
        m->nw_proto = 0xff;
        m->nw_frag = 0xff;
    }
    if (nd) {
        m->tp_src = 0xffff;
    }
}

bool
flow_wc_equal_under(const struct flow_wildcards *wc, const struct flow *a,
                    const struct flow *b)
{
    const uint8_t *w = (const uint8_t *) &wc->masks;
    const uint8_t *pa = (const uint8_t *) a;
    const uint8_t *pb = (const uint8_t *) b;
    for (size_t i = 0; i < FLOW_KEY_LEN; i++) {
        if ((pa[i] ^ pb[i]) & w[i]) {
            return false;
        }
    }
    return true;
}
