/* memory: reporters, the sorted "key:count" line and its logging (see
 * memory.h). */
#include <config.h>
#include "memory.h"
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include "evloop.h"
#include "unixctl.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(memory);

struct memory_reporter {
    memory_report_func *cb;
    void *aux;
};

static struct memory_reporter *reporters;
static size_t n_reporters, allocated_reporters;

struct memory_item {
    const char *key;
    unsigned long long int n;
};

struct memory_usage {
    struct memory_item *items;
    size_t n, allocated;
};

/* How often memory_run() looks at the peak resident set size. */
#define MEMORY_CHECK_MSEC 10000

/* Peak RSS (kB) at the last log, 0 before the first. */
static long int logged_rss;
static long long int logged_msec;      /* Start-up, then the last log. */
static long long int next_check_msec;

void
memory_register(memory_report_func *cb, void *aux)
{
    if (n_reporters >= allocated_reporters) {
        allocated_reporters = allocated_reporters * 2 + 4;
        reporters = xrealloc(reporters,
                             allocated_reporters * sizeof *reporters);
    }
    reporters[n_reporters++] = (struct memory_reporter) { cb, aux };
}

void
memory_unregister(memory_report_func *cb, void *aux)
{
    for (size_t i = 0; i < n_reporters; i++) {
        if (reporters[i].cb == cb && reporters[i].aux == aux) {
            reporters[i] = reporters[--n_reporters];
            return;
        }
    }
}

void
memory_add(struct memory_usage *u, const char *key, unsigned long long int n)
{
    for (size_t i = 0; i < u->n; i++) {
        if (!strcmp(u->items[i].key, key)) {
            u->items[i].n += n;
            return;
        }
    }
    if (u->n >= u->allocated) {
        u->allocated = u->allocated * 2 + 8;
        u->items = xrealloc(u->items, u->allocated * sizeof *u->items);
    }
    u->items[u->n++] = (struct memory_item) { key, n };
}

static int
compare_items(const void *a_, const void *b_)
{
    const struct memory_item *a = a_, *b = b_;
    return strcmp(a->key, b->key);
}

char *
memory_show(void)
{
    struct memory_usage u = { NULL, 0, 0 };
    struct ds s;

    for (size_t i = 0; i < n_reporters; i++) {
        reporters[i].cb(&u, reporters[i].aux);
    }
    if (u.n) {
        qsort(u.items, u.n, sizeof *u.items, compare_items);
    }
    ds_init(&s);
    for (size_t i = 0; i < u.n; i++) {
        ds_put_format(&s, "%s%s:%llu", i ? " " : "", u.items[i].key,
                      u.items[i].n);
    }
    free(u.items);
    return ds_steal_cstr(&s);
}

static long int
memory_peak_rss_kb(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) ? 0 : ru.ru_maxrss;
}

static void
memory_run(void)
{
    long long int now = time_msec();
    if (now < next_check_msec) {
        return;
    }
    next_check_msec = now + MEMORY_CHECK_MSEC;

    long int rss = memory_peak_rss_kb();
    double secs = (now - logged_msec) / 1000.0;

    if (!logged_rss) {
        VLOG_INFO("%ld kB peak resident set size after %.1f seconds",
                  rss, secs);
    } else if (rss >= logged_rss + logged_rss / 2) {
        VLOG_INFO("peak resident set size grew %ld%% in last %.1f seconds, "
                  "from %ld kB to %ld kB",
                  (rss - logged_rss) * 100 / logged_rss, secs, logged_rss,
                  rss);
    } else {
        return;
    }
    logged_rss = rss ? rss : 1;
    logged_msec = now;

    char *line = memory_show();
    VLOG_INFO("%s", line);
    free(line);
}

static void
memory_show_cb(struct unixctl_conn *conn, int argc XVS_UNUSED,
               const char *argv[] XVS_UNUSED, void *aux XVS_UNUSED)
{
    char *line = memory_show();
    char *reply = xasprintf("%s\n", line);
    unixctl_command_reply(conn, reply);
    free(reply);
    free(line);
}

static void
memory_timer_cb(void *aux XVS_UNUSED)
{
    memory_run();
}

void
memory_init(void)
{
    logged_msec = time_msec();
    next_check_msec = logged_msec + MEMORY_CHECK_MSEC;
    unixctl_command_register("memory/show", "", 0, 0, memory_show_cb, NULL);
    evloop_timer(1000, true, memory_timer_cb, NULL);
}
