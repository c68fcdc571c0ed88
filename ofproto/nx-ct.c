/* nx-ct: ct, nat and ct_clear as text and on the wire. */
#include <config.h>
#include "nx-ct.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "datapath/conntrack.h"
#include "flow.h"
#include "nx-actions.h"
#include "ofp-actions.h"
#include "ofp-action-table.h"
#include "ofp-names.h"
#include "ofpbuf.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(nx_ct);

/* The experimenter header, the subtype and 6 bytes of padding. */
#define NX_CT_CLEAR_LEN 16
/* NXAST_CT's fixed part: header, flags, zone_src, zone_ofs_nbits,
 * recirc_table, 3 pad bytes, alg. */
#define NX_CT_LEN 24
/* NXAST_NAT's fixed part: header, 2 pad bytes, flags, range_present. */
#define NX_NAT_LEN 16

#define NX_NAT_RANGE_IPV4_MIN (1 << 0)
#define NX_NAT_RANGE_IPV4_MAX (1 << 1)
#define NX_NAT_RANGE_IPV6_MIN (1 << 2)
#define NX_NAT_RANGE_IPV6_MAX (1 << 3)
#define NX_NAT_RANGE_PROTO_MIN (1 << 4)
#define NX_NAT_RANGE_PROTO_MAX (1 << 5)

/* ---- Text. ---- */

/* Cuts the next top-level comma-separated token off '*p' (parentheses
 * and brackets nest) and splits it at its first '=' into 'key' and
 * 'value' (NULL if none).  Both point into 'buf', which the caller
 * frees.  False at the end of the string. */
static bool
next_arg(const char **p, char **buf, char **key, char **value)
{
    const char *s = *p;
    while (*s == ',' || *s == ' ') {
        s++;
    }
    if (!*s) {
        return false;
    }
    size_t len = 0;
    int depth = 0;
    while (s[len] && (depth || s[len] != ',')) {
        depth += (s[len] == '(' || s[len] == '[' ? 1
                  : s[len] == ')' || s[len] == ']' ? -1 : 0);
        len++;
    }
    *buf = xstrndup(s, len);
    *key = *buf;
    char *eq = strchr(*buf, '=');
    char *paren = strchr(*buf, '(');
    if (paren && (!eq || paren < eq)) {
        /* "exec(...)", "nat(...)": the value is inside. */
        char *close = strrchr(paren, ')');
        if (close) {
            *close = '\0';
        }
        *paren = '\0';
        *value = paren + 1;
    } else if (eq) {
        *eq = '\0';
        *value = eq + 1;
    } else {
        *value = NULL;
    }
    *p = s + len;
    return true;
}

/* The first action of ct's nested list that ct cannot hold, NULL if
 * none: ct holds nat and writes to ct_mark or ct_label only.  '*dst' is
 * the field that action writes, MFF_N_IDS if it writes none. */
static const struct ofpact *
exec_first_unsupported(const struct ofpacts *inner, enum mf_field_id *dst)
{
    for (size_t i = 0; i < inner->n; i += ofpact_span(&inner->acts[i])) {
        const struct ofpact *a = &inner->acts[i];
        switch (a->type) {
        case OFPACT_NAT:
            continue;
        case OFPACT_SET_FIELD:
            *dst = a->set_field.field;
            break;
        case OFPACT_REG_LOAD:
            *dst = a->reg_load.dst.field;
            break;
        case OFPACT_REG_MOVE:
            *dst = a->reg_move.dst.field;
            break;
        default:
            *dst = MFF_N_IDS;
            return a;
        }
        if (*dst != MFF_CT_MARK && *dst != MFF_CT_LABEL) {
            return a;
        }
    }
    return NULL;
}

/* The error ovs-ofctl gives for what ct's list cannot hold. */
static char *
check_exec_text(const struct ofpacts *inner)
{
    enum mf_field_id dst;
    const struct ofpact *a = exec_first_unsupported(inner, &dst);
    if (!a) {
        return NULL;
    } else if (dst != MFF_N_IDS) {
        return xasprintf("ct action doesn't support nested modification "
                         "of %s", mf_from_id(dst)->name);
    }
    struct ds s = DS_EMPTY_INITIALIZER;
    ofpact_format(a, &s);
    size_t n = strcspn(ds_cstr(&s), ":(");
    char *error = xasprintf("ct action doesn't support nested action %.*s",
                            (int) n, ds_cstr(&s));
    ds_destroy(&s);
    return error;
}

static char *parse_nat(const char *arg, struct ofpacts *);

static char *
parse_zone(const char *value, struct ofpact *ct)
{
    unsigned long long zone;
    if (str_to_ullong(value, 0, &zone)) {
        if (zone > UINT16_MAX) {
            return xasprintf("%s: zone must be between 0 and 65535", value);
        }
        ct->ct.zone_imm = zone;
        return NULL;
    }
    char *error = nx_parse_subfield(value, &ct->ct.zone_src);
    if (error) {
        return error;
    }
    if (ct->ct.zone_src.n_bits != 16) {
        return xasprintf("zone n_bits %u not within valid range [16..16]",
                         ct->ct.zone_src.n_bits);
    }
    ct->ct.zone_from_field = true;
    return NULL;
}

static char *
parse_ct_arg(const char *key, const char *value, struct ofpact *ct,
             struct ofpacts *inner)
{
    if (!strcmp(key, "commit") && !value) {
        ct->ct.flags |= NX_CT_F_COMMIT;
    } else if (!strcmp(key, "force") && !value) {
        ct->ct.flags |= NX_CT_F_FORCE;
    } else if (!strcmp(key, "table") && value) {
        uint8_t table;
        if (!ofp_table_from_string(value, 254, &table)) {
            unsigned long long t;
            return (str_to_ullong(value, 0, &t)
                    ? xasprintf("invalid table 0x%llx", t)
                    : xasprintf("%s: invalid table", value));
        }
        ct->ct.recirc_table = table;
    } else if (!strcmp(key, "zone") && value) {
        return parse_zone(value, ct);
    } else if (!strcmp(key, "alg") && value) {
        if (!strcmp(value, "ftp")) {
            ct->ct.alg = NX_CT_ALG_FTP;
        } else if (!strcmp(value, "tftp")) {
            ct->ct.alg = NX_CT_ALG_TFTP;
        } else {
            return xasprintf("invalid conntrack helper \"%s\"", value);
        }
    } else if (!strcmp(key, "nat")) {
        return parse_nat(value, inner);
    } else if (!strcmp(key, "exec") && value) {
        struct ofpacts exec = OFPACTS_EMPTY_INITIALIZER;
        char *error = ofpacts_parse_ct_exec(value, &exec);
        if (!error) {
            error = check_exec_text(&exec);
        }
        for (size_t i = 0; !error && i < exec.n; i++) {
            *ofpacts_put(inner, exec.acts[i].type) = exec.acts[i];
        }
        ofpacts_uninit(&exec);
        return error;
    } else {
        return xasprintf("invalid argument to \"ct\" action: `%s'", key);
    }
    return NULL;
}

/* Only a bare nat may go with a ct that does not commit. */
static bool
needs_commit(const struct ofpacts *inner)
{
    for (size_t i = 0; i < inner->n; i++) {
        const struct ofpact *a = &inner->acts[i];
        if (a->type != OFPACT_NAT || a->nat.flags || a->nat.af
            || a->nat.proto_min) {
            return true;
        }
    }
    return false;
}

char *
nx_ct_parse(const char *arg, struct ofpacts *o)
{
    struct ofpact ct;
    memset(&ct, 0, sizeof ct);
    ct.type = OFPACT_CT;
    ct.ct.recirc_table = NX_CT_RECIRC_NONE;
    struct ofpacts inner = OFPACTS_EMPTY_INITIALIZER;
    char *error = NULL;
    const char *p = arg ? arg : "";
    char *buf, *key, *value;
    while (!error && next_arg(&p, &buf, &key, &value)) {
        error = parse_ct_arg(key, value, &ct, &inner);
        free(buf);
    }
    if (!error && !(ct.ct.flags & NX_CT_F_COMMIT) && needs_commit(&inner)) {
        error = xstrdup("CT action requires commit flag if actions other "
                        "than NAT without arguments are specified.");
    }
    if (!error) {
        ofpacts_put_nested(o, OFPACT_CT, &inner);
        o->acts[o->n - 1 - inner.n].ct = ct.ct;
    }
    ofpacts_uninit(&inner);
    return error;
}

/* "ADDR" or "ADDR-ADDR", IPv6 possibly in brackets. */
static char *
parse_nat_addrs(const char *s, struct ofpact *a)
{
    char *copy = xstrdup(s);
    char *min = copy, *max = NULL;
    char *error = NULL;
    bool bracket = *min == '[';
    char *dash = strchr(bracket ? strchr(min, ']') ? strchr(min, ']') : min
                        : min, '-');
    if (dash) {
        *dash = '\0';
        max = dash + 1;
    }
    char *addrs[2] = { min, max };
    for (int i = 0; i < 2 && addrs[i] && !error; i++) {
        char *x = addrs[i];
        size_t n = strlen(x);
        if (n >= 2 && x[0] == '[' && x[n - 1] == ']') {
            x[n - 1] = '\0';
            x++;
        }
        uint32_t ip4;
        struct in6_addr ip6;
        if (inet_pton(AF_INET, x, &ip4) == 1
            && (!i || a->nat.af == AF_INET)) {
            a->nat.af = AF_INET;
            *(i ? &a->nat.ipv4_max : &a->nat.ipv4_min) = ip4;
        } else if (inet_pton(AF_INET6, x, &ip6) == 1
                   && (!i || a->nat.af == AF_INET6)) {
            a->nat.af = AF_INET6;
            *(i ? &a->nat.ipv6_max : &a->nat.ipv6_min) = ip6;
        } else {
            error = xasprintf("%s: invalid IP address", x);
        }
    }
    if (!error && !max) {
        a->nat.ipv4_max = a->nat.ipv4_min;
        a->nat.ipv6_max = a->nat.ipv6_min;
    }
    if (!error
        && (a->nat.af == AF_INET
            ? ntohl(a->nat.ipv4_max) < ntohl(a->nat.ipv4_min)
            : memcmp(&a->nat.ipv6_max, &a->nat.ipv6_min, 16) < 0)) {
        error = xasprintf("%s: invalid IP range", s);
    }
    free(copy);
    return error;
}

static char *
parse_nat_ports(const char *s, struct ofpact *a)
{
    unsigned int min, max;
    int n = 0;
    if (sscanf(s, "%u-%u%n", &min, &max, &n) == 2 && !s[n]) {
    } else if (n = 0, sscanf(s, "%u%n", &min, &n) == 1 && !s[n]) {
        max = min;
    } else {
        return xasprintf("%s: invalid port range", s);
    }
    if (!min || max > UINT16_MAX || max < min) {
        return xasprintf("%s: invalid port range", s);
    }
    a->nat.proto_min = min;
    a->nat.proto_max = max;
    return NULL;
}

/* "src=ADDRS[:PORTS]" after the '='. */
static char *
parse_nat_range(const char *s, struct ofpact *a)
{
    const char *colon;
    if (*s == '[') {
        const char *end = strrchr(s, ']');
        colon = end && end[1] == ':' ? end + 1 : NULL;
    } else {
        /* An unbracketed IPv6 address has more than one colon and no
         * ports. */
        colon = strchr(s, ':');
        if (colon && strchr(colon + 1, ':')) {
            colon = NULL;
        }
    }
    char *addrs = colon ? xstrndup(s, colon - s) : xstrdup(s);
    char *error = parse_nat_addrs(addrs, a);
    free(addrs);
    if (!error && colon) {
        error = parse_nat_ports(colon + 1, a);
    }
    return error;
}

static char *
parse_nat(const char *arg, struct ofpacts *o)
{
    struct ofpact a;
    memset(&a, 0, sizeof a);
    a.type = OFPACT_NAT;
    const char *p = arg ? arg : "";
    char *buf, *key, *value;
    char *error = NULL;
    while (!error && next_arg(&p, &buf, &key, &value)) {
        if (!strcmp(key, "src") || !strcmp(key, "dst")) {
            if (a.nat.flags & (NX_NAT_F_SRC | NX_NAT_F_DST)) {
                error = xstrdup("May only specify one of \"src\" or "
                                "\"dst\".");
            } else {
                a.nat.flags |= *key == 's' ? NX_NAT_F_SRC : NX_NAT_F_DST;
                error = value ? parse_nat_range(value, &a) : NULL;
            }
        } else if (!strcmp(key, "persistent") && !value) {
            a.nat.flags |= NX_NAT_F_PERSISTENT;
        } else if (!strcmp(key, "hash") && !value) {
            a.nat.flags |= NX_NAT_F_PROTO_HASH;
        } else if (!strcmp(key, "random") && !value) {
            a.nat.flags |= NX_NAT_F_PROTO_RANDOM;
        } else {
            error = xasprintf("Invalid argument to \"nat\" action: `%s'",
                              key);
        }
        free(buf);
    }
    if (!error && (a.nat.flags & NX_NAT_F_PROTO_HASH)
        && (a.nat.flags & NX_NAT_F_PROTO_RANDOM)) {
        error = xstrdup("Both \"hash\" and \"random\" are not allowed.");
    }
    if (!error && a.nat.flags
        && !(a.nat.flags & (NX_NAT_F_SRC | NX_NAT_F_DST))) {
        error = xstrdup("Flags allowed only with \"src\" or \"dst\".");
    }
    if (!error) {
        *ofpacts_put(o, OFPACT_NAT) = a;
    }
    return error;
}

char *
nx_ct_parse_nat(const char *arg, struct ofpacts *o)
{
    if (!ofpact_ct_exec_depth) {
        return xstrdup("Cannot have NAT action outside of \"ct\" action");
    }
    return parse_nat(arg, o);
}

char *
nx_ct_parse_clear(const char *arg, struct ofpacts *o)
{
    if (arg && *arg) {
        return xasprintf("%s: ct_clear takes no argument", arg);
    }
    ofpacts_put(o, OFPACT_CT_CLEAR);
    return NULL;
}

static void
format_ipv6(const struct in6_addr *ip, bool bracket, struct ds *s)
{
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, ip, buf, sizeof buf);
    ds_put_format(s, bracket ? "[%s]" : "%s", buf);
}

static void
format_nat(const struct ofpact *a, struct ds *s)
{
    ds_put_cstr(s, "nat");
    if (!(a->nat.flags & (NX_NAT_F_SRC | NX_NAT_F_DST))) {
        return;
    }
    ds_put_cstr(s, a->nat.flags & NX_NAT_F_SRC ? "(src" : "(dst");
    if (a->nat.af == AF_INET) {
        char buf[INET_ADDRSTRLEN];
        ds_put_format(s, "=%s", inet_ntop(AF_INET, &a->nat.ipv4_min, buf,
                                          sizeof buf));
        if (a->nat.ipv4_max != a->nat.ipv4_min) {
            ds_put_format(s, "-%s", inet_ntop(AF_INET, &a->nat.ipv4_max,
                                              buf, sizeof buf));
        }
    } else if (a->nat.af == AF_INET6) {
        bool bracket = a->nat.proto_min != 0;
        ds_put_char(s, '=');
        format_ipv6(&a->nat.ipv6_min, bracket, s);
        if (memcmp(&a->nat.ipv6_max, &a->nat.ipv6_min, 16)) {
            ds_put_char(s, '-');
            format_ipv6(&a->nat.ipv6_max, bracket, s);
        }
    }
    if (a->nat.af && a->nat.proto_min) {
        ds_put_format(s, ":%"PRIu16, a->nat.proto_min);
        if (a->nat.proto_max > a->nat.proto_min) {
            ds_put_format(s, "-%"PRIu16, a->nat.proto_max);
        }
    }
    if (a->nat.flags & NX_NAT_F_PERSISTENT) {
        ds_put_cstr(s, ",persistent");
    }
    if (a->nat.flags & NX_NAT_F_PROTO_HASH) {
        ds_put_cstr(s, ",hash");
    }
    if (a->nat.flags & NX_NAT_F_PROTO_RANDOM) {
        ds_put_cstr(s, ",random");
    }
    ds_put_char(s, ')');
}

static void
format_ct(const struct ofpact *a, struct ds *s)
{
    ds_put_cstr(s, "ct(");
    size_t start = s->length;
    if (a->ct.flags & NX_CT_F_COMMIT) {
        ds_put_cstr(s, "commit,");
    }
    if (a->ct.flags & NX_CT_F_FORCE) {
        ds_put_cstr(s, "force,");
    }
    if (a->ct.recirc_table != NX_CT_RECIRC_NONE) {
        ds_put_cstr(s, "table=");
        ofp_table_format(a->ct.recirc_table, s);
        ds_put_char(s, ',');
    }
    if (a->ct.zone_from_field) {
        ds_put_cstr(s, "zone=");
        nx_format_subfield(&a->ct.zone_src, s);
        ds_put_char(s, ',');
    } else if (a->ct.zone_imm) {
        ds_put_format(s, "zone=%"PRIu16",", a->ct.zone_imm);
    }
    struct ofpacts inner = ofpact_nested(a);
    size_t i = 0;
    if (inner.n && inner.acts[0].type == OFPACT_NAT) {
        format_nat(&inner.acts[0], s);
        ds_put_char(s, ',');
        i = 1;
    }
    if (i < inner.n) {
        struct ofpacts exec = { inner.acts + i, inner.n - i, inner.n - i };
        ds_put_cstr(s, "exec(");
        ofpacts_format(&exec, s);
        ds_put_cstr(s, "),");
    }
    if (a->ct.alg == NX_CT_ALG_FTP) {
        ds_put_cstr(s, "alg=ftp,");
    } else if (a->ct.alg == NX_CT_ALG_TFTP) {
        ds_put_cstr(s, "alg=tftp,");
    } else if (a->ct.alg) {
        ds_put_format(s, "alg=%"PRIu16",", a->ct.alg);
    }
    if (s->length > start) {
        /* The last comma. */
        s->length--;
        s->string[s->length] = '\0';
    }
    ds_put_char(s, ')');
}

void
nx_ct_format(const struct ofpact *a, struct ds *s)
{
    switch (a->type) {
    case OFPACT_CT:
        format_ct(a, s);
        break;
    case OFPACT_NAT:
        format_nat(a, s);
        break;
    default:
        ds_put_cstr(s, "ct_clear");
        break;
    }
}

/* ---- Wire. ---- */

/* What ct's nested list may hold on the wire. */
static enum ofperr
check_exec_wire(const struct ofpacts *inner)
{
    enum mf_field_id dst;
    return (exec_first_unsupported(inner, &dst)
            ? OFPERR_OFPBAC_BAD_ARGUMENT : 0);
}

static enum ofperr
decode_ct(const uint8_t *p, size_t len, uint8_t version, struct ofpacts *o)
{
    if (len < NX_CT_LEN) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    struct ofpact ct;
    memset(&ct, 0, sizeof ct);
    ct.ct.flags = get_be16(p + 10);
    if (ct.ct.flags & ~(NX_CT_F_COMMIT | NX_CT_F_FORCE)) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    uint32_t zone_src = get_be32(p + 12);
    uint16_t ofs_nbits = get_be16(p + 16);
    if (zone_src) {
        enum ofperr error = nx_pull_subfield(zone_src, ofs_nbits >> 6,
                                             (ofs_nbits & 0x3f) + 1,
                                             &ct.ct.zone_src);
        if (error) {
            return error;
        }
        if (ct.ct.zone_src.n_bits != 16) {
            return OFPERR_OFPBAC_BAD_SET_LEN;
        }
        ct.ct.zone_from_field = true;
    } else {
        ct.ct.zone_imm = ofs_nbits;
    }
    ct.ct.recirc_table = p[18];
    ct.ct.alg = get_be16(p + 22);
    struct ofpacts inner = OFPACTS_EMPTY_INITIALIZER;
    enum ofperr error = ofpacts_pull_ct_nested(p + NX_CT_LEN,
                                               len - NX_CT_LEN, version,
                                               &inner);
    if (!error) {
        error = check_exec_wire(&inner);
    }
    if (!error && !(ct.ct.flags & NX_CT_F_COMMIT) && needs_commit(&inner)) {
        VLOG_WARN("CT action requires commit flag if actions other than "
                  "NAT without arguments are specified.");
        error = OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    if (!error) {
        ofpacts_put_nested(o, OFPACT_CT, &inner);
        o->acts[o->n - 1 - inner.n].ct = ct.ct;
    }
    ofpacts_uninit(&inner);
    return error;
}

static enum ofperr
decode_nat(const uint8_t *p, size_t len, struct ofpacts *o)
{
    if (len < NX_NAT_LEN) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    if (!ofpact_ct_exec_depth) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    struct ofpact a;
    memset(&a, 0, sizeof a);
    a.type = OFPACT_NAT;
    a.nat.flags = get_be16(p + 12);
    uint16_t present = get_be16(p + 14);
    if (a.nat.flags & ~0x1f || present & ~0x3f
        || (a.nat.flags & NX_NAT_F_SRC && a.nat.flags & NX_NAT_F_DST)
        || (a.nat.flags & NX_NAT_F_PROTO_HASH
            && a.nat.flags & NX_NAT_F_PROTO_RANDOM)) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    size_t need = NX_NAT_LEN;
    need += (present & NX_NAT_RANGE_IPV4_MIN ? 4 : 0)
            + (present & NX_NAT_RANGE_IPV4_MAX ? 4 : 0)
            + (present & NX_NAT_RANGE_IPV6_MIN ? 16 : 0)
            + (present & NX_NAT_RANGE_IPV6_MAX ? 16 : 0)
            + (present & NX_NAT_RANGE_PROTO_MIN ? 2 : 0)
            + (present & NX_NAT_RANGE_PROTO_MAX ? 2 : 0);
    if (len < need || (need + 7) / 8 * 8 != len) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    const uint8_t *q = p + NX_NAT_LEN;
    if (present & NX_NAT_RANGE_IPV4_MIN) {
        a.nat.af = AF_INET;
        memcpy(&a.nat.ipv4_min, q, 4);
        a.nat.ipv4_max = a.nat.ipv4_min;
        q += 4;
    }
    if (present & NX_NAT_RANGE_IPV4_MAX) {
        memcpy(&a.nat.ipv4_max, q, 4);
        q += 4;
    }
    if (present & NX_NAT_RANGE_IPV6_MIN) {
        a.nat.af = a.nat.af ? 0xff : AF_INET6;
        memcpy(&a.nat.ipv6_min, q, 16);
        a.nat.ipv6_max = a.nat.ipv6_min;
        q += 16;
    }
    if (present & NX_NAT_RANGE_IPV6_MAX) {
        memcpy(&a.nat.ipv6_max, q, 16);
        q += 16;
    }
    if (present & NX_NAT_RANGE_PROTO_MIN) {
        a.nat.proto_min = a.nat.proto_max = get_be16(q);
        q += 2;
    }
    if (present & NX_NAT_RANGE_PROTO_MAX) {
        a.nat.proto_max = get_be16(q);
    }
    /* A maximum needs its minimum, a range its src or dst. */
    bool has_max = present & (NX_NAT_RANGE_IPV4_MAX | NX_NAT_RANGE_IPV6_MAX
                              | NX_NAT_RANGE_PROTO_MAX);
    if (a.nat.af == 0xff
        || (present & NX_NAT_RANGE_IPV4_MAX
            && !(present & NX_NAT_RANGE_IPV4_MIN))
        || (present & NX_NAT_RANGE_IPV6_MAX
            && !(present & NX_NAT_RANGE_IPV6_MIN))
        || (present & NX_NAT_RANGE_PROTO_MAX
            && !(present & NX_NAT_RANGE_PROTO_MIN))
        || ((present || has_max)
            && !(a.nat.flags & (NX_NAT_F_SRC | NX_NAT_F_DST)))) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    *ofpacts_put(o, OFPACT_NAT) = a;
    return 0;
}

enum ofperr
nx_ct_decode(uint16_t subtype, const uint8_t *p, size_t len,
             uint8_t version, struct ofpacts *o)
{
    switch (subtype) {
    case NXAST_CT:
        return decode_ct(p, len, version, o);
    case NXAST_NAT:
        return decode_nat(p, len, o);
    default:
        if (len != NX_CT_CLEAR_LEN) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        ofpacts_put(o, OFPACT_CT_CLEAR);
        return 0;
    }
}

static void
encode_nat(const struct ofpact *a, struct ofpbuf *b)
{
    size_t start = nx_action_start(b, NXAST_NAT);
    ofpbuf_put_zeros(b, 2);
    ofpbuf_put_be16(b, a->nat.flags);
    uint16_t present = 0;
    if (a->nat.af == AF_INET) {
        present |= NX_NAT_RANGE_IPV4_MIN;
        if (a->nat.ipv4_max != a->nat.ipv4_min) {
            present |= NX_NAT_RANGE_IPV4_MAX;
        }
    } else if (a->nat.af == AF_INET6) {
        present |= NX_NAT_RANGE_IPV6_MIN;
        if (memcmp(&a->nat.ipv6_max, &a->nat.ipv6_min, 16)) {
            present |= NX_NAT_RANGE_IPV6_MAX;
        }
    }
    if (a->nat.proto_min) {
        present |= NX_NAT_RANGE_PROTO_MIN;
        if (a->nat.proto_max != a->nat.proto_min) {
            present |= NX_NAT_RANGE_PROTO_MAX;
        }
    }
    ofpbuf_put_be16(b, present);
    if (present & NX_NAT_RANGE_IPV4_MIN) {
        ofpbuf_put(b, &a->nat.ipv4_min, 4);
    }
    if (present & NX_NAT_RANGE_IPV4_MAX) {
        ofpbuf_put(b, &a->nat.ipv4_max, 4);
    }
    if (present & NX_NAT_RANGE_IPV6_MIN) {
        ofpbuf_put(b, &a->nat.ipv6_min, 16);
    }
    if (present & NX_NAT_RANGE_IPV6_MAX) {
        ofpbuf_put(b, &a->nat.ipv6_max, 16);
    }
    if (present & NX_NAT_RANGE_PROTO_MIN) {
        ofpbuf_put_be16(b, a->nat.proto_min);
    }
    if (present & NX_NAT_RANGE_PROTO_MAX) {
        ofpbuf_put_be16(b, a->nat.proto_max);
    }
    nx_action_finish(b, start);
}

static void
encode_ct(const struct ofpact *a, uint8_t version, struct ofpbuf *b)
{
    size_t start = nx_action_start(b, NXAST_CT);
    ofpbuf_put_be16(b, a->ct.flags);
    if (a->ct.zone_from_field) {
        nx_put_subfield_header(&a->ct.zone_src, b);
        ofpbuf_put_be16(b, (a->ct.zone_src.ofs << 6)
                           | (a->ct.zone_src.n_bits - 1));
    } else {
        ofpbuf_put_be32(b, 0);
        ofpbuf_put_be16(b, a->ct.zone_imm);
    }
    uint8_t table = a->ct.recirc_table;
    ofpbuf_put(b, &table, 1);
    ofpbuf_put_zeros(b, 3);
    ofpbuf_put_be16(b, a->ct.alg);
    struct ofpacts inner = ofpact_nested(a);
    ofpacts_put_openflow_actions(&inner, version, b);
    /* The nested actions are multiples of 8 bytes already. */
    nx_action_finish(b, start);
}

void
nx_ct_encode(const struct ofpact *a, uint8_t version, struct ofpbuf *b)
{
    switch (a->type) {
    case OFPACT_CT:
        encode_ct(a, version, b);
        break;
    case OFPACT_NAT:
        encode_nat(a, b);
        break;
    default: {
        size_t start = nx_action_start(b, NXAST_CT_CLEAR);
        ofpbuf_put_zeros(b, NX_CT_CLEAR_LEN - 10);
        nx_action_finish(b, start);
        break;
    }
    }
}

/* ---- Checks. ---- */

static bool
match_is(const struct match *match, enum mf_field_id prereq_of)
{
    return mf_are_prereqs_ok(mf_from_id(prereq_of), match);
}

enum ofperr
nx_ct_check(const struct ofpact *a, const struct match *match)
{
    if (!match) {
        return 0;
    }
    if (!match_is(match, MFF_IP_PROTO)
        || (a->ct.alg == NX_CT_ALG_FTP && !match_is(match, MFF_TCP_SRC))
        || (a->ct.alg == NX_CT_ALG_TFTP && !match_is(match, MFF_UDP_SRC))) {
        return OFPERR_OFPBAC_MATCH_INCONSISTENT;
    }
    struct ofpacts inner = ofpact_nested(a);
    for (size_t i = 0; i < inner.n; i += ofpact_span(&inner.acts[i])) {
        const struct ofpact *n = &inner.acts[i];
        if (n->type == OFPACT_NAT
            && ((n->nat.af == AF_INET && !match_is(match, MFF_IPV4_SRC))
                || (n->nat.af == AF_INET6
                    && !match_is(match, MFF_IPV6_SRC)))) {
            return OFPERR_OFPBAC_MATCH_INCONSISTENT;
        }
        if (n->type == OFPACT_REG_LOAD || n->type == OFPACT_REG_MOVE) {
            enum ofperr error = nx_check(n, match);
            if (error) {
                return error;
            }
        }
    }
    return 0;
}

bool
nx_ct_get_nat(const struct ofpact *ct, struct conntrack_nat *nat)
{
    struct ofpacts inner = ofpact_nested(ct);
    for (size_t i = 0; i < inner.n; i += ofpact_span(&inner.acts[i])) {
        const struct ofpact *a = &inner.acts[i];
        if (a->type != OFPACT_NAT) {
            continue;
        }
        memset(nat, 0, sizeof *nat);
        nat->type = (a->nat.flags & NX_NAT_F_SRC ? CONNTRACK_NAT_SRC
                     : a->nat.flags & NX_NAT_F_DST ? CONNTRACK_NAT_DST
                     : 0);
        nat->af = a->nat.af;
        if (a->nat.af == AF_INET) {
            memcpy(&nat->addr_min, &a->nat.ipv4_min, 4);
            memcpy(&nat->addr_max, &a->nat.ipv4_max, 4);
        } else if (a->nat.af == AF_INET6) {
            nat->addr_min = a->nat.ipv6_min;
            nat->addr_max = a->nat.ipv6_max;
        }
        nat->port_min = a->nat.proto_min;
        nat->port_max = a->nat.proto_max;
        nat->persistent = a->nat.flags & NX_NAT_F_PERSISTENT;
        nat->random = a->nat.flags & NX_NAT_F_PROTO_RANDOM;
        return true;
    }
    return false;
}

void
nx_ct_clear_flow(struct flow *flow)
{
    flow->ct_state = 0;
    flow->ct_mark = 0;
    flow->ct_zone = 0;
    flow->ct_nw_proto = 0;
    memset(flow->ct_label, 0, sizeof flow->ct_label);
    flow->ct_nw_src = 0;
    flow->ct_nw_dst = 0;
    memset(&flow->ct_ipv6_src, 0, sizeof flow->ct_ipv6_src);
    memset(&flow->ct_ipv6_dst, 0, sizeof flow->ct_ipv6_dst);
    flow->ct_tp_src = 0;
    flow->ct_tp_dst = 0;
}

void
nx_ct_restore_fields(struct flow *flow, const struct flow *saved)
{
    flow->ct_state = saved->ct_state;
    flow->ct_mark = saved->ct_mark;
    flow->ct_zone = saved->ct_zone;
    flow->ct_nw_proto = saved->ct_nw_proto;
    memcpy(flow->ct_label, saved->ct_label, sizeof flow->ct_label);
    flow->ct_nw_src = saved->ct_nw_src;
    flow->ct_nw_dst = saved->ct_nw_dst;
    flow->ct_ipv6_src = saved->ct_ipv6_src;
    flow->ct_ipv6_dst = saved->ct_ipv6_dst;
    flow->ct_tp_src = saved->ct_tp_src;
    flow->ct_tp_dst = saved->ct_tp_dst;
}
