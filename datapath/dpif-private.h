/* dpif-private: what dpif.c and the PMD threads (dp-pmd.c) share.
 *
 * A datapath's packet path runs on several threads: the main thread (for
 * the ports the evloop polls, and for upcalls and PACKET_OUT) and one PMD
 * thread per core of pmd-cpu-mask (for the rx queues of "pmd" port types).
 * Each of them is a 'struct dp_thread': a packet pool, a megaflow cache
 * and one transmit batch per port, so that the hit path shares nothing
 * with other threads but the ports' transmit locks (taken once per batch)
 * and the rx counters (relaxed atomics, added once per batch).
 *
 * Nothing outside datapath/ includes this. */
#ifndef XVS_DPIF_PRIVATE_H
#define XVS_DPIF_PRIVATE_H 1

#include <pthread.h>
#include "dp-key.h"
#include "dpif.h"
#include "hmap.h"
#include "list.h"
#include "tnl-header.h"

struct dp_pmd;
struct dp_pmds;
struct event;

struct dp_packet_pool {
    struct dp_packet *free;
};

/* One thread's transmit batch for one port. */
struct dp_txq {
    struct xvs_list pending_node;   /* In the thread's 'pending'. */
    struct dp_port *port;
    struct dp_packet_batch batch;
};

/* One receive queue of a "pmd" port. */
struct dp_rxq {
    struct dp_port *port;
    unsigned int qid;
    int core;                   /* pmd-rxq-affinity core, or -1. */
    struct dp_pmd *pmd;         /* Polling thread, or NULL. */
    uint64_t cycles;            /* Processing cycles (its PMD writes them
                                 * under its lock). */
    unsigned int n_upcalls;     /* Queued upcalls (atomic). */
};

struct dp_port {
    struct hmap_node node;          /* In dp->ports, by number. */
    struct hmap_node name_node;     /* In all_ports, by name. */
    struct dp *dp;
    uint32_t port_no;
    char *name;
    const struct dp_port_class *class;
    void *state;
    struct event *ev;               /* NULL for ports without an fd. */

    /* Receive statistics, added with relaxed atomics (several PMDs may
     * poll queues of one port). */
    uint64_t rx_packets, rx_bytes, rx_errors;

    /* Transmit: 'n_txq' device queues, each with a lock that a thread
     * holds while it sends one batch; the counters are under lock 0. */
    unsigned int n_txq;
    pthread_mutex_t *tx_locks;
    uint64_t tx_packets, tx_bytes, tx_dropped;
    struct dp_txq *txqs;            /* One per thread, by dp_thread.idx. */

    /* Receive queues polled by PMD threads ("pmd" classes only). */
    unsigned int n_rxq;
    struct dp_rxq *rxqs;
    char *rxq_affinity;             /* options:pmd-rxq-affinity, or NULL. */
};

struct dp_thread {
    unsigned int idx;               /* 0 for the main thread. */
    struct dp_pmd *pmd;             /* NULL for the main thread. */
    struct dp_packet_pool pool;
    struct xvs_list pending;        /* 'struct dp_txq's with packets. */
    struct dp_megaflows *megaflows;
    uint64_t n_tx_batches;          /* For "avg. packets per output batch". */
    uint64_t n_tx_packets;
};

/* Ports numbered below this are also found by index, not only through
 * the hash map: output looks a port up for every packet. */
#define DP_PORTS_BY_INDEX 256

struct dp {
    char *name;
    dp_upcall_cb *upcall;
    void *aux;
    struct hmap ports;
    /* The ports of 'ports' numbered below DP_PORTS_BY_INDEX, NULL where
     * there is none.  Changed with 'ports', under the same locks. */
    struct dp_port *ports_by_index[DP_PORTS_BY_INDEX];
    struct xvs_list node;           /* In the list of all datapaths. */
    struct dp_thread main;
    struct dp_actions actions;      /* Scratch space for upcalls. */
    struct dp_upcall_install install;   /* Likewise. */
    const struct dp_flow_owner_ops *owner_ops;
    long long int max_idle;
    size_t flow_limit;
    struct dp_pmds *pmds;           /* Never NULL. */
    struct dp_xdp *xdp;             /* Its offloading ports. */
    dp_revalidate_cb *revalidate;   /* For every thread's cache. */
    void *revalidate_aux;
    struct event *revalidate_event; /* Revalidates the PMDs' caches. */
    struct tnl_opt_map tun_map;     /* For tunnel ports' Geneve options. */

    /* dp_port_send_back()'s frames, from any thread, for the main
     * thread, which 'reply_efd' wakes. */
    pthread_mutex_t reply_mutex;
    struct xvs_list replies;
    size_t n_replies;
    int reply_efd;
    struct event *reply_ev;
};

/* dpif.c, for dp-pmd.c. */
void dp_thread_init(struct dp_thread *, struct dp *, unsigned int idx,
                    struct dp_pmd *);
void dp_thread_destroy(struct dp_thread *);
/* Counts 'batch' as received on 'port' and runs the packet path on it,
 * transmitting the results.  On a PMD, misses go to dp_pmd_miss(). */
void dp_thread_input(struct dp *, struct dp_thread *, struct dp_port *,
                     struct dp_rxq *, struct dp_packet_batch *);
/* Runs the upcall for the main thread: translation, then 'packet' is
 * executed (and consumed) on the main thread; if translation says so, the
 * megaflow is installed in 'mfs' (under the caller's care for locks: see
 * 'lock_pmd').  What it outputs waits in the main thread's transmit
 * batches for dp_upcalls_flush(), so that a run of upcalls is sent with
 * one system call per port rather than one per packet. */
void dp_upcall_run(struct dp *, struct dp_pmd *lock_pmd,
                   struct dp_megaflows *mfs, struct dp_packet *packet,
                   const struct flow *, const struct dp_key *);
/* Sends what upcalls left in the main thread's transmit batches. */
void dp_upcalls_flush(struct dp *);
/* The flow of 'packet' for translation: its headers, and the tunnel it
 * came through. */
void dp_packet_flow(const struct dp_packet *packet, struct flow *);
/* Resizes every port's per-thread transmit batches for 'n_threads'
 * threads; only while no PMD thread runs. */
void dp_ports_set_n_threads(struct dp *, unsigned int n_threads);
/* The first datapath, then the next, for global settings; NULL at the
 * end. */
struct dp *dp_next(const struct dp *);

#endif
