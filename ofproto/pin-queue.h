/* pin-queue: packet-ins to one controller, limited to a rate.
 *
 * Why: Controller controller_rate_limit and controller_burst_limit keep a
 * flood of table misses or controller actions from swamping a controller,
 * the way Open vSwitch does it: packet-ins pass at once while a token
 * bucket (the rate, holding up to the burst) has tokens; beyond that they
 * wait in a queue of up to 'burst' messages that drains at the rate, and
 * when the queue is full its oldest message is dropped to make room.  The
 * counters are the ones Open vSwitch reports in Controller status
 * (packet-in-TYPE-bypassed, -queued, -dropped, -backlog).
 *
 * connmgr.c keeps one queue per controller connection and kind (table
 * miss or action).  Draining runs on evloop timers.
 *
 * Not done yet: sharing the queue fairly between input ports (one FIFO
 * here), controller_queue_size. */
#ifndef XVS_PIN_QUEUE_H
#define XVS_PIN_QUEUE_H 1

struct ofpbuf;

struct pin_queue_stats {
    unsigned long long bypassed;    /* Sent at once. */
    unsigned long long queued;      /* Put in the queue. */
    unsigned long long dropped;     /* Queued, then dropped for room. */
    unsigned long long backlog;     /* In the queue now. */
};

/* 'send(aux, msg)' takes each message that may go out. */
struct pin_queue *pin_queue_create(unsigned int rate, unsigned int burst,
                                   void (*send)(void *aux, struct ofpbuf *),
                                   void *aux);
/* Frees the queue and the messages still in it. */
void pin_queue_destroy(struct pin_queue *);
/* Sends, queues or (making room) drops; takes 'msg'. */
void pin_queue_send(struct pin_queue *, struct ofpbuf *msg);
void pin_queue_get_stats(const struct pin_queue *, struct pin_queue_stats *);

#endif
