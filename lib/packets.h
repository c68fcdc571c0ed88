/* packets: the wire formats the switch parses and builds.
 *
 * Header structs are declared exactly as they sit on the wire (packed,
 * network byte order) so parsers can check a length and then read a
 * struct; every multi-byte field is a uint16_t/uint32_t in network order
 * or a byte array where the wire alignment is not guaranteed (IPv4
 * addresses inside ARP).  Helpers here also compute Internet checksums
 * and format MAC and IP addresses as Open vSwitch prints them. */
#ifndef XVS_PACKETS_H
#define XVS_PACKETS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include "flow.h"
#include "util.h"

#define ETH_ADDR_LEN 6
#define ETH_HEADER_LEN 14
#define VLAN_HEADER_LEN 4
#define MPLS_HLEN 4             /* One label stack entry. */

#define ETH_TYPE_IP    0x0800
#define ETH_TYPE_ARP   0x0806
#define ETH_TYPE_RARP  0x8035
#define ETH_TYPE_VLAN  0x8100
#define ETH_TYPE_VLAN_8021AD 0x88a8
#define ETH_TYPE_QINQ_OLD 0x9100    /* Pre-802.1ad double tagging. */
#define ETH_TYPE_IPV6  0x86dd
/* Values below this in the type field are 802.3 lengths. */
#define ETH_TYPE_MIN   0x0600

#define VLAN_VID_MASK 0x0fff
#define VLAN_PCP_MASK 0xe000
#define VLAN_PCP_SHIFT 13

struct eth_header {
    struct eth_addr eth_dst;
    struct eth_addr eth_src;
    uint16_t eth_type;
} __attribute__((packed));

/* The 4 bytes after the MAC addresses of a tagged frame. */
struct vlan_header {
    uint16_t vlan_tpid;
    uint16_t vlan_tci;
} __attribute__((packed));

/* 802.2 LLC + SNAP, for 802.3 frames that carry an Ethernet type. */
struct llc_snap_header {
    uint8_t dsap, ssap, control;
    uint8_t oui[3];
    uint16_t snap_type;
} __attribute__((packed));

#define ARP_HTYPE_ETH 1
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY 2

struct arp_eth_header {
    uint16_t ar_hrd;
    uint16_t ar_pro;
    uint8_t ar_hln;
    uint8_t ar_pln;
    uint16_t ar_op;
    struct eth_addr ar_sha;
    uint8_t ar_spa[4];
    struct eth_addr ar_tha;
    uint8_t ar_tpa[4];
} __attribute__((packed));

#define IP_VERSION 4
#define IP_HEADER_LEN 20
#define IP_DONT_FRAGMENT  0x4000
#define IP_MORE_FRAGMENTS 0x2000
#define IP_FRAG_OFF_MASK  0x1fff

struct ip_header {
    uint8_t ip_ihl_ver;         /* Version in the high nibble. */
    uint8_t ip_tos;
    uint16_t ip_tot_len;
    uint16_t ip_id;
    uint16_t ip_frag_off;
    uint8_t ip_ttl;
    uint8_t ip_proto;
    uint16_t ip_csum;
    uint32_t ip_src;
    uint32_t ip_dst;
} __attribute__((packed));

#define IP_IHL(ihl_ver) ((ihl_ver) & 0x0f)
#define IP_VER(ihl_ver) ((ihl_ver) >> 4)

struct ipv6_header {
    uint32_t ip6_vtcflow;       /* Version 4, traffic class 8, label 20. */
    uint16_t ip6_plen;
    uint8_t ip6_nxt;
    uint8_t ip6_hlim;
    struct in6_addr ip6_src;
    struct in6_addr ip6_dst;
} __attribute__((packed));

#define IPV6_HEADER_LEN 40

/* Generic extension header (hop-by-hop, routing, destination options):
 * length in 8-octet units not counting the first 8. */
struct ipv6_ext_header {
    uint8_t ip6e_nxt;
    uint8_t ip6e_len;
} __attribute__((packed));

struct ipv6_frag_header {
    uint8_t ip6f_nxt;
    uint8_t ip6f_reserved;
    uint16_t ip6f_offlg;        /* Offset (13 bits) << 3 | M flag. */
    uint32_t ip6f_ident;
} __attribute__((packed));

#define IPV6_FRAG_OFF_MASK 0xfff8
#define IPV6_FRAG_MORE     0x0001

/* Protocol numbers: IPPROTO_* from <netinet/in.h>. */

struct icmp_header {
    uint8_t icmp_type;
    uint8_t icmp_code;
    uint16_t icmp_csum;
    uint32_t icmp_rest;
} __attribute__((packed));

#define ICMP_HEADER_LEN 8

#define ICMP6_ECHO_REQUEST 128
#define ICMP6_ECHO_REPLY   129
#define ND_NEIGHBOR_SOLICIT 135
#define ND_NEIGHBOR_ADVERT  136
#define ND_OPT_SOURCE_LINKADDR 1
#define ND_OPT_TARGET_LINKADDR 2

struct icmp6_header {
    uint8_t icmp6_type;
    uint8_t icmp6_code;
    uint16_t icmp6_csum;
} __attribute__((packed));

/* Neighbor solicitation/advertisement body after the 4-byte ICMPv6
 * header, followed by options. */
struct nd_msg {
    uint32_t nd_rso_flags;      /* Reserved for NS; R/S/O flags for NA. */
    struct in6_addr nd_target;
} __attribute__((packed));

struct nd_opt_header {
    uint8_t nd_opt_type;
    uint8_t nd_opt_len;         /* In 8-octet units, including this. */
} __attribute__((packed));

#define TCP_FIN 0x001
#define TCP_SYN 0x002
#define TCP_RST 0x004
#define TCP_PSH 0x008
#define TCP_ACK 0x010
#define TCP_URG 0x020
#define TCP_FLAGS_MASK 0x0fff

struct tcp_header {
    uint16_t tcp_src;
    uint16_t tcp_dst;
    uint32_t tcp_seq;
    uint32_t tcp_ack;
    uint16_t tcp_ctl;           /* Data offset (4 bits) and 12 flag bits. */
    uint16_t tcp_winsz;
    uint16_t tcp_csum;
    uint16_t tcp_urg;
} __attribute__((packed));

#define TCP_HEADER_LEN 20
#define TCP_OFFSET(ctl) ((ctl) >> 12)

struct udp_header {
    uint16_t udp_src;
    uint16_t udp_dst;
    uint16_t udp_len;
    uint16_t udp_csum;
} __attribute__((packed));

#define UDP_HEADER_LEN 8

/* ---- Checksums (RFC 1071). ---- */

/* Adds 'n' bytes at 'data' to the running 32-bit sum 'partial'.  Bytes are
 * summed as big-endian 16-bit words; an odd trailing byte is padded. */
uint32_t csum_continue(uint32_t partial, const void *data, size_t n);
/* Folds a running sum into the final one's-complement checksum, in
 * network byte order, ready to store in a header. */
uint16_t csum_finish(uint32_t partial);
/* The checksum of 'n' bytes at 'data' (network byte order). */
uint16_t csum(const void *data, size_t n);
/* Running sums of the IPv4 and IPv6 pseudo-headers for TCP/UDP/ICMPv6. */
uint32_t packet_csum_pseudoheader(const struct ip_header *, uint16_t l4_len);
uint32_t packet_csum_pseudoheader6(const struct ipv6_header *,
                                   uint8_t proto, uint32_t l4_len);
/* Fills in the TCP or UDP checksum of the IPv4 or IPv6 (no extension
 * headers) Ethernet frame of 'len' bytes at 'frame', if it has one.  For
 * frames whose checksum the sending host left to hardware offload, which
 * packet sockets deliver as such. */
void packet_complete_l4_csum(void *frame, size_t len);

/* ---- Formatting and parsing addresses. ---- */

#define ETH_ADDR_FMT "%02x:%02x:%02x:%02x:%02x:%02x"
#define ETH_ADDR_ARGS(EA) \
    (EA).ea[0], (EA).ea[1], (EA).ea[2], (EA).ea[3], (EA).ea[4], (EA).ea[5]
/* IPv4 address in network byte order, printed dotted-quad. */
#define IP_FMT "%u.%u.%u.%u"
#define IP_ARGS(IP) \
    ((uint8_t *) &(IP))[0], ((uint8_t *) &(IP))[1], \
    ((uint8_t *) &(IP))[2], ((uint8_t *) &(IP))[3]

void eth_format(struct ds *, const struct eth_addr *);
void ip_format(struct ds *, uint32_t ip_be);
void ipv6_format(struct ds *, const struct in6_addr *);
/* Parses "xx:xx:xx:xx:xx:xx"; false on anything else. */
bool eth_addr_from_string(const char *, struct eth_addr *);
bool eth_addr_is_zero(const struct eth_addr *);
bool eth_addr_is_multicast(const struct eth_addr *);
bool eth_addr_equals(const struct eth_addr *, const struct eth_addr *);
/* A random locally administered unicast address, from 'seed' if non-zero
 * (so it is stable for the same seed), else from random bytes. */
void eth_addr_random(struct eth_addr *, uint32_t seed);

/* Parses a string of hex digit pairs (spaces allowed between bytes) into
 * a malloc'd buffer.  Returns NULL on bad input or an empty string. */
uint8_t *packet_from_hex(const char *, size_t *lenp);
/* Appends 'n' bytes at 'data' as lower-case hex with no separators. */
void packet_to_hex(struct ds *, const void *data, size_t n);

#endif
