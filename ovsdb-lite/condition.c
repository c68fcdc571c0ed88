#include <config.h>
#include "condition.h"
#include <stdlib.h>
#include <string.h>
#include "ovsdb-error.h"

static const char *const clause_names[] = {
    "==", "!=", "includes", "excludes", "<", "<=", ">", ">=",
};

void
condition_destroy(struct condition *w)
{
    for (size_t i = 0; i < w->n; i++) {
        datum_destroy(&w->conds[i].arg, w->conds[i].column->type.key.type,
                      w->conds[i].column->type.value.type);
    }
    free(w->conds);
}

json_t *
condition_from_json(struct condition *w, const struct table_schema *t,
                    const json_t *json, const struct datum_symtab *st)
{
    memset(w, 0, sizeof *w);
    if (!json) {
        return NULL;
    }
    if (!json_is_array(json)) {
        return ovsdb_error("syntax error", "\"where\" must be an array");
    }
    w->conds = xcalloc(json_array_size(json) + 1, sizeof *w->conds);
    for (size_t i = 0; i < json_array_size(json); i++) {
        const json_t *cj = json_array_get(json, i);
        const char *fname = json_string_value(json_array_get(cj, 1));
        struct clause *c = &w->conds[w->n];
        json_t *error = NULL;
        if (!json_is_array(cj) || json_array_size(cj) != 3 || !fname) {
            error = ovsdb_error("syntax error", "condition must be "
                                "[column, function, value]");
        } else {
            error = schema_column_from_json(t, json_array_get(cj, 0),
                                            &c->column);
        }
        if (!error) {
            size_t f;
            for (f = 0; f < ARRAY_SIZE(clause_names); f++) {
                if (!strcmp(fname, clause_names[f])) {
                    break;
                }
            }
            const struct column_type *type = &c->column->type;
            if (f == ARRAY_SIZE(clause_names)) {
                error = ovsdb_error("syntax error", "unknown function %s",
                                    fname);
            } else if (f >= CLAUSE_LT
                       && (!column_type_is_scalar(type)
                           || (type->key.type != ATOMIC_INTEGER
                               && type->key.type != ATOMIC_REAL))) {
                error = ovsdb_error("syntax error", "Type mismatch: \"%s\" "
                                    "operator may not be applied to column "
                                    "%s of type %s.", fname, c->column->name,
                                    atomic_type_name(type->key.type));
            } else {
                c->func = f;
                struct column_type r = column_type_relaxed(type);
                error = datum_from_json(&c->arg, &r, json_array_get(cj, 2),
                                        st);
                if (!error && f >= CLAUSE_LT && c->arg.n != 1) {
                    datum_destroy(&c->arg, type->key.type, type->value.type);
                    error = ovsdb_error("syntax error", "\"%s\" needs one "
                                        "value", fname);
                }
            }
        }
        if (error) {
            condition_destroy(w);
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
clause_holds(const struct clause *c, const struct db_row *row)
{
    const struct datum *d = &row->fields[c->column->index];
    const struct column_type *t = &c->column->type;
    int cmp;

    switch (c->func) {
    case CLAUSE_EQ:
        return datum_equals(d, &c->arg, t);
    case CLAUSE_NE:
        return !datum_equals(d, &c->arg, t);
    case CLAUSE_INCLUDES:
        return datum_includes(d, &c->arg, t);
    case CLAUSE_EXCLUDES:
        return datum_excludes(d, &c->arg, t);
    case CLAUSE_LT:
    case CLAUSE_LE:
    case CLAUSE_GT:
    case CLAUSE_GE:
        cmp = atom_compare(&d->keys[0], &c->arg.keys[0], t->key.type);
        return (c->func == CLAUSE_LT ? cmp < 0
                : c->func == CLAUSE_LE ? cmp <= 0
                : c->func == CLAUSE_GT ? cmp > 0
                : cmp >= 0);
    }
    return false;
}

bool
condition_holds(const struct condition *w, const struct db_row *row)
{
    for (size_t i = 0; i < w->n; i++) {
        if (!clause_holds(&w->conds[i], row)) {
            return false;
        }
    }
    return true;
}

