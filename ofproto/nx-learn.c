/* nx-learn: text, wire and flow building of the learn action. */
#include <config.h>
#include "nx-learn.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "flow-table.h"
#include "ofp-actions.h"
#include "ofp-port.h"
#include "ofp-names.h"
#include "ofpbuf.h"
#include "packets.h"

#define NX_VENDOR_ID 0x00002320
#define OFPAT_EXPERIMENTER 0xffff
/* The widest spec: all of a tun_metadataN (and so the widest immediate
 * 'imm' holds). */
#define LEARN_MAX_BITS (8 * NX_WIDE_BYTES)

/* ---- Immediate values: big-endian, right-aligned in NX_WIDE_BYTES. ---- */

static uint64_t
imm_get(const struct ofpact *spec)
{
    uint64_t x = 0;
    for (int i = NX_WIDE_BYTES - 8; i < NX_WIDE_BYTES; i++) {
        x = (x << 8) | spec->learn_spec.imm[i];
    }
    return x;
}

static void
imm_set(struct ofpact *spec, uint64_t x)
{
    memset(spec->learn_spec.imm, 0, sizeof spec->learn_spec.imm);
    for (int i = NX_WIDE_BYTES - 1; i >= NX_WIDE_BYTES - 8; i--, x >>= 8) {
        spec->learn_spec.imm[i] = x;
    }
}

/* 'value' into 'spec''s immediate for 'n_bits'; false if it does not
 * fit. */
static bool
imm_parse(const char *value, unsigned int n_bits, struct ofpact *spec)
{
    char *error = nx_parse_wide(value, n_bits, spec->learn_spec.imm);
    free(error);
    return !error;
}

static bool
is_whole(const struct mf_subfield *sf)
{
    struct mf_subfield whole;
    char *error = nx_parse_subfield(mf_from_id(sf->field)->name, &whole);
    free(error);
    return !error && !sf->ofs && sf->n_bits == whole.n_bits;
}

/* ---- Text. ---- */

static char *
parse_u64(const char *key, const char *s, uint64_t max, uint64_t *out)
{
    unsigned long long x;
    if (!s || !str_to_ullong(s, 0, &x) || x > max) {
        return xasprintf("%s: invalid value for %s", s ? s : "", key);
    }
    *out = x;
    return NULL;
}

static char *
check_width(const struct mf_subfield *sf, const char *s)
{
    if (sf->n_bits > LEARN_MAX_BITS) {
        return xasprintf("%s: learn specs move at most %d bits", s,
                         LEARN_MAX_BITS);
    }
    return NULL;
}

/* VALUE for a spec writing 'dst' (named 'dst_s'): a number, or for a
 * whole field anything the field's syntax allows ("00:11:22:33:44:55"). */
static char *
parse_immediate(const char *value, const struct mf_subfield *dst,
                const char *dst_s, struct ofpact *spec)
{
    const struct mf_field *mf = mf_from_id(dst->field);
    if (!strchr(dst_s, '[') && dst->field != MFF_IN_PORT) {
        union mf_value v;
        char *error = mf_parse_value(mf, value, &v);
        if (error) {
            return error;
        }
        memset(spec->learn_spec.imm, 0, sizeof spec->learn_spec.imm);
        memcpy(spec->learn_spec.imm + NX_WIDE_BYTES - mf->n_bytes, v.b, mf->n_bytes);
        return NULL;
    }
    if (dst->field == MFF_IN_PORT && !strchr(dst_s, '[')) {
        uint32_t port;
        uint16_t port16;
        if (!ofp_port_from_string(value, &port)
            || !ofp_port_to_of10(port, &port16)) {
            return xasprintf("%s: bad port", value);
        }
        imm_set(spec, port16);
        return NULL;
    }
    if (!imm_parse(value, dst->n_bits, spec)) {
        return xasprintf("%s=%s: value %s does not fit into %u bits", dst_s,
                         value, value, dst->n_bits);
    }
    return NULL;
}

/* One SPEC, appended to 'specs'. */
static char *
parse_spec(char *s, struct ofpacts *specs)
{
    struct ofpact *spec = ofpacts_put(specs, OFPACT_LEARN_SPEC);
    char *error;

    if (!strncmp(s, "load:", 5)) {
        char *arrow = strstr(s, "->");
        if (!arrow) {
            return xasprintf("%s: load syntax is \"load:SRC->DST\"", s);
        }
        *arrow = '\0';
        spec->learn_spec.dst_type = NX_LEARN_DST_LOAD;
        error = nx_parse_subfield(arrow + 2, &spec->learn_spec.dst);
        if (error) {
            return error;
        }
        char *src_error = nx_parse_subfield(s + 5, &spec->learn_spec.src);
        if (!src_error) {
            spec->learn_spec.src_type = NX_LEARN_SRC_FIELD;
            if (spec->learn_spec.src.n_bits
                != spec->learn_spec.dst.n_bits) {
                return xasprintf("%s->%s: source and destination widths "
                                 "differ", s + 5, arrow + 2);
            }
        } else {
            free(src_error);
            if (!imm_parse(s + 5, spec->learn_spec.dst.n_bits, spec)) {
                return xasprintf("%s: value does not fit into %u bits",
                                 s + 5, spec->learn_spec.dst.n_bits);
            }
            spec->learn_spec.src_type = NX_LEARN_SRC_IMMEDIATE;
        }
        spec->learn_spec.n_bits = spec->learn_spec.dst.n_bits;
        return check_width(&spec->learn_spec.dst, arrow + 2);
    }
    if (!strncmp(s, "output:", 7)) {
        spec->learn_spec.dst_type = NX_LEARN_DST_OUTPUT;
        spec->learn_spec.src_type = NX_LEARN_SRC_FIELD;
        error = nx_parse_subfield(s + 7, &spec->learn_spec.src);
        spec->learn_spec.n_bits = spec->learn_spec.src.n_bits;
        return error ? error : check_width(&spec->learn_spec.src, s + 7);
    }

    char *eq = strchr(s, '=');
    if (eq) {
        *eq = '\0';
    }
    spec->learn_spec.dst_type = NX_LEARN_DST_MATCH;
    error = nx_parse_subfield(s, &spec->learn_spec.dst);
    if (error) {
        return error;
    }
    spec->learn_spec.n_bits = spec->learn_spec.dst.n_bits;
    error = check_width(&spec->learn_spec.dst, s);
    if (error) {
        return error;
    }
    spec->learn_spec.src_type = NX_LEARN_SRC_FIELD;
    if (!eq) {
        spec->learn_spec.src = spec->learn_spec.dst;
        return NULL;
    }
    char *src_error = nx_parse_subfield(eq + 1, &spec->learn_spec.src);
    if (!src_error) {
        if (spec->learn_spec.src.n_bits != spec->learn_spec.dst.n_bits) {
            return xasprintf("%s=%s: source and destination widths differ",
                             s, eq + 1);
        }
        return NULL;
    }
    free(src_error);
    spec->learn_spec.src_type = NX_LEARN_SRC_IMMEDIATE;
    return parse_immediate(eq + 1, &spec->learn_spec.dst, s, spec);
}

char *
nx_parse_learn(const char *arg, struct ofpacts *o)
{
    struct ofpact learn;
    struct ofpacts specs = OFPACTS_EMPTY_INITIALIZER;
    char *copy = xstrdup(arg ? arg : ""), *save = NULL;
    char *error = NULL;

    memset(&learn, 0, sizeof learn);
    learn.type = OFPACT_LEARN;
    learn.learn.table_id = 1;
    learn.learn.priority = OFP_DEFAULT_PRIORITY;
    for (char *kv = strtok_r(copy, ",", &save); kv && !error;
         kv = strtok_r(NULL, ",", &save)) {
        while (*kv == ' ') {
            kv++;
        }
        char *eq = strchr(kv, '=');
        const char *value = eq ? eq + 1 : NULL;
        size_t klen = eq ? (size_t) (eq - kv) : strlen(kv);
        uint64_t x = 0;
#define KEY(NAME) (klen == strlen(NAME) && !strncmp(kv, NAME, klen))
        if (KEY("table") && value) {
            uint8_t id;
            error = (ofp_table_from_string(value, 254, &id) ? (x = id, NULL)
                     : parse_u64("table", value, 254, &x));
            learn.learn.table_id = x;
        } else if (KEY("priority") && value) {
            error = parse_u64("priority", value, UINT16_MAX, &x);
            learn.learn.priority = x;
        } else if (KEY("idle_timeout") && value) {
            error = parse_u64("idle_timeout", value, UINT16_MAX, &x);
            learn.learn.idle_timeout = x;
        } else if (KEY("hard_timeout") && value) {
            error = parse_u64("hard_timeout", value, UINT16_MAX, &x);
            learn.learn.hard_timeout = x;
        } else if (KEY("fin_idle_timeout") && value) {
            error = parse_u64("fin_idle_timeout", value, UINT16_MAX, &x);
            learn.learn.fin_idle_timeout = x;
        } else if (KEY("fin_hard_timeout") && value) {
            error = parse_u64("fin_hard_timeout", value, UINT16_MAX, &x);
            learn.learn.fin_hard_timeout = x;
        } else if (KEY("cookie") && value) {
            error = parse_u64("cookie", value, UINT64_MAX, &x);
            learn.learn.cookie = x;
        } else if (KEY("limit") && value) {
            error = parse_u64("limit", value, UINT32_MAX, &x);
            learn.learn.limit = x;
        } else if (KEY("result_dst") && value) {
            error = nx_parse_subfield(value, &learn.learn.result_dst);
            if (!error && learn.learn.result_dst.n_bits != 1) {
                error = xasprintf("%s: result_dst must be a single bit",
                                  value);
            }
            learn.learn.flags |= NX_LEARN_F_WRITE_RESULT;
        } else if (KEY("send_flow_rem") && !value) {
            learn.learn.flags |= NX_LEARN_F_SEND_FLOW_REM;
        } else if (KEY("delete_learned") && !value) {
            learn.learn.flags |= NX_LEARN_F_DELETE_LEARNED;
        } else {
            error = parse_spec(kv, &specs);
        }
#undef KEY
    }
    free(copy);
    if (!error) {
        ofpacts_put_nested(o, OFPACT_LEARN, &specs);
        learn.n_nested = specs.n;
        o->acts[o->n - 1 - specs.n] = learn;
    }
    ofpacts_uninit(&specs);
    return error;
}

static void
format_imm_match(const struct ofpact *spec, struct ds *s)
{
    const struct mf_subfield *dst = &spec->learn_spec.dst;
    const struct mf_field *mf = mf_from_id(dst->field);
    if (!is_whole(dst)) {
        nx_format_subfield(dst, s);
        ds_put_char(s, '=');
        nx_format_wide(spec->learn_spec.imm, s);
        return;
    }
    ds_put_format(s, "%s=", mf->name);
    if (dst->field == MFF_IN_PORT) {
        ofp_port_format(ofp_port_from_of10(imm_get(spec)), s);
    } else if (mf->string == MFS_DECIMAL) {
        ds_put_format(s, "%"PRIu64, imm_get(spec));
    } else if (mf->string == MFS_HEXADECIMAL
               || mf->string == MFS_ETHERTYPE) {
        nx_format_wide(spec->learn_spec.imm, s);
    } else {
        union mf_value v;
        memset(&v, 0, sizeof v);
        memcpy(v.b, spec->learn_spec.imm + NX_WIDE_BYTES - mf->n_bytes, mf->n_bytes);
        mf_format(mf, &v, NULL, s);
    }
}

static void
format_spec(const struct ofpact *spec, struct ds *s)
{
    const struct mf_subfield *src = &spec->learn_spec.src;
    const struct mf_subfield *dst = &spec->learn_spec.dst;
    bool imm = spec->learn_spec.src_type == NX_LEARN_SRC_IMMEDIATE;
    switch (spec->learn_spec.dst_type) {
    case NX_LEARN_DST_MATCH:
        if (imm) {
            format_imm_match(spec, s);
        } else {
            nx_format_subfield(dst, s);
            if (memcmp(src, dst, sizeof *src)) {
                ds_put_char(s, '=');
                nx_format_subfield(src, s);
            }
        }
        break;
    case NX_LEARN_DST_LOAD:
        ds_put_cstr(s, "load:");
        if (imm) {
            nx_format_wide(spec->learn_spec.imm, s);
        } else {
            nx_format_subfield(src, s);
        }
        ds_put_cstr(s, "->");
        nx_format_subfield(dst, s);
        break;
    default:
        ds_put_cstr(s, "output:");
        nx_format_subfield(src, s);
        break;
    }
}

void
nx_format_learn(const struct ofpact *a, struct ds *s)
{
    ds_put_cstr(s, "learn(table=");
    ofp_table_format(a->learn.table_id, s);
    if (a->learn.idle_timeout) {
        ds_put_format(s, ",idle_timeout=%"PRIu16, a->learn.idle_timeout);
    }
    if (a->learn.hard_timeout) {
        ds_put_format(s, ",hard_timeout=%"PRIu16, a->learn.hard_timeout);
    }
    if (a->learn.fin_idle_timeout) {
        ds_put_format(s, ",fin_idle_timeout=%"PRIu16,
                      a->learn.fin_idle_timeout);
    }
    if (a->learn.fin_hard_timeout) {
        ds_put_format(s, ",fin_hard_timeout=%"PRIu16,
                      a->learn.fin_hard_timeout);
    }
    if (a->learn.priority != OFP_DEFAULT_PRIORITY) {
        ds_put_format(s, ",priority=%"PRIu16, a->learn.priority);
    }
    if (a->learn.flags & NX_LEARN_F_SEND_FLOW_REM) {
        ds_put_cstr(s, ",send_flow_rem");
    }
    if (a->learn.flags & NX_LEARN_F_DELETE_LEARNED) {
        ds_put_cstr(s, ",delete_learned");
    }
    if (a->learn.cookie) {
        ds_put_format(s, ",cookie=%#"PRIx64, a->learn.cookie);
    }
    if (a->learn.limit) {
        ds_put_format(s, ",limit=%"PRIu32, a->learn.limit);
    }
    if (a->learn.flags & NX_LEARN_F_WRITE_RESULT) {
        ds_put_cstr(s, ",result_dst=");
        nx_format_subfield(&a->learn.result_dst, s);
    }
    for (size_t i = 1; i <= a->n_nested; i++) {
        ds_put_char(s, ',');
        format_spec(&a[i], s);
    }
    ds_put_char(s, ')');
}

/* fin_timeout(idle_timeout=I,hard_timeout=H), either or none. */
char *
nx_parse_fin_timeout(const char *arg, struct ofpacts *o)
{
    struct ofpact *a = ofpacts_put(o, OFPACT_FIN_TIMEOUT);
    char *copy = xstrdup(arg ? arg : ""), *save = NULL;
    char *error = NULL;
    for (char *kv = strtok_r(copy, ", ", &save); kv && !error;
         kv = strtok_r(NULL, ", ", &save)) {
        char *value = strchr(kv, '=');
        unsigned long long x = 0;
        if (value) {
            *value++ = '\0';
        }
        if (strcmp(kv, "idle_timeout") && strcmp(kv, "hard_timeout")) {
            error = xasprintf("invalid key '%s' in 'fin_timeout' argument",
                              kv);
        } else if (!value || !str_to_ullong(value, 10, &x)
                   || x > UINT16_MAX) {
            error = xasprintf("invalid %s \"%s\"", kv, value ? value : "");
        } else if (kv[0] == 'i') {
            a->fin_timeout.idle_timeout = x;
        } else {
            a->fin_timeout.hard_timeout = x;
        }
    }
    free(copy);
    return error;
}

void
nx_format_fin_timeout(const struct ofpact *a, struct ds *s)
{
    ds_put_cstr(s, "fin_timeout(");
    if (a->fin_timeout.idle_timeout) {
        ds_put_format(s, "idle_timeout=%"PRIu16, a->fin_timeout.idle_timeout);
    }
    if (a->fin_timeout.hard_timeout) {
        ds_put_format(s, "%shard_timeout=%"PRIu16,
                      a->fin_timeout.idle_timeout ? "," : "",
                      a->fin_timeout.hard_timeout);
    }
    ds_put_char(s, ')');
}

/* A timeout of 0 means none, which anything shortens. */
static bool
shorten(uint16_t max, uint16_t *timeout)
{
    if (max && (!*timeout || *timeout > max)) {
        *timeout = max;
        return true;
    }
    return false;
}

bool
nx_fin_timeout_apply(const struct ofpact *a, uint16_t tcp_flags,
                     uint16_t *idle, uint16_t *hard)
{
    if (!(tcp_flags & (TCP_FIN | TCP_RST))) {
        return false;
    }
    bool changed = shorten(a->fin_timeout.idle_timeout, idle);
    return shorten(a->fin_timeout.hard_timeout, hard) || changed;
}

/* ---- Wire. ----
 *
 * NXAST_LEARN: idle_timeout(16) hard_timeout(16) priority(16) cookie(64)
 * flags(16) table_id(8) pad(8) fin_idle_timeout(16) fin_hard_timeout(16);
 * NXAST_LEARN2 adds limit(32) result_dst_ofs(16) pad(16) and, with
 * NX_LEARN_F_WRITE_RESULT, result_dst's header(32).  Then the specs, each
 * a header(16) = src_type << 13 | dst_type << 11 | n_bits, the source
 * (field header(32) and ofs(16), or the value in whole 16-bit words),
 * the destination (header and ofs; nothing for output), and zero
 * padding to a multiple of 8. */

static size_t
imm_bytes(unsigned int n_bits)
{
    return (n_bits + 15) / 16 * 2;
}

static enum ofperr
decode_spec(const uint8_t **pp, const uint8_t *end, struct ofpacts *specs)
{
    const uint8_t *p = *pp;
    uint16_t header = get_be16(p);
    unsigned int n_bits = header & 0x7ff;
    unsigned int src_type = (header >> 13) & 1;
    unsigned int dst_type = (header >> 11) & 3;
    p += 2;
    if (header >> 14 || dst_type > NX_LEARN_DST_OUTPUT || !n_bits
        || n_bits > LEARN_MAX_BITS
        || (src_type == NX_LEARN_SRC_IMMEDIATE
            && dst_type == NX_LEARN_DST_OUTPUT)) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    struct ofpact spec;
    memset(&spec, 0, sizeof spec);
    spec.type = OFPACT_LEARN_SPEC;
    spec.learn_spec.src_type = src_type;
    spec.learn_spec.dst_type = dst_type;
    spec.learn_spec.n_bits = n_bits;
    size_t need = (src_type == NX_LEARN_SRC_FIELD ? 6 : imm_bytes(n_bits))
                  + (dst_type == NX_LEARN_DST_OUTPUT ? 0 : 6);
    if ((size_t) (end - p) < need) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    enum ofperr error;
    if (src_type == NX_LEARN_SRC_FIELD) {
        error = nx_pull_subfield(get_be32(p), get_be16(p + 4), n_bits,
                                 &spec.learn_spec.src);
        if (error) {
            return error;
        }
        p += 6;
    } else {
        size_t n = imm_bytes(n_bits);
        memcpy(spec.learn_spec.imm + NX_WIDE_BYTES - n, p, n);
        p += n;
    }
    if (dst_type != NX_LEARN_DST_OUTPUT) {
        error = nx_pull_subfield(get_be32(p), get_be16(p + 4), n_bits,
                                 &spec.learn_spec.dst);
        if (error) {
            return error;
        }
        p += 6;
    }
    *ofpacts_put(specs, OFPACT_LEARN_SPEC) = spec;
    *pp = p;
    return 0;
}

enum ofperr
nx_learn_decode(uint16_t subtype, const uint8_t *p, size_t len,
                struct ofpacts *o)
{
    if (subtype == NXAST_FIN_TIMEOUT) {
        /* idle_timeout(16) hard_timeout(16) pad(16). */
        if (len != 16) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        struct ofpact *a = ofpacts_put(o, OFPACT_FIN_TIMEOUT);
        a->fin_timeout.idle_timeout = get_be16(p + 10);
        a->fin_timeout.hard_timeout = get_be16(p + 12);
        return 0;
    }
    size_t fixed = subtype == NXAST_LEARN ? 32 : 40;
    if (len < fixed) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    struct ofpact learn;
    memset(&learn, 0, sizeof learn);
    learn.type = OFPACT_LEARN;
    learn.learn.idle_timeout = get_be16(p + 10);
    learn.learn.hard_timeout = get_be16(p + 12);
    learn.learn.priority = get_be16(p + 14);
    learn.learn.cookie = get_be64(p + 16);
    learn.learn.flags = get_be16(p + 24);
    learn.learn.table_id = p[26];
    learn.learn.fin_idle_timeout = get_be16(p + 28);
    learn.learn.fin_hard_timeout = get_be16(p + 30);
    if (learn.learn.flags & ~(NX_LEARN_F_SEND_FLOW_REM
                              | NX_LEARN_F_DELETE_LEARNED
                              | (subtype == NXAST_LEARN2
                                 ? NX_LEARN_F_WRITE_RESULT : 0))
        || learn.learn.table_id == 0xff) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    if (subtype == NXAST_LEARN2) {
        learn.learn.limit = get_be32(p + 32);
        if (learn.learn.flags & NX_LEARN_F_WRITE_RESULT) {
            if (len < fixed + 4) {
                return OFPERR_OFPBAC_BAD_LEN;
            }
            enum ofperr error = nx_pull_subfield(get_be32(p + 40),
                                                 get_be16(p + 36), 1,
                                                 &learn.learn.result_dst);
            if (error) {
                return error;
            }
            fixed += 4;
        }
    }

    struct ofpacts specs = OFPACTS_EMPTY_INITIALIZER;
    const uint8_t *q = p + fixed, *end = p + len;
    enum ofperr error = 0;
    while (!error && end - q >= 2 && get_be16(q)) {
        error = decode_spec(&q, end, &specs);
    }
    while (!error && q < end) {
        if (*q++) {
            error = OFPERR_OFPBAC_BAD_ARGUMENT;
        }
    }
    if (!error) {
        ofpacts_put_nested(o, OFPACT_LEARN, &specs);
        learn.n_nested = specs.n;
        o->acts[o->n - 1 - specs.n] = learn;
    }
    ofpacts_uninit(&specs);
    return error;
}

static void
encode_fin_timeout(const struct ofpact *a, struct ofpbuf *b)
{
    ofpbuf_put_be16(b, OFPAT_EXPERIMENTER);
    ofpbuf_put_be16(b, 16);
    ofpbuf_put_be32(b, NX_VENDOR_ID);
    ofpbuf_put_be16(b, NXAST_FIN_TIMEOUT);
    ofpbuf_put_be16(b, a->fin_timeout.idle_timeout);
    ofpbuf_put_be16(b, a->fin_timeout.hard_timeout);
    ofpbuf_put_zeros(b, 2);
}

void
nx_learn_encode(const struct ofpact *a, struct ofpbuf *b)
{
    if (a->type == OFPACT_FIN_TIMEOUT) {
        encode_fin_timeout(a, b);
        return;
    }
    bool learn2 = (a->learn.limit
                   || a->learn.flags & NX_LEARN_F_WRITE_RESULT);
    size_t start = b->size;
    ofpbuf_put_be16(b, OFPAT_EXPERIMENTER);
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_be32(b, NX_VENDOR_ID);
    ofpbuf_put_be16(b, learn2 ? NXAST_LEARN2 : NXAST_LEARN);
    ofpbuf_put_be16(b, a->learn.idle_timeout);
    ofpbuf_put_be16(b, a->learn.hard_timeout);
    ofpbuf_put_be16(b, a->learn.priority);
    ofpbuf_put_be64(b, a->learn.cookie);
    ofpbuf_put_be16(b, a->learn.flags);
    ofpbuf_put_u8(b, a->learn.table_id);
    ofpbuf_put_u8(b, 0);
    ofpbuf_put_be16(b, a->learn.fin_idle_timeout);
    ofpbuf_put_be16(b, a->learn.fin_hard_timeout);
    if (learn2) {
        ofpbuf_put_be32(b, a->learn.limit);
        ofpbuf_put_be16(b, a->learn.result_dst.ofs);
        ofpbuf_put_zeros(b, 2);
        if (a->learn.flags & NX_LEARN_F_WRITE_RESULT) {
            nx_put_subfield_header(&a->learn.result_dst, b);
        }
    }
    for (size_t i = 1; i <= a->n_nested; i++) {
        const struct ofpact *spec = &a[i];
        unsigned int n_bits = spec->learn_spec.n_bits;
        ofpbuf_put_be16(b, (spec->learn_spec.src_type << 13)
                           | (spec->learn_spec.dst_type << 11) | n_bits);
        if (spec->learn_spec.src_type == NX_LEARN_SRC_FIELD) {
            nx_put_subfield_header(&spec->learn_spec.src, b);
            ofpbuf_put_be16(b, spec->learn_spec.src.ofs);
        } else {
            size_t n = imm_bytes(n_bits);
            ofpbuf_put(b, spec->learn_spec.imm + NX_WIDE_BYTES - n, n);
        }
        if (spec->learn_spec.dst_type != NX_LEARN_DST_OUTPUT) {
            nx_put_subfield_header(&spec->learn_spec.dst, b);
            ofpbuf_put_be16(b, spec->learn_spec.dst.ofs);
        }
    }
    ofpbuf_pad(b, 8);
    ofpbuf_set_be16(b, start + 2, b->size - start);
}

/* ---- Building the learned flow. ---- */

void
nx_learn_build(const struct ofpact *a, const struct flow *flow,
               struct ft_flow_mod *fm, struct ofpacts *actions)
{
    memset(fm, 0, sizeof *fm);
    match_init_catchall(&fm->match);
    ofpacts_clear(actions);
    /* Open vSwitch puts it first. */
    if (a->learn.fin_idle_timeout || a->learn.fin_hard_timeout) {
        struct ofpact *fin = ofpacts_put(actions, OFPACT_FIN_TIMEOUT);
        fin->fin_timeout.idle_timeout = a->learn.fin_idle_timeout;
        fin->fin_timeout.hard_timeout = a->learn.fin_hard_timeout;
    }
    for (size_t i = 1; i <= a->n_nested; i++) {
        const struct ofpact *spec = &a[i];
        const struct mf_subfield *dst = &spec->learn_spec.dst;
        uint8_t value[NX_WIDE_BYTES];
        if (spec->learn_spec.src_type == NX_LEARN_SRC_FIELD) {
            nx_subfield_get_wide(&spec->learn_spec.src, flow, value);
        } else {
            memcpy(value, spec->learn_spec.imm, sizeof value);
        }
        uint64_t low = 0;
        for (int j = NX_WIDE_BYTES - 8; j < NX_WIDE_BYTES; j++) {
            low = (low << 8) | value[j];
        }
        switch (spec->learn_spec.dst_type) {
        case NX_LEARN_DST_MATCH:
            if (dst->field == MFF_IN_PORT) {
                /* NXM_OF_IN_PORT is a 16-bit OpenFlow 1.0 port. */
                fm->match.flow.in_port = ofp_port_from_of10(low);
                fm->match.wc.masks.in_port = UINT32_MAX;
            } else {
                uint8_t ones[NX_WIDE_BYTES];
                memset(ones, 0xff, sizeof ones);
                if (mf_is_tun_md(mf_from_id(dst->field))) {
                    /* Where the packet has the option, as the bridge's
                     * TLV map says. */
                    unsigned int idx = mf_tun_md_idx(mf_from_id(dst->field));
                    struct flow_tun_layout *l = &fm->match.flow.tun_layout;
                    l->ofs[idx] = flow->tun_layout.ofs[idx];
                    l->len[idx] = flow->tun_layout.len[idx];
                    fm->match.wc.masks.tun_layout = *l;
                }
                nx_subfield_set_wide(dst, value, &fm->match.flow);
                nx_subfield_set_wide(dst, ones, &fm->match.wc.masks);
            }
            break;
        case NX_LEARN_DST_LOAD:
            nx_put_wide_load(actions, dst, value);
            break;
        default: {
            struct ofpact *out = ofpacts_put(actions, OFPACT_OUTPUT);
            out->output.port = (spec->learn_spec.src.n_bits <= 16
                                ? ofp_port_from_of10(low) : low);
            break;
        }
        }
    }
    match_normalize(&fm->match);
    fm->command = FT_ADD;
    fm->table_id = a->learn.table_id;
    fm->priority = a->learn.priority;
    fm->cookie = a->learn.cookie;
    fm->idle_timeout = a->learn.idle_timeout;
    fm->hard_timeout = a->learn.hard_timeout;
    fm->flags = (a->learn.flags & NX_LEARN_F_SEND_FLOW_REM
                 ? FT_FLAG_SEND_FLOW_REM : 0);
    fm->out_port = OFPP_ANY;
    fm->ofpacts = actions;
}
