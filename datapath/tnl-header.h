/* tnl-header: the tunnel encapsulations xvswitch speaks, on the wire.
 *
 * Geneve (RFC 8926), VXLAN (RFC 7348) and GRE (RFC 2784/2890, carrying
 * Ethernet: protocol 0x6558) headers are parsed into and built from a
 * 'struct flow_tnl' (lib/flow.h): the VNI or GRE key is tun_id, Geneve's
 * O bit is FLOW_TNL_F_OAM and Geneve options become tun_metadataN through
 * a 'struct tnl_opt_map', the datapath's copy of the bridge's TLV map
 * (ofproto/tlv-map.h).  These functions see only the tunnel header and
 * what follows it; the outer IP and UDP headers are the tunnel port's
 * (datapath/port-tunnel.c).
 *
 * Receive rules: a header that is cut short, whose option lengths run past
 * it, whose version is not 0, or (GRE) that has the routing bit, a bad
 * checksum or a payload that is not Ethernet is malformed; a Geneve option
 * that the map does not have (class, type and length) is skipped when it
 * is not critical and makes the packet dropped when it is (RFC 8926
 * section 3.5); a mapped option is copied to its place in the option
 * space.  Parsers never read past 'len'. */
#ifndef XVS_TNL_HEADER_H
#define XVS_TNL_HEADER_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "flow.h"

enum tnl_type {
    TNL_GENEVE,
    TNL_VXLAN,
    TNL_GRE,
};

#define TNL_GENEVE_PORT 6081
#define TNL_VXLAN_PORT 4789
#define TNL_ETH_BRIDGING 0x6558     /* Protocol of an Ethernet payload. */

#define TNL_GENEVE_HLEN 8
#define TNL_GENEVE_OPT_SPACE 252    /* 63 words of options. */
#define TNL_GENEVE_CRITICAL 0x80    /* Type bit: must be understood. */
#define TNL_VXLAN_HLEN 8
#define TNL_VXLAN_FLAG_I 0x08
#define TNL_GRE_HLEN_MAX 16         /* Base, checksum, key, sequence. */
/* The longest tunnel header any type builds. */
#define TNL_HEADER_MAX (TNL_GENEVE_HLEN + TNL_GENEVE_OPT_SPACE)

/* Which Geneve options are tun_metadataN, and where their values go. */
struct tnl_opt_map {
    uint64_t mapped;                /* Bit N: tun_metadataN is mapped. */
    uint16_t option_class[FLOW_TUN_MD_FIELDS];
    uint8_t option_type[FLOW_TUN_MD_FIELDS];
    struct flow_tun_layout layout;
};

/* Why a received packet was dropped (a negative result of a parser). */
enum tnl_drop {
    TNL_DROP_MALFORMED = 1,     /* Short, bad lengths, bad flags/checksum. */
    TNL_DROP_VERSION,           /* Version not 0. */
    TNL_DROP_CRITICAL,          /* Unknown critical Geneve option. */
    TNL_DROP_PROTOCOL,          /* Payload is not Ethernet. */
};

const char *tnl_type_name(enum tnl_type);
const char *tnl_drop_name(enum tnl_drop);

/* Each parser reads the tunnel header at 'hdr' ('len' bytes including the
 * payload), fills 'tnl' (zeroed first; outer addresses are the caller's)
 * and returns the header's length, or -TNL_DROP_*.  Geneve with a null
 * map checks the options' lengths only (to learn the VNI first). */
int tnl_geneve_parse(const void *hdr, size_t len,
                     const struct tnl_opt_map *, struct flow_tnl *tnl);
int tnl_vxlan_parse(const void *hdr, size_t len, struct flow_tnl *tnl);
int tnl_gre_parse(const void *hdr, size_t len, struct flow_tnl *tnl);

/* Each builder writes the header for 'tnl' with tunnel key 'key' (host
 * order: the VNI's 24 bits, or GRE's 32) into 'buf' (room for
 * TNL_HEADER_MAX bytes) and returns its length.  Geneve writes every
 * mapped option present in 'tnl'.  GRE carries the key when 'with_key',
 * and a checksum over the header and 'payload' when 'csum'. */
size_t tnl_geneve_build(void *buf, const struct flow_tnl *tnl, uint32_t key,
                        const struct tnl_opt_map *);
size_t tnl_vxlan_build(void *buf, uint32_t key);
size_t tnl_gre_build(void *buf, uint32_t key, bool with_key, bool csum,
                     const void *payload, size_t payload_len);

/* The longest answer tnl_icmp_too_big() builds: Ethernet, IPv6, ICMPv6
 * and as much of the packet as keeps it within IPv6's minimum MTU. */
#define TNL_ICMP_MAX (14 + 40 + 8 + 1232)

/* Path MTU discovery through a tunnel: writes into 'out' the frame that
 * answers the Ethernet frame 'frame' ('len' bytes), whose IP packet is
 * longer than the 'mtu' bytes the tunnel has room for: an ICMP
 * "fragmentation needed" with that next-hop MTU (IPv4, when DF is set) or
 * an ICMPv6 "packet too big" (IPv6), from the packet's destination to its
 * source, quoting the packet's start.  Returns its length, or 0 for
 * frames that get no answer (IPv4 without DF, later fragments, ICMP
 * errors, VLAN-tagged or non-IP frames). */
size_t tnl_icmp_too_big(const void *frame, size_t len, unsigned int mtu,
                        void *out);

/* A 16-bit hash of the Ethernet frame's flow (addresses, and for IPv4 and
 * IPv6 the protocol and TCP/UDP ports), for the outer UDP source port:
 * the same inner flow always leaves from the same port, different flows
 * spread over the range (ECMP entropy, RFC 7348 section 5). */
uint32_t tnl_flow_hash(const void *frame, size_t len);

#endif
