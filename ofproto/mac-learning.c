#include <config.h>
#include "mac-learning.h"

#include <stdlib.h>
#include <string.h>
#include "coverage.h"
#include "ofp-port.h"
#include "packets.h"

COVERAGE_DEFINE(mac_learning_learned);
COVERAGE_DEFINE(mac_learning_moved);
COVERAGE_DEFINE(mac_learning_expired);
COVERAGE_DEFINE(mac_learning_evicted);

struct mac_learning *
mac_learning_create(int max_age)
{
    struct mac_learning *ml = xzalloc(sizeof *ml);
    hmap_init(&ml->table);
    ml->max_age = max_age > 0 ? max_age : MAC_DEFAULT_MAX_AGE;
    ml->max_entries = MAC_DEFAULT_MAX_ENTRIES;
    return ml;
}

void
mac_learning_destroy(struct mac_learning *ml)
{
    if (ml) {
        mac_learning_flush(ml);
        hmap_destroy(&ml->table);
        free(ml);
    }
}

static uint32_t
mac_hash(const struct eth_addr *mac, uint16_t vlan)
{
    return hash_bytes(mac->ea, sizeof mac->ea, vlan);
}

static bool
mac_entry_expired(const struct mac_learning *ml, const struct mac_entry *e,
                  long long int now)
{
    return now - e->used >= (long long int) ml->max_age * 1000;
}

static struct mac_entry *
mac_find(struct mac_learning *ml, const struct eth_addr *mac, uint16_t vlan)
{
    struct mac_entry *e;
    HMAP_FOR_EACH_WITH_HASH (e, node, mac_hash(mac, vlan), &ml->table) {
        if (e->vlan == vlan && eth_addr_equals(&e->mac, mac)) {
            return e;
        }
    }
    return NULL;
}

static void
mac_entry_remove(struct mac_learning *ml, struct mac_entry *e)
{
    hmap_remove(&ml->table, &e->node);
    free(e);
}

/* Frees room for one entry by evicting the least recently used one. */
static void
mac_evict_oldest(struct mac_learning *ml)
{
    struct mac_entry *e, *oldest = NULL;
    HMAP_FOR_EACH (e, node, &ml->table) {
        if (!oldest || e->used < oldest->used) {
            oldest = e;
        }
    }
    if (oldest) {
        COVERAGE_INC(mac_learning_evicted);
        mac_entry_remove(ml, oldest);
    }
}

bool
mac_learning_learn(struct mac_learning *ml, const struct eth_addr *mac,
                   uint16_t vlan, uint32_t port)
{
    if (eth_addr_is_multicast(mac)) {
        return false;
    }
    struct mac_entry *e = mac_find(ml, mac, vlan);
    if (e) {
        bool moved = e->port != port;
        if (moved) {
            COVERAGE_INC(mac_learning_moved);
        }
        e->port = port;
        e->used = time_msec();
        return moved;
    }
    if (hmap_count(&ml->table) >= ml->max_entries) {
        mac_learning_expire(ml);
        if (hmap_count(&ml->table) >= ml->max_entries) {
            mac_evict_oldest(ml);
        }
    }
    COVERAGE_INC(mac_learning_learned);
    e = xzalloc(sizeof *e);
    e->mac = *mac;
    e->vlan = vlan;
    e->port = port;
    e->used = time_msec();
    hmap_insert(&ml->table, &e->node, mac_hash(mac, vlan));
    return true;
}

bool
mac_learning_lookup(struct mac_learning *ml, const struct eth_addr *mac,
                    uint16_t vlan, uint32_t *port)
{
    struct mac_entry *e = mac_find(ml, mac, vlan);
    if (!e) {
        return false;
    }
    if (mac_entry_expired(ml, e, time_msec())) {
        COVERAGE_INC(mac_learning_expired);
        mac_entry_remove(ml, e);
        return false;
    }
    *port = e->port;
    return true;
}

void
mac_learning_flush_port(struct mac_learning *ml, uint32_t port)
{
    struct mac_entry *e, *next;
    HMAP_FOR_EACH_SAFE (e, next, node, &ml->table) {
        if (e->port == port) {
            mac_entry_remove(ml, e);
        }
    }
}

void
mac_learning_flush(struct mac_learning *ml)
{
    struct mac_entry *e, *next;
    HMAP_FOR_EACH_SAFE (e, next, node, &ml->table) {
        mac_entry_remove(ml, e);
    }
}

size_t
mac_learning_expire(struct mac_learning *ml)
{
    long long int now = time_msec();
    struct mac_entry *e, *next;
    size_t n = 0;
    HMAP_FOR_EACH_SAFE (e, next, node, &ml->table) {
        if (mac_entry_expired(ml, e, now)) {
            COVERAGE_INC(mac_learning_expired);
            mac_entry_remove(ml, e);
            n++;
        }
    }
    return n;
}

static int
mac_entry_cmp(const void *a_, const void *b_)
{
    const struct mac_entry *a = *(const struct mac_entry *const *) a_;
    const struct mac_entry *b = *(const struct mac_entry *const *) b_;
    if (a->port != b->port) {
        return a->port < b->port ? -1 : 1;
    }
    if (a->vlan != b->vlan) {
        return a->vlan < b->vlan ? -1 : 1;
    }
    return memcmp(a->mac.ea, b->mac.ea, sizeof a->mac.ea);
}

void
mac_learning_format(struct mac_learning *ml, struct ds *out)
{
    mac_learning_expire(ml);

    /* Sorted so that the output is stable for scripts and tests. */
    size_t n = hmap_count(&ml->table), i = 0;
    struct mac_entry **entries = xcalloc(n ? n : 1, sizeof *entries);
    struct mac_entry *e;
    HMAP_FOR_EACH (e, node, &ml->table) {
        entries[i++] = e;
    }
    qsort(entries, n, sizeof *entries, mac_entry_cmp);

    long long int now = time_msec();
    ds_put_cstr(out, " port  VLAN  MAC                Age\n");
    for (i = 0; i < n; i++) {
        struct ds port = DS_EMPTY_INITIALIZER;
        e = entries[i];
        ofp_port_format(e->port, &port);
        ds_put_format(out, "%5s  %4d  "ETH_ADDR_FMT"  %3lld\n",
                      ds_cstr(&port), e->vlan, ETH_ADDR_ARGS(e->mac),
                      (now - e->used) / 1000);
        ds_destroy(&port);
    }
    free(entries);
}
