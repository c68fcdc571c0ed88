/* ofctl-groups: xvs-ofctl's group commands.
 *
 * add-group, add-groups, mod-group (--may-create), del-groups,
 * insert-buckets, remove-buckets send group mods in ovs-ofctl's group
 * syntax, followed by a barrier (or as one bundle with --bundle);
 * dump-groups, dump-group-stats and dump-group-features print the
 * replies.  Groups work in every version (in OpenFlow 1.0 as Open
 * vSwitch's Nicira extensions, as ovs-ofctl sends them); the bucket
 * commands need 1.0 or 1.5: without -O, the versions offered grow to 1.5,
 * and a connection that settles on 1.3 or 1.4 fails with ovs-ofctl's
 * advice.
 * Lines of an add-groups file (and "group" lines of a bundle file) may
 * start with the command to send (add, modify, delete...). */
#ifndef XVS_OFCTL_GROUPS_H
#define XVS_OFCTL_GROUPS_H 1

#include <stdbool.h>
#include <stdint.h>

/* --may-create: mod-group adds a missing group. */
extern bool ofctl_may_create;

void ofctl_add_group(int argc, char *argv[]);
void ofctl_add_groups(int argc, char *argv[]);
void ofctl_mod_group(int argc, char *argv[]);
void ofctl_del_groups(int argc, char *argv[]);
void ofctl_insert_buckets(int argc, char *argv[]);
void ofctl_remove_buckets(int argc, char *argv[]);
void ofctl_dump_groups(int argc, char *argv[]);
void ofctl_dump_group_stats(int argc, char *argv[]);
void ofctl_dump_group_features(int argc, char *argv[]);

/* If '*line' starts with a group command keyword, skips it and returns
 * its OFPGC_*; otherwise returns 'command'. */
uint16_t ofctl_group_line_command(const char **line, uint16_t command);
/* Whether 'command' is insert_bucket or remove_bucket (OpenFlow 1.5, and
 * 1.0's extension). */
bool ofctl_is_bucket_command(uint16_t command);

#endif
