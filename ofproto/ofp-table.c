/* ofp-table: table statistics and table features.  The features a table
 * advertises are read from the field registry (matchable and settable
 * fields) so they cannot disagree with what the codec accepts. */
#include <config.h>
#include "ofp-msgs.h"

#include <stdlib.h>
#include <string.h>
#include "meta-flow.h"

/* Table-feature property types. */
#define OFPTFPT_INSTRUCTIONS 0
#define OFPTFPT_NEXT_TABLES 2
#define OFPTFPT_WRITE_ACTIONS 4
#define OFPTFPT_APPLY_ACTIONS 6
#define OFPTFPT_MATCH 8
#define OFPTFPT_WILDCARDS 10
#define OFPTFPT_WRITE_SETFIELD 12
#define OFPTFPT_APPLY_SETFIELD 14

struct ofpbuf *
ofp_encode_table_stats_reply(const struct ofp_table_stats *ts, size_t n,
                             const struct ofp_msg_info *req)
{
    bool of10 = req->version == OFP10_VERSION;
    struct ofpbuf *b = ofpraw_alloc_reply(OFPTYPE_TABLE_STATS_REPLY, req,
                                          n * (of10 ? 64 : 24));
    for (size_t i = 0; i < n; i++) {
        ofpbuf_put_u8(b, ts[i].table_id);
        ofpbuf_put_zeros(b, 3);
        if (of10) {
            char *name = ofpbuf_put_zeros(b, 32);
            memcpy(name, ts[i].name, strnlen(ts[i].name, 31));
            ofpbuf_put_be32(b, (1u << 22) - 1);
            ofpbuf_put_be32(b, ts[i].max_entries);
        }
        ofpbuf_put_be32(b, ts[i].active_count);
        ofpbuf_put_be64(b, ts[i].lookup_count);
        ofpbuf_put_be64(b, ts[i].matched_count);
    }
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_decode_table_stats_reply(const struct ofp_msg_info *info,
                             struct ofp_table_stats **tsp, size_t *n)
{
    bool of10 = info->version == OFP10_VERSION;
    size_t elen = of10 ? 64 : 24;
    const uint8_t *p = info->body;
    if (info->body_len % elen) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    for (size_t ofs = 0; ofs < info->body_len; ofs += elen) {
        struct ofp_table_stats ts;
        const uint8_t *e = p + ofs;
        memset(&ts, 0, sizeof ts);
        ts.table_id = e[0];
        if (of10) {
            memcpy(ts.name, e + 4, 31);
            ts.wildcards = get_be32(e + 36);
            ts.max_entries = get_be32(e + 40);
            e += 40;
        }
        ts.active_count = get_be32(e + 4);
        ts.lookup_count = get_be64(e + 8);
        ts.matched_count = get_be64(e + 16);
        *tsp = xrealloc(*tsp, (*n + 1) * sizeof **tsp);
        (*tsp)[(*n)++] = ts;
    }
    return 0;
}

enum ofperr
ofp_decode_table_features_request(const struct ofp_msg_info *info)
{
    /* A body would ask to reconfigure the tables, which we refuse. */
    return info->body_len ? OFPERR_OFPTFFC_EPERM : 0;
}

static size_t
prop_start(struct ofpbuf *b, uint16_t type)
{
    size_t start = b->size;
    ofpbuf_put_be16(b, type);
    ofpbuf_put_be16(b, 0);
    return start;
}

static void
prop_end(struct ofpbuf *b, size_t start)
{
    ofpbuf_set_be16(b, start + 2, b->size - start);
    ofpbuf_pad(b, 8);
}

static void
put_oxm_headers(struct ofpbuf *b, uint16_t type, bool maskable_only)
{
    size_t start = prop_start(b, type);
    for (size_t i = 0; i < MFF_N_IDS; i++) {
        const struct mf_field *mf = &mf_fields[i];
        uint16_t class_;
        uint8_t field;
        if (mf->flags & MFF_F_NO_ENCODE || !mf_oxm_code(mf, &class_, &field)
            || (maskable_only && !mf->maskable)) {
            continue;
        }
        ofpbuf_put_be32(b, MF_HEADER(class_, field, 0, mf->n_bytes));
    }
    prop_end(b, start);
}

static void
put_table_features(const struct ofp_table_features *tf, uint8_t n_tables,
                   struct ofpbuf *b)
{
    static const uint16_t instructions[] = { 1, 2, 4, 5 };
    static const uint16_t actions[] = { 0, 17, 18, 24, 25 };
    size_t start = b->size;

    ofpbuf_put_be16(b, 0);
    ofpbuf_put_u8(b, tf->table_id);
    ofpbuf_put_zeros(b, 5);
    char *name = ofpbuf_put_zeros(b, 32);
    memcpy(name, tf->name, strnlen(tf->name, 31));
    ofpbuf_put_be64(b, tf->metadata_match);
    ofpbuf_put_be64(b, tf->metadata_write);
    ofpbuf_put_be32(b, tf->config);
    ofpbuf_put_be32(b, tf->max_entries);

    size_t p = prop_start(b, OFPTFPT_INSTRUCTIONS);
    for (size_t i = 0; i < ARRAY_SIZE(instructions); i++) {
        if (instructions[i] == 1 && tf->table_id + 1 >= n_tables) {
            continue;
        }
        ofpbuf_put_be16(b, instructions[i]);
        ofpbuf_put_be16(b, 4);
    }
    prop_end(b, p);

    p = prop_start(b, OFPTFPT_NEXT_TABLES);
    for (unsigned int t = tf->table_id + 1; t < n_tables; t++) {
        ofpbuf_put_u8(b, t);
    }
    prop_end(b, p);

    /* Open vSwitch's decoder requires the write-actions and
     * write-setfield properties; there is no write_actions yet, so they
     * are empty. */
    prop_end(b, prop_start(b, OFPTFPT_WRITE_ACTIONS));
    p = prop_start(b, OFPTFPT_APPLY_ACTIONS);
    for (size_t i = 0; i < ARRAY_SIZE(actions); i++) {
        ofpbuf_put_be16(b, actions[i]);
        ofpbuf_put_be16(b, 4);
    }
    prop_end(b, p);

    put_oxm_headers(b, OFPTFPT_MATCH, false);
    put_oxm_headers(b, OFPTFPT_WILDCARDS, false);
    prop_end(b, prop_start(b, OFPTFPT_WRITE_SETFIELD));
    put_oxm_headers(b, OFPTFPT_APPLY_SETFIELD, false);
    ofpbuf_set_be16(b, start, b->size - start);
}

void
ofp_encode_table_features_reply(const struct ofp_table_features *tf,
                                size_t n, const struct ofp_msg_info *request,
                                struct ofpbuf_vec *out)
{
    struct ofpbuf *b = ofpraw_alloc_reply(OFPTYPE_TABLE_FEATURES_REPLY,
                                          request, 0);
    struct ofpbuf entry;
    ofpbuf_init(&entry, 1024);
    for (size_t i = 0; i < n; i++) {
        ofpbuf_clear(&entry);
        put_table_features(&tf[i], n, &entry);
        if (b->size + entry.size > OFP_MAX_MSG_LEN) {
            ofpbuf_set_be16(b, 10, OFPMPF_REPLY_MORE);
            ofpmsg_update_length(b);
            ofpbuf_vec_push(out, b);
            b = ofpraw_alloc_reply(OFPTYPE_TABLE_FEATURES_REPLY, request, 0);
        }
        ofpbuf_put(b, entry.data, entry.size);
    }
    ofpbuf_uninit(&entry);
    ofpmsg_update_length(b);
    ofpbuf_vec_push(out, b);
}

enum ofperr
ofp_decode_table_features_reply(const struct ofp_msg_info *info,
                                struct ofp_table_features **tfp, size_t *n)
{
    const uint8_t *p = info->body;
    size_t len = info->body_len;
    while (len > 0) {
        if (len < 64) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        size_t elen = get_be16(p);
        if (elen < 64 || elen > len || elen % 8) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        struct ofp_table_features tf;
        memset(&tf, 0, sizeof tf);
        tf.table_id = p[2];
        memcpy(tf.name, p + 8, 31);
        tf.metadata_match = get_be64(p + 40);
        tf.metadata_write = get_be64(p + 48);
        tf.config = get_be32(p + 56);
        tf.max_entries = get_be32(p + 60);
        *tfp = xrealloc(*tfp, (*n + 1) * sizeof **tfp);
        (*tfp)[(*n)++] = tf;
        p += elen;
        len -= elen;
    }
    return 0;
}
