/* ofp-role: role and async-configuration messages. */
#include <config.h>
#include "ofp-role.h"

#include <string.h>
#include "util.h"
#include "ofp-actions.h"
#include "ofp-msgs.h"

/* OF1.4 split OFPR_ACTION into finer reasons; OF1.3 masks have only the
 * three old bits, and its OFPR_ACTION bit stands for all the new ones. */
#define OFPR13_BITS ((1u << OFPR_NO_MATCH) | (1u << OFPR_ACTION) \
                     | (1u << OFPR_INVALID_TTL))
#define OFPR_ACTION_BITS ((1u << OFPR_ACTION) | (1u << OFPR_ACTION_SET) \
                          | (1u << OFPR_GROUP) | (1u << OFPR_PACKET_OUT))

const char *
ofp_role_to_string(uint32_t role)
{
    switch (role) {
    case OFPCR_ROLE_NOCHANGE: return "nochange";
    case OFPCR_ROLE_EQUAL: return "equal";
    case OFPCR_ROLE_MASTER: return "master";
    case OFPCR_ROLE_SLAVE: return "slave";
    }
    return "unknown";
}

enum ofperr
ofp_decode_role(const struct ofp_msg_info *info, struct ofp_role_msg *rm)
{
    if (info->body_len < 16) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    rm->role = get_be32(info->body);
    rm->generation_id = get_be64(info->body + 8);
    return rm->role > OFPCR_ROLE_SLAVE ? OFPERR_OFPRRFC_BAD_ROLE : 0;
}

static struct ofpbuf *
encode_role(enum ofptype type, const struct ofp_role_msg *rm, uint8_t reason,
            uint8_t version, uint32_t xid)
{
    struct ofpbuf *b = ofpraw_alloc(type, version, xid, 16);
    if (b) {
        ofpbuf_put_be32(b, rm->role);
        ofpbuf_put_u8(b, reason);
        ofpbuf_put_zeros(b, 3);
        ofpbuf_put_be64(b, rm->generation_id);
        ofpmsg_update_length(b);
    }
    return b;
}

struct ofpbuf *
ofp_encode_role_reply(const struct ofp_role_msg *rm,
                      const struct ofp_msg_info *request)
{
    return encode_role(OFPTYPE_ROLE_REPLY, rm, 0, request->version,
                       request->xid);
}

struct ofpbuf *
ofp_encode_role_status(const struct ofp_role_msg *rm, uint8_t reason,
                       uint8_t version)
{
    return encode_role(OFPTYPE_ROLE_STATUS, rm, reason, version, 0);
}

void
ofp_async_config_default(struct ofp_async_config *ac, uint8_t version)
{
    /* Packet-in: every reason but OFPR_INVALID_TTL, as Open vSwitch
     * does; port status: OFPPR_ADD, DELETE, MODIFY; flow removed:
     * OFPRR_IDLE_TIMEOUT, HARD_TIMEOUT, DELETE, GROUP_DELETE, and from
     * OpenFlow 1.4 on also METER_DELETE and EVICTION. */
    ac->packet_in[ASYNC_MASTER] = ((1u << OFPR_NO_MATCH)
                                   | OFPR_ACTION_BITS);
    ac->packet_in[ASYNC_SLAVE] = 0;
    ac->port_status[ASYNC_MASTER] = 0x7;
    ac->port_status[ASYNC_SLAVE] = 0x7;
    ac->flow_removed[ASYNC_MASTER] = version >= OFP14_VERSION ? 0x3f : 0xf;
    ac->flow_removed[ASYNC_SLAVE] = 0;
    ac->role_status[ASYNC_MASTER] = 0;
    ac->role_status[ASYNC_SLAVE] = 0;
    ac->table_status[ASYNC_MASTER] = 0;
    ac->table_status[ASYNC_SLAVE] = 0;
}

/* OF1.4+ property types: even numbers are the slave mask, odd the master
 * mask, in the order of this table. */
static uint32_t *
async_prop_mask(struct ofp_async_config *ac, uint16_t type)
{
    uint32_t *masks[] = { ac->packet_in, ac->port_status, ac->flow_removed,
                          ac->role_status, ac->table_status,
                          ac->request_forward };
    if (type / 2 >= ARRAY_SIZE(masks)) {
        return NULL;
    }
    return &masks[type / 2][type % 2 ? ASYNC_MASTER : ASYNC_SLAVE];
}

bool
ofp_async_config_legacy(const struct ofp_msg_info *info)
{
    return (info->type == OFPTYPE_NXT_SET_ASYNC_CONFIG
            || (info->version < OFP14_VERSION
                && info->type != OFPTYPE_NXT_SET_ASYNC_CONFIG2));
}

enum ofperr
ofp_decode_async_config(const struct ofp_msg_info *info,
                        const struct ofp_async_config *base,
                        struct ofp_async_config *ac)
{
    const uint8_t *p = info->body;
    size_t left = info->body_len;

    *ac = *base;
    if (ofp_async_config_legacy(info)) {
        if (left < 24) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        for (int i = 0; i < 2; i++) {
            ac->packet_in[i] = get_be32(p + 4 * i) & OFPR13_BITS;
            if (ac->packet_in[i] & (1u << OFPR_ACTION)) {
                ac->packet_in[i] |= OFPR_ACTION_BITS;
            }
            ac->port_status[i] = get_be32(p + 8 + 4 * i);
            ac->flow_removed[i] = get_be32(p + 16 + 4 * i);
        }
        return 0;
    }
    while (left) {
        if (left < 8) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        uint16_t type = get_be16(p), len = get_be16(p + 2);
        if (len != 8 || len > left) {
            return OFPERR_OFPACFC_INVALID;
        }
        if (type > 11) {
            return OFPERR_OFPACFC_UNSUPPORTED;
        }
        /* The reasons each kind has in this version, as Open vSwitch
         * allows them: before 1.4 a packet-in has three. */
        static const uint32_t allowed[] = { 0x3f, 0x7, 0x3f, 0x7, 0x18,
                                            0x3 };
        uint32_t value = get_be32(p + 4);
        uint32_t ok = (type < 2 && info->version < OFP14_VERSION
                       ? OFPR13_BITS : allowed[type / 2]);
        if (value & ~ok) {
            return OFPERR_OFPACFC_INVALID;
        }
        if (type < 2 && info->version < OFP14_VERSION
            && value & (1u << OFPR_ACTION)) {
            value |= OFPR_ACTION_BITS;
        }
        *async_prop_mask(ac, type) = value;
        p += len;
        left -= len;
    }
    return 0;
}

struct ofpbuf *
ofp_encode_async_config(const struct ofp_async_config *ac_, int type,
                        uint8_t version, uint32_t xid)
{
    struct ofp_async_config ac = *ac_;
    struct ofpbuf *b = ofpraw_alloc(type, version, xid, 64);
    if (!b) {
        return NULL;
    }
    if (version == OFP13_VERSION) {
        for (int i = 0; i < 2; i++) {
            ofpbuf_put_be32(b, ac.packet_in[i] & OFPR13_BITS);
        }
        for (int i = 0; i < 2; i++) {
            ofpbuf_put_be32(b, ac.port_status[i]);
        }
        for (int i = 0; i < 2; i++) {
            ofpbuf_put_be32(b, ac.flow_removed[i]);
        }
    } else {
        for (uint16_t t = 0; t < 12; t++) {
            ofpbuf_put_be16(b, t);
            ofpbuf_put_be16(b, 8);
            ofpbuf_put_be32(b, *async_prop_mask(&ac, t));
        }
    }
    ofpmsg_update_length(b);
    return b;
}

void
ofp_async_config_format(struct ds *s, const struct ofp_async_config *ac,
                        bool legacy)
{
    /* Reason names by bit, per kind, in ovs-ofctl's words; NULL where a
     * kind has no reason. */
    static const struct {
        const char *title;
        const char *names[6];
    } kinds[] = {
        { "      PACKET_IN", { "no_match", "action", "invalid_ttl",
                               "action_set", "group", "packet_out" } },
        { "    PORT_STATUS", { "add", "delete", "modify" } },
        { "   FLOW_REMOVED", { "idle", "hard", "delete", "group_delete",
                               "meter_delete", "eviction" } },
        { "    ROLE_STATUS", { "primary_request", "configuration_changed",
                               "experimenter_data_changed" } },
        { "   TABLE_STATUS", { NULL, NULL, NULL, "vacancy_down",
                               "vacancy_up" } },
        { " REQUESTFORWARD", { "group_mod_request", "meter_mod_request" } },
    };
    struct ofp_async_config copy = *ac;
    for (int role = ASYNC_MASTER; role <= ASYNC_SLAVE; role++) {
        ds_put_format(s, "%s\n %s:", role == ASYNC_MASTER ? "" : "\n",
                      role == ASYNC_MASTER ? "primary" : "secondary");
        for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
            uint32_t mask = *async_prop_mask(&copy,
                                             k * 2 + (role == ASYNC_MASTER));
            if (k == 0 && legacy) {
                mask &= OFPR13_BITS;
            }
            ds_put_format(s, "\n %s:", kinds[k].title);
            bool any = false;
            for (int bit = 0; bit < 6; bit++) {
                if (mask & (1u << bit) && kinds[k].names[bit]) {
                    ds_put_format(s, " %s", kinds[k].names[bit]);
                    any = true;
                }
            }
            if (!any) {
                ds_put_cstr(s, " (off)");
            }
        }
    }
}
