#include <config.h>
#include "monitor.h"
#include <stdlib.h>
#include <string.h>
#include "condition.h"
#include "ovsdb-error.h"

enum {
    SEL_INITIAL = 1 << 0,
    SEL_INSERT = 1 << 1,
    SEL_DELETE = 1 << 2,
    SEL_MODIFY = 1 << 3,
};

/* The "where" of a monitor_cond request: a row is selected if it matches
 * any of 'conds' (one clause each), or always with 'all'. */
struct monitor_where {
    bool all;
    struct condition *conds;
    size_t n_conds;
};

struct monitor_table {
    const struct table_schema *table;
    size_t *columns;
    size_t n_columns;
    unsigned int select;
    struct monitor_where where;
};

struct monitor {
    bool update2;
    struct monitor_table *tables;
    size_t n_tables;
};

static void
where_destroy(struct monitor_where *w)
{
    for (size_t i = 0; i < w->n_conds; i++) {
        condition_destroy(&w->conds[i]);
    }
    free(w->conds);
    memset(w, 0, sizeof *w);
}

/* Parses a monitor_cond "where": conditions and booleans, OR'ed; absent
 * or empty means every row. */
static json_t *
where_from_json(struct monitor_where *w, const struct table_schema *t,
                const json_t *json)
{
    memset(w, 0, sizeof *w);
    if (!json || (json_is_array(json) && !json_array_size(json))) {
        w->all = true;
        return NULL;
    }
    if (!json_is_array(json)) {
        return ovsdb_error("syntax error", "\"where\" must be an array");
    }
    w->conds = xcalloc(json_array_size(json), sizeof *w->conds);
    for (size_t i = 0; i < json_array_size(json); i++) {
        const json_t *c = json_array_get(json, i);
        if (json_is_boolean(c)) {
            w->all |= json_is_true(c);
            continue;
        }
        json_t *one = json_pack("[O]", c);
        json_t *error = condition_from_json(&w->conds[w->n_conds], t, one,
                                            NULL);
        json_decref(one);
        if (error) {
            where_destroy(w);
            return error;
        }
        w->n_conds++;
    }
    return NULL;
}

static bool
where_matches(const struct monitor_where *w, const struct db_row *row)
{
    if (!row) {
        return false;
    }
    if (w->all) {
        return true;
    }
    for (size_t i = 0; i < w->n_conds; i++) {
        if (condition_holds(&w->conds[i], row)) {
            return true;
        }
    }
    return false;
}

void
monitor_destroy(struct monitor *m)
{
    if (!m) {
        return;
    }
    for (size_t i = 0; i < m->n_tables; i++) {
        free(m->tables[i].columns);
        where_destroy(&m->tables[i].where);
    }
    free(m->tables);
    free(m);
}

static bool
has_column(const struct monitor_table *mt, size_t c)
{
    for (size_t i = 0; i < mt->n_columns; i++) {
        if (mt->columns[i] == c) {
            return true;
        }
    }
    return false;
}

/* Adds one <monitor-request> for table 't' to 'mt'. */
static json_t *
parse_request(struct monitor_table *mt, const json_t *req, bool update2)
{
    const struct table_schema *t = mt->table;
    const json_t *cols = json_object_get(req, "columns");
    const json_t *sel = json_object_get(req, "select");
    if (!json_is_object(req)) {
        return ovsdb_error("syntax error", "monitor request for %s is not an "
                           "object", t->name);
    }
    if (cols && !json_is_array(cols)) {
        return ovsdb_error("syntax error", "\"columns\" must be an array");
    }
    size_t n = cols ? json_array_size(cols) : t->n_columns;
    mt->columns = xrealloc(mt->columns,
                           (mt->n_columns + n + 1) * sizeof *mt->columns);
    for (size_t i = 0; i < n; i++) {
        size_t index = i;
        if (cols) {
            const char *name = json_string_value(json_array_get(cols, i));
            const struct column_schema *c = name ? schema_find_column(t, name)
                                                 : NULL;
            if (!c) {
                return ovsdb_error("syntax error", "%s is not a valid column "
                                   "name in table %s", name ? name : "?",
                                   t->name);
            }
            index = c->index;
        } else if (index < SCHEMA_N_BUILTIN) {
            continue;
        }
        if (index != SCHEMA_COL_UUID && !has_column(mt, index)) {
            mt->columns[mt->n_columns++] = index;
        }
    }
    static const struct { const char *name; unsigned int bit; } bits[] = {
        { "initial", SEL_INITIAL }, { "insert", SEL_INSERT },
        { "delete", SEL_DELETE }, { "modify", SEL_MODIFY },
    };
    for (size_t i = 0; i < ARRAY_SIZE(bits); i++) {
        const json_t *v = sel ? json_object_get(sel, bits[i].name) : NULL;
        if (!v || json_is_true(v)) {
            mt->select |= bits[i].bit;
        }
    }
    where_destroy(&mt->where);
    return where_from_json(&mt->where, t,
                           update2 ? json_object_get(req, "where") : NULL);
}

static json_t *
row_json(const struct monitor_table *mt, const struct db_row *row)
{
    return db_row_to_json(row, mt->columns, mt->n_columns);
}

static void
add_row_update(json_t *update, const struct monitor_table *mt,
               const struct uuid *uuid, json_t *row_update)
{
    json_t *tu = json_object_get(update, mt->table->name);
    if (!tu) {
        tu = json_object();
        json_object_set_new(update, mt->table->name, tu);
    }
    char buf[UUID_LEN + 1];
    uuid_format(uuid, buf);
    json_object_set_new(tu, buf, row_update);
}

json_t *
monitor_create(const struct db *db, const json_t *requests, bool update2,
               struct monitor **mp, json_t **initial)
{
    *mp = NULL;
    if (!json_is_object(requests)) {
        return ovsdb_error("syntax error", "monitor requests must be an "
                           "object");
    }
    struct monitor *m = xzalloc(sizeof *m);
    m->update2 = update2;
    m->tables = xcalloc(json_object_size(requests) + 1, sizeof *m->tables);

    const char *name;
    const json_t *req;
    json_object_foreach ((json_t *) requests, name, req) {
        const struct table_schema *t = schema_find_table(db->schema, name);
        if (!t) {
            monitor_destroy(m);
            return ovsdb_error("syntax error", "no table named %s", name);
        }
        struct monitor_table *mt = &m->tables[m->n_tables++];
        mt->table = t;
        json_t *error = NULL;
        if (json_is_array(req)) {
            for (size_t i = 0; !error && i < json_array_size(req); i++) {
                error = parse_request(mt, json_array_get(req, i), update2);
            }
        } else {
            error = parse_request(mt, req, update2);
        }
        if (error) {
            monitor_destroy(m);
            return error;
        }
    }

    *initial = json_object();
    for (size_t i = 0; i < m->n_tables; i++) {
        const struct monitor_table *mt = &m->tables[i];
        if (!(mt->select & SEL_INITIAL)) {
            continue;
        }
        const struct db_row *row;
        HMAP_FOR_EACH (row, node, &db_table(db, mt->table)->rows) {
            if (!where_matches(&mt->where, row)) {
                continue;
            }
            json_t *r = row_json(mt, row);
            add_row_update(*initial, mt, db_row_uuid(row),
                           json_pack(update2 ? "{s:o}" : "{s:o}",
                                     update2 ? "initial" : "new", r));
        }
    }
    *mp = m;
    return NULL;
}

/* The "modify" diff of update2 for one column. */
static json_t *
column_diff(const struct column_schema *c, const struct datum *old,
            const struct datum *new)
{
    const struct column_type *t = &c->type;
    if (t->n_max == 1) {
        /* A column of at most one element: the new value, as Open
         * vSwitch's clients apply it (a toggled element would read as
         * "unchanged" there when an optional value is cleared). */
        return datum_to_json(new, t);
    }
    /* Elements (pairs, for maps) present on one side only, with the new
     * value for keys whose value changed. */
    struct datum diff;
    datum_clone(&diff, new, t);
    datum_subtract(&diff, old, t, false);
    struct datum removed;
    datum_clone(&removed, old, t);
    datum_subtract(&removed, new, t, true);
    datum_union(&diff, &removed, t);
    json_t *j = datum_to_json(&diff, t);
    if (!column_type_is_map(t) && diff.n == 1) {
        json_decref(j);
        j = json_pack("[s,[o]]", "set", atom_to_json(&diff.keys[0],
                                                     t->key.type));
    }
    datum_destroy(&diff, t->key.type, t->value.type);
    datum_destroy(&removed, t->key.type, t->value.type);
    return j;
}

static json_t *
modify_update(const struct monitor *m, const struct monitor_table *mt,
              const struct db_row *old, const struct db_row *new)
{
    json_t *old_j = json_object();
    json_t *diff_j = json_object();
    for (size_t i = 0; i < mt->n_columns; i++) {
        size_t c = mt->columns[i];
        const struct column_schema *col = &mt->table->columns[c];
        if (c == SCHEMA_COL_VERSION
            || datum_equals(&old->fields[c], &new->fields[c], &col->type)) {
            continue;
        }
        json_object_set_new(old_j, col->name,
                            datum_to_json(&old->fields[c], &col->type));
        json_object_set_new(diff_j, col->name,
                            column_diff(col, &old->fields[c],
                                        &new->fields[c]));
    }
    if (!json_object_size(old_j)) {
        json_decref(old_j);
        json_decref(diff_j);
        return NULL;
    }
    if (m->update2) {
        json_decref(old_j);
        if (has_column(mt, SCHEMA_COL_VERSION)) {
            json_object_set_new(diff_j, "_version",
                                datum_to_json(&new->fields[SCHEMA_COL_VERSION],
                                              &mt->table->columns[1].type));
        }
        return json_pack("{s:o}", "modify", diff_j);
    }
    json_decref(diff_j);
    if (has_column(mt, SCHEMA_COL_VERSION)) {
        json_object_set_new(old_j, "_version",
                            datum_to_json(&old->fields[SCHEMA_COL_VERSION],
                                          &mt->table->columns[1].type));
    }
    return json_pack("{s:o, s:o}", "old", old_j, "new", row_json(mt, new));
}

json_t *
monitor_update(const struct monitor *m, const struct txn_change *changes,
               size_t n)
{
    json_t *update = json_object();
    for (size_t i = 0; i < n; i++) {
        const struct txn_change *c = &changes[i];
        for (size_t j = 0; j < m->n_tables; j++) {
            const struct monitor_table *mt = &m->tables[j];
            if (mt->table != c->table) {
                continue;
            }
            json_t *ru = NULL;
            const struct db_row *row = c->new ? c->new : c->old;
            /* A row entering or leaving the condition is an insert or a
             * delete for this monitor. */
            bool was = where_matches(&mt->where, c->old);
            bool is = where_matches(&mt->where, c->new);
            if (!was && is && (mt->select & SEL_INSERT)) {
                ru = json_pack("{s:o}", m->update2 ? "insert" : "new",
                               row_json(mt, c->new));
            } else if (was && !is && (mt->select & SEL_DELETE)) {
                ru = (m->update2
                      ? json_pack("{s:n}", "delete")
                      : json_pack("{s:o}", "old", row_json(mt, c->old)));
            } else if (was && is && (mt->select & SEL_MODIFY)) {
                ru = modify_update(m, mt, c->old, c->new);
            }
            if (ru) {
                add_row_update(update, mt, db_row_uuid(row), ru);
            }
        }
    }
    if (!json_object_size(update)) {
        json_decref(update);
        return NULL;
    }
    return update;
}

json_t *
monitor_change_condition(struct monitor *m, const struct db *db,
                         const json_t *requests, json_t **update)
{
    *update = NULL;
    if (!m->update2 || !json_is_object(requests)) {
        return ovsdb_error("syntax error", "conditions can only change on "
                           "a monitor_cond monitor, with an object");
    }
    struct monitor_where *wheres = xcalloc(m->n_tables + 1, sizeof *wheres);
    bool *changed = xcalloc(m->n_tables + 1, sizeof *changed);
    json_t *error = NULL;
    const char *name;
    const json_t *reqs;
    json_object_foreach ((json_t *) requests, name, reqs) {
        size_t i;
        for (i = 0; i < m->n_tables; i++) {
            if (!strcmp(m->tables[i].table->name, name)) {
                break;
            }
        }
        const json_t *req = json_is_array(reqs) ? json_array_get(reqs, 0)
                                                : reqs;
        if (i == m->n_tables || !json_is_object(req)) {
            error = ovsdb_error("syntax error", "table %s is not monitored",
                                name);
            break;
        }
        where_destroy(&wheres[i]);
        error = where_from_json(&wheres[i], m->tables[i].table,
                                json_object_get(req, "where"));
        if (error) {
            break;
        }
        changed[i] = true;
    }

    json_t *up = json_object();
    for (size_t i = 0; i < m->n_tables; i++) {
        struct monitor_table *mt = &m->tables[i];
        if (!changed[i]) {
            continue;
        }
        if (!error) {
            const struct db_row *row;
            HMAP_FOR_EACH (row, node, &db_table(db, mt->table)->rows) {
                bool was = where_matches(&mt->where, row);
                bool is = where_matches(&wheres[i], row);
                if (!was && is && (mt->select & SEL_INSERT)) {
                    add_row_update(up, mt, db_row_uuid(row),
                                   json_pack("{s:o}", "insert",
                                             row_json(mt, row)));
                } else if (was && !is && (mt->select & SEL_DELETE)) {
                    add_row_update(up, mt, db_row_uuid(row),
                                   json_pack("{s:n}", "delete"));
                }
            }
            where_destroy(&mt->where);
            mt->where = wheres[i];
        } else {
            where_destroy(&wheres[i]);
        }
    }
    free(wheres);
    free(changed);
    if (error || !json_object_size(up)) {
        json_decref(up);
    } else {
        *update = up;
    }
    return error;
}
