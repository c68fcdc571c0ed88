/* ofctl-bundle: xvs-ofctl's bundle command. */
#include <config.h>
#include "ofctl-bundle.h"

#include <stdlib.h>
#include <string.h>
#include "ofctl-flow-cmds.h"
#include "ofctl-flows.h"
#include "ofctl-groups.h"
#include "ofctl-packet.h"
#include "ofctl-vconn.h"
#include "ofproto/ofp-group.h"
#include "ofproto/ofp-msgs.h"
#include "util.h"

/* A "flow" line of a bundle file may name its command next, as in
 * ovs-ofctl; a bare "flow" adds. */
static int
flow_line_command(const char **line)
{
    static const struct ofctl_line_keyword keywords[] = {
        { "add", OFPFC_ADD },
        { "modify", OFPFC_MODIFY },
        { "modify_strict", OFPFC_MODIFY_STRICT },
        { "delete", OFPFC_DELETE },
        { "delete_strict", OFPFC_DELETE_STRICT },
    };
    return ofctl_line_command(line, keywords, ARRAY_SIZE(keywords), OFPFC_ADD);
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
void
ofctl_bundle(int argc XVS_UNUSED, char *argv[])
{
    char **lines;
    size_t *line_nos;
    size_t n = ofctl_read_flow_lines(argv[2], &lines, &line_nos);

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
            uint16_t cmd = ofctl_group_line_command(&line, OFPGC_ADD);
            need15 |= ofctl_is_bucket_command(cmd);
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
    ofctl_use_bundle = true;
    ofctl_allow_bundles();
    if (need15) {
        ofctl_allow_version(OFP15_VERSION);
    }
    struct vconn vc;
    vconn_open(&vc, argv[1]);
    struct ofpbuf **reqs = xcalloc(n ? n : 1, sizeof *reqs);
    for (size_t i = 0; i < n; i++) {
        switch (bls[i].kind) {
        case BL_FLOW:
            reqs[i] = ofctl_encode_flow_mod_or_die(&bls[i].fm, &vc);
            ofp_flow_mod_uninit(&bls[i].fm);
            break;
        case BL_GROUP:
            vconn_need_of13(&vc, "groups");
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
    ofctl_transact_bundle(&vc, reqs, n);
    vconn_close(&vc);
    free(reqs);
    free(bls);
    free(lines);
    free(line_nos);
}

