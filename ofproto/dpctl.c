/* dpctl: flow cache commands; see dpctl.h. */
#include <config.h>
#include "dpctl.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "datapath/dpif.h"
#include "ofproto-private.h"
#include "unixctl.h"
#include "util.h"

/* The bridge a DP argument names ("netdev@br0" or "br0"), or the only
 * one when there is no argument.  Replies with an error if none. */
static struct ofproto *
find_datapath(struct unixctl_conn *conn, int argc, const char *argv[])
{
    struct ofproto *p;
    if (argc < 2) {
        p = ofproto_only();
        if (!p) {
            unixctl_command_reply_error(conn, "there is not exactly one "
                                        "datapath: name one (netdev@BRIDGE)");
        }
        return p;
    }
    const char *name = argv[1];
    const char *at = strchr(name, '@');
    if (at) {
        if (strncmp(name, "netdev@", 7)) {
            unixctl_command_reply_error(conn, "only netdev datapaths exist");
            return NULL;
        }
        name = at + 1;
    }
    p = ofproto_lookup(name);
    if (!p) {
        unixctl_command_reply_error(conn, "no such datapath");
    }
    return p;
}

/* "dpctl/dump-flows [DP] [pmd=CORE] [type=TYPE]": CORE limits the dump to
 * the cache of the PMD thread on that core, TYPE (as Open vSwitch's) to
 * the megaflows the kernel executes ("offloaded") or the others ("ovs",
 * "non-offloaded"); "all" is the default. */
static void
dump_flows_cmd(struct unixctl_conn *conn, int argc, const char *argv[],
               void *aux XVS_UNUSED)
{
    enum dp_flow_filter filter = DP_FLOWS_ALL;
    int pmd_core = -1;
    while (argc > 1 && (!strncmp(argv[argc - 1], "pmd=", 4)
                        || !strncmp(argv[argc - 1], "type=", 5))) {
        const char *arg = argv[--argc];
        if (!strncmp(arg, "type=", 5)) {
            const char *type = arg + 5;
            if (!strcmp(type, "all")) {
                filter = DP_FLOWS_ALL;
            } else if (!strcmp(type, "offloaded")) {
                filter = DP_FLOWS_OFFLOADED;
            } else if (!strcmp(type, "ovs")
                       || !strcmp(type, "non-offloaded")) {
                filter = DP_FLOWS_NOT_OFFLOADED;
            } else {
                unixctl_command_reply_error(
                    conn, "type=TYPE takes all, offloaded, non-offloaded "
                    "or ovs");
                return;
            }
            continue;
        }
        char *end;
        long core = strtol(arg + 4, &end, 10);
        if (!arg[4] || *end || core < 0 || core > INT_MAX) {
            unixctl_command_reply_error(conn, "pmd=CORE takes a core id");
            return;
        }
        pmd_core = core;
    }
    struct ofproto *p = find_datapath(conn, argc, argv);
    if (p) {
        struct ds s = DS_EMPTY_INITIALIZER;
        ofproto_revalidate(p);
        dp_flow_format(p->dp, pmd_core, filter, &s);
        unixctl_command_reply(conn, ds_cstr(&s));
        ds_destroy(&s);
    }
}

static void
del_flows_cmd(struct unixctl_conn *conn, int argc, const char *argv[],
              void *aux XVS_UNUSED)
{
    struct ofproto *p = find_datapath(conn, argc, argv);
    if (p) {
        ofproto_flush_megaflows(p);
        unixctl_command_reply(conn, "");
    }
}

static void
pmd_stats_show_cmd(struct unixctl_conn *conn, int argc XVS_UNUSED,
                   const char *argv[] XVS_UNUSED, void *aux XVS_UNUSED)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    size_t n;
    struct ofproto **all = ofproto_all(&n);
    for (size_t i = 0; i < n; i++) {
        char *title = (n == 1 ? xstrdup("main thread")
                       : xasprintf("main thread (netdev@%s)", all[i]->name));
        ofproto_revalidate(all[i]);
        dp_flow_format_stats(all[i]->dp, title, &s);
        free(title);
    }
    free(all);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
pmd_stats_clear_cmd(struct unixctl_conn *conn, int argc XVS_UNUSED,
                    const char *argv[] XVS_UNUSED, void *aux XVS_UNUSED)
{
    size_t n;
    struct ofproto **all = ofproto_all(&n);
    for (size_t i = 0; i < n; i++) {
        dp_pmd_stats_clear(all[i]->dp);
    }
    free(all);
    unixctl_command_reply(conn, "");
}

static void
pmd_rxq_show_cmd(struct unixctl_conn *conn, int argc XVS_UNUSED,
                 const char *argv[] XVS_UNUSED, void *aux XVS_UNUSED)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    size_t n;
    struct ofproto **all = ofproto_all(&n);
    for (size_t i = 0; i < n; i++) {
        dp_pmd_rxq_format(all[i]->dp, &s);
    }
    free(all);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

/* Open vSwitch's format; the one revalidator is the main thread, and
 * megaflows are not identified by UFID. */
static void
upcall_show_cmd(struct unixctl_conn *conn, int argc XVS_UNUSED,
                const char *argv[] XVS_UNUSED, void *aux XVS_UNUSED)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    size_t n;
    struct ofproto **all = ofproto_all(&n);
    for (size_t i = 0; i < n; i++) {
        ofproto_revalidate(all[i]);
        ds_put_format(&s, "%snetdev@%s:\n", i ? "\n" : "", all[i]->name);
        dp_flow_format_sweep(all[i]->dp, &s);
        ds_put_format(&s, "  ufid enabled : false\n\n"
                      "  0: (keys %zu)\n", dp_flow_count(all[i]->dp));
    }
    free(all);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
set_megaflows_cmd(struct unixctl_conn *conn, int argc XVS_UNUSED,
                  const char *argv[] XVS_UNUSED, void *enable)
{
    ofproto_set_megaflows_enabled(enable != NULL);
    unixctl_command_reply(conn, enable ? "megaflows enabled"
                                       : "megaflows disabled");
}

void
dpctl_register_unixctl(void)
{
    unixctl_command_register("dpctl/dump-flows",
                             "[dp] [pmd=CORE] [type=TYPE]", 0, 3,
                             dump_flows_cmd, NULL);
    unixctl_command_register("dpif/dump-flows", "bridge", 1, 1,
                             dump_flows_cmd, NULL);
    unixctl_command_register("dpctl/del-flows", "[dp]", 0, 1, del_flows_cmd,
                             NULL);
    unixctl_command_register("dpif-netdev/pmd-stats-show", "", 0, 0,
                             pmd_stats_show_cmd, NULL);
    unixctl_command_register("upcall/show", "", 0, 0, upcall_show_cmd,
                             NULL);
    static int enable = 1;
    unixctl_command_register("upcall/enable-megaflows", "", 0, 0,
                             set_megaflows_cmd, &enable);
    unixctl_command_register("upcall/disable-megaflows", "", 0, 0,
                             set_megaflows_cmd, NULL);
    unixctl_command_register("dpif-netdev/pmd-stats-clear", "", 0, 0,
                             pmd_stats_clear_cmd, NULL);
    unixctl_command_register("dpif-netdev/pmd-rxq-show", "", 0, 0,
                             pmd_rxq_show_cmd, NULL);
}
