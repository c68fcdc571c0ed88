#include <config.h>
#include "schema.h"
#include <stdlib.h>
#include <string.h>
#include "datum.h"
#include "ovsdb-error.h"
#include "util.h"

static bool
valid_id(const char *s)
{
    if (!*s || (!(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z')
                && *s != '_')) {
        return false;
    }
    for (; *s; s++) {
        if (!(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z')
            && !(*s >= '0' && *s <= '9') && *s != '_') {
            return false;
        }
    }
    return true;
}

static void
builtin_column(struct column_schema *c, const char *name, size_t index)
{
    memset(c, 0, sizeof *c);
    c->name = xstrdup(name);
    c->index = index;
    base_type_init(&c->type.key, ATOMIC_UUID);
    base_type_init(&c->type.value, ATOMIC_VOID);
    c->type.n_min = c->type.n_max = 1;
}

static json_t *
table_from_json(struct table_schema *t, const char *name, const json_t *json)
{
    t->name = xstrdup(name);
    t->max_rows = SIZE_MAX;
    if (!valid_id(name) || name[0] == '_') {
        return ovsdb_error("syntax error", "invalid table name \"%s\"", name);
    }
    const json_t *cols = json_object_get(json, "columns");
    if (!json_is_object(cols) || !json_object_size(cols)) {
        return ovsdb_error("syntax error", "table %s has no columns", name);
    }
    t->n_columns = SCHEMA_N_BUILTIN;
    t->columns = xcalloc(json_object_size(cols) + SCHEMA_N_BUILTIN,
                         sizeof *t->columns);
    builtin_column(&t->columns[SCHEMA_COL_UUID], "_uuid", SCHEMA_COL_UUID);
    builtin_column(&t->columns[SCHEMA_COL_VERSION], "_version",
                   SCHEMA_COL_VERSION);

    const char *cname;
    const json_t *cj;
    json_object_foreach((json_t *) cols, cname, cj) {
        struct column_schema *c = &t->columns[t->n_columns];
        c->name = xstrdup(cname);
        c->index = t->n_columns++;
        base_type_init(&c->type.key, ATOMIC_VOID);
        base_type_init(&c->type.value, ATOMIC_VOID);
        if (!valid_id(cname) || cname[0] == '_') {
            return ovsdb_error("syntax error", "invalid column name \"%s\"",
                               cname);
        }
        json_t *error = column_type_from_json(&c->type,
                                              json_object_get(cj, "type"));
        if (error) {
            return error;
        }
        const json_t *m = json_object_get(cj, "mutable");
        c->mutable_ = !m || json_is_true(m);
        c->ephemeral = json_is_true(json_object_get(cj, "ephemeral"));
    }
    t->is_root = json_is_true(json_object_get(json, "isRoot"));
    const json_t *mr = json_object_get(json, "maxRows");
    if (mr) {
        if (!json_is_integer(mr) || json_integer_value(mr) < 1) {
            return ovsdb_error("syntax error", "table %s: bad maxRows", name);
        }
        t->max_rows = json_integer_value(mr);
    }
    const json_t *idx = json_object_get(json, "indexes");
    if (idx) {
        t->n_indexes = json_array_size(idx);
        t->indexes = xcalloc(t->n_indexes + 1, sizeof *t->indexes);
        for (size_t i = 0; i < t->n_indexes; i++) {
            const json_t *ij = json_array_get(idx, i);
            struct table_index *ti = &t->indexes[i];
            ti->columns = xcalloc(json_array_size(ij) + 1,
                                  sizeof *ti->columns);
            for (size_t j = 0; j < json_array_size(ij); j++) {
                const char *n = json_string_value(json_array_get(ij, j));
                const struct column_schema *c = n ? schema_find_column(t, n)
                                                  : NULL;
                if (!c) {
                    return ovsdb_error("syntax error",
                                       "table %s index names unknown column",
                                       name);
                }
                ti->columns[ti->n++] = c->index;
            }
            if (!ti->n) {
                return ovsdb_error("syntax error", "table %s: empty index",
                                   name);
            }
        }
    }
    return NULL;
}

static json_t *
resolve_refs(struct db_schema *s, struct base_type *b)
{
    if (b->ref_table_name) {
        b->ref_table = schema_find_table(s, b->ref_table_name);
        if (!b->ref_table) {
            return ovsdb_error("syntax error",
                               "reference to unknown table \"%s\"",
                               b->ref_table_name);
        }
    }
    return NULL;
}

json_t *
schema_from_json(const json_t *json, struct db_schema **schemap)
{
    *schemap = NULL;
    if (!json_is_object(json)) {
        return ovsdb_error("syntax error", "schema is not a JSON object");
    }
    const char *name = json_string_value(json_object_get(json, "name"));
    const json_t *tables = json_object_get(json, "tables");
    if (!name || !json_is_object(tables)) {
        return ovsdb_error("syntax error", "schema needs \"name\" and "
                           "\"tables\"");
    }
    struct db_schema *s = xzalloc(sizeof *s);
    s->name = xstrdup(name);
    const char *version = json_string_value(json_object_get(json, "version"));
    s->version = version ? xstrdup(version) : NULL;
    s->json = json_deep_copy(json);
    s->tables = xcalloc(json_object_size(tables) + 1, sizeof *s->tables);

    const char *tname;
    const json_t *tj;
    json_t *error = NULL;
    json_object_foreach((json_t *) tables, tname, tj) {
        struct table_schema *t = &s->tables[s->n_tables];
        t->index = s->n_tables++;
        error = table_from_json(t, tname, tj);
        if (error) {
            break;
        }
    }
    for (size_t i = 0; !error && i < s->n_tables; i++) {
        struct table_schema *t = &s->tables[i];
        for (size_t j = 0; !error && j < t->n_columns; j++) {
            error = resolve_refs(s, &t->columns[j].type.key);
            if (!error) {
                error = resolve_refs(s, &t->columns[j].type.value);
            }
        }
    }
    if (error) {
        schema_destroy(s);
        return error;
    }
    *schemap = s;
    return NULL;
}

void
schema_destroy(struct db_schema *s)
{
    if (!s) {
        return;
    }
    for (size_t i = 0; i < s->n_tables; i++) {
        struct table_schema *t = &s->tables[i];
        for (size_t j = 0; j < t->n_columns; j++) {
            free(t->columns[j].name);
            column_type_destroy(&t->columns[j].type);
        }
        for (size_t j = 0; j < t->n_indexes; j++) {
            free(t->indexes[j].columns);
        }
        free(t->indexes);
        free(t->columns);
        free(t->name);
    }
    free(s->tables);
    free(s->name);
    free(s->version);
    json_decref(s->json);
    free(s);
}

struct table_schema *
schema_find_table(const struct db_schema *s, const char *name)
{
    for (size_t i = 0; i < s->n_tables; i++) {
        if (!strcmp(s->tables[i].name, name)) {
            return &s->tables[i];
        }
    }
    return NULL;
}

const struct column_schema *
schema_find_column(const struct table_schema *t, const char *name)
{
    for (size_t i = 0; i < t->n_columns; i++) {
        if (!strcmp(t->columns[i].name, name)) {
            return &t->columns[i];
        }
    }
    return NULL;
}

json_t *
schema_column_from_json(const struct table_schema *t, const json_t *name_j,
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
