/* xvs-bench-fwd: the smallest AF_XDP forwarder, the benchmark's ceiling
 * for any switch built on AF_XDP ports.
 *
 *   xvs-bench-fwd IN-IFACE OUT-IFACE
 *
 * Two AF_XDP sockets (queue 0 of each interface) share one UMEM, so a
 * frame received on IN is transmitted on OUT from the very same UMEM
 * frame: no copy in user space, no parsing, no lookup.  One thread busy
 * polls: rx ring of IN -> tx ring of OUT, completions of OUT -> fill
 * ring of IN.  Whatever an AF_XDP switch does per packet on top of that
 * costs throughput below this figure.
 *
 * It prints "ready" once both sockets are bound, runs until SIGINT or
 * SIGTERM, and then prints how many frames it forwarded and dropped (tx
 * ring full), and the kernel's count of frames it dropped on IN.  On veth, AF_XDP works in copy mode: the kernel copies each
 * frame into the UMEM on receive and out of it on transmit.
 *
 * Not yet: the OUT -> IN direction, several queues, zero copy. */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <linux/if_xdp.h>
#include <xdp/libxdp.h>
#include <xdp/xsk.h>
#include "bench-xdp.h"

#define FRAME_SIZE XSK_UMEM__DEFAULT_FRAME_SIZE
/* Rings deep enough to ride out a few milliseconds without the CPU at
 * 1 Mpps and more: the machines we measure on are shared. */
#define N_FRAMES 8192
#define RING_SIZE 4096
/* Twice the frames: the kernel tells user space late how far it has read
 * the fill ring, so a fill ring just big enough for every frame would
 * look full now and then and stall the forwarder. */
#define FILL_SIZE (2 * N_FRAMES)
#define BATCH 64
/* Copy mode transmits at most this many frames per sendto(). */
#define TX_PER_KICK 32

static volatile sig_atomic_t stop;

static void
on_signal(int signo)
{
    stop = signo;
}

/* The state of the forwarder: the UMEM and, for each side, its socket
 * and rings.  IN's fill and completion rings belong to the UMEM; OUT has
 * its own pair (a UMEM shared across devices needs one per device). */
struct fwd {
    void *area;
    struct xsk_umem *umem;
    struct xsk_ring_prod in_fill;
    struct xsk_ring_cons in_comp;
    struct xsk_ring_cons in_rx;
    struct xsk_socket *in;
    struct xsk_ring_prod out_fill;
    struct xsk_ring_cons out_comp;
    struct xsk_ring_prod out_tx;
    struct xsk_socket *out;
    unsigned long long forwarded, dropped;
};

static void
fwd_open(struct fwd *f, const char *in_name, const char *out_name)
{
    struct xsk_umem_config ucfg = {
        .fill_size = FILL_SIZE,
        .comp_size = RING_SIZE,
        .frame_size = FRAME_SIZE,
        .frame_headroom = XSK_UMEM__DEFAULT_FRAME_HEADROOM,
    };
    /* IN only receives, OUT only transmits: no XDP program on OUT. */
    struct xsk_socket_config rx_cfg = {
        .rx_size = RING_SIZE,
    };
    struct xsk_socket_config tx_cfg = {
        .tx_size = RING_SIZE,
        .libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
    };
    int error;

    f->area = mmap(NULL, (size_t) N_FRAMES * FRAME_SIZE,
                   PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (f->area == MAP_FAILED) {
        bench_xdp_fatal("cannot map the UMEM: %s", strerror(errno));
    }
    error = xsk_umem__create(&f->umem, f->area, (size_t) N_FRAMES * FRAME_SIZE,
                             &f->in_fill, &f->in_comp, &ucfg);
    if (error) {
        bench_xdp_fatal("cannot create the UMEM: %s", strerror(-error));
    }
    error = xsk_socket__create(&f->in, in_name, 0, f->umem, &f->in_rx, NULL,
                               &rx_cfg);
    if (error) {
        bench_xdp_fatal("%s: cannot open an AF_XDP socket: %s", in_name,
                        strerror(-error));
    }
    error = xsk_socket__create_shared(&f->out, out_name, 0, f->umem, NULL,
                                      &f->out_tx, &f->out_fill, &f->out_comp,
                                      &tx_cfg);
    if (error) {
        bench_xdp_fatal("%s: cannot open an AF_XDP socket on the shared UMEM:"
                        " %s", out_name, strerror(-error));
    }

    /* Every frame starts in IN's fill ring. */
    uint32_t idx;
    unsigned int n = xsk_ring_prod__reserve(&f->in_fill, N_FRAMES, &idx);
    for (unsigned int i = 0; i < n; i++) {
        *xsk_ring_prod__fill_addr(&f->in_fill, idx + i) =
            (uint64_t) i * FRAME_SIZE;
    }
    xsk_ring_prod__submit(&f->in_fill, n);
}

/* Gives N frame addresses back to IN's fill ring, which always has room
 * for every frame (FILL_SIZE). */
static void
refill(struct fwd *f, const uint64_t *addrs, unsigned int n)
{
    uint32_t idx;

    if (xsk_ring_prod__reserve(&f->in_fill, n, &idx) != n) {
        bench_xdp_fatal("the fill ring is full: frames leaked");
    }
    for (unsigned int i = 0; i < n; i++) {
        *xsk_ring_prod__fill_addr(&f->in_fill, idx + i) = addrs[i];
    }
    xsk_ring_prod__submit(&f->in_fill, n);
}

static void
fwd_poll(struct fwd *f)
{
    uint64_t addrs[BATCH];
    uint32_t rx_idx, tx_idx = 0, comp_idx;

    /* Completed transmissions: their frames go back to IN's fill ring. */
    unsigned int n = xsk_ring_cons__peek(&f->out_comp, BATCH, &comp_idx);
    for (unsigned int i = 0; i < n; i++) {
        addrs[i] = *xsk_ring_cons__comp_addr(&f->out_comp, comp_idx + i)
                   & ~(uint64_t) (FRAME_SIZE - 1);
    }
    xsk_ring_cons__release(&f->out_comp, n);
    if (n) {
        refill(f, addrs, n);
    }

    n = xsk_ring_cons__peek(&f->in_rx, BATCH, &rx_idx);
    if (!n) {
        if (xsk_ring_prod__needs_wakeup(&f->in_fill)) {
            recvfrom(xsk_socket__fd(f->in), NULL, 0, MSG_DONTWAIT, NULL, NULL);
        }
        return;
    }
    unsigned int n_tx = xsk_ring_prod__reserve(&f->out_tx, n, &tx_idx);
    for (unsigned int i = 0; i < n; i++) {
        const struct xdp_desc *rx = xsk_ring_cons__rx_desc(&f->in_rx,
                                                           rx_idx + i);
        if (i < n_tx) {
            struct xdp_desc *tx = xsk_ring_prod__tx_desc(&f->out_tx,
                                                         tx_idx + i);
            tx->addr = rx->addr;
            tx->len = rx->len;
            tx->options = 0;
        } else {
            addrs[i - n_tx] = rx->addr & ~(uint64_t) (FRAME_SIZE - 1);
        }
    }
    xsk_ring_cons__release(&f->in_rx, n);
    xsk_ring_prod__submit(&f->out_tx, n_tx);
    f->forwarded += n_tx;
    if (n_tx < n) {
        f->dropped += n - n_tx;
        refill(f, addrs, n - n_tx);
    }
    /* Copy mode transmits only when asked, a few frames at a time. */
    for (unsigned int i = 0; i < n_tx; i += TX_PER_KICK) {
        if (sendto(xsk_socket__fd(f->out), NULL, 0, MSG_DONTWAIT, NULL, 0) < 0
            && errno != EAGAIN && errno != EBUSY && errno != ENOBUFS) {
            bench_xdp_fatal("transmit: %s", strerror(errno));
        }
    }
}

int
main(int argc, char *argv[])
{
    struct fwd f;

    bench_xdp_program_name = "xvs-bench-fwd";
    if (argc != 3) {
        fprintf(stderr, "usage: xvs-bench-fwd IN-IFACE OUT-IFACE\n");
        return 1;
    }
    memset(&f, 0, sizeof f);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    fwd_open(&f, argv[1], argv[2]);
    printf("ready\n");
    fflush(stdout);
    while (!stop) {
        fwd_poll(&f);
    }
    /* The kernel's side of the story: frames it could not hand over. */
    struct xdp_statistics st;
    socklen_t len = sizeof st;
    memset(&st, 0, sizeof st);
    getsockopt(xsk_socket__fd(f.in), SOL_XDP, XDP_STATISTICS, &st, &len);
    printf("forwarded %llu dropped %llu; %s rx_dropped %llu rx_ring_full %llu"
           " fill_ring_empty %llu\n", f.forwarded, f.dropped, argv[1],
           (unsigned long long) st.rx_dropped,
           (unsigned long long) st.rx_ring_full,
           (unsigned long long) st.rx_fill_ring_empty_descs);
    xsk_socket__delete(f.out);
    xsk_socket__delete(f.in);
    xsk_umem__delete(f.umem);
    munmap(f.area, (size_t) N_FRAMES * FRAME_SIZE);
    return 0;
}
