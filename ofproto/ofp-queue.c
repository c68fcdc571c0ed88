/* ofp-queue: set_queue, enqueue and pop_queue. */
#include <config.h>
#include "ofp-queue.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "ofp-actions.h"
#include "ofp-port.h"
#include "ofpbuf.h"

#define OFP10_VERSION 0x01
#define NX_VENDOR_ID 0x00002320
#define OFPAT_EXPERIMENTER 0xffff

static char *
parse_u32(const char *s, const char *what, uint32_t *out)
{
    unsigned long long x;
    if (!s || !str_to_ullong(s, 0, &x) || x > UINT32_MAX) {
        return xasprintf("%s: invalid %s", s ? s : "(missing)", what);
    }
    *out = x;
    return NULL;
}

char *
ofp_queue_parse_set_queue(const char *arg, struct ofpacts *o)
{
    uint32_t queue = 0;
    char *error = parse_u32(arg, "queue id", &queue);
    if (!error) {
        ofpacts_put(o, OFPACT_SET_QUEUE)->queue.queue_id = queue;
    }
    return error;
}

char *
ofp_queue_parse_pop_queue(const char *arg, struct ofpacts *o)
{
    if (arg && *arg) {
        return xasprintf("%s: unexpected argument", arg);
    }
    ofpacts_put(o, OFPACT_POP_QUEUE);
    return NULL;
}

/* "enqueue:PORT:QUEUE" or "enqueue(PORT,QUEUE)". */
char *
ofp_queue_parse_enqueue(const char *arg, struct ofpacts *o)
{
    char *copy = xstrdup(arg ? arg : "");
    char *sep = strpbrk(copy, ":,");
    uint32_t port = 0, queue = 0;
    char *error = NULL;
    if (!sep) {
        error = xasprintf("%s: enqueue syntax is \"enqueue:PORT:QUEUE\"",
                          copy);
    } else {
        *sep = '\0';
        uint16_t port16;
        if (!ofp_port_from_string(copy, &port) || port == OFPP_ANY
            || !ofp_port_to_of10(port, &port16)) {
            error = xasprintf("%s: enqueue to unknown port", copy);
        } else {
            error = parse_u32(sep + 1, "queue id", &queue);
        }
    }
    if (!error) {
        struct ofpact *a = ofpacts_put(o, OFPACT_ENQUEUE);
        a->queue.port = port;
        a->queue.queue_id = queue;
    }
    free(copy);
    return error;
}

void
ofp_queue_format(const struct ofpact *a, struct ds *s)
{
    switch (a->type) {
    case OFPACT_SET_QUEUE:
        ds_put_format(s, "set_queue:%"PRIu32, a->queue.queue_id);
        break;
    case OFPACT_POP_QUEUE:
        ds_put_cstr(s, "pop_queue");
        break;
    default:
        ds_put_cstr(s, "enqueue:");
        ofp_port_format(a->queue.port, s);
        ds_put_format(s, ":%"PRIu32, a->queue.queue_id);
        break;
    }
}

enum ofperr
ofp_queue_decode_nx(uint16_t subtype, const uint8_t *p, size_t len,
                    struct ofpacts *o)
{
    if (len != 16) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    if (subtype == NXAST_SET_QUEUE) {
        ofpacts_put(o, OFPACT_SET_QUEUE)->queue.queue_id = get_be32(p + 12);
    } else {
        ofpacts_put(o, OFPACT_POP_QUEUE);
    }
    return 0;
}

enum ofperr
ofp_queue_decode_enqueue(const uint8_t *p, size_t len, struct ofpacts *o)
{
    if (len != 16) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    uint32_t port = ofp_port_from_of10(get_be16(p + 4));
    if (port == 0 || (port > OFPP_MAX && port != OFPP_IN_PORT
                      && port != OFPP_LOCAL)) {
        return OFPERR_OFPBAC_BAD_OUT_PORT;
    }
    struct ofpact *a = ofpacts_put(o, OFPACT_ENQUEUE);
    a->queue.port = port;
    a->queue.queue_id = get_be32(p + 12);
    return 0;
}

enum ofperr
ofp_queue_decode_set_queue(const uint8_t *p, size_t len, struct ofpacts *o)
{
    if (len != 8) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    ofpacts_put(o, OFPACT_SET_QUEUE)->queue.queue_id = get_be32(p + 4);
    return 0;
}

static void
put_nx_header(struct ofpbuf *b, uint16_t subtype)
{
    ofpbuf_put_be16(b, OFPAT_EXPERIMENTER);
    ofpbuf_put_be16(b, 16);
    ofpbuf_put_be32(b, NX_VENDOR_ID);
    ofpbuf_put_be16(b, subtype);
}

static void
put_set_queue(uint32_t queue, uint8_t version, struct ofpbuf *b)
{
    if (version == OFP10_VERSION) {
        put_nx_header(b, NXAST_SET_QUEUE);
        ofpbuf_put_zeros(b, 2);
    } else {
        ofpbuf_put_be16(b, OFPAT11_SET_QUEUE);
        ofpbuf_put_be16(b, 8);
    }
    ofpbuf_put_be32(b, queue);
}

static void
put_pop_queue(struct ofpbuf *b)
{
    put_nx_header(b, NXAST_POP_QUEUE);
    ofpbuf_put_zeros(b, 6);
}

void
ofp_queue_encode(const struct ofpact *a, uint8_t version, struct ofpbuf *b)
{
    switch (a->type) {
    case OFPACT_SET_QUEUE:
        put_set_queue(a->queue.queue_id, version, b);
        break;
    case OFPACT_POP_QUEUE:
        put_pop_queue(b);
        break;
    default:
        if (version == OFP10_VERSION) {
            uint16_t port;
            ofp_port_to_of10(a->queue.port, &port);
            ofpbuf_put_be16(b, OFPAT10_ENQUEUE);
            ofpbuf_put_be16(b, 16);
            ofpbuf_put_be16(b, port);
            ofpbuf_put_zeros(b, 6);
            ofpbuf_put_be32(b, a->queue.queue_id);
        } else {
            put_set_queue(a->queue.queue_id, version, b);
            ofpbuf_put_be16(b, 0);          /* OFPAT_OUTPUT */
            ofpbuf_put_be16(b, 16);
            ofpbuf_put_be32(b, a->queue.port);
            ofpbuf_put_be16(b, 0);
            ofpbuf_put_zeros(b, 6);
            put_pop_queue(b);
        }
        break;
    }
}
