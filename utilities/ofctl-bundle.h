/* ofctl-bundle: xvs-ofctl's "bundle SWITCH FILE" command.
 *
 * FILE holds one message per line, "flow [COMMAND] FLOW", "group
 * [COMMAND] GROUP" or "packet-out PACKET-OUT", as ovs-ofctl reads it;
 * all of them go to the switch as one atomic, ordered bundle, committed
 * only if the switch took every message.  A parse error names the file
 * and line.  Without -O, OpenFlow 1.4 is offered (1.5 if a group line
 * inserts or removes buckets). */
#ifndef XVS_OFCTL_BUNDLE_H
#define XVS_OFCTL_BUNDLE_H 1

void ofctl_bundle(int argc, char *argv[]);

#endif
