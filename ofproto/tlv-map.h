/* tlv-map: a bridge's table of Geneve options mapped to tun_metadataN.
 *
 * A controller maps option (class, type, length) to tun_metadataN with
 * NXT_TLV_TABLE_MOD before writing flows that use the field.  Each mapping
 * also gets the bytes of the flow's 256-byte option space where the value
 * lives (first fit; mappings never move, so flows installed earlier keep
 * their meaning).  The table's layout is what the switch installs in the
 * flows it matches (tlv_map_apply_flow()) and what a match decoded from
 * the wire is moved to (tlv_map_relocate_match()), so a flow that sets
 * tun_metadata0 and one that matches it agree on where it is.  The
 * datapath gets a copy (dp_set_tun_map()) so that tunnel ports put the
 * options of received packets there and encapsulate from there. */
#ifndef XVS_TLV_MAP_H
#define XVS_TLV_MAP_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "flow.h"
#include "ofp-errors.h"

struct match;
struct ofp_tlv_table_mod;
struct ofp_tlv_table_reply;
struct ofpacts;

struct tlv_map {
    uint64_t mapped;            /* Bit N: tun_metadataN has a mapping. */
    uint16_t option_class[FLOW_TUN_MD_FIELDS];
    uint8_t option_type[FLOW_TUN_MD_FIELDS];
    struct flow_tun_layout layout;
};

void tlv_map_init(struct tlv_map *);
/* Whether some installed flow uses tun_metadataN (bit N of the result);
 * deleting such a mapping is refused. */
typedef uint64_t tlv_map_used_cb(void *aux);
/* Applies a NXT_TLV_TABLE_MOD all or nothing. */
enum ofperr tlv_map_mod(struct tlv_map *, const struct ofp_tlv_table_mod *,
                        tlv_map_used_cb *, void *aux);
/* The reply to NXT_TLV_TABLE_REQUEST; the caller frees tr->mappings. */
void tlv_map_to_reply(const struct tlv_map *, struct ofp_tlv_table_reply *);

/* Moves every tun_metadataN of 'match' to where the map puts it: an
 * unmapped field is NXFMFC_INVALID_TLV_FIELD, a value or mask longer than
 * the option OFPBMC_BAD_VALUE. */
enum ofperr tlv_map_relocate_match(const struct tlv_map *, struct match *);
/* NXFMFC_INVALID_TLV_FIELD if an action reads or writes an unmapped
 * tun_metadataN; OFPBAC_BAD_SET_LEN if a move, push, pop or output
 * reaches past the mapped option's length. */
/* A set_field (or load) into tun_metadataN whose value, as long as the
 * value and mask need, is longer than the mapped option keeps the
 * option's length of its leading bytes, as Open vSwitch does: loading 1
 * into bits 32..39 of a 4-byte option sets 0x1000000/0xff000000. */
void tlv_map_trim_set_fields(const struct tlv_map *, struct ofpacts *);
enum ofperr tlv_map_check_ofpacts(const struct tlv_map *,
                                  const struct ofpacts *);
/* The tun_metadataN fields a match or actions use. */
uint64_t tlv_map_fields_used(const struct match *, const struct ofpacts *);
/* Gives a packet's flow the map's layout. */
void tlv_map_apply_flow(const struct tlv_map *, struct flow *);

#endif
