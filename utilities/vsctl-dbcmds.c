/* vsctl-dbcmds: see vsctl-dbcmds.h. */
#include <config.h>
#include "vsctl-dbcmds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "vsctl-cmds.h"
#include "vsctl-db.h"

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
            const struct datum *d = vsctl_row_datum(match, rid->ref_column);
            match = d->n == 1 ? vsctl_row_get(t, &d->keys[0].uuid) : NULL;
        }
        *rowp = match;
    }
    return NULL;
}

/* The table named by argv[1] and its record argv[2], for the commands that
 * take "TABLE RECORD".  A missing record is an error unless --if-exists
 * (then '*rowp' is NULL). */
static char *
get_table_row(struct vsctl_cmd *cmd, struct vsctl_db *db,
              struct vsctl_table **tp, struct vsctl_row **rowp)
{
    char *error = vsctl_table_find(db, cmd->argv[1], tp);

    *rowp = NULL;
    if (!error) {
        error = get_row(db, *tp, cmd->argv[2], rowp);
    }
    if (!error && !*rowp && !vsctl_cmd_has_option(cmd, "--if-exists")) {
        error = xasprintf("no row \"%s\" in table %s", cmd->argv[2],
                          (*tp)->name);
    }
    return error;
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

char *
vsctl_set_column(struct vsctl_db *db, struct vsctl_row *row, const char *arg)
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
        if (!column_type_is_map(&c->type)) {
            error = xasprintf("cannot specify key to set for non-map column "
                              "%s", c->name);
        } else {
            union atom k, v;
            error = vsctl_atom_from_string(&k, &c->type.key, key, db);
            if (!error) {
                error = vsctl_atom_from_string(&v, &c->type.value, value, db);
                if (error) {
                    atom_destroy(&k, c->type.key.type);
                }
            }
            if (!error) {
                struct datum one = { 1, &k, &v };
                struct datum *d = &row->cur[c->idx];
                datum_subtract(d, &one, &c->type, true);
                datum_union(d, &one, &c->type);
                atom_destroy(&k, c->type.key.type);
                atom_destroy(&v, c->type.value.type);
                error = vsctl_datum_check_size(d, &c->type, arg);
            }
        }
    } else {
        struct datum d;
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
    const char *cols = vsctl_cmd_option(cmd, "--columns");
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

/* --bare prints strings as they are, without the quotes that the value
 * notation would need, as ovs-vsctl does ("k=a b", not {k="a b"}). */
static void
put_bare_atom(const union atom *a, enum atomic_type type, struct ds *out)
{
    if (type == ATOMIC_STRING) {
        ds_put_cstr(out, a->string);
    } else {
        atom_to_string(a, type, out);
    }
}

static void
list_record(struct vsctl_cmd *cmd, const struct vsctl_row *row, bool first)
{
    const struct vsctl_table *t = row->table;

    if (!first) {
        ds_put_char(&cmd->output, '\n');
    }
    /* --columns prints in the order the user gave. */
    const char *cols = vsctl_cmd_option(cmd, "--columns");
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
        if (vsctl_bare) {
            const struct datum *d = &row->cur[c->idx];
            for (size_t k = 0; k < d->n; k++) {
                ds_put_cstr(&cmd->output, k ? " " : "");
                put_bare_atom(&d->keys[k], c->type.key.type, &cmd->output);
                if (column_type_is_map(&c->type)) {
                    ds_put_char(&cmd->output, '=');
                    put_bare_atom(&d->values[k], c->type.value.type,
                                  &cmd->output);
                }
            }
        } else {
            datum_to_string(&row->cur[c->idx], &c->type, &cmd->output);
        }
        ds_put_char(&cmd->output, '\n');
    }
    free(copy);
}

char *
vsctl_cmd_list(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    cmd->is_table = true;
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
                if (vsctl_cmd_has_option(cmd, "--if-exists")) {
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
evaluate(const char *op, const struct datum *have,
         const struct datum *want, const struct column_type *t)
{
    bool eq = datum_equals(have, want, t);
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
    cmp = atom_compare(&have->keys[0], &want->keys[0], t->key.type);
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
        if (!column_type_is_map(&c->type)) {
            error = xasprintf("cannot specify key to check for non-map column "
                              "%s", c->name);
        } else {
            union atom k;
            struct column_type vt = { .key = c->type.value, .n_min = 0,
                                      .n_max = 1 };
            error = vsctl_atom_from_string(&k, &c->type.key, key, db);
            if (!error) {
                struct datum want;
                const struct datum *d = &row->cur[c->idx];
                size_t idx = datum_find(d, &k, c->type.key.type);
                atom_destroy(&k, c->type.key.type);
                error = vsctl_datum_from_string(&want, &vt, value, db);
                if (!error) {
                    bool found = idx != SIZE_MAX;
                    struct datum have = { found,
                        found ? &d->values[idx] : NULL, NULL };
                    *matchp = found ? evaluate(op, &have, &want, &vt)
                                    : !strcmp(op, "!=");
                    datum_destroy(&want, vt.key.type, vt.value.type);
                }
            }
        }
    } else {
        struct column_type relaxed = column_type_relaxed(&c->type);
        struct datum want;
        error = vsctl_datum_from_string(&want, &relaxed, value, db);
        if (!error) {
            *matchp = evaluate(op, &row->cur[c->idx], &want, &c->type);
            datum_destroy(&want, c->type.key.type, c->type.value.type);
        }
    }
    free(key);
    free(value);
    return error;
}

char *
vsctl_cmd_find(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    cmd->is_table = true;
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

/* Asks the caller to run the whole command line again later while the
 * record is missing or a condition is false. */
char *
vsctl_cmd_wait_until(struct vsctl_cmd *cmd, struct vsctl_db *db)
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
    bool match = row != NULL;
    for (int i = 3; i < cmd->argc && match && !error; i++) {
        error = check_condition(db, row, cmd->argv[i], &match);
    }
    cmd->try_again = !error && !match;
    return error;
}

static char *
set_id_symbol(struct vsctl_cmd *cmd, struct vsctl_db *db,
              const struct uuid *u, struct vsctl_symbol **symp)
{
    const char *id = vsctl_cmd_option(cmd, "--id");

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

char *
vsctl_cmd_get(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    bool if_exists = vsctl_cmd_has_option(cmd, "--if-exists");
    struct vsctl_table *t;
    struct vsctl_row *row;
    struct vsctl_symbol *sym;
    char *error = get_table_row(cmd, db, &t, &row);

    if (error || !row) {
        return error;
    }
    error = set_id_symbol(cmd, db, &row->uuid, &sym);
    for (int i = 3; i < cmd->argc && !error; i++) {
        const struct vsctl_column *c;
        char *key;
        /* As in ovs-vsctl, "get" alone spells _uuid "-uuid" too. */
        const char *arg = (strcasecmp(cmd->argv[i], "-uuid") ? cmd->argv[i]
                           : "_uuid");
        error = parse_column_key_value(arg, t, &c, &key, NULL, NULL, NULL);
        if (error) {
            break;
        }
        const struct datum *d = &row->cur[c->idx];
        if (key) {
            union atom k;
            if (!column_type_is_map(&c->type)) {
                error = xasprintf("cannot specify key to get for non-map "
                                  "column %s", c->name);
            } else if (!(error = vsctl_atom_from_string(&k, &c->type.key, key,
                                                        db))) {
                size_t idx = datum_find(d, &k, c->type.key.type);
                atom_destroy(&k, c->type.key.type);
                if (idx != SIZE_MAX) {
                    atom_to_string(&d->values[idx], c->type.value.type,
                                   &cmd->output);
                } else if (!if_exists) {
                    error = xasprintf("no key \"%s\" in %s record \"%s\" "
                                      "column %s", key, t->name, cmd->argv[2],
                                      c->name);
                }
            }
        } else {
            datum_to_string(d, &c->type, &cmd->output);
        }
        ds_put_char(&cmd->output, '\n');
        free(key);
    }
    return error;
}

char *
vsctl_cmd_set(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    struct vsctl_table *t;
    struct vsctl_row *row;
    char *error = get_table_row(cmd, db, &t, &row);

    if (error || !row) {
        return error;
    }
    for (int i = 3; i < cmd->argc && !error; i++) {
        error = vsctl_set_column(db, row, cmd->argv[i]);
    }
    return error;
}

/* Shared by "add" and "remove": the record and column of argv[1..3]. */
static char *
get_row_column(struct vsctl_cmd *cmd, struct vsctl_db *db,
               struct vsctl_row **rowp, const struct vsctl_column **colp)
{
    struct vsctl_table *t;
    char *error = get_table_row(cmd, db, &t, rowp);

    if (!error && *rowp) {
        error = vsctl_column_find(t, cmd->argv[3], colp);
        if (!error) {
            error = check_mutable(t, *colp);
        }
    }
    return error;
}

/* "add" and "remove": applies each value of argv[4...] to the column of
 * argv[1..3], then checks the number of values against the schema. */
static char *
add_or_remove(struct vsctl_cmd *cmd, struct vsctl_db *db, bool add)
{
    const struct vsctl_column *c;
    struct vsctl_row *row;
    char *error = get_row_column(cmd, db, &row, &c);
    if (error || !row) {
        return error;
    }
    struct datum *cur = &row->cur[c->idx];
    struct column_type relaxed = column_type_relaxed(&c->type);
    for (int i = 4; i < cmd->argc && !error; i++) {
        struct datum d;
        error = vsctl_datum_from_string(&d, &relaxed, cmd->argv[i], db);
        if (!error) {
            if (add) {
                datum_union(cur, &d, &c->type);
            } else {
                datum_subtract(cur, &d, &c->type, false);
            }
            datum_destroy(&d, c->type.key.type, c->type.value.type);
        } else if (!add && column_type_is_map(&c->type)) {
            /* A map also loses entries named by key alone. */
            struct column_type keys = { .key = c->type.key, .n_min = 0,
                                        .n_max = TYPE_UNLIMITED };
            free(error);
            error = vsctl_datum_from_string(&d, &keys, cmd->argv[i], db);
            if (!error) {
                datum_subtract(cur, &d, &c->type, true);
                datum_destroy(&d, keys.key.type, keys.value.type);
            }
        }
    }
    if (!error && (add ? cur->n > c->type.n_max : cur->n < c->type.n_min)) {
        error = xasprintf("\"%s\" operation would put %zu values in column "
                          "%s of table %s but the %s number is %u",
                          add ? "add" : "remove", cur->n, c->name,
                          row->table->name, add ? "maximum" : "minimum",
                          add ? c->type.n_max : c->type.n_min);
    }
    return error;
}

char *
vsctl_cmd_add(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    return add_or_remove(cmd, db, true);
}

char *
vsctl_cmd_remove(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    return add_or_remove(cmd, db, false);
}

char *
vsctl_cmd_clear(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    struct vsctl_table *t;
    struct vsctl_row *row;
    char *error = get_table_row(cmd, db, &t, &row);

    if (error || !row) {
        return error;
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
            struct datum empty;
            datum_init_empty(&empty);
            vsctl_row_set(row, c, &empty);
        }
    }
    return error;
}

char *
vsctl_cmd_create(struct vsctl_cmd *cmd, struct vsctl_db *db)
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
        error = vsctl_set_column(db, row, cmd->argv[i]);
    }
    cmd->created = row;
    return error;
}

char *
vsctl_cmd_destroy(struct vsctl_cmd *cmd, struct vsctl_db *db)
{
    struct vsctl_table *t;
    char *error = vsctl_table_find(db, cmd->argv[1], &t);

    if (error) {
        return error;
    }
    if (vsctl_cmd_has_option(cmd, "--all")) {
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
        } else if (!vsctl_cmd_has_option(cmd, "--if-exists")) {
            return xasprintf("no row \"%s\" in table %s", cmd->argv[i],
                             t->name);
        }
    }
    return NULL;
}

