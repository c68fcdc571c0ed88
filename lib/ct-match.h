/* ct-match: which connections a flush by tuple removes.
 *
 * NXT_CT_FLUSH (ofproto/ofp-ct.h) and "xvs-appctl dpctl/flush-conntrack"
 * name connections by a zone, an IP protocol and parts of their original
 * and reply tuples; the tracker (datapath/conntrack.h) removes those that
 * match.  A field that is zero matches anything, so ICMP type 0 cannot be
 * asked for alone, as in Open vSwitch.  This module has the filter and
 * its text form, as ovs-dpctl and ovs-ofctl write it: "ct_nw_src=A,
 * ct_nw_dst=B,ct_nw_proto=P,ct_tp_src=S,ct_tp_dst=D" (or ct_ipv6_src,
 * ct_ipv6_dst, and icmp_type, icmp_code, icmp_id for ICMP). */
#ifndef XVS_CT_MATCH_H
#define XVS_CT_MATCH_H 1

#include <netinet/in.h>
#include <stdint.h>

struct ds;

struct ct_match {
    int zone;                   /* < 0: every zone. */
    uint8_t proto;              /* 0: any. */
    struct ct_match_tuple {
        struct in6_addr src, dst;   /* IPv4 as ::ffff:a.b.c.d. */
        uint16_t sport, dport;      /* Network order. */
        uint16_t icmp_id;           /* Network order. */
        uint8_t icmp_type, icmp_code;
    } t[2];                     /* Original, reply. */
};

/* Reads a tuple into 't' (zeroed first) and the protocol, if it names
 * one, into '*proto'; NULL or a malloc'd error. */
char *ct_match_parse_tuple(const char *, struct ct_match_tuple *t,
                           uint8_t *proto);
/* Writes every field of 't', addresses as ct_nw_* if IPv4-mapped, ICMP
 * fields if 'proto' is ICMP or ICMPv6, ports otherwise. */
void ct_match_format_tuple(const struct ct_match_tuple *, uint8_t proto,
                           struct ds *);

#endif
