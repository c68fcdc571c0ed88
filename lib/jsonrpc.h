/* jsonrpc: JSON-RPC 1.0 as OVSDB (RFC 7047) and unixctl speak it: JSON
 * values sent back to back on a stream socket, no delimiters.
 *
 * Stream names, as Open vSwitch spells them:
 *   active:  "unix:PATH", "tcp:IP:PORT"            (IPv6 as tcp:[::1]:PORT)
 *   passive: "punix:PATH", "ptcp:PORT[:IP]"
 *   TLS:     "pssl:PORT[:IP]" (passive), with the process's keys from
 *            stream-ssl.h; the active "ssl:" is not done yet.
 *
 * Two ways to use it:
 *  - blocking, for command-line tools: jsonrpc_client_open() then
 *    jsonrpc_client_transact() / _send() / _recv();
 *  - event-driven, for daemons on evloop: jsonrpc_listen() accepts
 *    connections, each a 'struct jsonrpc_conn' that calls back per message;
 *    jsonrpc_conn_connect() makes an outgoing one that reconnects.
 * Messages are jansson json_t objects; functions that take a json_t
 * steal the reference unless they say otherwise. */
#ifndef XVS_JSONRPC_H
#define XVS_JSONRPC_H 1

#include <stdbool.h>
#include <jansson.h>
/* The socket helpers shared with the OpenFlow channel (which is not JSON
 * but uses the same names): stream_open_active(), stream_open_passive(). */
#include "stream.h"

/* Message constructors (each returns a new reference).  Requests get a
 * fresh integer "id" unless 'id' is given: with 'idp' nonnull and '*idp'
 * nonnull, '*idp' is the id (borrowed); with '*idp' NULL, '*idp' receives
 * a new reference to the fresh id (json_decref() it when done). */
json_t *jsonrpc_request(const char *method, json_t *params, json_t **idp);
json_t *jsonrpc_notify(const char *method, json_t *params);
json_t *jsonrpc_reply(json_t *result, const json_t *id);   /* id borrowed */
json_t *jsonrpc_error_reply(json_t *error, const json_t *id);

/* Framing: extracts one JSON value from the front of 'buf'.  Returns 1 and
 * sets '*value' and '*consumed' when a whole value is there, 0 when more
 * bytes are needed, -1 on a syntax error (with '*error' a malloc'd text).
 * Leading whitespace is skipped. */
int jsonrpc_parse_one(const char *buf, size_t len, json_t **value,
                      size_t *consumed, char **error);

/* Blocking client. */
struct jsonrpc_client;
/* Returns 0 or a positive errno. */
int jsonrpc_client_open(const char *name, struct jsonrpc_client **);
void jsonrpc_client_close(struct jsonrpc_client *);
int jsonrpc_client_send(struct jsonrpc_client *, json_t *msg);
/* Waits up to 'timeout_ms' (-1 forever).  Returns 0, ETIMEDOUT, EOF(-1 as
 * EPIPE) or an errno. */
int jsonrpc_client_recv(struct jsonrpc_client *, int timeout_ms, json_t **msg);
/* Sends 'request' and waits for the reply with its id, answering "echo"
 * requests and dropping notifications meanwhile.  '*reply' is the whole
 * reply message. */
int jsonrpc_client_transact(struct jsonrpc_client *, json_t *request,
                            int timeout_ms, json_t **reply);
int jsonrpc_client_fd(const struct jsonrpc_client *);

/* Event-driven connections (on evloop). */
struct jsonrpc_conn;
struct jsonrpc_conn_class {
    /* A message arrived ('msg' borrowed).  "echo" requests are answered
     * by the connection itself and never reach here. */
    void (*on_message)(struct jsonrpc_conn *, json_t *msg, void *aux);
    /* Optional: the connection is up (for outgoing: after each connect). */
    void (*on_connect)(struct jsonrpc_conn *, void *aux);
    /* The connection closed (peer closed, error, or bad JSON).  For
     * accepted connections the conn is freed after this returns; for
     * outgoing ones it will reconnect. */
    void (*on_close)(struct jsonrpc_conn *, void *aux);
    /* If true, "echo" requests go to on_message like any other (unixctl,
     * where "echo" may be a command) instead of being answered. */
    bool pass_echo;
};
void jsonrpc_conn_send(struct jsonrpc_conn *, json_t *msg);
/* Sends one message already serialized (a server that sends the same
 * notification to many clients serializes it once). */
void jsonrpc_conn_send_text(struct jsonrpc_conn *, const char *, size_t);
/* While held, what jsonrpc_conn_send() sends is kept aside, and sent when
 * the hold ends (a server holds replies until their data is durable). */
void jsonrpc_conn_hold_output(struct jsonrpc_conn *, bool hold);
void jsonrpc_conn_close(struct jsonrpc_conn *);  /* Frees it; no on_close. */
/* Drops the connection as if the peer had closed it: on_close is called,
 * then an accepted connection is freed, an outgoing one reconnects.  Not
 * from within the connection's own callbacks. */
void jsonrpc_conn_drop(struct jsonrpc_conn *);
const char *jsonrpc_conn_name(const struct jsonrpc_conn *);
void jsonrpc_conn_set_aux(struct jsonrpc_conn *, void *aux);
void *jsonrpc_conn_get_aux(const struct jsonrpc_conn *);
bool jsonrpc_conn_is_connected(const struct jsonrpc_conn *);
/* Outgoing connection to an active name, retried until it works and
 * after it drops: a second after a working connection drops, then with
 * the delay doubling after each failed attempt up to 8 seconds. */
struct jsonrpc_conn *jsonrpc_conn_connect(const char *name,
                                          const struct jsonrpc_conn_class *,
                                          void *aux);
#define JSONRPC_BACKOFF_MIN_MS 1000
#define JSONRPC_BACKOFF_MAX_MS 8000
/* The delay after one of 'ms' failed. */
int jsonrpc_backoff_next(int ms);

struct jsonrpc_listener;
/* Passive name ("punix:", "ptcp:").  Each accepted connection uses
 * 'class' with 'aux' until jsonrpc_conn_set_aux() changes it.  Returns 0
 * or a positive errno (with '*errorp' describing it, malloc'd). */
int jsonrpc_listen(const char *name, const struct jsonrpc_conn_class *,
                   void *aux, struct jsonrpc_listener **, char **errorp);
void jsonrpc_listener_close(struct jsonrpc_listener *);
/* For ptcp: with port 0, the port actually bound. */
int jsonrpc_listener_port(const struct jsonrpc_listener *);

#endif
