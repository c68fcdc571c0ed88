/* ofp-table: table statistics and table features.  The features a table
 * advertises are read from the field registry (matchable and settable
 * fields) and the action table (actions, instructions), so they cannot
 * disagree with what the codec accepts.  The decoder keeps every property
 * Open vSwitch prints; ofp-table-print.c prints them. */
#include <config.h>
#include "ofp-msgs.h"

#include <stdlib.h>
#include <string.h>
#include "meta-flow.h"
#include "ofp-actions.h"

/* Table-feature property types; each *_MISS one is its type + 1. */
#define OFPTFPT_INSTRUCTIONS 0
#define OFPTFPT_NEXT_TABLES 2
#define OFPTFPT_WRITE_ACTIONS 4
#define OFPTFPT_APPLY_ACTIONS 6
#define OFPTFPT_MATCH 8
#define OFPTFPT_WILDCARDS 10
#define OFPTFPT_WRITE_SETFIELD 12
#define OFPTFPT_APPLY_SETFIELD 14
#define OFPTFPT_MISS 1
#define OFPTFPT_EXPERIMENTER 0xfffe    /* and 0xffff, the _MISS one. */
#define OFPAT15_METER 29

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

/* The wire identity of 'mf' in OpenFlow 'version', if the decoders map
 * it back to 'mf' (so alias rows that share another row's code stay
 * out). */
static bool
field_id(const struct mf_field *mf, uint8_t version, struct mf_oxm_id *id)
{
    if (!mf_oxm_id(mf, version, id)) {
        return false;
    }
    return (id->class_ == OFPXMC_EXPERIMENTER
            ? mf_from_oxm_exp(id->experimenter, id->field)
            : mf_from_oxm(id->class_, id->field)) == mf;
}

void
ofp_table_features_set_supported(struct ofp_table_features *tf,
                                 uint8_t n_tables, uint8_t version)
{
    struct ofp_table_instruction_features *tif = &tf->nonmiss;
    memset(tif, 0, sizeof *tif);
    tif->instructions = ofpacts_instruction_types(version);
    if (tf->table_id + 1 >= n_tables) {
        tif->instructions &= ~(UINT32_C(1) << 1);   /* goto_table */
    }
    for (unsigned int t = tf->table_id + 1; t < n_tables; t++) {
        tif->next[t / 8] |= 1u << (t % 8);
    }
    tif->apply.actions = ofpacts_standard_action_types(version);
    memset(tf->match, 0, sizeof tf->match);
    memset(tf->mask, 0, sizeof tf->mask);
    memset(tf->wildcard, 0, sizeof tf->wildcard);
    for (size_t i = 0; i < MFF_N_IDS; i++) {
        const struct mf_field *mf = &mf_fields[i];
        struct mf_oxm_id id;
        if (!field_id(mf, version, &id)) {
            continue;
        }
        ofp_tf_field_set(tf->match, i);
        ofp_tf_field_set(tf->wildcard, i);
        /* Read-only fields, and those only the ct action writes, are not
         * settable; tun_metadataN is, once a TLV map names it. */
        if (!(mf->flags & (MFF_F_READ_ONLY | MFF_F_CT_ONLY))) {
            ofp_tf_field_set(tif->apply.set_fields, i);
        }
        if (mf->maskable) {
            ofp_tf_field_set(tf->mask, i);
        }
    }
    tif->write = tif->apply;
    /* The action set holds no meter (ofp-nested.c refuses it there). */
    tif->write.actions &= ~(UINT32_C(1) << OFPAT15_METER);
    tf->miss = *tif;
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

/* Instruction or action ids: a 4-byte type/length header per type. */
static void
put_type_ids(struct ofpbuf *b, uint16_t prop, uint32_t types)
{
    size_t start = prop_start(b, prop);
    for (unsigned int t = 0; t < 32; t++) {
        if (types & (UINT32_C(1) << t)) {
            ofpbuf_put_be16(b, t);
            ofpbuf_put_be16(b, 4);
        }
    }
    prop_end(b, start);
}

/* OXM headers of the fields in 'set', with the mask bit (and doubled
 * length) for those in 'masked' if that is not NULL.  Experimenter
 * headers carry their experimenter id, which their length counts. */
static void
put_oxm_ids(struct ofpbuf *b, uint16_t prop, const uint64_t *set,
            const uint64_t *masked, uint8_t version)
{
    size_t start = prop_start(b, prop);
    for (size_t i = 0; i < MFF_N_IDS; i++) {
        const struct mf_field *mf = &mf_fields[i];
        struct mf_oxm_id id;
        if (!ofp_tf_field_is_set(set, i) || !field_id(mf, version, &id)) {
            continue;
        }
        bool has_mask = masked && ofp_tf_field_is_set(masked, i);
        bool exp = id.class_ == OFPXMC_EXPERIMENTER;
        ofpbuf_put_be32(b, MF_HEADER(id.class_, id.field, has_mask,
                                     (exp ? 4 : 0)
                                     + mf->n_bytes * (has_mask ? 2 : 1)));
        if (exp) {
            ofpbuf_put_be32(b, id.experimenter);
        }
    }
    prop_end(b, start);
}

static void
put_instruction_features(struct ofpbuf *b,
                         const struct ofp_table_instruction_features *tif,
                         uint16_t miss, uint8_t version)
{
    put_type_ids(b, OFPTFPT_INSTRUCTIONS + miss, tif->instructions);
    size_t p = prop_start(b, OFPTFPT_NEXT_TABLES + miss);
    for (unsigned int t = 0; t < 255; t++) {
        if (tif->next[t / 8] & (1u << (t % 8))) {
            ofpbuf_put_u8(b, t);
        }
    }
    prop_end(b, p);
    put_type_ids(b, OFPTFPT_WRITE_ACTIONS + miss, tif->write.actions);
    put_type_ids(b, OFPTFPT_APPLY_ACTIONS + miss, tif->apply.actions);
    put_oxm_ids(b, OFPTFPT_WRITE_SETFIELD + miss, tif->write.set_fields,
                NULL, version);
    put_oxm_ids(b, OFPTFPT_APPLY_SETFIELD + miss, tif->apply.set_fields,
                NULL, version);
}

static void
put_table_features(const struct ofp_table_features *tf, uint8_t version,
                   struct ofpbuf *b)
{
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

    put_instruction_features(b, &tf->nonmiss, 0, version);
    put_instruction_features(b, &tf->miss, OFPTFPT_MISS, version);
    put_oxm_ids(b, OFPTFPT_MATCH, tf->match, tf->mask, version);
    put_oxm_ids(b, OFPTFPT_WILDCARDS, tf->wildcard, NULL, version);
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
    ofpbuf_init(&entry, 4096);
    for (size_t i = 0; i < n; i++) {
        ofpbuf_clear(&entry);
        put_table_features(&tf[i], request->version, &entry);
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

/* Instruction or action ids into a bitmap of the types below 32; longer
 * (experimenter) ids are skipped. */
static enum ofperr
pull_type_ids(const uint8_t *p, size_t len, uint32_t *types)
{
    *types = 0;
    while (len > 0) {
        if (len < 4) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        uint16_t type = get_be16(p);
        size_t ilen = get_be16(p + 2);
        if (ilen < 4 || ilen > len) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        if (type < 32) {
            *types |= UINT32_C(1) << type;
        }
        p += ilen;
        len -= ilen;
    }
    return 0;
}

/* OXM headers into field bitmaps: 'set' gets every known field whose
 * header has the field's length (doubled with the mask bit); 'masked',
 * if not NULL, those with the mask bit.  Without 'masked' a header with
 * the mask bit does not count (Open vSwitch reads them so too). */
static enum ofperr
pull_oxm_ids(const uint8_t *p, size_t len, uint64_t *set, uint64_t *masked)
{
    memset(set, 0, OFP_TF_FIELD_WORDS * sizeof *set);
    if (masked) {
        memset(masked, 0, OFP_TF_FIELD_WORDS * sizeof *masked);
    }
    while (len > 0) {
        if (len < 4) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        uint32_t h = get_be32(p);
        size_t hlen = MF_HEADER_CLASS(h) == OFPXMC_EXPERIMENTER ? 8 : 4;
        if (hlen > len) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        const struct mf_field *mf = (hlen == 4
                                     ? mf_from_oxm(MF_HEADER_CLASS(h),
                                                   MF_HEADER_FIELD(h))
                                     : mf_from_oxm_exp(get_be32(p + 4),
                                                       MF_HEADER_FIELD(h)));
        bool has_mask = MF_HEADER_HASMASK(h);
        if (mf && (!has_mask || masked)
            && MF_HEADER_LENGTH(h) == ((hlen - 4)
                                       + mf->n_bytes * (has_mask ? 2 : 1))) {
            ofp_tf_field_set(set, mf->id);
            if (has_mask) {
                ofp_tf_field_set(masked, mf->id);
            }
        }
        p += hlen;
        len -= hlen;
    }
    return 0;
}

/* One property into 'tf'; 'seen' collects which instruction-feature
 * properties were there (bit per type) so absent *_MISS ones can be
 * filled in. */
static enum ofperr
pull_property(struct ofp_table_features *tf, uint16_t type,
              const uint8_t *p, size_t len, uint32_t *seen)
{
    struct ofp_table_instruction_features *tif
        = type & OFPTFPT_MISS ? &tf->miss : &tf->nonmiss;
    if (type < 32) {
        *seen |= UINT32_C(1) << type;
    }
    switch (type) {
    case OFPTFPT_INSTRUCTIONS:
    case OFPTFPT_INSTRUCTIONS + OFPTFPT_MISS:
        return pull_type_ids(p, len, &tif->instructions);
    case OFPTFPT_NEXT_TABLES:
    case OFPTFPT_NEXT_TABLES + OFPTFPT_MISS:
        memset(tif->next, 0, sizeof tif->next);
        for (size_t i = 0; i < len; i++) {
            tif->next[p[i] / 8] |= 1u << (p[i] % 8);
        }
        return 0;
    case OFPTFPT_WRITE_ACTIONS:
    case OFPTFPT_WRITE_ACTIONS + OFPTFPT_MISS:
        return pull_type_ids(p, len, &tif->write.actions);
    case OFPTFPT_APPLY_ACTIONS:
    case OFPTFPT_APPLY_ACTIONS + OFPTFPT_MISS:
        return pull_type_ids(p, len, &tif->apply.actions);
    case OFPTFPT_MATCH:
        return pull_oxm_ids(p, len, tf->match, tf->mask);
    case OFPTFPT_WILDCARDS:
        return pull_oxm_ids(p, len, tf->wildcard, NULL);
    case OFPTFPT_WRITE_SETFIELD:
    case OFPTFPT_WRITE_SETFIELD + OFPTFPT_MISS:
        return pull_oxm_ids(p, len, tif->write.set_fields, NULL);
    case OFPTFPT_APPLY_SETFIELD:
    case OFPTFPT_APPLY_SETFIELD + OFPTFPT_MISS:
        return pull_oxm_ids(p, len, tif->apply.set_fields, NULL);
    }
    /* Experimenter and later properties: nothing we would print. */
    return 0;
}

static enum ofperr
pull_table_features(const uint8_t *p, size_t elen,
                    struct ofp_table_features *tf)
{
    memset(tf, 0, sizeof *tf);
    tf->table_id = p[2];
    memcpy(tf->name, p + 8, 31);
    tf->metadata_match = get_be64(p + 40);
    tf->metadata_write = get_be64(p + 48);
    tf->config = get_be32(p + 56);
    tf->max_entries = get_be32(p + 60);

    uint32_t seen = 0;
    for (size_t ofs = 64; ofs < elen; ) {
        if (elen - ofs < 4) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        uint16_t type = get_be16(p + ofs);
        size_t plen = get_be16(p + ofs + 2);
        if (plen < 4 || plen > elen - ofs) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        enum ofperr error = pull_property(tf, type, p + ofs + 4, plen - 4,
                                          &seen);
        if (error) {
            return error;
        }
        ofs += (plen + 7) / 8 * 8;
    }
    /* Absent table-miss properties: the same as for other flows. */
    const struct ofp_table_instruction_features *nm = &tf->nonmiss;
    struct ofp_table_instruction_features *m = &tf->miss;
    if (!(seen & (UINT32_C(1) << (OFPTFPT_INSTRUCTIONS + OFPTFPT_MISS)))) {
        m->instructions = nm->instructions;
    }
    if (!(seen & (UINT32_C(1) << (OFPTFPT_NEXT_TABLES + OFPTFPT_MISS)))) {
        memcpy(m->next, nm->next, sizeof m->next);
    }
    if (!(seen & (UINT32_C(1) << (OFPTFPT_WRITE_ACTIONS + OFPTFPT_MISS)))) {
        m->write.actions = nm->write.actions;
    }
    if (!(seen & (UINT32_C(1) << (OFPTFPT_APPLY_ACTIONS + OFPTFPT_MISS)))) {
        m->apply.actions = nm->apply.actions;
    }
    if (!(seen & (UINT32_C(1) << (OFPTFPT_WRITE_SETFIELD + OFPTFPT_MISS)))) {
        memcpy(m->write.set_fields, nm->write.set_fields,
               sizeof m->write.set_fields);
    }
    if (!(seen & (UINT32_C(1) << (OFPTFPT_APPLY_SETFIELD + OFPTFPT_MISS)))) {
        memcpy(m->apply.set_fields, nm->apply.set_fields,
               sizeof m->apply.set_fields);
    }
    return 0;
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
        enum ofperr error = pull_table_features(p, elen, &tf);
        if (error) {
            return error;
        }
        *tfp = xrealloc(*tfp, (*n + 1) * sizeof **tfp);
        (*tfp)[(*n)++] = tf;
        p += elen;
        len -= elen;
    }
    return 0;
}
