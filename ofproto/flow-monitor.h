/* flow-monitor: a bridge's flow monitors (NXST_FLOW_MONITOR in OpenFlow
 * 1.0, ONFST_FLOW_MONITOR in 1.3, OpenFlow 1.4's OFPMP_FLOW_MONITOR).
 *
 * Why: controllers that share a switch, and people debugging them with
 * "ovs-ofctl monitor BR watch:", want to see the flow tables change as it
 * happens rather than poll them.  A connection creates monitors (each with
 * an id unique on that connection, what to report and a filter: table,
 * out_port, out_group, match); the switch answers with the matching
 * flows, then with an update for every flow added, modified or deleted by any path (flow
 * mods, bundle commits, timeouts, learn, group and meter deletion,
 * eviction), since all of them go through the flow table's change list
 * (flow-table.h), which ofproto drains into flow_monitor_report().
 * Changes made by the monitoring connection itself are abbreviated to the
 * xid of the request that made them (or left out, or sent in full, as the
 * flags ask).  Updates of one drain go out together, in one reply message
 * per connection (more past 64 kB).
 *
 * Flow control: when a connection has more than FLOW_MONITOR_MAX_BACKLOG
 * bytes waiting to be sent, its monitors pause (NXT_FLOW_MONITOR_PAUSED,
 * ONFT_FLOW_MONITOR_PAUSED in 1.3, a PAUSED event in 1.4+) and updates
 * are dropped; once its backlog has drained, it gets every flow its monitors match as an ADDED update, then
 * RESUMED.  Open vSwitch sends only the flows that changed meanwhile
 * (deleted ones as DELETED); this switch does not remember which.
 *
 * Not done yet: out_port and out_group filters look at a modified rule's
 * new actions only (Open vSwitch also reports a rule whose old actions
 * matched). */
#ifndef XVS_FLOW_MONITOR_H
#define XVS_FLOW_MONITOR_H 1

#include <stdint.h>
#include "ofp-errors.h"

struct ofconn;
struct ofproto;
struct ofp_msg_info;
struct rule;

#define FLOW_MONITOR_MAX_BACKLOG (128 * 1024)

struct flow_monitors *flow_monitors_create(void);
void flow_monitors_destroy(struct flow_monitors *);

/* Requests (of-handler.c): NXST_FLOW_MONITOR and OFPMP_FLOW_MONITOR
 * requests, NXT_FLOW_MONITOR_CANCEL. */
enum ofperr flow_monitor_handle_request(struct ofproto *, struct ofconn *,
                                        const struct ofp_msg_info *);
enum ofperr flow_monitor_handle_cancel(struct ofproto *, struct ofconn *,
                                       const struct ofp_msg_info *);

/* Forgets the monitors of a closing connection. */
void flow_monitor_conn_closed(struct flow_monitors *, struct ofconn *);
/* True if any monitor exists (the flow table need not record changes
 * otherwise). */
bool flow_monitors_active(const struct flow_monitors *);

/* A change to 'rule': 'event' an enum ofp_fu_event (ADDED, DELETED with
 * OFPRR_* 'reason', MODIFIED), made by 'origin' (NULL: the switch itself)
 * with request 'xid'.  Queued until flow_monitor_flush(). */
void flow_monitor_report(struct flow_monitors *, const struct rule *,
                         int event, uint8_t reason,
                         const struct ofconn *origin, uint32_t xid);
/* Sends what flow_monitor_report() queued, and resumes paused connections
 * whose backlog has drained. */
void flow_monitor_flush(struct ofproto *);

#endif
