/* nx-ct: the connection-tracking actions.
 *
 * Open vSwitch's conntrack actions are Nicira extensions: ct(...)
 * (NXAST_CT, 35) sends the packet through the connection tracker and
 * fills the ct_* fields, and ct_clear (NXAST_CT_CLEAR, 43) forgets what
 * the tracker said, so that a packet that already went through one
 * zone can be tracked again, as OVN does between its logical pipelines.
 *
 * The switch has no connection tracker yet, so this module has only
 * ct_clear: it zeroes every ct_* field of the working flow (ct_state,
 * ct_zone, ct_mark, ct_label and the original-direction tuple).  Packets
 * carry zeros there today anyway; what ct_clear changes is what later
 * tables see after a set_field or move into ct_mark or ct_label. */
#ifndef XVS_NX_CT_H
#define XVS_NX_CT_H 1

#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"

struct ds;
struct flow;
struct ofpact;
struct ofpacts;
struct ofpbuf;

#define NXAST_CT_CLEAR 43

char *nx_ct_parse_clear(const char *arg, struct ofpacts *);
void nx_ct_format(const struct ofpact *, struct ds *);
/* 'p' is the whole NX action, 'len' bytes. */
enum ofperr nx_ct_decode(const uint8_t *p, size_t len, struct ofpacts *);
void nx_ct_encode(const struct ofpact *, struct ofpbuf *);

/* What ct_clear does to the working flow. */
void nx_ct_clear_flow(struct flow *);

#endif
