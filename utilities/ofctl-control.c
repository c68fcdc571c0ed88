/* ofctl-control: the monitor's control socket and event loop. */
#include <config.h>
#include "ofctl-control.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "daemon.h"
#include "evloop.h"
#include "ofctl-packet.h"
#include "ofctl-vconn.h"
#include "ofproto/ofp-msgs.h"
#include "ofproto/ofpbuf.h"
#include "packets.h"
#include "unixctl.h"
#include "util.h"

static char *control_path;      /* --unixctl, or NULL for the default. */
static FILE *output;            /* NULL: stderr. */
static struct event *read_event;
static bool blocked;

void
ofctl_control_set_path(const char *arg)
{
    free(control_path);
    control_path = (!strcmp(arg, "none") || arg[0] == '/'
                    ? xstrdup(arg)
                    : xasprintf("%s/%s", xvs_rundir(), arg));
}

FILE *
ofctl_output(void)
{
    return output ? output : stderr;
}

static void
control_exit(struct unixctl_conn *conn, int argc XVS_UNUSED,
             const char *argv[] XVS_UNUSED, void *aux XVS_UNUSED)
{
    unixctl_command_reply(conn, NULL);
    evloop_exit();
}

/* Checks one ofctl/send argument as ovs-ofctl does, with its messages. */
static const char *
parse_message(const char *hex, uint8_t **msgp, size_t *lenp)
{
    *msgp = packet_from_hex(hex, lenp);
    if (!*msgp) {
        const char *p = hex;
        while (isspace((unsigned char) *p)) {
            p++;
        }
        return *p ? "Trailing garbage in hex data"
                  : "Message too short for OpenFlow";
    }
    if (*lenp < OFP_HEADER_LEN) {
        return "Message too short for OpenFlow";
    }
    if (get_be16(*msgp + 2) != *lenp) {
        return "Message size does not match length in OpenFlow header";
    }
    return NULL;
}

static void
control_send(struct unixctl_conn *conn, int argc, const char *argv[],
             void *vc_)
{
    struct vconn *vc = vc_;
    struct ds reply = DS_EMPTY_INITIALIZER;
    bool ok = true;
    for (int i = 1; i < argc; i++) {
        uint8_t *msg;
        size_t len;
        const char *error = parse_message(argv[i], &msg, &len);
        if (error) {
            ds_put_format(&reply, "%s\n", error);
            ok = false;
        } else {
            struct ds s = DS_EMPTY_INITIALIZER;
            ds_put_cstr(&s, "send: ");
            ofp_print(&s, msg, len);
            fputs(ds_cstr(&s), ofctl_output());
            fflush(ofctl_output());
            ds_destroy(&s);
            struct ofpbuf *b = ofpbuf_new(len);
            ofpbuf_put(b, msg, len);
            vconn_send(vc, b);
            ds_put_cstr(&reply, "sent\n");
        }
        free(msg);
    }
    if (ok) {
        unixctl_command_reply(conn, ds_cstr(&reply));
    } else {
        unixctl_command_reply_error(conn, ds_cstr(&reply));
    }
    ds_destroy(&reply);
}

/* Parses a packet-out as the packet-out command does, prints it and sends
 * it; the reply is empty, as ovs-ofctl's. */
static void
control_packet_out(struct unixctl_conn *conn, int argc XVS_UNUSED,
                   const char *argv[], void *vc_)
{
    struct vconn *vc = vc_;
    struct ofp_packet_out_msg po;
    char *error = ofctl_parse_packet_out_str(argv[1], &po);
    if (!error) {
        struct ofpbuf *b = ofp_encode_packet_out(&po, vc->version,
                                                 ofpmsg_next_xid());
        free((uint8_t *) po.packet);
        ofp_packet_out_uninit(&po);
        if (!b) {
            error = xstrdup("PACKET_OUT actions are incompatible with the "
                            "OpenFlow connection.");
        } else {
            char *s = ofp_to_string(b->data, b->size);
            fputs(s, ofctl_output());
            fflush(ofctl_output());
            free(s);
            vconn_send(vc, b);
        }
    }
    if (error) {
        unixctl_command_reply_error(conn, error);
        free(error);
    } else {
        unixctl_command_reply(conn, NULL);
    }
}

/* ofctl/barrier's caller, answered once the reply has been printed. */
static struct unixctl_conn *barrier_conn;

static void
control_barrier(struct unixctl_conn *conn, int argc XVS_UNUSED,
                const char *argv[] XVS_UNUSED, void *vc_)
{
    struct vconn *vc = vc_;
    if (barrier_conn) {
        unixctl_command_reply_error(conn, "already waiting for barrier "
                                    "reply");
        return;
    }
    vconn_send(vc, ofp_encode_empty(OFPTYPE_BARRIER_REQUEST, vc->version,
                                    ofpmsg_next_xid()));
    barrier_conn = conn;
}

static void
control_set_output_file(struct unixctl_conn *conn, int argc XVS_UNUSED,
                        const char *argv[], void *aux XVS_UNUSED)
{
    FILE *f = fopen(argv[1], "w");
    if (!f) {
        char *error = xasprintf("%s: %s", argv[1], strerror(errno));
        unixctl_command_reply_error(conn, error);
        free(error);
        return;
    }
    if (output) {
        fclose(output);
    }
    output = f;
    unixctl_command_reply(conn, NULL);
}

static void
control_block(struct unixctl_conn *conn, int argc XVS_UNUSED,
              const char *argv[], void *aux XVS_UNUSED)
{
    bool block = !strcmp(argv[0], "ofctl/block");
    if (read_event && block != blocked) {
        if (block) {
            event_del(read_event);
        } else {
            event_add(read_event, NULL);
        }
    }
    blocked = block;
    unixctl_command_reply(conn, NULL);
}

void
ofctl_control_start(struct vconn *vc)
{
    if (control_path && !strcmp(control_path, "none")) {
        return;
    }
    char *path = (control_path ? xstrdup(control_path)
                  : xasprintf("%s/xvs-ofctl.%ld.ctl", xvs_rundir(),
                              (long) getpid()));
    int error = unixctl_server_create(path);
    if (error && control_path) {
        xvs_fatal(error, "could not create control socket \"%s\"", path);
    }
    free(path);
    if (error) {
        return;
    }
    unixctl_command_register("exit", "", 0, 0, control_exit, NULL);
    unixctl_command_register("ofctl/send", "OFMSG...", 1, INT_MAX,
                             control_send, vc);
    unixctl_command_register("ofctl/packet-out", "PACKET-OUT", 1, 1,
                             control_packet_out, vc);
    unixctl_command_register("ofctl/barrier", "", 0, 0, control_barrier,
                             vc);
    unixctl_command_register("ofctl/set-output-file", "FILE", 1, 1,
                             control_set_output_file, NULL);
    unixctl_command_register("ofctl/block", "", 0, 0, control_block, NULL);
    unixctl_command_register("ofctl/unblock", "", 0, 0, control_block,
                             NULL);
}

struct run_aux {
    struct vconn *vc;
    ofctl_msg_cb *cb;
    void *aux;
};

static bool
is_barrier_reply(const struct ofpbuf *b)
{
    struct ofp_msg_info info;
    return (!ofpmsg_decode(&info, b->data, b->size)
            && info.type == OFPTYPE_BARRIER_REPLY);
}

static void
vconn_readable(evutil_socket_t fd XVS_UNUSED, short what XVS_UNUSED,
               void *run_)
{
    struct run_aux *run = run_;
    struct ofpbuf *b = vconn_recv_once(run->vc);
    if (b) {
        bool barrier_reply = (barrier_conn && b->size >= OFP_HEADER_LEN
                              && is_barrier_reply(b));
        run->cb(run->vc, b, run->aux);
        if (barrier_reply) {
            unixctl_command_reply(barrier_conn, NULL);
            barrier_conn = NULL;
        }
    }
}

void
ofctl_control_run(struct vconn *vc, ofctl_msg_cb *cb, void *aux)
{
    struct run_aux run = { .vc = vc, .cb = cb, .aux = aux };
    vc->deadline = LLONG_MAX;
    read_event = event_new(evloop_base(), vc->fd, EV_READ | EV_PERSIST,
                           vconn_readable, &run);
    if (!blocked) {
        event_add(read_event, NULL);
    }
    evloop_run();
    event_free(read_event);
    read_event = NULL;
}
