#include <config.h>
#include "tnl-header.h"

#include <arpa/inet.h>
#include <endian.h>
#include <string.h>
#include "packets.h"

struct geneve_header {
    uint8_t ver_optlen;         /* Version 2 bits, option words 6. */
    uint8_t flags;              /* O, C, 6 reserved. */
    uint16_t proto;
    uint8_t vni[3];
    uint8_t reserved;
} __attribute__((packed));

#define GENEVE_F_OAM 0x80
#define GENEVE_F_CRITICAL 0x40

struct geneve_opt {
    uint16_t opt_class;
    uint8_t type;
    uint8_t len;                /* 3 reserved bits, 5 bits of words. */
} __attribute__((packed));

struct vxlan_header {
    uint8_t flags;
    uint8_t reserved1[3];
    uint8_t vni[3];
    uint8_t reserved2;
} __attribute__((packed));

#define GRE_F_CSUM 0x8000
#define GRE_F_ROUTING 0x4000
#define GRE_F_KEY 0x2000
#define GRE_F_SEQ 0x1000
#define GRE_VERSION 0x0007

const char *
tnl_type_name(enum tnl_type type)
{
    switch (type) {
    case TNL_GENEVE: return "geneve";
    case TNL_VXLAN: return "vxlan";
    case TNL_GRE: return "gre";
    }
    return "?";
}

const char *
tnl_drop_name(enum tnl_drop drop)
{
    switch (drop) {
    case TNL_DROP_MALFORMED: return "malformed";
    case TNL_DROP_VERSION: return "bad version";
    case TNL_DROP_CRITICAL: return "unknown critical option";
    case TNL_DROP_PROTOCOL: return "not Ethernet";
    }
    return "?";
}

static uint32_t
get_vni(const uint8_t vni[3])
{
    return (uint32_t) vni[0] << 16 | vni[1] << 8 | vni[2];
}

static void
put_vni(uint8_t vni[3], uint32_t key)
{
    vni[0] = key >> 16;
    vni[1] = key >> 8;
    vni[2] = key;
}

/* The tun_metadataN that option (class, type, len) maps to, or -1. */
static int
geneve_find_mapping(const struct tnl_opt_map *map, uint16_t opt_class,
                    uint8_t type, unsigned int len)
{
    for (uint64_t m = map->mapped; m; m &= m - 1) {
        int idx = __builtin_ctzll(m);
        if (map->option_class[idx] == opt_class
            && map->option_type[idx] == type
            && map->layout.len[idx] == len) {
            return idx;
        }
    }
    return -1;
}

int
tnl_geneve_parse(const void *hdr_, size_t len, const struct tnl_opt_map *map,
                 struct flow_tnl *tnl)
{
    const uint8_t *hdr = hdr_;
    const struct geneve_header *gh = hdr_;

    memset(tnl, 0, sizeof *tnl);
    if (len < TNL_GENEVE_HLEN) {
        return -TNL_DROP_MALFORMED;
    }
    if (gh->ver_optlen >> 6) {
        return -TNL_DROP_VERSION;
    }
    size_t opt_len = (gh->ver_optlen & 0x3f) * 4;
    if (TNL_GENEVE_HLEN + opt_len > len) {
        return -TNL_DROP_MALFORMED;
    }
    if (ntohs(gh->proto) != TNL_ETH_BRIDGING) {
        return -TNL_DROP_PROTOCOL;
    }
    tnl->tun_id = htobe64(get_vni(gh->vni));
    if (gh->flags & GENEVE_F_OAM) {
        tnl->flags |= FLOW_TNL_F_OAM;
    }

    const uint8_t *opt = hdr + TNL_GENEVE_HLEN;
    const uint8_t *end = opt + opt_len;
    while (opt < end) {
        const struct geneve_opt *o = (const struct geneve_opt *) opt;
        if (end - opt < (ptrdiff_t) sizeof *o) {
            return -TNL_DROP_MALFORMED;
        }
        size_t data_len = (o->len & 0x1f) * 4;
        const uint8_t *data = opt + sizeof *o;
        if (data_len > (size_t) (end - data)) {
            return -TNL_DROP_MALFORMED;
        }
        int idx = map ? geneve_find_mapping(map, ntohs(o->opt_class),
                                            o->type, data_len) : -1;
        if (!map) {
            /* Only checking the lengths. */
        } else if (idx >= 0) {
            memcpy(&tnl->md[map->layout.ofs[idx]], data, data_len);
            tnl->md_present |= UINT64_C(1) << idx;
        } else if (o->type & TNL_GENEVE_CRITICAL) {
            return -TNL_DROP_CRITICAL;
        }
        opt = data + data_len;
    }
    return TNL_GENEVE_HLEN + opt_len;
}

size_t
tnl_geneve_build(void *buf, const struct flow_tnl *tnl, uint32_t key,
                 const struct tnl_opt_map *map)
{
    struct geneve_header *gh = buf;
    uint8_t *opt = (uint8_t *) buf + TNL_GENEVE_HLEN;
    bool critical = false;

    for (uint64_t m = tnl->md_present & map->mapped; m; m &= m - 1) {
        int idx = __builtin_ctzll(m);
        size_t data_len = map->layout.len[idx];
        struct geneve_opt *o = (struct geneve_opt *) opt;
        if (opt + sizeof *o + data_len
            > (uint8_t *) buf + TNL_GENEVE_HLEN + TNL_GENEVE_OPT_SPACE
            || data_len % 4) {
            continue;
        }
        o->opt_class = htons(map->option_class[idx]);
        o->type = map->option_type[idx];
        o->len = data_len / 4;
        memcpy(opt + sizeof *o, &tnl->md[map->layout.ofs[idx]], data_len);
        critical |= (o->type & TNL_GENEVE_CRITICAL) != 0;
        opt += sizeof *o + data_len;
    }
    size_t opt_len = opt - ((uint8_t *) buf + TNL_GENEVE_HLEN);
    gh->ver_optlen = opt_len / 4;
    gh->flags = ((tnl->flags & FLOW_TNL_F_OAM ? GENEVE_F_OAM : 0)
                 | (critical ? GENEVE_F_CRITICAL : 0));
    gh->proto = htons(TNL_ETH_BRIDGING);
    put_vni(gh->vni, key);
    gh->reserved = 0;
    return TNL_GENEVE_HLEN + opt_len;
}

int
tnl_vxlan_parse(const void *hdr, size_t len, struct flow_tnl *tnl)
{
    const struct vxlan_header *vh = hdr;

    memset(tnl, 0, sizeof *tnl);
    /* RFC 7348: the I flag must be set; reserved bits are ignored. */
    if (len < TNL_VXLAN_HLEN || !(vh->flags & TNL_VXLAN_FLAG_I)) {
        return -TNL_DROP_MALFORMED;
    }
    tnl->tun_id = htobe64(get_vni(vh->vni));
    return TNL_VXLAN_HLEN;
}

size_t
tnl_vxlan_build(void *buf, uint32_t key)
{
    struct vxlan_header *vh = buf;

    memset(vh, 0, sizeof *vh);
    vh->flags = TNL_VXLAN_FLAG_I;
    put_vni(vh->vni, key);
    return TNL_VXLAN_HLEN;
}

int
tnl_gre_parse(const void *hdr_, size_t len, struct flow_tnl *tnl)
{
    const uint8_t *hdr = hdr_;

    memset(tnl, 0, sizeof *tnl);
    if (len < 4) {
        return -TNL_DROP_MALFORMED;
    }
    uint16_t flags = hdr[0] << 8 | hdr[1];
    uint16_t proto = hdr[2] << 8 | hdr[3];
    if (flags & GRE_VERSION) {
        return -TNL_DROP_VERSION;
    }
    if (flags & GRE_F_ROUTING) {
        return -TNL_DROP_MALFORMED;
    }
    size_t hlen = 4 + (flags & GRE_F_CSUM ? 4 : 0) + (flags & GRE_F_KEY ? 4 : 0)
                  + (flags & GRE_F_SEQ ? 4 : 0);
    if (hlen > len) {
        return -TNL_DROP_MALFORMED;
    }
    if (flags & GRE_F_CSUM && csum(hdr, len)) {
        return -TNL_DROP_MALFORMED;
    }
    if (proto != TNL_ETH_BRIDGING) {
        return -TNL_DROP_PROTOCOL;
    }
    if (flags & GRE_F_KEY) {
        size_t ofs = flags & GRE_F_CSUM ? 8 : 4;
        uint32_t key = (uint32_t) hdr[ofs] << 24 | hdr[ofs + 1] << 16
                       | hdr[ofs + 2] << 8 | hdr[ofs + 3];
        tnl->tun_id = htobe64(key);
    }
    return hlen;
}

size_t
tnl_gre_build(void *buf, uint32_t key, bool with_key, bool with_csum,
              const void *payload, size_t payload_len)
{
    uint8_t *h = buf;
    uint16_t flags = (with_csum ? GRE_F_CSUM : 0) | (with_key ? GRE_F_KEY : 0);
    size_t n = 4;

    h[0] = flags >> 8;
    h[1] = flags;
    h[2] = TNL_ETH_BRIDGING >> 8;
    h[3] = TNL_ETH_BRIDGING & 0xff;
    if (with_csum) {
        memset(&h[n], 0, 4);
        n += 4;
    }
    if (with_key) {
        uint32_t k = htonl(key);
        memcpy(&h[n], &k, 4);
        n += 4;
    }
    if (with_csum) {
        uint32_t sum = csum_continue(0, h, n);
        sum = csum_continue(sum, payload, payload_len);
        uint16_t c = csum_finish(sum);
        memcpy(&h[4], &c, 2);
    }
    return n;
}

static size_t
icmp4_too_big(const uint8_t *frame, size_t len, unsigned int mtu,
              uint8_t *out)
{
    const struct ip_header *ip = (const struct ip_header *) (frame
                                                             + ETH_HEADER_LEN);
    size_t l3_len = len - ETH_HEADER_LEN;
    size_t ihl = IP_IHL(ip->ip_ihl_ver) * 4;
    uint16_t frag = ntohs(ip->ip_frag_off);

    if (l3_len < sizeof *ip || ihl < sizeof *ip || ihl > l3_len
        || !(frag & 0x4000) || frag & 0x1fff) {
        return 0;
    }
    if (ip->ip_proto == IPPROTO_ICMP) {
        /* Errors about errors are never sent (RFC 1122 3.2.2). */
        if (l3_len < ihl + 1) {
            return 0;
        }
        uint8_t type = frame[ETH_HEADER_LEN + ihl];
        if (type != 0 && type != 8 && type != 13 && type != 14) {
            return 0;
        }
    }
    /* RFC 1812 4.3.2.3: as much as fits in 576 bytes. */
    size_t quote = XVS_MIN(l3_len, 576 - sizeof *ip - ICMP_HEADER_LEN);
    uint8_t *p = out;

    memcpy(p, frame + ETH_ADDR_LEN, ETH_ADDR_LEN);
    memcpy(p + ETH_ADDR_LEN, frame, ETH_ADDR_LEN);
    p[12] = ETH_TYPE_IP >> 8;
    p[13] = ETH_TYPE_IP & 0xff;
    p += ETH_HEADER_LEN;

    struct ip_header *oip = (struct ip_header *) p;
    memset(oip, 0, sizeof *oip);
    oip->ip_ihl_ver = 0x45;
    oip->ip_tos = 0xc0;             /* Internetwork control. */
    oip->ip_tot_len = htons(sizeof *oip + ICMP_HEADER_LEN + quote);
    oip->ip_ttl = 64;
    oip->ip_proto = IPPROTO_ICMP;
    oip->ip_src = ip->ip_dst;
    oip->ip_dst = ip->ip_src;
    oip->ip_csum = csum(oip, sizeof *oip);
    p += sizeof *oip;

    struct icmp_header *icmp = (struct icmp_header *) p;
    icmp->icmp_type = 3;            /* Destination unreachable: */
    icmp->icmp_code = 4;            /* fragmentation needed and DF set. */
    icmp->icmp_csum = 0;
    icmp->icmp_rest = htonl(XVS_MIN(mtu, 0xffff));
    memcpy(p + ICMP_HEADER_LEN, ip, quote);
    icmp->icmp_csum = csum(icmp, ICMP_HEADER_LEN + quote);
    return ETH_HEADER_LEN + sizeof *oip + ICMP_HEADER_LEN + quote;
}

static size_t
icmp6_too_big(const uint8_t *frame, size_t len, unsigned int mtu,
              uint8_t *out)
{
    const struct ipv6_header *ip6 = (const struct ipv6_header *)
                                    (frame + ETH_HEADER_LEN);
    size_t l3_len = len - ETH_HEADER_LEN;

    if (l3_len < IPV6_HEADER_LEN) {
        return 0;
    }
    if (ip6->ip6_nxt == IPPROTO_ICMPV6
        && (l3_len < IPV6_HEADER_LEN + 1
            || frame[ETH_HEADER_LEN + IPV6_HEADER_LEN] < 128)) {
        return 0;
    }
    size_t quote = XVS_MIN(l3_len, 1280 - IPV6_HEADER_LEN - 8);
    uint8_t *p = out;

    memcpy(p, frame + ETH_ADDR_LEN, ETH_ADDR_LEN);
    memcpy(p + ETH_ADDR_LEN, frame, ETH_ADDR_LEN);
    p[12] = ETH_TYPE_IPV6 >> 8;
    p[13] = ETH_TYPE_IPV6 & 0xff;
    p += ETH_HEADER_LEN;

    struct ipv6_header *oip6 = (struct ipv6_header *) p;
    oip6->ip6_vtcflow = htonl(6 << 28);
    oip6->ip6_plen = htons(8 + quote);
    oip6->ip6_nxt = IPPROTO_ICMPV6;
    oip6->ip6_hlim = 64;
    oip6->ip6_src = ip6->ip6_dst;
    oip6->ip6_dst = ip6->ip6_src;
    p += IPV6_HEADER_LEN;

    /* Packet too big: type 2, code 0, checksum, MTU (32 bits). */
    uint32_t mtu_be = htonl(mtu < 1280 ? 1280 : mtu);
    p[0] = 2;
    p[1] = 0;
    p[2] = p[3] = 0;
    memcpy(p + 4, &mtu_be, 4);
    memcpy(p + 8, ip6, quote);
    uint32_t sum = packet_csum_pseudoheader6(oip6, IPPROTO_ICMPV6, 8 + quote);
    uint16_t c = csum_finish(csum_continue(sum, p, 8 + quote));
    memcpy(p + 2, &c, 2);
    return ETH_HEADER_LEN + IPV6_HEADER_LEN + 8 + quote;
}

size_t
tnl_icmp_too_big(const void *frame_, size_t len, unsigned int mtu, void *out)
{
    const uint8_t *frame = frame_;

    if (len < ETH_HEADER_LEN) {
        return 0;
    }
    uint16_t type = frame[12] << 8 | frame[13];
    return (type == ETH_TYPE_IP ? icmp4_too_big(frame, len, mtu, out)
            : type == ETH_TYPE_IPV6 ? icmp6_too_big(frame, len, mtu, out)
            : 0);
}

uint32_t
tnl_flow_hash(const void *frame_, size_t len)
{
    const uint8_t *frame = frame_;
    uint32_t hash = 0;

    if (len < ETH_HEADER_LEN) {
        return hash_bytes(frame, len, 0);
    }
    hash = hash_bytes(frame, 2 * ETH_ADDR_LEN, 0);
    uint16_t type = frame[12] << 8 | frame[13];
    const uint8_t *l3 = frame + ETH_HEADER_LEN;
    size_t l3_len = len - ETH_HEADER_LEN;
    const uint8_t *l4 = NULL;
    uint8_t proto = 0;

    if (type == ETH_TYPE_IP && l3_len >= sizeof(struct ip_header)) {
        const struct ip_header *ip = (const struct ip_header *) l3;
        size_t ihl = IP_IHL(ip->ip_ihl_ver) * 4;
        hash = hash_bytes(&ip->ip_src, 8, hash);
        proto = ip->ip_proto;
        if (!(ntohs(ip->ip_frag_off) & 0x1fff) && ihl >= 20
            && l3_len >= ihl + 4) {
            l4 = l3 + ihl;
        }
    } else if (type == ETH_TYPE_IPV6 && l3_len >= IPV6_HEADER_LEN) {
        const struct ipv6_header *ip6 = (const struct ipv6_header *) l3;
        hash = hash_bytes(&ip6->ip6_src, 32, hash);
        proto = ip6->ip6_nxt;
        if (l3_len >= IPV6_HEADER_LEN + 4) {
            l4 = l3 + IPV6_HEADER_LEN;
        }
    }
    hash = hash_add(hash, proto);
    if (l4 && (proto == IPPROTO_TCP || proto == IPPROTO_UDP
               || proto == IPPROTO_SCTP)) {
        hash = hash_bytes(l4, 4, hash);
    }
    return hash_finish(hash, 0);
}
