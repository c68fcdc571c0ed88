#include <config.h>
#include "idl.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "coverage.h"
#include "evloop.h"
#include "jsonrpc.h"
#include "list.h"
#include "memory.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(idl);
COVERAGE_DEFINE(txn_incomplete);
COVERAGE_DEFINE(txn_success);
COVERAGE_DEFINE(txn_error);
COVERAGE_DEFINE(txn_try_again);
COVERAGE_DEFINE(idl_update);
COVERAGE_DEFINE(idl_resync_full);
COVERAGE_DEFINE(idl_resync_changes);

struct idl_table {
    char *name;
    char **columns;             /* NULL-terminated, or NULL for all. */
    struct hmap rows;           /* idl_row. */
};

struct idl_pending_txn {
    struct xvs_list node;
    json_t *id;
    idl_txn_cb *cb;
    void *aux;
};

struct idl {
    char *server;
    char *db;
    idl_change_cb *change_cb;
    void *aux;

    struct idl_table *tables;
    size_t n_tables;

    struct jsonrpc_conn *conn;
    json_t *schema;
    json_t *schema_req;         /* Id of the outstanding get_schema. */
    json_t *monitor_req;        /* Id of the outstanding monitor. */
    bool plain_monitor;         /* The server lacks monitor_cond_since. */
    char last_id[UUID_LEN + 1]; /* Of the last transaction seen. */
    unsigned int seqno;
    bool synced;
    struct xvs_list txns;       /* idl_pending_txn. */
    char *memory_key;           /* "idl-cells-DB", for memory/show. */
};

static const char monitor_id[] = "idl";
static const char zero_id[] = "00000000-0000-0000-0000-000000000000";

struct idl *
idl_create(const char *server, const char *db, idl_change_cb *cb, void *aux)
{
    struct idl *idl = xzalloc(sizeof *idl);
    idl->server = xstrdup(server);
    idl->db = xstrdup(db);
    idl->change_cb = cb;
    idl->aux = aux;
    xvs_list_init(&idl->txns);
    snprintf(idl->last_id, sizeof idl->last_id, "%s", zero_id);
    return idl;
}

void
idl_add_table(struct idl *idl, const char *table, const char *const columns[])
{
    idl->tables = xrealloc(idl->tables,
                           (idl->n_tables + 1) * sizeof *idl->tables);
    struct idl_table *t = &idl->tables[idl->n_tables++];
    t->name = xstrdup(table);
    t->columns = NULL;
    if (columns) {
        size_t n = 0;
        while (columns[n]) {
            n++;
        }
        t->columns = xcalloc(n + 1, sizeof *t->columns);
        for (size_t i = 0; i < n; i++) {
            t->columns[i] = xstrdup(columns[i]);
        }
    }
    hmap_init(&t->rows);
}

static struct idl_table *
find_table(const struct idl *idl, const char *name)
{
    for (size_t i = 0; i < idl->n_tables; i++) {
        if (!strcmp(idl->tables[i].name, name)) {
            return &idl->tables[i];
        }
    }
    return NULL;
}

static struct idl_row *
find_row(const struct idl_table *t, const struct uuid *uuid)
{
    struct idl_row *row;
    HMAP_FOR_EACH_WITH_HASH (row, node, uuid_hash(uuid), &t->rows) {
        if (uuid_equals(&row->uuid, uuid)) {
            return row;
        }
    }
    return NULL;
}

static void
clear_rows(struct idl *idl)
{
    for (size_t i = 0; i < idl->n_tables; i++) {
        struct idl_row *row, *next;
        HMAP_FOR_EACH_SAFE (row, next, node, &idl->tables[i].rows) {
            hmap_remove(&idl->tables[i].rows, &row->node);
            json_decref(row->columns);
            free(row);
        }
    }
}

static void
fail_txns(struct idl *idl, const char *error)
{
    while (!xvs_list_is_empty(&idl->txns)) {
        struct idl_pending_txn *p = CONTAINER_OF(
            xvs_list_pop_front(&idl->txns), struct idl_pending_txn, node);
        COVERAGE_INC(txn_try_again);
        p->cb(NULL, error, p->aux);
        json_decref(p->id);
        free(p);
    }
}

/* Applies one row of an "update" ({"old", "new"}; or of the initial
 * contents). */
static void
apply_row_update(struct idl_table *t, const struct uuid *uuid,
                 const json_t *ru)
{
    json_t *new = json_object_get(ru, "new");
    struct idl_row *row = find_row(t, uuid);
    if (new && row) {
        json_object_update(row->columns, new);
    } else if (new) {
        row = xzalloc(sizeof *row);
        row->uuid = *uuid;
        row->columns = json_deep_copy(new);
        hmap_insert(&t->rows, &row->node, uuid_hash(uuid));
    } else if (row) {
        hmap_remove(&t->rows, &row->node);
        json_decref(row->columns);
        free(row);
    }
}

enum column_kind { COL_SCALAR, COL_SET, COL_MAP };

/* What kind of datum the schema says 'column' of 'table' holds. */
static enum column_kind
column_kind(const struct idl *idl, const char *table, const char *column)
{
    const json_t *type = json_object_get(
        json_object_get(json_object_get(json_object_get(
            json_object_get(idl->schema, "tables"), table), "columns"),
            column), "type");
    if (!json_is_object(type)) {
        return COL_SCALAR;
    }
    /* At most one element: the diff is the new value, as for a scalar. */
    const json_t *max = json_object_get(type, "max");
    if (!max || (json_is_integer(max) && json_integer_value(max) == 1)) {
        return COL_SCALAR;
    }
    return json_object_get(type, "value") ? COL_MAP : COL_SET;
}

/* The elements of a set or the pairs of a map datum (a new reference to
 * an array); a bare atom is a one-element set. */
static json_t *
datum_elements(const json_t *datum, const char *kind)
{
    if (json_is_array(datum) && json_array_size(datum) == 2
        && json_is_string(json_array_get(datum, 0))
        && !strcmp(json_string_value(json_array_get(datum, 0)), kind)) {
        return json_deep_copy(json_array_get(datum, 1));
    }
    json_t *elements = json_array();
    if (datum && !json_is_null(datum)) {
        json_array_append_new(elements, json_deep_copy(datum));
    }
    return elements;
}

/* Applies an update2 "modify" diff to one column: the new value for a
 * scalar; for a set, each element toggles; for a map, a new key is added,
 * a key with the same value removed, a key with another value changed. */
static json_t *
apply_diff(enum column_kind kind, const json_t *old, const json_t *diff)
{
    if (kind == COL_SCALAR) {
        return json_deep_copy(diff);
    }
    bool is_map = kind == COL_MAP;
    json_t *cur = datum_elements(old, is_map ? "map" : "set");
    json_t *changes = datum_elements(diff, is_map ? "map" : "set");
    size_t i;
    json_t *d;
    json_array_foreach (changes, i, d) {
        const json_t *key = is_map ? json_array_get(d, 0) : d;
        size_t j;
        json_t *c;
        bool found = false;
        json_array_foreach (cur, j, c) {
            if (json_equal(is_map ? json_array_get(c, 0) : c,
                           (json_t *) key)) {
                found = true;
                if (is_map && !json_equal(json_array_get(c, 1),
                                          json_array_get(d, 1))) {
                    json_array_set(c, 1, json_array_get(d, 1));
                } else {
                    json_array_remove(cur, j);
                }
                break;
            }
        }
        if (!found) {
            json_array_append(cur, d);
        }
    }
    json_decref(changes);
    return json_pack("[s,o]", is_map ? "map" : "set", cur);
}

/* Applies one row of an "update2" (monitor_cond_since's reply and update3
 * notifications): "initial", "insert", "modify" (a diff) or "delete". */
static void
apply_row_update2(struct idl *idl, struct idl_table *t,
                  const struct uuid *uuid, const json_t *ru)
{
    struct idl_row *row = find_row(t, uuid);
    const json_t *cols = json_object_get(ru, "initial");
    if (!cols) {
        cols = json_object_get(ru, "insert");
    }
    const json_t *diff = json_object_get(ru, "modify");
    if (cols) {
        if (!row) {
            row = xzalloc(sizeof *row);
            row->uuid = *uuid;
            hmap_insert(&t->rows, &row->node, uuid_hash(uuid));
        } else {
            json_decref(row->columns);
        }
        row->columns = json_deep_copy(cols);
    } else if (diff && row) {
        const char *column;
        json_t *value;
        json_object_foreach ((json_t *) diff, column, value) {
            json_object_set_new(
                row->columns, column,
                apply_diff(column_kind(idl, t->name, column),
                           json_object_get(row->columns, column), value));
        }
    } else if (json_object_get(ru, "delete") && row) {
        hmap_remove(&t->rows, &row->node);
        json_decref(row->columns);
        free(row);
    }
}

/* Applies an "update" (or, with 'update2', an "update2") object to the
 * registered tables. */
static void
apply_update(struct idl *idl, const json_t *update, bool update2)
{
    const char *tname;
    json_t *rows;
    json_object_foreach ((json_t *) update, tname, rows) {
        struct idl_table *t = find_table(idl, tname);
        const char *uuid_s;
        json_t *ru;
        if (!t) {
            continue;
        }
        json_object_foreach (rows, uuid_s, ru) {
            struct uuid uuid;
            if (!uuid_from_string(&uuid, uuid_s)) {
                VLOG_WARN("%s: bad row UUID %s in update", idl->server,
                          uuid_s);
            } else if (update2) {
                apply_row_update2(idl, t, &uuid, ru);
            } else {
                apply_row_update(t, &uuid, ru);
            }
        }
    }
}

static void
changed(struct idl *idl)
{
    COVERAGE_INC(idl_update);
    idl->seqno++;
    if (idl->change_cb) {
        idl->change_cb(idl, idl->aux);
    }
}

static bool
schema_has_column(const json_t *table_schema, const char *column)
{
    return (!strcmp(column, "_uuid") || !strcmp(column, "_version")
            || json_object_get(json_object_get(table_schema, "columns"),
                               column));
}

static void
send_monitor(struct idl *idl)
{
    json_t *requests = json_object();
    const json_t *tables = json_object_get(idl->schema, "tables");
    for (size_t i = 0; i < idl->n_tables; i++) {
        const struct idl_table *t = &idl->tables[i];
        const json_t *ts = json_object_get(tables, t->name);
        if (!ts) {
            VLOG_WARN("%s: database %s has no table %s", idl->server,
                      idl->db, t->name);
            continue;
        }
        json_t *req = json_object();
        if (t->columns) {
            json_t *cols = json_array();
            for (char **c = t->columns; *c; c++) {
                if (schema_has_column(ts, *c)) {
                    json_array_append_new(cols, json_string(*c));
                } else {
                    VLOG_WARN("%s: table %s has no column %s", idl->server,
                              t->name, *c);
                }
            }
            json_object_set_new(req, "columns", cols);
        }
        json_object_set_new(requests, t->name, req);
    }
    json_decref(idl->monitor_req);
    idl->monitor_req = NULL;
    /* monitor_cond_since with the last transaction seen, so that after a
     * reconnect the server sends only what changed meanwhile. */
    json_t *params = (idl->plain_monitor
                      ? json_pack("[s,s,o]", idl->db, monitor_id, requests)
                      : json_pack("[s,s,o,s]", idl->db, monitor_id,
                                  requests, idl->last_id));
    jsonrpc_conn_send(idl->conn, jsonrpc_request(
        idl->plain_monitor ? "monitor" : "monitor_cond_since", params,
        &idl->monitor_req));
}

static bool
take_reply(json_t **req_id, const json_t *id)
{
    if (*req_id && json_equal(*req_id, (json_t *) id)) {
        json_decref(*req_id);
        *req_id = NULL;
        return true;
    }
    return false;
}

/* A transaction succeeded if no operation's result holds an error. */
static bool
txn_succeeded(const json_t *result)
{
    for (size_t i = 0; i < json_array_size(result); i++) {
        if (json_object_get(json_array_get(result, i), "error")) {
            return false;
        }
    }
    return true;
}

static void
handle_reply(struct idl *idl, const json_t *msg)
{
    const json_t *id = json_object_get(msg, "id");
    const json_t *result = json_object_get(msg, "result");
    const json_t *error = json_object_get(msg, "error");
    bool failed = error && !json_is_null(error);

    if (take_reply(&idl->schema_req, id)) {
        if (failed || !json_is_object(result)) {
            VLOG_WARN("%s: get_schema %s failed", idl->server, idl->db);
            return;
        }
        json_decref(idl->schema);
        idl->schema = json_incref((json_t *) result);
        send_monitor(idl);
    } else if (take_reply(&idl->monitor_req, id)) {
        if (!idl->plain_monitor && failed) {
            VLOG_INFO("%s: no monitor_cond_since, using monitor",
                      idl->server);
            idl->plain_monitor = true;
            send_monitor(idl);
            return;
        }
        if (idl->plain_monitor) {
            if (failed || !json_is_object(result)) {
                VLOG_WARN("%s: monitor %s failed", idl->server, idl->db);
                return;
            }
            clear_rows(idl);
            apply_update(idl, result, false);
            COVERAGE_INC(idl_resync_full);
        } else {
            const json_t *found = json_array_get(result, 0);
            const char *last_id = json_string_value(json_array_get(result,
                                                                   1));
            const json_t *updates = json_array_get(result, 2);
            if (failed || !json_is_boolean(found) || !last_id
                || !json_is_object(updates)) {
                VLOG_WARN("%s: monitor_cond_since %s failed", idl->server,
                          idl->db);
                return;
            }
            if (json_is_true(found)) {
                COVERAGE_INC(idl_resync_changes);
            } else {
                clear_rows(idl);
                COVERAGE_INC(idl_resync_full);
            }
            apply_update(idl, updates, true);
            snprintf(idl->last_id, sizeof idl->last_id, "%s", last_id);
        }
        idl->synced = true;
        changed(idl);
    } else {
        struct idl_pending_txn *p;
        XVS_LIST_FOR_EACH (p, node, &idl->txns) {
            if (json_equal(p->id, (json_t *) id)) {
                xvs_list_remove(&p->node);
                if (failed || !txn_succeeded(result)) {
                    COVERAGE_INC(txn_error);
                } else {
                    COVERAGE_INC(txn_success);
                }
                if (failed) {
                    char *s = json_dumps(error,
                                         JSON_COMPACT | JSON_ENCODE_ANY);
                    p->cb(NULL, s ? s : "error", p->aux);
                    free(s);
                } else {
                    p->cb(result, NULL, p->aux);
                }
                json_decref(p->id);
                free(p);
                return;
            }
        }
    }
}

static void
idl_on_message(struct jsonrpc_conn *conn XVS_UNUSED, json_t *msg, void *idl_)
{
    struct idl *idl = idl_;
    const char *method = json_string_value(json_object_get(msg, "method"));
    if (!method) {
        handle_reply(idl, msg);
        return;
    }
    const json_t *params = json_object_get(msg, "params");
    const char *mon = json_string_value(json_array_get(params, 0));
    if (!mon || strcmp(mon, monitor_id) || !idl->synced) {
        return;
    }
    if (!strcmp(method, "update") && json_array_size(params) == 2) {
        apply_update(idl, json_array_get(params, 1), false);
        changed(idl);
    } else if (!strcmp(method, "update3") && json_array_size(params) == 3
               && json_is_string(json_array_get(params, 1))) {
        apply_update(idl, json_array_get(params, 2), true);
        snprintf(idl->last_id, sizeof idl->last_id, "%s",
                 json_string_value(json_array_get(params, 1)));
        changed(idl);
    }
}

static void
idl_on_connect(struct jsonrpc_conn *conn, void *idl_)
{
    struct idl *idl = idl_;
    json_decref(idl->schema_req);
    json_decref(idl->monitor_req);
    idl->schema_req = idl->monitor_req = NULL;
    jsonrpc_conn_send(conn, jsonrpc_request(
        "get_schema", json_pack("[s]", idl->db), &idl->schema_req));
}

static void
idl_on_close(struct jsonrpc_conn *conn XVS_UNUSED, void *idl_)
{
    struct idl *idl = idl_;
    /* Keep the rows: the daemon goes on with the last configuration it
     * saw until the resync replaces them. */
    idl->synced = false;
    json_decref(idl->schema_req);
    json_decref(idl->monitor_req);
    idl->schema_req = idl->monitor_req = NULL;
    fail_txns(idl, "connection closed");
}

static const struct jsonrpc_conn_class idl_class = {
    .on_message = idl_on_message,
    .on_connect = idl_on_connect,
    .on_close = idl_on_close,
};

/* "memory/show": the cells (row columns) the replica holds. */
static void
idl_report_memory(struct memory_usage *u, void *idl_)
{
    struct idl *idl = idl_;
    unsigned long long int cells = 0;

    for (size_t i = 0; i < idl->n_tables; i++) {
        const struct idl_row *row;
        HMAP_FOR_EACH (row, node, &idl->tables[i].rows) {
            cells += json_object_size(row->columns);
        }
    }
    memory_add(u, idl->memory_key, cells);
}

void
idl_start(struct idl *idl)
{
    if (!idl->conn) {
        idl->conn = jsonrpc_conn_connect(idl->server, &idl_class, idl);
    }
    if (!idl->memory_key) {
        idl->memory_key = xasprintf("idl-cells-%s", idl->db);
        memory_register(idl_report_memory, idl);
    }
}

void
idl_destroy(struct idl *idl)
{
    if (!idl) {
        return;
    }
    if (idl->memory_key) {
        memory_unregister(idl_report_memory, idl);
        free(idl->memory_key);
    }
    jsonrpc_conn_close(idl->conn);
    fail_txns(idl, "IDL destroyed");
    clear_rows(idl);
    for (size_t i = 0; i < idl->n_tables; i++) {
        struct idl_table *t = &idl->tables[i];
        for (char **c = t->columns; c && *c; c++) {
            free(*c);
        }
        free(t->columns);
        free(t->name);
        hmap_destroy(&t->rows);
    }
    free(idl->tables);
    json_decref(idl->schema);
    json_decref(idl->schema_req);
    json_decref(idl->monitor_req);
    free(idl->server);
    free(idl->db);
    free(idl);
}

unsigned int
idl_seqno(const struct idl *idl)
{
    return idl->seqno;
}

bool
idl_is_synced(const struct idl *idl)
{
    return idl->synced;
}

const json_t *
idl_schema(const struct idl *idl)
{
    return idl->schema;
}

const struct hmap *
idl_table_rows(const struct idl *idl, const char *table)
{
    const struct idl_table *t = find_table(idl, table);
    return t ? &t->rows : NULL;
}

const struct idl_row *
idl_get_row(const struct idl *idl, const char *table, const struct uuid *uuid)
{
    const struct idl_table *t = find_table(idl, table);
    return t ? find_row(t, uuid) : NULL;
}

const json_t *
idl_row_get(const struct idl_row *row, const char *column)
{
    return json_object_get(row->columns, column);
}

/* The elements array of a ["set",[...]] or ["map",[...]] datum, or NULL
 * for a bare atom. */
static const json_t *
datum_elems(const json_t *d, const char *tag)
{
    const char *t = json_string_value(json_array_get(d, 0));
    if (json_is_array(d) && json_array_size(d) == 2 && t && !strcmp(t, tag)) {
        return json_array_get(d, 1);
    }
    return NULL;
}

static const json_t *
scalar(const json_t *d)
{
    const json_t *elems = datum_elems(d, "set");
    return elems ? json_array_get(elems, 0) : d;
}

const char *
idl_datum_string(const json_t *d, const char *dflt)
{
    const char *s = json_string_value(scalar(d));
    return s ? s : dflt;
}

long long
idl_datum_integer(const json_t *d, long long dflt)
{
    const json_t *a = scalar(d);
    return json_is_integer(a) ? json_integer_value(a) : dflt;
}

bool
idl_datum_boolean(const json_t *d, bool dflt)
{
    const json_t *a = scalar(d);
    return json_is_boolean(a) ? json_is_true(a) : dflt;
}

size_t
idl_datum_count(const json_t *d)
{
    if (!d) {
        return 0;
    }
    const json_t *elems = datum_elems(d, "set");
    if (!elems) {
        elems = datum_elems(d, "map");
    }
    return elems ? json_array_size(elems) : 1;
}

const json_t *
idl_datum_at(const json_t *d, size_t i)
{
    if (!d) {
        return NULL;
    }
    const json_t *elems = datum_elems(d, "set");
    return elems ? json_array_get(elems, i) : i == 0 ? d : NULL;
}

bool
idl_datum_map_at(const json_t *d, size_t i, const json_t **key,
                 const json_t **value)
{
    const json_t *pair = json_array_get(datum_elems(d, "map"), i);
    if (!pair) {
        return false;
    }
    *key = json_array_get(pair, 0);
    *value = json_array_get(pair, 1);
    return *key && *value;
}

const json_t *
idl_datum_map_get(const json_t *d, const char *key)
{
    const json_t *k, *v;
    for (size_t i = 0; idl_datum_map_at(d, i, &k, &v); i++) {
        if (json_is_string(k) && !strcmp(json_string_value(k), key)) {
            return v;
        }
    }
    return NULL;
}

bool
idl_atom_uuid(const json_t *a, struct uuid *uuid)
{
    const char *tag = json_string_value(json_array_get(a, 0));
    const char *s = json_string_value(json_array_get(a, 1));
    return (json_is_array(a) && json_array_size(a) == 2 && tag && s
            && !strcmp(tag, "uuid") && uuid_from_string(uuid, s));
}

const char *
idl_atom_string(const json_t *a)
{
    return json_string_value(a);
}

int
idl_txn_submit(struct idl *idl, json_t *ops, idl_txn_cb *cb, void *aux)
{
    if (!idl->conn || !jsonrpc_conn_is_connected(idl->conn)) {
        json_decref(ops);
        return ENOTCONN;
    }
    json_t *params = json_pack("[s]", idl->db);
    json_array_extend(params, ops);
    json_decref(ops);

    struct idl_pending_txn *p = xzalloc(sizeof *p);
    p->cb = cb;
    p->aux = aux;
    xvs_list_push_back(&idl->txns, &p->node);
    COVERAGE_INC(txn_incomplete);
    jsonrpc_conn_send(idl->conn, jsonrpc_request("transact", params, &p->id));
    return 0;
}
