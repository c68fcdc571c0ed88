/* port-dummy: a port with no device, so tests run without root.
 *
 * Frames enter through dp_dummy_receive() (unixctl "netdev-dummy/receive")
 * and every transmitted frame is kept, the last DUMMY_CAPTURE_MAX of them,
 * for "netdev-dummy/capture" to print.  Link and admin state are up; the
 * MAC address is derived from the port name so it is stable across runs.
 *
 * Two types: "dummy" runs the packet path on the main thread at once;
 * "dummy-pmd" (Open vSwitch's name) has options:n_rxq rx queues that PMD
 * threads poll, and injection queues the frame on one of them.  A mutex
 * per port guards the queues and the capture ring, which PMD threads and
 * the main thread share (this is a test type; real pmd ports share
 * nothing per packet). */
#include <config.h>
#include "port-provider.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "list.h"
#include "packets.h"
#include "unixctl.h"

#define DUMMY_CAPTURE_MAX 1024

struct dummy_frame {
    size_t len;
    uint8_t *data;
};

/* A frame waiting on a dummy-pmd rx queue. */
struct dummy_rx {
    struct xvs_list node;
    size_t len;
    uint8_t data[];
};

struct dummy_queue {
    struct xvs_list frames;     /* 'struct dummy_rx'es, oldest first. */
    unsigned int n;             /* Atomic: frames in 'frames'. */
};

struct dummy_port {
    pthread_mutex_t mutex;
    struct dummy_frame frames[DUMMY_CAPTURE_MAX];   /* Ring. */
    size_t n_frames;            /* Frames ever captured. */
    unsigned int n_rxq;         /* 0 for "dummy". */
    struct dummy_queue *rxqs;
};

static struct dummy_port *
dummy_create(unsigned int n_rxq)
{
    struct dummy_port *d = xzalloc(sizeof *d);
    pthread_mutex_init(&d->mutex, NULL);
    d->n_rxq = n_rxq;
    d->rxqs = xcalloc(n_rxq ? n_rxq : 1, sizeof *d->rxqs);
    for (unsigned int i = 0; i < n_rxq; i++) {
        xvs_list_init(&d->rxqs[i].frames);
    }
    return d;
}

static int
dummy_open(const char *name XVS_UNUSED,
           const struct dp_option *options XVS_UNUSED,
           size_t n XVS_UNUSED, void **statep, int *fdp)
{
    *statep = dummy_create(0);
    *fdp = -1;
    return 0;
}

static int
dummy_pmd_open(const char *name, const struct dp_option *options, size_t n,
               void **statep, int *fdp)
{
    int n_rxq = dp_option_n_rxq(name, options, n);
    if (n_rxq < 0) {
        return n_rxq;
    }
    *statep = dummy_create(n_rxq);
    *fdp = -1;
    return 0;
}

static void
dummy_close(void *state)
{
    struct dummy_port *d = state;

    for (size_t i = 0; i < DUMMY_CAPTURE_MAX; i++) {
        free(d->frames[i].data);
    }
    for (unsigned int i = 0; i < d->n_rxq; i++) {
        struct dummy_rx *rx, *next;
        XVS_LIST_FOR_EACH_SAFE (rx, next, node, &d->rxqs[i].frames) {
            free(rx);
        }
    }
    free(d->rxqs);
    pthread_mutex_destroy(&d->mutex);
    free(d);
}

static int
dummy_recv(void *state XVS_UNUSED, unsigned int qid XVS_UNUSED,
           struct dp_packet_pool *pool XVS_UNUSED,
           struct dp_packet_batch *batch XVS_UNUSED)
{
    return 0;
}

static int
dummy_pmd_recv(void *state, unsigned int qid, struct dp_packet_pool *pool,
               struct dp_packet_batch *batch)
{
    struct dummy_port *d = state;
    struct dummy_queue *q = &d->rxqs[qid];

    /* Polled in a busy loop: look before locking. */
    if (!__atomic_load_n(&q->n, __ATOMIC_ACQUIRE)) {
        return 0;
    }
    pthread_mutex_lock(&d->mutex);
    while (batch->count < DP_BATCH_SIZE && !xvs_list_is_empty(&q->frames)) {
        struct dummy_rx *rx = CONTAINER_OF(xvs_list_pop_front(&q->frames),
                                           struct dummy_rx, node);
        struct dp_packet *p = dp_packet_pool_get(pool);
        memcpy(dp_packet_reset(p, rx->len), rx->data, rx->len);
        batch->packets[batch->count++] = p;
        __atomic_sub_fetch(&q->n, 1, __ATOMIC_RELEASE);
        free(rx);
    }
    pthread_mutex_unlock(&d->mutex);
    return 0;
}

static unsigned int
dummy_pmd_n_rxq(const void *state)
{
    const struct dummy_port *d = state;
    return d->n_rxq;
}

static int
dummy_send(void *state, unsigned int qid XVS_UNUSED,
           struct dp_packet_batch *batch)
{
    struct dummy_port *d = state;

    pthread_mutex_lock(&d->mutex);
    for (unsigned int i = 0; i < batch->count; i++) {
        struct dp_packet *p = batch->packets[i];
        struct dummy_frame *f = &d->frames[d->n_frames++ % DUMMY_CAPTURE_MAX];

        free(f->data);
        f->len = p->size;
        f->data = xmemdup(dp_packet_data(p), p->size);
    }
    pthread_mutex_unlock(&d->mutex);
    return 0;
}

static void
dummy_get_status(void *state XVS_UNUSED, const char *name,
                 struct dp_port_status *st)
{
    eth_addr_random(&st->mac, hash_string(name, 0) | 1);
    st->mtu = 1500;
    st->admin_up = true;
    st->link_up = true;
    st->ifindex = 0;
}

const struct dp_port_class dp_port_dummy_class = {
    .type = "dummy",
    .open = dummy_open,
    .close = dummy_close,
    .recv = dummy_recv,
    .send = dummy_send,
    .get_status = dummy_get_status,
};

const struct dp_port_class dp_port_dummy_pmd_class = {
    .type = "dummy-pmd",
    .open = dummy_pmd_open,
    .close = dummy_close,
    .recv = dummy_pmd_recv,
    .send = dummy_send,
    .get_status = dummy_get_status,
    .n_rxq = dummy_pmd_n_rxq,
};

static struct dummy_port *
dummy_find(const char *port_name)
{
    struct dp_port *port = dp_port_find_global(port_name);
    struct dummy_port *d = dp_port_state_if_class(port, &dp_port_dummy_class);
    return d ? d : dp_port_state_if_class(port, &dp_port_dummy_pmd_class);
}

int
dp_dummy_receive(const char *port_name, unsigned int qid, const void *data,
                 size_t len)
{
    struct dp_port *port = dp_port_find_global(port_name);
    struct dummy_port *d = dummy_find(port_name);
    struct dp_packet_batch batch;
    struct dp_packet *p;

    if (!d) {
        return -ENODEV;
    }
    if (!len || len > DP_PACKET_MAX_LEN || qid >= (d->n_rxq ? d->n_rxq : 1)) {
        return -EINVAL;
    }
    if (d->n_rxq) {
        struct dummy_rx *rx = xmalloc(sizeof *rx + len);
        rx->len = len;
        memcpy(rx->data, data, len);
        pthread_mutex_lock(&d->mutex);
        xvs_list_push_back(&d->rxqs[qid].frames, &rx->node);
        __atomic_add_fetch(&d->rxqs[qid].n, 1, __ATOMIC_RELEASE);
        pthread_mutex_unlock(&d->mutex);
        return 0;
    }
    p = dp_packet_pool_get(dp_port_pool(port));
    memcpy(dp_packet_reset(p, len), data, len);
    batch.count = 1;
    batch.packets[0] = p;
    dp_port_input(port, &batch);
    return 0;
}

static void
unixctl_receive(struct unixctl_conn *conn, int argc, const char *argv[],
                void *aux XVS_UNUSED)
{
    unsigned int qid = 0;
    int i = 2;
    if (argc > 3 && !strcmp(argv[2], "--qid")) {
        char *end;
        unsigned long v = strtoul(argv[3], &end, 10);
        if (!*argv[3] || *end || v >= DP_MAX_RXQ) {
            unixctl_command_reply_error(conn, "bad queue id");
            return;
        }
        qid = v;
        i = 4;
    }
    for (; i < argc; i++) {
        size_t len;
        uint8_t *data = packet_from_hex(argv[i], &len);
        int error;

        if (!data) {
            unixctl_command_reply_error(conn, "bad hex packet");
            return;
        }
        error = dp_dummy_receive(argv[1], qid, data, len);
        free(data);
        if (error) {
            unixctl_command_reply_error(conn, error == -ENODEV
                                        ? "no such dummy port"
                                        : "bad packet length or queue id");
            return;
        }
    }
    unixctl_command_reply(conn, "");
}

static void
unixctl_capture(struct unixctl_conn *conn, int argc XVS_UNUSED,
                const char *argv[], void *aux XVS_UNUSED)
{
    struct dummy_port *d = dummy_find(argv[1]);
    struct ds s = DS_EMPTY_INITIALIZER;
    size_t first;

    if (!d) {
        unixctl_command_reply_error(conn, "no such dummy port");
        return;
    }
    pthread_mutex_lock(&d->mutex);
    first = d->n_frames > DUMMY_CAPTURE_MAX
            ? d->n_frames - DUMMY_CAPTURE_MAX : 0;
    for (size_t i = first; i < d->n_frames; i++) {
        const struct dummy_frame *f = &d->frames[i % DUMMY_CAPTURE_MAX];

        packet_to_hex(&s, f->data, f->len);
        ds_put_char(&s, '\n');
    }
    pthread_mutex_unlock(&d->mutex);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

void
dp_dummy_register_unixctl(void)
{
    unixctl_command_register("netdev-dummy/receive",
                             "PORT [--qid N] HEXPACKET...", 2, 66,
                             unixctl_receive, NULL);
    unixctl_command_register("netdev-dummy/capture", "PORT",
                             1, 1, unixctl_capture, NULL);
}
