/* of-handler-meter: the switch's answers to the meter messages.
 *
 * Why apart from of-handler.c: meters are one concept (meter-table.h is
 * the engine, ofp-meter.h the codec) and their four handlers sit together
 * here; of-handler.c's table points at them. */
#ifndef XVS_OF_HANDLER_METER_H
#define XVS_OF_HANDLER_METER_H 1

#include "ofp-errors.h"

struct ofconn;
struct ofproto;
struct ofp_msg_info;

enum ofperr of_handle_meter_mod(struct ofproto *, struct ofconn *,
                                const struct ofp_msg_info *);
enum ofperr of_handle_meter_stats_request(struct ofproto *, struct ofconn *,
                                          const struct ofp_msg_info *);
enum ofperr of_handle_meter_config_request(struct ofproto *, struct ofconn *,
                                           const struct ofp_msg_info *);
enum ofperr of_handle_meter_features_request(struct ofproto *,
                                             struct ofconn *,
                                             const struct ofp_msg_info *);

#endif
