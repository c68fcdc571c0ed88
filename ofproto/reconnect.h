/* reconnect: when to (re)connect to an active OpenFlow controller.
 *
 * Why: a switch must keep trying to reach its controllers ("tcp:",
 * "ssl:", "unix:" targets) without hammering an unreachable one, and
 * users read what happened from Controller.status (state, last_error,
 * sec_since_connect, sec_since_disconnect).  This module is that
 * bookkeeping and nothing else: connmgr.c owns the sockets and asks it
 * what to do and when.
 *
 * Backoff: the first attempt is made at once.  A failed attempt (the
 * connect failed, or the peer went away before the OpenFlow HELLO
 * exchange) waits 1 s before the next, doubling after each further
 * failure up to 'max_backoff' ms.  A connection that was up at least as
 * long as the current backoff resets it to 1 s when it drops; one that
 * drops sooner keeps doubling, so a controller that accepts and hangs up
 * at once is not retried every second.
 *
 * States (the names Controller.status:state uses): BACKOFF (waiting for
 * the next attempt), CONNECTING (socket opened, no OpenFlow message from
 * the peer yet), ACTIVE (the peer has spoken).  IDLE (an inactivity probe
 * is outstanding) is per connection and reported by connmgr.c; VOID
 * (disabled) is never used since every configured target is tried.
 *
 * Times are milliseconds from time_msec(), passed in by the caller. */
#ifndef XVS_RECONNECT_H
#define XVS_RECONNECT_H 1

#include <stdbool.h>

#define RECONNECT_MIN_BACKOFF 1000
#define RECONNECT_DEFAULT_MAX_BACKOFF 8000

enum reconnect_state {
    RECONNECT_BACKOFF,
    RECONNECT_CONNECTING,
    RECONNECT_ACTIVE,
};

struct reconnect {
    enum reconnect_state state;
    int max_backoff;            /* Milliseconds, at least the minimum. */
    int backoff;                /* Current wait; 0 before any failure. */
    long long int deadline;     /* BACKOFF: when to try next. */
    long long int last_connected;       /* Last ACTIVE, or -1. */
    long long int last_disconnected;    /* Last drop, or -1. */
    char *last_error;           /* Why the last attempt or connection
                                 * failed, or NULL. */
};

/* Starts in BACKOFF with the first attempt due at 'now'. */
void reconnect_init(struct reconnect *, int max_backoff, long long int now);
void reconnect_destroy(struct reconnect *);
void reconnect_set_max_backoff(struct reconnect *, int max_backoff);

/* A connection attempt has started. */
void reconnect_connecting(struct reconnect *);
/* The peer has spoken OpenFlow: the connection is up. */
void reconnect_connected(struct reconnect *, long long int now);
/* The attempt failed or the connection dropped, because of 'error' (a
 * message; NULL for an orderly close).  Enters BACKOFF and returns the
 * milliseconds until the next attempt. */
int reconnect_failed(struct reconnect *, long long int now,
                     const char *error);

const char *reconnect_state_name(enum reconnect_state);

#endif
