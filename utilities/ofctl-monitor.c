/* ofctl-monitor: xvs-ofctl monitor. */
#include <config.h>
#include "ofctl-monitor.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "daemon.h"
#include "ofctl-control.h"
#include "meta-flow.h"
#include "ofctl-vconn.h"
#include "ofproto/ofp-monitor.h"
#include "ofproto/ofp-msgs.h"
#include "ofp-port.h"
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
    fputs(ds_cstr(&s), ofctl_output());
    fflush(ofctl_output());
    ds_destroy(&s);
    vconn_send(vc, msg);
}

/* Prints a message that arrived on 'vc' (on stderr, or the file
 * ofctl/set-output-file names), a packet-in followed by its packet's
 * flow; with '*resume' sends a paused packet-in back. */
static void
print_message(struct vconn *vc, struct ofpbuf *b, void *resume_)
{
    const bool *resume = resume_;
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
    fputs(ds_cstr(&s), ofctl_output());
    fflush(ofctl_output());
    ds_destroy(&s);
    if (*resume && pin.continuation_len) {
        monitor_resume(vc, &pin);
    }
    ofpbuf_delete(b);
}

/* Serves the control socket and prints what arrives until "exit" (then
 * exits 0, removing the pidfile) or the connection ends.  The daemon is
 * ready (--detach returns) once the socket exists. */
static void
print_forever(struct vconn *vc, bool resume)
{
    ofctl_control_start(vc);
    daemonize_complete();
    ofctl_control_run(vc, print_message, &resume);
    daemon_exit_cleanup();
    exit(0);
}

/* Parses "watch:[SPEC...]" (after "watch:") into 'r', ovs-ofctl's
 * syntax: "!initial", "!add", "!delete", "!modify", "!own", "!actions",
 * "table=N", "out_port=PORT", "out_group=N" and match fields. */
static void
parse_watch(const char *spec, struct ofp_flow_monitor_request *r)
{
    memset(r, 0, sizeof *r);
    r->flags = (OFP_FMF_INITIAL | OFP_FMF_ADD | OFP_FMF_DELETE
                | OFP_FMF_MODIFY | OFP_FMF_ACTIONS | OFP_FMF_OWN);
    r->table_id = 0xff;
    r->out_port = OFPP_ANY;
    r->out_group = OFPG_ANY;
    r->command = OFP_FMC_ADD;

    static const struct { const char *name; uint16_t flag; } negations[] = {
        { "!initial", OFP_FMF_INITIAL }, { "!add", OFP_FMF_ADD },
        { "!delete", OFP_FMF_DELETE }, { "!modify", OFP_FMF_MODIFY },
        { "!own", OFP_FMF_OWN }, { "!actions", OFP_FMF_ACTIONS },
    };
    struct ds match = DS_EMPTY_INITIALIZER;
    char *copy = xstrdup(spec), *save = NULL;
    for (char *tok = strtok_r(copy, ", ", &save); tok;
         tok = strtok_r(NULL, ", ", &save)) {
        size_t i;
        for (i = 0; i < ARRAY_SIZE(negations); i++) {
            if (!strcmp(tok, negations[i].name)) {
                r->flags &= ~negations[i].flag;
                break;
            }
        }
        if (i < ARRAY_SIZE(negations)) {
            continue;
        }
        long long n;
        if (!strncmp(tok, "table=", 6)) {
            if (!str_to_llong(tok + 6, 10, &n) || n < 0 || n > 254) {
                xvs_fatal(0, "%s: invalid table id", tok + 6);
            }
            r->table_id = n;
        } else if (!strncmp(tok, "out_port=", 9)) {
            if (!ofp_port_from_string(tok + 9, &r->out_port)) {
                xvs_fatal(0, "%s: invalid or unknown port", tok + 9);
            }
        } else if (!strncmp(tok, "out_group=", 10)) {
            if (!str_to_llong(tok + 10, 10, &n) || n < 0 || n > UINT32_MAX) {
                xvs_fatal(0, "%s: invalid group id", tok + 10);
            }
            r->out_group = n;
        } else {
            ds_put_format(&match, "%s%s", match.length ? "," : "", tok);
        }
    }
    char *error = match_parse(&r->match, ds_cstr(&match));
    if (error) {
        xvs_fatal(0, "%s", error);
    }
    ds_destroy(&match);
    free(copy);
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
    /* As ovs-ofctl, --detach returns after the replies to the requests
     * below are printed (on the caller's stdout). */
    daemonize_start();
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
            struct ofp_flow_monitor_request r;
            /* Before OpenFlow 1.4 the request has no room for out_group:
             * ovs-ofctl drops it, and so does the encoder. */
            parse_watch(arg + 6, &r);
            /* As ovs-ofctl: the reply (the flows that match now) goes
             * to stdout, the updates after it to stderr. */
            dump_transaction(&vc, ofp_encode_flow_monitor_request(
                                 &r, vc.version, ofpmsg_next_xid()),
                             print_reply);
            fflush(stdout);
        } else {
            xvs_fatal(0, "%s: unsupported \"monitor\" argument", arg);
        }
    }
    print_forever(&vc, resume);
}

/* Connects to BRIDGE.snoop and prints the controller traffic it copies,
 * as ovs-ofctl snoop does. */
void
ofctl_snoop(int argc XVS_UNUSED, char *argv[])
{
    const char *target = argv[1];
    char *name = (strchr(target, ':') || strchr(target, '/')
                  ? xstrdup(target)
                  : xasprintf("unix:%s/%s.snoop", xvs_rundir(), target));
    daemonize_start();
    struct vconn vc;
    vconn_open(&vc, name);
    free(name);
    vc.pass_echo = true;
    print_forever(&vc, false);
}
