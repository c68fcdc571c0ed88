/* snoop: the BRIDGE.snoop listener and its clients. */
#include <config.h>
#include "snoop.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/util.h>
#include "evloop.h"
#include "list.h"
#include "ofp-msgs.h"
#include "ofpbuf.h"
#include "stream.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(snoop);

struct snoop_client {
    struct xvs_list node;       /* In snoop 'clients'. */
    struct snoop *snoop;
    struct bufferevent *bev;
};

struct snoop {
    char *name;
    int fd;
    struct event *ev;
    uint32_t versions;
    struct xvs_list clients;
};

static void
client_destroy(struct snoop_client *c)
{
    xvs_list_remove(&c->node);
    bufferevent_free(c->bev);
    free(c);
}

static void
client_read_cb(struct bufferevent *bev, void *c_ XVS_UNUSED)
{
    struct evbuffer *in = bufferevent_get_input(bev);
    evbuffer_drain(in, evbuffer_get_length(in));
}

static void
client_event_cb(struct bufferevent *bev XVS_UNUSED, short what, void *c_)
{
    if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
        struct snoop_client *c = c_;
        VLOG_DBG("%s: snooper went away", c->snoop->name);
        client_destroy(c);
    }
}

static void
accept_cb(evutil_socket_t fd, short what XVS_UNUSED, void *snoop_)
{
    struct snoop *snoop = snoop_;
    int conn_fd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (conn_fd < 0) {
        if (errno != EAGAIN && errno != EINTR) {
            VLOG_WARN("%s: accept failed (%s)", snoop->name,
                      strerror(errno));
        }
        return;
    }
    struct snoop_client *c = xzalloc(sizeof *c);
    c->snoop = snoop;
    c->bev = bufferevent_socket_new(evloop_base(), conn_fd,
                                    BEV_OPT_CLOSE_ON_FREE);
    bufferevent_setcb(c->bev, client_read_cb, NULL, client_event_cb, c);
    bufferevent_enable(c->bev, EV_READ | EV_WRITE);
    xvs_list_push_back(&snoop->clients, &c->node);
    struct ofpbuf *hello = ofp_encode_hello(snoop->versions);
    bufferevent_write(c->bev, hello->data, hello->size);
    ofpbuf_delete(hello);
    VLOG_INFO("%s: accepted a snooper", snoop->name);
}

struct snoop *
snoop_create(const char *name, uint32_t versions, int *errorp)
{
    int fd = stream_open_passive(name, NULL);
    if (fd < 0) {
        *errorp = -fd;
        return NULL;
    }
    evutil_make_socket_nonblocking(fd);
    struct snoop *snoop = xzalloc(sizeof *snoop);
    snoop->name = xstrdup(name);
    snoop->fd = fd;
    snoop->versions = versions;
    xvs_list_init(&snoop->clients);
    snoop->ev = event_new(evloop_base(), fd, EV_READ | EV_PERSIST,
                          accept_cb, snoop);
    event_add(snoop->ev, NULL);
    *errorp = 0;
    return snoop;
}

void
snoop_destroy(struct snoop *snoop)
{
    if (!snoop) {
        return;
    }
    while (!xvs_list_is_empty(&snoop->clients)) {
        client_destroy(CONTAINER_OF(snoop->clients.next, struct snoop_client,
                                    node));
    }
    event_free(snoop->ev);
    close(snoop->fd);
    if (!strncmp(snoop->name, "punix:", 6)) {
        unlink(snoop->name + 6);
    }
    free(snoop->name);
    free(snoop);
}

void
snoop_set_versions(struct snoop *snoop, uint32_t versions)
{
    if (snoop) {
        snoop->versions = versions;
    }
}

void
snoop_copy(struct snoop *snoop, const void *msg, size_t len)
{
    struct snoop_client *c;
    if (!snoop) {
        return;
    }
    XVS_LIST_FOR_EACH (c, node, &snoop->clients) {
        struct evbuffer *out = bufferevent_get_output(c->bev);
        if (evbuffer_get_length(out) < SNOOP_MAX_BACKLOG) {
            bufferevent_write(c->bev, msg, len);
        }
    }
}
