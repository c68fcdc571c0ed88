/* flow-wildcards: which bits of a packet a table lookup depended on.
 *
 * A megaflow is a cached decision that holds for every packet agreeing
 * with the first one on some bits, the megaflow mask.  Translation builds
 * that mask while it walks the OpenFlow tables: every lookup adds the
 * bits that made it return what it returned.  Two rules feed it:
 *
 *   - the rule that matched: all of its mask (flow_wc_fold_match()), so
 *     every packet of the megaflow matches it too;
 *   - each higher-priority rule that did not match: enough bits to tell
 *     the packet apart from it (flow_wc_exclude()), so no packet of the
 *     megaflow matches it.
 *
 * Telling apart takes one differing member of 'struct flow', not the
 * whole rule: a rule "nw_dst=10.1.2.0/24" seen by a packet to 10.1.3.5
 * costs the leading 23 bits of nw_dst, not the rule's tp_dst or the
 * rest of the address.  The member is chosen so that megaflows stay few
 * and wide: one the mask already covers costs nothing and wins; else the
 * first one in 'struct flow' order (metadata, tunnel, L2, L3, L4, which
 * is Open vSwitch's staged-lookup order).  Within the member, IPv4 and
 * IPv6 address members (the registry's address-typed rows) take the bits
 * from the top down to the first differing one, so address prefixes make
 * prefix masks; any other member takes the rule's mask bits in it.
 *
 * Member boundaries come from the field registry (lib/meta-flow.h): each
 * key byte belongs to the smallest member a row covers it with (reg3,
 * not xxreg0), and a byte no row covers (tunnel option space, whose
 * layout is per bridge) is a member of its own.
 *
 * Bits a lookup depends on only through fields that actions wrote are
 * still taken from the packet: that makes a megaflow narrower than it
 * needs to be, never wrong. */
#ifndef XVS_FLOW_WILDCARDS_H
#define XVS_FLOW_WILDCARDS_H 1

#include "flow.h"

/* Adds every bit of 'match''s mask to 'wc'. */
void flow_wc_fold_match(struct flow_wildcards *wc, const struct match *);

/* 'flow' does not match 'match': adds to 'wc' bits that keep every packet
 * agreeing with 'flow' on 'wc' from matching 'match'. */
void flow_wc_exclude(struct flow_wildcards *wc, const struct flow *flow,
                     const struct match *match);

struct mf_field;
union mf_value;

/* Adds the bits of field 'mf' that 'mask' has (NULL: all of them) to
 * 'wc'.  tun_metadataN needs the flow's layout in wc->masks.tun_layout. */
void flow_wc_field(struct flow_wildcards *wc, const struct mf_field *,
                   const union mf_value *mask);

/* Adds what the fields in 'wc' presuppose, as a datapath flow key needs
 * it: L3 fields the Ethernet type, L4 fields also the IP protocol and the
 * fragment bits, ND fields also the ICMPv6 type, MPLS and NSH fields the
 * Ethernet type.  A megaflow then says what it matches ("ipv4(dst=...)"
 * is about IPv4 packets only) at the cost of splitting, say, ARP from IP
 * where the tables did not. */
void flow_wc_add_prereqs(struct flow_wildcards *wc);

/* Whether 'a' and 'b' agree on every bit of 'wc'. */
bool flow_wc_equal_under(const struct flow_wildcards *wc,
                         const struct flow *a, const struct flow *b);

#endif
