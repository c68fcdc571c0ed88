/* ofctl-vconn: xvs-ofctl's OpenFlow connection to a switch. */
#include <config.h>
#include "ofctl-vconn.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "daemon.h"
#include "ofproto/ofp-bundle.h"
#include "stream.h"
#include "util.h"

uint32_t allowed_versions = (1u << OFP10_VERSION) | (1u << OFP13_VERSION);
int timeout_ms = 30000;
bool ofctl_versions_given;
bool ofctl_use_bundle;

void
ofctl_allow_version(uint8_t version)
{
    if (!ofctl_versions_given) {
        allowed_versions |= 1u << version;
    }
}

void
ofctl_allow_bundles(void)
{
    /* As ovs-ofctl, even "-O OpenFlow10 --bundle" works: bundles bring
     * OpenFlow 1.4 along when no version that has them was asked for. */
    uint32_t with_bundles = ((1u << OFP13_VERSION) | (1u << OFP14_VERSION)
                             | (1u << OFP15_VERSION));
    if (ofctl_use_bundle
        && (!ofctl_versions_given || !(allowed_versions & with_bundles))) {
        allowed_versions |= 1u << OFP14_VERSION;
    }
}


static char *
switch_to_stream_name(const char *target)
{
    if (strchr(target, ':')) {
        return xstrdup(target);
    }
    if (target[0] == '/' || target[0] == '.') {
        return xasprintf("unix:%s", target);
    }
    return xasprintf("unix:%s/%s.mgmt", xvs_rundir(), target);
}

void
vconn_need_of13(const struct vconn *vc, const char *what)
{
    if (vc->version < OFP13_VERSION) {
        xvs_fatal(0, "%s need OpenFlow 1.3 or later (negotiated %s; try "
                  "-O OpenFlow13)", what, ofp_version_to_string(vc->version));
    }
}

void
vconn_send(struct vconn *vc, struct ofpbuf *b)
{
    size_t ofs = 0;
    while (ofs < b->size) {
        ssize_t n = write(vc->fd, b->data + ofs, b->size - ofs);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            xvs_fatal(errno, "%s: send failed", vc->name);
        }
        ofs += n;
    }
    ofpbuf_delete(b);
}

static void
read_fully(struct vconn *vc, uint8_t *p, size_t n)
{
    size_t got = 0;
    while (got < n) {
        long long left = vc->deadline - time_msec();
        if (left <= 0) {
            xvs_fatal(0, "%s: timed out waiting for a reply", vc->name);
        }
        struct pollfd pfd = { .fd = vc->fd, .events = POLLIN };
        int r = poll(&pfd, 1, left > 1000 ? 1000 : (int) left);
        if (r < 0 && errno != EINTR) {
            xvs_fatal(errno, "%s: poll failed", vc->name);
        }
        if (r <= 0) {
            continue;
        }
        ssize_t m = read(vc->fd, p + got, n - got);
        if (m < 0 && errno == EINTR) {
            continue;
        }
        if (m < 0) {
            xvs_fatal(errno, "%s: receive failed", vc->name);
        }
        if (m == 0) {
            xvs_fatal(0, "%s: connection closed by peer", vc->name);
        }
        got += m;
    }
}

struct ofpbuf *
vconn_recv_once(struct vconn *vc)
{
    uint8_t header[OFP_HEADER_LEN];
    read_fully(vc, header, sizeof header);
    size_t len = get_be16(header + 2);
    if (len < OFP_HEADER_LEN) {
        xvs_fatal(0, "%s: received message with bad length %zu",
                  vc->name, len);
    }
    struct ofpbuf *b = ofpbuf_new(len);
    ofpbuf_put(b, header, sizeof header);
    read_fully(vc, ofpbuf_put_uninit(b, len - OFP_HEADER_LEN),
               len - OFP_HEADER_LEN);
    struct ofp_msg_info info;
    if (!vc->pass_echo && !ofpmsg_decode(&info, b->data, b->size)
        && info.type == OFPTYPE_ECHO_REQUEST) {
        vconn_send(vc, ofp_encode_echo_reply(&info));
        ofpbuf_delete(b);
        return NULL;
    }
    return b;
}

/* Receives one message, answering echo requests on the way. */
struct ofpbuf *
vconn_recv(struct vconn *vc)
{
    for (;;) {
        struct ofpbuf *b = vconn_recv_once(vc);
        if (b) {
            return b;
        }
    }
}

void
vconn_open(struct vconn *vc, const char *target)
{
    vc->name = switch_to_stream_name(target);
    vc->deadline = time_msec() + timeout_ms;
    vc->pass_echo = false;
    vc->flow_mod_table_id = false;
    vc->fd = stream_open_active(vc->name);
    if (vc->fd == -ENOENT && !strchr(target, ':') && target[0] != '/'
        && target[0] != '.') {
        xvs_fatal(0, "%s is not a bridge or a socket", target);
    }
    if (vc->fd < 0) {
        xvs_fatal(-vc->fd, "%s: failed to connect to socket", vc->name);
    }
    vconn_send(vc, ofp_encode_hello(allowed_versions));

    struct ofpbuf *b = vconn_recv(vc);
    struct ofp_msg_info info;
    uint32_t theirs;
    enum ofperr error = ofpmsg_decode(&info, b->data, b->size);
    if (error || info.type != OFPTYPE_HELLO
        || ofp_decode_hello(&info, &theirs)) {
        xvs_fatal(0, "%s: expected HELLO from the switch", vc->name);
    }
    vc->version = ofp_negotiate_version(allowed_versions, theirs);
    if (!vc->version) {
        xvs_fatal(0, "%s: version negotiation failed (we support version "
                  "0x%02x, peer supports version 0x%02x)", vc->name,
                  ofp_versions_highest(allowed_versions), info.version);
    }
    ofpbuf_delete(b);
}

void
vconn_close(struct vconn *vc)
{
    close(vc->fd);
    free(vc->name);
}

/* Prints an error reply on stderr and exits 1; ignores anything else not
 * matching 'xid'.  Returns the message if it answers 'xid'. */
struct ofpbuf *
recv_reply(struct vconn *vc, uint32_t xid, struct ofp_msg_info *info)
{
    for (;;) {
        struct ofpbuf *b = vconn_recv(vc);
        if (ofpmsg_decode(info, b->data, b->size) || info->xid != xid) {
            ofpbuf_delete(b);
            continue;
        }
        if (info->type == OFPTYPE_ERROR) {
            char *s = ofp_to_string(b->data, b->size);
            fputs(s, stderr);
            free(s);
            exit(1);
        }
        return b;
    }
}

/* Receives until the reply to 'xid' (an error or anything else), printing
 * every error reply on stderr.  Returns true if there was any. */
bool
print_errors_until(struct vconn *vc, uint32_t xid)
{
    bool failed = false;
    for (;;) {
        struct ofpbuf *b = vconn_recv(vc);
        struct ofp_msg_info info;
        bool done = false;
        if (!ofpmsg_decode(&info, b->data, b->size)) {
            if (info.type == OFPTYPE_ERROR) {
                char *s = ofp_to_string(b->data, b->size);
                fputs(s, stderr);
                free(s);
                failed = true;
            }
            done = info.xid == xid;
        }
        ofpbuf_delete(b);
        if (done) {
            return failed;
        }
    }
}

/* Sends requests and a barrier; waits for the barrier reply, failing on
 * any error reply to the requests. */
void
transact_noreply(struct vconn *vc, struct ofpbuf **reqs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        vconn_send(vc, reqs[i]);
    }
    uint32_t barrier_xid = ofpmsg_next_xid();
    vconn_send(vc, ofp_encode_empty(OFPTYPE_BARRIER_REQUEST, vc->version,
                                    barrier_xid));
    if (print_errors_until(vc, barrier_xid)) {
        exit(1);
    }
}

void
print_reply(const struct ofp_msg_info *info XVS_UNUSED,
            const struct ofpbuf *b)
{
    char *s = ofp_to_string(b->data, b->size);
    fputs(s, stdout);
    free(s);
}

void
dump_transaction(struct vconn *vc, struct ofpbuf *req, reply_cb *cb)
{
    uint32_t xid = get_be32(req->data + 4);
    vconn_send(vc, req);
    for (;;) {
        struct ofp_msg_info info;
        struct ofpbuf *b = recv_reply(vc, xid, &info);
        cb(&info, b);
        bool more = (ofptype_is_multipart(info.type)
                     && info.mp_flags & OFPMPF_REPLY_MORE);
        ofpbuf_delete(b);
        if (!more) {
            return;
        }
    }
}

void
dump_simple(const char *target, enum ofptype type)
{
    struct vconn vc;
    vconn_open(&vc, target);
    dump_transaction(&vc, ofp_encode_empty(type, vc.version,
                                           ofpmsg_next_xid()), print_reply);
    vconn_close(&vc);
}

/* Sends 'reqs' as one atomic, ordered bundle: open, add each, commit.
 * Prints every error reply and exits 1 if there was any. */
void
ofctl_transact_bundle(struct vconn *vc, struct ofpbuf **reqs, size_t n)
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


void
ofctl_transact_changes(struct vconn *vc, struct ofpbuf **reqs, size_t n)
{
    if (ofctl_use_bundle) {
        ofctl_transact_bundle(vc, reqs, n);
    } else {
        transact_noreply(vc, reqs, n);
    }
}

void
vconn_allow_of10_only(bool versions_given)
{
    if (!versions_given || allowed_versions & (1u << OFP10_VERSION)) {
        if (!versions_given) {
            allowed_versions = 1u << OFP10_VERSION;
        }
        return;
    }
    struct ds s = DS_EMPTY_INITIALIZER;
    for (uint8_t v = OFP13_VERSION; v <= OFP15_VERSION; v++) {
        if (allowed_versions & (1u << v)) {
            ds_put_format(&s, "%sOXM-OpenFlow1%d", s.length ? "," : "",
                          v - 1);
        }
    }
    xvs_fatal(0, "none of the usable flow formats (OpenFlow10,NXM) is among "
              "the allowed flow formats (%s)", ds_cstr(&s));
}

void
vconn_check_of10(const struct vconn *vc)
{
    if (vc->version != OFP10_VERSION) {
        xvs_fatal(0, "switch does not support any of the usable flow formats "
                  "(OpenFlow10,NXM)");
    }
}
