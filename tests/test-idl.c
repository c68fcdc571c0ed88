/* test-idl: drives the client IDL (ovsdb-lite/idl.h) through a script of
 * steps given on the command line, printing what the replica holds, so
 * that tests/ovsdb.at can check sync, updates, transactions and resync
 * after a server restart.
 *
 * usage: test-idl SERVER TABLE[:COL,COL...] STEP...
 * steps:  sync         wait until the first (or next) full sync
 *         resync       wait until the connection dropped and synced again
 *         change       wait until the replica changes
 *         contains:S   wait until some row's JSON contains S
 *         print        print the table's rows, sorted
 *         txn:OPS      submit OPS (a JSON array), print the result
 * Exits 1 if the script does not finish within 20 seconds. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "evloop.h"
#include "ovsdb-lite/idl.h"
#include "util.h"

static struct idl *idl;
static const char *table;
static char **steps;
static int n_steps, step;
static unsigned int seen_seqno;
static bool was_unsynced;
static bool txn_busy;

static int
compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

static void
print_rows(void)
{
    const struct hmap *rows = idl_table_rows(idl, table);
    char **lines = xcalloc(hmap_count(rows) + 1, sizeof *lines);
    size_t n = 0;
    const struct idl_row *row;
    HMAP_FOR_EACH (row, node, rows) {
        char *cols = json_dumps(row->columns, JSON_COMPACT | JSON_SORT_KEYS);
        lines[n++] = xasprintf("%s %s", table, cols);
        free(cols);
    }
    qsort(lines, n, sizeof *lines, compare_strings);
    for (size_t i = 0; i < n; i++) {
        printf("%s\n", lines[i]);
        free(lines[i]);
    }
    free(lines);
    fflush(stdout);
}

static bool
rows_contain(const char *text)
{
    const struct idl_row *row;
    bool found = false;
    HMAP_FOR_EACH (row, node, idl_table_rows(idl, table)) {
        char *cols = json_dumps(row->columns, JSON_COMPACT);
        found |= strstr(cols, text) != NULL;
        free(cols);
    }
    return found;
}

static void
txn_done(const json_t *result, const char *error, void *aux XVS_UNUSED)
{
    if (error) {
        printf("txn error: %s\n", error);
    } else {
        char *s = json_dumps(result, JSON_COMPACT | JSON_SORT_KEYS);
        printf("txn result: %s\n", s);
        free(s);
    }
    fflush(stdout);
    txn_busy = false;
    step++;
}

/* Runs steps until one has to wait. */
static void
run_steps(void)
{
    while (step < n_steps && !txn_busy) {
        const char *s = steps[step];
        if (!idl_is_synced(idl)) {
            was_unsynced = true;
        }
        if (!strcmp(s, "sync")) {
            if (!idl_is_synced(idl)) {
                return;
            }
            seen_seqno = idl_seqno(idl);
        } else if (!strcmp(s, "resync")) {
            if (!was_unsynced || !idl_is_synced(idl)) {
                return;
            }
            seen_seqno = idl_seqno(idl);
        } else if (!strcmp(s, "change")) {
            if (idl_seqno(idl) == seen_seqno) {
                return;
            }
            seen_seqno = idl_seqno(idl);
        } else if (!strncmp(s, "contains:", 9)) {
            if (!rows_contain(s + 9)) {
                return;
            }
        } else if (!strcmp(s, "print")) {
            print_rows();
        } else if (!strncmp(s, "txn:", 4)) {
            json_error_t jerr;
            json_t *ops = json_loads(s + 4, 0, &jerr);
            if (!ops) {
                xvs_fatal(0, "bad txn: %s", jerr.text);
            }
            txn_busy = true;
            if (idl_txn_submit(idl, ops, txn_done, NULL)) {
                xvs_fatal(0, "idl_txn_submit failed");
            }
            return;
        } else {
            xvs_fatal(0, "unknown step %s", s);
        }
        if (!strcmp(s, "sync") || !strcmp(s, "resync")) {
            was_unsynced = false;
        }
        step++;
    }
    if (step >= n_steps) {
        evloop_exit();
    }
}

static void
on_change(struct idl *idl_ XVS_UNUSED, void *aux XVS_UNUSED)
{
    run_steps();
}

static void
on_tick(void *aux XVS_UNUSED)
{
    run_steps();
}

static void
on_timeout(void *aux XVS_UNUSED)
{
    xvs_fatal(0, "timed out at step %d (%s)", step, steps[step]);
}

int
main(int argc, char *argv[])
{
    xvs_set_program_name(argv[0]);
    if (argc < 4) {
        xvs_fatal(0, "usage: %s SERVER TABLE[:COLUMNS] STEP...", argv[0]);
    }
    char *spec = xstrdup(argv[2]);
    char *colon = strchr(spec, ':');
    const char **columns = NULL;
    if (colon) {
        *colon = '\0';
        columns = xcalloc(strlen(colon + 1) + 2, sizeof *columns);
        size_t n = 0;
        char *save = NULL;
        for (char *tok = strtok_r(colon + 1, ",", &save); tok;
             tok = strtok_r(NULL, ",", &save)) {
            columns[n++] = tok;
        }
    }
    table = spec;
    steps = argv + 3;
    n_steps = argc - 3;

    idl = idl_create(argv[1], "Open_vSwitch", on_change, NULL);
    idl_add_table(idl, table, columns);
    idl_start(idl);
    struct event *tick = evloop_timer(50, true, on_tick, NULL);
    struct event *timeout = evloop_timer(20000, false, on_timeout, NULL);
    evloop_run();
    event_free(tick);
    event_free(timeout);
    idl_destroy(idl);
    free(columns);
    free(spec);
    return 0;
}
