/* ofp-errors: the table of OpenFlow error codes per version. */
#include <config.h>
#include "ofp-errors.h"

#include <string.h>
#include "ofp-msgs.h"
#include "util.h"

struct ofperr_row {
    const char *name;
    int of10_type, of10_code;  /* -1: not expressible in OpenFlow 1.0. */
    int of11_type, of11_code;  /* OpenFlow 1.1 and later. */
    int of14_type, of14_code;  /* OpenFlow 1.4 and later, when not the
                                * same as 1.1's (0, 0: the same). */
    /* Vendor errors: in the versions of 'vendor_versions' (a bitmap) the
     * error is vendor 'vendor''s own, which OpenFlow 1.0 and 1.1 carry as
     * an NXET_VENDOR error of type 'vendor10_type' and code
     * 'vendor10_code', and 1.2 and later as an experimenter error with
     * code 'vendor_code'. */
    uint32_t vendor_versions;
    uint32_t vendor;
    int vendor10_type, vendor10_code;
    uint16_t vendor_code;
};

/* OpenFlow 1.3 bundles are an ONF extension with its own error codes. */
#define ONF13(CODE) 0, 0, 1u << OFP13_VERSION, ONF_VENDOR_ID, -1, -1, CODE
/* Standard errors that OpenFlow 1.0 has no code for and sends as
 * Nicira's, with the type and code Open vSwitch gives them there. */
#define NX10(T10, C10) 1u << OFP10_VERSION, NX_VENDOR_ID, T10, C10, 0
/* Errors OpenFlow 1.0 and 1.3 send as Nicira's (1.4 has its own). */
#define NX1013(T10, C10, C12) \
    (1u << OFP10_VERSION) | (1u << OFP13_VERSION), NX_VENDOR_ID, T10, C10, C12

#define NONE10 -1, -1
/* Nicira's errors, in every version. */
#define NX(NAME, T10, C10, C12) \
    { NAME, NONE10, NONE10, 0, 0, OFP_SUPPORTED_VERSIONS, NX_VENDOR_ID, \
      T10, C10, C12 }
static const struct ofperr_row ofperr_rows[OFPERR_N_ERRORS] = {
    [OFPERR_OFPHFC_INCOMPATIBLE] = { "OFPHFC_INCOMPATIBLE", 0, 0, 0, 0 },
    [OFPERR_OFPHFC_EPERM] = { "OFPHFC_EPERM", 0, 1, 0, 1 },

    [OFPERR_OFPBRC_BAD_VERSION] = { "OFPBRC_BAD_VERSION", 1, 0, 1, 0 },
    [OFPERR_OFPBRC_BAD_TYPE] = { "OFPBRC_BAD_TYPE", 1, 1, 1, 1 },
    [OFPERR_OFPBRC_BAD_STAT] = { "OFPBRC_BAD_STAT", 1, 2, 1, 2 },
    [OFPERR_OFPBRC_BAD_EXPERIMENTER] =
        { "OFPBRC_BAD_EXPERIMENTER", 1, 3, 1, 3 },
    [OFPERR_OFPBRC_BAD_EXP_TYPE] = { "OFPBRC_BAD_EXP_TYPE", 1, 4, 1, 4 },
    [OFPERR_OFPBRC_EPERM] = { "OFPBRC_EPERM", 1, 5, 1, 5 },
    [OFPERR_OFPBRC_BAD_LEN] = { "OFPBRC_BAD_LEN", 1, 6, 1, 6 },
    [OFPERR_OFPBRC_BUFFER_EMPTY] = { "OFPBRC_BUFFER_EMPTY", 1, 7, 1, 7 },
    [OFPERR_OFPBRC_BUFFER_UNKNOWN] =
        { "OFPBRC_BUFFER_UNKNOWN", 1, 8, 1, 8 },
    [OFPERR_OFPBRC_BAD_TABLE_ID] =
        { "OFPBRC_BAD_TABLE_ID", NONE10, 1, 9, 0, 0, NX10(1, 512) },
    [OFPERR_OFPBRC_IS_SLAVE] = { "OFPBRC_IS_SLAVE", 1, 5, 1, 10 },
    [OFPERR_OFPBRC_BAD_PORT] =
        { "OFPBRC_BAD_PORT", NONE10, 1, 11, 0, 0, NX10(1, 514) },
    [OFPERR_OFPBRC_BAD_PACKET] = { "OFPBRC_BAD_PACKET", NONE10, 1, 12 },
    [OFPERR_OFPBRC_MULTIPART_BUFFER_OVERFLOW] =
        { "OFPBRC_MULTIPART_BUFFER_OVERFLOW", NONE10, 1, 13 },

    [OFPERR_OFPBAC_BAD_TYPE] = { "OFPBAC_BAD_TYPE", 2, 0, 2, 0 },
    [OFPERR_OFPBAC_BAD_LEN] = { "OFPBAC_BAD_LEN", 2, 1, 2, 1 },
    [OFPERR_OFPBAC_BAD_EXPERIMENTER] =
        { "OFPBAC_BAD_EXPERIMENTER", 2, 2, 2, 2 },
    [OFPERR_OFPBAC_BAD_EXP_TYPE] = { "OFPBAC_BAD_EXP_TYPE", 2, 3, 2, 3 },
    [OFPERR_OFPBAC_BAD_OUT_PORT] = { "OFPBAC_BAD_OUT_PORT", 2, 4, 2, 4 },
    [OFPERR_OFPBAC_BAD_ARGUMENT] = { "OFPBAC_BAD_ARGUMENT", 2, 5, 2, 5 },
    [OFPERR_OFPBAC_EPERM] = { "OFPBAC_EPERM", 2, 6, 2, 6 },
    [OFPERR_OFPBAC_TOO_MANY] = { "OFPBAC_TOO_MANY", 2, 7, 2, 7 },
    [OFPERR_OFPBAC_BAD_QUEUE] = { "OFPBAC_BAD_QUEUE", 2, 8, 2, 8 },
    [OFPERR_OFPBAC_BAD_OUT_GROUP] = { "OFPBAC_BAD_OUT_GROUP", NONE10, 2, 9 },
    [OFPERR_OFPBAC_MATCH_INCONSISTENT] =
        { "OFPBAC_MATCH_INCONSISTENT", NONE10, 2, 10, 0, 0, NX10(1, 522) },
    [OFPERR_OFPBAC_UNSUPPORTED_ORDER] =
        { "OFPBAC_UNSUPPORTED_ORDER", NONE10, 2, 11 },
    [OFPERR_OFPBAC_BAD_TAG] = { "OFPBAC_BAD_TAG", NONE10, 2, 12 },
    [OFPERR_OFPBAC_BAD_SET_TYPE] =
        { "OFPBAC_BAD_SET_TYPE", NONE10, 2, 13, 0, 0, NX10(1, 523) },
    [OFPERR_OFPBAC_BAD_SET_LEN] =
        { "OFPBAC_BAD_SET_LEN", NONE10, 2, 14, 0, 0, NX10(1, 524) },
    [OFPERR_OFPBAC_BAD_SET_ARGUMENT] =
        { "OFPBAC_BAD_SET_ARGUMENT", NONE10, 2, 15, 0, 0, NX10(1, 525) },

    [OFPERR_OFPBIC_UNKNOWN_INST] = { "OFPBIC_UNKNOWN_INST", NONE10, 3, 0 },
    [OFPERR_OFPBIC_UNSUP_INST] =
        { "OFPBIC_UNSUP_INST", NONE10, 3, 1, 0, 0, NX10(2, 257) },
    [OFPERR_OFPBIC_BAD_TABLE_ID] = { "OFPBIC_BAD_TABLE_ID", NONE10, 3, 2 },
    [OFPERR_OFPBIC_UNSUP_METADATA] =
        { "OFPBIC_UNSUP_METADATA", NONE10, 3, 3 },
    [OFPERR_OFPBIC_UNSUP_METADATA_MASK] =
        { "OFPBIC_UNSUP_METADATA_MASK", NONE10, 3, 4 },
    [OFPERR_OFPBIC_BAD_EXPERIMENTER] =
        { "OFPBIC_BAD_EXPERIMENTER", NONE10, 3, 5 },
    [OFPERR_OFPBIC_BAD_EXP_TYPE] = { "OFPBIC_BAD_EXP_TYPE", NONE10, 3, 6 },
    [OFPERR_OFPBIC_BAD_LEN] = { "OFPBIC_BAD_LEN", NONE10, 3, 7 },
    [OFPERR_OFPBIC_EPERM] = { "OFPBIC_EPERM", NONE10, 3, 8 },
    [OFPERR_OFPBIC_DUP_INST] = { "OFPBIC_DUP_INST", NONE10, 3, 9 },

    [OFPERR_OFPBMC_BAD_TYPE] = { "OFPBMC_BAD_TYPE", NONE10, 4, 0 },
    [OFPERR_OFPBMC_BAD_LEN] = { "OFPBMC_BAD_LEN", NONE10, 4, 1 },
    [OFPERR_OFPBMC_BAD_TAG] = { "OFPBMC_BAD_TAG", NONE10, 4, 2 },
    [OFPERR_OFPBMC_BAD_DL_ADDR_MASK] =
        { "OFPBMC_BAD_DL_ADDR_MASK", NONE10, 4, 3 },
    [OFPERR_OFPBMC_BAD_NW_ADDR_MASK] =
        { "OFPBMC_BAD_NW_ADDR_MASK", NONE10, 4, 4 },
    [OFPERR_OFPBMC_BAD_WILDCARDS] =
        { "OFPBMC_BAD_WILDCARDS", NONE10, 4, 5, 0, 0, NX10(1, 262) },
    [OFPERR_OFPBMC_BAD_FIELD] =
        { "OFPBMC_BAD_FIELD", NONE10, 4, 6, 0, 0, NX10(0, 263) },
    [OFPERR_OFPBMC_BAD_VALUE] =
        { "OFPBMC_BAD_VALUE", NONE10, 4, 7, 0, 0, NX10(1, 258) },
    [OFPERR_OFPBMC_BAD_MASK] =
        { "OFPBMC_BAD_MASK", NONE10, 4, 8, 0, 0, NX10(1, 259) },
    [OFPERR_OFPBMC_BAD_PREREQ] =
        { "OFPBMC_BAD_PREREQ", NONE10, 4, 9, 0, 0, NX10(1, 260) },
    [OFPERR_OFPBMC_DUP_FIELD] =
        { "OFPBMC_DUP_FIELD", NONE10, 4, 10, 0, 0, NX10(1, 261) },
    [OFPERR_OFPBMC_EPERM] = { "OFPBMC_EPERM", NONE10, 4, 11 },

    [OFPERR_OFPFMFC_UNKNOWN] = { "OFPFMFC_UNKNOWN", 3, 5, 5, 0 },
    [OFPERR_OFPFMFC_TABLE_FULL] = { "OFPFMFC_TABLE_FULL", 3, 0, 5, 1 },
    [OFPERR_OFPFMFC_BAD_TABLE_ID] =
        { "OFPFMFC_BAD_TABLE_ID", NONE10, 5, 2 },
    [OFPERR_OFPFMFC_OVERLAP] = { "OFPFMFC_OVERLAP", 3, 1, 5, 3 },
    [OFPERR_OFPFMFC_EPERM] = { "OFPFMFC_EPERM", 3, 2, 5, 4 },
    [OFPERR_OFPFMFC_BAD_TIMEOUT] = { "OFPFMFC_BAD_TIMEOUT", 3, 3, 5, 5 },
    [OFPERR_OFPFMFC_BAD_COMMAND] = { "OFPFMFC_BAD_COMMAND", 3, 4, 5, 6 },
    [OFPERR_OFPFMFC_BAD_FLAGS] =
        { "OFPFMFC_BAD_FLAGS", NONE10, 5, 7, 0, 0, NX10(3, 258) },

    [OFPERR_OFPGMFC_GROUP_EXISTS] = { "OFPGMFC_GROUP_EXISTS", NONE10, 6, 0 },
    [OFPERR_OFPGMFC_UNKNOWN_GROUP] =
        { "OFPGMFC_UNKNOWN_GROUP", NONE10, 6, 8 },
    [OFPERR_OFPGMFC_INVALID_GROUP] =
        { "OFPGMFC_INVALID_GROUP", NONE10, 6, 1 },
    [OFPERR_OFPGMFC_WATCH_UNSUPPORTED] =
        { "OFPGMFC_WATCH_UNSUPPORTED", NONE10, 6, 6 },
    [OFPERR_OFPGMFC_BAD_TYPE] = { "OFPGMFC_BAD_TYPE", NONE10, 6, 10 },
    [OFPERR_OFPGMFC_BAD_COMMAND] = { "OFPGMFC_BAD_COMMAND", NONE10, 6, 11 },
    [OFPERR_OFPGMFC_BAD_BUCKET] = { "OFPGMFC_BAD_BUCKET", NONE10, 6, 12 },
    [OFPERR_OFPGMFC_BAD_WATCH] = { "OFPGMFC_BAD_WATCH", NONE10, 6, 13 },
    [OFPERR_OFPGMFC_LOOP] = { "OFPGMFC_LOOP", NONE10, 6, 7 },
    [OFPERR_OFPGMFC_UNKNOWN_BUCKET] =
        { "OFPGMFC_UNKNOWN_BUCKET", NONE10, 6, 15 },
    [OFPERR_OFPGMFC_BUCKET_EXISTS] =
        { "OFPGMFC_BUCKET_EXISTS", NONE10, 6, 16 },


    [OFPERR_OFPPMFC_BAD_PORT] = { "OFPPMFC_BAD_PORT", 4, 0, 7, 0 },
    [OFPERR_OFPPMFC_BAD_HW_ADDR] = { "OFPPMFC_BAD_HW_ADDR", 4, 1, 7, 1 },

    [OFPERR_OFPQOFC_BAD_PORT] = { "OFPQOFC_BAD_PORT", 5, 0, 9, 0 },
    [OFPERR_OFPQOFC_BAD_QUEUE] = { "OFPQOFC_BAD_QUEUE", 5, 1, 9, 1 },

    [OFPERR_OFPTMFC_BAD_TABLE] = { "OFPTMFC_BAD_TABLE", NONE10, 8, 0 },

    [OFPERR_OFPSCFC_BAD_FLAGS] = { "OFPSCFC_BAD_FLAGS", NONE10, 10, 0 },
    [OFPERR_OFPSCFC_BAD_LEN] = { "OFPSCFC_BAD_LEN", NONE10, 10, 1 },

    [OFPERR_OFPRRFC_STALE] = { "OFPRRFC_STALE", NONE10, 11, 0 },
    [OFPERR_OFPRRFC_UNSUP] = { "OFPRRFC_UNSUP", NONE10, 11, 1 },
    [OFPERR_OFPRRFC_BAD_ROLE] =
        { "OFPRRFC_BAD_ROLE", NONE10, 11, 2, 0, 0, NX10(1, 513) },

    [OFPERR_OFPMMFC_UNKNOWN] = { "OFPMMFC_UNKNOWN", NONE10, 12, 0 },
    [OFPERR_OFPMMFC_METER_EXISTS] =
        { "OFPMMFC_METER_EXISTS", NONE10, 12, 1 },
    [OFPERR_OFPMMFC_INVALID_METER] =
        { "OFPMMFC_INVALID_METER", NONE10, 12, 2 },
    [OFPERR_OFPMMFC_UNKNOWN_METER] =
        { "OFPMMFC_UNKNOWN_METER", NONE10, 12, 3 },
    [OFPERR_OFPMMFC_BAD_COMMAND] = { "OFPMMFC_BAD_COMMAND", NONE10, 12, 4 },
    [OFPERR_OFPMMFC_BAD_FLAGS] = { "OFPMMFC_BAD_FLAGS", NONE10, 12, 5 },
    [OFPERR_OFPMMFC_BAD_RATE] = { "OFPMMFC_BAD_RATE", NONE10, 12, 6 },
    [OFPERR_OFPMMFC_BAD_BURST] = { "OFPMMFC_BAD_BURST", NONE10, 12, 7 },
    [OFPERR_OFPMMFC_BAD_BAND] = { "OFPMMFC_BAD_BAND", NONE10, 12, 8 },
    [OFPERR_OFPMMFC_BAD_BAND_VALUE] =
        { "OFPMMFC_BAD_BAND_VALUE", NONE10, 12, 9 },
    [OFPERR_OFPMMFC_OUT_OF_METERS] =
        { "OFPMMFC_OUT_OF_METERS", NONE10, 12, 10 },
    [OFPERR_OFPMMFC_OUT_OF_BANDS] =
        { "OFPMMFC_OUT_OF_BANDS", NONE10, 12, 11 },

    [OFPERR_OFPTFFC_BAD_TABLE] = { "OFPTFFC_BAD_TABLE", NONE10, 13, 0 },
    [OFPERR_OFPTFFC_EPERM] = { "OFPTFFC_EPERM", NONE10, 13, 5 },

    [OFPERR_OFPACFC_INVALID] = { "OFPACFC_INVALID", NONE10, 15, 0 },
    [OFPERR_OFPACFC_UNSUPPORTED] = { "OFPACFC_UNSUPPORTED", NONE10, 15, 1 },

    [OFPERR_OFPBFC_UNKNOWN] =
        { "OFPBFC_UNKNOWN", NONE10, 17, 0, ONF13(2300) },
    [OFPERR_OFPBFC_EPERM] =
        { "OFPBFC_EPERM", NONE10, 17, 1, ONF13(2301) },
    [OFPERR_OFPBFC_BAD_ID] =
        { "OFPBFC_BAD_ID", NONE10, 17, 2, ONF13(2302) },
    [OFPERR_OFPBFC_BUNDLE_EXIST] =
        { "OFPBFC_BUNDLE_EXIST", NONE10, 17, 3, ONF13(2303) },
    [OFPERR_OFPBFC_BUNDLE_CLOSED] =
        { "OFPBFC_BUNDLE_CLOSED", NONE10, 17, 4, ONF13(2304) },
    [OFPERR_OFPBFC_OUT_OF_BUNDLES] =
        { "OFPBFC_OUT_OF_BUNDLES", NONE10, 17, 5, ONF13(2305) },
    [OFPERR_OFPBFC_BAD_TYPE] =
        { "OFPBFC_BAD_TYPE", NONE10, 17, 6, ONF13(2306) },
    [OFPERR_OFPBFC_BAD_FLAGS] =
        { "OFPBFC_BAD_FLAGS", NONE10, 17, 7, ONF13(2307) },
    [OFPERR_OFPBFC_MSG_BAD_LEN] =
        { "OFPBFC_MSG_BAD_LEN", NONE10, 17, 8, ONF13(2308) },
    [OFPERR_OFPBFC_MSG_BAD_XID] =
        { "OFPBFC_MSG_BAD_XID", NONE10, 17, 9, ONF13(2309) },
    [OFPERR_OFPBFC_MSG_UNSUP] =
        { "OFPBFC_MSG_UNSUP", NONE10, 17, 10, ONF13(2310) },
    [OFPERR_OFPBFC_MSG_CONFLICT] =
        { "OFPBFC_MSG_CONFLICT", NONE10, 17, 11, ONF13(2311) },
    [OFPERR_OFPBFC_MSG_TOO_MANY] =
        { "OFPBFC_MSG_TOO_MANY", NONE10, 17, 12, ONF13(2312) },
    [OFPERR_OFPBFC_MSG_FAILED] =
        { "OFPBFC_MSG_FAILED", NONE10, 17, 13, ONF13(2313) },

    [OFPERR_NXFMFC_INVALID_TLV_FIELD] =
        NX("NXFMFC_INVALID_TLV_FIELD", 1, 536, 37),
    [OFPERR_NXTTMFC_BAD_COMMAND] = NX("NXTTMFC_BAD_COMMAND", 1, 527, 16),
    [OFPERR_NXTTMFC_BAD_OPT_LEN] = NX("NXTTMFC_BAD_OPT_LEN", 1, 528, 17),
    [OFPERR_NXTTMFC_BAD_FIELD_IDX] =
        NX("NXTTMFC_BAD_FIELD_IDX", 1, 529, 18),
    [OFPERR_NXTTMFC_TABLE_FULL] = NX("NXTTMFC_TABLE_FULL", 1, 530, 19),
    [OFPERR_NXTTMFC_ALREADY_MAPPED] =
        NX("NXTTMFC_ALREADY_MAPPED", 1, 531, 20),
    [OFPERR_NXTTMFC_DUP_ENTRY] = NX("NXTTMFC_DUP_ENTRY", 1, 532, 21),
    [OFPERR_NXTTMFC_INVALID_TLV_DEL] =
        NX("NXTTMFC_INVALID_TLV_DEL", 1, 537, 38),

    [OFPERR_OFPBPC_BAD_TYPE] =
        { "OFPBPC_BAD_TYPE", NONE10, 13, 2, 14, 0, NX10(13, 2) },
    [OFPERR_OFPBPC_BAD_LEN] =
        { "OFPBPC_BAD_LEN", NONE10, 13, 3, 14, 1, NX10(13, 3) },
    [OFPERR_OFPBPC_BAD_VALUE] =
        { "OFPBPC_BAD_VALUE", NONE10, 13, 4, 14, 2, NX10(13, 4) },

    [OFPERR_NXR_STALE] = NX("NXR_STALE", 1, 534, 35),
    [OFPERR_NXST_NOT_CONFIGURED] = NX("NXST_NOT_CONFIGURED", 1, 535, 36),
    [OFPERR_NXBRC_UNENCODABLE_ERROR] =
        NX("NXBRC_UNENCODABLE_ERROR", 1, 521, 10),

    /* Flow monitor errors are OpenFlow 1.4's; before, Open vSwitch sends
     * three of them as Nicira's (the others as EPERM). */
    [OFPERR_OFPMOFC_UNKNOWN] =
        { "OFPMOFC_UNKNOWN", NONE10, NONE10, 16, 0 },
    [OFPERR_OFPMOFC_MONITOR_EXISTS] =
        { "OFPMOFC_MONITOR_EXISTS", NONE10, NONE10, 16, 1,
          NX1013(1, 517, 6) },
    [OFPERR_OFPMOFC_INVALID_MONITOR] =
        { "OFPMOFC_INVALID_MONITOR", NONE10, NONE10, 16, 2 },
    [OFPERR_OFPMOFC_UNKNOWN_MONITOR] =
        { "OFPMOFC_UNKNOWN_MONITOR", NONE10, NONE10, 16, 3,
          NX1013(1, 519, 8) },
    [OFPERR_OFPMOFC_BAD_COMMAND] =
        { "OFPMOFC_BAD_COMMAND", NONE10, NONE10, 16, 4 },
    [OFPERR_OFPMOFC_BAD_FLAGS] =
        { "OFPMOFC_BAD_FLAGS", NONE10, NONE10, 16, 5, NX1013(1, 518, 7) },
    [OFPERR_OFPMOFC_BAD_TABLE_ID] =
        { "OFPMOFC_BAD_TABLE_ID", NONE10, NONE10, 16, 6 },
    [OFPERR_OFPMOFC_BAD_OUT] = { "OFPMOFC_BAD_OUT", NONE10, NONE10, 16, 7 },
};

bool
ofperr_is_valid(enum ofperr error)
{
    return error >= OFPERR_OFS && error < OFPERR_N_ERRORS
           && ofperr_rows[error].name;
}

const char *
ofperr_get_name(enum ofperr error)
{
    return (ofperr_is_valid(error) ? ofperr_rows[error].name
            : error ? "<unknown error>" : "OFPERR_NONE");
}

enum ofperr
ofperr_from_name(const char *name)
{
    for (int i = OFPERR_OFS; i < OFPERR_N_ERRORS; i++) {
        if (ofperr_rows[i].name && !strcmp(ofperr_rows[i].name, name)) {
            return i;
        }
    }
    return 0;
}

bool
ofperr_get_vendor(enum ofperr error, uint8_t version, uint32_t *vendor,
                  uint16_t *type, uint16_t *code)
{
    if (!ofperr_is_valid(error) || version >= 32
        || !(ofperr_rows[error].vendor_versions & (1u << version))) {
        return false;
    }
    const struct ofperr_row *r = &ofperr_rows[error];
    bool old = version <= OFP11_VERSION;
    if (old && r->vendor10_type < 0) {
        return false;
    }
    *vendor = r->vendor;
    *type = old ? r->vendor10_type : 0;
    *code = old ? r->vendor10_code : r->vendor_code;
    return true;
}

enum ofperr
ofperr_decode_vendor(uint8_t version, uint32_t vendor, uint16_t type,
                     uint16_t code)
{
    for (int i = OFPERR_OFS; i < OFPERR_N_ERRORS; i++) {
        uint32_t v;
        uint16_t t, c;
        if (ofperr_get_vendor(i, version, &v, &t, &c)
            && v == vendor && t == type && c == code) {
            return i;
        }
    }
    return 0;
}

bool
ofperr_get_type_code(enum ofperr error, uint8_t version,
                     uint16_t *type, uint16_t *code)
{
    if (!ofperr_is_valid(error)) {
        return false;
    }
    const struct ofperr_row *r = &ofperr_rows[error];
    int t = version == 0x01 ? r->of10_type : r->of11_type;
    int c = version == 0x01 ? r->of10_code : r->of11_code;
    if (version >= 0x05 && r->of14_type) {
        t = r->of14_type;
        c = r->of14_code;
    }
    if (t < 0) {
        return false;
    }
    *type = t;
    *code = c;
    return true;
}

enum ofperr
ofperr_decode_type_code(uint8_t version, uint16_t type, uint16_t code)
{
    for (int i = OFPERR_OFS; i < OFPERR_N_ERRORS; i++) {
        uint16_t t, c;
        if (ofperr_get_type_code(i, version, &t, &c)
            && t == type && c == code) {
            return i;
        }
    }
    return 0;
}
