/* ofp-switch: session and switch-level messages — hello and version
 * negotiation, echo, errors, features, switch config, description. */
#include <config.h>
#include "ofp-msgs.h"

#include <stdlib.h>
#include <string.h>

#define OFPHET_VERSIONBITMAP 1

struct ofpbuf *
ofp_encode_hello(uint32_t versions)
{
    uint8_t version = ofp_versions_highest(versions);
    struct ofpbuf *b = ofpraw_alloc(OFPTYPE_HELLO, version, ofpmsg_next_xid(),
                                    8);
    /* OpenFlow 1.0 peers ignore the body; 1.3+ peers use the bitmap. */
    if (versions & ~(1u << OFP10_VERSION)) {
        ofpbuf_put_be16(b, OFPHET_VERSIONBITMAP);
        ofpbuf_put_be16(b, 8);
        ofpbuf_put_be32(b, versions);
    }
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_decode_hello(const struct ofp_msg_info *info, uint32_t *versions)
{
    const uint8_t *p = info->body;
    size_t len = info->body_len;
    /* Without a bitmap the peer supports everything up to its version. */
    *versions = info->version >= 31 ? UINT32_MAX - 1
                                     : ((1u << (info->version + 1)) - 2);
    if (info->version < OFP13_VERSION) {
        return 0;
    }
    while (len >= 4) {
        uint16_t type = get_be16(p), elen = get_be16(p + 2);
        size_t padded = (elen + 7u) / 8 * 8;
        if (elen < 4 || elen > len) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        if (type == OFPHET_VERSIONBITMAP && elen >= 8) {
            *versions = get_be32(p + 4);
        }
        if (padded >= len) {
            break;
        }
        p += padded;
        len -= padded;
    }
    return 0;
}

uint8_t
ofp_negotiate_version(uint32_t ours, uint32_t theirs)
{
    return ofp_versions_highest(ours & theirs);
}

struct ofpbuf *
ofp_encode_echo_request(uint8_t version)
{
    return ofpraw_alloc(OFPTYPE_ECHO_REQUEST, version, ofpmsg_next_xid(), 0);
}

struct ofpbuf *
ofp_encode_echo_reply(const struct ofp_msg_info *request)
{
    struct ofpbuf *b = ofpraw_alloc_reply(OFPTYPE_ECHO_REPLY, request,
                                          request->body_len);
    ofpbuf_put(b, request->body, request->body_len);
    ofpmsg_update_length(b);
    return b;
}

struct ofpbuf *
ofp_encode_empty(enum ofptype type, uint8_t version, uint32_t xid)
{
    struct ofpbuf *b = ofpraw_alloc(type, version, xid, 8);
    if (b && type == OFPTYPE_PORT_DESC_STATS_REQUEST
        && version >= OFP15_VERSION) {
        /* OpenFlow 1.5 names the port to describe: all of them. */
        ofpbuf_put_be32(b, OFPP_ANY);
        ofpbuf_put_zeros(b, 4);
        ofpmsg_update_length(b);
    }
    return b;
}

enum ofperr
ofp_decode_error(const struct ofp_msg_info *info, struct ofp_error_msg *em)
{
    memset(em, 0, sizeof *em);
    if (info->body_len < 4) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    em->type = get_be16(info->body);
    em->code = get_be16(info->body + 2);
    em->data = info->body + 4;
    em->data_len = info->body_len - 4;
    bool old = info->version <= OFP11_VERSION;
    if (old && em->type == NXET_VENDOR && em->code == NXVC_VENDOR_ERROR
        && em->data_len >= 8) {
        /* Vendor id, the vendor's type and code, then the data. */
        em->vendor = get_be32(em->data);
        em->error = ofperr_decode_vendor(info->version, em->vendor,
                                         get_be16(em->data + 4),
                                         get_be16(em->data + 6));
        em->data += 8;
        em->data_len -= 8;
    } else if (!old && em->type == OFPET_EXPERIMENTER
               && em->data_len >= 4) {
        /* exp_type, then the experimenter id, then the data. */
        em->vendor = get_be32(em->data);
        em->error = ofperr_decode_vendor(info->version, em->vendor, 0,
                                         em->code);
        em->data += 4;
        em->data_len -= 4;
    } else {
        em->error = ofperr_decode_type_code(info->version, em->type,
                                            em->code);
    }
    return 0;
}

struct ofpbuf *
ofp_encode_error(enum ofperr error, uint8_t version, uint32_t xid,
                 const void *request, size_t request_len)
{
    uint16_t type, code;
    uint32_t vendor;
    if (!ofp_version_is_supported(version)) {
        version = OFP10_VERSION;
    }
    size_t n = request ? XVS_MIN(request_len, 64) : 0;
    struct ofpbuf *b = ofpraw_alloc(OFPTYPE_ERROR, version, xid, 12 + n);
    if (!ofperr_get_vendor(error, version, &vendor, &type, &code)
        && !ofperr_get_type_code(error, version, &type, &code)) {
        /* E.g. a bad-match error in OpenFlow 1.0, as Open vSwitch. */
        error = OFPERR_NXBRC_UNENCODABLE_ERROR;
    }
    if (ofperr_get_vendor(error, version, &vendor, &type, &code)) {
        if (version <= OFP11_VERSION) {
            ofpbuf_put_be16(b, NXET_VENDOR);
            ofpbuf_put_be16(b, NXVC_VENDOR_ERROR);
            ofpbuf_put_be32(b, vendor);
            ofpbuf_put_be16(b, type);
            ofpbuf_put_be16(b, code);
        } else {
            ofpbuf_put_be16(b, OFPET_EXPERIMENTER);
            ofpbuf_put_be16(b, code);
            ofpbuf_put_be32(b, vendor);
        }
    } else {
        ofperr_get_type_code(error, version, &type, &code);
        ofpbuf_put_be16(b, type);
        ofpbuf_put_be16(b, code);
    }
    ofpbuf_put(b, request, n);
    ofpmsg_update_length(b);
    return b;
}

/* ---- Features. ---- */

struct ofpbuf *
ofp_encode_features_reply(const struct ofp_switch_features *f,
                          const struct ofp_msg_info *request)
{
    struct ofpbuf *b = ofpraw_alloc_reply(OFPTYPE_FEATURES_REPLY, request,
                                          24 + 48 * f->n_ports);
    ofpbuf_put_be64(b, f->datapath_id);
    ofpbuf_put_be32(b, f->n_buffers);
    ofpbuf_put_u8(b, f->n_tables);
    if (request->version == OFP10_VERSION) {
        ofpbuf_put_zeros(b, 3);
        ofpbuf_put_be32(b, f->capabilities);
        /* Supported OF1.0 actions: output, vlan, strip, dl, nw, tp. */
        ofpbuf_put_be32(b, 0x7ff);
        for (size_t i = 0; i < f->n_ports; i++) {
            ofp_phy_port_put(&f->ports[i], OFP10_VERSION, b);
        }
    } else {
        ofpbuf_put_u8(b, f->auxiliary_id);
        ofpbuf_put_zeros(b, 2);
        ofpbuf_put_be32(b, f->capabilities);
        ofpbuf_put_be32(b, 0);
    }
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_decode_features_reply(const struct ofp_msg_info *info,
                          struct ofp_switch_features *f)
{
    const uint8_t *p = info->body;
    memset(f, 0, sizeof *f);
    if (info->body_len < 24) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    f->datapath_id = get_be64(p);
    f->n_buffers = get_be32(p + 8);
    f->n_tables = p[12];
    f->auxiliary_id = info->version == OFP10_VERSION ? 0 : p[13];
    f->capabilities = get_be32(p + 16);
    if (info->version == OFP10_VERSION) {
        f->actions = get_be32(p + 20);
        size_t len = info->body_len - 24;
        p += 24;
        while (len > 0) {
            struct ofp_phy_port port;
            size_t n;
            enum ofperr error = ofp_phy_port_pull(p, len, OFP10_VERSION,
                                                  &port, &n);
            if (error) {
                ofp_switch_features_uninit(f);
                return error;
            }
            f->ports = xrealloc(f->ports, (f->n_ports + 1) * sizeof *f->ports);
            f->ports[f->n_ports++] = port;
            p += n;
            len -= n;
        }
    }
    return 0;
}

void
ofp_switch_features_uninit(struct ofp_switch_features *f)
{
    free(f->ports);
    f->ports = NULL;
    f->n_ports = 0;
}

/* ---- Switch configuration. ---- */

struct ofpbuf *
ofp_encode_switch_config(enum ofptype type, uint8_t version, uint32_t xid,
                         const struct ofp_switch_config *c)
{
    struct ofpbuf *b = ofpraw_alloc(type, version, xid, 4);
    if (!b) {
        return NULL;
    }
    ofpbuf_put_be16(b, c->flags);
    ofpbuf_put_be16(b, c->miss_send_len);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_decode_switch_config(const struct ofp_msg_info *info,
                         struct ofp_switch_config *c)
{
    if (info->body_len < 4) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    c->flags = get_be16(info->body);
    c->miss_send_len = get_be16(info->body + 2);
    return 0;
}

/* ---- Description. ---- */

static void
put_string(struct ofpbuf *b, const char *s, size_t width)
{
    char *field = ofpbuf_put_zeros(b, width);
    memcpy(field, s, strnlen(s, width - 1));
}

static void
pull_string(char *dst, const uint8_t *src, size_t width)
{
    memcpy(dst, src, width);
    dst[width - 1] = '\0';
}

struct ofpbuf *
ofp_encode_desc_stats_reply(const struct ofp_desc_stats *d,
                            const struct ofp_msg_info *req)
{
    struct ofpbuf *b = ofpraw_alloc_reply(OFPTYPE_DESC_STATS_REPLY, req, 1056);
    put_string(b, d->mfr_desc, 256);
    put_string(b, d->hw_desc, 256);
    put_string(b, d->sw_desc, 256);
    put_string(b, d->serial_num, 32);
    put_string(b, d->dp_desc, 256);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_decode_desc_stats_reply(const struct ofp_msg_info *info,
                            struct ofp_desc_stats *d)
{
    const uint8_t *p = info->body;
    if (info->body_len < 1056) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    pull_string(d->mfr_desc, p, 256);
    pull_string(d->hw_desc, p + 256, 256);
    pull_string(d->sw_desc, p + 512, 256);
    pull_string(d->serial_num, p + 768, 32);
    pull_string(d->dp_desc, p + 800, 256);
    return 0;
}
