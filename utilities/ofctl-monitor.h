/* ofctl-monitor: xvs-ofctl's "monitor" command.
 *
 * "monitor SWITCH [MISS-LEN] [invalid_ttl] [resume]" opts its connection
 * into the switch's asynchronous messages (a SET_CONFIG with a non-zero
 * miss_send_len) and prints every message the switch sends on stderr, as
 * ovs-ofctl monitor does, a packet-in followed by its packet's flow.
 * Packet-ins come in the format -P/--packet-in-format names
 * (NXT_PACKET_IN2 by default); with "resume", each one that carries a
 * continuation goes back as NXT_RESUME.  "watch:[SPEC...]" adds a flow
 * monitor (ofp-monitor.h: Nicira's before OpenFlow 1.4, the standard one
 * after), whose reply and updates are printed the same way.  Both
 * commands serve a control socket (ofctl-control.h) and take the daemon
 * options (--detach, --pidfile...). */
#ifndef XVS_OFCTL_MONITOR_H
#define XVS_OFCTL_MONITOR_H 1

#include <stdint.h>

/* NXPIF_*, from -P/--packet-in-format. */
extern uint32_t ofctl_packet_in_format;

void ofctl_monitor(int argc, char *argv[]);
/* "snoop SWITCH": connects to SWITCH.snoop (or a unix:/tcp: target) and
 * prints every message the switch exchanges with its controllers. */
void ofctl_snoop(int argc, char *argv[]);

#endif
