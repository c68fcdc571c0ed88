/* xvs-ofctl: an OpenFlow switch management utility, command-compatible
 * with ovs-ofctl for the commands it has.
 *
 * Every command is a short exchange over one OpenFlow connection: HELLO
 * with our version bitmap, then the request(s), then (for commands that
 * change state) a BARRIER whose reply proves the switch processed them.
 * Replies are printed with ofp_print(), so the output is the codec's view
 * of the wire, as ovs-ofctl's is.  Errors from the switch go to stderr and
 * make the exit status 1. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "daemon.h"
#include "meta-flow.h"
#include "ofctl-control.h"
#include "ofctl-flows.h"
#include "ofctl-monitor.h"
#include "ofctl-packet.h"
#include "ofctl-ports.h"
#include "ofctl-table-mod.h"
#include "ofctl-tlv.h"
#include "ofctl-vconn.h"
#include "ofproto/ofp-bundle.h"
#include "ofproto/ofp-group.h"
#include "ofproto/ofp-meter.h"
#include "ofproto/ofp-msgs.h"
#include "ofproto/ofp-table-print.h"
#include "stream.h"
#include "util.h"

static bool versions_given;
static bool strict;
static bool use_bundle;
static bool may_create;         /* mod-group adds a missing group. */
static bool show_names;         /* Ports and tables print as names. */
static bool no_stats;
static bool readd;
/* --sort/--rsort criteria, in the order given. */
static struct ofctl_sort_key *sort_keys;
static size_t n_sort_keys;


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
           "  insert-buckets SWITCH GROUP add buckets to GROUP (OpenFlow 1.5)\n"
           "  remove-buckets SWITCH GROUP remove buckets from GROUP\n"
           "  dump-groups SWITCH [GROUP]  print group descriptions\n"
           "  dump-group-stats SWITCH [GROUP]  print group statistics\n"
           "  dump-group-features SWITCH  print group features\n"
           "  add-meter SWITCH METER      add meter described by METER\n"
           "  mod-meter SWITCH METER      modify specific METER\n"
           "  del-meters SWITCH [METER]   delete meters matching METER\n"
           "  dump-meters SWITCH [METER]  print METER configuration\n"
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

/* ---- Commands. ---- */

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

static void
cmd_dump_tables(int argc XVS_UNUSED, char *argv[])
{
    dump_simple(argv[1], OFPTYPE_TABLE_STATS_REQUEST);
}

/* The tables of every part of a table features reply: ovs-ofctl prints
 * them as one list, each table compared with the one before it even
 * across parts. */
static struct ofp_table_features *collected_tf;
static size_t n_collected_tf;

static void
collect_table_features(const struct ofp_msg_info *info,
                       const struct ofpbuf *b XVS_UNUSED)
{
    enum ofperr error = ofp_decode_table_features_reply(info, &collected_tf,
                                                        &n_collected_tf);
    if (error) {
        xvs_fatal(0, "bad table features reply (%s)",
                  ofperr_get_name(error));
    }
}

/* dump-table-features SWITCH [TABLE]: TABLE, which ovs-ofctl does not
 * take, prints that table's features alone. */
static void
cmd_dump_table_features(int argc, char *argv[])
{
    long table = -1;
    if (argc > 2) {
        char *end;
        table = strtol(argv[2], &end, 10);
        if (*end || end == argv[2] || table < 0 || table > 254) {
            xvs_fatal(0, "%s: invalid table id", argv[2]);
        }
    }
    struct vconn vc;
    vconn_open(&vc, argv[1]);
    if (vc.version < OFP13_VERSION) {
        xvs_fatal(0, "dump-table-features needs OpenFlow 1.3 or later "
                  "('-O OpenFlow13')");
    }
    dump_transaction(&vc, ofp_encode_empty(OFPTYPE_TABLE_FEATURES_REQUEST,
                                           vc.version, ofpmsg_next_xid()),
                     collect_table_features);
    const struct ofp_table_features *tf = collected_tf;
    size_t n = n_collected_tf;
    if (table >= 0) {
        for (n = 0; n < n_collected_tf; n++) {
            if (collected_tf[n].table_id == table) {
                break;
            }
        }
        if (n == n_collected_tf) {
            xvs_fatal(0, "%s: switch has no table %ld", argv[1], table);
        }
        tf = &collected_tf[n];
        n = 1;
    }
    struct ds s = DS_EMPTY_INITIALIZER;
    ofp_table_features_format(&s, tf, n, vc.version, true);
    fputs(ds_cstr(&s), stdout);
    ds_destroy(&s);
    free(collected_tf);
    collected_tf = NULL;
    n_collected_tf = 0;
    vconn_close(&vc);
}

static void
cmd_dump_ports_desc(int argc XVS_UNUSED, char *argv[])
{
    dump_simple(argv[1], OFPTYPE_PORT_DESC_STATS_REQUEST);
}

static void
cmd_dump_ports(int argc, char *argv[])
{
    uint32_t port = OFPP_ANY;
    if (argc > 2 && !ofp_port_from_string(argv[2], &port)) {
        xvs_fatal(0, "%s: invalid port", argv[2]);
    }
    struct vconn vc;
    vconn_open(&vc, argv[1]);
    dump_transaction(&vc, ofp_encode_port_stats_request(port, vc.version,
                                                        ofpmsg_next_xid()),
                     print_reply);
    vconn_close(&vc);
}

static void
print_flow_stats(const struct ofp_flow_stats *fs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct ds s = DS_EMPTY_INITIALIZER;
        ofp_flow_stats_format(&fs[i], no_stats, &s);
        printf(" %s\n", ds_cstr(&s));
        ds_destroy(&s);
    }
}

/* Entries of every part of a flow stats reply, for the commands that
 * need the whole table before printing or comparing. */
static struct ofp_flow_stats *collected_fs;
static size_t n_collected_fs;

static void
collect_flow_stats(const struct ofp_msg_info *info,
                   const struct ofpbuf *b XVS_UNUSED)
{
    enum ofperr error = ofp_decode_flow_stats_reply(info, &collected_fs,
                                                    &n_collected_fs);
    if (error) {
        xvs_fatal(0, "bad flow stats reply (%s)", ofperr_get_name(error));
    }
}

static void
print_flow_no_stats(const struct ofp_msg_info *info,
                    const struct ofpbuf *b)
{
    collect_flow_stats(info, b);
    print_flow_stats(collected_fs, n_collected_fs);
    ofp_flow_stats_free(collected_fs, n_collected_fs);
    collected_fs = NULL;
    n_collected_fs = 0;
}

/* Whether the switch behind 'vc' takes the NXM flow format: like
 * ovs-ofctl, ask with NXT_SET_FLOW_FORMAT and see whether an error comes
 * back before the barrier reply. */
static bool
switch_takes_nxm(struct vconn *vc)
{
    vconn_send(vc, ofp_encode_nx_set_flow_format(NXFF_NXM, vc->version,
                                                 ofpmsg_next_xid()));
    uint32_t barrier_xid = ofpmsg_next_xid();
    vconn_send(vc, ofp_encode_empty(OFPTYPE_BARRIER_REQUEST, vc->version,
                                    barrier_xid));
    bool ok = true;
    for (;;) {
        struct ofpbuf *b = vconn_recv(vc);
        struct ofp_msg_info info;
        bool done = false;
        if (!ofpmsg_decode(&info, b->data, b->size)) {
            ok = ok && info.type != OFPTYPE_ERROR;
            done = info.xid == barrier_xid;
        }
        ofpbuf_delete(b);
        if (done) {
            return ok;
        }
    }
}

static struct ofpbuf *
encode_flow_stats_request_or_die(const struct ofp_flow_stats_request *r,
                                 struct vconn *vc)
{
    /* OpenFlow 1.0 dumps travel as NXST_FLOW/NXST_AGGREGATE where the
     * switch takes them, as ovs-ofctl prefers: the replies then carry
     * whole NXM matches (conntrack, registers...) that ofp_match would
     * cut short. */
    uint8_t version = vc->version;
    struct ofpbuf *req = (version == OFP10_VERSION
                          && (!ofp_match_usable_in(&r->match, version)
                              || switch_takes_nxm(vc))
                          ? ofp_nx_encode_flow_stats_request(
                              r, ofpmsg_next_xid())
                          : ofp_encode_flow_stats_request(
                              r, version, ofpmsg_next_xid()));
    if (!req) {
        xvs_fatal(0, "flow match cannot be expressed in %s",
                  ofp_version_to_string(version));
    }
    return req;
}

/* Every flow of the switch behind 'vc', into collected_fs. */
static void
collect_all_flows(struct vconn *vc)
{
    struct ofp_flow_stats_request r;
    char *error = ofp_parse_flow_stats_request_str(&r, "", false);
    if (error) {
        xvs_fatal(0, "%s", error);
    }
    dump_transaction(vc, encode_flow_stats_request_or_die(&r, vc),
                     collect_flow_stats);
}

static void
dump_flows__(int argc, char *argv[], bool aggregate)
{
    struct ofp_flow_stats_request r;
    char *error = ofp_parse_flow_stats_request_str(&r, argc > 2 ? argv[2]
                                                             : "", aggregate);
    if (error) {
        xvs_fatal(0, "%s", error);
    }
    struct vconn vc;
    vconn_open(&vc, argv[1]);
    struct ofpbuf *req = encode_flow_stats_request_or_die(&r, &vc);
    if (!aggregate && n_sort_keys) {
        /* Sorted output has no reply headers: it is one list. */
        dump_transaction(&vc, req, collect_flow_stats);
        ofctl_sort_flow_stats(collected_fs, n_collected_fs, sort_keys,
                              n_sort_keys);
        print_flow_stats(collected_fs, n_collected_fs);
        ofp_flow_stats_free(collected_fs, n_collected_fs);
    } else {
        /* As ovs-ofctl, flows without statistics or with names print
         * without the reply headers. */
        dump_transaction(&vc, req, (no_stats || show_names) && !aggregate
                                   ? print_flow_no_stats : print_reply);
    }
    vconn_close(&vc);
}

static void
cmd_dump_flows(int argc, char *argv[])
{
    dump_flows__(argc, argv, false);
}

static void
cmd_dump_aggregate(int argc, char *argv[])
{
    dump_flows__(argc, argv, true);
}

/* OpenFlow 1.0 flow_mods whose match ofp_match cannot hold travel as
 * NXT_FLOW_MOD with an NXM match, as ovs-ofctl does. */
static struct ofpbuf *
encode_flow_mod_any(const struct ofp_flow_mod_msg *fm, uint8_t version,
                    uint32_t xid)
{
    if (version == OFP10_VERSION
        && !ofp_match_usable_in(&fm->match, version)) {
        return ofp_nx_encode_flow_mod(fm, xid);
    }
    return ofp_encode_flow_mod(fm, version, xid);
}

static struct ofpbuf *
encode_flow_mod_or_die(const struct ofp_flow_mod_msg *fm, uint8_t version)
{
    struct ofpbuf *b = encode_flow_mod_any(fm, version, ofpmsg_next_xid());
    if (!b) {
        xvs_fatal(0, "flow cannot be expressed in %s (try -O OpenFlow13)",
                  ofp_version_to_string(version));
    }
    return b;
}

/* Sends 'reqs' as one atomic, ordered bundle: open, add each, commit.
 * Prints every error reply and exits 1 if there was any. */
static void
transact_bundle(struct vconn *vc, struct ofpbuf **reqs, size_t n)
{
    if (vc->version < OFP13_VERSION) {
        xvs_fatal(0, "%s: bundles need OpenFlow 1.3 or later (negotiated "
                  "%s)", vc->name, ofp_version_to_string(vc->version));
    }
    struct ofp_bundle_ctrl_msg bc = {
        .bundle_id = 0,
        .type = OFPBCT_OPEN_REQUEST,
        .flags = OFPBF_ATOMIC | OFPBF_ORDERED,
    };
    vconn_send(vc, ofp_encode_bundle_ctrl(&bc, vc->version,
                                          ofpmsg_next_xid()));
    for (size_t i = 0; i < n; i++) {
        vconn_send(vc, ofp_encode_bundle_add(bc.bundle_id, bc.flags,
                                             reqs[i]));
        ofpbuf_delete(reqs[i]);
    }
    /* A message the switch refused to add would leave the rest to be
     * committed without it: discard the whole bundle instead. */
    uint32_t barrier_xid = ofpmsg_next_xid();
    vconn_send(vc, ofp_encode_empty(OFPTYPE_BARRIER_REQUEST, vc->version,
                                    barrier_xid));
    bool failed = print_errors_until(vc, barrier_xid);

    uint32_t ctrl_xid = ofpmsg_next_xid();
    bc.type = failed ? OFPBCT_DISCARD_REQUEST : OFPBCT_COMMIT_REQUEST;
    vconn_send(vc, ofp_encode_bundle_ctrl(&bc, vc->version, ctrl_xid));
    if (print_errors_until(vc, ctrl_xid) || failed) {
        exit(1);
    }
}

static void
flow_mods(const char *target, char **flows, size_t n, int command)
{
    struct ofp_flow_mod_msg *fms = xcalloc(n ? n : 1, sizeof *fms);
    bool of10 = false;
    for (size_t i = 0; i < n; i++) {
        char *error = ofp_parse_flow_mod_str(&fms[i], flows[i], command);
        if (error) {
            xvs_fatal(0, "%s", error);
        }
        of10 |= ofpacts_need_of10(&fms[i].ofpacts, &fms[i].match);
    }
    struct vconn vc;
    if (use_bundle && !versions_given) {
        allowed_versions |= 1u << OFP14_VERSION;
    }
    if (of10) {
        vconn_allow_of10_only(versions_given);
    }
    vconn_open(&vc, target);
    if (of10) {
        vconn_check_of10(&vc);
    }
    struct ofpbuf **reqs = xcalloc(n ? n : 1, sizeof *reqs);
    for (size_t i = 0; i < n; i++) {
        reqs[i] = encode_flow_mod_or_die(&fms[i], vc.version);
        ofp_flow_mod_uninit(&fms[i]);
    }
    if (use_bundle) {
        transact_bundle(&vc, reqs, n);
    } else {
        transact_noreply(&vc, reqs, n);
    }
    free(reqs);
    free(fms);
    vconn_close(&vc);
}

static void
cmd_add_flow(int argc XVS_UNUSED, char *argv[])
{
    flow_mods(argv[1], &argv[2], 1, OFPFC_ADD);
}

static void
cmd_mod_flows(int argc XVS_UNUSED, char *argv[])
{
    flow_mods(argv[1], &argv[2], 1,
              strict ? OFPFC_MODIFY_STRICT : OFPFC_MODIFY);
}

static void
cmd_del_flows(int argc, char *argv[])
{
    char *flow = argc > 2 ? argv[2] : "";
    flow_mods(argv[1], &flow, 1,
              strict ? OFPFC_DELETE_STRICT : OFPFC_DELETE);
}

static FILE *
open_flow_file(const char *name)
{
    FILE *f = strcmp(name, "-") ? fopen(name, "r") : stdin;
    if (!f) {
        xvs_fatal(errno, "%s: open failed", name);
    }
    return f;
}

static void
close_flow_file(FILE *f)
{
    if (f != stdin) {
        fclose(f);
    }
}

static void
read_flow_file_or_die(struct ofctl_flow_set *set, const char *name)
{
    FILE *f = open_flow_file(name);
    char *error = ofctl_flow_set_read(set, f, name);
    close_flow_file(f);
    if (error) {
        xvs_fatal(0, "%s", error);
    }
}

/* Where diff-flows reads a source from: a name starting with '/' or '.'
 * is a file, one with ':' a switch; otherwise an existing file, else a
 * switch. */
static bool
source_is_file(const char *name)
{
    if (name[0] == '/' || name[0] == '.' || !strcmp(name, "-")) {
        return true;
    }
    if (strchr(name, ':')) {
        return false;
    }
    return access(name, F_OK) == 0;
}

static void
read_flow_source(struct ofctl_flow_set *set, const char *name)
{
    if (source_is_file(name)) {
        read_flow_file_or_die(set, name);
    } else {
        struct vconn vc;
        vconn_open(&vc, name);
        collect_all_flows(&vc);
        vconn_close(&vc);
        ofctl_flow_set_add_stats(set, collected_fs, n_collected_fs);
        ofp_flow_stats_free(collected_fs, n_collected_fs);
        collected_fs = NULL;
        n_collected_fs = 0;
    }
}

static void
cmd_diff_flows(int argc XVS_UNUSED, char *argv[])
{
    struct ofctl_flow_set sets[2];
    for (int i = 0; i < 2; i++) {
        ofctl_flow_set_init(&sets[i]);
        read_flow_source(&sets[i], argv[i + 1]);
    }

    /* Source1's flows, then the ones only source2 has. */
    bool differ = false;
    struct ds s = DS_EMPTY_INITIALIZER;
    for (int i = 0; i < 2; i++) {
        size_t n;
        const struct ofctl_flow **flows = ofctl_flow_set_sorted(&sets[i], &n);
        for (size_t j = 0; j < n; j++) {
            const struct ofctl_flow *a = i == 0 ? flows[j] : NULL;
            const struct ofctl_flow *b = (i == 1 ? flows[j]
                                          : ofctl_flow_set_find(&sets[1],
                                                                flows[j]));
            if (i == 1 && ofctl_flow_set_find(&sets[0], flows[j])) {
                continue;
            }
            if (a && b && ofctl_flow_same_version(a, b)) {
                continue;
            }
            differ = true;
            if (a) {
                ds_clear(&s);
                ofctl_flow_format(a, &s);
                printf("-%s\n", ds_cstr(&s));
            }
            if (b) {
                ds_clear(&s);
                ofctl_flow_format(b, &s);
                printf("+%s\n", ds_cstr(&s));
            }
        }
        free(flows);
    }
    ds_destroy(&s);
    for (int i = 0; i < 2; i++) {
        ofctl_flow_set_destroy(&sets[i]);
    }
    if (differ) {
        exit(2);
    }
}

static struct ofpbuf *
encode_set_flow(const struct ofctl_flow *flow, uint8_t command,
                uint8_t version)
{
    struct ofp_flow_mod_msg fm;
    ofp_flow_mod_init(&fm);
    fm.command = command;
    fm.table_id = flow->table_id;
    fm.priority = flow->priority;
    fm.match = flow->match;
    if (command == OFPFC_ADD) {
        fm.new_cookie = flow->cookie;
        fm.idle_timeout = flow->idle_timeout;
        fm.hard_timeout = flow->hard_timeout;
        fm.importance = flow->importance;
        ofpacts_clone(&fm.ofpacts, &flow->ofpacts);
    }
    struct ofpbuf *b = encode_flow_mod_or_die(&fm, version);
    ofp_flow_mod_uninit(&fm);
    return b;
}

/* Makes the switch's tables equal to the file's flows: deletes what the
 * file lacks, then adds what the switch lacks or has in another version
 * (every flow with --readd). */
static void
cmd_replace_flows(int argc XVS_UNUSED, char *argv[])
{
    struct ofctl_flow_set file, sw;
    ofctl_flow_set_init(&file);
    ofctl_flow_set_init(&sw);
    read_flow_file_or_die(&file, argv[2]);

    if (use_bundle && !versions_given) {
        allowed_versions |= 1u << OFP14_VERSION;
    }
    struct vconn vc;
    vconn_open(&vc, argv[1]);
    collect_all_flows(&vc);
    ofctl_flow_set_add_stats(&sw, collected_fs, n_collected_fs);
    ofp_flow_stats_free(collected_fs, n_collected_fs);

    struct ofpbuf **reqs = NULL;
    size_t n_reqs = 0;
    size_t n;
    const struct ofctl_flow **flows = ofctl_flow_set_sorted(&sw, &n);
    for (size_t i = 0; i < n; i++) {
        if (!ofctl_flow_set_find(&file, flows[i])) {
            reqs = xrealloc(reqs, (n_reqs + 1) * sizeof *reqs);
            reqs[n_reqs++] = encode_set_flow(flows[i], OFPFC_DELETE_STRICT,
                                             vc.version);
        }
    }
    free(flows);
    flows = ofctl_flow_set_sorted(&file, &n);
    for (size_t i = 0; i < n; i++) {
        const struct ofctl_flow *old = ofctl_flow_set_find(&sw, flows[i]);
        if (readd || !old || !ofctl_flow_same_version(old, flows[i])) {
            reqs = xrealloc(reqs, (n_reqs + 1) * sizeof *reqs);
            reqs[n_reqs++] = encode_set_flow(flows[i], OFPFC_ADD,
                                             vc.version);
        }
    }
    free(flows);

    if (use_bundle) {
        transact_bundle(&vc, reqs, n_reqs);
    } else {
        transact_noreply(&vc, reqs, n_reqs);
    }
    free(reqs);
    vconn_close(&vc);
    ofctl_flow_set_destroy(&file);
    ofctl_flow_set_destroy(&sw);
}

static void
cmd_add_flows(int argc XVS_UNUSED, char *argv[])
{
    FILE *f = open_flow_file(argv[2]);
    char **lines;
    size_t n = ofctl_read_flow_lines(f, &lines, NULL);
    close_flow_file(f);
    flow_mods(argv[1], lines, n, -1);
    for (size_t i = 0; i < n; i++) {
        free(lines[i]);
    }
    free(lines);
}

static void
cmd_packet_out(int argc, char *argv[])
{
    struct ofp_packet_out_msg po;
    if (argc == 3) {
        ofctl_parse_packet_out(argv[2], &po);
    } else if (argc >= 5) {
        ofctl_parse_packet_out_args(argv[2], argv[3], argv[4], &po);
    } else {
        xvs_fatal(0, "'packet-out' command requires 2 or 4 arguments");
    }
    if (use_bundle && !versions_given) {
        allowed_versions |= 1u << OFP14_VERSION;
    }
    struct vconn vc;
    vconn_open(&vc, argv[1]);
    struct ofpbuf *req = ofctl_encode_packet_out(&po, vc.version);
    if (use_bundle) {
        transact_bundle(&vc, &req, 1);
    } else {
        transact_noreply(&vc, &req, 1);
    }
    vconn_close(&vc);
}

static void
hex_dump(const uint8_t *p, size_t n)
{
    for (size_t ofs = 0; ofs < n; ofs += 16) {
        printf("%08zx  ", ofs);
        for (size_t i = 0; i < 16 && ofs + i < n; i++) {
            printf("%02x", p[ofs + i]);
            if (i != 15 && ofs + i + 1 < n) {
                putchar(i == 7 ? '-' : ' ');
            }
        }
        putchar('\n');
    }
}

/* An encoder of one message for the parse-* commands: NULL if 'version'
 * cannot express it. */
typedef struct ofpbuf *encode_func(const void *msg, uint8_t version);

static struct ofpbuf *
encode_flow_mod(const void *fm_, uint8_t version)
{
    const struct ofp_flow_mod_msg *fm = fm_;
    if (version != OFP10_VERSION
        && ofpacts_need_of10(&fm->ofpacts, &fm->match)) {
        return NULL;
    }
    return encode_flow_mod_any(fm, version, 1);
}

static struct ofpbuf *
encode_group_mod(const void *gm, uint8_t version)
{
    return ofp_encode_group_mod(gm, version, 1);
}

static struct ofpbuf *
encode_meter_mod(const void *mm, uint8_t version)
{
    return ofp_encode_meter_mod(mm, version, 1);
}

/* The parse-* commands' output: 'msg' as each version given with -O
 * (OpenFlow 1.3 by default) encodes it, printed back and in hex.  'what'
 * names the kind of message in the error for a version that cannot. */
static void
print_encodings(const void *msg, encode_func *encode, const char *what)
{
    uint32_t versions = versions_given ? allowed_versions
                                       : 1u << OFP13_VERSION;
    for (int v = 1; v < 32; v++) {
        if (!(versions & (1u << v))) {
            continue;
        }
        struct ofpbuf *b = encode(msg, v);
        if (!b) {
            xvs_fatal(0, "%s cannot be expressed in %s", what,
                      ofp_version_to_string(v));
        }
        char *s = ofp_to_string(b->data, b->size);
        fputs(s, stdout);
        free(s);
        hex_dump(b->data, b->size);
        ofpbuf_delete(b);
    }
}

static void
cmd_parse_flow(int argc XVS_UNUSED, char *argv[])
{
    struct ofp_flow_mod_msg fm;
    char *error = ofp_parse_flow_mod_str(&fm, argv[1], OFPFC_ADD);
    if (error) {
        xvs_fatal(0, "%s", error);
    }
    print_encodings(&fm, encode_flow_mod, "flow");
    ofp_flow_mod_uninit(&fm);
}

/* ---- Groups. ---- */

static void
groups_need_version(const struct vconn *vc)
{
    if (vc->version < OFP13_VERSION) {
        xvs_fatal(0, "groups need OpenFlow 1.3 or later (negotiated %s; try "
                  "-O OpenFlow13)", ofp_version_to_string(vc->version));
    }
}

/* A command keyword that may start a line of a flow or group file (or a
 * "flow"/"group" line of a bundle file), as ovs-ofctl allows. */
struct line_keyword {
    const char *name;
    int command;
};

/* If '*line' starts with one of the 'n' keywords of 'kws' (a whole word,
 * not "name=..."), skips it and returns its command; otherwise returns
 * 'command'. */
static int
line_command(const char **line, const struct line_keyword *kws, size_t n,
             int command)
{
    const char *s = *line + strspn(*line, " \t");
    size_t len = strcspn(s, " \t,");
    for (size_t i = 0; i < n; i++) {
        if (len == strlen(kws[i].name) && !strncmp(s, kws[i].name, len)
            && s[len] != '=') {
            *line = s + len + strspn(s + len, " \t,");
            return kws[i].command;
        }
    }
    return command;
}

/* add-group(s) lines may start with the command to send instead. */
static uint16_t
group_line_command(const char **line, uint16_t command)
{
    static const struct line_keyword keywords[] = {
        { "add", OFPGC_ADD },
        { "modify", OFPGC_MODIFY },
        { "add_or_mod", OFPGC_ADD_OR_MOD },
        { "delete", OFPGC_DELETE },
        { "insert_bucket", OFPGC_INSERT_BUCKET },
        { "remove_bucket", OFPGC_REMOVE_BUCKET },
    };
    return line_command(line, keywords, ARRAY_SIZE(keywords), command);
}

static bool
is_bucket_command(uint16_t command)
{
    return command == OFPGC_INSERT_BUCKET || command == OFPGC_REMOVE_BUCKET;
}

static void
group_mods(const char *target, char **groups, size_t n, uint16_t command)
{
    struct ofp_group_mod *gms = xcalloc(n ? n : 1, sizeof *gms);
    uint16_t bucket_cmd = 0;    /* The first bucket command, if any. */
    for (size_t i = 0; i < n; i++) {
        const char *line = groups[i];
        uint16_t cmd = (command == OFPGC_ADD
                        ? group_line_command(&line, command) : command);
        char *error = ofp_parse_group_mod_str(&gms[i], line, cmd);
        if (error) {
            xvs_fatal(0, "%s", error);
        }
        if (!bucket_cmd && is_bucket_command(cmd)) {
            bucket_cmd = cmd;
        }
    }
    if (bucket_cmd && !versions_given) {
        allowed_versions |= 1u << OFP15_VERSION;
    }
    if (use_bundle && !versions_given) {
        allowed_versions |= 1u << OFP14_VERSION;
    }
    struct vconn vc;
    vconn_open(&vc, target);
    groups_need_version(&vc);
    if (bucket_cmd && vc.version < OFP15_VERSION) {
        xvs_fatal(0, "%s needs OpenFlow 1.5 or later ('-O OpenFlow15')",
                  bucket_cmd == OFPGC_INSERT_BUCKET ? "insert-bucket"
                                                    : "remove-bucket");
    }
    struct ofpbuf **reqs = xcalloc(n ? n : 1, sizeof *reqs);
    for (size_t i = 0; i < n; i++) {
        reqs[i] = ofp_encode_group_mod(&gms[i], vc.version,
                                       ofpmsg_next_xid());
        ofp_group_uninit(&gms[i].group);
    }
    if (use_bundle) {
        transact_bundle(&vc, reqs, n);
    } else {
        transact_noreply(&vc, reqs, n);
    }
    free(reqs);
    free(gms);
    vconn_close(&vc);
}

static void
cmd_add_group(int argc XVS_UNUSED, char *argv[])
{
    group_mods(argv[1], &argv[2], 1, OFPGC_ADD);
}

static void
cmd_mod_group(int argc XVS_UNUSED, char *argv[])
{
    group_mods(argv[1], &argv[2], 1,
               may_create ? OFPGC_ADD_OR_MOD : OFPGC_MODIFY);
}

static void
cmd_insert_buckets(int argc XVS_UNUSED, char *argv[])
{
    group_mods(argv[1], &argv[2], 1, OFPGC_INSERT_BUCKET);
}

static void
cmd_remove_buckets(int argc XVS_UNUSED, char *argv[])
{
    group_mods(argv[1], &argv[2], 1, OFPGC_REMOVE_BUCKET);
}

static void
cmd_del_groups(int argc, char *argv[])
{
    char *group = argc > 2 ? argv[2] : "";
    group_mods(argv[1], &group, 1, OFPGC_DELETE);
}

static void
cmd_add_groups(int argc XVS_UNUSED, char *argv[])
{
    FILE *f = open_flow_file(argv[2]);
    char **lines;
    size_t n = ofctl_read_flow_lines(f, &lines, NULL);
    close_flow_file(f);
    group_mods(argv[1], lines, n, OFPGC_ADD);
    for (size_t i = 0; i < n; i++) {
        free(lines[i]);
    }
    free(lines);
}

/* ---- bundle SWITCH FILE. ---- */

/* A "flow" line of a bundle file may name its command next, as in
 * ovs-ofctl; a bare "flow" adds. */
static int
flow_line_command(const char **line)
{
    static const struct line_keyword keywords[] = {
        { "add", OFPFC_ADD },
        { "modify", OFPFC_MODIFY },
        { "modify_strict", OFPFC_MODIFY_STRICT },
        { "delete", OFPFC_DELETE },
        { "delete_strict", OFPFC_DELETE_STRICT },
    };
    return line_command(line, keywords, ARRAY_SIZE(keywords), OFPFC_ADD);
}

/* Whether 'line' starts with the word 'kw'; if so, skips it. */
static bool
take_keyword(const char **line, const char *kw)
{
    size_t len = strlen(kw);
    if (strncmp(*line, kw, len) || !strchr(" \t", (*line)[len])) {
        return false;
    }
    *line += len + strspn(*line + len, " \t");
    return true;
}

/* One parsed line of a bundle file. */
struct bundle_line {
    enum { BL_FLOW, BL_GROUP, BL_PACKET_OUT } kind;
    struct ofp_flow_mod_msg fm;
    struct ofp_group_mod gm;
    struct ofp_packet_out_msg po;
};

/* Sends the flow mods, group mods and packet-outs of 'file' ("flow
 * [COMMAND] FLOW", "group [COMMAND] GROUP", "packet-out PACKET-OUT" per
 * line) as one atomic, ordered bundle, as ovs-ofctl's bundle command. */
static void
cmd_bundle(int argc XVS_UNUSED, char *argv[])
{
    FILE *f = open_flow_file(argv[2]);
    char **lines;
    size_t *line_nos;
    size_t n = ofctl_read_flow_lines(f, &lines, &line_nos);
    close_flow_file(f);

    struct bundle_line *bls = xcalloc(n ? n : 1, sizeof *bls);
    bool need15 = false;
    for (size_t i = 0; i < n; i++) {
        const char *line = lines[i];
        char *error = NULL;
        if (take_keyword(&line, "flow")) {
            bls[i].kind = BL_FLOW;
            int cmd = flow_line_command(&line);
            error = ofp_parse_flow_mod_str(&bls[i].fm, line, cmd);
        } else if (take_keyword(&line, "group")) {
            bls[i].kind = BL_GROUP;
            uint16_t cmd = group_line_command(&line, OFPGC_ADD);
            need15 |= is_bucket_command(cmd);
            error = ofp_parse_group_mod_str(&bls[i].gm, line, cmd);
        } else if (take_keyword(&line, "packet-out")) {
            bls[i].kind = BL_PACKET_OUT;
            ofctl_parse_packet_out(line, &bls[i].po);
        } else {
            error = xstrdup("Unknown bundle message type");
        }
        if (error) {
            xvs_fatal(0, "%s:%zu: %s", argv[2], line_nos[i], error);
        }
    }
    if (!versions_given) {
        allowed_versions |= 1u << (need15 ? OFP15_VERSION : OFP14_VERSION);
    }
    struct vconn vc;
    vconn_open(&vc, argv[1]);
    struct ofpbuf **reqs = xcalloc(n ? n : 1, sizeof *reqs);
    for (size_t i = 0; i < n; i++) {
        switch (bls[i].kind) {
        case BL_FLOW:
            reqs[i] = encode_flow_mod_or_die(&bls[i].fm, vc.version);
            ofp_flow_mod_uninit(&bls[i].fm);
            break;
        case BL_GROUP:
            groups_need_version(&vc);
            reqs[i] = ofp_encode_group_mod(&bls[i].gm, vc.version,
                                           ofpmsg_next_xid());
            ofp_group_uninit(&bls[i].gm.group);
            break;
        case BL_PACKET_OUT:
            reqs[i] = ofctl_encode_packet_out(&bls[i].po, vc.version);
            break;
        }
        free(lines[i]);
    }
    transact_bundle(&vc, reqs, n);
    vconn_close(&vc);
    free(reqs);
    free(bls);
    free(lines);
    free(line_nos);
}

/* The group a dump command names: "N", "group_id=N" or nothing (all). */
static uint32_t
parse_group_arg(int argc, char *argv[])
{
    uint32_t id = OFPG_ALL;
    if (argc > 2) {
        struct ofp_group_mod gm;
        const char *arg = argv[2];
        char *s = (strchr(arg, '=') ? xstrdup(arg)
                   : xasprintf("group_id=%s", arg));
        char *error = ofp_parse_group_mod_str(&gm, s, OFPGC_DELETE);
        if (error) {
            xvs_fatal(0, "%s", error);
        }
        id = gm.group.group_id;
        ofp_group_uninit(&gm.group);
        free(s);
    }
    return id;
}

static uint32_t dump_group_filter = OFPG_ALL;

/* Prints a group desc reply, only the entries for 'dump_group_filter'
 * when one was named (only OpenFlow 1.5's request can name one). */
static void
print_group_desc_reply(const struct ofp_msg_info *info XVS_UNUSED,
                       const struct ofpbuf *b)
{
    char *s = ofp_to_string(b->data, b->size);
    if (dump_group_filter == OFPG_ALL) {
        fputs(s, stdout);
    } else {
        char *prefix = xasprintf(" group_id=%"PRIu32",", dump_group_filter);
        char *save = NULL;
        bool first = true;
        for (char *line = strtok_r(s, "\n", &save); line;
             line = strtok_r(NULL, "\n", &save)) {
            if (first || !strncmp(line, prefix, strlen(prefix))) {
                puts(line);
            }
            first = false;
        }
        free(prefix);
    }
    free(s);
}

static void
cmd_dump_groups(int argc, char *argv[])
{
    dump_group_filter = parse_group_arg(argc, argv);
    struct vconn vc;
    vconn_open(&vc, argv[1]);
    groups_need_version(&vc);
    dump_transaction(&vc, ofp_encode_group_desc_request(dump_group_filter,
                                                        vc.version,
                                                        ofpmsg_next_xid()),
                     print_group_desc_reply);
    vconn_close(&vc);
}

static void
cmd_dump_group_stats(int argc, char *argv[])
{
    uint32_t id = parse_group_arg(argc, argv);
    struct vconn vc;
    vconn_open(&vc, argv[1]);
    groups_need_version(&vc);
    dump_transaction(&vc, ofp_encode_group_stats_request(id, vc.version,
                                                         ofpmsg_next_xid()),
                     print_reply);
    vconn_close(&vc);
}

static void
cmd_dump_group_features(int argc XVS_UNUSED, char *argv[])
{
    struct vconn vc;
    vconn_open(&vc, argv[1]);
    groups_need_version(&vc);
    dump_transaction(&vc,
                     ofp_encode_empty(OFPTYPE_GROUP_FEATURES_STATS_REQUEST,
                                      vc.version, ofpmsg_next_xid()),
                     print_reply);
    vconn_close(&vc);
}

static void
cmd_parse_group(int argc XVS_UNUSED, char *argv[])
{
    struct ofp_group_mod gm;
    char *error = ofp_parse_group_mod_str(&gm, argv[1], OFPGC_ADD);
    if (error) {
        xvs_fatal(0, "%s", error);
    }
    print_encodings(&gm, encode_group_mod, "groups");
    ofp_group_uninit(&gm.group);
}

static void
cmd_parse_meter(int argc XVS_UNUSED, char *argv[])
{
    struct ofp_meter_mod mm;
    char *error = ofp_parse_meter_mod_str(&mm, argv[1], OFPMC_ADD);
    if (error) {
        xvs_fatal(0, "%s", error);
    }
    print_encodings(&mm, encode_meter_mod, "meters");
    ofp_meter_mod_uninit(&mm);
}

/* ---- Meters. ---- */

static void
meters_need_version(const struct vconn *vc)
{
    if (vc->version < OFP13_VERSION) {
        xvs_fatal(0, "meters need OpenFlow 1.3 or later (negotiated %s; try "
                  "-O OpenFlow13)", ofp_version_to_string(vc->version));
    }
}

/* The meter_mod that 'arg' describes; for OFPMC_DELETE (and the dump
 * commands) a bare "N" or "all" stands for "meter=N". */
static void
parse_meter_or_die(struct ofp_meter_mod *mm, const char *arg,
                   uint16_t command)
{
    char *s = (command == OFPMC_DELETE && !strchr(arg, '=') && *arg
               ? xasprintf("meter=%s", arg) : xstrdup(arg));
    char *error = ofp_parse_meter_mod_str(mm, s, command);
    free(s);
    if (error) {
        xvs_fatal(0, "%s", error);
    }
}

static void
meter_mod(const char *target, const char *arg, uint16_t command)
{
    struct ofp_meter_mod mm;
    parse_meter_or_die(&mm, arg, command);
    struct vconn vc;
    vconn_open(&vc, target);
    meters_need_version(&vc);
    struct ofpbuf *req = ofp_encode_meter_mod(&mm, vc.version,
                                              ofpmsg_next_xid());
    transact_noreply(&vc, &req, 1);
    ofp_meter_mod_uninit(&mm);
    vconn_close(&vc);
}

static void
cmd_add_meter(int argc XVS_UNUSED, char *argv[])
{
    meter_mod(argv[1], argv[2], OFPMC_ADD);
}

static void
cmd_mod_meter(int argc XVS_UNUSED, char *argv[])
{
    meter_mod(argv[1], argv[2], OFPMC_MODIFY);
}

static void
cmd_del_meters(int argc, char *argv[])
{
    meter_mod(argv[1], argc > 2 ? argv[2] : "", OFPMC_DELETE);
}

/* dump-meters and meter-stats: one request for the named meter (all if
 * none is named), the replies printed as they come. */
static void
meter_request(int argc, char *argv[], enum ofptype type)
{
    struct ofp_meter_mod mm;
    parse_meter_or_die(&mm, argc > 2 ? argv[2] : "", OFPMC_DELETE);
    struct vconn vc;
    vconn_open(&vc, argv[1]);
    meters_need_version(&vc);
    dump_transaction(&vc, ofp_encode_meter_request(type, mm.meter_id,
                                                   vc.version,
                                                   ofpmsg_next_xid()),
                     print_reply);
    ofp_meter_mod_uninit(&mm);
    vconn_close(&vc);
}

static void
cmd_dump_meters(int argc, char *argv[])
{
    meter_request(argc, argv, OFPTYPE_METER_CONFIG_STATS_REQUEST);
}

static void
cmd_meter_stats(int argc, char *argv[])
{
    meter_request(argc, argv, OFPTYPE_METER_STATS_REQUEST);
}

static void
cmd_meter_features(int argc XVS_UNUSED, char *argv[])
{
    struct vconn vc;
    vconn_open(&vc, argv[1]);
    meters_need_version(&vc);
    dump_transaction(&vc,
                     ofp_encode_empty(OFPTYPE_METER_FEATURES_STATS_REQUEST,
                                      vc.version, ofpmsg_next_xid()),
                     print_reply);
    vconn_close(&vc);
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
    { "dump-tables", 1, 1, cmd_dump_tables },
    { "dump-table-features", 1, 2, cmd_dump_table_features },
    { "dump-ports", 1, 2, cmd_dump_ports },
    { "dump-ports-desc", 1, 1, cmd_dump_ports_desc },
    { "dump-flows", 1, 2, cmd_dump_flows },
    { "dump-aggregate", 1, 2, cmd_dump_aggregate },
    { "add-flow", 2, 2, cmd_add_flow },
    { "add-flows", 2, 2, cmd_add_flows },
    { "mod-flows", 2, 2, cmd_mod_flows },
    { "del-flows", 1, 2, cmd_del_flows },
    { "replace-flows", 2, 2, cmd_replace_flows },
    { "diff-flows", 2, 2, cmd_diff_flows, true },
    { "packet-out", 2, 4, cmd_packet_out },
    { "bundle", 2, 2, cmd_bundle },
    { "mod-table", 3, 3, ofctl_mod_table },
    { "dump-table-desc", 1, 1, ofctl_dump_table_desc },
    { "parse-flow", 1, 1, cmd_parse_flow, true },
    { "add-group", 2, 2, cmd_add_group },
    { "add-groups", 2, 2, cmd_add_groups },
    { "mod-group", 2, 2, cmd_mod_group },
    { "del-groups", 1, 2, cmd_del_groups },
    { "insert-buckets", 2, 2, cmd_insert_buckets },
    { "remove-buckets", 2, 2, cmd_remove_buckets },
    { "dump-groups", 1, 2, cmd_dump_groups },
    { "dump-group-stats", 1, 2, cmd_dump_group_stats },
    { "dump-group-features", 1, 1, cmd_dump_group_features },
    { "parse-group", 1, 1, cmd_parse_group, true },
    { "parse-meter", 1, 1, cmd_parse_meter, true },
    { "add-meter", 2, 2, cmd_add_meter },
    { "mod-meter", 2, 2, cmd_mod_meter },
    { "del-meters", 1, 2, cmd_del_meters },
    { "dump-meters", 1, 2, cmd_dump_meters },
    { "meter-stats", 1, 2, cmd_meter_stats },
    { "meter-features", 1, 1, cmd_meter_features },
    { "monitor", 1, 5, ofctl_monitor },
    { "snoop", 1, 1, ofctl_snoop },
    { "mod-port", 3, 3, ofctl_mod_port },
    { "add-tlv-map", 2, 2, ofctl_add_tlv_map },
    { "del-tlv-map", 1, 2, ofctl_del_tlv_map },
    { "dump-tlv-map", 1, 1, ofctl_dump_tlv_map },
    { "queue-stats", 1, 3, ofctl_queue_stats },
    { "queue-get-config", 1, 3, ofctl_queue_get_config },
};

static void
add_sort_key(const char *name, bool descending)
{
    const struct mf_field *field = NULL;
    if (name && strcmp(name, "priority")) {
        field = mf_from_name(name);
        if (!field) {
            xvs_fatal(0, "%s: unknown field name", name);
        }
    }
    sort_keys = xrealloc(sort_keys, (n_sort_keys + 1) * sizeof *sort_keys);
    sort_keys[n_sort_keys++] = (struct ofctl_sort_key) { field, descending };
}

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
            versions_given = true;
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
            strict = true;
            break;
        case OPT_NO_STATS:
            no_stats = true;
            break;
        case OPT_BUNDLE:
            use_bundle = true;
            break;
        case OPT_READD:
            readd = true;
            break;
        case OPT_MAY_CREATE:
            may_create = true;
            break;
        case OPT_NAMES:
        case OPT_NO_NAMES:
            names = c == OPT_NAMES ? 1 : 0;
            break;
        case OPT_SORT:
        case OPT_RSORT:
            add_sort_key(optarg, c == OPT_RSORT);
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
            show_names = names > 0 || isatty(STDOUT_FILENO);
            ofctl_use_names(argv[1], show_names);
        }
        cmd->handler(argc, argv);
        return 0;
    }
    xvs_fatal(0, "unknown command '%s'; use --help for help", argv[0]);
}
