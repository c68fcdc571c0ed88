/* connmgr: a bridge's OpenFlow connections.
 *
 * Why: OpenFlow has two kinds of peers and they are treated differently.
 * Controllers (the Bridge's 'controller' column, one struct
 * ofproto_controller each: "tcp:IP:PORT", "ssl:IP:PORT" and "unix:PATH"
 * connected to, "ptcp:PORT[:IP]", "pssl:PORT[:IP]" and "punix:PATH"
 * listened on) get asynchronous messages (PACKET_IN, PORT_STATUS,
 * FLOW_REMOVED, ROLE_STATUS), and the primary ones decide whether the
 * bridge "fails open".  Service connections (the always-present listener
 * "punix:$XVS_RUNDIR/BRIDGE.mgmt" that xvs-ofctl and ovs-ofctl use) only
 * get replies, unless they ask for asynchronous messages with SET_CONFIG
 * as "ovs-ofctl monitor br0 65534" does.
 *
 * Each connection frames OpenFlow messages off a libevent bufferevent,
 * negotiates the version with HELLO (the highest version both sides
 * allow; Bridge.protocols restricts ours), answers ECHO itself and hands
 * every other message to of-handler.c.  A message that fails to decode or
 * to apply is answered with an OFPT_ERROR echoing its first 64 bytes, and
 * the connection stays up.
 *
 * Each connection has a role (equal, master or slave; ofp-role.h) and a
 * per-role choice of asynchronous messages (SET_ASYNC; until then the
 * defaults for its version), applied here when sending them, to service
 * connections that asked for them as to controllers; it also owns its
 * open bundles (bundle.h).
 *
 * Active targets are reconnected with exponential backoff (reconnect.h).
 * Every connection is probed: after 'probe_interval' ms without a message
 * from the peer it gets an ECHO_REQUEST, and after as long again it is
 * dropped (and, if active, reconnected); service connections are probed
 * after a minute, as Open vSwitch probes its management connections.
 * "ssl:"/"pssl:" run OpenFlow over TLS (stream-ssl.h).  TCP and SSL
 * sockets carry the controller's DSCP (other_config:dscp, 48 by default).
 *
 * Packet-ins to a controller with controller_rate_limit go through a
 * queue per connection and per kind (table miss or action) that passes
 * them at that rate, shared fairly between input ports (pin-queue.h).
 * Then, as in Open vSwitch, at most controller_queue_size packet-ins (100
 * by default; Bridge other_config:controller-queue-size for the service
 * connections) may wait for a connection's socket: a controller that does
 * not keep up loses the rest, and the log says how many.  A controller
 * with enable_async_messages=false gets no asynchronous message until it
 * asks for some with SET_ASYNC (NXT_SET_ASYNC_CONFIG or
 * NXT_SET_ASYNC_CONFIG2 in OpenFlow 1.0).
 *
 * Not done yet: in-band control (in-band targets work as out-of-band);
 * over SSL, packet-ins written in one pass of the loop count against
 * controller_queue_size until the loop writes them. */
#ifndef XVS_CONNMGR_H
#define XVS_CONNMGR_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct connmgr;
struct ofconn;
struct ofpbuf;
struct ofproto;
struct ofp_phy_port;
struct ofp_flow_removed_msg;
struct xlate_pin;
struct ofproto_controller;
struct ofproto_controller_status;

struct connmgr *connmgr_create(struct ofproto *);
void connmgr_destroy(struct connmgr *);

/* Starts the service listener on 'name' ("punix:PATH").  Returns 0 or a
 * positive errno. */
int connmgr_set_service(struct connmgr *, const char *name);
void connmgr_set_service_queue_size(struct connmgr *, int n);
/* Listens on 'name' ("punix:PATH") for snoopers (snoop.h), which get a
 * copy of every message exchanged with controllers.  Returns 0 or a
 * positive errno. */
int connmgr_set_snoop(struct connmgr *, const char *name);
void connmgr_set_controllers(struct connmgr *,
                             const struct ofproto_controller *, size_t n);
void connmgr_set_allowed_versions(struct connmgr *, uint32_t bitmap);
/* True if there are primary controllers, none is connected and none has
 * been heard from for three times the longest probe interval. */
bool connmgr_controllers_failed(const struct connmgr *);
/* The clock jumped (time/warp): inactivity probes look at it again now
 * rather than when their timers were due. */
void connmgr_time_warped(struct connmgr *);
/* Open OpenFlow connections, controllers' and the service socket's. */
size_t connmgr_count_ofconns(const struct connmgr *);
bool connmgr_get_controller_status(const struct connmgr *,
                                   const char *target,
                                   struct ofproto_controller_status *);

/* Asynchronous messages.  A packet-in goes to the connections whose
 * controller id (NXT_SET_CONTROLLER_ID, 0 by default) is the pin's; one
 * with a continuation (controller(pause)) only to those that take
 * NXT_PACKET_IN2, the one message that can carry it. */
struct continuation;
void connmgr_send_packet_in(struct connmgr *, const struct xlate_pin *,
                            const struct continuation *,
                            const void *packet, size_t len);
void connmgr_send_port_status(struct connmgr *, const struct ofp_phy_port *,
                              uint8_t reason);
/* TABLE_STATUS to OpenFlow 1.4+ connections whose async config asks for
 * 'reason' (OFPTR_VACANCY_DOWN/UP). */
struct ofp_table_desc;
void connmgr_send_table_status(struct connmgr *, const struct ofp_table_desc *,
                               uint8_t reason);
/* 'fr->reason' is an OpenFlow 1.4 OFPRR_*; each connection gets it in its
 * own version's encoding, if its async config asks for that reason. */
void connmgr_send_flow_removed(struct connmgr *,
                               const struct ofp_flow_removed_msg *);

/* For of-handler.c. */
void ofconn_send(struct ofconn *, struct ofpbuf *);
uint8_t ofconn_get_version(const struct ofconn *);
/* Bytes queued to send on the connection (flow monitor flow control). */
size_t ofconn_get_backlog(const struct ofconn *);
/* SET_CONFIG on a service connection opts it into async messages (a
 * miss_send_len of 0 opts it out). */
void ofconn_set_wants_async(struct ofconn *, bool);

/* Roles (OFPCR_ROLE_*).  Setting MASTER turns any other master into a
 * slave and sends it a ROLE_STATUS (OF1.4+). */
uint32_t ofconn_get_role(const struct ofconn *);
void ofconn_set_role(struct ofconn *, uint32_t role);
/* Master election: false (OFPRRFC_STALE) if 'id' is older than the
 * newest generation id seen on this bridge, else records it. */
bool ofconn_set_generation_id(struct ofconn *, uint64_t id);
/* The newest generation id (0 if none yet); false if none yet. */
bool ofconn_get_generation_id(const struct ofconn *, uint64_t *id);
/* Nicira extension settings, per connection and reset by reconnecting:
 * the flow format (NXFF_*), whether flow_mod commands carry a table id
 * in their high byte, and the controller id (packet-ins of controller
 * actions with an id go only to connections with that id). */
uint32_t ofconn_get_flow_format(const struct ofconn *);
void ofconn_set_flow_format(struct ofconn *, uint32_t format);
void ofconn_set_flow_mod_table_id(struct ofconn *, bool enable);
/* NXPIF_*: packet-ins to this connection as OFPT_PACKET_IN, NXT_PACKET_IN
 * or NXT_PACKET_IN2. */
void ofconn_set_packet_in_format(struct ofconn *, uint32_t format);
uint16_t ofconn_get_controller_id(const struct ofconn *);
void ofconn_set_controller_id(struct ofconn *, uint16_t id);
struct ofp_async_config;
void ofconn_get_async_config(const struct ofconn *,
                             struct ofp_async_config *);
void ofconn_set_async_config(struct ofconn *,
                             const struct ofp_async_config *);
/* The connection's open bundles, for bundle.c. */
struct xvs_list;
struct xvs_list *ofconn_get_bundles(struct ofconn *);

#endif
