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
	datapath/port-tunnel-private.h \
	datapath/port-tunnel-xdp.c \
	datapath/tnl-header.c datapath/tnl-header.h \
	datapath/tnl-native.c datapath/tnl-native.h \
	datapath/dp-xdp.c datapath/dp-xdp.h datapath/dp-xdp-maps.h
nodist_datapath_libdatapath_a_SOURCES = datapath/dp-xdp-obj.c

# The in-kernel fast path (dp-xdp.h): compiled for the BPF target and
# built into the daemon as a byte array, so it needs no installed file.
EXTRA_DIST += datapath/dp-xdp.bpf.c
BUILT_SOURCES += datapath/dp-xdp-obj.c
CLEANFILES += datapath/dp-xdp.bpf.o datapath/dp-xdp-obj.c
datapath/dp-xdp.bpf.o: datapath/dp-xdp.bpf.c datapath/dp-xdp-maps.h \
		lib/hash-mix.h
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(CLANG) -O2 -g -Wall -Werror \
	  -target bpf $(BPF_CFLAGS) -I$(srcdir)/datapath -I$(srcdir)/lib \
	  -c $(srcdir)/datapath/dp-xdp.bpf.c -o $@
datapath/dp-xdp-obj.c: datapath/dp-xdp.bpf.o
	$(AM_V_GEN){ echo '/* Generated from dp-xdp.bpf.c: do not edit. */'; \
	  echo '#include <stddef.h>'; \
	  echo 'extern const unsigned char dp_xdp_obj[];'; \
	  echo 'extern const size_t dp_xdp_obj_size;'; \
	  echo 'const unsigned char dp_xdp_obj[] = {'; \
	  od -An -v -tx1 datapath/dp-xdp.bpf.o \
	    | sed -e 's/\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	  echo '};'; \
	  echo 'const size_t dp_xdp_obj_size = sizeof dp_xdp_obj;'; \
	} > $@.tmp && mv $@.tmp $@
