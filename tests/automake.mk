# GNU autotest suite, as Open vSwitch runs its own.  Each area adds its .at
# file to TESTSUITE_AT and an m4_include to tests/testsuite.at.
TESTSUITE_AT = \
	tests/testsuite.at \
	tests/xvs-macros.at \
	tests/system-macros.at \
	tests/system.at \
	tests/perf.at
TESTSUITE = $(srcdir)/tests/testsuite
AUTOTEST_PATH = utilities:utilities/bench:vswitchd:ovsdb-lite:tests
EXTRA_DIST += $(TESTSUITE_AT) $(TESTSUITE) tests/atlocal.in tests/package.m4
DISTCLEANFILES = tests/atconfig tests/atlocal

$(srcdir)/tests/package.m4: $(top_srcdir)/configure.ac
	$(AM_V_GEN){ \
	  echo 'm4_define([AT_PACKAGE_NAME], [$(PACKAGE_NAME)])'; \
	  echo 'm4_define([AT_PACKAGE_TARNAME], [$(PACKAGE_TARNAME)])'; \
	  echo 'm4_define([AT_PACKAGE_VERSION], [$(PACKAGE_VERSION)])'; \
	  echo 'm4_define([AT_PACKAGE_STRING], [$(PACKAGE_STRING)])'; \
	  echo 'm4_define([AT_PACKAGE_BUGREPORT], [$(PACKAGE_BUGREPORT)])'; \
	} > $@.tmp && mv $@.tmp $@

AUTOM4TE = autom4te
AUTOTEST = $(AUTOM4TE) -l autotest
$(TESTSUITE): $(TESTSUITE_AT) $(srcdir)/tests/package.m4
	$(AM_V_GEN)$(AUTOTEST) -I $(srcdir) -I $(srcdir)/tests -o $@.tmp $@.at && mv $@.tmp $@

check-local: tests/atconfig tests/atlocal $(TESTSUITE) $(check_PROGRAMS)
	$(SHELL) '$(TESTSUITE)' -C tests AUTOTEST_PATH='$(AUTOTEST_PATH)' $(TESTSUITEFLAGS)

clean-local:
	test ! -f '$(TESTSUITE)' || $(SHELL) '$(TESTSUITE)' -C tests --clean

# lib/ core: unit tests and a daemon built only from lib/.
TESTSUITE_AT += tests/library.at
check_PROGRAMS += tests/test-lib tests/test-daemon tests/test-jsonrpc
tests_test_jsonrpc_SOURCES = tests/test-jsonrpc.c
tests_test_jsonrpc_LDADD = lib/libxvs.a $(XVS_LIBS)
tests_test_lib_SOURCES = tests/test-lib.c
tests_test_lib_LDADD = lib/libxvs.a $(XVS_LIBS)
tests_test_daemon_SOURCES = tests/test-daemon.c
tests_test_daemon_LDADD = lib/libxvs.a $(XVS_LIBS)

# Datapath: flow extraction and packet path (engineer datapath).
TESTSUITE_AT += tests/datapath.at
check_PROGRAMS += tests/test-flow-extract tests/test-dp-forward tests/test-dpif
tests_test_dpif_SOURCES = tests/test-dpif.c
tests_test_dpif_LDADD = datapath/libdatapath.a lib/libxvs.a $(XVS_LIBS)
check_PROGRAMS += tests/test-dp-pmd
tests_test_dp_pmd_SOURCES = tests/test-dp-pmd.c
tests_test_dp_pmd_LDADD = datapath/libdatapath.a lib/libxvs.a $(XVS_LIBS)
check_PROGRAMS += tests/test-tnl-header
tests_test_tnl_header_SOURCES = tests/test-tnl-header.c
tests_test_tnl_header_LDADD = datapath/libdatapath.a lib/libxvs.a $(XVS_LIBS)
tests_test_flow_extract_SOURCES = tests/test-flow-extract.c
tests_test_flow_extract_LDADD = lib/libxvs.a $(XVS_LIBS)
tests_test_dp_forward_SOURCES = tests/test-dp-forward.c
tests_test_dp_forward_LDADD = datapath/libdatapath.a lib/libxvs.a $(XVS_LIBS)
# The fast path's data structures: datapath key, megaflow classifier,
# exact-match cache; and their micro-benchmark (built, not run by check).
TESTSUITE_AT += tests/dpcls.at
check_PROGRAMS += tests/test-dpcls
tests_test_dpcls_SOURCES = tests/test-dpcls.c
tests_test_dpcls_LDADD = datapath/libdatapath.a lib/libxvs.a $(XVS_LIBS)
noinst_PROGRAMS += tests/perf/dpcls-bench
tests_perf_dpcls_bench_SOURCES = tests/perf/dpcls-bench.c
tests_perf_dpcls_bench_LDADD = datapath/libdatapath.a lib/libxvs.a $(XVS_LIBS)
# Megaflow revalidation and the dynamic flow limit; the revalidation
# benchmark is built, not run by check.
TESTSUITE_AT += tests/revalidate.at
check_PROGRAMS += tests/test-dp-flow-limit
tests_test_dp_flow_limit_SOURCES = tests/test-dp-flow-limit.c
tests_test_dp_flow_limit_LDADD = datapath/libdatapath.a lib/libxvs.a $(XVS_LIBS)
# What the XDP offload program costs per frame (BPF_PROG_TEST_RUN).
noinst_PROGRAMS += tests/perf/xdp-prog-bench
tests_perf_xdp_prog_bench_SOURCES = tests/perf/xdp-prog-bench.c
tests_perf_xdp_prog_bench_LDADD = datapath/libdatapath.a lib/libxvs.a $(XVS_LIBS)
noinst_PROGRAMS += tests/perf/revalidate-bench
tests_perf_revalidate_bench_SOURCES = tests/perf/revalidate-bench.c
tests_perf_revalidate_bench_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/ofproto
tests_perf_revalidate_bench_LDADD = ofproto/libofproto.a \
	datapath/libdatapath.a lib/libxvs.a $(XVS_LIBS)
# OpenFlow table changes and lookups (built, not run by check).
noinst_PROGRAMS += tests/perf/oftable-bench
tests_perf_oftable_bench_SOURCES = tests/perf/oftable-bench.c
tests_perf_oftable_bench_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/ofproto
tests_perf_oftable_bench_LDADD = ofproto/libofproto.a \
	datapath/libdatapath.a lib/libxvs.a $(XVS_LIBS)

# ovsdb-lite: schema, engine, server, tools (engineer ovsdb).
TESTSUITE_AT += tests/ovsdb.at tests/ovsdb-storage.at
check_PROGRAMS += tests/test-idl tests/test-dblog
tests_test_dblog_SOURCES = tests/test-dblog.c
tests_test_dblog_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/ovsdb-lite
tests_test_dblog_LDADD = ovsdb-lite/libovsdb.a lib/libxvs.a $(XVS_LIBS)
tests_test_idl_SOURCES = tests/test-idl.c
tests_test_idl_LDADD = ovsdb-lite/libovsdb.a lib/libxvs.a $(XVS_LIBS)

# The switch engine and daemon (engineer ofproto).
TESTSUITE_AT += tests/ofproto.at tests/vswitchd.at
TESTSUITE_AT += tests/ofp-roles.at tests/controller.at
check_PROGRAMS += tests/test-reconnect
tests_test_reconnect_SOURCES = tests/test-reconnect.c
tests_test_reconnect_LDADD = ofproto/libofproto.a lib/libxvs.a $(XVS_LIBS)
EXTRA_DIST += tests/ofp-client.py tests/ofp-controller.py tests/osken_l2switch.py \
	tests/pkt-check.py
TESTSUITE_AT += tests/rewrite.at
TESTSUITE_AT += tests/coverage.at
TESTSUITE_AT += tests/mpls.at
TESTSUITE_AT += tests/nsh.at
check_PROGRAMS += tests/test-flow-table
tests_test_flow_table_SOURCES = tests/test-flow-table.c
tests_test_flow_table_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/ofproto
tests_test_flow_table_LDADD = ofproto/libofproto.a lib/libxvs.a $(XVS_LIBS)

# OpenFlow codec and xvs-ofctl (engineer openflow).
TESTSUITE_AT += tests/ofctl.at
TESTSUITE_AT += tests/nx-actions.at tests/ofp-nested.at tests/ofp-queue.at \
	tests/nx-observe.at tests/conjunction.at tests/nx-select.at \
	tests/nx-learn.at
# OpenFlow groups.
TESTSUITE_AT += tests/groups.at
# OpenFlow meters.
TESTSUITE_AT += tests/meters.at
# Rule lifetimes: FLOW_REMOVED, timeouts, counters, importance, eviction.
TESTSUITE_AT += tests/flow-removed.at tests/nx-msgs.at tests/continuations.at
TESTSUITE_AT += tests/ct-mpls-fields.at
TESTSUITE_AT += tests/fields.at
TESTSUITE_AT += tests/ofctl-async.at
TESTSUITE_AT += tests/tunnel-fields.at tests/tunnel.at
TESTSUITE_AT += tests/flow-monitor.at
TESTSUITE_AT += tests/table-features.at
TESTSUITE_AT += tests/table-mod.at
check_PROGRAMS += tests/test-meter-table
tests_test_meter_table_SOURCES = tests/test-meter-table.c
tests_test_meter_table_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/ofproto
tests_test_meter_table_LDADD = ofproto/libofproto.a lib/libxvs.a $(XVS_LIBS)
check_PROGRAMS += tests/test-ofp-codec tests/test-ofp-switch
tests_test_ofp_codec_SOURCES = tests/test-ofp-codec.c
tests_test_ofp_codec_LDADD = ofproto/libofproto.a lib/libxvs.a $(XVS_LIBS)
tests_test_ofp_switch_SOURCES = tests/test-ofp-switch.c
tests_test_ofp_switch_LDADD = ofproto/libofproto.a lib/libxvs.a $(XVS_LIBS)

# libFuzzer on the OpenFlow decoders (configure CC=clang --enable-fuzzing):
# "make fuzz-check" seeds it with one of every message test-ofp-codec can
# encode and runs it for FUZZ_RUNS inputs or FUZZ_SECONDS, whichever ends
# first, with a fixed seed so a failure reproduces.
FUZZ_RUNS = 2000000
FUZZ_SECONDS = 120
if FUZZING
noinst_PROGRAMS += tests/fuzz-ofp
tests_fuzz_ofp_SOURCES = tests/test-ofp-codec.c
tests_fuzz_ofp_CPPFLAGS = $(AM_CPPFLAGS) -DXVS_LIBFUZZER
# The target uses the decoders of the file, not its commands.
tests_fuzz_ofp_CFLAGS = $(AM_CFLAGS) -Wno-unused-function
tests_fuzz_ofp_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_ofp_LDADD = ofproto/libofproto.a lib/libxvs.a $(XVS_LIBS)
fuzz-check: tests/fuzz-ofp tests/test-ofp-codec
	rm -rf tests/fuzz-corpus && mkdir tests/fuzz-corpus
	tests/test-ofp-codec write-corpus tests/fuzz-corpus
	tests/fuzz-ofp -seed=1 -runs=$(FUZZ_RUNS) \
	  -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	  tests/fuzz-corpus
endif

# xvs-vsctl (engineer vsctl).
TESTSUITE_AT += tests/vsctl.at
# Real OpenFlow peers (os-ken) and decoders (tshark).
TESTSUITE_AT += tests/interop.at
TESTSUITE_AT += tests/ofctl-interop.at
# Connection tracking.
TESTSUITE_AT += tests/conntrack.at
TESTSUITE_AT += tests/megaflow.at
TESTSUITE_AT += tests/pmd.at
TESTSUITE_AT += tests/xvs-dev.at
TESTSUITE_AT += tests/xdp-offload.at
EXTRA_DIST += tests/ct-pkt.py tests/tnl-inject.py tests/ovsdb_idl_client.py
TESTSUITE_AT += tests/ovn.at
