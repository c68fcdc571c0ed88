/* dp-flow-limit: how many megaflows a datapath may hold, by how long it
 * takes to look after them.
 *
 * Every megaflow costs the housekeeping sweep (dp-megaflow.h) time: its
 * counts are pushed, its idleness checked, and after a change that
 * translations read it is translated again.  A cache so large that the
 * sweep takes seconds keeps stale counts and idle flows around that long,
 * so, as Open vSwitch's revalidators do, the limit on megaflows follows
 * the duration of the last sweep:
 *
 *   - over 2 s: the limit is divided by the whole seconds it took;
 *   - over 1.3 s: it shrinks by a quarter;
 *   - under 1 s, with more than DP_FLOW_LIMIT_GROW_MIN megaflows and a
 *     limit below what a 1 s sweep could look after at that pace
 *     (n_flows * 1000 / duration_ms): it grows by DP_FLOW_LIMIT_STEP;
 *   - then it is kept within [DP_FLOW_LIMIT_FLOOR, configured], so a
 *     configured limit below the floor (other_config:flow-limit=1 in
 *     tests) wins.
 *
 * The function is pure so that it can be tested with made-up durations
 * (tests/test-dp-flow-limit.c) rather than a slow machine. */
#ifndef XVS_DP_FLOW_LIMIT_H
#define XVS_DP_FLOW_LIMIT_H 1

#include <stddef.h>

/* Where the dynamic limit starts (at most the configured one). */
#define DP_FLOW_LIMIT_INITIAL 10000
#define DP_FLOW_LIMIT_FLOOR 1000
#define DP_FLOW_LIMIT_STEP 1000
#define DP_FLOW_LIMIT_GROW_MIN 2000

/* The limit after a sweep of 'duration_ms' over 'n_flows' megaflows under
 * 'limit', given the 'configured' maximum. */
size_t dp_flow_limit_adjust(size_t limit, size_t n_flows,
                            long long int duration_ms, size_t configured);

#endif
