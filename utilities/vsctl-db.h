/* vsctl-db: xvs-vsctl's in-memory copy of the Open_vSwitch database.
 *
 * xvs-vsctl works as ovs-vsctl does: it reads the tables once, runs every
 * command of its command line against a private copy, and only then turns
 * the difference between the copy and what it read into ONE OVSDB
 * "transact" (insert/update ops, plus "wait" ops on the old values of what
 * it changes, so that a concurrent writer makes us retry instead of being
 * overwritten).  This module owns that copy: the rows, ovs-vsctl's text
 * notation for values, the "@name" symbols of the command line, and the
 * op builder.  Types, schemas and values ("datums": sorted arrays of atoms)
 * are ovsdb-lite's own, so that xvs-vsctl reads and writes the wire format
 * exactly as the server does.
 *
 * Not supported yet: real-number range constraints, string length
 * constraints, and integer-range syntax ("1-5") in values. */
#ifndef XVS_VSCTL_DB_H
#define XVS_VSCTL_DB_H 1

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "hmap.h"
#include "ovsdb-lite/datum.h"
#include "ovsdb-lite/schema.h"
#include "util.h"

/* Names and types are borrowed from the db's schema (shallow copies). */
struct vsctl_column {
    const char *name;
    struct column_type type;
    size_t idx;                 /* Index in the row's datum arrays. */
    bool is_mutable;            /* False: set only when the row is made. */
};

struct vsctl_table {
    const char *name;
    bool is_root;
    struct vsctl_column *columns;   /* Sorted by name, as ovs-vsctl lists. */
    size_t n_columns;
    struct hmap rows;               /* struct vsctl_row, by uuid_hash(). */
};

struct vsctl_row {
    struct hmap_node node;
    struct vsctl_table *table;
    struct uuid uuid;           /* For inserted rows, a temporary one. */
    struct datum *old;          /* As read; NULL for an inserted row. */
    struct datum *cur;          /* As the commands left it. */
    bool deleted;
    int insert_op;              /* Index of its "insert" op, or -1. */
};

struct vsctl_db {
    struct db_schema *schema;
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

const struct datum *vsctl_row_datum(const struct vsctl_row *,
                                    const char *column);
/* Replaces the column's value (takes 'd' over). */
void vsctl_row_set(struct vsctl_row *, const struct vsctl_column *,
                   struct datum *d);
void vsctl_row_set_string(struct vsctl_row *, const char *column,
                          const char *);
const char *vsctl_row_string(const struct vsctl_row *, const char *column);
/* Reference-set edits on a uuid set column. */
void vsctl_row_add_ref(struct vsctl_row *, const char *column,
                       const struct uuid *);
void vsctl_row_remove_ref(struct vsctl_row *, const char *column,
                          const struct uuid *);

/* Datums, beyond what ovsdb-lite/datum.h offers. */
bool vsctl_datum_is_default(const struct datum *, const struct column_type *);
/* Checks n_min/n_max; returns an error message or NULL. */
char *vsctl_datum_check_size(const struct datum *, const struct column_type *,
                             const char *what);
/* Parses ovs-vsctl's value notation.  'db' may be NULL (no "@name"). */
char *vsctl_atom_from_string(union atom *, const struct base_type *,
                             const char *, struct vsctl_db *);
char *vsctl_datum_from_string(struct datum *, const struct column_type *,
                              const char *, struct vsctl_db *);
/* One token of the notation (quoted string or run of non-delimiters). */
char *vsctl_token_parse(const char **s, char **tokenp);

/* Symbols. */
struct vsctl_symbol *vsctl_symbol_find(struct vsctl_db *, const char *name);
struct vsctl_symbol *vsctl_symbol_get(struct vsctl_db *, const char *name);

/* Appends the ops that turn what was read into what the commands left to
 * 'ops'.  Returns true if there is any change. */
bool vsctl_db_build_ops(struct vsctl_db *, json_t *ops);

#endif
