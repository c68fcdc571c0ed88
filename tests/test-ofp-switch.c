/* test-ofp-switch: a minimal OpenFlow switch over the codec, so that
 * xvs-ofctl's network commands can be tested without the daemon.
 *
 *   test-ofp-switch unix:PATH|ptcp:... [PIDFILE]
 *
 * Serves up to 15 connections at once: negotiates the version, answers
 * features, config, port descriptions and statistics, table features,
 * barriers and echo, keeps flows in a list for flow_mod and flow stats,
 * and answers anything else with an OFPT_ERROR.  It exits after 30 s
 * without a connection or message, so a forgotten instance cannot
 * linger. */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "meta-flow.h"
#include "ofproto/ofp-msgs.h"
#include "stream.h"
#include "util.h"

#define N_TABLES 4

struct flow_entry {
    struct match match;
    uint16_t priority;
    uint8_t table_id;
    uint64_t cookie;
    uint16_t idle_timeout, hard_timeout;
    struct ofpacts ofpacts;
};

static struct flow_entry *flows;
static size_t n_flows;

static const struct ofp_phy_port ports[] = {
    { .port_no = 1, .hw_addr = { { 0xaa, 0x55, 0xaa, 0x55, 0x00, 0x01 } },
      .name = "p1", .curr = OFPPF_10GB_FD | OFPPF_COPPER,
      .curr_speed = 10000000, .state = OFPPS_LIVE },
    { .port_no = OFPP_LOCAL,
      .hw_addr = { { 0xaa, 0x55, 0xaa, 0x55, 0x00, 0xff } },
      .name = "br0", .config = OFPPC_PORT_DOWN, .state = OFPPS_LINK_DOWN },
};

static bool
send_msg(int fd, struct ofpbuf *b)
{
    bool ok = b && write(fd, b->data, b->size) == (ssize_t) b->size;
    ofpbuf_delete(b);
    return ok;
}

static bool
read_all(int fd, uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r <= 0) {
            return false;
        }
        p += r;
        n -= r;
    }
    return true;
}

/* Whether 'e' is selected by a flow_mod / stats filter. */
static bool
selected(const struct flow_entry *e, const struct match *m, uint8_t table,
         uint64_t cookie, uint64_t cookie_mask, bool strict,
         uint16_t priority, uint32_t out_port)
{
    if ((table != OFPTT_ALL && e->table_id != table)
        || (e->cookie & cookie_mask) != (cookie & cookie_mask)
        || (out_port != OFPP_ANY
            && !ofpacts_output_to_port(&e->ofpacts, out_port))) {
        return false;
    }
    return strict ? match_equal(&e->match, m) && e->priority == priority
                  : match_is_subset(&e->match, m);
}

static void
remove_flow(size_t i)
{
    ofpacts_uninit(&flows[i].ofpacts);
    flows[i] = flows[--n_flows];
}

static enum ofperr
handle_flow_mod(const struct ofp_msg_info *info)
{
    struct ofp_flow_mod_msg fm;
    enum ofperr error = ofp_decode_flow_mod(info, &fm);
    if (!error && fm.table_id != OFPTT_ALL && fm.table_id >= N_TABLES) {
        error = OFPERR_OFPFMFC_BAD_TABLE_ID;
    }
    if (!error) {
        error = ofpacts_check(&fm.ofpacts, &fm.match,
                              fm.table_id == OFPTT_ALL ? 0 : fm.table_id,
                              N_TABLES, 100);
    }
    if (error) {
        ofp_flow_mod_uninit(&fm);
        return error;
    }
    bool strict = (fm.command == OFPFC_MODIFY_STRICT
                   || fm.command == OFPFC_DELETE_STRICT);
    switch (fm.command) {
    case OFPFC_ADD:
        for (size_t i = 0; i < n_flows; i++) {
            if (selected(&flows[i], &fm.match, fm.table_id, 0, 0, true,
                         fm.priority, OFPP_ANY)) {
                remove_flow(i);
                break;
            }
        }
        flows = xrealloc(flows, (n_flows + 1) * sizeof *flows);
        flows[n_flows++] = (struct flow_entry) {
            .match = fm.match, .priority = fm.priority,
            .table_id = fm.table_id, .cookie = fm.new_cookie,
            .idle_timeout = fm.idle_timeout,
            .hard_timeout = fm.hard_timeout, .ofpacts = fm.ofpacts,
        };
        return 0;
    case OFPFC_MODIFY:
    case OFPFC_MODIFY_STRICT:
        for (size_t i = 0; i < n_flows; i++) {
            if (selected(&flows[i], &fm.match, fm.table_id, fm.cookie,
                         fm.cookie_mask, strict, fm.priority, OFPP_ANY)) {
                ofpacts_uninit(&flows[i].ofpacts);
                ofpacts_clone(&flows[i].ofpacts, &fm.ofpacts);
            }
        }
        break;
    case OFPFC_DELETE:
    case OFPFC_DELETE_STRICT:
        for (size_t i = 0; i < n_flows;) {
            if (selected(&flows[i], &fm.match, fm.table_id, fm.cookie,
                         fm.cookie_mask, strict, fm.priority, fm.out_port)) {
                remove_flow(i);
            } else {
                i++;
            }
        }
        break;
    }
    ofp_flow_mod_uninit(&fm);
    return 0;
}

static void
send_vec(int fd, struct ofpbuf_vec *v)
{
    for (size_t i = 0; i < v->n; i++) {
        send_msg(fd, v->msgs[i]);
    }
    free(v->msgs);
}

/* Answers one message; false to drop the connection. */
static bool
handle(int fd, const struct ofp_msg_info *info)
{
    struct ofpbuf_vec vec = { NULL, 0 };
    enum ofperr error = 0;

    switch (info->type) {
    case OFPTYPE_ECHO_REQUEST:
        return send_msg(fd, ofp_encode_echo_reply(info));
    case OFPTYPE_FEATURES_REQUEST: {
        struct ofp_switch_features f = {
            .datapath_id = 0xaa55aa55, .n_tables = N_TABLES,
            .capabilities = OFPC_FLOW_STATS | OFPC_TABLE_STATS
                            | OFPC_PORT_STATS,
            .ports = (struct ofp_phy_port *) ports,
            .n_ports = ARRAY_SIZE(ports),
        };
        return send_msg(fd, ofp_encode_features_reply(&f, info));
    }
    case OFPTYPE_GET_CONFIG_REQUEST: {
        struct ofp_switch_config c = { 0, 128 };
        return send_msg(fd, ofp_encode_switch_config(
                            OFPTYPE_GET_CONFIG_REPLY, info->version,
                            info->xid, &c));
    }
    case OFPTYPE_PORT_DESC_STATS_REQUEST:
        return send_msg(fd, ofp_encode_port_desc_reply(
                            ports, ARRAY_SIZE(ports), info));
    case OFPTYPE_PORT_STATS_REQUEST: {
        struct ofp_port_stats ps[2];
        uint32_t port;
        memset(ps, 0, sizeof ps);
        ps[0].port_no = 1;
        ps[0].rx_packets = 5;
        ps[0].rx_bytes = 300;
        ps[1].port_no = OFPP_LOCAL;
        error = ofp_decode_port_stats_request(info, &port);
        if (!error) {
            ofp_encode_port_stats_reply(port == OFPP_LOCAL ? &ps[1] : ps,
                                        port == OFPP_ANY ? 2 : 1, info,
                                        &vec);
            send_vec(fd, &vec);
            return true;
        }
        break;
    }
    case OFPTYPE_TABLE_FEATURES_REQUEST:
        error = ofp_decode_table_features_request(info);
        if (!error) {
            struct ofp_table_features tf[N_TABLES];
            memset(tf, 0, sizeof tf);
            for (int i = 0; i < N_TABLES; i++) {
                tf[i].table_id = i;
                tf[i].max_entries = 1000;
                snprintf(tf[i].name, sizeof tf[i].name, "table%d", i);
                ofp_table_features_set_supported(&tf[i], N_TABLES,
                                                 info->version);
            }
            ofp_encode_table_features_reply(tf, N_TABLES, info, &vec);
            send_vec(fd, &vec);
            return true;
        }
        break;
    case OFPTYPE_DESC_STATS_REQUEST: {
        struct ofp_desc_stats d;
        memset(&d, 0, sizeof d);
        snprintf(d.mfr_desc, sizeof d.mfr_desc, "xvswitch");
        snprintf(d.hw_desc, sizeof d.hw_desc, "test switch");
        snprintf(d.sw_desc, sizeof d.sw_desc, "test-ofp-switch");
        snprintf(d.serial_num, sizeof d.serial_num, "None");
        snprintf(d.dp_desc, sizeof d.dp_desc, "br0");
        return send_msg(fd, ofp_encode_desc_stats_reply(&d, info));
    }
    case OFPTYPE_TABLE_STATS_REQUEST: {
        struct ofp_table_stats ts[N_TABLES];
        memset(ts, 0, sizeof ts);
        for (int i = 0; i < N_TABLES; i++) {
            ts[i].table_id = i;
            ts[i].max_entries = 1000;
            snprintf(ts[i].name, sizeof ts[i].name, "table%d", i);
            for (size_t j = 0; j < n_flows; j++) {
                ts[i].active_count += flows[j].table_id == i;
            }
        }
        return send_msg(fd, ofp_encode_table_stats_reply(ts, N_TABLES,
                                                         info));
    }
    case OFPTYPE_BARRIER_REQUEST:
        return send_msg(fd, ofp_encode_empty(OFPTYPE_BARRIER_REPLY,
                                             info->version, info->xid));
    case OFPTYPE_FLOW_MOD:
        error = handle_flow_mod(info);
        break;
    case OFPTYPE_FLOW_STATS_REQUEST:
    case OFPTYPE_AGGREGATE_STATS_REQUEST:
    case OFPTYPE_NXST_FLOW_REQUEST:
    case OFPTYPE_NXST_AGGREGATE_REQUEST: {
        struct ofp_flow_stats_request r;
        error = ofp_decode_flow_stats_request(info, &r);
        if (error) {
            break;
        }
        struct ofp_flow_stats *fs = xcalloc(n_flows + 1, sizeof *fs);
        size_t n = 0;
        for (size_t i = 0; i < n_flows; i++) {
            const struct flow_entry *e = &flows[i];
            if (selected(e, &r.match, r.table_id, r.cookie, r.cookie_mask,
                         false, 0, r.out_port)) {
                fs[n++] = (struct ofp_flow_stats) {
                    .match = e->match, .table_id = e->table_id,
                    .priority = e->priority, .cookie = e->cookie,
                    .idle_timeout = e->idle_timeout,
                    .hard_timeout = e->hard_timeout,
                    .duration_sec = 1, .duration_nsec = 234000000,
                    .ofpacts = e->ofpacts,
                };
            }
        }
        if (r.aggregate) {
            struct ofp_aggregate_stats as = { 0, 0, n };
            send_msg(fd, ofp_encode_aggregate_stats_reply(&as, info));
        } else {
            ofp_encode_flow_stats_reply(fs, n, info, &vec);
            send_vec(fd, &vec);
        }
        free(fs);
        return true;
    }
    case OFPTYPE_PACKET_OUT: {
        struct ofp_packet_out_msg po;
        error = ofp_decode_packet_out(info, &po);
        if (!error) {
            error = ofpacts_check(&po.ofpacts, NULL, 0, N_TABLES, 100);
            ofp_packet_out_uninit(&po);
        }
        break;
    }
    default:
        error = OFPERR_OFPBRC_BAD_TYPE;
        break;
    }
    if (error) {
        return send_msg(fd, ofp_encode_error(error, info->version, info->xid,
                                             info->msg, info->length));
    }
    return true;
}

/* Reads and answers one message on 'fd'; false when the peer is gone.
 * '*version' is the connection's negotiated version (0 before HELLO). */
static bool
serve_one(int fd, uint8_t *version)
{
    uint8_t header[OFP_HEADER_LEN];
    if (!read_all(fd, header, sizeof header)) {
        return false;
    }
    size_t len = get_be16(header + 2);
    if (len < OFP_HEADER_LEN) {
        return false;
    }
    uint8_t *msg = xmalloc(len);
    memcpy(msg, header, sizeof header);
    if (!read_all(fd, msg + OFP_HEADER_LEN, len - OFP_HEADER_LEN)) {
        free(msg);
        return false;
    }
    struct ofp_msg_info info;
    enum ofperr error = ofpmsg_decode(&info, msg, len);
    bool keep = true;
    if (!error && info.type == OFPTYPE_HELLO) {
        uint32_t theirs;
        error = ofp_decode_hello(&info, &theirs);
        *version = ofp_negotiate_version(OFP_SUPPORTED_VERSIONS, theirs);
        if (!error && !*version) {
            error = OFPERR_OFPHFC_INCOMPATIBLE;
        }
    } else if (!error && info.version != *version) {
        error = OFPERR_OFPBRC_BAD_VERSION;
    } else if (!error) {
        keep = handle(fd, &info);
    }
    if (error) {
        keep = send_msg(fd, ofp_encode_error(error, *version ? *version
                                             : OFP13_VERSION,
                                             info.xid, msg, len));
    }
    free(msg);
    return keep;
}

int
main(int argc, char *argv[])
{
    xvs_set_program_name(argv[0]);
    signal(SIGPIPE, SIG_IGN);
    if (argc < 2) {
        xvs_fatal(0, "usage: %s punix:PATH [PIDFILE]", argv[0]);
    }
    int listener = stream_open_passive(argv[1], NULL);
    if (listener < 0) {
        xvs_fatal(-listener, "%s: listen failed", argv[1]);
    }
    if (argc > 2) {
        FILE *f = fopen(argv[2], "w");
        if (!f) {
            xvs_fatal(errno, "%s: create failed", argv[2]);
        }
        fprintf(f, "%ld\n", (long) getpid());
        fclose(f);
    }
    /* pfds[0] is the listener; the rest are connections. */
    struct pollfd pfds[16];
    uint8_t versions[16];
    size_t n = 1;
    pfds[0] = (struct pollfd) { .fd = listener, .events = POLLIN };
    for (;;) {
        int r = poll(pfds, n, 30000);
        if (r == 0 && n == 1) {
            break;
        }
        if (r < 0 && errno != EINTR) {
            xvs_fatal(errno, "poll failed");
        }
        for (size_t i = n; i-- > 1;) {
            if (pfds[i].revents
                && !serve_one(pfds[i].fd, &versions[i])) {
                close(pfds[i].fd);
                pfds[i] = pfds[n - 1];
                versions[i] = versions[n - 1];
                n--;
            }
        }
        if (pfds[0].revents & POLLIN && n < ARRAY_SIZE(pfds)) {
            int fd = accept(listener, NULL, NULL);
            if (fd >= 0) {
                pfds[n] = (struct pollfd) { .fd = fd, .events = POLLIN };
                versions[n++] = 0;
                send_msg(fd, ofp_encode_hello(OFP_SUPPORTED_VERSIONS));
            }
        }
    }
    for (size_t i = 0; i < n_flows; i++) {
        ofpacts_uninit(&flows[i].ofpacts);
    }
    free(flows);
    return 0;
}
