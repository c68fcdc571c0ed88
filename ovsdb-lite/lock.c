/* lock: OVSDB's named locks (see lock.h). */
#include <config.h>
#include "lock.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "hmap.h"
#include "list.h"
#include "util.h"

struct lock {
    struct hmap_node node;      /* In 'locks', by name. */
    char *name;
    struct xvs_list waiters;    /* 'struct waiter's; the first owns it. */
};

struct waiter {
    struct xvs_list node;
    void *session;
};

static struct hmap locks = HMAP_INITIALIZER;

bool
lock_name_is_valid(const char *name)
{
    if (!name || !(isalpha((unsigned char) *name) || *name == '_')) {
        return false;
    }
    for (const char *p = name + 1; *p; p++) {
        if (!isalnum((unsigned char) *p) && *p != '_') {
            return false;
        }
    }
    return true;
}

static struct lock *
lock_find(const char *name)
{
    struct lock *l;
    HMAP_FOR_EACH_WITH_HASH (l, node, hash_string(name, 0), &locks) {
        if (!strcmp(l->name, name)) {
            return l;
        }
    }
    return NULL;
}

static struct waiter *
waiter_find(const struct lock *l, const void *session)
{
    struct waiter *w;
    XVS_LIST_FOR_EACH (w, node, &l->waiters) {
        if (w->session == session) {
            return w;
        }
    }
    return NULL;
}

static void *
lock_owner(const struct lock *l)
{
    return (xvs_list_is_empty(&l->waiters) ? NULL
            : CONTAINER_OF(l->waiters.next, struct waiter, node)->session);
}

bool
lock_acquire(const char *name, void *session, bool steal, bool *owner,
             void **victim)
{
    struct lock *l = lock_find(name);
    if (!l) {
        l = xzalloc(sizeof *l);
        l->name = xstrdup(name);
        xvs_list_init(&l->waiters);
        hmap_insert(&locks, &l->node, hash_string(name, 0));
    } else if (waiter_find(l, session)) {
        return false;
    }

    struct waiter *w = xzalloc(sizeof *w);
    w->session = session;
    void *old_owner = lock_owner(l);
    if (steal) {
        xvs_list_push_front(&l->waiters, &w->node);
    } else {
        xvs_list_push_back(&l->waiters, &w->node);
    }
    *owner = lock_owner(l) == session;
    *victim = steal ? old_owner : NULL;
    return true;
}

bool
lock_release(const char *name, void *session, void **new_owner)
{
    struct lock *l = lock_find(name);
    struct waiter *w = l ? waiter_find(l, session) : NULL;

    *new_owner = NULL;
    if (!w) {
        return false;
    }
    bool was_owner = lock_owner(l) == session;
    xvs_list_remove(&w->node);
    free(w);
    if (xvs_list_is_empty(&l->waiters)) {
        hmap_remove(&locks, &l->node);
        free(l->name);
        free(l);
    } else if (was_owner) {
        *new_owner = lock_owner(l);
    }
    return true;
}

void
lock_release_all(void *session,
                 void (*locked)(const char *name, void *new_owner, void *aux),
                 void *aux)
{
    struct lock *l, *next;
    HMAP_FOR_EACH_SAFE (l, next, node, &locks) {
        if (waiter_find(l, session)) {
            char *name = xstrdup(l->name);
            void *new_owner;
            lock_release(name, session, &new_owner);
            if (new_owner) {
                locked(name, new_owner, aux);
            }
            free(name);
        }
    }
}

bool
lock_is_owner(const char *name, const void *session)
{
    const struct lock *l = lock_find(name);
    return l && lock_owner(l) == session;
}
