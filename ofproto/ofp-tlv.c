/* ofp-tlv: NXT_TLV_TABLE_* encoding, decoding, parsing and printing. */
#include <config.h>
#include "ofp-tlv.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "flow.h"
#include "ofp-msgs.h"
#include "ofpbuf.h"
#include "util.h"

/* struct nx_tlv_map: class(2) type(1) len(1) index(2) pad(2). */
#define TLV_MAP_LEN 8

static void
put_mappings(const struct ofp_tlv_mapping *m, size_t n, struct ofpbuf *b)
{
    for (size_t i = 0; i < n; i++) {
        ofpbuf_put_be16(b, m[i].option_class);
        ofpbuf_put_u8(b, m[i].option_type);
        ofpbuf_put_u8(b, m[i].option_len);
        ofpbuf_put_be16(b, m[i].index);
        ofpbuf_put_zeros(b, 2);
    }
}

static enum ofperr
pull_mappings(const uint8_t *p, size_t len, struct ofp_tlv_mapping **mp,
              size_t *np)
{
    if (len % TLV_MAP_LEN) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    size_t n = len / TLV_MAP_LEN;
    struct ofp_tlv_mapping *m = xmalloc((n ? n : 1) * sizeof *m);
    for (size_t i = 0; i < n; i++, p += TLV_MAP_LEN) {
        m[i] = (struct ofp_tlv_mapping) {
            .option_class = get_be16(p),
            .option_type = p[2],
            .option_len = p[3],
            .index = get_be16(p + 4),
        };
        if (m[i].option_len % 4 || m[i].option_len > FLOW_TUN_MD_MAX_LEN) {
            free(m);
            return OFPERR_NXTTMFC_BAD_OPT_LEN;
        }
        if (m[i].index >= FLOW_TUN_MD_FIELDS) {
            free(m);
            return OFPERR_NXTTMFC_BAD_FIELD_IDX;
        }
    }
    *mp = m;
    *np = n;
    return 0;
}

struct ofpbuf *
ofp_encode_tlv_table_mod(const struct ofp_tlv_table_mod *tm, uint8_t version,
                         uint32_t xid)
{
    struct ofpbuf *b = ofpraw_alloc(OFPTYPE_NXT_TLV_TABLE_MOD, version, xid,
                                    8 + TLV_MAP_LEN * tm->n_mappings);
    ofpbuf_put_be16(b, tm->command);
    ofpbuf_put_zeros(b, 6);
    put_mappings(tm->mappings, tm->n_mappings, b);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_decode_tlv_table_mod(const struct ofp_msg_info *info,
                         struct ofp_tlv_table_mod *tm)
{
    memset(tm, 0, sizeof *tm);
    tm->command = get_be16(info->body);
    if (tm->command > NXTTMC_CLEAR) {
        return OFPERR_NXTTMFC_BAD_COMMAND;
    }
    return pull_mappings(info->body + 8, info->body_len - 8, &tm->mappings,
                         &tm->n_mappings);
}

struct ofpbuf *
ofp_encode_tlv_table_reply(const struct ofp_tlv_table_reply *tr,
                           const struct ofp_msg_info *request)
{
    struct ofpbuf *b = ofpraw_alloc_reply(OFPTYPE_NXT_TLV_TABLE_REPLY, request,
                                          16 + TLV_MAP_LEN * tr->n_mappings);
    ofpbuf_put_be32(b, tr->max_option_space);
    ofpbuf_put_be16(b, tr->max_fields);
    ofpbuf_put_zeros(b, 10);
    put_mappings(tr->mappings, tr->n_mappings, b);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_decode_tlv_table_reply(const struct ofp_msg_info *info,
                           struct ofp_tlv_table_reply *tr)
{
    memset(tr, 0, sizeof *tr);
    tr->max_option_space = get_be32(info->body);
    tr->max_fields = get_be16(info->body + 4);
    return pull_mappings(info->body + 16, info->body_len - 16, &tr->mappings,
                         &tr->n_mappings);
}

char *
ofp_parse_tlv_mappings(const char *s, struct ofp_tlv_mapping **mp, size_t *np)
{
    while (*s) {
        unsigned int cls, type, len, idx;
        int n = 0;
        if (sscanf(s, "{class=%i,type=%i,len=%i}->tun_metadata%u%n",
                   &cls, &type, &len, &idx, &n) != 4 || !n) {
            return xasprintf("%s: invalid tlv mapping", s);
        }
        if (cls > 0xffff || type > 0xff || len > 0xff
            || idx >= FLOW_TUN_MD_FIELDS) {
            return xasprintf("%s: invalid tlv mapping", s);
        }
        *mp = xrealloc(*mp, (*np + 1) * sizeof **mp);
        (*mp)[(*np)++] = (struct ofp_tlv_mapping) {
            .option_class = cls, .option_type = type, .option_len = len,
            .index = idx,
        };
        s += n;
        if (*s == ',') {
            s++;
        } else if (*s) {
            return xasprintf("%s: invalid tlv mapping", s);
        }
    }
    return NULL;
}

static void
print_mappings(struct ds *s, const struct ofp_tlv_mapping *m, size_t n)
{
    ds_put_cstr(s, "  class  type  length  match field\n");
    ds_put_cstr(s, " ------  ----  ------  --------------\n");
    for (size_t i = 0; i < n; i++) {
        ds_put_format(s, " %#6"PRIx16"  %#4"PRIx8"  %6"PRIu8"  "
                      "tun_metadata%"PRIu16"\n", m[i].option_class,
                      m[i].option_type, m[i].option_len, m[i].index);
    }
}

void
ofp_tlv_print(struct ds *s, const struct ofp_msg_info *info)
{
    enum ofperr error = 0;
    ds_put_char(s, '\n');
    if (info->type == OFPTYPE_NXT_TLV_TABLE_MOD) {
        static const char *const names[] = { "ADD", "DEL", "CLEAR" };
        struct ofp_tlv_table_mod tm;
        error = ofp_decode_tlv_table_mod(info, &tm);
        if (!error) {
            ds_put_format(s, " %s", names[tm.command]);
            if (tm.command != NXTTMC_CLEAR) {
                ds_put_cstr(s, " mapping table:\n");
                print_mappings(s, tm.mappings, tm.n_mappings);
            } else {
                ds_put_char(s, '\n');
            }
            free(tm.mappings);
        }
    } else if (info->type == OFPTYPE_NXT_TLV_TABLE_REPLY) {
        struct ofp_tlv_table_reply tr;
        error = ofp_decode_tlv_table_reply(info, &tr);
        if (!error) {
            unsigned int allocated = 0;
            for (size_t i = 0; i < tr.n_mappings; i++) {
                allocated += tr.mappings[i].option_len;
            }
            ds_put_format(s, " max option space=%"PRIu32" max fields=%"
                          PRIu16"\n", tr.max_option_space, tr.max_fields);
            ds_put_format(s, " allocated option space=%u\n\n", allocated);
            ds_put_cstr(s, " mapping table:\n");
            print_mappings(s, tr.mappings, tr.n_mappings);
            free(tr.mappings);
        }
    }
    if (error) {
        ds_put_format(s, " ***decode error: %s***\n", ofperr_get_name(error));
    }
}
