/* evloop: the main thread's libevent base.  A single lazily created base
 * keeps every module's events in one loop without passing it around. */
#include <config.h>
#include "evloop.h"
#include <signal.h>
#include "coverage.h"
#include "util.h"

COVERAGE_DEFINE(evloop_iteration);

static struct event_base *base;
static bool exiting;

struct event_base *
evloop_base(void)
{
    if (!base) {
        /* A peer closing a socket must come back as an error value, not
         * kill the daemon. */
        signal(SIGPIPE, SIG_IGN);
        base = event_base_new();
        if (!base) {
            xvs_fatal(0, "could not create the libevent event base");
        }
    }
    return base;
}

int
evloop_run(void)
{
    struct event_base *b = evloop_base();
    while (!exiting) {
        /* EVLOOP_NO_EXIT_ON_EMPTY: a daemon with nothing registered yet
         * still waits for evloop_exit().  EVLOOP_ONCE returns after each
         * wake-up and its callbacks, so that wake-ups can be counted. */
        int retval = event_base_loop(b, EVLOOP_ONCE | EVLOOP_NO_EXIT_ON_EMPTY);
        if (retval < 0) {
            return -1;
        }
        COVERAGE_INC(evloop_iteration);
    }
    return 0;
}

void
evloop_exit(void)
{
    exiting = true;
    if (base) {
        event_base_loopbreak(base);
    }
}

void
evloop_after_fork(void)
{
    if (base) {
        event_reinit(base);
    }
}

bool
evloop_exiting(void)
{
    return exiting;
}

/* The callback and its argument live in the same allocation as the event,
 * right after it, so the event_free() the caller does to cancel the timer
 * frees them too (libevent frees events with free() unless told
 * otherwise, and we never tell it otherwise). */
struct evloop_timer {
    void (*cb)(void *);
    void *aux;
};

static size_t
evloop_event_size(void)
{
    return (event_get_struct_event_size() + 15) & ~(size_t) 15;
}

static void
evloop_timer_cb(evutil_socket_t fd XVS_UNUSED, short what XVS_UNUSED,
                void *t_)
{
    struct evloop_timer *t = t_;
    t->cb(t->aux);
}

struct event *
evloop_timer(int msec, bool repeat, void (*cb)(void *), void *aux)
{
    struct timeval tv = { msec / 1000, (msec % 1000) * 1000 };
    char *block = xzalloc(evloop_event_size() + sizeof(struct evloop_timer));
    struct event *ev = (struct event *) block;
    struct evloop_timer *t = (struct evloop_timer *) (block + evloop_event_size());
    t->cb = cb;
    t->aux = aux;
    event_assign(ev, evloop_base(), -1, repeat ? EV_PERSIST : 0,
                 evloop_timer_cb, t);
    event_add(ev, &tv);
    return ev;
}
