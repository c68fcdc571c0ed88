/* conntrack: connections, their states and timeouts. */
#include <config.h>
#include "conntrack.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "coverage.h"
#include "ct-match.h"
#include "flow.h"
#include "hmap.h"
#include "memory.h"
#include "unixctl.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(conntrack);
COVERAGE_DEFINE(conntrack_commit);
COVERAGE_DEFINE(conntrack_full);

#define CT_DEFAULT_MAXCONNS 3000000
/* Expired connections are swept at most this often. */
#define CT_SWEEP_INTERVAL 1000

#define TCP_FIN 0x001
#define TCP_SYN 0x002
#define TCP_RST 0x004
#define TCP_ACK 0x010

#define ICMP4_ECHO_REQUEST 8
#define ICMP4_ECHO_REPLY 0
#define ICMP6_ECHO_REQUEST 128
#define ICMP6_ECHO_REPLY 129

/* One direction of a connection.  Zeroed before it is filled, so that it
 * can be hashed and compared as bytes. */
struct ct_tuple {
    struct in6_addr src, dst;   /* IPv4: the first 4 bytes. */
    uint16_t sport, dport;      /* Network order; ICMP: id, 0. */
    uint16_t zone;
    uint8_t af;                 /* AF_INET or AF_INET6. */
    uint8_t proto;
    uint8_t icmp_type, icmp_code;
    uint8_t pad[2];
};

/* TCP states of one direction, in the order the dump compares them
 * (Open vSwitch's names). */
enum ct_tcp_state {
    CT_TCP_CLOSED,
    CT_TCP_SYN_SENT,
    CT_TCP_ESTABLISHED,
    CT_TCP_CLOSING,
    CT_TCP_FIN_WAIT_2,
    CT_TCP_TIME_WAIT,
};

static const char *const tcp_state_names[] = {
    [CT_TCP_CLOSED] = "CLOSED",
    [CT_TCP_SYN_SENT] = "SYN_SENT",
    [CT_TCP_ESTABLISHED] = "ESTABLISHED",
    [CT_TCP_CLOSING] = "CLOSING",
    [CT_TCP_FIN_WAIT_2] = "FIN_WAIT_2",
    [CT_TCP_TIME_WAIT] = "TIME_WAIT",
};

/* A connection is in the map twice, once per direction. */
struct ct_key_node {
    struct hmap_node node;
    struct conntrack_conn *conn;
    int dir;                    /* 0: original, 1: reply. */
};

struct conntrack_conn {
    struct ct_tuple t[2];       /* Original, reply. */
    struct ct_key_node keys[2];
    long long int expiration;   /* time_msec() at which it goes. */
    uint32_t mark;
    uint8_t label[16];
    bool seen_reply;
    uint8_t tcp[2];             /* enum ct_tcp_state per direction. */
    uint8_t nat;                /* CONNTRACK_NAT_SRC or _DST if 't[1]' is
                                 * translated, else 0. */
};

static struct hmap conns = HMAP_INITIALIZER;
static size_t n_conns;
static unsigned int maxconns = CT_DEFAULT_MAXCONNS;
static long long int next_sweep;

static uint32_t
tuple_hash(const struct ct_tuple *t)
{
    return hash_bytes(t, sizeof *t, 0);
}

static struct ct_key_node *
lookup(const struct ct_tuple *t)
{
    struct ct_key_node *k;
    HMAP_FOR_EACH_WITH_HASH (k, node, tuple_hash(t), &conns) {
        if (!memcmp(&k->conn->t[k->dir], t, sizeof *t)) {
            return k;
        }
    }
    return NULL;
}

static void
conn_delete(struct conntrack_conn *c)
{
    hmap_remove(&conns, &c->keys[0].node);
    hmap_remove(&conns, &c->keys[1].node);
    n_conns--;
    free(c);
}

/* Deletes the connections 'pred' selects; returns how many. */
static size_t
delete_where(bool (*pred)(const struct conntrack_conn *, const void *aux),
             const void *aux)
{
    struct conntrack_conn **victims = xcalloc(n_conns + 1, sizeof *victims);
    size_t n = 0;
    struct ct_key_node *k;
    HMAP_FOR_EACH (k, node, &conns) {
        if (!k->dir && pred(k->conn, aux)) {
            victims[n++] = k->conn;
        }
    }
    for (size_t i = 0; i < n; i++) {
        conn_delete(victims[i]);
    }
    free(victims);
    return n;
}

/* 'now_' points to a time_msec() value. */
static bool
is_expired(const struct conntrack_conn *c, const void *now_)
{
    const long long int *now = now_;
    return c->expiration <= *now;
}

static void
sweep(long long int now)
{
    if (now >= next_sweep) {
        next_sweep = now + CT_SWEEP_INTERVAL;
        delete_where(is_expired, &now);
    }
}

/* ---- Tuples from packets. ---- */

static bool
is_icmp(uint8_t proto)
{
    return proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6;
}

static uint8_t
echo_request_type(uint8_t af)
{
    return af == AF_INET ? ICMP4_ECHO_REQUEST : ICMP6_ECHO_REQUEST;
}

static uint8_t
echo_reply_type(uint8_t af)
{
    return af == AF_INET ? ICMP4_ECHO_REPLY : ICMP6_ECHO_REPLY;
}

static uint16_t
get_u16_be(const uint8_t *p)
{
    return (p[0] << 8) | p[1];
}

/* Where the L4 header of an Ethernet frame starts, 0 if it cannot be
 * found.  Only the layers ICMP messages have are skipped: VLAN tags and
 * the IP header (IPv4 options included, no IPv6 extension headers). */
static size_t
l4_offset(const uint8_t *p, size_t len)
{
    size_t ofs = 12;
    while (ofs + 2 <= len
           && (get_u16_be(p + ofs) == 0x8100
               || get_u16_be(p + ofs) == 0x88a8)) {
        ofs += 4;
    }
    if (ofs + 2 > len) {
        return 0;
    }
    uint16_t type = get_u16_be(p + ofs);
    ofs += 2;
    if (type == 0x0800 && ofs + 20 <= len) {
        return ofs + (p[ofs] & 0x0f) * 4;
    } else if (type == 0x86dd && ofs + 40 <= len) {
        return ofs + 40;
    }
    return 0;
}

/* The ICMP or ICMPv6 echo identifier of an Ethernet frame, 0 if it cannot
 * be found. */
static uint16_t
icmp_echo_id(const uint8_t *p, size_t len)
{
    size_t ofs = l4_offset(p, len);
    return ofs && ofs + 8 <= len ? htons(get_u16_be(p + ofs + 4)) : 0;
}

/* ICMP errors: destination unreachable, time exceeded, parameter problem
 * (and ICMPv6's packet too big). */
static bool
is_icmp_error(uint8_t af, uint8_t type)
{
    return (af == AF_INET
            ? type == 3 || type == 11 || type == 12
            : type >= 1 && type <= 4);
}

/* The tuple of the packet an ICMP error quotes, from the frame 'p'.  False
 * if the quote is too short or not of the error's address family. */
static bool
quoted_tuple(const uint8_t *p, size_t len, uint16_t zone, uint8_t af,
             struct ct_tuple *t)
{
    size_t ofs = l4_offset(p, len);
    if (!ofs) {
        return false;
    }
    ofs += 8;
    memset(t, 0, sizeof *t);
    t->zone = zone;
    t->af = af;
    if (af == AF_INET && ofs + 20 <= len && p[ofs] >> 4 == 4) {
        t->proto = p[ofs + 9];
        memcpy(&t->src, p + ofs + 12, 4);
        memcpy(&t->dst, p + ofs + 16, 4);
        ofs += (p[ofs] & 0x0f) * 4;
    } else if (af == AF_INET6 && ofs + 40 <= len && p[ofs] >> 4 == 6) {
        t->proto = p[ofs + 6];
        memcpy(&t->src, p + ofs + 8, 16);
        memcpy(&t->dst, p + ofs + 24, 16);
        ofs += 40;
    } else {
        return false;
    }
    if (ofs + 8 > len) {
        return false;
    }
    if (is_icmp(t->proto)) {
        t->icmp_type = p[ofs];
        t->icmp_code = p[ofs + 1];
        t->sport = htons(get_u16_be(p + ofs + 4));
    } else if (t->proto == IPPROTO_TCP || t->proto == IPPROTO_UDP
               || t->proto == IPPROTO_SCTP) {
        t->sport = htons(get_u16_be(p + ofs));
        t->dport = htons(get_u16_be(p + ofs + 2));
    }
    return true;
}

enum tuple_kind {
    TUPLE_INVALID,              /* Nothing the tracker can follow. */
    TUPLE_OK,
    TUPLE_ICMP_ERROR,           /* Of the quoted packet's connection. */
};

/* The tuple of the packet's own direction, or for an ICMP error of the
 * packet it quotes. */
static enum tuple_kind
tuple_from_flow(const struct flow *flow, const void *packet, size_t len,
                uint16_t zone, struct ct_tuple *t)
{
    memset(t, 0, sizeof *t);
    t->zone = zone;
    t->proto = flow->nw_proto;
    if (flow->dl_type == htons(0x0800)) {
        t->af = AF_INET;
        memcpy(&t->src, &flow->nw_src, 4);
        memcpy(&t->dst, &flow->nw_dst, 4);
    } else {
        t->af = AF_INET6;
        t->src = flow->ipv6_src;
        t->dst = flow->ipv6_dst;
    }
    if (flow->nw_frag) {
        return TUPLE_INVALID;
    }
    switch (t->proto) {
    case IPPROTO_TCP:
    case IPPROTO_UDP:
    case IPPROTO_SCTP:
        t->sport = flow->tp_src;
        t->dport = flow->tp_dst;
        return TUPLE_OK;
    case IPPROTO_ICMP:
    case IPPROTO_ICMPV6:
        if ((t->proto == IPPROTO_ICMP) != (t->af == AF_INET)) {
            return TUPLE_INVALID;
        }
        t->icmp_type = ntohs(flow->tp_src);
        t->icmp_code = ntohs(flow->tp_dst);
        if (is_icmp_error(t->af, t->icmp_type)) {
            return (packet && quoted_tuple(packet, len, zone, t->af, t)
                    ? TUPLE_ICMP_ERROR : TUPLE_INVALID);
        }
        if (t->icmp_code
            || (t->icmp_type != echo_request_type(t->af)
                && t->icmp_type != echo_reply_type(t->af))) {
            return TUPLE_INVALID;
        }
        t->sport = packet ? icmp_echo_id(packet, len) : 0;
        return TUPLE_OK;
    default:
        return TUPLE_OK;
    }
}

static void
reverse_tuple(const struct ct_tuple *t, struct ct_tuple *r)
{
    *r = *t;
    r->src = t->dst;
    r->dst = t->src;
    if (is_icmp(t->proto)) {
        r->icmp_type = (t->icmp_type == echo_request_type(t->af)
                        ? echo_reply_type(t->af)
                        : echo_request_type(t->af));
    } else {
        r->sport = t->dport;
        r->dport = t->sport;
    }
}

/* ---- States and timeouts. ---- */

static bool
tcp_flags_valid(uint16_t flags)
{
    if (flags & TCP_SYN) {
        return !(flags & (TCP_RST | TCP_FIN));
    }
    /* Everything else carries an ACK, or is a bare RST. */
    return flags & (TCP_ACK | TCP_RST);
}

static long long int
timeout_msec(const struct conntrack_conn *c)
{
    const struct ct_tuple *t = &c->t[0];
    long long int sec;
    if (t->proto == IPPROTO_TCP) {
        uint8_t lo = XVS_MIN(c->tcp[0], c->tcp[1]);
        uint8_t hi = XVS_MAX(c->tcp[0], c->tcp[1]);
        sec = (lo == CT_TCP_TIME_WAIT ? 45
               : hi >= CT_TCP_CLOSING ? 15
               : lo == CT_TCP_ESTABLISHED ? 86400
               : 30);
    } else {
        sec = c->seen_reply ? 30 : 60;
    }
    return sec * 1000;
}

/* Advances 'c' with a TCP packet of flags 'flags' in direction 'dir'. */
static void
tcp_update(struct conntrack_conn *c, int dir, uint16_t flags)
{
    uint8_t *src = &c->tcp[dir], *dst = &c->tcp[!dir];
    if (flags & TCP_RST) {
        *src = *dst = CT_TCP_TIME_WAIT;
        return;
    }
    if (flags & TCP_SYN && *src < CT_TCP_SYN_SENT) {
        *src = CT_TCP_SYN_SENT;
    }
    if (flags & TCP_ACK) {
        if (*dst == CT_TCP_SYN_SENT) {
            *dst = CT_TCP_ESTABLISHED;
        } else if (*dst == CT_TCP_CLOSING) {
            *dst = CT_TCP_FIN_WAIT_2;
        }
    }
    if (flags & TCP_FIN && *src < CT_TCP_CLOSING) {
        *src = CT_TCP_CLOSING;
    }
    if (*src == CT_TCP_FIN_WAIT_2 && *dst == CT_TCP_FIN_WAIT_2) {
        *src = *dst = CT_TCP_TIME_WAIT;
    }
}

static struct conntrack_conn *
conn_create(const struct ct_tuple *orig, const struct ct_tuple *reply,
            uint8_t nat)
{
    struct conntrack_conn *c = xzalloc(sizeof *c);
    c->t[0] = *orig;
    c->t[1] = *reply;
    c->nat = nat;
    for (int dir = 0; dir < 2; dir++) {
        c->keys[dir].conn = c;
        c->keys[dir].dir = dir;
        hmap_insert(&conns, &c->keys[dir].node, tuple_hash(&c->t[dir]));
    }
    n_conns++;
    COVERAGE_INC(conntrack_commit);
    return c;
}

/* ---- NAT: choosing a translation. ---- */

/* Ports a translation without a port range falls back to. */
#define NAT_EPHEMERAL_MIN 1024
#define NAT_EPHEMERAL_MAX 65535
/* Bounds the tuples tried for one connection: addresses times ports. */
#define NAT_MAX_TRIES (1u << 20)

static bool
has_ports(uint8_t proto)
{
    return (proto == IPPROTO_TCP || proto == IPPROTO_UDP
            || proto == IPPROTO_SCTP);
}

/* Whether nobody uses tuple 't'.  An expired connection in the way goes
 * now. */
static bool
tuple_is_free(const struct ct_tuple *t, long long int now)
{
    struct ct_key_node *k = lookup(t);
    if (k && is_expired(k->conn, &now)) {
        conn_delete(k->conn);
        k = NULL;
    }
    return !k;
}

static bool
addr_is_zero(const struct in6_addr *a)
{
    static const struct in6_addr zero;
    return !memcmp(a, &zero, sizeof *a);
}

/* 'base' plus 'n', in address family 'af'. */
static struct in6_addr
addr_add(uint8_t af, const struct in6_addr *base, uint32_t n)
{
    struct in6_addr a = *base;
    int last = af == AF_INET ? 3 : 15;
    uint32_t carry = n;
    for (int i = last; i >= 0 && carry; i--) {
        carry += a.s6_addr[i];
        a.s6_addr[i] = carry & 0xff;
        carry >>= 8;
    }
    return a;
}

/* How many addresses 'nat''s range holds, at most UINT32_MAX. */
static uint32_t
addr_count(const struct conntrack_nat *nat)
{
    int len = nat->af == AF_INET ? 4 : 16;
    uint64_t diff = 0;
    for (int i = 0; i < len; i++) {
        int d = nat->addr_max.s6_addr[i] - nat->addr_min.s6_addr[i];
        if (diff > UINT32_MAX >> 8) {
            return UINT32_MAX;
        }
        diff = (diff << 8) + d;
    }
    return diff >= UINT32_MAX ? UINT32_MAX : diff + 1;
}

/* The slots of the reply tuple 'r' that a translation of 'type' changes:
 * the address, the port a range picks (NULL if the protocol has none
 * there), and the port that moves when the tuple is taken and no range
 * was given (the original direction's source port, ICMP's identifier). */
static void
nat_slots(struct ct_tuple *r, uint8_t type, struct in6_addr **addr,
          uint16_t **port, uint16_t **fallback)
{
    bool snat = type == CONNTRACK_NAT_SRC;
    *addr = snat ? &r->dst : &r->src;
    if (is_icmp(r->proto)) {
        *port = snat ? &r->sport : NULL;
        *fallback = &r->sport;
    } else if (has_ports(r->proto)) {
        *port = snat ? &r->dport : &r->sport;
        *fallback = &r->dport;
    } else {
        *port = *fallback = NULL;
    }
}

/* Tries the ports 'min'..'max' (host order) in '*slot' of 'r', the one
 * it holds first if in range, then from 'start' on. */
static bool
try_ports(struct ct_tuple *r, uint16_t *slot, uint32_t min, uint32_t max,
          uint32_t start, long long int now)
{
    uint32_t orig = ntohs(*slot);
    uint32_t n = max - min + 1;
    if (orig >= min && orig <= max && tuple_is_free(r, now)) {
        return true;
    }
    for (uint32_t i = 0; i < n; i++) {
        *slot = htons(min + (start + i) % n);
        if (tuple_is_free(r, now)) {
            return true;
        }
    }
    *slot = htons(orig);
    return false;
}

/* Picks the reply tuple of a new connection of original tuple 'orig'
 * under 'nat' into 'r'.  False if every choice is taken. */
static bool
nat_choose(const struct ct_tuple *orig, const struct conntrack_nat *nat,
           long long int now, struct ct_tuple *r)
{
    reverse_tuple(orig, r);
    struct in6_addr *addr;
    uint16_t *port, *fallback;
    nat_slots(r, nat->type, &addr, &port, &fallback);

    bool ranged = nat->af && !addr_is_zero(&nat->addr_min);
    uint32_t n_addrs = ranged ? addr_count(nat) : 1;
    uint32_t h = hash_bytes(&orig->src, sizeof orig->src, orig->zone);
    if (!nat->persistent) {
        h = hash_bytes(&orig->dst, sizeof orig->dst, h);
    }
    uint32_t first = h % n_addrs;
    bool port_range = port && nat->port_min;
    uint32_t pmin = port_range ? nat->port_min : NAT_EPHEMERAL_MIN;
    uint32_t pmax = port_range ? nat->port_max : NAT_EPHEMERAL_MAX;
    uint16_t *slot = port_range ? port : fallback;
    uint32_t pstart = (nat->random ? (uint32_t) random()
                       : hash_bytes(&r->sport, 4, h));

    /* Without a port range: every address with the port as it is first,
     * ports moved only when that fails. */
    uint32_t tries = XVS_MIN(n_addrs, NAT_MAX_TRIES);
    for (uint32_t i = 0; !port_range && i < tries; i++) {
        if (ranged) {
            *addr = addr_add(nat->af, &nat->addr_min, (first + i) % n_addrs);
        }
        if (tuple_is_free(r, now)) {
            return true;
        }
    }
    if (!slot) {
        return false;
    }
    tries = XVS_MAX(1, XVS_MIN(n_addrs, NAT_MAX_TRIES / (pmax - pmin + 1)));
    for (uint32_t i = 0; i < tries; i++) {
        if (ranged) {
            *addr = addr_add(nat->af, &nat->addr_min, (first + i) % n_addrs);
        }
        if (try_ports(r, slot, pmin, pmax, pstart, now)) {
            return true;
        }
    }
    return false;
}

/* ---- NAT: translating packets. ---- */

/* 'a' into the flow's and the rewrite's source ('dst' false) or
 * destination address. */
static void
nat_set_addr(uint8_t af, const struct in6_addr *a, bool dst,
             struct flow *flow, struct packet_set *set)
{
    if (af == AF_INET) {
        uint32_t *f = dst ? &flow->nw_dst : &flow->nw_src;
        memcpy(f, a, 4);
        memcpy(dst ? &set->nw_dst : &set->nw_src, a, 4);
        set->fields |= dst ? PKT_SET_NW_DST : PKT_SET_NW_SRC;
    } else {
        *(dst ? &flow->ipv6_dst : &flow->ipv6_src) = *a;
        *(dst ? &set->ipv6_dst : &set->ipv6_src) = *a;
        set->fields |= dst ? PKT_SET_IPV6_DST : PKT_SET_IPV6_SRC;
    }
}

/* The ct_state flags of a translated packet in direction 'dir'. */
static uint32_t
nat_state(const struct conntrack_conn *c, int dir)
{
    bool src = (c->nat == CONNTRACK_NAT_SRC) == !dir;
    return src ? CS_SRC_NAT : CS_DST_NAT;
}

/* The addresses a packet of 'c' in direction 'dir' must carry: those of
 * the other direction's tuple reversed, into '*want'; rewrites the ones
 * it does not carry yet. */
static void
nat_outer_addrs(const struct conntrack_conn *c, int dir, struct flow *flow,
                struct packet_set *set, struct ct_tuple *want)
{
    const struct ct_tuple *have = &c->t[dir];
    reverse_tuple(&c->t[!dir], want);
    if (memcmp(&have->src, &want->src, sizeof want->src)) {
        nat_set_addr(want->af, &want->src, false, flow, set);
    }
    if (memcmp(&have->dst, &want->dst, sizeof want->dst)) {
        nat_set_addr(want->af, &want->dst, true, flow, set);
    }
}

/* Translates a packet of 'c' in direction 'dir', whose tuple is
 * 'c->t[dir]', into what the other end expects: the reverse of the other
 * direction's tuple. */
static void
nat_packet(const struct conntrack_conn *c, int dir, struct flow *flow,
           struct packet_set *set)
{
    const struct ct_tuple *have = &c->t[dir];
    struct ct_tuple want;
    nat_outer_addrs(c, dir, flow, set, &want);
    if (is_icmp(want.proto)) {
        if (have->sport != want.sport) {
            set->icmp_id = want.sport;
            set->fields |= PKT_SET_ICMP_ID;
        }
    } else if (has_ports(want.proto)) {
        if (have->sport != want.sport) {
            flow->tp_src = set->tp_src = want.sport;
            set->fields |= PKT_SET_TP_SRC;
        }
        if (have->dport != want.dport) {
            flow->tp_dst = set->tp_dst = want.dport;
            set->fields |= PKT_SET_TP_DST;
        }
    }
}

/* Translates an ICMP error of 'c' travelling in direction 'dir', whose
 * quote has tuple 'quote': its own addresses where the connection
 * translates them in that direction, and the quote back into the tuple
 * of the other direction before translation. */
static void
nat_related(const struct conntrack_conn *c, int dir,
            const struct ct_tuple *quote, struct flow *flow,
            struct packet_set *set)
{
    struct ct_tuple want;
    nat_outer_addrs(c, dir, flow, set, &want);
    const struct ct_tuple *inner = &c->t[!dir];
    if (memcmp(&quote->src, &inner->src, sizeof inner->src)
        || memcmp(&quote->dst, &inner->dst, sizeof inner->dst)
        || quote->sport != inner->sport || quote->dport != inner->dport) {
        set->inner.src = inner->src;
        set->inner.dst = inner->dst;
        set->inner.sport = inner->sport;
        set->inner.dport = inner->dport;
        set->inner.ipv6 = inner->af == AF_INET6;
        set->fields |= PKT_SET_ICMP_INNER;
    }
}

/* The original-direction tuple into the flow's ct fields. */
static void
put_orig_tuple(const struct ct_tuple *t, struct flow *flow)
{
    flow->ct_nw_proto = t->proto;
    if (t->af == AF_INET) {
        memcpy(&flow->ct_nw_src, &t->src, 4);
        memcpy(&flow->ct_nw_dst, &t->dst, 4);
    } else {
        flow->ct_ipv6_src = t->src;
        flow->ct_ipv6_dst = t->dst;
    }
    if (is_icmp(t->proto)) {
        flow->ct_tp_src = htons(t->icmp_type);
        flow->ct_tp_dst = htons(t->icmp_code);
    } else {
        flow->ct_tp_src = t->sport;
        flow->ct_tp_dst = t->dport;
    }
}

static void
clear_ct_fields(struct flow *flow, uint16_t zone, uint32_t state)
{
    flow->ct_state = state;
    flow->ct_zone = zone;
    flow->ct_mark = 0;
    memset(flow->ct_label, 0, sizeof flow->ct_label);
    flow->ct_nw_proto = 0;
    flow->ct_nw_src = flow->ct_nw_dst = 0;
    memset(&flow->ct_ipv6_src, 0, sizeof flow->ct_ipv6_src);
    memset(&flow->ct_ipv6_dst, 0, sizeof flow->ct_ipv6_dst);
    flow->ct_tp_src = flow->ct_tp_dst = 0;
}

/* Creates the connection of original tuple 't', translated as 'nat' (if
 * not NULL) says.  NULL if the table is full or the translation has no
 * free tuple. */
static struct conntrack_conn *
commit_new(const struct ct_tuple *t, const struct conntrack_nat *nat,
           long long int now)
{
    if (n_conns >= maxconns) {
        COVERAGE_INC(conntrack_full);
        return NULL;
    }
    struct ct_tuple reply;
    /* A range of the other address family (possible in a group, which
     * has no match to check it against) translates nothing. */
    uint8_t type = nat && (!nat->af || nat->af == t->af) ? nat->type : 0;
    if (!type) {
        reverse_tuple(t, &reply);
    } else if (!nat_choose(t, nat, now, &reply)) {
        /* At most once a second: a flood of new connections is what
         * gets here. */
        static bool warned;
        static long long int last_warning;
        if (!warned || now - last_warning >= 1000) {
            warned = true;
            last_warning = now;
            VLOG_WARN("Unable to NAT due to tuple space exhaustion - if DoS "
                      "attack, use firewalling and/or zone partitioning.");
        }
        return NULL;
    } else {
        /* SNAT to 0.0.0.0, or nat(src) and nat(dst) without addresses,
         * translate only what collides: when nothing did, there is no
         * translation at all. */
        struct ct_tuple plain;
        reverse_tuple(t, &plain);
        bool ranged = nat->af && !addr_is_zero(&nat->addr_min);
        if (!ranged && !nat->port_min
            && !memcmp(&plain, &reply, sizeof plain)) {
            type = 0;
        }
    }
    return conn_create(t, &reply, type);
}

/* Fills 'flow''s ct fields from connection 'c' with 'state', and hands
 * 'c' back in 'res'. */
static void
give_conn(struct conntrack_conn *c, uint16_t zone, uint32_t state,
          struct flow *flow, struct conntrack_result *res)
{
    clear_ct_fields(flow, zone, state);
    flow->ct_mark = c->mark;
    memcpy(flow->ct_label, c->label, sizeof flow->ct_label);
    put_orig_tuple(&c->t[0], flow);
    res->conn = c;
}

void
conntrack_execute(struct flow *flow, const void *packet, size_t len,
                  uint16_t zone, bool commit, bool force, bool update,
                  const struct conntrack_nat *nat,
                  struct conntrack_result *res)
{
    long long int now = time_msec();
    res->conn = NULL;
    memset(&res->nat, 0, sizeof res->nat);
    if (update) {
        sweep(now);
    }

    struct ct_tuple t;
    bool is_tcp = flow->nw_proto == IPPROTO_TCP;
    uint16_t tcp_flags = ntohs(flow->tcp_flags);
    enum tuple_kind kind = tuple_from_flow(flow, packet, len, zone, &t);
    if (kind == TUPLE_INVALID || (is_tcp && !tcp_flags_valid(tcp_flags))) {
        clear_ct_fields(flow, zone, CS_TRACKED | CS_INVALID);
        return;
    }

    struct ct_key_node *k = lookup(&t);
    if (kind == TUPLE_ICMP_ERROR) {
        /* An error about a packet of the original direction travels in
         * the reply direction, and the other way round.  It neither
         * creates nor advances the connection.  The packet it quotes may
         * be one as translated: then the quote is the reverse of the
         * tuple of the direction the error travels in. */
        int dir = k ? !k->dir : 0;
        if (!k) {
            struct ct_tuple r;
            reverse_tuple(&t, &r);
            k = lookup(&r);
            dir = k ? k->dir : 0;
        }
        if (!k || (update && is_expired(k->conn, &now))) {
            clear_ct_fields(flow, zone, CS_TRACKED | CS_INVALID);
            return;
        }
        struct conntrack_conn *c = k->conn;
        uint32_t state = (CS_TRACKED | CS_RELATED
                          | (dir ? CS_REPLY_DIR : 0));
        if (nat && c->nat) {
            nat_related(c, dir, &t, flow, &res->nat);
            state |= nat_state(c, dir);
        }
        give_conn(c, zone, state, flow, res);
        return;
    }
    struct conntrack_conn *c = k ? k->conn : NULL;
    int dir = k ? k->dir : 0;
    if (c && update
        && (is_expired(c, &now)
            || (commit && force && dir == 1)
            || (is_tcp && dir == 0 && tcp_flags == TCP_SYN
                && c->tcp[0] == CT_TCP_TIME_WAIT
                && c->tcp[1] == CT_TCP_TIME_WAIT))) {
        /* Gone, turned around by force, or a new SYN reusing the ports
         * of a closed connection: start from scratch. */
        conn_delete(c);
        c = NULL;
        dir = 0;
    }

    uint32_t state = CS_TRACKED;
    if (!c) {
        if ((is_tcp && (tcp_flags & (TCP_SYN | TCP_ACK))
                        == (TCP_SYN | TCP_ACK))
            || (is_icmp(t.proto) && t.icmp_type != echo_request_type(t.af))) {
            /* Replies without a request. */
            clear_ct_fields(flow, zone, CS_TRACKED | CS_INVALID);
            return;
        }
        if (commit && update) {
            c = commit_new(&t, nat, now);
            if (!c) {
                clear_ct_fields(flow, zone, CS_TRACKED | CS_INVALID);
                return;
            }
        } else {
            clear_ct_fields(flow, zone, CS_TRACKED | CS_NEW);
            put_orig_tuple(&t, flow);
            return;
        }
    }

    if (update) {
        if (dir == 1) {
            c->seen_reply = true;
        }
        if (is_tcp) {
            tcp_update(c, dir, tcp_flags);
        }
        c->expiration = now + timeout_msec(c);
    }
    if (dir == 1) {
        state |= CS_REPLY_DIR | CS_ESTABLISHED;
    } else {
        state |= c->seen_reply ? CS_ESTABLISHED : CS_NEW;
    }
    if (nat && c->nat) {
        nat_packet(c, dir, flow, &res->nat);
        state |= nat_state(c, dir);
    }
    give_conn(c, zone, state, flow, res);
}

void
conntrack_set_mark_label(struct conntrack_conn *c, const struct flow *flow)
{
    c->mark = flow->ct_mark;
    memcpy(c->label, flow->ct_label, sizeof c->label);
}

/* ---- Flush and dump. ---- */

/* 'zone_' points to an int, < 0 for every zone. */
static bool
in_zone(const struct conntrack_conn *c, const void *zone_)
{
    const int *zone = zone_;
    return *zone < 0 || c->t[0].zone == *zone;
}

static void
expire(void)
{
    long long int now = time_msec();
    delete_where(is_expired, &now);
}

size_t
conntrack_flush(int zone)
{
    return delete_where(in_zone, &zone);
}

static bool
addr_matches(const struct in6_addr *want, const struct in6_addr *have)
{
    static const struct in6_addr any;
    return !memcmp(want, &any, sizeof any) || !memcmp(want, have, 16);
}

static void
mapped_addr(const struct ct_tuple *t, const struct in6_addr *a,
            struct in6_addr *out)
{
    if (t->af == AF_INET) {
        memset(out, 0, sizeof *out);
        out->s6_addr[10] = out->s6_addr[11] = 0xff;
        memcpy(&out->s6_addr[12], a, 4);
    } else {
        *out = *a;
    }
}

static bool
tuple_matches(const struct ct_match_tuple *m, const struct ct_tuple *t)
{
    struct in6_addr src, dst;
    mapped_addr(t, &t->src, &src);
    mapped_addr(t, &t->dst, &dst);
    if (!addr_matches(&m->src, &src) || !addr_matches(&m->dst, &dst)) {
        return false;
    }
    if (is_icmp(t->proto)) {
        return ((!m->icmp_id || m->icmp_id == t->sport)
                && (!m->icmp_type || m->icmp_type == t->icmp_type)
                && (!m->icmp_code || m->icmp_code == t->icmp_code));
    }
    return ((!m->sport || m->sport == t->sport)
            && (!m->dport || m->dport == t->dport));
}

static bool
conn_matches(const struct conntrack_conn *c, const void *m_)
{
    const struct ct_match *m = m_;
    return (in_zone(c, &m->zone)
            && (!m->proto || m->proto == c->t[0].proto)
            && tuple_matches(&m->t[0], &c->t[0])
            && tuple_matches(&m->t[1], &c->t[1]));
}

size_t
conntrack_flush_match(const struct ct_match *m)
{
    return delete_where(conn_matches, m);
}

static const char *
proto_name(const struct ct_tuple *t)
{
    switch (t->proto) {
    case IPPROTO_TCP: return t->af == AF_INET ? "tcp" : "tcp6";
    case IPPROTO_UDP: return t->af == AF_INET ? "udp" : "udp6";
    case IPPROTO_SCTP: return t->af == AF_INET ? "sctp" : "sctp6";
    case IPPROTO_ICMP: return "icmp";
    case IPPROTO_ICMPV6: return "icmp6";
    default: return NULL;
    }
}

static void
format_tuple(const struct ct_tuple *t, struct ds *s)
{
    char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
    inet_ntop(t->af, &t->src, src, sizeof src);
    inet_ntop(t->af, &t->dst, dst, sizeof dst);
    ds_put_format(s, "src=%s,dst=%s", src, dst);
    if (is_icmp(t->proto)) {
        ds_put_format(s, ",id=%u,type=%u,code=%u", ntohs(t->sport),
                      t->icmp_type, t->icmp_code);
    } else if (t->proto == IPPROTO_TCP || t->proto == IPPROTO_UDP
               || t->proto == IPPROTO_SCTP) {
        ds_put_format(s, ",sport=%u,dport=%u", ntohs(t->sport),
                      ntohs(t->dport));
    }
}

static void
format_conn(const struct conntrack_conn *c, struct ds *s)
{
    const struct ct_tuple *t = &c->t[0];
    const char *name = proto_name(t);
    if (name) {
        ds_put_cstr(s, name);
    } else {
        ds_put_format(s, "%s,proto=%u", t->af == AF_INET ? "ip" : "ipv6",
                      t->proto);
    }
    ds_put_cstr(s, ",orig=(");
    format_tuple(&c->t[0], s);
    ds_put_cstr(s, "),reply=(");
    format_tuple(&c->t[1], s);
    ds_put_char(s, ')');
    if (t->zone) {
        ds_put_format(s, ",zone=%u", t->zone);
    }
    if (c->mark) {
        ds_put_format(s, ",mark=%"PRIu32, c->mark);
    }
    size_t i = 0;
    while (i < sizeof c->label && !c->label[i]) {
        i++;
    }
    if (i < sizeof c->label) {
        ds_put_format(s, ",labels=0x%x", c->label[i]);
        while (++i < sizeof c->label) {
            ds_put_format(s, "%02x", c->label[i]);
        }
    }
    if (t->proto == IPPROTO_TCP) {
        ds_put_format(s, ",protoinfo=(state=%s)",
                      tcp_state_names[XVS_MAX(c->tcp[0], c->tcp[1])]);
    }
}

static int
compare_strings(const void *a_, const void *b_)
{
    char *const *a = a_, *const *b = b_;
    return strcmp(*a, *b);
}

void
conntrack_dump(int zone, struct ds *s)
{
    expire();
    char **lines = xcalloc(n_conns + 1, sizeof *lines);
    size_t n = 0;
    struct ct_key_node *k;
    HMAP_FOR_EACH (k, node, &conns) {
        if (!k->dir && in_zone(k->conn, &zone)) {
            struct ds line = DS_EMPTY_INITIALIZER;
            format_conn(k->conn, &line);
            lines[n++] = ds_steal_cstr(&line);
        }
    }
    qsort(lines, n, sizeof *lines, compare_strings);
    for (size_t i = 0; i < n; i++) {
        ds_put_format(s, "%s\n", lines[i]);
        free(lines[i]);
    }
    free(lines);
}

/* ---- unixctl. ---- */

/* "[DP] [zone=N]": the datapath name is accepted and ignored (there is
 * one tracker).  Returns false after replying with an error. */
static bool
parse_zone_args(struct unixctl_conn *conn, int argc, const char *argv[],
                int *zone)
{
    *zone = -1;
    for (int i = 1; i < argc; i++) {
        unsigned long long z;
        if (!strncmp(argv[i], "zone=", 5)) {
            if (!str_to_ullong(argv[i] + 5, 10, &z) || z > UINT16_MAX) {
                unixctl_command_reply_error(conn, "failed to parse zone");
                return false;
            }
            *zone = z;
        } else if (i != 1 || strchr(argv[i], '=')) {
            char *error = xasprintf("%s: unexpected argument", argv[i]);
            unixctl_command_reply_error(conn, error);
            free(error);
            return false;
        }
    }
    return true;
}

static void
dump_cmd(struct unixctl_conn *conn, int argc, const char *argv[],
         void *aux XVS_UNUSED)
{
    int zone;
    if (parse_zone_args(conn, argc, argv, &zone)) {
        struct ds s = DS_EMPTY_INITIALIZER;
        conntrack_dump(zone, &s);
        unixctl_command_reply(conn, ds_cstr(&s));
        ds_destroy(&s);
    }
}

/* "[DP] [zone=N] [ORIG-TUPLE [REPLY-TUPLE]]": a tuple without a zone
 * means zone 0, as in Open vSwitch; nothing at all, every zone. */
static void
flush_cmd(struct unixctl_conn *conn, int argc, const char *argv[],
          void *aux XVS_UNUSED)
{
    struct ct_match m;
    memset(&m, 0, sizeof m);
    m.zone = -1;
    int i = 1;
    if (i < argc && *argv[i] && !strchr(argv[i], '=')) {
        i++;                    /* The datapath name. */
    }
    if (i < argc && !strncmp(argv[i], "zone=", 5)) {
        unsigned long long z;
        if (!str_to_ullong(argv[i] + 5, 10, &z) || z > UINT16_MAX) {
            unixctl_command_reply_error(conn, "failed to parse zone");
            return;
        }
        m.zone = z;
        i++;
    }
    if (i < argc) {
        if (m.zone < 0) {
            m.zone = 0;
        }
        for (int dir = 0; dir < 2 && i < argc; dir++, i++) {
            char *error = ct_match_parse_tuple(argv[i], &m.t[dir],
                                                &m.proto);
            if (error) {
                unixctl_command_reply_error(conn, error);
                free(error);
                return;
            }
        }
    }
    if (i < argc) {
        unixctl_command_reply_error(conn, "too many arguments");
        return;
    }
    conntrack_flush_match(&m);
    unixctl_command_reply(conn, "");
}

static void
get_maxconns_cmd(struct unixctl_conn *conn, int argc XVS_UNUSED,
                 const char *argv[] XVS_UNUSED, void *aux XVS_UNUSED)
{
    char *s = xasprintf("%u\n", maxconns);
    unixctl_command_reply(conn, s);
    free(s);
}

static void
set_maxconns_cmd(struct unixctl_conn *conn, int argc, const char *argv[],
                 void *aux XVS_UNUSED)
{
    unsigned long long n;
    if (!str_to_ullong(argv[argc - 1], 10, &n) || n > UINT32_MAX) {
        unixctl_command_reply_error(conn, "maxconns missing or malformed");
        return;
    }
    maxconns = n;
    unixctl_command_reply(conn, "setting maxconns successful");
}

static void
stats_cmd(struct unixctl_conn *conn, int argc, const char *argv[],
          void *aux XVS_UNUSED)
{
    int zone;
    if (!parse_zone_args(conn, argc, argv, &zone)) {
        return;
    }
    expire();
    size_t per_proto[256] = { 0 };
    size_t total = 0;
    struct ct_key_node *k;
    HMAP_FOR_EACH (k, node, &conns) {
        if (!k->dir && in_zone(k->conn, &zone)) {
            per_proto[k->conn->t[0].proto]++;
            total++;
        }
    }
    struct ds s = DS_EMPTY_INITIALIZER;
    ds_put_format(&s, "Connections Stats:\n    Total: %zu\n", total);
    static const struct { uint8_t proto; const char *name; } protos[] = {
        { IPPROTO_TCP, "TCP" }, { IPPROTO_UDP, "UDP" },
        { IPPROTO_SCTP, "SCTP" }, { IPPROTO_ICMP, "ICMP" },
        { IPPROTO_ICMPV6, "ICMPV6" },
    };
    size_t named = 0;
    for (size_t i = 0; i < ARRAY_SIZE(protos); i++) {
        if (per_proto[protos[i].proto]) {
            ds_put_format(&s, "      %s: %zu\n", protos[i].name,
                          per_proto[protos[i].proto]);
            named += per_proto[protos[i].proto];
        }
    }
    if (total > named) {
        ds_put_format(&s, "      OTHER: %zu\n", total - named);
    }
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

/* "memory/show": connections tracked, in every zone. */
static void
conntrack_report_memory(struct memory_usage *u, void *aux XVS_UNUSED)
{
    memory_add(u, "conntrack", n_conns);
}

void
conntrack_register_unixctl(void)
{
    memory_register(conntrack_report_memory, NULL);
    unixctl_command_register("dpctl/dump-conntrack", "[dp] [zone=N]", 0, 2,
                             dump_cmd, NULL);
    unixctl_command_register("dpctl/flush-conntrack",
                             "[dp] [zone=N] [ct-orig-tuple [ct-reply-tuple]]",
                             0, 4, flush_cmd, NULL);
    unixctl_command_register("dpctl/ct-stats-show", "[dp] [zone=N]", 0, 2,
                             stats_cmd, NULL);
    unixctl_command_register("dpctl/ct-get-maxconns", "[dp]", 0, 1,
                             get_maxconns_cmd, NULL);
    unixctl_command_register("dpctl/ct-set-maxconns", "[dp] maxconns", 1, 2,
                             set_maxconns_cmd, NULL);
}
