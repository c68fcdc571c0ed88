/* hmap: an intrusive hash map.  The caller computes the hash, embeds a
 * 'struct hmap_node' in its element and compares keys itself while
 * walking a bucket with HMAP_FOR_EACH_WITH_HASH.  The map grows and shrinks
 * on insert/remove; iteration order is unspecified. */
#ifndef XVS_HMAP_H
#define XVS_HMAP_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "util.h"

struct hmap_node {
    uint32_t hash;
    struct hmap_node *next;
};

struct hmap {
    struct hmap_node **buckets;
    size_t mask;        /* Number of buckets - 1 (a power of 2 minus 1). */
    size_t n;
};

#define HMAP_INITIALIZER { NULL, 0, 0 }

void hmap_init(struct hmap *);
void hmap_destroy(struct hmap *);   /* Frees the buckets, not the nodes. */
void hmap_clear(struct hmap *);     /* Forgets all nodes, keeps capacity. */
static inline size_t hmap_count(const struct hmap *h) { return h->n; }
static inline bool hmap_is_empty(const struct hmap *h) { return h->n == 0; }

void hmap_insert(struct hmap *, struct hmap_node *, uint32_t hash);
void hmap_remove(struct hmap *, struct hmap_node *);

/* Iteration helpers (use the macros below). */
struct hmap_node *hmap_first(const struct hmap *);
struct hmap_node *hmap_next(const struct hmap *, const struct hmap_node *);
struct hmap_node *hmap_first_with_hash(const struct hmap *, uint32_t hash);
struct hmap_node *hmap_next_with_hash(const struct hmap_node *);

#define HMAP_NODE_TO(NODE, ITER, MEMBER) \
    ((NODE) ? CONTAINER_OF(NODE, __typeof__(*ITER), MEMBER) : NULL)

#define HMAP_FOR_EACH_WITH_HASH(ITER, MEMBER, HASH, HMAP)                   \
    for (ITER = HMAP_NODE_TO(hmap_first_with_hash(HMAP, HASH), ITER, MEMBER); \
         ITER != NULL;                                                      \
         ITER = HMAP_NODE_TO(hmap_next_with_hash(&(ITER)->MEMBER), ITER, MEMBER))

#define HMAP_FOR_EACH(ITER, MEMBER, HMAP)                                   \
    for (ITER = HMAP_NODE_TO(hmap_first(HMAP), ITER, MEMBER);               \
         ITER != NULL;                                                      \
         ITER = HMAP_NODE_TO(hmap_next(HMAP, &(ITER)->MEMBER), ITER, MEMBER))

/* Safe against removal of ITER. */
#define HMAP_FOR_EACH_SAFE(ITER, NEXT, MEMBER, HMAP)                        \
    for (ITER = HMAP_NODE_TO(hmap_first(HMAP), ITER, MEMBER);               \
         ITER != NULL                                                       \
         && ((NEXT = HMAP_NODE_TO(hmap_next(HMAP, &(ITER)->MEMBER),         \
                                  ITER, MEMBER)), 1);                       \
         ITER = NEXT)

#endif
