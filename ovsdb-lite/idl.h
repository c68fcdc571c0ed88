/* idl: a daemon's live replica of chosen tables of an OVSDB database.
 *
 * Why: xvs-vswitchd must act on the configuration in xvsdb-server and write
 * status back, without blocking its event loop and without polling.  The
 * IDL connects (and reconnects, with backoff) to the server on evloop,
 * asks for the schema, monitors the tables and columns the caller
 * registered with "monitor_cond_since" (plain "monitor" if the server
 * lacks it), and keeps one 'struct idl_row' per row.  It remembers the
 * last transaction it saw, so a reconnect brings only what changed
 * meanwhile when the server still has it, the whole contents otherwise.
 * Every time rows change (including a resync after the server restarts)
 * it bumps a sequence number and calls the change callback once; the
 * daemon then re-reads what it needs.
 *
 * Rows keep their columns in RFC 7047 notation as jansson values (an
 * object column name -> datum: an atom such as "br0", 5 or
 * ["uuid","..."], or ["set",[...]] / ["map",[[k,v],...]]), exactly as the
 * server sent them; the idl_datum_*() helpers below read them without
 * caring whether a one-element set came as a bare atom.
 *
 * Writes go through idl_txn_submit(): the caller composes RFC 7047
 * operations (an array of {"op": ...} objects) and gets the server's
 * result array back in a callback.  The replica itself changes only when
 * the server's monitor update arrives, never optimistically.
 *
 * Not done yet: monitor conditions, locks, and change tracking per row
 * (callers re-read after each change). */
#ifndef XVS_IDL_H
#define XVS_IDL_H 1

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "hmap.h"
#include "util.h"

struct idl;

/* Called (from evloop) after the replica changed; 'aux' as given. */
typedef void idl_change_cb(struct idl *, void *aux);

/* Creates an IDL for database 'db' (e.g. "Open_vSwitch") on 'server'
 * (an active JSON-RPC name, "unix:PATH" or "tcp:IP:PORT").  Nothing
 * happens until idl_start(). */
struct idl *idl_create(const char *server, const char *db,
                       idl_change_cb *, void *aux);
/* Registers a table to replicate.  'columns' is a NULL-terminated list,
 * or NULL for every column of the table.  Call before idl_start(). */
void idl_add_table(struct idl *, const char *table,
                   const char *const columns[]);
/* Connects; keeps reconnecting and resyncing for the IDL's lifetime. */
void idl_start(struct idl *);
void idl_destroy(struct idl *);

/* Bumped once per applied change (and per full resync). */
unsigned int idl_seqno(const struct idl *);
/* True once the first monitor reply has been applied, while connected. */
bool idl_is_synced(const struct idl *);
/* The database schema as the server sent it (NULL before). */
const json_t *idl_schema(const struct idl *);

struct idl_row {
    struct hmap_node node;      /* In the table's 'rows', by uuid_hash(). */
    struct uuid uuid;
    json_t *columns;            /* Object: column name -> RFC 7047 datum. */
};

/* The rows of a registered table ('rows' of idl_row), or NULL if the
 * table was not registered.  Iterate with HMAP_FOR_EACH(row, node, map). */
const struct hmap *idl_table_rows(const struct idl *, const char *table);
const struct idl_row *idl_get_row(const struct idl *, const char *table,
                                  const struct uuid *);
/* The column's datum, or NULL if the column is not replicated. */
const json_t *idl_row_get(const struct idl_row *, const char *column);

/* Datum helpers (all tolerate NULL and return the default). */
/* A scalar or the only element of a one-element set. */
const char *idl_datum_string(const json_t *, const char *dflt);
long long idl_datum_integer(const json_t *, long long dflt);
bool idl_datum_boolean(const json_t *, bool dflt);
/* Number of elements (1 for a bare atom, 0 for an empty set or map). */
size_t idl_datum_count(const json_t *);
/* The i'th element of a set (the atom itself for a bare atom). */
const json_t *idl_datum_at(const json_t *, size_t i);
/* For a map datum: the value atom for string key 'key', else NULL. */
const json_t *idl_datum_map_get(const json_t *, const char *key);
/* For a map datum: the i'th key and value. */
bool idl_datum_map_at(const json_t *, size_t i,
                      const json_t **key, const json_t **value);
/* Parses a ["uuid","..."] atom. */
bool idl_atom_uuid(const json_t *, struct uuid *);
/* A string atom's text (NULL if not a string). */
const char *idl_atom_string(const json_t *);

/* Transactions.  'ops' (stolen) is an array of RFC 7047 operations; the
 * IDL prepends the database name.  'cb' is called exactly once: with the
 * result array (borrowed) and NULL error, or with NULL result and an
 * error text (e.g. "not connected", "connection closed", or the server's
 * JSON-RPC error).  Per-operation errors appear inside the result array
 * as RFC 7047 says.  Returns 0, or ENOTCONN (then 'cb' is not called). */
typedef void idl_txn_cb(const json_t *result, const char *error, void *aux);
int idl_txn_submit(struct idl *, json_t *ops, idl_txn_cb *cb, void *aux);

#endif
