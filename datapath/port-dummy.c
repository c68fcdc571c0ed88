/* port-dummy: a port with no device, so tests run without root.
 *
 * Frames enter through dp_dummy_receive() (unixctl "netdev-dummy/receive")
 * and every transmitted frame is kept, the last DUMMY_CAPTURE_MAX of them,
 * for "netdev-dummy/capture" to print.  Link and admin state are up; the
 * MAC address is derived from the port name so it is stable across runs. */
#include <config.h>
#include "port-provider.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "packets.h"
#include "unixctl.h"

#define DUMMY_CAPTURE_MAX 1024

struct dummy_frame {
    size_t len;
    uint8_t *data;
};

struct dummy_port {
    struct dummy_frame frames[DUMMY_CAPTURE_MAX];   /* Ring. */
    size_t n_frames;            /* Frames ever captured. */
};

static int
dummy_open(const char *name XVS_UNUSED, const struct dp_option *options,
           size_t n, void **statep, int *fdp)
{
    *statep = xzalloc(sizeof(struct dummy_port));
    *fdp = -1;
    return 0;
}

static void
dummy_close(void *state)
{
    struct dummy_port *d = state;

    for (size_t i = 0; i < DUMMY_CAPTURE_MAX; i++) {
        free(d->frames[i].data);
    }
    free(d);
}

static int
dummy_recv(void *state XVS_UNUSED, struct dp_packet_pool *pool XVS_UNUSED,
           struct dp_packet_batch *batch XVS_UNUSED)
{
    return 0;
}

static int
dummy_send(void *state, struct dp_packet_batch *batch)
{
    struct dummy_port *d = state;

    for (unsigned int i = 0; i < batch->count; i++) {
        struct dp_packet *p = batch->packets[i];
        struct dummy_frame *f = &d->frames[d->n_frames++ % DUMMY_CAPTURE_MAX];

        free(f->data);
        f->len = p->size;
        f->data = xmemdup(dp_packet_data(p), p->size);
    }
    return 0;
}

static void
dummy_get_status(void *state XVS_UNUSED, const char *name,
                 struct dp_port_status *st)
{
    eth_addr_random(&st->mac, hash_string(name, 0) | 1);
    st->mtu = 1500;
    st->admin_up = true;
    st->link_up = true;
    st->ifindex = 0;
}

const struct dp_port_class dp_port_dummy_class = {
    .type = "dummy",
    .open = dummy_open,
    .close = dummy_close,
    .recv = dummy_recv,
    .send = dummy_send,
    .get_status = dummy_get_status,
};

int
dp_dummy_receive(const char *port_name, const void *data, size_t len)
{
    struct dp_port *port = dp_port_find_global(port_name);
    struct dp_packet_batch batch;
    struct dp_packet *p;

    if (!dp_port_state_if_class(port, &dp_port_dummy_class)) {
        return -ENODEV;
    }
    if (!len || len > DP_PACKET_MAX_LEN) {
        return -EINVAL;
    }
    p = dp_packet_pool_get(dp_port_pool(port));
    memcpy(dp_packet_reset(p, len), data, len);
    batch.count = 1;
    batch.packets[0] = p;
    dp_port_input(port, &batch);
    return 0;
}

static void
unixctl_receive(struct unixctl_conn *conn, int argc, const char *argv[],
                void *aux XVS_UNUSED)
{
    for (int i = 2; i < argc; i++) {
        size_t len;
        uint8_t *data = packet_from_hex(argv[i], &len);
        int error;

        if (!data) {
            unixctl_command_reply_error(conn, "bad hex packet");
            return;
        }
        error = dp_dummy_receive(argv[1], data, len);
        free(data);
        if (error) {
            unixctl_command_reply_error(conn, error == -ENODEV
                                        ? "no such dummy port"
                                        : "bad packet length");
            return;
        }
    }
    unixctl_command_reply(conn, "");
}

static void
unixctl_capture(struct unixctl_conn *conn, int argc XVS_UNUSED,
                const char *argv[], void *aux XVS_UNUSED)
{
    struct dummy_port *d = dp_port_state_if_class(
        dp_port_find_global(argv[1]), &dp_port_dummy_class);
    struct ds s = DS_EMPTY_INITIALIZER;
    size_t first;

    if (!d) {
        unixctl_command_reply_error(conn, "no such dummy port");
        return;
    }
    first = d->n_frames > DUMMY_CAPTURE_MAX
            ? d->n_frames - DUMMY_CAPTURE_MAX : 0;
    for (size_t i = first; i < d->n_frames; i++) {
        const struct dummy_frame *f = &d->frames[i % DUMMY_CAPTURE_MAX];

        packet_to_hex(&s, f->data, f->len);
        ds_put_char(&s, '\n');
    }
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

void
dp_dummy_register_unixctl(void)
{
    unixctl_command_register("netdev-dummy/receive", "PORT HEXPACKET...",
                             2, 64, unixctl_receive, NULL);
    unixctl_command_register("netdev-dummy/capture", "PORT",
                             1, 1, unixctl_capture, NULL);
}
