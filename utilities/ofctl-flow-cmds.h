/* ofctl-flow-cmds: xvs-ofctl's flow table commands.
 *
 * dump-flows, dump-aggregate, add-flow, add-flows, mod-flows, del-flows,
 * replace-flows and diff-flows, with the options that steer them
 * (--strict, --no-stats, --names, --sort/--rsort, --readd, --bundle).
 * Flow mods go out as one batch followed by a barrier (or as one bundle),
 * so any error reply fails the command.  In OpenFlow 1.0, matches that
 * ofp_match cannot hold travel as Nicira's NXT_FLOW_MOD/NXST_FLOW, and
 * dumps prefer NXST_FLOW when the switch takes it, as ovs-ofctl does.
 * Comparing whole tables (replace-flows, diff-flows) is ofctl-flows.h's
 * business; this module only moves the flows between it and the switch. */
#ifndef XVS_OFCTL_FLOW_CMDS_H
#define XVS_OFCTL_FLOW_CMDS_H 1

#include <stdbool.h>
#include <stdint.h>

struct ofp_flow_mod_msg;
struct ofpbuf;
struct vconn;

/* --strict, --no-stats, --names in effect, --readd. */
extern bool ofctl_strict;
extern bool ofctl_no_stats;
extern bool ofctl_show_names;
extern bool ofctl_readd;
/* Adds a --sort (or, with 'descending', --rsort) criterion: the field
 * 'name', or priority if NULL; fatal for an unknown field. */
void ofctl_add_sort_key(const char *name, bool descending);

void ofctl_dump_flows(int argc, char *argv[]);
void ofctl_dump_aggregate(int argc, char *argv[]);
void ofctl_add_flow(int argc, char *argv[]);
void ofctl_add_flows(int argc, char *argv[]);
void ofctl_mod_flows(int argc, char *argv[]);
void ofctl_del_flows(int argc, char *argv[]);
void ofctl_replace_flows(int argc, char *argv[]);
void ofctl_diff_flows(int argc, char *argv[]);

/* 'fm' in 'version', as NXT_FLOW_MOD in OpenFlow 1.0 if ofp_match cannot
 * hold its match; NULL if 'version' cannot express it. */
struct ofpbuf *ofctl_encode_flow_mod_any(const struct ofp_flow_mod_msg *fm,
                                         uint8_t version, uint32_t xid);
/* The same in the version of 'vc', with a fresh xid; fatal if that
 * version cannot express it.  In OpenFlow 1.0 a table id goes in the
 * command, NXT_FLOW_MOD_TABLE_ID being sent on 'vc' first if needed. */
struct ofpbuf *ofctl_encode_flow_mod_or_die(const struct ofp_flow_mod_msg *,
                                            struct vconn *vc);

#endif
