/* ofp-nicira: Nicira extension messages (vendor NX_VENDOR_ID).
 *
 * ofp-msgs.c identifies them by vendor and subtype and hands over the
 * body that follows; this file knows the bodies: the small settings
 * messages (flow format, flow_mod table id, controller id, conntrack zone
 * flush) and the NXM forms of flow_mod and flow statistics, which are
 * the OpenFlow 1.0 messages with an NXM match (ofp-match.c) of variable
 * length in place of the fixed ofp_match. */
#include <config.h>
#include "ofp-msgs.h"

#include <inttypes.h>
#include <string.h>
#include "ofp-match.h"
#include "ofp-prop.h"

const char *
nx_flow_format_to_string(uint32_t format)
{
    switch (format) {
    case NXFF_OPENFLOW10: return "openflow10";
    case NXFF_NXM: return "nxm";
    }
    return NULL;
}

struct ofpbuf *
ofp_encode_nx_set_flow_format(uint32_t format, uint8_t version, uint32_t xid)
{
    struct ofpbuf *b = ofpraw_alloc(OFPTYPE_NXT_SET_FLOW_FORMAT, version,
                                    xid, 4);
    ofpbuf_put_be32(b, format);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_decode_nx_set_flow_format(const struct ofp_msg_info *info,
                              uint32_t *format)
{
    *format = get_be32(info->body);
    return nx_flow_format_to_string(*format) ? 0 : OFPERR_OFPBRC_EPERM;
}

struct ofpbuf *
ofp_encode_nx_flow_mod_table_id(bool enable, uint8_t version, uint32_t xid)
{
    struct ofpbuf *b = ofpraw_alloc(OFPTYPE_NXT_FLOW_MOD_TABLE_ID, version,
                                    xid, 8);
    ofpbuf_put_u8(b, enable);
    ofpbuf_put_zeros(b, 7);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_decode_nx_flow_mod_table_id(const struct ofp_msg_info *info,
                                bool *enable)
{
    *enable = info->body[0] != 0;
    return 0;
}

struct ofpbuf *
ofp_encode_nx_u16(enum ofptype type, uint16_t value, uint8_t version,
                  uint32_t xid)
{
    struct ofpbuf *b = ofpraw_alloc(type, version, xid, 8);
    ofpbuf_put_zeros(b, 6);
    ofpbuf_put_be16(b, value);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_decode_nx_u16(const struct ofp_msg_info *info, uint16_t *value)
{
    *value = get_be16(info->body + 6);
    return 0;
}

/* ---- NXT_FLOW_MOD. ---- */

/* Body after the Nicira header: cookie(8) command(2) idle(2) hard(2)
 * priority(2) buffer_id(4) out_port(2) flags(2) match_len(2) pad(6). */
#define NX_FLOW_MOD_LEN 32

enum ofperr
ofp_nx_decode_flow_mod(const struct ofp_msg_info *info,
                       struct ofp_flow_mod_msg *fm)
{
    const uint8_t *p = info->body;
    ofp_flow_mod_init(fm);
    uint64_t cookie = get_be64(p);
    enum ofperr error = ofp_flow_mod_split_command(fm, get_be16(p + 8),
                                                   info->flow_mod_table_id);
    if (error) {
        return error;
    }
    fm->idle_timeout = get_be16(p + 10);
    fm->hard_timeout = get_be16(p + 12);
    fm->priority = get_be16(p + 14);
    fm->buffer_id = get_be32(p + 16);
    fm->out_port = ofp_port_from_of10(get_be16(p + 20));
    fm->flags = get_be16(p + 22) & (OFPFF_SEND_FLOW_REM
                                    | OFPFF_CHECK_OVERLAP);
    size_t match_len = get_be16(p + 24), used;
    error = nx_match_pull(p + NX_FLOW_MOD_LEN,
                          info->body_len - NX_FLOW_MOD_LEN, match_len,
                          &fm->match, &fm->cookie, &fm->cookie_mask, &used);
    if (error) {
        return error;
    }
    /* The header cookie is the new cookie for adds, and for modifies
     * that do not select flows by cookie (NXM_NX_COOKIE does that). */
    if (fm->command == OFPFC_ADD
        || ((fm->command == OFPFC_MODIFY
             || fm->command == OFPFC_MODIFY_STRICT) && !fm->cookie_mask)) {
        fm->new_cookie = cookie;
    }
    if (fm->command == OFPFC_ADD) {
        fm->cookie = cookie;
        fm->cookie_mask = 0;
    }
    size_t off = NX_FLOW_MOD_LEN + used;
    return ofpacts_pull_openflow_actions(p + off, info->body_len - off,
                                         OFP10_VERSION, &fm->ofpacts);
}

struct ofpbuf *
ofp_nx_encode_flow_mod(const struct ofp_flow_mod_msg *fm, uint32_t xid)
{
    if (!ofpacts_usable_in(&fm->ofpacts, OFP10_VERSION)) {
        return NULL;
    }
    struct ofpbuf *b = ofpraw_alloc(OFPTYPE_NXT_FLOW_MOD, OFP10_VERSION, xid,
                                    128);
    uint16_t out_port;
    ofp_port_to_of10(fm->out_port, &out_port);
    bool sets_cookie = fm->new_cookie != OFP_COOKIE_UNCHANGED;
    ofpbuf_put_be64(b, sets_cookie ? fm->new_cookie
                    : fm->command == OFPFC_ADD ? fm->cookie : 0);
    ofpbuf_put_be16(b, ofp_flow_mod_wire_command(fm));
    ofpbuf_put_be16(b, fm->idle_timeout);
    ofpbuf_put_be16(b, fm->hard_timeout);
    ofpbuf_put_be16(b, fm->priority);
    ofpbuf_put_be32(b, fm->buffer_id);
    ofpbuf_put_be16(b, out_port);
    ofpbuf_put_be16(b, fm->flags & (OFPFF_SEND_FLOW_REM
                                    | OFPFF_CHECK_OVERLAP));
    size_t len_ofs = b->size;
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_zeros(b, 6);
    size_t match_len = nx_match_put(&fm->match, fm->cookie,
                                    fm->command == OFPFC_ADD
                                    ? 0 : fm->cookie_mask, b);
    ofpbuf_set_be16(b, len_ofs, match_len);
    ofpacts_put_openflow_actions(&fm->ofpacts, OFP10_VERSION, b);
    ofpmsg_update_length(b);
    return b;
}

/* ---- NXST_FLOW and NXST_AGGREGATE. ---- */

/* Request body: out_port(2) match_len(2) table_id(1) pad(3), match. */
enum ofperr
ofp_nx_decode_flow_stats_request(const struct ofp_msg_info *info,
                                 struct ofp_flow_stats_request *r)
{
    const uint8_t *p = info->body;
    size_t used;
    ofp_flow_stats_request_init(r);
    r->aggregate = info->type == OFPTYPE_NXST_AGGREGATE_REQUEST;
    r->out_port = ofp_port_from_of10(get_be16(p));
    r->table_id = p[4];
    return nx_match_pull(p + 8, info->body_len - 8, get_be16(p + 2),
                         &r->match, &r->cookie, &r->cookie_mask, &used);
}

struct ofpbuf *
ofp_nx_encode_flow_stats_request(const struct ofp_flow_stats_request *r,
                                 uint32_t xid)
{
    struct ofpbuf *b = ofpraw_alloc(r->aggregate
                                    ? OFPTYPE_NXST_AGGREGATE_REQUEST
                                    : OFPTYPE_NXST_FLOW_REQUEST,
                                    OFP10_VERSION, xid, 64);
    uint16_t out_port;
    ofp_port_to_of10(r->out_port, &out_port);
    ofpbuf_put_be16(b, out_port);
    size_t len_ofs = b->size;
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_u8(b, r->table_id);
    ofpbuf_put_zeros(b, 3);
    ofpbuf_set_be16(b, len_ofs, nx_match_put(&r->match, r->cookie,
                                             r->cookie_mask, b));
    ofpmsg_update_length(b);
    return b;
}

/* One reply entry: length(2) table_id(1) pad(1) duration_sec(4)
 * duration_nsec(4) priority(2) idle_timeout(2) hard_timeout(2)
 * match_len(2) idle_age(2) hard_age(2) cookie(8) packet_count(8)
 * byte_count(8), match, actions.  The ages are seconds plus one, 0 for
 * "unknown". */
#define NX_FLOW_STATS_LEN 48

void
ofp_nx_put_flow_stats(const struct ofp_flow_stats *fs, struct ofpbuf *b)
{
    size_t start = b->size;
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_u8(b, fs->table_id);
    ofpbuf_put_zeros(b, 1);
    ofpbuf_put_be32(b, fs->duration_sec);
    ofpbuf_put_be32(b, fs->duration_nsec);
    ofpbuf_put_be16(b, fs->priority);
    ofpbuf_put_be16(b, fs->idle_timeout);
    ofpbuf_put_be16(b, fs->hard_timeout);
    size_t len_ofs = b->size;
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_be16(b, fs->idle_age);
    ofpbuf_put_be16(b, fs->hard_age);
    ofpbuf_put_be64(b, fs->cookie);
    ofpbuf_put_be64(b, fs->packet_count);
    ofpbuf_put_be64(b, fs->byte_count);
    ofpbuf_set_be16(b, len_ofs, nx_match_put(&fs->match, 0, 0, b));
    ofpacts_put_openflow_actions(&fs->ofpacts, OFP10_VERSION, b);
    ofpbuf_set_be16(b, start, b->size - start);
}

enum ofperr
ofp_nx_pull_flow_stats(const uint8_t *p, size_t len,
                       struct ofp_flow_stats *fs, size_t *consumed)
{
    memset(fs, 0, sizeof *fs);
    ofpacts_init(&fs->ofpacts);
    if (len < NX_FLOW_STATS_LEN) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    size_t elen = get_be16(p);
    if (elen < NX_FLOW_STATS_LEN || elen > len) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    fs->table_id = p[2];
    fs->duration_sec = get_be32(p + 4);
    fs->duration_nsec = get_be32(p + 8);
    fs->priority = get_be16(p + 12);
    fs->idle_timeout = get_be16(p + 14);
    fs->hard_timeout = get_be16(p + 16);
    fs->idle_age = get_be16(p + 20);
    fs->hard_age = get_be16(p + 22);
    fs->cookie = get_be64(p + 24);
    fs->packet_count = get_be64(p + 32);
    fs->byte_count = get_be64(p + 40);
    uint64_t cookie, cookie_mask;
    size_t used;
    enum ofperr error = nx_match_pull(p + NX_FLOW_STATS_LEN,
                                      elen - NX_FLOW_STATS_LEN,
                                      get_be16(p + 18), &fs->match, &cookie,
                                      &cookie_mask, &used);
    if (!error) {
        size_t off = NX_FLOW_STATS_LEN + used;
        error = ofpacts_pull_openflow_actions(p + off, elen - off,
                                              OFP10_VERSION, &fs->ofpacts);
    }
    if (error) {
        ofpacts_uninit(&fs->ofpacts);
        return error;
    }
    *consumed = elen;
    return 0;
}

/* ---- Printing. ---- */

void
ofp_nx_print(struct ds *s, const struct ofp_msg_info *info)
{
    enum ofperr error = 0;
    switch (info->type) {
    case OFPTYPE_NXT_SET_FLOW_FORMAT: {
        uint32_t format;
        const char *name;
        ofp_decode_nx_set_flow_format(info, &format);
        name = nx_flow_format_to_string(format);
        ds_put_format(s, " format=%s\n", name ? name : "(unknown)");
        break;
    }
    case OFPTYPE_NXT_SET_PACKET_IN_FORMAT: {
        uint32_t format;
        error = ofp_decode_nx_set_packet_in_format(info, &format);
        if (!error) {
            ds_put_format(s, " format=%s\n",
                          nx_packet_in_format_to_string(format));
        }
        break;
    }
    case OFPTYPE_NXT_FLOW_MOD_TABLE_ID: {
        bool enable;
        error = ofp_decode_nx_flow_mod_table_id(info, &enable);
        if (!error) {
            ds_put_format(s, " %s\n", enable ? "enable" : "disable");
        }
        break;
    }
    case OFPTYPE_NXT_SET_CONTROLLER_ID:
    case OFPTYPE_NXT_CT_FLUSH_ZONE: {
        uint16_t value;
        error = ofp_decode_nx_u16(info, &value);
        if (!error) {
            ds_put_format(s, " %s=%"PRIu16"\n",
                          info->type == OFPTYPE_NXT_SET_CONTROLLER_ID
                          ? "id" : "zone_id", value);
        }
        break;
    }
    default:
        error = OFPERR_OFPBRC_BAD_TYPE;
        break;
    }
    if (error) {
        ds_put_format(s, " ***decode error: %s***\n", ofperr_get_name(error));
    }
}

/* ---- NXT_FLOW_REMOVED. ---- */

/* Body: cookie(8) priority(2) reason(1) table_id+1(1) duration_sec(4)
 * duration_nsec(4) idle_timeout(2) match_len(2) packet_count(8)
 * byte_count(8), match.  The table id is sent plus one, 0 meaning
 * unknown. */
#define NX_FLOW_REMOVED_LEN 40

struct ofpbuf *
ofp_nx_encode_flow_removed(const struct ofp_flow_removed_msg *fr,
                           uint8_t version)
{
    struct ofpbuf *b = ofpraw_alloc(OFPTYPE_NXT_FLOW_REMOVED, version, 0,
                                    128);
    ofpbuf_put_be64(b, fr->cookie);
    ofpbuf_put_be16(b, fr->priority);
    ofpbuf_put_u8(b, fr->reason);
    ofpbuf_put_u8(b, fr->table_id == OFPTT_ALL ? 0 : fr->table_id + 1);
    ofpbuf_put_be32(b, fr->duration_sec);
    ofpbuf_put_be32(b, fr->duration_nsec);
    ofpbuf_put_be16(b, fr->idle_timeout);
    size_t len_ofs = b->size;
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_be64(b, fr->packet_count);
    ofpbuf_put_be64(b, fr->byte_count);
    ofpbuf_set_be16(b, len_ofs, nx_match_put(&fr->match, 0, 0, b));
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_nx_decode_flow_removed(const struct ofp_msg_info *info,
                           struct ofp_flow_removed_msg *fr)
{
    const uint8_t *p = info->body;
    memset(fr, 0, sizeof *fr);
    fr->cookie = get_be64(p);
    fr->priority = get_be16(p + 8);
    fr->reason = p[10];
    fr->table_id = p[11] ? p[11] - 1 : OFPTT_ALL;
    fr->duration_sec = get_be32(p + 12);
    fr->duration_nsec = get_be32(p + 16);
    fr->idle_timeout = get_be16(p + 20);
    fr->packet_count = get_be64(p + 24);
    fr->byte_count = get_be64(p + 32);
    uint64_t cookie, cookie_mask;
    size_t used;
    return nx_match_pull(p + NX_FLOW_REMOVED_LEN,
                         info->body_len - NX_FLOW_REMOVED_LEN,
                         get_be16(p + 22), &fr->match, &cookie, &cookie_mask,
                         &used);
}

/* ---- Packet-in formats. ---- */

const char *
nx_packet_in_format_to_string(uint32_t format)
{
    switch (format) {
    case NXPIF_STANDARD: return "standard";
    case NXPIF_NXT_PACKET_IN: return "nxt_packet_in";
    case NXPIF_NXT_PACKET_IN2: return "nxt_packet_in2";
    }
    return NULL;
}

struct ofpbuf *
ofp_encode_nx_set_packet_in_format(uint32_t format, uint8_t version,
                                   uint32_t xid)
{
    struct ofpbuf *b = ofpraw_alloc(OFPTYPE_NXT_SET_PACKET_IN_FORMAT,
                                    version, xid, 4);
    ofpbuf_put_be32(b, format);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_decode_nx_set_packet_in_format(const struct ofp_msg_info *info,
                                   uint32_t *format)
{
    *format = get_be32(info->body);
    return nx_packet_in_format_to_string(*format) ? 0 : OFPERR_OFPBRC_EPERM;
}

/* The pipeline metadata of a packet-in match (in_port, metadata,
 * registers), which have no prerequisites. */
static void
pin_metadata(const struct match *match, struct match *meta)
{
    match_init_catchall(meta);
    for (int id = MFF_IN_PORT; id <= MFF_REG15; id++) {
        const struct mf_field *mf = mf_from_id(id);
        if (id == MFF_IN_PORT || (id >= MFF_METADATA
                                  && !mf_is_all_wild(mf, &match->wc))) {
            union mf_value v, m;
            mf_get_flow_value(mf, &match->flow, &v);
            mf_get_mask(mf, &match->wc, &m);
            mf_set(mf, &v, id == MFF_IN_PORT ? NULL : &m, meta);
        }
    }
}

/* NXT_PACKET_IN2 property types. */
enum {
    NXPINT_PACKET = 0,
    NXPINT_FULL_LEN = 1,
    NXPINT_BUFFER_ID = 2,
    NXPINT_TABLE_ID = 3,
    NXPINT_COOKIE = 4,
    NXPINT_REASON = 5,
    NXPINT_METADATA = 6,
    NXPINT_USERDATA = 7,
    NXPINT_CONTINUATION = 8,
};

static struct ofpbuf *
encode_packet_in2(const struct ofp_packet_in_msg *pin, enum ofptype type,
                  uint8_t version)
{
    struct match meta;
    pin_metadata(&pin->match, &meta);
    struct ofpbuf *b = ofpraw_alloc(type, version, 0,
                                    128 + pin->packet_len
                                    + pin->userdata_len
                                    + pin->continuation_len);
    ofpprop_put(b, NXPINT_PACKET, pin->packet, pin->packet_len);
    if (pin->packet_len < pin->total_len) {
        ofpprop_put_be32(b, NXPINT_FULL_LEN, pin->total_len);
    }
    if (pin->buffer_id != OFP_NO_BUFFER) {
        ofpprop_put_be32(b, NXPINT_BUFFER_ID, pin->buffer_id);
    }
    ofpprop_put_u8(b, NXPINT_TABLE_ID, pin->table_id);
    ofpprop_put_be64(b, NXPINT_COOKIE, pin->cookie);
    ofpprop_put_u8(b, NXPINT_REASON, pin->reason);
    size_t start = ofpprop_start(b, NXPINT_METADATA);
    oxm_fields_put(&meta, b);
    ofpprop_end(b, start);
    if (pin->userdata_len) {
        ofpprop_put(b, NXPINT_USERDATA, pin->userdata, pin->userdata_len);
    }
    if (pin->continuation_len) {
        start = ofpprop_start_aligned(b, NXPINT_CONTINUATION);
        ofpbuf_put(b, pin->continuation, pin->continuation_len);
        ofpprop_end(b, start);
    }
    ofpmsg_update_length(b);
    return b;
}

struct ofpbuf *
ofp_encode_nx_packet_in(const struct ofp_packet_in_msg *pin, uint32_t format,
                        uint8_t version)
{
    if (format == NXPIF_NXT_PACKET_IN) {
        struct match meta;
        pin_metadata(&pin->match, &meta);
        struct ofpbuf *b = ofpraw_alloc(OFPTYPE_NXT_PACKET_IN, version, 0,
                                        64 + pin->packet_len);
        ofpbuf_put_be32(b, pin->buffer_id);
        ofpbuf_put_be16(b, pin->total_len);
        ofpbuf_put_u8(b, pin->reason);
        ofpbuf_put_u8(b, pin->table_id);
        ofpbuf_put_be64(b, pin->cookie);
        size_t len_ofs = b->size;
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_zeros(b, 6);
        ofpbuf_set_be16(b, len_ofs, nx_match_put(&meta, 0, 0, b));
        ofpbuf_put_zeros(b, 2);
        ofpbuf_put(b, pin->packet, pin->packet_len);
        ofpmsg_update_length(b);
        return b;
    }

    return encode_packet_in2(pin, OFPTYPE_NXT_PACKET_IN2, version);
}

struct ofpbuf *
ofp_encode_nx_resume(const struct ofp_packet_in_msg *pin, uint8_t version)
{
    return encode_packet_in2(pin, OFPTYPE_NXT_RESUME, version);
}

static enum ofperr
decode_packet_in2(const uint8_t *p, size_t len, struct ofp_packet_in_msg *pin)
{
    bool have_full_len = false;
    while (len > 0) {
        if (len < 4) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        uint16_t type = get_be16(p), plen = get_be16(p + 2);
        size_t padded = (plen + 7u) / 8 * 8;
        if (plen < 4 || plen > len) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        padded = XVS_MIN(padded, len);
        const uint8_t *v = p + 4;
        size_t vlen = plen - 4;
        enum ofperr error = 0;
        switch (type) {
        case NXPINT_PACKET:
            pin->packet = v;
            pin->packet_len = vlen;
            break;
        case NXPINT_FULL_LEN:
        case NXPINT_BUFFER_ID:
            if (vlen != 4) {
                return OFPERR_OFPBRC_BAD_LEN;
            }
            if (type == NXPINT_FULL_LEN) {
                uint32_t full = get_be32(v);
                pin->total_len = full > UINT16_MAX ? UINT16_MAX : full;
                have_full_len = true;
            } else {
                pin->buffer_id = get_be32(v);
            }
            break;
        case NXPINT_TABLE_ID:
        case NXPINT_REASON:
            if (vlen != 1) {
                return OFPERR_OFPBRC_BAD_LEN;
            }
            *(type == NXPINT_TABLE_ID ? &pin->table_id : &pin->reason) = v[0];
            break;
        case NXPINT_COOKIE:
            if (vlen != 12) {
                return OFPERR_OFPBRC_BAD_LEN;
            }
            pin->cookie = get_be64(v + 4);
            break;
        case NXPINT_METADATA:
            error = oxm_fields_decode(v, vlen, &pin->match, false);
            break;
        case NXPINT_USERDATA:
            pin->userdata = v;
            pin->userdata_len = vlen;
            break;
        case NXPINT_CONTINUATION:
            error = ofpprop_value_aligned(&v, &vlen);
            pin->continuation = v;
            pin->continuation_len = vlen;
            break;
        default:
            /* Newer properties: skipped, as unknown properties may be. */
            break;
        }
        if (error) {
            return error;
        }
        p += padded;
        len -= padded;
    }
    if (!have_full_len) {
        pin->total_len = pin->packet_len > UINT16_MAX ? UINT16_MAX
                                                      : pin->packet_len;
    }
    return 0;
}

enum ofperr
ofp_nx_decode_packet_in(const struct ofp_msg_info *info,
                        struct ofp_packet_in_msg *pin)
{
    const uint8_t *p = info->body;
    memset(pin, 0, sizeof *pin);
    match_init_catchall(&pin->match);
    pin->buffer_id = OFP_NO_BUFFER;
    if (info->type != OFPTYPE_NXT_PACKET_IN) {
        return decode_packet_in2(p, info->body_len, pin);
    }
    pin->buffer_id = get_be32(p);
    pin->total_len = get_be16(p + 4);
    pin->reason = p[6];
    pin->table_id = p[7];
    pin->cookie = get_be64(p + 8);
    uint64_t cookie, cookie_mask;
    size_t used;
    enum ofperr error = nx_match_pull(p + 24, info->body_len - 24,
                                      get_be16(p + 16), &pin->match, &cookie,
                                      &cookie_mask, &used);
    if (error) {
        return error;
    }
    size_t off = 24 + used + 2;
    if (off > info->body_len) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    pin->packet = p + off;
    pin->packet_len = info->body_len - off;
    return 0;
}
