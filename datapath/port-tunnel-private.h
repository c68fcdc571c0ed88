/* port-tunnel-private: what the tunnel ports' files share (port-tunnel.c,
 * the ports and their sockets; port-tunnel-xdp.c, what the XDP program
 * is told about them).  Not for other modules: they see tunnel ports
 * only as port classes (port-provider.h). */
#ifndef XVS_PORT_TUNNEL_PRIVATE_H
#define XVS_PORT_TUNNEL_PRIVATE_H 1

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include "hmap.h"
#include "list.h"
#include "tnl-header.h"
#include "tnl-native.h"

struct dp_port;
struct dp_xdp_encap;
struct event;
struct flow_tnl;

#define TNL_ROUTES 8

/* The receiving sockets shared by the ports of one type and UDP port:
 * fds[0] dual-stack (UDP) or IPv4 (GRE), fds[1] IPv6 GRE; -1 if none. */
struct tnl_listener {
    struct hmap_node node;      /* In 'tnl_port_listeners'. */
    enum tnl_type type;
    uint16_t udp_port;          /* Host order; 0 for GRE. */
    int fds[2];
    struct event *evs[2];
    struct xvs_list ports;      /* 'struct tnl_port's. */
    uint64_t n_dropped[TNL_DROP_PROTOCOL + 1];
};

/* remote_ip and local_ip: an address, or "flow". */
struct tnl_ip_opt {
    bool present;
    bool flow;
    struct in6_addr addr;
};

/* A key: a number, or "flow". */
struct tnl_key_opt {
    bool present;
    bool flow;
    uint64_t value;
};

struct tnl_port {
    char *name;
    enum tnl_type type;
    struct xvs_list node;       /* In listener->ports. */
    struct tnl_listener *listener;
    struct tnl_ip_opt remote_ip, local_ip;
    struct tnl_key_opt in_key, out_key;
    int tos;                    /* -1: inherit from the inner packet. */
    int ttl;                    /* -1: inherit. */
    bool df;
    bool csum;
    uint16_t dst_port;          /* Host order. */
    uint16_t src_port_min, src_port_max;
    struct tnl_opt_map map;
    /* What the kernel's routing says about recent remotes, looked up again
     * after TNL_ROUTE_TTL ms (only 'send' uses it, under the tx lock). */
    struct tnl_route {
        struct in6_addr dst, src;   /* 'src' any: no route. */
        unsigned int mtu;           /* Path MTU, 0 if unknown. */
        long long int expires;
        uint64_t seq;               /* tnl_native_seq() when looked up. */
        int native;                 /* tnl_native_resolve()'s answer. */
        struct tnl_native_hop hop;  /* If 'native' is 0. */
    } routes[TNL_ROUTES];
    unsigned int next_route;
    struct dp_port *port;       /* For dp_port_input(), _send_back(). */
    uint32_t xdp_id;            /* Its in_port in the XDP program's keys. */
    /* The route of the last header made for the XDP program (main
     * thread), until tnl_native_seq() moves. */
    struct {
        bool valid;
        struct in6_addr dst;
        uint64_t seq;
        int native;
        struct tnl_native_hop hop;
    } xdp_route;
};

/* Every listener, hashed by type and UDP port. */
extern struct hmap tnl_port_listeners;

/* The outer remote ('dst') or local address tunnel metadata 'tnl' gives:
 * IPv6 if it has one, else IPv4 (mapped). */
struct in6_addr tnl_port_addr(const struct flow_tnl *tnl, bool dst);

/* Writes the IPv4 or IPv6 header (by 'dst') from 'src' to 'dst' of a
 * 'payload_len'-byte payload of 'proto' into 'hdr'; returns its length. */
size_t tnl_port_build_ip(const struct tnl_port *tp, const struct in6_addr *src,
                         const struct in6_addr *dst, uint8_t proto,
                         uint8_t tos, uint8_t ttl, size_t payload_len,
                         uint8_t *hdr);

/* The outer source address for tunnel 'tnl' along a route whose
 * preferred source is 'route_src'. */
struct in6_addr tnl_port_outer_src(const struct tnl_port *tp,
                                   const struct flow_tnl *tnl,
                                   const struct in6_addr *route_src);

/* Writes the Geneve or VXLAN header for tunnel 'tnl' into 'th' (room for
 * TNL_HEADER_MAX bytes); returns its length. */
size_t tnl_port_udp_header(const struct tnl_port *tp,
                           const struct flow_tnl *tnl, uint8_t *th);

/* port-tunnel-xdp.c: tells the XDP program (dp-xdp.h) the ports it may
 * demultiplex decapsulated frames to, after any change to the ports; and
 * the port class operations xdp_ifindex and xdp_encap. */
void tnl_port_xdp_update_ports(void);
int tnl_port_xdp_ifindex(const void *state);
bool tnl_port_xdp_encap(void *state, const struct flow_tnl *tnl,
                        struct dp_xdp_encap *e);

#endif /* port-tunnel-private.h */
