/* test-flow-table: unit tests of ofproto/flow-table.c and
 * ofproto/mac-learning.c.  "test-flow-table NAME" runs one group and
 * prints "NAME: OK"; a failed check prints where and exits 1. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "conjunction.h"
#include "flow-table.h"
#include "flow-wildcards.h"
#include "mac-learning.h"
#include "meta-flow.h"
#include "ofp-actions.h"
#include "ofp-port.h"
#include "packets.h"

#define CHECK(COND)                                                     \
    do {                                                                \
        if (!(COND)) {                                                  \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,     \
                    __LINE__, #COND);                                   \
            exit(1);                                                    \
        }                                                               \
    } while (0)

/* Applies "MATCH" with 'actions' as 'command'; returns the error. */
static enum ofperr
mod(struct flow_table *ft, enum ft_command command, uint8_t table,
     uint16_t priority, const char *match_s, const char *actions,
     uint64_t cookie, uint64_t cookie_mask, uint32_t out_port,
     uint16_t flags, size_t *n_changed)
{
    struct ofpacts ofpacts = OFPACTS_EMPTY_INITIALIZER;
    struct ft_flow_mod fm = {
        .command = command, .table_id = table, .priority = priority,
        .cookie = cookie, .cookie_mask = cookie_mask, .out_port = out_port,
        .flags = flags, .ofpacts = &ofpacts,
    };
    char *error = match_parse(&fm.match, match_s);
    CHECK(!error);
    error = ofpacts_parse(actions, &ofpacts);
    CHECK(!error);
    enum ofperr e = flow_table_apply(ft, &fm, n_changed);
    ofpacts_uninit(&ofpacts);
    return e;
}

static struct rule *
lookup(struct flow_table *ft, uint8_t table, const char *flow_s)
{
    struct match m;
    char *error = match_parse(&m, flow_s);
    CHECK(!error);
    return flow_table_lookup(ft, table, &m.flow);
}

static void
test_add_lookup(void)
{
    struct flow_table ft;
    flow_table_init(&ft);
    CHECK(!mod(&ft, FT_ADD, 0, 10, "in_port=1", "output:2", 0, 0, OFPP_ANY,
                0, NULL));
    CHECK(!mod(&ft, FT_ADD, 0, 20, "in_port=1,ip", "output:3", 0, 0,
                OFPP_ANY, 0, NULL));
    CHECK(lookup(&ft, 0, "in_port=1,ip")->priority == 20);
    CHECK(lookup(&ft, 0, "in_port=1,arp")->priority == 10);
    CHECK(!lookup(&ft, 0, "in_port=2"));
    CHECK(!lookup(&ft, 1, "in_port=1"));

    /* Identical match and priority: replaced, not added. */
    CHECK(!mod(&ft, FT_ADD, 0, 10, "in_port=1", "output:5", 7, 0, OFPP_ANY,
                0, NULL));
    CHECK(flow_table_count(&ft) == 2);
    struct rule *r = lookup(&ft, 0, "in_port=1,arp");
    CHECK(r->cookie == 7 && r->ofpacts.n == 1
          && r->ofpacts.acts[0].output.port == 5);

    /* check_overlap: same priority, a packet could match both. */
    CHECK(mod(&ft, FT_ADD, 0, 10, "ip", "drop", 0, 0, OFPP_ANY,
               FT_FLAG_CHECK_OVERLAP, NULL) == OFPERR_OFPFMFC_OVERLAP);
    CHECK(!mod(&ft, FT_ADD, 0, 10, "in_port=2", "drop", 0, 0, OFPP_ANY,
                FT_FLAG_CHECK_OVERLAP, NULL));
    CHECK(mod(&ft, FT_ADD, 255, 10, "in_port=2", "drop", 0, 0, OFPP_ANY,
               0, NULL) == OFPERR_OFPFMFC_BAD_TABLE_ID);
    flow_table_destroy(&ft);
}

static void
test_modify_delete(void)
{
    struct flow_table ft;
    size_t n;
    flow_table_init(&ft);
    CHECK(!mod(&ft, FT_ADD, 0, 10, "in_port=1", "output:2", 1, 0, OFPP_ANY,
                0, NULL));
    CHECK(!mod(&ft, FT_ADD, 0, 20, "in_port=1,ip", "output:3", 2, 0,
                OFPP_ANY, 0, NULL));
    CHECK(!mod(&ft, FT_ADD, 3, 5, "in_port=4", "output:3", 2, 0, OFPP_ANY,
                0, NULL));

    /* Loose modify over all tables, filtered by cookie. */
    CHECK(!mod(&ft, FT_MODIFY, FT_TABLE_ALL, 0, "", "drop", 2, UINT64_MAX,
                OFPP_ANY, 0, &n));
    CHECK(n == 2);
    CHECK(lookup(&ft, 0, "in_port=1,ip")->ofpacts.n == 0);
    CHECK(lookup(&ft, 0, "in_port=1,arp")->ofpacts.n == 1);

    /* Strict modify needs the priority too. */
    CHECK(!mod(&ft, FT_MODIFY_STRICT, 0, 11, "in_port=1", "output:9", 0, 0,
                OFPP_ANY, 0, &n));
    CHECK(n == 0);
    CHECK(!mod(&ft, FT_MODIFY_STRICT, 0, 10, "in_port=1", "output:9", 0, 0,
                OFPP_ANY, 0, &n));
    CHECK(n == 1);

    /* Delete with out_port: only rules that output there. */
    CHECK(!mod(&ft, FT_DELETE, FT_TABLE_ALL, 0, "", "", 0, 0, 9, 0, &n));
    CHECK(n == 1 && flow_table_count(&ft) == 2);
    /* Strict delete: exact match only. */
    CHECK(!mod(&ft, FT_DELETE_STRICT, 0, 20, "in_port=1", "", 0, 0,
                OFPP_ANY, 0, &n));
    CHECK(n == 0);
    CHECK(!mod(&ft, FT_DELETE_STRICT, 0, 20, "in_port=1,ip", "", 0, 0,
                OFPP_ANY, 0, &n));
    CHECK(n == 1);
    /* Loose delete: everything the match covers. */
    CHECK(!mod(&ft, FT_DELETE, FT_TABLE_ALL, 0, "", "", 0, 0, OFPP_ANY,
                     0, &n));
    CHECK(n == 1 && flow_table_count(&ft) == 0);
    flow_table_destroy(&ft);
}

static void
test_expire(void)
{
    struct flow_table ft;
    flow_table_init(&ft);
    struct ofpacts none = OFPACTS_EMPTY_INITIALIZER;
    struct ft_flow_mod fm = {
        .command = FT_ADD, .priority = 1, .hard_timeout = 2,
        .out_port = OFPP_ANY, .ofpacts = &none,
    };
    match_init_catchall(&fm.match);
    CHECK(!flow_table_apply(&ft, &fm, NULL));
    long long int now = time_msec();
    CHECK(flow_table_expire(&ft, now + 1000) == 0);
    CHECK(flow_table_expire(&ft, now + 2500) == 1);
    CHECK(flow_table_count(&ft) == 0);
    flow_table_destroy(&ft);
}

/* Records the removed rules' priorities and reasons as "P:R ...". */
static void
note_removed(const struct rule *rule, void *s_)
{
    char *s = s_;
    sprintf(s + strlen(s), "%u:%d ", rule->priority, rule->removed_reason);
}

static void
test_removed(void)
{
    struct flow_table ft;
    char seen[128] = "";
    flow_table_init(&ft);
    struct ofpacts none = OFPACTS_EMPTY_INITIALIZER;
    struct ft_flow_mod fm = {
        .command = FT_ADD, .priority = 1, .hard_timeout = 2,
        .out_port = OFPP_ANY, .ofpacts = &none,
    };
    match_init_catchall(&fm.match);
    CHECK(!flow_table_apply(&ft, &fm, NULL));
    fm.priority = 2;
    fm.hard_timeout = 0;
    fm.idle_timeout = 1;
    CHECK(!flow_table_apply(&ft, &fm, NULL));
    fm.priority = 3;
    fm.idle_timeout = 0;
    CHECK(!flow_table_apply(&ft, &fm, NULL));

    /* Timeouts say which one fired; nothing is freed until drained. */
    CHECK(flow_table_expire(&ft, time_msec() + 2500) == 2);
    CHECK(flow_table_count(&ft) == 1);
    flow_table_drain_removed(&ft, note_removed, seen);
    CHECK(!strcmp(seen, "2:1 1:2 "));

    /* A bundle-style copy collects its own removals and hands them over
     * with its rules. */
    struct flow_table copy;
    flow_table_init(&copy);
    flow_table_clone(&copy, &ft);
    fm.command = FT_DELETE;
    fm.reason = FT_REMOVED_GROUP_DELETE;
    CHECK(!flow_table_apply(&copy, &fm, NULL));
    CHECK(flow_table_count(&ft) == 1 && flow_table_count(&copy) == 0);
    flow_table_take_rules(&ft, &copy);
    flow_table_destroy(&copy);
    CHECK(flow_table_count(&ft) == 0);
    seen[0] = '\0';
    flow_table_drain_removed(&ft, note_removed, seen);
    CHECK(!strcmp(seen, "3:3 "));
    flow_table_destroy(&ft);
}

/* Expiry walks only the rules with a timeout: they stay on its list as
 * rules gain and lose timeouts, and go in table and list order. */
static void
test_expire_timed(void)
{
    struct flow_table ft;
    char seen[128] = "";
    flow_table_init(&ft);
    struct ofpacts none = OFPACTS_EMPTY_INITIALIZER;
    struct ft_flow_mod fm = {
        .command = FT_ADD, .out_port = OFPP_ANY, .ofpacts = &none,
    };
    match_init_catchall(&fm.match);
    /* Table 1 first, then table 0's 5, 6 and 7 in the reverse order. */
    fm.table_id = 1;
    fm.priority = 9;
    fm.hard_timeout = 1;
    CHECK(!flow_table_apply(&ft, &fm, NULL));
    fm.table_id = 0;
    for (int p = 5; p <= 7; p++) {
        fm.priority = p;
        CHECK(!flow_table_apply(&ft, &fm, NULL));
    }
    /* Through a bundle-style copy handed back, and after that, rules
     * gaining timeouts: expiry sees them in neither order. */
    struct flow_table copy;
    flow_table_init(&copy);
    flow_table_clone(&copy, &ft);
    flow_table_take_rules(&ft, &copy);
    flow_table_destroy(&copy);
    /* An identical add without a timeout makes 6 permanent; one with a
     * timeout gives permanent 8 one. */
    fm.priority = 6;
    fm.hard_timeout = 0;
    CHECK(!flow_table_apply(&ft, &fm, NULL));
    fm.priority = 8;
    CHECK(!flow_table_apply(&ft, &fm, NULL));
    fm.idle_timeout = 1;
    CHECK(!flow_table_apply(&ft, &fm, NULL));
    /* A permanent rule shortened as fin_timeout does. */
    fm.priority = 4;
    fm.idle_timeout = 0;
    CHECK(!flow_table_apply(&ft, &fm, NULL));
    struct match m;
    match_init_catchall(&m);
    struct rule *r4 = (struct rule *) flow_table_find(&ft, 0, 4, &m);
    CHECK(r4);
    r4->idle_timeout = 1;
    flow_table_timeouts_changed(&ft, r4);


    CHECK(flow_table_expire(&ft, time_msec() + 1500) == 5);
    CHECK(flow_table_count(&ft) == 1);
    flow_table_drain_removed(&ft, note_removed, seen);
    CHECK(!strcmp(seen, "8:1 7:2 5:2 4:1 9:2 "));
    flow_table_destroy(&ft);
}

static void
test_eviction(void)
{
    struct flow_table ft;
    char seen[128] = "";
    flow_table_init(&ft);
    flow_table_configure(&ft, 0, "main", 2, false, NULL, 0);
    CHECK(!strcmp(flow_table_name(&ft, 0), "main"));
    CHECK(!strcmp(flow_table_name(&ft, 1), ""));

    struct ofpacts none = OFPACTS_EMPTY_INITIALIZER;
    struct ft_flow_mod fm = {
        .command = FT_ADD, .priority = 1, .idle_timeout = 50,
        .importance = 3, .out_port = OFPP_ANY, .ofpacts = &none,
    };
    match_init_catchall(&fm.match);
    CHECK(!flow_table_apply(&ft, &fm, NULL));
    fm.priority = 2;
    fm.idle_timeout = 10;
    CHECK(!flow_table_apply(&ft, &fm, NULL));
    fm.priority = 3;
    CHECK(flow_table_apply(&ft, &fm, NULL) == OFPERR_OFPFMFC_TABLE_FULL);

    /* Same importance: the sooner expiry goes (priority 2, then 3); then
     * a lower importance (priority 4) goes before a sooner expiry
     * (priority 1). */
    flow_table_configure(&ft, 0, NULL, 2, true, NULL, 0);
    CHECK(!flow_table_apply(&ft, &fm, NULL));
    fm.priority = 4;
    fm.importance = 0;
    fm.idle_timeout = 90;
    CHECK(!flow_table_apply(&ft, &fm, NULL));
    fm.priority = 5;
    CHECK(!flow_table_apply(&ft, &fm, NULL));
    flow_table_drain_removed(&ft, note_removed, seen);
    CHECK(!strcmp(seen, "2:5 3:5 4:5 "));

    /* Permanent rules are never evicted. */
    fm.idle_timeout = 0;
    flow_table_configure(&ft, 0, NULL, 0, true, NULL, 0);
    CHECK(flow_table_count(&ft) == 0);
    flow_table_configure(&ft, 0, NULL, 1, true, NULL, 0);
    fm.priority = 6;
    CHECK(!flow_table_apply(&ft, &fm, NULL));
    fm.priority = 7;
    CHECK(flow_table_apply(&ft, &fm, NULL) == OFPERR_OFPFMFC_TABLE_FULL);
    flow_table_destroy(&ft);
}

static void
test_mac_learning(void)
{
    struct mac_learning *ml = mac_learning_create(0);
    struct eth_addr a, b, bcast;
    uint32_t port;
    CHECK(eth_addr_from_string("50:54:00:00:00:01", &a));
    CHECK(eth_addr_from_string("50:54:00:00:00:02", &b));
    CHECK(eth_addr_from_string("ff:ff:ff:ff:ff:ff", &bcast));

    CHECK(mac_learning_learn(ml, &a, 0, 1));
    CHECK(!mac_learning_learn(ml, &a, 0, 1));
    CHECK(!mac_learning_learn(ml, &bcast, 0, 1));
    CHECK(mac_learning_lookup(ml, &a, 0, &port) && port == 1);
    CHECK(!mac_learning_lookup(ml, &a, 10, &port));
    CHECK(!mac_learning_lookup(ml, &b, 0, &port));
    CHECK(mac_learning_learn(ml, &a, 0, 2));
    CHECK(mac_learning_lookup(ml, &a, 0, &port) && port == 2);
    CHECK(mac_learning_learn(ml, &b, 5, 3));

    struct ds s = DS_EMPTY_INITIALIZER;
    mac_learning_format(ml, &s);
    CHECK(!strcmp(ds_cstr(&s),
                  " port  VLAN  MAC                Age\n"
                  "    2     0  50:54:00:00:00:01    0\n"
                  "    3     5  50:54:00:00:00:02    0\n"));
    ds_destroy(&s);

    mac_learning_flush_port(ml, 2);
    CHECK(!mac_learning_lookup(ml, &a, 0, &port));
    mac_learning_destroy(ml);
}

/* ---- Megaflow masks (lib/flow-wildcards.h). ---- */

static struct rule *
lookup_wc(struct flow_table *ft, const struct flow *flow,
          struct flow_wildcards *wc)
{
    memset(wc, 0, sizeof *wc);
    return flow_table_lookup_wc(ft, 0, flow, wc);
}

static struct flow
ipv4_flow(uint16_t dl_type, const char *dst, uint8_t proto, uint16_t tp_dst)
{
    struct flow f;
    memset(&f, 0, sizeof f);
    f.in_port = 1;
    f.dl_type = htons(dl_type);
    f.nw_dst = inet_addr(dst);
    f.nw_proto = proto;
    f.tp_dst = htons(tp_dst);
    return f;
}

/* A /24 rule that does not match costs the address bits down to the
 * first differing one, not the whole address, and nothing of the fields
 * it matches further on. */
static void
test_megaflow_prefix(void)
{
    struct flow_table ft;
    flow_table_init(&ft);
    CHECK(!mod(&ft, FT_ADD, 0, 10, "tcp,nw_dst=10.1.2.0/24,tp_dst=80",
               "drop", 0, 0, OFPP_ANY, 0, NULL));
    CHECK(!mod(&ft, FT_ADD, 0, 1, "", "output:2", 0, 0, OFPP_ANY, 0, NULL));

    struct flow_wildcards wc;
    struct flow f = ipv4_flow(0x0800, "10.1.0.5", 6, 80);
    struct rule *r = lookup_wc(&ft, &f, &wc);
    CHECK(r && r->priority == 1);
    CHECK(wc.masks.nw_dst == htonl(0xfffffe00));
    CHECK(!wc.masks.tp_dst && !wc.masks.nw_proto && !wc.masks.in_port);

    f = ipv4_flow(0x0800, "10.1.2.7", 6, 80);
    r = lookup_wc(&ft, &f, &wc);
    CHECK(r && r->priority == 10);
    CHECK(wc.masks.nw_dst == htonl(0xffffff00) && wc.masks.tp_dst == 0xffff);

    /* The first differing member in flow order decides: dl_type for ARP,
     * which leaves the address wild. */
    f = ipv4_flow(0x0806, "10.1.2.7", 1, 0);
    r = lookup_wc(&ft, &f, &wc);
    CHECK(r && r->priority == 1);
    CHECK(wc.masks.dl_type == 0xffff && !wc.masks.nw_dst);

    flow_table_destroy(&ft);

    /* A member already in the mask excludes for free: tp_dst, which the
     * first rule needed, spares the second rule's address. */
    flow_table_init(&ft);
    CHECK(!mod(&ft, FT_ADD, 0, 20, "tcp,tp_dst=443", "drop", 0, 0,
               OFPP_ANY, 0, NULL));
    CHECK(!mod(&ft, FT_ADD, 0, 15, "tcp,nw_dst=10.1.2.0/24,tp_dst=443",
               "drop", 0, 0, OFPP_ANY, 0, NULL));
    CHECK(!mod(&ft, FT_ADD, 0, 1, "", "output:2", 0, 0, OFPP_ANY, 0, NULL));
    f = ipv4_flow(0x0800, "10.1.0.5", 6, 80);
    r = lookup_wc(&ft, &f, &wc);
    CHECK(r && r->priority == 1);
    CHECK(wc.masks.tp_dst == 0xffff && !wc.masks.nw_dst);
    flow_table_destroy(&ft);
}

static uint32_t rng_state = 12345;

static uint32_t
rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static struct flow
random_flow(void)
{
    static const uint16_t types[] = { 0x0800, 0x0806, 0x86dd };
    static const uint8_t protos[] = { 6, 17, 1 };
    struct flow f;
    memset(&f, 0, sizeof f);
    f.in_port = 1 + rng() % 4;
    f.regs[0] = rng() % 4;
    f.dl_type = htons(types[rng() % 3]);
    f.vlan_tci = rng() % 2 ? htons(VLAN_CFI | (rng() % 3)) : 0;
    f.nw_src = htonl(0x0a000000 | (rng() % 4) << 16 | (rng() % 256));
    f.nw_dst = htonl(0x0a000000 | (rng() % 4) << 16 | (rng() % 4) << 8
                     | (rng() % 256));
    f.nw_proto = protos[rng() % 3];
    f.tp_src = htons(rng() % 8);
    f.tp_dst = htons((rng() % 4) << 8 | (rng() % 4));
    return f;
}

/* A random flow that agrees with 'f' on the bits of 'wc'. */
static struct flow
random_flow_under(const struct flow *f, const struct flow_wildcards *wc)
{
    struct flow q = random_flow();
    uint8_t *qb = (uint8_t *) &q;
    const uint8_t *fb = (const uint8_t *) f;
    const uint8_t *w = (const uint8_t *) &wc->masks;
    for (size_t i = 0; i < FLOW_KEY_LEN; i++) {
        qb[i] = (fb[i] & w[i]) | (qb[i] & ~w[i]);
    }
    return q;
}

enum { RANDOM_MATCH_LEN = 256 };

/* A random rule over the same small domains, at a priority from 0 to 7,
 * or, if conjunctive (a quarter of them, with 'conj'), 'conj_base' more.
 * Returns its priority in '*priority' and its match in 'm'. */
static void
add_random_rule__(struct flow_table *ft, bool conj, int conj_base,
                  uint16_t *priority, char m[RANDOM_MATCH_LEN])
{
    const size_t room = RANDOM_MATCH_LEN;
    int n = 0;
    if (rng() % 3 == 0) {
        n += snprintf(m + n, room - n, "in_port=%u,", 1 + rng() % 4);
    }
    if (rng() % 4 == 0) {
        n += snprintf(m + n, room - n, "reg0=%u/0x%x,", rng() % 4,
                      1 + rng() % 3);
    }
    if (rng() % 4 == 0) {
        n += snprintf(m + n, room - n, "dl_vlan=%u,", rng() % 3);
    }
    switch (rng() % 4) {
    case 0:
        n += snprintf(m + n, room - n, "arp,");
        break;
    case 1:
        n += snprintf(m + n, room - n, "%s,nw_dst=10.%u.%u.0/%u,",
                      rng() % 2 ? "tcp" : "udp", rng() % 4, rng() % 4,
                      16 + rng() % 9);
        if (rng() % 2) {
            n += snprintf(m + n, room - n, "tp_dst=0x%x/0x%x,",
                          (rng() % 4) << 8, rng() % 2 ? 0xff00 : 0xffff);
        }
        break;
    case 2:
        n += snprintf(m + n, room - n, "ip,nw_src=10.%u.0.0/%u,",
                      rng() % 4, 14 + rng() % 4);
        break;
    }
    if (n) {
        m[n - 1] = '\0';
    } else {
        m[0] = '\0';
    }
    const char *actions = "drop";
    char conj_s[64];
    int base = 0;
    if (conj && rng() % 4 == 0) {
        snprintf(conj_s, sizeof conj_s, "conjunction(%u,%u/2)",
                 1 + rng() % 2, 1 + rng() % 2);
        actions = conj_s;
        base = conj_base;
    }
    /* Overlaps are fine: the same priority keeps insertion order. */
    *priority = base + rng() % 8;
    mod(ft, FT_ADD, 0, *priority, m, actions, 0, 0, OFPP_ANY, 0, NULL);
}

static void
add_random_rule(struct flow_table *ft)
{
    uint16_t priority;
    char m[RANDOM_MATCH_LEN];
    add_random_rule__(ft, true, 0, &priority, m);
}

/* Every packet that agrees with a looked-up packet on the mask gets the
 * same rule: the property megaflows rest on. */
static void
test_megaflow_random(void)
{
    for (int round = 0; round < 40; round++) {
        struct flow_table ft;
        flow_table_init(&ft);
        int n_rules = 1 + rng() % 24;
        for (int i = 0; i < n_rules; i++) {
            add_random_rule(&ft);
        }
        mod(&ft, FT_ADD, 0, 3, "conj_id=1", "output:1", 0, 0, OFPP_ANY, 0,
            NULL);
        mod(&ft, FT_ADD, 0, 2, "conj_id=2,tcp", "output:2", 0, 0, OFPP_ANY,
            0, NULL);

        for (int p = 0; p < 50; p++) {
            struct flow f = random_flow();
            struct flow_wildcards wc;
            struct rule *r = lookup_wc(&ft, &f, &wc);
            for (int v = 0; v < 30; v++) {
                struct flow q = random_flow_under(&f, &wc);
                CHECK(flow_wc_equal_under(&wc, &f, &q));
                CHECK(flow_table_lookup(&ft, 0, &q) == r);
            }
        }
        flow_table_destroy(&ft);
    }
}

/* The rule index against a model: random adds, strict modifies and
 * strict deletes over few matches and priorities spread across the
 * priority bitmap's words, the list checked in full after each. */
struct model_rule {
    uint16_t priority;
    int port;
    int out;
    int seq;                    /* Insertion order; kept by a replace. */
};

static int
model_cmp(const void *a_, const void *b_)
{
    const struct model_rule *a = a_, *b = b_;
    return (a->priority != b->priority ? (a->priority < b->priority ? 1 : -1)
            : a->seq - b->seq);
}

static void
test_rule_index(void)
{
    static const uint16_t priorities[] = { 0, 1, 63, 64, 100, 1000, 65534,
                                           65535 };
    enum { N_PORTS = 6, N_MODEL = N_PORTS * ARRAY_SIZE(priorities) };
    struct model_rule model[N_MODEL];
    size_t n = 0;
    struct flow_table ft;
    int seq = 0;

    flow_table_init(&ft);
    for (int op = 0; op < 4000; op++) {
        uint16_t priority = priorities[rng() % ARRAY_SIZE(priorities)];
        int port = 1 + rng() % N_PORTS, out = rng() % 1000;
        int kind = rng() % 4;
        char match_s[32], actions[32];
        size_t i;

        snprintf(match_s, sizeof match_s, "in_port=%d", port);
        snprintf(actions, sizeof actions, "output:%d", out);
        for (i = 0; i < n; i++) {
            if (model[i].priority == priority && model[i].port == port) {
                break;
            }
        }
        size_t n_changed;
        enum ft_command command = (kind < 2 ? FT_ADD
                                   : kind == 2 ? FT_MODIFY_STRICT
                                   : FT_DELETE_STRICT);
        CHECK(!mod(&ft, command, 0, priority, match_s, actions, 0, 0,
                   OFPP_ANY, 0, &n_changed));
        if (command == FT_ADD) {
            CHECK(n_changed == 1);
            if (i == n) {
                model[n++] = (struct model_rule) { priority, port, out,
                                                   seq++ };
            }
            model[i].out = out;
        } else {
            CHECK(n_changed == (i < n));
            if (i < n && command == FT_MODIFY_STRICT) {
                model[i].out = out;
            } else if (i < n) {
                model[i] = model[--n];
            }
        }

        qsort(model, n, sizeof *model, model_cmp);
        CHECK(flow_table_count(&ft) == n);
        const struct rule *rule;
        size_t j = 0;
        XVS_LIST_FOR_EACH (rule, node, &ft.tables[0].rules.list) {
            CHECK(j < n);
            CHECK(rule->priority == model[j].priority);
            CHECK(rule->match.flow.in_port == (uint32_t) model[j].port);
            CHECK(rule->ofpacts.acts[0].output.port
                  == (uint32_t) model[j].out);
            struct match m;
            CHECK(!match_parse(&m, "in_port=1"));
            m.flow.in_port = model[j].port;
            CHECK(flow_table_find(&ft, 0, model[j].priority, &m) == rule);
            j++;
        }
        CHECK(j == n);
    }
    flow_table_destroy(&ft);
}

/* In a table searched by subtable, a missed subtable of host routes costs
 * only the leading bits no route shares with the packet. */
static void
test_megaflow_subtable_prefix(void)
{
    struct flow_table ft;
    flow_table_init(&ft);
    for (int i = 0; i < 100; i++) {
        char m[64];
        snprintf(m, sizeof m, "ip,nw_dst=10.1.0.%d", i);
        CHECK(!mod(&ft, FT_ADD, 0, 20, m, "drop", 0, 0, OFPP_ANY, 0, NULL));
        snprintf(m, sizeof m, "ipv6,ipv6_dst=2001:db8::%x", i);
        CHECK(!mod(&ft, FT_ADD, 0, 20, m, "drop", 0, 0, OFPP_ANY, 0, NULL));
    }
    CHECK(!mod(&ft, FT_ADD, 0, 1, "", "output:2", 0, 0, OFPP_ANY, 0, NULL));
    CHECK(rule_index_use_subtables(&ft.tables[0].rules));

    /* 10.2/16 is no route's: a /16, and not the routes' dl_type. */
    struct flow_wildcards wc;
    struct flow f = ipv4_flow(0x0800, "10.2.0.1", 6, 80);
    struct rule *r = lookup_wc(&ft, &f, &wc);
    CHECK(r && r->priority == 1);
    CHECK(wc.masks.nw_dst == htonl(0xffff0000) && !wc.masks.dl_type);

    /* 10.1.0.200 shares its /24 with the routes: the whole address. */
    f = ipv4_flow(0x0800, "10.1.0.200", 6, 80);
    r = lookup_wc(&ft, &f, &wc);
    CHECK(r && r->priority == 1);
    CHECK(wc.masks.nw_dst == htonl(0xffffffff) && !wc.masks.dl_type);

    /* A hit costs the subtable's mask. */
    f = ipv4_flow(0x0800, "10.1.0.7", 6, 80);
    r = lookup_wc(&ft, &f, &wc);
    CHECK(r && r->priority == 20);
    CHECK(wc.masks.nw_dst == htonl(0xffffffff) && wc.masks.dl_type);

    /* IPv6 in steps of 16 bits: 2001:db9:: parts at the second. */
    memset(&f, 0, sizeof f);
    f.dl_type = htons(0x86dd);
    CHECK(inet_pton(AF_INET6, "2001:db9::1", &f.ipv6_dst) == 1);
    r = lookup_wc(&ft, &f, &wc);
    CHECK(r && r->priority == 1);
    struct in6_addr want;
    CHECK(inet_pton(AF_INET6, "ffff:ffff::", &want) == 1);
    CHECK(!memcmp(&wc.masks.ipv6_dst, &want, sizeof want));
    CHECK(!wc.masks.dl_type);
    flow_table_destroy(&ft);
}

/* Tables large enough for tuple space search, conjunctive rules among
 * them: every lookup finds the rule the list scan finds, and the megaflow
 * property holds, as rules come and go and change kind. */
static void
test_megaflow_subtables(void)
{
    enum { N_RULES = 300 };
    size_t n_found = 0, n_conj = 0;
    for (int round = 0; round < 10; round++) {
        struct flow_table ft;
        uint16_t priorities[N_RULES];
        char matches[N_RULES][RANDOM_MATCH_LEN];
        struct rule_index *idx = &ft.tables[0].rules;

        flow_table_init(&ft);
        for (int i = 0; i < N_RULES; i++) {
            /* Conjunctions above the ordinary rules, so that they
             * decide some lookups. */
            add_random_rule__(&ft, true, 8, &priorities[i], matches[i]);
        }
        mod(&ft, FT_ADD, 0, 30, "conj_id=1", "output:1", 0, 0, OFPP_ANY, 0,
            NULL);
        mod(&ft, FT_ADD, 0, 30, "conj_id=2,tcp", "output:2", 0, 0, OFPP_ANY,
            0, NULL);
        for (int phase = 0; phase < 4; phase++) {
            /* Then: a third of the rules deleted; added again, another
             * third replaced, by rules half of them conjunctive; the last
             * third's actions modified, making conjunctive ones
             * ordinary. */
            for (int i = 0; phase && i < N_RULES; i++) {
                enum ft_command c;
                if (phase == 1 && i % 3 == 0) {
                    c = FT_DELETE_STRICT;
                } else if (phase == 2 && i % 3 != 1) {
                    c = FT_ADD;
                } else if (phase == 3 && i % 3 == 1) {
                    c = FT_MODIFY_STRICT;
                } else {
                    continue;
                }
                const char *actions = (c == FT_ADD && i % 2
                                       ? "conjunction(1,2/2)" : "output:3");
                mod(&ft, c, 0, priorities[i], matches[i], actions, 0, 0,
                    OFPP_ANY, 0, NULL);
            }
            /* Catch-all rules above priority 0 would hide the rest. */
            for (int p = 1; p < 8; p++) {
                mod(&ft, FT_DELETE_STRICT, 0, p, "", "drop", 0, 0, OFPP_ANY,
                    0, NULL);
            }
            CHECK(rule_index_use_subtables(idx));
            for (int p = 0; p < 100; p++) {
                struct flow f = random_flow();
                struct flow_wildcards wc;
                struct rule *r = lookup_wc(&ft, &f, &wc);
                CHECK(r == conjunction_lookup(&idx->list, &f, NULL));
                n_found += r != NULL;
                /* A conjunction decided this one. */
                n_conj += r != rule_index_lookup(idx, &f, NULL);
                for (int v = 0; v < 20; v++) {
                    struct flow q = random_flow_under(&f, &wc);
                    CHECK(flow_table_lookup(&ft, 0, &q) == r);
                    CHECK(conjunction_lookup(&idx->list, &q, NULL) == r);
                }
            }
        }
        flow_table_destroy(&ft);
    }
    /* The test means something: lookups found rules, some through
     * conjunctions. */
    CHECK(n_found > 1000 && n_conj > 100);
}

static const struct {
    const char *name;
    void (*run)(void);
} tests[] = {
    {"add-lookup", test_add_lookup},
    {"modify-delete", test_modify_delete},
    {"expire", test_expire},
    {"removed", test_removed},
    {"expire-timed", test_expire_timed},
    {"eviction", test_eviction},
    {"mac-learning", test_mac_learning},
    {"megaflow-prefix", test_megaflow_prefix},
    {"megaflow-random", test_megaflow_random},
    {"rule-index", test_rule_index},
    {"megaflow-subtables", test_megaflow_subtables},
    {"megaflow-subtable-prefix", test_megaflow_subtable_prefix},
};

int
main(int argc, char *argv[])
{
    for (size_t i = 0; i < ARRAY_SIZE(tests); i++) {
        if (argc < 2 || !strcmp(argv[1], tests[i].name)) {
            tests[i].run();
            printf("%s: OK\n", tests[i].name);
        }
    }
    return 0;
}
