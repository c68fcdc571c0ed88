/* ofpbuf: a growable byte buffer for OpenFlow messages. */
#include <config.h>
#include "ofpbuf.h"

#include <stdlib.h>
#include <string.h>
#include "util.h"

void
ofpbuf_init(struct ofpbuf *b, size_t capacity)
{
    b->data = capacity ? xmalloc(capacity) : NULL;
    b->size = 0;
    b->allocated = capacity;
}

void
ofpbuf_uninit(struct ofpbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->size = b->allocated = 0;
}

struct ofpbuf *
ofpbuf_new(size_t capacity)
{
    struct ofpbuf *b = xmalloc(sizeof *b);
    ofpbuf_init(b, capacity);
    return b;
}

struct ofpbuf *
ofpbuf_clone_data(const void *data, size_t n)
{
    struct ofpbuf *b = ofpbuf_new(n);
    ofpbuf_put(b, data, n);
    return b;
}

void
ofpbuf_delete(struct ofpbuf *b)
{
    if (b) {
        ofpbuf_uninit(b);
        free(b);
    }
}

void
ofpbuf_clear(struct ofpbuf *b)
{
    b->size = 0;
}

void *
ofpbuf_put_uninit(struct ofpbuf *b, size_t n)
{
    if (b->size + n > b->allocated) {
        size_t want = XVS_MAX(b->size + n, b->allocated * 2);
        b->data = xrealloc(b->data, want ? want : 64);
        b->allocated = want ? want : 64;
    }
    void *p = b->data + b->size;
    b->size += n;
    return p;
}

void *
ofpbuf_put_zeros(struct ofpbuf *b, size_t n)
{
    void *p = ofpbuf_put_uninit(b, n);
    memset(p, 0, n);
    return p;
}

void *
ofpbuf_put(struct ofpbuf *b, const void *data, size_t n)
{
    void *p = ofpbuf_put_uninit(b, n);
    if (n) {
        memcpy(p, data, n);
    }
    return p;
}

void
ofpbuf_pad(struct ofpbuf *b, size_t align)
{
    size_t rem = b->size % align;
    if (rem) {
        ofpbuf_put_zeros(b, align - rem);
    }
}

void
ofpbuf_put_u8(struct ofpbuf *b, uint8_t x)
{
    ofpbuf_put(b, &x, 1);
}

void
ofpbuf_put_be16(struct ofpbuf *b, uint16_t x)
{
    uint8_t v[2] = { x >> 8, x };
    ofpbuf_put(b, v, 2);
}

void
ofpbuf_put_be32(struct ofpbuf *b, uint32_t x)
{
    uint8_t v[4] = { x >> 24, x >> 16, x >> 8, x };
    ofpbuf_put(b, v, 4);
}

void
ofpbuf_put_be64(struct ofpbuf *b, uint64_t x)
{
    ofpbuf_put_be32(b, x >> 32);
    ofpbuf_put_be32(b, x);
}

void
ofpbuf_set_be16(struct ofpbuf *b, size_t ofs, uint16_t x)
{
    b->data[ofs] = x >> 8;
    b->data[ofs + 1] = x;
}

void
ofpbuf_vec_push(struct ofpbuf_vec *v, struct ofpbuf *b)
{
    v->msgs = xrealloc(v->msgs, (v->n + 1) * sizeof *v->msgs);
    v->msgs[v->n++] = b;
}

void
ofpbuf_vec_destroy(struct ofpbuf_vec *v)
{
    for (size_t i = 0; i < v->n; i++) {
        ofpbuf_delete(v->msgs[i]);
    }
    free(v->msgs);
    v->msgs = NULL;
    v->n = 0;
}
