/* continuation: the frozen state of a translation that controller(pause)
 * stopped, as NXT_PACKET_IN2 carries it to the controller and NXT_RESUME
 * brings it back.
 *
 * What is frozen: the bridge (a UUID each ofproto draws when it is
 * created, so a continuation from another bridge or an earlier run of
 * the switch is refused with NXR_STALE), the actions still to run, as a
 * list of frames, each with the table id and cookie of the rule its
 * actions came from (the innermost, where the pause was, first: running
 * the frames in order is what unwinding the resubmits would have done),
 * the action set, the push/pop stack and the queue.  The packet and its
 * metadata (in_port, metadata, registers) are not in the continuation
 * but next to it in the message, so a controller may change them before
 * it resumes.
 *
 * On the wire (NXPINT_CONTINUATION) the frames use Open vSwitch's
 * property types (NXCPT_BRIDGE, NXCPT_TABLE_ID, NXCPT_COOKIE,
 * NXCPT_ACTIONS, NXCPT_ACTION_SET: actions encoded for the connection's
 * OpenFlow version), so that ovs-ofctl prints them; the stack and queue
 * travel in a property of our own that Open vSwitch's tools skip.  The
 * controller is meant to treat it all as opaque; continuation_decode()
 * checks everything on the way back.
 *
 * Instructions after the pause: clear_actions and write_actions stay in
 * their frame, after the actions before them, and travel between runs
 * of NXCPT_ACTIONS in properties of our own (Open vSwitch encodes them
 * as instructions inside the action list, which its own decoder then
 * refuses, or drops them in OpenFlow 1.0); write_metadata and
 * goto_table become set_field and resubmit, and a resubmit that changed
 * in_port restores it with a load.
 *
 * A pause inside clone or a group bucket: the rest of the clone or
 * bucket (with the frames of the resubmits in it, which lose their own
 * table id and cookie) is frozen as one clone, followed by set_fields
 * that give the fields it changed their values from before it, then the
 * buckets of an "all" group not run yet, each as a clone
 * (xlate-freeze.c).  Such a frozen clone is the first action of the
 * frame or clone around it, so on resume they run first, outermost
 * first; each takes the push/pop stack it had at the pause from
 * 'clone_stacks' (in a property of our own per clone), and the actions
 * after it get back the stack from before it, as the clone would have
 * left them.  The clear_actions and write_actions that the rest of a
 * clone would have run (in the tables it resubmitted to) come right
 * after the frozen clone, in their order: the action set ends up the
 * same, but a lookup later in the clone no longer sees their
 * actset_output.  Mirrors and conntrack state do not exist in this
 * switch. */
#ifndef XVS_CONTINUATION_H
#define XVS_CONTINUATION_H 1

#include <stddef.h>
#include <stdint.h>
#include "ofp-actions.h"
#include "ofp-errors.h"
#include "nx-actions.h"
#include "util.h"

struct ds;
struct ofpbuf;

#define CONTINUATION_STACK_MAX 64

struct continuation_frame {
    uint8_t table_id;
    uint64_t cookie;
    struct ofpacts actions;
};

/* A push/pop stack: 'n' entries, the last one the top. */
struct continuation_stack {
    uint8_t entries[CONTINUATION_STACK_MAX][NX_STACK_BYTES];
    size_t n;
};

struct continuation {
    struct uuid bridge;
    struct continuation_frame *frames;  /* In the order they run. */
    size_t n_frames;
    struct ofpacts action_set;
    uint8_t stack[CONTINUATION_STACK_MAX][NX_STACK_BYTES];
    size_t n_stack;
    uint32_t queue_id;          /* UINT32_MAX: the default queue. */
    /* The stacks the frozen clones start with, outermost first. */
    struct continuation_stack *clone_stacks;
    size_t n_clone_stacks;
};

void continuation_init(struct continuation *);
void continuation_uninit(struct continuation *);
/* Adds the stack a frozen clone starts with, the outermost clone's
 * first (as they run on resume): 'n' entries from 'entries'. */
void continuation_add_clone_stack(struct continuation *,
                                  const uint8_t (*entries)[NX_STACK_BYTES],
                                  size_t n);
/* Appends a frame that takes a copy of 'actions'. */
void continuation_add_frame(struct continuation *, uint8_t table_id,
                            uint64_t cookie, const struct ofpacts *actions);

/* The property values (without the NXPINT_CONTINUATION header), for
 * 'version'. */
void continuation_encode(const struct continuation *, uint8_t version,
                         struct ofpbuf *);
/* Decodes what continuation_encode() wrote, strictly: OFPBPC_BAD_LEN,
 * OFPBPC_BAD_TYPE or an action error.  'c' must be initialized and is
 * left for continuation_uninit() either way. */
enum ofperr continuation_decode(const uint8_t *, size_t, uint8_t version,
                                struct continuation *);
/* The lines ovs-ofctl prints for a continuation, each starting with a
 * space and ending in a new line; as ovs-ofctl, skips properties it does
 * not know, and prints nothing if the rest does not decode. */
void continuation_format(const uint8_t *, size_t, uint8_t version,
                         struct ds *);

#endif
