/* ofctl-groups: xvs-ofctl's group commands. */
#include <config.h>
#include "ofctl-groups.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ofctl-flows.h"
#include "ofctl-vconn.h"
#include "ofproto/ofp-group.h"
#include "ofproto/ofp-msgs.h"
#include "util.h"

bool ofctl_may_create;

/* add-group(s) lines may start with the command to send instead. */
uint16_t
ofctl_group_line_command(const char **line, uint16_t command)
{
    static const struct ofctl_line_keyword keywords[] = {
        { "add", OFPGC_ADD },
        { "modify", OFPGC_MODIFY },
        { "add_or_mod", OFPGC_ADD_OR_MOD },
        { "delete", OFPGC_DELETE },
        { "insert_bucket", OFPGC_INSERT_BUCKET },
        { "remove_bucket", OFPGC_REMOVE_BUCKET },
    };
    return ofctl_line_command(line, keywords, ARRAY_SIZE(keywords), command);
}

bool
ofctl_is_bucket_command(uint16_t command)
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
                        ? ofctl_group_line_command(&line, command) : command);
        char *error = ofp_parse_group_mod_str(&gms[i], line, cmd);
        if (error) {
            xvs_fatal(0, "%s", error);
        }
        if (!bucket_cmd && ofctl_is_bucket_command(cmd)) {
            bucket_cmd = cmd;
        }
    }
    if (bucket_cmd) {
        ofctl_allow_version(OFP15_VERSION);
    }
    ofctl_allow_bundles();
    struct vconn vc;
    vconn_open(&vc, target);
    /* OpenFlow 1.0's Nicira group_mod has them too. */
    if (bucket_cmd && vc.version < OFP15_VERSION
        && vc.version != OFP10_VERSION) {
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
    ofctl_transact_changes(&vc, reqs, n);
    free(reqs);
    free(gms);
    vconn_close(&vc);
}

void
ofctl_add_group(int argc XVS_UNUSED, char *argv[])
{
    group_mods(argv[1], &argv[2], 1, OFPGC_ADD);
}

void
ofctl_mod_group(int argc XVS_UNUSED, char *argv[])
{
    group_mods(argv[1], &argv[2], 1,
               ofctl_may_create ? OFPGC_ADD_OR_MOD : OFPGC_MODIFY);
}

void
ofctl_insert_buckets(int argc XVS_UNUSED, char *argv[])
{
    group_mods(argv[1], &argv[2], 1, OFPGC_INSERT_BUCKET);
}

void
ofctl_remove_buckets(int argc XVS_UNUSED, char *argv[])
{
    group_mods(argv[1], &argv[2], 1, OFPGC_REMOVE_BUCKET);
}

void
ofctl_del_groups(int argc, char *argv[])
{
    char *group = argc > 2 ? argv[2] : "";
    group_mods(argv[1], &group, 1, OFPGC_DELETE);
}

void
ofctl_add_groups(int argc XVS_UNUSED, char *argv[])
{
    char **lines;
    size_t n = ofctl_read_flow_lines(argv[2], &lines, NULL);
    group_mods(argv[1], lines, n, OFPGC_ADD);
    ofctl_free_lines(lines, n);
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

void
ofctl_dump_groups(int argc, char *argv[])
{
    /* Only OpenFlow 1.5's request can name a group: before, every group
     * comes back and, as ovs-ofctl, every one is printed. */
    uint32_t id = parse_group_arg(argc, argv);
    struct vconn vc;
    vconn_open(&vc, argv[1]);
    dump_transaction(&vc, ofp_encode_group_desc_request(id, vc.version,
                                                        ofpmsg_next_xid()),
                     print_reply);
    vconn_close(&vc);
}

void
ofctl_dump_group_stats(int argc, char *argv[])
{
    uint32_t id = parse_group_arg(argc, argv);
    struct vconn vc;
    vconn_open(&vc, argv[1]);
    dump_transaction(&vc, ofp_encode_group_stats_request(id, vc.version,
                                                         ofpmsg_next_xid()),
                     print_reply);
    vconn_close(&vc);
}

void
ofctl_dump_group_features(int argc XVS_UNUSED, char *argv[])
{
    struct vconn vc;
    vconn_open(&vc, argv[1]);
    dump_transaction(&vc,
                     ofp_encode_empty(OFPTYPE_GROUP_FEATURES_STATS_REQUEST,
                                      vc.version, ofpmsg_next_xid()),
                     print_reply);
    vconn_close(&vc);
}

