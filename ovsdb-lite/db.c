#include <config.h>
#include "db.h"
#include <stdlib.h>
#include <string.h>
#include "ovsdb-error.h"

struct db *
db_create(struct db_schema *schema)
{
    struct db *db = xzalloc(sizeof *db);
    db->schema = schema;
    db->tables = xcalloc(schema->n_tables + 1, sizeof *db->tables);
    for (size_t i = 0; i < schema->n_tables; i++) {
        db->tables[i].schema = &schema->tables[i];
        hmap_init(&db->tables[i].rows);
    }
    return db;
}

void
db_destroy(struct db *db)
{
    if (!db) {
        return;
    }
    for (size_t i = 0; i < db->schema->n_tables; i++) {
        struct db_row *row, *next;
        HMAP_FOR_EACH_SAFE (row, next, node, &db->tables[i].rows) {
            hmap_remove(&db->tables[i].rows, &row->node);
            db_row_destroy(row);
        }
        hmap_destroy(&db->tables[i].rows);
    }
    free(db->tables);
    schema_destroy(db->schema);
    free(db);
}

static void
set_uuid_field(struct datum *d, const struct uuid *uuid)
{
    d->n = 1;
    d->keys = xmalloc(sizeof *d->keys);
    d->keys[0].uuid = *uuid;
    d->values = NULL;
}

struct db_row *
db_row_create(const struct table_schema *t, const struct uuid *uuid)
{
    struct db_row *row = xzalloc(sizeof *row);
    row->table = t;
    row->fields = xcalloc(t->n_columns, sizeof *row->fields);
    struct uuid version;
    uuid_generate(&version);
    set_uuid_field(&row->fields[SCHEMA_COL_UUID], uuid);
    set_uuid_field(&row->fields[SCHEMA_COL_VERSION], &version);
    for (size_t i = SCHEMA_N_BUILTIN; i < t->n_columns; i++) {
        datum_init_default(&row->fields[i], &t->columns[i].type);
    }
    return row;
}

struct db_row *
db_row_clone(const struct db_row *src)
{
    const struct table_schema *t = src->table;
    struct db_row *row = xzalloc(sizeof *row);
    row->table = t;
    row->fields = xcalloc(t->n_columns, sizeof *row->fields);
    for (size_t i = 0; i < t->n_columns; i++) {
        datum_clone(&row->fields[i], &src->fields[i], &t->columns[i].type);
    }
    return row;
}

void
db_row_destroy(struct db_row *row)
{
    if (!row) {
        return;
    }
    const struct table_schema *t = row->table;
    for (size_t i = 0; i < t->n_columns; i++) {
        datum_destroy(&row->fields[i], t->columns[i].type.key.type,
                      t->columns[i].type.value.type);
    }
    free(row->fields);
    free(row->saved);
    free(row);
}

void
db_row_changed(struct db_row *row)
{
    free(row->saved);
    row->saved = NULL;
}

bool
db_row_differs(const struct db_row *a, const struct db_row *b)
{
    const struct table_schema *t = a->table;
    for (size_t i = 0; i < t->n_columns; i++) {
        if (i != SCHEMA_COL_VERSION
            && !datum_equals(&a->fields[i], &b->fields[i],
                             &t->columns[i].type)) {
            return true;
        }
    }
    return false;
}

struct db_row *
db_find_row(const struct db *db, const struct table_schema *t,
            const struct uuid *uuid)
{
    struct db_row *row;
    HMAP_FOR_EACH_WITH_HASH (row, node, uuid_hash(uuid),
                             &db_table(db, t)->rows) {
        if (uuid_equals(db_row_uuid(row), uuid)) {
            return row;
        }
    }
    return NULL;
}

void
db_insert_row(struct db *db, struct db_row *row)
{
    hmap_insert(&db_table(db, row->table)->rows, &row->node,
                uuid_hash(db_row_uuid(row)));
}

void
db_remove_row(struct db *db, struct db_row *row)
{
    hmap_remove(&db_table(db, row->table)->rows, &row->node);
}

json_t *
db_row_to_json(const struct db_row *row, const size_t *columns,
               size_t n_columns)
{
    const struct table_schema *t = row->table;
    json_t *obj = json_object();
    size_t n = columns ? n_columns : t->n_columns;
    for (size_t i = 0; i < n; i++) {
        size_t c = columns ? columns[i] : i;
        json_object_set_new(obj, t->columns[c].name,
                            datum_to_json(&row->fields[c],
                                          &t->columns[c].type));
    }
    return obj;
}

json_t *
db_row_to_storage(const struct db_row *row)
{
    const struct table_schema *t = row->table;
    json_t *cols = json_object();
    for (size_t c = SCHEMA_N_BUILTIN; c < t->n_columns; c++) {
        const struct column_type *type = &t->columns[c].type;
        const struct datum *d = &row->fields[c];
        bool is_default = (type->n_min ? false : d->n == 0);
        if (type->n_min && d->n == 1) {
            struct datum dflt;
            datum_init_default(&dflt, type);
            is_default = datum_equals(d, &dflt, type);
            datum_destroy(&dflt, type->key.type, type->value.type);
        }
        if (!is_default) {
            json_object_set_new(cols, t->columns[c].name,
                                datum_to_json(d, type));
        }
    }
    return cols;
}

void
db_data_to_text(struct db *db, struct ds *out)
{
    bool first_table = true;
    ds_put_char(out, '{');
    for (size_t i = 0; i < db->schema->n_tables; i++) {
        const struct table_schema *t = &db->schema->tables[i];
        struct db_row *row;
        bool first_row = true;
        HMAP_FOR_EACH (row, node, &db->tables[i].rows) {
            if (!row->saved) {
                json_t *cols = db_row_to_storage(row);
                char *text = json_dumps(cols, JSON_COMPACT);
                char buf[UUID_LEN + 1];
                uuid_format(db_row_uuid(row), buf);
                row->saved = xasprintf("\"%s\":%s", buf, text);
                free(text);
                json_decref(cols);
            }
            if (first_row) {
                ds_put_format(out, "%s\"%s\":{", first_table ? "" : ",",
                              t->name);
                first_table = first_row = false;
            } else {
                ds_put_char(out, ',');
            }
            ds_put_cstr(out, row->saved);
        }
        if (!first_row) {
            ds_put_char(out, '}');
        }
    }
    ds_put_char(out, '}');
}

json_t *
db_row_from_storage(const struct table_schema *t, const struct uuid *uuid,
                    const json_t *cols, struct db_row **rowp)
{
    *rowp = NULL;
    if (!json_is_object(cols)) {
        return ovsdb_error("syntax error", "table %s: row is not an object",
                           t->name);
    }
    struct db_row *row = db_row_create(t, uuid);
    const char *name;
    const json_t *value;
    json_object_foreach ((json_t *) cols, name, value) {
        const struct column_schema *c = schema_find_column(t, name);
        if (!c || c->index < SCHEMA_N_BUILTIN) {
            db_row_destroy(row);
            return ovsdb_error("unknown column", "No column %s in table %s.",
                               name, t->name);
        }
        struct datum d;
        json_t *error = datum_from_json(&d, &c->type, value, NULL);
        if (!error) {
            error = datum_check(&d, &c->type, c->name);
            if (error) {
                datum_destroy(&d, c->type.key.type, c->type.value.type);
            }
        }
        if (error) {
            db_row_destroy(row);
            return error;
        }
        datum_move(&row->fields[c->index], &d, &c->type);
    }
    *rowp = row;
    return NULL;
}

static json_t *
load_row(struct db *db, const struct table_schema *t, const char *uuid_s,
         const json_t *cols)
{
    struct uuid uuid;
    if (!uuid_from_string(&uuid, uuid_s)) {
        return ovsdb_error("syntax error", "table %s: bad row %s", t->name,
                           uuid_s);
    }
    if (db_find_row(db, t, &uuid)) {
        return ovsdb_error("syntax error", "table %s: duplicate row %s",
                           t->name, uuid_s);
    }
    struct db_row *row;
    json_t *error = db_row_from_storage(t, &uuid, cols, &row);
    if (!error) {
        db_insert_row(db, row);
    }
    return error;
}

json_t *
db_data_from_json(struct db *db, const json_t *data)
{
    if (!json_is_object(data)) {
        return ovsdb_error("syntax error", "data is not an object");
    }
    const char *tname;
    const json_t *rows;
    json_object_foreach ((json_t *) data, tname, rows) {
        const struct table_schema *t = schema_find_table(db->schema, tname);
        if (!t || !json_is_object(rows)) {
            return ovsdb_error("syntax error", "No table named %s.", tname);
        }
        const char *uuid_s;
        const json_t *cols;
        json_object_foreach ((json_t *) rows, uuid_s, cols) {
            json_t *error = load_row(db, t, uuid_s, cols);
            if (error) {
                return error;
            }
        }
    }
    return NULL;
}

json_t *
db_convert(struct db *old, struct db_schema *schema, struct db **newp)
{
    struct db *db = db_create(schema);
    for (size_t i = 0; i < schema->n_tables; i++) {
        const struct table_schema *nt = &schema->tables[i];
        const struct table_schema *ot = schema_find_table(old->schema,
                                                          nt->name);
        if (!ot) {
            continue;
        }
        const struct db_row *orow;
        HMAP_FOR_EACH (orow, node, &db_table(old, ot)->rows) {
            struct db_row *row = db_row_create(nt, db_row_uuid(orow));
            db_insert_row(db, row);
            for (size_t c = SCHEMA_N_BUILTIN; c < nt->n_columns; c++) {
                const struct column_schema *nc = &nt->columns[c];
                const struct column_schema *oc = schema_find_column(ot,
                                                                    nc->name);
                if (!oc) {
                    continue;
                }
                json_t *value = datum_to_json(&orow->fields[oc->index],
                                              &oc->type);
                struct datum d;
                json_t *error = datum_from_json(&d, &nc->type, value, NULL);
                json_decref(value);
                if (!error) {
                    error = datum_check(&d, &nc->type, nc->name);
                    if (error) {
                        datum_destroy(&d, nc->type.key.type,
                                      nc->type.value.type);
                    }
                }
                if (error) {
                    char uuid[UUID_LEN + 1];
                    uuid_format(db_row_uuid(orow), uuid);
                    const char *details = json_string_value(
                        json_object_get(error, "details"));
                    json_t *cerror = ovsdb_error(
                        "constraint violation", "table %s row %s column %s "
                        "does not fit the new schema: %s", nt->name, uuid,
                        nc->name, details ? details : "bad value");
                    json_decref(error);
                    error = cerror;
                    db_destroy(db);
                    *newp = NULL;
                    return error;
                }
                datum_move(&row->fields[c], &d, &nc->type);
            }
        }
    }
    *newp = db;
    return NULL;
}
