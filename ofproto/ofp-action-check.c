/* ofp-action-check: whether an action list is consistent with the match
 * it runs under (prerequisites of the fields it sets, VLAN and MPLS state
 * along the list, ports and tables that exist), as a flow_mod or
 * packet_out is accepted. */
#include <config.h>
#include "ofp-actions.h"
#include "nx-ct.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include "conjunction.h"
#include "nx-learn.h"
#include "nx-nsh.h"
#include "ofp-mpls.h"
#include "ofp-port.h"

/* A set_field is consistent if some field sharing its bits has its
 * prerequisites met (mod_tp_src works on UDP too). */
static bool
set_field_prereqs_ok(const struct mf_field *mf, const struct match *match)
{
    for (size_t i = 0; i < MFF_N_IDS; i++) {
        const struct mf_field *other = &mf_fields[i];
        if (other->flow_ofs == mf->flow_ofs
            && other->flow_size == mf->flow_size
            && (other->flow_mask & mf->flow_mask
                || (!other->flow_mask && !mf->flow_mask))
            && mf_are_prereqs_ok(other, match)) {
            return true;
        }
    }
    return false;
}

static bool
match_has_vlan(const struct match *match)
{
    return (ntohs(match->wc.masks.vlan_tci) & VLAN_CFI
            && ntohs(match->flow.vlan_tci) & VLAN_CFI);
}

static bool
is_vlan_set_field(const struct ofpact *a)
{
    return a->type == OFPACT_SET_FIELD
           && (a->set_field.field == MFF_VLAN_VID
               || a->set_field.field == MFF_VLAN_PCP);
}

void
ofpacts_add_implicit_push_vlan(struct ofpacts *o, const struct match *match)
{
    bool vlan = match_has_vlan(match);
    for (size_t i = 0; i < o->n; i += ofpact_span(&o->acts[i])) {
        const struct ofpact *a = &o->acts[i];
        if (a->type == OFPACT_PUSH_VLAN) {
            vlan = true;
        } else if (a->type == OFPACT_POP_VLAN) {
            vlan = false;
        } else if (is_vlan_set_field(a) && a->set_field.legacy && !vlan) {
            ofpacts_put(o, OFPACT_PUSH_VLAN);
            memmove(&o->acts[i + 1], &o->acts[i],
                    (o->n - 1 - i) * sizeof *o->acts);
            memset(&o->acts[i], 0, sizeof o->acts[i]);
            o->acts[i].type = OFPACT_PUSH_VLAN;
            o->acts[i].push_vlan.ethertype = 0x8100;
            o->acts[i].push_vlan.implicit = true;
            vlan = true;
            i++;
        }
    }
}

/* 'vlan': whether the packet has a VLAN tag where the list starts.
 * push_mpls and pop_mpls change the dl_type of a copy of 'match' that the
 * checks of the actions after them see. */
static enum ofperr
check_list(const struct ofpacts *o, const struct match *match_, bool vlan,
           uint8_t table_id, uint8_t n_tables, uint32_t max_ports)
{
    struct match copy;
    struct match *match = NULL;
    if (match_) {
        copy = *match_;
        match = &copy;
    }
    for (size_t i = 0; i < o->n; i += ofpact_span(&o->acts[i])) {
        const struct ofpact *a = &o->acts[i];
        if ((a->type == OFPACT_POP_VLAN
             || (is_vlan_set_field(a) && !a->set_field.legacy)) && !vlan) {
            return OFPERR_OFPBAC_MATCH_INCONSISTENT;
        }
        switch (a->type) {
        case OFPACT_OUTPUT:
            if (a->output.port == OFPP_ANY || a->output.port == 0
                || (a->output.port >= max_ports
                    && a->output.port <= OFPP_MAX)) {
                return OFPERR_OFPBAC_BAD_OUT_PORT;
            }
            break;
        case OFPACT_SET_FIELD:
            /* The text and wire parsers refuse set_field on a read-only
             * field, but a load is a set_field too when its field has
             * only an experimenter code (tun_gtpu_flags). */
            if (mf_from_id(a->set_field.field)->flags & MFF_F_READ_ONLY) {
                return OFPERR_OFPBAC_BAD_SET_ARGUMENT;
            }
            if (match && !set_field_prereqs_ok(mf_from_id(a->set_field.field),
                                               match)) {
                return OFPERR_OFPBAC_MATCH_INCONSISTENT;
            }
            break;
        case OFPACT_GOTO_TABLE:
            if (a->goto_table.table_id <= table_id
                || a->goto_table.table_id >= n_tables) {
                return OFPERR_OFPBIC_BAD_TABLE_ID;
            }
            break;
        case OFPACT_PUSH_VLAN:
            vlan = true;
            break;
        case OFPACT_POP_VLAN:
            vlan = !match;
            break;
        case OFPACT_REG_LOAD:
        case OFPACT_REG_MOVE:
        case OFPACT_STACK_PUSH:
        case OFPACT_STACK_POP:
        case OFPACT_OUTPUT_REG:
        case OFPACT_DELETE_FIELD: {
            enum ofperr error = nx_check(a, match);
            if (error) {
                return error;
            }
            break;
        }
        case OFPACT_CONTROLLER:
        case OFPACT_CONTROLLER_DATA:
        case OFPACT_DEC_TTL:
        case OFPACT_RESUBMIT:
        case OFPACT_NOTE:
        case OFPACT_GROUP:
        case OFPACT_CLONE:
        case OFPACT_WRITE_ACTIONS: {
            /* The action set runs at the end of the pipeline, in an order
             * of its own, where the tag is not known here. */
            struct ofpacts inner = ofpact_nested(a);
            enum ofperr error = check_list(&inner, match,
                                           vlan || a->type != OFPACT_CLONE,
                                           table_id, n_tables, max_ports);
            if (error) {
                return error;
            }
            break;
        }
        case OFPACT_ENQUEUE:
            if (a->queue.port >= max_ports && a->queue.port <= OFPP_MAX) {
                return OFPERR_OFPBAC_BAD_OUT_PORT;
            }
            break;
        case OFPACT_OUTPUT_TRUNC:
            if (a->output_trunc.port >= max_ports
                && a->output_trunc.port <= OFPP_MAX) {
                return OFPERR_OFPBAC_BAD_OUT_PORT;
            }
            break;
        case OFPACT_CHECK_PKT_LARGER:
            if (match && !mf_are_prereqs_ok(
                    mf_from_id(a->check_pkt_larger.dst.field), match)) {
                return OFPERR_OFPBAC_MATCH_INCONSISTENT;
            }
            break;
        case OFPACT_MULTIPATH:
        case OFPACT_BUNDLE: {
            const struct mf_subfield *dst = (a->type == OFPACT_MULTIPATH
                                             ? &a->multipath.dst
                                             : &a->bundle.dst);
            if (match && (a->type == OFPACT_MULTIPATH || a->bundle.load)
                && !mf_are_prereqs_ok(mf_from_id(dst->field), match)) {
                return OFPERR_OFPBAC_MATCH_INCONSISTENT;
            }
            break;
        }
        case OFPACT_SET_QUEUE:
        case OFPACT_POP_QUEUE:
        case OFPACT_SAMPLE:
        case OFPACT_LEARN:
            /* The packet must have what the specs read. */
            for (size_t j = 1; match && j <= a->n_nested; j++) {
                const struct ofpact *spec = &a[j];
                if (spec->learn_spec.src_type == NX_LEARN_SRC_FIELD
                    && !mf_are_prereqs_ok(
                        mf_from_id(spec->learn_spec.src.field), match)) {
                    return OFPERR_OFPBAC_MATCH_INCONSISTENT;
                }
            }
            break;
        case OFPACT_PUSH_MPLS:
        case OFPACT_POP_MPLS:
        case OFPACT_SET_MPLS_LABEL:
        case OFPACT_SET_MPLS_TC:
        case OFPACT_SET_MPLS_TTL:
        case OFPACT_DEC_MPLS_TTL: {
            enum ofperr error = match ? ofp_mpls_check(a, match) : 0;
            if (error) {
                return error;
            }
            break;
        }
        case OFPACT_DEC_NSH_TTL: {
            enum ofperr error = match ? nx_nsh_check(a, match) : 0;
            if (error) {
                return error;
            }
            break;
        }
        case OFPACT_CT: {
            enum ofperr error = nx_ct_check(a, match);
            if (error) {
                return error;
            }
            break;
        }
        case OFPACT_CONJUNCTION:
        case OFPACT_CT_CLEAR:
        case OFPACT_NAT:
        case OFPACT_LEARN_SPEC:
        case OFPACT_FIN_TIMEOUT:
        case OFPACT_METER:
        case OFPACT_CLEAR_ACTIONS:
        case OFPACT_WRITE_METADATA:
        case OFPACT_N_TYPES:
            break;
        }
    }
    return 0;
}

enum ofperr
ofpacts_check(const struct ofpacts *o, const struct match *match,
              uint8_t table_id, uint8_t n_tables, uint32_t max_ports)
{
    const struct ofpact *other;
    if (conjunction_in(o, &other) && other) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    /* Without a match (packet-out) the VLAN state is unknown: allow. */
    return check_list(o, match, !match || match_has_vlan(match), table_id,
                      n_tables, max_ports);
}

bool
ofpacts_need_of10(const struct ofpacts *o, const struct match *match)
{
    for (size_t i = 0; i < o->n; i += ofpact_span(&o->acts[i])) {
        const struct ofpact *a = &o->acts[i];
        if (a->type == OFPACT_FIN_TIMEOUT
            && match->flow.nw_proto != IPPROTO_TCP) {
            return true;
        }
        if (a->type == OFPACT_CLONE || a->type == OFPACT_WRITE_ACTIONS) {
            struct ofpacts inner = ofpact_nested(a);
            if (ofpacts_need_of10(&inner, match)) {
                return true;
            }
        }
    }
    return false;
}
