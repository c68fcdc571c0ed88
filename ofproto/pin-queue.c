#include <config.h>
#include "pin-queue.h"

#include <stdlib.h>
#include <event2/event.h>
#include "evloop.h"
#include "list.h"
#include "ofpbuf.h"
#include "token-bucket.h"
#include "util.h"

/* One queued packet-in. */
struct pin_msg {
    struct xvs_list node;       /* In its port's 'msgs'. */
    struct ofpbuf *msg;
};

/* The packet-ins waiting from one input port; exists while non-empty. */
struct pin_port {
    struct xvs_list node;       /* In pin_queue 'ports', in turn order. */
    uint32_t in_port;
    struct xvs_list msgs;       /* Oldest first. */
    size_t n;
};

struct pin_queue {
    struct token_bucket bucket;
    void (*send)(void *aux, struct ofpbuf *);
    void *aux;
    size_t cap;                 /* 'burst': most messages in all ports. */
    size_t n;                   /* Messages in all ports. */
    struct xvs_list ports;      /* The next to send from first. */
    struct event *timer;        /* Drains while 'n' > 0. */
    struct pin_queue_stats stats;
};

static void
pin_queue_arm(struct pin_queue *q)
{
    /* One token's worth of time, rounded up. */
    int msec = (1000 + q->bucket.rate - 1) / q->bucket.rate;
    struct timeval tv = { .tv_sec = msec / 1000,
                          .tv_usec = msec % 1000 * 1000 };
    evtimer_add(q->timer, &tv);
}

/* Takes the oldest message of 'p' out of the queue (freeing 'p' once it
 * is empty) and returns it. */
static struct ofpbuf *
pin_port_pop(struct pin_queue *q, struct pin_port *p)
{
    struct pin_msg *pm = CONTAINER_OF(xvs_list_pop_front(&p->msgs),
                                          struct pin_msg, node);
    struct ofpbuf *msg = pm->msg;
    free(pm);
    p->n--;
    q->n--;
    if (!p->n) {
        xvs_list_remove(&p->node);
        free(p);
    }
    return msg;
}

static void
pin_queue_drain(evutil_socket_t fd XVS_UNUSED, short what XVS_UNUSED,
                void *q_)
{
    struct pin_queue *q = q_;
    long long int now = time_msec();
    while (q->n && token_bucket_take(&q->bucket, now)) {
        /* The port at the front sends one, then waits its next turn at
         * the back. */
        struct pin_port *p = CONTAINER_OF(q->ports.next, struct pin_port,
                                              node);
        bool more = p->n > 1;
        struct ofpbuf *msg = pin_port_pop(q, p);
        if (more) {
            xvs_list_remove(&p->node);
            xvs_list_push_back(&q->ports, &p->node);
        }
        q->send(q->aux, msg);
    }
    if (q->n) {
        pin_queue_arm(q);
    }
}

struct pin_queue *
pin_queue_create(unsigned int rate, unsigned int burst,
                 void (*send)(void *aux, struct ofpbuf *), void *aux)
{
    struct pin_queue *q = xzalloc(sizeof *q);
    rate = XVS_MAX(rate, 1u);
    burst = XVS_MAX(burst, 1u);
    token_bucket_init(&q->bucket, rate, burst, time_msec());
    q->send = send;
    q->aux = aux;
    q->cap = burst;
    xvs_list_init(&q->ports);
    q->timer = evtimer_new(evloop_base(), pin_queue_drain, q);
    return q;
}

void
pin_queue_destroy(struct pin_queue *q)
{
    if (q) {
        while (q->n) {
            struct pin_port *p = CONTAINER_OF(q->ports.next,
                                                  struct pin_port, node);
            ofpbuf_delete(pin_port_pop(q, p));
        }
        event_free(q->timer);
        free(q);
    }
}

/* Drops the oldest message of the longest queue. */
static void
pin_queue_make_room(struct pin_queue *q)
{
    struct pin_port *longest = NULL, *p;
    XVS_LIST_FOR_EACH (p, node, &q->ports) {
        if (!longest || p->n > longest->n) {
            longest = p;
        }
    }
    ofpbuf_delete(pin_port_pop(q, longest));
    q->stats.dropped++;
}

void
pin_queue_send(struct pin_queue *q, uint32_t in_port, struct ofpbuf *msg)
{
    /* Nothing overtakes what is already waiting. */
    if (!q->n && token_bucket_take(&q->bucket, time_msec())) {
        q->stats.bypassed++;
        q->send(q->aux, msg);
        return;
    }
    if (q->n == q->cap) {
        pin_queue_make_room(q);
    }

    struct pin_port *port = NULL, *p;
    XVS_LIST_FOR_EACH (p, node, &q->ports) {
        if (p->in_port == in_port) {
            port = p;
            break;
        }
    }
    if (!port) {
        /* A port that had nothing waiting takes its turn after those
         * that have. */
        port = xzalloc(sizeof *port);
        port->in_port = in_port;
        xvs_list_init(&port->msgs);
        xvs_list_push_back(&q->ports, &port->node);
    }
    struct pin_msg *pm = xmalloc(sizeof *pm);
    pm->msg = msg;
    xvs_list_push_back(&port->msgs, &pm->node);
    port->n++;
    q->n++;
    q->stats.queued++;
    if (q->n == 1) {
        pin_queue_arm(q);
    }
}

void
pin_queue_get_stats(const struct pin_queue *q, struct pin_queue_stats *s)
{
    *s = q->stats;
    s->backlog = q->n;
}
