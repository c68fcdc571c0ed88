/* ofp-msgs: the table of OpenFlow message kinds, and the framing, header
 * decoding and message allocation driven by it. */
#include <config.h>
#include "ofp-msgs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define V10 (1u << OFP10_VERSION)
#define V13 (1u << OFP13_VERSION)
#define V14 (1u << OFP14_VERSION)
#define V15 (1u << OFP15_VERSION)
#define V13UP (V13 | V14 | V15)
#define VALL (V10 | V13UP)

#define NO_MP -1
#define OFPT10_STATS_REQUEST 16
#define OFPT10_STATS_REPLY 17
#define OFPT13_MULTIPART_REQUEST 18
#define OFPT13_MULTIPART_REPLY 19
#define OFPT_VENDOR 4              /* OFPT_EXPERIMENTER in OpenFlow 1.3+. */
#define NX_STATS 0xffff            /* OFPST_VENDOR / OFPMP_EXPERIMENTER. */
/* In the 'raw' column of a multipart row whose layout several versions
 * share: the version's stats (1.0) or multipart (1.3+) request or reply
 * type.  No OFPT_* number comes near them. */
#define MP_REQUEST 0xfe
#define MP_REPLY 0xff

struct ofpmsg_row {
    enum ofptype type;
    uint32_t versions;         /* Bitmap of versions with this layout. */
    uint8_t raw;               /* OFPT_* number, MP_REQUEST or MP_REPLY. */
    int mp_type;               /* OFPMP_* number, or NO_MP. */
    const char *name;          /* As ovs-ofctl prints it. */
    uint16_t min_body;         /* After the (multipart) header. */
    bool nx;                   /* Vendor extension: vendor id, */
    uint32_t subtype;          /* ...and this subtype after the header. */
    uint32_t vendor;           /* The vendor id if not NX_VENDOR_ID. */
};

/* One row per message kind and wire layout. */
static const struct ofpmsg_row ofpmsg_rows[] = {
    { OFPTYPE_HELLO, VALL, 0, NO_MP, "OFPT_HELLO", 0 },
    { OFPTYPE_ERROR, VALL, 1, NO_MP, "OFPT_ERROR", 4 },
    { OFPTYPE_ECHO_REQUEST, VALL, 2, NO_MP, "OFPT_ECHO_REQUEST", 0 },
    { OFPTYPE_ECHO_REPLY, VALL, 3, NO_MP, "OFPT_ECHO_REPLY", 0 },
    { OFPTYPE_FEATURES_REQUEST, VALL, 5, NO_MP, "OFPT_FEATURES_REQUEST", 0 },
    { OFPTYPE_FEATURES_REPLY, VALL, 6, NO_MP, "OFPT_FEATURES_REPLY", 24 },
    { OFPTYPE_GET_CONFIG_REQUEST, VALL, 7, NO_MP,
      "OFPT_GET_CONFIG_REQUEST", 0 },
    { OFPTYPE_GET_CONFIG_REPLY, VALL, 8, NO_MP, "OFPT_GET_CONFIG_REPLY", 4 },
    { OFPTYPE_SET_CONFIG, VALL, 9, NO_MP, "OFPT_SET_CONFIG", 4 },
    { OFPTYPE_PACKET_IN, V10, 10, NO_MP, "OFPT_PACKET_IN", 10 },
    { OFPTYPE_PACKET_IN, V13UP, 10, NO_MP, "OFPT_PACKET_IN", 24 },
    { OFPTYPE_FLOW_REMOVED, V10, 11, NO_MP, "OFPT_FLOW_REMOVED", 80 },
    { OFPTYPE_FLOW_REMOVED, V13 | V14, 11, NO_MP, "OFPT_FLOW_REMOVED", 48 },
    { OFPTYPE_FLOW_REMOVED, V15, 11, NO_MP, "OFPT_FLOW_REMOVED", 24 },
    { OFPTYPE_PORT_STATUS, V10, 12, NO_MP, "OFPT_PORT_STATUS", 56 },
    { OFPTYPE_PORT_STATUS, V13, 12, NO_MP, "OFPT_PORT_STATUS", 72 },
    { OFPTYPE_PORT_STATUS, V14 | V15, 12, NO_MP, "OFPT_PORT_STATUS", 48 },
    { OFPTYPE_PACKET_OUT, V10, 13, NO_MP, "OFPT_PACKET_OUT", 8 },
    { OFPTYPE_PACKET_OUT, V13 | V14, 13, NO_MP, "OFPT_PACKET_OUT", 16 },
    { OFPTYPE_PACKET_OUT, V15, 13, NO_MP, "OFPT_PACKET_OUT", 16 },
    { OFPTYPE_FLOW_MOD, V10, 14, NO_MP, "OFPT_FLOW_MOD", 64 },
    { OFPTYPE_FLOW_MOD, V13UP, 14, NO_MP, "OFPT_FLOW_MOD", 48 },
    { OFPTYPE_PORT_MOD, V10, 15, NO_MP, "OFPT_PORT_MOD", 24 },
    { OFPTYPE_PORT_MOD, V13, 16, NO_MP, "OFPT_PORT_MOD", 32 },
    { OFPTYPE_PORT_MOD, V14 | V15, 16, NO_MP, "OFPT_PORT_MOD", 24 },
    { OFPTYPE_BARRIER_REQUEST, V10, 18, NO_MP, "OFPT_BARRIER_REQUEST", 0 },
    { OFPTYPE_BARRIER_REQUEST, V13UP, 20, NO_MP,
      "OFPT_BARRIER_REQUEST", 0 },
    { OFPTYPE_BARRIER_REPLY, V10, 19, NO_MP, "OFPT_BARRIER_REPLY", 0 },
    { OFPTYPE_BARRIER_REPLY, V13UP, 21, NO_MP, "OFPT_BARRIER_REPLY", 0 },
    { OFPTYPE_ROLE_REQUEST, V13UP, 24, NO_MP, "OFPT_ROLE_REQUEST", 16 },
    { OFPTYPE_ROLE_REPLY, V13UP, 25, NO_MP, "OFPT_ROLE_REPLY", 16 },
    { OFPTYPE_GET_ASYNC_REQUEST, V13UP, 26, NO_MP,
      "OFPT_GET_ASYNC_REQUEST", 0 },
    { OFPTYPE_GET_ASYNC_REPLY, V13, 27, NO_MP, "OFPT_GET_ASYNC_REPLY", 24 },
    { OFPTYPE_GET_ASYNC_REPLY, V14 | V15, 27, NO_MP,
      "OFPT_GET_ASYNC_REPLY", 0 },
    { OFPTYPE_SET_ASYNC, V13, 28, NO_MP, "OFPT_SET_ASYNC", 24 },
    { OFPTYPE_SET_ASYNC, V14 | V15, 28, NO_MP, "OFPT_SET_ASYNC", 0 },
    { OFPTYPE_ROLE_STATUS, V14 | V15, 30, NO_MP, "OFPT_ROLE_STATUS", 16 },
    { OFPTYPE_BUNDLE_CONTROL, V14 | V15, 33, NO_MP,
      "OFPT_BUNDLE_CONTROL", 8 },
    { OFPTYPE_BUNDLE_ADD_MESSAGE, V14 | V15, 34, NO_MP,
      "OFPT_BUNDLE_ADD_MESSAGE", 16 },
    /* OpenFlow 1.3 has bundles through the ONF extension EXT-230: the 1.4
     * bodies behind an experimenter header. */
    { OFPTYPE_BUNDLE_CONTROL, V13, 4, NO_MP, "ONFT_BUNDLE_CONTROL", 8,
      true, 2300, ONF_VENDOR_ID },
    { OFPTYPE_BUNDLE_ADD_MESSAGE, V13, 4, NO_MP, "ONFT_BUNDLE_ADD_MESSAGE",
      16, true, 2301, ONF_VENDOR_ID },

    { OFPTYPE_DESC_STATS_REQUEST, V10, 16, 0, "OFPST_DESC request", 0 },
    { OFPTYPE_DESC_STATS_REQUEST, V13UP, 18, 0, "OFPST_DESC request", 0 },
    { OFPTYPE_DESC_STATS_REPLY, V10, 17, 0, "OFPST_DESC reply", 1056 },
    { OFPTYPE_DESC_STATS_REPLY, V13UP, 19, 0, "OFPST_DESC reply", 1056 },
    { OFPTYPE_FLOW_STATS_REQUEST, V10, 16, 1, "OFPST_FLOW request", 44 },
    { OFPTYPE_FLOW_STATS_REQUEST, V13UP, 18, 1, "OFPST_FLOW request", 40 },
    { OFPTYPE_FLOW_STATS_REPLY, V10, 17, 1, "OFPST_FLOW reply", 0 },
    { OFPTYPE_FLOW_STATS_REPLY, V13UP, 19, 1, "OFPST_FLOW reply", 0 },
    { OFPTYPE_AGGREGATE_STATS_REQUEST, V10, 16, 2,
      "OFPST_AGGREGATE request", 44 },
    { OFPTYPE_AGGREGATE_STATS_REQUEST, V13UP, 18, 2,
      "OFPST_AGGREGATE request", 40 },
    { OFPTYPE_AGGREGATE_STATS_REPLY, V10, 17, 2,
      "OFPST_AGGREGATE reply", 24 },
    { OFPTYPE_AGGREGATE_STATS_REPLY, V13 | V14, 19, 2,
      "OFPST_AGGREGATE reply", 24 },
    { OFPTYPE_AGGREGATE_STATS_REPLY, V15, 19, 2,
      "OFPST_AGGREGATE reply", 4 },
    { OFPTYPE_TABLE_STATS_REQUEST, V10, 16, 3, "OFPST_TABLE request", 0 },
    { OFPTYPE_TABLE_STATS_REQUEST, V13UP, 18, 3, "OFPST_TABLE request", 0 },
    { OFPTYPE_TABLE_STATS_REPLY, V10, 17, 3, "OFPST_TABLE reply", 0 },
    { OFPTYPE_TABLE_STATS_REPLY, V13UP, 19, 3, "OFPST_TABLE reply", 0 },
    { OFPTYPE_PORT_STATS_REQUEST, V10, 16, 4, "OFPST_PORT request", 8 },
    { OFPTYPE_PORT_STATS_REQUEST, V13UP, 18, 4, "OFPST_PORT request", 8 },
    { OFPTYPE_PORT_STATS_REPLY, V10, 17, 4, "OFPST_PORT reply", 0 },
    { OFPTYPE_PORT_STATS_REPLY, V13UP, 19, 4, "OFPST_PORT reply", 0 },
    { OFPTYPE_TABLE_FEATURES_REQUEST, V13UP, 18, 12,
      "OFPST_TABLE_FEATURES request", 0 },
    { OFPTYPE_TABLE_FEATURES_REPLY, V13UP, 19, 12,
      "OFPST_TABLE_FEATURES reply", 0 },
    { OFPTYPE_TABLE_MOD, V13UP, 17, NO_MP, "OFPT_TABLE_MOD", 8 },
    { OFPTYPE_TABLE_DESC_STATS_REQUEST, V14 | V15, 18, 14,
      "OFPST_TABLE_DESC request", 0 },
    { OFPTYPE_TABLE_DESC_STATS_REPLY, V14 | V15, 19, 14,
      "OFPST_TABLE_DESC reply", 0 },
    { OFPTYPE_TABLE_STATUS, V14 | V15, 31, NO_MP, "OFPT_TABLE_STATUS", 16 },
    /* OpenFlow 1.0 has port descriptions as an extension with the same
     * stats type (Open vSwitch does the same). */
    { OFPTYPE_PORT_DESC_STATS_REQUEST, V10 | V13 | V14, MP_REQUEST, 13,
      "OFPST_PORT_DESC request", 0 },
    { OFPTYPE_PORT_DESC_STATS_REQUEST, V15, 18, 13,
      "OFPST_PORT_DESC request", 8 },
    { OFPTYPE_PORT_DESC_STATS_REPLY, V10 | V13UP, MP_REPLY, 13,
      "OFPST_PORT_DESC reply", 0 },
    /* Groups: OpenFlow 1.5 changed group_mod and group desc. */
    { OFPTYPE_GROUP_MOD, V13 | V14, 15, NO_MP, "OFPT_GROUP_MOD", 8 },
    { OFPTYPE_GROUP_MOD, V15, 15, NO_MP, "OFPT_GROUP_MOD", 16 },
    { OFPTYPE_GROUP_STATS_REQUEST, V13UP, 18, 6, "OFPST_GROUP request", 8 },
    { OFPTYPE_GROUP_STATS_REPLY, V13UP, 19, 6, "OFPST_GROUP reply", 0 },
    { OFPTYPE_GROUP_DESC_STATS_REQUEST, V13 | V14, 18, 7,
      "OFPST_GROUP_DESC request", 0 },
    { OFPTYPE_GROUP_DESC_STATS_REQUEST, V15, 18, 7,
      "OFPST_GROUP_DESC request", 8 },
    { OFPTYPE_GROUP_DESC_STATS_REPLY, V13UP, 19, 7,
      "OFPST_GROUP_DESC reply", 0 },
    { OFPTYPE_GROUP_FEATURES_STATS_REQUEST, V13UP, 18, 8,
      "OFPST_GROUP_FEATURES request", 0 },
    { OFPTYPE_GROUP_FEATURES_STATS_REPLY, V13UP, 19, 8,
      "OFPST_GROUP_FEATURES reply", 40 },
    /* OpenFlow 1.0 has groups as Nicira extensions (Open vSwitch's):
     * NXT_GROUP_MOD and the group desc messages with 1.5's bodies, the
     * group stats and features with 1.3's. */
    { OFPTYPE_GROUP_MOD, V10, 4, NO_MP, "NXT_GROUP_MOD", 16, true, 31 },
    { OFPTYPE_GROUP_STATS_REQUEST, V10, MP_REQUEST, NX_STATS,
      "NXST_GROUP request", 8, true, 7 },
    { OFPTYPE_GROUP_STATS_REPLY, V10, MP_REPLY, NX_STATS,
      "NXST_GROUP reply", 0, true, 7 },
    { OFPTYPE_GROUP_DESC_STATS_REQUEST, V10, MP_REQUEST, NX_STATS,
      "NXST_GROUP_DESC request", 8, true, 8 },
    { OFPTYPE_GROUP_DESC_STATS_REPLY, V10, MP_REPLY, NX_STATS,
      "NXST_GROUP_DESC reply", 0, true, 8 },
    { OFPTYPE_GROUP_FEATURES_STATS_REQUEST, V10, MP_REQUEST, NX_STATS,
      "NXST_GROUP_FEATURES request", 0, true, 9 },
    { OFPTYPE_GROUP_FEATURES_STATS_REPLY, V10, MP_REPLY, NX_STATS,
      "NXST_GROUP_FEATURES reply", 40, true, 9 },
    /* Queues: statistics in every version, the config message until 1.3,
     * then the queue description multipart. */
    { OFPTYPE_QUEUE_STATS_REQUEST, V10, 16, 5, "OFPST_QUEUE request", 8 },
    { OFPTYPE_QUEUE_STATS_REQUEST, V13UP, 18, 5, "OFPST_QUEUE request", 8 },
    { OFPTYPE_QUEUE_STATS_REPLY, V10, 17, 5, "OFPST_QUEUE reply", 0 },
    { OFPTYPE_QUEUE_STATS_REPLY, V13UP, 19, 5, "OFPST_QUEUE reply", 0 },
    { OFPTYPE_QUEUE_GET_CONFIG_REQUEST, V10, 20, NO_MP,
      "OFPT_QUEUE_GET_CONFIG_REQUEST", 4 },
    { OFPTYPE_QUEUE_GET_CONFIG_REQUEST, V13, 22, NO_MP,
      "OFPT_QUEUE_GET_CONFIG_REQUEST", 8 },
    { OFPTYPE_QUEUE_GET_CONFIG_REPLY, V10, 21, NO_MP,
      "OFPT_QUEUE_GET_CONFIG_REPLY", 8 },
    { OFPTYPE_QUEUE_GET_CONFIG_REPLY, V13, 23, NO_MP,
      "OFPT_QUEUE_GET_CONFIG_REPLY", 8 },
    { OFPTYPE_QUEUE_DESC_STATS_REQUEST, V14 | V15, 18, 15,
      "OFPST_QUEUE_DESC request", 8 },
    { OFPTYPE_QUEUE_DESC_STATS_REPLY, V14 | V15, 19, 15,
      "OFPST_QUEUE_DESC reply", 0 },
    /* Meters: one layout from OpenFlow 1.3 on. */
    { OFPTYPE_METER_MOD, V13UP, 29, NO_MP, "OFPT_METER_MOD", 8 },
    { OFPTYPE_METER_STATS_REQUEST, V13UP, 18, 9, "OFPST_METER request", 8 },
    { OFPTYPE_METER_STATS_REPLY, V13UP, 19, 9, "OFPST_METER reply", 0 },
    { OFPTYPE_METER_CONFIG_STATS_REQUEST, V13UP, 18, 10,
      "OFPST_METER_CONFIG request", 8 },
    { OFPTYPE_METER_CONFIG_STATS_REPLY, V13UP, 19, 10,
      "OFPST_METER_CONFIG reply", 0 },
    { OFPTYPE_METER_FEATURES_STATS_REQUEST, V13UP, 18, 11,
      "OFPST_METER_FEATURES request", 0 },
    { OFPTYPE_METER_FEATURES_STATS_REPLY, V13UP, 19, 11,
      "OFPST_METER_FEATURES reply", 16 },
    /* Nicira extensions: OFPT_VENDOR/OFPT_EXPERIMENTER (type 4) or
     * vendor statistics (type 0xffff), then vendor and subtype. */
    { OFPTYPE_NXT_SET_FLOW_FORMAT, V10, 4, NO_MP, "NXT_SET_FLOW_FORMAT", 4,
      true, 12 },
    { OFPTYPE_NXT_FLOW_MOD, V10, 4, NO_MP, "NXT_FLOW_MOD", 32, true, 13 },
    { OFPTYPE_NXT_FLOW_MOD_TABLE_ID, VALL, 4, NO_MP, "NXT_FLOW_MOD_TABLE_ID",
      8, true, 15 },
    { OFPTYPE_NXT_SET_CONTROLLER_ID, VALL, 4, NO_MP, "NXT_SET_CONTROLLER_ID",
      8, true, 20 },
    { OFPTYPE_NXT_CT_FLUSH_ZONE, VALL, 4, NO_MP, "NXT_CT_FLUSH_ZONE", 8,
      true, 29 },
    { OFPTYPE_NXT_CT_FLUSH, VALL, 4, NO_MP, "NXT_CT_FLUSH", 8, true, 32 },
    { OFPTYPE_NXT_SET_PACKET_IN_FORMAT, VALL, 4, NO_MP,
      "NXT_SET_PACKET_IN_FORMAT", 4, true, 16 },
    { OFPTYPE_NXT_PACKET_IN, VALL, 4, NO_MP, "NXT_PACKET_IN", 24, true, 17 },
    { OFPTYPE_NXT_PACKET_IN2, VALL, 4, NO_MP, "NXT_PACKET_IN2", 0, true, 30 },
    { OFPTYPE_NXT_RESUME, VALL, 4, NO_MP, "NXT_RESUME", 0, true, 28 },
    { OFPTYPE_NXT_FLOW_REMOVED, VALL, 4, NO_MP, "NXT_FLOW_REMOVED", 40,
      true, 14 },
    { OFPTYPE_NXT_TLV_TABLE_MOD, VALL, 4, NO_MP, "NXT_TLV_TABLE_MOD", 8,
      true, 24 },
    { OFPTYPE_NXT_TLV_TABLE_REQUEST, VALL, 4, NO_MP,
      "NXT_TLV_TABLE_REQUEST", 0, true, 25 },
    { OFPTYPE_NXT_TLV_TABLE_REPLY, VALL, 4, NO_MP, "NXT_TLV_TABLE_REPLY",
      16, true, 26 },
    /* SET_ASYNC before OpenFlow 1.3 has it: the 1.3 body in any version,
     * and the 1.4 property list in the versions before 1.4. */
    { OFPTYPE_NXT_SET_ASYNC_CONFIG, VALL, 4, NO_MP, "NXT_SET_ASYNC_CONFIG",
      24, true, 19 },
    { OFPTYPE_NXT_SET_ASYNC_CONFIG2, V10 | V13, 4, NO_MP,
      "NXT_SET_ASYNC_CONFIG2", 0, true, 27 },
    { OFPTYPE_NXST_FLOW_REQUEST, V10, MP_REQUEST, NX_STATS,
      "NXST_FLOW request", 8, true, 0 },
    { OFPTYPE_NXST_FLOW_REPLY, V10, MP_REPLY, NX_STATS, "NXST_FLOW reply", 0,
      true, 0 },
    { OFPTYPE_NXST_AGGREGATE_REQUEST, V10, MP_REQUEST, NX_STATS,
      "NXST_AGGREGATE request", 8, true, 1 },
    { OFPTYPE_NXST_AGGREGATE_REPLY, V10, MP_REPLY, NX_STATS,
      "NXST_AGGREGATE reply", 24, true, 1 },
    { OFPTYPE_NXST_IPFIX_BRIDGE_REQUEST, VALL, MP_REQUEST, NX_STATS,
      "NXST_IPFIX_BRIDGE request", 0, true, 3 },
    { OFPTYPE_NXST_IPFIX_FLOW_REQUEST, VALL, MP_REQUEST, NX_STATS,
      "NXST_IPFIX_FLOW request", 0, true, 4 },
    /* Flow monitors: Nicira's in OpenFlow 1.0, ONF's extension EXT-187 in
     * 1.3 (as Open vSwitch: it refuses Nicira's there), the standard
     * multipart from 1.4. */
    { OFPTYPE_NXST_FLOW_MONITOR_REQUEST, V10, MP_REQUEST, NX_STATS,
      "NXST_FLOW_MONITOR request", 0, true, 2 },
    { OFPTYPE_NXST_FLOW_MONITOR_REQUEST, V13, MP_REQUEST, NX_STATS,
      "ONFST_FLOW_MONITOR request", 0, true, 1870, ONF_VENDOR_ID },
    { OFPTYPE_NXST_FLOW_MONITOR_REPLY, V10, MP_REPLY, NX_STATS,
      "NXST_FLOW_MONITOR reply", 0, true, 2 },
    { OFPTYPE_NXST_FLOW_MONITOR_REPLY, V13, MP_REPLY, NX_STATS,
      "ONFST_FLOW_MONITOR reply", 0, true, 1870, ONF_VENDOR_ID },
    { OFPTYPE_NXT_FLOW_MONITOR_CANCEL, V10, 4, NO_MP,
      "NXT_FLOW_MONITOR_CANCEL", 4, true, 21 },
    { OFPTYPE_NXT_FLOW_MONITOR_CANCEL, V13, 4, NO_MP,
      "ONFT_FLOW_MONITOR_CANCEL", 4, true, 1870, ONF_VENDOR_ID },
    { OFPTYPE_NXT_FLOW_MONITOR_PAUSED, V10, 4, NO_MP,
      "NXT_FLOW_MONITOR_PAUSED", 0, true, 22 },
    { OFPTYPE_NXT_FLOW_MONITOR_PAUSED, V13, 4, NO_MP,
      "ONFT_FLOW_MONITOR_PAUSED", 0, true, 1871, ONF_VENDOR_ID },
    { OFPTYPE_NXT_FLOW_MONITOR_RESUMED, V10, 4, NO_MP,
      "NXT_FLOW_MONITOR_RESUMED", 0, true, 23 },
    { OFPTYPE_NXT_FLOW_MONITOR_RESUMED, V13, 4, NO_MP,
      "ONFT_FLOW_MONITOR_RESUMED", 0, true, 1872, ONF_VENDOR_ID },
    { OFPTYPE_FLOW_MONITOR_REQUEST, V14 | V15, 18, 16,
      "OFPST_FLOW_MONITOR request", 0 },
    { OFPTYPE_FLOW_MONITOR_REPLY, V14 | V15, 19, 16,
      "OFPST_FLOW_MONITOR reply", 0 },
};

/* The wire type of a row in 'version'. */
static uint8_t
row_raw(const struct ofpmsg_row *row, uint8_t version)
{
    if (row->raw != MP_REQUEST && row->raw != MP_REPLY) {
        return row->raw;
    }
    bool req = row->raw == MP_REQUEST;
    return (version == OFP10_VERSION
            ? (req ? OFPT10_STATS_REQUEST : OFPT10_STATS_REPLY)
            : (req ? OFPT13_MULTIPART_REQUEST : OFPT13_MULTIPART_REPLY));
}

static uint32_t
row_vendor(const struct ofpmsg_row *row)
{
    return row->vendor ? row->vendor : NX_VENDOR_ID;
}

static size_t
mp_header_len(uint8_t version)
{
    return version == OFP10_VERSION ? 12 : 16;
}

static const struct ofpmsg_row *
find_row(enum ofptype type, uint8_t version)
{
    for (size_t i = 0; i < ARRAY_SIZE(ofpmsg_rows); i++) {
        const struct ofpmsg_row *row = &ofpmsg_rows[i];
        if (row->type == type && version < 32
            && row->versions & (1u << version)) {
            return row;
        }
    }
    return NULL;
}

const char *
ofp_version_to_string(uint8_t version)
{
    switch (version) {
    case OFP10_VERSION: return "OF1.0";
    case OFP11_VERSION: return "OF1.1";
    case OFP12_VERSION: return "OF1.2";
    case OFP13_VERSION: return "OF1.3";
    case OFP14_VERSION: return "OF1.4";
    case OFP15_VERSION: return "OF1.5";
    }
    static char buf[16];
    snprintf(buf, sizeof buf, "OF0x%02x", version);
    return buf;
}

bool
ofp_version_is_supported(uint8_t version)
{
    return version < 32 && OFP_SUPPORTED_VERSIONS & (1u << version);
}

uint8_t
ofp_versions_highest(uint32_t bitmap)
{
    for (int v = 31; v > 0; v--) {
        if (bitmap & (1u << v)) {
            return v;
        }
    }
    return 0;
}

uint32_t
ofp_versions_from_string(const char *s, char **errp)
{
    static const struct { const char *name; uint8_t version; } names[] = {
        { "OpenFlow10", OFP10_VERSION },
        { "OpenFlow13", OFP13_VERSION },
        { "OpenFlow14", OFP14_VERSION },
        { "OpenFlow15", OFP15_VERSION },
    };
    char *copy = xstrdup(s), *save = NULL;
    uint32_t bitmap = 0;
    *errp = NULL;
    for (char *tok = strtok_r(copy, ", ", &save); tok;
         tok = strtok_r(NULL, ", ", &save)) {
        size_t i;
        for (i = 0; i < ARRAY_SIZE(names); i++) {
            if (!strcasecmp(tok, names[i].name)) {
                bitmap |= 1u << names[i].version;
                break;
            }
        }
        if (i == ARRAY_SIZE(names)) {
            *errp = xasprintf("%s: unknown or unsupported OpenFlow version",
                              tok);
            bitmap = 0;
            break;
        }
    }
    free(copy);
    if (!bitmap && !*errp) {
        *errp = xstrdup("no OpenFlow version given");
    }
    return bitmap;
}

size_t
ofpmsg_frame_length(const void *data, size_t avail)
{
    return avail < OFP_HEADER_LEN ? 0 : get_be16((const uint8_t *) data + 2);
}

enum ofperr
ofpmsg_decode(struct ofp_msg_info *info, const void *data, size_t len)
{
    const uint8_t *p = data;
    memset(info, 0, sizeof *info);
    info->type = OFPTYPE_N_TYPES;
    if (len < OFP_HEADER_LEN) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    info->version = p[0];
    info->raw_type = p[1];
    info->length = get_be16(p + 2);
    info->xid = get_be32(p + 4);
    info->msg = p;
    if (info->length < OFP_HEADER_LEN || info->length > len) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    info->body = p + OFP_HEADER_LEN;
    info->body_len = info->length - OFP_HEADER_LEN;

    /* A hello of any version must be understood to negotiate. */
    if (info->raw_type == 0) {
        info->type = OFPTYPE_HELLO;
        return 0;
    }
    if (!ofp_version_is_supported(info->version)) {
        return OFPERR_OFPBRC_BAD_VERSION;
    }

    bool is_mp = (info->version == OFP10_VERSION
                  ? (info->raw_type == OFPT10_STATS_REQUEST
                     || info->raw_type == OFPT10_STATS_REPLY)
                  : (info->raw_type == OFPT13_MULTIPART_REQUEST
                     || info->raw_type == OFPT13_MULTIPART_REPLY));
    if (is_mp) {
        size_t hlen = mp_header_len(info->version);
        if (info->length < hlen) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        info->mp_type = get_be16(p + 8);
        info->mp_flags = get_be16(p + 10);
        info->body = p + hlen;
        info->body_len = info->length - hlen;
    }

    /* Vendor extensions carry vendor and subtype before their body;
     * OpenFlow 1.0 vendor statistics pad that to 12 bytes. */
    bool nx = info->raw_type == OFPT_VENDOR
              || (is_mp && info->mp_type == NX_STATS);
    uint32_t subtype = 0, vendor = 0;
    if (nx) {
        size_t vlen = (is_mp && info->version == OFP10_VERSION) ? 12 : 8;
        if (info->body_len < vlen) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        vendor = get_be32(info->body);
        if (vendor != NX_VENDOR_ID && vendor != ONF_VENDOR_ID) {
            return OFPERR_OFPBRC_BAD_EXPERIMENTER;
        }
        subtype = get_be32(info->body + 4);
        info->body += vlen;
        info->body_len -= vlen;
    }

    bool known_raw = false;
    for (size_t i = 0; i < ARRAY_SIZE(ofpmsg_rows); i++) {
        const struct ofpmsg_row *row = &ofpmsg_rows[i];
        if (!(row->versions & (1u << info->version))
            || row_raw(row, info->version) != info->raw_type) {
            continue;
        }
        known_raw = true;
        if ((is_mp && row->mp_type != info->mp_type)
            || row->nx != nx
            || (nx && (row->subtype != subtype
                       || row_vendor(row) != vendor))) {
            continue;
        }
        info->type = row->type;
        return info->body_len < row->min_body ? OFPERR_OFPBRC_BAD_LEN : 0;
    }
    if (nx) {
        return OFPERR_OFPBRC_BAD_EXP_TYPE;
    }
    return known_raw && is_mp ? OFPERR_OFPBRC_BAD_STAT
                              : OFPERR_OFPBRC_BAD_TYPE;
}

const char *
ofptype_get_name(enum ofptype type, uint8_t version)
{
    const struct ofpmsg_row *row = find_row(type, version);
    if (!row) {
        row = find_row(type, OFP13_VERSION);
    }
    if (!row) {
        row = find_row(type, OFP10_VERSION);
    }
    return row ? row->name : "<unknown message>";
}

bool
ofptype_is_multipart(enum ofptype type)
{
    for (size_t i = 0; i < ARRAY_SIZE(ofpmsg_rows); i++) {
        if (ofpmsg_rows[i].type == type) {
            return ofpmsg_rows[i].mp_type != NO_MP;
        }
    }
    return false;
}

struct ofpbuf *
ofpraw_alloc(enum ofptype type, uint8_t version, uint32_t xid, size_t extra)
{
    const struct ofpmsg_row *row = find_row(type, version);
    if (!row) {
        return NULL;
    }
    struct ofpbuf *b = ofpbuf_new(16 + extra);
    ofpbuf_put_u8(b, version);
    ofpbuf_put_u8(b, row_raw(row, version));
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_be32(b, xid);
    if (row->mp_type != NO_MP) {
        ofpbuf_put_be16(b, row->mp_type);
        ofpbuf_put_be16(b, 0);
        if (version != OFP10_VERSION) {
            ofpbuf_put_zeros(b, 4);
        }
    }
    if (row->nx) {
        ofpbuf_put_be32(b, row_vendor(row));
        ofpbuf_put_be32(b, row->subtype);
        if (row->mp_type != NO_MP && version == OFP10_VERSION) {
            ofpbuf_put_zeros(b, 4);
        }
    }
    ofpmsg_update_length(b);
    return b;
}

struct ofpbuf *
ofpraw_alloc_reply(enum ofptype type, const struct ofp_msg_info *request,
                   size_t extra)
{
    return ofpraw_alloc(type, request->version, request->xid, extra);
}

void
ofpmsg_update_length(struct ofpbuf *b)
{
    ofpbuf_set_be16(b, 2, b->size > OFP_MAX_MSG_LEN ? OFP_MAX_MSG_LEN
                                                    : b->size);
}

uint32_t
ofpmsg_next_xid(void)
{
    static uint32_t next_xid = 1;
    return next_xid++;
}
