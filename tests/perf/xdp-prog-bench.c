/* xdp-prog-bench: what the XDP offload program (datapath/dp-xdp.bpf.c)
 * costs per frame, measured by the kernel with BPF_PROG_TEST_RUN.
 *
 * Usage: xdp-prog-bench [--quick]   (root: it loads a BPF program)
 *
 * Loads the program the switch embeds (not attached to any device), fills
 * its maps as dp-xdp.c would for a few megaflows, and runs it on one
 * frame over and over; each line gives the mean time per run and the
 * verdict.  Scenarios:
 *   - "forward, 1 mask": a 60-byte UDP frame, one entry under an
 *     in_port-only mask, output (XDP_TX: the output port is the
 *     receiving one), with the kernel's repeat loop;
 *   - "forward, 2 masks": the same entry under the second of two masks
 *     (the lookup goes through bpf_loop() and misses under the first);
 *   - "decapsulate": a Geneve frame with OVN's option whose tnl_pop entry
 *     pops it and whose inner frame's entry (in_port the tunnel port,
 *     tun_id and the option matched) outputs it.  Popping moves the
 *     frame's start, which the repeat loop does not undo, so these runs
 *     are one per system call; so is the "forward, 1 mask, single" line
 *     printed beside it, whose difference to the repeated figure is the
 *     system call's share, and the line "decapsulate, less that share";
 *   - "encapsulate": the UDP frame's entry pushes a VXLAN header whose
 *     outer frame's entry (in_port the underlay bridge's internal port)
 *     outputs it; one run per call as well.  The first run's frame is
 *     checked byte by byte against what user space would send: the
 *     header, the lengths, a valid IPv4 checksum and the UDP source port
 *     tnl_flow_hash() gives the inner frame.
 * A run whose verdict or counts are not those of the path it is meant to
 * take makes the program fail: the figures are of the path they name.
 *
 * xvs-bench measures forwarding through devices; this measures the
 * program alone, which is what decides where the in-kernel path's limit
 * is on a machine whose traffic generator is not the bottleneck. */
#include <config.h>

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "datapath/dp-xdp-maps.h"
#include "datapath/tnl-header.h"

extern const unsigned char dp_xdp_obj[];
extern const size_t dp_xdp_obj_size;

struct maps {
    int flows, masks, config, tnl_ports, tnl_push;
};

static void
fail(const char *what)
{
    fprintf(stderr, "xdp-prog-bench: %s (%s)\n", what, strerror(errno));
    exit(1);
}

static int
map_fd(struct bpf_object *obj, const char *name)
{
    int fd = bpf_object__find_map_fd_by_name(obj, name);
    if (fd < 0) {
        fail(name);
    }
    return fd;
}

static void
put_config(const struct maps *m, uint32_t n_masks, uint32_t tnl_kinds)
{
    uint32_t zero = 0;
    struct xvs_xdp_config cfg = { .n_masks = n_masks,
                                  .tnl_kinds = tnl_kinds };
    if (bpf_map_update_elem(m->config, &zero, &cfg, BPF_ANY)) {
        fail("config");
    }
}

static void
put_mask(const struct maps *m, uint32_t slot, const struct xvs_xdp_key *mask)
{
    struct xvs_xdp_mask v = { .used = 1, .n_words = xvs_xdp_mask_words(mask),
                              .mask = *mask };
    if (bpf_map_update_elem(m->masks, &slot, &v, BPF_ANY)) {
        fail("mask");
    }
}

/* An entry for 'key' (already masked) under mask 'slot'. */
static uint64_t
put_flow(const struct maps *m, uint32_t slot, const struct xvs_xdp_key *mask,
         const struct xvs_xdp_key *key, const struct xvs_xdp_action *act)
{
    struct xvs_xdp_flow f;
    memset(&f, 0, sizeof f);
    f.key.mask_id = slot;
    f.key.masked = *key;
    f.n_actions = 1;
    f.actions[0] = *act;
    uint64_t digest = xvs_xdp_digest(&f.key, xvs_xdp_mask_words(mask));
    if (bpf_map_update_elem(m->flows, &digest, &f, BPF_ANY)) {
        fail("flow");
    }
    return digest;
}

static uint64_t
flow_packets(const struct maps *m, uint64_t digest)
{
    struct xvs_xdp_flow f;
    if (bpf_map_lookup_elem(m->flows, &digest, &f)) {
        fail("flow read");
    }
    return f.n_packets;
}

static void
clear_flows(const struct maps *m)
{
    uint64_t key;
    while (!bpf_map_get_next_key(m->flows, NULL, &key)) {
        bpf_map_delete_elem(m->flows, &key);
    }
}

static uint16_t
ip_csum(const uint8_t *p, size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i < n; i += 2) {
        s += p[i] << 8 | p[i + 1];
    }
    while (s >> 16) {
        s = (s & 0xffff) + (s >> 16);
    }
    return ~s & 0xffff;
}

/* An IPv4 header at 'ip' (zeroed): 'tot_len' bytes of UDP from 'src'
 * to 'dst' (host order), TTL 64, DF if 'df', the checksum over it. */
static void
ipv4_header(uint8_t *ip, size_t tot_len, uint32_t src, uint32_t dst,
            bool df)
{
    ip[0] = 0x45;
    ip[2] = tot_len >> 8;
    ip[3] = tot_len;
    ip[6] = df ? 0x40 : 0;
    ip[8] = 64;
    ip[9] = 17;
    uint32_t a[2] = { htonl(src), htonl(dst) };
    memcpy(ip + 12, a, 8);
    uint16_t c = ip_csum(ip, 20);
    ip[10] = c >> 8;
    ip[11] = c;
}

/* Ethernet, IPv4 10.0.0.2 -> 10.0.0.1, UDP 1024 -> 9, zero payload up to
 * 60 bytes, at 'p'; returns its length. */
static size_t
udp_frame(uint8_t *p)
{
    memset(p, 0, 60);
    memset(p, 0x02, 12);
    p[12] = 0x08;
    uint8_t *ip = p + 14;
    ipv4_header(ip, 46, 0x0a000002, 0x0a000001, false);
    uint8_t *udp = ip + 20;
    udp[0] = 1024 >> 8;
    udp[3] = 9;
    udp[5] = 26;
    return 60;
}

/* The frame above inside Geneve (VNI 5, OVN's option 0x00010002) over
 * IPv4 192.168.50.2 -> 192.168.50.1, UDP to 6081 without a checksum. */
static size_t
geneve_frame(uint8_t *p)
{
    const size_t inner_len = 60, hdr = 14 + 20 + 8 + 8 + 8;
    size_t tot = hdr - 14 + inner_len;

    memset(p, 0, hdr);
    memset(p, 0x04, 12);
    p[12] = 0x08;
    uint8_t *ip = p + 14;
    ipv4_header(ip, tot, 0xc0a83202, 0xc0a83201, false);
    uint8_t *udp = ip + 20;
    udp[0] = 0x80;
    udp[2] = 6081 >> 8;
    udp[3] = 6081 & 0xff;
    udp[4] = (tot - 20) >> 8;
    udp[5] = tot - 20;
    uint8_t *g = udp + 8;
    g[0] = 2;                   /* Two words of options. */
    g[2] = 0x65;
    g[3] = 0x58;
    g[6] = 5;
    uint8_t *o = g + 8;
    memcpy(o, (uint8_t[]) { 0x01, 0x02, 0x80, 1, 0, 1, 0, 2 }, 8);
    udp_frame(p + hdr);
    return hdr + inner_len;
}

/* A VXLAN header (VNI 5) from 192.168.50.1 to 192.168.50.2 as
 * port-tunnel.c gives it to the program, for an outer frame entering
 * through internal port 'in_port'. */
static void
vxlan_push(struct xvs_xdp_tnl_push *h, uint32_t in_port)
{
    memset(h, 0, sizeof *h);
    uint8_t *p = h->hdr;
    memset(p, 0x06, 6);
    memset(p + 6, 0x08, 6);
    p[12] = 0x08;
    uint8_t *ip = p + 14;
    /* The lengths are the program's to fill in. */
    ipv4_header(ip, 0, 0xc0a83201, 0xc0a83202, true);
    uint8_t *udp = ip + 20;
    udp[2] = 4789 >> 8;
    udp[3] = 4789 & 0xff;
    uint8_t *vx = udp + 8;
    vx[0] = 0x08;
    vx[6] = 5;
    h->len = 50;
    h->mtu = 1500;
    h->src_port_min = 32768;
    h->src_port_range = 61000 - 32768 + 1;
    h->outer.ifindex = in_port;
}

/* Runs the program once on the 'len'-byte 'frame' that 'h' encapsulates
 * and fails unless the result is the frame user space would send. */
static void
check_encap(int prog, const uint8_t *frame, size_t len,
            const struct xvs_xdp_tnl_push *h)
{
    uint8_t out[512];
    struct xdp_md ctx = { .data_end = len, .ingress_ifindex = 1 };
    LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame,
                .data_size_in = len, .data_out = out,
                .data_size_out = sizeof out, .ctx_in = &ctx,
                .ctx_size_in = sizeof ctx);
    if (bpf_prog_test_run_opts(prog, &o)) {
        fail("BPF_PROG_TEST_RUN");
    }
    uint8_t want[512];
    memcpy(want, h->hdr, h->len);
    memcpy(want + h->len, frame, len);
    size_t ip_len = h->len - 14 + len, udp_len = ip_len - 20;
    uint16_t sport = h->src_port_min
                     + tnl_flow_hash(frame, len) % h->src_port_range;
    want[16] = ip_len >> 8;
    want[17] = ip_len;
    want[18] = out[18];         /* The identification: any. */
    want[19] = out[19];
    want[24] = out[24];         /* The checksum, checked below. */
    want[25] = out[25];
    want[34] = sport >> 8;
    want[35] = sport;
    want[38] = udp_len >> 8;
    want[39] = udp_len;
    if (o.retval != XDP_TX || o.data_size_out != h->len + len
        || memcmp(out, want, h->len + len) || ip_csum(out + 14, 20)) {
        fprintf(stderr, "xdp-prog-bench: the encapsulated frame is not "
                "the one user space would send\n");
        exit(1);
    }
}

/* Mean ns per run of 'n' runs, with the kernel repeating ('repeat') or
 * one run per call; the verdict in '*retval'. */
static double
time_runs(int prog, uint8_t *frame, size_t len, unsigned long n, bool repeat,
          uint32_t *retval)
{
    struct xdp_md ctx = { .data_end = len, .ingress_ifindex = 1 };
    unsigned long calls = repeat ? 1 : n;
    double total = 0;

    for (unsigned long i = 0; i < calls; i++) {
        LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame,
                    .data_size_in = len, .ctx_in = &ctx,
                    .ctx_size_in = sizeof ctx, .repeat = repeat ? n : 1);
        if (bpf_prog_test_run_opts(prog, &o)) {
            fail("BPF_PROG_TEST_RUN");
        }
        total += repeat ? (double) o.duration * n : o.duration;
        *retval = o.retval;
    }
    return total / n;
}

static const char *
verdict(uint32_t v)
{
    return (v == XDP_TX ? "XDP_TX" : v == XDP_PASS ? "XDP_PASS"
            : v == XDP_REDIRECT ? "XDP_REDIRECT" : v == XDP_DROP ? "XDP_DROP"
            : "other");
}

static void
report(const char *name, double ns, uint32_t v, uint32_t want)
{
    printf("%-40s %7.1f ns/frame  %s\n", name, ns, verdict(v));
    if (v != want) {
        fprintf(stderr, "xdp-prog-bench: %s: verdict %s (%u), not %s\n",
                name, verdict(v), v, verdict(want));
        exit(1);
    }
}

int
main(int argc, char *argv[])
{
    bool quick = argc > 1 && !strcmp(argv[1], "--quick");
    unsigned long n_repeat = quick ? 100000 : 2000000;
    unsigned long n_single = quick ? 20000 : 200000;

    if (argc > 2 || (argc == 2 && !quick)) {
        fprintf(stderr, "usage: xdp-prog-bench [--quick]\n");
        return 2;
    }
    libbpf_set_print(NULL);
    struct bpf_object *obj = bpf_object__open_mem(dp_xdp_obj,
                                                  dp_xdp_obj_size, NULL);
    if (!obj || bpf_object__load(obj)) {
        fail("cannot load the offload program");
    }
    int prog = bpf_program__fd(bpf_object__find_program_by_name(obj,
                                                                "xvs_xdp"));
    struct maps m = {
        map_fd(obj, "xvs_flows"), map_fd(obj, "xvs_masks"),
        map_fd(obj, "xvs_config"), map_fd(obj, "xvs_tnl_ports"),
        map_fd(obj, "xvs_tnl_push"),
    };
    uint8_t frame[256];
    uint32_t v;

    /* Forwarding: in_port 1 -> output 1 (XDP_TX). */
    struct xvs_xdp_key in_port_mask = { .ifindex = UINT32_MAX };
    struct xvs_xdp_key other_mask = { .ifindex = UINT32_MAX,
                                      .dl_type = UINT16_MAX };
    struct xvs_xdp_key key = { .ifindex = 1 };
    struct xvs_xdp_action out = { .type = XDP_ACT_OUTPUT, .arg = 1 };
    size_t len = udp_frame(frame);

    put_config(&m, 1, 0);
    put_mask(&m, 0, &in_port_mask);
    put_flow(&m, 0, &in_port_mask, &key, &out);
    double ns = time_runs(prog, frame, len, n_repeat, true, &v);
    report("forward, 1 mask", ns, v, XDP_TX);
    double single = time_runs(prog, frame, len, n_single, false, &v);
    report("forward, 1 mask, single", single, v, XDP_TX);
    double overhead = single - time_runs(prog, frame, len, n_repeat, true,
                                         &v);

    clear_flows(&m);
    put_config(&m, 2, 0);
    put_mask(&m, 0, &other_mask);
    put_mask(&m, 1, &in_port_mask);
    uint64_t fwd = put_flow(&m, 1, &in_port_mask, &key, &out);
    ns = time_runs(prog, frame, len, n_repeat, true, &v);
    report("forward, 2 masks", ns, v, XDP_TX);
    if (flow_packets(&m, fwd) != n_repeat) {
        fprintf(stderr, "xdp-prog-bench: the entry under the second mask "
                "did not count every frame\n");
        return 1;
    }

    /* Decapsulation: tnl_pop under the in_port mask, the inner frame's
     * entry under a mask of in_port, tun_id and tun_metadata0. */
    clear_flows(&m);
    uint32_t port = XDP_VPORT_ID_BASE;
    struct xvs_xdp_tnl_port_key pk = {
        .key = htobe64(5), .remote = htonl(0xc0a83202),
        .udp_port = htons(6081), .type = XDP_TNL_GENEVE,
        .fixed = XDP_TNL_FIXED_REMOTE | XDP_TNL_FIXED_KEY,
    };
    struct xvs_xdp_tnl_port tp = {
        .id = port, .n_opts = 1,
        .opts = { { .opt_class = htons(0x102), .type = 0x80, .len = 4 } },
    };
    if (bpf_map_update_elem(m.tnl_ports, &pk, &tp, BPF_ANY)) {
        fail("tunnel map");
    }
    put_config(&m, 2, 1u << pk.fixed);
    struct xvs_xdp_key inner_mask = { .ifindex = UINT32_MAX,
                                      .tun_id = UINT64_MAX,
                                      .tun_md_present = 1 };
    memset(inner_mask.tun_md, 0xff, 4);
    struct xvs_xdp_key inner = { .ifindex = port, .tun_id = htobe64(5),
                                 .tun_md_present = 1 };
    memcpy(inner.tun_md, (uint8_t[]) { 0, 1, 0, 2 }, 4);
    struct xvs_xdp_action pop = { .type = XDP_ACT_TNL_POP,
                                  .arg = XDP_TNL_GENEVE };
    put_mask(&m, 0, &in_port_mask);
    put_mask(&m, 1, &inner_mask);
    uint64_t outer_flow = put_flow(&m, 0, &in_port_mask, &key, &pop);
    uint64_t inner_flow = put_flow(&m, 1, &inner_mask, &inner, &out);
    len = geneve_frame(frame);
    double decap = time_runs(prog, frame, len, n_single, false, &v);
    report("decapsulate, single", decap, v, XDP_TX);
    if (flow_packets(&m, outer_flow) != n_single
        || flow_packets(&m, inner_flow) != n_single) {
        fprintf(stderr, "xdp-prog-bench: the tunnel entries did not count "
                "every frame\n");
        return 1;
    }
    printf("%-40s %7.1f ns/frame\n", "decapsulate, less the call's share",
           decap - overhead);

    /* Encapsulation: both entries under the in_port mask. */
    clear_flows(&m);
    put_config(&m, 1, 0);
    put_mask(&m, 0, &in_port_mask);
    uint32_t local = XDP_VPORT_ID_BASE | XDP_VPORT_INTERNAL;
    struct xvs_xdp_tnl_push h;
    vxlan_push(&h, local);
    uint32_t zero = 0;
    if (bpf_map_update_elem(m.tnl_push, &zero, &h, BPF_ANY)) {
        fail("tunnel header map");
    }
    struct xvs_xdp_action push = { .type = XDP_ACT_TNL_PUSH, .arg = 0 };
    struct xvs_xdp_key local_key = { .ifindex = local };
    uint64_t push_flow = put_flow(&m, 0, &in_port_mask, &key, &push);
    uint64_t underlay_flow = put_flow(&m, 0, &in_port_mask, &local_key,
                                      &out);
    len = udp_frame(frame);
    check_encap(prog, frame, len, &h);
    double encap = time_runs(prog, frame, len, n_single, false, &v);
    report("encapsulate, single", encap, v, XDP_TX);
    if (flow_packets(&m, push_flow) != n_single + 1
        || flow_packets(&m, underlay_flow) != n_single + 1) {
        fprintf(stderr, "xdp-prog-bench: the encapsulation's entries did "
                "not count every frame\n");
        return 1;
    }
    printf("%-40s %7.1f ns/frame\n", "encapsulate, less the call's share",
           encap - overhead);
    bpf_object__close(obj);
    return 0;
}
