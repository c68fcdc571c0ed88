/* ofctl-meters: xvs-ofctl's meter commands.
 *
 * add-meter, mod-meter and del-meters send one meter mod in ovs-ofctl's
 * meter syntax and wait for a barrier; dump-meters, meter-stats and
 * meter-features print the replies.  A meter argument of del-meters and
 * the dump commands may be a bare number or "all".  Meters need OpenFlow
 * 1.3 or later; an older connection fails with ovs-ofctl's advice. */
#ifndef XVS_OFCTL_METERS_H
#define XVS_OFCTL_METERS_H 1

void ofctl_add_meter(int argc, char *argv[]);
void ofctl_mod_meter(int argc, char *argv[]);
void ofctl_del_meters(int argc, char *argv[]);
void ofctl_dump_meters(int argc, char *argv[]);
void ofctl_meter_stats(int argc, char *argv[]);
void ofctl_meter_features(int argc, char *argv[]);

#endif
