#include <config.h>
#include "txn.h"
#include "lock.h"
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "condition.h"
#include "mutation.h"
#include "ovsdb-error.h"

/* A row the transaction touched, with its state before the transaction. */
struct txn_row {
    struct hmap_node node;      /* In txn.rows, by uuid_hash(). */
    struct db_row *row;         /* The live row (detached if deleted). */
    struct db_row *old;         /* Snapshot; NULL if inserted here. */
    bool deleted;
};

struct txn_symbol {
    struct hmap_node node;      /* In txn.symtab, by hash_string(name). */
    char *name;
    struct uuid uuid;
    size_t op;                  /* Index of the defining "insert". */
};

struct txn {
    struct db *db;
    struct hmap rows;           /* txn_row. */
    struct txn_symbol *symbols;
    size_t n_symbols;
    struct hmap symtab;         /* txn_symbol. */
    bool *dup_op;               /* Per op: its uuid-name is a duplicate. */
    struct datum_symtab st;     /* Resolves this transaction's symbols. */
    json_t *result;
    struct txn_change *changes;
    size_t n_changes;
    bool blocked;
    long long elapsed_ms, retry_ms;
    const void *session;        /* For "assert". */
    struct ds comment;          /* The "comment" operations' texts. */
};

static bool symbol_lookup(const char *name, struct uuid *, void *txn_);
static void build_changes(struct txn *);

struct txn *
txn_create(struct db *db)
{
    struct txn *txn = xzalloc(sizeof *txn);
    txn->db = db;
    txn->st.lookup = symbol_lookup;
    txn->st.aux = txn;
    hmap_init(&txn->rows);
    hmap_init(&txn->symtab);
    ds_init(&txn->comment);
    return txn;
}

void
txn_set_session(struct txn *txn, const void *session)
{
    txn->session = session;
}

static struct txn_row *
txn_find(const struct txn *txn, const struct uuid *uuid)
{
    struct txn_row *tr;
    HMAP_FOR_EACH_WITH_HASH (tr, node, uuid_hash(uuid), &txn->rows) {
        if (uuid_equals(db_row_uuid(tr->row), uuid)) {
            return tr;
        }
    }
    return NULL;
}

/* Makes 'row' safe to modify in place: snapshots it on first touch. */
static void
txn_touch(struct txn *txn, struct db_row *row)
{
    if (!txn_find(txn, db_row_uuid(row))) {
        struct txn_row *tr = xzalloc(sizeof *tr);
        tr->row = row;
        tr->old = db_row_clone(row);
        db_row_changed(row);
        hmap_insert(&txn->rows, &tr->node, uuid_hash(db_row_uuid(row)));
    }
}

static void
txn_insert_row(struct txn *txn, struct db_row *row)
{
    struct txn_row *tr = xzalloc(sizeof *tr);
    tr->row = row;
    db_insert_row(txn->db, row);
    hmap_insert(&txn->rows, &tr->node, uuid_hash(db_row_uuid(row)));
}

static void
txn_delete_row(struct txn *txn, struct db_row *row)
{
    txn_touch(txn, row);
    db_remove_row(txn->db, row);
    txn_find(txn, db_row_uuid(row))->deleted = true;
}

static void
rollback(struct txn *txn)
{
    struct txn_row *tr, *next;
    HMAP_FOR_EACH_SAFE (tr, next, node, &txn->rows) {
        if (!tr->old) {
            if (!tr->deleted) {
                db_remove_row(txn->db, tr->row);
            }
            db_row_destroy(tr->row);
        } else {
            if (tr->deleted) {
                db_insert_row(txn->db, tr->row);
            }
            struct datum *fields = tr->row->fields;
            tr->row->fields = tr->old->fields;
            tr->old->fields = fields;
            db_row_changed(tr->row);
            db_row_destroy(tr->old);
        }
        hmap_remove(&txn->rows, &tr->node);
        free(tr);
    }
}

/* Symbols ("uuid-name" of inserts). */

static bool
symbol_lookup(const char *name, struct uuid *uuid, void *txn_)
{
    const struct txn *txn = txn_;
    const struct txn_symbol *sym;
    HMAP_FOR_EACH_WITH_HASH (sym, node, hash_string(name, 0), &txn->symtab) {
        if (!strcmp(sym->name, name)) {
            *uuid = sym->uuid;
            return true;
        }
    }
    return false;
}

static void
collect_symbols(struct txn *txn, const json_t *ops)
{
    size_t n = json_array_size(ops);
    txn->symbols = xcalloc(n + 1, sizeof *txn->symbols);
    txn->dup_op = xcalloc(n + 1, sizeof *txn->dup_op);
    for (size_t i = 0; i < n; i++) {
        const json_t *op = json_array_get(ops, i);
        const char *kind = json_string_value(json_object_get(op, "op"));
        const char *name = json_string_value(json_object_get(op, "uuid-name"));
        struct uuid uuid;
        if (!kind || strcmp(kind, "insert") || !name) {
            continue;
        }
        if (symbol_lookup(name, &uuid, txn)) {
            txn->dup_op[i] = true;
        } else {
            struct txn_symbol *s = &txn->symbols[txn->n_symbols++];
            const char *given = json_string_value(json_object_get(op,
                                                                  "uuid"));
            s->name = xstrdup(name);
            if (!given || !uuid_from_string(&s->uuid, given)) {
                uuid_generate(&s->uuid);
            }
            s->op = i;
            hmap_insert(&txn->symtab, &s->node, hash_string(name, 0));
        }
    }
}

/* Parsing helpers. */

static json_t *
find_table(const struct txn *txn, const json_t *op,
           const struct table_schema **tp)
{
    const char *name = json_string_value(json_object_get(op, "table"));
    if (!name) {
        return ovsdb_error("syntax error", "Required \"table\" member is "
                           "missing.");
    }
    *tp = schema_find_table(txn->db->schema, name);
    return *tp ? NULL : ovsdb_error("syntax error", "No table named %s.",
                                    name);
}

static void
destroy_datum(struct datum *d, const struct column_schema *c)
{
    datum_destroy(d, c->type.key.type, c->type.value.type);
}

/* A parsed "row" member: columns and checked values. */
struct parsed_row {
    size_t n;
    const struct column_schema **cols;
    struct datum *values;
};

static void
parsed_row_destroy(struct parsed_row *pr)
{
    for (size_t i = 0; i < pr->n; i++) {
        destroy_datum(&pr->values[i], pr->cols[i]);
    }
    free(pr->cols);
    free(pr->values);
}

/* Parses a row object.  With 'check' (rows to store) the values must
 * satisfy their columns' constraints and built-in columns are refused;
 * without it (the rows a "wait" compares) any column may appear.
 * 'for_update' also refuses immutable columns. */
static json_t *
parse_row(struct txn *txn, const struct table_schema *t, const json_t *json,
          bool for_update, bool check, struct parsed_row *pr)
{
    memset(pr, 0, sizeof *pr);
    if (!json_is_object(json)) {
        return ovsdb_error("syntax error", "row must be a JSON object");
    }
    size_t n = json_object_size(json);
    pr->cols = xcalloc(n + 1, sizeof *pr->cols);
    pr->values = xcalloc(n + 1, sizeof *pr->values);

    const char *name;
    json_t *value;
    json_object_foreach ((json_t *) json, name, value) {
        const struct column_schema *c = schema_find_column(t, name);
        json_t *error = NULL;
        if (!c) {
            error = ovsdb_error("unknown column", "No column %s in table %s.",
                                name, t->name);
        } else if (c->index < SCHEMA_N_BUILTIN && check) {
            error = ovsdb_error("constraint violation",
                                "Cannot set column %s in table %s.",
                                name, t->name);
        } else if (for_update && !c->mutable_) {
            error = ovsdb_error("constraint violation", "Cannot update "
                                "immutable column %s in table %s.",
                                name, t->name);
        } else {
            error = datum_from_json(&pr->values[pr->n], &c->type, value,
                                    &txn->st);
            if (!error && check) {
                error = datum_check(&pr->values[pr->n], &c->type, c->name);
                if (error) {
                    destroy_datum(&pr->values[pr->n], c);
                }
            }
        }
        if (error) {
            parsed_row_destroy(pr);
            return error;
        }
        pr->cols[pr->n++] = c;
    }
    return NULL;
}

/* The rows of 't' matching 'w', as an array the caller frees (safe to
 * modify or delete the rows while walking it). */
static struct db_row **
select_rows(struct txn *txn, const struct table_schema *t,
            const struct condition *w, size_t *n)
{
    struct db_table *dt = db_table(txn->db, t);
    struct db_row **rows = xcalloc(hmap_count(&dt->rows) + 1, sizeof *rows);
    struct db_row *row;

    *n = 0;
    /* A condition "_uuid == X" is the common case: look it up directly. */
    if (w->n && w->conds[0].column->index == SCHEMA_COL_UUID
        && w->conds[0].func == CLAUSE_EQ && w->conds[0].arg.n == 1) {
        row = db_find_row(txn->db, t, &w->conds[0].arg.keys[0].uuid);
        if (row && condition_holds(w, row)) {
            rows[(*n)++] = row;
        }
        return rows;
    }
    HMAP_FOR_EACH (row, node, &dt->rows) {
        if (condition_holds(w, row)) {
            rows[(*n)++] = row;
        }
    }
    return rows;
}

static json_t *
parse_columns(const struct table_schema *t, const json_t *json,
              size_t **cols, size_t *n)
{
    *n = 0;
    if (!json) {
        *cols = xcalloc(t->n_columns, sizeof **cols);
        for (size_t i = 0; i < t->n_columns; i++) {
            (*cols)[(*n)++] = i;
        }
        return NULL;
    }
    if (!json_is_array(json)) {
        return ovsdb_error("syntax error", "\"columns\" must be an array");
    }
    *cols = xcalloc(json_array_size(json) + 1, sizeof **cols);
    for (size_t i = 0; i < json_array_size(json); i++) {
        const struct column_schema *c;
        json_t *error = schema_column_from_json(t, json_array_get(json, i),
                                                &c);
        if (error) {
            free(*cols);
            *cols = NULL;
            return error;
        }
        (*cols)[(*n)++] = c->index;
    }
    return NULL;
}

/* The "table" and "where" members of select, delete and mutate. */
static json_t *
parse_table_where(struct txn *txn, const json_t *op,
                  const struct table_schema **tp, struct condition *w)
{
    json_t *error = find_table(txn, op, tp);
    if (!error) {
        error = condition_from_json(w, *tp, json_object_get(op, "where"),
                                    &txn->st);
    }
    return error;
}

/* Operations.  Each returns its result object or an error object and
 * sets '*failed' on error. */

typedef json_t *op_func(struct txn *, const json_t *op, size_t index,
                        bool *failed);

static json_t *
op_insert(struct txn *txn, const json_t *op, size_t index, bool *failed)
{
    const struct table_schema *t;
    json_t *error = find_table(txn, op, &t);
    if (error) {
        *failed = true;
        return error;
    }
    const json_t *name_j = json_object_get(op, "uuid-name");
    struct uuid uuid;
    if (name_j) {
        const char *name = json_string_value(name_j);
        if (!name) {
            *failed = true;
            return ovsdb_error("syntax error", "\"uuid-name\" must be a "
                               "string");
        }
        if (txn->dup_op[index]) {
            *failed = true;
            return ovsdb_error("duplicate uuid-name", "This \"uuid-name\" "
                               "appeared on an earlier \"insert\" "
                               "operation.");
        }
        symbol_lookup(name, &uuid, txn);
    } else {
        uuid_generate(&uuid);
    }
    /* Open vSwitch's extension: the client chooses the new row's UUID. */
    const json_t *given = json_object_get(op, "uuid");
    if (given) {
        if (!json_is_string(given)
            || !uuid_from_string(&uuid, json_string_value(given))) {
            *failed = true;
            return ovsdb_error("syntax error", "\"uuid\" must be a UUID "
                               "string");
        }
        if (db_find_row(txn->db, t, &uuid) || txn_find(txn, &uuid)) {
            *failed = true;
            return ovsdb_error("duplicate uuid", "This UUID would duplicate "
                               "a UUID already present within the table or "
                               "deleted within the same transaction.");
        }
    }

    struct parsed_row pr;
    error = parse_row(txn, t, json_object_get(op, "row"), false, true, &pr);
    if (error) {
        *failed = true;
        return error;
    }
    struct db_row *row = db_row_create(t, &uuid);
    for (size_t i = 0; i < pr.n; i++) {
        datum_move(&row->fields[pr.cols[i]->index], &pr.values[i],
                   &pr.cols[i]->type);
    }
    parsed_row_destroy(&pr);
    txn_insert_row(txn, row);

    char buf[UUID_LEN + 1];
    uuid_format(&uuid, buf);
    return json_pack("{s:[s,s]}", "uuid", "uuid", buf);
}

static json_t *
op_select(struct txn *txn, const json_t *op, size_t index XVS_UNUSED,
          bool *failed)
{
    const struct table_schema *t;
    struct condition w;
    size_t *cols = NULL, n_cols;
    json_t *error = parse_table_where(txn, op, &t, &w);
    if (!error) {
        error = parse_columns(t, json_object_get(op, "columns"),
                              &cols, &n_cols);
        if (error) {
            condition_destroy(&w);
        }
    }
    if (error) {
        *failed = true;
        return error;
    }
    size_t n;
    struct db_row **rows = select_rows(txn, t, &w, &n);
    json_t *array = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(array, db_row_to_json(rows[i], cols, n_cols));
    }
    free(rows);
    free(cols);
    condition_destroy(&w);
    return json_pack("{s:o}", "rows", array);
}

static json_t *
op_update(struct txn *txn, const json_t *op, size_t index XVS_UNUSED,
          bool *failed)
{
    const struct table_schema *t;
    struct condition w;
    struct parsed_row pr;
    json_t *error = find_table(txn, op, &t);
    if (!error) {
        error = parse_row(txn, t, json_object_get(op, "row"), true, true, &pr);
    }
    if (!error) {
        error = condition_from_json(&w, t, json_object_get(op, "where"),
                                    &txn->st);
        if (error) {
            parsed_row_destroy(&pr);
        }
    }
    if (error) {
        *failed = true;
        return error;
    }
    size_t n;
    struct db_row **rows = select_rows(txn, t, &w, &n);
    for (size_t i = 0; i < n; i++) {
        txn_touch(txn, rows[i]);
        for (size_t j = 0; j < pr.n; j++) {
            const struct column_schema *c = pr.cols[j];
            struct datum copy;
            datum_clone(&copy, &pr.values[j], &c->type);
            datum_move(&rows[i]->fields[c->index], &copy, &c->type);
        }
    }
    free(rows);
    condition_destroy(&w);
    parsed_row_destroy(&pr);
    return json_pack("{s:I}", "count", (json_int_t) n);
}

static json_t *
op_delete(struct txn *txn, const json_t *op, size_t index XVS_UNUSED,
          bool *failed)
{
    const struct table_schema *t;
    struct condition w;
    json_t *error = parse_table_where(txn, op, &t, &w);
    if (error) {
        *failed = true;
        return error;
    }
    size_t n;
    struct db_row **rows = select_rows(txn, t, &w, &n);
    for (size_t i = 0; i < n; i++) {
        txn_delete_row(txn, rows[i]);
    }
    free(rows);
    condition_destroy(&w);
    return json_pack("{s:I}", "count", (json_int_t) n);
}

static json_t *
op_mutate(struct txn *txn, const json_t *op, size_t index XVS_UNUSED,
          bool *failed)
{
    const struct table_schema *t;
    struct condition w;
    json_t *error = parse_table_where(txn, op, &t, &w);
    if (error) {
        *failed = true;
        return error;
    }
    const json_t *mj = json_object_get(op, "mutations");
    struct mutation *muts = xcalloc(json_array_size(mj) + 1, sizeof *muts);
    size_t n_muts = 0;
    if (!json_is_array(mj)) {
        error = ovsdb_error("syntax error", "\"mutations\" must be an array");
    }
    for (size_t i = 0; !error && i < json_array_size(mj); i++) {
        error = mutation_from_json(&muts[n_muts], t, json_array_get(mj, i),
                                   &txn->st);
        if (!error) {
            n_muts++;
        }
    }
    size_t n = 0;
    if (!error) {
        struct db_row **rows = select_rows(txn, t, &w, &n);
        for (size_t i = 0; !error && i < n; i++) {
            txn_touch(txn, rows[i]);
            for (size_t j = 0; !error && j < n_muts; j++) {
                error = mutation_apply(&muts[j], rows[i]);
            }
        }
        free(rows);
    }
    for (size_t i = 0; i < n_muts; i++) {
        mutation_destroy(&muts[i]);
    }
    free(muts);
    condition_destroy(&w);
    if (error) {
        *failed = true;
        return error;
    }
    return json_pack("{s:I}", "count", (json_int_t) n);
}

/* "wait": does the selection equal (or differ from) the given rows? */
static bool
rows_match(const struct db_row *row, const struct parsed_row *pr)
{
    for (size_t i = 0; i < pr->n; i++) {
        const struct column_schema *c = pr->cols[i];
        if (!datum_equals(&row->fields[c->index], &pr->values[i], &c->type)) {
            return false;
        }
    }
    return true;
}

static bool
wait_equal(struct db_row **rows, size_t n, const struct parsed_row *expected,
           size_t n_expected)
{
    if (n != n_expected) {
        return false;
    }
    bool *used = xcalloc(n + 1, sizeof *used);
    bool equal = true;
    for (size_t i = 0; equal && i < n; i++) {
        size_t j;
        for (j = 0; j < n_expected; j++) {
            if (!used[j] && rows_match(rows[i], &expected[j])) {
                used[j] = true;
                break;
            }
        }
        equal = j < n_expected;
    }
    free(used);
    return equal;
}

static json_t *
op_wait(struct txn *txn, const json_t *op, size_t index XVS_UNUSED,
        bool *failed)
{
    const struct table_schema *t;
    struct condition w;
    const char *until = json_string_value(json_object_get(op, "until"));
    const json_t *rows_j = json_object_get(op, "rows");
    const json_t *timeout_j = json_object_get(op, "timeout");
    json_t *error = find_table(txn, op, &t);
    if (!error && (!until || (strcmp(until, "==") && strcmp(until, "!=")))) {
        error = ovsdb_error("syntax error", "\"until\" must be \"==\" or "
                            "\"!=\"");
    }
    if (!error && !json_is_array(rows_j)) {
        error = ovsdb_error("syntax error", "\"rows\" must be an array");
    }
    if (!error && timeout_j && (!json_is_integer(timeout_j)
                                || json_integer_value(timeout_j) < 0)) {
        error = ovsdb_error("syntax error", "\"timeout\" must be a "
                            "non-negative integer");
    }
    if (!error) {
        /* Only checked: each expected row names the columns it compares. */
        size_t *cols, n_cols;
        error = parse_columns(t, json_object_get(op, "columns"), &cols,
                              &n_cols);
        if (!error) {
            free(cols);
        }
    }
    if (!error) {
        error = condition_from_json(&w, t, json_object_get(op, "where"),
                                    &txn->st);
    }
    if (error) {
        *failed = true;
        return error;
    }
    size_t n_expected = json_array_size(rows_j);
    struct parsed_row *expected = xcalloc(n_expected + 1, sizeof *expected);
    size_t n_parsed = 0;
    for (; !error && n_parsed < n_expected; n_parsed++) {
        error = parse_row(txn, t, json_array_get(rows_j, n_parsed), false,
                          false, &expected[n_parsed]);
    }
    if (error) {
        n_parsed--;
    }
    if (!error) {
        size_t n;
        struct db_row **rows = select_rows(txn, t, &w, &n);
        bool equal = wait_equal(rows, n, expected, n_expected);
        free(rows);
        if (equal != !strcmp(until, "==")) {
            long long timeout = timeout_j ? json_integer_value(timeout_j) : -1;
            if (timeout >= 0 && txn->elapsed_ms >= timeout) {
                error = ovsdb_error("timed out", "\"where\" clause test "
                                    "failed");
            } else {
                long long left = timeout < 0 ? -1 : timeout - txn->elapsed_ms;
                if (!txn->blocked || (left >= 0 && (txn->retry_ms < 0
                                                   || left < txn->retry_ms))) {
                    txn->retry_ms = left;
                }
                txn->blocked = true;
            }
        }
    }
    for (size_t i = 0; i < n_parsed; i++) {
        parsed_row_destroy(&expected[i]);
    }
    free(expected);
    condition_destroy(&w);
    if (error) {
        *failed = true;
        return error;
    }
    return json_object();
}

static json_t *
op_comment(struct txn *txn, const json_t *op, size_t index XVS_UNUSED,
           bool *failed XVS_UNUSED)
{
    const char *text = json_string_value(json_object_get(op, "comment"));
    if (text) {
        if (txn->comment.length) {
            ds_put_char(&txn->comment, '\n');
        }
        ds_put_cstr(&txn->comment, text);
    }
    return json_object();
}

static json_t *
op_commit(struct txn *txn XVS_UNUSED, const json_t *op,
          size_t index XVS_UNUSED, bool *failed)
{
    if (!json_is_boolean(json_object_get(op, "durable"))) {
        *failed = true;
        return ovsdb_error("syntax error", "\"durable\" must be a boolean");
    }
    /* Every commit is durable here, so there is nothing more to do. */
    return json_object();
}

static json_t *
op_abort(struct txn *txn XVS_UNUSED, const json_t *op XVS_UNUSED,
         size_t index XVS_UNUSED, bool *failed)
{
    *failed = true;
    return ovsdb_error("aborted", "aborted by request");
}

static json_t *
op_assert(struct txn *txn, const json_t *op, size_t index XVS_UNUSED,
          bool *failed)
{
    const char *name = json_string_value(json_object_get(op, "lock"));

    if (!lock_name_is_valid(name)) {
        *failed = true;
        return ovsdb_error("syntax error", "\"lock\" must be an <id>");
    }
    if (!txn->session || !lock_is_owner(name, txn->session)) {
        *failed = true;
        return ovsdb_error("not owner", "Asserted lock %s not held.", name);
    }
    return json_object();
}

static const struct {
    const char *name;
    op_func *func;
} operations[] = {
    { "assert", op_assert },
    { "insert", op_insert },
    { "select", op_select },
    { "update", op_update },
    { "mutate", op_mutate },
    { "delete", op_delete },
    { "wait", op_wait },
    { "commit", op_commit },
    { "abort", op_abort },
    { "comment", op_comment },
};

/* Whole-transaction checks. */

/* Rows whose count of strong references matters to this transaction:
 * garbage-collection candidates, or deleted rows that must not be
 * referenced any more.  Counting references only to these keeps a commit
 * from allocating per row of the database. */
struct refcount {
    struct hmap_node node;
    struct uuid uuid;
    const struct table_schema *table;
    size_t n;
};

static struct refcount *
refcount_find(const struct hmap *counts, const struct uuid *uuid)
{
    struct refcount *rc;
    HMAP_FOR_EACH_WITH_HASH (rc, node, uuid_hash(uuid), counts) {
        if (uuid_equals(&rc->uuid, uuid)) {
            return rc;
        }
    }
    return NULL;
}

static void
refcount_add(struct hmap *counts, const struct uuid *uuid,
             const struct table_schema *table)
{
    if (!refcount_find(counts, uuid)) {
        struct refcount *rc = xmalloc(sizeof *rc);
        rc->uuid = *uuid;
        rc->table = table;
        rc->n = 0;
        hmap_insert(counts, &rc->node, uuid_hash(uuid));
    }
}

static void
refcounts_destroy(struct hmap *counts)
{
    struct refcount *rc, *next;
    HMAP_FOR_EACH_SAFE (rc, next, node, counts) {
        hmap_remove(counts, &rc->node);
        free(rc);
    }
    hmap_destroy(counts);
}

static bool
is_strong_ref(const struct base_type *b)
{
    return b->ref_table && !b->weak;
}

/* Counts the strong references from every row to the rows in 'counts'. */
static void
count_refs(const struct db *db, struct hmap *counts)
{
    if (hmap_is_empty(counts)) {
        return;
    }
    for (size_t i = 0; i < db->schema->n_tables; i++) {
        const struct table_schema *t = &db->schema->tables[i];
        size_t *cols = xcalloc(t->n_columns, sizeof *cols);
        size_t n_cols = 0;
        for (size_t c = SCHEMA_N_BUILTIN; c < t->n_columns; c++) {
            if (is_strong_ref(&t->columns[c].type.key)
                || is_strong_ref(&t->columns[c].type.value)) {
                cols[n_cols++] = c;
            }
        }
        if (!n_cols) {
            free(cols);
            continue;
        }
        const struct db_row *row;
        HMAP_FOR_EACH (row, node, &db->tables[i].rows) {
            for (size_t j = 0; j < n_cols; j++) {
                const struct column_type *type = &t->columns[cols[j]].type;
                const struct datum *d = &row->fields[cols[j]];
                for (size_t k = 0; k < d->n; k++) {
                    struct refcount *rc;
                    if (is_strong_ref(&type->key)
                        && (rc = refcount_find(counts, &d->keys[k].uuid))) {
                        rc->n++;
                    }
                    if (is_strong_ref(&type->value)
                        && (rc = refcount_find(counts,
                                               &d->values[k].uuid))) {
                        rc->n++;
                    }
                }
            }
        }
        free(cols);
    }
}

static bool
ref_is_dangling(const struct db *db, const struct base_type *b,
                const union atom *a)
{
    return b->ref_table && !db_find_row(db, b->ref_table, &a->uuid);
}

static bool
has_weak_refs(const struct table_schema *t)
{
    for (size_t c = SCHEMA_N_BUILTIN; c < t->n_columns; c++) {
        const struct column_type *type = &t->columns[c].type;
        if ((type->key.ref_table && type->key.weak)
            || (type->value.ref_table && type->value.weak)) {
            return true;
        }
    }
    return false;
}

/* Drops weak references to missing rows.  Returns NULL or an error if
 * that leaves a column with too few elements. */
static json_t *
drop_weak_refs(struct txn *txn)
{
    struct db *db = txn->db;
    for (size_t i = 0; i < db->schema->n_tables; i++) {
        const struct table_schema *t = &db->schema->tables[i];
        struct db_row *row;
        if (!has_weak_refs(t)) {
            continue;
        }
        HMAP_FOR_EACH (row, node, &db->tables[i].rows) {
            for (size_t c = SCHEMA_N_BUILTIN; c < t->n_columns; c++) {
                const struct column_schema *col = &t->columns[c];
                const struct column_type *type = &col->type;
                if (!(type->key.ref_table && type->key.weak)
                    && !(type->value.ref_table && type->value.weak)) {
                    continue;
                }
                struct datum *d = &row->fields[c];
                struct datum gone;
                datum_init_empty(&gone);
                gone.keys = xcalloc(d->n + 1, sizeof *gone.keys);
                for (size_t k = 0; k < d->n; k++) {
                    if ((type->key.weak
                         && ref_is_dangling(db, &type->key, &d->keys[k]))
                        || (type->value.weak
                            && ref_is_dangling(db, &type->value,
                                               &d->values[k]))) {
                        gone.keys[gone.n++] = d->keys[k];
                    }
                }
                if (gone.n) {
                    struct datum keys;
                    txn_touch(txn, row);
                    /* 'gone' borrows the atoms; copy before subtracting. */
                    struct column_type kt = column_type_relaxed(type);
                    base_type_init(&kt.value, ATOMIC_VOID);
                    datum_clone(&keys, &gone, &kt);
                    datum_subtract(d, &keys, type, true);
                    datum_destroy(&keys, kt.key.type, ATOMIC_VOID);
                }
                free(gone.keys);
                if (gone.n && d->n < type->n_min) {
                    return ovsdb_error("constraint violation", "Deletion of "
                                       "weakly referenced row leaves column "
                                       "%s in table %s with too few values.",
                                       col->name, t->name);
                }
            }
        }
    }
    return NULL;
}

/* Adds to 'counts' the existing non-root rows that 'row' references,
 * leaving out those that 'still' (the row's current version, or NULL)
 * also references: only lost references can make garbage. */
static void
add_targets(const struct db *db, const struct db_row *row,
            const struct db_row *still, struct hmap *counts)
{
    const struct table_schema *t = row->table;
    for (size_t c = SCHEMA_N_BUILTIN; c < t->n_columns; c++) {
        const struct column_type *type = &t->columns[c].type;
        const struct datum *d = &row->fields[c];
        if (!is_strong_ref(&type->key) && !is_strong_ref(&type->value)) {
            continue;
        }
        for (size_t k = 0; k < d->n; k++) {
            for (int v = 0; v < 2; v++) {
                const struct base_type *b = v ? &type->value : &type->key;
                if (!is_strong_ref(b) || b->ref_table->is_root) {
                    continue;
                }
                const union atom *a = v ? &d->values[k] : &d->keys[k];
                if (still && !v && datum_find(&still->fields[c], a,
                                              ATOMIC_UUID) != SIZE_MAX) {
                    continue;
                }
                if (db_find_row(db, b->ref_table, &a->uuid)) {
                    refcount_add(counts, &a->uuid, b->ref_table);
                }
            }
        }
    }
}

/* Deletes rows of non-root tables that nothing references.  Every such
 * row was either inserted by this transaction or lost a reference in it
 * (before it, every row was referenced), so only those are candidates.
 * Returns true if it deleted any. */
static bool
collect_garbage(struct txn *txn)
{
    struct db *db = txn->db;
    bool any_root = false;
    for (size_t i = 0; i < db->schema->n_tables; i++) {
        any_root |= db->schema->tables[i].is_root;
    }
    if (!any_root) {
        return false;
    }

    struct hmap counts = HMAP_INITIALIZER;
    struct txn_row *tr;
    HMAP_FOR_EACH (tr, node, &txn->rows) {
        const struct table_schema *t = tr->row->table;
        if (!tr->old && !tr->deleted && !t->is_root) {
            refcount_add(&counts, db_row_uuid(tr->row), t);
        }
        if (tr->old) {
            add_targets(db, tr->old, tr->deleted ? NULL : tr->row, &counts);
        }
        if (tr->deleted) {
            add_targets(db, tr->row, NULL, &counts);
        }
    }
    count_refs(db, &counts);

    bool deleted = false;
    struct refcount *rc;
    HMAP_FOR_EACH (rc, node, &counts) {
        struct db_row *row = rc->n ? NULL
                                   : db_find_row(db, rc->table, &rc->uuid);
        if (row) {
            txn_delete_row(txn, row);
            deleted = true;
        }
    }
    refcounts_destroy(&counts);
    return deleted;
}

static json_t *
check_strong_refs(struct txn *txn)
{
    struct db *db = txn->db;
    struct hmap counts;
    char a[UUID_LEN + 1], b[UUID_LEN + 1];

    /* Rows deleted explicitly while still referenced. */
    hmap_init(&counts);
    struct txn_row *tr;
    HMAP_FOR_EACH (tr, node, &txn->rows) {
        if (tr->deleted && tr->old) {
            refcount_add(&counts, db_row_uuid(tr->row), tr->row->table);
        }
    }
    count_refs(db, &counts);
    struct refcount *rc;
    HMAP_FOR_EACH (rc, node, &counts) {
        if (rc->n) {
            uuid_format(&rc->uuid, a);
            json_t *error = ovsdb_error("referential integrity violation",
                                        "cannot delete %s row %s because of "
                                        "%zu remaining reference(s)",
                                        rc->table->name, a, rc->n);
            refcounts_destroy(&counts);
            return error;
        }
    }
    refcounts_destroy(&counts);

    /* References from changed rows to rows that never existed. */
    HMAP_FOR_EACH (tr, node, &txn->rows) {
        const struct db_row *row = tr->row;
        const struct table_schema *t = row->table;
        if (tr->deleted) {
            continue;
        }
        for (size_t c = SCHEMA_N_BUILTIN; c < t->n_columns; c++) {
            const struct column_type *type = &t->columns[c].type;
            const struct datum *d = &row->fields[c];
            for (size_t k = 0; k < d->n; k++) {
                const struct base_type *bt = NULL;
                const union atom *atom = NULL;
                if (!type->key.weak
                    && ref_is_dangling(db, &type->key, &d->keys[k])) {
                    bt = &type->key;
                    atom = &d->keys[k];
                } else if (d->values && !type->value.weak
                           && ref_is_dangling(db, &type->value,
                                              &d->values[k])) {
                    bt = &type->value;
                    atom = &d->values[k];
                }
                if (bt) {
                    uuid_format(db_row_uuid(row), a);
                    uuid_format(&atom->uuid, b);
                    return ovsdb_error("referential integrity violation",
                                       "Table %s column %s row %s references "
                                       "nonexistent row %s in table %s.",
                                       t->name, t->columns[c].name, a, b,
                                       bt->ref_table->name);
                }
            }
        }
    }
    return NULL;
}

static uint32_t
index_hash(const struct db_row *row, const struct table_index *ti)
{
    uint32_t hash = 0;
    for (size_t i = 0; i < ti->n; i++) {
        const struct column_type *type
            = &row->table->columns[ti->columns[i]].type;
        const struct datum *d = &row->fields[ti->columns[i]];
        for (size_t k = 0; k < d->n; k++) {
            hash = atom_hash(&d->keys[k], type->key.type, hash);
            if (d->values) {
                hash = atom_hash(&d->values[k], type->value.type, hash);
            }
        }
    }
    return hash;
}

static bool
index_equal(const struct db_row *a, const struct db_row *b,
            const struct table_index *ti)
{
    for (size_t i = 0; i < ti->n; i++) {
        size_t c = ti->columns[i];
        if (!datum_equals(&a->fields[c], &b->fields[c],
                          &a->table->columns[c].type)) {
            return false;
        }
    }
    return true;
}

struct index_entry {
    struct hmap_node node;
    const struct db_row *row;
};

static json_t *
check_table(const struct db *db, const struct table_schema *t)
{
    const struct hmap *rows = &db_table(db, t)->rows;
    if (hmap_count(rows) > t->max_rows) {
        return ovsdb_error("constraint violation", "transaction causes \"%s\" "
                           "table to contain %zu rows, greater than the "
                           "schema-defined limit of %zu row(s)",
                           t->name, hmap_count(rows), t->max_rows);
    }
    json_t *error = NULL;
    for (size_t i = 0; !error && i < t->n_indexes; i++) {
        const struct table_index *ti = &t->indexes[i];
        struct hmap seen = HMAP_INITIALIZER;
        struct index_entry *entries = xcalloc(hmap_count(rows) + 1,
                                              sizeof *entries);
        size_t n = 0;
        const struct db_row *row;
        HMAP_FOR_EACH (row, node, rows) {
            uint32_t hash = index_hash(row, ti);
            struct index_entry *e;
            HMAP_FOR_EACH_WITH_HASH (e, node, hash, &seen) {
                if (index_equal(e->row, row, ti)) {
                    size_t c0 = ti->columns[0];
                    json_t *v = datum_to_json(&row->fields[c0],
                                              &t->columns[c0].type);
                    char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
                    error = ovsdb_error("constraint violation", "Transaction "
                                        "causes multiple rows in \"%s\" table "
                                        "to have identical values (%s) for "
                                        "index on column \"%s\".", t->name,
                                        s ? s : "?",
                                        t->columns[ti->columns[0]].name);
                    free(s);
                    json_decref(v);
                    break;
                }
            }
            if (error) {
                break;
            }
            entries[n].row = row;
            hmap_insert(&seen, &entries[n++].node, hash);
        }
        hmap_destroy(&seen);
        free(entries);
    }
    return error;
}

/* Whether the transaction inserted or deleted rows or changed a column
 * that holds references: only then can references dangle or rows become
 * garbage, so the common status write-back skips the whole-database
 * scans. */
static bool
refs_may_have_changed(const struct txn *txn)
{
    const struct txn_row *tr;
    HMAP_FOR_EACH (tr, node, &txn->rows) {
        if (!tr->old || tr->deleted) {
            return true;
        }
        const struct table_schema *t = tr->row->table;
        for (size_t c = SCHEMA_N_BUILTIN; c < t->n_columns; c++) {
            const struct column_type *type = &t->columns[c].type;
            if ((type->key.ref_table || type->value.ref_table)
                && !datum_equals(&tr->old->fields[c], &tr->row->fields[c],
                                 type)) {
                return true;
            }
        }
    }
    return false;
}

static json_t *
check_transaction(struct txn *txn)
{
    json_t *error;
    if (refs_may_have_changed(txn)) {
        do {
            error = drop_weak_refs(txn);
            if (error) {
                return error;
            }
        } while (collect_garbage(txn));

        error = check_strong_refs(txn);
        if (error) {
            return error;
        }
    }
    bool *checked = xcalloc(txn->db->schema->n_tables + 1, sizeof *checked);
    struct txn_row *tr;
    HMAP_FOR_EACH (tr, node, &txn->rows) {
        size_t i = tr->row->table->index;
        if (!checked[i]) {
            checked[i] = true;
            error = check_table(txn->db, tr->row->table);
            if (error) {
                break;
            }
        }
    }
    free(checked);
    return error;
}

enum txn_status
txn_run(struct txn *txn, const json_t *ops, long long elapsed_ms,
        long long *retry_ms)
{
    txn->elapsed_ms = elapsed_ms;
    txn->result = json_array();
    collect_symbols(txn, ops);

    size_t n = json_array_size(ops);
    bool failed = false;
    for (size_t i = 0; !failed && i < n; i++) {
        const json_t *op = json_array_get(ops, i);
        const char *name = json_string_value(json_object_get(op, "op"));
        json_t *result = NULL;
        for (size_t j = 0; name && j < ARRAY_SIZE(operations); j++) {
            if (!strcmp(name, operations[j].name)) {
                result = operations[j].func(txn, op, i, &failed);
                break;
            }
        }
        if (!result) {
            failed = true;
            result = (!json_is_object(op)
                      ? ovsdb_error("syntax error", "Parsing ovsdb operation "
                                    "%zu of %zu failed: operation is not an "
                                    "object", i + 1, n)
                      : name
                      ? ovsdb_error("syntax error", "Parsing ovsdb operation "
                                    "%zu of %zu failed: No operation \"%s\"",
                                    i + 1, n, name)
                      : ovsdb_error("syntax error", "Parsing ovsdb operation "
                                    "%zu of %zu failed: missing \"op\"",
                                    i + 1, n));
        }
        json_array_append_new(txn->result, result);
    }
    if (!failed && txn->blocked) {
        rollback(txn);
        json_decref(txn->result);
        txn->result = NULL;
        *retry_ms = txn->retry_ms;
        return TXN_BLOCKED;
    }
    if (!failed) {
        json_t *error = check_transaction(txn);
        if (error) {
            json_array_append_new(txn->result, error);
            failed = true;
        }
    }
    if (failed) {
        rollback(txn);
        return TXN_FAILED;
    }
    build_changes(txn);
    return TXN_PREPARED;
}

json_t *
txn_get_result(const struct txn *txn)
{
    return json_incref(txn->result);
}

void
txn_abort(struct txn *txn)
{
    rollback(txn);
}

/* Lists the rows a PREPARED transaction really changed. */
static void
build_changes(struct txn *txn)
{
    txn->changes = xcalloc(hmap_count(&txn->rows) + 1, sizeof *txn->changes);
    struct txn_row *tr;
    HMAP_FOR_EACH (tr, node, &txn->rows) {
        struct txn_change *c = &txn->changes[txn->n_changes];
        if (tr->deleted && !tr->old) {
            continue;
        }
        if (!tr->deleted && tr->old && !db_row_differs(tr->old, tr->row)) {
            continue;
        }
        c->table = tr->row->table;
        c->old = tr->old;
        c->new = tr->deleted ? NULL : tr->row;
        txn->n_changes++;
    }
}

void
txn_commit(struct txn *txn)
{
    for (size_t i = 0; i < txn->n_changes; i++) {
        struct db_row *row = (struct db_row *) txn->changes[i].new;
        if (row) {
            uuid_generate(&row->fields[SCHEMA_COL_VERSION].keys[0].uuid);
        }
    }
}

const char *
txn_comment(const struct txn *txn)
{
    return txn->comment.length ? txn->comment.string : NULL;
}

const struct txn_change *
txn_changes(const struct txn *txn, size_t *n)
{
    *n = txn->n_changes;
    return txn->changes;
}

void
txn_destroy(struct txn *txn)
{
    if (!txn) {
        return;
    }
    struct txn_row *tr, *next;
    HMAP_FOR_EACH_SAFE (tr, next, node, &txn->rows) {
        db_row_destroy(tr->old);
        if (tr->deleted) {
            db_row_destroy(tr->row);
        }
        hmap_remove(&txn->rows, &tr->node);
        free(tr);
    }
    hmap_destroy(&txn->rows);
    for (size_t i = 0; i < txn->n_symbols; i++) {
        free(txn->symbols[i].name);
    }
    free(txn->symbols);
    hmap_destroy(&txn->symtab);
    free(txn->dup_op);
    free(txn->changes);
    ds_destroy(&txn->comment);
    json_decref(txn->result);
    free(txn);
}
