/* ofp-group: group messages — text parse and format, wire encode and
 * decode (the OpenFlow 1.3/1.4 layouts, 1.5's, and OpenFlow 1.0's Nicira
 * extensions that use 1.5's), printing. */
#include <config.h>
#include "ofp-group.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BUCKET_LEN 16           /* OF1.3 ofp_bucket before its actions. */
#define BUCKET15_LEN 8          /* OF1.5 ofp_bucket before its actions. */
#define GROUP_STATS_LEN 40
#define GROUP_DESC_LEN 8
#define GROUP_DESC15_LEN 16
#define BUCKET_COUNTER_LEN 16

/* OpenFlow 1.5 bucket property types. */
#define OFPGBPT15_WEIGHT 0
#define OFPGBPT15_WATCH_PORT 1
#define OFPGBPT15_WATCH_GROUP 2

static bool
version_has_groups(uint8_t version)
{
    return (version == OFP10_VERSION
            || (version >= OFP13_VERSION && version <= OFP15_VERSION));
}

/* True if 'version' lays out group_mod, group desc and buckets as
 * OpenFlow 1.5 does (bucket ids, bucket properties, insert and remove
 * bucket): 1.5 itself, and 1.0, whose Nicira extension messages Open
 * vSwitch gave the 1.5 bodies. */
static bool
layout15(uint8_t version)
{
    return version == OFP10_VERSION || version >= OFP15_VERSION;
}

const char *
ofp_group_type_to_string(uint8_t type)
{
    static const char *const names[] = { "all", "select", "indirect", "ff" };
    return type < ARRAY_SIZE(names) ? names[type] : NULL;
}

/* ---- Structs. ---- */

void
ofp_group_uninit(struct ofp_group *g)
{
    for (size_t i = 0; i < g->n_buckets; i++) {
        ofpacts_uninit(&g->buckets[i].ofpacts);
    }
    free(g->buckets);
    g->buckets = NULL;
    g->n_buckets = 0;
    group_selection_uninit(&g->selection);
}

void
ofp_group_clone(struct ofp_group *dst, const struct ofp_group *src)
{
    *dst = *src;
    dst->buckets = xcalloc(src->n_buckets ? src->n_buckets : 1,
                           sizeof *dst->buckets);
    for (size_t i = 0; i < src->n_buckets; i++) {
        dst->buckets[i] = src->buckets[i];
        ofpacts_clone(&dst->buckets[i].ofpacts, &src->buckets[i].ofpacts);
    }
    group_selection_clone(&dst->selection, &src->selection);
}

void
ofp_groups_free(struct ofp_group *groups, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ofp_group_uninit(&groups[i]);
    }
    free(groups);
}

static struct ofp_bucket *
group_add_bucket(struct ofp_group *g)
{
    g->buckets = xrealloc(g->buckets, (g->n_buckets + 1) * sizeof *g->buckets);
    struct ofp_bucket *b = &g->buckets[g->n_buckets++];
    memset(b, 0, sizeof *b);
    b->bucket_id = g->n_buckets - 1;
    b->watch_port = OFPP_ANY;
    b->watch_group = OFPG_ANY;
    ofpacts_init(&b->ofpacts);
    return b;
}

/* ---- Text. ---- */

static void
format_buckets(const struct ofp_group *g, bool bucket_ids, struct ds *s)
{
    for (size_t i = 0; i < g->n_buckets; i++) {
        const struct ofp_bucket *b = &g->buckets[i];
        ds_put_cstr(s, ",bucket=");
        if (bucket_ids) {
            ds_put_format(s, "bucket_id:%"PRIu32",", b->bucket_id);
        }
        if (b->weight != (g->type == OFPGT_SELECT ? 1 : 0)) {
            ds_put_format(s, "weight:%"PRIu16",", b->weight);
        }
        if (b->watch_port != OFPP_ANY) {
            ds_put_cstr(s, "watch_port:");
            ofp_port_format(b->watch_port, s);
            ds_put_char(s, ',');
        }
        if (b->watch_group != OFPG_ANY) {
            ds_put_format(s, "watch_group:%"PRIu32",", b->watch_group);
        }
        ds_put_cstr(s, "actions=");
        ofpacts_format(&b->ofpacts, s);
    }
}

void
ofp_group_format(const struct ofp_group *g, bool bucket_ids, struct ds *s)
{
    const char *type = ofp_group_type_to_string(g->type);
    ds_put_format(s, "group_id=%"PRIu32",type=", g->group_id);
    if (type) {
        ds_put_cstr(s, type);
    } else {
        ds_put_format(s, "%"PRIu8, g->type);
    }
    group_selection_format(&g->selection, s);
    format_buckets(g, bucket_ids, s);
}

/* Length of the top-level comma-separated token at 's'. */
static size_t
token_len(const char *s)
{
    size_t len = 0;
    int depth = 0;
    while (s[len] && (depth || s[len] != ',')) {
        depth += s[len] == '(' ? 1 : s[len] == ')' ? -1 : 0;
        len++;
    }
    return len;
}

static char *
parse_u32(const char *s, uint32_t max, const char *what, uint32_t *out)
{
    unsigned long long x;
    if (!str_to_ullong(s, 0, &x) || x > max) {
        return xasprintf("%s: invalid %s", s, what);
    }
    *out = x;
    return NULL;
}

/* One bucket: "weight:W,watch_port:P,watch_group:G,actions=A" or just
 * actions. */
static char *
parse_bucket(const char *s, struct ofp_bucket *b, bool *weight_given)
{
    while (*s) {
        size_t len = token_len(s);
        char *tok = xstrndup(s, len);
        char *sep = tok + strcspn(tok, ":=");
        const char *value = *sep ? sep + 1 : NULL;
        char *error = NULL;
        bool is_param = true;

        *sep = '\0';
        if (!strcmp(tok, "actions") && value) {
            free(tok);
            return ofpacts_parse(strchr(s, '=') + 1, &b->ofpacts);
        } else if (!strcmp(tok, "weight") && value) {
            uint32_t w = 0;
            error = parse_u32(value, UINT16_MAX, "bucket weight", &w);
            b->weight = w;
            *weight_given = true;
        } else if (!strcmp(tok, "watch_port") && value) {
            /* As ovs-ofctl: an ordinary port of OpenFlow 1.0's range,
             * CONTROLLER, or ANY (NONE) for none. */
            if (!ofp_port_from_string(value, &b->watch_port)
                || (b->watch_port >= 0xff00
                    && b->watch_port != OFPP_CONTROLLER
                    && b->watch_port != OFPP_ANY)) {
                error = xasprintf("%s: invalid watch_port", value);
            }
        } else if (!strcmp(tok, "watch_group") && value) {
            error = parse_u32(value, OFPG_ANY, "watch_group",
                              &b->watch_group);
        } else if (!strcmp(tok, "bucket_id") && value) {
            error = parse_u32(value, 0xffffff00, "bucket_id", &b->bucket_id);
        } else {
            is_param = false;
        }
        free(tok);
        if (error) {
            return error;
        }
        if (!is_param) {
            /* The rest of the bucket is its actions. */
            return ofpacts_parse(s, &b->ofpacts);
        }
        s += len;
        if (*s == ',') {
            s++;
        }
    }
    return NULL;
}

static char *
parse_group_id(const char *value, uint32_t *id)
{
    if (!strcasecmp(value, "all")) {
        *id = OFPG_ALL;
        return NULL;
    }
    return parse_u32(value, OFPG_MAX, "group_id", id);
}

static char *
parse_type(const char *value, uint8_t *type)
{
    for (uint8_t t = 0; ofp_group_type_to_string(t); t++) {
        if (!strcmp(value, ofp_group_type_to_string(t))) {
            *type = t;
            return NULL;
        }
    }
    if (!strcmp(value, "fast_failover")) {
        *type = OFPGT_FF;
        return NULL;
    }
    return xasprintf("%s: unknown group type", value);
}

static char *
parse_command_bucket_id(const char *value, uint32_t *id)
{
    if (!strcmp(value, "first")) {
        *id = OFPG_BUCKET_FIRST;
    } else if (!strcmp(value, "last")) {
        *id = OFPG_BUCKET_LAST;
    } else if (!strcmp(value, "all")) {
        *id = OFPG_BUCKET_ALL;
    } else {
        return parse_u32(value, OFPG_BUCKET_MAX, "command_bucket_id", id);
    }
    return NULL;
}

static bool
actions_are_bucket_actions(const struct ofpacts *o)
{
    for (size_t i = 0; i < o->n; i++) {
        if (o->acts[i].type >= OFPACT_CLEAR_ACTIONS) {
            return false;
        }
    }
    return true;
}

/* Splits 's' into its head and "bucket=" parts and parses them. */
static char *
parse_group_str(struct ofp_group_mod *gm, const char *s)
{
    struct ofp_group *g = &gm->group;
    bool have_id = false, have_type = false, have_cbid = false;

    while (*s == ' ' || *s == '\t') {
        s++;
    }
    while (*s) {
        size_t len = token_len(s);
        if (!strncmp(s, "bucket=", 7)) {
            /* The bucket runs to the next top-level ",bucket=". */
            const char *start = s + 7, *end = start;
            while (*end) {
                end += token_len(end);
                if (!*end || !strncmp(end + 1, "bucket=", 7)) {
                    break;
                }
                end++;
            }
            char *text = xstrndup(start, end - start);
            struct ofp_bucket *b = group_add_bucket(g);
            bool weight_given = false;
            char *error = parse_bucket(text, b, &weight_given);
            free(text);
            if (error) {
                return error;
            }
            if (weight_given && g->type != OFPGT_SELECT && have_type) {
                return xstrdup("Only select groups can have bucket weights.");
            }
            if (!weight_given && g->type == OFPGT_SELECT) {
                b->weight = 1;
            }
            if (g->type == OFPGT_FF && b->watch_port == OFPP_ANY
                && b->watch_group == OFPG_ANY) {
                return xstrdup("fast failover bucket requires watch_port "
                               "or watch_group");
            }
            if (!actions_are_bucket_actions(&b->ofpacts)) {
                return xstrdup("buckets hold actions, not instructions");
            }
            s = end;
        } else {
            char *tok = xstrndup(s, len);
            char *eq = strchr(tok, '=');
            char *error = NULL;
            size_t tlen = strlen(tok);
            if (!strncmp(tok, "fields(", 7) && tok[tlen - 1] == ')') {
                tok[tlen - 1] = '\0';
                error = group_selection_parse(&g->selection, "fields",
                                              tok + 7);
            } else if (!eq) {
                error = xasprintf("%s: field requires a value", tok);
            } else if (*eq = '\0', !strcmp(tok, "group_id")) {
                error = parse_group_id(eq + 1, &g->group_id);
                have_id = true;
            } else if (!strcmp(tok, "type")) {
                if (g->n_buckets) {
                    error = xstrdup("type must come before the buckets");
                } else {
                    error = parse_type(eq + 1, &g->type);
                    have_type = true;
                }
            } else if (!strcmp(tok, "command_bucket_id")) {
                error = parse_command_bucket_id(eq + 1,
                                                &gm->command_bucket_id);
                have_cbid = true;
            } else if (group_selection_is_key(tok)) {
                error = group_selection_parse(&g->selection, tok, eq + 1);
            } else {
                error = xasprintf("%s: unknown group field", tok);
            }
            free(tok);
            if (error) {
                return error;
            }
            s += len;
        }
        if (*s == ',') {
            s++;
        }
    }
    bool bucket_cmd = (gm->command == OFPGC_INSERT_BUCKET
                       || gm->command == OFPGC_REMOVE_BUCKET);
    if (have_cbid && !bucket_cmd) {
        return xstrdup("command bucket id is not needed");
    }
    if (bucket_cmd) {
        /* ovs-ofctl's rules and words. */
        if (!have_cbid && gm->command == OFPGC_INSERT_BUCKET) {
            return xstrdup("must specify a command bucket id");
        }
        if (!have_cbid) {
            gm->command_bucket_id = OFPG_BUCKET_ALL;
        }
        if (gm->command == OFPGC_INSERT_BUCKET
            && gm->command_bucket_id == OFPG_BUCKET_ALL) {
            return xstrdup("command_bucket_id=all is not permitted");
        }
        if (gm->command == OFPGC_REMOVE_BUCKET && g->n_buckets) {
            return xstrdup("bucket is not needed");
        }
        if (have_type) {
            return xstrdup("type is not needed");
        }
        if (!have_id) {
            return xstrdup("must specify a group_id");
        }
        if (g->group_id == OFPG_ALL) {
            return xstrdup("group_id=all is only for deleting groups");
        }
        return NULL;
    }
    if (gm->command == OFPGC_DELETE) {
        if (!have_id) {
            g->group_id = OFPG_ALL;
        }
        if (have_type || g->n_buckets) {
            return xstrdup("del-groups takes only group_id");
        }
        return NULL;
    }
    if (!have_id) {
        return xstrdup("must specify a group_id");
    }
    if (g->group_id == OFPG_ALL) {
        return xstrdup("group_id=all is only for deleting groups");
    }
    if (!have_type) {
        return xstrdup("must specify a type");
    }
    return group_selection_check(&g->selection);
}

char *
ofp_parse_group_mod_str(struct ofp_group_mod *gm, const char *s,
                        uint16_t command)
{
    memset(gm, 0, sizeof *gm);
    gm->command = command;
    return parse_group_str(gm, s);
}

/* ---- Wire. ---- */

static void
put_bucket15(const struct ofp_group *g, const struct ofp_bucket *bk,
             uint8_t version, struct ofpbuf *b)
{
    size_t start = b->size;
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_be32(b, bk->bucket_id);
    ofpacts_put_openflow_actions(&bk->ofpacts, version, b);
    ofpbuf_set_be16(b, start + 2, b->size - start - BUCKET15_LEN);
    if (g->type == OFPGT_SELECT || bk->weight) {
        /* The weight (insert-buckets has no type but may give weights)
         * and padding, which the length counts as Open vSwitch writes
         * it. */
        ofpbuf_put_be16(b, OFPGBPT15_WEIGHT);
        ofpbuf_put_be16(b, 8);
        ofpbuf_put_be16(b, bk->weight);
        ofpbuf_put_zeros(b, 2);
    }
    if (bk->watch_port != OFPP_ANY) {
        ofpbuf_put_be16(b, OFPGBPT15_WATCH_PORT);
        ofpbuf_put_be16(b, 8);
        ofpbuf_put_be32(b, bk->watch_port);
    }
    if (bk->watch_group != OFPG_ANY) {
        ofpbuf_put_be16(b, OFPGBPT15_WATCH_GROUP);
        ofpbuf_put_be16(b, 8);
        ofpbuf_put_be32(b, bk->watch_group);
    }
    ofpbuf_set_be16(b, start, b->size - start);
}

static void
put_buckets(const struct ofp_group *g, uint8_t version, struct ofpbuf *b)
{
    for (size_t i = 0; i < g->n_buckets; i++) {
        const struct ofp_bucket *bk = &g->buckets[i];
        if (layout15(version)) {
            put_bucket15(g, bk, version, b);
            continue;
        }
        size_t start = b->size;
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_be16(b, bk->weight);
        ofpbuf_put_be32(b, bk->watch_port);
        ofpbuf_put_be32(b, bk->watch_group);
        ofpbuf_put_zeros(b, 4);
        ofpacts_put_openflow_actions(&bk->ofpacts, version, b);
        ofpbuf_set_be16(b, start, b->size - start);
    }
}

/* One OpenFlow 1.5 bucket of 'blen' bytes at 'p' into 'b'. */
static enum ofperr
pull_bucket15(const uint8_t *p, size_t blen, uint8_t version,
              const struct ofp_group *g, struct ofp_bucket *b)
{
    uint16_t alen = get_be16(p + 2);
    if (alen > blen - BUCKET15_LEN) {
        return OFPERR_OFPGMFC_BAD_BUCKET;
    }
    b->bucket_id = get_be32(p + 4);
    b->weight = g->type == OFPGT_SELECT ? 1 : 0;
    enum ofperr error = ofpacts_pull_openflow_actions(p + BUCKET15_LEN, alen,
                                                      version, &b->ofpacts);
    if (error) {
        return error;
    }
    const uint8_t *prop = p + BUCKET15_LEN + alen;
    size_t left = blen - BUCKET15_LEN - alen;
    while (left > 0) {
        uint16_t plen = left >= 4 ? get_be16(prop + 2) : 0;
        size_t padded = (plen + 7) / 8 * 8;
        if (plen < 4 || padded > left) {
            return OFPERR_OFPGMFC_BAD_BUCKET;
        }
        uint16_t type = get_be16(prop);
        if (type == OFPGBPT15_WEIGHT && plen >= 6) {
            b->weight = get_be16(prop + 4);
        } else if (type == OFPGBPT15_WATCH_PORT && plen >= 8) {
            b->watch_port = get_be32(prop + 4);
        } else if (type == OFPGBPT15_WATCH_GROUP && plen >= 8) {
            b->watch_group = get_be32(prop + 4);
        } else {
            return OFPERR_OFPGMFC_BAD_BUCKET;
        }
        prop += padded;
        left -= padded;
    }
    return 0;
}

/* OpenFlow 1.5 group properties after the buckets: the selection method;
 * others are ignored. */
static enum ofperr
pull_group_props(const uint8_t *p, size_t len, struct ofp_group *g)
{
    while (len > 0) {
        uint16_t plen = len >= 4 ? get_be16(p + 2) : 0;
        size_t padded = (plen + 7) / 8 * 8;
        if (plen < 4 || padded > len) {
            return OFPERR_OFPBPC_BAD_LEN;
        }
        if (group_selection_is_prop(p, plen)) {
            enum ofperr error = group_selection_pull(&g->selection, g->type,
                                                     p, plen);
            if (error) {
                return error;
            }
        }
        p += padded;
        len -= padded;
    }
    return 0;
}

static enum ofperr
pull_buckets(const uint8_t *p, size_t len, uint8_t version,
             struct ofp_group *g)
{
    size_t min = layout15(version) ? BUCKET15_LEN : BUCKET_LEN;
    while (len > 0) {
        if (len < min) {
            return OFPERR_OFPGMFC_BAD_BUCKET;
        }
        uint16_t blen = get_be16(p);
        if (blen < min || blen % 8 || blen > len) {
            return OFPERR_OFPGMFC_BAD_BUCKET;
        }
        struct ofp_bucket *b = group_add_bucket(g);
        enum ofperr error;
        if (layout15(version)) {
            error = pull_bucket15(p, blen, version, g, b);
        } else {
            b->weight = get_be16(p + 2);
            b->watch_port = get_be32(p + 4);
            b->watch_group = get_be32(p + 8);
            error = ofpacts_pull_openflow_actions(
                p + BUCKET_LEN, blen - BUCKET_LEN, version, &b->ofpacts);
        }
        if (error) {
            return error;
        }
        p += blen;
        len -= blen;
    }
    return 0;
}

struct ofpbuf *
ofp_encode_group_mod(const struct ofp_group_mod *gm, uint8_t version,
                     uint32_t xid)
{
    if (!version_has_groups(version)
        || ((gm->command == OFPGC_INSERT_BUCKET
             || gm->command == OFPGC_REMOVE_BUCKET)
            && !layout15(version))) {
        return NULL;
    }
    struct ofpbuf *b = ofpraw_alloc(OFPTYPE_GROUP_MOD, version, xid, 64);
    ofpbuf_put_be16(b, gm->command);
    ofpbuf_put_u8(b, gm->group.type);
    ofpbuf_put_u8(b, 0);
    ofpbuf_put_be32(b, gm->group.group_id);
    if (layout15(version)) {
        size_t start = b->size;
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_zeros(b, 2);
        ofpbuf_put_be32(b, (gm->command == OFPGC_INSERT_BUCKET
                               || gm->command == OFPGC_REMOVE_BUCKET
                               ? gm->command_bucket_id : OFPG_BUCKET_ALL));
        put_buckets(&gm->group, version, b);
        ofpbuf_set_be16(b, start, b->size - start - 8);
        group_selection_put(&gm->group.selection, b);
    } else {
        put_buckets(&gm->group, version, b);
    }
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_decode_group_mod(const struct ofp_msg_info *info,
                     struct ofp_group_mod *gm)
{
    memset(gm, 0, sizeof *gm);
    gm->command = get_be16(info->body);
    gm->group.type = info->body[2];
    gm->group.group_id = get_be32(info->body + 4);
    gm->command_bucket_id = OFPG_BUCKET_ALL;
    if (gm->command > OFPGC_DELETE && gm->command != OFPGC_ADD_OR_MOD
        && !layout15(info->version)) {
        return OFPERR_OFPGMFC_BAD_COMMAND;
    }
    if (layout15(info->version)) {
        /* Group properties follow the buckets. */
        uint16_t blen = get_be16(info->body + 8);
        gm->command_bucket_id = get_be32(info->body + 12);
        uint32_t cbid = gm->command_bucket_id;
        if (gm->command == OFPGC_INSERT_BUCKET
            && cbid > OFPG_BUCKET_MAX && cbid != OFPG_BUCKET_FIRST
            && cbid != OFPG_BUCKET_LAST) {
            return OFPERR_OFPGMFC_BAD_COMMAND;
        }
        if (blen > info->body_len - 16) {
            return OFPERR_OFPGMFC_BAD_BUCKET;
        }
        enum ofperr error = pull_buckets(info->body + 16, blen,
                                         info->version, &gm->group);
        return (error ? error
                : pull_group_props(info->body + 16 + blen,
                                   info->body_len - 16 - blen, &gm->group));
    }
    return pull_buckets(info->body + 8, info->body_len - 8, info->version,
                        &gm->group);
}

/* Multipart replies split below 64 kB; 'entry' is one encoded entry. */
static void
mp_put_entry(struct ofpbuf **bp, const struct ofpbuf *entry,
             enum ofptype type, const struct ofp_msg_info *request,
             struct ofpbuf_vec *out)
{
    if ((*bp)->size + entry->size > OFP_MAX_MSG_LEN) {
        ofpbuf_set_be16(*bp, 10, OFPMPF_REPLY_MORE);
        ofpmsg_update_length(*bp);
        ofpbuf_vec_push(out, *bp);
        *bp = ofpraw_alloc_reply(type, request, 0);
    }
    ofpbuf_put(*bp, entry->data, entry->size);
}

void
ofp_encode_group_desc_reply(const struct ofp_group *groups, size_t n,
                            const struct ofp_msg_info *request,
                            struct ofpbuf_vec *out)
{
    struct ofpbuf *b = ofpraw_alloc_reply(OFPTYPE_GROUP_DESC_STATS_REPLY,
                                          request, 0);
    struct ofpbuf entry;
    ofpbuf_init(&entry, 256);
    for (size_t i = 0; i < n; i++) {
        ofpbuf_clear(&entry);
        ofpbuf_put_be16(&entry, 0);
        ofpbuf_put_u8(&entry, groups[i].type);
        ofpbuf_put_u8(&entry, 0);
        ofpbuf_put_be32(&entry, groups[i].group_id);
        if (layout15(request->version)) {
            ofpbuf_put_zeros(&entry, 8);
            put_buckets(&groups[i], request->version, &entry);
            ofpbuf_set_be16(&entry, 8, entry.size - GROUP_DESC15_LEN);
            group_selection_put(&groups[i].selection, &entry);
        } else {
            put_buckets(&groups[i], request->version, &entry);
        }
        ofpbuf_set_be16(&entry, 0, entry.size);
        mp_put_entry(&b, &entry, OFPTYPE_GROUP_DESC_STATS_REPLY, request,
                     out);
    }
    ofpbuf_uninit(&entry);
    ofpmsg_update_length(b);
    ofpbuf_vec_push(out, b);
}

enum ofperr
ofp_decode_group_desc_reply(const struct ofp_msg_info *info,
                            struct ofp_group **groups, size_t *n)
{
    const uint8_t *p = info->body;
    size_t len = info->body_len;
    bool of15 = layout15(info->version);
    size_t fixed = of15 ? GROUP_DESC15_LEN : GROUP_DESC_LEN;
    while (len > 0) {
        uint16_t elen = len >= fixed ? get_be16(p) : 0;
        if (elen < fixed || elen % 8 || elen > len
            || (of15 && get_be16(p + 8) > elen - fixed)) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        *groups = xrealloc(*groups, (*n + 1) * sizeof **groups);
        struct ofp_group *g = &(*groups)[(*n)++];
        memset(g, 0, sizeof *g);
        g->type = p[2];
        g->group_id = get_be32(p + 4);
        size_t blen = of15 ? get_be16(p + 8) : elen - fixed;
        enum ofperr error = pull_buckets(p + fixed, blen, info->version, g);
        if (!error && of15) {
            error = pull_group_props(p + fixed + blen, elen - fixed - blen,
                                     g);
        }
        if (error) {
            return error;
        }
        p += elen;
        len -= elen;
    }
    return 0;
}

struct ofpbuf *
ofp_encode_group_desc_request(uint32_t group_id, uint8_t version,
                              uint32_t xid)
{
    struct ofpbuf *b = ofpraw_alloc(OFPTYPE_GROUP_DESC_STATS_REQUEST,
                                    version, xid, 8);
    if (b && layout15(version)) {
        ofpbuf_put_be32(b, group_id);
        ofpbuf_put_zeros(b, 4);
        ofpmsg_update_length(b);
    }
    return b;
}

enum ofperr
ofp_decode_group_desc_request(const struct ofp_msg_info *info,
                              uint32_t *group_id)
{
    *group_id = (layout15(info->version) ? get_be32(info->body)
                 : OFPG_ALL);
    return 0;
}

struct ofpbuf *
ofp_encode_group_stats_request(uint32_t group_id, uint8_t version,
                               uint32_t xid)
{
    struct ofpbuf *b = ofpraw_alloc(OFPTYPE_GROUP_STATS_REQUEST, version,
                                    xid, 8);
    if (b) {
        ofpbuf_put_be32(b, group_id);
        ofpbuf_put_zeros(b, 4);
        ofpmsg_update_length(b);
    }
    return b;
}

enum ofperr
ofp_decode_group_stats_request(const struct ofp_msg_info *info,
                               uint32_t *group_id)
{
    *group_id = get_be32(info->body);
    return 0;
}

void
ofp_encode_group_stats_reply(const struct ofp_group_stats *gs, size_t n,
                             const struct ofp_msg_info *request,
                             struct ofpbuf_vec *out)
{
    struct ofpbuf *b = ofpraw_alloc_reply(OFPTYPE_GROUP_STATS_REPLY,
                                          request, 0);
    struct ofpbuf entry;
    ofpbuf_init(&entry, 128);
    for (size_t i = 0; i < n; i++) {
        const struct ofp_group_stats *g = &gs[i];
        ofpbuf_clear(&entry);
        ofpbuf_put_be16(&entry, GROUP_STATS_LEN
                                + g->n_buckets * BUCKET_COUNTER_LEN);
        ofpbuf_put_zeros(&entry, 2);
        ofpbuf_put_be32(&entry, g->group_id);
        ofpbuf_put_be32(&entry, g->ref_count);
        ofpbuf_put_zeros(&entry, 4);
        ofpbuf_put_be64(&entry, g->packet_count);
        ofpbuf_put_be64(&entry, g->byte_count);
        ofpbuf_put_be32(&entry, g->duration_sec);
        ofpbuf_put_be32(&entry, g->duration_nsec);
        for (size_t j = 0; j < g->n_buckets; j++) {
            ofpbuf_put_be64(&entry, g->buckets[j].packet_count);
            ofpbuf_put_be64(&entry, g->buckets[j].byte_count);
        }
        mp_put_entry(&b, &entry, OFPTYPE_GROUP_STATS_REPLY, request, out);
    }
    ofpbuf_uninit(&entry);
    ofpmsg_update_length(b);
    ofpbuf_vec_push(out, b);
}

enum ofperr
ofp_decode_group_stats_reply(const struct ofp_msg_info *info,
                             struct ofp_group_stats **gsp, size_t *n)
{
    const uint8_t *p = info->body;
    size_t len = info->body_len;
    while (len > 0) {
        uint16_t elen = len >= GROUP_STATS_LEN ? get_be16(p) : 0;
        if (elen < GROUP_STATS_LEN || elen > len
            || (elen - GROUP_STATS_LEN) % BUCKET_COUNTER_LEN) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        *gsp = xrealloc(*gsp, (*n + 1) * sizeof **gsp);
        struct ofp_group_stats *g = &(*gsp)[(*n)++];
        g->group_id = get_be32(p + 4);
        g->ref_count = get_be32(p + 8);
        g->packet_count = get_be64(p + 16);
        g->byte_count = get_be64(p + 24);
        g->duration_sec = get_be32(p + 32);
        g->duration_nsec = get_be32(p + 36);
        g->n_buckets = (elen - GROUP_STATS_LEN) / BUCKET_COUNTER_LEN;
        g->buckets = xcalloc(g->n_buckets ? g->n_buckets : 1,
                             sizeof *g->buckets);
        for (size_t j = 0; j < g->n_buckets; j++) {
            const uint8_t *c = p + GROUP_STATS_LEN + j * BUCKET_COUNTER_LEN;
            g->buckets[j].packet_count = get_be64(c);
            g->buckets[j].byte_count = get_be64(c + 8);
        }
        p += elen;
        len -= elen;
    }
    return 0;
}

void
ofp_group_stats_free(struct ofp_group_stats *gs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(gs[i].buckets);
    }
    free(gs);
}

struct ofpbuf *
ofp_encode_group_features_reply(const struct ofp_group_features *f,
                                const struct ofp_msg_info *request)
{
    struct ofpbuf *b = ofpraw_alloc_reply(OFPTYPE_GROUP_FEATURES_STATS_REPLY,
                                          request, 40);
    ofpbuf_put_be32(b, f->types);
    ofpbuf_put_be32(b, f->capabilities);
    for (int i = 0; i < 4; i++) {
        ofpbuf_put_be32(b, f->max_groups[i]);
    }
    for (int i = 0; i < 4; i++) {
        ofpbuf_put_be32(b, f->actions[i]);
    }
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_decode_group_features_reply(const struct ofp_msg_info *info,
                                struct ofp_group_features *f)
{
    const uint8_t *p = info->body;
    f->types = get_be32(p);
    f->capabilities = get_be32(p + 4);
    for (int i = 0; i < 4; i++) {
        f->max_groups[i] = get_be32(p + 8 + 4 * i);
        f->actions[i] = get_be32(p + 24 + 4 * i);
    }
    return 0;
}

/* ---- Printing. ---- */

static void
print_group_id(uint32_t id, struct ds *s)
{
    if (id == OFPG_ALL) {
        ds_put_cstr(s, "ALL");
    } else {
        ds_put_format(s, "%"PRIu32, id);
    }
}

/* "command_bucket_id:first,group_id=1,bucket=bucket_id:5,actions=..." as
 * ovs-ofctl prints insert and remove-bucket (no type: they carry none). */
static void
ofp_group_bucket_cmd_format(const struct ofp_group_mod *gm, struct ds *s)
{
    static const char *const names[] = { "first", "last", "all" };
    uint32_t id = gm->command_bucket_id;
    ds_put_cstr(s, "command_bucket_id:");
    if (id >= OFPG_BUCKET_FIRST) {
        ds_put_cstr(s, names[id - OFPG_BUCKET_FIRST]);
    } else {
        ds_put_format(s, "%"PRIu32, id);
    }
    ds_put_format(s, ",group_id=%"PRIu32, gm->group.group_id);
    format_buckets(&gm->group, true, s);
}

/* The actions of group features: each one's bit in OpenFlow 1.0's
 * bitmap (its OFPAT10_* number) and in 1.3's (OFPAT_*), -1 if that
 * version has none, in the order ovs-ofctl prints them and with its
 * names; 'ours' marks what the switch's buckets do. */
static const struct {
    const char *name;
    int of10_bit, of13_bit;
    bool ours;
} feature_actions[] = {
    { "output", 0, 0, true },
    { "group", -1, 22, true },
    { "enqueue", 11, -1, false },
    { "set_field", -1, 25, true },
    { "set_vlan_vid", 1, -1, true },
    { "set_vlan_pcp", 2, -1, true },
    { "strip_vlan", 3, 18, true },
    { "push_vlan", -1, 17, true },
    { "mod_dl_src", 4, -1, true },
    { "mod_dl_dst", 5, -1, true },
    { "mod_nw_src", 6, -1, true },
    { "mod_nw_dst", 7, -1, true },
    { "mod_nw_tos", 8, -1, true },
    { "mod_nw_ttl", -1, 23, false },
    { "mod_tp_src", 9, -1, true },
    { "mod_tp_dst", 10, -1, true },
    { "dec_ttl", -1, 24, true },
    { "dec_mpls_ttl", -1, 16, false },
    { "push_mpls", -1, 19, false },
    { "pop_mpls", -1, 20, false },
    { "set_queue", -1, 21, false },
};

static int
feature_action_bit(size_t i, uint8_t version)
{
    return (version == OFP10_VERSION ? feature_actions[i].of10_bit
            : feature_actions[i].of13_bit);
}

uint32_t
ofp_group_features_actions(uint8_t version)
{
    uint32_t bits = 0;
    for (size_t i = 0; i < ARRAY_SIZE(feature_actions); i++) {
        int bit = feature_action_bit(i, version);
        if (feature_actions[i].ours && bit >= 0) {
            bits |= 1u << bit;
        }
    }
    return bits;
}

static void
print_features(const struct ofp_group_features *f, uint8_t version,
               struct ds *s)
{
    static const char *const names[] = {
        "all", "select", "indirect", "fast failover",
    };
    ds_put_format(s, "\n Group table:\n    Types:  0x%"PRIx32"\n"
                  "    Capabilities:  0x%"PRIx32"\n", f->types,
                  f->capabilities);
    for (int t = 0; t < 4; t++) {
        if (!(f->types & (1u << t))) {
            continue;
        }
        ds_put_format(s, "    %s group:\n       max_groups=%#"PRIx32"\n"
                      "       actions:", names[t], f->max_groups[t]);
        for (size_t i = 0; i < ARRAY_SIZE(feature_actions); i++) {
            int bit = feature_action_bit(i, version);
            if (bit >= 0 && f->actions[t] & (1u << bit)) {
                ds_put_format(s, " %s", feature_actions[i].name);
            }
        }
        ds_put_char(s, '\n');
    }
}

void
ofp_group_print(struct ds *s, const struct ofp_msg_info *info)
{
    enum ofperr error = 0;
    switch (info->type) {
    case OFPTYPE_GROUP_MOD: {
        static const char *const commands[] = {
            "ADD", "MOD", "DEL", "INSERT_BUCKET", NULL, "REMOVE_BUCKET",
        };
        struct ofp_group_mod gm;
        error = ofp_decode_group_mod(info, &gm);
        if (!error) {
            ds_put_cstr(s, "\n ");
            if (gm.command < ARRAY_SIZE(commands) && commands[gm.command]) {
                ds_put_format(s, "%s ", commands[gm.command]);
            } else if (gm.command == OFPGC_ADD_OR_MOD) {
                ds_put_cstr(s, "ADD_OR_MOD ");
            } else {
                ds_put_format(s, "cmd:%"PRIu16" ", gm.command);
            }
            if (gm.command == OFPGC_INSERT_BUCKET
                       || gm.command == OFPGC_REMOVE_BUCKET) {
                ofp_group_bucket_cmd_format(&gm, s);
            } else {
                ofp_group_format(&gm.group,
                                 layout15(info->version), s);
            }
            ds_put_char(s, '\n');
        }
        ofp_group_uninit(&gm.group);
        break;
    }
    case OFPTYPE_GROUP_DESC_STATS_REQUEST:
    case OFPTYPE_GROUP_STATS_REQUEST: {
        uint32_t id;
        error = (info->type == OFPTYPE_GROUP_STATS_REQUEST
                 ? ofp_decode_group_stats_request(info, &id)
                 : ofp_decode_group_desc_request(info, &id));
        if (info->type == OFPTYPE_GROUP_DESC_STATS_REQUEST
            && !layout15(info->version)) {
            ds_put_char(s, '\n');
        } else if (!error) {
            ds_put_cstr(s, " group_id=");
            print_group_id(id, s);
            ds_put_char(s, '\n');
        }
        break;
    }
    case OFPTYPE_GROUP_STATS_REPLY: {
        struct ofp_group_stats *gs = NULL;
        size_t n = 0;
        error = ofp_decode_group_stats_reply(info, &gs, &n);
        if (!error) {
            ds_put_char(s, '\n');
            for (size_t i = 0; i < n; i++) {
                const struct ofp_group_stats *g = &gs[i];
                ds_put_format(s, " group_id=%"PRIu32",duration=%"PRIu32
                              ".%03"PRIu32"s,ref_count=%"PRIu32
                              ",packet_count=%"PRIu64",byte_count=%"PRIu64,
                              g->group_id, g->duration_sec,
                              g->duration_nsec / 1000000, g->ref_count,
                              g->packet_count, g->byte_count);
                for (size_t j = 0; j < g->n_buckets; j++) {
                    ds_put_format(s, ",bucket%zu:packet_count=%"PRIu64
                                  ",byte_count=%"PRIu64, j,
                                  g->buckets[j].packet_count,
                                  g->buckets[j].byte_count);
                }
                ds_put_char(s, '\n');
            }
        }
        ofp_group_stats_free(gs, n);
        break;
    }
    case OFPTYPE_GROUP_DESC_STATS_REPLY: {
        struct ofp_group *groups = NULL;
        size_t n = 0;
        error = ofp_decode_group_desc_reply(info, &groups, &n);
        if (!error) {
            ds_put_char(s, '\n');
            for (size_t i = 0; i < n; i++) {
                ds_put_char(s, ' ');
                ofp_group_format(&groups[i],
                                 layout15(info->version), s);
                ds_put_char(s, '\n');
            }
        }
        ofp_groups_free(groups, n);
        break;
    }
    case OFPTYPE_GROUP_FEATURES_STATS_REPLY: {
        struct ofp_group_features f;
        error = ofp_decode_group_features_reply(info, &f);
        if (!error) {
            print_features(&f, info->version, s);
        }
        break;
    }
    default:
        ds_put_char(s, '\n');
        break;
    }
    if (error) {
        ds_put_format(s, " ***decode error: %s***\n", ofperr_get_name(error));
    }
}
