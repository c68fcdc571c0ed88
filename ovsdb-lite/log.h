/* log: a file of records, each framed so that a reader can tell an intact
 * record from a damaged one.  storage.h puts the database's records in it.
 *
 * A frame is the magic "XVSR", the payload's length (32 bits,
 * little-endian), the CRC32C of those four length bytes and the payload
 * (32 bits, little-endian), then the payload.
 *
 * A frame that is cut short, lacks the magic, claims a length past the end
 * of the file or fails its CRC is damaged.  When no intact frame follows
 * the damage anywhere in the file, it is a torn tail: what a crash in the
 * middle of an append leaves, safe to truncate.  Otherwise the damage lies
 * between intact records and only an explicit repair may drop it.  The
 * search for an intact frame after damage is what keeps a flipped length
 * byte from passing for a torn tail and truncating good data away.
 *
 * Functions that can fail return NULL or a malloc'd one-line error that
 * names the file. */
#ifndef XVS_OVSDB_LOG_H
#define XVS_OVSDB_LOG_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LOG_FRAME_HEADER 12
#define LOG_MAX_PAYLOAD (1u << 30)

/* Reading: a whole file mapped into memory, walked frame by frame. */
struct log_reader;

struct log_item {
    uint64_t offset;            /* Where the frame or the damage starts. */
    uint64_t length;            /* Bytes of the frame or of the damage. */
    bool damaged;
    /* Intact frames: */
    const uint8_t *payload;
    size_t payload_len;
    /* Damage: */
    bool torn;                  /* Nothing intact follows. */
    const char *reason;         /* What is wrong with its first frame. */
};

char *log_reader_open(const char *path, struct log_reader **);
/* Fills '*item' with the next frame or damaged range; false at the end. */
bool log_reader_next(struct log_reader *, struct log_item *item);
uint64_t log_reader_size(const struct log_reader *);
void log_reader_close(struct log_reader *);
/* Whether the file starts with a frame's magic. */
bool log_reader_has_magic(const struct log_reader *);

/* Writing: appends to an existing file. */
struct log_writer;

/* Opens 'path' to append at 'size' (the end of its last intact frame);
 * anything after 'size' is cut away. */
char *log_writer_open(const char *path, uint64_t size, struct log_writer **);
/* Writes one frame (not yet durable).  If the write fails, the file is
 * cut back to where it was. */
char *log_append(struct log_writer *, const void *payload, size_t len);
/* Makes every appended frame durable. */
char *log_sync(struct log_writer *);
uint64_t log_writer_size(const struct log_writer *);
void log_writer_close(struct log_writer *);

/* Writes a new file holding the frames of 'n' payloads, durably, in one
 * step: a temporary file is written and synced, then renamed over 'path'
 * (or, with 'exclusive', linked to 'path', failing if it exists) and the
 * directory synced. */
char *log_write_file(const char *path, const void *const *payloads,
                     const size_t *lens, size_t n, bool exclusive);

#endif
