/* ofpbuf: a growable byte buffer for building and holding OpenFlow
 * messages.
 *
 * Encoders append to an ofpbuf and patch lengths at the end, so they never
 * compute a message size twice.  'data' is always the start of the
 * message; 'size' bytes of it are valid. */
#ifndef XVS_OFPBUF_H
#define XVS_OFPBUF_H 1

#include <stddef.h>
#include <stdint.h>

struct ofpbuf {
    uint8_t *data;
    size_t size;
    size_t allocated;
};

#define OFPBUF_EMPTY_INITIALIZER { NULL, 0, 0 }

void ofpbuf_init(struct ofpbuf *, size_t capacity);
void ofpbuf_uninit(struct ofpbuf *);
struct ofpbuf *ofpbuf_new(size_t capacity);
struct ofpbuf *ofpbuf_clone_data(const void *, size_t);
void ofpbuf_delete(struct ofpbuf *);
void ofpbuf_clear(struct ofpbuf *);

/* Appends 'n' bytes (zeroed for _put_zeros, uninitialised for
 * _put_uninit) and returns a pointer to them.  Pointers into the buffer
 * are invalidated by the next append; keep offsets instead. */
void *ofpbuf_put_uninit(struct ofpbuf *, size_t n);
void *ofpbuf_put_zeros(struct ofpbuf *, size_t n);
void *ofpbuf_put(struct ofpbuf *, const void *, size_t n);
/* Pads with zeros to a multiple of 'align'. */
void ofpbuf_pad(struct ofpbuf *, size_t align);

/* Big-endian appends. */
void ofpbuf_put_u8(struct ofpbuf *, uint8_t);
void ofpbuf_put_be16(struct ofpbuf *, uint16_t host);
void ofpbuf_put_be32(struct ofpbuf *, uint32_t host);
void ofpbuf_put_be64(struct ofpbuf *, uint64_t host);
/* Overwrites a big-endian 16-bit value at 'ofs'. */
void ofpbuf_set_be16(struct ofpbuf *, size_t ofs, uint16_t host);

/* A list of messages, e.g. the parts of a multipart reply. */
struct ofpbuf_vec {
    struct ofpbuf **msgs;
    size_t n;
};
void ofpbuf_vec_push(struct ofpbuf_vec *, struct ofpbuf *);
void ofpbuf_vec_destroy(struct ofpbuf_vec *);

/* Big-endian reads from raw bytes (no alignment needed). */
static inline uint16_t get_be16(const void *p)
{
    const uint8_t *b = p;
    return (uint16_t) ((b[0] << 8) | b[1]);
}
static inline uint32_t get_be32(const void *p)
{
    const uint8_t *b = p;
    return ((uint32_t) b[0] << 24) | ((uint32_t) b[1] << 16)
           | ((uint32_t) b[2] << 8) | b[3];
}
static inline uint64_t get_be64(const void *p)
{
    const uint8_t *b = p;
    return ((uint64_t) get_be32(b) << 32) | get_be32(b + 4);
}

#endif
