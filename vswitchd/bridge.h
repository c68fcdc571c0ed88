/* bridge: the Open_vSwitch database turned into running switches.
 *
 * Why: the database says what should exist (bridges, their ports and
 * interfaces, controllers, fail modes); ofproto and the datapath make it
 * exist.  bridge.c is the only place that knows both.  On every change of
 * the replica (ovsdb-lite/idl.h) it reconciles: creates and destroys
 * ofprotos, adds and removes datapath ports (keeping what did not change),
 * applies controllers (every Controller column that ofproto.h's struct
 * ofproto_controller holds), fail_mode, protocols, the SSL files (the
 * SSL row, else the command line) and the Flow_Table rows of
 * Bridge.flow_tables (table name, flow_limit, overflow_policy, groups;
 * not yet prefixes), and then writes back what clients wait for:
 * Interface ofport/error/admin_state/link_state/mac_in_use/mtu,
 * Bridge datapath_id, Controller is_connected/role/status, the
 * Open_vSwitch row's ovs_version/iface_types/datapath_types, and finally
 * cur_cfg = next_cfg so "xvs-vsctl" (and "ovs-vsctl") stop waiting.
 * Interface statistics, and the controllers' sec_since_connect and
 * sec_since_disconnect ages, are refreshed every BRIDGE_STATS_INTERVAL ms.
 *
 * Writes only carry values that differ from the replica, so the monitor
 * update they cause settles instead of looping; one transaction is in
 * flight at a time and a change seen meanwhile triggers another pass. */
#ifndef XVS_BRIDGE_H
#define XVS_BRIDGE_H 1

#include <stdbool.h>

#define BRIDGE_STATS_INTERVAL 5000

/* How "internal" and other port types map to the datapath.  Any dummy
 * mode also registers "time/warp" for tests (ofproto.h). */
enum bridge_dummy_mode {
    BRIDGE_DUMMY_NONE,          /* As configured. */
    BRIDGE_DUMMY_INTERNAL,      /* "internal" ports become "dummy" (tests:
                                 * no TAP devices in the host namespace). */
    BRIDGE_DUMMY_OVERRIDE,      /* Every port becomes "dummy". */
};

/* Connects to the database at 'remote' ("unix:PATH") and starts
 * reconciling on evloop. */
void bridge_init(const char *remote, enum bridge_dummy_mode);
/* SSL files from the command line (NULL leaves one as it is), used while
 * the Open_vSwitch row has no 'ssl'.  Call before bridge_init(). */
void bridge_set_ssl_files(const char *private_key, const char *certificate,
                          const char *ca_cert);
/* --bootstrap-ca-cert: the command line's CA file is fetched from the
 * first SSL peer if it does not exist. */
void bridge_set_ssl_bootstrap(bool bootstrap);
void bridge_exit(void);

#endif
