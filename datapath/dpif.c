/* dpif: datapaths, their ports and the packet path; see dpif.h.
 *
 * Port names are unique across all datapaths of the process (a kernel
 * device can only be bound once, and the dummy test hooks address ports
 * by name), so besides each datapath's ports-by-number map there is one
 * process-wide ports-by-name map.
 *
 * Packets come from a per-thread pool of fixed-size buffers that only
 * grows to the working set, so the steady-state packet path does not
 * call malloc.  An output action copies the packet into the thread's
 * transmit batch for the output port, except the last action of a list,
 * which moves it; the batches are sent once the whole received batch has
 * been processed (dpif-private.h has the per-thread state). */
#include <config.h>
#include "dpif.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <event2/event.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "coverage.h"
#include "dp-classifier.h"
#include "dp-key.h"
#include "dp-megaflow.h"
#include "dp-pmd.h"
#include "dp-xdp.h"
#include "dpif-private.h"
#include "evloop.h"
#include "flow-extract.h"
#include "hmap.h"
#include "list.h"
#include "packets.h"
#include "port-provider.h"
#include "tnl-native.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(dpif);

COVERAGE_DEFINE(datapath_upcall);
COVERAGE_DEFINE(dpif_execute);
COVERAGE_DEFINE(dpif_flow_flush);
COVERAGE_DEFINE(dpif_port_add);
COVERAGE_DEFINE(dpif_port_del);
COVERAGE_DEFINE(datapath_drop_send_back);

static const struct dp_port_class *const port_classes[] = {
    &dp_port_dummy_class,
    &dp_port_system_class,
    &dp_port_internal_class,
    &dp_port_afxdp_class,
    &dp_port_dummy_pmd_class,
    &dp_port_geneve_class,
    &dp_port_vxlan_class,
    &dp_port_gre_class,
};

/* Type names dp_port_add() accepts that map to one of the classes. */
static const struct {
    const char *alias;
    const char *type;
} type_aliases[] = {
    { "", "system" },
    { "tap", "internal" },
    { "ip6gre", "gre" },        /* Open vSwitch's name for GRE over IPv6. */
};

static struct hmap all_ports = HMAP_INITIALIZER;
static struct xvs_list all_dps = XVS_LIST_INITIALIZER(&all_dps);

/* ---- Packets. ---- */

struct dp_packet *
dp_packet_pool_get(struct dp_packet_pool *pool)
{
    struct dp_packet *p = pool->free;

    if (p) {
        pool->free = p->next;
    } else {
        p = xmalloc(sizeof *p);
        p->allocated = DP_PACKET_HEADROOM + DP_PACKET_MAX_LEN;
        p->base = xmalloc(p->allocated);
    }
    p->next = NULL;
    p->data_ofs = DP_PACKET_HEADROOM;
    p->size = 0;
    p->in_port = 0;
    return p;
}

void
dp_packet_pool_put(struct dp_packet_pool *pool, struct dp_packet *p)
{
    p->next = pool->free;
    pool->free = p;
}

void *
dp_packet_reset(struct dp_packet *p, uint32_t len)
{
    p->data_ofs = DP_PACKET_HEADROOM;
    p->size = len;
    p->has_tnl = false;
    return dp_packet_data(p);
}

static void
pool_destroy(struct dp_packet_pool *pool)
{
    while (pool->free) {
        struct dp_packet *p = pool->free;

        pool->free = p->next;
        free(p->base);
        free(p);
    }
}

/* ---- Actions. ---- */

void
dp_actions_copy(struct dp_actions *dst, const struct dp_actions *src)
{
    dst->n = src->n;
    memcpy(dst->acts, src->acts, src->n * sizeof src->acts[0]);
    dst->n_sets = src->n_sets;
    memcpy(dst->sets, src->sets, src->n_sets * sizeof src->sets[0]);
}

int
dp_actions_add(struct dp_actions *a, enum dp_action_type type, uint32_t arg)
{
    if (a->n >= DP_ACTIONS_MAX) {
        return -ENOSPC;
    }
    a->acts[a->n].type = type;
    a->acts[a->n].arg = arg;
    a->acts[a->n].eth_type = 0;
    a->n++;
    return 0;
}

int
dp_actions_add_push_mpls(struct dp_actions *a, uint32_t lse,
                         uint16_t eth_type)
{
    int error = dp_actions_add(a, DP_ACTION_PUSH_MPLS, lse);
    if (!error) {
        a->acts[a->n - 1].eth_type = eth_type;
    }
    return error;
}

int
dp_actions_add_set(struct dp_actions *a, const struct packet_set *set)
{
    if (a->n_sets >= DP_SETS_MAX) {
        return -ENOSPC;
    }
    int error = dp_actions_add(a, DP_ACTION_SET, a->n_sets);
    if (!error) {
        a->sets[a->n_sets++] = *set;
    }
    return error;
}

int
dp_actions_add_set_tunnel(struct dp_actions *a, const struct flow_tnl *tnl,
                          const struct flow_tun_layout *layout)
{
    if (a->n_sets >= DP_SETS_MAX) {
        return -ENOSPC;
    }
    int error = dp_actions_add(a, DP_ACTION_SET_TUNNEL, a->n_sets);
    if (!error) {
        struct packet_set *set = &a->sets[a->n_sets++];
        memset(set, 0, sizeof *set);
        set->tunnel = *tnl;
        set->tun_layout = *layout;
    }
    return error;
}

static void
push_vlan(struct dp_packet *p, uint16_t tci)
{
    uint8_t *data;
    uint16_t tpid = htons(ETH_TYPE_VLAN), tci_be = htons(tci & ~VLAN_CFI);

    if (p->data_ofs < VLAN_HEADER_LEN || p->size < 2 * ETH_ADDR_LEN
        || p->size + VLAN_HEADER_LEN > DP_PACKET_MAX_LEN) {
        return;
    }
    p->data_ofs -= VLAN_HEADER_LEN;
    p->size += VLAN_HEADER_LEN;
    data = dp_packet_data(p);
    memmove(data, data + VLAN_HEADER_LEN, 2 * ETH_ADDR_LEN);
    memcpy(data + 2 * ETH_ADDR_LEN, &tpid, 2);
    memcpy(data + 2 * ETH_ADDR_LEN + 2, &tci_be, 2);
}

static void
pop_vlan(struct dp_packet *p)
{
    uint8_t *data = dp_packet_data(p);
    uint16_t tpid;

    if (p->size < ETH_HEADER_LEN + VLAN_HEADER_LEN) {
        return;
    }
    memcpy(&tpid, data + 2 * ETH_ADDR_LEN, 2);
    if (tpid != htons(ETH_TYPE_VLAN)) {
        return;
    }
    memmove(data + VLAN_HEADER_LEN, data, 2 * ETH_ADDR_LEN);
    p->data_ofs += VLAN_HEADER_LEN;
    p->size -= VLAN_HEADER_LEN;
}

int
dp_actions_wrap_clone(struct dp_actions *a, unsigned int ofs)
{
    if (a->n + 2 > DP_ACTIONS_MAX || ofs > a->n) {
        return -ENOSPC;
    }
    memmove(&a->acts[ofs + 1], &a->acts[ofs],
            (a->n - ofs) * sizeof a->acts[0]);
    a->acts[ofs] = (struct dp_action) { .type = DP_ACTION_CLONE_BEGIN };
    a->n++;
    return dp_actions_add(a, DP_ACTION_CLONE_END, 0);
}

/* The packets DP_ACTION_CLONE_BEGIN kept, for its DP_ACTION_CLONE_END. */
struct clone_stack {
    unsigned int n;             /* Pairs open, kept or not. */
    struct {
        uint32_t data_ofs, size;
        uint8_t *bytes;         /* 'size' bytes; malloc'd. */
    } kept[DP_CLONE_MAX];
};

static void
clone_begin(struct clone_stack *cs, const struct dp_packet *p)
{
    if (cs->n < DP_CLONE_MAX) {
        cs->kept[cs->n].data_ofs = p->data_ofs;
        cs->kept[cs->n].size = p->size;
        cs->kept[cs->n].bytes = xmemdup(dp_packet_data(p), p->size);
    }
    cs->n++;
}

/* Puts the kept packet back where it was in 'p''s buffer, which held it
 * then, so it fits. */
static void
clone_end(struct clone_stack *cs, struct dp_packet *p)
{
    if (!cs->n) {
        return;
    }
    if (--cs->n < DP_CLONE_MAX) {
        p->data_ofs = cs->kept[cs->n].data_ofs;
        p->size = cs->kept[cs->n].size;
        memcpy(dp_packet_data(p), cs->kept[cs->n].bytes, p->size);
        free(cs->kept[cs->n].bytes);
    }
}

static void
clone_stack_destroy(struct clone_stack *cs)
{
    while (cs->n) {
        cs->n--;
        if (cs->n < DP_CLONE_MAX) {
            free(cs->kept[cs->n].bytes);
        }
    }
}

/* The offset of the Ethertype that follows the Ethernet addresses and any
 * VLAN tags of 'p', or 0 if the frame ends before it. */
static size_t
l2_type_ofs(const struct dp_packet *p)
{
    const uint8_t *data = dp_packet_data(p);
    size_t ofs = 2 * ETH_ADDR_LEN;
    for (;;) {
        if (p->size < ofs + 2) {
            return 0;
        }
        uint16_t type = (data[ofs] << 8) | data[ofs + 1];
        if (type != ETH_TYPE_VLAN && type != ETH_TYPE_VLAN_8021AD
            && type != ETH_TYPE_QINQ_OLD) {
            return ofs;
        }
        ofs += VLAN_HEADER_LEN;
    }
}

/* Inserts 'lse' between the L2 headers and what follows them, which
 * becomes the payload of an 'eth_type' frame.  The L2 headers move into
 * the headroom, so the payload stays where it is. */
static void
push_mpls(struct dp_packet *p, uint32_t lse, uint16_t eth_type)
{
    size_t ofs = l2_type_ofs(p);
    if (!ofs || p->data_ofs < MPLS_HLEN
        || p->size + MPLS_HLEN > DP_PACKET_MAX_LEN) {
        return;
    }
    uint8_t *old = dp_packet_data(p);
    p->data_ofs -= MPLS_HLEN;
    p->size += MPLS_HLEN;
    uint8_t *data = dp_packet_data(p);
    memmove(data, old, ofs);
    uint16_t type_be = htons(eth_type);
    uint32_t lse_be = htonl(lse);
    memcpy(data + ofs, &type_be, 2);
    memcpy(data + ofs + 2, &lse_be, MPLS_HLEN);
}

/* Removes the outermost label stack entry of an MPLS frame and makes its
 * Ethertype 'eth_type'. */
static void
pop_mpls(struct dp_packet *p, uint16_t eth_type)
{
    size_t ofs = l2_type_ofs(p);
    const uint8_t *data = dp_packet_data(p);
    if (!ofs || p->size < ofs + 2 + MPLS_HLEN) {
        return;
    }
    uint16_t type = (data[ofs] << 8) | data[ofs + 1];
    if (type != ETH_TYPE_MPLS && type != ETH_TYPE_MPLS_MCAST) {
        return;
    }
    uint8_t *moved = (uint8_t *) data + MPLS_HLEN;
    memmove(moved, data, ofs);
    uint16_t type_be = htons(eth_type);
    memcpy(moved + ofs, &type_be, 2);
    p->data_ofs += MPLS_HLEN;
    p->size -= MPLS_HLEN;
}

/* Applies 'a' to 'p' if it changes the packet's headers (every action
 * but output). */
static void
apply_header_action(const struct packet_set *sets, const struct dp_action *a,
                    struct clone_stack *cs, struct dp_packet *p)
{
    switch (a->type) {
    case DP_ACTION_CLONE_BEGIN:
        clone_begin(cs, p);
        break;
    case DP_ACTION_CLONE_END:
        clone_end(cs, p);
        break;
    case DP_ACTION_PUSH_VLAN:
        push_vlan(p, a->arg);
        break;
    case DP_ACTION_POP_VLAN:
        pop_vlan(p);
        break;
    case DP_ACTION_SET:
        packet_set_apply(dp_packet_data(p), p->size, &sets[a->arg]);
        break;
    case DP_ACTION_PUSH_MPLS:
        push_mpls(p, a->arg, a->eth_type);
        break;
    case DP_ACTION_POP_MPLS:
        pop_mpls(p, a->arg);
        break;
    case DP_ACTION_SET_TUNNEL:
        p->tnl = sets[a->arg].tunnel;
        p->has_tnl = true;
        break;
    case DP_ACTION_OUTPUT:
    case DP_ACTION_TRUNC:
    case DP_ACTION_TNL_POP:
        break;
    }
}

void
dp_actions_apply_headers(const struct dp_actions *acts, unsigned int n,
                         struct dp_packet *p)
{
    struct clone_stack cs = { .n = 0 };
    for (unsigned int i = 0; i < n && i < acts->n; i++) {
        apply_header_action(acts->sets, &acts->acts[i], &cs, p);
    }
    clone_stack_destroy(&cs);
}

static struct dp_port *
port_by_number(const struct dp *dp, uint32_t port_no)
{
    struct dp_port *port;

    if (port_no < DP_PORTS_BY_INDEX) {
        return dp->ports_by_index[port_no];
    }
    HMAP_FOR_EACH_WITH_HASH (port, node, hash_int(port_no, 0), &dp->ports) {
        if (port->port_no == port_no) {
            return port;
        }
    }
    return NULL;
}

/* dp_xdp_encap_cb: the port says how the kernel would encapsulate. */
static bool
xdp_encap(void *dp_, uint32_t port_no, const struct flow_tnl *tnl,
          struct dp_xdp_encap *e)
{
    const struct dp_port *port = port_by_number(dp_, port_no);
    return (port && port->class->xdp_encap
            && port->class->xdp_encap(port->state, tnl, e));
}

/* ---- Threads. ---- */

void
dp_thread_init(struct dp_thread *t, struct dp *dp, unsigned int idx,
               struct dp_pmd *pmd)
{
    memset(t, 0, sizeof *t);
    t->idx = idx;
    t->pmd = pmd;
    xvs_list_init(&t->pending);
    t->megaflows = dp_megaflows_create(dp->owner_ops);
    dp_megaflows_set_xdp(t->megaflows, dp->xdp);
    dp_megaflows_set_limits(t->megaflows, dp->max_idle, dp->flow_limit);
    dp_megaflows_set_revalidator(t->megaflows, dp->revalidate,
                                 dp->revalidate_aux);
}

void
dp_thread_destroy(struct dp_thread *t)
{
    dp_megaflows_destroy(t->megaflows);
    pool_destroy(&t->pool);
}

/* Sends one thread's batch for one port, under the lock of the device
 * queue the thread uses. */
static void
port_flush(struct dp_thread *t, struct dp_txq *txq)
{
    struct dp_port *port = txq->port;
    struct dp_packet_batch *tx = &txq->batch;
    unsigned int qid = t->idx % port->n_txq;
    uint64_t bytes = 0;

    pthread_mutex_lock(&port->tx_locks[qid]);
    int dropped = port->class->send(port->state, qid, tx);
    pthread_mutex_unlock(&port->tx_locks[qid]);
    for (unsigned int i = 0; i < tx->count; i++) {
        bytes += tx->packets[i]->size;
        dp_packet_pool_put(&t->pool, tx->packets[i]);
    }
    __atomic_add_fetch(&port->tx_bytes, bytes, __ATOMIC_RELAXED);
    __atomic_add_fetch(&port->tx_packets, tx->count - dropped,
                       __ATOMIC_RELAXED);
    __atomic_add_fetch(&port->tx_dropped, dropped, __ATOMIC_RELAXED);
    t->n_tx_batches++;
    t->n_tx_packets += tx->count;
    tx->count = 0;
}

static void
thread_flush(struct dp_thread *t)
{
    while (!xvs_list_is_empty(&t->pending)) {
        struct dp_txq *txq = CONTAINER_OF(xvs_list_pop_front(&t->pending),
                                          struct dp_txq, pending_node);
        port_flush(t, txq);
    }
}

static void
output(struct dp *dp, struct dp_thread *t, struct dp_packet *p,
       uint32_t port_no)
{
    struct dp_port *port = port_by_number(dp, port_no);

    if (!port) {
        dp_packet_pool_put(&t->pool, p);
        return;
    }
    struct dp_txq *txq = &port->txqs[t->idx];
    if (!txq->batch.count) {
        xvs_list_push_back(&t->pending, &txq->pending_node);
    }
    txq->batch.packets[txq->batch.count++] = p;
    if (txq->batch.count == DP_BATCH_SIZE) {
        xvs_list_remove(&txq->pending_node);
        port_flush(t, txq);
    }
}

/* Applies the 'n' actions 'acts' (whose sets are in 'sets') to 'p',
 * consuming it.  Transmission is only queued. */
static void
execute(struct dp *dp, struct dp_thread *t, struct dp_packet *p,
        const struct dp_action *acts, unsigned int n,
        const struct packet_set *sets)
{
    struct clone_stack cs = { .n = 0 };
    uint32_t trunc = 0;

    for (unsigned int i = 0; i < n; i++) {
        const struct dp_action *a = &acts[i];

        if (a->type == DP_ACTION_TRUNC) {
            trunc = a->arg;
        } else if (a->type == DP_ACTION_TNL_POP) {
            tnl_native_pop(dp_packet_data(p), p->size);
        } else if (a->type != DP_ACTION_OUTPUT) {
            apply_header_action(sets, a, &cs, p);
        } else if (i == n - 1) {
            if (trunc && p->size > trunc) {
                p->size = trunc;
            }
            output(dp, t, p, a->arg);
            clone_stack_destroy(&cs);
            return;
        } else {
            struct dp_packet *copy = dp_packet_pool_get(&t->pool);
            uint32_t size = trunc && p->size > trunc ? trunc : p->size;

            memcpy(dp_packet_reset(copy, size), dp_packet_data(p), size);
            copy->in_port = p->in_port;
            if (p->has_tnl) {
                copy->has_tnl = true;
                copy->tnl = p->tnl;
            }
            output(dp, t, copy, a->arg);
            trunc = 0;
        }
    }
    clone_stack_destroy(&cs);
    dp_packet_pool_put(&t->pool, p);
}

void
dp_upcall_run(struct dp *dp, struct dp_pmd *lock_pmd,
              struct dp_megaflows *mfs, struct dp_packet *p,
              const struct flow *flow, const struct dp_key *key)
{
    struct dp_upcall_install *inst = &dp->install;
    dp_actions_init(&dp->actions);
    inst->install = false;
    inst->owner = NULL;
    COVERAGE_INC(datapath_upcall);
    dp->upcall(dp->aux, flow, p, &dp->actions, inst);
    if (inst->install) {
        if (lock_pmd) {
            dp_pmd_lock(lock_pmd);
        }
        dp_megaflows_install(mfs, key, &inst->wc, &dp->actions,
                             inst->owner, p->size, time_msec());
        if (lock_pmd) {
            dp_pmd_unlock(lock_pmd);
        }
    }
    execute(dp, &dp->main, p, dp->actions.acts, dp->actions.n,
            dp->actions.sets);
}

void
dp_upcalls_flush(struct dp *dp)
{
    thread_flush(&dp->main);
}

void
dp_packet_flow(const struct dp_packet *p, struct flow *flow)
{
    flow_extract(dp_packet_data(p), p->size, p->in_port, flow);
    if (p->has_tnl) {
        flow->tunnel = p->tnl;
    }
}

/* The key of 'p': straight from the headers, except for a frame that came
 * through a tunnel, whose key has the tunnel's fields too. */
static void
packet_key(const struct dp_packet *p, struct dp_key *key)
{
    if (p->has_tnl) {
        struct flow flow;
        dp_packet_flow(p, &flow);
        dp_key_from_flow(key, &flow);
    } else {
        dp_key_extract(key, dp_packet_data(p), p->size, p->in_port);
    }
}

static void
count_and_execute(struct dp *dp, struct dp_thread *t, struct dp_packet *p,
                  struct dp_megaflow *mf, long long int now)
{
    mf->n_packets++;
    mf->n_bytes += p->size;
    mf->used = now;
    execute(dp, t, p, mf->acts, mf->n_acts, mf->sets);
}

_Static_assert(DP_BATCH_SIZE <= DPCLS_BATCH_MAX,
               "a receive batch is one classifier batch");

/* A PMD's batch: its cache cannot change until the batch is done (the
 * main thread waits for the PMD's lock, and misses are upcalls that the
 * main thread runs later), so every key is looked up at once. */
static void
process_batch_pmd(struct dp *dp, struct dp_thread *t, struct dp_rxq *rxq,
                  struct dp_packet_batch *batch)
{
    long long int now = time_msec();
    struct dp_key keys[DP_BATCH_SIZE];
    struct dp_megaflow *found[DP_BATCH_SIZE];

    for (unsigned int i = 0; i < batch->count; i++) {
        struct dp_packet *p = batch->packets[i];
        packet_key(p, &keys[i]);
    }
    dp_megaflows_lookup_batch(t->megaflows, keys, batch->count, found);
    for (unsigned int i = 0; i < batch->count; i++) {
        struct dp_packet *p = batch->packets[i];
        if (found[i]) {
            count_and_execute(dp, t, p, found[i], now);
        } else {
            dp_pmd_miss(t->pmd, rxq, p, &keys[i]);
            dp_packet_pool_put(&t->pool, p);
        }
    }
    batch->count = 0;
    thread_flush(t);
}

/* The main thread's batch: an upcall may change the cache (install,
 * revalidate, free megaflows) before the next packet, so each packet is
 * looked up after the previous one is done. */
static void
process_batch(struct dp *dp, struct dp_thread *t, struct dp_rxq *rxq,
              struct dp_packet_batch *batch)
{
    if (t->pmd) {
        process_batch_pmd(dp, t, rxq, batch);
        return;
    }

    long long int now = time_msec();
    for (unsigned int i = 0; i < batch->count; i++) {
        struct dp_packet *p = batch->packets[i];
        struct dp_key key;

        /* Hits need only the key; a whole 'struct flow' is for upcalls. */
        packet_key(p, &key);
        dp_megaflows_revalidate(t->megaflows);
        struct dp_megaflow *mf = dp_megaflows_lookup(t->megaflows, &key);
        if (mf) {
            count_and_execute(dp, t, p, mf, now);
        } else {
            struct flow flow;
            dp_packet_flow(p, &flow);
            dp_upcall_run(dp, NULL, t->megaflows, p, &flow, &key);
        }
    }
    batch->count = 0;
    thread_flush(t);
}

/* ---- Receiving. ---- */

void
dp_thread_input(struct dp *dp, struct dp_thread *t, struct dp_port *port,
                struct dp_rxq *rxq, struct dp_packet_batch *batch)
{
    uint64_t bytes = 0;
    for (unsigned int i = 0; i < batch->count; i++) {
        batch->packets[i]->in_port = port->port_no;
        bytes += batch->packets[i]->size;
    }
    __atomic_add_fetch(&port->rx_bytes, bytes, __ATOMIC_RELAXED);
    __atomic_add_fetch(&port->rx_packets, batch->count, __ATOMIC_RELAXED);
    process_batch(dp, t, rxq, batch);
}

void
dp_port_input(struct dp_port *port, struct dp_packet_batch *batch)
{
    dp_thread_input(port->dp, &port->dp->main, port, NULL, batch);
}

struct dp_packet_pool *
dp_port_pool(struct dp_port *port)
{
    return &port->dp->main.pool;
}

static void
port_readable(evutil_socket_t fd XVS_UNUSED, short what XVS_UNUSED,
              void *port_)
{
    struct dp_port *port = port_;
    struct dp_packet_batch batch;
    int errors;

    batch.count = 0;
    errors = port->class->recv(port->state, 0, &port->dp->main.pool, &batch);
    if (errors > 0) {
        __atomic_add_fetch(&port->rx_errors, errors, __ATOMIC_RELAXED);
    }
    if (batch.count) {
        dp_port_input(port, &batch);
    }
}

/* ---- Datapaths. ---- */

static void revalidate_event_cb(evutil_socket_t, short, void *dp);

/* ---- Frames sent back (dp_port_send_back()). ---- */

#define DP_REPLIES_MAX 64

struct dp_reply {
    struct xvs_list node;
    uint32_t port_no;
    size_t len;
    uint8_t data[];
};

void
dp_port_send_back(struct dp_port *port, uint32_t out_port,
                  const void *frame, size_t len)
{
    struct dp *dp = port->dp;
    bool wake = false;

    if (len > DP_PACKET_MAX_LEN) {
        return;
    }
    pthread_mutex_lock(&dp->reply_mutex);
    if (dp->n_replies < DP_REPLIES_MAX) {
        struct dp_reply *r = xmalloc(sizeof *r + len);
        r->port_no = out_port;
        r->len = len;
        memcpy(r->data, frame, len);
        xvs_list_push_back(&dp->replies, &r->node);
        wake = !dp->n_replies++;
    } else {
        COVERAGE_INC(datapath_drop_send_back);
    }
    pthread_mutex_unlock(&dp->reply_mutex);
    if (wake) {
        uint64_t one = 1;
        ssize_t n = write(dp->reply_efd, &one, sizeof one);
        (void) n;
    }
}

static void
replies_cb(evutil_socket_t fd, short what XVS_UNUSED, void *dp_)
{
    struct dp *dp = dp_;
    struct xvs_list list;
    uint64_t n;
    ssize_t r = read(fd, &n, sizeof n);
    (void) r;

    pthread_mutex_lock(&dp->reply_mutex);
    xvs_list_init(&list);
    while (!xvs_list_is_empty(&dp->replies)) {
        xvs_list_push_back(&list, xvs_list_pop_front(&dp->replies));
    }
    dp->n_replies = 0;
    pthread_mutex_unlock(&dp->reply_mutex);

    while (!xvs_list_is_empty(&list)) {
        struct dp_reply *reply = CONTAINER_OF(xvs_list_pop_front(&list),
                                              struct dp_reply, node);
        struct dp_packet *p = dp_packet_pool_get(&dp->main.pool);
        memcpy(dp_packet_reset(p, reply->len), reply->data, reply->len);
        output(dp, &dp->main, p, reply->port_no);
        free(reply);
    }
    thread_flush(&dp->main);
}

static void
replies_destroy(struct dp *dp)
{
    event_free(dp->reply_ev);
    close(dp->reply_efd);
    while (!xvs_list_is_empty(&dp->replies)) {
        free(CONTAINER_OF(xvs_list_pop_front(&dp->replies),
                          struct dp_reply, node));
    }
    pthread_mutex_destroy(&dp->reply_mutex);
}

int
dp_create(const char *name, dp_upcall_cb *upcall, void *aux,
          struct dp **dpp)
{
    struct dp *dp = xzalloc(sizeof *dp);

    dp->name = xstrdup(name);
    dp->upcall = upcall;
    dp->aux = aux;
    dp->max_idle = DP_FLOW_MAX_IDLE_DEFAULT;
    dp->flow_limit = DP_FLOW_LIMIT_DEFAULT;
    dp->xdp = dp_xdp_create(xdp_encap, dp);
    dp_thread_init(&dp->main, dp, 0, NULL);
    hmap_init(&dp->ports);
    xvs_list_push_back(&all_dps, &dp->node);
    dp->pmds = dp_pmds_create(dp);
    dp->revalidate_event = event_new(evloop_base(), -1, 0,
                                     revalidate_event_cb, dp);
    pthread_mutex_init(&dp->reply_mutex, NULL);
    xvs_list_init(&dp->replies);
    dp->reply_efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (dp->reply_efd < 0) {
        xvs_fatal(errno, "eventfd failed");
    }
    dp->reply_ev = event_new(evloop_base(), dp->reply_efd,
                             EV_READ | EV_PERSIST, replies_cb, dp);
    event_add(dp->reply_ev, NULL);
    *dpp = dp;
    return 0;
}

void
dp_destroy(struct dp *dp)
{
    struct dp_port *port, *next;

    if (!dp) {
        return;
    }
    event_free(dp->revalidate_event);
    dp_megaflows_flush(dp->main.megaflows);
    HMAP_FOR_EACH_SAFE (port, next, node, &dp->ports) {
        dp_port_del(dp, port->port_no);
    }
    dp_pmds_destroy(dp->pmds);
    replies_destroy(dp);
    hmap_destroy(&dp->ports);
    dp_thread_destroy(&dp->main);
    dp_xdp_destroy(dp->xdp);
    xvs_list_remove(&dp->node);
    free(dp->name);
    free(dp);
}

const char *
dp_name(const struct dp *dp)
{
    return dp->name;
}

struct dp *
dp_next(const struct dp *dp)
{
    const struct xvs_list *next = dp ? dp->node.next : all_dps.next;
    return next == &all_dps ? NULL : CONTAINER_OF(next, struct dp, node);
}

/* ---- Megaflows: every thread's cache. ---- */

/* Calls 'cb' on the main thread's cache and then on each PMD's, under
 * that PMD's lock. */
static void
for_each_cache(const struct dp *dp,
               void (*cb)(struct dp_megaflows *, void *aux), void *aux)
{
    cb(dp->main.megaflows, aux);
    for (size_t i = 0; i < dp_pmds_count(dp->pmds); i++) {
        struct dp_pmd *pmd = dp_pmds_get(dp->pmds, i);
        dp_pmd_lock(pmd);
        cb(dp_pmd_megaflows(pmd), aux);
        dp_pmd_unlock(pmd);
    }
}

static void
set_owner_ops_cb(struct dp_megaflows *mfs, void *ops)
{
    dp_megaflows_set_owner_ops(mfs, ops);
}

void
dp_set_flow_owner_ops(struct dp *dp, const struct dp_flow_owner_ops *ops)
{
    dp->owner_ops = ops;
    for_each_cache(dp, set_owner_ops_cb, (void *) ops);
}

static void
flush_cb(struct dp_megaflows *mfs, void *aux XVS_UNUSED)
{
    dp_megaflows_flush(mfs);
}

void
dp_flow_flush(struct dp *dp)
{
    COVERAGE_INC(dpif_flow_flush);
    for_each_cache(dp, flush_cb, NULL);
}

static void
set_limits_cb(struct dp_megaflows *mfs, void *dp_)
{
    struct dp *dp = dp_;
    dp_megaflows_set_limits(mfs, dp->max_idle, dp->flow_limit);
}

static void
set_revalidator_cb(struct dp_megaflows *mfs, void *dp_)
{
    struct dp *dp = dp_;
    dp_megaflows_set_revalidator(mfs, dp->revalidate, dp->revalidate_aux);
}

void
dp_set_revalidator(struct dp *dp, dp_revalidate_cb *cb, void *aux)
{
    dp->revalidate = cb;
    dp->revalidate_aux = aux;
    for_each_cache(dp, set_revalidator_cb, dp);
}

static void
invalidate_cb(struct dp_megaflows *mfs, void *aux XVS_UNUSED)
{
    dp_megaflows_invalidate(mfs);
}

/* The main thread revalidates its own cache before its next lookup; the
 * PMDs' caches it revalidates in the loop's next pass (or sooner, when
 * dp_flow_revalidate() is called), out of whatever translation made the
 * change.  Until then PMDs keep using the megaflows as they were, as Open
 * vSwitch's PMDs do until a revalidator gets to them. */
void
dp_flow_invalidate(struct dp *dp)
{
    for_each_cache(dp, invalidate_cb, NULL);
    if (dp_pmds_count(dp->pmds)) {
        event_active(dp->revalidate_event, 0, 0);
    }
}

static void
revalidate_cb(struct dp_megaflows *mfs, void *aux XVS_UNUSED)
{
    dp_megaflows_revalidate(mfs);
}

void
dp_flow_revalidate(struct dp *dp)
{
    for_each_cache(dp, revalidate_cb, NULL);
}

static void
revalidate_event_cb(evutil_socket_t fd XVS_UNUSED, short what XVS_UNUSED,
                    void *dp)
{
    dp_flow_revalidate(dp);
}

void
dp_flow_set_limits(struct dp *dp, long long int max_idle, size_t flow_limit)
{
    dp->max_idle = max_idle;
    dp->flow_limit = flow_limit;
    for_each_cache(dp, set_limits_cb, dp);
}

static void
run_cb(struct dp_megaflows *mfs, void *now)
{
    dp_megaflows_run(mfs, *(long long int *) now);
}

void
dp_run(struct dp *dp)
{
    long long int now = time_msec();
    for_each_cache(dp, run_cb, &now);
}

static void
push_stats_cb(struct dp_megaflows *mfs, void *aux XVS_UNUSED)
{
    dp_megaflows_push_stats(mfs);
}

void
dp_flow_push_stats(struct dp *dp)
{
    for_each_cache(dp, push_stats_cb, NULL);
}

static void
count_cb(struct dp_megaflows *mfs, void *n)
{
    *(size_t *) n += dp_megaflows_count(mfs);
}

size_t
dp_flow_count(const struct dp *dp)
{
    size_t n = 0;
    for_each_cache(dp, count_cb, &n);
    return n;
}

void
dp_flow_format(const struct dp *dp, int pmd_core, enum dp_flow_filter filter,
               struct ds *s)
{
    long long int now = time_msec();
    if (pmd_core < 0) {
        dp_megaflows_format(dp->main.megaflows, now, &dp->tun_map, filter,
                            s);
    }
    for (size_t i = 0; i < dp_pmds_count(dp->pmds); i++) {
        struct dp_pmd *pmd = dp_pmds_get(dp->pmds, i);
        if (pmd_core < 0 || pmd_core == dp_pmd_core(pmd)) {
            dp_pmd_lock(pmd);
            dp_megaflows_format(dp_pmd_megaflows(pmd), now, &dp->tun_map,
                                filter, s);
            dp_pmd_unlock(pmd);
        }
    }
}

void
dp_flow_format_stats(const struct dp *dp, const char *main_title,
                     struct ds *s)
{
    dp_pmds_format_stats(dp->pmds, s);

    struct dp_megaflow_stats st;
    dp_megaflows_get_stats(dp->main.megaflows, &st);
    uint64_t n = st.n_emc_hits + st.n_megaflow_hits + st.n_misses;
    ds_put_format(s, "%s:\n", main_title);
    ds_put_format(s, "  packets received: %"PRIu64"\n"
                  "  packet recirculations: 0\n"
                  "  avg. datapath passes per packet: %s\n"
                  "  emc hits: %"PRIu64"\n"
                  "  megaflow hits: %"PRIu64"\n"
                  "  miss with success upcall: %"PRIu64"\n"
                  "  miss with failed upcall: 0\n"
                  "  avg. packets per output batch: %.2f\n"
                  "  megaflows installed: %"PRIu64"\n"
                  "  megaflows not installed: %"PRIu64"\n"
                  "  megaflows expired: %"PRIu64"\n"
                  "  megaflows revalidated: %"PRIu64"\n"
                  "  megaflows modified by revalidation: %"PRIu64"\n"
                  "  megaflows deleted by revalidation: %"PRIu64"\n"
                  "  megaflows now: %zu\n",
                  n, n ? "1.00" : "0.00", st.n_emc_hits, st.n_megaflow_hits,
                  st.n_misses,
                  dp->main.n_tx_batches
                  ? (double) dp->main.n_tx_packets / dp->main.n_tx_batches
                  : 0.0,
                  st.n_installed, st.n_not_installed,
                  st.n_expired, st.n_revalidated, st.n_reval_modified,
                  st.n_reval_deleted, dp_megaflows_count(dp->main.megaflows));
    if (dp_xdp_has_devices(dp->xdp)) {
        dp_xdp_format_stats(s);
    }
}

static void
sweep_cb(struct dp_megaflows *mfs, void *sum_)
{
    struct dp_megaflow_sweep *sum = sum_, sw;
    dp_megaflows_get_sweep(mfs, &sw);
    sum->n_flows += sw.n_flows;
    sum->avg_flows += sw.avg_flows;
    sum->max_flows += sw.max_flows;
    sum->limit += sw.limit;
    if (sw.duration > sum->duration) {
        sum->duration = sw.duration;
    }
}

/* The sums over every thread's cache (each has its own limit), and the
 * longest sweep. */
void
dp_flow_format_sweep(const struct dp *dp, struct ds *s)
{
    struct dp_megaflow_sweep sw = { 0, 0, 0, 0, 0 };
    for_each_cache(dp, sweep_cb, &sw);
    ds_put_format(s, "  flows         : (current %zu) (avg %zu) (max %zu) "
                  "(limit %zu)\n"
                  "  dump duration : %lldms\n",
                  sw.n_flows, sw.avg_flows, sw.max_flows, sw.limit,
                  sw.duration);
}

void
dp_pmd_stats_clear(struct dp *dp)
{
    dp_pmds_clear_stats(dp->pmds);
}

void
dp_pmd_rxq_format(struct dp *dp, struct ds *s)
{
    dp_pmds_format_rxqs(dp->pmds, s);
}

/* ---- Ports. ---- */

static const struct dp_port_class *
class_by_type(const char *type)
{
    for (size_t i = 0; i < ARRAY_SIZE(type_aliases); i++) {
        if (!strcmp(type, type_aliases[i].alias)) {
            type = type_aliases[i].type;
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(port_classes); i++) {
        if (!strcmp(type, port_classes[i]->type)) {
            return port_classes[i];
        }
    }
    return NULL;
}

const char *const *
dp_port_types(void)
{
    static const char *types[ARRAY_SIZE(port_classes)
                             + ARRAY_SIZE(type_aliases) + 1];

    if (!types[0]) {
        size_t n = 0;

        for (size_t i = 0; i < ARRAY_SIZE(port_classes); i++) {
            types[n++] = port_classes[i]->type;
        }
        for (size_t i = 0; i < ARRAY_SIZE(type_aliases); i++) {
            if (type_aliases[i].alias[0]) {
                types[n++] = type_aliases[i].alias;
            }
        }
    }
    return types;
}

struct dp_port *
dp_port_find_global(const char *name)
{
    struct dp_port *port;

    HMAP_FOR_EACH_WITH_HASH (port, name_node, hash_string(name, 0),
                             &all_ports) {
        if (!strcmp(port->name, name)) {
            return port;
        }
    }
    return NULL;
}

void *
dp_port_state_if_class(struct dp_port *port, const struct dp_port_class *c)
{
    return port && port->class == c ? port->state : NULL;
}

static void
port_set_n_threads(struct dp_port *port, unsigned int n_threads)
{
    free(port->txqs);
    port->txqs = xcalloc(n_threads, sizeof *port->txqs);
    for (unsigned int i = 0; i < n_threads; i++) {
        port->txqs[i].port = port;
    }
}

void
dp_ports_set_n_threads(struct dp *dp, unsigned int n_threads)
{
    struct dp_port *port;
    HMAP_FOR_EACH (port, node, &dp->ports) {
        port_set_n_threads(port, n_threads);
    }
}

int
dp_port_add(struct dp *dp, const char *name, const char *type,
            const struct dp_option *options, size_t n_options,
            uint32_t *port_no)
{
    const struct dp_port_class *class = class_by_type(type);
    struct dp_port *port;
    uint32_t no = *port_no;
    void *state;
    int fd, error;

    if (!class) {
        VLOG_WARN("%s: %s: unknown port type \"%s\"", dp->name, name, type);
        return -EAFNOSUPPORT;
    }
    if (dp_port_find_global(name)) {
        return -EEXIST;
    }
    if (no) {
        if (port_by_number(dp, no)) {
            return -EBUSY;
        }
    } else {
        for (no = 1; port_by_number(dp, no); no++) {
            continue;
        }
    }

    error = class->open(name, options, n_options, &state, &fd);
    if (error) {
        return error;
    }

    port = xzalloc(sizeof *port);
    port->dp = dp;
    port->port_no = no;
    port->name = xstrdup(name);
    port->class = class;
    port->state = state;
    port->n_rxq = class->n_rxq ? class->n_rxq(state) : 0;
    port->n_txq = port->n_rxq ? port->n_rxq : 1;
    port->tx_locks = xcalloc(port->n_txq, sizeof *port->tx_locks);
    for (unsigned int i = 0; i < port->n_txq; i++) {
        pthread_mutex_init(&port->tx_locks[i], NULL);
    }
    port->rxqs = xcalloc(port->n_rxq ? port->n_rxq : 1, sizeof *port->rxqs);
    for (unsigned int i = 0; i < port->n_rxq; i++) {
        port->rxqs[i].port = port;
        port->rxqs[i].qid = i;
        port->rxqs[i].core = -1;
    }
    const char *affinity = dp_option_find(options, n_options,
                                          "pmd-rxq-affinity");
    port->rxq_affinity = affinity ? xstrdup(affinity) : NULL;
    if (class->set_tun_map) {
        class->set_tun_map(state, &dp->tun_map);
    }
    if (class->attach) {
        class->attach(state, port);
    }
    int xdp_ifindex = class->xdp_ifindex ? class->xdp_ifindex(state) : 0;
    if (xdp_ifindex) {
        dp_xdp_port_add(dp->xdp, no, xdp_ifindex);
    }
    port_set_n_threads(port, dp_pmds_count(dp->pmds) + 1);
    if (fd >= 0 && !port->n_rxq) {
        port->ev = event_new(evloop_base(), fd, EV_READ | EV_PERSIST,
                             port_readable, port);
        event_add(port->ev, NULL);
    }
    dp_pmds_lock_all(dp->pmds);
    hmap_insert(&dp->ports, &port->node, hash_int(no, 0));
    if (no < DP_PORTS_BY_INDEX) {
        dp->ports_by_index[no] = port;
    }
    dp_pmds_unlock_all(dp->pmds);
    hmap_insert(&all_ports, &port->name_node, hash_string(name, 0));
    VLOG_INFO("%s: added %s port %s as port %"PRIu32,
              dp->name, class->type, name, no);
    *port_no = no;
    if (port->n_rxq) {
        dp_pmds_reconfigure(dp->pmds);
    }
    COVERAGE_INC(dpif_port_add);
    return 0;
}

bool
dp_port_is_tunnel(const struct dp *dp, uint32_t port_no)
{
    const struct dp_port *port = port_by_number(dp, port_no);
    return port && port->class->set_tun_map;
}

void
dp_set_tun_map(struct dp *dp, const struct tnl_opt_map *map)
{
    struct dp_port *port;

    dp->tun_map = *map;
    HMAP_FOR_EACH (port, node, &dp->ports) {
        if (port->class->set_tun_map) {
            /* PMD threads encapsulate with the map under the tx lock. */
            for (unsigned int i = 0; i < port->n_txq; i++) {
                pthread_mutex_lock(&port->tx_locks[i]);
            }
            port->class->set_tun_map(port->state, map);
            for (unsigned int i = 0; i < port->n_txq; i++) {
                pthread_mutex_unlock(&port->tx_locks[i]);
            }
        }
    }
}

int
dp_port_del(struct dp *dp, uint32_t port_no)
{
    struct dp_port *port = port_by_number(dp, port_no);

    if (!port) {
        return -ENOENT;
    }
    COVERAGE_INC(dpif_port_del);
    if (port->ev) {
        event_free(port->ev);
    }
    /* No thread has packets queued for it: each flushes after every
     * batch. */
    dp_pmds_lock_all(dp->pmds);
    dp_xdp_port_del(dp->xdp, port_no);
    dp_pmds_forget_port(dp->pmds, port);
    hmap_remove(&dp->ports, &port->node);
    if (port_no < DP_PORTS_BY_INDEX) {
        dp->ports_by_index[port_no] = NULL;
    }
    dp_pmds_unlock_all(dp->pmds);
    port->class->close(port->state);
    hmap_remove(&all_ports, &port->name_node);
    if (hmap_is_empty(&all_ports)) {
        hmap_destroy(&all_ports);
        hmap_init(&all_ports);
    }
    VLOG_INFO("%s: removed port %s", dp->name, port->name);
    bool had_rxqs = port->n_rxq;
    for (unsigned int i = 0; i < port->n_txq; i++) {
        pthread_mutex_destroy(&port->tx_locks[i]);
    }
    free(port->tx_locks);
    free(port->txqs);
    free(port->rxqs);
    free(port->rxq_affinity);
    free(port->name);
    free(port);
    if (had_rxqs) {
        dp_pmds_reconfigure(dp->pmds);
    }
    return 0;
}

int
dp_port_lookup(const struct dp *dp, const char *name, uint32_t *port_no)
{
    struct dp_port *port = dp_port_find_global(name);

    if (!port || port->dp != dp) {
        return -ENOENT;
    }
    *port_no = port->port_no;
    return 0;
}

const char *
dp_port_get_name(const struct dp *dp, uint32_t port_no)
{
    struct dp_port *port = port_by_number(dp, port_no);

    return port ? port->name : NULL;
}

const char *
dp_port_get_type(const struct dp *dp, uint32_t port_no)
{
    struct dp_port *port = port_by_number(dp, port_no);

    return port ? port->class->type : NULL;
}

int
dp_port_get_status(const struct dp *dp, uint32_t port_no,
                   struct dp_port_status *st)
{
    struct dp_port *port = port_by_number(dp, port_no);

    if (!port) {
        return -ENOENT;
    }
    memset(st, 0, sizeof *st);
    port->class->get_status(port->state, port->name, st);
    return 0;
}

int
dp_port_get_stats(const struct dp *dp, uint32_t port_no,
                  struct dp_port_stats *stats)
{
    struct dp_port *port = port_by_number(dp, port_no);

    if (!port) {
        return -ENOENT;
    }
    memset(stats, 0, sizeof *stats);
    stats->rx_packets = __atomic_load_n(&port->rx_packets, __ATOMIC_RELAXED);
    stats->rx_bytes = __atomic_load_n(&port->rx_bytes, __ATOMIC_RELAXED);
    stats->rx_errors = __atomic_load_n(&port->rx_errors, __ATOMIC_RELAXED);
    stats->tx_packets = __atomic_load_n(&port->tx_packets, __ATOMIC_RELAXED);
    stats->tx_bytes = __atomic_load_n(&port->tx_bytes, __ATOMIC_RELAXED);
    stats->tx_dropped = __atomic_load_n(&port->tx_dropped, __ATOMIC_RELAXED);
    return 0;
}

int
dp_option_n_rxq(const char *name, const struct dp_option *options, size_t n)
{
    const char *s = dp_option_find(options, n, "n_rxq");
    if (!s) {
        return 1;
    }
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end || v < 1 || v > DP_MAX_RXQ) {
        VLOG_WARN("%s: n_rxq must be a number from 1 to %d, not \"%s\"",
                  name, DP_MAX_RXQ, s);
        return -EINVAL;
    }
    return v;
}

const char *
dp_option_find(const struct dp_option *options, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(options[i].key, key)) {
            return options[i].value;
        }
    }
    return NULL;
}

/* ---- PACKET_OUT. ---- */

int
dp_execute(struct dp *dp, const void *data, size_t len, uint32_t in_port,
           const struct dp_actions *actions)
{
    struct dp_packet *p;

    if (!len || len > DP_PACKET_MAX_LEN) {
        return -EINVAL;
    }
    COVERAGE_INC(dpif_execute);
    p = dp_packet_pool_get(&dp->main.pool);
    memcpy(dp_packet_reset(p, len), data, len);
    p->in_port = in_port;
    execute(dp, &dp->main, p, actions->acts, actions->n, actions->sets);
    thread_flush(&dp->main);
    return 0;
}
