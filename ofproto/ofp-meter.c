/* ofp-meter: METER_MOD — text parse and format, wire encode and decode
 * (the OpenFlow 1.3 layout, shared by 1.4 and 1.5), printing. */
#include <config.h>
#include "ofp-meter.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define BAND_LEN 16             /* ofp_meter_band_drop / _dscp_remark. */

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
        if (!strcmp(tok, "band") && value && !in_bands) {
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
    ds_put_format(s, "meter=%"PRIu32" ", mm->meter_id);
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
    for (size_t i = 0; i < mm->n_bands; i++) {
        const struct ofp_meter_band *band = &mm->bands[i];
        ofpbuf_put_be16(b, band->type);
        ofpbuf_put_be16(b, BAND_LEN);
        ofpbuf_put_be32(b, band->rate);
        ofpbuf_put_be32(b, band->burst_size);
        ofpbuf_put_u8(b, band->type == OFPMBT_DSCP_REMARK
                      ? band->prec_level : 0);
        ofpbuf_put_zeros(b, 3);
    }
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
    const uint8_t *p = info->body + 8;
    size_t left = info->body_len - 8;
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

void
ofp_meter_print(struct ds *s, const struct ofp_msg_info *info)
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
