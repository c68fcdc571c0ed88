/* trace: "ofproto/trace BRIDGE FLOW", "fdb/show BRIDGE" and "dpif/show",
 * the unixctl commands that show why the switch forwards as it does.
 *
 * ofproto/trace runs the flow through xlate_run(), the same translation
 * real packets take, with a report buffer attached, and prints it as
 * ovs-appctl does:
 *
 *   Flow: in_port=1,dl_dst=00:00:00:00:00:02
 *
 *   bridge("br0")
 *   -------------
 *    0. in_port=1, priority 100, cookie 0x5
 *       output:2
 *
 *   Final flow: unchanged
 *   Datapath actions: 2
 *
 * A trace neither counts in rule statistics nor teaches MAC learning.
 * Not done yet: tracing a raw packet (hex) instead of a flow, and the
 * "Megaflow:" line (there is no megaflow cache yet). */
#ifndef XVS_TRACE_H
#define XVS_TRACE_H 1

struct ofproto;
struct ds;

/* Traces 'flow_s' through 'ofproto'.  Returns NULL and fills 'out', or a
 * malloc'd error for a flow that does not parse. */
char *ofproto_trace(struct ofproto *, const char *flow_s, struct ds *out);

void trace_register_unixctl(void);

#endif
