/* ofp-prop: OpenFlow 1.4-style properties (TLVs) as Nicira messages and
 * actions use them.
 *
 * A property is a 16-bit type, a 16-bit length (header included, padding
 * not) and a value, padded with zeros to a multiple of 8 bytes.  Values
 * that need 8-byte alignment (64-bit numbers, nested properties, action
 * lists) start after 4 bytes of padding, so they sit 8 bytes into the
 * property; ofpprop_put_aligned() and ofpprop_value_aligned() deal with
 * that.
 *
 * What it does not do: experimenter properties (type 0xffff with an
 * experimenter id); no user needs them yet. */
#ifndef XVS_OFP_PROP_H
#define XVS_OFP_PROP_H 1

#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"

struct ofpbuf;

/* Building: ofpprop_start(), the value, ofpprop_end(). */
size_t ofpprop_start(struct ofpbuf *, uint16_t type);
void ofpprop_end(struct ofpbuf *, size_t start);
void ofpprop_put(struct ofpbuf *, uint16_t type, const void *, size_t);
void ofpprop_put_u8(struct ofpbuf *, uint16_t type, uint8_t);
/* The value and 2 bytes of padding, in the length as Open vSwitch has
 * it; ofpprop_parse_be16() takes either length. */
void ofpprop_put_be16(struct ofpbuf *, uint16_t type, uint16_t host);
void ofpprop_put_be32(struct ofpbuf *, uint16_t type, uint32_t host);
/* 4 bytes of padding, then the 64-bit value. */
void ofpprop_put_be64(struct ofpbuf *, uint16_t type, uint64_t host);
/* Starts a property whose value is 8-byte aligned (after 4 zero bytes);
 * end it with ofpprop_end(). */
size_t ofpprop_start_aligned(struct ofpbuf *, uint16_t type);

/* Walking a property list: '*p' and '*len' advance past each property.
 * Returns 0 with 'type', 'value' and 'vlen' set, or OFPBPC_BAD_LEN. */
enum ofperr ofpprop_pull(const uint8_t **p, size_t *len, uint16_t *type,
                         const uint8_t **value, size_t *vlen);
/* Checks a value's size: 0 if it is 'want' bytes, else OFPBPC_BAD_LEN. */
enum ofperr ofpprop_check_len(size_t vlen, size_t want);
enum ofperr ofpprop_parse_be16(const uint8_t *value, size_t vlen,
                               uint16_t *host);
/* For an aligned value: skips the 4 bytes of padding (OFPBPC_BAD_LEN if
 * there are not). */
enum ofperr ofpprop_value_aligned(const uint8_t **value, size_t *vlen);

#endif
