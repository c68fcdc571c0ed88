/* dp-xdp: megaflows executed in the kernel; see dp-xdp.h. */
#include <config.h>
#include "dp-xdp.h"

#include <arpa/inet.h>
#include <linux/if_link.h>
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>
#include "coverage.h"
#include "dp-xdp-maps.h"
#include "hmap.h"
#include "packet-set.h"
#include "packets.h"
#include "tnl-native.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(dp_xdp);

COVERAGE_DEFINE(xdp_flow_put);
COVERAGE_DEFINE(xdp_flow_del);
COVERAGE_DEFINE(xdp_flow_unsupported);
COVERAGE_DEFINE(xdp_flow_no_room);

/* The program, compiled from dp-xdp.bpf.c at build time
 * (datapath/dp-xdp-obj.c, generated). */
extern const unsigned char dp_xdp_obj[];
extern const size_t dp_xdp_obj_size;

/* ---- The shared maps. ---- */

enum {
    M_FLOWS, M_MASKS, M_CONFIG, M_PORTS, M_COUNTERS, M_TNL_PORTS,
    M_TNL_PUSH, N_SHARED
};
static const char *const shared_names[N_SHARED] = {
    "xvs_flows", "xvs_masks", "xvs_config", "xvs_ports", "xvs_counters",
    "xvs_tnl_ports", "xvs_tnl_push",
};
static int shared_fds[N_SHARED];
static bool shared_ready;

struct mask_slot {
    unsigned int refcnt;        /* Live entries under this mask. */
    struct xvs_xdp_key mask;
};
static struct mask_slot slots[XDP_MAX_MASKS];
static uint32_t n_slots_used;   /* Highest used slot + 1, as configured. */

/* The tunnel headers entries push, each written once and shared by the
 * entries that push the same.  Free slots are taken in turn, so that a
 * frame the kernel is running while its entry goes still finds the
 * header it read the entry for. */
struct push_slot {
    unsigned int refcnt;
    struct xvs_xdp_tnl_push push;
};
static struct push_slot push_slots[XDP_MAX_TNL_PUSH];
static unsigned int push_next;  /* Where the search for a free one starts. */

/* Live entries, by key. */
static struct hmap entries = HMAP_INITIALIZER;

struct dp_xdp_flow {
    struct hmap_node node;      /* In 'entries' while 'live'. */
    struct xvs_xdp_flow_key fkey;
    uint64_t digest;            /* Its key in the flow map. */
    struct xvs_xdp_flow value;  /* As last written (counters aside). */
    unsigned int refcnt;        /* Megaflows holding it. */
    bool live;                  /* In the kernel. */
    const struct dp_xdp *dp;
    uint32_t in_port, out_port; /* Datapath ports; out_port UINT32_MAX
                                 * for a drop. */
    int push;                   /* Its push_slots[] entry, or -1. */
    struct flow_tnl push_tnl;   /* The tunnel it was made for. */
    uint64_t read_packets, read_bytes;      /* The kernel's, last read. */
    uint64_t unread_packets, unread_bytes;  /* Not yet given to holders. */
};

struct dp_xdp_port {
    uint32_t port_no;
    int ifindex;
};

struct dp_xdp {
    struct dp_xdp_port ports[XDP_MAX_PORTS];
    size_t n_ports;
    size_t n_devices;           /* Ports that are devices. */
    dp_xdp_encap_cb *encap;
    void *encap_aux;
};

static int
port_ifindex(const struct dp_xdp *x, uint32_t port_no)
{
    for (size_t i = 0; i < x->n_ports; i++) {
        if (x->ports[i].port_no == port_no) {
            return x->ports[i].ifindex;
        }
    }
    return 0;
}

static bool
is_vport_id(uint32_t id)
{
    return id >= XDP_VPORT_ID_BASE;
}

static bool
is_internal_id(uint32_t id)
{
    return is_vport_id(id) && id & XDP_VPORT_INTERNAL;
}

static bool
is_tunnel_id(uint32_t id)
{
    return is_vport_id(id) && !is_internal_id(id);
}

static void entry_kill(struct dp_xdp_flow *);

static struct bpf_object *
open_object(void)
{
    LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "xvs_xdp");
    struct bpf_object *obj = bpf_object__open_mem(dp_xdp_obj, dp_xdp_obj_size,
                                                  &opts);
    int error = libbpf_get_error(obj);
    if (error) {
        VLOG_WARN("cannot open the XDP offload program (%s)",
                  strerror(-error));
        return NULL;
    }
    return obj;
}

static void tnl_write(void);

/* Creates the shared maps, once, as the object defines them. */
static int
create_shared(struct bpf_object *obj)
{
    if (shared_ready) {
        return 0;
    }
    for (int i = 0; i < N_SHARED; i++) {
        struct bpf_map *map = bpf_object__find_map_by_name(obj,
                                                           shared_names[i]);
        int error = ENOENT;
        int fd = -1;
        if (map) {
            LIBBPF_OPTS(bpf_map_create_opts, mo,
                        .map_flags = bpf_map__map_flags(map));
            fd = bpf_map_create(bpf_map__type(map), shared_names[i],
                                bpf_map__key_size(map),
                                bpf_map__value_size(map),
                                bpf_map__max_entries(map), &mo);
            error = errno;
        }
        if (fd < 0) {
            VLOG_WARN("cannot create BPF map %s (%s)", shared_names[i],
                      strerror(error));
            while (--i >= 0) {
                close(shared_fds[i]);
            }
            return -error;
        }
        shared_fds[i] = fd;
    }
    shared_ready = true;
    tnl_write();
    return 0;
}

/* ---- Tunnel ports. ---- */

static struct dp_xdp_tnl_port *tnl_ports;
static size_t n_tnl_ports;

uint32_t
dp_xdp_vport_id_alloc(bool internal)
{
    static uint32_t next = XDP_VPORT_ID_BASE;
    return next++ | (internal ? XDP_VPORT_INTERNAL : 0);
}

static void
map_clear(int fd, size_t key_size)
{
    void *key = xmalloc(key_size);
    while (!bpf_map_get_next_key(fd, NULL, key)) {
        bpf_map_delete_elem(fd, key);
    }
    free(key);
}

static void write_config(void);
static uint32_t tnl_kinds;      /* xvs_xdp_config.tnl_kinds. */

/* The entry of 'tp' in the program's tunnel port map. */
static struct xvs_xdp_tnl_port
tnl_entry(const struct dp_xdp_tnl_port *tp)
{
    struct xvs_xdp_tnl_port e = { .id = tp->id };

    for (uint64_t m = tp->map.mapped; m; m &= m - 1) {
        int idx = __builtin_ctzll(m);
        if (e.n_opts == XDP_TNL_PORT_OPTS) {
            e.n_opts = XDP_TNL_OPTS_TOO_MANY;
            break;
        }
        /* An option placed past the key's bytes is listed all the same:
         * the program leaves its frames to user space, where skipping it
         * as an unmapped option would be wrong. */
        e.opts[e.n_opts++] = (struct xvs_xdp_tnl_opt) {
            .opt_class = htons(tp->map.option_class[idx]),
            .type = tp->map.option_type[idx],
            .len = tp->map.layout.len[idx],
            .index = idx,
            .ofs = tp->map.layout.ofs[idx],
        };
    }
    return e;
}

/* Writes 'tnl_ports' into the program's map, replacing what it had.
 * Frames decapsulated in between go to user space (no port found). */
static void
tnl_write(void)
{
    if (!shared_ready) {
        return;
    }
    map_clear(shared_fds[M_TNL_PORTS], sizeof(struct xvs_xdp_tnl_port_key));
    tnl_kinds = 0;
    for (size_t i = 0; i < n_tnl_ports; i++) {
        const struct dp_xdp_tnl_port *tp = &tnl_ports[i];
        struct xvs_xdp_tnl_port_key pk = {
            .key = tp->fixed_key ? tp->key : 0,
            .remote = tp->fixed_remote ? tp->remote : 0,
            .udp_port = htons(tp->udp_port),
            .type = tp->type,
            .fixed = ((tp->fixed_remote ? XDP_TNL_FIXED_REMOTE : 0)
                      | (tp->fixed_key ? XDP_TNL_FIXED_KEY : 0)),
        };
        struct xvs_xdp_tnl_port e = tnl_entry(tp);
        /* BPF_NOEXIST: of two ports that take the same frames, the
         * first, as in user space (or the map is full). */
        if (!bpf_map_update_elem(shared_fds[M_TNL_PORTS], &pk, &e,
                                 BPF_NOEXIST)) {
            tnl_kinds |= 1u << pk.fixed;
        }
    }
    write_config();
}

/* Whether the program may take decapsulated frames to tunnel port 'id'. */
static bool
tnl_reachable(uint32_t id)
{
    for (size_t i = 0; i < n_tnl_ports; i++) {
        if (tnl_ports[i].id == id) {
            return true;
        }
    }
    return false;
}

void
dp_xdp_tnl_ports_set(const struct dp_xdp_tnl_port *ports, size_t n)
{
    free(tnl_ports);
    tnl_ports = n ? xmemdup(ports, n * sizeof *ports) : NULL;
    n_tnl_ports = n;
    tnl_write();

    /* The entries of a port the program no longer reaches would be
     * listed as offloaded for nothing: out they go, and revalidation
     * leaves their megaflows in user space. */
    struct dp_xdp_flow *e, *next;
    HMAP_FOR_EACH_SAFE (e, next, node, &entries) {
        uint32_t id = port_ifindex(e->dp, e->in_port);
        if (is_tunnel_id(id) && !tnl_reachable(id)) {
            entry_kill(e);
        }
    }
}

/* The tunnel type the program pops for UDP destination port 'port'
 * (network order), or 0. */
static int
tnl_type_of_udp_port(uint16_t port)
{
    for (size_t i = 0; i < n_tnl_ports; i++) {
        if (htons(tnl_ports[i].udp_port) == port) {
            return tnl_ports[i].type;
        }
    }
    return 0;
}

/* ---- Programs. ---- */

struct dp_xdp_prog {
    struct bpf_object *obj;
    struct xdp_program *prog;
    int ifindex;
    enum xdp_attach_mode mode;
};

static void
prog_free(struct dp_xdp_prog *p)
{
    if (p->prog) {
        xdp_program__close(p->prog);
    }
    if (p->obj) {
        bpf_object__close(p->obj);
    }
    free(p);
}

void
dp_xdp_prog_remove_leftover(const char *ifname)
{
    int ifindex = if_nametoindex(ifname);
    struct bpf_xdp_query_opts q = { .sz = sizeof q };
    if (!ifindex || bpf_xdp_query(ifindex, 0, &q) || !q.prog_id) {
        return;
    }
    int fd = bpf_prog_get_fd_by_id(q.prog_id);
    if (fd < 0) {
        return;
    }
    struct bpf_prog_info info;
    uint32_t len = sizeof info;
    memset(&info, 0, sizeof info);
    if (!bpf_obj_get_info_by_fd(fd, &info, &len)
        && (!strcmp(info.name, "xvs_xdp")
            || !strcmp(info.name, "xsk_def_prog"))) {
        uint32_t flags = (q.attach_mode == XDP_ATTACHED_SKB
                          ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE);
        int error = bpf_xdp_detach(ifindex, flags, NULL);
        if (error) {
            VLOG_WARN("%s: cannot remove the XDP program %s left by an "
                      "earlier run (%s)", ifname, info.name,
                      strerror(-error));
        } else {
            VLOG_INFO("%s: removed the XDP program %s left by an earlier "
                      "run", ifname, info.name);
        }
    }
    close(fd);
}

int
dp_xdp_prog_attach(const char *ifname, bool generic, bool fallback,
                   struct dp_xdp_prog **progp, int *xsks_fd)
{
    struct dp_xdp_prog *p = xzalloc(sizeof *p);
    int error;

    p->ifindex = if_nametoindex(ifname);
    if (!p->ifindex) {
        error = -errno;
        free(p);
        return error;
    }
    p->obj = open_object();
    if (!p->obj) {
        free(p);
        return -ENOEXEC;
    }
    error = create_shared(p->obj);
    for (int i = 0; !error && i < N_SHARED; i++) {
        error = bpf_map__reuse_fd(bpf_object__find_map_by_name(
                                      p->obj, shared_names[i]),
                                  shared_fds[i]);
    }
    if (error) {
        prog_free(p);
        return error;
    }
    p->prog = xdp_program__from_bpf_obj(p->obj, "xdp");
    error = libxdp_get_error(p->prog);
    if (error) {
        p->prog = NULL;
        VLOG_WARN("%s: cannot use the XDP offload program (%s)", ifname,
                  strerror(-error));
        prog_free(p);
        return error;
    }

    error = -EINVAL;
    if (!generic) {
        p->mode = XDP_MODE_NATIVE;
        error = xdp_program__attach(p->prog, p->ifindex, p->mode, 0);
    }
    if (error && (generic || fallback)) {
        p->mode = XDP_MODE_SKB;
        error = xdp_program__attach(p->prog, p->ifindex, p->mode, 0);
    }
    if (error) {
        VLOG_WARN("%s: cannot attach the XDP offload program (%s)", ifname,
                  strerror(-error));
        prog_free(p);
        return error;
    }
    *xsks_fd = bpf_object__find_map_fd_by_name(p->obj, "xvs_xsks");
    VLOG_INFO("%s: XDP offload program attached in %s mode", ifname,
              p->mode == XDP_MODE_NATIVE ? "native" : "generic");
    *progp = p;
    return 0;
}

void
dp_xdp_prog_detach(struct dp_xdp_prog *p)
{
    if (p) {
        int error = xdp_program__detach(p->prog, p->ifindex, p->mode, 0);
        if (error) {
            VLOG_WARN("ifindex %d: detaching the XDP offload program failed "
                      "(%s)", p->ifindex, strerror(-error));
        }
        prog_free(p);
    }
}

int
dp_xdp_prog_ifindex(const struct dp_xdp_prog *p)
{
    return p->ifindex;
}

/* ---- Ports. ---- */

static void routes_changed(void);

struct dp_xdp *
dp_xdp_create(dp_xdp_encap_cb *encap, void *aux)
{
    struct dp_xdp *x = xzalloc(sizeof *x);
    tnl_native_set_change_hook(routes_changed);
    x->encap = encap;
    x->encap_aux = aux;
    return x;
}

void
dp_xdp_destroy(struct dp_xdp *x)
{
    free(x);
}

void
dp_xdp_port_add(struct dp_xdp *x, uint32_t port_no, int ifindex)
{
    uint32_t key = ifindex, value = ifindex;

    if (x->n_ports >= XDP_MAX_PORTS) {
        return;
    }
    if (is_vport_id(ifindex)) {
        /* Not a device: nothing goes to it through the devmap. */
    } else if (!shared_ready) {
        return;
    } else if (bpf_map_update_elem(shared_fds[M_PORTS], &key, &value,
                                   BPF_ANY)) {
        VLOG_WARN("ifindex %d: cannot add to the XDP devmap (%s): no "
                  "offloaded flow will output to it", ifindex,
                  strerror(errno));
    } else {
        x->n_devices++;
    }
    x->ports[x->n_ports++] = (struct dp_xdp_port) { port_no, ifindex };
}

void
dp_xdp_port_del(struct dp_xdp *x, uint32_t port_no)
{
    int ifindex = port_ifindex(x, port_no);
    if (!ifindex) {
        return;
    }
    struct dp_xdp_flow *e, *next;
    HMAP_FOR_EACH_SAFE (e, next, node, &entries) {
        if (e->dp == x && (e->in_port == port_no || e->out_port == port_no)) {
            entry_kill(e);
        }
    }
    uint32_t key = ifindex;
    if (!is_vport_id(ifindex)
        && !bpf_map_delete_elem(shared_fds[M_PORTS], &key)) {
        x->n_devices--;
    }
    for (size_t i = 0; i < x->n_ports; i++) {
        if (x->ports[i].port_no == port_no) {
            x->ports[i] = x->ports[--x->n_ports];
            break;
        }
    }
}

bool
dp_xdp_has_devices(const struct dp_xdp *x)
{
    return x->n_devices > 0;
}

/* ---- Flows: from megaflows to entries. ---- */

/* Whether a frame the program parses (dp-xdp.bpf.c) can fall in the
 * megaflow 'flow' under 'fm'.  One that only frames it hands to user
 * space can (ARP, other protocols, neighbour discovery) would take a map
 * entry and be listed as offloaded without the kernel ever running it.
 * From an internal port, the program only ever has the outer frames it
 * encapsulates, UDP over IPv4 to a next hop's (unicast) address. */
static bool
program_parses(const struct flow *flow, const struct flow *fm,
               bool from_internal)
{
#define MAY_BE(F, V) (!((flow->F ^ (V)) & fm->F))
    bool ipv4 = MAY_BE(dl_type, htons(ETH_TYPE_IP));
    if (from_internal) {
        bool unicast = !(flow->dl_dst.ea[0] & fm->dl_dst.ea[0] & 1);
        return unicast && ipv4 && MAY_BE(nw_proto, IPPROTO_UDP);
    }
    bool ipv6 = MAY_BE(dl_type, htons(ETH_TYPE_IPV6));
    bool tcp_udp = ((ipv4 || ipv6)
                    && (MAY_BE(nw_proto, IPPROTO_TCP)
                        || MAY_BE(nw_proto, IPPROTO_UDP)));
    bool icmp = ipv4 && MAY_BE(nw_proto, IPPROTO_ICMP);
    bool icmpv6 = ipv6 && MAY_BE(nw_proto, IPPROTO_ICMPV6);
#undef MAY_BE
    if (icmpv6 && !tcp_udp && !icmp
        && fm->nw_proto == UINT8_MAX && (ntohs(fm->tp_src) & 0xff) == 0xff) {
        uint8_t type = ntohs(flow->tp_src);
        icmpv6 = type != ND_NEIGHBOR_SOLICIT && type != ND_NEIGHBOR_ADVERT;
    }
    return tcp_udp || icmp || icmpv6;
}

/* The program's key and mask of a megaflow, or false if the program
 * cannot find it: every masked bit must be either in the program's key
 * or zero in the key (what the program's packets have there). */
static bool
key_from_megaflow(const struct dp_xdp *x, const struct flow *flow,
                  const struct flow *fm, struct xvs_xdp_key *k,
                  struct xvs_xdp_key *m)
{
    int ifindex = port_ifindex(x, flow->in_port);
    if (fm->in_port != UINT32_MAX || !ifindex
        || !program_parses(flow, fm, is_internal_id(ifindex))) {
        return false;
    }
    memset(k, 0, sizeof *k);
    memset(m, 0, sizeof *m);
    k->ifindex = ifindex;
    m->ifindex = UINT32_MAX;

    struct flow rest = *fm;
    rest.in_port = 0;
#define XDP_FIELD(F)                                            \
    do {                                                        \
        _Static_assert(sizeof k->F == sizeof flow->F, #F);      \
        memcpy(&k->F, &flow->F, sizeof k->F);                   \
        memcpy(&m->F, &fm->F, sizeof m->F);                     \
        memset(&rest.F, 0, sizeof rest.F);                      \
    } while (0)
    XDP_FIELD(vlan_tci);
    XDP_FIELD(dl_type);
    XDP_FIELD(dl_dst);
    XDP_FIELD(dl_src);
    XDP_FIELD(nw_src);
    XDP_FIELD(nw_dst);
    XDP_FIELD(ipv6_src);
    XDP_FIELD(ipv6_dst);
    XDP_FIELD(ipv6_label);
    XDP_FIELD(nw_proto);
    XDP_FIELD(nw_tos);
    XDP_FIELD(nw_ttl);
    XDP_FIELD(tp_src);
    XDP_FIELD(tp_dst);
    XDP_FIELD(tcp_flags);
#undef XDP_FIELD
#define XDP_TNL_FIELD(F, FF, LEN)                               \
    do {                                                        \
        memcpy(&k->F, &flow->tunnel.FF, LEN);                   \
        memcpy(&m->F, &fm->tunnel.FF, LEN);                     \
        memset(&rest.tunnel.FF, 0, LEN);                        \
    } while (0)
    XDP_TNL_FIELD(tun_id, tun_id, 8);
    XDP_TNL_FIELD(tun_src, ip_src, 4);
    XDP_TNL_FIELD(tun_dst, ip_dst, 4);
    XDP_TNL_FIELD(tun_md_present, md_present, 8);
    XDP_TNL_FIELD(tun_md, md, XDP_TNL_MD_BYTES);
#undef XDP_TNL_FIELD

    if (is_tunnel_id(ifindex)) {
        if (!tnl_reachable(ifindex)) {
            return false;
        }
        /* The program's decapsulated frames carry tunnel fields it does
         * not fill (flags, options past its bytes): a megaflow must not
         * look at any of them. */
        const uint8_t *tb = (const uint8_t *) &rest.tunnel;
        for (size_t i = 0; i < sizeof rest.tunnel; i++) {
            if (tb[i]) {
                return false;
            }
        }
    }

    const uint8_t *fb = (const uint8_t *) flow, *rb = (const uint8_t *) &rest;
    for (size_t i = 0; i < FLOW_KEY_LEN; i++) {
        if (fb[i] & rb[i]) {
            return false;
        }
    }
    for (int w = 0; w < XDP_KEY_WORDS; w++) {
        k->w[w] &= m->w[w];
    }
    return true;
}

static bool
add_action(struct xvs_xdp_flow *v, uint16_t type, uint32_t arg,
           const void *bytes, size_t n_bytes)
{
    if (v->n_actions >= XDP_MAX_ACTIONS) {
        return false;
    }
    struct xvs_xdp_action *a = &v->actions[v->n_actions++];
    memset(a, 0, sizeof *a);
    a->type = type;
    a->arg = arg;
    if (n_bytes) {
        memcpy(a->bytes, bytes, n_bytes);
    }
    return true;
}

/* The rewrites of 'set' as program actions, for frames of the megaflow
 * 'flow' under 'fm'.  Only what the program's parse guarantees the frame
 * has: IPv4 fields for IPv4 frames, IPv6 ones for IPv6 frames, ports for
 * TCP and UDP, type and code for ICMP and ICMPv6; and a rewrite that a
 * checksum covers only with the protocol known, so the checksum
 * follows it as in user space. */
static bool
set_to_actions(const struct packet_set *set, const struct flow *flow,
               const struct flow *fm, struct xvs_xdp_flow *v)
{
    enum {
        ETH = PKT_SET_ETH_SRC | PKT_SET_ETH_DST,
        NW4 = PKT_SET_NW_SRC | PKT_SET_NW_DST,
        NW = PKT_SET_NW_TOS | PKT_SET_NW_TTL,
        NW6 = PKT_SET_IPV6_SRC | PKT_SET_IPV6_DST | PKT_SET_IPV6_LABEL,
        TP = PKT_SET_TP_SRC | PKT_SET_TP_DST,
    };
    bool ipv4 = (fm->dl_type == UINT16_MAX
                 && flow->dl_type == htons(ETH_TYPE_IP));
    bool ipv6 = (fm->dl_type == UINT16_MAX
                 && flow->dl_type == htons(ETH_TYPE_IPV6));
    uint8_t proto = fm->nw_proto == UINT8_MAX ? flow->nw_proto : 0;
    bool ports = (ipv4 || ipv6)
                 && (proto == IPPROTO_TCP || proto == IPPROTO_UDP);
    bool icmp = ((ipv4 && proto == IPPROTO_ICMP)
                 || (ipv6 && proto == IPPROTO_ICMPV6));
    uint32_t f = set->fields;

    if (f & ~(ETH | NW4 | NW | NW6 | TP)
        || (f & NW4 && !ipv4)
        || (f & NW && !ipv4 && !ipv6)
        || (f & NW6 && !ipv6)
        || (f & (NW4 | PKT_SET_IPV6_SRC | PKT_SET_IPV6_DST) && !proto)
        || (f & TP && !ports && !icmp)) {
        return false;
    }
    if (ports || icmp) {
        v->l4_proto = proto;
    }
    uint16_t tp_src = icmp ? XDP_ACT_SET_ICMP_TYPE : XDP_ACT_SET_TP_SRC;
    uint16_t tp_dst = icmp ? XDP_ACT_SET_ICMP_CODE : XDP_ACT_SET_TP_DST;
    uint32_t tp_src_arg = icmp ? ntohs(set->tp_src) & 0xff : set->tp_src;
    uint32_t tp_dst_arg = icmp ? ntohs(set->tp_dst) & 0xff : set->tp_dst;
    return ((!(f & PKT_SET_ETH_SRC)
             || add_action(v, XDP_ACT_SET_ETH_SRC, 0, &set->eth_src, 6))
            && (!(f & PKT_SET_ETH_DST)
                || add_action(v, XDP_ACT_SET_ETH_DST, 0, &set->eth_dst, 6))
            && (!(f & PKT_SET_NW_SRC)
                || add_action(v, XDP_ACT_SET_IPV4_SRC, set->nw_src, NULL, 0))
            && (!(f & PKT_SET_NW_DST)
                || add_action(v, XDP_ACT_SET_IPV4_DST, set->nw_dst, NULL, 0))
            && (!(f & PKT_SET_IPV6_SRC)
                || add_action(v, XDP_ACT_SET_IPV6_SRC, 0, &set->ipv6_src,
                              16))
            && (!(f & PKT_SET_IPV6_DST)
                || add_action(v, XDP_ACT_SET_IPV6_DST, 0, &set->ipv6_dst,
                              16))
            && (!(f & PKT_SET_IPV6_LABEL)
                || add_action(v, XDP_ACT_SET_IPV6_LABEL, set->ipv6_label,
                              NULL, 0))
            && (!(f & PKT_SET_NW_TOS)
                || add_action(v, ipv4 ? XDP_ACT_SET_IPV4_TOS
                                      : XDP_ACT_SET_IPV6_TC,
                              set->nw_tos, NULL, 0))
            && (!(f & PKT_SET_NW_TTL)
                || add_action(v, ipv4 ? XDP_ACT_SET_IPV4_TTL
                                      : XDP_ACT_SET_IPV6_HLIMIT,
                              set->nw_ttl, NULL, 0))
            && (!(f & PKT_SET_TP_SRC)
                || add_action(v, tp_src, tp_src_arg, NULL, 0))
            && (!(f & PKT_SET_TP_DST)
                || add_action(v, tp_dst, tp_dst_arg, NULL, 0)));
}

/* Whether the program can push 'e': Ethernet, IPv4 without options and
 * UDP, where it fills in lengths, checksum and source port. */
static bool
encap_ok(const struct dp_xdp_encap *e)
{
    return (e->len >= XDP_TNL_PUSH_MIN && e->len <= XDP_TNL_PUSH_MAX
            && e->hdr[12] == 0x08 && e->hdr[13] == 0x00
            && e->hdr[14] == 0x45 && e->hdr[23] == IPPROTO_UDP
            && e->src_port_max >= e->src_port_min
            && is_internal_id(e->in_port));
}

/* What tunnel port 'port_no' gives for encapsulating with 'tnl' into
 * '*enc', if the program can push it. */
static bool
encap_get(const struct dp_xdp *x, uint32_t port_no,
          const struct flow_tnl *tnl, struct dp_xdp_encap *enc)
{
    memset(enc, 0, sizeof *enc);
    return (x->encap && x->encap(x->encap_aux, port_no, tnl, enc)
            && encap_ok(enc));
}

/* The program's actions for the megaflow's, or false if one of them is
 * not a kernel action.  '*tnlp' is the tunnel of their last action if
 * it pushes 'enc' (its header slot not yet chosen), else NULL. */
static bool
actions_from_megaflow(const struct dp_xdp *x, const struct flow *flow,
                      const struct flow *fm, const struct dp_action *acts,
                      unsigned int n, const struct packet_set *sets,
                      struct xvs_xdp_flow *v, uint32_t *out_port,
                      struct dp_xdp_encap *enc, const struct flow_tnl **tnlp)
{
    const struct flow_tnl *tnl = NULL;
    /* The program checks the outer MTU before any action, which must
     * therefore keep the frame's length. */
    bool resized = false;

    memset(v, 0, sizeof *v);
    *out_port = UINT32_MAX;
    *tnlp = NULL;
    for (unsigned int i = 0; i < n; i++) {
        const struct dp_action *a = &acts[i];
        bool ok;

        switch (a->type) {
        case DP_ACTION_OUTPUT: {
            int ifindex = port_ifindex(x, a->arg);
            if (is_internal_id(ifindex)) {
                ok = false;     /* Not a device the program reaches. */
            } else if (is_vport_id(ifindex)) {
                ok = i == n - 1 && !resized && tnl
                     && encap_get(x, a->arg, tnl, enc)
                     && add_action(v, XDP_ACT_TNL_PUSH, 0, NULL, 0);
                *tnlp = ok ? tnl : NULL;
            } else {
                ok = i == n - 1 && ifindex
                     && add_action(v, XDP_ACT_OUTPUT, ifindex, NULL, 0);
            }
            *out_port = a->arg;
            break;
        }
        case DP_ACTION_SET_TUNNEL:
            tnl = &sets[a->arg].tunnel;
            ok = true;
            break;
        case DP_ACTION_PUSH_VLAN:
            ok = add_action(v, XDP_ACT_PUSH_VLAN,
                            htons(a->arg & ~VLAN_CFI), NULL, 0);
            resized = true;
            break;
        case DP_ACTION_POP_VLAN:
            ok = add_action(v, XDP_ACT_POP_VLAN, 0, NULL, 0);
            resized = true;
            break;
        case DP_ACTION_SET:
            ok = set_to_actions(&sets[a->arg], flow, fm, v);
            break;
        case DP_ACTION_TNL_POP: {
            /* A Geneve or VXLAN packet over IPv4 for a tunnel port of
             * ours: which one, the UDP port says. */
            int type = (fm->dl_type == UINT16_MAX && fm->nw_proto == UINT8_MAX
                        && fm->tp_dst == UINT16_MAX
                        && flow->dl_type == htons(ETH_TYPE_IP)
                        && flow->nw_proto == IPPROTO_UDP
                        ? tnl_type_of_udp_port(flow->tp_dst) : 0);
            ok = n == 1 && type
                 && add_action(v, XDP_ACT_TNL_POP, type, NULL, 0);
            break;
        }
        case DP_ACTION_TRUNC:
        case DP_ACTION_PUSH_MPLS:
        case DP_ACTION_POP_MPLS:
        case DP_ACTION_CLONE_BEGIN:
        case DP_ACTION_CLONE_END:
        default:
            ok = false;
            break;
        }
        if (!ok) {
            return false;
        }
    }
    return true;
}

/* ---- Entries. ---- */

static uint32_t
fkey_hash(const struct xvs_xdp_flow_key *fk)
{
    return hash_bytes(fk, sizeof *fk, 0);
}

static void
write_config(void)
{
    uint32_t zero = 0;
    struct xvs_xdp_config cfg = { .n_masks = n_slots_used,
                                  .tnl_kinds = tnl_kinds };
    bpf_map_update_elem(shared_fds[M_CONFIG], &zero, &cfg, BPF_ANY);
}

/* The slot of 'mask', taken (and written) if new, or -1 if every slot
 * holds another mask. */
static int
slot_get(const struct xvs_xdp_key *mask)
{
    int free_slot = -1;
    for (int i = 0; i < XDP_MAX_MASKS; i++) {
        if (slots[i].refcnt && !memcmp(&slots[i].mask, mask, sizeof *mask)) {
            slots[i].refcnt++;
            return i;
        }
        if (!slots[i].refcnt && free_slot < 0) {
            free_slot = i;
        }
    }
    if (free_slot < 0) {
        return -1;
    }
    uint32_t key = free_slot;
    struct xvs_xdp_mask m = { .used = 1,
                              .n_words = xvs_xdp_mask_words(mask),
                              .mask = *mask };
    if (bpf_map_update_elem(shared_fds[M_MASKS], &key, &m, BPF_ANY)) {
        VLOG_WARN("cannot write XDP mask slot %d (%s)", free_slot,
                     strerror(errno));
        return -1;
    }
    slots[free_slot].refcnt = 1;
    slots[free_slot].mask = *mask;
    if ((uint32_t) free_slot + 1 > n_slots_used) {
        n_slots_used = free_slot + 1;
        write_config();
    }
    return free_slot;
}

static void
slot_put(int i)
{
    if (--slots[i].refcnt) {
        return;
    }
    uint32_t key = i;
    struct xvs_xdp_mask m = { .used = 0 };
    bpf_map_update_elem(shared_fds[M_MASKS], &key, &m, BPF_ANY);
    while (n_slots_used && !slots[n_slots_used - 1].refcnt) {
        n_slots_used--;
    }
    write_config();
}

/* The key the program gives the outer frame of 'e', tp_src aside (it
 * parses the header as dp-xdp.bpf.c's xvs_xdp_parse() does). */
static void
outer_key(const struct dp_xdp_encap *e, struct xvs_xdp_key *k)
{
    const uint8_t *h = e->hdr;

    memset(k, 0, sizeof *k);
    k->ifindex = e->in_port;
    memcpy(k->dl_dst, h, 6);
    memcpy(k->dl_src, h + 6, 6);
    memcpy(&k->dl_type, h + 12, 2);
    k->nw_tos = h[ETH_HEADER_LEN + 1];
    k->nw_ttl = h[ETH_HEADER_LEN + 8];
    k->nw_proto = h[ETH_HEADER_LEN + 9];
    memcpy(&k->nw_src, h + ETH_HEADER_LEN + 12, 4);
    memcpy(&k->nw_dst, h + ETH_HEADER_LEN + 16, 4);
    memcpy(&k->tp_dst, h + ETH_HEADER_LEN + IP_HEADER_LEN + 2, 2);
}

static void
push_value(const struct dp_xdp_encap *e, struct xvs_xdp_tnl_push *v)
{
    memset(v, 0, sizeof *v);
    outer_key(e, &v->outer);
    v->len = e->len;
    v->mtu = e->mtu;
    v->src_port_min = e->src_port_min;
    v->src_port_range = (uint32_t) e->src_port_max - e->src_port_min + 1;
    memcpy(v->hdr, e->hdr, e->len);
}

/* A slot holding 'e' (shared with the entries that push the same), or
 * -1 if every slot holds another. */
static int
push_get(const struct dp_xdp_encap *e)
{
    struct xvs_xdp_tnl_push v;
    int free_slot = -1;

    push_value(e, &v);
    for (int i = 0; i < XDP_MAX_TNL_PUSH; i++) {
        struct push_slot *ps = &push_slots[i];
        if (ps->refcnt && !memcmp(&ps->push, &v, sizeof v)) {
            ps->refcnt++;
            return i;
        }
    }
    for (int i = 0; i < XDP_MAX_TNL_PUSH && free_slot < 0; i++) {
        int j = (push_next + i) % XDP_MAX_TNL_PUSH;
        if (!push_slots[j].refcnt) {
            free_slot = j;
        }
    }
    uint32_t key = free_slot;
    if (free_slot < 0
        || bpf_map_update_elem(shared_fds[M_TNL_PUSH], &key, &v, BPF_ANY)) {
        return -1;
    }
    push_slots[free_slot].refcnt = 1;
    push_slots[free_slot].push = v;
    push_next = free_slot + 1;
    return free_slot;
}

static void
push_put(int i)
{
    if (i >= 0) {
        push_slots[i].refcnt--;
    }
}

/* 'e' now pushes the header in slot 'push' (or none: -1) for 'tnl'; it
 * takes over the slot's reference and lets go of the one it pushed
 * before. */
static void
entry_set_push(struct dp_xdp_flow *e, int push, const struct flow_tnl *tnl)
{
    push_put(e->push);
    e->push = push;
    if (push >= 0) {
        e->push_tnl = *tnl;
    }
}

/* The host's routes, addresses or neighbours changed (tnl-native.h): an
 * entry whose header its port would no longer give leaves the kernel at
 * once, to be converted again by the revalidation that follows. */
static void
routes_changed(void)
{
    struct dp_xdp_flow *e, *next;

    HMAP_FOR_EACH_SAFE (e, next, node, &entries) {
        struct dp_xdp_encap enc;
        struct xvs_xdp_tnl_push v;

        if (e->push < 0) {
            continue;
        }
        if (encap_get(e->dp, e->out_port, &e->push_tnl, &enc)) {
            push_value(&enc, &v);
            if (!memcmp(&v, &push_slots[e->push].push, sizeof v)) {
                continue;
            }
        }
        entry_kill(e);
    }
}

/* Moves what the kernel counted for 'e' since the last time into its
 * 'unread_*'. */
static void
entry_fetch(struct dp_xdp_flow *e)
{
    struct xvs_xdp_flow v;
    if (e->live
        && !bpf_map_lookup_elem(shared_fds[M_FLOWS], &e->digest, &v)
        && v.n_packets != e->read_packets) {
        e->unread_packets += v.n_packets - e->read_packets;
        e->unread_bytes += v.n_bytes - e->read_bytes;
        e->read_packets = v.n_packets;
        e->read_bytes = v.n_bytes;
    }
}

/* Adds what the kernel counted for 'e' and nobody read yet to
 * '*n_packets' and '*n_bytes'; whether there was any. */
static bool
entry_read(struct dp_xdp_flow *e, uint64_t *n_packets, uint64_t *n_bytes)
{
    entry_fetch(e);
    if (!e->unread_packets) {
        return false;
    }
    *n_packets += e->unread_packets;
    *n_bytes += e->unread_bytes;
    e->unread_packets = e->unread_bytes = 0;
    return true;
}

/* Takes 'e' out of the kernel, keeping what it counted for the next
 * read; holders keep it until they let go. */
static void
entry_kill(struct dp_xdp_flow *e)
{
    if (!e->live) {
        return;
    }
    entry_fetch(e);
    bpf_map_delete_elem(shared_fds[M_FLOWS], &e->digest);
    hmap_remove(&entries, &e->node);
    slot_put(e->fkey.mask_id);
    entry_set_push(e, -1, NULL);
    e->live = false;
    COVERAGE_INC(xdp_flow_del);
}

static void
entry_unref(struct dp_xdp_flow *e, uint64_t *n_packets, uint64_t *n_bytes)
{
    bool last = !--e->refcnt;
    if (last) {
        entry_kill(e);
    }
    entry_read(e, n_packets, n_bytes);
    if (last) {
        free(e);
    }
}

static struct dp_xdp_flow *
entry_find(const struct xvs_xdp_flow_key *fk, uint32_t hash)
{
    struct dp_xdp_flow *e;
    HMAP_FOR_EACH_WITH_HASH (e, node, hash, &entries) {
        if (!memcmp(&e->fkey, fk, sizeof *fk)) {
            return e;
        }
    }
    return NULL;
}

/* Writes 'e''s actions, keeping the kernel's counters.  A new entry
 * ('flags' BPF_NOEXIST) whose digest another one has is refused. */
static bool
entry_write(struct dp_xdp_flow *e, uint64_t flags)
{
    struct xvs_xdp_flow v = e->value;
    struct xvs_xdp_flow cur;
    v.key = e->fkey;
    if (flags != BPF_NOEXIST
        && !bpf_map_lookup_elem(shared_fds[M_FLOWS], &e->digest, &cur)) {
        v.n_packets = cur.n_packets;
        v.n_bytes = cur.n_bytes;
    } else {
        v.n_packets = e->read_packets;
        v.n_bytes = e->read_bytes;
    }
    if (bpf_map_update_elem(shared_fds[M_FLOWS], &e->digest, &v, flags)) {
        VLOG_DBG("cannot write an XDP flow (%s)", strerror(errno));
        return false;
    }
    return true;
}

struct dp_xdp_flow *
dp_xdp_flow_put(struct dp_xdp *x, struct dp_xdp_flow *old,
                const struct dp_key *key, const struct dp_key_mask *mask,
                const struct dp_action *acts, unsigned int n_acts,
                const struct packet_set *sets,
                uint64_t *n_packets, uint64_t *n_bytes)
{
    struct flow_wildcards wc;
    struct flow flow;
    struct xvs_xdp_key k, m;
    struct xvs_xdp_flow v;
    uint32_t out_port;
    struct dp_xdp_encap enc;
    const struct flow_tnl *tnl;
    int push = -1;

    /* Without offloading devices (offload off, or no afxdp port) nothing
     * is converted: revalidation calls this for every megaflow.  Tunnel
     * and internal ports alone have nothing to come from or go to. */
    bool convert = x->n_devices && shared_ready;
    if (convert) {
        dp_key_to_flow(key, &flow);
        dp_key_mask_to_wc(mask, &wc);
    }
    if (!convert || !key_from_megaflow(x, &flow, &wc.masks, &k, &m)
        || !actions_from_megaflow(x, &flow, &wc.masks, acts, n_acts, sets,
                                  &v, &out_port, &enc, &tnl)
        || (tnl && (push = push_get(&enc)) < 0)) {
        if (old) {
            entry_unref(old, n_packets, n_bytes);
        }
        COVERAGE_INC(xdp_flow_unsupported);
        return NULL;
    }
    if (tnl) {
        v.actions[v.n_actions - 1].arg = push;
    }

    if (old && old->live && !memcmp(&old->fkey.masked, &k, sizeof k)
        && !memcmp(&slots[old->fkey.mask_id].mask, &m, sizeof m)) {
        /* Same match: new actions in place. */
        entry_read(old, n_packets, n_bytes);
        if (memcmp(old->value.actions, v.actions, sizeof v.actions)
            || old->value.n_actions != v.n_actions
            || old->value.l4_proto != v.l4_proto) {
            old->value = v;
            old->out_port = out_port;
            entry_write(old, BPF_EXIST);
        }
        entry_set_push(old, push, tnl);
        return old;
    }
    if (old) {
        entry_unref(old, n_packets, n_bytes);
    }

    struct xvs_xdp_flow_key fk;
    memset(&fk, 0, sizeof fk);
    fk.masked = k;
    int slot = slot_get(&m);
    if (slot < 0) {
        push_put(push);
        COVERAGE_INC(xdp_flow_no_room);
        return NULL;
    }
    fk.mask_id = slot;
    uint32_t hash = fkey_hash(&fk);
    struct dp_xdp_flow *e = entry_find(&fk, hash);
    if (e) {
        /* Another thread's megaflow of the same match: one entry, the
         * latest actions. */
        slot_put(slot);
        e->refcnt++;
        if (memcmp(e->value.actions, v.actions, sizeof v.actions)
            || e->value.n_actions != v.n_actions) {
            e->value = v;
            e->out_port = out_port;
            entry_write(e, BPF_EXIST);
        }
        entry_set_push(e, push, tnl);
        return e;
    }

    e = xzalloc(sizeof *e);
    e->fkey = fk;
    e->digest = xvs_xdp_digest(&fk, xvs_xdp_mask_words(&slots[slot].mask));
    e->value = v;
    e->refcnt = 1;
    e->dp = x;
    e->in_port = flow.in_port;
    e->out_port = out_port;
    e->push = -1;
    entry_set_push(e, push, tnl);
    if (!entry_write(e, BPF_NOEXIST)) {
        slot_put(slot);
        push_put(push);
        free(e);
        COVERAGE_INC(xdp_flow_no_room);
        return NULL;
    }
    e->live = true;
    hmap_insert(&entries, &e->node, hash);
    COVERAGE_INC(xdp_flow_put);
    return e;
}

bool
dp_xdp_flow_read(struct dp_xdp_flow *e, uint64_t *n_packets,
                 uint64_t *n_bytes)
{
    return entry_read(e, n_packets, n_bytes);
}

bool
dp_xdp_flow_offloaded(const struct dp_xdp_flow *e)
{
    return e->live;
}


void
dp_xdp_flow_del(struct dp_xdp_flow *e, uint64_t *n_packets,
                uint64_t *n_bytes)
{
    entry_unref(e, n_packets, n_bytes);
}

/* ---- Statistics. ---- */

static uint64_t
counter_sum(uint32_t key)
{
    int n_cpus = libbpf_num_possible_cpus();
    uint64_t sum = 0;

    if (n_cpus <= 0) {
        return 0;
    }
    uint64_t *values = xcalloc(n_cpus, sizeof *values);
    if (!bpf_map_lookup_elem(shared_fds[M_COUNTERS], &key, values)) {
        for (int i = 0; i < n_cpus; i++) {
            sum += values[i];
        }
    }
    free(values);
    return sum;
}

void
dp_xdp_format_stats(struct ds *s)
{
    if (!shared_ready) {
        return;
    }
    unsigned int n_masks = 0;
    for (int i = 0; i < XDP_MAX_MASKS; i++) {
        n_masks += slots[i].refcnt > 0;
    }
    ds_put_format(s, "xdp offload:\n"
                  "  flows: %zu\n"
                  "  masks: %u\n"
                  "  kernel hits: %"PRIu64"\n"
                  "  kernel misses: %"PRIu64"\n"
                  "  not parsed in kernel: %"PRIu64"\n"
                  "  kernel action errors: %"PRIu64"\n"
                  "  tunnel packets decapsulated in kernel: %"PRIu64"\n"
                  "  tunnel packets encapsulated in kernel: %"PRIu64"\n",
                  hmap_count(&entries), n_masks,
                  counter_sum(XDP_CTR_HIT), counter_sum(XDP_CTR_MISS),
                  counter_sum(XDP_CTR_PUNT), counter_sum(XDP_CTR_ERROR),
                  counter_sum(XDP_CTR_TNL_POP), counter_sum(XDP_CTR_TNL_PUSH));
}
