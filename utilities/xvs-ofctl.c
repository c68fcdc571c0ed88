/* xvs-ofctl: an OpenFlow switch management utility, command-compatible
 * with ovs-ofctl for the commands it has.
 *
 * Every command is a short exchange over one OpenFlow connection: HELLO
 * with our version bitmap, then the request(s), then (for commands that
 * change state) a BARRIER whose reply proves the switch processed them.
 * Replies are printed with ofp_print(), so the output is the codec's view
 * of the wire, as ovs-ofctl's is.  Errors from the switch go to stderr and
 * make the exit status 1.
 *
 * This file is the command line: usage, options, and the table of
 * commands, one row per command, whose handlers live in the ofctl-*
 * modules by subject (flows, groups, meters, tables, ports, TLV maps,
 * packet-out, bundles, monitor and snoop, the offline parse-* commands).
 * The few switch-wide dumps (show, dump-desc, dump-ipfix-*) are here. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "daemon.h"
#include "ofctl-bundle.h"
#include "ofctl-control.h"
#include "ofctl-flow-cmds.h"
#include "ofctl-groups.h"
#include "ofctl-meters.h"
#include "ofctl-monitor.h"
#include "ofctl-packet.h"
#include "ofctl-parse.h"
#include "ofctl-ports.h"
#include "ofctl-tables.h"
#include "ofctl-tlv.h"
#include "ofctl-vconn.h"
#include "ofproto/ofp-msgs.h"
#include "util.h"

static void
usage(void)
{
    printf("%s: OpenFlow switch management utility\n"
           "usage: %s [OPTIONS] COMMAND [ARG...]\n"
           "\nFor OpenFlow switches:\n"
           "  show SWITCH                 show OpenFlow information\n"
           "  dump-desc SWITCH            print switch description\n"
           "  dump-tables SWITCH          print table stats\n"
           "  dump-table-features SWITCH [TABLE]  print table features\n"
           "  dump-ports SWITCH [PORT]    print port statistics\n"
           "  dump-ports-desc SWITCH      print port descriptions\n"
           "  mod-port SWITCH IFACE ACT   modify port behavior\n"
           "  queue-stats SWITCH [PORT [QUEUE]]  dump queue stats\n"
           "  queue-get-config SWITCH [PORT [QUEUE]]  print queue config\n"
           "  add-tlv-map SWITCH MAP      add TLV option MAPpings\n"
           "  del-tlv-map SWITCH [MAP] delete TLV option MAPpings\n"
           "  dump-tlv-map SWITCH      print TLV option mappings\n"
           "  dump-flows SWITCH [FLOW]    print matching FLOWs\n"
           "  dump-aggregate SWITCH [FLOW]  print aggregate flow stats\n"
           "  add-flow SWITCH FLOW        add flow described by FLOW\n"
           "  add-flows SWITCH FILE       add flows from FILE (- = stdin)\n"
           "  mod-flows SWITCH FLOW       modify actions of matching FLOWs\n"
           "  del-flows SWITCH [FLOW]     delete matching FLOWs\n"
           "  replace-flows SWITCH FILE   replace flows with those in FILE\n"
           "  diff-flows SOURCE1 SOURCE2  compare flows from two sources\n"
           "  add-group SWITCH GROUP      add group described by GROUP\n"
           "  add-groups SWITCH FILE      add groups from FILE (- = stdin)\n"
           "  mod-group SWITCH GROUP      modify specific group\n"
           "  del-groups SWITCH [GROUP]   delete matching GROUPs\n"
           "  insert-buckets SWITCH GROUP add buckets to GROUP (OpenFlow 1.0, 1.5)\n"
           "  remove-buckets SWITCH GROUP remove buckets from GROUP\n"
           "  dump-groups SWITCH [GROUP]  print group descriptions\n"
           "  dump-group-stats SWITCH [GROUP]  print group statistics\n"
           "  dump-group-features SWITCH  print group features\n"
           "  add-meter SWITCH METER      add meter described by METER\n"
           "  mod-meter SWITCH METER      modify specific METER\n"
           "  del-meter(s) SWITCH [METER] delete meters matching METER\n"
           "  dump-meter(s) SWITCH [METER] print METER configuration\n"
           "  meter-stats SWITCH [METER]  print meter statistics\n"
           "  meter-features SWITCH       print meter features\n"
           "  monitor SWITCH [MISSLEN] [invalid_ttl] [watch:[SPEC...]] [resume]\n"
           "                              print packets received, flow "
           "changes\n"
           "  snoop SWITCH                snoop on SWITCH and its "
           "controller\n"
           "  packet-out SWITCH IN_PORT ACTIONS PACKET\n"
           "  packet-out SWITCH \"in_port=P packet=HEX actions=A\"\n"
           "  mod-table SWITCH TABLE SETTING  evict, noevict, "
           "vacancy:DOWN,UP, novacancy\n"
           "  dump-table-desc SWITCH      print table eviction and vacancy "
           "settings\n"
           "  bundle SWITCH FILE          flow, group and packet-out lines "
           "of FILE\n                              as one atomic bundle\n"
           "\nOffline:\n"
           "  parse-flow FLOW             print FLOW's flow_mod and encoding\n"
           "  parse-meter METER           print METER's meter_mod and "
           "its encoding\n"
           "  parse-group GROUP           print GROUP's group_mod and "
           "encoding\n"
           "\nSWITCH is a bridge name (its socket "
           "$XVS_RUNDIR/BRIDGE.mgmt),\nunix:PATH or tcp:IP:PORT.\n"
           "\nOptions:\n"
           "  -O, --protocols=VERSIONS    OpenFlow10,OpenFlow13,"
           "OpenFlow14,OpenFlow15\n"
           "  --strict                    use strict matching\n"
           "  --bundle                    apply flow or group changes "
           "or packet-out\n                              atomically (OpenFlow 1.3+)\n"
           "  --may-create                mod-group adds a missing group\n"
           "  --names, --no-names         show port names (default: on a "
           "terminal)\n"
           "  -t, --timeout=SECS          give up after SECS seconds\n"
           "  --no-stats                  dump-flows without statistics\n"
           "  --sort[=FIELD], --rsort[=FIELD]  sort dump-flows output by "
           "FIELD\n"
           "                              (priority if omitted)\n"
           "  --readd                     replace-flows re-adds every flow\n"
           "  -P, --packet-in-format=FORMAT  monitor's packet-ins: standard,"
           "\n                              nxt_packet_in or nxt_packet_in2\n"
           "  --detach, --pidfile[=FILE], --no-chdir, --log-file[=FILE],\n"
           "  --unixctl=SOCKET            monitor and snoop run in the "
           "background,\n"
           "                              steered through SOCKET\n"
           "  -h, --help                  display this help message\n"
           "  -V, --version               display version information\n",
           program_name, program_name);
    exit(0);
}

/* ---- Switch-wide dumps. ---- */

static void
cmd_show(int argc XVS_UNUSED, char *argv[])
{
    struct vconn vc;
    vconn_open(&vc, argv[1]);
    dump_transaction(&vc, ofp_encode_empty(OFPTYPE_FEATURES_REQUEST,
                                           vc.version, ofpmsg_next_xid()),
                     print_reply);
    if (vc.version != OFP10_VERSION) {
        dump_transaction(&vc,
                         ofp_encode_empty(OFPTYPE_PORT_DESC_STATS_REQUEST,
                                          vc.version, ofpmsg_next_xid()),
                         print_reply);
    }
    dump_transaction(&vc, ofp_encode_empty(OFPTYPE_GET_CONFIG_REQUEST,
                                           vc.version, ofpmsg_next_xid()),
                     print_reply);
    vconn_close(&vc);
}

static void
cmd_dump_desc(int argc XVS_UNUSED, char *argv[])
{
    dump_simple(argv[1], OFPTYPE_DESC_STATS_REQUEST);
}

/* The switch has no IPFIX exporter, so these print its
 * NXST_NOT_CONFIGURED, as ovs-ofctl does against a bridge without one. */
static void
cmd_dump_ipfix_bridge(int argc XVS_UNUSED, char *argv[])
{
    dump_simple(argv[1], OFPTYPE_NXST_IPFIX_BRIDGE_REQUEST);
}

static void
cmd_dump_ipfix_flow(int argc XVS_UNUSED, char *argv[])
{
    dump_simple(argv[1], OFPTYPE_NXST_IPFIX_FLOW_REQUEST);
}

struct command {
    const char *name;
    int min_args, max_args;
    void (*handler)(int argc, char *argv[]);
    bool no_switch;             /* The first argument is not a switch. */
};

static const struct command commands[] = {
    { "show", 1, 1, cmd_show },
    { "dump-desc", 1, 1, cmd_dump_desc },
    { "dump-ipfix-bridge", 1, 1, cmd_dump_ipfix_bridge },
    { "dump-ipfix-flow", 1, 1, cmd_dump_ipfix_flow },
    { "dump-tables", 1, 1, ofctl_dump_tables },
    { "dump-table-features", 1, 2, ofctl_dump_table_features },
    { "dump-ports", 1, 2, ofctl_dump_ports },
    { "dump-ports-desc", 1, 1, ofctl_dump_ports_desc },
    { "dump-flows", 1, 2, ofctl_dump_flows },
    { "dump-aggregate", 1, 2, ofctl_dump_aggregate },
    { "add-flow", 2, 2, ofctl_add_flow },
    { "add-flows", 2, 2, ofctl_add_flows },
    { "mod-flows", 2, 2, ofctl_mod_flows },
    { "del-flows", 1, 2, ofctl_del_flows },
    { "replace-flows", 2, 2, ofctl_replace_flows },
    { "diff-flows", 2, 2, ofctl_diff_flows, true },
    { "packet-out", 2, 4, ofctl_packet_out },
    { "bundle", 2, 2, ofctl_bundle },
    { "mod-table", 3, 3, ofctl_mod_table },
    { "dump-table-desc", 1, 1, ofctl_dump_table_desc },
    { "parse-flow", 1, 1, ofctl_parse_flow, true },
    { "add-group", 2, 2, ofctl_add_group },
    { "add-groups", 2, 2, ofctl_add_groups },
    { "mod-group", 2, 2, ofctl_mod_group },
    { "del-groups", 1, 2, ofctl_del_groups },
    { "insert-buckets", 2, 2, ofctl_insert_buckets },
    { "remove-buckets", 2, 2, ofctl_remove_buckets },
    { "dump-groups", 1, 2, ofctl_dump_groups },
    { "dump-group-stats", 1, 2, ofctl_dump_group_stats },
    { "dump-group-features", 1, 1, ofctl_dump_group_features },
    { "parse-group", 1, 1, ofctl_parse_group, true },
    { "parse-meter", 1, 1, ofctl_parse_meter, true },
    { "add-meter", 2, 2, ofctl_add_meter },
    { "mod-meter", 2, 2, ofctl_mod_meter },
    { "del-meters", 1, 2, ofctl_del_meters },
    { "del-meter", 1, 2, ofctl_del_meters },
    { "dump-meters", 1, 2, ofctl_dump_meters },
    { "dump-meter", 1, 2, ofctl_dump_meters },
    { "meter-stats", 1, 2, ofctl_meter_stats },
    { "meter-features", 1, 1, ofctl_meter_features },
    { "monitor", 1, 5, ofctl_monitor },
    { "snoop", 1, 1, ofctl_snoop },
    { "mod-port", 3, 3, ofctl_mod_port },
    { "add-tlv-map", 2, 2, ofctl_add_tlv_map },
    { "del-tlv-map", 1, 2, ofctl_del_tlv_map },
    { "dump-tlv-map", 1, 1, ofctl_dump_tlv_map },
    { "queue-stats", 1, 3, ofctl_queue_stats },
    { "queue-get-config", 1, 3, ofctl_queue_get_config },
};

int
main(int argc, char *argv[])
{
    enum { OPT_STRICT = 256, OPT_NO_STATS, OPT_BUNDLE, OPT_READD, OPT_SORT,
           OPT_RSORT, OPT_MAY_CREATE, OPT_NAMES, OPT_NO_NAMES };
    static const struct option long_options[] = {
        { "protocols", required_argument, NULL, 'O' },
        { "strict", no_argument, NULL, OPT_STRICT },
        { "timeout", required_argument, NULL, 't' },
        { "no-stats", no_argument, NULL, OPT_NO_STATS },
        { "bundle", no_argument, NULL, OPT_BUNDLE },
        { "readd", no_argument, NULL, OPT_READD },
        { "may-create", no_argument, NULL, OPT_MAY_CREATE },
        { "names", no_argument, NULL, OPT_NAMES },
        { "no-names", no_argument, NULL, OPT_NO_NAMES },
        { "sort", optional_argument, NULL, OPT_SORT },
        { "rsort", optional_argument, NULL, OPT_RSORT },
        { "packet-in-format", required_argument, NULL, 'P' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        /* For monitor and snoop, as ovs-ofctl. */
        DAEMON_LONG_OPTIONS,
        { NULL, 0, NULL, 0 },
    };
    int names = -1;             /* --names 1, --no-names 0, default -1. */
    xvs_set_program_name(argv[0]);
    for (;;) {
        int c = getopt_long(argc, argv, "O:t:P:hV" DAEMON_SHORT_OPTIONS,
                            long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case 'P': {
            uint32_t f;
            for (f = 0; nx_packet_in_format_to_string(f); f++) {
                if (!strcmp(optarg, nx_packet_in_format_to_string(f))) {
                    break;
                }
            }
            if (!nx_packet_in_format_to_string(f)) {
                xvs_fatal(0, "unknown packet-in format `%s'", optarg);
            }
            ofctl_packet_in_format = f;
            break;
        }
        case 'O': {
            char *error;
            allowed_versions = ofp_versions_from_string(optarg, &error);
            if (error) {
                xvs_fatal(0, "%s", error);
            }
            ofctl_versions_given = true;
            break;
        }
        case 't': {
            long long secs;
            if (!str_to_llong(optarg, 10, &secs) || secs <= 0
                || secs > 86400) {
                xvs_fatal(0, "value %s on -t or --timeout is invalid",
                          optarg);
            }
            timeout_ms = secs * 1000;
            break;
        }
        case OPT_STRICT:
            ofctl_strict = true;
            break;
        case OPT_NO_STATS:
            ofctl_no_stats = true;
            break;
        case OPT_BUNDLE:
            ofctl_use_bundle = true;
            break;
        case OPT_READD:
            ofctl_readd = true;
            break;
        case OPT_MAY_CREATE:
            ofctl_may_create = true;
            break;
        case OPT_NAMES:
        case OPT_NO_NAMES:
            names = c == OPT_NAMES ? 1 : 0;
            break;
        case OPT_SORT:
        case OPT_RSORT:
            ofctl_add_sort_key(optarg, c == OPT_RSORT);
            break;
        case 'h':
            usage();
            break;
        case 'V':
            printf("%s (xvswitch) %s\n", program_name, XVS_VERSION);
            return 0;
        case DAEMON_OPT_UNIXCTL:
            ofctl_control_set_path(optarg);
            break;
        default:
            if (!daemon_handle_option(c, optarg)) {
                exit(1);
            }
        }
    }
    argc -= optind;
    argv += optind;
    if (argc < 1) {
        xvs_fatal(0, "missing command name; use --help for help");
    }
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        const struct command *cmd = &commands[i];
        if (strcmp(cmd->name, argv[0])) {
            continue;
        }
        int n_args = argc - 1;
        if (n_args < cmd->min_args) {
            xvs_fatal(0, "'%s' command requires at least %d arguments",
                      cmd->name, cmd->min_args);
        }
        if (n_args > cmd->max_args) {
            xvs_fatal(0, "'%s' command takes at most %d arguments",
                      cmd->name, cmd->max_args);
        }
        /* Port names by default on a terminal, as ovs-ofctl; commands
         * whose first argument is not a switch have no names to use. */
        if (names && !cmd->no_switch) {
            ofctl_show_names = names > 0 || isatty(STDOUT_FILENO);
            ofctl_use_names(argv[1], ofctl_show_names);
        }
        cmd->handler(argc, argv);
        return 0;
    }
    xvs_fatal(0, "unknown command '%s'; use --help for help", argv[0]);
}
