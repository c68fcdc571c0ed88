/* jsonrpc: JSON values back to back on a stream socket.
 *
 * Framing is the subtle part: the protocol has no delimiters, so a reader
 * must find where one value ends.  A cheap incremental scanner
 * (struct json_scan) tracks bracket depth and strings over the bytes seen
 * so far; only when it sees a value close do we hand exactly those bytes
 * to jansson.  That keeps a multi-megabyte message that trickles in over
 * thousands of reads linear instead of reparsing it on every read.  To
 * still reject garbage early (a peer that never closes a bracket), the
 * pending bytes are also handed to jansson whenever they have doubled,
 * and jansson's error code tells "needs more bytes" from "syntax error". */
#include <config.h>
#include "jsonrpc.h"
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>
#include "daemon.h"
#include "evloop.h"
#include "stream-ssl.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(jsonrpc);

/* ------------------------------------------------------------------ */
/* Messages. */

static json_int_t next_id;

json_t *
jsonrpc_request(const char *method, json_t *params, json_t **idp)
{
    json_t *id;
    if (idp && *idp) {
        id = json_incref(*idp);
    } else {
        id = json_integer(next_id++);
        if (idp) {
            *idp = json_incref(id);
        }
    }
    return json_pack("{s:s, s:o, s:o}", "method", method,
                     "params", params ? params : json_array(), "id", id);
}

json_t *
jsonrpc_notify(const char *method, json_t *params)
{
    return json_pack("{s:s, s:o, s:n}", "method", method,
                     "params", params ? params : json_array(), "id");
}

json_t *
jsonrpc_reply(json_t *result, const json_t *id)
{
    return json_pack("{s:o, s:n, s:O}", "result", result ? result : json_null(),
                     "error", "id", id ? id : json_null());
}

json_t *
jsonrpc_error_reply(json_t *error, const json_t *id)
{
    return json_pack("{s:n, s:o, s:O}", "result",
                     "error", error ? error : json_null(),
                     "id", id ? id : json_null());
}

/* ------------------------------------------------------------------ */
/* Framing. */

struct json_scan {
    size_t pos;             /* Bytes of the buffer already scanned. */
    size_t start;           /* Offset of the value's first byte. */
    int depth;
    bool started, in_string, escape;
};

static void
json_scan_init(struct json_scan *s)
{
    memset(s, 0, sizeof *s);
}

/* Scans 'buf' (whose first s->pos bytes were scanned before).  Returns the
 * offset just past a complete value, 0 if none is complete yet, or
 * SIZE_MAX if the value cannot be an object or array (jansson then says
 * what is wrong). */
static size_t
json_scan_run(struct json_scan *s, const char *buf, size_t len)
{
    for (; s->pos < len; s->pos++) {
        char c = buf[s->pos];
        if (!s->started) {
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                continue;
            }
            if (c != '{' && c != '[') {
                return SIZE_MAX;
            }
            s->started = true;
            s->start = s->pos;
            s->depth = 1;
        } else if (s->in_string) {
            if (s->escape) {
                s->escape = false;
            } else if (c == '\\') {
                s->escape = true;
            } else if (c == '"') {
                s->in_string = false;
            }
        } else if (c == '"') {
            s->in_string = true;
        } else if (c == '{' || c == '[') {
            s->depth++;
        } else if ((c == '}' || c == ']') && --s->depth == 0) {
            return ++s->pos;
        }
    }
    return 0;
}

static char *
format_json_error(const json_error_t *err)
{
    return xasprintf("JSON syntax error at byte %d: %s", err->position,
                     err->text);
}

/* Parses bytes that are known to be incomplete or invalid ('len' bytes
 * from 'buf').  Returns 0 if they could be the start of a valid value, -1
 * with '*error' set if not. */
static size_t
trim_partial_utf8(const char *buf, size_t len)
{
    /* jansson reports a multibyte character cut by the end of the bytes
     * as invalid UTF-8, not as a premature end, so leave it out. */
    for (size_t back = 1; back <= 4 && back <= len; back++) {
        unsigned char c = buf[len - back];
        if ((c & 0xc0) != 0x80) {
            size_t need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
            return need > back ? len - back : len;
        }
    }
    return len;
}

static int
json_check_prefix(const char *buf, size_t len, char **error)
{
    json_error_t err;
    len = trim_partial_utf8(buf, len);
    json_t *v = json_loadb(buf, len, JSON_DISABLE_EOF_CHECK, &err);
    if (v) {
        /* The scanner said incomplete, jansson says complete: cannot
         * happen for objects and arrays, but never trust it blindly. */
        json_decref(v);
        return 0;
    }
    if (json_error_code(&err) == json_error_premature_end_of_input
        || (err.position >= 0 && (size_t) err.position >= len)) {
        /* A value cut anywhere, even in the middle of a token, fails only
         * where the bytes run out. */
        return 0;
    }
    *error = format_json_error(&err);
    return -1;
}

/* Completes a value the scanner found between 'start' and 'end'. */
static int
json_finish(const char *buf, size_t start, size_t end, json_t **value,
            char **error)
{
    json_error_t err;
    *value = json_loadb(buf + start, end - start, 0, &err);
    if (!*value) {
        *error = format_json_error(&err);
        return -1;
    }
    return 1;
}

int
jsonrpc_parse_one(const char *buf, size_t len, json_t **value,
                  size_t *consumed, char **error)
{
    struct json_scan s;
    json_scan_init(&s);
    *value = NULL;
    *consumed = 0;
    *error = NULL;

    size_t end = json_scan_run(&s, buf, len);
    if (end == SIZE_MAX) {
        if (json_check_prefix(buf + s.pos, len - s.pos, error) == 0) {
            *error = xstrdup("JSON syntax error: expected '{' or '['");
        }
        return -1;
    } else if (!end) {
        return s.started ? json_check_prefix(buf + s.start, len - s.start,
                                             error) : 0;
    }
    int retval = json_finish(buf, s.start, end, value, error);
    if (retval > 0) {
        *consumed = end;
    }
    return retval;
}

/* Far above any real OVSDB message; only a broken or hostile peer gets
 * there, and it must not make us buffer without limit. */
#define RXBUF_MAX_MESSAGE (256 << 20)

/* A receive buffer with its scanner, shared by both kinds of connection. */
struct rxbuf {
    char *data;
    size_t start, len, cap;     /* Valid bytes are data[start..len). */
    size_t checked;             /* Pending bytes at the last prefix check. */
    struct json_scan scan;
};

static void
rxbuf_init(struct rxbuf *b)
{
    memset(b, 0, sizeof *b);
    json_scan_init(&b->scan);
}

static void
rxbuf_destroy(struct rxbuf *b)
{
    free(b->data);
}

/* Makes room for 'n' more bytes and returns where they go. */
static char *
rxbuf_reserve(struct rxbuf *b, size_t n)
{
    if (b->start && b->start >= b->len - b->start) {
        /* Mostly consumed: slide down instead of growing. */
        memmove(b->data, b->data + b->start, b->len - b->start);
        b->len -= b->start;
        b->start = 0;
    }
    if (b->cap - b->len < n) {
        b->cap = XVS_MAX(b->cap * 2, b->len + n);
        b->data = xrealloc(b->data, b->cap);
    }
    return b->data + b->len;
}

/* Takes the next value out of 'b'.  Same returns as jsonrpc_parse_one(). */
static int
rxbuf_next(struct rxbuf *b, json_t **value, char **error)
{
    size_t n = b->len - b->start;
    const char *p = n ? b->data + b->start : "";

    *value = NULL;
    *error = NULL;
    if (!n) {
        return 0;
    }
    size_t end = json_scan_run(&b->scan, p, n);
    if (end == SIZE_MAX) {
        size_t at = b->scan.pos;
        if (json_check_prefix(p + at, n - at, error) == 0) {
            *error = xstrdup("JSON syntax error: expected '{' or '['");
        }
        return -1;
    } else if (!end) {
        if (n > RXBUF_MAX_MESSAGE) {
            *error = xasprintf("message longer than %d bytes",
                               RXBUF_MAX_MESSAGE);
            return -1;
        }
        if (b->scan.started && n >= 2 * b->checked + 64) {
            b->checked = n;
            return json_check_prefix(p + b->scan.start, n - b->scan.start,
                                     error);
        }
        if (!b->scan.started) {
            /* Only whitespace: drop it. */
            b->start = b->len;
            json_scan_init(&b->scan);
        }
        return 0;
    }
    int retval = json_finish(p, b->scan.start, end, value, error);
    b->start += end;
    b->checked = 0;
    json_scan_init(&b->scan);
    return retval;
}

static bool
is_echo_request(const json_t *msg)
{
    const json_t *method = json_object_get(msg, "method");
    const json_t *id = json_object_get(msg, "id");
    return method && json_is_string(method)
           && !strcmp(json_string_value(method), "echo")
           && id && !json_is_null(id);
}

static json_t *
make_echo_reply(const json_t *msg)
{
    json_t *params = json_object_get(msg, "params");
    return jsonrpc_reply(params ? json_incref(params) : json_array(),
                         json_object_get(msg, "id"));
}

/* ------------------------------------------------------------------ */
/* Blocking client. */

struct jsonrpc_client {
    int fd;
    struct rxbuf rx;
};

int
jsonrpc_client_open(const char *name, struct jsonrpc_client **clientp)
{
    *clientp = NULL;
    int fd = stream_open_active(name);
    if (fd < 0) {
        return -fd;
    }
    struct jsonrpc_client *c = xzalloc(sizeof *c);
    c->fd = fd;
    rxbuf_init(&c->rx);
    *clientp = c;
    return 0;
}

void
jsonrpc_client_close(struct jsonrpc_client *c)
{
    if (c) {
        close(c->fd);
        rxbuf_destroy(&c->rx);
        free(c);
    }
}

int
jsonrpc_client_fd(const struct jsonrpc_client *c)
{
    return c->fd;
}

int
jsonrpc_client_send(struct jsonrpc_client *c, json_t *msg)
{
    char *s = json_dumps(msg, JSON_COMPACT);
    json_decref(msg);
    if (!s) {
        return EINVAL;
    }
    size_t len = strlen(s), ofs = 0;
    int error = 0;
    while (ofs < len) {
        ssize_t n = send(c->fd, s + ofs, len - ofs, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            error = errno;
            break;
        }
        ofs += n;
    }
    free(s);
    return error;
}

int
jsonrpc_client_recv(struct jsonrpc_client *c, int timeout_ms, json_t **msg)
{
    long long deadline = timeout_ms < 0 ? -1 : time_msec() + timeout_ms;

    *msg = NULL;
    for (;;) {
        char *error;
        int retval = rxbuf_next(&c->rx, msg, &error);
        if (retval > 0) {
            return 0;
        } else if (retval < 0) {
            VLOG_WARN("%s", error);
            free(error);
            return EPROTO;
        }

        int wait = -1;
        if (deadline >= 0) {
            long long left = deadline - time_msec();
            if (left <= 0) {
                return ETIMEDOUT;
            }
            wait = left > INT_MAX ? INT_MAX : left;
        }
        struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
        retval = poll(&pfd, 1, wait);
        if (retval < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno;
        } else if (!retval) {
            return ETIMEDOUT;
        }

        char *p = rxbuf_reserve(&c->rx, 65536);
        ssize_t n = recv(c->fd, p, 65536, 0);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) {
                continue;
            }
            return errno;
        } else if (!n) {
            return EPIPE;
        }
        c->rx.len += n;
    }
}

int
jsonrpc_client_transact(struct jsonrpc_client *c, json_t *request,
                        int timeout_ms, json_t **reply)
{
    long long deadline = timeout_ms < 0 ? -1 : time_msec() + timeout_ms;
    json_t *id = json_incref(json_object_get(request, "id"));

    *reply = NULL;
    int error = jsonrpc_client_send(c, request);
    while (!error) {
        int wait = -1;
        if (deadline >= 0) {
            long long left = deadline - time_msec();
            wait = left < 0 ? 0 : left > INT_MAX ? INT_MAX : left;
        }
        json_t *msg;
        error = jsonrpc_client_recv(c, wait, &msg);
        if (error) {
            break;
        }
        if (is_echo_request(msg)) {
            error = jsonrpc_client_send(c, make_echo_reply(msg));
        } else if (!json_object_get(msg, "method")
                   && json_equal(json_object_get(msg, "id"), id)) {
            *reply = msg;
            break;
        }
        json_decref(msg);
    }
    json_decref(id);
    return error;
}

/* ------------------------------------------------------------------ */
/* Event-driven connections. */

struct jsonrpc_conn {
    char *name;
    const struct jsonrpc_conn_class *class;
    void *aux;
    struct bufferevent *bev;    /* NULL while disconnected. */
    bool connected;             /* 'bev' has finished connecting. */
    struct rxbuf rx;
    bool outgoing;
    bool ssl;                   /* TLS: only the bufferevent may write. */
    struct event *retry;        /* Outgoing: the (re)connect timer. */
    int backoff_ms;             /* Outgoing: delay before the next try. */
    bool held;                  /* Output goes to 'held_output' instead. */
    struct evbuffer *held_output;

    /* Callbacks may close the connection they are called for; closing is
     * then deferred until they return. */
    int busy;
    bool doomed;
};

static void conn_free(struct jsonrpc_conn *);
static void conn_schedule_connect(struct jsonrpc_conn *, int msec);
static void conn_schedule_retry(struct jsonrpc_conn *);

static struct jsonrpc_conn *
conn_create(const char *name, const struct jsonrpc_conn_class *class,
            void *aux, bool outgoing)
{
    struct jsonrpc_conn *conn = xzalloc(sizeof *conn);
    conn->name = xstrdup(name);
    conn->class = class;
    conn->aux = aux;
    conn->outgoing = outgoing;
    rxbuf_init(&conn->rx);
    return conn;
}

/* Drops the socket; for an outgoing connection arranges a reconnect.
 * Returns false if the conn was freed (accepted connections). */
static bool
conn_disconnect(struct jsonrpc_conn *conn, bool notify)
{
    bool was_connected = conn->connected;
    conn->connected = false;
    if (conn->bev) {
        bufferevent_free(conn->bev);
        conn->bev = NULL;
    }
    rxbuf_destroy(&conn->rx);
    rxbuf_init(&conn->rx);
    if (conn->held_output) {
        /* Held for the peer that is gone, not for a reconnection. */
        evbuffer_drain(conn->held_output,
                       evbuffer_get_length(conn->held_output));
    }

    if (notify && was_connected && conn->class->on_close) {
        conn->busy++;
        conn->class->on_close(conn, conn->aux);
        conn->busy--;
    }
    if (conn->doomed || !conn->outgoing) {
        conn_free(conn);
        return false;
    }
    conn_schedule_retry(conn);
    return true;
}

/* Delivers every complete message in the receive buffer.  Returns false
 * if the conn is gone or disconnected. */
static bool
conn_process_rx(struct jsonrpc_conn *conn)
{
    for (;;) {
        json_t *msg;
        char *error;
        int retval = rxbuf_next(&conn->rx, &msg, &error);
        if (!retval) {
            return true;
        } else if (retval < 0) {
            VLOG_WARN("%s: %s, closing connection", conn->name, error);
            free(error);
            conn_disconnect(conn, true);
            return false;
        }

        if (!json_is_object(msg)) {
            VLOG_WARN("%s: received JSON-RPC message that is not an "
                      "object, closing connection", conn->name);
            json_decref(msg);
            conn_disconnect(conn, true);
            return false;
        }
        if (!conn->class->pass_echo && is_echo_request(msg)) {
            jsonrpc_conn_send(conn, make_echo_reply(msg));
        } else {
            conn->busy++;
            conn->class->on_message(conn, msg, conn->aux);
            conn->busy--;
        }
        json_decref(msg);
        if (conn->doomed) {
            conn_free(conn);
            return false;
        }
        if (!conn->bev) {
            return false;
        }
    }
}

static void
conn_read_cb(struct bufferevent *bev, void *conn_)
{
    struct jsonrpc_conn *conn = conn_;
    struct evbuffer *input = bufferevent_get_input(bev);

    for (;;) {
        size_t n = evbuffer_get_length(input);
        if (!n) {
            break;
        }
        /* Bounded chunks, so that garbage is found before a peer can make
         * us buffer an unbounded amount. */
        n = XVS_MIN(n, 1 << 20);
        char *p = rxbuf_reserve(&conn->rx, n);
        int got = evbuffer_remove(input, p, n);
        if (got <= 0) {
            break;
        }
        conn->rx.len += got;
        if (!conn_process_rx(conn)) {
            return;
        }
    }
}

/* The output queued when the peer hung up has gone out. */
static void
conn_flushed_cb(struct bufferevent *bev XVS_UNUSED, void *conn_)
{
    conn_disconnect(conn_, true);
}

static void
conn_event_cb(struct bufferevent *bev, short what, void *conn_)
{
    struct jsonrpc_conn *conn = conn_;

    if (what & BEV_EVENT_CONNECTED) {
        /* A TLS handshake is complete: the peer may have been let in only
         * to bootstrap the CA certificate from. */
        char *why = conn->ssl ? stream_ssl_connected(bev) : NULL;
        if (why) {
            VLOG_WARN("%s: %s", conn->name, why);
            free(why);
            conn_disconnect(conn, false);
            return;
        }
        if (conn->outgoing) {
            VLOG_INFO("%s: connected", conn->name);
        } else {
            VLOG_DBG("%s: TLS handshake done", conn->name);
        }
        conn->connected = true;
        conn->backoff_ms = JSONRPC_BACKOFF_MIN_MS;
        if (conn->class->on_connect) {
            conn->busy++;
            conn->class->on_connect(conn, conn->aux);
            conn->busy--;
            if (conn->doomed) {
                conn_free(conn);
            }
        }
        return;
    }
    if (what & BEV_EVENT_ERROR) {
        int error = EVUTIL_SOCKET_ERROR();
        char *ssl_error = conn->ssl ? stream_ssl_error(bev) : NULL;
        if (ssl_error) {
            VLOG_WARN("%s: %s", conn->name, ssl_error);
            free(ssl_error);
        } else if (conn->connected) {
            VLOG_INFO("%s: connection dropped (%s)", conn->name,
                      error ? strerror(error) : "error");
        } else {
            /* A server that is not up yet: retried every second, so keep
             * it out of the log. */
            VLOG_DBG("%s: connection attempt failed (%s)", conn->name,
                     error ? strerror(error) : "error");
        }
    } else if (what & BEV_EVENT_EOF) {
        VLOG_DBG("%s: connection closed by peer", conn->name);
        if (evbuffer_get_length(bufferevent_get_output(bev))) {
            /* The peer only shut down its sending side: it may still be
             * waiting for the replies we have queued. */
            bufferevent_disable(bev, EV_READ);
            bufferevent_setcb(bev, NULL, conn_flushed_cb, conn_event_cb,
                              conn);
            return;
        }
    } else {
        return;
    }
    conn_disconnect(conn, true);
}

static void
conn_attach(struct jsonrpc_conn *conn, struct bufferevent *bev)
{
    conn->bev = bev;
    bufferevent_setcb(bev, conn_read_cb, NULL, conn_event_cb, conn);
    bufferevent_enable(bev, EV_READ | EV_WRITE);
}

static void
conn_free(struct jsonrpc_conn *conn)
{
    if (conn->busy) {
        conn->doomed = true;
        return;
    }
    if (conn->bev) {
        bufferevent_free(conn->bev);
    }
    if (conn->retry) {
        event_free(conn->retry);
    }
    rxbuf_destroy(&conn->rx);
    if (conn->held_output) {
        evbuffer_free(conn->held_output);
    }
    free(conn->name);
    free(conn);
}

void
jsonrpc_conn_drop(struct jsonrpc_conn *conn)
{
    if (conn->bev && !conn->doomed) {
        conn_disconnect(conn, true);
    }
}

void
jsonrpc_conn_hold_output(struct jsonrpc_conn *conn, bool hold)
{
    conn->held = hold;
    if (!hold && conn->held_output
        && evbuffer_get_length(conn->held_output)) {
        /* Sent as if it were being sent now: straight to the socket if
         * nothing else is queued, without touching the event loop. */
        size_t len = evbuffer_get_length(conn->held_output);
        const char *text = (const char *) evbuffer_pullup(conn->held_output,
                                                          -1);
        jsonrpc_conn_send_text(conn, text, len);
        evbuffer_drain(conn->held_output, len);
    }
}

void
jsonrpc_conn_send_text(struct jsonrpc_conn *conn, const char *s, size_t len)
{
    if (conn->held) {
        if (!conn->held_output) {
            conn->held_output = evbuffer_new();
        }
        evbuffer_add(conn->held_output, s, len);
    } else if (conn->bev && !conn->doomed) {
        /* Write now, if nothing is queued, rather than on the next loop
         * iteration: replies then reach the peer even if the process exits
         * right after (e.g. "exit"), and latency is lower.  What the socket
         * does not take is queued for the bufferevent (whose output buffer
         * only it may drain). */
        size_t ofs = 0;
        if (conn->connected && !conn->ssl
            && !evbuffer_get_length(bufferevent_get_output(conn->bev))) {
            ssize_t n = send(bufferevent_getfd(conn->bev), s, len,
                             MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n > 0) {
                ofs = n;
            }
        }
        if (ofs < len) {
            bufferevent_write(conn->bev, s + ofs, len - ofs);
        }
    }
}

void
jsonrpc_conn_send(struct jsonrpc_conn *conn, json_t *msg)
{
    if (conn->bev && !conn->doomed) {
        char *s = json_dumps(msg, JSON_COMPACT);
        if (s) {
            jsonrpc_conn_send_text(conn, s, strlen(s));
            free(s);
        } else {
            VLOG_ERR("%s: cannot serialize message", conn->name);
        }
    }
    json_decref(msg);
}

void
jsonrpc_conn_close(struct jsonrpc_conn *conn)
{
    if (conn) {
        conn_free(conn);
    }
}

const char *
jsonrpc_conn_name(const struct jsonrpc_conn *conn)
{
    return conn->name;
}

void
jsonrpc_conn_set_aux(struct jsonrpc_conn *conn, void *aux)
{
    conn->aux = aux;
}

void *
jsonrpc_conn_get_aux(const struct jsonrpc_conn *conn)
{
    return conn->aux;
}

bool
jsonrpc_conn_is_connected(const struct jsonrpc_conn *conn)
{
    return conn->connected && !conn->doomed;
}

static void
conn_try_connect(evutil_socket_t fd_ XVS_UNUSED, short what XVS_UNUSED,
                 void *conn_)
{
    struct jsonrpc_conn *conn = conn_;
    int fd = stream_open_active_nonblock(conn->name);
    if (fd < 0) {
        VLOG_DBG("%s: connection attempt failed (%s)", conn->name,
                 strerror(-fd));
        conn_schedule_retry(conn);
        return;
    }

    struct bufferevent *bev = bufferevent_socket_new(
        evloop_base(), fd, BEV_OPT_CLOSE_ON_FREE);
    conn_attach(conn, bev);
    if (!strncmp(conn->name, "unix:", 5)) {
        /* Unix connects complete at once. */
        conn_event_cb(bev, BEV_EVENT_CONNECTED, conn);
    } else {
        /* libevent reports BEV_EVENT_CONNECTED or an error once the
         * in-progress connect finishes. */
        bufferevent_socket_connect(bev, NULL, 0);
    }
}

static void
conn_schedule_connect(struct jsonrpc_conn *conn, int msec)
{
    if (!conn->retry) {
        conn->retry = event_new(evloop_base(), -1, 0, conn_try_connect, conn);
    }
    struct timeval tv = { msec / 1000, (msec % 1000) * 1000 };
    event_add(conn->retry, &tv);
}

int
jsonrpc_backoff_next(int ms)
{
    return (ms < JSONRPC_BACKOFF_MIN_MS ? JSONRPC_BACKOFF_MIN_MS
            : ms >= JSONRPC_BACKOFF_MAX_MS / 2 ? JSONRPC_BACKOFF_MAX_MS
            : ms * 2);
}

/* The next try after a drop or a failed attempt: a second after a
 * connection that worked, then twice as long after each failure, so that
 * a server that stays down is not hammered. */
static void
conn_schedule_retry(struct jsonrpc_conn *conn)
{
    if (conn->backoff_ms < JSONRPC_BACKOFF_MIN_MS) {
        conn->backoff_ms = JSONRPC_BACKOFF_MIN_MS;
    }
    VLOG_DBG("%s: retrying in %d ms", conn->name, conn->backoff_ms);
    conn_schedule_connect(conn, conn->backoff_ms);
    conn->backoff_ms = jsonrpc_backoff_next(conn->backoff_ms);
}

struct jsonrpc_conn *
jsonrpc_conn_connect(const char *name, const struct jsonrpc_conn_class *class,
                     void *aux)
{
    struct jsonrpc_conn *conn = conn_create(name, class, aux, true);
    /* From the loop, so that callbacks never run before the caller has the
     * conn in hand. */
    conn_schedule_connect(conn, 0);
    return conn;
}

struct jsonrpc_listener {
    struct evconnlistener *evl;
    char *name;
    char *unix_path;            /* punix: socket file to remove on close. */
    const struct jsonrpc_conn_class *class;
    void *aux;
    int port;
    unsigned int n_accepted;
    bool ssl;                   /* pssl: */
};

static void
listener_accept_cb(struct evconnlistener *evl XVS_UNUSED, evutil_socket_t fd,
                   struct sockaddr *sa, int salen XVS_UNUSED, void *l_)
{
    struct jsonrpc_listener *l = l_;
    char name[128];

    if (sa->sa_family == AF_INET || sa->sa_family == AF_INET6) {
        char host[INET6_ADDRSTRLEN + 2], serv[16];
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (getnameinfo(sa, salen, host, sizeof host, serv, sizeof serv,
                        NI_NUMERICHOST | NI_NUMERICSERV)) {
            snprintf(name, sizeof name, "tcp#%u", l->n_accepted);
        } else {
            snprintf(name, sizeof name, sa->sa_family == AF_INET6
                     ? "tcp:[%s]:%s" : "tcp:%s:%s", host, serv);
        }
    } else {
        snprintf(name, sizeof name, "unix#%u", l->n_accepted);
    }
    l->n_accepted++;

    if (l->ssl) {
        char *error;
        struct bufferevent *bev = stream_ssl_bufferevent(evloop_base(), fd,
                                                         true, &error);
        if (!bev) {
            VLOG_WARN("%s: refusing connection on %s (%s)", name, l->name,
                      error);
            free(error);
            return;
        }
        /* Connected, and on_connect called, once the handshake is done
         * (conn_event_cb). */
        struct jsonrpc_conn *conn = conn_create(name, l->class, l->aux,
                                                false);
        conn->ssl = true;
        conn_attach(conn, bev);
        return;
    }
    struct jsonrpc_conn *conn = conn_create(name, l->class, l->aux, false);
    struct bufferevent *bev = bufferevent_socket_new(
        evloop_base(), fd, BEV_OPT_CLOSE_ON_FREE);
    conn_attach(conn, bev);
    conn->connected = true;
    VLOG_DBG("%s: accepted connection on %s", name, l->name);
    if (conn->class->on_connect) {
        conn->busy++;
        conn->class->on_connect(conn, conn->aux);
        conn->busy--;
        if (conn->doomed) {
            conn_free(conn);
        }
    }
}

int
jsonrpc_listen(const char *name, const struct jsonrpc_conn_class *class,
               void *aux, struct jsonrpc_listener **lp, char **errorp)
{
    int port;
    *lp = NULL;
    if (errorp) {
        *errorp = NULL;
    }
    char *socket_name = stream_ssl_socket_name(name);
    int fd = stream_open_passive(socket_name, &port);
    free(socket_name);
    if (fd < 0) {
        if (errorp) {
            *errorp = xasprintf("%s: listen failed (%s)", name,
                                strerror(-fd));
        }
        return -fd;
    }
    evutil_make_socket_nonblocking(fd);

    struct jsonrpc_listener *l = xzalloc(sizeof *l);
    l->name = xstrdup(name);
    l->class = class;
    l->aux = aux;
    l->port = port;
    l->ssl = stream_ssl_is_ssl(name);
    if (!strncmp(name, "punix:", 6)) {
        /* Absolute, to remove the right file even after a chdir. */
        const char *path = name + 6;
        char *cwd = path[0] == '/' ? NULL : getcwd(NULL, 0);
        l->unix_path = cwd ? xasprintf("%s/%s", cwd, path) : xstrdup(path);
        free(cwd);
        daemon_remove_on_exit(l->unix_path);
    }
    l->evl = evconnlistener_new(evloop_base(), listener_accept_cb, l,
                                LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC,
                                -1, fd);
    if (!l->evl) {
        close(fd);
        if (errorp) {
            *errorp = xasprintf("%s: cannot create listener", name);
        }
        jsonrpc_listener_close(l);
        return ENOMEM;
    }
    *lp = l;
    return 0;
}

void
jsonrpc_listener_close(struct jsonrpc_listener *l)
{
    if (l) {
        if (l->evl) {
            evconnlistener_free(l->evl);
        }
        if (l->unix_path) {
            unlink(l->unix_path);
            free(l->unix_path);
        }
        free(l->name);
        free(l);
    }
}

int
jsonrpc_listener_port(const struct jsonrpc_listener *l)
{
    return l->port;
}
