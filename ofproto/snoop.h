/* snoop: copies of a bridge's controller traffic for "ovs-ofctl snoop".
 *
 * Why: when a controller and a switch disagree, one wants to see what
 * they say to each other without touching either.  Like Open vSwitch,
 * each bridge listens on "punix:$XVS_RUNDIR/BRIDGE.snoop"; a client that
 * connects gets a HELLO (the bridge's allowed versions) and then a copy of
 * every OpenFlow message the bridge sends to or receives from its
 * controllers (connections of Controller rows, not the management
 * socket), as they are, in the controller's version.  What the client
 * sends is read and ignored.  A client that cannot keep up loses copies
 * (more than SNOOP_MAX_BACKLOG bytes queued) rather than slowing the
 * switch down.
 *
 * Not done yet: Open vSwitch copies one controller connection's traffic,
 * chosen when the snooper connects (master first); this copies all of
 * them. */
#ifndef XVS_SNOOP_H
#define XVS_SNOOP_H 1

#include <stddef.h>
#include <stdint.h>

#define SNOOP_MAX_BACKLOG (1024 * 1024)

struct snoop;

/* Listens on 'name' ("punix:PATH"), greeting clients with a HELLO for
 * 'versions' (a bitmap; see ofp-msgs.h).  NULL and *errorp a positive
 * errno on failure. */
struct snoop *snoop_create(const char *name, uint32_t versions, int *errorp);
void snoop_destroy(struct snoop *);
void snoop_set_versions(struct snoop *, uint32_t versions);
/* Sends a copy of the 'len'-byte message 'msg' to every client. */
void snoop_copy(struct snoop *, const void *msg, size_t len);

#endif
