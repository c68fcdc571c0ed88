/* vsctl-cmds: the commands of xvs-vsctl, as ovs-vsctl spells them.
 *
 * Every command runs against the in-memory copy of vsctl-db; none talks to
 * the server, so a command line of several commands joined by "--" either
 * fully applies (one transaction) or, when any command fails, changes
 * nothing.  The switch-level commands (add-br, add-port, ...) see only the
 * rows reachable from the Open_vSwitch row, as the server will keep only
 * those after its garbage collection; the generic database commands (list,
 * set, ...) see every row of a table.  As in ovs-vsctl, the commands that
 * drop ports, bridges, controllers or managers also delete their rows, so
 * that later commands of the line no longer find them by name.
 *
 * Not supported: fake bridges (add-br BR PARENT VLAN), bonds (add-bond),
 * and the SSL commands. */
#ifndef XVS_VSCTL_CMDS_H
#define XVS_VSCTL_CMDS_H 1

#include <stdbool.h>
#include "util.h"

struct vsctl_db;
struct vsctl_row;
struct vsctl_syntax;

/* One command of the command line. */
struct vsctl_cmd {
    const struct vsctl_syntax *syntax;
    int argc;                   /* argv[0] is the command name. */
    char **argv;
    int n_options;
    char **options;             /* "--name" or "--name=value". */
    struct ds output;
    struct vsctl_row *created;  /* "create": prints its uuid after commit. */
    int exit_status;            /* Non-zero for "br-exists" of a non-bridge. */
    bool try_again;             /* "wait-until": the condition is false. */
    bool is_table;              /* "list"/"find": records, never --oneline. */
};

/* Table formatting options that apply to every command ("--bare"). */
extern bool vsctl_bare;

/* Checks the command's name, argument count and options.  Returns NULL or
 * an error message. */
char *vsctl_cmd_parse(struct vsctl_cmd *);
/* Runs the command against 'db'.  Returns NULL or an error message. */
char *vsctl_cmd_run(struct vsctl_cmd *, struct vsctl_db *);
/* Whether 'option' (e.g. "--may-exist") is an option of some command. */
bool vsctl_is_command_option(const char *option);
void vsctl_cmds_usage(void);
/* Prepares the db for the commands: the Open_vSwitch row must exist. */
void vsctl_ensure_ovs_row(struct vsctl_db *);

#endif
