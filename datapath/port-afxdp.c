/* port-afxdp: an existing interface through an AF_XDP socket (libxdp).
 *
 * options:n_rxq (default 1) sockets, socket Q bound to the device's queue
 * Q, each with its own UMEM (sharing one would need a lock or per-queue
 * fill/completion rings, and gains nothing in copy mode).  It is a "pmd"
 * type: PMD threads poll socket Q as rx queue Q and transmit on socket Q
 * as tx queue Q (dp-pmd.h).  Each UMEM's frames are split
 * in two halves: the first half circulates between the fill ring, the
 * kernel and the rx ring; the second half is a stack of free transmit
 * frames that the completion ring gives back.  Frames are copied into
 * and out of 'struct dp_packet's: this is copy mode anyway on veth, and it
 * keeps UMEM ownership local to this file.
 *
 * Attach mode, options:xdp-mode: "native" (driver XDP), "generic" (SKB
 * mode), or "best-effort" (the default: native, then generic).  libxdp
 * installs its default redirect program; its multi-program dispatcher may
 * fail on some kernels and it then falls back to a single program, which
 * is fine for us.  libxdp/libbpf messages go to this module's debug log.
 * bpffs is mounted at /sys/fs/bpf first if it is not there.
 *
 * XDP offload (dp-xdp.h), unless options:xdp-offload=false: the device
 * runs the project's XDP program instead of libxdp's, attached in the
 * mode xdp-mode asks for, and the sockets are created without a program
 * of their own and put in that program's socket map.  If the program
 * cannot be loaded or attached, the port says so in the log and works
 * as without offload.
 *
 * Rings use need_wakeup: the fill ring's recvfrom() and the tx ring's
 * sendto() happen only when the kernel asks.
 *
 * Not yet: n_rxq must cover every queue that gets traffic (on a
 * multi-queue NIC, set "ethtool -L IF combined N" to match, or traffic on
 * other queues goes to the kernel stack), zero copy, frames longer than
 * one UMEM frame (4096 bytes). */
#include <config.h>
#include "port-provider.h"

#include <errno.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>
#include <xdp/xsk.h>
#include "dp-xdp.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(port_afxdp);

#define FRAME_SIZE XSK_UMEM__DEFAULT_FRAME_SIZE
#define N_RX_FRAMES 1024
#define N_TX_FRAMES 1024
#define N_FRAMES (N_RX_FRAMES + N_TX_FRAMES)
#define RING_SIZE 1024
#define BPF_FS_MAGIC_ 0xcafe4a11

struct afxdp_queue {
    void *buffer;
    struct xsk_umem *umem;
    struct xsk_socket *xsk;
    struct xsk_ring_prod fill;
    struct xsk_ring_cons comp;
    struct xsk_ring_cons rx;
    struct xsk_ring_prod tx;
    uint64_t free_tx[N_TX_FRAMES];  /* Stack of free transmit frames. */
    unsigned int n_free_tx;
};

struct afxdp_port {
    unsigned int n;
    struct afxdp_queue *qs[DP_MAX_RXQ];
    struct dp_xdp_prog *xdp;    /* The offload program, or NULL. */
};

enum xdp_mode { MODE_NATIVE, MODE_GENERIC, MODE_BEST_EFFORT };

static int
print_to_vlog(enum libbpf_print_level level XVS_UNUSED, const char *fmt,
              va_list args)
{
    char *msg = xvasprintf(fmt, args);
    size_t len = strlen(msg);

    if (len && msg[len - 1] == '\n') {
        msg[len - 1] = '\0';
    }
    VLOG_DBG("%s", msg);
    free(msg);
    return 0;
}

static int
print_to_vlog_xdp(enum libxdp_print_level level XVS_UNUSED, const char *fmt,
                  va_list args)
{
    return print_to_vlog(LIBBPF_DEBUG, fmt, args);
}

static void
afxdp_init_once(void)
{
    static bool done;
    struct rlimit r = { RLIM_INFINITY, RLIM_INFINITY };
    struct statfs st;

    if (done) {
        return;
    }
    done = true;
    libbpf_set_print(print_to_vlog);
    libxdp_set_print(print_to_vlog_xdp);
    /* Old kernels charge BPF maps and UMEMs to RLIMIT_MEMLOCK. */
    setrlimit(RLIMIT_MEMLOCK, &r);
    if (statfs("/sys/fs/bpf", &st) || st.f_type != BPF_FS_MAGIC_) {
        if (mount("bpf", "/sys/fs/bpf", "bpf", 0, NULL)) {
            VLOG_WARN("mounting bpffs on /sys/fs/bpf failed (%s)",
                      strerror(errno));
        } else {
            VLOG_INFO("mounted bpffs on /sys/fs/bpf");
        }
    }
}

static void
queue_destroy(struct afxdp_queue *ap)
{
    if (ap->xsk) {
        xsk_socket__delete(ap->xsk);
    }
    if (ap->umem) {
        xsk_umem__delete(ap->umem);
    }
    if (ap->buffer) {
        munmap(ap->buffer, (size_t) N_FRAMES * FRAME_SIZE);
    }
    free(ap);
}

/* Creates the UMEM and the socket in one XDP mode; on failure leaves 'ap'
 * with neither so another mode can be tried. */
static int
try_mode(struct afxdp_queue *ap, const char *name, unsigned int qid,
         uint32_t xdp_flags, uint32_t libxdp_flags)
{
    struct xsk_umem_config ucfg = {
        .fill_size = RING_SIZE,
        .comp_size = RING_SIZE,
        .frame_size = FRAME_SIZE,
        .frame_headroom = 0,
    };
    struct xsk_socket_config scfg = {
        .rx_size = RING_SIZE,
        .tx_size = RING_SIZE,
        .xdp_flags = xdp_flags,
        .libxdp_flags = libxdp_flags,
        .bind_flags = XDP_COPY | XDP_USE_NEED_WAKEUP,
    };
    int error;

    error = xsk_umem__create(&ap->umem, ap->buffer,
                             (uint64_t) N_FRAMES * FRAME_SIZE,
                             &ap->fill, &ap->comp, &ucfg);
    if (error) {
        ap->umem = NULL;
        return error;
    }
    error = xsk_socket__create(&ap->xsk, name, qid, ap->umem,
                               &ap->rx, &ap->tx, &scfg);
    if (error) {
        ap->xsk = NULL;
        xsk_umem__delete(ap->umem);
        ap->umem = NULL;
    }
    return error;
}

static void
fill_all(struct afxdp_queue *ap)
{
    uint32_t idx;
    unsigned int n = xsk_ring_prod__reserve(&ap->fill, N_RX_FRAMES, &idx);

    for (unsigned int i = 0; i < n; i++) {
        *xsk_ring_prod__fill_addr(&ap->fill, idx + i) =
            (uint64_t) i * FRAME_SIZE;
    }
    xsk_ring_prod__submit(&ap->fill, n);
    for (unsigned int i = 0; i < N_TX_FRAMES; i++) {
        ap->free_tx[i] = (uint64_t) (N_RX_FRAMES + i) * FRAME_SIZE;
    }
    ap->n_free_tx = N_TX_FRAMES;
}

static struct afxdp_queue *
queue_alloc(const char *name)
{
    struct afxdp_queue *ap = xzalloc(sizeof *ap);

    ap->buffer = mmap(NULL, (size_t) N_FRAMES * FRAME_SIZE,
                      PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (ap->buffer == MAP_FAILED) {
        int error = errno;
        ap->buffer = NULL;
        queue_destroy(ap);
        VLOG_WARN("%s: cannot allocate UMEM (%s)", name, strerror(error));
        errno = error;
        return NULL;
    }
    return ap;
}

/* Opens the socket of queue 'qid' for the offload program, whose socket
 * map is 'xsks_fd'. */
static int
queue_open_offloaded(const char *name, unsigned int qid, int xsks_fd,
                     struct afxdp_queue **apq)
{
    struct afxdp_queue *ap = queue_alloc(name);
    if (!ap) {
        return -errno;
    }
    int error;
    /* A socket of this queue closed just before (the port re-added) may
     * hold it for a moment: the kernel releases it asynchronously. */
    for (int i = 0; ; i++) {
        error = try_mode(ap, name, qid, 0,
                         XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD);
        if (error != -EBUSY || i >= 40) {
            break;
        }
        usleep(25 * 1000);
    }
    if (!error) {
        error = xsk_socket__update_xskmap(ap->xsk, xsks_fd);
    }
    if (error) {
        VLOG_WARN("%s: AF_XDP socket on queue %u for the offload program "
                  "failed (%s)", name, qid, strerror(-error));
        queue_destroy(ap);
        return error;
    }
    VLOG_INFO("%s: AF_XDP socket on queue %u behind the offload program, "
              "copy", name, qid);
    fill_all(ap);
    *apq = ap;
    return 0;
}

/* Opens the socket of queue 'qid' in '*mode' (best effort settles it to
 * the mode that worked, for the other queues). */
static int
queue_open(const char *name, unsigned int qid, enum xdp_mode *mode,
           struct afxdp_queue **apq)
{
    struct afxdp_queue *ap = queue_alloc(name);
    int error;

    if (!ap) {
        return -errno;
    }
    error = -EINVAL;
    if (*mode != MODE_GENERIC) {
        error = try_mode(ap, name, qid, XDP_FLAGS_DRV_MODE, 0);
        if (error) {
            VLOG_INFO("%s: AF_XDP in native mode failed on queue %u (%s)%s",
                      name, qid, strerror(-error),
                      *mode == MODE_BEST_EFFORT
                      ? ", trying generic mode" : "");
        } else {
            VLOG_INFO("%s: AF_XDP socket on queue %u in native mode, copy",
                      name, qid);
            *mode = MODE_NATIVE;
        }
    }
    if (error && *mode != MODE_NATIVE) {
        /* The kernel releases the failed native attempt's binding to the
         * queue asynchronously, so binding again can briefly be -EBUSY. */
        for (int i = 0; ; i++) {
            error = try_mode(ap, name, qid, XDP_FLAGS_SKB_MODE, 0);
            if (error != -EBUSY || *mode == MODE_GENERIC || i >= 40) {
                break;
            }
            usleep(25 * 1000);
        }
        if (!error) {
            VLOG_INFO("%s: AF_XDP socket on queue %u in generic mode, copy",
                      name, qid);
            *mode = MODE_GENERIC;
        }
    }
    if (error) {
        if (qid) {
            VLOG_ERR("%s: AF_XDP cannot work on queue %u of this device "
                     "(%s)", name, qid, strerror(-error));
        } else {
            VLOG_ERR("%s: AF_XDP cannot work on this device (%s); "
                     "use a \"system\" port instead", name,
                     strerror(-error));
        }
        queue_destroy(ap);
        return error;
    }
    fill_all(ap);
    *apq = ap;
    return 0;
}

static void
afxdp_close(void *state)
{
    struct afxdp_port *port = state;
    dp_xdp_prog_detach(port->xdp);
    for (unsigned int i = 0; i < port->n; i++) {
        queue_destroy(port->qs[i]);
    }
    free(port);
}

/* Opens the port behind the offload program; false (with nothing left
 * open) if that cannot be done. */
static bool
open_offloaded(const char *name, enum xdp_mode mode, int n_rxq,
               struct afxdp_port **portp)
{
    struct afxdp_port *port = xzalloc(sizeof *port);
    int xsks_fd;

    if (dp_xdp_prog_attach(name, mode == MODE_GENERIC,
                           mode == MODE_BEST_EFFORT, &port->xdp, &xsks_fd)) {
        free(port);
        return false;
    }
    for (int q = 0; q < n_rxq; q++) {
        if (queue_open_offloaded(name, q, xsks_fd, &port->qs[q])) {
            afxdp_close(port);
            return false;
        }
        port->n++;
    }
    *portp = port;
    return true;
}

static int
afxdp_open(const char *name, const struct dp_option *options, size_t n,
           void **statep, int *fdp)
{
    const char *mode_s = dp_option_find(options, n, "xdp-mode");
    const char *offload_s = dp_option_find(options, n, "xdp-offload");
    enum xdp_mode mode = MODE_BEST_EFFORT;
    int n_rxq = dp_option_n_rxq(name, options, n);
    int error;

    if (n_rxq < 0) {
        return n_rxq;
    }
    if (!mode_s || !strcmp(mode_s, "best-effort")) {
        mode = MODE_BEST_EFFORT;
    } else if (!strcmp(mode_s, "native")
               || !strcmp(mode_s, "native-with-zerocopy")) {
        mode = MODE_NATIVE;
    } else if (!strcmp(mode_s, "generic")) {
        mode = MODE_GENERIC;
    } else {
        VLOG_WARN("%s: unknown xdp-mode \"%s\"", name, mode_s);
        return -EINVAL;
    }
    if (!if_nametoindex(name)) {
        error = errno;
        VLOG_WARN("%s: no such network device (%s)", name, strerror(error));
        return -error;
    }
    if (offload_s && strcmp(offload_s, "true") && strcmp(offload_s, "false")) {
        VLOG_WARN("%s: xdp-offload must be true or false, not \"%s\"", name,
                  offload_s);
        return -EINVAL;
    }
    afxdp_init_once();
    dp_xdp_prog_remove_leftover(name);

    struct afxdp_port *port;
    if (!offload_s || !strcmp(offload_s, "true")) {
        if (open_offloaded(name, mode, n_rxq, &port)) {
            *statep = port;
            *fdp = -1;
            return 0;
        }
        VLOG_WARN("%s: XDP offload unavailable here: every packet goes "
                  "through the AF_XDP path", name);
    }

    port = xzalloc(sizeof *port);
    for (int q = 0; q < n_rxq; q++) {
        error = queue_open(name, q, &mode, &port->qs[q]);
        if (error) {
            afxdp_close(port);
            return error;
        }
        port->n++;
    }
    *statep = port;
    *fdp = -1;
    return 0;
}

static unsigned int
afxdp_n_rxq(const void *state)
{
    const struct afxdp_port *port = state;
    return port->n;
}

static int
afxdp_recv(void *state, unsigned int qid, struct dp_packet_pool *pool,
           struct dp_packet_batch *batch)
{
    struct afxdp_queue *ap = ((struct afxdp_port *) state)->qs[qid];
    uint32_t idx_rx, idx_fill;
    unsigned int n, reserved;
    int errors = 0;

    n = xsk_ring_cons__peek(&ap->rx, DP_BATCH_SIZE - batch->count, &idx_rx);
    if (!n) {
        return 0;
    }
    /* Every frame taken from rx goes back to fill, so the fill ring (as
     * large as the number of rx frames) always has room. */
    reserved = xsk_ring_prod__reserve(&ap->fill, n, &idx_fill);
    for (unsigned int i = 0; i < n; i++) {
        const struct xdp_desc *d = xsk_ring_cons__rx_desc(&ap->rx, idx_rx + i);
        uint64_t addr = xsk_umem__extract_addr(d->addr);
        uint64_t off = xsk_umem__extract_offset(d->addr);

        if (d->len <= DP_PACKET_MAX_LEN) {
            struct dp_packet *p = dp_packet_pool_get(pool);

            memcpy(dp_packet_reset(p, d->len),
                   (uint8_t *) xsk_umem__get_data(ap->buffer, addr) + off,
                   d->len);
            batch->packets[batch->count++] = p;
        } else {
            errors++;
        }
        if (i < reserved) {
            *xsk_ring_prod__fill_addr(&ap->fill, idx_fill + i) =
                addr - addr % FRAME_SIZE;
        }
    }
    xsk_ring_cons__release(&ap->rx, n);
    xsk_ring_prod__submit(&ap->fill, reserved);
    if (xsk_ring_prod__needs_wakeup(&ap->fill)) {
        recvfrom(xsk_socket__fd(ap->xsk), NULL, 0, MSG_DONTWAIT, NULL, NULL);
    }
    return errors;
}

static void
reclaim_tx(struct afxdp_queue *ap)
{
    uint32_t idx;
    unsigned int n = xsk_ring_cons__peek(&ap->comp, RING_SIZE, &idx);

    for (unsigned int i = 0; i < n; i++) {
        uint64_t addr = *xsk_ring_cons__comp_addr(&ap->comp, idx + i);

        if (ap->n_free_tx < N_TX_FRAMES) {
            ap->free_tx[ap->n_free_tx++] = addr - addr % FRAME_SIZE;
        }
    }
    xsk_ring_cons__release(&ap->comp, n);
}

static int
afxdp_send(void *state, unsigned int qid, struct dp_packet_batch *batch)
{
    struct afxdp_queue *ap = ((struct afxdp_port *) state)->qs[qid];
    unsigned int want = 0, n, used = 0;
    int dropped = 0;
    uint32_t idx = 0;

    reclaim_tx(ap);
    for (unsigned int i = 0; i < batch->count; i++) {
        want += batch->packets[i]->size <= FRAME_SIZE;
    }
    want = XVS_MIN(want, ap->n_free_tx);
    n = want ? xsk_ring_prod__reserve(&ap->tx, want, &idx) : 0;

    for (unsigned int i = 0; i < batch->count; i++) {
        struct dp_packet *p = batch->packets[i];
        struct xdp_desc *d;
        uint64_t addr;

        if (used >= n || p->size > FRAME_SIZE) {
            dropped++;
            continue;
        }
        addr = ap->free_tx[--ap->n_free_tx];
        memcpy(xsk_umem__get_data(ap->buffer, addr), dp_packet_data(p),
               p->size);
        d = xsk_ring_prod__tx_desc(&ap->tx, idx + used++);
        d->addr = addr;
        d->len = p->size;
    }
    if (used) {
        xsk_ring_prod__submit(&ap->tx, used);
        /* Copy mode transmits only from this system call, which the
         * kernel asks for through need_wakeup. */
        if (xsk_ring_prod__needs_wakeup(&ap->tx)
            && sendto(xsk_socket__fd(ap->xsk), NULL, 0, MSG_DONTWAIT, NULL, 0) < 0
            && errno != EAGAIN && errno != EBUSY && errno != ENOBUFS
            && errno != ENETDOWN) {
            VLOG_DBG("AF_XDP transmit kick failed (%s)", strerror(errno));
        }
        reclaim_tx(ap);
    }
    return dropped;
}

static int
afxdp_xdp_ifindex(const void *state)
{
    const struct afxdp_port *port = state;
    return port->xdp ? dp_xdp_prog_ifindex(port->xdp) : 0;
}

static void
afxdp_get_status(void *state XVS_UNUSED, const char *name,
                 struct dp_port_status *st)
{
    dp_netdev_get_status(name, st);
}

const struct dp_port_class dp_port_afxdp_class = {
    .type = "afxdp",
    .open = afxdp_open,
    .close = afxdp_close,
    .recv = afxdp_recv,
    .send = afxdp_send,
    .get_status = afxdp_get_status,
    .n_rxq = afxdp_n_rxq,
    .xdp_ifindex = afxdp_xdp_ifindex,
};
