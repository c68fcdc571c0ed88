/* db: the in-memory contents of one OVSDB database.
 *
 * Rows live in one hmap per table, keyed by UUID.  A row's columns are an
 * array of datums indexed like its table_schema's columns, so column 0 is
 * "_uuid" and column 1 "_version".  The transaction engine (txn.h) is the
 * only writer; the server's monitors and storage read. */
#ifndef XVS_OVSDB_DB_H
#define XVS_OVSDB_DB_H 1

#include <jansson.h>
#include "datum.h"
#include "hmap.h"
#include "schema.h"

struct db_row {
    struct hmap_node node;          /* In db_table.rows, by uuid_hash(). */
    const struct table_schema *table;
    struct datum *fields;           /* table->n_columns datums. */
    char *saved;                    /* Cache of the storage form ("UUID":
                                     * {...} as JSON text), or NULL;
                                     * whoever changes 'fields' calls
                                     * db_row_changed(). */
};

struct db_table {
    const struct table_schema *schema;
    struct hmap rows;
};

struct db {
    struct db_schema *schema;
    struct db_table *tables;        /* Parallel to schema->tables. */
};

/* Takes ownership of 'schema'. */
struct db *db_create(struct db_schema *);
void db_destroy(struct db *);

static inline const struct uuid *db_row_uuid(const struct db_row *row)
{
    return &row->fields[SCHEMA_COL_UUID].keys[0].uuid;
}
static inline struct db_table *db_table(const struct db *db,
                                        const struct table_schema *t)
{
    return &db->tables[t->index];
}

/* A detached row with default values and the given UUID. */
struct db_row *db_row_create(const struct table_schema *, const struct uuid *);
struct db_row *db_row_clone(const struct db_row *);
void db_row_destroy(struct db_row *);
/* Forgets cached forms of the row after its fields changed. */
void db_row_changed(struct db_row *);
/* Whether the rows differ in any column other than "_version". */
bool db_row_differs(const struct db_row *, const struct db_row *);

struct db_row *db_find_row(const struct db *, const struct table_schema *,
                           const struct uuid *);
void db_insert_row(struct db *, struct db_row *);
void db_remove_row(struct db *, struct db_row *);

/* The row as a JSON object of column -> datum.  'columns' lists the
 * column indexes to include; NULL means every column. */
json_t *db_row_to_json(const struct db_row *, const size_t *columns,
                       size_t n_columns);

/* The row's columns as the database file keeps them: a JSON object of
 * the columns not at their default value, built-in columns left out. */
json_t *db_row_to_storage(const struct db_row *);
/* Builds a detached row of 't' with 'uuid' from that form, into '*rowp'.
 * Returns NULL or an ovsdb error. */
json_t *db_row_from_storage(const struct table_schema *t,
                            const struct uuid *uuid, const json_t *cols,
                            struct db_row **rowp);

/* Appends the data as JSON text {TABLE: {UUID: {COLUMN: DATUM, ...}, ...},
 * ...}, leaving out built-in columns and columns at their default value.
 * Not const: it fills each row's cache of that form, so that a commit
 * costs text copying for unchanged rows. */
void db_data_to_text(struct db *, struct ds *);
/* Loads data in that form into an empty database.  Returns NULL or an
 * ovsdb error. */
json_t *db_data_from_json(struct db *, const json_t *);

/* A new database with 'schema' (ownership taken) holding the rows of
 * 'old': the tables and columns both schemas have, each value converted to
 * the new column's type.  Returns NULL, or an ovsdb error naming the first
 * value that does not fit (and then '*newp' is NULL). */
json_t *db_convert(struct db *old, struct db_schema *schema,
                   struct db **newp);

#endif
