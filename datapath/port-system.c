/* port-system: an existing kernel interface through an AF_PACKET socket.
 *
 * The socket is bound to the interface for all protocols.  The kernel
 * strips the VLAN tag of received frames into metadata on many drivers;
 * PACKET_AUXDATA returns it and we put it back so the key and outputs see
 * the frame as it was on the wire.  Frames the host itself sends out of
 * the interface (including ours) are also delivered to packet sockets;
 * they are ignored (PACKET_IGNORE_OUTGOING, and PACKET_OUTGOING as a
 * fallback on older kernels).  Frames sent by a local stack with checksum
 * offload arrive with the TCP/UDP checksum not yet computed
 * (TP_STATUS_CSUMNOTREADY); we compute it, since the next hop will not.
 * Not yet: GSO super-frames (TSO on the peer) larger than
 * DP_PACKET_MAX_LEN are dropped as receive errors, not segmented. */
#include <config.h>
#include "port-provider.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "packets.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(port_system);

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

struct system_port {
    int fd;
    int ifindex;
};

static int
system_open(const char *name, const struct dp_option *options XVS_UNUSED,
            size_t n XVS_UNUSED, void **statep, int *fdp)
{
    struct sockaddr_ll sll;
    struct system_port *sp;
    int one = 1, ifindex, fd, error;

    ifindex = if_nametoindex(name);
    if (!ifindex) {
        error = errno;
        VLOG_WARN("%s: no such network device (%s)", name, strerror(error));
        return -error;
    }
    /* Protocol 0 receives nothing until bind() names the device, so no
     * frame from another interface can slip in before. */
    fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error = errno;
        VLOG_WARN("%s: AF_PACKET socket failed (%s)", name, strerror(error));
        return -error;
    }
    setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof one);
    setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);

    memset(&sll, 0, sizeof sll);
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_ALL);
    sll.sll_ifindex = ifindex;
    if (bind(fd, (struct sockaddr *) &sll, sizeof sll) < 0) {
        error = errno;
        VLOG_WARN("%s: binding AF_PACKET socket failed (%s)",
                  name, strerror(error));
        close(fd);
        return -error;
    }

    sp = xzalloc(sizeof *sp);
    sp->fd = fd;
    sp->ifindex = ifindex;
    *statep = sp;
    *fdp = fd;
    return 0;
}

static void
system_close(void *state)
{
    struct system_port *sp = state;

    close(sp->fd);
    free(sp);
}

/* Reinserts the tag the kernel moved into 'aux' in front of the type. */
static void
restore_vlan(struct dp_packet *p, const struct tpacket_auxdata *aux)
{
    uint16_t tpid, tci;
    uint8_t *data;

    if (!(aux->tp_status & TP_STATUS_VLAN_VALID) && !aux->tp_vlan_tci) {
        return;
    }
    if (p->size < 2 * ETH_ADDR_LEN
        || p->size + VLAN_HEADER_LEN > DP_PACKET_MAX_LEN) {
        return;
    }
    tpid = htons(aux->tp_status & TP_STATUS_VLAN_TPID_VALID
                 && aux->tp_vlan_tpid ? aux->tp_vlan_tpid : ETH_TYPE_VLAN);
    tci = htons(aux->tp_vlan_tci);
    p->data_ofs -= VLAN_HEADER_LEN;
    p->size += VLAN_HEADER_LEN;
    data = dp_packet_data(p);
    memmove(data, data + VLAN_HEADER_LEN, 2 * ETH_ADDR_LEN);
    memcpy(data + 2 * ETH_ADDR_LEN, &tpid, 2);
    memcpy(data + 2 * ETH_ADDR_LEN + 2, &tci, 2);
}

static int
system_recv(void *state, unsigned int qid XVS_UNUSED,
            struct dp_packet_pool *pool,
            struct dp_packet_batch *batch)
{
    struct system_port *sp = state;
    int errors = 0;

    while (batch->count < DP_BATCH_SIZE) {
        union {
            struct cmsghdr cmsg;
            char buf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
        } cmsg_buf;
        struct dp_packet *p = dp_packet_pool_get(pool);
        struct sockaddr_ll sll;
        struct iovec iov = {
            .iov_base = dp_packet_reset(p, 0),
            .iov_len = DP_PACKET_MAX_LEN,
        };
        struct msghdr msg = {
            .msg_name = &sll, .msg_namelen = sizeof sll,
            .msg_iov = &iov, .msg_iovlen = 1,
            .msg_control = &cmsg_buf, .msg_controllen = sizeof cmsg_buf,
        };
        ssize_t n = recvmsg(sp->fd, &msg, MSG_TRUNC);

        if (n < 0) {
            dp_packet_pool_put(pool, p);
            if (errno != EAGAIN && errno != EINTR) {
                errors++;
            }
            break;
        }
        if (sll.sll_pkttype == PACKET_OUTGOING) {
            dp_packet_pool_put(pool, p);
            continue;
        }
        if (n > DP_PACKET_MAX_LEN || msg.msg_flags & MSG_TRUNC) {
            dp_packet_pool_put(pool, p);
            errors++;
            continue;
        }
        p->size = n;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c;
             c = CMSG_NXTHDR(&msg, c)) {
            if (c->cmsg_level == SOL_PACKET
                && c->cmsg_type == PACKET_AUXDATA
                && c->cmsg_len >= CMSG_LEN(sizeof(struct tpacket_auxdata))) {
                struct tpacket_auxdata aux;

                memcpy(&aux, CMSG_DATA(c), sizeof aux);
                restore_vlan(p, &aux);
                if (aux.tp_status & TP_STATUS_CSUMNOTREADY) {
                    packet_complete_l4_csum(dp_packet_data(p), p->size);
                }
            }
        }
        batch->packets[batch->count++] = p;
    }
    return errors;
}

static int
system_send(void *state, unsigned int qid XVS_UNUSED,
            struct dp_packet_batch *batch)
{
    struct system_port *sp = state;
    int dropped = 0;

    for (unsigned int i = 0; i < batch->count; i++) {
        struct dp_packet *p = batch->packets[i];
        ssize_t n;

        do {
            n = send(sp->fd, dp_packet_data(p), p->size, 0);
        } while (n < 0 && errno == EINTR);
        if (n < 0) {
            dropped++;
        }
    }
    return dropped;
}

static void
system_get_status(void *state XVS_UNUSED, const char *name,
                  struct dp_port_status *st)
{
    dp_netdev_get_status(name, st);
}

const struct dp_port_class dp_port_system_class = {
    .type = "system",
    .open = system_open,
    .close = system_close,
    .recv = system_recv,
    .send = system_send,
    .get_status = system_get_status,
};
