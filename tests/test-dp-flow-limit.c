/* test-dp-flow-limit: the dynamic flow limit (datapath/dp-flow-limit.h)
 * fed made-up sweep durations.
 *
 * Usage: test-dp-flow-limit LIMIT CONFIGURED N_FLOWS:DURATION_MS...
 * Starting from LIMIT, prints the limit after each sweep of N_FLOWS
 * megaflows that took DURATION_MS, one per line. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "datapath/dp-flow-limit.h"
#include "util.h"

static size_t
parse_size(const char *s)
{
    long long v;
    if (!str_to_llong(s, 10, &v) || v < 0) {
        fprintf(stderr, "test-dp-flow-limit: bad number \"%s\"\n", s);
        exit(1);
    }
    return v;
}

int
main(int argc, char *argv[])
{
    if (argc < 3) {
        fprintf(stderr, "usage: test-dp-flow-limit LIMIT CONFIGURED "
                "N_FLOWS:DURATION_MS...\n");
        return 1;
    }
    size_t limit = parse_size(argv[1]);
    size_t configured = parse_size(argv[2]);
    for (int i = 3; i < argc; i++) {
        char *colon = strchr(argv[i], ':');
        if (!colon) {
            fprintf(stderr, "test-dp-flow-limit: \"%s\" is not "
                    "N_FLOWS:DURATION_MS\n", argv[i]);
            return 1;
        }
        *colon = '\0';
        size_t n_flows = parse_size(argv[i]);
        long long int duration = parse_size(colon + 1);
        limit = dp_flow_limit_adjust(limit, n_flows, duration, configured);
        printf("%zu\n", limit);
    }
    return 0;
}
