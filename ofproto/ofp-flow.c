/* ofp-flow: flow_mod, flow statistics, aggregate statistics and
 * flow-removed messages. */
#include <config.h>
#include "ofp-msgs.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "meta-flow.h"
#include "ofp-names.h"
#include "ofp-match.h"

#define OFPFF10_EMERG (1 << 2)

void
ofp_flow_mod_init(struct ofp_flow_mod_msg *fm)
{
    memset(fm, 0, sizeof *fm);
    match_init_catchall(&fm->match);
    fm->priority = OFP_DEFAULT_PRIORITY;
    fm->command = OFPFC_ADD;
    fm->new_cookie = OFP_COOKIE_UNCHANGED;
    fm->buffer_id = OFP_NO_BUFFER;
    fm->out_port = OFPP_ANY;
    fm->out_group = OFPG_ANY;
    ofpacts_init(&fm->ofpacts);
}

void
ofp_flow_mod_uninit(struct ofp_flow_mod_msg *fm)
{
    ofpacts_uninit(&fm->ofpacts);
}

/* Match (OF1.0 fixed or OXM) at 'p'; sets *used. */
static enum ofperr
pull_match(const uint8_t *p, size_t len, uint8_t version, struct match *m,
           size_t *used)
{
    if (version == OFP10_VERSION) {
        if (len < OFP10_MATCH_LEN) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        *used = OFP10_MATCH_LEN;
        return ofp10_match_decode(p, m);
    }
    return oxm_match_pull(p, len, m, used);
}

static void
put_match(const struct match *m, uint8_t version, struct ofpbuf *b)
{
    if (version == OFP10_VERSION) {
        ofp10_match_encode(m, b);
    } else {
        oxm_match_put_version(m, version, b);
    }
}

bool
ofp_match_usable_in(const struct match *m, uint8_t version)
{
    return version != OFP10_VERSION || ofp10_match_usable(m);
}

enum ofperr
ofp_decode_flow_mod(const struct ofp_msg_info *info,
                    struct ofp_flow_mod_msg *fm)
{
    const uint8_t *p = info->body;
    size_t len = info->body_len, used;
    enum ofperr error;

    if (info->type == OFPTYPE_NXT_FLOW_MOD) {
        return ofp_nx_decode_flow_mod(info, fm);
    }
    ofp_flow_mod_init(fm);
    if (info->version == OFP10_VERSION) {
        error = pull_match(p, len, info->version, &fm->match, &used);
        if (error) {
            return error;
        }
        p += used;
        len -= used;
        uint64_t cookie = get_be64(p);
        uint16_t command = get_be16(p + 8);
        fm->idle_timeout = get_be16(p + 10);
        fm->hard_timeout = get_be16(p + 12);
        fm->priority = get_be16(p + 14);
        fm->buffer_id = get_be32(p + 16);
        fm->out_port = ofp_port_from_of10(get_be16(p + 20));
        fm->flags = get_be16(p + 22) & ~OFPFF10_EMERG;
        error = ofp_flow_mod_split_command(fm, command,
                                           info->flow_mod_table_id);
        if (error) {
            return error;
        }
        fm->cookie = cookie;
        if (command == OFPFC_ADD || command == OFPFC_MODIFY
            || command == OFPFC_MODIFY_STRICT) {
            fm->new_cookie = cookie;
        }
        p += 24;
        len -= 24;
        error = ofpacts_pull_openflow_actions(p, len, info->version,
                                              &fm->ofpacts);
    } else {
        fm->cookie = get_be64(p);
        fm->cookie_mask = get_be64(p + 8);
        fm->table_id = p[16];
        uint8_t command = p[17];
        fm->idle_timeout = get_be16(p + 18);
        fm->hard_timeout = get_be16(p + 20);
        fm->priority = get_be16(p + 22);
        fm->buffer_id = get_be32(p + 24);
        fm->out_port = get_be32(p + 28);
        fm->out_group = get_be32(p + 32);
        fm->flags = get_be16(p + 36);
        if (info->version >= OFP14_VERSION) {
            fm->importance = get_be16(p + 38);
        }
        if (command > OFPFC_DELETE_STRICT) {
            return OFPERR_OFPFMFC_BAD_COMMAND;
        }
        fm->command = command;
        if (command == OFPFC_ADD) {
            if (fm->table_id == OFPTT_ALL) {
                return OFPERR_OFPFMFC_BAD_TABLE_ID;
            }
            fm->new_cookie = fm->cookie;
            fm->cookie_mask = 0;
        }
        p += 40;
        len -= 40;
        error = pull_match(p, len, info->version, &fm->match, &used);
        if (error) {
            return error;
        }
        error = ofpacts_pull_instructions(p + used, len - used, info->version,
                                          &fm->ofpacts);
    }
    return error;
}

enum ofperr
ofp_flow_mod_split_command(struct ofp_flow_mod_msg *fm, uint16_t command,
                           bool table_id_in_command)
{
    /* Without a table id, OpenFlow 1.0 has one table for adds and all
     * tables otherwise. */
    uint8_t table_id = command == OFPFC_ADD ? 0 : OFPTT_ALL;
    if (table_id_in_command) {
        table_id = command >> 8;
        command &= 0xff;
        /* As Open vSwitch: an add to "every table" goes to table 0, which
         * is where ovs-ofctl's adds without a table go. */
        if (command == OFPFC_ADD && table_id == OFPTT_ALL) {
            table_id = 0;
        }
    }
    if (command > OFPFC_DELETE_STRICT) {
        return OFPERR_OFPFMFC_BAD_COMMAND;
    }
    fm->command = command;
    fm->table_id = table_id;
    return 0;
}

uint16_t
ofp_flow_mod_wire_command(const struct ofp_flow_mod_msg *fm)
{
    return fm->command | (fm->table_id_in_command ? fm->table_id << 8 : 0);
}

struct ofpbuf *
ofp_encode_flow_mod(const struct ofp_flow_mod_msg *fm, uint8_t version,
                    uint32_t xid)
{
    if (!ofp_match_usable_in(&fm->match, version)
        || !ofpacts_usable_in(&fm->ofpacts, version)) {
        return NULL;
    }
    struct ofpbuf *b = ofpraw_alloc(OFPTYPE_FLOW_MOD, version, xid, 128);
    if (!b) {
        return NULL;
    }
    uint64_t cookie = (fm->new_cookie != OFP_COOKIE_UNCHANGED
                       && (fm->command == OFPFC_ADD
                           || version == OFP10_VERSION)
                       ? fm->new_cookie : fm->cookie);
    if (version == OFP10_VERSION) {
        uint16_t out_port;
        ofp_port_to_of10(fm->out_port, &out_port);
        put_match(&fm->match, version, b);
        ofpbuf_put_be64(b, cookie);
        ofpbuf_put_be16(b, ofp_flow_mod_wire_command(fm));
        ofpbuf_put_be16(b, fm->idle_timeout);
        ofpbuf_put_be16(b, fm->hard_timeout);
        ofpbuf_put_be16(b, fm->priority);
        ofpbuf_put_be32(b, fm->buffer_id);
        ofpbuf_put_be16(b, out_port);
        ofpbuf_put_be16(b, fm->flags & (OFPFF_SEND_FLOW_REM
                                        | OFPFF_CHECK_OVERLAP));
        ofpacts_put_openflow_actions(&fm->ofpacts, version, b);
    } else {
        ofpbuf_put_be64(b, cookie);
        ofpbuf_put_be64(b, fm->command == OFPFC_ADD ? 0 : fm->cookie_mask);
        ofpbuf_put_u8(b, fm->table_id);
        ofpbuf_put_u8(b, fm->command);
        ofpbuf_put_be16(b, fm->idle_timeout);
        ofpbuf_put_be16(b, fm->hard_timeout);
        ofpbuf_put_be16(b, fm->priority);
        ofpbuf_put_be32(b, fm->buffer_id);
        ofpbuf_put_be32(b, fm->out_port);
        ofpbuf_put_be32(b, fm->out_group);
        ofpbuf_put_be16(b, fm->flags);
        ofpbuf_put_be16(b, version >= OFP14_VERSION ? fm->importance : 0);
        put_match(&fm->match, version, b);
        ofpacts_put_instructions(&fm->ofpacts, version, b);
    }
    ofpmsg_update_length(b);
    return b;
}

/* ---- Flow and aggregate statistics. ---- */

/* OpenFlow 1.5 carries statistics as OXS TLVs in a 'struct ofp_stats'. */
#define OFPXSC_OPENFLOW_BASIC 0x8002
enum {
    OXS_DURATION = 0,
    OXS_IDLE_TIME = 1,
    OXS_FLOW_COUNT = 3,
    OXS_PACKET_COUNT = 4,
    OXS_BYTE_COUNT = 5,
};

struct oxs_stats {
    uint32_t duration_sec, duration_nsec;
    uint32_t flow_count;
    uint64_t packet_count, byte_count;
};

static void
put_oxs(struct ofpbuf *b, uint8_t field, unsigned int len)
{
    ofpbuf_put_be32(b, ((uint32_t) OFPXSC_OPENFLOW_BASIC << 16)
                       | (field << 9) | len);
}

static void
put_oxs_stats(const struct oxs_stats *st, bool flow_count, struct ofpbuf *b)
{
    size_t start = b->size;
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_be16(b, 0);
    if (flow_count) {
        put_oxs(b, OXS_FLOW_COUNT, 4);
        ofpbuf_put_be32(b, st->flow_count);
    } else {
        put_oxs(b, OXS_DURATION, 8);
        ofpbuf_put_be32(b, st->duration_sec);
        ofpbuf_put_be32(b, st->duration_nsec);
    }
    put_oxs(b, OXS_PACKET_COUNT, 8);
    ofpbuf_put_be64(b, st->packet_count);
    put_oxs(b, OXS_BYTE_COUNT, 8);
    ofpbuf_put_be64(b, st->byte_count);
    ofpbuf_set_be16(b, start + 2, b->size - start);
    ofpbuf_pad(b, 8);
}

static enum ofperr
pull_oxs_stats(const uint8_t *p, size_t len, struct oxs_stats *st,
               size_t *used)
{
    memset(st, 0, sizeof *st);
    if (len < 4) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    size_t slen = get_be16(p + 2);
    size_t padded = (slen + 7) / 8 * 8;
    if (slen < 4 || padded > len) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    for (size_t ofs = 4; ofs < slen;) {
        if (ofs + 4 > slen) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        uint32_t h = get_be32(p + ofs);
        unsigned int flen = h & 0xff, field = (h >> 9) & 0x7f;
        if (ofs + 4 + flen > slen) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        const uint8_t *v = p + ofs + 4;
        if (h >> 16 == OFPXSC_OPENFLOW_BASIC) {
            if (field == OXS_DURATION && flen == 8) {
                st->duration_sec = get_be32(v);
                st->duration_nsec = get_be32(v + 4);
            } else if (field == OXS_FLOW_COUNT && flen == 4) {
                st->flow_count = get_be32(v);
            } else if (field == OXS_PACKET_COUNT && flen == 8) {
                st->packet_count = get_be64(v);
            } else if (field == OXS_BYTE_COUNT && flen == 8) {
                st->byte_count = get_be64(v);
            }
        }
        ofs += 4 + flen;
    }
    *used = padded;
    return 0;
}

void
ofp_flow_stats_request_init(struct ofp_flow_stats_request *r)
{
    memset(r, 0, sizeof *r);
    match_init_catchall(&r->match);
    r->table_id = OFPTT_ALL;
    r->out_port = OFPP_ANY;
    r->out_group = OFPG_ANY;
}

enum ofperr
ofp_decode_flow_stats_request(const struct ofp_msg_info *info,
                              struct ofp_flow_stats_request *r)
{
    const uint8_t *p = info->body;
    size_t used;
    if (info->type == OFPTYPE_NXST_FLOW_REQUEST
        || info->type == OFPTYPE_NXST_AGGREGATE_REQUEST) {
        return ofp_nx_decode_flow_stats_request(info, r);
    }
    ofp_flow_stats_request_init(r);
    r->aggregate = info->type == OFPTYPE_AGGREGATE_STATS_REQUEST;
    if (info->version == OFP10_VERSION) {
        enum ofperr error = pull_match(p, info->body_len, info->version,
                                       &r->match, &used);
        if (error) {
            return error;
        }
        r->table_id = p[40];
        r->out_port = ofp_port_from_of10(get_be16(p + 42));
        return 0;
    }
    r->table_id = p[0];
    r->out_port = get_be32(p + 4);
    r->out_group = get_be32(p + 8);
    r->cookie = get_be64(p + 16);
    r->cookie_mask = get_be64(p + 24);
    return pull_match(p + 32, info->body_len - 32, info->version, &r->match,
                      &used);
}

struct ofpbuf *
ofp_encode_flow_stats_request(const struct ofp_flow_stats_request *r,
                              uint8_t version, uint32_t xid)
{
    if (!ofp_match_usable_in(&r->match, version)) {
        return NULL;
    }
    struct ofpbuf *b = ofpraw_alloc(r->aggregate
                                    ? OFPTYPE_AGGREGATE_STATS_REQUEST
                                    : OFPTYPE_FLOW_STATS_REQUEST,
                                    version, xid, 64);
    if (version == OFP10_VERSION) {
        uint16_t out_port;
        ofp_port_to_of10(r->out_port, &out_port);
        put_match(&r->match, version, b);
        ofpbuf_put_u8(b, r->table_id);
        ofpbuf_put_zeros(b, 1);
        ofpbuf_put_be16(b, out_port);
    } else {
        ofpbuf_put_u8(b, r->table_id);
        ofpbuf_put_zeros(b, 3);
        ofpbuf_put_be32(b, r->out_port);
        ofpbuf_put_be32(b, r->out_group);
        ofpbuf_put_zeros(b, 4);
        ofpbuf_put_be64(b, r->cookie);
        ofpbuf_put_be64(b, r->cookie_mask);
        put_match(&r->match, version, b);
    }
    ofpmsg_update_length(b);
    return b;
}

static void
put_flow_stats(const struct ofp_flow_stats *fs, uint8_t version,
               struct ofpbuf *b)
{
    size_t start = b->size;
    if (version >= OFP15_VERSION) {
        struct oxs_stats st = {
            .duration_sec = fs->duration_sec,
            .duration_nsec = fs->duration_nsec,
            .packet_count = fs->packet_count,
            .byte_count = fs->byte_count,
        };
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_zeros(b, 2);
        ofpbuf_put_u8(b, fs->table_id);
        ofpbuf_put_zeros(b, 1);
        ofpbuf_put_be16(b, fs->priority);
        ofpbuf_put_be16(b, fs->idle_timeout);
        ofpbuf_put_be16(b, fs->hard_timeout);
        ofpbuf_put_be16(b, fs->flags);
        ofpbuf_put_be16(b, fs->importance);
        ofpbuf_put_be64(b, fs->cookie);
        put_match(&fs->match, version, b);
        put_oxs_stats(&st, false, b);
        ofpacts_put_instructions(&fs->ofpacts, version, b);
        ofpbuf_set_be16(b, start, b->size - start);
        return;
    }
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_u8(b, fs->table_id);
    ofpbuf_put_zeros(b, 1);
    if (version == OFP10_VERSION) {
        put_match(&fs->match, version, b);
        ofpbuf_put_be32(b, fs->duration_sec);
        ofpbuf_put_be32(b, fs->duration_nsec);
        ofpbuf_put_be16(b, fs->priority);
        ofpbuf_put_be16(b, fs->idle_timeout);
        ofpbuf_put_be16(b, fs->hard_timeout);
        ofpbuf_put_zeros(b, 6);
        ofpbuf_put_be64(b, fs->cookie);
        ofpbuf_put_be64(b, fs->packet_count);
        ofpbuf_put_be64(b, fs->byte_count);
        ofpacts_put_openflow_actions(&fs->ofpacts, version, b);
    } else {
        ofpbuf_put_be32(b, fs->duration_sec);
        ofpbuf_put_be32(b, fs->duration_nsec);
        ofpbuf_put_be16(b, fs->priority);
        ofpbuf_put_be16(b, fs->idle_timeout);
        ofpbuf_put_be16(b, fs->hard_timeout);
        ofpbuf_put_be16(b, fs->flags);
        ofpbuf_put_be16(b, version >= OFP14_VERSION ? fs->importance : 0);
        ofpbuf_put_zeros(b, 2);
        ofpbuf_put_be64(b, fs->cookie);
        ofpbuf_put_be64(b, fs->packet_count);
        ofpbuf_put_be64(b, fs->byte_count);
        put_match(&fs->match, version, b);
        ofpacts_put_instructions(&fs->ofpacts, version, b);
    }
    ofpbuf_set_be16(b, start, b->size - start);
}

void
ofp_encode_flow_stats_reply(const struct ofp_flow_stats *fs, size_t n,
                            const struct ofp_msg_info *request,
                            struct ofpbuf_vec *out)
{
    bool nx = request->type == OFPTYPE_NXST_FLOW_REQUEST;
    enum ofptype type = nx ? OFPTYPE_NXST_FLOW_REPLY
                           : OFPTYPE_FLOW_STATS_REPLY;
    struct ofpbuf *b = ofpraw_alloc_reply(type, request, 0);
    struct ofpbuf entry;
    ofpbuf_init(&entry, 256);
    for (size_t i = 0; i < n; i++) {
        ofpbuf_clear(&entry);
        if (nx) {
            ofp_nx_put_flow_stats(&fs[i], &entry);
        } else {
            put_flow_stats(&fs[i], request->version, &entry);
        }
        if (b->size + entry.size > OFP_MAX_MSG_LEN) {
            ofpbuf_set_be16(b, 10, OFPMPF_REPLY_MORE);
            ofpmsg_update_length(b);
            ofpbuf_vec_push(out, b);
            b = ofpraw_alloc_reply(type, request, 0);
        }
        ofpbuf_put(b, entry.data, entry.size);
    }
    ofpbuf_uninit(&entry);
    ofpmsg_update_length(b);
    ofpbuf_vec_push(out, b);
}

void
ofp_flow_stats_free(struct ofp_flow_stats *fs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ofpacts_uninit(&fs[i].ofpacts);
    }
    free(fs);
}

enum ofperr
ofp_decode_flow_stats_reply(const struct ofp_msg_info *info,
                            struct ofp_flow_stats **fsp, size_t *n)
{
    const uint8_t *p = info->body;
    size_t len = info->body_len;
    size_t fixed = (info->version == OFP10_VERSION ? 88
                    : info->version >= OFP15_VERSION ? 24 : 48);
    while (len > 0 && info->type == OFPTYPE_NXST_FLOW_REPLY) {
        struct ofp_flow_stats fs;
        size_t used;
        enum ofperr error = ofp_nx_pull_flow_stats(p, len, &fs, &used);
        if (error) {
            return error;
        }
        *fsp = xrealloc(*fsp, (*n + 1) * sizeof **fsp);
        (*fsp)[(*n)++] = fs;
        p += used;
        len -= used;
    }
    while (len > 0) {
        if (len < fixed) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        size_t elen = get_be16(p);
        if (elen < fixed || elen > len) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        struct ofp_flow_stats fs;
        memset(&fs, 0, sizeof fs);
        ofpacts_init(&fs.ofpacts);
        fs.table_id = p[2];
        enum ofperr error;
        size_t used;
        if (info->version >= OFP15_VERSION) {
            struct oxs_stats st;
            size_t sused = 0;
            fs.table_id = p[4];
            fs.priority = get_be16(p + 6);
            fs.idle_timeout = get_be16(p + 8);
            fs.hard_timeout = get_be16(p + 10);
            fs.flags = get_be16(p + 12);
            fs.importance = get_be16(p + 14);
            fs.cookie = get_be64(p + 16);
            error = pull_match(p + 24, elen - 24, info->version, &fs.match,
                               &used);
            if (!error) {
                error = pull_oxs_stats(p + 24 + used, elen - 24 - used, &st,
                                       &sused);
            }
            if (!error) {
                fs.duration_sec = st.duration_sec;
                fs.duration_nsec = st.duration_nsec;
                fs.packet_count = st.packet_count;
                fs.byte_count = st.byte_count;
                error = ofpacts_pull_instructions(
                    p + 24 + used + sused, elen - 24 - used - sused,
                    info->version, &fs.ofpacts);
            }
        } else if (info->version == OFP10_VERSION) {
            error = pull_match(p + 4, elen - 4, info->version, &fs.match,
                               &used);
            fs.duration_sec = get_be32(p + 44);
            fs.duration_nsec = get_be32(p + 48);
            fs.priority = get_be16(p + 52);
            fs.idle_timeout = get_be16(p + 54);
            fs.hard_timeout = get_be16(p + 56);
            fs.cookie = get_be64(p + 64);
            fs.packet_count = get_be64(p + 72);
            fs.byte_count = get_be64(p + 80);
            if (!error) {
                error = ofpacts_pull_openflow_actions(p + 88, elen - 88,
                                                      info->version,
                                                      &fs.ofpacts);
            }
        } else {
            fs.duration_sec = get_be32(p + 4);
            fs.duration_nsec = get_be32(p + 8);
            fs.priority = get_be16(p + 12);
            fs.idle_timeout = get_be16(p + 14);
            fs.hard_timeout = get_be16(p + 16);
            fs.flags = get_be16(p + 18);
            if (info->version >= OFP14_VERSION) {
                fs.importance = get_be16(p + 20);
            }
            fs.cookie = get_be64(p + 24);
            fs.packet_count = get_be64(p + 32);
            fs.byte_count = get_be64(p + 40);
            error = pull_match(p + 48, elen - 48, info->version, &fs.match,
                               &used);
            if (!error) {
                error = ofpacts_pull_instructions(p + 48 + used,
                                                  elen - 48 - used,
                                                  info->version,
                                                  &fs.ofpacts);
            }
        }
        if (error) {
            ofpacts_uninit(&fs.ofpacts);
            return error;
        }
        *fsp = xrealloc(*fsp, (*n + 1) * sizeof **fsp);
        (*fsp)[(*n)++] = fs;
        p += elen;
        len -= elen;
    }
    return 0;
}

static void
format_duration(uint32_t sec, uint32_t nsec, struct ds *s)
{
    ds_put_format(s, "%"PRIu32, sec);
    if (nsec > 0) {
        ds_put_format(s, ".%03"PRIu32, nsec / 1000000);
    }
    ds_put_char(s, 's');
}

void
ofp_flow_stats_format(const struct ofp_flow_stats *fs, bool no_stats,
                      struct ds *s)
{
    if (!no_stats || fs->cookie) {
        ds_put_format(s, "cookie=0x%"PRIx64", ", fs->cookie);
    }
    if (!no_stats) {
        ds_put_cstr(s, "duration=");
        format_duration(fs->duration_sec, fs->duration_nsec, s);
        ds_put_cstr(s, ", ");
    }
    if (!no_stats || fs->table_id) {
        ds_put_cstr(s, "table=");
        ofp_table_format(fs->table_id, s);
        ds_put_cstr(s, ", ");
    }
    if (!no_stats) {
        ds_put_format(s, "n_packets=%"PRIu64", n_bytes=%"PRIu64", ",
                      fs->packet_count, fs->byte_count);
    }
    if (fs->idle_timeout) {
        ds_put_format(s, "idle_timeout=%"PRIu16", ", fs->idle_timeout);
    }
    if (fs->hard_timeout) {
        ds_put_format(s, "hard_timeout=%"PRIu16", ", fs->hard_timeout);
    }
    if (fs->flags & OFPFF_SEND_FLOW_REM) {
        ds_put_cstr(s, "send_flow_rem ");
    }
    if (fs->flags & OFPFF_CHECK_OVERLAP) {
        ds_put_cstr(s, "check_overlap ");
    }
    if (fs->flags & OFPFF_RESET_COUNTS) {
        ds_put_cstr(s, "reset_counts ");
    }
    if (fs->importance) {
        ds_put_format(s, "importance=%"PRIu16", ", fs->importance);
    }
    /* As ovs-ofctl: the hard age only when the flow changed after it was
     * added, i.e. when it differs from the duration. */
    if (!no_stats && fs->idle_age) {
        ds_put_format(s, "idle_age=%d, ", fs->idle_age - 1);
    }
    if (!no_stats && fs->hard_age
        && (uint32_t) fs->hard_age - 1 != fs->duration_sec) {
        ds_put_format(s, "hard_age=%d, ", fs->hard_age - 1);
    }
    match_format(&fs->match, fs->priority, s);
    if (s->length && s->string[s->length - 1] != ' ') {
        ds_put_char(s, ' ');
    }
    ds_put_cstr(s, "actions=");
    ofpacts_format(&fs->ofpacts, s);
}

struct ofpbuf *
ofp_encode_aggregate_stats_reply(const struct ofp_aggregate_stats *as,
                                 const struct ofp_msg_info *req)
{
    struct ofpbuf *b = ofpraw_alloc_reply(
        req->type == OFPTYPE_NXST_AGGREGATE_REQUEST
        ? OFPTYPE_NXST_AGGREGATE_REPLY : OFPTYPE_AGGREGATE_STATS_REPLY,
        req, 48);
    if (req->version >= OFP15_VERSION) {
        struct oxs_stats st = {
            .flow_count = as->flow_count,
            .packet_count = as->packet_count,
            .byte_count = as->byte_count,
        };
        put_oxs_stats(&st, true, b);
        ofpmsg_update_length(b);
        return b;
    }
    ofpbuf_put_be64(b, as->packet_count);
    ofpbuf_put_be64(b, as->byte_count);
    ofpbuf_put_be32(b, as->flow_count);
    ofpbuf_put_zeros(b, 4);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_decode_aggregate_stats_reply(const struct ofp_msg_info *info,
                                 struct ofp_aggregate_stats *as)
{
    if (info->version >= OFP15_VERSION) {
        struct oxs_stats st;
        size_t used;
        enum ofperr error = pull_oxs_stats(info->body, info->body_len, &st,
                                           &used);
        as->flow_count = st.flow_count;
        as->packet_count = st.packet_count;
        as->byte_count = st.byte_count;
        return error;
    }
    if (info->body_len < 24) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    as->packet_count = get_be64(info->body);
    as->byte_count = get_be64(info->body + 8);
    as->flow_count = get_be32(info->body + 16);
    return 0;
}

/* ---- Flow removed. ---- */

uint8_t
ofp_flow_removed_reason_for_version(uint8_t reason, uint8_t version)
{
    uint8_t last = (version >= OFP14_VERSION ? OFPRR_EVICTION
                    : version >= OFP13_VERSION ? OFPRR_GROUP_DELETE
                    : OFPRR_DELETE);
    return reason > last ? OFPRR_DELETE : reason;
}

const char *
ofp_flow_removed_reason_to_string(uint8_t reason)
{
    static const char *const names[] = {
        [OFPRR_IDLE_TIMEOUT] = "idle",
        [OFPRR_HARD_TIMEOUT] = "hard",
        [OFPRR_DELETE] = "delete",
        [OFPRR_GROUP_DELETE] = "group_delete",
        [OFPRR_METER_DELETE] = "meter_delete",
        [OFPRR_EVICTION] = "eviction",
    };
    return reason < ARRAY_SIZE(names) ? names[reason] : NULL;
}

/* Layouts after the header:
 *   1.0      match(40) cookie(8) priority(2) reason(1) pad(1)
 *            duration_sec(4) duration_nsec(4) idle(2) pad(2) packets(8)
 *            bytes(8)
 *   1.3/1.4  cookie(8) priority(2) reason(1) table_id(1) duration_sec(4)
 *            duration_nsec(4) idle(2) hard(2) packets(8) bytes(8) match
 *   1.5      table_id(1) reason(1) priority(2) idle(2) hard(2) cookie(8)
 *            match, then the duration and counts as OXS 'struct ofp_stats'.
 */
struct ofpbuf *
ofp_encode_flow_removed(const struct ofp_flow_removed_msg *fr,
                        uint8_t version)
{
    if (!ofp_match_usable_in(&fr->match, version)) {
        return NULL;
    }
    uint8_t reason = ofp_flow_removed_reason_for_version(fr->reason, version);
    struct ofpbuf *b = ofpraw_alloc(OFPTYPE_FLOW_REMOVED, version, 0, 96);
    if (version == OFP10_VERSION) {
        put_match(&fr->match, version, b);
        ofpbuf_put_be64(b, fr->cookie);
        ofpbuf_put_be16(b, fr->priority);
        ofpbuf_put_u8(b, reason);
        ofpbuf_put_zeros(b, 1);
        ofpbuf_put_be32(b, fr->duration_sec);
        ofpbuf_put_be32(b, fr->duration_nsec);
        ofpbuf_put_be16(b, fr->idle_timeout);
        ofpbuf_put_zeros(b, 2);
        ofpbuf_put_be64(b, fr->packet_count);
        ofpbuf_put_be64(b, fr->byte_count);
    } else if (version >= OFP15_VERSION) {
        struct oxs_stats st = {
            .duration_sec = fr->duration_sec,
            .duration_nsec = fr->duration_nsec,
            .packet_count = fr->packet_count,
            .byte_count = fr->byte_count,
        };
        ofpbuf_put_u8(b, fr->table_id);
        ofpbuf_put_u8(b, reason);
        ofpbuf_put_be16(b, fr->priority);
        ofpbuf_put_be16(b, fr->idle_timeout);
        ofpbuf_put_be16(b, fr->hard_timeout);
        ofpbuf_put_be64(b, fr->cookie);
        put_match(&fr->match, version, b);
        put_oxs_stats(&st, false, b);
    } else {
        ofpbuf_put_be64(b, fr->cookie);
        ofpbuf_put_be16(b, fr->priority);
        ofpbuf_put_u8(b, reason);
        ofpbuf_put_u8(b, fr->table_id);
        ofpbuf_put_be32(b, fr->duration_sec);
        ofpbuf_put_be32(b, fr->duration_nsec);
        ofpbuf_put_be16(b, fr->idle_timeout);
        ofpbuf_put_be16(b, fr->hard_timeout);
        ofpbuf_put_be64(b, fr->packet_count);
        ofpbuf_put_be64(b, fr->byte_count);
        put_match(&fr->match, version, b);
    }
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_decode_flow_removed(const struct ofp_msg_info *info,
                        struct ofp_flow_removed_msg *fr)
{
    const uint8_t *p = info->body;
    size_t len = info->body_len, used;
    enum ofperr error;

    if (info->type == OFPTYPE_NXT_FLOW_REMOVED) {
        return ofp_nx_decode_flow_removed(info, fr);
    }
    memset(fr, 0, sizeof *fr);
    if (info->version == OFP10_VERSION) {
        error = pull_match(p, len, info->version, &fr->match, &used);
        if (error) {
            return error;
        }
        p += 40;
        fr->cookie = get_be64(p);
        fr->priority = get_be16(p + 8);
        fr->reason = p[10];
        /* OpenFlow 1.0 has one table and no hard timeout here. */
        fr->table_id = OFPTT_ALL;
        fr->duration_sec = get_be32(p + 12);
        fr->duration_nsec = get_be32(p + 16);
        fr->idle_timeout = get_be16(p + 20);
        fr->packet_count = get_be64(p + 24);
        fr->byte_count = get_be64(p + 32);
        return 0;
    }
    if (info->version >= OFP15_VERSION) {
        struct oxs_stats st;
        fr->table_id = p[0];
        fr->reason = p[1];
        fr->priority = get_be16(p + 2);
        fr->idle_timeout = get_be16(p + 4);
        fr->hard_timeout = get_be16(p + 6);
        fr->cookie = get_be64(p + 8);
        error = pull_match(p + 16, len - 16, info->version, &fr->match,
                           &used);
        if (error) {
            return error;
        }
        error = pull_oxs_stats(p + 16 + used, len - 16 - used, &st, &used);
        fr->duration_sec = st.duration_sec;
        fr->duration_nsec = st.duration_nsec;
        fr->packet_count = st.packet_count;
        fr->byte_count = st.byte_count;
        return error;
    }
    fr->cookie = get_be64(p);
    fr->priority = get_be16(p + 8);
    fr->reason = p[10];
    fr->table_id = p[11];
    fr->duration_sec = get_be32(p + 12);
    fr->duration_nsec = get_be32(p + 16);
    fr->idle_timeout = get_be16(p + 20);
    fr->hard_timeout = get_be16(p + 22);
    fr->packet_count = get_be64(p + 24);
    fr->byte_count = get_be64(p + 32);
    return pull_match(p + 40, len - 40, info->version, &fr->match, &used);
}
