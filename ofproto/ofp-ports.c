/* ofp-ports: port descriptions, port status and port statistics in each
 * version's layout. */
#include <config.h>
#include "ofp-msgs.h"

#include <stdlib.h>
#include <string.h>

#define OFPPDPT_ETHERNET 0
#define OFPPSPT_ETHERNET 0

/* OpenFlow 1.0 numbers features like 1.3 up to 10GB_FD (bit 6); 1.3's
 * COPPER..PAUSE_ASYM (bits 11-15) are 1.0's bits 7-11. */
static uint32_t
features_to_of10(uint32_t f)
{
    return (f & 0x7f) | (((f >> 11) & 0x1f) << 7);
}

static uint32_t
features_from_of10(uint32_t f)
{
    return (f & 0x7f) | (((f >> 7) & 0x1f) << 11);
}

/* Features and speeds: consecutive in OpenFlow 1.3's port and in the
 * Ethernet property of OpenFlow 1.4 and later. */
static void
put_port_ethernet(const struct ofp_phy_port *pp, struct ofpbuf *b)
{
    ofpbuf_put_be32(b, pp->curr);
    ofpbuf_put_be32(b, pp->advertised);
    ofpbuf_put_be32(b, pp->supported);
    ofpbuf_put_be32(b, pp->peer);
    ofpbuf_put_be32(b, pp->curr_speed);
    ofpbuf_put_be32(b, pp->max_speed);
}

static void
pull_port_ethernet(struct ofp_phy_port *pp, const uint8_t *e)
{
    pp->curr = get_be32(e);
    pp->advertised = get_be32(e + 4);
    pp->supported = get_be32(e + 8);
    pp->peer = get_be32(e + 12);
    pp->curr_speed = get_be32(e + 16);
    pp->max_speed = get_be32(e + 20);
}

void
ofp_phy_port_put(const struct ofp_phy_port *pp, uint8_t version,
                 struct ofpbuf *b)
{
    char name[16];
    memset(name, 0, sizeof name);
    memcpy(name, pp->name, strnlen(pp->name, sizeof name - 1));
    if (version == OFP10_VERSION) {
        uint16_t port;
        ofp_port_to_of10(pp->port_no, &port);
        ofpbuf_put_be16(b, port);
        ofpbuf_put(b, pp->hw_addr.ea, 6);
        ofpbuf_put(b, name, 16);
        ofpbuf_put_be32(b, pp->config);
        ofpbuf_put_be32(b, pp->state & OFPPS_LINK_DOWN);
        ofpbuf_put_be32(b, features_to_of10(pp->curr));
        ofpbuf_put_be32(b, features_to_of10(pp->advertised));
        ofpbuf_put_be32(b, features_to_of10(pp->supported));
        ofpbuf_put_be32(b, features_to_of10(pp->peer));
    } else {
        /* OpenFlow 1.4 has a length where 1.3 has padding, and puts the
         * features and speeds into an Ethernet property. */
        bool of13 = version == OFP13_VERSION;
        ofpbuf_put_be32(b, pp->port_no);
        ofpbuf_put_be16(b, of13 ? 0 : 72);
        ofpbuf_put_zeros(b, 2);
        ofpbuf_put(b, pp->hw_addr.ea, 6);
        ofpbuf_put_zeros(b, 2);
        ofpbuf_put(b, name, 16);
        /* OpenFlow 1.1 dropped the STP and flood bits. */
        ofpbuf_put_be32(b, pp->config & (OFPPC_PORT_DOWN | OFPPC_NO_RECV
                                         | OFPPC_NO_FWD
                                         | OFPPC_NO_PACKET_IN));
        ofpbuf_put_be32(b, pp->state);
        if (!of13) {
            ofpbuf_put_be16(b, OFPPDPT_ETHERNET);
            ofpbuf_put_be16(b, 32);
            ofpbuf_put_zeros(b, 4);
        }
        put_port_ethernet(pp, b);
    }
}

static void
pull_name(char name[16], const uint8_t *p)
{
    memcpy(name, p, 16);
    name[15] = '\0';
}

/* What OpenFlow 1.3 and later put at the same offsets of a port. */
static void
pull_port_header(struct ofp_phy_port *pp, const uint8_t *p)
{
    pp->port_no = get_be32(p);
    memcpy(pp->hw_addr.ea, p + 8, 6);
    pull_name(pp->name, p + 16);
    pp->config = get_be32(p + 32);
    pp->state = get_be32(p + 36);
}

/* The fastest rate among OFPPF_* 'features', in kbps (0 if none). */
static uint32_t
ofp_features_to_kbps(uint32_t features)
{
    /* Bits 0-9 are 10M HD/FD, 100M HD/FD, 1G HD/FD, 10G, 40G, 100G, 1T. */
    static const uint32_t kbps[] = {
        10000, 10000, 100000, 100000, 1000000, 1000000, 10000000,
        40000000, 100000000, 1000000000,
    };
    for (int i = ARRAY_SIZE(kbps) - 1; i >= 0; i--) {
        if (features & (UINT32_C(1) << i)) {
            return kbps[i];
        }
    }
    return 0;
}

enum ofperr
ofp_phy_port_pull(const uint8_t *p, size_t len, uint8_t version,
                  struct ofp_phy_port *pp, size_t *consumed)
{
    memset(pp, 0, sizeof *pp);
    if (version == OFP10_VERSION) {
        if (len < 48) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        pp->port_no = ofp_port_from_of10(get_be16(p));
        memcpy(pp->hw_addr.ea, p + 2, 6);
        pull_name(pp->name, p + 8);
        pp->config = get_be32(p + 24);
        pp->state = get_be32(p + 28) & OFPPS_LINK_DOWN;
        pp->curr = features_from_of10(get_be32(p + 32));
        pp->advertised = features_from_of10(get_be32(p + 36));
        pp->supported = features_from_of10(get_be32(p + 40));
        pp->peer = features_from_of10(get_be32(p + 44));
        /* OpenFlow 1.0 has no speeds: the fastest rate bit says it. */
        pp->curr_speed = ofp_features_to_kbps(pp->curr);
        pp->max_speed = ofp_features_to_kbps(pp->supported);
        *consumed = 48;
        return 0;
    }
    if (version == OFP13_VERSION) {
        if (len < 64) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        pull_port_header(pp, p);
        pull_port_ethernet(pp, p + 40);
        *consumed = 64;
        return 0;
    }
    if (len < 40) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    size_t plen = get_be16(p + 4);
    if (plen < 40 || plen > len || plen % 8) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    pull_port_header(pp, p);
    for (size_t ofs = 40; ofs + 4 <= plen;) {
        uint16_t type = get_be16(p + ofs), prop_len = get_be16(p + ofs + 2);
        if (prop_len < 4 || ofs + prop_len > plen) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        if (type == OFPPDPT_ETHERNET && prop_len >= 32) {
            pull_port_ethernet(pp, p + ofs + 8);
        }
        ofs += (prop_len + 7u) / 8 * 8;
    }
    *consumed = plen;
    return 0;
}

struct ofpbuf *
ofp_encode_port_desc_reply(const struct ofp_phy_port *ports, size_t n,
                           const struct ofp_msg_info *req)
{
    struct ofpbuf *b = ofpraw_alloc_reply(OFPTYPE_PORT_DESC_STATS_REPLY, req,
                                          72 * n);
    for (size_t i = 0; i < n; i++) {
        ofp_phy_port_put(&ports[i], req->version, b);
    }
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_decode_port_desc_reply(const struct ofp_msg_info *info,
                           struct ofp_phy_port **ports, size_t *n)
{
    const uint8_t *p = info->body;
    size_t len = info->body_len;
    while (len > 0) {
        struct ofp_phy_port pp;
        size_t used;
        enum ofperr error = ofp_phy_port_pull(p, len, info->version, &pp,
                                              &used);
        if (error) {
            return error;
        }
        *ports = xrealloc(*ports, (*n + 1) * sizeof **ports);
        (*ports)[(*n)++] = pp;
        p += used;
        len -= used;
    }
    return 0;
}

enum ofperr
ofp_decode_port_desc_request(const struct ofp_msg_info *info,
                             uint32_t *port_no)
{
    *port_no = OFPP_ANY;
    if (info->version >= OFP15_VERSION) {
        if (info->body_len < 8) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        *port_no = get_be32(info->body);
    }
    return 0;
}

struct ofpbuf *
ofp_encode_port_status(const struct ofp_port_status_msg *ps, uint8_t version)
{
    struct ofpbuf *b = ofpraw_alloc(OFPTYPE_PORT_STATUS, version, 0, 80);
    if (!b) {
        return NULL;
    }
    ofpbuf_put_u8(b, ps->reason);
    ofpbuf_put_zeros(b, 7);
    ofp_phy_port_put(&ps->desc, version, b);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_decode_port_status(const struct ofp_msg_info *info,
                       struct ofp_port_status_msg *ps)
{
    size_t used;
    if (info->body_len < 8) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    ps->reason = info->body[0];
    return ofp_phy_port_pull(info->body + 8, info->body_len - 8,
                             info->version, &ps->desc, &used);
}

/* ---- Port mod. ---- */

/* The config bits OpenFlow 1.1 and later have: NO_STP, NO_RECV_STP and
 * NO_FLOOD are OpenFlow 1.0's.  As Open vSwitch, port mods in later
 * versions neither send nor take the others. */
#define OFPPC11_ALL (OFPPC_PORT_DOWN | OFPPC_NO_RECV | OFPPC_NO_FWD \
                     | OFPPC_NO_PACKET_IN)

struct ofpbuf *
ofp_encode_port_mod(const struct ofp_port_mod_msg *pm, uint8_t version,
                    uint32_t xid)
{
    struct ofpbuf *b = ofpraw_alloc(OFPTYPE_PORT_MOD, version, xid, 32);
    if (version == OFP10_VERSION) {
        uint16_t port;
        ofp_port_to_of10(pm->port_no, &port);
        ofpbuf_put_be16(b, port);
        ofpbuf_put(b, pm->hw_addr.ea, 6);
        ofpbuf_put_be32(b, pm->config);
        ofpbuf_put_be32(b, pm->mask);
        ofpbuf_put_be32(b, features_to_of10(pm->advertise));
        ofpbuf_put_zeros(b, 4);
    } else {
        ofpbuf_put_be32(b, pm->port_no);
        ofpbuf_put_zeros(b, 4);
        ofpbuf_put(b, pm->hw_addr.ea, 6);
        ofpbuf_put_zeros(b, 2);
        ofpbuf_put_be32(b, pm->config & OFPPC11_ALL);
        ofpbuf_put_be32(b, pm->mask & OFPPC11_ALL);
        if (version == OFP13_VERSION) {
            ofpbuf_put_be32(b, pm->advertise);
            ofpbuf_put_zeros(b, 4);
        } else if (pm->advertise) {
            /* OFPPMPT_ETHERNET property. */
            ofpbuf_put_be16(b, 0);
            ofpbuf_put_be16(b, 8);
            ofpbuf_put_be32(b, pm->advertise);
        }
    }
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_decode_port_mod(const struct ofp_msg_info *info,
                    struct ofp_port_mod_msg *pm)
{
    const uint8_t *p = info->body;
    memset(pm, 0, sizeof *pm);
    if (info->version == OFP10_VERSION) {
        pm->port_no = ofp_port_from_of10(get_be16(p));
        memcpy(pm->hw_addr.ea, p + 2, 6);
        pm->config = get_be32(p + 8);
        pm->mask = get_be32(p + 12);
        pm->advertise = features_from_of10(get_be32(p + 16));
        return 0;
    }
    pm->port_no = get_be32(p);
    memcpy(pm->hw_addr.ea, p + 8, 6);
    pm->config = get_be32(p + 16) & OFPPC11_ALL;
    pm->mask = get_be32(p + 20) & OFPPC11_ALL;
    if (info->version == OFP13_VERSION) {
        pm->advertise = get_be32(p + 24);
        return 0;
    }
    /* OpenFlow 1.4+: properties; only the Ethernet one means anything. */
    for (size_t ofs = 24; ofs < info->body_len; ) {
        if (info->body_len - ofs < 4) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        uint16_t type = get_be16(p + ofs);
        uint16_t len = get_be16(p + ofs + 2);
        if (len < 4 || len > info->body_len - ofs) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        if (type == 0 && len >= 8) {
            pm->advertise = get_be32(p + ofs + 4);
        }
        ofs += (len + 7) / 8 * 8;
    }
    return 0;
}

/* ---- Port statistics. ---- */

struct ofpbuf *
ofp_encode_port_stats_request(uint32_t port_no, uint8_t version, uint32_t xid)
{
    struct ofpbuf *b = ofpraw_alloc(OFPTYPE_PORT_STATS_REQUEST, version, xid,
                                    8);
    if (version == OFP10_VERSION) {
        uint16_t port;
        ofp_port_to_of10(port_no, &port);
        ofpbuf_put_be16(b, port);
        ofpbuf_put_zeros(b, 6);
    } else {
        ofpbuf_put_be32(b, port_no);
        ofpbuf_put_zeros(b, 4);
    }
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_decode_port_stats_request(const struct ofp_msg_info *info,
                              uint32_t *port_no)
{
    if (info->body_len < 8) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    *port_no = (info->version == OFP10_VERSION
                ? ofp_port_from_of10(get_be16(info->body))
                : get_be32(info->body));
    return 0;
}

static size_t
port_stats_len(uint8_t version)
{
    return (version == OFP10_VERSION ? 104
            : version == OFP13_VERSION ? 112 : 120);
}

static void
put_port_stats(const struct ofp_port_stats *ps, uint8_t version,
               struct ofpbuf *b)
{
    const uint64_t first8[8] = {
        ps->rx_packets, ps->tx_packets, ps->rx_bytes, ps->tx_bytes,
        ps->rx_dropped, ps->tx_dropped, ps->rx_errors, ps->tx_errors,
    };
    const uint64_t eth4[4] = {
        ps->rx_frame_err, ps->rx_over_err, ps->rx_crc_err, ps->collisions,
    };
    if (version >= OFP14_VERSION) {
        ofpbuf_put_be16(b, 120);
        ofpbuf_put_zeros(b, 2);
        ofpbuf_put_be32(b, ps->port_no);
        ofpbuf_put_be32(b, ps->duration_sec);
        ofpbuf_put_be32(b, ps->duration_nsec);
        for (int i = 0; i < 8; i++) {
            ofpbuf_put_be64(b, first8[i]);
        }
        ofpbuf_put_be16(b, OFPPSPT_ETHERNET);
        ofpbuf_put_be16(b, 40);
        ofpbuf_put_zeros(b, 4);
        for (int i = 0; i < 4; i++) {
            ofpbuf_put_be64(b, eth4[i]);
        }
        return;
    }
    if (version == OFP10_VERSION) {
        uint16_t port;
        ofp_port_to_of10(ps->port_no, &port);
        ofpbuf_put_be16(b, port);
        ofpbuf_put_zeros(b, 6);
    } else {
        ofpbuf_put_be32(b, ps->port_no);
        ofpbuf_put_zeros(b, 4);
    }
    for (int i = 0; i < 8; i++) {
        ofpbuf_put_be64(b, first8[i]);
    }
    for (int i = 0; i < 4; i++) {
        ofpbuf_put_be64(b, eth4[i]);
    }
    if (version == OFP13_VERSION) {
        ofpbuf_put_be32(b, ps->duration_sec);
        ofpbuf_put_be32(b, ps->duration_nsec);
    }
}

void
ofp_encode_port_stats_reply(const struct ofp_port_stats *ps, size_t n,
                            const struct ofp_msg_info *request,
                            struct ofpbuf_vec *out)
{
    struct ofpbuf *b = ofpraw_alloc_reply(OFPTYPE_PORT_STATS_REPLY, request,
                                          0);
    for (size_t i = 0; i < n; i++) {
        if (b->size + port_stats_len(request->version) > OFP_MAX_MSG_LEN) {
            ofpbuf_set_be16(b, 10, OFPMPF_REPLY_MORE);
            ofpmsg_update_length(b);
            ofpbuf_vec_push(out, b);
            b = ofpraw_alloc_reply(OFPTYPE_PORT_STATS_REPLY, request, 0);
        }
        put_port_stats(&ps[i], request->version, b);
    }
    ofpmsg_update_length(b);
    ofpbuf_vec_push(out, b);
}

enum ofperr
ofp_decode_port_stats_reply(const struct ofp_msg_info *info,
                            struct ofp_port_stats **psp, size_t *n)
{
    const uint8_t *p = info->body;
    size_t len = info->body_len;
    uint8_t version = info->version;
    while (len > 0) {
        struct ofp_port_stats ps;
        size_t used = port_stats_len(version);
        memset(&ps, 0, sizeof ps);
        if (len < used) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        const uint8_t *c;
        if (version >= OFP14_VERSION) {
            used = get_be16(p);
            if (used < 80 || used > len || used % 8) {
                return OFPERR_OFPBRC_BAD_LEN;
            }
            ps.port_no = get_be32(p + 4);
            ps.duration_sec = get_be32(p + 8);
            ps.duration_nsec = get_be32(p + 12);
            c = p + 16;
        } else {
            ps.port_no = (version == OFP10_VERSION
                          ? ofp_port_from_of10(get_be16(p)) : get_be32(p));
            c = p + 8;
        }
        ps.rx_packets = get_be64(c);
        ps.tx_packets = get_be64(c + 8);
        ps.rx_bytes = get_be64(c + 16);
        ps.tx_bytes = get_be64(c + 24);
        ps.rx_dropped = get_be64(c + 32);
        ps.tx_dropped = get_be64(c + 40);
        ps.rx_errors = get_be64(c + 48);
        ps.tx_errors = get_be64(c + 56);
        const uint8_t *e = NULL;
        if (version >= OFP14_VERSION) {
            if (used >= 120 && get_be16(p + 80) == OFPPSPT_ETHERNET
                && get_be16(p + 82) >= 40) {
                e = p + 88;
            }
        } else {
            e = c + 64;
            if (version == OFP13_VERSION) {
                ps.duration_sec = get_be32(c + 96);
                ps.duration_nsec = get_be32(c + 100);
            }
        }
        if (e) {
            ps.rx_frame_err = get_be64(e);
            ps.rx_over_err = get_be64(e + 8);
            ps.rx_crc_err = get_be64(e + 16);
            ps.collisions = get_be64(e + 24);
        }
        *psp = xrealloc(*psp, (*n + 1) * sizeof **psp);
        (*psp)[(*n)++] = ps;
        p += used;
        len -= used;
    }
    return 0;
}
