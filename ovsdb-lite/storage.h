/* storage: how a database lives on disk.
 *
 * The file is a log (log.h) of protobuf-c records (storage.proto).  The
 * first record is a snapshot, the schema and every row; each later one is
 * a committed transaction: its sequence number and id and, for each row it
 * inserted, modified or deleted, the row's whole new contents.
 *
 * Opening replays the log.  A torn tail (an append cut short by a crash,
 * never acknowledged) is cut off with a warning.  Any other damage, or an
 * intact record that does not follow from the ones before it, refuses the
 * file and names the offset: whether to drop data is for an explicit
 * storage_repair() (xvsdb-tool repair) to decide, never for start-up.
 *
 * Durability is the caller's to schedule: storage_write_txn() appends one
 * record with one write(), storage_sync() makes everything appended so far
 * durable with one fdatasync() (group commit: the caller acknowledges every
 * transaction of the batch after it).  storage_compact() writes a snapshot
 * of the current contents to a new file and renames it over the log.
 *
 * A database opened for writing is locked (an flock on ".NAME.~lock~"
 * beside it, as ovsdb-server does), so that tools do not rewrite a file a
 * server has open.
 *
 * Functions that can fail return NULL or a malloc'd one-line error that
 * names the file. */
#ifndef XVS_OVSDB_STORAGE_H
#define XVS_OVSDB_STORAGE_H 1

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct ds;
struct txn;
struct storage;

/* Creates a new database file with no rows from 'schema' (borrowed).
 * Refuses if 'path' exists. */
char *storage_create(const char *path, const json_t *schema);
/* Writes 'db' as a new file holding one snapshot, replacing 'path' in one
 * step (or, with 'exclusive', refusing if it exists). */
char *storage_write_snapshot(const char *path, struct db *db, bool exclusive);

/* Told about each transaction replayed after the snapshot, in order, with
 * its changes ('old' rows are valid only during the call). */
struct txn_change;
typedef void storage_replay_cb(const char *txn_id,
                               const struct txn_change *, size_t n,
                               void *aux);

/* Replays 'path' into a new database and opens it for appending; 'cb'
 * (if nonnull) hears of each replayed transaction.  A torn tail is cut
 * off and described in '*warning' (malloc'd; else NULL). */
char *storage_open(const char *path, storage_replay_cb *cb, void *cb_aux,
                   struct db **dbp, struct storage **sp, char **warning);
/* Replays 'path' into a new database without changing or locking the
 * file; a torn tail is left in place and described in '*warning'. */
char *storage_read(const char *path, struct db **dbp, char **warning);
void storage_close(struct storage *);

/* Appends the changes of PREPARED 'txn' (txn.h) as a record with the
 * transaction id 'txn_id'.  Not durable before storage_sync(). */
char *storage_write_txn(struct storage *, const struct txn *,
                        const char *txn_id);
char *storage_sync(struct storage *);
/* The id of the last transaction written (all zeros before the first). */
const char *storage_last_txn_id(const struct storage *);

/* Compaction: automatically once the file is larger than both 'min_bytes'
 * and four times its last snapshot. */
void storage_set_compaction_size(struct storage *, uint64_t min_bytes);
bool storage_wants_compaction(const struct storage *);
/* Replaces the log by a snapshot of 'db' (whose rows it must hold); also
 * makes everything appended so far durable. */
char *storage_compact(struct storage *, struct db *);
uint64_t storage_size(const struct storage *);

/* Takes the file's lock for an offline rewrite; the lock lasts until the
 * process exits. */
char *storage_lock(const char *path);

/* Keeps every intact record of a damaged file: replays them, tolerating
 * the gaps, keeps the original as PATH.damaged and writes the result as a
 * new file.  Appends to 'report' one line per damaged range (offset,
 * length, why, which transactions were lost).  '*repaired' says whether
 * anything was damaged (if not, the file is left alone). */
char *storage_repair(const char *path, struct ds *report, bool *repaired);

/* Reads a JSON file (a schema, for instance). */
char *storage_read_json(const char *path, json_t **jsonp);

#endif
