/* dp-format: datapath flows and actions as text; see dp-format.h. */
#include <config.h>
#include "dp-format.h"

#include <arpa/inet.h>
#include <endian.h>
#include <inttypes.h>
#include <string.h>
#include "dpif.h"
#include "tnl-header.h"
#include "packet-set.h"
#include "packets.h"

/* When an attribute applies to a packet. */
enum dpf_when {
    DPF_ALWAYS,
    DPF_VLAN,
    DPF_MPLS,
    DPF_IPV4,
    DPF_IPV6,
    DPF_ARP,
    DPF_TCP,
    DPF_UDP,
    DPF_SCTP,
    DPF_ICMP,
    DPF_ICMPV6,
    DPF_ND,
};

enum dpf_fmt {
    DPF_DEC,
    DPF_HEX,
    DPF_ETHERTYPE,
    DPF_ETH,
    DPF_IPV4_ADDR,
    DPF_IPV6_ADDR,
    DPF_FRAG,
};

/* One field of an attribute: the 'bits' of the network-order integer of
 * 'size' bytes at 'ofs' in struct flow, shifted down by 'shift' (for
 * integers; addresses are printed whole).  A NULL 'name' is an attribute
 * with a bare value, "eth_type(0x0800)". */
struct dpf_field {
    const char *attr;
    const char *name;
    enum dpf_when when;
    size_t ofs;
    unsigned int size;
    enum dpf_fmt fmt;
    uint64_t bits;
    unsigned int shift;
};

#define MEMBER(M) offsetof(struct flow, M), sizeof ((struct flow *) 0)->M
#define INT(ATTR, NAME, WHEN, M, FMT) \
    { ATTR, NAME, WHEN, MEMBER(M), FMT, UINT64_MAX, 0 }
#define BITS(ATTR, NAME, WHEN, M, FMT, BITS, SHIFT) \
    { ATTR, NAME, WHEN, MEMBER(M), FMT, BITS, SHIFT }

/* In Open vSwitch's order; fields of one attribute are adjacent. */
static const struct dpf_field dpf_fields[] = {
    INT("tunnel", "tun_id", DPF_ALWAYS, tunnel.tun_id, DPF_HEX),
    INT("tunnel", "src", DPF_ALWAYS, tunnel.ip_src, DPF_IPV4_ADDR),
    INT("tunnel", "dst", DPF_ALWAYS, tunnel.ip_dst, DPF_IPV4_ADDR),
    INT("tunnel", "ipv6_src", DPF_ALWAYS, tunnel.ipv6_src, DPF_IPV6_ADDR),
    INT("tunnel", "ipv6_dst", DPF_ALWAYS, tunnel.ipv6_dst, DPF_IPV6_ADDR),
    INT("eth", "src", DPF_ALWAYS, dl_src, DPF_ETH),
    INT("eth", "dst", DPF_ALWAYS, dl_dst, DPF_ETH),
    BITS("vlan", "vid", DPF_VLAN, vlan_tci, DPF_DEC, VLAN_VID_MASK, 0),
    BITS("vlan", "pcp", DPF_VLAN, vlan_tci, DPF_DEC, 7, VLAN_PCP_SHIFT),
    INT("eth_type", NULL, DPF_ALWAYS, dl_type, DPF_ETHERTYPE),
    BITS("mpls", "label", DPF_MPLS, mpls_lse[0], DPF_DEC, 0xfffff,
         MPLS_LABEL_SHIFT),
    BITS("mpls", "tc", DPF_MPLS, mpls_lse[0], DPF_DEC, 7, MPLS_TC_SHIFT),
    BITS("mpls", "ttl", DPF_MPLS, mpls_lse[0], DPF_DEC, 0xff, 0),
    BITS("mpls", "bos", DPF_MPLS, mpls_lse[0], DPF_DEC, 1, MPLS_BOS_SHIFT),
    INT("ipv4", "src", DPF_IPV4, nw_src, DPF_IPV4_ADDR),
    INT("ipv4", "dst", DPF_IPV4, nw_dst, DPF_IPV4_ADDR),
    INT("ipv4", "proto", DPF_IPV4, nw_proto, DPF_DEC),
    INT("ipv4", "tos", DPF_IPV4, nw_tos, DPF_HEX),
    INT("ipv4", "ttl", DPF_IPV4, nw_ttl, DPF_DEC),
    INT("ipv4", "frag", DPF_IPV4, nw_frag, DPF_FRAG),
    INT("ipv6", "src", DPF_IPV6, ipv6_src, DPF_IPV6_ADDR),
    INT("ipv6", "dst", DPF_IPV6, ipv6_dst, DPF_IPV6_ADDR),
    INT("ipv6", "label", DPF_IPV6, ipv6_label, DPF_HEX),
    INT("ipv6", "proto", DPF_IPV6, nw_proto, DPF_DEC),
    INT("ipv6", "tclass", DPF_IPV6, nw_tos, DPF_HEX),
    INT("ipv6", "hlimit", DPF_IPV6, nw_ttl, DPF_DEC),
    INT("ipv6", "frag", DPF_IPV6, nw_frag, DPF_FRAG),
    INT("tcp", "src", DPF_TCP, tp_src, DPF_DEC),
    INT("tcp", "dst", DPF_TCP, tp_dst, DPF_DEC),
    INT("tcp_flags", NULL, DPF_TCP, tcp_flags, DPF_HEX),
    INT("udp", "src", DPF_UDP, tp_src, DPF_DEC),
    INT("udp", "dst", DPF_UDP, tp_dst, DPF_DEC),
    INT("sctp", "src", DPF_SCTP, tp_src, DPF_DEC),
    INT("sctp", "dst", DPF_SCTP, tp_dst, DPF_DEC),
    INT("icmp", "type", DPF_ICMP, tp_src, DPF_DEC),
    INT("icmp", "code", DPF_ICMP, tp_dst, DPF_DEC),
    INT("icmpv6", "type", DPF_ICMPV6, tp_src, DPF_DEC),
    INT("icmpv6", "code", DPF_ICMPV6, tp_dst, DPF_DEC),
    INT("arp", "sip", DPF_ARP, nw_src, DPF_IPV4_ADDR),
    INT("arp", "tip", DPF_ARP, nw_dst, DPF_IPV4_ADDR),
    INT("arp", "op", DPF_ARP, nw_proto, DPF_DEC),
    INT("arp", "sha", DPF_ARP, arp_sha, DPF_ETH),
    INT("arp", "tha", DPF_ARP, arp_tha, DPF_ETH),
    INT("nd", "target", DPF_ND, nd_target, DPF_IPV6_ADDR),
    INT("nd", "sll", DPF_ND, arp_sha, DPF_ETH),
    INT("nd", "tll", DPF_ND, arp_tha, DPF_ETH),
};

static bool
applies(enum dpf_when when, const struct flow *f)
{
    uint16_t type = ntohs(f->dl_type);
    bool ipv4 = type == ETH_TYPE_IP, ipv6 = type == ETH_TYPE_IPV6;
    bool l4 = (ipv4 || ipv6) && !(f->nw_frag & FLOW_NW_FRAG_LATER);
    switch (when) {
    case DPF_ALWAYS:
        return true;
    case DPF_VLAN:
        return (f->vlan_tci & htons(VLAN_CFI)) != 0;
    case DPF_MPLS:
        return type == ETH_TYPE_MPLS || type == ETH_TYPE_MPLS_MCAST;
    case DPF_IPV4:
        return ipv4;
    case DPF_IPV6:
        return ipv6;
    case DPF_ARP:
        return type == ETH_TYPE_ARP || type == ETH_TYPE_RARP;
    case DPF_TCP:
        return l4 && f->nw_proto == IPPROTO_TCP;
    case DPF_UDP:
        return l4 && f->nw_proto == IPPROTO_UDP;
    case DPF_SCTP:
        return l4 && f->nw_proto == IPPROTO_SCTP;
    case DPF_ICMP:
        return l4 && ipv4 && f->nw_proto == IPPROTO_ICMP;
    case DPF_ICMPV6:
        return l4 && ipv6 && f->nw_proto == IPPROTO_ICMPV6;
    case DPF_ND:
        return (l4 && ipv6 && f->nw_proto == IPPROTO_ICMPV6
                && (f->tp_src == htons(ND_NEIGHBOR_SOLICIT)
                    || f->tp_src == htons(ND_NEIGHBOR_ADVERT)));
    }
    return false;
}

/* The field's integer value in 'f' (network order members). */
static uint64_t
field_int(const struct dpf_field *df, const struct flow *f)
{
    const uint8_t *p = (const uint8_t *) f + df->ofs;
    uint64_t v = 0;
    for (unsigned int i = 0; i < df->size; i++) {
        v = (v << 8) | p[i];
    }
    return (v >> df->shift) & df->bits;
}

static bool
field_is_wild(const struct dpf_field *df, const struct flow *mask)
{
    if (df->fmt == DPF_ETH || df->fmt == DPF_IPV6_ADDR) {
        const uint8_t *p = (const uint8_t *) mask + df->ofs;
        for (unsigned int i = 0; i < df->size; i++) {
            if (p[i]) {
                return false;
            }
        }
        return true;
    }
    return !field_int(df, mask);
}

static bool
field_is_exact(const struct dpf_field *df, const struct flow *mask)
{
    if (df->fmt == DPF_ETH || df->fmt == DPF_IPV6_ADDR) {
        const uint8_t *p = (const uint8_t *) mask + df->ofs;
        for (unsigned int i = 0; i < df->size; i++) {
            if (p[i] != 0xff) {
                return false;
            }
        }
        return true;
    }
    if (df->fmt == DPF_FRAG) {
        uint64_t bits = FLOW_NW_FRAG_ANY | FLOW_NW_FRAG_LATER;
        return (field_int(df, mask) & bits) == bits;
    }
    uint64_t all = df->size >= 8 ? UINT64_MAX
                   : (UINT64_C(1) << (8 * df->size)) - 1;
    return field_int(df, mask) == ((all >> df->shift) & df->bits);
}

static void
put_value(const struct dpf_field *df, const struct flow *f, bool exact,
          struct ds *s)
{
    const void *p = (const uint8_t *) f + df->ofs;
    uint64_t v = field_int(df, f);
    switch (df->fmt) {
    case DPF_DEC:
        ds_put_format(s, "%"PRIu64, v);
        break;
    case DPF_HEX:
        ds_put_format(s, "%#"PRIx64, v);
        break;
    case DPF_ETHERTYPE:
        ds_put_format(s, "0x%04"PRIx64, v);
        break;
    case DPF_ETH:
        eth_format(s, p);
        break;
    case DPF_IPV4_ADDR: {
        uint32_t ip;
        memcpy(&ip, p, sizeof ip);
        ip_format(s, ip);
        break;
    }
    case DPF_IPV6_ADDR:
        ipv6_format(s, p);
        break;
    case DPF_FRAG:
        if (!exact) {
            ds_put_format(s, "%#"PRIx64, v);
        } else if (!(v & FLOW_NW_FRAG_ANY)) {
            ds_put_cstr(s, "no");
        } else {
            ds_put_cstr(s, v & FLOW_NW_FRAG_LATER ? "later" : "first");
        }
        break;
    }
}

/* Starts attribute 'attr' unless it is the open one, then separates. */
static void
open_attr(const char **open, const char *attr, struct ds *s)
{
    if (!*open || strcmp(*open, attr)) {
        if (*open) {
            ds_put_char(s, ')');
        }
        ds_put_format(s, ",%s(", attr);
        *open = attr;
    } else {
        ds_put_char(s, ',');
    }
}

static void
put_hex_bytes(const uint8_t *p, unsigned int n, struct ds *s)
{
    ds_put_cstr(s, "0x");
    for (unsigned int i = 0; i < n; i++) {
        ds_put_format(s, "%02x", p[i]);
    }
}

/* The Geneve options the mask covers, inside "tunnel()" as Open vSwitch
 * prints them: geneve({class=0x102,type=0x80,len=4,0x10002}).  An option
 * the megaflow requires absent shows its value as "absent". */
static void
format_tun_md(const struct flow *key, const struct flow *m,
              const struct tnl_opt_map *map, const char **open,
              struct ds *s)
{
    uint64_t opts = map ? m->tunnel.md_present & map->mapped : 0;
    if (!opts) {
        return;
    }
    open_attr(open, "tunnel", s);
    ds_put_cstr(s, "geneve(");
    for (; opts; opts &= opts - 1) {
        int idx = __builtin_ctzll(opts);
        unsigned int ofs = map->layout.ofs[idx], len = map->layout.len[idx];
        ds_put_format(s, "{class=%#"PRIx16",type=%#"PRIx8",len=%u,",
                      map->option_class[idx], map->option_type[idx], len);
        if (!(key->tunnel.md_present & (UINT64_C(1) << idx))) {
            ds_put_cstr(s, "absent}");
            continue;
        }
        put_hex_bytes(&key->tunnel.md[ofs], len, s);
        bool exact = true;
        for (unsigned int i = 0; i < len; i++) {
            exact &= m->tunnel.md[ofs + i] == 0xff;
        }
        if (!exact) {
            ds_put_char(s, '/');
            put_hex_bytes(&m->tunnel.md[ofs], len, s);
        }
        ds_put_char(s, '}');
    }
    ds_put_char(s, ')');
}

void
dp_format_key(const struct flow *key, const struct flow_wildcards *mask,
              const struct tnl_opt_map *map, struct ds *s)
{
    const struct flow *m = &mask->masks;
    ds_put_format(s, "in_port(%"PRIu32")", key->in_port);
    const char *open = NULL;
    bool md_done = false;
    for (size_t i = 0; i < ARRAY_SIZE(dpf_fields); i++) {
        const struct dpf_field *df = &dpf_fields[i];
        if (!md_done && strcmp(df->attr, "tunnel")) {
            format_tun_md(key, m, map, &open, s);
            md_done = true;
        }
        if (!applies(df->when, key) || field_is_wild(df, m)) {
            continue;
        }
        open_attr(&open, df->attr, s);
        if (df->name) {
            ds_put_format(s, "%s=", df->name);
        }
        bool exact = field_is_exact(df, m);
        put_value(df, key, exact, s);
        if (!exact) {
            ds_put_char(s, '/');
            put_value(df, m, false, s);
        }
    }
    if (open) {
        ds_put_char(s, ')');
    }
}

/* "set(tunnel(tun_id=0x5,dst=192.168.0.2,tun_metadata0=0x10002))": what
 * was set, as in Open vSwitch's set(tunnel(...)), with mapped Geneve
 * options by their field names (the port knows their class and type). */
static void
format_set_tunnel(const struct packet_set *set, struct ds *s)
{
    const struct flow_tnl *t = &set->tunnel;
    static const struct in6_addr any6;

    ds_put_format(s, "set(tunnel(tun_id=%#"PRIx64, be64toh(t->tun_id));
    if (t->ip_src) {
        ds_put_format(s, ",src="IP_FMT, IP_ARGS(t->ip_src));
    }
    if (t->ip_dst) {
        ds_put_format(s, ",dst="IP_FMT, IP_ARGS(t->ip_dst));
    }
    if (memcmp(&t->ipv6_src, &any6, sizeof any6)) {
        ds_put_cstr(s, ",ipv6_src=");
        ipv6_format(s, &t->ipv6_src);
    }
    if (memcmp(&t->ipv6_dst, &any6, sizeof any6)) {
        ds_put_cstr(s, ",ipv6_dst=");
        ipv6_format(s, &t->ipv6_dst);
    }
    if (t->flags & FLOW_TNL_F_OAM) {
        ds_put_cstr(s, ",flags(oam)");
    }
    for (uint64_t m = t->md_present; m; m &= m - 1) {
        int idx = __builtin_ctzll(m);
        unsigned int ofs = set->tun_layout.ofs[idx];
        unsigned int len = set->tun_layout.len[idx];
        ds_put_format(s, ",tun_metadata%d=0x", idx);
        for (unsigned int i = 0; i < len && ofs + i < FLOW_TUN_MD_SPACE;
             i++) {
            ds_put_format(s, "%02x", t->md[ofs + i]);
        }
    }
    ds_put_cstr(s, "))");
}

void
dp_format_actions(const struct dp_action *acts, unsigned int n,
                  const struct packet_set *sets, struct ds *s)
{
    if (!n) {
        ds_put_cstr(s, "drop");
        return;
    }
    for (unsigned int i = 0; i < n; i++) {
        const struct dp_action *a = &acts[i];
        /* A datapath clone prints as Open vSwitch's: "clone(A,B),C". */
        if (i && acts[i - 1].type != DP_ACTION_CLONE_BEGIN
            && a->type != DP_ACTION_CLONE_END) {
            ds_put_char(s, ',');
        }
        switch (a->type) {
        case DP_ACTION_OUTPUT:
            ds_put_format(s, "%"PRIu32, a->arg);
            break;
        case DP_ACTION_PUSH_VLAN:
            ds_put_format(s, "push_vlan(vid=%"PRIu32",pcp=%"PRIu32")",
                          a->arg & VLAN_VID_MASK,
                          (a->arg & VLAN_PCP_MASK) >> VLAN_PCP_SHIFT);
            break;
        case DP_ACTION_POP_VLAN:
            ds_put_cstr(s, "pop_vlan");
            break;
        case DP_ACTION_SET:
            packet_set_format(&sets[a->arg], s);
            break;
        case DP_ACTION_TRUNC:
            ds_put_format(s, "trunc(%"PRIu32")", a->arg);
            break;
        case DP_ACTION_PUSH_MPLS:
            ds_put_cstr(s, "push_mpls(");
            packet_set_format_lse(a->arg, s);
            ds_put_format(s, ",eth_type=%#"PRIx16")", a->eth_type);
            break;
        case DP_ACTION_POP_MPLS:
            ds_put_format(s, "pop_mpls(eth_type=%#"PRIx32")", a->arg);
            break;
        case DP_ACTION_SET_TUNNEL:
            format_set_tunnel(&sets[a->arg], s);
            break;
        case DP_ACTION_TNL_POP:
            ds_put_cstr(s, "tnl_pop");
            break;
        case DP_ACTION_CLONE_BEGIN:
            ds_put_cstr(s, "clone(");
            break;
        case DP_ACTION_CLONE_END:
            ds_put_char(s, ')');
            break;
        default:
            ds_put_cstr(s, "unknown");
            break;
        }
    }
}
