/* flow-table: a bridge's OpenFlow tables — rule storage, flow_mod
 * semantics and lookup.
 *
 * Why a module of its own: everything that touches rules (flow_mods from
 * controllers, the default NORMAL flow bridge.c installs, flow stats,
 * ofproto/trace, the packet path) must agree on what "identical",
 * "overlapping", "loose match" and "strict match" mean.  Those rules of
 * OpenFlow 1.3 section 6.4 live here and nowhere else.
 *
 * Storage: each of the FT_N_TABLES tables keeps its rules in one list
 * ordered by descending priority (insertion order among equals), so a
 * lookup is a scan that stops at the first rule whose match covers the
 * packet.  That is linear in the number of rules; the megaflow cache of a
 * later milestone sits in front of it so only misses pay for the scan.
 *
 * Semantics implemented (OpenFlow 1.3):
 *   ADD            replaces a rule with the identical match and priority
 *                  (the replacement starts with zero counters);
 *                  with CHECK_OVERLAP fails with OVERLAP if another rule of
 *                  the same priority could match the same packet.
 *   MODIFY[_STRICT] changes the actions (and timeouts are kept) of every
 *                  rule matched loosely (strictly), filtered by
 *                  cookie/cookie_mask; modifying nothing is not an error
 *                  and does not add a rule (the OpenFlow 1.0 "modify adds"
 *                  rule is not implemented).
 *   DELETE[_STRICT] removes them, filtered by cookie/cookie_mask and
 *                  out_port.
 * Table id 0xff (OFPTT_ALL) selects every table for modify and delete. */
#ifndef XVS_FLOW_TABLE_H
#define XVS_FLOW_TABLE_H 1

#include <stdbool.h>
#include <stdint.h>
#include "flow.h"
#include "list.h"
#include "ofp-actions.h"
#include "ofp-errors.h"

#define FT_N_TABLES 255
#define FT_TABLE_ALL 0xff

/* Flow_mod flags (OFPFF_*), as on the wire. */
#define FT_FLAG_SEND_FLOW_REM 0x0001
#define FT_FLAG_CHECK_OVERLAP 0x0002
#define FT_FLAG_RESET_COUNTS  0x0004

struct rule {
    struct xvs_list node;       /* In oftable 'rules'. */
    uint8_t table_id;
    uint16_t priority;
    struct match match;
    uint64_t cookie;
    struct ofpacts ofpacts;     /* Actions then instructions. */
    uint16_t idle_timeout;      /* Seconds, 0 = none. */
    uint16_t hard_timeout;
    uint16_t flags;             /* FT_FLAG_*. */

    uint64_t n_packets;
    uint64_t n_bytes;
    long long int created;      /* time_msec(); for hard_timeout. */
    long long int modified;     /* Last change of the actions. */
    long long int used;         /* For idle_timeout. */
};

struct oftable {
    struct xvs_list rules;      /* 'struct rule's, priority descending. */
    size_t n_rules;
    uint64_t n_lookups;
    uint64_t n_matched;
};

struct flow_table {
    struct oftable tables[FT_N_TABLES];
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
    uint32_t out_port;          /* DELETE filter; OFPP_ANY for none. */
    const struct ofpacts *ofpacts;  /* Borrowed; copied into rules. */
};

void flow_table_init(struct flow_table *);
void flow_table_destroy(struct flow_table *);

/* Applies a flow_mod.  Returns 0 or an OFPERR_OFPFMFC_* error.  If
 * 'n_changed' is non-NULL it receives the number of rules added, modified
 * or removed. */
enum ofperr flow_table_apply(struct flow_table *, const struct ft_flow_mod *,
                             size_t *n_changed);

/* The highest-priority rule of table 'table_id' matching 'flow', or NULL,
 * with conjunctive matches resolved (conjunction.h).  Counts the lookup
 * in the table's statistics. */
struct rule *flow_table_lookup(struct flow_table *, uint8_t table_id,
                               const struct flow *);

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

/* Removes rules whose idle or hard timeout has passed; returns how many. */
size_t flow_table_expire(struct flow_table *, long long int now);

/* Number of rules in all tables. */
size_t flow_table_count(const struct flow_table *);

#endif
