/* bench-xdp.c: loading and reading the benchmark's XDP programs; see
 * bench-xdp.h. */
#include <config.h>
#include "bench-xdp.h"

#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

const char *bench_xdp_program_name = "xvs-bench";

void
bench_xdp_fatal(const char *fmt, ...)
{
    va_list args;

    fprintf(stderr, "%s: ", bench_xdp_program_name);
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    fputc('\n', stderr);
    exit(1);
}

/* libbpf's own messages only when something fails: its warnings are the
 * useful part, its debug chatter is not. */
static int
print_libbpf(enum libbpf_print_level level, const char *fmt, va_list args)
{
    return level == LIBBPF_DEBUG ? 0 : vfprintf(stderr, fmt, args);
}

struct bpf_object *
bench_xdp_load(void)
{
    char exe[PATH_MAX], path[PATH_MAX + 32];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

    if (n < 0) {
        bench_xdp_fatal("/proc/self/exe: %s", strerror(errno));
    }
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) {
        *slash = '\0';
    }
    snprintf(path, sizeof path, "%s/bench.bpf.o", exe);

    /* Older kernels charge BPF maps to RLIMIT_MEMLOCK. */
    struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
    setrlimit(RLIMIT_MEMLOCK, &unlimited);
    libbpf_set_print(print_libbpf);

    struct bpf_object *obj = bpf_object__open_file(path, NULL);
    int error = libbpf_get_error(obj);
    if (error) {
        bench_xdp_fatal("%s: cannot open: %s", path, strerror(-error));
    }
    error = bpf_object__load(obj);
    if (error) {
        bench_xdp_fatal("%s: cannot load: %s", path, strerror(-error));
    }
    return obj;
}

int
bench_xdp_map_fd(struct bpf_object *obj, const char *name)
{
    int fd = bpf_object__find_map_fd_by_name(obj, name);
    if (fd < 0) {
        bench_xdp_fatal("bench.bpf.o has no map %s", name);
    }
    return fd;
}

static struct bpf_program *
find_prog(struct bpf_object *obj, const char *name)
{
    struct bpf_program *prog = bpf_object__find_program_by_name(obj, name);
    if (!prog) {
        bench_xdp_fatal("bench.bpf.o has no program %s", name);
    }
    return prog;
}

int
bench_xdp_prog_fd(struct bpf_object *obj, const char *name)
{
    return bpf_program__fd(find_prog(obj, name));
}

struct bpf_link *
bench_xdp_attach(struct bpf_object *obj, const char *name, const char *ifname)
{
    struct bpf_link *link = bpf_program__attach_xdp(find_prog(obj, name),
                                                    bench_xdp_ifindex(ifname));
    int error = libbpf_get_error(link);
    if (error) {
        bench_xdp_fatal("%s: cannot attach %s: %s", ifname, name,
                        strerror(-error));
    }
    return link;
}

int
bench_xdp_ifindex(const char *ifname)
{
    unsigned int ifindex = if_nametoindex(ifname);
    if (!ifindex) {
        bench_xdp_fatal("%s: no such interface", ifname);
    }
    return ifindex;
}

uint64_t
bench_xdp_percpu_sum(int map_fd, uint32_t key)
{
    int n_cpus = libbpf_num_possible_cpus();
    if (n_cpus <= 0) {
        bench_xdp_fatal("cannot count CPUs");
    }
    uint64_t *values = calloc(n_cpus, sizeof *values);
    if (!values) {
        bench_xdp_fatal("out of memory");
    }
    if (bpf_map_lookup_elem(map_fd, &key, values)) {
        bench_xdp_fatal("cannot read counters: %s", strerror(errno));
    }
    uint64_t sum = 0;
    for (int i = 0; i < n_cpus; i++) {
        sum += values[i];
    }
    free(values);
    return sum;
}

uint64_t
bench_xdp_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000u + ts.tv_nsec;
}

unsigned long
bench_xdp_parse_ulong(const char *opt, const char *s,
                      unsigned long min, unsigned long max)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-' || v < min || v > max) {
        bench_xdp_fatal("%s: \"%s\" is not a number from %lu to %lu",
                        opt, s, min, max);
    }
    return v;
}
