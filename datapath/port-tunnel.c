/* port-tunnel: "geneve", "vxlan" and "gre" ports over the kernel's IPv4
 * stack.
 *
 * Why kernel sockets: the kernel routes the outer packet and resolves the
 * next hop's address, so a tunnel works over any interface the host has,
 * while xvswitch still writes every outer header byte itself (source
 * port entropy, TOS, TTL, DF, optional checksums), which is what
 * interoperating on the wire needs.  Receiving uses one socket per
 * (type, UDP port) shared by every tunnel port of that type and port, in
 * any bridge (a UDP socket, which delivers the tunnel header with the
 * outer addresses, TOS and TTL as ancillary data; for GRE a raw IPPROTO_GRE
 * socket); a packet goes to the port whose remote_ip and key match it,
 * a port with a fixed remote_ip and key before one with "flow".
 * Transmitting uses one raw IPPROTO_RAW socket (IP_HDRINCL) for all.
 *
 * Receive and transmit run on the main thread's event loop (PMD threads
 * that output to a tunnel port transmit from their own thread under the
 * port's tx lock).  Dropped packets are counted by reason as coverage
 * counters (tunnel_rx_*, tunnel_tx_*) and per port in rx_errors and
 * tx_dropped. */
#include <config.h>
#include "port-provider.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <event2/event.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "coverage.h"
#include "evloop.h"
#include "hmap.h"
#include "list.h"
#include "packets.h"
#include "tnl-header.h"
#include "unixctl.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(port_tunnel);

COVERAGE_DEFINE(tunnel_rx_malformed);
COVERAGE_DEFINE(tunnel_rx_bad_version);
COVERAGE_DEFINE(tunnel_rx_critical_option);
COVERAGE_DEFINE(tunnel_rx_not_ethernet);
COVERAGE_DEFINE(tunnel_rx_no_port);
COVERAGE_DEFINE(tunnel_tx_no_remote);
COVERAGE_DEFINE(tunnel_tx_error);
COVERAGE_DEFINE(tunnel_tx_too_big);

#define TNL_TTL_DEFAULT 64
#define TNL_SRC_PORT_MIN 32768      /* As Open vSwitch's userspace. */
#define TNL_SRC_PORT_MAX 61000
#define TNL_OUTER_MAX (sizeof(struct ip_header) + UDP_HEADER_LEN \
                       + TNL_HEADER_MAX)
#define TNL_ROUTES 8
#define TNL_ROUTE_TTL 1000

/* A receiving socket shared by the ports of one type and UDP port. */
struct tnl_listener {
    struct hmap_node node;      /* In 'listeners'. */
    enum tnl_type type;
    uint16_t udp_port;          /* Host order; 0 for GRE. */
    int fd;
    struct event *ev;
    struct xvs_list ports;      /* 'struct tnl_port's. */
    uint64_t n_dropped[TNL_DROP_PROTOCOL + 1];
};

/* A value an option gives either fixed or as "flow". */
struct tnl_opt_value {
    bool flow;
    uint64_t value;             /* Host order; addresses network order. */
    bool present;
};

struct tnl_port {
    char *name;
    enum tnl_type type;
    struct xvs_list node;       /* In listener->ports. */
    struct tnl_listener *listener;
    struct tnl_opt_value remote_ip, local_ip, in_key, out_key;
    int tos;                    /* -1: inherit from the inner packet. */
    int ttl;                    /* -1: inherit. */
    bool df;
    bool csum;
    uint16_t dst_port;          /* Host order. */
    uint16_t src_port_min, src_port_max;
    struct tnl_opt_map map;
    /* The kernel's source address for recent remotes, looked up again
     * after TNL_ROUTE_TTL ms (only 'send' uses it, under the tx lock). */
    struct tnl_route {
        uint32_t dst, src;
        unsigned int mtu;       /* Path MTU, 0 if unknown. */
        long long int expires;
    } routes[TNL_ROUTES];
    unsigned int next_route;
    struct dp_port *port;       /* For dp_port_send_back(). */
};

static struct hmap listeners = HMAP_INITIALIZER;
static int raw_fd = -1;
static unsigned int raw_users;

/* ---- Options. ---- */

static bool
parse_u64(const char *s, uint64_t max, uint64_t *value)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *end || v > max || *s == '-') {
        return false;
    }
    *value = v;
    return true;
}

static bool
parse_bool(const char *s, bool *b)
{
    if (!strcmp(s, "true")) {
        *b = true;
    } else if (!strcmp(s, "false")) {
        *b = false;
    } else {
        return false;
    }
    return true;
}

static bool
parse_ip(const char *s, struct tnl_opt_value *v)
{
    struct in_addr a;
    if (!strcmp(s, "flow")) {
        v->flow = true;
    } else if (inet_pton(AF_INET, s, &a) == 1) {
        v->value = a.s_addr;
    } else {
        return false;
    }
    v->present = true;
    return true;
}

static bool
parse_key(const char *s, enum tnl_type type, struct tnl_opt_value *v)
{
    if (!strcmp(s, "flow")) {
        v->flow = true;
    } else if (!parse_u64(s, type == TNL_GRE ? UINT32_MAX : 0xffffff,
                          &v->value)) {
        return false;
    }
    v->present = true;
    return true;
}

/* "inherit" (-1) or a number up to 'max'. */
static bool
parse_inherit(const char *s, uint64_t max, int *out)
{
    uint64_t v;
    if (!strcmp(s, "inherit")) {
        *out = -1;
    } else if (parse_u64(s, max, &v)) {
        *out = v;
    } else {
        return false;
    }
    return true;
}

static int
parse_options(struct tnl_port *tp, const struct dp_option *opts, size_t n)
{
    uint64_t v;

    tp->ttl = TNL_TTL_DEFAULT;
    tp->df = true;
    tp->dst_port = (tp->type == TNL_GENEVE ? TNL_GENEVE_PORT
                    : tp->type == TNL_VXLAN ? TNL_VXLAN_PORT : 0);
    tp->src_port_min = TNL_SRC_PORT_MIN;
    tp->src_port_max = TNL_SRC_PORT_MAX;
    for (size_t i = 0; i < n; i++) {
        const char *k = opts[i].key, *s = opts[i].value;
        bool ok = true;

        if (!k || !s) {
            continue;
        }
        if (!strcmp(k, "remote_ip")) {
            ok = parse_ip(s, &tp->remote_ip);
        } else if (!strcmp(k, "local_ip")) {
            ok = parse_ip(s, &tp->local_ip);
        } else if (!strcmp(k, "key")) {
            ok = parse_key(s, tp->type, &tp->in_key);
            tp->out_key = tp->in_key;
        } else if (!strcmp(k, "in_key")) {
            ok = parse_key(s, tp->type, &tp->in_key);
        } else if (!strcmp(k, "out_key")) {
            ok = parse_key(s, tp->type, &tp->out_key);
        } else if (!strcmp(k, "dst_port") && tp->type != TNL_GRE) {
            ok = parse_u64(s, UINT16_MAX, &v) && v;
            tp->dst_port = v;
        } else if (!strcmp(k, "tos")) {
            ok = parse_inherit(s, UINT8_MAX, &tp->tos);
        } else if (!strcmp(k, "ttl")) {
            ok = parse_inherit(s, UINT8_MAX, &tp->ttl) && tp->ttl;
        } else if (!strcmp(k, "df_default")) {
            ok = parse_bool(s, &tp->df);
        } else if (!strcmp(k, "csum")) {
            ok = parse_bool(s, &tp->csum);
        } else if (!strcmp(k, "src_port_min") && tp->type != TNL_GRE) {
            ok = parse_u64(s, UINT16_MAX, &v) && v;
            tp->src_port_min = v;
        } else if (!strcmp(k, "src_port_max") && tp->type != TNL_GRE) {
            ok = parse_u64(s, UINT16_MAX, &v) && v;
            tp->src_port_max = v;
        } else if (strcmp(k, "pmd-rxq-affinity")) {
            VLOG_WARN("%s: %s: unknown tunnel option \"%s\" ignored",
                      tp->name, tnl_type_name(tp->type), k);
        }
        if (!ok) {
            VLOG_WARN("%s: bad value \"%s\" for options:%s", tp->name, s, k);
            return -EINVAL;
        }
    }
    if (!tp->remote_ip.present) {
        VLOG_WARN("%s: %s type requires options:remote_ip", tp->name,
                  tnl_type_name(tp->type));
        return -EINVAL;
    }
    if (tp->src_port_min > tp->src_port_max) {
        VLOG_WARN("%s: src_port_min is above src_port_max", tp->name);
        return -EINVAL;
    }
    return 0;
}

/* ---- Receiving. ---- */

static void listener_readable(evutil_socket_t, short, void *listener);

static struct tnl_listener *
listener_find(enum tnl_type type, uint16_t udp_port)
{
    struct tnl_listener *l;
    HMAP_FOR_EACH_WITH_HASH (l, node, hash_int(type << 16 | udp_port, 0),
                             &listeners) {
        if (l->type == type && l->udp_port == udp_port) {
            return l;
        }
    }
    return NULL;
}

static int
listener_open(enum tnl_type type, uint16_t udp_port, const char *name)
{
    int one = 1;
    int fd;

    if (type == TNL_GRE) {
        fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
                    IPPROTO_GRE);
    } else {
        fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    }
    if (fd < 0) {
        int error = errno;
        VLOG_WARN("%s: %s socket failed (%s)", name, tnl_type_name(type),
                  strerror(error));
        return -error;
    }
    if (type != TNL_GRE) {
        struct sockaddr_in sin = {
            .sin_family = AF_INET,
            .sin_port = htons(udp_port),
            .sin_addr.s_addr = htonl(INADDR_ANY),
        };
        setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one);
        setsockopt(fd, IPPROTO_IP, IP_RECVTOS, &one, sizeof one);
        setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &one, sizeof one);
        if (bind(fd, (struct sockaddr *) &sin, sizeof sin)) {
            int error = errno;
            VLOG_WARN("%s: binding UDP port %"PRIu16" failed (%s)", name,
                      udp_port, strerror(error));
            close(fd);
            return -error;
        }
    }
    return fd;
}

static struct tnl_listener *
listener_get(enum tnl_type type, uint16_t udp_port, const char *name,
             int *errorp)
{
    struct tnl_listener *l = listener_find(type, udp_port);
    if (l) {
        return l;
    }
    int fd = listener_open(type, udp_port, name);
    if (fd < 0) {
        *errorp = fd;
        return NULL;
    }
    l = xzalloc(sizeof *l);
    l->type = type;
    l->udp_port = udp_port;
    l->fd = fd;
    xvs_list_init(&l->ports);
    l->ev = event_new(evloop_base(), fd, EV_READ | EV_PERSIST,
                      listener_readable, l);
    event_add(l->ev, NULL);
    hmap_insert(&listeners, &l->node, hash_int(type << 16 | udp_port, 0));
    return l;
}

static void
listener_unref(struct tnl_listener *l)
{
    if (xvs_list_is_empty(&l->ports)) {
        event_free(l->ev);
        close(l->fd);
        hmap_remove(&listeners, &l->node);
        free(l);
    }
}

static bool
opt_matches(const struct tnl_opt_value *v, uint64_t value)
{
    return v->flow || v->value == value;
}

/* The port a packet from 'src' to 'dst' with tunnel key 'key' belongs
 * to: the most specific match (fixed remote before "flow", then fixed key
 * before "flow"). */
static struct tnl_port *
listener_demux(const struct tnl_listener *l, uint32_t src, uint32_t dst,
               uint64_t key)
{
    struct tnl_port *tp, *best = NULL;
    int best_score = -1;

    XVS_LIST_FOR_EACH (tp, node, &l->ports) {
        if (!opt_matches(&tp->remote_ip, src)
            || !opt_matches(&tp->in_key, key)
            || (tp->local_ip.present && !tp->local_ip.flow
                && tp->local_ip.value != dst)) {
            continue;
        }
        int score = (!tp->remote_ip.flow) * 2 + !tp->in_key.flow;
        if (score > best_score) {
            best = tp;
            best_score = score;
        }
    }
    return best;
}

static void
count_drop(struct tnl_listener *l, enum tnl_drop why)
{
    l->n_dropped[why]++;
    switch (why) {
    case TNL_DROP_MALFORMED:
        COVERAGE_INC(tunnel_rx_malformed);
        break;
    case TNL_DROP_VERSION:
        COVERAGE_INC(tunnel_rx_bad_version);
        break;
    case TNL_DROP_CRITICAL:
        COVERAGE_INC(tunnel_rx_critical_option);
        break;
    case TNL_DROP_PROTOCOL:
        COVERAGE_INC(tunnel_rx_not_ethernet);
        break;
    }
}

/* What one received datagram said about its outer packet. */
struct rx_outer {
    uint32_t src, dst;
};

/* Parses the tunnel header of one datagram ('data', 'len': for GRE the
 * whole IP packet) and hands the frame inside to its port's packet path. */
static void
deliver(struct tnl_listener *l, const uint8_t *data, size_t len,
        struct rx_outer *outer)
{
    struct flow_tnl tnl;
    int hlen;

    if (l->type == TNL_GRE) {
        const struct ip_header *ip = (const struct ip_header *) data;
        size_t ihl = len >= sizeof *ip ? IP_IHL(ip->ip_ihl_ver) * 4 : 0;
        if (ihl < sizeof *ip || ihl > len) {
            count_drop(l, TNL_DROP_MALFORMED);
            return;
        }
        outer->src = ip->ip_src;
        outer->dst = ip->ip_dst;
        data += ihl;
        len -= ihl;
    }
    hlen = (l->type == TNL_GENEVE ? tnl_geneve_parse(data, len, NULL, &tnl)
            : l->type == TNL_VXLAN ? tnl_vxlan_parse(data, len, &tnl)
            : tnl_gre_parse(data, len, &tnl));
    if (hlen < 0) {
        count_drop(l, -hlen);
        return;
    }
    if (len - hlen < ETH_HEADER_LEN) {
        count_drop(l, TNL_DROP_MALFORMED);
        return;
    }
    struct tnl_port *tp = listener_demux(l, outer->src, outer->dst,
                                         be64toh(tnl.tun_id));
    struct dp_port *port = tp ? dp_port_find_global(tp->name) : NULL;
    if (!port) {
        COVERAGE_INC(tunnel_rx_no_port);
        return;
    }
    if (l->type == TNL_GENEVE) {
        /* Options map through the receiving bridge's TLV map. */
        hlen = tnl_geneve_parse(data, len, &tp->map, &tnl);
        if (hlen < 0) {
            count_drop(l, -hlen);
            return;
        }
    }
    if (len - hlen > DP_PACKET_MAX_LEN) {
        count_drop(l, TNL_DROP_MALFORMED);
        return;
    }
    tnl.ip_src = outer->src;
    tnl.ip_dst = outer->dst;

    struct dp_packet *p = dp_packet_pool_get(dp_port_pool(port));
    memcpy(dp_packet_reset(p, len - hlen), data + hlen, len - hlen);
    p->has_tnl = true;
    p->tnl = tnl;
    struct dp_packet_batch batch = { .count = 1, .packets = { p } };
    dp_port_input(port, &batch);
}

#define RX_BATCH 32
#define RX_BUF_LEN (DP_PACKET_MAX_LEN + TNL_OUTER_MAX)

static void
listener_readable(evutil_socket_t fd XVS_UNUSED, short what XVS_UNUSED,
                  void *l_)
{
    struct tnl_listener *l = l_;
    static uint8_t (*bufs)[RX_BUF_LEN];
    struct mmsghdr msgs[RX_BATCH];
    struct iovec iovs[RX_BATCH];
    struct sockaddr_in names[RX_BATCH];
    union {
        char buf[CMSG_SPACE(sizeof(struct in_pktinfo)) + 2 * CMSG_SPACE(4)];
        struct cmsghdr align;
    } cmsgs[RX_BATCH];

    if (!bufs) {
        bufs = xmalloc(RX_BATCH * sizeof *bufs);
    }
    for (int i = 0; i < RX_BATCH; i++) {
        iovs[i] = (struct iovec) { bufs[i], RX_BUF_LEN };
        msgs[i].msg_hdr = (struct msghdr) {
            .msg_name = &names[i],
            .msg_namelen = sizeof names[i],
            .msg_iov = &iovs[i],
            .msg_iovlen = 1,
            .msg_control = cmsgs[i].buf,
            .msg_controllen = sizeof cmsgs[i].buf,
        };
    }
    int n = recvmmsg(l->fd, msgs, RX_BATCH, MSG_DONTWAIT, NULL);
    for (int i = 0; i < n; i++) {
        struct msghdr *mh = &msgs[i].msg_hdr;
        struct rx_outer outer = { .src = names[i].sin_addr.s_addr };

        if (mh->msg_flags & MSG_TRUNC) {
            count_drop(l, TNL_DROP_MALFORMED);
            continue;
        }
        for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c;
             c = CMSG_NXTHDR(mh, c)) {
            if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
                struct in_pktinfo pi;
                memcpy(&pi, CMSG_DATA(c), sizeof pi);
                outer.dst = pi.ipi_addr.s_addr;
            }
        }
        deliver(l, bufs[i], msgs[i].msg_len, &outer);
    }
}

/* ---- Transmitting. ---- */

static int
raw_socket_ref(const char *name)
{
    if (raw_fd < 0) {
        raw_fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
        if (raw_fd < 0) {
            int error = errno;
            VLOG_WARN("%s: raw IP socket failed (%s)", name,
                      strerror(error));
            return -error;
        }
    }
    raw_users++;
    return 0;
}

static void
raw_socket_unref(void)
{
    if (!--raw_users) {
        close(raw_fd);
        raw_fd = -1;
    }
}

/* The TOS and TTL of the inner frame's IP header, if it has one. */
static bool
inner_ip_tos_ttl(const uint8_t *frame, size_t len, uint8_t *tos,
                 uint8_t *ttl)
{
    if (len < ETH_HEADER_LEN + 20) {
        return false;
    }
    uint16_t type = frame[12] << 8 | frame[13];
    const uint8_t *l3 = frame + ETH_HEADER_LEN;
    if (type == ETH_TYPE_IP) {
        *tos = l3[1];
        *ttl = l3[8];
        return true;
    }
    if (type == ETH_TYPE_IPV6 && len >= ETH_HEADER_LEN + IPV6_HEADER_LEN) {
        *tos = (l3[0] << 4 | l3[1] >> 4) & 0xff;
        *ttl = l3[7];
        return true;
    }
    return false;
}

/* What the kernel's routing says about 'dst': the source address (0 if
 * there is no route), written into the header here because the UDP
 * checksum covers it, and the path MTU, which outer packets must fit. */
static const struct tnl_route *
route_lookup(struct tnl_port *tp, uint32_t dst)
{
    long long int now = time_msec();
    for (int i = 0; i < TNL_ROUTES; i++) {
        struct tnl_route *r = &tp->routes[i];
        if (r->dst == dst && r->expires > now) {
            return r;
        }
    }

    struct tnl_route *r = &tp->routes[tp->next_route++ % TNL_ROUTES];
    *r = (struct tnl_route) { .dst = dst, .expires = now + TNL_ROUTE_TTL };
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd >= 0) {
        struct sockaddr_in sin = {
            .sin_family = AF_INET,
            .sin_port = htons(tp->dst_port ? tp->dst_port : 9),
            .sin_addr.s_addr = dst,
        };
        socklen_t len = sizeof sin;
        int mtu;
        socklen_t mtu_len = sizeof mtu;
        if (!connect(fd, (struct sockaddr *) &sin, sizeof sin)
            && !getsockname(fd, (struct sockaddr *) &sin, &len)) {
            r->src = sin.sin_addr.s_addr;
            if (!getsockopt(fd, IPPROTO_IP, IP_MTU, &mtu, &mtu_len)) {
                r->mtu = mtu;
            }
        }
        close(fd);
    }
    return r;
}

/* Writes the outer IPv4 and UDP (or GRE) headers and the tunnel header for
 * 'p' into 'hdr'; returns their length, or 0 if 'p' has nowhere to go. */
static size_t
build_outer(struct tnl_port *tp, const struct dp_packet *p,
            uint8_t *hdr, uint32_t *dst, unsigned int *mtu)
{
    static const struct flow_tnl no_tnl;
    const struct flow_tnl *tnl = p->has_tnl ? &p->tnl : &no_tnl;
    const uint8_t *frame = dp_packet_data(p);
    struct ip_header *ip = (struct ip_header *) hdr;
    uint8_t inner_tos = 0, inner_ttl = TNL_TTL_DEFAULT;
    size_t l4 = sizeof *ip;
    size_t n;

    *dst = tp->remote_ip.flow ? tnl->ip_dst : tp->remote_ip.value;
    if (!*dst) {
        COVERAGE_INC(tunnel_tx_no_remote);
        return 0;
    }
    uint32_t src = (!tp->local_ip.present ? 0
                    : tp->local_ip.flow ? tnl->ip_src : tp->local_ip.value);
    const struct tnl_route *route = route_lookup(tp, *dst);
    *mtu = route->mtu;
    if (!src) {
        src = route->src;
    }
    uint64_t key = (tp->out_key.flow ? be64toh(tnl->tun_id)
                    : tp->out_key.value);
    inner_ip_tos_ttl(frame, p->size, &inner_tos, &inner_ttl);

    memset(ip, 0, sizeof *ip);
    ip->ip_ihl_ver = 0x45;
    ip->ip_tos = tp->tos < 0 ? inner_tos : tp->tos;
    ip->ip_frag_off = htons(tp->df ? 0x4000 : 0);
    ip->ip_ttl = tp->ttl < 0 ? inner_ttl : tp->ttl;
    ip->ip_src = src;
    ip->ip_dst = *dst;
    if (tp->type == TNL_GRE) {
        ip->ip_proto = IPPROTO_GRE;
        n = tnl_gre_build(hdr + l4, key, tp->out_key.present, tp->csum,
                          frame, p->size);
        return l4 + n;
    }

    struct udp_header *udp = (struct udp_header *) (hdr + l4);
    uint8_t *th = hdr + l4 + UDP_HEADER_LEN;
    ip->ip_proto = IPPROTO_UDP;
    n = (tp->type == TNL_GENEVE ? tnl_geneve_build(th, tnl, key, &tp->map)
         : tnl_vxlan_build(th, key));
    uint32_t range = tp->src_port_max - tp->src_port_min + 1;
    uint16_t udp_len = UDP_HEADER_LEN + n + p->size;
    udp->udp_src = htons(tp->src_port_min
                         + tnl_flow_hash(frame, p->size) % range);
    udp->udp_dst = htons(tp->dst_port);
    udp->udp_len = htons(udp_len);
    udp->udp_csum = 0;
    if (tp->csum) {
        ip->ip_tot_len = htons(sizeof *ip + udp_len);
        uint32_t sum = packet_csum_pseudoheader(ip, udp_len);
        sum = csum_continue(sum, udp, UDP_HEADER_LEN + n);
        sum = csum_continue(sum, frame, p->size);
        uint16_t c = csum_finish(sum);
        udp->udp_csum = c ? c : 0xffff;
    }
    return l4 + UDP_HEADER_LEN + n;
}

/* 'p' does not fit the path: its sender learns the MTU left for it
 * ('inner_mtu' bytes of IP packet), if it asked not to be fragmented
 * (RFC 1191, RFC 8201).  Outer packets are never fragmented here. */
static void
too_big(struct tnl_port *tp, const struct dp_packet *p,
        unsigned int inner_mtu)
{
    uint8_t icmp[TNL_ICMP_MAX];
    size_t n = tnl_icmp_too_big(dp_packet_data(p), p->size, inner_mtu, icmp);

    COVERAGE_INC(tunnel_tx_too_big);
    if (n && tp->port) {
        dp_port_send_back(tp->port, p->in_port, icmp, n);
    }
}

static int
tunnel_send(void *state, unsigned int qid XVS_UNUSED,
            struct dp_packet_batch *batch)
{
    struct tnl_port *tp = state;
    uint8_t hdrs[DP_BATCH_SIZE][TNL_OUTER_MAX];
    struct iovec iovs[DP_BATCH_SIZE][2];
    struct sockaddr_in dsts[DP_BATCH_SIZE];
    struct mmsghdr msgs[DP_BATCH_SIZE];
    unsigned int n = 0;
    int dropped = 0;

    for (unsigned int i = 0; i < batch->count; i++) {
        struct dp_packet *p = batch->packets[i];
        unsigned int mtu;
        uint32_t dst;
        size_t hlen = build_outer(tp, p, hdrs[n], &dst, &mtu);
        if (!hlen) {
            dropped++;
            continue;
        }
        if (mtu && hlen + p->size > mtu) {
            too_big(tp, p, mtu - hlen - ETH_HEADER_LEN);
            dropped++;
            continue;
        }
        dsts[n] = (struct sockaddr_in) {
            .sin_family = AF_INET,
            .sin_addr.s_addr = dst,
        };
        iovs[n][0] = (struct iovec) { hdrs[n], hlen };
        iovs[n][1] = (struct iovec) { dp_packet_data(p), p->size };
        msgs[n].msg_hdr = (struct msghdr) {
            .msg_name = &dsts[n],
            .msg_namelen = sizeof dsts[n],
            .msg_iov = iovs[n],
            .msg_iovlen = 2,
        };
        n++;
    }
    for (unsigned int i = 0; i < n;) {
        int sent = sendmmsg(raw_fd, &msgs[i], n - i, 0);
        if (sent > 0) {
            i += sent;
            continue;
        }
        if (errno == EINTR) {
            continue;
        }
        /* The message at 'i' failed (no route, too big, ...): skip it. */
        COVERAGE_INC(tunnel_tx_error);
        dropped++;
        i++;
    }
    return dropped;
}

/* ---- The port classes. ---- */

static int
tunnel_open(enum tnl_type type, const char *name,
            const struct dp_option *opts, size_t n, void **statep, int *fdp)
{
    struct tnl_port *tp = xzalloc(sizeof *tp);
    int error;

    tp->name = xstrdup(name);
    tp->type = type;
    error = parse_options(tp, opts, n);
    if (!error) {
        error = raw_socket_ref(name);
    }
    if (!error) {
        tp->listener = listener_get(type, tp->dst_port, name, &error);
        if (!tp->listener) {
            raw_socket_unref();
        }
    }
    if (error) {
        free(tp->name);
        free(tp);
        return error;
    }
    xvs_list_push_back(&tp->listener->ports, &tp->node);
    *statep = tp;
    *fdp = -1;
    return 0;
}

static int
geneve_open(const char *name, const struct dp_option *opts, size_t n,
            void **statep, int *fdp)
{
    return tunnel_open(TNL_GENEVE, name, opts, n, statep, fdp);
}

static int
vxlan_open(const char *name, const struct dp_option *opts, size_t n,
           void **statep, int *fdp)
{
    return tunnel_open(TNL_VXLAN, name, opts, n, statep, fdp);
}

static int
gre_open(const char *name, const struct dp_option *opts, size_t n,
         void **statep, int *fdp)
{
    return tunnel_open(TNL_GRE, name, opts, n, statep, fdp);
}

static void
tunnel_close(void *state)
{
    struct tnl_port *tp = state;

    xvs_list_remove(&tp->node);
    listener_unref(tp->listener);
    raw_socket_unref();
    free(tp->name);
    free(tp);
}

static int
tunnel_recv(void *state XVS_UNUSED, unsigned int qid XVS_UNUSED,
            struct dp_packet_pool *pool XVS_UNUSED,
            struct dp_packet_batch *batch XVS_UNUSED)
{
    /* Listeners push what they receive with dp_port_input(). */
    return 0;
}

static void
tunnel_set_tun_map(void *state, const struct tnl_opt_map *map)
{
    struct tnl_port *tp = state;
    tp->map = *map;
}

static void
tunnel_attach(void *state, struct dp_port *port)
{
    struct tnl_port *tp = state;
    tp->port = port;
}

static void
tunnel_get_status(void *state XVS_UNUSED, const char *name,
                  struct dp_port_status *st)
{
    eth_addr_random(&st->mac, hash_string(name, 0) | 1);
    st->mtu = 0;
    st->admin_up = true;
    st->link_up = true;
    st->ifindex = 0;
}

#define TUNNEL_CLASS(TYPE, OPEN)                \
    {                                           \
        .type = TYPE,                           \
        .open = OPEN,                           \
        .close = tunnel_close,                  \
        .recv = tunnel_recv,                    \
        .send = tunnel_send,                    \
        .get_status = tunnel_get_status,        \
        .set_tun_map = tunnel_set_tun_map,      \
        .attach = tunnel_attach,                \
    }

const struct dp_port_class dp_port_geneve_class =
    TUNNEL_CLASS("geneve", geneve_open);
const struct dp_port_class dp_port_vxlan_class =
    TUNNEL_CLASS("vxlan", vxlan_open);
const struct dp_port_class dp_port_gre_class =
    TUNNEL_CLASS("gre", gre_open);

/* ---- tnl/ports/show. ---- */

static void
format_opt_value(struct ds *s, const char *key,
                 const struct tnl_opt_value *v, bool ip)
{
    if (!v->present) {
        return;
    }
    ds_put_format(s, ", %s=", key);
    if (v->flow) {
        ds_put_cstr(s, "flow");
    } else if (ip) {
        uint32_t addr = v->value;
        ds_put_format(s, IP_FMT, IP_ARGS(addr));
    } else {
        ds_put_format(s, "%"PRIu64, v->value);
    }
}

static void
unixctl_ports_show(struct unixctl_conn *conn, int argc XVS_UNUSED,
                   const char *argv[] XVS_UNUSED, void *aux XVS_UNUSED)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    const struct tnl_listener *l;

    HMAP_FOR_EACH (l, node, &listeners) {
        if (l->type == TNL_GRE) {
            ds_put_cstr(&s, "gre (IP protocol 47)");
        } else {
            ds_put_format(&s, "%s (UDP port %"PRIu16")",
                          tnl_type_name(l->type), l->udp_port);
        }
        ds_put_cstr(&s, ": dropped");
        for (int i = TNL_DROP_MALFORMED; i <= TNL_DROP_PROTOCOL; i++) {
            ds_put_format(&s, " %s:%"PRIu64, tnl_drop_name(i),
                          l->n_dropped[i]);
        }
        ds_put_char(&s, '\n');
        const struct tnl_port *tp;
        XVS_LIST_FOR_EACH (tp, node, &l->ports) {
            ds_put_format(&s, "  %s", tp->name);
            format_opt_value(&s, "remote_ip", &tp->remote_ip, true);
            format_opt_value(&s, "local_ip", &tp->local_ip, true);
            format_opt_value(&s, "in_key", &tp->in_key, false);
            format_opt_value(&s, "out_key", &tp->out_key, false);
            if (tp->type != TNL_GRE) {
                ds_put_format(&s, ", src_port=%"PRIu16"-%"PRIu16,
                              tp->src_port_min, tp->src_port_max);
            }
            if (tp->tos < 0) {
                ds_put_cstr(&s, ", tos=inherit");
            } else if (tp->tos) {
                ds_put_format(&s, ", tos=%d", tp->tos);
            }
            if (tp->ttl < 0) {
                ds_put_cstr(&s, ", ttl=inherit");
            } else {
                ds_put_format(&s, ", ttl=%d", tp->ttl);
            }
            ds_put_format(&s, ", df=%s, csum=%s\n", tp->df ? "yes" : "no",
                          tp->csum ? "yes" : "no");
        }
    }
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

void
dp_tunnel_register_unixctl(void)
{
    unixctl_command_register("tnl/ports/show", "", 0, 0,
                             unixctl_ports_show, NULL);
}
