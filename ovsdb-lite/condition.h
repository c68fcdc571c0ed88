/* condition: the "where" clauses of RFC 7047 operations.
 *
 * A condition is a list of clauses [column, function, value] that must
 * all hold for a row to be selected.  Functions: "==", "!=", "includes",
 * "excludes" for every column; "<", "<=", ">", ">=" only for integer and
 * real columns that hold exactly one value.  Values are parsed once, with
 * any number of elements allowed, and compared as sorted datums. */
#ifndef XVS_OVSDB_CONDITION_H
#define XVS_OVSDB_CONDITION_H 1

#include <stdbool.h>
#include <jansson.h>
#include "datum.h"
#include "db.h"

enum clause_func {
    CLAUSE_EQ, CLAUSE_NE, CLAUSE_INCLUDES, CLAUSE_EXCLUDES,
    CLAUSE_LT, CLAUSE_LE, CLAUSE_GT, CLAUSE_GE,
};

struct clause {
    const struct column_schema *column;
    enum clause_func func;
    struct datum arg;
};

struct condition {
    size_t n;
    struct clause *conds;
};

/* Parses 'json' (NULL means no clauses: every row matches).  Returns NULL
 * or an ovsdb error (then 'cond' needs no destroy). */
json_t *condition_from_json(struct condition *cond,
                            const struct table_schema *, const json_t *json,
                            const struct datum_symtab *);
bool condition_holds(const struct condition *, const struct db_row *);
void condition_destroy(struct condition *);

#endif
