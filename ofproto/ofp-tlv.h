/* ofp-tlv: the Nicira TLV table messages, which map Geneve options to the
 * tun_metadataN fields.
 *
 * NXT_TLV_TABLE_MOD adds, deletes or clears mappings; NXT_TLV_TABLE_REQUEST
 * asks for the table and NXT_TLV_TABLE_REPLY answers with the switch's
 * limits and the mappings.  Each mapping is (option class, type, length)
 * -> tun_metadata index.  This module is the wire format, the text
 * ovs-ofctl reads ("{class=0xffff,type=0,len=4}->tun_metadata0") and the
 * text it prints; the table itself is ofproto/tlv-map.h.  Decoders check
 * what needs no table: the command (NXTTMFC_BAD_COMMAND), option lengths
 * (a multiple of 4 up to 124, NXTTMFC_BAD_OPT_LEN) and field indexes
 * (NXTTMFC_BAD_FIELD_IDX). */
#ifndef XVS_OFP_TLV_H
#define XVS_OFP_TLV_H 1

#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"

struct ds;
struct ofp_msg_info;
struct ofpbuf;

enum nx_tlv_table_mod_command {
    NXTTMC_ADD = 0,
    NXTTMC_DELETE = 1,
    NXTTMC_CLEAR = 2,
};

struct ofp_tlv_mapping {
    uint16_t option_class;
    uint8_t option_type;
    uint8_t option_len;         /* Bytes, a multiple of 4, at most 124. */
    uint16_t index;             /* tun_metadataN. */
};

struct ofp_tlv_table_mod {
    uint16_t command;           /* NXTTMC_*. */
    struct ofp_tlv_mapping *mappings;
    size_t n_mappings;
};

struct ofp_tlv_table_reply {
    uint32_t max_option_space;
    uint16_t max_fields;
    struct ofp_tlv_mapping *mappings;
    size_t n_mappings;
};

struct ofpbuf *ofp_encode_tlv_table_mod(const struct ofp_tlv_table_mod *,
                                        uint8_t version, uint32_t xid);
/* On success the caller frees tm->mappings. */
enum ofperr ofp_decode_tlv_table_mod(const struct ofp_msg_info *,
                                     struct ofp_tlv_table_mod *);
struct ofpbuf *ofp_encode_tlv_table_reply(const struct ofp_tlv_table_reply *,
                                          const struct ofp_msg_info *request);
/* On success the caller frees tr->mappings. */
enum ofperr ofp_decode_tlv_table_reply(const struct ofp_msg_info *,
                                       struct ofp_tlv_table_reply *);

/* Parses "{class=C,type=T,len=L}->tun_metadataN[,...]" into mappings
 * (appended to *mappings, *n).  NULL or a malloc'd error. */
char *ofp_parse_tlv_mappings(const char *, struct ofp_tlv_mapping **,
                             size_t *n);

/* The bodies as ovs-ofctl prints them, for ofp_print(). */
void ofp_tlv_print(struct ds *, const struct ofp_msg_info *);

#endif
