#include <config.h>
#include "txn.h"
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "ovsdb-error.h"

/* A row the transaction touched, with its state before the transaction. */
struct txn_row {
    struct hmap_node node;      /* In txn.rows, by uuid_hash(). */
    struct db_row *row;         /* The live row (detached if deleted). */
    struct db_row *old;         /* Snapshot; NULL if inserted here. */
    bool deleted;
};

struct txn_symbol {
    char *name;
    struct uuid uuid;
    size_t op;                  /* Index of the defining "insert". */
};

struct txn {
    struct db *db;
    struct hmap rows;           /* txn_row. */
    struct txn_symbol *symbols;
    size_t n_symbols;
    size_t *dup_ops;            /* Ops whose uuid-name is a duplicate. */
    size_t n_dup_ops;
    json_t *result;
    struct txn_change *changes;
    size_t n_changes;
    bool blocked;
    long long elapsed_ms, retry_ms;
};

struct txn *
txn_create(struct db *db)
{
    struct txn *txn = xzalloc(sizeof *txn);
    txn->db = db;
    hmap_init(&txn->rows);
    return txn;
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
    for (size_t i = 0; i < txn->n_symbols; i++) {
        if (!strcmp(txn->symbols[i].name, name)) {
            *uuid = txn->symbols[i].uuid;
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
    txn->dup_ops = xcalloc(n + 1, sizeof *txn->dup_ops);
    for (size_t i = 0; i < n; i++) {
        const json_t *op = json_array_get(ops, i);
        const char *kind = json_string_value(json_object_get(op, "op"));
        const char *name = json_string_value(json_object_get(op, "uuid-name"));
        struct uuid uuid;
        if (!kind || strcmp(kind, "insert") || !name) {
            continue;
        }
        if (symbol_lookup(name, &uuid, txn)) {
            txn->dup_ops[txn->n_dup_ops++] = i;
        } else {
            struct txn_symbol *s = &txn->symbols[txn->n_symbols++];
            s->name = xstrdup(name);
            uuid_generate(&s->uuid);
            s->op = i;
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

static json_t *
find_column(const struct table_schema *t, const json_t *name_j,
            const struct column_schema **cp)
{
    const char *name = json_string_value(name_j);
    if (!name) {
        return ovsdb_error("syntax error", "column name must be a string");
    }
    *cp = schema_find_column(t, name);
    return *cp ? NULL : ovsdb_error("unknown column",
                                    "No column %s in table %s.", name,
                                    t->name);
}

/* A column type that accepts any number of elements, for arguments of
 * conditions and mutations. */
static struct column_type
relaxed(const struct column_type *t)
{
    struct column_type r = *t;
    r.n_min = 0;
    r.n_max = TYPE_UNLIMITED;
    return r;
}

static struct datum_symtab
symtab(struct txn *txn)
{
    return (struct datum_symtab) { symbol_lookup, txn };
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

    struct datum_symtab st = symtab(txn);
    const char *name;
    json_t *value;
    json_object_foreach ((json_t *) json, name, value) {
        const struct column_schema *c = schema_find_column(t, name);
        json_t *error = NULL;
        if (!c) {
            error = ovsdb_error("unknown column", "No column %s in table %s.",
                                name, t->name);
        } else if (c->index < SCHEMA_N_BUILTIN) {
            error = ovsdb_error("constraint violation",
                                "Cannot set column %s in table %s.",
                                name, t->name);
        } else if (for_update && !c->mutable_) {
            error = ovsdb_error("constraint violation", "Cannot update "
                                "immutable column %s in table %s.",
                                name, t->name);
        } else {
            error = datum_from_json(&pr->values[pr->n], &c->type, value, &st);
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

/* Conditions ("where"). */

enum cond_func { COND_EQ, COND_NE, COND_INCLUDES, COND_EXCLUDES,
                 COND_LT, COND_LE, COND_GT, COND_GE };
static const char *const cond_names[] = {
    "==", "!=", "includes", "excludes", "<", "<=", ">", ">=",
};

struct cond {
    const struct column_schema *column;
    enum cond_func func;
    struct datum arg;
};

struct where {
    size_t n;
    struct cond *conds;
};

static void
where_destroy(struct where *w)
{
    for (size_t i = 0; i < w->n; i++) {
        destroy_datum(&w->conds[i].arg, w->conds[i].column);
    }
    free(w->conds);
}

static json_t *
parse_where(struct txn *txn, const struct table_schema *t, const json_t *json,
            struct where *w)
{
    memset(w, 0, sizeof *w);
    if (!json) {
        return NULL;
    }
    if (!json_is_array(json)) {
        return ovsdb_error("syntax error", "\"where\" must be an array");
    }
    w->conds = xcalloc(json_array_size(json) + 1, sizeof *w->conds);
    struct datum_symtab st = symtab(txn);
    for (size_t i = 0; i < json_array_size(json); i++) {
        const json_t *cj = json_array_get(json, i);
        const char *fname = json_string_value(json_array_get(cj, 1));
        struct cond *c = &w->conds[w->n];
        json_t *error = NULL;
        if (!json_is_array(cj) || json_array_size(cj) != 3 || !fname) {
            error = ovsdb_error("syntax error", "condition must be "
                                "[column, function, value]");
        } else {
            error = find_column(t, json_array_get(cj, 0), &c->column);
        }
        if (!error) {
            size_t f;
            for (f = 0; f < ARRAY_SIZE(cond_names); f++) {
                if (!strcmp(fname, cond_names[f])) {
                    break;
                }
            }
            const struct column_type *type = &c->column->type;
            if (f == ARRAY_SIZE(cond_names)) {
                error = ovsdb_error("syntax error", "unknown function %s",
                                    fname);
            } else if (f >= COND_LT
                       && (!column_type_is_scalar(type)
                           || (type->key.type != ATOMIC_INTEGER
                               && type->key.type != ATOMIC_REAL))) {
                error = ovsdb_error("syntax error", "Type mismatch: \"%s\" "
                                    "operator may not be applied to column "
                                    "%s of type %s.", fname, c->column->name,
                                    atomic_type_name(type->key.type));
            } else {
                c->func = f;
                struct column_type r = relaxed(type);
                error = datum_from_json(&c->arg, &r, json_array_get(cj, 2),
                                        &st);
                if (!error && f >= COND_LT && c->arg.n != 1) {
                    destroy_datum(&c->arg, c->column);
                    error = ovsdb_error("syntax error", "\"%s\" needs one "
                                        "value", fname);
                }
            }
        }
        if (error) {
            where_destroy(w);
            return error;
        }
        w->n++;
    }
    return NULL;
}

static bool
datum_excludes(const struct datum *a, const struct datum *b,
               const struct column_type *t)
{
    for (size_t i = 0; i < b->n; i++) {
        size_t j = datum_find(a, &b->keys[i], t->key.type);
        if (j != SIZE_MAX
            && (!a->values
                || !atom_compare(&a->values[j], &b->values[i],
                                 t->value.type))) {
            return false;
        }
    }
    return true;
}

static bool
cond_holds(const struct cond *c, const struct db_row *row)
{
    const struct datum *d = &row->fields[c->column->index];
    const struct column_type *t = &c->column->type;
    int cmp;

    switch (c->func) {
    case COND_EQ:
        return datum_equals(d, &c->arg, t);
    case COND_NE:
        return !datum_equals(d, &c->arg, t);
    case COND_INCLUDES:
        return datum_includes(d, &c->arg, t);
    case COND_EXCLUDES:
        return datum_excludes(d, &c->arg, t);
    case COND_LT:
    case COND_LE:
    case COND_GT:
    case COND_GE:
        cmp = atom_compare(&d->keys[0], &c->arg.keys[0], t->key.type);
        return (c->func == COND_LT ? cmp < 0
                : c->func == COND_LE ? cmp <= 0
                : c->func == COND_GT ? cmp > 0
                : cmp >= 0);
    }
    return false;
}

static bool
where_holds(const struct where *w, const struct db_row *row)
{
    for (size_t i = 0; i < w->n; i++) {
        if (!cond_holds(&w->conds[i], row)) {
            return false;
        }
    }
    return true;
}

/* The rows of 't' matching 'w', as an array the caller frees (safe to
 * modify or delete the rows while walking it). */
static struct db_row **
select_rows(struct txn *txn, const struct table_schema *t,
            const struct where *w, size_t *n)
{
    struct db_table *dt = db_table(txn->db, t);
    struct db_row **rows = xcalloc(hmap_count(&dt->rows) + 1, sizeof *rows);
    struct db_row *row;

    *n = 0;
    /* A condition "_uuid == X" is the common case: look it up directly. */
    if (w->n && w->conds[0].column->index == SCHEMA_COL_UUID
        && w->conds[0].func == COND_EQ && w->conds[0].arg.n == 1) {
        row = db_find_row(txn->db, t, &w->conds[0].arg.keys[0].uuid);
        if (row && where_holds(w, row)) {
            rows[(*n)++] = row;
        }
        return rows;
    }
    HMAP_FOR_EACH (row, node, &dt->rows) {
        if (where_holds(w, row)) {
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
        json_t *error = find_column(t, json_array_get(json, i), &c);
        if (error) {
            free(*cols);
            *cols = NULL;
            return error;
        }
        (*cols)[(*n)++] = c->index;
    }
    return NULL;
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
        for (size_t i = 0; i < txn->n_dup_ops; i++) {
            if (txn->dup_ops[i] == index) {
                *failed = true;
                return ovsdb_error("duplicate uuid-name", "This \"uuid-name\" "
                                   "appeared on an earlier \"insert\" "
                                   "operation.");
            }
        }
        symbol_lookup(name, &uuid, txn);
    } else {
        uuid_generate(&uuid);
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
    struct where w;
    size_t *cols = NULL, n_cols;
    json_t *error = find_table(txn, op, &t);
    if (!error) {
        error = parse_where(txn, t, json_object_get(op, "where"), &w);
    }
    if (!error) {
        error = parse_columns(t, json_object_get(op, "columns"),
                              &cols, &n_cols);
        if (error) {
            where_destroy(&w);
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
    where_destroy(&w);
    return json_pack("{s:o}", "rows", array);
}

static json_t *
op_update(struct txn *txn, const json_t *op, size_t index XVS_UNUSED,
          bool *failed)
{
    const struct table_schema *t;
    struct where w;
    struct parsed_row pr;
    json_t *error = find_table(txn, op, &t);
    if (!error) {
        error = parse_row(txn, t, json_object_get(op, "row"), true, true, &pr);
    }
    if (!error) {
        error = parse_where(txn, t, json_object_get(op, "where"), &w);
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
    where_destroy(&w);
    parsed_row_destroy(&pr);
    return json_pack("{s:I}", "count", (json_int_t) n);
}

static json_t *
op_delete(struct txn *txn, const json_t *op, size_t index XVS_UNUSED,
          bool *failed)
{
    const struct table_schema *t;
    struct where w;
    json_t *error = find_table(txn, op, &t);
    if (!error) {
        error = parse_where(txn, t, json_object_get(op, "where"), &w);
    }
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
    where_destroy(&w);
    return json_pack("{s:I}", "count", (json_int_t) n);
}

/* Mutations. */

enum mutator { MUT_ADD, MUT_SUB, MUT_MUL, MUT_DIV, MUT_MOD, MUT_INSERT,
               MUT_DELETE };
static const char *const mutator_names[] = {
    "+=", "-=", "*=", "/=", "%=", "insert", "delete",
};

struct mutation {
    const struct column_schema *column;
    enum mutator mutator;
    struct datum arg;
    bool arg_is_keys;           /* "delete" on a map with a set of keys. */
};

static json_t *
parse_mutation(struct txn *txn, const struct table_schema *t,
               const json_t *json, struct mutation *m)
{
    const char *mname = json_string_value(json_array_get(json, 1));
    memset(m, 0, sizeof *m);
    if (!json_is_array(json) || json_array_size(json) != 3 || !mname) {
        return ovsdb_error("syntax error", "mutation must be "
                           "[column, mutator, value]");
    }
    json_t *error = find_column(t, json_array_get(json, 0), &m->column);
    if (error) {
        return error;
    }
    size_t i;
    for (i = 0; i < ARRAY_SIZE(mutator_names); i++) {
        if (!strcmp(mname, mutator_names[i])) {
            break;
        }
    }
    if (i == ARRAY_SIZE(mutator_names)) {
        return ovsdb_error("syntax error", "Unknown mutator \"%s\".", mname);
    }
    m->mutator = i;
    const struct column_type *type = &m->column->type;
    if (!m->column->mutable_) {
        return ovsdb_error("constraint violation", "Cannot mutate immutable "
                           "column %s in table %s.", m->column->name, t->name);
    }
    const json_t *arg = json_array_get(json, 2);
    struct datum_symtab st = symtab(txn);
    if (m->mutator <= MUT_MOD) {
        enum atomic_type k = type->key.type;
        if (column_type_is_map(type)
            || (k != ATOMIC_INTEGER && k != ATOMIC_REAL)
            || (k == ATOMIC_REAL && m->mutator == MUT_MOD)) {
            return ovsdb_error("syntax error", "Type mismatch: \"%s\" operator "
                               "may not be applied to column %s.", mname,
                               m->column->name);
        }
        struct base_type base;
        base_type_init(&base, k);
        m->arg.keys = xmalloc(sizeof *m->arg.keys);
        error = atom_from_json(&m->arg.keys[0], &base, arg, &st);
        if (error) {
            free(m->arg.keys);
            m->arg.keys = NULL;
            return error;
        }
        m->arg.n = 1;
        return NULL;
    }
    struct column_type r = relaxed(type);
    const char *tag = json_string_value(json_array_get(arg, 0));
    if (m->mutator == MUT_DELETE && column_type_is_map(type)
        && !(tag && !strcmp(tag, "map"))) {
        base_type_init(&r.value, ATOMIC_VOID);
        m->arg_is_keys = true;
    }
    error = datum_from_json(&m->arg, &r, arg, &st);
    if (error) {
        m->arg_is_keys = false;
    }
    return error;
}

static void
mutation_destroy(struct mutation *m)
{
    datum_destroy(&m->arg, m->column->type.key.type,
                  m->arg_is_keys ? ATOMIC_VOID : m->column->type.value.type);
}

static json_t *
arith(enum mutator mut, union atom *a, const union atom *b,
      enum atomic_type type)
{
    const char *name = mutator_names[mut];
    if (type == ATOMIC_INTEGER) {
        long long x = a->integer, y = b->integer, r = 0;
        bool overflow = false;
        if ((mut == MUT_DIV || mut == MUT_MOD) && !y) {
            return ovsdb_error("domain error", "Division by zero.");
        }
        switch (mut) {
        case MUT_ADD: overflow = __builtin_add_overflow(x, y, &r); break;
        case MUT_SUB: overflow = __builtin_sub_overflow(x, y, &r); break;
        case MUT_MUL: overflow = __builtin_mul_overflow(x, y, &r); break;
        case MUT_DIV:
            overflow = y == -1 && x == LLONG_MIN;
            r = overflow ? 0 : x / y;
            break;
        case MUT_MOD: r = y == -1 ? 0 : x % y; break;
        case MUT_INSERT:
        case MUT_DELETE:
            break;
        }
        if (overflow) {
            return ovsdb_error("range error", "Result of \"%s\" operation is "
                               "out of range.", name);
        }
        a->integer = r;
    } else {
        double x = a->real, y = b->real, r = x;
        if (mut == MUT_DIV && y == 0) {
            return ovsdb_error("domain error", "Division by zero.");
        }
        r = (mut == MUT_ADD ? x + y : mut == MUT_SUB ? x - y
             : mut == MUT_MUL ? x * y : x / y);
        if (!isfinite(r)) {
            return ovsdb_error("range error", "Result of \"%s\" operation is "
                               "out of range.", name);
        }
        a->real = r;
    }
    return NULL;
}

static json_t *
apply_mutation(const struct mutation *m, struct db_row *row)
{
    const struct column_type *type = &m->column->type;
    struct datum *d = &row->fields[m->column->index];
    json_t *error = NULL;

    switch (m->mutator) {
    case MUT_ADD:
    case MUT_SUB:
    case MUT_MUL:
    case MUT_DIV:
    case MUT_MOD:
        for (size_t i = 0; i < d->n && !error; i++) {
            error = arith(m->mutator, &d->keys[i], &m->arg.keys[0],
                          type->key.type);
        }
        if (!error && (error = datum_sort(d, type))) {
            json_decref(error);
            error = ovsdb_error("constraint violation", "Result of \"%s\" "
                                "operation contains duplicates.",
                                mutator_names[m->mutator]);
        }
        break;
    case MUT_INSERT:
        datum_union(d, &m->arg, type);
        break;
    case MUT_DELETE:
        datum_subtract(d, &m->arg, type, m->arg_is_keys);
        break;
    }
    return error ? error : datum_check(d, type, m->column->name);
}

static json_t *
op_mutate(struct txn *txn, const json_t *op, size_t index XVS_UNUSED,
          bool *failed)
{
    const struct table_schema *t;
    struct where w;
    json_t *error = find_table(txn, op, &t);
    if (!error) {
        error = parse_where(txn, t, json_object_get(op, "where"), &w);
    }
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
        error = parse_mutation(txn, t, json_array_get(mj, i), &muts[n_muts]);
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
                error = apply_mutation(&muts[j], rows[i]);
            }
        }
        free(rows);
    }
    for (size_t i = 0; i < n_muts; i++) {
        mutation_destroy(&muts[i]);
    }
    free(muts);
    where_destroy(&w);
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
    struct where w;
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
        error = parse_where(txn, t, json_object_get(op, "where"), &w);
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
    where_destroy(&w);
    if (error) {
        *failed = true;
        return error;
    }
    return json_object();
}

static json_t *
op_comment(struct txn *txn XVS_UNUSED, const json_t *op XVS_UNUSED,
           size_t index XVS_UNUSED, bool *failed XVS_UNUSED)
{
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

static const struct {
    const char *name;
    op_func *func;
} operations[] = {
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

struct refcount {
    struct hmap_node node;
    struct uuid uuid;
    size_t n;
};

static void
refcount_add(struct hmap *counts, const struct uuid *uuid)
{
    struct refcount *rc;
    HMAP_FOR_EACH_WITH_HASH (rc, node, uuid_hash(uuid), counts) {
        if (uuid_equals(&rc->uuid, uuid)) {
            rc->n++;
            return;
        }
    }
    rc = xmalloc(sizeof *rc);
    rc->uuid = *uuid;
    rc->n = 1;
    hmap_insert(counts, &rc->node, uuid_hash(uuid));
}

static size_t
refcount_get(const struct hmap *counts, const struct uuid *uuid)
{
    struct refcount *rc;
    HMAP_FOR_EACH_WITH_HASH (rc, node, uuid_hash(uuid), counts) {
        if (uuid_equals(&rc->uuid, uuid)) {
            return rc->n;
        }
    }
    return 0;
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

/* Counts strong references to every row of the database. */
static void
count_refs(const struct db *db, struct hmap *counts)
{
    hmap_init(counts);
    for (size_t i = 0; i < db->schema->n_tables; i++) {
        const struct table_schema *t = &db->schema->tables[i];
        const struct db_row *row;
        HMAP_FOR_EACH (row, node, &db->tables[i].rows) {
            for (size_t c = SCHEMA_N_BUILTIN; c < t->n_columns; c++) {
                const struct column_type *type = &t->columns[c].type;
                const struct datum *d = &row->fields[c];
                for (size_t k = 0; k < d->n; k++) {
                    if (type->key.ref_table && !type->key.weak) {
                        refcount_add(counts, &d->keys[k].uuid);
                    }
                    if (type->value.ref_table && !type->value.weak) {
                        refcount_add(counts, &d->values[k].uuid);
                    }
                }
            }
        }
    }
}

static bool
ref_is_dangling(const struct db *db, const struct base_type *b,
                const union atom *a)
{
    return b->ref_table && !db_find_row(db, b->ref_table, &a->uuid);
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
                    struct column_type kt = relaxed(type);
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

/* Deletes unreferenced rows of non-root tables.  Returns true if it
 * deleted any. */
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

    struct hmap counts;
    bool deleted = false;
    count_refs(db, &counts);
    for (size_t i = 0; i < db->schema->n_tables; i++) {
        if (db->schema->tables[i].is_root) {
            continue;
        }
        struct db_row *row, *next;
        HMAP_FOR_EACH_SAFE (row, next, node, &db->tables[i].rows) {
            if (!refcount_get(&counts, db_row_uuid(row))) {
                txn_delete_row(txn, row);
                deleted = true;
            }
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
    count_refs(db, &counts);
    struct txn_row *tr;
    HMAP_FOR_EACH (tr, node, &txn->rows) {
        size_t n = tr->deleted ? refcount_get(&counts, db_row_uuid(tr->row))
                               : 0;
        if (n) {
            refcounts_destroy(&counts);
            uuid_format(db_row_uuid(tr->row), a);
            return ovsdb_error("referential integrity violation",
                               "cannot delete %s row %s because of %zu "
                               "remaining reference(s)",
                               tr->row->table->name, a, n);
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
                } else if (!type->value.weak
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
        const struct column_type *type = &row->table->columns[ti->columns[i]].type;
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
                    json_t *v = datum_to_json(&row->fields[ti->columns[0]],
                                              &t->columns[ti->columns[0]].type);
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

static json_t *
check_transaction(struct txn *txn)
{
    json_t *error;
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

void
txn_commit(struct txn *txn)
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
        if (!tr->deleted) {
            uuid_generate(&tr->row->fields[SCHEMA_COL_VERSION].keys[0].uuid);
        }
        c->table = tr->row->table;
        c->old = tr->old;
        c->new = tr->deleted ? NULL : tr->row;
        txn->n_changes++;
    }
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
    free(txn->dup_ops);
    free(txn->changes);
    json_decref(txn->result);
    free(txn);
}
