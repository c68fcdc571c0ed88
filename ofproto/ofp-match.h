/* ofp-match: matches on the wire.
 *
 * Two encodings of a 'struct match': OpenFlow 1.0's fixed 40-byte
 * ofp_match with its wildcard bits, and OpenFlow 1.2+'s 'struct ofp_match'
 * of type OXM holding a list of OXM TLVs.  The OXM side is a loop over
 * the field registry (lib/meta-flow.h): every row with a wire code is
 * decoded and encoded the same way, with its prerequisites enforced on
 * decode (OFPBMC_BAD_PREREQ), duplicates refused (OFPBMC_DUP_FIELD) and
 * value bits outside the mask refused (OFPBMC_BAD_WILDCARDS).  Nicira's
 * NXM matches (NXT_FLOW_MOD, NXST_FLOW, NXT_PACKET_IN) are the same TLVs
 * without the wrapper, plus NXM_NX_COOKIE; the encoder writes the same
 * headers as OXM (OXM basic classes where a field has one), which Open
 * vSwitch reads in NXM too. */
#ifndef XVS_OFP_MATCH_H
#define XVS_OFP_MATCH_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "flow.h"
#include "meta-flow.h"
#include "ofp-errors.h"

struct ofpbuf;

#define OFP10_MATCH_LEN 40

enum ofperr ofp10_match_decode(const uint8_t match[OFP10_MATCH_LEN],
                               struct match *);
/* False (and nothing appended) if 'match' uses fields or masks OF1.0
 * cannot express. */
bool ofp10_match_usable(const struct match *);
void ofp10_match_encode(const struct match *, struct ofpbuf *);

/* 'struct ofp_match' (type OXM) at the start of [data, data+len): decodes
 * it into 'match' and sets *consumed to its padded length. */
enum ofperr oxm_match_pull(const uint8_t *data, size_t len,
                           struct match *, size_t *consumed);
/* Appends a padded 'struct ofp_match'; returns its padded length.  The
 * fields whose code depends on the OpenFlow version (tcp_flags and
 * actset_output: ONF experimenter OXM in 1.3 and 1.4, OXM basic since
 * 1.5) take 'version''s; oxm_match_put() encodes them as for 1.3. */
size_t oxm_match_put(const struct match *, struct ofpbuf *);
size_t oxm_match_put_version(const struct match *, uint8_t version,
                             struct ofpbuf *);

/* Raw OXM TLV lists, without the ofp_match wrapper (used in
 * packet-in/set_field too). */
enum ofperr oxm_fields_decode(const uint8_t *data, size_t len,
                              struct match *, bool check_prereqs);
void oxm_fields_put(const struct match *, struct ofpbuf *);
void oxm_fields_put_version(const struct match *, uint8_t version,
                            struct ofpbuf *);
/* One TLV at 'data': its field, value and mask (all-ones if none).  An
 * experimenter OXM (class 0xffff) has its 32-bit experimenter id after the
 * header, counted in the header's length. */
enum ofperr oxm_decode_one(const uint8_t *data, size_t len,
                           const struct mf_field **,
                           union mf_value *value, union mf_value *mask,
                           size_t *consumed);
/* The same for OpenFlow 1.5's masked set_field, which may carry a mask
 * for fields that matches cannot mask (mpls_label). */
enum ofperr oxm_decode_set_field(const uint8_t *data, size_t len,
                                 const struct mf_field **,
                                 union mf_value *value, union mf_value *mask,
                                 size_t *consumed);
/* NXM matches (Nicira's NXT_FLOW_MOD, NXST_FLOW): 'match_len' bytes of
 * TLVs, padded to 8 on the wire (*consumed: the padded length).  The
 * flow cookie travels as NXM_NX_COOKIE, which is not a field of the
 * match: it comes back in *cookie and *cookie_mask (both 0 if absent). */
enum ofperr nx_match_pull(const uint8_t *data, size_t len, size_t match_len,
                          struct match *, uint64_t *cookie,
                          uint64_t *cookie_mask, size_t *consumed);
/* Appends the TLVs and padding; returns the unpadded match_len. */
size_t nx_match_put(const struct match *, uint64_t cookie,
                    uint64_t cookie_mask, struct ofpbuf *);
void oxm_put_one(const struct mf_field *, const union mf_value *value,
                 const union mf_value *mask, struct ofpbuf *);

#endif
