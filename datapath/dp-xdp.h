/* dp-xdp: megaflows executed in the kernel by an XDP program.
 *
 * An "afxdp" port normally runs libxdp's default program, which hands
 * every frame to the port's AF_XDP sockets.  With offload (the default;
 * other_config:xdp-offload=false or the interface's options:xdp-offload=
 * false turns it off) the port runs this project's program instead
 * (dp-xdp.bpf.c), which parses the frame, looks it up in BPF maps that
 * mirror the PMD threads' megaflow caches (dp-megaflow.h), and executes
 * the flow itself: output through a devmap to another offloading port or
 * back out of the receiving one, drop, Ethernet/IPv4/IPv6/port/ICMP
 * rewrites, VLAN push and pop, and the decapsulation and encapsulation
 * of Geneve and VXLAN packets (native tunnelling).  Frames it does not
 * parse and frames no entry covers go to the AF_XDP socket untouched, so
 * the user-space path sees exactly the traffic the kernel did not
 * handle.
 *
 * What is offloaded: a megaflow whose mask and key the program's key
 * (dp-xdp-maps.h) can express, whose in_port is exact and an offloading
 * port, and whose actions are all kernel actions ending in at most one
 * output, to an offloading port or a tunnel port (below, "Tunnel ports").
 * Everything else (floods, groups that output twice, controller, MPLS,
 * conntrack, ARP and neighbour discovery rewrites) stays in user space,
 * unchanged.
 *
 * Coherence: the megaflow cache drives this module; an entry exists
 * exactly while a megaflow that produced it does: installed with it,
 * changed when revalidation changes its actions, removed with it (expiry,
 * revalidation, flush, a port going away), so an entry never outlives the
 * rule its megaflow came from.  The kernel's counters are read into the
 * megaflow before it goes and at every housekeeping pass, so OpenFlow
 * rule statistics and idle times include kernel hits.
 *
 * Maps: one set for the whole process (the key holds the receiving
 * ifindex, so bridges never share an entry): a hash of flows keyed by a
 * digest of a mask slot and the masked key (dp-xdp-maps.h; two keys with
 * one digest: the second stays in user space), XDP_MAX_MASKS mask slots
 * that the program tries in turn, a devmap of the offloading ports,
 * per-CPU counters, the tunnel ports (with the Geneve options each
 * maps) by what they take, and the tunnel headers encapsulating entries
 * push (one per distinct header, shared).  A megaflow whose mask finds no
 * free slot, or that finds the flow map full, stays in user space
 * (counted).  Each device has its own program instance and AF_XDP socket
 * map; the shared maps are handed to every instance before it is
 * loaded.
 *
 * Threads: everything here runs on the main thread. */
#ifndef XVS_DP_XDP_H
#define XVS_DP_XDP_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dp-key.h"
#include "dp-xdp-maps.h"
#include "dpif.h"
#include "tnl-header.h"

struct ds;

/* ---- Programs on devices (port-afxdp.c). ---- */

struct dp_xdp_prog;

/* Loads the program for device 'ifname' and attaches it, in native mode
 * unless 'generic' (or native failed and 'fallback' allows generic).
 * Returns 0 with the program in '*progp' and the fd of its AF_XDP socket
 * map in '*xsks_fd', or a negative errno after logging why. */
int dp_xdp_prog_attach(const char *ifname, bool generic, bool fallback,
                       struct dp_xdp_prog **progp, int *xsks_fd);
void dp_xdp_prog_detach(struct dp_xdp_prog *);
/* Removes the offload program, or libxdp's AF_XDP program, from device
 * 'ifname' if a previous run (killed before it could detach it) left it
 * there: the former would go on forwarding what its entries say, and
 * either keeps the other off (libxdp's multi-program dispatcher, which
 * would let them share the device, does not load everywhere). */
void dp_xdp_prog_remove_leftover(const char *ifname);
int dp_xdp_prog_ifindex(const struct dp_xdp_prog *);

/* ---- A datapath's offloading ports (dpif.c). ---- */

struct dp_xdp;

/* What encapsulating a frame for tunnel port 'port_no' with tunnel
 * 'tnl' takes, as the port would do it now, into '*e'; false if the
 * program cannot do it (dpif.c asks the port: port-tunnel.c). */
struct dp_xdp_encap {
    uint8_t hdr[XDP_TNL_PUSH_MAX];  /* As xvs_xdp_tnl_push.hdr. */
    size_t len;
    unsigned int mtu;               /* Of the outer IP packets. */
    uint16_t src_port_min, src_port_max;
    uint32_t in_port;               /* The id of the internal port the
                                     * outer frame enters its bridge by. */
};
typedef bool dp_xdp_encap_cb(void *aux, uint32_t port_no,
                             const struct flow_tnl *tnl,
                             struct dp_xdp_encap *e);

struct dp_xdp *dp_xdp_create(dp_xdp_encap_cb *, void *aux);
void dp_xdp_destroy(struct dp_xdp *);
/* Port 'port_no' runs the program on device 'ifindex': flows may come
 * from it and go to it.  A port that is not such a device (a tunnel or
 * internal port) gives its dp_xdp_vport_id_alloc() id instead: flows may
 * come from it (frames decapsulated from it, or encapsulated into it),
 * and go to a tunnel port by encapsulation.  Nothing is offloaded for a
 * datapath without devices. */
void dp_xdp_port_add(struct dp_xdp *, uint32_t port_no, int ifindex);
/* Before the port goes: its entries (from it or to it) go first. */
void dp_xdp_port_del(struct dp_xdp *, uint32_t port_no);
/* Whether any of its ports is a device running the program. */
bool dp_xdp_has_devices(const struct dp_xdp *);

/* ---- Tunnel ports (port-tunnel.c). ----
 *
 * A megaflow whose only action pops a Geneve or VXLAN packet (over IPv4)
 * for the host runs in the kernel when the tunnel port it is for can be
 * found there: the program decapsulates the frame and looks the inner
 * one up as the tunnel port's (its in_port the port's id), executing
 * both flows only if the inner one is found, else handing the whole
 * frame to user space.
 *
 * A megaflow that outputs to a Geneve or VXLAN port whose remote is
 * reached natively (tnl-native.h: through a bridge's internal port) runs
 * in the kernel with the header the port gives (dp_xdp_encap_cb): the
 * program looks the outer frame up as the underlay bridge's, from its
 * internal port, and executes both flows only if that one is found, else
 * hands the frame untouched to user space, which makes that flow.  The
 * header holds what the route and neighbour tables said: after every
 * change to them (tnl-native.h's hook) an entry whose port would now
 * give another header leaves the kernel, and revalidation converts its
 * megaflow again. */

/* A tunnel port as the program demultiplexes to it. */
struct dp_xdp_tnl_port {
    uint32_t id;                /* dp_xdp_vport_id_alloc()'s. */
    int type;                   /* XDP_TNL_GENEVE or XDP_TNL_VXLAN. */
    uint16_t udp_port;          /* Host order. */
    bool fixed_remote;          /* Else it takes any remote. */
    uint32_t remote;            /* IPv4, network order. */
    bool fixed_key;             /* Else it takes any tun_id. */
    uint64_t key;               /* tun_id, network order. */
    struct tnl_opt_map map;     /* Its Geneve options. */
};

/* A new id for a tunnel or an internal port, never a device's ifindex. */
uint32_t dp_xdp_vport_id_alloc(bool internal);
/* The tunnel ports the program may take decapsulated frames to, all of
 * them (replacing the previous set): the ones user space would choose
 * for every frame they could take, in user space's order of preference
 * (the first of two that take the same frames wins). */
void dp_xdp_tnl_ports_set(const struct dp_xdp_tnl_port *, size_t n);

/* ---- Flows (dp-megaflow.c). ---- */

struct dp_xdp_flow;

/* Mirrors the megaflow of 'key' under 'mask' with 'acts' ('n_acts' of
 * them, their rewrites in 'sets') into the kernel, replacing 'old' (the
 * megaflow's previous entry, or NULL).  Returns the new entry, or NULL if
 * the megaflow stays in user space; the kernel packets of 'old' not read
 * yet are added to '*n_packets' and '*n_bytes' either way. */
struct dp_xdp_flow *dp_xdp_flow_put(struct dp_xdp *, struct dp_xdp_flow *old,
                                    const struct dp_key *key,
                                    const struct dp_key_mask *mask,
                                    const struct dp_action *acts,
                                    unsigned int n_acts,
                                    const struct packet_set *sets,
                                    uint64_t *n_packets, uint64_t *n_bytes);
/* Adds the packets and bytes the kernel counted since the last read to
 * '*n_packets' and '*n_bytes'.  Returns true if there were any. */
bool dp_xdp_flow_read(struct dp_xdp_flow *, uint64_t *n_packets,
                      uint64_t *n_bytes);
/* Whether the entry is in the kernel (not taken out with a port, or
 * because the route of the tunnel it encapsulates into changed). */
bool dp_xdp_flow_offloaded(const struct dp_xdp_flow *);
/* Removes the entry, after reading it as dp_xdp_flow_read() does. */
void dp_xdp_flow_del(struct dp_xdp_flow *, uint64_t *n_packets,
                     uint64_t *n_bytes);

/* "xdp offload: ..." lines for pmd-stats-show: entries, masks and the
 * program's counters (hits, misses, punted, errors, tunnel pops and
 * pushes) summed over CPUs. */
void dp_xdp_format_stats(struct ds *);

#endif
