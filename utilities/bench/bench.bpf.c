/* bench.bpf.c: the XDP programs of the forwarding benchmark (xvs-bench).
 *
 * xvs_gen   the traffic generator's program.  xvs-bench-gen runs it with
 *           BPF_PROG_TEST_RUN in "live frames" mode: the kernel hands it
 *           the template frame again and again, it stamps the frame with
 *           the next of N flows (UDP source port, then the low bits of
 *           the IPv4 source address, and optionally the last three
 *           bytes of the Ethernet source address), starting from flow F,
 *           and returns XDP_TX, which sends the
 *           frame out of the generator's veth.  The flow index comes from
 *           a per-CPU counter, so the program needs no lock.
 * xvs_sink  counts the generator's frames (UDP destination port
 *           BENCH_UDP_DPORT) and everything else in a per-CPU map, and
 *           drops them all: the sink costs a few nanoseconds per frame.
 * xvs_redirect  redirects every frame to the one device in its devmap:
 *           the XDP_REDIRECT limit between two veths, the fastest any
 *           switch on this machine can forward.
 *
 * Not here: IPv6 frames, VLAN tags (the generator's frames carry none).
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "bench-maps.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct bench_gen_config);
} gen_config SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} gen_count SEC(".maps");

/* The recirculating generator's two destinations: its own loop device
 * and the device it generates on. */
struct {
    __uint(type, BPF_MAP_TYPE_DEVMAP);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, __u32);
} loop_ports SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, BENCH_SINK_N_COUNTERS);
    __type(key, __u32);
    __type(value, __u64);
} sink_counts SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_DEVMAP);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u32);
} redirect_port SEC(".maps");

/* The IPv4 header checksum over the 20 bytes of an option-less header. */
static __always_inline __u16
ipv4_csum(const struct iphdr *ip)
{
    const __u16 *w = (const __u16 *) ip;
    __u32 sum = 0;

#pragma unroll
    for (int i = 0; i < 10; i++) {
        sum += w[i];
    }
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    return ~sum;
}

/* The headers of a frame of the generator's. */
struct bench_headers {
    struct ethhdr *eth;
    struct iphdr *ip;
    struct udphdr *udp;
};

/* Whether the frame at CTX is one of the generator's (IPv4, UDP, to
 * BENCH_UDP_DPORT); if so, '*h' points at its headers. */
static __always_inline bool
bench_frame(struct xdp_md *ctx, struct bench_headers *h)
{
    void *end = (void *) (long) ctx->data_end;

    h->eth = (void *) (long) ctx->data;
    h->ip = (void *) (h->eth + 1);
    h->udp = (void *) (h->ip + 1);
    return ((void *) (h->udp + 1) <= end
            && h->eth->h_proto == bpf_htons(ETH_P_IP)
            && h->ip->protocol == IPPROTO_UDP
            && h->udp->dest == bpf_htons(BENCH_UDP_DPORT));
}

/* Stamps the generator's frame at CTX with the next flow; false if it
 * cannot, or if the frame is not the generator's (the loop's devices
 * see the host's IPv6 router solicitations, say). */
static __always_inline bool
stamp(struct xdp_md *ctx)
{
    struct bench_headers h;
    __u32 key = 0;

    if (!bench_frame(ctx, &h)) {
        return false;
    }
    struct bench_gen_config *cfg = bpf_map_lookup_elem(&gen_config, &key);
    __u64 *count = bpf_map_lookup_elem(&gen_count, &key);
    if (!cfg || !count || !cfg->n_flows || cfg->stop
        || (cfg->limit && *count >= cfg->limit)) {
        return false;
    }

    __u32 flow = (*count + cfg->first_flow) % cfg->n_flows;
    *count += 1;

    /* 32,768 source ports per source address, then the next address. */
    h.udp->source = bpf_htons(BENCH_UDP_SPORT_BASE + (flow & 0x7fff));
    h.udp->check = 0;
    h.ip->saddr = bpf_htonl(cfg->ip_src + (flow >> 15));
    h.ip->check = 0;
    h.ip->check = ipv4_csum(h.ip);
    if (cfg->vary_mac) {
        h.eth->h_source[3] = flow >> 16;
        h.eth->h_source[4] = flow >> 8;
        h.eth->h_source[5] = flow;
    }
    return true;
}

SEC("xdp")
int
xvs_gen(struct xdp_md *ctx)
{
    return stamp(ctx) ? XDP_TX : XDP_ABORTED;
}

/* The recirculating generator, for kernels that refuse live frames to
 * BPF_PROG_TEST_RUN: a few frames seeded into one end of a veth pair
 * circle between its two ends (xvs_loop on this end, xvs_bounce on the
 * other) and every time round one copy goes out of the generating
 * device, so the kernel makes the frames with no system call per frame.
 * Once the configuration says stop (or the limit is reached) the frames
 * are dropped and the circle empties. */
SEC("xdp")
int
xvs_loop(struct xdp_md *ctx)
{
    return (stamp(ctx)
            ? bpf_redirect_map(&loop_ports, 0, BPF_F_BROADCAST)
            : XDP_DROP);
}

SEC("xdp")
int
xvs_bounce(struct xdp_md *ctx)
{
    struct bench_headers h;

    return bench_frame(ctx, &h) ? XDP_TX : XDP_DROP;
}

SEC("xdp")
int
xvs_sink(struct xdp_md *ctx)
{
    struct bench_headers h;
    __u32 key = bench_frame(ctx, &h) ? BENCH_SINK_BENCH : BENCH_SINK_OTHER;
    __u64 *count = bpf_map_lookup_elem(&sink_counts, &key);
    if (count) {
        *count += 1;
    }
    return XDP_DROP;
}

SEC("xdp")
int
xvs_redirect(struct xdp_md *ctx)
{
    return bpf_redirect_map(&redirect_port, 0, 0);
}

char _license[] SEC("license") = "GPL";
