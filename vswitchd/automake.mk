
# The Open_vSwitch database schema (owned by ovsdb-lite, used by vswitchd).
dist_pkgdata_DATA += vswitchd/vswitch.ovsschema
