/* port-provider: the interface each port type implements.
 *
 * dpif.c owns the generic part of a port (number, name, statistics, the
 * libevent event on its fd, the per-port transmit batch); a port class
 * owns the device.  Adding a port type is one 'struct dp_port_class' in
 * one file plus a line in dpif.c's class table.
 *
 * Receive is level-triggered: dpif.c registers the fd returned by 'open' for
 * EV_READ|EV_PERSIST and calls 'recv' each time it is readable; 'recv'
 * must not block and returns what is ready now.  Classes without an fd
 * (dummy) return -1 and push packets with dp_port_input().
 *
 * "pmd" classes (those with 'n_rxq') are not on the event loop: PMD
 * threads (dp-pmd.h) call 'recv' on each of their rx queues in a busy
 * loop, from several threads at once for different queues, and 'send' on
 * tx queue Q (one per rx queue) from one thread at a time (dpif.c holds
 * the queue's lock).  Classes without 'n_rxq' see queue 0 only, from the
 * main thread. */
#ifndef XVS_PORT_PROVIDER_H
#define XVS_PORT_PROVIDER_H 1

#include "dpif.h"

struct dp_port;
struct tnl_opt_map;
struct dp_xdp_encap;
struct flow_tnl;
struct dp_packet_pool;

struct dp_port_class {
    const char *type;

    /* Opens the device for port 'name' with options; stores the class's
     * private state in '*statep' and the fd to poll (or -1) in '*fdp'.
     * Returns 0 or a negative errno (after logging why). */
    int (*open)(const char *name, const struct dp_option *, size_t n,
                void **statep, int *fdp);
    void (*close)(void *state);

    /* Receives up to DP_BATCH_SIZE - batch->count frames into packets
     * taken from 'pool', appending them to 'batch'.  Returns the number of
     * frames that were dropped or in error (counted as rx_errors). */
    int (*recv)(void *state, unsigned int qid, struct dp_packet_pool *,
                struct dp_packet_batch *batch);

    /* Transmits every packet of 'batch' (without freeing them) on tx
     * queue 'qid'.  Returns how many could not be sent (counted as
     * tx_dropped). */
    int (*send)(void *state, unsigned int qid, struct dp_packet_batch *batch);

    /* For "pmd" classes: the number of rx (and tx) queues the device was
     * opened with (options:n_rxq).  NULL for the others. */
    unsigned int (*n_rxq)(const void *state);

    /* Fills the device part of the status. */
    void (*get_status)(void *state, const char *name,
                       struct dp_port_status *);

    /* For tunnel classes (NULL for the others): the Geneve options the
     * port's bridge maps to tun_metadataN, given after 'open' and again
     * on every change (dp_set_tun_map()). */
    void (*set_tun_map)(void *state, const struct tnl_opt_map *);

    /* Optional: the ifindex of the device if it runs the XDP offload
     * program (datapath/dp-xdp.h), else 0. */
    int (*xdp_ifindex)(const void *state);

    /* Optional, for a port whose xdp_ifindex is an id: what pushing the
     * port's encapsulation for tunnel 'tnl' in the XDP program takes
     * (dp_xdp_encap_cb), or false if the program cannot do it. */
    bool (*xdp_encap)(void *state, const struct flow_tnl *tnl,
                      struct dp_xdp_encap *);

    /* Optional: the datapath port 'state' belongs to, given once after
     * 'open' (for dp_port_send_back()). */
    void (*attach)(void *state, struct dp_port *);
};

extern const struct dp_port_class dp_port_dummy_class;
extern const struct dp_port_class dp_port_system_class;
extern const struct dp_port_class dp_port_internal_class;
extern const struct dp_port_class dp_port_afxdp_class;
extern const struct dp_port_class dp_port_dummy_pmd_class;
extern const struct dp_port_class dp_port_geneve_class;
extern const struct dp_port_class dp_port_vxlan_class;
extern const struct dp_port_class dp_port_gre_class;

/* Packets: a free list of fixed-size buffers. */
struct dp_packet *dp_packet_pool_get(struct dp_packet_pool *);
void dp_packet_pool_put(struct dp_packet_pool *, struct dp_packet *);
/* Resets 'p' to hold 'len' bytes at the default headroom and returns a
 * pointer to them (len <= DP_PACKET_MAX_LEN). */
void *dp_packet_reset(struct dp_packet *p, uint32_t len);

/* Runs the packet path on a batch that a class without an fd produced
 * outside 'recv' (dummy injection).  Takes ownership of the packets. */
struct dp_packet_pool *dp_port_pool(struct dp_port *);
void dp_port_input(struct dp_port *, struct dp_packet_batch *);

/* Sends 'frame' ('len' bytes) out of port 'out_port' of the datapath
 * 'port' belongs to, bypassing the flow tables: for what a port answers
 * the sender of a packet it could not send (an ICMP "fragmentation
 * needed"), out of that packet's input port.  Any thread; the main thread
 * transmits it soon after.  Dropped when too many wait already. */
void dp_port_send_back(struct dp_port *port, uint32_t out_port,
                       const void *frame, size_t len);

/* The port named 'name' in any datapath, or NULL. */
struct dp_port *dp_port_find_global(const char *name);
/* The class state of 'port' if it is of class 'c', else NULL. */
void *dp_port_state_if_class(struct dp_port *port,
                             const struct dp_port_class *c);

/* Shared by the classes on kernel devices: status from the interface
 * named 'name' through ioctls (mac, mtu, flags) and if_nametoindex(). */
void dp_netdev_get_status(const char *name, struct dp_port_status *);
/* options:n_rxq of a pmd class: 1 by default, -EINVAL (logged) if not a
 * number from 1 to DP_MAX_RXQ. */
#define DP_MAX_RXQ 64
int dp_option_n_rxq(const char *name, const struct dp_option *, size_t n);
/* Finds the value of 'key' in options, or NULL. */
const char *dp_option_find(const struct dp_option *, size_t n,
                           const char *key);

#endif
