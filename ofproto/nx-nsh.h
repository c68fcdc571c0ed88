/* nx-nsh: the NSH actions — so far dec_nsh_ttl — in text, on the wire,
 * and on the working flow of a translation.
 *
 * dec_nsh_ttl (Nicira subtype NXAST_DEC_NSH_TTL, 48, no argument; in
 * OpenFlow 1.1 and later only, as in Open vSwitch) decrements the TTL of the packet's NSH header
 * (lib/nsh.h).  As in Open vSwitch: at TTL 0 or 1 there is no decrement;
 * the packet goes to the controller with reason invalid_ttl and the
 * actions stop; on a packet without NSH the actions stop as well.  A flow
 * may carry it only if its match says NSH (dl_type=0x894f or
 * packet_type=(1,0x894f)), else OFPBAC_MATCH_INCONSISTENT.  The new TTL
 * reaches the packet with the other header rewrites, as
 * set(nsh(...)) before the next output (lib/packet-set.h).
 *
 * Not done yet: encap(nsh(...)) and decap() (NXAST_RAW_ENCAP 46,
 * NXAST_RAW_DECAP 47), which push and pop the header. */
#ifndef XVS_NX_NSH_H
#define XVS_NX_NSH_H 1

#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"

struct ds;
struct flow;
struct match;
struct ofpact;
struct ofpacts;
struct ofpbuf;

#define NXAST_DEC_NSH_TTL 48

/* ovs-ofctl ignores an argument to dec_nsh_ttl, so this does too. */
char *nx_nsh_parse_dec_ttl(const char *arg, struct ofpacts *);
void nx_nsh_format(const struct ofpact *, struct ds *);
/* 'p' is the whole NX action, 'len' bytes. */
enum ofperr nx_nsh_decode(const uint8_t *p, size_t len, struct ofpacts *);
void nx_nsh_encode(const struct ofpact *, struct ofpbuf *);
enum ofperr nx_nsh_check(const struct ofpact *, const struct match *);

enum nx_nsh_result {
    NX_NSH_DONE,
    NX_NSH_NOT_NSH,             /* Stop the actions. */
    NX_NSH_TTL_EXPIRED,         /* Packet-in invalid_ttl, then stop. */
};
enum nx_nsh_result nx_nsh_execute(const struct ofpact *, struct flow *);

#endif
