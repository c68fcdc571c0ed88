/* xvs-vswitchd: the switch daemon.  Thin by design: it parses options,
 * daemonizes, registers unixctl commands and hands the database to
 * bridge.c; everything else happens in callbacks on evloop. */
#include <config.h>

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bridge.h"
#include "coverage.h"
#include "daemon.h"
#include "datapath/conntrack.h"
#include "datapath/dpif.h"
#include "evloop.h"
#include "memory.h"
#include "ofproto/dpctl.h"
#include "ofproto/trace.h"
#include "stream-ssl.h"
#include "unixctl.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(vswitchd);

enum {
    OPT_ENABLE_DUMMY = 0x2000,
    OPT_BOOTSTRAP_CA_CERT,
    OPT_SSL_PROTOCOLS,
    OPT_SSL_CIPHERS,
    OPT_HELP,
    OPT_VERSION,
};

static void
usage(void)
{
    printf("%s: Open vSwitch-style switch daemon\n"
           "usage: %s [OPTIONS] [DATABASE]\n"
           "where DATABASE is a socket on which xvsdb-server is listening\n"
           "      (default: \"unix:%s/db.sock\").\n"
           "\nOther options:\n"
           "  --enable-dummy[=override]\n"
           "                          make internal (or all) ports dummy\n"
           "\nSSL options (used while the database has no SSL "
           "configuration):\n"
           "  -p, --private-key=FILE  file with private key\n"
           "  -c, --certificate=FILE  file with certificate for private key\n"
           "  -C, --ca-cert=FILE      file with peer CA certificate\n"
           "  --bootstrap-ca-cert=FILE  file with peer CA certificate "
           "to read or create\n"
           "  --ssl-protocols=PROTOS  list of SSL protocols to enable\n"
           "  --ssl-ciphers=CIPHERS   list of SSL ciphers to enable\n"
           "\nGeneral options:\n"
           "  -h, --help              display this help message\n"
           "  -V, --version           display version information\n",
           program_name, program_name, xvs_rundir());
    daemon_usage();
    exit(EXIT_SUCCESS);
}

static char *
parse_options(int argc, char *argv[], enum bridge_dummy_mode *dummy)
{
    static const struct option long_options[] = {
        {"enable-dummy", optional_argument, NULL, OPT_ENABLE_DUMMY},
        {"private-key", required_argument, NULL, 'p'},
        {"certificate", required_argument, NULL, 'c'},
        {"ca-cert", required_argument, NULL, 'C'},
        {"bootstrap-ca-cert", required_argument, NULL,
         OPT_BOOTSTRAP_CA_CERT},
        {"ssl-protocols", required_argument, NULL, OPT_SSL_PROTOCOLS},
        {"ssl-ciphers", required_argument, NULL, OPT_SSL_CIPHERS},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        DAEMON_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };

    *dummy = BRIDGE_DUMMY_NONE;
    int ca_option = 0;          /* 'C' or OPT_BOOTSTRAP_CA_CERT, once seen. */
    for (;;) {
        int c = getopt_long(argc, argv, "hVp:c:C:" DAEMON_SHORT_OPTIONS,
                            long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case OPT_ENABLE_DUMMY:
            if (optarg && !strcmp(optarg, "override")) {
                *dummy = BRIDGE_DUMMY_OVERRIDE;
            } else if (!optarg) {
                *dummy = BRIDGE_DUMMY_INTERNAL;
            } else {
                xvs_fatal(0, "unknown --enable-dummy mode \"%s\"", optarg);
            }
            break;
        case 'p':
            bridge_set_ssl_files(optarg, NULL, NULL);
            break;
        case 'c':
            bridge_set_ssl_files(NULL, optarg, NULL);
            break;
        case 'C':
        case OPT_BOOTSTRAP_CA_CERT:
            if (ca_option && ca_option != c) {
                xvs_fatal(0, "--bootstrap-ca-cert and --ca-cert are "
                          "mutually exclusive");
            }
            ca_option = c;
            bridge_set_ssl_files(NULL, NULL, optarg);
            bridge_set_ssl_bootstrap(c == OPT_BOOTSTRAP_CA_CERT);
            break;
        case OPT_SSL_PROTOCOLS:
        case OPT_SSL_CIPHERS: {
            char *error = (c == OPT_SSL_PROTOCOLS
                           ? stream_ssl_set_protocols(optarg)
                           : stream_ssl_set_ciphers(optarg));
            if (error) {
                xvs_fatal(0, "%s", error);
            }
            break;
        }
        case 'h':
            usage();
            break;
        case 'V':
            printf("%s (xvswitch) %s\n", program_name, XVS_VERSION);
            exit(EXIT_SUCCESS);
        case '?':
            exit(EXIT_FAILURE);
        default:
            if (!daemon_handle_option(c, optarg)) {
                exit(EXIT_FAILURE);
            }
            break;
        }
    }

    argc -= optind;
    argv += optind;
    if (argc > 1) {
        xvs_fatal(0, "at most one non-option argument accepted; "
                  "use --help for usage");
    }
    if (argc == 1) {
        if (strncmp(argv[0], "unix:", 5) && strncmp(argv[0], "tcp:", 4)) {
            xvs_fatal(0, "%s: database must be unix:PATH or tcp:IP:PORT",
                      argv[0]);
        }
        return xstrdup(argv[0]);
    }
    return xasprintf("unix:%s/db.sock", xvs_rundir());
}

/* SIGTERM and SIGINT end the main loop rather than the process, so that
 * the bridges are taken down on the way out: an XDP offload program must
 * not go on forwarding for a switch that is gone (datapath/dp-xdp.h). */
static void
exit_signal_cb(evutil_socket_t sig, short what XVS_UNUSED,
               void *aux XVS_UNUSED)
{
    VLOG_INFO("%s received", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    evloop_exit();
}

int
main(int argc, char *argv[])
{
    enum bridge_dummy_mode dummy;

    xvs_set_program_name(argv[0]);
    char *remote = parse_options(argc, argv, &dummy);

    daemonize_start();

    daemon_start_control();
    coverage_init();
    memory_init();
    trace_register_unixctl();
    dpctl_register_unixctl();
    dp_dummy_register_unixctl();
    dp_tunnel_register_unixctl();
    conntrack_register_unixctl();

    bridge_init(remote, dummy);
    daemonize_complete();
    VLOG_INFO("xvs-vswitchd (xvswitch) %s started, database %s",
              XVS_VERSION, remote);

    struct event *sigterm = evsignal_new(evloop_base(), SIGTERM,
                                         exit_signal_cb, NULL);
    struct event *sigint = evsignal_new(evloop_base(), SIGINT,
                                        exit_signal_cb, NULL);
    event_add(sigterm, NULL);
    event_add(sigint, NULL);

    evloop_run();

    event_free(sigterm);
    event_free(sigint);
    bridge_exit();
    VLOG_INFO("exiting");
    daemon_exit_cleanup();
    free(remote);
    return 0;
}
