/* ofp-monitor: the flow monitor messages on the wire.
 *
 * A controller asks the switch to tell it about changes to the flow
 * tables with a flow monitor request (an id, what to report, and a
 * filter: table, out_port, out_group, match).  The switch answers with the flows
 * that match now, then sends updates as flows are added, modified and
 * deleted.  Three encodings exist and this module speaks them all:
 *   - Nicira's NXST_FLOW_MONITOR vendor statistics (subtype 2) with NXM
 *     matches, NXT_FLOW_MONITOR_CANCEL, NXT_FLOW_MONITOR_PAUSED and
 *     NXT_FLOW_MONITOR_RESUMED, in OpenFlow 1.0;
 *   - ONF's extension EXT-187 in OpenFlow 1.3 (what Open vSwitch speaks
 *     there): ONFST_FLOW_MONITOR experimenter multiparts and
 *     ONFT_FLOW_MONITOR_CANCEL/PAUSED/RESUMED (1870-1872), laid out as
 *     Nicira's but with OpenFlow 1.3 matches and instructions;
 *   - OpenFlow 1.4+'s OFPMP_FLOW_MONITOR multipart with OXM matches,
 *     where cancelling is a request with command DELETE and pausing is an
 *     update event.
 * Inside, requests and updates use one struct each, with Nicira's flag
 * bits (OFP_FMF_*) and an event enum covering every encoding.  The
 * printers write what ovs-ofctl prints.  Only OpenFlow 1.4's requests
 * carry an out_group filter (the others get OFPG_ANY). */
#ifndef XVS_OFP_MONITOR_H
#define XVS_OFP_MONITOR_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "flow.h"
#include "ofp-actions.h"
#include "ofp-errors.h"

struct ds;
struct ofp_msg_info;
struct ofpbuf;

/* What a monitor reports (Nicira's NXFMF_* numbering, plus two bits for
 * OpenFlow 1.4's own-change flags). */
#define OFP_FMF_INITIAL   (1 << 0)  /* The flows that match now. */
#define OFP_FMF_ADD       (1 << 1)
#define OFP_FMF_DELETE    (1 << 2)
#define OFP_FMF_MODIFY    (1 << 3)
#define OFP_FMF_ACTIONS   (1 << 4)  /* Include actions in updates. */
#define OFP_FMF_OWN       (1 << 5)  /* Report the connection's own changes
                                     * (abbreviated). */
#define OFP_FMF_NO_ABBREV (1 << 6)  /* OF1.4: own changes in full. */

/* OpenFlow 1.4 request commands. */
enum ofp_fm_command {
    OFP_FMC_ADD = 0,
    OFP_FMC_MODIFY = 1,
    OFP_FMC_DELETE = 2,
};

struct ofp_flow_monitor_request {
    uint32_t id;
    uint16_t flags;            /* OFP_FMF_*. */
    uint8_t command;           /* OFP_FMC_* (always ADD in Nicira's). */
    uint8_t table_id;          /* 0xff: all tables. */
    uint32_t out_port;         /* OFPP_ANY: no filter. */
    uint32_t out_group;        /* OFPG_ANY: no filter. */
    struct match match;
};

/* Decodes the 'n' requests of an NXST_FLOW_MONITOR or OFPMP_FLOW_MONITOR
 * request into a malloc'd array.  Errors: OFPBRC_BAD_LEN, match errors,
 * OFPMOFC_BAD_FLAGS (no event asked for), OFPMOFC_BAD_COMMAND. */
enum ofperr ofp_decode_flow_monitor_requests(
    const struct ofp_msg_info *, struct ofp_flow_monitor_request **,
    size_t *n);
/* One request as a message of 'version'. */
struct ofpbuf *ofp_encode_flow_monitor_request(
    const struct ofp_flow_monitor_request *, uint8_t version, uint32_t xid);
/* NXT_FLOW_MONITOR_CANCEL of 'id' (OF1.0/1.3). */
struct ofpbuf *ofp_encode_flow_monitor_cancel(uint32_t id, uint8_t version,
                                              uint32_t xid);
enum ofperr ofp_decode_flow_monitor_cancel(const struct ofp_msg_info *,
                                           uint32_t *id);

/* Update events. */
enum ofp_fu_event {
    OFP_FUE_INITIAL,           /* A flow in the initial reply. */
    OFP_FUE_ADDED,
    OFP_FUE_DELETED,
    OFP_FUE_MODIFIED,
    OFP_FUE_ABBREV,            /* The connection's own change: 'xid'. */
    OFP_FUE_PAUSED,            /* OF1.4+: too much to send, stopped. */
    OFP_FUE_RESUMED,           /* OF1.4+: sending again. */
};

struct ofp_flow_update {
    enum ofp_fu_event event;
    uint32_t xid;              /* ABBREV: the request that made it. */
    uint8_t reason;            /* DELETED: OFPRR_* (OF1.4 numbering). */
    uint8_t table_id;
    uint16_t priority;
    uint16_t idle_timeout;
    uint16_t hard_timeout;
    uint64_t cookie;
    struct match match;
    struct ofpacts ofpacts;    /* Empty unless actions were asked for. */
};

/* Starts a (possibly unsolicited, xid 0) flow monitor reply of 'version':
 * NXST_FLOW_MONITOR reply before 1.4, OFPMP_FLOW_MONITOR from 1.4. */
struct ofpbuf *ofp_start_flow_monitor_reply(uint8_t version, uint32_t xid);
/* Appends one update; with_actions false leaves the actions out. */
void ofp_put_flow_update(const struct ofp_flow_update *, bool with_actions,
                         uint8_t version, struct ofpbuf *);
/* Decodes the updates of a reply into a malloc'd array; each needs
 * ofpacts_uninit() (ofp_flow_updates_free() does it all). */
enum ofperr ofp_decode_flow_updates(const struct ofp_msg_info *,
                                    struct ofp_flow_update **, size_t *n);
void ofp_flow_updates_free(struct ofp_flow_update *, size_t n);

/* The flow monitor messages' bodies as ovs-ofctl prints them (with the
 * trailing newline), for ofp_print(). */
void ofp_monitor_print(struct ds *, const struct ofp_msg_info *);

#endif
