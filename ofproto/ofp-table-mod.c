/* ofp-table-mod: TABLE_MOD, TABLE_DESC and TABLE_STATUS. */
#include <config.h>
#include "ofp-table-mod.h"

#include <inttypes.h>
#include <stdlib.h>
#include "ofp-msgs.h"
#include "ofp-prop.h"
#include "util.h"

/* Table-mod and table-desc property types. */
#define OFPTMPT_EVICTION 2
#define OFPTMPT_VACANCY 3

#define TABLE_MOD_LEN 8         /* table_id, pad, config. */
#define TABLE_DESC_LEN 8        /* length, table_id, pad, config. */

static enum ofperr
decode_vacancy(const uint8_t *value, size_t vlen, uint8_t *down,
               uint8_t *up)
{
    enum ofperr error = ofpprop_check_len(vlen, 4);
    if (error) {
        return error;
    }
    *down = value[0];
    *up = value[1];
    return *down > *up || *up > 100 ? OFPERR_OFPBPC_BAD_VALUE : 0;
}

enum ofperr
ofp_decode_table_mod(const struct ofp_msg_info *info,
                     struct ofp_table_mod *tm)
{
    const uint8_t *p = info->body;
    size_t left = info->body_len;
    if (left < TABLE_MOD_LEN) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    *tm = (struct ofp_table_mod) {
        .table_id = p[0],
        .config = get_be32(p + 4),
    };
    p += TABLE_MOD_LEN;
    left -= TABLE_MOD_LEN;
    if (info->version < OFP14_VERSION) {
        return 0;
    }
    while (left) {
        uint16_t type;
        const uint8_t *value;
        size_t vlen;
        enum ofperr error = ofpprop_pull(&p, &left, &type, &value, &vlen);
        if (!error && type == OFPTMPT_EVICTION) {
            error = ofpprop_check_len(vlen, 4);
            tm->has_eviction_flags = !error;
            tm->eviction_flags = error ? 0 : get_be32(value);
        } else if (!error && type == OFPTMPT_VACANCY) {
            error = decode_vacancy(value, vlen, &tm->vacancy_down,
                                   &tm->vacancy_up);
            tm->has_vacancy = !error;
        } else if (!error) {
            error = OFPERR_OFPBPC_BAD_TYPE;
        }
        if (error) {
            return error;
        }
    }
    return 0;
}

struct ofpbuf *
ofp_encode_table_mod(const struct ofp_table_mod *tm, uint8_t version,
                     uint32_t xid)
{
    struct ofpbuf *b = ofpraw_alloc(OFPTYPE_TABLE_MOD, version, xid, 32);
    if (!b) {
        return NULL;
    }
    ofpbuf_put_u8(b, tm->table_id);
    ofpbuf_put_zeros(b, 3);
    ofpbuf_put_be32(b, tm->config);
    if (version >= OFP14_VERSION) {
        if (tm->has_eviction_flags) {
            ofpprop_put_be32(b, OFPTMPT_EVICTION, tm->eviction_flags);
        }
        if (tm->has_vacancy) {
            uint8_t v[4] = { tm->vacancy_down, tm->vacancy_up, 0, 0 };
            ofpprop_put(b, OFPTMPT_VACANCY, v, sizeof v);
        }
    }
    ofpmsg_update_length(b);
    return b;
}

/* One ofp_table_desc: the eviction property always, the vacancy one when
 * vacancy events are on, as Open vSwitch sends them. */
static void
put_table_desc(const struct ofp_table_desc *td, struct ofpbuf *b)
{
    size_t start = b->size;
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_u8(b, td->table_id);
    ofpbuf_put_u8(b, 0);
    ofpbuf_put_be32(b, (td->eviction ? OFPTC14_EVICTION : 0)
                       | (td->vacancy ? OFPTC14_VACANCY_EVENTS : 0));
    ofpprop_put_be32(b, OFPTMPT_EVICTION, td->eviction_flags);
    if (td->vacancy) {
        uint8_t v[4] = { td->vacancy_down, td->vacancy_up, td->vacancy_now,
                         0 };
        ofpprop_put(b, OFPTMPT_VACANCY, v, sizeof v);
    }
    ofpbuf_set_be16(b, start, b->size - start);
}

/* Decodes the ofp_table_desc at '*p' (of '*left' bytes) and steps past
 * it. */
static enum ofperr
pull_table_desc(const uint8_t **p, size_t *left, struct ofp_table_desc *td)
{
    if (*left < TABLE_DESC_LEN) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    size_t len = get_be16(*p);
    if (len < TABLE_DESC_LEN || len > *left) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    uint32_t config = get_be32(*p + 4);
    *td = (struct ofp_table_desc) {
        .table_id = (*p)[2],
        .eviction = (config & OFPTC14_EVICTION) != 0,
        .vacancy = (config & OFPTC14_VACANCY_EVENTS) != 0,
    };
    const uint8_t *q = *p + TABLE_DESC_LEN;
    size_t plen = len - TABLE_DESC_LEN;
    *p += len;
    *left -= len;
    while (plen) {
        uint16_t type;
        const uint8_t *value;
        size_t vlen;
        enum ofperr error = ofpprop_pull(&q, &plen, &type, &value, &vlen);
        if (!error && type == OFPTMPT_EVICTION) {
            error = ofpprop_check_len(vlen, 4);
            td->eviction_flags = error ? 0 : get_be32(value);
        } else if (!error && type == OFPTMPT_VACANCY) {
            error = decode_vacancy(value, vlen, &td->vacancy_down,
                                   &td->vacancy_up);
            td->vacancy_now = error ? 0 : value[2];
        }
        if (error) {
            return error;
        }
    }
    return 0;
}

void
ofp_encode_table_desc_reply(const struct ofp_table_desc *tds, size_t n,
                            const struct ofp_msg_info *request,
                            struct ofpbuf_vec *out)
{
    struct ofpbuf *b = ofpraw_alloc_reply(OFPTYPE_TABLE_DESC_STATS_REPLY,
                                          request, 0);
    struct ofpbuf entry;
    ofpbuf_init(&entry, 32);
    for (size_t i = 0; i < n; i++) {
        ofpbuf_clear(&entry);
        put_table_desc(&tds[i], &entry);
        if (b->size + entry.size > OFP_MAX_MSG_LEN) {
            ofpbuf_set_be16(b, 10, OFPMPF_REPLY_MORE);
            ofpmsg_update_length(b);
            ofpbuf_vec_push(out, b);
            b = ofpraw_alloc_reply(OFPTYPE_TABLE_DESC_STATS_REPLY, request,
                                   0);
        }
        ofpbuf_put(b, entry.data, entry.size);
    }
    ofpbuf_uninit(&entry);
    ofpmsg_update_length(b);
    ofpbuf_vec_push(out, b);
}

enum ofperr
ofp_decode_table_desc_reply(const struct ofp_msg_info *info,
                            struct ofp_table_desc **tds, size_t *n)
{
    const uint8_t *p = info->body;
    size_t left = info->body_len;
    *tds = NULL;
    *n = 0;
    while (left) {
        *tds = xrealloc(*tds, (*n + 1) * sizeof **tds);
        enum ofperr error = pull_table_desc(&p, &left, &(*tds)[*n]);
        if (error) {
            return error;
        }
        ++*n;
    }
    return 0;
}

struct ofpbuf *
ofp_encode_table_status(const struct ofp_table_desc *td, uint8_t reason,
                        uint8_t version)
{
    struct ofpbuf *b = ofpraw_alloc(OFPTYPE_TABLE_STATUS, version, 0, 32);
    if (b) {
        ofpbuf_put_u8(b, reason);
        ofpbuf_put_zeros(b, 7);
        put_table_desc(td, b);
        ofpmsg_update_length(b);
    }
    return b;
}

/* ---- Printing. ---- */

static void
format_table_desc(const struct ofp_table_desc *td, struct ds *s)
{
    ds_put_format(s, "  table %"PRIu8":\n", td->table_id);
    ds_put_format(s, "   eviction=%s eviction_flags=",
                  td->eviction ? "on" : "off");
    static const char *const flag_names[] = {
        "OTHER", "IMPORTANCE", "LIFETIME",
    };
    bool first = true;
    for (size_t i = 0; i < ARRAY_SIZE(flag_names); i++) {
        if (td->eviction_flags & (1u << i)) {
            ds_put_format(s, "%s%s", first ? "" : "|", flag_names[i]);
            first = false;
        }
    }
    if (first) {
        ds_put_cstr(s, "none");
    }
    ds_put_char(s, '\n');
    if (td->vacancy) {
        ds_put_format(s, "   vacancy=on vacancy_down=%"PRIu8"%% "
                      "vacancy_up=%"PRIu8"%% vacancy=%"PRIu8"%%",
                      td->vacancy_down, td->vacancy_up, td->vacancy_now);
    } else {
        ds_put_cstr(s, "   vacancy=off");
    }
}

enum ofperr
ofp_table_mod_print(struct ds *s, const struct ofp_msg_info *info)
{
    enum ofperr error = 0;
    switch (info->type) {
    case OFPTYPE_TABLE_MOD: {
        struct ofp_table_mod tm;
        error = ofp_decode_table_mod(info, &tm);
        if (!error) {
            ds_put_format(s, " table_id=%"PRIu8, tm.table_id);
            if (info->version >= OFP14_VERSION) {
                ds_put_format(s, ", eviction=%s, vacancy=",
                              tm.config & OFPTC14_EVICTION ? "on" : "off");
                if (tm.config & OFPTC14_VACANCY_EVENTS) {
                    ds_put_format(s, "on vacancy:%"PRIu8",%"PRIu8,
                                  tm.vacancy_down, tm.vacancy_up);
                } else {
                    ds_put_cstr(s, "off");
                }
            }
        }
        break;
    }
    case OFPTYPE_TABLE_DESC_STATS_REPLY: {
        struct ofp_table_desc *tds;
        size_t n;
        error = ofp_decode_table_desc_reply(info, &tds, &n);
        for (size_t i = 0; !error && i < n; i++) {
            ds_put_cstr(s, i ? "\n\n" : "\n");
            format_table_desc(&tds[i], s);
        }
        free(tds);
        break;
    }
    case OFPTYPE_TABLE_STATUS: {
        struct ofp_table_desc td;
        const uint8_t *p = info->body + 8;
        size_t left = info->body_len - 8;
        uint8_t reason = info->body[0];
        error = pull_table_desc(&p, &left, &td);
        if (!error) {
            ds_put_cstr(s, " reason=");
            if (reason == OFPTR_VACANCY_DOWN) {
                ds_put_cstr(s, "VACANCY_DOWN");
            } else if (reason == OFPTR_VACANCY_UP) {
                ds_put_cstr(s, "VACANCY_UP");
            } else {
                ds_put_format(s, "%"PRIu8, reason);
            }
            ds_put_cstr(s, "\ntable_desc:-\n");
            format_table_desc(&td, s);
        }
        break;
    }
    default:
        break;
    }
    return error;
}
