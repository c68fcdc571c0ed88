/* monitor: what a client asked to watch, and the update notifications
 * RFC 7047 "monitor" (and Open vSwitch's "monitor_cond") send for it.
 *
 * A monitor names tables, their columns and which kinds of change to
 * report (initial, insert, delete, modify).  After each commit the server
 * hands every monitor the transaction's change list; the monitor turns
 * the changes it cares about into one "update" ({"old", "new"} per row)
 * or "update2" ({"initial"|"insert"|"delete"|"modify"} with a diff)
 * object ("update3" wraps the same as "update2").  "monitor_cond"
 * conditions (a list of clauses and booleans, any of which selects a row)
 * limit the rows a monitor sees: a row that starts or stops matching is
 * reported as inserted or deleted. */
#ifndef XVS_OVSDB_MONITOR_H
#define XVS_OVSDB_MONITOR_H 1

#include <stdbool.h>
#include <jansson.h>
#include "txn.h"

struct monitor;

/* Parses 'requests' (borrowed) for 'db'.  Returns NULL and sets '*mp' and
 * '*initial' (the initial contents, in the monitor's notation), or
 * returns an ovsdb error. */
json_t *monitor_create(const struct db *, const json_t *requests,
                       bool update2, struct monitor **mp, json_t **initial);
/* The update for 'changes', or NULL if none concern the monitor. */
json_t *monitor_update(const struct monitor *, const struct txn_change *,
                       size_t n);
/* "monitor_cond_change": replaces the conditions of the tables named in
 * 'requests' ({TABLE: [{"where": [...]}]}).  On success '*update' is the
 * update2 for rows entering (insert) or leaving (delete) the monitor's
 * view, or NULL if none.  Returns NULL or an ovsdb error (then nothing
 * changed). */
json_t *monitor_change_condition(struct monitor *, const struct db *,
                                 const json_t *requests, json_t **update);
void monitor_destroy(struct monitor *);

#endif
