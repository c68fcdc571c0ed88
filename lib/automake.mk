noinst_LIBRARIES += lib/libxvs.a
XVS_LIBS = $(JANSSON_LIBS) $(LIBEVENT_OPENSSL_LIBS) $(LIBEVENT_LIBS) \
	$(LIBURCU_LIBS) $(LIBMNL_LIBS) $(LIBXDP_LIBS) $(LIBBPF_LIBS) \
	$(PROTOBUF_C_LIBS) -lpthread
lib_libxvs_a_SOURCES = \
	lib/util.c lib/util.h \
	lib/list.h \
	lib/hmap.c lib/hmap.h
