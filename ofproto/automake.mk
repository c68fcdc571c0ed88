# ofproto/libofproto.a: the OpenFlow codec (engineer openflow) and the
# switch engine (engineer ofproto).  Each adds its sources with "+=".
noinst_LIBRARIES += ofproto/libofproto.a
ofproto_libofproto_a_SOURCES =

# The switch engine.
ofproto_libofproto_a_SOURCES += \
	ofproto/connmgr.c ofproto/connmgr.h \
	ofproto/flow-table.c ofproto/flow-table.h \
	ofproto/mac-learning.c ofproto/mac-learning.h \
	ofproto/of-handler.c ofproto/of-handler.h \
	ofproto/ofproto.c ofproto/ofproto.h ofproto/ofproto-private.h \
	ofproto/trace.c ofproto/trace.h \
	ofproto/xlate.c ofproto/xlate.h
