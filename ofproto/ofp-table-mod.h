/* ofp-table-mod: wire codec for a table's configuration: OFPT_TABLE_MOD,
 * the OFPMP_TABLE_DESC multipart and OFPT_TABLE_STATUS.
 *
 * Why a module: OpenFlow 1.4 lets a controller turn on, per table,
 * eviction (the switch makes room for a new flow by removing one, rather
 * than refusing it) and vacancy events (a TABLE_STATUS when the table's
 * free space falls below one threshold, then when it rises above another),
 * read both back with the table description multipart, and be told of the
 * crossings.  This file only converts those messages and prints them as
 * ovs-ofctl does; the switch side (flow-table.c keeps the settings and the
 * thresholds' state, ofproto.c sends the events) lives elsewhere, and
 * xvs-ofctl's mod-table and dump-table-desc use it.
 *
 * In OpenFlow 1.4 and 1.5 a TABLE_MOD's config bits are the table's new
 * state (OFPTC_EVICTION, OFPTC_VACANCY_EVENTS); its properties carry the
 * eviction flags (accepted; the switch always reports
 * OTHER|IMPORTANCE|LIFETIME) and the vacancy thresholds.  ovs-ofctl reads
 * the table description first so that changing one setting keeps the
 * other, and so does xvs-ofctl.  In OpenFlow 1.3 the config bits are
 * deprecated and a TABLE_MOD changes nothing.
 *
 * Not done: the OpenFlow 1.5 table-mod of table-miss behaviour (Open
 * vSwitch's OFPTC_* for 1.1/1.2), experimenter properties (refused with
 * OFPBPC_BAD_TYPE), and TABLE_STATUS reasons other than vacancy. */
#ifndef XVS_OFP_TABLE_MOD_H
#define XVS_OFP_TABLE_MOD_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"

struct ds;
struct ofp_msg_info;
struct ofpbuf;
struct ofpbuf_vec;

#define OFPTC14_EVICTION       (1u << 2)
#define OFPTC14_VACANCY_EVENTS (1u << 3)

/* The eviction flags the switch reports: OTHER, IMPORTANCE, LIFETIME. */
#define OFPTMPEF_ALL 0x7u

/* TABLE_STATUS reasons. */
enum { OFPTR_VACANCY_DOWN = 3, OFPTR_VACANCY_UP = 4 };

struct ofp_table_mod {
    uint8_t table_id;           /* OFPTT_ALL (0xff): every table. */
    uint32_t config;            /* OFPTC14_*. */
    bool has_eviction_flags;    /* The OFPTMPT_EVICTION property. */
    uint32_t eviction_flags;
    bool has_vacancy;           /* The OFPTMPT_VACANCY property. */
    uint8_t vacancy_down;       /* Percent, down <= up <= 100. */
    uint8_t vacancy_up;
};
/* Bad properties: OFPBPC_BAD_TYPE, OFPBPC_BAD_LEN, OFPBPC_BAD_VALUE (the
 * thresholds out of order or over 100). */
enum ofperr ofp_decode_table_mod(const struct ofp_msg_info *,
                                 struct ofp_table_mod *);
/* NULL for OpenFlow 1.0. */
struct ofpbuf *ofp_encode_table_mod(const struct ofp_table_mod *,
                                    uint8_t version, uint32_t xid);

/* One table's description (OFPMP_TABLE_DESC, and in TABLE_STATUS). */
struct ofp_table_desc {
    uint8_t table_id;
    bool eviction;
    uint32_t eviction_flags;
    bool vacancy;
    uint8_t vacancy_down;
    uint8_t vacancy_up;
    uint8_t vacancy_now;        /* Free space now, percent. */
};
void ofp_encode_table_desc_reply(const struct ofp_table_desc *, size_t n,
                                 const struct ofp_msg_info *request,
                                 struct ofpbuf_vec *out);
/* The entries of one reply part; the caller frees '*tds'. */
enum ofperr ofp_decode_table_desc_reply(const struct ofp_msg_info *,
                                        struct ofp_table_desc **tds,
                                        size_t *n);

/* NULL before OpenFlow 1.4. */
struct ofpbuf *ofp_encode_table_status(const struct ofp_table_desc *,
                                       uint8_t reason, uint8_t version);

/* Prints TABLE_MOD, TABLE_DESC requests and replies and TABLE_STATUS
 * after their header line, as ovs-ofctl prints them. */
enum ofperr ofp_table_mod_print(struct ds *, const struct ofp_msg_info *);

#endif
