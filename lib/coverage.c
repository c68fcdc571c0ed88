/* coverage: per-thread event counters, their registry, the once-a-second
 * sampler behind the rates, and the control commands (see coverage.h). */
#include <config.h>
#include "coverage.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "evloop.h"
#include "list.h"
#include "unixctl.h"
#include "util.h"

/* The registry: filled by constructors before main(), read-only after. */
static struct coverage_counter *counters;
static unsigned int n_counters;

/* One per thread that ever counted, in 'threads' while it lives. */
struct coverage_thread {
    struct xvs_list node;
    _Atomic uint64_t slots[];
};

__thread _Atomic uint64_t *coverage_thread_slots;

/* Guards 'threads' and 'retired' (never taken to increment). */
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static struct xvs_list threads = XVS_LIST_INITIALIZER(&threads);
static uint64_t *retired;       /* Counts of exited threads, per counter. */
static pthread_key_t thread_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

/* Sampler state (main thread). */
static bool sampling;                   /* Set by the first coverage_run(). */
static long long int sample_msec;       /* When the last sample was due. */
static unsigned long long n_samples;    /* Seconds sampled so far. */

void
coverage_register(struct coverage_counter *c)
{
    c->idx = n_counters++;
    c->next = counters;
    counters = c;
}

/* Runs as a thread exits: its counts move to 'retired'. */
static void
coverage_thread_exit(void *t_)
{
    struct coverage_thread *t = t_;

    pthread_mutex_lock(&mutex);
    for (unsigned int i = 0; i < n_counters; i++) {
        retired[i] += atomic_load_explicit(&t->slots[i],
                                           memory_order_relaxed);
    }
    xvs_list_remove(&t->node);
    pthread_mutex_unlock(&mutex);
    free(t);
}

static void
coverage_make_key(void)
{
    if (pthread_key_create(&thread_key, coverage_thread_exit)) {
        abort();
    }
}

_Atomic uint64_t *
coverage_thread_attach(void)
{
    struct coverage_thread *t = xzalloc(sizeof *t
                                        + n_counters * sizeof t->slots[0]);

    pthread_once(&key_once, coverage_make_key);
    pthread_setspecific(thread_key, t);

    pthread_mutex_lock(&mutex);
    if (!retired) {
        retired = xcalloc(n_counters ? n_counters : 1, sizeof *retired);
    }
    xvs_list_push_back(&threads, &t->node);
    pthread_mutex_unlock(&mutex);

    coverage_thread_slots = t->slots;
    return t->slots;
}

uint64_t
coverage_total(const struct coverage_counter *c)
{
    uint64_t sum = 0;
    struct coverage_thread *t;

    pthread_mutex_lock(&mutex);
    if (retired) {
        sum = retired[c->idx];
    }
    XVS_LIST_FOR_EACH (t, node, &threads) {
        sum += atomic_load_explicit(&t->slots[c->idx], memory_order_relaxed);
    }
    pthread_mutex_unlock(&mutex);
    return sum;
}

struct coverage_counter *
coverage_find(const char *name)
{
    for (struct coverage_counter *c = counters; c; c = c->next) {
        if (!strcmp(c->name, name)) {
            return c;
        }
    }
    return NULL;
}

/* Records second number 'sec' of counter 'c' as 'delta' events; the last
 * second of each minute also closes that minute. */
static void
coverage_push_second(struct coverage_counter *c, unsigned long long sec,
                     uint64_t delta)
{
    c->secs[sec % COVERAGE_SECS] = delta;
    if (sec % COVERAGE_SECS == COVERAGE_SECS - 1) {
        uint64_t sum = 0;
        for (int i = 0; i < COVERAGE_SECS; i++) {
            sum += c->secs[i];
        }
        c->mins[(sec / COVERAGE_SECS) % COVERAGE_MINS] = sum;
    }
}

void
coverage_run(void)
{
    long long int now = time_msec();

    if (!sampling) {
        sampling = true;
        sample_msec = now;
        return;
    }
    long long int elapsed = (now - sample_msec) / 1000;
    if (elapsed <= 0) {
        return;
    }
    sample_msec += elapsed * 1000;

    /* Beyond an hour and a minute every kept sample would be zero but the
     * last, so a longer gap is pushed as exactly that long. */
    long long int n = XVS_MIN(elapsed,
                              (long long int) COVERAGE_SECS * (COVERAGE_MINS + 1));
    for (struct coverage_counter *c = counters; c; c = c->next) {
        uint64_t total = coverage_total(c);
        uint64_t delta = total - c->sampled;
        c->sampled = total;
        for (long long int i = 0; i < n; i++) {
            coverage_push_second(c, n_samples + i, i == n - 1 ? delta : 0);
        }
    }
    n_samples += n;
}

static int
compare_counters(const void *a_, const void *b_)
{
    const struct coverage_counter *const *a = a_;
    const struct coverage_counter *const *b = b_;
    return strcmp((*a)->name, (*b)->name);
}

/* Events per second: the last 5 seconds, minute and hour. */
static void
coverage_rates(const struct coverage_counter *c, double rates[3])
{
    uint64_t last5 = 0, minute = 0, hour = 0;

    for (unsigned long long i = 1; i <= 5 && i <= n_samples; i++) {
        last5 += c->secs[(n_samples - i) % COVERAGE_SECS];
    }
    for (int i = 0; i < COVERAGE_SECS; i++) {
        minute += c->secs[i];
    }
    for (int i = 0; i < COVERAGE_MINS; i++) {
        hour += c->mins[i];
    }
    rates[0] = last5 / 5.0;
    rates[1] = minute / (double) COVERAGE_SECS;
    rates[2] = hour / (COVERAGE_MINS * (double) COVERAGE_SECS);
}

char *
coverage_show(void)
{
    struct coverage_counter **sorted = xcalloc(n_counters ? n_counters : 1,
                                               sizeof *sorted);
    size_t n = 0, n_never = 0;
    uint32_t hash = 0;
    struct ds body, out;

    coverage_run();
    for (struct coverage_counter *c = counters; c; c = c->next) {
        sorted[n++] = c;
    }
    qsort(sorted, n, sizeof *sorted, compare_counters);

    ds_init(&body);
    for (size_t i = 0; i < n; i++) {
        const struct coverage_counter *c = sorted[i];
        uint64_t total = coverage_total(c);
        if (!total) {
            n_never++;
            continue;
        }
        double rates[3];
        coverage_rates(c, rates);
        ds_put_format(&body, "%-24s %5.1f/sec %9.3f/sec %13.4f/sec   "
                      "total: %llu\n", c->name, rates[0], rates[1], rates[2],
                      (unsigned long long) total);
        /* The hash names the set of events seen, so two reports with
         * the same hash list the same rows. */
        hash = hash_string(c->name, hash);
    }
    free(sorted);

    ds_init(&out);
    ds_put_format(&out, "Event coverage, avg rate over last: 5 seconds, "
                  "last minute, last hour,  hash=%08x:\n", (unsigned) hash);
    ds_put_cstr(&out, ds_cstr(&body));
    ds_put_format(&out, "%zu events never hit\n", n_never);
    ds_destroy(&body);
    return ds_steal_cstr(&out);
}

static void
coverage_show_cb(struct unixctl_conn *conn, int argc XVS_UNUSED,
                 const char *argv[] XVS_UNUSED, void *aux XVS_UNUSED)
{
    char *text = coverage_show();
    unixctl_command_reply(conn, text);
    free(text);
}

static void
coverage_read_counter_cb(struct unixctl_conn *conn, int argc XVS_UNUSED,
                         const char *argv[], void *aux XVS_UNUSED)
{
    const struct coverage_counter *c = coverage_find(argv[1]);
    if (!c) {
        unixctl_command_reply_error(conn, "No such counter");
        return;
    }
    char *text = xasprintf("%llu\n", (unsigned long long) coverage_total(c));
    unixctl_command_reply(conn, text);
    free(text);
}

static void
coverage_timer_cb(void *aux XVS_UNUSED)
{
    coverage_run();
}

void
coverage_init(void)
{
    unixctl_command_register("coverage/show", "", 0, 0, coverage_show_cb,
                             NULL);
    unixctl_command_register("coverage/read-counter", "COUNTER", 1, 1,
                             coverage_read_counter_cb, NULL);
    coverage_run();
    evloop_timer(1000, true, coverage_timer_cb, NULL);
}
