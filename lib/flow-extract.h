/* flow-extract: from a raw Ethernet frame to the 'struct flow' key.
 *
 * Every layer that needs a key for a packet (datapath upcalls, PACKET_OUT,
 * ofproto/trace with a packet) calls this one parser so that the same
 * bytes always give the same key.  It follows lib/flow.h's conventions and
 * Open vSwitch's notion of what a key holds:
 *   - one 802.1Q tag (TPID 0x8100) goes into vlan_tci with VLAN_CFI set;
 *   - 802.3 frames with an LLC/SNAP header use the SNAP type, other 802.3
 *     frames get dl_type 0x05ff ("no type");
 *   - a malformed IPv4/IPv6/ARP header leaves every L3 field zero (dl_type
 *     still says what the frame claimed); a truncated L4 header leaves the
 *     L4 fields zero but nw_proto set;
 *   - IPv6 extension headers (hop-by-hop, routing, destination options,
 *     AH, fragment) are skipped; nw_proto is the first upper-layer one;
 *   - fragments set FLOW_NW_FRAG_ANY, non-first fragments also
 *     FLOW_NW_FRAG_LATER and have no L4 fields;
 *   - ICMPv6 neighbor discovery fills nd_target and the source/target
 *     link-layer address options into arp_sha/arp_tha;
 *   - MPLS (0x8847, 0x8848) fills mpls_lse[] with the outermost label
 *     stack entries and stops there: without a pop_mpls nothing says
 *     what the payload is (Open vSwitch does the same);
 *   - NSH (0x894f) fills the NSH fields from a well-formed header
 *     (lib/nsh.h) and stops there, like MPLS;
 *   - the conntrack fields stay zero: the ct action fills them.
 * It never reads beyond 'len' bytes and needs no alignment. */
#ifndef XVS_FLOW_EXTRACT_H
#define XVS_FLOW_EXTRACT_H 1

#include <stddef.h>
#include <stdint.h>
#include "flow.h"

/* The dl_type of 802.3 frames without a SNAP type (as Open vSwitch). */
#define FLOW_DL_TYPE_NONE 0x05ff

void flow_extract(const void *packet, size_t len, uint32_t in_port,
                  struct flow *);

#endif
