/* of-handler: what the switch does with each OpenFlow request.
 *
 * Why separate from connmgr: connmgr is transport (framing, HELLO, ECHO,
 * error replies); this file is the switch's answer to each request kind,
 * one handler per 'enum ofptype' in a table, so adding a message is adding
 * a row.  Handlers decode with the codec (ofp-msgs.h), act on the ofproto
 * and send replies on the connection; an error they return is sent back
 * by connmgr as an OFPT_ERROR.
 *
 * Handled: FEATURES, GET_CONFIG/SET_CONFIG, FLOW_MOD, PACKET_OUT, PORT_MOD
 * (accepted for existing ports, config bits ignored), BARRIER, and the
 * ROLE_REQUEST, GET_ASYNC/SET_ASYNC, the bundle messages (bundle.h),
 * TABLE_MOD (ofproto_table_mod()) and the multipart requests desc, flow,
 * aggregate, table, table features, table desc, port stats and port
 * desc; GROUP_MOD and the group, group desc and group
 * features requests (of-handler-group.c); METER_MOD and the meter stats,
 * config and features requests (of-handler-meter.c).  Buffered packets
 * do not exist (n_buffers is 0), so a buffer_id other than OFP_NO_BUFFER
 * is OFPBRC_BUFFER_UNKNOWN. */
#ifndef XVS_OF_HANDLER_H
#define XVS_OF_HANDLER_H 1

#include "ofp-errors.h"

struct ofconn;
struct ofproto;
struct ofp_msg_info;

enum ofperr of_handle_message(struct ofproto *, struct ofconn *,
                              const struct ofp_msg_info *);

/* Decodes and checks a FLOW_MOD and turns it into 'ftm' (whose actions
 * point into '*fm'); on success the caller must ofp_flow_mod_uninit(fm).
 * Its tun_metadata fields are placed as 'p''s TLV map says.
 * The groups and meters it names must be in 'groups' and 'meters' (NULL:
 * not checked).  For bundles, which check and apply flow_mods apart, and
 * check groups and meters against the tables as the bundle's own
 * group_mods and meter_mods leave them. */
struct ft_flow_mod;
struct group_table;
struct meter_table;
struct ofp_flow_mod_msg;
enum ofperr of_handler_decode_flow_mod(struct ofproto *,
                                       const struct group_table *groups,
                                       const struct meter_table *meters,
                                       const struct ofp_msg_info *,
                                       struct ofp_flow_mod_msg *fm,
                                       struct ft_flow_mod *ftm);
/* Decodes and checks a PACKET_OUT the same way; on success the caller
 * must ofp_packet_out_uninit(po). */
struct ofp_packet_out_msg;
enum ofperr of_handler_decode_packet_out(const struct group_table *groups,
                                         const struct meter_table *meters,
                                         const struct ofp_msg_info *,
                                         struct ofp_packet_out_msg *po);

#endif
