/* nx-select: Nicira actions that pick one of several links by a hash of
 * the flow — multipath, bundle and bundle_load.
 *
 * multipath(FIELDS,BASIS,ALGORITHM,N_LINKS,ARG,DST) (NXAST_MULTIPATH, 10)
 * hashes FIELDS with BASIS, maps the hash to a link number 0..N_LINKS-1
 * with ALGORITHM (modulo_n, hash_threshold, hrw, iter_hash; ARG is
 * iter_hash's iteration limit) and stores it in the subfield DST.
 *
 * bundle(FIELDS,BASIS,ALGORITHM,ofport,members:P1,P2,...)
 * (NXAST_BUNDLE, 12) outputs to one live member port: with hrw the one
 * whose hash with the flow's is highest, with active_backup the first
 * live one.  bundle_load(...,DST,members:...) (NXAST_BUNDLE_LOAD, 13)
 * stores that port in DST instead (0xffff if no member is live).
 * "slaves:" is accepted for "members:".
 *
 * FIELDS is eth_src, symmetric_l4, symmetric_l3l4, symmetric_l3l4+udp,
 * nw_src, nw_dst or symmetric_l3; the symmetric ones hash both
 * directions of a connection alike.  Text and wire forms are Open
 * vSwitch's; the hash function is xvswitch's own, so the link a given
 * flow lands on differs from Open vSwitch's (the spread does not).
 * A bundle holds at most NX_BUNDLE_MAX_MEMBERS members. */
#ifndef XVS_NX_SELECT_H
#define XVS_NX_SELECT_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"

struct ds;
struct flow;
struct ofpact;
struct ofpacts;
struct ofpbuf;

#define NXAST_MULTIPATH 10
#define NXAST_BUNDLE 12
#define NXAST_BUNDLE_LOAD 13
#define NX_BUNDLE_MAX_MEMBERS 16

char *nx_parse_multipath(const char *arg, struct ofpacts *);
char *nx_parse_bundle(const char *arg, struct ofpacts *);
char *nx_parse_bundle_load(const char *arg, struct ofpacts *);
void nx_format_multipath(const struct ofpact *, struct ds *);
void nx_format_bundle(const struct ofpact *, struct ds *);

/* 'p' is the whole NX action (subtypes 10, 12, 13). */
enum ofperr nx_select_decode(uint16_t subtype, const uint8_t *p, size_t len,
                             struct ofpacts *);
void nx_select_encode(const struct ofpact *, struct ofpbuf *);

/* Execution: the link multipath picks for 'flow'; the member port bundle
 * picks (OFPP_ANY if no member passes 'is_live'). */
uint16_t nx_multipath_link(const struct ofpact *, const struct flow *);
uint32_t nx_bundle_member(const struct ofpact *, const struct flow *,
                          bool (*is_live)(uint32_t ofp_port, void *aux),
                          void *aux);

#endif
