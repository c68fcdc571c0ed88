/* unixctl: a daemon's control socket, as Open vSwitch's "ovs-appctl" talks
 * to it: JSON-RPC on a unix socket, a request {"method": COMMAND,
 * "params": [ARG...], "id": N} answered with {"result": TEXT, "error":
 * null} or {"result": null, "error": TEXT}.
 *
 * Daemons create the server with unixctl_server_create() and register
 * commands; "list-commands", "version", "time/stop" and "time/warp"
 * (util.h's test hooks) are built in.  The default
 * socket is "$XVS_RUNDIR/PROGRAM.ctl", overridden by --unixctl=SOCKET. */
#ifndef XVS_UNIXCTL_H
#define XVS_UNIXCTL_H 1

#include <stdbool.h>

struct unixctl_conn;

typedef void unixctl_cb_func(struct unixctl_conn *, int argc,
                             const char *argv[], void *aux);

/* argv[0] is the command name; 'min_args'..'max_args' count the rest. */
void unixctl_command_register(const char *name, const char *usage,
                              int min_args, int max_args,
                              unixctl_cb_func *cb, void *aux);
/* Each command must call exactly one of these, now or later. */
void unixctl_command_reply(struct unixctl_conn *, const char *body);
void unixctl_command_reply_error(struct unixctl_conn *, const char *body);

/* Listens on 'path' (removed first if stale) using evloop.  Returns 0 or a
 * positive errno. */
int unixctl_server_create(const char *path);
/* The default path for this program: "$XVS_RUNDIR/PROGRAM.ctl". */
char *unixctl_default_path(void);

/* Client side (xvs-appctl): runs one command.  Returns 0 when a reply
 * came, setting exactly one of '*result'/'*error' (malloc'd); else a
 * positive errno. */
int unixctl_client_transact(const char *path, const char *command,
                            int argc, const char *argv[], int timeout_ms,
                            char **result, char **error);

#endif
