/* lock: OVSDB's named locks ("lock", "steal", "unlock", RFC 7047 section
 * 4.1.8-4.1.10), as ovsdb-server keeps them.
 *
 * Each lock has a queue of waiters, sessions that asked for it; the first
 * one owns it.  "lock" joins the back of the queue, "steal" the front
 * (the owner it displaces stays in the queue, second, and owns the lock
 * again when the thief lets go).  Leaving the queue ("unlock", or the
 * session closing) makes the next waiter the owner.  The caller tells
 * sessions what happened to them ("locked", "stolen" notifications) from
 * what these functions return.  Sessions are opaque pointers here. */
#ifndef XVS_OVSDB_LOCK_H
#define XVS_OVSDB_LOCK_H 1

#include <stdbool.h>

/* Whether 'name' is an <id>: a letter or underscore, then letters,
 * digits and underscores (RFC 7047 section 3.1). */
bool lock_name_is_valid(const char *name);

/* Puts 'session' in the queue of 'name', at the front if 'steal'.
 * Returns false if 'session' is already there (it must unlock first).
 * Otherwise '*owner' says whether it owns the lock now and '*victim' is
 * the session that lost it to a steal (NULL if none). */
bool lock_acquire(const char *name, void *session, bool steal, bool *owner,
                  void **victim);

/* Takes 'session' out of the queue of 'name'.  Returns false if it was
 * not there.  '*new_owner' is the session that owns the lock because of
 * this (NULL if none). */
bool lock_release(const char *name, void *session, void **new_owner);

/* Takes 'session' out of every queue, calling 'locked(name, new_owner,
 * aux)' for each lock that gets a new owner. */
void lock_release_all(void *session,
                      void (*locked)(const char *name, void *new_owner,
                                     void *aux),
                      void *aux);

/* Whether 'session' owns 'name'. */
bool lock_is_owner(const char *name, const void *session);

#endif
