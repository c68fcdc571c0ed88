/* coverage: named event counters, as Open vSwitch's "coverage/show".
 *
 * A counter is defined in the file where its event happens, once, with
 * COVERAGE_DEFINE(name) at file scope, and bumped there with
 * COVERAGE_INC(name) or COVERAGE_ADD(name, n).  There is no central list:
 * each definition registers itself from a constructor before main() runs,
 * as vlog modules do.  Names are global (the counter is an extern object),
 * so defining one name twice is a link error rather than two rows.
 *
 * Increments are safe from any thread and take no lock: every thread owns
 * an array with one slot per counter, allocated at its first increment;
 * only the owner writes its slots (a relaxed load and store, no locked
 * instruction), and readers add up all threads' slots.  A thread that
 * exits folds its counts into a shared array first, so totals never go
 * back.  The set of counters is fixed once main() starts: a counter must
 * not be defined in code loaded later.
 *
 * Rates: coverage_run(), called once a second from the main loop (the
 * timer coverage_init() starts) and before each report, samples every
 * counter's total.  It keeps the last 60 per-second deltas and the last 60
 * per-minute sums, so "coverage/show" prints per counter the average rate
 * over the last 5 seconds, the last minute and the last hour, then its
 * total.  Samples follow time_msec(), so "time/stop" and "time/warp" make
 * rates exact in tests; a clock jump of many seconds counts as seconds
 * without events followed by one second holding everything seen since the
 * previous sample.
 *
 * Not done yet: Open vSwitch also logs all counters when one main loop
 * iteration takes unusually long; xvs-vswitchd has no such watchdog. */
#ifndef XVS_COVERAGE_H
#define XVS_COVERAGE_H 1

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define COVERAGE_SECS 60        /* Per-second samples kept. */
#define COVERAGE_MINS 60        /* Per-minute samples kept. */

struct coverage_counter {
    const char *name;
    unsigned int idx;           /* Slot in every thread's array. */
    struct coverage_counter *next;      /* All counters, for the report. */

    /* Main thread only: sampling state for the rates. */
    uint64_t sampled;           /* Total at the last sample. */
    uint64_t secs[COVERAGE_SECS];
    uint64_t mins[COVERAGE_MINS];
};

void coverage_register(struct coverage_counter *);

#define COVERAGE_DEFINE(NAME)                                               \
    extern struct coverage_counter coverage_counter_##NAME;                 \
    struct coverage_counter coverage_counter_##NAME = { .name = #NAME };    \
    static void coverage_init_##NAME(void) __attribute__((constructor));    \
    static void                                                             \
    coverage_init_##NAME(void)                                              \
    {                                                                       \
        coverage_register(&coverage_counter_##NAME);                        \
    }

#define COVERAGE_ADD(NAME, N) coverage_add(&coverage_counter_##NAME, N)
#define COVERAGE_INC(NAME) COVERAGE_ADD(NAME, 1)

/* This thread's slots, NULL until its first increment. */
extern __thread _Atomic uint64_t *coverage_thread_slots;
_Atomic uint64_t *coverage_thread_attach(void);

static inline void
coverage_add(struct coverage_counter *c, uint64_t n)
{
    _Atomic uint64_t *slots = coverage_thread_slots;
    if (!slots) {
        slots = coverage_thread_attach();
    }
    /* Only this thread writes the slot, so load-add-store cannot lose an
     * update; relaxed atomics only keep concurrent readers well-defined. */
    uint64_t v = atomic_load_explicit(&slots[c->idx], memory_order_relaxed);
    atomic_store_explicit(&slots[c->idx], v + n, memory_order_relaxed);
}

/* The sum over all threads, live. */
uint64_t coverage_total(const struct coverage_counter *);
/* The counter called 'name', or NULL. */
struct coverage_counter *coverage_find(const char *name);

/* Takes the samples due by time_msec().  Main thread only. */
void coverage_run(void);
/* The "coverage/show" text, malloc'd (samples first). */
char *coverage_show(void);

/* Registers "coverage/show" and "coverage/read-counter" and starts the
 * once-a-second sampling timer on evloop. */
void coverage_init(void);

#endif
