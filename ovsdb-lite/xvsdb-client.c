/* xvsdb-client: a command-line client for xvsdb-server (or any OVSDB
 * server), after ovsdb-client: list databases and tables, fetch the
 * schema, run a raw transaction, dump tables readably, and watch a table
 * with "monitor", take a lock with "lock" or "steal".  Every wait is
 * bounded by --timeout so scripts and tests cannot hang. */
#include <config.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "daemon.h"
#include "datum.h"
#include "jsonrpc.h"
#include "ovsdb-error.h"
#include "schema.h"
#include "util.h"

static int timeout_sec;         /* 0: wait forever. */
static long long deadline;      /* time_msec() limit, or 0. */
static long long max_updates = -1;

/* monitor --format: one line per row change (the default), or the
 * "list" and "json" forms of ovsdb-client. */
enum monitor_format { FORMAT_LINES, FORMAT_LIST, FORMAT_JSON };
static enum monitor_format monitor_format = FORMAT_LINES;

static int
time_left(void)
{
    if (!deadline) {
        return -1;
    }
    long long left = deadline - time_msec();
    return left > 0 ? (int) left : 0;
}

static void
check_io(int error, const char *what)
{
    if (error == ETIMEDOUT) {
        xvs_fatal(0, "%s: timed out after %d seconds", what, timeout_sec);
    } else if (error) {
        xvs_fatal(error == -1 ? EPIPE : error, "%s failed", what);
    }
}

/* Sends 'method' with 'params' (stolen) and returns the "result", exiting
 * with the server's error if there is one. */
static json_t *
request(struct jsonrpc_client *c, const char *method, json_t *params)
{
    json_t *reply;
    check_io(jsonrpc_client_transact(c, jsonrpc_request(method, params, NULL),
                                     time_left(), &reply), method);
    json_t *error = json_object_get(reply, "error");
    if (error && !json_is_null(error)) {
        char *s = (json_is_object(error) ? ovsdb_error_to_string(error)
                   : json_dumps(error, JSON_ENCODE_ANY));
        xvs_fatal(0, "%s returned error: %s", method, s);
    }
    json_t *result = json_incref(json_object_get(reply, "result"));
    json_decref(reply);
    return result;
}

static bool
db_exists(struct jsonrpc_client *c, const char *name)
{
    json_t *dbs = request(c, "list_dbs", json_array());
    bool found = false;
    for (size_t i = 0; i < json_array_size(dbs); i++) {
        const char *s = json_string_value(json_array_get(dbs, i));
        found |= s && !strcmp(s, name);
    }
    json_decref(dbs);
    return found;
}

/* Takes an optional leading DATABASE argument off 'args'. */
static const char *
pick_db(struct jsonrpc_client *c, int *argc, char ***argv, bool required)
{
    if (*argc > 0 && (required || db_exists(c, (*argv)[0]))) {
        const char *db = (*argv)[0];
        (*argc)--;
        (*argv)++;
        return db;
    }
    return "Open_vSwitch";
}

static struct db_schema *
fetch_schema(struct jsonrpc_client *c, const char *db)
{
    json_t *json = request(c, "get_schema", json_pack("[s]", db));
    struct db_schema *schema;
    json_t *error = schema_from_json(json, &schema);
    if (error) {
        xvs_fatal(0, "server sent an invalid schema");
    }
    json_decref(json);
    return schema;
}

static void
print_json(const json_t *json, size_t flags)
{
    char *s = json_dumps(json, flags | JSON_ENCODE_ANY);
    printf("%s\n", s);
    free(s);
}

static void
do_list_dbs(struct jsonrpc_client *c, int argc XVS_UNUSED,
            char *argv[] XVS_UNUSED)
{
    json_t *dbs = request(c, "list_dbs", json_array());
    for (size_t i = 0; i < json_array_size(dbs); i++) {
        printf("%s\n", json_string_value(json_array_get(dbs, i)));
    }
    json_decref(dbs);
}

static void
do_get_schema(struct jsonrpc_client *c, int argc, char *argv[])
{
    const char *db = pick_db(c, &argc, &argv, true);
    json_t *schema = request(c, "get_schema", json_pack("[s]", db));
    print_json(schema, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(schema);
}

static void
do_get_schema_version(struct jsonrpc_client *c, int argc, char *argv[])
{
    const char *db = pick_db(c, &argc, &argv, true);
    json_t *schema = request(c, "get_schema", json_pack("[s]", db));
    const char *v = json_string_value(json_object_get(schema, "version"));
    printf("%s\n", v ? v : "");
    json_decref(schema);
}

static int
compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Prints rows as Open vSwitch's tools print tables: a header line, a
 * line of dashes, then one line per row with columns padded to width.
 * 'cells' is n_rows + 1 rows (the first is the header) of n_cols. */
static void
print_table(char **cells, size_t n_rows, size_t n_cols)
{
    size_t *width = xcalloc(n_cols + 1, sizeof *width);
    for (size_t r = 0; r <= n_rows; r++) {
        for (size_t c = 0; c < n_cols; c++) {
            width[c] = XVS_MAX(width[c], strlen(cells[r * n_cols + c]));
        }
    }
    for (size_t r = 0; r <= n_rows; r++) {
        struct ds line = DS_EMPTY_INITIALIZER;
        for (size_t c = 0; c < n_cols; c++) {
            ds_put_format(&line, "%-*s ", (int) width[c],
                          cells[r * n_cols + c]);
        }
        ds_chomp(&line, ' ');
        while (line.length && line.string[line.length - 1] == ' ') {
            line.string[--line.length] = '\0';
        }
        printf("%s\n", ds_cstr(&line));
        ds_destroy(&line);
        if (!r) {
            for (size_t c = 0; c < n_cols; c++) {
                for (size_t i = 0; i < width[c]; i++) {
                    putchar('-');
                }
                putchar(c + 1 < n_cols ? ' ' : '\n');
            }
        }
    }
    free(width);
}

static void
do_list_tables(struct jsonrpc_client *c, int argc, char *argv[])
{
    const char *db = pick_db(c, &argc, &argv, false);
    struct db_schema *schema = fetch_schema(c, db);
    char **cells = xcalloc(schema->n_tables + 1, sizeof *cells);
    cells[0] = "Table";
    for (size_t i = 0; i < schema->n_tables; i++) {
        cells[i + 1] = schema->tables[i].name;
    }
    qsort(cells + 1, schema->n_tables, sizeof *cells, compare_strings);
    print_table(cells, schema->n_tables, 1);
    free(cells);
    schema_destroy(schema);
}

/* A column's type as ovsdb-client prints it. */
static char *
column_type_text(const struct column_schema *c)
{
    json_t *json = column_type_to_json(&c->type);
    char *s = json_dumps(json, JSON_COMPACT | JSON_SORT_KEYS
                               | JSON_ENCODE_ANY);
    json_decref(json);
    return s;
}

/* "list-columns [DB] [TABLE]": as ovsdb-client prints them, with the
 * table in front when all tables are listed. */
static void
do_list_columns(struct jsonrpc_client *c, int argc, char *argv[])
{
    const char *db = pick_db(c, &argc, &argv, false);
    struct db_schema *schema = fetch_schema(c, db);
    if (argc > 1) {
        xvs_fatal(0, "list-columns takes at most DB and TABLE");
    }
    const struct table_schema *only = NULL;
    if (argc) {
        only = schema_find_table(schema, argv[0]);
        if (!only) {
            xvs_fatal(0, "%s: no such table in database %s", argv[0], db);
        }
    }
    size_t n_cols = only ? 2 : 3;
    size_t n_rows = 0;
    for (size_t i = 0; i < schema->n_tables; i++) {
        n_rows += schema->tables[i].n_columns;
    }
    /* Lines "TABLE\x01COLUMN\x01TYPE", sorted, then split into cells. */
    char **lines = xcalloc(n_rows + 1, sizeof *lines);
    size_t n = 0;
    for (size_t i = 0; i < schema->n_tables; i++) {
        const struct table_schema *t = &schema->tables[i];
        if (only && t != only) {
            continue;
        }
        for (size_t j = 0; j < t->n_columns; j++) {
            char *type = column_type_text(&t->columns[j]);
            lines[n++] = xasprintf("%s\x01%s\x01%s", t->name,
                                   t->columns[j].name, type);
            free(type);
        }
    }
    qsort(lines, n, sizeof *lines, compare_strings);
    char **cells = xcalloc((n + 1) * n_cols, sizeof *cells);
    size_t k = 0;
    if (!only) {
        cells[k++] = "Table";
    }
    cells[k++] = "Column";
    cells[k++] = "Type";
    for (size_t r = 0; r < n; r++) {
        char *table = lines[r];
        char *column = strchr(table, '\x01');
        *column++ = '\0';
        char *type = strchr(column, '\x01');
        *type++ = '\0';
        if (!only) {
            cells[k++] = table;
        }
        cells[k++] = column;
        cells[k++] = type;
    }
    print_table(cells, n, n_cols);
    for (size_t r = 0; r < n; r++) {
        free(lines[r]);
    }
    free(lines);
    free(cells);
    schema_destroy(schema);
}

/* One column's value from a JSON row, formatted. */
static char *
format_value(const struct column_schema *col, const json_t *value)
{
    struct datum d;
    struct ds s = DS_EMPTY_INITIALIZER;
    json_t *error = value ? datum_from_json(&d, &col->type, value, NULL)
                          : ovsdb_error("missing", "no value");
    if (error) {
        json_decref(error);
        return xstrdup("");
    }
    datum_to_string(&d, &col->type, &s);
    datum_destroy(&d, col->type.key.type, col->type.value.type);
    return ds_steal_cstr(&s);
}

/* One formatted row of "dump": its cells, and the key it sorts by (every
 * cell but the UUID, so that the order does not depend on random UUIDs). */
struct dump_row {
    char *key;
    char **cells;
};

static int
compare_dump_rows(const void *a_, const void *b_)
{
    const struct dump_row *a = a_, *b = b_;
    return strcmp(a->key, b->key);
}

static void
dump_table(struct jsonrpc_client *c, const char *db,
           const struct table_schema *t)
{
    json_t *result = request(c, "transact", json_pack(
        "[s,{s:s,s:s,s:[]}]", db, "op", "select", "table", t->name, "where"));
    json_t *rows = json_object_get(json_array_get(result, 0), "rows");

    /* Columns: _uuid first, then the others by name. */
    size_t n_cols = t->n_columns - 1;
    const struct column_schema **cols = xcalloc(n_cols, sizeof *cols);
    cols[0] = &t->columns[SCHEMA_COL_UUID];
    for (size_t i = SCHEMA_N_BUILTIN; i < t->n_columns; i++) {
        cols[i - 1] = &t->columns[i];
    }
    for (size_t i = 1; i < n_cols; i++) {
        for (size_t j = i; j > 1 && strcmp(cols[j - 1]->name,
                                           cols[j]->name) > 0; j--) {
            const struct column_schema *tmp = cols[j];
            cols[j] = cols[j - 1];
            cols[j - 1] = tmp;
        }
    }

    size_t n_rows = json_array_size(rows);
    struct dump_row *lines = xcalloc(n_rows + 1, sizeof *lines);
    for (size_t r = 0; r < n_rows; r++) {
        const json_t *row = json_array_get(rows, r);
        struct ds key = DS_EMPTY_INITIALIZER;
        lines[r].cells = xcalloc(n_cols, sizeof *lines[r].cells);
        for (size_t i = 0; i < n_cols; i++) {
            char *cell = format_value(cols[i], json_object_get(row,
                                                               cols[i]->name));
            lines[r].cells[i] = cell;
            if (i) {
                ds_put_format(&key, "%s\x01", cell);
            }
        }
        lines[r].key = ds_steal_cstr(&key);
    }
    qsort(lines, n_rows, sizeof *lines, compare_dump_rows);

    char **cells = xcalloc((n_rows + 1) * n_cols, sizeof *cells);
    for (size_t i = 0; i < n_cols; i++) {
        cells[i] = cols[i]->name;
    }
    for (size_t r = 0; r < n_rows; r++) {
        memcpy(&cells[(r + 1) * n_cols], lines[r].cells,
               n_cols * sizeof *cells);
    }
    printf("%s table\n", t->name);
    print_table(cells, n_rows, n_cols);
    for (size_t r = 0; r < n_rows; r++) {
        for (size_t i = 0; i < n_cols; i++) {
            free(lines[r].cells[i]);
        }
        free(lines[r].cells);
        free(lines[r].key);
    }
    free(lines);
    free(cells);
    free(cols);
    json_decref(result);
}

static void
do_dump(struct jsonrpc_client *c, int argc, char *argv[])
{
    const char *db = pick_db(c, &argc, &argv, false);
    struct db_schema *schema = fetch_schema(c, db);
    const struct table_schema **tables = xcalloc(schema->n_tables + 1,
                                                 sizeof *tables);
    size_t n = 0;
    if (argc) {
        for (int i = 0; i < argc; i++) {
            tables[n] = schema_find_table(schema, argv[i]);
            if (!tables[n++]) {
                xvs_fatal(0, "%s: no such table in database %s", argv[i], db);
            }
        }
    } else {
        char **names = xcalloc(schema->n_tables + 1, sizeof *names);
        for (size_t i = 0; i < schema->n_tables; i++) {
            names[i] = schema->tables[i].name;
        }
        qsort(names, schema->n_tables, sizeof *names, compare_strings);
        for (size_t i = 0; i < schema->n_tables; i++) {
            tables[n++] = schema_find_table(schema, names[i]);
        }
        free(names);
    }
    for (size_t i = 0; i < n; i++) {
        if (i) {
            putchar('\n');
        }
        dump_table(c, db, tables[i]);
    }
    free(tables);
    schema_destroy(schema);
}

/* The one TRANSACTION argument of "transact" and "query": a JSON array
 * of the database name and operations. */
static json_t *
parse_transaction(int argc, char *argv[], const char *command)
{
    if (argc != 1) {
        xvs_fatal(0, "%s needs one TRANSACTION argument", command);
    }
    json_error_t jerr;
    json_t *params = json_loads(argv[0], JSON_DECODE_ANY, &jerr);
    if (!params) {
        xvs_fatal(0, "TRANSACTION: %s", jerr.text);
    }
    if (!json_is_array(params) || !json_array_size(params)) {
        xvs_fatal(0, "TRANSACTION must be a JSON array [DB, OP...]");
    }
    return params;
}

static void
do_transact(struct jsonrpc_client *c, int argc, char *argv[])
{
    json_t *params = parse_transaction(argc, argv, "transact");
    json_t *result = request(c, "transact", params);
    print_json(result, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(result);
}

/* "query TRANSACTION": runs it and then aborts it, so that it changes
 * nothing, and prints the results of its own operations. */
static void
do_query(struct jsonrpc_client *c, int argc, char *argv[])
{
    json_t *params = parse_transaction(argc, argv, "query");
    size_t n_ops = json_array_size(params) - 1;
    json_array_append_new(params, json_pack("{s:s}", "op", "abort"));
    json_t *result = request(c, "transact", params);
    /* The abort's own "aborted" error is not a result of the query. */
    const json_t *last = json_array_get(result, n_ops);
    const char *error = json_string_value(json_object_get(last, "error"));
    if (json_array_size(result) == n_ops + 1 && error
        && !strcmp(error, "aborted")) {
        json_array_remove(result, n_ops);
    }
    print_json(result, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(result);
}

/* Prints "ACTION TABLE UUID COLUMN=VALUE..." for one row of an update. */
static void
print_row(const struct table_schema *t, const char *action, const char *uuid,
          const json_t *row, const json_t *only)
{
    const char **names = xcalloc(json_object_size(row) + 1, sizeof *names);
    size_t n = 0;
    const char *name;
    json_t *value;
    json_object_foreach ((json_t *) row, name, value) {
        if (!only || json_object_get(only, name)) {
            names[n++] = name;
        }
    }
    qsort(names, n, sizeof *names, compare_strings);
    printf("%s %s %s", action, t->name, uuid);
    for (size_t i = 0; i < n; i++) {
        const struct column_schema *col = schema_find_column(t, names[i]);
        if (col && col->index != SCHEMA_COL_VERSION) {
            char *s = format_value(col, json_object_get(row, names[i]));
            printf(" %s=%s", names[i], s);
            free(s);
        }
    }
    putchar('\n');
    free(names);
}

/* One record of ovsdb-client's monitor output: "row", "action", then
 * the columns ('values' may lack some: null in JSON, empty in a list). */
static void
print_record(const struct table_schema *t, const char *const *columns,
             size_t n_columns, const char *uuid, const char *action,
             const json_t *values, json_t *data)
{
    if (monitor_format == FORMAT_JSON) {
        json_t *rec = json_pack("[s,s]", uuid, action);
        for (size_t i = 0; i < n_columns; i++) {
            json_t *v = json_object_get(values, columns[i]);
            json_array_append_new(rec, v ? json_incref(v) : json_null());
        }
        json_array_append_new(data, rec);
        return;
    }
    /* Records apart by a blank line, as ovsdb-client prints them. */
    static bool printed;
    if (printed) {
        putchar('\n');
    }
    printed = true;
    printf("%-20s: %s\n%-20s: %s\n", "row", uuid, "action", action);
    for (size_t i = 0; i < n_columns; i++) {
        const json_t *v = json_object_get(values, columns[i]);
        char *text = (v ? format_value(schema_find_column(t, columns[i]), v)
                      : xstrdup(""));
        printf("%-20s: %s\n", columns[i], text);
        free(text);
    }
}

static void
print_update(const struct db_schema *schema, const json_t *update,
             bool initial, const char *const *columns, size_t n_columns)
{
    const char *tname;
    json_t *rows;
    json_object_foreach ((json_t *) update, tname, rows) {
        const struct table_schema *t = schema_find_table(schema, tname);
        const char *uuid;
        json_t *ru;
        if (!t) {
            continue;
        }
        json_t *data = json_array();
        json_object_foreach (rows, uuid, ru) {
            const json_t *old = json_object_get(ru, "old");
            const json_t *new = json_object_get(ru, "new");
            const char *action = (initial ? "initial"
                                  : old && new ? "modify"
                                  : new ? "insert" : "delete");
            if (monitor_format == FORMAT_LINES) {
                print_row(t, action, uuid, new ? new : old,
                          !initial && old && new ? old : NULL);
            } else if (!initial && old && new) {
                /* As ovsdb-client: the old values of what changed, then
                 * the whole new row. */
                print_record(t, columns, n_columns, uuid, "old", old, data);
                print_record(t, columns, n_columns, "", "new", new, data);
            } else {
                print_record(t, columns, n_columns, uuid, action,
                             new ? new : old, data);
            }
        }
        if (monitor_format == FORMAT_JSON) {
            json_t *headings = json_pack("[s,s]", "row", "action");
            for (size_t i = 0; i < n_columns; i++) {
                json_array_append_new(headings, json_string(columns[i]));
            }
            json_t *table = json_pack("{s:o,s:o}", "data", data,
                                      "headings", headings);
            print_json(table, JSON_COMPACT | JSON_SORT_KEYS);
            json_decref(table);
        } else {
            json_decref(data);
        }
    }
    fflush(stdout);
}

/* The next message from the server that is not an "echo" request (those
 * are answered here, so that the server keeps the connection). */
static json_t *
recv_message(struct jsonrpc_client *c, const char *what)
{
    for (;;) {
        json_t *msg;
        check_io(jsonrpc_client_recv(c, time_left(), &msg), what);
        const char *method = json_string_value(json_object_get(msg,
                                                               "method"));
        if (!method || strcmp(method, "echo")) {
            return msg;
        }
        json_t *params = json_object_get(msg, "params");
        jsonrpc_client_send(c, jsonrpc_reply(json_incref(params),
                                             json_object_get(msg, "id")));
        json_decref(msg);
    }
}

static void
do_monitor(struct jsonrpc_client *c, int argc, char *argv[])
{
    const char *db = pick_db(c, &argc, &argv, false);
    if (argc < 1) {
        xvs_fatal(0, "monitor needs a TABLE argument");
    }
    struct db_schema *schema = fetch_schema(c, db);
    const struct table_schema *t = schema_find_table(schema, argv[0]);
    if (!t || argc > 2) {
        xvs_fatal(0, "%s: no such table in database %s", argv[0], db);
    }
    json_t *req = json_object();
    if (argc > 1) {
        json_t *array = json_array();
        char *copy = xstrdup(argv[1]), *save = NULL;
        for (char *tok = strtok_r(copy, ",", &save); tok;
             tok = strtok_r(NULL, ",", &save)) {
            if (!schema_find_column(t, tok)) {
                xvs_fatal(0, "%s: no such column in table %s", tok, t->name);
            }
            json_array_append_new(array, json_string(tok));
        }
        free(copy);
        json_object_set_new(req, "columns", array);
    }
    /* The columns of --format's records: those asked for, in order, or
     * every column by name. */
    const char **columns = xcalloc(t->n_columns + 1, sizeof *columns);
    size_t n_columns = 0;
    const json_t *asked = json_object_get(req, "columns");
    if (asked) {
        for (size_t i = 0; i < json_array_size(asked); i++) {
            columns[n_columns++] = json_string_value(json_array_get(asked,
                                                                    i));
        }
    } else {
        for (size_t i = SCHEMA_N_BUILTIN; i < t->n_columns; i++) {
            columns[n_columns++] = t->columns[i].name;
        }
        qsort(columns, n_columns, sizeof *columns, compare_strings);
    }
    json_t *requests = json_pack("{s:O}", t->name, req);
    json_t *initial = request(c, "monitor",
                              json_pack("[s,s,o]", db, "mon", requests));
    print_update(schema, initial, true, columns, n_columns);
    json_decref(initial);

    for (long long n = 0; max_updates < 0 || n < max_updates;) {
        json_t *msg = recv_message(c, "monitor");
        const char *method = json_string_value(json_object_get(msg,
                                                               "method"));
        const json_t *params = json_object_get(msg, "params");
        if (method && !strcmp(method, "update")
            && json_array_size(params) == 2) {
            print_update(schema, json_array_get(params, 1), false, columns,
                         n_columns);
            n++;
        }
        json_decref(msg);
    }
    json_decref(req);
    free(columns);
    schema_destroy(schema);
}

/* "lock LOCK" and "steal LOCK", as ovsdb-client: prints the reply's
 * result ({"locked":BOOL}), then each "locked" or "stolen" notification as
 * its name and a line of params, until --max-updates of them came (or
 * forever).  The lock is held while the command runs. */
static void
lock_command(struct jsonrpc_client *c, int argc, char *argv[],
             const char *method)
{
    if (argc != 1) {
        xvs_fatal(0, "%s needs a LOCK argument", method);
    }
    json_t *result = request(c, method, json_pack("[s]", argv[0]));
    print_json(result, JSON_COMPACT | JSON_SORT_KEYS);
    fflush(stdout);
    json_decref(result);

    for (long long n = 0; max_updates < 0 || n < max_updates;) {
        json_t *msg = recv_message(c, method);
        const char *name = json_string_value(json_object_get(msg, "method"));
        if (name && (!strcmp(name, "locked") || !strcmp(name, "stolen"))) {
            printf("%s\n", name);
            print_json(json_object_get(msg, "params"), JSON_COMPACT);
            fflush(stdout);
            n++;
        }
        json_decref(msg);
    }
}

static void
do_lock(struct jsonrpc_client *c, int argc, char *argv[])
{
    lock_command(c, argc, argv, "lock");
}

static void
do_steal(struct jsonrpc_client *c, int argc, char *argv[])
{
    lock_command(c, argc, argv, "steal");
}

/* Prints one message of "raw" without its id. */
static void
print_raw(json_t *msg)
{
    json_object_del(msg, "id");
    print_json(msg, JSON_COMPACT | JSON_SORT_KEYS);
    fflush(stdout);
}

/* "raw METHOD PARAMS... [N]": sends the requests on one connection, one
 * after another, printing every message that arrives (replies and
 * notifications, in order, one JSON line each) until each reply and then
 * N more notifications came.  For testing the protocol itself. */
static void
do_raw(struct jsonrpc_client *c, int argc, char *argv[])
{
    long long n_notify = 0;
    if (argc % 2 && !str_to_llong(argv[--argc], 10, &n_notify)) {
        xvs_fatal(0, "raw needs METHOD PARAMS... [N]");
    }
    if (argc < 2 || n_notify < 0) {
        xvs_fatal(0, "raw needs METHOD PARAMS... [N]");
    }
    for (int i = 0; i < argc; i += 2) {
        json_error_t jerr;
        json_t *params = json_loads(argv[i + 1], JSON_DECODE_ANY, &jerr);
        if (!params) {
            xvs_fatal(0, "PARAMS: %s", jerr.text);
        }
        json_t *id = NULL;
        check_io(jsonrpc_client_send(c, jsonrpc_request(argv[i], params,
                                                        &id)), argv[i]);
        for (;;) {
            json_t *msg;
            check_io(jsonrpc_client_recv(c, time_left(), &msg), argv[i]);
            bool done = json_equal(json_object_get(msg, "id"), id);
            print_raw(msg);
            json_decref(msg);
            if (done) {
                break;
            }
        }
        json_decref(id);
    }
    while (n_notify > 0) {
        json_t *msg;
        check_io(jsonrpc_client_recv(c, time_left(), &msg), "raw");
        print_raw(msg);
        json_decref(msg);
        n_notify--;
    }
}

static void
usage(void)
{
    printf("%s: command-line client for xvsdb-server\n"
           "usage: %s [OPTIONS] COMMAND [SERVER] [ARG...]\n"
           "       %s [OPTIONS] SERVER COMMAND [ARG...]\n"
           "Commands:\n"
           "  list-dbs                    list databases\n"
           "  get-schema [DB]             print DB's schema\n"
           "  get-schema-version [DB]     print DB's schema version\n"
           "  list-tables [DB]            list DB's tables\n"
           "  list-columns [DB] [TABLE]   list the columns and their types\n"
           "  transact TRANSACTION        run TRANSACTION, print the result\n"
           "  query TRANSACTION           run TRANSACTION, then abort it\n"
           "  dump [DB] [TABLE...]        print the contents of tables\n"
           "  monitor [DB] TABLE [COLUMN,...]  print changes to TABLE\n"
           "  lock LOCK, steal LOCK       take LOCK, print whether it is\n"
           "                              held, then when it changes hands\n"
           "  raw METHOD PARAMS... [N]    send JSON-RPC requests, print the\n"
           "                              replies and N notifications\n"
           "SERVER defaults to unix:$XVS_RUNDIR/db.sock.\n"
           "Options:\n"
           "  --timeout=SECS       give up after SECS seconds\n"
           "  --format=list|json   monitor: print as ovsdb-client does\n"
           "  --max-updates=N      monitor: exit after N updates; lock,\n"
           "                       steal: after N notifications\n",
           program_name, program_name, program_name);
    exit(0);
}

static bool
is_server_name(const char *s)
{
    return (!strncmp(s, "unix:", 5) || !strncmp(s, "tcp:", 4)
            || !strncmp(s, "ssl:", 4));
}

int
main(int argc, char *argv[])
{
    enum { OPT_MAX_UPDATES = 0x2000, OPT_FORMAT };
    static const struct option long_options[] = {
        {"timeout", required_argument, NULL, 't'},
        {"max-updates", required_argument, NULL, OPT_MAX_UPDATES},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    static const struct {
        const char *name;
        void (*func)(struct jsonrpc_client *, int argc, char *argv[]);
    } commands[] = {
        { "list-dbs", do_list_dbs },
        { "get-schema", do_get_schema },
        { "get-schema-version", do_get_schema_version },
        { "list-tables", do_list_tables },
        { "transact", do_transact },
        { "dump", do_dump },
        { "list-columns", do_list_columns },
        { "query", do_query },
        { "monitor", do_monitor },
        { "lock", do_lock },
        { "steal", do_steal },
        { "raw", do_raw },
    };

    xvs_set_program_name(argv[0]);
    for (;;) {
        long long n;
        int c = getopt_long(argc, argv, "t:hV", long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case 't':
            if (!str_to_llong(optarg, 10, &n) || n < 0 || n > 86400) {
                xvs_fatal(0, "--timeout: \"%s\" is not a number of seconds",
                          optarg);
            }
            timeout_sec = n;
            break;
        case OPT_MAX_UPDATES:
            if (!str_to_llong(optarg, 10, &n) || n < 0) {
                xvs_fatal(0, "--max-updates: \"%s\" is not a count", optarg);
            }
            max_updates = n;
            break;
        case OPT_FORMAT:
            if (!strcmp(optarg, "list")) {
                monitor_format = FORMAT_LIST;
            } else if (!strcmp(optarg, "json")) {
                monitor_format = FORMAT_JSON;
            } else {
                xvs_fatal(0, "--format: \"%s\" is not list or json",
                          optarg);
            }
            break;
        case 'h':
            usage();
            break;
        case 'V':
            printf("%s (xvswitch) %s\n", program_name, XVS_VERSION);
            return 0;
        default:
            return 1;
        }
    }
    argc -= optind;
    argv += optind;

    char *server = NULL;
    if (argc && is_server_name(argv[0])) {
        server = xstrdup(argv[0]);
        argc--;
        argv++;
    }
    if (!argc) {
        xvs_fatal(0, "missing command name; use --help for help");
    }
    const char *command = argv[0];
    argc--;
    argv++;
    if (!server && argc && is_server_name(argv[0])) {
        server = xstrdup(argv[0]);
        argc--;
        argv++;
    }
    if (!server) {
        server = xasprintf("unix:%s/db.sock", xvs_rundir());
    }
    if (timeout_sec) {
        deadline = time_msec() + timeout_sec * 1000LL;
    }

    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        if (!strcmp(command, commands[i].name)) {
            struct jsonrpc_client *c;
            int error = jsonrpc_client_open(server, &c);
            if (error) {
                xvs_fatal(error, "%s: connection failed", server);
            }
            commands[i].func(c, argc, argv);
            jsonrpc_client_close(c);
            free(server);
            return 0;
        }
    }
    xvs_fatal(0, "unknown command '%s'; use --help for help", command);
}
