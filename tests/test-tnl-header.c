/* test-tnl-header: datapath/tnl-header.h on hand-made headers: Geneve
 * options mapped, skipped and refused, every malformed case of each
 * encapsulation, build/parse round trips, the ICMP answers of path MTU
 * discovery, and every parse of every
 * truncation of a good header reading only what it was given (each is
 * parsed from a buffer of exactly that size, for AddressSanitizer).
 * Prints nothing and exits 0, or prints the failures and exits 1. */
#include <config.h>

#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "datapath/tnl-header.h"
#include "packets.h"
#include "util.h"

static int failures;

#define CHECK_EQ(A, B)                                                    \
    do {                                                                  \
        long long a_ = (A), b_ = (B);                                     \
        if (a_ != b_) {                                                   \
            fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n",   \
                    __FILE__, __LINE__, #A, a_, #B, b_);                  \
            failures++;                                                   \
        }                                                                 \
    } while (0)

/* The inner frame every packet carries. */
static const uint8_t inner[20] = {
    0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x02, 0x08, 0x00,
};

/* tun_metadata0: OVN's class 0x102 type 0x80, 4 bytes at offset 8;
 * tun_metadata3: class 0xffff type 0x01, 8 bytes at offset 16. */
static void
make_map(struct tnl_opt_map *map)
{
    memset(map, 0, sizeof *map);
    map->mapped = 1 << 0 | 1 << 3;
    map->option_class[0] = 0x0102;
    map->option_type[0] = 0x80;
    map->layout.ofs[0] = 8;
    map->layout.len[0] = 4;
    map->option_class[3] = 0xffff;
    map->option_type[3] = 0x01;
    map->layout.ofs[3] = 16;
    map->layout.len[3] = 8;
}

/* Appends 'n' bytes to 'buf' at '*len'. */
static void
put(uint8_t *buf, size_t *len, const void *data, size_t n)
{
    memcpy(buf + *len, data, n);
    *len += n;
}

/* A Geneve header with 'words' of option length ('opts' as given) and
 * the inner frame after it. */
static size_t
make_geneve(uint8_t *buf, int ver, int words, uint16_t proto,
            const uint8_t *opts, size_t opts_len)
{
    size_t len = 0;
    uint8_t h[8] = { ver << 6 | words, 0, proto >> 8, proto & 0xff,
                     0x12, 0x34, 0x56, 0 };
    put(buf, &len, h, sizeof h);
    put(buf, &len, opts, opts_len);
    put(buf, &len, inner, sizeof inner);
    return len;
}

/* Parses 'len' bytes of 'buf' from a buffer of exactly that size. */
static int
parse_exact(enum tnl_type type, const uint8_t *buf, size_t len,
            const struct tnl_opt_map *map, struct flow_tnl *tnl)
{
    uint8_t *copy = xmalloc(len ? len : 1);
    memcpy(copy, buf, len);
    int r = (type == TNL_GENEVE ? tnl_geneve_parse(copy, len, map, tnl)
             : type == TNL_VXLAN ? tnl_vxlan_parse(copy, len, tnl)
             : tnl_gre_parse(copy, len, tnl));
    free(copy);
    return r;
}

/* Every truncation parses without reading past it; those that cut the
 * header itself are malformed. */
static void
check_truncations(enum tnl_type type, const uint8_t *buf, size_t hlen,
                  const struct tnl_opt_map *map)
{
    struct flow_tnl tnl;
    for (size_t n = 0; n < hlen; n++) {
        CHECK_EQ(parse_exact(type, buf, n, map, &tnl), -TNL_DROP_MALFORMED);
    }
}

static void
test_geneve(void)
{
    static const uint8_t ovn[] = { 0x01, 0x02, 0x80, 0x01, 0, 1, 0, 2 };
    static const uint8_t other[] = { 0x09, 0x99, 0x01, 0x01, 1, 2, 3, 4 };
    static const uint8_t crit[] = { 0x09, 0x99, 0x81, 0x01, 1, 2, 3, 4 };
    /* OVN's class and type but 8 bytes: not the mapping, and critical. */
    static const uint8_t ovn_long[] = { 0x01, 0x02, 0x80, 0x02,
                                        0, 0, 0, 0, 0, 0, 0, 0 };
    /* An option whose length (2 words) runs past the options (1 word). */
    static const uint8_t over[] = { 0x01, 0x02, 0x00, 0x02 };
    struct tnl_opt_map map;
    struct flow_tnl tnl;
    uint8_t buf[512], opts[64];
    size_t len, n;

    make_map(&map);

    /* Mapped and unknown non-critical options. */
    n = 0;
    put(opts, &n, ovn, sizeof ovn);
    put(opts, &n, other, sizeof other);
    len = make_geneve(buf, 0, n / 4, 0x6558, opts, n);
    CHECK_EQ(parse_exact(TNL_GENEVE, buf, len, &map, &tnl), 8 + 16);
    CHECK_EQ(be64toh(tnl.tun_id), 0x123456);
    CHECK_EQ(tnl.md_present, 1);
    CHECK_EQ(tnl.md[8] << 24 | tnl.md[9] << 16 | tnl.md[10] << 8 | tnl.md[11],
             0x00010002);
    check_truncations(TNL_GENEVE, buf, 8 + 16, &map);
    /* Without a map: only lengths are checked. */
    CHECK_EQ(parse_exact(TNL_GENEVE, buf, len, NULL, &tnl), 8 + 16);
    CHECK_EQ(tnl.md_present, 0);

    /* Unknown critical options, also one known but of another length. */
    len = make_geneve(buf, 0, 2, 0x6558, crit, sizeof crit);
    CHECK_EQ(parse_exact(TNL_GENEVE, buf, len, &map, &tnl),
             -TNL_DROP_CRITICAL);
    len = make_geneve(buf, 0, 3, 0x6558, ovn_long, sizeof ovn_long);
    CHECK_EQ(parse_exact(TNL_GENEVE, buf, len, &map, &tnl),
             -TNL_DROP_CRITICAL);

    /* Malformed: version, options beyond the packet, option overrun,
     * payload type. */
    len = make_geneve(buf, 1, 2, 0x6558, ovn, sizeof ovn);
    CHECK_EQ(parse_exact(TNL_GENEVE, buf, len, &map, &tnl),
             -TNL_DROP_VERSION);
    len = make_geneve(buf, 0, 63, 0x6558, ovn, sizeof ovn);
    CHECK_EQ(parse_exact(TNL_GENEVE, buf, len, &map, &tnl),
             -TNL_DROP_MALFORMED);
    len = make_geneve(buf, 0, 1, 0x6558, over, sizeof over);
    CHECK_EQ(parse_exact(TNL_GENEVE, buf, len, &map, &tnl),
             -TNL_DROP_MALFORMED);
    len = make_geneve(buf, 0, 2, 0x0800, ovn, sizeof ovn);
    CHECK_EQ(parse_exact(TNL_GENEVE, buf, len, &map, &tnl),
             -TNL_DROP_PROTOCOL);

    /* Build, then parse: every mapped option present, in order. */
    memset(&tnl, 0, sizeof tnl);
    tnl.md_present = 1 << 0 | 1 << 3 | 1 << 5;  /* 5 is not mapped. */
    memcpy(&tnl.md[8], "\x00\x02\x00\x01", 4);
    memcpy(&tnl.md[16], "abcdefgh", 8);
    tnl.flags = FLOW_TNL_F_OAM;
    n = tnl_geneve_build(buf, &tnl, 0xabcdef, &map);
    CHECK_EQ(n, 8 + 8 + 12);
    CHECK_EQ(buf[0], 5);                    /* Version 0, 5 words. */
    CHECK_EQ(buf[1], 0x80 | 0x40);          /* O, C (0x80 is critical). */
    memcpy(buf + n, inner, sizeof inner);
    struct flow_tnl back;
    CHECK_EQ(parse_exact(TNL_GENEVE, buf, n + sizeof inner, &map, &back), n);
    CHECK_EQ(be64toh(back.tun_id), 0xabcdef);
    CHECK_EQ(back.flags, FLOW_TNL_F_OAM);
    CHECK_EQ(back.md_present, 1 << 0 | 1 << 3);
    CHECK_EQ(memcmp(back.md, tnl.md, sizeof tnl.md) != 0, 0);
}

static void
test_vxlan(void)
{
    uint8_t buf[64];
    struct flow_tnl tnl;
    size_t n = tnl_vxlan_build(buf, 0x00fedcba);

    CHECK_EQ(n, 8);
    CHECK_EQ(buf[0], 0x08);
    memcpy(buf + n, inner, sizeof inner);
    CHECK_EQ(parse_exact(TNL_VXLAN, buf, n + sizeof inner, NULL, &tnl), 8);
    CHECK_EQ(be64toh(tnl.tun_id), 0xfedcba);
    check_truncations(TNL_VXLAN, buf, 8, NULL);
    buf[0] = 0;
    CHECK_EQ(parse_exact(TNL_VXLAN, buf, n + sizeof inner, NULL, &tnl),
             -TNL_DROP_MALFORMED);
    /* Reserved bits are ignored. */
    buf[0] = 0xff;
    CHECK_EQ(parse_exact(TNL_VXLAN, buf, n + sizeof inner, NULL, &tnl), 8);
}

static void
test_gre(void)
{
    uint8_t buf[64];
    struct flow_tnl tnl;
    size_t n;

    /* Key and checksum, round trip. */
    n = tnl_gre_build(buf, 0xdeadbeef, true, true, inner, sizeof inner);
    CHECK_EQ(n, 12);
    memcpy(buf + n, inner, sizeof inner);
    CHECK_EQ(parse_exact(TNL_GRE, buf, n + sizeof inner, NULL, &tnl), 12);
    CHECK_EQ(be64toh(tnl.tun_id), 0xdeadbeef);
    check_truncations(TNL_GRE, buf, 12, NULL);
    /* A flipped payload bit breaks the checksum. */
    buf[n + 3] ^= 1;
    CHECK_EQ(parse_exact(TNL_GRE, buf, n + sizeof inner, NULL, &tnl),
             -TNL_DROP_MALFORMED);

    /* No key: tun_id 0. */
    n = tnl_gre_build(buf, 5, false, false, inner, sizeof inner);
    CHECK_EQ(n, 4);
    memcpy(buf + n, inner, sizeof inner);
    CHECK_EQ(parse_exact(TNL_GRE, buf, n + sizeof inner, NULL, &tnl), 4);
    CHECK_EQ(tnl.tun_id, 0);

    /* Sequence numbers are skipped. */
    static const uint8_t seq[] = { 0x30, 0, 0x65, 0x58, 0, 0, 0, 7,
                                   0, 0, 0, 1 };
    memcpy(buf, seq, sizeof seq);
    memcpy(buf + sizeof seq, inner, sizeof inner);
    CHECK_EQ(parse_exact(TNL_GRE, buf, sizeof seq + sizeof inner, NULL,
                         &tnl), 12);
    CHECK_EQ(be64toh(tnl.tun_id), 7);

    /* Routing, version, payload type. */
    static const uint8_t routing[] = { 0x40, 0, 0x65, 0x58 };
    static const uint8_t version[] = { 0x00, 1, 0x65, 0x58 };
    static const uint8_t ip[] = { 0x00, 0, 0x08, 0x00 };
    CHECK_EQ(parse_exact(TNL_GRE, routing, 4, NULL, &tnl),
             -TNL_DROP_MALFORMED);
    CHECK_EQ(parse_exact(TNL_GRE, version, 4, NULL, &tnl),
             -TNL_DROP_VERSION);
    CHECK_EQ(parse_exact(TNL_GRE, ip, 4, NULL, &tnl), -TNL_DROP_PROTOCOL);
}

static void
test_icmp_too_big(void)
{
    /* An IPv4 UDP packet with DF from 10.0.0.1 to 10.0.0.2. */
    uint8_t f[14 + 20 + 8 + 1000] = {
        0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,
        0x45, 0, 0x04, 0x04, 0, 0, 0x40, 0, 64, 17, 0, 0,
        10, 0, 0, 1, 10, 0, 0, 2,
    };
    uint8_t out[TNL_ICMP_MAX];
    size_t n = tnl_icmp_too_big(f, sizeof f, 1342, out);

    /* Ethernet back to the sender, IPv4 from the destination, ICMP 3/4
     * with the MTU, the first 548 bytes of the packet quoted. */
    CHECK_EQ(n, 14 + 20 + 8 + 548);
    CHECK_EQ(memcmp(out, f + 6, 6) || memcmp(out + 6, f, 6), 0);
    CHECK_EQ(memcmp(out + 14 + 12, f + 14 + 16, 4), 0);
    CHECK_EQ(memcmp(out + 14 + 16, f + 14 + 12, 4), 0);
    CHECK_EQ(csum(out + 14, 20), 0);
    CHECK_EQ(out[34], 3);
    CHECK_EQ(out[35], 4);
    CHECK_EQ(out[40] << 8 | out[41], 1342);
    CHECK_EQ(csum(out + 34, 8 + 548), 0);
    CHECK_EQ(memcmp(out + 42, f + 14, 548), 0);

    /* No answer without DF, for ICMP errors, or for short frames. */
    f[20] = 0;
    CHECK_EQ(tnl_icmp_too_big(f, sizeof f, 1342, out), 0);
    f[20] = 0x40;
    f[23] = IPPROTO_ICMP;
    f[34] = 3;
    CHECK_EQ(tnl_icmp_too_big(f, sizeof f, 1342, out), 0);
    f[34] = 8;
    CHECK_EQ(tnl_icmp_too_big(f, sizeof f, 1342, out), 14 + 20 + 8 + 548);
    CHECK_EQ(tnl_icmp_too_big(f, 20, 1342, out), 0);

    /* IPv6: packet too big, checksummed over the pseudo-header. */
    uint8_t g[14 + 40 + 8 + 1400] = {
        0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x86, 0xdd,
        0x60, 0, 0, 0, 0x05, 0x80, 17, 64,
    };
    g[14 + 8] = 0xfd;
    g[14 + 23] = 1;
    g[14 + 24] = 0xfd;
    g[14 + 39] = 2;
    n = tnl_icmp_too_big(g, sizeof g, 1422, out);
    CHECK_EQ(n, 14 + 40 + 8 + 1232);
    CHECK_EQ(out[12] << 8 | out[13], 0x86dd);
    CHECK_EQ(out[14 + 6], IPPROTO_ICMPV6);
    CHECK_EQ(out[14 + 23], 2);      /* From the destination... */
    CHECK_EQ(out[14 + 39], 1);      /* ...to the source. */
    CHECK_EQ(out[54], 2);
    CHECK_EQ(out[58] << 24 | out[59] << 16 | out[60] << 8 | out[61], 1422);
    uint32_t sum = packet_csum_pseudoheader6(
        (const struct ipv6_header *) (out + 14), IPPROTO_ICMPV6, 8 + 1232);
    CHECK_EQ(csum_finish(csum_continue(sum, out + 54, 8 + 1232)), 0);
}

static void
test_flow_hash(void)
{
    /* IPv4 UDP frames that differ only in the source port. */
    uint8_t f[14 + 20 + 8] = {
        [12] = 0x08, [13] = 0x00, [14] = 0x45, [23] = 17,
    };
    uint32_t seen[16];
    int distinct = 0;

    for (int i = 0; i < 16; i++) {
        f[34] = 0x9c;
        f[35] = i;
        uint32_t h = tnl_flow_hash(f, sizeof f);
        CHECK_EQ(h, tnl_flow_hash(f, sizeof f));
        bool dup = false;
        for (int j = 0; j < distinct; j++) {
            dup |= seen[j] == h;
        }
        if (!dup) {
            seen[distinct++] = h;
        }
    }
    CHECK_EQ(distinct >= 15, 1);
    /* Short frames hash too. */
    tnl_flow_hash(f, 3);
}

int
main(void)
{
    test_geneve();
    test_vxlan();
    test_gre();
    test_icmp_too_big();
    test_flow_hash();
    return failures ? 1 : 0;
}
