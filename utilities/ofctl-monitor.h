/* ofctl-monitor: xvs-ofctl's "monitor" command.
 *
 * "monitor SWITCH [MISS-LEN] [invalid_ttl]" opts its connection into the
 * switch's asynchronous messages (a SET_CONFIG with a non-zero
 * miss_send_len) and prints every message the switch sends on stderr, as
 * ovs-ofctl monitor does, a packet-in followed by its packet's flow.  It
 * does not do flow monitoring ("watch:"), "resume", --detach or the
 * ovs-ofctl unixctl commands (ofctl/send, ofctl/barrier...). */
#ifndef XVS_OFCTL_MONITOR_H
#define XVS_OFCTL_MONITOR_H 1

void ofctl_monitor(int argc, char *argv[]);

#endif
