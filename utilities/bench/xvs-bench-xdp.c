/* xvs-bench-xdp: holds one of the benchmark's XDP programs on an
 * interface while xvs-bench measures.
 *
 *   xvs-bench-xdp sink IFACE            counts and drops what IFACE receives
 *   xvs-bench-xdp redirect IFACE OUT    sends what IFACE receives out of OUT
 *                                       (XDP_REDIRECT through a devmap)
 *   xvs-bench-xdp progstat IFACE        prints "RUNS TIME-NS NAME" of the
 *                                       XDP program on IFACE, whoever
 *                                       attached it: the kernel's count of
 *                                       its runs and their total time
 *                                       (kernel.bpf_stats_enabled=1), then
 *                                       exits
 *
 * The program stays attached while the process runs: it prints "ready",
 * then reads commands on standard input, one a line, and detaches when
 * standard input ends (or the process dies: the program is held by a BPF
 * link).  Commands:
 *
 *   count   prints "TIME-NS BENCH OTHER": the monotonic time, the number
 *           of generator frames the sink has counted, and of other frames
 *           (sink only).
 *
 * Reading the counters from the process that holds the map keeps bpffs
 * and pinning out of the benchmark: network-namespace shells do not see
 * the host's bpffs. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "bench-maps.h"
#include "bench-xdp.h"

static void
serve(int counts_fd)
{
    char line[64];

    printf("ready\n");
    fflush(stdout);
    while (fgets(line, sizeof line, stdin)) {
        if (!strcmp(line, "count\n") && counts_fd >= 0) {
            /* Read the time first: the counts then include everything
             * that arrived up to that time. */
            unsigned long long now = bench_xdp_now_ns();
            printf("%llu %llu %llu\n", now,
                   (unsigned long long) bench_xdp_percpu_sum(counts_fd,
                                                             BENCH_SINK_BENCH),
                   (unsigned long long) bench_xdp_percpu_sum(counts_fd,
                                                             BENCH_SINK_OTHER));
        } else {
            printf("error: unknown command\n");
        }
        fflush(stdout);
    }
}

static void
print_progstat(const char *ifname)
{
    __u32 id = 0;
    int error = bpf_xdp_query_id(bench_xdp_ifindex(ifname), 0, &id);
    if (error || !id) {
        bench_xdp_fatal("%s: no XDP program", ifname);
    }
    int fd = bpf_prog_get_fd_by_id(id);
    if (fd < 0) {
        bench_xdp_fatal("%s: program %u: %s", ifname, id, strerror(errno));
    }
    struct bpf_prog_info info;
    __u32 len = sizeof info;
    memset(&info, 0, sizeof info);
    if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
        bench_xdp_fatal("%s: program %u: %s", ifname, id, strerror(errno));
    }
    printf("%llu %llu %s\n", (unsigned long long) info.run_cnt,
           (unsigned long long) info.run_time_ns, info.name);
    close(fd);
}

int
main(int argc, char *argv[])
{
    bench_xdp_program_name = "xvs-bench-xdp";
    if (argc == 3 && !strcmp(argv[1], "sink")) {
        struct bpf_object *obj = bench_xdp_load();
        struct bpf_link *link = bench_xdp_attach(obj, "xvs_sink", argv[2]);
        serve(bench_xdp_map_fd(obj, "sink_counts"));
        bpf_link__destroy(link);
        bpf_object__close(obj);
    } else if (argc == 4 && !strcmp(argv[1], "redirect")) {
        struct bpf_object *obj = bench_xdp_load();
        uint32_t key = 0, out = bench_xdp_ifindex(argv[3]);
        if (bpf_map_update_elem(bench_xdp_map_fd(obj, "redirect_port"),
                                &key, &out, BPF_ANY)) {
            bench_xdp_fatal("%s: cannot put in the devmap", argv[3]);
        }
        struct bpf_link *link = bench_xdp_attach(obj, "xvs_redirect", argv[2]);
        serve(-1);
        bpf_link__destroy(link);
        bpf_object__close(obj);
    } else if (argc == 3 && !strcmp(argv[1], "progstat")) {
        print_progstat(argv[2]);
    } else {
        fprintf(stderr, "usage: xvs-bench-xdp sink IFACE\n"
                "       xvs-bench-xdp redirect IFACE OUT-IFACE\n"
                "       xvs-bench-xdp progstat IFACE\n");
        return 1;
    }
    return 0;
}
