
# The Open_vSwitch database schema (owned by ovsdb-lite, used by vswitchd).
dist_pkgdata_DATA += vswitchd/vswitch.ovsschema

# xvs-vswitchd: the switch daemon (engineer ofproto).
sbin_PROGRAMS += vswitchd/xvs-vswitchd
vswitchd_xvs_vswitchd_SOURCES = \
	vswitchd/xvs-vswitchd.c \
	vswitchd/bridge.c vswitchd/bridge.h
vswitchd_xvs_vswitchd_LDADD = ofproto/libofproto.a ovsdb-lite/libovsdb.a \
	datapath/libdatapath.a lib/libxvs.a $(XVS_LIBS)
dist_man_MANS += vswitchd/xvs-vswitchd.8
