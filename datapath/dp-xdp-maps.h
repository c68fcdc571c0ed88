/* dp-xdp-maps: the layouts the in-kernel fast path (dp-xdp.bpf.c) and its
 * user-space side (dp-xdp.c) share.
 *
 * Included from BPF C and from user-space C, so it uses only the kernel's
 * fixed-width types.  Every layout here is part of both programs: change
 * one and both are rebuilt together (the object is built into the
 * daemon), so no version field is needed.
 *
 * The key is the part of the datapath key (dp-key.h) that the XDP program
 * parses itself, with the same values: 'struct flow''s conventions (network
 * byte order; vlan_tci with VLAN_CFI set when tagged; ICMP type and code
 * in tp_src and tp_dst as 16-bit network-order values; ipv6_label in
 * network order), and the receiving device's ifindex for in_port.  Fields
 * the program does not parse are zero in every packet it looks up, which
 * is what the packets it handles have there (dp-xdp.c offloads only
 * megaflows that agree).
 *
 * A frame the program decapsulates is looked up again as the tunnel
 * port's: in_port is that port's id (XDP_VPORT_ID_BASE and up, never a
 * device's ifindex) and the tunnel words hold tun_id, the outer IPv4
 * addresses and the first 8 bytes of the Geneve option space with their
 * md_present bits ('struct flow_tnl''s conventions).
 *
 * A frame a flow encapsulates (XDP_ACT_TNL_PUSH) is looked up again,
 * before anything is done to it, as the outer frame that enters the
 * bridge of the tunnel's underlay through its internal port: in_port is
 * that port's id (ids from XDP_VPORT_ID_BASE up are ports that are not
 * devices the program outputs to: tunnel and internal ports). */
#ifndef XVS_DP_XDP_MAPS_H
#define XVS_DP_XDP_MAPS_H 1

#include <linux/types.h>

#define XDP_KEY_WORDS 14
#define XDP_TNL_MD_BYTES 8

struct xvs_xdp_key {
    union {
        struct {
            __u32 ifindex;
            __u16 vlan_tci;
            __u16 dl_type;
            __u8 dl_dst[6];
            __u8 dl_src[6];
            __u32 nw_src;
            __u32 nw_dst;
            __u8 ipv6_src[16];
            __u8 ipv6_dst[16];
            __u32 ipv6_label;
            __u8 nw_proto;
            __u8 nw_tos;
            __u8 nw_ttl;
            __u8 pad0;
            __u16 tp_src;
            __u16 tp_dst;
            __u16 tcp_flags;
            __u16 pad1;
            __u32 pad2;
            __u64 tun_id;
            __u32 tun_src;
            __u32 tun_dst;
            __u64 tun_md_present;
            __u8 tun_md[XDP_TNL_MD_BYTES];
        };
        __u64 w[XDP_KEY_WORDS];
    };
};

/* What identifies a flow: a mask's slot and the packet's key under that
 * mask. */
struct xvs_xdp_flow_key {
    __u32 mask_id;
    __u32 pad;
    struct xvs_xdp_key masked;
};

/* The flow map is keyed by a 64-bit digest of the flow key rather than
 * by the key itself: the kernel's hash table hashes and compares whole
 * keys, which for the 88 bytes it had then cost more than everything the
 * program does (measured with BPF_PROG_TEST_RUN: 53 of 92 ns).  The
 * entry holds the whole key, which the program compares, so a digest
 * shared by two keys can only cost a miss; user space does not install
 * the second (dp-xdp.c).  Both sides compute it with this function, over
 * the first 'n_words' words (the mask's: the masked key is zero past
 * them, so neither hashing nor comparing needs them; a mask without
 * tunnel fields costs no more than the key before it had them). */
static inline __u64
xvs_xdp_digest(const struct xvs_xdp_flow_key *fk, __u32 n_words)
{
    __u64 h = 0x9e3779b97f4a7c15ULL ^ fk->mask_id;
    for (__u32 i = 0; i < XDP_KEY_WORDS; i++) {
        if (i >= n_words) {
            break;
        }
        h = (h ^ fk->masked.w[i]) * 0xff51afd7ed558ccdULL;
        h ^= h >> 29;
    }
    return h;
}

/* One slot of the masks map; the program tries slots 0 to
 * xvs_xdp_config.n_masks - 1, skipping unused ones. */
struct xvs_xdp_mask {
    __u32 used;
    __u32 n_words;              /* 1 + the last nonzero word of 'mask'. */
    struct xvs_xdp_key mask;
};

static inline __u32
xvs_xdp_mask_words(const struct xvs_xdp_key *mask)
{
    __u32 n = 1;
    for (int i = 0; i < XDP_KEY_WORDS; i++) {
        if (mask->w[i]) {
            n = i + 1;
        }
    }
    return n;
}

#define XDP_MAX_MASKS 16
#define XDP_MAX_FLOWS 200000
#define XDP_MAX_ACTIONS 8
#define XDP_MAX_PORTS 256
#define XDP_MAX_QUEUES 64
#define XDP_MAX_TNL_PORTS 1024
#define XDP_VPORT_ID_BASE 0x7f000000u
#define XDP_VPORT_INTERNAL 0x00800000u  /* In an internal port's id. */
#define XDP_MAX_TNL_PUSH 1024
#define XDP_TNL_PUSH_MAX 128        /* Ethernet to the Geneve options. */
#define XDP_TNL_PUSH_MIN 50         /* Ethernet, IPv4, UDP, 8 of tunnel. */
#define XDP_TNL_MAX_OPTS 8          /* Geneve options parsed per frame. */

enum xvs_xdp_action_type {
    XDP_ACT_OUTPUT = 1,         /* Redirect to ifindex 'arg' (the receiving
                                 * device: XDP_TX); always last. */
    XDP_ACT_SET_ETH_SRC,        /* 'bytes'. */
    XDP_ACT_SET_ETH_DST,        /* 'bytes'. */
    XDP_ACT_SET_IPV4_SRC,       /* 'arg', network order; the IPv4 and the
                                 * TCP or UDP checksum follow. */
    XDP_ACT_SET_IPV4_DST,
    XDP_ACT_SET_IPV4_TOS,       /* 'arg' low byte. */
    XDP_ACT_SET_IPV4_TTL,       /* 'arg' low byte. */
    XDP_ACT_SET_IPV6_HLIMIT,    /* 'arg' low byte. */
    XDP_ACT_SET_TP_SRC,         /* TCP or UDP port 'arg' (network order,
                                 * low 16 bits); the checksum follows. */
    XDP_ACT_SET_TP_DST,
    XDP_ACT_PUSH_VLAN,          /* TCI 'arg' (network order, low 16). */
    XDP_ACT_POP_VLAN,
    XDP_ACT_SET_IPV6_SRC,       /* 'bytes'; the L4 checksum follows. */
    XDP_ACT_SET_IPV6_DST,
    XDP_ACT_SET_IPV6_TC,        /* 'arg' low byte. */
    XDP_ACT_SET_IPV6_LABEL,     /* 'arg' low 20 bits (host order). */
    XDP_ACT_SET_ICMP_TYPE,      /* ICMP or ICMPv6, 'arg' low byte; the */
    XDP_ACT_SET_ICMP_CODE,      /* checksum follows. */
    XDP_ACT_TNL_POP,            /* The only action: a UDP tunnel packet
                                 * (type 'arg', XDP_TNL_*) for us, whose
                                 * inner frame is looked up as the tunnel
                                 * port's and executed; a miss sends the
                                 * whole frame to user space. */
    XDP_ACT_TNL_PUSH,           /* Always last: encapsulate with the
                                 * xvs_tnl_push entry 'arg' and execute
                                 * the flow its outer key finds; with no
                                 * such flow, nothing is done and the
                                 * frame goes to user space. */
};

enum xvs_xdp_tnl_type {
    XDP_TNL_GENEVE = 1,
    XDP_TNL_VXLAN,
};

/* Which tunnel port a decapsulated frame belongs to: tried with the
 * frame's UDP destination port, the outer source as 'remote' and its
 * tun_id as 'key' in the order user space demultiplexes
 * (datapath/port-tunnel.c), a fixed remote first, then a fixed key:
 * (remote, key), (remote, any), (any, key), (any, any); "any" is 0 with
 * the flag clear.  No padding: every byte is a member. */
#define XDP_TNL_FIXED_REMOTE 1
#define XDP_TNL_FIXED_KEY 2
struct xvs_xdp_tnl_port_key {
    __u64 key;                  /* tun_id, network order. */
    __u32 remote;               /* IPv4, network order. */
    __u16 udp_port;             /* Network order. */
    __u8 type;                  /* XDP_TNL_*. */
    __u8 fixed;                 /* XDP_TNL_FIXED_*. */
};

/* A Geneve option a tunnel port maps (its bridge's TLV map): where its
 * data goes in the key's option bytes, and its md_present bit. */
struct xvs_xdp_tnl_opt {
    __u16 opt_class;            /* Network order, as on the wire. */
    __u8 type;
    __u8 len;                   /* Data bytes. */
    __u8 index;                 /* tun_metadataN. */
    __u8 ofs;                   /* In tun_md; past XDP_TNL_MD_BYTES, the
                                 * option's frames are user space's. */
    __u16 pad;
};

/* A tunnel port's entry: its id and the options it maps, held here so
 * that reading an option costs no lookup.  A port that maps more than
 * the entry holds has 'n_opts' XDP_TNL_OPTS_TOO_MANY: its Geneve frames
 * with options are user space's. */
#define XDP_TNL_PORT_OPTS 4
#define XDP_TNL_OPTS_TOO_MANY 0xffffffffu
struct xvs_xdp_tnl_port {
    __u32 id;
    __u32 n_opts;
    struct xvs_xdp_tnl_opt opts[XDP_TNL_PORT_OPTS];
};

/* A tunnel header to push (Geneve or VXLAN over IPv4, as port-tunnel.c
 * builds it for the route the tunnel takes through a bridge): the bytes
 * from Ethernet to the end of the tunnel header, with the IPv4 total
 * length and identification zero and the IPv4 checksum computed so; the
 * UDP source port, length and checksum zero.  The program fills in the
 * lengths, an identification, the checksum and a source port from
 * 'src_port_min' and 'src_port_range' by the inner frame's hash (the one
 * tnl_flow_hash() computes).  A frame whose outer IP packet would exceed
 * 'mtu' goes to user space, which answers it.  'outer' is the key of the
 * outer frame, tp_src zero: the flow it finds must not look at tp_src. */
struct xvs_xdp_tnl_push {
    struct xvs_xdp_key outer;
    __u32 len;
    __u32 mtu;
    __u16 src_port_min;         /* Host order. */
    __u16 pad;
    __u32 src_port_range;       /* At least 1. */
    __u8 hdr[XDP_TNL_PUSH_MAX];
};

struct xvs_xdp_action {
    __u16 type;
    __u16 pad;
    __u32 arg;
    __u8 bytes[16];
};

/* A flow: its key, its counters (the program adds to them atomically)
 * and its actions.  No output action: the packet is dropped. */
struct xvs_xdp_flow {
    struct xvs_xdp_flow_key key;
    __u64 n_packets;
    __u64 n_bytes;
    __u32 n_actions;
    __u32 l4_proto;             /* For the L4 checksums: IPPROTO_TCP, UDP,
                                 * ICMP or ICMPV6 (0: unknown, left
                                 * alone). */
    struct xvs_xdp_action actions[XDP_MAX_ACTIONS];
};

struct xvs_xdp_config {
    __u32 n_masks;
    __u32 tnl_kinds;            /* Bit F: some tunnel port's entry has
                                 * 'fixed' F (the program skips lookups
                                 * that cannot find one). */
};

/* Keys of the per-CPU counters map. */
enum {
    XDP_CTR_HIT,                /* Executed in the kernel. */
    XDP_CTR_MISS,               /* Parsed, no flow: to user space. */
    XDP_CTR_PUNT,               /* Not parsed: to user space. */
    XDP_CTR_ERROR,              /* An action failed: dropped. */
    XDP_CTR_TNL_POP,            /* Decapsulated in the kernel (and a hit). */
    XDP_CTR_TNL_PUSH,           /* Encapsulated in the kernel (and a hit). */
    XDP_N_COUNTERS
};

#endif
