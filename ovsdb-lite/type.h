/* type: OVSDB column types as RFC 7047 defines them.
 *
 * A column holds a set of 'min'..'max' keys (or a map, when a value type
 * is present) of one atomic type each, optionally narrowed by constraints:
 * an enumeration, an integer or real range, a string length range, or a
 * reference to another table (strong or weak).  The engine checks every
 * datum it stores against these, so the schema is the single truth of
 * what the database may contain. */
#ifndef XVS_OVSDB_TYPE_H
#define XVS_OVSDB_TYPE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

enum atomic_type {
    ATOMIC_VOID,                /* Only as a set's "value" type. */
    ATOMIC_INTEGER,
    ATOMIC_REAL,
    ATOMIC_BOOLEAN,
    ATOMIC_STRING,
    ATOMIC_UUID,
};

const char *atomic_type_name(enum atomic_type);

struct datum;
struct table_schema;

struct base_type {
    enum atomic_type type;
    struct datum *enum_;        /* Allowed values, or NULL. */
    long long min_int, max_int;
    double min_real, max_real;
    size_t min_len, max_len;    /* In UTF-8 characters. */
    char *ref_table_name;       /* UUIDs only: referenced table or NULL. */
    struct table_schema *ref_table;  /* Resolved by schema_parse(). */
    bool weak;                  /* refType "weak". */
};

#define TYPE_UNLIMITED ((unsigned int) -1)

struct column_type {
    struct base_type key;
    struct base_type value;     /* ATOMIC_VOID for a set. */
    unsigned int n_min, n_max;  /* n_max may be TYPE_UNLIMITED. */
};

static inline bool column_type_is_map(const struct column_type *t)
{
    return t->value.type != ATOMIC_VOID;
}
static inline bool column_type_is_scalar(const struct column_type *t)
{
    return t->n_min == 1 && t->n_max == 1 && !column_type_is_map(t);
}

/* Parses a column "type" member.  Returns NULL or an ovsdb error. */
json_t *column_type_from_json(struct column_type *, const json_t *);
/* The type in Open vSwitch's canonical notation (defaults left out), as
 * ovsdb-client list-columns prints it. */
json_t *column_type_to_json(const struct column_type *);
void column_type_destroy(struct column_type *);
void base_type_init(struct base_type *, enum atomic_type);
/* 't' with any number of elements allowed, for the arguments of
 * conditions and mutations (a shallow copy: do not destroy it). */
struct column_type column_type_relaxed(const struct column_type *t);

#endif
