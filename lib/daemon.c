/* daemon: the options and process dance every daemon shares.
 *
 * --detach forks twice in spirit but once in fact: the parent stays in the
 * foreground until the child says it is ready over a pipe, so that
 * "daemon --detach && client" never races the daemon's sockets; if the
 * child dies first, the parent exits with the child's status, so start-up
 * errors still reach the shell.  --monitor puts a process between the two
 * that restarts the daemon after a crash.  The pidfile is locked by the
 * daemon for as long as it runs, which is how a second copy tells a live
 * daemon from a stale pidfile. */
#include <config.h>
#include "daemon.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "evloop.h"
#include "unixctl.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(daemon);

static bool detach, no_chdir, monitor;
static char *pidfile;
static pid_t pidfile_pid;
static char *unixctl_path;
static int ready_fd = -1;

/* Files to remove when we exit or a signal kills us (the pidfile is
 * separate).  Only the process that owns them removes them: a forked
 * parent or monitor must not take a live daemon's socket away. */
#define MAX_EXIT_FILES 64
static char *exit_files[MAX_EXIT_FILES];
static volatile sig_atomic_t n_exit_files;
static pid_t exit_files_pid;

static const char *
dir_from_env(const char *var, const char *def)
{
    const char *s = getenv(var);
    return s && *s ? s : def;
}

const char *
xvs_rundir(void)
{
    return dir_from_env("XVS_RUNDIR", "/var/run/xvswitch");
}

const char *
xvs_dbdir(void)
{
    return dir_from_env("XVS_DBDIR", "/etc/xvswitch");
}

const char *
xvs_logdir(void)
{
    return dir_from_env("XVS_LOGDIR", "/var/log/xvswitch");
}

/* 'name' as an absolute path, relative names taken from 'dir' (NULL: the
 * current directory), since --detach changes directory to "/". */
static char *
abs_file_name(const char *dir, const char *name)
{
    if (name[0] == '/') {
        return xstrdup(name);
    }
    if (dir) {
        return xasprintf("%s/%s", dir, name);
    }
    char *cwd = getcwd(NULL, 0);
    char *s = xasprintf("%s/%s", cwd ? cwd : ".", name);
    free(cwd);
    return s;
}

/* Creates 'dir' and its parents as needed (errors show up later, when the
 * daemon creates files there). */
static void
make_dirs(const char *dir)
{
    char *s = xstrdup(dir);
    for (char *p = s + 1; ; p++) {
        if (*p == '/' || *p == '\0') {
            char save = *p;
            *p = '\0';
            mkdir(s, 0755);
            *p = save;
            if (!save) {
                break;
            }
        }
    }
    free(s);
}

bool
daemon_handle_option(int c, const char *arg)
{
    switch (c) {
    case DAEMON_OPT_DETACH:
        detach = true;
        break;
    case DAEMON_OPT_PIDFILE: {
        free(pidfile);
        char *def = xasprintf("%s.pid", program_name);
        pidfile = abs_file_name(strchr(arg ? arg : "", '/') ? NULL
                                : xvs_rundir(), arg ? arg : def);
        free(def);
        break;
    }
    case DAEMON_OPT_NO_CHDIR:
        no_chdir = true;
        break;
    case DAEMON_OPT_MONITOR:
        monitor = true;
        break;
    case DAEMON_OPT_LOG_FILE: {
        char *name;
        if (arg) {
            name = abs_file_name(NULL, arg);
        } else {
            make_dirs(xvs_logdir());
            name = xasprintf("%s/%s.log", xvs_logdir(), program_name);
        }
        int error = vlog_set_log_file(name);
        if (error) {
            xvs_fatal(error, "could not open log file \"%s\"", name);
        }
        free(name);
        break;
    }
    case DAEMON_OPT_UNIXCTL:
        free(unixctl_path);
        unixctl_path = abs_file_name(strchr(arg, '/') ? NULL : xvs_rundir(),
                                     arg);
        break;
    case DAEMON_OPT_VERBOSE: {
        char *error = vlog_set_levels_from_string(arg ? arg : "");
        if (error) {
            xvs_fatal(0, "processing \"%s\": %s", arg ? arg : "", error);
        }
        break;
    }
    default:
        return false;
    }
    return true;
}

void
daemon_usage(void)
{
    printf("\nDaemon options:\n"
           "  --detach                run in background as daemon\n"
           "  --monitor               restart the daemon if it crashes\n"
           "  --no-chdir              do not chdir to '/'\n"
           "  --pidfile[=FILE]        create pidfile (default %s/%s.pid)\n"
           "  --unixctl=SOCKET        control socket (default %s/%s.ctl)\n"
           "\nLogging options:\n"
           "  -vSPEC, --verbose=SPEC  set logging levels "
           "(MODULE:DESTINATION:LEVEL)\n"
           "  -v, --verbose           set maximum verbosity level\n"
           "  --log-file[=FILE]       enable logging to FILE "
           "(default %s/%s.log)\n",
           xvs_rundir(), program_name, xvs_rundir(), program_name,
           xvs_logdir(), program_name);
}

char *
daemon_unixctl_path(void)
{
    return unixctl_path ? xstrdup(unixctl_path) : unixctl_default_path();
}

/* Async-signal-safe. */
static void
remove_exit_files(void)
{
    if (getpid() == exit_files_pid) {
        for (int i = 0; i < n_exit_files; i++) {
            unlink(exit_files[i]);
        }
    }
}

static void
fatal_signal_handler(int sig)
{
    /* Only async-signal-safe calls here. */
    remove_exit_files();
    if (pidfile && getpid() == pidfile_pid) {
        unlink(pidfile);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void
install_signal_handlers(void)
{
    static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
    for (size_t i = 0; i < ARRAY_SIZE(sigs); i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = fatal_signal_handler;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
}

void
daemon_remove_on_exit(const char *file)
{
    if (!exit_files_pid) {
        exit_files_pid = getpid();
        atexit(remove_exit_files);
        install_signal_handlers();
    }
    for (int i = 0; i < n_exit_files; i++) {
        if (!strcmp(exit_files[i], file)) {
            return;
        }
    }
    if (n_exit_files < MAX_EXIT_FILES) {
        exit_files[n_exit_files] = xstrdup(file);
        n_exit_files++;
    }
}

static void
remove_pidfile_at_exit(void)
{
    daemon_exit_cleanup();
}

static void
make_pidfile(void)
{
    int fd = open(pidfile, O_RDWR | O_CLOEXEC);
    if (fd >= 0) {
        if (flock(fd, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK) {
            char buf[32];
            ssize_t n = read(fd, buf, sizeof buf - 1);
            buf[n > 0 ? n : 0] = '\0';
            xvs_fatal(0, "%s: already running as pid %ld, aborting",
                      pidfile, strtol(buf, NULL, 10));
        }
        close(fd);
    }

    char *tmp = xasprintf("%s.tmp", pidfile);
    unlink(tmp);
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        xvs_fatal(errno, "%s: create failed", tmp);
    }
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        xvs_fatal(errno, "%s: lock failed", tmp);
    }
    char buf[32];
    int len = snprintf(buf, sizeof buf, "%ld\n", (long) getpid());
    if (write(fd, buf, len) != len || rename(tmp, pidfile) < 0) {
        int error = errno;
        unlink(tmp);
        xvs_fatal(error, "%s: write failed", pidfile);
    }
    free(tmp);
    /* 'fd' stays open: the lock says we are alive. */
    pidfile_pid = getpid();
    atexit(remove_pidfile_at_exit);
}

static void
close_standard_fds(void)
{
    int fd = open("/dev/null", O_RDWR);
    if (fd >= 0) {
        dup2(fd, STDIN_FILENO);
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        if (fd > STDERR_FILENO) {
            close(fd);
        }
    }
}

static pid_t monitored_pid;

static void
monitor_forward_signal(int sig)
{
    if (monitored_pid > 0) {
        kill(monitored_pid, sig);
    }
}

static bool
is_crash_signal(int sig)
{
    switch (sig) {
    case SIGABRT: case SIGALRM: case SIGBUS: case SIGFPE: case SIGILL:
    case SIGPIPE: case SIGSEGV: case SIGXCPU: case SIGXFSZ: case SIGSYS:
    case SIGTRAP:
        return true;
    default:
        return false;
    }
}

/* Runs the monitor: returns only in a (re)started daemon process. */
static void
run_monitor(void)
{
    for (;;) {
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0) {
            xvs_fatal(errno, "fork failed");
        } else if (!pid) {
            signal(SIGTERM, SIG_DFL);
            signal(SIGINT, SIG_DFL);
            signal(SIGHUP, SIG_DFL);
            return;
        }

        /* Only the first daemon reports readiness to the shell, and a
         * detached monitor must not keep the shell's output open. */
        if (ready_fd >= 0) {
            close(ready_fd);
            ready_fd = -1;
        }
        if (detach) {
            close_standard_fds();
        }
        monitored_pid = pid;
        signal(SIGTERM, monitor_forward_signal);
        signal(SIGINT, monitor_forward_signal);
        signal(SIGHUP, monitor_forward_signal);

        int status;
        while (waitpid(pid, &status, 0) < 0) {
            if (errno != EINTR) {
                xvs_fatal(errno, "waitpid failed");
            }
        }
        if (WIFSIGNALED(status) && is_crash_signal(WTERMSIG(status))) {
            VLOG_ERR("pid %ld died, killed by signal %d (%s), restarting",
                     (long) pid, WTERMSIG(status),
                     strsignal(WTERMSIG(status)));
            /* A daemon that crashes at once must not spin the CPU. */
            sleep(1);
            continue;
        }
        exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
    }
}

void
daemonize_start(void)
{
    make_dirs(xvs_rundir());

    if (detach) {
        int fds[2];
        if (pipe2(fds, O_CLOEXEC) < 0) {
            xvs_fatal(errno, "pipe failed");
        }
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0) {
            xvs_fatal(errno, "fork failed");
        } else if (pid > 0) {
            /* The shell's process: wait for "ready" or the child's end. */
            close(fds[1]);
            char c;
            ssize_t n;
            do {
                n = read(fds[0], &c, 1);
            } while (n < 0 && errno == EINTR);
            if (n == 1) {
                _exit(0);
            }
            int status;
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
                continue;
            }
            _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
        }
        close(fds[0]);
        ready_fd = fds[1];
        setsid();
    }

    if (monitor) {
        run_monitor();
    }
    if (pidfile) {
        make_pidfile();
    }
    evloop_after_fork();
    install_signal_handlers();
    if (exit_files_pid) {
        /* Files registered before the fork now belong to the daemon. */
        exit_files_pid = getpid();
    }
}

void
daemonize_complete(void)
{
    if (ready_fd >= 0) {
        ssize_t n;
        do {
            n = write(ready_fd, "", 1);
        } while (n < 0 && errno == EINTR);
        close(ready_fd);
        ready_fd = -1;
    }
    if (detach) {
        /* Only now, so that files named relative to the directory the
         * daemon was started in can still be opened during start-up. */
        if (!no_chdir && chdir("/") < 0) {
            VLOG_WARN("chdir(\"/\") failed (%s)", strerror(errno));
        }
        close_standard_fds();
    }
}

void
daemon_exit_cleanup(void)
{
    if (pidfile && getpid() == pidfile_pid) {
        unlink(pidfile);
        pidfile_pid = 0;
    }
}

static void
daemon_exit_cmd(struct unixctl_conn *conn, int argc, const char *argv[],
                void *aux)
{
    unixctl_command_reply(conn, NULL);
    evloop_exit();
}

void
daemon_start_control(void)
{
    char *path = daemon_unixctl_path();
    int error = unixctl_server_create(path);
    if (error) {
        xvs_fatal(error, "could not create control socket \"%s\"", path);
    }
    free(path);
    unixctl_command_register("exit", "", 0, 0, daemon_exit_cmd, NULL);
    vlog_register_unixctl();
}
