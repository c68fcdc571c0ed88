# ofproto/libofproto.a: the OpenFlow codec (engineer openflow) and the
# switch engine (engineer ofproto).  Each adds its sources with "+=".
noinst_LIBRARIES += ofproto/libofproto.a
ofproto_libofproto_a_SOURCES =

# The switch engine.
ofproto_libofproto_a_SOURCES += \
	ofproto/connmgr.c ofproto/connmgr.h \
	ofproto/flow-monitor.c ofproto/flow-monitor.h \
	ofproto/reconnect.c ofproto/reconnect.h \
	ofproto/snoop.c ofproto/snoop.h \
	ofproto/pin-queue.c ofproto/pin-queue.h \
	ofproto/flow-table.c ofproto/flow-table.h \
	ofproto/rule-index.c ofproto/rule-index.h \
	ofproto/group-selection.c ofproto/group-selection.h \
	ofproto/group-table.c ofproto/group-table.h \
	ofproto/mac-learning.c ofproto/mac-learning.h \
	ofproto/meter-table.c ofproto/meter-table.h \
	ofproto/of-handler.c ofproto/of-handler.h \
	ofproto/of-handler-group.c ofproto/of-handler-group.h \
	ofproto/of-handler-meter.c ofproto/of-handler-meter.h \
	ofproto/ofproto.c ofproto/ofproto.h ofproto/ofproto-private.h \
	ofproto/trace.c ofproto/trace.h \
	ofproto/dpctl.c ofproto/dpctl.h \
	ofproto/xlate.c ofproto/xlate.h ofproto/xlate-private.h \
	ofproto/xlate-freeze.c \
	ofproto/xlate-cache.c ofproto/xlate-cache.h

# The OpenFlow codec (engineer openflow).
ofproto_libofproto_a_SOURCES += \
	ofproto/ofpbuf.c ofproto/ofpbuf.h \
	ofproto/ofp-errors.c ofproto/ofp-errors.h \
	ofproto/ofp-msgs.c ofproto/ofp-msgs.h \
	ofproto/ofp-table-print.c ofproto/ofp-table-print.h \
	ofproto/ofp-match.c ofproto/ofp-match.h \
	ofproto/ofp-actions.c ofproto/ofp-actions.h \
	ofproto/ofp-action-table.h \
	ofproto/ofp-action-check.c \
	ofproto/ofp-action-wire.c \
	ofproto/nx-actions.c ofproto/nx-actions.h \
	ofproto/nx-ct.c ofproto/nx-ct.h \
	ofproto/ofp-ct.c ofproto/ofp-ct.h \
	ofproto/nx-trunc.c ofproto/nx-trunc.h \
	ofproto/nx-nsh.c ofproto/nx-nsh.h \
	ofproto/ofp-nested.c ofproto/ofp-nested.h \
	ofproto/ofp-instructions.c \
	ofproto/ofp-queue.c ofproto/ofp-queue.h \
	ofproto/ofp-mpls.c ofproto/ofp-mpls.h \
	ofproto/ofp-queue-msgs.c ofproto/ofp-queue-msgs.h \
	ofproto/nx-observe.c ofproto/nx-observe.h \
	ofproto/nx-controller.c ofproto/nx-controller.h \
	ofproto/continuation.c ofproto/continuation.h \
	ofproto/ofp-prop.c ofproto/ofp-prop.h \
	ofproto/conjunction.c ofproto/conjunction.h \
	ofproto/nx-select.c ofproto/nx-select.h \
	ofproto/nx-learn.c ofproto/nx-learn.h \
	ofproto/ofp-group.c ofproto/ofp-group.h \
	ofproto/ofp-meter.c ofproto/ofp-meter.h \
	ofproto/ofp-monitor.c ofproto/ofp-monitor.h \
	ofproto/ofp-switch.c \
	ofproto/ofp-flow.c \
	ofproto/ofp-nicira.c \
	ofproto/ofp-tlv.c \
	ofproto/ofp-tlv.h \
	ofproto/tlv-map.c \
	ofproto/tlv-map.h \
	ofproto/ofp-parse.c \
	ofproto/ofp-packet.c \
	ofproto/ofp-ports.c \
	ofproto/ofp-table.c \
	ofproto/ofp-table-mod.c ofproto/ofp-table-mod.h \
	ofproto/ofp-role.c ofproto/ofp-role.h \
	ofproto/ofp-bundle.c ofproto/ofp-bundle.h \
	ofproto/bundle.c ofproto/bundle.h \
	ofproto/ofp-print.c
