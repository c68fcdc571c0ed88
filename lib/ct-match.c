/* ct-match: connection-tracking tuple filters as text. */
#include <config.h>
#include "ct-match.h"

#include <arpa/inet.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

/* One "key=value" of a flush tuple. */
static char *
parse_tuple_field(const char *key, const char *value,
                  struct ct_match_tuple *t, uint8_t *proto)
{
    static const struct {
        const char *name;
        int kind;               /* 4, 6: address; 16, 8: number. */
        size_t ofs;
    } fields[] = {
        { "ct_nw_src", 4, offsetof(struct ct_match_tuple, src) },
        { "ct_nw_dst", 4, offsetof(struct ct_match_tuple, dst) },
        { "ct_ipv6_src", 6, offsetof(struct ct_match_tuple, src) },
        { "ct_ipv6_dst", 6, offsetof(struct ct_match_tuple, dst) },
        { "ct_tp_src", 16, offsetof(struct ct_match_tuple, sport) },
        { "ct_tp_dst", 16, offsetof(struct ct_match_tuple, dport) },
        { "icmp_id", 16, offsetof(struct ct_match_tuple, icmp_id) },
        { "icmp_type", 8, offsetof(struct ct_match_tuple, icmp_type) },
        { "icmp_code", 8, offsetof(struct ct_match_tuple, icmp_code) },
    };
    unsigned long long n;
    if (!strcmp(key, "ct_nw_proto")) {
        if (!str_to_ullong(value, 0, &n) || n > UINT8_MAX) {
            return xasprintf("%s: invalid ct_nw_proto", value);
        }
        *proto = n;
        return NULL;
    }
    for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
        if (strcmp(key, fields[i].name)) {
            continue;
        }
        uint8_t *dst = (uint8_t *) t + fields[i].ofs;
        struct in6_addr a6;
        if (fields[i].kind == 4) {
            memset(&a6, 0, sizeof a6);
            a6.s6_addr[10] = a6.s6_addr[11] = 0xff;
            if (inet_pton(AF_INET, value, &a6.s6_addr[12]) != 1) {
                return xasprintf("%s: invalid IPv4 address", value);
            }
            memcpy(dst, &a6, sizeof a6);
        } else if (fields[i].kind == 6) {
            if (inet_pton(AF_INET6, value, &a6) != 1) {
                return xasprintf("%s: invalid IPv6 address", value);
            }
            memcpy(dst, &a6, sizeof a6);
        } else if (!str_to_ullong(value, 0, &n)
                   || n > (fields[i].kind == 16 ? UINT16_MAX : UINT8_MAX)) {
            return xasprintf("%s: invalid %s", value, key);
        } else if (fields[i].kind == 16) {
            uint16_t be = htons(n);
            memcpy(dst, &be, 2);
        } else {
            *dst = n;
        }
        return NULL;
    }
    return xasprintf("invalid conntrack tuple field: %s", key);
}

char *
ct_match_parse_tuple(const char *s, struct ct_match_tuple *t,
                      uint8_t *proto)
{
    memset(t, 0, sizeof *t);
    char *copy = xstrdup(s);
    char *error = NULL;
    char *save = NULL;
    for (char *f = strtok_r(copy, ",", &save); f && !error;
         f = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(f, '=');
        if (!eq) {
            error = xasprintf("%s: missing value", f);
            break;
        }
        *eq = '\0';
        error = parse_tuple_field(f, eq + 1, t, proto);
    }
    free(copy);
    return error;
}

void
ct_match_format_tuple(const struct ct_match_tuple *t, uint8_t proto,
                       struct ds *s)
{
    const struct in6_addr *addrs[2] = { &t->src, &t->dst };
    static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
    for (int i = 0; i < 2; i++) {
        char buf[INET6_ADDRSTRLEN];
        if (!memcmp(addrs[i], mapped, sizeof mapped)) {
            inet_ntop(AF_INET, &addrs[i]->s6_addr[12], buf, sizeof buf);
            ds_put_format(s, "ct_nw_%s=%s,", i ? "dst" : "src", buf);
        } else {
            inet_ntop(AF_INET6, addrs[i], buf, sizeof buf);
            ds_put_format(s, "ct_ipv6_%s=%s,", i ? "dst" : "src", buf);
        }
    }
    if ((proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6)) {
        ds_put_format(s, "icmp_id=%u,icmp_type=%u,icmp_code=%u",
                      ntohs(t->icmp_id), t->icmp_type, t->icmp_code);
    } else {
        ds_put_format(s, "ct_tp_src=%u,ct_tp_dst=%u", ntohs(t->sport),
                      ntohs(t->dport));
    }
}
