/* ofp-role: wire codec for controller roles and asynchronous-message
 * configuration.
 *
 * Why a module: with several controllers on one switch, OpenFlow 1.2+
 * lets each pick a role (ROLE_REQUEST/ROLE_REPLY, and ROLE_STATUS in
 * OF1.4+ to tell a controller it lost mastership) and choose which
 * asynchronous messages it gets per role (GET_ASYNC/SET_ASYNC: three
 * fixed mask pairs in OF1.3, a list of mask properties in OF1.4+).  The
 * switch side (who is master, what is sent) lives in connmgr.c; this file
 * only turns those messages into structs and back. */
#ifndef XVS_OFP_ROLE_H
#define XVS_OFP_ROLE_H 1

#include <stdbool.h>
#include <stdint.h>
#include "ofp-errors.h"

struct ofp_msg_info;
struct ofpbuf;

enum ofp_controller_role {
    OFPCR_ROLE_NOCHANGE = 0,
    OFPCR_ROLE_EQUAL = 1,
    OFPCR_ROLE_MASTER = 2,
    OFPCR_ROLE_SLAVE = 3,
};
/* "equal", "master", "slave", "nochange". */
const char *ofp_role_to_string(uint32_t role);

struct ofp_role_msg {
    uint32_t role;             /* OFPCR_ROLE_* */
    uint64_t generation_id;
};
/* ROLE_REQUEST or ROLE_REPLY.  A role number above SLAVE is
 * OFPRRFC_BAD_ROLE. */
enum ofperr ofp_decode_role(const struct ofp_msg_info *,
                            struct ofp_role_msg *);
struct ofpbuf *ofp_encode_role_reply(const struct ofp_role_msg *,
                                     const struct ofp_msg_info *request);

/* ROLE_STATUS reasons. */
enum { OFPCRR_MASTER_REQUEST = 0, OFPCRR_CONFIG = 1 };
/* NULL for versions without ROLE_STATUS (before OF1.4). */
struct ofpbuf *ofp_encode_role_status(const struct ofp_role_msg *,
                                      uint8_t reason, uint8_t version);

/* Which asynchronous messages a connection wants, by reason bit
 * (1 << OFPR_* / OFPPR_* / OFPRR_*), for the master-or-equal role
 * [ASYNC_MASTER] and the slave role [ASYNC_SLAVE]. */
enum { ASYNC_MASTER = 0, ASYNC_SLAVE = 1 };
struct ofp_async_config {
    uint32_t packet_in[2];
    uint32_t port_status[2];
    uint32_t flow_removed[2];
    uint32_t role_status[2];   /* OF1.4+ properties only on the wire. */
    uint32_t table_status[2];  /* OF1.4+ properties only on the wire. */
    uint32_t request_forward[2];   /* Kept and reported; nothing is ever
                                    * forwarded. */
};
/* The defaults of the OpenFlow specification as Open vSwitch reads them
 * for a connection of 'version' (0 before negotiation): a master or equal
 * controller gets everything but invalid-TTL packet-ins, a slave only
 * port status.  Role status and table status (vacancy events) are off,
 * as Open vSwitch reports them; Open vSwitch sends ROLE_STATUS whatever
 * the mask says (connmgr.c does the same), but vacancy events only to a
 * connection that asked for them with SET_ASYNC. */
void ofp_async_config_default(struct ofp_async_config *, uint8_t version);
/* SET_ASYNC, NXT_SET_ASYNC_CONFIG(2) or GET_ASYNC_REPLY.  Starts from
 * 'base': the OpenFlow 1.3 layout (OFPT_SET_ASYNC in 1.3,
 * NXT_SET_ASYNC_CONFIG in any version) sets the packet-in, port-status
 * and flow-removed masks; properties (1.4+, NXT_SET_ASYNC_CONFIG2) change
 * only what they name.  Bad properties: OFPACFC_INVALID. */
/* Whether the message has the OpenFlow 1.3 layout (three mask pairs). */
bool ofp_async_config_legacy(const struct ofp_msg_info *);
enum ofperr ofp_decode_async_config(const struct ofp_msg_info *,
                                    const struct ofp_async_config *base,
                                    struct ofp_async_config *);
/* Appends 'ac' as ovs-ofctl prints an async configuration message of
 * 'version' (the lines after the header, each starting with a newline):
 * the primary then the secondary masks, one line per kind, reasons by
 * name.  'legacy': the message had the OpenFlow 1.3 layout, whose
 * packet-in masks have three reasons. */
struct ds;
void ofp_async_config_format(struct ds *, const struct ofp_async_config *,
                             bool legacy);
/* GET_ASYNC_REPLY (type OFPTYPE_GET_ASYNC_REPLY) or SET_ASYNC. */
struct ofpbuf *ofp_encode_async_config(const struct ofp_async_config *,
                                       int type, uint8_t version,
                                       uint32_t xid);

#endif
