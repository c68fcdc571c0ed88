/* ofp-bundle: wire codec for OpenFlow 1.4+ bundles.
 *
 * Why: a controller that must change many flows at once without the
 * switch forwarding with half of them (ovn-controller does this for every
 * update) opens a bundle with BUNDLE_CONTROL, wraps each FLOW_MOD in a
 * BUNDLE_ADD_MESSAGE and commits; the switch applies all or nothing.
 * This file only converts those two messages; ofproto/bundle.c keeps the
 * open bundles and commits them, and xvs-ofctl --bundle sends them. */
#ifndef XVS_OFP_BUNDLE_H
#define XVS_OFP_BUNDLE_H 1

#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"

struct ofp_msg_info;
struct ofpbuf;

enum ofp_bundle_ctrl_type {
    OFPBCT_OPEN_REQUEST = 0,
    OFPBCT_OPEN_REPLY = 1,
    OFPBCT_CLOSE_REQUEST = 2,
    OFPBCT_CLOSE_REPLY = 3,
    OFPBCT_COMMIT_REQUEST = 4,
    OFPBCT_COMMIT_REPLY = 5,
    OFPBCT_DISCARD_REQUEST = 6,
    OFPBCT_DISCARD_REPLY = 7,
};
#define OFPBF_ATOMIC  (1 << 0)
#define OFPBF_ORDERED (1 << 1)

struct ofp_bundle_ctrl_msg {
    uint32_t bundle_id;
    uint16_t type;             /* OFPBCT_* */
    uint16_t flags;            /* OFPBF_* */
};
/* Unknown types: OFPBFC_BAD_TYPE; unknown flags: OFPBFC_BAD_FLAGS. */
enum ofperr ofp_decode_bundle_ctrl(const struct ofp_msg_info *,
                                   struct ofp_bundle_ctrl_msg *);
struct ofpbuf *ofp_encode_bundle_ctrl(const struct ofp_bundle_ctrl_msg *,
                                      uint8_t version, uint32_t xid);

struct ofp_bundle_add_msg {
    uint32_t bundle_id;
    uint16_t flags;
    const uint8_t *msg;        /* The inner message, pointing into the
                                * outer one. */
    size_t msg_len;
};
/* Checks the inner message's framing: its length must fit
 * (OFPBFC_MSG_BAD_LEN) and its xid must be the outer one
 * (OFPBFC_MSG_BAD_XID). */
enum ofperr ofp_decode_bundle_add(const struct ofp_msg_info *,
                                  struct ofp_bundle_add_msg *);
/* Wraps the complete message 'inner' (whose xid is used). */
struct ofpbuf *ofp_encode_bundle_add(uint32_t bundle_id, uint16_t flags,
                                     const struct ofpbuf *inner);

#endif
