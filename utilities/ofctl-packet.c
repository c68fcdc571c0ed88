/* ofctl-packet: packet-out descriptions for xvs-ofctl. */
#include <config.h>
#include "ofctl-packet.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "ofproto/ofp-actions.h"
#include "ofctl-vconn.h"
#include "ofproto/ofp-msgs.h"
#include "util.h"

/* NULL if 's' is not hex, with '*bad' where it stops being hex. */
static uint8_t *
parse_hex_packet(const char *s, size_t *len, const char **bad)
{
    uint8_t *data = xmalloc(strlen(s) / 2 + 1);
    size_t n = 0;
    while (*s) {
        if (*s == ' ' || *s == '\t' || *s == '\n') {
            s++;
            continue;
        }
        if (!isxdigit((unsigned char) s[0]) || !isxdigit((unsigned char) s[1])) {
            free(data);
            *bad = s;
            return NULL;
        }
        char pair[3] = { s[0], s[1], '\0' };
        data[n++] = strtoul(pair, NULL, 16);
        s += 2;
    }
    *len = n;
    return data;
}

static char *
parse_args(const char *in_port_s, const char *actions_s,
           const char *packet_s, struct ofp_packet_out_msg *po)
{
    memset(po, 0, sizeof *po);
    ofpacts_init(&po->ofpacts);
    po->buffer_id = OFP_NO_BUFFER;
    if (!ofp_port_from_string(in_port_s, &po->in_port)) {
        return xasprintf("%s: invalid in_port", in_port_s);
    }
    char *error = ofpacts_parse(actions_s, &po->ofpacts);
    if (error) {
        ofp_packet_out_uninit(po);
        return error;
    }
    const char *bad = packet_s;
    po->packet = parse_hex_packet(packet_s, &po->packet_len, &bad);
    if (!po->packet) {
        ofp_packet_out_uninit(po);
        return xasprintf("%s: invalid hex packet data", bad);
    }
    return NULL;
}

void
ofctl_parse_packet_out_args(const char *in_port_s, const char *actions_s,
                      const char *packet_s, struct ofp_packet_out_msg *po)
{
    char *error = parse_args(in_port_s, actions_s, packet_s, po);
    if (error) {
        xvs_fatal(0, "%s", error);
    }
}

char *
ofctl_parse_packet_out_str(const char *spec, struct ofp_packet_out_msg *po)
{
    char *copy = xstrdup(spec);
    char *a = strstr(copy, "actions=");
    char *i = strstr(copy, "in_port=");
    char *p = strstr(copy, "packet=");
    char *error;
    if (!i || !p) {
        error = xstrdup("packet-out needs in_port= and packet=");
    } else {
        /* Without actions=, as in ovs-ofctl, the packet is dropped. */
        const char *actions = "drop";
        if (a) {
            *a = '\0';
            actions = a + 8;
        }
        i[8 + strcspn(i + 8, " ,")] = '\0';
        p[7 + strcspn(p + 7, " ,")] = '\0';
        error = parse_args(i + 8, actions, p + 7, po);
    }
    free(copy);
    return error;
}

void
ofctl_parse_packet_out(const char *spec, struct ofp_packet_out_msg *po)
{
    char *error = ofctl_parse_packet_out_str(spec, po);
    if (error) {
        xvs_fatal(0, "%s", error);
    }
}

struct ofpbuf *
ofctl_encode_packet_out(struct ofp_packet_out_msg *po, uint8_t version)
{
    struct ofpbuf *req = ofp_encode_packet_out(po, version,
                                               ofpmsg_next_xid());
    if (!req) {
        xvs_fatal(0, "actions cannot be expressed in %s",
                  ofp_version_to_string(version));
    }
    free((uint8_t *) po->packet);
    ofp_packet_out_uninit(po);
    return req;
}

void
ofctl_packet_out(int argc, char *argv[])
{
    struct ofp_packet_out_msg po;
    if (argc == 3) {
        ofctl_parse_packet_out(argv[2], &po);
    } else if (argc >= 5) {
        ofctl_parse_packet_out_args(argv[2], argv[3], argv[4], &po);
    } else {
        xvs_fatal(0, "'packet-out' command requires 2 or 4 arguments");
    }
    ofctl_allow_bundles();
    struct vconn vc;
    vconn_open(&vc, argv[1]);
    struct ofpbuf *req = ofctl_encode_packet_out(&po, vc.version);
    ofctl_transact_changes(&vc, &req, 1);
    vconn_close(&vc);
}

