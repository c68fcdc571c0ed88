/* dp-xdp.bpf.c: the in-kernel fast path of "afxdp" ports (dp-xdp.h).
 *
 * Each port's device runs this program.  It parses the frame the way the
 * user-space path does (dp-key.c's extract_common(): Ethernet, one
 * optional 802.1Q tag, IPv4 that is not a fragment, IPv6 without
 * extension headers, TCP, UDP, ICMP over IPv4; and, as the full parse
 * flow-extract.c makes, ICMPv6 other than neighbour discovery, whose
 * target and link-layer address fields the key does not hold), looks
 * its key up
 * under each mask of the masks map in the flow map (by digest, then
 * compared whole: dp-xdp-maps.h), and executes the
 * flow's actions: rewrites, VLAN push and pop, then one output (through
 * the devmap, or XDP_TX back out of the receiving device) or a drop.
 * A flow may instead pop a tunnel (the inner frame is looked up as the
 * tunnel port's) or end by pushing one (the outer frame is looked up as
 * the underlay bridge's, from its internal port); either runs only when
 * the second flow is found, before the frame is touched.
 * Anything else, a frame it does not parse or one no flow covers, goes
 * untouched to the AF_XDP socket of its receive queue (the xsks map), as
 * libxdp's default program would send it, and so to the user-space path.
 *
 * Both paths must agree on every key field for every frame the program
 * accepts: a frame the user-space fast path would hand to its slow path
 * (a short header, say) is not accepted here either. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "dp-xdp-maps.h"
#include "hash-mix.h"

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, XDP_MAX_FLOWS);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, __u64);         /* xvs_xdp_digest() of the flow key. */
    __type(value, struct xvs_xdp_flow);
} xvs_flows SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, XDP_MAX_MASKS);
    __type(key, __u32);
    __type(value, struct xvs_xdp_mask);
} xvs_masks SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct xvs_xdp_config);
} xvs_config SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
    __uint(max_entries, XDP_MAX_PORTS);
    __type(key, __u32);
    __type(value, __u32);
} xvs_ports SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, XDP_N_COUNTERS);
    __type(key, __u32);
    __type(value, __u64);
} xvs_counters SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, XDP_MAX_TNL_PUSH);
    __type(key, __u32);
    __type(value, struct xvs_xdp_tnl_push);
} xvs_tnl_push SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, XDP_MAX_TNL_PORTS);
    __type(key, struct xvs_xdp_tnl_port_key);
    __type(value, struct xvs_xdp_tnl_port);
} xvs_tnl_ports SEC(".maps");

/* Per device, not shared: the AF_XDP socket of each receive queue. */
struct {
    __uint(type, BPF_MAP_TYPE_XSKMAP);
    __uint(max_entries, XDP_MAX_QUEUES);
    __type(key, __u32);
    __type(value, __u32);
} xvs_xsks SEC(".maps");

#define ETH_HLEN_ 14
#define VLAN_HLEN_ 4
#define IPV4_HLEN_ 20
#define IPV4_MAX_HLEN_ 60
#define IPV6_HLEN_ 40
#define TCP_HLEN_ 20
#define UDP_HLEN_ 8
#define ICMP_HLEN_ 8
#define ICMP6_HLEN_ 4
#define IPPROTO_ICMPV6_ 58
#define ND_NEIGHBOR_SOLICIT_ 135
#define ND_NEIGHBOR_ADVERT_ 136
#define VLAN_CFI_ 0x1000
#define IP_MF_OFF_ 0x3fff
#define TNL_HLEN_ 8                 /* Geneve's base header, VXLAN's. */
#define GENEVE_OPT_HLEN_ 4
#define GENEVE_CRITICAL_ 0x80
#define VXLAN_FLAG_I_ 0x08
#define OFS_MASK_ 0x1ff             /* Bounds every header offset. */

/* Where the headers are, for the actions. */
struct layout {
    __u32 l3;                   /* Offset of the IP header. */
    __u32 l4;                   /* Offset of the TCP/UDP/ICMP header. */
    __u32 ipv6;                 /* Whether the IP header is IPv6's. */
};

static __always_inline void
count(__u32 which)
{
    __u64 *c = bpf_map_lookup_elem(&xvs_counters, &which);
    if (c) {
        *c += 1;
    }
}

static __always_inline int
parse_l4(void *data, void *end, struct xvs_xdp_key *k, __u32 l4, __u32 left,
         __u8 proto)
{
    __u8 *p = data + l4;

    if (proto == IPPROTO_TCP) {
        if (left < TCP_HLEN_ || (void *) (p + TCP_HLEN_) > end) {
            return -1;
        }
        __u32 hlen = (p[12] >> 4) * 4;
        if (hlen < TCP_HLEN_ || hlen > left) {
            return -1;
        }
        __builtin_memcpy(&k->tp_src, p, 2);
        __builtin_memcpy(&k->tp_dst, p + 2, 2);
        k->tcp_flags = bpf_htons(((p[12] << 8) | p[13]) & 0x0fff);
    } else if (proto == IPPROTO_UDP) {
        if (left < UDP_HLEN_ || (void *) (p + UDP_HLEN_) > end) {
            return -1;
        }
        __builtin_memcpy(&k->tp_src, p, 2);
        __builtin_memcpy(&k->tp_dst, p + 2, 2);
    } else if (proto == IPPROTO_ICMP) {
        if (left < ICMP_HLEN_ || (void *) (p + ICMP_HLEN_) > end) {
            return -1;
        }
        k->tp_src = bpf_htons(p[0]);
        k->tp_dst = bpf_htons(p[1]);
    } else if (proto == IPPROTO_ICMPV6_) {
        if (left < ICMP6_HLEN_ || (void *) (p + ICMP6_HLEN_) > end
            || p[0] == ND_NEIGHBOR_SOLICIT_ || p[0] == ND_NEIGHBOR_ADVERT_) {
            return -1;
        }
        k->tp_src = bpf_htons(p[0]);
        k->tp_dst = bpf_htons(p[1]);
    } else {
        return -1;
    }
    return 0;
}

/* Fills 'k' from the Ethernet frame at offset 'base' (0, or a tunnel's
 * inner frame), or returns -1 for a frame the user-space path must see.
 * Inline: as a global function it cost 10 ns a frame (BPF_PROG_TEST_RUN),
 * a seventh of the whole program. */
static __always_inline int
xvs_xdp_parse(struct xdp_md *ctx, __u32 base, struct xvs_xdp_key *k,
              struct layout *lo)
{
    if (!ctx || !k || !lo) {
        return -1;
    }
    void *data = (void *) (long) ctx->data;
    void *end = (void *) (long) ctx->data_end;
    __u32 off;
    __u16 type;

    base &= OFS_MASK_;
    __u8 *eth = data + base;
    off = base + ETH_HLEN_;
    if ((void *) (eth + ETH_HLEN_) > end) {
        return -1;
    }
    __builtin_memcpy(k->dl_dst, eth, 6);
    __builtin_memcpy(k->dl_src, eth + 6, 6);
    __builtin_memcpy(&type, eth + 12, 2);
    if (type == bpf_htons(ETH_P_8021Q)) {
        __u16 tci;
        if ((void *) (eth + ETH_HLEN_ + VLAN_HLEN_) > end) {
            return -1;
        }
        __builtin_memcpy(&tci, eth + 14, 2);
        __builtin_memcpy(&type, eth + 16, 2);
        k->vlan_tci = tci | bpf_htons(VLAN_CFI_);
        off += VLAN_HLEN_;
    }
    k->dl_type = type;
    lo->l3 = off;
    lo->ipv6 = 0;

    __u8 *ip = data + off;
    if (type == bpf_htons(ETH_P_IP)) {
        if ((void *) (ip + IPV4_HLEN_) > end || ip[0] >> 4 != 4) {
            return -1;
        }
        __u32 hlen = (ip[0] & 0x0f) * 4;
        __u32 tot_len = (ip[2] << 8) | ip[3];
        __u32 avail = (__u32) (end - (void *) ip);
        if (hlen < IPV4_HLEN_ || tot_len < hlen || tot_len > avail
            || (((ip[6] << 8) | ip[7]) & IP_MF_OFF_)) {
            return -1;
        }
        __builtin_memcpy(&k->nw_src, ip + 12, 4);
        __builtin_memcpy(&k->nw_dst, ip + 16, 4);
        k->nw_proto = ip[9];
        k->nw_tos = ip[1];
        k->nw_ttl = ip[8];
        lo->l4 = off + hlen;
        return parse_l4(data, end, k, off + hlen, tot_len - hlen, ip[9]);
    } else if (type == bpf_htons(ETH_P_IPV6)) {
        if ((void *) (ip + IPV6_HLEN_) > end || ip[0] >> 4 != 6) {
            return -1;
        }
        __u32 plen = (ip[4] << 8) | ip[5];
        __u32 avail = (__u32) (end - (void *) ip) - IPV6_HLEN_;
        if (plen > avail || (ip[6] != IPPROTO_TCP && ip[6] != IPPROTO_UDP
                             && ip[6] != IPPROTO_ICMPV6_)) {
            return -1;
        }
        __u32 label = ((ip[1] & 0x0f) << 16) | (ip[2] << 8) | ip[3];
        k->ipv6_label = bpf_htonl(label);
        k->nw_tos = (ip[0] << 4) | (ip[1] >> 4);
        k->nw_ttl = ip[7];
        k->nw_proto = ip[6];
        __builtin_memcpy(k->ipv6_src, ip + 8, 16);
        __builtin_memcpy(k->ipv6_dst, ip + 24, 16);
        lo->l4 = off + IPV6_HLEN_;
        lo->ipv6 = 1;
        return parse_l4(data, end, k, off + IPV6_HLEN_, plen, ip[6]);
    }
    return -1;
}

struct lookup_ctx {
    struct xvs_xdp_flow_key fk;
    struct xvs_xdp_key key;
    struct xvs_xdp_flow *found;
    __u16 found_tp_src_mask;    /* What the found flow's mask has there. */
};

/* bpf_loop()'s body: mask slot 'i'. */
static long
lookup_one(__u32 i, void *ctx_)
{
    struct lookup_ctx *c = ctx_;
    struct xvs_xdp_mask *m = bpf_map_lookup_elem(&xvs_masks, &i);

    if (!m || !m->used) {
        return 0;
    }
    __u32 n = m->n_words;
    c->fk.mask_id = i;
    for (int w = 0; w < XDP_KEY_WORDS; w++) {
        if (w >= n) {
            break;
        }
        c->fk.masked.w[w] = c->key.w[w] & m->mask.w[w];
    }
    __u64 digest = xvs_xdp_digest(&c->fk, n);
    struct xvs_xdp_flow *f = bpf_map_lookup_elem(&xvs_flows, &digest);
    if (!f || f->key.mask_id != i) {
        return 0;
    }
    for (int w = 0; w < XDP_KEY_WORDS; w++) {
        if (w >= n) {
            break;
        }
        if (f->key.masked.w[w] != c->fk.masked.w[w]) {
            return 0;
        }
    }
    c->found = f;
    c->found_tp_src_mask = m->mask.tp_src;
    return 1;
}

static __always_inline struct xvs_xdp_flow *
lookup(struct lookup_ctx *c)
{
    __u32 zero = 0;
    struct xvs_xdp_config *cfg = bpf_map_lookup_elem(&xvs_config, &zero);

    if (!cfg) {
        return 0;
    }
    __u32 n = cfg->n_masks;
    c->fk.pad = 0;
    c->found = 0;
    if (n == 1) {
        /* The common case without bpf_loop()'s indirect calls. */
        lookup_one(0, c);
    } else {
        bpf_loop(n < XDP_MAX_MASKS ? n : XDP_MAX_MASKS, lookup_one, c, 0);
    }
    return c->found;
}

/* The ones' complement of the 16-bit ones' complement sum 'sum' (as
 * bpf_csum_diff() gives it): 0 for a header whose checksum is right. */
static __always_inline __u16
csum_fold(__s64 sum)
{
    __u64 s = (__u32) sum;
    s = (s & 0xffff) + (s >> 16);
    s = (s & 0xffff) + (s >> 16);
    return (__u16) ~s;
}

/* RFC 1624 incremental update of the checksum at 'sum' for a 16-bit
 * word going from 'old' to 'new' (all as they sit in memory). */
static __always_inline void
csum_replace2(__u16 *sum, __u16 old, __u16 new)
{
    __u32 s = (__u16) ~*sum + (__u16) ~old + new;
    s = (s & 0xffff) + (s >> 16);
    s = (s & 0xffff) + (s >> 16);
    *sum = ~s;
}

static __always_inline void
csum_replace4(__u16 *sum, __u32 old, __u32 new)
{
    csum_replace2(sum, old & 0xffff, new & 0xffff);
    csum_replace2(sum, old >> 16, new >> 16);
}

/* The L4 checksum's place, or NULL: an unknown protocol, or a UDP
 * datagram over IPv4 without one ("none" stays so). */
static __always_inline __u16 *
l4_csum(void *data, void *end, const struct layout *lo, __u32 proto)
{
    __u8 *p = data + (lo->l4 & 0xff);
    if (proto == IPPROTO_TCP) {
        if ((void *) (p + TCP_HLEN_) > end) {
            return 0;
        }
        return (__u16 *) (p + 16);
    }
    if (proto == IPPROTO_UDP) {
        if ((void *) (p + UDP_HLEN_) > end) {
            return 0;
        }
        __u16 *c = (__u16 *) (p + 6);
        return *c || lo->ipv6 ? c : 0;
    }
    if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6_) {
        if ((void *) (p + ICMP6_HLEN_) > end) {
            return 0;
        }
        return (__u16 *) (p + 2);
    }
    return 0;
}

/* The L4 checksum if it covers the IP addresses (a pseudo-header). */
static __always_inline __u16 *
l4_pseudo_csum(void *data, void *end, const struct layout *lo, __u32 proto)
{
    return proto == IPPROTO_ICMP ? 0 : l4_csum(data, end, lo, proto);
}

static __always_inline void
fix_udp_zero(__u16 *c, __u32 proto)
{
    if (proto == IPPROTO_UDP && !*c) {
        *c = 0xffff;
    }
}

/* Writes 'new' into the 16-bit word at 'ofs' (0 or 2) of the L4 header
 * (ports, or ICMP type and code), the checksum following; -1 if the
 * frame turned out not to fit. */
static __always_inline int
set_l4_word(void *data, void *end, const struct layout *lo, __u32 proto,
            __u32 ofs, __u16 new)
{
    __u8 *p = data + (lo->l4 & 0xff) + (ofs & 2);
    __u16 old;

    if ((void *) (p + 2) > end) {
        return -1;
    }
    __builtin_memcpy(&old, p, 2);
    __u16 *c = l4_csum(data, end, lo, proto);
    if (c) {
        csum_replace2(c, old, new);
        fix_udp_zero(c, proto);
    }
    __builtin_memcpy(p, &new, 2);
    return 0;
}

/* Executes one rewrite; -1 if the frame turned out not to fit. */
static __always_inline int
do_set(struct xdp_md *ctx, const struct xvs_xdp_action *a, struct layout *lo,
       __u32 proto)
{
    void *data = (void *) (long) ctx->data;
    void *end = (void *) (long) ctx->data_end;
    __u8 *ip = data + (lo->l3 & 0xff);
    __u16 *c;

    switch (a->type) {
    case XDP_ACT_SET_ETH_SRC:
    case XDP_ACT_SET_ETH_DST:
        if (data + ETH_HLEN_ > end) {
            return -1;
        }
        __builtin_memcpy(data + (a->type == XDP_ACT_SET_ETH_SRC ? 6 : 0),
                         a->bytes, 6);
        return 0;
    case XDP_ACT_SET_IPV4_SRC:
    case XDP_ACT_SET_IPV4_DST: {
        if ((void *) (ip + IPV4_HLEN_) > end) {
            return -1;
        }
        __u32 ofs = a->type == XDP_ACT_SET_IPV4_SRC ? 12 : 16;
        __u32 old, new = a->arg;
        __builtin_memcpy(&old, ip + ofs, 4);
        csum_replace4((__u16 *) (ip + 10), old, new);
        c = l4_pseudo_csum(data, end, lo, proto);
        if (c) {
            csum_replace4(c, old, new);
            fix_udp_zero(c, proto);
        }
        __builtin_memcpy(ip + ofs, &new, 4);
        return 0;
    }
    case XDP_ACT_SET_IPV6_SRC:
    case XDP_ACT_SET_IPV6_DST: {
        if ((void *) (ip + IPV6_HLEN_) > end) {
            return -1;
        }
        __u8 *addr = ip + (a->type == XDP_ACT_SET_IPV6_SRC ? 8 : 24);
        c = l4_pseudo_csum(data, end, lo, proto);
        if (c) {
#pragma unroll
            for (int i = 0; i < 16; i += 4) {
                __u32 old, new;
                __builtin_memcpy(&old, addr + i, 4);
                __builtin_memcpy(&new, a->bytes + i, 4);
                csum_replace4(c, old, new);
            }
            fix_udp_zero(c, proto);
        }
        __builtin_memcpy(addr, a->bytes, 16);
        return 0;
    }
    case XDP_ACT_SET_IPV6_TC:
    case XDP_ACT_SET_IPV6_LABEL: {
        if ((void *) (ip + IPV6_HLEN_) > end) {
            return -1;
        }
        __u32 w;
        __builtin_memcpy(&w, ip, 4);
        w = bpf_ntohl(w);
        w = (a->type == XDP_ACT_SET_IPV6_TC
             ? (w & 0xf00fffff) | ((a->arg & 0xff) << 20)
             : (w & 0xfff00000) | (a->arg & 0xfffff));
        w = bpf_htonl(w);
        __builtin_memcpy(ip, &w, 4);
        return 0;
    }
    case XDP_ACT_SET_ICMP_TYPE:
    case XDP_ACT_SET_ICMP_CODE: {
        /* Type and code are one 16-bit word of the checksum. */
        __u8 *p = data + (lo->l4 & 0xff);
        if ((void *) (p + 2) > end) {
            return -1;
        }
        __u8 w[2] = { p[0], p[1] };
        __u16 new;
        if (a->type == XDP_ACT_SET_ICMP_CODE) {
            w[1] = a->arg;
        } else {
            w[0] = a->arg;
        }
        __builtin_memcpy(&new, w, 2);
        return set_l4_word(data, end, lo, proto, 0, new);
    }
    case XDP_ACT_SET_IPV4_TOS:
    case XDP_ACT_SET_IPV4_TTL: {
        if ((void *) (ip + IPV4_HLEN_) > end) {
            return -1;
        }
        __u32 ofs = a->type == XDP_ACT_SET_IPV4_TOS ? 0 : 8;
        __u16 old, new;
        __builtin_memcpy(&old, ip + ofs, 2);
        ip[ofs + (a->type == XDP_ACT_SET_IPV4_TOS)] = a->arg;
        __builtin_memcpy(&new, ip + ofs, 2);
        csum_replace2((__u16 *) (ip + 10), old, new);
        return 0;
    }
    case XDP_ACT_SET_IPV6_HLIMIT:
        if ((void *) (ip + IPV6_HLEN_) > end) {
            return -1;
        }
        ip[7] = a->arg;
        return 0;
    case XDP_ACT_SET_TP_SRC:
    case XDP_ACT_SET_TP_DST:
        return set_l4_word(data, end, lo, proto,
                           a->type == XDP_ACT_SET_TP_SRC ? 0 : 2, a->arg);
    }
    return -1;
}

static __always_inline int
push_vlan(struct xdp_md *ctx, __u16 tci, struct layout *lo)
{
    if (bpf_xdp_adjust_head(ctx, -VLAN_HLEN_)) {
        return -1;
    }
    void *data = (void *) (long) ctx->data;
    void *end = (void *) (long) ctx->data_end;
    __u32 *w = data;
    __u16 tag[2] = { bpf_htons(ETH_P_8021Q), tci };

    if (data + ETH_HLEN_ + VLAN_HLEN_ > end) {
        return -1;
    }
    w[0] = w[1];
    w[1] = w[2];
    w[2] = w[3];
    __builtin_memcpy(data + 12, tag, 4);
    lo->l3 += VLAN_HLEN_;
    lo->l4 += VLAN_HLEN_;
    return 0;
}

static __always_inline int
pop_vlan(struct xdp_md *ctx, struct layout *lo)
{
    void *data = (void *) (long) ctx->data;
    void *end = (void *) (long) ctx->data_end;
    __u32 *w = data;
    __u16 type;

    if (data + ETH_HLEN_ + VLAN_HLEN_ > end) {
        return 0;
    }
    __builtin_memcpy(&type, data + 12, 2);
    if (type != bpf_htons(ETH_P_8021Q)) {
        return 0;
    }
    w[3] = w[2];
    w[2] = w[1];
    w[1] = w[0];
    if (bpf_xdp_adjust_head(ctx, VLAN_HLEN_)) {
        return -1;
    }
    lo->l3 -= VLAN_HLEN_;
    lo->l4 -= VLAN_HLEN_;
    return 0;
}

/* One action other than output, as a global function: the verifier checks
 * it once rather than once per action of every path through the parser.
 * 0, or -1 if the frame cannot take it. */
__noinline int
xvs_xdp_exec(struct xdp_md *ctx, const struct xvs_xdp_action *a,
             struct layout *lo, __u32 proto)
{
    if (!ctx || !a || !lo) {
        return -1;
    }
    switch (a->type) {
    case XDP_ACT_PUSH_VLAN:
        return push_vlan(ctx, a->arg, lo);
    case XDP_ACT_POP_VLAN:
        return pop_vlan(ctx, lo);
    default:
        return do_set(ctx, a, lo, proto);
    }
}

/* The tunnel port a frame to UDP port 'udp_port' from 'src' with
 * 'tun_id' belongs to, or NULL.  'kinds' is xvs_xdp_config.tnl_kinds. */
static __always_inline struct xvs_xdp_tnl_port *
tnl_port(__u32 type, __u16 udp_port, __u32 src, __u64 tun_id, __u32 kinds)
{
    struct xvs_xdp_tnl_port_key pk = { .udp_port = udp_port, .type = type };
    struct xvs_xdp_tnl_port *tp;

#pragma unroll
    for (int i = 0; i < 4; i++) {
        pk.fixed = ((i < 2 ? XDP_TNL_FIXED_REMOTE : 0)
                    | (i & 1 ? 0 : XDP_TNL_FIXED_KEY));
        if (!(kinds & (1u << pk.fixed))) {
            continue;
        }
        pk.remote = i < 2 ? src : 0;
        pk.key = i & 1 ? 0 : tun_id;
        tp = bpf_map_lookup_elem(&xvs_tnl_ports, &pk);
        if (tp) {
            return tp;
        }
    }
    return 0;
}

/* Reads the Geneve options between 'off' and 'opt_end' that tunnel port
 * 'tp' maps into 'k', as tnl-header.c does: unmapped ones skipped unless
 * critical.  -1 for a frame user space must see (a critical option it
 * does not map, bad lengths, more options than the program reads, an
 * option whose place is past the key's option bytes, a port that maps
 * more options than its entry holds). */
static __always_inline int
geneve_opts(void *data, void *end, __u32 off, __u32 opt_end,
            const struct xvs_xdp_tnl_port *tp, struct xvs_xdp_key *k)
{
    __u32 n_opts = tp->n_opts;

    if (off < opt_end && n_opts > XDP_TNL_PORT_OPTS) {
        return -1;
    }
    for (int i = 0; i < XDP_TNL_MAX_OPTS; i++) {
        if (off >= opt_end) {
            return 0;
        }
        __u8 *o = data + (off & OFS_MASK_);
        if ((void *) (o + GENEVE_OPT_HLEN_ + XDP_TNL_MD_BYTES) > end) {
            return -1;
        }
        __u32 len = (o[3] & 0x1f) * 4;
        if (off + GENEVE_OPT_HLEN_ + len > opt_end) {
            return -1;
        }
        __u16 opt_class;
        __builtin_memcpy(&opt_class, o, 2);
        const struct xvs_xdp_tnl_opt *m = 0;
#pragma unroll
        for (int j = 0; j < XDP_TNL_PORT_OPTS; j++) {
            const struct xvs_xdp_tnl_opt *c = &tp->opts[j];
            if (!m && j < n_opts && c->opt_class == opt_class
                && c->type == o[2] && c->len == len) {
                m = c;
            }
        }
        if (m) {
            __u32 ofs = m->ofs;
            if (ofs + len > XDP_TNL_MD_BYTES) {
                return -1;
            }
#pragma unroll
            for (int j = 0; j < XDP_TNL_MD_BYTES; j++) {
                if (j < len) {
                    k->tun_md[(ofs + j) & (XDP_TNL_MD_BYTES - 1)]
                        = o[GENEVE_OPT_HLEN_ + j];
                }
            }
            k->tun_md_present |= 1ULL << (m->index & 63);
        } else if (o[2] & GENEVE_CRITICAL_) {
            return -1;
        }
        off += GENEVE_OPT_HLEN_ + len;
    }
    return off >= opt_end ? 0 : -1;
}

/* For a frame whose outer headers 'lo' describes (IPv4, UDP) and that a
 * flow pops as a tunnel of 'type': replaces 'k' with the key of the
 * inner frame as the tunnel port's, 'lo' with the inner frame's layout,
 * and returns the inner frame's offset; -1 for a frame user space must
 * see (what tnl-header.c would drop, a tunnel no port takes).  Nothing in
 * the frame changes. */
__noinline int
xvs_xdp_tnl_pop(struct xdp_md *ctx, struct xvs_xdp_key *k, struct layout *lo,
                __u32 type)
{
    if (!ctx || !k || !lo || lo->ipv6) {
        return -1;
    }
    void *data = (void *) (long) ctx->data;
    void *end = (void *) (long) ctx->data_end;
    __u8 *ip = data + (lo->l3 & 0xff);
    __u32 l4 = lo->l4 & 0xff;
    __u8 *th = data + l4 + UDP_HLEN_;
    __u32 src, dst, hlen;

    /* What port-tunnel.c's native_input() checks: the IPv4 header
     * checksum, the UDP length; a UDP checksum it would verify (one
     * that is not zero) makes the frame user space's.  And nothing may
     * follow the IP packet, which the inner frame would take in. */
    if ((void *) (ip + IPV4_MAX_HLEN_) > end
        || (void *) (th + TNL_HLEN_) > end) {
        return -1;
    }
    __u32 ihl = (ip[0] & 0x0f) * 4;
    __u32 tot_len = (ip[2] << 8) | ip[3];
    __u8 *udp = th - UDP_HLEN_;
    if (ihl < IPV4_HLEN_ || (void *) ip + tot_len != end
        || ((udp[4] << 8) | udp[5]) != tot_len - ihl || udp[6] || udp[7]
        || csum_fold(bpf_csum_diff(0, 0, (__be32 *) ip, ihl, 0))) {
        return -1;
    }
    __builtin_memcpy(&src, ip + 12, 4);
    __builtin_memcpy(&dst, ip + 16, 4);
    if (type == XDP_TNL_VXLAN) {
        if (!(th[0] & VXLAN_FLAG_I_)) {
            return -1;
        }
        hlen = TNL_HLEN_;
    } else if (type == XDP_TNL_GENEVE) {
        if (th[0] >> 6 || th[2] != 0x65 || th[3] != 0x58) {
            return -1;
        }
        hlen = TNL_HLEN_ + (th[0] & 0x3f) * 4;
    } else {
        return -1;
    }
    __u64 vni = ((__u32) th[4] << 16) | ((__u32) th[5] << 8) | th[6];
    __u64 tun_id = bpf_cpu_to_be64(vni);
    __u16 udp_port;
    __builtin_memcpy(&udp_port, udp + 2, 2);
    __u32 zero = 0;
    struct xvs_xdp_config *cfg = bpf_map_lookup_elem(&xvs_config, &zero);
    if (!cfg) {
        return -1;
    }
    struct xvs_xdp_tnl_port *tp = tnl_port(type, udp_port, src, tun_id,
                                           cfg->tnl_kinds);
    if (!tp) {
        return -1;
    }

#pragma unroll
    for (int w = 0; w < XDP_KEY_WORDS; w++) {
        k->w[w] = 0;
    }
    k->ifindex = tp->id;
    k->tun_id = tun_id;
    k->tun_src = src;
    k->tun_dst = dst;
    __u32 inner = l4 + UDP_HLEN_ + hlen;
    if (type == XDP_TNL_GENEVE
        && geneve_opts(data, end, l4 + UDP_HLEN_ + TNL_HLEN_, inner, tp,
                       k)) {
        return -1;
    }
    if (xvs_xdp_parse(ctx, inner, k, lo)) {
        return -1;
    }
    return inner;
}

/* ---- Encapsulation. ---- */

static __always_inline __u32
load32(const __u8 *p)
{
    __u32 w;
    __builtin_memcpy(&w, p, 4);
    return w;
}

/* tnl_flow_hash() (tnl-header.c) of the frame, so that a flow's outer
 * source port is the one user space gives it: the Ethernet addresses,
 * the IP addresses and protocol, and the TCP, UDP or SCTP ports.  Frames
 * here were parsed: they have the Ethernet header. */
static __always_inline __u32
flow_hash(void *data, void *end)
{
    __u8 *f = data;
    __u32 len = end - data;

    if ((void *) (f + ETH_HLEN_) > end) {
        return 0;
    }
    __u32 h = 0;
#pragma unroll
    for (int i = 0; i < 12; i += 4) {
        h = hash_mix_add(h, load32(f + i));
    }
    h = hash_mix_finish(h, 12);
    __u16 type = (f[12] << 8) | f[13];
    __u8 *l3 = f + ETH_HLEN_;
    __u32 l3_len = len - ETH_HLEN_;
    __u8 *l4 = 0;
    __u8 proto = 0;

    if (type == ETH_P_IP && l3_len >= IPV4_HLEN_
        && (void *) (l3 + IPV4_HLEN_) <= end) {
        __u32 ihl = (l3[0] & 0xf) * 4;
        h = hash_mix_add(h, load32(l3 + 12));
        h = hash_mix_finish(hash_mix_add(h, load32(l3 + 16)), 8);
        proto = l3[9];
        if (!(((l3[6] << 8) | l3[7]) & 0x1fff) && ihl >= IPV4_HLEN_
            && l3_len >= ihl + 4) {
            l4 = l3 + (ihl & 0x3c);
        }
    } else if (type == ETH_P_IPV6 && l3_len >= IPV6_HLEN_
               && (void *) (l3 + IPV6_HLEN_) <= end) {
#pragma unroll
        for (int i = 8; i < IPV6_HLEN_; i += 4) {
            h = hash_mix_add(h, load32(l3 + i));
        }
        h = hash_mix_finish(h, 32);
        proto = l3[6];
        if (l3_len >= IPV6_HLEN_ + 4) {
            l4 = l3 + IPV6_HLEN_;
        }
    }
    h = hash_mix_add(h, proto);
    if (l4 && (proto == IPPROTO_TCP || proto == IPPROTO_UDP
               || proto == IPPROTO_SCTP)
        && (void *) (l4 + 4) <= end) {
        h = hash_mix_finish(hash_mix_add(h, load32(l4)), 4);
    }
    return hash_mix_finish(h, 0);
}

/* Puts the headers of 'h' in front of the frame and fills in what
 * depends on it: 0, or -1 if the frame could not take them. */
__noinline int
xvs_xdp_tnl_push(struct xdp_md *ctx, const struct xvs_xdp_tnl_push *h)
{
    if (!ctx || !h) {
        return -1;
    }
    void *data = (void *) (long) ctx->data;
    void *end = (void *) (long) ctx->data_end;
    __u32 inner_len = end - data;
    __u32 len = h->len;
    if (len < XDP_TNL_PUSH_MIN || len > XDP_TNL_PUSH_MAX) {
        return -1;
    }
    __u32 range = h->src_port_range ? h->src_port_range : 1;
    __u16 src_port = bpf_htons(h->src_port_min
                               + flow_hash(data, end) % range);
    if (bpf_xdp_adjust_head(ctx, -(int) len)
        || bpf_xdp_store_bytes(ctx, 0, (void *) h->hdr, len)) {
        return -1;
    }
    data = (void *) (long) ctx->data;
    end = (void *) (long) ctx->data_end;
    __u8 *ip = data + ETH_HLEN_;
    __u8 *udp = ip + IPV4_HLEN_;
    if ((void *) (udp + UDP_HLEN_) > end) {
        return -1;
    }
    __u16 tot_len = bpf_htons(len - ETH_HLEN_ + inner_len);
    __u16 udp_len = bpf_htons(len - ETH_HLEN_ - IPV4_HLEN_ + inner_len);
    /* The identification of a packet that may be fragmented must differ
     * from its predecessors'; user space counts, here it is random. */
    __u16 id = bpf_get_prandom_u32();
    __builtin_memcpy(ip + 2, &tot_len, 2);
    __builtin_memcpy(ip + 4, &id, 2);
    csum_replace2((__u16 *) (ip + 10), 0, tot_len);
    csum_replace2((__u16 *) (ip + 10), 0, id);
    __builtin_memcpy(udp, &src_port, 2);
    __builtin_memcpy(udp + 4, &udp_len, 2);
    return 0;
}

/* 'f''s last action, or NULL. */
static __always_inline const struct xvs_xdp_action *
last_action(const struct xvs_xdp_flow *f)
{
    __u32 i = f->n_actions - 1;
    if (i >= XDP_MAX_ACTIONS) {
        return 0;
    }
    /* Bounds the index for the verifier: the compiler would drop a
     * plain mask as redundant after the test above. */
    asm volatile("%[i] &= %[m]"
                 : [i] "+r" (i) : [m] "i" (XDP_MAX_ACTIONS - 1));
    return &f->actions[i];
}

static __always_inline int
pushes(const struct xvs_xdp_flow *f)
{
    const struct xvs_xdp_action *a = last_action(f);
    return a && a->type == XDP_ACT_TNL_PUSH;
}

/* The flow that takes the outer frame of 'f''s encapsulation (header
 * '*hp'), or NULL with the counter to count in '*why'. */
static __always_inline struct xvs_xdp_flow *
encap_flow(struct xdp_md *ctx, const struct xvs_xdp_flow *f,
           struct lookup_ctx *lc, struct xvs_xdp_tnl_push **hp, __u32 *why)
{
    const struct xvs_xdp_action *a = last_action(f);
    __u32 slot = a ? a->arg : XDP_MAX_TNL_PUSH;
    struct xvs_xdp_tnl_push *h = bpf_map_lookup_elem(&xvs_tnl_push, &slot);

    __u32 frame_len = ctx->data_end - ctx->data;
    *why = XDP_CTR_PUNT;
    if (!h || h->len - ETH_HLEN_ + frame_len > h->mtu) {
        return 0;
    }
#pragma unroll
    for (int w = 0; w < XDP_KEY_WORDS; w++) {
        lc->key.w[w] = h->outer.w[w];
    }
    struct xvs_xdp_flow *g = lookup(lc);
    if (!g) {
        *why = XDP_CTR_MISS;
        return 0;
    }
    /* Its source port is chosen later; a flow that looks at it cannot
     * be known to be the one, and one tunnel action per frame. */
    if (lc->found_tp_src_mask || pushes(g)
        || (g->n_actions && g->actions[0].type == XDP_ACT_TNL_POP)) {
        return 0;
    }
    *hp = h;
    return g;
}

static __always_inline int
to_user_space(struct xdp_md *ctx)
{
    return bpf_redirect_map(&xvs_xsks, ctx->rx_queue_index, XDP_PASS);
}

static __always_inline void
count_flow(struct xvs_xdp_flow *f, __u64 bytes)
{
    __sync_fetch_and_add(&f->n_packets, 1);
    __sync_fetch_and_add(&f->n_bytes, bytes);
}

#define RAN_ALL -1

/* Runs the first 'n' of 'f''s actions: the verdict of its output, or
 * XDP_DROP if one could not be done, or RAN_ALL. */
static __always_inline int
run_actions(struct xdp_md *ctx, const struct xvs_xdp_flow *f, __u32 n,
            struct layout *lo)
{
    __u32 proto = f->l4_proto;
    for (__u32 i = 0; i < XDP_MAX_ACTIONS; i++) {
        if (i >= n) {
            break;
        }
        const struct xvs_xdp_action *a = &f->actions[i];

        if (a->type == XDP_ACT_OUTPUT) {
            if (a->arg == ctx->ingress_ifindex) {
                return XDP_TX;
            }
            return bpf_redirect_map(&xvs_ports, a->arg, 0);
        }
        if (xvs_xdp_exec(ctx, a, lo, proto)) {
            count(XDP_CTR_ERROR);
            return XDP_DROP;
        }
    }
    return RAN_ALL;
}

SEC("xdp")
int
xvs_xdp(struct xdp_md *ctx)
{
    struct lookup_ctx lc;
    struct layout lo = { 0, 0, 0 };

#pragma unroll
    for (int w = 0; w < XDP_KEY_WORDS; w++) {
        lc.key.w[w] = 0;
    }
    lc.key.ifindex = ctx->ingress_ifindex;
    if (xvs_xdp_parse(ctx, 0, &lc.key, &lo)) {
        count(XDP_CTR_PUNT);
        return to_user_space(ctx);
    }
    struct xvs_xdp_flow *f = lookup(&lc);
    if (!f) {
        count(XDP_CTR_MISS);
        return to_user_space(ctx);
    }
    if (f->n_actions == 1 && f->actions[0].type == XDP_ACT_TNL_POP) {
        /* Both flows count the frame only once the inner one is found,
         * and the frame loses its outer headers only then. */
        struct xvs_xdp_flow *outer = f;
        __u64 outer_bytes = ctx->data_end - ctx->data;
        int inner = xvs_xdp_tnl_pop(ctx, &lc.key, &lo, f->actions[0].arg);
        if (inner < 0) {
            count(XDP_CTR_PUNT);
            return to_user_space(ctx);
        }
        f = lookup(&lc);
        if (!f) {
            count(XDP_CTR_MISS);
            return to_user_space(ctx);
        }
        if ((f->n_actions && f->actions[0].type == XDP_ACT_TNL_POP)
            || pushes(f)) {
            /* A tunnel in the tunnel, or out to another: one tunnel
             * action per frame here. */
            count(XDP_CTR_PUNT);
            return to_user_space(ctx);
        }
        if (bpf_xdp_adjust_head(ctx, inner)) {
            count(XDP_CTR_PUNT);
            return to_user_space(ctx);
        }
        count_flow(outer, outer_bytes);
        count(XDP_CTR_TNL_POP);
        lo.l3 -= inner;
        lo.l4 -= inner;
    }

    /* An encapsulation runs only if the outer frame's flow is found,
     * before the frame is touched. */
    __u32 n = f->n_actions;
    struct xvs_xdp_tnl_push *h = 0;
    struct xvs_xdp_flow *g = 0;
    if (pushes(f)) {
        __u32 why;
        g = encap_flow(ctx, f, &lc, &h, &why);
        if (!g) {
            count(why);
            return to_user_space(ctx);
        }
        n--;
    }
    count_flow(f, ctx->data_end - ctx->data);
    count(XDP_CTR_HIT);
    int verdict = run_actions(ctx, f, n, &lo);
    if (verdict != RAN_ALL) {
        return verdict;
    }
    if (!g || !h) {
        return XDP_DROP;
    }
    if (xvs_xdp_tnl_push(ctx, h)) {
        count(XDP_CTR_ERROR);
        return XDP_DROP;
    }
    count_flow(g, ctx->data_end - ctx->data);
    count(XDP_CTR_TNL_PUSH);
    struct layout outer = { ETH_HLEN_, ETH_HLEN_ + IPV4_HLEN_, 0 };
    verdict = run_actions(ctx, g, g->n_actions, &outer);
    return verdict == RAN_ALL ? XDP_DROP : verdict;
}

char _license[] SEC("license") = "GPL";
