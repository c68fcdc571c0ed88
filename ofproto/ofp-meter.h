/* ofp-meter: the OpenFlow 1.3+ meter messages, version-independent:
 * METER_MOD and the meter stats, config and features multiparts.
 *
 * Why a file of its own: meters are one concept with their own messages
 * and their own text syntax, which ovs-ofctl uses for add-meter and
 * mod-meter:
 *
 *   meter=1,pktps,burst,stats,band=type=drop,rate=10,burst_size=5
 *
 * After "band=" the rest of the string is bands; each "type=" starts a
 * new one.  OpenFlow 1.3, 1.4 and 1.5 share the wire layouts; 1.0 has no
 * meters, and the encoders return NULL for it.  The dscp_remark band
 * decodes and prints (the switch refuses it with OFPMMFC_BAD_BAND).
 * The replies print exactly as ovs-ofctl prints them (dump-meters,
 * meter-stats, meter-features), so the two tools agree on our switch.
 *
 * The switch side is meter-table.h; the meter instruction (OF1.3/1.4)
 * and action (OF1.5) is OFPACT_METER in ofp-actions.h.
 *
 * Not done yet: the "controller" and "slowpath" virtual meters of Open
 * vSwitch, experimenter bands. */
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
/* Virtual meters: what the switch sends to the controllers (packet-ins),
 * and its slow path. */
#define OFPM_SLOWPATH 0xfffffffdu
#define OFPM_CONTROLLER 0xfffffffeu
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

/* The body of any meter message as ofp_print() shows it (after the
 * "OFPT_METER_MOD (OF1.3) (xid=0x2):" header), newline-terminated. */
void ofp_meter_print(struct ds *, const struct ofp_msg_info *);

/* ---- Multipart: stats, config, features. ---- */

/* OFPST_METER and OFPST_METER_CONFIG requests name one meter or
 * OFPM_ALL.  NULL for OpenFlow 1.0. */
struct ofpbuf *ofp_encode_meter_request(enum ofptype, uint32_t meter_id,
                                        uint8_t version, uint32_t xid);
enum ofperr ofp_decode_meter_request(const struct ofp_msg_info *,
                                     uint32_t *meter_id);

struct ofp_meter_band_stats {
    uint64_t packet_count, byte_count;
};
struct ofp_meter_stats {
    uint32_t meter_id;
    uint32_t flow_count;        /* Rules that use the meter. */
    uint64_t packet_in_count, byte_in_count;
    uint32_t duration_sec, duration_nsec;
    struct ofp_meter_band_stats *bands;
    size_t n_bands;
};
void ofp_encode_meter_stats_reply(const struct ofp_meter_stats *, size_t n,
                                  const struct ofp_msg_info *request,
                                  struct ofpbuf_vec *out);
/* Appends to *ms (each entry's 'bands' malloc'd). */
enum ofperr ofp_decode_meter_stats_reply(const struct ofp_msg_info *,
                                         struct ofp_meter_stats **ms,
                                         size_t *n);
void ofp_meter_stats_free(struct ofp_meter_stats *, size_t n);

/* A config reply carries meters as a meter_mod does without its command
 * ('command' is ignored on encode and 0 on decode). */
void ofp_encode_meter_config_reply(const struct ofp_meter_mod *, size_t n,
                                   const struct ofp_msg_info *request,
                                   struct ofpbuf_vec *out);
enum ofperr ofp_decode_meter_config_reply(const struct ofp_msg_info *,
                                          struct ofp_meter_mod **mc,
                                          size_t *n);
void ofp_meter_configs_free(struct ofp_meter_mod *, size_t n);

struct ofp_meter_features {
    uint32_t max_meters;
    uint32_t band_types;        /* Bit (1 << OFPMBT_*) per band type. */
    uint32_t capabilities;      /* OFPMF_* */
    uint8_t max_bands;
    uint8_t max_color;
};
struct ofpbuf *ofp_encode_meter_features_reply(
    const struct ofp_meter_features *, const struct ofp_msg_info *request);
enum ofperr ofp_decode_meter_features_reply(const struct ofp_msg_info *,
                                            struct ofp_meter_features *);

#endif
