/* flow-monitor: monitors, the initial reply, updates, flow control. */
#include <config.h>
#include "flow-monitor.h"

#include <stdlib.h>
#include "connmgr.h"
#include "flow-table.h"
#include "list.h"
#include "ofp-monitor.h"
#include "ofp-msgs.h"
#include "ofp-port.h"
#include "ofpbuf.h"
#include "ofproto-private.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(flow_monitor);

/* Replies past this size are sent and a new one started. */
#define REPLY_SPLIT (60 * 1024)

struct flow_monitor {
    struct xvs_list node;       /* In fm_conn 'monitors'. */
    struct ofp_flow_monitor_request req;
};

/* The monitors of one connection and its updates not yet sent. */
struct fm_conn {
    struct xvs_list node;       /* In flow_monitors 'conns'. */
    struct ofconn *ofconn;
    struct xvs_list monitors;
    struct ofpbuf *pending;     /* A reply being filled, or NULL. */
    bool paused;                /* Backlog too large: updates dropped. */
};

struct flow_monitors {
    struct xvs_list conns;
};

struct flow_monitors *
flow_monitors_create(void)
{
    struct flow_monitors *fms = xzalloc(sizeof *fms);
    xvs_list_init(&fms->conns);
    return fms;
}

static void
fm_conn_destroy(struct fm_conn *fc)
{
    while (!xvs_list_is_empty(&fc->monitors)) {
        free(CONTAINER_OF(xvs_list_pop_front(&fc->monitors),
                          struct flow_monitor, node));
    }
    ofpbuf_delete(fc->pending);
    xvs_list_remove(&fc->node);
    free(fc);
}

void
flow_monitors_destroy(struct flow_monitors *fms)
{
    if (fms) {
        while (!xvs_list_is_empty(&fms->conns)) {
            fm_conn_destroy(CONTAINER_OF(fms->conns.next, struct fm_conn,
                                         node));
        }
        free(fms);
    }
}

bool
flow_monitors_active(const struct flow_monitors *fms)
{
    return !xvs_list_is_empty(&fms->conns);
}

static struct fm_conn *
fm_conn_find(const struct flow_monitors *fms, const struct ofconn *ofconn)
{
    struct fm_conn *fc;
    XVS_LIST_FOR_EACH (fc, node, &fms->conns) {
        if (fc->ofconn == ofconn) {
            return fc;
        }
    }
    return NULL;
}

void
flow_monitor_conn_closed(struct flow_monitors *fms, struct ofconn *ofconn)
{
    struct fm_conn *fc = fm_conn_find(fms, ofconn);
    if (fc) {
        fm_conn_destroy(fc);
    }
}

static struct flow_monitor *
monitor_find(const struct fm_conn *fc, uint32_t id)
{
    struct flow_monitor *m;
    if (fc) {
        XVS_LIST_FOR_EACH (m, node, &fc->monitors) {
            if (m->req.id == id) {
                return m;
            }
        }
    }
    return NULL;
}

/* The filters the flow table does not apply itself. */
static bool
monitor_wants_actions(const struct flow_monitor *m, const struct rule *rule)
{
    return (m->req.out_group == OFPG_ANY
            || ofpacts_output_to_group(&rule->ofpacts, m->req.out_group));
}

static bool
monitor_covers(const struct flow_monitor *m, const struct rule *rule)
{
    return ((m->req.table_id == FT_TABLE_ALL
             || m->req.table_id == rule->table_id)
            && (m->req.out_port == OFPP_ANY
                || ofpacts_output_to_port(&rule->ofpacts, m->req.out_port))
            && monitor_wants_actions(m, rule)
            && match_is_subset(&rule->match, &m->req.match));
}

static void
update_from_rule(struct ofp_flow_update *u, const struct rule *rule,
                 enum ofp_fu_event event, uint8_t reason)
{
    *u = (struct ofp_flow_update) {
        .event = event,
        .reason = reason,
        .table_id = rule->table_id,
        .priority = rule->priority,
        .idle_timeout = rule->idle_timeout,
        .hard_timeout = rule->hard_timeout,
        .cookie = rule->cookie,
        .match = rule->match,
        /* Borrowed: only encoded, never freed. */
        .ofpacts = rule->ofpacts,
    };
}

/* Appends 'u' to the reply being filled for 'fc', sending it first if it
 * is large. */
static void
fm_conn_put(struct fm_conn *fc, const struct ofp_flow_update *u,
            bool with_actions)
{
    uint8_t version = ofconn_get_version(fc->ofconn);
    if (fc->pending && fc->pending->size > REPLY_SPLIT) {
        ofconn_send(fc->ofconn, fc->pending);
        fc->pending = NULL;
    }
    if (!fc->pending) {
        fc->pending = ofp_start_flow_monitor_reply(version, 0);
    }
    ofp_put_flow_update(u, with_actions, version, fc->pending);
}

static void
fm_conn_send_pending(struct fm_conn *fc)
{
    if (fc->pending) {
        ofconn_send(fc->ofconn, fc->pending);
        fc->pending = NULL;
    }
}

/* PAUSED or RESUMED, as the connection's version says it. */
static void
fm_conn_send_flow_control(struct fm_conn *fc, bool paused)
{
    uint8_t version = ofconn_get_version(fc->ofconn);
    fm_conn_send_pending(fc);
    if (version < OFP14_VERSION) {
        ofconn_send(fc->ofconn,
                    ofpraw_alloc(paused ? OFPTYPE_NXT_FLOW_MONITOR_PAUSED
                                        : OFPTYPE_NXT_FLOW_MONITOR_RESUMED,
                                 version, 0, 0));
    } else {
        struct ofp_flow_update u = {
            .event = paused ? OFP_FUE_PAUSED : OFP_FUE_RESUMED,
        };
        fm_conn_put(fc, &u, false);
        fm_conn_send_pending(fc);
    }
}

void
flow_monitor_report(struct flow_monitors *fms, const struct rule *rule,
                    int event, uint8_t reason, const struct ofconn *origin,
                    uint32_t xid)
{
    uint16_t need = (event == OFP_FUE_ADDED ? OFP_FMF_ADD
                     : event == OFP_FUE_DELETED ? OFP_FMF_DELETE
                     : OFP_FMF_MODIFY);
    struct fm_conn *fc;
    XVS_LIST_FOR_EACH (fc, node, &fms->conns) {
        bool own = origin == fc->ofconn;
        bool any = false, actions = false, full = !own;
        struct flow_monitor *m;
        XVS_LIST_FOR_EACH (m, node, &fc->monitors) {
            uint16_t flags = m->req.flags;
            if (!(flags & need)
                || (own && !(flags & OFP_FMF_OWN))
                || !monitor_covers(m, rule)) {
                continue;
            }
            any = true;
            actions |= (flags & OFP_FMF_ACTIONS) != 0;
            full |= (flags & OFP_FMF_NO_ABBREV) != 0;
        }
        if (!any || fc->paused) {
            continue;
        }
        if (ofconn_get_backlog(fc->ofconn) > FLOW_MONITOR_MAX_BACKLOG) {
            VLOG_DBG("pausing flow monitors: too much to send");
            fc->paused = true;
            fm_conn_send_flow_control(fc, true);
            continue;
        }
        struct ofp_flow_update u;
        if (full) {
            update_from_rule(&u, rule, event, reason);
        } else {
            u = (struct ofp_flow_update) { .event = OFP_FUE_ABBREV,
                                           .xid = xid };
        }
        fm_conn_put(fc, &u, actions);
    }
}

struct initial_aux {
    struct fm_conn *fc;
    const struct flow_monitor *m;
    enum ofp_fu_event event;
    bool actions;
};

static void
put_initial_rule(const struct rule *rule, void *aux_)
{
    struct initial_aux *aux = aux_;
    if (!monitor_wants_actions(aux->m, rule)) {
        return;
    }
    struct ofp_flow_update u;
    update_from_rule(&u, rule, aux->event, 0);
    fm_conn_put(aux->fc, &u, aux->actions);
}

/* Queues every flow 'm' covers as 'event'. */
static void
put_flows(struct ofproto *p, struct fm_conn *fc, const struct flow_monitor *m,
          enum ofp_fu_event event)
{
    struct ft_filter f = {
        .table_id = m->req.table_id,
        .match = m->req.match,
        .out_port = m->req.out_port,
    };
    struct initial_aux aux = {
        .fc = fc,
        .m = m,
        .event = event,
        .actions = (m->req.flags & OFP_FMF_ACTIONS) != 0,
    };
    flow_table_for_each(&p->ft, &f, put_initial_rule, &aux);
}

void
flow_monitor_flush(struct ofproto *p)
{
    struct fm_conn *fc;
    XVS_LIST_FOR_EACH (fc, node, &p->monitors->conns) {
        fm_conn_send_pending(fc);
        if (fc->paused && !ofconn_get_backlog(fc->ofconn)) {
            /* Caught up: what the monitors see now, then RESUMED. */
            fc->paused = false;
            struct flow_monitor *m;
            XVS_LIST_FOR_EACH (m, node, &fc->monitors) {
                if (m->req.flags & OFP_FMF_ADD) {
                    put_flows(p, fc, m, OFP_FUE_ADDED);
                }
            }
            fm_conn_send_flow_control(fc, false);
        }
    }
}

/* Checks one request against the connection's monitors as they would be
 * after the requests before it ('n_new' of them in 'new'). */
static enum ofperr
check_request(const struct fm_conn *fc,
              const struct ofp_flow_monitor_request *r,
              const struct ofp_flow_monitor_request *prev, size_t n_prev)
{
    bool exists = monitor_find(fc, r->id) != NULL;
    for (size_t i = 0; i < n_prev; i++) {
        if (prev[i].id == r->id) {
            exists = prev[i].command != OFP_FMC_DELETE;
        }
    }
    if (r->table_id != FT_TABLE_ALL && r->table_id >= FT_N_TABLES) {
        return OFPERR_OFPMOFC_BAD_TABLE_ID;
    }
    if (r->command == OFP_FMC_ADD) {
        if (exists) {
            return OFPERR_OFPMOFC_MONITOR_EXISTS;
        }
        if (!(r->flags & (OFP_FMF_INITIAL | OFP_FMF_ADD | OFP_FMF_DELETE
                          | OFP_FMF_MODIFY))) {
            return OFPERR_OFPMOFC_BAD_FLAGS;
        }
    } else if (!exists) {
        return OFPERR_OFPMOFC_UNKNOWN_MONITOR;
    }
    return 0;
}

enum ofperr
flow_monitor_handle_request(struct ofproto *p, struct ofconn *ofconn,
                            const struct ofp_msg_info *info)
{
    struct ofp_flow_monitor_request *rs;
    size_t n;
    enum ofperr error = ofp_decode_flow_monitor_requests(info, &rs, &n);
    if (error) {
        return error;
    }
    struct flow_monitors *fms = p->monitors;
    struct fm_conn *fc = fm_conn_find(fms, ofconn);
    for (size_t i = 0; i < n && !error; i++) {
        error = check_request(fc, &rs[i], rs, i);
    }
    if (error) {
        free(rs);
        return error;
    }

    if (!fc) {
        fc = xzalloc(sizeof *fc);
        fc->ofconn = ofconn;
        xvs_list_init(&fc->monitors);
        xvs_list_push_back(&fms->conns, &fc->node);
    }
    /* Updates already queued go before the reply. */
    fm_conn_send_pending(fc);
    fc->pending = ofp_start_flow_monitor_reply(info->version, info->xid);
    for (size_t i = 0; i < n; i++) {
        struct flow_monitor *m = monitor_find(fc, rs[i].id);
        if (rs[i].command == OFP_FMC_DELETE) {
            xvs_list_remove(&m->node);
            free(m);
            continue;
        }
        if (!m) {
            m = xzalloc(sizeof *m);
            xvs_list_push_back(&fc->monitors, &m->node);
        }
        m->req = rs[i];
        match_normalize(&m->req.match);
        if (m->req.flags & OFP_FMF_INITIAL) {
            put_flows(p, fc, m, OFP_FUE_INITIAL);
        }
    }
    fm_conn_send_pending(fc);
    if (xvs_list_is_empty(&fc->monitors)) {
        fm_conn_destroy(fc);
    }
    p->ft.track_changes = flow_monitors_active(fms);
    free(rs);
    return 0;
}

enum ofperr
flow_monitor_handle_cancel(struct ofproto *p, struct ofconn *ofconn,
                           const struct ofp_msg_info *info)
{
    uint32_t id;
    enum ofperr error = ofp_decode_flow_monitor_cancel(info, &id);
    if (error) {
        return error;
    }
    struct fm_conn *fc = fm_conn_find(p->monitors, ofconn);
    struct flow_monitor *m = monitor_find(fc, id);
    if (!m) {
        return OFPERR_OFPMOFC_UNKNOWN_MONITOR;
    }
    xvs_list_remove(&m->node);
    free(m);
    if (xvs_list_is_empty(&fc->monitors)) {
        fm_conn_destroy(fc);
    }
    p->ft.track_changes = flow_monitors_active(p->monitors);
    return 0;
}
