/* ofctl-vconn: xvs-ofctl's OpenFlow connection to a switch.
 *
 * A connection is a stream socket (BRIDGE for $XVS_RUNDIR/BRIDGE.mgmt,
 * unix:PATH, tcp:IP:PORT) on which vconn_open() has exchanged HELLOs and
 * negotiated a version from 'allowed_versions'.  Reads are blocking with
 * the connection's deadline ('timeout_ms' after opening); echo requests
 * are answered on the way.  The helpers below are the exchanges every
 * command is made of: a request and its (multipart) reply, or requests
 * and a barrier.  Errors from the switch go to stderr and exit 1.  There
 * is no reconnection and no asynchronous I/O: a command is one short
 * exchange (monitor, which reads forever, sets 'deadline' to LLONG_MAX). */
#ifndef XVS_OFCTL_VCONN_H
#define XVS_OFCTL_VCONN_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofproto/ofp-msgs.h"

struct ofpbuf;

/* -O versions (OpenFlow 1.0 and 1.3 by default) and -t in ms. */
extern uint32_t allowed_versions;
extern int timeout_ms;
/* Whether -O was given, and --bundle. */
extern bool ofctl_versions_given;
extern bool ofctl_use_bundle;
/* Unless -O was given, offers 'version' too: a command that needs it
 * should not fail for want of the user asking. */
void ofctl_allow_version(uint8_t version);
/* With --bundle, offers OpenFlow 1.4, unless -O was given and named a
 * version that has bundles (1.3 and later). */
void ofctl_allow_bundles(void);

/* One OpenFlow connection. */
struct vconn {
    int fd;
    char *name;
    uint8_t version;
    long long deadline;
    bool flow_mod_table_id;     /* NXT_FLOW_MOD_TABLE_ID was enabled. */
    bool pass_echo;             /* vconn_recv() returns echo requests
                                 * unanswered (snoop: they are copies). */
};

/* Connects to 'target' and negotiates a version; fatal on failure. */
void vconn_open(struct vconn *, const char *target);
void vconn_close(struct vconn *);

/* For flows that only OpenFlow 1.0 can carry (ofpacts_need_of10()):
 * before vconn_open(), keeps only OpenFlow 1.0 in 'allowed_versions', or,
 * with versions given by -O that leave it out, exits with ovs-ofctl's
 * message naming them; after, vconn_check_of10() exits if the switch
 * chose another version. */
void vconn_allow_of10_only(bool versions_given);
void vconn_check_of10(const struct vconn *);
/* Fatal unless 'vc' speaks OpenFlow 1.3 or later, for 'what' ("groups",
 * "meters"), with the advice to ask for it. */
void vconn_need_of13(const struct vconn *, const char *what);
/* Sends and frees 'b'. */
void vconn_send(struct vconn *, struct ofpbuf *b);
/* The next message, but echo requests (answered), unless 'pass_echo'. */
struct ofpbuf *vconn_recv(struct vconn *);
/* One message; NULL if it was an echo request (answered), so that an
 * event loop waits again instead of blocking for the next. */
struct ofpbuf *vconn_recv_once(struct vconn *);

/* Receives until the reply to 'xid', skipping others; an error reply is
 * printed on stderr and exits 1. */
struct ofpbuf *recv_reply(struct vconn *, uint32_t xid,
                          struct ofp_msg_info *);
/* Receives until the reply to 'xid', printing every error reply on stderr.
 * Returns true if there was any. */
bool print_errors_until(struct vconn *, uint32_t xid);
/* Sends 'reqs' and a barrier; exits 1 if any got an error reply. */
void transact_noreply(struct vconn *, struct ofpbuf **reqs, size_t n);

/* Sends 'reqs' as one atomic, ordered bundle (open, add each, commit, or
 * discard if the switch refused any); exits 1 on any error reply. */
void ofctl_transact_bundle(struct vconn *, struct ofpbuf **reqs, size_t n);
/* ofctl_transact_bundle() with --bundle, else transact_noreply(). */
void ofctl_transact_changes(struct vconn *, struct ofpbuf **reqs, size_t n);

/* Sends 'req' and passes every part of its reply to a callback. */
typedef void reply_cb(const struct ofp_msg_info *, const struct ofpbuf *);
void dump_transaction(struct vconn *, struct ofpbuf *req, reply_cb *);
/* A reply_cb that prints the message on stdout. */
void print_reply(const struct ofp_msg_info *, const struct ofpbuf *);
/* Connects to 'target', sends an empty request of 'type' and prints the
 * reply. */
void dump_simple(const char *target, enum ofptype type);

#endif
