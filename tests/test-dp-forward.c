/* test-dp-forward: a two-port datapath with a fixed "send it out of the
 * other port" upcall, so the packet path and every port type can be
 * tested without the switch daemon.
 *
 * Usage: test-dp-forward [--unixctl=SOCKET] [--vlan=VID] PORT1 PORT2
 * where PORTn is TYPE:NAME[,KEY=VALUE...].
 *
 * With --vlan, frames from PORT1 get an 802.1Q tag VID pushed and frames
 * from PORT2 get their tag popped.  Prints "ready" once both ports are up;
 * runs until its standard input (a pipe, FIFO or terminal) reaches end of
 * file, then prints each port's statistics and exits; with standard input
 * a file or /dev/null, it does that at once.  With --unixctl it also serves the
 * netdev-dummy commands and "dp/show" on SOCKET. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "datapath/dpif.h"
#include "evloop.h"
#include "packets.h"
#include "unixctl.h"
#include "util.h"

struct forwarder {
    struct dp *dp;
    uint32_t ports[2];
    int vlan;                   /* -1: no VLAN actions. */
};

/* The decision depends on the input port only, so it is cached as a
 * megaflow on in_port: after the first packet each way, the datapath
 * forwards without upcalls. */
static void
forward_upcall(void *aux, const struct flow *flow,
               struct dp_packet *packet XVS_UNUSED, struct dp_actions *out,
               struct dp_upcall_install *install)
{
    struct forwarder *fw = aux;

    install->install = true;
    memset(&install->wc, 0, sizeof install->wc);
    install->wc.masks.in_port = UINT32_MAX;

    if (flow->in_port == fw->ports[0]) {
        if (fw->vlan >= 0) {
            dp_actions_add(out, DP_ACTION_PUSH_VLAN, fw->vlan);
        }
        dp_actions_add_output(out, fw->ports[1]);
    } else if (flow->in_port == fw->ports[1]) {
        if (fw->vlan >= 0) {
            dp_actions_add(out, DP_ACTION_POP_VLAN, 0);
        }
        dp_actions_add_output(out, fw->ports[0]);
    }
}

static void
format_port(struct ds *s, const struct dp *dp, uint32_t port_no)
{
    struct dp_port_status st;
    struct dp_port_stats stats;

    dp_port_get_status(dp, port_no, &st);
    dp_port_get_stats(dp, port_no, &stats);
    ds_put_format(s, "%s: port %"PRIu32" type %s mac ",
                  dp_port_get_name(dp, port_no), port_no,
                  dp_port_get_type(dp, port_no));
    eth_format(s, &st.mac);
    ds_put_format(s, " mtu %d admin %s link %s ifindex %s\n", st.mtu,
                  st.admin_up ? "up" : "down", st.link_up ? "up" : "down",
                  st.ifindex ? "set" : "none");
    ds_put_format(s, "  rx packets=%"PRIu64" bytes=%"PRIu64" dropped=%"PRIu64
                  " errors=%"PRIu64"\n", stats.rx_packets, stats.rx_bytes,
                  stats.rx_dropped, stats.rx_errors);
    ds_put_format(s, "  tx packets=%"PRIu64" bytes=%"PRIu64" dropped=%"PRIu64
                  " errors=%"PRIu64"\n", stats.tx_packets, stats.tx_bytes,
                  stats.tx_dropped, stats.tx_errors);
}

static void
format_ports(struct ds *s, const struct forwarder *fw)
{
    for (int i = 0; i < 2; i++) {
        format_port(s, fw->dp, fw->ports[i]);
    }
}

static void
unixctl_show(struct unixctl_conn *conn, int argc XVS_UNUSED,
             const char *argv[] XVS_UNUSED, void *fw_)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    format_ports(&s, fw_);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

/* "dp/execute HEXPACKET PORT": PACKET_OUT through dp_execute(). */
static void
unixctl_execute(struct unixctl_conn *conn, int argc XVS_UNUSED,
                const char *argv[], void *fw_)
{
    struct forwarder *fw = fw_;
    struct dp_actions acts;
    uint32_t port_no;
    uint8_t *data;
    size_t len;
    int error;

    data = packet_from_hex(argv[1], &len);
    if (!data) {
        unixctl_command_reply_error(conn, "bad hex packet");
        return;
    }
    if (dp_port_lookup(fw->dp, argv[2], &port_no)) {
        free(data);
        unixctl_command_reply_error(conn, "no such port");
        return;
    }
    dp_actions_init(&acts);
    dp_actions_add_output(&acts, port_no);
    error = dp_execute(fw->dp, data, len, 0xfffffffd, &acts);
    free(data);
    if (error) {
        unixctl_command_reply_error(conn, strerror(-error));
    } else {
        unixctl_command_reply(conn, "");
    }
}

static void
stdin_readable(evutil_socket_t fd, short what XVS_UNUSED, void *aux)
{
    char buf[256];
    ssize_t n = fd < 0 ? 0 : read(fd, buf, sizeof buf);

    if (n <= 0 && !(n < 0 && errno == EINTR)) {
        struct ds s = DS_EMPTY_INITIALIZER;

        format_ports(&s, aux);
        fputs(ds_cstr(&s), stdout);
        fflush(stdout);
        ds_destroy(&s);
        evloop_exit();
    }
}

/* Parses "TYPE:NAME[,KEY=VALUE...]" and adds the port. */
static uint32_t
add_port(struct dp *dp, const char *spec_)
{
    char *spec = xstrdup(spec_);
    struct dp_option options[16];
    size_t n = 0;
    char *colon = strchr(spec, ':');
    char *name, *opt, *save;
    uint32_t port_no = 0;
    int error;

    if (!colon) {
        xvs_fatal(0, "%s: port must be TYPE:NAME[,KEY=VALUE...]", spec);
    }
    *colon = '\0';
    name = strtok_r(colon + 1, ",", &save);
    if (!name) {
        xvs_fatal(0, "%s: missing port name", spec);
    }
    while ((opt = strtok_r(NULL, ",", &save)) != NULL) {
        char *eq = strchr(opt, '=');

        if (!eq || n >= ARRAY_SIZE(options)) {
            xvs_fatal(0, "%s: bad option", opt);
        }
        *eq = '\0';
        options[n].key = opt;
        options[n].value = eq + 1;
        n++;
    }
    error = dp_port_add(dp, name, spec, options, n, &port_no);
    if (error) {
        xvs_fatal(-error, "%s: adding %s port failed", name, spec);
    }
    free(spec);
    return port_no;
}

int
main(int argc, char *argv[])
{
    static const struct option long_options[] = {
        { "unixctl", required_argument, NULL, 'u' },
        { "vlan", required_argument, NULL, 'v' },
        { NULL, 0, NULL, 0 },
    };
    struct forwarder fw = { .vlan = -1 };
    const char *unixctl_path = NULL;
    struct event *stdin_ev;
    struct stat st;
    long long vid;
    int c, error;

    xvs_set_program_name(argv[0]);
    while ((c = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
        switch (c) {
        case 'u':
            unixctl_path = optarg;
            break;
        case 'v':
            if (!str_to_llong(optarg, 10, &vid) || vid < 0 || vid > 4095) {
                xvs_fatal(0, "%s: bad VLAN id", optarg);
            }
            fw.vlan = vid;
            break;
        default:
            exit(EXIT_FAILURE);
        }
    }
    if (argc - optind != 2) {
        xvs_fatal(0, "usage: %s [--unixctl=SOCKET] [--vlan=VID] PORT1 PORT2",
                  program_name);
    }

    error = dp_create("test", forward_upcall, &fw, &fw.dp);
    if (error) {
        xvs_fatal(-error, "creating datapath failed");
    }
    fw.ports[0] = add_port(fw.dp, argv[optind]);
    fw.ports[1] = add_port(fw.dp, argv[optind + 1]);

    if (unixctl_path) {
        error = unixctl_server_create(unixctl_path);
        if (error) {
            xvs_fatal(error, "%s: cannot listen", unixctl_path);
        }
        dp_dummy_register_unixctl();
        unixctl_command_register("dp/show", "", 0, 0, unixctl_show, &fw);
        unixctl_command_register("dp/execute", "HEXPACKET PORT", 2, 2,
                                 unixctl_execute, &fw);
    }

    printf("ready\n");
    fflush(stdout);
    /* epoll cannot wait on a regular file such as /dev/null: treat one
     * as an immediate end of file. */
    if (fstat(STDIN_FILENO, &st) || S_ISREG(st.st_mode)
        || S_ISCHR(st.st_mode)) {
        stdin_readable(-1, 0, &fw);
    } else {
        stdin_ev = event_new(evloop_base(), STDIN_FILENO,
                             EV_READ | EV_PERSIST, stdin_readable, &fw);
        event_add(stdin_ev, NULL);
        evloop_run();
        event_free(stdin_ev);
    }
    dp_destroy(fw.dp);
    return 0;
}
