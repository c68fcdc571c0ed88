/* ofp-nested: actions that carry an action list — write_actions and clone
 * — and the OpenFlow action set that write_actions fills.
 *
 * write_actions(ACTIONS) is the OpenFlow 1.1+ OFPIT_WRITE_ACTIONS
 * instruction: its actions are not run where it stands but merged into
 * the packet's action set, which runs once, when the pipeline ends (no
 * goto_table left), in the order OpenFlow 1.3 section 5.10 requires:
 * copy_ttl_in, pop, push_mpls, push_pbb, push_vlan, copy_ttl_out,
 * dec_ttl, set, qos, group, output.  The set holds at most one action of
 * each kind (one set_field per field); a later write replaces an earlier
 * one, clear_actions empties it, and a group makes the output go unused.
 * As in Open vSwitch, resubmit counts as an output there.
 *
 * clone(ACTIONS) is NXAST_CLONE (Nicira subtype 42): the nested actions
 * run on a copy of the packet's state, so whatever they change is
 * forgotten after it (xlate.c).
 *
 * Both are stored flat (ofp-actions.h, 'n_nested').  The action set
 * cannot hold clone, and clone cannot hold instructions.  Not done yet:
 * the MPLS, PBB and TTL-copy kinds of the order above (no such actions
 * exist in xvswitch yet). */
#ifndef XVS_OFP_NESTED_H
#define XVS_OFP_NESTED_H 1

#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"

struct ds;
struct ofpact;
struct ofpacts;
struct ofpbuf;

#define NXAST_CLONE 42

/* Text: "clone(ACTIONS)" and "write_actions(ACTIONS)". */
char *ofp_nested_parse_clone(const char *arg, struct ofpacts *);
char *ofp_nested_parse_write_actions(const char *arg, struct ofpacts *);
void ofp_nested_format(const struct ofpact *, struct ds *);

/* Wire.  The clone decoder gets the whole NX action at 'p'; the
 * write_actions one the action list inside the instruction. */
enum ofperr ofp_nested_decode_clone(const uint8_t *p, size_t len,
                                    uint8_t version, struct ofpacts *);
enum ofperr ofp_nested_decode_write_actions(const uint8_t *p, size_t len,
                                            uint8_t version,
                                            struct ofpacts *);
/* Encodes clone as an NX action, write_actions as an instruction
 * (nothing for an empty one, as Open vSwitch). */
void ofp_nested_encode(const struct ofpact *, uint8_t version,
                       struct ofpbuf *);

/* The action set.  ofp_action_set_write() merges the list a
 * write_actions carries into 'set'; ofp_action_set_order() appends the
 * set's actions to 'out' in execution order. */
void ofp_action_set_write(struct ofpacts *set, const struct ofpact *);
void ofp_action_set_order(const struct ofpacts *set, struct ofpacts *out);
/* The output port the set would use, for the actset_output field:
 * OFPP_UNSET if it has no output action or a group overrides it. */
uint32_t ofp_action_set_output(const struct ofpacts *set);

#endif
