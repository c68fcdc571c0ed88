#include <config.h>
#include "mutation.h"
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "ovsdb-error.h"

static const char *const mutator_names[] = {
    "+=", "-=", "*=", "/=", "%=", "insert", "delete",
};

json_t *
mutation_from_json(struct mutation *m, const struct table_schema *t,
                   const json_t *json, const struct datum_symtab *st)
{
    const char *mname = json_string_value(json_array_get(json, 1));
    memset(m, 0, sizeof *m);
    if (!json_is_array(json) || json_array_size(json) != 3 || !mname) {
        return ovsdb_error("syntax error", "mutation must be "
                           "[column, mutator, value]");
    }
    json_t *error = schema_column_from_json(t, json_array_get(json, 0),
                                            &m->column);
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
    if (m->mutator <= MUT_MOD) {
        enum atomic_type k = type->key.type;
        if (column_type_is_map(type)
            || (k != ATOMIC_INTEGER && k != ATOMIC_REAL)
            || (k == ATOMIC_REAL && m->mutator == MUT_MOD)) {
            return ovsdb_error("syntax error",
                               "Type mismatch: \"%s\" operator "
                               "may not be applied to column %s.", mname,
                               m->column->name);
        }
        struct base_type base;
        base_type_init(&base, k);
        m->arg.keys = xmalloc(sizeof *m->arg.keys);
        error = atom_from_json(&m->arg.keys[0], &base, arg, st);
        if (error) {
            free(m->arg.keys);
            m->arg.keys = NULL;
            return error;
        }
        m->arg.n = 1;
        return NULL;
    }
    struct column_type r = column_type_relaxed(type);
    const char *tag = json_string_value(json_array_get(arg, 0));
    if (m->mutator == MUT_DELETE && column_type_is_map(type)
        && !(tag && !strcmp(tag, "map"))) {
        base_type_init(&r.value, ATOMIC_VOID);
        m->arg_is_keys = true;
    }
    error = datum_from_json(&m->arg, &r, arg, st);
    if (error) {
        m->arg_is_keys = false;
    }
    return error;
}

void
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

json_t *
mutation_apply(const struct mutation *m, struct db_row *row)
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

