#include <config.h>
#include "bridge.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "coverage.h"
#include "daemon.h"
#include "datapath/dp-pmd.h"
#include "datapath/dpif.h"
#include "evloop.h"
#include "hmap.h"
#include "ofproto/ofp-msgs.h"
#include "ofp-port.h"
#include "ofproto/ofproto.h"
#include "ovsdb-lite/idl.h"
#include "packets.h"
#include "stream-ssl.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(bridge);
COVERAGE_DEFINE(bridge_reconfigure);

/* One interface as last applied to the datapath. */
struct iface {
    struct hmap_node node;      /* In bridge 'ifaces', by name. */
    char *name;
    char *config;               /* type + options + ofport_request, to
                                 * notice reconfiguration. */
    uint32_t ofp_port;          /* 0 if adding it failed. */
    char *error;                /* Why it failed, or NULL. */
    bool seen;                  /* Mark for the sweep. */
};

struct bridge {
    struct hmap_node node;      /* In all_bridges, by name. */
    char *name;
    struct ofproto *ofproto;
    struct hmap ifaces;
    bool seen;
};

static struct idl *idl;
static enum bridge_dummy_mode dummy_mode;
static struct hmap all_bridges = HMAP_INITIALIZER;
static bool txn_in_flight;
static bool txn_again;          /* A change arrived while in flight. */
static long long int last_stats;
static unsigned int last_seqno;  /* idl_seqno() at the last pass. */
static struct event *run_timer;
static char *ssl_cmdline[3];    /* --private-key, --certificate, --ca-cert. */
static bool ssl_cmdline_bootstrap;  /* The CA is --bootstrap-ca-cert's. */
static char *ssl_error;         /* The last SSL configuration error. */

/* OpenFlow tables a Flow_Table row may configure (the schema's keys). */
#define FLOW_TABLE_N_IDS 255

static void bridge_reconfigure(void);

/* ---- Reading the replica. ---- */

static const struct idl_row *
get_row(const char *table, const json_t *uuid_atom)
{
    struct uuid uuid;
    return (uuid_atom && idl_atom_uuid(uuid_atom, &uuid)
            ? idl_get_row(idl, table, &uuid) : NULL);
}

static const struct idl_row *
get_ovs_row(void)
{
    const struct hmap *rows = idl_table_rows(idl, "Open_vSwitch");
    const struct idl_row *row;
    if (rows) {
        HMAP_FOR_EACH (row, node, rows) {
            return row;
        }
    }
    return NULL;
}

static const char *
row_string(const struct idl_row *row, const char *column)
{
    return idl_datum_string(idl_row_get(row, column), "");
}

/* ---- Comparing datums, so only real changes are written. ---- */

/* A one-element set is the same as its element (RFC 7047 5.1). */
static const json_t *
datum_normalize(const json_t *d)
{
    if (json_is_array(d) && json_array_size(d) == 2
        && json_is_string(json_array_get(d, 0))
        && !strcmp(json_string_value(json_array_get(d, 0)), "set")
        && json_array_size(json_array_get(d, 1)) == 1) {
        return json_array_get(json_array_get(d, 1), 0);
    }
    return d;
}

static bool
is_collection(const json_t *d, const char **tag)
{
    if (json_is_array(d) && json_array_size(d) == 2
        && json_is_string(json_array_get(d, 0))
        && json_is_array(json_array_get(d, 1))) {
        *tag = json_string_value(json_array_get(d, 0));
        return !strcmp(*tag, "set") || !strcmp(*tag, "map");
    }
    return false;
}

static bool
datum_equals(const json_t *a, const json_t *b)
{
    const char *ta, *tb;
    if (!a || !b) {
        return a == b;
    }
    a = datum_normalize(a);
    b = datum_normalize(b);
    if (is_collection(a, &ta) && is_collection(b, &tb)) {
        const json_t *ea = json_array_get(a, 1), *eb = json_array_get(b, 1);
        if (strcmp(ta, tb) || json_array_size(ea) != json_array_size(eb)) {
            return false;
        }
        /* Order does not matter in sets and maps. */
        for (size_t i = 0; i < json_array_size(ea); i++) {
            bool found = false;
            for (size_t j = 0; j < json_array_size(eb) && !found; j++) {
                found = json_equal(json_array_get(ea, i),
                                   json_array_get(eb, j));
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }
    return json_equal(a, b);
}

static json_t *
empty_set(void)
{
    return json_pack("[s,[]]", "set");
}

/* Adds 'column' = 'value' (stolen) to 'row' if it differs from the
 * replica's 'cur'. */
static void
set_if_changed(json_t *row, const struct idl_row *cur, const char *column,
               json_t *value)
{
    if (!datum_equals(idl_row_get(cur, column), value)) {
        json_object_set_new(row, column, value);
    } else {
        json_decref(value);
    }
}

static void
add_update(json_t *ops, const char *table, const struct idl_row *cur,
           json_t *row)
{
    if (!json_object_size(row)) {
        json_decref(row);
        return;
    }
    char uuid[UUID_LEN + 1];
    uuid_format(&cur->uuid, uuid);
    json_array_append_new(ops, json_pack(
        "{s:s, s:s, s:[[s,s,[s,s]]], s:o}", "op", "update", "table", table,
        "where", "_uuid", "==", "uuid", uuid, "row", row));
}

/* ---- Interfaces. ---- */

static const char *
datapath_type_for(const char *type, const char *name,
                  const struct bridge *br)
{
    if (dummy_mode == BRIDGE_DUMMY_OVERRIDE) {
        return "dummy";
    }
    if (!*type && !strcmp(name, br->name)) {
        type = "internal";
    }
    if (!strcmp(type, "internal") || !strcmp(type, "tap")) {
        return dummy_mode == BRIDGE_DUMMY_INTERNAL ? "dummy" : "internal";
    }
    return *type ? type : "system";
}

static void
iface_destroy(struct bridge *br, struct iface *iface)
{
    if (iface->ofp_port) {
        int error = ofproto_port_del(br->ofproto, iface->ofp_port);
        if (error) {
            VLOG_WARN("%s: removing port %s failed (%s)", br->name,
                      iface->name, strerror(-error));
        }
    }
    hmap_remove(&br->ifaces, &iface->node);
    free(iface->name);
    free(iface->config);
    free(iface->error);
    free(iface);
}

static struct iface *
iface_find(const struct bridge *br, const char *name)
{
    struct iface *iface;
    HMAP_FOR_EACH_WITH_HASH (iface, node, hash_string(name, 0), &br->ifaces) {
        if (!strcmp(iface->name, name)) {
            return iface;
        }
    }
    return NULL;
}

/* For an "afxdp" interface without options:xdp-offload, the datapath's
 * default (on) unless other_config:xdp-offload=false says otherwise:
 * "false", or NULL for the default. */
static const char *
iface_xdp_offload_default(const struct idl_row *row)
{
    const struct idl_row *ovs = get_ovs_row();
    const json_t *v = ovs ? idl_datum_map_get(idl_row_get(ovs,
                                                           "other_config"),
                                              "xdp-offload") : NULL;
    if (strcmp(row_string(row, "type"), "afxdp")
        || idl_datum_map_get(idl_row_get(row, "options"), "xdp-offload")
        || !v || !idl_atom_string(v)
        || strcmp(idl_atom_string(v), "false")) {
        return NULL;
    }
    return "false";
}

static void
iface_create(struct bridge *br, const struct idl_row *row, const char *name,
             const char *config)
{
    const char *type = datapath_type_for(row_string(row, "type"), name, br);
    const json_t *options = idl_row_get(row, "options");
    size_t n = idl_datum_count(options);
    struct dp_option *opts = xcalloc(n + 2, sizeof *opts);
    for (size_t i = 0; i < n; i++) {
        const json_t *k, *v;
        if (idl_datum_map_at(options, i, &k, &v)) {
            opts[i].key = idl_atom_string(k);
            opts[i].value = idl_atom_string(v);
        }
    }
    /* The datapath takes PMD queue pinning with the device options. */
    const json_t *affinity = idl_datum_map_get(
        idl_row_get(row, "other_config"), "pmd-rxq-affinity");
    if (affinity && idl_atom_string(affinity)) {
        opts[n].key = "pmd-rxq-affinity";
        opts[n++].value = idl_atom_string(affinity);
    }
    const char *offload = iface_xdp_offload_default(row);
    if (offload) {
        opts[n].key = "xdp-offload";
        opts[n++].value = offload;
    }

    struct iface *iface = xzalloc(sizeof *iface);
    iface->name = xstrdup(name);
    iface->config = xstrdup(config);
    long long req = idl_datum_integer(idl_row_get(row, "ofport_request"), 0);
    uint32_t port = req > 0 && req < OFPP_MAX ? req : 0;
    int error = ofproto_port_add(br->ofproto, name, type, opts, n, &port);
    if (error == -EBUSY && port) {
        /* As Open vSwitch does: a number another port has is only a
         * request. */
        VLOG_INFO("%s: %s: ofport_request %"PRIu32" is taken, choosing "
                  "another number", br->name, name, port);
        port = 0;
        error = ofproto_port_add(br->ofproto, name, type, opts, n, &port);
    }
    if (error) {
        iface->error = xasprintf("could not add network device %s to "
                                 "ofproto (%s)", name, strerror(-error));
        VLOG_WARN("%s: %s", br->name, iface->error);
    } else {
        iface->ofp_port = port;
    }
    free(opts);
    hmap_insert(&br->ifaces, &iface->node, hash_string(name, 0));
}

/* What, if changed, requires re-adding the interface (a changed
 * pmd-rxq-affinity too, for simplicity, and other_config:xdp-offload for
 * the "afxdp" interfaces it applies to). */
static char *
iface_config_string(const struct idl_row *row)
{
    char *options = json_dumps(idl_row_get(row, "options"),
                               JSON_SORT_KEYS | JSON_COMPACT);
    const json_t *affinity = idl_datum_map_get(
        idl_row_get(row, "other_config"), "pmd-rxq-affinity");
    const char *aff = affinity ? idl_atom_string(affinity) : NULL;
    const char *offload = iface_xdp_offload_default(row);
    char *s = xasprintf("%s|%s|%lld|%s|%s", row_string(row, "type"),
                        options ? options : "",
                        idl_datum_integer(idl_row_get(row, "ofport_request"),
                                          0), aff ? aff : "",
                        offload ? offload : "");
    free(options);
    return s;
}

/* Port 'tag' and 'trunks' decide how NORMAL treats VLANs on the port. */
static void
bridge_configure_vlan(struct bridge *br, const struct idl_row *port,
                      uint32_t ofp_port)
{
    const json_t *tag = idl_row_get(port, "tag");
    const json_t *trunks = idl_row_get(port, "trunks");
    size_t n = idl_datum_count(trunks);
    int *vids = xcalloc(n ? n : 1, sizeof *vids);
    for (size_t i = 0; i < n; i++) {
        const json_t *atom = idl_datum_at(trunks, i);
        vids[i] = json_is_integer(atom) ? json_integer_value(atom) : -1;
    }
    ofproto_port_set_vlan(br->ofproto, ofp_port,
                          idl_datum_count(tag)
                          ? (int) idl_datum_integer(tag, -1) : -1,
                          vids, n);
    free(vids);
}

/* Calls 'cb' for every Interface row of bridge row 'br_row', with the
 * Port row it belongs to. */
typedef void iface_row_cb(struct bridge *, const struct idl_row *port,
                          const struct idl_row *iface, void *aux);

static void
for_each_iface_row(struct bridge *br, const struct idl_row *br_row,
                   iface_row_cb *cb, void *aux)
{
    const json_t *ports = idl_row_get(br_row, "ports");
    for (size_t i = 0; i < idl_datum_count(ports); i++) {
        const struct idl_row *port = get_row("Port", idl_datum_at(ports, i));
        const json_t *ifaces = port ? idl_row_get(port, "interfaces") : NULL;
        for (size_t j = 0; j < idl_datum_count(ifaces); j++) {
            const struct idl_row *row = get_row("Interface",
                                                idl_datum_at(ifaces, j));
            if (row) {
                cb(br, port, row, aux);
            }
        }
    }
}

/* Phase 1: marks the interfaces that stay as they are. */
static void
mark_iface(struct bridge *br, const struct idl_row *port XVS_UNUSED,
           const struct idl_row *row, void *retry_failed_)
{
    const bool *retry_failed = retry_failed_;
    struct iface *iface = iface_find(br, row_string(row, "name"));
    if (iface) {
        char *config = iface_config_string(row);
        iface->seen = (!strcmp(iface->config, config)
                       && !(*retry_failed && !iface->ofp_port));
        free(config);
    }
}

/* Phase 2: adds what is missing and applies VLAN settings. */
static void
add_iface(struct bridge *br, const struct idl_row *port,
          const struct idl_row *row, void *aux XVS_UNUSED)
{
    const char *name = row_string(row, "name");
    struct iface *iface = iface_find(br, name);
    if (!iface) {
        char *config = iface_config_string(row);
        iface_create(br, row, name, config);
        free(config);
        iface = iface_find(br, name);
    }
    if (iface->ofp_port) {
        bridge_configure_vlan(br, port, iface->ofp_port);
    }
}

/* Removes the interfaces 'br' should no longer have (or must re-add).
 * 'retry_failed' also re-adds interfaces that failed before: after a
 * database change, the reason (e.g. the name still in use by another
 * bridge) may be gone. */
static void
bridge_remove_ifaces(struct bridge *br, const struct idl_row *br_row,
                     bool retry_failed)
{
    struct iface *iface, *next;
    HMAP_FOR_EACH (iface, node, &br->ifaces) {
        iface->seen = false;
    }
    if (br_row) {
        for_each_iface_row(br, br_row, mark_iface, &retry_failed);
    }
    HMAP_FOR_EACH_SAFE (iface, next, node, &br->ifaces) {
        if (!iface->seen) {
            iface_destroy(br, iface);
        }
    }
}

/* ---- Bridges. ---- */

static struct bridge *
bridge_find(const char *name)
{
    struct bridge *br;
    HMAP_FOR_EACH_WITH_HASH (br, node, hash_string(name, 0), &all_bridges) {
        if (!strcmp(br->name, name)) {
            return br;
        }
    }
    return NULL;
}

static struct bridge *
bridge_create(const char *name)
{
    struct ofproto *ofproto;
    int error = ofproto_create(name, &ofproto);
    if (error) {
        VLOG_ERR("%s: cannot create datapath (%s)", name, strerror(-error));
        return NULL;
    }

    char *mgmt = xasprintf("punix:%s/%s.mgmt", xvs_rundir(), name);
    error = ofproto_set_service(ofproto, mgmt);
    if (error) {
        VLOG_ERR("%s: cannot listen on %s (%s)", name, mgmt,
                 strerror(error));
    }
    free(mgmt);

    char *snoop = xasprintf("punix:%s/%s.snoop", xvs_rundir(), name);
    error = ofproto_set_snoop(ofproto, snoop);
    if (error) {
        VLOG_ERR("%s: cannot listen on %s (%s)", name, snoop,
                 strerror(error));
    }
    free(snoop);

    struct bridge *br = xzalloc(sizeof *br);
    br->name = xstrdup(name);
    br->ofproto = ofproto;
    hmap_init(&br->ifaces);
    hmap_insert(&all_bridges, &br->node, hash_string(name, 0));
    VLOG_INFO("created bridge %s", name);
    return br;
}

static void
bridge_destroy(struct bridge *br)
{
    struct iface *iface, *next;
    HMAP_FOR_EACH_SAFE (iface, next, node, &br->ifaces) {
        iface_destroy(br, iface);
    }
    hmap_destroy(&br->ifaces);
    ofproto_destroy(br->ofproto);
    hmap_remove(&all_bridges, &br->node);
    VLOG_INFO("destroyed bridge %s", br->name);
    free(br->name);
    free(br);
}

/* Bridge.flow_tables: each OpenFlow table named there takes its name,
 * flow limit and overflow policy from its Flow_Table row; every other
 * table goes back to the defaults (no name, no limit). */
static void
bridge_configure_flow_tables(struct bridge *br, const struct idl_row *row)
{
    const struct idl_row *rows[FLOW_TABLE_N_IDS] = { NULL };
    const json_t *map = idl_row_get(row, "flow_tables");
    for (size_t i = 0; i < idl_datum_count(map); i++) {
        const json_t *k, *v;
        if (idl_datum_map_at(map, i, &k, &v) && json_is_integer(k)
            && json_integer_value(k) >= 0
            && json_integer_value(k) < FLOW_TABLE_N_IDS) {
            rows[json_integer_value(k)] = get_row("Flow_Table", v);
        }
    }
    for (int id = 0; id < FLOW_TABLE_N_IDS; id++) {
        const struct idl_row *ft = rows[id];
        const char *name = ft ? row_string(ft, "name") : NULL;
        long long limit = (ft ? idl_datum_integer(idl_row_get(ft,
                                                              "flow_limit"),
                                                  -1)
                           : -1);
        bool evict = ft && !strcmp(row_string(ft, "overflow_policy"),
                                   "evict");
        const json_t *set = ft ? idl_row_get(ft, "groups") : NULL;
        size_t n_groups = idl_datum_count(set);
        const char **groups = xcalloc(n_groups + 1, sizeof *groups);
        for (size_t i = 0; i < n_groups; i++) {
            const char *s = idl_atom_string(idl_datum_at(set, i));
            groups[i] = s ? s : "";
        }
        ofproto_configure_table(br->ofproto, id, name,
                                limit < 0 ? SIZE_MAX : (size_t) limit,
                                evict, groups, n_groups);
        free(groups);
    }
}

/* other_config:KEY of 'row' as an integer in [min, max], else 'dflt'. */
static int
other_config_int(const struct idl_row *row, const char *key, int min,
                 int max, int dflt)
{
    const json_t *v = idl_datum_map_get(idl_row_get(row, "other_config"),
                                        key);
    const char *s = v ? idl_atom_string(v) : NULL;
    long long n;
    return (s && str_to_llong(s, 10, &n) && n >= min && n <= max
            ? n : dflt);
}

/* The Controller row's settings; absent columns take the defaults, the
 * queue size that of the bridge's management connection. */
static void
controller_from_row(struct ofproto_controller *c, const struct idl_row *row,
                    int queue_size)
{
    ofproto_controller_init(c, row_string(row, "target"));
    const char *type = row_string(row, "type");
    if (!strcmp(type, "primary")) {
        c->type = OFPROTO_CONTROLLER_PRIMARY;
    } else if (!strcmp(type, "service")) {
        c->type = OFPROTO_CONTROLLER_SERVICE;
    }
    c->max_backoff = idl_datum_integer(idl_row_get(row, "max_backoff"),
                                       c->max_backoff);
    c->probe_interval = idl_datum_integer(
        idl_row_get(row, "inactivity_probe"), c->probe_interval);
    c->rate_limit = idl_datum_integer(
        idl_row_get(row, "controller_rate_limit"), 0);
    c->burst_limit = idl_datum_integer(
        idl_row_get(row, "controller_burst_limit"), 0);
    c->in_band = !strcmp(row_string(row, "connection_mode"), "in-band");
    c->queue_size = idl_datum_integer(
        idl_row_get(row, "controller_queue_size"), queue_size);
    c->enable_async = idl_datum_boolean(
        idl_row_get(row, "enable_async_messages"), true);
    c->dscp = other_config_int(row, "dscp", 0, 63, OFPROTO_DEFAULT_DSCP);
}

static void
bridge_configure_ofproto(struct bridge *br, const struct idl_row *row)
{
    struct ofproto *p = br->ofproto;

    const char *fail_mode = row_string(row, "fail_mode");
    bool secure = !strcmp(fail_mode, "secure");
    ofproto_set_fail_mode(p, secure ? OFPROTO_FAIL_SECURE
                                    : OFPROTO_FAIL_STANDALONE);

    const json_t *protocols = idl_row_get(row, "protocols");
    uint32_t versions = 0;
    for (size_t i = 0; i < idl_datum_count(protocols); i++) {
        const char *s = idl_atom_string(idl_datum_at(protocols, i));
        char *error = NULL;
        versions |= s ? ofp_versions_from_string(s, &error) : 0;
        free(error);
    }
    ofproto_set_allowed_versions(p, versions);

    const json_t *dpid_s = idl_datum_map_get(idl_row_get(row, "other_config"),
                                             "datapath-id");
    unsigned long long dpid;
    if (dpid_s && idl_atom_string(dpid_s)
        && str_to_ullong(idl_atom_string(dpid_s), 16, &dpid)) {
        ofproto_set_datapath_id(p, dpid);
    }

    const struct idl_row *ovs = get_ovs_row();
    if (ovs) {
        ofproto_set_flow_cache(
            p, other_config_int(ovs, "max-idle", 500, INT_MAX,
                                DP_FLOW_MAX_IDLE_DEFAULT),
            other_config_int(ovs, "flow-limit", 0, INT_MAX,
                             DP_FLOW_LIMIT_DEFAULT));
    }

    int queue_size = other_config_int(row, "controller-queue-size", 1,
                                      OFPROTO_MAX_QUEUE_SIZE,
                                      OFPROTO_DEFAULT_QUEUE_SIZE);
    ofproto_set_service_queue_size(p, queue_size);

    const json_t *ctls = idl_row_get(row, "controller");
    size_t n = idl_datum_count(ctls), n_targets = 0, n_primary = 0;
    struct ofproto_controller *cs = xcalloc(n ? n : 1, sizeof *cs);
    for (size_t i = 0; i < n; i++) {
        const struct idl_row *ctl = get_row("Controller",
                                            idl_datum_at(ctls, i));
        if (ctl && *row_string(ctl, "target")) {
            controller_from_row(&cs[n_targets], ctl, queue_size);
            n_primary += cs[n_targets++].type == OFPROTO_CONTROLLER_PRIMARY;
        }
    }
    ofproto_set_controllers(p, cs, n_targets);
    free(cs);

    bridge_configure_flow_tables(br, row);

    /* Open vSwitch's default flow: a bridge no primary controller controls
     * (service controllers, such as passive targets by default, do not
     * count) and that is not secure is a learning switch, visibly so in
     * dump-flows. */
    struct match catchall;
    match_init_catchall(&catchall);
    if (!n_primary && !secure) {
        ofproto_add_flow(p, &catchall, 0, "NORMAL");
    } else {
        ofproto_delete_flow(p, &catchall, 0, "NORMAL");
    }
}

/* ---- Writing status back. ---- */

static void
write_iface_status(json_t *ops, const struct bridge *br,
                   const struct idl_row *row, bool with_stats)
{
    const char *name = row_string(row, "name");
    struct iface *iface = iface_find(br, name);
    json_t *upd = json_object();

    if (!iface) {
        json_decref(upd);
        return;
    }
    if (!iface->ofp_port) {
        set_if_changed(upd, row, "ofport", json_integer(-1));
        set_if_changed(upd, row, "error", json_string(iface->error));
        add_update(ops, "Interface", row, upd);
        return;
    }

    long long ofport = (iface->ofp_port == OFPP_LOCAL ? OFPROTO_DP_LOCAL
                        : iface->ofp_port);
    set_if_changed(upd, row, "ofport", json_integer(ofport));
    set_if_changed(upd, row, "error", empty_set());

    struct dp_port_status st;
    if (!ofproto_port_get_status(br->ofproto, iface->ofp_port, &st)) {
        char mac[32];
        snprintf(mac, sizeof mac, ETH_ADDR_FMT, ETH_ADDR_ARGS(st.mac));
        set_if_changed(upd, row, "admin_state",
                       json_string(st.admin_up ? "up" : "down"));
        set_if_changed(upd, row, "link_state",
                       json_string(st.link_up ? "up" : "down"));
        set_if_changed(upd, row, "mac_in_use", json_string(mac));
        set_if_changed(upd, row, "mtu",
                       st.mtu ? json_integer(st.mtu) : empty_set());
        if (st.ifindex) {
            set_if_changed(upd, row, "ifindex", json_integer(st.ifindex));
        }
    }

    struct dp_port_stats s;
    if (with_stats
        && !ofproto_port_get_stats(br->ofproto, iface->ofp_port, &s)) {
        json_t *pairs = json_pack(
            "[[s,I],[s,I],[s,I],[s,I],[s,I],[s,I],[s,I],[s,I]]",
            "rx_packets", (json_int_t) s.rx_packets,
            "rx_bytes", (json_int_t) s.rx_bytes,
            "rx_dropped", (json_int_t) s.rx_dropped,
            "rx_errors", (json_int_t) s.rx_errors,
            "tx_packets", (json_int_t) s.tx_packets,
            "tx_bytes", (json_int_t) s.tx_bytes,
            "tx_dropped", (json_int_t) s.tx_dropped,
            "tx_errors", (json_int_t) s.tx_errors);
        set_if_changed(upd, row, "statistics",
                       json_pack("[s,o]", "map", pairs));
    }
    add_update(ops, "Interface", row, upd);
}

static void
status_add(json_t *pairs, const char *key, const char *value)
{
    json_array_append_new(pairs, json_pack("[s,s]", key, value));
}

static void
status_add_int(json_t *pairs, const char *key, long long int value)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", value);
    status_add(pairs, key, buf);
}

/* Controller is_connected, role and status, with the status keys Open
 * vSwitch writes (and "bound_port" for passive TCP and SSL targets). */
static void
write_controller_status(json_t *ops, const struct bridge *br,
                        const struct idl_row *ctl, bool with_stats)
{
    struct ofproto_controller_status st;
    if (!ofproto_get_controller_status(br->ofproto,
                                       row_string(ctl, "target"), &st)) {
        return;
    }

    json_t *upd = json_object();
    set_if_changed(upd, ctl, "is_connected", json_boolean(st.is_connected));
    set_if_changed(upd, ctl, "role",
                   st.role ? json_string(st.role) : empty_set());

    json_t *pairs = json_array();
    if (st.state) {
        status_add(pairs, "state", st.state);
    }
    if (st.last_error) {
        status_add(pairs, "last_error", st.last_error);
    }
    static const char *const ages[2] = { "sec_since_connect",
                                         "sec_since_disconnect" };
    const long long int secs[2] = { st.sec_since_connect,
                                    st.sec_since_disconnect };
    for (int i = 0; i < 2; i++) {
        /* Ages change every second; between statistics passes the value
         * already in the database stands while it is merely older (a new
         * connect or disconnect makes it larger than the truth), so that
         * a connected controller does not cost a transaction a second. */
        const json_t *old = idl_datum_map_get(idl_row_get(ctl, "status"),
                                              ages[i]);
        const char *old_s = old ? idl_atom_string(old) : NULL;
        if (secs[i] < 0) {
            continue;
        } else if (!with_stats && old_s && atoll(old_s) <= secs[i]) {
            status_add(pairs, ages[i], old_s);
        } else {
            status_add_int(pairs, ages[i], secs[i]);
        }
    }
    if (st.bound_port) {
        status_add_int(pairs, "bound_port", st.bound_port);
    }
    if (st.rate_limited) {
        static const char *const kinds[2] = { "miss", "action" };
        for (int i = 0; i < 2; i++) {
            const struct {
                const char *name;
                unsigned long long value;
            } counters[] = {
                { "bypassed", st.pin_bypassed[i] },
                { "queued", st.pin_queued[i] },
                { "dropped", st.pin_dropped[i] },
                { "backlog", st.pin_backlog[i] },
            };
            for (size_t j = 0; j < ARRAY_SIZE(counters); j++) {
                char key[64];
                snprintf(key, sizeof key, "packet-in-%s-%s", kinds[i],
                         counters[j].name);
                status_add_int(pairs, key, counters[j].value);
            }
        }
    }
    set_if_changed(upd, ctl, "status", json_pack("[s,o]", "map", pairs));
    add_update(ops, "Controller", ctl, upd);
}

static void
write_bridge_status(json_t *ops, const struct bridge *br,
                    const struct idl_row *br_row, bool with_stats)
{
    char dpid[17];
    json_t *upd = json_object();
    snprintf(dpid, sizeof dpid, "%016"PRIx64,
             ofproto_get_datapath_id(br->ofproto));
    set_if_changed(upd, br_row, "datapath_id", json_string(dpid));
    add_update(ops, "Bridge", br_row, upd);

    const json_t *ctls = idl_row_get(br_row, "controller");
    for (size_t i = 0; i < idl_datum_count(ctls); i++) {
        const struct idl_row *ctl = get_row("Controller",
                                            idl_datum_at(ctls, i));
        if (ctl) {
            write_controller_status(ops, br, ctl, with_stats);
        }
    }

    const json_t *ports = idl_row_get(br_row, "ports");
    for (size_t i = 0; i < idl_datum_count(ports); i++) {
        const struct idl_row *port = get_row("Port", idl_datum_at(ports, i));
        const json_t *ifaces = port ? idl_row_get(port, "interfaces") : NULL;
        for (size_t j = 0; j < idl_datum_count(ifaces); j++) {
            const struct idl_row *row = get_row("Interface",
                                                idl_datum_at(ifaces, j));
            if (row) {
                write_iface_status(ops, br, row, with_stats);
            }
        }
    }
}

static void
write_ovs_status(json_t *ops, const struct idl_row *ovs)
{
    json_t *upd = json_object();
    json_t *types = json_array();
    for (const char *const *t = dp_port_types(); *t; t++) {
        json_array_append_new(types, json_string(*t));
    }
    set_if_changed(upd, ovs, "iface_types", json_pack("[s,o]", "set", types));
    set_if_changed(upd, ovs, "datapath_types",
                   json_pack("[s,[s,s]]", "set", "netdev", "system"));
    set_if_changed(upd, ovs, "ovs_version", json_string(XVS_VERSION));
    /* Last: everything above and the datapath reflect next_cfg now. */
    set_if_changed(upd, ovs, "cur_cfg",
                   json_integer(idl_datum_integer(idl_row_get(ovs,
                                                              "next_cfg"),
                                                  0)));
    add_update(ops, "Open_vSwitch", ovs, upd);
}

/* The capabilities of every Datapath row the database lists (by
 * datapath type; ovn-controller creates the row and reads from it what it
 * may use): what the connection tracker does, under Open vSwitch's keys.
 * Only what works is claimed: a key that is absent reads as false. */
static void
write_datapath_status(json_t *ops, const struct idl_row *ovs)
{
    static const char *const caps[] = {
        "ct_clear", "ct_flush", "ct_label", "ct_mark", "ct_orig_tuple",
        "ct_orig_tuple6", "ct_state", "ct_state_nat", "ct_zero_snat",
        "ct_zone",
    };
    const json_t *dps = idl_row_get(ovs, "datapaths");
    for (size_t i = 0; i < idl_datum_count(dps); i++) {
        const json_t *type, *uuid;
        const struct idl_row *row = (idl_datum_map_at(dps, i, &type, &uuid)
                                     ? get_row("Datapath", uuid) : NULL);
        if (!row) {
            continue;
        }
        json_t *pairs = json_array();
        for (size_t j = 0; j < ARRAY_SIZE(caps); j++) {
            status_add(pairs, caps[j], "true");
        }
        json_t *upd = json_object();
        set_if_changed(upd, row, "capabilities",
                       json_pack("[s,o]", "map", pairs));
        add_update(ops, "Datapath", row, upd);
    }
}

static void
txn_done(const json_t *result, const char *error, void *aux XVS_UNUSED)
{
    txn_in_flight = false;
    if (!idl) {
        /* bridge_exit() is destroying the IDL, which fails what is in
         * flight: nothing to warn about, nothing to write again. */
        return;
    }
    if (error) {
        VLOG_WARN("status write failed: %s", error);
    } else {
        for (size_t i = 0; i < json_array_size(result); i++) {
            const json_t *err = json_object_get(json_array_get(result, i),
                                                "error");
            if (err) {
                char *s = json_dumps(json_array_get(result, i), 0);
                VLOG_WARN("status write failed: %s", s ? s : "?");
                free(s);
                break;
            }
        }
    }
    if (txn_again) {
        txn_again = false;
        bridge_reconfigure();
    }
}

/* ---- SSL. ---- */

void
bridge_set_ssl_bootstrap(bool bootstrap)
{
    ssl_cmdline_bootstrap = bootstrap;
}

void
bridge_set_ssl_files(const char *private_key, const char *certificate,
                     const char *ca_cert)
{
    const char *files[3] = { private_key, certificate, ca_cert };
    for (int i = 0; i < 3; i++) {
        if (files[i]) {
            free(ssl_cmdline[i]);
            ssl_cmdline[i] = xstrdup(files[i]);
        }
    }
}

/* The SSL row that Open_vSwitch.ssl points to, if any, else the command
 * line, configures "ssl:" and "pssl:" controllers. */
static void
bridge_configure_ssl(const struct idl_row *ovs)
{
    const struct idl_row *ssl = (ovs ? get_row("SSL", idl_datum_at(
                                                   idl_row_get(ovs, "ssl"),
                                                   0))
                                 : NULL);
    const char *key = ssl_cmdline[0], *cert = ssl_cmdline[1];
    const char *ca = ssl_cmdline[2];
    bool bootstrap = ssl_cmdline_bootstrap;
    if (ssl) {
        key = row_string(ssl, "private_key");
        cert = row_string(ssl, "certificate");
        ca = row_string(ssl, "ca_cert");
        bootstrap = idl_datum_boolean(idl_row_get(ssl, "bootstrap_ca_cert"),
                                      false);
    }

    char *error = stream_ssl_configure(key, cert, ca, bootstrap);
    if (error && (!ssl_error || strcmp(error, ssl_error))) {
        VLOG_ERR("SSL configuration failed: %s", error);
    }
    free(ssl_error);
    ssl_error = error;
}

/* ---- The reconciliation pass. ---- */

static void
bridge_reconfigure(void)
{
    if (!idl_is_synced(idl)) {
        return;
    }
    if (txn_in_flight) {
        txn_again = true;
        return;
    }
    const struct idl_row *ovs = get_ovs_row();
    struct bridge *br, *next;
    bool db_changed = idl_seqno(idl) != last_seqno;
    last_seqno = idl_seqno(idl);
    if (db_changed) {
        COVERAGE_INC(bridge_reconfigure);
        bridge_configure_ssl(ovs);
    }

    HMAP_FOR_EACH (br, node, &all_bridges) {
        br->seen = false;
    }
    const json_t *bridges = ovs ? idl_row_get(ovs, "bridges") : NULL;
    for (size_t i = 0; i < idl_datum_count(bridges); i++) {
        const struct idl_row *row = get_row("Bridge",
                                            idl_datum_at(bridges, i));
        if (!row) {
            continue;
        }
        const char *name = row_string(row, "name");
        br = bridge_find(name);
        if (!br) {
            br = bridge_create(name);
        }
        if (br) {
            br->seen = true;
        }
    }
    HMAP_FOR_EACH_SAFE (br, next, node, &all_bridges) {
        if (!br->seen) {
            bridge_destroy(br);
        }
    }

    if (ovs) {
        const json_t *mask = idl_datum_map_get(idl_row_get(ovs,
                                                           "other_config"),
                                               "pmd-cpu-mask");
        dp_pmd_set_config(mask ? idl_atom_string(mask) : NULL,
                          other_config_int(ovs, "upcall-rate", 1, INT_MAX,
                                           DP_PMD_UPCALL_RATE_DEFAULT),
                          other_config_int(ovs, "pmd-sleep-max", 0, 10000000,
                                           0));
    }

    long long int now = time_msec();
    bool with_stats = now - last_stats >= BRIDGE_STATS_INTERVAL;
    if (with_stats) {
        last_stats = now;
    }

    /* Removals first, everywhere, so that an interface moving between
     * bridges is free before it is added again. */
    for (size_t i = 0; i < idl_datum_count(bridges); i++) {
        const struct idl_row *row = get_row("Bridge",
                                            idl_datum_at(bridges, i));
        if (row && (br = bridge_find(row_string(row, "name")))) {
            bridge_remove_ifaces(br, row, db_changed);
        }
    }
    json_t *ops = json_array();
    for (size_t i = 0; i < idl_datum_count(bridges); i++) {
        const struct idl_row *row = get_row("Bridge",
                                            idl_datum_at(bridges, i));
        if (row && (br = bridge_find(row_string(row, "name")))) {
            bridge_configure_ofproto(br, row);
            for_each_iface_row(br, row, add_iface, NULL);
            write_bridge_status(ops, br, row, with_stats);
        }
    }
    if (ovs) {
        write_datapath_status(ops, ovs);
        write_ovs_status(ops, ovs);
    }
    if (json_array_size(ops)) {
        if (!idl_txn_submit(idl, ops, txn_done, NULL)) {
            txn_in_flight = true;
        }
    } else {
        json_decref(ops);
    }
}

static void
idl_changed(struct idl *idl_ XVS_UNUSED, void *aux XVS_UNUSED)
{
    bridge_reconfigure();
}

static void
bridge_run(void *aux XVS_UNUSED)
{
    struct bridge *br;
    HMAP_FOR_EACH (br, node, &all_bridges) {
        ofproto_run(br->ofproto);
    }
    /* Picks up link and controller state changes and statistics. */
    bridge_reconfigure();
}

void
bridge_init(const char *remote, enum bridge_dummy_mode mode)
{
    dummy_mode = mode;
    if (mode != BRIDGE_DUMMY_NONE) {
        ofproto_register_time_warp();
    }
    idl = idl_create(remote, "Open_vSwitch", idl_changed, NULL);
    idl_add_table(idl, "Open_vSwitch", NULL);
    idl_add_table(idl, "Bridge", NULL);
    idl_add_table(idl, "Port", NULL);
    idl_add_table(idl, "Interface", NULL);
    idl_add_table(idl, "Controller", NULL);
    idl_add_table(idl, "Flow_Table", NULL);
    idl_add_table(idl, "SSL", NULL);
    idl_add_table(idl, "Datapath", NULL);
    idl_start(idl);
    last_stats = time_msec();
    run_timer = evloop_timer(1000, true, bridge_run, NULL);
}

void
bridge_exit(void)
{
    struct bridge *br, *next;
    if (run_timer) {
        event_free(run_timer);
        run_timer = NULL;
    }
    HMAP_FOR_EACH_SAFE (br, next, node, &all_bridges) {
        bridge_destroy(br);
    }
    struct idl *old_idl = idl;
    idl = NULL;
    idl_destroy(old_idl);
    stream_ssl_configure(NULL, NULL, NULL, false);
    for (int i = 0; i < 3; i++) {
        free(ssl_cmdline[i]);
        ssl_cmdline[i] = NULL;
    }
    free(ssl_error);
    ssl_error = NULL;
}
