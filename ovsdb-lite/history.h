/* history: the last transactions committed to a database, so that a client
 * that reconnects with "monitor_cond_since" and the id of the last
 * transaction it saw gets only what changed since, not the whole database.
 *
 * It keeps a copy of each changed row's old and new contents for a bounded
 * number of transactions and rows; a client whose id fell off the end (or
 * was never seen: another server, a restart with changes since) gets the
 * full contents instead.  After a restart the database is at the id of the
 * last transaction in its log, so a client that saw that one needs
 * nothing. */
#ifndef XVS_OVSDB_HISTORY_H
#define XVS_OVSDB_HISTORY_H 1

#include <stdbool.h>
#include <stddef.h>
#include "txn.h"

struct history;

/* Keeps at most 'max_txns' transactions and about 'max_rows' row
 * changes.  'base_id' is the id the database is at now. */
struct history *history_create(const char *base_id, size_t max_txns,
                               size_t max_rows);
void history_destroy(struct history *);

/* Records committed transaction 'txn_id' with its 'n' changes. */
void history_add(struct history *, const char *txn_id,
                 const struct txn_change *, size_t n);
/* Sets the id the database is at, while no transaction is recorded. */
void history_set_base(struct history *, const char *base_id);
/* The id of the last transaction (the base id before any). */
const char *history_last_id(const struct history *);

/* If 'since' is the last id or a recorded one (never all zeros, which
 * means "no data"), returns true with the
 * changes after it composed into one list per row (a row's first old and
 * last new contents; rows inserted and deleted again left out), in
 * '*changes' (free() it; the rows belong to the history and last until
 * the next history_add()).  Otherwise returns false. */
bool history_changes_since(const struct history *, const char *since,
                           struct txn_change **changes, size_t *n);

#endif
