#include <config.h>
#include "remote.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "hmap.h"
#include "jsonrpc.h"
#include "stream-ssl.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(remote);

/* ovsdb-server's default inactivity probe for TCP sessions. */
#define REMOTE_DEFAULT_PROBE_MS 5000

struct remote {
    struct hmap_node node;      /* In remote_set's 'remotes', by name. */
    char *name;
    struct remote_info info;
    bool from_db;               /* Named by a "db:" spec. */
    bool wanted;                /* Still named, during a refresh. */
    struct jsonrpc_listener *listener;  /* Passive. */
    struct jsonrpc_conn *conn;          /* Active. */
    /* The row that names it, if its table has the status columns: */
    const struct table_schema *status_table;
    struct uuid row;
    json_t *status;             /* What was last written there, or NULL. */
    char *error;                /* Why it could not be opened, or NULL. */
};

/* "db:DB,TABLE,COLUMN". */
struct remote_db_spec {
    char *db, *table, *column;
};

struct remote_set {
    const struct jsonrpc_conn_class *class;
    void (*forget)(const struct remote_info *, struct jsonrpc_conn *);
    struct hmap remotes;
    struct remote_db_spec *specs;
    size_t n_specs;
};

struct remote_set *
remote_set_create(const struct jsonrpc_conn_class *class,
                  void (*forget)(const struct remote_info *,
                                 struct jsonrpc_conn *))
{
    struct remote_set *rs = xzalloc(sizeof *rs);
    rs->class = class;
    rs->forget = forget;
    hmap_init(&rs->remotes);
    return rs;
}

static bool
starts_with(const char *s, const char *prefix)
{
    return !strncmp(s, prefix, strlen(prefix));
}

static int
default_probe_ms(const char *name)
{
    return (starts_with(name, "unix:") || starts_with(name, "punix:")
            ? 0 : REMOTE_DEFAULT_PROBE_MS);
}

static struct remote *
remote_find(const struct remote_set *rs, const char *name)
{
    struct remote *r;
    HMAP_FOR_EACH_WITH_HASH (r, node, hash_string(name, 0), &rs->remotes) {
        if (!strcmp(r->name, name)) {
            return r;
        }
    }
    return NULL;
}

static char *
remote_open(struct remote_set *rs, struct remote *r)
{
    if (starts_with(r->name, "punix:") || starts_with(r->name, "ptcp:")
        || starts_with(r->name, "pssl:")) {
        if (starts_with(r->name, "pssl:") && stream_ssl_config_error()) {
            return xasprintf("%s: %s", r->name, stream_ssl_config_error());
        }
        char *msg = NULL;
        int error = jsonrpc_listen(r->name, rs->class, &r->info,
                                   &r->listener, &msg);
        if (error) {
            char *s = xasprintf("%s: %s", r->name,
                                msg ? msg : strerror(error));
            free(msg);
            return s;
        }
        if (!starts_with(r->name, "punix:")) {
            VLOG_INFO("%s: listening on port %d", r->name,
                      jsonrpc_listener_port(r->listener));
        } else {
            VLOG_INFO("%s: listening", r->name);
        }
    } else if (starts_with(r->name, "unix:") || starts_with(r->name, "tcp:")) {
        r->conn = jsonrpc_conn_connect(r->name, rs->class, &r->info);
        VLOG_INFO("%s: connecting", r->name);
    } else {
        return xasprintf("%s: not a remote (punix:, ptcp:, pssl:, unix:, "
                         "tcp: or db:)", r->name);
    }
    return NULL;
}

static void
remote_destroy(struct remote_set *rs, struct remote *r)
{
    hmap_remove(&rs->remotes, &r->node);
    jsonrpc_listener_close(r->listener);
    rs->forget(&r->info, r->conn);
    if (r->conn) {
        jsonrpc_conn_close(r->conn);
    }
    json_decref(r->status);
    free(r->error);
    free(r->name);
    free(r);
}

static struct remote *
remote_create(struct remote_set *rs, const char *name, bool from_db)
{
    struct remote *r = xzalloc(sizeof *r);
    r->name = xstrdup(name);
    r->from_db = from_db;
    r->info.probe_ms = default_probe_ms(name);
    hmap_insert(&rs->remotes, &r->node, hash_string(name, 0));
    return r;
}

static const struct db *
find_db(struct db *const *dbs, size_t n_dbs, const char *name)
{
    for (size_t i = 0; i < n_dbs; i++) {
        if (!strcmp(dbs[i]->schema->name, name)) {
            return dbs[i];
        }
    }
    return NULL;
}

/* Checks that 'spec' names a column of strings or of references to rows
 * with a string "target". */
static char *
check_db_spec(const struct remote_db_spec *spec, struct db *const *dbs,
              size_t n_dbs)
{
    const struct db *db = find_db(dbs, n_dbs, spec->db);
    if (!db) {
        return xasprintf("no database named %s", spec->db);
    }
    const struct table_schema *t = schema_find_table(db->schema, spec->table);
    if (!t) {
        return xasprintf("no table named %s", spec->table);
    }
    const struct column_schema *c = schema_find_column(t, spec->column);
    if (!c) {
        return xasprintf("no column named %s in table %s", spec->column,
                         spec->table);
    }
    const struct base_type *key = &c->type.key;
    if (key->type == ATOMIC_STRING && c->type.value.type == ATOMIC_VOID) {
        return NULL;
    }
    if (key->type == ATOMIC_UUID && key->ref_table) {
        const struct column_schema *target = schema_find_column(
            key->ref_table, "target");
        if (target && target->type.key.type == ATOMIC_STRING) {
            return NULL;
        }
    }
    return xasprintf("column %s of table %s holds neither strings nor "
                     "references to rows with a \"target\"", spec->column,
                     spec->table);
}

/* Parses "db:DB,TABLE,COLUMN" into 's' (free its strings). */
static bool
parse_db_spec(const char *spec, struct remote_db_spec *s)
{
    if (!starts_with(spec, "db:")) {
        return false;
    }
    char *copy = xstrdup(spec + 3);
    char *save = NULL;
    char *db = strtok_r(copy, ",", &save);
    char *table = strtok_r(NULL, ",", &save);
    char *column = strtok_r(NULL, ",", &save);
    if (column) {
        s->db = xstrdup(db);
        s->table = xstrdup(table);
        s->column = xstrdup(column);
    }
    free(copy);
    return column != NULL;
}

static void
free_db_spec(struct remote_db_spec *s)
{
    free(s->db);
    free(s->table);
    free(s->column);
}

char *
remote_db_string(const char *spec, struct db *const *dbs, size_t n_dbs)
{
    struct remote_db_spec s;
    if (!parse_db_spec(spec, &s)) {
        return xstrdup(spec);
    }
    char *value = NULL;
    const struct db *db = find_db(dbs, n_dbs, s.db);
    const struct table_schema *t = (db ? schema_find_table(db->schema,
                                                           s.table)
                                    : NULL);
    const struct column_schema *c = t ? schema_find_column(t, s.column) : NULL;
    if (c && c->type.key.type == ATOMIC_STRING
        && c->type.value.type == ATOMIC_VOID) {
        const struct db_row *row;
        HMAP_FOR_EACH (row, node, &db_table(db, t)->rows) {
            if (row->fields[c->index].n) {
                value = xstrdup(row->fields[c->index].keys[0].string);
                break;
            }
        }
    }
    free_db_spec(&s);
    return value;
}

char *
remote_set_add(struct remote_set *rs, const char *spec,
               struct db *const *dbs, size_t n_dbs)
{
    if (!starts_with(spec, "db:")) {
        if (remote_find(rs, spec)) {
            return NULL;
        }
        struct remote *r = remote_create(rs, spec, false);
        char *error = remote_open(rs, r);
        if (error) {
            remote_destroy(rs, r);
        }
        return error;
    }

    struct remote_db_spec s;
    if (!parse_db_spec(spec, &s)) {
        return xasprintf("%s: not db:DB,TABLE,COLUMN", spec);
    }
    char *error = check_db_spec(&s, dbs, n_dbs);
    if (error) {
        char *msg = xasprintf("%s: %s", spec, error);
        free(error);
        free_db_spec(&s);
        return msg;
    }
    rs->specs = xrealloc(rs->specs, (rs->n_specs + 1) * sizeof *rs->specs);
    rs->specs[rs->n_specs++] = s;
    return NULL;
}

/* Marks 'name' as named by the database (opening it if it is new).
 * Returns it, or NULL if a --remote option names it already. */
static struct remote *
want_remote(struct remote_set *rs, const char *name, int probe_ms)
{
    struct remote *r = remote_find(rs, name);
    if (r && !r->from_db) {
        return NULL;
    }
    if (!r) {
        r = remote_create(rs, name, true);
    }
    if (!r->listener && !r->conn) {
        /* New, or not opened before (TLS keys missing, a port in use):
         * tried again at each refresh, the error logged when it changes. */
        char *error = remote_open(rs, r);
        if (error && (!r->error || strcmp(error, r->error))) {
            VLOG_ERR("%s", error);
        }
        free(r->error);
        r->error = error;
    }
    r->wanted = true;
    r->info.probe_ms = probe_ms < 0 ? default_probe_ms(name) : probe_ms;
    return r;
}

/* The remotes one row's column names. */
static void
want_from_row(struct remote_set *rs, const struct db *db,
              const struct column_schema *c, const struct db_row *row)
{
    const struct datum *d = &row->fields[c->index];
    for (size_t i = 0; i < d->n; i++) {
        if (c->type.key.type == ATOMIC_STRING) {
            want_remote(rs, d->keys[i].string, -1);
            continue;
        }
        const struct table_schema *rt = c->type.key.ref_table;
        const struct db_row *ref = db_find_row(db, rt, &d->keys[i].uuid);
        const struct column_schema *target = schema_find_column(rt,
                                                                "target");
        if (!ref || ref->fields[target->index].n != 1) {
            continue;
        }
        const struct column_schema *probe = schema_find_column(
            rt, "inactivity_probe");
        int probe_ms = -1;
        if (probe && probe->type.key.type == ATOMIC_INTEGER
            && ref->fields[probe->index].n == 1) {
            long long ms = ref->fields[probe->index].keys[0].integer;
            probe_ms = ms < 0 ? 0 : ms > INT_MAX ? INT_MAX : ms;
        }
        struct remote *r = want_remote(
            rs, ref->fields[target->index].keys[0].string, probe_ms);
        const struct column_schema *is_connected = schema_find_column(
            rt, "is_connected");
        const struct column_schema *status = schema_find_column(rt,
                                                                "status");
        if (r && is_connected && status
            && is_connected->type.key.type == ATOMIC_BOOLEAN
            && column_type_is_map(&status->type)) {
            if (r->status_table != rt
                || !uuid_equals(&r->row, db_row_uuid(ref))) {
                json_decref(r->status);
                r->status = NULL;
            }
            r->status_table = rt;
            r->row = *db_row_uuid(ref);
        }
    }
}

void
remote_set_refresh(struct remote_set *rs, struct db *const *dbs,
                   size_t n_dbs)
{
    struct remote *r, *next;
    HMAP_FOR_EACH (r, node, &rs->remotes) {
        r->wanted = false;
    }
    for (size_t i = 0; i < rs->n_specs; i++) {
        const struct remote_db_spec *spec = &rs->specs[i];
        const struct db *db = find_db(dbs, n_dbs, spec->db);
        const struct table_schema *t = schema_find_table(db->schema,
                                                         spec->table);
        const struct column_schema *c = schema_find_column(t, spec->column);
        const struct db_row *row;
        HMAP_FOR_EACH (row, node, &db_table(db, t)->rows) {
            want_from_row(rs, db, c, row);
        }
    }
    HMAP_FOR_EACH_SAFE (r, next, node, &rs->remotes) {
        if (r->from_db && !r->wanted) {
            VLOG_INFO("%s: no longer a remote, closing", r->name);
            remote_destroy(rs, r);
        }
    }
}

/* What the status columns should say about 'r' now. */
static json_t *
remote_status(const struct remote *r,
              size_t (*n_sessions)(const struct remote_info *))
{
    size_t n = n_sessions(&r->info);
    json_t *pairs = json_array();
    if (r->conn) {
        json_array_append_new(pairs, json_pack(
            "[s,s]", "state", n ? "ACTIVE" : "BACKOFF"));
    } else if (r->listener && !starts_with(r->name, "punix:")) {
        char port[16];
        snprintf(port, sizeof port, "%d", jsonrpc_listener_port(r->listener));
        json_array_append_new(pairs, json_pack("[s,s]", "bound_port", port));
    }
    return json_pack("{s:b,s:[s,o]}", "is_connected", n > 0, "status",
                     "map", pairs);
}

json_t *
remote_set_status_ops(struct remote_set *rs,
                      size_t (*n_sessions)(const struct remote_info *))
{
    json_t *ops = json_array();
    struct remote *r;
    HMAP_FOR_EACH (r, node, &rs->remotes) {
        if (!r->from_db || !r->status_table) {
            continue;
        }
        json_t *row = remote_status(r, n_sessions);
        if (r->status && json_equal(r->status, row)) {
            json_decref(row);
            continue;
        }
        json_decref(r->status);
        r->status = json_incref(row);
        char uuid[UUID_LEN + 1];
        uuid_format(&r->row, uuid);
        json_array_append_new(ops, json_pack(
            "{s:s,s:s,s:[[s,s,[s,s]]],s:o}", "op", "update",
            "table", r->status_table->name, "where", "_uuid", "==", "uuid",
            uuid, "row", row));
    }
    return ops;
}

void
remote_set_destroy(struct remote_set *rs)
{
    if (rs) {
        struct remote *r, *next;
        HMAP_FOR_EACH_SAFE (r, next, node, &rs->remotes) {
            remote_destroy(rs, r);
        }
        hmap_destroy(&rs->remotes);
        for (size_t i = 0; i < rs->n_specs; i++) {
            free_db_spec(&rs->specs[i]);
        }
        free(rs->specs);
        free(rs);
    }
}
