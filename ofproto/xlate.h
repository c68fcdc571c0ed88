/* xlate: OpenFlow tables and actions → datapath actions for one packet.
 *
 * Why one module: the packet path (datapath upcalls), PACKET_OUT and
 * ofproto/trace must forward identically, so all three call xlate_run()
 * and differ only in what they do with the result: the datapath executes
 * 'acts', connmgr sends the packet-ins, trace prints the report that
 * xlate_run() wrote into 'xin->trace' along the way.
 *
 * What it does: looks the flow up in table 0 (or runs the given actions),
 * executes apply-actions in order on a working copy of the flow, follows
 * write_metadata, goto_table and resubmit (at most 64 tables deep, so a
 * resubmit loop ends), runs the Nicira load/move/push/pop on registers
 * and metadata, and turns outputs into datapath outputs.
 * Changes to the packet are "committed" just before each output (and
 * each packet-in, which carries the packet as rewritten so far): the VLAN
 * tag as pop/push actions, so a tag pushed and then rewritten costs one
 * push, and the other header fields that set_field, load, move, dec_ttl
 * and the mod_* actions changed as one set action of the fields that
 * differ from what the packet carries (lib/packet-set.h).  push_mpls
 * and pop_mpls (ofp-mpls.h) become datapath pushes and pops where they
 * stand, after a commit of what changed before them; pop_mpls then parses
 * the packet again for the tables after it.  set_mpls_* and dec_mpls_ttl
 * rewrite the outermost label stack entry with the other fields.  A ct
 * with nat commits what changed before it and adds the translation the
 * tracker returns as a rewrite of its own where it stands.  What
 * clone and group buckets change stays inside them: field rewrites are
 * rewritten back by the next commit, and a push or pop inside makes its
 * datapath actions a datapath clone ("clone(...)").  A meter
 * (meter-table.h) that finds the packet over a drop band stops the
 * translation there; the trace says which band.
 *
 * The other action families: write_actions fills the action set, run in
 * OpenFlow's order when the pipeline ends (ofp-nested.h); clone runs its
 * actions on a copy of the flow and stack; set_queue/enqueue record a
 * queue the datapath ignores (the trace says so); sample only counts
 * (ofproto's n_sampled); check_pkt_larger compares 'packet_len';
 * multipath and bundle pick a link or a live member (nx-select.h);
 * learn builds flow_mods that are installed through ofproto_flow_mod()
 * once the translation is over, and only when 'update_stats' says this
 * is a real packet (never from a trace).  Conjunctive matches are
 * resolved by the table lookup (conjunction.h).
 *
 * controller(pause) sends its packet-in and stops: what the translation
 * had left to do is frozen into a continuation (continuation.h) as the
 * levels of resubmits unwind, and a later xlate_run() with 'resume' runs
 * it from there (xlate-freeze.c).
 *
 * NORMAL is the learning switch of mac-learning.h made VLAN-aware: a port
 * with a 'tag' is an access port (untagged frames only, in that VLAN), any
 * other port trunks its 'trunks' VLANs (all if none are listed, VLAN 0
 * meaning untagged); unknown and broadcast destinations flood within the
 * VLAN. */
#ifndef XVS_XLATE_H
#define XVS_XLATE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "datapath/dpif.h"
#include "flow.h"
#include "util.h"

struct continuation;
struct xlate_cache;
struct flow_table;
struct group_table;
struct meter_table;
struct ofproto;
struct ofpacts;

/* A packet-in the translation asked for. */
struct xlate_pin {
    uint8_t reason;             /* OFPR_*. */
    uint8_t table_id;
    uint64_t cookie;            /* Of the rule, all-ones if none. */
    uint16_t max_len;           /* Bytes of the packet to send. */
    unsigned int n_acts;        /* The datapath actions before it, whose
                                 * header rewrites it carries. */
    struct flow flow;           /* Metadata at that point (in_port, regs). */
    uint16_t controller_id;     /* Only to connections with this id. */
    bool pause;                 /* Carries xlate_out's continuation. */
    uint8_t *userdata;          /* malloc'd; NULL if none. */
    size_t userdata_len;
};

#define XLATE_MAX_PINS 8

struct xlate_in {
    struct ofproto *ofproto;
    struct flow flow;           /* The packet's key (in_port: OpenFlow). */
    uint32_t packet_len;        /* For rule counters. */
    const void *packet;         /* Its 'packet_len' bytes, parsed again
                                 * after pop_mpls; NULL in a trace. */
    bool update_stats;          /* Count the packet in the rules it hits. */
    const struct ofpacts *ofpacts;  /* Non-NULL: run these (PACKET_OUT)
                                     * instead of looking up table 0. */
    struct ds *trace;           /* Non-NULL: append an ofproto/trace
                                 * report of each step. */
    const struct continuation *resume;  /* Non-NULL: NXT_RESUME; run its
                                         * frames instead of table 0. */
    /* Non-NULL: the tables to run against instead of the bridge's, which
     * learned flows then go into too.  A PACKET_OUT in a bundle sees the
     * bundle's own changes up to it, on the copies the commit will make
     * the live tables. */
    struct flow_table *ft;
    struct group_table *groups;
    struct meter_table *meters;
    /* Non-NULL: record what a cached megaflow's packets count in
     * (xlate-cache.h). */
    struct xlate_cache *cache;
};

struct xlate_out {
    struct dp_actions acts;
    struct xlate_pin pins[XLATE_MAX_PINS];
    size_t n_pins;
    struct flow final_flow;
    struct continuation *continuation;  /* When a controller(pause) stopped
                                         * the translation; malloc'd. */
    /* The megaflow (lib/flow-wildcards.h): the bits of xin->flow this
     * translation depended on, and, if it cannot be cached, why.  NULL
     * 'slow' means every packet agreeing with xin->flow on 'wc' translates
     * to the same 'acts' with no effect but counting in the rules, groups
     * and tables it went through.  Bits of members no packet carries
     * (registers, metadata, conj_id, actset_output) may be set and mean
     * nothing. */
    struct flow_wildcards wc;
    const char *slow;
};

/* Fills 'xout', which xlate_out_uninit() frees the insides of. */
void xlate_run(const struct xlate_in *, struct xlate_out *);
void xlate_out_uninit(struct xlate_out *);

/* Appends "2,push_vlan(vid=10,pcp=0),3" or "drop". */
void xlate_format_dp_actions(const struct dp_actions *, struct ds *);

#endif
