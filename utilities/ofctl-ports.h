/* ofctl-ports: xvs-ofctl's port and queue commands, and port names.
 *
 * "dump-ports-desc SWITCH" and "dump-ports SWITCH [PORT]" print the port
 * description and port statistics replies.
 * "mod-port SWITCH PORT ACTION" looks the port up by name or number in the
 * switch's port descriptions (for its hardware address) and sends a
 * PORT_MOD that sets or clears one config bit; the STP and flood bits
 * only OpenFlow 1.0 has (later versions ignore them) make it speak 1.0
 * unless -O says otherwise.  "queue-stats" and
 * "queue-get-config SWITCH [PORT [QUEUE]]" print the replies as ovs-ofctl
 * does, error replies included (on stdout, exit status 0); in OpenFlow 1.0
 * queue-get-config for every port asks port by port.  Port names are
 * resolved with one port description request per name.
 *
 * Names elsewhere (--names): ofctl_use_names() lets every parser accept
 * the port and table names of the switch 'target', and with 'display'
 * makes every printer show them (ofp-names.h). */
#ifndef XVS_OFCTL_PORTS_H
#define XVS_OFCTL_PORTS_H 1

#include <stdbool.h>

void ofctl_use_names(const char *target, bool display);
void ofctl_dump_ports_desc(int argc, char *argv[]);
void ofctl_dump_ports(int argc, char *argv[]);
void ofctl_mod_port(int argc, char *argv[]);
void ofctl_queue_stats(int argc, char *argv[]);
void ofctl_queue_get_config(int argc, char *argv[]);

#endif
