/* bench-xdp.h: what the benchmark's helper programs (xvs-bench-gen,
 * xvs-bench-xdp, xvs-bench-fwd) share: finding and loading the XDP
 * programs of bench.bpf.c, reading per-CPU counters, argument parsing.
 *
 * The BPF object is looked up next to the running executable
 * (bench.bpf.o beside xvs-bench-gen in the build tree), so the helpers
 * need no installation and no path option.  Programs are attached with
 * BPF links: they go away with the process, even when it is killed.
 *
 * Not here: libxdp's multi-program dispatcher (it fails on the machines
 * we measure on); the one program per device is enough. */
#ifndef BENCH_XDP_H
#define BENCH_XDP_H 1

#include <stdint.h>

struct bpf_object;
struct bpf_link;

/* Opens and loads bench.bpf.o; on failure prints why and exits. */
struct bpf_object *bench_xdp_load(void);

/* The fd of the map or program NAME of OBJ; exits if there is none. */
int bench_xdp_map_fd(struct bpf_object *obj, const char *name);
int bench_xdp_prog_fd(struct bpf_object *obj, const char *name);

/* Attaches program NAME to interface IFNAME (driver mode: veth has it)
 * through a BPF link; exits on failure. */
struct bpf_link *bench_xdp_attach(struct bpf_object *obj, const char *name,
                                  const char *ifname);

/* The ifindex of IFNAME; exits if there is no such interface. */
int bench_xdp_ifindex(const char *ifname);

/* The sum over all CPUs of the 64-bit value at KEY in per-CPU array
 * MAP_FD. */
uint64_t bench_xdp_percpu_sum(int map_fd, uint32_t key);

/* Nanoseconds on the monotonic clock. */
uint64_t bench_xdp_now_ns(void);

/* Parses S as an unsigned integer in [MIN, MAX] for option OPT; exits
 * with a one-line error otherwise. */
unsigned long bench_xdp_parse_ulong(const char *opt, const char *s,
                                    unsigned long min, unsigned long max);

/* Prints "PROG: MESSAGE" to stderr and exits with status 1. */
void bench_xdp_fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

extern const char *bench_xdp_program_name;

#endif /* bench-xdp.h */
