#include <config.h>
#include "ofproto.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "connmgr.h"
#include "continuation.h"
#include "coverage.h"
#include "datapath/dpif.h"
#include "evloop.h"
#include "flow-extract.h"
#include "flow-monitor.h"
#include "flow-table.h"
#include "mac-learning.h"
#include "memory.h"
#include "nx-actions.h"
#include "ofp-actions.h"
#include "ofp-monitor.h"
#include "ofp-msgs.h"
#include "ofp-table-mod.h"
#include "ofp-port.h"
#include "ofproto-private.h"
#include "unixctl.h"
#include "vlog.h"
#include "xlate.h"
#include "xlate-cache.h"

VLOG_DEFINE_THIS_MODULE(ofproto);
COVERAGE_DEFINE(ofproto_flow_mod_add);
COVERAGE_DEFINE(ofproto_flow_mod_modify);
COVERAGE_DEFINE(ofproto_flow_mod_delete);
COVERAGE_DEFINE(ofproto_packet_out);
COVERAGE_DEFINE(ofproto_upcall);
COVERAGE_DEFINE(ofproto_upcall_uncached);
COVERAGE_DEFINE(ofproto_add_port);
COVERAGE_DEFINE(ofproto_del_port);

static struct hmap all_ofprotos = HMAP_INITIALIZER;

/* How often rule timeouts are checked: a rule outlives its timeout by
 * at most this much. */
#define OFPROTO_EXPIRE_MSEC 250

static void ofproto_flows_will_change(void *p_);
static uint32_t ports_liveness_hash(const struct ofproto *);
static const struct dp_flow_owner_ops megaflow_owner_ops;
static void ofproto_upcall(void *aux, const struct flow *,
                           struct dp_packet *, struct dp_actions *,
                           struct dp_upcall_install *);
static void ofproto_revalidate_flow(void *aux, const struct flow *,
                                    struct dp_actions *,
                                    struct dp_upcall_install *);
static void ofproto_expire(void *p_);
static memory_report_func ofproto_report_memory;
static void ofproto_sweep(void *p_);

/* How often the datapath's flow cache is looked after (dp_run()), as
 * Open vSwitch's revalidators dump the flows. */
#define OFPROTO_SWEEP_MSEC 500

/* "upcall/disable-megaflows" turns this off. */
static bool megaflows_enabled = true;

static uint32_t
dp_port_to_ofp(uint32_t dp_port)
{
    return dp_port == OFPROTO_DP_LOCAL ? OFPP_LOCAL : dp_port;
}

int
ofproto_create(const char *name, struct ofproto **ofprotop)
{
    struct ofproto *p = xzalloc(sizeof *p);
    int error;

    uuid_generate(&p->uuid);
    *ofprotop = NULL;
    error = dp_create(name, ofproto_upcall, p, &p->dp);
    if (error) {
        free(p);
        return error;
    }
    p->name = xstrdup(name);
    dp_set_flow_owner_ops(p->dp, &megaflow_owner_ops);
    dp_set_revalidator(p->dp, ofproto_revalidate_flow, p);
    flow_table_init(&p->ft);
    flow_table_set_change_hook(&p->ft, ofproto_flows_will_change, p);
    group_table_init(&p->groups);
    meter_table_init(&p->meters);
    tlv_map_init(&p->tlv_map);
    p->ml = mac_learning_create(MAC_DEFAULT_MAX_AGE);
    xvs_list_init(&p->ports);
    p->fail_mode = OFPROTO_FAIL_STANDALONE;
    p->miss_send_len = 128;

    /* A stable datapath ID: a locally administered MAC derived from the
     * bridge name, as the low 48 bits. */
    struct eth_addr mac;
    eth_addr_random(&mac, hash_string(name, 0) | 1);
    for (int i = 0; i < 6; i++) {
        p->datapath_id = (p->datapath_id << 8) | mac.ea[i];
    }

    hmap_insert(&all_ofprotos, &p->node, hash_string(name, 0));
    p->monitors = flow_monitors_create();
    p->connmgr = connmgr_create(p);
    p->expire_timer = evloop_timer(OFPROTO_EXPIRE_MSEC, true, ofproto_expire,
                                   p);
    memory_register(ofproto_report_memory, p);
    p->sweep_timer = evloop_timer(OFPROTO_SWEEP_MSEC, true, ofproto_sweep, p);
    *ofprotop = p;
    return 0;
}

void
ofproto_destroy(struct ofproto *p)
{
    if (!p) {
        return;
    }
    memory_unregister(ofproto_report_memory, p);
    event_free(p->expire_timer);
    event_free(p->sweep_timer);
    connmgr_destroy(p->connmgr);
    flow_monitors_destroy(p->monitors);
    struct ofport *port, *next;
    XVS_LIST_FOR_EACH_SAFE (port, next, node, &p->ports) {
        xvs_list_remove(&port->node);
        free(port->trunks);
        free(port->name);
        free(port);
    }
    flow_table_set_change_hook(&p->ft, NULL, NULL);
    dp_destroy(p->dp);
    free(p->reval_xout);
    flow_table_destroy(&p->ft);
    group_table_destroy(&p->groups);
    meter_table_destroy(&p->meters);
    mac_learning_destroy(p->ml);
    hmap_remove(&all_ofprotos, &p->node);
    free(p->name);
    free(p);
}

/* "memory/show": what one bridge holds; bridges add up. */
static void
ofproto_report_memory(struct memory_usage *u, void *p_)
{
    struct ofproto *p = p_;

    memory_add(u, "rules", flow_table_count(&p->ft));
    memory_add(u, "ports", xvs_list_size(&p->ports));
    memory_add(u, "ofconns", connmgr_count_ofconns(p->connmgr));
    memory_add(u, "groups", group_table_count(&p->groups));
    memory_add(u, "meters", meter_table_count(&p->meters));
    memory_add(u, "megaflows", dp_flow_count(p->dp));
    memory_add(u, "mac-entries", hmap_count(&p->ml->table));
}

const char *
ofproto_name(const struct ofproto *p)
{
    return p->name;
}

struct ofproto *
ofproto_lookup(const char *name)
{
    struct ofproto *p;
    HMAP_FOR_EACH_WITH_HASH (p, node, hash_string(name, 0), &all_ofprotos) {
        if (!strcmp(p->name, name)) {
            return p;
        }
    }
    return NULL;
}

static int
compare_by_name(const void *a_, const void *b_)
{
    const struct ofproto *const *a = a_;
    const struct ofproto *const *b = b_;
    return strcmp((*a)->name, (*b)->name);
}

struct ofproto **
ofproto_all(size_t *n)
{
    struct ofproto **all = xmalloc((hmap_count(&all_ofprotos) + 1)
                                   * sizeof *all);
    struct ofproto *p;
    *n = 0;
    HMAP_FOR_EACH (p, node, &all_ofprotos) {
        all[(*n)++] = p;
    }
    qsort(all, *n, sizeof *all, compare_by_name);
    return all;
}

struct ofproto *
ofproto_only(void)
{
    if (hmap_count(&all_ofprotos) != 1) {
        return NULL;
    }
    struct ofproto *p;
    HMAP_FOR_EACH (p, node, &all_ofprotos) {
        return p;
    }
    return NULL;
}

uint64_t
ofproto_get_datapath_id(const struct ofproto *p)
{
    return p->datapath_id;
}

void
ofproto_set_datapath_id(struct ofproto *p, uint64_t dpid)
{
    p->datapath_id = dpid;
}

int
ofproto_set_service(struct ofproto *p, const char *name)
{
    return connmgr_set_service(p->connmgr, name);
}

void
ofproto_set_service_queue_size(struct ofproto *p, int n)
{
    connmgr_set_service_queue_size(p->connmgr, n);
}

int
ofproto_set_snoop(struct ofproto *p, const char *name)
{
    return connmgr_set_snoop(p->connmgr, name);
}

void
ofproto_set_fail_mode(struct ofproto *p, enum ofproto_fail_mode mode)
{
    if (mode != p->fail_mode) {
        ofproto_megaflows_will_change(p);
        p->fail_mode = mode;
    }
}

void
ofproto_controller_init(struct ofproto_controller *c, const char *target)
{
    memset(c, 0, sizeof *c);
    c->target = target;
    c->type = (!strncmp(target, "ptcp:", 5) || !strncmp(target, "pssl:", 5)
               || !strncmp(target, "punix:", 6)
               ? OFPROTO_CONTROLLER_SERVICE : OFPROTO_CONTROLLER_PRIMARY);
    c->max_backoff = OFPROTO_DEFAULT_MAX_BACKOFF;
    c->probe_interval = OFPROTO_DEFAULT_PROBE_INTERVAL;
    c->queue_size = OFPROTO_DEFAULT_QUEUE_SIZE;
    c->enable_async = true;
    c->dscp = OFPROTO_DEFAULT_DSCP;
}

void
ofproto_set_controllers(struct ofproto *p,
                        const struct ofproto_controller *cs, size_t n)
{
    connmgr_set_controllers(p->connmgr, cs, n);
}

bool
ofproto_get_controller_status(const struct ofproto *p, const char *target,
                              struct ofproto_controller_status *s)
{
    return connmgr_get_controller_status(p->connmgr, target, s);
}

void
ofproto_set_allowed_versions(struct ofproto *p, uint32_t bitmap)
{
    connmgr_set_allowed_versions(p->connmgr, bitmap);
}

bool
ofproto_fail_open(const struct ofproto *p)
{
    return (p->fail_mode == OFPROTO_FAIL_STANDALONE
            && connmgr_controllers_failed(p->connmgr));
}

/* ---- Ports. ---- */

struct ofport *
ofproto_get_port(const struct ofproto *p, uint32_t ofp_port)
{
    struct ofport *port;
    XVS_LIST_FOR_EACH (port, node, &p->ports) {
        if (port->ofp_port == ofp_port) {
            return port;
        }
    }
    return NULL;
}

struct ofport *
ofproto_get_port_by_dp(const struct ofproto *p, uint32_t dp_port)
{
    return ofproto_get_port(p, dp_port_to_ofp(dp_port));
}

int
ofproto_port_lookup(const struct ofproto *p, const char *name,
                    uint32_t *ofp_port)
{
    struct ofport *port;
    XVS_LIST_FOR_EACH (port, node, &p->ports) {
        if (!strcmp(port->name, name)) {
            *ofp_port = port->ofp_port;
            return 0;
        }
    }
    return -ENOENT;
}

bool
ofproto_port_is_live(const struct ofproto *p, uint32_t ofp_port)
{
    struct ofport *port = ofproto_get_port(p, ofp_port);
    struct dp_port_status st;
    return (port && !(port->config & OFPPC_PORT_DOWN)
            && !dp_port_get_status(p->dp, port->dp_port, &st)
            && st.admin_up && st.link_up);
}

void
ofproto_port_to_phy_port(const struct ofproto *p, const struct ofport *port,
                         struct ofp_phy_port *pp)
{
    struct dp_port_status st;

    memset(pp, 0, sizeof *pp);
    pp->port_no = port->ofp_port;
    pp->hw_addr = port->hw_addr;
    snprintf(pp->name, sizeof pp->name, "%s", port->name);
    if (!dp_port_get_status(p->dp, port->dp_port, &st)) {
        pp->config = st.admin_up ? 0 : OFPPC_PORT_DOWN;
        pp->state = st.link_up ? OFPPS_LIVE : OFPPS_LINK_DOWN;
    }
    pp->config |= port->config;
    if (pp->config & OFPPC_PORT_DOWN) {
        /* A port that is down has no link. */
        pp->state = OFPPS_LINK_DOWN;
    }
    pp->curr = pp->advertised = pp->supported = OFPPF_10GB_FD | OFPPF_COPPER;
    pp->curr_speed = pp->max_speed = 10000000;
}

enum ofperr
ofproto_port_mod_check(struct ofproto *p, const struct ofp_port_mod_msg *pm)
{
    struct ofport *port = ofproto_get_port(p, pm->port_no);
    if (!port) {
        return OFPERR_OFPPMFC_BAD_PORT;
    }
    if (memcmp(&port->hw_addr, &pm->hw_addr, sizeof pm->hw_addr)) {
        return OFPERR_OFPPMFC_BAD_HW_ADDR;
    }
    return 0;
}

enum ofperr
ofproto_port_mod(struct ofproto *p, const struct ofp_port_mod_msg *pm)
{
    enum ofperr error = ofproto_port_mod_check(p, pm);
    if (error) {
        return error;
    }
    struct ofport *port = ofproto_get_port(p, pm->port_no);
    static const uint32_t known = (OFPPC_PORT_DOWN | OFPPC_NO_STP
                                   | OFPPC_NO_RECV | OFPPC_NO_RECV_STP
                                   | OFPPC_NO_FLOOD | OFPPC_NO_FWD
                                   | OFPPC_NO_PACKET_IN);
    uint32_t mask = pm->mask & known;
    uint32_t config = (port->config & ~mask) | (pm->config & mask);
    if (config != port->config) {
        ofproto_megaflows_will_change(p);
        port->config = config;
        struct ofp_phy_port pp;
        ofproto_port_to_phy_port(p, port, &pp);
        p->ports_liveness = ports_liveness_hash(p);
        connmgr_send_port_status(p->connmgr, &pp, OFPPR_MODIFY);
    }
    return 0;
}

int
ofproto_port_add(struct ofproto *p, const char *name, const char *type,
                 const struct dp_option *options, size_t n_options,
                 uint32_t *ofp_port)
{
    bool local = !strcmp(name, p->name);
    uint32_t dp_port = local ? OFPROTO_DP_LOCAL : *ofp_port;
    int error;

    if (!local && dp_port > OFPP_MAX) {
        return -EINVAL;
    }
    error = dp_port_add(p->dp, name, type, options, n_options, &dp_port);
    if (error) {
        return error;
    }
    COVERAGE_INC(ofproto_add_port);
    /* Floods, and outputs to a port number that did not exist, change. */
    ofproto_megaflows_will_change(p);

    struct ofport *port = xzalloc(sizeof *port);
    port->ofp_port = dp_port_to_ofp(dp_port);
    port->dp_port = dp_port;
    port->name = xstrdup(name);
    port->tag = -1;
    port->tunnel = dp_port_is_tunnel(p->dp, dp_port);
    const char *dp_type = dp_port_get_type(p->dp, dp_port);
    port->internal = dp_type && !strcmp(dp_type, "internal");
    struct dp_port_status st;
    if (!dp_port_get_status(p->dp, dp_port, &st)) {
        port->hw_addr = st.mac;
    }

    /* Keep the list sorted so floods go out in port order. */
    struct ofport *pos;
    XVS_LIST_FOR_EACH (pos, node, &p->ports) {
        if (pos->ofp_port > port->ofp_port) {
            break;
        }
    }
    xvs_list_insert(&pos->node, &port->node);
    *ofp_port = port->ofp_port;

    struct ofp_phy_port pp;
    ofproto_port_to_phy_port(p, port, &pp);
    p->ports_liveness = ports_liveness_hash(p);
    connmgr_send_port_status(p->connmgr, &pp, OFPPR_ADD);
    struct ds num = DS_EMPTY_INITIALIZER;
    ofp_port_format(port->ofp_port, &num);
    VLOG_INFO("%s: added port %s (%s) as OpenFlow port %s", p->name, name,
              type, ds_cstr(&num));
    ds_destroy(&num);
    return 0;
}

int
ofproto_port_del(struct ofproto *p, uint32_t ofp_port)
{
    struct ofport *port = ofproto_get_port(p, ofp_port);
    if (!port) {
        return -ENOENT;
    }
    struct ofp_phy_port pp;
    ofproto_port_to_phy_port(p, port, &pp);

    COVERAGE_INC(ofproto_del_port);
    ofproto_megaflows_will_change(p);
    int error = dp_port_del(p->dp, port->dp_port);
    mac_learning_flush_port(p->ml, ofp_port);
    VLOG_INFO("%s: removed port %s", p->name, port->name);
    xvs_list_remove(&port->node);
    free(port->trunks);
    free(port->name);
    free(port);
    p->ports_liveness = ports_liveness_hash(p);
    connmgr_send_port_status(p->connmgr, &pp, OFPPR_DELETE);
    return error;
}

void
ofproto_port_set_vlan(struct ofproto *p, uint32_t ofp_port, int tag,
                      const int *trunks, size_t n_trunks)
{
    struct ofport *port = ofproto_get_port(p, ofp_port);
    if (!port) {
        return;
    }
    int new_tag = tag >= 0 && tag <= VLAN_VID_MASK ? tag : -1;
    uint8_t *new_trunks = NULL;
    if (n_trunks) {
        new_trunks = xzalloc((VLAN_VID_MASK + 1) / 8);
        for (size_t i = 0; i < n_trunks; i++) {
            if (trunks[i] >= 0 && trunks[i] <= VLAN_VID_MASK) {
                new_trunks[trunks[i] / 8] |= 1u << (trunks[i] % 8);
            }
        }
    }
    /* The bridge sets this on every reconfiguration: only a change costs
     * the megaflows. */
    bool same = (new_tag == port->tag
                 && !new_trunks == !port->trunks
                 && (!new_trunks
                     || !memcmp(new_trunks, port->trunks,
                                (VLAN_VID_MASK + 1) / 8)));
    if (!same) {
        ofproto_megaflows_will_change(p);
    }
    port->tag = new_tag;
    free(port->trunks);
    port->trunks = new_trunks;
}

bool
ofport_carries_vlan(const struct ofport *port, uint16_t vid)
{
    if (port->tag >= 0) {
        return vid == port->tag;
    }
    return !port->trunks || port->trunks[vid / 8] & (1u << (vid % 8));
}

int
ofproto_port_get_status(const struct ofproto *p, uint32_t ofp_port,
                        struct dp_port_status *st)
{
    struct ofport *port = ofproto_get_port(p, ofp_port);
    return port ? dp_port_get_status(p->dp, port->dp_port, st) : -ENOENT;
}

int
ofproto_port_get_stats(const struct ofproto *p, uint32_t ofp_port,
                       struct dp_port_stats *st)
{
    struct ofport *port = ofproto_get_port(p, ofp_port);
    return port ? dp_port_get_stats(p->dp, port->dp_port, st) : -ENOENT;
}

/* ---- Flows. ---- */

static uint8_t
ofprr_from_ft_reason(enum ft_removed_reason reason)
{
    switch (reason) {
    case FT_REMOVED_IDLE_TIMEOUT: return OFPRR_IDLE_TIMEOUT;
    case FT_REMOVED_HARD_TIMEOUT: return OFPRR_HARD_TIMEOUT;
    case FT_REMOVED_DELETE: return OFPRR_DELETE;
    case FT_REMOVED_GROUP_DELETE: return OFPRR_GROUP_DELETE;
    case FT_REMOVED_METER_DELETE: return OFPRR_METER_DELETE;
    case FT_REMOVED_EVICTION: return OFPRR_EVICTION;
    }
    return OFPRR_DELETE;
}

static void
report_removed_rule(const struct rule *rule, void *p_)
{
    struct ofproto *p = p_;
    if (rule->event != FT_EVENT_REMOVED) {
        flow_monitor_report(p->monitors, rule,
                            (rule->event == FT_EVENT_ADDED ? OFP_FUE_ADDED
                             : OFP_FUE_MODIFIED), 0,
                            p->origin, p->origin_xid);
        return;
    }
    uint8_t reason = ofprr_from_ft_reason(rule->removed_reason);
    flow_monitor_report(p->monitors, rule, OFP_FUE_DELETED, reason,
                        p->origin, p->origin_xid);
    if (!(rule->flags & FT_FLAG_SEND_FLOW_REM)) {
        return;
    }
    long long int age = time_msec() - rule->created;
    struct ofp_flow_removed_msg fr = {
        .match = rule->match,
        .cookie = rule->cookie,
        .priority = rule->priority,
        .reason = reason,
        .table_id = rule->table_id,
        .duration_sec = age / 1000,
        .duration_nsec = age % 1000 * 1000000,
        .idle_timeout = rule->idle_timeout,
        .hard_timeout = rule->hard_timeout,
        .packet_count = rule->n_packets,
        .byte_count = rule->n_bytes,
    };
    connmgr_send_flow_removed(p->connmgr, &fr);
}

void
ofproto_report_removed(struct ofproto *p)
{
    flow_table_drain_removed(&p->ft, report_removed_rule, p);
    flow_monitor_flush(p);
    p->ft.track_changes = flow_monitors_active(p->monitors);
    /* Every change of the tables passes here, so this is where a table's
     * free space may have crossed a vacancy threshold. */
    for (size_t i = 0; i < FT_N_TABLES; i++) {
        enum ft_vacancy_event ev = flow_table_vacancy_event(&p->ft, i);
        if (ev != FT_VACANCY_NONE) {
            struct ofp_table_desc td;
            ofproto_table_desc(p, i, &td);
            connmgr_send_table_status(p->connmgr, &td,
                                      ev == FT_VACANCY_DOWN
                                      ? OFPTR_VACANCY_DOWN
                                      : OFPTR_VACANCY_UP);
        }
    }
}

void
ofproto_table_desc(const struct ofproto *p, uint8_t table_id,
                   struct ofp_table_desc *td)
{
    const struct oftable *t = &p->ft.tables[table_id];
    *td = (struct ofp_table_desc) {
        .table_id = table_id,
        .eviction = flow_table_evicts(&p->ft, table_id),
        .eviction_flags = OFPTMPEF_ALL,
        .vacancy = t->vacancy_on,
        .vacancy_down = t->vacancy_down,
        .vacancy_up = t->vacancy_up,
        .vacancy_now = flow_table_vacancy(&p->ft, table_id),
    };
}

enum ofperr
ofproto_table_mod(struct ofproto *p, const struct ofp_table_mod *tm,
                  uint8_t version)
{
    /* Every table id is a table (FT_N_TABLES is 255) or OFPTT_ALL. */
    if (version < OFP14_VERSION) {
        /* OpenFlow 1.3 deprecated the config bits: nothing to change. */
        return 0;
    }
    for (size_t i = 0; i < FT_N_TABLES; i++) {
        if (tm->table_id != FT_TABLE_ALL && tm->table_id != i) {
            continue;
        }
        const struct oftable *t = &p->ft.tables[i];
        flow_table_set_eviction(&p->ft, i, tm->config & OFPTC14_EVICTION);
        flow_table_set_vacancy(&p->ft, i,
                               tm->config & OFPTC14_VACANCY_EVENTS,
                               tm->has_vacancy ? tm->vacancy_down
                                               : t->vacancy_down,
                               tm->has_vacancy ? tm->vacancy_up
                                               : t->vacancy_up);
    }
    return 0;
}

/* Counts a flow_mod that took effect, by kind. */
static void
ofproto_count_flow_mod(const struct ft_flow_mod *fm)
{
    switch (fm->command) {
    case FT_ADD:
        COVERAGE_INC(ofproto_flow_mod_add);
        break;
    case FT_MODIFY:
    case FT_MODIFY_STRICT:
        COVERAGE_INC(ofproto_flow_mod_modify);
        break;
    case FT_DELETE:
    case FT_DELETE_STRICT:
        COVERAGE_INC(ofproto_flow_mod_delete);
        break;
    }
}

enum ofperr
ofproto_flow_mods_commit(struct ofproto *p, const struct ft_flow_mod *fms,
                         size_t n, size_t *failed)
{
    enum ofperr error = 0;
    size_t i = 0;

    if (n == 1) {
        /* A single flow_mod fails before it changes anything, so it needs
         * no copy of the tables. */
        error = flow_table_apply(&p->ft, &fms[0], NULL);
    } else if (n > 1) {
        struct flow_table *scratch = xmalloc(sizeof *scratch);
        flow_table_init(scratch);
        flow_table_clone(scratch, &p->ft);
        for (i = 0; i < n && !error; i++) {
            error = flow_table_apply(scratch, &fms[i], NULL);
        }
        i--;
        if (!error) {
            /* The copy's removed rules (deleted, evicted) join the live
             * table's, to be reported like any others. */
            flow_table_take_rules(&p->ft, scratch);
        }
        flow_table_destroy(scratch);
        free(scratch);
    }
    if (failed) {
        *failed = i;
    }
    if (!error) {
        for (size_t j = 0; j < n; j++) {
            ofproto_count_flow_mod(&fms[j]);
        }
    }
    ofproto_report_removed(p);
    return error;
}

enum ofperr
ofproto_flow_mod(struct ofproto *p, const struct ft_flow_mod *fm)
{
    return ofproto_flow_mods_commit(p, fm, 1, NULL);
}

void
ofproto_configure_table(struct ofproto *p, uint8_t table_id,
                        const char *name, size_t max_flows, bool evict,
                        const char *const *groups, size_t n_groups)
{
    struct mf_subfield *sfs = xcalloc(n_groups + 1, sizeof *sfs);
    size_t n = 0;
    for (size_t i = 0; i < n_groups; i++) {
        char *error = nx_parse_subfield(groups[i], &sfs[n]);
        if (error) {
            /* Invalid or unknown fields are ignored, as documented for
             * Flow_Table.groups. */
            free(error);
        } else {
            n++;
        }
    }
    flow_table_configure(&p->ft, table_id, name, max_flows, evict, sfs, n);
    free(sfs);
    ofproto_report_removed(p);
}

/* Parses built-in 'actions' into 'ofpacts'; false (logged) if they do not
 * parse, which is a bug in the caller. */
static bool
parse_builtin_actions(const struct ofproto *p, const char *actions,
                      struct ofpacts *ofpacts)
{
    char *error = ofpacts_parse(actions, ofpacts);
    if (error) {
        VLOG_ERR("%s: bad built-in actions \"%s\" (%s)", p->name, actions,
                 error);
        free(error);
        return false;
    }
    return true;
}

/* The table-0 rule with exactly this match, priority and actions. */
static bool
has_exact_rule(const struct ofproto *p, const struct match *match,
               uint16_t priority, const struct ofpacts *ofpacts)
{
    const struct rule *rule = flow_table_find(&p->ft, 0, priority, match);
    return rule && ofpacts_equal(&rule->ofpacts, ofpacts);
}

void
ofproto_add_flow(struct ofproto *p, const struct match *match,
                 uint16_t priority, const char *actions)
{
    struct ofpacts ofpacts = OFPACTS_EMPTY_INITIALIZER;
    if (parse_builtin_actions(p, actions, &ofpacts)
        && !has_exact_rule(p, match, priority, &ofpacts)) {
        struct ft_flow_mod fm = {
            .command = FT_ADD,
            .table_id = 0,
            .priority = priority,
            .match = *match,
            .out_port = OFPP_ANY,
            .ofpacts = &ofpacts,
        };
        ofproto_flow_mod(p, &fm);
    }
    ofpacts_uninit(&ofpacts);
}

void
ofproto_delete_flow(struct ofproto *p, const struct match *match,
                    uint16_t priority, const char *actions)
{
    struct ofpacts ofpacts = OFPACTS_EMPTY_INITIALIZER;
    if (parse_builtin_actions(p, actions, &ofpacts)
        && has_exact_rule(p, match, priority, &ofpacts)) {
        struct ofpacts none = OFPACTS_EMPTY_INITIALIZER;
        struct ft_flow_mod fm = {
            .command = FT_DELETE_STRICT,
            .table_id = 0,
            .priority = priority,
            .match = *match,
            .out_port = OFPP_ANY,
            .ofpacts = &none,
        };
        ofproto_flow_mod(p, &fm);
    }
    ofpacts_uninit(&ofpacts);
}

/* ---- The packet path. ---- */

/* Each packet-in carries the packet as the datapath actions before it
 * rewrote it. */
static void
send_packet_ins(struct ofproto *p, const struct xlate_out *xout,
                const void *data, size_t len)
{
    if (!xout->n_pins) {
        return;
    }
    struct dp_packet copy = {
        .allocated = DP_PACKET_HEADROOM + len + VLAN_HEADER_LEN,
    };
    copy.base = xmalloc(copy.allocated);
    for (size_t i = 0; i < xout->n_pins; i++) {
        const struct xlate_pin *pin = &xout->pins[i];
        copy.data_ofs = DP_PACKET_HEADROOM;
        copy.size = len;
        memcpy(dp_packet_data(&copy), data, len);
        dp_actions_apply_headers(&xout->acts, pin->n_acts, &copy);
        connmgr_send_packet_in(p->connmgr, pin,
                               pin->pause ? xout->continuation : NULL,
                               dp_packet_data(&copy), copy.size);
    }
    free(copy.base);
}

/* ---- Megaflows. ---- */

/* What ofproto keeps with each megaflow it installs in the datapath: what
 * its packets count in (xlate-cache.h). */
struct ofproto_megaflow {
    struct xlate_cache xc;
};

static void
megaflow_push_stats(void *owner, uint64_t n_packets, uint64_t n_bytes,
                    long long int used)
{
    struct ofproto_megaflow *mf = owner;
    xlate_cache_push(&mf->xc, n_packets, n_bytes, used);
}

static void
megaflow_destroy(void *owner)
{
    struct ofproto_megaflow *mf = owner;
    xlate_cache_uninit(&mf->xc);
    free(mf);
}

static const struct dp_flow_owner_ops megaflow_owner_ops = {
    megaflow_push_stats,
    megaflow_destroy,
};

void
ofproto_flush_megaflows(struct ofproto *p)
{
    dp_flow_flush(p->dp);
}

void
ofproto_megaflows_will_change(struct ofproto *p)
{
    dp_flow_invalidate(p->dp);
}

void
ofproto_revalidate(struct ofproto *p)
{
    dp_flow_revalidate(p->dp);
}

void
ofproto_set_megaflows_enabled(bool enabled)
{
    if (enabled != megaflows_enabled) {
        megaflows_enabled = enabled;
        struct ofproto *p;
        HMAP_FOR_EACH (p, node, &all_ofprotos) {
            ofproto_flush_megaflows(p);
        }
    }
}

/* What the cacheable translation 'xout' of 'flow' asks the datapath to
 * install: its wildcards, or with megaflows disabled all of the key but
 * the tunnel of a packet that came through none (Open vSwitch's keys have
 * no tunnel then; a tunnelled packet comes from another in_port). */
static void
fill_install(const struct flow *flow, const struct xlate_out *xout,
             struct ofproto_megaflow *mf, struct dp_upcall_install *install)
{
    static const struct flow_tnl no_tunnel;
    install->install = true;
    install->owner = mf;
    if (megaflows_enabled) {
        install->wc = xout->wc;
    } else {
        memset(&install->wc, 0xff, sizeof install->wc);
        if (!memcmp(&flow->tunnel, &no_tunnel, sizeof no_tunnel)) {
            memset(&install->wc.masks.tunnel, 0,
                   sizeof install->wc.masks.tunnel);
        }
    }
}

void
ofproto_push_stats(struct ofproto *p)
{
    dp_flow_push_stats(p->dp);
}

static void
ofproto_flows_will_change(void *p_)
{
    ofproto_megaflows_will_change(p_);
}

static uint32_t
ports_liveness_hash(const struct ofproto *p)
{
    uint32_t h = 0;
    const struct ofport *port;
    XVS_LIST_FOR_EACH (port, node, &p->ports) {
        h = hash_add(h, port->ofp_port << 1
                        | ofproto_port_is_live(p, port->ofp_port));
    }
    return hash_finish(h, 0);
}

static void
ofproto_upcall(void *aux, const struct flow *flow, struct dp_packet *packet,
               struct dp_actions *out, struct dp_upcall_install *install)
{
    struct ofproto *p = aux;
    struct ofproto_megaflow *mf = xmalloc(sizeof *mf);

    COVERAGE_INC(ofproto_upcall);
    *mf = (struct ofproto_megaflow) { XLATE_CACHE_INITIALIZER };
    struct xlate_in xin = {
        .ofproto = p,
        .flow = *flow,
        .packet_len = dp_packet_size(packet),
        .packet = dp_packet_data(packet),
        .update_stats = true,
        .cache = &mf->xc,
    };
    struct xlate_out *xout = xmalloc(sizeof *xout);

    xin.flow.in_port = dp_port_to_ofp(flow->in_port);
    const struct ofport *in = ofproto_get_port(p, xin.flow.in_port);
    if (in && in->config & (OFPPC_PORT_DOWN | OFPPC_NO_RECV)) {
        /* The port takes nothing in: drop ('out' is empty). */
        megaflow_destroy(mf);
        free(xout);
        return;
    }
    xlate_run(&xin, xout);
    dp_actions_copy(out, &xout->acts);
    send_packet_ins(p, xout, dp_packet_data(packet), dp_packet_size(packet));
    if (!xout->slow) {
        fill_install(&xin.flow, xout, mf, install);
    } else {
        COVERAGE_INC(ofproto_upcall_uncached);
        VLOG_DBG("%s: not cached (%s)", p->name, xout->slow);
        megaflow_destroy(mf);
    }
    xlate_out_uninit(xout);
    free(xout);
}

/* The datapath's revalidator: the upcall's translation, without a packet
 * and with no effect but the translation.  A megaflow whose input port is
 * gone, or takes nothing in, goes. */
static void
ofproto_revalidate_flow(void *aux, const struct flow *flow,
                        struct dp_actions *out,
                        struct dp_upcall_install *install)
{
    struct ofproto *p = aux;
    uint32_t in_port = dp_port_to_ofp(flow->in_port);
    const struct ofport *in = ofproto_get_port(p, in_port);
    if (!in || in->config & (OFPPC_PORT_DOWN | OFPPC_NO_RECV)) {
        return;
    }
    struct ofproto_megaflow *mf = xmalloc(sizeof *mf);
    *mf = (struct ofproto_megaflow) { XLATE_CACHE_INITIALIZER };
    struct xlate_in xin = {
        .ofproto = p,
        .flow = *flow,
        .update_stats = false,
        .cache = &mf->xc,
    };
    xin.flow.in_port = in_port;
    if (!p->reval_xout) {
        p->reval_xout = xmalloc(sizeof *p->reval_xout);
    }
    struct xlate_out *xout = p->reval_xout;
    xlate_run(&xin, xout);
    /* The lookups were no packet's. */
    xlate_cache_uncount_tables(&mf->xc);
    if (!xout->slow) {
        dp_actions_copy(out, &xout->acts);
        fill_install(&xin.flow, xout, mf, install);
    } else {
        megaflow_destroy(mf);
    }
    xlate_out_uninit(xout);
}

struct xlate_out *
ofproto_packet_out_xlate(struct ofproto *p, const void *data, size_t len,
                         uint32_t in_port, const struct ofpacts *ofpacts,
                         struct flow_table *ft, struct group_table *groups,
                         struct meter_table *meters)
{
    struct xlate_in xin = {
        .ofproto = p,
        .packet_len = len,
        .packet = data,
        .update_stats = true,
        .ofpacts = ofpacts,
        .ft = ft,
        .groups = groups,
        .meters = meters,
    };
    flow_extract(data, len, in_port, &xin.flow);
    struct xlate_out *xout = xmalloc(sizeof *xout);
    xlate_run(&xin, xout);
    return xout;
}

enum ofperr
ofproto_packet_out_execute(struct ofproto *p, struct xlate_out *xout,
                           const void *data, size_t len, uint32_t in_port)
{
    COVERAGE_INC(ofproto_packet_out);
    const struct ofport *port = ofproto_get_port(p, in_port);
    uint32_t dp_in = (port ? port->dp_port
                      : in_port == OFPP_LOCAL ? OFPROTO_DP_LOCAL : in_port);
    int error = dp_execute(p->dp, data, len, dp_in, &xout->acts);
    send_packet_ins(p, xout, data, len);
    xlate_out_uninit(xout);
    free(xout);
    return error ? OFPERR_OFPBRC_BAD_PACKET : 0;
}

enum ofperr
ofproto_packet_out(struct ofproto *p, const void *data, size_t len,
                   uint32_t in_port, const struct ofpacts *ofpacts)
{
    struct xlate_out *xout = ofproto_packet_out_xlate(p, data, len, in_port,
                                                      ofpacts, NULL, NULL,
                                                      NULL);
    return ofproto_packet_out_execute(p, xout, data, len, in_port);
}

enum ofperr
ofproto_resume(struct ofproto *p, const struct ofp_packet_in_msg *pin,
               uint8_t version)
{
    struct continuation c;
    continuation_init(&c);
    enum ofperr error = continuation_decode(pin->continuation,
                                            pin->continuation_len, version,
                                            &c);
    if (!error && !uuid_equals(&c.bridge, &p->uuid)) {
        error = OFPERR_NXR_STALE;
    }
    if (!error && !pin->packet_len) {
        error = OFPERR_OFPBRC_BAD_PACKET;
    }
    if (!error) {
        const struct flow *meta = &pin->match.flow;
        struct xlate_in xin = {
            .ofproto = p,
            .packet_len = pin->packet_len,
            .packet = pin->packet,
            .update_stats = true,
            .resume = &c,
        };
        flow_extract(pin->packet, pin->packet_len, meta->in_port, &xin.flow);
        xin.flow.metadata = meta->metadata;
        memcpy(xin.flow.regs, meta->regs, sizeof xin.flow.regs);

        struct xlate_out *xout = xmalloc(sizeof *xout);
        xlate_run(&xin, xout);
        const struct ofport *port = ofproto_get_port(p, meta->in_port);
        uint32_t dp_in = (port ? port->dp_port
                          : meta->in_port == OFPP_LOCAL ? OFPROTO_DP_LOCAL
                          : meta->in_port);
        if (dp_execute(p->dp, pin->packet, pin->packet_len, dp_in,
                       &xout->acts)) {
            error = OFPERR_OFPBRC_BAD_PACKET;
        }
        send_packet_ins(p, xout, pin->packet, pin->packet_len);
        xlate_out_uninit(xout);
        free(xout);
    }
    continuation_uninit(&c);
    return error;
}

static void
ofproto_expire(void *p_)
{
    struct ofproto *p = p_;
    /* Idle timeouts go by 'used', which megaflow hits move. */
    ofproto_push_stats(p);
    if (flow_table_expire(&p->ft, time_msec())) {
        ofproto_report_removed(p);
    }
}

/* "time/warp MSECS": moves the clock forward and checks rule timeouts and
 * inactivity probes at once, so a test sees the effect when the command
 * returns. */
static void
time_warp_cmd(struct unixctl_conn *conn, int argc XVS_UNUSED,
              const char *argv[], void *aux XVS_UNUSED)
{
    long long msec;
    if (!str_to_llong(argv[1], 10, &msec) || msec < 0) {
        unixctl_command_reply_error(conn, "bad MSECS");
        return;
    }
    time_warp(msec);
    struct ofproto *p;
    HMAP_FOR_EACH (p, node, &all_ofprotos) {
        ofproto_expire(p);
        connmgr_time_warped(p->connmgr);
    }
    unixctl_command_reply(conn, "warped");
}

void
ofproto_register_time_warp(void)
{
    unixctl_command_register("time/warp", "MSECS", 1, 1, time_warp_cmd,
                             NULL);
}

void
ofproto_run(struct ofproto *p)
{
    bool fail_open = ofproto_fail_open(p);
    if (fail_open != p->failing_open) {
        ofproto_megaflows_will_change(p);
        p->failing_open = fail_open;
        VLOG_INFO("%s: %s", p->name,
                  fail_open ? "no controller connection: failing open"
                            : "no longer failing open");
    }
    if (mac_learning_expire(p->ml)) {
        ofproto_megaflows_will_change(p);
    }
    /* Fast-failover groups choose by liveness, which links change
     * without telling anyone. */
    uint32_t live = ports_liveness_hash(p);
    if (live != p->ports_liveness) {
        ofproto_megaflows_will_change(p);
        p->ports_liveness = live;
    }
    /* Native tunnels: which packets are popped depends on the tunnel
     * ports and the host's addresses. */
    uint64_t tnl_seq = dp_tunnel_terminations_seq();
    if (tnl_seq != p->tnl_terminations_seq) {
        ofproto_megaflows_will_change(p);
        p->tnl_terminations_seq = tnl_seq;
    }
    /* Resumes paused flow monitors whose connection caught up. */
    flow_monitor_flush(p);
}

static void
ofproto_sweep(void *p_)
{
    struct ofproto *p = p_;
    dp_run(p->dp);
}

void
ofproto_set_flow_cache(struct ofproto *p, long long int max_idle,
                       size_t flow_limit)
{
    dp_flow_set_limits(p->dp, max_idle, flow_limit);
}
