/* test-meter-table: unit tests of ofproto/meter-table.c, for what the
 * autotests cannot reach cheaply: the table limit and the token buckets
 * on a clock the test sets.  "test-meter-table NAME" runs one group and
 * prints "NAME: OK"; a failed check prints where and exits 1. */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "flow-table.h"
#include "meter-table.h"

#define CHECK(COND)                                                     \
    do {                                                                \
        if (!(COND)) {                                                  \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,     \
                    __LINE__, #COND);                                   \
            exit(1);                                                    \
        }                                                               \
    } while (0)

/* Applies the meter_mod that 'text' describes. */
static enum ofperr
mod(struct meter_table *mt, struct flow_table *ft, uint16_t command,
    const char *text)
{
    struct ofp_meter_mod mm;
    char *error = ofp_parse_meter_mod_str(&mm, text, command);
    CHECK(!error);
    enum ofperr e = meter_table_mod(mt, ft, &mm);
    ofp_meter_mod_uninit(&mm);
    return e;
}

static void
test_limits(void)
{
    struct meter_table mt;
    struct flow_table ft;
    meter_table_init(&mt);
    flow_table_init(&ft);
    for (uint32_t id = 1; id <= METER_TABLE_MAX; id++) {
        char *s = xasprintf("meter=%"PRIu32",kbps,band=type=drop,rate=1",
                            id);
        CHECK(!mod(&mt, &ft, OFPMC_ADD, s));
        free(s);
    }
    CHECK(meter_table_count(&mt) == METER_TABLE_MAX);
    CHECK(mod(&mt, &ft, OFPMC_ADD, "meter=70000,kbps,band=type=drop,rate=1")
          == OFPERR_OFPMMFC_OUT_OF_METERS);
    /* Modifying needs no room. */
    CHECK(!mod(&mt, &ft, OFPMC_MODIFY, "meter=7,pktps,band=type=drop,rate=2"));
    CHECK(!mod(&mt, &ft, OFPMC_DELETE, "meter=7"));
    CHECK(!mod(&mt, &ft, OFPMC_ADD, "meter=70000,kbps,band=type=drop,rate=1"));

    struct ofp_meter_mod mm = { .command = 9, .flags = OFPMF_KBPS,
                                .meter_id = 1 };
    CHECK(meter_table_mod(&mt, &ft, &mm) == OFPERR_OFPMMFC_BAD_COMMAND);
    mm.command = OFPMC_ADD;
    mm.meter_id = OFPM_ALL;
    CHECK(meter_table_mod(&mt, &ft, &mm) == OFPERR_OFPMMFC_INVALID_METER);

    CHECK(!mod(&mt, &ft, OFPMC_DELETE, "meter=all"));
    CHECK(!meter_table_count(&mt));
    flow_table_destroy(&ft);
    meter_table_destroy(&mt);
}

static void
test_buckets(void)
{
    struct meter_table mt;
    struct flow_table ft;
    meter_table_init(&mt);
    flow_table_init(&ft);

    /* Two bands: over 10 pkt/s band 1 drops, over 20 band 0 would; with
     * both exceeded the higher rate (band 0) applies. */
    CHECK(!mod(&mt, &ft, OFPMC_ADD, "meter=1,pktps,burst,band=type=drop,"
               "rate=20,burst_size=2,type=drop,rate=10,burst_size=1"));
    struct meter *m = meter_table_find(&mt, 1);
    long long int t = m->last_fill;
    CHECK(meter_apply(m, 60, t, true) == -1);
    CHECK(meter_apply(m, 60, t, true) == 1);
    CHECK(meter_apply(m, 60, t, true) == 0);
    /* 50 ms refill band 0 by a packet, band 1 by half of one.  Without
     * commit nothing changes, however often. */
    CHECK(meter_apply(m, 60, t + 50, false) == 1);
    CHECK(meter_apply(m, 60, t + 50, false) == 1);
    /* 100 ms refill 2 packets of band 0 and 1 of band 1. */
    CHECK(meter_apply(m, 60, t + 100, true) == -1);
    CHECK(m->packet_count == 4 && m->byte_count == 240);
    CHECK(m->bands[0].packet_count == 1 && m->bands[1].packet_count == 1);

    /* kbps: 8 kbit/s with 1 kbit bursts; a 100-byte frame is 800 bits. */
    CHECK(!mod(&mt, &ft, OFPMC_ADD,
               "meter=2,kbps,burst,band=type=drop,rate=8,burst_size=1"));
    m = meter_table_find(&mt, 2);
    t = m->last_fill;
    CHECK(meter_apply(m, 100, t, true) == -1);
    CHECK(meter_apply(m, 100, t, true) == 0);
    CHECK(meter_apply(m, 100, t + 74, true) == 0);
    CHECK(meter_apply(m, 100, t + 100, true) == -1);
    /* A day's pause fills the bucket to its burst size, no more. */
    t += 86400000LL;
    CHECK(meter_apply(m, 100, t, true) == -1);
    CHECK(meter_apply(m, 100, t, true) == 0);
    /* A clock that went backwards adds nothing. */
    CHECK(meter_apply(m, 100, t - 1000, true) == 0);

    flow_table_destroy(&ft);
    meter_table_destroy(&mt);
}

static const struct {
    const char *name;
    void (*run)(void);
} tests[] = {
    {"limits", test_limits},
    {"buckets", test_buckets},
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
