# datapath/libdatapath.a: datapaths, port types and the packet path.
noinst_LIBRARIES += datapath/libdatapath.a
datapath_libdatapath_a_SOURCES = \
	datapath/dpif.c datapath/dpif.h datapath/dpif-private.h \
	datapath/dp-pmd.c datapath/dp-pmd.h \
	datapath/conntrack.c datapath/conntrack.h \
	datapath/dp-key.c datapath/dp-key.h \
	datapath/dp-classifier.c datapath/dp-classifier.h \
	datapath/dp-emc.c datapath/dp-emc.h \
	datapath/dp-megaflow.c datapath/dp-megaflow.h \
	datapath/dp-flow-limit.c datapath/dp-flow-limit.h \
	datapath/dp-format.c datapath/dp-format.h \
	datapath/port-provider.h \
	datapath/netdev-linux.c \
	datapath/port-dummy.c \
	datapath/port-system.c \
	datapath/port-internal.c \
	datapath/port-afxdp.c \
	datapath/port-tunnel.c \
	datapath/tnl-header.c datapath/tnl-header.h \
	datapath/tnl-native.c datapath/tnl-native.h
