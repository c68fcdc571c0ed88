/* port-tunnel-xdp: what the XDP program (dp-xdp.h) is told about tunnel
 * ports, so that it decapsulates into them and encapsulates for them
 * exactly as user space would: the ports a decapsulated frame may go to
 * (chosen as listener_demux() chooses), and the header a port's
 * transmission would start with (as build_outer() and send_native() make
 * it). */
#include <config.h>
#include "port-tunnel-private.h"

#include <endian.h>
#include <stdlib.h>
#include <string.h>
#include "dp-xdp.h"
#include "packets.h"
#include "port-provider.h"
#include "util.h"

/* ---- Decapsulation in the kernel (dp-xdp.h). ---- */

/* Tells the XDP program every port it may demultiplex decapsulated
 * frames to, as listener_demux() would choose: Geneve and VXLAN ports
 * with an IPv4 or "flow" remote.  A listener with a port bound to a
 * local address gives none (the program does not look at the outer
 * destination), so the kernel never picks a port user space would not. */
void
tnl_port_xdp_update_ports(void)
{
    struct dp_xdp_tnl_port *v = NULL;
    size_t n = 0, allocated = 0;
    struct tnl_listener *l;

    HMAP_FOR_EACH (l, node, &tnl_port_listeners) {
        struct tnl_port *tp;
        bool local_bound = false;

        if (l->type != TNL_GENEVE && l->type != TNL_VXLAN) {
            continue;
        }
        XVS_LIST_FOR_EACH (tp, node, &l->ports) {
            local_bound |= tp->local_ip.present && !tp->local_ip.flow;
        }
        if (local_bound) {
            continue;
        }
        XVS_LIST_FOR_EACH (tp, node, &l->ports) {
            bool fixed_remote = !tp->remote_ip.flow;
            if (fixed_remote && !tnl_in6_is_ipv4(&tp->remote_ip.addr)) {
                continue;       /* Takes no IPv4 frame. */
            }
            if (n >= allocated) {
                allocated = allocated ? 2 * allocated : 8;
                v = xrealloc(v, allocated * sizeof *v);
            }
            v[n++] = (struct dp_xdp_tnl_port) {
                .id = tp->xdp_id,
                .type = l->type == TNL_GENEVE ? XDP_TNL_GENEVE
                                              : XDP_TNL_VXLAN,
                .udp_port = l->udp_port,
                .fixed_remote = fixed_remote,
                .remote = (fixed_remote
                           ? tnl_in6_get_ipv4(&tp->remote_ip.addr) : 0),
                .fixed_key = !tp->in_key.flow,
                .key = htobe64(tp->in_key.value),
                .map = tp->map,
            };
        }
    }
    dp_xdp_tnl_ports_set(v, n);
    free(v);
}

/* Only ports the program can ever take frames to have an id there, so
 * that their megaflows are not offloaded for nothing. */
int
tnl_port_xdp_ifindex(const void *state)
{
    const struct tnl_port *tp = state;
    bool ipv4 = tp->remote_ip.flow || tnl_in6_is_ipv4(&tp->remote_ip.addr);
    return tp->type != TNL_GRE && ipv4 ? tp->xdp_id : 0;
}

/* ---- Encapsulation in the kernel (dp-xdp.h). ---- */

/* tnl_native_resolve() for 'dst', kept until anything it depends on
 * changes. */
static int
xdp_route(struct tnl_port *tp, const struct in6_addr *dst,
          struct tnl_native_hop *hop)
{
    uint64_t now = tnl_native_seq();
    if (!tp->xdp_route.valid || tp->xdp_route.seq != now
        || !tnl_in6_equal(&tp->xdp_route.dst, dst)) {
        tp->xdp_route.valid = true;
        tp->xdp_route.dst = *dst;
        tp->xdp_route.seq = now;
        tp->xdp_route.native = tnl_native_resolve(dst, &tp->xdp_route.hop);
    }
    *hop = tp->xdp_route.hop;
    return tp->xdp_route.native;
}

/* The header build_outer() and send_native() give a frame with tunnel
 * 'tnl', with what depends on the frame left for the program: Geneve
 * and VXLAN over IPv4 along a native route, without a UDP checksum
 * (it covers the frame), with a fixed TOS and TTL. */
bool
tnl_port_xdp_encap(void *state, const struct flow_tnl *tnl,
                 struct dp_xdp_encap *e)
{
    struct tnl_port *tp = state;
    struct tnl_native_hop hop;

    if (tp->type == TNL_GRE || tp->csum || tp->tos < 0 || tp->ttl < 0) {
        return false;
    }
    struct in6_addr dst = (tp->remote_ip.flow ? tnl_port_addr(tnl, true)
                           : tp->remote_ip.addr);
    if (!tnl_in6_is_set(&dst) || !tnl_in6_is_ipv4(&dst)
        || xdp_route(tp, &dst, &hop)) {
        return false;
    }
    struct in6_addr src = tnl_port_outer_src(tp, tnl, &hop.src);
    if (!tnl_in6_is_ipv4(&src)) {
        return false;
    }

    uint8_t th[TNL_HEADER_MAX];
    size_t n = tnl_port_udp_header(tp, tnl, th);
    size_t l4 = ETH_HEADER_LEN + IP_HEADER_LEN;
    if (l4 + UDP_HEADER_LEN + n > sizeof e->hdr) {
        return false;
    }
    struct eth_header *eth = (struct eth_header *) e->hdr;
    eth->eth_dst = hop.dst_mac;
    eth->eth_src = hop.src_mac;
    eth->eth_type = htons(ETH_TYPE_IP);
    struct ip_header *ip = (struct ip_header *) (e->hdr + ETH_HEADER_LEN);
    tnl_port_build_ip(tp, &src, &dst, IPPROTO_UDP, tp->tos, tp->ttl, 0, (uint8_t *) ip);
    ip->ip_tot_len = 0;
    ip->ip_csum = csum(ip, IP_HEADER_LEN);
    struct udp_header *udp = (struct udp_header *) (e->hdr + l4);
    memset(udp, 0, sizeof *udp);
    udp->udp_dst = htons(tp->dst_port);
    memcpy(e->hdr + l4 + UDP_HEADER_LEN, th, n);
    e->len = l4 + UDP_HEADER_LEN + n;
    e->mtu = hop.mtu;
    e->src_port_min = tp->src_port_min;
    e->src_port_max = tp->src_port_max;
    e->in_port = hop.xdp_id;
    return true;
}
