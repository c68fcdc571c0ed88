/* ofctl-tlv: xvs-ofctl add-tlv-map, del-tlv-map and dump-tlv-map. */
#include <config.h>
#include "ofctl-tlv.h"

#include <stdlib.h>
#include "ofctl-vconn.h"
#include "ofproto/ofp-msgs.h"
#include "ofproto/ofp-tlv.h"
#include "util.h"

static void
tlv_table_mod(const char *target, uint16_t command, const char *maps)
{
    struct ofp_tlv_table_mod tm = { .command = command };
    if (maps) {
        char *error = ofp_parse_tlv_mappings(maps, &tm.mappings,
                                             &tm.n_mappings);
        if (error) {
            xvs_fatal(0, "%s", error);
        }
    }
    struct vconn vc;
    vconn_open(&vc, target);
    struct ofpbuf *req = ofp_encode_tlv_table_mod(&tm, vc.version,
                                                  ofpmsg_next_xid());
    free(tm.mappings);
    transact_noreply(&vc, &req, 1);
    vconn_close(&vc);
}

void
ofctl_add_tlv_map(int argc XVS_UNUSED, char *argv[])
{
    tlv_table_mod(argv[1], NXTTMC_ADD, argv[2]);
}

void
ofctl_del_tlv_map(int argc, char *argv[])
{
    tlv_table_mod(argv[1], argc > 2 ? NXTTMC_DELETE : NXTTMC_CLEAR,
                  argc > 2 ? argv[2] : NULL);
}

void
ofctl_dump_tlv_map(int argc XVS_UNUSED, char *argv[])
{
    dump_simple(argv[1], OFPTYPE_NXT_TLV_TABLE_REQUEST);
}
