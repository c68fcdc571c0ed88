#include <config.h>
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "hash-mix.h"

const char *program_name = "xvswitch";

static void *
out_of_memory(void)
{
    fprintf(stderr, "%s: virtual memory exhausted\n", program_name);
    abort();
}

void *
xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    return p ? p : out_of_memory();
}

void *
xzalloc(size_t n)
{
    return xcalloc(1, n);
}

void *
xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    return p ? p : out_of_memory();
}

void *
xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    return p ? p : out_of_memory();
}

char *
xstrdup(const char *s)
{
    return xmemdup(s, strlen(s) + 1);
}

char *
xstrndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *p = xmalloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void *
xmemdup(const void *p, size_t n)
{
    void *q = xmalloc(n);
    memcpy(q, p, n);
    return q;
}

char *
xvasprintf(const char *fmt, va_list args)
{
    va_list args2;
    va_copy(args2, args);
    int n = vsnprintf(NULL, 0, fmt, args2);
    va_end(args2);
    char *s = xmalloc(n + 1);
    vsnprintf(s, n + 1, fmt, args);
    return s;
}

char *
xasprintf(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    char *s = xvasprintf(fmt, args);
    va_end(args);
    return s;
}

void
xvs_set_program_name(const char *argv0)
{
    const char *slash = strrchr(argv0, '/');
    program_name = slash ? slash + 1 : argv0;
    /* libtool wrappers name the real binary "lt-NAME". */
    if (!strncmp(program_name, "lt-", 3)) {
        program_name += 3;
    }
}

static void
vreport(int err, const char *fmt, va_list args)
{
    fprintf(stderr, "%s: ", program_name);
    vfprintf(stderr, fmt, args);
    if (err) {
        fprintf(stderr, " (%s)", strerror(err));
    }
    putc('\n', stderr);
}

void
xvs_fatal(int err, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vreport(err, fmt, args);
    va_end(args);
    exit(EXIT_FAILURE);
}

void
xvs_error(int err, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vreport(err, fmt, args);
    va_end(args);
}

static long long int
clock_msec(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static bool time_stopped;
static long long int time_frozen;   /* The clock while stopped. */
static long long int time_offset;   /* Warped while running. */

long long int
time_msec(void)
{
    return (time_stopped ? time_frozen
            : clock_msec(CLOCK_MONOTONIC) + time_offset);
}

void
time_stop(void)
{
    if (!time_stopped) {
        time_frozen = time_msec();
        time_stopped = true;
    }
}

void
time_warp(long long int msecs)
{
    if (time_stopped) {
        time_frozen += msecs;
    } else {
        time_offset += msecs;
    }
}

long long int time_wall_msec(void) { return clock_msec(CLOCK_REALTIME); }

bool
str_to_llong(const char *s, int base, long long *value)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, base);
    if (errno || end == s || *end) {
        return false;
    }
    *value = v;
    return true;
}

bool
str_to_ullong(const char *s, int base, unsigned long long *value)
{
    char *end;
    errno = 0;
    if (*s == '-') {
        return false;
    }
    unsigned long long v = strtoull(s, &end, base);
    if (errno || end == s || *end) {
        return false;
    }
    *value = v;
    return true;
}

void
ds_init(struct ds *ds)
{
    ds->string = NULL;
    ds->length = ds->allocated = 0;
}

void
ds_clear(struct ds *ds)
{
    ds->length = 0;
    if (ds->string) {
        ds->string[0] = '\0';
    }
}

void
ds_destroy(struct ds *ds)
{
    free(ds->string);
    ds_init(ds);
}

static char *
ds_reserve(struct ds *ds, size_t extra)
{
    if (ds->length + extra + 1 > ds->allocated) {
        ds->allocated = XVS_MAX(ds->allocated * 2, ds->length + extra + 1);
        ds->allocated = XVS_MAX(ds->allocated, 64);
        ds->string = xrealloc(ds->string, ds->allocated);
    }
    return ds->string + ds->length;
}

void
ds_put_buffer(struct ds *ds, const char *buf, size_t n)
{
    memcpy(ds_reserve(ds, n), buf, n);
    ds->length += n;
    ds->string[ds->length] = '\0';
}

void ds_put_char(struct ds *ds, char c) { ds_put_buffer(ds, &c, 1); }
void ds_put_cstr(struct ds *ds, const char *s) { ds_put_buffer(ds, s, strlen(s)); }

void
ds_put_format_valist(struct ds *ds, const char *fmt, va_list args)
{
    va_list args2;
    va_copy(args2, args);
    int n = vsnprintf(NULL, 0, fmt, args2);
    va_end(args2);
    vsnprintf(ds_reserve(ds, n), n + 1, fmt, args);
    ds->length += n;
}

void
ds_put_format(struct ds *ds, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    ds_put_format_valist(ds, fmt, args);
    va_end(args);
}

void
ds_chomp(struct ds *ds, int c)
{
    if (ds->length && ds->string[ds->length - 1] == (char) c) {
        ds->string[--ds->length] = '\0';
    }
}

const char *
ds_cstr(struct ds *ds)
{
    ds_reserve(ds, 0);
    ds->string[ds->length] = '\0';
    return ds->string;
}

char *
ds_steal_cstr(struct ds *ds)
{
    ds_cstr(ds);
    char *s = ds->string;
    ds_init(ds);
    return s;
}

void
uuid_generate(struct uuid *uuid)
{
    static int fd = -1;
    if (fd < 0) {
        fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            xvs_fatal(errno, "/dev/urandom: open failed");
        }
    }
    if (read(fd, uuid, sizeof *uuid) != sizeof *uuid) {
        xvs_fatal(errno, "/dev/urandom: read failed");
    }
    /* Version 4 (random), RFC 4122 variant. */
    uuid->parts[1] = (uuid->parts[1] & ~0xf000u) | 0x4000u;
    uuid->parts[2] = (uuid->parts[2] & 0x3fffffffu) | 0x80000000u;
}

void
uuid_format(const struct uuid *u, char out[UUID_LEN + 1])
{
    snprintf(out, UUID_LEN + 1, "%08x-%04x-%04x-%04x-%04x%08x",
             u->parts[0], u->parts[1] >> 16, u->parts[1] & 0xffff,
             u->parts[2] >> 16, u->parts[2] & 0xffff, u->parts[3]);
}

bool
uuid_from_string(struct uuid *u, const char *s)
{
    unsigned int a, b, c, d, e, f;
    int n = 0;
    if (strlen(s) != UUID_LEN
        || sscanf(s, "%8x-%4x-%4x-%4x-%4x%8x%n", &a, &b, &c, &d, &e, &f, &n) != 6
        || n != UUID_LEN) {
        return false;
    }
    for (const char *p = s; *p; p++) {
        if (!(p - s == 8 || p - s == 13 || p - s == 18 || p - s == 23)
            && !strchr("0123456789abcdefABCDEF", *p)) {
            return false;
        }
    }
    u->parts[0] = a;
    u->parts[1] = (b << 16) | c;
    u->parts[2] = (d << 16) | e;
    u->parts[3] = f;
    return true;
}

bool
uuid_equals(const struct uuid *a, const struct uuid *b)
{
    return !memcmp(a, b, sizeof *a);
}

uint32_t
uuid_hash(const struct uuid *u)
{
    return u->parts[0];
}

bool
uuid_is_zero(const struct uuid *u)
{
    return !(u->parts[0] | u->parts[1] | u->parts[2] | u->parts[3]);
}

uint32_t
hash_add(uint32_t hash, uint32_t data)
{
    return hash_mix_add(hash, data);
}

uint32_t
hash_finish(uint32_t hash, uint32_t final)
{
    return hash_mix_finish(hash, final);
}

uint32_t
hash_bytes(const void *p_, size_t n, uint32_t basis)
{
    const uint8_t *p = p_;
    uint32_t hash = basis;
    size_t i;
    for (i = 0; i + 4 <= n; i += 4) {
        uint32_t w;
        memcpy(&w, p + i, 4);
        hash = hash_add(hash, w);
    }
    if (i < n) {
        uint32_t w = 0;
        memcpy(&w, p + i, n - i);
        hash = hash_add(hash, w);
    }
    return hash_finish(hash, n);
}

uint32_t
hash_string(const char *s, uint32_t basis)
{
    return hash_bytes(s, strlen(s), basis);
}
