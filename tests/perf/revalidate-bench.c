/* revalidate-bench: how long revalidating a bridge's megaflows takes.
 *
 * Usage: revalidate-bench [N_FLOWS...]     (default: 10000 100000)
 *
 * Builds a bridge with two dummy ports and a two-table pipeline (table 0
 * resubmits UDP from port 1 to table 1, which outputs), disables
 * megaflows so that every distinct packet is a megaflow of its own,
 * receives N_FLOWS distinct UDP packets on port 1, and then times, on
 * the real clock, a flow_mod followed by the revalidation it causes:
 *   - "kept":     a rule in a table no translation visits is added;
 *   - "modified": the output rule gets new actions (every megaflow is
 *                 modified in place);
 *   - "deleted":  a rule sending the packets to the controller is added
 *                 (not cacheable: every megaflow goes).
 * Each translation visits two tables, as a short pipeline does; longer
 * pipelines cost proportionally more per megaflow.  Figures on a shared
 * machine are noisy: compare the lines of one run with each other.
 *
 * Not run by "make check"; built so that it stays compilable. */
#include <config.h>

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "datapath/dpif.h"
#include "meta-flow.h"
#include "ofp-actions.h"
#include "flow-table.h"
#include "ofproto.h"
#include "ofproto-private.h"
#include "util.h"

static double
now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
flow_mod(struct ofproto *p, enum ft_command command, uint8_t table_id,
         uint16_t priority, const char *match_s, const char *actions)
{
    struct ft_flow_mod fm = {
        .command = command,
        .table_id = table_id,
        .priority = priority,
        .out_port = OFPP_ANY,
    };
    struct ofpacts ofpacts = OFPACTS_EMPTY_INITIALIZER;
    char *error = match_parse(&fm.match, match_s);
    if (!error) {
        error = ofpacts_parse(actions, &ofpacts);
    }
    if (error) {
        xvs_fatal(0, "%s", error);
    }
    fm.ofpacts = &ofpacts;
    if (ofproto_flow_mod(p, &fm)) {
        xvs_fatal(0, "flow_mod \"%s\" failed", match_s);
    }
    ofpacts_uninit(&ofpacts);
}

/* A 42-byte UDP frame from port 1, distinct for each 'i'. */
static void
make_packet(uint8_t frame[42], uint32_t i)
{
    static const uint8_t head[14] = {
        0x50, 0x54, 0, 0, 0, 2, 0x50, 0x54, 0, 0, 0, 1, 0x08, 0x00,
    };
    memcpy(frame, head, sizeof head);
    uint8_t *ip = frame + 14;
    memset(ip, 0, 20);
    ip[0] = 0x45;
    ip[3] = 28;
    ip[8] = 64;
    ip[9] = 17;
    uint32_t src = htonl(0x0a000000 | (i >> 8)), dst = htonl(0x0a640001);
    memcpy(ip + 12, &src, 4);
    memcpy(ip + 16, &dst, 4);
    uint8_t *udp = ip + 20;
    uint16_t sport = htons(1024 + (i & 0xff)), dport = htons(80),
             ulen = htons(8);
    memcpy(udp, &sport, 2);
    memcpy(udp + 2, &dport, 2);
    memcpy(udp + 4, &ulen, 2);
    memset(udp + 6, 0, 2);
}

static void
fill(struct ofproto *p, size_t n)
{
    uint8_t frame[42];
    for (size_t i = 0; i < n; i++) {
        make_packet(frame, i);
        dp_dummy_receive("rb-p1", 0, frame, sizeof frame);
        if (i % 1000 == 999) {
            /* Sweeps raise the dynamic flow limit. */
            dp_run(p->dp);
        }
    }
    if (dp_flow_count(p->dp) != n) {
        xvs_fatal(0, "%zu megaflows instead of %zu", dp_flow_count(p->dp),
                  n);
    }
}

static void
timed(struct ofproto *p, const char *what, size_t n, enum ft_command cmd,
      uint8_t table_id, uint16_t priority, const char *match,
      const char *actions)
{
    double start = now_sec();
    flow_mod(p, cmd, table_id, priority, match, actions);
    ofproto_revalidate(p);
    double secs = now_sec() - start;
    printf("%7zu megaflows %-9s %8.1f ms  %6.2f us/megaflow  (%zu left)\n",
           n, what, secs * 1e3, secs * 1e6 / n, dp_flow_count(p->dp));
}

static void
bench(size_t n)
{
    struct ofproto *p;
    if (ofproto_create("rb-br", &p)) {
        xvs_fatal(0, "cannot create a bridge");
    }
    ofproto_set_fail_mode(p, OFPROTO_FAIL_SECURE);
    ofproto_set_flow_cache(p, 1000LL * 1000 * 1000, 1000 * 1000);
    for (uint32_t i = 1; i <= 3; i++) {
        char name[16];
        snprintf(name, sizeof name, "rb-p%"PRIu32, i);
        uint32_t port = i;
        if (ofproto_port_add(p, name, "dummy", NULL, 0, &port)) {
            xvs_fatal(0, "cannot add port %s", name);
        }
    }
    flow_mod(p, FT_ADD, 0, 10, "in_port=1,udp", "resubmit(,1)");
    flow_mod(p, FT_ADD, 1, 5, "udp,tp_dst=53", "output:3");
    flow_mod(p, FT_ADD, 1, 1, "", "output:2");

    fill(p, n);
    timed(p, "kept", n, FT_ADD, 7, 1, "", "drop");
    timed(p, "modified", n, FT_MODIFY_STRICT, 1, 1, "", "output:3");
    timed(p, "deleted", n, FT_ADD, 1, 20, "udp", "controller");
    ofproto_destroy(p);
}

int
main(int argc, char *argv[])
{
    ofproto_set_megaflows_enabled(false);
    if (argc < 2) {
        bench(10000);
        bench(100000);
    }
    for (int i = 1; i < argc; i++) {
        bench(strtoul(argv[i], NULL, 10));
    }
    return 0;
}
