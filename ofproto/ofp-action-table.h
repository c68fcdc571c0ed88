/* ofp-action-table: what the action table tells the modules around it.
 *
 * ofp-actions.c keeps the one table of action kinds (keyword, wire type
 * per version, text functions); the wire codec (ofp-action-wire.c) reads
 * the wire types from it, and both the text parser and the codec share
 * the OpenFlow 1.0 set-one-field actions ("mod_dl_src", ...) listed here.
 * Nothing outside ofproto's action modules includes this header. */
#ifndef XVS_OFP_ACTION_TABLE_H
#define XVS_OFP_ACTION_TABLE_H 1

#include <stddef.h>
#include <stdint.h>
#include "meta-flow.h"
#include "ofp-actions.h"

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
/* OpenFlow 1.0 has no group action: Open vSwitch's Nicira one carries
 * the group id, after two bytes of padding, in 16 bytes. */
#define NXAST_GROUP 40
#define NX_GROUP_LEN 16

/* OpenFlow 1.0 actions that set one field, and the keywords ovs-ofctl
 * writes them with; they decode to OFPACT_SET_FIELD with 'legacy'. */
struct ofpact_legacy_set {
    const char *name;
    uint16_t of10_type;
    enum mf_field_id field;
    uint16_t len;              /* OF1.0 action length. */
};
extern const struct ofpact_legacy_set ofpact_legacy_sets[];
extern const size_t ofpact_n_legacy_sets;

const struct ofpact_legacy_set *ofpact_legacy_for_field(enum mf_field_id);

/* Nonzero while ct's exec(...) list is parsed or decoded (nx-ct.h): the
 * parsers and decoders of set_field allow ct_mark and ct_label
 * (MFF_F_CT_ONLY) only then. */
extern int ofpact_ct_exec_depth;

/* The wire type of 'type' in OpenFlow 1.0 ('of10') or 1.1+, -1 if that
 * version has none (instruction types for instructions). */
int ofpact_wire_type(enum ofpact_type type, bool of10);

static inline bool
ofpact_is_instruction(enum ofpact_type type)
{
    return type >= OFPACT_CLEAR_ACTIONS;
}

#endif /* ofp-action-table.h */
