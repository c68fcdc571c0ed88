/* ofp-print: one-message descriptions in ovs-ofctl's wording, for
 * xvs-ofctl and for logs.  Everything goes through the decoders, so a
 * malformed message prints its decode error instead of garbage. */
#include <config.h>
#include "ofp-bundle.h"
#include "ofp-msgs.h"
#include "continuation.h"
#include "ofp-role.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "meta-flow.h"
#include "ofp-ct.h"
#include "ofp-group.h"
#include "ofp-meter.h"
#include "ofp-monitor.h"
#include "ofp-queue-msgs.h"
#include "ofp-table-mod.h"
#include "ofp-table-print.h"
#include "ofp-tlv.h"

/* Hex and ASCII, 16 bytes a line, as ovs-ofctl dumps undecodable data. */
static void
print_hex_ascii(struct ds *s, const uint8_t *p, size_t n)
{
    for (size_t ofs = 0; ofs < n; ofs += 16) {
        size_t len = XVS_MIN(n - ofs, 16);
        ds_put_format(s, "%08zx  ", ofs);
        for (size_t i = 0; i < 16; i++) {
            if (i < len) {
                ds_put_format(s, "%02x", p[ofs + i]);
            } else {
                ds_put_cstr(s, "  ");
            }
            ds_put_char(s, i == 7 ? '-' : ' ');
        }
        ds_put_char(s, '|');
        for (size_t i = 0; i < 16; i++) {
            uint8_t c = i < len ? p[ofs + i] : ' ';
            ds_put_char(s, c >= 32 && c < 127 ? c : '.');
        }
        ds_put_cstr(s, "|\n");
    }
}

/* Names the message an error reply quotes although the quote is cut
 * short: its header is still intact. */
static void
print_truncated_header(struct ds *s, const uint8_t *data, size_t len)
{
    uint8_t *copy = xmemdup(data, len);
    struct ofp_msg_info info;
    copy[2] = len >> 8;
    copy[3] = len;
    ofpmsg_decode(&info, copy, len);
    if (info.type != OFPTYPE_N_TYPES) {
        ds_put_cstr(s, ofptype_get_name(info.type, info.version));
        if (info.version != OFP10_VERSION) {
            ds_put_format(s, " (%s)", ofp_version_to_string(info.version));
        }
        ds_put_format(s, " (xid=0x%"PRIx32"):\n", info.xid);
    }
    free(copy);
}

static void
print_decode_error(struct ds *s, enum ofperr error)
{
    ds_put_format(s, " ***decode error: %s***\n", ofperr_get_name(error));
}

static void
print_port_name(struct ds *s, const struct ofp_phy_port *pp)
{
    ofp_port_format(pp->port_no, s);
    ds_put_format(s, "(%s): addr:%02x:%02x:%02x:%02x:%02x:%02x\n", pp->name,
                  pp->hw_addr.ea[0], pp->hw_addr.ea[1], pp->hw_addr.ea[2],
                  pp->hw_addr.ea[3], pp->hw_addr.ea[4], pp->hw_addr.ea[5]);
}

/* Names of bits 0, 1, ... of a bitmap, NULL for unnamed bits. */
static void
print_bit_names(struct ds *s, uint32_t bits, const char *const names[],
                size_t n_names)
{
    if (!bits) {
        ds_put_cstr(s, "0\n");
        return;
    }
    const char *sep = "";
    for (size_t i = 0; i < n_names; i++) {
        if (bits & (UINT32_C(1) << i) && names[i]) {
            ds_put_format(s, "%s%s", sep, names[i]);
            bits &= ~(UINT32_C(1) << i);
            sep = " ";
        }
    }
    if (bits) {
        ds_put_format(s, "%s0x%"PRIx32, sep, bits);
    }
    ds_put_char(s, '\n');
}

static void
print_features_bits(struct ds *s, uint32_t features)
{
    static const char *const names[] = {
        "10MB-HD", "10MB-FD", "100MB-HD", "100MB-FD", "1GB-HD", "1GB-FD",
        "10GB-FD", "40GB-FD", "100GB-FD", "1TB-FD", "OTHER", "COPPER",
        "FIBER", "AUTO_NEG", "AUTO_PAUSE", "AUTO_PAUSE_ASYM",
    };
    print_bit_names(s, features, names, ARRAY_SIZE(names));
}

static void
print_port_features(struct ds *s, const char *label, uint32_t features)
{
    if (features) {
        ds_put_format(s, "     %-12s", label);
        print_features_bits(s, features);
    }
}

static void
print_port_config(struct ds *s, uint32_t config)
{
    /* One bit layout for config in every version (OpenFlow 1.1+ dropped
     * some 1.0 bits but kept the others' places). */
    static const char *const names[] = {
        "PORT_DOWN", "NO_STP", "NO_RECV", "NO_RECV_STP", "NO_FLOOD",
        "NO_FWD", "NO_PACKET_IN",
    };
    print_bit_names(s, config, names, ARRAY_SIZE(names));
}

static void
print_phy_port(struct ds *s, const struct ofp_phy_port *pp)
{
    static const char *const state_names[] = {
        "LINK_DOWN", "BLOCKED", "LIVE",
    };
    ds_put_char(s, ' ');
    print_port_name(s, pp);
    ds_put_cstr(s, "     config:     ");
    print_port_config(s, pp->config);
    ds_put_cstr(s, "     state:      ");
    print_bit_names(s, pp->state, state_names, ARRAY_SIZE(state_names));
    print_port_features(s, "current:", pp->curr);
    print_port_features(s, "advertised:", pp->advertised);
    print_port_features(s, "supported:", pp->supported);
    print_port_features(s, "peer:", pp->peer);
    ds_put_format(s, "     speed: %"PRIu32" Mbps now, %"PRIu32" Mbps max\n",
                  pp->curr_speed / 1000, pp->max_speed / 1000);
}

/* "in_port eth_{src,dst,type} vlan_{vid,pcp} ...": the fields an
 * OpenFlow 1.0 table can wildcard, in ovs-ofctl's order, names with a
 * common prefix folded together as ovs-ofctl folds them. */
static void
print_of10_wildcards(struct ds *s, uint32_t wildcards)
{
    static const struct { uint32_t bits; const char *name; } fields[] = {
        { 1 << 0, "in_port" }, { 1 << 2, "eth_src" }, { 1 << 3, "eth_dst" },
        { 1 << 4, "eth_type" }, { 1 << 1, "vlan_vid" },
        { 1 << 20, "vlan_pcp" }, { 0x3f << 8, "ip_src" },
        { 0x3f << 14, "ip_dst" }, { 1 << 5, "nw_proto" },
        { 1 << 21, "nw_tos" }, { 1 << 6, "tcp_src" }, { 1 << 7, "tcp_dst" },
    };
    const char *names[ARRAY_SIZE(fields)];
    size_t n = 0;
    for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
        if (wildcards & fields[i].bits) {
            names[n++] = fields[i].name;
        }
    }
    for (size_t i = 0; i < n; ) {
        size_t plen = strcspn(names[i], "_") + 1, j = i + 1;
        while (j < n && !strncmp(names[j], names[i], plen)) {
            j++;
        }
        ds_put_cstr(s, i ? " " : "");
        if (j - i == 1) {
            ds_put_cstr(s, names[i]);
        } else {
            ds_put_format(s, "%.*s{", (int) plen, names[i]);
            for (size_t k = i; k < j; k++) {
                ds_put_format(s, "%s%s", k > i ? "," : "", names[k] + plen);
            }
            ds_put_char(s, '}');
        }
        i = j;
    }
}

static bool
table_stats_equal(const struct ofp_table_stats *a,
                  const struct ofp_table_stats *b)
{
    return (a->active_count == b->active_count
            && a->lookup_count == b->lookup_count
            && a->matched_count == b->matched_count
            && a->max_entries == b->max_entries
            && a->wildcards == b->wildcards);
}

/* print_table_stats()'s list, for ofp_table_list_format(). */
struct stats_list {
    const struct ofp_table_stats *ts;
    bool of10;
};

static uint8_t
stats_id(const void *aux, size_t i)
{
    const struct stats_list *l = aux;
    return l->ts[i].table_id;
}

static const char *
stats_name(const void *aux, size_t i)
{
    const struct stats_list *l = aux;
    return l->ts[i].name;
}

static bool
stats_equal_prev(const void *aux, size_t i)
{
    const struct stats_list *l = aux;
    return table_stats_equal(&l->ts[i], &l->ts[i - 1]);
}

static void
stats_print(struct ds *s, const void *aux, size_t i)
{
    const struct stats_list *l = aux;
    const struct ofp_table_stats *ts = l->ts;
    ds_put_format(s, "    active=%"PRIu32", lookup=%"PRIu64
                  ", matched=%"PRIu64"\n", ts[i].active_count,
                  ts[i].lookup_count, ts[i].matched_count);
    if (l->of10 && i > 0 && ts[i].max_entries == ts[i - 1].max_entries
        && ts[i].wildcards == ts[i - 1].wildcards) {
        ds_put_cstr(s, "    (same features)\n");
    } else if (l->of10) {
        ds_put_format(s, "    max_entries=%"PRIu32"\n    matching:\n"
                      "      exact match or wildcard: ",
                      ts[i].max_entries);
        print_of10_wildcards(s, ts[i].wildcards);
        ds_put_char(s, '\n');
    }
    ds_put_char(s, '\n');
}

/* Table stats as ovs-ofctl prints them: a table that repeats the one
 * before it is "ditto", unnamed runs of them folded into one line. */
static void
print_table_stats(struct ds *s, const struct ofp_table_stats *ts, size_t n,
                  bool of10)
{
    static const struct ofp_table_list_ops ops = {
        stats_id, stats_name, stats_equal_prev, stats_print,
    };
    struct stats_list l = { ts, of10 };
    ds_put_char(s, '\n');
    ofp_table_list_format(s, n, &ops, &l);
}

static enum ofperr
print_port_mod(struct ds *s, const struct ofp_msg_info *info)
{
    struct ofp_port_mod_msg pm;
    enum ofperr error = ofp_decode_port_mod(info, &pm);
    if (error) {
        return error;
    }
    ds_put_cstr(s, " port: ");
    ofp_port_format(pm.port_no, s);
    ds_put_format(s, ": addr:%02x:%02x:%02x:%02x:%02x:%02x\n",
                  pm.hw_addr.ea[0], pm.hw_addr.ea[1], pm.hw_addr.ea[2],
                  pm.hw_addr.ea[3], pm.hw_addr.ea[4], pm.hw_addr.ea[5]);
    ds_put_cstr(s, "     config: ");
    print_port_config(s, pm.config);
    ds_put_cstr(s, "     mask:   ");
    print_port_config(s, pm.mask);
    ds_put_cstr(s, "     advertise: ");
    if (pm.advertise) {
        print_features_bits(s, pm.advertise);
    } else {
        ds_put_cstr(s, "UNCHANGED\n");
    }
    return 0;
}

static void
print_flow_mod(struct ds *s, const struct ofp_msg_info *info)
{
    static const char *const commands[] = {
        "ADD", "MOD", "MOD_STRICT", "DEL", "DEL_STRICT",
    };
    struct ofp_flow_mod_msg fm;
    enum ofperr error = ofp_decode_flow_mod(info, &fm);
    if (error) {
        ofp_flow_mod_uninit(&fm);
        print_decode_error(s, error);
        return;
    }
    ds_put_format(s, " %s", commands[fm.command]);
    if (fm.table_id && !(fm.table_id == OFPTT_ALL
                         && info->version == OFP10_VERSION)) {
        ds_put_format(s, " table:%"PRIu8, fm.table_id);
    }
    ds_put_char(s, ' ');
    match_format(&fm.match, fm.priority, s);
    if (s->string[s->length - 1] != ' ') {
        ds_put_char(s, ' ');
    }
    if (fm.new_cookie && fm.new_cookie != OFP_COOKIE_UNCHANGED) {
        ds_put_format(s, "cookie:0x%"PRIx64" ", fm.new_cookie);
    }
    if (fm.cookie_mask) {
        ds_put_format(s, "cookie:0x%"PRIx64"/0x%"PRIx64" ", fm.cookie,
                      fm.cookie_mask);
    }
    if (fm.idle_timeout) {
        ds_put_format(s, "idle:%"PRIu16" ", fm.idle_timeout);
    }
    if (fm.hard_timeout) {
        ds_put_format(s, "hard:%"PRIu16" ", fm.hard_timeout);
    }
    if (fm.importance) {
        ds_put_format(s, "importance:%"PRIu16" ", fm.importance);
    }
    if (fm.buffer_id != OFP_NO_BUFFER) {
        ds_put_format(s, "buf:0x%"PRIx32" ", fm.buffer_id);
    }
    if (fm.out_port != OFPP_ANY) {
        ds_put_cstr(s, "out_port:");
        ofp_port_format(fm.out_port, s);
        ds_put_char(s, ' ');
    }
    if (fm.flags & OFPFF_SEND_FLOW_REM) {
        ds_put_cstr(s, "send_flow_rem ");
    }
    if (fm.flags & OFPFF_CHECK_OVERLAP) {
        ds_put_cstr(s, "check_overlap ");
    }
    if (fm.flags & OFPFF_RESET_COUNTS) {
        ds_put_cstr(s, "reset_counts ");
    }
    ds_put_cstr(s, "actions=");
    ofpacts_format(&fm.ofpacts, s);
    ds_put_char(s, '\n');
    ofp_flow_mod_uninit(&fm);
}

static void
print_duration(struct ds *s, uint32_t sec, uint32_t nsec)
{
    ds_put_format(s, "%"PRIu32, sec);
    if (nsec) {
        ds_put_format(s, ".%03"PRIu32, nsec / 1000000);
    }
    ds_put_char(s, 's');
}

static void
print_port_stat(struct ds *s, const char *name, uint64_t x, bool more)
{
    ds_put_cstr(s, name);
    if (x == UINT64_MAX) {
        ds_put_char(s, '?');
    } else {
        ds_put_format(s, "%"PRIu64, x);
    }
    ds_put_cstr(s, more ? ", " : "\n");
}

static void
print_port_stats(struct ds *s, const struct ofp_msg_info *info)
{
    struct ofp_port_stats *ps = NULL;
    size_t n = 0;
    enum ofperr error = ofp_decode_port_stats_reply(info, &ps, &n);
    if (error) {
        free(ps);
        print_decode_error(s, error);
        return;
    }
    ds_put_format(s, " %zu ports\n", n);
    for (size_t i = 0; i < n; i++) {
        ds_put_cstr(s, "  port ");
        if (ps[i].port_no < 10) {
            ds_put_char(s, ' ');
        }
        ofp_port_format(ps[i].port_no, s);
        ds_put_cstr(s, ": rx ");
        print_port_stat(s, "pkts=", ps[i].rx_packets, true);
        print_port_stat(s, "bytes=", ps[i].rx_bytes, true);
        print_port_stat(s, "drop=", ps[i].rx_dropped, true);
        print_port_stat(s, "errs=", ps[i].rx_errors, true);
        print_port_stat(s, "frame=", ps[i].rx_frame_err, true);
        print_port_stat(s, "over=", ps[i].rx_over_err, true);
        print_port_stat(s, "crc=", ps[i].rx_crc_err, false);
        ds_put_cstr(s, "           tx ");
        print_port_stat(s, "pkts=", ps[i].tx_packets, true);
        print_port_stat(s, "bytes=", ps[i].tx_bytes, true);
        print_port_stat(s, "drop=", ps[i].tx_dropped, true);
        print_port_stat(s, "errs=", ps[i].tx_errors, true);
        print_port_stat(s, "coll=", ps[i].collisions, false);
        if (info->version != OFP10_VERSION) {
            ds_put_cstr(s, "           duration=");
            print_duration(s, ps[i].duration_sec, ps[i].duration_nsec);
            ds_put_char(s, '\n');
        }
    }
    free(ps);
}

static void
print_body(struct ds *s, const struct ofp_msg_info *info)
{
    enum ofperr error = 0;
    switch (info->type) {
    case OFPTYPE_ERROR: {
        struct ofp_error_msg em;
        error = ofp_decode_error(info, &em);
        if (error) {
            break;
        }
        if (em.error) {
            ds_put_format(s, " %s\n", ofperr_get_name(em.error));
        } else {
            ds_put_format(s, " type 0x%"PRIx16", code 0x%"PRIx16"\n",
                          em.type, em.code);
        }
        if (em.data_len >= OFP_HEADER_LEN
            && get_be16(em.data + 2) <= em.data_len) {
            ofp_print(s, em.data, em.data_len);
        } else if (em.data_len >= OFP_HEADER_LEN) {
            print_truncated_header(s, em.data, em.data_len);
            ds_put_format(s, "(***truncated to %zu bytes from %"PRIu16"***)\n",
                          em.data_len, get_be16(em.data + 2));
            print_hex_ascii(s, em.data, em.data_len);
        }
        return;
    }
    case OFPTYPE_HELLO: {
        uint32_t versions;
        error = ofp_decode_hello(info, &versions);
        if (!error) {
            const char *sep = " ";
            ds_put_cstr(s, "\n version bitmap:");
            for (int v = 1; v < 32; v++) {
                if (versions & (1u << v)) {
                    ds_put_format(s, "%s0x%02x", sep, v);
                    sep = ", ";
                }
            }
            ds_put_char(s, '\n');
            return;
        }
        break;
    }
    case OFPTYPE_FEATURES_REPLY: {
        struct ofp_switch_features f;
        error = ofp_decode_features_reply(info, &f);
        if (error) {
            break;
        }
        ds_put_format(s, " dpid:%016"PRIx64"\n", f.datapath_id);
        ds_put_format(s, "n_tables:%"PRIu8", n_buffers:%"PRIu32"\n",
                      f.n_tables, f.n_buffers);
        ds_put_cstr(s, "capabilities:");
        if (f.capabilities & OFPC_FLOW_STATS) {
            ds_put_cstr(s, " FLOW_STATS");
        }
        if (f.capabilities & OFPC_TABLE_STATS) {
            ds_put_cstr(s, " TABLE_STATS");
        }
        if (f.capabilities & OFPC_PORT_STATS) {
            ds_put_cstr(s, " PORT_STATS");
        }
        ds_put_char(s, '\n');
        if (info->version == OFP10_VERSION) {
            static const char *const names[] = {
                "output", "set_vlan_vid", "set_vlan_pcp", "strip_vlan",
                "mod_dl_src", "mod_dl_dst", "mod_nw_src", "mod_nw_dst",
                "mod_nw_tos", "mod_tp_src", "mod_tp_dst", "enqueue",
            };
            ds_put_cstr(s, "actions:");
            for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
                if (f.actions & (1u << i)) {
                    ds_put_format(s, " %s", names[i]);
                }
            }
            ds_put_char(s, '\n');
        }
        for (size_t i = 0; i < f.n_ports; i++) {
            print_phy_port(s, &f.ports[i]);
        }
        ofp_switch_features_uninit(&f);
        return;
    }
    case OFPTYPE_GET_CONFIG_REPLY:
    case OFPTYPE_SET_CONFIG: {
        struct ofp_switch_config c;
        error = ofp_decode_switch_config(info, &c);
        if (!error) {
            ds_put_format(s, " frags=%s miss_send_len=%"PRIu16"\n",
                          (c.flags & 3) == 0 ? "normal"
                          : (c.flags & 3) == 1 ? "drop" : "reassemble",
                          c.miss_send_len);
            return;
        }
        break;
    }
    case OFPTYPE_FLOW_MOD:
    case OFPTYPE_NXT_FLOW_MOD:
        print_flow_mod(s, info);
        return;
    case OFPTYPE_PORT_MOD:
        error = print_port_mod(s, info);
        if (!error) {
            return;
        }
        break;
    case OFPTYPE_PACKET_IN:
    case OFPTYPE_NXT_PACKET_IN:
    case OFPTYPE_NXT_PACKET_IN2:
    case OFPTYPE_NXT_RESUME: {
        struct ofp_packet_in_msg pin;
        error = ofp_decode_packet_in(info, &pin);
        if (error) {
            break;
        }
        /* ovs-ofctl leaves out table 0 and the "no cookie" cookie; an
         * OpenFlow 1.0 OFPT_PACKET_IN carries neither. */
        if (pin.table_id) {
            ds_put_format(s, " table_id=%"PRIu8, pin.table_id);
        }
        if ((info->type != OFPTYPE_PACKET_IN
             || info->version != OFP10_VERSION)
            && pin.cookie != UINT64_MAX) {
            ds_put_format(s, " cookie=0x%"PRIx64, pin.cookie);
        }
        ds_put_format(s, " total_len=%"PRIu16" ", pin.total_len);
        match_format(&pin.match, OFP_DEFAULT_PRIORITY, s);
        ds_put_format(s, " (via %s) data_len=%zu",
                      ofp_packet_in_reason_to_string(pin.reason),
                      pin.packet_len);
        if (pin.buffer_id == OFP_NO_BUFFER) {
            ds_put_cstr(s, " (unbuffered)");
        } else {
            ds_put_format(s, " buffer=0x%08"PRIx32, pin.buffer_id);
        }
        if (pin.total_len != pin.packet_len) {
            ds_put_cstr(s, " (***total_len != data_len***)");
        }
        ds_put_char(s, '\n');
        if (pin.userdata_len) {
            ds_put_cstr(s, " userdata=");
            for (size_t i = 0; i < pin.userdata_len; i++) {
                ds_put_format(s, "%s%02"PRIx8, i ? "." : "", pin.userdata[i]);
            }
            ds_put_char(s, '\n');
        }
        continuation_format(pin.continuation, pin.continuation_len,
                            info->version, s);
        return;
    }
    case OFPTYPE_PACKET_OUT: {
        struct ofp_packet_out_msg po;
        error = ofp_decode_packet_out(info, &po);
        if (error) {
            break;
        }
        ds_put_cstr(s, " in_port=");
        ofp_port_format(po.in_port, s);
        ds_put_cstr(s, " actions=");
        ofpacts_format(&po.ofpacts, s);
        ds_put_format(s, " data_len=%zu\n", po.packet_len);
        ofp_packet_out_uninit(&po);
        return;
    }
    case OFPTYPE_FLOW_REMOVED:
    case OFPTYPE_NXT_FLOW_REMOVED: {
        struct ofp_flow_removed_msg fr;
        error = ofp_decode_flow_removed(info, &fr);
        if (error) {
            break;
        }
        ds_put_char(s, ' ');
        match_format(&fr.match, fr.priority, s);
        const char *reason = ofp_flow_removed_reason_to_string(fr.reason);
        if (reason) {
            ds_put_format(s, " reason=%s", reason);
        } else {
            ds_put_format(s, " reason=%"PRIu8, fr.reason);
        }
        /* OpenFlow 1.0 has no table id (the decoder says OFPTT_ALL). */
        if (fr.table_id != OFPTT_ALL) {
            ds_put_format(s, " table_id=%"PRIu8, fr.table_id);
        }
        if (fr.cookie) {
            ds_put_format(s, " cookie:0x%"PRIx64, fr.cookie);
        }
        ds_put_cstr(s, " duration");
        print_duration(s, fr.duration_sec, fr.duration_nsec);
        ds_put_format(s, " idle%"PRIu16, fr.idle_timeout);
        if (fr.hard_timeout) {
            ds_put_format(s, " hard%"PRIu16, fr.hard_timeout);
        }
        ds_put_format(s, " pkts%"PRIu64" bytes%"PRIu64"\n",
                      fr.packet_count, fr.byte_count);
        return;
    }
    case OFPTYPE_PORT_STATUS: {
        static const char *const reasons[] = { "ADD", "DEL", "MOD" };
        struct ofp_port_status_msg ps;
        error = ofp_decode_port_status(info, &ps);
        if (error) {
            break;
        }
        ds_put_format(s, " %s:", ps.reason < 3 ? reasons[ps.reason] : "???");
        print_phy_port(s, &ps.desc);
        return;
    }
    case OFPTYPE_DESC_STATS_REPLY: {
        struct ofp_desc_stats d;
        error = ofp_decode_desc_stats_reply(info, &d);
        if (!error) {
            ds_put_format(s, "\nManufacturer: %s\nHardware: %s\n"
                          "Software: %s\nSerial Num: %s\n"
                          "DP Description: %s\n", d.mfr_desc, d.hw_desc,
                          d.sw_desc, d.serial_num, d.dp_desc);
            return;
        }
        break;
    }
    case OFPTYPE_FLOW_STATS_REQUEST:
    case OFPTYPE_AGGREGATE_STATS_REQUEST:
    case OFPTYPE_NXST_FLOW_REQUEST:
    case OFPTYPE_NXST_AGGREGATE_REQUEST: {
        struct ofp_flow_stats_request r;
        error = ofp_decode_flow_stats_request(info, &r);
        if (!error) {
            if (r.table_id != OFPTT_ALL) {
                ds_put_format(s, " table=%"PRIu8, r.table_id);
            }
            ds_put_char(s, ' ');
            match_format(&r.match, OFP_DEFAULT_PRIORITY, s);
            ds_chomp(s, ' ');
            ds_put_char(s, '\n');
            return;
        }
        break;
    }
    case OFPTYPE_FLOW_STATS_REPLY:
    case OFPTYPE_NXST_FLOW_REPLY: {
        struct ofp_flow_stats *fs = NULL;
        size_t n = 0;
        error = ofp_decode_flow_stats_reply(info, &fs, &n);
        if (!error) {
            ds_put_char(s, '\n');
            for (size_t i = 0; i < n; i++) {
                ds_put_char(s, ' ');
                ofp_flow_stats_format(&fs[i], false, s);
                ds_put_char(s, '\n');
            }
        }
        ofp_flow_stats_free(fs, n);
        if (!error) {
            return;
        }
        break;
    }
    case OFPTYPE_AGGREGATE_STATS_REPLY:
    case OFPTYPE_NXST_AGGREGATE_REPLY: {
        struct ofp_aggregate_stats as;
        error = ofp_decode_aggregate_stats_reply(info, &as);
        if (!error) {
            ds_put_format(s, " packet_count=%"PRIu64" byte_count=%"PRIu64
                          " flow_count=%"PRIu32"\n", as.packet_count,
                          as.byte_count, as.flow_count);
            return;
        }
        break;
    }
    case OFPTYPE_TABLE_STATS_REPLY: {
        struct ofp_table_stats *ts = NULL;
        size_t n = 0;
        error = ofp_decode_table_stats_reply(info, &ts, &n);
        if (!error) {
            print_table_stats(s, ts, n, info->version == OFP10_VERSION);
        }
        free(ts);
        if (!error) {
            return;
        }
        break;
    }
    case OFPTYPE_PORT_STATS_REQUEST: {
        uint32_t port;
        error = ofp_decode_port_stats_request(info, &port);
        if (!error) {
            ds_put_cstr(s, " port_no=");
            ofp_port_format(port, s);
            ds_put_char(s, '\n');
            return;
        }
        break;
    }
    case OFPTYPE_PORT_STATS_REPLY:
        print_port_stats(s, info);
        return;
    case OFPTYPE_PORT_DESC_STATS_REPLY: {
        struct ofp_phy_port *ports = NULL;
        size_t n = 0;
        error = ofp_decode_port_desc_reply(info, &ports, &n);
        if (!error) {
            ds_put_char(s, '\n');
            for (size_t i = 0; i < n; i++) {
                print_phy_port(s, &ports[i]);
            }
        }
        free(ports);
        if (!error) {
            return;
        }
        break;
    }
    case OFPTYPE_TABLE_FEATURES_REPLY: {
        struct ofp_table_features *tf = NULL;
        size_t n = 0;
        error = ofp_decode_table_features_reply(info, &tf, &n);
        if (!error) {
            ds_put_char(s, '\n');
            ofp_table_features_format(s, tf, n, info->version, false);
        }
        free(tf);
        if (!error) {
            return;
        }
        break;
    }
    case OFPTYPE_GROUP_MOD:
    case OFPTYPE_GROUP_STATS_REQUEST:
    case OFPTYPE_GROUP_STATS_REPLY:
    case OFPTYPE_GROUP_DESC_STATS_REQUEST:
    case OFPTYPE_GROUP_DESC_STATS_REPLY:
    case OFPTYPE_GROUP_FEATURES_STATS_REQUEST:
    case OFPTYPE_GROUP_FEATURES_STATS_REPLY:
        ofp_group_print(s, info);
        return;
    case OFPTYPE_NXT_SET_FLOW_FORMAT:
    case OFPTYPE_NXT_FLOW_MOD_TABLE_ID:
    case OFPTYPE_NXT_SET_CONTROLLER_ID:
    case OFPTYPE_NXT_CT_FLUSH_ZONE:
    case OFPTYPE_NXT_SET_PACKET_IN_FORMAT:
        ofp_nx_print(s, info);
        return;
    case OFPTYPE_NXT_CT_FLUSH:
        ofp_ct_print_flush(info, s);
        return;
    case OFPTYPE_NXT_TLV_TABLE_MOD:
    case OFPTYPE_NXT_TLV_TABLE_REPLY:
        ofp_tlv_print(s, info);
        return;
    case OFPTYPE_NXST_FLOW_MONITOR_REQUEST:
    case OFPTYPE_NXST_FLOW_MONITOR_REPLY:
    case OFPTYPE_NXT_FLOW_MONITOR_CANCEL:
    case OFPTYPE_NXT_FLOW_MONITOR_PAUSED:
    case OFPTYPE_NXT_FLOW_MONITOR_RESUMED:
    case OFPTYPE_FLOW_MONITOR_REQUEST:
    case OFPTYPE_FLOW_MONITOR_REPLY:
        ofp_monitor_print(s, info);
        return;
    case OFPTYPE_METER_MOD:
    case OFPTYPE_METER_STATS_REQUEST:
    case OFPTYPE_METER_STATS_REPLY:
    case OFPTYPE_METER_CONFIG_STATS_REQUEST:
    case OFPTYPE_METER_CONFIG_STATS_REPLY:
    case OFPTYPE_METER_FEATURES_STATS_REQUEST:
    case OFPTYPE_METER_FEATURES_STATS_REPLY:
        ofp_meter_print(s, info);
        return;
    case OFPTYPE_TABLE_MOD:
    case OFPTYPE_TABLE_DESC_STATS_REPLY:
    case OFPTYPE_TABLE_STATUS:
        error = ofp_table_mod_print(s, info);
        break;
    case OFPTYPE_QUEUE_STATS_REQUEST:
    case OFPTYPE_QUEUE_STATS_REPLY:
    case OFPTYPE_QUEUE_GET_CONFIG_REQUEST:
    case OFPTYPE_QUEUE_GET_CONFIG_REPLY:
    case OFPTYPE_QUEUE_DESC_STATS_REQUEST:
    case OFPTYPE_QUEUE_DESC_STATS_REPLY:
        error = ofp_queue_msg_print(s, info);
        break;
    case OFPTYPE_ECHO_REQUEST:
    case OFPTYPE_ECHO_REPLY:
        ds_put_format(s, " %zu bytes of payload\n", info->body_len);
        print_hex_ascii(s, info->body, info->body_len);
        return;
    case OFPTYPE_FEATURES_REQUEST:
    case OFPTYPE_GET_CONFIG_REQUEST:
    case OFPTYPE_BARRIER_REQUEST:
    case OFPTYPE_NXT_TLV_TABLE_REQUEST:
    case OFPTYPE_BARRIER_REPLY:
    case OFPTYPE_DESC_STATS_REQUEST:
    case OFPTYPE_TABLE_STATS_REQUEST:
    case OFPTYPE_TABLE_FEATURES_REQUEST:
    case OFPTYPE_TABLE_DESC_STATS_REQUEST:
    case OFPTYPE_PORT_DESC_STATS_REQUEST:
    case OFPTYPE_NXST_IPFIX_BRIDGE_REQUEST:
    case OFPTYPE_NXST_IPFIX_FLOW_REQUEST:
    case OFPTYPE_GET_ASYNC_REQUEST:
    case OFPTYPE_BUNDLE_ADD_MESSAGE:
    case OFPTYPE_N_TYPES:
        break;
    case OFPTYPE_ROLE_REQUEST:
    case OFPTYPE_ROLE_REPLY:
    case OFPTYPE_ROLE_STATUS: {
        struct ofp_role_msg rm;
        error = ofp_decode_role(info, &rm);
        if (!error) {
            ds_put_format(s, " role=%s generation_id=%"PRIu64,
                          ofp_role_to_string(rm.role), rm.generation_id);
        }
        break;
    }
    case OFPTYPE_GET_ASYNC_REPLY:
    case OFPTYPE_SET_ASYNC:
    case OFPTYPE_NXT_SET_ASYNC_CONFIG:
    case OFPTYPE_NXT_SET_ASYNC_CONFIG2: {
        /* Printed from nothing on, as ovs-ofctl does. */
        struct ofp_async_config zero, ac;
        memset(&zero, 0, sizeof zero);
        error = ofp_decode_async_config(info, &zero, &ac);
        if (!error) {
            ofp_async_config_format(s, &ac, ofp_async_config_legacy(info));
        }
        break;
    }
    case OFPTYPE_BUNDLE_CONTROL: {
        struct ofp_bundle_ctrl_msg bc;
        error = ofp_decode_bundle_ctrl(info, &bc);
        if (!error) {
            ds_put_format(s, " bundle_id=%#"PRIx32" type=%"PRIu16
                          " flags=%#"PRIx16, bc.bundle_id, bc.type, bc.flags);
        }
        break;
    }
    }
    if (error) {
        print_decode_error(s, error);
    } else {
        ds_put_char(s, '\n');
    }
}

void
ofp_print(struct ds *s, const void *data, size_t len)
{
    struct ofp_msg_info info;
    enum ofperr error = ofpmsg_decode(&info, data, len);
    if (error) {
        ds_put_format(s, "***decode error: %s***\n", ofperr_get_name(error));
        return;
    }
    ds_put_cstr(s, ofptype_get_name(info.type, info.version));
    if (info.version != OFP10_VERSION) {
        ds_put_format(s, " (%s)", ofp_version_to_string(info.version));
    }
    ds_put_format(s, " (xid=0x%"PRIx32"):", info.xid);
    print_body(s, &info);
}

char *
ofp_to_string(const void *data, size_t len)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    ofp_print(&s, data, len);
    return ds_steal_cstr(&s);
}
