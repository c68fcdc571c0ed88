/* ofp-group: the OpenFlow group messages, version-independent.
 *
 * Why a file of its own: groups are one concept with their own messages
 * (GROUP_MOD, and the group, group desc and group features multipart
 * requests and replies) and their own text syntax, which ovs-ofctl uses
 * for add-group, mod-group and dump-groups:
 *
 *   group_id=1,type=select,bucket=weight:100,actions=output:1,bucket=...
 *
 * Buckets carry 'struct ofpacts' (ofp-actions.h).  In text a bucket's
 * "weight:W", "watch_port:P" and "watch_group:G" come before
 * "actions=...", which takes the rest of the bucket; a bucket without
 * "actions=" is all actions ("bucket=output:1").  A select group's
 * buckets weigh 1 unless told otherwise, as in ovs-ofctl.
 *
 * Versions: the OpenFlow 1.3 wire layouts, which 1.4 shares, and 1.5's
 * (bucket ids, weight and watch ports as bucket properties, a group id in
 * the group desc request, and the insert-bucket and remove-bucket
 * commands with their command_bucket_id).  OpenFlow 1.0 has groups as
 * Open vSwitch's Nicira extensions (NXT_GROUP_MOD, NXST_GROUP,
 * NXST_GROUP_DESC, NXST_GROUP_FEATURES; ofp-msgs.c has their headers):
 * group_mod, group desc and buckets in 1.5's layout with 1.0 actions
 * (insert and remove-bucket included), group stats and features in
 * 1.3's.  Encoders return NULL for insert/remove-bucket in 1.3 and 1.4.
 * Group properties other than the selection method are skipped. */
#ifndef XVS_OFP_GROUP_H
#define XVS_OFP_GROUP_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "group-selection.h"
#include "ofp-msgs.h"

enum ofp_group_type {
    OFPGT_ALL = 0,
    OFPGT_SELECT = 1,
    OFPGT_INDIRECT = 2,
    OFPGT_FF = 3,
};
enum ofp_group_mod_command {
    OFPGC_ADD = 0,
    OFPGC_MODIFY = 1,
    OFPGC_DELETE = 2,
    OFPGC_INSERT_BUCKET = 3,    /* OpenFlow 1.5 (4 is unused). */
    OFPGC_REMOVE_BUCKET = 5,    /* OpenFlow 1.5. */
    OFPGC_ADD_OR_MOD = 0x8000,  /* Open vSwitch extension, every version:
                                 * modify, or add if missing. */
};
/* command_bucket_id values besides a bucket id (OpenFlow 1.5). */
#define OFPG_BUCKET_MAX   0xffffff00u
#define OFPG_BUCKET_FIRST 0xfffffffdu
#define OFPG_BUCKET_LAST  0xfffffffeu
#define OFPG_BUCKET_ALL   0xffffffffu
#define OFPG_MAX 0xffffff00u
#define OFPG_ALL 0xfffffffcu    /* Every group (delete, stats). */
#define OFPG_ANY 0xffffffffu    /* None (watch_group). */

/* OFPGFC_* capabilities in group features. */
#define OFPGFC_SELECT_WEIGHT   (1 << 0)
#define OFPGFC_SELECT_LIVENESS (1 << 1)
#define OFPGFC_CHAINING        (1 << 2)
#define OFPGFC_CHAINING_CHECKS (1 << 3)

/* "all", "select", "indirect", "ff"; NULL if unknown. */
const char *ofp_group_type_to_string(uint8_t type);

struct ofp_bucket {
    uint32_t bucket_id;         /* OpenFlow 1.5; else the bucket's index. */
    uint16_t weight;
    uint32_t watch_port;        /* OFPP_ANY: none. */
    uint32_t watch_group;       /* OFPG_ANY: none. */
    struct ofpacts ofpacts;
};

/* A group as GROUP_MOD and group desc carry it. */
struct ofp_group {
    uint32_t group_id;
    uint8_t type;               /* OFPGT_* */
    struct ofp_bucket *buckets;
    size_t n_buckets;
    struct group_selection selection;   /* Select groups; OpenFlow 1.5
                                         * carries it. */
};
void ofp_group_uninit(struct ofp_group *);
void ofp_group_clone(struct ofp_group *dst, const struct ofp_group *src);
void ofp_groups_free(struct ofp_group *, size_t n);
/* "group_id=1,type=all,bucket=actions=output:1" as dump-groups prints
 * it; 'bucket_ids' (OpenFlow 1.5) adds "bucket_id:N," to each bucket. */
void ofp_group_format(const struct ofp_group *, bool bucket_ids,
                      struct ds *);

struct ofp_group_mod {
    uint16_t command;           /* OFPGC_* */
    uint32_t command_bucket_id; /* Insert before / remove: a bucket id or
                                 * OFPG_BUCKET_FIRST/LAST/ALL. */
    struct ofp_group group;
};
/* Text, as ovs-ofctl reads it.  'command' OFPGC_*; for OFPGC_DELETE only
 * "group_id=N" (or "group_id=all", or nothing: all) is accepted; insert
 * and remove-bucket take "command_bucket_id=first|last|all|N" (default
 * last for insert, all for remove) and need no type.  Returns
 * NULL or a malloc'd one-line error; 'gm' needs ofp_group_uninit() on
 * 'gm->group' either way. */
char *ofp_parse_group_mod_str(struct ofp_group_mod *, const char *,
                              uint16_t command);
/* NULL if 'version' has no (supported) group_mod. */
struct ofpbuf *ofp_encode_group_mod(const struct ofp_group_mod *,
                                    uint8_t version, uint32_t xid);
enum ofperr ofp_decode_group_mod(const struct ofp_msg_info *,
                                 struct ofp_group_mod *);

/* Group desc: the request has no body in 1.3/1.4 (every group); 1.5's
 * names a group or OFPG_ALL. */
struct ofpbuf *ofp_encode_group_desc_request(uint32_t group_id,
                                             uint8_t version, uint32_t xid);
enum ofperr ofp_decode_group_desc_request(const struct ofp_msg_info *,
                                          uint32_t *group_id);
void ofp_encode_group_desc_reply(const struct ofp_group *, size_t n,
                                 const struct ofp_msg_info *request,
                                 struct ofpbuf_vec *out);
/* Appends to *groups. */
enum ofperr ofp_decode_group_desc_reply(const struct ofp_msg_info *,
                                        struct ofp_group **groups,
                                        size_t *n);

/* Group stats. */
struct ofp_bucket_counter {
    uint64_t packet_count, byte_count;
};
struct ofp_group_stats {
    uint32_t group_id;
    uint32_t ref_count;         /* Flows that use the group. */
    uint64_t packet_count, byte_count;
    uint32_t duration_sec, duration_nsec;
    struct ofp_bucket_counter *buckets;
    size_t n_buckets;
};
/* 'group_id' OFPG_ALL for every group. */
struct ofpbuf *ofp_encode_group_stats_request(uint32_t group_id,
                                              uint8_t version, uint32_t xid);
enum ofperr ofp_decode_group_stats_request(const struct ofp_msg_info *,
                                           uint32_t *group_id);
void ofp_encode_group_stats_reply(const struct ofp_group_stats *, size_t n,
                                  const struct ofp_msg_info *request,
                                  struct ofpbuf_vec *out);
enum ofperr ofp_decode_group_stats_reply(const struct ofp_msg_info *,
                                         struct ofp_group_stats **gs,
                                         size_t *n);
void ofp_group_stats_free(struct ofp_group_stats *, size_t n);

/* Group features. */
struct ofp_group_features {
    uint32_t types;             /* Bit (1 << OFPGT_*) per supported type. */
    uint32_t capabilities;      /* OFPGFC_* */
    uint32_t max_groups[4];     /* Per type. */
    uint32_t actions[4];        /* Bit (1 << OFPAT_*) per type. */
};
/* The action bitmap the switch announces in group features for
 * 'version': OFPAT10_* bits in OpenFlow 1.0, OFPAT_* bits after. */
uint32_t ofp_group_features_actions(uint8_t version);
struct ofpbuf *ofp_encode_group_features_reply(
    const struct ofp_group_features *, const struct ofp_msg_info *request);
enum ofperr ofp_decode_group_features_reply(const struct ofp_msg_info *,
                                            struct ofp_group_features *);

/* The body of a group message as ofp_print() shows it (after the
 * "OFPT_GROUP_MOD (OF1.3) (xid=0x2):" header), newline-terminated. */
void ofp_group_print(struct ds *, const struct ofp_msg_info *);

#endif
