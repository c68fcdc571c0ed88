/* bench-maps.h: what the benchmark's XDP programs (bench.bpf.c) and the
 * programs that load them share: map value layouts and the generator's
 * frame constants.  Included from BPF C and from user-space C, so it uses
 * only the kernel's fixed-width types. */
#ifndef BENCH_MAPS_H
#define BENCH_MAPS_H 1

#include <linux/types.h>

/* The generator's frames go to this UDP port (discard), from source ports
 * counting up from BENCH_UDP_SPORT_BASE. */
#define BENCH_UDP_DPORT 9
#define BENCH_UDP_SPORT_BASE 1024

/* gen_config[0]: how many flows to cycle through, the flow to start
 * from, the first IPv4 source address (host byte order), and whether the
 * flow number goes into the Ethernet source address as well (its last
 * three bytes). */
struct bench_gen_config {
    __u32 n_flows;
    __u32 first_flow;
    __u32 ip_src;
    __u32 vary_mac;
    __u32 stop;                 /* Nonzero: stamp no more frames. */
    __u32 pad;
    __u64 limit;                /* Nonzero: stamp this many frames at most. */
};

/* Keys of sink_counts. */
enum {
    BENCH_SINK_BENCH,           /* Frames from the generator. */
    BENCH_SINK_OTHER,           /* Anything else that reached the sink. */
    BENCH_SINK_N_COUNTERS
};

#endif /* bench-maps.h */
