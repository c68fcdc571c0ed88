/* test-dpif: the dpif.h contract on dummy ports, no root needed: port
 * numbering, name uniqueness across datapaths, lookups, removal, actions
 * overflow, dp_execute() argument checks and the port type list.
 * Prints nothing and exits 0, or prints the first failures and exits 1. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "datapath/dpif.h"
#include "util.h"

static int failures;

#define CHECK_EQ(A, B)                                                    \
    do {                                                                  \
        long long a_ = (A), b_ = (B);                                     \
        if (a_ != b_) {                                                   \
            fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n",   \
                    __FILE__, __LINE__, #A, a_, #B, b_);                  \
            failures++;                                                   \
        }                                                                 \
    } while (0)

static int n_upcalls;

static void
count_upcall(void *aux XVS_UNUSED, const struct flow *flow XVS_UNUSED,
             struct dp_packet *packet XVS_UNUSED,
             struct dp_actions *out XVS_UNUSED,
             struct dp_upcall_install *install XVS_UNUSED)
{
    n_upcalls++;
}

static int
add(struct dp *dp, const char *name, uint32_t want, uint32_t *got)
{
    *got = want;
    return dp_port_add(dp, name, "dummy", NULL, 0, got);
}

int
main(int argc XVS_UNUSED, char *argv[])
{
    static const uint8_t frame[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    struct dp *a, *b;
    struct dp_actions acts;
    struct dp_port_stats stats;
    struct dp_port_status st;
    uint32_t no;
    bool have_afxdp = false;

    xvs_set_program_name(argv[0]);
    CHECK_EQ(dp_create("a", count_upcall, NULL, &a), 0);
    CHECK_EQ(dp_create("b", count_upcall, NULL, &b), 0);
    CHECK_EQ(strcmp(dp_name(a), "a"), 0);

    /* Numbers: lowest free from 1, or as requested. */
    CHECK_EQ(add(a, "p1", 0, &no), 0);
    CHECK_EQ(no, 1);
    CHECK_EQ(add(a, "local", 65534, &no), 0);
    CHECK_EQ(no, 65534);
    CHECK_EQ(add(a, "p2", 0, &no), 0);
    CHECK_EQ(no, 2);
    CHECK_EQ(add(a, "p5", 5, &no), 0);
    CHECK_EQ(add(a, "other", 5, &no), -EBUSY);
    /* Names are unique across datapaths; numbers only within one. */
    CHECK_EQ(add(b, "p1", 0, &no), -EEXIST);
    CHECK_EQ(add(b, "q1", 0, &no), 0);
    CHECK_EQ(no, 1);
    CHECK_EQ(dp_port_add(a, "x", "nosuch", NULL, 0, &no), -EAFNOSUPPORT);

    CHECK_EQ(dp_port_lookup(a, "p5", &no), 0);
    CHECK_EQ(no, 5);
    CHECK_EQ(dp_port_lookup(b, "p5", &no), -ENOENT);
    CHECK_EQ(strcmp(dp_port_get_name(a, 65534), "local"), 0);
    CHECK_EQ(strcmp(dp_port_get_type(a, 2), "dummy"), 0);
    CHECK_EQ(dp_port_get_name(a, 3) == NULL, 1);

    CHECK_EQ(dp_port_get_status(a, 1, &st), 0);
    CHECK_EQ(st.mtu, 1500);
    CHECK_EQ(st.admin_up && st.link_up, 1);
    CHECK_EQ(dp_port_get_status(a, 3, &st), -ENOENT);
    CHECK_EQ(dp_port_get_stats(a, 3, &stats), -ENOENT);

    /* Removal frees the number and the name. */
    CHECK_EQ(dp_port_del(a, 2), 0);
    CHECK_EQ(dp_port_del(a, 2), -ENOENT);
    CHECK_EQ(add(b, "p2", 0, &no), 0);
    CHECK_EQ(no, 2);
    CHECK_EQ(add(a, "p3", 0, &no), 0);
    CHECK_EQ(no, 2);

    /* Received frames are upcalls; an empty action list drops. */
    CHECK_EQ(dp_dummy_receive("p1", 0, frame, sizeof frame), 0);
    CHECK_EQ(dp_dummy_receive("nosuch", 0, frame, sizeof frame), -ENODEV);
    CHECK_EQ(dp_dummy_receive("p1", 0, frame, 0), -EINVAL);
    CHECK_EQ(n_upcalls, 1);
    CHECK_EQ(dp_port_get_stats(a, 1, &stats), 0);
    CHECK_EQ(stats.rx_packets, 1);
    CHECK_EQ(stats.rx_bytes, sizeof frame);

    /* Actions: overflow is reported; execute counts tx, skips bad ports. */
    dp_actions_init(&acts);
    for (int i = 0; i < DP_ACTIONS_MAX; i++) {
        CHECK_EQ(dp_actions_add_output(&acts, i % 2 ? 1 : 99), 0);
    }
    CHECK_EQ(dp_actions_add_output(&acts, 1), -ENOSPC);
    CHECK_EQ(dp_execute(a, frame, sizeof frame, 0, &acts), 0);
    CHECK_EQ(dp_port_get_stats(a, 1, &stats), 0);
    CHECK_EQ(stats.tx_packets, DP_ACTIONS_MAX / 2);
    CHECK_EQ(stats.tx_dropped, 0);
    CHECK_EQ(dp_execute(a, frame, 0, 0, &acts), -EINVAL);
    CHECK_EQ(dp_execute(a, frame, DP_PACKET_MAX_LEN + 1, 0, &acts), -EINVAL);
    CHECK_EQ(n_upcalls, 1);

    /* Output, push a tag, output again: only the second copy grows by the
     * tag; then pop it and output a third, original-sized copy. */
    CHECK_EQ(add(b, "v1", 11, &no), 0);
    CHECK_EQ(add(b, "v2", 12, &no), 0);
    CHECK_EQ(add(b, "v3", 13, &no), 0);
    dp_actions_init(&acts);
    dp_actions_add_output(&acts, 11);
    dp_actions_add(&acts, DP_ACTION_PUSH_VLAN, 10);
    dp_actions_add_output(&acts, 12);
    dp_actions_add(&acts, DP_ACTION_POP_VLAN, 0);
    dp_actions_add_output(&acts, 13);
    CHECK_EQ(dp_execute(b, frame, sizeof frame, 0, &acts), 0);
    CHECK_EQ(dp_port_get_stats(b, 11, &stats), 0);
    CHECK_EQ(stats.tx_bytes, sizeof frame);
    CHECK_EQ(dp_port_get_stats(b, 12, &stats), 0);
    CHECK_EQ(stats.tx_bytes, sizeof frame + 4);
    CHECK_EQ(dp_port_get_stats(b, 13, &stats), 0);
    CHECK_EQ(stats.tx_bytes, sizeof frame);

    for (const char *const *t = dp_port_types(); *t; t++) {
        have_afxdp |= !strcmp(*t, "afxdp");
    }
    CHECK_EQ(have_afxdp, 1);

    dp_destroy(a);
    dp_destroy(b);
    dp_destroy(NULL);
    return failures ? 1 : 0;
}
