/* conntrack: the userspace connection tracker that the ct action uses.
 *
 * One tracker serves every bridge of the process, as Open vSwitch's
 * userspace datapath has one for all its bridges: zones (16 bits) are
 * what keeps connections apart, not bridges.
 *
 * A connection is two tuples, the original direction (the packet that
 * committed it) and the reply direction (the same addresses and ports
 * swapped), both in one hash map so that a packet of either direction
 * finds it.  A tuple is zone, address family, IP protocol, addresses and
 * ports: TCP and UDP ports, for ICMP and ICMPv6 echo the identifier and
 * the message type (a request's reply tuple carries the reply type),
 * nothing more for other protocols.
 *
 * conntrack_execute() is the ct action on one packet: it looks the packet
 * up, says what ct_state it gets (+trk always; +new for a packet of no
 * connection or of one that has not seen a reply yet, +est after that;
 * +rpl in the reply direction; +rel for an ICMP or ICMPv6 error
 * (destination unreachable, time exceeded, parameter problem, packet too
 * big) quoting a packet of a connection; +inv for what the tracker
 * cannot follow: fragments, other ICMP messages than those and echo, TCP
 * flag combinations no stack sends, a SYN+ACK without a connection, a
 * commit into a full table), and with 'commit' creates the connection.  'force' with commit
 * turns a reply-direction packet's connection around: the old entry
 * goes, and a new one starts in the packet's direction.
 *
 * TCP: each direction goes through CLOSED, SYN_SENT, ESTABLISHED (its
 * SYN acknowledged), CLOSING (it sent a FIN), FIN_WAIT_2 (its FIN
 * acknowledged) and TIME_WAIT (both FINs acknowledged, or a RST), and
 * dpctl/dump-conntrack shows the furthest of the two.  Sequence numbers
 * and windows are not checked (Open vSwitch checks them): a packet with
 * plausible flags is valid.  A SYN in the original direction of a
 * connection in TIME_WAIT starts a new connection.
 *
 * Timeouts, in seconds: TCP 30 until established, 86400 established, 15
 * while closing, 45 in TIME_WAIT; UDP and other protocols 60 before a
 * reply, 30 after; ICMP 60 and 30.  Each packet of a connection pushes
 * its expiry forward; expired connections go at the next lookup of
 * theirs, dump or flush, or sweep (at most once a second, from
 * conntrack_execute()).  The table holds at most 3000000 connections by
 * default, as Open vSwitch (dpctl/ct-set-maxconns changes that).
 *
 * NAT: a ct that commits a new connection with nat(src=...) or
 * nat(dst=...) picks the translated address and port (ICMP: echo
 * identifier) from the ranges given, so that the connection's reply tuple
 * is unique in its zone: the address by a hash of the original addresses
 * (with 'persistent' of the source address only), the port by keeping the
 * original one when it is in range, else from a hash of the addresses and
 * ports ('hash', the default; 'random': a random number) onward, trying
 * at most about a million address and port pairs.  Without a port
 * range the original port stays unless the tuple is taken, and then the
 * source port (ICMP: the identifier) moves to one of 1024-65535.  SNAT to
 * 0.0.0.0 (or ::) keeps the address and only moves a colliding source
 * port.  When nothing is free the connection is not committed and the
 * packet is +inv, as with a full table, with a warning in the log.  The
 * reply tuple is the translated one: that is what the dump shows and what
 * a flush by reply tuple matches.  Every ct with nat, bare or not,
 * translates the packets of a connection that has a translation: the
 * original direction as committed, the reply direction back, and
 * ICMP/ICMPv6 errors related to it in both their header and their quote
 * (lib/packet-set.h rewrites the bytes and checksums); such packets get
 * +snat or +dnat for the address they had translated (in the reply
 * direction of an SNAT connection that is the destination: +dnat).
 * A translation is a header rewrite conntrack_execute() returns: the
 * caller applies it to the packet and 'flow' already has it.  The
 * original-direction ct fields stay the tuple before translation.
 *
 * Not done yet: ALGs (alg=ftp and alg=tftp are accepted and do nothing, so no +rel
 * for expected data connections), fragment reassembly, per-zone limits and
 * timeout policies. */
#ifndef XVS_CONNTRACK_H
#define XVS_CONNTRACK_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include "packet-set.h"

struct ct_match;
struct ds;
struct flow;
struct conntrack_conn;

/* What a ct action's nat asks for (ofproto/nx-ct.h). */
struct conntrack_nat {
    uint8_t type;               /* CONNTRACK_NAT_SRC or _DST; 0: bare. */
    uint8_t af;                 /* AF_INET, AF_INET6; 0: no addresses. */
    struct in6_addr addr_min, addr_max;     /* IPv4: the first 4 bytes. */
    uint16_t port_min, port_max;            /* Host order; 0: no range. */
    bool persistent;
    bool random;                /* Else the hash picks the port. */
};

#define CONNTRACK_NAT_SRC 1
#define CONNTRACK_NAT_DST 2

/* What conntrack_execute() gives back besides the ct fields of 'flow'. */
struct conntrack_result {
    struct conntrack_conn *conn;    /* The packet's connection, or NULL:
                                     * valid until the next call here. */
    struct packet_set nat;          /* The translation to apply to the
                                     * packet; 'fields' 0 if none. */
};

/* The ct action on the packet of key 'flow' (its headers as the actions
 * left them) and bytes 'packet' ('len' bytes, as the actions left them;
 * NULL in a trace: then ICMP identifiers read as 0).  Fills flow's
 * ct_state, ct_zone, ct_mark, ct_label and original-direction tuple.
 * 'nat' is the ct's nat, NULL if it has none: the header fields of
 * 'flow' it translates are rewritten in 'flow' too.  'update' says
 * whether this is a real packet: only then are connections created,
 * refreshed and advanced. */
void conntrack_execute(struct flow *flow, const void *packet, size_t len,
                       uint16_t zone, bool commit, bool force, bool update,
                       const struct conntrack_nat *nat,
                       struct conntrack_result *);

/* Stores ct_mark and ct_label, as ct's exec(...) left them in 'flow', in
 * 'conn'. */
void conntrack_set_mark_label(struct conntrack_conn *, const struct flow *);

/* Removes every connection (zone < 0) or those of 'zone'.  Returns how
 * many went. */
size_t conntrack_flush(int zone);

/* Removes the connections 'm' matches (lib/ct-match.h); returns how
 * many. */
size_t conntrack_flush_match(const struct ct_match *m);

/* One line per connection (of 'zone' if >= 0), sorted, in
 * ovs-dpctl dump-conntrack's format. */
void conntrack_dump(int zone, struct ds *);

/* dpctl/dump-conntrack, dpctl/flush-conntrack, dpctl/ct-get-maxconns,
 * dpctl/ct-set-maxconns, dpctl/ct-stats-show; and the "conntrack" count of
 * memory/show. */
void conntrack_register_unixctl(void);

#endif
