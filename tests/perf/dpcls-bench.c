/* dpcls-bench: how fast the fast path's data structures are on one core.
 *
 * Usage: dpcls-bench [--quick] [SCENARIO...]
 *
 * Builds megaflow tables the way translation would (IPv4/TCP megaflows
 * over 5 to 100 masks, in_port exact in each so they never overlap) and
 * prints, per scenario, lookups per second and the average number of
 * subtables a lookup searched:
 *   - the classifier alone, in batches of 32 keys, with 1 rule, 10k and
 *     100k rules, traffic spread evenly over all rules (so ranking cannot
 *     help) and skewed (most traffic on two masks, after a rerank);
 *     then (scenarios 11 on) 5 and 100 masks, and traffic of which half
 *     or all the keys match no rule (so every subtable is searched), and
 *     (19, 20) keys looked up one at a time, as dpif.c does today;
 *   - (21, 22) key extraction from 64-byte TCP frames, through 'struct
 *     flow' or straight from the headers;
 *   - the whole per-packet path, flow -> key, hash, exact-match cache,
 *     classifier on a miss, probabilistic insertion, for 1 to 100k active
 *     flows, with the cache's hit rate.
 * Classifier scenarios time each chunk of 256 lookups with the thread
 * CPU clock, less the clock's own cost, measured at start-up.
 * Figures on a shared machine are noisy: compare the lines of
 * one run with each other, or count instructions under callgrind
 * (valgrind --tool=callgrind dpcls-bench --quick).
 *
 * xvs-bench's "classifier" row runs some of these scenarios by number.
 * Not run by "make check"; built so that it stays compilable. */
#include <config.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "datapath/dp-classifier.h"
#include "datapath/dp-emc.h"
#include "datapath/dp-key.h"
#include "flow-extract.h"
#include "meta-flow.h"
#include "util.h"

#define N_MASKS 20              /* The usual number of masks. */
#define MAX_MASKS 100

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd64(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dULL;
}

static double
now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
compare_doubles(const void *a_, const void *b_)
{
    const double *a = a_, *b = b_;
    return *a < *b ? -1 : *a > *b;
}

/* What a now_sec() pair around nothing measures: the thread CPU clock is
 * a system call (microseconds in a VM), as long as the lookups of a
 * whole chunk, so the classifier scenarios subtract it per chunk. */
static double
timer_overhead(void)
{
    static double overhead = -1;

    if (overhead < 0) {
        /* Called first outside any timed interval: see main(). */
        double samples[201];
        for (size_t i = 0; i < ARRAY_SIZE(samples); i++) {
            double start = now_sec();
            samples[i] = now_sec() - start;
        }
        qsort(samples, ARRAY_SIZE(samples), sizeof *samples,
              compare_doubles);
        overhead = samples[ARRAY_SIZE(samples) / 2];
    }
    return overhead;
}

/* A random IPv4/TCP packet. */
static void
random_packet(struct flow *flow)
{
    uint64_t r = rnd64();

    memset(flow, 0, sizeof *flow);
    flow->in_port = 1 + r % 64;
    memcpy(flow->dl_dst.ea, &r, 6);
    r = rnd64();
    memcpy(flow->dl_src.ea, &r, 6);
    flow->dl_type = htons(0x0800);
    r = rnd64();
    flow->nw_src = r;
    flow->nw_dst = r >> 32;
    flow->nw_proto = 6;
    flow->nw_ttl = 64;
    r = rnd64();
    flow->tp_src = r;
    flow->tp_dst = r >> 16;
}

/* The fields a mask may cover, with the mask bits it takes. */
static void
set_mask_field(struct flow *m, int which)
{
    switch (which) {
    case 0: memset(&m->dl_dst, 0xff, 6); break;
    case 1: memset(&m->dl_src, 0xff, 6); break;
    case 2: m->vlan_tci = 0xffff; break;
    case 3: m->nw_src = htonl(0xffffff00); break;
    case 4: m->nw_dst |= htonl(0xffff0000); break;
    case 5: m->nw_frag = 0xff; break;
    case 6: m->nw_proto = 0xff; break;
    case 7: m->tp_dst = 0xffff; break;
    case 8: m->tp_src = 0xffff; break;
    case 9: m->nw_ttl = 0xff; break;
    case 10: m->nw_tos = 0xfc; break;
    default: m->nw_dst |= htonl(0x0000ffff); break;
    }
}

/* Mask i: in_port, dl_type and a set of the fields above that differs
 * for each i (the bits of (i + 1) * 101 mod 2^11, 101 being odd).  Masks
 * from the 21st on also take the low half of nw_dst, so that each has a
 * random field and can hold many rules (some of the sets above have none:
 * nw_ttl and nw_proto alone are the same in every packet). */
static void
make_mask(struct flow_wildcards *wc, int i)
{
    unsigned int fields = (i + 1) * 101 % 2048 | (i >= 20 ? 2048 : 0);

    memset(wc, 0, sizeof *wc);
    wc->masks.in_port = UINT32_MAX;
    wc->masks.dl_type = 0xffff;
    for (int k = 0; k < 12; k++) {
        if (fields >> k & 1) {
            set_mask_field(&wc->masks, k);
        }
    }
    if (i >= N_MASKS) {
        wc->masks.nw_dst = htonl(~0u << (16 - i / N_MASKS));
    }
}

struct bench_rule {
    struct flow flow;           /* Masked values; in_port = mask + 1. */
    const struct flow_wildcards *wc;
};

struct table {
    struct flow_wildcards wcs[MAX_MASKS];
    struct bench_rule *rules;
    size_t n_rules;
    struct dpcls *cls;
};

static void
table_build(struct table *t, size_t n_rules, int n_masks)
{
    t->rules = xcalloc(n_rules, sizeof *t->rules);
    t->n_rules = 0;
    t->cls = dpcls_create();
    for (int m = 0; m < n_masks; m++) {
        make_mask(&t->wcs[m], m);
    }
    while (t->n_rules < n_rules) {
        struct bench_rule *r = &t->rules[t->n_rules];
        int m = t->n_rules % n_masks;
        const uint8_t *mb = (const uint8_t *) &t->wcs[m].masks;
        uint8_t *fb = (uint8_t *) &r->flow;
        struct dp_key_mask mask;
        struct dp_key key;

        random_packet(&r->flow);
        r->flow.in_port = m + 1;
        for (size_t b = 0; b < FLOW_KEY_LEN; b++) {
            fb[b] &= mb[b];
        }
        r->wc = &t->wcs[m];
        dp_key_from_flow(&key, &r->flow);
        dp_key_mask_from_wc(&mask, r->wc);
        if (dpcls_insert(t->cls, &key, &mask, r)) {
            t->n_rules++;
        }
    }
}

static void
table_destroy(struct table *t)
{
    dpcls_destroy(t->cls);
    free(t->rules);
}

/* A packet of rule 'r': random where the mask does not look. */
static void
packet_for_rule(struct flow *flow, const struct bench_rule *r)
{
    const uint8_t *mb = (const uint8_t *) &r->wc->masks;
    const uint8_t *rb = (const uint8_t *) &r->flow;
    uint8_t *fb = (uint8_t *) flow;

    random_packet(flow);
    for (size_t b = 0; b < FLOW_KEY_LEN; b++) {
        fb[b] = (fb[b] & ~mb[b]) | rb[b];
    }
}

/* Picks a rule: evenly, or with 90% of picks on the rules of masks 5
 * and 13. */
static const struct bench_rule *
pick_rule(const struct table *t, bool skewed)
{
    size_t i = rnd64() % t->n_rules;

    if (skewed && t->n_rules >= N_MASKS && rnd64() % 10) {
        int m = rnd64() & 1 ? 5 : 13;
        i = i - i % N_MASKS + m;
        if (i >= t->n_rules) {
            i -= N_MASKS;
        }
    }
    return &t->rules[i];
}

/* Keys are looked up in chunks of CHUNK, made afresh (untimed) for each
 * chunk from rules picked over the whole table: hot in cache like keys a
 * PMD just extracted, while the rules they hit are spread over all. */
#define CHUNK 256

static void
bench_classifier(const char *name, size_t n_rules, int n_masks, bool skewed,
                 int miss_pct, bool single, size_t n_lookups)
{
    struct table t;
    struct dp_key *keys = xmalloc(CHUNK * sizeof *keys);
    struct dpcls_stats before, after;
    size_t n_found = 0, n_expected = 0;
    double secs = 0;

    table_build(&t, n_rules, n_masks);
    for (size_t done = 0; done < n_lookups + n_lookups / 10; done += CHUNK) {
        bool warm = done < n_lookups / 10;

        for (size_t i = 0; i < CHUNK; i++) {
            struct flow flow;
            packet_for_rule(&flow, pick_rule(&t, skewed));
            if ((int) (rnd64() % 100) < miss_pct) {
                /* No rule has in_port 0: a miss in every subtable. */
                flow.in_port = 0;
            } else {
                n_expected++;
            }
            dp_key_from_flow(&keys[i], &flow);
        }
        if (!warm && !secs) {
            /* The ranking has seen the traffic. */
            dpcls_rerank(t.cls);
            dpcls_get_stats(t.cls, &before);
        }

        double start = now_sec();
        for (size_t i = 0; single && i < CHUNK; i++) {
            n_found += dpcls_lookup(t.cls, &keys[i]) != NULL;
        }
        for (size_t b0 = 0; !single && b0 < CHUNK; b0 += DPCLS_BATCH_MAX) {
            const struct dp_key *batch[DPCLS_BATCH_MAX];
            struct dpcls_rule *rules[DPCLS_BATCH_MAX];
            for (size_t b = 0; b < DPCLS_BATCH_MAX; b++) {
                batch[b] = &keys[b0 + b];
            }
            n_found += dpcls_lookup_batch(t.cls, batch, DPCLS_BATCH_MAX,
                                          rules);
        }
        if (!warm) {
            secs += XVS_MAX(now_sec() - start - timer_overhead(), 0);
        }
    }
    dpcls_get_stats(t.cls, &after);

    uint64_t n = after.n_lookups - before.n_lookups;
    printf("%-27s %6zu rules %2zu masks  %6.2f M lookups/s  "
           "%6.1f ns/lookup  %4.1f subtables/lookup%s\n",
           name, dpcls_count(t.cls), dpcls_n_subtables(t.cls),
           n / secs / 1e6, secs * 1e9 / n,
           (double) (after.n_subtable_probes - before.n_subtable_probes) / n,
           n_found == n_expected ? "" : "  (MISSES!)");
    free(keys);
    table_destroy(&t);
}

#define N_PKTS 32768

/* The per-packet path for 'n_flows' active flows: each flow is one
 * packet header that repeats. */
static void
bench_path(size_t n_rules, size_t n_flows, size_t n_packets)
{
    struct table t;
    size_t n_pkts = XVS_MIN(n_flows, N_PKTS);
    struct flow *pkts = xmalloc(n_pkts * sizeof *pkts);
    struct dp_emc *emc = dp_emc_create(0);
    struct dp_emc_stats es0, es1;
    size_t n_found = 0;

    table_build(&t, n_rules, N_MASKS);
    for (size_t i = 0; i < n_pkts; i++) {
        packet_for_rule(&pkts[i], pick_rule(&t, false));
    }

    /* With more flows than stored packets, flow i is packet i % n_pkts
     * with an IPv6 flow label (which no mask covers, but the cache's key
     * does) of i / n_pkts: another flow of the same megaflow. */
    for (int pass = 0; pass < 2; pass++) {
        size_t count = pass ? n_packets : XVS_MAX(n_packets / 4, 4 * n_flows);
        double start = now_sec();

        dp_emc_get_stats(emc, &es0);
        for (size_t done = 0; done < count; done += DPCLS_BATCH_MAX) {
            struct dp_key keys[DPCLS_BATCH_MAX];
            const struct dp_key *miss_keys[DPCLS_BATCH_MAX];
            struct dpcls_rule *rules[DPCLS_BATCH_MAX];
            uint32_t hashes[DPCLS_BATCH_MAX];
            size_t miss_idx[DPCLS_BATCH_MAX];
            size_t n_miss = 0;

            for (size_t b = 0; b < DPCLS_BATCH_MAX; b++) {
                size_t id = (done + b) % n_flows;
                struct flow *pkt = &pkts[id % n_pkts];
                pkt->ipv6_label = id / n_pkts;
                dp_key_from_flow(&keys[b], pkt);
                hashes[b] = dp_key_hash(&keys[b], 0);
                rules[b] = dp_emc_lookup(emc, &keys[b], hashes[b]);
                if (!rules[b]) {
                    miss_idx[n_miss] = b;
                    miss_keys[n_miss++] = &keys[b];
                }
            }
            if (n_miss) {
                struct dpcls_rule *found[DPCLS_BATCH_MAX];
                dpcls_lookup_batch(t.cls, miss_keys, n_miss, found);
                for (size_t k = 0; k < n_miss; k++) {
                    size_t b = miss_idx[k];
                    rules[b] = found[k];
                    if (found[k]) {
                        dp_emc_probabilistic_insert(emc, &keys[b], hashes[b],
                                                    found[k]);
                    }
                }
            }
            for (size_t b = 0; b < DPCLS_BATCH_MAX; b++) {
                n_found += rules[b] != NULL;
            }
        }
        double secs = now_sec() - start;
        dp_emc_get_stats(emc, &es1);
        if (pass) {
            printf("path: %6zu rules %6zu flows            %6.2f M packets/s  "
                   "%6.1f ns/packet  EMC hit rate %5.1f%%\n",
                   dpcls_count(t.cls), n_flows, count / secs / 1e6,
                   secs * 1e9 / count,
                   100.0 * (es1.n_hits - es0.n_hits)
                   / (es1.n_lookups - es0.n_lookups));
        }
        dpcls_rerank(t.cls);
    }
    dp_emc_destroy(emc);
    free(pkts);
    table_destroy(&t);
}

/* Key extraction from 64-byte IPv4/TCP frames (a ring of 1,024 distinct
 * ones, in cache): through a 'struct flow' as dpif.c does today, or
 * straight from the headers with dp_key_extract(). */
static void
bench_extract(bool direct, size_t n_packets)
{
    enum { N_FRAMES = 1024, FRAME_LEN = 64 };
    uint8_t (*frames)[FRAME_LEN] = xmalloc(N_FRAMES * sizeof *frames);
    uint64_t sum = 0;

    for (size_t i = 0; i < N_FRAMES; i++) {
        uint8_t *f = frames[i];
        for (size_t b = 0; b < FRAME_LEN; b++) {
            f[b] = rnd64();
        }
        f[12] = 0x08, f[13] = 0x00;                 /* IPv4 */
        f[14] = 0x45, f[16] = 0, f[17] = 46;        /* 20 + 26 bytes */
        f[20] = f[21] = 0;                          /* Not a fragment. */
        f[23] = 6;                                  /* TCP */
        f[34 + 12] = 0x50;                          /* Header 20 bytes. */
    }

    double start = now_sec();
    for (size_t i = 0; i < n_packets; i++) {
        const uint8_t *f = frames[i % N_FRAMES];
        struct dp_key key;

        if (direct) {
            dp_key_extract(&key, f, FRAME_LEN, 1 + i % 8);
        } else {
            struct flow flow;
            flow_extract(f, FRAME_LEN, 1 + i % 8, &flow);
            dp_key_from_flow(&key, &flow);
        }
        sum += key.map[0];
    }
    double secs = now_sec() - start;

    printf("extract: %-32s %6.2f M packets/s  %6.1f ns/packet%s\n",
           direct ? "dp_key_extract" : "flow_extract + dp_key_from_flow",
           n_packets / secs / 1e6, secs * 1e9 / n_packets,
           sum ? "" : "  (EMPTY KEYS!)");
    free(frames);
}

static const struct scenario {
    const char *name;
    size_t n_rules;
    int n_masks;
    bool skewed;
    int miss_pct;               /* Keys that match no rule, in percent. */
    size_t n_flows;             /* 0: the classifier alone. */
    bool single;                /* One key at a time, not batches. */
    int extract;                /* 1 or 2: key extraction, slow or direct. */
} scenarios[] = {
    { "classifier, 1 rule", 1, 1, false, 0, 0 },
    { "classifier, even traffic", 10000, N_MASKS, false, 0, 0 },
    { "classifier, even traffic", 100000, N_MASKS, false, 0, 0 },
    { "classifier, skewed traffic", 10000, N_MASKS, true, 0, 0 },
    { "classifier, skewed traffic", 100000, N_MASKS, true, 0, 0 },
    { "path", 1, N_MASKS, false, 0, 1 },
    { "path", 1, N_MASKS, false, 0, 100000 },
    { "path", 10000, N_MASKS, false, 0, 1000 },
    { "path", 10000, N_MASKS, false, 0, 8000 },
    { "path", 100000, N_MASKS, false, 0, 100000 },
    /* Added later, so the numbers above keep their meaning. */
    { "classifier, even traffic", 10000, 5, false, 0, 0 },
    { "classifier, even traffic", 10000, 100, false, 0, 0 },
    { "classifier, even traffic", 100000, 5, false, 0, 0 },
    { "classifier, even traffic", 100000, 100, false, 0, 0 },
    { "classifier, 50% misses", 10000, N_MASKS, false, 50, 0 },
    { "classifier, all misses", 10000, N_MASKS, false, 100, 0 },
    { "classifier, 50% misses", 100000, N_MASKS, false, 50, 0 },
    { "classifier, all misses", 100000, N_MASKS, false, 100, 0 },
    { "classifier, single, even", 10000, N_MASKS, false, 0, 0, true },
    { "classifier, single, skewed", 10000, N_MASKS, true, 0, 0, true },
    { "extract", 0, 0, false, 0, 0, false, 1 },
    { "extract", 0, 0, false, 0, 0, false, 2 },
};

int
main(int argc, char *argv[])
{
    bool chosen[ARRAY_SIZE(scenarios)] = { false };
    bool all = true;
    size_t n = 20000000;

    xvs_set_program_name(argv[0]);
    for (int i = 1; i < argc; i++) {
        long long k;

        if (!strcmp(argv[i], "--quick")) {
            n = 1000000;
        } else if (!str_to_llong(argv[i], 10, &k) || k < 1
                   || k > (long long) ARRAY_SIZE(scenarios)) {
            xvs_fatal(0, "usage: %s [--quick] [SCENARIO (1 to %zu)...]",
                      program_name, ARRAY_SIZE(scenarios));
        } else {
            chosen[k - 1] = true;
            all = false;
        }
    }
    timer_overhead();
    printf("key: %u base words of %zu, %zu option words\n",
           dp_key_n_base_words(), (size_t) DP_KEY_BASE_MAX,
           (size_t) DP_KEY_MD_WORDS);
    for (size_t i = 0; i < ARRAY_SIZE(scenarios); i++) {
        const struct scenario *sc = &scenarios[i];
        if (!all && !chosen[i]) {
            continue;
        }
        printf("%2zu ", i + 1);
        if (sc->extract) {
            bench_extract(sc->extract == 2, n);
        } else if (sc->n_flows) {
            bench_path(sc->n_rules, sc->n_flows, n);
        } else {
            bench_classifier(sc->name, sc->n_rules, sc->n_masks, sc->skewed,
                             sc->miss_pct, sc->single, n);
        }
        fflush(stdout);
    }
    return 0;
}
