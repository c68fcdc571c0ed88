/* continuation: frozen translations (see continuation.h). */
#include <config.h>
#include "continuation.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "ofp-nested.h"
#include "ofp-prop.h"
#include "ofpbuf.h"

/* Property types inside NXPINT_CONTINUATION: Open vSwitch's, and ours. */
enum {
    NXCPT_BRIDGE = 0x8000,      /* 16 bytes, the UUID in host order. */
    NXCPT_TABLE_ID = 0x8004,    /* u8: for the next NXCPT_ACTIONS. */
    NXCPT_COOKIE = 0x8005,      /* be64: for the next NXCPT_ACTIONS. */
    NXCPT_ACTIONS = 0x8006,     /* Aligned: one frame's actions. */
    NXCPT_ACTION_SET = 0x8007,  /* Aligned: the action set. */
    XVSCPT_STATE = 0x80f0,      /* be32 queue, be32 n, n × 16-byte stack
                                 * entries (NX_STACK_BYTES). */
    XVSCPT_CLEAR_ACTIONS = 0x80f1,  /* Empty: clear_actions in the frame. */
    XVSCPT_WRITE_ACTIONS = 0x80f2,  /* Aligned: write_actions' actions. */
    XVSCPT_CLONE_STACK = 0x80f3,    /* be32 n, n × 16-byte stack entries:
                                     * one frozen clone's stack. */
};

void
continuation_init(struct continuation *c)
{
    memset(c, 0, sizeof *c);
    c->queue_id = UINT32_MAX;
}

void
continuation_uninit(struct continuation *c)
{
    for (size_t i = 0; i < c->n_frames; i++) {
        ofpacts_uninit(&c->frames[i].actions);
    }
    free(c->frames);
    ofpacts_uninit(&c->action_set);
    free(c->clone_stacks);
    continuation_init(c);
}

void
continuation_add_clone_stack(struct continuation *c,
                             const uint8_t (*entries)[NX_STACK_BYTES],
                             size_t n)
{
    c->clone_stacks = xrealloc(c->clone_stacks, (c->n_clone_stacks + 1)
                                                * sizeof *c->clone_stacks);
    struct continuation_stack *cs = &c->clone_stacks[c->n_clone_stacks++];
    cs->n = n;
    memcpy(cs->entries, entries, n * sizeof *entries);
}

static void
append_actions(struct ofpacts *dst, const struct ofpact *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        *ofpacts_put(dst, a[i].type) = a[i];
    }
}

void
continuation_add_frame(struct continuation *c, uint8_t table_id,
                       uint64_t cookie, const struct ofpacts *actions)
{
    c->frames = xrealloc(c->frames, (c->n_frames + 1) * sizeof *c->frames);
    struct continuation_frame *f = &c->frames[c->n_frames++];
    f->table_id = table_id;
    f->cookie = cookie;
    ofpacts_init(&f->actions);
    ofpacts_clone(&f->actions, actions);
}

static void
put_actions(struct ofpbuf *b, uint16_t type, const struct ofpacts *actions,
            uint8_t version)
{
    size_t start = ofpprop_start_aligned(b, type);
    ofpacts_put_openflow_actions(actions, version, b);
    ofpprop_end(b, start);
}

/* A frame's actions may hold the clear_actions and write_actions that
 * came after the pause in its rule.  No action encodes them, so the frame
 * travels as runs of actions (NXCPT_ACTIONS) with those two between them
 * as properties of our own: Open vSwitch's tools skip them and show each
 * later run as one more frame of the same rule. */
static void
put_frame(struct ofpbuf *b, const struct continuation_frame *f,
          uint8_t version)
{
    ofpprop_put_u8(b, NXCPT_TABLE_ID, f->table_id);
    ofpprop_put_be64(b, NXCPT_COOKIE, f->cookie);
    struct ofpacts run = OFPACTS_EMPTY_INITIALIZER;
    bool frame_started = false;
    const struct ofpacts *acts = &f->actions;
    for (size_t i = 0; i < acts->n; i += ofpact_span(&acts->acts[i])) {
        const struct ofpact *a = &acts->acts[i];
        if (a->type != OFPACT_CLEAR_ACTIONS
            && a->type != OFPACT_WRITE_ACTIONS) {
            append_actions(&run, a, ofpact_span(a));
            continue;
        }
        if (!frame_started || run.n) {
            put_actions(b, NXCPT_ACTIONS, &run, version);
            frame_started = true;
            ofpacts_clear(&run);
        }
        if (a->type == OFPACT_CLEAR_ACTIONS) {
            ofpprop_put(b, XVSCPT_CLEAR_ACTIONS, NULL, 0);
        } else {
            struct ofpacts inner = ofpact_nested(a);
            put_actions(b, XVSCPT_WRITE_ACTIONS, &inner, version);
        }
    }
    if (!frame_started || run.n) {
        put_actions(b, NXCPT_ACTIONS, &run, version);
    }
    ofpacts_uninit(&run);
}

void
continuation_encode(const struct continuation *c, uint8_t version,
                    struct ofpbuf *b)
{
    ofpprop_put(b, NXCPT_BRIDGE, &c->bridge, sizeof c->bridge);
    for (size_t i = 0; i < c->n_frames; i++) {
        put_frame(b, &c->frames[i], version);
    }
    if (c->action_set.n) {
        put_actions(b, NXCPT_ACTION_SET, &c->action_set, version);
    }
    size_t start = ofpprop_start(b, XVSCPT_STATE);
    ofpbuf_put_be32(b, c->queue_id);
    ofpbuf_put_be32(b, c->n_stack);
    for (size_t i = 0; i < c->n_stack; i++) {
        ofpbuf_put(b, c->stack[i], NX_STACK_BYTES);
    }
    ofpprop_end(b, start);
    for (size_t i = 0; i < c->n_clone_stacks; i++) {
        const struct continuation_stack *cs = &c->clone_stacks[i];
        start = ofpprop_start(b, XVSCPT_CLONE_STACK);
        ofpbuf_put_be32(b, cs->n);
        ofpbuf_put(b, cs->entries, cs->n * NX_STACK_BYTES);
        ofpprop_end(b, start);
    }
}

static enum ofperr
decode_clone_stack(const uint8_t *v, size_t vlen, struct continuation *c)
{
    if (vlen < 4) {
        return OFPERR_OFPBPC_BAD_LEN;
    }
    uint32_t n = get_be32(v);
    if (n > CONTINUATION_STACK_MAX
        || vlen != 4 + NX_STACK_BYTES * (size_t) n) {
        return OFPERR_OFPBPC_BAD_LEN;
    }
    continuation_add_clone_stack(c, (const uint8_t (*)[NX_STACK_BYTES])
                                    (v + 4), n);
    return 0;
}

static enum ofperr
decode_state(const uint8_t *v, size_t vlen, struct continuation *c)
{
    if (vlen < 8) {
        return OFPERR_OFPBPC_BAD_LEN;
    }
    uint32_t n = get_be32(v + 4);
    if (n > CONTINUATION_STACK_MAX
        || vlen != 8 + NX_STACK_BYTES * (size_t) n) {
        return OFPERR_OFPBPC_BAD_LEN;
    }
    c->queue_id = get_be32(v);
    c->n_stack = n;
    for (size_t i = 0; i < n; i++) {
        memcpy(c->stack[i], v + 8 + NX_STACK_BYTES * i, NX_STACK_BYTES);
    }
    return 0;
}

static enum ofperr
decode_actions(const uint8_t *v, size_t vlen, uint8_t version,
               struct ofpacts *out)
{
    enum ofperr error = ofpprop_value_aligned(&v, &vlen);
    return error ? error : ofpacts_pull_openflow_actions(v, vlen, version,
                                                         out);
}

static enum ofperr
decode__(const uint8_t *p, size_t len, uint8_t version, bool loose,
         struct continuation *c)
{
    uint8_t table_id = 0;
    uint64_t cookie = 0;
    bool append = false;        /* The next NXCPT_ACTIONS goes on with the
                                 * last frame (put_frame()). */
    while (len > 0) {
        uint16_t type;
        const uint8_t *v;
        size_t vlen;
        enum ofperr error = ofpprop_pull(&p, &len, &type, &v, &vlen);
        if (error) {
            return error;
        }
        switch (type) {
        case NXCPT_BRIDGE:
            error = ofpprop_check_len(vlen, sizeof c->bridge);
            if (!error) {
                memcpy(&c->bridge, v, sizeof c->bridge);
            }
            break;
        case NXCPT_TABLE_ID:
            error = ofpprop_check_len(vlen, 1);
            if (!error) {
                table_id = v[0];
            }
            break;
        case NXCPT_COOKIE:
            error = ofpprop_value_aligned(&v, &vlen);
            if (!error) {
                error = ofpprop_check_len(vlen, 8);
            }
            if (!error) {
                cookie = get_be64(v);
            }
            break;
        case NXCPT_ACTIONS: {
            struct ofpacts actions = OFPACTS_EMPTY_INITIALIZER;
            error = decode_actions(v, vlen, version, &actions);
            if (!error && append) {
                struct ofpacts *last = &c->frames[c->n_frames - 1].actions;
                append_actions(last, actions.acts, actions.n);
            } else if (!error) {
                continuation_add_frame(c, table_id, cookie, &actions);
            }
            append = false;
            ofpacts_uninit(&actions);
            break;
        }
        case XVSCPT_CLEAR_ACTIONS:
        case XVSCPT_WRITE_ACTIONS:
            if (loose) {
                /* As Open vSwitch's tools show the frame. */
                break;
            }
            if (!c->n_frames) {
                error = OFPERR_OFPBPC_BAD_TYPE;
            } else if (type == XVSCPT_CLEAR_ACTIONS) {
                error = ofpprop_check_len(vlen, 0);
                if (!error) {
                    ofpacts_put(&c->frames[c->n_frames - 1].actions,
                                OFPACT_CLEAR_ACTIONS);
                }
            } else {
                error = ofpprop_value_aligned(&v, &vlen);
                if (!error) {
                    error = ofp_nested_decode_write_actions(
                        v, vlen, version, &c->frames[c->n_frames - 1].actions);
                }
            }
            append = true;
            break;
        case NXCPT_ACTION_SET:
            ofpacts_clear(&c->action_set);
            error = decode_actions(v, vlen, version, &c->action_set);
            break;
        case XVSCPT_STATE:
            error = decode_state(v, vlen, c);
            break;
        case XVSCPT_CLONE_STACK:
            error = decode_clone_stack(v, vlen, c);
            break;
        default:
            error = loose ? 0 : OFPERR_OFPBPC_BAD_TYPE;
            break;
        }
        if (error) {
            return error;
        }
    }
    return 0;
}

enum ofperr
continuation_decode(const uint8_t *p, size_t len, uint8_t version,
                    struct continuation *c)
{
    return decode__(p, len, version, false, c);
}

static void
format_uuid(const struct uuid *u, struct ds *s)
{
    ds_put_format(s, "%08"PRIx32"-%04"PRIx32"-%04"PRIx32"-%04"PRIx32
                  "-%04"PRIx32"%08"PRIx32,
                  u->parts[0], u->parts[1] >> 16, u->parts[1] & 0xffff,
                  u->parts[2] >> 16, u->parts[2] & 0xffff, u->parts[3]);
}

void
continuation_format(const uint8_t *p, size_t len, uint8_t version,
                    struct ds *s)
{
    struct continuation c;
    continuation_init(&c);
    if (decode__(p, len, version, true, &c)) {
        continuation_uninit(&c);
        return;
    }
    static const struct uuid zero;
    if (!uuid_equals(&c.bridge, &zero)) {
        ds_put_cstr(s, " continuation.bridge=");
        format_uuid(&c.bridge, s);
        ds_put_char(s, '\n');
    }
    if (c.n_frames) {
        ds_put_cstr(s, " continuation.actions=");
        for (size_t i = 0; i < c.n_frames; i++) {
            const struct continuation_frame *f = &c.frames[i];
            ds_put_format(s, "%sunroll_xlate(table=%"PRIu8", cookie=%"PRIu64
                          ")", i ? "," : "", f->table_id, f->cookie);
            if (f->actions.n) {
                ds_put_char(s, ',');
                ofpacts_format(&f->actions, s);
            }
        }
        ds_put_char(s, '\n');
    }
    if (c.action_set.n) {
        ds_put_cstr(s, " continuation.action_set=");
        ofpacts_format(&c.action_set, s);
        ds_put_char(s, '\n');
    }
    continuation_uninit(&c);
}
