/* dpif: the datapath's public contract, what ofproto and vswitchd see.
 *
 * One 'struct dp' per bridge.  A datapath owns its ports; each port has a
 * number that the caller may choose (OpenFlow ofport == datapath port
 * number, including OFPP_LOCAL-style numbers such as 65534), a name and a
 * type from the port class table (datapath/port-provider.h):
 *
 *   "dummy"     no device, for tests without root.  Packets are injected
 *               with dp_dummy_receive() (unixctl "netdev-dummy/receive") and
 *               transmitted packets are kept for "netdev-dummy/capture".
 *   "system"    an existing kernel interface through an AF_PACKET socket
 *               (also spelled "" as in Open vSwitch).
 *   "internal"  a TAP device created with the port's name and removed with
 *               the port ("tap" is accepted as an alias).
 *   "afxdp"     an existing interface through options:n_rxq (default 1)
 *               AF_XDP sockets on queues 0..n_rxq-1 (libxdp), copy mode;
 *               options:xdp-mode=native|generic|best-effort (default
 *               best-effort: native, then generic); the megaflows the
 *               kernel can run are executed by an XDP program unless
 *               options:xdp-offload=false (datapath/dp-xdp.h).
 *   "dummy-pmd" a dummy port whose options:n_rxq (default 1) receive
 *               queues PMD threads poll: dp_dummy_receive() queues frames.
 *   "geneve", "vxlan", "gre"
 *               tunnel ports over the kernel's IP stack (port-tunnel.c):
 *               a frame they receive carries its tunnel in dp_packet.tnl;
 *               a frame sent to them is encapsulated with the tunnel of
 *               the DP_ACTION_SET_TUNNEL before the output.
 *
 * The packet path: a received batch of up to DP_BATCH_SIZE packets has a
 * 'struct flow' extracted for each (lib/flow-extract.h), its key looked up
 * in the receiving thread's megaflow cache (datapath/dp-megaflow.h) and
 * the megaflow's actions executed; a packet no megaflow covers goes to
 * the upcall callback given to dp_create(), whose actions are executed
 * and, if it says so, cached as a new megaflow.  The results are
 * transmitted batched per output port.
 *
 * Threading: "system", "internal" and "dummy" ports are polled by the
 * main thread's event loop (lib/evloop.h), which runs their packet path.
 * The queues of "pmd" types ("afxdp", "dummy-pmd") are polled by PMD
 * threads (datapath/dp-pmd.h), one per core of pmd-cpu-mask, each with its
 * own megaflow cache.  Everything this header declares is called on the
 * main thread, and the upcall callback and the megaflow owner callbacks
 * are only ever called there: a PMD's misses are queued to the main
 * thread, which translates, installs the megaflow into that PMD's cache
 * and executes the actions itself.  The dp_flow_* functions act on every
 * thread's cache, taking each PMD's lock in turn.  No locking is needed
 * by callers.
 *
 * Errors: functions return 0 or a negative errno, as libxdp does.
 *
 * Statistics are counted here, per datapath port, the same way for every
 * type: rx_* for frames the port delivered to the packet path (rx_errors:
 * frames that could not be received, e.g. longer than DP_PACKET_MAX_LEN),
 * tx_* for frames handed to the port (tx_dropped: the device refused them).
 *
 * Not yet: segmentation of GSO/GRO super-frames (a "system" port on a veth
 * whose peer has TSO on receives them and cannot send them on: turn TSO
 * and GSO off on such peers), checksum completion for AF_XDP (veth peers
 * whose stack leaves TCP/UDP checksums to offload need "ethtool -K IF tx
 * off", exactly as with Open vSwitch's userspace datapath; "system" ports
 * complete such checksums themselves). */
#ifndef XVS_DPIF_H
#define XVS_DPIF_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "flow.h"
#include "packet-set.h"

struct dp;

/* ---- Packets and batches. ---- */

/* Bytes kept free in front of received data so headers can be pushed
 * (VLAN tags and MPLS label stack entries now, tunnel headers later)
 * without copying. */
#define DP_PACKET_HEADROOM 128
/* Largest frame a port receives or sends; longer frames are counted as
 * receive errors. */
#define DP_PACKET_MAX_LEN 9216
#define DP_BATCH_SIZE 32

struct dp_packet {
    uint8_t *base;              /* Start of the buffer. */
    uint32_t allocated;         /* Bytes at 'base'. */
    uint32_t data_ofs;          /* Offset of the frame from 'base'. */
    uint32_t size;              /* Frame length in bytes. */
    uint32_t in_port;           /* Datapath port the frame came from. */
    struct dp_packet *next;     /* Free list of the owning pool. */
    /* The tunnel the frame arrived through (a tunnel port's receive) or is
     * to be encapsulated with (DP_ACTION_SET_TUNNEL); 'tnl' is meaningful
     * only while 'has_tnl', which dp_packet_reset() clears. */
    bool has_tnl;
    struct flow_tnl tnl;
};

static inline void *dp_packet_data(const struct dp_packet *p)
{
    return p->base + p->data_ofs;
}

static inline uint32_t dp_packet_size(const struct dp_packet *p)
{
    return p->size;
}

struct dp_packet_batch {
    unsigned int count;
    struct dp_packet *packets[DP_BATCH_SIZE];
};

/* ---- Actions. ---- */

enum dp_action_type {
    DP_ACTION_OUTPUT,           /* Send a copy to port 'arg'. */
    DP_ACTION_PUSH_VLAN,        /* Push an 802.1Q tag, TCI 'arg' (host order,
                                 * the CFI bit is ignored). */
    DP_ACTION_POP_VLAN,         /* Remove the outermost 802.1Q tag, if any. */
    DP_ACTION_SET,              /* Rewrite header fields as sets['arg']
                                 * says (lib/packet-set.h). */
    DP_ACTION_TRUNC,            /* Cut the copy that the next output sends
                                 * to at most 'arg' bytes. */
    DP_ACTION_PUSH_MPLS,        /* Insert label stack entry 'arg' (host
                                 * order) after the Ethernet and VLAN
                                 * headers; Ethertype to 'eth_type'. */
    DP_ACTION_POP_MPLS,         /* Remove the outermost label stack entry,
                                 * if any; Ethertype to 'arg'. */
    DP_ACTION_CLONE_BEGIN,      /* Keep a copy of the packet as it is... */
    DP_ACTION_CLONE_END,        /* ...and go on with that copy: what the
                                 * actions between did to the headers is
                                 * undone (nested up to DP_CLONE_MAX deep;
                                 * deeper pairs undo nothing). */
    DP_ACTION_SET_TUNNEL,       /* Outputs that follow to tunnel ports
                                 * encapsulate with sets['arg'].tunnel. */
    DP_ACTION_TNL_POP,          /* Hand a copy, a tunnel packet for us, to
                                 * the tunnel ports (tnl-native.h). */
};

#define DP_CLONE_MAX 8

struct dp_action {
    enum dp_action_type type;
    uint32_t arg;
    uint16_t eth_type;          /* DP_ACTION_PUSH_MPLS only. */
};

/* Enough for a flood over a large bridge; dp_actions_add() reports
 * overflow instead of writing past the end. */
#define DP_ACTIONS_MAX 512

/* Header rewrites one list may hold. */
#define DP_SETS_MAX 32

/* A list of actions applied in order to one packet.  An empty list drops
 * the packet. */
struct dp_actions {
    unsigned int n;
    struct dp_action acts[DP_ACTIONS_MAX];
    unsigned int n_sets;
    struct packet_set sets[DP_SETS_MAX];
};

static inline void dp_actions_init(struct dp_actions *a)
{
    a->n = 0;
    a->n_sets = 0;
}

/* Copies 'src' into 'dst': only the actions and sets it holds, not the
 * whole (large) structure. */
void dp_actions_copy(struct dp_actions *dst, const struct dp_actions *src);

/* Appends one action; returns 0, or -ENOSPC when the list is full. */
int dp_actions_add(struct dp_actions *, enum dp_action_type, uint32_t arg);

static inline int dp_actions_add_output(struct dp_actions *a, uint32_t port)
{
    return dp_actions_add(a, DP_ACTION_OUTPUT, port);
}
/* Appends a DP_ACTION_SET of 'set'; 0 or -ENOSPC. */
int dp_actions_add_set(struct dp_actions *, const struct packet_set *);
/* Appends a DP_ACTION_SET_TUNNEL of 'tnl', whose options are laid out as
 * 'layout' says (for printing); 0 or -ENOSPC. */
int dp_actions_add_set_tunnel(struct dp_actions *, const struct flow_tnl *,
                              const struct flow_tun_layout *);
/* Appends a DP_ACTION_PUSH_MPLS of 'lse' (host order) and 'eth_type'. */
int dp_actions_add_push_mpls(struct dp_actions *, uint32_t lse,
                             uint16_t eth_type);
/* Inserts a DP_ACTION_CLONE_BEGIN before action 'ofs' and appends the
 * matching DP_ACTION_CLONE_END; 0 or -ENOSPC. */
int dp_actions_wrap_clone(struct dp_actions *, unsigned int ofs);
/* Applies the header actions (VLAN, MPLS and set, not output) among the
 * first 'n' of 'acts' to 'p' (whose headroom takes the pushes); for
 * packet-ins, which carry the packet as the actions before them left it,
 * and for the translation, which parses the packet again after pop_mpls
 * (ofproto/ofp-mpls.h). */
void dp_actions_apply_headers(const struct dp_actions *, unsigned int n,
                              struct dp_packet *p);

/* ---- Datapaths. ---- */

/* What an upcall may ask the datapath to cache (datapath/dp-megaflow.h):
 * its actions for every packet whose flow agrees with the upcall's on
 * 'wc', with 'owner' attached. */
struct dp_upcall_install {
    bool install;
    struct flow_wildcards wc;
    void *owner;
};

/* Called once per received packet that no megaflow covers.  'flow' was
 * extracted from 'packet' (flow->in_port is the datapath port number); the
 * callback appends the actions to execute to 'out' (initialised empty)
 * and may fill 'install' (initialised not to install).  It may read
 * 'packet' (e.g. to copy it into a packet-in) but must not keep or free
 * it. */
typedef void dp_upcall_cb(void *aux, const struct flow *flow,
                          struct dp_packet *packet, struct dp_actions *out,
                          struct dp_upcall_install *install);

/* Translates again the flow of a cached megaflow, after a change: as an
 * upcall without a packet.  'flow' is the megaflow's masked key (fields
 * outside its mask zero; flow->in_port the datapath port number).  To
 * keep the megaflow the callback sets 'install' with the wildcards the
 * translation needed (the megaflow goes if they are not within its mask)
 * and the owner its packets count in from now on, and appends the
 * actions to 'out'.  It must have no other effect: no learning, no
 * counting, no packet-ins. */
typedef void dp_revalidate_cb(void *aux, const struct flow *flow,
                              struct dp_actions *out,
                              struct dp_upcall_install *install);

/* Creates a datapath named 'name' (used in log messages) that calls
 * 'upcall' with 'aux' for each received packet no megaflow covers. */
int dp_create(const char *name, dp_upcall_cb *upcall, void *aux,
              struct dp **dpp);
/* Removes every port and frees 'dp'.  NULL is a no-op. */
void dp_destroy(struct dp *dp);
const char *dp_name(const struct dp *);

/* ---- Megaflows. ---- */

/* How the datapath hands back what upcalls attached to megaflows:
 * 'push_stats' gets the packets and bytes a megaflow counted since the
 * last push and the time of its last packet; 'destroy' gets the owner
 * when its megaflow goes. */
struct dp_flow_owner_ops {
    void (*push_stats)(void *owner, uint64_t n_packets, uint64_t n_bytes,
                       long long int used);
    void (*destroy)(void *owner);
};

void dp_set_flow_owner_ops(struct dp *, const struct dp_flow_owner_ops *);
/* Removes every megaflow, pushing its counts first. */
void dp_flow_flush(struct dp *);
/* Revalidation (datapath/dp-megaflow.h): dp_flow_invalidate() before a
 * change that translations read pushes every megaflow's counts and marks
 * them all; they are translated again with the revalidator at the next
 * packet, the next dp_run() or dp_flow_revalidate(), whichever comes
 * first. */
void dp_set_revalidator(struct dp *, dp_revalidate_cb *, void *aux);
void dp_flow_invalidate(struct dp *);
void dp_flow_revalidate(struct dp *);
/* Megaflows idle for 'max_idle' ms expire; at most 'flow_limit' exist.
 * The defaults are Open vSwitch's. */
#define DP_FLOW_MAX_IDLE_DEFAULT 10000
#define DP_FLOW_LIMIT_DEFAULT 200000
void dp_flow_set_limits(struct dp *, long long int max_idle,
                        size_t flow_limit);
/* Housekeeping of the flow cache: call about every 500 ms. */
void dp_run(struct dp *);
/* Pushes every megaflow's counts. */
void dp_flow_push_stats(struct dp *);
size_t dp_flow_count(const struct dp *);
/* Which megaflows a dump shows: dpctl/dump-flows type=all,
 * type=offloaded (executed by the kernel, datapath/dp-xdp.h),
 * type=ovs or type=non-offloaded (the others). */
enum dp_flow_filter {
    DP_FLOWS_ALL,
    DP_FLOWS_OFFLOADED,
    DP_FLOWS_NOT_OFFLOADED,
};
/* "ovs-appctl dpctl/dump-flows" lines, one per megaflow that 'filter'
 * lets through: those of the PMD thread on core 'pmd_core', or of every
 * thread if it is -1. */
void dp_flow_format(const struct dp *, int pmd_core, enum dp_flow_filter,
                    struct ds *);
/* "dpif-netdev/pmd-stats-show": a section per PMD thread, then the main
 * thread's, titled 'main_title'. */
void dp_flow_format_stats(const struct dp *, const char *main_title,
                          struct ds *);
/* "dpif-netdev/pmd-stats-clear": the PMD threads' counters restart. */
void dp_pmd_stats_clear(struct dp *);
/* "dpif-netdev/pmd-rxq-show": each PMD thread's rx queues. */
void dp_pmd_rxq_format(struct dp *, struct ds *);
/* The flows, limit and sweep duration lines of "upcall/show". */
void dp_flow_format_sweep(const struct dp *, struct ds *);

/* ---- Ports. ---- */

struct dp_option {
    const char *key;
    const char *value;
};

/* Adds port 'name' of 'type' with 'n_options' options.  If '*port_no' is
 * non-zero on entry it is the requested number (-EBUSY if taken);
 * otherwise the lowest free number from 1 up is chosen.  On success stores
 * the number in '*port_no'.  -EEXIST if the name is already a port of any
 * datapath, -EAFNOSUPPORT for an unknown type, -EINVAL for a bad option,
 * or the error from opening the device. */
int dp_port_add(struct dp *, const char *name, const char *type,
                const struct dp_option *options, size_t n_options,
                uint32_t *port_no);
struct tnl_opt_map;
/* The Geneve options the datapath's tunnel ports map to tun_metadataN
 * (datapath/tnl-header.h), the bridge's TLV map. */
void dp_set_tun_map(struct dp *, const struct tnl_opt_map *);
/* Removes a port (and for "internal", its TAP device).  -ENOENT if none. */
int dp_port_del(struct dp *, uint32_t port_no);
/* Whether port 'port_no' is a tunnel port (geneve, vxlan, gre), which
 * encapsulates with the tunnel of a DP_ACTION_SET_TUNNEL before it. */
bool dp_port_is_tunnel(const struct dp *, uint32_t port_no);
/* Finds a port by name in this datapath: 0 and '*port_no', or -ENOENT. */
int dp_port_lookup(const struct dp *, const char *name, uint32_t *port_no);
/* Name and type of a port, or NULL if there is no such port. */
const char *dp_port_get_name(const struct dp *, uint32_t port_no);
const char *dp_port_get_type(const struct dp *, uint32_t port_no);

struct dp_port_status {
    struct eth_addr mac;        /* mac_in_use. */
    int mtu;                    /* 0 if unknown. */
    bool admin_up;
    bool link_up;
    int ifindex;                /* 0 for ports without a kernel device. */
};

int dp_port_get_status(const struct dp *, uint32_t port_no,
                       struct dp_port_status *);

struct dp_port_stats {
    uint64_t rx_packets, rx_bytes, rx_dropped, rx_errors;
    uint64_t tx_packets, tx_bytes, tx_dropped, tx_errors;
};

int dp_port_get_stats(const struct dp *, uint32_t port_no,
                      struct dp_port_stats *);

/* The port types dp_port_add() accepts, NULL-terminated (for the
 * Open_vSwitch table's iface_types column). */
const char *const *dp_port_types(void);

/* ---- Executing actions on a given packet (PACKET_OUT). ---- */

/* Copies the 'len'-byte frame 'data' and applies 'actions' to it as if it
 * had been received on 'in_port' (which need not exist, e.g. OFPP_NONE or
 * the controller).  Returns 0, -EINVAL if 'len' is 0 or too long. */
int dp_execute(struct dp *, const void *data, size_t len, uint32_t in_port,
               const struct dp_actions *actions);

/* ---- The dummy port type's test hooks. ---- */

/* Feeds frame 'data' into dummy port 'port_name' (of any datapath) as if
 * received: a "dummy" port runs the packet path on it now, a "dummy-pmd"
 * port queues it on rx queue 'qid' for its PMD thread.  Returns 0,
 * -ENODEV if there is no such dummy port, -EINVAL for a bad length or
 * queue. */
int dp_dummy_receive(const char *port_name, unsigned int qid,
                     const void *data, size_t len);
/* Registers "netdev-dummy/receive PORT [--qid N] HEXPACKET..." and
 * "netdev-dummy/capture PORT" with unixctl.  The latter prints every frame
 * the port transmitted since it was added (the last 1024), one line of
 * hex digits each, oldest first. */
void dp_dummy_register_unixctl(void);
/* Registers "tnl/ports/show": every tunnel receive socket with its drop
 * counts and the ports that share it, with their options; and
 * "tnl/neigh/show", "tnl/neigh/flush" (datapath/tnl-native.h). */
void dp_tunnel_register_unixctl(void);

/* Native tunnelling (datapath/tnl-native.h), main thread.  Whether a
 * packet with 'flow' that a bridge outputs to its internal device 'dev'
 * is a tunnel packet for one of the tunnel ports (to the Ethernet and IP
 * addresses of 'dev', to a tunnel's UDP port or GRE): translation pops it
 * (DP_ACTION_TNL_POP) instead.  Adds what the answer depends on to 'wc'.
 * The answer changes when dp_tunnel_terminations_seq() does. */
bool dp_tunnel_terminates(const char *dev, const struct flow *,
                          struct flow_wildcards *wc);
uint64_t dp_tunnel_terminations_seq(void);

#endif
