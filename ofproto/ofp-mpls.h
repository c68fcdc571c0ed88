/* ofp-mpls: the MPLS actions — push_mpls, pop_mpls, set_mpls_label,
 * set_mpls_tc, set_mpls_ttl and dec_mpls_ttl — in text, on the wire, and
 * on the working flow of a translation.
 *
 * Wire forms, as Open vSwitch uses them: OpenFlow 1.1+ has push_mpls (19),
 * pop_mpls (20), set_mpls_ttl (15) and dec_mpls_ttl (16) as standard
 * actions, and OpenFlow 1.2+ writes the label and the traffic class with
 * set_field (so they read back as "set_field:5->mpls_label").  OpenFlow
 * 1.0 gets all six as Nicira actions: NXAST_PUSH_MPLS (23), POP_MPLS
 * (24), SET_MPLS_TTL (25), DEC_MPLS_TTL (26), SET_MPLS_LABEL (30) and
 * SET_MPLS_TC (31).
 *
 * On the flow ('struct flow' keeps the three outermost label stack
 * entries): push_mpls adds an entry, copying the current top entry with
 * bottom of stack clear or, on a packet that was not MPLS, with bottom of
 * stack set, label 2 (IPv6 explicit null) over IPv6 and 0 otherwise, TC
 * from the low 3 bits of the IP DSCP and TTL from the IP TTL (TC 0 and
 * TTL 64 if not IP); the L3 and L4 fields are cleared, since the payload
 * is now opaque.  pop_mpls removes the top entry and sets dl_type to its
 * argument.  The set and dec actions change the top entry; dec_mpls_ttl
 * that would reach 0 sends a packet-in with reason invalid_ttl and stops
 * the actions, as dec_ttl does.  All of them do nothing on a flow that is
 * not MPLS, as in Open vSwitch.
 *
 * On the packet (ofproto/xlate.c): push_mpls and pop_mpls become the
 * datapath actions push_mpls(label=..,tc=..,ttl=..,bos=..,eth_type=..) and
 * pop_mpls(eth_type=..) where they stand, after the rewrites made before
 * them; the entry pushed is the one computed here.  The set and dec
 * actions rewrite the outermost entry with the other header fields, as
 * set(mpls(...)) before the next output (lib/packet-set.h).
 *
 * After pop_mpls, Open vSwitch recirculates the packet so that the tables
 * after it see the payload's L3 and L4 fields.  Here the translation
 * instead parses the packet again in place: it applies the datapath
 * actions so far to a copy of the packet, extracts its flow and takes the
 * header fields from it, keeping the metadata (registers, in_port...) the
 * actions set.  That is the same packet a recirculation would parse, with
 * no second pass through the datapath.  A trace of a flow (no packet) has
 * no payload to parse: its L3 and L4 fields stay zero after the pop.
 *
 * What it does not do yet: the flow keeps three entries, so a fourth
 * pushed entry is on the packet but not in the flow until pops bring it
 * back with a packet to parse; there is no OpenFlow 1.1 form of
 * set_mpls_label/set_mpls_tc (the switch does not speak OpenFlow 1.1). */
#ifndef XVS_OFP_MPLS_H
#define XVS_OFP_MPLS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"

struct ds;
struct flow;
struct match;
struct ofpact;
struct ofpacts;
struct ofpbuf;

#define NXAST_PUSH_MPLS 23
#define NXAST_POP_MPLS 24
#define NXAST_SET_MPLS_TTL 25
#define NXAST_DEC_MPLS_TTL 26
#define NXAST_SET_MPLS_LABEL 30
#define NXAST_SET_MPLS_TC 31

#define OFPAT11_SET_MPLS_TTL 15
#define OFPAT11_DEC_MPLS_TTL 16
#define OFPAT11_PUSH_MPLS 19
#define OFPAT11_POP_MPLS 20

char *ofp_mpls_parse_push(const char *arg, struct ofpacts *);
char *ofp_mpls_parse_pop(const char *arg, struct ofpacts *);
char *ofp_mpls_parse_set_label(const char *arg, struct ofpacts *);
char *ofp_mpls_parse_set_tc(const char *arg, struct ofpacts *);
char *ofp_mpls_parse_set_ttl(const char *arg, struct ofpacts *);
char *ofp_mpls_parse_dec_ttl(const char *arg, struct ofpacts *);
void ofp_mpls_format(const struct ofpact *, struct ds *);

/* Decoders get the whole action: the Nicira subtypes above in any
 * version, the OpenFlow 1.1+ types in 1.1+. */
enum ofperr ofp_mpls_decode_nx(uint16_t subtype, const uint8_t *p,
                               size_t len, struct ofpacts *);
enum ofperr ofp_mpls_decode_of11(uint16_t type, const uint8_t *p, size_t len,
                                 struct ofpacts *);
/* Encodes 'a' for 'version'; set_mpls_label and set_mpls_tc go as the
 * set_field that ofp_mpls_to_set_field() makes in OpenFlow 1.2+, which
 * the caller writes. */
void ofp_mpls_encode(const struct ofpact *, uint8_t version,
                     struct ofpbuf *);
void ofp_mpls_to_set_field(const struct ofpact *, struct ofpact *set_field);

/* Checks 'a' against 'match' as the actions before it left it:
 * OFPBAC_MATCH_INCONSISTENT for pop_mpls and the set/dec actions where
 * the match is not MPLS.  push_mpls and pop_mpls set match's dl_type, for
 * the checks of the actions after them. */
enum ofperr ofp_mpls_check(const struct ofpact *, struct match *);

/* Whether 'dl_type' (network order) is one of the MPLS ethertypes. */
bool ofp_mpls_is_mpls(uint16_t dl_type);

/* What an MPLS action did to a flow. */
enum ofp_mpls_result {
    OFP_MPLS_DONE,
    OFP_MPLS_NOT_MPLS,          /* Not an MPLS flow: nothing done. */
    OFP_MPLS_TTL_EXPIRED,       /* dec_mpls_ttl at TTL 0 or 1. */
};
enum ofp_mpls_result ofp_mpls_execute(const struct ofpact *, struct flow *);

#endif
