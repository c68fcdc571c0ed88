/* daemon: the options every xvswitch daemon takes, with Open vSwitch's
 * spelling and meaning:
 *   --detach            fork into the background once ready
 *   --pidfile[=FILE]    write the PID (default $XVS_RUNDIR/PROGRAM.pid)
 *   --no-chdir          do not chdir("/") when detaching
 *   --monitor           restart the daemon if it crashes
 *   --log-file[=FILE]   log to FILE (default $XVS_LOGDIR/PROGRAM.log)
 *   --unixctl=SOCKET    control socket path
 *   -v, --verbose=MODULE:DEST:LEVEL
 * Also the directory defaults: $XVS_RUNDIR (/var/run/xvswitch),
 * $XVS_DBDIR (/etc/xvswitch), $XVS_LOGDIR (/var/log/xvswitch).
 *
 * Usage: put DAEMON_LONG_OPTIONS in the getopt_long table and call
 * daemon_handle_option(c, optarg) from the switch's default case; after
 * setting up listeners, call daemonize_start() before and
 * daemonize_complete() after the point where the daemon is ready.
 * Typical order: parse options, daemonize_start(), open files and create
 * listeners (unixctl_server_create(daemon_unixctl_path()), ...),
 * daemonize_complete(), evloop_run(), daemon_exit_cleanup().  A detached
 * daemon changes to "/" in daemonize_complete() (unless --no-chdir), so a
 * relative file name kept for use after that must be made absolute. */
#ifndef XVS_DAEMON_H
#define XVS_DAEMON_H 1

#include <getopt.h>
#include <stdbool.h>

enum {
    DAEMON_OPT_DETACH = 0x1000,
    DAEMON_OPT_PIDFILE,
    DAEMON_OPT_NO_CHDIR,
    DAEMON_OPT_MONITOR,
    DAEMON_OPT_LOG_FILE,
    DAEMON_OPT_UNIXCTL,
    DAEMON_OPT_VERBOSE = 'v',
};

#define DAEMON_LONG_OPTIONS                                             \
    {"detach", no_argument, NULL, DAEMON_OPT_DETACH},                   \
    {"pidfile", optional_argument, NULL, DAEMON_OPT_PIDFILE},           \
    {"no-chdir", no_argument, NULL, DAEMON_OPT_NO_CHDIR},               \
    {"monitor", no_argument, NULL, DAEMON_OPT_MONITOR},                 \
    {"log-file", optional_argument, NULL, DAEMON_OPT_LOG_FILE},         \
    {"unixctl", required_argument, NULL, DAEMON_OPT_UNIXCTL},           \
    {"verbose", optional_argument, NULL, DAEMON_OPT_VERBOSE}
#define DAEMON_SHORT_OPTIONS "v::"

/* Returns true if 'c' was a daemon option (exits with a message on a bad
 * argument). */
bool daemon_handle_option(int c, const char *arg);
void daemon_usage(void);

const char *xvs_rundir(void);
const char *xvs_dbdir(void);
const char *xvs_logdir(void);

/* The --unixctl path, or the default "$XVS_RUNDIR/PROGRAM.ctl". */
char *daemon_unixctl_path(void);

/* Forks (--detach, --monitor) and writes the pidfile.  The parent of a
 * detached daemon waits until daemonize_complete() in the child, so the
 * shell command returns only once the daemon is ready. */
void daemonize_start(void);
void daemonize_complete(void);
/* Removes the pidfile; call on clean exit. */
void daemon_exit_cleanup(void);

/* Creates the control socket (--unixctl, or the default path) and
 * registers the commands every daemon answers: "exit" (stop the event loop
 * after replying) and the vlog/ commands.  Exits with a message if the
 * socket cannot be created.  Call between daemonize_start() and
 * daemonize_complete(). */
void daemon_start_control(void);

/* Removes 'file' (e.g. a socket) when the process exits or SIGTERM,
 * SIGINT or SIGHUP kills it; the pidfile is handled already.  'file' is
 * copied.  jsonrpc_listen() and unixctl_server_create() do this for their
 * unix sockets. */
void daemon_remove_on_exit(const char *file);

#endif
