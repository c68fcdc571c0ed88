#include <config.h>
#include "token-bucket.h"

void
token_bucket_init(struct token_bucket *tb, unsigned int rate,
                  unsigned int burst, long long int now)
{
    tb->rate = rate;
    tb->burst = burst;
    tb->milli = (unsigned long long) burst * 1000;
    tb->last = now;
}

bool
token_bucket_take(struct token_bucket *tb, long long int now)
{
    unsigned long long cap = (unsigned long long) tb->burst * 1000;
    if (now > tb->last) {
        /* 'rate' tokens a second is 'rate' thousandths a millisecond. */
        unsigned long long add = (unsigned long long) (now - tb->last)
                                 * tb->rate;
        tb->milli = add >= cap - tb->milli ? cap : tb->milli + add;
        tb->last = now;
    }
    if (tb->milli < 1000) {
        return false;
    }
    tb->milli -= 1000;
    return true;
}
