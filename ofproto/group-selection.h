/* group-selection: how a select group picks its bucket for a packet.
 *
 * Why: a load balancer (OVN's, for one) must say which header fields
 * spread its connections over the backends, e.g. the IP addresses and
 * ports so that both directions of a connection stay together, or ask for
 * a datapath hash.  OpenFlow has no standard way to say it; Open vSwitch
 * uses the Netronome extension group property (experimenter 0x154d, type
 * 1) in OpenFlow 1.5 group_mods and group descriptions, which carries a
 * method name ("hash" or "dp_hash"), a 64-bit parameter and, for "hash",
 * a list of fields with masks.  This module holds that property: text as
 * ovs-ofctl reads and prints it ("selection_method=hash,fields(ip_src,
 * ip_dst)"), the wire property, and the hash each method computes over a
 * packet's flow.
 *
 * Methods: no method (the default) and "dp_hash" hash the L2–L4 fields;
 * "dp_hash" takes its basis from the parameter's low 32 bits, and its
 * high 32 bits choose the 5-tuple algorithm (0 plain, 1 symmetric: both
 * directions hash alike).  "hash" hashes the listed fields, masked, with
 * the parameter as basis, or a symmetric L2–L4 hash if none are listed.
 * The hashes are this switch's own: a flow takes the same bucket every
 * time, but not the bucket Open vSwitch would choose.
 *
 * Fields keep the field registry's order (meta-flow.h), which is also the
 * order they print in. */
#ifndef XVS_GROUP_SELECTION_H
#define XVS_GROUP_SELECTION_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "meta-flow.h"
#include "ofp-errors.h"
#include "util.h"

struct ofpbuf;

#define GROUP_SELECTION_METHOD_LEN 16   /* Name, NUL-terminated. */
#define GROUP_SELECTION_MAX_FIELDS 32

struct group_selection_field {
    enum mf_field_id id;
    union mf_value mask;
};

struct group_selection {
    char method[GROUP_SELECTION_METHOD_LEN];    /* "" when not given. */
    uint64_t param;
    struct group_selection_field *fields;
    size_t n_fields;
};

void group_selection_uninit(struct group_selection *);
void group_selection_clone(struct group_selection *dst,
                           const struct group_selection *src);
bool group_selection_is_set(const struct group_selection *);

/* Text.  group_selection_parse() takes one "key=value" of a group string
 * whose key is selection_method, selection_method_param or fields
 * (fields may also be "fields(f1,f2=mask,...)", given as key "fields" and
 * the text between the parentheses); returns NULL or a malloc'd error.
 * group_selection_check() then checks the combination, as ovs-ofctl
 * does.  group_selection_format() appends ",selection_method=...". */
bool group_selection_is_key(const char *key);
char *group_selection_parse(struct group_selection *, const char *key,
                            const char *value);
char *group_selection_check(const struct group_selection *);
void group_selection_format(const struct group_selection *, struct ds *);

/* Wire (OpenFlow 1.5 group properties).  group_selection_put() appends
 * the property if a method is set.  group_selection_pull() decodes one
 * Netronome property of 'len' bytes at 'p' for a group of 'group_type';
 * errors OFPBPC_BAD_VALUE (not a select group, unknown method, bad
 * field) and OFPBPC_BAD_LEN. */
void group_selection_put(const struct group_selection *, struct ofpbuf *);
bool group_selection_is_prop(const uint8_t *p, size_t len);
enum ofperr group_selection_pull(struct group_selection *, uint8_t group_type,
                                 const uint8_t *p, size_t len);

/* Adds to 'wc' the fields group_selection_hash() reads under 'gs', for
 * megaflow masks (lib/flow-wildcards.h). */
void group_selection_unwildcard(const struct group_selection *gs,
                                struct flow_wildcards *wc);
/* The hash that picks a bucket for 'flow'. */
uint32_t group_selection_hash(const struct group_selection *,
                              const struct flow *);

#endif
