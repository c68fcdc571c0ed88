/* flow: operations on matches over the packet key.  Everything works on
 * raw bytes because 'struct flow' has no padding holes and a match's
 * flow is always kept masked (see flow.h).  Only the first FLOW_KEY_LEN
 * bytes are key; the tunnel metadata layout after them is not. */
#include <config.h>
#include "flow.h"

#include <string.h>

void
match_init_catchall(struct match *match)
{
    memset(match, 0, sizeof *match);
}

void
match_normalize(struct match *match)
{
    uint8_t *f = (uint8_t *) &match->flow;
    const uint8_t *m = (const uint8_t *) &match->wc.masks;
    for (size_t i = 0; i < FLOW_KEY_LEN; i++) {
        f[i] &= m[i];
    }
}

_Static_assert(FLOW_KEY_LEN % 8 == 0, "the key is whole 64-bit words");

bool
match_matches_flow(const struct match *match, const struct flow *flow)
{
    /* A word at a time: translation runs this for every rule it passes. */
    for (size_t i = 0; i < FLOW_KEY_WORDS; i++) {
        if ((flow_key_word(flow, i) & flow_key_word(&match->wc.masks, i))
            != flow_key_word(&match->flow, i)) {
            return false;
        }
    }
    return true;
}

bool
match_equal(const struct match *a, const struct match *b)
{
    return (!memcmp(&a->flow, &b->flow, FLOW_KEY_LEN)
            && !memcmp(&a->wc.masks, &b->wc.masks, FLOW_KEY_LEN));
}

uint32_t
match_hash(const struct match *match, uint32_t basis)
{
    return hash_bytes(&match->wc.masks, FLOW_KEY_LEN,
                      hash_bytes(&match->flow, FLOW_KEY_LEN, basis));
}

bool
match_is_subset(const struct match *a, const struct match *b)
{
    /* 'b' is looser if it matches a subset of a's bits, with the same
     * values there. */
    const uint8_t *af = (const uint8_t *) &a->flow;
    const uint8_t *am = (const uint8_t *) &a->wc.masks;
    const uint8_t *bf = (const uint8_t *) &b->flow;
    const uint8_t *bm = (const uint8_t *) &b->wc.masks;
    for (size_t i = 0; i < FLOW_KEY_LEN; i++) {
        if ((bm[i] & ~am[i]) || (af[i] & bm[i]) != bf[i]) {
            return false;
        }
    }
    return true;
}

uint32_t
flow_hash(const struct flow *flow, uint32_t basis)
{
    return hash_bytes(flow, FLOW_KEY_LEN, basis);
}
