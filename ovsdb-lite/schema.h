/* schema: an OVSDB database schema (RFC 7047 section 3.2), parsed once and
 * then used by the engine to resolve table and column names.
 *
 * Every table gets two extra columns in front of the schema's own:
 * "_uuid" (index 0) and "_version" (index 1), so that conditions,
 * selections and monitors treat them like any other column.  The schema's
 * original JSON is kept for "get_schema" and for the database file. */
#ifndef XVS_OVSDB_SCHEMA_H
#define XVS_OVSDB_SCHEMA_H 1

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "type.h"

#define SCHEMA_COL_UUID 0
#define SCHEMA_COL_VERSION 1
#define SCHEMA_N_BUILTIN 2

struct column_schema {
    char *name;
    size_t index;               /* Position in table_schema.columns. */
    struct column_type type;
    bool mutable_;
    bool ephemeral;
};

struct table_index {
    size_t n;
    size_t *columns;            /* Indexes into table_schema.columns. */
};

struct table_schema {
    char *name;
    size_t index;               /* Position in db_schema.tables. */
    struct column_schema *columns;
    size_t n_columns;           /* Including the two built-in columns. */
    bool is_root;
    size_t max_rows;            /* SIZE_MAX if unlimited. */
    struct table_index *indexes;
    size_t n_indexes;
};

struct db_schema {
    char *name;
    char *version;              /* May be NULL. */
    struct table_schema *tables;
    size_t n_tables;
    json_t *json;               /* As parsed. */
};

/* Parses 'json' (borrowed).  Returns NULL and sets '*schemap', or returns
 * an ovsdb error. */
json_t *schema_from_json(const json_t *, struct db_schema **schemap);
void schema_destroy(struct db_schema *);

struct table_schema *schema_find_table(const struct db_schema *,
                                       const char *name);
const struct column_schema *schema_find_column(const struct table_schema *,
                                               const char *name);
/* Looks up the column named by JSON string 'name': NULL and '*cp', or an
 * "unknown column" error. */
json_t *schema_column_from_json(const struct table_schema *,
                                const json_t *name,
                                const struct column_schema **cp);

#endif
