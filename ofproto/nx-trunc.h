/* nx-trunc: truncated output, output(port=PORT,max_len=N).
 *
 * Mirroring and sampling ports rarely need whole packets; Open vSwitch's
 * NXAST_OUTPUT_TRUNC (Nicira subtype 39) outputs a copy cut to at most N
 * bytes, leaving the packet whole for the actions after it.  Only a real
 * port, in_port or local can take it (flood, all, normal, controller and
 * table cannot: the controller has its own max_len), and N must cover
 * at least an Ethernet header (14 bytes), as in ovs-ofctl.
 *
 * The datapath does the cut: xlate emits trunc(N) right before the one
 * output it applies to (datapath/dpif.h, DP_ACTION_TRUNC).  The port's
 * transmit counters count the bytes sent, not the packet's full size. */
#ifndef XVS_NX_TRUNC_H
#define XVS_NX_TRUNC_H 1

#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"

struct ds;
struct ofpact;
struct ofpacts;
struct ofpbuf;

#define NXAST_OUTPUT_TRUNC 39
#define NX_TRUNC_MIN_LEN 14

/* "port=PORT,max_len=N" in either order (the argument of output(...)). */
char *nx_trunc_parse(const char *arg, struct ofpacts *);
void nx_trunc_format(const struct ofpact *, struct ds *);
/* 'p' is the whole NX action, 'len' bytes. */
enum ofperr nx_trunc_decode(const uint8_t *p, size_t len, struct ofpacts *);
void nx_trunc_encode(const struct ofpact *, struct ofpbuf *);

#endif
