/* xvs-bench-xdp: holds one of the benchmark's XDP programs on an
 * interface while xvs-bench measures.
 *
 *   xvs-bench-xdp sink IFACE            counts and drops what IFACE receives
 *   xvs-bench-xdp redirect IFACE OUT    sends what IFACE receives out of OUT
 *                                       (XDP_REDIRECT through a devmap)
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

#include <stdio.h>
#include <string.h>
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
    } else {
        fprintf(stderr, "usage: xvs-bench-xdp sink IFACE\n"
                "       xvs-bench-xdp redirect IFACE OUT-IFACE\n");
        return 1;
    }
    return 0;
}
