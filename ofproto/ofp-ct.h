/* ofp-ct: the Nicira messages that flush the connection tracker.
 *
 * NXT_CT_FLUSH_ZONE (subtype 29) names one zone: six bytes of padding
 * and the zone (ofp-nicira.c decodes it with ofp_decode_nx_u16()).
 * NXT_CT_FLUSH (subtype 32, Open vSwitch 3.1's "ovs-ofctl ct-flush")
 * has an IP protocol, seven bytes of padding and properties: the zone
 * (NXT_CT_ZONE_ID, every zone without it) and the original and reply
 * tuples (NXT_CT_ORIG_TUPLE, NXT_CT_REPLY_TUPLE), each an aligned list
 * of nested properties: source and destination as IPv6 addresses (IPv4
 * mapped to ::ffff:a.b.c.d), ports, ICMP identifier, type and code.
 * What is absent or zero matches anything (datapath/conntrack.h says
 * what a flush by tuple removes). */
#ifndef XVS_OFP_CT_H
#define XVS_OFP_CT_H 1

#include "ct-match.h"
#include "ofp-errors.h"

struct ds;
struct ofp_msg_info;

enum ofperr ofp_ct_decode_flush(const struct ofp_msg_info *,
                                struct ct_match *);
/* " zone=N 'ORIG' 'REPLY'", as ovs-ofctl prints it (zone=0 also for
 * every zone). */
void ofp_ct_print_flush(const struct ofp_msg_info *, struct ds *);

#endif
