/* port-tunnel: "geneve", "vxlan" and "gre" ports over the kernel's IPv4
 * and IPv6 stacks.
 *
 * Why kernel sockets: the kernel routes the outer packet and resolves the
 * next hop's address, so a tunnel works over any interface the host has,
 * while xvswitch still writes every outer header byte itself (source
 * port entropy, TOS, TTL, DF, checksums), which is what interoperating
 * on the wire needs.  Receiving uses sockets shared by every tunnel port
 * of one type and UDP port, in any bridge: one dual-stack UDP socket,
 * which delivers the tunnel header with the outer source address and, as
 * ancillary data, the destination; for GRE a raw IPPROTO_GRE socket per
 * address family.  A packet goes to the port whose remote_ip, local_ip
 * and key match it, a port with a fixed remote_ip and key before one with
 * "flow".  Transmitting uses one raw IPPROTO_RAW socket per family, with
 * the header included.
 *
 * Native tunnelling (tnl-native.h) bypasses both sockets where the route
 * to the remote leaves through a bridge's internal device: transmit adds
 * the Ethernet header and hands the frame to that bridge, and a bridge
 * pops the tunnel packets for us that it would give the host
 * (dp_tunnel_terminates()), which come to native_input() and from there
 * the same demultiplexing as the sockets' packets.
 *
 * Addresses are kept as IPv6 addresses, IPv4 ones mapped (::ffff:a.b.c.d),
 * so one comparison serves both families.
 *
 * Receive and transmit run on the main thread's event loop (PMD threads
 * that output to a tunnel port transmit from their own thread under the
 * port's tx lock).  Received packets that are dropped are counted by
 * reason per socket (tnl/ports/show) and as coverage counters
 * (tunnel_rx_*); transmitted ones per port in tx_dropped and as
 * tunnel_tx_* counters.  Path MTU discovery answers packets too big for
 * the route (tnl_icmp_too_big()) out of their input port.
 *
 * What the XDP program is told about these ports, to decapsulate and
 * encapsulate in the kernel, is in port-tunnel-xdp.c. */
#include <config.h>
#include "port-provider.h"
#include "port-tunnel-private.h"

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
#include "dp-xdp.h"
#include "evloop.h"
#include "hmap.h"
#include "list.h"
#include "packets.h"
#include "tnl-header.h"
#include "tnl-native.h"
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
#define TNL_OUTER_MAX (IPV6_HEADER_LEN + UDP_HEADER_LEN + TNL_HEADER_MAX)
#define TNL_ROUTE_TTL 1000
#define TNL_NEIGH_RETRY 100         /* While the kernel resolves, ms. */

struct hmap tnl_port_listeners = HMAP_INITIALIZER;
static uint64_t listeners_seq;  /* Advances when the listeners change. */
static int raw_fds[2] = { -1, -1 };     /* IPv4, IPv6. */
static unsigned int raw_users;

/* ---- Addresses. ---- */

/* The outer remote (or local) address a tunnel gives: IPv6 if it has
 * one, else IPv4 (mapped). */
struct in6_addr
tnl_port_addr(const struct flow_tnl *tnl, bool dst)
{
    const struct in6_addr *a6 = dst ? &tnl->ipv6_dst : &tnl->ipv6_src;
    return (tnl_in6_is_set(a6) ? *a6
            : tnl_in6_from_ipv4(dst ? tnl->ip_dst : tnl->ip_src));
}

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
parse_ip(const char *s, struct tnl_ip_opt *v)
{
    struct in_addr a4;
    if (!strcmp(s, "flow")) {
        v->flow = true;
    } else if (inet_pton(AF_INET, s, &a4) == 1) {
        v->addr = tnl_in6_from_ipv4(a4.s_addr);
    } else if (inet_pton(AF_INET6, s, &v->addr) != 1) {
        return false;
    }
    v->present = true;
    return true;
}

static bool
parse_key(const char *s, enum tnl_type type, struct tnl_key_opt *v)
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
    if (tp->remote_ip.present && !tp->remote_ip.flow
        && tp->local_ip.present && !tp->local_ip.flow
        && tnl_in6_is_ipv4(&tp->remote_ip.addr)
           != tnl_in6_is_ipv4(&tp->local_ip.addr)) {
        VLOG_WARN("%s: remote_ip and local_ip are of different families",
                  tp->name);
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
static void native_input(const uint8_t *frame, size_t len);

static uint32_t
listener_hash(enum tnl_type type, uint16_t udp_port)
{
    return hash_int(type << 16 | udp_port, 0);
}

static struct tnl_listener *
listener_find(enum tnl_type type, uint16_t udp_port)
{
    struct tnl_listener *l;
    HMAP_FOR_EACH_WITH_HASH (l, node, listener_hash(type, udp_port),
                             &tnl_port_listeners) {
        if (l->type == type && l->udp_port == udp_port) {
            return l;
        }
    }
    return NULL;
}

/* A dual-stack UDP socket on 'udp_port' (IPv4 only where the host has no
 * IPv6), or a raw GRE socket of family 'af'.  Returns the fd or a negative
 * errno. */
static int
listener_open(enum tnl_type type, int af, uint16_t udp_port,
              const char *name)
{
    int one = 1, zero = 0;
    int fd;

    if (type == TNL_GRE) {
        fd = socket(af, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
                    IPPROTO_GRE);
        if (fd >= 0 && af == AF_INET6) {
            setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof one);
        }
    } else {
        fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        af = AF_INET6;
        if (fd < 0 && errno == EAFNOSUPPORT) {
            fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
                        0);
            af = AF_INET;
        }
    }
    if (fd < 0) {
        int error = errno;
        VLOG_WARN("%s: %s socket failed (%s)", name, tnl_type_name(type),
                  strerror(error));
        return -error;
    }
    if (type == TNL_GRE) {
        return fd;
    }

    union {
        struct sockaddr_in sin;
        struct sockaddr_in6 sin6;
    } sa;
    memset(&sa, 0, sizeof sa);
    setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one);
    if (af == AF_INET6) {
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
        setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof one);
        sa.sin6.sin6_family = AF_INET6;
        sa.sin6.sin6_port = htons(udp_port);
    } else {
        sa.sin.sin_family = AF_INET;
        sa.sin.sin_port = htons(udp_port);
    }
    if (bind(fd, (struct sockaddr *) &sa,
             af == AF_INET6 ? sizeof sa.sin6 : sizeof sa.sin)) {
        int error = errno;
        VLOG_WARN("%s: binding UDP port %"PRIu16" failed (%s)", name,
                  udp_port, strerror(error));
        close(fd);
        return -error;
    }
    return fd;
}

static void
listener_add_fd(struct tnl_listener *l, int i, int fd)
{
    l->fds[i] = fd;
    l->evs[i] = event_new(evloop_base(), fd, EV_READ | EV_PERSIST,
                          listener_readable, l);
    event_add(l->evs[i], NULL);
}

static struct tnl_listener *
listener_get(enum tnl_type type, uint16_t udp_port, const char *name,
             int *errorp)
{
    struct tnl_listener *l = listener_find(type, udp_port);
    if (l) {
        return l;
    }
    int fd = listener_open(type, AF_INET, udp_port, name);
    if (fd < 0) {
        *errorp = fd;
        return NULL;
    }
    l = xzalloc(sizeof *l);
    l->type = type;
    l->udp_port = udp_port;
    l->fds[1] = -1;
    xvs_list_init(&l->ports);
    listener_add_fd(l, 0, fd);
    if (type == TNL_GRE) {
        /* GRE over IPv6 where the host has IPv6. */
        int fd6 = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_GRE);
        if (fd6 >= 0) {
            close(fd6);
            fd6 = listener_open(type, AF_INET6, 0, name);
            if (fd6 >= 0) {
                listener_add_fd(l, 1, fd6);
            }
        }
    }
    hmap_insert(&tnl_port_listeners, &l->node, listener_hash(type, udp_port));
    listeners_seq++;
    tnl_native_set_pop_handler(native_input);
    return l;
}

static void
listener_unref(struct tnl_listener *l)
{
    if (xvs_list_is_empty(&l->ports)) {
        for (int i = 0; i < 2; i++) {
            if (l->fds[i] >= 0) {
                event_free(l->evs[i]);
                close(l->fds[i]);
            }
        }
        hmap_remove(&tnl_port_listeners, &l->node);
        listeners_seq++;
        free(l);
    }
}

static bool
ip_matches(const struct tnl_ip_opt *v, const struct in6_addr *a)
{
    return !v->present || v->flow || tnl_in6_equal(&v->addr, a);
}

/* The port a packet from 'src' to 'dst' with tunnel key 'key' belongs
 * to: the most specific match (fixed remote before "flow", then fixed key
 * before "flow"). */
static struct tnl_port *
listener_demux(const struct tnl_listener *l, const struct in6_addr *src,
               const struct in6_addr *dst, uint64_t key)
{
    struct tnl_port *tp, *best = NULL;
    int best_score = -1;

    XVS_LIST_FOR_EACH (tp, node, &l->ports) {
        if (!ip_matches(&tp->remote_ip, src)
            || !(tp->in_key.flow || tp->in_key.value == key)
            || !ip_matches(&tp->local_ip, dst)) {
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

/* Parses the tunnel header of one datagram ('data', 'len'; for GRE over
 * IPv4 the whole IP packet) from 'src' to 'dst' and returns the frame
 * inside as a packet for the port it belongs to ('*portp'), or NULL if it
 * is dropped. */
static struct dp_packet *
decap(struct tnl_listener *l, const uint8_t *data, size_t len,
      struct in6_addr src, struct in6_addr dst, bool ipv4_header,
      struct dp_port **portp)
{
    struct flow_tnl tnl;
    int hlen;

    if (ipv4_header) {
        const struct ip_header *ip = (const struct ip_header *) data;
        size_t ihl = len >= sizeof *ip ? IP_IHL(ip->ip_ihl_ver) * 4 : 0;
        if (ihl < sizeof *ip || ihl > len) {
            count_drop(l, TNL_DROP_MALFORMED);
            return NULL;
        }
        src = tnl_in6_from_ipv4(ip->ip_src);
        dst = tnl_in6_from_ipv4(ip->ip_dst);
        data += ihl;
        len -= ihl;
    }
    hlen = (l->type == TNL_GENEVE ? tnl_geneve_parse(data, len, NULL, &tnl)
            : l->type == TNL_VXLAN ? tnl_vxlan_parse(data, len, &tnl)
            : tnl_gre_parse(data, len, &tnl));
    if (hlen < 0) {
        count_drop(l, -hlen);
        return NULL;
    }
    if (len - hlen < ETH_HEADER_LEN) {
        count_drop(l, TNL_DROP_MALFORMED);
        return NULL;
    }
    struct tnl_port *tp = listener_demux(l, &src, &dst, be64toh(tnl.tun_id));
    if (!tp || !tp->port) {
        COVERAGE_INC(tunnel_rx_no_port);
        return NULL;
    }
    if (l->type == TNL_GENEVE) {
        /* Options map through the receiving bridge's TLV map. */
        hlen = tnl_geneve_parse(data, len, &tp->map, &tnl);
        if (hlen < 0) {
            count_drop(l, -hlen);
            return NULL;
        }
    }
    if (len - hlen > DP_PACKET_MAX_LEN) {
        count_drop(l, TNL_DROP_MALFORMED);
        return NULL;
    }
    if (tnl_in6_is_ipv4(&src)) {
        tnl.ip_src = tnl_in6_get_ipv4(&src);
        tnl.ip_dst = tnl_in6_get_ipv4(&dst);
    } else {
        tnl.ipv6_src = src;
        tnl.ipv6_dst = dst;
    }

    struct dp_packet *p = dp_packet_pool_get(dp_port_pool(tp->port));
    memcpy(dp_packet_reset(p, len - hlen), data + hlen, len - hlen);
    p->has_tnl = true;
    p->tnl = tnl;
    *portp = tp->port;
    return p;
}

/* The outer destination a datagram's ancillary data gives. */
static struct in6_addr
cmsg_destination(struct msghdr *mh)
{
    struct in6_addr dst = IN6ADDR_ANY_INIT;

    for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
            struct in_pktinfo pi;
            memcpy(&pi, CMSG_DATA(c), sizeof pi);
            dst = tnl_in6_from_ipv4(pi.ipi_addr.s_addr);
        } else if (c->cmsg_level == IPPROTO_IPV6
                   && c->cmsg_type == IPV6_PKTINFO) {
            struct in6_pktinfo pi;
            memcpy(&pi, CMSG_DATA(c), sizeof pi);
            dst = pi.ipi6_addr;
        }
    }
    return dst;
}

#define RX_BATCH DP_BATCH_SIZE
#define RX_BUF_LEN (DP_PACKET_MAX_LEN + TNL_OUTER_MAX)

static void
listener_readable(evutil_socket_t fd, short what XVS_UNUSED, void *l_)
{
    struct tnl_listener *l = l_;
    static uint8_t (*bufs)[RX_BUF_LEN];
    struct mmsghdr msgs[RX_BATCH];
    struct iovec iovs[RX_BATCH];
    union {
        struct sockaddr sa;
        struct sockaddr_in sin;
        struct sockaddr_in6 sin6;
    } names[RX_BATCH];
    union {
        char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
        struct cmsghdr align;
    } cmsgs[RX_BATCH];
    /* Consecutive packets of one port go up as one batch. */
    struct dp_packet_batch batch = { .count = 0 };
    struct dp_port *batch_port = NULL;

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
    int n = recvmmsg(fd, msgs, RX_BATCH, MSG_DONTWAIT, NULL);
    for (int i = 0; i < n; i++) {
        struct msghdr *mh = &msgs[i].msg_hdr;
        struct in6_addr src = (names[i].sa.sa_family == AF_INET6
                               ? names[i].sin6.sin6_addr
                               : tnl_in6_from_ipv4(names[i].sin.sin_addr.s_addr));
        /* Raw IPv4 sockets deliver the IP header; IPv6 ones never do. */
        bool ipv4_header = (l->type == TNL_GRE
                            && names[i].sa.sa_family == AF_INET);

        if (mh->msg_flags & MSG_TRUNC) {
            count_drop(l, TNL_DROP_MALFORMED);
            continue;
        }
        struct dp_port *port;
        struct dp_packet *p = decap(l, bufs[i], msgs[i].msg_len, src,
                                    cmsg_destination(mh), ipv4_header,
                                    &port);
        if (!p) {
            continue;
        }
        if (batch.count && port != batch_port) {
            dp_port_input(batch_port, &batch);
            batch.count = 0;
        }
        batch_port = port;
        batch.packets[batch.count++] = p;
    }
    if (batch.count) {
        dp_port_input(batch_port, &batch);
    }
}

/* ---- Receiving natively (tnl-native.h). ---- */

/* The listener of UDP port 'udp_port' (Geneve's and VXLAN's cannot share
 * one), or GRE's for 'udp_port' 0. */
static struct tnl_listener *
listener_by_port(uint8_t proto, uint16_t udp_port)
{
    if (proto == IPPROTO_GRE) {
        return listener_find(TNL_GRE, 0);
    } else if (proto != IPPROTO_UDP) {
        return NULL;
    }
    struct tnl_listener *l = listener_find(TNL_GENEVE, udp_port);
    return l ? l : listener_find(TNL_VXLAN, udp_port);
}

/* A tunnel packet a bridge popped: a whole frame, whose outer headers are
 * checked here as the kernel checks them for the sockets (IPv4 header
 * checksum, lengths, no fragments, UDP checksum when present). */
static void
native_input(const uint8_t *frame, size_t len)
{
    size_t ofs = ETH_HEADER_LEN;
    struct in6_addr src, dst;
    const uint8_t *l4;
    size_t l4_len;
    uint8_t proto;
    uint32_t sum;

    if (len < ofs + 4) {
        goto malformed;
    }
    uint16_t type = frame[12] << 8 | frame[13];
    if (type == ETH_TYPE_VLAN) {
        type = frame[16] << 8 | frame[17];
        ofs += VLAN_HEADER_LEN;
    }
    const uint8_t *l3 = frame + ofs;
    size_t l3_len = len - ofs;
    if (type == ETH_TYPE_IP) {
        const struct ip_header *ip = (const struct ip_header *) l3;
        size_t ihl = l3_len >= sizeof *ip ? IP_IHL(ip->ip_ihl_ver) * 4 : 0;
        if (ihl < sizeof *ip || ihl > l3_len || IP_VER(ip->ip_ihl_ver) != 4
            || ntohs(ip->ip_tot_len) < ihl || ntohs(ip->ip_tot_len) > l3_len
            || ntohs(ip->ip_frag_off) & 0x3fff || csum(ip, ihl)) {
            goto malformed;
        }
        src = tnl_in6_from_ipv4(ip->ip_src);
        dst = tnl_in6_from_ipv4(ip->ip_dst);
        proto = ip->ip_proto;
        l4 = l3 + ihl;
        l4_len = ntohs(ip->ip_tot_len) - ihl;
        sum = packet_csum_pseudoheader(ip, l4_len);
    } else if (type == ETH_TYPE_IPV6) {
        const struct ipv6_header *ip6 = (const struct ipv6_header *) l3;
        if (l3_len < IPV6_HEADER_LEN
            || ntohs(ip6->ip6_plen) > l3_len - IPV6_HEADER_LEN) {
            goto malformed;
        }
        src = ip6->ip6_src;
        dst = ip6->ip6_dst;
        proto = ip6->ip6_nxt;
        l4 = l3 + IPV6_HEADER_LEN;
        l4_len = ntohs(ip6->ip6_plen);
        sum = packet_csum_pseudoheader6(ip6, IPPROTO_UDP, l4_len);
    } else {
        goto malformed;
    }

    const uint8_t *data = l4;
    size_t data_len = l4_len;
    uint16_t udp_port = 0;
    if (proto == IPPROTO_UDP) {
        const struct udp_header *udp = (const struct udp_header *) l4;
        if (l4_len < UDP_HEADER_LEN || ntohs(udp->udp_len) < UDP_HEADER_LEN
            || ntohs(udp->udp_len) > l4_len) {
            goto malformed;
        }
        data_len = ntohs(udp->udp_len);
        if ((udp->udp_csum || type == ETH_TYPE_IPV6)
            && csum_finish(csum_continue(sum, udp, data_len))) {
            goto malformed;
        }
        udp_port = ntohs(udp->udp_dst);
        data += UDP_HEADER_LEN;
        data_len -= UDP_HEADER_LEN;
    }
    struct tnl_listener *l = listener_by_port(proto, udp_port);
    if (!l) {
        COVERAGE_INC(tunnel_rx_no_port);
        return;
    }
    bool ipv4_header = proto == IPPROTO_GRE && type == ETH_TYPE_IP;
    if (ipv4_header) {
        data = l3;
        data_len = l4 - l3 + l4_len;
    }
    struct dp_port *port;
    struct dp_packet *p = decap(l, data, data_len, src, dst, ipv4_header,
                                &port);
    if (p) {
        struct dp_packet_batch batch = { .count = 1, .packets = { p } };
        dp_port_input(port, &batch);
    }
    return;

malformed:
    COVERAGE_INC(tunnel_rx_malformed);
}

/* The bridges' translations ask whether a packet output to internal
 * device 'dev' is a tunnel packet for us (it is popped instead); 'wc'
 * gets the fields the answer depends on. */
bool
dp_tunnel_terminates(const char *dev, const struct flow *flow,
                     struct flow_wildcards *wc)
{
    if (hmap_is_empty(&tnl_port_listeners)) {
        return false;
    }
    wc->masks.dl_type = UINT16_MAX;
    bool v4 = flow->dl_type == htons(ETH_TYPE_IP);
    if (!v4 && flow->dl_type != htons(ETH_TYPE_IPV6)) {
        return false;
    }
    wc->masks.nw_proto = UINT8_MAX;
    wc->masks.nw_frag = UINT8_MAX;
    if (flow->nw_frag) {
        return false;
    }
    if (flow->nw_proto == IPPROTO_UDP) {
        wc->masks.tp_dst = UINT16_MAX;
    }
    if (!listener_by_port(flow->nw_proto, ntohs(flow->tp_dst))) {
        return false;
    }
    struct in6_addr dst;
    memset(&wc->masks.dl_dst, 0xff, sizeof wc->masks.dl_dst);
    if (v4) {
        wc->masks.nw_dst = UINT32_MAX;
        dst = tnl_in6_from_ipv4(flow->nw_dst);
    } else {
        memset(&wc->masks.ipv6_dst, 0xff, sizeof wc->masks.ipv6_dst);
        dst = flow->ipv6_dst;
    }
    return tnl_native_is_local(dev, &flow->dl_dst, &dst);
}

uint64_t
dp_tunnel_terminations_seq(void)
{
    return hmap_is_empty(&tnl_port_listeners) ? listeners_seq
           : listeners_seq + tnl_native_seq();
}

/* ---- Transmitting. ---- */

static int
raw_socket_ref(const char *name)
{
    if (raw_fds[0] < 0) {
        raw_fds[0] = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
        if (raw_fds[0] < 0) {
            int error = errno;
            VLOG_WARN("%s: raw IP socket failed (%s)", name,
                      strerror(error));
            return -error;
        }
        /* IPPROTO_RAW implies that the IPv6 header is included, too.
         * Without IPv6 (disabled in the kernel) IPv6 remotes fail. */
        raw_fds[1] = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
    }
    raw_users++;
    return 0;
}

static void
raw_socket_unref(void)
{
    if (!--raw_users) {
        for (int i = 0; i < 2; i++) {
            if (raw_fds[i] >= 0) {
                close(raw_fds[i]);
                raw_fds[i] = -1;
            }
        }
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

/* What the kernel's routing says about 'dst': the source address (any if
 * there is no route), written into the header here because the UDP
 * checksum covers it, and the path MTU, which outer packets must fit;
 * whether the route leaves through a bridge (native tunnelling), and then
 * the Ethernet addresses.  Looked up again after TNL_ROUTE_TTL ms or any
 * route, address, link or neighbour change. */
static const struct tnl_route *
route_lookup(struct tnl_port *tp, const struct in6_addr *dst)
{
    long long int now = time_msec();
    uint64_t seq = tnl_native_seq();
    for (int i = 0; i < TNL_ROUTES; i++) {
        struct tnl_route *r = &tp->routes[i];
        if (tnl_in6_equal(&r->dst, dst) && r->expires > now
            && r->seq == seq) {
            return r;
        }
    }

    struct tnl_route *r = &tp->routes[tp->next_route++ % TNL_ROUTES];
    *r = (struct tnl_route) { .dst = *dst, .expires = now + TNL_ROUTE_TTL,
                              .seq = seq };
    r->native = tnl_native_resolve(dst, &r->hop);
    if (!r->native) {
        r->src = r->hop.src;
        r->mtu = r->hop.mtu;
        return r;
    } else if (r->native == -EAGAIN) {
        r->expires = now + TNL_NEIGH_RETRY;
        return r;
    }
    bool v4 = tnl_in6_is_ipv4(dst);
    int fd = socket(v4 ? AF_INET : AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return r;
    }
    union {
        struct sockaddr sa;
        struct sockaddr_in sin;
        struct sockaddr_in6 sin6;
    } sa;
    memset(&sa, 0, sizeof sa);
    uint16_t port = htons(tp->dst_port ? tp->dst_port : 9);
    if (v4) {
        sa.sin.sin_family = AF_INET;
        sa.sin.sin_port = port;
        sa.sin.sin_addr.s_addr = tnl_in6_get_ipv4(dst);
    } else {
        sa.sin6.sin6_family = AF_INET6;
        sa.sin6.sin6_port = port;
        sa.sin6.sin6_addr = *dst;
    }
    socklen_t len = v4 ? sizeof sa.sin : sizeof sa.sin6;
    int mtu;
    socklen_t mtu_len = sizeof mtu;
    if (!connect(fd, &sa.sa, len) && !getsockname(fd, &sa.sa, &len)) {
        r->src = v4 ? tnl_in6_from_ipv4(sa.sin.sin_addr.s_addr)
                    : sa.sin6.sin6_addr;
        if (!getsockopt(fd, v4 ? IPPROTO_IP : IPPROTO_IPV6,
                        v4 ? IP_MTU : IPV6_MTU, &mtu, &mtu_len)) {
            r->mtu = mtu;
        }
    }
    close(fd);
    return r;
}

/* Writes the outer IP header (IPv4 with DF as configured, or IPv6) for a
 * 'payload_len'-byte payload of 'proto' into 'hdr'; returns its length. */
size_t
tnl_port_build_ip(const struct tnl_port *tp, const struct in6_addr *src,
         const struct in6_addr *dst, uint8_t proto, uint8_t tos, uint8_t ttl,
         size_t payload_len, uint8_t *hdr)
{
    if (tnl_in6_is_ipv4(dst)) {
        struct ip_header *ip = (struct ip_header *) hdr;
        memset(ip, 0, sizeof *ip);
        ip->ip_ihl_ver = 0x45;
        ip->ip_tos = tos;
        /* The kernel fills in the identification and checksum. */
        ip->ip_tot_len = htons(sizeof *ip + payload_len);
        ip->ip_frag_off = htons(tp->df ? 0x4000 : 0);
        ip->ip_ttl = ttl;
        ip->ip_proto = proto;
        ip->ip_src = tnl_in6_get_ipv4(src);
        ip->ip_dst = tnl_in6_get_ipv4(dst);
        return sizeof *ip;
    }
    struct ipv6_header *ip6 = (struct ipv6_header *) hdr;
    ip6->ip6_vtcflow = htonl(6 << 28 | tos << 20);
    ip6->ip6_plen = htons(payload_len);
    ip6->ip6_nxt = proto;
    ip6->ip6_hlim = ttl;
    ip6->ip6_src = *src;
    ip6->ip6_dst = *dst;
    return IPV6_HEADER_LEN;
}

/* The outer source address for tunnel 'tnl' along a route whose
 * preferred source is 'route_src'. */
struct in6_addr
tnl_port_outer_src(const struct tnl_port *tp, const struct flow_tnl *tnl,
          const struct in6_addr *route_src)
{
    struct in6_addr src = (!tp->local_ip.present ? *route_src
                           : tp->local_ip.flow ? tnl_port_addr(tnl, false)
                           : tp->local_ip.addr);
    return tnl_in6_is_set(&src) ? src : *route_src;
}

/* The key sent with tunnel 'tnl' (host order). */
static uint64_t
sent_key(const struct tnl_port *tp, const struct flow_tnl *tnl)
{
    return tp->out_key.flow ? be64toh(tnl->tun_id) : tp->out_key.value;
}

/* Writes the Geneve or VXLAN header for tunnel 'tnl' into 'th' (room for
 * TNL_HEADER_MAX bytes); returns its length. */
size_t
tnl_port_udp_header(const struct tnl_port *tp, const struct flow_tnl *tnl,
               uint8_t *th)
{
    uint64_t key = sent_key(tp, tnl);
    return (tp->type == TNL_GENEVE ? tnl_geneve_build(th, tnl, key, &tp->map)
            : tnl_vxlan_build(th, key));
}

/* Writes the outer IP and UDP (or GRE) headers and the tunnel header for
 * 'p' into 'hdr'; returns their length, or 0 if 'p' has nowhere to go
 * (yet: its next hop is being resolved).  Stores the route it takes in
 * '*routep'. */
static size_t
build_outer(struct tnl_port *tp, const struct dp_packet *p,
            uint8_t *hdr, const struct tnl_route **routep)
{
    static const struct flow_tnl no_tnl;
    const struct flow_tnl *tnl = p->has_tnl ? &p->tnl : &no_tnl;
    const uint8_t *frame = dp_packet_data(p);
    uint8_t inner_tos = 0, inner_ttl = TNL_TTL_DEFAULT;
    uint8_t th[TNL_GRE_HLEN_MAX + TNL_HEADER_MAX];
    struct in6_addr remote;
    const struct in6_addr *dst = &remote;
    size_t n;

    remote = tp->remote_ip.flow ? tnl_port_addr(tnl, true) : tp->remote_ip.addr;
    if (!tnl_in6_is_set(dst)) {
        COVERAGE_INC(tunnel_tx_no_remote);
        return 0;
    }
    const struct tnl_route *route = route_lookup(tp, dst);
    *routep = route;
    if (route->native == -EAGAIN) {
        return 0;
    }
    struct in6_addr src = tnl_port_outer_src(tp, tnl, &route->src);
    inner_ip_tos_ttl(frame, p->size, &inner_tos, &inner_ttl);
    uint8_t tos = tp->tos < 0 ? inner_tos : tp->tos;
    uint8_t ttl = tp->ttl < 0 ? inner_ttl : tp->ttl;

    if (tp->type == TNL_GRE) {
        n = tnl_gre_build(th, sent_key(tp, tnl), tp->out_key.present,
                          tp->csum, frame, p->size);
        size_t l4 = tnl_port_build_ip(tp, &src, dst, IPPROTO_GRE, tos, ttl,
                             n + p->size, hdr);
        memcpy(hdr + l4, th, n);
        return l4 + n;
    }

    n = tnl_port_udp_header(tp, tnl, th);
    uint16_t udp_len = UDP_HEADER_LEN + n + p->size;
    size_t l4 = tnl_port_build_ip(tp, &src, dst, IPPROTO_UDP, tos, ttl, udp_len, hdr);
    struct udp_header *udp = (struct udp_header *) (hdr + l4);
    uint32_t range = tp->src_port_max - tp->src_port_min + 1;
    udp->udp_src = htons(tp->src_port_min
                         + tnl_flow_hash(frame, p->size) % range);
    udp->udp_dst = htons(tp->dst_port);
    udp->udp_len = htons(udp_len);
    udp->udp_csum = 0;
    memcpy(hdr + l4 + UDP_HEADER_LEN, th, n);
    /* Over IPv6 a zero UDP checksum is refused (RFC 8200 8.1). */
    if (tp->csum || l4 == IPV6_HEADER_LEN) {
        uint32_t sum = (l4 == IPV6_HEADER_LEN
                        ? packet_csum_pseudoheader6(
                              (const struct ipv6_header *) hdr, IPPROTO_UDP,
                              udp_len)
                        : packet_csum_pseudoheader(
                              (const struct ip_header *) hdr, udp_len));
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

/* Sends the 'n' messages 'msgs' on 'fd'; returns how many failed. */
static int
send_all(int fd, struct mmsghdr *msgs, unsigned int n)
{
    int failed = 0;

    for (unsigned int i = 0; i < n;) {
        int sent = fd < 0 ? -1 : sendmmsg(fd, &msgs[i], n - i, 0);
        if (sent > 0) {
            i += sent;
            continue;
        }
        if (sent < 0 && errno == EINTR && fd >= 0) {
            continue;
        }
        /* The message at 'i' failed (no route, too big, ...): skip it. */
        COVERAGE_INC(tunnel_tx_error);
        failed++;
        i++;
    }
    return failed;
}

/* Sends 'p', whose outer IP header and the rest are at 'hdr' ('hlen'
 * bytes, with room for an Ethernet header before), natively along
 * 'route'. */
static void
send_native(const struct tnl_route *route, uint8_t *hdr, size_t hlen,
            const struct dp_packet *p)
{
    static uint16_t next_ip_id;
    struct eth_header *eth = (struct eth_header *) (hdr - ETH_HEADER_LEN);

    eth->eth_dst = route->hop.dst_mac;
    eth->eth_src = route->hop.src_mac;
    if (tnl_in6_is_ipv4(&route->dst)) {
        struct ip_header *ip = (struct ip_header *) hdr;
        eth->eth_type = htons(ETH_TYPE_IP);
        ip->ip_id = htons(__atomic_fetch_add(&next_ip_id, 1,
                                             __ATOMIC_RELAXED));
        ip->ip_csum = 0;
        ip->ip_csum = csum(ip, sizeof *ip);
    } else {
        eth->eth_type = htons(ETH_TYPE_IPV6);
    }
    tnl_native_transmit(route->hop.ifindex, eth, ETH_HEADER_LEN + hlen,
                        dp_packet_data(p), p->size);
}

static int
tunnel_send(void *state, unsigned int qid XVS_UNUSED,
            struct dp_packet_batch *batch)
{
    struct tnl_port *tp = state;
    uint8_t hdrs[DP_BATCH_SIZE][ETH_HEADER_LEN + TNL_OUTER_MAX];
    struct iovec iovs[DP_BATCH_SIZE][2];
    union {
        struct sockaddr_in sin;
        struct sockaddr_in6 sin6;
    } dsts[DP_BATCH_SIZE];
    /* IPv4 messages from the front, IPv6 ones from the back. */
    struct mmsghdr msgs[DP_BATCH_SIZE];
    unsigned int n4 = 0, n6 = 0;
    int dropped = 0;

    for (unsigned int i = 0; i < batch->count; i++) {
        struct dp_packet *p = batch->packets[i];
        unsigned int k = n4 + n6;
        const struct tnl_route *route;
        uint8_t *hdr = hdrs[k] + ETH_HEADER_LEN;
        size_t hlen = build_outer(tp, p, hdr, &route);
        if (!hlen) {
            dropped++;
            continue;
        }
        unsigned int mtu = route->mtu;
        if (mtu && hlen + p->size > mtu) {
            too_big(tp, p, (mtu > hlen + ETH_HEADER_LEN
                            ? mtu - hlen - ETH_HEADER_LEN : 0));
            dropped++;
            continue;
        }
        if (!route->native) {
            send_native(route, hdr, hlen, p);
            continue;
        }
        const struct in6_addr dst = route->dst;
        bool v4 = tnl_in6_is_ipv4(&dst);
        unsigned int m = v4 ? n4++ : DP_BATCH_SIZE - ++n6;
        memset(&dsts[k], 0, sizeof dsts[k]);
        if (v4) {
            dsts[k].sin.sin_family = AF_INET;
            dsts[k].sin.sin_addr.s_addr = tnl_in6_get_ipv4(&dst);
        } else {
            dsts[k].sin6.sin6_family = AF_INET6;
            dsts[k].sin6.sin6_addr = dst;
        }
        iovs[k][0] = (struct iovec) { hdr, hlen };
        iovs[k][1] = (struct iovec) { dp_packet_data(p), p->size };
        msgs[m].msg_hdr = (struct msghdr) {
            .msg_name = &dsts[k],
            .msg_namelen = v4 ? sizeof dsts[k].sin : sizeof dsts[k].sin6,
            .msg_iov = iovs[k],
            .msg_iovlen = 2,
        };
    }
    dropped += send_all(raw_fds[0], msgs, n4);
    dropped += send_all(raw_fds[1], &msgs[DP_BATCH_SIZE - n6], n6);
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
    tp->xdp_id = dp_xdp_vport_id_alloc(false);
    tnl_port_xdp_update_ports();
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
    tnl_port_xdp_update_ports();
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
    tnl_port_xdp_update_ports();
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
        .xdp_ifindex = tnl_port_xdp_ifindex,    \
        .xdp_encap = tnl_port_xdp_encap,        \
    }

const struct dp_port_class dp_port_geneve_class =
    TUNNEL_CLASS("geneve", geneve_open);
const struct dp_port_class dp_port_vxlan_class =
    TUNNEL_CLASS("vxlan", vxlan_open);
const struct dp_port_class dp_port_gre_class =
    TUNNEL_CLASS("gre", gre_open);

/* ---- tnl/ports/show. ---- */

static void
format_ip_opt(struct ds *s, const char *key, const struct tnl_ip_opt *v)
{
    if (v->present) {
        ds_put_format(s, ", %s=", key);
        if (v->flow) {
            ds_put_cstr(s, "flow");
        } else {
            tnl_in6_format(s, &v->addr);
        }
    }
}

static void
format_key_opt(struct ds *s, const char *key, const struct tnl_key_opt *v)
{
    if (v->present) {
        ds_put_format(s, ", %s=", key);
        if (v->flow) {
            ds_put_cstr(s, "flow");
        } else {
            ds_put_format(s, "%"PRIu64, v->value);
        }
    }
}

static void
unixctl_ports_show(struct unixctl_conn *conn, int argc XVS_UNUSED,
                   const char *argv[] XVS_UNUSED, void *aux XVS_UNUSED)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    const struct tnl_listener *l;

    HMAP_FOR_EACH (l, node, &tnl_port_listeners) {
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
            format_ip_opt(&s, "remote_ip", &tp->remote_ip);
            format_ip_opt(&s, "local_ip", &tp->local_ip);
            format_key_opt(&s, "in_key", &tp->in_key);
            format_key_opt(&s, "out_key", &tp->out_key);
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
    tnl_native_register_unixctl();
}
