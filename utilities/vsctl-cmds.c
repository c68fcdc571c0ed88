/* vsctl-cmds: see vsctl-cmds.h. */
#include <config.h>
#include "vsctl-cmds.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vsctl-db.h"

bool vsctl_bare;

typedef char *vsctl_handler(struct vsctl_cmd *, struct vsctl_db *);

struct vsctl_syntax {
    const char *name;
    int min_args, max_args;     /* Not counting the name; INT_MAX: any. */
    const char *options;        /* Space-separated, e.g. "--may-exist". */
    bool read_only;
    vsctl_handler *run;
    const char *usage;
};

/* ---- Helpers. ---- */

static const char *
cmd_option(const struct vsctl_cmd *cmd, const char *name)
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

static bool
has_option(const struct vsctl_cmd *cmd, const char *name)
{
    return cmd_option(cmd, name) != NULL;
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
    const struct vsctl_datum *d = &row->cur[c->idx];
    struct vsctl_table *t = vsctl_db_get_table(db, c->type.key.ref_table);
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
    if (has_option(cmd, "--may-exist") && find_bridge(db, name)) {
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

static char *
cmd_del_br(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    struct vsctl_row *br = find_bridge(db, cmd->argv[1]);
    if (!br) {
        return has_option(cmd, "--if-exists")
               ? NULL : xasprintf("no bridge named %s", cmd->argv[1]);
    }
    vsctl_row_remove_ref(ovs_row(db), "bridges", &br->uuid);
    return NULL;
}

static char *
cmd_list_br(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    size_t n;
    struct vsctl_row **brs = refs(db, ovs_row(db), "bridges", &n);
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

/* Applies "COLUMN[:KEY]=VALUE" arguments to 'row'. */
static char *set_column(struct vsctl_db *, struct vsctl_row *,
                        const char *arg);

static char *
cmd_add_port(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    const char *br_name = cmd->argv[1], *name = cmd->argv[2];
    struct vsctl_row *br, *port = NULL, *old_br;
    char *error;

    old_br = find_port(db, name, &port);
    if (old_br && has_option(cmd, "--may-exist")) {
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
        error = set_column(db, port, cmd->argv[i]);
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
    if (!br && has_option(cmd, "--with-iface")) {
        br = find_iface(db, name, &port, &iface);
    }
    if (!br) {
        return has_option(cmd, "--if-exists")
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
    vsctl_row_remove_ref(br, "ports", &port->uuid);
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
 * 'table' (Controller or Manager), one per target. */
static void
set_targets(struct vsctl_db *db, struct vsctl_row *row, const char *column,
            const char *table, char **targets, int n)
{
    const struct vsctl_column *c = vsctl_column_get(row->table, column);
    struct vsctl_datum empty;

    vsctl_datum_init_empty(&empty);
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
        struct vsctl_datum empty;
        vsctl_datum_init_empty(&empty);
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
    struct vsctl_datum d;
    vsctl_datum_init_default(&d, &c->type);
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
        struct vsctl_datum *d = &brs[i]->cur[oc->idx];
        union vsctl_atom key = { .string = (char *) "hwaddr" };
        int idx = vsctl_datum_find_key(d, &key, VSCTL_STRING);
        struct vsctl_datum keep = { .n = idx >= 0,
                                    .keys = idx >= 0 ? &d->keys[idx] : NULL,
                                    .values = idx >= 0 ? &d->values[idx]
                                                       : NULL };
        struct vsctl_datum copy;
        vsctl_datum_clone(&copy, &keep, &oc->type);
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

/* ---- Generic database commands. ---- */

/* How records of each table may be named, besides by uuid: by the value
 * of 'name_column' in 'table', following 'ref_column' from there if set. */
struct vsctl_row_id {
    const char *table;
    const char *via_table;
    const char *name_column;
    const char *ref_column;
};

static const struct vsctl_row_id row_ids[] = {
    { "Open_vSwitch", NULL, NULL, NULL },
    { "Bridge", "Bridge", "name", NULL },
    { "Port", "Port", "name", NULL },
    { "Interface", "Interface", "name", NULL },
    { "Controller", "Bridge", "name", "controller" },
    { "Manager", "Manager", "target", NULL },
    { "Mirror", "Mirror", "name", NULL },
    { "NetFlow", "Bridge", "name", "netflow" },
    { "sFlow", "Bridge", "name", "sflow" },
    { "IPFIX", "Bridge", "name", "ipfix" },
    { "QoS", "Port", "name", "qos" },
    { "Flow_Table", "Flow_Table", "name", NULL },
};

static char *
get_row(struct vsctl_db *db, struct vsctl_table *t, const char *id,
        struct vsctl_row **rowp)
{
    struct uuid u;

    *rowp = NULL;
    if (id[0] == '@') {
        struct vsctl_symbol *sym = vsctl_symbol_find(db, id);
        *rowp = sym ? vsctl_row_get(t, &sym->uuid) : NULL;
    } else if (uuid_from_string(&u, id)) {
        *rowp = vsctl_row_get(t, &u);
    }
    for (size_t i = 0; i < ARRAY_SIZE(row_ids) && !*rowp; i++) {
        const struct vsctl_row_id *rid = &row_ids[i];
        if (strcmp(rid->table, t->name)) {
            continue;
        }
        if (!rid->via_table) {
            if (!strcmp(id, ".")) {
                size_t n;
                struct vsctl_row **rows = vsctl_table_rows(t, &n);
                *rowp = n == 1 ? rows[0] : NULL;
                free(rows);
            }
            continue;
        }
        struct vsctl_table *via = vsctl_db_get_table(db, rid->via_table);
        size_t n;
        struct vsctl_row **rows = vsctl_table_rows(via, &n);
        struct vsctl_row *match = NULL;
        for (size_t j = 0; j < n; j++) {
            if (!strcmp(vsctl_row_string(rows[j], rid->name_column), id)) {
                if (match) {
                    free(rows);
                    return xasprintf("multiple rows in %s match \"%s\"",
                                     via->name, id);
                }
                match = rows[j];
            }
        }
        free(rows);
        if (match && rid->ref_column) {
            const struct vsctl_datum *d = vsctl_row_datum(match,
                                                          rid->ref_column);
            match = d->n == 1 ? vsctl_row_get(t, &d->keys[0].uuid) : NULL;
        }
        *rowp = match;
    }
    return NULL;
}

/* Parses "COLUMN[:KEY][OP VALUE]" ('ops' NULL: no value allowed). */
static char *
parse_column_key_value(const char *arg, const struct vsctl_table *t,
                       const struct vsctl_column **colp, char **keyp,
                       const char *const *ops, const char **opp,
                       char **valuep)
{
    const char *p = arg;
    char *name;
    char *error = vsctl_token_parse(&p, &name);

    *keyp = NULL;
    if (valuep) {
        *valuep = NULL;
    }
    if (error) {
        return error;
    }
    if (!name[0]) {
        free(name);
        return xasprintf("%s: missing column name", arg);
    }
    error = vsctl_column_find(t, name, colp);
    free(name);
    if (error) {
        return error;
    }
    if (*p == ':') {
        p++;
        error = vsctl_token_parse(&p, keyp);
        if (error) {
            return error;
        }
    }
    if (!ops) {
        if (*p) {
            error = xasprintf("%s: trailing garbage \"%s\" in argument", arg,
                              p);
        }
    } else {
        size_t best = 0;
        for (size_t i = 0; ops[i]; i++) {
            size_t len = strlen(ops[i]);
            if (len > best && !strncmp(p, ops[i], len)) {
                best = len;
                *opp = ops[i];
            }
        }
        if (!best || !p[best]) {
            error = xasprintf("%s: argument does not end in \"%s\" followed "
                              "by a value.", arg, ops[0]);
        } else {
            *valuep = xstrdup(p + best);
        }
    }
    if (error) {
        free(*keyp);
        *keyp = NULL;
    }
    return error;
}

static const char *const set_ops[] = { "=", NULL };

static char *
check_mutable(const struct vsctl_table *t, const struct vsctl_column *c)
{
    return c->idx == 0 || !c->is_mutable
           ? xasprintf("cannot modify read-only column %s in table %s",
                       c->name, t->name)
           : NULL;
}

static char *
set_column(struct vsctl_db *db, struct vsctl_row *row, const char *arg)
{
    const struct vsctl_column *c;
    const char *op;
    char *key, *value;
    char *error = parse_column_key_value(arg, row->table, &c, &key, set_ops,
                                         &op, &value);
    if (!error && row->old) {
        error = check_mutable(row->table, c);
    }
    if (error) {
        free(key);
        free(value);
        return error;
    }
    if (key) {
        if (!vsctl_type_is_map(&c->type)) {
            error = xasprintf("cannot specify key to set for non-map column "
                              "%s", c->name);
        } else {
            union vsctl_atom k, v;
            error = vsctl_atom_from_string(&k, &c->type.key, key, db);
            if (!error) {
                error = vsctl_atom_from_string(&v, &c->type.value, value, db);
                if (error) {
                    vsctl_atom_destroy(&k, c->type.key.type);
                }
            }
            if (!error) {
                struct vsctl_datum one = { 1, &k, &v };
                struct vsctl_datum *d = &row->cur[c->idx];
                vsctl_datum_subtract(d, &one, &c->type, true);
                vsctl_datum_union(d, &one, &c->type);
                vsctl_atom_destroy(&k, c->type.key.type);
                vsctl_atom_destroy(&v, c->type.value.type);
                error = vsctl_datum_check_size(d, &c->type, arg);
            }
        }
    } else {
        struct vsctl_datum d;
        error = vsctl_datum_from_string(&d, &c->type, value, db);
        if (!error) {
            vsctl_row_set(row, c, &d);
        }
    }
    free(key);
    free(value);
    return error;
}

static char *
check_columns_option(const struct vsctl_cmd *cmd, const struct vsctl_table *t)
{
    const char *cols = cmd_option(cmd, "--columns");
    char *copy, *save = NULL, *error = NULL;
    const struct vsctl_column *c;

    if (!cols) {
        return NULL;
    }
    copy = xstrdup(cols);
    for (char *tok = strtok_r(copy, ",", &save); tok && !error;
         tok = strtok_r(NULL, ",", &save)) {
        error = vsctl_column_find(t, tok, &c);
    }
    free(copy);
    return error;
}

static void
list_record(struct vsctl_cmd *cmd, const struct vsctl_row *row, bool first)
{
    const struct vsctl_table *t = row->table;

    if (!first) {
        ds_put_char(&cmd->output, '\n');
    }
    /* --columns prints in the order the user gave. */
    const char *cols = cmd_option(cmd, "--columns");
    char *copy = cols ? xstrdup(cols) : NULL, *save = NULL;
    char *tok = copy ? strtok_r(copy, ",", &save) : NULL;
    for (size_t i = 0; cols ? tok != NULL : i < t->n_columns; i++) {
        const struct vsctl_column *c = &t->columns[i];
        if (cols) {
            vsctl_column_find(t, tok, &c);
            tok = strtok_r(NULL, ",", &save);
        }
        if (!vsctl_bare) {
            ds_put_format(&cmd->output, "%-20s: ", c->name);
        }
        if (vsctl_bare && !vsctl_type_is_map(&c->type)) {
            const struct vsctl_datum *d = &row->cur[c->idx];
            for (size_t k = 0; k < d->n; k++) {
                ds_put_cstr(&cmd->output, k ? " " : "");
                vsctl_atom_to_string(&d->keys[k], c->type.key.type,
                                     &cmd->output);
            }
        } else {
            vsctl_datum_to_string(&row->cur[c->idx], &c->type, &cmd->output);
        }
        ds_put_char(&cmd->output, '\n');
    }
    free(copy);
}

static char *
cmd_list(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    struct vsctl_table *t;
    char *error = vsctl_table_find(db, cmd->argv[1], &t);
    if (!error) {
        error = check_columns_option(cmd, t);
    }
    if (error) {
        return error;
    }
    if (cmd->argc > 2) {
        for (int i = 2; i < cmd->argc; i++) {
            struct vsctl_row *row;
            error = get_row(db, t, cmd->argv[i], &row);
            if (error) {
                return error;
            }
            if (!row) {
                if (has_option(cmd, "--if-exists")) {
                    continue;
                }
                return xasprintf("no row \"%s\" in table %s", cmd->argv[i],
                                 t->name);
            }
            list_record(cmd, row, i == 2);
        }
        return NULL;
    }
    size_t n;
    struct vsctl_row **rows = vsctl_table_rows(t, &n);
    for (size_t i = 0; i < n; i++) {
        list_record(cmd, rows[i], i == 0);
    }
    free(rows);
    return NULL;
}

static const char *const find_ops[] = {
    "=", "!=", "<", ">", "<=", ">=",
    "{=}", "{!=}", "{<}", "{>}", "{<=}", "{>=}", NULL
};

static bool
datum_includes(const struct vsctl_datum *a, const struct vsctl_datum *b,
               const struct vsctl_type *t)
{
    for (size_t i = 0; i < b->n; i++) {
        int idx = vsctl_datum_find_key(a, &b->keys[i], t->key.type);
        if (idx < 0 || (vsctl_type_is_map(t)
                        && vsctl_atom_compare(&a->values[idx], &b->values[i],
                                              t->value.type))) {
            return false;
        }
    }
    return true;
}

static bool
evaluate(const char *op, const struct vsctl_datum *have,
         const struct vsctl_datum *want, const struct vsctl_type *t)
{
    bool eq = vsctl_datum_equals(have, want, t);
    int cmp = 0;

    if (op[0] == '{') {
        bool sub = datum_includes(want, have, t);
        bool super = datum_includes(have, want, t);
        if (!strcmp(op, "{=}")) {
            return eq;
        } else if (!strcmp(op, "{!=}")) {
            return !eq;
        } else if (!strcmp(op, "{<}")) {
            return sub && !eq;
        } else if (!strcmp(op, "{>}")) {
            return super && !eq;
        } else if (!strcmp(op, "{<=}")) {
            return sub;
        }
        return super;
    }
    if (!strcmp(op, "=")) {
        return eq;
    } else if (!strcmp(op, "!=")) {
        return !eq;
    }
    if (have->n != 1 || want->n != 1) {
        return false;
    }
    cmp = vsctl_atom_compare(&have->keys[0], &want->keys[0], t->key.type);
    return (!strcmp(op, "<") ? cmp < 0 : !strcmp(op, ">") ? cmp > 0
            : !strcmp(op, "<=") ? cmp <= 0 : cmp >= 0);
}

/* Evaluates one "COLUMN[:KEY]OP VALUE" condition of "find". */
static char *
check_condition(struct vsctl_db *db, const struct vsctl_row *row,
                const char *arg, bool *matchp)
{
    const struct vsctl_column *c;
    const char *op = NULL;
    char *key, *value;
    char *error = parse_column_key_value(arg, row->table, &c, &key, find_ops,
                                         &op, &value);
    if (error) {
        return error;
    }
    if (key) {
        if (!vsctl_type_is_map(&c->type)) {
            error = xasprintf("cannot specify key to check for non-map column "
                              "%s", c->name);
        } else {
            union vsctl_atom k;
            struct vsctl_type vt = { .key = c->type.value, .n_min = 0,
                                     .n_max = 1 };
            error = vsctl_atom_from_string(&k, &c->type.key, key, db);
            if (!error) {
                struct vsctl_datum want;
                const struct vsctl_datum *d = &row->cur[c->idx];
                int idx = vsctl_datum_find_key(d, &k, c->type.key.type);
                vsctl_atom_destroy(&k, c->type.key.type);
                error = vsctl_datum_from_string(&want, &vt, value, db);
                if (!error) {
                    struct vsctl_datum have = { idx >= 0,
                        idx >= 0 ? &d->values[idx] : NULL, NULL };
                    *matchp = idx >= 0 ? evaluate(op, &have, &want, &vt)
                                       : !strcmp(op, "!=");
                    vsctl_datum_destroy(&want, &vt);
                }
            }
        }
    } else {
        struct vsctl_type relaxed = c->type;
        struct vsctl_datum want;
        relaxed.n_min = 0;
        relaxed.n_max = UINT_MAX;
        error = vsctl_datum_from_string(&want, &relaxed, value, db);
        if (!error) {
            *matchp = evaluate(op, &row->cur[c->idx], &want, &c->type);
            vsctl_datum_destroy(&want, &c->type);
        }
    }
    free(key);
    free(value);
    return error;
}

static char *
cmd_find(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    struct vsctl_table *t;
    char *error = vsctl_table_find(db, cmd->argv[1], &t);
    if (!error) {
        error = check_columns_option(cmd, t);
    }
    if (error) {
        return error;
    }
    size_t n;
    struct vsctl_row **rows = vsctl_table_rows(t, &n);
    bool first = true;
    for (size_t i = 0; i < n && !error; i++) {
        bool match = true;
        for (int j = 2; j < cmd->argc && match && !error; j++) {
            error = check_condition(db, rows[i], cmd->argv[j], &match);
        }
        if (!error && match) {
            list_record(cmd, rows[i], first);
            first = false;
        }
    }
    free(rows);
    return error;
}

static char *
set_id_symbol(struct vsctl_cmd *cmd, struct vsctl_db *db,
              const struct uuid *u, struct vsctl_symbol **symp)
{
    const char *id = cmd_option(cmd, "--id");

    *symp = NULL;
    if (!id) {
        return NULL;
    }
    if (id[0] != '@') {
        return xasprintf("row id \"%s\" does not begin with \"@\"", id);
    }
    struct vsctl_symbol *sym = vsctl_symbol_get(db, id);
    if (sym->created) {
        return xasprintf("row id \"%s\" may only be specified on one --id "
                         "option", id);
    }
    sym->created = true;
    if (u) {
        sym->uuid = *u;
    }
    *symp = sym;
    return NULL;
}

static char *
cmd_get(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    bool if_exists = has_option(cmd, "--if-exists");
    struct vsctl_table *t;
    struct vsctl_row *row;
    struct vsctl_symbol *sym;
    char *error = vsctl_table_find(db, cmd->argv[1], &t);

    if (!error) {
        error = get_row(db, t, cmd->argv[2], &row);
    }
    if (error) {
        return error;
    }
    if (!row) {
        return if_exists ? NULL : xasprintf("no row \"%s\" in table %s",
                                            cmd->argv[2], t->name);
    }
    error = set_id_symbol(cmd, db, &row->uuid, &sym);
    for (int i = 3; i < cmd->argc && !error; i++) {
        const struct vsctl_column *c;
        char *key;
        error = parse_column_key_value(cmd->argv[i], t, &c, &key, NULL, NULL,
                                       NULL);
        if (error) {
            break;
        }
        const struct vsctl_datum *d = &row->cur[c->idx];
        if (key) {
            union vsctl_atom k;
            if (!vsctl_type_is_map(&c->type)) {
                error = xasprintf("cannot specify key to get for non-map "
                                  "column %s", c->name);
            } else if (!(error = vsctl_atom_from_string(&k, &c->type.key, key,
                                                        db))) {
                int idx = vsctl_datum_find_key(d, &k, c->type.key.type);
                vsctl_atom_destroy(&k, c->type.key.type);
                if (idx >= 0) {
                    vsctl_atom_to_string(&d->values[idx], c->type.value.type,
                                         &cmd->output);
                } else if (!if_exists) {
                    error = xasprintf("no key \"%s\" in %s record \"%s\" "
                                      "column %s", key, t->name, cmd->argv[2],
                                      c->name);
                }
            }
        } else {
            vsctl_datum_to_string(d, &c->type, &cmd->output);
        }
        ds_put_char(&cmd->output, '\n');
        free(key);
    }
    return error;
}

static char *
cmd_set(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    struct vsctl_table *t;
    struct vsctl_row *row;
    char *error = vsctl_table_find(db, cmd->argv[1], &t);

    if (!error) {
        error = get_row(db, t, cmd->argv[2], &row);
    }
    if (error) {
        return error;
    }
    if (!row) {
        return has_option(cmd, "--if-exists")
               ? NULL : xasprintf("no row \"%s\" in table %s", cmd->argv[2],
                                  t->name);
    }
    for (int i = 3; i < cmd->argc && !error; i++) {
        error = set_column(db, row, cmd->argv[i]);
    }
    return error;
}

/* Shared by "add" and "remove": the record and column of argv[1..3]. */
static char *
get_row_column(struct vsctl_cmd *cmd, struct vsctl_db *db,
               struct vsctl_row **rowp, const struct vsctl_column **colp)
{
    struct vsctl_table *t;
    char *error = vsctl_table_find(db, cmd->argv[1], &t);

    *rowp = NULL;
    if (!error) {
        error = get_row(db, t, cmd->argv[2], rowp);
    }
    if (!error && !*rowp && !has_option(cmd, "--if-exists")) {
        error = xasprintf("no row \"%s\" in table %s", cmd->argv[2], t->name);
    }
    if (!error && *rowp) {
        error = vsctl_column_find(t, cmd->argv[3], colp);
        if (!error) {
            error = check_mutable(t, *colp);
        }
    }
    return error;
}

static char *
cmd_add(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    const struct vsctl_column *c;
    struct vsctl_row *row;
    char *error = get_row_column(cmd, db, &row, &c);
    if (error || !row) {
        return error;
    }
    struct vsctl_type relaxed = c->type;
    relaxed.n_min = 0;
    relaxed.n_max = UINT_MAX;
    for (int i = 4; i < cmd->argc && !error; i++) {
        struct vsctl_datum d;
        error = vsctl_datum_from_string(&d, &relaxed, cmd->argv[i], db);
        if (!error) {
            vsctl_datum_union(&row->cur[c->idx], &d, &c->type);
            vsctl_datum_destroy(&d, &c->type);
        }
    }
    if (!error && row->cur[c->idx].n > c->type.n_max) {
        error = xasprintf("\"add\" operation would put %zu values in column "
                          "%s of table %s but the maximum number is %u",
                          row->cur[c->idx].n, c->name, row->table->name,
                          c->type.n_max);
    }
    return error;
}

static char *
cmd_remove(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    const struct vsctl_column *c;
    struct vsctl_row *row;
    char *error = get_row_column(cmd, db, &row, &c);
    if (error || !row) {
        return error;
    }
    struct vsctl_type relaxed = c->type;
    relaxed.n_min = 0;
    relaxed.n_max = UINT_MAX;
    for (int i = 4; i < cmd->argc && !error; i++) {
        struct vsctl_datum d;
        error = vsctl_datum_from_string(&d, &relaxed, cmd->argv[i], db);
        if (!error) {
            vsctl_datum_subtract(&row->cur[c->idx], &d, &c->type, false);
            vsctl_datum_destroy(&d, &c->type);
        } else if (vsctl_type_is_map(&c->type)) {
            /* A map also loses entries named by key alone. */
            struct vsctl_type keys = { .key = c->type.key, .n_min = 0,
                                       .n_max = UINT_MAX };
            free(error);
            error = vsctl_datum_from_string(&d, &keys, cmd->argv[i], db);
            if (!error) {
                vsctl_datum_subtract(&row->cur[c->idx], &d, &c->type, true);
                vsctl_datum_destroy(&d, &keys);
            }
        }
    }
    if (!error && row->cur[c->idx].n < c->type.n_min) {
        error = xasprintf("\"remove\" operation would put %zu values in "
                          "column %s of table %s but the minimum number is %u",
                          row->cur[c->idx].n, c->name, row->table->name,
                          c->type.n_min);
    }
    return error;
}

static char *
cmd_clear(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    struct vsctl_table *t;
    struct vsctl_row *row;
    char *error = vsctl_table_find(db, cmd->argv[1], &t);

    if (!error) {
        error = get_row(db, t, cmd->argv[2], &row);
    }
    if (error) {
        return error;
    }
    if (!row) {
        return has_option(cmd, "--if-exists")
               ? NULL : xasprintf("no row \"%s\" in table %s", cmd->argv[2],
                                  t->name);
    }
    for (int i = 3; i < cmd->argc && !error; i++) {
        const struct vsctl_column *c;
        error = vsctl_column_find(t, cmd->argv[i], &c);
        if (!error) {
            error = check_mutable(t, c);
        }
        if (!error && c->type.n_min > 0) {
            error = xasprintf("\"clear\" operation cannot be applied to "
                              "column %s of table %s, which is not allowed "
                              "to be empty", c->name, t->name);
        }
        if (!error) {
            struct vsctl_datum empty;
            vsctl_datum_init_empty(&empty);
            vsctl_row_set(row, c, &empty);
        }
    }
    return error;
}

static char *
cmd_create(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    struct vsctl_table *t;
    struct vsctl_symbol *sym;
    char *error = vsctl_table_find(db, cmd->argv[1], &t);

    if (!error) {
        error = set_id_symbol(cmd, db, NULL, &sym);
    }
    if (error) {
        return error;
    }
    if (!sym && !t->is_root) {
        fprintf(stderr, "%s: warning: applying \"create\" command to table "
                "%s without --id option will have no effect\n", program_name,
                t->name);
    }
    struct vsctl_row *row = vsctl_row_insert(t);
    if (sym) {
        /* Take the uuid the symbol already handed out to references. */
        hmap_remove(&t->rows, &row->node);
        row->uuid = sym->uuid;
        row->cur[0].keys[0].uuid = sym->uuid;
        hmap_insert(&t->rows, &row->node, uuid_hash(&row->uuid));
    }
    for (int i = 2; i < cmd->argc && !error; i++) {
        error = set_column(db, row, cmd->argv[i]);
    }
    cmd->created = row;
    return error;
}

static char *
cmd_destroy(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    struct vsctl_table *t;
    char *error = vsctl_table_find(db, cmd->argv[1], &t);

    if (error) {
        return error;
    }
    if (has_option(cmd, "--all")) {
        if (cmd->argc > 2) {
            return xstrdup("--all and records argument should not be "
                           "specified together");
        }
        size_t n;
        struct vsctl_row **rows = vsctl_table_rows(t, &n);
        for (size_t i = 0; i < n; i++) {
            rows[i]->deleted = true;
        }
        free(rows);
        return NULL;
    }
    if (cmd->argc < 3) {
        return xstrdup("either --all or records argument should be "
                       "specified");
    }
    for (int i = 2; i < cmd->argc; i++) {
        struct vsctl_row *row;
        error = get_row(db, t, cmd->argv[i], &row);
        if (error) {
            return error;
        }
        if (row) {
            row->deleted = true;
        } else if (!has_option(cmd, "--if-exists")) {
            return xasprintf("no row \"%s\" in table %s", cmd->argv[i],
                             t->name);
        }
    }
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
        vsctl_datum_to_string(&row->cur[nc->idx], &nc->type, out);
    } else {
        vsctl_atom_to_string(&row->cur[0].keys[0], VSCTL_UUID, out);
    }
    ds_put_char(out, '\n');
    if (level > 4) {
        return;
    }
    for (size_t i = 0; st->columns[i]; i++) {
        const struct vsctl_column *c = vsctl_column_get(t, st->columns[i]);
        const struct vsctl_datum *d = &row->cur[c->idx];
        struct vsctl_table *ref = c->type.key.ref_table
            ? vsctl_db_get_table(db, c->type.key.ref_table) : NULL;
        if (ref && find_show_table(ref->name)) {
            for (size_t k = 0; k < d->n; k++) {
                struct vsctl_row *child = vsctl_row_get(ref, &d->keys[k].uuid);
                if (child) {
                    show_row(db, child, level + 1, out);
                }
            }
        } else if (!vsctl_datum_is_default(d, &c->type)) {
            ds_put_format(out, "%*s%s: ", (level + 1) * 4, "", c->name);
            vsctl_datum_to_string(d, &c->type, out);
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
    { "init", 0, 0, "", false, cmd_init, "init" },
    { "show", 0, 0, "", true, cmd_show, "show" },
    { "emer-reset", 0, 0, "", false, cmd_emer_reset, "emer-reset" },
    { "add-br", 1, 3, "--may-exist", false, cmd_add_br, "add-br BRIDGE" },
    { "del-br", 1, 1, "--if-exists", false, cmd_del_br, "del-br BRIDGE" },
    { "list-br", 0, 0, "--real --fake", true, cmd_list_br, "list-br" },
    { "br-exists", 1, 1, "", true, cmd_br_exists, "br-exists BRIDGE" },
    { "br-to-vlan", 1, 1, "", true, cmd_br_to_vlan, "br-to-vlan BRIDGE" },
    { "br-to-parent", 1, 1, "", true, cmd_br_to_parent,
      "br-to-parent BRIDGE" },
    { "list-ports", 1, 1, "", true, cmd_list_ports, "list-ports BRIDGE" },
    { "add-port", 2, INT_MAX, "--may-exist", false, cmd_add_port,
      "add-port BRIDGE PORT [COLUMN[:KEY]=VALUE]..." },
    { "del-port", 1, 2, "--if-exists --with-iface", false, cmd_del_port,
      "del-port [BRIDGE] PORT" },
    { "port-to-br", 1, 1, "", true, cmd_port_to_br, "port-to-br PORT" },
    { "list-ifaces", 1, 1, "", true, cmd_list_ifaces, "list-ifaces BRIDGE" },
    { "iface-to-br", 1, 1, "", true, cmd_iface_to_br, "iface-to-br IFACE" },
    { "get-controller", 1, 1, "", true, cmd_get_controller,
      "get-controller BRIDGE" },
    { "del-controller", 1, 1, "", false, cmd_del_controller,
      "del-controller BRIDGE" },
    { "set-controller", 1, INT_MAX, "", false, cmd_set_controller,
      "set-controller BRIDGE TARGET..." },
    { "get-fail-mode", 1, 1, "", true, cmd_get_fail_mode,
      "get-fail-mode BRIDGE" },
    { "del-fail-mode", 1, 1, "", false, cmd_del_fail_mode,
      "del-fail-mode BRIDGE" },
    { "set-fail-mode", 2, 2, "", false, cmd_set_fail_mode,
      "set-fail-mode BRIDGE MODE" },
    { "get-manager", 0, 0, "", true, cmd_get_manager, "get-manager" },
    { "del-manager", 0, 0, "", false, cmd_del_manager, "del-manager" },
    { "set-manager", 0, INT_MAX, "", false, cmd_set_manager,
      "set-manager TARGET..." },
    { "list", 1, INT_MAX, "--if-exists --columns", true, cmd_list,
      "list TBL [REC]" },
    { "find", 1, INT_MAX, "--columns", true, cmd_find,
      "find TBL CONDITION..." },
    { "get", 2, INT_MAX, "--if-exists --id", true, cmd_get,
      "get TBL REC COL[:KEY]" },
    { "set", 3, INT_MAX, "--if-exists", false, cmd_set,
      "set TBL REC COL[:KEY]=VALUE" },
    { "add", 4, INT_MAX, "--if-exists", false, cmd_add,
      "add TBL REC COL [KEY=]VALUE" },
    { "remove", 4, INT_MAX, "--if-exists", false, cmd_remove,
      "remove TBL REC COL [KEY=]VALUE" },
    { "clear", 3, INT_MAX, "--if-exists", false, cmd_clear,
      "clear TBL REC COL" },
    { "create", 2, INT_MAX, "--id", false, cmd_create,
      "create TBL COL[:KEY]=VALUE" },
    { "destroy", 1, INT_MAX, "--if-exists --all", false, cmd_destroy,
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

bool
vsctl_cmd_is_readonly(const struct vsctl_cmd *cmd)
{
    return cmd->syntax->read_only;
}

void
vsctl_cmds_usage(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        printf("  %s\n", commands[i].usage);
    }
}
