/* unixctl: the control socket, server and client.
 *
 * A command may reply later than its callback returns (it keeps the
 * 'struct unixctl_conn'), and the client may hang up meanwhile.  So the
 * unixctl_conn of a request is owned by the request, not by the socket
 * connection: it is freed when the reply is given, and a hung-up socket
 * only makes that reply go nowhere. */
#include <config.h>
#include "unixctl.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "coverage.h"
#include "daemon.h"
#include "jsonrpc.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(unixctl);
COVERAGE_DEFINE(unixctl_received);
COVERAGE_DEFINE(unixctl_replied);

struct unixctl_command {
    char *name;
    char *usage;
    int min_args, max_args;
    unixctl_cb_func *cb;
    void *aux;
};

static struct unixctl_command *commands;
static size_t n_commands, allocated_commands;

/* Per socket connection: the request being answered, if any. */
struct unixctl_session {
    struct jsonrpc_conn *rpc;
    struct unixctl_conn *pending;
};

struct unixctl_conn {
    struct unixctl_session *session;    /* NULL once the client hung up. */
    json_t *id;
};

static struct jsonrpc_listener *listener;

static struct unixctl_command *
find_command(const char *name)
{
    for (size_t i = 0; i < n_commands; i++) {
        if (!strcmp(commands[i].name, name)) {
            return &commands[i];
        }
    }
    return NULL;
}

void
unixctl_command_register(const char *name, const char *usage,
                         int min_args, int max_args,
                         unixctl_cb_func *cb, void *aux)
{
    struct unixctl_command *c = find_command(name);
    if (!c) {
        if (n_commands >= allocated_commands) {
            allocated_commands = allocated_commands ? 2 * allocated_commands
                                                    : 16;
            commands = xrealloc(commands,
                                allocated_commands * sizeof *commands);
        }
        c = &commands[n_commands++];
        c->name = xstrdup(name);
    } else {
        free(c->usage);
    }
    c->usage = xstrdup(usage ? usage : "");
    c->min_args = min_args;
    c->max_args = max_args;
    c->cb = cb;
    c->aux = aux;
}

static void
unixctl_reply__(struct unixctl_conn *conn, const char *body, bool success)
{
    struct unixctl_session *session = conn->session;

    COVERAGE_INC(unixctl_replied);
    /* ovs-appctl prints replies as they are: end each non-empty one with a
     * new-line, as Open vSwitch's daemons do. */
    char *body_nl = NULL;
    if (body && *body && body[strlen(body) - 1] != '\n') {
        body = body_nl = xasprintf("%s\n", body);
    }
    json_t *text = json_string(body ? body : "");
    if (!text) {
        /* Not UTF-8: still answer rather than leave the client hanging. */
        text = json_string("(reply is not valid UTF-8)");
    }

    if (vlog_is_enabled(&this_module, VLL_DBG)) {
        char *id = json_dumps(conn->id, JSON_ENCODE_ANY);
        char *quoted = json_dumps(text, JSON_ENCODE_ANY);
        VLOG_DBG("replying with %s, id=%s: %s",
                 success ? "success" : "error", id ? id : "?",
                 quoted ? quoted : "?");
        free(quoted);
        free(id);
    }
    if (session) {
        jsonrpc_conn_send(session->rpc,
                          success ? jsonrpc_reply(text, conn->id)
                                  : jsonrpc_error_reply(text, conn->id));
        session->pending = NULL;
    } else {
        json_decref(text);
    }
    json_decref(conn->id);
    free(conn);
    free(body_nl);
}

void
unixctl_command_reply(struct unixctl_conn *conn, const char *body)
{
    unixctl_reply__(conn, body, true);
}

void
unixctl_command_reply_error(struct unixctl_conn *conn, const char *body)
{
    unixctl_reply__(conn, body, false);
}

static int
compare_commands(const void *a_, const void *b_)
{
    const struct unixctl_command *const *a = a_;
    const struct unixctl_command *const *b = b_;
    return strcmp((*a)->name, (*b)->name);
}

static void
unixctl_list_commands(struct unixctl_conn *conn, int argc XVS_UNUSED,
                      const char *argv[] XVS_UNUSED, void *aux XVS_UNUSED)
{
    const struct unixctl_command **sorted
        = xmalloc(n_commands * sizeof *sorted);
    for (size_t i = 0; i < n_commands; i++) {
        sorted[i] = &commands[i];
    }
    qsort(sorted, n_commands, sizeof *sorted, compare_commands);

    struct ds s = DS_EMPTY_INITIALIZER;
    ds_put_cstr(&s, "The available commands are:\n");
    for (size_t i = 0; i < n_commands; i++) {
        ds_put_format(&s, "  %-23s %s\n", sorted[i]->name, sorted[i]->usage);
    }
    free(sorted);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
unixctl_version(struct unixctl_conn *conn, int argc XVS_UNUSED,
                const char *argv[] XVS_UNUSED, void *aux XVS_UNUSED)
{
    char *s = xasprintf("%s (xvswitch) %s", program_name, XVS_VERSION);
    unixctl_command_reply(conn, s);
    free(s);
}

static void
unixctl_time_stop(struct unixctl_conn *conn, int argc XVS_UNUSED,
                  const char *argv[] XVS_UNUSED, void *aux XVS_UNUSED)
{
    time_stop();
    unixctl_command_reply(conn, "");
}

static void
unixctl_time_warp(struct unixctl_conn *conn, int argc XVS_UNUSED,
                  const char *argv[], void *aux XVS_UNUSED)
{
    long long int msecs;
    if (!str_to_llong(argv[1], 10, &msecs) || msecs < 0
        || msecs > 86400000LL * 365) {
        unixctl_command_reply_error(conn, "invalid MSECS");
        return;
    }
    time_warp(msecs);
    unixctl_command_reply(conn, "warped");
}

/* Checks and runs one request; returns an error text for a bad one. */
static char *
run_request(struct unixctl_session *session, json_t *msg)
{
    const json_t *method = json_object_get(msg, "method");
    const json_t *params = json_object_get(msg, "params");
    const json_t *id = json_object_get(msg, "id");

    if (!json_is_string(method) || !id || json_is_null(id)) {
        return NULL;            /* A reply or a notification: ignore. */
    }
    COVERAGE_INC(unixctl_received);
    const char *name = json_string_value(method);
    struct unixctl_command *c = find_command(name);
    if (!c) {
        return xasprintf("\"%s\" is not a valid command (use "
                         "\"list-commands\" to see a list of valid "
                         "commands)", name);
    }
    if (params && !json_is_array(params)) {
        return xasprintf("\"%s\" command has non-array params", name);
    }
    int n = params ? json_array_size(params) : 0;
    if (n < c->min_args) {
        return xasprintf("\"%s\" command requires at least %d arguments",
                         name, c->min_args);
    } else if (n > c->max_args) {
        return xasprintf("\"%s\" command takes at most %d arguments",
                         name, c->max_args);
    }

    const char **argv = xmalloc((n + 2) * sizeof *argv);
    argv[0] = name;
    for (int i = 0; i < n; i++) {
        const json_t *arg = json_array_get(params, i);
        if (!json_is_string(arg)) {
            free(argv);
            return xasprintf("\"%s\" command has non-string argument", name);
        }
        argv[i + 1] = json_string_value(arg);
    }
    argv[n + 1] = NULL;

    struct unixctl_conn *conn = xzalloc(sizeof *conn);
    conn->session = session;
    conn->id = json_incref((json_t *) id);
    session->pending = conn;
    c->cb(conn, n + 1, argv, c->aux);
    free(argv);
    return NULL;
}

static void
server_on_message(struct jsonrpc_conn *rpc, json_t *msg, void *aux)
{
    struct unixctl_session *session = aux;
    if (!session) {
        session = xzalloc(sizeof *session);
        session->rpc = rpc;
        jsonrpc_conn_set_aux(rpc, session);
    }
    if (session->pending) {
        jsonrpc_conn_send(rpc, jsonrpc_error_reply(
                              json_string("a command is already running"),
                              json_object_get(msg, "id")));
        return;
    }
    char *error = run_request(session, msg);
    if (error) {
        jsonrpc_conn_send(rpc, jsonrpc_error_reply(json_string(error),
                                                   json_object_get(msg, "id")));
        free(error);
    }
}

static void
server_on_close(struct jsonrpc_conn *rpc XVS_UNUSED, void *aux)
{
    struct unixctl_session *session = aux;
    if (session) {
        if (session->pending) {
            session->pending->session = NULL;
        }
        free(session);
    }
}

static const struct jsonrpc_conn_class server_class = {
    .on_message = server_on_message,
    .on_close = server_on_close,
    .pass_echo = true,
};

int
unixctl_server_create(const char *path)
{
    char *default_path = NULL;
    if (!path) {
        path = default_path = unixctl_default_path();
    }

    char *name = xasprintf("punix:%s", path);
    char *error_msg;
    int error = jsonrpc_listen(name, &server_class, NULL, &listener,
                               &error_msg);
    free(name);
    if (error) {
        VLOG_ERR("%s", error_msg);
        free(error_msg);
        free(default_path);
        return error;
    }

    free(default_path);

    unixctl_command_register("list-commands", "", 0, 0,
                             unixctl_list_commands, NULL);
    unixctl_command_register("version", "", 0, 0, unixctl_version, NULL);
    unixctl_command_register("time/stop", "", 0, 0, unixctl_time_stop,
                             NULL);
    unixctl_command_register("time/warp", "MSECS", 1, 1, unixctl_time_warp,
                             NULL);
    return 0;
}

char *
unixctl_default_path(void)
{
    return xasprintf("%s/%s.ctl", xvs_rundir(), program_name);
}

int
unixctl_client_transact(const char *path, const char *command,
                        int argc, const char *argv[], int timeout_ms,
                        char **result, char **error)
{
    *result = *error = NULL;

    char *name = xasprintf("unix:%s", path);
    struct jsonrpc_client *client;
    int retval = jsonrpc_client_open(name, &client);
    free(name);
    if (retval) {
        return retval;
    }

    json_t *params = json_array();
    for (int i = 0; i < argc; i++) {
        json_t *arg = json_string(argv[i]);
        if (!arg) {
            json_decref(params);
            jsonrpc_client_close(client);
            return EILSEQ;
        }
        json_array_append_new(params, arg);
    }

    json_t *reply;
    retval = jsonrpc_client_transact(client,
                                     jsonrpc_request(command, params, NULL),
                                     timeout_ms, &reply);
    jsonrpc_client_close(client);
    if (retval) {
        return retval;
    }

    const json_t *err = json_object_get(reply, "error");
    const json_t *res = json_object_get(reply, "result");
    if (err && !json_is_null(err)) {
        *error = json_is_string(err)
                 ? xstrdup(json_string_value(err))
                 : json_dumps(err, JSON_COMPACT | JSON_ENCODE_ANY);
    } else if (json_is_string(res)) {
        *result = xstrdup(json_string_value(res));
    } else if (res && !json_is_null(res)) {
        *result = json_dumps(res, JSON_COMPACT | JSON_ENCODE_ANY);
    } else {
        *result = xstrdup("");
    }
    json_decref(reply);
    return 0;
}
