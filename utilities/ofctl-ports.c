/* ofctl-ports: xvs-ofctl's port and queue commands, and port names. */
#include <config.h>
#include "ofctl-ports.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ofctl-vconn.h"
#include "ofproto/ofp-msgs.h"
#include "ofproto/ofp-queue-msgs.h"
#include "ofp-names.h"
#include "ofp-port.h"
#include "util.h"

static struct ofp_phy_port *collected_ports;
static size_t n_collected_ports;

static void
collect_ports(const struct ofp_msg_info *info,
              const struct ofpbuf *b XVS_UNUSED)
{
    if (ofp_decode_port_desc_reply(info, &collected_ports,
                                   &n_collected_ports)) {
        xvs_fatal(0, "bad port description reply");
    }
}

static struct ofp_table_features *collected_tables;
static size_t n_collected_tables;

static void
collect_tables(const struct ofp_msg_info *info,
               const struct ofpbuf *b XVS_UNUSED)
{
    if (ofp_decode_table_features_reply(info, &collected_tables,
                                        &n_collected_tables)) {
        xvs_fatal(0, "bad table features reply");
    }
}

static struct ofp_table_stats *collected_table_stats;
static size_t n_collected_table_stats;

static void
collect_table_stats(const struct ofp_msg_info *info,
                    const struct ofpbuf *b XVS_UNUSED)
{
    if (ofp_decode_table_stats_reply(info, &collected_table_stats,
                                     &n_collected_table_stats)) {
        xvs_fatal(0, "bad table stats reply");
    }
}

/* Loads the port and table names of the switch 'aux' (its target string)
 * for ofp-names.h, over a connection of its own.  Tables are named in
 * OpenFlow 1.0 table stats and in 1.3+ table features. */
static void
load_names(const void *aux)
{
    const char *target = aux;
    struct vconn vc;
    vconn_open(&vc, target);
    dump_transaction(&vc, ofp_encode_empty(OFPTYPE_PORT_DESC_STATS_REQUEST,
                                           vc.version, ofpmsg_next_xid()),
                     collect_ports);
    for (size_t i = 0; i < n_collected_ports; i++) {
        ofp_names_add_port(collected_ports[i].name,
                           collected_ports[i].port_no);
    }
    free(collected_ports);
    collected_ports = NULL;
    n_collected_ports = 0;
    if (vc.version == OFP10_VERSION) {
        dump_transaction(&vc, ofp_encode_empty(OFPTYPE_TABLE_STATS_REQUEST,
                                               vc.version,
                                               ofpmsg_next_xid()),
                         collect_table_stats);
        for (size_t i = 0; i < n_collected_table_stats; i++) {
            ofp_names_add_table(collected_table_stats[i].name,
                                collected_table_stats[i].table_id);
        }
        free(collected_table_stats);
        collected_table_stats = NULL;
        n_collected_table_stats = 0;
    } else {
        dump_transaction(&vc, ofp_encode_empty(OFPTYPE_TABLE_FEATURES_REQUEST,
                                               vc.version,
                                               ofpmsg_next_xid()),
                         collect_tables);
        for (size_t i = 0; i < n_collected_tables; i++) {
            ofp_names_add_table(collected_tables[i].name,
                                collected_tables[i].table_id);
        }
        free(collected_tables);
        collected_tables = NULL;
        n_collected_tables = 0;
    }
    vconn_close(&vc);
}

void
ofctl_use_names(const char *target, bool display)
{
    ofp_names_set_loader(load_names, target);
    ofp_names_set_display(display);
}

/* The description of the port named or numbered 'name' on the switch
 * 'target' ('vc'). */
static void
fetch_port(struct vconn *vc, const char *target, const char *name,
           struct ofp_phy_port *pp)
{
    dump_transaction(vc, ofp_encode_empty(OFPTYPE_PORT_DESC_STATS_REQUEST,
                                          vc->version, ofpmsg_next_xid()),
                     collect_ports);
    uint32_t port_no;
    bool by_number = (isdigit((unsigned char) name[0])
                      && ofp_port_from_string(name, &port_no));
    bool found = false;
    for (size_t i = 0; i < n_collected_ports && !found; i++) {
        const struct ofp_phy_port *p = &collected_ports[i];
        if (by_number ? p->port_no == port_no : !strcmp(p->name, name)) {
            *pp = *p;
            found = true;
        }
    }
    free(collected_ports);
    collected_ports = NULL;
    n_collected_ports = 0;
    if (!found) {
        xvs_fatal(0, "%s: couldn't find port `%s'", target, name);
    }
}

/* mod-port ACTION: the config bit it sets or clears ("no-"/"no" prefixed
 * names do the opposite). */
void
ofctl_mod_port(int argc XVS_UNUSED, char *argv[])
{
    static const struct {
        const char *name;
        uint32_t bit;
        bool on;
    } actions[] = {
        { "up", OFPPC_PORT_DOWN, false },
        { "down", OFPPC_PORT_DOWN, true },
        { "stp", OFPPC_NO_STP, false },
        { "receive", OFPPC_NO_RECV, false },
        { "receive-stp", OFPPC_NO_RECV_STP, false },
        { "flood", OFPPC_NO_FLOOD, false },
        { "forward", OFPPC_NO_FWD, false },
        { "packet-in", OFPPC_NO_PACKET_IN, false },
    };
    const char *action = argv[3];
    bool negate = false;
    if (!strncasecmp(action, "no-", 3)) {
        action += 3;
        negate = true;
    } else if (!strncasecmp(action, "no", 2)) {
        action += 2;
        negate = true;
    }
    struct ofp_port_mod_msg pm = { .port_no = 0 };
    size_t i;
    for (i = 0; i < ARRAY_SIZE(actions); i++) {
        if (!strcasecmp(action, actions[i].name)) {
            pm.mask = actions[i].bit;
            pm.config = actions[i].on != negate ? actions[i].bit : 0;
            break;
        }
    }
    if (i == ARRAY_SIZE(actions)) {
        xvs_fatal(0, "unknown mod-port command '%s'", argv[3]);
    }
    /* Later versions have no STP or flood bits (their port mods leave
     * them alone, as ovs-ofctl's do): without -O, speak OpenFlow 1.0 for
     * them, which is what ovs-ofctl speaks by default. */
    if (!ofctl_versions_given
        && pm.mask & (OFPPC_NO_STP | OFPPC_NO_RECV_STP | OFPPC_NO_FLOOD)) {
        allowed_versions = 1u << OFP10_VERSION;
    }

    struct vconn vc;
    vconn_open(&vc, argv[1]);
    struct ofp_phy_port pp;
    fetch_port(&vc, argv[1], argv[2], &pp);
    pm.port_no = pp.port_no;
    pm.hw_addr = pp.hw_addr;
    struct ofpbuf *req = ofp_encode_port_mod(&pm, vc.version,
                                             ofpmsg_next_xid());
    transact_noreply(&vc, &req, 1);
    vconn_close(&vc);
}

/* A port argument: a number or keyword (ANY, LOCAL, ALL...), "" for any
 * port ('all_is_any': "all" too, as queue-stats has it), or a port name
 * looked up on the switch. */
static uint32_t
parse_port_arg(struct vconn *vc, const char *target, const char *arg,
               bool all_is_any)
{
    uint32_t port;
    if (!arg[0] || (all_is_any && !strcasecmp(arg, "all"))) {
        return OFPP_ANY;
    }
    if (ofp_port_from_string(arg, &port)) {
        return port;
    }
    struct ofp_phy_port pp;
    fetch_port(vc, target, arg, &pp);
    return pp.port_no;
}

static uint32_t
parse_queue_arg(const char *arg)
{
    long long id;
    if (!arg[0] || !strcasecmp(arg, "all")) {
        return OFPQ_ALL;
    }
    if (!str_to_llong(arg, 10, &id) || id < 0 || id >= OFPQ_ALL) {
        xvs_fatal(0, "%s: invalid queue id", arg);
    }
    return id;
}

/* Like dump_transaction() with print_reply, but an error reply is printed
 * on stdout like any other and is not a failure: ovs-ofctl's queue
 * commands do so. */
static void
dump_transaction_print_all(struct vconn *vc, struct ofpbuf *req)
{
    uint32_t xid = get_be32(req->data + 4);
    vconn_send(vc, req);
    for (;;) {
        struct ofpbuf *b = vconn_recv(vc);
        struct ofp_msg_info info;
        bool done = false;
        if (!ofpmsg_decode(&info, b->data, b->size) && info.xid == xid) {
            print_reply(&info, b);
            done = (info.type == OFPTYPE_ERROR
                    || !ofptype_is_multipart(info.type)
                    || !(info.mp_flags & OFPMPF_REPLY_MORE));
        }
        ofpbuf_delete(b);
        if (done) {
            return;
        }
    }
}

void
ofctl_queue_stats(int argc, char *argv[])
{
    struct vconn vc;
    vconn_open(&vc, argv[1]);
    struct ofp_queue_request r = {
        .port_no = argc > 2 ? parse_port_arg(&vc, argv[1], argv[2], true)
                            : OFPP_ANY,
        .queue_id = argc > 3 ? parse_queue_arg(argv[3]) : OFPQ_ALL,
    };
    dump_transaction_print_all(&vc, ofp_encode_queue_stats_request(
                                        &r, vc.version, ofpmsg_next_xid()));
    vconn_close(&vc);
}

void
ofctl_queue_get_config(int argc, char *argv[])
{
    struct vconn vc;
    vconn_open(&vc, argv[1]);
    struct ofp_queue_request r = {
        .port_no = argc > 2 ? parse_port_arg(&vc, argv[1], argv[2], false)
                            : OFPP_ANY,
        .queue_id = argc > 3 ? parse_queue_arg(argv[3]) : OFPQ_ALL,
    };
    if (r.port_no == OFPP_ANY && vc.version == OFP10_VERSION) {
        /* OpenFlow 1.0 asks one port at a time: ask each (but LOCAL). */
        dump_transaction(&vc,
                         ofp_encode_empty(OFPTYPE_PORT_DESC_STATS_REQUEST,
                                          vc.version, ofpmsg_next_xid()),
                         collect_ports);
        struct ofp_phy_port *ports = collected_ports;
        size_t n = n_collected_ports;
        collected_ports = NULL;
        n_collected_ports = 0;
        for (size_t i = 0; i < n; i++) {
            if (ports[i].port_no < OFPP_MAX) {
                r.port_no = ports[i].port_no;
                dump_transaction_print_all(&vc,
                                           ofp_encode_queue_config_request(
                                               &r, vc.version,
                                               ofpmsg_next_xid()));
            }
        }
        free(ports);
    } else {
        dump_transaction_print_all(&vc, ofp_encode_queue_config_request(
                                            &r, vc.version,
                                            ofpmsg_next_xid()));
    }
    vconn_close(&vc);
}

void
ofctl_dump_ports_desc(int argc XVS_UNUSED, char *argv[])
{
    dump_simple(argv[1], OFPTYPE_PORT_DESC_STATS_REQUEST);
}

void
ofctl_dump_ports(int argc, char *argv[])
{
    uint32_t port = OFPP_ANY;
    if (argc > 2 && !ofp_port_from_string(argv[2], &port)) {
        xvs_fatal(0, "%s: invalid port", argv[2]);
    }
    struct vconn vc;
    vconn_open(&vc, argv[1]);
    dump_transaction(&vc, ofp_encode_port_stats_request(port, vc.version,
                                                        ofpmsg_next_xid()),
                     print_reply);
    vconn_close(&vc);
}
