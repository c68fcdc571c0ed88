/* ofp-errors: OpenFlow error codes as values.
 *
 * Decoders and ofproto report failures as an 'enum ofperr'; the table in
 * ofp-errors.c maps each to its name (what ovs-ofctl prints) and to the
 * type/code pair of each OpenFlow version, since OpenFlow 1.0 numbers the
 * types differently and lacks some (bad instruction, bad match).  0 means
 * success, so "enum ofperr error = decode(...); if (error) ..." reads
 * naturally. */
#ifndef XVS_OFP_ERRORS_H
#define XVS_OFP_ERRORS_H 1

#include <stdbool.h>
#include <stdint.h>

struct ofpbuf;

enum ofperr {
    OFPERR_NONE = 0,
    OFPERR_OFS = 1,            /* First real error; internal use. */

    /* OFPET_HELLO_FAILED. */
    OFPERR_OFPHFC_INCOMPATIBLE = OFPERR_OFS,
    OFPERR_OFPHFC_EPERM,

    /* OFPET_BAD_REQUEST. */
    OFPERR_OFPBRC_BAD_VERSION,
    OFPERR_OFPBRC_BAD_TYPE,
    OFPERR_OFPBRC_BAD_STAT,
    OFPERR_OFPBRC_BAD_EXPERIMENTER,
    OFPERR_OFPBRC_BAD_EXP_TYPE,
    OFPERR_OFPBRC_EPERM,
    OFPERR_OFPBRC_BAD_LEN,
    OFPERR_OFPBRC_BUFFER_EMPTY,
    OFPERR_OFPBRC_BUFFER_UNKNOWN,
    OFPERR_OFPBRC_BAD_TABLE_ID,
    OFPERR_OFPBRC_IS_SLAVE,
    OFPERR_OFPBRC_BAD_PORT,
    OFPERR_OFPBRC_BAD_PACKET,
    OFPERR_OFPBRC_MULTIPART_BUFFER_OVERFLOW,

    /* OFPET_BAD_ACTION. */
    OFPERR_OFPBAC_BAD_TYPE,
    OFPERR_OFPBAC_BAD_LEN,
    OFPERR_OFPBAC_BAD_EXPERIMENTER,
    OFPERR_OFPBAC_BAD_EXP_TYPE,
    OFPERR_OFPBAC_BAD_OUT_PORT,
    OFPERR_OFPBAC_BAD_ARGUMENT,
    OFPERR_OFPBAC_EPERM,
    OFPERR_OFPBAC_TOO_MANY,
    OFPERR_OFPBAC_BAD_QUEUE,
    OFPERR_OFPBAC_BAD_OUT_GROUP,
    OFPERR_OFPBAC_MATCH_INCONSISTENT,
    OFPERR_OFPBAC_UNSUPPORTED_ORDER,
    OFPERR_OFPBAC_BAD_TAG,
    OFPERR_OFPBAC_BAD_SET_TYPE,
    OFPERR_OFPBAC_BAD_SET_LEN,
    OFPERR_OFPBAC_BAD_SET_ARGUMENT,

    /* OFPET_BAD_INSTRUCTION (OF1.1+). */
    OFPERR_OFPBIC_UNKNOWN_INST,
    OFPERR_OFPBIC_UNSUP_INST,
    OFPERR_OFPBIC_BAD_TABLE_ID,
    OFPERR_OFPBIC_UNSUP_METADATA,
    OFPERR_OFPBIC_UNSUP_METADATA_MASK,
    OFPERR_OFPBIC_BAD_EXPERIMENTER,
    OFPERR_OFPBIC_BAD_EXP_TYPE,
    OFPERR_OFPBIC_BAD_LEN,
    OFPERR_OFPBIC_EPERM,
    OFPERR_OFPBIC_DUP_INST,

    /* OFPET_BAD_MATCH (OF1.1+). */
    OFPERR_OFPBMC_BAD_TYPE,
    OFPERR_OFPBMC_BAD_LEN,
    OFPERR_OFPBMC_BAD_TAG,
    OFPERR_OFPBMC_BAD_DL_ADDR_MASK,
    OFPERR_OFPBMC_BAD_NW_ADDR_MASK,
    OFPERR_OFPBMC_BAD_WILDCARDS,
    OFPERR_OFPBMC_BAD_FIELD,
    OFPERR_OFPBMC_BAD_VALUE,
    OFPERR_OFPBMC_BAD_MASK,
    OFPERR_OFPBMC_BAD_PREREQ,
    OFPERR_OFPBMC_DUP_FIELD,
    OFPERR_OFPBMC_EPERM,

    /* OFPET_FLOW_MOD_FAILED. */
    OFPERR_OFPFMFC_UNKNOWN,
    OFPERR_OFPFMFC_TABLE_FULL,
    OFPERR_OFPFMFC_BAD_TABLE_ID,
    OFPERR_OFPFMFC_OVERLAP,
    OFPERR_OFPFMFC_EPERM,
    OFPERR_OFPFMFC_BAD_TIMEOUT,
    OFPERR_OFPFMFC_BAD_COMMAND,
    OFPERR_OFPFMFC_BAD_FLAGS,

    /* OFPET_GROUP_MOD_FAILED (OF1.1+). */
    OFPERR_OFPGMFC_GROUP_EXISTS,
    OFPERR_OFPGMFC_UNKNOWN_GROUP,
    OFPERR_OFPGMFC_INVALID_GROUP,
    OFPERR_OFPGMFC_WATCH_UNSUPPORTED,
    OFPERR_OFPGMFC_BAD_TYPE,
    OFPERR_OFPGMFC_BAD_COMMAND,
    OFPERR_OFPGMFC_BAD_BUCKET,
    OFPERR_OFPGMFC_BAD_WATCH,
    OFPERR_OFPGMFC_LOOP,
    OFPERR_OFPGMFC_UNKNOWN_BUCKET,     /* OpenFlow 1.5. */
    OFPERR_OFPGMFC_BUCKET_EXISTS,      /* OpenFlow 1.5. */

    /* OFPET_PORT_MOD_FAILED. */
    OFPERR_OFPPMFC_BAD_PORT,
    OFPERR_OFPPMFC_BAD_HW_ADDR,

    /* OFPET_QUEUE_OP_FAILED. */
    OFPERR_OFPQOFC_BAD_PORT,
    OFPERR_OFPQOFC_BAD_QUEUE,

    /* OFPET_TABLE_MOD_FAILED (OF1.1+). */
    OFPERR_OFPTMFC_BAD_TABLE,

    /* OFPET_SWITCH_CONFIG_FAILED (OF1.1+). */
    OFPERR_OFPSCFC_BAD_FLAGS,
    OFPERR_OFPSCFC_BAD_LEN,

    /* OFPET_ROLE_REQUEST_FAILED (OF1.2+). */
    OFPERR_OFPRRFC_STALE,
    OFPERR_OFPRRFC_UNSUP,
    OFPERR_OFPRRFC_BAD_ROLE,

    /* OFPET_METER_MOD_FAILED (OF1.3+). */
    OFPERR_OFPMMFC_UNKNOWN,
    OFPERR_OFPMMFC_METER_EXISTS,
    OFPERR_OFPMMFC_INVALID_METER,
    OFPERR_OFPMMFC_UNKNOWN_METER,
    OFPERR_OFPMMFC_BAD_COMMAND,
    OFPERR_OFPMMFC_BAD_FLAGS,
    OFPERR_OFPMMFC_BAD_RATE,
    OFPERR_OFPMMFC_BAD_BURST,
    OFPERR_OFPMMFC_BAD_BAND,
    OFPERR_OFPMMFC_BAD_BAND_VALUE,
    OFPERR_OFPMMFC_OUT_OF_METERS,
    OFPERR_OFPMMFC_OUT_OF_BANDS,

    /* OFPET_TABLE_FEATURES_FAILED (OF1.3+). */
    OFPERR_OFPTFFC_BAD_TABLE,
    OFPERR_OFPTFFC_EPERM,

    /* OFPET_ASYNC_CONFIG_FAILED (OF1.4+). */
    OFPERR_OFPACFC_INVALID,
    OFPERR_OFPACFC_UNSUPPORTED,

    /* OFPET_BUNDLE_FAILED (OF1.4+). */
    OFPERR_OFPBFC_UNKNOWN,
    OFPERR_OFPBFC_EPERM,
    OFPERR_OFPBFC_BAD_ID,
    OFPERR_OFPBFC_BUNDLE_EXIST,
    OFPERR_OFPBFC_BUNDLE_CLOSED,
    OFPERR_OFPBFC_OUT_OF_BUNDLES,
    OFPERR_OFPBFC_BAD_TYPE,
    OFPERR_OFPBFC_BAD_FLAGS,
    OFPERR_OFPBFC_MSG_BAD_LEN,
    OFPERR_OFPBFC_MSG_BAD_XID,
    OFPERR_OFPBFC_MSG_UNSUP,
    OFPERR_OFPBFC_MSG_CONFLICT,
    OFPERR_OFPBFC_MSG_TOO_MANY,
    OFPERR_OFPBFC_MSG_FAILED,

    /* Nicira extension errors, vendor errors in every version (see
     * ofperr_get_vendor()). */
    OFPERR_NXFMFC_INVALID_TLV_FIELD,
    OFPERR_NXTTMFC_BAD_COMMAND,
    OFPERR_NXTTMFC_BAD_OPT_LEN,
    OFPERR_NXTTMFC_BAD_FIELD_IDX,
    OFPERR_NXTTMFC_TABLE_FULL,
    OFPERR_NXTTMFC_ALREADY_MAPPED,
    OFPERR_NXTTMFC_DUP_ENTRY,
    OFPERR_NXTTMFC_INVALID_TLV_DEL,
    OFPERR_NXR_STALE,          /* NXT_RESUME of a stale continuation. */
    OFPERR_NXST_NOT_CONFIGURED,    /* E.g. IPFIX statistics, no exporter. */
    OFPERR_NXBRC_UNENCODABLE_ERROR,    /* What a version gets for an error
                                        * it has no code for. */

    /* OFPET_BAD_PROPERTY (OF1.4+; OpenFlow 1.3 borrows the table
     * features codes, OpenFlow 1.0 wraps those as a Nicira error). */
    OFPERR_OFPBPC_BAD_TYPE,
    OFPERR_OFPBPC_BAD_LEN,
    OFPERR_OFPBPC_BAD_VALUE,

    /* OFPET_FLOW_MONITOR_FAILED (OF1.4+; before, Nicira's or EPERM). */
    OFPERR_OFPMOFC_UNKNOWN,
    OFPERR_OFPMOFC_MONITOR_EXISTS,
    OFPERR_OFPMOFC_INVALID_MONITOR,
    OFPERR_OFPMOFC_UNKNOWN_MONITOR,
    OFPERR_OFPMOFC_BAD_COMMAND,
    OFPERR_OFPMOFC_BAD_FLAGS,
    OFPERR_OFPMOFC_BAD_TABLE_ID,
    OFPERR_OFPMOFC_BAD_OUT,

    OFPERR_N_ERRORS
};

/* "OFPBMC_BAD_FIELD"; "OFPERR_NONE" for 0. */
const char *ofperr_get_name(enum ofperr);
/* Parses a name as printed by ofperr_get_name(); 0 if unknown. */
enum ofperr ofperr_from_name(const char *);
/* The wire type/code for 'version' (an OFP*_VERSION); false when the
 * version has no encoding for it (then callers fall back to a generic
 * one, which ofperr_encode() does). */
bool ofperr_get_type_code(enum ofperr, uint8_t version,
                          uint16_t *type, uint16_t *code);
/* The error for a received type/code pair, or 0 if unknown. */
enum ofperr ofperr_decode_type_code(uint8_t version, uint16_t type,
                                    uint16_t code);
bool ofperr_is_valid(enum ofperr);

/* Vendor errors (Nicira's, and ONF's for OpenFlow 1.3 bundles).
 * OpenFlow 1.0 and 1.1 send type NXET_VENDOR, code NXVC_VENDOR_ERROR,
 * then the vendor id and the error's own type and code before the
 * request; OpenFlow 1.2+ send type OFPET_EXPERIMENTER with the error's
 * experimenter code, then the vendor id. */
#define NXET_VENDOR 0xb0c2
#define NXVC_VENDOR_ERROR 0
#define OFPET_EXPERIMENTER 0xffff
/* The vendor id, type (0 from OpenFlow 1.2) and code of an error that
 * 'version' carries as a vendor error rather than a type/code pair;
 * false for the others.  Encoders try this first. */
bool ofperr_get_vendor(enum ofperr, uint8_t version, uint32_t *vendor,
                       uint16_t *type, uint16_t *code);
/* The error for a received vendor error, or 0 if unknown. */
enum ofperr ofperr_decode_vendor(uint8_t version, uint32_t vendor,
                                 uint16_t type, uint16_t code);

#endif
