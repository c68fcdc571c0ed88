/* nx-actions: text, wire and bit operations of the Nicira extension
 * actions. */
#include <config.h>
#include "nx-actions.h"
#include "ofp-action-table.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "flow-wildcards.h"
#include "ofp-actions.h"
#include "ofp-match.h"
#include "ofp-port.h"
#include "ofp-names.h"
#include "ofpbuf.h"

#define NX_VENDOR_ID 0x00002320
#define OFPAT_EXPERIMENTER 0xffff
#define OFPAT_SET_FIELD 25
#define OFPAT_COPY_FIELD 28     /* OpenFlow 1.5. */

/* NX action subtypes (the 16 bits after the vendor id). */
enum {
    NXAST_RESUBMIT = 1,
    NXAST_REG_MOVE = 6,
    NXAST_REG_LOAD = 7,
    NXAST_NOTE = 8,
    NXAST_RESUBMIT_TABLE = 14,
    NXAST_OUTPUT_REG = 15,
    NXAST_DEC_TTL = 18,
    NXAST_DEC_TTL_CNT_IDS = 21,
    NXAST_STACK_PUSH = 27,
    NXAST_STACK_POP = 28,
    NXAST_REG_LOAD2 = 33,
    NXAST_DELETE_FIELD = 50,
};

/* delete_field: the header, the field's NXM/OXM header, 10 bytes of
 * padding. */
#define NX_DELETE_FIELD_LEN 24

/* The names ovs-ofctl prints subfields with; fields not listed print
 * with their registry name. */
static const struct {
    enum mf_field_id id;
    const char *name;
} nxm_names[] = {
    { MFF_IN_PORT, "NXM_OF_IN_PORT" },
    { MFF_METADATA, "OXM_OF_METADATA" },
    { MFF_ETH_DST, "NXM_OF_ETH_DST" },
    { MFF_ETH_SRC, "NXM_OF_ETH_SRC" },
    { MFF_ETH_TYPE, "NXM_OF_ETH_TYPE" },
    { MFF_VLAN_TCI, "NXM_OF_VLAN_TCI" },
    { MFF_VLAN_VID, "OXM_OF_VLAN_VID" },
    { MFF_VLAN_PCP, "OXM_OF_VLAN_PCP" },
    { MFF_IP_DSCP, "NXM_OF_IP_TOS" },
    { MFF_IP_DSCP_SHIFTED, "OXM_OF_IP_DSCP" },
    { MFF_IP_ECN, "NXM_NX_IP_ECN" },
    { MFF_IP_TTL, "NXM_NX_IP_TTL" },
    { MFF_IP_PROTO, "NXM_OF_IP_PROTO" },
    { MFF_IP_FRAG, "NXM_NX_IP_FRAG" },
    { MFF_IPV4_SRC, "NXM_OF_IP_SRC" },
    { MFF_IPV4_DST, "NXM_OF_IP_DST" },
    { MFF_IPV6_SRC, "NXM_NX_IPV6_SRC" },
    { MFF_IPV6_DST, "NXM_NX_IPV6_DST" },
    { MFF_IPV6_LABEL, "NXM_NX_IPV6_LABEL" },
    { MFF_TCP_SRC, "NXM_OF_TCP_SRC" },
    { MFF_TCP_DST, "NXM_OF_TCP_DST" },
    { MFF_TCP_FLAGS, "NXM_NX_TCP_FLAGS" },
    { MFF_UDP_SRC, "NXM_OF_UDP_SRC" },
    { MFF_UDP_DST, "NXM_OF_UDP_DST" },
    { MFF_ICMPV4_TYPE, "NXM_OF_ICMP_TYPE" },
    { MFF_ICMPV4_CODE, "NXM_OF_ICMP_CODE" },
    { MFF_ICMPV6_TYPE, "NXM_NX_ICMPV6_TYPE" },
    { MFF_ICMPV6_CODE, "NXM_NX_ICMPV6_CODE" },
    { MFF_ARP_OP, "NXM_OF_ARP_OP" },
    { MFF_ARP_SPA, "NXM_OF_ARP_SPA" },
    { MFF_ARP_TPA, "NXM_OF_ARP_TPA" },
    { MFF_ARP_SHA, "NXM_NX_ARP_SHA" },
    { MFF_ARP_THA, "NXM_NX_ARP_THA" },
    { MFF_ND_TARGET, "NXM_NX_ND_TARGET" },
    { MFF_ND_SLL, "NXM_NX_ND_SLL" },
    { MFF_ND_TLL, "NXM_NX_ND_TLL" },
    { MFF_PKT_MARK, "NXM_NX_PKT_MARK" },

    /* Tunnel. */
    { MFF_TUN_ID, "NXM_NX_TUN_ID" },
    { MFF_TUN_SRC, "NXM_NX_TUN_IPV4_SRC" },
    { MFF_TUN_DST, "NXM_NX_TUN_IPV4_DST" },
    { MFF_TUN_IPV6_SRC, "NXM_NX_TUN_IPV6_SRC" },
    { MFF_TUN_IPV6_DST, "NXM_NX_TUN_IPV6_DST" },
    { MFF_TUN_FLAGS, "NXM_NX_TUN_FLAGS" },
    /* Conntrack, xxreg, MPLS. */
    { MFF_CT_STATE, "NXM_NX_CT_STATE" },
    { MFF_CT_ZONE, "NXM_NX_CT_ZONE" },
    { MFF_CT_MARK, "NXM_NX_CT_MARK" },
    { MFF_CT_LABEL, "NXM_NX_CT_LABEL" },
    { MFF_CT_NW_SRC, "NXM_NX_CT_NW_SRC" },
    { MFF_CT_NW_DST, "NXM_NX_CT_NW_DST" },
    { MFF_CT_IPV6_SRC, "NXM_NX_CT_IPV6_SRC" },
    { MFF_CT_IPV6_DST, "NXM_NX_CT_IPV6_DST" },
    { MFF_CT_NW_PROTO, "NXM_NX_CT_NW_PROTO" },
    { MFF_CT_TP_SRC, "NXM_NX_CT_TP_SRC" },
    { MFF_CT_TP_DST, "NXM_NX_CT_TP_DST" },
    { MFF_XXREG0, "NXM_NX_XXREG0" },
    { MFF_XXREG1, "NXM_NX_XXREG1" },
    { MFF_XXREG2, "NXM_NX_XXREG2" },
    { MFF_XXREG3, "NXM_NX_XXREG3" },
    { MFF_MPLS_LABEL, "OXM_OF_MPLS_LABEL" },
    { MFF_MPLS_TC, "OXM_OF_MPLS_TC" },
    { MFF_MPLS_BOS, "OXM_OF_MPLS_BOS" },
    { MFF_MPLS_TTL, "NXM_NX_MPLS_TTL" },

    /* SCTP, ND extras, tunnel extras, packet type, action set output. */
    { MFF_SCTP_SRC, "OXM_OF_SCTP_SRC" },
    { MFF_SCTP_DST, "OXM_OF_SCTP_DST" },
    { MFF_ND_RESERVED, "ERICOXM_OF_ICMPV6_ND_RESERVED" },
    { MFF_ND_OPTIONS_TYPE, "ERICOXM_OF_ICMPV6_ND_OPTIONS_TYPE" },
    { MFF_TUN_GBP_ID, "NXM_NX_TUN_GBP_ID" },
    { MFF_TUN_GBP_FLAGS, "NXM_NX_TUN_GBP_FLAGS" },
    { MFF_PACKET_TYPE, "OXM_OF_PACKET_TYPE" },
    { MFF_TUN_ERSPAN_IDX, "NXOXM_ET_ERSPAN_IDX" },
    { MFF_TUN_ERSPAN_VER, "NXOXM_ET_ERSPAN_VER" },
    { MFF_TUN_ERSPAN_DIR, "NXOXM_ET_ERSPAN_DIR" },
    { MFF_TUN_ERSPAN_HWID, "NXOXM_ET_ERSPAN_HWID" },
    { MFF_TUN_GTPU_FLAGS, "NXOXM_ET_GTPU_FLAGS" },
    { MFF_TUN_GTPU_MSGTYPE, "NXOXM_ET_GTPU_MSGTYPE" },

    /* NSH. */
    { MFF_NSH_FLAGS, "NXOXM_NSH_FLAGS" },
    { MFF_NSH_MDTYPE, "NXOXM_NSH_MDTYPE" },
    { MFF_NSH_NP, "NXOXM_NSH_NP" },
    { MFF_NSH_SPI, "NXOXM_NSH_SPI" },
    { MFF_NSH_SI, "NXOXM_NSH_SI" },
    { MFF_NSH_C1, "NXOXM_NSH_C1" },
    { MFF_NSH_C2, "NXOXM_NSH_C2" },
    { MFF_NSH_C3, "NXOXM_NSH_C3" },
    { MFF_NSH_C4, "NXOXM_NSH_C4" },
    { MFF_NSH_TTL, "NXOXM_NSH_TTL" },
};

static void
put_nxm_name(enum mf_field_id id, struct ds *s)
{
    if (id >= MFF_REG0 && id <= MFF_REG15) {
        ds_put_format(s, "NXM_NX_REG%d", (int) (id - MFF_REG0));
        return;
    }
    if (id >= MFF_XREG0 && id <= MFF_XREG7) {
        ds_put_format(s, "OXM_OF_PKT_REG%d", (int) (id - MFF_XREG0));
        return;
    }
    if (id >= MFF_TUN_METADATA0 && id <= MFF_TUN_METADATA63) {
        ds_put_format(s, "NXM_NX_TUN_METADATA%d",
                      (int) (id - MFF_TUN_METADATA0));
        return;
    }
    for (size_t i = 0; i < ARRAY_SIZE(nxm_names); i++) {
        if (nxm_names[i].id == id) {
            ds_put_cstr(s, nxm_names[i].name);
            return;
        }
    }
    ds_put_cstr(s, mf_from_id(id)->name);
}

static const struct mf_field *
field_from_name(const char *name, size_t len)
{
    char buf[32];
    if (len >= sizeof buf) {
        return NULL;
    }
    memcpy(buf, name, len);
    buf[len] = '\0';
    unsigned int reg;
    char end;
    if (sscanf(buf, "NXM_NX_REG%u%c", &reg, &end) == 1 && reg < 16) {
        return mf_from_id(MFF_REG0 + reg);
    }
    if (sscanf(buf, "OXM_OF_PKT_REG%u%c", &reg, &end) == 1 && reg < 8) {
        return mf_from_id(MFF_XREG0 + reg);
    }
    if (sscanf(buf, "NXM_NX_TUN_METADATA%u%c", &reg, &end) == 1
        && reg < FLOW_TUN_MD_FIELDS) {
        return mf_from_id(MFF_TUN_METADATA0 + reg);
    }
    for (size_t i = 0; i < ARRAY_SIZE(nxm_names); i++) {
        if (!strcmp(nxm_names[i].name, buf)) {
            return mf_from_id(nxm_names[i].id);
        }
    }
    return mf_from_name(buf);
}

/* ---- Subfields. ---- */

/* NX actions see in_port as NXM_OF_IN_PORT: 16 bits wide; the MPLS
 * fields as wide as their bits in the label, not their OXM bytes; and the
 * ERSPAN fields as wide as their bits in the ERSPAN header, as Open
 * vSwitch does (while matches and set_field take any value of their
 * bytes). */
static unsigned int
field_bits(enum mf_field_id id)
{
    const struct mf_field *mf = mf_from_id(id);
    switch (id) {
    case MFF_IN_PORT:
        return 16;
    case MFF_TUN_ERSPAN_IDX:
        return 20;
    case MFF_TUN_ERSPAN_VER:
        return 4;
    case MFF_TUN_ERSPAN_DIR:
        return 1;
    case MFF_TUN_ERSPAN_HWID:
        return 6;
    case MFF_MPLS_LABEL:
    case MFF_MPLS_TC:
    case MFF_MPLS_BOS: {
        unsigned int n = 0;
        for (uint64_t m = mf->flow_mask >> mf->flow_shift; m; m >>= 1) {
            n++;
        }
        return n;
    }
    default:
        return mf->n_bits;
    }
}

/* A field known on the wire by an experimenter OXM code only: its
 * subfield header is eight bytes, the experimenter id after the usual
 * four. */
static bool
is_exp_only(const struct mf_field *mf)
{
    uint16_t class_;
    uint8_t field;
    return mf->oxm_exp && !mf_oxm_code(mf, &class_, &field);
}

/* Parses a subfield; 'exp_ok' lets experimenter-only fields through,
 * for the actions that carry their eight-byte headers (load, which
 * becomes a set_field, and move). */
static char *
parse_subfield(const char *s, bool exp_ok, struct mf_subfield *sf)
{
    const char *bracket = strchr(s, '[');
    size_t name_len = bracket ? (size_t) (bracket - s) : strlen(s);
    const struct mf_field *mf = field_from_name(s, name_len);
    if (!mf) {
        return xasprintf("%.*s: unknown field", (int) name_len, s);
    }
    if (is_exp_only(mf) && !exp_ok) {
        return xasprintf("%s: field has no NXM header for load or move "
                         "(use set_field)", mf->name);
    }
    sf->field = mf->id;
    sf->ofs = 0;
    sf->n_bits = field_bits(mf->id);
    if (!bracket || !strcmp(bracket, "[]")) {
        return NULL;
    }
    unsigned int start, end;
    int n = 0;
    if (sscanf(bracket, "[%u..%u]%n", &start, &end, &n) == 2
        && !bracket[n]) {
        /* Range. */
    } else if (n = 0, sscanf(bracket, "[%u]%n", &start, &n) == 1
               && !bracket[n]) {
        end = start;
    } else {
        return xasprintf("%s: bad subfield syntax", s);
    }
    if (start > end || end >= field_bits(mf->id)) {
        return xasprintf("%s: bits %u..%u do not fit in %u-bit field %s", s,
                         start, end, field_bits(mf->id), mf->name);
    }
    sf->ofs = start;
    sf->n_bits = end - start + 1;
    return NULL;
}

/* "FIELD[]", "FIELD[BIT]", "FIELD[START..END]" or plain "FIELD". */
char *
nx_parse_subfield(const char *s, struct mf_subfield *sf)
{
    return parse_subfield(s, false, sf);
}

void
nx_format_subfield(const struct mf_subfield *sf, struct ds *s)
{
    put_nxm_name(sf->field, s);
    if (sf->ofs == 0 && sf->n_bits == field_bits(sf->field)) {
        ds_put_cstr(s, "[]");
    } else if (sf->n_bits == 1) {
        ds_put_format(s, "[%u]", sf->ofs);
    } else {
        ds_put_format(s, "[%u..%u]", sf->ofs, sf->ofs + sf->n_bits - 1);
    }
}

static bool
subfield_fits(const struct mf_subfield *sf)
{
    return (sf->field < MFF_N_IDS && sf->n_bits > 0
            && sf->ofs + sf->n_bits <= field_bits(sf->field));
}

/* Bit 'i' (0 = least significant) of a field value. */
static bool
value_bit(const struct mf_field *mf, const union mf_value *v, unsigned i)
{
    return (v->b[mf->n_bytes - 1 - i / 8] >> (i % 8)) & 1;
}

static void
set_value_bit(const struct mf_field *mf, union mf_value *v, unsigned i,
              bool bit)
{
    uint8_t *byte = &v->b[mf->n_bytes - 1 - i / 8];
    *byte = bit ? *byte | (1u << (i % 8)) : *byte & ~(1u << (i % 8));
}

uint64_t
nx_subfield_get(const struct mf_subfield *sf, const struct flow *flow)
{
    const struct mf_field *mf = mf_from_id(sf->field);
    union mf_value v;
    uint64_t x = 0;
    mf_get_flow_value(mf, flow, &v);
    for (unsigned i = 0; i < sf->n_bits && i < 64; i++) {
        x |= (uint64_t) value_bit(mf, &v, sf->ofs + i) << i;
    }
    return x;
}

/* Stores 'v', whose bits NX actions have just written, into 'flow'.  For
 * in_port they wrote NXM_OF_IN_PORT, OpenFlow 1.0's 16-bit number, into
 * the low bits: the flow holds the 32-bit number, so the reserved ports
 * (OVN's set_field:ANY->in_port and the pop that undoes it) widen again
 * rather than keep the upper bits of what was there before. */
static void
set_nx_value(const struct mf_field *mf, union mf_value *v, struct flow *flow)
{
    if (mf->id == MFF_IN_PORT) {
        v->be32 = htonl(ofp_port_from_of10(ntohl(v->be32) & 0xffff));
    }
    mf_set_flow_value(mf, v, flow);
}

void
nx_subfield_set(const struct mf_subfield *sf, uint64_t x, struct flow *flow)
{
    const struct mf_field *mf = mf_from_id(sf->field);
    union mf_value v;
    mf_get_flow_value(mf, flow, &v);
    for (unsigned i = 0; i < sf->n_bits && i < 64; i++) {
        set_value_bit(mf, &v, sf->ofs + i, (x >> i) & 1);
    }
    set_nx_value(mf, &v, flow);
}

void
nx_subfield_unwildcard(const struct mf_subfield *sf,
                       struct flow_wildcards *wc)
{
    const struct mf_field *mf = mf_from_id(sf->field);
    union mf_value mask;
    memset(&mask, 0, sizeof mask);
    for (unsigned int i = 0; i < sf->n_bits; i++) {
        set_value_bit(mf, &mask, sf->ofs + i, true);
    }
    flow_wc_field(wc, mf, &mask);
}

void
nx_subfield_copy(const struct mf_subfield *src,
                 const struct mf_subfield *dst, struct flow *flow)
{
    const struct mf_field *smf = mf_from_id(src->field);
    const struct mf_field *dmf = mf_from_id(dst->field);
    union mf_value sv, dv;
    mf_get_flow_value(smf, flow, &sv);
    mf_get_flow_value(dmf, flow, &dv);
    for (unsigned i = 0; i < src->n_bits && i < dst->n_bits; i++) {
        set_value_bit(dmf, &dv, dst->ofs + i,
                      value_bit(smf, &sv, src->ofs + i));
    }
    set_nx_value(dmf, &dv, flow);
}

/* ---- Text. ---- */

char *
nx_parse_resubmit(const char *arg, struct ofpacts *o)
{
    uint32_t port = OFPP_IN_PORT;
    unsigned int table = NX_RESUBMIT_TABLE_SAME;
    uint8_t table_id = 0;
    if (!arg || !*arg) {
        return xstrdup("resubmit needs a port or a table");
    }
    const char *comma = strchr(arg, ',');
    char *ps = comma ? xstrndup(arg, comma - arg) : xstrdup(arg);
    char *error = NULL;
    bool table_ok = true;
    if (comma && comma[1]) {
        table_ok = (!strchr(comma + 1, ',')
                    && ofp_table_from_string(comma + 1, 254, &table_id));
        table = table_id;
    }
    if (*ps && (!ofp_port_from_string(ps, &port) || port == OFPP_ANY)) {
        error = xasprintf("%s: unknown port in resubmit", ps);
    } else if (!table_ok) {
        error = xasprintf("%s: invalid table in resubmit", comma + 1);
    } else if (port == OFPP_IN_PORT && table == NX_RESUBMIT_TABLE_SAME) {
        error = xstrdup("at least one \"in_port\" or \"table\" must be "
                        "specified on resubmit");
    }
    free(ps);
    if (error) {
        return error;
    }
    struct ofpact *a = ofpacts_put(o, OFPACT_RESUBMIT);
    a->resubmit.in_port = port;
    a->resubmit.table_id = table;
    return NULL;
}

void
nx_format_resubmit(const struct ofpact *a, struct ds *s)
{
    if (a->resubmit.in_port != OFPP_IN_PORT
        && a->resubmit.table_id == NX_RESUBMIT_TABLE_SAME) {
        ds_put_cstr(s, "resubmit:");
        ofp_port_format(a->resubmit.in_port, s);
        return;
    }
    ds_put_cstr(s, "resubmit(");
    if (a->resubmit.in_port != OFPP_IN_PORT) {
        ofp_port_format(a->resubmit.in_port, s);
    }
    ds_put_char(s, ',');
    if (a->resubmit.table_id != NX_RESUBMIT_TABLE_SAME) {
        ofp_table_format(a->resubmit.table_id, s);
    }
    ds_put_char(s, ')');
}

/* Splits "LEFT->RIGHT"; both malloc'd, or an error. */
static char *
split_arrow(const char *arg, const char *what, char **left, char **right)
{
    const char *arrow = arg ? strstr(arg, "->") : NULL;
    if (!arrow) {
        return xasprintf("%s: %s syntax is \"src->dst\"",
                         arg ? arg : "(missing)", what);
    }
    *left = xstrndup(arg, arrow - arg);
    *right = xstrdup(arrow + 2);
    return NULL;
}

static char *
check_bits(const struct mf_subfield *sf, const char *s, unsigned int max)
{
    return (sf->n_bits > max
            ? xasprintf("%s: at most %u bits are supported here", s, max)
            : NULL);
}

char *
nx_parse_load(const char *arg, struct ofpacts *o)
{
    char *vs, *ds;
    char *error = split_arrow(arg, "load", &vs, &ds);
    if (error) {
        return error;
    }
    struct mf_subfield dst;
    uint8_t value[NX_WIDE_BYTES];
    error = parse_subfield(ds, true, &dst);
    if (!error) {
        error = nx_parse_wide(vs, dst.n_bits, value);
    }
    if (!error) {
        nx_put_wide_load(o, &dst, value);
    }
    free(vs);
    free(ds);
    return error;
}

void
nx_format_load(const struct ofpact *a, struct ds *s)
{
    ds_put_format(s, "load:%#"PRIx64"->", a->reg_load.value);
    nx_format_subfield(&a->reg_load.dst, s);
}

char *
nx_parse_move(const char *arg, struct ofpacts *o)
{
    char *ss, *ds;
    char *error = split_arrow(arg, "move", &ss, &ds);
    if (error) {
        return error;
    }
    struct mf_subfield src, dst;
    error = parse_subfield(ss, true, &src);
    if (!error) {
        error = parse_subfield(ds, true, &dst);
    }
    if (!error && src.n_bits != dst.n_bits) {
        error = xasprintf("%s->%s: source and destination widths differ "
                          "(%u vs %u bits)", ss, ds, src.n_bits, dst.n_bits);
    }
    if (!error) {
        struct ofpact *a = ofpacts_put(o, OFPACT_REG_MOVE);
        a->reg_move.src = src;
        a->reg_move.dst = dst;
    }
    free(ss);
    free(ds);
    return error;
}

void
nx_format_move(const struct ofpact *a, struct ds *s)
{
    ds_put_cstr(s, "move:");
    nx_format_subfield(&a->reg_move.src, s);
    ds_put_cstr(s, "->");
    nx_format_subfield(&a->reg_move.dst, s);
}

static char *
parse_one_subfield(enum ofpact_type type, const char *arg,
                   struct ofpacts *o, struct mf_subfield *sf)
{
    char *error = nx_parse_subfield(arg ? arg : "", sf);
    if (!error) {
        /* An output port fits in 64 bits. */
        error = check_bits(sf, arg, (type == OFPACT_OUTPUT_REG
                                     ? 64 : 8 * NX_STACK_BYTES));
    }
    if (!error) {
        ofpacts_put(o, type);
    }
    return error;
}

char *
nx_parse_push(const char *arg, struct ofpacts *o)
{
    struct mf_subfield sf;
    char *error = parse_one_subfield(OFPACT_STACK_PUSH, arg, o, &sf);
    if (!error) {
        o->acts[o->n - 1].stack.sf = sf;
    }
    return error;
}

char *
nx_parse_pop(const char *arg, struct ofpacts *o)
{
    struct mf_subfield sf;
    char *error = parse_one_subfield(OFPACT_STACK_POP, arg, o, &sf);
    if (!error) {
        o->acts[o->n - 1].stack.sf = sf;
    }
    return error;
}

void
nx_format_stack(const struct ofpact *a, struct ds *s)
{
    ds_put_cstr(s, a->type == OFPACT_STACK_PUSH ? "push:" : "pop:");
    nx_format_subfield(&a->stack.sf, s);
}

char *
nx_parse_output_reg(const char *arg, struct ofpacts *o)
{
    struct mf_subfield sf;
    char *error = parse_one_subfield(OFPACT_OUTPUT_REG, arg, o, &sf);
    if (!error) {
        o->acts[o->n - 1].output_reg.src = sf;
        o->acts[o->n - 1].output_reg.max_len = UINT16_MAX;
    }
    return error;
}

void
nx_format_output_reg(const struct ofpact *a, struct ds *s)
{
    ds_put_cstr(s, "output:");
    nx_format_subfield(&a->output_reg.src, s);
}

/* Hex bytes, optionally separated by '.': "01.02.03" or "010203". */
/* A note of 'n' bytes: the first NX_NOTE_MAX in the OFPACT_NOTE, the
 * rest in OFPACT_CONTROLLER_DATA entries after it (nx-controller.h). */
static void
put_note(struct ofpacts *o, const uint8_t *data, size_t n)
{
    size_t first = n < NX_NOTE_MAX ? n : NX_NOTE_MAX;
    size_t idx = o->n;
    struct ofpact *a = ofpacts_put(o, OFPACT_NOTE);
    memcpy(a->note.data, data, first);
    a->note.len = n;
    for (size_t ofs = first; ofs < n; ofs += NX_CONTROLLER_CHUNK) {
        struct ofpact *d = ofpacts_put(o, OFPACT_CONTROLLER_DATA);
        size_t len = n - ofs < NX_CONTROLLER_CHUNK ? n - ofs
                     : NX_CONTROLLER_CHUNK;
        memcpy(d->controller_data.data, data + ofs, len);
        d->controller_data.len = len;
        o->acts[idx].n_nested++;
    }
}

static uint8_t
note_byte(const struct ofpact *a, size_t i)
{
    if (i < NX_NOTE_MAX) {
        return a->note.data[i];
    }
    i -= NX_NOTE_MAX;
    return a[1 + i / NX_CONTROLLER_CHUNK].controller_data.data[
        i % NX_CONTROLLER_CHUNK];
}

char *
nx_parse_note(const char *arg, struct ofpacts *o)
{
    const char *p = arg ? arg : "";
    uint8_t *data = xmalloc(strlen(p) / 2 + 1);
    size_t n = 0;
    while (*p) {
        if (*p == '.') {
            p++;
            continue;
        }
        if (!isxdigit((unsigned char) p[0])
            || !isxdigit((unsigned char) p[1])) {
            free(data);
            return xasprintf("%s: bad hex digit in note", arg);
        }
        if (n >= NX_NOTE_WIRE_MAX) {
            free(data);
            return xasprintf("%s: note too long", arg);
        }
        char byte[3] = { p[0], p[1], '\0' };
        data[n++] = strtoul(byte, NULL, 16);
        p += 2;
    }
    put_note(o, data, n);
    free(data);
    return NULL;
}

void
nx_format_note(const struct ofpact *a, struct ds *s)
{
    ds_put_cstr(s, "note:");
    for (size_t i = 0; i < a->note.len; i++) {
        ds_put_format(s, "%s%02"PRIx8, i ? "." : "", note_byte(a, i));
    }
}

/* "delete_field:FIELD"; whether FIELD may be deleted is nx_check()'s
 * question, as the switch asks it too. */
char *
nx_parse_delete_field(const char *arg, struct ofpacts *o)
{
    const struct mf_field *mf = arg ? mf_from_name(arg) : NULL;
    if (!mf) {
        return xasprintf("unknown field `%s'", arg ? arg : "");
    }
    ofpacts_put(o, OFPACT_DELETE_FIELD)->delete_field.field = mf->id;
    return NULL;
}

void
nx_format_delete_field(const struct ofpact *a, struct ds *s)
{
    ds_put_format(s, "delete_field:%s",
                  mf_from_id(a->delete_field.field)->name);
}

/* ---- Wire. ---- */

void
nx_put_subfield_header(const struct mf_subfield *sf, struct ofpbuf *b)
{
    const struct mf_field *mf = mf_from_id(sf->field);
    uint16_t class_ = mf->nxm_class;
    uint8_t field = mf->nxm_field;
    if (is_exp_only(mf)) {
        ofpbuf_put_be32(b, MF_HEADER(OFPXMC_EXPERIMENTER, mf->exp_field, 0,
                                     4 + mf->n_bytes));
        ofpbuf_put_be32(b, mf->oxm_exp);
        return;
    }
    if (class_ == 0xffff) {
        mf_oxm_code(mf, &class_, &field);
    }
    ofpbuf_put_be32(b, MF_HEADER(class_, field, 0,
                                 (field_bits(mf->id) + 7) / 8));
}

static bool
is_zero(const uint8_t *p, size_t n)
{
    while (n--) {
        if (*p++) {
            return false;
        }
    }
    return true;
}

/* The two subfield headers of a move (NXAST_REG_MOVE or OpenFlow 1.5's
 * copy_field), four or eight bytes each, in the 'len' bytes at 'p' that
 * end the action: the rest must be zero padding. */
static enum ofperr
pull_move_headers(const uint8_t *p, size_t len, unsigned int n_bits,
                  unsigned int src_ofs, unsigned int dst_ofs,
                  struct mf_subfield *src, struct mf_subfield *dst)
{
    struct mf_subfield *sfs[2] = { src, dst };
    unsigned int ofs[2] = { src_ofs, dst_ofs };
    for (int i = 0; i < 2; i++) {
        if (len < 4) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        uint32_t header = get_be32(p);
        enum ofperr error;
        if (MF_HEADER_CLASS(header) == OFPXMC_EXPERIMENTER) {
            const struct mf_field *mf = (len >= 8 ? mf_from_oxm_exp(
                                             get_be32(p + 4),
                                             MF_HEADER_FIELD(header))
                                         : NULL);
            if (!mf || !is_exp_only(mf) || MF_HEADER_HASMASK(header)
                || MF_HEADER_LENGTH(header) != 4 + mf->n_bytes) {
                return OFPERR_OFPBAC_BAD_ARGUMENT;
            }
            sfs[i]->field = mf->id;
            sfs[i]->ofs = ofs[i];
            sfs[i]->n_bits = n_bits;
            error = subfield_fits(sfs[i]) ? 0 : OFPERR_OFPBAC_BAD_ARGUMENT;
            p += 8;
            len -= 8;
        } else {
            error = nx_pull_subfield(header, ofs[i], n_bits, sfs[i]);
            p += 4;
            len -= 4;
        }
        if (error) {
            return error;
        }
    }
    return is_zero(p, len) ? 0 : OFPERR_OFPBAC_BAD_ARGUMENT;
}

enum ofperr
nx_pull_subfield(uint32_t header, unsigned int ofs, unsigned int n_bits,
                 struct mf_subfield *sf)
{
    bool nxm_in_port = (MF_HEADER_CLASS(header) == OFPXMC_NXM_0
                        && MF_HEADER_FIELD(header) == 0);
    const struct mf_field *mf = (nxm_in_port ? mf_from_id(MFF_IN_PORT)
                                 : mf_from_oxm(MF_HEADER_CLASS(header),
                                               MF_HEADER_FIELD(header)));
    if (!mf || MF_HEADER_HASMASK(header)
        || (!mf_is_tun_md(mf)
            && MF_HEADER_LENGTH(header) != (field_bits(mf->id) + 7) / 8)) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    sf->field = mf->id;
    sf->ofs = ofs;
    sf->n_bits = n_bits;
    return subfield_fits(sf) ? 0 : OFPERR_OFPBAC_BAD_ARGUMENT;
}

size_t
nx_action_start(struct ofpbuf *b, uint16_t subtype)
{
    size_t start = b->size;
    ofpbuf_put_be16(b, OFPAT_EXPERIMENTER);
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_be32(b, NX_VENDOR_ID);
    ofpbuf_put_be16(b, subtype);
    return start;
}

void
nx_action_finish(struct ofpbuf *b, size_t start)
{
    ofpbuf_pad(b, 8);
    ofpbuf_set_be16(b, start + 2, b->size - start);
}

static uint16_t
ofs_nbits(const struct mf_subfield *sf)
{
    return (sf->ofs << 6) | (sf->n_bits - 1);
}

void
nx_encode(const struct ofpact *a, struct ofpbuf *b)
{
    size_t start;
    uint16_t port16;

    switch (a->type) {
    case OFPACT_RESUBMIT:
        start = nx_action_start(b, (a->resubmit.table_id
                                    == NX_RESUBMIT_TABLE_SAME
                                    ? NXAST_RESUBMIT : NXAST_RESUBMIT_TABLE));
        ofp_port_to_of10(a->resubmit.in_port, &port16);
        ofpbuf_put_be16(b, port16);
        ofpbuf_put_u8(b, a->resubmit.table_id);
        ofpbuf_put_zeros(b, 3);
        break;
    case OFPACT_REG_LOAD:
        start = nx_action_start(b, NXAST_REG_LOAD);
        ofpbuf_put_be16(b, ofs_nbits(&a->reg_load.dst));
        nx_put_subfield_header(&a->reg_load.dst, b);
        ofpbuf_put_be64(b, a->reg_load.value);
        break;
    case OFPACT_REG_MOVE:
        start = nx_action_start(b, NXAST_REG_MOVE);
        ofpbuf_put_be16(b, a->reg_move.src.n_bits);
        ofpbuf_put_be16(b, a->reg_move.src.ofs);
        ofpbuf_put_be16(b, a->reg_move.dst.ofs);
        nx_put_subfield_header(&a->reg_move.src, b);
        nx_put_subfield_header(&a->reg_move.dst, b);
        break;
    case OFPACT_STACK_PUSH:
    case OFPACT_STACK_POP:
        start = nx_action_start(b, a->type == OFPACT_STACK_PUSH
                            ? NXAST_STACK_PUSH : NXAST_STACK_POP);
        ofpbuf_put_be16(b, a->stack.sf.ofs);
        nx_put_subfield_header(&a->stack.sf, b);
        ofpbuf_put_be16(b, a->stack.sf.n_bits);
        ofpbuf_put_zeros(b, 6);
        break;
    case OFPACT_NOTE:
        start = nx_action_start(b, NXAST_NOTE);
        for (size_t i = 0; i < a->note.len; i++) {
            ofpbuf_put_u8(b, note_byte(a, i));
        }
        /* The fixed part has room for 6 bytes. */
        if (a->note.len < 6) {
            ofpbuf_put_zeros(b, 6 - a->note.len);
        }
        break;
    case OFPACT_OUTPUT_REG:
        start = nx_action_start(b, NXAST_OUTPUT_REG);
        ofpbuf_put_be16(b, ofs_nbits(&a->output_reg.src));
        nx_put_subfield_header(&a->output_reg.src, b);
        ofpbuf_put_be16(b, a->output_reg.max_len);
        ofpbuf_put_zeros(b, 6);
        break;
    case OFPACT_DEC_TTL:
        if (a->dec_ttl.cnt_ids) {
            start = nx_action_start(b, NXAST_DEC_TTL_CNT_IDS);
            ofpbuf_put_be16(b, a->dec_ttl.n_ids);
            ofpbuf_put_zeros(b, 4);
            for (size_t i = 0; i < a->dec_ttl.n_ids; i++) {
                ofpbuf_put_be16(b, a->dec_ttl.ids[i]);
            }
        } else {
            start = nx_action_start(b, NXAST_DEC_TTL);
            ofpbuf_put_zeros(b, 6);
        }
        break;
    case OFPACT_DELETE_FIELD: {
        struct mf_subfield sf = { a->delete_field.field, 0, 1 };
        start = nx_action_start(b, NXAST_DELETE_FIELD);
        nx_put_subfield_header(&sf, b);
        ofpbuf_put_zeros(b, NX_DELETE_FIELD_LEN - 14);
        break;
    }
    default:
        return;
    }
    nx_action_finish(b, start);
}

void
nx_encode_load2(const struct ofpact *a, struct ofpbuf *b)
{
    const struct mf_field *mf = mf_from_id(a->set_field.field);
    size_t start = nx_action_start(b, NXAST_REG_LOAD2);
    oxm_put_one(mf, &a->set_field.value,
                mf_is_mask_exact(mf, &a->set_field.mask)
                ? NULL : &a->set_field.mask, b);
    nx_action_finish(b, start);
}

bool
nx_set_field_to_load(const struct ofpact *a)
{
    const struct mf_field *mf = mf_from_id(a->set_field.field);
    uint16_t class_;
    uint8_t field;
    /* Variable-length fields go as NXAST_REG_LOAD2, as in Open vSwitch. */
    if (mf_is_tun_md(mf)) {
        return false;
    }
    /* Alias shapes (ip_dscp, dl_vlan) have no NXM header of their own;
     * xregs and xxregs do (OXM_OF_PKT_REGn, NXM_NX_XXREGn). */
    if (mf->flags & MFF_F_NO_ENCODE
        && !(mf->flags & (MFF_F_REG_PAIR | MFF_F_REG_QUAD))) {
        return false;
    }
    return (mf_oxm_code(mf, &class_, &field)
            && !mf_is_mask_zero(mf, &a->set_field.mask));
}

bool
nx_set_field_next_load(const struct ofpact *a, struct ofpact *load)
{
    const struct mf_field *mf = mf_from_id(a->set_field.field);
    const union mf_value *mask = &a->set_field.mask;
    unsigned int i = load->reg_load.dst.ofs + load->reg_load.dst.n_bits;
    while (i < mf->n_bits && !value_bit(mf, mask, i)) {
        i++;
    }
    if (i >= mf->n_bits) {
        return false;
    }
    memset(load, 0, sizeof *load);
    load->type = OFPACT_REG_LOAD;
    load->reg_load.dst.field = mf->id;
    load->reg_load.dst.ofs = i;
    for (unsigned int n = 0; i < mf->n_bits && n < 64
                             && value_bit(mf, mask, i); i++, n++) {
        uint64_t bit = value_bit(mf, &a->set_field.value, i);
        load->reg_load.value |= bit << n;
        load->reg_load.dst.n_bits++;
    }
    return true;
}

void
nx_format_set_field_loads(const struct ofpact *a, struct ds *s)
{
    struct ofpact load;
    memset(&load, 0, sizeof load);
    for (int n = 0; nx_set_field_next_load(a, &load); n++) {
        if (n) {
            ds_put_char(s, ',');
        }
        nx_format_load(&load, s);
    }
}

/* ---- Wide values. ---- */

static bool
wide_bit(const uint8_t v[NX_WIDE_BYTES], unsigned int i)
{
    return (v[NX_WIDE_BYTES - 1 - i / 8] >> (i % 8)) & 1;
}

static void
set_wide_bit(uint8_t v[NX_WIDE_BYTES], unsigned int i, bool bit)
{
    uint8_t *byte = &v[NX_WIDE_BYTES - 1 - i / 8];
    *byte = bit ? *byte | (1u << (i % 8)) : *byte & ~(1u << (i % 8));
}

char *
nx_parse_wide(const char *s, unsigned int n_bits, uint8_t v[NX_WIDE_BYTES])
{
    unsigned long long x;
    memset(v, 0, NX_WIDE_BYTES);
    if (str_to_ullong(s, 0, &x)) {
        for (int i = NX_WIDE_BYTES - 1; i >= NX_WIDE_BYTES - 8; i--) {
            v[i] = x;
            x >>= 8;
        }
    } else {
        /* Too big for 64 bits: hexadecimal or decimal digits, multiplied
         * in byte by byte. */
        bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
        const char *p = hex ? s + 2 : s;
        unsigned int base = hex ? 16 : 10;
        if (!*p) {
            return xasprintf("%s: invalid value", s);
        }
        for (; *p; p++) {
            int d = (isdigit((unsigned char) *p) ? *p - '0'
                     : hex && isxdigit((unsigned char) *p)
                     ? tolower((unsigned char) *p) - 'a' + 10 : -1);
            if (d < 0) {
                return xasprintf("%s: invalid value", s);
            }
            unsigned int carry = d;
            for (int i = NX_WIDE_BYTES - 1; i >= 0; i--) {
                carry += v[i] * base;
                v[i] = carry;
                carry >>= 8;
            }
            if (carry) {
                return xasprintf("%s: value does not fit in %u bits", s,
                                 n_bits);
            }
        }
    }
    for (unsigned int i = n_bits; i < 8 * NX_WIDE_BYTES; i++) {
        if (wide_bit(v, i)) {
            return xasprintf("%s: value does not fit in %u bits", s, n_bits);
        }
    }
    return NULL;
}

void
nx_format_wide(const uint8_t v[NX_WIDE_BYTES], struct ds *s)
{
    int i = 0;
    while (i < NX_WIDE_BYTES && !v[i]) {
        i++;
    }
    if (i == NX_WIDE_BYTES) {
        ds_put_char(s, '0');
        return;
    }
    ds_put_format(s, "%#"PRIx8, v[i]);
    while (++i < NX_WIDE_BYTES) {
        ds_put_format(s, "%02"PRIx8, v[i]);
    }
}

void
nx_subfield_get_wide(const struct mf_subfield *sf, const struct flow *flow,
                     uint8_t v[NX_WIDE_BYTES])
{
    const struct mf_field *mf = mf_from_id(sf->field);
    union mf_value fv;
    mf_get_flow_value(mf, flow, &fv);
    memset(v, 0, NX_WIDE_BYTES);
    for (unsigned int i = 0; i < sf->n_bits && i < 8 * NX_WIDE_BYTES; i++) {
        set_wide_bit(v, i, value_bit(mf, &fv, sf->ofs + i));
    }
}

void
nx_subfield_set_wide(const struct mf_subfield *sf,
                     const uint8_t v[NX_WIDE_BYTES], struct flow *flow)
{
    const struct mf_field *mf = mf_from_id(sf->field);
    union mf_value fv;
    mf_get_flow_value(mf, flow, &fv);
    for (unsigned int i = 0; i < sf->n_bits && i < 8 * NX_WIDE_BYTES; i++) {
        set_value_bit(mf, &fv, sf->ofs + i, wide_bit(v, i));
    }
    set_nx_value(mf, &fv, flow);
}

void
nx_put_wide_load(struct ofpacts *o, const struct mf_subfield *dst,
                 const uint8_t v[NX_WIDE_BYTES])
{
    const struct mf_field *mf = mf_from_id(dst->field);
    if (dst->n_bits <= 64 && !mf_is_tun_md(mf) && !is_exp_only(mf)) {
        struct ofpact *a = ofpacts_put(o, OFPACT_REG_LOAD);
        a->reg_load.dst = *dst;
        for (int i = NX_WIDE_BYTES - 8; i < NX_WIDE_BYTES; i++) {
            a->reg_load.value = (a->reg_load.value << 8) | v[i];
        }
        return;
    }
    /* As in Open vSwitch, a load into a variable-length field, or into
     * one NXAST_REG_LOAD cannot name (an experimenter-only field), is a
     * masked set_field (and prints as one); a wider one is too, but
     * remembers it was a load. */
    struct ofpact *a = ofpacts_put(o, OFPACT_SET_FIELD);
    a->set_field.field = mf->id;
    a->set_field.load = !mf_is_tun_md(mf) && !is_exp_only(mf);
    for (unsigned int i = 0; i < dst->n_bits; i++) {
        set_value_bit(mf, &a->set_field.value, dst->ofs + i, wide_bit(v, i));
        set_value_bit(mf, &a->set_field.mask, dst->ofs + i, true);
    }
}

void
nx_encode_of15(const struct ofpact *a, struct ofpbuf *b)
{
    size_t start = b->size;
    if (a->type == OFPACT_REG_MOVE) {
        ofpbuf_put_be16(b, OFPAT_COPY_FIELD);
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_be16(b, a->reg_move.src.n_bits);
        ofpbuf_put_be16(b, a->reg_move.src.ofs);
        ofpbuf_put_be16(b, a->reg_move.dst.ofs);
        ofpbuf_put_zeros(b, 2);
        nx_put_subfield_header(&a->reg_move.src, b);
        nx_put_subfield_header(&a->reg_move.dst, b);
    } else if (a->type == OFPACT_REG_LOAD) {
        const struct mf_subfield *sf = &a->reg_load.dst;
        const struct mf_field *mf = mf_from_id(sf->field);
        union mf_value value, mask;
        memset(&value, 0, sizeof value);
        memset(&mask, 0, sizeof mask);
        for (unsigned i = 0; i < sf->n_bits; i++) {
            set_value_bit(mf, &value, sf->ofs + i,
                          (a->reg_load.value >> i) & 1);
            set_value_bit(mf, &mask, sf->ofs + i, true);
        }
        ofpbuf_put_be16(b, OFPAT_SET_FIELD);
        ofpbuf_put_be16(b, 0);
        oxm_put_one(mf, &value, &mask, b);
    } else {
        nx_encode(a, b);
        return;
    }
    ofpbuf_pad(b, 8);
    ofpbuf_set_be16(b, start + 2, b->size - start);
}

bool
nx_of15_decodes(uint16_t type, const uint8_t *p, size_t len)
{
    return (type == OFPAT_COPY_FIELD
            || (type == OFPAT_SET_FIELD && len >= 8
                && MF_HEADER_HASMASK(get_be32(p + 4))));
}

enum ofperr
nx_decode_of15(uint16_t type, const uint8_t *p, size_t len,
               struct ofpacts *o)
{
    if (type == OFPAT_COPY_FIELD) {
        struct mf_subfield src, dst;
        if (len != 24 && len != 32) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        enum ofperr error = pull_move_headers(p + 12, len - 12,
                                              get_be16(p + 4),
                                              get_be16(p + 6),
                                              get_be16(p + 8), &src, &dst);
        if (error) {
            return error;
        }
        struct ofpact *a = ofpacts_put(o, OFPACT_REG_MOVE);
        a->reg_move.src = src;
        a->reg_move.dst = dst;
        return 0;
    }

    const struct mf_field *mf;
    union mf_value value, mask;
    size_t n;
    enum ofperr error = oxm_decode_set_field(p + 4, len - 4, &mf, &value,
                                             &mask, &n);
    if (error == OFPERR_OFPBMC_BAD_FIELD) {
        return OFPERR_OFPBAC_BAD_SET_TYPE;
    } else if (error == OFPERR_OFPBMC_BAD_LEN) {
        return OFPERR_OFPBAC_BAD_SET_LEN;
    } else if (error) {
        return OFPERR_OFPBAC_BAD_SET_ARGUMENT;
    }
    if ((4 + n + 7) / 8 * 8 != len) {
        return OFPERR_OFPBAC_BAD_SET_LEN;
    }
    if (mf->flags & MFF_F_READ_ONLY
        || (mf->flags & MFF_F_CT_ONLY && !ofpact_ct_exec_depth)) {
        return OFPERR_OFPBAC_BAD_SET_ARGUMENT;
    }
    struct ofpact *a = ofpacts_put(o, OFPACT_SET_FIELD);
    a->set_field.field = mf->id;
    for (size_t i = 0; i < mf->n_bytes; i++) {
        value.b[i] &= mask.b[i];
    }
    a->set_field.value = value;
    a->set_field.mask = mask;
    return 0;
}

enum ofperr
nx_decode(uint16_t subtype, const uint8_t *p, size_t len, struct ofpacts *o)
{
    struct mf_subfield sf, sf2;
    enum ofperr error;
    struct ofpact *a;

    switch (subtype) {
    case NXAST_RESUBMIT:
    case NXAST_RESUBMIT_TABLE: {
        if (len != 16) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        uint8_t table = subtype == NXAST_RESUBMIT ? NX_RESUBMIT_TABLE_SAME
                                                  : p[12];
        if (subtype == NXAST_RESUBMIT_TABLE && !is_zero(p + 13, 3)) {
            return OFPERR_OFPBAC_BAD_ARGUMENT;
        }
        a = ofpacts_put(o, OFPACT_RESUBMIT);
        a->resubmit.in_port = ofp_port_from_of10(get_be16(p + 10));
        a->resubmit.table_id = table;
        return 0;
    }
    case NXAST_REG_LOAD: {
        if (len != 24) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        uint16_t on = get_be16(p + 10);
        uint64_t value = get_be64(p + 16);
        error = nx_pull_subfield(get_be32(p + 12), on >> 6, (on & 63) + 1,
                                &sf);
        if (error) {
            return error;
        }
        if (sf.n_bits < 64 && value >> sf.n_bits) {
            return OFPERR_OFPBAC_BAD_ARGUMENT;
        }
        a = ofpacts_put(o, OFPACT_REG_LOAD);
        a->reg_load.dst = sf;
        a->reg_load.value = value;
        return 0;
    }
    case NXAST_REG_LOAD2: {
        const struct mf_field *mf;
        union mf_value value, mask;
        size_t n;
        if (len < 16) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        /* As a set_field: a mask is fine on any field (a load into part
         * of one that a match cannot mask, nsh_spi[0..7] say). */
        error = oxm_decode_set_field(p + 10, len - 10, &mf, &value, &mask,
                                     &n);
        if (error == OFPERR_OFPBMC_BAD_FIELD) {
            return OFPERR_OFPBAC_BAD_SET_TYPE;
        } else if (error == OFPERR_OFPBMC_BAD_LEN) {
            return OFPERR_OFPBAC_BAD_SET_LEN;
        } else if (error) {
            return OFPERR_OFPBAC_BAD_SET_ARGUMENT;
        }
        if ((10 + n + 7) / 8 * 8 != len) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        a = ofpacts_put(o, OFPACT_SET_FIELD);
        a->set_field.field = mf->id;
        for (size_t i = 0; i < mf->n_bytes; i++) {
            value.b[i] &= mask.b[i];
        }
        a->set_field.value = value;
        a->set_field.mask = mask;
        return 0;
    }
    case NXAST_REG_MOVE: {
        /* Eight bytes more for each experimenter header. */
        if (len != 24 && len != 32 && len != 40) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        error = pull_move_headers(p + 16, len - 16, get_be16(p + 10),
                                  get_be16(p + 12), get_be16(p + 14),
                                  &sf, &sf2);
        if (error) {
            return error;
        }
        a = ofpacts_put(o, OFPACT_REG_MOVE);
        a->reg_move.src = sf;
        a->reg_move.dst = sf2;
        return 0;
    }
    case NXAST_STACK_PUSH:
    case NXAST_STACK_POP:
        if (len != 24) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        error = nx_pull_subfield(get_be32(p + 12), get_be16(p + 10),
                                get_be16(p + 16), &sf);
        if (error) {
            return error;
        }
        if (sf.n_bits > 8 * NX_STACK_BYTES || !is_zero(p + 18, 6)) {
            return OFPERR_OFPBAC_BAD_ARGUMENT;
        }
        a = ofpacts_put(o, subtype == NXAST_STACK_PUSH ? OFPACT_STACK_PUSH
                                                       : OFPACT_STACK_POP);
        a->stack.sf = sf;
        return 0;
    case NXAST_NOTE:
        if (len < 16) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        put_note(o, p + 10, len - 10);
        return 0;
    case NXAST_OUTPUT_REG: {
        if (len != 24) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        uint16_t on = get_be16(p + 10);
        error = nx_pull_subfield(get_be32(p + 12), on >> 6, (on & 63) + 1,
                                &sf);
        if (error) {
            return error;
        }
        if (!is_zero(p + 18, 6)) {
            return OFPERR_OFPBAC_BAD_ARGUMENT;
        }
        a = ofpacts_put(o, OFPACT_OUTPUT_REG);
        a->output_reg.src = sf;
        a->output_reg.max_len = get_be16(p + 16);
        return 0;
    }
    case NXAST_DELETE_FIELD:
        if (len != NX_DELETE_FIELD_LEN) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        error = nx_pull_subfield(get_be32(p + 10), 0, 1, &sf);
        if (error) {
            return error;
        }
        ofpacts_put(o, OFPACT_DELETE_FIELD)->delete_field.field = sf.field;
        return 0;
    case NXAST_DEC_TTL:
        if (len != 16) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        ofpacts_put(o, OFPACT_DEC_TTL);
        return 0;
    case NXAST_DEC_TTL_CNT_IDS: {
        /* be16 n_controllers, 4 zero bytes, n be16 ids, padding. */
        uint16_t n = len >= 16 ? get_be16(p + 10) : 0;
        if (len < 16 || len != 16 + (2 * (size_t) n + 7) / 8 * 8) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        if (!is_zero(p + 12, 4) || n > OFPACT_DEC_TTL_MAX_IDS) {
            return OFPERR_OFPBAC_BAD_ARGUMENT;
        }
        a = ofpacts_put(o, OFPACT_DEC_TTL);
        a->dec_ttl.cnt_ids = true;
        a->dec_ttl.n_ids = n;
        for (size_t i = 0; i < n; i++) {
            a->dec_ttl.ids[i] = get_be16(p + 16 + 2 * i);
        }
        return 0;
    }
    }
    return OFPERR_OFPBAC_BAD_EXP_TYPE;
}

static enum ofperr
check_subfield(const struct mf_subfield *sf, const struct match *match)
{
    if (!subfield_fits(sf)) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    if (match && !mf_are_prereqs_ok(mf_from_id(sf->field), match)) {
        return OFPERR_OFPBAC_MATCH_INCONSISTENT;
    }
    return 0;
}

/* A destination must also be writable (ct_state, mpls_bos... are not). */
static enum ofperr
check_dst(const struct mf_subfield *sf, const struct match *match)
{
    if (sf->field < MFF_N_IDS
        && mf_from_id(sf->field)->flags & MFF_F_READ_ONLY) {
        return OFPERR_OFPBAC_BAD_SET_ARGUMENT;
    }
    return check_subfield(sf, match);
}

enum ofperr
nx_check(const struct ofpact *a, const struct match *match)
{
    enum ofperr error;
    switch (a->type) {
    case OFPACT_REG_LOAD:
        return check_dst(&a->reg_load.dst, match);
    case OFPACT_REG_MOVE:
        error = check_subfield(&a->reg_move.src, match);
        if (!error) {
            error = check_dst(&a->reg_move.dst, match);
        }
        return error;
    case OFPACT_STACK_PUSH:
        return check_subfield(&a->stack.sf, match);
    case OFPACT_STACK_POP:
        return check_dst(&a->stack.sf, match);
    case OFPACT_OUTPUT_REG:
        return check_subfield(&a->output_reg.src, match);
    case OFPACT_DELETE_FIELD:
        /* Only tunnel metadata can be absent from a packet. */
        return (mf_is_tun_md(mf_from_id(a->delete_field.field))
                ? 0 : OFPERR_OFPBAC_BAD_ARGUMENT);
    default:
        return 0;
    }
}
