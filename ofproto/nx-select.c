/* nx-select: multipath, bundle and bundle_load. */
#include <config.h>
#include "nx-select.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "ofp-actions.h"
#include "ofp-port.h"
#include "ofpbuf.h"
#include "packets.h"

#define NX_VENDOR_ID 0x00002320
#define OFPAT_EXPERIMENTER 0xffff
#define NXM_OF_IN_PORT_HEADER 0x00000002   /* bundle's member type. */

static const char *const field_names[] = {
    "eth_src", "symmetric_l4", "symmetric_l3l4", "symmetric_l3l4+udp",
    "nw_src", "nw_dst", "symmetric_l3",
};
static const char *const mp_algorithms[] = {
    "modulo_n", "hash_threshold", "hrw", "iter_hash",
};
static const char *const bd_algorithms[] = { "active_backup", "hrw" };
enum { MP_MODULO_N, MP_HASH_THRESHOLD, MP_HRW, MP_ITER_HASH };
enum { BD_ACTIVE_BACKUP, BD_HRW };

static int
lookup_name(const char *const *names, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++) {
        if (!strcasecmp(names[i], s)) {
            return i;
        }
    }
    return -1;
}

/* Splits 'arg' at commas into at most 'max' trimmed words. */
static size_t
split_args(char *arg, char **words, size_t max)
{
    size_t n = 0;
    char *save = NULL;
    for (char *w = strtok_r(arg, ",", &save); w && n < max;
         w = strtok_r(NULL, ",", &save)) {
        while (*w == ' ') {
            w++;
        }
        size_t len = strlen(w);
        while (len && w[len - 1] == ' ') {
            w[--len] = '\0';
        }
        words[n++] = w;
    }
    return n;
}

static bool
parse_u16(const char *s, uint16_t *out)
{
    unsigned long long x;
    if (!str_to_ullong(s, 0, &x) || x > UINT16_MAX) {
        return false;
    }
    *out = x;
    return true;
}

char *
nx_parse_multipath(const char *arg_, struct ofpacts *o)
{
    char *arg = xstrdup(arg_ ? arg_ : ""), *w[7];
    char *error = NULL;
    unsigned long long links = 0, iter = 0;
    struct mf_subfield dst;
    int fields = -1, alg = -1;
    uint16_t basis = 0;
    if (split_args(arg, w, 7) != 6) {
        error = xasprintf("%s: not enough arguments to multipath action",
                          arg_ ? arg_ : "");
    } else if ((fields = lookup_name(field_names, ARRAY_SIZE(field_names),
                                     w[0])) < 0) {
        error = xasprintf("%s: unknown fields `%s'", arg_, w[0]);
    } else if (!parse_u16(w[1], &basis)) {
        error = xasprintf("%s: invalid basis", w[1]);
    } else if ((alg = lookup_name(mp_algorithms, ARRAY_SIZE(mp_algorithms),
                                  w[2])) < 0) {
        error = xasprintf("%s: unknown algorithm `%s'", arg_, w[2]);
    } else if (!str_to_ullong(w[3], 0, &links) || !links
               || links > 65536) {
        error = xasprintf("%s: n_links %s is not in valid range 1 to 65536",
                          arg_, w[3]);
    } else if (!str_to_ullong(w[4], 0, &iter) || iter > UINT32_MAX) {
        error = xasprintf("%s: invalid arg", w[4]);
    } else if (!(error = nx_parse_subfield(w[5], &dst))
               && dst.n_bits < 16 && links > (1u << dst.n_bits)) {
        error = xasprintf("%s: %d-bit destination field has %u possible "
                          "values, less than specified n_links %llu", arg_,
                          dst.n_bits, 1u << dst.n_bits, links);
    }
    free(arg);
    if (!error) {
        struct ofpact *a = ofpacts_put(o, OFPACT_MULTIPATH);
        a->multipath.fields = fields;
        a->multipath.basis = basis;
        a->multipath.algorithm = alg;
        a->multipath.max_link = links - 1;
        a->multipath.arg = iter;
        a->multipath.dst = dst;
    }
    return error;
}

void
nx_format_multipath(const struct ofpact *a, struct ds *s)
{
    ds_put_format(s, "multipath(%s,%"PRIu16",%s,%d,%"PRIu32",",
                  field_names[a->multipath.fields], a->multipath.basis,
                  mp_algorithms[a->multipath.algorithm],
                  a->multipath.max_link + 1, a->multipath.arg);
    nx_format_subfield(&a->multipath.dst, s);
    ds_put_char(s, ')');
}

static char *
parse_bundle(const char *arg_, bool load, struct ofpacts *o)
{
    enum { MAX_WORDS = 6 + NX_BUNDLE_MAX_MEMBERS + 1 };
    char *arg = xstrdup(arg_ ? arg_ : ""), *w[MAX_WORDS];
    size_t n = split_args(arg, w, MAX_WORDS);
    size_t first = load ? 5 : 4;       /* Word with "members:". */
    char *error = NULL;
    int fields = -1, alg = -1;
    uint16_t basis = 0;
    struct mf_subfield dst = { 0, 0, 0 };
    uint16_t members[NX_BUNDLE_MAX_MEMBERS];
    size_t n_members = 0;

    if (n <= first) {
        error = xasprintf("%s: not enough arguments to bundle action",
                          arg_ ? arg_ : "");
    } else if ((fields = lookup_name(field_names, ARRAY_SIZE(field_names),
                                     w[0])) < 0) {
        error = xasprintf("%s: unknown fields `%s'", arg_, w[0]);
    } else if (!parse_u16(w[1], &basis)) {
        error = xasprintf("%s: invalid basis", w[1]);
    } else if ((alg = lookup_name(bd_algorithms, ARRAY_SIZE(bd_algorithms),
                                  w[2])) < 0) {
        error = xasprintf("%s: unknown algorithm `%s'", arg_, w[2]);
    } else if (strcasecmp(w[3], "ofport")) {
        error = xasprintf("%s: unknown member_type `%s'", arg_, w[3]);
    } else if (load && (error = nx_parse_subfield(w[4], &dst))) {
        /* 'error' set. */
    } else if (strncmp(w[first], "members:", 8)
               && strncmp(w[first], "slaves:", 7)) {
        struct ds rest = DS_EMPTY_INITIALIZER;
        for (size_t i = first; i < n; i++) {
            ds_put_format(&rest, "%s%s", i > first ? "," : "", w[i]);
        }
        error = xasprintf("%s: missing member delimiter, expected `members', "
                          "got `%s'", arg_, ds_cstr(&rest));
        ds_destroy(&rest);
    } else if (n == MAX_WORDS) {
        error = xasprintf("%s: a bundle has at most %d members", arg_,
                          NX_BUNDLE_MAX_MEMBERS);
    } else {
        w[first] = strchr(w[first], ':') + 1;
        for (size_t i = first; i < n && !error; i++) {
            uint32_t port;
            uint16_t port16;
            if (!ofp_port_from_string(w[i], &port)
                || !ofp_port_to_of10(port, &port16)) {
                error = xasprintf("%s: bad member port", w[i]);
            } else {
                members[n_members++] = port16;
            }
        }
    }
    free(arg);
    if (!error) {
        struct ofpact *a = ofpacts_put(o, OFPACT_BUNDLE);
        a->bundle.fields = fields;
        a->bundle.basis = basis;
        a->bundle.algorithm = alg;
        a->bundle.load = load;
        a->bundle.dst = dst;
        a->bundle.n_members = n_members;
        memcpy(a->bundle.members, members, n_members * sizeof *members);
    }
    return error;
}

char *
nx_parse_bundle(const char *arg, struct ofpacts *o)
{
    return parse_bundle(arg, false, o);
}

char *
nx_parse_bundle_load(const char *arg, struct ofpacts *o)
{
    return parse_bundle(arg, true, o);
}

void
nx_format_bundle(const struct ofpact *a, struct ds *s)
{
    ds_put_format(s, "%s(%s,%"PRIu16",%s,ofport,",
                  a->bundle.load ? "bundle_load" : "bundle",
                  field_names[a->bundle.fields], a->bundle.basis,
                  bd_algorithms[a->bundle.algorithm]);
    if (a->bundle.load) {
        nx_format_subfield(&a->bundle.dst, s);
        ds_put_char(s, ',');
    }
    ds_put_cstr(s, "members:");
    for (size_t i = 0; i < a->bundle.n_members; i++) {
        if (i) {
            ds_put_char(s, ',');
        }
        ofp_port_format(ofp_port_from_of10(a->bundle.members[i]), s);
    }
    ds_put_char(s, ')');
}

/* ---- Wire. ---- */

static enum ofperr
decode_multipath(const uint8_t *p, size_t len, struct ofpacts *o)
{
    if (len != 32) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    uint16_t fields = get_be16(p + 10), alg = get_be16(p + 16);
    uint16_t on = get_be16(p + 26);
    struct mf_subfield dst;
    if (fields >= ARRAY_SIZE(field_names)
        || alg >= ARRAY_SIZE(mp_algorithms)) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    enum ofperr error = nx_pull_subfield(get_be32(p + 28), on >> 6,
                                         (on & 63) + 1, &dst);
    if (error) {
        return error;
    }
    struct ofpact *a = ofpacts_put(o, OFPACT_MULTIPATH);
    a->multipath.fields = fields;
    a->multipath.basis = get_be16(p + 12);
    a->multipath.algorithm = alg;
    a->multipath.max_link = get_be16(p + 18);
    a->multipath.arg = get_be32(p + 20);
    a->multipath.dst = dst;
    return 0;
}

static enum ofperr
decode_bundle(bool load, const uint8_t *p, size_t len, struct ofpacts *o)
{
    if (len < 32) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    uint16_t alg = get_be16(p + 10), fields = get_be16(p + 12);
    uint16_t n = get_be16(p + 20), on = get_be16(p + 22);
    if (alg >= ARRAY_SIZE(bd_algorithms)
        || fields >= ARRAY_SIZE(field_names)
        || get_be32(p + 16) != NXM_OF_IN_PORT_HEADER
        || n > NX_BUNDLE_MAX_MEMBERS) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    if (len != (32 + 2u * n + 7) / 8 * 8) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    struct mf_subfield dst = { 0, 0, 0 };
    if (load) {
        enum ofperr error = nx_pull_subfield(get_be32(p + 24), on >> 6,
                                             (on & 63) + 1, &dst);
        if (error) {
            return error;
        }
    } else if (on || get_be32(p + 24)) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    struct ofpact *a = ofpacts_put(o, OFPACT_BUNDLE);
    a->bundle.fields = fields;
    a->bundle.basis = get_be16(p + 14);
    a->bundle.algorithm = alg;
    a->bundle.load = load;
    a->bundle.dst = dst;
    a->bundle.n_members = n;
    for (size_t i = 0; i < n; i++) {
        a->bundle.members[i] = get_be16(p + 32 + 2 * i);
    }
    return 0;
}

enum ofperr
nx_select_decode(uint16_t subtype, const uint8_t *p, size_t len,
                 struct ofpacts *o)
{
    return (subtype == NXAST_MULTIPATH ? decode_multipath(p, len, o)
            : decode_bundle(subtype == NXAST_BUNDLE_LOAD, p, len, o));
}

static uint16_t
ofs_nbits(const struct mf_subfield *sf)
{
    return (sf->ofs << 6) | (sf->n_bits - 1);
}

void
nx_select_encode(const struct ofpact *a, struct ofpbuf *b)
{
    size_t start = b->size;
    ofpbuf_put_be16(b, OFPAT_EXPERIMENTER);
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_be32(b, NX_VENDOR_ID);
    if (a->type == OFPACT_MULTIPATH) {
        ofpbuf_put_be16(b, NXAST_MULTIPATH);
        ofpbuf_put_be16(b, a->multipath.fields);
        ofpbuf_put_be16(b, a->multipath.basis);
        ofpbuf_put_zeros(b, 2);
        ofpbuf_put_be16(b, a->multipath.algorithm);
        ofpbuf_put_be16(b, a->multipath.max_link);
        ofpbuf_put_be32(b, a->multipath.arg);
        ofpbuf_put_zeros(b, 2);
        ofpbuf_put_be16(b, ofs_nbits(&a->multipath.dst));
        nx_put_subfield_header(&a->multipath.dst, b);
    } else {
        ofpbuf_put_be16(b, a->bundle.load ? NXAST_BUNDLE_LOAD : NXAST_BUNDLE);
        ofpbuf_put_be16(b, a->bundle.algorithm);
        ofpbuf_put_be16(b, a->bundle.fields);
        ofpbuf_put_be16(b, a->bundle.basis);
        ofpbuf_put_be32(b, NXM_OF_IN_PORT_HEADER);
        ofpbuf_put_be16(b, a->bundle.n_members);
        if (a->bundle.load) {
            ofpbuf_put_be16(b, ofs_nbits(&a->bundle.dst));
            nx_put_subfield_header(&a->bundle.dst, b);
        } else {
            ofpbuf_put_zeros(b, 6);
        }
        ofpbuf_put_zeros(b, 4);
        for (size_t i = 0; i < a->bundle.n_members; i++) {
            ofpbuf_put_be16(b, a->bundle.members[i]);
        }
        ofpbuf_pad(b, 8);
    }
    ofpbuf_set_be16(b, start + 2, b->size - start);
}

/* ---- Execution. ---- */

/* Order-independent combination of the two directions' values. */
static uint32_t
hash_pair(uint32_t h, const void *a, const void *b, size_t n)
{
    const void *lo = memcmp(a, b, n) <= 0 ? a : b;
    const void *hi = lo == a ? b : a;
    return hash_bytes(hi, n, hash_bytes(lo, n, h));
}

static uint32_t
hash_flow(const struct flow *f, uint16_t fields, uint16_t basis)
{
    uint32_t h = basis;
    uint16_t type = ntohs(f->dl_type);
    bool ip4 = type == 0x0800, ip6 = type == 0x86dd;
    bool ports = ((ip4 || ip6)
                  && (f->nw_proto == 6 || f->nw_proto == 132
                      || (fields == 3 && f->nw_proto == 17)));
    switch (fields) {
    case 0:                                 /* eth_src */
        return hash_bytes(&f->dl_src, sizeof f->dl_src, h);
    case 1:                                 /* symmetric_l4 */
        h = hash_pair(h, &f->dl_src, &f->dl_dst, sizeof f->dl_src);
        h = hash_add(h, type);
        h = hash_add(h, ntohs(f->vlan_tci) & VLAN_VID_MASK);
        ports = (ip4 || ip6) && (f->nw_proto == 6 || f->nw_proto == 17
                                 || f->nw_proto == 132);
        /* Fall through. */
    case 2:                                 /* symmetric_l3l4 */
    case 3:                                 /* symmetric_l3l4+udp */
    case 6:                                 /* symmetric_l3 */
        if (ip4) {
            h = hash_pair(h, &f->nw_src, &f->nw_dst, sizeof f->nw_src);
        } else if (ip6) {
            h = hash_pair(h, &f->ipv6_src, &f->ipv6_dst, sizeof f->ipv6_src);
        }
        if (fields != 6 && (ip4 || ip6)) {
            h = hash_add(h, f->nw_proto);
            if (ports) {
                h = hash_pair(h, &f->tp_src, &f->tp_dst, sizeof f->tp_src);
            }
        }
        return hash_finish(h, 0);
    case 4:                                 /* nw_src */
        return (ip6 ? hash_bytes(&f->ipv6_src, sizeof f->ipv6_src, h)
                : hash_int(f->nw_src, h));
    default:                                /* nw_dst */
        return (ip6 ? hash_bytes(&f->ipv6_dst, sizeof f->ipv6_dst, h)
                : hash_int(f->nw_dst, h));
    }
}

uint16_t
nx_multipath_link(const struct ofpact *a, const struct flow *flow)
{
    uint32_t h = hash_flow(flow, a->multipath.fields, a->multipath.basis);
    uint32_t n = a->multipath.max_link + 1;
    switch (a->multipath.algorithm) {
    case MP_MODULO_N:
        return h % n;
    case MP_HASH_THRESHOLD:
        return ((uint64_t) h * n) >> 32;
    case MP_HRW: {
        uint32_t best = 0, best_w = 0;
        for (uint32_t i = 0; i < n; i++) {
            uint32_t w = hash_int(i, h);
            if (i == 0 || w > best_w) {
                best = i;
                best_w = w;
            }
        }
        return best;
    }
    default: {
        /* Rehash until the value (masked to the next power of 2) is a
         * link, at most 'arg' times; then fall back to modulo. */
        uint32_t mask = 1;
        while (mask < n) {
            mask = mask * 2;
        }
        mask--;
        for (uint32_t i = 0; i < a->multipath.arg; i++) {
            if ((h & mask) < n) {
                return h & mask;
            }
            h = hash_int(h, i);
        }
        return h % n;
    }
    }
}

uint32_t
nx_bundle_member(const struct ofpact *a, const struct flow *flow,
                 bool (*is_live)(uint32_t, void *), void *aux)
{
    uint32_t h = hash_flow(flow, a->bundle.fields, a->bundle.basis);
    uint32_t best = OFPP_ANY, best_w = 0;
    for (size_t i = 0; i < a->bundle.n_members; i++) {
        uint32_t port = ofp_port_from_of10(a->bundle.members[i]);
        if (!is_live(port, aux)) {
            continue;
        }
        if (a->bundle.algorithm == BD_ACTIVE_BACKUP) {
            return port;
        }
        uint32_t w = hash_int(port, h);
        if (best == OFPP_ANY || w > best_w) {
            best = port;
            best_w = w;
        }
    }
    return best;
}
