/* ofp-queue: the actions that pick an egress queue — set_queue, enqueue
 * and pop_queue.
 *
 * OpenFlow 1.0 has enqueue:PORT:QUEUE (OFPAT_ENQUEUE, 11: output to a
 * queue of a port); OpenFlow 1.1+ split it into set_queue (OFPAT_SET_QUEUE,
 * 21) and output.  Open vSwitch bridges the gap with two Nicira actions,
 * NXAST_SET_QUEUE (4, set_queue in OpenFlow 1.0) and NXAST_POP_QUEUE (5,
 * back to the default queue), and sends enqueue in 1.1+ as
 * "set_queue:Q,output:P,pop_queue"; this module does the same, so text
 * and wire forms match ovs-ofctl's.
 *
 * What the switch does with them: xlate.c records the queue on the
 * packet, and ofproto/trace says so, but the datapath has no queues (no
 * QoS configuration, no tc), so every packet leaves by the port's one
 * queue.  The queue statistics and config messages are in
 * ofp-queue-msgs.h. */
#ifndef XVS_OFP_QUEUE_H
#define XVS_OFP_QUEUE_H 1

#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"

struct ds;
struct ofpact;
struct ofpacts;
struct ofpbuf;

#define NXAST_SET_QUEUE 4
#define NXAST_POP_QUEUE 5
#define OFPAT10_ENQUEUE 11
#define OFPAT11_SET_QUEUE 21

char *ofp_queue_parse_set_queue(const char *arg, struct ofpacts *);
char *ofp_queue_parse_enqueue(const char *arg, struct ofpacts *);
char *ofp_queue_parse_pop_queue(const char *arg, struct ofpacts *);
void ofp_queue_format(const struct ofpact *, struct ds *);

/* Decoders get the whole action; the NX ones are called for NX subtypes
 * 4 and 5 in every version. */
enum ofperr ofp_queue_decode_nx(uint16_t subtype, const uint8_t *p,
                                size_t len, struct ofpacts *);
enum ofperr ofp_queue_decode_enqueue(const uint8_t *p, size_t len,
                                     struct ofpacts *);
enum ofperr ofp_queue_decode_set_queue(const uint8_t *p, size_t len,
                                       struct ofpacts *);
void ofp_queue_encode(const struct ofpact *, uint8_t version,
                      struct ofpbuf *);

#endif
