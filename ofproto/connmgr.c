#include <config.h>
#include "connmgr.h"
#include "continuation.h"
#include "coverage.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/util.h>
#include "evloop.h"
#include "jsonrpc.h"
#include "list.h"
#include "meta-flow.h"
#include "bundle.h"
#include "flow-monitor.h"
#include "of-handler.h"
#include "ofp-msgs.h"
#include "ofp-role.h"
#include "ofp-table-mod.h"
#include "ofproto-private.h"
#include "pin-queue.h"
#include "reconnect.h"
#include "snoop.h"
#include "stream-ssl.h"
#include "vlog.h"
#include "xlate.h"

VLOG_DEFINE_THIS_MODULE(connmgr);
COVERAGE_DEFINE(vconn_open);
COVERAGE_DEFINE(vconn_received);
COVERAGE_DEFINE(vconn_sent);
COVERAGE_DEFINE(ofproto_packet_in);
COVERAGE_DEFINE(packet_in_overflow);

/* A socket accepting connections: the service listener or a passive
 * controller. */
struct oflistener {
    struct connmgr *mgr;
    struct ofcontroller *ctl;   /* NULL for the service listener. */
    int fd;
    int bound_port;             /* TCP port, 0 for Unix sockets. */
    struct event *ev;
    char *name;
};

/* One configured controller target. */
struct ofcontroller {
    struct xvs_list node;       /* In connmgr 'controllers'. */
    struct connmgr *mgr;
    struct ofproto_controller cfg;  /* 'cfg.target' is owned. */
    bool passive;
    bool ssl;
    long long int last_alive;   /* Configured, or last heard from. */

    /* Passive targets. */
    struct oflistener *listener;
    char *listen_error;         /* Why 'listener' is NULL. */

    /* Active targets. */
    struct reconnect rc;
    struct event *timer;        /* Next attempt (BACKOFF). */
    struct event *connecting;   /* Waits for the socket to connect. */
    struct ofconn *conn;        /* The connection, once connected. */
};

/* Packet-in kinds, as the rate-limit statistics name them. */
enum { PIN_MISS, PIN_ACTION, N_PIN_KINDS };

/* Service connections (BRIDGE.mgmt) are probed after a minute of
 * silence, as Open vSwitch probes its management connections. */
#define SERVICE_PROBE_INTERVAL 60000

struct ofconn {
    struct xvs_list node;       /* In connmgr 'conns'. */
    struct connmgr *mgr;
    struct ofcontroller *ctl;   /* NULL for service connections. */
    struct bufferevent *bev;
    char *name;
    uint8_t version;            /* 0 until HELLO negotiated it. */
    bool wants_async;
    bool closing;               /* Do not process more input. */
    char *close_reason;         /* Why, once 'closing'. */
    uint32_t role;              /* OFPCR_ROLE_*, EQUAL until asked. */
    struct ofp_async_config async;  /* SET_ASYNC, else the defaults. */
    struct xvs_list bundles;    /* Open bundles (bundle.c). */
    /* Nicira extension settings (NXT_SET_FLOW_FORMAT,
     * NXT_FLOW_MOD_TABLE_ID, NXT_SET_CONTROLLER_ID). */
    uint32_t flow_format;       /* NXFF_*; NXFF_OPENFLOW10 until set. */
    bool flow_mod_table_id;
    uint16_t controller_id;
    uint32_t packet_in_format;  /* NXPIF_*. */

    /* Inactivity probe. */
    long long int last_rx;      /* When the peer last sent anything. */
    bool probe_sent;            /* An ECHO_REQUEST is unanswered, */
    long long int probe_sent_at;    /* since then. */
    struct event *probe_timer;

    /* Packet-in rate limiting (controllers with a rate limit). */
    struct pin_queue *pinq[N_PIN_KINDS];

    /* controller_queue_size: the packet-ins written to 'bev' that its
     * socket has not taken yet, as their end offsets in the output
     * stream (a ring of OFPROTO_MAX_QUEUE_SIZE), and the stream's
     * counts of bytes added and drained. */
    struct evbuffer_cb_entry *output_cb;
    unsigned long long tx_added, tx_drained;
    unsigned long long pin_ends[OFPROTO_MAX_QUEUE_SIZE];
    size_t pin_head, pin_n;
    unsigned long long pin_overflow;    /* Dropped since the queue filled. */
};

struct connmgr {
    struct ofproto *ofproto;
    struct oflistener *service;
    struct xvs_list controllers;
    struct xvs_list conns;
    uint32_t allowed_versions;
    struct snoop *snoop;        /* BRIDGE.snoop, or NULL. */
    int service_queue_size;     /* controller_queue_size of 'service'. */
    bool have_generation_id;    /* Master election (ROLE_REQUEST). */
    uint64_t generation_id;
};

static void ofconn_destroy(struct ofconn *);
static void ofconn_close(struct ofconn *, const char *reason);
static void controller_failed(struct ofcontroller *, const char *error);

struct connmgr *
connmgr_create(struct ofproto *ofproto)
{
    struct connmgr *mgr = xzalloc(sizeof *mgr);
    mgr->ofproto = ofproto;
    xvs_list_init(&mgr->controllers);
    xvs_list_init(&mgr->conns);
    mgr->allowed_versions = OFP_SUPPORTED_VERSIONS;
    mgr->service_queue_size = OFPROTO_DEFAULT_QUEUE_SIZE;
    return mgr;
}

size_t
connmgr_count_ofconns(const struct connmgr *mgr)
{
    return xvs_list_size(&mgr->conns);
}

static void
listener_destroy(struct oflistener *l)
{
    if (l) {
        event_free(l->ev);
        close(l->fd);
        if (!strncmp(l->name, "punix:", 6)) {
            unlink(l->name + 6);
        }
        free(l->name);
        free(l);
    }
}

static void
controller_destroy(struct ofcontroller *ctl)
{
    struct ofconn *conn, *next;
    XVS_LIST_FOR_EACH_SAFE (conn, next, node, &ctl->mgr->conns) {
        if (conn->ctl == ctl) {
            ofconn_destroy(conn);
        }
    }
    listener_destroy(ctl->listener);
    free(ctl->listen_error);
    if (ctl->timer) {
        event_free(ctl->timer);
    }
    if (ctl->connecting) {
        close(event_get_fd(ctl->connecting));
        event_free(ctl->connecting);
    }
    reconnect_destroy(&ctl->rc);
    xvs_list_remove(&ctl->node);
    free((char *) ctl->cfg.target);
    free(ctl);
}

void
connmgr_destroy(struct connmgr *mgr)
{
    if (!mgr) {
        return;
    }
    struct ofcontroller *ctl, *next_ctl;
    XVS_LIST_FOR_EACH_SAFE (ctl, next_ctl, node, &mgr->controllers) {
        controller_destroy(ctl);
    }
    struct ofconn *conn, *next;
    XVS_LIST_FOR_EACH_SAFE (conn, next, node, &mgr->conns) {
        ofconn_destroy(conn);
    }
    listener_destroy(mgr->service);
    snoop_destroy(mgr->snoop);
    free(mgr);
}

/* ---- Sending. ---- */

void
ofconn_send(struct ofconn *conn, struct ofpbuf *msg)
{
    if (msg) {
        if (!conn->closing) {
            COVERAGE_INC(vconn_sent);
            bufferevent_write(conn->bev, msg->data, msg->size);
            if (conn->ctl) {
                snoop_copy(conn->mgr->snoop, msg->data, msg->size);
            }
        }
        ofpbuf_delete(msg);
    }
}

size_t
ofconn_get_backlog(const struct ofconn *conn)
{
    return evbuffer_get_length(bufferevent_get_output(conn->bev));
}

uint8_t
ofconn_get_version(const struct ofconn *conn)
{
    return conn->version;
}

void
ofconn_set_wants_async(struct ofconn *conn, bool wants)
{
    conn->wants_async = wants;
}

uint32_t
ofconn_get_role(const struct ofconn *conn)
{
    return conn->role;
}

void
ofconn_set_role(struct ofconn *conn, uint32_t role)
{
    if (role == OFPCR_ROLE_MASTER) {
        /* There is one master: the old one becomes a slave and, from
         * OF1.4 on, is told so. */
        struct connmgr *mgr = conn->mgr;
        struct ofp_role_msg rm = {
            .role = OFPCR_ROLE_SLAVE,
            .generation_id = mgr->have_generation_id ? mgr->generation_id : 0,
        };
        struct ofconn *other;
        XVS_LIST_FOR_EACH (other, node, &mgr->conns) {
            if (other != conn && other->role == OFPCR_ROLE_MASTER) {
                other->role = OFPCR_ROLE_SLAVE;
                /* Whatever its role-status mask says, as Open vSwitch
                 * does. */
                ofconn_send(other, ofp_encode_role_status(
                                &rm, OFPCRR_MASTER_REQUEST, other->version));
            }
        }
    }
    conn->role = role;
}

bool
ofconn_set_generation_id(struct ofconn *conn, uint64_t id)
{
    struct connmgr *mgr = conn->mgr;
    /* Compared as a wrapping sequence number, as the spec asks. */
    if (mgr->have_generation_id
        && (int64_t) (id - mgr->generation_id) < 0) {
        return false;
    }
    mgr->have_generation_id = true;
    mgr->generation_id = id;
    return true;
}

bool
ofconn_get_generation_id(const struct ofconn *conn, uint64_t *id)
{
    *id = conn->mgr->have_generation_id ? conn->mgr->generation_id : 0;
    return conn->mgr->have_generation_id;
}

void
ofconn_get_async_config(const struct ofconn *conn,
                        struct ofp_async_config *ac)
{
    *ac = conn->async;
}

void
ofconn_set_async_config(struct ofconn *conn,
                        const struct ofp_async_config *ac)
{
    conn->async = *ac;
}

uint32_t
ofconn_get_flow_format(const struct ofconn *conn)
{
    return conn->flow_format;
}

void
ofconn_set_flow_format(struct ofconn *conn, uint32_t format)
{
    conn->flow_format = format;
}

void
ofconn_set_flow_mod_table_id(struct ofconn *conn, bool enable)
{
    conn->flow_mod_table_id = enable;
}

void
ofconn_set_packet_in_format(struct ofconn *conn, uint32_t format)
{
    conn->packet_in_format = format;
}

uint16_t
ofconn_get_controller_id(const struct ofconn *conn)
{
    return conn->controller_id;
}

void
ofconn_set_controller_id(struct ofconn *conn, uint16_t id)
{
    conn->controller_id = id;
}

struct xvs_list *
ofconn_get_bundles(struct ofconn *conn)
{
    return &conn->bundles;
}

static void
ofconn_send_error(struct ofconn *conn, enum ofperr error, uint8_t version,
                  uint32_t xid, const void *msg, size_t len)
{
    VLOG_INFO("%s: %s: sending %s error reply", conn->mgr->ofproto->name,
              conn->name, ofperr_get_name(error));
    ofconn_send(conn, ofp_encode_error(error, version, xid, msg, len));
}

/* ---- Receiving. ---- */

static void ofconn_came_up(struct ofconn *);

/* The version to answer a message in before or despite negotiation. */
static uint8_t
reply_version(const struct ofconn *conn, uint8_t msg_version)
{
    if (conn->version) {
        return conn->version;
    }
    return (ofp_version_is_supported(msg_version) ? msg_version
            : ofp_versions_highest(conn->mgr->allowed_versions));
}

/* Negotiates from the peer's HELLO (or, leniently, from the first other
 * message's header).  Returns false if the connection must close. */
static bool
ofconn_negotiate(struct ofconn *conn, const struct ofp_msg_info *info,
                 enum ofperr decode_error)
{
    uint32_t theirs;

    if (!decode_error && info->type == OFPTYPE_HELLO) {
        if (ofp_decode_hello(info, &theirs)) {
            theirs = 1u << info->version;
        }
    } else {
        theirs = info->version < 32 ? 1u << info->version : 0;
    }
    uint8_t version = ofp_negotiate_version(conn->mgr->allowed_versions,
                                            theirs);
    if (!version) {
        VLOG_WARN("%s: %s: version negotiation failed (we support "
                  "bitmap 0x%x, peer 0x%x)", conn->mgr->ofproto->name,
                  conn->name, conn->mgr->allowed_versions, theirs);
        ofconn_send_error(conn, OFPERR_OFPHFC_INCOMPATIBLE,
                          reply_version(conn, info->version), info->xid,
                          info->msg, info->length);
        return false;
    }
    conn->version = version;
    /* The default flow-removed reasons depend on the version.  A
     * controller with enable_async_messages=false starts with none at all
     * and asks for what it wants. */
    ofp_async_config_default(&conn->async, version);
    if (conn->ctl && !conn->ctl->cfg.enable_async) {
        memset(&conn->async, 0, sizeof conn->async);
    }
    ofconn_came_up(conn);
    VLOG_DBG("%s: %s: negotiated %s", conn->mgr->ofproto->name, conn->name,
             ofp_version_to_string(version));
    return true;
}

/* Handles one complete message.  Returns false to close the connection. */
static bool
ofconn_handle(struct ofconn *conn, const uint8_t *msg, size_t len)
{
    struct ofp_msg_info info;
    enum ofperr error = ofpmsg_decode(&info, msg, len);
    bool was_negotiated = conn->version != 0;

    COVERAGE_INC(vconn_received);
    if (!was_negotiated) {
        if (!ofconn_negotiate(conn, &info, error)) {
            return false;
        }
        if (!error && info.type == OFPTYPE_HELLO) {
            return true;
        }
    }
    if (error) {
        ofconn_send_error(conn, error, reply_version(conn, info.version),
                          info.xid, msg, len);
        return true;
    }
    if (info.version != conn->version) {
        ofconn_send_error(conn, OFPERR_OFPBRC_BAD_VERSION, conn->version,
                          info.xid, msg, len);
        return true;
    }

    switch (info.type) {
    case OFPTYPE_HELLO:
    case OFPTYPE_ECHO_REPLY:
        return true;
    case OFPTYPE_ECHO_REQUEST:
        ofconn_send(conn, ofp_encode_echo_reply(&info));
        return true;
    case OFPTYPE_ERROR: {
        struct ofp_error_msg em;
        if (!ofp_decode_error(&info, &em)) {
            VLOG_INFO("%s: %s: received error %s (type %u, code %u)",
                      conn->mgr->ofproto->name, conn->name,
                      em.error ? ofperr_get_name(em.error) : "unknown",
                      em.type, em.code);
        }
        return true;
    }
    default:
        info.flow_mod_table_id = conn->flow_mod_table_id;
        error = of_handle_message(conn->mgr->ofproto, conn, &info);
        if (error) {
            ofconn_send_error(conn, error, conn->version, info.xid, msg, len);
        }
        return true;
    }
}

static void
ofconn_read_cb(struct bufferevent *bev, void *conn_)
{
    struct ofconn *conn = conn_;
    struct evbuffer *in = bufferevent_get_input(bev);

    /* Any traffic shows the peer is alive. */
    conn->last_rx = time_msec();
    conn->probe_sent = false;
    if (conn->ctl) {
        conn->ctl->last_alive = conn->last_rx;
    }
    while (!conn->closing) {
        size_t avail = evbuffer_get_length(in);
        uint8_t header[OFP_HEADER_LEN];
        if (avail < OFP_HEADER_LEN) {
            break;
        }
        evbuffer_copyout(in, header, sizeof header);
        size_t len = ofpmsg_frame_length(header, sizeof header);
        if (len < OFP_HEADER_LEN) {
            /* A length shorter than the header cannot be framed past:
             * answer it and skip just the header. */
            len = OFP_HEADER_LEN;
        }
        if (avail < len) {
            break;
        }
        uint8_t *msg = xmalloc(len);
        evbuffer_remove(in, msg, len);
        if (conn->ctl) {
            snoop_copy(conn->mgr->snoop, msg, len);
        }
        bool keep = ofconn_handle(conn, msg, len);
        free(msg);
        if (!keep) {
            conn->closing = true;
            conn->close_reason = xstrdup("version negotiation failed");
        }
    }
    if (conn->closing) {
        /* Let the error reply drain, then close. */
        if (!evbuffer_get_length(bufferevent_get_output(bev))) {
            ofconn_close(conn, conn->close_reason);
        } else {
            bufferevent_disable(bev, EV_READ);
        }
    }
}

static void
ofconn_write_cb(struct bufferevent *bev XVS_UNUSED, void *conn_)
{
    struct ofconn *conn = conn_;
    if (conn->closing) {
        ofconn_close(conn, conn->close_reason);
    }
}

static void
ofconn_event_cb(struct bufferevent *bev, short what, void *conn_)
{
    struct ofconn *conn = conn_;
    if (what & BEV_EVENT_CONNECTED) {
        /* A TLS handshake is complete: the peer may have been let in only
         * to bootstrap the CA certificate from. */
        char *why = (conn->ctl && conn->ctl->ssl ? stream_ssl_connected(bev)
                     : NULL);
        if (why) {
            ofconn_close(conn, why);
            free(why);
        }
    } else if (what & BEV_EVENT_ERROR) {
        char *ssl_error = conn->ctl && conn->ctl->ssl
                          ? stream_ssl_error(bev) : NULL;
        int error = EVUTIL_SOCKET_ERROR();
        ofconn_close(conn, (ssl_error ? ssl_error
                            : error ? strerror(error)
                            : "connection failed"));
        free(ssl_error);
    } else if (what & BEV_EVENT_EOF) {
        ofconn_close(conn, NULL);
    }
}

static int
ofconn_probe_interval(const struct ofconn *conn)
{
    return conn->ctl ? conn->ctl->cfg.probe_interval : SERVICE_PROBE_INTERVAL;
}

static void
ofconn_arm_probe(struct ofconn *conn, long long int msec)
{
    struct timeval tv = { .tv_sec = msec / 1000,
                          .tv_usec = msec % 1000 * 1000 };
    evtimer_add(conn->probe_timer, &tv);
}

/* After 'probe_interval' ms of silence, an ECHO_REQUEST; after as long
 * again with still no word from the peer, the connection is dead. */
static void
ofconn_probe_cb(evutil_socket_t fd XVS_UNUSED, short what XVS_UNUSED,
                void *conn_)
{
    struct ofconn *conn = conn_;
    int interval = ofconn_probe_interval(conn);
    if (interval <= 0) {
        return;
    }
    long long int now = time_msec();
    long long int idle = now - conn->last_rx;
    long long int due = (conn->probe_sent ? conn->probe_sent_at
                         : conn->last_rx) + interval;
    if (now < due) {
        /* Early: the peer spoke, or the clock was warped only a little. */
        ofconn_arm_probe(conn, due - now);
    } else if (!conn->probe_sent) {
        VLOG_DBG("%s: %s: idle %lld seconds, sending inactivity probe",
                 conn->mgr->ofproto->name, conn->name, idle / 1000);
        ofconn_send(conn, ofp_encode_echo_request(
                        conn->version ? conn->version
                        : ofp_versions_highest(conn->mgr->allowed_versions)));
        conn->probe_sent = true;
        conn->probe_sent_at = now;
        ofconn_arm_probe(conn, interval);
    } else {
        VLOG_ERR("%s: %s: no response to inactivity probe after %lld "
                 "seconds, disconnecting", conn->mgr->ofproto->name,
                 conn->name, idle / 1000);
        ofconn_close(conn, "no response to inactivity probe");
    }
}

static int
ofconn_queue_size(const struct ofconn *conn)
{
    int n = conn->ctl ? conn->ctl->cfg.queue_size
                      : conn->mgr->service_queue_size;
    return XVS_MIN(XVS_MAX(n, 1), OFPROTO_MAX_QUEUE_SIZE);
}

/* Counts what the socket takes from the output buffer, for
 * ofconn_send_packet_in(). */
static void
ofconn_output_cb(struct evbuffer *buf XVS_UNUSED,
                 const struct evbuffer_cb_info *info, void *conn_)
{
    struct ofconn *conn = conn_;
    conn->tx_added += info->n_added;
    conn->tx_drained += info->n_deleted;
}

/* Forgets the packet-ins the socket has taken. */
static void
ofconn_forget_sent_packet_ins(struct ofconn *conn)
{
    while (conn->pin_n && conn->pin_ends[conn->pin_head] <= conn->tx_drained) {
        conn->pin_head = (conn->pin_head + 1) % OFPROTO_MAX_QUEUE_SIZE;
        conn->pin_n--;
    }
}

/* Sends packet-in 'msg' unless the connection's queue size worth of
 * packet-ins still wait for the socket (a controller that does not keep
 * up), in which case it is dropped, as Open vSwitch drops them. */
static void
ofconn_send_packet_in(struct ofconn *conn, struct ofpbuf *msg)
{
    int limit = ofconn_queue_size(conn);
    ofconn_forget_sent_packet_ins(conn);
    if (conn->pin_n >= (size_t) limit && !(conn->ctl && conn->ctl->ssl)) {
        /* The bufferevent writes when the loop next runs; a burst of
         * packet-ins in one pass would fill the queue however fast the
         * controller reads.  What the socket takes now does not count. */
        evbuffer_write(bufferevent_get_output(conn->bev),
                       bufferevent_getfd(conn->bev));
        ofconn_forget_sent_packet_ins(conn);
    }
    if (conn->pin_n >= (size_t) limit) {
        COVERAGE_INC(packet_in_overflow);
        if (!conn->pin_overflow++) {
            VLOG_INFO("%s: %s: %d packet-ins waiting to be sent, dropping "
                      "more", conn->mgr->ofproto->name, conn->name, limit);
        }
        ofpbuf_delete(msg);
        return;
    }
    if (conn->pin_overflow) {
        VLOG_INFO("%s: %s: dropped %llu packet-ins while the queue was "
                  "full", conn->mgr->ofproto->name, conn->name,
                  conn->pin_overflow);
        conn->pin_overflow = 0;
    }
    ofconn_send(conn, msg);
    conn->pin_ends[(conn->pin_head + conn->pin_n) % OFPROTO_MAX_QUEUE_SIZE]
        = conn->tx_added;
    conn->pin_n++;
}

static void
ofconn_send_cb(void *conn, struct ofpbuf *msg)
{
    ofconn_send_packet_in(conn, msg);
}

/* (Re)starts probing and rate limiting with the controller's settings. */
static void
ofconn_configure(struct ofconn *conn)
{
    const struct ofproto_controller *cfg = conn->ctl ? &conn->ctl->cfg
                                                     : NULL;

    evtimer_del(conn->probe_timer);
    if (ofconn_probe_interval(conn) > 0) {
        conn->probe_sent = false;
        ofconn_arm_probe(conn, ofconn_probe_interval(conn));
    }
    for (int i = 0; i < N_PIN_KINDS; i++) {
        pin_queue_destroy(conn->pinq[i]);
        conn->pinq[i] = (cfg && cfg->rate_limit
                         ? pin_queue_create(cfg->rate_limit, cfg->burst_limit,
                                            ofconn_send_cb, conn)
                         : NULL);
    }
}

static struct ofconn *
ofconn_create(struct connmgr *mgr, struct bufferevent *bev,
              struct ofcontroller *ctl, const char *name)
{
    struct ofconn *conn = xzalloc(sizeof *conn);
    conn->mgr = mgr;
    conn->ctl = ctl;
    conn->name = xstrdup(name);
    conn->role = OFPCR_ROLE_EQUAL;
    ofp_async_config_default(&conn->async, 0);
    xvs_list_init(&conn->bundles);
    conn->last_rx = time_msec();
    conn->probe_timer = evtimer_new(evloop_base(), ofconn_probe_cb, conn);
    COVERAGE_INC(vconn_open);
    if (ctl && !ctl->passive) {
        ctl->conn = conn;
    }
    conn->bev = bev;
    bufferevent_setcb(conn->bev, ofconn_read_cb, ofconn_write_cb,
                      ofconn_event_cb, conn);
    conn->output_cb = evbuffer_add_cb(bufferevent_get_output(bev),
                                      ofconn_output_cb, conn);
    bufferevent_enable(conn->bev, EV_READ | EV_WRITE);
    xvs_list_push_back(&mgr->conns, &conn->node);
    ofconn_configure(conn);
    ofconn_send(conn, ofp_encode_hello(mgr->allowed_versions));
    return conn;
}

static void
ofconn_destroy(struct ofconn *conn)
{
    if (conn->ctl && conn->ctl->conn == conn) {
        conn->ctl->conn = NULL;
    }
    xvs_list_remove(&conn->node);
    bundle_discard_all(&conn->bundles);
    flow_monitor_conn_closed(conn->mgr->ofproto->monitors, conn);
    for (int i = 0; i < N_PIN_KINDS; i++) {
        pin_queue_destroy(conn->pinq[i]);
    }
    event_free(conn->probe_timer);
    evbuffer_remove_cb_entry(bufferevent_get_output(conn->bev),
                             conn->output_cb);
    bufferevent_free(conn->bev);
    free(conn->close_reason);
    free(conn->name);
    free(conn);
}

/* The peer has spoken OpenFlow (HELLO or another message). */
static void
ofconn_came_up(struct ofconn *conn)
{
    struct ofcontroller *ctl = conn->ctl;
    if (ctl && !ctl->passive) {
        reconnect_connected(&ctl->rc, time_msec());
        VLOG_INFO("%s: %s: connected", conn->mgr->ofproto->name, conn->name);
    }
}

/* Ends 'conn' because of 'reason' (NULL: the peer closed it) and, for an
 * active controller, schedules the next attempt. */
static void
ofconn_close(struct ofconn *conn, const char *reason)
{
    struct ofcontroller *ctl = conn->ctl;
    bool reconnect = ctl && !ctl->passive && ctl->conn == conn;
    char *why = xstrdup(reason ? reason : "connection closed by peer");

    if (!reconnect) {
        VLOG_INFO("%s: %s: %s", conn->mgr->ofproto->name, conn->name, why);
    }
    ofconn_destroy(conn);
    if (reconnect) {
        controller_failed(ctl, why);
    }
    free(why);
}

/* ---- Listeners. ---- */

static void
listener_accept_cb(evutil_socket_t fd, short what XVS_UNUSED, void *l_)
{
    struct oflistener *l = l_;
    int conn_fd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (conn_fd < 0) {
        if (errno != EAGAIN && errno != EINTR) {
            VLOG_WARN("%s: accept failed (%s)", l->name, strerror(errno));
        }
        return;
    }

    struct bufferevent *bev;
    if (l->ctl && l->ctl->ssl) {
        char *error;
        bev = stream_ssl_bufferevent(evloop_base(), conn_fd, true, &error);
        if (!bev) {
            VLOG_WARN("%s: %s: refusing connection (%s)",
                      l->mgr->ofproto->name, l->name, error);
            free(error);
            return;
        }
    } else {
        bev = bufferevent_socket_new(evloop_base(), conn_fd,
                                     BEV_OPT_CLOSE_ON_FREE);
    }
    VLOG_DBG("%s: %s: accepted a connection", l->mgr->ofproto->name,
             l->name);
    ofconn_create(l->mgr, bev, l->ctl, l->name);
}

/* Listens on 'name' for 'ctl' (NULL: the service listener).  Returns 0 or
 * a positive errno. */
static int
listener_create(struct connmgr *mgr, struct ofcontroller *ctl,
                const char *name, struct oflistener **lp)
{
    char *socket_name = stream_ssl_socket_name(name);
    int bound_port;
    int fd = stream_open_passive(socket_name, &bound_port);
    free(socket_name);
    if (fd < 0) {
        return -fd;
    }
    if (ctl) {
        /* Accepted sockets inherit it. */
        stream_set_dscp(fd, ctl->cfg.dscp);
    }
    evutil_make_socket_nonblocking(fd);
    struct oflistener *l = xzalloc(sizeof *l);
    l->mgr = mgr;
    l->ctl = ctl;
    l->fd = fd;
    l->bound_port = bound_port;
    l->name = xstrdup(name);
    l->ev = event_new(evloop_base(), fd, EV_READ | EV_PERSIST,
                      listener_accept_cb, l);
    event_add(l->ev, NULL);
    *lp = l;
    return 0;
}

int
connmgr_set_snoop(struct connmgr *mgr, const char *name)
{
    int error;
    snoop_destroy(mgr->snoop);
    mgr->snoop = snoop_create(name, mgr->allowed_versions, &error);
    return error;
}

void
connmgr_set_service_queue_size(struct connmgr *mgr, int n)
{
    mgr->service_queue_size = n;
}

int
connmgr_set_service(struct connmgr *mgr, const char *name)
{
    listener_destroy(mgr->service);
    mgr->service = NULL;
    return listener_create(mgr, NULL, name, &mgr->service);
}

/* ---- Active controllers: connecting with backoff. ---- */

static bool
controller_is_connected(const struct connmgr *mgr,
                        const struct ofcontroller *ctl)
{
    const struct ofconn *conn;
    XVS_LIST_FOR_EACH (conn, node, &mgr->conns) {
        if (conn->ctl == ctl && conn->version) {
            return true;
        }
    }
    return false;
}

static void
controller_connected_cb(evutil_socket_t fd, short what, void *ctl_)
{
    struct ofcontroller *ctl = ctl_;
    const char *name = ctl->mgr->ofproto->name;

    event_free(ctl->connecting);
    ctl->connecting = NULL;

    int error = 0;
    socklen_t len = sizeof error;
    if (what & EV_TIMEOUT) {
        error = ETIMEDOUT;
    } else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len)) {
        error = errno;
    }
    if (error) {
        close(fd);
        controller_failed(ctl, strerror(error));
        return;
    }

    struct bufferevent *bev;
    if (ctl->ssl) {
        char *ssl_error;
        bev = stream_ssl_bufferevent(evloop_base(), fd, false, &ssl_error);
        if (!bev) {
            controller_failed(ctl, ssl_error);
            free(ssl_error);
            return;
        }
    } else {
        bev = bufferevent_socket_new(evloop_base(), fd,
                                     BEV_OPT_CLOSE_ON_FREE);
    }
    VLOG_DBG("%s: %s: socket connected", name, ctl->cfg.target);
    ofconn_create(ctl->mgr, bev, ctl, ctl->cfg.target);
}

static void
controller_connect(evutil_socket_t fd_ XVS_UNUSED, short what XVS_UNUSED,
                   void *ctl_)
{
    struct ofcontroller *ctl = ctl_;

    VLOG_DBG("%s: %s: connecting...", ctl->mgr->ofproto->name,
             ctl->cfg.target);
    reconnect_connecting(&ctl->rc);
    if (ctl->ssl && stream_ssl_config_error()) {
        /* Said before trying, so that it is not hidden behind a TCP
         * error. */
        controller_failed(ctl, stream_ssl_config_error());
        return;
    }
    char *socket_name = stream_ssl_socket_name(ctl->cfg.target);
    int fd = stream_open_active_nonblock_dscp(socket_name, ctl->cfg.dscp);
    free(socket_name);
    if (fd < 0) {
        controller_failed(ctl, strerror(-fd));
        return;
    }
    /* A connect that takes longer than the next backoff would is given
     * up on. */
    int timeout = XVS_MAX(ctl->rc.backoff * 2, RECONNECT_MIN_BACKOFF);
    struct timeval tv = { .tv_sec = timeout / 1000,
                          .tv_usec = timeout % 1000 * 1000 };
    ctl->connecting = event_new(evloop_base(), fd, EV_WRITE,
                                controller_connected_cb, ctl);
    event_add(ctl->connecting, &tv);
}

/* The attempt or the connection failed because of 'error': back off. */
static void
controller_failed(struct ofcontroller *ctl, const char *error)
{
    bool was_up = ctl->rc.state == RECONNECT_ACTIVE;
    int msec = reconnect_failed(&ctl->rc, time_msec(), error);
    VLOG_INFO("%s: %s: %s (%s), waiting %d seconds before reconnect",
              ctl->mgr->ofproto->name, ctl->cfg.target,
              was_up ? "connection dropped" : "connection attempt failed",
              error, msec / 1000);
    struct timeval tv = { .tv_sec = msec / 1000,
                          .tv_usec = msec % 1000 * 1000 };
    evtimer_add(ctl->timer, &tv);
}

/* ---- Configuration. ---- */

static struct ofcontroller *
controller_find(const struct connmgr *mgr, const char *target)
{
    struct ofcontroller *ctl;
    XVS_LIST_FOR_EACH (ctl, node, &mgr->controllers) {
        if (!strcmp(ctl->cfg.target, target)) {
            return ctl;
        }
    }
    return NULL;
}

/* Takes the settings of 'cfg' (with limits applied as Open vSwitch's
 * schema states them) and passes them on to existing connections. */
static void
controller_configure(struct ofcontroller *ctl,
                     const struct ofproto_controller *cfg)
{
    const char *target = ctl->cfg.target;
    struct ofproto_controller old = ctl->cfg;

    ctl->cfg = *cfg;
    ctl->cfg.target = target;
    ctl->cfg.probe_interval = XVS_MAX(cfg->probe_interval, 0);
    if (cfg->rate_limit > 0) {
        ctl->cfg.rate_limit = XVS_MAX(cfg->rate_limit,
                                      OFPROTO_MIN_RATE_LIMIT);
        ctl->cfg.burst_limit = XVS_MAX(cfg->burst_limit > 0
                                       ? cfg->burst_limit
                                       : ctl->cfg.rate_limit / 4,
                                       OFPROTO_MIN_BURST_LIMIT);
    } else {
        ctl->cfg.rate_limit = ctl->cfg.burst_limit = 0;
    }
    ctl->cfg.queue_size = XVS_MIN(XVS_MAX(cfg->queue_size, 1),
                                  OFPROTO_MAX_QUEUE_SIZE);
    ctl->cfg.dscp = cfg->dscp & 0x3f;
    reconnect_set_max_backoff(&ctl->rc, cfg->max_backoff);

    if (old.dscp != ctl->cfg.dscp) {
        /* The sockets already open change too. */
        if (ctl->listener) {
            stream_set_dscp(ctl->listener->fd, ctl->cfg.dscp);
        }
        struct ofconn *conn;
        XVS_LIST_FOR_EACH (conn, node, &ctl->mgr->conns) {
            if (conn->ctl == ctl) {
                stream_set_dscp(bufferevent_getfd(conn->bev), ctl->cfg.dscp);
            }
        }
    }
    if (old.probe_interval != ctl->cfg.probe_interval
        || old.rate_limit != ctl->cfg.rate_limit
        || old.burst_limit != ctl->cfg.burst_limit) {
        struct ofconn *conn;
        XVS_LIST_FOR_EACH (conn, node, &ctl->mgr->conns) {
            if (conn->ctl == ctl) {
                ofconn_configure(conn);
            }
        }
    }
}

static void
controller_create(struct connmgr *mgr, const struct ofproto_controller *cfg)
{
    struct ofcontroller *ctl = xzalloc(sizeof *ctl);
    const char *target = cfg->target;
    long long int now = time_msec();

    ctl->mgr = mgr;
    ctl->cfg.target = xstrdup(target);
    ctl->passive = (!strncmp(target, "ptcp:", 5)
                    || !strncmp(target, "pssl:", 5)
                    || !strncmp(target, "punix:", 6));
    ctl->ssl = stream_ssl_is_ssl(target);
    ctl->last_alive = now;
    reconnect_init(&ctl->rc, cfg->max_backoff, now);
    controller_configure(ctl, cfg);
    xvs_list_push_back(&mgr->controllers, &ctl->node);

    if (ctl->passive) {
        int error = listener_create(mgr, ctl, target, &ctl->listener);
        if (error) {
            VLOG_ERR("%s: cannot listen on %s (%s)", mgr->ofproto->name,
                     target, strerror(error));
            ctl->listen_error = xstrdup(strerror(error));
        }
    } else {
        ctl->timer = evtimer_new(evloop_base(), controller_connect, ctl);
        controller_connect(-1, 0, ctl);
    }
}

void
connmgr_set_controllers(struct connmgr *mgr,
                        const struct ofproto_controller *cs, size_t n)
{
    /* Drop the controllers no longer configured. */
    struct ofcontroller *ctl, *next;
    XVS_LIST_FOR_EACH_SAFE (ctl, next, node, &mgr->controllers) {
        bool keep = false;
        for (size_t i = 0; i < n && !keep; i++) {
            keep = !strcmp(cs[i].target, ctl->cfg.target);
        }
        if (!keep) {
            VLOG_INFO("%s: removed controller %s", mgr->ofproto->name,
                      ctl->cfg.target);
            controller_destroy(ctl);
        }
    }

    for (size_t i = 0; i < n; i++) {
        ctl = controller_find(mgr, cs[i].target);
        if (ctl) {
            controller_configure(ctl, &cs[i]);
        } else {
            controller_create(mgr, &cs[i]);
        }
    }
}

void
connmgr_set_allowed_versions(struct connmgr *mgr, uint32_t bitmap)
{
    bitmap &= OFP_SUPPORTED_VERSIONS;
    mgr->allowed_versions = bitmap ? bitmap : OFP_SUPPORTED_VERSIONS;
    snoop_set_versions(mgr->snoop, mgr->allowed_versions);
}

/* ---- Fail-open and status. ---- */

bool
connmgr_controllers_failed(const struct connmgr *mgr)
{
    const struct ofcontroller *ctl;
    long long int last_alive = LLONG_MIN;
    long long int trigger = 0;
    bool any = false;

    XVS_LIST_FOR_EACH (ctl, node, &mgr->controllers) {
        if (ctl->cfg.type != OFPROTO_CONTROLLER_PRIMARY) {
            continue;
        }
        if (controller_is_connected(mgr, ctl)) {
            return false;
        }
        any = true;
        last_alive = XVS_MAX(last_alive, ctl->last_alive);
        trigger = XVS_MAX(trigger, 3LL * ctl->cfg.probe_interval);
    }
    return any && time_msec() - last_alive >= trigger;
}

void
connmgr_time_warped(struct connmgr *mgr)
{
    struct ofconn *conn, *next;
    XVS_LIST_FOR_EACH_SAFE (conn, next, node, &mgr->conns) {
        if (evtimer_pending(conn->probe_timer, NULL)) {
            evtimer_del(conn->probe_timer);
            ofconn_probe_cb(-1, EV_TIMEOUT, conn);
        }
    }
}

static const char *
role_name(uint32_t role)
{
    return (role == OFPCR_ROLE_MASTER ? "master"
            : role == OFPCR_ROLE_SLAVE ? "slave" : "other");
}

bool
connmgr_get_controller_status(const struct connmgr *mgr, const char *target,
                              struct ofproto_controller_status *s)
{
    const struct ofcontroller *ctl = controller_find(mgr, target);
    long long int now = time_msec();

    memset(s, 0, sizeof *s);
    if (!ctl) {
        return false;
    }
    s->sec_since_connect = s->sec_since_disconnect = -1;
    s->rate_limited = ctl->cfg.rate_limit > 0;

    const struct ofconn *conn;
    bool probing = false;
    XVS_LIST_FOR_EACH (conn, node, &mgr->conns) {
        if (conn->ctl != ctl) {
            continue;
        }
        if (conn->version && !s->is_connected) {
            s->is_connected = true;
            s->role = role_name(conn->role);
            probing = conn->probe_sent;
        }
        for (int i = 0; i < N_PIN_KINDS; i++) {
            struct pin_queue_stats ps;
            if (conn->pinq[i]) {
                pin_queue_get_stats(conn->pinq[i], &ps);
                s->pin_bypassed[i] += ps.bypassed;
                s->pin_queued[i] += ps.queued;
                s->pin_dropped[i] += ps.dropped;
                s->pin_backlog[i] += ps.backlog;
            }
        }
    }

    if (ctl->passive) {
        s->bound_port = ctl->listener ? ctl->listener->bound_port : 0;
        s->last_error = ctl->listen_error;
        return true;
    }
    s->state = (probing ? "IDLE" : reconnect_state_name(ctl->rc.state));
    s->last_error = ctl->rc.last_error;
    if (ctl->rc.last_connected >= 0) {
        s->sec_since_connect = (now - ctl->rc.last_connected) / 1000;
    }
    if (ctl->rc.last_disconnected >= 0) {
        s->sec_since_disconnect = (now - ctl->rc.last_disconnected) / 1000;
    }
    return true;
}

/* ---- Asynchronous messages. ---- */

static bool
ofconn_wants_async(const struct ofconn *conn)
{
    return conn->version && !conn->closing && (conn->ctl || conn->wants_async);
}

/* The SET_ASYNC mask for 'conn' in its current role, from 'masks'
 * (one of the mask pairs of its async config). */
static uint32_t
ofconn_async_mask(const struct ofconn *conn, const uint32_t masks[2])
{
    return masks[conn->role == OFPCR_ROLE_SLAVE ? ASYNC_SLAVE
                                                 : ASYNC_MASTER];
}

static void
match_set_u32(struct match *match, enum mf_field_id id, uint32_t value)
{
    union mf_value v;
    memset(&v, 0, sizeof v);
    v.be32 = htonl(value);
    mf_set(mf_from_id(id), &v, NULL, match);
}

void
connmgr_send_packet_in(struct connmgr *mgr, const struct xlate_pin *pin,
                       const struct continuation *cont,
                       const void *packet, size_t len)
{
    struct ofp_packet_in_msg pi;
    /* The continuation's encoding depends on the version (its actions):
     * one per version, made when a connection first needs it. */
    struct ofpbuf *cont_bufs[OFP15_VERSION + 1] = { NULL };

    COVERAGE_INC(ofproto_packet_in);
    memset(&pi, 0, sizeof pi);
    pi.buffer_id = OFP_NO_BUFFER;
    pi.total_len = len > UINT16_MAX ? UINT16_MAX : len;
    pi.reason = pin->reason;
    pi.table_id = pin->table_id;
    pi.cookie = pin->cookie;
    match_init_catchall(&pi.match);
    match_set_u32(&pi.match, MFF_IN_PORT, pin->flow.in_port);
    if (pin->flow.metadata) {
        union mf_value v;
        memset(&v, 0, sizeof v);
        v.be64 = htobe64(pin->flow.metadata);
        mf_set(mf_from_id(MFF_METADATA), &v, NULL, &pi.match);
    }
    for (int i = 0; i < FLOW_N_REGS; i++) {
        if (pin->flow.regs[i]) {
            match_set_u32(&pi.match, MFF_REG0 + i, pin->flow.regs[i]);
        }
    }
    pi.packet = packet;
    /* 0xffff (OFPCML_NO_BUFFER) asks for the whole packet. */
    pi.packet_len = (pin->max_len == UINT16_MAX ? len
                     : XVS_MIN(len, (size_t) pin->max_len));

    struct ofconn *conn;
    XVS_LIST_FOR_EACH (conn, node, &mgr->conns) {
        if (!ofconn_wants_async(conn)
            || !(ofconn_async_mask(conn, conn->async.packet_in)
                 & (1u << pin->reason))) {
            continue;
        }
        /* Table misses reach only OpenFlow 1.0 controllers. */
        if (pin->reason == OFPR_NO_MATCH && conn->version >= OFP13_VERSION) {
            continue;
        }
        if (conn->controller_id != pin->controller_id
            || (cont && conn->packet_in_format != NXPIF_NXT_PACKET_IN2)) {
            continue;
        }
        pi.userdata = pin->userdata;
        pi.userdata_len = pin->userdata_len;
        if (cont && conn->version <= OFP15_VERSION) {
            struct ofpbuf **cb = &cont_bufs[conn->version];
            if (!*cb) {
                *cb = ofpbuf_new(256);
                continuation_encode(cont, conn->version, *cb);
            }
            pi.continuation = (*cb)->data;
            pi.continuation_len = (*cb)->size;
        }
        struct ofpbuf *msg = (conn->packet_in_format == NXPIF_STANDARD
                              ? ofp_encode_packet_in(&pi, conn->version)
                              : ofp_encode_nx_packet_in(
                                  &pi, conn->packet_in_format,
                                  conn->version));
        struct pin_queue *q = conn->pinq[pin->reason == OFPR_NO_MATCH
                                         ? PIN_MISS : PIN_ACTION];
        if (q) {
            pin_queue_send(q, pin->flow.in_port, msg);
        } else {
            ofconn_send_packet_in(conn, msg);
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(cont_bufs); i++) {
        if (cont_bufs[i]) {
            ofpbuf_delete(cont_bufs[i]);
        }
    }
}

void
connmgr_send_port_status(struct connmgr *mgr, const struct ofp_phy_port *pp,
                         uint8_t reason)
{
    struct ofp_port_status_msg ps = { .reason = reason, .desc = *pp };
    struct ofconn *conn;
    XVS_LIST_FOR_EACH (conn, node, &mgr->conns) {
        if (ofconn_wants_async(conn)
            && ofconn_async_mask(conn, conn->async.port_status)
               & (1u << reason)) {
            ofconn_send(conn, ofp_encode_port_status(&ps, conn->version));
        }
    }
}

void
connmgr_send_table_status(struct connmgr *mgr, const struct ofp_table_desc *td,
                          uint8_t reason)
{
    struct ofconn *conn;
    XVS_LIST_FOR_EACH (conn, node, &mgr->conns) {
        if (ofconn_wants_async(conn) && conn->version >= OFP14_VERSION
            && ofconn_async_mask(conn, conn->async.table_status)
               & (1u << reason)) {
            ofconn_send(conn, ofp_encode_table_status(td, reason,
                                                      conn->version));
        }
    }
}

void
connmgr_send_flow_removed(struct connmgr *mgr,
                          const struct ofp_flow_removed_msg *fr)
{
    struct ofconn *conn;
    XVS_LIST_FOR_EACH (conn, node, &mgr->conns) {
        if (!ofconn_wants_async(conn)) {
            continue;
        }
        /* Filtered by the reason as this connection's version spells it:
         * a 1.3 controller sees an eviction as a delete. */
        uint8_t reason = ofp_flow_removed_reason_for_version(fr->reason,
                                                             conn->version);
        if (ofconn_async_mask(conn, conn->async.flow_removed)
            & (1u << reason)) {
            /* NXM when asked for, and in OpenFlow 1.0 when ofp_match
             * cannot hold the rule's match: all of it rather than none. */
            bool nxm = (conn->flow_format == NXFF_NXM
                        || (conn->version == OFP10_VERSION
                            && !ofp_match_usable_in(&fr->match,
                                                    conn->version)));
            ofconn_send(conn, (nxm
                               ? ofp_nx_encode_flow_removed(fr, conn->version)
                               : ofp_encode_flow_removed(fr,
                                                         conn->version)));
        }
    }
}
