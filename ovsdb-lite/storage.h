/* storage: how a database lives on disk.
 *
 * This milestone keeps it simple and safe: the file is one JSON object
 * {"format": "xvsdb-snapshot-1", "schema": SCHEMA, "data": DATA} and every
 * commit rewrites it whole (write FILE.tmp, fsync, rename over FILE, fsync
 * the directory) before the client hears "committed", so an acknowledged
 * transaction survives a crash.  The interface is deliberately narrow —
 * create, load, save — so that a log-structured format can replace it
 * without touching the engine or the server.
 *
 * All functions return NULL on success or a malloc'd one-line error that
 * names the file. */
#ifndef XVS_OVSDB_STORAGE_H
#define XVS_OVSDB_STORAGE_H 1

#include <jansson.h>

struct db;

/* Creates a new, empty database file from 'schema' (borrowed).  Refuses
 * if 'path' exists. */
char *storage_create(const char *path, const json_t *schema);
/* Reads 'path' into a new database. */
char *storage_load(const char *path, struct db **dbp);
/* Makes the current contents of 'db' durable in 'path'. */
char *storage_save(const char *path, struct db *db);
/* Reads a JSON file (a schema, for instance). */
char *storage_read_json(const char *path, json_t **jsonp);

#endif
