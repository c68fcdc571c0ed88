/* ofp-action-wire: actions on the wire, decoded from and encoded to each
 * OpenFlow version's form; the action table (ofp-actions.c) gives each
 * kind's wire type, the modules per concept their own codecs. */
#include <config.h>
#include "ofp-actions.h"
#include "ofp-action-table.h"

#include <arpa/inet.h>
#include <string.h>
#include "conjunction.h"
#include "nx-ct.h"
#include "nx-learn.h"
#include "nx-observe.h"
#include "nx-trunc.h"
#include "nx-nsh.h"
#include "ofp-match.h"
#include "ofp-mpls.h"
#include "ofp-nested.h"
#include "ofp-port.h"
#include "ofp-queue.h"
#include "ofpbuf.h"

static enum ofperr
decode_group(uint32_t group_id, struct ofpacts *o)
{
    if (group_id > 0xffffff00) {
        return OFPERR_OFPBAC_BAD_OUT_GROUP;
    }
    ofpacts_put(o, OFPACT_GROUP)->group.group_id = group_id;
    return 0;
}

static enum ofperr
decode_nx_action(const uint8_t *p, size_t len, uint8_t version,
                 struct ofpacts *o)
{
    if (len < 10) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    if (get_be32(p + 4) != NX_VENDOR_ID) {
        return OFPERR_OFPBAC_BAD_EXPERIMENTER;
    }
    switch (get_be16(p + 8)) {
    case NXAST_CONTROLLER:
    case NXAST_CONTROLLER2:
        return nx_controller_decode(get_be16(p + 8), p, len, o);
    case NXAST_CLONE:
        return ofp_nested_decode_clone(p, len, version, o);
    case NXAST_SET_QUEUE:
    case NXAST_POP_QUEUE:
        return ofp_queue_decode_nx(get_be16(p + 8), p, len, o);
    case NXAST_SAMPLE:
    case NXAST_SAMPLE2:
    case NXAST_SAMPLE3:
    case NXAST_CHECK_PKT_LARGER:
        return nx_observe_decode(get_be16(p + 8), p, len, o);
    case NXAST_CONJUNCTION:
        return conjunction_decode(p, len, o);
    case NXAST_OUTPUT_TRUNC:
        return nx_trunc_decode(p, len, o);
    case NXAST_CT_CLEAR:
    case NXAST_CT:
    case NXAST_NAT:
        return nx_ct_decode(get_be16(p + 8), p, len, version, o);
    case NXAST_MULTIPATH:
    case NXAST_BUNDLE:
    case NXAST_BUNDLE_LOAD:
        return nx_select_decode(get_be16(p + 8), p, len, o);
    case NXAST_LEARN:
    case NXAST_LEARN2:
    case NXAST_FIN_TIMEOUT:
        return nx_learn_decode(get_be16(p + 8), p, len, o);
    case NXAST_PUSH_MPLS:
    case NXAST_POP_MPLS:
    case NXAST_SET_MPLS_TTL:
    case NXAST_DEC_MPLS_TTL:
    case NXAST_SET_MPLS_LABEL:
    case NXAST_SET_MPLS_TC:
        return ofp_mpls_decode_nx(get_be16(p + 8), p, len, o);
    case NXAST_DEC_NSH_TTL:
        return (version == OFP10_VERSION ? OFPERR_OFPBAC_BAD_EXP_TYPE
                : nx_nsh_decode(p, len, o));
    case NXAST_GROUP:
        /* Only OpenFlow 1.0 has it; later versions have their own. */
        if (version != OFP10_VERSION) {
            return OFPERR_OFPBAC_BAD_EXP_TYPE;
        }
        return (len != NX_GROUP_LEN ? OFPERR_OFPBAC_BAD_LEN
                : decode_group(get_be32(p + 12), o));
    default:
        return nx_decode(get_be16(p + 8), p, len, o);
    }
}

static enum ofperr
decode_output_port(uint32_t port, struct ofpacts *o, uint16_t max_len)
{
    if (port == 0 || port == OFPP_ANY
        || (port > OFPP_MAX && !ofp_port_name(port))) {
        return OFPERR_OFPBAC_BAD_OUT_PORT;
    }
    struct ofpact *a = ofpacts_put(o, OFPACT_OUTPUT);
    a->output.port = port;
    a->output.max_len = max_len;
    return 0;
}

static enum ofperr
decode_of10_action(uint16_t type, const uint8_t *p, size_t len,
                   uint8_t version, struct ofpacts *o)
{
    switch (type) {
    case 0:
        if (len != 8) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        return decode_output_port(ofp_port_from_of10(get_be16(p + 4)), o,
                                  get_be16(p + 6));
    case 3:
        if (len != 8) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        ofpacts_put(o, OFPACT_POP_VLAN)->pop_vlan.strip_vlan = true;
        return 0;
    case OFPAT_EXPERIMENTER:
        return decode_nx_action(p, len, version, o);
    case OFPAT10_ENQUEUE:
        return ofp_queue_decode_enqueue(p, len, o);
    }
    for (size_t i = 0; i < ofpact_n_legacy_sets; i++) {
        const struct ofpact_legacy_set *l = &ofpact_legacy_sets[i];
        if (l->of10_type != type) {
            continue;
        }
        if (len != l->len) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        const struct mf_field *mf = mf_from_id(l->field);
        union mf_value v;
        memset(&v, 0, sizeof v);
        if (mf->id == MFF_VLAN_VID) {
            uint16_t vid = get_be16(p + 4);
            if (vid > 0x0fff) {
                return OFPERR_OFPBAC_BAD_ARGUMENT;
            }
            v.be16 = htons(vid | VLAN_CFI);
        } else if (mf->id == MFF_VLAN_PCP) {
            if (p[4] > 7) {
                return OFPERR_OFPBAC_BAD_ARGUMENT;
            }
            v.u8 = p[4];
        } else if (mf->id == MFF_IP_DSCP) {
            if (p[4] & 0x03) {
                return OFPERR_OFPBAC_BAD_ARGUMENT;
            }
            v.u8 = p[4];
        } else {
            memcpy(v.b, p + 4, mf->n_bytes);
        }
        struct ofpact *a = ofpacts_put(o, OFPACT_SET_FIELD);
        a->set_field.field = mf->id;
        a->set_field.value = v;
        mf_exact_mask(mf, &a->set_field.mask);
        a->set_field.legacy = true;
        return 0;
    }
    return OFPERR_OFPBAC_BAD_TYPE;
}

static enum ofperr
decode_of13_action(uint16_t type, const uint8_t *p, size_t len,
                   uint8_t version, struct ofpacts *o)
{
    switch (type) {
    case 0:
        if (len != 16) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        return decode_output_port(get_be32(p + 4), o, get_be16(p + 8));
    case 17: {
        if (len != 8) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        uint16_t ethertype = get_be16(p + 4);
        if (ethertype != 0x8100 && ethertype != 0x88a8) {
            return OFPERR_OFPBAC_BAD_ARGUMENT;
        }
        ofpacts_put(o, OFPACT_PUSH_VLAN)->push_vlan.ethertype = ethertype;
        return 0;
    }
    case 18:
    case 24:
        if (len != 8) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        ofpacts_put(o, type == 18 ? OFPACT_POP_VLAN : OFPACT_DEC_TTL);
        return 0;
    case 25: {
        const struct mf_field *mf;
        union mf_value value, mask;
        size_t n;
        if (len < 8) {
            return OFPERR_OFPBAC_BAD_SET_LEN;
        }
        enum ofperr error = oxm_decode_one(p + 4, len - 4, &mf, &value,
                                           &mask, &n);
        if (error == OFPERR_OFPBMC_BAD_FIELD) {
            return OFPERR_OFPBAC_BAD_SET_TYPE;
        } else if (error == OFPERR_OFPBMC_BAD_LEN) {
            return OFPERR_OFPBAC_BAD_SET_LEN;
        } else if (error) {
            return OFPERR_OFPBAC_BAD_SET_ARGUMENT;
        }
        if (MF_HEADER_HASMASK(get_be32(p + 4))
            || (4 + n + 7) / 8 * 8 != len) {
            return OFPERR_OFPBAC_BAD_SET_LEN;
        }
        if (mf->flags & MFF_F_READ_ONLY
            || (mf->flags & MFF_F_CT_ONLY && !ofpact_ct_exec_depth)) {
            return OFPERR_OFPBAC_BAD_SET_ARGUMENT;
        }
        struct ofpact *a = ofpacts_put(o, OFPACT_SET_FIELD);
        a->set_field.field = mf->id;
        a->set_field.value = value;
        a->set_field.mask = mask;
        return 0;
    }
    case 22:
        if (len != 8) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        return decode_group(get_be32(p + 4), o);
    case OFPAT11_SET_QUEUE:
        return ofp_queue_decode_set_queue(p, len, o);
    case OFPAT11_PUSH_MPLS:
    case OFPAT11_POP_MPLS:
    case OFPAT11_SET_MPLS_TTL:
    case OFPAT11_DEC_MPLS_TTL:
        return ofp_mpls_decode_of11(type, p, len, o);
    case OFPAT_EXPERIMENTER:
        return decode_nx_action(p, len, version, o);
    }
    return OFPERR_OFPBAC_BAD_TYPE;
}

enum ofperr
ofpacts_pull_openflow_actions(const void *data, size_t len, uint8_t version,
                              struct ofpacts *o)
{
    const uint8_t *p = data;
    if (len % 8) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    while (len > 0) {
        if (len < 8) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        uint16_t type = get_be16(p);
        uint16_t alen = get_be16(p + 2);
        if (alen < 8 || alen % 8 || alen > len) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        if (type == OFPAT15_METER && version >= OFP15_VERSION) {
            if (alen != 8) {
                return OFPERR_OFPBAC_BAD_LEN;
            }
            /* Anywhere, as Open vSwitch allows (write_actions refuses it
             * as it refuses every action the action set cannot hold). */
            ofpacts_put(o, OFPACT_METER)->meter.meter_id = get_be32(p + 4);
            p += alen;
            len -= alen;
            continue;
        }
        enum ofperr error = (version == OFP10_VERSION
                             ? decode_of10_action(type, p, alen, version, o)
                             : (version >= OFP15_VERSION
                                && nx_of15_decodes(type, p, alen))
                             ? nx_decode_of15(type, p, alen, o)
                             : decode_of13_action(type, p, alen, version,
                                                  o));
        if (error) {
            return error;
        }
        p += alen;
        len -= alen;
    }
    return 0;
}

/* Clone in clone in clone...: a message holds at most 65535 bytes, so the
 * wire bounds the depth too, but not tightly enough for the stack. */
#define MAX_NESTING 16

enum ofperr
ofpacts_pull_nested(const void *data, size_t len, uint8_t version,
                    struct ofpacts *o)
{
    static int depth;
    if (depth >= MAX_NESTING) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    depth++;
    enum ofperr error = ofpacts_pull_openflow_actions(data, len, version, o);
    depth--;
    return error;
}

enum ofperr
ofpacts_pull_ct_nested(const void *data, size_t len, uint8_t version,
                       struct ofpacts *o)
{
    ofpact_ct_exec_depth++;
    enum ofperr error = ofpacts_pull_nested(data, len, version, o);
    ofpact_ct_exec_depth--;
    return error;
}

/* Whether 'version' has a set_field form of its own for 'a' (OF1.0's
 * legacy actions; OF1.5 allows masks).  Otherwise it may go as
 * NXAST_REG_LOAD (nx_set_field_to_load()). */
static bool
set_field_native(const struct ofpact *a, uint8_t version)
{
    const struct mf_field *mf = mf_from_id(a->set_field.field);
    bool exact = mf_is_mask_exact(mf, &a->set_field.mask);
    if (a->set_field.load) {
        return version >= OFP15_VERSION;
    } else if (version == OFP10_VERSION) {
        return ofpact_legacy_for_field(mf->id) && exact;
    }
    return exact || version >= OFP15_VERSION;
}

/* OpenFlow 1.0 has no instructions, but Open vSwitch sends goto_table
 * there as the resubmit(,TABLE) that does the same. */
static bool
goto_as_resubmit(const struct ofpact *a, uint8_t version)
{
    return a->type == OFPACT_GOTO_TABLE && version == OFP10_VERSION;
}

static bool
action_usable(const struct ofpact *a, uint8_t version)
{
    if (ofpact_is_instruction(a->type)) {
        return version != OFP10_VERSION || goto_as_resubmit(a, version);
    }
    if (a->type == OFPACT_SET_FIELD) {
        const struct mf_field *mf = mf_from_id(a->set_field.field);
        /* What NXAST_REG_LOAD cannot carry (variable-length fields,
         * experimenter OXM codes) goes as NXAST_REG_LOAD2. */
        return (set_field_native(a, version)
                || nx_set_field_to_load(a)
                || mf_is_tun_md(mf) || mf->oxm_exp);
    }
    if (a->type == OFPACT_PUSH_VLAN && version == OFP10_VERSION) {
        return a->push_vlan.implicit;
    }
    return ofpact_wire_type(a->type, true) >= 0 || version != OFP10_VERSION;
}

bool
ofpacts_usable_in(const struct ofpacts *o, uint8_t version)
{
    for (size_t i = 0; i < o->n; i++) {
        if (!action_usable(&o->acts[i], version)) {
            return false;
        }
    }
    return true;
}

static void
put_action_header(struct ofpbuf *b, uint16_t type, uint16_t len)
{
    ofpbuf_put_be16(b, type);
    ofpbuf_put_be16(b, len);
}

static void
encode_set_field10(const struct ofpact *a, struct ofpbuf *b)
{
    const struct mf_field *mf = mf_from_id(a->set_field.field);
    const struct ofpact_legacy_set *l = ofpact_legacy_for_field(mf->id);
    const union mf_value *v = &a->set_field.value;
    put_action_header(b, l->of10_type, l->len);
    switch (mf->id) {
    case MFF_VLAN_VID:
        ofpbuf_put_be16(b, ntohs(v->be16) & 0x0fff);
        ofpbuf_put_zeros(b, 2);
        break;
    case MFF_ETH_SRC:
    case MFF_ETH_DST:
        ofpbuf_put(b, v->b, 6);
        ofpbuf_put_zeros(b, 6);
        break;
    case MFF_IPV4_SRC:
    case MFF_IPV4_DST:
        ofpbuf_put(b, v->b, 4);
        break;
    case MFF_TCP_SRC:
    case MFF_TCP_DST:
    case MFF_UDP_SRC:
    case MFF_UDP_DST:
        ofpbuf_put(b, v->b, 2);
        ofpbuf_put_zeros(b, 2);
        break;
    default:
        ofpbuf_put_u8(b, v->u8);
        ofpbuf_put_zeros(b, 3);
        break;
    }
}

static void
encode_set_field13(const struct ofpact *a, struct ofpbuf *b)
{
    const struct mf_field *mf = mf_from_id(a->set_field.field);
    union mf_value v = a->set_field.value;
    /* Only OpenFlow 1.5 gets here with a partial mask. */
    const union mf_value *mask = (mf_is_mask_exact(mf, &a->set_field.mask)
                                  ? NULL : &a->set_field.mask);
    /* nw_tos has no OXM of its own: OXM_OF_IP_DSCP carries it shifted. */
    if (mf->id == MFF_IP_DSCP) {
        v.u8 >>= 2;
        mf = mf_from_id(MFF_IP_DSCP_SHIFTED);
    }
    size_t start = b->size;
    put_action_header(b, 25, 0);
    oxm_put_one(mf, &v, mask, b);
    ofpbuf_pad(b, 8);
    ofpbuf_set_be16(b, start + 2, b->size - start);
}

static void
encode_action(const struct ofpact *a, uint8_t version, struct ofpbuf *b)
{
    bool of10 = version == OFP10_VERSION;
    switch (a->type) {
    case OFPACT_OUTPUT:
        if (of10) {
            uint16_t port;
            ofp_port_to_of10(a->output.port, &port);
            put_action_header(b, 0, 8);
            ofpbuf_put_be16(b, port);
            ofpbuf_put_be16(b, a->output.max_len);
        } else {
            put_action_header(b, 0, 16);
            ofpbuf_put_be32(b, a->output.port);
            ofpbuf_put_be16(b, a->output.max_len);
            ofpbuf_put_zeros(b, 6);
        }
        break;
    case OFPACT_CONTROLLER:
        nx_controller_encode(a, b);
        break;
    case OFPACT_CONTROLLER_DATA:
        break;
    case OFPACT_SET_FIELD:
        if (!set_field_native(a, version)) {
            struct ofpact load = { .type = OFPACT_REG_LOAD };
            if (nx_set_field_to_load(a)) {
                while (nx_set_field_next_load(a, &load)) {
                    nx_encode(&load, b);
                }
            } else {
                nx_encode_load2(a, b);
            }
        } else if (of10) {
            encode_set_field10(a, b);
        } else {
            encode_set_field13(a, b);
        }
        break;
    case OFPACT_PUSH_VLAN:
        if (of10) {
            /* Only ever implicit here (action_usable()). */
            break;
        }
        put_action_header(b, 17, 8);
        ofpbuf_put_be16(b, a->push_vlan.ethertype);
        ofpbuf_put_zeros(b, 2);
        break;
    case OFPACT_DEC_TTL:
        if (of10 || a->dec_ttl.cnt_ids) {
            nx_encode(a, b);
            break;
        }
        /* Fall through. */
    case OFPACT_POP_VLAN:
        put_action_header(b, ofpact_wire_type(a->type, of10), 8);
        ofpbuf_put_zeros(b, 4);
        break;
    case OFPACT_REG_LOAD:
    case OFPACT_REG_MOVE:
        if (version >= OFP15_VERSION) {
            nx_encode_of15(a, b);
            break;
        }
        /* Fall through. */
    case OFPACT_RESUBMIT:
    case OFPACT_STACK_PUSH:
    case OFPACT_STACK_POP:
    case OFPACT_NOTE:
    case OFPACT_OUTPUT_REG:
    case OFPACT_DELETE_FIELD:
        nx_encode(a, b);
        break;
    case OFPACT_OUTPUT_TRUNC:
        nx_trunc_encode(a, b);
        break;
    case OFPACT_CT_CLEAR:
    case OFPACT_CT:
    case OFPACT_NAT:
        nx_ct_encode(a, version, b);
        break;
    case OFPACT_GROUP:
        if (of10) {
            size_t start = nx_action_start(b, NXAST_GROUP);
            ofpbuf_put_zeros(b, 2);
            ofpbuf_put_be32(b, a->group.group_id);
            nx_action_finish(b, start);
        } else {
            put_action_header(b, 22, 8);
            ofpbuf_put_be32(b, a->group.group_id);
        }
        break;
    case OFPACT_CLONE:
        ofp_nested_encode(a, version, b);
        break;
    case OFPACT_SET_QUEUE:
    case OFPACT_POP_QUEUE:
    case OFPACT_ENQUEUE:
        ofp_queue_encode(a, version, b);
        break;
    case OFPACT_SAMPLE:
    case OFPACT_CHECK_PKT_LARGER:
        nx_observe_encode(a, b);
        break;
    case OFPACT_CONJUNCTION:
        conjunction_encode(a, b);
        break;
    case OFPACT_MULTIPATH:
    case OFPACT_BUNDLE:
        nx_select_encode(a, b);
        break;
    case OFPACT_LEARN:
    case OFPACT_FIN_TIMEOUT:
        nx_learn_encode(a, b);
        break;
    case OFPACT_LEARN_SPEC:
        break;
    case OFPACT_SET_MPLS_LABEL:
    case OFPACT_SET_MPLS_TC:
        if (!of10) {
            struct ofpact sf;
            ofp_mpls_to_set_field(a, &sf);
            encode_set_field13(&sf, b);
            break;
        }
        /* Fall through. */
    case OFPACT_PUSH_MPLS:
    case OFPACT_POP_MPLS:
    case OFPACT_SET_MPLS_TTL:
    case OFPACT_DEC_MPLS_TTL:
        ofp_mpls_encode(a, version, b);
        break;
    case OFPACT_DEC_NSH_TTL:
        nx_nsh_encode(a, b);
        break;
    case OFPACT_METER:
        /* Before OpenFlow 1.5 ofpacts_put_instructions() writes it. */
        if (version >= OFP15_VERSION) {
            put_action_header(b, OFPAT15_METER, 8);
            ofpbuf_put_be32(b, a->meter.meter_id);
        }
        break;
    case OFPACT_GOTO_TABLE:
        if (goto_as_resubmit(a, version)) {
            struct ofpact resubmit = { .type = OFPACT_RESUBMIT };
            resubmit.resubmit.in_port = OFPP_IN_PORT;
            resubmit.resubmit.table_id = a->goto_table.table_id;
            nx_encode(&resubmit, b);
        }
        break;
    case OFPACT_CLEAR_ACTIONS:
    case OFPACT_WRITE_ACTIONS:
    case OFPACT_WRITE_METADATA:
    case OFPACT_N_TYPES:
        break;
    }
}

void
ofpacts_put_openflow_actions(const struct ofpacts *o, uint8_t version,
                             struct ofpbuf *b)
{
    for (size_t i = 0; i < o->n; i += ofpact_span(&o->acts[i])) {
        if ((!ofpact_is_instruction(o->acts[i].type)
             || goto_as_resubmit(&o->acts[i], version))
            && action_usable(&o->acts[i], version)) {
            encode_action(&o->acts[i], version, b);
        }
    }
}
