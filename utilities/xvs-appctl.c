/* xvs-appctl: sends one command to a daemon's control socket and prints
 * the answer, as ovs-appctl does, so scripts written for one work with the
 * other. */
#include <config.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "daemon.h"
#include "unixctl.h"
#include "util.h"

static void
usage(void)
{
    printf("%s, for querying and controlling xvswitch daemons\n"
           "usage: %s [TARGET] COMMAND [ARG...]\n"
           "Targets:\n"
           "  -t, --target=TARGET  daemon name, whose socket is "
           "$XVS_RUNDIR/TARGET.ctl,\n"
           "                       or a socket path containing '/'\n"
           "                       (default: xvs-vswitchd)\n"
           "Common commands:\n"
           "  list-commands      List commands supported by the target\n"
           "  version            Print version of the target\n"
           "  vlog/list          List current logging levels\n"
           "  vlog/set [SPEC]\n"
           "      Set log levels as detailed in SPEC, which may include:\n"
           "      A valid module name (all modules, by default)\n"
           "      'syslog', 'console', 'file' (all destinations, by default)\n"
           "      'off', 'emer', 'err', 'warn', 'info', or 'dbg' "
           "('dbg', by default)\n"
           "  vlog/reopen        Make the program reopen its log file\n"
           "Other options:\n"
           "  -T, --timeout=SECS  wait at most SECS seconds for a response\n"
           "  -h, --help          Print this helpful information\n"
           "  -V, --version       Display %s version information\n",
           program_name, program_name, program_name);
}

int
main(int argc, char *argv[])
{
    static const struct option long_options[] = {
        {"target", required_argument, NULL, 't'},
        {"timeout", required_argument, NULL, 'T'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *target = "xvs-vswitchd";
    int timeout_ms = -1;

    xvs_set_program_name(argv[0]);
    opterr = 0;                 /* We print one-line errors ourselves. */
    for (;;) {
        /* '+': options end at the command, whose arguments may look like
         * options. */
        int c = getopt_long(argc, argv, "+:t:T:hV", long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case 't':
            target = optarg;
            break;
        case 'T': {
            long long secs;
            if (!str_to_llong(optarg, 10, &secs) || secs < 0
                || secs > 86400) {
                xvs_fatal(0, "value %s on -T or --timeout is invalid",
                          optarg);
            }
            timeout_ms = secs ? secs * 1000 : -1;
            break;
        }
        case 'h':
            usage();
            return 0;
        case 'V':
            printf("%s (xvswitch) %s\n", program_name, XVS_VERSION);
            return 0;
        case ':':
            xvs_fatal(0, "option '%s' requires an argument (use --help "
                      "for help)", argv[optind - 1]);
        default:
            xvs_fatal(0, "unrecognized option '%s' (use --help for help)",
                      argv[optind - 1]);
        }
    }
    if (optind >= argc) {
        xvs_fatal(0, "at least one non-option argument is required "
                  "(use --help for help)");
    }

    char *path = strchr(target, '/')
                 ? xstrdup(target)
                 : xasprintf("%s/%s.ctl", xvs_rundir(), target);
    char *result, *error;
    int retval = unixctl_client_transact(path, argv[optind],
                                         argc - optind - 1,
                                         (const char **) argv + optind + 1,
                                         timeout_ms, &result, &error);
    if (retval == ETIMEDOUT) {
        xvs_fatal(0, "%s: timed out waiting for a reply", target);
    } else if (retval == ENOENT || retval == ECONNREFUSED
               || retval == ENAMETOOLONG || retval == EACCES
               || retval == ENOTDIR || retval == ENOTSOCK) {
        xvs_fatal(retval, "cannot connect to \"%s\"", path);
    } else if (retval) {
        xvs_fatal(retval, "%s: transaction error", target);
    }

    int status = 0;
    if (error) {
        fputs(error, stderr);
        if (*error && error[strlen(error) - 1] != '\n') {
            putc('\n', stderr);
        }
        fprintf(stderr, "%s: %s: server returned an error\n", program_name,
                target);
        status = 2;
    } else {
        fputs(result, stdout);
        if (*result && result[strlen(result) - 1] != '\n') {
            putchar('\n');
        }
    }
    free(result);
    free(error);
    free(path);
    return status;
}
