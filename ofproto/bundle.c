/* bundle: open bundles per connection and their atomic commit, which
 * goes through ofproto_flow_mods_commit() like any flow_mod. */
#include <config.h>
#include "bundle.h"

#include <stdlib.h>
#include <string.h>
#include "connmgr.h"
#include "of-handler.h"
#include "ofp-bundle.h"
#include "ofp-msgs.h"
#include "ofproto-private.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(bundle);

/* More open bundles than this on one connection: OFPBFC_OUT_OF_BUNDLES. */
#define BUNDLE_MAX_PER_CONN 64

/* One message waiting for the commit, as received (it is decoded again
 * then, which keeps nothing here pointing into freed buffers). */
struct bundle_msg {
    uint8_t *data;
    size_t len;
};

struct bundle {
    struct xvs_list node;       /* In the connection's bundle list. */
    uint32_t id;
    uint16_t flags;             /* OFPBF_* as opened. */
    bool closed;
    struct bundle_msg *msgs;
    size_t n_msgs, allocated;
};

static struct bundle *
bundle_find(struct xvs_list *bundles, uint32_t id)
{
    struct bundle *b;
    XVS_LIST_FOR_EACH (b, node, bundles) {
        if (b->id == id) {
            return b;
        }
    }
    return NULL;
}

static struct bundle *
bundle_open(struct xvs_list *bundles, uint32_t id, uint16_t flags)
{
    struct bundle *b = xzalloc(sizeof *b);
    b->id = id;
    b->flags = flags;
    xvs_list_push_back(bundles, &b->node);
    return b;
}

static void
bundle_remove(struct bundle *b)
{
    xvs_list_remove(&b->node);
    for (size_t i = 0; i < b->n_msgs; i++) {
        free(b->msgs[i].data);
    }
    free(b->msgs);
    free(b);
}

void
bundle_discard_all(struct xvs_list *bundles)
{
    while (!xvs_list_is_empty(bundles)) {
        bundle_remove(CONTAINER_OF(bundles->next, struct bundle, node));
    }
}

/* Decodes and checks one bundled message as received at 'data'. */
static enum ofperr
bundle_msg_decode(struct ofproto *p, const uint8_t *data, size_t len,
                  uint8_t version, struct ofp_flow_mod_msg *fm,
                  struct ft_flow_mod *ftm)
{
    struct ofp_msg_info info;
    enum ofperr error = ofpmsg_decode(&info, data, len);
    if (error) {
        return error;
    }
    if (info.version != version) {
        return OFPERR_OFPBRC_BAD_VERSION;
    }
    if (info.type != OFPTYPE_FLOW_MOD) {
        return OFPERR_OFPBFC_MSG_UNSUP;
    }
    return of_handler_decode_flow_mod(p, &info, fm, ftm);
}

/* Sends the error of bundled message 'm' as if it had been sent alone,
 * before the commit's own error. */
static void
bundle_send_msg_error(struct ofconn *conn, const struct bundle_msg *m,
                      enum ofperr error)
{
    ofconn_send(conn, ofp_encode_error(error, m->data[0],
                                       get_be32(m->data + 4), m->data,
                                       m->len));
}

/* Decodes every message again, then hands them all to ofproto in one
 * commit, so bundled flow_mods have the side effects of lone ones
 * (FLOW_REMOVED for deleted and evicted rules). */
static enum ofperr
bundle_commit(struct ofproto *p, struct ofconn *conn, struct bundle *b)
{
    struct ofp_flow_mod_msg *fms = xcalloc(b->n_msgs + 1, sizeof *fms);
    struct ft_flow_mod *ftms = xcalloc(b->n_msgs + 1, sizeof *ftms);
    enum ofperr error = 0;
    size_t n = 0;

    for (; n < b->n_msgs; n++) {
        const struct bundle_msg *m = &b->msgs[n];
        error = bundle_msg_decode(p, m->data, m->len,
                                  ofconn_get_version(conn), &fms[n],
                                  &ftms[n]);
        if (error) {
            bundle_send_msg_error(conn, m, error);
            break;
        }
        /* 'fms' does not move any more, so the pointer stays good. */
        ftms[n].ofpacts = &fms[n].ofpacts;
    }
    if (!error) {
        size_t failed;
        error = ofproto_flow_mods_commit(p, ftms, n, &failed);
        if (error) {
            bundle_send_msg_error(conn, &b->msgs[failed], error);
        }
    }
    for (size_t i = 0; i < n; i++) {
        ofp_flow_mod_uninit(&fms[i]);
    }
    free(fms);
    free(ftms);
    VLOG_DBG("%s: bundle %#x with %zu messages %s", p->name, b->id,
             b->n_msgs, error ? "failed" : "committed");
    return error ? OFPERR_OFPBFC_MSG_FAILED : 0;
}

enum ofperr
bundle_handle_control(struct ofproto *p, struct ofconn *conn,
                      const struct ofp_msg_info *info)
{
    struct xvs_list *bundles = ofconn_get_bundles(conn);
    struct ofp_bundle_ctrl_msg bc;
    enum ofperr error = ofp_decode_bundle_ctrl(info, &bc);
    if (error) {
        return error;
    }

    struct bundle *b = bundle_find(bundles, bc.bundle_id);
    if (bc.type == OFPBCT_OPEN_REQUEST) {
        if (b) {
            bundle_remove(b);
            return OFPERR_OFPBFC_BAD_ID;
        }
        if (xvs_list_size(bundles) >= BUNDLE_MAX_PER_CONN) {
            return OFPERR_OFPBFC_OUT_OF_BUNDLES;
        }
        bundle_open(bundles, bc.bundle_id, bc.flags);
    } else if (bc.type == OFPBCT_CLOSE_REQUEST
               || bc.type == OFPBCT_COMMIT_REQUEST
               || bc.type == OFPBCT_DISCARD_REQUEST) {
        if (!b) {
            return OFPERR_OFPBFC_BAD_ID;
        }
        if (bc.type == OFPBCT_DISCARD_REQUEST) {
            bundle_remove(b);
        } else if (bc.flags != b->flags) {
            bundle_remove(b);
            return OFPERR_OFPBFC_BAD_FLAGS;
        } else if (bc.type == OFPBCT_CLOSE_REQUEST) {
            if (b->closed) {
                bundle_remove(b);
                return OFPERR_OFPBFC_BUNDLE_CLOSED;
            }
            b->closed = true;
        } else {
            error = bundle_commit(p, conn, b);
            bundle_remove(b);
            if (error) {
                return error;
            }
        }
    } else {
        /* A reply type sent to the switch. */
        return OFPERR_OFPBFC_BAD_TYPE;
    }

    struct ofp_bundle_ctrl_msg reply = bc;
    reply.type = bc.type + 1;
    ofconn_send(conn, ofp_encode_bundle_ctrl(&reply, info->version,
                                             info->xid));
    return 0;
}

enum ofperr
bundle_handle_add(struct ofproto *p, struct ofconn *conn,
                  const struct ofp_msg_info *info)
{
    struct xvs_list *bundles = ofconn_get_bundles(conn);
    struct ofp_bundle_add_msg ba;
    enum ofperr error = ofp_decode_bundle_add(info, &ba);
    if (error) {
        return error;
    }

    struct bundle *b = bundle_find(bundles, ba.bundle_id);
    if (!b) {
        /* Adding to an unknown bundle opens it. */
        if (xvs_list_size(bundles) >= BUNDLE_MAX_PER_CONN) {
            return OFPERR_OFPBFC_OUT_OF_BUNDLES;
        }
        b = bundle_open(bundles, ba.bundle_id, ba.flags);
    } else if (b->closed) {
        bundle_remove(b);
        return OFPERR_OFPBFC_BUNDLE_CLOSED;
    } else if (ba.flags != b->flags) {
        bundle_remove(b);
        return OFPERR_OFPBFC_BAD_FLAGS;
    }

    struct ofp_flow_mod_msg fm;
    struct ft_flow_mod ftm;
    error = bundle_msg_decode(p, ba.msg, ba.msg_len, info->version, &fm, &ftm);
    if (error) {
        return error;
    }
    ofp_flow_mod_uninit(&fm);

    if (b->n_msgs >= b->allocated) {
        b->allocated = b->allocated ? 2 * b->allocated : 16;
        b->msgs = xrealloc(b->msgs, b->allocated * sizeof *b->msgs);
    }
    b->msgs[b->n_msgs].data = xmemdup(ba.msg, ba.msg_len);
    b->msgs[b->n_msgs].len = ba.msg_len;
    b->n_msgs++;
    return 0;
}
