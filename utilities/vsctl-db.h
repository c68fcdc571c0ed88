/* vsctl-db: xvs-vsctl's in-memory copy of the Open_vSwitch database.
 *
 * xvs-vsctl works as ovs-vsctl does: it reads the tables once, runs every
 * command of its command line against a private copy, and only then turns
 * the difference between the copy and what it read into ONE OVSDB
 * "transact" (insert/update ops, plus "wait" ops on the old values of what
 * it changes, so that a concurrent writer makes us retry instead of being
 * overwritten).  This module owns that copy: the schema's types, OVSDB
 * values ("datums") with ovs-vsctl's text notation in both directions, the
 * rows, the "@name" symbols of the command line, and the op builder.
 *
 * Not supported yet: real-number range constraints, string length
 * constraints, and integer-range syntax ("1-5") in values. */
#ifndef XVS_VSCTL_DB_H
#define XVS_VSCTL_DB_H 1

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "hmap.h"
#include "util.h"

enum vsctl_atype {
    VSCTL_VOID,                 /* "No value type": the column is a set. */
    VSCTL_INTEGER,
    VSCTL_REAL,
    VSCTL_BOOLEAN,
    VSCTL_STRING,
    VSCTL_UUID,
};

union vsctl_atom {
    long long integer;
    double real;
    bool boolean;
    char *string;
    struct uuid uuid;
};

struct vsctl_datum {
    size_t n;
    union vsctl_atom *keys;
    union vsctl_atom *values;   /* NULL unless the type is a map. */
};

struct vsctl_base {
    enum vsctl_atype type;
    char *ref_table;            /* For VSCTL_UUID: the table, or NULL. */
    struct vsctl_datum enums;   /* Allowed values; n == 0 if any. */
    bool has_min, has_max;      /* Integer range. */
    long long min, max;
};

struct vsctl_type {
    struct vsctl_base key, value;
    unsigned int n_min, n_max;  /* n_max is UINT_MAX for "unlimited". */
};

static inline bool vsctl_type_is_map(const struct vsctl_type *t)
{
    return t->value.type != VSCTL_VOID;
}

struct vsctl_column {
    char *name;
    struct vsctl_type type;
    size_t idx;                 /* Index in the row's datum arrays. */
    bool is_mutable;            /* False: set only when the row is made. */
};

struct vsctl_table {
    char *name;
    bool is_root;
    struct vsctl_column *columns;   /* Sorted by name, as ovs-vsctl lists. */
    size_t n_columns;
    struct hmap rows;               /* struct vsctl_row, by uuid_hash(). */
};

struct vsctl_row {
    struct hmap_node node;
    struct vsctl_table *table;
    struct uuid uuid;           /* For inserted rows, a temporary one. */
    struct vsctl_datum *old;    /* As read; NULL for an inserted row. */
    struct vsctl_datum *cur;    /* As the commands left it. */
    bool deleted;
    int insert_op;              /* Index of its "insert" op, or -1. */
};

struct vsctl_db {
    struct vsctl_table *tables;
    size_t n_tables;
    struct hmap symbols;        /* struct vsctl_symbol. */
};

/* A "@name" of the command line. */
struct vsctl_symbol {
    struct hmap_node node;
    char *name;                 /* With the '@'. */
    struct uuid uuid;
    bool created;               /* By "create --id" or "get --id". */
};

/* Schema and rows. */
char *vsctl_db_init(struct vsctl_db *, const json_t *schema);
void vsctl_db_destroy(struct vsctl_db *);
void vsctl_db_clear_rows(struct vsctl_db *);
/* 'result' is the reply of a transact with one select per table, in
 * table order. */
char *vsctl_db_load(struct vsctl_db *, const json_t *result);
json_t *vsctl_db_select_ops(const struct vsctl_db *);

struct vsctl_table *vsctl_db_get_table(const struct vsctl_db *, const char *);
char *vsctl_table_find(const struct vsctl_db *, const char *name,
                       struct vsctl_table **);
char *vsctl_column_find(const struct vsctl_table *, const char *name,
                        const struct vsctl_column **);
const struct vsctl_column *vsctl_column_get(const struct vsctl_table *,
                                            const char *name);
struct vsctl_row *vsctl_row_get(const struct vsctl_table *,
                                const struct uuid *);
struct vsctl_row *vsctl_row_insert(struct vsctl_table *);
/* The rows of 'table' that still exist, sorted by uuid ('*n' of them). */
struct vsctl_row **vsctl_table_rows(const struct vsctl_table *, size_t *n);

const struct vsctl_datum *vsctl_row_datum(const struct vsctl_row *,
                                          const char *column);
/* Replaces the column's value (takes 'd' over). */
void vsctl_row_set(struct vsctl_row *, const struct vsctl_column *,
                   struct vsctl_datum *d);
void vsctl_row_set_string(struct vsctl_row *, const char *column,
                          const char *);
const char *vsctl_row_string(const struct vsctl_row *, const char *column);
/* Reference-set edits on a uuid set column. */
void vsctl_row_add_ref(struct vsctl_row *, const char *column,
                       const struct uuid *);
void vsctl_row_remove_ref(struct vsctl_row *, const char *column,
                          const struct uuid *);

/* Datums. */
void vsctl_datum_init_empty(struct vsctl_datum *);
void vsctl_datum_init_default(struct vsctl_datum *, const struct vsctl_type *);
void vsctl_datum_clone(struct vsctl_datum *dst, const struct vsctl_datum *,
                       const struct vsctl_type *);
void vsctl_datum_destroy(struct vsctl_datum *, const struct vsctl_type *);
bool vsctl_datum_equals(const struct vsctl_datum *, const struct vsctl_datum *,
                        const struct vsctl_type *);
bool vsctl_datum_is_default(const struct vsctl_datum *,
                            const struct vsctl_type *);
/* Index of 'key' in 'd', or -1. */
int vsctl_datum_find_key(const struct vsctl_datum *, const union vsctl_atom *,
                         enum vsctl_atype);
/* Union ('add') and difference ('remove'): for maps, 'remove' takes keys
 * alone when 'b' is a set of keys ('keys_only'). */
void vsctl_datum_union(struct vsctl_datum *a, const struct vsctl_datum *b,
                       const struct vsctl_type *);
void vsctl_datum_subtract(struct vsctl_datum *a, const struct vsctl_datum *b,
                          const struct vsctl_type *, bool keys_only);
/* Checks n_min/n_max; returns an error message or NULL. */
char *vsctl_datum_check_size(const struct vsctl_datum *,
                             const struct vsctl_type *, const char *what);

void vsctl_atom_to_string(const union vsctl_atom *, enum vsctl_atype,
                          struct ds *);
void vsctl_datum_to_string(const struct vsctl_datum *,
                           const struct vsctl_type *, struct ds *);
/* Parses ovs-vsctl's value notation.  'db' may be NULL (no "@name"). */
char *vsctl_atom_from_string(union vsctl_atom *, const struct vsctl_base *,
                             const char *, struct vsctl_db *);
char *vsctl_datum_from_string(struct vsctl_datum *,
                              const struct vsctl_type *, const char *,
                              struct vsctl_db *);
/* One token of the notation (quoted string or run of non-delimiters). */
char *vsctl_token_parse(const char **s, char **tokenp);
void vsctl_atom_destroy(union vsctl_atom *, enum vsctl_atype);
int vsctl_atom_compare(const union vsctl_atom *, const union vsctl_atom *,
                       enum vsctl_atype);

/* Symbols. */
struct vsctl_symbol *vsctl_symbol_find(struct vsctl_db *, const char *name);
struct vsctl_symbol *vsctl_symbol_get(struct vsctl_db *, const char *name);

/* Appends the ops that turn what was read into what the commands left to
 * 'ops'.  Returns true if there is any change. */
bool vsctl_db_build_ops(struct vsctl_db *, json_t *ops);

#endif
