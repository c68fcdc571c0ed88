/* ofp-bundle: BUNDLE_CONTROL and BUNDLE_ADD_MESSAGE. */
#include <config.h>
#include "ofp-bundle.h"

#include "ofp-msgs.h"

enum ofperr
ofp_decode_bundle_ctrl(const struct ofp_msg_info *info,
                       struct ofp_bundle_ctrl_msg *bc)
{
    if (info->body_len < 8) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    bc->bundle_id = get_be32(info->body);
    bc->type = get_be16(info->body + 4);
    bc->flags = get_be16(info->body + 6);
    if (bc->type > OFPBCT_DISCARD_REPLY) {
        return OFPERR_OFPBFC_BAD_TYPE;
    }
    return bc->flags & ~(OFPBF_ATOMIC | OFPBF_ORDERED)
           ? OFPERR_OFPBFC_BAD_FLAGS : 0;
}

struct ofpbuf *
ofp_encode_bundle_ctrl(const struct ofp_bundle_ctrl_msg *bc,
                       uint8_t version, uint32_t xid)
{
    struct ofpbuf *b = ofpraw_alloc(OFPTYPE_BUNDLE_CONTROL, version, xid, 8);
    if (b) {
        ofpbuf_put_be32(b, bc->bundle_id);
        ofpbuf_put_be16(b, bc->type);
        ofpbuf_put_be16(b, bc->flags);
        ofpmsg_update_length(b);
    }
    return b;
}

enum ofperr
ofp_decode_bundle_add(const struct ofp_msg_info *info,
                      struct ofp_bundle_add_msg *ba)
{
    if (info->body_len < 8) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    const uint8_t *inner = info->body + 8;
    size_t room = info->body_len - 8;

    ba->bundle_id = get_be32(info->body);
    ba->flags = get_be16(info->body + 6);
    if (room < OFP_HEADER_LEN) {
        return OFPERR_OFPBFC_MSG_BAD_LEN;
    }
    ba->msg = inner;
    ba->msg_len = get_be16(inner + 2);
    /* Properties may follow the inner message, so it may be shorter. */
    if (ba->msg_len < OFP_HEADER_LEN || ba->msg_len > room) {
        return OFPERR_OFPBFC_MSG_BAD_LEN;
    }
    return get_be32(inner + 4) != info->xid ? OFPERR_OFPBFC_MSG_BAD_XID : 0;
}

struct ofpbuf *
ofp_encode_bundle_add(uint32_t bundle_id, uint16_t flags,
                      const struct ofpbuf *inner)
{
    const uint8_t *data = inner->data;
    struct ofpbuf *b = ofpraw_alloc(OFPTYPE_BUNDLE_ADD_MESSAGE, data[0],
                                    get_be32(data + 4), 8 + inner->size);
    if (b) {
        ofpbuf_put_be32(b, bundle_id);
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_be16(b, flags);
        ofpbuf_put(b, inner->data, inner->size);
        ofpmsg_update_length(b);
    }
    return b;
}
