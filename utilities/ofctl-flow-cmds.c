/* ofctl-flow-cmds: xvs-ofctl's flow table commands. */
#include <config.h>
#include "ofctl-flow-cmds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ofctl-flows.h"
#include "ofctl-vconn.h"
#include "ofproto/ofp-msgs.h"
#include "util.h"

bool ofctl_strict;
bool ofctl_no_stats;
bool ofctl_show_names;
bool ofctl_readd;
/* --sort/--rsort criteria, in the order given. */
static struct ofctl_sort_key *sort_keys;
static size_t n_sort_keys;

void
ofctl_add_sort_key(const char *name, bool descending)
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

/* Prints flows as one list, without reply headers (--sort, --names,
 * --no-stats).  As ovs-ofctl there, without NXST_FLOW's ages. */
static void
print_flow_stats(const struct ofp_flow_stats *fs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct ofp_flow_stats f = fs[i];
        f.idle_age = f.hard_age = 0;
        struct ds s = DS_EMPTY_INITIALIZER;
        ofp_flow_stats_format(&f, ofctl_no_stats, &s);
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
        bool bare = (ofctl_no_stats || ofctl_show_names) && !aggregate;
        dump_transaction(&vc, req, bare ? print_flow_no_stats : print_reply);
    }
    vconn_close(&vc);
}

void
ofctl_dump_flows(int argc, char *argv[])
{
    dump_flows__(argc, argv, false);
}

void
ofctl_dump_aggregate(int argc, char *argv[])
{
    dump_flows__(argc, argv, true);
}


/* OpenFlow 1.0 flow_mods whose match ofp_match cannot hold travel as
 * NXT_FLOW_MOD with an NXM match, as ovs-ofctl does. */
struct ofpbuf *
ofctl_encode_flow_mod_any(const struct ofp_flow_mod_msg *fm,
                          uint8_t version, uint32_t xid)
{
    if (version == OFP10_VERSION
        && !ofp_match_usable_in(&fm->match, version)) {
        return ofp_nx_encode_flow_mod(fm, xid);
    }
    return ofp_encode_flow_mod(fm, version, xid);
}

struct ofpbuf *
ofctl_encode_flow_mod_or_die(const struct ofp_flow_mod_msg *fm,
                             struct vconn *vc)
{
    /* OpenFlow 1.0 has no table id in a flow_mod: as ovs-ofctl, a flow
     * mod for a table other than 1.0's implicit one (table 0 for adds,
     * every table otherwise) first enables Nicira's table id in the
     * command. */
    struct ofp_flow_mod_msg tid_fm;
    uint8_t implicit = fm->command == OFPFC_ADD ? 0 : OFPTT_ALL;
    if (vc->version == OFP10_VERSION && fm->table_id != implicit) {
        if (!vc->flow_mod_table_id) {
            vconn_send(vc, ofp_encode_nx_flow_mod_table_id(
                           true, vc->version, ofpmsg_next_xid()));
            vc->flow_mod_table_id = true;
        }
        tid_fm = *fm;
        tid_fm.table_id_in_command = true;
        fm = &tid_fm;
    }
    struct ofpbuf *b = ofctl_encode_flow_mod_any(fm, vc->version,
                                                 ofpmsg_next_xid());
    if (!b) {
        xvs_fatal(0, "flow cannot be expressed in %s (try -O OpenFlow13)",
                  ofp_version_to_string(vc->version));
    }
    return b;
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
    ofctl_allow_bundles();
    if (of10) {
        vconn_allow_of10_only(ofctl_versions_given);
    }
    vconn_open(&vc, target);
    if (of10) {
        vconn_check_of10(&vc);
    }
    struct ofpbuf **reqs = xcalloc(n ? n : 1, sizeof *reqs);
    for (size_t i = 0; i < n; i++) {
        reqs[i] = ofctl_encode_flow_mod_or_die(&fms[i], &vc);
        ofp_flow_mod_uninit(&fms[i]);
    }
    ofctl_transact_changes(&vc, reqs, n);
    free(reqs);
    free(fms);
    vconn_close(&vc);
}

void
ofctl_add_flow(int argc XVS_UNUSED, char *argv[])
{
    flow_mods(argv[1], &argv[2], 1, OFPFC_ADD);
}

void
ofctl_mod_flows(int argc XVS_UNUSED, char *argv[])
{
    flow_mods(argv[1], &argv[2], 1,
              ofctl_strict ? OFPFC_MODIFY_STRICT : OFPFC_MODIFY);
}

void
ofctl_del_flows(int argc, char *argv[])
{
    char *flow = argc > 2 ? argv[2] : "";
    flow_mods(argv[1], &flow, 1,
              ofctl_strict ? OFPFC_DELETE_STRICT : OFPFC_DELETE);
}

static void
read_flow_file_or_die(struct ofctl_flow_set *set, const char *name)
{
    char *error = ofctl_flow_set_read(set, name);
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

void
ofctl_diff_flows(int argc XVS_UNUSED, char *argv[])
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
                struct vconn *vc)
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
    struct ofpbuf *b = ofctl_encode_flow_mod_or_die(&fm, vc);
    ofp_flow_mod_uninit(&fm);
    return b;
}

/* Makes the switch's tables equal to the file's flows: deletes what the
 * file lacks, then adds what the switch lacks or has in another version
 * (every flow with --ofctl_readd). */
void
ofctl_replace_flows(int argc XVS_UNUSED, char *argv[])
{
    struct ofctl_flow_set file, sw;
    ofctl_flow_set_init(&file);
    ofctl_flow_set_init(&sw);
    read_flow_file_or_die(&file, argv[2]);

    ofctl_allow_bundles();
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
                                             &vc);
        }
    }
    free(flows);
    flows = ofctl_flow_set_sorted(&file, &n);
    for (size_t i = 0; i < n; i++) {
        const struct ofctl_flow *old = ofctl_flow_set_find(&sw, flows[i]);
        if (ofctl_readd || !old || !ofctl_flow_same_version(old, flows[i])) {
            reqs = xrealloc(reqs, (n_reqs + 1) * sizeof *reqs);
            reqs[n_reqs++] = encode_set_flow(flows[i], OFPFC_ADD, &vc);
        }
    }
    free(flows);

    ofctl_transact_changes(&vc, reqs, n_reqs);
    free(reqs);
    vconn_close(&vc);
    ofctl_flow_set_destroy(&file);
    ofctl_flow_set_destroy(&sw);
}

void
ofctl_add_flows(int argc XVS_UNUSED, char *argv[])
{
    char **lines;
    size_t n = ofctl_read_flow_lines(argv[2], &lines, NULL);
    flow_mods(argv[1], lines, n, -1);
    ofctl_free_lines(lines, n);
}

