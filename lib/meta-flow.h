/* meta-flow: the field registry — one table of every matchable field.
 *
 * Why one table
 * -------------
 * A field such as tcp_src shows up in six places: the flow syntax that
 * ovs-ofctl users type (tcp_src=80, alias tp_src), the text ovs-ofctl
 * prints back (tp_src=80), the OXM TLV of OpenFlow 1.2+ (OXM_OF_TCP_SRC),
 * the NXM TLV of the Nicira extensions (NXM_OF_TCP_SRC), the prerequisite
 * rule (only meaningful for IP packets with nw_proto 6), and its home in
 * 'struct flow' that the datapath fills and the classifier compares.  When
 * each of those consumers keeps its own list the lists drift apart: a field
 * that parses but does not encode, or encodes with the wrong width.  Here
 * every fact about a field is one row of mf_fields[] (meta-flow.c), and
 * each consumer is a loop over the rows.  Adding a field is adding a row.
 *
 * How consumers use it
 * --------------------
 *  - Flow-string parsing (mf_parse_match_field()) looks the keyword up by
 *    name or alias, parses the value with the row's 'string' format and an
 *    optional "/mask" if the row is maskable, and stores it with mf_set().
 *  - Printing (match_format()) walks the rows in ovs-ofctl's print order
 *    and uses the same formatter, so parse(print(x)) == x.
 *  - OXM/NXM codecs (ofproto/ofp-match.c) map TLV headers to rows with
 *    mf_from_oxm()/mf_from_oxm_exp() and move values with mf_get()/mf_set().
 *    A row may have three codes: OXM basic, NXM, and an experimenter OXM
 *    (ONFOXM_ET_* for fields OpenFlow 1.3 lacked, NXOXM_ET_* for Nicira
 *    fields without an NXM code); mf_oxm_id() picks the one a version
 *    uses, and decoders accept all of them.
 *  - Prerequisites (mf_are_prereqs_ok()) are one enum per row; decoders
 *    reject OXM fields whose prerequisites are missing (OFPBMC_BAD_PREREQ).
 *  - The datapath and the classifier use the offset/size/bit-mask of the
 *    row to reach the field inside 'struct flow' (mf_get_flow_value(),
 *    mf_set_flow_value()), e.g. for set_field actions.
 *
 * Values
 * ------
 * A field's value travels as 'union mf_value': n_bytes = (n_bits + 7) / 8
 * bytes in network byte order, the way OXM carries it.  Sub-byte fields
 * (vlan_pcp, ip_dscp, ip_ecn, mpls_tc, ...) are right-aligned; 128-bit
 * fields (ct_label, xxregN) are sixteen big-endian bytes.  The row's flow
 * location knows how to get there from 'struct flow', whose metadata
 * members are host order and packet members network order (see flow.h).
 *
 * Several names can alias the same bits with different shapes: nw_tos is
 * the TOS byte with the DSCP bits in place, ip_dscp is the same six bits
 * shifted down; dl_vlan / vlan_vid / vlan_tci all live in flow.vlan_tci.
 * Such rows carry MFF_F_NO_ENCODE when another row is the canonical one
 * for the OXM/NXM encoders and match_format().
 *
 * Tunnel metadata
 * ---------------
 * tun_metadataN is as long as the Geneve option mapped to it, 0 to 124
 * bytes.  Its value is carried right-aligned in the 124 bytes of
 * union mf_value (so bit offsets of move/load count from the option's
 * last byte), and its place in 'struct flow' comes from the flow's
 * tun_layout (flow.h), not from the row.  A match that meets
 * tun_metadataN without a layout entry (ovs-ofctl's flow syntax, a
 * decoded NXM/OXM match) gives it the next free bytes of option space,
 * as long as the value and mask need (mf_tun_md_alloc()); the switch then
 * moves it to where its bridge's TLV map says (ofproto/tlv-map.h). */
#ifndef XVS_META_FLOW_H
#define XVS_META_FLOW_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include "flow.h"
#include "util.h"

enum mf_field_id {
    MFF_IN_PORT,
    MFF_METADATA,
    MFF_REG0, MFF_REG1, MFF_REG2, MFF_REG3, MFF_REG4, MFF_REG5, MFF_REG6,
    MFF_REG7, MFF_REG8, MFF_REG9, MFF_REG10, MFF_REG11, MFF_REG12,
    MFF_REG13, MFF_REG14, MFF_REG15,
    MFF_ETH_SRC,
    MFF_ETH_DST,
    MFF_ETH_TYPE,
    MFF_VLAN_TCI,          /* vlan_tci: whole TCI, CFI = present. */
    MFF_DL_VLAN,           /* dl_vlan: 12-bit VID (implies a tag). */
    MFF_DL_VLAN_PCP,       /* dl_vlan_pcp: 3-bit PCP (implies a tag). */
    MFF_VLAN_VID,          /* vlan_vid: OXM form, 0x1000 | VID. */
    MFF_VLAN_PCP,          /* vlan_pcp: OXM form. */
    MFF_IPV4_SRC,
    MFF_IPV4_DST,
    MFF_IPV6_SRC,
    MFF_IPV6_DST,
    MFF_IPV6_LABEL,
    MFF_IP_PROTO,
    MFF_IP_DSCP,           /* nw_tos: TOS byte, DSCP bits in place. */
    MFF_IP_DSCP_SHIFTED,   /* ip_dscp: the DSCP value 0..63. */
    MFF_IP_ECN,
    MFF_IP_TTL,
    MFF_IP_FRAG,
    MFF_ARP_OP,
    MFF_ARP_SPA,
    MFF_ARP_TPA,
    MFF_ARP_SHA,
    MFF_ARP_THA,
    MFF_TCP_SRC,
    MFF_TCP_DST,
    MFF_TCP_FLAGS,
    MFF_UDP_SRC,
    MFF_UDP_DST,
    MFF_ICMPV4_TYPE,
    MFF_ICMPV4_CODE,
    MFF_ICMPV6_TYPE,
    MFF_ICMPV6_CODE,
    MFF_ND_TARGET,
    MFF_ND_SLL,
    MFF_ND_TLL,
    MFF_PKT_MARK,          /* pkt_mark: 32-bit packet metadata. */
    MFF_XREG0, MFF_XREG1, MFF_XREG2, MFF_XREG3, /* xregN: reg(2N) << 32 */
    MFF_XREG4, MFF_XREG5, MFF_XREG6, MFF_XREG7, /* | reg(2N+1).  */
    MFF_CONJ_ID,           /* conj_id: NXM_NX_CONJ_ID (ofproto/conjunction.h). */

    /* Tunnel. */
    MFF_TUN_ID,            /* tun_id, alias tunnel_id. */
    MFF_TUN_SRC,
    MFF_TUN_DST,
    MFF_TUN_IPV6_SRC,
    MFF_TUN_IPV6_DST,
    MFF_TUN_FLAGS,         /* FLOW_TNL_F_*, as +oam. */
    MFF_TUN_METADATA0,     /* tun_metadata0..63: located by the layout; */
    MFF_TUN_METADATA63 = MFF_TUN_METADATA0 + FLOW_TUN_MD_FIELDS - 1,
                           /* see flow.h. */

    /* Conntrack, xxreg, MPLS. */
    MFF_CT_STATE,          /* ct_state: CS_* flags, "+trk-new". */
    MFF_CT_ZONE,
    MFF_CT_MARK,
    MFF_CT_LABEL,          /* 128 bits. */
    MFF_CT_NW_SRC,         /* ct_nw_*, ct_ipv6_*, ct_tp_*: the original */
    MFF_CT_NW_DST,         /* direction tuple of the connection. */
    MFF_CT_IPV6_SRC,
    MFF_CT_IPV6_DST,
    MFF_CT_NW_PROTO,
    MFF_CT_TP_SRC,
    MFF_CT_TP_DST,
    MFF_XXREG0, MFF_XXREG1,   /* xxregN: reg(4N) (most significant) */
    MFF_XXREG2, MFF_XXREG3,   /* .. reg(4N+3), 128 bits. */
    MFF_MPLS_LABEL,        /* The outermost label stack entry's fields. */
    MFF_MPLS_TC,
    MFF_MPLS_BOS,
    MFF_MPLS_TTL,

    /* SCTP, ND extras, tunnel extras, packet type, action set output. */
    MFF_IN_PORT_OXM,       /* in_port_oxm: in_port, OF1.1+ port syntax. */
    MFF_ACTSET_OUTPUT,     /* The action set's output port (xlate). */
    MFF_PACKET_TYPE,       /* (ns,ns_type); 0 = Ethernet. */
    MFF_SCTP_SRC,
    MFF_SCTP_DST,
    MFF_ND_RESERVED,       /* The 32 bits after the ICMPv6 header. */
    MFF_ND_OPTIONS_TYPE,   /* Type of the link-layer address option. */
    MFF_TUN_GBP_ID,        /* VXLAN group-based policy. */
    MFF_TUN_GBP_FLAGS,
    MFF_TUN_ERSPAN_IDX,    /* Open vSwitch's order, which its table */
    MFF_TUN_ERSPAN_VER,    /* features print in. */
    MFF_TUN_ERSPAN_DIR,
    MFF_TUN_ERSPAN_HWID,
    MFF_TUN_GTPU_FLAGS,
    MFF_TUN_GTPU_MSGTYPE,

    /* NSH (lib/nsh.h), in Open vSwitch's order (which came to nsh_ttl
     * a release later), as its table features print them. */
    MFF_NSH_FLAGS,
    MFF_NSH_MDTYPE,
    MFF_NSH_NP,
    MFF_NSH_SPI,
    MFF_NSH_SI,
    MFF_NSH_C1, MFF_NSH_C2, MFF_NSH_C3, MFF_NSH_C4,
    MFF_NSH_TTL,
    MFF_N_IDS
};

/* What a packet must be for a field to be meaningful. */
enum mf_prereqs {
    MFP_NONE,
    MFP_ETHERNET,          /* packet_type (0,0), matched or implied. */
    MFP_ARP,               /* dl_type 0x0806 or 0x8035. */
    MFP_VLAN_VID,          /* A VLAN tag is present (CFI matched as 1). */
    MFP_IPV4,
    MFP_IPV6,
    MFP_IP_ANY,            /* IPv4 or IPv6. */
    MFP_TCP,               /* IP_ANY and nw_proto 6. */
    MFP_UDP,               /* IP_ANY and nw_proto 17. */
    MFP_ICMPV4,            /* IPV4 and nw_proto 1. */
    MFP_ICMPV6,            /* IPV6 and nw_proto 58. */
    MFP_ND,                /* ICMPV6 and icmp_type 135 or 136. */
    MFP_ND_SOLICIT,        /* ICMPV6 and icmp_type 135. */
    MFP_ND_ADVERT,         /* ICMPV6 and icmp_type 136. */
    MFP_MPLS,              /* dl_type 0x8847 or 0x8848. */
    MFP_CT_VALID,          /* ct_state says the packet has a connection:
                            * one of +new +est +rel +rpl +snat +dnat, or
                            * +trk-inv. */
    MFP_CT_IPV4,           /* CT_VALID and IPV4. */
    MFP_CT_IPV6,           /* CT_VALID and IPV6. */
    MFP_SCTP,              /* IP_ANY and nw_proto 132. */
    MFP_NSH,               /* dl_type 0x894f or packet_type (1,0x894f). */
};

/* How a value is written as text. */
enum mf_string {
    MFS_DECIMAL,
    MFS_HEXADECIMAL,
    MFS_ETHERNET,
    MFS_IPV4,
    MFS_IPV6,
    MFS_OFP_PORT,          /* LOCAL, IN_PORT, ... or a number. */
    MFS_FRAG,              /* no, yes, first, later, not_later. */
    MFS_TCP_FLAGS,         /* +syn-ack or a number. */
    MFS_ETHERTYPE,         /* 0x0800 */
    MFS_TUN_FLAGS,         /* +oam / -oam. */
    MFS_CT_STATE,          /* +trk-inv, trk|new, or a number. */
    MFS_PACKET_TYPE,       /* (ns,ns_type) */
};

/* Row flags. */
enum {
    MFF_F_NO_ENCODE = 1 << 0,  /* Alias shape: not emitted by encoders or
                                * match_format(); another row covers it. */
    MFF_F_VLAN_TAG = 1 << 1,   /* Setting it also matches "tag present". */
    MFF_F_HOST_ORDER = 1 << 2, /* Host-order integer in struct flow. */
    MFF_F_REG_PAIR = 1 << 3,   /* 64 bits over two 32-bit registers, the
                                * first one the more significant. */
    MFF_F_TUN_MD = 1 << 4,     /* tun_metadataN: variable length (see
                                * "Tunnel metadata" below). */
    MFF_F_REG_QUAD = 1 << 5,   /* 128 bits over four 32-bit registers. */
    MFF_F_READ_ONLY = 1 << 6,  /* Matchable only: set_field, load, move
                                * and pop may not write it. */
    MFF_F_CT_ONLY = 1 << 7,    /* Written only by the ct action (which
                                * does not exist yet), so set_field on
                                * it is refused elsewhere. */
    MFF_F_OXM15 = 1 << 8,      /* The OXM basic code exists since OpenFlow
                                * 1.5; 1.3 and 1.4 use the experimenter
                                * code (ONFOXM_ET_*). */
};

/* OXM/NXM header: class(16) | field(7) | hasmask(1) | length(8). */
#define MF_HEADER(CLASS, FIELD, HASMASK, LEN) \
    (((uint32_t) (CLASS) << 16) | ((uint32_t) (FIELD) << 9) | \
     ((uint32_t) (HASMASK) << 8) | (uint32_t) (LEN))
#define MF_HEADER_CLASS(H)   ((uint16_t) ((H) >> 16))
#define MF_HEADER_FIELD(H)   (((H) >> 9) & 0x7f)
#define MF_HEADER_HASMASK(H) (((H) >> 8) & 1)
#define MF_HEADER_LENGTH(H)  ((H) & 0xff)

#define OFPXMC_NXM_0           0x0000
#define OFPXMC_NXM_1           0x0001
#define OFPXMC_OPENFLOW_BASIC  0x8000
#define OFPXMC_ERICSSON        0x1000   /* ERICOXM_OF_* */

/* Experimenter OXM: class 0xffff, and a 32-bit experimenter id after the
 * header, which the header's length counts. */
#define OFPXMC_EXPERIMENTER    0xffff
#define OXM_EXP_ONF            0x4f4e4600   /* ONFOXM_ET_* */
#define OXM_EXP_NICIRA         0x00002320   /* NXOXM_ET_* */
#define OXM_EXP_NSH            0x005ad650   /* NXOXM_NSH_* */

struct mf_field {
    enum mf_field_id id;
    const char *name;          /* Official name (ovs-fields(7)), as
                                * set_field prints it. */
    const char *extra_name;    /* Alias accepted on input, or NULL. */
    const char *print_name;    /* As match_format() prints it ("dl_src"
                                * for eth_src, "tp_src" for tcp_src). */
    unsigned int n_bits;       /* Width of the value. */
    unsigned int n_bytes;      /* (n_bits + 7) / 8. */
    bool maskable;
    enum mf_prereqs prereqs;
    enum mf_string string;
    unsigned int flags;        /* MFF_F_*. */

    /* OXM (OpenFlow 1.2+) identity; oxm_class 0 with oxm_field 0 when the
     * field has no OXM_OF_* code (then the NXM code is used in OXM). */
    uint16_t oxm_class;
    uint8_t oxm_field;
    /* NXM identity; nxm_class 0xffff when none. */
    uint16_t nxm_class;
    uint8_t nxm_field;

    /* Where it lives in struct flow: 'flow_size' bytes at 'flow_ofs'.  For
     * integer members (size 1, 2, 4, 8) the field is the bits of
     * 'flow_mask' (in host terms after byte-order conversion) shifted
     * down by 'flow_shift'; wider members are copied as bytes. */
    size_t flow_ofs;
    unsigned int flow_size;
    uint64_t flow_mask;
    unsigned int flow_shift;

    /* Experimenter OXM identity (OFPXMC_EXPERIMENTER), 0 when none. */
    uint32_t oxm_exp;
    uint8_t exp_field;
};

/* A TLV identity: class and field, and for OFPXMC_EXPERIMENTER the
 * experimenter id. */
struct mf_oxm_id {
    uint16_t class_;
    uint8_t field;
    uint32_t experimenter;
};

union mf_value {
    uint8_t b[FLOW_TUN_MD_MAX_LEN];   /* The widest field: tun_metadataN. */
    uint8_t u8;
    uint16_t be16;
    uint32_t be32;
    uint64_t be64;
    struct eth_addr mac;
    struct in6_addr ipv6;
};

extern const struct mf_field mf_fields[MFF_N_IDS];

static inline const struct mf_field *
mf_from_id(enum mf_field_id id)
{
    return &mf_fields[id];
}
/* Name or alias; NULL if unknown. */
const struct mf_field *mf_from_name(const char *);
const struct mf_field *mf_from_name_len(const char *, size_t len);
/* The row for an OXM or NXM class/field pair, or NULL.  OXM basic codes
 * take precedence; NXM classes are valid inside OXM matches too. */
const struct mf_field *mf_from_oxm(uint16_t oxm_class, uint8_t oxm_field);
/* The class/field to use when encoding 'mf' in an OXM (OF1.2+) or NXM
 * match; false if the field has no wire form. */
bool mf_oxm_code(const struct mf_field *, uint16_t *class_, uint8_t *field);
/* The row for an experimenter OXM, or NULL. */
const struct mf_field *mf_from_oxm_exp(uint32_t experimenter, uint8_t field);
/* The identity to encode 'mf' with in a match of OpenFlow 'version' (0x01
 * for NXM, whose matches take OXM and experimenter codes too): the OXM
 * basic code, else for 1.3+ an ONF experimenter code, else the NXM code,
 * else any other code.  False if the field has no wire form. */
bool mf_oxm_id(const struct mf_field *, uint8_t version, struct mf_oxm_id *);

/* Values in and out of a flow (the bits the field covers). */
void mf_get_flow_value(const struct mf_field *, const struct flow *,
                       union mf_value *);
void mf_set_flow_value(const struct mf_field *, const union mf_value *,
                       struct flow *);
/* The field's mask out of a match's wildcards. */
void mf_get_mask(const struct mf_field *, const struct flow_wildcards *,
                 union mf_value *);
/* The mask matching every bit of the field. */
void mf_exact_mask(const struct mf_field *, union mf_value *mask);
bool mf_is_all_wild(const struct mf_field *, const struct flow_wildcards *);
bool mf_is_mask_exact(const struct mf_field *, const union mf_value *mask);
bool mf_is_mask_zero(const struct mf_field *, const union mf_value *mask);
/* Value bits beyond n_bits (e.g. vlan_pcp > 7) make a value invalid. */
bool mf_is_value_valid(const struct mf_field *, const union mf_value *);

/* Sets 'mf' in 'match' to 'value' under 'mask' (NULL: exact); honours
 * MFF_F_VLAN_TAG.  Leaves the match normalized. */
void mf_set(const struct mf_field *, const union mf_value *value,
            const union mf_value *mask, struct match *);
void mf_set_wild(const struct mf_field *, struct match *);

/* Whether 'match' constrains the packet enough for 'mf' to be meaningful
 * (e.g. tcp_src needs dl_type IPv4/IPv6 and nw_proto 6). */
bool mf_are_prereqs_ok(const struct mf_field *, const struct match *);
/* The Ethertype 'match' matches exactly, in '*type': its dl_type, or T
 * for packet_type=(1,T).  False if it matches none exactly. */
bool mf_match_dl_type(const struct match *, uint16_t *type);
/* Same check against a concrete packet key. */
bool mf_are_prereqs_ok_flow(const struct mf_field *, const struct flow *);

/* Parses "VALUE" or "VALUE/MASK" in the field's text format.  Returns
 * NULL or a malloc'd one-line error. */
char *mf_parse(const struct mf_field *, const char *s,
               union mf_value *value, union mf_value *mask);
/* Parses a value only (no mask), e.g. for set_field. */
char *mf_parse_value(const struct mf_field *, const char *s,
                     union mf_value *value);
/* Appends VALUE or VALUE/MASK ('mask' NULL or exact: no mask). */
void mf_format(const struct mf_field *, const union mf_value *value,
               const union mf_value *mask, struct ds *);
/* The same as set_field prints it, where ovs-ofctl keeps a masked
 * decimal value decimal ("set_field:80/0xff->tcp_src"; a match says
 * "tp_src=0x50/0xff"). */
void mf_format_set_value(const struct mf_field *, const union mf_value *value,
                         const union mf_value *mask, struct ds *);

/* tun_metadataN. */
static inline bool
mf_is_tun_md(const struct mf_field *mf)
{
    return (mf->flags & MFF_F_TUN_MD) != 0;
}
static inline unsigned int
mf_tun_md_idx(const struct mf_field *mf)
{
    return mf->id - MFF_TUN_METADATA0;
}
/* Bytes 'v' needs (its length without leading zero bytes). */
unsigned int mf_tun_md_sig_len(const union mf_value *v);
/* Gives 'mf' (a tun_metadataN not yet in 'match') the next free bytes of
 * option space, as many as 'value' and 'mask' (NULL: exact) need.  NULL
 * or a malloc'd error ("set multiple times", option space full). */
char *mf_tun_md_alloc(const struct mf_field *, const union mf_value *value,
                      const union mf_value *mask, struct match *);
/* The length of tun_metadataN in 'flow''s layout. */
static inline unsigned int
mf_tun_md_len(const struct mf_field *mf, const struct flow *flow)
{
    return flow->tun_layout.len[mf_tun_md_idx(mf)];
}

/* Open vSwitch carries nsh_c1..nsh_c4 in a match only together with
 * nsh_mdtype=1: without it, its encoder leaves them out (and so its
 * dump-flows never shows them).  True if 'match' is such a match, whose
 * context header fields the encoders and match_format() skip. */
bool mf_nsh_context_hidden(const struct match *);

/* Flow syntax, as ovs-ofctl reads and prints it. */

/* Applies one "key[=value]" of a flow string: a field (with optional
 * mask) or a protocol shorthand (ip, ipv6, icmp, icmp6, tcp, tcp6, udp,
 * udp6, arp, rarp, mpls, mplsm).  Returns NULL or a malloc'd error such as
 * "unknown keyword foo". */
char *mf_parse_match_field(struct match *, const char *key,
                           const char *value);
/* True if 'key' is a protocol shorthand. */
bool mf_is_protocol_shorthand(const char *key);
/* Checks every matched field's prerequisites; NULL or a malloc'd error
 * naming the first field whose prerequisites are missing. */
char *match_check_prereqs(const struct match *);
/* strtok_r() for flow strings: the next token of '*pos' separated by
 * commas or white space, where parentheses ("packet_type=(1,0x800)") keep
 * a separator inside the token.  Terminates the token in place; NULL at
 * the end. */
char *match_next_token(char **pos);
/* Parses a whole match "in_port=1,ip,nw_src=10.0.0.0/24" (no actions, no
 * priority).  NULL or a malloc'd error. */
char *match_parse(struct match *, const char *);

#define OFP_DEFAULT_PRIORITY 0x8000
/* Appends the match as ovs-ofctl prints it, led by "priority=N," when
 * 'priority' differs from OFP_DEFAULT_PRIORITY (pass it to omit). */
void match_format(const struct match *, int priority, struct ds *);
char *match_to_string(const struct match *, int priority);

#endif
