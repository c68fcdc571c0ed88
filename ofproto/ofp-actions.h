/* ofp-actions: OpenFlow actions and instructions, version-independent.
 *
 * Every version encodes actions differently (OF1.0 has mod_dl_src as its
 * own action, OF1.2+ uses set_field; OF1.1+ wraps actions in
 * instructions), so ofproto works on one internal form instead: a
 * 'struct ofpacts' array of 'struct ofpact'.  Instructions appear in the
 * same array after the apply-actions part, as ovs-ofctl writes them in
 * text ("actions=output:1,goto_table:2"): OFPACT_CLEAR_ACTIONS,
 * OFPACT_WRITE_ACTIONS, OFPACT_WRITE_METADATA, OFPACT_GOTO_TABLE.
 * Everything before them is the apply-actions list.
 *
 * Nesting stays flat: an action that carries an action list
 * (write_actions, clone), specs (learn) or bytes (the controller action's
 * userdata, a note's past NX_NOTE_MAX) is followed in the same array by
 * the entries of that list, and its 'n_nested' counts them (nested lists
 * included), so copying, comparing and freeing an ofpacts needs no
 * recursion.  Loops over one level step by ofpact_span(); ofpact_nested()
 * views the inner list in place.
 *
 * The meter is the exception: in text OFPACT_METER ("meter:N") may only
 * come first, as the instruction it is in OpenFlow 1.3 and 1.4
 * (OFPIT_METER, which runs before apply-actions), and as ovs-ofctl
 * requires.  OpenFlow 1.5 made it an action (OFPAT_METER): a 1.5 message
 * may meter anywhere in an action list, clone included (the packet is
 * measured where the action stands, once per meter action), but not in
 * write_actions (OFPBAC_BAD_TYPE, as any action the action set cannot
 * hold).  Such a rule reads back in 1.3 and 1.4 with its first meter as
 * the instruction.
 *
 ofp-actions.c holds one table, one row per action kind, with the wire
 * type per version and the text keyword, and drives parse and format
 * from it; ofp-action-wire.c decodes and encodes with the wire types the
 * table gives (ofp-action-table.h), ofp-action-check.c checks a list
 * against its match.  The rows of the newer kinds point into a module
 * per concept (nx-actions, ofp-nested, ofp-queue, nx-observe,
 * conjunction, nx-select, nx-learn, ofp-mpls, nx-ct, nx-trunc).
 * ofp-instructions.c wraps the instructions.
 *
 * Not supported yet: the Nicira extension actions that no module lists
 * (nx-actions.h, ofp-nested.h), encap and decap among them. */
#ifndef XVS_OFP_ACTIONS_H
#define XVS_OFP_ACTIONS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "meta-flow.h"
#include "nx-actions.h"
#include "nx-controller.h"
#include "nx-select.h"
#include "ofp-errors.h"
#include "util.h"

struct ofpbuf;
struct match;

enum ofpact_type {
    OFPACT_OUTPUT,          /* output:PORT, NORMAL, FLOOD, ALL, LOCAL,
                             * IN_PORT, and output to CONTROLLER. */
    OFPACT_CONTROLLER,      /* controller(...) (nx-controller.h); followed
                             * by its userdata, */
    OFPACT_CONTROLLER_DATA, /* NX_CONTROLLER_CHUNK bytes per entry (also
                             * the tail of a long note). */
    OFPACT_SET_FIELD,       /* set_field:V->F, mod_dl_src, mod_nw_dst, ... */
    OFPACT_PUSH_VLAN,       /* push_vlan:ETHERTYPE */
    OFPACT_POP_VLAN,        /* pop_vlan / strip_vlan */
    OFPACT_DEC_TTL,         /* dec_ttl */
    /* Nicira extensions (nx-actions.h). */
    OFPACT_RESUBMIT,        /* resubmit:PORT, resubmit(PORT,TABLE) */
    OFPACT_REG_LOAD,        /* load:VALUE->DST[..] */
    OFPACT_REG_MOVE,        /* move:SRC[..]->DST[..] */
    OFPACT_STACK_PUSH,      /* push:SRC[..] */
    OFPACT_STACK_POP,       /* pop:DST[..] */
    OFPACT_NOTE,            /* note:HEX.HEX...; followed by the bytes
                             * past NX_NOTE_MAX. */
    OFPACT_OUTPUT_REG,      /* output:SRC[..] */
    OFPACT_OUTPUT_TRUNC,    /* output(port=P,max_len=N) (nx-trunc.h) */
    OFPACT_DELETE_FIELD,    /* delete_field:tun_metadataN */
    OFPACT_CT_CLEAR,        /* ct_clear (nx-ct.h) */
    OFPACT_GROUP,           /* group:GROUP_ID (ofp-group.h) */
    OFPACT_CLONE,           /* clone(ACTIONS...) (ofp-nested.h) */
    OFPACT_SET_QUEUE,       /* set_queue:QUEUE (ofp-queue.h) */
    OFPACT_POP_QUEUE,       /* pop_queue */
    OFPACT_ENQUEUE,         /* enqueue:PORT:QUEUE */
    OFPACT_SAMPLE,          /* sample(...) (nx-observe.h) */
    OFPACT_CHECK_PKT_LARGER,    /* check_pkt_larger(LEN)->DST */
    OFPACT_CONJUNCTION,     /* conjunction(ID,K/N) (conjunction.h) */
    OFPACT_MULTIPATH,       /* multipath(...) (nx-select.h) */
    OFPACT_BUNDLE,          /* bundle(...), bundle_load(...) */
    OFPACT_LEARN,           /* learn(...) (nx-learn.h); followed by its */
    OFPACT_LEARN_SPEC,      /* specs, one entry each. */
    OFPACT_FIN_TIMEOUT,     /* fin_timeout(...) (nx-learn.h) */
    OFPACT_METER,           /* meter:METER_ID (ofp-meter.h). */
    /* MPLS (ofp-mpls.h). */
    OFPACT_PUSH_MPLS,       /* push_mpls:ETHERTYPE */
    OFPACT_POP_MPLS,        /* pop_mpls:ETHERTYPE */
    OFPACT_SET_MPLS_LABEL,  /* set_mpls_label:LABEL */
    OFPACT_SET_MPLS_TC,     /* set_mpls_tc:TC */
    OFPACT_SET_MPLS_TTL,    /* set_mpls_ttl:TTL */
    OFPACT_DEC_MPLS_TTL,    /* dec_mpls_ttl */
    OFPACT_DEC_NSH_TTL,     /* dec_nsh_ttl (nx-nsh.h) */
    /* Conntrack (nx-ct.h). */
    OFPACT_CT,              /* ct(...); followed by its nat and exec
                             * actions. */
    OFPACT_NAT,             /* nat(...), only inside ct. */

    /* Instructions; always after the actions above, in this order. */
    OFPACT_CLEAR_ACTIONS,   /* clear_actions */
    OFPACT_WRITE_ACTIONS,   /* write_actions(ACTIONS...) (ofp-nested.h) */
    OFPACT_WRITE_METADATA,  /* write_metadata:VALUE[/MASK] */
    OFPACT_GOTO_TABLE,      /* goto_table:N */

    OFPACT_N_TYPES
};

/* Controller ids one dec_ttl(...) may name. */
#define OFPACT_DEC_TTL_MAX_IDS 8

struct ofpact {
    enum ofpact_type type;
    uint32_t n_nested;          /* Entries after this one that belong to
                                 * it (OFPACT_CLONE, OFPACT_WRITE_ACTIONS,
                                 * OFPACT_LEARN, OFPACT_CONTROLLER,
                                 * OFPACT_NOTE, OFPACT_CT); 0 for other
                                 * kinds. */
    union {
        struct {                 /* OFPACT_OUTPUT. */
            uint32_t port;       /* 32-bit, OFPP_* for reserved ports. */
            uint16_t max_len;    /* For OFPP_CONTROLLER. */
        } output;
        struct {                 /* OFPACT_CONTROLLER. */
            uint16_t max_len;
            uint8_t reason;      /* OFPR_*; OFPR_ACTION by default. */
            bool pause;
            uint16_t controller_id;
            uint32_t meter_id;   /* NX_CTLR_NO_METER if none. */
            uint32_t userdata_len;   /* In the entries that follow. */
        } controller;
        struct {                 /* OFPACT_CONTROLLER_DATA. */
            uint8_t data[NX_CONTROLLER_CHUNK];
            uint8_t len;
        } controller_data;
        struct {                 /* OFPACT_SET_FIELD. */
            enum mf_field_id field;
            union mf_value value;
            union mf_value mask; /* All-ones unless set_field:V/M->F. */
            bool legacy;         /* Printed as mod_dl_src etc. (OF1.0
                                  * actions decode to this). */
            bool load;           /* A load over 64 bits: NX loads before
                                  * OF1.5, and printed as them. */
        } set_field;
        struct {                 /* OFPACT_POP_VLAN. */
            bool strip_vlan;     /* Printed as OF1.0's "strip_vlan". */
        } pop_vlan;
        struct {                 /* OFPACT_PUSH_VLAN. */
            uint16_t ethertype;
            bool implicit;       /* Added for mod_vlan_vid/pcp on an
                                  * untagged match: OF1.0's set-VLAN
                                  * actions tag by themselves, so it is
                                  * neither encoded in OF1.0 nor printed. */
        } push_vlan;
        struct {                 /* OFPACT_WRITE_METADATA. */
            uint64_t metadata;
            uint64_t mask;
        } write_metadata;
        struct {                 /* OFPACT_GROUP. */
            uint32_t group_id;
        } group;
        struct {                 /* OFPACT_METER. */
            uint32_t meter_id;
        } meter;
        struct {                 /* OFPACT_GOTO_TABLE. */
            uint8_t table_id;
        } goto_table;
        struct {                 /* OFPACT_RESUBMIT. */
            uint32_t in_port;    /* OFPP_IN_PORT: keep the packet's. */
            uint8_t table_id;    /* NX_RESUBMIT_TABLE_SAME: current. */
        } resubmit;
        struct {                 /* OFPACT_REG_LOAD. */
            struct mf_subfield dst;
            uint64_t value;
        } reg_load;
        struct {                 /* OFPACT_REG_MOVE. */
            struct mf_subfield src;
            struct mf_subfield dst;
        } reg_move;
        struct {                 /* OFPACT_STACK_PUSH, OFPACT_STACK_POP. */
            struct mf_subfield sf;
        } stack;
        struct {                 /* OFPACT_DEC_TTL. */
            bool cnt_ids;        /* dec_ttl(ID,...): only controllers with
                                  * these ids hear of an expired TTL (none
                                  * with no ids); plain dec_ttl tells id 0. */
            uint8_t n_ids;
            uint16_t ids[OFPACT_DEC_TTL_MAX_IDS];
        } dec_ttl;
        struct {                 /* OFPACT_NOTE; followed by */
            uint8_t data[NX_NOTE_MAX];  /* OFPACT_CONTROLLER_DATA entries */
            uint16_t len;               /* with the bytes past these. */
        } note;
        struct {                 /* OFPACT_OUTPUT_TRUNC. */
            uint32_t port;
            uint32_t max_len;
        } output_trunc;
        struct {                 /* OFPACT_DELETE_FIELD. */
            enum mf_field_id field;
        } delete_field;
        struct {                 /* OFPACT_OUTPUT_REG. */
            struct mf_subfield src;
            uint16_t max_len;
        } output_reg;
        struct {                 /* OFPACT_SET_QUEUE, OFPACT_ENQUEUE. */
            uint32_t queue_id;
            uint32_t port;       /* OFPACT_ENQUEUE only. */
        } queue;
        struct {                 /* OFPACT_SAMPLE. */
            uint16_t probability;    /* Out of 65535; never 0. */
            uint8_t direction;       /* enum nx_sample_direction. */
            uint32_t collector_set_id;
            uint32_t obs_domain_id;
            uint32_t obs_point_id;
            uint32_t sampling_port;  /* OFPP_ANY if none. */
        } sample;
        struct {                 /* OFPACT_MULTIPATH. */
            uint16_t fields;     /* Index of the FIELDS keyword. */
            uint16_t basis;
            uint16_t algorithm;
            uint16_t max_link;   /* N_LINKS - 1. */
            uint32_t arg;
            struct mf_subfield dst;
        } multipath;
        struct {                 /* OFPACT_BUNDLE. */
            uint16_t fields;
            uint16_t basis;
            uint8_t algorithm;
            bool load;           /* bundle_load: into 'dst'. */
            uint8_t n_members;
            uint16_t members[NX_BUNDLE_MAX_MEMBERS];  /* OF1.0 ports. */
            struct mf_subfield dst;
        } bundle;
        struct {                 /* OFPACT_LEARN. */
            uint8_t table_id;
            uint16_t priority;
            uint16_t idle_timeout;
            uint16_t hard_timeout;
            uint16_t fin_idle_timeout;
            uint16_t fin_hard_timeout;
            uint16_t flags;          /* NX_LEARN_F_*. */
            uint32_t limit;          /* 0: none. */
            uint64_t cookie;
            struct mf_subfield result_dst;  /* NX_LEARN_F_WRITE_RESULT. */
        } learn;
        struct {                 /* OFPACT_LEARN_SPEC. */
            uint8_t src_type;        /* enum nx_learn_src. */
            uint8_t dst_type;        /* enum nx_learn_dst. */
            uint16_t n_bits;
            struct mf_subfield src;  /* NX_LEARN_SRC_FIELD. */
            struct mf_subfield dst;  /* Match and load. */
            uint8_t imm[NX_WIDE_BYTES];  /* NX_LEARN_SRC_IMMEDIATE: the
                                          * value, big-endian,
                                          * right-aligned. */
        } learn_spec;
        struct {                 /* OFPACT_FIN_TIMEOUT. */
            uint16_t idle_timeout;   /* Seconds; 0: left alone. */
            uint16_t hard_timeout;
        } fin_timeout;
        struct {                 /* OFPACT_CONJUNCTION. */
            uint32_t id;
            uint8_t clause;      /* K, 1-based. */
            uint8_t n_clauses;   /* N, 2..64. */
        } conjunction;
        struct {                 /* OFPACT_*_MPLS*. */
            uint16_t ethertype;  /* PUSH_MPLS, POP_MPLS. */
            uint32_t label;      /* SET_MPLS_LABEL. */
            uint8_t tc;          /* SET_MPLS_TC. */
            uint8_t ttl;         /* SET_MPLS_TTL. */
        } mpls;
        struct {                 /* OFPACT_CT. */
            uint16_t flags;          /* NX_CT_F_*. */
            bool zone_from_field;    /* Zone in 'zone_src', else */
            uint16_t zone_imm;       /* this value. */
            struct mf_subfield zone_src;     /* 16 bits. */
            uint8_t recirc_table;    /* NX_CT_RECIRC_NONE: none. */
            uint16_t alg;            /* 0 or NX_CT_ALG_*. */
        } ct;
        struct {                 /* OFPACT_NAT. */
            uint16_t flags;          /* NX_NAT_F_*. */
            uint8_t af;              /* AF_INET, AF_INET6, 0: no address
                                      * range. */
            uint32_t ipv4_min, ipv4_max;     /* Network order. */
            struct in6_addr ipv6_min, ipv6_max;
            uint16_t proto_min, proto_max;   /* 0: none. */
        } nat;
        struct {                 /* OFPACT_CHECK_PKT_LARGER. */
            uint16_t pkt_len;
            struct mf_subfield dst;  /* One bit. */
        } check_pkt_larger;
    };
};

/* An action list.  Empty means drop. */
struct ofpacts {
    struct ofpact *acts;
    size_t n;
    size_t allocated;
};

#define OFPACTS_EMPTY_INITIALIZER { NULL, 0, 0 }

/* Entries 'a' takes in its array: itself and what it carries. */
static inline size_t
ofpact_span(const struct ofpact *a)
{
    return 1 + a->n_nested;
}

/* The list 'a' carries, as a view into the same array (not to be
 * uninit'd or grown). */
static inline struct ofpacts
ofpact_nested(const struct ofpact *a)
{
    struct ofpacts view = { (struct ofpact *) (a + 1), a->n_nested,
                            a->n_nested };
    return view;
}

void ofpacts_init(struct ofpacts *);
void ofpacts_uninit(struct ofpacts *);
void ofpacts_clear(struct ofpacts *);
void ofpacts_clone(struct ofpacts *dst, const struct ofpacts *src);
struct ofpact *ofpacts_put(struct ofpacts *, enum ofpact_type);
bool ofpacts_equal(const struct ofpacts *, const struct ofpacts *);
/* Appends an action of 'type' that carries a copy of 'inner'. */
void ofpacts_put_nested(struct ofpacts *, enum ofpact_type,
                        const struct ofpacts *inner);

/* The ofpact of an instruction type, or NULL (e.g. the goto_table). */
const struct ofpact *ofpacts_find(const struct ofpacts *,
                                  enum ofpact_type);
/* True if any OFPACT_OUTPUT targets 'port' (for out_port filters);
 * OFPACT_CONTROLLER counts as OFPP_CONTROLLER. */
bool ofpacts_output_to_port(const struct ofpacts *, uint32_t port);
/* True if a group action names 'group_id' (for out_group filters). */
bool ofpacts_output_to_group(const struct ofpacts *, uint32_t group_id);

/* Text, as ovs-ofctl reads it after "actions=" and prints it.  Parsing
 * returns NULL or a malloc'd error ("unknown action foo"). */
char *ofpacts_parse(const char *s, struct ofpacts *);
/* The same for the list in ct's exec(...), the one place where ct_mark
 * and ct_label may be set (nx-ct.h). */
char *ofpacts_parse_ct_exec(const char *s, struct ofpacts *);
void ofpacts_format(const struct ofpacts *, struct ds *);
/* One action (with what it carries), as ofpacts_format() writes it. */
void ofpact_format(const struct ofpact *, struct ds *);

/* Adds the implicit push_vlan before mod_vlan_vid/mod_vlan_pcp where
 * 'match' does not guarantee a VLAN tag (what those OF1.0 actions do). */
void ofpacts_add_implicit_push_vlan(struct ofpacts *, const struct match *);

/* Checks actions against the match they will run under (set_field
 * prerequisites, and pop_vlan or set_field on vlan_vid/vlan_pcp without a
 * VLAN tag from the match or a push_vlan, pop_mpls or the MPLS set/dec
 * actions without an MPLS dl_type from the match or a push_mpls:
 * OFPBAC_MATCH_INCONSISTENT), the number of tables
 * (goto_table beyond it or backwards: OFPBIC_BAD_TABLE_ID), and ports
 * ('max_ports': ports >= it and not reserved are OFPBAC_BAD_OUT_PORT;
 * pass OFPP_MAX to allow all).  'match' may be NULL (packet-out): then
 * only the match-independent checks run. */
enum ofperr ofpacts_check(const struct ofpacts *, const struct match *,
                          uint8_t table_id, uint8_t n_tables,
                          uint32_t max_ports);

/* Whether 'o' can only be used under 'match' in OpenFlow 1.0, as Open
 * vSwitch has it: fin_timeout in a flow whose nw_proto is not TCP (the
 * field alone is compared, so arp_op=6 passes).  OpenFlow 1.1 and later
 * get OFPBAC_MATCH_INCONSISTENT for such a list. */
bool ofpacts_need_of10(const struct ofpacts *o, const struct match *match);

/* Wire forms.
 *
 * ofpacts_pull_openflow_actions() decodes a bare action list (OF1.0
 * flow_mod, packet_out, apply_actions body); ofpacts_pull_instructions()
 * decodes an OF1.1+ instruction list.  Both append to 'ofpacts' and
 * return 0 or an OFPERR_*, never reading outside [data, data+len). */
enum ofperr ofpacts_pull_openflow_actions(const void *data, size_t len,
                                          uint8_t version,
                                          struct ofpacts *);
/* Decodes one level deeper (clone's list, write_actions' list): the
 * same, but bounded so that nesting cannot exhaust the stack. */
enum ofperr ofpacts_pull_nested(const void *data, size_t len,
                                uint8_t version, struct ofpacts *);
/* ct's nested list, where ct_mark and ct_label may be set. */
enum ofperr ofpacts_pull_ct_nested(const void *data, size_t len,
                                   uint8_t version, struct ofpacts *);
enum ofperr ofpacts_pull_instructions(const void *data, size_t len,
                                      uint8_t version, struct ofpacts *);
/* Encoders; ofpacts_put_openflow_actions() skips instructions and any
 * action ofpacts_usable_in() rejects. */
/* False if some action has no encoding in 'version' (e.g. set_field on
 * a register in OpenFlow 1.0, goto_table in 1.0). */
bool ofpacts_usable_in(const struct ofpacts *, uint8_t version);
void ofpacts_put_openflow_actions(const struct ofpacts *, uint8_t version,
                                  struct ofpbuf *);
void ofpacts_put_instructions(const struct ofpacts *, uint8_t version,
                              struct ofpbuf *);

/* What the decoders accept in OpenFlow 'version' (1.1+), as bitmaps of
 * wire types below 32 (bit N: type N), for table features: the standard
 * OFPAT_* action types and the OFPIT_* instruction types.  Both come from
 * the action table, so a row that gains a wire type shows up here. */
uint32_t ofpacts_standard_action_types(uint8_t version);
uint32_t ofpacts_instruction_types(uint8_t version);

/* Reasons in packet-ins. */
enum {
    OFPR_NO_MATCH = 0,      /* OF1.3 "table miss" */
    OFPR_ACTION = 1,
    OFPR_INVALID_TTL = 2,
    OFPR_ACTION_SET = 3,    /* OF1.4+ */
    OFPR_GROUP = 4,
    OFPR_PACKET_OUT = 5,
};
const char *ofp_packet_in_reason_to_string(uint8_t reason);

#endif
