/* test-dp-pmd: a PMD thread that shares its core with the main thread
 * backs off while its upcall queue is half full (datapath/dp-pmd.h).
 *
 * The program pins itself, the main thread, to one core and puts the PMD
 * thread there, queues more misses on a dummy-pmd port than half the
 * upcall queue holds, and sleeps without running its event loop: the
 * PMD, alone on the core, queues the upcalls and must then back off
 * rather than poll on.  Then the event loop runs every upcall: none may
 * have been dropped.  Prints nothing and exits 0, or prints the first
 * failures and exits 1. */
#define _GNU_SOURCE 1
#include <config.h>

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <event2/event.h>
#include "coverage.h"
#include "datapath/dp-pmd.h"
#include "datapath/dpif.h"
#include "evloop.h"
#include "util.h"

#define N_MISSES 200            /* Over half of DP_PMD_UPCALL_SLOTS. */

_Static_assert(N_MISSES > DP_PMD_UPCALL_SLOTS / 2
               && N_MISSES <= DP_PMD_UPCALL_SLOTS,
               "enough misses to fill half the queue, not to overflow it");

static int n_upcalls;

static void
count_upcall(void *aux XVS_UNUSED, const struct flow *flow XVS_UNUSED,
             struct dp_packet *packet XVS_UNUSED,
             struct dp_actions *out XVS_UNUSED,
             struct dp_upcall_install *install XVS_UNUSED)
{
    n_upcalls++;
}

static uint64_t
counter(const char *name)
{
    struct coverage_counter *c = coverage_find(name);
    if (!c) {
        xvs_fatal(0, "no coverage counter %s", name);
    }
    return coverage_total(c);
}

static void
sleep_ms(int ms)
{
    struct timespec ts = { 0, ms * 1000000L };
    nanosleep(&ts, NULL);
}

int
main(int argc XVS_UNUSED, char *argv[])
{
    cpu_set_t cpus;
    char mask[32];
    struct dp *dp;
    uint32_t port_no = 1;
    int core = 0;

    xvs_set_program_name(argv[0]);
    if (sched_getaffinity(0, sizeof cpus, &cpus)) {
        xvs_fatal(errno, "sched_getaffinity");
    }
    while (!CPU_ISSET(core, &cpus)) {
        core++;
    }
    CPU_ZERO(&cpus);
    CPU_SET(core, &cpus);
    if (sched_setaffinity(0, sizeof cpus, &cpus)) {
        xvs_fatal(errno, "sched_setaffinity");
    }
    snprintf(mask, sizeof mask, "0x%llx", 1ULL << core);
    dp_pmd_set_config(mask, DP_PMD_UPCALL_RATE_DEFAULT, 0);
    if (dp_create("t", count_upcall, NULL, &dp)
        || dp_port_add(dp, "p1", "dummy-pmd", NULL, 0, &port_no)) {
        xvs_fatal(0, "cannot create the datapath and its dummy-pmd port");
    }

    /* Every frame from another Ethernet source: a miss each. */
    for (int i = 0; i < N_MISSES; i++) {
        uint8_t frame[60] = { 0x50, 0x54, 0, 0, 0, 2, 0x50, 0x54, 0, 1 };
        frame[10] = i >> 8;
        frame[11] = i;
        frame[12] = 0x08;
        frame[13] = 0x00;
        if (dp_dummy_receive("p1", 0, frame, sizeof frame)) {
            xvs_fatal(0, "dp_dummy_receive failed");
        }
    }
    for (int ms = 0; ms < 10000 && !counter("pmd_upcall_backoff"); ms += 10) {
        sleep_ms(10);
    }
    int failures = 0;
    if (!counter("pmd_upcall_backoff")) {
        fprintf(stderr, "the PMD did not back off in 10 s\n");
        failures++;
    }
    for (int ms = 0; ms < 10000 && n_upcalls < N_MISSES; ms++) {
        event_base_loop(evloop_base(), EVLOOP_NONBLOCK);
        sleep_ms(1);
    }
    if (n_upcalls != N_MISSES) {
        fprintf(stderr, "%d upcalls ran, expected %d\n", n_upcalls, N_MISSES);
        failures++;
    }
    if (counter("datapath_drop_upcall_error")) {
        fprintf(stderr, "%llu upcalls were dropped\n",
                (unsigned long long) counter("datapath_drop_upcall_error"));
        failures++;
    }
    dp_destroy(dp);
    return failures ? 1 : 0;
}
