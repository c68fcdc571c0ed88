/* dp-flow-limit: see dp-flow-limit.h. */
#include <config.h>
#include "dp-flow-limit.h"

size_t
dp_flow_limit_adjust(size_t limit, size_t n_flows, long long int duration_ms,
                     size_t configured)
{
    /* A sweep faster than the clock's resolution took a millisecond. */
    long long int d = duration_ms < 1 ? 1 : duration_ms;
    if (d > 2000) {
        limit /= d / 1000;
    } else if (d > 1300) {
        limit = limit / 4 * 3 + limit % 4 * 3 / 4;
    } else if (d < 1000 && n_flows > DP_FLOW_LIMIT_GROW_MIN
               && limit < n_flows * 1000 / d) {
        limit += DP_FLOW_LIMIT_STEP;
    }
    if (limit < DP_FLOW_LIMIT_FLOOR) {
        limit = DP_FLOW_LIMIT_FLOOR;
    }
    return limit > configured ? configured : limit;
}
