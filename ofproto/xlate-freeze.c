/* xlate-freeze: controller(pause) freezes what the translation had left
 * into a continuation, and NXT_RESUME runs it (see xlate-private.h and
 * continuation.h). */
#include <config.h>
#include "xlate-private.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "continuation.h"
#include "group-table.h"
#include "meta-flow.h"
#include "ofp-actions.h"
#include "ofproto-private.h"

void
xlate_freeze_start(struct xlate_ctx *ctx)
{
    ctx->pausing = true;
    ctx->frozen = xmalloc(sizeof *ctx->frozen);
    continuation_init(ctx->frozen);
    ctx->frozen->bridge = *ofproto_uuid(ctx->ofproto);
}

/* Adds what 'list' has left from entry 'from' on to the actions frozen so
 * far.  clear_actions and write_actions stay where they are, to change
 * the action set after the actions before them have run (continuation.c
 * carries them); write_metadata and goto_table become the actions that
 * do the same. */
void
xlate_freeze_rest(struct xlate_ctx *ctx, const struct ofpacts *list,
                  size_t from)
{
    for (size_t i = from; i < list->n; i += ofpact_span(&list->acts[i])) {
        const struct ofpact *a = &list->acts[i];
        struct ofpact *b;
        switch (a->type) {
        case OFPACT_WRITE_METADATA:
            b = ofpacts_put(&ctx->frozen_rest, OFPACT_SET_FIELD);
            b->set_field.field = MFF_METADATA;
            b->set_field.value.be64 = htobe64(a->write_metadata.metadata);
            b->set_field.mask.be64 = htobe64(a->write_metadata.mask);
            break;
        case OFPACT_GOTO_TABLE:
            b = ofpacts_put(&ctx->frozen_rest, OFPACT_RESUBMIT);
            b->resubmit.in_port = OFPP_IN_PORT;
            b->resubmit.table_id = a->goto_table.table_id;
            break;
        default:
            for (size_t j = 0; j < ofpact_span(a); j++) {
                *ofpacts_put(&ctx->frozen_rest, a[j].type) = a[j];
            }
            break;
        }
    }
}

/* Freezes a load of 'in_port' into NXM_OF_IN_PORT, which every version
 * can encode; ports beyond its 16 bits (LOCAL and the other reserved
 * ones) are left as they are. */
void
xlate_freeze_in_port(struct xlate_ctx *ctx, uint32_t in_port)
{
    if (in_port >= 0xff00) {
        return;
    }
    struct ofpacts load = OFPACTS_EMPTY_INITIALIZER;
    char *s = xasprintf("load:%"PRIu32"->NXM_OF_IN_PORT[]", in_port);
    char *error = ofpacts_parse(s, &load);
    if (!error) {
        for (size_t i = 0; i < load.n; i++) {
            *ofpacts_put(&ctx->frozen_rest, load.acts[i].type)
                = load.acts[i];
        }
    }
    free(error);
    free(s);
    ofpacts_uninit(&load);
}

/* The fields a clone or a group bucket may change, one of each set of
 * overlapping ones (reg0, not xreg0; vlan_tci, not vlan_vid). */
static const enum mf_field_id restorable_fields[] = {
    MFF_METADATA,
    MFF_REG0, MFF_REG1, MFF_REG2, MFF_REG3, MFF_REG4, MFF_REG5, MFF_REG6,
    MFF_REG7, MFF_REG8, MFF_REG9, MFF_REG10, MFF_REG11, MFF_REG12,
    MFF_REG13, MFF_REG14, MFF_REG15,
    MFF_PKT_MARK, MFF_ETH_SRC, MFF_ETH_DST, MFF_VLAN_TCI,
    MFF_IPV4_SRC, MFF_IPV4_DST, MFF_IPV6_SRC, MFF_IPV6_DST, MFF_IPV6_LABEL,
    MFF_IP_DSCP, MFF_IP_ECN, MFF_IP_TTL,
    MFF_ARP_OP, MFF_ARP_SPA, MFF_ARP_TPA, MFF_ARP_SHA, MFF_ARP_THA,
    MFF_TCP_SRC, MFF_TCP_DST, MFF_UDP_SRC, MFF_UDP_DST,
    MFF_ICMPV4_TYPE, MFF_ICMPV4_CODE, MFF_ICMPV6_TYPE, MFF_ICMPV6_CODE,
    MFF_ND_TARGET, MFF_ND_SLL, MFF_ND_TLL,
    MFF_TUN_ID, MFF_TUN_SRC, MFF_TUN_DST, MFF_TUN_IPV6_SRC, MFF_TUN_IPV6_DST,
    MFF_TUN_FLAGS,
    MFF_MPLS_LABEL, MFF_MPLS_TC, MFF_MPLS_TTL,
};

/* The resumed packet is the one that paused, as the clone or bucket it
 * paused in had changed it: freezes the set_fields that give the fields
 * it changed their values from 'before' it back. */
static void
freeze_restore_flow(struct xlate_ctx *ctx, const struct flow *before)
{
    for (size_t i = 0; i < ARRAY_SIZE(restorable_fields); i++) {
        const struct mf_field *mf = mf_from_id(restorable_fields[i]);
        union mf_value old, now;
        mf_get_flow_value(mf, before, &old);
        mf_get_flow_value(mf, &ctx->flow, &now);
        if (memcmp(&old, &now, mf->n_bytes)) {
            struct ofpact *b = ofpacts_put(&ctx->frozen_rest,
                                           OFPACT_SET_FIELD);
            b->set_field.field = mf->id;
            b->set_field.value = old;
            mf_exact_mask(mf, &b->set_field.mask);
        }
    }
    if (before->in_port != ctx->flow.in_port) {
        xlate_freeze_in_port(ctx, before->in_port);
    }
}

/* A pause inside a clone or a group bucket: what the clone or bucket had
 * left (the frames of the resubmits in it, then the rest of its own
 * actions) becomes one clone, so that on resume it runs on a copy of the
 * packet, followed by what gives back the fields it changed before the
 * pause.  The frames in it lose their own table id and cookie: packet-ins
 * from them carry those of the rule with the clone or group. */
void
xlate_freeze_nested(struct xlate_ctx *ctx, size_t first_frame,
              const struct flow *before)
{
    struct continuation *c = ctx->frozen;
    struct ofpacts inner = OFPACTS_EMPTY_INITIALIZER;
    for (size_t i = first_frame; i < c->n_frames; i++) {
        const struct ofpacts *f = &c->frames[i].actions;
        for (size_t j = 0; j < f->n; j++) {
            *ofpacts_put(&inner, f->acts[j].type) = f->acts[j];
        }
        ofpacts_uninit(&c->frames[i].actions);
    }
    c->n_frames = first_frame;
    for (size_t j = 0; j < ctx->frozen_rest.n; j++) {
        *ofpacts_put(&inner, ctx->frozen_rest.acts[j].type)
            = ctx->frozen_rest.acts[j];
    }
    ofpacts_clear(&ctx->frozen_rest);

    /* No action holds clear_actions or write_actions, so they leave the
     * clone for right after it, in their order: the action set they
     * build is the same. */
    struct ofpacts in_clone = OFPACTS_EMPTY_INITIALIZER;
    struct ofpacts after = OFPACTS_EMPTY_INITIALIZER;
    for (size_t i = 0; i < inner.n; i += ofpact_span(&inner.acts[i])) {
        const struct ofpact *a = &inner.acts[i];
        struct ofpacts *to = (a->type == OFPACT_CLEAR_ACTIONS
                              || a->type == OFPACT_WRITE_ACTIONS
                              ? &after : &in_clone);
        for (size_t j = 0; j < ofpact_span(a); j++) {
            *ofpacts_put(to, a[j].type) = a[j];
        }
    }
    if (in_clone.n) {
        ofpacts_put_nested(&ctx->frozen_rest, OFPACT_CLONE, &in_clone);
        /* The stack the clone has now is the one it resumes with. */
        continuation_add_clone_stack(c, (const uint8_t (*)[NX_STACK_BYTES])
                                        ctx->stack, ctx->n_stack);
    }
    for (size_t j = 0; j < after.n; j++) {
        *ofpacts_put(&ctx->frozen_rest, after.acts[j].type) = after.acts[j];
    }
    ofpacts_uninit(&in_clone);
    ofpacts_uninit(&after);
    ofpacts_uninit(&inner);
    freeze_restore_flow(ctx, before);
}

void
xlate_resume_clone_stack(struct xlate_ctx *ctx)
{
    const struct continuation *c = ctx->resuming;
    if (c && ctx->next_clone_stack < c->n_clone_stacks) {
        const struct continuation_stack *cs
            = &c->clone_stacks[ctx->next_clone_stack++];
        memcpy(ctx->stack, cs->entries, cs->n * sizeof ctx->stack[0]);
        ctx->n_stack = cs->n;
    }
}

/* Turns what is frozen at this level into a frame run with the table id
 * and cookie of the rule it came from. */
void
xlate_freeze_frame(struct xlate_ctx *ctx, uint8_t table_id, uint64_t cookie)
{
    continuation_add_frame(ctx->frozen, table_id, cookie, &ctx->frozen_rest);
    ofpacts_clear(&ctx->frozen_rest);
}

/* After a pause in a bucket of an "all" group, the buckets not run yet
 * run on resume, each a clone of the packet as it was before the group.
 * They count as run now. */
void
xlate_freeze_later_buckets(struct xlate_ctx *ctx, struct group *g,
                     const size_t *idx, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (ctx->xin->update_stats) {
            group_count(g, idx[i], ctx->xin->packet_len);
        }
        ofpacts_put_nested(&ctx->frozen_rest, OFPACT_CLONE,
                           &g->desc.buckets[idx[i]].ofpacts);
    }
}

/* NXT_RESUME: the state and the frames of continuation 'c', run in
 * order; a pause on the way freezes the frames not run yet too. */
void
xlate_resume(struct xlate_ctx *ctx, const struct continuation *c)
{
    ofpacts_clone(&ctx->action_set, &c->action_set);
    memcpy(ctx->stack, c->stack, c->n_stack * sizeof c->stack[0]);
    ctx->n_stack = c->n_stack;
    ctx->queue_id = c->queue_id;
    ctx->resuming = c;
    ctx->next_clone_stack = 0;
    for (size_t i = 0; i < c->n_frames && !ctx->halted; i++) {
        const struct continuation_frame *f = &c->frames[i];
        ctx->table_id = f->table_id;
        ctx->cookie = f->cookie;
        xlate_actions(ctx, &f->actions);
        if (ctx->pausing) {
            xlate_freeze_frame(ctx, f->table_id, f->cookie);
            for (i++; i < c->n_frames; i++) {
                continuation_add_frame(ctx->frozen, c->frames[i].table_id,
                                       c->frames[i].cookie,
                                       &c->frames[i].actions);
            }
        }
    }
}

/* Completes the continuation with what the top level had left and the
 * state the rest will need. */
void
xlate_finish_freeze(struct xlate_ctx *ctx)
{
    struct continuation *c = ctx->frozen;
    if (ctx->frozen_rest.n) {
        xlate_freeze_frame(ctx, ctx->table_id, ctx->cookie);
    }
    ofpacts_clone(&c->action_set, &ctx->action_set);
    memcpy(c->stack, ctx->stack, ctx->n_stack * sizeof ctx->stack[0]);
    c->n_stack = ctx->n_stack;
    c->queue_id = ctx->queue_id;
    /* xlate_freeze_nested() added the clones' stacks innermost first. */
    for (size_t i = 0, j = c->n_clone_stacks; i + 1 < j; i++, j--) {
        struct continuation_stack tmp = c->clone_stacks[i];
        c->clone_stacks[i] = c->clone_stacks[j - 1];
        c->clone_stacks[j - 1] = tmp;
    }
    ctx->xout->continuation = c;
}
