/* test-daemon: a real daemon built only from lib/ (daemon options,
 * unixctl, vlog), so that the daemon machinery and xvs-appctl are tested
 * on their own, before and apart from the real daemons. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "daemon.h"
#include "evloop.h"
#include "unixctl.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(test_daemon);

static void
test_echo(struct unixctl_conn *conn, int argc, const char *argv[],
          void *aux XVS_UNUSED)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    for (int i = 1; i < argc; i++) {
        if (i > 1) {
            ds_put_char(&s, ' ');
        }
        ds_put_cstr(&s, argv[i]);
    }
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
test_error(struct unixctl_conn *conn, int argc XVS_UNUSED,
           const char *argv[], void *aux XVS_UNUSED)
{
    unixctl_command_reply_error(conn, argv[1]);
}

/* Crashes on purpose, to exercise --monitor. */
static void
test_crash(struct unixctl_conn *conn, int argc XVS_UNUSED,
           const char *argv[] XVS_UNUSED, void *aux XVS_UNUSED)
{
    unixctl_command_reply(conn, NULL);
    abort();
}

/* Replies only after a delay, to exercise deferred replies. */
static struct event *later_timer;

static void
test_later_cb(void *conn)
{
    unixctl_command_reply(conn, "later");
    event_free(later_timer);
    later_timer = NULL;
}

static void
test_later(struct unixctl_conn *conn, int argc XVS_UNUSED,
           const char *argv[] XVS_UNUSED, void *aux XVS_UNUSED)
{
    if (later_timer) {
        unixctl_command_reply_error(conn, "already waiting");
        return;
    }
    later_timer = evloop_timer(100, false, test_later_cb, conn);
}

/* Never replies, to exercise xvs-appctl's time-out. */
static void
test_hang(struct unixctl_conn *conn XVS_UNUSED, int argc XVS_UNUSED,
          const char *argv[] XVS_UNUSED, void *aux XVS_UNUSED)
{
}

static void
usage(void)
{
    printf("%s: a test daemon for the lib/ daemon support\n"
           "usage: %s [OPTIONS]\n", program_name, program_name);
    daemon_usage();
}

int
main(int argc, char *argv[])
{
    static const struct option long_options[] = {
        {"help", no_argument, NULL, 'h'},
        DAEMON_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };

    xvs_set_program_name(argv[0]);
    for (;;) {
        int c = getopt_long(argc, argv, "h" DAEMON_SHORT_OPTIONS,
                            long_options, NULL);
        if (c == -1) {
            break;
        } else if (c == 'h') {
            usage();
            return 0;
        } else if (!daemon_handle_option(c, optarg)) {
            fprintf(stderr, "Try `%s --help' for more information.\n",
                    program_name);
            return 1;
        }
    }
    if (optind < argc) {
        xvs_fatal(0, "no non-option arguments are accepted");
    }

    daemonize_start();

    daemon_start_control();
    unixctl_command_register("echo", "[ARG...]", 0, INT32_MAX, test_echo,
                             NULL);
    unixctl_command_register("error", "TEXT", 1, 1, test_error, NULL);
    unixctl_command_register("crash", "", 0, 0, test_crash, NULL);
    unixctl_command_register("later", "", 0, 0, test_later, NULL);
    unixctl_command_register("hang", "", 0, 0, test_hang, NULL);

    VLOG_INFO("%s (xvswitch) %s started", program_name, XVS_VERSION);
    daemonize_complete();

    evloop_run();
    VLOG_INFO("exiting");
    daemon_exit_cleanup();
    return 0;
}
