/* mac-learning: the forwarding database behind the NORMAL action.
 *
 * Why: a bridge without a controller (fail_mode standalone) must act as an
 * ordinary learning switch, and flows may say "actions=NORMAL" to ask for
 * that behaviour explicitly.  NORMAL needs to know, for a destination MAC
 * on a VLAN, which port last sent a frame from that MAC.  This module keeps
 * that table: one entry per (VLAN, MAC), the OpenFlow port it was learned
 * on and when it was last refreshed.  Entries expire after
 * MAC_DEFAULT_MAX_AGE seconds without traffic; when the table is full the
 * oldest entry is evicted.
 *
 * VLANs: entries are per VID; which ports carry which VLAN (the Port
 * 'tag' and 'trunks' columns) is decided by xlate's NORMAL, not here.
 *
 * Not done yet: static entries, fdb/flush by port. */
#ifndef XVS_MAC_LEARNING_H
#define XVS_MAC_LEARNING_H 1

#include <stdbool.h>
#include <stdint.h>
#include "flow.h"
#include "hmap.h"
#include "util.h"

#define MAC_DEFAULT_MAX_AGE 300     /* Seconds, as Open vSwitch. */
#define MAC_DEFAULT_MAX_ENTRIES 8192

struct mac_entry {
    struct hmap_node node;          /* In mac_learning 'table'. */
    struct eth_addr mac;
    uint16_t vlan;                  /* VID, 0 for untagged. */
    uint32_t port;                  /* OpenFlow port number. */
    long long int used;             /* time_msec() of the last refresh. */
};

struct mac_learning {
    struct hmap table;
    int max_age;                    /* Seconds. */
    size_t max_entries;
};

struct mac_learning *mac_learning_create(int max_age);
void mac_learning_destroy(struct mac_learning *);

/* Records that 'mac' on 'vlan' was seen on 'port'.  Returns true if the
 * entry is new or moved to another port.  Broadcast/multicast sources are
 * never learned (returns false). */
bool mac_learning_learn(struct mac_learning *, const struct eth_addr *mac,
                        uint16_t vlan, uint32_t port);
/* The port 'mac' on 'vlan' was learned on, or false if unknown/expired. */
bool mac_learning_lookup(struct mac_learning *, const struct eth_addr *mac,
                         uint16_t vlan, uint32_t *port);
/* Forgets every entry on 'port' (the port was removed). */
void mac_learning_flush_port(struct mac_learning *, uint32_t port);
void mac_learning_flush(struct mac_learning *);
/* Removes expired entries; returns how many. */
size_t mac_learning_expire(struct mac_learning *);

/* Appends the "fdb/show" table as ovs-appctl prints it:
 *  " port  VLAN  MAC                Age" then one line per entry, sorted
 * by port, VLAN and MAC. */
void mac_learning_format(struct mac_learning *, struct ds *);

#endif
