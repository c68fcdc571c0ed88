/* bundle: OpenFlow bundles on the switch side.
 *
 * Why: a controller's batch of flow changes must take effect all at once
 * or not at all, so that packets never meet half of an update and a
 * mistake in message 300 does not leave 299 changes behind.  Each
 * connection owns its open bundles (connmgr keeps the list and discards
 * them when the connection closes).  BUNDLE_ADD_MESSAGE checks each
 * FLOW_MOD fully when it arrives, so most errors are reported against the
 * message that caused them; the commit hands them all to
 * ofproto_flow_mods_commit(), which applies them to a copy of the flow
 * tables and swaps the copy in only if all succeeded, then reports the
 * rules they removed with FLOW_REMOVED as for lone flow_mods.
 * A commit that fails sends the failing message's own error (with its
 * xid) followed by OFPBFC_MSG_FAILED for the commit, and changes nothing.
 *
 * FLOW_MODs, GROUP_MODs, METER_MODs, PORT_MODs and PACKET_OUTs may be
 * bundled (others: OFPBFC_MSG_UNSUP).  Group and meter mods apply to copies of the group
 * and meter tables swapped in with the flows, so a bundle may add a group
 * or meter and the flows that use it; a group or meter mod is only
 * decoded when it arrives, its other errors, and those of flows naming
 * groups or meters once the bundle holds such a mod, come at the commit.
 * Port mods are checked on arrival and again at the commit, and applied
 * after everything else succeeded.  A PACKET_OUT is checked like a flow
 * (on arrival, or at the commit if it may use the bundle's groups or
 * meters) and translated at the commit where it stands, against the
 * tables as the messages before it left them, as Open vSwitch does; its
 * packet goes out (with its packet-ins) only once the whole bundle
 * succeeded, after the port mods, in bundle order.  Rule and meter
 * counters it touches are those of the copies, so a failed bundle leaves
 * no trace of it.  Commits are always atomic and
 * ordered, whatever flags were asked for. */
#ifndef XVS_BUNDLE_H
#define XVS_BUNDLE_H 1

#include "ofp-errors.h"

struct ofconn;
struct ofproto;
struct ofp_msg_info;
struct xvs_list;

enum ofperr bundle_handle_control(struct ofproto *, struct ofconn *,
                                  const struct ofp_msg_info *);
enum ofperr bundle_handle_add(struct ofproto *, struct ofconn *,
                              const struct ofp_msg_info *);
/* Frees every bundle in 'bundles' (a connection's list). */
void bundle_discard_all(struct xvs_list *bundles);

#endif
