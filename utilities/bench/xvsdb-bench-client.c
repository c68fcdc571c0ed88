/* xvsdb-bench-client: the load that utilities/xvsdb-bench puts on an
 * OVSDB server (xvsdb-server or Open vSwitch's ovsdb-server), over the
 * JSON-RPC protocol alone, so that both servers get the same requests.
 *
 * It works on the benchmark schema of xvsdb-bench (database "Bench",
 * root table "T" with integer columns "k" and "n" and string "v").
 *
 *   txn REMOTE CLIENTS SECONDS
 *       CLIENTS connections (one thread each) commit small durable
 *       transactions back to back, each on its own row, for SECONDS;
 *       prints "txn/s: N".
 *   fanout REMOTE MONITORS UPDATES
 *       MONITORS connections monitor table T; one more commits UPDATES
 *       durable transactions, one at a time, each once every monitor has
 *       seen the one before; prints the median and the 99th percentile of
 *       the time from sending a transaction to the last monitor receiving
 *       its update, and the median per monitor.
 *   make-log FILE MEGABYTES
 *       Writes an xvsdb database file of about MEGABYTES: transactions of
 *       1 KiB rows (inserts, then updates), for timing start-up replay.
 *
 * Every transaction carries {"op": "commit", "durable": true}: ovsdb-server
 * then syncs before it replies, as xvsdb-server always does. */
#include <config.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <jansson.h>
#include "db.h"
#include "jsonrpc.h"
#include "storage.h"
#include "txn.h"
#include "util.h"

#define BENCH_TIMEOUT_MS 30000

static const char bench_schema[] =
    "{\"name\": \"Bench\", \"version\": \"1.0.0\", \"tables\": {"
    " \"T\": {\"isRoot\": true, \"columns\": {"
    "  \"k\": {\"type\": \"integer\"},"
    "  \"n\": {\"type\": \"integer\"},"
    "  \"v\": {\"type\": \"string\"}}}}}";

static double
now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct jsonrpc_client *
bench_connect(const char *remote)
{
    struct jsonrpc_client *c;
    int error = jsonrpc_client_open(remote, &c);
    if (error) {
        xvs_fatal(error, "%s: cannot connect", remote);
    }
    return c;
}

/* Runs the operations in 'ops' (stolen) plus a durable commit; exits on
 * any error. */
static void
bench_transact(struct jsonrpc_client *c, json_t *ops)
{
    json_t *params = json_pack("[s]", "Bench");
    json_array_extend(params, ops);
    json_decref(ops);
    json_array_append_new(params, json_pack("{s:s, s:b}", "op", "commit",
                                            "durable", 1));
    json_t *reply;
    int error = jsonrpc_client_transact(c, jsonrpc_request("transact",
                                                           params, NULL),
                                        BENCH_TIMEOUT_MS, &reply);
    if (error) {
        xvs_fatal(error, "transact failed");
    }
    json_t *result = json_object_get(reply, "result");
    if (!json_is_array(result)) {
        xvs_fatal(0, "transact: no result");
    }
    size_t i;
    json_t *r;
    json_array_foreach (result, i, r) {
        if (json_object_get(r, "error")) {
            xvs_fatal(0, "transaction failed: %s",
                      json_dumps(r, JSON_COMPACT));
        }
    }
    json_decref(reply);
}

static json_t *
op_update_n(long long k, long long n)
{
    return json_pack("[{s:s, s:s, s:[[s,s,I]], s:{s:I}}]", "op", "update",
                     "table", "T", "where", "k", "==", (json_int_t) k,
                     "row", "n", (json_int_t) n);
}

/* Makes sure rows k = 0 .. n-1 exist. */
static void
ensure_rows(const char *remote, int n)
{
    struct jsonrpc_client *c = bench_connect(remote);
    json_t *ops = json_array();
    json_array_append_new(ops, json_pack("{s:s, s:s, s:[]}", "op", "delete",
                                         "table", "T", "where"));
    for (int k = 0; k < n; k++) {
        json_array_append_new(ops, json_pack("{s:s, s:s, s:{s:i}}", "op",
                                             "insert", "table", "T", "row",
                                             "k", k));
    }
    bench_transact(c, ops);
    jsonrpc_client_close(c);
}

struct txn_worker {
    pthread_t thread;
    const char *remote;
    int k;
    double deadline;
    long long count;
};

static void *
txn_worker_main(void *w_)
{
    struct txn_worker *w = w_;
    struct jsonrpc_client *c = bench_connect(w->remote);
    while (now_sec() < w->deadline) {
        bench_transact(c, op_update_n(w->k, ++w->count));
    }
    jsonrpc_client_close(c);
    return NULL;
}

static void
run_txn(const char *remote, int clients, double seconds)
{
    ensure_rows(remote, clients);
    struct txn_worker *w = xcalloc(clients, sizeof *w);
    double start = now_sec();
    for (int i = 0; i < clients; i++) {
        w[i].remote = remote;
        w[i].k = i;
        w[i].deadline = start + seconds;
        pthread_create(&w[i].thread, NULL, txn_worker_main, &w[i]);
    }
    long long total = 0;
    for (int i = 0; i < clients; i++) {
        pthread_join(w[i].thread, NULL);
        total += w[i].count;
    }
    double elapsed = now_sec() - start;
    printf("txn/s: %.0f\n", total / elapsed);
    free(w);
}

/* Fan-out: the writer stamps each update's send time; each monitor
 * records when it saw it. */
struct fanout {
    const char *remote;
    int updates;
    double *sent;               /* Per update (by 'n'). */
    double *seen;               /* Per monitor and update. */
    int monitors;
    atomic_int ready;
    atomic_int *done;           /* Per update: monitors that saw it. */
};

struct fanout_monitor {
    pthread_t thread;
    struct fanout *f;
    int index;
};

/* The "n" of the row in an "update" notification, or -1. */
static long long
update_n(const json_t *msg)
{
    const json_t *params = json_object_get(msg, "params");
    const json_t *rows = json_object_get(json_array_get(params, 1), "T");
    const char *uuid;
    const json_t *row;
    json_object_foreach ((json_t *) rows, uuid, row) {
        const json_t *n = json_object_get(json_object_get(row, "new"), "n");
        if (json_is_integer(n)) {
            return json_integer_value(n);
        }
    }
    return -1;
}

static void *
fanout_monitor_main(void *m_)
{
    struct fanout_monitor *m = m_;
    struct fanout *f = m->f;
    struct jsonrpc_client *c = bench_connect(f->remote);
    json_t *params = json_pack("[s, n, {s:{s:[s]}}]", "Bench", "T",
                               "columns", "n");
    json_t *reply;
    if (jsonrpc_client_transact(c, jsonrpc_request("monitor", params, NULL),
                                BENCH_TIMEOUT_MS, &reply)) {
        xvs_fatal(0, "monitor failed");
    }
    json_decref(reply);
    atomic_fetch_add(&f->ready, 1);

    for (int got = 0; got < f->updates;) {
        json_t *msg;
        int error = jsonrpc_client_recv(c, BENCH_TIMEOUT_MS, &msg);
        if (error) {
            xvs_fatal(error, "monitor %d: no update", m->index);
        }
        const char *method = json_string_value(json_object_get(msg,
                                                               "method"));
        if (method && !strcmp(method, "echo")) {
            jsonrpc_client_send(c, jsonrpc_reply(
                                    json_incref(json_object_get(msg,
                                                                "params")),
                                    json_object_get(msg, "id")));
        } else if (method && !strcmp(method, "update")) {
            long long n = update_n(msg);
            if (n >= 1 && n <= f->updates) {
                f->seen[m->index * (f->updates + 1) + n] = now_sec();
                atomic_fetch_add(&f->done[n], 1);
                got++;
            }
        }
        json_decref(msg);
    }
    jsonrpc_client_close(c);
    return NULL;
}

static int
compare_double(const void *a_, const void *b_)
{
    double a = *(const double *) a_, b = *(const double *) b_;
    return a < b ? -1 : a > b;
}

static void
run_fanout(const char *remote, int monitors, int updates)
{
    ensure_rows(remote, 1);
    struct fanout f = {
        .remote = remote,
        .updates = updates,
        .monitors = monitors,
        .sent = xcalloc(updates + 1, sizeof(double)),
        .seen = xcalloc((size_t) monitors * (updates + 1), sizeof(double)),
        .done = xcalloc(updates + 1, sizeof(atomic_int)),
    };
    atomic_init(&f.ready, 0);
    struct fanout_monitor *m = xcalloc(monitors, sizeof *m);
    for (int i = 0; i < monitors; i++) {
        m[i].f = &f;
        m[i].index = i;
        pthread_create(&m[i].thread, NULL, fanout_monitor_main, &m[i]);
    }
    while (atomic_load(&f.ready) < monitors) {
        nanosleep(&(struct timespec) { 0, 1000000 }, NULL);
    }

    struct jsonrpc_client *c = bench_connect(remote);
    for (int n = 1; n <= updates; n++) {
        f.sent[n] = now_sec();
        bench_transact(c, op_update_n(0, n));
        double give_up = now_sec() + BENCH_TIMEOUT_MS / 1000.0;
        while (atomic_load(&f.done[n]) < monitors) {
            if (now_sec() > give_up) {
                xvs_fatal(0, "update %d reached only %d of %d monitors", n,
                          atomic_load(&f.done[n]), monitors);
            }
            nanosleep(&(struct timespec) { 0, 20000 }, NULL);
        }
    }
    jsonrpc_client_close(c);
    for (int i = 0; i < monitors; i++) {
        pthread_join(m[i].thread, NULL);
    }

    double *last = xcalloc(updates, sizeof *last);
    double *each = xcalloc((size_t) monitors * updates, sizeof *each);
    size_t n_each = 0;
    for (int n = 1; n <= updates; n++) {
        for (int i = 0; i < monitors; i++) {
            double lat = f.seen[i * (updates + 1) + n] - f.sent[n];
            each[n_each++] = lat;
            if (lat > last[n - 1]) {
                last[n - 1] = lat;
            }
        }
    }
    qsort(last, updates, sizeof *last, compare_double);
    qsort(each, n_each, sizeof *each, compare_double);
    printf("last monitor median ms: %.3f\n", last[updates / 2] * 1e3);
    printf("last monitor p99 ms: %.3f\n", last[updates * 99 / 100] * 1e3);
    printf("each monitor median ms: %.3f\n", each[n_each / 2] * 1e3);
    free(last);
    free(each);
    free(m);
    free(f.sent);
    free(f.seen);
    free(f.done);
}

/* Writes the log through the storage module, as the server would. */
static void
run_make_log(const char *file, long long megabytes)
{
    json_t *schema = json_loads(bench_schema, 0, NULL);
    char *error = storage_create(file, schema);
    json_decref(schema);
    struct db *db;
    struct storage *storage;
    char *warning = NULL;
    if (!error) {
        error = storage_open(file, NULL, NULL, &db, &storage, &warning);
    }
    if (error) {
        xvs_fatal(0, "%s", error);
    }
    free(warning);
    storage_set_compaction_size(storage, UINT64_MAX);

    char value[1025];
    const long long rows = 100000;
    char (*uuids)[UUID_LEN + 1] = xcalloc(rows, sizeof *uuids);
    unsigned long long target = megabytes * 1024 * 1024;
    for (long long i = 0; storage_size(storage) < target; i++) {
        memset(value, 'a' + i % 26, sizeof value - 1);
        value[sizeof value - 1] = '\0';
        /* Updates name the row by _uuid, which the engine looks up
         * directly rather than scanning the table. */
        json_t *op = (i < rows
                      ? json_pack("{s:s, s:s, s:{s:I, s:s}}", "op", "insert",
                                  "table", "T", "row", "k", (json_int_t) i,
                                  "v", value)
                      : json_pack("{s:s, s:s, s:[[s,s,[s,s]]], s:{s:I, s:s}}",
                                  "op", "update", "table", "T", "where",
                                  "_uuid", "==", "uuid", uuids[i % rows],
                                  "row", "n", (json_int_t) i, "v", value));
        json_t *ops = json_pack("[o]", op);
        struct txn *txn = txn_create(db);
        long long retry;
        if (txn_run(txn, ops, 0, &retry) != TXN_PREPARED) {
            xvs_fatal(0, "transaction %lld failed", i);
        }
        if (i < rows) {
            json_t *result = txn_get_result(txn);
            const char *uuid = json_string_value(json_array_get(
                json_object_get(json_array_get(result, 0), "uuid"), 1));
            snprintf(uuids[i], sizeof uuids[i], "%s", uuid ? uuid : "");
            json_decref(result);
        }
        char txn_id[UUID_LEN + 1];
        struct uuid uuid;
        uuid_generate(&uuid);
        uuid_format(&uuid, txn_id);
        error = storage_write_txn(storage, txn, txn_id);
        if (error) {
            xvs_fatal(0, "%s", error);
        }
        txn_commit(txn);
        txn_destroy(txn);
        json_decref(ops);
    }
    free(uuids);
    error = storage_sync(storage);
    if (error) {
        xvs_fatal(0, "%s", error);
    }
    printf("log bytes: %"PRIu64"\n", storage_size(storage));
    storage_close(storage);
    db_destroy(db);
}

static long long
arg_number(const char *s, const char *what)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < 1) {
        xvs_fatal(0, "%s: \"%s\" is not a positive number", what, s);
    }
    return v;
}

int
main(int argc, char *argv[])
{
    xvs_set_program_name(argv[0]);
    /* One descriptor per connection. */
    struct rlimit rl;
    if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    if (argc == 5 && !strcmp(argv[1], "txn")) {
        run_txn(argv[2], arg_number(argv[3], "CLIENTS"),
                arg_number(argv[4], "SECONDS"));
    } else if (argc == 5 && !strcmp(argv[1], "fanout")) {
        run_fanout(argv[2], arg_number(argv[3], "MONITORS"),
                   arg_number(argv[4], "UPDATES"));
    } else if (argc == 4 && !strcmp(argv[1], "make-log")) {
        run_make_log(argv[2], arg_number(argv[3], "MEGABYTES"));
    } else if (argc == 2 && !strcmp(argv[1], "schema")) {
        puts(bench_schema);
    } else {
        xvs_fatal(0, "usage: %s txn REMOTE CLIENTS SECONDS | fanout REMOTE "
                  "MONITORS UPDATES | make-log FILE MEGABYTES | schema",
                  program_name);
    }
    return 0;
}
