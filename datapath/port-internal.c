/* port-internal: a TAP device that gives the host stack a port on the
 * bridge (the bridge's LOCAL port is one).
 *
 * The device is created with the port's name when the port is added and,
 * being non-persistent, disappears when its fd is closed at removal.  As in
 * Open vSwitch it is created administratively down; the user brings it up.
 * Frames are read and written whole (IFF_NO_PI).
 *
 * A down device: the kernel takes each write, copies the frame into a
 * buffer, and only then drops it with EIO, a system call and a copy per
 * frame for nothing.  A bridge's LOCAL port is down unless someone brings
 * it up, and NORMAL floods to it, so this cost every flooded packet.  As
 * Open vSwitch does, we skip writes to a down device: the first EIO marks
 * it down, and while it is down one write every INTERNAL_PROBE_MS tells
 * whether it came up (Open vSwitch learns that from netlink; frames sent
 * in the few milliseconds after the device comes up can be dropped).
 *
 * The device is registered for native tunnelling (tnl-native.h): a
 * tunnel routed through it sends its frames into this port's bridge.
 *
 * Not done yet: watching the device's flags through rtnetlink. */
#include <config.h>
#include "port-provider.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include "dp-xdp.h"
#include "tnl-native.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(port_internal);

/* How often a down device is tried again, in milliseconds. */
#define INTERNAL_PROBE_MS 10

struct internal_port {
    char *name;
    int fd;
    uint32_t xdp_id;            /* Its id in the XDP program (dp-xdp.h). */
    bool down;                  /* The last write failed with EIO. */
    long long int probe_at;     /* While down: when to try writing again. */
};

/* Milliseconds on the monotonic clock, unaffected by the test suite's
 * time warps (the probing is about the kernel's time, not the switch's). */
static long long int
internal_now_msec(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int
internal_open(const char *name, const struct dp_option *options XVS_UNUSED,
              size_t n XVS_UNUSED, void **statep, int *fdp)
{
    struct internal_port *ip;
    struct ifreq ifr;
    int fd, error;

    if (strlen(name) >= IFNAMSIZ) {
        VLOG_WARN("%s: name too long for a network device", name);
        return -ENAMETOOLONG;
    }
    fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        error = errno;
        VLOG_WARN("%s: opening /dev/net/tun failed (%s)",
                  name, strerror(error));
        return -error;
    }
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        error = errno;
        VLOG_WARN("%s: creating TAP device failed (%s)",
                  name, strerror(error));
        close(fd);
        return -error;
    }
    ip = xzalloc(sizeof *ip);
    ip->name = xstrdup(name);
    ip->fd = fd;
    ip->xdp_id = dp_xdp_vport_id_alloc(true);
    tnl_native_device_add(name, ip->xdp_id);
    *statep = ip;
    *fdp = fd;
    return 0;
}

static void
internal_close(void *state)
{
    struct internal_port *ip = state;

    tnl_native_device_remove(ip->name);
    close(ip->fd);
    free(ip->name);
    free(ip);
}

static int
internal_recv(void *state, unsigned int qid XVS_UNUSED,
              struct dp_packet_pool *pool,
              struct dp_packet_batch *batch)
{
    struct internal_port *ip = state;
    int errors = 0;

    while (batch->count < DP_BATCH_SIZE) {
        struct dp_packet *p = dp_packet_pool_get(pool);
        ssize_t n = read(ip->fd, dp_packet_reset(p, 0), DP_PACKET_MAX_LEN);

        if (n <= 0) {
            dp_packet_pool_put(pool, p);
            if (n < 0 && errno != EAGAIN && errno != EINTR) {
                errors++;
            }
            break;
        }
        p->size = n;
        batch->packets[batch->count++] = p;
    }
    return errors;
}

static int
internal_send(void *state, unsigned int qid XVS_UNUSED,
              struct dp_packet_batch *batch)
{
    struct internal_port *ip = state;
    int dropped = 0;

    if (ip->down) {
        long long int now = internal_now_msec();
        if (now < ip->probe_at) {
            return batch->count;
        }
        ip->probe_at = now + INTERNAL_PROBE_MS;
    }
    for (unsigned int i = 0; i < batch->count; i++) {
        struct dp_packet *p = batch->packets[i];

        if (write(ip->fd, dp_packet_data(p), p->size) >= 0) {
            ip->down = false;
        } else if (errno == EIO) {
            /* Down: the rest of the batch would fail the same way. */
            if (!ip->down) {
                ip->down = true;
                ip->probe_at = internal_now_msec() + INTERNAL_PROBE_MS;
            }
            return dropped + (batch->count - i);
        } else {
            dropped++;
        }
    }
    return dropped;
}

/* The program sees frames from the port only when it encapsulates them
 * for a tunnel whose route leaves through it (dp-xdp.h). */
static int
internal_xdp_ifindex(const void *state)
{
    const struct internal_port *ip = state;
    return ip->xdp_id;
}

static void
internal_get_status(void *state XVS_UNUSED, const char *name,
                    struct dp_port_status *st)
{
    dp_netdev_get_status(name, st);
}

const struct dp_port_class dp_port_internal_class = {
    .type = "internal",
    .open = internal_open,
    .close = internal_close,
    .recv = internal_recv,
    .send = internal_send,
    .get_status = internal_get_status,
    .xdp_ifindex = internal_xdp_ifindex,
};
