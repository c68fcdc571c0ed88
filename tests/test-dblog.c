/* test-dblog: every single-byte corruption and every truncation of a
 * database log is noticed.
 *
 * "test-dblog DIR" writes a small database log in DIR through the storage
 * module (a snapshot and a few transactions), then, for every byte of the
 * file, replays a copy with that byte's bits inverted, and for every
 * length, a copy cut to that length.  A flipped byte must make the replay
 * fail or report a torn tail, never give back data silently; a cut must
 * either end at a record boundary (the earlier records replay, as if the
 * later ones had never been written) or be reported as a torn tail.
 * Prints "N flips, N cuts: OK" or what went wrong, and exits 1. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "db.h"
#include "hmap.h"
#include "log.h"
#include "storage.h"
#include "txn.h"
#include "util.h"

static const char schema_text[] =
    "{\"name\": \"T\", \"version\": \"1.0.0\", \"tables\": {"
    " \"R\": {\"isRoot\": true, \"columns\": {"
    "  \"n\": {\"type\": \"integer\"},"
    "  \"s\": {\"type\": {\"key\": \"string\", \"min\": 0,"
    "         \"max\": \"unlimited\"}}}}}}";

static void
check(bool ok, const char *what, size_t where)
{
    if (!ok) {
        fprintf(stderr, "test-dblog: %s (at %zu)\n", what, where);
        exit(1);
    }
}

/* Writes the log: a snapshot, then inserts, an update and a delete. */
static void
write_log(const char *path)
{
    json_t *schema = json_loads(schema_text, 0, NULL);
    char *error = storage_create(path, schema);
    json_decref(schema);
    struct db *db;
    struct storage *storage;
    char *warning;
    if (!error) {
        error = storage_open(path, NULL, NULL, &db, &storage, &warning);
    }
    check(!error, error ? error : "", 0);
    static const char *const txns[] = {
        "[{\"op\":\"insert\",\"table\":\"R\",\"row\":{\"n\":1,"
        "\"s\":[\"set\",[\"a\",\"b\"]]}}]",
        "[{\"op\":\"insert\",\"table\":\"R\",\"row\":{\"n\":2}},"
        "{\"op\":\"comment\",\"comment\":\"second\"}]",
        "[{\"op\":\"update\",\"table\":\"R\",\"where\":[[\"n\",\"==\",1]],"
        "\"row\":{\"s\":\"c\"}}]",
        "[{\"op\":\"delete\",\"table\":\"R\",\"where\":[[\"n\",\"==\",2]]}]",
    };
    for (size_t i = 0; i < ARRAY_SIZE(txns); i++) {
        json_t *ops = json_loads(txns[i], 0, NULL);
        struct txn *txn = txn_create(db);
        long long retry;
        check(txn_run(txn, ops, 0, &retry) == TXN_PREPARED,
              "transaction failed", i);
        char id[UUID_LEN + 1];
        struct uuid uuid;
        uuid_generate(&uuid);
        uuid_format(&uuid, id);
        error = storage_write_txn(storage, txn, id);
        check(!error, "write failed", i);
        txn_commit(txn);
        txn_destroy(txn);
        json_decref(ops);
    }
    check(!storage_sync(storage), "sync failed", 0);
    storage_close(storage);
    db_destroy(db);
}

static char *
read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    check(f != NULL, "cannot read the log", 0);
    fseek(f, 0, SEEK_END);
    *len = ftell(f);
    rewind(f);
    char *data = xmalloc(*len + 1);
    check(fread(data, 1, *len, f) == *len, "short read", 0);
    fclose(f);
    return data;
}

static void
write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    check(f && fwrite(data, 1, len, f) == len && !fclose(f),
          "cannot write a copy", len);
}

/* Replays 'path': 0 if it replayed without a word, 1 if it reported a torn
 * tail, 2 if it failed. */
static int
replay(const char *path, size_t *n_rows)
{
    struct db *db;
    char *warning;
    char *error = storage_read(path, &db, &warning);
    if (error) {
        free(error);
        return 2;
    }
    *n_rows = hmap_count(&db->tables[0].rows);
    db_destroy(db);
    free(warning);
    return warning ? 1 : 0;
}

/* The offsets where records end, from a clean read of the log. */
static bool
is_boundary(const char *path, size_t len)
{
    struct log_reader *r;
    check(!log_reader_open(path, &r), "cannot open the log", 0);
    struct log_item item;
    bool found = len == 0;
    while (!found && log_reader_next(r, &item)) {
        found = item.offset + item.length == len;
    }
    log_reader_close(r);
    return found;
}

int
main(int argc, char *argv[])
{
    xvs_set_program_name(argv[0]);
    if (argc != 2) {
        xvs_fatal(0, "usage: %s DIR", argv[0]);
    }
    char *path = xasprintf("%s/db", argv[1]);
    char *copy = xasprintf("%s/copy", argv[1]);
    write_log(path);
    size_t len;
    char *data = read_file(path, &len);
    size_t n_rows;
    check(replay(path, &n_rows) == 0 && n_rows == 1, "clean replay", 0);

    for (size_t i = 0; i < len; i++) {
        data[i] ^= 0x01;
        write_file(copy, data, len);
        data[i] ^= 0x01;
        check(replay(copy, &n_rows) != 0, "a flipped byte went unnoticed", i);
    }
    size_t n_cuts = 0;
    for (size_t cut = 1; cut < len; cut++) {
        write_file(copy, data, cut);
        int result = replay(copy, &n_rows);
        if (is_boundary(path, cut)) {
            check(result == 0, "a cut at a record boundary was refused",
                  cut);
        } else {
            /* Inside the snapshot nothing can replay; later, the cut
             * record is a torn tail. */
            check(result != 0, "a cut inside a record went unnoticed", cut);
        }
        n_cuts++;
    }
    unlink(copy);
    unlink(path);
    printf("%zu flips, %zu cuts: OK\n", len, n_cuts);
    free(data);
    free(copy);
    free(path);
    return 0;
}
