/* txn: the OVSDB transaction engine ("transact", RFC 7047 section 5.2).
 *
 * A transaction runs its operations directly against the live database,
 * remembering a snapshot of each row before its first change.  When every
 * operation succeeded it enforces what only the whole transaction can
 * decide: weak references to rows that no longer exist are dropped, rows
 * of non-root tables that nothing references are garbage collected, strong
 * references must point at existing rows, tables stay within maxRows and
 * their unique indexes.  Any failure rolls every row back, so a failed
 * transaction changes nothing.
 *
 * A successful run leaves the transaction PREPARED: the caller makes it
 * durable (storage.h) and then commits (new "_version"s, change list for
 * monitors), or aborts if storage failed.  A "wait" that does not hold yet
 * and has time left makes the run BLOCKED: nothing changed, and the caller
 * retries the same operations after the database changes or when the
 * time is up.
 *
 * "insert" also takes Open vSwitch's "uuid" member (a caller-chosen UUID);
 * "assert" (Open vSwitch's, for locks) fails with "not owner" unless the
 * transaction's session owns the lock it names. */
#ifndef XVS_OVSDB_TXN_H
#define XVS_OVSDB_TXN_H 1

#include <jansson.h>
#include "db.h"

enum txn_status {
    TXN_FAILED,         /* Rolled back; result has the error. */
    TXN_PREPARED,       /* Applied; call txn_commit() or txn_abort(). */
    TXN_BLOCKED,        /* Rolled back; retry later. */
};

struct txn_change {
    const struct table_schema *table;
    const struct db_row *old;   /* NULL for an inserted row. */
    const struct db_row *new;   /* NULL for a deleted row. */
};

struct txn;

struct txn *txn_create(struct db *);
/* The session a transaction runs for, for "assert": the lock named in an
 * "assert" must be owned by 'session' (lock.h).  Without one, every
 * "assert" fails. */
void txn_set_session(struct txn *, const void *session);
/* Runs 'ops' (the operations of a "transact", without the database name).
 * 'elapsed_ms' is how long ago the transaction first arrived (for "wait"
 * timeouts).  On TXN_BLOCKED, '*retry_ms' is the time left before the
 * wait times out, or -1 for no limit. */
enum txn_status txn_run(struct txn *, const json_t *ops, long long elapsed_ms,
                        long long *retry_ms);
/* The result array (new reference); NULL while blocked. */
json_t *txn_get_result(const struct txn *);
/* Finishes a PREPARED transaction: assigns new row versions. */
void txn_commit(struct txn *);
/* Rolls back a PREPARED transaction. */
void txn_abort(struct txn *);
/* The rows a PREPARED or committed transaction changed (what storage
 * writes and monitors report), valid until txn_destroy(). */
const struct txn_change *txn_changes(const struct txn *, size_t *n);
/* The texts of its "comment" operations, one per line, or NULL. */
const char *txn_comment(const struct txn *);
void txn_destroy(struct txn *);

#endif
