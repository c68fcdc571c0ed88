/* tlv-map: the per-bridge Geneve option table (see tlv-map.h). */
#include <config.h>
#include "tlv-map.h"

#include <stdlib.h>
#include <string.h>
#include "meta-flow.h"
#include "ofp-actions.h"
#include "ofp-tlv.h"
#include "util.h"

#define BIT(N) (UINT64_C(1) << (N))

void
tlv_map_init(struct tlv_map *map)
{
    memset(map, 0, sizeof *map);
}

/* First fit for 'len' bytes in the option space the map leaves free. */
static bool
allocate(const struct tlv_map *map, unsigned int len, uint8_t *ofs)
{
    bool used[FLOW_TUN_MD_SPACE] = { false };
    for (unsigned int i = 0; i < FLOW_TUN_MD_FIELDS; i++) {
        if (map->mapped & BIT(i)) {
            for (unsigned int j = 0; j < map->layout.len[i]; j++) {
                used[map->layout.ofs[i] + j] = true;
            }
        }
    }
    for (unsigned int start = 0; start + len <= FLOW_TUN_MD_SPACE; start++) {
        unsigned int j = 0;
        while (j < len && !used[start + j]) {
            j++;
        }
        if (j == len) {
            *ofs = start;
            return true;
        }
        start += j;
    }
    return false;
}

static enum ofperr
add(struct tlv_map *map, const struct ofp_tlv_mapping *m)
{
    if (map->mapped & BIT(m->index)) {
        return OFPERR_NXTTMFC_ALREADY_MAPPED;
    }
    for (unsigned int i = 0; i < FLOW_TUN_MD_FIELDS; i++) {
        if (map->mapped & BIT(i) && map->option_class[i] == m->option_class
            && map->option_type[i] == m->option_type) {
            return OFPERR_NXTTMFC_DUP_ENTRY;
        }
    }
    uint8_t ofs = 0;
    if (m->option_len && !allocate(map, m->option_len, &ofs)) {
        return OFPERR_NXTTMFC_TABLE_FULL;
    }
    map->mapped |= BIT(m->index);
    map->option_class[m->index] = m->option_class;
    map->option_type[m->index] = m->option_type;
    map->layout.ofs[m->index] = ofs;
    map->layout.len[m->index] = m->option_len;
    return 0;
}

enum ofperr
tlv_map_mod(struct tlv_map *map, const struct ofp_tlv_table_mod *tm,
            tlv_map_used_cb *used_cb, void *aux)
{
    struct tlv_map new = *map;
    uint64_t removed = 0;
    switch (tm->command) {
    case NXTTMC_ADD:
        for (size_t i = 0; i < tm->n_mappings; i++) {
            enum ofperr error = add(&new, &tm->mappings[i]);
            if (error) {
                return error;
            }
        }
        break;
    case NXTTMC_DELETE:
        for (size_t i = 0; i < tm->n_mappings; i++) {
            removed |= BIT(tm->mappings[i].index) & new.mapped;
        }
        break;
    case NXTTMC_CLEAR:
        removed = new.mapped;
        break;
    default:
        return OFPERR_NXTTMFC_BAD_COMMAND;
    }
    if (removed && used_cb(aux) & removed) {
        return OFPERR_NXTTMFC_INVALID_TLV_DEL;
    }
    for (unsigned int i = 0; i < FLOW_TUN_MD_FIELDS; i++) {
        if (removed & BIT(i)) {
            new.mapped &= ~BIT(i);
            new.layout.ofs[i] = new.layout.len[i] = 0;
        }
    }
    *map = new;
    return 0;
}

void
tlv_map_to_reply(const struct tlv_map *map, struct ofp_tlv_table_reply *tr)
{
    memset(tr, 0, sizeof *tr);
    tr->max_option_space = FLOW_TUN_MD_SPACE;
    tr->max_fields = FLOW_TUN_MD_FIELDS;
    tr->mappings = xmalloc(FLOW_TUN_MD_FIELDS * sizeof *tr->mappings);
    for (unsigned int i = 0; i < FLOW_TUN_MD_FIELDS; i++) {
        if (map->mapped & BIT(i)) {
            tr->mappings[tr->n_mappings++] = (struct ofp_tlv_mapping) {
                .option_class = map->option_class[i],
                .option_type = map->option_type[i],
                .option_len = map->layout.len[i],
                .index = i,
            };
        }
    }
}

enum ofperr
tlv_map_relocate_match(const struct tlv_map *map, struct match *match)
{
    uint64_t present = match->wc.masks.tunnel.md_present;
    if (!present) {
        return 0;
    }
    if (present & ~map->mapped) {
        return OFPERR_NXFMFC_INVALID_TLV_FIELD;
    }
    union mf_value values[FLOW_TUN_MD_FIELDS], masks[FLOW_TUN_MD_FIELDS];
    for (unsigned int i = 0; i < FLOW_TUN_MD_FIELDS; i++) {
        if (present & BIT(i)) {
            const struct mf_field *mf = mf_from_id(MFF_TUN_METADATA0 + i);
            mf_get_flow_value(mf, &match->flow, &values[i]);
            mf_get_mask(mf, &match->wc, &masks[i]);
            /* Exact over the length the value came with is exact over the
             * whole option: 0x1234 for a 4-byte option is 0x00001234. */
            unsigned int len = mf_tun_md_len(mf, &match->flow);
            unsigned int skip = mf->n_bytes - len;
            unsigned int j = 0;
            while (j < len && masks[i].b[skip + j] == 0xff) {
                j++;
            }
            if (j == len) {
                mf_exact_mask(mf, &masks[i]);
            }
            if (mf_tun_md_sig_len(&values[i]) > map->layout.len[i]
                || (!mf_is_mask_exact(mf, &masks[i])
                    && mf_tun_md_sig_len(&masks[i]) > map->layout.len[i])) {
                return OFPERR_OFPBMC_BAD_VALUE;
            }
        }
    }
    struct flow *flows[] = { &match->flow, &match->wc.masks };
    for (size_t j = 0; j < ARRAY_SIZE(flows); j++) {
        memset(flows[j]->tunnel.md, 0, sizeof flows[j]->tunnel.md);
        flows[j]->tunnel.md_present = 0;
        flows[j]->tun_layout = map->layout;
    }
    for (unsigned int i = 0; i < FLOW_TUN_MD_FIELDS; i++) {
        if (present & BIT(i)) {
            const struct mf_field *mf = mf_from_id(MFF_TUN_METADATA0 + i);
            mf_set_flow_value(mf, &masks[i], &match->wc.masks);
            mf_set_flow_value(mf, &values[i], &match->flow);
        }
    }
    match_normalize(match);
    return 0;
}

/* The tun_metadata field 'id' names, as a bit. */
static uint64_t
field_bit(enum mf_field_id id)
{
    return (id >= MFF_TUN_METADATA0 && id <= MFF_TUN_METADATA63
            ? BIT(id - MFF_TUN_METADATA0) : 0);
}

static uint64_t
ofpacts_fields(const struct ofpacts *ofpacts)
{
    uint64_t bits = 0;
    for (size_t i = 0; ofpacts && i < ofpacts->n; i++) {
        const struct ofpact *a = &ofpacts->acts[i];
        switch (a->type) {
        case OFPACT_SET_FIELD:
            bits |= field_bit(a->set_field.field);
            break;
        case OFPACT_REG_LOAD:
            bits |= field_bit(a->reg_load.dst.field);
            break;
        case OFPACT_REG_MOVE:
            bits |= field_bit(a->reg_move.src.field);
            bits |= field_bit(a->reg_move.dst.field);
            break;
        case OFPACT_STACK_PUSH:
        case OFPACT_STACK_POP:
            bits |= field_bit(a->stack.sf.field);
            break;
        case OFPACT_OUTPUT_REG:
            bits |= field_bit(a->output_reg.src.field);
            break;
        case OFPACT_DELETE_FIELD:
            bits |= field_bit(a->delete_field.field);
            break;
        default:
            break;
        }
    }
    return bits;
}

uint64_t
tlv_map_fields_used(const struct match *match, const struct ofpacts *ofpacts)
{
    return match->wc.masks.tunnel.md_present | ofpacts_fields(ofpacts);
}

/* Whether the bits 'sf' names lie within the option the map gives its
 * field (true for every other field). */
static bool
subfield_within_option(const struct tlv_map *map,
                       const struct mf_subfield *sf)
{
    return (!field_bit(sf->field)
            || (sf->ofs + sf->n_bits
                <= 8 * map->layout.len[sf->field - MFF_TUN_METADATA0]));
}

/* Bit copies (move, push, pop, output from a field) reaching past the
 * option: Open vSwitch refuses those with OFPBAC_BAD_SET_LEN (a load or
 * set_field there is trimmed instead, tlv_map_trim_set_fields()). */
static bool
copies_within_options(const struct tlv_map *map,
                      const struct ofpacts *ofpacts)
{
    for (size_t i = 0; ofpacts && i < ofpacts->n; i++) {
        const struct ofpact *a = &ofpacts->acts[i];
        const struct mf_subfield *sf[2] = { NULL, NULL };
        switch (a->type) {
        case OFPACT_REG_MOVE:
            sf[0] = &a->reg_move.src;
            sf[1] = &a->reg_move.dst;
            break;
        case OFPACT_STACK_PUSH:
        case OFPACT_STACK_POP:
            sf[0] = &a->stack.sf;
            break;
        case OFPACT_OUTPUT_REG:
            sf[0] = &a->output_reg.src;
            break;
        default:
            break;
        }
        for (size_t j = 0; j < 2; j++) {
            if (sf[j] && !subfield_within_option(map, sf[j])) {
                return false;
            }
        }
    }
    return true;
}

/* Drops the 'n' low bytes of 'v', a tun_metadata value (right-aligned). */
static void
drop_low_bytes(union mf_value *v, unsigned int n)
{
    memmove(&v->b[n], &v->b[0], FLOW_TUN_MD_MAX_LEN - n);
    memset(&v->b[0], 0, n);
}

void
tlv_map_trim_set_fields(const struct tlv_map *map, struct ofpacts *ofpacts)
{
    for (size_t i = 0; ofpacts && i < ofpacts->n; i++) {
        struct ofpact *a = &ofpacts->acts[i];
        uint64_t bit = (a->type == OFPACT_SET_FIELD
                        ? field_bit(a->set_field.field) : 0);
        if (!bit || !(map->mapped & bit)) {
            continue;
        }
        const struct mf_field *mf = mf_from_id(a->set_field.field);
        unsigned int option_len = map->layout.len[a->set_field.field
                                                  - MFF_TUN_METADATA0];
        bool exact = mf_is_mask_exact(mf, &a->set_field.mask);
        unsigned int len = mf_tun_md_sig_len(&a->set_field.value);
        if (!exact) {
            len = XVS_MAX(len, mf_tun_md_sig_len(&a->set_field.mask));
        }
        if (len <= option_len) {
            continue;
        }
        drop_low_bytes(&a->set_field.value, len - option_len);
        if (!exact) {
            drop_low_bytes(&a->set_field.mask, len - option_len);
            /* All ones over the option is the whole option. */
            unsigned int j = 0;
            while (j < option_len
                   && a->set_field.mask.b[FLOW_TUN_MD_MAX_LEN - 1 - j]
                      == 0xff) {
                j++;
            }
            if (j == option_len) {
                mf_exact_mask(mf, &a->set_field.mask);
            }
        }
    }
}

enum ofperr
tlv_map_check_ofpacts(const struct tlv_map *map,
                      const struct ofpacts *ofpacts)
{
    if (ofpacts_fields(ofpacts) & ~map->mapped) {
        return OFPERR_NXFMFC_INVALID_TLV_FIELD;
    }
    return copies_within_options(map, ofpacts) ? 0 : OFPERR_OFPBAC_BAD_SET_LEN;
}

void
tlv_map_apply_flow(const struct tlv_map *map, struct flow *flow)
{
    flow->tun_layout = map->layout;
}
