/* dp-pmd: a datapath's PMD threads; see dp-pmd.h.
 *
 * Reconfiguration is simple rather than clever: when the set of cores
 * changes, every thread is stopped (its cache flushed first, so its
 * owners go back on the main thread) and the new set started; queue
 * assignment is recomputed under every lock on any change. */
#define _GNU_SOURCE 1
#include <config.h>
#include "dp-pmd.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <event2/event.h>
#include "coverage.h"
#include "dp-megaflow.h"
#include "dpif-private.h"
#include "evloop.h"
#include "port-provider.h"
#include "token-bucket.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(dp_pmd);

COVERAGE_DEFINE(datapath_drop_upcall_error);
COVERAGE_DEFINE(pmd_upcall_backoff);

struct upcall_slot {
    struct dp_rxq *rxq;         /* NULL once its port went away. */
    uint32_t in_port;
    uint32_t len;
    struct flow flow;
    struct dp_key key;
    uint8_t data[DP_PACKET_MAX_LEN];
};

/* Counters that pmd-stats-clear resets (by remembering them). */
struct pmd_counters {
    uint64_t emc_hits, megaflow_hits, misses, failed;
    uint64_t tx_batches, tx_packets;
    uint64_t idle_cycles, proc_cycles;
    uint64_t revalidated, reval_modified, reval_deleted;
    uint64_t kernel_hits;
};

struct dp_pmd {
    struct dp_pmds *pmds;
    struct dp_thread t;
    int core;
    bool isolated;
    pthread_t thread;
    bool started;
    pthread_mutex_t mutex;
    int main_wants;             /* Atomic: the main thread waits. */
    int exit;                   /* Atomic: stop. */
    bool shares_core;           /* The main thread may run only on 'core'. */
    int backing_off;            /* Atomic: asleep until upcalls are run. */

    /* Under 'mutex'. */
    struct dp_rxq **polls;
    size_t n_polls;
    struct token_bucket upcall_tb;
    unsigned int sleep_us;
    uint64_t idle_cycles, proc_cycles, failed;
    struct pmd_counters cleared;

    /* Upcall queue: the PMD writes slots and 'tail', the main thread reads
     * them and writes 'head' (both atomic, free-running). */
    struct upcall_slot *slots;
    unsigned int head, tail;
};

struct dp_pmds {
    struct dp *dp;
    struct dp_pmd **pmds;
    size_t n;
    int efd;                    /* Upcalls are waiting. */
    struct event *ev;
    size_t next_drain;          /* Round robin start. */
};

/* Global configuration. */
static char *cfg_mask;
static unsigned int cfg_upcall_rate = DP_PMD_UPCALL_RATE_DEFAULT;
static unsigned int cfg_sleep_us;

static uint64_t
cycles_now(void)
{
#if defined(__x86_64__) || defined(__i386__)
    return __builtin_ia32_rdtsc();
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
#endif
}

/* ---- Locking. ---- */

void
dp_pmd_lock(struct dp_pmd *pmd)
{
    __atomic_add_fetch(&pmd->main_wants, 1, __ATOMIC_SEQ_CST);
    pthread_mutex_lock(&pmd->mutex);
    __atomic_sub_fetch(&pmd->main_wants, 1, __ATOMIC_SEQ_CST);
}

void
dp_pmd_unlock(struct dp_pmd *pmd)
{
    pthread_mutex_unlock(&pmd->mutex);
}

void
dp_pmds_lock_all(struct dp_pmds *pmds)
{
    for (size_t i = 0; i < pmds->n; i++) {
        dp_pmd_lock(pmds->pmds[i]);
    }
}

void
dp_pmds_unlock_all(struct dp_pmds *pmds)
{
    for (size_t i = 0; i < pmds->n; i++) {
        dp_pmd_unlock(pmds->pmds[i]);
    }
}

size_t
dp_pmds_count(const struct dp_pmds *pmds)
{
    return pmds->n;
}

struct dp_pmd *
dp_pmds_get(const struct dp_pmds *pmds, size_t i)
{
    return pmds->pmds[i];
}

struct dp_megaflows *
dp_pmd_megaflows(struct dp_pmd *pmd)
{
    return pmd->t.megaflows;
}

int
dp_pmd_core(const struct dp_pmd *pmd)
{
    return pmd->core;
}

/* ---- The PMD thread. ---- */

static void
pmd_poll_once(struct dp_pmd *pmd)
{
    struct dp *dp = pmd->pmds->dp;
    uint64_t start = cycles_now(), now;
    bool busy = false;

    for (size_t i = 0; i < pmd->n_polls; i++) {
        struct dp_rxq *rxq = pmd->polls[i];
        struct dp_port *port = rxq->port;
        struct dp_packet_batch batch;

        now = cycles_now();
        batch.count = 0;
        int errors = port->class->recv(port->state, rxq->qid, &pmd->t.pool,
                                       &batch);
        if (errors > 0) {
            __atomic_add_fetch(&port->rx_errors, errors, __ATOMIC_RELAXED);
        }
        if (batch.count) {
            dp_thread_input(dp, &pmd->t, port, rxq, &batch);
            rxq->cycles += cycles_now() - now;
            busy = true;
        }
    }
    now = cycles_now();
    if (busy) {
        pmd->proc_cycles += now - start;
    } else {
        pmd->idle_cycles += now - start;
    }
}

/* A PMD that shares its core with the main thread, whose upcall queue is
 * half full, sleeps until the main thread has run a pass of them (or a
 * millisecond at most).  Polling on would only take the core from the
 * main thread, to fill the queue with misses that have no slot: the
 * scheduler gives a busy-polling thread half the core, and the upcalls
 * would run at half the rate they can.  (Open vSwitch translates on the
 * PMD, which stops polling for as long by itself.)  A PMD with a core of
 * its own never waits for the main thread. */
static void
pmd_back_off(struct dp_pmd *pmd)
{
    /* 'backing_off' first, 'head' after, against drain_upcalls()'s store
     * of 'head' and then load of 'backing_off' (all seq_cst): either it
     * wakes us, or we read the 'head' it stored and do not sleep on an
     * old one. */
    __atomic_store_n(&pmd->backing_off, 1, __ATOMIC_SEQ_CST);
    unsigned int head = __atomic_load_n(&pmd->head, __ATOMIC_SEQ_CST);
    if (pmd->tail - head >= DP_PMD_UPCALL_SLOTS / 2) {
        struct timespec timeout = { 0, 1000000 };
        COVERAGE_INC(pmd_upcall_backoff);
        syscall(SYS_futex, &pmd->head, FUTEX_WAIT_PRIVATE, head, &timeout,
                NULL, 0);
    }
    __atomic_store_n(&pmd->backing_off, 0, __ATOMIC_SEQ_CST);
}

static void *
pmd_main(void *pmd_)
{
    struct dp_pmd *pmd = pmd_;
    cpu_set_t set;

    CPU_ZERO(&set);
    CPU_SET(pmd->core, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
    for (;;) {
        while (__atomic_load_n(&pmd->main_wants, __ATOMIC_SEQ_CST)) {
            sched_yield();
        }
        pthread_mutex_lock(&pmd->mutex);
        if (__atomic_load_n(&pmd->exit, __ATOMIC_SEQ_CST)) {
            pthread_mutex_unlock(&pmd->mutex);
            break;
        }
        uint64_t idle = pmd->idle_cycles;
        pmd_poll_once(pmd);
        bool was_idle = idle != pmd->idle_cycles;
        unsigned int sleep_us = pmd->sleep_us;
        pthread_mutex_unlock(&pmd->mutex);
        if (was_idle && sleep_us) {
            usleep(sleep_us);
        } else if (pmd->shares_core
                   && (pmd->tail - __atomic_load_n(&pmd->head,
                                                   __ATOMIC_RELAXED)
                       >= DP_PMD_UPCALL_SLOTS / 2)) {
            pmd_back_off(pmd);
        }
    }
    return NULL;
}

/* ---- Upcalls. ---- */

void
dp_pmd_miss(struct dp_pmd *pmd, struct dp_rxq *rxq, const struct dp_packet *p,
            const struct dp_key *key)
{
    unsigned int head = __atomic_load_n(&pmd->head, __ATOMIC_SEQ_CST);
    unsigned int tail = pmd->tail;
    size_t share = DP_PMD_UPCALL_SLOTS / (pmd->n_polls ? pmd->n_polls : 1);

    if (tail - head >= DP_PMD_UPCALL_SLOTS
        || __atomic_load_n(&rxq->n_upcalls, __ATOMIC_RELAXED)
           >= (share ? share : 1)
        || !token_bucket_take(&pmd->upcall_tb, time_msec())) {
        COVERAGE_INC(datapath_drop_upcall_error);
        pmd->failed++;
        return;
    }
    struct upcall_slot *s = &pmd->slots[tail % DP_PMD_UPCALL_SLOTS];
    s->rxq = rxq;
    s->in_port = p->in_port;
    s->len = p->size;
    dp_packet_flow(p, &s->flow);
    s->key = *key;
    memcpy(s->data, dp_packet_data(p), p->size);
    __atomic_add_fetch(&rxq->n_upcalls, 1, __ATOMIC_RELAXED);
    __atomic_store_n(&pmd->tail, tail + 1, __ATOMIC_SEQ_CST);
    /* The main thread stores 'head' and then reads 'tail' (both seq_cst),
     * so either it sees this slot or we see the queue as it left it:
     * empty, and then we wake it. */
    if (tail == __atomic_load_n(&pmd->head, __ATOMIC_SEQ_CST)) {
        uint64_t one = 1;
        ssize_t n = write(pmd->pmds->efd, &one, sizeof one);
        (void) n;
    }
}

/* Takes one upcall off 'pmd''s queue and runs it; false if empty. */
static bool
drain_one(struct dp_pmds *pmds, struct dp_pmd *pmd)
{
    struct dp *dp = pmds->dp;
    unsigned int head = pmd->head;

    if (head == __atomic_load_n(&pmd->tail, __ATOMIC_SEQ_CST)) {
        return false;
    }
    struct upcall_slot *s = &pmd->slots[head % DP_PMD_UPCALL_SLOTS];
    struct dp_rxq *rxq = s->rxq;
    struct dp_packet *p = NULL;
    struct flow flow;
    struct dp_key key;
    if (rxq) {
        p = dp_packet_pool_get(&dp->main.pool);
        memcpy(dp_packet_reset(p, s->len), s->data, s->len);
        p->in_port = s->in_port;
        flow = s->flow;
        key = s->key;
        __atomic_sub_fetch(&rxq->n_upcalls, 1, __ATOMIC_RELAXED);
    }
    __atomic_store_n(&pmd->head, head + 1, __ATOMIC_SEQ_CST);
    if (p) {
        dp_upcall_run(dp, pmd, pmd->t.megaflows, p, &flow, &key);
    }
    return true;
}

static void
drain_upcalls(evutil_socket_t fd, short what XVS_UNUSED, void *pmds_)
{
    struct dp_pmds *pmds = pmds_;
    uint64_t n;
    ssize_t r = read(fd, &n, sizeof n);
    (void) r;

    unsigned int budget = DP_PMD_UPCALL_BUDGET;
    bool more = true;
    while (budget && more && pmds->n) {
        more = false;
        for (size_t i = 0; i < pmds->n && budget; i++) {
            struct dp_pmd *pmd = pmds->pmds[(pmds->next_drain + i)
                                            % pmds->n];
            if (drain_one(pmds, pmd)) {
                budget--;
                more = true;
            }
        }
        pmds->next_drain++;
    }
    dp_upcalls_flush(pmds->dp);
    /* A PMD backing off is woken once its queue is below half: above, it
     * would only go back to sleep. */
    for (size_t i = 0; i < pmds->n; i++) {
        struct dp_pmd *pmd = pmds->pmds[i];
        if (__atomic_load_n(&pmd->backing_off, __ATOMIC_SEQ_CST)
            && (__atomic_load_n(&pmd->tail, __ATOMIC_SEQ_CST) - pmd->head
                < DP_PMD_UPCALL_SLOTS / 2)) {
            syscall(SYS_futex, &pmd->head, FUTEX_WAKE_PRIVATE, 1, NULL,
                    NULL, 0);
        }
    }
    if (!budget) {
        /* Let the rest of the loop run, then come back. */
        event_active(pmds->ev, EV_READ, 0);
    }
}

/* ---- Threads. ---- */

static struct dp_pmd *
pmd_create(struct dp_pmds *pmds, int core, unsigned int idx)
{
    struct dp_pmd *pmd = xzalloc(sizeof *pmd);
    pmd->pmds = pmds;
    pmd->core = core;
    pthread_mutex_init(&pmd->mutex, NULL);
    dp_thread_init(&pmd->t, pmds->dp, idx, pmd);
    token_bucket_init(&pmd->upcall_tb, cfg_upcall_rate, cfg_upcall_rate,
                      time_msec());
    pmd->sleep_us = cfg_sleep_us;
    pmd->slots = xmalloc(DP_PMD_UPCALL_SLOTS * sizeof *pmd->slots);

    /* Called on the main thread. */
    cpu_set_t main_cpus;
    pmd->shares_core = (!sched_getaffinity(0, sizeof main_cpus, &main_cpus)
                        && CPU_COUNT(&main_cpus) == 1
                        && CPU_ISSET(core, &main_cpus));
    return pmd;
}

static void
pmd_start(struct dp_pmd *pmd)
{
    int error = pthread_create(&pmd->thread, NULL, pmd_main, pmd);
    if (error) {
        xvs_fatal(error, "pthread_create failed");
    }
    pmd->started = true;
    VLOG_INFO("%s: PMD thread on core %d created", pmd->pmds->dp->name,
              pmd->core);
}

static void
pmd_destroy(struct dp_pmd *pmd)
{
    if (pmd->started) {
        __atomic_store_n(&pmd->exit, 1, __ATOMIC_SEQ_CST);
        pthread_join(pmd->thread, NULL);
        VLOG_INFO("%s: PMD thread on core %d destroyed",
                  pmd->pmds->dp->name, pmd->core);
    }
    /* Upcalls still queued give their rx queues' shares back. */
    for (unsigned int h = pmd->head; h != pmd->tail; h++) {
        struct upcall_slot *s = &pmd->slots[h % DP_PMD_UPCALL_SLOTS];
        if (s->rxq) {
            __atomic_sub_fetch(&s->rxq->n_upcalls, 1, __ATOMIC_RELAXED);
        }
    }
    dp_thread_destroy(&pmd->t);
    pthread_mutex_destroy(&pmd->mutex);
    free(pmd->polls);
    free(pmd->slots);
    free(pmd);
}

struct dp_pmds *
dp_pmds_create(struct dp *dp)
{
    struct dp_pmds *pmds = xzalloc(sizeof *pmds);
    pmds->dp = dp;
    pmds->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (pmds->efd < 0) {
        xvs_fatal(errno, "eventfd failed");
    }
    pmds->ev = event_new(evloop_base(), pmds->efd, EV_READ | EV_PERSIST,
                         drain_upcalls, pmds);
    event_add(pmds->ev, NULL);
    return pmds;
}

static void
destroy_threads(struct dp_pmds *pmds)
{
    for (size_t i = 0; i < pmds->n; i++) {
        pmd_destroy(pmds->pmds[i]);
    }
    free(pmds->pmds);
    pmds->pmds = NULL;
    pmds->n = 0;
}

void
dp_pmds_destroy(struct dp_pmds *pmds)
{
    if (pmds) {
        destroy_threads(pmds);
        event_free(pmds->ev);
        close(pmds->efd);
        free(pmds);
    }
}

/* The cores for PMD threads: those of the mask, or else the lowest core
 * the process may run on.  Returns how many were stored in 'cores'. */
static size_t
wanted_cores(int *cores, size_t max)
{
    size_t n = 0;
    if (cfg_mask && cfg_mask[0]) {
        const char *s = cfg_mask;
        if (!strncmp(s, "0x", 2) || !strncmp(s, "0X", 2)) {
            s += 2;
        }
        size_t len = strlen(s);
        for (size_t i = 0; i < len; i++) {
            int c = s[len - 1 - i];
            int v = (c >= '0' && c <= '9' ? c - '0'
                     : c >= 'a' && c <= 'f' ? c - 'a' + 10
                     : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1);
            if (v < 0) {
                VLOG_WARN("invalid pmd-cpu-mask \"%s\"", cfg_mask);
                n = 0;
                break;
            }
            for (int b = 0; b < 4; b++) {
                if (v & (1 << b) && n < max && i * 4 + b < CPU_SETSIZE) {
                    cores[n++] = i * 4 + b;
                }
            }
        }
        if (n) {
            return n;
        }
    }
    cpu_set_t set;
    CPU_ZERO(&set);
    if (!sched_getaffinity(0, sizeof set, &set)) {
        for (int c = 0; c < CPU_SETSIZE; c++) {
            if (CPU_ISSET(c, &set)) {
                cores[0] = c;
                return 1;
            }
        }
    }
    cores[0] = 0;
    return 1;
}

static bool
has_pmd_ports(const struct dp *dp)
{
    const struct dp_port *port;
    HMAP_FOR_EACH (port, node, &dp->ports) {
        if (port->n_rxq) {
            return true;
        }
    }
    return false;
}

static struct dp_pmd *
pmd_on_core(const struct dp_pmds *pmds, int core)
{
    for (size_t i = 0; i < pmds->n; i++) {
        if (pmds->pmds[i]->core == core) {
            return pmds->pmds[i];
        }
    }
    return NULL;
}

/* The core options:pmd-rxq-affinity pins queue 'qid' of 'port' to, or
 * -1. */
static int
affinity_core(const struct dp_port *port, unsigned int qid)
{
    const char *s = port->rxq_affinity;
    while (s && *s) {
        char *end;
        unsigned long q = strtoul(s, &end, 10);
        if (end == s || *end != ':') {
            break;
        }
        s = end + 1;
        unsigned long core = strtoul(s, &end, 10);
        if (end == s) {
            break;
        }
        if (q == qid && core < CPU_SETSIZE) {
            return core;
        }
        s = end + (*end == ',');
    }
    return -1;
}

static int
compare_rxqs(const void *a_, const void *b_)
{
    const struct dp_rxq *a = *(struct dp_rxq *const *) a_;
    const struct dp_rxq *b = *(struct dp_rxq *const *) b_;
    int cmp = strcmp(a->port->name, b->port->name);
    return cmp ? cmp : (a->qid > b->qid) - (a->qid < b->qid);
}

static void
add_poll(struct dp_pmd *pmd, struct dp_rxq *rxq)
{
    pmd->polls = xrealloc(pmd->polls, (pmd->n_polls + 1)
                                      * sizeof *pmd->polls);
    pmd->polls[pmd->n_polls++] = rxq;
    rxq->pmd = pmd;
}

/* With every lock held: recomputes every poll list. */
static void
assign_rxqs(struct dp_pmds *pmds)
{
    struct dp_port *port;
    size_t n = 0;
    HMAP_FOR_EACH (port, node, &pmds->dp->ports) {
        n += port->n_rxq;
    }
    struct dp_rxq **rxqs = xcalloc(n ? n : 1, sizeof *rxqs);
    n = 0;
    HMAP_FOR_EACH (port, node, &pmds->dp->ports) {
        for (unsigned int q = 0; q < port->n_rxq; q++) {
            rxqs[n++] = &port->rxqs[q];
        }
    }
    qsort(rxqs, n, sizeof *rxqs, compare_rxqs);

    for (size_t i = 0; i < pmds->n; i++) {
        pmds->pmds[i]->n_polls = 0;
        pmds->pmds[i]->isolated = false;
    }
    /* Pinned queues first: they isolate their PMD. */
    for (size_t i = 0; i < n; i++) {
        struct dp_rxq *rxq = rxqs[i];
        rxq->pmd = NULL;
        rxq->core = affinity_core(rxq->port, rxq->qid);
        if (rxq->core >= 0) {
            struct dp_pmd *pmd = pmd_on_core(pmds, rxq->core);
            if (pmd) {
                add_poll(pmd, rxq);
                pmd->isolated = true;
            } else {
                VLOG_WARN("Core %d cannot be pinned with port \'%s\' "
                          "rx queue %u. Use pmd-cpu-mask to enable a pmd "
                          "on core %d. An alternative core will be "
                          "assigned.", rxq->core, rxq->port->name,
                          rxq->qid, rxq->core);
            }
        }
    }
    size_t next = 0;
    for (size_t i = 0; i < n; i++) {
        struct dp_rxq *rxq = rxqs[i];
        if (rxq->pmd) {
            continue;
        }
        for (size_t j = 0; j < pmds->n; j++) {
            struct dp_pmd *pmd = pmds->pmds[next++ % pmds->n];
            if (!pmd->isolated) {
                add_poll(pmd, rxq);
                break;
            }
        }
        if (!rxq->pmd) {
            VLOG_WARN("There's no available (non-isolated) pmd thread for "
                      "port \'%s\' queue %u. This queue will not be polled.",
                      rxq->port->name, rxq->qid);
        }
    }
    free(rxqs);
}

void
dp_pmds_reconfigure(struct dp_pmds *pmds)
{
    int cores[CPU_SETSIZE];
    size_t n = has_pmd_ports(pmds->dp) ? wanted_cores(cores, CPU_SETSIZE) : 0;

    bool same = n == pmds->n;
    for (size_t i = 0; same && i < n; i++) {
        same = pmds->pmds[i]->core == cores[i];
    }
    if (!same) {
        for (size_t i = 0; i < pmds->n; i++) {
            dp_pmd_lock(pmds->pmds[i]);
            dp_megaflows_flush(pmds->pmds[i]->t.megaflows);
            dp_pmd_unlock(pmds->pmds[i]);
        }
        destroy_threads(pmds);
        dp_ports_set_n_threads(pmds->dp, n + 1);
        pmds->pmds = xcalloc(n ? n : 1, sizeof *pmds->pmds);
        for (size_t i = 0; i < n; i++) {
            pmds->pmds[i] = pmd_create(pmds, cores[i], i + 1);
        }
        pmds->n = n;
    }
    dp_pmds_lock_all(pmds);
    for (size_t i = 0; i < pmds->n; i++) {
        struct dp_pmd *pmd = pmds->pmds[i];
        if (pmd->upcall_tb.rate != cfg_upcall_rate) {
            token_bucket_init(&pmd->upcall_tb, cfg_upcall_rate,
                              cfg_upcall_rate, time_msec());
        }
        pmd->sleep_us = cfg_sleep_us;
    }
    assign_rxqs(pmds);
    dp_pmds_unlock_all(pmds);
    for (size_t i = 0; i < pmds->n; i++) {
        if (!pmds->pmds[i]->started) {
            pmd_start(pmds->pmds[i]);
        }
    }
}

void
dp_pmds_forget_port(struct dp_pmds *pmds, struct dp_port *port)
{
    for (size_t i = 0; i < pmds->n; i++) {
        struct dp_pmd *pmd = pmds->pmds[i];
        size_t k = 0;
        for (size_t j = 0; j < pmd->n_polls; j++) {
            if (pmd->polls[j]->port != port) {
                pmd->polls[k++] = pmd->polls[j];
            }
        }
        pmd->n_polls = k;
        for (unsigned int h = pmd->head; h != pmd->tail; h++) {
            struct upcall_slot *s = &pmd->slots[h % DP_PMD_UPCALL_SLOTS];
            if (s->rxq && s->rxq->port == port) {
                s->rxq = NULL;
            }
        }
    }
}

void
dp_pmd_set_config(const char *cpu_mask, unsigned int upcall_rate,
                  unsigned int sleep_max_us)
{
    if (!cpu_mask) {
        cpu_mask = "";
    }
    if (cfg_mask && !strcmp(cfg_mask, cpu_mask)
        && upcall_rate == cfg_upcall_rate && sleep_max_us == cfg_sleep_us) {
        return;
    }
    free(cfg_mask);
    cfg_mask = xstrdup(cpu_mask);
    cfg_upcall_rate = upcall_rate;
    cfg_sleep_us = sleep_max_us;
    for (struct dp *dp = dp_next(NULL); dp; dp = dp_next(dp)) {
        dp_pmds_reconfigure(dp->pmds);
    }
}

/* ---- Statistics. ---- */

static void
get_counters(struct dp_pmd *pmd, struct pmd_counters *c)
{
    struct dp_megaflow_stats st;
    dp_megaflows_get_stats(pmd->t.megaflows, &st);
    c->emc_hits = st.n_emc_hits;
    c->megaflow_hits = st.n_megaflow_hits;
    c->misses = st.n_misses;
    c->failed = pmd->failed;
    c->tx_batches = pmd->t.n_tx_batches;
    c->tx_packets = pmd->t.n_tx_packets;
    c->idle_cycles = pmd->idle_cycles;
    c->proc_cycles = pmd->proc_cycles;
    c->revalidated = st.n_revalidated;
    c->reval_modified = st.n_reval_modified;
    c->reval_deleted = st.n_reval_deleted;
    c->kernel_hits = st.n_kernel_hits;
}

static double
ratio(uint64_t a, uint64_t b)
{
    return b ? (double) a / b : 0;
}

void
dp_pmds_format_stats(struct dp_pmds *pmds, struct ds *s)
{
    for (size_t i = 0; i < pmds->n; i++) {
        struct dp_pmd *pmd = pmds->pmds[i];
        struct pmd_counters c, z;
        dp_pmd_lock(pmd);
        dp_megaflows_read_kernel(pmd->t.megaflows);
        get_counters(pmd, &c);
        z = pmd->cleared;
        dp_pmd_unlock(pmd);
        c.emc_hits -= z.emc_hits;
        c.megaflow_hits -= z.megaflow_hits;
        c.misses -= z.misses;
        c.failed -= z.failed;
        c.tx_batches -= z.tx_batches;
        c.tx_packets -= z.tx_packets;
        c.idle_cycles -= z.idle_cycles;
        c.proc_cycles -= z.proc_cycles;
        c.revalidated -= z.revalidated;
        c.reval_modified -= z.reval_modified;
        c.reval_deleted -= z.reval_deleted;
        c.kernel_hits -= z.kernel_hits;

        uint64_t rx = c.emc_hits + c.megaflow_hits + c.misses;
        uint64_t total = c.idle_cycles + c.proc_cycles;
        ds_put_format(s, "pmd thread numa_id 0 core_id %d:\n", pmd->core);
        ds_put_format(s, "  packets received: %"PRIu64"\n"
                      "  packet recirculations: 0\n"
                      "  avg. datapath passes per packet: %.2f\n"
                      "  emc hits: %"PRIu64"\n"
                      "  megaflow hits: %"PRIu64"\n"
                      "  miss with success upcall: %"PRIu64"\n"
                      "  miss with failed upcall: %"PRIu64"\n"
                      "  avg. packets per output batch: %.2f\n"
                      "  megaflows revalidated: %"PRIu64"\n"
                      "  megaflows modified by revalidation: %"PRIu64"\n"
                      "  megaflows deleted by revalidation: %"PRIu64"\n"
                      "  kernel hits: %"PRIu64"\n",
                      rx, rx ? 1.0 : 0.0, c.emc_hits, c.megaflow_hits,
                      c.misses - c.failed, c.failed,
                      ratio(c.tx_packets, c.tx_batches), c.revalidated,
                      c.reval_modified, c.reval_deleted, c.kernel_hits);
        ds_put_format(s, "  idle cycles: %"PRIu64" (%.2f%%)\n"
                      "  processing cycles: %"PRIu64" (%.2f%%)\n",
                      c.idle_cycles, 100 * ratio(c.idle_cycles, total),
                      c.proc_cycles, 100 * ratio(c.proc_cycles, total));
        if (rx) {
            ds_put_format(s, "  avg cycles per packet: %.2f "
                          "(%"PRIu64"/%"PRIu64")\n"
                          "  avg processing cycles per packet: %.2f "
                          "(%"PRIu64"/%"PRIu64")\n",
                          ratio(total, rx), total, rx,
                          ratio(c.proc_cycles, rx), c.proc_cycles, rx);
        }
    }
}

void
dp_pmds_clear_stats(struct dp_pmds *pmds)
{
    for (size_t i = 0; i < pmds->n; i++) {
        struct dp_pmd *pmd = pmds->pmds[i];
        dp_pmd_lock(pmd);
        get_counters(pmd, &pmd->cleared);
        for (size_t j = 0; j < pmd->n_polls; j++) {
            pmd->polls[j]->cycles = 0;
        }
        dp_pmd_unlock(pmd);
    }
}

void
dp_pmds_format_rxqs(struct dp_pmds *pmds, struct ds *s)
{
    for (size_t i = 0; i < pmds->n; i++) {
        struct dp_pmd *pmd = pmds->pmds[i];
        dp_pmd_lock(pmd);
        uint64_t total = (pmd->idle_cycles - pmd->cleared.idle_cycles
                          + pmd->proc_cycles - pmd->cleared.proc_cycles);
        uint64_t used = 0;
        ds_put_format(s, "pmd thread numa_id 0 core_id %d:\n", pmd->core);
        ds_put_format(s, "  isolated : %s\n",
                      pmd->isolated ? "true" : "false");
        struct dp_rxq **sorted = xcalloc(pmd->n_polls + 1, sizeof *sorted);
        if (pmd->n_polls) {
            memcpy(sorted, pmd->polls, pmd->n_polls * sizeof *sorted);
        }
        qsort(sorted, pmd->n_polls, sizeof *sorted, compare_rxqs);
        for (size_t j = 0; j < pmd->n_polls; j++) {
            struct dp_rxq *rxq = sorted[j];
            used += rxq->cycles;
            ds_put_format(s, "  port: %-16s queue-id: %2u (enabled)   "
                          "pmd usage: %2d %%\n", rxq->port->name, rxq->qid,
                          (int) (100 * ratio(rxq->cycles, total)));
        }
        free(sorted);
        if (pmd->n_polls) {
            uint64_t busy = pmd->proc_cycles - pmd->cleared.proc_cycles;
            ds_put_format(s, "  overhead: %2d %%\n",
                          (int) (100 * ratio(busy > used ? busy - used : 0,
                                             total)));
        }
        dp_pmd_unlock(pmd);
    }
}
