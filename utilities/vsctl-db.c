/* vsctl-db: see vsctl-db.h. */
#include <config.h>
#include "vsctl-db.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- Atoms. ---- */

static enum vsctl_atype
atype_from_name(const char *s)
{
    static const struct { const char *name; enum vsctl_atype type; } types[] = {
        { "integer", VSCTL_INTEGER }, { "real", VSCTL_REAL },
        { "boolean", VSCTL_BOOLEAN }, { "string", VSCTL_STRING },
        { "uuid", VSCTL_UUID },
    };
    for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
        if (!strcmp(s, types[i].name)) {
            return types[i].type;
        }
    }
    return VSCTL_VOID;
}

static void
atom_clone(union vsctl_atom *dst, const union vsctl_atom *src,
           enum vsctl_atype type)
{
    *dst = *src;
    if (type == VSCTL_STRING) {
        dst->string = xstrdup(src->string);
    }
}

void
vsctl_atom_destroy(union vsctl_atom *a, enum vsctl_atype type)
{
    if (type == VSCTL_STRING) {
        free(a->string);
    }
}

static int
uuid_compare(const struct uuid *a, const struct uuid *b)
{
    for (int i = 0; i < 4; i++) {
        if (a->parts[i] != b->parts[i]) {
            return a->parts[i] < b->parts[i] ? -1 : 1;
        }
    }
    return 0;
}

int
vsctl_atom_compare(const union vsctl_atom *a, const union vsctl_atom *b,
                   enum vsctl_atype type)
{
    switch (type) {
    case VSCTL_INTEGER:
        return a->integer < b->integer ? -1 : a->integer > b->integer;
    case VSCTL_REAL:
        return a->real < b->real ? -1 : a->real > b->real;
    case VSCTL_BOOLEAN:
        return (int) a->boolean - (int) b->boolean;
    case VSCTL_STRING:
        return strcmp(a->string, b->string);
    case VSCTL_UUID:
        return uuid_compare(&a->uuid, &b->uuid);
    case VSCTL_VOID:
    default:
        return 0;
    }
}

/* ovs-vsctl prints a string bare only if it could not be read back as
 * anything else: an identifier-like word that is not a boolean or uuid. */
static bool
string_needs_quotes(const char *s)
{
    struct uuid u;
    if (!isalpha((unsigned char) s[0]) && s[0] != '_') {
        return true;
    }
    for (const char *p = s + 1; *p; p++) {
        if (!isalnum((unsigned char) *p) && !strchr("_-.", *p)) {
            return true;
        }
    }
    return !strcmp(s, "true") || !strcmp(s, "false") || uuid_from_string(&u, s);
}

void
vsctl_atom_to_string(const union vsctl_atom *a, enum vsctl_atype type,
                     struct ds *out)
{
    char buf[UUID_LEN + 1];

    switch (type) {
    case VSCTL_INTEGER:
        ds_put_format(out, "%lld", a->integer);
        break;
    case VSCTL_REAL:
        ds_put_format(out, "%.*g", DBL_DIG, a->real);
        break;
    case VSCTL_BOOLEAN:
        ds_put_cstr(out, a->boolean ? "true" : "false");
        break;
    case VSCTL_STRING:
        if (string_needs_quotes(a->string)) {
            json_t *j = json_string(a->string);
            char *s = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
            ds_put_cstr(out, s ? s : "\"\"");
            free(s);
            json_decref(j);
        } else {
            ds_put_cstr(out, a->string);
        }
        break;
    case VSCTL_UUID:
        uuid_format(&a->uuid, buf);
        ds_put_cstr(out, buf);
        break;
    case VSCTL_VOID:
    default:
        break;
    }
}

static char *
check_constraints(const union vsctl_atom *a, const struct vsctl_base *base)
{
    if (base->enums.n
        && vsctl_datum_find_key(&base->enums, a, base->type) < 0) {
        struct ds s = DS_EMPTY_INITIALIZER, allowed = DS_EMPTY_INITIALIZER;
        struct vsctl_type set = { .key = { .type = base->type },
                                  .n_min = 0, .n_max = UINT_MAX };
        vsctl_atom_to_string(a, base->type, &s);
        vsctl_datum_to_string(&base->enums, &set, &allowed);
        char *error = xasprintf("constraint violation: %s is not one of the "
                                "allowed values (%s)", ds_cstr(&s),
                                ds_cstr(&allowed));
        ds_destroy(&s);
        ds_destroy(&allowed);
        return error;
    }
    if (base->type == VSCTL_INTEGER
        && ((base->has_min && a->integer < base->min)
            || (base->has_max && a->integer > base->max))) {
        if (base->has_min && base->has_max) {
            return xasprintf("constraint violation: %lld is not in the valid "
                             "range %lld to %lld (inclusive)", a->integer,
                             base->min, base->max);
        }
        return base->has_min
            ? xasprintf("constraint violation: %lld is less than minimum "
                        "allowed value %lld", a->integer, base->min)
            : xasprintf("constraint violation: %lld is greater than maximum "
                        "allowed value %lld", a->integer, base->max);
    }
    return NULL;
}

char *
vsctl_atom_from_string(union vsctl_atom *a, const struct vsctl_base *base,
                       const char *s, struct vsctl_db *db)
{
    static const char *const trues[] = { "true", "yes", "on", "1" };
    static const char *const falses[] = { "false", "no", "off", "0" };
    char *end;

    switch (base->type) {
    case VSCTL_INTEGER:
        if (!str_to_llong(s, 10, &a->integer)) {
            return xasprintf("\"%s\" is not a valid integer or range", s);
        }
        break;
    case VSCTL_REAL:
        errno = 0;
        a->real = strtod(s, &end);
        if (!*s || *end || errno) {
            return xasprintf("\"%s\" is not a valid real number", s);
        }
        break;
    case VSCTL_BOOLEAN:
        for (size_t i = 0; i < ARRAY_SIZE(trues); i++) {
            if (!strcmp(s, trues[i]) || !strcmp(s, falses[i])) {
                a->boolean = !strcmp(s, trues[i]);
                return check_constraints(a, base);
            }
        }
        return xasprintf("\"%s\" is not a valid boolean (use \"true\" or "
                         "\"false\")", s);
    case VSCTL_STRING:
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
    case VSCTL_UUID:
        if (s[0] == '@' && db) {
            struct vsctl_symbol *sym = vsctl_symbol_get(db, s);
            a->uuid = sym->uuid;
        } else if (!uuid_from_string(&a->uuid, s)) {
            return xasprintf("\"%s\" is not a valid UUID", s);
        }
        break;
    case VSCTL_VOID:
    default:
        return xstrdup("no value type");
    }
    char *error = check_constraints(a, base);
    if (error) {
        vsctl_atom_destroy(a, base->type);
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

void
vsctl_datum_init_empty(struct vsctl_datum *d)
{
    d->n = 0;
    d->keys = d->values = NULL;
}

static void
default_atom(union vsctl_atom *a, enum vsctl_atype type)
{
    memset(a, 0, sizeof *a);
    if (type == VSCTL_STRING) {
        a->string = xstrdup("");
    }
}

void
vsctl_datum_init_default(struct vsctl_datum *d, const struct vsctl_type *t)
{
    vsctl_datum_init_empty(d);
    if (t->n_min) {
        d->n = 1;
        d->keys = xmalloc(sizeof *d->keys);
        default_atom(&d->keys[0], t->key.type);
        if (vsctl_type_is_map(t)) {
            d->values = xmalloc(sizeof *d->values);
            default_atom(&d->values[0], t->value.type);
        }
    }
}

void
vsctl_datum_clone(struct vsctl_datum *dst, const struct vsctl_datum *src,
                  const struct vsctl_type *t)
{
    dst->n = src->n;
    dst->keys = xcalloc(src->n + 1, sizeof *dst->keys);
    dst->values = vsctl_type_is_map(t)
                  ? xcalloc(src->n + 1, sizeof *dst->values) : NULL;
    for (size_t i = 0; i < src->n; i++) {
        atom_clone(&dst->keys[i], &src->keys[i], t->key.type);
        if (dst->values) {
            atom_clone(&dst->values[i], &src->values[i], t->value.type);
        }
    }
}

void
vsctl_datum_destroy(struct vsctl_datum *d, const struct vsctl_type *t)
{
    for (size_t i = 0; i < d->n; i++) {
        vsctl_atom_destroy(&d->keys[i], t->key.type);
        if (d->values) {
            vsctl_atom_destroy(&d->values[i], t->value.type);
        }
    }
    free(d->keys);
    free(d->values);
    vsctl_datum_init_empty(d);
}

bool
vsctl_datum_equals(const struct vsctl_datum *a, const struct vsctl_datum *b,
                   const struct vsctl_type *t)
{
    if (a->n != b->n) {
        return false;
    }
    for (size_t i = 0; i < a->n; i++) {
        if (vsctl_atom_compare(&a->keys[i], &b->keys[i], t->key.type)
            || (vsctl_type_is_map(t)
                && vsctl_atom_compare(&a->values[i], &b->values[i],
                                      t->value.type))) {
            return false;
        }
    }
    return true;
}

bool
vsctl_datum_is_default(const struct vsctl_datum *d,
                       const struct vsctl_type *t)
{
    struct vsctl_datum def;
    vsctl_datum_init_default(&def, t);
    bool eq = vsctl_datum_equals(d, &def, t);
    vsctl_datum_destroy(&def, t);
    return eq;
}

int
vsctl_datum_find_key(const struct vsctl_datum *d, const union vsctl_atom *key,
                     enum vsctl_atype type)
{
    for (size_t i = 0; i < d->n; i++) {
        if (!vsctl_atom_compare(&d->keys[i], key, type)) {
            return i;
        }
    }
    return -1;
}

static void
datum_append(struct vsctl_datum *d, const union vsctl_atom *key,
             const union vsctl_atom *value, const struct vsctl_type *t)
{
    d->keys = xrealloc(d->keys, (d->n + 1) * sizeof *d->keys);
    atom_clone(&d->keys[d->n], key, t->key.type);
    if (vsctl_type_is_map(t)) {
        d->values = xrealloc(d->values, (d->n + 1) * sizeof *d->values);
        atom_clone(&d->values[d->n], value, t->value.type);
    }
    d->n++;
}

static void
datum_remove_at(struct vsctl_datum *d, size_t i, const struct vsctl_type *t)
{
    vsctl_atom_destroy(&d->keys[i], t->key.type);
    memmove(&d->keys[i], &d->keys[i + 1], (d->n - i - 1) * sizeof *d->keys);
    if (d->values) {
        vsctl_atom_destroy(&d->values[i], t->value.type);
        memmove(&d->values[i], &d->values[i + 1],
                (d->n - i - 1) * sizeof *d->values);
    }
    d->n--;
}

/* Sorts by key (insertion sort: datums are small) and drops duplicate
 * keys, keeping the first.  Returns true if there were duplicates. */
static bool
datum_sort(struct vsctl_datum *d, const struct vsctl_type *t)
{
    bool dups = false;
    for (size_t i = 1; i < d->n; i++) {
        for (size_t j = i; j > 0; j--) {
            int cmp = vsctl_atom_compare(&d->keys[j - 1], &d->keys[j],
                                         t->key.type);
            if (cmp <= 0) {
                break;
            }
            union vsctl_atom tmp = d->keys[j];
            d->keys[j] = d->keys[j - 1];
            d->keys[j - 1] = tmp;
            if (d->values) {
                tmp = d->values[j];
                d->values[j] = d->values[j - 1];
                d->values[j - 1] = tmp;
            }
        }
    }
    for (size_t i = 1; i < d->n; ) {
        if (!vsctl_atom_compare(&d->keys[i - 1], &d->keys[i], t->key.type)) {
            datum_remove_at(d, i, t);
            dups = true;
        } else {
            i++;
        }
    }
    return dups;
}

void
vsctl_datum_union(struct vsctl_datum *a, const struct vsctl_datum *b,
                  const struct vsctl_type *t)
{
    for (size_t i = 0; i < b->n; i++) {
        if (vsctl_datum_find_key(a, &b->keys[i], t->key.type) < 0) {
            datum_append(a, &b->keys[i], b->values ? &b->values[i] : NULL, t);
        }
    }
    datum_sort(a, t);
}

void
vsctl_datum_subtract(struct vsctl_datum *a, const struct vsctl_datum *b,
                     const struct vsctl_type *t, bool keys_only)
{
    for (size_t i = 0; i < b->n; i++) {
        int idx = vsctl_datum_find_key(a, &b->keys[i], t->key.type);
        if (idx >= 0
            && (keys_only || !vsctl_type_is_map(t)
                || !vsctl_atom_compare(&a->values[idx], &b->values[i],
                                       t->value.type))) {
            datum_remove_at(a, idx, t);
        }
    }
}

char *
vsctl_datum_check_size(const struct vsctl_datum *d,
                       const struct vsctl_type *t, const char *what)
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

void
vsctl_datum_to_string(const struct vsctl_datum *d,
                      const struct vsctl_type *t, struct ds *out)
{
    bool is_map = vsctl_type_is_map(t);
    bool bare = !is_map && t->n_max == 1 && d->n == 1;

    if (!bare) {
        ds_put_char(out, is_map ? '{' : '[');
    }
    for (size_t i = 0; i < d->n; i++) {
        if (i) {
            ds_put_cstr(out, ", ");
        }
        vsctl_atom_to_string(&d->keys[i], t->key.type, out);
        if (is_map) {
            ds_put_char(out, '=');
            vsctl_atom_to_string(&d->values[i], t->value.type, out);
        }
    }
    if (!bare) {
        ds_put_char(out, is_map ? '}' : ']');
    }
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
parse_atom_token(const char **p, const struct vsctl_base *base,
                 union vsctl_atom *a, struct vsctl_db *db)
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
vsctl_datum_from_string(struct vsctl_datum *d, const struct vsctl_type *t,
                        const char *s, struct vsctl_db *db)
{
    bool is_map = vsctl_type_is_map(t);
    const char *p = skip_spaces(s);
    char end_delim = 0;
    char *error = NULL;

    vsctl_datum_init_empty(d);
    if (*p == (is_map ? '{' : '[')) {
        end_delim = is_map ? '}' : ']';
        p = skip_spaces(p + 1);
    } else if (!*p) {
        return xstrdup(is_map ? "use \"{}\" to specify the empty map"
                              : "use \"[]\" to specify the empty set");
    }

    while (*p && *p != end_delim) {
        union vsctl_atom key, value;

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
                vsctl_atom_destroy(&key, t->key.type);
                error = xasprintf("%s: syntax error at \"%.1s\" expecting "
                                  "\"=\"", start, p);
                goto error;
            }
            p = skip_spaces(p + 1);
            error = parse_atom_token(&p, &t->value, &value, db);
            if (error) {
                vsctl_atom_destroy(&key, t->key.type);
                goto error;
            }
        }
        datum_append(d, &key, is_map ? &value : NULL, t);
        vsctl_atom_destroy(&key, t->key.type);
        if (is_map) {
            vsctl_atom_destroy(&value, t->value.type);
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
    if (datum_sort(d, t)) {
        error = xasprintf("%s: %s contains duplicate value", s,
                          is_map ? "map" : "set");
        goto error;
    }
    error = vsctl_datum_check_size(d, t, s);
    if (!error) {
        return NULL;
    }
error:
    vsctl_datum_destroy(d, t);
    return error;
}

/* ---- Wire format. ---- */

static char *
atom_from_json(union vsctl_atom *a, enum vsctl_atype type, const json_t *j)
{
    switch (type) {
    case VSCTL_INTEGER:
        if (json_is_integer(j)) {
            a->integer = json_integer_value(j);
            return NULL;
        }
        break;
    case VSCTL_REAL:
        if (json_is_number(j)) {
            a->real = json_number_value(j);
            return NULL;
        }
        break;
    case VSCTL_BOOLEAN:
        if (json_is_boolean(j)) {
            a->boolean = json_is_true(j);
            return NULL;
        }
        break;
    case VSCTL_STRING:
        if (json_is_string(j)) {
            a->string = xstrdup(json_string_value(j));
            return NULL;
        }
        break;
    case VSCTL_UUID:
        if (json_is_array(j) && json_array_size(j) == 2
            && json_is_string(json_array_get(j, 1))
            && uuid_from_string(&a->uuid,
                                json_string_value(json_array_get(j, 1)))) {
            return NULL;
        }
        break;
    case VSCTL_VOID:
    default:
        break;
    }
    return xstrdup("database sent a value of the wrong type");
}

static char *
datum_from_json(struct vsctl_datum *d, const struct vsctl_type *t,
                const json_t *j)
{
    bool is_map = vsctl_type_is_map(t);
    const char *tag = json_is_array(j)
                      ? json_string_value(json_array_get(j, 0)) : NULL;
    const json_t *elems = NULL;
    size_t i;
    json_t *e;
    char *error;

    vsctl_datum_init_empty(d);
    if (tag && !strcmp(tag, is_map ? "map" : "set")) {
        elems = json_array_get(j, 1);
    } else if (!is_map) {
        union vsctl_atom a;
        error = atom_from_json(&a, t->key.type, j);
        if (!error) {
            datum_append(d, &a, NULL, t);
            vsctl_atom_destroy(&a, t->key.type);
        }
        return error;
    }
    if (!json_is_array(elems)) {
        return xstrdup("database sent a malformed set or map");
    }
    json_array_foreach(elems, i, e) {
        union vsctl_atom k, v;
        error = atom_from_json(&k, t->key.type, is_map ? json_array_get(e, 0)
                                                         : e);
        if (error) {
            vsctl_datum_destroy(d, t);
            return error;
        }
        if (is_map) {
            error = atom_from_json(&v, t->value.type, json_array_get(e, 1));
            if (error) {
                vsctl_atom_destroy(&k, t->key.type);
                vsctl_datum_destroy(d, t);
                return error;
            }
        }
        datum_append(d, &k, is_map ? &v : NULL, t);
        vsctl_atom_destroy(&k, t->key.type);
        if (is_map) {
            vsctl_atom_destroy(&v, t->value.type);
        }
    }
    datum_sort(d, t);
    return NULL;
}

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

static json_t *
atom_to_json(const struct vsctl_db *db, const union vsctl_atom *a,
             enum vsctl_atype type)
{
    char buf[UUID_LEN + 1];

    switch (type) {
    case VSCTL_INTEGER:
        return json_integer(a->integer);
    case VSCTL_REAL:
        return json_real(a->real);
    case VSCTL_BOOLEAN:
        return json_boolean(a->boolean);
    case VSCTL_STRING:
        return json_string(a->string);
    case VSCTL_UUID:
        if (find_inserted_row(db, &a->uuid)) {
            char *name = uuid_name(&a->uuid);
            json_t *j = json_pack("[s,s]", "named-uuid", name);
            free(name);
            return j;
        }
        uuid_format(&a->uuid, buf);
        return json_pack("[s,s]", "uuid", buf);
    case VSCTL_VOID:
    default:
        return json_null();
    }
}

static json_t *
datum_to_json(const struct vsctl_db *db, const struct vsctl_datum *d,
              const struct vsctl_type *t)
{
    json_t *elems = json_array();
    if (!vsctl_type_is_map(t) && d->n == 1) {
        json_decref(elems);
        return atom_to_json(db, &d->keys[0], t->key.type);
    }
    for (size_t i = 0; i < d->n; i++) {
        json_t *k = atom_to_json(db, &d->keys[i], t->key.type);
        if (vsctl_type_is_map(t)) {
            json_array_append_new(elems, json_pack(
                "[o,o]", k, atom_to_json(db, &d->values[i], t->value.type)));
        } else {
            json_array_append_new(elems, k);
        }
    }
    return json_pack("[s,o]", vsctl_type_is_map(t) ? "map" : "set", elems);
}

/* ---- Schema. ---- */

static char *
parse_base(struct vsctl_base *base, const json_t *j)
{
    memset(base, 0, sizeof *base);
    if (json_is_string(j)) {
        base->type = atype_from_name(json_string_value(j));
        return base->type == VSCTL_VOID ? xstrdup("bad atomic type") : NULL;
    }
    base->type = atype_from_name(json_string_value(json_object_get(j, "type"))
                                 ? json_string_value(json_object_get(j, "type"))
                                 : "");
    if (base->type == VSCTL_VOID) {
        return xstrdup("bad atomic type");
    }
    const char *ref = json_string_value(json_object_get(j, "refTable"));
    base->ref_table = ref ? xstrdup(ref) : NULL;
    json_t *v = json_object_get(j, "minInteger");
    if (json_is_integer(v)) {
        base->has_min = true;
        base->min = json_integer_value(v);
    }
    v = json_object_get(j, "maxInteger");
    if (json_is_integer(v)) {
        base->has_max = true;
        base->max = json_integer_value(v);
    }
    v = json_object_get(j, "enum");
    if (v) {
        struct vsctl_type set = { .key = { .type = base->type },
                                  .n_min = 0, .n_max = UINT_MAX };
        char *error = datum_from_json(&base->enums, &set, v);
        if (error) {
            return error;
        }
    }
    return NULL;
}

static char *
parse_type(struct vsctl_type *t, const json_t *j)
{
    memset(t, 0, sizeof *t);
    t->n_min = t->n_max = 1;
    if (json_is_string(j)) {
        return parse_base(&t->key, j);
    }
    char *error = parse_base(&t->key, json_object_get(j, "key"));
    if (!error && json_object_get(j, "value")) {
        error = parse_base(&t->value, json_object_get(j, "value"));
    }
    json_t *min = json_object_get(j, "min"), *max = json_object_get(j, "max");
    if (json_is_integer(min)) {
        t->n_min = json_integer_value(min);
    }
    if (json_is_integer(max)) {
        t->n_max = json_integer_value(max);
    } else if (json_is_string(max)) {
        t->n_max = UINT_MAX;
    }
    return error;
}

static void
base_destroy(struct vsctl_base *base)
{
    struct vsctl_type set = { .key = { .type = base->type } };
    vsctl_datum_destroy(&base->enums, &set);
    free(base->ref_table);
}

static int
compare_columns(const void *a_, const void *b_)
{
    const struct vsctl_column *a = a_, *b = b_;
    return strcmp(a->name, b->name);
}

char *
vsctl_db_init(struct vsctl_db *db, const json_t *schema)
{
    json_t *tables = json_object_get(schema, "tables");
    const char *tname;
    json_t *tj;

    memset(db, 0, sizeof *db);
    hmap_init(&db->symbols);
    if (!json_is_object(tables)) {
        return xstrdup("schema has no tables");
    }
    db->tables = xcalloc(json_object_size(tables), sizeof *db->tables);
    json_object_foreach(tables, tname, tj) {
        struct vsctl_table *t = &db->tables[db->n_tables++];
        json_t *cols = json_object_get(tj, "columns");
        const char *cname;
        json_t *cj;

        t->name = xstrdup(tname);
        t->is_root = json_is_true(json_object_get(tj, "isRoot"));
        hmap_init(&t->rows);
        /* Slot 0 is the _uuid pseudo-column, printed first by "list". */
        t->columns = xcalloc(json_object_size(cols) + 1, sizeof *t->columns);
        t->columns[0].name = xstrdup("_uuid");
        t->columns[0].type = (struct vsctl_type) {
            .key = { .type = VSCTL_UUID }, .n_min = 1, .n_max = 1 };
        t->n_columns = 1;
        json_object_foreach(cols, cname, cj) {
            struct vsctl_column *c = &t->columns[t->n_columns++];
            c->name = xstrdup(cname);
            c->is_mutable = !json_is_false(json_object_get(cj, "mutable"));
            char *error = parse_type(&c->type, json_object_get(cj, "type"));
            if (error) {
                char *msg = xasprintf("%s.%s: %s", tname, cname, error);
                free(error);
                return msg;
            }
        }
        qsort(t->columns + 1, t->n_columns - 1, sizeof *t->columns,
              compare_columns);
        for (size_t i = 0; i < t->n_columns; i++) {
            t->columns[i].idx = i;
        }
    }
    return NULL;
}

static void
row_free(struct vsctl_row *row)
{
    struct vsctl_table *t = row->table;
    for (size_t i = 0; i < t->n_columns; i++) {
        if (row->old) {
            vsctl_datum_destroy(&row->old[i], &t->columns[i].type);
        }
        vsctl_datum_destroy(&row->cur[i], &t->columns[i].type);
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
        struct vsctl_table *t = &db->tables[i];
        for (size_t j = 0; j < t->n_columns; j++) {
            free(t->columns[j].name);
            base_destroy(&t->columns[j].type.key);
            base_destroy(&t->columns[j].type.value);
        }
        free(t->columns);
        free(t->name);
        hmap_destroy(&t->rows);
    }
    free(db->tables);
    hmap_destroy(&db->symbols);
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
        vsctl_datum_init_default(&row->cur[i], &t->columns[i].type);
        if (row->old) {
            vsctl_datum_init_default(&row->old[i], &t->columns[i].type);
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
                vsctl_datum_destroy(&row->old[c], &col->type);
                vsctl_datum_destroy(&row->cur[c], &col->type);
                char *error = datum_from_json(&row->old[c], &col->type, v);
                if (error) {
                    char *msg = xasprintf("%s.%s: %s", t->name, col->name,
                                          error);
                    free(error);
                    vsctl_datum_init_empty(&row->cur[c]);
                    return msg;
                }
                vsctl_datum_clone(&row->cur[c], &row->old[c], &col->type);
            }
        }
    }
    return NULL;
}

/* ---- Lookups. ---- */

struct vsctl_table *
vsctl_db_get_table(const struct vsctl_db *db, const char *name)
{
    for (size_t i = 0; i < db->n_tables; i++) {
        if (!strcmp(db->tables[i].name, name)) {
            return &db->tables[i];
        }
    }
    return NULL;
}

/* Table names match case-insensitively, or by a unique prefix, as
 * ovs-vsctl lets users type "bridge" or "interf". */
char *
vsctl_table_find(const struct vsctl_db *db, const char *name,
                 struct vsctl_table **tp)
{
    struct vsctl_table *best = NULL;
    int n_prefix = 0;

    for (size_t i = 0; i < db->n_tables; i++) {
        if (!strcasecmp(db->tables[i].name, name)) {
            *tp = &db->tables[i];
            return NULL;
        }
        if (*name && !strncasecmp(db->tables[i].name, name, strlen(name))) {
            best = &db->tables[i];
            n_prefix++;
        }
    }
    *tp = n_prefix == 1 ? best : NULL;
    if (n_prefix > 1) {
        return xasprintf("multiple table names match \"%s\"", name);
    }
    return best ? NULL : xasprintf("unknown table \"%s\"", name);
}

char *
vsctl_column_find(const struct vsctl_table *t, const char *name,
                  const struct vsctl_column **cp)
{
    const struct vsctl_column *best = NULL;
    int n_prefix = 0;

    for (size_t i = 0; i < t->n_columns; i++) {
        if (!strcasecmp(t->columns[i].name, name)) {
            *cp = &t->columns[i];
            return NULL;
        }
        if (*name && !strncasecmp(t->columns[i].name, name, strlen(name))) {
            best = &t->columns[i];
            n_prefix++;
        }
    }
    *cp = n_prefix == 1 ? best : NULL;
    if (n_prefix > 1) {
        return xasprintf("%s contains more than one column whose name "
                         "matches \"%s\"", t->name, name);
    }
    return best ? NULL : xasprintf("%s does not contain a column whose name "
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
    return uuid_compare(&(*a)->uuid, &(*b)->uuid);
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

const struct vsctl_datum *
vsctl_row_datum(const struct vsctl_row *row, const char *column)
{
    return &row->cur[vsctl_column_get(row->table, column)->idx];
}

void
vsctl_row_set(struct vsctl_row *row, const struct vsctl_column *c,
              struct vsctl_datum *d)
{
    vsctl_datum_destroy(&row->cur[c->idx], &c->type);
    row->cur[c->idx] = *d;
    vsctl_datum_init_empty(d);
}

void
vsctl_row_set_string(struct vsctl_row *row, const char *column,
                     const char *s)
{
    const struct vsctl_column *c = vsctl_column_get(row->table, column);
    struct vsctl_datum d;
    union vsctl_atom a = { .string = (char *) s };

    vsctl_datum_init_empty(&d);
    datum_append(&d, &a, NULL, &c->type);
    vsctl_row_set(row, c, &d);
}

const char *
vsctl_row_string(const struct vsctl_row *row, const char *column)
{
    const struct vsctl_datum *d = vsctl_row_datum(row, column);
    return d->n ? d->keys[0].string : "";
}

void
vsctl_row_add_ref(struct vsctl_row *row, const char *column,
                  const struct uuid *u)
{
    const struct vsctl_column *c = vsctl_column_get(row->table, column);
    struct vsctl_datum one = { .n = 1, .keys = (union vsctl_atom[]) {
                                   { .uuid = *u } } };
    struct vsctl_datum zero = { .n = 1, .keys = (union vsctl_atom[]) {
                                    { .uuid = { { 0, 0, 0, 0 } } } } };
    /* A new row's required reference starts as the all-zeros default. */
    vsctl_datum_subtract(&row->cur[c->idx], &zero, &c->type, true);
    vsctl_datum_union(&row->cur[c->idx], &one, &c->type);
}

void
vsctl_row_remove_ref(struct vsctl_row *row, const char *column,
                     const struct uuid *u)
{
    const struct vsctl_column *c = vsctl_column_get(row->table, column);
    struct vsctl_datum one = { .n = 1, .keys = (union vsctl_atom[]) {
                                   { .uuid = *u } } };
    vsctl_datum_subtract(&row->cur[c->idx], &one, &c->type, true);
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
        const struct vsctl_datum *d = &row->cur[i];
        for (size_t k = 0; k < d->n; k++) {
            struct vsctl_row *ref;
            if (c->type.key.type == VSCTL_UUID
                && (ref = find_inserted_row(db, &d->keys[k].uuid))
                && ref->insert_op == -1) {
                emit_insert(db, ref, ops, depth + 1);
            }
            if (c->type.value.type == VSCTL_UUID
                && (ref = find_inserted_row(db, &d->values[k].uuid))
                && ref->insert_op == -1) {
                emit_insert(db, ref, ops, depth + 1);
            }
        }
        if (!vsctl_datum_is_default(d, &c->type)) {
            json_object_set_new(cols, c->name, datum_to_json(db, d, &c->type));
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
                if (!vsctl_datum_equals(&row->old[c], &row->cur[c],
                                        &col->type)) {
                    json_object_set_new(old, col->name, datum_to_json(
                                            db, &row->old[c], &col->type));
                    json_object_set_new(new, col->name, datum_to_json(
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
