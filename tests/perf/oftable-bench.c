/* oftable-bench: what an OpenFlow table's changes and lookups cost.
 *
 * Usage: oftable-bench [N_RULES...]     (default: 10000 100000)
 *
 * Fills table 0 with N_RULES rules over 20 masks (tcp,nw_dst=A/L with L
 * from 12 to 31, priority L, as a routing table has), then prints, on
 * the real clock:
 *   - adds/s:    the flow_mods that added them (flow_table_apply()
 *                only: the matches are parsed outside the clock);
 *   - lookups/s: translation's lookups (with a megaflow mask) of packets
 *                to the rules' addresses, by tuple space search (the
 *                table is larger than RULE_INDEX_SCAN_MAX), and the same
 *                lookups by a scan of the rule list (what every table
 *                did before; a few hundred only, it is slow);
 *   - deletes/s: strict deletes of every rule.
 * Figures on a shared machine are noisy: compare the lines of one run.
 *
 * Not run by "make check"; built so that it stays compilable. */
#include <config.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "conjunction.h"
#include "flow-table.h"
#include "meta-flow.h"
#include "ofp-actions.h"
#include "ofp-port.h"
#include "util.h"

static double
now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint32_t rng_state = 2463534242u;

static uint32_t
rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

#define N_MASKS 20

static struct ft_flow_mod
rule_mod(enum ft_command command, uint32_t addr, int len,
         const struct ofpacts *ofpacts)
{
    struct ft_flow_mod fm = {
        .command = command, .table_id = 0, .priority = len,
        .out_port = OFPP_ANY, .ofpacts = ofpacts,
    };
    char s[64];
    snprintf(s, sizeof s, "tcp,nw_dst=%u.%u.%u.%u/%d", addr >> 24,
             (addr >> 16) & 0xff, (addr >> 8) & 0xff, addr & 0xff, len);
    char *error = match_parse(&fm.match, s);
    if (error) {
        fprintf(stderr, "oftable-bench: %s\n", error);
        exit(1);
    }
    return fm;
}

static void
bench(size_t n_rules)
{
    uint32_t *addrs = xmalloc(n_rules * sizeof *addrs);
    int *lens = xmalloc(n_rules * sizeof *lens);
    struct ofpacts ofpacts = OFPACTS_EMPTY_INITIALIZER;
    struct flow_table ft;
    char *error = ofpacts_parse("output:2", &ofpacts);

    if (error) {
        fprintf(stderr, "oftable-bench: %s\n", error);
        exit(1);
    }
    for (size_t i = 0; i < n_rules; i++) {
        lens[i] = 12 + i % N_MASKS;
        addrs[i] = rng() & ~(UINT32_MAX >> lens[i]);
    }

    flow_table_init(&ft);
    double t_add = 0;
    for (size_t i = 0; i < n_rules; i++) {
        struct ft_flow_mod fm = rule_mod(FT_ADD, addrs[i], lens[i], &ofpacts);
        double t0 = now_sec();
        flow_table_apply(&ft, &fm, NULL);
        t_add += now_sec() - t0;
    }
    size_t n_in = flow_table_count(&ft);

    enum { N_FLOWS = 4096 };
    struct flow *flows = xcalloc(N_FLOWS, sizeof *flows);
    for (size_t i = 0; i < N_FLOWS; i++) {
        size_t r = rng() % n_rules;
        flows[i].dl_type = htons(0x0800);
        flows[i].nw_proto = 6;
        flows[i].nw_dst = htonl(addrs[r] | (rng() & (UINT32_MAX >> lens[r])));
    }
    size_t n_lookups = 0, n_hits = 0;
    double t0 = now_sec(), t_lookup;
    do {
        for (size_t i = 0; i < N_FLOWS; i++) {
            struct flow_wildcards wc;
            memset(&wc, 0, sizeof wc);
            n_hits += flow_table_lookup_wc(&ft, 0, &flows[i], &wc) != NULL;
        }
        n_lookups += N_FLOWS;
        t_lookup = now_sec() - t0;
    } while (t_lookup < 1.0);

    size_t n_scans = n_rules > 10000 ? 50 : 500;
    t0 = now_sec();
    for (size_t i = 0; i < n_scans; i++) {
        struct flow_wildcards wc;
        memset(&wc, 0, sizeof wc);
        conjunction_lookup(&ft.tables[0].rules.list, &flows[i % N_FLOWS],
                           &wc);
    }
    double t_scan = now_sec() - t0;

    double t_del = 0;
    for (size_t i = 0; i < n_rules; i++) {
        struct ft_flow_mod fm = rule_mod(FT_DELETE_STRICT, addrs[i], lens[i],
                                         &ofpacts);
        t0 = now_sec();
        flow_table_apply(&ft, &fm, NULL);
        t_del += now_sec() - t0;
    }
    if (flow_table_count(&ft) || n_hits != n_lookups) {
        fprintf(stderr, "oftable-bench: %zu rules left, %zu of %zu "
                "lookups missed\n", flow_table_count(&ft),
                n_lookups - n_hits, n_lookups);
        exit(1);
    }
    flow_table_drain_removed(&ft, NULL, NULL);
    flow_table_destroy(&ft);

    printf("%7zu rules (%zu distinct), %d masks: %9.0f adds/s  "
           "%9.0f lookups/s (scan: %7.0f)  %9.0f deletes/s\n",
           n_rules, n_in, N_MASKS, n_rules / t_add, n_lookups / t_lookup,
           n_scans / t_scan, n_rules / t_del);
    free(flows);
    free(addrs);
    free(lens);
    ofpacts_uninit(&ofpacts);
}

int
main(int argc, char *argv[])
{
    if (argc < 2) {
        bench(10000);
        bench(100000);
    }
    for (int i = 1; i < argc; i++) {
        char *end;
        unsigned long n = strtoul(argv[i], &end, 10);
        if (*end || !n) {
            fprintf(stderr, "oftable-bench: bad rule count \"%s\"\n",
                    argv[i]);
            return 1;
        }
        bench(n);
    }
    return 0;
}
