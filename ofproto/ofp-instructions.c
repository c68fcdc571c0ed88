/* ofp-instructions: the OpenFlow 1.1+ instruction list of a flow_mod,
 * decoded into and encoded from the instruction part of a 'struct
 * ofpacts' (ofp-actions.h): apply_actions, clear_actions, write_actions
 * (ofp-nested.h), write_metadata, goto_table and, before OpenFlow 1.5,
 * meter (which 1.5 made an action: ofp-actions.c).  Experimenter
 * instructions are refused (OFPBIC_BAD_EXPERIMENTER). */
#include <config.h>
#include "ofp-actions.h"

#include <string.h>
#include "ofp-msgs.h"
#include "ofp-nested.h"
#include "ofpbuf.h"

/* OpenFlow 1.1+ instruction types. */
#define OFPIT_GOTO_TABLE 1
#define OFPIT_WRITE_METADATA 2
#define OFPIT_WRITE_ACTIONS 3
#define OFPIT_APPLY_ACTIONS 4
#define OFPIT_CLEAR_ACTIONS 5
#define OFPIT_METER 6

static void
put_instruction_header(struct ofpbuf *b, uint16_t type, uint16_t len)
{
    ofpbuf_put_be16(b, type);
    ofpbuf_put_be16(b, len);
}

enum ofperr
ofpacts_pull_instructions(const void *data, size_t len, uint8_t version,
                          struct ofpacts *o)
{
    const uint8_t *p = data;
    const uint8_t *apply = NULL;
    size_t apply_len = 0;
    bool seen[8] = { false };
    struct ofpact clear, meta, go;
    bool has_clear = false, has_meta = false, has_goto = false;
    const uint8_t *write = NULL;
    size_t write_len = 0;
    uint32_t meter_id = 0;
    bool has_meter = false;

    while (len > 0) {
        if (len < 8) {
            return OFPERR_OFPBIC_BAD_LEN;
        }
        uint16_t type = get_be16(p);
        uint16_t ilen = get_be16(p + 2);
        if (ilen < 8 || ilen % 8 || ilen > len) {
            return OFPERR_OFPBIC_BAD_LEN;
        }
        if (type == 0xffff) {
            return OFPERR_OFPBIC_BAD_EXPERIMENTER;
        }
        if (type < 1 || type > OFPIT_METER) {
            return OFPERR_OFPBIC_UNKNOWN_INST;
        }
        if (seen[type]) {
            return OFPERR_OFPBIC_DUP_INST;
        }
        seen[type] = true;
        switch (type) {
        case OFPIT_GOTO_TABLE:
            if (ilen != 8) {
                return OFPERR_OFPBIC_BAD_LEN;
            }
            if (p[4] == 0xff) {
                return OFPERR_OFPBIC_BAD_TABLE_ID;
            }
            memset(&go, 0, sizeof go);
            go.type = OFPACT_GOTO_TABLE;
            go.goto_table.table_id = p[4];
            has_goto = true;
            break;
        case OFPIT_WRITE_METADATA:
            if (ilen != 24) {
                return OFPERR_OFPBIC_BAD_LEN;
            }
            memset(&meta, 0, sizeof meta);
            meta.type = OFPACT_WRITE_METADATA;
            meta.write_metadata.mask = get_be64(p + 16);
            meta.write_metadata.metadata = get_be64(p + 8)
                                           & meta.write_metadata.mask;
            has_meta = true;
            break;
        case OFPIT_APPLY_ACTIONS:
            apply = p + 8;
            apply_len = ilen - 8;
            break;
        case OFPIT_WRITE_ACTIONS:
            write = p + 8;
            write_len = ilen - 8;
            break;
        case OFPIT_CLEAR_ACTIONS:
            if (ilen != 8) {
                return OFPERR_OFPBIC_BAD_LEN;
            }
            memset(&clear, 0, sizeof clear);
            clear.type = OFPACT_CLEAR_ACTIONS;
            has_clear = true;
            break;
        case OFPIT_METER:
            /* OpenFlow 1.5 has the meter action instead. */
            if (version >= OFP15_VERSION) {
                return OFPERR_OFPBIC_UNSUP_INST;
            }
            if (ilen != 8) {
                return OFPERR_OFPBIC_BAD_LEN;
            }
            meter_id = get_be32(p + 4);
            has_meter = true;
            break;
        default:
            return OFPERR_OFPBIC_UNSUP_INST;
        }
        p += ilen;
        len -= ilen;
    }
    if (has_meter) {
        ofpacts_put(o, OFPACT_METER)->meter.meter_id = meter_id;
    }
    if (apply) {
        enum ofperr error = ofpacts_pull_openflow_actions(apply, apply_len,
                                                          version, o);
        if (error) {
            return error;
        }
    }
    if (has_clear) {
        *ofpacts_put(o, OFPACT_CLEAR_ACTIONS) = clear;
    }
    if (write) {
        enum ofperr error = ofp_nested_decode_write_actions(write, write_len,
                                                            version, o);
        if (error) {
            return error;
        }
        /* An empty write_actions changes nothing: drop it, as Open
         * vSwitch does. */
        if (!o->acts[o->n - 1].n_nested
            && o->acts[o->n - 1].type == OFPACT_WRITE_ACTIONS) {
            o->n--;
        }
    }
    if (has_meta) {
        *ofpacts_put(o, OFPACT_WRITE_METADATA) = meta;
    }
    if (has_goto) {
        *ofpacts_put(o, OFPACT_GOTO_TABLE) = go;
    }
    return 0;
}

void
ofpacts_put_instructions(const struct ofpacts *o, uint8_t version,
                         struct ofpbuf *b)
{
    size_t n_actions = 0;
    while (n_actions < o->n && o->acts[n_actions].type < OFPACT_CLEAR_ACTIONS) {
        n_actions += ofpact_span(&o->acts[n_actions]);
    }
    /* Before OpenFlow 1.5 the meter is an instruction of its own, ahead
     * of apply-actions (which it is not part of).  A rule an OpenFlow 1.5
     * controller metered further down its list shows its first meter as
     * the instruction: the nearest 1.3 can say. */
    size_t n_meters = 0;
    for (size_t i = 0; i < n_actions; i += ofpact_span(&o->acts[i])) {
        if (o->acts[i].type == OFPACT_METER && version < OFP15_VERSION
            && !n_meters++) {
            put_instruction_header(b, OFPIT_METER, 8);
            ofpbuf_put_be32(b, o->acts[i].meter.meter_id);
        }
    }
    if (n_actions > n_meters) {
        size_t start = b->size;
        put_instruction_header(b, OFPIT_APPLY_ACTIONS, 0);
        ofpbuf_put_zeros(b, 4);
        ofpacts_put_openflow_actions(o, version, b);
        ofpbuf_set_be16(b, start + 2, b->size - start);
    }
    for (size_t i = n_actions; i < o->n; i += ofpact_span(&o->acts[i])) {
        const struct ofpact *a = &o->acts[i];
        switch (a->type) {
        case OFPACT_CLEAR_ACTIONS:
            put_instruction_header(b, OFPIT_CLEAR_ACTIONS, 8);
            ofpbuf_put_zeros(b, 4);
            break;
        case OFPACT_WRITE_ACTIONS:
            ofp_nested_encode(a, version, b);
            break;
        case OFPACT_WRITE_METADATA:
            put_instruction_header(b, OFPIT_WRITE_METADATA, 24);
            ofpbuf_put_zeros(b, 4);
            ofpbuf_put_be64(b, a->write_metadata.metadata);
            ofpbuf_put_be64(b, a->write_metadata.mask);
            break;
        case OFPACT_GOTO_TABLE:
            put_instruction_header(b, OFPIT_GOTO_TABLE, 8);
            ofpbuf_put_u8(b, a->goto_table.table_id);
            ofpbuf_put_zeros(b, 3);
            break;
        default:
            break;
        }
    }
}
