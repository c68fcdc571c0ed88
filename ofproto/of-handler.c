#include <config.h>
#include "of-handler.h"
#include "nx-ct.h"
#include "ofp-ct.h"
#include "datapath/conntrack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bundle.h"
#include "connmgr.h"
#include "coverage.h"
#include "datapath/dpif.h"
#include "datapath/tnl-header.h"
#include "flow-extract.h"
#include "flow-monitor.h"
#include "of-handler-group.h"
#include "of-handler-meter.h"
#include "ofp-actions.h"
#include "ofp-msgs.h"
#include "ofp-queue-msgs.h"
#include "ofp-role.h"
#include "ofp-table-mod.h"
#include "ofp-tlv.h"
#include "ofproto-private.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(of_handler);
COVERAGE_DEFINE(ofproto_recv_openflow);

typedef enum ofperr of_handler_func(struct ofproto *, struct ofconn *,
                                    const struct ofp_msg_info *);

static enum ofperr
handle_features_request(struct ofproto *p, struct ofconn *conn,
                        const struct ofp_msg_info *info)
{
    struct ofp_switch_features f;
    size_t n = xvs_list_size(&p->ports), i = 0;
    const struct ofport *port;

    memset(&f, 0, sizeof f);
    f.datapath_id = p->datapath_id;
    f.n_buffers = 0;
    f.n_tables = FT_N_TABLES;
    f.capabilities = OFPC_FLOW_STATS | OFPC_TABLE_STATS | OFPC_PORT_STATS;
    f.ports = xcalloc(n ? n : 1, sizeof *f.ports);
    XVS_LIST_FOR_EACH (port, node, &p->ports) {
        ofproto_port_to_phy_port(p, port, &f.ports[i++]);
    }
    f.n_ports = n;
    ofconn_send(conn, ofp_encode_features_reply(&f, info));
    free(f.ports);
    return 0;
}

static enum ofperr
handle_get_config_request(struct ofproto *p, struct ofconn *conn,
                          const struct ofp_msg_info *info)
{
    struct ofp_switch_config sc = {
        .flags = p->frag_flags,
        .miss_send_len = p->miss_send_len,
    };
    ofconn_send(conn, ofp_encode_switch_config(OFPTYPE_GET_CONFIG_REPLY,
                                               info->version, info->xid,
                                               &sc));
    return 0;
}

/* The OpenFlow 1.0 (Open vSwitch extension), 1.1 and 1.2 config flag. */
#define OFPC_INVALID_TTL_TO_CONTROLLER (1 << 2)

static enum ofperr
handle_set_config(struct ofproto *p, struct ofconn *conn,
                  const struct ofp_msg_info *info)
{
    struct ofp_switch_config sc;
    enum ofperr error = ofp_decode_switch_config(info, &sc);
    if (error) {
        return error;
    }
    p->frag_flags = sc.flags;
    p->miss_send_len = sc.miss_send_len;
    /* "ovs-ofctl monitor br0 65534" asks for asynchronous messages this
     * way; as in Open vSwitch, a miss_send_len of 0 asks for none. */
    ofconn_set_wants_async(conn, sc.miss_send_len != 0);

    /* "ovs-ofctl monitor br0 65534 invalid_ttl": as in Open vSwitch, the
     * invalid_ttl_to_controller flag turns on this connection's
     * packet-ins for dec_ttl and dec_mpls_ttl at TTL 1. */
    struct ofp_async_config ac;
    ofconn_get_async_config(conn, &ac);
    if (sc.flags & OFPC_INVALID_TTL_TO_CONTROLLER) {
        ac.packet_in[ASYNC_MASTER] |= 1u << OFPR_INVALID_TTL;
    } else {
        ac.packet_in[ASYNC_MASTER] &= ~(1u << OFPR_INVALID_TTL);
    }
    ofconn_set_async_config(conn, &ac);
    return 0;
}

static enum ft_command
ft_command_from_ofpfc(uint8_t command)
{
    switch (command) {
    case OFPFC_ADD: return FT_ADD;
    case OFPFC_MODIFY: return FT_MODIFY;
    case OFPFC_MODIFY_STRICT: return FT_MODIFY_STRICT;
    case OFPFC_DELETE: return FT_DELETE;
    default: return FT_DELETE_STRICT;
    }
}

enum ofperr
of_handler_decode_flow_mod(struct ofproto *p,
                           const struct group_table *groups,
                           const struct meter_table *meters,
                           const struct ofp_msg_info *info,
                           struct ofp_flow_mod_msg *fmp,
                           struct ft_flow_mod *ftm)
{
    struct ofp_flow_mod_msg fm;
    enum ofperr error = ofp_decode_flow_mod(info, &fm);
    if (error) {
        return error;
    }
    /* tun_metadataN moves to where this bridge's TLV map puts it; an
     * unmapped one is refused before anything else is looked at. */
    error = tlv_map_relocate_match(&p->tlv_map, &fm.match);
    if (!error) {
        error = tlv_map_check_ofpacts(&p->tlv_map, &fm.ofpacts);
    }
    if (!error) {
        tlv_map_trim_set_fields(&p->tlv_map, &fm.ofpacts);
    }
    if (error) {
        /* Reported below. */
    } else if (fm.command > OFPFC_DELETE_STRICT) {
        error = OFPERR_OFPFMFC_BAD_COMMAND;
    } else if (fm.buffer_id != OFP_NO_BUFFER) {
        error = OFPERR_OFPBRC_BUFFER_UNKNOWN;
    } else if (fm.table_id == OFPTT_ALL
               && (fm.command == OFPFC_ADD)) {
        error = OFPERR_OFPFMFC_BAD_TABLE_ID;
    } else if (fm.command == OFPFC_ADD || fm.command == OFPFC_MODIFY
               || fm.command == OFPFC_MODIFY_STRICT) {
        error = ofpacts_check(&fm.ofpacts, &fm.match,
                              fm.table_id == OFPTT_ALL ? 0 : fm.table_id,
                              FT_N_TABLES, OFPP_MAX);
        if (!error && info->version != OFP10_VERSION
            && ofpacts_need_of10(&fm.ofpacts, &fm.match)) {
            error = OFPERR_OFPBAC_MATCH_INCONSISTENT;
        }
        if (!error && groups) {
            error = group_table_check_ofpacts(groups, &fm.ofpacts);
        }
        if (!error && meters) {
            error = meter_table_check_ofpacts(meters, &fm.ofpacts);
        }
    }
    if (error) {
        ofp_flow_mod_uninit(&fm);
        return error;
    }
    *fmp = fm;
    *ftm = (struct ft_flow_mod) {
            .command = ft_command_from_ofpfc(fm.command),
            .table_id = fm.table_id,
            .priority = fm.priority,
            .match = fm.match,
            .cookie = (fm.command == OFPFC_ADD
                       ? (fm.new_cookie == OFP_COOKIE_UNCHANGED
                          ? fm.cookie : fm.new_cookie)
                       : fm.cookie),
            .cookie_mask = fm.cookie_mask,
            .idle_timeout = fm.idle_timeout,
            .hard_timeout = fm.hard_timeout,
            .flags = fm.flags,
            .importance = fm.importance,
            .out_port = fm.out_port,
            .ofpacts = &fmp->ofpacts,
    };
    return 0;
}

static enum ofperr
handle_flow_mod(struct ofproto *p, struct ofconn *conn XVS_UNUSED,
                const struct ofp_msg_info *info)
{
    struct ofp_flow_mod_msg fm;
    struct ft_flow_mod ftm;
    enum ofperr error = of_handler_decode_flow_mod(p, &p->groups, &p->meters,
                                                   info, &fm, &ftm);
    if (!error) {
        error = ofproto_flow_mod(p, &ftm);
        ofp_flow_mod_uninit(&fm);
    }
    return error;
}

/* NXT_RESUME: a continuation (continuation.h) back from a controller,
 * with the packet and metadata it may have changed. */
static enum ofperr
handle_nxt_resume(struct ofproto *p, struct ofconn *conn XVS_UNUSED,
                  const struct ofp_msg_info *info)
{
    struct ofp_packet_in_msg pin;
    enum ofperr error = ofp_decode_packet_in(info, &pin);
    return error ? error : ofproto_resume(p, &pin, info->version);
}

enum ofperr
of_handler_decode_packet_out(const struct group_table *groups,
                             const struct meter_table *meters,
                             const struct ofp_msg_info *info,
                             struct ofp_packet_out_msg *po)
{
    enum ofperr error = ofp_decode_packet_out(info, po);
    if (error) {
        return error;
    }
    if (po->buffer_id != OFP_NO_BUFFER) {
        error = OFPERR_OFPBRC_BUFFER_UNKNOWN;
    } else if (!po->packet_len) {
        error = OFPERR_OFPBRC_BAD_PACKET;
    } else {
        /* The packet itself is the match its actions run under. */
        struct match match;
        flow_extract(po->packet, po->packet_len, po->in_port, &match.flow);
        memset(&match.wc.masks, 0xff, sizeof match.wc.masks);
        error = ofpacts_check(&po->ofpacts, &match, 0, FT_N_TABLES,
                              OFPP_MAX);
        if (!error && info->version != OFP10_VERSION
            && ofpacts_need_of10(&po->ofpacts, &match)) {
            error = OFPERR_OFPBAC_MATCH_INCONSISTENT;
        }
        if (!error && groups) {
            error = group_table_check_ofpacts(groups, &po->ofpacts);
        }
        if (!error && meters) {
            error = meter_table_check_ofpacts(meters, &po->ofpacts);
        }
    }
    if (error) {
        ofp_packet_out_uninit(po);
    }
    return error;
}

static enum ofperr
handle_packet_out(struct ofproto *p, struct ofconn *conn XVS_UNUSED,
                  const struct ofp_msg_info *info)
{
    struct ofp_packet_out_msg po;
    enum ofperr error = of_handler_decode_packet_out(&p->groups, &p->meters,
                                                     info, &po);
    if (!error) {
        error = ofproto_packet_out(p, po.packet, po.packet_len, po.in_port,
                                   &po.ofpacts);
        ofp_packet_out_uninit(&po);
    }
    return error;
}

static enum ofperr
handle_port_mod(struct ofproto *p, struct ofconn *conn XVS_UNUSED,
                const struct ofp_msg_info *info)
{
    struct ofp_port_mod_msg pm;
    enum ofperr error = ofp_decode_port_mod(info, &pm);
    return error ? error : ofproto_port_mod(p, &pm);
}

static enum ofperr
handle_barrier_request(struct ofproto *p, struct ofconn *conn,
                       const struct ofp_msg_info *info)
{
    /* Every earlier request is already complete: they run in order.  The
     * megaflows they made stale are translated again now rather than at
     * the next packet, so that a controller that waits for the barrier
     * waits for that too; flow_mods between barriers cost one sweep. */
    ofproto_revalidate(p);
    ofconn_send(conn, ofp_encode_empty(OFPTYPE_BARRIER_REPLY, info->version,
                                       info->xid));
    return 0;
}

static enum ofperr
handle_desc_stats_request(struct ofproto *p, struct ofconn *conn,
                          const struct ofp_msg_info *info)
{
    struct ofp_desc_stats d;
    memset(&d, 0, sizeof d);
    snprintf(d.mfr_desc, sizeof d.mfr_desc, "xvswitch");
    snprintf(d.hw_desc, sizeof d.hw_desc, "xvswitch software switch");
    snprintf(d.sw_desc, sizeof d.sw_desc, "%s", XVS_VERSION);
    snprintf(d.serial_num, sizeof d.serial_num, "None");
    snprintf(d.dp_desc, sizeof d.dp_desc, "%s", p->name);
    ofconn_send(conn, ofp_encode_desc_stats_reply(&d, info));
    return 0;
}

static void
send_vec(struct ofconn *conn, struct ofpbuf_vec *vec)
{
    for (size_t i = 0; i < vec->n; i++) {
        ofconn_send(conn, vec->msgs[i]);
        vec->msgs[i] = NULL;
    }
    vec->n = 0;
    ofpbuf_vec_destroy(vec);
}

struct flow_stats_aux {
    struct ofp_flow_stats *fs;
    size_t n, allocated;
    struct ofp_aggregate_stats agg;
    long long int now;
};

/* An age in seconds as NXST_FLOW carries it: plus one (0 is "unknown"),
 * saturated. */
static uint16_t
nx_age(long long int age_ms)
{
    long long int secs = age_ms < 0 ? 0 : age_ms / 1000;
    return secs < UINT16_MAX - 1 ? secs + 1 : UINT16_MAX;
}

static void
collect_flow_stats(const struct rule *rule, void *aux_)
{
    struct flow_stats_aux *aux = aux_;

    aux->agg.packet_count += rule->n_packets;
    aux->agg.byte_count += rule->n_bytes;
    aux->agg.flow_count++;
    if (aux->n >= aux->allocated) {
        aux->allocated = aux->allocated ? aux->allocated * 2 : 16;
        aux->fs = xrealloc(aux->fs, aux->allocated * sizeof *aux->fs);
    }
    struct ofp_flow_stats *fs = &aux->fs[aux->n++];
    long long int age = aux->now - rule->created;
    memset(fs, 0, sizeof *fs);
    fs->match = rule->match;
    fs->table_id = rule->table_id;
    fs->priority = rule->priority;
    fs->duration_sec = age / 1000;
    fs->duration_nsec = (age % 1000) * 1000000;
    fs->idle_timeout = rule->idle_timeout;
    fs->hard_timeout = rule->hard_timeout;
    fs->flags = rule->flags;
    fs->importance = rule->importance;
    fs->cookie = rule->cookie;
    fs->packet_count = rule->n_packets;
    fs->byte_count = rule->n_bytes;
    fs->idle_age = nx_age(aux->now - rule->used);
    fs->hard_age = nx_age(aux->now - rule->modified);
    ofpacts_clone(&fs->ofpacts, &rule->ofpacts);
}

static enum ofperr
handle_flow_stats_request(struct ofproto *p, struct ofconn *conn,
                          const struct ofp_msg_info *info)
{
    struct ofp_flow_stats_request req;
    enum ofperr error = ofp_decode_flow_stats_request(info, &req);
    if (error) {
        return error;
    }
    if (req.table_id != OFPTT_ALL && req.table_id >= FT_N_TABLES) {
        return OFPERR_OFPBRC_BAD_TABLE_ID;
    }
    ofproto_push_stats(p);

    struct ft_filter f = {
        .table_id = req.table_id,
        .strict = false,
        .match = req.match,
        .cookie = req.cookie,
        .cookie_mask = req.cookie_mask,
        .out_port = req.out_port,
    };
    struct flow_stats_aux aux = { .now = time_msec() };
    flow_table_for_each(&p->ft, &f, collect_flow_stats, &aux);

    if (req.aggregate) {
        ofconn_send(conn, ofp_encode_aggregate_stats_reply(&aux.agg, info));
    } else {
        struct ofpbuf_vec vec = { NULL, 0 };
        ofp_encode_flow_stats_reply(aux.fs, aux.n, info, &vec);
        send_vec(conn, &vec);
    }
    ofp_flow_stats_free(aux.fs, aux.n);
    return 0;
}

/* What table stats and features report as a table's size: its flow
 * limit, or a nominal million without one. */
static uint32_t
table_max_entries(const struct oftable *t)
{
    return t->max_rules < 1000000 ? t->max_rules : 1000000;
}

static enum ofperr
handle_table_stats_request(struct ofproto *p, struct ofconn *conn,
                           const struct ofp_msg_info *info)
{
    ofproto_push_stats(p);
    struct ofp_table_stats *ts = xcalloc(FT_N_TABLES, sizeof *ts);
    for (size_t i = 0; i < FT_N_TABLES; i++) {
        const struct oftable *t = &p->ft.tables[i];
        ts[i].table_id = i;
        snprintf(ts[i].name, sizeof ts[i].name, "%s",
                 flow_table_name(&p->ft, i));
        ts[i].max_entries = table_max_entries(t);
        ts[i].active_count = t->rules.n;
        ts[i].lookup_count = t->n_lookups;
        ts[i].matched_count = t->n_matched;
    }
    ofconn_send(conn, ofp_encode_table_stats_reply(ts, FT_N_TABLES, info));
    free(ts);
    return 0;
}

static enum ofperr
handle_table_features_request(struct ofproto *p,
                              struct ofconn *conn,
                              const struct ofp_msg_info *info)
{
    enum ofperr error = ofp_decode_table_features_request(info);
    if (error) {
        return error;
    }
    struct ofp_table_features *tf = xcalloc(FT_N_TABLES, sizeof *tf);
    for (size_t i = 0; i < FT_N_TABLES; i++) {
        tf[i].table_id = i;
        snprintf(tf[i].name, sizeof tf[i].name, "%s",
                 flow_table_name(&p->ft, i));
        tf[i].metadata_match = UINT64_MAX;
        tf[i].metadata_write = UINT64_MAX;
        tf[i].max_entries = table_max_entries(&p->ft.tables[i]);
        ofp_table_features_set_supported(&tf[i], FT_N_TABLES, info->version);
    }
    struct ofpbuf_vec vec = { NULL, 0 };
    ofp_encode_table_features_reply(tf, FT_N_TABLES, info, &vec);
    send_vec(conn, &vec);
    free(tf);
    return 0;
}

static enum ofperr
handle_table_mod(struct ofproto *p, struct ofconn *conn XVS_UNUSED,
                 const struct ofp_msg_info *info)
{
    struct ofp_table_mod tm;
    enum ofperr error = ofp_decode_table_mod(info, &tm);
    return error ? error : ofproto_table_mod(p, &tm, info->version);
}

static enum ofperr
handle_table_desc_request(struct ofproto *p, struct ofconn *conn,
                          const struct ofp_msg_info *info)
{
    struct ofp_table_desc *tds = xcalloc(FT_N_TABLES, sizeof *tds);
    for (size_t i = 0; i < FT_N_TABLES; i++) {
        ofproto_table_desc(p, i, &tds[i]);
    }
    struct ofpbuf_vec vec = { NULL, 0 };
    ofp_encode_table_desc_reply(tds, FT_N_TABLES, info, &vec);
    send_vec(conn, &vec);
    free(tds);
    return 0;
}

static enum ofperr
handle_port_stats_request(struct ofproto *p, struct ofconn *conn,
                          const struct ofp_msg_info *info)
{
    uint32_t port_no;
    enum ofperr error = ofp_decode_port_stats_request(info, &port_no);
    if (error) {
        return error;
    }

    size_t n = xvs_list_size(&p->ports), i = 0;
    struct ofp_port_stats *ps = xcalloc(n ? n : 1, sizeof *ps);
    const struct ofport *port;
    XVS_LIST_FOR_EACH (port, node, &p->ports) {
        struct dp_port_stats st;
        if (port_no != OFPP_ANY && port->ofp_port != port_no) {
            continue;
        }
        memset(&ps[i], 0, sizeof ps[i]);
        ps[i].port_no = port->ofp_port;
        if (!dp_port_get_stats(p->dp, port->dp_port, &st)) {
            ps[i].rx_packets = st.rx_packets;
            ps[i].tx_packets = st.tx_packets;
            ps[i].rx_bytes = st.rx_bytes;
            ps[i].tx_bytes = st.tx_bytes;
            ps[i].rx_dropped = st.rx_dropped;
            ps[i].tx_dropped = st.tx_dropped;
            ps[i].rx_errors = st.rx_errors;
            ps[i].tx_errors = st.tx_errors;
        }
        i++;
    }
    if (port_no != OFPP_ANY && !i) {
        free(ps);
        return OFPERR_OFPBRC_BAD_PORT;
    }
    struct ofpbuf_vec vec = { NULL, 0 };
    ofp_encode_port_stats_reply(ps, i, info, &vec);
    send_vec(conn, &vec);
    free(ps);
    return 0;
}

static enum ofperr
handle_port_desc_request(struct ofproto *p, struct ofconn *conn,
                         const struct ofp_msg_info *info)
{
    uint32_t port_no;
    enum ofperr error = ofp_decode_port_desc_request(info, &port_no);
    if (error) {
        return error;
    }
    size_t n = xvs_list_size(&p->ports), i = 0;
    struct ofp_phy_port *pp = xcalloc(n ? n : 1, sizeof *pp);
    const struct ofport *port;
    XVS_LIST_FOR_EACH (port, node, &p->ports) {
        if (port_no == OFPP_ANY || port->ofp_port == port_no) {
            ofproto_port_to_phy_port(p, port, &pp[i++]);
        }
    }
    ofconn_send(conn, ofp_encode_port_desc_reply(pp, i, info));
    free(pp);
    return 0;
}

static enum ofperr
handle_role_request(struct ofproto *p XVS_UNUSED, struct ofconn *conn,
                    const struct ofp_msg_info *info)
{
    struct ofp_role_msg rm;
    enum ofperr error = ofp_decode_role(info, &rm);
    if (error) {
        return error;
    }
    if (rm.role != OFPCR_ROLE_NOCHANGE) {
        if (rm.role != OFPCR_ROLE_EQUAL
            && !ofconn_set_generation_id(conn, rm.generation_id)) {
            return OFPERR_OFPRRFC_STALE;
        }
        ofconn_set_role(conn, rm.role);
    }
    struct ofp_role_msg reply = { .role = ofconn_get_role(conn) };
    ofconn_get_generation_id(conn, &reply.generation_id);
    ofconn_send(conn, ofp_encode_role_reply(&reply, info));
    return 0;
}

static enum ofperr
handle_get_async_request(struct ofproto *p XVS_UNUSED, struct ofconn *conn,
                         const struct ofp_msg_info *info)
{
    struct ofp_async_config ac;
    ofconn_get_async_config(conn, &ac);
    ofconn_send(conn, ofp_encode_async_config(&ac, OFPTYPE_GET_ASYNC_REPLY,
                                              info->version, info->xid));
    return 0;
}

static enum ofperr
handle_set_async(struct ofproto *p XVS_UNUSED, struct ofconn *conn,
                 const struct ofp_msg_info *info)
{
    struct ofp_async_config base, ac;
    ofconn_get_async_config(conn, &base);
    enum ofperr error = ofp_decode_async_config(info, &base, &ac);
    if (!error) {
        ofconn_set_async_config(conn, &ac);
    }
    return error;
}

/* Queue stats and queue config: the datapath has no queues, so every port
 * answers "none" to "all queues" and OFPQOFC_BAD_QUEUE to any one queue,
 * as Open vSwitch answers for a port without QoS. */
static enum ofperr
handle_queue_request(struct ofproto *p, struct ofconn *conn,
                     const struct ofp_msg_info *info)
{
    struct ofp_queue_request r;
    enum ofperr error = ofp_decode_queue_request(info, &r);
    if (error) {
        return error;
    }
    if (r.port_no != OFPP_ANY && !ofproto_get_port(p, r.port_no)) {
        return OFPERR_OFPQOFC_BAD_PORT;
    }
    if (r.queue_id != OFPQ_ALL) {
        return OFPERR_OFPQOFC_BAD_QUEUE;
    }
    ofconn_send(conn, ofp_encode_queue_empty_reply(info));
    return 0;
}

/* ---- Nicira extension settings. ---- */

static enum ofperr
handle_nx_set_flow_format(struct ofproto *p XVS_UNUSED, struct ofconn *conn,
                          const struct ofp_msg_info *info)
{
    uint32_t format;
    enum ofperr error = ofp_decode_nx_set_flow_format(info, &format);
    if (!error) {
        ofconn_set_flow_format(conn, format);
    }
    return error;
}

static enum ofperr
handle_nx_flow_mod_table_id(struct ofproto *p XVS_UNUSED,
                            struct ofconn *conn,
                            const struct ofp_msg_info *info)
{
    bool enable;
    enum ofperr error = ofp_decode_nx_flow_mod_table_id(info, &enable);
    if (!error) {
        ofconn_set_flow_mod_table_id(conn, enable);
    }
    return error;
}

static enum ofperr
handle_nx_set_controller_id(struct ofproto *p XVS_UNUSED,
                            struct ofconn *conn,
                            const struct ofp_msg_info *info)
{
    uint16_t id;
    enum ofperr error = ofp_decode_nx_u16(info, &id);
    if (!error) {
        ofconn_set_controller_id(conn, id);
    }
    return error;
}

static enum ofperr
handle_nx_set_packet_in_format(struct ofproto *p XVS_UNUSED,
                               struct ofconn *conn,
                               const struct ofp_msg_info *info)
{
    uint32_t format;
    enum ofperr error = ofp_decode_nx_set_packet_in_format(info, &format);
    if (!error) {
        ofconn_set_packet_in_format(conn, format);
    }
    return error;
}

/* The tracker is the process's, not the bridge's (datapath/conntrack.h):
 * a flush through any bridge empties the zone for all. */
static enum ofperr
handle_nx_ct_flush_zone(struct ofproto *p XVS_UNUSED,
                        struct ofconn *conn XVS_UNUSED,
                        const struct ofp_msg_info *info)
{
    uint16_t zone;
    enum ofperr error = ofp_decode_nx_u16(info, &zone);
    if (!error) {
        conntrack_flush(zone);
    }
    return error;
}

static enum ofperr
handle_nx_ct_flush(struct ofproto *p XVS_UNUSED,
                   struct ofconn *conn XVS_UNUSED,
                   const struct ofp_msg_info *info)
{
    struct ct_match m;
    enum ofperr error = ofp_ct_decode_flush(info, &m);
    if (!error) {
        conntrack_flush_match(&m);
    }
    return error;
}

/* sample() only counts (nx-observe.h): no IPFIX exporter is ever
 * configured, which is what Open vSwitch answers without one. */
static enum ofperr
handle_nx_ipfix_stats_request(struct ofproto *p XVS_UNUSED,
                              struct ofconn *conn XVS_UNUSED,
                              const struct ofp_msg_info *info XVS_UNUSED)
{
    return OFPERR_NXST_NOT_CONFIGURED;
}

static void
collect_tlv_use(const struct rule *rule, void *used_)
{
    uint64_t *used = used_;
    *used |= tlv_map_fields_used(&rule->match, &rule->ofpacts);
}

/* The tun_metadata fields the bridge's flows use. */
static uint64_t
tlv_fields_in_use(void *p_)
{
    struct ofproto *p = p_;
    struct ft_filter filter = {
        .table_id = FT_TABLE_ALL,
        .out_port = OFPP_ANY,
    };
    uint64_t used = 0;
    match_init_catchall(&filter.match);
    flow_table_for_each(&p->ft, &filter, collect_tlv_use, &used);
    return used;
}

static enum ofperr
handle_nx_tlv_table_mod(struct ofproto *p, struct ofconn *conn XVS_UNUSED,
                        const struct ofp_msg_info *info)
{
    struct ofp_tlv_table_mod tm;
    enum ofperr error = ofp_decode_tlv_table_mod(info, &tm);
    if (!error) {
        error = tlv_map_mod(&p->tlv_map, &tm, tlv_fields_in_use, p);
        free(tm.mappings);
    }
    if (!error) {
        /* Tunnel ports map received options with the new map... */
        struct tnl_opt_map map = { .mapped = p->tlv_map.mapped,
                                   .layout = p->tlv_map.layout };
        memcpy(map.option_class, p->tlv_map.option_class,
               sizeof map.option_class);
        memcpy(map.option_type, p->tlv_map.option_type,
               sizeof map.option_type);
        dp_set_tun_map(p->dp, &map);
        /* ...and megaflows keep tun_metadataN where the old map put it:
         * what the new map reads from there, translation says again. */
        ofproto_megaflows_will_change(p);
    }
    return error;
}

static enum ofperr
handle_nx_tlv_table_request(struct ofproto *p, struct ofconn *conn,
                            const struct ofp_msg_info *info)
{
    struct ofp_tlv_table_reply tr;
    tlv_map_to_reply(&p->tlv_map, &tr);
    ofconn_send(conn, ofp_encode_tlv_table_reply(&tr, info));
    free(tr.mappings);
    return 0;
}

static of_handler_func *const handlers[OFPTYPE_N_TYPES] = {
    [OFPTYPE_FEATURES_REQUEST] = handle_features_request,
    [OFPTYPE_GET_CONFIG_REQUEST] = handle_get_config_request,
    [OFPTYPE_SET_CONFIG] = handle_set_config,
    [OFPTYPE_FLOW_MOD] = handle_flow_mod,
    [OFPTYPE_NXT_FLOW_MOD] = handle_flow_mod,
    [OFPTYPE_PACKET_OUT] = handle_packet_out,
    [OFPTYPE_NXT_RESUME] = handle_nxt_resume,
    [OFPTYPE_PORT_MOD] = handle_port_mod,
    [OFPTYPE_BARRIER_REQUEST] = handle_barrier_request,
    [OFPTYPE_DESC_STATS_REQUEST] = handle_desc_stats_request,
    [OFPTYPE_FLOW_STATS_REQUEST] = handle_flow_stats_request,
    [OFPTYPE_AGGREGATE_STATS_REQUEST] = handle_flow_stats_request,
    [OFPTYPE_NXST_FLOW_REQUEST] = handle_flow_stats_request,
    [OFPTYPE_NXST_AGGREGATE_REQUEST] = handle_flow_stats_request,
    [OFPTYPE_NXT_SET_FLOW_FORMAT] = handle_nx_set_flow_format,
    [OFPTYPE_NXT_FLOW_MOD_TABLE_ID] = handle_nx_flow_mod_table_id,
    [OFPTYPE_NXT_SET_CONTROLLER_ID] = handle_nx_set_controller_id,
    [OFPTYPE_NXT_CT_FLUSH_ZONE] = handle_nx_ct_flush_zone,
    [OFPTYPE_NXT_CT_FLUSH] = handle_nx_ct_flush,
    [OFPTYPE_NXST_IPFIX_BRIDGE_REQUEST] = handle_nx_ipfix_stats_request,
    [OFPTYPE_NXST_IPFIX_FLOW_REQUEST] = handle_nx_ipfix_stats_request,
    [OFPTYPE_NXT_SET_PACKET_IN_FORMAT] = handle_nx_set_packet_in_format,
    [OFPTYPE_NXT_TLV_TABLE_MOD] = handle_nx_tlv_table_mod,
    [OFPTYPE_NXT_TLV_TABLE_REQUEST] = handle_nx_tlv_table_request,
    [OFPTYPE_TABLE_STATS_REQUEST] = handle_table_stats_request,
    [OFPTYPE_TABLE_FEATURES_REQUEST] = handle_table_features_request,
    [OFPTYPE_TABLE_MOD] = handle_table_mod,
    [OFPTYPE_TABLE_DESC_STATS_REQUEST] = handle_table_desc_request,
    [OFPTYPE_PORT_STATS_REQUEST] = handle_port_stats_request,
    [OFPTYPE_PORT_DESC_STATS_REQUEST] = handle_port_desc_request,
    [OFPTYPE_QUEUE_STATS_REQUEST] = handle_queue_request,
    [OFPTYPE_QUEUE_GET_CONFIG_REQUEST] = handle_queue_request,
    [OFPTYPE_QUEUE_DESC_STATS_REQUEST] = handle_queue_request,
    [OFPTYPE_ROLE_REQUEST] = handle_role_request,
    [OFPTYPE_GET_ASYNC_REQUEST] = handle_get_async_request,
    [OFPTYPE_SET_ASYNC] = handle_set_async,
    [OFPTYPE_NXT_SET_ASYNC_CONFIG] = handle_set_async,
    [OFPTYPE_NXT_SET_ASYNC_CONFIG2] = handle_set_async,
    [OFPTYPE_BUNDLE_CONTROL] = bundle_handle_control,
    [OFPTYPE_BUNDLE_ADD_MESSAGE] = bundle_handle_add,
    [OFPTYPE_GROUP_MOD] = of_handle_group_mod,
    [OFPTYPE_GROUP_STATS_REQUEST] = of_handle_group_stats_request,
    [OFPTYPE_GROUP_DESC_STATS_REQUEST] = of_handle_group_desc_request,
    [OFPTYPE_GROUP_FEATURES_STATS_REQUEST] = of_handle_group_features_request,
    [OFPTYPE_METER_MOD] = of_handle_meter_mod,
    [OFPTYPE_METER_STATS_REQUEST] = of_handle_meter_stats_request,
    [OFPTYPE_METER_CONFIG_STATS_REQUEST] = of_handle_meter_config_request,
    [OFPTYPE_METER_FEATURES_STATS_REQUEST] = of_handle_meter_features_request,
    [OFPTYPE_NXST_FLOW_MONITOR_REQUEST] = flow_monitor_handle_request,
    [OFPTYPE_FLOW_MONITOR_REQUEST] = flow_monitor_handle_request,
    [OFPTYPE_NXT_FLOW_MONITOR_CANCEL] = flow_monitor_handle_cancel,
};

/* Messages a slave controller may not send: they change the switch. */
static bool
changes_switch(enum ofptype type)
{
    return (type == OFPTYPE_FLOW_MOD || type == OFPTYPE_NXT_FLOW_MOD
            || type == OFPTYPE_PACKET_OUT || type == OFPTYPE_NXT_RESUME
            || type == OFPTYPE_PORT_MOD || type == OFPTYPE_METER_MOD
            || type == OFPTYPE_NXT_TLV_TABLE_MOD
            || type == OFPTYPE_TABLE_MOD
            || type == OFPTYPE_BUNDLE_CONTROL
            || type == OFPTYPE_BUNDLE_ADD_MESSAGE);
}

enum ofperr
of_handle_message(struct ofproto *p, struct ofconn *conn,
                  const struct ofp_msg_info *info)
{
    of_handler_func *handler = (info->type < OFPTYPE_N_TYPES
                                ? handlers[info->type] : NULL);

    COVERAGE_INC(ofproto_recv_openflow);    if (!handler) {
        /* Replies and switch-to-controller messages make no sense here. */
        return (ofptype_is_multipart(info->type) ? OFPERR_OFPBRC_BAD_STAT
                : OFPERR_OFPBRC_BAD_TYPE);
    }
    if (changes_switch(info->type)
        && ofconn_get_role(conn) == OFPCR_ROLE_SLAVE) {
        return OFPERR_OFPBRC_IS_SLAVE;
    }
    p->origin = conn;
    p->origin_xid = info->xid;
    enum ofperr error = handler(p, conn, info);
    p->origin = NULL;
    p->origin_xid = 0;
    return error;
}
