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
 * (dummy) return -1 and push packets with dp_port_input(). */
#ifndef XVS_PORT_PROVIDER_H
#define XVS_PORT_PROVIDER_H 1

#include "dpif.h"

struct dp_port;
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
    int (*recv)(void *state, struct dp_packet_pool *,
                struct dp_packet_batch *batch);

    /* Transmits every packet of 'batch' (without freeing them).  Returns
     * how many could not be sent (counted as tx_dropped). */
    int (*send)(void *state, struct dp_packet_batch *batch);

    /* Fills the device part of the status. */
    void (*get_status)(void *state, const char *name,
                       struct dp_port_status *);
};

extern const struct dp_port_class dp_port_dummy_class;
extern const struct dp_port_class dp_port_system_class;
extern const struct dp_port_class dp_port_internal_class;
extern const struct dp_port_class dp_port_afxdp_class;

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

/* The port named 'name' in any datapath, or NULL. */
struct dp_port *dp_port_find_global(const char *name);
/* The class state of 'port' if it is of class 'c', else NULL. */
void *dp_port_state_if_class(struct dp_port *port,
                             const struct dp_port_class *c);

/* Shared by the classes on kernel devices: status from the interface
 * named 'name' through ioctls (mac, mtu, flags) and if_nametoindex(). */
void dp_netdev_get_status(const char *name, struct dp_port_status *);
/* Finds the value of 'key' in options, or NULL. */
const char *dp_option_find(const struct dp_option *, size_t n,
                           const char *key);

#endif
