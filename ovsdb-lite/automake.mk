# ovsdb-lite: the config store (xvsdb-server), its tools and the client IDL.
noinst_LIBRARIES += ovsdb-lite/libovsdb.a
ovsdb_lite_libovsdb_a_SOURCES = \
	ovsdb-lite/ovsdb-error.c ovsdb-lite/ovsdb-error.h \
	ovsdb-lite/type.c ovsdb-lite/type.h \
	ovsdb-lite/datum.c ovsdb-lite/datum.h \
	ovsdb-lite/schema.c ovsdb-lite/schema.h
ovsdb_lite_libovsdb_a_SOURCES += \
	ovsdb-lite/db.c ovsdb-lite/db.h \
	ovsdb-lite/condition.c ovsdb-lite/condition.h \
	ovsdb-lite/mutation.c ovsdb-lite/mutation.h \
	ovsdb-lite/txn.c ovsdb-lite/txn.h \
	ovsdb-lite/lock.c ovsdb-lite/lock.h
ovsdb_lite_libovsdb_a_SOURCES += \
	ovsdb-lite/storage.c ovsdb-lite/storage.h \
	ovsdb-lite/monitor.c ovsdb-lite/monitor.h \
	ovsdb-lite/idl.c ovsdb-lite/idl.h

sbin_PROGRAMS += ovsdb-lite/xvsdb-server
ovsdb_lite_xvsdb_server_SOURCES = ovsdb-lite/xvsdb-server.c
ovsdb_lite_xvsdb_server_LDADD = ovsdb-lite/libovsdb.a lib/libxvs.a $(XVS_LIBS)

bin_PROGRAMS += ovsdb-lite/xvsdb-tool ovsdb-lite/xvsdb-client
ovsdb_lite_xvsdb_tool_SOURCES = ovsdb-lite/xvsdb-tool.c
ovsdb_lite_xvsdb_tool_LDADD = ovsdb-lite/libovsdb.a lib/libxvs.a $(XVS_LIBS)
ovsdb_lite_xvsdb_client_SOURCES = ovsdb-lite/xvsdb-client.c
ovsdb_lite_xvsdb_client_LDADD = ovsdb-lite/libovsdb.a lib/libxvs.a $(XVS_LIBS)
dist_man_MANS += ovsdb-lite/xvsdb-server.1 ovsdb-lite/xvsdb-tool.1 \
	ovsdb-lite/xvsdb-client.1
