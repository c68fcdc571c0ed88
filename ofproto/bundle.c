/* bundle: open bundles per connection and their atomic commit: flow,
 * group and meter mods applied in order to copies of the tables, which
 * replace the live ones only if every message succeeded; port mods and
 * packet-outs then. */
#include <config.h>
#include "bundle.h"

#include <stdlib.h>
#include <string.h>
#include "connmgr.h"
#include "of-handler.h"
#include "ofp-bundle.h"
#include "ofp-group.h"
#include "ofp-meter.h"
#include "ofp-msgs.h"
#include "ofproto-private.h"
#include "vlog.h"
#include "xlate.h"

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
    bool has_group_mods;        /* Then flows' groups and meters wait */
    bool has_meter_mods;        /* for the commit to be checked. */
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

/* One bundled message, decoded. */
struct bundle_item {
    enum ofptype type;
    struct ofp_flow_mod_msg fm;     /* FLOW_MOD, applied as 'ftm'. */
    struct ft_flow_mod ftm;
    struct ofp_meter_mod mm;        /* METER_MOD. */
    struct ofp_group_mod gm;        /* GROUP_MOD. */
    struct ofp_port_mod_msg pm;     /* PORT_MOD. */
    struct ofp_packet_out_msg po;   /* PACKET_OUT, translated where it */
    struct xlate_out *xout;         /* stands, run after the commit. */
};

static void
bundle_item_uninit(struct bundle_item *it)
{
    switch (it->type) {
    case OFPTYPE_FLOW_MOD:
        ofp_flow_mod_uninit(&it->fm);
        break;
    case OFPTYPE_METER_MOD:
        ofp_meter_mod_uninit(&it->mm);
        break;
    case OFPTYPE_GROUP_MOD:
        ofp_group_uninit(&it->gm.group);
        break;
    case OFPTYPE_PACKET_OUT:
        ofp_packet_out_uninit(&it->po);
        if (it->xout) {
            xlate_out_uninit(it->xout);
            free(it->xout);
        }
        break;
    default:
        break;
    }
}

/* Decodes and checks one bundled message as received at 'data' into 'it',
 * the groups and meters that flows name checked against 'groups' and
 * 'meters' (NULL: not yet).  On success the caller uninitializes 'it'. */
static enum ofperr
bundle_item_decode(struct ofproto *p, const struct group_table *groups,
                   const struct meter_table *meters, const uint8_t *data,
                   size_t len, uint8_t version, struct bundle_item *it)
{
    struct ofp_msg_info info;
    enum ofperr error = ofpmsg_decode(&info, data, len);
    if (error) {
        return error;
    }
    if (info.version != version) {
        return OFPERR_OFPBRC_BAD_VERSION;
    }
    it->type = info.type;
    it->xout = NULL;
    switch (info.type) {
    case OFPTYPE_FLOW_MOD:
        return of_handler_decode_flow_mod(p, groups, meters, &info, &it->fm,
                                          &it->ftm);
    case OFPTYPE_METER_MOD:
        error = ofp_decode_meter_mod(&info, &it->mm);
        if (error) {
            ofp_meter_mod_uninit(&it->mm);
        }
        return error;
    case OFPTYPE_GROUP_MOD:
        error = ofp_decode_group_mod(&info, &it->gm);
        for (size_t i = 0; !error && i < it->gm.group.n_buckets; i++) {
            error = ofpacts_check(&it->gm.group.buckets[i].ofpacts, NULL, 0,
                                  FT_N_TABLES, OFPP_MAX);
        }
        if (error) {
            ofp_group_uninit(&it->gm.group);
        }
        return error;
    case OFPTYPE_PORT_MOD:
        error = ofp_decode_port_mod(&info, &it->pm);
        return error ? error : ofproto_port_mod_check(p, &it->pm);
    case OFPTYPE_PACKET_OUT:
        return of_handler_decode_packet_out(groups, meters, &info, &it->po);
    default:
        return OFPERR_OFPBFC_MSG_UNSUP;
    }
}

/* Applies the bundle's messages, in order, to copies of the flow, group
 * and meter tables and, if every one succeeded, makes the copies the live
 * tables and then applies the port mods, which were all checked and
 * cannot fail.  The rules the copy deleted or evicted are reported
 * (FLOW_REMOVED) like those of lone flow_mods. */
static enum ofperr
bundle_commit(struct ofproto *p, struct ofconn *conn, struct bundle *b)
{
    struct flow_table *scratch = xmalloc(sizeof *scratch);
    struct group_table *groups = xmalloc(sizeof *groups);
    struct meter_table *meters = xmalloc(sizeof *meters);
    struct bundle_item *items = xcalloc(b->n_msgs + 1, sizeof *items);
    enum ofperr error = 0;
    size_t n = 0;

    flow_table_init(scratch);
    flow_table_clone(scratch, &p->ft);
    group_table_init(groups);
    group_table_clone(groups, &p->groups);
    meter_table_init(meters);
    meter_table_clone(meters, &p->meters);
    for (size_t i = 0; i < b->n_msgs && !error; i++) {
        const struct bundle_msg *m = &b->msgs[i];
        struct bundle_item *it = &items[n];

        error = bundle_item_decode(p, groups, meters, m->data, m->len,
                                   ofconn_get_version(conn), it);
        if (!error) {
            n++;
            switch (it->type) {
            case OFPTYPE_METER_MOD:
                error = meter_table_mod(meters, scratch, &it->mm);
                break;
            case OFPTYPE_GROUP_MOD:
                error = group_table_mod(groups, scratch, &it->gm);
                break;
            case OFPTYPE_FLOW_MOD:
                error = flow_table_apply(scratch, &it->ftm, NULL);
                break;
            case OFPTYPE_PACKET_OUT:
                it->xout = ofproto_packet_out_xlate(
                    p, it->po.packet, it->po.packet_len, it->po.in_port,
                    &it->po.ofpacts, scratch, groups, meters);
                break;
            default:
                break;
            }
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
        group_table_swap(&p->groups, groups);
        meter_table_swap(&p->meters, meters);
        for (size_t i = 0; i < n; i++) {
            if (items[i].type == OFPTYPE_PORT_MOD) {
                ofproto_port_mod(p, &items[i].pm);
            }
        }
        ofproto_report_removed(p);
        /* The packets go out last, in order, as Open vSwitch sends them. */
        for (size_t i = 0; i < n; i++) {
            struct bundle_item *it = &items[i];
            if (it->type == OFPTYPE_PACKET_OUT) {
                ofproto_packet_out_execute(p, it->xout, it->po.packet,
                                           it->po.packet_len,
                                           it->po.in_port);
                it->xout = NULL;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        bundle_item_uninit(&items[i]);
    }
    free(items);
    flow_table_destroy(scratch);
    free(scratch);
    group_table_destroy(groups);
    free(groups);
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

    /* A flow may use a group or meter an earlier message of the bundle
     * adds: then those are checked at the commit. */
    struct bundle_item it;
    error = bundle_item_decode(p, b->has_group_mods ? NULL : &p->groups,
                               b->has_meter_mods ? NULL : &p->meters,
                               ba.msg, ba.msg_len, info->version, &it);
    if (error) {
        return error;
    }
    b->has_group_mods |= it.type == OFPTYPE_GROUP_MOD;
    b->has_meter_mods |= it.type == OFPTYPE_METER_MOD;
    bundle_item_uninit(&it);

    if (b->n_msgs >= b->allocated) {
        b->allocated = b->allocated ? 2 * b->allocated : 16;
        b->msgs = xrealloc(b->msgs, b->allocated * sizeof *b->msgs);
    }
    b->msgs[b->n_msgs].data = xmemdup(ba.msg, ba.msg_len);
    b->msgs[b->n_msgs].len = ba.msg_len;
    b->n_msgs++;
    return 0;
}
