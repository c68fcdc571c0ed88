/* ofp-msgs: the OpenFlow message codec.
 *
 * Wire format in, plain C structs out, and back.  Every message kind has
 * one row in the table of ofp-msgs.c: its 'enum ofptype', the versions it
 * exists in, its wire type (and multipart type), the name ovs-ofctl
 * prints ("OFPT_FLOW_MOD", "OFPST_FLOW reply") and its minimum body
 * length.  ofpmsg_decode() uses that table to identify and length-check a
 * message; ofpraw_alloc() uses it to start one; ofp_print() uses it to
 * name one.  The per-message codecs below are split by concept over
 * ofp-switch.c (hello, echo, features, config, desc), ofp-flow.c (flow
 * mod, flow stats, aggregate, flow removed), ofp-packet.c (packet in/out),
 * ofp-ports.c (port desc, stats, status), ofp-table.c (table stats and
 * features), ofp-match.c (OF1.0 ofp_match and OXM), ofp-actions.c and
 * ofp-group.c (group mod, stats, desc and features: ofp-group.h),
 * ofp-meter.c (meter mod, stats, config and features: ofp-meter.h) and
 * ofp-nicira.c (Nicira extension messages: vendor 0x00002320, one row
 * per subtype here; NXM flow_mod and flow stats, flow and packet-in
 * formats, packet-in, packet-in2 and resume, flow removed; the
 * continuation inside is continuation.h's).  Flow monitor messages,
 * Nicira's and OpenFlow 1.4's, are in ofp-monitor.h; TLV maps in
 * ofp-tlv.h; table mod, table desc and table status in ofp-table-mod.h.
 *
 * Conventions
 *  - Decoders take a 'struct ofp_msg_info' that ofpmsg_decode() filled,
 *    validate every length against the buffer, and return 0 or an
 *    OFPERR_* to send back; they never read past the message.
 *  - Decoded structs may point into the message (packet data); they are
 *    valid as long as the message buffer is.  Structs holding a 'struct
 *    ofpacts' or arrays have an _uninit()/_free() to call.
 *  - Encoders take the struct, a version and an xid and return a new
 *    'struct ofpbuf' holding one complete message (multipart replies: a
 *    'struct ofpbuf_vec' of messages, split below 64 kB with the MORE
 *    flag set on all but the last).
 *  - Port numbers are 32-bit everywhere (lib/ofp-port.h); flags and
 *    enumerations use OpenFlow 1.3 numbering internally.
 *
 * Versions: 1.0 (0x01), 1.3 (0x04), 1.4 (0x05) and 1.5 (0x06).  OF1.4/1.5
 * are decoded and encoded with the OF1.3 layouts where those are the same
 * (all messages listed here except packet-out in 1.5, which carries a
 * match, and port descriptions in 1.4+, which use properties). */
#ifndef XVS_OFP_MSGS_H
#define XVS_OFP_MSGS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "flow.h"
#include "ofp-actions.h"
#include "ofp-errors.h"
#include "ofp-port.h"
#include "ofpbuf.h"
#include "util.h"

/* Versions. */
enum ofp_version {
    OFP10_VERSION = 0x01,
    OFP11_VERSION = 0x02,
    OFP12_VERSION = 0x03,
    OFP13_VERSION = 0x04,
    OFP14_VERSION = 0x05,
    OFP15_VERSION = 0x06,
};
#define OFP_HEADER_LEN 8
#define OFP_MAX_MSG_LEN 65535
/* Versions this codec speaks, as a bitmap (bit N = version N). */
#define OFP_SUPPORTED_VERSIONS \
    ((1u << OFP10_VERSION) | (1u << OFP13_VERSION) | \
     (1u << OFP14_VERSION) | (1u << OFP15_VERSION))

/* "OF1.3"; "OF0x07" for unknown. */
const char *ofp_version_to_string(uint8_t version);
/* Parses "OpenFlow10,OpenFlow13" (also "OpenFlow10+" forms not
 * supported); returns a bitmap or 0 with a malloc'd error in *errp. */
uint32_t ofp_versions_from_string(const char *, char **errp);
/* Highest version in a bitmap, 0 if empty. */
uint8_t ofp_versions_highest(uint32_t bitmap);
bool ofp_version_is_supported(uint8_t version);

/* Message kinds, independent of version. */
enum ofptype {
    OFPTYPE_HELLO,
    OFPTYPE_ERROR,
    OFPTYPE_ECHO_REQUEST,
    OFPTYPE_ECHO_REPLY,
    OFPTYPE_FEATURES_REQUEST,
    OFPTYPE_FEATURES_REPLY,
    OFPTYPE_GET_CONFIG_REQUEST,
    OFPTYPE_GET_CONFIG_REPLY,
    OFPTYPE_SET_CONFIG,
    OFPTYPE_PACKET_IN,
    OFPTYPE_FLOW_REMOVED,
    OFPTYPE_PORT_STATUS,
    OFPTYPE_PACKET_OUT,
    OFPTYPE_FLOW_MOD,
    OFPTYPE_PORT_MOD,
    OFPTYPE_BARRIER_REQUEST,
    OFPTYPE_BARRIER_REPLY,
    OFPTYPE_DESC_STATS_REQUEST,
    OFPTYPE_DESC_STATS_REPLY,
    OFPTYPE_FLOW_STATS_REQUEST,
    OFPTYPE_FLOW_STATS_REPLY,
    OFPTYPE_AGGREGATE_STATS_REQUEST,
    OFPTYPE_AGGREGATE_STATS_REPLY,
    OFPTYPE_TABLE_STATS_REQUEST,
    OFPTYPE_TABLE_STATS_REPLY,
    OFPTYPE_PORT_STATS_REQUEST,
    OFPTYPE_PORT_STATS_REPLY,
    OFPTYPE_TABLE_FEATURES_REQUEST,
    OFPTYPE_TABLE_FEATURES_REPLY,
    /* Table configuration (ofp-table-mod.h). */
    OFPTYPE_TABLE_MOD,
    OFPTYPE_TABLE_DESC_STATS_REQUEST,
    OFPTYPE_TABLE_DESC_STATS_REPLY,
    OFPTYPE_TABLE_STATUS,
    OFPTYPE_PORT_DESC_STATS_REQUEST,
    OFPTYPE_PORT_DESC_STATS_REPLY,
    OFPTYPE_ROLE_REQUEST,
    OFPTYPE_ROLE_REPLY,
    OFPTYPE_ROLE_STATUS,
    OFPTYPE_GET_ASYNC_REQUEST,
    OFPTYPE_GET_ASYNC_REPLY,
    OFPTYPE_SET_ASYNC,
    OFPTYPE_BUNDLE_CONTROL,
    OFPTYPE_BUNDLE_ADD_MESSAGE,
    /* Groups (ofp-group.h). */
    OFPTYPE_GROUP_MOD,
    OFPTYPE_GROUP_STATS_REQUEST,
    OFPTYPE_GROUP_STATS_REPLY,
    OFPTYPE_GROUP_DESC_STATS_REQUEST,
    OFPTYPE_GROUP_DESC_STATS_REPLY,
    OFPTYPE_GROUP_FEATURES_STATS_REQUEST,
    OFPTYPE_GROUP_FEATURES_STATS_REPLY,
    /* Meters (ofp-meter.h). */
    OFPTYPE_METER_MOD,
    OFPTYPE_METER_STATS_REQUEST,
    OFPTYPE_METER_STATS_REPLY,
    OFPTYPE_METER_CONFIG_STATS_REQUEST,
    OFPTYPE_METER_CONFIG_STATS_REPLY,
    OFPTYPE_METER_FEATURES_STATS_REQUEST,
    OFPTYPE_METER_FEATURES_STATS_REPLY,
    /* Queues (ofp-queue-msgs.h). */
    OFPTYPE_QUEUE_STATS_REQUEST,
    OFPTYPE_QUEUE_STATS_REPLY,
    OFPTYPE_QUEUE_GET_CONFIG_REQUEST,
    OFPTYPE_QUEUE_GET_CONFIG_REPLY,
    OFPTYPE_QUEUE_DESC_STATS_REQUEST,
    OFPTYPE_QUEUE_DESC_STATS_REPLY,
    /* Nicira extensions (vendor NX_VENDOR_ID; ofp-nicira.c). */
    OFPTYPE_NXT_SET_FLOW_FORMAT,
    OFPTYPE_NXT_FLOW_MOD_TABLE_ID,
    OFPTYPE_NXT_SET_CONTROLLER_ID,
    OFPTYPE_NXT_CT_FLUSH_ZONE,
    OFPTYPE_NXT_CT_FLUSH,              /* ofp-ct.h. */
    OFPTYPE_NXT_FLOW_MOD,              /* Decoded by ofp_decode_flow_mod. */
    OFPTYPE_NXST_FLOW_REQUEST,         /* ofp_decode_flow_stats_request. */
    OFPTYPE_NXST_FLOW_REPLY,
    OFPTYPE_NXST_AGGREGATE_REQUEST,
    OFPTYPE_NXST_AGGREGATE_REPLY,
    OFPTYPE_NXST_IPFIX_BRIDGE_REQUEST,     /* No body; answered with */
    OFPTYPE_NXST_IPFIX_FLOW_REQUEST,       /* NXST_NOT_CONFIGURED. */
    OFPTYPE_NXT_SET_PACKET_IN_FORMAT,
    OFPTYPE_NXT_PACKET_IN,             /* ofp_decode_packet_in. */
    OFPTYPE_NXT_PACKET_IN2,            /* ofp_decode_packet_in. */
    OFPTYPE_NXT_RESUME,                /* ofp_decode_packet_in. */
    OFPTYPE_NXT_FLOW_REMOVED,          /* ofp_decode_flow_removed. */
    OFPTYPE_NXT_TLV_TABLE_MOD,         /* ofp-tlv.h. */
    OFPTYPE_NXT_TLV_TABLE_REQUEST,
    OFPTYPE_NXT_TLV_TABLE_REPLY,
    OFPTYPE_NXT_SET_ASYNC_CONFIG,      /* ofp_decode_async_config. */
    OFPTYPE_NXT_SET_ASYNC_CONFIG2,
    /* Flow monitors (ofp-monitor.h): Nicira's in OpenFlow 1.0 and, under
     * the same types, ONF's (ONFST/ONFT) in 1.3; then OpenFlow 1.4's. */
    OFPTYPE_NXST_FLOW_MONITOR_REQUEST,
    OFPTYPE_NXST_FLOW_MONITOR_REPLY,
    OFPTYPE_NXT_FLOW_MONITOR_CANCEL,
    OFPTYPE_NXT_FLOW_MONITOR_PAUSED,
    OFPTYPE_NXT_FLOW_MONITOR_RESUMED,
    OFPTYPE_FLOW_MONITOR_REQUEST,
    OFPTYPE_FLOW_MONITOR_REPLY,
    OFPTYPE_N_TYPES
};

/* Multipart flags. */
#define OFPMPF_REQ_MORE   1
#define OFPMPF_REPLY_MORE 1

/* What ofpmsg_decode() learned about a message. */
struct ofp_msg_info {
    uint8_t version;
    uint8_t raw_type;          /* OFPT_* on the wire. */
    uint16_t length;           /* From the header; <= buffer length. */
    uint32_t xid;
    enum ofptype type;
    uint16_t mp_type;          /* Multipart/stats type, if any. */
    uint16_t mp_flags;
    const uint8_t *msg;        /* The whole message. */
    const uint8_t *body;       /* After the (multipart) header, and
                                * after vendor and subtype for Nicira
                                * extensions. */
    size_t body_len;
    /* Set by the receiver, not the decoder: the connection enabled
     * NXT_FLOW_MOD_TABLE_ID, so the high byte of an OpenFlow 1.0 or
     * NXT_FLOW_MOD command is a table id. */
    bool flow_mod_table_id;
};

/* How many bytes the message starting at 'data' occupies, once at least
 * OFP_HEADER_LEN bytes are available; 0 if fewer are. */
size_t ofpmsg_frame_length(const void *data, size_t avail);
/* Identifies and length-checks one message of 'len' bytes.  Errors:
 * OFPBRC_BAD_LEN (short or inconsistent length), OFPBRC_BAD_VERSION,
 * OFPBRC_BAD_TYPE, OFPBRC_BAD_STAT (unknown multipart type),
 * OFPBRC_BAD_EXPERIMENTER (vendor other than Nicira's or ONF's),
 * OFPBRC_BAD_EXP_TYPE (unknown Nicira subtype).  For
 * OFPBRC_BAD_VERSION/BAD_TYPE 'info' still holds version/xid/raw_type so
 * the caller can answer. */
enum ofperr ofpmsg_decode(struct ofp_msg_info *, const void *data,
                          size_t len);
/* "OFPT_FLOW_MOD", "OFPST_FLOW request", ... */
const char *ofptype_get_name(enum ofptype, uint8_t version);
/* True for *_STATS_REQUEST / *_STATS_REPLY kinds. */
bool ofptype_is_multipart(enum ofptype);

/* Starts a message of 'type' (header, and multipart header for stats)
 * with 'extra' bytes of capacity; the length is fixed up by
 * ofpmsg_update_length() which every encoder here calls.  Returns NULL if
 * 'type' does not exist in 'version'. */
struct ofpbuf *ofpraw_alloc(enum ofptype, uint8_t version, uint32_t xid,
                            size_t extra);
/* Same as a reply to 'request' (its version and xid). */
struct ofpbuf *ofpraw_alloc_reply(enum ofptype,
                                  const struct ofp_msg_info *request,
                                  size_t extra);
void ofpmsg_update_length(struct ofpbuf *);
/* A fresh xid for requests. */
uint32_t ofpmsg_next_xid(void);

/* ---- Hello, echo, barrier, error (ofp-switch.c, ofp-errors.c). ---- */

/* HELLO with a version-bitmap element; the header carries the highest
 * version of 'versions'. */
struct ofpbuf *ofp_encode_hello(uint32_t versions);
/* The versions the peer offers: its bitmap element if present, else
 * every supported version up to the header's. */
enum ofperr ofp_decode_hello(const struct ofp_msg_info *, uint32_t *versions);
/* Highest common version, or 0 if none. */
uint8_t ofp_negotiate_version(uint32_t ours, uint32_t theirs);

struct ofpbuf *ofp_encode_echo_request(uint8_t version);
struct ofpbuf *ofp_encode_echo_reply(const struct ofp_msg_info *request);
/* Messages with no body (FEATURES_REQUEST, GET_CONFIG_REQUEST, BARRIER_*,
 * DESC/TABLE/TABLE_FEATURES/PORT_DESC stats requests). */
struct ofpbuf *ofp_encode_empty(enum ofptype, uint8_t version, uint32_t xid);

struct ofp_error_msg {
    enum ofperr error;         /* 0 if type/code unknown to us. */
    uint16_t type, code;       /* For OFPET_EXPERIMENTER 'code' is the
                                * exp_type of 'vendor'. */
    uint32_t vendor;
    const uint8_t *data;       /* Usually the start of the bad request. */
    size_t data_len;
};
enum ofperr ofp_decode_error(const struct ofp_msg_info *,
                             struct ofp_error_msg *);
/* An error reply echoing up to 64 bytes of the offending message
 * 'request' of 'request_len' bytes (may be NULL/0); 'version' and 'xid'
 * come from it. */
struct ofpbuf *ofp_encode_error(enum ofperr, uint8_t version, uint32_t xid,
                                const void *request, size_t request_len);

/* ---- Features, config, desc (ofp-switch.c). ---- */

/* One port as FEATURES_REPLY (OF1.0), PORT_DESC and PORT_STATUS carry it. */
struct ofp_phy_port {
    uint32_t port_no;
    struct eth_addr hw_addr;
    char name[16];             /* Null-terminated. */
    uint32_t config;           /* OFPPC_* */
    uint32_t state;            /* OFPPS_* */
    uint32_t curr, advertised, supported, peer;  /* OFPPF_* (OF1.3) */
    uint32_t curr_speed, max_speed;              /* kbps */
};
#define OFPPC_PORT_DOWN    (1 << 0)
#define OFPPC_NO_STP       (1 << 1)   /* OF1.0 only. */
#define OFPPC_NO_RECV      (1 << 2)
#define OFPPC_NO_RECV_STP  (1 << 3)   /* OF1.0 only. */
#define OFPPC_NO_FLOOD     (1 << 4)   /* OF1.0 only. */
#define OFPPC_NO_FWD       (1 << 5)
#define OFPPC_NO_PACKET_IN (1 << 6)
#define OFPPS_LINK_DOWN    (1 << 0)
#define OFPPS_BLOCKED      (1 << 1)
#define OFPPS_LIVE         (1 << 2)
#define OFPPF_10GB_FD      (1 << 6)
#define OFPPF_COPPER       (1 << 11)

/* One port in the layout of 'version' (48 bytes in OF1.0, 64 in OF1.3,
 * 40 plus an Ethernet property in OF1.4+); used by every message that
 * carries ports. */
void ofp_phy_port_put(const struct ofp_phy_port *, uint8_t version,
                      struct ofpbuf *);
enum ofperr ofp_phy_port_pull(const uint8_t *data, size_t len,
                              uint8_t version, struct ofp_phy_port *,
                              size_t *consumed);

struct ofp_switch_features {
    uint64_t datapath_id;
    uint32_t n_buffers;
    uint8_t n_tables;
    uint8_t auxiliary_id;
    uint32_t capabilities;     /* OFPC_* */
    uint32_t actions;          /* OF1.0 only: OFPAT10_* bitmap (decoded;
                                * the encoder states what we support). */
    struct ofp_phy_port *ports;  /* OF1.0 only; malloc'd on decode. */
    size_t n_ports;
};
#define OFPC_FLOW_STATS  (1 << 0)
#define OFPC_TABLE_STATS (1 << 1)
#define OFPC_PORT_STATS  (1 << 2)
struct ofpbuf *ofp_encode_features_reply(const struct ofp_switch_features *,
                                         const struct ofp_msg_info *request);
enum ofperr ofp_decode_features_reply(const struct ofp_msg_info *,
                                      struct ofp_switch_features *);
void ofp_switch_features_uninit(struct ofp_switch_features *);

struct ofp_switch_config {
    uint16_t flags;            /* OFPC_FRAG_* */
    uint16_t miss_send_len;
};
/* For GET_CONFIG_REPLY and SET_CONFIG. */
struct ofpbuf *ofp_encode_switch_config(enum ofptype, uint8_t version,
                                        uint32_t xid,
                                        const struct ofp_switch_config *);
enum ofperr ofp_decode_switch_config(const struct ofp_msg_info *,
                                     struct ofp_switch_config *);

struct ofp_desc_stats {
    char mfr_desc[256];
    char hw_desc[256];
    char sw_desc[256];
    char serial_num[32];
    char dp_desc[256];
};
struct ofpbuf *ofp_encode_desc_stats_reply(const struct ofp_desc_stats *,
                                           const struct ofp_msg_info *req);
enum ofperr ofp_decode_desc_stats_reply(const struct ofp_msg_info *,
                                        struct ofp_desc_stats *);

/* ---- Flows (ofp-flow.c). ---- */

enum ofp_flow_mod_command {
    OFPFC_ADD = 0,
    OFPFC_MODIFY = 1,
    OFPFC_MODIFY_STRICT = 2,
    OFPFC_DELETE = 3,
    OFPFC_DELETE_STRICT = 4,
};
/* Flow-mod flags, OF1.3 numbering. */
#define OFPFF_SEND_FLOW_REM (1 << 0)
#define OFPFF_CHECK_OVERLAP (1 << 1)
#define OFPFF_RESET_COUNTS  (1 << 2)
#define OFPFF_NO_PKT_COUNTS (1 << 3)
#define OFPFF_NO_BYT_COUNTS (1 << 4)

#define OFP_NO_BUFFER 0xffffffffu
#define OFPTT_ALL 0xff
#define OFP_FLOW_PERMANENT 0
/* new_cookie value meaning "leave the cookie alone". */
#define OFP_COOKIE_UNCHANGED UINT64_MAX

struct ofp_flow_mod_msg {
    struct match match;
    uint16_t priority;
    uint8_t command;           /* OFPFC_* */
    uint8_t table_id;          /* OFPTT_ALL for "all" in deletes. */
    bool table_id_in_command;  /* OpenFlow 1.0 encoders put 'table_id' in
                                * the command's high byte, for a connection
                                * with NXT_FLOW_MOD_TABLE_ID enabled. */
    uint64_t cookie;           /* Filter for modify/delete. */
    uint64_t cookie_mask;      /* 0: no cookie filter. */
    uint64_t new_cookie;       /* For add (and OF1.0 modify), else
                                * OFP_COOKIE_UNCHANGED. */
    uint16_t idle_timeout;
    uint16_t hard_timeout;
    uint32_t buffer_id;
    uint32_t out_port;         /* OFPP_ANY: no filter. */
    uint32_t out_group;        /* OFPG_ANY: no filter. */
    uint16_t flags;            /* OFPFF_* */
    uint16_t importance;       /* OpenFlow 1.4+ only on the wire. */
    struct ofpacts ofpacts;
};
void ofp_flow_mod_init(struct ofp_flow_mod_msg *);  /* Defaults as
                                                     * ovs-ofctl uses. */
void ofp_flow_mod_uninit(struct ofp_flow_mod_msg *);
enum ofperr ofp_decode_flow_mod(const struct ofp_msg_info *,
                                struct ofp_flow_mod_msg *);
/* Sets fm->command and fm->table_id from an OpenFlow 1.0 or NXT_FLOW_MOD
 * 16-bit command, whose high byte is the table id if
 * 'table_id_in_command' (NXT_FLOW_MOD_TABLE_ID).  OFPFMFC_BAD_COMMAND
 * for unknown commands. */
enum ofperr ofp_flow_mod_split_command(struct ofp_flow_mod_msg *,
                                       uint16_t command,
                                       bool table_id_in_command);
/* The reverse: the 16-bit OpenFlow 1.0 command of 'fm', with the table id
 * in the high byte if fm->table_id_in_command. */
uint16_t ofp_flow_mod_wire_command(const struct ofp_flow_mod_msg *);
/* NULL if the match cannot be expressed in 'version' (OF1.0 ofp_match
 * lacks most fields); ofp_flow_mod_usable_in() says beforehand. */
struct ofpbuf *ofp_encode_flow_mod(const struct ofp_flow_mod_msg *,
                                   uint8_t version, uint32_t xid);
bool ofp_match_usable_in(const struct match *, uint8_t version);

/* Text: ovs-ofctl's flow syntax.  'command' is OFPFC_* (-1: add-flows
 * style, where a leading "add"/"modify"/"delete" word may pick it).
 * Returns NULL or a malloc'd one-line error. */
char *ofp_parse_flow_mod_str(struct ofp_flow_mod_msg *, const char *,
                             int command);
/* Match-only flow syntax for dump-flows/del-flows filters: also accepts
 * table=, cookie=V/M, out_port=. */
struct ofp_flow_stats_request;
char *ofp_parse_flow_stats_request_str(struct ofp_flow_stats_request *,
                                       const char *, bool aggregate);

struct ofp_flow_stats_request {
    struct match match;
    uint8_t table_id;          /* OFPTT_ALL for all. */
    uint32_t out_port;         /* OFPP_ANY: no filter. */
    uint32_t out_group;
    uint64_t cookie, cookie_mask;
    bool aggregate;            /* OFPTYPE_AGGREGATE_STATS_REQUEST. */
};
void ofp_flow_stats_request_init(struct ofp_flow_stats_request *);
enum ofperr ofp_decode_flow_stats_request(const struct ofp_msg_info *,
                                          struct ofp_flow_stats_request *);
struct ofpbuf *ofp_encode_flow_stats_request(
    const struct ofp_flow_stats_request *, uint8_t version, uint32_t xid);

struct ofp_flow_stats {
    struct match match;
    uint8_t table_id;
    uint16_t priority;
    uint32_t duration_sec, duration_nsec;
    uint16_t idle_timeout, hard_timeout;
    uint16_t flags;
    uint16_t importance;       /* OpenFlow 1.4+ only on the wire. */
    uint64_t cookie;
    uint64_t packet_count, byte_count;
    /* Seconds since the flow was last used and last changed, plus one; 0
     * if unknown.  Only NXST_FLOW carries them (in this form). */
    uint16_t idle_age, hard_age;
    struct ofpacts ofpacts;
};
void ofp_encode_flow_stats_reply(const struct ofp_flow_stats *, size_t n,
                                 const struct ofp_msg_info *request,
                                 struct ofpbuf_vec *out);
/* Appends the entries of one reply message to *fs (growing it). */
enum ofperr ofp_decode_flow_stats_reply(const struct ofp_msg_info *,
                                        struct ofp_flow_stats **fs,
                                        size_t *n);
void ofp_flow_stats_free(struct ofp_flow_stats *, size_t n);
/* One line as dump-flows prints it (without the leading space), e.g.
 * "cookie=0x0, duration=1.234s, table=0, n_packets=0, n_bytes=0,
 * priority=100,in_port=1 actions=output:2". */
void ofp_flow_stats_format(const struct ofp_flow_stats *, bool no_stats,
                           struct ds *);

struct ofp_aggregate_stats {
    uint64_t packet_count, byte_count;
    uint32_t flow_count;
};
struct ofpbuf *ofp_encode_aggregate_stats_reply(
    const struct ofp_aggregate_stats *, const struct ofp_msg_info *req);
enum ofperr ofp_decode_aggregate_stats_reply(const struct ofp_msg_info *,
                                             struct ofp_aggregate_stats *);

/* Flow-removed reasons, as OpenFlow 1.4 numbers them (1.0 has the first
 * three, 1.3 the first four). */
enum {
    OFPRR_IDLE_TIMEOUT = 0,
    OFPRR_HARD_TIMEOUT = 1,
    OFPRR_DELETE = 2,
    OFPRR_GROUP_DELETE = 3,
    OFPRR_METER_DELETE = 4,
    OFPRR_EVICTION = 5,
};
/* 'reason' as a connection of 'version' can be told it: the reasons a
 * version lacks become OFPRR_DELETE. */
uint8_t ofp_flow_removed_reason_for_version(uint8_t reason, uint8_t version);
/* "idle", "hard", "delete", "group_delete", "meter_delete", "eviction",
 * as ovs-ofctl prints them; NULL for others. */
const char *ofp_flow_removed_reason_to_string(uint8_t reason);
struct ofp_flow_removed_msg {
    struct match match;
    uint64_t cookie;
    uint16_t priority;
    uint8_t reason;            /* OFPRR_* */
    uint8_t table_id;
    uint32_t duration_sec, duration_nsec;
    uint16_t idle_timeout, hard_timeout;
    uint64_t packet_count, byte_count;
};
/* OpenFlow 1.5 carries the statistics as OXS fields.  'fr->reason' is
 * written as ofp_flow_removed_reason_for_version() gives it; NULL if the
 * match cannot be expressed in 'version'. */
struct ofpbuf *ofp_encode_flow_removed(const struct ofp_flow_removed_msg *,
                                       uint8_t version);
enum ofperr ofp_decode_flow_removed(const struct ofp_msg_info *,
                                    struct ofp_flow_removed_msg *);

/* ---- Packets (ofp-packet.c). ---- */

struct ofp_packet_in_msg {
    uint32_t buffer_id;        /* OFP_NO_BUFFER: packet is all here. */
    uint16_t total_len;
    uint8_t reason;            /* OFPR_* */
    uint8_t table_id;
    uint64_t cookie;
    struct match match;        /* Metadata: in_port, metadata, regs. */
    const uint8_t *packet;
    size_t packet_len;
    /* NXT_PACKET_IN2 and NXT_RESUME only: the controller action's
     * userdata, and the value of NXPINT_CONTINUATION (continuation.h),
     * past its 4 bytes of padding.  Lengths 0: none. */
    const uint8_t *userdata;
    size_t userdata_len;
    const uint8_t *continuation;
    size_t continuation_len;
};
struct ofpbuf *ofp_encode_packet_in(const struct ofp_packet_in_msg *,
                                    uint8_t version);
enum ofperr ofp_decode_packet_in(const struct ofp_msg_info *,
                                 struct ofp_packet_in_msg *);
/* Appends the flow 'packet' carries, every field its headers define
 * (zeros too), then its L4 checksum, and a new line: the line ovs-ofctl
 * monitor prints under a packet-in. */
void ofp_packet_format(const uint8_t *packet, size_t len, struct ds *);

struct ofp_packet_out_msg {
    uint32_t buffer_id;
    uint32_t in_port;          /* OFPP_CONTROLLER or OFPP_ANY if none. */
    struct ofpacts ofpacts;
    const uint8_t *packet;
    size_t packet_len;
};
void ofp_packet_out_uninit(struct ofp_packet_out_msg *);
struct ofpbuf *ofp_encode_packet_out(const struct ofp_packet_out_msg *,
                                     uint8_t version, uint32_t xid);
/* Errors include OFPBRC_BAD_PORT for an invalid in_port. */
enum ofperr ofp_decode_packet_out(const struct ofp_msg_info *,
                                  struct ofp_packet_out_msg *);

/* ---- Ports (ofp-ports.c). ---- */

struct ofpbuf *ofp_encode_port_desc_reply(const struct ofp_phy_port *,
                                          size_t n,
                                          const struct ofp_msg_info *req);
/* Appends to *ports. */
enum ofperr ofp_decode_port_desc_reply(const struct ofp_msg_info *,
                                       struct ofp_phy_port **ports,
                                       size_t *n);
/* Port-desc request of OF1.5 may name one port; others: OFPP_ANY. */
enum ofperr ofp_decode_port_desc_request(const struct ofp_msg_info *,
                                         uint32_t *port_no);

enum { OFPPR_ADD = 0, OFPPR_DELETE = 1, OFPPR_MODIFY = 2 };
struct ofp_port_status_msg {
    uint8_t reason;            /* OFPPR_* */
    struct ofp_phy_port desc;
};
struct ofpbuf *ofp_encode_port_status(const struct ofp_port_status_msg *,
                                      uint8_t version);
enum ofperr ofp_decode_port_status(const struct ofp_msg_info *,
                                   struct ofp_port_status_msg *);

/* PORT_MOD: set the 'mask' bits of a port's config to those of 'config'.
 * 'hw_addr' must be the port's, as a check that the sender means this
 * port.  'advertise' 0 leaves the advertised features alone (OpenFlow
 * 1.4+ then sends no Ethernet property). */
struct ofp_port_mod_msg {
    uint32_t port_no;
    struct eth_addr hw_addr;
    uint32_t config, mask;     /* OFPPC_* */
    uint32_t advertise;        /* OFPPF_* (OF1.3 layout) */
};
struct ofpbuf *ofp_encode_port_mod(const struct ofp_port_mod_msg *,
                                   uint8_t version, uint32_t xid);
enum ofperr ofp_decode_port_mod(const struct ofp_msg_info *,
                                struct ofp_port_mod_msg *);

struct ofp_port_stats {
    uint32_t port_no;
    uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes;
    uint64_t rx_dropped, tx_dropped, rx_errors, tx_errors;
    uint64_t rx_frame_err, rx_over_err, rx_crc_err, collisions;
    uint32_t duration_sec, duration_nsec;   /* OF1.3+ */
};
/* 'port_no' OFPP_ANY for all ports. */
struct ofpbuf *ofp_encode_port_stats_request(uint32_t port_no,
                                             uint8_t version, uint32_t xid);
enum ofperr ofp_decode_port_stats_request(const struct ofp_msg_info *,
                                          uint32_t *port_no);
void ofp_encode_port_stats_reply(const struct ofp_port_stats *, size_t n,
                                 const struct ofp_msg_info *request,
                                 struct ofpbuf_vec *out);
enum ofperr ofp_decode_port_stats_reply(const struct ofp_msg_info *,
                                        struct ofp_port_stats **ps,
                                        size_t *n);

/* ---- Tables (ofp-table.c). ---- */

struct ofp_table_stats {
    uint8_t table_id;
    char name[32];             /* OF1.0 only on the wire. */
    uint32_t max_entries;      /* OF1.0 only on the wire. */
    uint32_t wildcards;        /* OF1.0 only: OFPFW10_* fields the table
                                * can wildcard (the encoder sends all). */
    uint32_t active_count;
    uint64_t lookup_count, matched_count;
};
struct ofpbuf *ofp_encode_table_stats_reply(const struct ofp_table_stats *,
                                            size_t n,
                                            const struct ofp_msg_info *req);
enum ofperr ofp_decode_table_stats_reply(const struct ofp_msg_info *,
                                         struct ofp_table_stats **ts,
                                         size_t *n);

/* Table features (OFPMP_TABLE_FEATURES, OpenFlow 1.3+), every property
 * decoded.  Field sets are bitmaps over the field registry's ids (bit
 * 'id % 64' of word 'id / 64'); a header the registry does not know is
 * dropped on decoding, as Open vSwitch drops the ones it does not know.
 * Action and instruction sets are bitmaps of the standard OFPAT_* and
 * OFPIT_* types below 32; experimenter ones are not kept (Open vSwitch
 * neither advertises nor prints them). */
#define OFP_TF_FIELD_WORDS ((MFF_N_IDS + 63) / 64)
struct ofp_table_action_features {
    uint32_t actions;                        /* Bit N: OFPAT_* type N. */
    uint64_t set_fields[OFP_TF_FIELD_WORDS]; /* Settable by set_field. */
};
struct ofp_table_instruction_features {
    uint32_t instructions;                   /* Bit N: OFPIT_* type N. */
    uint8_t next[32];                        /* Bit T: goto_table:T. */
    struct ofp_table_action_features write, apply;
};
struct ofp_table_features {
    uint8_t table_id;
    char name[32];
    uint64_t metadata_match, metadata_write;
    uint32_t config;           /* OFPTC14_EVICTION (4), VACANCY_EVENTS (8). */
    uint32_t max_entries;
    /* Flows in general, and the table-miss flow (the *_MISS properties;
     * a copy of 'nonmiss' when the message leaves them out). */
    struct ofp_table_instruction_features nonmiss, miss;
    uint64_t match[OFP_TF_FIELD_WORDS];      /* Matchable fields, */
    uint64_t mask[OFP_TF_FIELD_WORDS];       /* those with any mask, */
    uint64_t wildcard[OFP_TF_FIELD_WORDS];   /* those that may be omitted. */
};
/* Request bodies that try to change features: OFPTFFC_EPERM. */
enum ofperr ofp_decode_table_features_request(const struct ofp_msg_info *);
/* Fills the properties of 'tf' (whose table_id is set) with what this
 * switch supports in 'version' out of 'n_tables' tables: every field of
 * the registry with a wire header (maskable ones with any mask), every
 * standard action the action table decodes, the instructions (goto_table
 * except on the last table; meter in 1.3 and 1.4, where it is an
 * instruction), table miss the same as other flows. */
void ofp_table_features_set_supported(struct ofp_table_features *,
                                      uint8_t n_tables, uint8_t version);
void ofp_encode_table_features_reply(const struct ofp_table_features *,
                                     size_t n,
                                     const struct ofp_msg_info *request,
                                     struct ofpbuf_vec *out);
/* Appends the decoded tables of one reply part to *tf. */
enum ofperr ofp_decode_table_features_reply(const struct ofp_msg_info *,
                                            struct ofp_table_features **tf,
                                            size_t *n);

/* Bitmap helpers for the field sets above. */
static inline bool
ofp_tf_field_is_set(const uint64_t *set, unsigned int id)
{
    return (set[id / 64] >> (id % 64)) & 1;
}
static inline void
ofp_tf_field_set(uint64_t *set, unsigned int id)
{
    set[id / 64] |= UINT64_C(1) << (id % 64);
}

/* Vendor ids of the extension messages the table knows: Nicira's, and the
 * Open Networking Foundation's (OpenFlow 1.3 bundles, ofp-bundle.h). */
#define NX_VENDOR_ID 0x00002320
#define ONF_VENDOR_ID 0x4f4e4600

/* ---- Nicira extensions (ofp-nicira.c). ---- */

/* NXT_SET_FLOW_FORMAT: how OpenFlow 1.0 flow messages carry matches on a
 * connection.  NXFF_NXM allows NXT_FLOW_MOD and NXST_FLOW/AGGREGATE;
 * this switch accepts those under either format, as the flow format only
 * chooses what the switch itself sends. */
enum nx_flow_format {
    NXFF_OPENFLOW10 = 0,
    NXFF_NXM = 2,
};
/* "openflow10", "nxm"; NULL for others. */
const char *nx_flow_format_to_string(uint32_t);
struct ofpbuf *ofp_encode_nx_set_flow_format(uint32_t format,
                                             uint8_t version, uint32_t xid);
/* Unknown formats: OFPBRC_EPERM, as Open vSwitch answers. */
enum ofperr ofp_decode_nx_set_flow_format(const struct ofp_msg_info *,
                                          uint32_t *format);

/* NXT_FLOW_MOD_TABLE_ID: 'enable' lets the high byte of flow_mod
 * commands (OpenFlow 1.0 and NXT_FLOW_MOD) name the table. */
struct ofpbuf *ofp_encode_nx_flow_mod_table_id(bool enable, uint8_t version,
                                               uint32_t xid);
enum ofperr ofp_decode_nx_flow_mod_table_id(const struct ofp_msg_info *,
                                            bool *enable);

/* NXT_SET_CONTROLLER_ID and NXT_CT_FLUSH_ZONE: both a 16-bit number after
 * six bytes of padding. */
struct ofpbuf *ofp_encode_nx_u16(enum ofptype, uint16_t value,
                                 uint8_t version, uint32_t xid);
enum ofperr ofp_decode_nx_u16(const struct ofp_msg_info *, uint16_t *value);

/* NXT_FLOW_MOD and NXST_FLOW/NXST_AGGREGATE carry NXM matches (and the
 * flow cookie as NXM_NX_COOKIE); ofp_decode_flow_mod(),
 * ofp_decode_flow_stats_request(), ofp_encode_flow_stats_reply(),
 * ofp_decode_flow_stats_reply() and ofp_encode_aggregate_stats_reply()
 * handle them when the message type says so, with these helpers. */
enum ofperr ofp_nx_decode_flow_mod(const struct ofp_msg_info *,
                                   struct ofp_flow_mod_msg *);
struct ofpbuf *ofp_nx_encode_flow_mod(const struct ofp_flow_mod_msg *,
                                      uint32_t xid);
enum ofperr ofp_nx_decode_flow_stats_request(const struct ofp_msg_info *,
                                             struct ofp_flow_stats_request *);
struct ofpbuf *ofp_nx_encode_flow_stats_request(
    const struct ofp_flow_stats_request *, uint32_t xid);
void ofp_nx_put_flow_stats(const struct ofp_flow_stats *, struct ofpbuf *);
/* One entry at 'p'; sets *consumed. */
enum ofperr ofp_nx_pull_flow_stats(const uint8_t *p, size_t len,
                                   struct ofp_flow_stats *, size_t *consumed);

/* NXT_SET_PACKET_IN_FORMAT: which message a connection's packet-ins
 * come in. */
enum nx_packet_in_format {
    NXPIF_STANDARD = 0,        /* OFPT_PACKET_IN of the connection's
                                * version. */
    NXPIF_NXT_PACKET_IN = 1,   /* NXT_PACKET_IN: fixed header, NXM. */
    NXPIF_NXT_PACKET_IN2 = 2,  /* NXT_PACKET_IN2: properties. */
};
/* "standard", "nxt_packet_in", "nxt_packet_in2"; NULL for others. */
const char *nx_packet_in_format_to_string(uint32_t);
struct ofpbuf *ofp_encode_nx_set_packet_in_format(uint32_t format,
                                                  uint8_t version,
                                                  uint32_t xid);
/* Unknown formats: OFPBRC_EPERM. */
enum ofperr ofp_decode_nx_set_packet_in_format(const struct ofp_msg_info *,
                                               uint32_t *format);
/* A packet-in as NXT_PACKET_IN or NXT_PACKET_IN2 ('format'), with the
 * in_port, metadata and registers of pin->match as its NXM/OXM metadata.
 * NXT_PACKET_IN2 has properties packet, full_len (when truncated),
 * buffer_id (when buffered), table_id, cookie, reason, metadata, and
 * userdata and continuation when there are.  NXT_RESUME is an
 * NXT_PACKET_IN2 body sent back: ofp_encode_nx_resume(). */
struct ofpbuf *ofp_encode_nx_packet_in(const struct ofp_packet_in_msg *,
                                       uint32_t format, uint8_t version);
struct ofpbuf *ofp_encode_nx_resume(const struct ofp_packet_in_msg *,
                                    uint8_t version);
enum ofperr ofp_nx_decode_packet_in(const struct ofp_msg_info *,
                                    struct ofp_packet_in_msg *);

/* NXT_FLOW_REMOVED, what connections with flow format NXFF_NXM get
 * instead of OFPT_FLOW_REMOVED: NXM match, no hard timeout. */
struct ofpbuf *ofp_nx_encode_flow_removed(const struct ofp_flow_removed_msg *,
                                          uint8_t version);
enum ofperr ofp_nx_decode_flow_removed(const struct ofp_msg_info *,
                                       struct ofp_flow_removed_msg *);

/* The body of the settings messages above as ovs-ofctl prints it
 * (" format=nxm\n"), for ofp_print(). */
struct ds;
void ofp_nx_print(struct ds *, const struct ofp_msg_info *);

/* ---- Printing (ofp-print.c). ---- */

/* Appends a one-message description as ovs-ofctl prints it, e.g.
 * "OFPT_ERROR (OF1.3) (xid=0x2): OFPBMC_BAD_FIELD".  Malformed messages
 * print their decode error instead of crashing. */
void ofp_print(struct ds *, const void *data, size_t len);
char *ofp_to_string(const void *data, size_t len);

#endif
