/* list: an intrusive doubly linked list with a sentinel head, as in the
 * Linux kernel and Open vSwitch.  Embed a 'struct xvs_list' in the element
 * and recover the element with CONTAINER_OF or the FOR_EACH macros. */
#ifndef XVS_LIST_H
#define XVS_LIST_H 1

#include <stdbool.h>
#include <stddef.h>
#include "util.h"

struct xvs_list {
    struct xvs_list *prev, *next;
};

#define XVS_LIST_INITIALIZER(LIST) { LIST, LIST }

static inline void xvs_list_init(struct xvs_list *l) { l->prev = l->next = l; }
static inline bool xvs_list_is_empty(const struct xvs_list *l) { return l->next == l; }

static inline void
xvs_list_insert(struct xvs_list *before, struct xvs_list *elem)
{
    elem->prev = before->prev;
    elem->next = before;
    before->prev->next = elem;
    before->prev = elem;
}
static inline void xvs_list_push_back(struct xvs_list *l, struct xvs_list *e) { xvs_list_insert(l, e); }
static inline void xvs_list_push_front(struct xvs_list *l, struct xvs_list *e) { xvs_list_insert(l->next, e); }

static inline struct xvs_list *
xvs_list_remove(struct xvs_list *elem)
{
    elem->prev->next = elem->next;
    elem->next->prev = elem->prev;
    return elem->next;
}

static inline struct xvs_list *
xvs_list_pop_front(struct xvs_list *l)
{
    struct xvs_list *front = l->next;
    xvs_list_remove(front);
    return front;
}

static inline size_t
xvs_list_size(const struct xvs_list *l)
{
    size_t n = 0;
    for (const struct xvs_list *e = l->next; e != l; e = e->next) {
        n++;
    }
    return n;
}

#define XVS_LIST_FOR_EACH(ITER, MEMBER, LIST)                               \
    for (ITER = CONTAINER_OF((LIST)->next, __typeof__(*ITER), MEMBER);      \
         &(ITER)->MEMBER != (LIST);                                         \
         ITER = CONTAINER_OF((ITER)->MEMBER.next, __typeof__(*ITER), MEMBER))

/* Safe against removal of ITER. */
#define XVS_LIST_FOR_EACH_SAFE(ITER, NEXT, MEMBER, LIST)                    \
    for (ITER = CONTAINER_OF((LIST)->next, __typeof__(*ITER), MEMBER);      \
         &(ITER)->MEMBER != (LIST)                                          \
         && (NEXT = CONTAINER_OF((ITER)->MEMBER.next,                       \
                                 __typeof__(*ITER), MEMBER), 1);            \
         ITER = NEXT)

#endif
