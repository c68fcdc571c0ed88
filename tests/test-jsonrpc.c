/* test-jsonrpc: drives lib/jsonrpc's event-driven side over real sockets.
 *
 *   test-jsonrpc [DAEMON-OPTIONS] server PASSIVE
 *       Answers every request with its own params as the result; the
 *       "shutdown" request makes it exit.  Logs each connection.
 *   test-jsonrpc request ACTIVE METHOD PARAMS
 *       Blocking client: sends one request, prints the reply's result.
 *   test-jsonrpc big ACTIVE MBYTES
 *       Sends a request MBYTES large and checks it comes back intact.
 *   test-jsonrpc [DAEMON-OPTIONS] connect ACTIVE
 *       Reconnecting client: on each connect sends "hello" and logs the
 *       reply, so a test can restart the server under it. */
#include <config.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "daemon.h"
#include "evloop.h"
#include "jsonrpc.h"
#include "unixctl.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(test_jsonrpc);

static void
server_on_message(struct jsonrpc_conn *conn, json_t *msg, void *aux XVS_UNUSED)
{
    const json_t *method = json_object_get(msg, "method");
    const json_t *id = json_object_get(msg, "id");
    if (!json_is_string(method) || !id || json_is_null(id)) {
        return;
    }
    if (!strcmp(json_string_value(method), "shutdown")) {
        jsonrpc_conn_send(conn, jsonrpc_reply(json_string("bye"), id));
        evloop_exit();
        return;
    }
    json_t *params = json_object_get(msg, "params");
    jsonrpc_conn_send(conn, jsonrpc_reply(json_incref(params), id));
}

static void
server_on_connect(struct jsonrpc_conn *conn, void *aux XVS_UNUSED)
{
    VLOG_INFO("%s: accepted", jsonrpc_conn_name(conn));
}

static void
server_on_close(struct jsonrpc_conn *conn, void *aux XVS_UNUSED)
{
    VLOG_INFO("%s: closed", jsonrpc_conn_name(conn));
}

static const struct jsonrpc_conn_class server_class = {
    .on_message = server_on_message,
    .on_connect = server_on_connect,
    .on_close = server_on_close,
};

static void
client_on_message(struct jsonrpc_conn *conn, json_t *msg,
                  void *aux XVS_UNUSED)
{
    char *s = json_dumps(json_object_get(msg, "result"), JSON_ENCODE_ANY);
    VLOG_INFO("%s: reply %s", jsonrpc_conn_name(conn), s ? s : "?");
    free(s);
}

static void
client_on_connect(struct jsonrpc_conn *conn, void *aux XVS_UNUSED)
{
    VLOG_INFO("%s: connected, sending hello", jsonrpc_conn_name(conn));
    jsonrpc_conn_send(conn, jsonrpc_request("hello", json_pack("[s]", "hi"),
                                            NULL));
}

static void
client_on_close(struct jsonrpc_conn *conn, void *aux XVS_UNUSED)
{
    VLOG_INFO("%s: disconnected", jsonrpc_conn_name(conn));
}

static const struct jsonrpc_conn_class client_class = {
    .on_message = client_on_message,
    .on_connect = client_on_connect,
    .on_close = client_on_close,
};

static void
unixctl_exit(struct unixctl_conn *conn, int argc XVS_UNUSED,
             const char *argv[] XVS_UNUSED, void *aux XVS_UNUSED)
{
    unixctl_command_reply(conn, NULL);
    evloop_exit();
}

/* Runs the event loop as a daemon with a control socket. */
static void
run_daemon(void)
{
    char *path = daemon_unixctl_path();
    int error = unixctl_server_create(path);
    if (error) {
        xvs_fatal(error, "could not create control socket \"%s\"", path);
    }
    free(path);
    vlog_register_unixctl();
    unixctl_command_register("exit", "", 0, 0, unixctl_exit, NULL);
    daemonize_complete();
    evloop_run();
    daemon_exit_cleanup();
}

static int
do_server(const char *name)
{
    daemonize_start();
    struct jsonrpc_listener *l;
    char *error;
    if (jsonrpc_listen(name, &server_class, NULL, &l, &error)) {
        xvs_fatal(0, "%s", error);
    }
    if (jsonrpc_listener_port(l)) {
        /* For ptcp:0, tell the test which port it got. */
        FILE *f = fopen("port", "w");
        if (f) {
            fprintf(f, "%d\n", jsonrpc_listener_port(l));
            fclose(f);
        }
    }
    run_daemon();
    jsonrpc_listener_close(l);
    return 0;
}

static int
do_request(const char *name, const char *method, const char *params_s)
{
    json_error_t err;
    json_t *params = json_loads(params_s, JSON_DECODE_ANY, &err);
    if (!params) {
        xvs_fatal(0, "%s: bad JSON (%s)", params_s, err.text);
    }

    struct jsonrpc_client *c;
    int error = jsonrpc_client_open(name, &c);
    if (error) {
        xvs_fatal(error, "%s: connect failed", name);
    }
    json_t *reply;
    error = jsonrpc_client_transact(c, jsonrpc_request(method, params, NULL),
                                    10000, &reply);
    jsonrpc_client_close(c);
    if (error) {
        xvs_fatal(error, "%s: transaction failed", name);
    }
    char *s = json_dumps(json_object_get(reply, "result"),
                         JSON_ENCODE_ANY | JSON_COMPACT);
    puts(s);
    free(s);
    json_decref(reply);
    return 0;
}

static int
do_big(const char *name, const char *mbytes_s)
{
    long long mbytes;
    if (!str_to_llong(mbytes_s, 10, &mbytes) || mbytes < 1 || mbytes > 64) {
        xvs_fatal(0, "%s: bad size", mbytes_s);
    }

    /* Many small strings with JSON's special characters in them. */
    json_t *params = json_array();
    size_t total = 0;
    for (int i = 0; total < (size_t) mbytes << 20; i++) {
        char *s = xasprintf("%d: \"quoted\" {braces} [brackets] \\ \xc3\xa9", i);
        total += strlen(s) + 8;
        json_array_append_new(params, json_string(s));
        free(s);
    }

    struct jsonrpc_client *c;
    int error = jsonrpc_client_open(name, &c);
    if (error) {
        xvs_fatal(error, "%s: connect failed", name);
    }
    json_t *reply;
    error = jsonrpc_client_transact(c, jsonrpc_request("big",
                                                       json_incref(params),
                                                       NULL),
                                    30000, &reply);
    if (error) {
        xvs_fatal(error, "%s: transaction failed", name);
    }
    if (!json_equal(json_object_get(reply, "result"), params)) {
        xvs_fatal(0, "reply differs from request");
    }
    /* The connection stays usable after it. */
    json_decref(reply);
    error = jsonrpc_client_transact(c, jsonrpc_request("small",
                                                       json_pack("[i]", 1),
                                                       NULL),
                                    10000, &reply);
    if (error) {
        xvs_fatal(error, "%s: second transaction failed", name);
    }
    json_decref(reply);
    jsonrpc_client_close(c);
    json_decref(params);
    printf("big: OK\n");
    return 0;
}

static int
do_connect(const char *name)
{
    daemonize_start();
    struct jsonrpc_conn *conn = jsonrpc_conn_connect(name, &client_class,
                                                     NULL);
    run_daemon();
    jsonrpc_conn_close(conn);
    return 0;
}

int
main(int argc, char *argv[])
{
    static const struct option long_options[] = {
        DAEMON_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };

    xvs_set_program_name(argv[0]);
    for (;;) {
        int c = getopt_long(argc, argv, DAEMON_SHORT_OPTIONS, long_options,
                            NULL);
        if (c == -1) {
            break;
        } else if (!daemon_handle_option(c, optarg)) {
            return 1;
        }
    }
    argc -= optind;
    argv += optind;

    if (argc == 2 && !strcmp(argv[0], "server")) {
        return do_server(argv[1]);
    } else if (argc == 4 && !strcmp(argv[0], "request")) {
        return do_request(argv[1], argv[2], argv[3]);
    } else if (argc == 3 && !strcmp(argv[0], "big")) {
        return do_big(argv[1], argv[2]);
    } else if (argc == 2 && !strcmp(argv[0], "connect")) {
        return do_connect(argv[1]);
    }
    xvs_fatal(0, "usage: test-jsonrpc {server PASSIVE | request ACTIVE "
              "METHOD PARAMS | big ACTIVE MBYTES | connect ACTIVE}");
}
