/* meta-flow: the field registry and the per-field operations driven by it.
 * See meta-flow.h for why there is one table. */
#include <config.h>
#include "meta-flow.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "nsh.h"
#include "ofp-port.h"

#define ETH_TYPE_IP   0x0800
#define ETH_TYPE_ARP  0x0806
#define ETH_TYPE_RARP 0x8035
#define ETH_TYPE_IPV6 0x86dd

/* The ct_state flags that only a tracked, valid connection has. */
#define CS_VALID_FLAGS (CS_NEW | CS_ESTABLISHED | CS_RELATED | CS_REPLY_DIR \
                        | CS_SRC_NAT | CS_DST_NAT)

#define NO_NXM 0xffff, 0
#define NO_OXM 0, 0
#define OXM(F) OFPXMC_OPENFLOW_BASIC, F
#define NXM0(F) OFPXMC_NXM_0, F
#define NXM1(F) OFPXMC_NXM_1, F
#define MEMBER(M) offsetof(struct flow, M), sizeof(((struct flow *) 0)->M)
#define REG_MEMBER(N) \
    offsetof(struct flow, regs) + (N) * sizeof(uint32_t), sizeof(uint32_t)

/* ID, NAME, ALIAS, PRINT, BITS, MASKABLE, PREREQS, STRING, FLAGS, OXM, NXM,
 * MEMBER, FLOW_MASK, SHIFT. */
#define F(ID, NAME, ALIAS, PRINT, BITS, MASKABLE, PREREQS, STRING, FLAGS, \
          OXMCODE, NXMCODE, MEMB, FMASK, SHIFT)                            \
    [ID] = { ID, NAME, ALIAS, PRINT, BITS, ((BITS) + 7) / 8, MASKABLE,      \
             PREREQS, STRING, FLAGS, OXMCODE, NXMCODE, MEMB, FMASK, SHIFT }
#define REG(N) \
    F(MFF_REG##N, "reg" #N, NULL, "reg" #N, 32, true, MFP_NONE,            \
      MFS_HEXADECIMAL, MFF_F_HOST_ORDER, NO_OXM, NXM1(N), REG_MEMBER(N),   \
      0xffffffff, 0)
/* xregN is OXM_OF_PKT_REG(N) (class 0x8001); reg(2N) and reg(2N+1) print
 * and encode its bits in matches. */
#define PKT_REG(N) 0x8001, N
#define XREG_MEMBER(N) \
    offsetof(struct flow, regs) + 2 * (N) * sizeof(uint32_t), sizeof(uint64_t)
#define XREG(N) \
    F(MFF_XREG##N, "xreg" #N, NULL, "xreg" #N, 64, true, MFP_NONE,         \
      MFS_HEXADECIMAL,                                                     \
      MFF_F_HOST_ORDER | MFF_F_REG_PAIR | MFF_F_NO_ENCODE, NO_OXM,         \
      PKT_REG(N), XREG_MEMBER(N), UINT64_MAX, 0)

/* tun_metadataN: NXM_NX_TUN_METADATAN is class 1, field 40 + N; where
 * the value lives depends on the flow's layout, so the row names the whole
 * option space. */
#define TUN_MD(N) \
    F(MFF_TUN_METADATA0 + (N), "tun_metadata" #N, NULL, "tun_metadata" #N,  \
      FLOW_TUN_MD_MAX_LEN * 8, true, MFP_NONE, MFS_HEXADECIMAL,            \
      MFF_F_TUN_MD, NO_OXM, NXM1(40 + (N)), MEMBER(tunnel.md), 0, 0)
/* xxregN is NXM_NX_XXREG(N); like the xregs, the regs print and encode
 * its bits in matches. */
#define XXREG_MEMBER(N) \
    offsetof(struct flow, regs) + 4 * (N) * sizeof(uint32_t), \
    4 * sizeof(uint32_t)
#define XXREG(N) \
    F(MFF_XXREG##N, "xxreg" #N, NULL, "xxreg" #N, 128, true, MFP_NONE,     \
      MFS_HEXADECIMAL,                                                     \
      MFF_F_HOST_ORDER | MFF_F_REG_QUAD | MFF_F_NO_ENCODE, NO_OXM,         \
      NXM1(111 + N), XXREG_MEMBER(N), 0, 0)
/* The MPLS fields are bits of the outermost label stack entry. */
#define MPLS_MEMBER offsetof(struct flow, mpls_lse), sizeof(uint32_t)
/* A row with an experimenter OXM code as well: EXP is the experimenter
 * id, EXPFIELD its field number. */
#define FX(ID, NAME, ALIAS, PRINT, BITS, MASKABLE, PREREQS, STRING, FLAGS, \
           OXMCODE, NXMCODE, MEMB, FMASK, SHIFT, EXP, EXPFIELD)             \
    [ID] = { ID, NAME, ALIAS, PRINT, BITS, ((BITS) + 7) / 8, MASKABLE,      \
             PREREQS, STRING, FLAGS, OXMCODE, NXMCODE, MEMB, FMASK, SHIFT,  \
             EXP, EXPFIELD }
#define ERICOXM(F) OFPXMC_ERICSSON, F
#define TUN_X(ID, NAME, PRINT, BITS, STRING, FLAGS, MEMB, FMASK, EXPFIELD) \
    FX(ID, NAME, NULL, PRINT, BITS, true, MFP_NONE, STRING, FLAGS, NO_OXM,  \
       NO_NXM, MEMBER(tunnel.MEMB), FMASK, 0, OXM_EXP_NICIRA, EXPFIELD)
/* The NSH fields: NXOXM_NSH_* experimenter codes, no OXM or NXM one. */
#define NSH(ID, NAME, ALIAS, BITS, MASKABLE, STRING, FLAGS, MEMB, FMASK, \
            SHIFT, EXPFIELD)                                              \
    FX(ID, NAME, ALIAS, NAME, BITS, MASKABLE, MFP_NSH, STRING, FLAGS,     \
       NO_OXM, NO_NXM, MEMBER(nsh.MEMB), FMASK, SHIFT, OXM_EXP_NSH,     \
       EXPFIELD)
#define NSH_C(N) \
    NSH(MFF_NSH_C1 + (N) - 1, "nsh_c" #N, "nshc" #N, 32, true,            \
        MFS_HEXADECIMAL, 0, c[(N) - 1], 0xffffffff, 0, 5 + (N))

const struct mf_field mf_fields[MFF_N_IDS] = {
    F(MFF_IN_PORT, "in_port", NULL, "in_port", 32, false, MFP_NONE,
      MFS_OFP_PORT, MFF_F_HOST_ORDER, OXM(0), NXM0(0), MEMBER(in_port),
      0xffffffff, 0),
    F(MFF_METADATA, "metadata", NULL, "metadata", 64, true, MFP_NONE,
      MFS_HEXADECIMAL, MFF_F_HOST_ORDER, OXM(2), NO_NXM, MEMBER(metadata),
      UINT64_MAX, 0),
    REG(0), REG(1), REG(2), REG(3), REG(4), REG(5), REG(6), REG(7),
    REG(8), REG(9), REG(10), REG(11), REG(12), REG(13), REG(14), REG(15),
    F(MFF_ETH_SRC, "eth_src", "dl_src", "dl_src", 48, true, MFP_ETHERNET,
      MFS_ETHERNET, 0, OXM(4), NXM0(2), MEMBER(dl_src), 0, 0),
    F(MFF_ETH_DST, "eth_dst", "dl_dst", "dl_dst", 48, true, MFP_ETHERNET,
      MFS_ETHERNET, 0, OXM(3), NXM0(1), MEMBER(dl_dst), 0, 0),
    F(MFF_ETH_TYPE, "eth_type", "dl_type", "dl_type", 16, false,
      MFP_ETHERNET, MFS_ETHERTYPE, MFF_F_READ_ONLY, OXM(5), NXM0(3), MEMBER(dl_type), 0xffff, 0),
    F(MFF_VLAN_TCI, "vlan_tci", NULL, "vlan_tci", 16, true, MFP_ETHERNET,
      MFS_HEXADECIMAL, MFF_F_NO_ENCODE, NO_OXM, NXM0(4), MEMBER(vlan_tci),
      0xffff, 0),
    F(MFF_DL_VLAN, "dl_vlan", NULL, "dl_vlan", 12, false, MFP_ETHERNET,
      MFS_DECIMAL, MFF_F_NO_ENCODE | MFF_F_VLAN_TAG, NO_OXM, NO_NXM,
      MEMBER(vlan_tci), 0x0fff, 0),
    F(MFF_DL_VLAN_PCP, "dl_vlan_pcp", NULL, "dl_vlan_pcp", 3, false,
      MFP_ETHERNET, MFS_DECIMAL, MFF_F_NO_ENCODE | MFF_F_VLAN_TAG, NO_OXM,
      NO_NXM, MEMBER(vlan_tci), 0xe000, 13),
    F(MFF_VLAN_VID, "vlan_vid", NULL, "vlan_vid", 13, true, MFP_ETHERNET,
      MFS_DECIMAL, 0, OXM(6), NO_NXM, MEMBER(vlan_tci), 0x1fff, 0),
    F(MFF_VLAN_PCP, "vlan_pcp", NULL, "vlan_pcp", 3, false, MFP_VLAN_VID,
      MFS_DECIMAL, MFF_F_VLAN_TAG, OXM(7), NO_NXM, MEMBER(vlan_tci),
      0xe000, 13),
    F(MFF_IPV4_SRC, "ip_src", "nw_src", "nw_src", 32, true, MFP_IPV4,
      MFS_IPV4, 0, OXM(11), NXM0(7), MEMBER(nw_src), 0xffffffff, 0),
    F(MFF_IPV4_DST, "ip_dst", "nw_dst", "nw_dst", 32, true, MFP_IPV4,
      MFS_IPV4, 0, OXM(12), NXM0(8), MEMBER(nw_dst), 0xffffffff, 0),
    F(MFF_IPV6_SRC, "ipv6_src", NULL, "ipv6_src", 128, true, MFP_IPV6,
      MFS_IPV6, 0, OXM(26), NXM1(19), MEMBER(ipv6_src), 0, 0),
    F(MFF_IPV6_DST, "ipv6_dst", NULL, "ipv6_dst", 128, true, MFP_IPV6,
      MFS_IPV6, 0, OXM(27), NXM1(20), MEMBER(ipv6_dst), 0, 0),
    F(MFF_IPV6_LABEL, "ipv6_label", NULL, "ipv6_label", 32, true, MFP_IPV6,
      MFS_HEXADECIMAL, 0, OXM(28), NXM1(27), MEMBER(ipv6_label),
      0x000fffff, 0),
    F(MFF_IP_PROTO, "nw_proto", "ip_proto", "nw_proto", 8, false,
      MFP_IP_ANY, MFS_DECIMAL, MFF_F_READ_ONLY, OXM(10), NXM0(6), MEMBER(nw_proto),
      0xff, 0),
    F(MFF_IP_DSCP, "nw_tos", NULL, "nw_tos", 8, false, MFP_IP_ANY,
      MFS_DECIMAL, MFF_F_NO_ENCODE, NO_OXM, NXM0(5), MEMBER(nw_tos),
      0xfc, 0),
    F(MFF_IP_DSCP_SHIFTED, "ip_dscp", NULL, "ip_dscp", 6, false,
      MFP_IP_ANY, MFS_DECIMAL, 0, OXM(8), NO_NXM, MEMBER(nw_tos), 0xfc, 2),
    F(MFF_IP_ECN, "nw_ecn", "ip_ecn", "nw_ecn", 2, false, MFP_IP_ANY,
      MFS_DECIMAL, 0, OXM(9), NXM1(28), MEMBER(nw_tos), 0x03, 0),
    F(MFF_IP_TTL, "nw_ttl", NULL, "nw_ttl", 8, false, MFP_IP_ANY,
      MFS_DECIMAL, 0, NO_OXM, NXM1(29), MEMBER(nw_ttl), 0xff, 0),
    F(MFF_IP_FRAG, "ip_frag", "nw_frag", "nw_frag", 8, true, MFP_IP_ANY,
      MFS_FRAG, MFF_F_READ_ONLY, NO_OXM, NXM1(26), MEMBER(nw_frag), 0x03, 0),
    F(MFF_ARP_OP, "arp_op", NULL, "arp_op", 16, false, MFP_ARP,
      MFS_DECIMAL, 0, OXM(21), NXM0(15), MEMBER(nw_proto), 0xff, 0),
    F(MFF_ARP_SPA, "arp_spa", NULL, "arp_spa", 32, true, MFP_ARP,
      MFS_IPV4, 0, OXM(22), NXM0(16), MEMBER(nw_src), 0xffffffff, 0),
    F(MFF_ARP_TPA, "arp_tpa", NULL, "arp_tpa", 32, true, MFP_ARP,
      MFS_IPV4, 0, OXM(23), NXM0(17), MEMBER(nw_dst), 0xffffffff, 0),
    F(MFF_ARP_SHA, "arp_sha", NULL, "arp_sha", 48, true, MFP_ARP,
      MFS_ETHERNET, 0, OXM(24), NXM1(17), MEMBER(arp_sha), 0, 0),
    F(MFF_ARP_THA, "arp_tha", NULL, "arp_tha", 48, true, MFP_ARP,
      MFS_ETHERNET, 0, OXM(25), NXM1(18), MEMBER(arp_tha), 0, 0),
    F(MFF_TCP_SRC, "tcp_src", "tp_src", "tp_src", 16, true, MFP_TCP,
      MFS_DECIMAL, 0, OXM(13), NXM0(9), MEMBER(tp_src), 0xffff, 0),
    F(MFF_TCP_DST, "tcp_dst", "tp_dst", "tp_dst", 16, true, MFP_TCP,
      MFS_DECIMAL, 0, OXM(14), NXM0(10), MEMBER(tp_dst), 0xffff, 0),
    FX(MFF_TCP_FLAGS, "tcp_flags", NULL, "tcp_flags", 12, true, MFP_TCP,
       MFS_TCP_FLAGS, MFF_F_READ_ONLY | MFF_F_OXM15, OXM(42), NXM1(34), MEMBER(tcp_flags),
       0x0fff, 0, OXM_EXP_ONF, 42),
    F(MFF_UDP_SRC, "udp_src", NULL, "tp_src", 16, true, MFP_UDP,
      MFS_DECIMAL, 0, OXM(15), NXM0(11), MEMBER(tp_src), 0xffff, 0),
    F(MFF_UDP_DST, "udp_dst", NULL, "tp_dst", 16, true, MFP_UDP,
      MFS_DECIMAL, 0, OXM(16), NXM0(12), MEMBER(tp_dst), 0xffff, 0),
    F(MFF_ICMPV4_TYPE, "icmp_type", "icmpv4_type", "icmp_type", 8, false,
      MFP_ICMPV4, MFS_DECIMAL, 0, OXM(19), NXM0(13), MEMBER(tp_src),
      0x00ff, 0),
    F(MFF_ICMPV4_CODE, "icmp_code", "icmpv4_code", "icmp_code", 8, false,
      MFP_ICMPV4, MFS_DECIMAL, 0, OXM(20), NXM0(14), MEMBER(tp_dst),
      0x00ff, 0),
    F(MFF_ICMPV6_TYPE, "icmpv6_type", NULL, "icmp_type", 8, false,
      MFP_ICMPV6, MFS_DECIMAL, 0, OXM(29), NXM1(21), MEMBER(tp_src),
      0x00ff, 0),
    F(MFF_ICMPV6_CODE, "icmpv6_code", NULL, "icmp_code", 8, false,
      MFP_ICMPV6, MFS_DECIMAL, 0, OXM(30), NXM1(22), MEMBER(tp_dst),
      0x00ff, 0),
    F(MFF_ND_TARGET, "nd_target", NULL, "nd_target", 128, true, MFP_ND,
      MFS_IPV6, 0, OXM(31), NXM1(23), MEMBER(nd_target), 0, 0),
    F(MFF_ND_SLL, "nd_sll", NULL, "nd_sll", 48, true, MFP_ND_SOLICIT,
      MFS_ETHERNET, 0, OXM(32), NXM1(24), MEMBER(arp_sha), 0, 0),
    F(MFF_ND_TLL, "nd_tll", NULL, "nd_tll", 48, true, MFP_ND_ADVERT,
      MFS_ETHERNET, 0, OXM(33), NXM1(25), MEMBER(arp_tha), 0, 0),
    F(MFF_PKT_MARK, "pkt_mark", NULL, "pkt_mark", 32, true, MFP_NONE,
      MFS_HEXADECIMAL, MFF_F_HOST_ORDER, NO_OXM, NXM1(33), MEMBER(pkt_mark),
      0xffffffff, 0),
    XREG(0), XREG(1), XREG(2), XREG(3), XREG(4), XREG(5), XREG(6), XREG(7),
    F(MFF_CONJ_ID, "conj_id", NULL, "conj_id", 32, false, MFP_NONE,
      MFS_DECIMAL, MFF_F_HOST_ORDER, NO_OXM, NXM1(37), MEMBER(conj_id),
      0xffffffff, 0),

    /* Tunnel. */
    F(MFF_TUN_ID, "tun_id", "tunnel_id", "tun_id", 64, true, MFP_NONE,
      MFS_HEXADECIMAL, 0, OXM(38), NXM1(16), MEMBER(tunnel.tun_id),
      UINT64_MAX, 0),
    F(MFF_TUN_SRC, "tun_src", NULL, "tun_src", 32, true, MFP_NONE,
      MFS_IPV4, 0, NO_OXM, NXM1(31), MEMBER(tunnel.ip_src), 0xffffffff, 0),
    F(MFF_TUN_DST, "tun_dst", NULL, "tun_dst", 32, true, MFP_NONE,
      MFS_IPV4, 0, NO_OXM, NXM1(32), MEMBER(tunnel.ip_dst), 0xffffffff, 0),
    F(MFF_TUN_IPV6_SRC, "tun_ipv6_src", NULL, "tun_ipv6_src", 128, true,
      MFP_NONE, MFS_IPV6, 0, NO_OXM, NXM1(109), MEMBER(tunnel.ipv6_src),
      0, 0),
    F(MFF_TUN_IPV6_DST, "tun_ipv6_dst", NULL, "tun_ipv6_dst", 128, true,
      MFP_NONE, MFS_IPV6, 0, NO_OXM, NXM1(110), MEMBER(tunnel.ipv6_dst),
      0, 0),
    /* 16 bits on the wire; only the public flags (oam) are matchable. */
    F(MFF_TUN_FLAGS, "tun_flags", NULL, "tun_flags", 16, true, MFP_NONE,
      MFS_TUN_FLAGS, MFF_F_HOST_ORDER, NO_OXM, NXM1(104),
      MEMBER(tunnel.flags), FLOW_TNL_F_MASK, 0),
    TUN_MD(0), TUN_MD(1), TUN_MD(2), TUN_MD(3), TUN_MD(4), TUN_MD(5), TUN_MD(6), TUN_MD(7),
    TUN_MD(8), TUN_MD(9), TUN_MD(10), TUN_MD(11), TUN_MD(12), TUN_MD(13), TUN_MD(14), TUN_MD(15),
    TUN_MD(16), TUN_MD(17), TUN_MD(18), TUN_MD(19), TUN_MD(20), TUN_MD(21), TUN_MD(22), TUN_MD(23),
    TUN_MD(24), TUN_MD(25), TUN_MD(26), TUN_MD(27), TUN_MD(28), TUN_MD(29), TUN_MD(30), TUN_MD(31),
    TUN_MD(32), TUN_MD(33), TUN_MD(34), TUN_MD(35), TUN_MD(36), TUN_MD(37), TUN_MD(38), TUN_MD(39),
    TUN_MD(40), TUN_MD(41), TUN_MD(42), TUN_MD(43), TUN_MD(44), TUN_MD(45), TUN_MD(46), TUN_MD(47),
    TUN_MD(48), TUN_MD(49), TUN_MD(50), TUN_MD(51), TUN_MD(52), TUN_MD(53), TUN_MD(54), TUN_MD(55),
    TUN_MD(56), TUN_MD(57), TUN_MD(58), TUN_MD(59), TUN_MD(60), TUN_MD(61), TUN_MD(62), TUN_MD(63),
    /* Conntrack, xxreg, MPLS. */
    /* ct_state is 32 bits on the wire, but only the named flags exist:
     * Open vSwitch sends an exact match with mask 0xff. */
    F(MFF_CT_STATE, "ct_state", NULL, "ct_state", 32, true, MFP_NONE,
      MFS_CT_STATE, MFF_F_HOST_ORDER | MFF_F_READ_ONLY, NO_OXM, NXM1(105),
      MEMBER(ct_state), 0xff, 0),
    F(MFF_CT_ZONE, "ct_zone", NULL, "ct_zone", 16, false, MFP_NONE,
      MFS_DECIMAL, MFF_F_HOST_ORDER | MFF_F_READ_ONLY, NO_OXM, NXM1(106),
      MEMBER(ct_zone), 0xffff, 0),
    F(MFF_CT_MARK, "ct_mark", NULL, "ct_mark", 32, true, MFP_NONE,
      MFS_HEXADECIMAL, MFF_F_HOST_ORDER | MFF_F_CT_ONLY, NO_OXM, NXM1(107),
      MEMBER(ct_mark), 0xffffffff, 0),
    F(MFF_CT_LABEL, "ct_label", NULL, "ct_label", 128, true, MFP_NONE,
      MFS_HEXADECIMAL, MFF_F_CT_ONLY, NO_OXM, NXM1(108), MEMBER(ct_label),
      0, 0),
    F(MFF_CT_NW_SRC, "ct_nw_src", NULL, "ct_nw_src", 32, true, MFP_CT_IPV4,
      MFS_IPV4, MFF_F_READ_ONLY, NO_OXM, NXM1(120), MEMBER(ct_nw_src),
      0xffffffff, 0),
    F(MFF_CT_NW_DST, "ct_nw_dst", NULL, "ct_nw_dst", 32, true, MFP_CT_IPV4,
      MFS_IPV4, MFF_F_READ_ONLY, NO_OXM, NXM1(121), MEMBER(ct_nw_dst),
      0xffffffff, 0),
    F(MFF_CT_IPV6_SRC, "ct_ipv6_src", NULL, "ct_ipv6_src", 128, true,
      MFP_CT_IPV6, MFS_IPV6, MFF_F_READ_ONLY, NO_OXM, NXM1(122),
      MEMBER(ct_ipv6_src), 0, 0),
    F(MFF_CT_IPV6_DST, "ct_ipv6_dst", NULL, "ct_ipv6_dst", 128, true,
      MFP_CT_IPV6, MFS_IPV6, MFF_F_READ_ONLY, NO_OXM, NXM1(123),
      MEMBER(ct_ipv6_dst), 0, 0),
    F(MFF_CT_NW_PROTO, "ct_nw_proto", NULL, "ct_nw_proto", 8, false,
      MFP_CT_VALID, MFS_DECIMAL, MFF_F_READ_ONLY, NO_OXM, NXM1(119),
      MEMBER(ct_nw_proto), 0xff, 0),
    F(MFF_CT_TP_SRC, "ct_tp_src", NULL, "ct_tp_src", 16, true, MFP_CT_VALID,
      MFS_DECIMAL, MFF_F_READ_ONLY, NO_OXM, NXM1(124), MEMBER(ct_tp_src),
      0xffff, 0),
    F(MFF_CT_TP_DST, "ct_tp_dst", NULL, "ct_tp_dst", 16, true, MFP_CT_VALID,
      MFS_DECIMAL, MFF_F_READ_ONLY, NO_OXM, NXM1(125), MEMBER(ct_tp_dst),
      0xffff, 0),
    XXREG(0), XXREG(1), XXREG(2), XXREG(3),
    /* The OXM widths: 4 bytes for the label, 1 for the others. */
    F(MFF_MPLS_LABEL, "mpls_label", NULL, "mpls_label", 32, false, MFP_MPLS,
      MFS_DECIMAL, 0, OXM(34), NO_NXM, MPLS_MEMBER, MPLS_LABEL_MASK,
      MPLS_LABEL_SHIFT),
    F(MFF_MPLS_TC, "mpls_tc", NULL, "mpls_tc", 8, false, MFP_MPLS,
      MFS_DECIMAL, 0, OXM(35), NO_NXM, MPLS_MEMBER, MPLS_TC_MASK,
      MPLS_TC_SHIFT),
    F(MFF_MPLS_BOS, "mpls_bos", NULL, "mpls_bos", 8, false, MFP_MPLS,
      MFS_DECIMAL, MFF_F_READ_ONLY, OXM(36), NO_NXM, MPLS_MEMBER,
      MPLS_BOS_MASK, MPLS_BOS_SHIFT),
    F(MFF_MPLS_TTL, "mpls_ttl", NULL, "mpls_ttl", 8, false, MFP_MPLS,
      MFS_DECIMAL, 0, NO_OXM, NXM1(30), MPLS_MEMBER, MPLS_TTL_MASK, 0),

    /* SCTP, ND extras, tunnel extras, packet type, action set output. */
    F(MFF_IN_PORT_OXM, "in_port_oxm", NULL, "in_port", 32, false, MFP_NONE,
      MFS_OFP_PORT, MFF_F_HOST_ORDER | MFF_F_NO_ENCODE, NO_OXM, NO_NXM,
      MEMBER(in_port), 0xffffffff, 0),
    FX(MFF_ACTSET_OUTPUT, "actset_output", NULL, "actset_output", 32, false,
       MFP_NONE, MFS_OFP_PORT,
       MFF_F_HOST_ORDER | MFF_F_READ_ONLY | MFF_F_OXM15, OXM(43), NO_NXM,
       MEMBER(actset_output), 0xffffffff, 0, OXM_EXP_ONF, 43),
    F(MFF_PACKET_TYPE, "packet_type", NULL, "packet_type", 32, false,
      MFP_NONE, MFS_PACKET_TYPE, MFF_F_READ_ONLY, OXM(44), NO_NXM,
      MEMBER(packet_type), 0xffffffff, 0),
    F(MFF_SCTP_SRC, "sctp_src", NULL, "tp_src", 16, true, MFP_SCTP,
      MFS_DECIMAL, 0, OXM(17), NO_NXM, MEMBER(tp_src), 0xffff, 0),
    F(MFF_SCTP_DST, "sctp_dst", NULL, "tp_dst", 16, true, MFP_SCTP,
      MFS_DECIMAL, 0, OXM(18), NO_NXM, MEMBER(tp_dst), 0xffff, 0),
    F(MFF_ND_RESERVED, "nd_reserved", NULL, "nd_reserved", 32, false, MFP_ND,
      MFS_DECIMAL, 0, NO_OXM, ERICOXM(1), MEMBER(nd_reserved), 0xffffffff,
      0),
    F(MFF_ND_OPTIONS_TYPE, "nd_options_type", NULL, "nd_options_type", 8,
      false, MFP_ND, MFS_DECIMAL, 0, NO_OXM, ERICOXM(2),
      MEMBER(nd_options_type), 0xff, 0),
    F(MFF_TUN_GBP_ID, "tun_gbp_id", NULL, "tun_gbp_id", 16, true, MFP_NONE,
      MFS_DECIMAL, 0, NO_OXM, NXM1(38), MEMBER(tunnel.gbp_id), 0xffff, 0),
    F(MFF_TUN_GBP_FLAGS, "tun_gbp_flags", NULL, "tun_gbp_flags", 8, true,
      MFP_NONE, MFS_HEXADECIMAL, 0, NO_OXM, NXM1(39),
      MEMBER(tunnel.gbp_flags), 0xff, 0),
    /* ovs-fields(7) gives ERSPAN version, direction and hardware id fewer
     * significant bits than their bytes, but ovs-ofctl takes any byte. */
    TUN_X(MFF_TUN_ERSPAN_IDX, "tun_erspan_idx", "tun_erspan_idx", 32,
          MFS_HEXADECIMAL, 0, erspan_idx, 0xffffffff, 11),
    TUN_X(MFF_TUN_ERSPAN_VER, "tun_erspan_ver", "tun_erspan_ver", 8,
          MFS_DECIMAL, 0, erspan_ver, 0xff, 12),
    TUN_X(MFF_TUN_ERSPAN_DIR, "tun_erspan_dir", "tun_erspan_dir", 8,
          MFS_DECIMAL, 0, erspan_dir, 0xff, 13),
    TUN_X(MFF_TUN_ERSPAN_HWID, "tun_erspan_hwid", "tun_erspan_hwid", 8,
          MFS_HEXADECIMAL, 0, erspan_hwid, 0xff, 14),
    /* ovs-ofctl prints the GTP-U fields without their "tun_". */
    TUN_X(MFF_TUN_GTPU_FLAGS, "tun_gtpu_flags", "gtpu_flags", 8,
          MFS_HEXADECIMAL, MFF_F_READ_ONLY, gtpu_flags, 0xff, 15),
    TUN_X(MFF_TUN_GTPU_MSGTYPE, "tun_gtpu_msgtype", "gtpu_msgtype", 8,
          MFS_DECIMAL, MFF_F_READ_ONLY, gtpu_msgtype, 0xff, 16),

    /* NSH: experimenter OXM only (NXOXM_NSH_*), in every version. */
    NSH(MFF_NSH_FLAGS, "nsh_flags", NULL, 8, true, MFS_DECIMAL, 0,
        flags, 0xff, 0, 1),
    NSH(MFF_NSH_MDTYPE, "nsh_mdtype", NULL, 8, false, MFS_DECIMAL,
        MFF_F_READ_ONLY, mdtype, 0xff, 0, 2),
    NSH(MFF_NSH_NP, "nsh_np", NULL, 8, false, MFS_DECIMAL, MFF_F_READ_ONLY,
        np, 0xff, 0, 3),
    NSH(MFF_NSH_SPI, "nsh_spi", "nsp", 32, false, MFS_HEXADECIMAL, 0,
        path, 0xffffff00, 8, 4),
    NSH(MFF_NSH_SI, "nsh_si", "nsi", 8, false, MFS_DECIMAL, 0,
        path, 0xff, 0, 5),
    NSH_C(1), NSH_C(2), NSH_C(3), NSH_C(4),
    /* The TTL has 6 bits on the wire, but the field is a byte, as in
     * Open vSwitch: nsh_ttl[] is 8 bits and the upper two are dropped
     * when the header is written. */
    NSH(MFF_NSH_TTL, "nsh_ttl", NULL, 8, false, MFS_DECIMAL, 0,
        ttl, 0xff, 0, 10),
};

const struct mf_field *
mf_from_name_len(const char *name, size_t len)
{
    for (size_t i = 0; i < MFF_N_IDS; i++) {
        const struct mf_field *mf = &mf_fields[i];
        if ((strlen(mf->name) == len && !strncmp(mf->name, name, len))
            || (mf->extra_name && strlen(mf->extra_name) == len
                && !strncmp(mf->extra_name, name, len))) {
            return mf;
        }
    }
    return NULL;
}

const struct mf_field *
mf_from_name(const char *name)
{
    return mf_from_name_len(name, strlen(name));
}

const struct mf_field *
mf_from_oxm(uint16_t oxm_class, uint8_t oxm_field)
{
    if (oxm_class == OFPXMC_OPENFLOW_BASIC) {
        for (size_t i = 0; i < MFF_N_IDS; i++) {
            const struct mf_field *mf = &mf_fields[i];
            if (mf->oxm_class == oxm_class && mf->oxm_field == oxm_field) {
                return mf;
            }
        }
        return NULL;
    }
    for (size_t i = 0; i < MFF_N_IDS; i++) {
        const struct mf_field *mf = &mf_fields[i];
        /* NXM in_port is 16 bits wide; it has its own OXM code anyway. */
        if (mf->nxm_class == oxm_class && mf->nxm_field == oxm_field
            && mf->id != MFF_IN_PORT) {
            return mf;
        }
    }
    return NULL;
}

const struct mf_field *
mf_from_oxm_exp(uint32_t experimenter, uint8_t field)
{
    for (size_t i = 0; i < MFF_N_IDS; i++) {
        const struct mf_field *mf = &mf_fields[i];
        if (mf->oxm_exp && mf->oxm_exp == experimenter
            && mf->exp_field == field) {
            return mf;
        }
    }
    return NULL;
}

bool
mf_oxm_id(const struct mf_field *mf, uint8_t version, struct mf_oxm_id *id)
{
    bool basic = mf->oxm_class == OFPXMC_OPENFLOW_BASIC;
    id->experimenter = 0;
    if (basic && (!(mf->flags & MFF_F_OXM15) || version >= 0x06)) {
        id->class_ = mf->oxm_class;
        id->field = mf->oxm_field;
    } else if (mf->oxm_exp == OXM_EXP_ONF && version >= 0x04) {
        id->class_ = OFPXMC_EXPERIMENTER;
        id->field = mf->exp_field;
        id->experimenter = mf->oxm_exp;
    } else if (mf->nxm_class != 0xffff) {
        id->class_ = mf->nxm_class;
        id->field = mf->nxm_field;
    } else if (mf->oxm_exp) {
        id->class_ = OFPXMC_EXPERIMENTER;
        id->field = mf->exp_field;
        id->experimenter = mf->oxm_exp;
    } else if (basic) {
        id->class_ = mf->oxm_class;
        id->field = mf->oxm_field;
    } else {
        return false;
    }
    return true;
}

bool
mf_oxm_code(const struct mf_field *mf, uint16_t *class_, uint8_t *field)
{
    if (mf->oxm_class == OFPXMC_OPENFLOW_BASIC) {
        *class_ = mf->oxm_class;
        *field = mf->oxm_field;
        return true;
    }
    if (mf->nxm_class != 0xffff) {
        *class_ = mf->nxm_class;
        *field = mf->nxm_field;
        return true;
    }
    return false;
}

/* Integers of n_bytes in network order inside a union mf_value. */
static uint64_t
value_to_u64(const union mf_value *v, unsigned int n_bytes)
{
    uint64_t x = 0;
    for (unsigned int i = 0; i < n_bytes && i < 8; i++) {
        x = (x << 8) | v->b[i];
    }
    return x;
}

static void
value_from_u64(union mf_value *v, unsigned int n_bytes, uint64_t x)
{
    memset(v, 0, sizeof *v);
    for (unsigned int i = n_bytes; i-- > 0;) {
        v->b[i] = x & 0xff;
        x >>= 8;
    }
}

static bool
is_int_field(const struct mf_field *mf)
{
    return mf->flow_mask != 0;
}

/* Reads the member the row points at as a host-order integer. */
static uint64_t
read_member(const struct mf_field *mf, const struct flow *flow)
{
    const uint8_t *p = (const uint8_t *) flow + mf->flow_ofs;
    uint64_t x = 0;
    if (mf->flags & MFF_F_REG_PAIR) {
        uint32_t hi, lo;
        memcpy(&hi, p, 4);
        memcpy(&lo, p + 4, 4);
        x = ((uint64_t) hi << 32) | lo;
    } else if (mf->flags & MFF_F_HOST_ORDER) {
        switch (mf->flow_size) {
        case 1: { uint8_t v; memcpy(&v, p, 1); x = v; break; }
        case 2: { uint16_t v; memcpy(&v, p, 2); x = v; break; }
        case 4: { uint32_t v; memcpy(&v, p, 4); x = v; break; }
        default: memcpy(&x, p, 8); break;
        }
    } else {
        for (unsigned int i = 0; i < mf->flow_size; i++) {
            x = (x << 8) | p[i];
        }
    }
    return x;
}

static void
write_member(const struct mf_field *mf, struct flow *flow, uint64_t x)
{
    uint8_t *p = (uint8_t *) flow + mf->flow_ofs;
    if (mf->flags & MFF_F_REG_PAIR) {
        uint32_t hi = x >> 32, lo = x;
        memcpy(p, &hi, 4);
        memcpy(p + 4, &lo, 4);
    } else if (mf->flags & MFF_F_HOST_ORDER) {
        switch (mf->flow_size) {
        case 1: { uint8_t v = x; memcpy(p, &v, 1); break; }
        case 2: { uint16_t v = x; memcpy(p, &v, 2); break; }
        case 4: { uint32_t v = x; memcpy(p, &v, 4); break; }
        default: memcpy(p, &x, 8); break;
        }
    } else {
        for (unsigned int i = mf->flow_size; i-- > 0;) {
            p[i] = x & 0xff;
            x >>= 8;
        }
    }
}

/* tun_metadataN's bytes in 'flow' (NULL if it has no layout entry) and
 * its length. */
static const uint8_t *
tun_md_bytes(const struct mf_field *mf, const struct flow *flow,
             unsigned int *len)
{
    unsigned int idx = mf_tun_md_idx(mf);
    *len = flow->tun_layout.len[idx];
    return *len ? &flow->tunnel.md[flow->tun_layout.ofs[idx]] : NULL;
}

void
mf_get_flow_value(const struct mf_field *mf, const struct flow *flow,
                  union mf_value *value)
{
    if (mf_is_tun_md(mf)) {
        unsigned int len;
        const uint8_t *p = tun_md_bytes(mf, flow, &len);
        memset(value, 0, sizeof *value);
        if (p && flow->tunnel.md_present & (UINT64_C(1) << mf_tun_md_idx(mf))) {
            memcpy(&value->b[mf->n_bytes - len], p, len);
        }
    } else if (is_int_field(mf)) {
        uint64_t x = (read_member(mf, flow) & mf->flow_mask) >> mf->flow_shift;
        value_from_u64(value, mf->n_bytes, x);
    } else if (mf->flags & MFF_F_REG_QUAD) {
        const uint8_t *p = (const uint8_t *) flow + mf->flow_ofs;
        memset(value, 0, sizeof *value);
        for (int i = 0; i < 4; i++) {
            uint32_t reg;
            memcpy(&reg, p + 4 * i, 4);
            reg = htonl(reg);
            memcpy(value->b + 4 * i, &reg, 4);
        }
    } else {
        memset(value, 0, sizeof *value);
        memcpy(value->b, (const uint8_t *) flow + mf->flow_ofs, mf->n_bytes);
    }
}

void
mf_set_flow_value(const struct mf_field *mf, const union mf_value *value,
                  struct flow *flow)
{
    if (mf_is_tun_md(mf)) {
        /* Without a layout entry the field has nowhere to go: the switch
         * refuses flows and actions on unmapped fields before this. */
        unsigned int len;
        uint8_t *p = (uint8_t *) tun_md_bytes(mf, flow, &len);
        if (p) {
            memcpy(p, &value->b[mf->n_bytes - len], len);
            flow->tunnel.md_present |= UINT64_C(1) << mf_tun_md_idx(mf);
        }
    } else if (is_int_field(mf)) {
        uint64_t x = read_member(mf, flow);
        uint64_t v = value_to_u64(value, mf->n_bytes);
        x = (x & ~mf->flow_mask) | ((v << mf->flow_shift) & mf->flow_mask);
        write_member(mf, flow, x);
    } else if (mf->flags & MFF_F_REG_QUAD) {
        uint8_t *p = (uint8_t *) flow + mf->flow_ofs;
        for (int i = 0; i < 4; i++) {
            uint32_t reg;
            memcpy(&reg, value->b + 4 * i, 4);
            reg = ntohl(reg);
            memcpy(p + 4 * i, &reg, 4);
        }
    } else {
        memcpy((uint8_t *) flow + mf->flow_ofs, value->b, mf->n_bytes);
    }
}

void
mf_get_mask(const struct mf_field *mf, const struct flow_wildcards *wc,
            union mf_value *mask)
{
    mf_get_flow_value(mf, &wc->masks, mask);
}

bool
mf_is_mask_zero(const struct mf_field *mf, const union mf_value *mask)
{
    for (unsigned int i = 0; i < mf->n_bytes; i++) {
        if (mask->b[i]) {
            return false;
        }
    }
    return true;
}

void
mf_exact_mask(const struct mf_field *mf, union mf_value *mask)
{
    if (is_int_field(mf)) {
        value_from_u64(mask, mf->n_bytes, mf->flow_mask >> mf->flow_shift);
    } else {
        memset(mask, 0, sizeof *mask);
        memset(mask->b, 0xff, mf->n_bytes);
    }
}

bool
mf_is_mask_exact(const struct mf_field *mf, const union mf_value *mask)
{
    union mf_value exact;
    mf_exact_mask(mf, &exact);
    return !memcmp(exact.b, mask->b, mf->n_bytes);
}

bool
mf_is_all_wild(const struct mf_field *mf, const struct flow_wildcards *wc)
{
    if (mf_is_tun_md(mf)) {
        return !(wc->masks.tunnel.md_present
                 & (UINT64_C(1) << mf_tun_md_idx(mf)));
    }
    union mf_value mask;
    mf_get_mask(mf, wc, &mask);
    return mf_is_mask_zero(mf, &mask);
}

bool
mf_is_value_valid(const struct mf_field *mf, const union mf_value *value)
{
    if (!is_int_field(mf)) {
        return true;
    }
    uint64_t v = value_to_u64(value, mf->n_bytes);
    return !(v & ~(mf->flow_mask >> mf->flow_shift));
}

unsigned int
mf_tun_md_sig_len(const union mf_value *v)
{
    unsigned int i = 0;
    while (i < FLOW_TUN_MD_MAX_LEN && !v->b[i]) {
        i++;
    }
    return FLOW_TUN_MD_MAX_LEN - i;
}

char *
mf_tun_md_alloc(const struct mf_field *mf, const union mf_value *value,
                const union mf_value *mask, struct match *match)
{
    unsigned int idx = mf_tun_md_idx(mf);
    if (!mf_is_all_wild(mf, &match->wc)) {
        return xasprintf("field %s set multiple times", mf->name);
    }
    unsigned int len = mf_tun_md_sig_len(value);
    if (mask && !mf_is_mask_exact(mf, mask)) {
        len = XVS_MAX(len, mf_tun_md_sig_len(mask));
    }
    len = XVS_MAX(len, 1);

    unsigned int used = 0;
    for (unsigned int i = 0; i < FLOW_TUN_MD_FIELDS; i++) {
        if (match->wc.masks.tunnel.md_present & (UINT64_C(1) << i)) {
            used = XVS_MAX(used, (unsigned int) match->flow.tun_layout.ofs[i]
                                 + match->flow.tun_layout.len[i]);
        }
    }
    if (used + len > FLOW_TUN_MD_SPACE) {
        return xasprintf("field %s exceeds maximum size for tunnel metadata "
                         "(used %u, max %d)", mf->name, used + len,
                         FLOW_TUN_MD_SPACE);
    }
    struct flow_tun_layout *layouts[] = { &match->flow.tun_layout,
                                          &match->wc.masks.tun_layout };
    for (size_t i = 0; i < ARRAY_SIZE(layouts); i++) {
        layouts[i]->ofs[idx] = used;
        layouts[i]->len[idx] = len;
    }
    return NULL;
}

void
mf_set(const struct mf_field *mf, const union mf_value *value,
       const union mf_value *mask, struct match *match)
{
    union mf_value exact, masked;
    if (mf_is_tun_md(mf) && !match->flow.tun_layout.len[mf_tun_md_idx(mf)]) {
        /* Callers that must report why this fails allocate first. */
        free(mf_tun_md_alloc(mf, value, mask, match));
    }
    if (!mask) {
        mf_exact_mask(mf, &exact);
        mask = &exact;
    }
    for (size_t i = 0; i < sizeof masked.b; i++) {
        masked.b[i] = value->b[i] & mask->b[i];
    }
    mf_set_flow_value(mf, mask, &match->wc.masks);
    mf_set_flow_value(mf, &masked, &match->flow);
    if (mf->id == MFF_PACKET_TYPE && !match->flow.packet_type) {
        /* Every packet is Ethernet, so packet_type=(0,0) matches them
         * all: it is stored as a wildcard, which is also why ovs-ofctl
         * neither prints nor encodes it. */
        match->wc.masks.packet_type = 0;
    }
    if (mf->flags & MFF_F_VLAN_TAG && !mf_is_mask_zero(mf, mask)) {
        match->flow.vlan_tci |= htons(VLAN_CFI);
        match->wc.masks.vlan_tci |= htons(VLAN_CFI);
    }
}

void
mf_set_wild(const struct mf_field *mf, struct match *match)
{
    if (mf_is_tun_md(mf)) {
        union mf_value zero;
        memset(&zero, 0, sizeof zero);
        mf_set_flow_value(mf, &zero, &match->wc.masks);
        mf_set_flow_value(mf, &zero, &match->flow);
        uint64_t bit = UINT64_C(1) << mf_tun_md_idx(mf);
        match->wc.masks.tunnel.md_present &= ~bit;
        match->flow.tunnel.md_present &= ~bit;
        return;
    }
    union mf_value zero;
    memset(&zero, 0, sizeof zero);
    mf_set_flow_value(mf, &zero, &match->wc.masks);
    mf_set_flow_value(mf, &zero, &match->flow);
}

/* Prerequisites, over a value and mask pair so one function serves both
 * matches (mask = the wildcards) and packets (mask = all ones). */
static bool
exact_is(uint64_t value, uint64_t mask, uint64_t full, uint64_t want)
{
    return (mask & full) == full && (value & full) == want;
}

/* The Ethertype and its mask a flow/mask pair stands for.  A packet_type
 * other than Ethernet says what the packet is instead of dl_type: (1,T)
 * stands for Ethertype T, any other namespace for no Ethertype at all. */
static void
l3_type(const struct flow *f, const struct flow *m,
        uint16_t *type, uint16_t *type_mask)
{
    uint32_t pt = ntohl(f->packet_type & m->packet_type);
    if (!pt) {
        *type = ntohs(f->dl_type);
        *type_mask = ntohs(m->dl_type);
    } else if (pt >> 16 == 1 && m->packet_type == htonl(UINT32_MAX)) {
        *type = pt & 0xffff;
        *type_mask = 0xffff;
    } else {
        *type = *type_mask = 0;
    }
}

bool
mf_match_dl_type(const struct match *match, uint16_t *type)
{
    uint16_t type_mask;
    l3_type(&match->flow, &match->wc.masks, type, &type_mask);
    return type_mask == 0xffff;
}

static bool
prereqs_ok(enum mf_prereqs p, const struct flow *f, const struct flow *m)
{
    bool ethernet = !(f->packet_type & m->packet_type);
    uint16_t type, type_mask;
    l3_type(f, m, &type, &type_mask);
    bool ipv4 = exact_is(type, type_mask, 0xffff, ETH_TYPE_IP);
    bool ipv6 = exact_is(type, type_mask, 0xffff, ETH_TYPE_IPV6);
    bool arp = (exact_is(type, type_mask, 0xffff, ETH_TYPE_ARP)
                || exact_is(type, type_mask, 0xffff, ETH_TYPE_RARP));
    uint8_t proto = f->nw_proto, proto_mask = m->nw_proto;
    uint16_t icmp_type = ntohs(f->tp_src), icmp_mask = ntohs(m->tp_src);
    bool icmpv6 = ipv6 && exact_is(proto, proto_mask, 0xff, 58);
    uint32_t cs = f->ct_state & m->ct_state;
    bool ct_valid = (cs & CS_VALID_FLAGS
                     || (cs & CS_TRACKED && m->ct_state & CS_INVALID
                         && !(cs & CS_INVALID)));

    switch (p) {
    case MFP_NONE:
        return true;
    case MFP_ETHERNET:
        return ethernet;
    case MFP_ARP:
        return arp;
    case MFP_VLAN_VID:
        return (ntohs(m->vlan_tci) & VLAN_CFI
                && ntohs(f->vlan_tci) & VLAN_CFI);
    case MFP_IPV4:
        return ipv4;
    case MFP_IPV6:
        return ipv6;
    case MFP_IP_ANY:
        return ipv4 || ipv6;
    case MFP_TCP:
        return (ipv4 || ipv6) && exact_is(proto, proto_mask, 0xff, 6);
    case MFP_UDP:
        return (ipv4 || ipv6) && exact_is(proto, proto_mask, 0xff, 17);
    case MFP_ICMPV4:
        return ipv4 && exact_is(proto, proto_mask, 0xff, 1);
    case MFP_ICMPV6:
        return icmpv6;
    case MFP_ND:
        return icmpv6 && (exact_is(icmp_type, icmp_mask, 0xff, 135)
                          || exact_is(icmp_type, icmp_mask, 0xff, 136));
    case MFP_ND_SOLICIT:
        return icmpv6 && exact_is(icmp_type, icmp_mask, 0xff, 135);
    case MFP_ND_ADVERT:
        return icmpv6 && exact_is(icmp_type, icmp_mask, 0xff, 136);
    case MFP_MPLS:
        return (exact_is(type, type_mask, 0xffff, ETH_TYPE_MPLS)
                || exact_is(type, type_mask, 0xffff, ETH_TYPE_MPLS_MCAST));
    case MFP_CT_VALID:
        return ct_valid;
    case MFP_CT_IPV4:
        return ct_valid && ipv4;
    case MFP_CT_IPV6:
        return ct_valid && ipv6;
    case MFP_SCTP:
        return (ipv4 || ipv6) && exact_is(proto, proto_mask, 0xff, 132);
    case MFP_NSH:
        return exact_is(type, type_mask, 0xffff, ETH_TYPE_NSH);
    }
    return false;
}

bool
mf_are_prereqs_ok(const struct mf_field *mf, const struct match *match)
{
    return prereqs_ok(mf->prereqs, &match->flow, &match->wc.masks);
}

bool
mf_are_prereqs_ok_flow(const struct mf_field *mf, const struct flow *flow)
{
    struct flow all;
    memset(&all, 0xff, sizeof all);
    return prereqs_ok(mf->prereqs, flow, &all);
}

bool
mf_nsh_context_hidden(const struct match *match)
{
    return !(match->wc.masks.nsh.mdtype == 0xff
             && match->flow.nsh.mdtype == NSH_MDTYPE_1);
}

/* Several rows share bits (tp_src is tcp_src, udp_src or icmp_type), so a
 * matched bit is fine when any row covering it has its prerequisites met.
 * Rows are examined in table order, so the error names the first field
 * whose bits nothing justifies. */
char *
match_check_prereqs(const struct match *match)
{
    struct flow ok;
    memset(&ok, 0, sizeof ok);
    for (size_t i = 0; i < MFF_N_IDS; i++) {
        const struct mf_field *mf = &mf_fields[i];
        if (!mf_is_all_wild(mf, &match->wc) && mf_are_prereqs_ok(mf, match)) {
            union mf_value all;
            mf_exact_mask(mf, &all);
            mf_set_flow_value(mf, &all, &ok);
        }
    }
    const uint8_t *okb = (const uint8_t *) &ok;
    const uint8_t *mb = (const uint8_t *) &match->wc.masks;
    for (size_t i = 0; i < MFF_N_IDS; i++) {
        const struct mf_field *mf = &mf_fields[i];
        /* Rows without prerequisites justify their own bits (and the
         * tun_metadata rows share theirs through the layout). */
        if (mf->prereqs == MFP_NONE || mf_is_all_wild(mf, &match->wc)) {
            continue;
        }
        for (size_t j = 0; j < mf->flow_size; j++) {
            size_t ofs = mf->flow_ofs + j;
            if (mb[ofs] & ~okb[ofs]) {
                return xasprintf("%s: prerequisites not met", mf->name);
            }
        }
    }
    return NULL;
}

/* ---- Text forms of values. ---- */

static const char *const tcp_flag_names[12] = {
    "fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns",
    "[200]", "[400]", "[800]",
};

struct frag_name {
    const char *name;
    uint8_t value, mask;
};
static const struct frag_name frag_names[] = {
    { "no", 0, FLOW_NW_FRAG_ANY | FLOW_NW_FRAG_LATER },
    { "yes", FLOW_NW_FRAG_ANY, FLOW_NW_FRAG_ANY },
    { "first", FLOW_NW_FRAG_ANY, FLOW_NW_FRAG_ANY | FLOW_NW_FRAG_LATER },
    { "later", FLOW_NW_FRAG_ANY | FLOW_NW_FRAG_LATER,
      FLOW_NW_FRAG_ANY | FLOW_NW_FRAG_LATER },
    { "not_later", 0, FLOW_NW_FRAG_LATER },
};

static char *
parse_int(const struct mf_field *mf, const char *s, union mf_value *v)
{
    unsigned long long x;
    if (!str_to_ullong(s, 0, &x)) {
        return xasprintf("%s: bad numeric value for %s", s, mf->name);
    }
    if (mf->n_bits < 64 && x >> mf->n_bits) {
        return xasprintf("%s: value too large for %u-bit field %s",
                         s, mf->n_bits, mf->name);
    }
    value_from_u64(v, mf->n_bytes, x);
    return NULL;
}

/* The named flags of a flags field (tcp_flags, ct_state, tun_flags), bit
 * 0 first. */
struct flag_names {
    const char *const *names;
    size_t n;
    const char *what;          /* For "foo: unknown TCP flag". */
};

static const char *const tun_flag_names[1] = { "oam" };

static const char *const ct_state_names[] = {
    "new", "est", "rel", "rpl", "inv", "trk", "snat", "dnat",
};

static struct flag_names
flag_names_of(const struct mf_field *mf)
{
    struct flag_names f;
    if (mf->string == MFS_CT_STATE) {
        f.names = ct_state_names;
        f.n = ARRAY_SIZE(ct_state_names);
        f.what = "ct_state flag(s)";
    } else if (mf->string == MFS_TUN_FLAGS) {
        f.names = tun_flag_names;
        f.n = ARRAY_SIZE(tun_flag_names);
        f.what = "tunnel flag";
    } else {
        f.names = tcp_flag_names;
        f.n = ARRAY_SIZE(tcp_flag_names);
        f.what = "TCP flag";
    }
    return f;
}

/* "+syn-ack" (these bits, others wild) or "syn|ack" (exactly these). */
static char *
parse_flags(const struct mf_field *mf, const char *s,
            union mf_value *value, union mf_value *mask)
{
    struct flag_names f = flag_names_of(mf);
    uint64_t v = 0, m = 0;
    const char *p = s;
    bool exact = *s != '+' && *s != '-';
    while (*p) {
        char sign = exact ? '+' : *p++;
        if (sign != '+' && sign != '-') {
            return xasprintf("%s: %s must be a number or +flag-flag",
                             s, mf->name);
        }
        size_t len = strcspn(p, exact ? "|" : "+-");
        size_t i;
        for (i = 0; i < f.n; i++) {
            if (strlen(f.names[i]) == len && !strncmp(f.names[i], p, len)) {
                break;
            }
        }
        if (i == f.n) {
            return xasprintf("%.*s: unknown %s", (int) len, p, f.what);
        }
        if (m & (UINT64_C(1) << i)) {
            return xasprintf("%.*s: Each %s can be specified only once",
                             (int) len, p, f.what);
        }
        m |= UINT64_C(1) << i;
        if (sign == '+') {
            v |= UINT64_C(1) << i;
        }
        p += len;
        if (exact && *p == '|') {
            p++;
        }
    }
    value_from_u64(value, mf->n_bytes, v);
    value_from_u64(mask, mf->n_bytes, exact ? mf->flow_mask : m);
    return NULL;
}

static int
hex_digit(char c)
{
    return (c >= '0' && c <= '9' ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c - 'A' + 10);
}

/* 128-bit values (ct_label, xxregN): "0x" and up to 32 hex digits, or a
 * decimal number of up to 64 bits. */
static char *
parse_wide(const struct mf_field *mf, const char *s, union mf_value *v)
{
    memset(v, 0, sizeof *v);
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        const char *hex = s + 2;
        size_t len = strlen(hex);
        if (!len || strspn(hex, "0123456789abcdefABCDEF") != len) {
            return xasprintf("%s: bad numeric value for %s", s, mf->name);
        }
        while (len > 1 && *hex == '0') {
            hex++;
            len--;
        }
        if (len > 2 * mf->n_bytes) {
            return xasprintf("%s: value too large for %u-bit field %s",
                             s, mf->n_bits, mf->name);
        }
        for (size_t i = 0; i < len; i++) {
            v->b[mf->n_bytes - 1 - i / 2] |= (hex_digit(hex[len - 1 - i])
                                              << (4 * (i % 2)));
        }
        return NULL;
    }
    unsigned long long x;
    if (!str_to_ullong(s, 10, &x)) {
        return xasprintf("%s: bad numeric value for %s", s, mf->name);
    }
    for (unsigned int i = 0; i < 8; i++) {
        v->b[mf->n_bytes - 1 - i] = x >> (8 * i);
    }
    return NULL;
}

/* "(ns,ns_type)", each a number. */
static char *
parse_packet_type(const char *s, union mf_value *v)
{
    unsigned long long ns, type;
    char *copy = xstrdup(s);
    char *comma = strchr(copy, ',');
    size_t len = strlen(copy);
    bool ok = (copy[0] == '(' && comma && len > 2 && copy[len - 1] == ')');
    if (ok) {
        *comma = '\0';
        copy[len - 1] = '\0';
        ok = (str_to_ullong(copy + 1, 0, &ns) && ns <= 0xffff
              && str_to_ullong(comma + 1, 0, &type) && type <= 0xffff);
    }
    free(copy);
    if (!ok) {
        return xasprintf("%s: bad syntax for packet type", s);
    }
    value_from_u64(v, 4, (ns << 16) | type);
    return NULL;
}

static char *
parse_value(const struct mf_field *mf, const char *s, union mf_value *v)
{
    memset(v, 0, sizeof *v);
    switch (mf->string) {
    case MFS_HEXADECIMAL:
        if (mf->n_bytes > 8) {
            return parse_wide(mf, s, v);
        }
        return parse_int(mf, s, v);
    case MFS_DECIMAL:
    case MFS_ETHERTYPE:
    case MFS_TCP_FLAGS:
    case MFS_TUN_FLAGS:
    case MFS_FRAG:
    case MFS_CT_STATE:
        return mf->n_bytes > 8 ? parse_wide(mf, s, v) : parse_int(mf, s, v);
    case MFS_ETHERNET: {
        unsigned int b[6];
        char junk;
        if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3],
                   &b[4], &b[5], &junk) != 6) {
            return xasprintf("%s: invalid Ethernet address", s);
        }
        for (int i = 0; i < 6; i++) {
            if (b[i] > 0xff) {
                return xasprintf("%s: invalid Ethernet address", s);
            }
            v->b[i] = b[i];
        }
        return NULL;
    }
    case MFS_IPV4:
        if (inet_pton(AF_INET, s, v->b) != 1) {
            return xasprintf("%s: could not convert to IP address", s);
        }
        return NULL;
    case MFS_IPV6:
        if (inet_pton(AF_INET6, s, v->b) != 1) {
            return xasprintf("%s: could not convert to IPv6 address", s);
        }
        return NULL;
    case MFS_PACKET_TYPE:
        return parse_packet_type(s, v);
    case MFS_OFP_PORT: {
        uint32_t port;
        if (!ofp_port_from_string(s, &port)) {
            return xasprintf("%s: port value out of range for %s",
                             s, mf->name);
        }
        value_from_u64(v, mf->n_bytes, port);
        return NULL;
    }
    }
    return xasprintf("%s: cannot parse", s);
}

char *
mf_parse_value(const struct mf_field *mf, const char *s,
               union mf_value *value)
{
    char *error = parse_value(mf, s, value);
    if (!error && !mf_is_value_valid(mf, value)) {
        error = (mf->string == MFS_CT_STATE
                 ? xasprintf("%s: unknown ct_state flag(s)", s)
                 : mf->string == MFS_TUN_FLAGS
                 ? xasprintf("%s: unknown tunnel flag(s)", s)
                 : xasprintf("%s: invalid value for field %s", s, mf->name));
    }
    return error;
}

static void
prefix_mask(union mf_value *mask, unsigned int n_bytes, unsigned int plen)
{
    memset(mask, 0, sizeof *mask);
    for (unsigned int i = 0; i < n_bytes; i++) {
        unsigned int bits = plen > 8 ? 8 : plen;
        mask->b[i] = bits ? (uint8_t) (0xff << (8 - bits)) : 0;
        plen -= bits;
    }
}

char *
mf_parse(const struct mf_field *mf, const char *s,
         union mf_value *value, union mf_value *mask)
{
    if (mf->string == MFS_FRAG) {
        for (size_t i = 0; i < ARRAY_SIZE(frag_names); i++) {
            if (!strcmp(s, frag_names[i].name)) {
                value_from_u64(value, 1, frag_names[i].value);
                value_from_u64(mask, 1, frag_names[i].mask);
                return NULL;
            }
        }
    }
    if ((mf->string == MFS_TCP_FLAGS || mf->string == MFS_CT_STATE
         || mf->string == MFS_TUN_FLAGS)
        && !(*s >= '0' && *s <= '9')) {
        return parse_flags(mf, s, value, mask);
    }

    const char *slash = strchr(s, '/');
    char *vs = slash ? xstrndup(s, slash - s) : xstrdup(s);
    char *error = mf_parse_value(mf, vs, value);
    free(vs);
    if (error) {
        return error;
    }
    if (!slash) {
        mf_exact_mask(mf, mask);
        return NULL;
    }
    if (!mf->maskable) {
        return xasprintf("%s: field %s does not support masking",
                         s, mf->name);
    }
    const char *ms = slash + 1;
    unsigned long long plen;
    if ((mf->string == MFS_IPV4 || mf->string == MFS_IPV6)
        && !strchr(ms, '.') && !strchr(ms, ':')) {
        if (!str_to_ullong(ms, 10, &plen) || plen > mf->n_bits) {
            return xasprintf("%s: invalid prefix length", s);
        }
        prefix_mask(mask, mf->n_bytes, plen);
    } else {
        error = parse_value(mf, ms, mask);
        if (error) {
            return error;
        }
    }
    for (unsigned int i = 0; i < mf->n_bytes; i++) {
        value->b[i] &= mask->b[i];
    }
    return NULL;
}

/* Length of the prefix if 'mask' is a CIDR mask, else -1. */
static int
mask_prefix_len(const union mf_value *mask, unsigned int n_bytes)
{
    int len = 0;
    unsigned int i = 0;
    for (; i < n_bytes && mask->b[i] == 0xff; i++) {
        len += 8;
    }
    if (i < n_bytes) {
        uint8_t b = mask->b[i];
        while (b & 0x80) {
            len++;
            b <<= 1;
        }
        if (b) {
            return -1;
        }
        for (i++; i < n_bytes; i++) {
            if (mask->b[i]) {
                return -1;
            }
        }
    }
    return len;
}

/* Exact ('m' all of the field): "syn|ack" ("0" if none); otherwise
 * "+syn-ack" over the bits of 'm'.  Bits without a name make it a plain
 * VALUE/MASK. */
static void
format_flags(const struct mf_field *mf, uint64_t v, uint64_t m,
             struct ds *s)
{
    struct flag_names f = flag_names_of(mf);
    uint64_t named = (UINT64_C(1) << f.n) - 1;
    bool exact = m == mf->flow_mask;
    if ((v | (exact ? 0 : m)) & ~named) {
        ds_put_format(s, "0x%"PRIx64"/0x%"PRIx64, v, m);
        return;
    }
    if (exact) {
        if (!v) {
            ds_put_cstr(s, "0");
            return;
        }
        bool first = true;
        for (size_t i = 0; i < f.n; i++) {
            if (v & (UINT64_C(1) << i)) {
                ds_put_format(s, "%s%s", first ? "" : "|", f.names[i]);
                first = false;
            }
        }
        return;
    }
    for (size_t i = 0; i < f.n; i++) {
        if (m & (UINT64_C(1) << i)) {
            ds_put_format(s, "%c%s", v & (UINT64_C(1) << i) ? '+' : '-',
                          f.names[i]);
        }
    }
}

/* A 128-bit value in hex without leading zeros ("0" for zero). */
static void
format_wide(const struct mf_field *mf, const union mf_value *v,
            struct ds *s)
{
    unsigned int i = 0;
    while (i < mf->n_bytes && !v->b[i]) {
        i++;
    }
    if (i == mf->n_bytes) {
        ds_put_char(s, '0');
        return;
    }
    ds_put_format(s, "0x%"PRIx8, v->b[i]);
    for (i++; i < mf->n_bytes; i++) {
        ds_put_format(s, "%02"PRIx8, v->b[i]);
    }
}

static void
format_bytes(const struct mf_field *mf, const union mf_value *v,
             struct ds *s)
{
    char buf[INET6_ADDRSTRLEN];
    switch (mf->string) {
    case MFS_ETHERNET:
        ds_put_format(s, "%02x:%02x:%02x:%02x:%02x:%02x",
                      v->b[0], v->b[1], v->b[2], v->b[3], v->b[4], v->b[5]);
        break;
    case MFS_IPV4:
        ds_put_cstr(s, inet_ntop(AF_INET, v->b, buf, sizeof buf));
        break;
    case MFS_IPV6:
        ds_put_cstr(s, inet_ntop(AF_INET6, v->b, buf, sizeof buf));
        break;
    default:
        break;
    }
}

/* An address and its mask: a prefix length where the mask is one (but
 * never for Ethernet), otherwise the mask in the address's notation. */
static void
format_address(const struct mf_field *mf, const union mf_value *value,
               const union mf_value *mask, bool exact, struct ds *s)
{
    format_bytes(mf, value, s);
    if (!exact) {
        int plen = (mf->string == MFS_ETHERNET ? -1
                    : mask_prefix_len(mask, mf->n_bytes));
        if (plen >= 0) {
            ds_put_format(s, "/%d", plen);
        } else {
            ds_put_char(s, '/');
            format_bytes(mf, mask, s);
        }
    }
}

/* A wide value as ovs-ofctl prints it: hex without leading zero bytes
 * (and without the leading zero digit), "0" when all zero. */
static void
format_wide_hex(const union mf_value *v, unsigned int n_bytes, struct ds *s)
{
    unsigned int i = 0;
    while (i < n_bytes && !v->b[i]) {
        i++;
    }
    if (i == n_bytes) {
        ds_put_cstr(s, "0");
        return;
    }
    ds_put_format(s, "0x%x", v->b[i]);
    for (i++; i < n_bytes; i++) {
        ds_put_format(s, "%02x", v->b[i]);
    }
}

void
mf_format(const struct mf_field *mf, const union mf_value *value,
          const union mf_value *mask, struct ds *s)
{
    if (mf_is_tun_md(mf)) {
        format_wide_hex(value, mf->n_bytes, s);
        if (mask && !mf_is_mask_exact(mf, mask)) {
            ds_put_char(s, '/');
            format_wide_hex(mask, mf->n_bytes, s);
        }
        return;
    }
    bool exact = !mask || mf_is_mask_exact(mf, mask);
    if (mf->string == MFS_HEXADECIMAL && !is_int_field(mf)) {
        format_wide(mf, value, s);
        if (!exact) {
            ds_put_char(s, '/');
            format_wide(mf, mask, s);
        }
        return;
    }
    if (!is_int_field(mf)) {
        format_address(mf, value, mask, exact, s);
        return;
    }

    uint64_t v = value_to_u64(value, mf->n_bytes);
    uint64_t m = exact ? mf->flow_mask >> mf->flow_shift
                       : value_to_u64(mask, mf->n_bytes);
    switch (mf->string) {
    case MFS_IPV4:
        format_address(mf, value, mask, exact, s);
        return;
    case MFS_OFP_PORT:
        ofp_port_format(v, s);
        return;
    case MFS_ETHERTYPE:
        ds_put_format(s, "0x%04"PRIx64, v);
        return;
    case MFS_PACKET_TYPE:
        /* ovs-ofctl writes each half in decimal below 10, else in hex:
         * (0,0), (1,0x800), (0xffff,9). */
        ds_put_char(s, '(');
        for (int half = 1; half >= 0; half--) {
            uint64_t x = (v >> (16 * half)) & 0xffff;
            ds_put_format(s, x < 10 ? "%"PRIu64 : "%#"PRIx64, x);
            ds_put_char(s, half ? ',' : ')');
        }
        return;
    case MFS_TCP_FLAGS:
    case MFS_CT_STATE:
        format_flags(mf, v, m, s);
        return;
    case MFS_TUN_FLAGS:
        for (size_t i = 0; i < ARRAY_SIZE(tun_flag_names); i++) {
            if (m & (1u << i)) {
                ds_put_format(s, "%c%s", v & (1u << i) ? '+' : '-',
                              tun_flag_names[i]);
            }
        }
        return;
    case MFS_FRAG:
        for (size_t i = 0; i < ARRAY_SIZE(frag_names); i++) {
            if (frag_names[i].value == v && frag_names[i].mask == m) {
                ds_put_cstr(s, frag_names[i].name);
                return;
            }
        }
        break;
    case MFS_DECIMAL:
        if (exact) {
            ds_put_format(s, "%"PRIu64, v);
            return;
        }
        break;
    case MFS_HEXADECIMAL:
    case MFS_ETHERNET:
    case MFS_IPV6:
        break;
    }
    if (mf->id == MFF_TUN_ID) {
        /* ovs-ofctl prints tun_id with "%#x": 0 has no "0x". */
        ds_put_format(s, "%#"PRIx64, v);
        if (!exact) {
            ds_put_format(s, "/%#"PRIx64, m);
        }
        return;
    }
    if (mf->id == MFF_IPV6_LABEL) {
        ds_put_format(s, "0x%05"PRIx64, v);
        if (!exact) {
            ds_put_format(s, "/0x%05"PRIx64, m);
        }
        return;
    }
    if (mf->string == MFS_HEXADECIMAL) {
        /* As ovs-ofctl: zero is "0", not "0x0". */
        ds_put_format(s, "%#"PRIx64, v);
    } else {
        ds_put_format(s, "0x%"PRIx64, v);
    }
    if (!exact) {
        ds_put_format(s, "/0x%"PRIx64, m);
    }
}

void
mf_format_set_value(const struct mf_field *mf, const union mf_value *value,
                    const union mf_value *mask, struct ds *s)
{
    if (mf->string == MFS_DECIMAL && is_int_field(mf) && mask
        && !mf_is_mask_exact(mf, mask)) {
        ds_put_format(s, "%"PRIu64"/0x%"PRIx64,
                      value_to_u64(value, mf->n_bytes),
                      value_to_u64(mask, mf->n_bytes));
        return;
    }
    mf_format(mf, value, mask, s);
}
