/* nx-ct: the connection-tracking actions (only ct_clear so far). */
#include <config.h>
#include "nx-ct.h"

#include <string.h>
#include "flow.h"
#include "nx-actions.h"
#include "ofp-actions.h"
#include "ofpbuf.h"
#include "util.h"

/* The experimenter header, the subtype and 6 bytes of padding. */
#define NX_CT_CLEAR_LEN 16

char *
nx_ct_parse_clear(const char *arg, struct ofpacts *o)
{
    if (arg && *arg) {
        return xasprintf("%s: ct_clear takes no argument", arg);
    }
    ofpacts_put(o, OFPACT_CT_CLEAR);
    return NULL;
}

void
nx_ct_format(const struct ofpact *a XVS_UNUSED, struct ds *s)
{
    ds_put_cstr(s, "ct_clear");
}

enum ofperr
nx_ct_decode(const uint8_t *p XVS_UNUSED, size_t len, struct ofpacts *o)
{
    if (len != NX_CT_CLEAR_LEN) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    ofpacts_put(o, OFPACT_CT_CLEAR);
    return 0;
}

void
nx_ct_encode(const struct ofpact *a XVS_UNUSED, struct ofpbuf *b)
{
    size_t start = nx_action_start(b, NXAST_CT_CLEAR);
    ofpbuf_put_zeros(b, NX_CT_CLEAR_LEN - 10);
    nx_action_finish(b, start);
}

void
nx_ct_clear_flow(struct flow *flow)
{
    flow->ct_state = 0;
    flow->ct_mark = 0;
    flow->ct_zone = 0;
    flow->ct_nw_proto = 0;
    memset(flow->ct_label, 0, sizeof flow->ct_label);
    flow->ct_nw_src = 0;
    flow->ct_nw_dst = 0;
    memset(&flow->ct_ipv6_src, 0, sizeof flow->ct_ipv6_src);
    memset(&flow->ct_ipv6_dst, 0, sizeof flow->ct_ipv6_dst);
    flow->ct_tp_src = 0;
    flow->ct_tp_dst = 0;
}
