/* ofp-prop: property lists (see ofp-prop.h). */
#include <config.h>
#include "ofp-prop.h"

#include "ofpbuf.h"

size_t
ofpprop_start(struct ofpbuf *b, uint16_t type)
{
    size_t start = b->size;
    ofpbuf_put_be16(b, type);
    ofpbuf_put_be16(b, 0);
    return start;
}

void
ofpprop_end(struct ofpbuf *b, size_t start)
{
    size_t len = b->size - start;
    ofpbuf_set_be16(b, start + 2, len);
    ofpbuf_put_zeros(b, (8 - len % 8) % 8);
}

void
ofpprop_put(struct ofpbuf *b, uint16_t type, const void *value, size_t n)
{
    size_t start = ofpprop_start(b, type);
    if (n) {
        ofpbuf_put(b, value, n);
    }
    ofpprop_end(b, start);
}

void
ofpprop_put_u8(struct ofpbuf *b, uint16_t type, uint8_t value)
{
    ofpprop_put(b, type, &value, 1);
}

void
ofpprop_put_be16(struct ofpbuf *b, uint16_t type, uint16_t host)
{
    /* Open vSwitch counts two bytes of padding in a 16-bit value. */
    size_t start = ofpprop_start(b, type);
    ofpbuf_put_be16(b, host);
    ofpbuf_put_zeros(b, 2);
    ofpprop_end(b, start);
}

void
ofpprop_put_be32(struct ofpbuf *b, uint16_t type, uint32_t host)
{
    size_t start = ofpprop_start(b, type);
    ofpbuf_put_be32(b, host);
    ofpprop_end(b, start);
}

size_t
ofpprop_start_aligned(struct ofpbuf *b, uint16_t type)
{
    size_t start = ofpprop_start(b, type);
    ofpbuf_put_zeros(b, 4);
    return start;
}

void
ofpprop_put_be64(struct ofpbuf *b, uint16_t type, uint64_t host)
{
    size_t start = ofpprop_start_aligned(b, type);
    ofpbuf_put_be64(b, host);
    ofpprop_end(b, start);
}

enum ofperr
ofpprop_pull(const uint8_t **p, size_t *len, uint16_t *type,
             const uint8_t **value, size_t *vlen)
{
    if (*len < 4) {
        return OFPERR_OFPBPC_BAD_LEN;
    }
    uint16_t plen = get_be16(*p + 2);
    if (plen < 4 || plen > *len) {
        return OFPERR_OFPBPC_BAD_LEN;
    }
    /* The last property's padding may be cut off by the message end. */
    size_t padded = (plen + 7u) / 8 * 8;
    padded = padded < *len ? padded : *len;
    *type = get_be16(*p);
    *value = *p + 4;
    *vlen = plen - 4;
    *p += padded;
    *len -= padded;
    return 0;
}

enum ofperr
ofpprop_check_len(size_t vlen, size_t want)
{
    return vlen == want ? 0 : OFPERR_OFPBPC_BAD_LEN;
}

enum ofperr
ofpprop_parse_be16(const uint8_t *value, size_t vlen, uint16_t *host)
{
    if (vlen != 2 && vlen != 4) {
        return OFPERR_OFPBPC_BAD_LEN;
    }
    *host = get_be16(value);
    return 0;
}

enum ofperr
ofpprop_value_aligned(const uint8_t **value, size_t *vlen)
{
    if (*vlen < 4) {
        return OFPERR_OFPBPC_BAD_LEN;
    }
    *value += 4;
    *vlen -= 4;
    return 0;
}
