/* util: the few helpers every module uses.
 *
 * Memory: xmalloc() and friends abort with a message on exhaustion, so
 * callers never test for NULL.  Errors inside libraries are returned as
 * values (negative or positive errno, or a malloc'd message string); only
 * programs' main() functions call xvs_fatal(). */
#ifndef XVS_UTIL_H
#define XVS_UTIL_H 1

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define ARRAY_SIZE(A) (sizeof (A) / sizeof (A)[0])
#define CONTAINER_OF(PTR, STRUCT, MEMBER) \
    ((STRUCT *) (void *) ((char *) (PTR) - offsetof(STRUCT, MEMBER)))
#define XVS_MIN(A, B) ((A) < (B) ? (A) : (B))
#define XVS_MAX(A, B) ((A) > (B) ? (A) : (B))
#define XVS_PRINTF(FMT, ARG1) __attribute__((format(printf, FMT, ARG1)))
#define XVS_NORETURN __attribute__((noreturn))
#define XVS_UNUSED __attribute__((unused))

void *xmalloc(size_t);
void *xzalloc(size_t);
void *xcalloc(size_t, size_t);
void *xrealloc(void *, size_t);
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);
void *xmemdup(const void *, size_t);
char *xasprintf(const char *fmt, ...) XVS_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list);

/* The program's name (argv[0] without directories), set by
 * xvs_set_program_name(); used as the prefix of messages. */
extern const char *program_name;
void xvs_set_program_name(const char *argv0);

/* Prints "PROGRAM: MESSAGE[ (strerror(err))]" to stderr and exits 1.
 * 'err' is 0 or a positive errno. */
void xvs_fatal(int err, const char *fmt, ...) XVS_PRINTF(2, 3) XVS_NORETURN;
/* Same, without exiting. */
void xvs_error(int err, const char *fmt, ...) XVS_PRINTF(2, 3);

/* Monotonic and wall-clock time in milliseconds. */
long long int time_msec(void);
/* Moves time_msec() forward by 'msec' for good, so tests can pass rule
 * timeouts without waiting ("xvs-appctl time/warp" in dummy mode).
 * Timers of the event loop still run on real time. */
void time_warp(long long int msec);
long long int time_wall_msec(void);
/* Test hooks behind the "time/stop" and "time/warp" control commands
 * (unixctl.h), as Open vSwitch's tests use them: time_stop() freezes the
 * monotonic clock, time_warp() moves it forward, so tests of rates and
 * timeouts need not wait for real time. */
void time_stop(void);
void time_warp(long long int msecs);

/* Parses a whole string as an integer in [min, max]; false on any junk. */
bool str_to_llong(const char *, int base, long long *);
bool str_to_ullong(const char *, int base, unsigned long long *);

/* A growable string. */
struct ds {
    char *string;       /* Always null-terminated once allocated. */
    size_t length;
    size_t allocated;
};
#define DS_EMPTY_INITIALIZER { NULL, 0, 0 }
void ds_init(struct ds *);
void ds_clear(struct ds *);
void ds_destroy(struct ds *);
void ds_put_char(struct ds *, char);
void ds_put_cstr(struct ds *, const char *);
void ds_put_buffer(struct ds *, const char *, size_t);
void ds_put_format(struct ds *, const char *, ...) XVS_PRINTF(2, 3);
void ds_put_format_valist(struct ds *, const char *, va_list);
void ds_chomp(struct ds *, int c);
const char *ds_cstr(struct ds *);  /* Never NULL. */
char *ds_steal_cstr(struct ds *);  /* Caller frees; 'ds' is left empty. */

/* A 128-bit UUID as OVSDB uses them. */
struct uuid {
    uint32_t parts[4];
};
#define UUID_LEN 36
void uuid_generate(struct uuid *);
void uuid_format(const struct uuid *, char out[UUID_LEN + 1]);
bool uuid_from_string(struct uuid *, const char *);
bool uuid_equals(const struct uuid *, const struct uuid *);
uint32_t uuid_hash(const struct uuid *);
bool uuid_is_zero(const struct uuid *);

/* Hashing (fast, not cryptographic). */
uint32_t hash_bytes(const void *, size_t n, uint32_t basis);
uint32_t hash_string(const char *, uint32_t basis);
uint32_t hash_add(uint32_t hash, uint32_t data);
uint32_t hash_finish(uint32_t hash, uint32_t final);
static inline uint32_t hash_int(uint32_t x, uint32_t basis)
{
    return hash_finish(hash_add(basis, x), 4);
}

#endif
