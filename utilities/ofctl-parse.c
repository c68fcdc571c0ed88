/* ofctl-parse: xvs-ofctl's offline parse-* commands. */
#include <config.h>
#include "ofctl-parse.h"

#include <stdio.h>
#include <stdlib.h>
#include "ofctl-flow-cmds.h"
#include "ofctl-vconn.h"
#include "ofproto/ofp-group.h"
#include "ofproto/ofp-meter.h"
#include "ofproto/ofp-msgs.h"
#include "util.h"

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
    return ofctl_encode_flow_mod_any(fm, version, 1);
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
    uint32_t versions = ofctl_versions_given ? allowed_versions
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

void
ofctl_parse_flow(int argc XVS_UNUSED, char *argv[])
{
    struct ofp_flow_mod_msg fm;
    char *error = ofp_parse_flow_mod_str(&fm, argv[1], OFPFC_ADD);
    if (error) {
        xvs_fatal(0, "%s", error);
    }
    print_encodings(&fm, encode_flow_mod, "flow");
    ofp_flow_mod_uninit(&fm);
}

void
ofctl_parse_group(int argc XVS_UNUSED, char *argv[])
{
    struct ofp_group_mod gm;
    char *error = ofp_parse_group_mod_str(&gm, argv[1], OFPGC_ADD);
    if (error) {
        xvs_fatal(0, "%s", error);
    }
    print_encodings(&gm, encode_group_mod, "groups");
    ofp_group_uninit(&gm.group);
}

void
ofctl_parse_meter(int argc XVS_UNUSED, char *argv[])
{
    struct ofp_meter_mod mm;
    char *error = ofp_parse_meter_mod_str(&mm, argv[1], OFPMC_ADD);
    if (error) {
        xvs_fatal(0, "%s", error);
    }
    print_encodings(&mm, encode_meter_mod, "meters");
    ofp_meter_mod_uninit(&mm);
}

