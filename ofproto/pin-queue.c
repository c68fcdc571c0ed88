#include <config.h>
#include "pin-queue.h"

#include <stdlib.h>
#include <event2/event.h>
#include "evloop.h"
#include "ofpbuf.h"
#include "token-bucket.h"
#include "util.h"

struct pin_queue {
    struct token_bucket bucket;
    void (*send)(void *aux, struct ofpbuf *);
    void *aux;
    struct ofpbuf **ring;       /* 'burst' slots. */
    size_t cap, head, n;
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

static void
pin_queue_drain(evutil_socket_t fd XVS_UNUSED, short what XVS_UNUSED,
                void *q_)
{
    struct pin_queue *q = q_;
    long long int now = time_msec();
    while (q->n && token_bucket_take(&q->bucket, now)) {
        struct ofpbuf *msg = q->ring[q->head];
        q->head = (q->head + 1) % q->cap;
        q->n--;
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
    q->ring = xcalloc(burst, sizeof *q->ring);
    q->timer = evtimer_new(evloop_base(), pin_queue_drain, q);
    return q;
}

void
pin_queue_destroy(struct pin_queue *q)
{
    if (q) {
        for (size_t i = 0; i < q->n; i++) {
            ofpbuf_delete(q->ring[(q->head + i) % q->cap]);
        }
        event_free(q->timer);
        free(q->ring);
        free(q);
    }
}

void
pin_queue_send(struct pin_queue *q, struct ofpbuf *msg)
{
    /* Nothing overtakes what is already waiting. */
    if (!q->n && token_bucket_take(&q->bucket, time_msec())) {
        q->stats.bypassed++;
        q->send(q->aux, msg);
        return;
    }
    if (q->n == q->cap) {
        ofpbuf_delete(q->ring[q->head]);
        q->head = (q->head + 1) % q->cap;
        q->n--;
        q->stats.dropped++;
    }
    q->ring[(q->head + q->n) % q->cap] = msg;
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
