/* nx-observe: sample and check_pkt_larger. */
#include <config.h>
#include "nx-observe.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "ofp-actions.h"
#include "ofp-port.h"
#include "ofpbuf.h"

#define NX_VENDOR_ID 0x00002320
#define OFPAT_EXPERIMENTER 0xffff

static char *
parse_uint(const char *key, const char *s, uint64_t max, uint64_t *out)
{
    unsigned long long x;
    if (!str_to_ullong(s, 0, &x) || x > max) {
        return xasprintf("invalid %s \"%s\"", key, s);
    }
    *out = x;
    return NULL;
}

char *
nx_parse_sample(const char *arg, struct ofpacts *o)
{
    char *copy = xstrdup(arg ? arg : ""), *save = NULL;
    char *error = NULL;
    uint64_t prob = 0, cset = 0, domain = 0, point = 0;
    uint32_t port = OFPP_ANY;
    uint8_t direction = NX_SAMPLE_DEFAULT;
    for (char *kv = strtok_r(copy, ",", &save); kv && !error;
         kv = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(kv, '=');
        const char *value = eq ? eq + 1 : "";
        if (eq) {
            *eq = '\0';
        }
        if (!strcmp(kv, "probability")) {
            error = parse_uint(kv, value, UINT16_MAX, &prob);
            if (!error && !prob) {
                error = xasprintf("invalid probability value \"%s\"", value);
            }
        } else if (!strcmp(kv, "collector_set_id")) {
            error = parse_uint(kv, value, UINT32_MAX, &cset);
        } else if (!strcmp(kv, "obs_domain_id")) {
            error = parse_uint(kv, value, UINT32_MAX, &domain);
        } else if (!strcmp(kv, "obs_point_id")) {
            error = parse_uint(kv, value, UINT32_MAX, &point);
        } else if (!strcmp(kv, "sampling_port")) {
            uint16_t port16;
            if (!ofp_port_from_string(value, &port)
                || !ofp_port_to_of10(port, &port16)) {
                error = xasprintf("%s: unknown port", value);
            }
        } else if (!strcmp(kv, "ingress") && !eq) {
            direction = NX_SAMPLE_INGRESS;
        } else if (!strcmp(kv, "egress") && !eq) {
            direction = NX_SAMPLE_EGRESS;
        } else {
            error = xasprintf("invalid key \"%s\" in \"sample\" argument",
                              kv);
        }
    }
    free(copy);
    if (!error && !prob) {
        error = xstrdup("non-zero \"probability\" must be specified on "
                        "sample");
    }
    if (!error) {
        struct ofpact *a = ofpacts_put(o, OFPACT_SAMPLE);
        a->sample.probability = prob;
        a->sample.collector_set_id = cset;
        a->sample.obs_domain_id = domain;
        a->sample.obs_point_id = point;
        a->sample.sampling_port = port;
        a->sample.direction = direction;
    }
    return error;
}

void
nx_format_sample(const struct ofpact *a, struct ds *s)
{
    ds_put_format(s, "sample(probability=%"PRIu16",collector_set_id=%"PRIu32
                  ",obs_domain_id=%"PRIu32",obs_point_id=%"PRIu32,
                  a->sample.probability, a->sample.collector_set_id,
                  a->sample.obs_domain_id, a->sample.obs_point_id);
    if (a->sample.sampling_port != OFPP_ANY) {
        ds_put_cstr(s, ",sampling_port=");
        ofp_port_format(a->sample.sampling_port, s);
    }
    if (a->sample.direction == NX_SAMPLE_INGRESS) {
        ds_put_cstr(s, ",ingress");
    } else if (a->sample.direction == NX_SAMPLE_EGRESS) {
        ds_put_cstr(s, ",egress");
    }
    ds_put_char(s, ')');
}

/* "N)->DST" after the keyword's "(": ofpacts_parse() hands over "N->DST". */
char *
nx_parse_check_pkt_larger(const char *arg, struct ofpacts *o)
{
    const char *arrow = arg ? strstr(arg, "->") : NULL;
    if (!arrow) {
        return xasprintf("%s: check_pkt_larger syntax is "
                         "\"check_pkt_larger(LEN)->DST\"",
                         arg ? arg : "(missing)");
    }
    char *len_s = xstrndup(arg, arrow - arg);
    uint64_t len = 0;
    char *error = parse_uint("packet length", len_s, UINT16_MAX, &len);
    free(len_s);
    struct mf_subfield dst;
    if (!error) {
        error = nx_parse_subfield(arrow + 2, &dst);
    }
    if (!error && dst.n_bits != 1) {
        error = xasprintf("%s: check_pkt_larger needs a 1-bit destination",
                          arrow + 2);
    }
    if (!error) {
        struct ofpact *a = ofpacts_put(o, OFPACT_CHECK_PKT_LARGER);
        a->check_pkt_larger.pkt_len = len;
        a->check_pkt_larger.dst = dst;
    }
    return error;
}

void
nx_format_check_pkt_larger(const struct ofpact *a, struct ds *s)
{
    ds_put_format(s, "check_pkt_larger(%"PRIu16")->",
                  a->check_pkt_larger.pkt_len);
    nx_format_subfield(&a->check_pkt_larger.dst, s);
}

static enum ofperr
decode_sample(uint16_t subtype, const uint8_t *p, size_t len,
              struct ofpacts *o)
{
    if (len != (subtype == NXAST_SAMPLE ? 24 : 32)) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    uint16_t prob = get_be16(p + 10);
    if (!prob) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    uint32_t port = OFPP_ANY;
    uint8_t direction = NX_SAMPLE_DEFAULT;
    if (subtype != NXAST_SAMPLE) {
        port = ofp_port_from_of10(get_be16(p + 24));
    }
    if (subtype == NXAST_SAMPLE3) {
        direction = p[26];
        if (direction > NX_SAMPLE_EGRESS) {
            return OFPERR_OFPBAC_BAD_ARGUMENT;
        }
    }
    struct ofpact *a = ofpacts_put(o, OFPACT_SAMPLE);
    a->sample.probability = prob;
    a->sample.collector_set_id = get_be32(p + 12);
    a->sample.obs_domain_id = get_be32(p + 16);
    a->sample.obs_point_id = get_be32(p + 20);
    a->sample.sampling_port = port;
    a->sample.direction = direction;
    return 0;
}

enum ofperr
nx_observe_decode(uint16_t subtype, const uint8_t *p, size_t len,
                  struct ofpacts *o)
{
    if (subtype != NXAST_CHECK_PKT_LARGER) {
        return decode_sample(subtype, p, len, o);
    }
    if (len != 24) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    struct mf_subfield dst;
    enum ofperr error = nx_pull_subfield(get_be32(p + 14), get_be16(p + 12),
                                         1, &dst);
    if (error) {
        return error;
    }
    struct ofpact *a = ofpacts_put(o, OFPACT_CHECK_PKT_LARGER);
    a->check_pkt_larger.pkt_len = get_be16(p + 10);
    a->check_pkt_larger.dst = dst;
    return 0;
}

void
nx_observe_encode(const struct ofpact *a, struct ofpbuf *b)
{
    size_t start = b->size;
    ofpbuf_put_be16(b, OFPAT_EXPERIMENTER);
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_be32(b, NX_VENDOR_ID);
    if (a->type == OFPACT_CHECK_PKT_LARGER) {
        ofpbuf_put_be16(b, NXAST_CHECK_PKT_LARGER);
        ofpbuf_put_be16(b, a->check_pkt_larger.pkt_len);
        ofpbuf_put_be16(b, a->check_pkt_larger.dst.ofs);
        nx_put_subfield_header(&a->check_pkt_larger.dst, b);
    } else {
        uint16_t subtype = (a->sample.direction != NX_SAMPLE_DEFAULT
                            ? NXAST_SAMPLE3
                            : a->sample.sampling_port != OFPP_ANY
                            ? NXAST_SAMPLE2 : NXAST_SAMPLE);
        ofpbuf_put_be16(b, subtype);
        ofpbuf_put_be16(b, a->sample.probability);
        ofpbuf_put_be32(b, a->sample.collector_set_id);
        ofpbuf_put_be32(b, a->sample.obs_domain_id);
        ofpbuf_put_be32(b, a->sample.obs_point_id);
        if (subtype != NXAST_SAMPLE) {
            uint16_t port;
            ofp_port_to_of10(a->sample.sampling_port, &port);
            ofpbuf_put_be16(b, port);
            ofpbuf_put_u8(b, a->sample.direction);
        }
    }
    ofpbuf_pad(b, 8);
    ofpbuf_set_be16(b, start + 2, b->size - start);
}
