/* packet-set: rewriting header fields of a frame in place.
 *
 * Why: OpenFlow's set_field, load, move, dec_ttl and the OpenFlow 1.0
 * mod_* actions change the packet that leaves the switch, not only what
 * later tables see.  Translation (ofproto/xlate.c) compares the flow as
 * the actions left it with the flow the packet still carries and hands
 * the datapath one 'struct packet_set' per output with the differing
 * fields; the datapath applies it here, to the bytes.
 *
 * What can be rewritten: Ethernet addresses; IPv4 addresses, TOS and TTL
 * (the header checksum recomputed); IPv6 addresses, traffic class, flow
 * label and hop limit; TCP and UDP ports; ICMP and ICMPv6 type and code;
 * ARP sender and target addresses and opcode; the outermost MPLS label
 * stack entry (label, TC, bottom of stack and TTL, written whole); the
 * target of an ICMPv6 neighbor solicitation or advertisement and its
 * source or target link-layer address option (an option the packet has:
 * none is added); the NSH header's flags, TTL, service path (SPI and SI)
 * and MD type 1 context headers (lib/nsh.h).  For the connection
 * tracker's NAT (datapath/conntrack.h), which translates more than flow
 * fields: the identifier of an ICMP or ICMPv6 echo, and the addresses and
 * ports (ICMP: identifier) of the packet an ICMP or ICMPv6 error quotes,
 * with that quote's IPv4 header checksum recomputed and its L4 checksum,
 * when the quote holds it, updated.  The TCP, UDP, ICMPv6 and ICMP checksums follow every change that covers them (RFC 1624
 * incremental updates, so a checksum that was right stays right; a UDP
 * checksum of zero over IPv4, "none", stays zero).  A field the frame
 * does not have (ports on a non-first fragment, say) is left alone.
 * Values use 'struct flow''s conventions (flow.h): network byte order,
 * ICMP type and code in tp_src and tp_dst, ARP addresses in nw_src and
 * nw_dst and the opcode in nw_proto, ND link-layer addresses in arp_sha
 * and arp_tha.  VLAN tags and MPLS label stack entries are pushed and
 * popped by their own datapath actions (datapath/dpif.h).  The Ethernet
 * type, IP protocol, fragment bits and TCP flags are read-only fields, as
 * in Open vSwitch, so nothing here rewrites them. */
#ifndef XVS_PACKET_SET_H
#define XVS_PACKET_SET_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "flow.h"
#include "util.h"

enum packet_set_field {
    PKT_SET_ETH_SRC    = 1 << 0,
    PKT_SET_ETH_DST    = 1 << 1,
    PKT_SET_NW_SRC     = 1 << 2,    /* IPv4 source or ARP SPA. */
    PKT_SET_NW_DST     = 1 << 3,    /* IPv4 destination or ARP TPA. */
    PKT_SET_NW_TOS     = 1 << 4,    /* IPv4 TOS or IPv6 traffic class. */
    PKT_SET_NW_TTL     = 1 << 5,    /* IPv4 TTL or IPv6 hop limit. */
    PKT_SET_IPV6_SRC   = 1 << 6,
    PKT_SET_IPV6_DST   = 1 << 7,
    PKT_SET_IPV6_LABEL = 1 << 8,
    PKT_SET_TP_SRC     = 1 << 9,    /* L4 source port, or ICMP type. */
    PKT_SET_TP_DST     = 1 << 10,   /* L4 destination port, or ICMP code. */
    PKT_SET_ARP_SHA    = 1 << 11,
    PKT_SET_ARP_THA    = 1 << 12,
    PKT_SET_ARP_OP     = 1 << 13,
    PKT_SET_MPLS_LSE   = 1 << 14,   /* The outermost label stack entry. */
    PKT_SET_ND_TARGET  = 1 << 15,
    PKT_SET_ND_SLL     = 1 << 16,   /* Of a neighbor solicitation. */
    PKT_SET_ND_TLL     = 1 << 17,   /* Of a neighbor advertisement. */
    PKT_SET_NSH        = 1 << 18,   /* The NSH header's writable fields. */
    PKT_SET_ICMP_ID    = 1 << 19,   /* Of an ICMP or ICMPv6 echo. */
    PKT_SET_ICMP_INNER = 1 << 20,   /* The tuple an ICMP error quotes. */
};

struct packet_set {
    uint32_t fields;            /* PKT_SET_*: which members apply. */
    struct eth_addr eth_src, eth_dst;
    uint32_t nw_src, nw_dst;
    struct in6_addr ipv6_src, ipv6_dst;
    uint32_t ipv6_label;        /* Host order, low 20 bits. */
    uint8_t nw_tos, nw_ttl;
    uint8_t arp_op;
    uint16_t tp_src, tp_dst;
    struct eth_addr arp_sha, arp_tha;   /* Also ND's sll and tll. */
    uint32_t mpls_lse;          /* Network order, as on the wire. */
    struct in6_addr nd_target;
    struct flow_nsh nsh;        /* All of it, read-only fields as the
                                 * packet has them. */
    uint16_t icmp_id;
    struct {                    /* PKT_SET_ICMP_INNER, written whole: */
        struct in6_addr src, dst;   /* IPv4 in the first 4 bytes. */
        uint16_t sport, dport;      /* ICMP: identifier in 'sport'. */
        bool ipv6;                  /* For the text only: the packet's
                                     * own type says which to write. */
    } inner;
    /* Not a header rewrite: the tunnel a later output to a tunnel port
     * encapsulates with (DP_ACTION_SET_TUNNEL, datapath/dpif.h). */
    struct flow_tnl tunnel;
    struct flow_tun_layout tun_layout;  /* Where its tun_metadataN are. */
};

/* Fills 'set' with the fields that differ between 'from' (what the packet
 * carries) and 'to' (what it should carry), among those a packet of
 * 'from''s type has.  Returns true if there is anything to rewrite. */
bool packet_set_diff(const struct flow *from, const struct flow *to,
                     struct packet_set *set);
/* For megaflow masks (lib/flow-wildcards.h): adds to 'wc' what 'set'
 * depends on in the packet 'from' it was computed for, i.e. the fields
 * that decided which members a packet of that type has, and every member
 * 'set' writes whole (its bits the actions did not change are the first
 * packet's, so the packets sharing the set must share them too). */
void packet_set_unwildcard(const struct packet_set *, const struct flow *from,
                           struct flow_wildcards *wc);
/* Applies 'set' to the Ethernet frame of 'len' bytes at 'frame'. */
void packet_set_apply(void *frame, size_t len, const struct packet_set *);
/* "set(eth(src=...),ipv4(dst=...))", as ofproto/trace shows it. */
void packet_set_format(const struct packet_set *, struct ds *);
/* "label=L,tc=T,ttl=N,bos=B" for label stack entry 'lse' (host order), as
 * Open vSwitch prints one in datapath actions. */
void packet_set_format_lse(uint32_t lse, struct ds *);

#endif
