/* xvs-vsctl: configures xvswitch through its database, with the command
 * syntax, semantics and output of ovs-vsctl.
 *
 * One run is one OVSDB transaction: read all tables, run every command of
 * the command line on the in-memory copy (vsctl-cmds.c, vsctl-db.c), send
 * the difference in one "transact" (retrying from the start if a
 * concurrent writer changed what we based it on), then, unless --no-wait,
 * wait until xvs-vswitchd has applied it (Open_vSwitch cur_cfg catches up
 * with the next_cfg we incremented). */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>
#include "daemon.h"
#include "jsonrpc.h"
#include "util.h"
#include "vsctl-cmds.h"
#include "vsctl-db.h"

#define DB_NAME "Open_vSwitch"
#define MAX_ATTEMPTS 50

struct options {
    char *db;
    bool no_wait;
    bool dry_run;
    bool oneline;
    int timeout;                /* Seconds; 0 means forever. */
};

XVS_NORETURN static void
usage(void)
{
    printf("%s: xvswitch configuration utility (ovs-vsctl compatible)\n"
           "usage: %s [OPTIONS] COMMAND [ARG...] [-- [OPTIONS] COMMAND "
           "[ARG...]]...\n\nCommands:\n", program_name, program_name);
    vsctl_cmds_usage();
    printf("\nOptions:\n"
           "  --db=DATABASE       connect to DATABASE (default: "
           "unix:$XVS_RUNDIR/db.sock)\n"
           "  --no-wait           do not wait for xvs-vswitchd to reconfigure\n"
           "  -t, --timeout=SECS  wait at most SECS seconds (0: forever)\n"
           "  --dry-run           do not commit changes to the database\n"
           "  --oneline           print exactly one line of output per "
           "command\n"
           "  --bare              print values only, without column names\n"
           "  -v, --verbose       accepted for compatibility\n"
           "  -h, --help          display this help message\n"
           "  -V, --version       display version information\n");
    exit(0);
}

XVS_NORETURN static void
die(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    fprintf(stderr, "%s: ", program_name);
    vfprintf(stderr, fmt, args);
    fputc('\n', stderr);
    va_end(args);
    exit(EXIT_FAILURE);
}

static int
parse_timeout(const char *s)
{
    long long t;
    if (!str_to_llong(s, 10, &t) || t < 0 || t > 86400 * 365) {
        die("value %s on -t or --timeout is invalid", s);
    }
    return t;
}

/* Global options come first; an option any command takes ("--may-exist")
 * given there belongs to the first command, as in ovs-vsctl. */
static int
parse_global_options(int argc, char *argv[], struct options *o,
                     struct vsctl_cmd *first)
{
    int i;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = strchr(a, '=');

        if (a[0] != '-' || !strcmp(a, "--") || !strcmp(a, "-")) {
            break;
        }
        if (!strncmp(a, "--db", 4) && (a[4] == '=' || !a[4])) {
            if (!val && i + 1 >= argc) {
                die("option '--db' requires an argument");
            }
            free(o->db);
            o->db = xstrdup(val ? val + 1 : argv[++i]);
        } else if (!strcmp(a, "--no-wait")) {
            o->no_wait = true;
        } else if (!strcmp(a, "--dry-run")) {
            o->dry_run = true;
        } else if (!strcmp(a, "--oneline")) {
            o->oneline = true;
        } else if (!strcmp(a, "--bare")) {
            vsctl_bare = true;
        } else if (!strncmp(a, "--timeout", 9) && (a[9] == '=' || !a[9])) {
            if (!val && i + 1 >= argc) {
                die("option '--timeout' requires an argument");
            }
            o->timeout = parse_timeout(val ? val + 1 : argv[++i]);
        } else if (!strncmp(a, "-t", 2)) {
            if (!a[2] && i + 1 >= argc) {
                die("option requires an argument -- 't'");
            }
            o->timeout = parse_timeout(a[2] ? a + 2 : argv[++i]);
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage();
        } else if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
            printf("%s (xvswitch) %s\n", program_name, XVS_VERSION);
            exit(0);
        } else if (!strncmp(a, "-v", 2) || !strncmp(a, "--verbose", 9)
                   || !strcmp(a, "--no-syslog") || !strcmp(a, "--retry")) {
            /* Accepted for compatibility: there is nothing to log. */
        } else if (!strncmp(a, "--", 2) && vsctl_is_command_option(a)) {
            first->options = xrealloc(first->options, (first->n_options + 1)
                                      * sizeof *first->options);
            first->options[first->n_options++] = argv[i];
        } else {
            die("unrecognized option '%s'", a);
        }
    }
    return i;
}

/* Splits the rest of the command line at "--" into commands. */
static struct vsctl_cmd *
parse_commands(int argc, char *argv[], int i, struct vsctl_cmd *first,
               size_t *n_cmds)
{
    struct vsctl_cmd *cmds = NULL;
    size_t n = 0;

    if (i < argc && !strcmp(argv[i], "--")) {
        i++;
    }
    while (i <= argc) {
        cmds = xrealloc(cmds, (n + 1) * sizeof *cmds);
        struct vsctl_cmd *c = &cmds[n];
        if (n == 0) {
            *c = *first;
        } else {
            memset(c, 0, sizeof *c);
        }
        ds_init(&c->output);
        while (i < argc && !strncmp(argv[i], "--", 2) && argv[i][2]) {
            c->options = xrealloc(c->options, (c->n_options + 1)
                                  * sizeof *c->options);
            c->options[c->n_options++] = argv[i++];
        }
        c->argv = &argv[i];
        while (i < argc && strcmp(argv[i], "--")) {
            i++;
        }
        c->argc = &argv[i] - c->argv;
        n++;
        char *error = vsctl_cmd_parse(c);
        if (error) {
            die("%s", error);
        }
        i++;                    /* Skips the "--" (or passes the end). */
    }
    *n_cmds = n;
    return cmds;
}

static const char *
json_error_text(const json_t *error)
{
    static char *text;
    free(text);
    text = json_dumps(error, JSON_COMPACT | JSON_ENCODE_ANY);
    return text ? text : "(unprintable)";
}

/* Sends one request and returns its "result" (a new reference). */
static json_t *
rpc(struct jsonrpc_client *rpc_client, const char *db_name,
    const char *method, json_t *params)
{
    json_t *reply;
    int error = jsonrpc_client_transact(
        rpc_client, jsonrpc_request(method, params, NULL), -1, &reply);
    if (error) {
        die("%s: database connection failed (%s)", db_name,
            error == EPIPE || error < 0 ? "connection closed"
                                        : strerror(error));
    }
    json_t *err = json_object_get(reply, "error");
    if (err && !json_is_null(err)) {
        die("%s request failed: %s", method, json_error_text(err));
    }
    json_t *result = json_incref(json_object_get(reply, "result"));
    json_decref(reply);
    return result;
}

static json_t *
transact(struct jsonrpc_client *c, const char *db_name, json_t *ops)
{
    json_array_insert_new(ops, 0, json_string(DB_NAME));
    return rpc(c, db_name, "transact", ops);
}

static char *
command_line(int argc, char *argv[])
{
    struct ds s = DS_EMPTY_INITIALIZER;
    ds_put_format(&s, "%s:", program_name);
    for (int i = 1; i < argc; i++) {
        ds_put_format(&s, " %s", argv[i]);
    }
    return ds_steal_cstr(&s);
}

/* As ovs-vsctl: records of "list" and "find" are separated by a blank
 * line across commands too, and are never folded by --oneline. */
static void
print_output(struct vsctl_cmd *cmd, bool oneline, bool *printed_records)
{
    const char *s = ds_cstr(&cmd->output);
    if (cmd->is_table) {
        if (*printed_records) {
            putchar('\n');
        }
        *printed_records = true;
        fputs(s, stdout);
        return;
    }
    if (!oneline) {
        fputs(s, stdout);
        return;
    }
    size_t len = strlen(s);
    if (len && s[len - 1] == '\n') {
        len--;
    }
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n') {
            fputs("\\n", stdout);
        } else if (s[i] == '\\') {
            fputs("\\\\", stdout);
        } else {
            putchar(s[i]);
        }
    }
    putchar('\n');
}

static long long
ovs_int_column(const json_t *select_result, const char *column)
{
    const json_t *row = json_array_get(json_object_get(select_result, "rows"),
                                       0);
    const json_t *v = json_object_get(row, column);
    return json_is_integer(v) ? json_integer_value(v) : -1;
}

/* Polls until xvs-vswitchd reports a configuration at least 'next_cfg';
 * --timeout (SIGALRM) bounds it. */
static void
wait_for_reload(struct jsonrpc_client *c, const char *db_name,
                long long next_cfg)
{
    for (;;) {
        json_t *ops = json_pack("[{s:s,s:s,s:[],s:[s]}]", "op", "select",
                                "table", DB_NAME, "where", "columns",
                                "cur_cfg");
        json_t *result = transact(c, db_name, ops);
        long long cur = ovs_int_column(json_array_get(result, 0), "cur_cfg");
        json_decref(result);
        if (cur >= next_cfg) {
            return;
        }
        nanosleep(&(struct timespec) { 0, 100 * 1000 * 1000 }, NULL);
    }
}

/* Returns true if the transaction must be retried (a "wait" failed). */
static bool
check_result(const json_t *ops, const json_t *result)
{
    size_t i;
    json_t *r;

    if (!json_is_array(result)) {
        die("transaction error: %s", json_error_text(result));
    }
    json_array_foreach(result, i, r) {
        json_t *err = json_object_get(r, "error");
        if (!err || json_is_null(err)) {
            continue;
        }
        const char *op = json_string_value(
            json_object_get(json_array_get(ops, i), "op"));
        if (op && !strcmp(op, "wait")
            && !strcmp(json_string_value(err) ? json_string_value(err) : "",
                       "timed out")) {
            return true;
        }
        die("transaction error: %s", json_error_text(r));
    }
    return false;
}

int
main(int argc, char *argv[])
{
    struct options o = { .db = NULL };
    struct vsctl_cmd first;
    struct vsctl_cmd *cmds;
    size_t n_cmds;

    xvs_set_program_name(argv[0]);
    memset(&first, 0, sizeof first);
    int i = parse_global_options(argc, argv, &o, &first);
    if (i >= argc) {
        die("missing command name (use --help for help)");
    }
    cmds = parse_commands(argc, argv, i, &first, &n_cmds);
    if (!o.db) {
        o.db = xasprintf("unix:%s/db.sock", xvs_rundir());
    }
    if (o.timeout) {
        /* As ovs-vsctl: the whole run, connection included, is bounded and
         * the process dies of SIGALRM when the time is up. */
        signal(SIGALRM, SIG_DFL);
        alarm(o.timeout);
    }

    struct jsonrpc_client *client;
    int error = jsonrpc_client_open(o.db, &client);
    if (error) {
        die("%s: database connection failed (%s)", o.db, strerror(error));
    }
    json_t *schema = rpc(client, o.db, "get_schema",
                         json_pack("[s]", DB_NAME));
    struct vsctl_db db;
    char *msg = vsctl_db_init(&db, schema);
    json_decref(schema);
    if (msg) {
        die("bad schema: %s", msg);
    }

    json_t *result = NULL, *ops = NULL;
    long long next_cfg = -1;
    int select_idx = -1;
    for (int attempt = 0; ; attempt++) {
        if (attempt >= MAX_ATTEMPTS) {
            die("database changed too often: transaction not applied");
        }
        vsctl_db_clear_rows(&db);
        json_t *snapshot = transact(client, o.db, vsctl_db_select_ops(&db));
        msg = vsctl_db_load(&db, snapshot);
        json_decref(snapshot);
        if (msg) {
            die("%s", msg);
        }
        vsctl_ensure_ovs_row(&db);
        bool try_again = false;
        for (size_t k = 0; k < n_cmds && !try_again; k++) {
            ds_clear(&cmds[k].output);
            cmds[k].created = NULL;
            cmds[k].exit_status = 0;
            cmds[k].try_again = false;
            cmds[k].is_table = false;
            msg = vsctl_cmd_run(&cmds[k], &db);
            if (msg) {
                die("%s", msg);
            }
            try_again = cmds[k].try_again;
        }
        if (try_again) {
            /* "wait-until": poll; only --timeout bounds it, as in
             * ovs-vsctl. */
            nanosleep(&(struct timespec) { 0, 100 * 1000 * 1000 }, NULL);
            attempt = -1;
            continue;
        }
        struct vsctl_symbol *sym;
        HMAP_FOR_EACH (sym, node, &db.symbols) {
            if (!sym->created) {
                die("row id \"%s\" is referenced but never created (e.g. "
                    "with \"-- --id=%s create ...\")", sym->name, sym->name);
            }
        }

        ops = json_array();
        bool changed = vsctl_db_build_ops(&db, ops);
        if (!changed || o.dry_run) {
            json_decref(ops);
            ops = NULL;
            break;
        }
        size_t n_ovs;
        struct vsctl_row **ovs = vsctl_table_rows(
            vsctl_db_get_table(&db, DB_NAME), &n_ovs);
        if (!o.no_wait && n_ovs && ovs[0]->old) {
            char uuid[UUID_LEN + 1];
            uuid_format(&ovs[0]->uuid, uuid);
            json_array_append_new(ops, json_pack(
                "{s:s,s:s,s:[[s,s,[s,s]]],s:[[s,s,i]]}", "op", "mutate",
                "table", DB_NAME, "where", "_uuid", "==", "uuid", uuid,
                "mutations", "next_cfg", "+=", 1));
            select_idx = json_array_size(ops);
            json_array_append_new(ops, json_pack(
                "{s:s,s:s,s:[[s,s,[s,s]]],s:[s]}", "op", "select",
                "table", DB_NAME, "where", "_uuid", "==", "uuid", uuid,
                "columns", "next_cfg"));
        }
        free(ovs);
        char *comment = command_line(argc, argv);
        json_array_append_new(ops, json_pack("{s:s,s:s}", "op", "comment",
                                             "comment", comment));
        free(comment);

        result = transact(client, o.db, json_incref(ops));
        /* 'ops' now starts with the database name: shift indexes. */
        json_array_remove(ops, 0);
        if (!check_result(ops, result)) {
            break;
        }
        json_decref(result);
        json_decref(ops);
        result = ops = NULL;
        select_idx = -1;
    }

    for (size_t k = 0; k < n_cmds; k++) {
        if (cmds[k].created && result) {
            const json_t *u = json_object_get(
                json_array_get(result, cmds[k].created->insert_op), "uuid");
            ds_put_format(&cmds[k].output, "%s\n",
                          json_string_value(json_array_get(u, 1)));
        } else if (cmds[k].created) {
            char uuid[UUID_LEN + 1];
            uuid_format(&cmds[k].created->uuid, uuid);
            ds_put_format(&cmds[k].output, "%s\n", uuid);
        }
    }
    if (select_idx >= 0) {
        next_cfg = ovs_int_column(json_array_get(result, select_idx),
                                  "next_cfg");
    }
    if (next_cfg >= 0) {
        wait_for_reload(client, o.db, next_cfg);
    }

    int status = 0;
    bool printed_records = false;
    for (size_t k = 0; k < n_cmds; k++) {
        print_output(&cmds[k], o.oneline, &printed_records);
        if (cmds[k].exit_status) {
            status = cmds[k].exit_status;
        }
        ds_destroy(&cmds[k].output);
        free(cmds[k].options);
    }
    json_decref(result);
    json_decref(ops);
    free(cmds);
    vsctl_db_destroy(&db);
    jsonrpc_client_close(client);
    free(o.db);
    return status;
}
