/* mutation: the "mutations" of RFC 7047's "mutate" operation.
 *
 * Arithmetic mutators ("+=", "-=", "*=", "/=", "%=") apply to every
 * element of an integer or real column (no "%=" for reals) and fail with
 * "domain error" on division by zero or "range error" on overflow;
 * "insert" and "delete" add or remove set elements or map pairs ("delete"
 * on a map takes either pairs, which must match, or a set of keys).  The
 * result is checked against the column's type like any stored value. */
#ifndef XVS_OVSDB_MUTATION_H
#define XVS_OVSDB_MUTATION_H 1

#include <stdbool.h>
#include <jansson.h>
#include "datum.h"
#include "db.h"

enum mutator { MUT_ADD, MUT_SUB, MUT_MUL, MUT_DIV, MUT_MOD, MUT_INSERT,
               MUT_DELETE };

struct mutation {
    const struct column_schema *column;
    enum mutator mutator;
    struct datum arg;
    bool arg_is_keys;           /* "delete" on a map with a set of keys. */
};

/* Parses one [column, mutator, value].  Returns NULL or an ovsdb error
 * (then 'm' needs no destroy). */
json_t *mutation_from_json(struct mutation *m, const struct table_schema *,
                           const json_t *json, const struct datum_symtab *);
/* Applies 'm' to 'row' in place.  Returns NULL or an ovsdb error (the
 * row may then be half-changed; the caller rolls back). */
json_t *mutation_apply(const struct mutation *, struct db_row *);
void mutation_destroy(struct mutation *);

#endif
