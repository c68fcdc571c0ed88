/* ofctl-packet: xvs-ofctl's packet-out descriptions.
 *
 * "packet-out" takes ovs-ofctl's Packet-Out Syntax, "in_port=P
 * packet=HEX actions=A" (actions last, taking the rest of the text;
 * without them the packet is dropped), or
 * the three as arguments of their own; "bundle" files take the first form
 * on "packet-out" lines.  The "packet-out" command itself lives here too.
 * Errors are fatal, with a one-line message, except where the monitor's
 * control socket parses one (ofctl_parse_packet_out_str()).
 *
 * Not done: ovs-ofctl's pipeline fields (registers, tunnel fields) in a
 * packet-out. */
#ifndef XVS_OFCTL_PACKET_H
#define XVS_OFCTL_PACKET_H 1

#include <stdint.h>

struct ofp_packet_out_msg;
struct ofpbuf;

/* Fills 'po' (whose packet is malloc'd) from the three parts. */
void ofctl_parse_packet_out_args(const char *in_port, const char *actions,
                                 const char *packet,
                                 struct ofp_packet_out_msg *po);
/* Fills 'po' from "in_port=P packet=HEX actions=A". */
void ofctl_parse_packet_out(const char *spec, struct ofp_packet_out_msg *po);
/* The same, but returns a malloc'd error message instead of exiting
 * (NULL on success; on failure 'po' holds nothing to free). */
char *ofctl_parse_packet_out_str(const char *spec,
                                 struct ofp_packet_out_msg *po);
/* "packet-out SWITCH IN_PORT ACTIONS PACKET" or "packet-out SWITCH
 * PACKET-OUT": sends the packet-out and a barrier (or, with --bundle, a
 * bundle of it). */
void ofctl_packet_out(int argc, char *argv[]);
/* Encodes 'po' in 'version' and frees it, packet included. */
struct ofpbuf *ofctl_encode_packet_out(struct ofp_packet_out_msg *po,
                                       uint8_t version);

#endif
