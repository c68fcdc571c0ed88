/* ofp-queue-msgs: queue statistics and queue configuration messages. */
#include <config.h>
#include "ofp-queue-msgs.h"

#include <inttypes.h>
#include "ofp-msgs.h"
#include "ofp-port.h"
#include "ofpbuf.h"

/* The 16-bit OpenFlow 1.0 form of 'port'. */
static uint16_t
port_to_of10(uint32_t port)
{
    uint16_t p;
    ofp_port_to_of10(port, &p);
    return p;
}

struct ofpbuf *
ofp_encode_queue_stats_request(const struct ofp_queue_request *r,
                               uint8_t version, uint32_t xid)
{
    struct ofpbuf *b = ofpraw_alloc(OFPTYPE_QUEUE_STATS_REQUEST, version,
                                    xid, 8);
    if (version == OFP10_VERSION) {
        /* OpenFlow 1.0 says "every port" here with OFPP_ALL. */
        ofpbuf_put_be16(b, port_to_of10(r->port_no == OFPP_ANY ? OFPP_ALL
                                        : r->port_no));
        ofpbuf_put_zeros(b, 2);
    } else {
        ofpbuf_put_be32(b, r->port_no);
    }
    ofpbuf_put_be32(b, r->queue_id);
    ofpmsg_update_length(b);
    return b;
}

struct ofpbuf *
ofp_encode_queue_config_request(const struct ofp_queue_request *r,
                                uint8_t version, uint32_t xid)
{
    struct ofpbuf *b;
    if (version == OFP10_VERSION) {
        b = ofpraw_alloc(OFPTYPE_QUEUE_GET_CONFIG_REQUEST, version, xid, 4);
        ofpbuf_put_be16(b, port_to_of10(r->port_no));
        ofpbuf_put_zeros(b, 2);
    } else if (version == OFP13_VERSION) {
        b = ofpraw_alloc(OFPTYPE_QUEUE_GET_CONFIG_REQUEST, version, xid, 8);
        ofpbuf_put_be32(b, r->port_no);
        ofpbuf_put_zeros(b, 4);
    } else {
        b = ofpraw_alloc(OFPTYPE_QUEUE_DESC_STATS_REQUEST, version, xid, 8);
        ofpbuf_put_be32(b, r->port_no);
        ofpbuf_put_be32(b, r->queue_id);
    }
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_decode_queue_request(const struct ofp_msg_info *info,
                         struct ofp_queue_request *r)
{
    const uint8_t *p = info->body;
    if (info->version == OFP10_VERSION) {
        r->port_no = ofp_port_from_of10(get_be16(p));
        r->queue_id = (info->type == OFPTYPE_QUEUE_STATS_REQUEST
                       ? get_be32(p + 4) : OFPQ_ALL);
        if (info->type == OFPTYPE_QUEUE_STATS_REQUEST
            && r->port_no == OFPP_ALL) {
            r->port_no = OFPP_ANY;
        }
    } else {
        r->port_no = get_be32(p);
        r->queue_id = (info->type == OFPTYPE_QUEUE_GET_CONFIG_REQUEST
                       ? OFPQ_ALL : get_be32(p + 4));
    }
    /* Queue config is about real ports (or all of them). */
    if (info->type != OFPTYPE_QUEUE_STATS_REQUEST
        && r->port_no >= OFPP_MAX && r->port_no != OFPP_ANY) {
        return OFPERR_OFPQOFC_BAD_PORT;
    }
    return 0;
}

struct ofpbuf *
ofp_encode_queue_empty_reply(const struct ofp_msg_info *request)
{
    struct ofpbuf *b;
    switch (request->type) {
    case OFPTYPE_QUEUE_GET_CONFIG_REQUEST:
        /* The port asked about, then no queue. */
        b = ofpraw_alloc_reply(OFPTYPE_QUEUE_GET_CONFIG_REPLY, request, 8);
        if (request->version == OFP10_VERSION) {
            ofpbuf_put(b, request->body, 2);
            ofpbuf_put_zeros(b, 6);
        } else {
            ofpbuf_put(b, request->body, 4);
            ofpbuf_put_zeros(b, 4);
        }
        break;
    case OFPTYPE_QUEUE_DESC_STATS_REQUEST:
        b = ofpraw_alloc_reply(OFPTYPE_QUEUE_DESC_STATS_REPLY, request, 0);
        break;
    default:
        b = ofpraw_alloc_reply(OFPTYPE_QUEUE_STATS_REPLY, request, 0);
        break;
    }
    ofpmsg_update_length(b);
    return b;
}

/* Queue stats entries: fixed size up to 1.3, a length field in 1.4+. */
static size_t
count_queue_stats(const struct ofp_msg_info *info)
{
    if (info->version < OFP14_VERSION) {
        return info->body_len / (info->version == OFP10_VERSION ? 32 : 40);
    }
    size_t n = 0;
    for (size_t ofs = 0; ofs + 2 <= info->body_len; n++) {
        uint16_t len = get_be16(info->body + ofs);
        if (len < 48) {
            break;
        }
        ofs += len;
    }
    return n;
}

static void
print_queue_id(struct ds *s, uint32_t queue_id)
{
    if (queue_id == OFPQ_ALL) {
        ds_put_cstr(s, "ALL");
    } else {
        ds_put_format(s, "%"PRIu32, queue_id);
    }
}

/* A min_rate or max_rate in tenths of a percent; above 1000 is "off". */
static void
print_queue_rate(struct ds *s, const char *name, uint16_t rate)
{
    if (rate <= 1000) {
        ds_put_format(s, " %s:%u.%u%%", name, rate / 10, rate % 10);
    } else if (rate != UINT16_MAX) {
        ds_put_format(s, " %s:(disabled)", name);
    }
}

/* The queues of a QUEUE_GET_CONFIG reply or QUEUE_DESC reply: each has a
 * header ('hdr' bytes, its length at 'len_ofs') then rate properties
 * ('prop_hdr' bytes of type and length, then the 16-bit rate). */
static enum ofperr
print_queue_configs(struct ds *s, const struct ofp_msg_info *info)
{
    size_t ofs, hdr, len_ofs, prop_hdr;
    uint32_t port = 0;
    bool of14 = info->version >= OFP14_VERSION;
    if (info->version == OFP10_VERSION) {
        ofs = 8, hdr = 8, len_ofs = 4, prop_hdr = 8;
    } else if (!of14) {
        ofs = 8, hdr = 16, len_ofs = 8, prop_hdr = 8;
    } else {
        ofs = 0, hdr = 16, len_ofs = 8, prop_hdr = 4;
    }
    ds_put_char(s, ' ');
    while (ofs + hdr <= info->body_len) {
        const uint8_t *q = info->body + ofs;
        uint16_t len = get_be16(q + len_ofs);
        if (len < hdr || len > info->body_len - ofs) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        uint32_t q_port = (info->version == OFP10_VERSION
                           ? ofp_port_from_of10(get_be16(info->body))
                           : of14 ? get_be32(q) : get_be32(q + 4));
        uint32_t queue_id = get_be32(q + (of14 ? 4 : 0));
        uint16_t rates[2] = { UINT16_MAX, UINT16_MAX };
        for (size_t p = hdr; p + prop_hdr + 2 <= len; ) {
            uint16_t type = get_be16(q + p), plen = get_be16(q + p + 2);
            if (plen < prop_hdr + 2 || plen > len - p) {
                break;
            }
            if (type == 1 || type == 2) {
                rates[type - 1] = get_be16(q + p + prop_hdr);
            }
            p += plen;
        }
        if (q_port != port) {
            port = q_port;
            ds_put_cstr(s, "port=");
            ofp_port_format(port, s);
            ds_put_char(s, '\n');
        }
        ds_put_format(s, "queue %"PRIu32":", queue_id);
        print_queue_rate(s, "min_rate", rates[0]);
        print_queue_rate(s, "max_rate", rates[1]);
        ds_put_char(s, '\n');
        ofs += len;
    }
    /* The caller ends the message with a new line. */
    ds_chomp(s, ' ');
    ds_chomp(s, '\n');
    return 0;
}

enum ofperr
ofp_queue_msg_print(struct ds *s, const struct ofp_msg_info *info)
{
    struct ofp_queue_request r;
    switch (info->type) {
    case OFPTYPE_QUEUE_STATS_REQUEST:
        ofp_decode_queue_request(info, &r);
        ds_put_cstr(s, " port=");
        ofp_port_format(r.port_no, s);
        ds_put_cstr(s, " queue=");
        print_queue_id(s, r.queue_id);
        return 0;
    case OFPTYPE_QUEUE_GET_CONFIG_REQUEST:
    case OFPTYPE_QUEUE_DESC_STATS_REQUEST: {
        enum ofperr error = ofp_decode_queue_request(info, &r);
        if (error) {
            return error;
        }
        ds_put_cstr(s, " port=");
        ofp_port_format(r.port_no, s);
        if (r.queue_id != OFPQ_ALL) {
            ds_put_cstr(s, " queue=");
            print_queue_id(s, r.queue_id);
        }
        return 0;
    }
    case OFPTYPE_QUEUE_STATS_REPLY:
        ds_put_format(s, " %zu queues", count_queue_stats(info));
        return 0;
    default:
        return print_queue_configs(s, info);
    }
}
