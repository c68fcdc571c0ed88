/* pin-queue: packet-ins to one controller, limited to a rate and shared
 * fairly between input ports.
 *
 * Why: Controller controller_rate_limit and controller_burst_limit keep a
 * flood of table misses or controller actions from swamping a controller,
 * the way Open vSwitch does it: packet-ins pass at once while a token
 * bucket (the rate, holding up to the burst) has tokens; beyond that they
 * wait, up to 'burst' messages in all, in one queue per input port, and
 * the queues are drained at the rate taking one message from each port in
 * turn, so that one busy port cannot starve the others.  When all the
 * queues together are full, the oldest message of the longest queue is
 * dropped to make room.  The counters are the ones Open vSwitch reports in
 * Controller status (packet-in-TYPE-bypassed, -queued, -dropped,
 * -backlog).
 *
 * connmgr.c keeps one pin_queue per controller connection and kind (table
 * miss or action).  Draining runs on evloop timers.
 *
 * Not done yet: Open vSwitch picks at random among equally long queues
 * when it drops; here the first of them in turn order loses. */
#ifndef XVS_PIN_QUEUE_H
#define XVS_PIN_QUEUE_H 1

#include <stdint.h>

struct ofpbuf;

struct pin_queue_stats {
    unsigned long long bypassed;    /* Sent at once. */
    unsigned long long queued;      /* Put in a queue. */
    unsigned long long dropped;     /* Queued, then dropped for room. */
    unsigned long long backlog;     /* In the queues now. */
};

/* 'send(aux, msg)' takes each message that may go out. */
struct pin_queue *pin_queue_create(unsigned int rate, unsigned int burst,
                                   void (*send)(void *aux, struct ofpbuf *),
                                   void *aux);
/* Frees the queue and the messages still in it. */
void pin_queue_destroy(struct pin_queue *);
/* Sends, queues or (making room) drops 'msg', a packet-in of a packet
 * that came in on 'in_port'; takes 'msg'. */
void pin_queue_send(struct pin_queue *, uint32_t in_port,
                    struct ofpbuf *msg);
void pin_queue_get_stats(const struct pin_queue *, struct pin_queue_stats *);

#endif
