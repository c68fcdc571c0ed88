/* ofp-match: OpenFlow 1.0 ofp_match and OXM matches, driven by the field
 * registry. */
#include <config.h>
#include "ofp-match.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "ofp-port.h"
#include "ofpbuf.h"

/* OpenFlow 1.0 wildcard bits. */
#define OFPFW10_IN_PORT     (1u << 0)
#define OFPFW10_DL_VLAN     (1u << 1)
#define OFPFW10_DL_SRC      (1u << 2)
#define OFPFW10_DL_DST      (1u << 3)
#define OFPFW10_DL_TYPE     (1u << 4)
#define OFPFW10_NW_PROTO    (1u << 5)
#define OFPFW10_TP_SRC      (1u << 6)
#define OFPFW10_TP_DST      (1u << 7)
#define OFPFW10_NW_SRC_SHIFT 8
#define OFPFW10_NW_DST_SHIFT 14
#define OFPFW10_DL_VLAN_PCP (1u << 20)
#define OFPFW10_NW_TOS      (1u << 21)
#define OFPFW10_ALL         ((1u << 22) - 1)
#define OFP10_VLAN_NONE     0xffff

#define OFPMT_OXM 1

static uint32_t
prefix_to_mask(unsigned int wild_bits)
{
    return wild_bits >= 32 ? 0 : ~0u << wild_bits;
}

/* OpenFlow 1.0 ignores fields whose prerequisites are missing. */
static void
of10_drop_unmet(struct match *match)
{
    struct flow *m = &match->wc.masks;
    uint16_t type = ntohs(match->flow.dl_type);
    bool type_exact = m->dl_type == 0xffff;
    bool ip = type_exact && type == 0x0800;
    bool arp = type_exact && type == 0x0806;
    uint8_t proto = match->flow.nw_proto;
    bool l4 = ip && m->nw_proto == 0xff
              && (proto == 6 || proto == 17 || proto == 1);

    if (!ip && !arp) {
        m->nw_src = m->nw_dst = 0;
        m->nw_proto = 0;
    }
    if (!ip) {
        m->nw_tos = 0;
    }
    if (!l4) {
        m->tp_src = m->tp_dst = 0;
    }
    match_normalize(match);
}

enum ofperr
ofp10_match_decode(const uint8_t p[OFP10_MATCH_LEN], struct match *match)
{
    uint32_t w = get_be32(p) & OFPFW10_ALL;
    struct flow *f = &match->flow, *m = &match->wc.masks;

    match_init_catchall(match);
    if (!(w & OFPFW10_IN_PORT)) {
        f->in_port = ofp_port_from_of10(get_be16(p + 4));
        m->in_port = UINT32_MAX;
    }
    if (!(w & OFPFW10_DL_SRC)) {
        memcpy(&f->dl_src, p + 6, 6);
        memset(&m->dl_src, 0xff, 6);
    }
    if (!(w & OFPFW10_DL_DST)) {
        memcpy(&f->dl_dst, p + 12, 6);
        memset(&m->dl_dst, 0xff, 6);
    }
    uint16_t vlan = get_be16(p + 18);
    uint8_t pcp = p[20];
    if (!(w & OFPFW10_DL_VLAN) && vlan == OFP10_VLAN_NONE) {
        f->vlan_tci = 0;
        m->vlan_tci = 0xffff;
    } else {
        uint16_t tci = 0, mask = 0;
        if (!(w & OFPFW10_DL_VLAN)) {
            tci |= (vlan & 0x0fff) | VLAN_CFI;
            mask |= 0x1fff;
        }
        if (!(w & OFPFW10_DL_VLAN_PCP)) {
            tci |= ((pcp & 7) << 13) | VLAN_CFI;
            mask |= 0xe000 | VLAN_CFI;
        }
        f->vlan_tci = htons(tci);
        m->vlan_tci = htons(mask);
    }
    if (!(w & OFPFW10_DL_TYPE)) {
        memcpy(&f->dl_type, p + 22, 2);
        m->dl_type = 0xffff;
    }
    if (!(w & OFPFW10_NW_TOS)) {
        f->nw_tos = p[24] & 0xfc;
        m->nw_tos = 0xfc;
    }
    if (!(w & OFPFW10_NW_PROTO)) {
        f->nw_proto = p[25];
        m->nw_proto = 0xff;
    }
    m->nw_src = htonl(prefix_to_mask((w >> OFPFW10_NW_SRC_SHIFT) & 0x3f));
    m->nw_dst = htonl(prefix_to_mask((w >> OFPFW10_NW_DST_SHIFT) & 0x3f));
    memcpy(&f->nw_src, p + 28, 4);
    memcpy(&f->nw_dst, p + 32, 4);
    if (!(w & OFPFW10_TP_SRC)) {
        memcpy(&f->tp_src, p + 36, 2);
        m->tp_src = 0xffff;
    }
    if (!(w & OFPFW10_TP_DST)) {
        memcpy(&f->tp_dst, p + 38, 2);
        m->tp_dst = 0xffff;
    }
    match_normalize(match);
    of10_drop_unmet(match);
    return 0;
}

/* Wildcard bit count for a CIDR mask, or -1 if not CIDR. */
static int
mask_to_wild_bits(uint32_t mask)
{
    for (int bits = 0; bits <= 32; bits++) {
        if (prefix_to_mask(bits) == mask) {
            return bits;
        }
    }
    return -1;
}

void
ofp10_match_encode(const struct match *match, struct ofpbuf *b)
{
    const struct flow *f = &match->flow, *m = &match->wc.masks;
    uint32_t w = 0;
    uint8_t p[OFP10_MATCH_LEN];
    memset(p, 0, sizeof p);

    uint16_t port10 = 0;
    if (m->in_port) {
        ofp_port_to_of10(f->in_port, &port10);
    } else {
        w |= OFPFW10_IN_PORT;
    }
    p[4] = port10 >> 8;
    p[5] = port10;
    static const uint8_t zero6[6];
    if (!memcmp(&m->dl_src, zero6, 6)) {
        w |= OFPFW10_DL_SRC;
    }
    memcpy(p + 6, &f->dl_src, 6);
    if (!memcmp(&m->dl_dst, zero6, 6)) {
        w |= OFPFW10_DL_DST;
    }
    memcpy(p + 12, &f->dl_dst, 6);

    uint16_t tci = ntohs(f->vlan_tci), tmask = ntohs(m->vlan_tci);
    uint16_t vlan = 0;
    if (tmask == 0xffff && !tci) {
        vlan = OFP10_VLAN_NONE;
        w |= OFPFW10_DL_VLAN_PCP;
    } else {
        if (tmask & 0x0fff) {
            vlan = tci & 0x0fff;
        } else {
            w |= OFPFW10_DL_VLAN;
        }
        if (!(tmask & 0xe000)) {
            w |= OFPFW10_DL_VLAN_PCP;
        }
    }
    p[18] = vlan >> 8;
    p[19] = vlan;
    p[20] = tci >> 13;
    if (!m->dl_type) {
        w |= OFPFW10_DL_TYPE;
    }
    memcpy(p + 22, &f->dl_type, 2);
    if (!(m->nw_tos & 0xfc)) {
        w |= OFPFW10_NW_TOS;
    }
    p[24] = f->nw_tos & 0xfc;
    if (!m->nw_proto) {
        w |= OFPFW10_NW_PROTO;
    }
    p[25] = f->nw_proto;
    int sbits = mask_to_wild_bits(ntohl(m->nw_src));
    int dbits = mask_to_wild_bits(ntohl(m->nw_dst));
    w |= (uint32_t) (sbits < 0 ? 32 : sbits) << OFPFW10_NW_SRC_SHIFT;
    w |= (uint32_t) (dbits < 0 ? 32 : dbits) << OFPFW10_NW_DST_SHIFT;
    memcpy(p + 28, &f->nw_src, 4);
    memcpy(p + 32, &f->nw_dst, 4);
    if (!m->tp_src) {
        w |= OFPFW10_TP_SRC;
    }
    memcpy(p + 36, &f->tp_src, 2);
    if (!m->tp_dst) {
        w |= OFPFW10_TP_DST;
    }
    memcpy(p + 38, &f->tp_dst, 2);
    p[0] = w >> 24;
    p[1] = w >> 16;
    p[2] = w >> 8;
    p[3] = w;
    ofpbuf_put(b, p, sizeof p);
}

bool
ofp10_match_usable(const struct match *match)
{
    /* Whatever survives an encode/decode round trip unchanged is
     * expressible; this keeps the rule in one place. */
    struct ofpbuf b;
    struct match back;
    ofpbuf_init(&b, OFP10_MATCH_LEN);
    ofp10_match_encode(match, &b);
    ofp10_match_decode(b.data, &back);
    ofpbuf_uninit(&b);
    return match_equal(match, &back);
}

/* ---- OXM. ---- */

static enum ofperr
oxm_decode__(const uint8_t *data, size_t len, bool any_mask,
             const struct mf_field **mfp, union mf_value *value,
             union mf_value *mask, size_t *consumed)
{
    if (len < 4) {
        return OFPERR_OFPBMC_BAD_LEN;
    }
    uint32_t header = get_be32(data);
    size_t plen = MF_HEADER_LENGTH(header);
    bool hasmask = MF_HEADER_HASMASK(header);
    if (4 + plen > len) {
        return OFPERR_OFPBMC_BAD_LEN;
    }
    if (header == MF_HEADER(OFPXMC_NXM_0, 0, 0, 2)) {
        /* NXM_OF_IN_PORT: OpenFlow 1.0's 16-bit port number, which
         * Open vSwitch's NXM encoder uses; never masked. */
        memset(value, 0, sizeof *value);
        value->be32 = htonl(ofp_port_from_of10(get_be16(data + 4)));
        *mfp = mf_from_id(MFF_IN_PORT);
        mf_exact_mask(*mfp, mask);
        *consumed = 6;
        return 0;
    }
    const uint8_t *payload = data + 4;
    const struct mf_field *mf;
    if (MF_HEADER_CLASS(header) == OFPXMC_EXPERIMENTER) {
        if (plen < 4) {
            return OFPERR_OFPBMC_BAD_LEN;
        }
        mf = mf_from_oxm_exp(get_be32(payload), MF_HEADER_FIELD(header));
        payload += 4;
        plen -= 4;
    } else {
        mf = mf_from_oxm(MF_HEADER_CLASS(header), MF_HEADER_FIELD(header));
    }
    if (!mf) {
        return OFPERR_OFPBMC_BAD_FIELD;
    }
    /* tun_metadataN is as long as its option, right-aligned in the
     * value (meta-flow.h). */
    unsigned int n_bytes = mf->n_bytes;
    if (mf_is_tun_md(mf)) {
        n_bytes = hasmask ? plen / 2 : plen;
        if (n_bytes > mf->n_bytes || (hasmask && plen % 2)) {
            return OFPERR_OFPBMC_BAD_LEN;
        }
    }
    if (plen != (hasmask ? 2 : 1) * n_bytes) {
        return OFPERR_OFPBMC_BAD_LEN;
    }
    if (hasmask && !mf->maskable && !any_mask) {
        return OFPERR_OFPBMC_BAD_MASK;
    }
    unsigned int skip = mf->n_bytes - n_bytes;
    memset(value, 0, sizeof *value);
    memset(mask, 0, sizeof *mask);
    memcpy(value->b + skip, payload, n_bytes);
    if (hasmask) {
        memcpy(mask->b + skip, payload + n_bytes, n_bytes);
        if (!mf_is_value_valid(mf, mask)) {
            return OFPERR_OFPBMC_BAD_MASK;
        }
        for (unsigned int i = 0; i < mf->n_bytes; i++) {
            if (value->b[i] & ~mask->b[i]) {
                return OFPERR_OFPBMC_BAD_WILDCARDS;
            }
        }
    } else {
        mf_exact_mask(mf, mask);
    }
    if (!mf_is_value_valid(mf, value)) {
        return OFPERR_OFPBMC_BAD_VALUE;
    }
    *mfp = mf;
    *consumed = (payload - data) + plen;
    return 0;
}

/* A decoded tun_metadataN gets option space in the match; more options
 * than the space holds is a match the switch could never hold. */
static enum ofperr
tun_md_alloc(const struct mf_field *mf, const union mf_value *value,
             const union mf_value *mask, struct match *match)
{
    if (mf_is_tun_md(mf)) {
        char *msg = mf_tun_md_alloc(mf, value, mask, match);
        if (msg) {
            free(msg);
            return OFPERR_OFPBMC_BAD_LEN;
        }
    }
    return 0;
}

enum ofperr
oxm_decode_one(const uint8_t *data, size_t len, const struct mf_field **mfp,
               union mf_value *value, union mf_value *mask, size_t *consumed)
{
    return oxm_decode__(data, len, false, mfp, value, mask, consumed);
}

enum ofperr
oxm_decode_set_field(const uint8_t *data, size_t len,
                     const struct mf_field **mfp, union mf_value *value,
                     union mf_value *mask, size_t *consumed)
{
    return oxm_decode__(data, len, true, mfp, value, mask, consumed);
}

enum ofperr
oxm_fields_decode(const uint8_t *data, size_t len, struct match *match,
                  bool check_prereqs)
{
    bool seen[MFF_N_IDS] = { false };
    match_init_catchall(match);
    while (len > 0) {
        const struct mf_field *mf;
        union mf_value value, mask;
        size_t n;
        enum ofperr error = oxm_decode_one(data, len, &mf, &value, &mask, &n);
        if (error) {
            return error;
        }
        if (seen[mf->id]) {
            return OFPERR_OFPBMC_DUP_FIELD;
        }
        seen[mf->id] = true;
        error = tun_md_alloc(mf, &value, &mask, match);
        if (error) {
            return error;
        }
        mf_set(mf, &value, &mask, match);
        data += n;
        len -= n;
    }
    if (check_prereqs) {
        char *msg = match_check_prereqs(match);
        if (msg) {
            free(msg);
            return OFPERR_OFPBMC_BAD_PREREQ;
        }
    }
    return 0;
}

enum ofperr
oxm_match_pull(const uint8_t *data, size_t len, struct match *match,
               size_t *consumed)
{
    if (len < 4) {
        return OFPERR_OFPBMC_BAD_LEN;
    }
    uint16_t type = get_be16(data);
    uint16_t mlen = get_be16(data + 2);
    if (type != OFPMT_OXM) {
        return OFPERR_OFPBMC_BAD_TYPE;
    }
    size_t padded = (mlen + 7) / 8 * 8;
    if (mlen < 4 || padded > len) {
        return OFPERR_OFPBMC_BAD_LEN;
    }
    *consumed = padded;
    return oxm_fields_decode(data + 4, mlen - 4, match, true);
}

/* The last 'n_bytes' of the value (and mask, if 'masked'), under the
 * field's header for OpenFlow 'version'. */
static void
put_tlv(const struct mf_field *mf, uint8_t version,
        const union mf_value *value, const union mf_value *mask,
        bool masked, unsigned int n_bytes, struct ofpbuf *b)
{
    struct mf_oxm_id id;
    if (!mf_oxm_id(mf, version, &id)) {
        return;
    }
    unsigned int skip = mf->n_bytes - n_bytes;
    unsigned int exp_len = id.class_ == OFPXMC_EXPERIMENTER ? 4 : 0;
    ofpbuf_put_be32(b, MF_HEADER(id.class_, id.field, masked,
                                 exp_len + n_bytes * (masked ? 2 : 1)));
    if (exp_len) {
        ofpbuf_put_be32(b, id.experimenter);
    }
    ofpbuf_put(b, value->b + skip, n_bytes);
    if (masked) {
        ofpbuf_put(b, mask->b + skip, n_bytes);
    }
}

static bool
all_ones(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != 0xff) {
            return false;
        }
    }
    return true;
}

/* Outside matches only writable fields travel, and their codes do not
 * depend on the version. */
#define OXM_ANY_VERSION 0x01

static void
oxm_put_one__(const struct mf_field *mf, uint8_t version,
              const union mf_value *value, const union mf_value *mask,
              struct ofpbuf *b)
{
    bool masked = mask && !mf_is_mask_exact(mf, mask);
    unsigned int n_bytes = mf->n_bytes;
    if (mf_is_tun_md(mf)) {
        /* Outside a match there is no option length: as many bytes as
         * the value and mask need, as ovs-ofctl does. */
        n_bytes = mf_tun_md_sig_len(value);
        if (masked) {
            n_bytes = XVS_MAX(n_bytes, mf_tun_md_sig_len(mask));
            masked = !all_ones(mask->b + mf->n_bytes - n_bytes, n_bytes);
        }
        n_bytes = XVS_MAX(n_bytes, 1);
    }
    put_tlv(mf, version, value, mask, masked, n_bytes, b);
}

void
oxm_put_one(const struct mf_field *mf, const union mf_value *value,
            const union mf_value *mask, struct ofpbuf *b)
{
    if (mf->id == MFF_IN_PORT) {
        /* Outside a match in_port travels as NXM_OF_IN_PORT, OpenFlow
         * 1.0's 16-bit number, in every version: that is what Open
         * vSwitch writes, and its decoder turns down OXM_OF_IN_PORT's
         * OFPP_ANY, which ovn-controller's set_field:ANY->in_port needs. */
        uint16_t port10;
        ofp_port_to_of10(ntohl(value->be32), &port10);
        ofpbuf_put_be32(b, MF_HEADER(OFPXMC_NXM_0, 0, 0, 2));
        ofpbuf_put_be16(b, port10);
        return;
    }
    oxm_put_one__(mf, OXM_ANY_VERSION, value, mask, b);
}

static void
put_field(const struct match *match, const struct mf_field *mf,
          uint8_t version, struct ofpbuf *b)
{
    union mf_value value, mask;
    mf_get_flow_value(mf, &match->flow, &value);
    mf_get_mask(mf, &match->wc, &mask);
    if (mf_is_tun_md(mf)) {
        unsigned int n = mf_tun_md_len(mf, &match->flow);
        put_tlv(mf, version, &value, &mask,
                !all_ones(mask.b + mf->n_bytes - n, n), n, b);
    } else {
        oxm_put_one__(mf, version, &value, &mask, b);
    }
}

/* VLAN: OXM_OF_VLAN_VID/PCP when the TCI mask splits that way, else the
 * NXM vlan_tci TLV that carries any mask. */
static void
put_vlan(const struct match *match, struct ofpbuf *b)
{
    uint16_t tci = ntohs(match->flow.vlan_tci);
    uint16_t mask = ntohs(match->wc.masks.vlan_tci);
    uint16_t pcp_mask = mask & 0xe000;
    if (!mask) {
        return;
    }
    if (mask & VLAN_CFI && !(tci & VLAN_CFI)) {
        /* Untagged: OXM says so with VLAN_VID = OFPVID_NONE. */
        union mf_value v;
        memset(&v, 0, sizeof v);
        oxm_put_one(mf_from_id(MFF_VLAN_VID), &v, NULL, b);
        return;
    }
    if (!pcp_mask || (pcp_mask == 0xe000 && mask & VLAN_CFI
                      && tci & VLAN_CFI)) {
        put_field(match, mf_from_id(MFF_VLAN_VID), OXM_ANY_VERSION, b);
        if (pcp_mask) {
            put_field(match, mf_from_id(MFF_VLAN_PCP), OXM_ANY_VERSION, b);
        }
    } else {
        put_field(match, mf_from_id(MFF_VLAN_TCI), OXM_ANY_VERSION, b);
    }
}

void
oxm_fields_put_version(const struct match *match, uint8_t version,
                       struct ofpbuf *b)
{
    /* packet_type first: it is what the other fields' prerequisites
     * read, and Open vSwitch checks them in the order they come. */
    const struct mf_field *pt = mf_from_id(MFF_PACKET_TYPE);
    if (!mf_is_all_wild(pt, &match->wc)) {
        put_field(match, pt, version, b);
    }
    for (size_t i = 0; i < MFF_N_IDS; i++) {
        const struct mf_field *mf = &mf_fields[i];
        if (mf->id == MFF_VLAN_VID) {
            put_vlan(match, b);
            continue;
        }
        if (mf->flags & MFF_F_NO_ENCODE || mf->id == MFF_VLAN_PCP
            || mf->id == MFF_PACKET_TYPE
            || mf_is_all_wild(mf, &match->wc)
            || !mf_are_prereqs_ok(mf, match)
            || (mf->id >= MFF_NSH_C1 && mf->id <= MFF_NSH_C4
                && mf_nsh_context_hidden(match))) {
            continue;
        }
        put_field(match, mf, version, b);
    }
}

/* What oxm_match_put() and oxm_fields_put() encode for. */
#define OXM_DEFAULT_VERSION 0x04

void
oxm_fields_put(const struct match *match, struct ofpbuf *b)
{
    oxm_fields_put_version(match, OXM_DEFAULT_VERSION, b);
}

size_t
oxm_match_put(const struct match *match, struct ofpbuf *b)
{
    return oxm_match_put_version(match, OXM_DEFAULT_VERSION, b);
}

size_t
oxm_match_put_version(const struct match *match, uint8_t version,
                      struct ofpbuf *b)
{
    size_t start = b->size;
    ofpbuf_put_be16(b, OFPMT_OXM);
    ofpbuf_put_be16(b, 0);
    oxm_fields_put_version(match, version, b);
    ofpbuf_set_be16(b, start + 2, b->size - start);
    ofpbuf_pad(b, 8);
    return b->size - start;
}

/* ---- NXM. ---- */

/* NXM_NX_COOKIE: class 1, field 30, 8 bytes (masked: 16). */
#define NXM_NX_COOKIE_FIELD 30

/* An NXM_NX_COOKIE TLV at 'data', if that is what it is. */
static bool
nx_pull_cookie(const uint8_t *data, size_t len, uint64_t *cookie,
               uint64_t *cookie_mask, size_t *consumed)
{
    if (len < 4) {
        return false;
    }
    uint32_t header = get_be32(data);
    if (MF_HEADER_CLASS(header) != OFPXMC_NXM_1
        || MF_HEADER_FIELD(header) != NXM_NX_COOKIE_FIELD) {
        return false;
    }
    bool hasmask = MF_HEADER_HASMASK(header);
    if (MF_HEADER_LENGTH(header) != (hasmask ? 16 : 8)
        || len < 4 + MF_HEADER_LENGTH(header)) {
        return false;
    }
    *cookie = get_be64(data + 4);
    *cookie_mask = hasmask ? get_be64(data + 12) : UINT64_MAX;
    *consumed = 4 + MF_HEADER_LENGTH(header);
    return true;
}

enum ofperr
nx_match_pull(const uint8_t *data, size_t len, size_t match_len,
              struct match *match, uint64_t *cookie, uint64_t *cookie_mask,
              size_t *consumed)
{
    size_t padded = (match_len + 7) / 8 * 8;
    if (padded > len) {
        return OFPERR_OFPBMC_BAD_LEN;
    }
    *consumed = padded;
    *cookie = *cookie_mask = 0;

    bool seen[MFF_N_IDS] = { false };
    bool seen_cookie = false;
    match_init_catchall(match);
    while (match_len > 0) {
        const struct mf_field *mf;
        union mf_value value, mask;
        size_t n;
        if (nx_pull_cookie(data, match_len, cookie, cookie_mask, &n)) {
            if (seen_cookie) {
                return OFPERR_OFPBMC_DUP_FIELD;
            }
            seen_cookie = true;
        } else {
            enum ofperr error = oxm_decode_one(data, match_len, &mf, &value,
                                               &mask, &n);
            if (error) {
                return error;
            }
            if (seen[mf->id]) {
                return OFPERR_OFPBMC_DUP_FIELD;
            }
            seen[mf->id] = true;
            error = tun_md_alloc(mf, &value, &mask, match);
            if (error) {
                return error;
            }
            mf_set(mf, &value, &mask, match);
        }
        data += n;
        match_len -= n;
    }
    char *msg = match_check_prereqs(match);
    if (msg) {
        free(msg);
        return OFPERR_OFPBMC_BAD_PREREQ;
    }
    return 0;
}

size_t
nx_match_put(const struct match *match, uint64_t cookie, uint64_t cookie_mask,
             struct ofpbuf *b)
{
    size_t start = b->size;
    oxm_fields_put_version(match, OXM_ANY_VERSION, b);
    if (cookie_mask) {
        bool masked = cookie_mask != UINT64_MAX;
        ofpbuf_put_be32(b, MF_HEADER(OFPXMC_NXM_1, NXM_NX_COOKIE_FIELD,
                                     masked, masked ? 16 : 8));
        ofpbuf_put_be64(b, cookie);
        if (masked) {
            ofpbuf_put_be64(b, cookie_mask);
        }
    }
    size_t match_len = b->size - start;
    ofpbuf_put_zeros(b, (8 - match_len % 8) % 8);
    return match_len;
}
