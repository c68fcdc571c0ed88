/* ofp-queue-msgs: the queue statistics and queue configuration messages.
 *
 * Queue statistics are OFPST_QUEUE (OpenFlow 1.0) / OFPMP_QUEUE_STATS
 * (1.3+) multiparts; a queue's configuration is asked for with
 * OFPT_QUEUE_GET_CONFIG_REQUEST in OpenFlow 1.0 and 1.3 (one port, all
 * its queues) and with the OFPMP_QUEUE_DESC multipart in 1.4+ (a port
 * and a queue, either of which may be "all").  This module encodes and
 * decodes the requests, encodes the empty replies the switch gives (its
 * datapath has no queues, see ofp-queue.h) and prints every form as
 * ovs-ofctl does.  It does not encode replies with queues in them. */
#ifndef XVS_OFP_QUEUE_MSGS_H
#define XVS_OFP_QUEUE_MSGS_H 1

#include <stdint.h>
#include "ofp-errors.h"

struct ds;
struct ofp_msg_info;
struct ofpbuf;

#define OFPQ_ALL 0xffffffff

/* A queue stats or queue config request: OFPP_ANY and OFPQ_ALL for all. */
struct ofp_queue_request {
    uint32_t port_no;
    uint32_t queue_id;
};

struct ofpbuf *ofp_encode_queue_stats_request(const struct ofp_queue_request *,
                                              uint8_t version, uint32_t xid);
/* OFPT_QUEUE_GET_CONFIG_REQUEST up to OpenFlow 1.3 (which cannot name a
 * queue: it asks for all), OFPMP_QUEUE_DESC from 1.4 on. */
struct ofpbuf *ofp_encode_queue_config_request(
    const struct ofp_queue_request *, uint8_t version, uint32_t xid);
/* Decodes either kind of request (queue stats or queue config). */
enum ofperr ofp_decode_queue_request(const struct ofp_msg_info *,
                                     struct ofp_queue_request *);
/* The reply to 'request' (either kind) that lists no queue. */
struct ofpbuf *ofp_encode_queue_empty_reply(const struct ofp_msg_info *request);

/* Appends the body of any of the queue messages. */
enum ofperr ofp_queue_msg_print(struct ds *, const struct ofp_msg_info *);

#endif
