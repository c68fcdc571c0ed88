/* ofp-meter: METER_MOD — text parse and format, wire encode and decode
 * (the OpenFlow 1.3 layout, shared by 1.4 and 1.5), printing — and the
 * meter stats, config and features multiparts. */
#include <config.h>
#include "ofp-meter.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define BAND_LEN 16             /* ofp_meter_band_drop / _dscp_remark. */
#define METER_STATS_LEN 40      /* ofp_meter_stats without band stats. */
#define BAND_STATS_LEN 16       /* ofp_meter_band_stats. */
#define METER_CONFIG_LEN 8      /* ofp_meter_config without bands. */

void
ofp_meter_mod_uninit(struct ofp_meter_mod *mm)
{
    free(mm->bands);
    mm->bands = NULL;
    mm->n_bands = 0;
}

/* ---- Text. ---- */

static char *
parse_u32(const char *name, const char *value, uint32_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(value, &end, 0);
    if (!*value || *end || errno || v > UINT32_MAX || value[0] == '-') {
        return xasprintf("%s: bad value \"%s\"", name, value);
    }
    *out = v;
    return NULL;
}

/* One "key=value" (or flag) of a band; 'b' is the current band. */
static char *
parse_band_field(struct ofp_meter_mod *mm, const char *key,
                 const char *value)
{
    if (!strcmp(key, "type")) {
        mm->bands = xrealloc(mm->bands, (mm->n_bands + 1) * sizeof *mm->bands);
        struct ofp_meter_band *b = &mm->bands[mm->n_bands++];
        memset(b, 0, sizeof *b);
        if (!strcmp(value, "drop")) {
            b->type = OFPMBT_DROP;
        } else if (!strcmp(value, "dscp_remark")) {
            b->type = OFPMBT_DSCP_REMARK;
        } else {
            return xasprintf("type: unknown meter band type \"%s\"", value);
        }
        return NULL;
    }
    if (!mm->n_bands) {
        return xasprintf("%s: band needs \"type=\" first", key);
    }
    struct ofp_meter_band *b = &mm->bands[mm->n_bands - 1];
    uint32_t v;
    char *error = parse_u32(key, value, &v);
    if (error) {
        return error;
    }
    if (!strcmp(key, "rate")) {
        b->rate = v;
    } else if (!strcmp(key, "burst_size")) {
        b->burst_size = v;
    } else if (!strcmp(key, "prec_level") && v <= UINT8_MAX) {
        b->prec_level = v;
    } else {
        return xasprintf("%s: unknown or bad meter band field", key);
    }
    return NULL;
}

static char *
parse_meter_mod(struct ofp_meter_mod *mm, char *s)
{
    static const struct {
        const char *name;
        uint16_t flag;
    } flags[] = {
        { "kbps", OFPMF_KBPS }, { "pktps", OFPMF_PKTPS },
        { "burst", OFPMF_BURST }, { "stats", OFPMF_STATS },
    };
    bool have_id = false, in_bands = false;
    char *save = NULL;
    for (char *tok = strtok_r(s, ", \t", &save); tok;
         tok = strtok_r(NULL, ", \t", &save)) {
        char *value = strchr(tok, '=');
        if (value) {
            *value++ = '\0';
        }
        char *error = NULL;
        /* "bands=" as the meter prints, or "band=". */
        if ((!strcmp(tok, "band") || !strcmp(tok, "bands")) && value
            && !in_bands) {
            in_bands = true;
            char *v2 = strchr(value, '=');
            if (!v2) {
                return xasprintf("band: expected \"band=type=...\"");
            }
            *v2++ = '\0';
            error = parse_band_field(mm, value, v2);
        } else if (in_bands) {
            error = (value ? parse_band_field(mm, tok, value)
                     : xasprintf("%s: expected key=value in band", tok));
        } else if (!strcmp(tok, "meter") && value) {
            have_id = true;
            if (!strcmp(value, "all")) {
                mm->meter_id = OFPM_ALL;
            } else if (!strcmp(value, "controller")) {
                mm->meter_id = OFPM_CONTROLLER;
            } else if (!strcmp(value, "slowpath")) {
                mm->meter_id = OFPM_SLOWPATH;
            } else {
                error = parse_u32("meter", value, &mm->meter_id);
                if (!error && (!mm->meter_id || mm->meter_id > OFPM_MAX)) {
                    error = xasprintf("meter: %s out of range 1..%"PRIu32,
                                      value, OFPM_MAX);
                }
            }
        } else if (!value) {
            size_t i;
            for (i = 0; i < ARRAY_SIZE(flags); i++) {
                if (!strcmp(tok, flags[i].name)) {
                    mm->flags |= flags[i].flag;
                    break;
                }
            }
            if (i == ARRAY_SIZE(flags)) {
                error = xasprintf("%s: unknown meter flag", tok);
            }
        } else {
            error = xasprintf("%s: unknown meter field", tok);
        }
        if (error) {
            return error;
        }
    }
    if (mm->command == OFPMC_DELETE) {
        if (!have_id) {
            mm->meter_id = OFPM_ALL;
        }
        if (mm->flags || mm->n_bands) {
            return xasprintf("delete takes only \"meter=N\"");
        }
        return NULL;
    }
    if (!have_id || mm->meter_id == OFPM_ALL) {
        return xasprintf("meter: a meter id is required");
    }
    if (!mm->n_bands) {
        return xasprintf("band: a meter needs at least one band");
    }
    return NULL;
}

char *
ofp_parse_meter_mod_str(struct ofp_meter_mod *mm, const char *str,
                        uint16_t command)
{
    memset(mm, 0, sizeof *mm);
    mm->command = command;
    char *copy = xstrdup(str);
    char *error = parse_meter_mod(mm, copy);
    free(copy);
    return error;
}

/* "meter=7", "meter=all", "meter=controller" ('sep' '='), or "meter:7"
 * ('sep' ':'). */
static void
print_meter_id(uint32_t id, char sep, struct ds *s)
{
    ds_put_format(s, "meter%c", sep);
    if (id <= OFPM_MAX) {
        ds_put_format(s, "%"PRIu32, id);
    } else {
        ds_put_cstr(s, (id == OFPM_ALL ? "all"
                        : id == OFPM_CONTROLLER ? "controller"
                        : id == OFPM_SLOWPATH ? "slowpath" : "unknown"));
    }
}

static void
format_band(const struct ofp_meter_band *b, uint16_t flags, struct ds *s)
{
    ds_put_cstr(s, "\ntype=");
    if (b->type == OFPMBT_DROP) {
        ds_put_cstr(s, "drop");
    } else if (b->type == OFPMBT_DSCP_REMARK) {
        ds_put_cstr(s, "dscp_remark");
    } else {
        ds_put_format(s, "%"PRIu16, b->type);
    }
    ds_put_format(s, " rate=%"PRIu32, b->rate);
    if (flags & OFPMF_BURST) {
        ds_put_format(s, " burst_size=%"PRIu32, b->burst_size);
    }
    if (b->type == OFPMBT_DSCP_REMARK) {
        ds_put_format(s, " prec_level=%"PRIu8, b->prec_level);
    }
}

void
ofp_meter_format(const struct ofp_meter_mod *mm, struct ds *s)
{
    static const char *const names[] = { "kbps", "pktps", "burst", "stats" };
    print_meter_id(mm->meter_id, '=', s);
    ds_put_char(s, ' ');
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (mm->flags & (1u << i)) {
            ds_put_format(s, "%s ", names[i]);
        }
    }
    if (mm->flags & ~0xfu) {
        ds_put_format(s, "flags:0x%"PRIx16" ", (uint16_t) (mm->flags & ~0xfu));
    }
    ds_put_cstr(s, "bands=");
    for (size_t i = 0; i < mm->n_bands; i++) {
        format_band(&mm->bands[i], mm->flags, s);
    }
}

/* ---- Wire. ---- */

static void
put_bands(const struct ofp_meter_band *bands, size_t n, struct ofpbuf *b)
{
    for (size_t i = 0; i < n; i++) {
        const struct ofp_meter_band *band = &bands[i];
        ofpbuf_put_be16(b, band->type);
        ofpbuf_put_be16(b, BAND_LEN);
        ofpbuf_put_be32(b, band->rate);
        ofpbuf_put_be32(b, band->burst_size);
        ofpbuf_put_u8(b, band->type == OFPMBT_DSCP_REMARK
                      ? band->prec_level : 0);
        ofpbuf_put_zeros(b, 3);
    }
}

/* Appends the bands in [p, p+left) to 'mm'. */
static enum ofperr
pull_bands(const uint8_t *p, size_t left, struct ofp_meter_mod *mm)
{
    while (left > 0) {
        uint16_t len = left >= 4 ? get_be16(p + 2) : 0;
        if (len < BAND_LEN || len > left || len % 8) {
            return OFPERR_OFPMMFC_BAD_BAND;
        }
        mm->bands = xrealloc(mm->bands, (mm->n_bands + 1) * sizeof *mm->bands);
        struct ofp_meter_band *b = &mm->bands[mm->n_bands++];
        b->type = get_be16(p);
        b->rate = get_be32(p + 4);
        b->burst_size = get_be32(p + 8);
        b->prec_level = b->type == OFPMBT_DSCP_REMARK ? p[12] : 0;
        p += len;
        left -= len;
    }
    return 0;
}

struct ofpbuf *
ofp_encode_meter_mod(const struct ofp_meter_mod *mm, uint8_t version,
                     uint32_t xid)
{
    if (version < OFP13_VERSION || version > OFP15_VERSION) {
        return NULL;
    }
    struct ofpbuf *b = ofpraw_alloc(OFPTYPE_METER_MOD, version, xid,
                                    8 + mm->n_bands * BAND_LEN);
    ofpbuf_put_be16(b, mm->command);
    ofpbuf_put_be16(b, mm->flags);
    ofpbuf_put_be32(b, mm->meter_id);
    put_bands(mm->bands, mm->n_bands, b);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_decode_meter_mod(const struct ofp_msg_info *info,
                     struct ofp_meter_mod *mm)
{
    memset(mm, 0, sizeof *mm);
    mm->command = get_be16(info->body);
    mm->flags = get_be16(info->body + 2);
    mm->meter_id = get_be32(info->body + 4);
    return pull_bands(info->body + 8, info->body_len - 8, mm);
}

/* ---- Multipart. ---- */

struct ofpbuf *
ofp_encode_meter_request(enum ofptype type, uint32_t meter_id,
                         uint8_t version, uint32_t xid)
{
    struct ofpbuf *b = ofpraw_alloc(type, version, xid, 8);
    if (b) {
        ofpbuf_put_be32(b, meter_id);
        ofpbuf_put_zeros(b, 4);
        ofpmsg_update_length(b);
    }
    return b;
}

enum ofperr
ofp_decode_meter_request(const struct ofp_msg_info *info, uint32_t *meter_id)
{
    *meter_id = get_be32(info->body);
    return 0;
}

/* Multipart replies split below 64 kB; 'entry' is one encoded entry. */
static void
put_entry(struct ofpbuf **bp, const struct ofpbuf *entry, enum ofptype type,
          const struct ofp_msg_info *request, struct ofpbuf_vec *out)
{
    if ((*bp)->size + entry->size > OFP_MAX_MSG_LEN) {
        ofpbuf_set_be16(*bp, 10, OFPMPF_REPLY_MORE);
        ofpmsg_update_length(*bp);
        ofpbuf_vec_push(out, *bp);
        *bp = ofpraw_alloc_reply(type, request, 0);
    }
    ofpbuf_put(*bp, entry->data, entry->size);
}

void
ofp_encode_meter_stats_reply(const struct ofp_meter_stats *ms, size_t n,
                             const struct ofp_msg_info *request,
                             struct ofpbuf_vec *out)
{
    struct ofpbuf *b = ofpraw_alloc_reply(OFPTYPE_METER_STATS_REPLY,
                                          request, 0);
    struct ofpbuf entry;
    ofpbuf_init(&entry, 128);
    for (size_t i = 0; i < n; i++) {
        const struct ofp_meter_stats *m = &ms[i];
        ofpbuf_clear(&entry);
        ofpbuf_put_be32(&entry, m->meter_id);
        ofpbuf_put_be16(&entry, METER_STATS_LEN
                                + m->n_bands * BAND_STATS_LEN);
        ofpbuf_put_zeros(&entry, 6);
        ofpbuf_put_be32(&entry, m->flow_count);
        ofpbuf_put_be64(&entry, m->packet_in_count);
        ofpbuf_put_be64(&entry, m->byte_in_count);
        ofpbuf_put_be32(&entry, m->duration_sec);
        ofpbuf_put_be32(&entry, m->duration_nsec);
        for (size_t j = 0; j < m->n_bands; j++) {
            ofpbuf_put_be64(&entry, m->bands[j].packet_count);
            ofpbuf_put_be64(&entry, m->bands[j].byte_count);
        }
        put_entry(&b, &entry, OFPTYPE_METER_STATS_REPLY, request, out);
    }
    ofpbuf_uninit(&entry);
    ofpmsg_update_length(b);
    ofpbuf_vec_push(out, b);
}

enum ofperr
ofp_decode_meter_stats_reply(const struct ofp_msg_info *info,
                             struct ofp_meter_stats **msp, size_t *n)
{
    const uint8_t *p = info->body;
    size_t len = info->body_len;
    while (len > 0) {
        uint16_t elen = len >= METER_STATS_LEN ? get_be16(p + 4) : 0;
        if (elen < METER_STATS_LEN || elen > len
            || (elen - METER_STATS_LEN) % BAND_STATS_LEN) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        *msp = xrealloc(*msp, (*n + 1) * sizeof **msp);
        struct ofp_meter_stats *m = &(*msp)[(*n)++];
        m->meter_id = get_be32(p);
        m->flow_count = get_be32(p + 12);
        m->packet_in_count = get_be64(p + 16);
        m->byte_in_count = get_be64(p + 24);
        m->duration_sec = get_be32(p + 32);
        m->duration_nsec = get_be32(p + 36);
        m->n_bands = (elen - METER_STATS_LEN) / BAND_STATS_LEN;
        m->bands = xcalloc(m->n_bands + 1, sizeof *m->bands);
        for (size_t j = 0; j < m->n_bands; j++) {
            const uint8_t *q = p + METER_STATS_LEN + j * BAND_STATS_LEN;
            m->bands[j].packet_count = get_be64(q);
            m->bands[j].byte_count = get_be64(q + 8);
        }
        p += elen;
        len -= elen;
    }
    return 0;
}

void
ofp_meter_stats_free(struct ofp_meter_stats *ms, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(ms[i].bands);
    }
    free(ms);
}

void
ofp_encode_meter_config_reply(const struct ofp_meter_mod *mc, size_t n,
                              const struct ofp_msg_info *request,
                              struct ofpbuf_vec *out)
{
    struct ofpbuf *b = ofpraw_alloc_reply(OFPTYPE_METER_CONFIG_STATS_REPLY,
                                          request, 0);
    struct ofpbuf entry;
    ofpbuf_init(&entry, 64);
    for (size_t i = 0; i < n; i++) {
        ofpbuf_clear(&entry);
        ofpbuf_put_be16(&entry, METER_CONFIG_LEN + mc[i].n_bands * BAND_LEN);
        ofpbuf_put_be16(&entry, mc[i].flags);
        ofpbuf_put_be32(&entry, mc[i].meter_id);
        put_bands(mc[i].bands, mc[i].n_bands, &entry);
        put_entry(&b, &entry, OFPTYPE_METER_CONFIG_STATS_REPLY, request, out);
    }
    ofpbuf_uninit(&entry);
    ofpmsg_update_length(b);
    ofpbuf_vec_push(out, b);
}

enum ofperr
ofp_decode_meter_config_reply(const struct ofp_msg_info *info,
                              struct ofp_meter_mod **mcp, size_t *n)
{
    const uint8_t *p = info->body;
    size_t len = info->body_len;
    while (len > 0) {
        uint16_t elen = len >= METER_CONFIG_LEN ? get_be16(p) : 0;
        if (elen < METER_CONFIG_LEN || elen > len || elen % 8) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        *mcp = xrealloc(*mcp, (*n + 1) * sizeof **mcp);
        struct ofp_meter_mod *mc = &(*mcp)[(*n)++];
        memset(mc, 0, sizeof *mc);
        mc->flags = get_be16(p + 2);
        mc->meter_id = get_be32(p + 4);
        enum ofperr error = pull_bands(p + METER_CONFIG_LEN,
                                       elen - METER_CONFIG_LEN, mc);
        if (error) {
            return error;
        }
        p += elen;
        len -= elen;
    }
    return 0;
}

void
ofp_meter_configs_free(struct ofp_meter_mod *mc, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ofp_meter_mod_uninit(&mc[i]);
    }
    free(mc);
}

struct ofpbuf *
ofp_encode_meter_features_reply(const struct ofp_meter_features *mf,
                                const struct ofp_msg_info *request)
{
    struct ofpbuf *b = ofpraw_alloc_reply(OFPTYPE_METER_FEATURES_STATS_REPLY,
                                          request, 16);
    ofpbuf_put_be32(b, mf->max_meters);
    ofpbuf_put_be32(b, mf->band_types);
    ofpbuf_put_be32(b, mf->capabilities);
    ofpbuf_put_u8(b, mf->max_bands);
    ofpbuf_put_u8(b, mf->max_color);
    ofpbuf_put_zeros(b, 2);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_decode_meter_features_reply(const struct ofp_msg_info *info,
                                struct ofp_meter_features *mf)
{
    const uint8_t *p = info->body;
    mf->max_meters = get_be32(p);
    mf->band_types = get_be32(p + 4);
    mf->capabilities = get_be32(p + 8);
    mf->max_bands = p[12];
    mf->max_color = p[13];
    return 0;
}

/* ---- Printing. ---- */

/* Seconds with milliseconds or nanoseconds as needed: "0.010s", "5s". */
static void
print_duration(uint32_t sec, uint32_t nsec, struct ds *s)
{
    ds_put_format(s, "%"PRIu32, sec);
    if (nsec % 1000000 == 0 && nsec) {
        ds_put_format(s, ".%03"PRIu32, nsec / 1000000);
    } else if (nsec) {
        ds_put_format(s, ".%09"PRIu32, nsec);
    }
    ds_put_char(s, 's');
}

static void
print_meter_stats(const struct ofp_meter_stats *m, struct ds *s)
{
    print_meter_id(m->meter_id, ':', s);
    ds_put_format(s, " flow_count:%"PRIu32" packet_in_count:%"PRIu64
                  " byte_in_count:%"PRIu64" duration:", m->flow_count,
                  m->packet_in_count, m->byte_in_count);
    print_duration(m->duration_sec, m->duration_nsec, s);
    ds_put_cstr(s, " bands:\n");
    for (size_t i = 0; i < m->n_bands; i++) {
        ds_put_format(s, "%zu: packet_count:%"PRIu64" byte_count:%"PRIu64
                      "\n", i, m->bands[i].packet_count,
                      m->bands[i].byte_count);
    }
}

static void
print_bit_names(uint32_t bits, const char *const names[], size_t n,
                struct ds *s)
{
    bool first = true;
    for (size_t i = 0; i < 32; i++) {
        if (bits & (1u << i)) {
            if (!first) {
                ds_put_char(s, ' ');
            }
            first = false;
            if (i < n && names[i]) {
                ds_put_cstr(s, names[i]);
            } else {
                ds_put_format(s, "0x%"PRIx32, 1u << i);
            }
        }
    }
}

static void
print_meter_features(const struct ofp_meter_features *mf, struct ds *s)
{
    static const char *const band_types[] = { NULL, "drop", "dscp_remark" };
    static const char *const caps[] = { "kbps", "pktps", "burst", "stats" };
    ds_put_format(s, "\nmax_meter:%"PRIu32" max_bands:%"PRIu8
                  " max_color:%"PRIu8"\nband_types: ", mf->max_meters,
                  mf->max_bands, mf->max_color);
    print_bit_names(mf->band_types, band_types, ARRAY_SIZE(band_types), s);
    ds_put_cstr(s, "\ncapabilities: ");
    print_bit_names(mf->capabilities, caps, ARRAY_SIZE(caps), s);
    ds_put_char(s, '\n');
}

static void
print_meter_mod(const struct ofp_msg_info *info, struct ds *s)
{
    static const char *const commands[] = { "ADD", "MOD", "DEL" };
    struct ofp_meter_mod mm;
    enum ofperr error = ofp_decode_meter_mod(info, &mm);
    if (error) {
        ds_put_format(s, " ***decode error: %s***\n", ofperr_get_name(error));
    } else {
        if (mm.command < ARRAY_SIZE(commands)) {
            ds_put_format(s, " %s ", commands[mm.command]);
        } else {
            ds_put_format(s, " cmd:%"PRIu16" ", mm.command);
        }
        ofp_meter_format(&mm, s);
        ds_put_char(s, '\n');
    }
    ofp_meter_mod_uninit(&mm);
}

void
ofp_meter_print(struct ds *s, const struct ofp_msg_info *info)
{
    enum ofperr error = 0;
    switch (info->type) {
    case OFPTYPE_METER_MOD:
        print_meter_mod(info, s);
        return;
    case OFPTYPE_METER_STATS_REQUEST:
    case OFPTYPE_METER_CONFIG_STATS_REQUEST: {
        uint32_t id;
        ofp_decode_meter_request(info, &id);
        ds_put_char(s, ' ');
        print_meter_id(id, '=', s);
        ds_put_char(s, '\n');
        return;
    }
    case OFPTYPE_METER_STATS_REPLY: {
        struct ofp_meter_stats *ms = NULL;
        size_t n = 0;
        error = ofp_decode_meter_stats_reply(info, &ms, &n);
        for (size_t i = 0; !error && i < n; i++) {
            ds_put_char(s, '\n');
            print_meter_stats(&ms[i], s);
        }
        ofp_meter_stats_free(ms, n);
        break;
    }
    case OFPTYPE_METER_CONFIG_STATS_REPLY: {
        struct ofp_meter_mod *mc = NULL;
        size_t n = 0;
        error = ofp_decode_meter_config_reply(info, &mc, &n);
        for (size_t i = 0; !error && i < n; i++) {
            ds_put_char(s, '\n');
            ofp_meter_format(&mc[i], s);
            ds_put_char(s, '\n');
        }
        ofp_meter_configs_free(mc, n);
        break;
    }
    case OFPTYPE_METER_FEATURES_STATS_REPLY: {
        struct ofp_meter_features mf;
        ofp_decode_meter_features_reply(info, &mf);
        print_meter_features(&mf, s);
        return;
    }
    default:
        ds_put_char(s, '\n');
        return;
    }
    if (error) {
        ds_put_format(s, " ***decode error: %s***\n", ofperr_get_name(error));
    } else if (!s->length || s->string[s->length - 1] != '\n') {
        ds_put_char(s, '\n');
    }
}
