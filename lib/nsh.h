/* nsh: the Network Service Header (RFC 8300) of a frame, to and from the
 * fields a flow matches ('struct flow_nsh', flow.h).
 *
 * An NSH header follows an Ethernet header with type 0x894f:
 *
 *   0                   1                   2                   3
 *   |Ver|O|U|    TTL    |   Length  |U|U|U|U|MD Type| Next Protocol |
 *   |          Service Path Identifier (SPI)        | Service Index |
 *   |                 context headers (MD type 1: four words)       |
 *
 * Length counts 4-byte words of the whole header.  nsh_parse() takes a
 * header only if it is well formed: version 0, MD type 1 with Length 6
 * (the four fixed context headers, which fill 'c') or MD type 2 with
 * Length at least 2, and Length within the frame.  For MD type 2 only the
 * base and service path headers are read: the variable-length metadata
 * TLVs after them are skipped whole (Length says how far), and 'c' stays
 * zero, as no field matches on them.  Anything else (a bad version, an
 * unknown MD type, a Length past the end of the frame) leaves the NSH
 * fields zero, so no rule on them matches.  Neither function reads or
 * writes beyond 'len' bytes.
 *
 * Not done yet: pushing or popping the header (encap(nsh)/decap()), and
 * MD type 2 TLVs as fields. */
#ifndef XVS_NSH_H
#define XVS_NSH_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "flow.h"

#define NSH_BASE_LEN 8          /* Base header and service path header. */
#define NSH_MDTYPE_1 1
#define NSH_MDTYPE_2 2
#define NSH_M1_LEN 24           /* The whole MD type 1 header. */

/* The next protocol values (RFC 8300 section 11.2.5). */
#define NSH_NP_IPV4 1
#define NSH_NP_IPV6 2
#define NSH_NP_ETHERNET 3
#define NSH_NP_NSH 4
#define NSH_NP_MPLS 5

/* Fills 'nsh' from the header at 'p', 'len' bytes from there to the end
 * of the frame.  Returns false, leaving 'nsh' zero, if it is not a well
 * formed NSH header. */
bool nsh_parse(const uint8_t *p, size_t len, struct flow_nsh *nsh);

/* Writes the writable fields of 'nsh' (flags, TTL, SPI, SI, and the
 * context headers of an MD type 1 header) into the header at 'p'; does
 * nothing to a header nsh_parse() would not take. */
void nsh_write(uint8_t *p, size_t len, const struct flow_nsh *nsh);

#endif
