/* nx-observe: Nicira actions that look at the packet without changing it
 * — sample and check_pkt_larger.
 *
 * sample(probability=P,collector_set_id=C,obs_domain_id=D,obs_point_id=O
 * [,sampling_port=PORT][,ingress|egress]) is NXAST_SAMPLE (29), or
 * NXAST_SAMPLE2 (38) when it names a sampling port, or NXAST_SAMPLE3 (41)
 * when it names a direction, as Open vSwitch chooses.  Open vSwitch sends
 * a sampled packet to the IPFIX exporter of the Flow_Sample_Collector_Set
 * row C; xvswitch has no IPFIX exporter, so a sample only counts: each
 * packet is sampled with probability P/65535 and the bridge's counter of
 * sampled packets goes up (ofproto/trace shows it).
 *
 * check_pkt_larger(N)->DST is NXAST_CHECK_PKT_LARGER (49): it sets the
 * one-bit subfield DST to 1 if the packet is longer than N bytes (the
 * whole frame, Ethernet header included), to 0 otherwise.
 * ofproto/trace runs without a packet, so there the length is 0 and the
 * bit is 0. */
#ifndef XVS_NX_OBSERVE_H
#define XVS_NX_OBSERVE_H 1

#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"

struct ds;
struct ofpact;
struct ofpacts;
struct ofpbuf;

#define NXAST_SAMPLE 29
#define NXAST_SAMPLE2 38
#define NXAST_SAMPLE3 41
#define NXAST_CHECK_PKT_LARGER 49

/* sample's direction (NXAST_SAMPLE3). */
enum nx_sample_direction {
    NX_SAMPLE_DEFAULT = 0,
    NX_SAMPLE_INGRESS = 1,
    NX_SAMPLE_EGRESS = 2,
};

char *nx_parse_sample(const char *arg, struct ofpacts *);
char *nx_parse_check_pkt_larger(const char *arg, struct ofpacts *);
void nx_format_sample(const struct ofpact *, struct ds *);
void nx_format_check_pkt_larger(const struct ofpact *, struct ds *);

/* 'p' is the whole NX action; subtypes 29, 38, 41 and 49. */
enum ofperr nx_observe_decode(uint16_t subtype, const uint8_t *p,
                              size_t len, struct ofpacts *);
void nx_observe_encode(const struct ofpact *, struct ofpbuf *);

#endif
