/* xvs-bench-gen: the benchmark's traffic generator.
 *
 * Builds one UDP/IPv4 frame of the requested size and has the kernel send
 * it out of a veth over and over: BPF_PROG_TEST_RUN with
 * BPF_F_TEST_XDP_LIVE_FRAMES runs program xvs_gen (bench.bpf.c) on the
 * frame, and the program's XDP_TX becomes a real transmission on the
 * interface given as the context's ingress interface.  The program
 * stamps each copy with the next of N flows, from --first-flow on (0 by
 * default; flow i is UDP source port 1024 + i % 32768 from IPv4 source
 * address 10.0.0.1 + i / 32768; with --vary-mac, from Ethernet address
 * 02:00:00 followed by i's 24 bits as well).  No socket and no copy to
 * user space: one core generates several million frames a second, which
 * is what lets the benchmark measure switches rather than itself (the
 * "generator alone" row of xvs-bench shows the figure).
 *
 * Two modes: --duration S sends as fast as it can for S seconds;
 * --count N sends exactly N frames, in bursts of --burst frames with
 * --gap-us microseconds between bursts, slow enough for a slow switch to
 * take them all (the exact-count tests).  It prints the number of frames
 * handed to the interface; the veth drops frames its peer has no room
 * for, so the receiving side's count is the one that measures.
 *
 * Frame sizes count the 4-byte FCS as Ethernet does: --size 64 puts
 * 60-byte frames on the veth.
 *
 * Where the kernel refuses live frames (EPERM: seen in containers without
 * CAP_SYS_RESOURCE), --loop LOOPIF makes the kernel generate anyway:
 * LOOPIF is one end of a veth pair of its own (in IFACE's namespace);
 * a few frames sent into it through an AF_PACKET socket circle between
 * its two ends, and each time round program xvs_loop (bench.bpf.c)
 * stamps the frame and a devmap broadcast sends one copy out of IFACE.
 * Without --loop, or in --count mode (exact counts), the frames, stamped
 * here the same way, go through an AF_PACKET socket with sendmmsg()
 * instead, with a note on stderr: exact counts still hold, rates are
 * those of a socket.
 *
 * Not yet: IPv6, VLAN tags, several generator threads. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <linux/bpf.h>
#include <net/if.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "bench-maps.h"
#include "bench-xdp.h"

#define FCS_LEN 4
#define MIN_SIZE 64
#define MAX_SIZE 1518
/* Frames per BPF_PROG_TEST_RUN call in --duration mode: long enough to
 * cost nothing, short enough to stop on time. */
#define DURATION_CHUNK 65536

static const uint8_t src_mac[ETH_ALEN] = { 2, 0, 0, 0, 0, 1 };
static const uint8_t dst_mac[ETH_ALEN] = { 2, 0, 0, 0, 0, 2 };
#define IP_SRC 0x0a000001       /* 10.0.0.1, and up with the flows. */
#define IP_DST 0x0a010001       /* 10.1.0.1 */

static void
usage(void)
{
    printf("usage: xvs-bench-gen IFACE [--size BYTES] [--flows N]"
           " [--first-flow F] [--vary-mac] [--loop LOOPIF]\n"
           "                     (--duration SECONDS | --count N"
           " [--burst N] [--gap-us USEC])\n"
           "Sends UDP frames of BYTES (64..1518, FCS included) out of IFACE,\n"
           "cycling through N flows from flow F on, and prints how many it"
           " sent.\n"
           "--vary-mac puts the flow number in the source MAC as well.\n"
           "--loop: where the kernel refuses live XDP frames, generate in a"
           " loop through\n"
           "veth LOOPIF and its peer (--duration only).\n");
}

/* The template frame: SIZE bytes on the wire, SIZE - FCS_LEN in memory. */
static size_t
build_frame(uint8_t *buf, unsigned long size)
{
    size_t len = size - FCS_LEN;
    struct ethhdr *eth = (struct ethhdr *) buf;
    struct iphdr *ip = (struct iphdr *) (eth + 1);
    struct udphdr *udp = (struct udphdr *) (ip + 1);

    memset(buf, 0, len);
    memcpy(eth->h_dest, dst_mac, ETH_ALEN);
    memcpy(eth->h_source, src_mac, ETH_ALEN);
    eth->h_proto = htons(ETH_P_IP);
    ip->version = 4;
    ip->ihl = 5;
    ip->tot_len = htons(len - sizeof *eth);
    ip->ttl = 64;
    ip->protocol = IPPROTO_UDP;
    ip->saddr = htonl(IP_SRC);
    ip->daddr = htonl(IP_DST);
    udp->source = htons(BENCH_UDP_SPORT_BASE);
    udp->dest = htons(BENCH_UDP_DPORT);
    udp->len = htons(len - sizeof *eth - sizeof *ip);
    /* The program fills in both checksums (UDP's as 0, "none"). */
    return len;
}

/* The fallback: an AF_PACKET socket on 'ifindex' and the flow stamping
 * that xvs_gen (bench.bpf.c) does. */
struct socket_gen {
    int fd;
    int ifindex;
    struct bench_gen_config cfg;
    uint64_t count;
};

static void
socket_gen_open(struct socket_gen *g, int ifindex,
                const struct bench_gen_config *cfg)
{
    struct sockaddr_ll sll = {
        .sll_family = AF_PACKET,
        .sll_protocol = htons(ETH_P_ALL),
        .sll_ifindex = ifindex,
    };

    g->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (g->fd < 0 || bind(g->fd, (struct sockaddr *) &sll, sizeof sll)) {
        bench_xdp_fatal("AF_PACKET socket failed: %s", strerror(errno));
    }
    g->ifindex = ifindex;
    g->cfg = *cfg;
    g->count = 0;
}

static uint16_t
ipv4_header_csum(const struct iphdr *ip)
{
    const uint16_t *p = (const uint16_t *) ip;
    uint32_t sum = 0;

    for (size_t i = 0; i < sizeof *ip / 2; i++) {
        sum += p[i];
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return ~sum;
}

#define SOCKET_BATCH 64

/* Sends 'n' copies of 'frame', each stamped with the next flow; returns
 * 0 or a negative errno. */
static int
socket_gen_send(struct socket_gen *g, const uint8_t *frame, size_t len,
                unsigned long n)
{
    static uint8_t bufs[SOCKET_BATCH][MAX_SIZE + 2];
    struct mmsghdr msgs[SOCKET_BATCH];
    struct iovec iovs[SOCKET_BATCH];

    while (n) {
        unsigned int k = n < SOCKET_BATCH ? n : SOCKET_BATCH;
        for (unsigned int i = 0; i < k; i++) {
            uint8_t *b = bufs[i] + 2;
            struct ethhdr *eth = (struct ethhdr *) b;
            struct iphdr *ip = (struct iphdr *) (eth + 1);
            struct udphdr *udp = (struct udphdr *) (ip + 1);
            uint32_t flow = (g->count++ + g->cfg.first_flow) % g->cfg.n_flows;

            memcpy(b, frame, len);
            udp->source = htons(BENCH_UDP_SPORT_BASE + (flow & 0x7fff));
            udp->check = 0;
            ip->saddr = htonl(g->cfg.ip_src + (flow >> 15));
            ip->check = 0;
            ip->check = ipv4_header_csum(ip);
            if (g->cfg.vary_mac) {
                eth->h_source[3] = flow >> 16;
                eth->h_source[4] = flow >> 8;
                eth->h_source[5] = flow;
            }
            iovs[i] = (struct iovec) { b, len };
            msgs[i] = (struct mmsghdr) {
                .msg_hdr = { .msg_iov = &iovs[i], .msg_iovlen = 1 },
            };
        }
        for (unsigned int i = 0; i < k;) {
            int sent = sendmmsg(g->fd, &msgs[i], k - i, 0);
            if (sent < 0 && errno == ENOBUFS) {
                usleep(10);
                continue;
            }
            if (sent < 0 && errno != EINTR) {
                return -errno;
            }
            i += sent > 0 ? sent : 0;
        }
        n -= k;
    }
    return 0;
}

/* Frames seeded into the loop.  Each round of the loop is one NAPI poll
 * of each end, and a veth ring holds 256 frames: 128 keep both polls
 * busy without ever filling a ring (a full ring would lose a frame from
 * the loop for good). */
#define LOOP_SEED 128
/* How long a loop may stand still before it is seeded again. */
#define LOOP_STALL_NS 50000000ull
/* More frames a second than the loop makes on any machine we know of. */
#define LOOP_MAX_RATE 100000000ull

/* The recirculating generator (--loop): the socket that seeds the loop,
 * the generator's maps, and how many times it was seeded. */
struct loop_gen {
    struct socket_gen seed;
    int config_fd;
    int count_fd;
    unsigned long n_seeds;
};

static int
peer_ifindex(const char *ifname)
{
    char path[64 + IF_NAMESIZE];
    unsigned int peer = 0;
    FILE *f;

    snprintf(path, sizeof path, "/sys/class/net/%s/iflink", ifname);
    f = fopen(path, "r");
    if (!f || fscanf(f, "%u", &peer) != 1) {
        bench_xdp_fatal("%s: cannot read its peer's ifindex", ifname);
    }
    fclose(f);
    if ((int) peer == bench_xdp_ifindex(ifname)) {
        bench_xdp_fatal("%s: not a veth with a peer in this namespace",
                        ifname);
    }
    return peer;
}

/* Attaches the loop's programs: xvs_bounce on LOOPIF, xvs_loop on its
 * peer, which sends each frame back into the loop and a copy out of
 * 'ifindex'. */
static void
loop_gen_open(struct loop_gen *lg, struct bpf_object *obj, const char *loopif,
              int ifindex, const struct bench_gen_config *cfg,
              unsigned long duration)
{
    int peer = peer_ifindex(loopif);
    char peer_name[IF_NAMESIZE];
    int ports_fd = bench_xdp_map_fd(obj, "loop_ports");
    uint32_t key = 0, value = peer;

    if (!if_indextoname(peer, peer_name)) {
        bench_xdp_fatal("%s: its peer has no name", loopif);
    }
    /* One copy out of 'ifindex' each time round: more copies per round
     * measured slower here (the clones cost more than the round). */
    if (bpf_map_update_elem(ports_fd, &key, &value, BPF_ANY)
        || (key = 1, value = ifindex,
            bpf_map_update_elem(ports_fd, &key, &value, BPF_ANY))) {
        bench_xdp_fatal("cannot fill the loop's devmap: %s", strerror(errno));
    }
    bench_xdp_attach(obj, "xvs_bounce", loopif);
    bench_xdp_attach(obj, "xvs_loop", peer_name);
    socket_gen_open(&lg->seed, bench_xdp_ifindex(loopif), cfg);
    lg->config_fd = bench_xdp_map_fd(obj, "gen_config");
    /* Should the process die before it stops the loop, the links go and
     * with them the loop; the limit bounds it even so. */
    lg->seed.cfg.limit = (uint64_t) duration * LOOP_MAX_RATE;
    key = 0;
    if (bpf_map_update_elem(lg->config_fd, &key, &lg->seed.cfg, BPF_ANY)) {
        bench_xdp_fatal("cannot configure the generator: %s", strerror(errno));
    }
    lg->count_fd = bench_xdp_map_fd(obj, "gen_count");
}

/* Generates until 'deadline' and stops the loop; returns 0 or a negative
 * errno.  A loop whose count has not moved for LOOP_STALL_NS is seeded
 * again: it lost its frames, or the core did not run it (a busy machine).
 * Frames beyond what the rings hold are dropped, so seeding a loop that
 * only stalled costs nothing. */
static int
loop_gen_run(struct loop_gen *lg, const uint8_t *frame, size_t len,
             uint64_t deadline)
{
    uint64_t last = 0, moved = 0;
    int error = 0;

    while (!error && bench_xdp_now_ns() < deadline) {
        uint64_t count = bench_xdp_percpu_sum(lg->count_fd, 0);
        uint64_t now = bench_xdp_now_ns();
        if (count != last) {
            last = count;
            moved = now;
        } else if (!lg->n_seeds || now - moved >= LOOP_STALL_NS) {
            error = socket_gen_send(&lg->seed, frame, len, LOOP_SEED);
            lg->n_seeds++;
            moved = now;
        }
        usleep(1000);
    }

    struct bench_gen_config cfg = lg->seed.cfg;
    uint32_t key = 0;
    cfg.stop = 1;
    if (bpf_map_update_elem(lg->config_fd, &key, &cfg, BPF_ANY)) {
        return -errno;
    }
    /* The frames still in the loop are dropped on their next round. */
    usleep(10000);
    return error;
}

/* Runs the generator program REPEAT times; returns 0 or a negative errno. */
static int
run(int prog_fd, uint8_t *frame, size_t len, int ifindex, unsigned int repeat,
    unsigned int batch)
{
    struct xdp_md ctx = {
        .data_end = len,
        .ingress_ifindex = ifindex,
    };
    LIBBPF_OPTS(bpf_test_run_opts, opts,
        .data_in = frame,
        .data_size_in = len,
        .ctx_in = &ctx,
        .ctx_size_in = sizeof ctx,
        .repeat = repeat,
        .batch_size = batch,
        .flags = BPF_F_TEST_XDP_LIVE_FRAMES,
    );
    return bpf_prog_test_run_opts(prog_fd, &opts) ? -errno : 0;
}

/* Prints the generator's one line of output: 'stamped' frames sent since
 * 'start' (bench_xdp_now_ns()). */
static void
print_sent(uint64_t stamped, uint64_t start)
{
    double secs = (bench_xdp_now_ns() - start) / 1e9;

    printf("sent %llu packets in %.3f s (%.3f Mpps)\n",
           (unsigned long long) stamped, secs, stamped / secs / 1e6);
}

int
main(int argc, char *argv[])
{
    static const struct option options[] = {
        { "size", required_argument, NULL, 's' },
        { "flows", required_argument, NULL, 'f' },
        { "first-flow", required_argument, NULL, 'F' },
        { "vary-mac", no_argument, NULL, 'm' },
        { "duration", required_argument, NULL, 'd' },
        { "count", required_argument, NULL, 'c' },
        { "burst", required_argument, NULL, 'b' },
        { "gap-us", required_argument, NULL, 'g' },
        { "loop", required_argument, NULL, 'l' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    unsigned long size = MIN_SIZE, flows = 1, first_flow = 0;
    unsigned long duration = 0, count = 0;
    bool vary_mac = false;
    unsigned long burst = 64, gap_us = 0;
    const char *loopif = NULL;
    int c;

    bench_xdp_program_name = "xvs-bench-gen";
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 's':
            size = bench_xdp_parse_ulong("--size", optarg, MIN_SIZE, MAX_SIZE);
            break;
        case 'f':
            flows = bench_xdp_parse_ulong("--flows", optarg, 1, 1u << 24);
            break;
        case 'F':
            first_flow = bench_xdp_parse_ulong("--first-flow", optarg, 0,
                                               (1u << 24) - 1);
            break;
        case 'm':
            vary_mac = true;
            break;
        case 'd':
            duration = bench_xdp_parse_ulong("--duration", optarg, 1, 3600);
            break;
        case 'c':
            count = bench_xdp_parse_ulong("--count", optarg, 1, 1ul << 40);
            break;
        case 'b':
            burst = bench_xdp_parse_ulong("--burst", optarg, 1, 1u << 20);
            break;
        case 'g':
            gap_us = bench_xdp_parse_ulong("--gap-us", optarg, 0, 1000000);
            break;
        case 'l':
            loopif = optarg;
            break;
        case 'h':
            usage();
            return 0;
        default:
            fprintf(stderr, "xvs-bench-gen: try --help\n");
            return 1;
        }
    }
    if (optind != argc - 1) {
        bench_xdp_fatal("exactly one interface needed (try --help)");
    }
    if (!duration == !count) {
        bench_xdp_fatal("give one of --duration and --count");
    }

    const char *ifname = argv[optind];
    int ifindex = bench_xdp_ifindex(ifname);
    struct bpf_object *obj = bench_xdp_load();
    int prog_fd = bench_xdp_prog_fd(obj, "xvs_gen");
    struct bench_gen_config cfg = {
        .n_flows = flows,
        .first_flow = first_flow % flows,
        .ip_src = IP_SRC,
        .vary_mac = vary_mac,
    };
    uint32_t key = 0;
    if (bpf_map_update_elem(bench_xdp_map_fd(obj, "gen_config"), &key, &cfg,
                            BPF_ANY)) {
        bench_xdp_fatal("cannot configure the generator: %s", strerror(errno));
    }

    /* Two bytes ahead of the frame put its IP header on a 4-byte
     * boundary, as struct iphdr wants. */
    static union { uint32_t align; uint8_t bytes[2 + MAX_SIZE]; } storage;
    uint8_t *frame = storage.bytes + 2;
    size_t len = build_frame(frame, size);
    uint64_t sent = 0, start = bench_xdp_now_ns();
    uint64_t deadline = start + duration * 1000000000ull;
    struct socket_gen sg = { .fd = -1 };
    int error = 0;
    error = run(prog_fd, frame, len, ifindex, 1, 1);
    if (error == -EPERM) {
        if (loopif && duration) {
            fprintf(stderr, "xvs-bench-gen: %s: the kernel refuses live XDP "
                    "frames (EPERM): generating in a loop through %s "
                    "instead\n", ifname, loopif);
            struct loop_gen lg = { .n_seeds = 0 };
            loop_gen_open(&lg, obj, loopif, ifindex, &cfg, duration);
            error = loop_gen_run(&lg, frame, len, deadline);
            if (error) {
                bench_xdp_fatal("%s: generating in a loop failed: %s",
                                ifname, strerror(-error));
            }
            print_sent(bench_xdp_percpu_sum(lg.count_fd, 0), start);
            if (lg.n_seeds > 1) {
                fprintf(stderr, "xvs-bench-gen: the loop stood still for "
                        "%llu ms and was seeded again, %lu times\n",
                        LOOP_STALL_NS / 1000000, lg.n_seeds - 1);
            }
            bpf_object__close(obj);
            return 0;
        }
        fprintf(stderr, "xvs-bench-gen: %s: the kernel refuses live XDP "
                "frames (EPERM): sending through an AF_PACKET socket "
                "instead, far slower\n", ifname);
        socket_gen_open(&sg, ifindex, &cfg);
        error = socket_gen_send(&sg, frame, len, 1);
    }
    sent = 1;
    if (duration) {
        while (!error && bench_xdp_now_ns() < deadline) {
            error = (sg.fd >= 0
                     ? socket_gen_send(&sg, frame, len, SOCKET_BATCH * 16)
                     : run(prog_fd, frame, len, ifindex, DURATION_CHUNK, 64));
            sent += error ? 0 : sg.fd >= 0 ? SOCKET_BATCH * 16
                                            : DURATION_CHUNK;
        }
    } else {
        while (!error && sent < count) {
            unsigned int n = count - sent < burst ? count - sent : burst;
            error = (sg.fd >= 0 ? socket_gen_send(&sg, frame, len, n)
                     : run(prog_fd, frame, len, ifindex, n, n < 256 ? n : 256));
            sent += error ? 0 : n;
            if (gap_us && sent < count) {
                usleep(gap_us);
            }
        }
    }
    if (error) {
        bench_xdp_fatal("%s: %s failed: %s", ifname,
                        sg.fd >= 0 ? "sending on an AF_PACKET socket"
                        : "BPF_PROG_TEST_RUN with live frames",
                        strerror(-error));
    }
    /* The program's own count agrees unless it refused a frame. */
    uint64_t stamped = (sg.fd >= 0 ? sg.count
                        : bench_xdp_percpu_sum(bench_xdp_map_fd(obj,
                                                                "gen_count"),
                                               0));
    print_sent(stamped, start);
    bpf_object__close(obj);
    return stamped == sent ? 0 : 1;
}
