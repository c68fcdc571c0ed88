/* token-bucket: a rate limiter counted in whole events.
 *
 * Why: the OpenFlow channel limits packet-ins to Controller
 * controller_rate_limit per second with bursts of controller_burst_limit,
 * and the arithmetic is easier to get right once, apart from sockets.
 * Tokens accrue at 'rate' per second up to 'burst'; each event takes one.
 * Time comes from the caller (milliseconds, monotonic) so tests and
 * callers in a loop see one consistent clock.
 *
 * Not done yet: fractional costs (every event costs one token). */
#ifndef XVS_TOKEN_BUCKET_H
#define XVS_TOKEN_BUCKET_H 1

#include <stdbool.h>

struct token_bucket {
    unsigned int rate;          /* Tokens per second. */
    unsigned int burst;         /* Most tokens held. */
    unsigned long long milli;   /* Tokens held, in thousandths. */
    long long int last;         /* When 'milli' was last topped up. */
};

/* Starts full, as of 'now'. */
void token_bucket_init(struct token_bucket *, unsigned int rate,
                       unsigned int burst, long long int now);
/* Takes one token if there is one, after adding what accrued since the
 * last call.  Returns true if it did. */
bool token_bucket_take(struct token_bucket *, long long int now);

#endif
