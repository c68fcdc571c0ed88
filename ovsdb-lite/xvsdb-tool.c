/* xvsdb-tool: offline operations on xvsdb database files, as ovsdb-tool
 * does them for Open vSwitch: create a database from a schema, and report
 * the versions of databases and schemas. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "daemon.h"
#include "db.h"
#include "storage.h"
#include "util.h"

static char *
default_db(void)
{
    return xasprintf("%s/conf.db", xvs_dbdir());
}

static char *
default_schema(void)
{
    return xstrdup(XVS_PKGDATADIR "/vswitch.ovsschema");
}

static char *
arg_or(int argc, char *argv[], int i, char *(*dflt)(void))
{
    return i < argc ? xstrdup(argv[i]) : dflt();
}

static void
do_create(int argc, char *argv[])
{
    char *db = arg_or(argc, argv, 1, default_db);
    char *schema_file = arg_or(argc, argv, 2, default_schema);
    json_t *schema;
    char *error = storage_read_json(schema_file, &schema);
    if (!error) {
        error = storage_create(db, schema);
        json_decref(schema);
    }
    if (error) {
        xvs_fatal(0, "%s", error);
    }
    free(db);
    free(schema_file);
}

static struct db *
load_db(int argc, char *argv[])
{
    char *file = arg_or(argc, argv, 1, default_db);
    struct db *db;
    char *error = storage_load(file, &db);
    if (error) {
        xvs_fatal(0, "%s", error);
    }
    free(file);
    return db;
}

static void
do_db_version(int argc, char *argv[])
{
    struct db *db = load_db(argc, argv);
    printf("%s\n", db->schema->version ? db->schema->version : "");
    db_destroy(db);
}

static void
do_db_name(int argc, char *argv[])
{
    struct db *db = load_db(argc, argv);
    printf("%s\n", db->schema->name);
    db_destroy(db);
}

static void
do_schema_version(int argc, char *argv[])
{
    char *file = arg_or(argc, argv, 1, default_schema);
    json_t *json;
    char *error = storage_read_json(file, &json);
    if (error) {
        xvs_fatal(0, "%s", error);
    }
    struct db_schema *schema;
    json_t *serror = schema_from_json(json, &schema);
    if (serror) {
        xvs_fatal(0, "%s: not a valid schema", file);
    }
    printf("%s\n", schema->version ? schema->version : "");
    schema_destroy(schema);
    json_decref(json);
    free(file);
}

static void
do_show(int argc, char *argv[])
{
    struct db *db = load_db(argc, argv);
    printf("database %s, schema version %s\n", db->schema->name,
           db->schema->version ? db->schema->version : "(none)");
    for (size_t i = 0; i < db->schema->n_tables; i++) {
        size_t n = hmap_count(&db->tables[i].rows);
        if (n) {
            printf("  %s: %zu row%s\n", db->schema->tables[i].name, n,
                   n == 1 ? "" : "s");
        }
    }
    db_destroy(db);
}

static void
usage(void)
{
    printf("%s: xvsdb database management utility\n"
           "usage: %s COMMAND [ARG...]\n"
           "  create [DB [SCHEMA]]    create DB with the given SCHEMA\n"
           "  db-version [DB]         report version of schema used by DB\n"
           "  db-name [DB]            report name of schema used by DB\n"
           "  schema-version [SCHEMA] report SCHEMA's schema version\n"
           "  show [DB]               report the tables and row counts of DB\n"
           "DB defaults to $XVS_DBDIR/conf.db, SCHEMA to %s.\n",
           program_name, program_name, XVS_PKGDATADIR "/vswitch.ovsschema");
    exit(0);
}

int
main(int argc, char *argv[])
{
    static const struct option long_options[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    static const struct {
        const char *name;
        int max_args;
        void (*func)(int argc, char *argv[]);
    } commands[] = {
        { "create", 2, do_create },
        { "db-version", 1, do_db_version },
        { "db-name", 1, do_db_name },
        { "schema-version", 1, do_schema_version },
        { "show", 1, do_show },
    };

    xvs_set_program_name(argv[0]);
    for (;;) {
        int c = getopt_long(argc, argv, "hV", long_options, NULL);
        if (c == -1) {
            break;
        } else if (c == 'h') {
            usage();
        } else if (c == 'V') {
            printf("%s (xvswitch) %s\n", program_name, XVS_VERSION);
            return 0;
        } else {
            return 1;
        }
    }
    argc -= optind;
    argv += optind;
    if (argc < 1) {
        xvs_fatal(0, "missing command name; use --help for help");
    }
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        if (!strcmp(argv[0], commands[i].name)) {
            if (argc - 1 > commands[i].max_args) {
                xvs_fatal(0, "'%s' command takes at most %d arguments",
                          argv[0], commands[i].max_args);
            }
            commands[i].func(argc, argv);
            return 0;
        }
    }
    xvs_fatal(0, "unknown command '%s'; use --help for help", argv[0]);
}
