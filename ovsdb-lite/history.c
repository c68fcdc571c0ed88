#include <config.h>
#include "history.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "hmap.h"
#include "list.h"
#include "util.h"

struct history_txn {
    struct xvs_list node;       /* In history's 'txns', oldest first. */
    char id[UUID_LEN + 1];
    struct txn_change *changes; /* Rows are copies owned here. */
    size_t n;
};

struct history {
    struct xvs_list txns;
    size_t n_txns, n_rows;
    size_t max_txns, max_rows;
    char base_id[UUID_LEN + 1]; /* Before the oldest recorded one. */
};

struct history *
history_create(const char *base_id, size_t max_txns, size_t max_rows)
{
    struct history *h = xzalloc(sizeof *h);
    xvs_list_init(&h->txns);
    h->max_txns = max_txns;
    h->max_rows = max_rows;
    snprintf(h->base_id, sizeof h->base_id, "%s", base_id);
    return h;
}

static void
history_txn_destroy(struct history_txn *ht)
{
    for (size_t i = 0; i < ht->n; i++) {
        db_row_destroy((struct db_row *) ht->changes[i].old);
        db_row_destroy((struct db_row *) ht->changes[i].new);
    }
    free(ht->changes);
    free(ht);
}

/* Forgets the oldest transaction; its id becomes the base. */
static void
history_drop_oldest(struct history *h)
{
    struct history_txn *ht = CONTAINER_OF(xvs_list_pop_front(&h->txns),
                                          struct history_txn, node);
    memcpy(h->base_id, ht->id, sizeof h->base_id);
    h->n_txns--;
    h->n_rows -= ht->n;
    history_txn_destroy(ht);
}

void
history_destroy(struct history *h)
{
    if (h) {
        while (h->n_txns) {
            history_drop_oldest(h);
        }
        free(h);
    }
}

void
history_add(struct history *h, const char *txn_id,
            const struct txn_change *changes, size_t n)
{
    struct history_txn *ht = xzalloc(sizeof *ht);
    snprintf(ht->id, sizeof ht->id, "%s", txn_id);
    ht->changes = xcalloc(n + 1, sizeof *ht->changes);
    ht->n = n;
    for (size_t i = 0; i < n; i++) {
        ht->changes[i].table = changes[i].table;
        ht->changes[i].old = (changes[i].old
                              ? db_row_clone(changes[i].old) : NULL);
        ht->changes[i].new = (changes[i].new
                              ? db_row_clone(changes[i].new) : NULL);
    }
    xvs_list_push_back(&h->txns, &ht->node);
    h->n_txns++;
    h->n_rows += n;
    while (h->n_txns > h->max_txns
           || (h->n_txns > 1 && h->n_rows > h->max_rows)) {
        history_drop_oldest(h);
    }
    if (h->n_rows > h->max_rows) {
        /* One transaction larger than the whole budget: keep only its
         * id, so that a client that saw it still needs nothing. */
        history_drop_oldest(h);
    }
}

void
history_set_base(struct history *h, const char *base_id)
{
    if (!h->n_txns) {
        snprintf(h->base_id, sizeof h->base_id, "%s", base_id);
    }
}

const char *
history_last_id(const struct history *h)
{
    if (xvs_list_is_empty(&h->txns)) {
        return h->base_id;
    }
    const struct history_txn *last = CONTAINER_OF(h->txns.prev,
                                                  struct history_txn, node);
    return last->id;
}

struct composed_row {
    struct hmap_node node;
    struct uuid uuid;
    struct txn_change change;
};

static const struct uuid *
change_uuid(const struct txn_change *c)
{
    return db_row_uuid(c->new ? c->new : c->old);
}

bool
history_changes_since(const struct history *h, const char *since,
                      struct txn_change **changesp, size_t *np)
{
    *changesp = NULL;
    *np = 0;
    /* All zeros is what a client with no data sends (and the id of a new
     * database): it gets the full contents, as from ovsdb-server. */
    struct uuid since_uuid;
    if (uuid_from_string(&since_uuid, since) && uuid_is_zero(&since_uuid)) {
        return false;
    }
    /* The transactions after 'since': all of them if it is the base. */
    const struct xvs_list *start = NULL;
    if (!strcmp(since, h->base_id)) {
        start = &h->txns;
    } else {
        const struct history_txn *ht;
        XVS_LIST_FOR_EACH (ht, node, &h->txns) {
            if (!strcmp(since, ht->id)) {
                start = &ht->node;
                break;
            }
        }
        if (!start) {
            return false;
        }
    }

    struct hmap rows;
    hmap_init(&rows);
    size_t n = 0;
    for (const struct xvs_list *node = start->next; node != &h->txns;
         node = node->next) {
        const struct history_txn *ht = CONTAINER_OF(node, struct history_txn,
                                                    node);
        for (size_t i = 0; i < ht->n; i++) {
            const struct txn_change *c = &ht->changes[i];
            const struct uuid *uuid = change_uuid(c);
            uint32_t hash = uuid_hash(uuid);
            struct composed_row *cr;
            bool found = false;
            HMAP_FOR_EACH_WITH_HASH (cr, node, hash, &rows) {
                if (cr->change.table == c->table
                    && uuid_equals(&cr->uuid, uuid)) {
                    cr->change.new = c->new;
                    found = true;
                    break;
                }
            }
            if (!found) {
                cr = xmalloc(sizeof *cr);
                cr->uuid = *uuid;
                cr->change = *c;
                hmap_insert(&rows, &cr->node, hash);
                n++;
            }
        }
    }

    struct txn_change *changes = xcalloc(n + 1, sizeof *changes);
    size_t k = 0;
    struct composed_row *cr, *next;
    HMAP_FOR_EACH_SAFE (cr, next, node, &rows) {
        if (cr->change.old || cr->change.new) {
            changes[k++] = cr->change;
        }
        hmap_remove(&rows, &cr->node);
        free(cr);
    }
    hmap_destroy(&rows);
    *changesp = changes;
    *np = k;
    return true;
}
