/* of-handler-group: the switch's answers to the group messages.
 *
 * Why apart from of-handler.c: groups are one concept (group-table.h is
 * the engine, ofp-group.h the codec) and their four handlers sit together
 * here; of-handler.c's table points at them. */
#ifndef XVS_OF_HANDLER_GROUP_H
#define XVS_OF_HANDLER_GROUP_H 1

#include "ofp-errors.h"

struct ofconn;
struct ofproto;
struct ofp_msg_info;

enum ofperr of_handle_group_mod(struct ofproto *, struct ofconn *,
                                const struct ofp_msg_info *);
enum ofperr of_handle_group_stats_request(struct ofproto *, struct ofconn *,
                                          const struct ofp_msg_info *);
enum ofperr of_handle_group_desc_request(struct ofproto *, struct ofconn *,
                                         const struct ofp_msg_info *);
enum ofperr of_handle_group_features_request(struct ofproto *,
                                             struct ofconn *,
                                             const struct ofp_msg_info *);

#endif
