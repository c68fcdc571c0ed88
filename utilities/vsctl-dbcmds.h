/* vsctl-dbcmds: xvs-vsctl's generic database commands (list, find, get,
 * set, add, remove, clear, create, destroy, wait-until), which work on any
 * table and column of the schema, as ovs-vsctl's do.  Split from
 * vsctl-cmds.c, which owns the command table and the switch-level
 * commands, so that each file stays one concept. */
#ifndef XVS_VSCTL_DBCMDS_H
#define XVS_VSCTL_DBCMDS_H 1

#include <stdbool.h>

struct vsctl_cmd;
struct vsctl_db;
struct vsctl_row;

/* Per-command options (vsctl-cmds.c): the value of "--NAME[=VALUE]" given
 * to 'cmd' ("" without a value), or NULL if absent. */
const char *vsctl_cmd_option(const struct vsctl_cmd *, const char *name);
bool vsctl_cmd_has_option(const struct vsctl_cmd *, const char *name);

/* Applies one "COLUMN[:KEY]=VALUE" argument to 'row'. */
char *vsctl_set_column(struct vsctl_db *, struct vsctl_row *,
                       const char *arg);

/* Handlers: each returns NULL or an error message. */
char *vsctl_cmd_list(struct vsctl_cmd *, struct vsctl_db *);
char *vsctl_cmd_find(struct vsctl_cmd *, struct vsctl_db *);
char *vsctl_cmd_wait_until(struct vsctl_cmd *, struct vsctl_db *);
char *vsctl_cmd_get(struct vsctl_cmd *, struct vsctl_db *);
char *vsctl_cmd_set(struct vsctl_cmd *, struct vsctl_db *);
char *vsctl_cmd_add(struct vsctl_cmd *, struct vsctl_db *);
char *vsctl_cmd_remove(struct vsctl_cmd *, struct vsctl_db *);
char *vsctl_cmd_clear(struct vsctl_cmd *, struct vsctl_db *);
char *vsctl_cmd_create(struct vsctl_cmd *, struct vsctl_db *);
char *vsctl_cmd_destroy(struct vsctl_cmd *, struct vsctl_db *);

#endif
