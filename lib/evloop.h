/* evloop: the one libevent event_base of a process's main thread.
 *
 * Daemons run evloop_run() after setting up; every module that waits on a
 * socket or a timer registers libevent events on evloop_base().  Blocking
 * tools (vsctl, ofctl, appctl) do not use it. */
#ifndef XVS_EVLOOP_H
#define XVS_EVLOOP_H 1

#include <stdbool.h>
#include <event2/event.h>

struct event_base *evloop_base(void);
/* Runs until evloop_exit() is called; returns 0, or -1 on libevent error. */
int evloop_run(void);
void evloop_exit(void);
/* True once evloop_exit() has been called. */
bool evloop_exiting(void);
/* Calls 'cb(aux)' from the loop after 'msec' milliseconds, repeating every
 * 'msec' if 'repeat'.  Returns the event (event_free() it to cancel). */
struct event *evloop_timer(int msec, bool repeat, void (*cb)(void *), void *aux);
/* Lets the loop work in a child after fork() (daemonize_start() calls
 * it); a no-op if no base exists yet. */
void evloop_after_fork(void);

#endif
