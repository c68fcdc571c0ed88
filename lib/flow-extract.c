/* flow-extract: the frame parser; see flow-extract.h for the rules.
 *
 * Parsing walks a cursor ('struct cursor') that only hands out a pointer
 * once that many bytes remain, so no step can read past the frame. */
#include <config.h>
#include "flow-extract.h"

#include <arpa/inet.h>
#include <string.h>
#include "nsh.h"
#include "packets.h"

struct cursor {
    const uint8_t *p;
    size_t left;
};

/* Returns the current position and advances by 'n', or NULL if fewer than
 * 'n' bytes remain (the cursor is then unchanged). */
static const void *
pull(struct cursor *c, size_t n)
{
    const void *p = c->p;

    if (c->left < n) {
        return NULL;
    }
    c->p += n;
    c->left -= n;
    return p;
}

static const void *
peek(const struct cursor *c, size_t n)
{
    return c->left >= n ? c->p : NULL;
}

static uint16_t
get_be16(const void *p)
{
    uint16_t v;

    memcpy(&v, p, 2);
    return v;
}

static void
parse_tcp(struct cursor *c, struct flow *flow)
{
    const struct tcp_header *tcp = peek(c, TCP_HEADER_LEN);

    if (tcp) {
        uint16_t ctl = ntohs(tcp->tcp_ctl);
        size_t hlen = TCP_OFFSET(ctl) * 4;

        if (hlen >= TCP_HEADER_LEN && hlen <= c->left) {
            flow->tp_src = tcp->tcp_src;
            flow->tp_dst = tcp->tcp_dst;
            flow->tcp_flags = htons(ctl & TCP_FLAGS_MASK);
        }
    }
}

/* UDP and SCTP both start with the two ports; 'min_len' is the header. */
static void
parse_ports(struct cursor *c, size_t min_len, struct flow *flow)
{
    const uint8_t *h = peek(c, min_len);

    if (h) {
        flow->tp_src = get_be16(h);
        flow->tp_dst = get_be16(h + 2);
    }
}

static void
parse_icmp(struct cursor *c, struct flow *flow)
{
    const struct icmp_header *icmp = peek(c, ICMP_HEADER_LEN);

    if (icmp) {
        flow->tp_src = htons(icmp->icmp_type);
        flow->tp_dst = htons(icmp->icmp_code);
    }
}

/* Neighbor discovery: the target, the reserved (R/S/O flags) word and the
 * link-layer address option with its type.  A malformed message leaves
 * all these fields zero. */
static void
parse_nd(struct cursor *c, uint8_t type, struct flow *flow)
{
    const struct nd_msg *nd = pull(c, sizeof *nd);
    struct eth_addr sll = { { 0 } }, tll = { { 0 } };
    bool have_sll = false, have_tll = false;
    uint8_t opt_type = 0;

    if (!nd) {
        return;
    }
    while (c->left) {
        const struct nd_opt_header *opt = peek(c, sizeof *opt);
        size_t opt_len = opt ? opt->nd_opt_len * 8 : 0;

        if (!opt_len || !pull(c, opt_len)) {
            return;
        }
        if (opt->nd_opt_type == ND_OPT_SOURCE_LINKADDR && opt_len == 8
            && type == ND_NEIGHBOR_SOLICIT) {
            if (have_sll) {
                return;
            }
            memcpy(sll.ea, opt + 1, ETH_ADDR_LEN);
            have_sll = true;
            opt_type = opt->nd_opt_type;
        } else if (opt->nd_opt_type == ND_OPT_TARGET_LINKADDR && opt_len == 8
                   && type == ND_NEIGHBOR_ADVERT) {
            if (have_tll) {
                return;
            }
            memcpy(tll.ea, opt + 1, ETH_ADDR_LEN);
            have_tll = true;
            opt_type = opt->nd_opt_type;
        }
    }
    memcpy(&flow->nd_target, &nd->nd_target, sizeof flow->nd_target);
    flow->nd_reserved = nd->nd_rso_flags;
    flow->nd_options_type = opt_type;
    flow->arp_sha = sll;
    flow->arp_tha = tll;
}

static void
parse_icmpv6(struct cursor *c, struct flow *flow)
{
    const struct icmp6_header *icmp6 = pull(c, sizeof *icmp6);

    if (!icmp6) {
        return;
    }
    flow->tp_src = htons(icmp6->icmp6_type);
    flow->tp_dst = htons(icmp6->icmp6_code);
    if (icmp6->icmp6_code == 0
        && (icmp6->icmp6_type == ND_NEIGHBOR_SOLICIT
            || icmp6->icmp6_type == ND_NEIGHBOR_ADVERT)) {
        parse_nd(c, icmp6->icmp6_type, flow);
    }
}

static void
parse_l4(struct cursor *c, struct flow *flow)
{
    switch (flow->nw_proto) {
    case IPPROTO_TCP:
        parse_tcp(c, flow);
        break;
    case IPPROTO_UDP:
        parse_ports(c, UDP_HEADER_LEN, flow);
        break;
    case IPPROTO_SCTP:
        parse_ports(c, 12, flow);
        break;
    case IPPROTO_ICMP:
        if (flow->dl_type == htons(ETH_TYPE_IP)) {
            parse_icmp(c, flow);
        }
        break;
    case IPPROTO_ICMPV6:
        if (flow->dl_type == htons(ETH_TYPE_IPV6)) {
            parse_icmpv6(c, flow);
        }
        break;
    }
}

static void
parse_ipv4(struct cursor *c, struct flow *flow)
{
    const struct ip_header *ip = peek(c, IP_HEADER_LEN);
    size_t hlen, tot_len;
    uint16_t frag;

    if (!ip || IP_VER(ip->ip_ihl_ver) != IP_VERSION) {
        return;
    }
    hlen = IP_IHL(ip->ip_ihl_ver) * 4;
    tot_len = ntohs(ip->ip_tot_len);
    if (hlen < IP_HEADER_LEN || tot_len < hlen || tot_len > c->left) {
        return;
    }
    /* Ethernet padding after the datagram is not part of it. */
    c->left = tot_len;
    pull(c, hlen);

    flow->nw_src = ip->ip_src;
    flow->nw_dst = ip->ip_dst;
    flow->nw_proto = ip->ip_proto;
    flow->nw_tos = ip->ip_tos;
    flow->nw_ttl = ip->ip_ttl;
    frag = ntohs(ip->ip_frag_off);
    if (frag & (IP_MORE_FRAGMENTS | IP_FRAG_OFF_MASK)) {
        flow->nw_frag = FLOW_NW_FRAG_ANY;
        if (frag & IP_FRAG_OFF_MASK) {
            flow->nw_frag |= FLOW_NW_FRAG_LATER;
            return;
        }
    }
    parse_l4(c, flow);
}

/* Skips extension headers starting with next header '*nxt'.  Returns false
 * if one is truncated.  Stops at a non-first fragment (setting the
 * fragment bits) or at the first upper-layer header. */
static bool
skip_ipv6_ext(struct cursor *c, uint8_t *nxt, struct flow *flow)
{
    for (;;) {
        const struct ipv6_ext_header *ext;
        size_t len;

        switch (*nxt) {
        case IPPROTO_HOPOPTS:
        case IPPROTO_ROUTING:
        case IPPROTO_DSTOPTS:
        case IPPROTO_AH:
            ext = peek(c, sizeof *ext);
            if (!ext) {
                return false;
            }
            len = *nxt == IPPROTO_AH ? (ext->ip6e_len + 2) * 4
                                     : (ext->ip6e_len + 1) * 8;
            if (!pull(c, len)) {
                return false;
            }
            *nxt = ext->ip6e_nxt;
            break;

        case IPPROTO_FRAGMENT: {
            const struct ipv6_frag_header *fh = pull(c, sizeof *fh);
            uint16_t offlg;

            if (!fh) {
                return false;
            }
            *nxt = fh->ip6f_nxt;
            offlg = ntohs(fh->ip6f_offlg);
            if (offlg & (IPV6_FRAG_OFF_MASK | IPV6_FRAG_MORE)) {
                flow->nw_frag = FLOW_NW_FRAG_ANY;
                if (offlg & IPV6_FRAG_OFF_MASK) {
                    flow->nw_frag |= FLOW_NW_FRAG_LATER;
                    return true;
                }
            }
            break;
        }

        default:
            return true;
        }
    }
}

static void
parse_ipv6(struct cursor *c, struct flow *flow)
{
    const struct ipv6_header *ip6 = pull(c, IPV6_HEADER_LEN);
    uint32_t vtc;
    size_t plen;
    uint8_t nxt;

    if (!ip6) {
        return;
    }
    vtc = ntohl(ip6->ip6_vtcflow);
    plen = ntohs(ip6->ip6_plen);
    if (vtc >> 28 != 6 || plen > c->left) {
        return;
    }
    c->left = plen;
    nxt = ip6->ip6_nxt;
    if (!skip_ipv6_ext(c, &nxt, flow)) {
        flow->nw_frag = 0;
        return;
    }
    memcpy(&flow->ipv6_src, &ip6->ip6_src, sizeof flow->ipv6_src);
    memcpy(&flow->ipv6_dst, &ip6->ip6_dst, sizeof flow->ipv6_dst);
    flow->ipv6_label = htonl(vtc & 0xfffff);
    flow->nw_tos = (vtc >> 20) & 0xff;
    flow->nw_ttl = ip6->ip6_hlim;
    flow->nw_proto = nxt;
    if (!(flow->nw_frag & FLOW_NW_FRAG_LATER)) {
        parse_l4(c, flow);
    }
}

static void
parse_arp(struct cursor *c, struct flow *flow)
{
    const struct arp_eth_header *arp = peek(c, sizeof *arp);
    uint16_t op;

    if (!arp
        || arp->ar_hrd != htons(ARP_HTYPE_ETH)
        || arp->ar_pro != htons(ETH_TYPE_IP)
        || arp->ar_hln != ETH_ADDR_LEN || arp->ar_pln != 4) {
        return;
    }
    op = ntohs(arp->ar_op);
    flow->nw_proto = op <= 0xff ? op : 0;
    memcpy(&flow->nw_src, arp->ar_spa, 4);
    memcpy(&flow->nw_dst, arp->ar_tpa, 4);
    flow->arp_sha = arp->ar_sha;
    flow->arp_tha = arp->ar_tha;
}

/* The label stack entries up to bottom of stack, at most
 * FLOW_MAX_MPLS_LABELS of them.  What follows the stack is not parsed:
 * its protocol is not written anywhere (pop_mpls names it). */
static void
parse_mpls(struct cursor *c, struct flow *flow)
{
    for (int i = 0; i < FLOW_MAX_MPLS_LABELS; i++) {
        const uint8_t *lse = pull(c, 4);
        if (!lse) {
            return;
        }
        memcpy(&flow->mpls_lse[i], lse, 4);
        if (ntohl(flow->mpls_lse[i]) & MPLS_BOS_MASK) {
            return;
        }
    }
}

void
flow_extract(const void *packet, size_t len, uint32_t in_port,
             struct flow *flow)
{
    struct cursor c = { packet, len };
    const struct eth_header *eth;
    const uint8_t *type_p;
    uint16_t type;

    memset(flow, 0, sizeof *flow);
    flow->in_port = in_port;

    eth = pull(&c, 2 * ETH_ADDR_LEN);
    if (!eth) {
        return;
    }
    flow->dl_dst = eth->eth_dst;
    flow->dl_src = eth->eth_src;

    type_p = pull(&c, 2);
    if (!type_p) {
        return;
    }
    type = get_be16(type_p);
    if (type == htons(ETH_TYPE_VLAN)) {
        const uint8_t *tag = pull(&c, 4);

        if (!tag) {
            flow->dl_type = type;
            return;
        }
        flow->vlan_tci = get_be16(tag) | htons(VLAN_CFI);
        type = get_be16(tag + 2);
    }

    if (ntohs(type) >= ETH_TYPE_MIN) {
        flow->dl_type = type;
    } else {
        static const uint8_t snap[6] = { 0xaa, 0xaa, 0x03, 0, 0, 0 };
        const struct llc_snap_header *llc = peek(&c, sizeof *llc);

        if (llc && !memcmp(llc, snap, sizeof snap)
            && ntohs(llc->snap_type) >= ETH_TYPE_MIN) {
            pull(&c, sizeof *llc);
            flow->dl_type = llc->snap_type;
        } else {
            flow->dl_type = htons(FLOW_DL_TYPE_NONE);
            return;
        }
    }

    switch (ntohs(flow->dl_type)) {
    case ETH_TYPE_MPLS:
    case ETH_TYPE_MPLS_MCAST:
        parse_mpls(&c, flow);
        break;
    case ETH_TYPE_IP:
        parse_ipv4(&c, flow);
        break;
    case ETH_TYPE_IPV6:
        parse_ipv6(&c, flow);
        break;
    case ETH_TYPE_ARP:
        parse_arp(&c, flow);
        break;
    case ETH_TYPE_NSH:
        nsh_parse(c.p, c.left, &flow->nsh);
        break;
    }
}
