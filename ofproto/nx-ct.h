/* nx-ct: the connection-tracking actions, as text and on the wire.
 *
 * Open vSwitch's conntrack actions are Nicira extensions:
 *
 *   ct(commit,force,table=N,zone=N|zone=SUBFIELD,nat(...),exec(...),alg=P)
 *     NXAST_CT (35): sends the packet through the connection tracker
 *     (datapath/conntrack.h) and fills the ct_* fields.  On the wire the
 *     fixed part (flags, the zone as an immediate or a 16-bit subfield,
 *     the table to continue in, 0xff for none, and the ALG's port) is
 *     followed by a nested action list; in text that list is "nat(...)"
 *     when it starts with a NAT action and "exec(...)" for the rest,
 *     printed in that order after commit, force, table and zone, and
 *     before alg, as ovs-ofctl prints them.  exec may only set ct_mark
 *     and ct_label (set_field, load, move) and hold nat.
 *   nat, nat(src|dst[=ADDR[-ADDR][:PORT[-PORT]]][,persistent][,hash|
 *     random]) is NXAST_NAT (36), valid only inside ct: the flags, a
 *     bitmap of which range bounds follow, and the bounds.
 *   ct_clear (NXAST_CT_CLEAR, 43) forgets what the tracker said, so
 *     that a packet that already went through one zone can be tracked
 *     again, as OVN does between its logical pipelines.
 *
 * ct requires an IPv4 or IPv6 match (OFPBAC_MATCH_INCONSISTENT
 * otherwise), alg=ftp TCP and alg=tftp UDP.  Without commit only a bare
 * nat may be in the list (OFPBAC_BAD_ARGUMENT).  The switch runs ct
 * (ofproto/xlate.c) with its nat, which the tracker carries out
 * (datapath/conntrack.h says how); nat in a ct's exec(...) list after
 * the first action, which ovs-ofctl accepts, does nothing more: the
 * first nat is the ct's. */
#ifndef XVS_NX_CT_H
#define XVS_NX_CT_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"

struct conntrack_nat;
struct ds;
struct flow;
struct match;
struct ofpact;
struct ofpacts;
struct ofpbuf;

#define NXAST_CT 35
#define NXAST_NAT 36
#define NXAST_CT_CLEAR 43

#define NX_CT_F_COMMIT (1 << 0)
#define NX_CT_F_FORCE (1 << 1)
#define NX_CT_RECIRC_NONE 0xff

#define NX_NAT_F_SRC (1 << 0)
#define NX_NAT_F_DST (1 << 1)
#define NX_NAT_F_PERSISTENT (1 << 2)
#define NX_NAT_F_PROTO_HASH (1 << 3)
#define NX_NAT_F_PROTO_RANDOM (1 << 4)

/* The ALGs ct knows by name (well-known ports). */
#define NX_CT_ALG_FTP 21
#define NX_CT_ALG_TFTP 69

char *nx_ct_parse(const char *arg, struct ofpacts *);
char *nx_ct_parse_nat(const char *arg, struct ofpacts *);
char *nx_ct_parse_clear(const char *arg, struct ofpacts *);
/* Formats ct, nat and ct_clear. */
void nx_ct_format(const struct ofpact *, struct ds *);

/* 'p' is the whole NX action, 'len' bytes, of subtype NXAST_CT,
 * NXAST_NAT or NXAST_CT_CLEAR. */
enum ofperr nx_ct_decode(uint16_t subtype, const uint8_t *p, size_t len,
                         uint8_t version, struct ofpacts *);
void nx_ct_encode(const struct ofpact *, uint8_t version, struct ofpbuf *);

/* ct's match prerequisites (IP, and TCP or UDP for an ALG), given the
 * match the actions run under, and those of its nested actions. */
enum ofperr nx_ct_check(const struct ofpact *, const struct match *);

/* The nat of ct action 'ct' for the tracker; false if it has none. */
bool nx_ct_get_nat(const struct ofpact *ct, struct conntrack_nat *);

/* What ct_clear does to the working flow. */
void nx_ct_clear_flow(struct flow *);
/* The ct fields of 'saved' back into 'flow', which keeps the rest. */
void nx_ct_restore_fields(struct flow *flow, const struct flow *saved);

#endif
