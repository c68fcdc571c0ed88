/* ofp-port: OpenFlow port numbers and their names.
 *
 * Inside xvswitch every port number is 32 bits, as OpenFlow 1.1+ carries
 * them on the wire; OpenFlow 1.0's 16-bit numbers are converted at the
 * codec boundary (ofp_port_from_of10()/ofp_port_to_of10()), so no other
 * module ever sees a 16-bit reserved port.  The names are the ones
 * ovs-ofctl prints and accepts (LOCAL, IN_PORT, CONTROLLER, ...). */
#ifndef XVS_OFP_PORT_H
#define XVS_OFP_PORT_H 1

#include <stdbool.h>
#include <stdint.h>
#include "util.h"

#define OFPP_MAX        0xffffff00u  /* Highest ordinary port number. */
#define OFPP_UNSET      0xfffffff7u  /* Output port not set in action-set. */
#define OFPP_IN_PORT    0xfffffff8u
#define OFPP_TABLE      0xfffffff9u
#define OFPP_NORMAL     0xfffffffau
#define OFPP_FLOOD      0xfffffffbu
#define OFPP_ALL        0xfffffffcu
#define OFPP_CONTROLLER 0xfffffffdu
#define OFPP_LOCAL      0xfffffffeu
#define OFPP_ANY        0xffffffffu  /* "No port"; OF1.0 calls it NONE. */

#define OFPP10_MAX      0xff00u
#define OFPP10_NONE     0xffffu

/* The group wildcard for out_group fields. */
#define OFPG_ANY        0xffffffffu

uint32_t ofp_port_from_of10(uint16_t);
/* Ports above OFPP10_MAX that are not reserved have no OF1.0 form: they
 * map to OFPP10_NONE and the function returns false. */
bool ofp_port_to_of10(uint32_t, uint16_t *);

/* Appends "LOCAL", "IN_PORT", ... or the decimal number (or the port's
 * name, ofp-names.h). */
void ofp_port_format(uint32_t port, struct ds *);
/* Parses a reserved name (case-insensitive as ovs-ofctl does) or a number
 * in [0, OFPP_MAX] or a raw 32-bit reserved value (or a port's name,
 * ofp-names.h).  False on junk. */
bool ofp_port_from_string(const char *, uint32_t *);
/* Name of a reserved port, or NULL. */
const char *ofp_port_name(uint32_t port);

#endif
