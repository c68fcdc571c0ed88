/* nx-nsh: the NSH actions; see nx-nsh.h. */
#include <config.h>
#include "nx-nsh.h"

#include <arpa/inet.h>
#include "meta-flow.h"
#include "nx-actions.h"
#include "ofp-actions.h"
#include "ofpbuf.h"
#include "util.h"

/* Header and subtype, then six bytes of padding. */
#define NX_DEC_NSH_TTL_LEN 16

char *
nx_nsh_parse_dec_ttl(const char *arg XVS_UNUSED, struct ofpacts *o)
{
    ofpacts_put(o, OFPACT_DEC_NSH_TTL);
    return NULL;
}

void
nx_nsh_format(const struct ofpact *a XVS_UNUSED, struct ds *s)
{
    ds_put_cstr(s, "dec_nsh_ttl");
}

enum ofperr
nx_nsh_decode(const uint8_t *p XVS_UNUSED, size_t len, struct ofpacts *o)
{
    if (len != NX_DEC_NSH_TTL_LEN) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    ofpacts_put(o, OFPACT_DEC_NSH_TTL);
    return 0;
}

void
nx_nsh_encode(const struct ofpact *a XVS_UNUSED, struct ofpbuf *b)
{
    size_t start = nx_action_start(b, NXAST_DEC_NSH_TTL);
    ofpbuf_put_zeros(b, 6);
    nx_action_finish(b, start);
}

enum ofperr
nx_nsh_check(const struct ofpact *a XVS_UNUSED, const struct match *match)
{
    return (mf_are_prereqs_ok(mf_from_id(MFF_NSH_TTL), match)
            ? 0 : OFPERR_OFPBAC_MATCH_INCONSISTENT);
}

enum nx_nsh_result
nx_nsh_execute(const struct ofpact *a XVS_UNUSED, struct flow *flow)
{
    if (flow->dl_type != htons(ETH_TYPE_NSH) || !flow->nsh.mdtype) {
        return NX_NSH_NOT_NSH;
    }
    if (flow->nsh.ttl <= 1) {
        return NX_NSH_TTL_EXPIRED;
    }
    flow->nsh.ttl--;
    return NX_NSH_DONE;
}
