/* ofp-mpls: the MPLS actions; see ofp-mpls.h. */
#include <config.h>
#include "ofp-mpls.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>
#include "flow.h"
#include "ofp-actions.h"
#include "ofpbuf.h"

#define OFP10_VERSION 0x01
#define NX_VENDOR_ID 0x00002320
#define OFPAT_EXPERIMENTER 0xffff
#define MPLS_LABEL_MAX 0xfffff
#define MPLS_TC_MAX 7
#define MPLS_DEFAULT_TTL 64
#define MPLS_LABEL_IPV6_NULL 2  /* RFC 3032's IPv6 explicit null. */

bool
ofp_mpls_is_mpls(uint16_t dl_type)
{
    return (dl_type == htons(ETH_TYPE_MPLS)
            || dl_type == htons(ETH_TYPE_MPLS_MCAST));
}

enum ofperr
ofp_mpls_check(const struct ofpact *a, struct match *match)
{
    bool mpls = (match->wc.masks.dl_type == 0xffff
                 && ofp_mpls_is_mpls(match->flow.dl_type));
    if (a->type != OFPACT_PUSH_MPLS && !mpls) {
        return OFPERR_OFPBAC_MATCH_INCONSISTENT;
    }
    if (a->type == OFPACT_PUSH_MPLS || a->type == OFPACT_POP_MPLS) {
        match->flow.dl_type = htons(a->mpls.ethertype);
        match->wc.masks.dl_type = 0xffff;
    }
    return 0;
}

/* ---- Text. ---- */

/* A number up to 'max'. */
static bool
parse_number(const char *arg, unsigned long long max, unsigned long long *x)
{
    return arg && *arg && str_to_ullong(arg, 0, x) && *x <= max;
}

static char *
parse_ethertype(enum ofpact_type type, const char *name, const char *arg,
                struct ofpacts *o)
{
    unsigned long long x;
    if (!parse_number(arg, UINT16_MAX, &x)) {
        return xasprintf("invalid %s \"%s\"", name, arg ? arg : "");
    }
    if (type == OFPACT_PUSH_MPLS && !ofp_mpls_is_mpls(htons(x))) {
        return xasprintf("%s: not a valid MPLS ethertype", arg);
    }
    ofpacts_put(o, type)->mpls.ethertype = x;
    return NULL;
}

char *
ofp_mpls_parse_push(const char *arg, struct ofpacts *o)
{
    return parse_ethertype(OFPACT_PUSH_MPLS, "push_mpls", arg, o);
}

char *
ofp_mpls_parse_pop(const char *arg, struct ofpacts *o)
{
    return parse_ethertype(OFPACT_POP_MPLS, "pop_mpls", arg, o);
}

char *
ofp_mpls_parse_set_label(const char *arg, struct ofpacts *o)
{
    unsigned long long x;
    if (!parse_number(arg, MPLS_LABEL_MAX, &x)) {
        return xasprintf("%s: not a valid MPLS label", arg ? arg : "");
    }
    ofpacts_put(o, OFPACT_SET_MPLS_LABEL)->mpls.label = x;
    return NULL;
}

char *
ofp_mpls_parse_set_tc(const char *arg, struct ofpacts *o)
{
    unsigned long long x;
    if (!parse_number(arg, MPLS_TC_MAX, &x)) {
        return xasprintf("%s: not a valid MPLS TC", arg ? arg : "");
    }
    ofpacts_put(o, OFPACT_SET_MPLS_TC)->mpls.tc = x;
    return NULL;
}

char *
ofp_mpls_parse_set_ttl(const char *arg, struct ofpacts *o)
{
    unsigned long long x;
    if (!parse_number(arg, UINT8_MAX, &x)) {
        return xasprintf("invalid MPLS TTL \"%s\"", arg ? arg : "");
    }
    ofpacts_put(o, OFPACT_SET_MPLS_TTL)->mpls.ttl = x;
    return NULL;
}

/* ovs-ofctl ignores an argument here, so this does too. */
char *
ofp_mpls_parse_dec_ttl(const char *arg XVS_UNUSED, struct ofpacts *o)
{
    ofpacts_put(o, OFPACT_DEC_MPLS_TTL);
    return NULL;
}

void
ofp_mpls_format(const struct ofpact *a, struct ds *s)
{
    switch (a->type) {
    case OFPACT_PUSH_MPLS:
        ds_put_format(s, "push_mpls:0x%04"PRIx16, a->mpls.ethertype);
        break;
    case OFPACT_POP_MPLS:
        ds_put_format(s, "pop_mpls:0x%04"PRIx16, a->mpls.ethertype);
        break;
    case OFPACT_SET_MPLS_LABEL:
        ds_put_format(s, "set_mpls_label(%"PRIu32")", a->mpls.label);
        break;
    case OFPACT_SET_MPLS_TC:
        ds_put_format(s, "set_mpls_tc(%"PRIu8")", a->mpls.tc);
        break;
    case OFPACT_SET_MPLS_TTL:
        ds_put_format(s, "set_mpls_ttl(%"PRIu8")", a->mpls.ttl);
        break;
    default:
        ds_put_cstr(s, "dec_mpls_ttl");
        break;
    }
}

/* ---- Wire. ---- */

static enum ofperr
put_ethertype(enum ofpact_type type, uint16_t ethertype, struct ofpacts *o)
{
    if (type == OFPACT_PUSH_MPLS && !ofp_mpls_is_mpls(htons(ethertype))) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    ofpacts_put(o, type)->mpls.ethertype = ethertype;
    return 0;
}

enum ofperr
ofp_mpls_decode_nx(uint16_t subtype, const uint8_t *p, size_t len,
                   struct ofpacts *o)
{
    if (len != 16) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    const uint8_t *body = p + 10;
    switch (subtype) {
    case NXAST_PUSH_MPLS:
        return put_ethertype(OFPACT_PUSH_MPLS, get_be16(body), o);
    case NXAST_POP_MPLS:
        return put_ethertype(OFPACT_POP_MPLS, get_be16(body), o);
    case NXAST_SET_MPLS_TTL:
        ofpacts_put(o, OFPACT_SET_MPLS_TTL)->mpls.ttl = body[0];
        return 0;
    case NXAST_DEC_MPLS_TTL:
        ofpacts_put(o, OFPACT_DEC_MPLS_TTL);
        return 0;
    case NXAST_SET_MPLS_LABEL:
        if (get_be32(body + 2) > MPLS_LABEL_MAX) {
            return OFPERR_OFPBAC_BAD_ARGUMENT;
        }
        ofpacts_put(o, OFPACT_SET_MPLS_LABEL)->mpls.label = get_be32(body + 2);
        return 0;
    case NXAST_SET_MPLS_TC:
        if (body[0] > MPLS_TC_MAX) {
            return OFPERR_OFPBAC_BAD_ARGUMENT;
        }
        ofpacts_put(o, OFPACT_SET_MPLS_TC)->mpls.tc = body[0];
        return 0;
    }
    return OFPERR_OFPBAC_BAD_EXP_TYPE;
}

enum ofperr
ofp_mpls_decode_of11(uint16_t type, const uint8_t *p, size_t len,
                     struct ofpacts *o)
{
    if (len != 8) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    switch (type) {
    case OFPAT11_PUSH_MPLS:
        return put_ethertype(OFPACT_PUSH_MPLS, get_be16(p + 4), o);
    case OFPAT11_POP_MPLS:
        return put_ethertype(OFPACT_POP_MPLS, get_be16(p + 4), o);
    case OFPAT11_SET_MPLS_TTL:
        ofpacts_put(o, OFPACT_SET_MPLS_TTL)->mpls.ttl = p[4];
        return 0;
    case OFPAT11_DEC_MPLS_TTL:
        ofpacts_put(o, OFPACT_DEC_MPLS_TTL);
        return 0;
    }
    return OFPERR_OFPBAC_BAD_TYPE;
}

static void
put_nx_header(struct ofpbuf *b, uint16_t subtype)
{
    ofpbuf_put_be16(b, OFPAT_EXPERIMENTER);
    ofpbuf_put_be16(b, 16);
    ofpbuf_put_be32(b, NX_VENDOR_ID);
    ofpbuf_put_be16(b, subtype);
}

static void
encode_nx(const struct ofpact *a, struct ofpbuf *b)
{
    switch (a->type) {
    case OFPACT_PUSH_MPLS:
    case OFPACT_POP_MPLS:
        put_nx_header(b, a->type == OFPACT_PUSH_MPLS ? NXAST_PUSH_MPLS
                                                     : NXAST_POP_MPLS);
        ofpbuf_put_be16(b, a->mpls.ethertype);
        ofpbuf_put_zeros(b, 4);
        break;
    case OFPACT_SET_MPLS_LABEL:
        put_nx_header(b, NXAST_SET_MPLS_LABEL);
        ofpbuf_put_zeros(b, 2);
        ofpbuf_put_be32(b, a->mpls.label);
        break;
    case OFPACT_SET_MPLS_TC:
    case OFPACT_SET_MPLS_TTL:
        put_nx_header(b, a->type == OFPACT_SET_MPLS_TC ? NXAST_SET_MPLS_TC
                                                       : NXAST_SET_MPLS_TTL);
        ofpbuf_put_u8(b, (a->type == OFPACT_SET_MPLS_TC ? a->mpls.tc
                                                        : a->mpls.ttl));
        ofpbuf_put_zeros(b, 5);
        break;
    default:
        put_nx_header(b, NXAST_DEC_MPLS_TTL);
        ofpbuf_put_zeros(b, 6);
        break;
    }
}

static void
put_of11_header(struct ofpbuf *b, uint16_t type)
{
    ofpbuf_put_be16(b, type);
    ofpbuf_put_be16(b, 8);
}

void
ofp_mpls_encode(const struct ofpact *a, uint8_t version, struct ofpbuf *b)
{
    if (version == OFP10_VERSION) {
        encode_nx(a, b);
        return;
    }
    switch (a->type) {
    case OFPACT_PUSH_MPLS:
    case OFPACT_POP_MPLS:
        put_of11_header(b, a->type == OFPACT_PUSH_MPLS ? OFPAT11_PUSH_MPLS
                                                       : OFPAT11_POP_MPLS);
        ofpbuf_put_be16(b, a->mpls.ethertype);
        ofpbuf_put_zeros(b, 2);
        break;
    case OFPACT_SET_MPLS_TTL:
        put_of11_header(b, OFPAT11_SET_MPLS_TTL);
        ofpbuf_put_u8(b, a->mpls.ttl);
        ofpbuf_put_zeros(b, 3);
        break;
    case OFPACT_DEC_MPLS_TTL:
        put_of11_header(b, OFPAT11_DEC_MPLS_TTL);
        ofpbuf_put_zeros(b, 4);
        break;
    default:
        /* set_mpls_label/tc: the caller writes the set_field. */
        break;
    }
}

void
ofp_mpls_to_set_field(const struct ofpact *a, struct ofpact *sf)
{
    bool label = a->type == OFPACT_SET_MPLS_LABEL;
    const struct mf_field *mf = mf_from_id(label ? MFF_MPLS_LABEL
                                                 : MFF_MPLS_TC);
    memset(sf, 0, sizeof *sf);
    sf->type = OFPACT_SET_FIELD;
    sf->set_field.field = mf->id;
    if (label) {
        sf->set_field.value.be32 = htonl(a->mpls.label);
    } else {
        sf->set_field.value.u8 = a->mpls.tc;
    }
    mf_exact_mask(mf, &sf->set_field.mask);
}

/* ---- The flow. ---- */

static uint32_t
top_lse(const struct flow *flow)
{
    return ntohl(flow->mpls_lse[0]);
}

static void
set_top_lse(struct flow *flow, uint32_t lse)
{
    flow->mpls_lse[0] = htonl(lse);
}

/* Bits 'mask' of the top entry to 'value' (already shifted). */
static void
set_top_bits(struct flow *flow, uint32_t mask, uint32_t value)
{
    set_top_lse(flow, (top_lse(flow) & ~mask) | (value & mask));
}

static void
push_mpls(struct flow *flow, uint16_t ethertype)
{
    uint32_t lse;
    if (ofp_mpls_is_mpls(flow->dl_type)) {
        lse = top_lse(flow) & ~MPLS_BOS_MASK;
        memmove(&flow->mpls_lse[1], &flow->mpls_lse[0],
                (FLOW_MAX_MPLS_LABELS - 1) * sizeof flow->mpls_lse[0]);
    } else {
        bool ipv6 = flow->dl_type == htons(0x86dd);
        bool ip = ipv6 || flow->dl_type == htons(0x0800);
        uint32_t label = ipv6 ? MPLS_LABEL_IPV6_NULL : 0;
        uint32_t tc = ip ? (flow->nw_tos >> 2) & MPLS_TC_MAX : 0;
        uint32_t ttl = ip ? flow->nw_ttl : MPLS_DEFAULT_TTL;
        lse = ((label << MPLS_LABEL_SHIFT) | (tc << MPLS_TC_SHIFT)
               | MPLS_BOS_MASK | ttl);

        /* The payload is opaque from here on: the L3 and L4 members run
         * from nw_src up to pkt_mark (flow.h). */
        memset(&flow->nw_src, 0,
               offsetof(struct flow, pkt_mark) - offsetof(struct flow, nw_src));
    }
    set_top_lse(flow, lse);
    flow->dl_type = htons(ethertype);
}

static void
pop_mpls(struct flow *flow, uint16_t ethertype)
{
    memmove(&flow->mpls_lse[0], &flow->mpls_lse[1],
            (FLOW_MAX_MPLS_LABELS - 1) * sizeof flow->mpls_lse[0]);
    flow->mpls_lse[FLOW_MAX_MPLS_LABELS - 1] = 0;
    if (!ofp_mpls_is_mpls(htons(ethertype))) {
        memset(flow->mpls_lse, 0, sizeof flow->mpls_lse);
    }
    flow->dl_type = htons(ethertype);
}

enum ofp_mpls_result
ofp_mpls_execute(const struct ofpact *a, struct flow *flow)
{
    if (a->type == OFPACT_PUSH_MPLS) {
        push_mpls(flow, a->mpls.ethertype);
        return OFP_MPLS_DONE;
    }
    if (!ofp_mpls_is_mpls(flow->dl_type)) {
        return OFP_MPLS_NOT_MPLS;
    }
    switch (a->type) {
    case OFPACT_POP_MPLS:
        pop_mpls(flow, a->mpls.ethertype);
        break;
    case OFPACT_SET_MPLS_LABEL:
        set_top_bits(flow, MPLS_LABEL_MASK,
                     a->mpls.label << MPLS_LABEL_SHIFT);
        break;
    case OFPACT_SET_MPLS_TC:
        set_top_bits(flow, MPLS_TC_MASK, (uint32_t) a->mpls.tc << MPLS_TC_SHIFT);
        break;
    case OFPACT_SET_MPLS_TTL:
        set_top_bits(flow, MPLS_TTL_MASK, a->mpls.ttl);
        break;
    default: {
        uint32_t ttl = top_lse(flow) & MPLS_TTL_MASK;
        if (ttl <= 1) {
            return OFP_MPLS_TTL_EXPIRED;
        }
        set_top_bits(flow, MPLS_TTL_MASK, ttl - 1);
        break;
    }
    }
    return OFP_MPLS_DONE;
}
