/* ofp-actions: the action table and everything driven by it (text parse
 * and format, wire decode and encode per version, checks). */
#include <config.h>
#include "ofp-actions.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ofp-match.h"
#include "ofp-mpls.h"
#include "ofp-nested.h"
#include "ofp-queue.h"
#include "nx-observe.h"
#include "conjunction.h"
#include "nx-learn.h"
#include "nx-ct.h"
#include "nx-trunc.h"
#include "ofp-port.h"
#include "ofp-names.h"
#include "ofpbuf.h"

#define OFP10_VERSION 0x01
#define OFP15_VERSION 0x06
#define NX_VENDOR_ID 0x00002320
#define OFPAT_EXPERIMENTER 0xffff

/* OpenFlow 1.1+ instruction types. */
#define OFPIT_GOTO_TABLE 1
#define OFPIT_WRITE_METADATA 2
#define OFPIT_WRITE_ACTIONS 3
#define OFPIT_APPLY_ACTIONS 4
#define OFPIT_CLEAR_ACTIONS 5
#define OFPIT_METER 6
/* OpenFlow 1.5's meter action (1.3 and 1.4 have the instruction:
 * ofp-instructions.c). */
#define OFPAT15_METER 29
#define OFPAT15_COPY_FIELD 28
#define OFPM_MAX 0xffff0000u      /* Highest meter id (ofp-meter.h). */

/* OpenFlow 1.0 actions that set one field, and the keywords ovs-ofctl
 * writes them with; they decode to OFPACT_SET_FIELD with 'legacy'. */
struct legacy_set {
    const char *name;
    uint16_t of10_type;
    enum mf_field_id field;
    uint16_t len;              /* OF1.0 action length. */
};
static const struct legacy_set legacy_sets[] = {
    { "mod_vlan_vid", 1, MFF_VLAN_VID, 8 },
    { "mod_vlan_pcp", 2, MFF_VLAN_PCP, 8 },
    { "mod_dl_src", 4, MFF_ETH_SRC, 16 },
    { "mod_dl_dst", 5, MFF_ETH_DST, 16 },
    { "mod_nw_src", 6, MFF_IPV4_SRC, 8 },
    { "mod_nw_dst", 7, MFF_IPV4_DST, 8 },
    { "mod_nw_tos", 8, MFF_IP_DSCP, 8 },
    { "mod_tp_src", 9, MFF_TCP_SRC, 8 },
    { "mod_tp_dst", 10, MFF_TCP_DST, 8 },
};

static const struct legacy_set *
legacy_for_field(enum mf_field_id id)
{
    for (size_t i = 0; i < ARRAY_SIZE(legacy_sets); i++) {
        if (legacy_sets[i].field == id) {
            return &legacy_sets[i];
        }
    }
    /* UDP ports share the OF1.0 tp actions. */
    if (id == MFF_UDP_SRC) {
        return legacy_for_field(MFF_TCP_SRC);
    }
    if (id == MFF_UDP_DST) {
        return legacy_for_field(MFF_TCP_DST);
    }
    return NULL;
}

/* ---- The list. ---- */

void
ofpacts_init(struct ofpacts *o)
{
    o->acts = NULL;
    o->n = o->allocated = 0;
}

void
ofpacts_uninit(struct ofpacts *o)
{
    free(o->acts);
    ofpacts_init(o);
}

void
ofpacts_clear(struct ofpacts *o)
{
    o->n = 0;
}

void
ofpacts_clone(struct ofpacts *dst, const struct ofpacts *src)
{
    ofpacts_init(dst);
    if (src->n) {
        dst->acts = xmemdup(src->acts, src->n * sizeof *src->acts);
        dst->n = dst->allocated = src->n;
    }
}

struct ofpact *
ofpacts_put(struct ofpacts *o, enum ofpact_type type)
{
    if (o->n >= o->allocated) {
        o->allocated = o->allocated ? o->allocated * 2 : 4;
        o->acts = xrealloc(o->acts, o->allocated * sizeof *o->acts);
    }
    struct ofpact *a = &o->acts[o->n++];
    memset(a, 0, sizeof *a);
    a->type = type;
    return a;
}

bool
ofpacts_equal(const struct ofpacts *a, const struct ofpacts *b)
{
    return a->n == b->n
           && (!a->n || !memcmp(a->acts, b->acts, a->n * sizeof *a->acts));
}

void
ofpacts_put_nested(struct ofpacts *o, enum ofpact_type type,
                   const struct ofpacts *inner)
{
    ofpacts_put(o, type)->n_nested = inner->n;
    for (size_t i = 0; i < inner->n; i++) {
        ofpacts_put(o, inner->acts[i].type);
        o->acts[o->n - 1] = inner->acts[i];
    }
}

const struct ofpact *
ofpacts_find(const struct ofpacts *o, enum ofpact_type type)
{
    for (size_t i = 0; i < o->n; i++) {
        if (o->acts[i].type == type) {
            return &o->acts[i];
        }
    }
    return NULL;
}

bool
ofpacts_output_to_port(const struct ofpacts *o, uint32_t port)
{
    for (size_t i = 0; i < o->n; i++) {
        const struct ofpact *a = &o->acts[i];
        if ((a->type == OFPACT_OUTPUT && a->output.port == port)
            || (a->type == OFPACT_OUTPUT_TRUNC
                && a->output_trunc.port == port)
            || (a->type == OFPACT_CONTROLLER && port == OFPP_CONTROLLER)) {
            return true;
        }
    }
    return false;
}

bool
ofpacts_output_to_group(const struct ofpacts *o, uint32_t group_id)
{
    for (size_t i = 0; i < o->n; i++) {
        if (o->acts[i].type == OFPACT_GROUP
            && o->acts[i].group.group_id == group_id) {
            return true;
        }
    }
    return false;
}

static bool
is_instruction(enum ofpact_type type)
{
    return type >= OFPACT_CLEAR_ACTIONS;
}

/* ---- Per-action text and wire functions. ---- */

static char *
parse_u64(const char *arg, uint64_t max, const char *what, uint64_t *out)
{
    unsigned long long x;
    if (!arg || !str_to_ullong(arg, 0, &x) || x > max) {
        return xasprintf("%s: invalid %s", arg ? arg : "(missing)", what);
    }
    *out = x;
    return NULL;
}

static char *
parse_output(const char *arg, struct ofpacts *o)
{
    uint32_t port;
    if (arg && strchr(arg, '[')) {
        return nx_parse_output_reg(arg, o);
    }
    if (arg && (!strncmp(arg, "port=", 5) || !strncmp(arg, "max_len=", 8))) {
        return nx_trunc_parse(arg, o);
    }
    if (!arg || !ofp_port_from_string(arg, &port) || port == OFPP_ANY) {
        return xasprintf("%s: output to unknown port",
                         arg ? arg : "(missing)");
    }
    struct ofpact *a = ofpacts_put(o, OFPACT_OUTPUT);
    a->output.port = port;
    a->output.max_len = port == OFPP_CONTROLLER ? UINT16_MAX : 0;
    return NULL;
}

/* "VALUE[/MASK]->FIELD" */
static char *
parse_set_field(const char *arg, struct ofpacts *o)
{
    const char *arrow = arg ? strstr(arg, "->") : NULL;
    if (!arrow) {
        return xasprintf("%s: set_field syntax is \"value->field\"",
                         arg ? arg : "(missing)");
    }
    const struct mf_field *mf = mf_from_name(arrow + 2);
    if (!mf) {
        return xasprintf("%s is not a valid OXM field name", arrow + 2);
    }
    if (mf->flags & MFF_F_READ_ONLY) {
        return xasprintf("%s is read-only", mf->name);
    }
    if (mf->flags & MFF_F_CT_ONLY) {
        return xstrdup("cannot set CT fields outside of ct action");
    }
    char *vs = xstrndup(arg, arrow - arg);
    union mf_value value, mask;
    char *error = mf_parse(mf, vs, &value, &mask);
    free(vs);
    if (error) {
        return error;
    }
    struct ofpact *a = ofpacts_put(o, OFPACT_SET_FIELD);
    a->set_field.field = mf->id;
    a->set_field.value = value;
    a->set_field.mask = mask;
    return NULL;
}

static char *
parse_push_vlan(const char *arg, struct ofpacts *o)
{
    uint64_t type = 0;
    char *error = parse_u64(arg, UINT16_MAX, "ethertype", &type);
    if (error) {
        return error;
    }
    if (type != 0x8100 && type != 0x88a8) {
        return xasprintf("%s: not a valid VLAN ethertype", arg);
    }
    ofpacts_put(o, OFPACT_PUSH_VLAN)->push_vlan.ethertype = type;
    return NULL;
}

static char *
parse_no_arg(enum ofpact_type type, const char *arg, struct ofpacts *o)
{
    if (arg && *arg) {
        return xasprintf("%s: unexpected argument", arg);
    }
    ofpacts_put(o, type);
    return NULL;
}

static char *
parse_pop_vlan(const char *arg, struct ofpacts *o)
{
    return parse_no_arg(OFPACT_POP_VLAN, arg, o);
}

static char *
parse_dec_ttl(const char *arg, struct ofpacts *o)
{
    return parse_no_arg(OFPACT_DEC_TTL, arg, o);
}

static char *
parse_clear_actions(const char *arg, struct ofpacts *o)
{
    return parse_no_arg(OFPACT_CLEAR_ACTIONS, arg, o);
}

static char *
parse_write_metadata(const char *arg, struct ofpacts *o)
{
    const char *slash = arg ? strchr(arg, '/') : NULL;
    uint64_t value = 0, mask = UINT64_MAX;
    char *vs = slash ? xstrndup(arg, slash - arg) : xstrdup(arg ? arg : "");
    char *error = parse_u64(vs, UINT64_MAX, "metadata", &value);
    free(vs);
    if (!error && slash) {
        error = parse_u64(slash + 1, UINT64_MAX, "metadata mask", &mask);
    }
    if (error) {
        return error;
    }
    struct ofpact *a = ofpacts_put(o, OFPACT_WRITE_METADATA);
    a->write_metadata.metadata = value & mask;
    a->write_metadata.mask = mask;
    return NULL;
}

static char *
parse_goto_table(const char *arg, struct ofpacts *o)
{
    uint64_t table = 0;
    uint8_t id;
    char *error = (arg && ofp_table_from_string(arg, 254, &id)
                   ? (table = id, NULL)
                   : parse_u64(arg, 254, "table id", &table));
    if (!error) {
        ofpacts_put(o, OFPACT_GOTO_TABLE)->goto_table.table_id = table;
    }
    return error;
}

static char *
parse_group(const char *arg, struct ofpacts *o)
{
    uint64_t id = 0;
    char *error = parse_u64(arg, 0xffffff00, "group id", &id);
    if (!error) {
        ofpacts_put(o, OFPACT_GROUP)->group.group_id = id;
    }
    return error;
}

static void
format_group(const struct ofpact *a, struct ds *s)
{
    ds_put_format(s, "group:%"PRIu32, a->group.group_id);
}

static char *
parse_meter(const char *arg, struct ofpacts *o)
{
    uint64_t id = 0;
    char *error = parse_u64(arg, OFPM_MAX, "meter id", &id);
    if (!error) {
        ofpacts_put(o, OFPACT_METER)->meter.meter_id = id;
    }
    return error;
}

static void
format_meter(const struct ofpact *a, struct ds *s)
{
    ds_put_format(s, "meter:%"PRIu32, a->meter.meter_id);
}

static void
format_output(const struct ofpact *a, struct ds *s)
{
    if (a->output.port == OFPP_CONTROLLER) {
        ds_put_format(s, "CONTROLLER:%"PRIu16, a->output.max_len);
    } else if (a->output.port <= OFPP_MAX) {
        ds_put_cstr(s, "output:");
        ofp_port_format(a->output.port, s);
    } else {
        ofp_port_format(a->output.port, s);
    }
}

static void
format_set_field(const struct ofpact *a, struct ds *s)
{
    const struct mf_field *mf = mf_from_id(a->set_field.field);
    const struct legacy_set *l = legacy_for_field(mf->id);
    if (a->set_field.legacy && l) {
        ds_put_format(s, "%s:", l->name);
        union mf_value v = a->set_field.value;
        if (mf->id == MFF_VLAN_VID) {
            v.be16 &= htons(0x0fff);
        }
        mf_format(mf, &v, NULL, s);
        return;
    } else if (a->set_field.load) {
        nx_format_set_field_loads(a, s);
        return;
    }
    ds_put_cstr(s, "set_field:");
    mf_format_set_value(mf, &a->set_field.value, &a->set_field.mask, s);
    ds_put_format(s, "->%s", mf->name);
}

static void
format_push_vlan(const struct ofpact *a, struct ds *s)
{
    ds_put_format(s, "push_vlan:0x%"PRIx16, a->push_vlan.ethertype);
}

static void
format_name(const char *name, struct ds *s)
{
    ds_put_cstr(s, name);
}

static void
format_pop_vlan(const struct ofpact *a, struct ds *s)
{
    format_name(a->pop_vlan.strip_vlan ? "strip_vlan" : "pop_vlan", s);
}

static void
format_dec_ttl(const struct ofpact *a XVS_UNUSED, struct ds *s)
{
    format_name("dec_ttl", s);
}

static void
format_clear_actions(const struct ofpact *a XVS_UNUSED, struct ds *s)
{
    format_name("clear_actions", s);
}

static void
format_write_metadata(const struct ofpact *a, struct ds *s)
{
    ds_put_format(s, "write_metadata:0x%"PRIx64, a->write_metadata.metadata);
    if (a->write_metadata.mask != UINT64_MAX) {
        ds_put_format(s, "/0x%"PRIx64, a->write_metadata.mask);
    }
}

static void
format_goto_table(const struct ofpact *a, struct ds *s)
{
    ds_put_cstr(s, "goto_table:");
    ofp_table_format(a->goto_table.table_id, s);
}

/* One row per action kind.  of10_type/of13_type: the wire action (or, for
 * instructions, instruction) type, -1 if none. */
struct ofpact_row {
    enum ofpact_type type;
    const char *name;          /* Keyword in "actions=". */
    int of10_type;
    int of13_type;
    char *(*parse)(const char *arg, struct ofpacts *);
    void (*format)(const struct ofpact *, struct ds *);
};

static const struct ofpact_row ofpact_rows[OFPACT_N_TYPES] = {
    [OFPACT_OUTPUT] = { OFPACT_OUTPUT, "output", 0, 0,
                        parse_output, format_output },
    [OFPACT_CONTROLLER] = { OFPACT_CONTROLLER, "controller",
                            OFPAT_EXPERIMENTER, OFPAT_EXPERIMENTER,
                            nx_parse_controller, nx_format_controller },
    /* Part of the controller action before it. */
    [OFPACT_CONTROLLER_DATA] = { OFPACT_CONTROLLER_DATA, "controller",
                                 OFPAT_EXPERIMENTER, OFPAT_EXPERIMENTER,
                                 NULL, NULL },
    [OFPACT_SET_FIELD] = { OFPACT_SET_FIELD, "set_field", -1, 25,
                           parse_set_field, format_set_field },
    [OFPACT_PUSH_VLAN] = { OFPACT_PUSH_VLAN, "push_vlan", -1, 17,
                           parse_push_vlan, format_push_vlan },
    [OFPACT_POP_VLAN] = { OFPACT_POP_VLAN, "pop_vlan", 3, 18,
                          parse_pop_vlan, format_pop_vlan },
    [OFPACT_DEC_TTL] = { OFPACT_DEC_TTL, "dec_ttl", OFPAT_EXPERIMENTER, 24,
                         parse_dec_ttl, format_dec_ttl },
    [OFPACT_RESUBMIT] = { OFPACT_RESUBMIT, "resubmit", OFPAT_EXPERIMENTER,
                          OFPAT_EXPERIMENTER, nx_parse_resubmit,
                          nx_format_resubmit },
    [OFPACT_REG_LOAD] = { OFPACT_REG_LOAD, "load", OFPAT_EXPERIMENTER,
                          OFPAT_EXPERIMENTER, nx_parse_load, nx_format_load },
    [OFPACT_REG_MOVE] = { OFPACT_REG_MOVE, "move", OFPAT_EXPERIMENTER,
                          OFPAT_EXPERIMENTER, nx_parse_move, nx_format_move },
    [OFPACT_STACK_PUSH] = { OFPACT_STACK_PUSH, "push", OFPAT_EXPERIMENTER,
                            OFPAT_EXPERIMENTER, nx_parse_push,
                            nx_format_stack },
    [OFPACT_STACK_POP] = { OFPACT_STACK_POP, "pop", OFPAT_EXPERIMENTER,
                           OFPAT_EXPERIMENTER, nx_parse_pop,
                           nx_format_stack },
    [OFPACT_NOTE] = { OFPACT_NOTE, "note", OFPAT_EXPERIMENTER,
                      OFPAT_EXPERIMENTER, nx_parse_note, nx_format_note },
    /* Parsed by parse_output() when its argument is a subfield. */
    [OFPACT_OUTPUT_REG] = { OFPACT_OUTPUT_REG, "output", OFPAT_EXPERIMENTER,
                            OFPAT_EXPERIMENTER, NULL, nx_format_output_reg },
    /* Parsed by parse_output() when its argument has port= or max_len=. */
    [OFPACT_OUTPUT_TRUNC] = { OFPACT_OUTPUT_TRUNC, "output",
                              OFPAT_EXPERIMENTER, OFPAT_EXPERIMENTER, NULL,
                              nx_trunc_format },
    [OFPACT_DELETE_FIELD] = { OFPACT_DELETE_FIELD, "delete_field",
                              OFPAT_EXPERIMENTER, OFPAT_EXPERIMENTER,
                              nx_parse_delete_field, nx_format_delete_field },
    [OFPACT_CT_CLEAR] = { OFPACT_CT_CLEAR, "ct_clear", OFPAT_EXPERIMENTER,
                          OFPAT_EXPERIMENTER, nx_ct_parse_clear,
                          nx_ct_format },
    [OFPACT_GROUP] = { OFPACT_GROUP, "group", -1, 22,
                       parse_group, format_group },
    [OFPACT_CLONE] = { OFPACT_CLONE, "clone", OFPAT_EXPERIMENTER,
                       OFPAT_EXPERIMENTER, ofp_nested_parse_clone,
                       ofp_nested_format },
    [OFPACT_SET_QUEUE] = { OFPACT_SET_QUEUE, "set_queue", OFPAT_EXPERIMENTER,
                           OFPAT11_SET_QUEUE, ofp_queue_parse_set_queue,
                           ofp_queue_format },
    [OFPACT_POP_QUEUE] = { OFPACT_POP_QUEUE, "pop_queue", OFPAT_EXPERIMENTER,
                           OFPAT_EXPERIMENTER, ofp_queue_parse_pop_queue,
                           ofp_queue_format },
    [OFPACT_ENQUEUE] = { OFPACT_ENQUEUE, "enqueue", OFPAT10_ENQUEUE,
                         OFPAT11_SET_QUEUE, ofp_queue_parse_enqueue,
                         ofp_queue_format },
    [OFPACT_SAMPLE] = { OFPACT_SAMPLE, "sample", OFPAT_EXPERIMENTER,
                        OFPAT_EXPERIMENTER, nx_parse_sample,
                        nx_format_sample },
    [OFPACT_CHECK_PKT_LARGER] = { OFPACT_CHECK_PKT_LARGER,
                                  "check_pkt_larger", OFPAT_EXPERIMENTER,
                                  OFPAT_EXPERIMENTER,
                                  nx_parse_check_pkt_larger,
                                  nx_format_check_pkt_larger },
    [OFPACT_CONJUNCTION] = { OFPACT_CONJUNCTION, "conjunction",
                             OFPAT_EXPERIMENTER, OFPAT_EXPERIMENTER,
                             conjunction_parse, conjunction_format },
    [OFPACT_MULTIPATH] = { OFPACT_MULTIPATH, "multipath", OFPAT_EXPERIMENTER,
                           OFPAT_EXPERIMENTER, nx_parse_multipath,
                           nx_format_multipath },
    /* bundle_load is parsed by parse_one(). */
    [OFPACT_BUNDLE] = { OFPACT_BUNDLE, "bundle", OFPAT_EXPERIMENTER,
                        OFPAT_EXPERIMENTER, nx_parse_bundle,
                        nx_format_bundle },
    [OFPACT_LEARN] = { OFPACT_LEARN, "learn", OFPAT_EXPERIMENTER,
                       OFPAT_EXPERIMENTER, nx_parse_learn, nx_format_learn },
    /* Part of the learn before it: parsed, printed and encoded there. */
    [OFPACT_LEARN_SPEC] = { OFPACT_LEARN_SPEC, "learn", OFPAT_EXPERIMENTER,
                            OFPAT_EXPERIMENTER, NULL, NULL },
    [OFPACT_FIN_TIMEOUT] = { OFPACT_FIN_TIMEOUT, "fin_timeout",
                             OFPAT_EXPERIMENTER, OFPAT_EXPERIMENTER,
                             nx_parse_fin_timeout, nx_format_fin_timeout },
    /* 29 is the OpenFlow 1.5 action; 1.3 and 1.4 use OFPIT_METER. */
    [OFPACT_METER] = { OFPACT_METER, "meter", -1, OFPAT15_METER,
                       parse_meter, format_meter },
    [OFPACT_PUSH_MPLS] = { OFPACT_PUSH_MPLS, "push_mpls", OFPAT_EXPERIMENTER,
                           OFPAT11_PUSH_MPLS, ofp_mpls_parse_push,
                           ofp_mpls_format },
    [OFPACT_POP_MPLS] = { OFPACT_POP_MPLS, "pop_mpls", OFPAT_EXPERIMENTER,
                          OFPAT11_POP_MPLS, ofp_mpls_parse_pop,
                          ofp_mpls_format },
    /* OpenFlow 1.2+ writes these two as set_field (25). */
    [OFPACT_SET_MPLS_LABEL] = { OFPACT_SET_MPLS_LABEL, "set_mpls_label",
                                OFPAT_EXPERIMENTER, 25,
                                ofp_mpls_parse_set_label, ofp_mpls_format },
    [OFPACT_SET_MPLS_TC] = { OFPACT_SET_MPLS_TC, "set_mpls_tc",
                             OFPAT_EXPERIMENTER, 25, ofp_mpls_parse_set_tc,
                             ofp_mpls_format },
    [OFPACT_SET_MPLS_TTL] = { OFPACT_SET_MPLS_TTL, "set_mpls_ttl",
                              OFPAT_EXPERIMENTER, OFPAT11_SET_MPLS_TTL,
                              ofp_mpls_parse_set_ttl, ofp_mpls_format },
    [OFPACT_DEC_MPLS_TTL] = { OFPACT_DEC_MPLS_TTL, "dec_mpls_ttl",
                              OFPAT_EXPERIMENTER, OFPAT11_DEC_MPLS_TTL,
                              ofp_mpls_parse_dec_ttl, ofp_mpls_format },
    [OFPACT_CLEAR_ACTIONS] = { OFPACT_CLEAR_ACTIONS, "clear_actions", -1,
                               OFPIT_CLEAR_ACTIONS, parse_clear_actions,
                               format_clear_actions },
    [OFPACT_WRITE_ACTIONS] = { OFPACT_WRITE_ACTIONS, "write_actions", -1,
                               OFPIT_WRITE_ACTIONS,
                               ofp_nested_parse_write_actions,
                               ofp_nested_format },
    [OFPACT_WRITE_METADATA] = { OFPACT_WRITE_METADATA, "write_metadata", -1,
                                OFPIT_WRITE_METADATA, parse_write_metadata,
                                format_write_metadata },
    [OFPACT_GOTO_TABLE] = { OFPACT_GOTO_TABLE, "goto_table", -1,
                            OFPIT_GOTO_TABLE, parse_goto_table,
                            format_goto_table },
};

uint32_t
ofpacts_standard_action_types(uint8_t version)
{
    uint32_t types = 0;
    for (size_t i = 0; i < OFPACT_CLEAR_ACTIONS; i++) {
        int t = ofpact_rows[i].of13_type;
        /* Before 1.5 the meter is an instruction, not an action. */
        if (t >= 0 && t < 32
            && (i != OFPACT_METER || version >= OFP15_VERSION)) {
            types |= UINT32_C(1) << t;
        }
    }
    if (version >= OFP15_VERSION) {
        /* copy_field, which nx_decode_of15() takes as a move. */
        types |= UINT32_C(1) << OFPAT15_COPY_FIELD;
    }
    return types;
}

uint32_t
ofpacts_instruction_types(uint8_t version)
{
    /* Apply-actions has no row: it is the list before the instructions. */
    uint32_t types = UINT32_C(1) << OFPIT_APPLY_ACTIONS;
    for (size_t i = OFPACT_CLEAR_ACTIONS; i < OFPACT_N_TYPES; i++) {
        types |= UINT32_C(1) << ofpact_rows[i].of13_type;
    }
    if (version < OFP15_VERSION) {
        /* ofp-instructions.c: OFPIT_METER, an action from 1.5 on. */
        types |= UINT32_C(1) << OFPIT_METER;
    }
    return types;
}

const char *
ofp_packet_in_reason_to_string(uint8_t reason)
{
    switch (reason) {
    case OFPR_NO_MATCH: return "no_match";
    case OFPR_ACTION: return "action";
    case OFPR_INVALID_TTL: return "invalid_ttl";
    case OFPR_ACTION_SET: return "action_set";
    case OFPR_GROUP: return "group";
    case OFPR_PACKET_OUT: return "packet_out";
    }
    return "unknown";
}

/* ---- Text. ---- */

static char *
parse_one(const char *key, const char *arg, struct ofpacts *o)
{
    for (size_t i = 0; i < ARRAY_SIZE(ofpact_rows); i++) {
        if (ofpact_rows[i].parse && !strcasecmp(key, ofpact_rows[i].name)) {
            return ofpact_rows[i].parse(arg, o);
        }
    }
    if (!strcasecmp(key, "bundle_load")) {
        return nx_parse_bundle_load(arg, o);
    }
    if (!strcasecmp(key, "strip_vlan")) {
        char *error = parse_pop_vlan(arg, o);
        if (!error) {
            o->acts[o->n - 1].pop_vlan.strip_vlan = true;
        }
        return error;
    }
    for (size_t i = 0; i < ARRAY_SIZE(legacy_sets); i++) {
        const struct legacy_set *l = &legacy_sets[i];
        if (strcasecmp(key, l->name)) {
            continue;
        }
        const struct mf_field *mf = mf_from_id(l->field);
        union mf_value v;
        char *error = (mf->id == MFF_VLAN_VID
                       ? mf_parse_value(mf_from_id(MFF_DL_VLAN),
                                        arg ? arg : "", &v)
                       : mf_parse_value(mf, arg ? arg : "", &v));
        if (error) {
            return error;
        }
        if (mf->id == MFF_VLAN_VID) {
            v.be16 |= htons(VLAN_CFI);
        }
        struct ofpact *a = ofpacts_put(o, OFPACT_SET_FIELD);
        a->set_field.field = mf->id;
        a->set_field.value = v;
        mf_exact_mask(mf, &a->set_field.mask);
        a->set_field.legacy = true;
        return NULL;
    }
    /* A bare port: "2", "LOCAL", "NORMAL", ... */
    uint32_t port;
    if (!arg && ofp_port_from_string(key, &port) && port != OFPP_ANY) {
        if (port == OFPP_CONTROLLER) {
            return nx_parse_controller(NULL, o);
        }
        return parse_output(key, o);
    }
    return xasprintf("unknown action %s", key);
}

/* Splits "a,b(c,d),e:f" at top-level commas. */
char *
ofpacts_parse(const char *s, struct ofpacts *o)
{
    ofpacts_clear(o);
    const char *p = s;
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    if (!strcasecmp(p, "drop") || !*p) {
        return NULL;
    }
    while (*p) {
        size_t len = 0;
        int depth = 0;
        while (p[len] && (depth || p[len] != ',')) {
            depth += p[len] == '(' ? 1 : p[len] == ')' ? -1 : 0;
            len++;
        }
        char *tok = xstrndup(p, len);
        char *arg = NULL;
        size_t tlen = strlen(tok);
        while (tlen && strchr(" \t\r\n", tok[tlen - 1])) {
            tok[--tlen] = '\0';
        }
        size_t klen = strcspn(tok, ":(");
        if (tok[klen] == ':') {
            arg = tok + klen + 1;
            tok[klen] = '\0';
        } else if (tok[klen] == '(') {
            char *close = strrchr(tok, ')');
            if (close && !strncmp(close + 1, "->", 2)) {
                /* check_pkt_larger(LEN)->DST: the parser gets "LEN->DST". */
                memmove(close, close + 1, strlen(close + 1) + 1);
                close = tok + strlen(tok);
                *close = ')';
            }
            if (!close || close[1]) {
                char *error = xasprintf("%s: unbalanced parentheses", tok);
                free(tok);
                return error;
            }
            *close = '\0';
            arg = tok + klen + 1;
            tok[klen] = '\0';
        }
        char *error = (!strcasecmp(tok, "drop")
                       ? xstrdup("drop must be the only action")
                       : parse_one(tok, arg, o));
        free(tok);
        if (error) {
            return error;
        }
        p += len;
        if (*p == ',') {
            p++;
        }
    }
    /* The meter first; instructions after actions, each once, in the
     * wire order. */
    for (size_t prev_i = 0, i = o->n ? ofpact_span(&o->acts[0]) : 0;
         i < o->n; prev_i = i, i += ofpact_span(&o->acts[i])) {
        enum ofpact_type prev = o->acts[prev_i].type, t = o->acts[i].type;
        if (t == OFPACT_METER) {
            return xasprintf("meter must be the first action, and only "
                             "once");
        }
        if (is_instruction(prev) && (!is_instruction(t) || t <= prev)) {
            return xasprintf("%s must not follow %s: instructions come "
                             "after the actions, once each, in the order "
                             "clear_actions, write_actions, "
                             "write_metadata, goto_table",
                             ofpact_rows[t].name, ofpact_rows[prev].name);
        }
    }
    const struct ofpact *other;
    if (conjunction_in(o, &other) && other) {
        return xasprintf("\"conjunction\" actions may be used along with "
                         "\"note\" but not any other kind of action (such "
                         "as the \"%s\" action used here)",
                         ofpact_rows[other->type].name);
    }
    return NULL;
}

void
ofpacts_format(const struct ofpacts *o, struct ds *s)
{
    if (!o->n) {
        ds_put_cstr(s, "drop");
        return;
    }
    bool first = true;
    for (size_t i = 0; i < o->n; i += ofpact_span(&o->acts[i])) {
        const struct ofpact *a = &o->acts[i];
        if (a->type == OFPACT_PUSH_VLAN && a->push_vlan.implicit) {
            continue;
        }
        if (!first) {
            ds_put_char(s, ',');
        }
        first = false;
        ofpact_format(a, s);
    }
}

void
ofpact_format(const struct ofpact *a, struct ds *s)
{
    ofpact_rows[a->type].format(a, s);
}

/* ---- Checks. ---- */

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
        case OFPACT_CONJUNCTION:
        case OFPACT_CT_CLEAR:
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

/* ---- Wire. ---- */

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
        return nx_ct_decode(p, len, o);
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
    for (size_t i = 0; i < ARRAY_SIZE(legacy_sets); i++) {
        const struct legacy_set *l = &legacy_sets[i];
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
        if (mf->flags & (MFF_F_READ_ONLY | MFF_F_CT_ONLY)) {
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
        if (get_be32(p + 4) > 0xffffff00) {
            return OFPERR_OFPBAC_BAD_OUT_GROUP;
        }
        ofpacts_put(o, OFPACT_GROUP)->group.group_id = get_be32(p + 4);
        return 0;
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
        return legacy_for_field(mf->id) && exact;
    }
    return exact || version >= OFP15_VERSION;
}

static bool
action_usable(const struct ofpact *a, uint8_t version)
{
    if (is_instruction(a->type)) {
        return version != OFP10_VERSION;
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
    return ofpact_rows[a->type].of10_type >= 0 || version != OFP10_VERSION;
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
    const struct legacy_set *l = legacy_for_field(mf->id);
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
        if (of10) {
            nx_encode(a, b);
            break;
        }
        /* Fall through. */
    case OFPACT_POP_VLAN:
        put_action_header(b, of10 ? ofpact_rows[a->type].of10_type
                                  : ofpact_rows[a->type].of13_type, 8);
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
        nx_ct_encode(a, b);
        break;
    case OFPACT_GROUP:
        put_action_header(b, 22, 8);
        ofpbuf_put_be32(b, a->group.group_id);
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
    case OFPACT_METER:
        /* Before OpenFlow 1.5 ofpacts_put_instructions() writes it. */
        if (version >= OFP15_VERSION) {
            put_action_header(b, OFPAT15_METER, 8);
            ofpbuf_put_be32(b, a->meter.meter_id);
        }
        break;
    case OFPACT_CLEAR_ACTIONS:
    case OFPACT_WRITE_ACTIONS:
    case OFPACT_WRITE_METADATA:
    case OFPACT_GOTO_TABLE:
    case OFPACT_N_TYPES:
        break;
    }
}

void
ofpacts_put_openflow_actions(const struct ofpacts *o, uint8_t version,
                             struct ofpbuf *b)
{
    for (size_t i = 0; i < o->n; i += ofpact_span(&o->acts[i])) {
        if (!is_instruction(o->acts[i].type)
            && action_usable(&o->acts[i], version)) {
            encode_action(&o->acts[i], version, b);
        }
    }
}
