/* ofctl-monitor: xvs-ofctl monitor. */
#include <config.h>
#include "ofctl-monitor.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "ofctl-vconn.h"
#include "ofproto/ofp-msgs.h"
#include "util.h"

static void
fetch_switch_config(struct vconn *vc, struct ofp_switch_config *sc)
{
    uint32_t xid = ofpmsg_next_xid();
    vconn_send(vc, ofp_encode_empty(OFPTYPE_GET_CONFIG_REQUEST, vc->version,
                                    xid));
    struct ofp_msg_info info;
    struct ofpbuf *b = recv_reply(vc, xid, &info);
    if (info.type != OFPTYPE_GET_CONFIG_REPLY
        || ofp_decode_switch_config(&info, sc)) {
        xvs_fatal(0, "%s: bad reply to config request", vc->name);
    }
    ofpbuf_delete(b);
}

static void
set_switch_config(struct vconn *vc, const struct ofp_switch_config *sc)
{
    struct ofpbuf *req = ofp_encode_switch_config(OFPTYPE_SET_CONFIG,
                                                  vc->version,
                                                  ofpmsg_next_xid(), sc);
    transact_noreply(vc, &req, 1);
}

/* The "invalid_ttl_to_controller" config flag (OpenFlow 1.1 and 1.2,
 * and an Open vSwitch extension to 1.0). */
#define OFPC_INVALID_TTL_TO_CONTROLLER (1 << 2)

static void
monitor_set_invalid_ttl(struct vconn *vc)
{
    struct ofp_switch_config sc;
    fetch_switch_config(vc, &sc);
    if (!(sc.flags & OFPC_INVALID_TTL_TO_CONTROLLER)) {
        sc.flags |= OFPC_INVALID_TTL_TO_CONTROLLER;
        set_switch_config(vc, &sc);
        fetch_switch_config(vc, &sc);
        if (!(sc.flags & OFPC_INVALID_TTL_TO_CONTROLLER)) {
            xvs_fatal(0, "setting invalid_ttl_to_controller failed (this "
                      "switch probably doesn't support this OpenFlow 1.0 "
                      "extension)");
        }
    }
}

uint32_t ofctl_packet_in_format = NXPIF_NXT_PACKET_IN2;

/* ovs-ofctl monitor asks for NXT_PACKET_IN2, the packet-in that carries
 * the most (or the format -P names), and carries on with the standard one
 * if the switch refuses. */
static void
monitor_request_packet_in_format(struct vconn *vc)
{
    vconn_send(vc, ofp_encode_nx_set_packet_in_format(ofctl_packet_in_format,
                                                      vc->version,
                                                      ofpmsg_next_xid()));
    uint32_t barrier_xid = ofpmsg_next_xid();
    vconn_send(vc, ofp_encode_empty(OFPTYPE_BARRIER_REQUEST, vc->version,
                                    barrier_xid));
    for (;;) {
        struct ofpbuf *b = vconn_recv(vc);
        struct ofp_msg_info info;
        bool done = (!ofpmsg_decode(&info, b->data, b->size)
                     && info.type == OFPTYPE_BARRIER_REPLY
                     && info.xid == barrier_xid);
        ofpbuf_delete(b);
        if (done) {
            return;
        }
    }
}

/* "resume": sends a paused packet-in back as NXT_RESUME, as a controller
 * would, printed after "send: " (without the userdata, which NXT_RESUME
 * does not need). */
static void
monitor_resume(struct vconn *vc, const struct ofp_packet_in_msg *pin)
{
    struct ofp_packet_in_msg resume = *pin;
    resume.userdata = NULL;
    resume.userdata_len = 0;
    struct ofpbuf *msg = ofp_encode_nx_resume(&resume, vc->version);
    struct ds s = DS_EMPTY_INITIALIZER;
    ds_put_cstr(&s, "send: ");
    ofp_print(&s, msg->data, msg->size);
    ofp_packet_format(pin->packet, pin->packet_len, &s);
    fputs(ds_cstr(&s), stderr);
    fflush(stderr);
    ds_destroy(&s);
    vconn_send(vc, msg);
}

/* Prints every message the switch sends, as ovs-ofctl monitor does: on
 * stderr, a packet-in followed by the flow its packet carries.  Runs until
 * the connection ends. */
void
ofctl_monitor(int argc, char *argv[])
{
    bool resume = false;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "invalid_ttl")) {
            /* Only OpenFlow 1.0 (of ours) has the flag. */
            allowed_versions &= 1u << OFP10_VERSION;
            if (!allowed_versions) {
                xvs_fatal(0, "invalid_ttl requires OpenFlow 1.0, 1.1, or "
                          "1.2");
            }
        }
    }
    struct vconn vc;
    vconn_open(&vc, argv[1]);
    monitor_request_packet_in_format(&vc);
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i];
        if (isdigit((unsigned char) arg[0])) {
            long long len;
            if (!str_to_llong(arg, 10, &len) || len > UINT16_MAX) {
                xvs_fatal(0, "%s: invalid miss length", arg);
            }
            struct ofp_switch_config sc;
            fetch_switch_config(&vc, &sc);
            sc.miss_send_len = len;
            set_switch_config(&vc, &sc);
        } else if (!strcmp(arg, "invalid_ttl")) {
            monitor_set_invalid_ttl(&vc);
        } else if (!strcmp(arg, "resume")) {
            resume = true;
        } else if (!strncmp(arg, "watch:", 6)) {
            xvs_fatal(0, "%s: flow monitoring is not supported", arg);
        } else {
            xvs_fatal(0, "%s: unsupported \"monitor\" argument", arg);
        }
    }
    vc.deadline = LLONG_MAX;
    for (;;) {
        struct ofpbuf *b = vconn_recv(&vc);
        struct ds s = DS_EMPTY_INITIALIZER;
        ofp_print(&s, b->data, b->size);
        struct ofp_msg_info info;
        struct ofp_packet_in_msg pin;
        if (!ofpmsg_decode(&info, b->data, b->size)
            && (info.type == OFPTYPE_PACKET_IN
                || info.type == OFPTYPE_NXT_PACKET_IN
                || info.type == OFPTYPE_NXT_PACKET_IN2)
            && !ofp_decode_packet_in(&info, &pin)) {
            ofp_packet_format(pin.packet, pin.packet_len, &s);
        } else {
            pin.continuation_len = 0;
        }
        fputs(ds_cstr(&s), stderr);
        fflush(stderr);
        ds_destroy(&s);
        if (resume && pin.continuation_len) {
            monitor_resume(&vc, &pin);
        }
        ofpbuf_delete(b);
    }
}
