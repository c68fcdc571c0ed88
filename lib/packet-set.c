/* packet-set: header rewrites with their checksums. */
#include <config.h>
#include "packet-set.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>
#include "nsh.h"
#include "packets.h"

/* An ICMPv6 neighbor solicitation or advertisement up to its options. */
#define ND_MSG_LEN (sizeof(struct icmp6_header) + sizeof(struct nd_msg))

#define IP_FRAG_OFF_MASK_ 0x1fff

/* ---- Differences. ---- */

static bool
is_ip(const struct flow *f)
{
    return f->dl_type == htons(ETH_TYPE_IP) || f->dl_type == htons(ETH_TYPE_IPV6);
}

/* An ICMPv6 neighbor solicitation or advertisement (flow-extract.h fills
 * nd_target and the link-layer addresses only for these). */
static bool
is_nd(const struct flow *f)
{
    return (f->dl_type == htons(ETH_TYPE_IPV6)
            && f->nw_proto == IPPROTO_ICMPV6
            && !(f->nw_frag & FLOW_NW_FRAG_LATER)
            && (f->tp_src == htons(ND_NEIGHBOR_SOLICIT)
                || f->tp_src == htons(ND_NEIGHBOR_ADVERT)));
}

static void
diff_nd(const struct flow *from, const struct flow *to,
        struct packet_set *set)
{
    if (memcmp(&from->nd_target, &to->nd_target, 16)) {
        set->fields |= PKT_SET_ND_TARGET;
        set->nd_target = to->nd_target;
    }
    if (from->tp_src == htons(ND_NEIGHBOR_SOLICIT)
        && memcmp(&from->arp_sha, &to->arp_sha, sizeof to->arp_sha)) {
        set->fields |= PKT_SET_ND_SLL;
        set->arp_sha = to->arp_sha;
    }
    if (from->tp_src == htons(ND_NEIGHBOR_ADVERT)
        && memcmp(&from->arp_tha, &to->arp_tha, sizeof to->arp_tha)) {
        set->fields |= PKT_SET_ND_TLL;
        set->arp_tha = to->arp_tha;
    }
}

/* The member of 'struct flow' each PKT_SET_* bit writes. */
static const struct {
    uint32_t field;
    size_t ofs;
    size_t len;
} set_members[] = {
#define SET_MEMBER(BIT, MEMBER) \
    { BIT, offsetof(struct flow, MEMBER), sizeof ((struct flow *) 0)->MEMBER }
    SET_MEMBER(PKT_SET_ETH_SRC, dl_src),
    SET_MEMBER(PKT_SET_ETH_DST, dl_dst),
    SET_MEMBER(PKT_SET_NW_SRC, nw_src),
    SET_MEMBER(PKT_SET_NW_DST, nw_dst),
    SET_MEMBER(PKT_SET_NW_TOS, nw_tos),
    SET_MEMBER(PKT_SET_NW_TTL, nw_ttl),
    SET_MEMBER(PKT_SET_IPV6_SRC, ipv6_src),
    SET_MEMBER(PKT_SET_IPV6_DST, ipv6_dst),
    SET_MEMBER(PKT_SET_IPV6_LABEL, ipv6_label),
    SET_MEMBER(PKT_SET_TP_SRC, tp_src),
    SET_MEMBER(PKT_SET_TP_DST, tp_dst),
    SET_MEMBER(PKT_SET_ARP_SHA, arp_sha),
    SET_MEMBER(PKT_SET_ARP_THA, arp_tha),
    SET_MEMBER(PKT_SET_ARP_OP, nw_proto),
    SET_MEMBER(PKT_SET_MPLS_LSE, mpls_lse[0]),
    SET_MEMBER(PKT_SET_ND_TARGET, nd_target),
    SET_MEMBER(PKT_SET_ND_SLL, arp_sha),
    SET_MEMBER(PKT_SET_ND_TLL, arp_tha),
    SET_MEMBER(PKT_SET_NSH, nsh),
#undef SET_MEMBER
};

void
packet_set_unwildcard(const struct packet_set *set, const struct flow *from,
                      struct flow_wildcards *wc)
{
    struct flow *m = &wc->masks;
    m->dl_type = 0xffff;
    if (is_ip(from) || from->dl_type == htons(ETH_TYPE_ARP)) {
        m->nw_proto = 0xff;
        m->nw_frag = 0xff;
    }
    if (from->dl_type == htons(ETH_TYPE_IPV6)
        && from->nw_proto == IPPROTO_ICMPV6) {
        m->tp_src = 0xffff;     /* Whether it is ND. */
    }
    if (from->dl_type == htons(ETH_TYPE_NSH)) {
        m->nsh.mdtype = 0xff;
    }
    for (size_t i = 0; i < ARRAY_SIZE(set_members); i++) {
        if (set->fields & set_members[i].field) {
            memset((uint8_t *) m + set_members[i].ofs, 0xff,
                   set_members[i].len);
        }
    }
}

bool
packet_set_diff(const struct flow *from, const struct flow *to,
                struct packet_set *set)
{
    memset(set, 0, sizeof *set);
    if (memcmp(&from->dl_src, &to->dl_src, sizeof to->dl_src)) {
        set->fields |= PKT_SET_ETH_SRC;
        set->eth_src = to->dl_src;
    }
    if (memcmp(&from->dl_dst, &to->dl_dst, sizeof to->dl_dst)) {
        set->fields |= PKT_SET_ETH_DST;
        set->eth_dst = to->dl_dst;
    }
    bool ipv4 = from->dl_type == htons(ETH_TYPE_IP);
    bool ipv6 = from->dl_type == htons(ETH_TYPE_IPV6);
    bool arp = from->dl_type == htons(ETH_TYPE_ARP);
    if ((ipv4 || arp) && from->nw_src != to->nw_src) {
        set->fields |= PKT_SET_NW_SRC;
        set->nw_src = to->nw_src;
    }
    if ((ipv4 || arp) && from->nw_dst != to->nw_dst) {
        set->fields |= PKT_SET_NW_DST;
        set->nw_dst = to->nw_dst;
    }
    if ((ipv4 || ipv6) && from->nw_tos != to->nw_tos) {
        set->fields |= PKT_SET_NW_TOS;
        set->nw_tos = to->nw_tos;
    }
    if ((ipv4 || ipv6) && from->nw_ttl != to->nw_ttl) {
        set->fields |= PKT_SET_NW_TTL;
        set->nw_ttl = to->nw_ttl;
    }
    if (ipv6 && memcmp(&from->ipv6_src, &to->ipv6_src, 16)) {
        set->fields |= PKT_SET_IPV6_SRC;
        set->ipv6_src = to->ipv6_src;
    }
    if (ipv6 && memcmp(&from->ipv6_dst, &to->ipv6_dst, 16)) {
        set->fields |= PKT_SET_IPV6_DST;
        set->ipv6_dst = to->ipv6_dst;
    }
    if (ipv6 && from->ipv6_label != to->ipv6_label) {
        set->fields |= PKT_SET_IPV6_LABEL;
        set->ipv6_label = ntohl(to->ipv6_label);
    }
    if (is_ip(from) && !(from->nw_frag & FLOW_NW_FRAG_LATER)
        && (from->nw_proto == IPPROTO_TCP || from->nw_proto == IPPROTO_UDP
            || from->nw_proto == IPPROTO_SCTP || from->nw_proto == IPPROTO_ICMP
            || from->nw_proto == IPPROTO_ICMPV6)) {
        if (from->tp_src != to->tp_src) {
            set->fields |= PKT_SET_TP_SRC;
            set->tp_src = to->tp_src;
        }
        if (from->tp_dst != to->tp_dst) {
            set->fields |= PKT_SET_TP_DST;
            set->tp_dst = to->tp_dst;
        }
    }
    if (arp && memcmp(&from->arp_sha, &to->arp_sha, sizeof to->arp_sha)) {
        set->fields |= PKT_SET_ARP_SHA;
        set->arp_sha = to->arp_sha;
    }
    if (arp && memcmp(&from->arp_tha, &to->arp_tha, sizeof to->arp_tha)) {
        set->fields |= PKT_SET_ARP_THA;
        set->arp_tha = to->arp_tha;
    }
    if (arp && from->nw_proto != to->nw_proto) {
        set->fields |= PKT_SET_ARP_OP;
        set->arp_op = to->nw_proto;
    }
    if (from->dl_type == htons(ETH_TYPE_MPLS)
        || from->dl_type == htons(ETH_TYPE_MPLS_MCAST)) {
        if (from->mpls_lse[0] != to->mpls_lse[0]) {
            set->fields |= PKT_SET_MPLS_LSE;
            set->mpls_lse = to->mpls_lse[0];
        }
    }
    if (is_nd(from)) {
        diff_nd(from, to, set);
    }
    if (from->dl_type == htons(ETH_TYPE_NSH) && from->nsh.mdtype
        && memcmp(&from->nsh, &to->nsh, sizeof to->nsh)) {
        set->fields |= PKT_SET_NSH;
        set->nsh = to->nsh;
    }
    return set->fields != 0;
}

/* ---- Checksums. ---- */

/* Updates the checksum at 'csum' for one 16-bit word changing from 'old'
 * to 'new' (both as they sit on the wire): RFC 1624's
 * HC' = ~(~HC + ~m + m'). */
static void
csum_replace16(uint8_t *csum, const void *old, const void *new)
{
    uint16_t c, o, n;
    memcpy(&c, csum, 2);
    memcpy(&o, old, 2);
    memcpy(&n, new, 2);
    uint32_t sum = (uint16_t) ~ntohs(c) + (uint16_t) ~ntohs(o) + ntohs(n);
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    c = htons((uint16_t) ~sum);
    memcpy(csum, &c, 2);
}

/* The same for 'n' bytes (even) at 'old' replaced by 'new'. */
static void
csum_replace(uint8_t *csum, const void *old, const void *new, size_t n)
{
    for (size_t i = 0; i < n; i += 2) {
        csum_replace16(csum, (const uint8_t *) old + i,
                       (const uint8_t *) new + i);
    }
}

/* Where the L4 checksum is, for a header of protocol 'proto' of 'l4_len'
 * bytes at 'l4'; whether it covers the pseudo-header; NULL if none.  A
 * zero UDP checksum over IPv4 means "none" and stays so. */
static uint8_t *
l4_csum(uint8_t *l4, size_t l4_len, uint8_t proto, bool ipv6, bool *pseudo)
{
    *pseudo = true;
    if (proto == IPPROTO_TCP && l4_len >= TCP_HEADER_LEN) {
        return l4 + offsetof(struct tcp_header, tcp_csum);
    }
    if (proto == IPPROTO_UDP && l4_len >= UDP_HEADER_LEN) {
        uint8_t *c = l4 + offsetof(struct udp_header, udp_csum);
        return (!ipv6 && !c[0] && !c[1]) ? NULL : c;
    }
    if (proto == IPPROTO_ICMPV6 && ipv6 && l4_len >= 4) {
        return l4 + 2;
    }
    if (proto == IPPROTO_ICMP && !ipv6 && l4_len >= ICMP_HEADER_LEN) {
        *pseudo = false;
        return l4 + 2;
    }
    return NULL;
}

/* CRC32c (Castagnoli, reflected), the SCTP checksum. */
static uint32_t
crc32c(const uint8_t *p, size_t n)
{
    uint32_t crc = 0xffffffff;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++) {
            crc = (crc >> 1) ^ (0x82f63b78 & -(crc & 1));
        }
    }
    return ~crc;
}

/* SCTP's checksum covers the whole packet, taken with the checksum field
 * zero, and sits in it least significant byte first. */
#define SCTP_CSUM_OFS 8

static uint32_t
sctp_crc(uint8_t *sctp, size_t len)
{
    uint8_t saved[4];
    memcpy(saved, sctp + SCTP_CSUM_OFS, 4);
    memset(sctp + SCTP_CSUM_OFS, 0, 4);
    uint32_t crc = crc32c(sctp, len);
    memcpy(sctp + SCTP_CSUM_OFS, saved, 4);
    return crc;
}

/* New ports for the SCTP packet at 'sctp'.  The checksum changes by what
 * the ports change, so a packet that came with a wrong checksum keeps it
 * wrong rather than being made to look valid. */
static void
set_sctp(uint8_t *sctp, size_t len, const struct packet_set *set)
{
    if (len < 12) {
        return;
    }
    uint32_t before = sctp_crc(sctp, len);
    if (set->fields & PKT_SET_TP_SRC) {
        memcpy(sctp, &set->tp_src, 2);
    }
    if (set->fields & PKT_SET_TP_DST) {
        memcpy(sctp + 2, &set->tp_dst, 2);
    }
    uint32_t after = sctp_crc(sctp, len);
    uint8_t *c = sctp + SCTP_CSUM_OFS;
    uint32_t stored = c[0] | c[1] << 8 | c[2] << 16 | (uint32_t) c[3] << 24;
    stored ^= before ^ after;
    for (int i = 0; i < 4; i++) {
        c[i] = stored >> (8 * i);
    }
}

/* Rewrites the L4 fields of 'set' in the header at 'l4' and keeps its
 * checksum ('csum', may be NULL) right. */
static void
set_l4(uint8_t *l4, size_t l4_len, uint8_t proto, uint8_t *csum,
       const struct packet_set *set)
{
    if (proto == IPPROTO_SCTP) {
        set_sctp(l4, l4_len, set);
    } else if (proto == IPPROTO_TCP || proto == IPPROTO_UDP) {
        if (l4_len < 4) {
            return;
        }
        if (set->fields & PKT_SET_TP_SRC) {
            if (csum) {
                csum_replace16(csum, l4, &set->tp_src);
            }
            memcpy(l4, &set->tp_src, 2);
        }
        if (set->fields & PKT_SET_TP_DST) {
            if (csum) {
                csum_replace16(csum, l4 + 2, &set->tp_dst);
            }
            memcpy(l4 + 2, &set->tp_dst, 2);
        }
    } else if (l4_len >= 2
               && set->fields & (PKT_SET_TP_SRC | PKT_SET_TP_DST)) {
        /* ICMP and ICMPv6: type and code are one checksummed word. */
        uint8_t word[2] = { l4[0], l4[1] };
        if (set->fields & PKT_SET_TP_SRC) {
            word[0] = ntohs(set->tp_src) & 0xff;
        }
        if (set->fields & PKT_SET_TP_DST) {
            word[1] = ntohs(set->tp_dst) & 0xff;
        }
        if (csum) {
            csum_replace16(csum, l4, word);
        }
        memcpy(l4, word, 2);
    }
    if ((proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6) && l4_len >= 6
        && set->fields & PKT_SET_ICMP_ID) {
        if (csum) {
            csum_replace16(csum, l4 + 4, &set->icmp_id);
        }
        memcpy(l4 + 4, &set->icmp_id, 2);
    }
}

/* UDP carries 0xffff for a computed checksum of zero. */
static void
fix_udp_zero(uint8_t *csum, uint8_t proto)
{
    if (csum && proto == IPPROTO_UDP && !csum[0] && !csum[1]) {
        csum[0] = csum[1] = 0xff;
    }
}

/* The quote of an ICMP error is rewritten within its first bytes. */
#define ICMP_QUOTE_MAX 128

/* Writes 'set''s inner tuple into the packet that the ICMP or ICMPv6
 * error of 'len' bytes at 'icmp' quotes after its 8-byte header; the
 * error's own checksum is at 'csum' (may be NULL). */
static void
set_icmp_inner(uint8_t *icmp, size_t len, uint8_t *csum, bool ipv6,
               const struct packet_set *set)
{
    size_t ip_min = ipv6 ? IPV6_HEADER_LEN : IP_HEADER_LEN;
    if (len < 8 + ip_min) {
        return;
    }
    uint8_t *ip = icmp + 8;
    size_t qlen = len - 8;
    /* The quote as it was, for the error's checksum at the end. */
    uint8_t before[ICMP_QUOTE_MAX];
    size_t n = XVS_MIN(qlen, sizeof before) & ~(size_t) 1;
    memcpy(before, ip, n);

    size_t hlen = ip_min, alen = ipv6 ? 16 : 4;
    size_t src_ofs = ipv6 ? 8 : 12, dst_ofs = ipv6 ? 24 : 16;
    if (ipv6 ? IP_VER(ip[0]) != 6 : IP_VER(ip[0]) != IP_VERSION) {
        return;
    }
    if (!ipv6) {
        hlen = IP_IHL(ip[0]) * 4;
        if (hlen < IP_HEADER_LEN || hlen > qlen) {
            return;
        }
    }
    uint8_t proto = ip[ipv6 ? 6 : 9];
    uint8_t *l4 = ip + hlen;
    size_t l4_len = qlen - hlen;
    bool pseudo = false;
    uint8_t *l4c = l4_csum(l4, l4_len, proto, ipv6, &pseudo);
    if (l4c && pseudo) {
        csum_replace(l4c, ip + src_ofs, &set->inner.src, alen);
        csum_replace(l4c, ip + dst_ofs, &set->inner.dst, alen);
    }
    memcpy(ip + src_ofs, &set->inner.src, alen);
    memcpy(ip + dst_ofs, &set->inner.dst, alen);
    if (!ipv6) {
        ip[10] = ip[11] = 0;
        uint16_t c = csum_finish(csum_continue(0, ip, hlen));
        memcpy(ip + 10, &c, 2);
    }
    if ((proto == IPPROTO_TCP || proto == IPPROTO_UDP
         || proto == IPPROTO_SCTP) && l4_len >= 4) {
        if (l4c) {
            csum_replace16(l4c, l4, &set->inner.sport);
            csum_replace16(l4c, l4 + 2, &set->inner.dport);
        }
        /* A quote rarely holds all of an SCTP packet: its CRC cannot be
         * followed, the ports are written alone. */
        memcpy(l4, &set->inner.sport, 2);
        memcpy(l4 + 2, &set->inner.dport, 2);
        fix_udp_zero(l4c, proto);
    } else if ((proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6)
               && l4_len >= 6) {
        if (l4c) {
            csum_replace16(l4c, l4 + 4, &set->inner.sport);
        }
        memcpy(l4 + 4, &set->inner.sport, 2);
    }
    if (csum) {
        csum_replace(csum, before, ip, n);
    }
}

/* ---- Rewrites. ---- */

static void
set_ipv4(uint8_t *ip, size_t len, const struct packet_set *set)
{
    if (len < IP_HEADER_LEN) {
        return;
    }
    size_t hlen = IP_IHL(ip[0]) * 4;
    uint16_t tot_len = (ip[2] << 8) | ip[3];
    if (IP_VER(ip[0]) != IP_VERSION || hlen < IP_HEADER_LEN || hlen > len) {
        return;
    }
    uint8_t proto = ip[9];
    uint16_t frag = ((ip[6] << 8) | ip[7]) & IP_FRAG_OFF_MASK_;
    size_t l4_len = (tot_len >= hlen && tot_len <= len ? tot_len : len)
                    - hlen;
    uint8_t *l4 = ip + hlen;
    bool pseudo = false;
    uint8_t *csum = frag ? NULL : l4_csum(l4, l4_len, proto, false,
                                          &pseudo);

    if (set->fields & PKT_SET_NW_SRC) {
        if (csum && pseudo) {
            csum_replace(csum, ip + 12, &set->nw_src, 4);
        }
        memcpy(ip + 12, &set->nw_src, 4);
    }
    if (set->fields & PKT_SET_NW_DST) {
        if (csum && pseudo) {
            csum_replace(csum, ip + 16, &set->nw_dst, 4);
        }
        memcpy(ip + 16, &set->nw_dst, 4);
    }
    if (set->fields & PKT_SET_NW_TOS) {
        ip[1] = set->nw_tos;
    }
    if (set->fields & PKT_SET_NW_TTL) {
        ip[8] = set->nw_ttl;
    }
    if (!frag) {
        set_l4(l4, l4_len, proto, csum, set);
        if (proto == IPPROTO_ICMP && set->fields & PKT_SET_ICMP_INNER) {
            set_icmp_inner(l4, l4_len, csum, false, set);
        }
    }
    fix_udp_zero(csum, proto);

    ip[10] = ip[11] = 0;
    uint16_t c = csum_finish(csum_continue(0, ip, hlen));
    memcpy(ip + 10, &c, 2);
}

/* IPv6 extension headers that may come before the L4 header. */
static bool
is_ipv6_ext(uint8_t nxt)
{
    return nxt == 0 || nxt == 43 || nxt == 44 || nxt == 60;
}

/* Writes 'n' bytes of 'new' over 'field', inside an ICMPv6 message whose
 * checksum is at 'csum'. */
static void
replace_csummed(uint8_t *field, const void *new, size_t n, uint8_t *csum)
{
    if (csum) {
        csum_replace(csum, field, new, n);
    }
    memcpy(field, new, n);
}

/* The ND fields of an ICMPv6 neighbor solicitation or advertisement of
 * 'len' bytes at 'icmp': the target after the 8-byte header, then
 * options of 8-byte units, each type, length and value. */
static void
set_nd(uint8_t *icmp, size_t len, uint8_t *csum, const struct packet_set *set)
{
    uint8_t type = icmp[0];
    if ((type != ND_NEIGHBOR_SOLICIT && type != ND_NEIGHBOR_ADVERT)
        || icmp[1] || len < ND_MSG_LEN) {
        return;
    }
    if (set->fields & PKT_SET_ND_TARGET) {
        replace_csummed(icmp + 8, &set->nd_target, 16, csum);
    }
    for (size_t ofs = ND_MSG_LEN; ofs + 8 <= len && icmp[ofs + 1];
         ofs += icmp[ofs + 1] * 8) {
        uint8_t *opt = icmp + ofs;
        if (icmp[ofs + 1] != 1) {
            continue;
        }
        if (opt[0] == ND_OPT_SOURCE_LINKADDR
            && type == ND_NEIGHBOR_SOLICIT
            && set->fields & PKT_SET_ND_SLL) {
            replace_csummed(opt + 2, &set->arp_sha, ETH_ADDR_LEN, csum);
        } else if (opt[0] == ND_OPT_TARGET_LINKADDR
                   && type == ND_NEIGHBOR_ADVERT
                   && set->fields & PKT_SET_ND_TLL) {
            replace_csummed(opt + 2, &set->arp_tha, ETH_ADDR_LEN, csum);
        }
    }
}

static void
set_ipv6(uint8_t *ip, size_t len, const struct packet_set *set)
{
    if (len < IPV6_HEADER_LEN) {
        return;
    }
    uint8_t proto = ip[6];
    size_t ofs = IPV6_HEADER_LEN;
    size_t plen = (ip[4] << 8) | ip[5];
    if (IPV6_HEADER_LEN + plen <= len) {
        /* Ethernet padding is no part of the payload (nor of SCTP's
         * checksum). */
        len = IPV6_HEADER_LEN + plen;
    }
    bool later_fragment = false;
    while (is_ipv6_ext(proto) && ofs + 8 <= len) {
        uint8_t *ext = ip + ofs;
        if (proto == 44) {
            later_fragment = ((ext[2] << 8) | ext[3]) & 0xfff8;
            proto = ext[0];
            ofs += 8;
        } else {
            proto = ext[0];
            ofs += (ext[1] + 1) * 8;
        }
    }
    bool pseudo = false;
    uint8_t *l4 = ofs <= len ? ip + ofs : NULL;
    size_t l4_len = l4 ? len - ofs : 0;
    uint8_t *csum = (l4 && !later_fragment && !is_ipv6_ext(proto)
                     ? l4_csum(l4, l4_len, proto, true, &pseudo) : NULL);

    uint32_t vtcflow;
    memcpy(&vtcflow, ip, 4);
    vtcflow = ntohl(vtcflow);
    if (set->fields & PKT_SET_NW_TOS) {
        vtcflow = (vtcflow & 0xf00fffff) | ((uint32_t) set->nw_tos << 20);
    }
    if (set->fields & PKT_SET_IPV6_LABEL) {
        vtcflow = (vtcflow & 0xfff00000) | (set->ipv6_label & 0xfffff);
    }
    vtcflow = htonl(vtcflow);
    memcpy(ip, &vtcflow, 4);
    if (set->fields & PKT_SET_NW_TTL) {
        ip[7] = set->nw_ttl;
    }
    if (set->fields & PKT_SET_IPV6_SRC) {
        if (csum && pseudo) {
            csum_replace(csum, ip + 8, &set->ipv6_src, 16);
        }
        memcpy(ip + 8, &set->ipv6_src, 16);
    }
    if (set->fields & PKT_SET_IPV6_DST) {
        if (csum && pseudo) {
            csum_replace(csum, ip + 24, &set->ipv6_dst, 16);
        }
        memcpy(ip + 24, &set->ipv6_dst, 16);
    }
    if (l4 && !later_fragment && !is_ipv6_ext(proto)) {
        set_l4(l4, l4_len, proto, csum, set);
        if (proto == IPPROTO_ICMPV6) {
            set_nd(l4, l4_len, csum, set);
            if (set->fields & PKT_SET_ICMP_INNER) {
                set_icmp_inner(l4, l4_len, csum, true, set);
            }
        }
    }
    fix_udp_zero(csum, proto);
}

static void
set_arp(uint8_t *arp, size_t len, const struct packet_set *set)
{
    struct arp_eth_header a;
    if (len < sizeof a) {
        return;
    }
    memcpy(&a, arp, sizeof a);
    if (a.ar_hrd != htons(ARP_HTYPE_ETH) || a.ar_pro != htons(ETH_TYPE_IP)
        || a.ar_hln != ETH_ADDR_LEN || a.ar_pln != 4) {
        return;
    }
    if (set->fields & PKT_SET_ARP_OP) {
        a.ar_op = htons(set->arp_op);
    }
    if (set->fields & PKT_SET_ARP_SHA) {
        a.ar_sha = set->arp_sha;
    }
    if (set->fields & PKT_SET_NW_SRC) {
        memcpy(a.ar_spa, &set->nw_src, 4);
    }
    if (set->fields & PKT_SET_ARP_THA) {
        a.ar_tha = set->arp_tha;
    }
    if (set->fields & PKT_SET_NW_DST) {
        memcpy(a.ar_tpa, &set->nw_dst, 4);
    }
    memcpy(arp, &a, sizeof a);
}

void
packet_set_apply(void *frame, size_t len, const struct packet_set *set)
{
    uint8_t *p = frame;
    if (len < ETH_HEADER_LEN) {
        return;
    }
    if (set->fields & PKT_SET_ETH_DST) {
        memcpy(p, &set->eth_dst, ETH_ADDR_LEN);
    }
    if (set->fields & PKT_SET_ETH_SRC) {
        memcpy(p + ETH_ADDR_LEN, &set->eth_src, ETH_ADDR_LEN);
    }
    size_t ofs = 2 * ETH_ADDR_LEN;
    uint16_t type = (p[ofs] << 8) | p[ofs + 1];
    while ((type == ETH_TYPE_VLAN || type == ETH_TYPE_VLAN_8021AD
            || type == ETH_TYPE_QINQ_OLD) && len >= ofs + 6) {
        ofs += VLAN_HEADER_LEN;
        type = (p[ofs] << 8) | p[ofs + 1];
    }
    ofs += 2;
    if (type == ETH_TYPE_IP) {
        set_ipv4(p + ofs, len - ofs, set);
    } else if (type == ETH_TYPE_IPV6) {
        set_ipv6(p + ofs, len - ofs, set);
    } else if (type == ETH_TYPE_ARP) {
        set_arp(p + ofs, len - ofs, set);
    } else if ((type == ETH_TYPE_MPLS || type == ETH_TYPE_MPLS_MCAST)
               && set->fields & PKT_SET_MPLS_LSE && len >= ofs + MPLS_HLEN) {
        memcpy(p + ofs, &set->mpls_lse, MPLS_HLEN);
    } else if (type == ETH_TYPE_NSH && set->fields & PKT_SET_NSH
               && len > ofs) {
        nsh_write(p + ofs, len - ofs, &set->nsh);
    }
}

/* ---- Text. ---- */

void
packet_set_format_lse(uint32_t lse, struct ds *s)
{
    ds_put_format(s, "label=%"PRIu32",tc=%"PRIu32",ttl=%"PRIu32
                  ",bos=%"PRIu32, (lse & MPLS_LABEL_MASK) >> MPLS_LABEL_SHIFT,
                  (lse & MPLS_TC_MASK) >> MPLS_TC_SHIFT, lse & MPLS_TTL_MASK,
                  (lse & MPLS_BOS_MASK) >> MPLS_BOS_SHIFT);
}

/* Starts "NAME(" or continues with ','. */
static void
field_sep(struct ds *s, const char *group, bool *open)
{
    if (!*open) {
        ds_put_format(s, "%s(", group);
        *open = true;
    } else {
        ds_put_char(s, ',');
    }
}

void
packet_set_format(const struct packet_set *set, struct ds *s)
{
    uint32_t f = set->fields;
    bool open = false;
    ds_put_cstr(s, "set(");
    if (f & PKT_SET_ETH_SRC) {
        field_sep(s, "eth", &open);
        ds_put_format(s, "src="ETH_ADDR_FMT, ETH_ADDR_ARGS(set->eth_src));
    }
    if (f & PKT_SET_ETH_DST) {
        field_sep(s, "eth", &open);
        ds_put_format(s, "dst="ETH_ADDR_FMT, ETH_ADDR_ARGS(set->eth_dst));
    }
    if (open) {
        ds_put_cstr(s, "),");
        open = false;
    }
    if (f & PKT_SET_MPLS_LSE) {
        ds_put_cstr(s, "mpls(");
        packet_set_format_lse(ntohl(set->mpls_lse), s);
        ds_put_cstr(s, "),");
    }
    const char *l3 = (f & (PKT_SET_IPV6_SRC | PKT_SET_IPV6_DST
                           | PKT_SET_IPV6_LABEL) ? "ipv6"
                      : f & (PKT_SET_ARP_SHA | PKT_SET_ARP_THA
                             | PKT_SET_ARP_OP) ? "arp" : "ipv4");
    if (f & PKT_SET_NW_SRC) {
        field_sep(s, l3, &open);
        ds_put_format(s, "src="IP_FMT, IP_ARGS(set->nw_src));
    }
    if (f & PKT_SET_NW_DST) {
        field_sep(s, l3, &open);
        ds_put_format(s, "dst="IP_FMT, IP_ARGS(set->nw_dst));
    }
    if (f & PKT_SET_IPV6_SRC) {
        field_sep(s, l3, &open);
        ds_put_cstr(s, "src=");
        ipv6_format(s, &set->ipv6_src);
    }
    if (f & PKT_SET_IPV6_DST) {
        field_sep(s, l3, &open);
        ds_put_cstr(s, "dst=");
        ipv6_format(s, &set->ipv6_dst);
    }
    if (f & PKT_SET_IPV6_LABEL) {
        field_sep(s, l3, &open);
        ds_put_format(s, "label=%#"PRIx32, set->ipv6_label);
    }
    if (f & PKT_SET_NW_TOS) {
        field_sep(s, l3, &open);
        ds_put_format(s, "tos=%#"PRIx8, set->nw_tos);
    }
    if (f & PKT_SET_NW_TTL) {
        field_sep(s, l3, &open);
        ds_put_format(s, "ttl=%"PRIu8, set->nw_ttl);
    }
    if (f & PKT_SET_ARP_OP) {
        field_sep(s, l3, &open);
        ds_put_format(s, "op=%"PRIu8, set->arp_op);
    }
    if (f & PKT_SET_ARP_SHA) {
        field_sep(s, l3, &open);
        ds_put_format(s, "sha="ETH_ADDR_FMT, ETH_ADDR_ARGS(set->arp_sha));
    }
    if (f & PKT_SET_ARP_THA) {
        field_sep(s, l3, &open);
        ds_put_format(s, "tha="ETH_ADDR_FMT, ETH_ADDR_ARGS(set->arp_tha));
    }
    if (open) {
        ds_put_cstr(s, "),");
        open = false;
    }
    if (f & PKT_SET_TP_SRC) {
        field_sep(s, "l4", &open);
        ds_put_format(s, "src=%"PRIu16, ntohs(set->tp_src));
    }
    if (f & PKT_SET_TP_DST) {
        field_sep(s, "l4", &open);
        ds_put_format(s, "dst=%"PRIu16, ntohs(set->tp_dst));
    }
    if (open) {
        ds_put_cstr(s, "),");
        open = false;
    }
    if (f & PKT_SET_ICMP_ID) {
        ds_put_format(s, "icmp(id=%"PRIu16"),", ntohs(set->icmp_id));
    }
    if (f & PKT_SET_ICMP_INNER) {
        char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
        int af = set->inner.ipv6 ? AF_INET6 : AF_INET;
        inet_ntop(af, &set->inner.src, src, sizeof src);
        inet_ntop(af, &set->inner.dst, dst, sizeof dst);
        ds_put_format(s, "icmp_quote(src=%s,dst=%s,sport=%"PRIu16
                      ",dport=%"PRIu16"),", src, dst,
                      ntohs(set->inner.sport), ntohs(set->inner.dport));
    }
    if (f & PKT_SET_NSH) {
        const struct flow_nsh *n = &set->nsh;
        ds_put_format(s, "nsh(flags=%"PRIu8",ttl=%"PRIu8",mdtype=%"PRIu8
                      ",np=%"PRIu8",spi=0x%"PRIx32",si=%"PRIu32,
                      n->flags, n->ttl, n->mdtype, n->np,
                      ntohl(n->path) >> 8, ntohl(n->path) & 0xff);
        if (n->mdtype == NSH_MDTYPE_1) {
            for (int i = 0; i < 4; i++) {
                ds_put_format(s, ",c%d=0x%"PRIx32, i + 1, ntohl(n->c[i]));
            }
        }
        ds_put_cstr(s, "),");
    }
    if (f & PKT_SET_ND_TARGET) {
        field_sep(s, "nd", &open);
        ds_put_cstr(s, "target=");
        ipv6_format(s, &set->nd_target);
    }
    if (f & PKT_SET_ND_SLL) {
        field_sep(s, "nd", &open);
        ds_put_format(s, "sll="ETH_ADDR_FMT, ETH_ADDR_ARGS(set->arp_sha));
    }
    if (f & PKT_SET_ND_TLL) {
        field_sep(s, "nd", &open);
        ds_put_format(s, "tll="ETH_ADDR_FMT, ETH_ADDR_ARGS(set->arp_tha));
    }
    if (open) {
        ds_put_cstr(s, "),");
    }
    ds_chomp(s, ',');
    ds_put_char(s, ')');
}
