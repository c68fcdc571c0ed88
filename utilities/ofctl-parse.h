/* ofctl-parse: xvs-ofctl's offline commands parse-flow, parse-group and
 * parse-meter.
 *
 * Each reads one flow, group or meter in ovs-ofctl's syntax, without a
 * switch, and prints the message it becomes in each version given with
 * -O (OpenFlow 1.3 by default): decoded back to text, then in hex.  They
 * exist to test the codecs from the command line; a version that cannot
 * express the message is a fatal error. */
#ifndef XVS_OFCTL_PARSE_H
#define XVS_OFCTL_PARSE_H 1

void ofctl_parse_flow(int argc, char *argv[]);
void ofctl_parse_group(int argc, char *argv[]);
void ofctl_parse_meter(int argc, char *argv[]);

#endif
