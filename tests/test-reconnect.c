/* test-reconnect: drives ofproto/reconnect.c through a script of events
 * and prints the state and the wait each one leads to.
 *
 * Usage: test-reconnect EVENT...
 * where EVENT is "connecting@T", "connected@T" or "failed@T" (T in ms).
 * Prints one line per event: "T EVENT: STATE [backoff=MS]". */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ofproto/reconnect.h"
#include "util.h"

int
main(int argc, char *argv[])
{
    struct reconnect rc;

    xvs_set_program_name(argv[0]);
    reconnect_init(&rc, 8000, 0);
    for (int i = 1; i < argc; i++) {
        char *event = xstrdup(argv[i]);
        char *at = strchr(event, '@');
        if (!at) {
            xvs_fatal(0, "%s: EVENT@TIME expected", argv[i]);
        }
        *at = '\0';
        long long int now = atoll(at + 1);
        printf("%lld %s: ", now, event);
        if (!strcmp(event, "connecting")) {
            reconnect_connecting(&rc);
            printf("%s\n", reconnect_state_name(rc.state));
        } else if (!strcmp(event, "connected")) {
            reconnect_connected(&rc, now);
            printf("%s\n", reconnect_state_name(rc.state));
        } else if (!strcmp(event, "failed")) {
            int wait = reconnect_failed(&rc, now, "test");
            printf("%s backoff=%d\n", reconnect_state_name(rc.state), wait);
        } else {
            xvs_fatal(0, "%s: unknown event", event);
        }
        free(event);
    }
    reconnect_destroy(&rc);
    return 0;
}
