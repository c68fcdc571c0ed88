/* datum: the values OVSDB columns hold, parsed from and printed to RFC 7047
 * JSON notation.
 *
 * A datum is a sorted array of unique keys (plus parallel values for a
 * map).  Scalars are one-element sets, so the engine has one code path
 * for comparisons, mutations and constraint checks.  Sorting makes
 * equality, membership and set algebra cheap and makes the printed form
 * canonical, which tests and monitors rely on. */
#ifndef XVS_OVSDB_DATUM_H
#define XVS_OVSDB_DATUM_H 1

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "type.h"
#include "util.h"

union atom {
    long long integer;
    double real;
    bool boolean;
    char *string;
    struct uuid uuid;
};

struct datum {
    size_t n;
    union atom *keys;
    union atom *values;         /* NULL unless a map. */
};

/* Resolves ["named-uuid", NAME] while parsing. */
struct datum_symtab {
    bool (*lookup)(const char *name, struct uuid *, void *aux);
    void *aux;
};

/* The other direction, for clients: a transaction refers to the rows it
 * inserts as ["named-uuid", NAME].  'name' returns a malloc'd NAME for
 * such a UUID, or NULL to print it as ["uuid", ...]. */
struct datum_namer {
    char *(*name)(const struct uuid *, void *aux);
    void *aux;
};

int atom_compare(const union atom *, const union atom *, enum atomic_type);
uint32_t atom_hash(const union atom *, enum atomic_type, uint32_t basis);
void atom_clone(union atom *dst, const union atom *, enum atomic_type);
void atom_destroy(union atom *, enum atomic_type);
json_t *atom_to_json(const union atom *, enum atomic_type);
/* Parses one atom of 'base' type (type only; constraints are checked by
 * datum_check()). */
json_t *atom_from_json(union atom *, const struct base_type *, const json_t *,
                       const struct datum_symtab *);

void datum_init_empty(struct datum *);
/* The default for a column: empty, or one default atom when min is 1. */
void datum_init_default(struct datum *, const struct column_type *);
void datum_destroy(struct datum *, enum atomic_type key,
                   enum atomic_type value);
void datum_clone(struct datum *dst, const struct datum *,
                 const struct column_type *);
bool datum_equals(const struct datum *, const struct datum *,
                  const struct column_type *);
/* Moves 'src' into 'dst' (destroying dst's old value); 'src' is emptied. */
void datum_move(struct datum *dst, struct datum *src,
                const struct column_type *);

/* Parses RFC 7047 notation for 'type' (atoms, ["set",...], ["map",...]).
 * Checks atom types and uniqueness, not counts or constraints.  Returns
 * NULL or an ovsdb error. */
json_t *datum_from_json(struct datum *, const struct column_type *,
                        const json_t *, const struct datum_symtab *);
json_t *datum_to_json(const struct datum *, const struct column_type *);
/* datum_to_json() with UUIDs named through 'namer' (NULL: none are). */
json_t *datum_to_json_named(const struct datum *, const struct column_type *,
                            const struct datum_namer *);
/* Checks element counts and base-type constraints: NULL or a
 * "constraint violation" error mentioning 'column'. */
json_t *datum_check(const struct datum *, const struct column_type *,
                    const char *column);

/* Index of 'key' or SIZE_MAX. */
size_t datum_find(const struct datum *, const union atom *key,
                  enum atomic_type);
/* True if every element (pair, for maps) of 'b' is in 'a'. */
bool datum_includes(const struct datum *a, const struct datum *b,
                    const struct column_type *);
/* Adds the elements of 'b' whose keys are not in 'a'. */
void datum_union(struct datum *a, const struct datum *b,
                 const struct column_type *);
/* Removes from 'a' the elements of 'b'.  For a map, 'b' is either a set
 * of keys ('b_is_keys') or a map whose pairs must match. */
void datum_subtract(struct datum *a, const struct datum *b,
                    const struct column_type *, bool b_is_keys);
/* Appends the human-readable form Open vSwitch's tools print: bare or
 * quoted strings, "[a, b]" for sets (a bare atom when at most one value is
 * allowed), "{k=v, ...}" for maps. */
void atom_to_string(const union atom *, enum atomic_type, struct ds *);
void datum_to_string(const struct datum *, const struct column_type *,
                     struct ds *);
/* Sorts and checks for duplicate keys: NULL or an error. */
json_t *datum_sort(struct datum *, const struct column_type *);

#endif
