/* xvsdb-server: serves an OVSDB database over JSON-RPC (RFC 7047), as
 * ovsdb-server does for Open vSwitch.
 *
 * One process, one event loop: every client connection is a session with
 * its monitors; every "transact" runs to completion (or parks, for a
 * blocking "wait") before the next message.
 *
 * Group commit: a committed transaction is appended to the log (storage.h)
 * and applied in memory at once, but every session's output is held until
 * the next turn of the event loop has made the log durable with one
 * fdatasync() for all the transactions that came in meanwhile.  So no
 * client hears of a transaction - its reply, a monitor update, a read that
 * saw it - before it is on disk.
 *
 * Besides the database from the file it serves the read-only "_Server"
 * database that Open vSwitch's own clients look at first.  Sessions take
 * named locks (lock.h) that "assert" checks. */
#include <config.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "coverage.h"
#include "daemon.h"
#include "evloop.h"
#include "history.h"
#include "jsonrpc.h"
#include "list.h"
#include "lock.h"
#include "memory.h"
#include "monitor.h"
#include "remote.h"
#include "ovsdb-error.h"
#include "storage.h"
#include "stream-ssl.h"
#include "txn.h"
#include "unixctl.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(xvsdb_server);
COVERAGE_DEFINE(ovsdb_txn_committed);
COVERAGE_DEFINE(ovsdb_txn_blocked);
COVERAGE_DEFINE(ovsdb_txn_failed);
COVERAGE_DEFINE(ovsdb_log_sync);
COVERAGE_DEFINE(ovsdb_monitor_since_found);
COVERAGE_DEFINE(ovsdb_probe_disconnect);

/* The "_Server" database as Open vSwitch defines it (the columns its
 * clients read). */
static const char server_schema_text[] =
    "{\"name\": \"_Server\", \"version\": \"1.2.0\", \"tables\": {"
    " \"Database\": {\"isRoot\": true, \"columns\": {"
    "  \"name\": {\"type\": \"string\"},"
    "  \"model\": {\"type\": {\"key\": {\"type\": \"string\", \"enum\":"
    "     [\"set\", [\"standalone\", \"clustered\", \"relay\"]]}}},"
    "  \"connected\": {\"type\": \"boolean\"},"
    "  \"leader\": {\"type\": \"boolean\"},"
    "  \"schema\": {\"type\": {\"key\": \"string\", \"min\": 0, \"max\": 1}},"
    "  \"cid\": {\"type\": {\"key\": \"uuid\", \"min\": 0, \"max\": 1}},"
    "  \"sid\": {\"type\": {\"key\": \"uuid\", \"min\": 0, \"max\": 1}},"
    "  \"index\": {\"type\": {\"key\": \"integer\", \"min\": 0, \"max\": 1}}"
    "}}}}";

struct served_db {
    struct db *db;
    char *path;                 /* NULL for the in-memory _Server. */
    struct storage *storage;    /* NULL for the in-memory _Server. */
    struct history *history;    /* NULL for the in-memory _Server. */
};

static const char zero_txn_id[] = "00000000-0000-0000-0000-000000000000";

/* Id of the last transaction committed to 'sdb'. */
static const char *
last_txn_id(const struct served_db *sdb)
{
    return sdb->history ? history_last_id(sdb->history) : zero_txn_id;
}

static struct served_db dbs[2];
static size_t n_dbs;

struct session {
    struct xvs_list node;       /* In 'sessions'. */
    struct jsonrpc_conn *conn;
    void *conn_aux;             /* The connection's aux before the session
                                 * (its remote_info, for reconnects). */
    struct xvs_list monitors;   /* session_monitor. */
    /* Inactivity probes: after 'probe_ms' without a message an "echo" is
     * sent, and if another 'probe_ms' passes without one the session is
     * dropped.  0: never. */
    int probe_ms;
    long long last_rx;          /* When the last message came. */
    long long echo_sent;        /* When the probe went, or 0. */
};

/* Which monitor request made a monitor, and so its notification style. */
enum monitor_method {
    MON_PLAIN,          /* "monitor": "update" with old/new. */
    MON_COND,           /* "monitor_cond": "update2". */
    MON_COND_SINCE,     /* "monitor_cond_since": "update3". */
};

/* The last transactions, for "monitor_cond_since" (history.h). */
#define HISTORY_MAX_TXNS 100
#define HISTORY_MAX_ROWS 10000

/* Group commit: the timer that syncs the log on the loop's next turn, set
 * while transactions wait for it (and every session's output is held). */
static struct event *sync_timer;

/* --remote options, including the "db:" ones (remote.h). */
static struct remote_set *remotes_set;
#define PROBE_CHECK_MS 250

struct session_monitor {
    struct xvs_list node;
    json_t *id;
    char *shape;                /* Method and requests as text: monitors of
                                 * the same shape get the same updates.
                                 * NULL once its conditions changed. */
    const struct served_db *sdb;
    struct monitor *monitor;
    enum monitor_method method;
};

/* A transaction waiting for a "wait" to hold. */
struct pending {
    struct xvs_list node;       /* In 'pendings'. */
    struct session *session;
    struct served_db *sdb;
    json_t *id;
    json_t *ops;
    long long start;
    struct event *timer;
};

static struct xvs_list sessions = XVS_LIST_INITIALIZER(&sessions);
static struct xvs_list pendings = XVS_LIST_INITIALIZER(&pendings);

static void retry_pending(void);
static void send_update(struct session *, const struct session_monitor *,
                        json_t *update);

static struct served_db *
find_db(const json_t *name)
{
    const char *s = json_string_value(name);
    for (size_t i = 0; s && i < n_dbs; i++) {
        if (!strcmp(dbs[i].db->schema->name, s)) {
            return &dbs[i];
        }
    }
    return NULL;
}

static void
send_error(struct session *s, const json_t *id, json_t *error)
{
    jsonrpc_conn_send(s->conn, jsonrpc_error_reply(error, id));
}

static void
send_unknown_db(struct session *s, const json_t *id, const json_t *name)
{
    const char *n = json_string_value(name);
    send_error(s, id, ovsdb_error("unknown database", "request specifies "
                                  "unknown database %s", n ? n : "(none)"));
}

/* An update computed and serialized once for every monitor of one shape
 * (100 ovn-controllers or ovs-vsctls watching the same columns). */
struct shared_update {
    struct hmap_node node;
    const char *shape;
    char *text;                 /* NULL: nothing for this shape. */
};

static void send_update_text(struct session *,
                             const struct session_monitor *,
                             const char *update);

/* Sends every monitor the updates for a committed transaction on 'sdb'. */
static void
notify_monitors(const struct served_db *sdb, const struct txn *txn)
{
    size_t n;
    const struct txn_change *changes = txn_changes(txn, &n);
    if (!n) {
        return;
    }
    struct hmap shared;
    hmap_init(&shared);
    struct session *s;
    XVS_LIST_FOR_EACH (s, node, &sessions) {
        struct session_monitor *sm;
        XVS_LIST_FOR_EACH (sm, node, &s->monitors) {
            if (sm->sdb != sdb) {
                continue;
            }
            struct shared_update *su = NULL;
            uint32_t hash = sm->shape ? hash_string(sm->shape, 0) : 0;
            if (sm->shape) {
                HMAP_FOR_EACH_WITH_HASH (su, node, hash, &shared) {
                    if (!strcmp(su->shape, sm->shape)) {
                        break;
                    }
                }
            }
            char *own = NULL;
            if (!su) {
                json_t *update = monitor_update(sm->monitor, changes, n);
                own = update ? json_dumps(update, JSON_COMPACT) : NULL;
                json_decref(update);
                if (sm->shape) {
                    su = xmalloc(sizeof *su);
                    su->shape = sm->shape;
                    su->text = own;
                    own = NULL;
                    hmap_insert(&shared, &su->node, hash);
                }
            }
            const char *text = su ? su->text : own;
            if (text) {
                send_update_text(s, sm, text);
            }
            free(own);
        }
    }
    struct shared_update *su, *next;
    HMAP_FOR_EACH_SAFE (su, next, node, &shared) {
        hmap_remove(&shared, &su->node);
        free(su->text);
        free(su);
    }
    hmap_destroy(&shared);
}

/* Fills 'out' with the n_dbs served databases. */
static void
served_dbs(struct db *out[ARRAY_SIZE(dbs)])
{
    for (size_t i = 0; i < n_dbs; i++) {
        out[i] = dbs[i].db;
    }
}

/* --private-key, --certificate and --ca-cert: file names, or
 * "db:DB,TABLE,COLUMN" for the names the database holds (as Debian's
 * init scripts pass them: db:Open_vSwitch,SSL,private_key...). */
static struct {
    const char *key, *cert, *ca;
    bool bootstrap;
} ssl_opts;

/* Points TLS at the files the options name now.  At start-up a bad file
 * is fatal; later it is logged (once per change) and the old keys stay. */
static void
configure_ssl(bool fatal)
{
    if (!ssl_opts.key) {
        return;
    }
    struct db *all_dbs[ARRAY_SIZE(dbs)];
    served_dbs(all_dbs);
    char *key = remote_db_string(ssl_opts.key, all_dbs, n_dbs);
    char *cert = remote_db_string(ssl_opts.cert, all_dbs, n_dbs);
    char *ca = remote_db_string(ssl_opts.ca, all_dbs, n_dbs);
    char *error = (key && cert && ca
                   ? stream_ssl_configure(key, cert, ca, ssl_opts.bootstrap)
                   : stream_ssl_configure(NULL, NULL, NULL, false));
    static char *last_error;
    if (error && fatal) {
        xvs_fatal(0, "%s", error);
    } else if (error && (!last_error || strcmp(error, last_error))) {
        VLOG_WARN("%s", error);
    }
    free(last_error);
    last_error = error;
    free(key);
    free(cert);
    free(ca);
}

/* Opens and closes the remotes the database names, and follows the TLS
 * files it names. */
static void
refresh_remotes(void)
{
    if (remotes_set) {
        struct db *all_dbs[ARRAY_SIZE(dbs)];
        served_dbs(all_dbs);
        configure_ssl(false);
        remote_set_refresh(remotes_set, all_dbs, n_dbs);
    }
}

static void
hold_all_output(bool hold)
{
    struct session *s;
    XVS_LIST_FOR_EACH (s, node, &sessions) {
        jsonrpc_conn_hold_output(s->conn, hold);
    }
}

static void
compact_db(struct served_db *sdb, struct ds *reply)
{
    uint64_t before = storage_size(sdb->storage);
    char *error = storage_compact(sdb->storage, sdb->db);
    if (error) {
        VLOG_ERR("compaction failed: %s", error);
        if (reply) {
            ds_put_cstr(reply, error);
        }
        free(error);
    } else {
        VLOG_INFO("%s: compacted from %"PRIu64" to %"PRIu64" bytes",
                  sdb->path, before, storage_size(sdb->storage));
    }
}

/* Makes every transaction appended so far durable, then lets their
 * replies and notifications go. */
static void
sync_now(void)
{
    if (sync_timer) {
        event_free(sync_timer);
        sync_timer = NULL;
    }
    for (size_t i = 0; i < n_dbs; i++) {
        struct served_db *sdb = &dbs[i];
        if (!sdb->storage) {
            continue;
        }
        char *error = storage_sync(sdb->storage);
        if (error) {
            /* Memory is ahead of the disk and nobody has heard of those
             * transactions: exit, so that a restart serves the disk. */
            VLOG_EMER("%s: cannot make committed transactions durable; "
                      "exiting without acknowledging them", error);
            exit(1);
        }
        COVERAGE_INC(ovsdb_log_sync);
        if (storage_wants_compaction(sdb->storage)) {
            compact_db(sdb, NULL);
        }
    }
    hold_all_output(false);
}

static void
sync_timer_cb(void *aux XVS_UNUSED)
{
    sync_now();
}

static void
schedule_sync(void)
{
    if (!sync_timer) {
        hold_all_output(true);
        sync_timer = evloop_timer(0, false, sync_timer_cb, NULL);
    }
}

static bool
run_transaction(struct session *session, struct served_db *sdb,
                const json_t *id, const json_t *ops, long long start,
                long long *retry_ms)
{
    struct txn *txn = txn_create(sdb->db);
    txn_set_session(txn, session);
    enum txn_status status = txn_run(txn, ops, time_msec() - start, retry_ms);
    if (status == TXN_BLOCKED) {
        COVERAGE_INC(ovsdb_txn_blocked);
        txn_destroy(txn);
        return true;
    }

    bool committed = false;
    char *error = NULL;
    if (status == TXN_PREPARED) {
        /* In the log before anyone hears about it; if it cannot be
         * written, the transaction fails and memory matches the disk. */
        char txn_id[UUID_LEN + 1];
        size_t n_changes;
        txn_changes(txn, &n_changes);
        if (!n_changes) {
            /* Nothing to save. */
        } else if (!sdb->storage) {
            error = xstrdup("the _Server database is read-only");
        } else {
            struct uuid uuid;
            uuid_generate(&uuid);
            uuid_format(&uuid, txn_id);
            error = storage_write_txn(sdb->storage, txn, txn_id);
        }
        if (error) {
            if (sdb->storage) {
                VLOG_ERR("%s", error);
            }
            COVERAGE_INC(ovsdb_txn_failed);
            txn_abort(txn);
        } else {
            COVERAGE_INC(ovsdb_txn_committed);
            txn_commit(txn);
            if (n_changes) {
                size_t n;
                const struct txn_change *changes = txn_changes(txn, &n);
                history_add(sdb->history, txn_id, changes, n);
                schedule_sync();
                refresh_remotes();
            }
            notify_monitors(sdb, txn);
            committed = n_changes > 0;
        }
    } else {
        COVERAGE_INC(ovsdb_txn_failed);
    }
    json_t *result = txn_get_result(txn);
    if (error) {
        json_array_append_new(result, ovsdb_error(sdb->storage ? "I/O error"
                                                  : "not allowed", "%s",
                                                  error));
        free(error);
    }
    if (session) {
        jsonrpc_conn_send(session->conn, jsonrpc_reply(result, id));
    } else {
        json_decref(result);
    }
    txn_destroy(txn);
    if (committed) {
        retry_pending();
    }
    return false;
}

/* "memory/show": client sessions and the monitors they hold. */
static void
server_report_memory(struct memory_usage *u, void *aux XVS_UNUSED)
{
    const struct session *s;
    size_t n_monitors = 0;

    XVS_LIST_FOR_EACH (s, node, &sessions) {
        n_monitors += xvs_list_size(&s->monitors);
    }
    memory_add(u, "sessions", xvs_list_size(&sessions));
    memory_add(u, "monitors", n_monitors);
}

static void
pending_destroy(struct pending *p)
{
    xvs_list_remove(&p->node);
    if (p->timer) {
        event_free(p->timer);
    }
    json_decref(p->id);
    json_decref(p->ops);
    free(p);
}

static void pending_timer_cb(void *p_);

static void
pending_set_timer(struct pending *p, long long retry_ms)
{
    if (p->timer) {
        event_free(p->timer);
        p->timer = NULL;
    }
    if (retry_ms >= 0) {
        p->timer = evloop_timer(retry_ms > INT_MAX ? INT_MAX : retry_ms,
                                false, pending_timer_cb, p);
    }
}

/* Re-runs one pending transaction; returns true if it finished. */
static bool
pending_run(struct pending *p)
{
    long long retry_ms;
    /* Take it off the list first: running it may commit and retry the
     * others. */
    xvs_list_remove(&p->node);
    xvs_list_init(&p->node);
    if (run_transaction(p->session, p->sdb, p->id, p->ops, p->start,
                        &retry_ms)) {
        xvs_list_push_back(&pendings, &p->node);
        pending_set_timer(p, retry_ms);
        return false;
    }
    pending_destroy(p);
    return true;
}

static void
pending_timer_cb(void *p_)
{
    pending_run(p_);
}

static void
retry_pending(void)
{
    static bool running;
    static bool again;
    if (running) {
        again = true;
        return;
    }
    running = true;
    do {
        again = false;
        struct xvs_list todo = XVS_LIST_INITIALIZER(&todo);
        while (!xvs_list_is_empty(&pendings)) {
            xvs_list_push_back(&todo, xvs_list_pop_front(&pendings));
        }
        while (!xvs_list_is_empty(&todo)) {
            struct pending *p = CONTAINER_OF(todo.next, struct pending, node);
            xvs_list_remove(&p->node);
            xvs_list_push_back(&pendings, &p->node);
            pending_run(p);
        }
    } while (again);
    running = false;
}

static void
handle_transact(struct session *s, const json_t *id, const json_t *params)
{
    struct served_db *sdb = find_db(json_array_get(params, 0));
    if (!json_is_array(params) || !sdb) {
        send_unknown_db(s, id, json_array_get(params, 0));
        return;
    }
    json_t *ops = json_array();
    for (size_t i = 1; i < json_array_size(params); i++) {
        json_array_append(ops, json_array_get(params, i));
    }
    long long retry_ms;
    long long start = time_msec();
    if (run_transaction(s, sdb, id, ops, start, &retry_ms)) {
        struct pending *p = xzalloc(sizeof *p);
        p->session = s;
        p->sdb = sdb;
        p->id = json_deep_copy(id);
        p->ops = ops;
        p->start = start;
        xvs_list_push_back(&pendings, &p->node);
        pending_set_timer(p, retry_ms);
        return;
    }
    json_decref(ops);
}

static struct session_monitor *
find_monitor(struct session *s, const json_t *id)
{
    struct session_monitor *sm;
    XVS_LIST_FOR_EACH (sm, node, &s->monitors) {
        if (json_equal(sm->id, (json_t *) id)) {
            return sm;
        }
    }
    return NULL;
}

static void
handle_monitor(struct session *s, const json_t *id, const json_t *params,
               enum monitor_method method)
{
    struct served_db *sdb = find_db(json_array_get(params, 0));
    const json_t *mon_id = json_array_get(params, 1);
    if (!sdb) {
        send_unknown_db(s, id, json_array_get(params, 0));
        return;
    }
    if (json_array_size(params) != (method == MON_COND_SINCE ? 4 : 3)) {
        send_error(s, id, ovsdb_error("syntax error", "monitor needs "
                                      "[db, id, requests]"));
        return;
    }
    if (find_monitor(s, mon_id)) {
        send_error(s, id, json_string("duplicate monitor ID"));
        return;
    }
    struct monitor *m;
    json_t *initial;
    json_t *error = monitor_create(sdb->db, json_array_get(params, 2),
                                   method != MON_PLAIN, &m, &initial);
    if (error) {
        send_error(s, id, error);
        return;
    }
    struct session_monitor *sm = xzalloc(sizeof *sm);
    sm->id = json_deep_copy(mon_id);
    sm->sdb = sdb;
    sm->monitor = m;
    sm->method = method;
    char *requests = json_dumps(json_array_get(params, 2),
                                JSON_COMPACT | JSON_SORT_KEYS);
    sm->shape = xasprintf("%d %s", method, requests);
    free(requests);
    xvs_list_push_back(&s->monitors, &sm->node);
    if (method == MON_COND_SINCE) {
        /* Only what changed since the client's last transaction, if the
         * history still has it. */
        const char *since = json_string_value(json_array_get(params, 3));
        struct txn_change *changes;
        size_t n;
        bool found = (since && sdb->history
                      && history_changes_since(sdb->history, since,
                                               &changes, &n));
        if (found) {
            json_decref(initial);
            initial = n ? monitor_update(m, changes, n) : NULL;
            free(changes);
            COVERAGE_INC(ovsdb_monitor_since_found);
        }
        initial = json_pack("[b,s,o]", found, last_txn_id(sdb),
                            initial ? initial : json_object());
    }
    jsonrpc_conn_send(s->conn, jsonrpc_reply(initial, id));
}

static void
session_monitor_destroy(struct session_monitor *sm)
{
    xvs_list_remove(&sm->node);
    monitor_destroy(sm->monitor);
    json_decref(sm->id);
    free(sm->shape);
    free(sm);
}

static void
handle_monitor_cancel(struct session *s, const json_t *id,
                      const json_t *params)
{
    struct session_monitor *sm = find_monitor(s, json_array_get(params, 0));
    if (!sm) {
        send_error(s, id, json_string("unknown monitor"));
        return;
    }
    session_monitor_destroy(sm);
    jsonrpc_conn_send(s->conn, jsonrpc_reply(json_object(), id));
}

/* Sends 'update' (JSON text) as 'sm''s notification.  The envelope is
 * spliced around the text, so a shared update is never serialized again. */
static void
send_update_text(struct session *s, const struct session_monitor *sm,
                 const char *update)
{
    static const char *const names[] = {
        [MON_PLAIN] = "update",
        [MON_COND] = "update2",
        [MON_COND_SINCE] = "update3",
    };
    char *id = json_dumps(sm->id, JSON_COMPACT | JSON_ENCODE_ANY);
    struct ds msg = DS_EMPTY_INITIALIZER;
    ds_put_format(&msg, "{\"id\":null,\"method\":\"%s\",\"params\":[%s,",
                  names[sm->method], id);
    if (sm->method == MON_COND_SINCE) {
        ds_put_format(&msg, "\"%s\",", last_txn_id(sm->sdb));
    }
    ds_put_cstr(&msg, update);
    ds_put_cstr(&msg, "]}");
    jsonrpc_conn_send_text(s->conn, msg.string, msg.length);
    ds_destroy(&msg);
    free(id);
}

static void
send_update(struct session *s, const struct session_monitor *sm,
            json_t *update)
{
    char *text = json_dumps(update, JSON_COMPACT);
    send_update_text(s, sm, text);
    free(text);
    json_decref(update);
}

static void
handle_monitor_cond_change(struct session *s, const json_t *id,
                           const json_t *params)
{
    struct session_monitor *sm = find_monitor(s, json_array_get(params, 0));
    const json_t *new_id = json_array_get(params, 1);
    if (!sm) {
        send_error(s, id, json_string("unknown monitor"));
        return;
    }
    if (json_array_size(params) != 3
        || (!json_equal(sm->id, (json_t *) new_id)
            && find_monitor(s, new_id))) {
        send_error(s, id, ovsdb_error("syntax error", "monitor_cond_change "
                                      "needs [id, new id, requests] with an "
                                      "unused new id"));
        return;
    }
    json_t *update;
    json_t *error = monitor_change_condition(sm->monitor, sm->sdb->db,
                                             json_array_get(params, 2),
                                             &update);
    if (error) {
        send_error(s, id, error);
        return;
    }
    json_decref(sm->id);
    sm->id = json_deep_copy(new_id);
    free(sm->shape);
    sm->shape = NULL;
    if (update) {
        send_update(s, sm, update);
    }
    jsonrpc_conn_send(s->conn, jsonrpc_reply(json_object(), id));
}

/* ---- Locks (lock.h). ---- */

static void
send_lock_notification(struct session *s, const char *method,
                       const char *name)
{
    json_t *params = json_array();
    json_array_append_new(params, json_string(name));
    jsonrpc_conn_send(s->conn, jsonrpc_notify(method, params));
}

static void
lock_granted(const char *name, void *session, void *aux XVS_UNUSED)
{
    send_lock_notification(session, "locked", name);
}

/* "lock", "steal" and "unlock": params [<id>].  As ovsdb-server, a
 * session must "unlock" a lock before it asks for it again. */
static void
handle_lock(struct session *s, const json_t *id, const json_t *params,
            const char *method)
{
    const char *name = json_string_value(json_array_get(params, 0));

    if (json_array_size(params) != 1 || !lock_name_is_valid(name)) {
        send_error(s, id, ovsdb_error("syntax error", "%s request params "
                                      "must be <id>", method));
        return;
    }
    if (!strcmp(method, "unlock")) {
        void *new_owner;
        if (!lock_release(name, s, &new_owner)) {
            send_error(s, id, ovsdb_error("syntax error", "\"unlock\" "
                                          "without \"lock\" or \"steal\""));
            return;
        }
        jsonrpc_conn_send(s->conn, jsonrpc_reply(json_object(), id));
        if (new_owner) {
            lock_granted(name, new_owner, NULL);
        }
        return;
    }

    bool owner;
    void *victim;
    if (!lock_acquire(name, s, !strcmp(method, "steal"), &owner, &victim)) {
        send_error(s, id, ovsdb_error("syntax error", "must issue \"unlock\" "
                                      "before new \"%s\"", method));
        return;
    }
    json_t *result = json_object();
    json_object_set_new(result, "locked", json_boolean(owner));
    jsonrpc_conn_send(s->conn, jsonrpc_reply(result, id));
    if (victim) {
        send_lock_notification(victim, "stolen", name);
    }
}

static void
handle_cancel(struct session *s, const json_t *id)
{
    struct pending *p;
    XVS_LIST_FOR_EACH (p, node, &pendings) {
        if (p->session == s && id && json_equal(p->id, (json_t *) id)) {
            send_error(s, p->id, json_string("canceled"));
            pending_destroy(p);
            return;
        }
    }
}

static void
session_on_message(struct jsonrpc_conn *conn XVS_UNUSED, json_t *msg,
                   void *s_)
{
    struct session *s = s_;
    const char *method = json_string_value(json_object_get(msg, "method"));
    const json_t *params = json_object_get(msg, "params");
    const json_t *id = json_object_get(msg, "id");

    s->last_rx = time_msec();
    s->echo_sent = 0;
    if (!method) {
        /* A reply (to an inactivity probe) or junk: ignore. */
        return;
    }
    if (!id || json_is_null(id)) {
        /* Notifications need no answer; "cancel" (RFC 7047 4.1.4) aborts
         * a transaction still waiting on a "wait". */
        if (!strcmp(method, "cancel")) {
            handle_cancel(s, json_array_get(params, 0));
        }
        return;
    }
    if (!strcmp(method, "list_dbs")) {
        json_t *names = json_array();
        for (size_t i = 0; i < n_dbs; i++) {
            json_array_append_new(names,
                                  json_string(dbs[i].db->schema->name));
        }
        jsonrpc_conn_send(s->conn, jsonrpc_reply(names, id));
    } else if (!strcmp(method, "get_schema")) {
        struct served_db *sdb = find_db(json_array_get(params, 0));
        if (!sdb) {
            send_unknown_db(s, id, json_array_get(params, 0));
        } else {
            jsonrpc_conn_send(s->conn, jsonrpc_reply(
                json_deep_copy(sdb->db->schema->json), id));
        }
    } else if (!strcmp(method, "transact")) {
        handle_transact(s, id, params);
    } else if (!strcmp(method, "monitor")) {
        handle_monitor(s, id, params, MON_PLAIN);
    } else if (!strcmp(method, "monitor_cond")) {
        handle_monitor(s, id, params, MON_COND);
    } else if (!strcmp(method, "monitor_cond_since")) {
        handle_monitor(s, id, params, MON_COND_SINCE);
    } else if (!strcmp(method, "monitor_cond_change")) {
        handle_monitor_cond_change(s, id, params);
    } else if (!strcmp(method, "monitor_cancel")) {
        handle_monitor_cancel(s, id, params);
    } else if (!strcmp(method, "lock") || !strcmp(method, "steal")
               || !strcmp(method, "unlock")) {
        handle_lock(s, id, params, method);
    } else if (!strcmp(method, "set_db_change_aware")) {
        jsonrpc_conn_send(s->conn, jsonrpc_reply(json_object(), id));
    } else {
        send_error(s, id, json_string("unknown method"));
    }
}

static void
session_on_connect(struct jsonrpc_conn *conn, void *aux)
{
    const struct remote_info *info = aux;
    struct session *s = xzalloc(sizeof *s);
    s->conn = conn;
    s->conn_aux = aux;
    s->probe_ms = info ? info->probe_ms : 0;
    s->last_rx = time_msec();
    jsonrpc_conn_hold_output(conn, sync_timer != NULL);
    xvs_list_init(&s->monitors);
    xvs_list_push_back(&sessions, &s->node);
    jsonrpc_conn_set_aux(conn, s);
}

static void
session_destroy(struct session *s)
{
    struct session_monitor *sm, *next_sm;
    XVS_LIST_FOR_EACH_SAFE (sm, next_sm, node, &s->monitors) {
        session_monitor_destroy(sm);
    }
    struct pending *p, *next_p;
    XVS_LIST_FOR_EACH_SAFE (p, next_p, node, &pendings) {
        if (p->session == s) {
            pending_destroy(p);
        }
    }
    lock_release_all(s, lock_granted, NULL);
    jsonrpc_conn_set_aux(s->conn, s->conn_aux);
    xvs_list_remove(&s->node);
    free(s);
}

static void
session_on_close(struct jsonrpc_conn *conn XVS_UNUSED, void *s_)
{
    if (s_) {
        session_destroy(s_);
    }
}

/* A remote is going: its outgoing connection's session goes with it, and
 * sessions it accepted forget it. */
static void
session_forget_remote(const struct remote_info *info,
                      struct jsonrpc_conn *conn)
{
    struct session *s, *next;
    XVS_LIST_FOR_EACH_SAFE (s, next, node, &sessions) {
        if (conn && s->conn == conn) {
            session_destroy(s);
        } else if (s->conn_aux == info) {
            s->conn_aux = NULL;
        }
    }
}

static size_t
remote_n_sessions(const struct remote_info *info)
{
    size_t n = 0;
    const struct session *s;
    XVS_LIST_FOR_EACH (s, node, &sessions) {
        n += s->conn_aux == info;
    }
    return n;
}

/* Writes the Manager rows' is_connected and status when they change. */
static void
update_remote_status(void)
{
    json_t *ops = remote_set_status_ops(remotes_set, remote_n_sessions);
    if (json_array_size(ops) && n_dbs) {
        long long retry;
        run_transaction(NULL, &dbs[0], NULL, ops, time_msec(), &retry);
    }
    json_decref(ops);
}

/* Inactivity probes, checked a few times a second. */
static void
probe_sessions(void *aux XVS_UNUSED)
{
    update_remote_status();
    long long now = time_msec();
    struct session *s, *next;
    XVS_LIST_FOR_EACH_SAFE (s, next, node, &sessions) {
        if (s->probe_ms <= 0 || now - s->last_rx < s->probe_ms) {
            continue;
        }
        if (!s->echo_sent) {
            json_t *id = json_string("echo");
            jsonrpc_conn_send(s->conn, jsonrpc_request("echo", json_array(),
                                                       &id));
            json_decref(id);
            s->echo_sent = now;
        } else if (now - s->echo_sent >= s->probe_ms) {
            VLOG_INFO("%s: no response to inactivity probe after %.3g "
                      "seconds, disconnecting",
                      jsonrpc_conn_name(s->conn),
                      (now - s->last_rx) / 1000.0);
            COVERAGE_INC(ovsdb_probe_disconnect);
            jsonrpc_conn_drop(s->conn);
        }
    }
}

static const struct jsonrpc_conn_class session_class = {
    .on_message = session_on_message,
    .on_connect = session_on_connect,
    .on_close = session_on_close,
};

static void
setup_server_db(void)
{
    json_error_t jerr;
    json_t *json = json_loads(server_schema_text, 0, &jerr);
    struct db_schema *schema;
    json_t *error = schema_from_json(json, &schema);
    json_decref(json);
    if (error) {
        xvs_fatal(0, "internal _Server schema is invalid");
    }
    struct served_db *sdb = &dbs[n_dbs++];
    sdb->db = db_create(schema);

    const struct db_schema *main_schema = dbs[0].db->schema;
    char *text = json_dumps(main_schema->json, JSON_COMPACT);
    json_t *ops = json_pack("[{s:s, s:s, s:{s:s, s:s, s:b, s:b, s:s}}]",
                            "op", "insert", "table", "Database", "row",
                            "name", main_schema->name, "model", "standalone",
                            "connected", 1, "leader", 1, "schema", text);
    free(text);
    struct txn *txn = txn_create(sdb->db);
    long long retry;
    if (txn_run(txn, ops, 0, &retry) != TXN_PREPARED) {
        xvs_fatal(0, "cannot populate _Server database");
    }
    txn_commit(txn);
    txn_destroy(txn);
    json_decref(ops);
}

static void
replay_into_history(const char *txn_id, const struct txn_change *changes,
                    size_t n, void *history)
{
    history_add(history, txn_id, changes, n);
}

/* "ovsdb-server/compact [DB]", as ovsdb-server names it. */
static void
server_compact(struct unixctl_conn *conn, int argc, const char *argv[],
               void *aux XVS_UNUSED)
{
    struct ds reply = DS_EMPTY_INITIALIZER;
    bool found = false;
    sync_now();
    for (size_t i = 0; i < n_dbs; i++) {
        struct served_db *sdb = &dbs[i];
        if (sdb->storage
            && (argc < 2 || !strcmp(argv[1], sdb->db->schema->name))) {
            found = true;
            compact_db(sdb, &reply);
        }
    }
    if (!found) {
        unixctl_command_reply_error(conn, "no database by that name");
    } else if (reply.length) {
        unixctl_command_reply_error(conn, ds_cstr(&reply));
    } else {
        unixctl_command_reply(conn, NULL);
    }
    ds_destroy(&reply);
}

static void
usage(void)
{
    printf("%s: OVSDB server for xvswitch\n"
           "usage: %s [DATABASE] [OPTIONS]\n"
           "DATABASE defaults to $XVS_DBDIR/conf.db.\n"
           "  --remote=REMOTE   listen on REMOTE "
           "(punix:PATH, ptcp:PORT[:IP], pssl:PORT[:IP],\n"
           "                    unix:PATH, tcp:IP:PORT, db:DB,TABLE,COLUMN)\n"
           "  -p, --private-key=FILE    TLS: this server's private key\n"
           "  -c, --certificate=FILE    TLS: its certificate\n"
           "  -C, --ca-cert=FILE        TLS: the CA clients' certificates "
           "chain to\n"
           "  --bootstrap-ca-cert=FILE  TLS: the same, fetched from the "
           "first client\n"
           "  --ssl-protocols=PROTOS, --ssl-ciphers=CIPHERS\n"
           "  --compaction-size=BYTES  compact the log once it is larger "
           "than BYTES\n"
           "                    and four times its snapshot (default 10 MiB)\n"
           "  -h, --help        show this help\n"
           "  -V, --version     show version\n",
           program_name, program_name);
    daemon_usage();
    exit(0);
}

int
main(int argc, char *argv[])
{
    enum {
        OPT_REMOTE = 0x2000, OPT_COMPACTION_SIZE, OPT_BOOTSTRAP_CA_CERT,
        OPT_SSL_PROTOCOLS, OPT_SSL_CIPHERS,
    };
    static const struct option long_options[] = {
        {"remote", required_argument, NULL, OPT_REMOTE},
        {"compaction-size", required_argument, NULL, OPT_COMPACTION_SIZE},
        {"private-key", required_argument, NULL, 'p'},
        {"certificate", required_argument, NULL, 'c'},
        {"ca-cert", required_argument, NULL, 'C'},
        {"bootstrap-ca-cert", required_argument, NULL, OPT_BOOTSTRAP_CA_CERT},
        {"ssl-protocols", required_argument, NULL, OPT_SSL_PROTOCOLS},
        {"ssl-ciphers", required_argument, NULL, OPT_SSL_CIPHERS},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        DAEMON_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    char **remotes = xcalloc(argc + 1, sizeof *remotes);
    size_t n_remotes = 0;
    uint64_t compaction_size = 10 * 1024 * 1024;

    xvs_set_program_name(argv[0]);
    for (;;) {
        int c = getopt_long(argc, argv, "hVp:c:C:" DAEMON_SHORT_OPTIONS,
                            long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case OPT_REMOTE:
            remotes[n_remotes++] = optarg;
            break;
        case 'p':
            ssl_opts.key = optarg;
            break;
        case 'c':
            ssl_opts.cert = optarg;
            break;
        case 'C':
        case OPT_BOOTSTRAP_CA_CERT:
            ssl_opts.ca = optarg;
            ssl_opts.bootstrap = c == OPT_BOOTSTRAP_CA_CERT;
            break;
        case OPT_SSL_PROTOCOLS:
        case OPT_SSL_CIPHERS: {
            char *error = (c == OPT_SSL_PROTOCOLS
                           ? stream_ssl_set_protocols(optarg)
                           : stream_ssl_set_ciphers(optarg));
            if (error) {
                xvs_fatal(0, "%s", error);
            }
            break;
        }
        case OPT_COMPACTION_SIZE: {
            char *end;
            errno = 0;
            compaction_size = strtoull(optarg, &end, 10);
            if (errno || end == optarg || *end || optarg[0] == '-') {
                xvs_fatal(0, "--compaction-size: \"%s\" is not a number of "
                          "bytes", optarg);
            }
            break;
        }
        case 'h':
            usage();
            break;
        case 'V':
            printf("%s (xvswitch) %s\n", program_name, XVS_VERSION);
            return 0;
        default:
            if (!daemon_handle_option(c, optarg)) {
                fprintf(stderr, "Try `%s --help' for more information.\n",
                        program_name);
                return 1;
            }
        }
    }
    if (argc - optind > 1) {
        xvs_fatal(0, "at most one database file may be given "
                  "(use --help for help)");
    }
    if ((ssl_opts.key || ssl_opts.cert || ssl_opts.ca)
        && !(ssl_opts.key && ssl_opts.cert && ssl_opts.ca)) {
        xvs_fatal(0, "TLS needs --private-key, --certificate and "
                  "--ca-cert (or --bootstrap-ca-cert)");
    }

    char *file = (optind < argc
                  ? xstrdup(argv[optind])
                  : xasprintf("%s/conf.db", xvs_dbdir()));
    /* An absolute path, since --detach changes directory. */
    char *abs = realpath(file, NULL);
    if (!abs) {
        xvs_fatal(0, "%s: cannot open database (%s)", file, strerror(errno));
    }
    free(file);

    /* A full file system or a file size limit must fail the write that
     * meets it (and so the transaction), not kill the server. */
    signal(SIGXFSZ, SIG_IGN);
    /* One descriptor per client: thousands of them must fit. */
    struct rlimit rl;
    if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    struct db *db;
    struct storage *storage;
    char *warning;
    /* The history starts with the transactions in the log, so that a
     * client that saw one of them gets only what came after it. */
    struct history *history = history_create(zero_txn_id, HISTORY_MAX_TXNS,
                                             HISTORY_MAX_ROWS);
    char *error = storage_open(abs, replay_into_history, history, &db,
                               &storage, &warning);
    if (error) {
        xvs_fatal(0, "%s", error);
    }
    if (warning) {
        VLOG_WARN("%s", warning);
        free(warning);
    }
    storage_set_compaction_size(storage, compaction_size);
    dbs[n_dbs].db = db;
    dbs[n_dbs].storage = storage;
    if (strcmp(history_last_id(history), storage_last_txn_id(storage))) {
        /* No transaction after the snapshot: the database is at the
         * snapshot's. */
        history_set_base(history, storage_last_txn_id(storage));
    }
    dbs[n_dbs].history = history;
    dbs[n_dbs++].path = abs;
    setup_server_db();

    configure_ssl(true);
    daemonize_start();
    remotes_set = remote_set_create(&session_class, session_forget_remote);
    struct db *all_dbs[ARRAY_SIZE(dbs)];
    served_dbs(all_dbs);
    for (size_t i = 0; i < n_remotes; i++) {
        char *msg = remote_set_add(remotes_set, remotes[i], all_dbs, n_dbs);
        if (msg) {
            xvs_fatal(0, "%s", msg);
        }
    }
    refresh_remotes();
    struct event *probe_timer = evloop_timer(PROBE_CHECK_MS, true,
                                             probe_sessions, NULL);
    daemon_start_control();
    unixctl_command_register("ovsdb-server/compact", "[DB]", 0, 1,
                             server_compact, NULL);
    coverage_init();
    memory_init();
    memory_register(server_report_memory, NULL);
    daemonize_complete();
    VLOG_INFO("serving %s", abs);

    evloop_run();
    sync_now();
    event_free(probe_timer);
    remote_set_destroy(remotes_set);

    daemon_exit_cleanup();
    for (size_t i = 0; i < n_dbs; i++) {
        storage_close(dbs[i].storage);
        history_destroy(dbs[i].history);
        db_destroy(dbs[i].db);
        free(dbs[i].path);
    }
    free(remotes);
    return 0;
}
