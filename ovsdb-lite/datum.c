#include <config.h>
#include "datum.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "ovsdb-error.h"

int
atom_compare(const union atom *a, const union atom *b, enum atomic_type type)
{
    switch (type) {
    case ATOMIC_INTEGER:
        return a->integer < b->integer ? -1 : a->integer > b->integer;
    case ATOMIC_REAL:
        return a->real < b->real ? -1 : a->real > b->real;
    case ATOMIC_BOOLEAN:
        return (int) a->boolean - (int) b->boolean;
    case ATOMIC_STRING:
        return strcmp(a->string, b->string);
    case ATOMIC_UUID:
        for (int i = 0; i < 4; i++) {
            if (a->uuid.parts[i] != b->uuid.parts[i]) {
                return a->uuid.parts[i] < b->uuid.parts[i] ? -1 : 1;
            }
        }
        return 0;
    case ATOMIC_VOID:
        break;
    }
    return 0;
}

uint32_t
atom_hash(const union atom *a, enum atomic_type type, uint32_t basis)
{
    switch (type) {
    case ATOMIC_INTEGER:
        return hash_bytes(&a->integer, sizeof a->integer, basis);
    case ATOMIC_REAL:
        return hash_bytes(&a->real, sizeof a->real, basis);
    case ATOMIC_BOOLEAN:
        return hash_int(a->boolean, basis);
    case ATOMIC_STRING:
        return hash_string(a->string, basis);
    case ATOMIC_UUID:
        return hash_int(uuid_hash(&a->uuid), basis);
    case ATOMIC_VOID:
        break;
    }
    return basis;
}

void
atom_clone(union atom *dst, const union atom *src, enum atomic_type type)
{
    *dst = *src;
    if (type == ATOMIC_STRING) {
        dst->string = xstrdup(src->string);
    }
}

void
atom_destroy(union atom *a, enum atomic_type type)
{
    if (type == ATOMIC_STRING) {
        free(a->string);
    }
}

json_t *
atom_to_json(const union atom *a, enum atomic_type type)
{
    char buf[UUID_LEN + 1];

    switch (type) {
    case ATOMIC_INTEGER:
        return json_integer(a->integer);
    case ATOMIC_REAL:
        return json_real(a->real);
    case ATOMIC_BOOLEAN:
        return json_boolean(a->boolean);
    case ATOMIC_STRING:
        return json_string(a->string);
    case ATOMIC_UUID:
        uuid_format(&a->uuid, buf);
        return json_pack("[s,s]", "uuid", buf);
    case ATOMIC_VOID:
        break;
    }
    return json_null();
}

static json_t *
type_mismatch(const struct base_type *base, const json_t *json)
{
    char *s = json_dumps(json, JSON_COMPACT | JSON_ENCODE_ANY);
    json_t *error = ovsdb_error("syntax error", "expected %s, got %s",
                                atomic_type_name(base->type), s ? s : "?");
    free(s);
    return error;
}

json_t *
atom_from_json(union atom *a, const struct base_type *base, const json_t *json,
               const struct datum_symtab *symtab)
{
    memset(a, 0, sizeof *a);
    switch (base->type) {
    case ATOMIC_INTEGER:
        if (!json_is_integer(json)) {
            return type_mismatch(base, json);
        }
        a->integer = json_integer_value(json);
        return NULL;
    case ATOMIC_REAL:
        if (!json_is_number(json)) {
            return type_mismatch(base, json);
        }
        a->real = json_number_value(json);
        return NULL;
    case ATOMIC_BOOLEAN:
        if (!json_is_boolean(json)) {
            return type_mismatch(base, json);
        }
        a->boolean = json_is_true(json);
        return NULL;
    case ATOMIC_STRING:
        if (!json_is_string(json)) {
            return type_mismatch(base, json);
        }
        a->string = xstrdup(json_string_value(json));
        return NULL;
    case ATOMIC_UUID: {
        const char *tag = json_string_value(json_array_get(json, 0));
        const char *s = json_string_value(json_array_get(json, 1));
        if (!json_is_array(json) || json_array_size(json) != 2 || !tag || !s) {
            return type_mismatch(base, json);
        }
        if (!strcmp(tag, "uuid")) {
            if (!uuid_from_string(&a->uuid, s)) {
                return ovsdb_error("syntax error",
                                   "\"%s\" is not a valid UUID", s);
            }
            return NULL;
        } else if (!strcmp(tag, "named-uuid")) {
            if (!symtab || !symtab->lookup(s, &a->uuid, symtab->aux)) {
                return ovsdb_error("syntax error", "unknown named-uuid \"%s\"",
                                   s);
            }
            return NULL;
        }
        return type_mismatch(base, json);
    }
    case ATOMIC_VOID:
        break;
    }
    return type_mismatch(base, json);
}

void
datum_init_empty(struct datum *d)
{
    d->n = 0;
    d->keys = d->values = NULL;
}

static void
default_atom(union atom *a, enum atomic_type type)
{
    memset(a, 0, sizeof *a);
    if (type == ATOMIC_STRING) {
        a->string = xstrdup("");
    }
}

void
datum_init_default(struct datum *d, const struct column_type *t)
{
    datum_init_empty(d);
    if (t->n_min) {
        d->n = 1;
        d->keys = xmalloc(sizeof *d->keys);
        default_atom(d->keys, t->key.type);
        if (column_type_is_map(t)) {
            d->values = xmalloc(sizeof *d->values);
            default_atom(d->values, t->value.type);
        }
    }
}

void
datum_destroy(struct datum *d, enum atomic_type kt, enum atomic_type vt)
{
    for (size_t i = 0; i < d->n; i++) {
        atom_destroy(&d->keys[i], kt);
        if (d->values) {
            atom_destroy(&d->values[i], vt);
        }
    }
    free(d->keys);
    free(d->values);
    datum_init_empty(d);
}

void
datum_clone(struct datum *dst, const struct datum *src,
            const struct column_type *t)
{
    dst->n = src->n;
    dst->keys = xmalloc((src->n ? src->n : 1) * sizeof *dst->keys);
    dst->values = (src->values
                   ? xmalloc((src->n ? src->n : 1) * sizeof *dst->values)
                   : NULL);
    for (size_t i = 0; i < src->n; i++) {
        atom_clone(&dst->keys[i], &src->keys[i], t->key.type);
        if (src->values) {
            atom_clone(&dst->values[i], &src->values[i], t->value.type);
        }
    }
}

void
datum_move(struct datum *dst, struct datum *src, const struct column_type *t)
{
    datum_destroy(dst, t->key.type, t->value.type);
    *dst = *src;
    datum_init_empty(src);
}

bool
datum_equals(const struct datum *a, const struct datum *b,
             const struct column_type *t)
{
    if (a->n != b->n) {
        return false;
    }
    for (size_t i = 0; i < a->n; i++) {
        if (atom_compare(&a->keys[i], &b->keys[i], t->key.type)
            || (a->values && b->values
                && atom_compare(&a->values[i], &b->values[i],
                                t->value.type))) {
            return false;
        }
    }
    return true;
}

struct sort_ctx {
    const struct datum *d;
    enum atomic_type type;
};

static int
compare_index(const void *a_, const void *b_, void *ctx_)
{
    const struct sort_ctx *ctx = ctx_;
    const size_t *a = a_, *b = b_;
    return atom_compare(&ctx->d->keys[*a], &ctx->d->keys[*b], ctx->type);
}

json_t *
datum_sort(struct datum *d, const struct column_type *t)
{
    if (d->n < 2) {
        return NULL;
    }
    size_t *idx = xmalloc(d->n * sizeof *idx);
    for (size_t i = 0; i < d->n; i++) {
        idx[i] = i;
    }
    struct sort_ctx ctx = { d, t->key.type };
    qsort_r(idx, d->n, sizeof *idx, compare_index, &ctx);

    union atom *keys = xmalloc(d->n * sizeof *keys);
    union atom *values = d->values ? xmalloc(d->n * sizeof *values) : NULL;
    for (size_t i = 0; i < d->n; i++) {
        keys[i] = d->keys[idx[i]];
        if (values) {
            values[i] = d->values[idx[i]];
        }
    }
    free(idx);
    free(d->keys);
    free(d->values);
    d->keys = keys;
    d->values = values;

    for (size_t i = 1; i < d->n; i++) {
        if (!atom_compare(&d->keys[i - 1], &d->keys[i], t->key.type)) {
            json_t *k = atom_to_json(&d->keys[i], t->key.type);
            char *s = json_dumps(k, JSON_COMPACT | JSON_ENCODE_ANY);
            json_t *error = ovsdb_error("constraint violation",
                                        "%s contains duplicate key %s",
                                        column_type_is_map(t) ? "map" : "set",
                                        s ? s : "?");
            free(s);
            json_decref(k);
            return error;
        }
    }
    return NULL;
}

static json_t *
parse_elements(struct datum *d, const struct column_type *t,
               const json_t *elems, bool is_map,
               const struct datum_symtab *symtab)
{
    size_t n = json_array_size(elems);
    d->keys = xmalloc((n ? n : 1) * sizeof *d->keys);
    d->values = is_map ? xmalloc((n ? n : 1) * sizeof *d->values) : NULL;
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(elems, i);
        const json_t *kj = e, *vj = NULL;
        if (is_map) {
            if (!json_is_array(e) || json_array_size(e) != 2) {
                return ovsdb_error("syntax error",
                                   "map element is not a [key, value] pair");
            }
            kj = json_array_get(e, 0);
            vj = json_array_get(e, 1);
        }
        json_t *error = atom_from_json(&d->keys[d->n], &t->key, kj, symtab);
        if (error) {
            return error;
        }
        if (is_map) {
            error = atom_from_json(&d->values[d->n], &t->value, vj, symtab);
            if (error) {
                atom_destroy(&d->keys[d->n], t->key.type);
                return error;
            }
        }
        d->n++;
    }
    return NULL;
}

json_t *
datum_from_json(struct datum *d, const struct column_type *t,
                const json_t *json, const struct datum_symtab *symtab)
{
    datum_init_empty(d);

    const char *tag = json_string_value(json_array_get(json, 0));
    bool is_map = column_type_is_map(t);
    json_t *error;
    if (json_is_array(json) && json_array_size(json) == 2 && tag
        && (!strcmp(tag, "set") || !strcmp(tag, "map"))) {
        const json_t *elems = json_array_get(json, 1);
        if (!json_is_array(elems)) {
            return ovsdb_error("syntax error", "%s contents must be an array",
                               tag);
        }
        if (!strcmp(tag, "map") != is_map) {
            return ovsdb_error("syntax error", "expected %s, got %s",
                               is_map ? "map" : "set or atom", tag);
        }
        error = parse_elements(d, t, elems, is_map, symtab);
    } else if (is_map) {
        return ovsdb_error("syntax error", "expected [\"map\", [...]]");
    } else {
        d->keys = xmalloc(sizeof *d->keys);
        error = atom_from_json(&d->keys[0], &t->key, json, symtab);
        if (!error) {
            d->n = 1;
        }
    }
    if (!error) {
        error = datum_sort(d, t);
    }
    if (error) {
        datum_destroy(d, t->key.type, t->value.type);
    }
    return error;
}

static json_t *
atom_to_json_named(const union atom *a, enum atomic_type type,
                   const struct datum_namer *namer)
{
    char *name = (type == ATOMIC_UUID && namer
                  ? namer->name(&a->uuid, namer->aux) : NULL);
    if (name) {
        json_t *j = json_pack("[s,s]", "named-uuid", name);
        free(name);
        return j;
    }
    return atom_to_json(a, type);
}

json_t *
datum_to_json_named(const struct datum *d, const struct column_type *t,
                    const struct datum_namer *namer)
{
    if (column_type_is_map(t)) {
        json_t *pairs = json_array();
        for (size_t i = 0; i < d->n; i++) {
            json_array_append_new(pairs, json_pack(
                "[o,o]", atom_to_json_named(&d->keys[i], t->key.type, namer),
                atom_to_json_named(&d->values[i], t->value.type, namer)));
        }
        return json_pack("[s,o]", "map", pairs);
    }
    if (d->n == 1) {
        return atom_to_json_named(&d->keys[0], t->key.type, namer);
    }
    json_t *elems = json_array();
    for (size_t i = 0; i < d->n; i++) {
        json_array_append_new(elems, atom_to_json_named(&d->keys[i],
                                                        t->key.type, namer));
    }
    return json_pack("[s,o]", "set", elems);
}

json_t *
datum_to_json(const struct datum *d, const struct column_type *t)
{
    return datum_to_json_named(d, t, NULL);
}

static size_t
utf8_length(const char *s)
{
    size_t n = 0;
    for (; *s; s++) {
        n += ((unsigned char) *s & 0xc0) != 0x80;
    }
    return n;
}

static json_t *
atom_check(const union atom *a, const struct base_type *b, const char *column)
{
    char *problem = NULL;

    if (b->enum_ && datum_find(b->enum_, a, b->type) == SIZE_MAX) {
        json_t *j = atom_to_json(a, b->type);
        char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
        problem = xasprintf("%s is not one of the allowed values", s);
        free(s);
        json_decref(j);
    } else if (b->type == ATOMIC_INTEGER
               && (a->integer < b->min_int || a->integer > b->max_int)) {
        problem = xasprintf("%lld is not in the valid range %lld to %lld",
                            a->integer, b->min_int, b->max_int);
    } else if (b->type == ATOMIC_REAL
               && (a->real < b->min_real || a->real > b->max_real
                   || !isfinite(a->real))) {
        problem = xasprintf("%g is not in the valid range %g to %g",
                            a->real, b->min_real, b->max_real);
    } else if (b->type == ATOMIC_STRING) {
        size_t len = utf8_length(a->string);
        if (len < b->min_len || len > b->max_len) {
            problem = xasprintf("\"%s\" length %zu is not in the valid "
                                "range %zu to %zu", a->string, len,
                                b->min_len, b->max_len);
        }
    }
    if (!problem) {
        return NULL;
    }
    json_t *error = ovsdb_error("constraint violation", "column %s: %s",
                                column, problem);
    free(problem);
    return error;
}

json_t *
datum_check(const struct datum *d, const struct column_type *t,
            const char *column)
{
    if (d->n < t->n_min || d->n > t->n_max) {
        return ovsdb_error("constraint violation",
                           "column %s: %zu values but %u..%u allowed",
                           column, d->n, t->n_min, t->n_max);
    }
    for (size_t i = 0; i < d->n; i++) {
        json_t *error = atom_check(&d->keys[i], &t->key, column);
        if (!error && d->values) {
            error = atom_check(&d->values[i], &t->value, column);
        }
        if (error) {
            return error;
        }
    }
    return NULL;
}

size_t
datum_find(const struct datum *d, const union atom *key, enum atomic_type type)
{
    size_t lo = 0, hi = d->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = atom_compare(key, &d->keys[mid], type);
        if (!cmp) {
            return mid;
        }
        if (cmp < 0) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    return SIZE_MAX;
}

bool
datum_includes(const struct datum *a, const struct datum *b,
               const struct column_type *t)
{
    for (size_t i = 0; i < b->n; i++) {
        size_t j = datum_find(a, &b->keys[i], t->key.type);
        if (j == SIZE_MAX
            || (a->values && b->values
                && atom_compare(&a->values[j], &b->values[i],
                                t->value.type))) {
            return false;
        }
    }
    return true;
}

void
datum_union(struct datum *a, const struct datum *b,
            const struct column_type *t)
{
    size_t n = a->n;
    a->keys = xrealloc(a->keys, (a->n + b->n + 1) * sizeof *a->keys);
    if (column_type_is_map(t)) {
        a->values = xrealloc(a->values, (a->n + b->n + 1) * sizeof *a->values);
    }
    for (size_t i = 0; i < b->n; i++) {
        if (datum_find(a, &b->keys[i], t->key.type) == SIZE_MAX) {
            atom_clone(&a->keys[n], &b->keys[i], t->key.type);
            if (a->values) {
                atom_clone(&a->values[n], &b->values[i], t->value.type);
            }
            n++;
        }
    }
    a->n = n;
    json_decref(datum_sort(a, t));
}

void
datum_subtract(struct datum *a, const struct datum *b,
               const struct column_type *t, bool b_is_keys)
{
    size_t n = 0;
    for (size_t i = 0; i < a->n; i++) {
        size_t j = datum_find(b, &a->keys[i], t->key.type);
        bool drop = j != SIZE_MAX;
        if (drop && a->values && !b_is_keys) {
            drop = !atom_compare(&a->values[i], &b->values[j], t->value.type);
        }
        if (drop) {
            atom_destroy(&a->keys[i], t->key.type);
            if (a->values) {
                atom_destroy(&a->values[i], t->value.type);
            }
        } else {
            a->keys[n] = a->keys[i];
            if (a->values) {
                a->values[n] = a->values[i];
            }
            n++;
        }
    }
    a->n = n;
}

/* A string is printed bare only if it could not be read back as anything
 * else: an identifier-like word that is not a boolean or a UUID. */
static bool
string_needs_quotes(const char *s)
{
    const unsigned char *p = (const unsigned char *) s;
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_')) {
        return true;
    }
    for (p++; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')
              || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'
              || *p == '.')) {
            return true;
        }
    }
    struct uuid u;
    return (!strcmp(s, "true") || !strcmp(s, "false")
            || uuid_from_string(&u, s));
}

void
atom_to_string(const union atom *a, enum atomic_type type, struct ds *out)
{
    char buf[UUID_LEN + 1];
    switch (type) {
    case ATOMIC_INTEGER:
        ds_put_format(out, "%lld", a->integer);
        break;
    case ATOMIC_REAL:
        ds_put_format(out, "%.15g", a->real);
        break;
    case ATOMIC_BOOLEAN:
        ds_put_cstr(out, a->boolean ? "true" : "false");
        break;
    case ATOMIC_STRING:
        if (string_needs_quotes(a->string)) {
            json_t *j = json_string(a->string);
            char *s = json_dumps(j, JSON_ENCODE_ANY);
            ds_put_cstr(out, s ? s : "\"\"");
            free(s);
            json_decref(j);
        } else {
            ds_put_cstr(out, a->string);
        }
        break;
    case ATOMIC_UUID:
        uuid_format(&a->uuid, buf);
        ds_put_cstr(out, buf);
        break;
    case ATOMIC_VOID:
        break;
    }
}

void
datum_to_string(const struct datum *d, const struct column_type *t,
                struct ds *out)
{
    bool is_map = column_type_is_map(t);
    bool bare = !is_map && t->n_max == 1 && d->n == 1;
    if (!bare) {
        ds_put_char(out, is_map ? '{' : '[');
    }
    for (size_t i = 0; i < d->n; i++) {
        if (i) {
            ds_put_cstr(out, ", ");
        }
        atom_to_string(&d->keys[i], t->key.type, out);
        if (is_map) {
            ds_put_char(out, '=');
            atom_to_string(&d->values[i], t->value.type, out);
        }
    }
    if (!bare) {
        ds_put_char(out, is_map ? '}' : ']');
    }
}
