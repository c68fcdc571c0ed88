/* ofproto-private: the insides of 'struct ofproto', shared by the files
 * that make up the switch (ofproto.c, xlate.c, trace.c, of-handler*.c,
 * connmgr.c) and by nothing else.  bridge.c and the rest of the program
 * use ofproto.h only. */
#ifndef XVS_OFPROTO_PRIVATE_H
#define XVS_OFPROTO_PRIVATE_H 1

#include <stdbool.h>
#include <stdint.h>
#include "flow-table.h"
#include "group-table.h"
#include "hmap.h"
#include "list.h"
#include "meter-table.h"
#include "ofproto.h"
#include "packets.h"
#include "tlv-map.h"

struct connmgr;
struct flow_monitors;
struct ofconn;
struct dp;
struct event;
struct mac_learning;
struct xlate_out;

/* An OpenFlow port. */
struct ofport {
    struct xvs_list node;       /* In ofproto 'ports', by 'ofp_port'. */
    uint32_t ofp_port;          /* OpenFlow number (OFPP_LOCAL for local). */
    uint32_t dp_port;           /* Datapath number. */
    char *name;
    struct eth_addr hw_addr;
    /* OFPPC_* bits PORT_MOD set: PORT_DOWN and NO_RECV drop what arrives,
     * PORT_DOWN and NO_FWD what would leave, NO_FLOOD keeps the port out
     * of FLOOD, NO_PACKET_IN stops packet-ins for packets from it.  The
     * datapath port itself stays up; PORT_DOWN is the OpenFlow view. */
    uint32_t config;
    bool tunnel;                /* Outputs carry a set-tunnel action. */
    bool internal;              /* May pop tunnel packets for the host. */

    /* VLAN role for NORMAL (the Port's 'tag' and 'trunks' columns). */
    int tag;                    /* Access VLAN, or -1 for a trunk port. */
    uint8_t *trunks;            /* Bitmap of trunked VIDs, NULL for all. */
};

/* True if NORMAL may send VLAN 'vid' (0: untagged) out of 'port'. */
bool ofport_carries_vlan(const struct ofport *, uint16_t vid);

struct ofproto {
    struct hmap_node node;      /* In all_ofprotos, by name. */
    char *name;
    struct uuid uuid;           /* Drawn at creation: names this bridge in
                                 * continuations (continuation.h). */
    uint64_t datapath_id;
    struct dp *dp;
    struct flow_table ft;
    struct group_table groups;
    struct meter_table meters;
    struct tlv_map tlv_map;     /* Geneve options -> tun_metadataN. */
    struct mac_learning *ml;
    struct xvs_list ports;      /* 'struct ofport's, ascending numbers. */
    enum ofproto_fail_mode fail_mode;
    bool failing_open;          /* As last logged by ofproto_run(). */
    uint32_t ports_liveness;    /* Which ports were live, hashed, as last
                                 * seen by ofproto_run(). */
    uint64_t tnl_terminations_seq;  /* dp_tunnel_terminations_seq(), as
                                     * last seen by ofproto_run(). */
    struct connmgr *connmgr;
    struct flow_monitors *monitors;     /* flow-monitor.h. */
    /* The connection whose request is being handled, and its xid, so that
     * flow monitors can tell a connection about its own changes. */
    const struct ofconn *origin;
    uint32_t origin_xid;
    struct event *expire_timer; /* Rule timeouts. */
    struct event *sweep_timer;  /* The datapath's flow cache (dp_run()). */
    struct xlate_out *reval_xout;   /* Revalidation's scratch space. */

    /* Switch configuration (OFPT_SET_CONFIG). */
    uint16_t frag_flags;
    uint16_t miss_send_len;

    /* Packets the sample action picked (nx-observe.h: counted only, there
     * is no IPFIX exporter). */
    uint64_t n_sampled;
};

struct ofport *ofproto_get_port(const struct ofproto *, uint32_t ofp_port);

static inline const struct uuid *
ofproto_uuid(const struct ofproto *p)
{
    return &p->uuid;
}
struct ofport *ofproto_get_port_by_dp(const struct ofproto *,
                                      uint32_t dp_port);

/* True if 'ofp_port' exists and is up (fast-failover and select group
 * liveness). */
bool ofproto_port_is_live(const struct ofproto *, uint32_t ofp_port);

/* PORT_MOD: checks that the port exists and has 'pm->hw_addr', applies
 * the config bits and tells controllers with a PORT_STATUS if they
 * changed.  Returns 0 or an OFPERR. */
struct ofp_port_mod_msg;
/* Only the checks of ofproto_port_mod(), for bundles: a port_mod that
 * passes them cannot fail. */
enum ofperr ofproto_port_mod_check(struct ofproto *,
                                   const struct ofp_port_mod_msg *);
enum ofperr ofproto_port_mod(struct ofproto *,
                             const struct ofp_port_mod_msg *);

/* Fills an OpenFlow port description of 'port'. */
struct ofp_phy_port;
void ofproto_port_to_phy_port(const struct ofproto *, const struct ofport *,
                              struct ofp_phy_port *);

/* True if packets should bypass the tables and take NORMAL: standalone
 * mode and the primary controllers have failed (connmgr.h). */
bool ofproto_fail_open(const struct ofproto *);

/* Applies the 'n' flow_mods 'fms' in order, all or nothing: the one way
 * flow_mods reach the tables (controllers, bundles, ofproto_add_flow()),
 * so that every rule they remove (deletes, evictions) is reported with
 * FLOW_REMOVED.  Returns 0, or the first error with '*failed' (if
 * non-NULL) its index; then the tables are as before. */
enum ofperr ofproto_flow_mods_commit(struct ofproto *,
                                     const struct ft_flow_mod *fms, size_t n,
                                     size_t *failed);
/* One flow_mod: ofproto_flow_mods_commit() of one. */
enum ofperr ofproto_flow_mod(struct ofproto *, const struct ft_flow_mod *);
/* Sends FLOW_REMOVED for the rules removed from the tables since the last
 * call (they leave by ofproto's calls, and by group deletion), and flow
 * monitor updates for every change. */
void ofproto_report_removed(struct ofproto *);

/* One table's OpenFlow 1.4 description (eviction, vacancy events). */
struct ofp_table_desc;
void ofproto_table_desc(const struct ofproto *, uint8_t table_id,
                        struct ofp_table_desc *);
/* Applies a TABLE_MOD received in 'version' (nothing changes before
 * OpenFlow 1.4).
 * Vacancy events then go out from ofproto_report_removed() when a change
 * of the tables crosses a threshold. */
struct ofp_table_mod;
enum ofperr ofproto_table_mod(struct ofproto *, const struct ofp_table_mod *,
                              uint8_t version);

/* Runs the 'len'-byte frame through 'ofpacts' as if received on
 * 'in_port' (PACKET_OUT).  Returns 0 or an OFPERR. */
struct ofpacts;
enum ofperr ofproto_packet_out(struct ofproto *, const void *data,
                               size_t len, uint32_t in_port,
                               const struct ofpacts *);
/* The same in two steps, for bundles: the translation against 'ft',
 * 'groups' and 'meters' (NULL: the bridge's) where the PACKET_OUT stands
 * in the bundle, and, once the commit succeeded, the execution, which
 * frees 'xout' (xlate_out_uninit() and free() it instead if the commit
 * failed). */
struct xlate_out;
struct xlate_out *ofproto_packet_out_xlate(struct ofproto *, const void *data,
                                           size_t len, uint32_t in_port,
                                           const struct ofpacts *,
                                           struct flow_table *,
                                           struct group_table *,
                                           struct meter_table *);
enum ofperr ofproto_packet_out_execute(struct ofproto *, struct xlate_out *,
                                       const void *data, size_t len,
                                       uint32_t in_port);

/* NXT_RESUME: runs the rest of the translation frozen in 'pin's
 * continuation on 'pin's packet and metadata.  Returns 0, a decoding
 * error, or NXR_STALE for a continuation of another bridge. */
struct ofp_packet_in_msg;
enum ofperr ofproto_resume(struct ofproto *, const struct ofp_packet_in_msg *,
                           uint8_t version);

#endif
