/* flow: the packet key every layer shares, and matches over it.
 *
 * 'struct flow' holds every field a rule can match, one member per field of
 * the field registry (lib/meta-flow.h), which records each field's offset
 * and width here.  Packet-derived fields are kept in network byte order as
 * they sit on the wire, so extraction is copying; metadata (in_port,
 * metadata, regs) is host order.  The struct has no implicit padding and is
 * always zero-initialised, so masked comparison can run over raw bytes
 * (match_matches_flow()) and the whole struct can be hashed.
 *
 * Conventions borrowed from Open vSwitch so printed flows agree:
 *   - ARP: nw_proto holds the opcode (low 8 bits), nw_src/nw_dst the
 *     sender/target IPv4 address, arp_sha/arp_tha the hardware addresses.
 *   - ICMP/ICMPv6: tp_src holds the type, tp_dst the code (both as be16
 *     with the value in the low byte).
 *   - vlan_tci: the 802.1Q TCI with the CFI bit (0x1000) set when a tag is
 *     present; 0 means untagged.
 *   - nw_tos holds the whole IPv4 TOS / IPv6 traffic class byte (DSCP and
 *     ECN); nw_frag bits FLOW_NW_FRAG_*.
 *
 * Tunnel metadata
 * ---------------
 * 'tunnel' holds what a tunnel port learnt about the encapsulating packet
 * (tun_id, outer addresses, flags) and the Geneve options mapped to
 * tun_metadata0..63.  Options live in one 256-byte option space, 'md',
 * with bit N of 'md_present' saying that tun_metadataN is present; where
 * each field sits in that space (and how long it is) is decided by the
 * bridge's TLV map (ofproto/tlv-map.h), or, in a match that was parsed or
 * decoded without a map, by allocating in order of appearance.  That
 * placement is 'tun_layout', the last member: it describes the bytes
 * before it and is not itself packet data, so the byte-wise match
 * operations stop at FLOW_KEY_LEN and never compare or hash it.  A match
 * keeps the same layout in its flow and in its mask. */
#ifndef XVS_FLOW_H
#define XVS_FLOW_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <netinet/in.h>
#include "util.h"

#define FLOW_N_REGS 16
#define FLOW_NW_FRAG_ANY   (1 << 0)
#define FLOW_NW_FRAG_LATER (1 << 1)
#define VLAN_CFI 0x1000
#define FLOW_MAX_MPLS_LABELS 3

/* ct_state flags (ovs-fields(7)). */
#define CS_NEW         0x01
#define CS_ESTABLISHED 0x02
#define CS_RELATED     0x04
#define CS_REPLY_DIR   0x08
#define CS_INVALID     0x10
#define CS_TRACKED     0x20
#define CS_SRC_NAT     0x40
#define CS_DST_NAT     0x80

/* MPLS label stack entry bits, host order. */
#define MPLS_LABEL_MASK 0xfffff000
#define MPLS_LABEL_SHIFT 12
#define MPLS_TC_MASK 0x00000e00
#define MPLS_TC_SHIFT 9
#define MPLS_BOS_MASK 0x00000100
#define MPLS_BOS_SHIFT 8
#define MPLS_TTL_MASK 0x000000ff
#define ETH_TYPE_MPLS 0x8847
#define ETH_TYPE_MPLS_MCAST 0x8848
#define ETH_TYPE_NSH 0x894f

#define FLOW_TNL_F_OAM (1 << 0)     /* Geneve/VXLAN-GPE OAM frame. */
#define FLOW_TNL_F_MASK FLOW_TNL_F_OAM
#define FLOW_TUN_MD_FIELDS 64       /* tun_metadata0..63. */
#define FLOW_TUN_MD_SPACE 256       /* Bytes of option space. */
#define FLOW_TUN_MD_MAX_LEN 124     /* Longest option (Geneve: 31 words). */

struct eth_addr {
    uint8_t ea[6];
};

struct flow_tnl {
    uint64_t tun_id;              /* Network order. */
    struct in6_addr ipv6_src;
    struct in6_addr ipv6_dst;
    uint32_t ip_src;              /* Network order. */
    uint32_t ip_dst;
    uint16_t flags;               /* Host order, FLOW_TNL_F_*. */
    /* VXLAN-GBP, ERSPAN and GTP-U header fields, network order.  No
     * tunnel port fills them yet, so packets carry zeros. */
    uint16_t gbp_id;
    uint8_t gbp_flags;
    uint8_t erspan_ver;
    uint8_t erspan_dir;
    uint8_t erspan_hwid;
    uint32_t erspan_idx;
    uint8_t gtpu_flags;
    uint8_t gtpu_msgtype;
    uint16_t pad;
    uint64_t md_present;          /* Host order: bit N = tun_metadataN. */
    uint8_t md[FLOW_TUN_MD_SPACE];
};

/* The NSH (RFC 8300) header fields a flow matches (lib/nsh.h): the base
 * header's flags (its O and U bits), TTL (6 bits), MD type and next
 * protocol; the service path header, SPI << 8 | SI; the four context
 * headers of MD type 1.  'path' and 'c' are network order. */
struct flow_nsh {
    uint8_t flags;
    uint8_t ttl;
    uint8_t mdtype;
    uint8_t np;
    uint32_t path;
    uint32_t c[4];
};

/* Where tun_metadataN sits in flow_tnl.md: 'len[N]' bytes at 'ofs[N]';
 * meaningful only while bit N of md_present is set in the mask. */
struct flow_tun_layout {
    uint8_t ofs[FLOW_TUN_MD_FIELDS];
    uint8_t len[FLOW_TUN_MD_FIELDS];
};

struct flow {
    /* Metadata (host byte order). */
    uint32_t in_port;             /* OpenFlow port number (OFPP_* 32-bit). */
    uint32_t regs[FLOW_N_REGS];
    uint32_t conj_id;             /* Set by a conjunctive match (the
                                   * lookup's second search); 0 in
                                   * packets. */
    uint64_t metadata;

    struct flow_tnl tunnel;

    /* L2 (network byte order). */
    struct eth_addr dl_dst;
    struct eth_addr dl_src;
    uint16_t dl_type;
    uint16_t vlan_tci;

    /* L3. */
    uint32_t nw_src;              /* IPv4 source, or ARP SPA. */
    uint32_t nw_dst;              /* IPv4 destination, or ARP TPA. */
    struct in6_addr ipv6_src;
    struct in6_addr ipv6_dst;
    struct in6_addr nd_target;
    uint32_t ipv6_label;          /* Low 20 bits. */
    uint8_t nw_proto;             /* IP protocol, or low 8 bits of ARP op. */
    uint8_t nw_tos;
    uint8_t nw_ttl;
    uint8_t nw_frag;
    struct eth_addr arp_sha;      /* ARP SHA, or ND source link-layer addr. */
    struct eth_addr arp_tha;      /* ARP THA, or ND target link-layer addr. */

    /* L4. */
    uint16_t tp_src;              /* TCP/UDP port, or ICMP type. */
    uint16_t tp_dst;              /* TCP/UDP port, or ICMP code. */
    uint16_t tcp_flags;           /* Low 12 bits. */
    uint16_t pad1;

    /* Metadata that needs no 8-byte alignment fills the tail. */
    uint32_t pkt_mark;            /* Host order. */

    /* Conntrack, xxreg, MPLS.  xxreg0..3 have no members: they overlay
     * regs[] four at a time.  The conntrack members are what the ct
     * action fills (datapath/conntrack.h); received packets carry zeros
     * there. */
    uint32_t ct_state;            /* CS_* flags, host order. */
    uint32_t ct_mark;             /* Host order. */
    uint16_t ct_zone;             /* Host order. */
    uint8_t ct_nw_proto;          /* Original direction tuple, below. */
    uint8_t pad2;
    uint8_t ct_label[16];         /* 128-bit big-endian bytes. */
    uint32_t ct_nw_src;           /* Network order. */
    uint32_t ct_nw_dst;
    struct in6_addr ct_ipv6_src;
    struct in6_addr ct_ipv6_dst;
    uint16_t ct_tp_src;           /* Network order. */
    uint16_t ct_tp_dst;
    /* The top FLOW_MAX_MPLS_LABELS label stack entries as on the wire
     * (label:20 tc:3 bos:1 ttl:8, network order), [0] outermost; only
     * [0] is matchable. */
    uint32_t mpls_lse[FLOW_MAX_MPLS_LABELS];
    uint32_t pad3;

    /* ND extras, packet type, action set output. */
    uint32_t nd_reserved;         /* Network order: the ND message's
                                   * 32 bits after the ICMPv6 header. */
    uint32_t packet_type;         /* Network order, ns << 16 | ns_type;
                                   * packets are Ethernet, (0,0). */
    uint32_t actset_output;       /* Host order: the output port of the
                                   * action set, written by xlate before
                                   * each lookup; OFPP_UNSET if none. */
    uint8_t nd_options_type;      /* Type of the ND link-layer option. */
    uint8_t pad4[3];

    /* Zero unless the frame carries a well-formed NSH header. */
    struct flow_nsh nsh;

    /* Not compared: see "Tunnel metadata" above. */
    struct flow_tun_layout tun_layout;
};

/* The bytes of 'struct flow' that are packet key. */
#define FLOW_KEY_LEN offsetof(struct flow, tun_layout)

/* The key in 64-bit words, for loops that compare or combine whole keys
 * a word rather than a byte at a time. */
#define FLOW_KEY_WORDS (FLOW_KEY_LEN / 8)

/* Word 'i' of the key at 'key' (a 'struct flow'). */
static inline uint64_t
flow_key_word(const void *key, size_t i)
{
    uint64_t w;
    memcpy(&w, (const uint8_t *) key + 8 * i, sizeof w);
    return w;
}

/* A set of bits that matter: 1-bits in 'masks' must match. */
struct flow_wildcards {
    struct flow masks;
};

struct match {
    struct flow flow;             /* Always already masked by 'wc'. */
    struct flow_wildcards wc;
};

void match_init_catchall(struct match *);
/* Zeroes bits of match->flow that are not in the mask. */
void match_normalize(struct match *);
bool match_matches_flow(const struct match *, const struct flow *);
bool match_equal(const struct match *, const struct match *);
uint32_t match_hash(const struct match *, uint32_t basis);
/* True if every packet 'a' matches is matched by 'b' (b is looser). */
bool match_is_subset(const struct match *a, const struct match *b);

uint32_t flow_hash(const struct flow *, uint32_t basis);

#endif
