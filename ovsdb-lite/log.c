#include <config.h>
#include "log.h"
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include "crc32c.h"
#include "util.h"

static const uint8_t log_magic[4] = { 'X', 'V', 'S', 'R' };

static uint32_t
get_le32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t) p[3] << 24;
}

static void
put_le32(uint8_t *p, uint32_t v)
{
    p[0] = v;
    p[1] = v >> 8;
    p[2] = v >> 16;
    p[3] = v >> 24;
}

static uint32_t
frame_crc(const uint8_t *len_bytes, const void *payload, size_t len)
{
    return crc32c(crc32c(0, len_bytes, 4), payload, len);
}

static void
frame_header(uint8_t hdr[LOG_FRAME_HEADER], const void *payload, size_t len)
{
    memcpy(hdr, log_magic, 4);
    put_le32(hdr + 4, len);
    put_le32(hdr + 8, frame_crc(hdr + 4, payload, len));
}

struct log_reader {
    char *path;
    const uint8_t *data;
    uint64_t size;
    uint64_t pos;
};

char *
log_reader_open(const char *path, struct log_reader **rp)
{
    *rp = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return xasprintf("%s: %s", path, strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st)) {
        int error = errno;
        close(fd);
        return xasprintf("%s: %s", path, strerror(error));
    }
    void *data = NULL;
    if (st.st_size > 0) {
        data = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (data == MAP_FAILED) {
            int error = errno;
            close(fd);
            return xasprintf("%s: %s", path, strerror(error));
        }
        madvise(data, st.st_size, MADV_SEQUENTIAL);
    }
    close(fd);

    struct log_reader *r = xzalloc(sizeof *r);
    r->path = xstrdup(path);
    r->data = data;
    r->size = st.st_size;
    *rp = r;
    return NULL;
}

/* Why the frame at 'ofs' is damaged, or NULL if it is intact. */
static const char *
frame_check(const struct log_reader *r, uint64_t ofs, uint32_t *lenp)
{
    uint64_t left = r->size - ofs;
    const uint8_t *p = r->data + ofs;
    if (memcmp(p, log_magic, left < 4 ? left : 4)) {
        return "no frame magic";
    }
    if (left < LOG_FRAME_HEADER) {
        return "frame header cut short";
    }
    uint32_t len = get_le32(p + 4);
    if (len > LOG_MAX_PAYLOAD || len > left - LOG_FRAME_HEADER) {
        return "length past the end of the file";
    }
    if (frame_crc(p + 4, p + LOG_FRAME_HEADER, len) != get_le32(p + 8)) {
        return "checksum mismatch";
    }
    *lenp = len;
    return NULL;
}

/* The offset of the first intact frame after 'ofs', or the file size. */
static uint64_t
next_intact_frame(const struct log_reader *r, uint64_t ofs)
{
    for (uint64_t i = ofs + 1; i + LOG_FRAME_HEADER <= r->size; i++) {
        const uint8_t *m = memchr(r->data + i, log_magic[0], r->size - i);
        if (!m) {
            break;
        }
        i = m - r->data;
        uint32_t len;
        if (i + LOG_FRAME_HEADER <= r->size && !frame_check(r, i, &len)) {
            return i;
        }
    }
    return r->size;
}

bool
log_reader_next(struct log_reader *r, struct log_item *item)
{
    if (r->pos >= r->size) {
        return false;
    }
    memset(item, 0, sizeof *item);
    item->offset = r->pos;
    uint32_t len;
    const char *reason = frame_check(r, r->pos, &len);
    if (!reason) {
        item->length = LOG_FRAME_HEADER + len;
        item->payload = r->data + r->pos + LOG_FRAME_HEADER;
        item->payload_len = len;
    } else {
        uint64_t next = next_intact_frame(r, r->pos);
        item->damaged = true;
        item->length = next - r->pos;
        item->torn = next == r->size;
        item->reason = reason;
    }
    r->pos += item->length;
    return true;
}

uint64_t
log_reader_size(const struct log_reader *r)
{
    return r->size;
}

bool
log_reader_has_magic(const struct log_reader *r)
{
    return r->size >= 4 && !memcmp(r->data, log_magic, 4);
}

void
log_reader_close(struct log_reader *r)
{
    if (r) {
        if (r->size) {
            munmap((void *) r->data, r->size);
        }
        free(r->path);
        free(r);
    }
}

struct log_writer {
    char *path;
    int fd;
    uint64_t size;
    bool dirty;                 /* Appended since the last sync. */
};

static int
write_all(int fd, const void *buf_, size_t len)
{
    const char *buf = buf_;
    while (len) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno;
        }
        buf += n;
        len -= n;
    }
    return 0;
}

char *
log_writer_open(const char *path, uint64_t size, struct log_writer **wp)
{
    *wp = NULL;
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        return xasprintf("%s: %s", path, strerror(errno));
    }
    if (ftruncate(fd, size) || lseek(fd, size, SEEK_SET) < 0
        || fsync(fd)) {
        int error = errno;
        close(fd);
        return xasprintf("%s: %s", path, strerror(error));
    }
    struct log_writer *w = xzalloc(sizeof *w);
    w->path = xstrdup(path);
    w->fd = fd;
    w->size = size;
    *wp = w;
    return NULL;
}

char *
log_append(struct log_writer *w, const void *payload, size_t len)
{
    if (len > LOG_MAX_PAYLOAD) {
        return xasprintf("%s: record of %zu bytes is too long", w->path,
                         len);
    }
    uint8_t hdr[LOG_FRAME_HEADER];
    frame_header(hdr, payload, len);
    struct iovec iov[2] = {
        { .iov_base = hdr, .iov_len = sizeof hdr },
        { .iov_base = (void *) payload, .iov_len = len },
    };
    size_t total = sizeof hdr + len;
    ssize_t n;
    do {
        n = writev(w->fd, iov, 2);
    } while (n < 0 && errno == EINTR);
    int error = n < 0 ? errno : 0;
    if (n >= 0 && (size_t) n < total) {
        /* A short write: finish it the slow way. */
        uint8_t *whole = xmalloc(total);
        memcpy(whole, hdr, sizeof hdr);
        memcpy(whole + sizeof hdr, payload, len);
        error = write_all(w->fd, whole + n, total - n);
        free(whole);
    }
    if (error) {
        /* Leave no partial frame behind for the next append to follow. */
        if (ftruncate(w->fd, w->size) || lseek(w->fd, w->size, SEEK_SET) < 0) {
            return xasprintf("%s: %s (and cutting the partial record "
                             "failed: %s)", w->path, strerror(error),
                             strerror(errno));
        }
        return xasprintf("%s: %s", w->path, strerror(error));
    }
    w->size += total;
    w->dirty = true;
    return NULL;
}

char *
log_sync(struct log_writer *w)
{
    if (w->dirty) {
        if (fdatasync(w->fd)) {
            return xasprintf("%s: %s", w->path, strerror(errno));
        }
        w->dirty = false;
    }
    return NULL;
}

uint64_t
log_writer_size(const struct log_writer *w)
{
    return w->size;
}

void
log_writer_close(struct log_writer *w)
{
    if (w) {
        close(w->fd);
        free(w->path);
        free(w);
    }
}

static int
fsync_dir(const char *path)
{
    char *copy = xstrdup(path);
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(copy);
    if (fd < 0) {
        return errno;
    }
    int error = fsync(fd) ? errno : 0;
    close(fd);
    return error;
}

char *
log_write_file(const char *path, const void *const *payloads,
               const size_t *lens, size_t n, bool exclusive)
{
    if (exclusive && !access(path, F_OK)) {
        return xasprintf("%s: database file exists, refusing to overwrite "
                         "it", path);
    }
    char *tmp = xasprintf("%s.tmp", path);
    char *msg = NULL;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) {
        msg = xasprintf("%s: %s", tmp, strerror(errno));
        free(tmp);
        return msg;
    }
    int error = 0;
    for (size_t i = 0; i < n && !error; i++) {
        uint8_t hdr[LOG_FRAME_HEADER];
        frame_header(hdr, payloads[i], lens[i]);
        error = write_all(fd, hdr, sizeof hdr);
        if (!error) {
            error = write_all(fd, payloads[i], lens[i]);
        }
    }
    if (!error && fsync(fd)) {
        error = errno;
    }
    if (close(fd) && !error) {
        error = errno;
    }
    if (!error) {
        error = (exclusive ? (link(tmp, path) ? errno : 0)
                 : (rename(tmp, path) ? errno : 0));
    }
    if (exclusive || error) {
        unlink(tmp);
    }
    if (!error) {
        error = fsync_dir(path);
    }
    if (error) {
        msg = xasprintf("%s: %s", path, strerror(error));
    }
    free(tmp);
    return msg;
}
