/* nx-trunc: truncated output. */
#include <config.h>
#include "nx-trunc.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "nx-actions.h"
#include "ofp-actions.h"
#include "ofp-port.h"
#include "ofpbuf.h"
#include "util.h"

/* Header and subtype, a 16-bit port and a 32-bit max_len. */
#define NX_TRUNC_WIRE_LEN 16

static bool
port_can_truncate(uint32_t port)
{
    return port <= OFPP_MAX || port == OFPP_IN_PORT || port == OFPP_LOCAL;
}

static char *
put_trunc(uint32_t port, unsigned long long max_len, struct ofpacts *o)
{
    if (max_len < NX_TRUNC_MIN_LEN) {
        return xasprintf("max_len %llu is less than the minimum value %d",
                         max_len, NX_TRUNC_MIN_LEN);
    }
    struct ofpact *a = ofpacts_put(o, OFPACT_OUTPUT_TRUNC);
    a->output_trunc.port = port;
    a->output_trunc.max_len = max_len;
    return NULL;
}

char *
nx_trunc_parse(const char *arg, struct ofpacts *o)
{
    char *copy = xstrdup(arg ? arg : "");
    char *save = NULL;
    char *error = NULL;
    uint32_t port = 0;
    unsigned long long max_len = 0;
    bool have_port = false, have_len = false;

    for (char *kv = strtok_r(copy, ",", &save); kv && !error;
         kv = strtok_r(NULL, ",", &save)) {
        char *value = strchr(kv, '=');
        if (value) {
            *value++ = '\0';
        }
        if (!strcmp(kv, "port") && value) {
            if (!ofp_port_from_string(value, &port)) {
                error = xasprintf("output to unknown truncate port: %s",
                                  value);
            } else if (!port_can_truncate(port)) {
                error = xasprintf("output to unsupported truncate port: %s",
                                  value);
            }
            have_port = true;
        } else if (!strcmp(kv, "max_len") && value) {
            if (!str_to_ullong(value, 0, &max_len)
                || max_len > UINT32_MAX) {
                error = xasprintf("%s: invalid max_len", value);
            }
            have_len = true;
        } else {
            error = xasprintf("invalid key '%s' in output_trunc argument",
                              kv);
        }
    }
    if (!error && (!have_port || !have_len)) {
        error = xstrdup("output(...) needs both port=PORT and max_len=N");
    }
    if (!error) {
        error = put_trunc(port, max_len, o);
    }
    free(copy);
    return error;
}

void
nx_trunc_format(const struct ofpact *a, struct ds *s)
{
    ds_put_cstr(s, "output(port=");
    ofp_port_format(a->output_trunc.port, s);
    ds_put_format(s, ",max_len=%"PRIu32")", a->output_trunc.max_len);
}

enum ofperr
nx_trunc_decode(const uint8_t *p, size_t len, struct ofpacts *o)
{
    if (len != NX_TRUNC_WIRE_LEN) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    uint32_t port = ofp_port_from_of10(get_be16(p + 10));
    uint32_t max_len = get_be32(p + 12);
    if (!port_can_truncate(port)) {
        return OFPERR_OFPBAC_BAD_OUT_PORT;
    }
    if (max_len < NX_TRUNC_MIN_LEN) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    struct ofpact *a = ofpacts_put(o, OFPACT_OUTPUT_TRUNC);
    a->output_trunc.port = port;
    a->output_trunc.max_len = max_len;
    return 0;
}

void
nx_trunc_encode(const struct ofpact *a, struct ofpbuf *b)
{
    uint16_t port16 = 0;
    size_t start = nx_action_start(b, NXAST_OUTPUT_TRUNC);
    ofp_port_to_of10(a->output_trunc.port, &port16);
    ofpbuf_put_be16(b, port16);
    ofpbuf_put_be32(b, a->output_trunc.max_len);
    nx_action_finish(b, start);
}
