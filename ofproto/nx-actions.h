/* nx-actions: the Nicira extension actions (vendor 0x00002320).
 *
 * Controllers such as OVN and Faucet program Open vSwitch with NX actions
 * that no OpenFlow version has: resubmit to another table, load and move
 * bits between fields ("load:1->NXM_NX_REG0[0..3]"), a value stack,
 * output to the port a register names, and notes.  They are encoded the
 * same way in every version (an experimenter action), so this module
 * owns their text, wire and bit-level semantics, and ofp-actions.c only
 * dispatches to it from its action table.
 *
 * Subfields ("NXM_NX_REG0[0..15]", "reg0[]", "metadata[5]") name bits
 * OFS..OFS+N_BITS-1 of a registry field, counted from the least
 * significant bit.  They are printed with the NXM/OXM name, as ovs-ofctl
 * does; the registry name is accepted on input too.
 *
 * Limits: push, pop and
 * output_reg work on at most 64 bits (move and load on 128-bit fields). */
#ifndef XVS_NX_ACTIONS_H
#define XVS_NX_ACTIONS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "flow.h"
#include "meta-flow.h"
#include "ofp-errors.h"
#include "util.h"

struct ofpact;
struct ofpacts;
struct ofpbuf;
struct match;

#define NX_NOTE_MAX 30          /* Bytes in the OFPACT_NOTE itself; longer
                                 * notes continue in entries after it. */
#define NX_NOTE_WIRE_MAX (65528 - 10)   /* What an action's length allows. */
#define NX_RESUBMIT_TABLE_SAME 255  /* resubmit:PORT stays in the table. */

struct mf_subfield {
    enum mf_field_id field;
    uint16_t ofs;
    uint16_t n_bits;
};

/* Text after the keyword ("load:ARG"); NULL or a malloc'd error. */
char *nx_parse_resubmit(const char *arg, struct ofpacts *);
char *nx_parse_load(const char *arg, struct ofpacts *);
char *nx_parse_move(const char *arg, struct ofpacts *);
char *nx_parse_push(const char *arg, struct ofpacts *);
char *nx_parse_pop(const char *arg, struct ofpacts *);
char *nx_parse_note(const char *arg, struct ofpacts *);
char *nx_parse_output_reg(const char *arg, struct ofpacts *);
char *nx_parse_delete_field(const char *arg, struct ofpacts *);
char *nx_parse_subfield(const char *s, struct mf_subfield *);

void nx_format_resubmit(const struct ofpact *, struct ds *);
void nx_format_load(const struct ofpact *, struct ds *);
void nx_format_move(const struct ofpact *, struct ds *);
void nx_format_stack(const struct ofpact *, struct ds *);
void nx_format_note(const struct ofpact *, struct ds *);
void nx_format_output_reg(const struct ofpact *, struct ds *);
void nx_format_delete_field(const struct ofpact *, struct ds *);
void nx_format_subfield(const struct mf_subfield *, struct ds *);

/* The NXM/OXM header naming a subfield's field in NX actions, and back
 * (OFPBAC_BAD_ARGUMENT for unknown fields or bits outside the field). */
void nx_put_subfield_header(const struct mf_subfield *, struct ofpbuf *);
enum ofperr nx_pull_subfield(uint32_t header, unsigned int ofs,
                             unsigned int n_bits, struct mf_subfield *);

/* Every NX action starts with the experimenter header and subtype and is
 * padded to a multiple of 8 bytes: nx_action_start() writes the header
 * and returns where the action starts, nx_action_finish() pads it and
 * fills in its length. */
size_t nx_action_start(struct ofpbuf *, uint16_t subtype);
void nx_action_finish(struct ofpbuf *, size_t start);

/* Decodes NX action 'subtype' ('p' is the whole action of 'len' bytes).
 * OFPBAC_BAD_EXP_TYPE for subtypes this module does not know. */
enum ofperr nx_decode(uint16_t subtype, const uint8_t *p, size_t len,
                      struct ofpacts *);
/* Encodes an NX action kind (the same in every OpenFlow version); also
 * dec_ttl for OpenFlow 1.0, which has no dec_ttl of its own. */
void nx_encode(const struct ofpact *, struct ofpbuf *);
/* OpenFlow 1.5 has standard forms for two of them, and Open vSwitch
 * uses those there instead of the NX ones: load is a masked set_field
 * (it then reads back as "set_field:V/M->F"), move is OFPAT_COPY_FIELD.
 * nx_encode_of15() writes them; nx_of15_decodes() says whether an
 * OpenFlow 1.5 action at 'p' is one of those (a masked set_field or a
 * copy_field), and nx_decode_of15() decodes it. */
void nx_encode_of15(const struct ofpact *, struct ofpbuf *);
bool nx_of15_decodes(uint16_t type, const uint8_t *p, size_t len);
enum ofperr nx_decode_of15(uint16_t type, const uint8_t *p, size_t len,
                           struct ofpacts *);
/* A set_field on a field with an NXM/OXM header of its own can travel as
 * NXAST_REG_LOADs, which is how Open vSwitch sends it where the version
 * has no (masked) set_field: OpenFlow 1.0, and partial masks before 1.5:
 * one load per run of the mask's 1-bits, cut in pieces of at most 64
 * bits.  nx_set_field_to_load() says whether it can; starting from a
 * zeroed 'load', nx_set_field_next_load() fills in the next of those
 * loads and returns false after the last; nx_format_set_field_loads()
 * prints them. */
bool nx_set_field_to_load(const struct ofpact *set_field);
bool nx_set_field_next_load(const struct ofpact *set_field,
                            struct ofpact *load);
void nx_format_set_field_loads(const struct ofpact *set_field, struct ds *);
/* A set_field on a variable-length field (tun_metadataN) goes as
 * NXAST_REG_LOAD2 instead, an OXM TLV (masked or not) in an NX action. */
void nx_encode_load2(const struct ofpact *set_field, struct ofpbuf *);
/* Subfields within their fields and, given a match, with their
 * prerequisites met (OFPBAC_BAD_ARGUMENT, OFPBAC_MATCH_INCONSISTENT). */
enum ofperr nx_check(const struct ofpact *, const struct match *);

/* Values as wide as the widest field, tun_metadataN's 124 bytes (learn's
 * immediates, wide loads): big-endian, right-aligned.  nx_parse_wide()
 * reads a number (hex with 0x, or decimal) that must fit in 'n_bits';
 * nx_format_wide() writes "0" or "0x" and the hex digits, as Open
 * vSwitch does. */
#define NX_WIDE_BYTES FLOW_TUN_MD_MAX_LEN
/* push/pop stack entries hold up to 128 bits (IPv6 addresses, xxregs, as
 * OVN pushes them): the last bytes of a wide value. */
#define NX_STACK_BYTES 16
char *nx_parse_wide(const char *s, unsigned int n_bits,
                    uint8_t v[NX_WIDE_BYTES]);
void nx_format_wide(const uint8_t v[NX_WIDE_BYTES], struct ds *);
void nx_subfield_get_wide(const struct mf_subfield *, const struct flow *,
                          uint8_t v[NX_WIDE_BYTES]);
void nx_subfield_set_wide(const struct mf_subfield *,
                          const uint8_t v[NX_WIDE_BYTES], struct flow *);
/* Appends "load:V->DST": an OFPACT_REG_LOAD up to 64 bits, otherwise a
 * masked OFPACT_SET_FIELD marked as a load (NX loads before OpenFlow
 * 1.5, printed as them, as Open vSwitch does). */
void nx_put_wide_load(struct ofpacts *, const struct mf_subfield *dst,
                      const uint8_t v[NX_WIDE_BYTES]);

/* Bits of a subfield of 'flow' (n_bits <= 64), and their update. */
uint64_t nx_subfield_get(const struct mf_subfield *, const struct flow *);
void nx_subfield_set(const struct mf_subfield *, uint64_t value,
                     struct flow *);
/* Adds the subfield's bits to a megaflow mask (lib/flow-wildcards.h). */
void nx_subfield_unwildcard(const struct mf_subfield *,
                            struct flow_wildcards *);
/* move: copies src's bits into dst's (same width, any width). */
void nx_subfield_copy(const struct mf_subfield *src,
                      const struct mf_subfield *dst, struct flow *);

#endif
