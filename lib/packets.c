/* packets: checksums and address helpers; see packets.h. */
#include <config.h>
#include "packets.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

uint32_t
csum_continue(uint32_t partial, const void *data, size_t n)
{
    const uint8_t *p = data;
    uint64_t sum = partial;

    while (n >= 2) {
        sum += (uint32_t) p[0] << 8 | p[1];
        p += 2;
        n -= 2;
    }
    if (n) {
        sum += (uint32_t) p[0] << 8;
    }
    while (sum >> 32) {
        sum = (sum & 0xffffffff) + (sum >> 32);
    }
    return sum;
}

uint16_t
csum_finish(uint32_t partial)
{
    while (partial >> 16) {
        partial = (partial & 0xffff) + (partial >> 16);
    }
    return htons((uint16_t) ~partial);
}

uint16_t
csum(const void *data, size_t n)
{
    return csum_finish(csum_continue(0, data, n));
}

uint32_t
packet_csum_pseudoheader(const struct ip_header *ip, uint16_t l4_len)
{
    uint8_t tail[4] = { 0, ip->ip_proto, l4_len >> 8, l4_len & 0xff };
    uint32_t sum = csum_continue(0, &ip->ip_src, 4);

    sum = csum_continue(sum, &ip->ip_dst, 4);
    return csum_continue(sum, tail, sizeof tail);
}

uint32_t
packet_csum_pseudoheader6(const struct ipv6_header *ip6, uint8_t proto,
                          uint32_t l4_len)
{
    uint32_t len_be = htonl(l4_len);
    uint8_t tail[4] = { 0, 0, 0, proto };
    uint32_t sum = csum_continue(0, &ip6->ip6_src, sizeof ip6->ip6_src);

    sum = csum_continue(sum, &ip6->ip6_dst, sizeof ip6->ip6_dst);
    sum = csum_continue(sum, &len_be, 4);
    return csum_continue(sum, tail, sizeof tail);
}

void
eth_format(struct ds *s, const struct eth_addr *ea)
{
    ds_put_format(s, ETH_ADDR_FMT, ETH_ADDR_ARGS(*ea));
}

void
ip_format(struct ds *s, uint32_t ip_be)
{
    ds_put_format(s, IP_FMT, IP_ARGS(ip_be));
}

void
ipv6_format(struct ds *s, const struct in6_addr *a)
{
    char buf[INET6_ADDRSTRLEN];

    ds_put_cstr(s, inet_ntop(AF_INET6, a, buf, sizeof buf));
}

bool
eth_addr_from_string(const char *s, struct eth_addr *ea)
{
    unsigned int b[6];
    int n = 0;

    if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%n",
               &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &n) != 6
        || s[n] != '\0' || n != 17) {
        return false;
    }
    for (int i = 0; i < 6; i++) {
        ea->ea[i] = b[i];
    }
    return true;
}

bool
eth_addr_is_zero(const struct eth_addr *ea)
{
    static const struct eth_addr zero;

    return eth_addr_equals(ea, &zero);
}

bool
eth_addr_is_multicast(const struct eth_addr *ea)
{
    return ea->ea[0] & 1;
}

bool
eth_addr_equals(const struct eth_addr *a, const struct eth_addr *b)
{
    return !memcmp(a->ea, b->ea, ETH_ADDR_LEN);
}

void
eth_addr_random(struct eth_addr *ea, uint32_t seed)
{
    if (seed) {
        uint32_t h = hash_int(seed, 0x5eed);
        uint32_t h2 = hash_int(h, seed);

        memcpy(ea->ea, &h, 4);
        memcpy(ea->ea + 4, &h2, 2);
    } else if (getrandom(ea->ea, ETH_ADDR_LEN, 0) != ETH_ADDR_LEN) {
        uint32_t h = hash_int((uint32_t) time_wall_msec(), 0);

        memcpy(ea->ea, &h, 4);
        memcpy(ea->ea + 4, &h, 2);
    }
    ea->ea[0] = (ea->ea[0] & ~1) | 2;   /* Unicast, locally administered. */
}

uint8_t *
packet_from_hex(const char *s, size_t *lenp)
{
    size_t max = strlen(s) / 2;
    uint8_t *buf = xmalloc(max ? max : 1);
    size_t n = 0;

    for (;;) {
        while (isspace((unsigned char) *s)) {
            s++;
        }
        if (!*s) {
            break;
        }
        if (!isxdigit((unsigned char) s[0]) || !isxdigit((unsigned char) s[1])) {
            free(buf);
            return NULL;
        }
        char pair[3] = { s[0], s[1], '\0' };
        buf[n++] = strtoul(pair, NULL, 16);
        s += 2;
    }
    if (!n) {
        free(buf);
        return NULL;
    }
    *lenp = n;
    return buf;
}

void
packet_to_hex(struct ds *s, const void *data, size_t n)
{
    const uint8_t *p = data;

    for (size_t i = 0; i < n; i++) {
        ds_put_format(s, "%02x", p[i]);
    }
}

void
packet_complete_l4_csum(void *frame, size_t len)
{
    uint8_t *p = frame;
    uint16_t type, csum_ofs, c;
    size_t ofs = 2 * ETH_ADDR_LEN, l4_len;
    uint32_t sum;
    uint8_t proto;

    if (len < ofs + 2) {
        return;
    }
    memcpy(&type, p + ofs, 2);
    ofs += 2;
    if (type == htons(ETH_TYPE_VLAN)) {
        if (len < ofs + 4) {
            return;
        }
        memcpy(&type, p + ofs + 2, 2);
        ofs += 4;
    }
    if (type == htons(ETH_TYPE_IP) && len >= ofs + IP_HEADER_LEN) {
        struct ip_header ip;
        size_t hlen, tot_len;

        memcpy(&ip, p + ofs, sizeof ip);
        hlen = IP_IHL(ip.ip_ihl_ver) * 4;
        tot_len = ntohs(ip.ip_tot_len);
        if (IP_VER(ip.ip_ihl_ver) != IP_VERSION || hlen < IP_HEADER_LEN
            || tot_len < hlen || ofs + tot_len > len
            || ip.ip_frag_off & htons(IP_MORE_FRAGMENTS | IP_FRAG_OFF_MASK)) {
            return;
        }
        proto = ip.ip_proto;
        l4_len = tot_len - hlen;
        sum = packet_csum_pseudoheader(&ip, l4_len);
        ofs += hlen;
    } else if (type == htons(ETH_TYPE_IPV6)
               && len >= ofs + IPV6_HEADER_LEN) {
        struct ipv6_header ip6;

        memcpy(&ip6, p + ofs, sizeof ip6);
        l4_len = ntohs(ip6.ip6_plen);
        if (ofs + IPV6_HEADER_LEN + l4_len > len) {
            return;
        }
        proto = ip6.ip6_nxt;
        sum = packet_csum_pseudoheader6(&ip6, proto, l4_len);
        ofs += IPV6_HEADER_LEN;
    } else {
        return;
    }

    if (proto == IPPROTO_TCP && l4_len >= TCP_HEADER_LEN) {
        csum_ofs = offsetof(struct tcp_header, tcp_csum);
    } else if (proto == IPPROTO_UDP && l4_len >= UDP_HEADER_LEN) {
        csum_ofs = offsetof(struct udp_header, udp_csum);
    } else {
        return;
    }
    memset(p + ofs + csum_ofs, 0, 2);
    c = csum_finish(csum_continue(sum, p + ofs, l4_len));
    if (proto == IPPROTO_UDP && !c) {
        c = 0xffff;             /* 0 means "no checksum" in UDP. */
    }
    memcpy(p + ofs + csum_ofs, &c, 2);
}
