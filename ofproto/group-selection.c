/* group-selection: the select-group selection method property, its text,
 * its wire form and the hashes it chooses. */
#include <config.h>
#include "group-selection.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "flow-wildcards.h"
#include "ofp-group.h"
#include "ofpbuf.h"
#include "packets.h"

#define NTR_VENDOR_ID 0x0000154d
#define NTRT_SELECTION_METHOD 1
#define OFPGPT15_EXPERIMENTER 0xffff
/* type, length, experimenter, exp_type, pad, method, param. */
#define PROP_FIXED_LEN 40

void
group_selection_uninit(struct group_selection *gs)
{
    free(gs->fields);
    gs->fields = NULL;
    gs->n_fields = 0;
}

void
group_selection_clone(struct group_selection *dst,
                      const struct group_selection *src)
{
    *dst = *src;
    dst->fields = (src->n_fields
                   ? xmemdup(src->fields, src->n_fields * sizeof *src->fields)
                   : NULL);
}

bool
group_selection_is_set(const struct group_selection *gs)
{
    return gs->method[0] || gs->param || gs->n_fields;
}

/* ---- Text. ---- */

bool
group_selection_is_key(const char *key)
{
    return (!strcmp(key, "selection_method")
            || !strcmp(key, "selection_method_param")
            || !strcmp(key, "fields"));
}

/* Adds 'id' with 'mask', keeping the registry's order; a field named
 * twice keeps its last mask. */
static void
add_field(struct group_selection *gs, enum mf_field_id id,
          const union mf_value *mask)
{
    size_t i = 0;
    while (i < gs->n_fields && gs->fields[i].id < id) {
        i++;
    }
    if (i < gs->n_fields && gs->fields[i].id == id) {
        gs->fields[i].mask = *mask;
        return;
    }
    gs->fields = xrealloc(gs->fields, (gs->n_fields + 1) * sizeof *gs->fields);
    memmove(&gs->fields[i + 1], &gs->fields[i],
            (gs->n_fields - i) * sizeof *gs->fields);
    gs->n_fields++;
    gs->fields[i].id = id;
    gs->fields[i].mask = *mask;
}

/* One "field" or "field=mask". */
static char *
parse_field(struct group_selection *gs, const char *s)
{
    const char *eq = strchr(s, '=');
    size_t len = eq ? (size_t) (eq - s) : strlen(s);
    const struct mf_field *mf = mf_from_name_len(s, len);
    if (!mf) {
        return xasprintf("%.*s: unknown field", (int) len, s);
    }
    union mf_value mask;
    if (eq) {
        char *error = mf_parse_value(mf, eq + 1, &mask);
        if (error) {
            return error;
        }
    } else {
        mf_exact_mask(mf, &mask);
    }
    if (gs->n_fields >= GROUP_SELECTION_MAX_FIELDS) {
        return xstrdup("too many selection fields");
    }
    add_field(gs, mf->id, &mask);
    return NULL;
}

char *
group_selection_parse(struct group_selection *gs, const char *key,
                      const char *value)
{
    if (!strcmp(key, "selection_method")) {
        if (strlen(value) >= GROUP_SELECTION_METHOD_LEN) {
            return xstrdup("selection method is longer than 15 bytes long");
        }
        strcpy(gs->method, value);
        return NULL;
    }
    if (!strcmp(key, "selection_method_param")) {
        unsigned long long param;
        if (!str_to_ullong(value, 0, &param)) {
            return xasprintf("%s: invalid selection_method_param", value);
        }
        gs->param = param;
        return NULL;
    }
    char *copy = xstrdup(value), *save = NULL;
    char *error = NULL;
    for (char *f = strtok_r(copy, ", ", &save); f && !error;
         f = strtok_r(NULL, ", ", &save)) {
        error = parse_field(gs, f);
    }
    free(copy);
    return error;
}

char *
group_selection_check(const struct group_selection *gs)
{
    if (gs->n_fields && strcmp(gs->method, "hash")) {
        return xstrdup("fields may only be specified with "
                       "\"selection_method=hash\"");
    }
    if (gs->param && !gs->method[0]) {
        return xstrdup("selection_method_param is only allowed with "
                       "\"selection_method\"");
    }
    return NULL;
}

static void
format_field(const struct group_selection_field *f, struct ds *s)
{
    const struct mf_field *mf = mf_from_id(f->id);
    ds_put_cstr(s, mf->name);
    if (!mf_is_mask_exact(mf, &f->mask)) {
        ds_put_char(s, '=');
        mf_format(mf, &f->mask, NULL, s);
    }
}

void
group_selection_format(const struct group_selection *gs, struct ds *s)
{
    if (gs->method[0]) {
        ds_put_format(s, ",selection_method=%s", gs->method);
    }
    if (gs->param) {
        ds_put_format(s, ",selection_method_param=%"PRIu64, gs->param);
    }
    if (gs->n_fields == 1) {
        ds_put_cstr(s, ",fields=");
        format_field(&gs->fields[0], s);
    } else if (gs->n_fields > 1) {
        ds_put_cstr(s, ",fields(");
        for (size_t i = 0; i < gs->n_fields; i++) {
            if (i) {
                ds_put_char(s, ',');
            }
            format_field(&gs->fields[i], s);
        }
        ds_put_char(s, ')');
    }
}

/* ---- Wire. ---- */

void
group_selection_put(const struct group_selection *gs, struct ofpbuf *b)
{
    if (!gs->method[0]) {
        return;
    }
    size_t start = b->size;
    ofpbuf_put_be16(b, OFPGPT15_EXPERIMENTER);
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_be32(b, NTR_VENDOR_ID);
    ofpbuf_put_be32(b, NTRT_SELECTION_METHOD);
    ofpbuf_put_zeros(b, 4);
    ofpbuf_put(b, gs->method, GROUP_SELECTION_METHOD_LEN);
    ofpbuf_put_be64(b, gs->param);
    /* Each field: its OXM header without the mask bit, then the mask. */
    for (size_t i = 0; i < gs->n_fields; i++) {
        const struct mf_field *mf = mf_from_id(gs->fields[i].id);
        uint16_t class_;
        uint8_t field;
        if (mf_oxm_code(mf, &class_, &field)) {
            ofpbuf_put_be32(b, MF_HEADER(class_, field, 0, mf->n_bytes));
            ofpbuf_put(b, &gs->fields[i].mask, mf->n_bytes);
        }
    }
    ofpbuf_set_be16(b, start + 2, b->size - start);
    ofpbuf_put_zeros(b, (8 - (b->size - start) % 8) % 8);
}

bool
group_selection_is_prop(const uint8_t *p, size_t len)
{
    return (len >= 12 && get_be16(p) == OFPGPT15_EXPERIMENTER
            && get_be32(p + 4) == NTR_VENDOR_ID
            && get_be32(p + 8) == NTRT_SELECTION_METHOD);
}

enum ofperr
group_selection_pull(struct group_selection *gs, uint8_t group_type,
                     const uint8_t *p, size_t len)
{
    if (len < PROP_FIXED_LEN) {
        return OFPERR_OFPBPC_BAD_LEN;
    }
    if (group_type != OFPGT_SELECT) {
        return OFPERR_OFPBPC_BAD_VALUE;
    }
    const char *method = (const char *) p + 16;
    if (!memchr(method, '\0', GROUP_SELECTION_METHOD_LEN)
        || (strcmp(method, "hash") && strcmp(method, "dp_hash"))) {
        return OFPERR_OFPBPC_BAD_VALUE;
    }
    group_selection_uninit(gs);
    memcpy(gs->method, method, GROUP_SELECTION_METHOD_LEN);
    gs->param = get_be64(p + 32);

    p += PROP_FIXED_LEN;
    len -= PROP_FIXED_LEN;
    while (len > 0) {
        uint32_t header = len >= 4 ? get_be32(p) : 0;
        const struct mf_field *mf = (header
                                     ? mf_from_oxm(MF_HEADER_CLASS(header),
                                                   MF_HEADER_FIELD(header))
                                     : NULL);
        if (!mf || MF_HEADER_HASMASK(header)
            || MF_HEADER_LENGTH(header) != mf->n_bytes
            || len < 4 + mf->n_bytes
            || gs->n_fields >= GROUP_SELECTION_MAX_FIELDS
            || strcmp(gs->method, "hash")) {
            group_selection_uninit(gs);
            return OFPERR_OFPBPC_BAD_VALUE;
        }
        union mf_value mask;
        memset(&mask, 0, sizeof mask);
        memcpy(&mask, p + 4, mf->n_bytes);
        add_field(gs, mf->id, &mask);
        p += 4 + mf->n_bytes;
        len -= 4 + mf->n_bytes;
    }
    return 0;
}

/* ---- Hashes. ---- */

/* Every L2–L4 field, source and destination in their places. */
static uint32_t
hash_l2_l4(const struct flow *flow, uint32_t basis)
{
    uint32_t h = hash_bytes(&flow->dl_src, sizeof flow->dl_src, basis);
    h = hash_bytes(&flow->dl_dst, sizeof flow->dl_dst, h);
    h = hash_add(h, flow->dl_type);
    h = hash_add(h, ntohs(flow->vlan_tci) & VLAN_VID_MASK);
    h = hash_add(h, flow->nw_src);
    h = hash_add(h, flow->nw_dst);
    h = hash_bytes(&flow->ipv6_src, sizeof flow->ipv6_src, h);
    h = hash_bytes(&flow->ipv6_dst, sizeof flow->ipv6_dst, h);
    h = hash_add(h, flow->nw_proto);
    h = hash_add(h, ((uint32_t) flow->tp_src << 16) | flow->tp_dst);
    return hash_finish(h, 0);
}

/* The same fields combined so that swapping source and destination gives
 * the same hash; 'l2' leaves out the Ethernet and VLAN fields. */
static uint32_t
hash_symmetric(const struct flow *flow, bool l2, uint32_t basis)
{
    uint32_t h = basis;
    if (l2) {
        uint8_t mac[6];
        for (size_t i = 0; i < 6; i++) {
            mac[i] = flow->dl_src.ea[i] ^ flow->dl_dst.ea[i];
        }
        h = hash_bytes(mac, sizeof mac, h);
        h = hash_add(h, flow->dl_type);
        h = hash_add(h, ntohs(flow->vlan_tci) & VLAN_VID_MASK);
    }
    h = hash_add(h, flow->nw_src ^ flow->nw_dst);
    for (size_t i = 0; i < 16; i++) {
        h = hash_add(h, flow->ipv6_src.s6_addr[i] ^ flow->ipv6_dst.s6_addr[i]);
    }
    h = hash_add(h, flow->nw_proto);
    h = hash_add(h, flow->tp_src ^ flow->tp_dst);
    return hash_finish(h, 0);
}

/* The IP 5-tuple, in its places. */
static uint32_t
hash_5tuple(const struct flow *flow, uint32_t basis)
{
    uint32_t h = hash_add(basis, flow->nw_src);
    h = hash_add(h, flow->nw_dst);
    h = hash_bytes(&flow->ipv6_src, sizeof flow->ipv6_src, h);
    h = hash_bytes(&flow->ipv6_dst, sizeof flow->ipv6_dst, h);
    h = hash_add(h, flow->nw_proto);
    h = hash_add(h, ((uint32_t) flow->tp_src << 16) | flow->tp_dst);
    return hash_finish(h, 0);
}

uint32_t
group_selection_hash(const struct group_selection *gs,
                     const struct flow *flow)
{
    uint32_t basis = (uint32_t) gs->param;
    if (!strcmp(gs->method, "dp_hash")) {
        return (gs->param >> 32 == 1 ? hash_symmetric(flow, false, basis)
                                     : hash_5tuple(flow, basis));
    }
    if (!strcmp(gs->method, "hash")) {
        if (!gs->n_fields) {
            return hash_symmetric(flow, true, basis);
        }
        uint32_t h = hash_add(basis, (uint32_t) (gs->param >> 32));
        for (size_t i = 0; i < gs->n_fields; i++) {
            const struct mf_field *mf = mf_from_id(gs->fields[i].id);
            union mf_value v;
            mf_get_flow_value(mf, flow, &v);
            for (size_t j = 0; j < mf->n_bytes; j++) {
                v.b[j] &= gs->fields[i].mask.b[j];
            }
            h = hash_bytes(&v, mf->n_bytes, h);
        }
        return hash_finish(h, 0);
    }
    return hash_l2_l4(flow, 0);
}

/* The members hash_l2_l4(), hash_symmetric() and hash_5tuple() read. */
static void
unwildcard_l3_l4(struct flow *m)
{
    m->nw_src = m->nw_dst = UINT32_MAX;
    memset(&m->ipv6_src, 0xff, sizeof m->ipv6_src);
    memset(&m->ipv6_dst, 0xff, sizeof m->ipv6_dst);
    m->nw_proto = 0xff;
    m->tp_src = m->tp_dst = 0xffff;
}

static void
unwildcard_l2(struct flow *m)
{
    memset(&m->dl_src, 0xff, sizeof m->dl_src);
    memset(&m->dl_dst, 0xff, sizeof m->dl_dst);
    m->dl_type = 0xffff;
    m->vlan_tci |= htons(VLAN_VID_MASK);
}

void
group_selection_unwildcard(const struct group_selection *gs,
                           struct flow_wildcards *wc)
{
    if (!strcmp(gs->method, "hash") && gs->n_fields) {
        for (size_t i = 0; i < gs->n_fields; i++) {
            flow_wc_field(wc, mf_from_id(gs->fields[i].id),
                          &gs->fields[i].mask);
        }
        return;
    }
    unwildcard_l3_l4(&wc->masks);
    if (strcmp(gs->method, "dp_hash")) {
        unwildcard_l2(&wc->masks);
    }
}
