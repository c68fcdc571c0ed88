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
    uint32_t role_status[2];   /* OF1.4+ only on the wire. */
    uint32_t table_status[2];  /* OF1.4+; not in GET_ASYNC replies. */
};
/* The defaults of the OpenFlow specification as Open vSwitch reads them
 * for a connection of 'version' (0 before negotiation): a master or equal
 * controller gets everything but invalid-TTL packet-ins, a slave only
 * port status (and role status).  Both get vacancy events (which Open
 * vSwitch leaves off until SET_ASYNC): they only come from tables a
 * controller asked to report them, and ovs-ofctl monitor has no way to
 * ask. */
void ofp_async_config_default(struct ofp_async_config *, uint8_t version);
/* SET_ASYNC or GET_ASYNC_REPLY.  Starts from 'base' (OF1.4+ properties
 * change only what they name).  Bad properties: OFPACFC_INVALID. */
enum ofperr ofp_decode_async_config(const struct ofp_msg_info *,
                                    const struct ofp_async_config *base,
                                    struct ofp_async_config *);
/* GET_ASYNC_REPLY (type OFPTYPE_GET_ASYNC_REPLY) or SET_ASYNC. */
struct ofpbuf *ofp_encode_async_config(const struct ofp_async_config *,
                                       int type, uint8_t version,
                                       uint32_t xid);

#endif
