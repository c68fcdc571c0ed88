#include <config.h>
#include "xlate.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "continuation.h"
#include "coverage.h"
#include "datapath/conntrack.h"
#include "datapath/dp-format.h"
#include "flow-extract.h"
#include "flow-wildcards.h"
#include "mac-learning.h"
#include "meta-flow.h"
#include "ofp-actions.h"
#include "ofp-mpls.h"
#include "ofp-nested.h"
#include "nx-ct.h"
#include "nx-controller.h"
#include "nx-observe.h"
#include "nx-select.h"
#include "nx-learn.h"
#include "nx-nsh.h"
#include "flow-table.h"
#include "ofp-port.h"
#include "ofproto-private.h"
#include "xlate-private.h"
#include "packets.h"
#include "vlog.h"
#include "xlate-cache.h"

VLOG_DEFINE_THIS_MODULE(xlate);
COVERAGE_DEFINE(xlate_actions);

/* Bounds the nesting of table lookups that have actions to come back to
 * (a resubmit that is not the last action, output:TABLE from PACKET_OUT)
 * and of groups. */
#define XLATE_MAX_DEPTH 64
/* Bounds a chain of table lookups however reached.  OVN sends one packet
 * through well over a hundred tables, each list ending in a resubmit to
 * the next: Open vSwitch does not count those toward its depth and stops
 * only at 4096 resubmits; the translation here recurses for each lookup,
 * so it stops sooner. */
#define XLATE_MAX_CHAIN 256
/* Bounds the buckets one packet runs: chained groups without loops can
 * still multiply (each "all" bucket naming the next group twice). */
#define XLATE_MAX_GROUP_BUCKETS 4096

static void xlate_table(struct xlate_ctx *, uint8_t table_id, bool deepens);

static void
trace_line(struct xlate_ctx *ctx, const char *fmt, ...) XVS_PRINTF(2, 3);

static void
put_spaces(struct ds *s, int n)
{
    while (n-- > 0) {
        ds_put_char(s, ' ');
    }
}

static void
trace_line(struct xlate_ctx *ctx, const char *fmt, ...)
{
    if (ctx->xin->trace) {
        va_list args;
        put_spaces(ctx->xin->trace, 4 + 4 * ctx->indent);
        va_start(args, fmt);
        ds_put_format_valist(ctx->xin->trace, fmt, args);
        va_end(args);
        ds_put_char(ctx->xin->trace, '\n');
    }
}

static void
add_dp_action(struct xlate_ctx *ctx, enum dp_action_type type, uint32_t arg)
{
    if (dp_actions_add(&ctx->xout->acts, type, arg) && !ctx->overflow) {
        ctx->overflow = true;
        VLOG_WARN("%s: too many datapath actions, output truncated",
                  ofproto_name(ctx->ofproto));
    }
}

/* Rewrites header fields as 'set' says; the working flow already has
 * them. */
static void
add_dp_set(struct xlate_ctx *ctx, const struct packet_set *set)
{
    if (dp_actions_add_set(&ctx->xout->acts, set) && !ctx->overflow) {
        ctx->overflow = true;
        VLOG_WARN("%s: too many datapath actions, output truncated",
                  ofproto_name(ctx->ofproto));
    }
    ctx->committed = ctx->flow;
}

/* The translation depends on something a megaflow cannot express, or does
 * more than count in rules: every packet must come up to be translated. */
static void
xlate_slow(struct xlate_ctx *ctx, const char *why)
{
    if (!ctx->xout->slow) {
        ctx->xout->slow = why;
    }
}

/* The translation depends on all of field 'id' of the packet. */
static void
xlate_wc(struct xlate_ctx *ctx, enum mf_field_id id)
{
    flow_wc_field(&ctx->xout->wc, mf_from_id(id), NULL);
}

/* Rewrites the packet's header fields to what the working flow says. */
static void
commit_fields(struct xlate_ctx *ctx)
{
    struct packet_set set;
    if (packet_set_diff(&ctx->committed, &ctx->flow, &set)) {
        packet_set_unwildcard(&set, &ctx->committed, &ctx->xout->wc);
        add_dp_set(ctx, &set);
    }
}

/* Makes the packet's VLAN tag what the working flow says, then outputs. */
static void
commit_vlan(struct xlate_ctx *ctx)
{
    uint16_t want = ntohs(ctx->flow.vlan_tci);
    if (want == ctx->committed_tci) {
        return;
    }
    /* A pushed tag keeps the packet's PCP or VID where no action set it. */
    xlate_wc(ctx, MFF_VLAN_TCI);
    if (ctx->committed_tci & VLAN_CFI) {
        add_dp_action(ctx, DP_ACTION_POP_VLAN, 0);
    }
    if (want & VLAN_CFI) {
        add_dp_action(ctx, DP_ACTION_PUSH_VLAN, want & ~VLAN_CFI);
    }
    ctx->committed_tci = want;
}

/* Encapsulation takes the working flow's tunnel: what actions set, and
 * what the packet came with where they set nothing.  A packet from a
 * tunnel port makes the megaflow depend on all of its tunnel; for the
 * others (the megaflow matches in_port) the tunnel is always zero. */
static void
commit_tunnel(struct xlate_ctx *ctx)
{
    struct flow_tnl *mask = &ctx->xout->wc.masks.tunnel;
    const struct flow_tun_layout *layout = &ctx->flow.tun_layout;
    const struct ofport *in = ofproto_get_port(ctx->ofproto,
                                               ctx->xin->flow.in_port);

    xlate_wc(ctx, MFF_IN_PORT);
    if (!in || in->tunnel) {
        mask->tun_id = UINT64_MAX;
        mask->ip_src = mask->ip_dst = UINT32_MAX;
        memset(&mask->ipv6_src, 0xff, sizeof mask->ipv6_src);
        memset(&mask->ipv6_dst, 0xff, sizeof mask->ipv6_dst);
        mask->flags = UINT16_MAX;
        mask->md_present = UINT64_MAX;
        for (int i = 0; i < FLOW_TUN_MD_FIELDS; i++) {
            if (layout->len[i]) {
                memset(&mask->md[layout->ofs[i]], 0xff, layout->len[i]);
            }
        }
    }
    if (dp_actions_add_set_tunnel(&ctx->xout->acts, &ctx->flow.tunnel,
                                  layout) && !ctx->overflow) {
        ctx->overflow = true;
        VLOG_WARN("%s: too many datapath actions, output truncated",
                  ofproto_name(ctx->ofproto));
    }
}

static void
output_to_ofport(struct xlate_ctx *ctx, const struct ofport *port)
{
    if (port->config & (OFPPC_PORT_DOWN | OFPPC_NO_FWD)) {
        trace_line(ctx, " -> port %s does not forward (PORT_MOD)",
                   port->name);
        return;
    }
    commit_fields(ctx);
    commit_vlan(ctx);
    if (port->tunnel) {
        commit_tunnel(ctx);
    }
    if (port->internal
        && dp_tunnel_terminates(port->name, &ctx->flow, &ctx->xout->wc)) {
        trace_line(ctx, " -> tunnel packet for %s: popped to the tunnel "
                   "ports", port->name);
        add_dp_action(ctx, DP_ACTION_TNL_POP, 0);
        return;
    }
    if (ctx->trunc_len) {
        add_dp_action(ctx, DP_ACTION_TRUNC, ctx->trunc_len);
    }
    add_dp_action(ctx, DP_ACTION_OUTPUT, port->dp_port);
}

/* FLOOD and ALL: every port but the input (FLOOD also skips NO_FLOOD
 * ports). */
static void
output_flood(struct xlate_ctx *ctx, bool flood)
{
    const struct ofport *port;
    XVS_LIST_FOR_EACH (port, node, &ctx->ofproto->ports) {
        if (port->ofp_port != ctx->flow.in_port
            && !(flood && port->config & OFPPC_NO_FLOOD)) {
            output_to_ofport(ctx, port);
        }
    }
}

/* Whether a packet-in goes over its meter: the controller action's
 * 'meter_id', or else the "controller" virtual meter if there is one.
 * As in Open vSwitch, a meter_id that names no meter meters nothing, and
 * the packet-in of an action with a meter_id does not go through the
 * controller meter as well.  A trace measures without taking tokens. */
static bool
packet_in_over_meter(struct xlate_ctx *ctx, uint32_t meter_id)
{
    uint32_t id = meter_id == NX_CTLR_NO_METER ? OFPM_CONTROLLER : meter_id;
    struct meter *m = meter_table_find(&ctx->ofproto->meters, id);
    if (!m) {
        return false;
    }
    uint32_t len = ctx->xin->packet_len ? ctx->xin->packet_len : 64;
    int band = meter_apply(m, len, time_msec(), ctx->xin->update_stats);
    if (band < 0) {
        return false;
    }
    if (id == OFPM_CONTROLLER) {
        trace_line(ctx, " -> controller meter band %d exceeded, no packet-in",
                   band);
    } else {
        trace_line(ctx, " -> meter %"PRIu32" band %d exceeded, no packet-in",
                   id, band);
    }
    return true;
}

static struct xlate_pin *
output_controller(struct xlate_ctx *ctx, uint16_t max_len, uint8_t reason,
                  uint32_t meter_id)
{
    struct xlate_out *xout = ctx->xout;
    const struct ofport *in = ofproto_get_port(ctx->ofproto,
                                               ctx->flow.in_port);
    xlate_slow(ctx, "controller");
    if (xout->n_pins >= XLATE_MAX_PINS
        || (in && in->config & OFPPC_NO_PACKET_IN
            && reason != OFPR_PACKET_OUT)
        || packet_in_over_meter(ctx, meter_id)) {
        return NULL;
    }
    /* The packet-in carries the packet as rewritten so far. */
    commit_fields(ctx);
    commit_vlan(ctx);
    struct xlate_pin *pin = &xout->pins[xout->n_pins++];
    memset(pin, 0, sizeof *pin);
    pin->n_acts = xout->acts.n;
    pin->reason = reason;
    pin->table_id = ctx->table_id;
    pin->cookie = ctx->cookie;
    pin->max_len = max_len;
    pin->flow = ctx->flow;
    return pin;
}

/* dec_ttl at TTL 0 or 1: a packet-in to the controllers with id 0, or to
 * those the action lists (none for OVN's dec_ttl(), which makes its own
 * ICMP time-exceeded in later tables); the packet goes no further. */
static void
xlate_ttl_expired(struct xlate_ctx *ctx, const struct ofpact *a)
{
    if (!a->dec_ttl.cnt_ids) {
        output_controller(ctx, UINT16_MAX, OFPR_INVALID_TTL,
                          NX_CTLR_NO_METER);
        return;
    }
    for (size_t i = 0; i < a->dec_ttl.n_ids; i++) {
        struct xlate_pin *pin = output_controller(ctx, UINT16_MAX,
                                                  OFPR_INVALID_TTL,
                                                  NX_CTLR_NO_METER);
        if (pin) {
            pin->controller_id = a->dec_ttl.ids[i];
        }
    }
}

/* The controller action (nx-controller.h).  With 'pause' the translation
 * stops here: xlate_actions() and xlate_table() freeze what is left on
 * their way out, and xlate_run() hands the continuation to the pin. */
static void
xlate_controller(struct xlate_ctx *ctx, const struct ofpact *a)
{
    struct xlate_pin *pin = output_controller(ctx, a->controller.max_len,
                                              a->controller.reason,
                                              a->controller.meter_id);
    if (pin) {
        pin->controller_id = a->controller.controller_id;
        pin->pause = a->controller.pause;
        if (a->controller.userdata_len) {
            pin->userdata_len = a->controller.userdata_len;
            pin->userdata = xmalloc(pin->userdata_len);
            nx_controller_get_userdata(a, pin->userdata);
        }
    }
    if (a->controller.pause) {
        trace_line(ctx, " -> pausing: the rest waits for NXT_RESUME");
        xlate_freeze_start(ctx);
    }
}

/* Sends the packet out of 'port' as NORMAL does for VLAN 'vid': untagged
 * on an access port of that VLAN, tagged (untagged for VID 0) on a trunk
 * that carries it, not at all otherwise. */
static void
output_normal(struct xlate_ctx *ctx, const struct ofport *port, uint16_t vid)
{
    if (!ofport_carries_vlan(port, vid)) {
        return;
    }
    uint16_t saved = ctx->flow.vlan_tci;
    if (port->tag >= 0 || !vid) {
        ctx->flow.vlan_tci = 0;
    } else {
        uint16_t pcp = ntohs(saved) & VLAN_PCP_MASK;
        ctx->flow.vlan_tci = htons(VLAN_CFI | pcp | vid);
    }
    output_to_ofport(ctx, port);
    ctx->flow.vlan_tci = saved;
}

static void
xlate_normal(struct xlate_ctx *ctx)
{
    struct ofproto *ofproto = ctx->ofproto;
    const struct flow *flow = &ctx->flow;
    struct ofport *in = ofproto_get_port(ofproto, flow->in_port);
    bool tagged = (ntohs(flow->vlan_tci) & VLAN_CFI) != 0;
    uint16_t vid = ntohs(flow->vlan_tci) & VLAN_VID_MASK;
    uint32_t out_port;

    xlate_wc(ctx, MFF_ETH_SRC);
    xlate_wc(ctx, MFF_ETH_DST);
    xlate_wc(ctx, MFF_VLAN_TCI);
    if (!in) {
        trace_line(ctx, " -> no input port, dropping");
        return;
    }
    if (in->tag >= 0) {
        if (tagged) {
            trace_line(ctx, " -> tagged packet on access port %s, dropping",
                       in->name);
            return;
        }
        vid = in->tag;
    } else if (!ofport_carries_vlan(in, tagged ? vid : 0)) {
        trace_line(ctx, " -> VLAN %d is not trunked on port %s, dropping",
                   tagged ? vid : 0, in->name);
        return;
    } else if (!tagged) {
        vid = 0;
    }

    /* Only real packets learn: a trace must not change what the next
     * packet does. */
    if (ctx->xin->update_stats
        && mac_learning_learn(ofproto->ml, &flow->dl_src, vid,
                              in->ofp_port)) {
        VLOG_DBG("%s: learned that "ETH_ADDR_FMT" is on port %s in VLAN %d",
                 ofproto->name, ETH_ADDR_ARGS(flow->dl_src), in->name, vid);
        /* Megaflows that flooded to it, or sent it to its old port, are
         * stale now; this translation's own is not (it read the new
         * table), so the datapath still installs it.  They are translated
         * again before the next packet, not inside this translation. */
        ofproto_megaflows_will_change(ofproto);
    }

    struct ofport *out = NULL;
    if (!eth_addr_is_multicast(&flow->dl_dst)
        && mac_learning_lookup(ofproto->ml, &flow->dl_dst, vid, &out_port)) {
        out = ofproto_get_port(ofproto, out_port);
    }
    if (out && out == in) {
        trace_line(ctx, " -> learned port is the input port, dropping");
    } else if (out) {
        trace_line(ctx, " -> forwarding to learned port %s", out->name);
        output_normal(ctx, out, vid);
    } else {
        trace_line(ctx, " -> %s, flooding in VLAN %d",
                   eth_addr_is_multicast(&flow->dl_dst)
                   ? "multicast or broadcast destination"
                   : "no learned MAC for destination", vid);
        const struct ofport *port;
        XVS_LIST_FOR_EACH (port, node, &ofproto->ports) {
            if (port != in) {
                output_normal(ctx, port, vid);
            }
        }
    }
}

static void
xlate_output(struct xlate_ctx *ctx, uint32_t port, uint16_t max_len)
{
    struct ofport *ofport;

    switch (port) {
    case OFPP_IN_PORT:
        ofport = ofproto_get_port(ctx->ofproto, ctx->flow.in_port);
        if (ofport) {
            output_to_ofport(ctx, ofport);
        }
        break;
    case OFPP_TABLE:
        if (ctx->xin->ofpacts) {
            xlate_table(ctx, 0, true);
        } else {
            trace_line(ctx, " -> output:TABLE only works in packet-out");
        }
        break;
    case OFPP_NORMAL:
        xlate_normal(ctx);
        break;
    case OFPP_FLOOD:
    case OFPP_ALL:
        output_flood(ctx, port == OFPP_FLOOD);
        break;
    case OFPP_CONTROLLER:
        output_controller(ctx, max_len,
                          ctx->xin->ofpacts ? OFPR_PACKET_OUT : OFPR_ACTION,
                          NX_CTLR_NO_METER);
        break;
    case OFPP_ANY:
    case OFPP_UNSET:
        break;
    default:
        if (port == ctx->flow.in_port) {
            trace_line(ctx, " -> skipping output to input port");
            break;
        }
        ofport = ofproto_get_port(ctx->ofproto, port);
        if (ofport) {
            output_to_ofport(ctx, ofport);
        } else {
            trace_line(ctx, " -> output to nonexistent port %"PRIu32, port);
        }
        break;
    }
}

static void
xlate_set_field(struct xlate_ctx *ctx, const struct ofpact *a)
{
    const struct mf_field *mf = mf_from_id(a->set_field.field);
    union mf_value value, old;

    /* As in Open vSwitch, MPLS fields of a packet that is not MPLS (an
     * earlier pop_mpls made it something else) are left alone.  The match
     * guarantees the other fields' prerequisites. */
    if (mf->prereqs == MFP_MPLS) {
        xlate_wc(ctx, MFF_ETH_TYPE);
    }
    if (mf->prereqs == MFP_MPLS && !mf_are_prereqs_ok_flow(mf, &ctx->flow)) {
        trace_line(ctx, " -> %s: prerequisites not met, ignored", mf->name);
        return;
    }
    mf_get_flow_value(mf, &ctx->flow, &old);
    for (size_t i = 0; i < mf->n_bytes; i++) {
        value.b[i] = ((old.b[i] & ~a->set_field.mask.b[i])
                      | (a->set_field.value.b[i] & a->set_field.mask.b[i]));
    }
    mf_set_flow_value(mf, &value, &ctx->flow);
    flow_wc_field(&ctx->xout->wc, mf, &a->set_field.mask);
}

/* After a pop_mpls the packet is parsed again, so that later tables see
 * the L3 and L4 fields of a payload that is no longer MPLS (and the label
 * stack entries below those the flow kept): the packet as the datapath
 * actions so far leave it goes through flow_extract(), and the working
 * flow takes its header fields (ofp-mpls.h says why this stands in for
 * Open vSwitch's recirculation).  A trace of a flow has no payload to
 * parse: those fields stay zero. */
/* The packet as the datapath actions so far leave it, in 'copy', whose
 * 'base' the caller frees. */
static void
current_packet(const struct xlate_ctx *ctx, struct dp_packet *copy)
{
    const struct xlate_in *xin = ctx->xin;
    *copy = (struct dp_packet) {
        .allocated = DP_PACKET_HEADROOM + xin->packet_len,
        .data_ofs = DP_PACKET_HEADROOM,
        .size = xin->packet_len,
    };
    copy->base = xmalloc(copy->allocated);
    memcpy(dp_packet_data(copy), xin->packet, xin->packet_len);
    dp_actions_apply_headers(&ctx->xout->acts, ctx->xout->acts.n, copy);
}

static void
xlate_reparse(struct xlate_ctx *ctx)
{
    const struct xlate_in *xin = ctx->xin;
    xlate_slow(ctx, "pop_mpls parses the payload");
    if (!xin->packet) {
        if (!ofp_mpls_is_mpls(ctx->flow.dl_type)) {
            trace_line(ctx, " -> no packet to parse the payload of: its L3 "
                       "and L4 fields stay zero");
        }
        return;
    }
    struct dp_packet copy;
    current_packet(ctx, &copy);

    struct flow parsed;
    flow_extract(dp_packet_data(&copy), copy.size, ctx->flow.in_port,
                 &parsed);
    free(copy.base);

    /* The L3 and L4 members run from nw_src up to pkt_mark (flow.h). */
    size_t ofs = offsetof(struct flow, nw_src);
    size_t len = offsetof(struct flow, pkt_mark) - ofs;
    memcpy((char *) &ctx->flow + ofs, (char *) &parsed + ofs, len);
    memcpy(ctx->flow.mpls_lse, parsed.mpls_lse, sizeof parsed.mpls_lse);
    ctx->committed = ctx->flow;
}

/* dec_nsh_ttl (nx-nsh.h): the new TTL is committed with the other
 * fields.  Returns false if the actions stop here. */
static bool
xlate_dec_nsh_ttl(struct xlate_ctx *ctx, const struct ofpact *a)
{
    xlate_wc(ctx, MFF_ETH_TYPE);
    xlate_wc(ctx, MFF_NSH_TTL);
    switch (nx_nsh_execute(a, &ctx->flow)) {
    case NX_NSH_DONE:
        return true;
    case NX_NSH_NOT_NSH:
        trace_line(ctx, " -> not an NSH packet, actions stop");
        return false;
    case NX_NSH_TTL_EXPIRED:
        output_controller(ctx, UINT16_MAX, OFPR_INVALID_TTL,
                          NX_CTLR_NO_METER);
        return false;
    }
    return false;
}

/* The MPLS actions (ofp-mpls.h).  push_mpls and pop_mpls change the
 * packet right away, after the rewrites made before them; the set and
 * dec actions change the working flow, committed with the other fields.
 * Returns false if the actions stop here (dec_mpls_ttl at TTL 0 or 1). */
static bool
xlate_mpls(struct xlate_ctx *ctx, const struct ofpact *a)
{
    xlate_wc(ctx, MFF_ETH_TYPE);
    memset(ctx->xout->wc.masks.mpls_lse, 0xff,
           sizeof ctx->xout->wc.masks.mpls_lse);
    if (a->type == OFPACT_PUSH_MPLS
        || (a->type == OFPACT_POP_MPLS
            && ofp_mpls_is_mpls(ctx->flow.dl_type))) {
        /* Fields changed before the push or pop are the packet's before
         * its headers move. */
        commit_fields(ctx);
    }
    enum ofp_mpls_result result = ofp_mpls_execute(a, &ctx->flow);
    switch (result) {
    case OFP_MPLS_DONE:
        if (a->type == OFPACT_PUSH_MPLS) {
            if (dp_actions_add_push_mpls(&ctx->xout->acts,
                                         ntohl(ctx->flow.mpls_lse[0]),
                                         a->mpls.ethertype)
                && !ctx->overflow) {
                ctx->overflow = true;
                VLOG_WARN("%s: too many datapath actions, output truncated",
                          ofproto_name(ctx->ofproto));
            }
            ctx->committed = ctx->flow;
            ctx->n_mpls_moves++;
        } else if (a->type == OFPACT_POP_MPLS) {
            add_dp_action(ctx, DP_ACTION_POP_MPLS, a->mpls.ethertype);
            ctx->n_mpls_moves++;
            ctx->committed = ctx->flow;
            xlate_reparse(ctx);
        }
        return true;
    case OFP_MPLS_NOT_MPLS:
        trace_line(ctx, " -> not an MPLS packet, ignored");
        return true;
    case OFP_MPLS_TTL_EXPIRED:
        output_controller(ctx, UINT16_MAX, OFPR_INVALID_TTL,
                          NX_CTLR_NO_METER);
        return false;
    }
    return true;
}

/* Looks 'a''s table up with in_port as it says, then goes on with the
 * actions after it.  As ovs-appctl ofproto/trace does, a resubmit that is
 * not the last action shows the tables it reaches indented under it. */
static void
xlate_resubmit(struct xlate_ctx *ctx, const struct ofpact *a, bool last)
{
    uint32_t saved_in_port = ctx->flow.in_port;
    uint8_t table = (a->resubmit.table_id == NX_RESUBMIT_TABLE_SAME
                     ? ctx->table_id : a->resubmit.table_id);
    if (a->resubmit.in_port != OFPP_IN_PORT) {
        ctx->flow.in_port = a->resubmit.in_port;
    }
    ctx->indent += !last;
    xlate_table(ctx, table, !last);
    ctx->indent -= !last;
    if (ctx->pausing && ctx->flow.in_port != saved_in_port) {
        /* The resumed packet comes back with the in_port of the pause:
         * the actions after this resubmit need theirs back. */
        xlate_freeze_in_port(ctx, saved_in_port);
    }
    ctx->flow.in_port = saved_in_port;
}

static void
xlate_stack(struct xlate_ctx *ctx, const struct ofpact *a)
{
    const struct mf_subfield *sf = &a->stack.sf;
    nx_subfield_unwildcard(sf, &ctx->xout->wc);
    uint8_t v[NX_WIDE_BYTES];
    uint8_t *tail = v + NX_WIDE_BYTES - NX_STACK_BYTES;
    if (a->type == OFPACT_STACK_PUSH) {
        if (ctx->n_stack >= XLATE_STACK_MAX) {
            trace_line(ctx, " -> stack overflow, push ignored");
            return;
        }
        nx_subfield_get_wide(sf, &ctx->flow, v);
        memcpy(ctx->stack[ctx->n_stack++], tail, NX_STACK_BYTES);
    } else if (!ctx->n_stack) {
        trace_line(ctx, " -> stack underflow, pop ignored");
    } else {
        memset(v, 0, sizeof v);
        memcpy(tail, ctx->stack[--ctx->n_stack], NX_STACK_BYTES);
        nx_subfield_set_wide(sf, v, &ctx->flow);
    }
}

static void
xlate_output_reg(struct xlate_ctx *ctx, const struct ofpact *a)
{
    uint64_t port = nx_subfield_get(&a->output_reg.src, &ctx->flow);
    nx_subfield_unwildcard(&a->output_reg.src, &ctx->xout->wc);
    /* A 16-bit register holds an OpenFlow 1.0 port number. */
    if (a->output_reg.src.n_bits <= 16) {
        port = ofp_port_from_of10(port);
    }
    if (port > UINT32_MAX) {
        trace_line(ctx, " -> output port %"PRIu64" is out of range", port);
        return;
    }
    trace_line(ctx, " -> output port is %"PRIu64, port);
    xlate_output(ctx, port, a->output_reg.max_len);
}

static bool
xlate_port_is_live(uint32_t ofp_port, void *ofproto)
{
    return ofproto_port_is_live(ofproto, ofp_port);
}

/* What the packet looks like before a clone or a group bucket, which must
 * not leave its changes to the actions after it. */
struct xlate_packet_state {
    unsigned int n_acts;
    size_t n_pins;
    unsigned int n_mpls_moves;
    struct flow committed;
    uint16_t committed_tci;
};

static void
save_packet_state(const struct xlate_ctx *ctx, struct xlate_packet_state *st)
{
    st->n_acts = ctx->xout->acts.n;
    st->n_pins = ctx->xout->n_pins;
    st->n_mpls_moves = ctx->n_mpls_moves;
    st->committed = ctx->committed;
    st->committed_tci = ctx->committed_tci;
}

/* Field rewrites undo themselves: the next commit rewrites back what the
 * restored flow says.  An MPLS push or pop cannot be undone that way, so
 * the datapath actions since 'st' become a datapath clone, after which
 * the packet is what it was. */
static void
restore_packet_state(struct xlate_ctx *ctx, const struct xlate_packet_state *st)
{
    if (ctx->n_mpls_moves == st->n_mpls_moves) {
        return;
    }
    if (dp_actions_wrap_clone(&ctx->xout->acts, st->n_acts)) {
        if (!ctx->overflow) {
            ctx->overflow = true;
            VLOG_WARN("%s: too many datapath actions, output truncated",
                      ofproto_name(ctx->ofproto));
        }
        return;
    }
    /* The packet-ins since then come one action later. */
    for (size_t i = st->n_pins; i < ctx->xout->n_pins; i++) {
        ctx->xout->pins[i].n_acts++;
    }
    ctx->committed = st->committed;
    ctx->committed_tci = st->committed_tci;
}

/* Runs the buckets group-table.h chooses, each on its own copy of the
 * flow: what one bucket changes, the next does not see. */
static void
xlate_group(struct xlate_ctx *ctx, uint32_t group_id)
{
    struct group *g = group_table_find(ctx->groups, group_id);
    if (!g) {
        trace_line(ctx, " -> no group %"PRIu32", dropping", group_id);
        return;
    }
    if (++ctx->depth > XLATE_MAX_DEPTH) {
        trace_line(ctx, " -> too many nested groups, dropping");
        ctx->depth--;
        return;
    }
    if (g->desc.type == OFPGT_SELECT) {
        group_selection_unwildcard(&g->desc.selection, &ctx->xout->wc);
    }
    size_t *idx = xcalloc(g->desc.n_buckets + 1, sizeof *idx);
    size_t n = group_select_buckets(ctx->groups, g, &ctx->flow,
                                    xlate_port_is_live, ctx->ofproto, idx);
    if (ctx->xin->update_stats) {
        group_count_packet(g, ctx->xin->packet_len);
    }
    if (ctx->xin->cache) {
        xlate_cache_add_group(ctx->xin->cache, g);
    }
    if (!n) {
        trace_line(ctx, " -> no live bucket in group %"PRIu32", dropping",
                   group_id);
    }
    for (size_t i = 0; i < n; i++) {
        const struct ofp_bucket *b = &g->desc.buckets[idx[i]];
        if (++ctx->n_group_buckets > XLATE_MAX_GROUP_BUCKETS) {
            trace_line(ctx, " -> too many group buckets, dropping the rest");
            break;
        }
        struct flow saved = ctx->flow;
        struct xlate_packet_state st;
        save_packet_state(ctx, &st);
        trace_line(ctx, " -> group %"PRIu32" bucket %zu", group_id, idx[i]);
        if (ctx->xin->update_stats) {
            group_count(g, idx[i], ctx->xin->packet_len);
        }
        if (ctx->xin->cache) {
            xlate_cache_add_bucket(ctx->xin->cache, g, idx[i]);
        }
        size_t first_frame = ctx->frozen ? ctx->frozen->n_frames : 0;
        xlate_actions(ctx, &b->ofpacts);
        bool paused = ctx->pausing;
        if (paused) {
            xlate_freeze_nested(ctx, first_frame, &saved);
            xlate_freeze_later_buckets(ctx, g, idx + i + 1, n - i - 1);
        }
        restore_packet_state(ctx, &st);
        ctx->flow = saved;
        /* A meter in a bucket drops that bucket's copy only. */
        ctx->halted = false;
        if (paused) {
            break;
        }
    }
    free(idx);
    ctx->depth--;
}

/* Runs 'inner', or if it is NULL the lookup in 'table_id', on a copy of
 * the packet's state: the flow and the stack come back as they were;
 * outputs and packet-ins stay.  clone and ct(table=N) fork this way. */
static void
xlate_fork(struct xlate_ctx *ctx, const struct ofpacts *inner,
           uint8_t table_id)
{
    struct flow saved_flow = ctx->flow;
    struct xlate_packet_state st;
    save_packet_state(ctx, &st);
    size_t saved_n_stack = ctx->n_stack;
    uint8_t saved_stack[XLATE_STACK_MAX][NX_STACK_BYTES];
    memcpy(saved_stack, ctx->stack, sizeof saved_stack);
    xlate_resume_clone_stack(ctx);
    size_t first_frame = ctx->frozen ? ctx->frozen->n_frames : 0;
    ctx->indent++;
    if (inner) {
        xlate_actions(ctx, inner);
    } else {
        xlate_table(ctx, table_id, true);
    }
    ctx->indent--;
    /* A meter in the fork drops the fork's copy only. */
    ctx->halted = false;
    if (ctx->pausing) {
        xlate_freeze_nested(ctx, first_frame, &saved_flow);
    }
    restore_packet_state(ctx, &st);
    ctx->flow = saved_flow;
    memcpy(ctx->stack, saved_stack, sizeof saved_stack);
    ctx->n_stack = saved_n_stack;
}

static void
xlate_clone(struct xlate_ctx *ctx, const struct ofpact *a)
{
    struct ofpacts inner = ofpact_nested(a);
    xlate_fork(ctx, &inner, 0);
}

/* ct: the tracker (datapath/conntrack.h) fills the ct fields, exec's
 * actions set ct_mark and ct_label in them and, when the ct commits, in
 * the connection.  With table=N a fork of the packet, with those fields,
 * goes on in table N, as Open vSwitch's recirculation does; the packet
 * itself goes on after the ct with the ct fields it had before.  A
 * translation by the ct's nat is a header rewrite where the ct stands
 * (after what the actions before changed), for the fork and the packet
 * alike. */
static void
xlate_ct(struct xlate_ctx *ctx, const struct ofpact *a)
{
    struct flow before = ctx->flow;
    xlate_slow(ctx, "ct");
    uint16_t zone = (a->ct.zone_from_field
                     ? nx_subfield_get(&a->ct.zone_src, &ctx->flow)
                     : a->ct.zone_imm);
    bool commit = a->ct.flags & NX_CT_F_COMMIT;
    struct conntrack_nat nat;
    bool has_nat = nx_ct_get_nat(a, &nat);
    if (has_nat) {
        commit_fields(ctx);
    }
    /* The tracker reads ICMP identifiers and quotes from the bytes, which
     * an earlier ct's nat may have rewritten. */
    struct dp_packet copy = { .base = NULL };
    const void *packet = ctx->xin->packet;
    size_t len = ctx->xin->packet_len;
    if (packet && ctx->xout->acts.n_sets
        && (ctx->flow.nw_proto == IPPROTO_ICMP
            || ctx->flow.nw_proto == IPPROTO_ICMPV6)) {
        current_packet(ctx, &copy);
        packet = dp_packet_data(&copy);
        len = copy.size;
    }
    struct conntrack_result res;
    conntrack_execute(&ctx->flow, packet, len, zone, commit,
                      a->ct.flags & NX_CT_F_FORCE, ctx->xin->update_stats,
                      has_nat ? &nat : NULL, &res);
    free(copy.base);
    if (res.nat.fields) {
        add_dp_set(ctx, &res.nat);
    }
    if (ctx->xin->trace) {
        struct ds s = DS_EMPTY_INITIALIZER;
        union mf_value v;
        const struct mf_field *mf = mf_from_id(MFF_CT_STATE);
        mf_get_flow_value(mf, &ctx->flow, &v);
        mf_format(mf, &v, NULL, &s);
        trace_line(ctx, " -> ct_state=%s zone=%"PRIu16, ds_cstr(&s), zone);
        if (res.nat.fields) {
            ds_clear(&s);
            packet_set_format(&res.nat, &s);
            trace_line(ctx, " -> nat: %s", ds_cstr(&s));
        }
        ds_destroy(&s);
    }
    if (commit) {
        struct ofpacts exec = ofpact_nested(a);
        ctx->indent++;
        xlate_actions(ctx, &exec);
        ctx->indent--;
        if (res.conn) {
            conntrack_set_mark_label(res.conn, &ctx->flow);
        }
    }
    if (a->ct.recirc_table != NX_CT_RECIRC_NONE) {
        trace_line(ctx, " -> continues in table %"PRIu8" (recirculation)",
                   a->ct.recirc_table);
        xlate_fork(ctx, NULL, a->ct.recirc_table);
    }
    nx_ct_restore_fields(&ctx->flow, &before);
}

static void
xlate_set_queue(struct xlate_ctx *ctx, uint32_t queue_id)
{
    ctx->queue_id = queue_id;
    trace_line(ctx, " -> queue %"PRIu32" recorded; the datapath has no "
               "queues, so it is ignored", queue_id);
}

/* No IPFIX exporter: a sample only counts (nx-observe.h). */
static void
xlate_sample(struct xlate_ctx *ctx, const struct ofpact *a)
{
    struct ofproto *p = ctx->ofproto;
    xlate_slow(ctx, "sample");
    if (ctx->xin->update_stats
        && (uint32_t) random() % 65535 < a->sample.probability) {
        p->n_sampled++;
    }
    trace_line(ctx, " -> sampled with probability %"PRIu16"/65535, counted "
               "only (no IPFIX exporter): %"PRIu64" packets so far",
               a->sample.probability, p->n_sampled);
}

static void
xlate_check_pkt_larger(struct xlate_ctx *ctx, const struct ofpact *a)
{
    bool larger = ctx->xin->packet_len > a->check_pkt_larger.pkt_len;
    xlate_slow(ctx, "check_pkt_larger");
    nx_subfield_set(&a->check_pkt_larger.dst, larger, &ctx->flow);
    trace_line(ctx, " -> packet length %"PRIu32"%s is %s than %"PRIu16,
               ctx->xin->packet_len,
               ctx->xin->update_stats ? "" : " (no packet in a trace)",
               larger ? "larger" : "not larger",
               a->check_pkt_larger.pkt_len);
}

static void
xlate_multipath(struct xlate_ctx *ctx, const struct ofpact *a)
{
    uint16_t link = nx_multipath_link(a, &ctx->flow);
    xlate_slow(ctx, "multipath");
    nx_subfield_set(&a->multipath.dst, link, &ctx->flow);
    trace_line(ctx, " -> link %"PRIu16" of %d", link,
               a->multipath.max_link + 1);
}

static void
xlate_bundle(struct xlate_ctx *ctx, const struct ofpact *a)
{
    uint32_t port = nx_bundle_member(a, &ctx->flow, xlate_port_is_live,
                                     ctx->ofproto);
    xlate_slow(ctx, "bundle");
    if (port == OFPP_ANY) {
        trace_line(ctx, " -> no live member");
    } else {
        trace_line(ctx, " -> member %"PRIu32" selected", port);
    }
    if (a->bundle.load) {
        uint16_t port16 = 0xffff;
        if (port != OFPP_ANY) {
            ofp_port_to_of10(port, &port16);
        }
        nx_subfield_set(&a->bundle.dst, port16, &ctx->flow);
    } else if (port != OFPP_ANY) {
        xlate_output(ctx, port, 0);
    }
}

/* learn's limit: the flows of the target table with the learned cookie,
 * other than one the new flow would replace, must be fewer. */
static bool
learn_within_limit(struct xlate_ctx *ctx, const struct ft_flow_mod *fm,
                   uint32_t limit)
{
    const struct rule *rule;
    size_t n = 0;
    if (!limit) {
        return true;
    }
    const struct oftable *t = &ctx->ft->tables[fm->table_id];
    XVS_LIST_FOR_EACH (rule, node, &t->rules.list) {
        if (rule->cookie == fm->cookie
            && (rule->priority != fm->priority
                || memcmp(&rule->match, &fm->match, sizeof fm->match))) {
            n++;
        }
    }
    return n < limit;
}

/* Builds the flow 'a' teaches; a packet's translation installs it at the
 * end (xlate_run()), a trace only shows it. */
static void
xlate_learn(struct xlate_ctx *ctx, const struct ofpact *a)
{
    struct ofpacts acts = OFPACTS_EMPTY_INITIALIZER;
    struct ft_flow_mod fm;
    xlate_slow(ctx, "learn");
    nx_learn_build(a, &ctx->flow, &fm, &acts);
    bool ok = learn_within_limit(ctx, &fm, a->learn.limit);
    if (a->learn.flags & NX_LEARN_F_WRITE_RESULT) {
        nx_subfield_set(&a->learn.result_dst, ok, &ctx->flow);
    }
    if (!ok) {
        trace_line(ctx, " -> table %"PRIu8" already has %"PRIu32" flows "
                   "with cookie %#"PRIx64", not learning", fm.table_id,
                   a->learn.limit, fm.cookie);
        ofpacts_uninit(&acts);
        return;
    }
    if (ctx->xin->trace) {
        struct ds s = DS_EMPTY_INITIALIZER;
        ds_put_format(&s, "table=%"PRIu8",", fm.table_id);
        match_format(&fm.match, fm.priority, &s);
        ds_put_cstr(&s, " actions=");
        ofpacts_format(&acts, &s);
        trace_line(ctx, " -> %s %s", ctx->xin->update_stats
                   ? "learned" : "would learn (not from a trace)",
                   ds_cstr(&s));
        ds_destroy(&s);
    }
    if (ctx->xin->update_stats) {
        size_t n = ctx->n_learned++;
        ctx->learned = xrealloc(ctx->learned,
                                ctx->n_learned * sizeof *ctx->learned);
        ctx->learned_fms = xrealloc(ctx->learned_fms,
                                    ctx->n_learned * sizeof *ctx->learned_fms);
        ctx->learned[n] = acts;
        ctx->learned_fms[n] = fm;
    } else {
        ofpacts_uninit(&acts);
    }
}

/* A TCP FIN or RST shortens the running rule's timeouts; only real
 * packets do, as only they count in the rule's statistics. */
static void
xlate_fin_timeout(struct xlate_ctx *ctx, const struct ofpact *a)
{
    struct rule *rule = ctx->rule;
    xlate_slow(ctx, "fin_timeout");
    if (rule && ctx->xin->update_stats && ctx->xin->flow.nw_proto == 6
        && nx_fin_timeout_apply(a, ntohs(ctx->xin->flow.tcp_flags),
                                &rule->idle_timeout, &rule->hard_timeout)) {
        flow_table_timeouts_changed(ctx->ft, rule);
        VLOG_DBG("%s: TCP FIN or RST: timeouts of a flow in table %"PRIu8
                 " now idle %"PRIu16", hard %"PRIu16,
                 ofproto_name(ctx->ofproto), rule->table_id,
                 rule->idle_timeout, rule->hard_timeout);
    }
}

static void
xlate_install_learned(struct xlate_ctx *ctx)
{
    for (size_t i = 0; i < ctx->n_learned; i++) {
        ctx->learned_fms[i].ofpacts = &ctx->learned[i];
        enum ofperr error = 0;
        if (!flow_table_refresh_learned(ctx->ft, &ctx->learned_fms[i])) {
            error = (ctx->xin->ft
                     ? flow_table_apply(ctx->ft, &ctx->learned_fms[i], NULL)
                     : ofproto_flow_mod(ctx->ofproto,
                                        &ctx->learned_fms[i]));
        }
        if (error) {
            VLOG_WARN("%s: learned flow refused (%s)",
                      ofproto_name(ctx->ofproto), ofperr_get_name(error));
        }
        ofpacts_uninit(&ctx->learned[i]);
    }
    free(ctx->learned);
    free(ctx->learned_fms);
}

/* The end of the pipeline: what write_actions put in the action set
 * runs now, in OpenFlow's order. */
static void
xlate_action_set(struct xlate_ctx *ctx)
{
    struct ofpacts ordered = OFPACTS_EMPTY_INITIALIZER;
    ofp_action_set_order(&ctx->action_set, &ordered);
    ofpacts_clear(&ctx->action_set);
    if (ordered.n) {
        trace_line(ctx, "Executing the action set:");
        ctx->indent++;
        xlate_actions(ctx, &ordered);
        ctx->indent--;
    }
    ofpacts_uninit(&ordered);
}

/* Measures the packet against meter 'id'; a packet over a drop band
 * stops here (what was already output stays output, as in a datapath
 * that meters at this point).  ofproto/trace measures without taking
 * tokens or counting, so tracing does not change what real packets
 * see; having no packet, it measures a minimum-size (64-byte) frame. */
static void
xlate_meter(struct xlate_ctx *ctx, uint32_t id)
{
    struct meter *m = meter_table_find(ctx->meters, id);
    xlate_slow(ctx, "meter");
    if (!m) {
        trace_line(ctx, " -> no meter %"PRIu32", dropping", id);
        ctx->halted = true;
        return;
    }
    uint32_t len = ctx->xin->packet_len ? ctx->xin->packet_len : 64;
    int band = meter_apply(m, len, time_msec(), ctx->xin->update_stats);
    if (band >= 0) {
        trace_line(ctx, " -> meter %"PRIu32" band %d (drop, rate=%"PRIu32
                   " %s) exceeded, dropping", id, band,
                   m->bands[band].config.rate,
                   m->flags & OFPMF_PKTPS ? "pktps" : "kbps");
        ctx->halted = true;
    }
}

void
xlate_actions(struct xlate_ctx *ctx, const struct ofpacts *ofpacts)
{
    for (size_t i = 0; i < ofpacts->n && !ctx->halted;
         i += ofpact_span(&ofpacts->acts[i])) {
        const struct ofpact *a = &ofpacts->acts[i];

        if (ctx->xin->trace) {
            struct ds s = DS_EMPTY_INITIALIZER;
            ofpact_format(a, &s);
            trace_line(ctx, "%s", ds_cstr(&s));
            ds_destroy(&s);
        }

        switch (a->type) {
        case OFPACT_OUTPUT:
            xlate_output(ctx, a->output.port, a->output.max_len);
            break;
        case OFPACT_CONTROLLER:
            xlate_controller(ctx, a);
            break;
        case OFPACT_SET_FIELD:
            xlate_set_field(ctx, a);
            break;
        case OFPACT_PUSH_VLAN:
            xlate_wc(ctx, MFF_VLAN_TCI);
            if (!(ctx->flow.vlan_tci & htons(VLAN_CFI))) {
                ctx->flow.vlan_tci = htons(VLAN_CFI);
            }
            /* A second tag (QinQ) is not supported; the outer one is
             * rewritten instead. */
            break;
        case OFPACT_POP_VLAN:
            xlate_wc(ctx, MFF_VLAN_TCI);
            ctx->flow.vlan_tci = 0;
            break;
        case OFPACT_DEC_TTL:
            xlate_wc(ctx, MFF_ETH_TYPE);
            xlate_wc(ctx, MFF_IP_TTL);
            if (ctx->flow.nw_ttl > 1) {
                ctx->flow.nw_ttl--;
            } else {
                xlate_ttl_expired(ctx, a);
                return;
            }
            break;
        case OFPACT_PUSH_MPLS:
        case OFPACT_POP_MPLS:
        case OFPACT_SET_MPLS_LABEL:
        case OFPACT_SET_MPLS_TC:
        case OFPACT_SET_MPLS_TTL:
        case OFPACT_DEC_MPLS_TTL:
            if (!xlate_mpls(ctx, a)) {
                return;
            }
            break;
        case OFPACT_DEC_NSH_TTL:
            if (!xlate_dec_nsh_ttl(ctx, a)) {
                return;
            }
            break;
        case OFPACT_GROUP:
            xlate_group(ctx, a->group.group_id);
            break;
        case OFPACT_CLONE:
            xlate_clone(ctx, a);
            break;
        case OFPACT_SET_QUEUE:
            xlate_set_queue(ctx, a->queue.queue_id);
            break;
        case OFPACT_POP_QUEUE:
            ctx->queue_id = UINT32_MAX;
            break;
        case OFPACT_ENQUEUE:
            xlate_set_queue(ctx, a->queue.queue_id);
            xlate_output(ctx, a->queue.port, 0);
            ctx->queue_id = UINT32_MAX;
            break;
        case OFPACT_SAMPLE:
            xlate_sample(ctx, a);
            break;
        case OFPACT_CHECK_PKT_LARGER:
            xlate_check_pkt_larger(ctx, a);
            break;
        case OFPACT_MULTIPATH:
            xlate_multipath(ctx, a);
            break;
        case OFPACT_BUNDLE:
            xlate_bundle(ctx, a);
            break;
        case OFPACT_LEARN:
            xlate_learn(ctx, a);
            break;
        case OFPACT_FIN_TIMEOUT:
            xlate_fin_timeout(ctx, a);
            break;
        case OFPACT_METER:
            xlate_meter(ctx, a->meter.meter_id);
            break;
        case OFPACT_CLEAR_ACTIONS:
            ofpacts_clear(&ctx->action_set);
            break;
        case OFPACT_WRITE_ACTIONS:
            ofp_action_set_write(&ctx->action_set, a);
            break;
        case OFPACT_WRITE_METADATA:
            ctx->flow.metadata = ((ctx->flow.metadata
                                   & ~a->write_metadata.mask)
                                  | (a->write_metadata.metadata
                                     & a->write_metadata.mask));
            break;
        case OFPACT_GOTO_TABLE:
            xlate_table(ctx, a->goto_table.table_id, false);
            return;
        case OFPACT_RESUBMIT:
            xlate_resubmit(ctx, a, i + ofpact_span(a) == ofpacts->n);
            break;
        case OFPACT_REG_LOAD:
            nx_subfield_set(&a->reg_load.dst, a->reg_load.value, &ctx->flow);
            nx_subfield_unwildcard(&a->reg_load.dst, &ctx->xout->wc);
            break;
        case OFPACT_REG_MOVE:
            nx_subfield_copy(&a->reg_move.src, &a->reg_move.dst, &ctx->flow);
            nx_subfield_unwildcard(&a->reg_move.src, &ctx->xout->wc);
            nx_subfield_unwildcard(&a->reg_move.dst, &ctx->xout->wc);
            break;
        case OFPACT_STACK_PUSH:
        case OFPACT_STACK_POP:
            xlate_stack(ctx, a);
            break;
        case OFPACT_OUTPUT_REG:
            xlate_output_reg(ctx, a);
            break;
        case OFPACT_OUTPUT_TRUNC:
            ctx->trunc_len = a->output_trunc.max_len;
            xlate_output(ctx, a->output_trunc.port, 0);
            ctx->trunc_len = 0;
            break;
        case OFPACT_DELETE_FIELD:
            /* nx_check() let only tun_metadataN through. */
            ctx->flow.tunnel.md_present &= ~(UINT64_C(1) << mf_tun_md_idx(
                                        mf_from_id(a->delete_field.field)));
            break;
        case OFPACT_CT_CLEAR:
            nx_ct_clear_flow(&ctx->flow);
            break;
        case OFPACT_CT:
            xlate_ct(ctx, a);
            break;
        case OFPACT_NAT:
            /* Only inside ct, which runs it (xlate_ct()). */
            break;
        case OFPACT_NOTE:
        case OFPACT_CONJUNCTION:    /* Only in flows the lookup skips. */
            break;
        case OFPACT_N_TYPES:
        default:
            break;
        }
        if (ctx->pausing) {
            xlate_freeze_rest(ctx, ofpacts, i + ofpact_span(a));
            return;
        }
    }
}

static void
trace_rule(struct xlate_ctx *ctx, uint8_t table_id, const struct rule *rule)
{
    struct ds *t = ctx->xin->trace;
    if (!t) {
        return;
    }
    put_spaces(t, 4 * ctx->indent);
    ds_put_format(t, "%2d. ", table_id);
    if (!rule) {
        ds_put_cstr(t, "No match.\n");
        return;
    }
    size_t start = t->length;
    match_format(&rule->match, OFP_DEFAULT_PRIORITY, t);
    if (t->length > start) {
        ds_put_cstr(t, ", ");
    }
    ds_put_format(t, "priority %u", rule->priority);
    if (rule->cookie) {
        ds_put_format(t, ", cookie %#"PRIx64, rule->cookie);
    }
    ds_put_char(t, '\n');
}

/* 'deepens': the caller has actions left to run after the lookup. */
static void
xlate_table(struct xlate_ctx *ctx, uint8_t table_id, bool deepens)
{
    if ((deepens && ctx->depth >= XLATE_MAX_DEPTH)
        || ctx->chain >= XLATE_MAX_CHAIN) {
        trace_line(ctx, " -> too many table lookups, dropping");
        return;
    }
    ctx->depth += deepens;
    ctx->chain++;
    /* actset_output is a view of the action set for the lookup only; the
     * flow that goes on (and that traces print) does not carry it. */
    ctx->flow.actset_output = ofp_action_set_output(&ctx->action_set);
    struct rule *rule = flow_table_lookup_wc(ctx->ft, table_id, &ctx->flow,
                                             &ctx->xout->wc);
    ctx->flow.actset_output = 0;
    trace_rule(ctx, table_id, rule);
    if (ctx->xin->cache && table_id < FT_N_TABLES) {
        xlate_cache_add_table(ctx->xin->cache, &ctx->ft->tables[table_id],
                              rule != NULL);
        if (rule) {
            xlate_cache_add_rule(ctx->xin->cache, rule);
        }
    }
    if (rule) {
        if (ctx->xin->update_stats) {
            rule->n_packets++;
            rule->n_bytes += ctx->xin->packet_len;
            rule->used = time_msec();
        }
        uint8_t saved_table = ctx->table_id;
        uint64_t saved_cookie = ctx->cookie;
        struct rule *saved_rule = ctx->rule;
        ctx->table_id = table_id;
        ctx->cookie = rule->cookie;
        ctx->rule = rule;
        if (!rule->ofpacts.n) {
            trace_line(ctx, "drop");
        }
        xlate_actions(ctx, &rule->ofpacts);
        if (ctx->pausing) {
            xlate_freeze_frame(ctx, table_id, rule->cookie);
        }
        ctx->table_id = saved_table;
        ctx->cookie = saved_cookie;
        ctx->rule = saved_rule;
    } else {
        trace_line(ctx, "drop");
        /* OpenFlow 1.0 table-miss: connmgr sends this only to controllers
         * that negotiated 1.0 (OpenFlow 1.3 drops on a miss). */
        ctx->table_id = table_id;
        ctx->cookie = UINT64_MAX;
        output_controller(ctx, ctx->ofproto->miss_send_len, OFPR_NO_MATCH,
                          NX_CTLR_NO_METER);
    }
    ctx->depth -= deepens;
    ctx->chain--;
}

void
xlate_out_uninit(struct xlate_out *xout)
{
    for (size_t i = 0; i < xout->n_pins; i++) {
        free(xout->pins[i].userdata);
    }
    if (xout->continuation) {
        continuation_uninit(xout->continuation);
        free(xout->continuation);
    }
}

void
xlate_run(const struct xlate_in *xin, struct xlate_out *xout)
{
    struct xlate_ctx ctx;

    COVERAGE_INC(xlate_actions);
    memset(&ctx, 0, sizeof ctx);
    ctx.xin = xin;
    ctx.xout = xout;
    ctx.ofproto = xin->ofproto;
    ctx.ft = xin->ft ? xin->ft : &xin->ofproto->ft;
    ctx.groups = xin->groups ? xin->groups : &xin->ofproto->groups;
    ctx.meters = xin->meters ? xin->meters : &xin->ofproto->meters;
    ctx.flow = xin->flow;
    /* Where tun_metadataN lives in this bridge's flows. */
    tlv_map_apply_flow(&ctx.ofproto->tlv_map, &ctx.flow);
    ctx.committed_tci = ntohs(xin->flow.vlan_tci);
    ctx.committed = ctx.flow;
    ctx.cookie = UINT64_MAX;
    ctx.queue_id = UINT32_MAX;
    dp_actions_init(&xout->acts);
    xout->n_pins = 0;
    xout->continuation = NULL;
    memset(&xout->wc, 0, sizeof xout->wc);
    xout->wc.masks.tun_layout = ctx.flow.tun_layout;
    /* Outputs compare ports with it; megaflows never share in_port. */
    xout->wc.masks.in_port = UINT32_MAX;
    xout->slow = xin->resume ? "resume" : NULL;

    if (xin->resume) {
        xlate_resume(&ctx, xin->resume);
    } else if (xin->ofpacts) {
        xlate_actions(&ctx, xin->ofpacts);
    } else if (ofproto_fail_open(ctx.ofproto)) {
        trace_line(&ctx, "fail open: no controller connected, NORMAL");
        xlate_normal(&ctx);
    } else {
        xlate_table(&ctx, 0, true);
    }
    /* A meter that dropped the packet drops its action set too; a pause
     * keeps it for the continuation. */
    if (!ctx.halted && !ctx.pausing) {
        xlate_action_set(&ctx);
    }
    if (ctx.pausing) {
        xlate_finish_freeze(&ctx);
    }
    if (ctx.overflow) {
        xlate_slow(&ctx, "too many datapath actions");
    }
    flow_wc_add_prereqs(&xout->wc);
    ofpacts_uninit(&ctx.frozen_rest);
    ofpacts_uninit(&ctx.action_set);
    xlate_install_learned(&ctx);
    xout->final_flow = ctx.flow;
}

void
xlate_format_dp_actions(const struct dp_actions *acts, struct ds *s)
{
    dp_format_actions(acts->acts, acts->n, acts->sets, s);
}
