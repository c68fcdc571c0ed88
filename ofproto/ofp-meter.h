/* ofp-meter: the OpenFlow 1.3+ METER_MOD message, version-independent.
 *
 * Why a file of its own: meters are one concept with their own message
 * and their own text syntax, which ovs-ofctl uses for add-meter and
 * mod-meter:
 *
 *   meter=1,pktps,burst,stats,band=type=drop,rate=10,burst_size=5
 *
 * After "band=" the rest of the string is bands; each "type=" starts a
 * new one.  OpenFlow 1.3, 1.4 and 1.5 share the wire layout; 1.0 has no
 * meters, and the encoder returns NULL for it.  The dscp_remark band
 * decodes and prints (the switch refuses it with OFPMMFC_BAD_BAND).
 *
 * Not done yet: meter stats, config and features multipart messages,
 * the meter instruction, the switch side (meter table). */
#ifndef XVS_OFP_METER_H
#define XVS_OFP_METER_H 1

#include <stddef.h>
#include <stdint.h>
#include "ofp-msgs.h"

enum ofp_meter_mod_command {
    OFPMC_ADD = 0,
    OFPMC_MODIFY = 1,
    OFPMC_DELETE = 2,
};
/* OFPMF_* meter flags. */
#define OFPMF_KBPS  (1 << 0)
#define OFPMF_PKTPS (1 << 1)
#define OFPMF_BURST (1 << 2)
#define OFPMF_STATS (1 << 3)

enum ofp_meter_band_type {
    OFPMBT_DROP = 1,
    OFPMBT_DSCP_REMARK = 2,
};
#define OFPM_MAX 0xffff0000u
#define OFPM_ALL 0xffffffffu    /* Every meter (delete). */

struct ofp_meter_band {
    uint16_t type;              /* OFPMBT_* */
    uint32_t rate;              /* kbps or pktps, per the meter's flags. */
    uint32_t burst_size;        /* Meaningful with OFPMF_BURST. */
    uint8_t prec_level;         /* dscp_remark only. */
};

struct ofp_meter_mod {
    uint16_t command;           /* OFPMC_* */
    uint16_t flags;             /* OFPMF_* */
    uint32_t meter_id;
    struct ofp_meter_band *bands;
    size_t n_bands;
};
void ofp_meter_mod_uninit(struct ofp_meter_mod *);

/* Text, as ovs-ofctl reads it; for OFPMC_DELETE only "meter=N" (or
 * "meter=all", or nothing: all) is accepted.  Returns NULL or a malloc'd
 * one-line error; 'mm' needs ofp_meter_mod_uninit() either way. */
char *ofp_parse_meter_mod_str(struct ofp_meter_mod *, const char *,
                              uint16_t command);
/* NULL if 'version' has no meters. */
struct ofpbuf *ofp_encode_meter_mod(const struct ofp_meter_mod *,
                                    uint8_t version, uint32_t xid);
enum ofperr ofp_decode_meter_mod(const struct ofp_msg_info *,
                                 struct ofp_meter_mod *);

/* "meter=1 pktps burst bands=\ntype=drop rate=10 burst_size=5" as
 * ovs-ofctl prints a meter's configuration (no trailing newline). */
void ofp_meter_format(const struct ofp_meter_mod *, struct ds *);

/* The body of a meter message as ofp_print() shows it (after the
 * "OFPT_METER_MOD (OF1.3) (xid=0x2):" header), newline-terminated. */
void ofp_meter_print(struct ds *, const struct ofp_msg_info *);

#endif
