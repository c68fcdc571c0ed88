/* tnl-native: routes, neighbours and frame hand-over for native
 * tunnelling (see tnl-native.h). */
#include <config.h>
#include "tnl-native.h"

#include <errno.h>
#include <event2/event.h>
#include <ifaddrs.h>
#include <libmnl/libmnl.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "coverage.h"
#include "dpif.h"
#include "evloop.h"
#include "port-provider.h"
#include "unixctl.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(tnl_native);

COVERAGE_DEFINE(tunnel_native_tx);
COVERAGE_DEFINE(tunnel_native_pop);
COVERAGE_DEFINE(tunnel_native_neigh_miss);
COVERAGE_DEFINE(tunnel_native_queue_drop);
COVERAGE_DEFINE(tunnel_native_stale);

static uint64_t seq = 1;
static tnl_native_change_hook *change_hook;

/* Main thread: anything resolved before may be stale now. */
static void
seq_advance(void)
{
    COVERAGE_INC(tunnel_native_stale);
    __atomic_add_fetch(&seq, 1, __ATOMIC_RELEASE);
    if (change_hook) {
        change_hook();
    }
}

void
tnl_native_set_change_hook(tnl_native_change_hook *hook)
{
    change_hook = hook;
}

/* ---- Registered devices. ---- */

struct native_device {
    char name[IFNAMSIZ];
    int ifindex;
    uint32_t xdp_id;
};

static pthread_mutex_t devices_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct native_device *devices;
static size_t n_devices, allocated_devices;

static void notifications_start(void);
static void queue_start(void);

void
tnl_native_device_add(const char *name, uint32_t xdp_id)
{
    int ifindex = if_nametoindex(name);

    if (!ifindex || strlen(name) >= IFNAMSIZ) {
        return;
    }
    notifications_start();
    queue_start();
    pthread_mutex_lock(&devices_mutex);
    if (n_devices == allocated_devices) {
        allocated_devices = allocated_devices ? 2 * allocated_devices : 4;
        devices = xrealloc(devices, allocated_devices * sizeof *devices);
    }
    strcpy(devices[n_devices].name, name);
    devices[n_devices].xdp_id = xdp_id;
    devices[n_devices++].ifindex = ifindex;
    pthread_mutex_unlock(&devices_mutex);
    seq_advance();
}

void
tnl_native_device_remove(const char *name)
{
    pthread_mutex_lock(&devices_mutex);
    for (size_t i = 0; i < n_devices; i++) {
        if (!strcmp(devices[i].name, name)) {
            devices[i] = devices[--n_devices];
            break;
        }
    }
    pthread_mutex_unlock(&devices_mutex);
    seq_advance();
}

/* The name of registered device 'ifindex' into 'name' and its XDP id
 * into '*xdp_id'; false if none. */
static bool
device_find(int ifindex, char name[IFNAMSIZ], uint32_t *xdp_id)
{
    bool found = false;

    pthread_mutex_lock(&devices_mutex);
    for (size_t i = 0; i < n_devices; i++) {
        if (devices[i].ifindex == ifindex) {
            strcpy(name, devices[i].name);
            *xdp_id = devices[i].xdp_id;
            found = true;
            break;
        }
    }
    pthread_mutex_unlock(&devices_mutex);
    return found;
}

uint64_t
tnl_native_seq(void)
{
    return __atomic_load_n(&seq, __ATOMIC_ACQUIRE);
}

/* ---- Neighbours found, for tnl/neigh/show. ---- */

struct native_neigh {
    struct in6_addr ip;
    int ifindex;
    char dev[IFNAMSIZ];
    struct eth_addr mac;
    bool resolved;              /* False while the kernel resolves it. */
};

static pthread_mutex_t neigh_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct native_neigh *neighs;
static size_t n_neighs, allocated_neighs;

static struct native_neigh *
neigh_find(int ifindex, const struct in6_addr *ip)
{
    for (size_t i = 0; i < n_neighs; i++) {
        if (neighs[i].ifindex == ifindex && tnl_in6_equal(&neighs[i].ip, ip)) {
            return &neighs[i];
        }
    }
    return NULL;
}

static void
neigh_record(int ifindex, const char *dev, const struct in6_addr *ip,
             const struct eth_addr *mac)
{
    pthread_mutex_lock(&neigh_mutex);
    struct native_neigh *n = neigh_find(ifindex, ip);
    if (!n) {
        if (n_neighs == allocated_neighs) {
            allocated_neighs = allocated_neighs ? 2 * allocated_neighs : 8;
            neighs = xrealloc(neighs, allocated_neighs * sizeof *neighs);
        }
        n = &neighs[n_neighs++];
        memset(n, 0, sizeof *n);
        n->ip = *ip;
        n->ifindex = ifindex;
        snprintf(n->dev, sizeof n->dev, "%s", dev);
    }
    n->resolved = mac != NULL;
    if (mac) {
        n->mac = *mac;
    }
    pthread_mutex_unlock(&neigh_mutex);
}

static void
neigh_forget(int ifindex, const struct in6_addr *ip)
{
    pthread_mutex_lock(&neigh_mutex);
    struct native_neigh *n = neigh_find(ifindex, ip);
    if (n) {
        *n = neighs[--n_neighs];
    }
    pthread_mutex_unlock(&neigh_mutex);
}

/* ---- rtnetlink requests. ---- */

/* Sends 'req' (which asks for an acknowledgement) on a socket of its own
 * and passes the replies to 'cb'.  Returns 0 or a negative errno (the
 * kernel's answer to the request, if it refused it). */
static int
nl_transact(struct nlmsghdr *req, mnl_cb_t cb, void *data)
{
    static unsigned int next_seq;
    char buf[MNL_SOCKET_BUFFER_SIZE];
    struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
    int ret;

    if (!nl) {
        return -errno;
    }
    if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
        ret = -errno;
        mnl_socket_close(nl);
        return ret;
    }
    unsigned int portid = mnl_socket_get_portid(nl);
    req->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
    req->nlmsg_seq = __atomic_add_fetch(&next_seq, 1, __ATOMIC_RELAXED);
    if (mnl_socket_sendto(nl, req, req->nlmsg_len) < 0) {
        ret = -errno;
        mnl_socket_close(nl);
        return ret;
    }
    do {
        ret = mnl_socket_recvfrom(nl, buf, sizeof buf);
        if (ret > 0) {
            ret = mnl_cb_run(buf, ret, req->nlmsg_seq, portid, cb, data);
        }
    } while (ret > MNL_CB_STOP);
    ret = ret < 0 ? -errno : 0;
    mnl_socket_close(nl);
    return ret;
}

/* Appends 'addr' as attribute 'type' in its family's length. */
static void
put_addr(struct nlmsghdr *nlh, uint16_t type, const struct in6_addr *addr)
{
    if (tnl_in6_is_ipv4(addr)) {
        uint32_t ip = tnl_in6_get_ipv4(addr);
        mnl_attr_put(nlh, type, sizeof ip, &ip);
    } else {
        mnl_attr_put(nlh, type, sizeof *addr, addr);
    }
}

/* An address attribute, of either family, as IPv6. */
static bool
get_addr(const struct nlattr *a, struct in6_addr *addr)
{
    uint16_t len = mnl_attr_get_payload_len(a);

    if (len == 4) {
        uint32_t ip;
        memcpy(&ip, mnl_attr_get_payload(a), 4);
        *addr = tnl_in6_from_ipv4(ip);
        return true;
    } else if (len == sizeof *addr) {
        memcpy(addr, mnl_attr_get_payload(a), sizeof *addr);
        return true;
    }
    return false;
}

struct route_reply {
    bool unicast;
    int oif;
    struct in6_addr gw, prefsrc;
    unsigned int mtu;
};

static int
route_metric_cb(const struct nlattr *a, void *r_)
{
    struct route_reply *r = r_;
    if (mnl_attr_get_type(a) == RTAX_MTU
        && mnl_attr_get_payload_len(a) == 4) {
        r->mtu = mnl_attr_get_u32(a);
    }
    return MNL_CB_OK;
}

static int
route_attr_cb(const struct nlattr *a, void *r_)
{
    struct route_reply *r = r_;

    switch (mnl_attr_get_type(a)) {
    case RTA_OIF:
        if (mnl_attr_get_payload_len(a) == 4) {
            r->oif = mnl_attr_get_u32(a);
        }
        break;
    case RTA_GATEWAY:
        get_addr(a, &r->gw);
        break;
    case RTA_PREFSRC:
        get_addr(a, &r->prefsrc);
        break;
    case RTA_METRICS:
        mnl_attr_parse_nested(a, route_metric_cb, r);
        break;
    }
    return MNL_CB_OK;
}

static int
route_cb(const struct nlmsghdr *nlh, void *r_)
{
    struct route_reply *r = r_;
    const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);

    if (nlh->nlmsg_type == RTM_NEWROUTE) {
        r->unicast = rtm->rtm_type == RTN_UNICAST;
        mnl_attr_parse(nlh, sizeof *rtm, route_attr_cb, r);
    }
    return MNL_CB_OK;
}

/* The kernel's route to 'dst' (RTM_GETROUTE). */
static int
route_get(const struct in6_addr *dst, struct route_reply *r)
{
    char buf[MNL_SOCKET_BUFFER_SIZE];
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    bool v4 = tnl_in6_is_ipv4(dst);

    memset(r, 0, sizeof *r);
    nlh->nlmsg_type = RTM_GETROUTE;
    struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof *rtm);
    rtm->rtm_family = v4 ? AF_INET : AF_INET6;
    rtm->rtm_dst_len = v4 ? 32 : 128;
    put_addr(nlh, RTA_DST, dst);
    int error = nl_transact(nlh, route_cb, r);
    return error ? error : r->unicast && r->oif ? 0 : -EHOSTUNREACH;
}

struct neigh_reply {
    bool usable;
    struct eth_addr mac;
};

static int
neigh_attr_cb(const struct nlattr *a, void *n_)
{
    struct neigh_reply *n = n_;
    if (mnl_attr_get_type(a) == NDA_LLADDR
        && mnl_attr_get_payload_len(a) == sizeof n->mac.ea) {
        memcpy(n->mac.ea, mnl_attr_get_payload(a), sizeof n->mac.ea);
        n->usable = true;
    }
    return MNL_CB_OK;
}

/* States in which the kernel would send to the neighbour's address. */
#define NEIGH_USABLE (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE \
                      | NUD_PERMANENT | NUD_NOARP)

static int
neigh_cb(const struct nlmsghdr *nlh, void *n_)
{
    struct neigh_reply *n = n_;
    const struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);

    if (nlh->nlmsg_type == RTM_NEWNEIGH && ndm->ndm_state & NEIGH_USABLE) {
        mnl_attr_parse(nlh, sizeof *ndm, neigh_attr_cb, n);
    }
    return MNL_CB_OK;
}

/* A neighbour request for 'ip' on 'ifindex' of 'type' into 'buf'. */
static struct nlmsghdr *
neigh_request(char *buf, uint16_t type, int ifindex,
              const struct in6_addr *ip)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

    nlh->nlmsg_type = type;
    struct ndmsg *ndm = mnl_nlmsg_put_extra_header(nlh, sizeof *ndm);
    ndm->ndm_family = tnl_in6_is_ipv4(ip) ? AF_INET : AF_INET6;
    ndm->ndm_ifindex = ifindex;
    put_addr(nlh, NDA_DST, ip);
    return nlh;
}

/* The Ethernet address of neighbour 'ip' on 'ifindex', if the kernel has
 * a usable one.  Otherwise asks the kernel to resolve it and returns
 * false. */
static bool
neigh_get(int ifindex, const struct in6_addr *ip, struct eth_addr *mac)
{
    char buf[MNL_SOCKET_BUFFER_SIZE];
    struct neigh_reply n = { .usable = false };

    if (!nl_transact(neigh_request(buf, RTM_GETNEIGH, ifindex, ip),
                     neigh_cb, &n) && n.usable) {
        *mac = n.mac;
        return true;
    }
    /* NTF_USE: the kernel creates the entry if needed and starts
     * resolving it (ARP request or neighbour solicitation), leaving a
     * known entry's state alone. */
    struct nlmsghdr *nlh = neigh_request(buf, RTM_NEWNEIGH, ifindex, ip);
    nlh->nlmsg_flags |= NLM_F_CREATE | NLM_F_REPLACE;
    struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);
    ndm->ndm_state = NUD_PERMANENT;
    ndm->ndm_flags = NTF_USE;
    int error = nl_transact(nlh, NULL, NULL);
    if (error) {
        static bool warned;
        if (!__atomic_exchange_n(&warned, true, __ATOMIC_RELAXED)) {
            VLOG_WARN("asking the kernel to resolve a neighbour failed (%s)",
                      strerror(-error));
        }
    }
    return false;
}

int
tnl_native_resolve(const struct in6_addr *dst, struct tnl_native_hop *hop)
{
    char dev[IFNAMSIZ];
    struct route_reply r;

    if (!__atomic_load_n(&n_devices, __ATOMIC_RELAXED)) {
        return -ENOENT;
    }
    int error = route_get(dst, &r);
    if (error) {
        return -EHOSTUNREACH;
    }
    uint32_t xdp_id;
    if (!device_find(r.oif, dev, &xdp_id)) {
        return -ENOENT;
    }

    struct dp_port_status st = { .mtu = 0 };
    dp_netdev_get_status(dev, &st);
    memset(hop, 0, sizeof *hop);
    hop->ifindex = r.oif;
    hop->xdp_id = xdp_id;
    hop->src = r.prefsrc;
    hop->src_mac = st.mac;
    hop->mtu = r.mtu ? r.mtu : st.mtu > 0 ? (unsigned int) st.mtu : 1500;

    const struct in6_addr *next = tnl_in6_is_set(&r.gw) ? &r.gw : dst;
    if (!neigh_get(r.oif, next, &hop->dst_mac)) {
        COVERAGE_INC(tunnel_native_neigh_miss);
        neigh_record(r.oif, dev, next, NULL);
        return -EAGAIN;
    }
    neigh_record(r.oif, dev, next, &hop->dst_mac);
    return 0;
}

/* ---- rtnetlink notifications. ---- */

static struct mnl_socket *notify_nl;
static struct event *notify_event;

/* Sets '*stale' unless the notification 'nlh' changes nothing a
 * resolution could have used: a neighbour never looked up, or one whose
 * state moved between usable states with the same address (REACHABLE to
 * STALE and back, every few seconds for each neighbour in use).  Route,
 * address and link changes always set it. */
static int
notify_cb(const struct nlmsghdr *nlh, void *stale_)
{
    const struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);
    bool *stale = stale_;
    struct nlattr *a;
    struct in6_addr ip;
    struct neigh_reply n = { .usable = false };

    if (nlh->nlmsg_type != RTM_NEWNEIGH && nlh->nlmsg_type != RTM_DELNEIGH) {
        *stale = true;
        return MNL_CB_OK;
    }
    mnl_attr_for_each (a, nlh, sizeof *ndm) {
        if (mnl_attr_get_type(a) == NDA_DST && get_addr(a, &ip)) {
            if (nlh->nlmsg_type == RTM_NEWNEIGH
                && ndm->ndm_state & NEIGH_USABLE) {
                mnl_attr_parse(nlh, sizeof *ndm, neigh_attr_cb, &n);
            }
            pthread_mutex_lock(&neigh_mutex);
            struct native_neigh *known = neigh_find(ndm->ndm_ifindex, &ip);
            if (known && n.usable) {
                *stale |= (!known->resolved
                           || !eth_addr_equals(&known->mac, &n.mac));
                known->mac = n.mac;
                known->resolved = true;
            } else if (known) {
                /* Deleted, or failed: the kernel no longer sends to the
                 * address we have, and the next resolution asks it again
                 * (once: what happens to an unresolved one changes no
                 * answer). */
                *stale |= known->resolved;
                known->resolved = false;
            }
            pthread_mutex_unlock(&neigh_mutex);
            if (known && nlh->nlmsg_type == RTM_DELNEIGH) {
                neigh_forget(ndm->ndm_ifindex, &ip);
            }
        }
    }
    return MNL_CB_OK;
}

/* Route, address, link and neighbour changes: whatever was resolved may
 * be stale (notify_cb() says). */
static void
notify_readable(evutil_socket_t fd XVS_UNUSED, short what XVS_UNUSED,
                void *aux XVS_UNUSED)
{
    char buf[MNL_SOCKET_BUFFER_SIZE];
    bool stale = false;
    int n;

    while ((n = mnl_socket_recvfrom(notify_nl, buf, sizeof buf)) > 0) {
        mnl_cb_run(buf, n, 0, 0, notify_cb, &stale);
    }
    /* Notifications lost (ENOBUFS): anything may have changed. */
    if (stale || (n < 0 && errno == ENOBUFS)) {
        seq_advance();
    }
}

static void
notifications_start(void)
{
    if (notify_nl) {
        return;
    }
    notify_nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (!notify_nl
        || mnl_socket_bind(notify_nl,
                           RTMGRP_LINK | RTMGRP_NEIGH | RTMGRP_IPV4_IFADDR
                           | RTMGRP_IPV6_IFADDR | RTMGRP_IPV4_ROUTE
                           | RTMGRP_IPV6_ROUTE, MNL_SOCKET_AUTOPID) < 0) {
        VLOG_WARN("rtnetlink notifications unavailable (%s): native "
                  "tunnels see route and neighbour changes within a "
                  "second only", strerror(errno));
        if (notify_nl) {
            mnl_socket_close(notify_nl);
            notify_nl = NULL;
        }
        return;
    }
    notify_event = event_new(evloop_base(), mnl_socket_get_fd(notify_nl),
                             EV_READ | EV_PERSIST, notify_readable, NULL);
    event_add(notify_event, NULL);
}

/* ---- Frames handed to the main thread. ---- */

#define QUEUE_SLOTS 256

struct queue_slot {
    int ifindex;                /* Transmit into this device's bridge; -1:
                                 * a popped tunnel packet. */
    uint32_t len;
    uint8_t data[DP_PACKET_MAX_LEN];
};

static pthread_mutex_t queue_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct queue_slot *slots;
static unsigned int queue_head, queue_tail;    /* Free-running. */
static int queue_fd = -1;
static struct event *queue_event;
static tnl_native_pop_handler *pop_handler;

static void
queue_put(int ifindex, const void *a, size_t a_len, const void *b,
          size_t b_len)
{
    bool wake = false, queued = false;

    if (a_len + b_len > DP_PACKET_MAX_LEN) {
        COVERAGE_INC(tunnel_native_queue_drop);
        return;
    }
    pthread_mutex_lock(&queue_mutex);
    if (slots && queue_tail - queue_head < QUEUE_SLOTS) {
        struct queue_slot *s = &slots[queue_tail++ % QUEUE_SLOTS];
        s->ifindex = ifindex;
        s->len = a_len + b_len;
        memcpy(s->data, a, a_len);
        if (b_len) {
            memcpy(s->data + a_len, b, b_len);
        }
        wake = queue_tail - queue_head == 1;
        queued = true;
    }
    pthread_mutex_unlock(&queue_mutex);
    if (!queued) {
        COVERAGE_INC(tunnel_native_queue_drop);
    }
    if (wake) {
        uint64_t one = 1;
        ssize_t n = write(queue_fd, &one, sizeof one);
        (void) n;
    }
}

void
tnl_native_transmit(int ifindex, const void *hdr, size_t hdr_len,
                    const void *payload, size_t payload_len)
{
    COVERAGE_INC(tunnel_native_tx);
    queue_put(ifindex, hdr, hdr_len, payload, payload_len);
}

void
tnl_native_pop(const void *frame, size_t len)
{
    COVERAGE_INC(tunnel_native_pop);
    queue_put(-1, frame, len, NULL, 0);
}

/* The internal port of device 'ifindex', if a bridge has it. */
static struct dp_port *
internal_port(int ifindex)
{
    char name[IFNAMSIZ];

    if (!if_indextoname(ifindex, name)) {
        return NULL;
    }
    struct dp_port *port = dp_port_find_global(name);
    return dp_port_state_if_class(port, &dp_port_internal_class)
           ? port : NULL;
}

static void
flush_batch(struct dp_port *port, struct dp_packet_batch *batch)
{
    if (batch->count) {
        dp_port_input(port, batch);
        batch->count = 0;
    }
}

static void
queue_drain(evutil_socket_t fd, short what XVS_UNUSED, void *aux XVS_UNUSED)
{
    static struct queue_slot *s;
    struct dp_packet_batch batch = { .count = 0 };
    struct dp_port *batch_port = NULL;
    int batch_ifindex = 0;
    uint64_t events;

    if (read(fd, &events, sizeof events) < 0) {
        events = 0;
    }
    if (!s) {
        s = xmalloc(sizeof *s);
    }
    /* Bounded: what arrives while draining waits for the next round. */
    for (unsigned int i = 0; i < QUEUE_SLOTS; i++) {
        pthread_mutex_lock(&queue_mutex);
        bool empty = queue_head == queue_tail;
        if (!empty) {
            struct queue_slot *q = &slots[queue_head++ % QUEUE_SLOTS];
            s->ifindex = q->ifindex;
            s->len = q->len;
            memcpy(s->data, q->data, q->len);
        }
        pthread_mutex_unlock(&queue_mutex);
        if (empty) {
            break;
        }
        if (s->ifindex < 0) {
            if (pop_handler) {
                pop_handler(s->data, s->len);
            }
            continue;
        }
        if (s->ifindex != batch_ifindex || batch.count == DP_BATCH_SIZE) {
            flush_batch(batch_port, &batch);
            batch_ifindex = s->ifindex;
            batch_port = internal_port(s->ifindex);
        }
        if (batch_port) {
            struct dp_packet *p = dp_packet_pool_get(dp_port_pool(batch_port));
            memcpy(dp_packet_reset(p, s->len), s->data, s->len);
            batch.packets[batch.count++] = p;
        }
    }
    flush_batch(batch_port, &batch);
    pthread_mutex_lock(&queue_mutex);
    bool more = queue_head != queue_tail;
    pthread_mutex_unlock(&queue_mutex);
    if (more) {
        uint64_t one = 1;
        ssize_t n = write(queue_fd, &one, sizeof one);
        (void) n;
    }
}

static void
queue_start(void)
{
    if (queue_fd >= 0) {
        return;
    }
    queue_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (queue_fd < 0) {
        xvs_fatal(errno, "eventfd failed");
    }
    slots = xmalloc(QUEUE_SLOTS * sizeof *slots);
    queue_event = event_new(evloop_base(), queue_fd, EV_READ | EV_PERSIST,
                            queue_drain, NULL);
    event_add(queue_event, NULL);
}

void
tnl_native_set_pop_handler(tnl_native_pop_handler *handler)
{
    queue_start();
    pop_handler = handler;
}

/* ---- Local addresses. ---- */

/* An address of a device: IP (v4-mapped or v6), or Ethernet. */
struct local_addr {
    char dev[IFNAMSIZ];
    bool ethernet;
    struct in6_addr addr;
    struct eth_addr mac;
};

bool
tnl_native_is_local(const char *dev, const struct eth_addr *mac,
                    const struct in6_addr *addr)
{
    static struct local_addr *addrs;
    static size_t n_addrs;
    static uint64_t addrs_seq;

    if (addrs_seq != tnl_native_seq()) {
        struct ifaddrs *ifa_list, *ifa;

        addrs_seq = tnl_native_seq();
        n_addrs = 0;
        if (getifaddrs(&ifa_list)) {
            return false;
        }
        size_t n = 0;
        for (ifa = ifa_list; ifa; ifa = ifa->ifa_next) {
            n++;
        }
        addrs = xrealloc(addrs, (n ? n : 1) * sizeof *addrs);
        for (ifa = ifa_list; ifa; ifa = ifa->ifa_next) {
            const struct sockaddr *sa = ifa->ifa_addr;
            struct local_addr *la = &addrs[n_addrs];
            if (!sa || strlen(ifa->ifa_name) >= IFNAMSIZ) {
                continue;
            }
            if (sa->sa_family == AF_INET) {
                la->addr = tnl_in6_from_ipv4(
                    ((const struct sockaddr_in *) sa)->sin_addr.s_addr);
            } else if (sa->sa_family == AF_INET6) {
                la->addr = ((const struct sockaddr_in6 *) sa)->sin6_addr;
            } else if (sa->sa_family == AF_PACKET
                       && ((const struct sockaddr_ll *) sa)->sll_halen
                          == sizeof la->mac.ea) {
                memcpy(la->mac.ea, ((const struct sockaddr_ll *) sa)->sll_addr,
                       sizeof la->mac.ea);
            } else {
                continue;
            }
            la->ethernet = sa->sa_family == AF_PACKET;
            strcpy(la->dev, ifa->ifa_name);
            n_addrs++;
        }
        freeifaddrs(ifa_list);
    }
    bool mac_ok = false, addr_ok = false;
    for (size_t i = 0; i < n_addrs; i++) {
        const struct local_addr *la = &addrs[i];
        if (strcmp(la->dev, dev)) {
            continue;
        } else if (la->ethernet) {
            mac_ok = mac_ok || eth_addr_equals(&la->mac, mac);
        } else {
            addr_ok = addr_ok || tnl_in6_equal(&la->addr, addr);
        }
    }
    return mac_ok && addr_ok;
}

/* ---- Formatting and commands. ---- */

void
tnl_in6_format(struct ds *s, const struct in6_addr *a)
{
    if (tnl_in6_is_ipv4(a)) {
        uint32_t ip = tnl_in6_get_ipv4(a);
        ds_put_format(s, IP_FMT, IP_ARGS(ip));
    } else {
        ipv6_format(s, a);
    }
}

static void
unixctl_neigh_show(struct unixctl_conn *conn, int argc XVS_UNUSED,
                   const char *argv[] XVS_UNUSED, void *aux XVS_UNUSED)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    ds_put_format(&s, "%-40s %-18s %-16s %s\n", "IP", "MAC", "Device",
                  "State");
    ds_put_format(&s, "%.*s\n", 84, "========================================"
                  "============================================");
    pthread_mutex_lock(&neigh_mutex);
    for (size_t i = 0; i < n_neighs; i++) {
        const struct native_neigh *n = &neighs[i];
        struct ds ip = DS_EMPTY_INITIALIZER;
        struct ds mac = DS_EMPTY_INITIALIZER;

        tnl_in6_format(&ip, &n->ip);
        if (n->resolved) {
            eth_format(&mac, &n->mac);
        } else {
            ds_put_cstr(&mac, "-");
        }
        ds_put_format(&s, "%-40s %-18s %-16s %s\n", ds_cstr(&ip),
                      ds_cstr(&mac), n->dev,
                      n->resolved ? "resolved" : "resolving");
        ds_destroy(&ip);
        ds_destroy(&mac);
    }
    pthread_mutex_unlock(&neigh_mutex);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

/* Forgets the neighbours found: tunnels look every next hop up again. */
static void
unixctl_neigh_flush(struct unixctl_conn *conn, int argc XVS_UNUSED,
                    const char *argv[] XVS_UNUSED, void *aux XVS_UNUSED)
{
    pthread_mutex_lock(&neigh_mutex);
    n_neighs = 0;
    pthread_mutex_unlock(&neigh_mutex);
    seq_advance();
    unixctl_command_reply(conn, "OK");
}

void
tnl_native_register_unixctl(void)
{
    unixctl_command_register("tnl/neigh/show", "", 0, 0,
                             unixctl_neigh_show, NULL);
    unixctl_command_register("tnl/neigh/flush", "", 0, 0,
                             unixctl_neigh_flush, NULL);
}
