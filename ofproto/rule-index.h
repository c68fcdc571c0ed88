/* rule-index: the rules of one OpenFlow table, in the order lookups see
 * them, with the indexes that keep changes from scanning them.
 *
 * Why a module of its own: the list in priority order is what lookups,
 * dumps and every loose flow_mod walk, and flow-table.c's semantics
 * (identical, strict, overlapping) are written against it; keeping that
 * list and its indexes in step is a separate concern, and the one place
 * that touches both.
 *
 * The list holds the rules by descending priority, insertion order among
 * equals.  Beside it:
 *   - a hash index by priority and match, so the rule an ADD replaces, or
 *     the one a strict MODIFY or DELETE names, is found without a scan;
 *   - one level per priority in use, holding its rule count and last
 *     rule, after which a new rule of that priority goes; a bitmap of the
 *     priorities in use finds the nearest higher level when a priority is
 *     new.
 * So a change costs O(1) (a new priority level: a scan of at most 1,024
 * words of the bitmap), and adding N rules costs O(N), as a controller
 * installing tens of thousands of flows needs.
 *
 * Lookup by tuple space search: the rules are also kept in subtables, one
 * per mask, each a hash of the rules by their masked key, and tried in
 * order of their highest priority until none left can beat the best rule
 * found.  The result is the rule a scan of the list finds (ties of
 * priority go to the rule inserted first), but its cost is the number of
 * masks, not of rules.  Conjunctive rules (conjunction.h) have subtables
 * of their own, which give conjunction.c the ones that match above the
 * best ordinary rule.
 *
 * The megaflow mask of such a lookup holds, for each subtable it tried,
 * what the subtable's answer depended on, so that every packet agreeing
 * with the looked-up one there gets the same answers and takes the same
 * path.  That is the subtable's whole mask, unless an address prefix
 * rules the subtable out: for IPv4 and IPv6 source and destination, the
 * index counts, for each prefix length L a subtable has, the rules' L-bit
 * prefixes and their leading 8, 16, ... bits (16, 32, ... for IPv6).  A
 * packet whose L-bit prefix no rule of that length has skips every such
 * subtable at the cost of the shortest of those leading bits no rule
 * shares with it (a /32 host rule missed by an address in another /24
 * costs a /24, not the address nor the rule's other fields), as Open
 * vSwitch's prefix tries do, at a coarser grain.  Still, that is
 * narrower (closer to an exact match) than the scan's per-rule exclusion
 * (flow-wildcards.h), which picks one differing field per rule passed, so
 * small tables, where the scan is cheap, are still scanned: only tables
 * of more than RULE_INDEX_SCAN_MAX rules use subtables. */
#ifndef XVS_RULE_INDEX_H
#define XVS_RULE_INDEX_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hmap.h"
#include "list.h"

struct flow;
struct flow_wildcards;
struct match;
struct rule;

/* The subtables of one kind of rule. */
struct ri_subtables {
    struct hmap map;            /* By mask. */
    struct ri_subtable **sorted;    /* By descending highest priority, */
    size_t n_sorted;
    bool stale;                 /* unless this is set. */
};

struct rule_index {
    struct xvs_list list;       /* 'struct rule's by their 'node',
                                 * priority descending. */
    size_t n;                   /* Rules in 'list'. */
    struct hmap by_match;       /* The same rules by priority and match. */
    struct hmap levels;         /* Private: one per priority in use. */
    uint64_t *level_bits;       /* Bit P: priority P is in use.  NULL
                                 * until the first rule. */
    struct ri_subtables sets[2];    /* Private: ordinary rules' subtables,
                                     * then conjunctive rules'. */
    uint64_t next_seq;          /* Insertion order, for ties. */
    struct hmap prefix_counts;  /* Private: the rules' address prefixes. */
};

/* Tables with more rules than this are searched by subtable; smaller
 * ones are scanned. */
#define RULE_INDEX_SCAN_MAX 64

void rule_index_init(struct rule_index *);
/* Frees the indexes; the rules must be gone already. */
void rule_index_destroy(struct rule_index *);

/* Puts 'rule' (its priority, normalized match and 'conjunctive' set)
 * after every rule of higher or equal priority. */
void rule_index_insert(struct rule_index *, struct rule *);
/* Takes 'rule' out. */
void rule_index_remove(struct rule_index *, struct rule *);

/* The rule with exactly 'priority' and 'match' (normalized: see
 * match_normalize()), or NULL. */
struct rule *rule_index_find(const struct rule_index *, uint16_t priority,
                             const struct match *);

/* The rules of priority 'priority': the last one (the others precede it
 * in the list), and how many there are in '*n'.  NULL and 0 if none. */
struct rule *rule_index_level(const struct rule_index *, uint16_t priority,
                              size_t *n);

/* Sets 'rule''s 'conjunctive' flag, which its actions decide. */
void rule_index_set_conjunctive(struct rule_index *, struct rule *, bool);

/* Whether lookups should use rule_index_lookup() and
 * rule_index_conjunctive(): more than RULE_INDEX_SCAN_MAX rules.
 * Otherwise the caller scans the list. */
bool rule_index_use_subtables(const struct rule_index *);

/* Both searches below are tuple space searches that add to 'wc', if it
 * is nonnull, what the answers of the subtables they tried depended on:
 * a subtable's mask, or the address prefix that ruled it out (see
 * above).  They bring the order of subtables up to date first, so an
 * index is not to be searched by two threads at once. */

/* The ordinary (not conjunctive) rule of highest priority matching 'flow'
 * (the first in the list among equals), or NULL. */
struct rule *rule_index_lookup(struct rule_index *, const struct flow *,
                               struct flow_wildcards *wc);

/* The conjunctive rules of priority 'min_priority' or more that match
 * 'flow', in list order, as an array the caller frees, and their number
 * in '*n'. */
struct rule **rule_index_conjunctive(struct rule_index *,
                                     const struct flow *, int min_priority,
                                     struct flow_wildcards *wc, size_t *n);

#endif
