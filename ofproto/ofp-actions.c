/* ofp-actions: the action table, the list, and actions as text.  The
 * wire codec is ofp-action-wire.c, the checks ofp-action-check.c. */
#include <config.h>
#include "ofp-actions.h"
#include "ofp-action-table.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ofp-mpls.h"
#include "ofp-nested.h"
#include "ofp-queue.h"
#include "nx-observe.h"
#include "conjunction.h"
#include "nx-learn.h"
#include "nx-ct.h"
#include "nx-trunc.h"
#include "nx-nsh.h"
#include "ofp-port.h"
#include "ofp-names.h"

const struct ofpact_legacy_set ofpact_legacy_sets[] = {
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

const size_t ofpact_n_legacy_sets = ARRAY_SIZE(ofpact_legacy_sets);

int ofpact_ct_exec_depth;

const struct ofpact_legacy_set *
ofpact_legacy_for_field(enum mf_field_id id)
{
    for (size_t i = 0; i < ofpact_n_legacy_sets; i++) {
        if (ofpact_legacy_sets[i].field == id) {
            return &ofpact_legacy_sets[i];
        }
    }
    /* UDP ports share the OF1.0 tp actions. */
    if (id == MFF_UDP_SRC) {
        return ofpact_legacy_for_field(MFF_TCP_SRC);
    }
    if (id == MFF_UDP_DST) {
        return ofpact_legacy_for_field(MFF_TCP_DST);
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
    if (mf->flags & MFF_F_CT_ONLY && !ofpact_ct_exec_depth) {
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

/* "dec_ttl" or "dec_ttl(ID,...)"; "dec_ttl()" is plain dec_ttl, as in
 * ovs-ofctl. */
static char *
parse_dec_ttl(const char *arg, struct ofpacts *o)
{
    if (!arg || !*arg) {
        return parse_no_arg(OFPACT_DEC_TTL, arg, o);
    }
    struct ofpact a = { .type = OFPACT_DEC_TTL };
    a.dec_ttl.cnt_ids = true;
    char *copy = xstrdup(arg);
    char *save = NULL;
    for (char *t = strtok_r(copy, ", ", &save); t;
         t = strtok_r(NULL, ", ", &save)) {
        char *end;
        unsigned long id = strtoul(t, &end, 0);
        if (*end || id > UINT16_MAX) {
            char *error = xasprintf("%s: bad controller id in dec_ttl", t);
            free(copy);
            return error;
        }
        if (a.dec_ttl.n_ids >= OFPACT_DEC_TTL_MAX_IDS) {
            free(copy);
            return xasprintf("%s: dec_ttl takes at most %d controller ids",
                             arg, OFPACT_DEC_TTL_MAX_IDS);
        }
        a.dec_ttl.ids[a.dec_ttl.n_ids++] = id;
    }
    free(copy);
    *ofpacts_put(o, OFPACT_DEC_TTL) = a;
    return NULL;
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
    const struct ofpact_legacy_set *l = ofpact_legacy_for_field(mf->id);
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
format_dec_ttl(const struct ofpact *a, struct ds *s)
{
    format_name("dec_ttl", s);
    if (a->dec_ttl.cnt_ids) {
        ds_put_char(s, '(');
        for (size_t i = 0; i < a->dec_ttl.n_ids; i++) {
            ds_put_format(s, "%s%"PRIu16, i ? "," : "", a->dec_ttl.ids[i]);
        }
        ds_put_char(s, ')');
    }
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
    [OFPACT_GROUP] = { OFPACT_GROUP, "group", OFPAT_EXPERIMENTER, 22,
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
    /* Open vSwitch has no OpenFlow 1.0 form of it. */
    [OFPACT_DEC_NSH_TTL] = { OFPACT_DEC_NSH_TTL, "dec_nsh_ttl", -1,
                             OFPAT_EXPERIMENTER,
                             nx_nsh_parse_dec_ttl, nx_nsh_format },
    [OFPACT_CT] = { OFPACT_CT, "ct", OFPAT_EXPERIMENTER, OFPAT_EXPERIMENTER,
                    nx_ct_parse, nx_ct_format },
    [OFPACT_NAT] = { OFPACT_NAT, "nat", OFPAT_EXPERIMENTER,
                     OFPAT_EXPERIMENTER, nx_ct_parse_nat, nx_ct_format },
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

int
ofpact_wire_type(enum ofpact_type type, bool of10)
{
    return of10 ? ofpact_rows[type].of10_type : ofpact_rows[type].of13_type;
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
    for (size_t i = 0; i < ofpact_n_legacy_sets; i++) {
        const struct ofpact_legacy_set *l = &ofpact_legacy_sets[i];
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
        if (ofpact_is_instruction(prev) && (!ofpact_is_instruction(t) || t <= prev)) {
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

char *
ofpacts_parse_ct_exec(const char *s, struct ofpacts *o)
{
    ofpact_ct_exec_depth++;
    char *error = ofpacts_parse(s, o);
    ofpact_ct_exec_depth--;
    return error;
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
