/* nx-controller: the controller action (see nx-controller.h). */
#include <config.h>
#include "nx-controller.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "ofp-actions.h"
#include "ofp-msgs.h"
#include "ofp-prop.h"
#include "ofpbuf.h"

/* NXAST_CONTROLLER2 property types. */
enum {
    NXAC2PT_MAX_LEN = 0,        /* be16. */
    NXAC2PT_CONTROLLER_ID = 1,  /* be16. */
    NXAC2PT_REASON = 2,         /* u8. */
    NXAC2PT_USERDATA = 3,       /* Bytes. */
    NXAC2PT_PAUSE = 4,          /* Flag: no value. */
    NXAC2PT_METER_ID = 5,       /* be32. */
};

struct controller_args {
    uint16_t max_len;
    uint8_t reason;
    uint16_t id;
    bool pause;
    uint32_t meter_id;
    uint8_t *userdata;          /* malloc'd. */
    size_t userdata_len;
};

static bool
is_plain_output(const struct controller_args *c)
{
    return (c->reason == OFPR_ACTION && !c->id && !c->pause
            && !c->userdata_len && c->meter_id == NX_CTLR_NO_METER);
}

/* Appends OFPACT_CONTROLLER for 'c' and its userdata chunks. */
static void
put_controller(struct ofpacts *o, const struct controller_args *c)
{
    size_t n_chunks = ((c->userdata_len + NX_CONTROLLER_CHUNK - 1)
                       / NX_CONTROLLER_CHUNK);
    struct ofpact *a = ofpacts_put(o, OFPACT_CONTROLLER);
    a->n_nested = n_chunks;
    a->controller.max_len = c->max_len;
    a->controller.reason = c->reason;
    a->controller.controller_id = c->id;
    a->controller.pause = c->pause;
    a->controller.meter_id = c->meter_id;
    a->controller.userdata_len = c->userdata_len;
    for (size_t i = 0; i < n_chunks; i++) {
        size_t ofs = i * NX_CONTROLLER_CHUNK;
        size_t n = c->userdata_len - ofs;
        struct ofpact *d = ofpacts_put(o, OFPACT_CONTROLLER_DATA);
        d->controller_data.len = (n < NX_CONTROLLER_CHUNK ? n
                                  : NX_CONTROLLER_CHUNK);
        memcpy(d->controller_data.data, c->userdata + ofs,
               d->controller_data.len);
    }
}

void
nx_controller_get_userdata(const struct ofpact *a, uint8_t *dst)
{
    for (size_t i = 1; i <= a->n_nested; i++) {
        memcpy(dst, a[i].controller_data.data, a[i].controller_data.len);
        dst += a[i].controller_data.len;
    }
}

/* ---- Text. ---- */

static char *
parse_uint(const char *s, uint64_t max, const char *what, uint64_t *out)
{
    char *end;
    if (!s || !*s || !isdigit((unsigned char) *s)) {
        return xasprintf("%s: bad %s", s ? s : "", what);
    }
    unsigned long long v = strtoull(s, &end, 0);
    if (*end || v > max) {
        return xasprintf("%s: bad %s", s, what);
    }
    *out = v;
    return NULL;
}

static char *
parse_hex_bytes(const char *s, struct controller_args *c)
{
    size_t n = strlen(s);
    c->userdata = xmalloc(n / 2 + 1);
    c->userdata_len = 0;
    for (const char *p = s; *p; ) {
        if (*p == '.') {
            p++;
        } else if (isxdigit((unsigned char) p[0])
                   && isxdigit((unsigned char) p[1])) {
            char byte[3] = { p[0], p[1], '\0' };
            c->userdata[c->userdata_len++] = strtoul(byte, NULL, 16);
            p += 2;
        } else {
            return xasprintf("%s: bad hex digit in userdata", s);
        }
    }
    return NULL;
}

static char *
parse_reason(const char *s, uint8_t *reason)
{
    for (int r = OFPR_NO_MATCH; r <= OFPR_PACKET_OUT; r++) {
        if (!strcmp(s, ofp_packet_in_reason_to_string(r))) {
            *reason = r;
            return NULL;
        }
    }
    return xasprintf("%s: unknown controller reason", s);
}

static char *
parse_key(char *kv, struct controller_args *c)
{
    char *eq = strchr(kv, '=');
    const char *value = eq ? eq + 1 : NULL;
    uint64_t v;
    char *error;
    if (eq) {
        *eq = '\0';
    }
    if (!strcmp(kv, "pause") && !value) {
        c->pause = true;
        return NULL;
    }
    if (!value) {
        return xasprintf("%s: controller argument needs a value", kv);
    }
    if (!strcmp(kv, "max_len")) {
        error = parse_uint(value, UINT16_MAX, "max_len", &v);
        c->max_len = v;
    } else if (!strcmp(kv, "reason")) {
        error = parse_reason(value, &c->reason);
    } else if (!strcmp(kv, "id")) {
        error = parse_uint(value, UINT16_MAX, "controller id", &v);
        c->id = v;
    } else if (!strcmp(kv, "userdata")) {
        free(c->userdata);
        error = parse_hex_bytes(value, c);
    } else if (!strcmp(kv, "meter_id")) {
        error = parse_uint(value, UINT32_MAX, "meter_id", &v);
        c->meter_id = v;
    } else {
        error = xasprintf("%s: unknown controller argument", kv);
    }
    return error;
}

/* "controller", "controller:LEN", "controller(LEN)" or
 * "controller(KEY[=VALUE],...)". */
char *
nx_parse_controller(const char *arg, struct ofpacts *o)
{
    struct controller_args c = {
        .max_len = UINT16_MAX,
        .reason = OFPR_ACTION,
        .meter_id = NX_CTLR_NO_METER,
    };
    char *error = NULL;
    if (arg && *arg && strspn(arg, "0123456789") == strlen(arg)) {
        uint64_t v;
        error = parse_uint(arg, UINT16_MAX, "max_len", &v);
        c.max_len = v;
    } else if (arg && *arg) {
        char *copy = xstrdup(arg), *save = NULL;
        for (char *kv = strtok_r(copy, ",", &save); kv && !error;
             kv = strtok_r(NULL, ",", &save)) {
            error = parse_key(kv, &c);
        }
        free(copy);
    }
    if (!error) {
        if (is_plain_output(&c)) {
            /* What ovs-ofctl prints back: "CONTROLLER:65535". */
            struct ofpact *a = ofpacts_put(o, OFPACT_OUTPUT);
            a->output.port = OFPP_CONTROLLER;
            a->output.max_len = c.max_len;
        } else {
            put_controller(o, &c);
        }
    }
    free(c.userdata);
    return error;
}

void
nx_format_controller(const struct ofpact *a, struct ds *s)
{
    const struct controller_args c = {
        .max_len = a->controller.max_len,
        .reason = a->controller.reason,
        .id = a->controller.controller_id,
        .pause = a->controller.pause,
        .meter_id = a->controller.meter_id,
        .userdata_len = a->controller.userdata_len,
    };
    if (is_plain_output(&c)) {
        ds_put_format(s, "CONTROLLER:%"PRIu16, c.max_len);
        return;
    }
    ds_put_cstr(s, "controller(");
    if (c.reason != OFPR_ACTION) {
        ds_put_format(s, "reason=%s,",
                      ofp_packet_in_reason_to_string(c.reason));
    }
    if (c.max_len != UINT16_MAX) {
        ds_put_format(s, "max_len=%"PRIu16",", c.max_len);
    }
    if (c.id) {
        ds_put_format(s, "id=%"PRIu16",", c.id);
    }
    if (c.userdata_len) {
        uint8_t *data = xmalloc(c.userdata_len);
        nx_controller_get_userdata(a, data);
        ds_put_cstr(s, "userdata=");
        for (size_t i = 0; i < c.userdata_len; i++) {
            ds_put_format(s, "%s%02"PRIx8, i ? "." : "", data[i]);
        }
        ds_put_char(s, ',');
        free(data);
    }
    if (c.pause) {
        ds_put_cstr(s, "pause,");
    }
    if (c.meter_id != NX_CTLR_NO_METER) {
        ds_put_format(s, "meter_id=%"PRIu32",", c.meter_id);
    }
    ds_chomp(s, ',');
    ds_put_char(s, ')');
}

/* ---- Wire. ---- */

static enum ofperr
decode_controller2(const uint8_t *p, size_t len, struct controller_args *c)
{
    if (len < 16) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    p += 16;
    len -= 16;
    while (len > 0) {
        uint16_t type;
        const uint8_t *v;
        size_t vlen;
        enum ofperr error = ofpprop_pull(&p, &len, &type, &v, &vlen);
        if (error) {
            return error;
        }
        switch (type) {
        case NXAC2PT_MAX_LEN:
        case NXAC2PT_CONTROLLER_ID:
            error = ofpprop_parse_be16(v, vlen, (type == NXAC2PT_MAX_LEN
                                                 ? &c->max_len : &c->id));
            break;
        case NXAC2PT_REASON:
            error = ofpprop_check_len(vlen, 1);
            if (!error) {
                c->reason = v[0];
            }
            break;
        case NXAC2PT_USERDATA:
            free(c->userdata);
            c->userdata = vlen ? xmemdup(v, vlen) : NULL;
            c->userdata_len = vlen;
            break;
        case NXAC2PT_PAUSE:
            c->pause = true;
            break;
        case NXAC2PT_METER_ID:
            error = ofpprop_check_len(vlen, 4);
            if (!error) {
                c->meter_id = get_be32(v);
            }
            break;
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

enum ofperr
nx_controller_decode(uint16_t subtype, const uint8_t *p, size_t len,
                     struct ofpacts *o)
{
    struct controller_args c = {
        .max_len = UINT16_MAX,
        .reason = OFPR_ACTION,
        .meter_id = NX_CTLR_NO_METER,
    };
    enum ofperr error = 0;
    if (subtype == NXAST_CONTROLLER) {
        if (len != 16) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        c.max_len = get_be16(p + 10);
        c.id = get_be16(p + 12);
        c.reason = p[14];
    } else {
        error = decode_controller2(p, len, &c);
    }
    if (!error) {
        put_controller(o, &c);
    }
    free(c.userdata);
    return error;
}

void
nx_controller_encode(const struct ofpact *a, struct ofpbuf *b)
{
    size_t start = b->size;
    bool v2 = (a->controller.userdata_len || a->controller.pause
               || a->controller.meter_id != NX_CTLR_NO_METER);
    ofpbuf_put_be16(b, 0xffff);     /* OFPAT_EXPERIMENTER. */
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_be32(b, NX_VENDOR_ID);
    if (!v2) {
        ofpbuf_put_be16(b, NXAST_CONTROLLER);
        ofpbuf_put_be16(b, a->controller.max_len);
        ofpbuf_put_be16(b, a->controller.controller_id);
        ofpbuf_put_u8(b, a->controller.reason);
        ofpbuf_put_u8(b, 0);
        ofpbuf_set_be16(b, start + 2, b->size - start);
        return;
    }
    ofpbuf_put_be16(b, NXAST_CONTROLLER2);
    ofpbuf_put_zeros(b, 6);
    if (a->controller.max_len != UINT16_MAX) {
        ofpprop_put_be16(b, NXAC2PT_MAX_LEN, a->controller.max_len);
    }
    if (a->controller.controller_id) {
        ofpprop_put_be16(b, NXAC2PT_CONTROLLER_ID,
                         a->controller.controller_id);
    }
    if (a->controller.reason != OFPR_ACTION) {
        ofpprop_put_u8(b, NXAC2PT_REASON, a->controller.reason);
    }
    if (a->controller.userdata_len) {
        size_t p = ofpprop_start(b, NXAC2PT_USERDATA);
        nx_controller_get_userdata(
            a, ofpbuf_put_uninit(b, a->controller.userdata_len));
        ofpprop_end(b, p);
    }
    if (a->controller.pause) {
        ofpprop_end(b, ofpprop_start(b, NXAC2PT_PAUSE));
    }
    if (a->controller.meter_id != NX_CTLR_NO_METER) {
        ofpprop_put_be32(b, NXAC2PT_METER_ID, a->controller.meter_id);
    }
    ofpbuf_set_be16(b, start + 2, b->size - start);
}
