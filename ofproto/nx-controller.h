/* nx-controller: the "controller" action with every option.
 *
 * controller(reason=R,max_len=N,id=I,userdata=HH.HH...,pause,meter_id=M)
 * sends the packet to the controllers as a packet-in: 'reason' (default
 * action), at most 'max_len' bytes of it (default all), only to the
 * connections whose NXT_SET_CONTROLLER_ID is 'id' (default 0), carrying
 * 'userdata' in NXT_PACKET_IN2; 'pause' stops the translation there and
 * hands the controller a continuation to send back in NXT_RESUME
 * (continuation.h); 'meter_id' names the meter its packet-ins go through
 * instead of the "controller" meter (xlate.c).
 *
 * As Open vSwitch does, the text form with nothing but max_len parses to
 * a plain output to CONTROLLER ("CONTROLLER:N"); on the wire the action
 * is NXAST_CONTROLLER (20) unless it has userdata, pause or a meter,
 * which need NXAST_CONTROLLER2 (37) and its properties.
 *
 * The userdata can be any length: it follows the action in the ofpacts
 * array as OFPACT_CONTROLLER_DATA entries of NX_CONTROLLER_CHUNK bytes
 * ('n_nested' counts them), so the array stays flat. */
#ifndef XVS_NX_CONTROLLER_H
#define XVS_NX_CONTROLLER_H 1

#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"

struct ds;
struct ofpact;
struct ofpacts;
struct ofpbuf;

#define NXAST_CONTROLLER 20
#define NXAST_CONTROLLER2 37

#define NX_CTLR_NO_METER UINT32_MAX
#define NX_CONTROLLER_CHUNK 40

char *nx_parse_controller(const char *arg, struct ofpacts *);
void nx_format_controller(const struct ofpact *, struct ds *);

/* 'p' is the whole NX action (subtype 20 or 37). */
enum ofperr nx_controller_decode(uint16_t subtype, const uint8_t *p,
                                 size_t len, struct ofpacts *);
void nx_controller_encode(const struct ofpact *, struct ofpbuf *);

/* Copies the userdata of OFPACT_CONTROLLER 'a' (userdata_len bytes). */
void nx_controller_get_userdata(const struct ofpact *a, uint8_t *dst);

#endif
