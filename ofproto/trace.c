#include <config.h>
#include "trace.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "datapath/dpif.h"
#include "mac-learning.h"
#include "meta-flow.h"
#include "ofp-port.h"
#include "ofproto-private.h"
#include "unixctl.h"
#include "xlate.h"

/* Rewrites "in_port=NAME" into the port's number so traces can name
 * ports as ovs-appctl allows. */
static char *
resolve_port_names(const struct ofproto *p, const char *flow_s)
{
    struct ds out = DS_EMPTY_INITIALIZER;
    char *copy = xstrdup(flow_s), *save = NULL;

    for (char *tok = strtok_r(copy, ", ", &save); tok;
         tok = strtok_r(NULL, ", ", &save)) {
        uint32_t port;
        if (out.length) {
            ds_put_char(&out, ',');
        }
        if (!strncmp(tok, "in_port=", 8)
            && !ofproto_port_lookup(p, tok + 8, &port)) {
            ds_put_format(&out, "in_port=%"PRIu32, port);
        } else {
            ds_put_cstr(&out, tok);
        }
    }
    free(copy);
    return ds_steal_cstr(&out);
}

char *
ofproto_trace(struct ofproto *p, const char *flow_s, struct ds *out)
{
    struct match match;
    char *resolved = resolve_port_names(p, flow_s);
    char *error = match_parse(&match, resolved);
    free(resolved);
    if (error) {
        return error;
    }
    enum ofperr md_error = tlv_map_relocate_match(&p->tlv_map, &match);
    if (md_error) {
        return xasprintf("%s", ofperr_get_name(md_error));
    }
    match.flow.tun_layout = match.wc.masks.tun_layout = p->tlv_map.layout;

    struct xlate_in xin = {
        .ofproto = p,
        .flow = match.flow,
        .trace = out,
    };
    struct xlate_out *xout = xmalloc(sizeof *xout);

    ds_put_cstr(out, "Flow: ");
    match_format(&match, OFP_DEFAULT_PRIORITY, out);
    ds_put_format(out, "\n\nbridge(\"%s\")\n", p->name);
    for (size_t i = strlen(p->name) + 10; i > 0; i--) {
        ds_put_char(out, '-');
    }
    ds_put_char(out, '\n');

    xlate_run(&xin, xout);

    ds_put_cstr(out, "\nFinal flow: ");
    if (!memcmp(&xout->final_flow, &match.flow, FLOW_KEY_LEN)) {
        ds_put_cstr(out, "unchanged");
    } else {
        /* Show what the user asked about plus every field that changed,
         * whole (a load into a few bits of reg0 shows all of reg0). */
        struct match final = match;
        final.flow = xout->final_flow;
        match_normalize(&final);
        for (size_t i = 0; i < MFF_N_IDS; i++) {
            const struct mf_field *mf = &mf_fields[i];
            union mf_value before, after;
            if (mf->flags & MFF_F_NO_ENCODE) {
                continue;
            }
            mf_get_flow_value(mf, &match.flow, &before);
            mf_get_flow_value(mf, &xout->final_flow, &after);
            if (memcmp(&before, &after, mf->n_bytes)) {
                mf_set(mf, &after, NULL, &final);
            }
        }
        match_format(&final, OFP_DEFAULT_PRIORITY, out);
    }
    ds_put_cstr(out, "\nDatapath actions: ");
    xlate_format_dp_actions(&xout->acts, out);
    xlate_out_uninit(xout);
    ds_put_char(out, '\n');
    free(xout);
    return NULL;
}

static struct ofproto *
find_bridge(struct unixctl_conn *conn, const char *name)
{
    struct ofproto *p = ofproto_lookup(name);
    if (!p) {
        unixctl_command_reply_error(conn, "no such bridge");
    }
    return p;
}

static void
trace_cmd(struct unixctl_conn *conn, int argc, const char *argv[],
          void *aux XVS_UNUSED)
{
    /* "ofproto/trace [DPNAME] BRIDGE FLOW": a leading datapath name such
     * as "netdev@ovs-netdev" is accepted and ignored. */
    int i = (argc == 4) ? 2 : 1;
    struct ofproto *p = find_bridge(conn, argv[i]);
    if (!p) {
        return;
    }
    if (i + 1 >= argc) {
        unixctl_command_reply_error(conn, "missing flow");
        return;
    }
    struct ds out = DS_EMPTY_INITIALIZER;
    char *error = ofproto_trace(p, argv[i + 1], &out);
    if (error) {
        unixctl_command_reply_error(conn, error);
        free(error);
    } else {
        unixctl_command_reply(conn, ds_cstr(&out));
    }
    ds_destroy(&out);
}

static void
fdb_show_cmd(struct unixctl_conn *conn, int argc XVS_UNUSED,
             const char *argv[], void *aux XVS_UNUSED)
{
    struct ofproto *p = find_bridge(conn, argv[1]);
    if (p) {
        struct ds out = DS_EMPTY_INITIALIZER;
        mac_learning_format(p->ml, &out);
        unixctl_command_reply(conn, ds_cstr(&out));
        ds_destroy(&out);
    }
}

static void
fdb_flush_cmd(struct unixctl_conn *conn, int argc XVS_UNUSED,
              const char *argv[], void *aux XVS_UNUSED)
{
    struct ofproto *p = find_bridge(conn, argv[1]);
    if (p) {
        ofproto_megaflows_will_change(p);
        mac_learning_flush(p->ml);
        ofproto_revalidate(p);
        unixctl_command_reply(conn, "table successfully flushed");
    }
}

static void
dpif_show_cmd(struct unixctl_conn *conn, int argc XVS_UNUSED,
              const char *argv[], void *aux XVS_UNUSED)
{
    struct ofproto *p = find_bridge(conn, argv[1]);
    if (p) {
        struct ds out = DS_EMPTY_INITIALIZER;
        const struct ofport *port;
        ds_put_format(&out, "netdev@%s:\n", p->name);
        XVS_LIST_FOR_EACH (port, node, &p->ports) {
            struct ds num = DS_EMPTY_INITIALIZER;
            ofp_port_format(port->ofp_port, &num);
            ds_put_format(&out, "  %s %s/%"PRIu32": (%s)\n", port->name,
                          ds_cstr(&num), port->dp_port,
                          dp_port_get_type(p->dp, port->dp_port));
            ds_destroy(&num);
        }
        unixctl_command_reply(conn, ds_cstr(&out));
        ds_destroy(&out);
    }
}

void
trace_register_unixctl(void)
{
    unixctl_command_register("ofproto/trace", "[dp_name] bridge flow", 2, 3,
                             trace_cmd, NULL);
    unixctl_command_register("fdb/show", "bridge", 1, 1, fdb_show_cmd, NULL);
    unixctl_command_register("fdb/flush", "bridge", 1, 1, fdb_flush_cmd,
                             NULL);
    unixctl_command_register("dpif/show", "bridge", 1, 1, dpif_show_cmd,
                             NULL);
}
