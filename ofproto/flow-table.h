/* flow-table: a bridge's OpenFlow tables — rule storage, flow_mod
 * semantics, rule lifetimes and lookup.
 *
 * Why a module of its own: everything that touches rules (flow_mods from
 * controllers and bundles, the default NORMAL flow bridge.c installs,
 * group deletion, flow stats, ofproto/trace, the packet path) must agree
 * on what "identical", "overlapping", "loose match" and "strict match"
 * mean, and on when a rule goes away.  Those rules of OpenFlow 1.3
 * section 6.4 (and 1.4's importance and eviction) live here and nowhere
 * else.
 *
 * Storage: each of the FT_N_TABLES tables keeps its rules in one list
 * ordered by descending priority (insertion order among equals), which
 * dumps and loose MODIFY and DELETE walk, and which a lookup in a small
 * table scans up to the first rule whose match covers the packet.  The
 * list's index (rule-index.h) finds in constant time the rule an ADD
 * replaces, the one a strict MODIFY or DELETE names and where a new rule
 * goes, and serves the lookups of larger tables by tuple space search.
 * The megaflow cache sits in front of lookups, so only misses pay.
 *
 * Semantics implemented (OpenFlow 1.3/1.4):
 *   ADD            replaces a rule with the identical match and priority
 *                  (its duration restarts; its counters are kept unless
 *                  RESET_COUNTS);
 *                  with CHECK_OVERLAP fails with OVERLAP if another rule of
 *                  the same priority could match the same packet.  A new
 *                  rule in a table at its flow limit fails with
 *                  TABLE_FULL, or, if the table evicts, first removes an
 *                  evictable rule (one with a timeout) from the largest
 *                  eviction group (rules alike in the table's "groups"
 *                  subfields): the one of lowest importance that expires
 *                  soonest.
 *   MODIFY[_STRICT] changes the actions (timeouts, flags and importance
 *                  are kept) of every rule matched loosely (strictly),
 *                  filtered by cookie/cookie_mask; RESET_COUNTS zeroes its
 *                  counters.  Modifying nothing is not an error and does
 *                  not add a rule (the OpenFlow 1.0 "modify adds" rule is
 *                  not implemented).
 *   DELETE[_STRICT] removes them, filtered by cookie/cookie_mask and
 *                  out_port.
 * Table id 0xff (OFPTT_ALL) selects every table for modify and delete.
 *
 * Removal: a rule that leaves its table for any reason but replacement
 * (delete, group delete, idle or hard timeout, eviction) is not freed at
 * once: it goes, with its reason and final counters, to the table's list
 * of removed rules, which the owner drains with flow_table_drain_removed()
 * to send FLOW_REMOVED messages.  So a copy of the tables (a bundle's
 * scratch copy) collects the same side effects, to be published only if
 * the copy is committed.
 *
 * Changes: when 'track_changes' is set (a flow monitor exists), every
 * rule added (or replaced by an identical add) and every rule modified
 * also leaves a snapshot of itself in that same list, with 'event' saying
 * which, so the owner sees every change in the order it happened, with
 * the same publish-on-commit rule for scratch copies.
 *
 * learn's delete_learned: when the last learn action with that flag, a
 * target table T and a cookie C leaves the tables (its rule deleted,
 * expired, evicted, or its actions replaced), every flow of table T with
 * cookie C is deleted too (reason DELETE), as ovs-actions(7) says.  The
 * check runs at the end of each operation, so a rule replaced by one with
 * the same learn keeps the learned flows.
 *
 * The meter table, when it exists, deletes the rules using a meter with a
 * DELETE flow_mod whose 'reason' is FT_REMOVED_METER_DELETE.
 *
 * OpenFlow 1.4 table configuration (TABLE_MOD): eviction turned on by a
 * controller works as overflow_policy=evict does (either one is enough);
 * vacancy events are kept here as two thresholds and which crossing comes
 * next, checked by flow_table_vacancy_event() after each change.
 *
 * Not done yet: table-mod eviction flags (the order of eviction is always
 * importance, then lifetime); eviction groups see at most 64 bits of each
 * subfield. */
#ifndef XVS_FLOW_TABLE_H
#define XVS_FLOW_TABLE_H 1

#include <stdbool.h>
#include <stdint.h>
#include "flow.h"
#include "hmap.h"
#include "list.h"
#include "ofp-actions.h"
#include "ofp-errors.h"
#include "rule-index.h"

#define FT_N_TABLES 255
#define FT_TABLE_ALL 0xff

/* Flow_mod flags (OFPFF_*), as on the wire. */
#define FT_FLAG_SEND_FLOW_REM 0x0001
#define FT_FLAG_CHECK_OVERLAP 0x0002
#define FT_FLAG_RESET_COUNTS  0x0004

/* Why a rule left its table.  Zero is a delete flow_mod, so a zeroed
 * ft_flow_mod deletes with that reason. */
enum ft_removed_reason {
    FT_REMOVED_DELETE,
    FT_REMOVED_IDLE_TIMEOUT,
    FT_REMOVED_HARD_TIMEOUT,
    FT_REMOVED_GROUP_DELETE,
    FT_REMOVED_METER_DELETE,    /* For the meter table, when it exists. */
    FT_REMOVED_EVICTION,
};

/* What an entry of the flow table's 'removed' list records. */
enum ft_event {
    FT_EVENT_REMOVED,           /* The rule itself, gone from its table. */
    FT_EVENT_ADDED,             /* A snapshot of a rule just added. */
    FT_EVENT_MODIFIED,          /* A snapshot of a rule just modified. */
};

struct rule {
    struct xvs_list node;       /* In oftable 'rules', or in the flow
                                 * table's 'removed' once removed. */
    /* For rule-index.c, while in 'rules'. */
    struct hmap_node match_node;
    struct hmap_node key_node;
    struct ri_subtable *subtable;
    uint64_t seq;
    bool conjunctive;           /* Its actions are conjunction(...). */
    struct xvs_list timed_node; /* In flow_table 'timed' while 'timed', */
    bool timed;                 /* which it is while in a table and it has
                                 * a timeout. */
    enum ft_event event;        /* In 'removed': what happened. */
    uint8_t table_id;
    uint16_t priority;
    struct match match;
    uint64_t cookie;
    struct ofpacts ofpacts;     /* Actions then instructions. */
    uint16_t idle_timeout;      /* Seconds, 0 = none. */
    uint16_t hard_timeout;
    uint16_t flags;             /* FT_FLAG_*. */
    uint16_t importance;        /* OpenFlow 1.4+; 0 before. */
    enum ft_removed_reason removed_reason;  /* Once removed. */

    uint64_t n_packets;
    uint64_t n_bytes;
    long long int created;      /* time_msec(); for hard_timeout. */
    long long int modified;     /* Last change of the actions. */
    long long int used;         /* For idle_timeout. */
};

struct oftable {
    struct rule_index rules;    /* Its 'list': priority descending. */
    char *name;                 /* Flow_Table.name, or NULL: "tableN". */
    size_t max_rules;           /* Flow_Table.flow_limit; SIZE_MAX: none. */
    bool evict;                 /* Flow_Table.overflow_policy=evict. */
    bool evict_client;          /* A TABLE_MOD turned eviction on. */
    bool vacancy_on;            /* TABLE_MOD vacancy events. */
    uint8_t vacancy_down;       /* Percent of free space. */
    uint8_t vacancy_up;
    bool vacancy_wait_up;       /* The next event is VACANCY_UP. */
    struct mf_subfield *evict_groups;   /* Flow_Table.groups. */
    size_t n_evict_groups;
    uint64_t n_lookups;
    uint64_t n_matched;
};

/* A learn action with delete_learned that left the tables: its target
 * table and cookie. */
struct ft_learned {
    uint8_t table_id;
    uint64_t cookie;
};

struct flow_table {
    struct oftable tables[FT_N_TABLES];
    struct ft_learned *gone_learns;    /* Checked, then emptied, at the end */
    size_t n_gone_learns;              /* of each operation. */
    size_t allocated_gone_learns;
    struct xvs_list removed;    /* Removed 'struct rule's (and snapshots
                                 * of changed ones), oldest first. */
    struct xvs_list timed;      /* The rules with a timeout, by their
                                 * 'timed_node'. */
    bool track_changes;         /* Record adds and modifies too. */
    void (*will_change)(void *aux);     /* flow_table_set_change_hook(). */
    void *will_change_aux;
};

enum ft_command {
    FT_ADD,
    FT_MODIFY,
    FT_MODIFY_STRICT,
    FT_DELETE,
    FT_DELETE_STRICT,
};

struct ft_flow_mod {
    enum ft_command command;
    uint8_t table_id;           /* FT_TABLE_ALL allowed for modify/delete. */
    uint16_t priority;
    struct match match;
    uint64_t cookie;            /* ADD: the new rule's cookie. */
    uint64_t cookie_mask;       /* MODIFY/DELETE: filter on the cookie. */
    uint16_t idle_timeout;
    uint16_t hard_timeout;
    uint16_t flags;
    uint16_t importance;        /* ADD: the new rule's importance. */
    uint32_t out_port;          /* DELETE filter; OFPP_ANY for none. */
    enum ft_removed_reason reason;  /* DELETE: why the rules go. */
    const struct ofpacts *ofpacts;  /* Borrowed; copied into rules. */
};

void flow_table_init(struct flow_table *);

/* Has 'cb' called with 'aux' just before any rule is added, modified,
 * removed or has its counters reset: what translations cached from the
 * rules (the counts the datapath's megaflows have not pushed into the
 * rules yet) must be pushed then, while every rule still exists, and the
 * megaflows marked for revalidation once the change is done.
 * Copies made by flow_table_clone() have no hook. */
typedef void ft_will_change_cb(void *aux);
void flow_table_set_change_hook(struct flow_table *, ft_will_change_cb *,
                                void *aux);
/* Calls the hook for a change beside the rules that translations read
 * too (a group's buckets, say). */
void flow_table_notify_change(struct flow_table *);
void flow_table_destroy(struct flow_table *);

/* Applies a flow_mod.  Returns 0 or an OFPERR_OFPFMFC_* error.  If
 * 'n_changed' is non-NULL it receives the number of rules added, modified
 * or removed. */
enum ofperr flow_table_apply(struct flow_table *, const struct ft_flow_mod *,
                             size_t *n_changed);

/* The highest-priority rule of table 'table_id' matching 'flow', or NULL,
 * with conjunctive matches resolved (conjunction.h).  Counts the lookup
 * in the table's statistics.  flow_table_lookup_wc() also adds to 'wc' the
 * bits of 'flow' the result depended on, for megaflow masks
 * (lib/flow-wildcards.h). */
struct rule *flow_table_lookup(struct flow_table *, uint8_t table_id,
                               const struct flow *);
struct rule *flow_table_lookup_wc(struct flow_table *, uint8_t table_id,
                                  const struct flow *,
                                  struct flow_wildcards *wc);

/* The rule of table 'table_id' with exactly 'priority' and 'match', or
 * NULL. */
const struct rule *flow_table_find(const struct flow_table *,
                                   uint8_t table_id, uint16_t priority,
                                   const struct match *);

/* Calls 'cb' for every rule of table 'table_id' (FT_TABLE_ALL: every
 * table, in table order) that matches 'match' loosely (or strictly, with
 * 'priority') and passes the cookie and out_port filters.  Used by flow
 * and aggregate stats. */
struct ft_filter {
    uint8_t table_id;
    bool strict;
    uint16_t priority;
    struct match match;
    uint64_t cookie;
    uint64_t cookie_mask;
    uint32_t out_port;          /* OFPP_ANY for none. */
};
typedef void ft_rule_cb(const struct rule *, void *aux);
void flow_table_for_each(const struct flow_table *, const struct ft_filter *,
                         ft_rule_cb *, void *aux);

/* Whether actions depend on the object 'id' names (a group, a meter). */
typedef bool ft_uses_cb(const struct ofpacts *, uint32_t id);
/* How many rules, in all tables, have actions that use 'id'. */
uint32_t flow_table_count_using(const struct flow_table *, ft_uses_cb *,
                                uint32_t id);
/* Deletes every rule whose actions use 'id', with 'reason': a flow must
 * not outlive the group or meter it names. */
void flow_table_delete_using(struct flow_table *, ft_uses_cb *, uint32_t id,
                             enum ft_removed_reason);

/* learn's flows: if table 'fm->table_id' has a rule with 'fm''s priority
 * and match, cookie and actions, refreshes it instead of replacing it
 * (so timeouts a fin_timeout shortened stay short, as in Open vSwitch),
 * and returns true. */
bool flow_table_refresh_learned(struct flow_table *,
                                const struct ft_flow_mod *fm);

/* Removes rules whose idle or hard timeout has passed; returns how many.
 * Only rules with a timeout are looked at. */
size_t flow_table_expire(struct flow_table *, long long int now);
/* 'rule', in a table of 'ft', had its timeouts changed (fin_timeout). */
void flow_table_timeouts_changed(struct flow_table *, struct rule *);

/* Calls 'cb' for each removed rule (and, when tracking changes, each
 * snapshot: see 'event'), oldest first, then frees it. */
typedef void ft_removed_cb(const struct rule *, void *aux);
void flow_table_drain_removed(struct flow_table *, ft_removed_cb *,
                              void *aux);

/* Table configuration (the Flow_Table database row): 'name' NULL for the
 * default "tableN", 'max_rules' SIZE_MAX for no limit, 'groups' the
 * subfields that divide rules into eviction groups (none: one group).
 * Lowering the limit of an evicting table evicts rules down to it. */
struct mf_subfield;
void flow_table_configure(struct flow_table *, uint8_t table_id,
                          const char *name, size_t max_rules, bool evict,
                          const struct mf_subfield *groups, size_t n_groups);
/* OpenFlow 1.4 TABLE_MOD settings of table 'table_id'. */
void flow_table_set_eviction(struct flow_table *, uint8_t table_id, bool on);
bool flow_table_evicts(const struct flow_table *, uint8_t table_id);
void flow_table_set_vacancy(struct flow_table *, uint8_t table_id, bool on,
                            uint8_t down, uint8_t up);
/* The table's free space in percent: 100 without a flow limit. */
uint8_t flow_table_vacancy(const struct flow_table *, uint8_t table_id);
enum ft_vacancy_event {
    FT_VACANCY_NONE,
    FT_VACANCY_DOWN,            /* Fell below vacancy_down. */
    FT_VACANCY_UP,              /* Rose above vacancy_up. */
};
/* Whether the free space of a table with vacancy events crossed the
 * threshold it was waiting for; each crossing is reported once, after
 * which the other threshold is awaited. */
enum ft_vacancy_event flow_table_vacancy_event(struct flow_table *,
                                               uint8_t table_id);

/* The configured name, or "" (unnamed tables report no name, as Open
 * vSwitch's do, so tools show their numbers). */
const char *flow_table_name(const struct flow_table *, uint8_t table_id);

/* Makes the empty 'dst' a copy of 'src': configuration, rules and
 * 'track_changes' (not the removed list, nor lookup counters). */
void flow_table_clone(struct flow_table *dst, const struct flow_table *src);
/* Replaces the rules of 'dst' by those of 'src', which is left empty:
 * the old rules of 'dst' are freed silently (they are replaced, not
 * removed) and the removed list of 'src' joins that of 'dst'.  The lookup
 * counters of 'dst' stay. */
void flow_table_take_rules(struct flow_table *dst, struct flow_table *src);

/* Number of rules in all tables. */
size_t flow_table_count(const struct flow_table *);

#endif
