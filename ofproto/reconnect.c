#include <config.h>
#include "reconnect.h"

#include <stdlib.h>
#include "util.h"

void
reconnect_init(struct reconnect *rc, int max_backoff, long long int now)
{
    rc->state = RECONNECT_BACKOFF;
    rc->backoff = 0;
    rc->deadline = now;
    rc->last_connected = -1;
    rc->last_disconnected = -1;
    rc->last_error = NULL;
    reconnect_set_max_backoff(rc, max_backoff);
}

void
reconnect_destroy(struct reconnect *rc)
{
    free(rc->last_error);
    rc->last_error = NULL;
}

void
reconnect_set_max_backoff(struct reconnect *rc, int max_backoff)
{
    rc->max_backoff = XVS_MAX(max_backoff, RECONNECT_MIN_BACKOFF);
    if (rc->backoff > rc->max_backoff) {
        rc->backoff = rc->max_backoff;
    }
}

void
reconnect_connecting(struct reconnect *rc)
{
    rc->state = RECONNECT_CONNECTING;
}

void
reconnect_connected(struct reconnect *rc, long long int now)
{
    rc->state = RECONNECT_ACTIVE;
    rc->last_connected = now;
}

int
reconnect_failed(struct reconnect *rc, long long int now, const char *error)
{
    bool was_up = rc->state == RECONNECT_ACTIVE;

    if (was_up) {
        rc->last_disconnected = now;
    }
    if (was_up && now - rc->last_connected >= rc->backoff) {
        rc->backoff = RECONNECT_MIN_BACKOFF;
    } else if (rc->backoff) {
        rc->backoff = XVS_MIN(rc->backoff * 2, rc->max_backoff);
    } else {
        rc->backoff = RECONNECT_MIN_BACKOFF;
    }
    if (error) {
        free(rc->last_error);
        rc->last_error = xstrdup(error);
    }
    rc->state = RECONNECT_BACKOFF;
    rc->deadline = now + rc->backoff;
    return rc->backoff;
}

const char *
reconnect_state_name(enum reconnect_state state)
{
    switch (state) {
    case RECONNECT_BACKOFF:
        return "BACKOFF";
    case RECONNECT_CONNECTING:
        return "CONNECTING";
    case RECONNECT_ACTIVE:
        return "ACTIVE";
    }
    return "VOID";
}
