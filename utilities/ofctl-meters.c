/* ofctl-meters: xvs-ofctl's meter commands. */
#include <config.h>
#include "ofctl-meters.h"

#include <stdlib.h>
#include <string.h>
#include "ofctl-vconn.h"
#include "ofproto/ofp-meter.h"
#include "ofproto/ofp-msgs.h"
#include "util.h"

/* The meter_mod that 'arg' describes; for OFPMC_DELETE (and the dump
 * commands) a bare "N" or "all" stands for "meter=N". */
static void
parse_meter_or_die(struct ofp_meter_mod *mm, const char *arg,
                   uint16_t command)
{
    char *s = (command == OFPMC_DELETE && !strchr(arg, '=') && *arg
               ? xasprintf("meter=%s", arg) : xstrdup(arg));
    char *error = ofp_parse_meter_mod_str(mm, s, command);
    free(s);
    if (error) {
        xvs_fatal(0, "%s", error);
    }
}

static void
meter_mod(const char *target, const char *arg, uint16_t command)
{
    struct ofp_meter_mod mm;
    parse_meter_or_die(&mm, arg, command);
    struct vconn vc;
    vconn_open(&vc, target);
    vconn_need_of13(&vc, "meters");
    struct ofpbuf *req = ofp_encode_meter_mod(&mm, vc.version,
                                              ofpmsg_next_xid());
    transact_noreply(&vc, &req, 1);
    ofp_meter_mod_uninit(&mm);
    vconn_close(&vc);
}

void
ofctl_add_meter(int argc XVS_UNUSED, char *argv[])
{
    meter_mod(argv[1], argv[2], OFPMC_ADD);
}

void
ofctl_mod_meter(int argc XVS_UNUSED, char *argv[])
{
    meter_mod(argv[1], argv[2], OFPMC_MODIFY);
}

void
ofctl_del_meters(int argc, char *argv[])
{
    meter_mod(argv[1], argc > 2 ? argv[2] : "", OFPMC_DELETE);
}

/* dump-meters and meter-stats: one request for the named meter (all if
 * none is named), the replies printed as they come. */
static void
meter_request(int argc, char *argv[], enum ofptype type)
{
    struct ofp_meter_mod mm;
    parse_meter_or_die(&mm, argc > 2 ? argv[2] : "", OFPMC_DELETE);
    struct vconn vc;
    vconn_open(&vc, argv[1]);
    vconn_need_of13(&vc, "meters");
    dump_transaction(&vc, ofp_encode_meter_request(type, mm.meter_id,
                                                   vc.version,
                                                   ofpmsg_next_xid()),
                     print_reply);
    ofp_meter_mod_uninit(&mm);
    vconn_close(&vc);
}

void
ofctl_dump_meters(int argc, char *argv[])
{
    meter_request(argc, argv, OFPTYPE_METER_CONFIG_STATS_REQUEST);
}

void
ofctl_meter_stats(int argc, char *argv[])
{
    meter_request(argc, argv, OFPTYPE_METER_STATS_REQUEST);
}

void
ofctl_meter_features(int argc XVS_UNUSED, char *argv[])
{
    struct vconn vc;
    vconn_open(&vc, argv[1]);
    vconn_need_of13(&vc, "meters");
    dump_transaction(&vc,
                     ofp_encode_empty(OFPTYPE_METER_FEATURES_STATS_REQUEST,
                                      vc.version, ofpmsg_next_xid()),
                     print_reply);
    vconn_close(&vc);
}

