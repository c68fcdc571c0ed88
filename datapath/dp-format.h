/* dp-format: datapath flows and actions as text.
 *
 * Open vSwitch users read datapath flows in its datapath syntax, from
 * "ovs-appctl dpctl/dump-flows" and the last line of ofproto/trace:
 *
 *   in_port(1),eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02),
 *   eth_type(0x0800),ipv4(dst=10.1.2.0/255.255.254.0,frag=no),
 *   packets:3, bytes:294, used:0.420s, actions:2
 *
 * A key is printed as attributes (eth, ipv4, tcp, ...), each with the
 * fields its mask covers, "value/mask" where the mask is partial; an
 * attribute whose fields are all wildcarded is left out, and one that
 * does not apply to the packet (ipv4 of an ARP packet) is never printed.
 * The attributes and their fields are one table in dp-format.c.
 *
 * Not printed (not in the key yet): recirculation ids, datapath hashes,
 * and Open vSwitch's "encap()" nesting of the fields after a VLAN tag,
 * which here follow it flat ("vlan(vid=10,pcp=0),eth_type(0x0800)"). */
#ifndef XVS_DP_FORMAT_H
#define XVS_DP_FORMAT_H 1

#include "flow.h"
#include "util.h"

struct dp_action;
struct packet_set;

/* The megaflow of key 'key' (a packet's flow, datapath port in in_port)
 * under 'mask'. */
struct tnl_opt_map;
/* With 'map' (may be NULL), the Geneve options the mask covers. */
void dp_format_key(const struct flow *key, const struct flow_wildcards *mask,
                   const struct tnl_opt_map *map, struct ds *);

/* "2,push_vlan(vid=10,pcp=0),3", or "drop" for an empty list.  DP_ACTION_SET
 * entries refer to 'sets' by index. */
void dp_format_actions(const struct dp_action *acts, unsigned int n,
                       const struct packet_set *sets, struct ds *);

#endif
