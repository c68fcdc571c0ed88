/* ofp-monitor: flow monitor requests, updates and control messages. */
#include <config.h>
#include "ofp-monitor.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "meta-flow.h"
#include "ofp-match.h"
#include "ofp-msgs.h"
#include "ofp-port.h"
#include "ofpbuf.h"
#include "util.h"

/* Nicira request: id(4) flags(2) out_port(2) match_len(2) table_id(1)
 * zeros(5), then the NXM match padded to 8. */
#define NX_FMR_LEN 16
/* OpenFlow 1.4 request: monitor_id(4) out_port(4) out_group(4) flags(2)
 * table_id(1) command(1), then an ofp_match. */
#define OF14_FMR_LEN 16
/* ONF's OpenFlow 1.3 request: id(4) flags(2) match_len(2) out_port(4)
 * table_id(1) zeros(3), then an ofp_match (match_len: its unpadded
 * length).  Flags and events are Nicira's. */
#define ONF_FMR_LEN 16

/* OpenFlow 1.4 flag bits (the four event bits are the same as
 * Nicira's). */
#define OF14_FMF_INSTRUCTIONS (1 << 4)
#define OF14_FMF_NO_ABBREV    (1 << 5)
/* The standard calls bit 6 ONLY_OWN ("no other controller's changes");
 * Open vSwitch's ovs-ofctl sets it for "own" and its switch reads it so,
 * still reporting every change, and so does this codec. */
#define OF14_FMF_OWN          (1 << 6)

#define OFP_FMF_EVENTS (OFP_FMF_INITIAL | OFP_FMF_ADD | OFP_FMF_DELETE \
                        | OFP_FMF_MODIFY)

/* The three encodings, by version. */
enum fm_wire {
    FM_NX,                      /* OpenFlow 1.0: Nicira's. */
    FM_ONF,                     /* OpenFlow 1.3: ONF's EXT-187. */
    FM_OF14,                    /* OpenFlow 1.4 and later. */
};

static enum fm_wire
fm_wire(uint8_t version)
{
    return (version >= OFP14_VERSION ? FM_OF14
            : version == OFP13_VERSION ? FM_ONF : FM_NX);
}

/* Nicira's and ONF's share flags, update layout and event numbers. */
static bool
is_nx(uint8_t version)
{
    return fm_wire(version) != FM_OF14;
}

/* The 'struct ofp_match' at 'p' of ONF's messages, whose length field
 * 'match_len' must agree with the match's own. */
static enum ofperr
pull_onf_match(const uint8_t *p, size_t len, uint16_t match_len,
               struct match *match, size_t *used)
{
    if (len < 4 || get_be16(p + 2) != match_len) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    return oxm_match_pull(p, len, match, used);
}

/* Appends 'match' as ONF's messages carry it, and stores its unpadded
 * length at 'len_ofs'. */
static void
put_onf_match(const struct match *match, size_t len_ofs, struct ofpbuf *b)
{
    size_t start = b->size;
    oxm_match_put(match, b);
    ofpbuf_set_be16(b, len_ofs,
                    get_be16((const uint8_t *) b->data + start + 2));
}

/* ---- Requests. ---- */

static enum ofperr
pull_nx_request(const uint8_t *p, size_t len,
                struct ofp_flow_monitor_request *r, size_t *used)
{
    if (len < NX_FMR_LEN) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    memset(r, 0, sizeof *r);
    r->id = get_be32(p);
    r->flags = get_be16(p + 4);
    r->out_port = ofp_port_from_of10(get_be16(p + 6));
    r->out_group = OFPG_ANY;
    r->table_id = p[10];
    r->command = OFP_FMC_ADD;
    if (r->flags & ~(OFP_FMF_EVENTS | OFP_FMF_ACTIONS | OFP_FMF_OWN)) {
        return OFPERR_OFPMOFC_BAD_FLAGS;
    }
    uint64_t cookie, cookie_mask;
    size_t mlen;
    enum ofperr error = nx_match_pull(p + NX_FMR_LEN, len - NX_FMR_LEN,
                                      get_be16(p + 8), &r->match, &cookie,
                                      &cookie_mask, &mlen);
    *used = NX_FMR_LEN + mlen;
    return error;
}

static enum ofperr
pull_onf_request(const uint8_t *p, size_t len,
                 struct ofp_flow_monitor_request *r, size_t *used)
{
    if (len < ONF_FMR_LEN) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    memset(r, 0, sizeof *r);
    r->id = get_be32(p);
    r->flags = get_be16(p + 4);
    r->out_port = get_be32(p + 8);
    r->out_group = OFPG_ANY;
    r->table_id = p[12];
    r->command = OFP_FMC_ADD;
    if (r->flags & ~(OFP_FMF_EVENTS | OFP_FMF_ACTIONS | OFP_FMF_OWN)) {
        return OFPERR_OFPMOFC_BAD_FLAGS;
    }
    size_t mlen;
    enum ofperr error = pull_onf_match(p + ONF_FMR_LEN, len - ONF_FMR_LEN,
                                       get_be16(p + 6), &r->match, &mlen);
    *used = ONF_FMR_LEN + mlen;
    return error;
}

static enum ofperr
pull_of14_request(const uint8_t *p, size_t len,
                  struct ofp_flow_monitor_request *r, size_t *used)
{
    if (len < OF14_FMR_LEN) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    memset(r, 0, sizeof *r);
    r->id = get_be32(p);
    r->out_port = get_be32(p + 4);
    r->out_group = get_be32(p + 8);
    uint16_t flags = get_be16(p + 12);
    r->table_id = p[14];
    r->command = p[15];
    if (r->command > OFP_FMC_DELETE) {
        return OFPERR_OFPMOFC_BAD_COMMAND;
    }
    if (flags & ~0x7f) {
        return OFPERR_OFPMOFC_BAD_FLAGS;
    }
    /* The event bits are the same; own changes are always reported,
     * abbreviated unless NO_ABBREV. */
    r->flags = (flags & OFP_FMF_EVENTS) | OFP_FMF_OWN;
    r->flags |= flags & OF14_FMF_INSTRUCTIONS ? OFP_FMF_ACTIONS : 0;
    r->flags |= flags & OF14_FMF_NO_ABBREV ? OFP_FMF_NO_ABBREV : 0;
    size_t mlen;
    enum ofperr error = oxm_match_pull(p + OF14_FMR_LEN, len - OF14_FMR_LEN,
                                       &r->match, &mlen);
    *used = OF14_FMR_LEN + mlen;
    return error;
}

enum ofperr
ofp_decode_flow_monitor_requests(const struct ofp_msg_info *info,
                                 struct ofp_flow_monitor_request **rsp,
                                 size_t *np)
{
    const uint8_t *p = info->body;
    size_t len = info->body_len, n = 0, cap = 0;
    struct ofp_flow_monitor_request *rs = NULL;
    enum ofperr error = 0;

    while (len > 0) {
        if (n == cap) {
            cap = cap ? 2 * cap : 4;
            rs = xrealloc(rs, cap * sizeof *rs);
        }
        size_t used = 0;
        switch (fm_wire(info->version)) {
        case FM_NX:
            error = pull_nx_request(p, len, &rs[n], &used);
            break;
        case FM_ONF:
            error = pull_onf_request(p, len, &rs[n], &used);
            break;
        case FM_OF14:
            error = pull_of14_request(p, len, &rs[n], &used);
            break;
        }
        if (error) {
            break;
        }
        if (used > len) {
            error = OFPERR_OFPBRC_BAD_LEN;
            break;
        }
        n++;
        p += used;
        len -= used;
    }
    if (error) {
        free(rs);
        rs = NULL;
        n = 0;
    }
    *rsp = rs;
    *np = n;
    return error;
}

struct ofpbuf *
ofp_encode_flow_monitor_request(const struct ofp_flow_monitor_request *r,
                                uint8_t version, uint32_t xid)
{
    struct ofpbuf *b;
    uint16_t nx_flags = r->flags & (OFP_FMF_EVENTS | OFP_FMF_ACTIONS
                                    | OFP_FMF_OWN);
    if (fm_wire(version) == FM_ONF) {
        b = ofpraw_alloc(OFPTYPE_NXST_FLOW_MONITOR_REQUEST, version, xid, 64);
        ofpbuf_put_be32(b, r->id);
        ofpbuf_put_be16(b, nx_flags);
        size_t len_ofs = b->size;
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_be32(b, r->out_port);
        ofpbuf_put_u8(b, r->table_id);
        ofpbuf_put_zeros(b, 3);
        put_onf_match(&r->match, len_ofs, b);
    } else if (is_nx(version)) {
        uint16_t port10 = 0xffff;
        ofp_port_to_of10(r->out_port, &port10);
        b = ofpraw_alloc(OFPTYPE_NXST_FLOW_MONITOR_REQUEST, version, xid, 64);
        ofpbuf_put_be32(b, r->id);
        ofpbuf_put_be16(b, nx_flags);
        ofpbuf_put_be16(b, port10);
        size_t len_ofs = b->size;
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_u8(b, r->table_id);
        ofpbuf_put_zeros(b, 5);
        ofpbuf_set_be16(b, len_ofs, nx_match_put(&r->match, 0, 0, b));
    } else {
        uint16_t flags = r->flags & OFP_FMF_EVENTS;
        flags |= r->flags & OFP_FMF_ACTIONS ? OF14_FMF_INSTRUCTIONS : 0;
        flags |= r->flags & OFP_FMF_NO_ABBREV ? OF14_FMF_NO_ABBREV : 0;
        flags |= r->flags & OFP_FMF_OWN ? OF14_FMF_OWN : 0;
        b = ofpraw_alloc(OFPTYPE_FLOW_MONITOR_REQUEST, version, xid, 64);
        ofpbuf_put_be32(b, r->id);
        ofpbuf_put_be32(b, r->out_port);
        ofpbuf_put_be32(b, r->out_group);
        ofpbuf_put_be16(b, flags);
        ofpbuf_put_u8(b, r->table_id);
        ofpbuf_put_u8(b, r->command);
        oxm_match_put(&r->match, b);
    }
    ofpmsg_update_length(b);
    return b;
}

struct ofpbuf *
ofp_encode_flow_monitor_cancel(uint32_t id, uint8_t version, uint32_t xid)
{
    struct ofpbuf *b = ofpraw_alloc(OFPTYPE_NXT_FLOW_MONITOR_CANCEL, version,
                                    xid, 4);
    ofpbuf_put_be32(b, id);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_decode_flow_monitor_cancel(const struct ofp_msg_info *info,
                               uint32_t *id)
{
    if (info->body_len != 4) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    *id = get_be32(info->body);
    return 0;
}

/* ---- Updates. ---- */

/* Nicira full update: length(2) event(2) reason(2) priority(2) idle(2)
 * hard(2) match_len(2) table_id(1) pad(1) cookie(8), NXM match padded to
 * 8, actions.  Abbreviated: length(2) event(2) xid(4).  ONF's is the same
 * with an ofp_match and instructions. */
#define NX_FU_FULL_LEN 24
/* OpenFlow 1.4 full update: length(2) event(2) table_id(1) reason(1)
 * idle(2) hard(2) priority(2) zeros(4) cookie(8), ofp_match,
 * instructions.  Abbreviated as Nicira's; paused/resumed: length(2)
 * event(2) zeros(4). */
#define OF14_FU_FULL_LEN 24
#define FU_SHORT_LEN 8

enum { NXFME_ADDED, NXFME_DELETED, NXFME_MODIFIED, NXFME_ABBREV };

static int
event_to_wire(enum ofp_fu_event event, uint8_t version)
{
    if (!is_nx(version)) {
        return event;           /* Same numbering as OFPFME_*. */
    }
    switch (event) {
    case OFP_FUE_INITIAL:
    case OFP_FUE_ADDED: return NXFME_ADDED;
    case OFP_FUE_DELETED: return NXFME_DELETED;
    case OFP_FUE_MODIFIED: return NXFME_MODIFIED;
    case OFP_FUE_ABBREV: return NXFME_ABBREV;
    case OFP_FUE_PAUSED:
    case OFP_FUE_RESUMED:
        break;
    }
    return -1;
}

static bool
event_from_wire(uint16_t wire, uint8_t version, enum ofp_fu_event *event)
{
    if (!is_nx(version)) {
        *event = wire;
        return wire <= OFP_FUE_RESUMED;
    }
    static const enum ofp_fu_event nx[] = {
        OFP_FUE_ADDED, OFP_FUE_DELETED, OFP_FUE_MODIFIED, OFP_FUE_ABBREV,
    };
    if (wire >= ARRAY_SIZE(nx)) {
        return false;
    }
    *event = nx[wire];
    return true;
}

struct ofpbuf *
ofp_start_flow_monitor_reply(uint8_t version, uint32_t xid)
{
    return ofpraw_alloc(is_nx(version) ? OFPTYPE_NXST_FLOW_MONITOR_REPLY
                                       : OFPTYPE_FLOW_MONITOR_REPLY,
                        version, xid, 1024);
}

void
ofp_put_flow_update(const struct ofp_flow_update *u, bool with_actions,
                    uint8_t version, struct ofpbuf *b)
{
    size_t start = b->size;
    int event = event_to_wire(u->event, version);
    if (event < 0) {
        return;
    }
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_be16(b, event);
    if (u->event == OFP_FUE_ABBREV) {
        ofpbuf_put_be32(b, u->xid);
    } else if (u->event == OFP_FUE_PAUSED || u->event == OFP_FUE_RESUMED) {
        ofpbuf_put_zeros(b, 4);
    } else if (is_nx(version)) {
        /* Nicira's updates carry every reason, whatever the version. */
        ofpbuf_put_be16(b, u->event == OFP_FUE_DELETED ? u->reason : 0);
        ofpbuf_put_be16(b, u->priority);
        ofpbuf_put_be16(b, u->idle_timeout);
        ofpbuf_put_be16(b, u->hard_timeout);
        size_t len_ofs = b->size;
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_u8(b, u->table_id);
        ofpbuf_put_u8(b, 0);
        ofpbuf_put_be64(b, u->cookie);
        if (fm_wire(version) == FM_ONF) {
            put_onf_match(&u->match, len_ofs, b);
            if (with_actions) {
                ofpacts_put_instructions(&u->ofpacts, version, b);
            }
        } else {
            ofpbuf_set_be16(b, len_ofs, nx_match_put(&u->match, 0, 0, b));
            if (with_actions) {
                ofpacts_put_openflow_actions(&u->ofpacts, version, b);
            }
        }
    } else {
        ofpbuf_put_u8(b, u->table_id);
        ofpbuf_put_u8(b, u->event == OFP_FUE_DELETED ? u->reason : 0);
        ofpbuf_put_be16(b, u->idle_timeout);
        ofpbuf_put_be16(b, u->hard_timeout);
        ofpbuf_put_be16(b, u->priority);
        ofpbuf_put_zeros(b, 4);
        ofpbuf_put_be64(b, u->cookie);
        oxm_match_put(&u->match, b);
        if (with_actions) {
            ofpacts_put_instructions(&u->ofpacts, version, b);
        }
    }
    ofpbuf_set_be16(b, start, b->size - start);
    ofpmsg_update_length(b);
}

static enum ofperr
pull_update(const uint8_t *p, size_t len, uint8_t version,
            struct ofp_flow_update *u, size_t *used)
{
    memset(u, 0, sizeof *u);
    ofpacts_init(&u->ofpacts);
    if (len < FU_SHORT_LEN) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    size_t ulen = get_be16(p);
    if (ulen < FU_SHORT_LEN || ulen > len || ulen % 8) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    *used = ulen;
    if (!event_from_wire(get_be16(p + 2), version, &u->event)) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    if (u->event == OFP_FUE_ABBREV) {
        u->xid = get_be32(p + 4);
        return 0;
    }
    if (u->event == OFP_FUE_PAUSED || u->event == OFP_FUE_RESUMED) {
        return 0;
    }
    if (ulen < NX_FU_FULL_LEN) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    size_t mlen;
    enum ofperr error;
    if (is_nx(version)) {
        u->reason = get_be16(p + 4);
        u->priority = get_be16(p + 6);
        u->idle_timeout = get_be16(p + 8);
        u->hard_timeout = get_be16(p + 10);
        u->table_id = p[14];
        u->cookie = get_be64(p + 16);
        const uint8_t *m = p + NX_FU_FULL_LEN;
        size_t mspace = ulen - NX_FU_FULL_LEN;
        bool onf = fm_wire(version) == FM_ONF;
        if (onf) {
            error = pull_onf_match(m, mspace, get_be16(p + 12), &u->match,
                                   &mlen);
        } else {
            uint64_t cookie, cookie_mask;
            error = nx_match_pull(m, mspace, get_be16(p + 12), &u->match,
                                  &cookie, &cookie_mask, &mlen);
        }
        size_t off = NX_FU_FULL_LEN + mlen;
        if (!error && off > ulen) {
            error = OFPERR_OFPBRC_BAD_LEN;
        } else if (!error) {
            error = (onf
                     ? ofpacts_pull_instructions(p + off, ulen - off,
                                                 version, &u->ofpacts)
                     : ofpacts_pull_openflow_actions(p + off, ulen - off,
                                                     version, &u->ofpacts));
        }
    } else {
        u->table_id = p[4];
        u->reason = p[5];
        u->idle_timeout = get_be16(p + 6);
        u->hard_timeout = get_be16(p + 8);
        u->priority = get_be16(p + 10);
        u->cookie = get_be64(p + 16);
        error = oxm_match_pull(p + OF14_FU_FULL_LEN, ulen - OF14_FU_FULL_LEN,
                               &u->match, &mlen);
        if (!error) {
            size_t off = OF14_FU_FULL_LEN + mlen;
            error = (off > ulen ? OFPERR_OFPBRC_BAD_LEN
                     : ofpacts_pull_instructions(p + off, ulen - off,
                                                 version, &u->ofpacts));
        }
    }
    return error;
}

enum ofperr
ofp_decode_flow_updates(const struct ofp_msg_info *info,
                        struct ofp_flow_update **usp, size_t *np)
{
    const uint8_t *p = info->body;
    size_t len = info->body_len, n = 0, cap = 0;
    struct ofp_flow_update *us = NULL;
    enum ofperr error = 0;

    while (len > 0) {
        if (n == cap) {
            cap = cap ? 2 * cap : 8;
            us = xrealloc(us, cap * sizeof *us);
        }
        size_t used = 0;
        error = pull_update(p, len, info->version, &us[n], &used);
        n++;
        if (error) {
            break;
        }
        p += used;
        len -= used;
    }
    if (error) {
        ofp_flow_updates_free(us, n);
        us = NULL;
        n = 0;
    }
    *usp = us;
    *np = n;
    return error;
}

void
ofp_flow_updates_free(struct ofp_flow_update *us, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ofpacts_uninit(&us[i].ofpacts);
    }
    free(us);
}

/* ---- Printing. ---- */

static void
print_table(struct ds *s, uint8_t table_id)
{
    if (table_id == 0xff) {
        ds_put_cstr(s, "all");
    } else {
        ds_put_format(s, "%"PRIu8, table_id);
    }
}

static void
print_request(struct ds *s, const struct ofp_flow_monitor_request *r)
{
    static const char *const names[] = {
        "initial", "add", "delete", "modify", "actions", "own",
        "no_abbrev",
    };
    ds_put_format(s, "\n id=%"PRIu32" flags=", r->id);
    /* OpenFlow 1.4's own-change reporting is implied, not a flag. */
    uint16_t flags = r->flags;
    if (flags & OFP_FMF_NO_ABBREV || r->command != OFP_FMC_ADD) {
        flags &= ~OFP_FMF_OWN;
    }
    bool first = true;
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (flags & (1u << i)) {
            ds_put_format(s, "%s%s", first ? "" : ",", names[i]);
            first = false;
        }
    }
    if (r->out_port != OFPP_ANY) {
        ds_put_cstr(s, " out_port=");
        ofp_port_format(r->out_port, s);
    }
    if (r->out_group != OFPG_ANY) {
        ds_put_format(s, " out_group=%"PRIu32, r->out_group);
    }
    if (r->table_id != 0xff) {
        ds_put_cstr(s, " table=");
        print_table(s, r->table_id);
    }
    ds_put_char(s, ' ');
    match_format(&r->match, OFP_DEFAULT_PRIORITY, s);
    if (s->length && s->string[s->length - 1] == ' ') {
        s->length--;
        s->string[s->length] = '\0';
    }
}

static void
print_update(struct ds *s, const struct ofp_flow_update *u)
{
    static const char *const events[] = {
        [OFP_FUE_INITIAL] = "INITIAL",
        [OFP_FUE_ADDED] = "ADDED",
        [OFP_FUE_DELETED] = "DELETED",
        [OFP_FUE_MODIFIED] = "MODIFIED",
        [OFP_FUE_ABBREV] = "ABBREV",
        [OFP_FUE_PAUSED] = "PAUSED",
        [OFP_FUE_RESUMED] = "RESUMED",
    };
    ds_put_format(s, "\n event=%s", events[u->event]);
    switch (u->event) {
    case OFP_FUE_ABBREV:
        ds_put_format(s, " xid=0x%"PRIx32, u->xid);
        return;
    case OFP_FUE_PAUSED:
    case OFP_FUE_RESUMED:
        return;
    case OFP_FUE_DELETED: {
        const char *reason = ofp_flow_removed_reason_to_string(u->reason);
        if (reason) {
            ds_put_format(s, " reason=%s", reason);
        } else {
            ds_put_format(s, " reason=%"PRIu8, u->reason);
        }
        break;
    }
    case OFP_FUE_INITIAL:
    case OFP_FUE_ADDED:
    case OFP_FUE_MODIFIED:
        break;
    }
    ds_put_cstr(s, " table=");
    print_table(s, u->table_id);
    if (u->idle_timeout) {
        ds_put_format(s, " idle_timeout=%"PRIu16, u->idle_timeout);
    }
    if (u->hard_timeout) {
        ds_put_format(s, " hard_timeout=%"PRIu16, u->hard_timeout);
    }
    ds_put_format(s, " cookie=%#"PRIx64" ", u->cookie);
    /* Open vSwitch prints the match without the priority. */
    match_format(&u->match, OFP_DEFAULT_PRIORITY, s);
    if (u->ofpacts.n) {
        if (s->string[s->length - 1] != ' ') {
            ds_put_char(s, ' ');
        }
        ds_put_cstr(s, "actions=");
        ofpacts_format(&u->ofpacts, s);
    }
}

void
ofp_monitor_print(struct ds *s, const struct ofp_msg_info *info)
{
    enum ofperr error = 0;
    switch (info->type) {
    case OFPTYPE_NXST_FLOW_MONITOR_REQUEST:
    case OFPTYPE_FLOW_MONITOR_REQUEST: {
        struct ofp_flow_monitor_request *rs;
        size_t n;
        error = ofp_decode_flow_monitor_requests(info, &rs, &n);
        for (size_t i = 0; !error && i < n; i++) {
            print_request(s, &rs[i]);
        }
        free(rs);
        break;
    }
    case OFPTYPE_NXST_FLOW_MONITOR_REPLY:
    case OFPTYPE_FLOW_MONITOR_REPLY: {
        struct ofp_flow_update *us;
        size_t n;
        error = ofp_decode_flow_updates(info, &us, &n);
        for (size_t i = 0; !error && i < n; i++) {
            print_update(s, &us[i]);
        }
        ofp_flow_updates_free(us, n);
        break;
    }
    case OFPTYPE_NXT_FLOW_MONITOR_CANCEL: {
        uint32_t id;
        error = ofp_decode_flow_monitor_cancel(info, &id);
        if (!error) {
            ds_put_format(s, " id=%"PRIu32, id);
        }
        break;
    }
    default:
        break;
    }
    if (error) {
        ds_put_format(s, " ***decode error: %s***", ofperr_get_name(error));
    }
    ds_put_char(s, '\n');
}
