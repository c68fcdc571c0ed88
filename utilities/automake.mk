dist_bin_SCRIPTS += utilities/xvs-sandbox
EXTRA_DIST += utilities/xvs-dev.sh

bin_PROGRAMS += utilities/xvs-appctl
utilities_xvs_appctl_SOURCES = utilities/xvs-appctl.c
utilities_xvs_appctl_LDADD = lib/libxvs.a $(XVS_LIBS)

bin_PROGRAMS += utilities/xvs-vsctl
utilities_xvs_vsctl_SOURCES = \
	utilities/xvs-vsctl.c \
	utilities/vsctl-cmds.c utilities/vsctl-cmds.h \
	utilities/vsctl-dbcmds.c utilities/vsctl-dbcmds.h \
	utilities/vsctl-db.c utilities/vsctl-db.h
utilities_xvs_vsctl_LDADD = ovsdb-lite/libovsdb.a lib/libxvs.a $(XVS_LIBS)
dist_man_MANS += utilities/xvs-vsctl.8
dist_man_MANS += utilities/xvs-appctl.8

bin_PROGRAMS += utilities/xvs-ofctl
utilities_xvs_ofctl_SOURCES = utilities/xvs-ofctl.c \
	utilities/ofctl-bundle.c utilities/ofctl-bundle.h \
	utilities/ofctl-control.c utilities/ofctl-control.h \
	utilities/ofctl-flow-cmds.c utilities/ofctl-flow-cmds.h \
	utilities/ofctl-flows.c utilities/ofctl-flows.h \
	utilities/ofctl-groups.c utilities/ofctl-groups.h \
	utilities/ofctl-meters.c utilities/ofctl-meters.h \
	utilities/ofctl-monitor.c utilities/ofctl-monitor.h \
	utilities/ofctl-packet.c utilities/ofctl-packet.h \
	utilities/ofctl-parse.c utilities/ofctl-parse.h \
	utilities/ofctl-ports.c utilities/ofctl-ports.h \
	utilities/ofctl-tables.c utilities/ofctl-tables.h \
	utilities/ofctl-tlv.c utilities/ofctl-tlv.h \
	utilities/ofctl-vconn.c utilities/ofctl-vconn.h
utilities_xvs_ofctl_LDADD = ofproto/libofproto.a lib/libxvs.a $(XVS_LIBS)
dist_man_MANS += utilities/xvs-ofctl.8

# The forwarding benchmark (utilities/xvs-bench and its helpers).  Not
# installed: it runs the programs of a build tree (--builddir).
EXTRA_DIST += utilities/xvs-bench
noinst_PROGRAMS += utilities/bench/xvs-bench-gen utilities/bench/xvs-bench-xdp \
	utilities/bench/xvs-bench-fwd
BENCH_COMMON = utilities/bench/bench-xdp.c utilities/bench/bench-xdp.h \
	utilities/bench/bench-maps.h
utilities_bench_xvs_bench_gen_SOURCES = utilities/bench/xvs-bench-gen.c \
	$(BENCH_COMMON)
utilities_bench_xvs_bench_gen_LDADD = $(LIBBPF_LIBS)
utilities_bench_xvs_bench_xdp_SOURCES = utilities/bench/xvs-bench-xdp.c \
	$(BENCH_COMMON)
utilities_bench_xvs_bench_xdp_LDADD = $(LIBBPF_LIBS)
utilities_bench_xvs_bench_fwd_SOURCES = utilities/bench/xvs-bench-fwd.c \
	$(BENCH_COMMON)
utilities_bench_xvs_bench_fwd_LDADD = $(LIBXDP_LIBS) $(LIBBPF_LIBS)
noinst_DATA = utilities/bench/bench.bpf.o
EXTRA_DIST += utilities/bench/bench.bpf.c doc/benchmark.md
CLEANFILES += utilities/bench/bench.bpf.o
utilities/bench/bench.bpf.o: utilities/bench/bench.bpf.c \
		utilities/bench/bench-maps.h
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(CLANG) -O2 -g -Wall -Werror \
	  -target bpf $(BPF_CFLAGS) -c $(srcdir)/utilities/bench/bench.bpf.c -o $@

# The database benchmark (utilities/xvsdb-bench and its load generator).
EXTRA_DIST += utilities/xvsdb-bench doc/db-benchmark.md
noinst_PROGRAMS += utilities/bench/xvsdb-bench-client
utilities_bench_xvsdb_bench_client_SOURCES = \
	utilities/bench/xvsdb-bench-client.c
utilities_bench_xvsdb_bench_client_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/ovsdb-lite
utilities_bench_xvsdb_bench_client_LDADD = ovsdb-lite/libovsdb.a \
	lib/libxvs.a $(XVS_LIBS)
