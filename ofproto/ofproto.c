#include <config.h>
#include "ofproto.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "connmgr.h"
#include "datapath/dpif.h"
#include "flow-extract.h"
#include "flow-table.h"
#include "mac-learning.h"
#include "ofp-actions.h"
#include "ofp-msgs.h"
#include "ofp-port.h"
#include "ofproto-private.h"
#include "vlog.h"
#include "xlate.h"

VLOG_DEFINE_THIS_MODULE(ofproto);

static struct hmap all_ofprotos = HMAP_INITIALIZER;

static void ofproto_upcall(void *aux, const struct flow *,
                           struct dp_packet *, struct dp_actions *);

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

    *ofprotop = NULL;
    error = dp_create(name, ofproto_upcall, p, &p->dp);
    if (error) {
        free(p);
        return error;
    }
    p->name = xstrdup(name);
    flow_table_init(&p->ft);
    group_table_init(&p->groups);
    meter_table_init(&p->meters);
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
    p->connmgr = connmgr_create(p);
    *ofprotop = p;
    return 0;
}

void
ofproto_destroy(struct ofproto *p)
{
    if (!p) {
        return;
    }
    connmgr_destroy(p->connmgr);
    struct ofport *port, *next;
    XVS_LIST_FOR_EACH_SAFE (port, next, node, &p->ports) {
        xvs_list_remove(&port->node);
        free(port->trunks);
        free(port->name);
        free(port);
    }
    dp_destroy(p->dp);
    flow_table_destroy(&p->ft);
    group_table_destroy(&p->groups);
    meter_table_destroy(&p->meters);
    mac_learning_destroy(p->ml);
    hmap_remove(&all_ofprotos, &p->node);
    free(p->name);
    free(p);
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
ofproto_set_fail_mode(struct ofproto *p, enum ofproto_fail_mode mode)
{
    p->fail_mode = mode;
}

void
ofproto_set_controllers(struct ofproto *p, const char *const *targets,
                        size_t n)
{
    p->n_controllers = n;
    connmgr_set_controllers(p->connmgr, targets, n);
}

bool
ofproto_is_controller_connected(const struct ofproto *p, const char *target)
{
    return connmgr_is_controller_connected(p->connmgr, target);
}

void
ofproto_set_allowed_versions(struct ofproto *p, uint32_t bitmap)
{
    connmgr_set_allowed_versions(p->connmgr, bitmap);
}

bool
ofproto_fail_open(const struct ofproto *p)
{
    return (p->fail_mode == OFPROTO_FAIL_STANDALONE && p->n_controllers
            && !connmgr_has_connected_controller(p->connmgr));
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
    return (port && !dp_port_get_status(p->dp, port->dp_port, &st)
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
    pp->curr = pp->advertised = pp->supported = OFPPF_10GB_FD | OFPPF_COPPER;
    pp->curr_speed = pp->max_speed = 10000000;
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

    struct ofport *port = xzalloc(sizeof *port);
    port->ofp_port = dp_port_to_ofp(dp_port);
    port->dp_port = dp_port;
    port->name = xstrdup(name);
    port->tag = -1;
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

    int error = dp_port_del(p->dp, port->dp_port);
    mac_learning_flush_port(p->ml, ofp_port);
    VLOG_INFO("%s: removed port %s", p->name, port->name);
    xvs_list_remove(&port->node);
    free(port->trunks);
    free(port->name);
    free(port);
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
    port->tag = tag >= 0 && tag <= VLAN_VID_MASK ? tag : -1;
    free(port->trunks);
    port->trunks = NULL;
    if (n_trunks) {
        port->trunks = xzalloc((VLAN_VID_MASK + 1) / 8);
        for (size_t i = 0; i < n_trunks; i++) {
            if (trunks[i] >= 0 && trunks[i] <= VLAN_VID_MASK) {
                port->trunks[trunks[i] / 8] |= 1u << (trunks[i] % 8);
            }
        }
    }
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

enum ofperr
ofproto_flow_mod(struct ofproto *p, const struct ft_flow_mod *fm)
{
    return flow_table_apply(&p->ft, fm, NULL);
}

void
ofproto_add_flow(struct ofproto *p, const struct match *match,
                 uint16_t priority, const char *actions)
{
    struct ofpacts ofpacts = OFPACTS_EMPTY_INITIALIZER;
    char *error = ofpacts_parse(actions, &ofpacts);
    if (error) {
        VLOG_ERR("%s: bad built-in actions \"%s\" (%s)", p->name, actions,
                 error);
        free(error);
        ofpacts_uninit(&ofpacts);
        return;
    }

    const struct rule *rule;
    XVS_LIST_FOR_EACH (rule, node, &p->ft.tables[0].rules) {
        if (rule->priority == priority && match_equal(&rule->match, match)
            && ofpacts_equal(&rule->ofpacts, &ofpacts)) {
            ofpacts_uninit(&ofpacts);
            return;
        }
    }

    struct ft_flow_mod fm = {
        .command = FT_ADD,
        .table_id = 0,
        .priority = priority,
        .match = *match,
        .out_port = OFPP_ANY,
        .ofpacts = &ofpacts,
    };
    flow_table_apply(&p->ft, &fm, NULL);
    ofpacts_uninit(&ofpacts);
}

void
ofproto_delete_flow(struct ofproto *p, const struct match *match,
                    uint16_t priority)
{
    struct ofpacts none = OFPACTS_EMPTY_INITIALIZER;
    struct ft_flow_mod fm = {
        .command = FT_DELETE_STRICT,
        .table_id = 0,
        .priority = priority,
        .match = *match,
        .out_port = OFPP_ANY,
        .ofpacts = &none,
    };
    flow_table_apply(&p->ft, &fm, NULL);
}

/* ---- The packet path. ---- */

static void
send_packet_ins(struct ofproto *p, const struct xlate_out *xout,
                const void *data, size_t len)
{
    for (size_t i = 0; i < xout->n_pins; i++) {
        connmgr_send_packet_in(p->connmgr, &xout->pins[i], data, len);
    }
}

static void
ofproto_upcall(void *aux, const struct flow *flow, struct dp_packet *packet,
               struct dp_actions *out)
{
    struct ofproto *p = aux;
    struct xlate_in xin = {
        .ofproto = p,
        .flow = *flow,
        .packet_len = dp_packet_size(packet),
        .update_stats = true,
    };
    struct xlate_out *xout = xmalloc(sizeof *xout);

    xin.flow.in_port = dp_port_to_ofp(flow->in_port);
    xlate_run(&xin, xout);
    *out = xout->acts;
    send_packet_ins(p, xout, dp_packet_data(packet), dp_packet_size(packet));
    free(xout);
}

enum ofperr
ofproto_packet_out(struct ofproto *p, const void *data, size_t len,
                   uint32_t in_port, const struct ofpacts *ofpacts)
{
    struct xlate_in xin = {
        .ofproto = p,
        .packet_len = len,
        .update_stats = true,
        .ofpacts = ofpacts,
    };
    struct ofport *port;

    flow_extract(data, len, in_port, &xin.flow);
    struct xlate_out *xout = xmalloc(sizeof *xout);
    xlate_run(&xin, xout);

    port = ofproto_get_port(p, in_port);
    uint32_t dp_in = (port ? port->dp_port
                      : in_port == OFPP_LOCAL ? OFPROTO_DP_LOCAL : in_port);
    int error = dp_execute(p->dp, data, len, dp_in, &xout->acts);
    send_packet_ins(p, xout, data, len);
    free(xout);
    return error ? OFPERR_OFPBRC_BAD_PACKET : 0;
}

void
ofproto_run(struct ofproto *p)
{
    flow_table_expire(&p->ft, time_msec());
    mac_learning_expire(p->ml);
}
