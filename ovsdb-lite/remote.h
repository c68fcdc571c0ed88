/* remote: where xvsdb-server takes its clients from, as ovsdb-server's
 * --remote options name them.
 *
 * A remote is passive ("punix:PATH", "ptcp:PORT[:IP]": the server
 * listens) or active ("unix:PATH", "tcp:IP:PORT": the server connects out,
 * and reconnects, and serves whoever is there).  "db:DB,TABLE,COLUMN"
 * stands for the remotes a database names: every string in COLUMN of
 * every row of TABLE, or, for a column of references (Open_vSwitch's
 * manager_options), the "target" of each referenced row with its
 * "inactivity_probe" (milliseconds) if it has one.  remote_set_refresh()
 * re-reads them after each commit: remotes that appear are opened, those
 * that disappear closed.
 *
 * Each remote has an inactivity probe interval for its sessions: the
 * row's, else 5 s for TCP and none for Unix sockets, as ovsdb-server. */
#ifndef XVS_OVSDB_REMOTE_H
#define XVS_OVSDB_REMOTE_H 1

#include <stddef.h>
#include <jansson.h>

struct db;
struct jsonrpc_conn;
struct jsonrpc_conn_class;
struct remote_set;

/* Connections get 'class' with, as aux, a 'struct remote_info' (valid
 * during on_connect: an outgoing connection's aux must be that again
 * when it reconnects).  Before a remote goes, 'forget' is called with its
 * info and its outgoing connection (or NULL), so that the caller drops
 * that connection's session and any reference to the info. */
struct remote_info {
    int probe_ms;               /* 0: no inactivity probes. */
};
struct remote_set *remote_set_create(const struct jsonrpc_conn_class *class,
                                     void (*forget)(const struct remote_info *,
                                                    struct jsonrpc_conn *));
void remote_set_destroy(struct remote_set *);

/* Adds a --remote.  A direct name is opened now; "db:" names are checked
 * against 'dbs' and opened by remote_set_refresh().  Returns NULL or an
 * error message (malloc'd). */
char *remote_set_add(struct remote_set *, const char *spec,
                     struct db *const *dbs, size_t n_dbs);
/* Opens and closes the remotes "db:" names stand for, as 'dbs' now say. */
void remote_set_refresh(struct remote_set *, struct db *const *dbs,
                        size_t n_dbs);

/* For options that, like ovsdb-server's --private-key, take a value or
 * "db:DB,TABLE,COLUMN": the value itself, or the first string in COLUMN
 * of the rows of TABLE (NULL if there is none).  Malloc'd. */
char *remote_db_string(const char *spec, struct db *const *dbs,
                       size_t n_dbs);

/* The database's account of its remotes, as ovsdb-server keeps it: for
 * each remote named by a row with "is_connected" and "status" columns
 * (Manager), an "update" operation setting them, if they changed since
 * the last call: connected while it has a session ('n_sessions' counts
 * them); status "state" ACTIVE or BACKOFF for an outgoing remote,
 * "bound_port" for ptcp:.  Returns an array of operations, possibly
 * empty, for the database the "db:" specs name. */
json_t *remote_set_status_ops(struct remote_set *,
                              size_t (*n_sessions)(const struct remote_info *));

#endif
