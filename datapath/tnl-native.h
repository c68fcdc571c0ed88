/* tnl-native: native tunnelling, where tunnel packets go in and out
 * through a bridge's own ports instead of the kernel's IP stack.
 *
 * The set-up is Open vSwitch's: the underlay address is on a bridge's
 * internal port (say br-phy, whose physical port is an afxdp or system
 * port).  A tunnel whose remote is routed through such a device builds
 * the whole outer frame itself (Ethernet included) and hands it to that
 * bridge as if the host had sent it from the internal port, so br-phy's
 * flows (NORMAL or others) take it to the wire.  Going the other way, a
 * bridge whose flows would output a tunnel packet addressed to the
 * device's own address into the internal port (to the host) pops it
 * instead (DP_ACTION_TNL_POP): the tunnel ports get it straight away.
 *
 * What the host knows comes from rtnetlink: the route to a remote (its
 * device, gateway, preferred source address and MTU) and the next hop's
 * Ethernet address from the kernel's neighbour table.  When the table has
 * no usable entry, the kernel is asked to resolve it (an RTM_NEWNEIGH with
 * NTF_USE: it sends the ARP request or neighbour solicitation out of the
 * internal device, through the bridge) and the packet is dropped, as
 * Open vSwitch does while it resolves.  Route, address, link and
 * neighbour changes come as rtnetlink notifications; each one that can
 * change an answer advances tnl_native_seq(), which makes every cached
 * resolution stale (counted as coverage counter tunnel_native_stale): a
 * neighbour's moves between usable states with the same Ethernet
 * address, and neighbours never looked up, do not.  The
 * neighbours found are listed by "tnl/neigh/show" and forgotten (looked
 * up again) by "tnl/neigh/flush".
 *
 * Frames cross between bridges on the main thread: transmits and pops
 * are queued from any thread and run by the main thread's event loop. */
#ifndef XVS_TNL_NATIVE_H
#define XVS_TNL_NATIVE_H 1

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "packets.h"

/* Internal ports register their device (main thread), with the id the
 * XDP program knows the port by (datapath/dp-xdp.h). */
void tnl_native_device_add(const char *name, uint32_t xdp_id);
void tnl_native_device_remove(const char *name);

/* Advances on every change that can make a resolution stale. */
uint64_t tnl_native_seq(void);
/* The function the main thread calls right after each advance. */
typedef void tnl_native_change_hook(void);
void tnl_native_set_change_hook(tnl_native_change_hook *);

/* How to reach a remote natively. */
struct tnl_native_hop {
    int ifindex;                /* The internal device the route uses. */
    uint32_t xdp_id;            /* Its port's id in the XDP program. */
    struct in6_addr src;        /* Its preferred source address. */
    struct eth_addr src_mac;    /* The device's. */
    struct eth_addr dst_mac;    /* The next hop's. */
    unsigned int mtu;           /* The route's (path) MTU. */
};

/* Any thread.  Resolves 'dst' (IPv6 or v4-mapped): 0 with '*hop' filled;
 * -ENOENT if the route to 'dst' does not leave through a registered
 * device (the kernel's sockets carry it); -EHOSTUNREACH without a route;
 * -EAGAIN while the next hop's Ethernet address is being resolved. */
int tnl_native_resolve(const struct in6_addr *dst, struct tnl_native_hop *);

/* Any thread.  Queues the frame made of 'hdr' and 'payload' for the
 * bridge whose internal device is 'ifindex', as input from that port. */
void tnl_native_transmit(int ifindex, const void *hdr, size_t hdr_len,
                         const void *payload, size_t payload_len);

/* Any thread.  Queues a tunnel packet (a whole Ethernet frame) that a
 * bridge popped, for the function given to tnl_native_set_pop_handler(),
 * which the main thread calls. */
void tnl_native_pop(const void *frame, size_t len);
typedef void tnl_native_pop_handler(const uint8_t *frame, size_t len);
void tnl_native_set_pop_handler(tnl_native_pop_handler *);

/* Main thread.  Whether a frame to Ethernet address 'mac' and IP address
 * 'addr' is for device 'dev' (both are its own). */
bool tnl_native_is_local(const char *dev, const struct eth_addr *mac,
                         const struct in6_addr *addr);

/* IPv6 addresses that hold IPv4 ones mapped (::ffff:a.b.c.d), so that one
 * comparison serves both families. */
static inline struct in6_addr
tnl_in6_from_ipv4(uint32_t ip)
{
    struct in6_addr a = { .s6_addr = { [10] = 0xff, [11] = 0xff } };
    memcpy(&a.s6_addr[12], &ip, 4);
    return a;
}

static inline bool
tnl_in6_is_ipv4(const struct in6_addr *a)
{
    return IN6_IS_ADDR_V4MAPPED(a);
}

static inline uint32_t
tnl_in6_get_ipv4(const struct in6_addr *a)
{
    uint32_t ip;
    memcpy(&ip, &a->s6_addr[12], 4);
    return ip;
}

static inline bool
tnl_in6_equal(const struct in6_addr *a, const struct in6_addr *b)
{
    return !memcmp(a, b, sizeof *a);
}

/* Not "any" (::, or 0.0.0.0 mapped). */
static inline bool
tnl_in6_is_set(const struct in6_addr *a)
{
    static const struct in6_addr any;
    return memcmp(a, &any, sizeof any)
           && !(tnl_in6_is_ipv4(a) && !tnl_in6_get_ipv4(a));
}

struct ds;
void tnl_in6_format(struct ds *, const struct in6_addr *);

void tnl_native_register_unixctl(void);

#endif
