/* ofp-packet: packet-in and packet-out. */
#include <config.h>
#include "ofp-msgs.h"

#include <inttypes.h>
#include <string.h>
#include "flow-extract.h"
#include "meta-flow.h"
#include "ofp-match.h"

struct ofpbuf *
ofp_encode_packet_in(const struct ofp_packet_in_msg *pin, uint8_t version)
{
    struct ofpbuf *b = ofpraw_alloc(OFPTYPE_PACKET_IN, version, 0,
                                    64 + pin->packet_len);
    if (!b) {
        return NULL;
    }
    if (version == OFP10_VERSION) {
        uint16_t port;
        ofp_port_to_of10(pin->match.flow.in_port, &port);
        ofpbuf_put_be32(b, pin->buffer_id);
        ofpbuf_put_be16(b, pin->total_len);
        ofpbuf_put_be16(b, port);
        /* OF1.0 knows only no_match and action. */
        ofpbuf_put_u8(b, pin->reason == OFPR_NO_MATCH ? OFPR_NO_MATCH
                                                      : OFPR_ACTION);
        ofpbuf_put_zeros(b, 1);
    } else {
        ofpbuf_put_be32(b, pin->buffer_id);
        ofpbuf_put_be16(b, pin->total_len);
        ofpbuf_put_u8(b, pin->reason);
        ofpbuf_put_u8(b, pin->table_id);
        ofpbuf_put_be64(b, pin->cookie);
        /* The match carries only pipeline metadata, which has no
         * prerequisites; in_port is always present. */
        struct match meta;
        match_init_catchall(&meta);
        union mf_value v;
        mf_get_flow_value(mf_from_id(MFF_IN_PORT), &pin->match.flow, &v);
        mf_set(mf_from_id(MFF_IN_PORT), &v, NULL, &meta);
        for (int id = MFF_METADATA; id <= MFF_REG15; id++) {
            const struct mf_field *mf = mf_from_id(id);
            if (!mf_is_all_wild(mf, &pin->match.wc)) {
                union mf_value m;
                mf_get_flow_value(mf, &pin->match.flow, &v);
                mf_get_mask(mf, &pin->match.wc, &m);
                mf_set(mf, &v, &m, &meta);
            }
        }
        oxm_match_put(&meta, b);
        ofpbuf_put_zeros(b, 2);
    }
    ofpbuf_put(b, pin->packet, pin->packet_len);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_decode_packet_in(const struct ofp_msg_info *info,
                     struct ofp_packet_in_msg *pin)
{
    const uint8_t *p = info->body;
    size_t len = info->body_len;
    if (info->type == OFPTYPE_NXT_PACKET_IN
        || info->type == OFPTYPE_NXT_PACKET_IN2
        || info->type == OFPTYPE_NXT_RESUME) {
        return ofp_nx_decode_packet_in(info, pin);
    }
    memset(pin, 0, sizeof *pin);
    match_init_catchall(&pin->match);
    pin->buffer_id = get_be32(p);
    pin->total_len = get_be16(p + 4);
    if (info->version == OFP10_VERSION) {
        pin->match.flow.in_port = ofp_port_from_of10(get_be16(p + 6));
        pin->match.wc.masks.in_port = UINT32_MAX;
        pin->reason = p[8];
        pin->packet = p + 10;
        pin->packet_len = len - 10;
        return 0;
    }
    pin->reason = p[6];
    pin->table_id = p[7];
    pin->cookie = get_be64(p + 8);
    p += 16;
    len -= 16;
    if (len < 4) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    uint16_t mlen = get_be16(p + 2);
    size_t padded = (mlen + 7u) / 8 * 8;
    if (get_be16(p) != 1) {
        return OFPERR_OFPBMC_BAD_TYPE;
    }
    if (mlen < 4 || padded + 2 > len) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    enum ofperr error = oxm_fields_decode(p + 4, mlen - 4, &pin->match,
                                          false);
    if (error) {
        return error;
    }
    pin->packet = p + padded + 2;
    pin->packet_len = len - padded - 2;
    return 0;
}

void
ofp_packet_out_uninit(struct ofp_packet_out_msg *po)
{
    ofpacts_uninit(&po->ofpacts);
}

struct ofpbuf *
ofp_encode_packet_out(const struct ofp_packet_out_msg *po, uint8_t version,
                      uint32_t xid)
{
    if (!ofpacts_usable_in(&po->ofpacts, version)) {
        return NULL;
    }
    struct ofpbuf *b = ofpraw_alloc(OFPTYPE_PACKET_OUT, version, xid,
                                    64 + po->packet_len);
    size_t len_ofs;
    ofpbuf_put_be32(b, po->buffer_id);
    if (version == OFP10_VERSION) {
        uint16_t port;
        ofp_port_to_of10(po->in_port, &port);
        ofpbuf_put_be16(b, port);
        len_ofs = b->size;
        ofpbuf_put_be16(b, 0);
    } else if (version < OFP15_VERSION) {
        ofpbuf_put_be32(b, po->in_port);
        len_ofs = b->size;
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_zeros(b, 6);
    } else {
        len_ofs = b->size;
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_zeros(b, 2);
        struct match m;
        match_init_catchall(&m);
        union mf_value v;
        memset(&v, 0, sizeof v);
        v.be32 = htonl(po->in_port);
        mf_set(mf_from_id(MFF_IN_PORT), &v, NULL, &m);
        oxm_match_put(&m, b);
    }
    size_t start = b->size;
    ofpacts_put_openflow_actions(&po->ofpacts, version, b);
    ofpbuf_set_be16(b, len_ofs, b->size - start);
    ofpbuf_put(b, po->packet, po->packet_len);
    ofpmsg_update_length(b);
    return b;
}

static bool
is_valid_in_port(uint32_t port)
{
    return (port > 0 && port < OFPP_MAX) || port == OFPP_LOCAL
           || port == OFPP_CONTROLLER || port == OFPP_ANY;
}

enum ofperr
ofp_decode_packet_out(const struct ofp_msg_info *info,
                      struct ofp_packet_out_msg *po)
{
    const uint8_t *p = info->body;
    size_t len = info->body_len;
    size_t actions_len, fixed;

    memset(po, 0, sizeof *po);
    ofpacts_init(&po->ofpacts);
    po->buffer_id = get_be32(p);
    if (info->version == OFP10_VERSION) {
        po->in_port = ofp_port_from_of10(get_be16(p + 4));
        actions_len = get_be16(p + 6);
        fixed = 8;
    } else if (info->version < OFP15_VERSION) {
        po->in_port = get_be32(p + 4);
        actions_len = get_be16(p + 8);
        fixed = 16;
    } else {
        struct match m;
        size_t used;
        actions_len = get_be16(p + 4);
        enum ofperr error = oxm_match_pull(p + 8, len - 8, &m, &used);
        if (error) {
            return error;
        }
        po->in_port = m.wc.masks.in_port ? m.flow.in_port : OFPP_ANY;
        fixed = 8 + used;
    }
    if (!is_valid_in_port(po->in_port)) {
        return OFPERR_OFPBRC_BAD_PORT;
    }
    if (actions_len > len - fixed) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    enum ofperr error = ofpacts_pull_openflow_actions(p + fixed, actions_len,
                                                      info->version,
                                                      &po->ofpacts);
    if (error) {
        ofpacts_uninit(&po->ofpacts);
        return error;
    }
    po->packet = p + fixed + actions_len;
    po->packet_len = len - fixed - actions_len;
    return 0;
}

/* Offset of the L4 header in 'packet' (whose flow is 'f'), or 0 if the
 * packet has none we can find: extension headers and later fragments are
 * not followed. */
static size_t
l4_offset(const uint8_t *packet, size_t len, const struct flow *f)
{
    size_t ofs = 12;
    while (ofs + 4 <= len && (get_be16(packet + ofs) == 0x8100
                              || get_be16(packet + ofs) == 0x88a8)) {
        ofs += 4;
    }
    ofs += 2;
    if (f->nw_frag & FLOW_NW_FRAG_LATER || ofs >= len) {
        return 0;
    }
    if (ntohs(f->dl_type) == 0x0800) {
        ofs += (packet[ofs] & 0x0f) * 4;
    } else if (ntohs(f->dl_type) == 0x86dd) {
        ofs += 40;
    } else {
        return 0;
    }
    return ofs <= len ? ofs : 0;
}

void
ofp_packet_format(const uint8_t *packet, size_t len, struct ds *s)
{
    struct flow flow;
    flow_extract(packet, len, 0, &flow);

    /* Every header field the packet has is shown, as an exact match;
     * metadata (in_port, registers, ...) is not part of the packet. */
    struct match match;
    match_init_catchall(&match);
    match.flow = flow;
    for (int id = MFF_ETH_SRC; id <= MFF_ND_TLL; id++) {
        const struct mf_field *mf = &mf_fields[id];
        if (mf_are_prereqs_ok_flow(mf, &flow)) {
            union mf_value value, mask;
            mf_get_flow_value(mf, &flow, &value);
            mf_exact_mask(mf, &mask);
            mf_set(mf, &value, &mask, &match);
        }
    }
    match_normalize(&match);
    match_format(&match, OFP_DEFAULT_PRIORITY, s);

    /* Checksums sit at different offsets per protocol. */
    static const struct { uint8_t proto; const char *name; size_t ofs; }
    csums[] = {
        { 6, "tcp_csum", 16 }, { 17, "udp_csum", 6 },
        { 1, "icmp_csum", 2 }, { 58, "icmp6_csum", 2 },
    };
    size_t l4 = l4_offset(packet, len, &flow);
    for (size_t i = 0; l4 && i < ARRAY_SIZE(csums); i++) {
        if (flow.nw_proto == csums[i].proto
            && (csums[i].proto != 1 || ntohs(flow.dl_type) == 0x0800)
            && l4 + csums[i].ofs + 2 <= len) {
            ds_put_format(s, " %s:%"PRIx16, csums[i].name,
                          get_be16(packet + l4 + csums[i].ofs));
        }
    }
    ds_put_char(s, '\n');
}
