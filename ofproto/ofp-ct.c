/* ofp-ct: NXT_CT_FLUSH. */
#include <config.h>
#include "ofp-ct.h"

#include <string.h>
#include "ofp-msgs.h"
#include "ofp-prop.h"
#include "ofpbuf.h"
#include "util.h"

/* Properties of the message... */
enum {
    NXT_CT_ORIG_TUPLE = 0,
    NXT_CT_REPLY_TUPLE = 1,
    NXT_CT_ZONE_ID = 2,
};

/* ...and of each tuple. */
enum {
    NXT_CT_TUPLE_SRC = 0,
    NXT_CT_TUPLE_DST = 1,
    NXT_CT_TUPLE_SRC_PORT = 2,
    NXT_CT_TUPLE_DST_PORT = 3,
    NXT_CT_TUPLE_ICMP_ID = 4,
    NXT_CT_TUPLE_ICMP_TYPE = 5,
    NXT_CT_TUPLE_ICMP_CODE = 6,
};

/* Protocol byte and padding before the properties. */
#define NX_CT_FLUSH_LEN 8

static enum ofperr
decode_be16_prop(const uint8_t *value, size_t vlen, uint16_t *be)
{
    uint16_t host;
    enum ofperr error = ofpprop_parse_be16(value, vlen, &host);
    *be = htons(host);
    return error;
}

static enum ofperr
decode_tuple(const uint8_t *p, size_t len, struct ct_match_tuple *t)
{
    enum ofperr error = ofpprop_value_aligned(&p, &len);
    while (!error && len) {
        uint16_t type;
        const uint8_t *value;
        size_t vlen;
        error = ofpprop_pull(&p, &len, &type, &value, &vlen);
        if (error) {
            break;
        }
        switch (type) {
        case NXT_CT_TUPLE_SRC:
        case NXT_CT_TUPLE_DST:
            error = ofpprop_check_len(vlen, 16);
            if (!error) {
                memcpy(type == NXT_CT_TUPLE_SRC ? &t->src : &t->dst, value,
                       16);
            }
            break;
        case NXT_CT_TUPLE_SRC_PORT:
            error = decode_be16_prop(value, vlen, &t->sport);
            break;
        case NXT_CT_TUPLE_DST_PORT:
            error = decode_be16_prop(value, vlen, &t->dport);
            break;
        case NXT_CT_TUPLE_ICMP_ID:
            error = decode_be16_prop(value, vlen, &t->icmp_id);
            break;
        case NXT_CT_TUPLE_ICMP_TYPE:
        case NXT_CT_TUPLE_ICMP_CODE:
            error = ofpprop_check_len(vlen, 1);
            if (!error) {
                *(type == NXT_CT_TUPLE_ICMP_TYPE ? &t->icmp_type
                  : &t->icmp_code) = value[0];
            }
            break;
        default:
            error = OFPERR_OFPBPC_BAD_TYPE;
            break;
        }
    }
    return error;
}

enum ofperr
ofp_ct_decode_flush(const struct ofp_msg_info *info,
                    struct ct_match *m)
{
    memset(m, 0, sizeof *m);
    m->zone = -1;
    if (info->body_len < NX_CT_FLUSH_LEN) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    m->proto = info->body[0];
    const uint8_t *p = info->body + NX_CT_FLUSH_LEN;
    size_t len = info->body_len - NX_CT_FLUSH_LEN;
    while (len) {
        uint16_t type;
        const uint8_t *value;
        size_t vlen;
        enum ofperr error = ofpprop_pull(&p, &len, &type, &value, &vlen);
        if (error) {
            return error;
        }
        switch (type) {
        case NXT_CT_ORIG_TUPLE:
        case NXT_CT_REPLY_TUPLE:
            error = decode_tuple(value, vlen, &m->t[type]);
            break;
        case NXT_CT_ZONE_ID: {
            uint16_t zone;
            error = ofpprop_parse_be16(value, vlen, &zone);
            m->zone = zone;
            break;
        }
        default:
            error = OFPERR_OFPBPC_BAD_TYPE;
            break;
        }
        if (error) {
            return error;
        }
    }
    return 0;
}

void
ofp_ct_print_flush(const struct ofp_msg_info *info, struct ds *s)
{
    struct ct_match m;
    enum ofperr error = ofp_ct_decode_flush(info, &m);
    if (error) {
        ds_put_format(s, " ***decode error: %s***\n",
                      ofperr_get_name(error));
        return;
    }
    ds_put_format(s, " zone=%d", m.zone < 0 ? 0 : m.zone);
    for (int dir = 0; dir < 2; dir++) {
        ds_put_cstr(s, " '");
        ct_match_format_tuple(&m.t[dir], m.proto, s);
        if (!dir) {
            ds_put_format(s, ",ct_nw_proto=%u", m.proto);
        }
        ds_put_char(s, '\'');
    }
    ds_put_char(s, '\n');
}
