/* test-flow-extract: crafts frames of every kind flow_extract() knows and
 * checks the key it extracts, plus the packets.h helpers.
 *
 * Usage: test-flow-extract CASE.  Each case prints nothing and exits 0 on
 * success, or prints the first mismatch and exits 1.  Every frame is
 * handed to flow_extract() in a heap buffer of exactly its length, so an
 * ASan build catches any read past the end. */
#include <config.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "flow-extract.h"
#include "nsh.h"
#include "packets.h"
#include "util.h"

static int failures;

#define CHECK_EQ(A, B)                                                    \
    do {                                                                  \
        unsigned long long a_ = (A), b_ = (B);                            \
        if (a_ != b_) {                                                   \
            fprintf(stderr, "%s:%d: %s == %#llx, expected %s == %#llx\n", \
                    __FILE__, __LINE__, #A, a_, #B, b_);                  \
            failures++;                                                   \
        }                                                                 \
    } while (0)

#define CHECK(COND)                                                       \
    do {                                                                  \
        if (!(COND)) {                                                    \
            fprintf(stderr, "%s:%d: check failed: %s\n",                  \
                    __FILE__, __LINE__, #COND);                           \
            failures++;                                                   \
        }                                                                 \
    } while (0)

/* ---- Frame builder. ---- */

struct frame {
    uint8_t buf[512];
    size_t len;
};

static void *
put(struct frame *f, const void *data, size_t n)
{
    void *p = f->buf + f->len;

    memcpy(p, data, n);
    f->len += n;
    return p;
}

static void
put_u8(struct frame *f, uint8_t v)
{
    put(f, &v, 1);
}

static void
put_be16(struct frame *f, uint16_t v)
{
    v = htons(v);
    put(f, &v, 2);
}

static void
put_be32(struct frame *f, uint32_t v)
{
    v = htonl(v);
    put(f, &v, 4);
}

static const struct eth_addr mac_a = { { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 } };
static const struct eth_addr mac_b = { { 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb } };
#define IP_A 0x0a000001         /* 10.0.0.1 */
#define IP_B 0x0a000002         /* 10.0.0.2 */

static void
put_eth(struct frame *f, uint16_t type)
{
    put(f, &mac_b, 6);
    put(f, &mac_a, 6);
    put_be16(f, type);
}

/* An IPv4 header for 'payload_len' bytes of 'proto' with 'frag_off'. */
static void
put_ipv4(struct frame *f, uint8_t proto, size_t payload_len, uint16_t frag)
{
    struct ip_header *ip;
    struct ip_header h = {
        .ip_ihl_ver = 0x45,
        .ip_tos = 0xb8,
        .ip_tot_len = htons(IP_HEADER_LEN + payload_len),
        .ip_id = htons(1234),
        .ip_frag_off = htons(frag),
        .ip_ttl = 64,
        .ip_proto = proto,
        .ip_src = htonl(IP_A),
        .ip_dst = htonl(IP_B),
    };

    ip = put(f, &h, sizeof h);
    ip->ip_csum = csum(ip, sizeof *ip);
}

static void
put_ipv6(struct frame *f, uint8_t nxt, size_t payload_len)
{
    struct ipv6_header h = {
        .ip6_vtcflow = htonl(0x6a012345),   /* tclass 0xa0, label 0x12345 */
        .ip6_plen = htons(payload_len),
        .ip6_nxt = nxt,
        .ip6_hlim = 255,
    };

    inet_pton(AF_INET6, "fe80::1", &h.ip6_src);
    inet_pton(AF_INET6, "2001:db8::2", &h.ip6_dst);
    put(f, &h, sizeof h);
}

static void
put_tcp(struct frame *f, uint16_t flags)
{
    put_be16(f, 12345);
    put_be16(f, 80);
    put_be32(f, 1);
    put_be32(f, 0);
    put_be16(f, 5 << 12 | flags);
    put_be16(f, 1024);
    put_be16(f, 0);
    put_be16(f, 0);
}

static void
put_udp(struct frame *f, size_t payload_len)
{
    put_be16(f, 5353);
    put_be16(f, 53);
    put_be16(f, UDP_HEADER_LEN + payload_len);
    put_be16(f, 0);
}

static void
extract(const struct frame *f, size_t len, struct flow *flow)
{
    uint8_t *copy = xmalloc(len ? len : 1);

    memcpy(copy, f->buf, len);
    flow_extract(copy, len, 7, flow);
    free(copy);
}

static void
check_eth(const struct flow *flow, uint16_t type)
{
    CHECK_EQ(flow->in_port, 7);
    CHECK(eth_addr_equals(&flow->dl_dst, &mac_b));
    CHECK(eth_addr_equals(&flow->dl_src, &mac_a));
    CHECK_EQ(ntohs(flow->dl_type), type);
}

static void
check_ipv4(const struct flow *flow, uint8_t proto)
{
    CHECK_EQ(ntohl(flow->nw_src), IP_A);
    CHECK_EQ(ntohl(flow->nw_dst), IP_B);
    CHECK_EQ(flow->nw_proto, proto);
    CHECK_EQ(flow->nw_tos, 0xb8);
    CHECK_EQ(flow->nw_ttl, 64);
}

/* Builds an IPv4/TCP SYN frame. */
static void
build_tcp4(struct frame *f)
{
    put_eth(f, ETH_TYPE_IP);
    put_ipv4(f, IPPROTO_TCP, TCP_HEADER_LEN, 0);
    put_tcp(f, TCP_SYN | TCP_ACK);
}

/* ---- Cases. ---- */

static void
test_tcp4(void)
{
    struct frame f = { .len = 0 };
    struct flow flow;

    build_tcp4(&f);
    extract(&f, f.len, &flow);
    check_eth(&flow, ETH_TYPE_IP);
    check_ipv4(&flow, IPPROTO_TCP);
    CHECK_EQ(ntohs(flow.tp_src), 12345);
    CHECK_EQ(ntohs(flow.tp_dst), 80);
    CHECK_EQ(ntohs(flow.tcp_flags), TCP_SYN | TCP_ACK);
    CHECK_EQ(flow.vlan_tci, 0);
    CHECK_EQ(flow.nw_frag, 0);
}

static void
test_vlan_udp4(void)
{
    struct frame f = { .len = 0 };
    struct flow flow;

    put_eth(&f, ETH_TYPE_VLAN);
    put_be16(&f, 5 << VLAN_PCP_SHIFT | 42);
    put_be16(&f, ETH_TYPE_IP);
    put_ipv4(&f, IPPROTO_UDP, UDP_HEADER_LEN + 4, 0);
    put_udp(&f, 4);
    put_be32(&f, 0xdeadbeef);
    /* Ethernet padding after the datagram. */
    put_be32(&f, 0);
    put_be32(&f, 0);
    extract(&f, f.len, &flow);
    check_eth(&flow, ETH_TYPE_IP);
    CHECK_EQ(ntohs(flow.vlan_tci), VLAN_CFI | 5 << VLAN_PCP_SHIFT | 42);
    check_ipv4(&flow, IPPROTO_UDP);
    CHECK_EQ(ntohs(flow.tp_src), 5353);
    CHECK_EQ(ntohs(flow.tp_dst), 53);
}

static void
test_icmp4(void)
{
    struct frame f = { .len = 0 };
    struct flow flow;

    put_eth(&f, ETH_TYPE_IP);
    put_ipv4(&f, IPPROTO_ICMP, ICMP_HEADER_LEN, IP_DONT_FRAGMENT);
    put_u8(&f, 3);              /* Destination unreachable, */
    put_u8(&f, 1);              /* host unreachable. */
    put_be16(&f, 0);
    put_be32(&f, 0);
    extract(&f, f.len, &flow);
    check_ipv4(&flow, IPPROTO_ICMP);
    CHECK_EQ(ntohs(flow.tp_src), 3);
    CHECK_EQ(ntohs(flow.tp_dst), 1);
    CHECK_EQ(flow.nw_frag, 0);
}

static void
test_arp(void)
{
    struct frame f = { .len = 0 };
    struct flow flow;
    uint32_t spa = htonl(IP_A), tpa = htonl(IP_B);

    put_eth(&f, ETH_TYPE_ARP);
    put_be16(&f, ARP_HTYPE_ETH);
    put_be16(&f, ETH_TYPE_IP);
    put_u8(&f, 6);
    put_u8(&f, 4);
    put_be16(&f, ARP_OP_REPLY);
    put(&f, &mac_a, 6);
    put(&f, &spa, 4);
    put(&f, &mac_b, 6);
    put(&f, &tpa, 4);
    extract(&f, f.len, &flow);
    check_eth(&flow, ETH_TYPE_ARP);
    CHECK_EQ(flow.nw_proto, ARP_OP_REPLY);
    CHECK_EQ(ntohl(flow.nw_src), IP_A);
    CHECK_EQ(ntohl(flow.nw_dst), IP_B);
    CHECK(eth_addr_equals(&flow.arp_sha, &mac_a));
    CHECK(eth_addr_equals(&flow.arp_tha, &mac_b));

    /* A hardware type other than Ethernet is not parsed. */
    f.buf[ETH_HEADER_LEN + 1] = 6;
    extract(&f, f.len, &flow);
    check_eth(&flow, ETH_TYPE_ARP);
    CHECK_EQ(flow.nw_proto, 0);
    CHECK_EQ(flow.nw_src, 0);
}

static void
test_tcp6_ext(void)
{
    struct frame f = { .len = 0 };
    struct in6_addr src;
    struct flow flow;

    put_eth(&f, ETH_TYPE_IPV6);
    put_ipv6(&f, IPPROTO_HOPOPTS, 8 + 16 + TCP_HEADER_LEN);
    /* Hop-by-hop: 8 bytes (len 0), then destination options: 16 bytes. */
    put_u8(&f, IPPROTO_DSTOPTS);
    put_u8(&f, 0);
    put_be16(&f, 0x0104);       /* PadN covering the rest. */
    put_be32(&f, 0);
    put_u8(&f, IPPROTO_TCP);
    put_u8(&f, 1);
    put_be16(&f, 0x010c);
    for (int i = 0; i < 3; i++) {
        put_be32(&f, 0);
    }
    put_tcp(&f, TCP_FIN);
    extract(&f, f.len, &flow);
    check_eth(&flow, ETH_TYPE_IPV6);
    inet_pton(AF_INET6, "fe80::1", &src);
    CHECK(!memcmp(&flow.ipv6_src, &src, sizeof src));
    CHECK_EQ(ntohl(flow.ipv6_label), 0x12345);
    CHECK_EQ(flow.nw_tos, 0xa0);
    CHECK_EQ(flow.nw_ttl, 255);
    CHECK_EQ(flow.nw_proto, IPPROTO_TCP);
    CHECK_EQ(ntohs(flow.tp_src), 12345);
    CHECK_EQ(ntohs(flow.tcp_flags), TCP_FIN);

    /* Truncating inside the destination options leaves no L3 fields. */
    extract(&f, ETH_HEADER_LEN + IPV6_HEADER_LEN + 12, &flow);
    check_eth(&flow, ETH_TYPE_IPV6);
    CHECK_EQ(flow.nw_proto, 0);
    CHECK_EQ(flow.tp_src, 0);
}

static void
build_nd(struct frame *f, uint8_t type, uint8_t opt_type)
{
    struct in6_addr target;

    inet_pton(AF_INET6, "2001:db8::99", &target);
    put_eth(f, ETH_TYPE_IPV6);
    put_ipv6(f, IPPROTO_ICMPV6, 4 + 20 + 8);
    put_u8(f, type);
    put_u8(f, 0);
    put_be16(f, 0);
    put_be32(f, 0);
    put(f, &target, sizeof target);
    put_u8(f, opt_type);
    put_u8(f, 1);
    put(f, &mac_a, 6);
}

static void
test_nd(void)
{
    struct frame f = { .len = 0 };
    struct in6_addr target;
    struct flow flow;

    inet_pton(AF_INET6, "2001:db8::99", &target);
    build_nd(&f, ND_NEIGHBOR_SOLICIT, ND_OPT_SOURCE_LINKADDR);
    extract(&f, f.len, &flow);
    CHECK_EQ(flow.nw_proto, IPPROTO_ICMPV6);
    CHECK_EQ(ntohs(flow.tp_src), ND_NEIGHBOR_SOLICIT);
    CHECK_EQ(ntohs(flow.tp_dst), 0);
    CHECK(!memcmp(&flow.nd_target, &target, sizeof target));
    CHECK(eth_addr_equals(&flow.arp_sha, &mac_a));
    CHECK(eth_addr_is_zero(&flow.arp_tha));

    f.len = 0;
    build_nd(&f, ND_NEIGHBOR_ADVERT, ND_OPT_TARGET_LINKADDR);
    extract(&f, f.len, &flow);
    CHECK_EQ(ntohs(flow.tp_src), ND_NEIGHBOR_ADVERT);
    CHECK(!memcmp(&flow.nd_target, &target, sizeof target));
    CHECK(eth_addr_is_zero(&flow.arp_sha));
    CHECK(eth_addr_equals(&flow.arp_tha, &mac_a));

    /* An option of length 0 makes the ND fields invalid, i.e. zero. */
    f.buf[f.len - 7] = 0;
    extract(&f, f.len, &flow);
    CHECK_EQ(ntohs(flow.tp_src), ND_NEIGHBOR_ADVERT);
    CHECK(eth_addr_is_zero(&flow.arp_tha));
    CHECK_EQ(flow.nd_target.s6_addr[0], 0);

    /* ICMPv6 echo: type and code only. */
    f.len = 0;
    put_eth(&f, ETH_TYPE_IPV6);
    put_ipv6(&f, IPPROTO_ICMPV6, 8);
    put_u8(&f, ICMP6_ECHO_REQUEST);
    put_u8(&f, 0);
    put_be16(&f, 0);
    put_be32(&f, 0x00010001);
    extract(&f, f.len, &flow);
    CHECK_EQ(ntohs(flow.tp_src), ICMP6_ECHO_REQUEST);
    CHECK_EQ(flow.nd_target.s6_addr[0], 0);
}

static void
test_frag(void)
{
    struct frame f = { .len = 0 };
    struct flow flow;

    /* First IPv4 fragment: ports present. */
    put_eth(&f, ETH_TYPE_IP);
    put_ipv4(&f, IPPROTO_UDP, UDP_HEADER_LEN, IP_MORE_FRAGMENTS);
    put_udp(&f, 0);
    extract(&f, f.len, &flow);
    CHECK_EQ(flow.nw_frag, FLOW_NW_FRAG_ANY);
    CHECK_EQ(ntohs(flow.tp_src), 5353);

    /* Later fragment: no ports. */
    f.len = 0;
    put_eth(&f, ETH_TYPE_IP);
    put_ipv4(&f, IPPROTO_UDP, UDP_HEADER_LEN, 100);
    put_udp(&f, 0);
    extract(&f, f.len, &flow);
    CHECK_EQ(flow.nw_frag, FLOW_NW_FRAG_ANY | FLOW_NW_FRAG_LATER);
    check_ipv4(&flow, IPPROTO_UDP);
    CHECK_EQ(flow.tp_src, 0);

    /* IPv6 later fragment. */
    f.len = 0;
    put_eth(&f, ETH_TYPE_IPV6);
    put_ipv6(&f, IPPROTO_FRAGMENT, 8 + UDP_HEADER_LEN);
    put_u8(&f, IPPROTO_UDP);
    put_u8(&f, 0);
    put_be16(&f, 185 << 3);
    put_be32(&f, 77);
    put_udp(&f, 0);
    extract(&f, f.len, &flow);
    CHECK_EQ(flow.nw_frag, FLOW_NW_FRAG_ANY | FLOW_NW_FRAG_LATER);
    CHECK_EQ(flow.nw_proto, IPPROTO_UDP);
    CHECK_EQ(flow.tp_src, 0);

    /* IPv6 first fragment. */
    f.buf[ETH_HEADER_LEN + IPV6_HEADER_LEN + 2] = 0;
    f.buf[ETH_HEADER_LEN + IPV6_HEADER_LEN + 3] = IPV6_FRAG_MORE;
    extract(&f, f.len, &flow);
    CHECK_EQ(flow.nw_frag, FLOW_NW_FRAG_ANY);
    CHECK_EQ(ntohs(flow.tp_dst), 53);
}

static void
test_llc(void)
{
    struct frame f = { .len = 0 };
    struct flow flow;

    /* 802.3 with SNAP carrying IPv4. */
    put_eth(&f, 100);
    put_be32(&f, 0xaaaa0300);
    put_be16(&f, 0x0000);
    put_be16(&f, ETH_TYPE_IP);
    put_ipv4(&f, IPPROTO_TCP, TCP_HEADER_LEN, 0);
    put_tcp(&f, TCP_RST);
    extract(&f, f.len, &flow);
    check_eth(&flow, ETH_TYPE_IP);
    check_ipv4(&flow, IPPROTO_TCP);
    CHECK_EQ(ntohs(flow.tcp_flags), TCP_RST);

    /* Plain 802.2 LLC (STP). */
    f.len = 0;
    put_eth(&f, 38);
    put_be32(&f, 0x42420300);
    put_be32(&f, 0);
    extract(&f, f.len, &flow);
    check_eth(&flow, FLOW_DL_TYPE_NONE);
    CHECK_EQ(flow.nw_proto, 0);
}

static void
test_malformed(void)
{
    struct frame f = { .len = 0 };
    struct flow flow;

    /* IHL below 5. */
    build_tcp4(&f);
    f.buf[ETH_HEADER_LEN] = 0x44;
    extract(&f, f.len, &flow);
    check_eth(&flow, ETH_TYPE_IP);
    CHECK_EQ(flow.nw_src, 0);
    CHECK_EQ(flow.nw_proto, 0);

    /* Version 6 inside an IPv4 ethertype. */
    f.buf[ETH_HEADER_LEN] = 0x65;
    extract(&f, f.len, &flow);
    CHECK_EQ(flow.nw_src, 0);

    /* Total length shorter than the header. */
    f.buf[ETH_HEADER_LEN] = 0x45;
    f.buf[ETH_HEADER_LEN + 2] = 0;
    f.buf[ETH_HEADER_LEN + 3] = 10;
    extract(&f, f.len, &flow);
    CHECK_EQ(flow.nw_src, 0);

    /* TCP data offset below 5: L3 kept, L4 empty. */
    f.len = 0;
    build_tcp4(&f);
    f.buf[ETH_HEADER_LEN + IP_HEADER_LEN + 12] = 0x40;
    extract(&f, f.len, &flow);
    check_ipv4(&flow, IPPROTO_TCP);
    CHECK_EQ(flow.tp_src, 0);
    CHECK_EQ(flow.tcp_flags, 0);
}

/* Every prefix of a frame: no read past the end (ASan), and fields appear
 * only once their whole header is present. */
static void
test_truncated(void)
{
    struct frame f = { .len = 0 };
    struct flow flow;

    build_tcp4(&f);
    for (size_t len = 0; len < f.len; len++) {
        extract(&f, len, &flow);
        CHECK_EQ(flow.in_port, 7);
        if (len < 12) {
            CHECK(eth_addr_is_zero(&flow.dl_dst));
        }
        if (len < ETH_HEADER_LEN) {
            CHECK_EQ(flow.dl_type, 0);
        } else {
            CHECK_EQ(ntohs(flow.dl_type), ETH_TYPE_IP);
        }
        /* The IPv4 total length covers the TCP header, so any truncation
         * makes the IP header invalid. */
        CHECK_EQ(flow.nw_src, 0);
        CHECK_EQ(flow.tp_src, 0);
    }

    /* Truncated VLAN tag. */
    f.len = 0;
    put_eth(&f, ETH_TYPE_VLAN);
    put_be16(&f, 10);
    extract(&f, f.len, &flow);
    CHECK_EQ(flow.vlan_tci, 0);
    CHECK_EQ(ntohs(flow.dl_type), ETH_TYPE_VLAN);

    /* ARP one byte short. */
    f.len = 0;
    put_eth(&f, ETH_TYPE_ARP);
    put_be16(&f, ARP_HTYPE_ETH);
    put_be16(&f, ETH_TYPE_IP);
    put_u8(&f, 6);
    put_u8(&f, 4);
    put_be16(&f, ARP_OP_REQUEST);
    for (int i = 0; i < 19; i++) {
        put_u8(&f, 1);
    }
    extract(&f, f.len, &flow);
    CHECK_EQ(flow.nw_proto, 0);

    /* IPv6 payload length beyond the frame. */
    f.len = 0;
    put_eth(&f, ETH_TYPE_IPV6);
    put_ipv6(&f, IPPROTO_UDP, 100);
    put_udp(&f, 0);
    extract(&f, f.len, &flow);
    CHECK_EQ(flow.nw_proto, 0);
    CHECK_EQ(flow.ipv6_src.s6_addr[0], 0);
}

static void
test_helpers(void)
{
    /* RFC 1071 style check on a well-known IPv4 header. */
    static const uint8_t hdr[] = {
        0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
        0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
    };
    struct ds s = DS_EMPTY_INITIALIZER;
    struct eth_addr ea, ea2;
    uint8_t *bytes;
    size_t len;

    CHECK_EQ(ntohs(csum(hdr, sizeof hdr)), 0xb861);
    CHECK_EQ(ntohs(csum("\x01", 1)), 0xfeff);

    CHECK(eth_addr_from_string("00:11:22:33:44:55", &ea));
    CHECK(eth_addr_equals(&ea, &mac_a));
    CHECK(!eth_addr_from_string("00:11:22:33:44", &ea));
    CHECK(!eth_addr_from_string("00:11:22:33:44:55:66", &ea));
    eth_format(&s, &mac_b);
    ds_put_char(&s, ' ');
    ip_format(&s, htonl(IP_B));
    ds_put_char(&s, ' ');
    ipv6_format(&s, &(struct in6_addr) { .s6_addr = { 0x20, 0x01, 0x0d, 0xb8,
                                                      [15] = 1 } });
    CHECK(!strcmp(ds_cstr(&s), "66:77:88:99:aa:bb 10.0.0.2 2001:db8::1"));
    ds_clear(&s);

    eth_addr_random(&ea, 42);
    eth_addr_random(&ea2, 42);
    CHECK(eth_addr_equals(&ea, &ea2));
    CHECK(!eth_addr_is_multicast(&ea));
    CHECK(ea.ea[0] & 2);

    bytes = packet_from_hex("0a0B ff", &len);
    CHECK(bytes && len == 3 && bytes[1] == 0x0b && bytes[2] == 0xff);
    if (bytes) {
        packet_to_hex(&s, bytes, len);
        CHECK(!strcmp(ds_cstr(&s), "0a0bff"));
    }
    free(bytes);
    CHECK(!packet_from_hex("0a0", &len));
    CHECK(!packet_from_hex("zz", &len));
    CHECK(!packet_from_hex("", &len));
    ds_destroy(&s);
}

/* True if the TCP/UDP checksum of the frame in 'f' (IPv4 or IPv6 with no
 * VLAN, L4 at 'l4_ofs') verifies: the sum over the pseudo-header and the
 * segment, checksum included, is all ones. */
static bool
l4_csum_ok(const struct frame *f, size_t l4_ofs)
{
    const uint8_t *l3 = f->buf + ETH_HEADER_LEN;
    size_t l4_len = f->len - l4_ofs;
    uint32_t sum;

    if (IP_VER(l3[0]) == IP_VERSION) {
        struct ip_header ip;

        memcpy(&ip, l3, sizeof ip);
        sum = packet_csum_pseudoheader(&ip, l4_len);
    } else {
        struct ipv6_header ip6;

        memcpy(&ip6, l3, sizeof ip6);
        sum = packet_csum_pseudoheader6(&ip6, ip6.ip6_nxt, l4_len);
    }
    return csum_finish(csum_continue(sum, f->buf + l4_ofs, l4_len)) == 0;
}

static void
test_l4_csum(void)
{
    struct frame f = { .len = 0 };
    size_t l4 = ETH_HEADER_LEN + IP_HEADER_LEN;

    /* IPv4/TCP with a garbage checksum (as offload leaves it). */
    build_tcp4(&f);
    put(&f, "payload", 7);
    f.buf[ETH_HEADER_LEN + 3] += 7;     /* ip_tot_len; low byte, no carry. */
    f.buf[l4 + 16] = 0x12;
    CHECK(!l4_csum_ok(&f, l4));
    packet_complete_l4_csum(f.buf, f.len);
    CHECK(l4_csum_ok(&f, l4));

    /* IPv4/UDP. */
    f.len = 0;
    put_eth(&f, ETH_TYPE_IP);
    put_ipv4(&f, IPPROTO_UDP, UDP_HEADER_LEN + 3, 0);
    put_udp(&f, 3);
    put(&f, "abc", 3);
    CHECK(!l4_csum_ok(&f, l4));
    packet_complete_l4_csum(f.buf, f.len);
    CHECK(l4_csum_ok(&f, l4));

    /* IPv6/TCP. */
    f.len = 0;
    put_eth(&f, ETH_TYPE_IPV6);
    put_ipv6(&f, IPPROTO_TCP, TCP_HEADER_LEN);
    put_tcp(&f, TCP_SYN);
    l4 = ETH_HEADER_LEN + IPV6_HEADER_LEN;
    CHECK(!l4_csum_ok(&f, l4));
    packet_complete_l4_csum(f.buf, f.len);
    CHECK(l4_csum_ok(&f, l4));

    /* A truncated frame is left alone. */
    {
        struct frame g = f;

        packet_complete_l4_csum(g.buf, g.len - 1);
        CHECK(!memcmp(g.buf, f.buf, f.len));
    }
}

/* An NSH header: base header (flags, TTL, Length in words, MD type, next
 * protocol) and service path. */
static void
put_nsh(struct frame *f, uint8_t ver, uint8_t flags, uint8_t ttl,
        uint8_t words, uint8_t mdtype, uint8_t np, uint32_t spi, uint8_t si)
{
    put_u8(f, ver << 6 | flags << 4 | ttl >> 2);
    put_u8(f, (ttl & 3) << 6 | words);
    put_u8(f, mdtype);
    put_u8(f, np);
    put_be32(f, spi << 8 | si);
}

/* MD type 1 and 2 headers, malformed ones, and every prefix of a good
 * one, parsed and rewritten in buffers of exactly their length (ASan). */
static void
test_nsh(void)
{
    struct frame f = { .len = 0 };
    struct flow flow;

    put_eth(&f, ETH_TYPE_NSH);
    put_nsh(&f, 0, 2, 63, 6, NSH_MDTYPE_1, NSH_NP_ETHERNET, 0xabcdef, 7);
    for (int i = 1; i <= 4; i++) {
        put_be32(&f, 0x11111111 * i);
    }
    extract(&f, f.len, &flow);
    CHECK_EQ(ntohs(flow.dl_type), ETH_TYPE_NSH);
    CHECK_EQ(flow.nsh.flags, 2);
    CHECK_EQ(flow.nsh.ttl, 63);
    CHECK_EQ(flow.nsh.mdtype, NSH_MDTYPE_1);
    CHECK_EQ(flow.nsh.np, NSH_NP_ETHERNET);
    CHECK_EQ(ntohl(flow.nsh.path), 0xabcdef07);
    CHECK_EQ(ntohl(flow.nsh.c[3]), 0x44444444);

    for (size_t len = ETH_HEADER_LEN; len < f.len; len++) {
        struct flow_nsh nsh = { .ttl = 1, .mdtype = 1 };
        uint8_t *copy = xmalloc(len);
        memcpy(copy, f.buf, len);
        extract(&f, len, &flow);
        CHECK_EQ(flow.nsh.mdtype, 0);
        CHECK_EQ(flow.nsh.path, 0);
        nsh_write(copy + ETH_HEADER_LEN, len - ETH_HEADER_LEN, &nsh);
        CHECK(!memcmp(copy, f.buf, len));
        free(copy);
    }

    /* A rewrite keeps the version, Length and MD type. */
    struct flow_nsh nsh = { .flags = 1, .ttl = 5, .mdtype = 9, .np = 9,
                            .path = htonl(0x12345678),
                            .c = { htonl(1), htonl(2), htonl(3), htonl(4) } };
    nsh_write(f.buf + ETH_HEADER_LEN, f.len - ETH_HEADER_LEN, &nsh);
    extract(&f, f.len, &flow);
    CHECK_EQ(flow.nsh.flags, 1);
    CHECK_EQ(flow.nsh.ttl, 5);
    CHECK_EQ(flow.nsh.mdtype, NSH_MDTYPE_1);
    CHECK_EQ(flow.nsh.np, NSH_NP_ETHERNET);
    CHECK_EQ(ntohl(flow.nsh.path), 0x12345678);
    CHECK_EQ(ntohl(flow.nsh.c[0]), 1);

    /* MD type 2: base fields only, whatever the TLVs say. */
    f.len = 0;
    put_eth(&f, ETH_TYPE_NSH);
    put_nsh(&f, 0, 0, 10, 4, NSH_MDTYPE_2, NSH_NP_IPV4, 5, 6);
    put_be32(&f, 0x10000a7f);       /* TLV length 127, past the header. */
    put_be32(&f, 0xffffffff);
    extract(&f, f.len, &flow);
    CHECK_EQ(flow.nsh.mdtype, NSH_MDTYPE_2);
    CHECK_EQ(flow.nsh.ttl, 10);
    CHECK_EQ(ntohl(flow.nsh.path), 0x506);
    CHECK_EQ(flow.nsh.c[0], 0);

    /* Malformed: version 1, Length past the frame, MD type 1 with the
     * wrong Length, Length below the base header, MD type 0. */
    static const struct {
        uint8_t ver, words, mdtype;
    } bad[] = {
        { 1, 6, 1 }, { 0, 7, 1 }, { 0, 2, 1 }, { 0, 1, 2 }, { 0, 6, 0 },
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        f.len = 0;
        put_eth(&f, ETH_TYPE_NSH);
        put_nsh(&f, bad[i].ver, 3, 63, bad[i].words, bad[i].mdtype, 3, 1, 1);
        for (int j = 0; j < 4; j++) {
            put_be32(&f, 0xffffffff);
        }
        extract(&f, f.len, &flow);
        CHECK_EQ(flow.nsh.flags, 0);
        CHECK_EQ(flow.nsh.mdtype, 0);
        CHECK_EQ(flow.nsh.path, 0);
    }
}

static const struct {
    const char *name;
    void (*run)(void);
} cases[] = {
    { "tcp4", test_tcp4 },
    { "vlan-udp4", test_vlan_udp4 },
    { "icmp4", test_icmp4 },
    { "arp", test_arp },
    { "tcp6-ext", test_tcp6_ext },
    { "nd", test_nd },
    { "frag", test_frag },
    { "llc", test_llc },
    { "malformed", test_malformed },
    { "truncated", test_truncated },
    { "helpers", test_helpers },
    { "l4-csum", test_l4_csum },
    { "nsh", test_nsh },
};

int
main(int argc, char *argv[])
{
    xvs_set_program_name(argv[0]);
    if (argc != 2) {
        xvs_fatal(0, "usage: %s CASE", program_name);
    }
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        if (!strcmp(argv[1], cases[i].name)) {
            cases[i].run();
            return failures ? 1 : 0;
        }
    }
    xvs_fatal(0, "unknown case \"%s\"", argv[1]);
}
