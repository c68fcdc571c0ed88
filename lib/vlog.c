/* vlog: per-module logging.
 *
 * Modules register themselves from constructors, before main(), so the
 * module list needs no lock once main() runs; only the output path (the
 * sequence number and the log file descriptor) is shared with PMD threads
 * and is serialized by one mutex. */
#include <config.h>
#include "vlog.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include "daemon.h"
#include "unixctl.h"

static const char *const level_names[VLL_N_LEVELS] = {
    "OFF", "EMER", "ERR", "WARN", "INFO", "DBG",
};
static const int syslog_levels[VLL_N_LEVELS] = {
    0, LOG_ALERT, LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_DEBUG,
};
static const char *const dest_names[VLF_N_DESTINATIONS] = {
    "syslog", "console", "file",
};

static struct vlog_module *modules;

static pthread_mutex_t vlog_mutex = PTHREAD_MUTEX_INITIALIZER;
static unsigned int msg_num;
static int log_fd = -1;
static char *log_file_name;
static bool syslog_opened;

static void
update_min_level(struct vlog_module *m)
{
    m->min_level = VLL_OFF;
    for (int d = 0; d < VLF_N_DESTINATIONS; d++) {
        if (d != VLF_FILE || log_fd >= 0) {
            m->min_level = XVS_MAX(m->min_level, m->levels[d]);
        }
    }
}

void
vlog_register_module(struct vlog_module *m)
{
    for (struct vlog_module *p = modules; p; p = p->next) {
        if (p == m) {
            return;
        }
    }
    update_min_level(m);
    m->next = modules;
    modules = m;
}

static struct vlog_module *
find_module(const char *name)
{
    for (struct vlog_module *m = modules; m; m = m->next) {
        if (!strcasecmp(m->name, name)) {
            return m;
        }
    }
    return NULL;
}

static int
find_name(const char *const names[], int n, const char *name)
{
    for (int i = 0; i < n; i++) {
        if (!strcasecmp(names[i], name)) {
            return i;
        }
    }
    return -1;
}

bool
vlog_is_enabled(const struct vlog_module *m, enum vlog_level level)
{
    return level != VLL_OFF && (int) level <= m->min_level;
}

static void
format_line(struct ds *s, const struct vlog_module *m, enum vlog_level level,
            unsigned int num, const char *fmt, va_list args)
{
    long long now = time_wall_msec();
    time_t secs = now / 1000;
    struct tm tm;
    char stamp[32];

    gmtime_r(&secs, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    ds_put_format(s, "%s.%03dZ|%05u|%s|%s|", stamp, (int) (now % 1000), num,
                  m->name, level_names[level]);
    ds_put_format_valist(s, fmt, args);
    ds_chomp(s, '\n');
    ds_put_char(s, '\n');
}

static void
write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            return;
        }
        p += w;
        n -= w;
    }
}

void
vlog(const struct vlog_module *m, enum vlog_level level, const char *fmt, ...)
{
    if (!vlog_is_enabled(m, level)) {
        return;
    }

    int saved_errno = errno;
    struct ds s = DS_EMPTY_INITIALIZER;
    va_list args;

    pthread_mutex_lock(&vlog_mutex);
    unsigned int num = ++msg_num;
    va_start(args, fmt);
    format_line(&s, m, level, num, fmt, args);
    va_end(args);

    if ((int) level <= m->levels[VLF_CONSOLE]) {
        write_all(STDERR_FILENO, s.string, s.length);
    }
    if ((int) level <= m->levels[VLF_FILE] && log_fd >= 0) {
        write_all(log_fd, s.string, s.length);
    }
    if ((int) level <= m->levels[VLF_SYSLOG]) {
        if (!syslog_opened) {
            openlog(program_name, LOG_NDELAY, LOG_DAEMON);
            syslog_opened = true;
        }
        /* Syslog adds its own time stamp; skip ours. */
        const char *body = strchr(s.string, '|');
        syslog(syslog_levels[level], "%s", body ? body + 1 : s.string);
    }
    pthread_mutex_unlock(&vlog_mutex);

    ds_destroy(&s);
    errno = saved_errno;
}

/* Sets 'level' for destination 'dest' (-1: all) of module 'm' (NULL:
 * all). */
static void
set_levels(struct vlog_module *m, int dest, int level)
{
    for (struct vlog_module *p = m ? m : modules; p; p = m ? NULL : p->next) {
        for (int d = 0; d < VLF_N_DESTINATIONS; d++) {
            if (dest < 0 || d == dest) {
                p->levels[d] = level;
            }
        }
        update_min_level(p);
    }
}

char *
vlog_set_levels_from_string(const char *s_)
{
    char *s = xstrdup(s_);
    char *save = NULL;
    struct vlog_module *module = NULL;
    int dest = -1, level = -1;
    char *error = NULL;

    for (char *word = strtok_r(s, ": \t", &save); word;
         word = strtok_r(NULL, ": \t", &save)) {
        int i;
        if (!strcasecmp(word, "ANY")) {
            continue;
        } else if ((i = find_name(dest_names, VLF_N_DESTINATIONS, word))
                   >= 0) {
            if (dest >= 0 && dest != i) {
                error = xasprintf("cannot specify multiple destinations");
                break;
            }
            dest = i;
        } else if ((i = find_name(level_names, VLL_N_LEVELS, word)) >= 0) {
            if (level >= 0 && level != i) {
                error = xasprintf("cannot specify multiple levels");
                break;
            }
            level = i;
        } else if (find_module(word)) {
            if (module && module != find_module(word)) {
                error = xasprintf("cannot specify multiple modules");
                break;
            }
            module = find_module(word);
        } else {
            error = xasprintf("no destination, level, or module \"%s\"",
                              word);
            break;
        }
    }
    if (!error) {
        set_levels(module, dest, level >= 0 ? level : VLL_DBG);
    }
    free(s);
    return error;
}

int
vlog_set_log_file(const char *file_name)
{
    char *name;
    if (file_name) {
        name = xstrdup(file_name);
    } else if (log_file_name) {
        name = xstrdup(log_file_name);
    } else {
        name = xasprintf("%s/%s.log", xvs_logdir(), program_name);
    }

    int fd = open(name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0660);
    if (fd < 0) {
        int error = errno;
        free(name);
        return error;
    }

    pthread_mutex_lock(&vlog_mutex);
    if (log_fd >= 0) {
        close(log_fd);
    }
    log_fd = fd;
    free(log_file_name);
    log_file_name = name;
    pthread_mutex_unlock(&vlog_mutex);

    for (struct vlog_module *m = modules; m; m = m->next) {
        update_min_level(m);
    }
    return 0;
}

static int
compare_modules(const void *a_, const void *b_)
{
    const struct vlog_module *const *a = a_;
    const struct vlog_module *const *b = b_;
    return strcmp((*a)->name, (*b)->name);
}

void
vlog_list(struct ds *s)
{
    size_t n = 0;
    for (struct vlog_module *m = modules; m; m = m->next) {
        n++;
    }
    struct vlog_module **sorted = xmalloc(n * sizeof *sorted);
    n = 0;
    for (struct vlog_module *m = modules; m; m = m->next) {
        sorted[n++] = m;
    }
    qsort(sorted, n, sizeof *sorted, compare_modules);

    ds_put_cstr(s, "                 console    syslog    file\n");
    ds_put_cstr(s, "                 -------    ------    ------\n");
    for (size_t i = 0; i < n; i++) {
        const struct vlog_module *m = sorted[i];
        ds_put_format(s, "%-16s  %4s       %4s       %4s\n", m->name,
                      level_names[m->levels[VLF_CONSOLE]],
                      level_names[m->levels[VLF_SYSLOG]],
                      level_names[m->levels[VLF_FILE]]);
    }
    free(sorted);
}

static void
vlog_unixctl_set(struct unixctl_conn *conn, int argc, const char *argv[],
                 void *aux XVS_UNUSED)
{
    for (int i = 1; i < argc; i++) {
        char *error = vlog_set_levels_from_string(argv[i]);
        if (error) {
            unixctl_command_reply_error(conn, error);
            free(error);
            return;
        }
    }
    unixctl_command_reply(conn, NULL);
}

static void
vlog_unixctl_list(struct unixctl_conn *conn, int argc XVS_UNUSED,
                  const char *argv[] XVS_UNUSED, void *aux XVS_UNUSED)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    vlog_list(&s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
vlog_unixctl_reopen(struct unixctl_conn *conn, int argc XVS_UNUSED,
                    const char *argv[] XVS_UNUSED, void *aux XVS_UNUSED)
{
    if (!log_file_name) {
        unixctl_command_reply_error(conn, "Logging to file not configured");
        return;
    }
    int error = vlog_set_log_file(NULL);
    if (error) {
        char *msg = xasprintf("could not reopen log file \"%s\" (%s)",
                              log_file_name, strerror(error));
        unixctl_command_reply_error(conn, msg);
        free(msg);
    } else {
        unixctl_command_reply(conn, NULL);
    }
}

void
vlog_register_unixctl(void)
{
    unixctl_command_register("vlog/set", "{spec}",
                             0, INT32_MAX, vlog_unixctl_set, NULL);
    unixctl_command_register("vlog/list", "", 0, 0, vlog_unixctl_list, NULL);
    unixctl_command_register("vlog/reopen", "", 0, 0, vlog_unixctl_reopen,
                             NULL);
}
