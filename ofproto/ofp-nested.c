/* ofp-nested: write_actions, clone and the action set. */
#include <config.h>
#include "ofp-nested.h"

#include <string.h>
#include "ofp-actions.h"
#include "ofp-port.h"
#include "ofpbuf.h"

#define NX_VENDOR_ID 0x00002320
#define OFPAT_EXPERIMENTER 0xffff
#define OFPIT_WRITE_ACTIONS 3

/* Where an action runs in the action set (OpenFlow 1.3 section 5.10);
 * 0 for kinds the set cannot hold.  The PBB and TTL-copy steps of the
 * order have no actions here yet. */
enum set_rank {
    RANK_NONE = 0,
    RANK_POP = 1,
    RANK_PUSH_MPLS = 2,
    RANK_PUSH_VLAN = 4,
    RANK_DEC_TTL = 6,
    RANK_SET = 7,
    RANK_QOS = 8,
    RANK_GROUP = 9,
    RANK_OUTPUT = 10,
};

static enum set_rank
set_rank(const struct ofpact *a)
{
    switch (a->type) {
    case OFPACT_POP_VLAN:
    case OFPACT_POP_MPLS:
        return RANK_POP;
    case OFPACT_PUSH_MPLS:
        return RANK_PUSH_MPLS;
    case OFPACT_PUSH_VLAN:
        return RANK_PUSH_VLAN;
    case OFPACT_DEC_TTL:
    case OFPACT_DEC_MPLS_TTL:
    case OFPACT_DEC_NSH_TTL:
        return RANK_DEC_TTL;
    case OFPACT_SET_FIELD:
    case OFPACT_REG_LOAD:
    case OFPACT_SET_MPLS_LABEL:
    case OFPACT_SET_MPLS_TC:
    case OFPACT_SET_MPLS_TTL:
        return RANK_SET;
    case OFPACT_SET_QUEUE:
        return RANK_QOS;
    case OFPACT_GROUP:
        return RANK_GROUP;
    case OFPACT_OUTPUT:
    case OFPACT_CONTROLLER:
    case OFPACT_OUTPUT_REG:
    case OFPACT_RESUBMIT:
        return RANK_OUTPUT;
    default:
        return RANK_NONE;
    }
}

/* The field a "set" action writes, for "one set per field". */
static enum mf_field_id
set_target(const struct ofpact *a)
{
    switch (a->type) {
    case OFPACT_SET_FIELD:
        return a->set_field.field;
    case OFPACT_SET_MPLS_LABEL:
        return MFF_MPLS_LABEL;
    case OFPACT_SET_MPLS_TC:
        return MFF_MPLS_TC;
    case OFPACT_SET_MPLS_TTL:
        return MFF_MPLS_TTL;
    default:
        return a->reg_load.dst.field;
    }
}

/* One action of a kind: the pops and TTL decrements of VLAN and MPLS
 * share a step of the order but are different kinds. */
static bool
same_set_kind(const struct ofpact *a, const struct ofpact *b)
{
    enum set_rank r = set_rank(a);
    if (r != set_rank(b)) {
        return false;
    }
    if (r == RANK_POP || r == RANK_DEC_TTL) {
        return a->type == b->type;
    }
    return r != RANK_SET || set_target(a) == set_target(b);
}

/* ---- Text. ---- */

static char *
parse_nested(enum ofpact_type type, const char *arg, struct ofpacts *o)
{
    struct ofpacts inner = OFPACTS_EMPTY_INITIALIZER;
    char *error = ofpacts_parse(arg ? arg : "", &inner);
    for (size_t i = 0; !error && i < inner.n; i += ofpact_span(&inner.acts[i])) {
        const struct ofpact *a = &inner.acts[i];
        if (type == OFPACT_WRITE_ACTIONS && !set_rank(a)) {
            struct ds s = DS_EMPTY_INITIALIZER;
            ofpact_format(a, &s);
            error = xasprintf("%s: not allowed in write_actions (the action "
                              "set cannot hold it)", ds_cstr(&s));
            ds_destroy(&s);
        } else if (a->type >= OFPACT_CLEAR_ACTIONS) {
            error = xstrdup("instructions are not allowed inside clone");
        }
    }
    if (!error) {
        ofpacts_put_nested(o, type, &inner);
    }
    ofpacts_uninit(&inner);
    return error;
}

char *
ofp_nested_parse_clone(const char *arg, struct ofpacts *o)
{
    return parse_nested(OFPACT_CLONE, arg, o);
}

char *
ofp_nested_parse_write_actions(const char *arg, struct ofpacts *o)
{
    return parse_nested(OFPACT_WRITE_ACTIONS, arg, o);
}

void
ofp_nested_format(const struct ofpact *a, struct ds *s)
{
    struct ofpacts inner = ofpact_nested(a);
    ds_put_cstr(s, a->type == OFPACT_CLONE ? "clone(" : "write_actions(");
    ofpacts_format(&inner, s);
    ds_put_char(s, ')');
}

/* ---- Wire. ---- */

static enum ofperr
decode_nested(enum ofpact_type type, const uint8_t *p, size_t len,
              uint8_t version, struct ofpacts *o)
{
    struct ofpacts inner = OFPACTS_EMPTY_INITIALIZER;
    enum ofperr error = ofpacts_pull_nested(p, len, version, &inner);
    for (size_t i = 0; !error && i < inner.n;
         i += ofpact_span(&inner.acts[i])) {
        if (type == OFPACT_WRITE_ACTIONS && !set_rank(&inner.acts[i])) {
            error = OFPERR_OFPBAC_BAD_TYPE;
        }
    }
    if (!error) {
        ofpacts_put_nested(o, type, &inner);
    }
    ofpacts_uninit(&inner);
    return error;
}

enum ofperr
ofp_nested_decode_clone(const uint8_t *p, size_t len, uint8_t version,
                        struct ofpacts *o)
{
    if (len < 16) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    return decode_nested(OFPACT_CLONE, p + 16, len - 16, version, o);
}

enum ofperr
ofp_nested_decode_write_actions(const uint8_t *p, size_t len,
                                uint8_t version, struct ofpacts *o)
{
    return decode_nested(OFPACT_WRITE_ACTIONS, p, len, version, o);
}

void
ofp_nested_encode(const struct ofpact *a, uint8_t version, struct ofpbuf *b)
{
    struct ofpacts inner = ofpact_nested(a);
    size_t start = b->size;
    if (a->type == OFPACT_CLONE) {
        ofpbuf_put_be16(b, OFPAT_EXPERIMENTER);
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_be32(b, NX_VENDOR_ID);
        ofpbuf_put_be16(b, NXAST_CLONE);
        ofpbuf_put_zeros(b, 6);
    } else if (!inner.n) {
        return;
    } else {
        ofpbuf_put_be16(b, OFPIT_WRITE_ACTIONS);
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_zeros(b, 4);
    }
    ofpacts_put_openflow_actions(&inner, version, b);
    ofpbuf_set_be16(b, start + 2, b->size - start);
}

/* ---- The action set. ---- */

void
ofp_action_set_write(struct ofpacts *set, const struct ofpact *write)
{
    /* Actions that carry entries (the controller action's userdata) move
     * with them. */
    struct ofpacts inner = ofpact_nested(write);
    for (size_t i = 0; i < inner.n; i += ofpact_span(&inner.acts[i])) {
        const struct ofpact *a = &inner.acts[i];
        size_t j = 0;
        while (j < set->n) {
            size_t span = ofpact_span(&set->acts[j]);
            if (same_set_kind(&set->acts[j], a)) {
                memmove(&set->acts[j], &set->acts[j + span],
                        (set->n - j - span) * sizeof *set->acts);
                set->n -= span;
            } else {
                j += span;
            }
        }
        for (size_t k = 0; k < ofpact_span(a); k++) {
            *ofpacts_put(set, a[k].type) = a[k];
        }
    }
}

void
ofp_action_set_order(const struct ofpacts *set, struct ofpacts *out)
{
    bool group = false;
    for (enum set_rank r = RANK_POP; r <= RANK_OUTPUT; r++) {
        for (size_t i = 0; i < set->n; i += ofpact_span(&set->acts[i])) {
            const struct ofpact *a = &set->acts[i];
            if (set_rank(a) != r || (r == RANK_OUTPUT && group)) {
                continue;
            }
            group |= r == RANK_GROUP;
            for (size_t k = 0; k < ofpact_span(a); k++) {
                *ofpacts_put(out, a[k].type) = a[k];
            }
        }
    }
}

uint32_t
ofp_action_set_output(const struct ofpacts *set)
{
    uint32_t port = OFPP_UNSET;
    for (size_t i = 0; i < set->n; i += ofpact_span(&set->acts[i])) {
        const struct ofpact *a = &set->acts[i];
        if (a->type == OFPACT_GROUP) {
            return OFPP_UNSET;
        } else if (a->type == OFPACT_OUTPUT) {
            port = a->output.port;
        } else if (a->type == OFPACT_CONTROLLER) {
            port = OFPP_CONTROLLER;
        }
    }
    return port;
}
