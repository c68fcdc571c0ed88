/* xvsdb-tool: offline operations on xvsdb database files, as ovsdb-tool
 * does them for Open vSwitch: create a database from a schema, compact,
 * convert to a new schema, show and repair the log, and report the
 * versions of databases and schemas. */
#include <config.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "daemon.h"
#include "db.h"
#include "log.h"
#include "ovsdb-error.h"
#include "ovsdb-lite/storage.pb-c.h"
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
    char *warning;
    char *error = storage_read(file, &db, &warning);
    if (error) {
        xvs_fatal(0, "%s", error);
    }
    if (warning) {
        fprintf(stderr, "%s: %s\n", program_name, warning);
        free(warning);
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

static struct db_schema *
load_schema(const char *file)
{
    json_t *json;
    char *error = storage_read_json(file, &json);
    if (error) {
        xvs_fatal(0, "%s", error);
    }
    struct db_schema *schema;
    json_t *serror = schema_from_json(json, &schema);
    json_decref(json);
    if (serror) {
        char *s = ovsdb_error_to_string(serror);
        xvs_fatal(0, "%s: not a valid schema: %s", file, s);
    }
    return schema;
}

static void
do_compact(int argc, char *argv[])
{
    char *file = arg_or(argc, argv, 1, default_db);
    struct db *db;
    struct storage *storage;
    char *warning;
    char *error = storage_open(file, NULL, NULL, &db, &storage, &warning);
    if (!error) {
        if (warning) {
            fprintf(stderr, "%s: %s\n", program_name, warning);
            free(warning);
        }
        error = (argc > 2 ? storage_write_snapshot(argv[2], db, false)
                 : storage_compact(storage, db));
        storage_close(storage);
        db_destroy(db);
    }
    if (error) {
        xvs_fatal(0, "%s", error);
    }
    free(file);
}

static void
do_needs_conversion(int argc, char *argv[])
{
    struct db *db = load_db(argc, argv);
    char *schema_file = arg_or(argc, argv, 2, default_schema);
    struct db_schema *schema = load_schema(schema_file);
    printf("%s\n", json_equal(db->schema->json, schema->json) ? "no" : "yes");
    schema_destroy(schema);
    db_destroy(db);
    free(schema_file);
}

static void
do_convert(int argc, char *argv[])
{
    char *file = arg_or(argc, argv, 1, default_db);
    char *schema_file = arg_or(argc, argv, 2, default_schema);
    const char *target = argc > 3 ? argv[3] : file;
    char *error = storage_lock(file);
    if (error) {
        xvs_fatal(0, "%s", error);
    }
    struct db *db = load_db(argc, argv);
    struct db_schema *schema = load_schema(schema_file);
    struct db *new;
    json_t *cerror = db_convert(db, schema, &new);
    if (cerror) {
        char *s = ovsdb_error_to_string(cerror);
        xvs_fatal(0, "%s: cannot convert to %s: %s", file, schema_file, s);
    }
    error = storage_write_snapshot(target, new, false);
    if (error) {
        xvs_fatal(0, "%s", error);
    }
    db_destroy(new);
    db_destroy(db);
    free(schema_file);
    free(file);
}

static void
do_repair(int argc, char *argv[])
{
    char *file = arg_or(argc, argv, 1, default_db);
    struct ds report = DS_EMPTY_INITIALIZER;
    bool repaired;
    char *error = storage_repair(file, &report, &repaired);
    fputs(ds_cstr(&report), stdout);
    if (error) {
        xvs_fatal(0, "%s", error);
    }
    if (!repaired) {
        printf("%s: no damage found\n", file);
    }
    ds_destroy(&report);
    free(file);
}

static void
print_time(int64_t msec)
{
    time_t t = msec / 1000;
    struct tm tm;
    char buf[64];
    gmtime_r(&t, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    printf("%s.%03d", buf, (int) (msec % 1000));
}

static void
show_record(const Xvsdb__Record *rec)
{
    static const char *const kinds[] = { "insert", "modify", "delete" };
    if (rec->kind_case == XVSDB__RECORD__KIND_SNAPSHOT) {
        const Xvsdb__Snapshot *snap = rec->snapshot;
        json_t *schema = json_loads(snap->schema_json, 0, NULL);
        const char *name = json_string_value(json_object_get(schema, "name"));
        const char *version = json_string_value(json_object_get(schema,
                                                                "version"));
        printf("snapshot of \"%s\" schema version %s, next transaction "
               "%"PRIu64"\n  data: %s\n", name ? name : "?",
               version ? version : "(none)", snap->next_seq, snap->data_json);
        json_decref(schema);
        return;
    }
    const Xvsdb__Commit *c = rec->commit;
    printf("transaction %"PRIu64" %s, ", c->seq, c->txn_id);
    print_time(c->time_msec);
    if (c->comment) {
        printf(", \"%s\"", c->comment);
    }
    putchar('\n');
    for (size_t i = 0; i < c->n_rows; i++) {
        const Xvsdb__RowChange *rc = c->rows[i];
        char uuid_s[UUID_LEN + 1] = "?";
        if (rc->uuid.len == sizeof(struct uuid)) {
            struct uuid uuid;
            memcpy(&uuid, rc->uuid.data, sizeof uuid);
            uuid_format(&uuid, uuid_s);
        }
        printf("  %s %s %s", rc->table, uuid_s,
               rc->kind < ARRAY_SIZE(kinds) ? kinds[rc->kind] : "?");
        if (rc->columns_json) {
            printf(" %s", rc->columns_json);
        }
        putchar('\n');
    }
}

static void
do_show_log(int argc, char *argv[])
{
    char *file = arg_or(argc, argv, 1, default_db);
    struct log_reader *r;
    char *error = log_reader_open(file, &r);
    if (error) {
        xvs_fatal(0, "%s", error);
    }
    if (!log_reader_has_magic(r)) {
        xvs_fatal(0, "%s: not an xvsdb log", file);
    }
    struct log_item item;
    for (size_t n = 0; log_reader_next(r, &item); n++) {
        printf("record %zu: offset %"PRIu64", %"PRIu64" bytes: ", n,
               item.offset, item.length);
        if (item.damaged) {
            printf("damaged (%s)%s\n", item.reason,
                   item.torn ? ", a torn tail" : ", intact records follow");
            continue;
        }
        Xvsdb__Record *rec = xvsdb__record__unpack(NULL, item.payload_len,
                                                   item.payload);
        if (!rec) {
            printf("not a valid record\n");
            continue;
        }
        show_record(rec);
        xvsdb__record__free_unpacked(rec, NULL);
    }
    log_reader_close(r);
    free(file);
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
           "  compact [DB [DST]]      compact DB in place (or into DST)\n"
           "  needs-conversion [DB [SCHEMA]]  does DB need converting?\n"
           "  convert [DB [SCHEMA [DST]]]  convert DB to SCHEMA, keeping "
           "data\n"
           "  show-log [DB]           print DB's log record by record\n"
           "  repair [DB]             keep every intact record of a damaged "
           "DB\n"
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
        { "compact", 2, do_compact },
        { "needs-conversion", 2, do_needs_conversion },
        { "convert", 3, do_convert },
        { "show-log", 1, do_show_log },
        { "repair", 1, do_repair },
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
