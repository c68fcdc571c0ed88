/* vsctl-cmds: see vsctl-cmds.h. */
#include <config.h>
#include "vsctl-cmds.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vsctl-db.h"
#include "vsctl-dbcmds.h"

bool vsctl_bare;

typedef char *vsctl_handler(struct vsctl_cmd *, struct vsctl_db *);

struct vsctl_syntax {
    const char *name;
    int min_args, max_args;     /* Not counting the name; INT_MAX: any. */
    const char *options;        /* Space-separated, e.g. "--may-exist". */
    vsctl_handler *run;
    const char *usage;
};

/* ---- Helpers. ---- */

const char *
vsctl_cmd_option(const struct vsctl_cmd *cmd, const char *name)
{
    size_t len = strlen(name);
    for (int i = 0; i < cmd->n_options; i++) {
        const char *o = cmd->options[i];
        if (!strncmp(o, name, len) && (o[len] == '\0' || o[len] == '=')) {
            return o[len] == '=' ? o + len + 1 : "";
        }
    }
    return NULL;
}

bool
vsctl_cmd_has_option(const struct vsctl_cmd *cmd, const char *name)
{
    return vsctl_cmd_option(cmd, name) != NULL;
}

static struct vsctl_row *
ovs_row(struct vsctl_db *db)
{
    size_t n;
    struct vsctl_row **rows = vsctl_table_rows(
        vsctl_db_get_table(db, "Open_vSwitch"), &n);
    struct vsctl_row *row = n ? rows[0] : NULL;
    free(rows);
    return row;
}

void
vsctl_ensure_ovs_row(struct vsctl_db *db)
{
    if (!ovs_row(db)) {
        vsctl_row_insert(vsctl_db_get_table(db, "Open_vSwitch"));
    }
}

/* The rows that 'column' of 'row' references (those that exist). */
static struct vsctl_row **
refs(struct vsctl_db *db, const struct vsctl_row *row, const char *column,
     size_t *n)
{
    const struct vsctl_column *c = vsctl_column_get(row->table, column);
    const struct datum *d = &row->cur[c->idx];
    struct vsctl_table *t = vsctl_db_get_table(db,
                                               c->type.key.ref_table_name);
    struct vsctl_row **rows = xcalloc(d->n + 1, sizeof *rows);

    *n = 0;
    for (size_t i = 0; i < d->n; i++) {
        struct vsctl_row *r = vsctl_row_get(t, &d->keys[i].uuid);
        if (r) {
            rows[(*n)++] = r;
        }
    }
    return rows;
}

static struct vsctl_row *
find_bridge(struct vsctl_db *db, const char *name)
{
    struct vsctl_row *found = NULL;
    size_t n;
    struct vsctl_row **brs = refs(db, ovs_row(db), "bridges", &n);
    for (size_t i = 0; i < n && !found; i++) {
        if (!strcmp(vsctl_row_string(brs[i], "name"), name)) {
            found = brs[i];
        }
    }
    free(brs);
    return found;
}

/* Finds the port named 'name' (or, if 'iface_name', the interface) on any
 * bridge; returns the bridge and sets '*portp' (and '*ifacep'). */
static struct vsctl_row *
find_port_or_iface(struct vsctl_db *db, const char *name, bool iface_name,
                   struct vsctl_row **portp, struct vsctl_row **ifacep)
{
    struct vsctl_row *found = NULL;
    size_t n_br;
    struct vsctl_row **brs = refs(db, ovs_row(db), "bridges", &n_br);

    for (size_t i = 0; i < n_br && !found; i++) {
        size_t n_p;
        struct vsctl_row **ports = refs(db, brs[i], "ports", &n_p);
        for (size_t j = 0; j < n_p && !found; j++) {
            if (!iface_name) {
                if (!strcmp(vsctl_row_string(ports[j], "name"), name)) {
                    found = brs[i];
                    *portp = ports[j];
                }
                continue;
            }
            size_t n_if;
            struct vsctl_row **ifs = refs(db, ports[j], "interfaces", &n_if);
            for (size_t k = 0; k < n_if && !found; k++) {
                if (!strcmp(vsctl_row_string(ifs[k], "name"), name)) {
                    found = brs[i];
                    *portp = ports[j];
                    *ifacep = ifs[k];
                }
            }
            free(ifs);
        }
        free(ports);
    }
    free(brs);
    return found;
}

static struct vsctl_row *
find_port(struct vsctl_db *db, const char *name, struct vsctl_row **portp)
{
    return find_port_or_iface(db, name, false, portp, NULL);
}

static struct vsctl_row *
find_iface(struct vsctl_db *db, const char *name, struct vsctl_row **portp,
           struct vsctl_row **ifacep)
{
    return find_port_or_iface(db, name, true, portp, ifacep);
}

static char *
must_find_bridge(struct vsctl_db *db, const char *name,
                 struct vsctl_row **brp)
{
    *brp = find_bridge(db, name);
    return *brp ? NULL : xasprintf("no bridge named %s", name);
}

static int
compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Prints the 'column' strings of 'rows' sorted, one a line, skipping
 * 'except'. */
static void
print_names(struct ds *out, struct vsctl_row **rows, size_t n,
            const char *column, const char *except)
{
    const char **names = xcalloc(n + 1, sizeof *names);
    size_t n_names = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = vsctl_row_string(rows[i], column);
        if (!except || strcmp(s, except)) {
            names[n_names++] = s;
        }
    }
    qsort(names, n_names, sizeof *names, compare_strings);
    for (size_t i = 0; i < n_names; i++) {
        ds_put_format(out, "%s\n", names[i]);
    }
    free(names);
}

/* ---- Bridges and ports. ---- */

static struct vsctl_row *
insert_iface_port(struct vsctl_db *db, const char *name, const char *type)
{
    struct vsctl_row *iface = vsctl_row_insert(
        vsctl_db_get_table(db, "Interface"));
    vsctl_row_set_string(iface, "name", name);
    if (type) {
        vsctl_row_set_string(iface, "type", type);
    }
    struct vsctl_row *port = vsctl_row_insert(vsctl_db_get_table(db, "Port"));
    vsctl_row_set_string(port, "name", name);
    vsctl_row_add_ref(port, "interfaces", &iface->uuid);
    return port;
}

/* ovs-vsctl refuses a new bridge or port whose name is taken by any
 * bridge, port or interface. */
static char *
check_name_free(struct vsctl_db *db, const char *kind, const char *name)
{
    struct vsctl_row *port = NULL, *iface = NULL, *br;

    if (find_bridge(db, name)) {
        return xasprintf("cannot create a %s named %s because a bridge named "
                         "%s already exists", kind, name, name);
    }
    br = find_port(db, name, &port);
    if (br) {
        return xasprintf("cannot create a %s named %s because a port named "
                         "%s already exists on bridge %s", kind, name, name,
                         vsctl_row_string(br, "name"));
    }
    br = find_iface(db, name, &port, &iface);
    if (br) {
        return xasprintf("cannot create a %s named %s because an interface "
                         "named %s already exists on bridge %s", kind, name,
                         name, vsctl_row_string(br, "name"));
    }
    return NULL;
}

static char *
cmd_init(struct vsctl_cmd *cmd XVS_UNUSED, struct vsctl_db *db XVS_UNUSED)
{
    return NULL;
}

static char *
cmd_add_br(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    const char *name = cmd->argv[1];

    if (cmd->argc != 2) {
        return xstrdup("fake bridges (add-br BRIDGE PARENT VLAN) are not "
                       "supported");
    }
    if (vsctl_cmd_has_option(cmd, "--may-exist") && find_bridge(db, name)) {
        return NULL;
    }
    char *error = check_name_free(db, "bridge", name);
    if (error) {
        return error;
    }
    struct vsctl_row *port = insert_iface_port(db, name, "internal");
    struct vsctl_row *br = vsctl_row_insert(vsctl_db_get_table(db, "Bridge"));
    vsctl_row_set_string(br, "name", name);
    vsctl_row_add_ref(br, "ports", &port->uuid);
    vsctl_row_add_ref(ovs_row(db), "bridges", &br->uuid);
    return NULL;
}

/* Like ovs-vsctl, the commands that drop ports and bridges delete their rows
 * outright instead of leaving them to the server's garbage collection, so
 * that the later commands of the same command line no longer find them by
 * name: "del-port br1 p1 -- add-port br0 p1 -- set Interface p1 ..." then
 * names only the new p1. */
static void
delete_port(struct vsctl_db *db, struct vsctl_row *br, struct vsctl_row *port)
{
    size_t n;
    struct vsctl_row **ifaces = refs(db, port, "interfaces", &n);

    for (size_t i = 0; i < n; i++) {
        ifaces[i]->deleted = true;
    }
    free(ifaces);
    vsctl_row_remove_ref(br, "ports", &port->uuid);
    port->deleted = true;
}

static char *
cmd_del_br(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    struct vsctl_row *br = find_bridge(db, cmd->argv[1]);
    if (!br) {
        return vsctl_cmd_has_option(cmd, "--if-exists")
               ? NULL : xasprintf("no bridge named %s", cmd->argv[1]);
    }
    size_t n;
    struct vsctl_row **ports = refs(db, br, "ports", &n);
    for (size_t i = 0; i < n; i++) {
        delete_port(db, br, ports[i]);
    }
    free(ports);
    vsctl_row_remove_ref(ovs_row(db), "bridges", &br->uuid);
    br->deleted = true;
    return NULL;
}

static char *
cmd_list_br(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    size_t n;
    struct vsctl_row **brs = refs(db, ovs_row(db), "bridges", &n);
    /* Every bridge is real: there are no fake (VLAN) bridges. */
    if (vsctl_cmd_has_option(cmd, "--fake")) {
        n = 0;
    }
    print_names(&cmd->output, brs, n, "name", NULL);
    free(brs);
    return NULL;
}

static char *
cmd_br_exists(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    if (!find_bridge(db, cmd->argv[1])) {
        cmd->exit_status = 2;
    }
    return NULL;
}

static char *
cmd_br_to_vlan(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    struct vsctl_row *br;
    char *error = must_find_bridge(db, cmd->argv[1], &br);
    if (!error) {
        ds_put_cstr(&cmd->output, "0\n");
    }
    return error;
}

static char *
cmd_br_to_parent(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    struct vsctl_row *br;
    char *error = must_find_bridge(db, cmd->argv[1], &br);
    if (!error) {
        ds_put_format(&cmd->output, "%s\n", cmd->argv[1]);
    }
    return error;
}

static char *
cmd_add_port(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    const char *br_name = cmd->argv[1], *name = cmd->argv[2];
    struct vsctl_row *br, *port = NULL, *old_br;
    char *error;

    old_br = find_port(db, name, &port);
    if (old_br && vsctl_cmd_has_option(cmd, "--may-exist")) {
        if (strcmp(vsctl_row_string(old_br, "name"), br_name)) {
            return xasprintf("\"--may-exist add-port %s %s\" but %s is "
                             "actually attached to bridge %s", br_name, name,
                             name, vsctl_row_string(old_br, "name"));
        }
        return NULL;
    }
    error = check_name_free(db, "port", name);
    if (!error) {
        error = must_find_bridge(db, br_name, &br);
    }
    if (error) {
        return error;
    }
    port = insert_iface_port(db, name, NULL);
    for (int i = 3; i < cmd->argc; i++) {
        error = vsctl_set_column(db, port, cmd->argv[i]);
        if (error) {
            return error;
        }
    }
    vsctl_row_add_ref(br, "ports", &port->uuid);
    return NULL;
}

static char *
cmd_del_port(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    const char *name = cmd->argv[cmd->argc - 1];
    struct vsctl_row *port = NULL, *iface = NULL, *br, *want_br = NULL;

    if (cmd->argc == 3) {
        char *error = must_find_bridge(db, cmd->argv[1], &want_br);
        if (error) {
            return error;
        }
    }
    br = find_port(db, name, &port);
    if (!br && vsctl_cmd_has_option(cmd, "--with-iface")) {
        br = find_iface(db, name, &port, &iface);
    }
    if (!br) {
        return vsctl_cmd_has_option(cmd, "--if-exists")
               ? NULL : xasprintf("no port named %s", name);
    }
    if (want_br && want_br != br) {
        return xasprintf("bridge %s does not have a port %s", cmd->argv[1],
                         name);
    }
    if (!strcmp(vsctl_row_string(port, "name"),
                vsctl_row_string(br, "name"))) {
        return xasprintf("cannot delete port %s because it is the local port "
                         "for bridge %s (deleting this port requires deleting "
                         "the entire bridge)", name,
                         vsctl_row_string(br, "name"));
    }
    delete_port(db, br, port);
    return NULL;
}

static char *
list_ports_or_ifaces(struct vsctl_cmd *cmd, struct vsctl_db *db, bool ifaces)
{
    struct vsctl_row *br;
    char *error = must_find_bridge(db, cmd->argv[1], &br);
    if (error) {
        return error;
    }
    size_t n_p, n_all = 0;
    struct vsctl_row **ports = refs(db, br, "ports", &n_p);
    struct vsctl_row **all = ports;
    if (ifaces) {
        all = NULL;
        for (size_t i = 0; i < n_p; i++) {
            size_t n_if;
            struct vsctl_row **ifs = refs(db, ports[i], "interfaces", &n_if);
            all = xrealloc(all, (n_all + n_if + 1) * sizeof *all);
            memcpy(&all[n_all], ifs, n_if * sizeof *ifs);
            n_all += n_if;
            free(ifs);
        }
        free(ports);
    } else {
        n_all = n_p;
    }
    print_names(&cmd->output, all, n_all, "name", cmd->argv[1]);
    free(all);
    return NULL;
}

static char *
cmd_list_ports(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    return list_ports_or_ifaces(cmd, db, false);
}

static char *
cmd_list_ifaces(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    return list_ports_or_ifaces(cmd, db, true);
}

static char *
cmd_port_to_br(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    struct vsctl_row *port = NULL;
    struct vsctl_row *br = find_port(db, cmd->argv[1], &port);
    if (!br) {
        return xasprintf("no port named %s", cmd->argv[1]);
    }
    ds_put_format(&cmd->output, "%s\n", vsctl_row_string(br, "name"));
    return NULL;
}

static char *
cmd_iface_to_br(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    struct vsctl_row *port = NULL, *iface = NULL;
    struct vsctl_row *br = find_iface(db, cmd->argv[1], &port, &iface);
    if (!br) {
        return xasprintf("no interface named %s", cmd->argv[1]);
    }
    ds_put_format(&cmd->output, "%s\n", vsctl_row_string(br, "name"));
    return NULL;
}

/* ---- Controllers, managers, fail mode. ---- */

/* Replaces the targets referenced by 'column' of 'row' with new rows of
 * 'table' (Controller or Manager), one per target.  The old rows are
 * deleted, as ovs-vsctl deletes them (see delete_port()). */
static void
set_targets(struct vsctl_db *db, struct vsctl_row *row, const char *column,
            const char *table, char **targets, int n)
{
    const struct vsctl_column *c = vsctl_column_get(row->table, column);
    struct datum empty;
    size_t n_old;
    struct vsctl_row **old = refs(db, row, column, &n_old);

    for (size_t i = 0; i < n_old; i++) {
        old[i]->deleted = true;
    }
    free(old);
    datum_init_empty(&empty);
    vsctl_row_set(row, c, &empty);
    for (int i = 0; i < n; i++) {
        struct vsctl_row *t = vsctl_row_insert(vsctl_db_get_table(db, table));
        vsctl_row_set_string(t, "target", targets[i]);
        vsctl_row_add_ref(row, column, &t->uuid);
    }
}

static void
print_targets(struct vsctl_cmd *cmd, struct vsctl_db *db,
              struct vsctl_row *row, const char *column)
{
    size_t n;
    struct vsctl_row **rows = refs(db, row, column, &n);
    print_names(&cmd->output, rows, n, "target", NULL);
    free(rows);
}

static char *
cmd_set_controller(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    struct vsctl_row *br;
    char *error = must_find_bridge(db, cmd->argv[1], &br);
    if (!error) {
        set_targets(db, br, "controller", "Controller", &cmd->argv[2],
                    cmd->argc - 2);
    }
    return error;
}

static char *
cmd_get_controller(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    struct vsctl_row *br;
    char *error = must_find_bridge(db, cmd->argv[1], &br);
    if (!error) {
        print_targets(cmd, db, br, "controller");
    }
    return error;
}

static char *
cmd_del_controller(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    struct vsctl_row *br;
    char *error = must_find_bridge(db, cmd->argv[1], &br);
    if (!error) {
        set_targets(db, br, "controller", "Controller", NULL, 0);
    }
    return error;
}

static char *
cmd_set_fail_mode(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    struct vsctl_row *br;
    char *error = must_find_bridge(db, cmd->argv[1], &br);
    if (error) {
        return error;
    }
    if (strcmp(cmd->argv[2], "standalone") && strcmp(cmd->argv[2], "secure")) {
        return xstrdup("fail-mode must be \"standalone\" or \"secure\"");
    }
    vsctl_row_set_string(br, "fail_mode", cmd->argv[2]);
    return NULL;
}

static char *
cmd_get_fail_mode(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    struct vsctl_row *br;
    char *error = must_find_bridge(db, cmd->argv[1], &br);
    if (!error && vsctl_row_datum(br, "fail_mode")->n) {
        ds_put_format(&cmd->output, "%s\n",
                      vsctl_row_string(br, "fail_mode"));
    }
    return error;
}

static char *
cmd_del_fail_mode(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    struct vsctl_row *br;
    char *error = must_find_bridge(db, cmd->argv[1], &br);
    if (!error) {
        struct datum empty;
        datum_init_empty(&empty);
        vsctl_row_set(br, vsctl_column_get(br->table, "fail_mode"), &empty);
    }
    return error;
}

static char *
cmd_set_manager(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    set_targets(db, ovs_row(db), "manager_options", "Manager", &cmd->argv[1],
                cmd->argc - 1);
    return NULL;
}

static char *
cmd_get_manager(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    print_targets(cmd, db, ovs_row(db), "manager_options");
    return NULL;
}

static char *
cmd_del_manager(struct vsctl_cmd *cmd XVS_UNUSED, struct vsctl_db *db)
{
    set_targets(db, ovs_row(db), "manager_options", "Manager", NULL, 0);
    return NULL;
}

static void
clear_column(struct vsctl_row *row, const char *column)
{
    const struct vsctl_column *c = vsctl_column_get(row->table, column);
    struct datum d;
    datum_init_default(&d, &c->type);
    vsctl_row_set(row, c, &d);
}

static char *
cmd_emer_reset(struct vsctl_cmd *cmd XVS_UNUSED, struct vsctl_db *db)
{
    static const char *const br_columns[] = {
        "controller", "fail_mode", "mirrors", "netflow", "sflow", "ipfix",
        "flood_vlans",
    };
    struct vsctl_row *ovs = ovs_row(db);
    size_t n_br;
    struct vsctl_row **brs = refs(db, ovs, "bridges", &n_br);

    clear_column(ovs, "manager_options");
    clear_column(ovs, "ssl");
    for (size_t i = 0; i < n_br; i++) {
        for (size_t j = 0; j < ARRAY_SIZE(br_columns); j++) {
            clear_column(brs[i], br_columns[j]);
        }
        /* other-config:hwaddr survives, as the man page promises. */
        const struct vsctl_column *oc = vsctl_column_get(brs[i]->table,
                                                         "other_config");
        struct datum *d = &brs[i]->cur[oc->idx];
        union atom key = { .string = (char *) "hwaddr" };
        size_t idx = datum_find(d, &key, ATOMIC_STRING);
        bool found = idx != SIZE_MAX;
        struct datum keep = { .n = found,
                              .keys = found ? &d->keys[idx] : NULL,
                              .values = found ? &d->values[idx] : NULL };
        struct datum copy;
        datum_clone(&copy, &keep, &oc->type);
        vsctl_row_set(brs[i], oc, &copy);

        size_t n_p;
        struct vsctl_row **ports = refs(db, brs[i], "ports", &n_p);
        for (size_t j = 0; j < n_p; j++) {
            size_t n_if;
            struct vsctl_row **ifs = refs(db, ports[j], "interfaces", &n_if);
            clear_column(ports[j], "other_config");
            for (size_t k = 0; k < n_if; k++) {
                clear_column(ifs[k], "other_config");
            }
            free(ifs);
        }
        free(ports);
    }
    clear_column(ovs, "other_config");
    free(brs);
    return NULL;
}

/* ---- show. ---- */

/* What "show" prints of each table: the column that names a row, and
 * the columns under it (references to other shown tables nest). */
struct show_table {
    const char *table;
    const char *name_column;
    const char *columns[6];
};

static const struct show_table show_tables[] = {
    { "Open_vSwitch", NULL,
      { "manager_options", "bridges", "ovs_version", NULL } },
    { "Bridge", "name",
      { "controller", "fail_mode", "datapath_type", "ports", NULL } },
    { "Port", "name", { "tag", "trunks", "interfaces", NULL } },
    { "Interface", "name",
      { "type", "options", "bfd_status", "error", NULL } },
    { "Controller", "target", { "is_connected", NULL } },
    { "Manager", "target", { "is_connected", NULL } },
};

static const struct show_table *
find_show_table(const char *name)
{
    for (size_t i = 0; name && i < ARRAY_SIZE(show_tables); i++) {
        if (!strcmp(show_tables[i].table, name)) {
            return &show_tables[i];
        }
    }
    return NULL;
}

/* Children appear sorted by name (ovs-vsctl shows them in uuid order,
 * which differs from run to run). */
static int
compare_show_rows(const void *a_, const void *b_)
{
    const struct vsctl_row *a = *(const struct vsctl_row *const *) a_;
    const struct vsctl_row *b = *(const struct vsctl_row *const *) b_;
    const struct show_table *st = find_show_table(a->table->name);
    int cmp = strcmp(vsctl_row_string(a, st->name_column),
                     vsctl_row_string(b, st->name_column));
    return cmp ? cmp : memcmp(&a->uuid, &b->uuid, sizeof a->uuid);
}

static void
show_row(struct vsctl_db *db, const struct vsctl_row *row, int level,
         struct ds *out)
{
    const struct show_table *st = find_show_table(row->table->name);
    const struct vsctl_table *t = row->table;

    ds_put_format(out, "%*s", level * 4, "");
    if (st->name_column) {
        const struct vsctl_column *nc = vsctl_column_get(t, st->name_column);
        ds_put_format(out, "%s ", t->name);
        datum_to_string(&row->cur[nc->idx], &nc->type, out);
    } else {
        atom_to_string(&row->cur[0].keys[0], ATOMIC_UUID, out);
    }
    ds_put_char(out, '\n');
    if (level > 4) {
        return;
    }
    for (size_t i = 0; st->columns[i]; i++) {
        const struct vsctl_column *c = vsctl_column_get(t, st->columns[i]);
        const struct datum *d = &row->cur[c->idx];
        struct vsctl_table *ref = c->type.key.ref_table_name
            ? vsctl_db_get_table(db, c->type.key.ref_table_name) : NULL;
        if (ref && find_show_table(ref->name)) {
            size_t n;
            struct vsctl_row **children = refs(db, row, c->name, &n);
            qsort(children, n, sizeof *children, compare_show_rows);
            for (size_t k = 0; k < n; k++) {
                show_row(db, children[k], level + 1, out);
            }
            free(children);
        } else if (!vsctl_datum_is_default(d, &c->type)) {
            ds_put_format(out, "%*s%s: ", (level + 1) * 4, "", c->name);
            datum_to_string(d, &c->type, out);
            ds_put_char(out, '\n');
        }
    }
}

static char *
cmd_show(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    size_t n;
    struct vsctl_row **rows = vsctl_table_rows(
        vsctl_db_get_table(db, "Open_vSwitch"), &n);
    for (size_t i = 0; i < n; i++) {
        show_row(db, rows[i], 0, &cmd->output);
    }
    free(rows);
    return NULL;
}

/* ---- The table of commands. ---- */

static const struct vsctl_syntax commands[] = {
    { "init", 0, 0, "", cmd_init, "init" },
    { "show", 0, 0, "", cmd_show, "show" },
    { "emer-reset", 0, 0, "", cmd_emer_reset, "emer-reset" },
    { "add-br", 1, 3, "--may-exist", cmd_add_br, "add-br BRIDGE" },
    { "del-br", 1, 1, "--if-exists", cmd_del_br, "del-br BRIDGE" },
    { "list-br", 0, 0, "--real --fake", cmd_list_br, "list-br" },
    { "br-exists", 1, 1, "", cmd_br_exists, "br-exists BRIDGE" },
    { "br-to-vlan", 1, 1, "", cmd_br_to_vlan, "br-to-vlan BRIDGE" },
    { "br-to-parent", 1, 1, "", cmd_br_to_parent,
      "br-to-parent BRIDGE" },
    { "list-ports", 1, 1, "", cmd_list_ports, "list-ports BRIDGE" },
    { "add-port", 2, INT_MAX, "--may-exist", cmd_add_port,
      "add-port BRIDGE PORT [COLUMN[:KEY]=VALUE]..." },
    { "del-port", 1, 2, "--if-exists --with-iface", cmd_del_port,
      "del-port [BRIDGE] PORT" },
    { "port-to-br", 1, 1, "", cmd_port_to_br, "port-to-br PORT" },
    { "list-ifaces", 1, 1, "", cmd_list_ifaces, "list-ifaces BRIDGE" },
    { "iface-to-br", 1, 1, "", cmd_iface_to_br, "iface-to-br IFACE" },
    { "get-controller", 1, 1, "", cmd_get_controller,
      "get-controller BRIDGE" },
    { "del-controller", 1, 1, "", cmd_del_controller,
      "del-controller BRIDGE" },
    { "set-controller", 1, INT_MAX, "", cmd_set_controller,
      "set-controller BRIDGE TARGET..." },
    { "get-fail-mode", 1, 1, "", cmd_get_fail_mode,
      "get-fail-mode BRIDGE" },
    { "del-fail-mode", 1, 1, "", cmd_del_fail_mode,
      "del-fail-mode BRIDGE" },
    { "set-fail-mode", 2, 2, "", cmd_set_fail_mode,
      "set-fail-mode BRIDGE MODE" },
    { "get-manager", 0, 0, "", cmd_get_manager, "get-manager" },
    { "del-manager", 0, 0, "", cmd_del_manager, "del-manager" },
    { "set-manager", 0, INT_MAX, "", cmd_set_manager,
      "set-manager TARGET..." },
    { "list", 1, INT_MAX, "--if-exists --columns", vsctl_cmd_list,
      "list TBL [REC]" },
    { "find", 1, INT_MAX, "--columns", vsctl_cmd_find,
      "find TBL CONDITION..." },
    { "get", 2, INT_MAX, "--if-exists --id", vsctl_cmd_get,
      "get TBL REC COL[:KEY]" },
    { "set", 3, INT_MAX, "--if-exists", vsctl_cmd_set,
      "set TBL REC COL[:KEY]=VALUE" },
    { "add", 4, INT_MAX, "--if-exists", vsctl_cmd_add,
      "add TBL REC COL [KEY=]VALUE" },
    { "remove", 4, INT_MAX, "--if-exists", vsctl_cmd_remove,
      "remove TBL REC COL [KEY=]VALUE" },
    { "clear", 3, INT_MAX, "--if-exists", vsctl_cmd_clear,
      "clear TBL REC COL" },
    { "wait-until", 2, INT_MAX, "", vsctl_cmd_wait_until,
      "wait-until TBL REC [COL[:KEY]=VALUE]" },
    { "create", 2, INT_MAX, "--id", vsctl_cmd_create,
      "create TBL COL[:KEY]=VALUE" },
    { "destroy", 1, INT_MAX, "--if-exists --all", vsctl_cmd_destroy,
      "destroy TBL REC" },
};

static bool
option_in_list(const char *list, const char *option)
{
    size_t len = strcspn(option, "=");
    for (const char *p = list; *p; ) {
        size_t n = strcspn(p, " ");
        if (n == len && !strncmp(p, option, len)) {
            return true;
        }
        p += n + (p[n] == ' ');
    }
    return false;
}

bool
vsctl_is_command_option(const char *option)
{
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        if (option_in_list(commands[i].options, option)) {
            return true;
        }
    }
    return false;
}

char *
vsctl_cmd_parse(struct vsctl_cmd *cmd)
{
    const struct vsctl_syntax *s = NULL;

    if (cmd->argc < 1) {
        return xstrdup("missing command name (use --help for help)");
    }
    for (size_t i = 0; i < ARRAY_SIZE(commands) && !s; i++) {
        if (!strcmp(commands[i].name, cmd->argv[0])) {
            s = &commands[i];
        }
    }
    if (!s) {
        return xasprintf("unknown command '%s'; use --help for help",
                         cmd->argv[0]);
    }
    for (int i = 0; i < cmd->n_options; i++) {
        if (!option_in_list(s->options, cmd->options[i])) {
            return xasprintf("'%s' command has no '%.*s' option", s->name,
                             (int) strcspn(cmd->options[i], "="),
                             cmd->options[i]);
        }
    }
    if (cmd->argc - 1 < s->min_args) {
        return xasprintf("'%s' command requires at least %d arguments",
                         s->name, s->min_args);
    }
    if (cmd->argc - 1 > s->max_args) {
        return xasprintf("'%s' command takes at most %d arguments", s->name,
                         s->max_args);
    }
    cmd->syntax = s;
    return NULL;
}

char *
vsctl_cmd_run(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    return cmd->syntax->run(cmd, db);
}

void
vsctl_cmds_usage(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        printf("  %s\n", commands[i].usage);
    }
}
