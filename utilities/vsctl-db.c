/* vsctl-db: see vsctl-db.h. */
#include <config.h>
#include "vsctl-db.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ovsdb-lite/ovsdb-error.h"

/* ---- Atoms. ---- */

/* ovs-vsctl's wording, which differs from the server's "constraint
 * violation" errors, and only the constraints ovs-vsctl checks itself. */
static char *
check_constraints(const union atom *a, const struct base_type *base)
{
    if (base->enum_ && base->enum_->n
        && datum_find(base->enum_, a, base->type) == SIZE_MAX) {
        struct ds s = DS_EMPTY_INITIALIZER, allowed = DS_EMPTY_INITIALIZER;
        struct column_type set = { .key = { .type = base->type },
                                   .n_min = 0, .n_max = TYPE_UNLIMITED };
        atom_to_string(a, base->type, &s);
        datum_to_string(base->enum_, &set, &allowed);
        char *error = xasprintf("constraint violation: %s is not one of the "
                                "allowed values (%s)", ds_cstr(&s),
                                ds_cstr(&allowed));
        ds_destroy(&s);
        ds_destroy(&allowed);
        return error;
    }
    bool has_min = base->min_int != LLONG_MIN;
    bool has_max = base->max_int != LLONG_MAX;
    if (base->type == ATOMIC_INTEGER
        && ((has_min && a->integer < base->min_int)
            || (has_max && a->integer > base->max_int))) {
        if (has_min && has_max) {
            return xasprintf("constraint violation: %lld is not in the valid "
                             "range %lld to %lld (inclusive)", a->integer,
                             base->min_int, base->max_int);
        }
        return has_min
            ? xasprintf("constraint violation: %lld is less than minimum "
                        "allowed value %lld", a->integer, base->min_int)
            : xasprintf("constraint violation: %lld is greater than maximum "
                        "allowed value %lld", a->integer, base->max_int);
    }
    return NULL;
}

char *
vsctl_atom_from_string(union atom *a, const struct base_type *base,
                       const char *s, struct vsctl_db *db)
{
    static const char *const trues[] = { "true", "yes", "on", "1" };
    static const char *const falses[] = { "false", "no", "off", "0" };
    char *end;

    switch (base->type) {
    case ATOMIC_INTEGER:
        if (!str_to_llong(s, 10, &a->integer)) {
            return xasprintf("\"%s\" is not a valid integer or range", s);
        }
        break;
    case ATOMIC_REAL:
        errno = 0;
        a->real = strtod(s, &end);
        if (!*s || *end || errno) {
            return xasprintf("\"%s\" is not a valid real number", s);
        }
        break;
    case ATOMIC_BOOLEAN:
        for (size_t i = 0; i < ARRAY_SIZE(trues); i++) {
            if (!strcmp(s, trues[i]) || !strcmp(s, falses[i])) {
                a->boolean = !strcmp(s, trues[i]);
                return check_constraints(a, base);
            }
        }
        return xasprintf("\"%s\" is not a valid boolean (use \"true\" or "
                         "\"false\")", s);
    case ATOMIC_STRING:
        if (s[0] == '"') {
            json_error_t jerr;
            size_t len = strlen(s);
            if (len < 2 || s[len - 1] != '"') {
                return xasprintf("%s: missing quote at end of quoted string",
                                 s);
            }
            json_t *j = json_loads(s, JSON_DECODE_ANY, &jerr);
            if (!j || !json_is_string(j)) {
                json_decref(j);
                return xasprintf("%s: syntax error in quoted string", s);
            }
            a->string = xstrdup(json_string_value(j));
            json_decref(j);
        } else {
            a->string = xstrdup(s);
        }
        break;
    case ATOMIC_UUID:
        if (s[0] == '@' && db) {
            struct vsctl_symbol *sym = vsctl_symbol_get(db, s);
            a->uuid = sym->uuid;
        } else if (!uuid_from_string(&a->uuid, s)) {
            return xasprintf("\"%s\" is not a valid UUID", s);
        }
        break;
    case ATOMIC_VOID:
    default:
        return xstrdup("no value type");
    }
    char *error = check_constraints(a, base);
    if (error) {
        atom_destroy(a, base->type);
    }
    return error;
}

static bool
token_is_delim(unsigned char c)
{
    return c && strchr(":=, []{}!<>", c) != NULL;
}

char *
vsctl_token_parse(const char **sp, char **tokenp)
{
    struct ds out = DS_EMPTY_INITIALIZER;
    bool in_quotes = false;
    const char *p = *sp;

    while (*p) {
        char c = *p++;
        if (c == '\\') {
            if (in_quotes) {
                ds_put_char(&out, '\\');
            }
            if (!*p) {
                ds_destroy(&out);
                return xasprintf("%s: backslash at end of argument", *sp);
            }
            ds_put_char(&out, *p++);
        } else if (!in_quotes && token_is_delim(c)) {
            p--;
            break;
        } else {
            ds_put_char(&out, c);
            if (c == '"') {
                in_quotes = !in_quotes;
            }
        }
    }
    if (in_quotes) {
        ds_destroy(&out);
        return xasprintf("%s: quoted string extends past end of argument",
                         *sp);
    }
    *tokenp = xstrdup(ds_cstr(&out));
    ds_destroy(&out);
    *sp = p;
    return NULL;
}

/* ---- Datums. ---- */

bool
vsctl_datum_is_default(const struct datum *d, const struct column_type *t)
{
    struct datum def;
    datum_init_default(&def, t);
    bool eq = datum_equals(d, &def, t);
    datum_destroy(&def, t->key.type, t->value.type);
    return eq;
}

/* Appends a copy of 'key' (and 'value', for a map) without sorting. */
static void
datum_append(struct datum *d, const union atom *key, const union atom *value,
             const struct column_type *t)
{
    d->keys = xrealloc(d->keys, (d->n + 1) * sizeof *d->keys);
    atom_clone(&d->keys[d->n], key, t->key.type);
    if (column_type_is_map(t)) {
        d->values = xrealloc(d->values, (d->n + 1) * sizeof *d->values);
        atom_clone(&d->values[d->n], value, t->value.type);
    }
    d->n++;
}

char *
vsctl_datum_check_size(const struct datum *d, const struct column_type *t,
                       const char *what)
{
    if (d->n < t->n_min) {
        return xasprintf("%s: %u values are required, but only %zu were "
                         "provided", what, t->n_min, d->n);
    }
    if (d->n > t->n_max) {
        return xasprintf("%s: at most %u values may be provided, but %zu "
                         "were provided", what, t->n_max, d->n);
    }
    return NULL;
}

static const char *
skip_spaces(const char *p)
{
    while (isspace((unsigned char) *p)) {
        p++;
    }
    return p;
}

static char *
parse_atom_token(const char **p, const struct base_type *base,
                 union atom *a, struct vsctl_db *db)
{
    char *token;
    char *error = vsctl_token_parse(p, &token);
    if (!error) {
        error = vsctl_atom_from_string(a, base, token, db);
        free(token);
    }
    return error;
}

char *
vsctl_datum_from_string(struct datum *d, const struct column_type *t,
                        const char *s, struct vsctl_db *db)
{
    bool is_map = column_type_is_map(t);
    const char *p = skip_spaces(s);
    char end_delim = 0;
    char *error = NULL;

    datum_init_empty(d);
    if (*p == (is_map ? '{' : '[')) {
        end_delim = is_map ? '}' : ']';
        p = skip_spaces(p + 1);
    } else if (!*p) {
        return xstrdup(is_map ? "use \"{}\" to specify the empty map"
                              : "use \"[]\" to specify the empty set");
    }

    while (*p && *p != end_delim) {
        union atom key, value;

        if (token_is_delim(*p)) {
            error = xasprintf("%s: unexpected \"%c\" parsing %s", s, *p,
                              is_map ? "map" : "set");
            goto error;
        }
        const char *start = p;
        error = parse_atom_token(&p, &t->key, &key, db);
        if (error) {
            goto error;
        }
        if (is_map) {
            p = skip_spaces(p);
            if (*p != '=') {
                atom_destroy(&key, t->key.type);
                error = xasprintf("%s: syntax error at \"%.1s\" expecting "
                                  "\"=\"", start, p);
                goto error;
            }
            p = skip_spaces(p + 1);
            error = parse_atom_token(&p, &t->value, &value, db);
            if (error) {
                atom_destroy(&key, t->key.type);
                goto error;
            }
        }
        datum_append(d, &key, is_map ? &value : NULL, t);
        atom_destroy(&key, t->key.type);
        if (is_map) {
            atom_destroy(&value, t->value.type);
        }
        p = skip_spaces(p);
        if (*p == ',') {
            p = skip_spaces(p + 1);
        }
    }
    if (*p != end_delim) {
        error = xasprintf("%s: missing \"%c\" at end of data", s, end_delim);
        goto error;
    }
    if (end_delim && *skip_spaces(p + 1)) {
        error = xasprintf("%s: trailing garbage after \"%c\"", s, end_delim);
        goto error;
    }
    json_t *dup = datum_sort(d, t);
    if (dup) {
        json_decref(dup);
        error = xasprintf("%s: %s contains duplicate value", s,
                          is_map ? "map" : "set");
        goto error;
    }
    error = vsctl_datum_check_size(d, t, s);
    if (!error) {
        return NULL;
    }
error:
    datum_destroy(d, t->key.type, t->value.type);
    return error;
}

/* ---- Wire format. ---- */

static struct vsctl_row *
find_inserted_row(const struct vsctl_db *db, const struct uuid *u)
{
    for (size_t i = 0; i < db->n_tables; i++) {
        struct vsctl_row *row = vsctl_row_get(&db->tables[i], u);
        if (row && !row->old) {
            return row;
        }
    }
    return NULL;
}

static char *
uuid_name(const struct uuid *u)
{
    char buf[UUID_LEN + 1];
    uuid_format(u, buf);
    for (char *p = buf; *p; p++) {
        if (*p == '-') {
            *p = '_';
        }
    }
    return xasprintf("row%s", buf);
}

/* The rows this transaction inserts are referred to by "named-uuid". */
static char *
name_inserted_row(const struct uuid *u, void *db)
{
    return find_inserted_row(db, u) ? uuid_name(u) : NULL;
}

static json_t *
datum_to_wire(struct vsctl_db *db, const struct datum *d,
              const struct column_type *t)
{
    struct datum_namer namer = { name_inserted_row, db };
    return datum_to_json_named(d, t, &namer);
}

/* ---- Schema. ---- */

static int
compare_columns(const void *a_, const void *b_)
{
    const struct vsctl_column *a = a_, *b = b_;
    return strcmp(a->name, b->name);
}

char *
vsctl_db_init(struct vsctl_db *db, const json_t *schema)
{
    memset(db, 0, sizeof *db);
    hmap_init(&db->symbols);
    json_t *error = schema_from_json(schema, &db->schema);
    if (error) {
        char *msg = ovsdb_error_to_string(error);
        json_decref(error);
        return msg;
    }
    db->n_tables = db->schema->n_tables;
    db->tables = xcalloc(db->n_tables + 1, sizeof *db->tables);
    for (size_t i = 0; i < db->n_tables; i++) {
        const struct table_schema *ts = &db->schema->tables[i];
        struct vsctl_table *t = &db->tables[i];

        t->name = ts->name;
        t->is_root = ts->is_root;
        hmap_init(&t->rows);
        /* Slot 0 is the _uuid pseudo-column, printed first by "list";
         * ovs-vsctl has no use for _version. */
        t->columns = xcalloc(ts->n_columns, sizeof *t->columns);
        for (size_t j = 0; j < ts->n_columns; j++) {
            const struct column_schema *cs = &ts->columns[j];
            if (j != SCHEMA_COL_VERSION) {
                struct vsctl_column *c = &t->columns[t->n_columns++];
                c->name = cs->name;
                c->type = cs->type;
                c->is_mutable = cs->mutable_;
            }
        }
        qsort(t->columns + 1, t->n_columns - 1, sizeof *t->columns,
              compare_columns);
        for (size_t j = 0; j < t->n_columns; j++) {
            t->columns[j].idx = j;
        }
    }
    return NULL;
}

static void
row_free(struct vsctl_row *row)
{
    struct vsctl_table *t = row->table;
    for (size_t i = 0; i < t->n_columns; i++) {
        const struct column_type *type = &t->columns[i].type;
        if (row->old) {
            datum_destroy(&row->old[i], type->key.type, type->value.type);
        }
        datum_destroy(&row->cur[i], type->key.type, type->value.type);
    }
    free(row->old);
    free(row->cur);
    free(row);
}

void
vsctl_db_clear_rows(struct vsctl_db *db)
{
    for (size_t i = 0; i < db->n_tables; i++) {
        struct vsctl_row *row, *next;
        HMAP_FOR_EACH_SAFE (row, next, node, &db->tables[i].rows) {
            hmap_remove(&db->tables[i].rows, &row->node);
            row_free(row);
        }
    }
    struct vsctl_symbol *sym, *next_sym;
    HMAP_FOR_EACH_SAFE (sym, next_sym, node, &db->symbols) {
        hmap_remove(&db->symbols, &sym->node);
        free(sym->name);
        free(sym);
    }
}

void
vsctl_db_destroy(struct vsctl_db *db)
{
    vsctl_db_clear_rows(db);
    for (size_t i = 0; i < db->n_tables; i++) {
        free(db->tables[i].columns);
        hmap_destroy(&db->tables[i].rows);
    }
    free(db->tables);
    hmap_destroy(&db->symbols);
    schema_destroy(db->schema);
}

json_t *
vsctl_db_select_ops(const struct vsctl_db *db)
{
    json_t *ops = json_array();
    for (size_t i = 0; i < db->n_tables; i++) {
        json_array_append_new(ops, json_pack("{s:s,s:s,s:[]}", "op", "select",
                                             "table", db->tables[i].name,
                                             "where"));
    }
    return ops;
}

static struct vsctl_row *
row_create(struct vsctl_table *t, const struct uuid *u, bool with_old)
{
    struct vsctl_row *row = xzalloc(sizeof *row);
    row->table = t;
    row->uuid = *u;
    row->insert_op = -1;
    row->cur = xcalloc(t->n_columns, sizeof *row->cur);
    row->old = with_old ? xcalloc(t->n_columns, sizeof *row->old) : NULL;
    for (size_t i = 0; i < t->n_columns; i++) {
        datum_init_default(&row->cur[i], &t->columns[i].type);
        if (row->old) {
            datum_init_default(&row->old[i], &t->columns[i].type);
        }
    }
    row->cur[0].keys[0].uuid = *u;
    if (row->old) {
        row->old[0].keys[0].uuid = *u;
    }
    hmap_insert(&t->rows, &row->node, uuid_hash(u));
    return row;
}

char *
vsctl_db_load(struct vsctl_db *db, const json_t *result)
{
    for (size_t i = 0; i < db->n_tables; i++) {
        struct vsctl_table *t = &db->tables[i];
        json_t *rows = json_object_get(json_array_get(result, i), "rows");
        size_t j;
        json_t *rj;

        if (!json_is_array(rows)) {
            return xasprintf("cannot read table %s", t->name);
        }
        json_array_foreach(rows, j, rj) {
            const json_t *uj = json_array_get(json_object_get(rj, "_uuid"), 1);
            struct uuid u;
            if (!json_is_string(uj)
                || !uuid_from_string(&u, json_string_value(uj))) {
                return xasprintf("row without _uuid in table %s", t->name);
            }
            struct vsctl_row *row = row_create(t, &u, true);
            for (size_t c = 1; c < t->n_columns; c++) {
                const struct vsctl_column *col = &t->columns[c];
                json_t *v = json_object_get(rj, col->name);
                if (!v) {
                    continue;
                }
                datum_destroy(&row->old[c], col->type.key.type,
                              col->type.value.type);
                datum_destroy(&row->cur[c], col->type.key.type,
                              col->type.value.type);
                json_t *error = datum_from_json(&row->old[c], &col->type, v,
                                                NULL);
                if (error) {
                    char *s = ovsdb_error_to_string(error);
                    char *msg = xasprintf("%s.%s: %s", t->name, col->name, s);
                    free(s);
                    json_decref(error);
                    return msg;
                }
                datum_clone(&row->cur[c], &row->old[c], &col->type);
            }
        }
    }
    return NULL;
}

/* ---- Lookups. ---- */

struct vsctl_table *
vsctl_db_get_table(const struct vsctl_db *db, const char *name)
{
    /* db->tables are in the schema's order. */
    const struct table_schema *ts = schema_find_table(db->schema, name);
    return ts ? &db->tables[ts->index] : NULL;
}

/* ovs-vsctl lets users type table and column names in any case, with '-'
 * for '_' ("open-vswitch", "other-config"), and abbreviated to a unique
 * prefix ("interf").  Map keys are data, so they are never folded.  Returns
 * 2 for a full match, 1 for a proper prefix, 0 for no match. */
static int
name_match(const char *schema_name, const char *typed)
{
    if (!*typed) {
        return 0;
    }
    for (; *typed; schema_name++, typed++) {
        int a = tolower((unsigned char) *schema_name);
        int b = *typed == '-' ? '_' : tolower((unsigned char) *typed);
        if (a != b) {
            return 0;
        }
    }
    return *schema_name ? 1 : 2;
}

/* How well 'typed' names 'name': 3 for its exact spelling, 2 for a folded
 * full match, 1 for a folded proper prefix, 0 for no match. */
static int
name_score(const char *name, const char *typed)
{
    if (!strcmp(name, typed)) {
        return 3;
    } else if (name[0] == '_') {
        /* ovs-vsctl knows the "_uuid" pseudo-column only by its full name
         * (any case); "get" also takes "-uuid", see vsctl_cmd_get(). */
        return strcasecmp(name, typed) ? 0 : 2;
    }
    return name_match(name, typed);
}

static int
compare_name_ptrs(const void *a_, const void *b_)
{
    const char *const *a = a_, *const *b = b_;
    return strcmp(*a, *b);
}

/* Chooses, among 'n' names (the first member of each element of 'base',
 * 'stride' bytes apart), the best scoring one.  Returns its index, or
 * SIZE_MAX with '*ambiguous' set to the ", "-separated names that score
 * equally well (or NULL if none matches). */
static size_t
name_pick(const void *base, size_t n, size_t stride, const char *typed,
          char **ambiguous)
{
    size_t best = SIZE_MAX;
    int best_score = 0, n_best = 0;

#define NAME_AT(I) (*(const char *const *) ((const char *) base \
                                            + (I) * stride))
    for (size_t i = 0; i < n; i++) {
        int score = name_score(NAME_AT(i), typed);
        if (score > best_score) {
            best = i;
            best_score = score;
            n_best = 1;
        } else if (score && score == best_score) {
            n_best++;
        }
    }
    *ambiguous = NULL;
    if (n_best <= 1) {
        return best;
    }
    /* ovs-vsctl lists them in strcmp() order. */
    const char **tied = xmalloc(n_best * sizeof *tied);
    size_t n_tied = 0;
    for (size_t i = 0; i < n; i++) {
        if (name_score(NAME_AT(i), typed) == best_score) {
            tied[n_tied++] = NAME_AT(i);
        }
    }
#undef NAME_AT
    qsort(tied, n_tied, sizeof *tied, compare_name_ptrs);
    struct ds names = DS_EMPTY_INITIALIZER;
    for (size_t i = 0; i < n_tied; i++) {
        ds_put_format(&names, "%s%s", i ? ", " : "", tied[i]);
    }
    free(tied);
    *ambiguous = ds_steal_cstr(&names);
    return SIZE_MAX;
}

char *
vsctl_table_find(const struct vsctl_db *db, const char *name,
                 struct vsctl_table **tp)
{
    _Static_assert(offsetof(struct vsctl_table, name) == 0, "name_pick()");
    char *ambiguous, *error;
    size_t i = name_pick(db->tables, db->n_tables, sizeof *db->tables, name,
                         &ambiguous);

    *tp = i != SIZE_MAX ? &db->tables[i] : NULL;
    if (ambiguous) {
        error = xasprintf("\"%s\" matches multiple table names: %s", name,
                          ambiguous);
        free(ambiguous);
        return error;
    }
    return *tp ? NULL : xasprintf("unknown table \"%s\"", name);
}

char *
vsctl_column_find(const struct vsctl_table *t, const char *name,
                  const struct vsctl_column **cp)
{
    _Static_assert(offsetof(struct vsctl_column, name) == 0, "name_pick()");
    char *ambiguous, *error;
    size_t i = name_pick(t->columns, t->n_columns, sizeof *t->columns, name,
                         &ambiguous);

    *cp = i != SIZE_MAX ? &t->columns[i] : NULL;
    if (ambiguous) {
        error = xasprintf("%s contains more than one column whose name "
                          "matches \"%s\": %s", t->name, name, ambiguous);
        free(ambiguous);
        return error;
    }
    return *cp ? NULL : xasprintf("%s does not contain a column whose name "
                                  "matches \"%s\"", t->name, name);
}

const struct vsctl_column *
vsctl_column_get(const struct vsctl_table *t, const char *name)
{
    for (size_t i = 0; i < t->n_columns; i++) {
        if (!strcmp(t->columns[i].name, name)) {
            return &t->columns[i];
        }
    }
    xvs_fatal(0, "schema lacks column %s.%s", t->name, name);
}

struct vsctl_row *
vsctl_row_get(const struct vsctl_table *t, const struct uuid *u)
{
    struct vsctl_row *row;
    HMAP_FOR_EACH_WITH_HASH (row, node, uuid_hash(u), &t->rows) {
        if (uuid_equals(&row->uuid, u)) {
            return row->deleted ? NULL : row;
        }
    }
    return NULL;
}

struct vsctl_row *
vsctl_row_insert(struct vsctl_table *t)
{
    struct uuid u;
    uuid_generate(&u);
    return row_create(t, &u, false);
}

static int
compare_rows(const void *a_, const void *b_)
{
    const struct vsctl_row *const *a = a_, *const *b = b_;
    union atom ua = { .uuid = (*a)->uuid }, ub = { .uuid = (*b)->uuid };
    return atom_compare(&ua, &ub, ATOMIC_UUID);
}

struct vsctl_row **
vsctl_table_rows(const struct vsctl_table *t, size_t *n)
{
    struct vsctl_row **rows = xcalloc(hmap_count(&t->rows) + 1, sizeof *rows);
    struct vsctl_row *row;

    *n = 0;
    HMAP_FOR_EACH (row, node, &t->rows) {
        if (!row->deleted) {
            rows[(*n)++] = row;
        }
    }
    qsort(rows, *n, sizeof *rows, compare_rows);
    return rows;
}

const struct datum *
vsctl_row_datum(const struct vsctl_row *row, const char *column)
{
    return &row->cur[vsctl_column_get(row->table, column)->idx];
}

void
vsctl_row_set(struct vsctl_row *row, const struct vsctl_column *c,
              struct datum *d)
{
    datum_move(&row->cur[c->idx], d, &c->type);
}

void
vsctl_row_set_string(struct vsctl_row *row, const char *column,
                     const char *s)
{
    const struct vsctl_column *c = vsctl_column_get(row->table, column);
    struct datum d;
    union atom a = { .string = (char *) s };

    datum_init_empty(&d);
    datum_append(&d, &a, NULL, &c->type);
    vsctl_row_set(row, c, &d);
}

const char *
vsctl_row_string(const struct vsctl_row *row, const char *column)
{
    const struct datum *d = vsctl_row_datum(row, column);
    return d->n ? d->keys[0].string : "";
}

void
vsctl_row_add_ref(struct vsctl_row *row, const char *column,
                  const struct uuid *u)
{
    const struct vsctl_column *c = vsctl_column_get(row->table, column);
    struct datum one = { .n = 1, .keys = (union atom[]) {
                             { .uuid = *u } } };
    struct datum zero = { .n = 1, .keys = (union atom[]) {
                              { .uuid = { { 0, 0, 0, 0 } } } } };
    /* A new row's required reference starts as the all-zeros default. */
    datum_subtract(&row->cur[c->idx], &zero, &c->type, true);
    datum_union(&row->cur[c->idx], &one, &c->type);
}

void
vsctl_row_remove_ref(struct vsctl_row *row, const char *column,
                     const struct uuid *u)
{
    const struct vsctl_column *c = vsctl_column_get(row->table, column);
    struct datum one = { .n = 1, .keys = (union atom[]) {
                             { .uuid = *u } } };
    datum_subtract(&row->cur[c->idx], &one, &c->type, true);
}

/* ---- Symbols. ---- */

struct vsctl_symbol *
vsctl_symbol_find(struct vsctl_db *db, const char *name)
{
    struct vsctl_symbol *sym;
    HMAP_FOR_EACH_WITH_HASH (sym, node, hash_string(name, 0), &db->symbols) {
        if (!strcmp(sym->name, name)) {
            return sym;
        }
    }
    return NULL;
}

struct vsctl_symbol *
vsctl_symbol_get(struct vsctl_db *db, const char *name)
{
    struct vsctl_symbol *sym = vsctl_symbol_find(db, name);
    if (!sym) {
        sym = xzalloc(sizeof *sym);
        sym->name = xstrdup(name);
        uuid_generate(&sym->uuid);
        hmap_insert(&db->symbols, &sym->node, hash_string(name, 0));
    }
    return sym;
}

/* ---- Transaction building. ---- */

static json_t *
where_uuid(const struct uuid *u)
{
    char buf[UUID_LEN + 1];
    uuid_format(u, buf);
    return json_pack("[[s,s,[s,s]]]", "_uuid", "==", "uuid", buf);
}

/* Inserts go first, each after the new rows it references, because a
 * "named-uuid" must be defined before it is used. */
static void
emit_insert(struct vsctl_db *db, struct vsctl_row *row, json_t *ops,
            int depth)
{
    struct vsctl_table *t = row->table;
    json_t *cols = json_object();

    if (row->insert_op >= 0 || depth > 64) {
        json_decref(cols);
        return;
    }
    row->insert_op = -2;        /* In progress: breaks reference cycles. */
    for (size_t i = 1; i < t->n_columns; i++) {
        const struct vsctl_column *c = &t->columns[i];
        const struct datum *d = &row->cur[i];
        for (size_t k = 0; k < d->n; k++) {
            struct vsctl_row *ref;
            if (c->type.key.type == ATOMIC_UUID
                && (ref = find_inserted_row(db, &d->keys[k].uuid))
                && ref->insert_op == -1) {
                emit_insert(db, ref, ops, depth + 1);
            }
            if (c->type.value.type == ATOMIC_UUID
                && (ref = find_inserted_row(db, &d->values[k].uuid))
                && ref->insert_op == -1) {
                emit_insert(db, ref, ops, depth + 1);
            }
        }
        if (!vsctl_datum_is_default(d, &c->type)) {
            json_object_set_new(cols, c->name, datum_to_wire(db, d, &c->type));
        }
    }
    char *name = uuid_name(&row->uuid);
    row->insert_op = json_array_size(ops);
    json_array_append_new(ops, json_pack("{s:s,s:s,s:s,s:o}", "op", "insert",
                                         "table", t->name, "uuid-name", name,
                                         "row", cols));
    free(name);
}

bool
vsctl_db_build_ops(struct vsctl_db *db, json_t *ops)
{
    bool changed = false;

    for (size_t i = 0; i < db->n_tables; i++) {
        struct vsctl_row *row;
        HMAP_FOR_EACH (row, node, &db->tables[i].rows) {
            if (!row->old && !row->deleted) {
                emit_insert(db, row, ops, 0);
                changed = true;
            }
        }
    }
    for (size_t i = 0; i < db->n_tables; i++) {
        struct vsctl_table *t = &db->tables[i];
        struct vsctl_row *row;
        HMAP_FOR_EACH (row, node, &t->rows) {
            if (!row->old) {
                continue;
            }
            if (row->deleted) {
                json_array_append_new(ops, json_pack(
                    "{s:s,s:s,s:o}", "op", "delete", "table", t->name,
                    "where", where_uuid(&row->uuid)));
                changed = true;
                continue;
            }
            json_t *old = json_object(), *new = json_object();
            json_t *names = json_array();
            for (size_t c = 1; c < t->n_columns; c++) {
                const struct vsctl_column *col = &t->columns[c];
                if (!datum_equals(&row->old[c], &row->cur[c],
                                        &col->type)) {
                    json_object_set_new(old, col->name, datum_to_wire(
                                            db, &row->old[c], &col->type));
                    json_object_set_new(new, col->name, datum_to_wire(
                                            db, &row->cur[c], &col->type));
                    json_array_append_new(names, json_string(col->name));
                }
            }
            if (json_object_size(new)) {
                json_array_append_new(ops, json_pack(
                    "{s:s,s:i,s:s,s:o,s:o,s:s,s:[o]}", "op", "wait",
                    "timeout", 0, "table", t->name,
                    "where", where_uuid(&row->uuid), "columns", names,
                    "until", "==", "rows", old));
                json_array_append_new(ops, json_pack(
                    "{s:s,s:s,s:o,s:o}", "op", "update", "table", t->name,
                    "where", where_uuid(&row->uuid), "row", new));
                changed = true;
            } else {
                json_decref(old);
                json_decref(new);
                json_decref(names);
            }
        }
    }
    return changed;
}
