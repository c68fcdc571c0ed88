#include <config.h>
#include "type.h"
#include <float.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "datum.h"
#include "ovsdb-error.h"
#include "util.h"

static const char *const atomic_names[] = {
    [ATOMIC_VOID] = "void",
    [ATOMIC_INTEGER] = "integer",
    [ATOMIC_REAL] = "real",
    [ATOMIC_BOOLEAN] = "boolean",
    [ATOMIC_STRING] = "string",
    [ATOMIC_UUID] = "uuid",
};

const char *
atomic_type_name(enum atomic_type type)
{
    return atomic_names[type];
}

static bool
atomic_type_from_string(const char *s, enum atomic_type *type)
{
    for (size_t i = ATOMIC_INTEGER; i < ARRAY_SIZE(atomic_names); i++) {
        if (!strcmp(s, atomic_names[i])) {
            *type = i;
            return true;
        }
    }
    return false;
}

void
base_type_init(struct base_type *b, enum atomic_type type)
{
    memset(b, 0, sizeof *b);
    b->type = type;
    b->min_int = LLONG_MIN;
    b->max_int = LLONG_MAX;
    b->min_real = -DBL_MAX;
    b->max_real = DBL_MAX;
    b->max_len = SIZE_MAX;
}

static json_t *
syntax(const char *what)
{
    return ovsdb_error("syntax error", "bad type: %s", what);
}

static json_t *
base_type_from_json(struct base_type *b, const json_t *json)
{
    enum atomic_type type;

    if (json_is_string(json)) {
        if (!atomic_type_from_string(json_string_value(json), &type)) {
            return syntax(json_string_value(json));
        }
        base_type_init(b, type);
        return NULL;
    }
    if (!json_is_object(json)) {
        return syntax("base type is neither string nor object");
    }
    const char *name = json_string_value(json_object_get(json, "type"));
    if (!name || !atomic_type_from_string(name, &type)) {
        return syntax("missing or unknown atomic type");
    }
    base_type_init(b, type);

    const json_t *v;
    if ((v = json_object_get(json, "enum"))) {
        struct column_type et;
        memset(&et, 0, sizeof et);
        base_type_init(&et.key, type);
        base_type_init(&et.value, ATOMIC_VOID);
        et.n_min = 0;
        et.n_max = TYPE_UNLIMITED;
        b->enum_ = xzalloc(sizeof *b->enum_);
        json_t *error = datum_from_json(b->enum_, &et, v, NULL);
        if (error) {
            free(b->enum_);
            b->enum_ = NULL;
            return error;
        }
    }
    switch (type) {
    case ATOMIC_INTEGER:
        if ((v = json_object_get(json, "minInteger")) && json_is_integer(v)) {
            b->min_int = json_integer_value(v);
        }
        if ((v = json_object_get(json, "maxInteger")) && json_is_integer(v)) {
            b->max_int = json_integer_value(v);
        }
        break;
    case ATOMIC_REAL:
        if ((v = json_object_get(json, "minReal")) && json_is_number(v)) {
            b->min_real = json_number_value(v);
        }
        if ((v = json_object_get(json, "maxReal")) && json_is_number(v)) {
            b->max_real = json_number_value(v);
        }
        break;
    case ATOMIC_STRING:
        if ((v = json_object_get(json, "minLength")) && json_is_integer(v)) {
            b->min_len = json_integer_value(v);
        }
        if ((v = json_object_get(json, "maxLength")) && json_is_integer(v)) {
            b->max_len = json_integer_value(v);
        }
        break;
    case ATOMIC_UUID:
        if ((v = json_object_get(json, "refTable"))) {
            if (!json_is_string(v)) {
                return syntax("refTable must be a string");
            }
            b->ref_table_name = xstrdup(json_string_value(v));
            const char *rt = json_string_value(json_object_get(json,
                                                               "refType"));
            if (rt && !strcmp(rt, "weak")) {
                b->weak = true;
            } else if (rt && strcmp(rt, "strong")) {
                return syntax("refType must be strong or weak");
            }
        }
        break;
    case ATOMIC_VOID:
    case ATOMIC_BOOLEAN:
        break;
    }
    return NULL;
}

static void
base_type_destroy(struct base_type *b)
{
    if (b->enum_) {
        datum_destroy(b->enum_, b->type, ATOMIC_VOID);
        free(b->enum_);
    }
    free(b->ref_table_name);
}

json_t *
column_type_from_json(struct column_type *t, const json_t *json)
{
    memset(t, 0, sizeof *t);
    base_type_init(&t->value, ATOMIC_VOID);
    t->n_min = t->n_max = 1;
    if (json_is_string(json)) {
        return base_type_from_json(&t->key, json);
    }
    if (!json_is_object(json)) {
        return syntax("type is neither string nor object");
    }
    json_t *error = base_type_from_json(&t->key, json_object_get(json, "key"));
    if (error) {
        return error;
    }
    const json_t *v = json_object_get(json, "value");
    if (v && (error = base_type_from_json(&t->value, v))) {
        return error;
    }
    if ((v = json_object_get(json, "min"))) {
        if (!json_is_integer(v) || json_integer_value(v) < 0
            || json_integer_value(v) > 1) {
            return syntax("min must be 0 or 1");
        }
        t->n_min = json_integer_value(v);
    }
    if ((v = json_object_get(json, "max"))) {
        if (json_is_string(v) && !strcmp(json_string_value(v), "unlimited")) {
            t->n_max = TYPE_UNLIMITED;
        } else if (json_is_integer(v) && json_integer_value(v) >= 1) {
            t->n_max = json_integer_value(v);
        } else {
            return syntax("max must be a positive integer or \"unlimited\"");
        }
    }
    if (t->n_min > t->n_max) {
        return syntax("min exceeds max");
    }
    return NULL;
}

/* Open vSwitch's canonical form: defaults left out, and a base type with
 * nothing but its type written as the bare name. */
static json_t *
base_type_to_json(const struct base_type *b)
{
    json_t *o = json_object();
    if (b->enum_) {
        struct column_type et;
        memset(&et, 0, sizeof et);
        base_type_init(&et.key, b->type);
        base_type_init(&et.value, ATOMIC_VOID);
        et.n_max = TYPE_UNLIMITED;
        json_object_set_new(o, "enum", datum_to_json(b->enum_, &et));
    }
    switch (b->type) {
    case ATOMIC_INTEGER:
        if (b->min_int != LLONG_MIN) {
            json_object_set_new(o, "minInteger", json_integer(b->min_int));
        }
        if (b->max_int != LLONG_MAX) {
            json_object_set_new(o, "maxInteger", json_integer(b->max_int));
        }
        break;
    case ATOMIC_REAL:
        if (b->min_real != -DBL_MAX) {
            json_object_set_new(o, "minReal", json_real(b->min_real));
        }
        if (b->max_real != DBL_MAX) {
            json_object_set_new(o, "maxReal", json_real(b->max_real));
        }
        break;
    case ATOMIC_STRING:
        if (b->min_len) {
            json_object_set_new(o, "minLength", json_integer(b->min_len));
        }
        if (b->max_len != SIZE_MAX) {
            json_object_set_new(o, "maxLength", json_integer(b->max_len));
        }
        break;
    case ATOMIC_UUID:
        if (b->ref_table_name) {
            json_object_set_new(o, "refTable",
                                json_string(b->ref_table_name));
            if (b->weak) {
                json_object_set_new(o, "refType", json_string("weak"));
            }
        }
        break;
    case ATOMIC_VOID:
    case ATOMIC_BOOLEAN:
        break;
    }
    if (!json_object_size(o)) {
        json_decref(o);
        return json_string(atomic_type_name(b->type));
    }
    json_object_set_new(o, "type", json_string(atomic_type_name(b->type)));
    return o;
}

json_t *
column_type_to_json(const struct column_type *t)
{
    bool is_map = t->value.type != ATOMIC_VOID;
    json_t *key = base_type_to_json(&t->key);
    if (!is_map && t->n_min == 1 && t->n_max == 1 && json_is_string(key)) {
        return key;
    }
    json_t *o = json_object();
    json_object_set_new(o, "key", key);
    if (is_map) {
        json_object_set_new(o, "value", base_type_to_json(&t->value));
    }
    if (t->n_min != 1) {
        json_object_set_new(o, "min", json_integer(t->n_min));
    }
    if (t->n_max == TYPE_UNLIMITED) {
        json_object_set_new(o, "max", json_string("unlimited"));
    } else if (t->n_max != 1) {
        json_object_set_new(o, "max", json_integer(t->n_max));
    }
    return o;
}

void
column_type_destroy(struct column_type *t)
{
    base_type_destroy(&t->key);
    base_type_destroy(&t->value);
}

struct column_type
column_type_relaxed(const struct column_type *t)
{
    struct column_type r = *t;
    r.n_min = 0;
    r.n_max = TYPE_UNLIMITED;
    return r;
}
