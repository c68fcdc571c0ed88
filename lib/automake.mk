noinst_LIBRARIES += lib/libxvs.a
XVS_LIBS = $(JANSSON_LIBS) $(LIBEVENT_OPENSSL_LIBS) $(LIBEVENT_LIBS) \
	$(LIBURCU_LIBS) $(LIBMNL_LIBS) $(LIBXDP_LIBS) $(LIBBPF_LIBS) \
	$(PROTOBUF_C_LIBS) -lpthread
lib_libxvs_a_SOURCES = \
	lib/util.c lib/util.h lib/hash-mix.h \
	lib/list.h \
	lib/hmap.c lib/hmap.h \
	lib/vlog.c lib/vlog.h \
	lib/evloop.c lib/evloop.h \
	lib/jsonrpc.c lib/jsonrpc.h \
	lib/stream.c lib/stream.h \
	lib/stream-ssl.c lib/stream-ssl.h \
	lib/token-bucket.c lib/token-bucket.h \
	lib/unixctl.c lib/unixctl.h \
	lib/coverage.c lib/coverage.h \
	lib/memory.c lib/memory.h \
	lib/daemon.c lib/daemon.h \
	lib/crc32c.c lib/crc32c.h

# Packet formats and flow-key extraction (engineer datapath).
lib_libxvs_a_SOURCES += \
	lib/packets.c lib/packets.h \
	lib/packet-set.c lib/packet-set.h \
	lib/nsh.c lib/nsh.h \
	lib/flow-extract.c lib/flow-extract.h \
	lib/ct-match.c lib/ct-match.h

# Field registry, matches and port names (engineer openflow).
lib_libxvs_a_SOURCES += \
	lib/flow.c lib/flow.h \
	lib/meta-flow.c lib/meta-flow.h \
	lib/flow-wildcards.c lib/flow-wildcards.h \
	lib/match-text.c \
	lib/ofp-names.c lib/ofp-names.h \
	lib/ofp-port.c lib/ofp-port.h
