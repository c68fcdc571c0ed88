/* ofproto: one OpenFlow switch (one per bridge).
 *
 * Why: bridge.c knows the database, the datapath knows packets, and the
 * OpenFlow channel knows messages; ofproto is where they meet.  It owns a
 * bridge's datapath (datapath/dpif.h), its OpenFlow ports, its flow tables
 * (flow-table.h), its MAC learning table (mac-learning.h) and its
 * connection manager (connmgr.h), and it is the datapath's upcall handler:
 * every received packet is translated by xlate.h against the tables.
 *
 * Port numbers: OpenFlow port numbers equal datapath port numbers, except
 * the bridge's local port, which is OFPP_LOCAL in OpenFlow and
 * OFPROTO_DP_LOCAL in the datapath.
 *
 * Fail modes (Bridge.fail_mode):
 *   standalone (default)  With no primary controller configured (service
 *                         controllers do not count), table 0 holds a
 *                         visible "priority=0 actions=NORMAL" flow, as Open
 *                         vSwitch installs (bridge.c adds it), so the
 *                         bridge is a learning switch.  With primary controllers configured but
 *                         none connected and none heard from for three
 *                         times the longest inactivity probe interval,
 *                         packets bypass the tables and take NORMAL ("fail
 *                         open") until a controller connects again.
 *   secure                Only the flows in the tables forward packets;
 *                         misses are dropped whatever the controllers do.
 *
 * Table miss: a packet that matches no rule is dropped (OpenFlow 1.3);
 * controllers that negotiated OpenFlow 1.0 also get a PACKET_IN with reason
 * no_match, as OpenFlow 1.0 specifies and Open vSwitch does. */
#ifndef XVS_OFPROTO_H
#define XVS_OFPROTO_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "flow.h"
#include "util.h"

struct ofproto;
struct dp_option;
struct dp_port_status;
struct dp_port_stats;

/* The datapath number of the local port. */
#define OFPROTO_DP_LOCAL 65534

enum ofproto_fail_mode {
    OFPROTO_FAIL_STANDALONE,
    OFPROTO_FAIL_SECURE,
};

/* Creates the switch for bridge 'name', with its datapath.  Returns 0 or a
 * negative errno. */
int ofproto_create(const char *name, struct ofproto **);
void ofproto_destroy(struct ofproto *);
const char *ofproto_name(const struct ofproto *);
/* Every ofproto, for unixctl commands that name a bridge. */
struct ofproto *ofproto_lookup(const char *name);
/* Every bridge, by name; the caller frees the array. */
struct ofproto **ofproto_all(size_t *n);
/* The bridge if there is exactly one, else NULL. */
struct ofproto *ofproto_only(void);

uint64_t ofproto_get_datapath_id(const struct ofproto *);
void ofproto_set_datapath_id(struct ofproto *, uint64_t);

/* Listens for service connections (xvs-ofctl) on 'name', normally
 * "punix:$XVS_RUNDIR/BRIDGE.mgmt".  Returns 0 or a positive errno. */
int ofproto_set_service(struct ofproto *, const char *name);
/* At most 'n' packet-ins wait for a service connection's socket (Bridge
 * other_config:controller-queue-size, default 100). */
void ofproto_set_service_queue_size(struct ofproto *, int n);
/* Listens for snoopers ("ovs-ofctl snoop BRIDGE") on 'name', normally
 * "punix:$XVS_RUNDIR/BRIDGE.snoop": they see every message exchanged with
 * the controllers.  Returns 0 or a positive errno. */
int ofproto_set_snoop(struct ofproto *, const char *name);

void ofproto_set_fail_mode(struct ofproto *, enum ofproto_fail_mode);

/* One Controller row.  Primary controllers decide fail-open; service
 * controllers do not.  By default active targets are primary and passive
 * ones service, as in Open vSwitch. */
enum ofproto_controller_type {
    OFPROTO_CONTROLLER_PRIMARY,
    OFPROTO_CONTROLLER_SERVICE,
};

#define OFPROTO_DEFAULT_PROBE_INTERVAL 5000
#define OFPROTO_DEFAULT_MAX_BACKOFF 8000
#define OFPROTO_MIN_RATE_LIMIT 100
#define OFPROTO_MIN_BURST_LIMIT 25
/* controller_queue_size and Bridge other_config:controller-queue-size. */
#define OFPROTO_DEFAULT_QUEUE_SIZE 100
#define OFPROTO_MAX_QUEUE_SIZE 512
#define OFPROTO_DEFAULT_DSCP 48

struct ofproto_controller {
    const char *target;         /* "tcp:IP:PORT", "ssl:IP:PORT",
                                 * "unix:PATH", "ptcp:PORT[:IP]",
                                 * "pssl:PORT[:IP]", "punix:PATH". */
    enum ofproto_controller_type type;
    int max_backoff;            /* Milliseconds between attempts, at most. */
    int probe_interval;         /* Milliseconds of silence before an echo
                                 * request; 0 disables probing. */
    int rate_limit;             /* Packet-ins a second; 0: no limit. */
    int burst_limit;            /* Packet-ins in a burst. */
    bool in_band;               /* Accepted; the channel is always
                                 * out-of-band (no hidden in-band flows). */
    int queue_size;             /* Packet-ins waiting for the socket, at
                                 * most; more are dropped. */
    bool enable_async;          /* False: no asynchronous messages until
                                 * the controller asks (SET_ASYNC). */
    int dscp;                   /* IP DSCP of TCP and SSL sockets. */
};

/* 'c' for 'target' with Open vSwitch's defaults. */
void ofproto_controller_init(struct ofproto_controller *c,
                             const char *target);
/* Replaces the controllers by the 'n' in 'cs' (none if 'n' is 0);
 * unchanged targets keep their connections. */
void ofproto_set_controllers(struct ofproto *,
                             const struct ofproto_controller *cs, size_t n);

/* What Controller.is_connected, role and status show. */
struct ofproto_controller_status {
    bool is_connected;
    const char *role;           /* "master", "slave", "other"; NULL when
                                 * not connected. */
    const char *state;          /* "ACTIVE", "IDLE", "BACKOFF",
                                 * "CONNECTING"; NULL for passive. */
    const char *last_error;     /* NULL if none yet. */
    long long int sec_since_connect;    /* -1 if never. */
    long long int sec_since_disconnect; /* -1 if never. */
    int bound_port;             /* Passive TCP/SSL listeners, else 0. */
    bool rate_limited;          /* Then the counts below mean something. */
    unsigned long long pin_bypassed[2]; /* [0] table misses, [1] actions. */
    unsigned long long pin_queued[2];
    unsigned long long pin_dropped[2];
    unsigned long long pin_backlog[2];
};
/* Fills 's' for 'target'; false if no such controller.  The strings
 * stay valid until the controllers change. */
bool ofproto_get_controller_status(const struct ofproto *,
                                   const char *target,
                                   struct ofproto_controller_status *s);
/* Bit (1 << OFPn_VERSION) set for each allowed version; 0 = defaults. */
void ofproto_set_allowed_versions(struct ofproto *, uint32_t bitmap);

/* Ports.  'ofp_port' on entry is the requested number (0 = any); on
 * success it holds the number given.  'type' is a datapath port type.
 * Returns 0 or a negative errno. */
int ofproto_port_add(struct ofproto *, const char *name, const char *type,
                     const struct dp_option *, size_t n_options,
                     uint32_t *ofp_port);
int ofproto_port_del(struct ofproto *, uint32_t ofp_port);
/* 0 and '*ofp_port', or -ENOENT. */
int ofproto_port_lookup(const struct ofproto *, const char *name,
                        uint32_t *ofp_port);
/* NORMAL's view of a port: 'tag' >= 0 makes it an access port of that
 * VLAN; otherwise it trunks the 'n_trunks' VIDs in 'trunks', or every VLAN
 * if 'n_trunks' is 0. */
void ofproto_port_set_vlan(struct ofproto *, uint32_t ofp_port, int tag,
                           const int *trunks, size_t n_trunks);
int ofproto_port_get_status(const struct ofproto *, uint32_t ofp_port,
                            struct dp_port_status *);
int ofproto_port_get_stats(const struct ofproto *, uint32_t ofp_port,
                           struct dp_port_stats *);

/* Adds "priority=P,MATCH actions=ACTIONS" to table 0 unless an identical
 * rule already exists, or deletes it strictly if it exists with exactly
 * these actions (the default flow: a controller's own flow with the same
 * match and priority stays). */
void ofproto_add_flow(struct ofproto *, const struct match *,
                      uint16_t priority, const char *actions);
void ofproto_delete_flow(struct ofproto *, const struct match *,
                         uint16_t priority, const char *actions);

/* OpenFlow table 'table_id' as a Flow_Table row configures it: 'name'
 * (NULL or "" for "tableN") for table stats and features, at most
 * 'max_flows' rules (SIZE_MAX: no limit), whether adding to a full table
 * evicts a rule ('evict') or fails with TABLE_FULL, and the 'n_groups'
 * subfields ("NXM_OF_IN_PORT[]", "reg0[0..7]"; invalid ones are ignored)
 * that divide rules into eviction groups. */
void ofproto_configure_table(struct ofproto *, uint8_t table_id,
                             const char *name, size_t max_flows, bool evict,
                             const char *const *groups, size_t n_groups);

/* Registers "time/warp MSECS" (tests only: xvs-vswitchd --enable-dummy)
 * in place of unixctl's built-in one: it moves the clock the same way and
 * then checks rule timeouts at once, so a test sees the expiry when the
 * command returns. */
void ofproto_register_time_warp(void);

/* The datapath's megaflows (datapath/dpif.h) cache translations through
 * this bridge's tables.  ofproto_megaflows_will_change() must be called
 * before anything translations read changes: it pushes the megaflows'
 * counts into rules, tables and groups while they still exist and marks
 * the megaflows for revalidation, which translates each one again before
 * the next packet or at ofproto_revalidate(), whichever comes first
 * (datapath/dp-megaflow.h says what it keeps, modifies and deletes).
 * Flow and group changes do it by themselves (flow-table.h's change
 * hook), as do port changes, the fail mode, MAC learning and the TLV map;
 * a barrier request revalidates before its reply, so a controller that
 * waits for it sees the megaflows up to date.
 * ofproto_flush_megaflows() removes them all, counts pushed first
 * (dpctl/del-flows).  ofproto_push_stats() brings the OpenFlow counters
 * up to date with the megaflows' hits, before they are read. */
void ofproto_megaflows_will_change(struct ofproto *);
void ofproto_revalidate(struct ofproto *);
void ofproto_flush_megaflows(struct ofproto *);
void ofproto_push_stats(struct ofproto *);
/* Open_vSwitch other_config:max-idle (ms) and flow-limit. */
/* "upcall/disable-megaflows": every megaflow then matches all of its key,
 * as Open vSwitch's tests use it.  Changing it flushes every bridge's
 * megaflows. */
void ofproto_set_megaflows_enabled(bool);
void ofproto_set_flow_cache(struct ofproto *, long long int max_idle,
                            size_t flow_limit);

/* Periodic work: MAC aging, fail-open and liveness changes.  Call about
 * once a second.  Rule timeouts run on their own timer, a few times a
 * second, and the datapath's flow cache housekeeping (dp_run()) on
 * another, every 500 ms. */
void ofproto_run(struct ofproto *);

#endif
