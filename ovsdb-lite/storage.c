#include <config.h>
#include "storage.h"
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include "db.h"
#include "log.h"
#include "ovsdb-error.h"
#include "ovsdb-lite/storage.pb-c.h"
#include "schema.h"
#include "txn.h"
#include "util.h"

/* The whole-file JSON format of earlier releases, still read (and turned
 * into a log by the first server that opens it). */
#define STORAGE_LEGACY_FORMAT "xvsdb-snapshot-1"

#define STORAGE_DEFAULT_COMPACTION (10 * 1024 * 1024)

static const char zero_txn_id[] = "00000000-0000-0000-0000-000000000000";

struct storage {
    char *path;
    struct log_writer *log;
    uint64_t next_seq;
    uint64_t snapshot_size;     /* Bytes of the file's first record. */
    uint64_t compaction_size;
    char last_txn_id[UUID_LEN + 1];
};

char *
storage_read_json(const char *path, json_t **jsonp)
{
    json_error_t jerr;
    *jsonp = json_load_file(path, JSON_DECODE_ANY, &jerr);
    if (!*jsonp) {
        return (access(path, F_OK)
                ? xasprintf("%s: %s", path, strerror(errno))
                : xasprintf("%s: line %d: %s", path, jerr.line, jerr.text));
    }
    return NULL;
}

static char *
ovsdb_error_message(json_t *error)
{
    char *s = ovsdb_error_to_string(error);
    json_decref(error);
    return s;
}

/* Packs a snapshot record of 'db' into a new buffer. */
static uint8_t *
pack_snapshot(struct db *db, uint64_t next_seq, const char *txn_id,
              size_t *lenp)
{
    struct ds data = DS_EMPTY_INITIALIZER;
    db_data_to_text(db, &data);
    char *schema = json_dumps(db->schema->json, JSON_COMPACT);

    Xvsdb__Snapshot snap = XVSDB__SNAPSHOT__INIT;
    snap.schema_json = schema;
    snap.data_json = (char *) ds_cstr(&data);
    snap.next_seq = next_seq;
    snap.txn_id = (char *) txn_id;
    Xvsdb__Record rec = XVSDB__RECORD__INIT;
    rec.kind_case = XVSDB__RECORD__KIND_SNAPSHOT;
    rec.snapshot = &snap;

    *lenp = xvsdb__record__get_packed_size(&rec);
    uint8_t *buf = xmalloc(*lenp + 1);
    xvsdb__record__pack(&rec, buf);
    free(schema);
    ds_destroy(&data);
    return buf;
}

static char *
write_snapshot(const char *path, struct db *db, uint64_t next_seq,
               const char *txn_id, bool exclusive, uint64_t *sizep)
{
    size_t len;
    uint8_t *buf = pack_snapshot(db, next_seq, txn_id, &len);
    const void *payloads[] = { buf };
    char *error = log_write_file(path, payloads, &len, 1, exclusive);
    free(buf);
    if (sizep) {
        *sizep = LOG_FRAME_HEADER + len;
    }
    return error;
}

char *
storage_write_snapshot(const char *path, struct db *db, bool exclusive)
{
    return write_snapshot(path, db, 1, zero_txn_id, exclusive, NULL);
}

char *
storage_create(const char *path, const json_t *schema_json)
{
    struct db_schema *schema;
    json_t *error = schema_from_json(schema_json, &schema);
    if (error) {
        char *s = ovsdb_error_message(error);
        char *msg = xasprintf("schema: %s", s);
        free(s);
        return msg;
    }
    struct db *db = db_create(schema);
    char *msg = storage_write_snapshot(path, db, true);
    db_destroy(db);
    return msg;
}

char *
storage_lock(const char *path)
{
    char *copy1 = xstrdup(path), *copy2 = xstrdup(path);
    char *lock = xasprintf("%s/.%s.~lock~", dirname(copy1), basename(copy2));
    free(copy1);
    free(copy2);

    char *msg = NULL;
    int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        msg = xasprintf("%s: %s", lock, strerror(errno));
    } else if (flock(fd, LOCK_EX | LOCK_NB)) {
        msg = (errno == EWOULDBLOCK
               ? xasprintf("%s: in use by another process (%s is locked)",
                           path, lock)
               : xasprintf("%s: %s", lock, strerror(errno)));
        close(fd);
    }
    free(lock);
    return msg;
}

/* What replaying a file found. */
struct replay {
    const char *path;
    bool lenient;               /* Repair: tolerate gaps, report them. */
    struct db *db;
    uint64_t next_seq;
    char last_txn_id[UUID_LEN + 1];
    uint64_t snapshot_size;
    uint64_t good_end;          /* End of the last intact record. */
    bool legacy;                /* A whole-file JSON database. */
    /* A torn tail: */
    uint64_t torn_offset, torn_length;
    const char *torn_reason;
    /* Repair: */
    struct ds *report;
    bool damaged;
    struct log_item gap;        /* The damage waiting for the next seq. */
    bool in_gap;
    /* Told about each replayed transaction: */
    storage_replay_cb *cb;
    void *cb_aux;
};

/* Applies one row of a transaction, filling in 'change' (with the row's
 * old contents detached from the database: the caller destroys them). */
static json_t *
apply_row_change(struct replay *r, const Xvsdb__RowChange *rc,
                 struct txn_change *change)
{
    struct db *db = r->db;
    const struct table_schema *t = schema_find_table(db->schema, rc->table);
    if (!t) {
        return ovsdb_error("unknown table", "No table named %s.", rc->table);
    }
    struct uuid uuid;
    if (rc->uuid.len != sizeof uuid) {
        return ovsdb_error("syntax error", "bad row UUID");
    }
    memcpy(&uuid, rc->uuid.data, sizeof uuid);
    char uuid_s[UUID_LEN + 1];
    uuid_format(&uuid, uuid_s);

    struct db_row *old = db_find_row(db, t, &uuid);
    bool is_delete = rc->kind == XVSDB__ROW_CHANGE__KIND__DELETE;
    bool is_insert = rc->kind == XVSDB__ROW_CHANGE__KIND__INSERT;
    if (!r->lenient && (is_insert ? old != NULL : !old)) {
        return ovsdb_error("consistency violation", "%s of %s row %s, "
                           "which %s", is_insert ? "insert"
                           : is_delete ? "delete" : "modification",
                           t->name, uuid_s, old ? "exists" : "does not exist");
    }

    struct db_row *new = NULL;
    if (!is_delete) {
        json_error_t jerr;
        json_t *cols = json_loads(rc->columns_json ? rc->columns_json : "",
                                  0, &jerr);
        if (!cols) {
            return ovsdb_error("syntax error", "%s row %s: %s", t->name,
                               uuid_s, jerr.text);
        }
        json_t *error = db_row_from_storage(t, &uuid, cols, &new);
        json_decref(cols);
        if (error) {
            return error;
        }
    }
    if (old) {
        db_remove_row(db, old);
    }
    if (new) {
        db_insert_row(db, new);
    }
    change->table = t;
    change->old = old;
    change->new = new;
    return NULL;
}

/* Applies one decoded record; returns NULL or an error message. */
static char *
apply_record(struct replay *r, const Xvsdb__Record *rec,
             const struct log_item *item)
{
    if (!r->db) {
        if (rec->kind_case != XVSDB__RECORD__KIND_SNAPSHOT) {
            return xstrdup("the first record is not a snapshot");
        }
        const Xvsdb__Snapshot *snap = rec->snapshot;
        json_error_t jerr;
        json_t *schema_json = json_loads(snap->schema_json, 0, &jerr);
        json_t *data = json_loads(snap->data_json, 0, &jerr);
        struct db_schema *schema = NULL;
        json_t *error = (!schema_json || !data
                         ? ovsdb_error("syntax error", "%s", jerr.text)
                         : schema_from_json(schema_json, &schema));
        if (!error) {
            r->db = db_create(schema);
            error = db_data_from_json(r->db, data);
        }
        json_decref(schema_json);
        json_decref(data);
        r->next_seq = snap->next_seq;
        snprintf(r->last_txn_id, sizeof r->last_txn_id, "%s",
                 snap->txn_id ? snap->txn_id : zero_txn_id);
        r->snapshot_size = item->length;
        return error ? ovsdb_error_message(error) : NULL;
    }
    if (rec->kind_case != XVSDB__RECORD__KIND_COMMIT) {
        return xstrdup("a snapshot after the first record");
    }
    const Xvsdb__Commit *c = rec->commit;
    if (c->seq != r->next_seq) {
        if (!r->lenient || c->seq < r->next_seq) {
            return xasprintf("transaction %"PRIu64" where %"PRIu64" was "
                             "expected", c->seq, r->next_seq);
        }
        if (!r->in_gap) {
            ds_put_format(r->report, "%s: transactions %"PRIu64" to "
                          "%"PRIu64" are missing before offset %"PRIu64"\n",
                          r->path, r->next_seq, c->seq - 1, item->offset);
            r->damaged = true;
        }
    }
    if (r->in_gap) {
        ds_put_format(r->report, "%s: offset %"PRIu64": %"PRIu64" bytes "
                      "damaged (%s): ", r->path, r->gap.offset,
                      r->gap.length, r->gap.reason);
        if (c->seq > r->next_seq) {
            ds_put_format(r->report, "lost transaction%s %"PRIu64,
                          c->seq - r->next_seq > 1 ? "s" : "", r->next_seq);
            if (c->seq - r->next_seq > 1) {
                ds_put_format(r->report, " to %"PRIu64, c->seq - 1);
            }
            ds_put_char(r->report, '\n');
        } else {
            ds_put_cstr(r->report, "no transaction lost\n");
        }
        r->in_gap = false;
    }
    struct txn_change *changes = xcalloc(c->n_rows + 1, sizeof *changes);
    char *msg = NULL;
    size_t n = 0;
    for (; n < c->n_rows && !msg; n++) {
        json_t *error = apply_row_change(r, c->rows[n], &changes[n]);
        if (error) {
            char *s = ovsdb_error_message(error);
            msg = xasprintf("transaction %"PRIu64": %s", c->seq, s);
            free(s);
        }
    }
    if (!msg) {
        r->next_seq = c->seq + 1;
        snprintf(r->last_txn_id, sizeof r->last_txn_id, "%s", c->txn_id);
        if (r->cb) {
            r->cb(c->txn_id, changes, n, r->cb_aux);
        }
    }
    for (size_t i = 0; i < n; i++) {
        db_row_destroy((struct db_row *) changes[i].old);
    }
    free(changes);
    return msg;
}

static char *
replay_legacy(struct replay *r)
{
    json_t *file;
    char *msg = storage_read_json(r->path, &file);
    if (msg) {
        return msg;
    }
    const char *format = json_string_value(json_object_get(file, "format"));
    if (!format || strcmp(format, STORAGE_LEGACY_FORMAT)) {
        json_decref(file);
        return xasprintf("%s: not an xvsdb database file", r->path);
    }
    struct db_schema *schema;
    json_t *error = schema_from_json(json_object_get(file, "schema"),
                                     &schema);
    if (!error) {
        r->db = db_create(schema);
        error = db_data_from_json(r->db, json_object_get(file, "data"));
    }
    json_decref(file);
    if (error) {
        char *s = ovsdb_error_message(error);
        msg = xasprintf("%s: corrupt database: %s", r->path, s);
        free(s);
        return msg;
    }
    r->legacy = true;
    r->next_seq = 1;
    snprintf(r->last_txn_id, sizeof r->last_txn_id, "%s", zero_txn_id);
    return NULL;
}

/* A damaged range in the middle of the file. */
static char *
replay_damage(struct replay *r, const struct log_item *item)
{
    if (item->torn && r->db) {
        r->torn_offset = item->offset;
        r->torn_length = item->length;
        r->torn_reason = item->reason;
        return NULL;
    }
    if (!r->lenient || !r->db) {
        return xasprintf("%s: damaged record at offset %"PRIu64" (%s); "
                         "%s; refusing to go on with less data (\"xvsdb-tool "
                         "repair\" keeps every intact record)", r->path,
                         item->offset, item->reason,
                         r->db ? "intact records follow it"
                         : "it holds the snapshot");
    }
    r->damaged = true;
    r->gap = *item;
    r->in_gap = true;
    return NULL;
}

static char *
replay(struct replay *r)
{
    struct log_reader *reader;
    char *msg = log_reader_open(r->path, &reader);
    if (msg) {
        return msg;
    }
    if (!log_reader_has_magic(reader)) {
        log_reader_close(reader);
        return replay_legacy(r);
    }

    struct log_item item;
    while (!msg && log_reader_next(reader, &item)) {
        if (item.damaged) {
            msg = replay_damage(r, &item);
            continue;
        }
        Xvsdb__Record *rec = xvsdb__record__unpack(NULL, item.payload_len,
                                                   item.payload);
        char *why = (rec ? apply_record(r, rec, &item)
                     : xstrdup("not a valid record"));
        if (rec) {
            xvsdb__record__free_unpacked(rec, NULL);
        }
        if (why) {
            msg = xasprintf("%s: record at offset %"PRIu64": %s", r->path,
                            item.offset, why);
            free(why);
        } else {
            r->good_end = item.offset + item.length;
        }
    }
    if (!msg && r->in_gap) {
        msg = replay_damage(r, &r->gap);
    }
    log_reader_close(reader);
    return msg;
}

static char *
torn_warning(const struct replay *r, const char *what)
{
    return xasprintf("%s: %s a torn record at offset %"PRIu64" (%"PRIu64
                     " bytes, %s): the end of a write cut short, never "
                     "acknowledged", r->path, what, r->torn_offset,
                     r->torn_length, r->torn_reason);
}

/* Replays 'path'; with 'report' (for a repair), tolerates damage and
 * gaps and describes them there. */
static char *
replay_file(struct replay *r, const char *path, struct ds *report,
            storage_replay_cb *cb, void *cb_aux)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->lenient = report != NULL;
    r->report = report;
    r->cb = cb;
    r->cb_aux = cb_aux;
    char *msg = replay(r);
    if (msg) {
        db_destroy(r->db);
        r->db = NULL;
    }
    return msg;
}

char *
storage_read(const char *path, struct db **dbp, char **warning)
{
    struct replay r;
    char *msg = replay_file(&r, path, NULL, NULL, NULL);
    *dbp = r.db;
    *warning = !msg && r.torn_length ? torn_warning(&r, "ignoring") : NULL;
    return msg;
}

char *
storage_open(const char *path, storage_replay_cb *cb, void *cb_aux,
             struct db **dbp, struct storage **sp, char **warning)
{
    *dbp = NULL;
    *sp = NULL;
    *warning = NULL;
    char *msg = storage_lock(path);
    if (msg) {
        return msg;
    }
    struct replay r;
    msg = replay_file(&r, path, NULL, cb, cb_aux);
    if (msg) {
        return msg;
    }

    struct storage *s = xzalloc(sizeof *s);
    s->path = xstrdup(path);
    s->next_seq = r.next_seq;
    s->snapshot_size = r.snapshot_size;
    s->compaction_size = STORAGE_DEFAULT_COMPACTION;
    snprintf(s->last_txn_id, sizeof s->last_txn_id, "%s", r.last_txn_id);
    if (r.legacy) {
        msg = storage_compact(s, r.db);
        if (!msg) {
            *warning = xasprintf("%s: converted from the whole-file JSON "
                                 "format to a log", path);
        }
    } else {
        if (r.torn_length) {
            *warning = torn_warning(&r, "cut off");
        }
        msg = log_writer_open(path, r.good_end, &s->log);
    }
    if (msg) {
        free(*warning);
        *warning = NULL;
        storage_close(s);
        db_destroy(r.db);
        return msg;
    }
    *dbp = r.db;
    *sp = s;
    return NULL;
}

void
storage_close(struct storage *s)
{
    if (s) {
        log_writer_close(s->log);
        free(s->path);
        free(s);
    }
}

char *
storage_write_txn(struct storage *s, const struct txn *txn,
                  const char *txn_id)
{
    if (!s->log) {
        return xasprintf("%s: not open for writing after an earlier error",
                         s->path);
    }
    size_t n;
    const struct txn_change *changes = txn_changes(txn, &n);
    Xvsdb__RowChange *rows = xcalloc(n + 1, sizeof *rows);
    Xvsdb__RowChange **row_ptrs = xcalloc(n + 1, sizeof *row_ptrs);
    for (size_t i = 0; i < n; i++) {
        const struct txn_change *c = &changes[i];
        const struct db_row *row = c->new ? c->new : c->old;
        Xvsdb__RowChange *rc = &rows[i];
        xvsdb__row_change__init(rc);
        rc->table = (char *) c->table->name;
        rc->uuid.data = (uint8_t *) db_row_uuid(row);
        rc->uuid.len = sizeof *db_row_uuid(row);
        rc->kind = (!c->new ? XVSDB__ROW_CHANGE__KIND__DELETE
                    : c->old ? XVSDB__ROW_CHANGE__KIND__MODIFY
                    : XVSDB__ROW_CHANGE__KIND__INSERT);
        if (c->new) {
            json_t *cols = db_row_to_storage(c->new);
            rc->columns_json = json_dumps(cols, JSON_COMPACT);
            json_decref(cols);
        }
        row_ptrs[i] = rc;
    }
    Xvsdb__Commit commit = XVSDB__COMMIT__INIT;
    commit.seq = s->next_seq;
    commit.txn_id = (char *) txn_id;
    commit.time_msec = time_wall_msec();
    commit.comment = (char *) txn_comment(txn);
    commit.n_rows = n;
    commit.rows = row_ptrs;
    Xvsdb__Record rec = XVSDB__RECORD__INIT;
    rec.kind_case = XVSDB__RECORD__KIND_COMMIT;
    rec.commit = &commit;

    size_t len = xvsdb__record__get_packed_size(&rec);
    uint8_t *buf = xmalloc(len + 1);
    xvsdb__record__pack(&rec, buf);
    for (size_t i = 0; i < n; i++) {
        free(rows[i].columns_json);
    }
    free(rows);
    free(row_ptrs);

    char *msg = log_append(s->log, buf, len);
    free(buf);
    if (!msg) {
        s->next_seq++;
        snprintf(s->last_txn_id, sizeof s->last_txn_id, "%s", txn_id);
    }
    return msg;
}

char *
storage_sync(struct storage *s)
{
    return s->log ? log_sync(s->log) : NULL;
}

const char *
storage_last_txn_id(const struct storage *s)
{
    return s->last_txn_id;
}

void
storage_set_compaction_size(struct storage *s, uint64_t min_bytes)
{
    s->compaction_size = min_bytes;
}

uint64_t
storage_size(const struct storage *s)
{
    return s->log ? log_writer_size(s->log) : 0;
}

bool
storage_wants_compaction(const struct storage *s)
{
    uint64_t size = storage_size(s);
    return s->log && size > s->compaction_size
           && size / 4 > s->snapshot_size;
}

char *
storage_compact(struct storage *s, struct db *db)
{
    uint64_t size;
    char *msg = write_snapshot(s->path, db, s->next_seq, s->last_txn_id,
                               false, &size);
    if (msg) {
        return msg;
    }
    /* The old file is gone: whatever happens next, append to the new one
     * or nowhere. */
    log_writer_close(s->log);
    s->log = NULL;
    s->snapshot_size = size;
    return log_writer_open(s->path, size, &s->log);
}

char *
storage_repair(const char *path, struct ds *report, bool *repaired)
{
    *repaired = false;
    char *msg = storage_lock(path);
    if (msg) {
        return msg;
    }
    struct replay r;
    msg = replay_file(&r, path, report, NULL, NULL);
    if (msg) {
        return msg;
    }
    if (r.torn_length) {
        ds_put_format(report, "%s: offset %"PRIu64": %"PRIu64" bytes "
                      "damaged (%s): a torn tail, the end of a write cut "
                      "short, never acknowledged\n", path, r.torn_offset,
                      r.torn_length, r.torn_reason);
        r.damaged = true;
    }
    if (r.damaged) {
        char *backup = xasprintf("%s.damaged", path);
        if (link(path, backup)) {
            msg = xasprintf("%s: %s", backup, strerror(errno));
        } else {
            msg = write_snapshot(path, r.db, r.next_seq, r.last_txn_id,
                                 false, NULL);
            if (!msg) {
                ds_put_format(report, "%s: kept every intact record; the "
                              "damaged original is %s\n", path, backup);
            }
        }
        free(backup);
    }
    *repaired = r.damaged;
    db_destroy(r.db);
    return msg;
}
