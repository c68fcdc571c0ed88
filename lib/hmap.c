#include <config.h>
#include "hmap.h"
#include <stdlib.h>
#include <string.h>

/* Buckets double when the load passes 2 per bucket.  Removal never shrinks
 * the table, so HMAP_FOR_EACH_SAFE stays valid while it removes. */

void
hmap_init(struct hmap *h)
{
    h->buckets = NULL;
    h->mask = 0;
    h->n = 0;
}

void
hmap_destroy(struct hmap *h)
{
    free(h->buckets);
    hmap_init(h);
}

void
hmap_clear(struct hmap *h)
{
    if (h->buckets) {
        memset(h->buckets, 0, (h->mask + 1) * sizeof *h->buckets);
    }
    h->n = 0;
}

static void
hmap_resize(struct hmap *h, size_t n_buckets)
{
    struct hmap_node **nb = xcalloc(n_buckets, sizeof *nb);
    for (size_t i = 0; h->buckets && i <= h->mask; i++) {
        struct hmap_node *node, *next;
        for (node = h->buckets[i]; node; node = next) {
            next = node->next;
            struct hmap_node **b = &nb[node->hash & (n_buckets - 1)];
            node->next = *b;
            *b = node;
        }
    }
    free(h->buckets);
    h->buckets = nb;
    h->mask = n_buckets - 1;
}

void
hmap_insert(struct hmap *h, struct hmap_node *node, uint32_t hash)
{
    if (!h->buckets) {
        hmap_resize(h, 8);
    } else if (h->n >= 2 * (h->mask + 1)) {
        hmap_resize(h, 2 * (h->mask + 1));
    }
    struct hmap_node **b = &h->buckets[hash & h->mask];
    node->hash = hash;
    node->next = *b;
    *b = node;
    h->n++;
}

void
hmap_remove(struct hmap *h, struct hmap_node *node)
{
    struct hmap_node **p = &h->buckets[node->hash & h->mask];
    while (*p != node) {
        p = &(*p)->next;
    }
    *p = node->next;
    h->n--;
}

static struct hmap_node *
hmap_next_from(const struct hmap *h, size_t start)
{
    for (size_t i = start; h->buckets && i <= h->mask; i++) {
        if (h->buckets[i]) {
            return h->buckets[i];
        }
    }
    return NULL;
}

struct hmap_node *
hmap_first(const struct hmap *h)
{
    return hmap_next_from(h, 0);
}

struct hmap_node *
hmap_next(const struct hmap *h, const struct hmap_node *node)
{
    return node->next ? node->next
                      : hmap_next_from(h, (node->hash & h->mask) + 1);
}

struct hmap_node *
hmap_first_with_hash(const struct hmap *h, uint32_t hash)
{
    struct hmap_node *node = h->buckets ? h->buckets[hash & h->mask] : NULL;
    while (node && node->hash != hash) {
        node = node->next;
    }
    return node;
}

struct hmap_node *
hmap_next_with_hash(const struct hmap_node *node)
{
    uint32_t hash = node->hash;
    for (node = node->next; node && node->hash != hash; node = node->next) {
        continue;
    }
    return (struct hmap_node *) node;
}
