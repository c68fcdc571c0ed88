/* meter-table: a bridge's OpenFlow meters — storage, meter_mod semantics,
 * rate measurement and counters.
 *
 * Why a module of its own: the meter_mod handler, the flow_mod checks (a
 * flow may only name meters that exist), xlate (whether a packet passes
 * its meter) and the stats replies must agree on one set of rules, those
 * of OpenFlow 1.3 section 5.7, and they live here.
 *
 * Semantics implemented (errors as Open vSwitch returns them):
 *   ADD     METER_EXISTS if the id is taken; OUT_OF_METERS when the table
 *           already holds METER_TABLE_MAX meters.
 *   MODIFY  replaces flags and bands (band counters and buckets restart,
 *           the meter's own counters stay); UNKNOWN_METER if the id is
 *           free.
 *   DELETE  removes the meter (OFPM_ALL: every meter) and every flow whose
 *           actions use it; deleting a missing meter is not an error.
 * Checks, for ADD and MODIFY: id 0 or above OFPM_MAX other than the
 * virtual meters OFPM_CONTROLLER and OFPM_SLOWPATH (INVALID_METER),
 * unknown commands (BAD_COMMAND), flags other than kbps/pktps/burst/stats
 * or not exactly one of kbps and pktps (BAD_FLAGS), more than
 * METER_TABLE_MAX_BANDS bands (OUT_OF_BANDS; a meter without bands
 * measures and never drops), a band that is not "drop"
 * (BAD_BAND: dscp_remark would need the packet's DSCP rewritten, which
 * the datapath cannot do yet), a rate of 0 (BAD_RATE), a burst_size of 0
 * with the burst flag (BAD_BURST).
 *
 * Measurement: every band is a token bucket on the time_msec() clock.  It
 * holds up to burst_size units (kilobits or packets) with the burst flag,
 * otherwise one second's worth (rate units), starts full, and refills at
 * 'rate' units per second.  A packet takes 1 packet or its length in bits
 * from every band that has room; among the bands that had none, the one
 * with the highest rate applies (OpenFlow's rule) and counts the packet.
 * Only drop bands exist, so "applies" means the packet is dropped.
 *
 * The "controller" virtual meter measures the packet-ins of every
 * controller action without a meter_id, of table misses and of invalid
 * TTLs (xlate.c); the "slowpath" one is kept and shown, but this switch
 * has no slow path for it to measure.
 *
 * Not done: dscp_remark bands; the meters that OpenFlow 1.5 group buckets
 * name are neither checked nor deleted with the meter (xlate drops a
 * packet whose meter is gone). */
#ifndef XVS_METER_TABLE_H
#define XVS_METER_TABLE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hmap.h"
#include "ofp-meter.h"

struct flow_table;
struct ofpacts;

#define METER_TABLE_MAX 65536       /* Meters per bridge. */
#define METER_TABLE_MAX_BANDS 8     /* Bands per meter. */

struct meter_band {
    struct ofp_meter_band config;
    uint64_t tokens;                /* Thousandths of a unit. */
    uint64_t packet_count, byte_count;
};

struct meter {
    struct hmap_node node;          /* In meter_table 'meters', by id. */
    uint32_t id;
    uint16_t flags;                 /* OFPMF_* */
    struct meter_band *bands;
    size_t n_bands;
    long long int created;          /* time_msec(), for the duration. */
    long long int last_fill;        /* time_msec() of the last refill. */
    uint64_t packet_count, byte_count;
};

struct meter_table {
    struct hmap meters;
};

void meter_table_init(struct meter_table *);
void meter_table_destroy(struct meter_table *);

/* For bundles, which apply their meter_mods to a copy and keep it only
 * if every message succeeds: copies every meter of 'src', with its
 * buckets and counters, into the empty 'dst'; and swaps two tables. */
void meter_table_clone(struct meter_table *dst, const struct meter_table *src);
void meter_table_swap(struct meter_table *, struct meter_table *);

struct meter *meter_table_find(const struct meter_table *, uint32_t id);
size_t meter_table_count(const struct meter_table *);

/* Applies 'mm'; DELETE also deletes the flows in 'ft' that use the
 * deleted meters.  Returns 0 or an OFPERR. */
enum ofperr meter_table_mod(struct meter_table *, struct flow_table *,
                            const struct ofp_meter_mod *);

/* OFPMMFC_UNKNOWN_METER if 'ofpacts' names a meter that does not
 * exist. */
enum ofperr meter_table_check_ofpacts(const struct meter_table *,
                                      const struct ofpacts *);

/* How many rules of 'ft' use meter 'id'. */
uint32_t meter_ref_count(const struct flow_table *, uint32_t id);

/* Measures a packet of 'len' bytes at time 'now' against 'm'.  Returns
 * the index of the band that applies (the packet exceeds it), or -1 if
 * the packet is within every band's rate.  With 'commit', takes the
 * packet's tokens and counts it; without (ofproto/trace), changes
 * nothing. */
int meter_apply(struct meter *, uint32_t len, long long int now,
                bool commit);

/* The meter's configuration, as a config reply carries it ('bands'
 * malloc'd: ofp_meter_mod_uninit()). */
void meter_get_config(const struct meter *, struct ofp_meter_mod *);

#endif
