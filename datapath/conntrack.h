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
 * Not done yet: NAT (the ct action refuses nat with src or dst: nx-ct.h),
 * ALGs (alg=ftp and alg=tftp are accepted and do nothing, so no +rel
 * for expected data connections), fragment reassembly, per-zone limits and
 * timeout policies. */
#ifndef XVS_CONNTRACK_H
#define XVS_CONNTRACK_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ct_match;
struct ds;
struct flow;
struct conntrack_conn;

/* What conntrack_execute() gives back besides the ct fields of 'flow'. */
struct conntrack_result {
    struct conntrack_conn *conn;    /* The packet's connection, or NULL:
                                     * valid until the next call here. */
};

/* The ct action on the packet of key 'flow' (its headers as the actions
 * left them) and bytes 'packet' ('len' bytes; NULL in a trace: then ICMP
 * identifiers read as 0).  Fills flow's ct_state, ct_zone, ct_mark,
 * ct_label and original-direction tuple.  'update' says whether this is
 * a real packet: only then are connections created, refreshed and
 * advanced. */
void conntrack_execute(struct flow *flow, const void *packet, size_t len,
                       uint16_t zone, bool commit, bool force, bool update,
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
 * dpctl/ct-set-maxconns, dpctl/ct-stats-show. */
void conntrack_register_unixctl(void);

#endif
