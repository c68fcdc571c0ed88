#include <config.h>
#include "connmgr.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
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
#include "of-handler.h"
#include "ofp-msgs.h"
#include "ofp-role.h"
#include "ofproto-private.h"
#include "vlog.h"
#include "xlate.h"

VLOG_DEFINE_THIS_MODULE(connmgr);

/* A socket accepting connections: the service listener or a "ptcp:"
 * controller. */
struct oflistener {
    struct connmgr *mgr;
    struct ofcontroller *ctl;   /* NULL for the service listener. */
    int fd;
    struct event *ev;
    char *name;
};

/* One configured controller target. */
struct ofcontroller {
    struct xvs_list node;       /* In connmgr 'controllers'. */
    struct connmgr *mgr;
    char *target;
    struct oflistener *listener;    /* "ptcp:" targets. */
    struct event *retry;            /* "tcp:"/"unix:" reconnect timer. */
};

struct ofconn {
    struct xvs_list node;       /* In connmgr 'conns'. */
    struct connmgr *mgr;
    struct ofcontroller *ctl;   /* NULL for service connections. */
    struct bufferevent *bev;
    char *name;
    uint8_t version;            /* 0 until HELLO negotiated it. */
    bool wants_async;
    bool closing;               /* Do not process more input. */
    uint32_t role;              /* OFPCR_ROLE_*, EQUAL until asked. */
    struct ofp_async_config async;  /* SET_ASYNC, else the defaults. */
    struct xvs_list bundles;    /* Open bundles (bundle.c). */
};

struct connmgr {
    struct ofproto *ofproto;
    struct oflistener *service;
    struct xvs_list controllers;
    struct xvs_list conns;
    uint32_t allowed_versions;
    bool have_generation_id;    /* Master election (ROLE_REQUEST). */
    uint64_t generation_id;
};

static void ofconn_destroy(struct ofconn *);
static void controller_schedule_retry(struct ofcontroller *);

struct connmgr *
connmgr_create(struct ofproto *ofproto)
{
    struct connmgr *mgr = xzalloc(sizeof *mgr);
    mgr->ofproto = ofproto;
    xvs_list_init(&mgr->controllers);
    xvs_list_init(&mgr->conns);
    mgr->allowed_versions = OFP_SUPPORTED_VERSIONS;
    return mgr;
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
    if (ctl->retry) {
        event_free(ctl->retry);
    }
    xvs_list_remove(&ctl->node);
    free(ctl->target);
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
    free(mgr);
}

/* ---- Sending. ---- */

void
ofconn_send(struct ofconn *conn, struct ofpbuf *msg)
{
    if (msg) {
        if (!conn->closing) {
            bufferevent_write(conn->bev, msg->data, msg->size);
        }
        ofpbuf_delete(msg);
    }
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
                if (other->async.role_status[ASYNC_SLAVE]
                    & (1u << OFPCRR_MASTER_REQUEST)) {
                    ofconn_send(other, ofp_encode_role_status(
                                    &rm, OFPCRR_MASTER_REQUEST,
                                    other->version));
                }
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
    /* The default flow-removed reasons depend on the version. */
    ofp_async_config_default(&conn->async, version);
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
        bool keep = ofconn_handle(conn, msg, len);
        free(msg);
        if (!keep) {
            conn->closing = true;
        }
    }
    if (conn->closing) {
        /* Let the error reply drain, then close. */
        if (!evbuffer_get_length(bufferevent_get_output(bev))) {
            ofconn_destroy(conn);
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
        ofconn_destroy(conn);
    }
}

static void
ofconn_event_cb(struct bufferevent *bev XVS_UNUSED, short what, void *conn_)
{
    struct ofconn *conn = conn_;
    if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
        VLOG_DBG("%s: %s: connection closed", conn->mgr->ofproto->name,
                 conn->name);
        struct ofcontroller *ctl = conn->ctl;
        bool reconnect = ctl && !ctl->listener;
        ofconn_destroy(conn);
        if (reconnect) {
            controller_schedule_retry(ctl);
        }
    }
}

static struct ofconn *
ofconn_create(struct connmgr *mgr, int fd, struct ofcontroller *ctl,
              const char *name)
{
    struct ofconn *conn = xzalloc(sizeof *conn);
    evutil_make_socket_nonblocking(fd);
    conn->mgr = mgr;
    conn->ctl = ctl;
    conn->name = xstrdup(name);
    conn->role = OFPCR_ROLE_EQUAL;
    ofp_async_config_default(&conn->async, 0);
    xvs_list_init(&conn->bundles);
    conn->bev = bufferevent_socket_new(evloop_base(), fd,
                                       BEV_OPT_CLOSE_ON_FREE);
    bufferevent_setcb(conn->bev, ofconn_read_cb, ofconn_write_cb,
                      ofconn_event_cb, conn);
    bufferevent_enable(conn->bev, EV_READ | EV_WRITE);
    xvs_list_push_back(&mgr->conns, &conn->node);
    ofconn_send(conn, ofp_encode_hello(mgr->allowed_versions));
    return conn;
}

static void
ofconn_destroy(struct ofconn *conn)
{
    xvs_list_remove(&conn->node);
    bundle_discard_all(&conn->bundles);
    bufferevent_free(conn->bev);
    free(conn->name);
    free(conn);
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
    ofconn_create(l->mgr, conn_fd, l->ctl, l->name);
}

static int
listener_create(struct connmgr *mgr, struct ofcontroller *ctl,
                const char *name, struct oflistener **lp)
{
    int fd = stream_open_passive(name, NULL);
    if (fd < 0) {
        return -fd;
    }
    evutil_make_socket_nonblocking(fd);
    struct oflistener *l = xzalloc(sizeof *l);
    l->mgr = mgr;
    l->ctl = ctl;
    l->fd = fd;
    l->name = xstrdup(name);
    l->ev = event_new(evloop_base(), fd, EV_READ | EV_PERSIST,
                      listener_accept_cb, l);
    event_add(l->ev, NULL);
    *lp = l;
    return 0;
}

int
connmgr_set_service(struct connmgr *mgr, const char *name)
{
    listener_destroy(mgr->service);
    mgr->service = NULL;
    return listener_create(mgr, NULL, name, &mgr->service);
}

/* ---- Controllers. ---- */

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
controller_connect(void *ctl_)
{
    struct ofcontroller *ctl = ctl_;
    if (ctl->retry) {
        event_free(ctl->retry);
        ctl->retry = NULL;
    }
    int fd = stream_open_active(ctl->target);
    if (fd < 0) {
        VLOG_DBG("%s: connecting to %s failed (%s)", ctl->mgr->ofproto->name,
                 ctl->target, strerror(-fd));
        controller_schedule_retry(ctl);
        return;
    }
    VLOG_INFO("%s: connected to controller %s", ctl->mgr->ofproto->name,
              ctl->target);
    ofconn_create(ctl->mgr, fd, ctl, ctl->target);
}

static void
controller_schedule_retry(struct ofcontroller *ctl)
{
    if (!ctl->retry) {
        ctl->retry = evloop_timer(1000, false, controller_connect, ctl);
    }
}

static struct ofcontroller *
controller_find(const struct connmgr *mgr, const char *target)
{
    struct ofcontroller *ctl;
    XVS_LIST_FOR_EACH (ctl, node, &mgr->controllers) {
        if (!strcmp(ctl->target, target)) {
            return ctl;
        }
    }
    return NULL;
}

void
connmgr_set_controllers(struct connmgr *mgr, const char *const *targets,
                        size_t n)
{
    /* Drop the controllers no longer configured. */
    struct ofcontroller *ctl, *next;
    XVS_LIST_FOR_EACH_SAFE (ctl, next, node, &mgr->controllers) {
        bool keep = false;
        for (size_t i = 0; i < n; i++) {
            keep = keep || !strcmp(targets[i], ctl->target);
        }
        if (!keep) {
            VLOG_INFO("%s: removed controller %s", mgr->ofproto->name,
                      ctl->target);
            controller_destroy(ctl);
        }
    }

    for (size_t i = 0; i < n; i++) {
        if (controller_find(mgr, targets[i])) {
            continue;
        }
        ctl = xzalloc(sizeof *ctl);
        ctl->mgr = mgr;
        ctl->target = xstrdup(targets[i]);
        xvs_list_push_back(&mgr->controllers, &ctl->node);
        if (!strncmp(targets[i], "ptcp:", 5)
            || !strncmp(targets[i], "punix:", 6)) {
            int error = listener_create(mgr, ctl, targets[i],
                                        &ctl->listener);
            if (error) {
                VLOG_ERR("%s: cannot listen on %s (%s)", mgr->ofproto->name,
                         targets[i], strerror(error));
            }
        } else {
            controller_connect(ctl);
        }
    }
}

void
connmgr_set_allowed_versions(struct connmgr *mgr, uint32_t bitmap)
{
    bitmap &= OFP_SUPPORTED_VERSIONS;
    mgr->allowed_versions = bitmap ? bitmap : OFP_SUPPORTED_VERSIONS;
}

bool
connmgr_has_connected_controller(const struct connmgr *mgr)
{
    const struct ofcontroller *ctl;
    XVS_LIST_FOR_EACH (ctl, node, &mgr->controllers) {
        if (controller_is_connected(mgr, ctl)) {
            return true;
        }
    }
    return false;
}

bool
connmgr_is_controller_connected(const struct connmgr *mgr,
                                const char *target)
{
    const struct ofcontroller *ctl = controller_find(mgr, target);
    return ctl && controller_is_connected(mgr, ctl);
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
                       const void *packet, size_t len)
{
    struct ofp_packet_in_msg pi;

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
        ofconn_send(conn, ofp_encode_packet_in(&pi, conn->version));
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
            ofconn_send(conn, ofp_encode_flow_removed(fr, conn->version));
        }
    }
}
