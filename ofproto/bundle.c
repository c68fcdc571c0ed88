/* bundle: open bundles per connection and their atomic commit: flow and
 * meter mods applied in order to copies of the tables, which replace the
 * live ones only if every message succeeded. */
#include <config.h>
#include "bundle.h"

#include <stdlib.h>
#include <string.h>
#include "connmgr.h"
#include "of-handler.h"
#include "ofp-bundle.h"
#include "ofp-meter.h"
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
    bool has_meter_mods;        /* Then flows' meters wait for the commit. */
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

/* Decodes and checks one bundled message as received at 'data': a
 * FLOW_MOD into 'fm' and 'ftm', its meters checked against 'meters', or a
 * METER_MOD into 'mm'.  '*type' says which; on success the caller
 * uninitializes that one. */
static enum ofperr
bundle_msg_decode(struct ofproto *p, const struct meter_table *meters,
                  const uint8_t *data, size_t len, uint8_t version,
                  enum ofptype *type, struct ofp_flow_mod_msg *fm,
                  struct ft_flow_mod *ftm, struct ofp_meter_mod *mm)
{
    struct ofp_msg_info info;
    enum ofperr error = ofpmsg_decode(&info, data, len);
    if (error) {
        return error;
    }
    if (info.version != version) {
        return OFPERR_OFPBRC_BAD_VERSION;
    }
    *type = info.type;
    if (info.type == OFPTYPE_METER_MOD) {
        error = ofp_decode_meter_mod(&info, mm);
        if (error) {
            ofp_meter_mod_uninit(mm);
        }
        return error;
    }
    if (info.type != OFPTYPE_FLOW_MOD) {
        return OFPERR_OFPBFC_MSG_UNSUP;
    }
    return of_handler_decode_flow_mod(p, meters, &info, fm, ftm);
}

/* Applies the bundle's messages, in order, to copies of the flow and meter
 * tables and, if every one succeeded, makes the copies the live tables.
 * The rules the copy deleted or evicted are reported (FLOW_REMOVED) like
 * those of lone flow_mods. */
static enum ofperr
bundle_commit(struct ofproto *p, struct ofconn *conn, struct bundle *b)
{
    struct flow_table *scratch = xmalloc(sizeof *scratch);
    struct meter_table *meters = xmalloc(sizeof *meters);
    enum ofperr error = 0;

    flow_table_init(scratch);
    flow_table_clone(scratch, &p->ft);
    meter_table_init(meters);
    meter_table_clone(meters, &p->meters);
    for (size_t i = 0; i < b->n_msgs && !error; i++) {
        const struct bundle_msg *m = &b->msgs[i];
        struct ofp_flow_mod_msg fm;
        struct ft_flow_mod ftm;
        struct ofp_meter_mod mm;
        enum ofptype type;

        error = bundle_msg_decode(p, meters, m->data, m->len,
                                  ofconn_get_version(conn), &type, &fm, &ftm,
                                  &mm);
        if (!error && type == OFPTYPE_METER_MOD) {
            error = meter_table_mod(meters, scratch, &mm);
            ofp_meter_mod_uninit(&mm);
        } else if (!error) {
            error = flow_table_apply(scratch, &ftm, NULL);
            ofp_flow_mod_uninit(&fm);
        }
        if (error) {
            /* The message's own error first, as if it had been sent
             * alone, then the commit's. */
            ofconn_send(conn, ofp_encode_error(error, m->data[0],
                                               get_be32(m->data + 4),
                                               m->data, m->len));
        }
    }
    if (!error) {
        flow_table_take_rules(&p->ft, scratch);
        meter_table_swap(&p->meters, meters);
        ofproto_report_removed(p);
    }
    flow_table_destroy(scratch);
    free(scratch);
    meter_table_destroy(meters);
    free(meters);
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

    /* A flow may use a meter an earlier message of the bundle adds: then
     * its meters are checked at the commit. */
    struct ofp_flow_mod_msg fm;
    struct ft_flow_mod ftm;
    struct ofp_meter_mod mm;
    enum ofptype type;
    error = bundle_msg_decode(p, b->has_meter_mods ? NULL : &p->meters,
                              ba.msg, ba.msg_len, info->version, &type, &fm,
                              &ftm, &mm);
    if (error) {
        return error;
    }
    if (type == OFPTYPE_METER_MOD) {
        ofp_meter_mod_uninit(&mm);
        b->has_meter_mods = true;
    } else {
        ofp_flow_mod_uninit(&fm);
    }

    if (b->n_msgs >= b->allocated) {
        b->allocated = b->allocated ? 2 * b->allocated : 16;
        b->msgs = xrealloc(b->msgs, b->allocated * sizeof *b->msgs);
    }
    b->msgs[b->n_msgs].data = xmemdup(ba.msg, ba.msg_len);
    b->msgs[b->n_msgs].len = ba.msg_len;
    b->n_msgs++;
    return 0;
}
