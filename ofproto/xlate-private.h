/* xlate-private: the translation's working state, shared by xlate.c and
 * xlate-freeze.c (controller(pause) and NXT_RESUME), which no other module
 * includes.
 *
 * struct xlate_ctx is one packet's translation: the flow as the actions
 * see it, what has been committed to the datapath actions, the push/pop
 * stack, the action set, and while a pause unwinds the levels of
 * resubmits, clones and group buckets, what each of them had left to run.
 *
 * xlate-freeze.c turns what a paused translation had left into a
 * continuation (continuation.h) and runs a continuation on resume; xlate.c
 * calls it where the unwinding passes: xlate_freeze_rest() from an action
 * list, xlate_freeze_frame() from a rule, xlate_freeze_nested() from a
 * clone or a group bucket. */
#ifndef XVS_XLATE_PRIVATE_H
#define XVS_XLATE_PRIVATE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "flow.h"
#include "nx-actions.h"
#include "ofp-actions.h"
#include "xlate.h"

struct continuation;
struct group;

/* Entries of the push/pop stack (NXAST_STACK_PUSH). */
#define XLATE_STACK_MAX 64

struct xlate_ctx {
    const struct xlate_in *xin;
    struct xlate_out *xout;
    struct ofproto *ofproto;
    struct flow flow;           /* The packet as the actions see it. */
    uint16_t committed_tci;     /* VLAN TCI the packet actually carries. */
    struct flow committed;      /* The header fields it carries
                                 * (lib/packet-set.h). */
    int depth;                  /* Nested lookups and groups. */
    int chain;                  /* Lookups in progress, tail ones too. */
    int indent;                 /* Trace nesting of non-tail resubmits. */
    bool overflow;              /* Too many datapath actions. */
    uint8_t stack[XLATE_STACK_MAX][NX_STACK_BYTES];  /* push/pop values. */
    size_t n_stack;
    unsigned int n_group_buckets;   /* Buckets run so far. */
    struct ofpacts action_set;  /* What write_actions wrote (ofp-nested.h),
                                 * run when the pipeline ends. */
    struct ofpacts *learned;    /* Actions of the flows learn taught, */
    struct ft_flow_mod *learned_fms;    /* and their flow_mods, installed
                                         * when the translation is over
                                         * (the rule running may be the
                                         * one a learned flow replaces). */
    size_t n_learned;
    uint32_t queue_id;          /* set_queue; UINT32_MAX for the default.
                                 * Recorded only: no queues in the
                                 * datapath. */
    bool halted;                /* A meter dropped the packet. */
    uint32_t trunc_len;         /* Nonzero while translating an
                                 * output(port=P,max_len=N): N. */
    unsigned int n_mpls_moves;  /* MPLS pushes and pops in 'xout'. */
    struct flow_table *ft;      /* xlate_in's tables, or the bridge's. */
    struct group_table *groups;
    struct meter_table *meters;

    /* The rule being executed, for packet-in table_id/cookie and
     * fin_timeout (NULL outside rules: packet-out, groups' own run). */
    uint8_t table_id;
    uint64_t cookie;
    struct rule *rule;

    /* controller(pause): the translation unwinds without running more,
     * each level adding what it had left to 'frozen_rest', and each rule
     * turning that into a frame of 'frozen' (continuation.h). */
    bool pausing;
    struct ofpacts frozen_rest;
    struct continuation *frozen;

    /* NXT_RESUME: the continuation running, and how many of its frozen
     * clones have started (each with its own stack). */
    const struct continuation *resuming;
    size_t next_clone_stack;
};

/* Runs an action list (xlate.c). */
void xlate_actions(struct xlate_ctx *, const struct ofpacts *);

/* controller(pause): the translation stops; what it had left is frozen
 * from here on. */
void xlate_freeze_start(struct xlate_ctx *);
void xlate_freeze_rest(struct xlate_ctx *, const struct ofpacts *list,
                       size_t from);
void xlate_freeze_in_port(struct xlate_ctx *, uint32_t in_port);
void xlate_freeze_nested(struct xlate_ctx *, size_t first_frame,
                         const struct flow *before);
void xlate_freeze_frame(struct xlate_ctx *, uint8_t table_id,
                        uint64_t cookie);
void xlate_freeze_later_buckets(struct xlate_ctx *, struct group *,
                                const size_t *idx, size_t n);
/* NXT_RESUME: runs continuation 'c'. */
void xlate_resume(struct xlate_ctx *, const struct continuation *c);
/* A clone starts: if it is one of the frozen clones of the continuation
 * being resumed (the first ones to start), gives it the stack it had at
 * the pause. */
void xlate_resume_clone_stack(struct xlate_ctx *);
/* Hands the continuation of a paused translation to its xlate_out. */
void xlate_finish_freeze(struct xlate_ctx *);

#endif /* xlate-private.h */
