/* ofp-table-print: table features as ovs-ofctl prints them (see the
 * header for the rules). */
#include <config.h>
#include "ofp-table-print.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "meta-flow.h"

/* ---- Field lists. ---- */

/* Open vSwitch prints fields in the order of its own field enumeration.
 * The registry's order matches it for the packet fields (Ethernet on)
 * but not for the metadata ones, which were appended as they came.  So
 * the order is given here as groups, in Open vSwitch's order: a pattern
 * ending in '_' takes the names with that prefix, one ending in '#' the
 * pattern's stem followed by a number, any other one that name only; the
 * first pattern that takes a name wins.  Fields in no group follow all
 * groups; within a group, and after them, registry order holds. */
static const char *const field_groups[] = {
    "dp_hash", "recirc_id", "packet_type", "conj_id", "tun_id", "tun_src",
    "tun_dst", "tun_ipv6_", "tun_flags", "tun_gbp_", "tun_erspan_",
    "tun_gtpu_", "tun_", "metadata",
    "in_port", "actset_output", "skb_priority", "pkt_mark",
    "ct_state", "ct_zone", "ct_mark", "ct_label", "ct_nw_proto", "ct_",
    "reg#", "xreg#", "xxreg#", "eth_", "vlan_", "mpls_",
    "ip_src", "ip_dst", "ipv6_", "nw_proto", "nw_tos", "ip_dscp", "nw_ecn",
    "nw_ttl", "ip_frag", "arp_", "tcp_", "udp_", "sctp_", "icmp_",
    "icmpv6_", "nd_",
};

static bool
group_takes(const char *pattern, const char *name)
{
    size_t len = strlen(pattern);
    if (pattern[len - 1] == '_') {
        return !strncmp(name, pattern, len);
    } else if (pattern[len - 1] == '#') {
        return (!strncmp(name, pattern, len - 1) && name[len - 1]
                && strspn(name + len - 1, "0123456789")
                   == strlen(name + len - 1));
    }
    return !strcmp(name, pattern);
}

static size_t
ofp_table_field_rank(const struct mf_field *mf)
{
    for (size_t i = 0; i < ARRAY_SIZE(field_groups); i++) {
        if (group_takes(field_groups[i], mf->name)) {
            return i;
        }
    }
    return ARRAY_SIZE(field_groups);
}

/* The name Open vSwitch prints for the field whose wire header we send:
 * our in_port row goes on the wire as OXM_OF_IN_PORT, which Open vSwitch
 * calls in_port_oxm (its in_port is the 16-bit NXM_OF_IN_PORT). */
static const char *
field_print_name(const struct mf_field *mf)
{
    return mf->id == MFF_IN_PORT ? "in_port_oxm" : mf->name;
}

struct ranked_field {
    size_t rank;
    unsigned int id;
};

static int
compare_ranked_fields(const void *a_, const void *b_)
{
    const struct ranked_field *a = a_, *b = b_;
    if (a->rank != b->rank) {
        return a->rank < b->rank ? -1 : 1;
    }
    return a->id < b->id ? -1 : a->id > b->id;
}

/* One printed item: a name, or a numbered range 'first'...'last'. */
struct fold_item {
    const char *first;
    const char *last;          /* NULL if not a range. */
};

/* Splits "reg12" into the stem length and the number; false if 'name'
 * does not end in a number after a non-empty stem. */
static bool
split_number(const char *name, size_t *stem, unsigned long *number)
{
    size_t len = strlen(name), i = len;
    while (i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9') {
        i--;
    }
    if (i == 0 || i == len) {
        return false;
    }
    *stem = i;
    *number = strtoul(name + i, NULL, 10);
    return true;
}

/* Whether 'b' is the name numbered one after 'a' ("reg3" after "reg2"). */
static bool
is_next_number(const char *a, const char *b)
{
    size_t sa, sb;
    unsigned long na, nb;
    return (split_number(a, &sa, &na) && split_number(b, &sb, &nb)
            && sa == sb && !strncmp(a, b, sa) && nb == na + 1);
}

static void
put_fold_item(struct ds *s, const struct fold_item *it, size_t skip)
{
    ds_put_cstr(s, it->first + skip);
    if (it->last) {
        ds_put_format(s, "...%s", it->last + skip);
    }
}

/* Prints items[0..n), of which the first 'skip' characters are already
 * printed, separated by 'sep': consecutive items that share the prefix
 * up to the first underscore print as the longest prefix they share up
 * to an underscore, then the rest folded in braces. */
static void
fold_items(struct ds *s, const struct fold_item *items, size_t n,
           size_t skip, char sep)
{
    for (size_t i = 0; i < n; ) {
        const char *a = items[i].first + skip;
        const char *us = strchr(a, '_');
        size_t j = i + 1;
        if (us) {
            size_t plen = us - a + 1;
            while (j < n && !strncmp(items[j].first + skip, a, plen)) {
                j++;
            }
        }
        if (i) {
            ds_put_char(s, sep);
        }
        if (j - i == 1) {
            put_fold_item(s, &items[i], skip);
        } else {
            size_t common = strlen(a);
            for (size_t k = i + 1; k < j; k++) {
                const char *b = items[k].first + skip;
                size_t c = 0;
                while (c < common && a[c] == b[c]) {
                    c++;
                }
                common = c;
            }
            while (a[common - 1] != '_') {
                common--;
            }
            ds_put_buffer(s, a, common);
            ds_put_char(s, '{');
            fold_items(s, items + i, j - i, skip + common, ',');
            ds_put_char(s, '}');
        }
        i = j;
    }
}

/* The fields in 'set', in Open vSwitch's order, folded. */
static void
put_field_list(struct ds *s, const uint64_t *set)
{
    struct ranked_field fields[MFF_N_IDS];
    size_t n = 0;
    for (unsigned int id = 0; id < MFF_N_IDS; id++) {
        if (ofp_tf_field_is_set(set, id)) {
            fields[n].rank = ofp_table_field_rank(mf_from_id(id));
            fields[n++].id = id;
        }
    }
    qsort(fields, n, sizeof *fields, compare_ranked_fields);

    struct fold_item items[MFF_N_IDS];
    size_t n_items = 0;
    for (size_t i = 0; i < n; ) {
        const char *name = field_print_name(mf_from_id(fields[i].id));
        size_t j = i + 1;
        while (j < n && is_next_number(
                   field_print_name(mf_from_id(fields[j - 1].id)),
                   field_print_name(mf_from_id(fields[j].id)))) {
            j++;
        }
        if (j - i >= 3) {
            items[n_items].first = name;
            items[n_items++].last
                = field_print_name(mf_from_id(fields[j - 1].id));
        } else {
            j = i + 1;
            items[n_items].first = name;
            items[n_items++].last = NULL;
        }
        i = j;
    }
    fold_items(s, items, n_items, 0, ' ');
}

static bool
field_set_is_empty(const uint64_t *set)
{
    for (size_t i = 0; i < OFP_TF_FIELD_WORDS; i++) {
        if (set[i]) {
            return false;
        }
    }
    return true;
}

static bool
field_sets_equal(const uint64_t *a, const uint64_t *b)
{
    return !memcmp(a, b, OFP_TF_FIELD_WORDS * sizeof *a);
}

/* ---- Actions and instructions. ---- */

/* Standard wire types in the order, and with the names, Open vSwitch
 * prints them; types it does not print (copy_ttl_*, push_pbb, copy_field,
 * the 1.5 meter action, ...) are not listed. */
struct type_name {
    uint8_t type;
    const char *name;
};
static const struct type_name action_names[] = {
    { 0, "output" }, { 22, "group" }, { 25, "set_field" },
    { 18, "strip_vlan" }, { 17, "push_vlan" }, { 23, "mod_nw_ttl" },
    { 24, "dec_ttl" }, { 15, "set_mpls_ttl" }, { 16, "dec_mpls_ttl" },
    { 19, "push_mpls" }, { 20, "pop_mpls" }, { 21, "set_queue" },
};
static const struct type_name instruction_names[] = {
    { 6, "meter" }, { 4, "apply_actions" }, { 5, "clear_actions" },
    { 3, "write_actions" }, { 2, "write_metadata" }, { 1, "goto_table" },
};

static void
put_type_names(struct ds *s, uint32_t types, const struct type_name *names,
               size_t n)
{
    const char *sep = "";
    for (size_t i = 0; i < n; i++) {
        if (types & (UINT32_C(1) << names[i].type)) {
            ds_put_format(s, "%s%s", sep, names[i].name);
            sep = " ";
        }
    }
}

/* The action types of 'types' that Open vSwitch knows.  It drops the
 * others on decoding, so they make no difference in its comparisons
 * either (our 1.5 apply-actions list has the meter action, the
 * write-actions list does not, and both print the same). */
static uint32_t
known_actions(uint32_t types)
{
    uint32_t known = 0;
    for (size_t i = 0; i < ARRAY_SIZE(action_names); i++) {
        known |= UINT32_C(1) << action_names[i].type;
    }
    return types & known;
}

static bool
action_features_equal(const struct ofp_table_action_features *a,
                      const struct ofp_table_action_features *b)
{
    return (known_actions(a->actions) == known_actions(b->actions)
            && field_sets_equal(a->set_fields, b->set_fields));
}

static void
put_action_features(struct ds *s, const struct ofp_table_action_features *af)
{
    if (known_actions(af->actions)) {
        ds_put_cstr(s, "        actions: ");
        put_type_names(s, af->actions, action_names,
                       ARRAY_SIZE(action_names));
        ds_put_char(s, '\n');
    }
    if (!field_set_is_empty(af->set_fields)) {
        ds_put_cstr(s, "        supported on Set-Field: ");
        put_field_list(s, af->set_fields);
        ds_put_char(s, '\n');
    }
}

static bool
next_is_set(const uint8_t *next, unsigned int t)
{
    return (next[t / 8] >> (t % 8)) & 1;
}

/* Next-table sets of tables 'a_id' and 'b_id' are the same also when 'b'
 * lacks only table 'b_id' itself, right after 'a_id' (see the header). */
static bool
next_tables_equal(const uint8_t *a, unsigned int a_id,
                  const uint8_t *b, unsigned int b_id)
{
    for (unsigned int t = 0; t < 255; t++) {
        if (next_is_set(a, t) != next_is_set(b, t)
            && !(t == b_id && b_id == a_id + 1 && next_is_set(a, t))) {
            return false;
        }
    }
    return true;
}

static bool
instruction_features_equal(const struct ofp_table_instruction_features *a,
                           unsigned int a_id,
                           const struct ofp_table_instruction_features *b,
                           unsigned int b_id)
{
    return (next_tables_equal(a->next, a_id, b->next, b_id)
            && a->instructions == b->instructions
            && action_features_equal(&a->write, &b->write)
            && action_features_equal(&a->apply, &b->apply));
}

static bool
instruction_features_empty(const struct ofp_table_instruction_features *t)
{
    static const uint8_t no_tables[32];
    return (!memcmp(t->next, no_tables, sizeof no_tables)
            && !t->instructions
            && !known_actions(t->write.actions)
            && field_set_is_empty(t->write.set_fields)
            && !known_actions(t->apply.actions)
            && field_set_is_empty(t->apply.set_fields));
}

/* "1-3,5,200". */
static void
put_next_tables(struct ds *s, const uint8_t *next)
{
    const char *sep = "";
    for (unsigned int t = 0; t < 255; t++) {
        if (!next_is_set(next, t)) {
            continue;
        }
        unsigned int end = t;
        while (end + 1 < 255 && next_is_set(next, end + 1)) {
            end++;
        }
        ds_put_format(s, "%s%u", sep, t);
        if (end > t) {
            ds_put_format(s, "-%u", end);
        }
        sep = ",";
        t = end;
    }
}

/* One side (table miss or others) of a table; 'prev' is the same side of
 * the previous table, if any. */
static void
put_instruction_features(struct ds *s,
                         const struct ofp_table_instruction_features *tif,
                         const struct ofp_table_instruction_features *prev)
{
    static const uint8_t no_tables[32];
    if (memcmp(tif->next, no_tables, sizeof no_tables)) {
        ds_put_cstr(s, "      next tables: ");
        put_next_tables(s, tif->next);
        ds_put_char(s, '\n');
    }
    if (prev && prev->instructions == tif->instructions) {
        ds_put_cstr(s, "      (same instructions)\n");
    } else if (tif->instructions) {
        ds_put_cstr(s, "      instructions: ");
        put_type_names(s, tif->instructions, instruction_names,
                       ARRAY_SIZE(instruction_names));
        ds_put_char(s, '\n');
    }
    if (prev && action_features_equal(&tif->write, &prev->write)
        && action_features_equal(&tif->apply, &prev->apply)
        && !field_set_is_empty(tif->write.set_fields)) {
        ds_put_cstr(s, "      (same actions)\n");
    } else if (!action_features_equal(&tif->write, &tif->apply)) {
        ds_put_cstr(s, "      Write-Actions features:\n");
        put_action_features(s, &tif->write);
        ds_put_cstr(s, "      Apply-Actions features:\n");
        put_action_features(s, &tif->apply);
    } else if (known_actions(tif->write.actions)
               || !field_set_is_empty(tif->write.set_fields)) {
        ds_put_cstr(s, "      Write-Actions and Apply-Actions features:\n");
        put_action_features(s, &tif->write);
    }
}

/* ---- Tables. ---- */

#define OFPTC14_EVICTION 4
#define OFPTC14_VACANCY_EVENTS 8
#define OFP14_VERSION 0x05

/* Equal but for the name: a "ditto". */
static bool
table_features_equal(const struct ofp_table_features *a,
                     const struct ofp_table_features *b)
{
    return (a->metadata_match == b->metadata_match
            && a->metadata_write == b->metadata_write
            && a->config == b->config
            && a->max_entries == b->max_entries
            && instruction_features_equal(&a->nonmiss, a->table_id,
                                          &b->nonmiss, b->table_id)
            && instruction_features_equal(&a->miss, a->table_id,
                                          &b->miss, b->table_id)
            && field_sets_equal(a->match, b->match)
            && field_sets_equal(a->mask, b->mask)
            && field_sets_equal(a->wildcard, b->wildcard));
}

static void
put_matching(struct ds *s, const struct ofp_table_features *tf)
{
    static const char *const kinds[] = {
        "arbitrary mask", "exact match or wildcard", "must exact match",
    };
    ds_put_cstr(s, "    matching:\n");
    for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
        uint64_t set[OFP_TF_FIELD_WORDS];
        for (size_t i = 0; i < OFP_TF_FIELD_WORDS; i++) {
            uint64_t wild = k == 1 ? tf->wildcard[i] : ~tf->wildcard[i];
            set[i] = tf->match[i] & (k == 0 ? tf->mask[i]
                                     : ~tf->mask[i] & wild);
        }
        if (!field_set_is_empty(set)) {
            ds_put_format(s, "      %s: ", kinds[k]);
            put_field_list(s, set);
            ds_put_char(s, '\n');
        }
    }
}

/* A table that is not a ditto; 'prev' is the table before it, if any. */
static void
put_table(struct ds *s, const struct ofp_table_features *tf,
          const struct ofp_table_features *prev, uint8_t version)
{
    if (tf->metadata_match || tf->metadata_write) {
        ds_put_format(s, "    metadata: match=%#"PRIx64" write=%#"PRIx64
                      "\n", tf->metadata_match, tf->metadata_write);
    }
    if (version >= OFP14_VERSION) {
        ds_put_format(s, "    eviction: %ssupported\n",
                      tf->config & OFPTC14_EVICTION ? "" : "not ");
        ds_put_format(s, "    vacancy events: %ssupported\n",
                      tf->config & OFPTC14_VACANCY_EVENTS ? "" : "not ");
    }
    ds_put_format(s, "    max_entries=%"PRIu32"\n", tf->max_entries);

    const struct ofp_table_instruction_features *nm = &tf->nonmiss;
    const struct ofp_table_instruction_features *m = &tf->miss;
    if (prev
        && instruction_features_equal(&prev->nonmiss, prev->table_id,
                                      nm, tf->table_id)
        && instruction_features_equal(&prev->miss, prev->table_id,
                                      m, tf->table_id)) {
        if (!instruction_features_empty(nm)) {
            ds_put_cstr(s, "    (same instructions)\n");
        }
    } else if (!instruction_features_equal(nm, tf->table_id,
                                           m, tf->table_id)) {
        ds_put_cstr(s, "    instructions (other than table miss):\n");
        put_instruction_features(s, nm, prev ? &prev->nonmiss : NULL);
        ds_put_cstr(s, "    instructions (table miss):\n");
        put_instruction_features(s, m, prev ? &prev->miss : NULL);
    } else if (!instruction_features_empty(nm)) {
        ds_put_cstr(s, "    instructions (table miss and others):\n");
        put_instruction_features(s, nm, prev ? &prev->nonmiss : NULL);
    }

    if (field_set_is_empty(tf->match)) {
        return;
    } else if (prev && field_sets_equal(tf->match, prev->match)) {
        ds_put_cstr(s, "    (same matching)\n");
    } else {
        put_matching(s, tf);
    }
}

void
ofp_table_list_format(struct ds *s, size_t n,
                      const struct ofp_table_list_ops *ops, const void *aux)
{
    size_t ditto_start = SIZE_MAX;  /* First of a run of unnamed dittos. */
    bool after_ditto = false;       /* A full entry after a folded run of
                                     * dittos gets a blank line first. */
    for (size_t i = 0; i <= n; i++) {
        bool ditto = i > 0 && i < n && ops->equal_prev(aux, i);
        if (ditto && !ops->name(aux, i)[0]) {
            if (ditto_start == SIZE_MAX) {
                ditto_start = i;
            }
            continue;
        }
        if (ditto_start != SIZE_MAX) {
            if (ditto_start == i - 1) {
                ds_put_format(s, "  table %"PRIu8": ditto\n",
                              ops->id(aux, ditto_start));
            } else {
                ds_put_format(s, "  tables %"PRIu8"...%"PRIu8": ditto\n",
                              ops->id(aux, ditto_start), ops->id(aux, i - 1));
            }
            ditto_start = SIZE_MAX;
            after_ditto = true;
        }
        if (i == n) {
            break;
        }
        if (after_ditto && !ditto) {
            ds_put_char(s, '\n');
            after_ditto = false;
        }
        ds_put_format(s, "  table %"PRIu8, ops->id(aux, i));
        if (ops->name(aux, i)[0]) {
            ds_put_format(s, " (\"%s\")", ops->name(aux, i));
        }
        if (ditto) {
            ds_put_cstr(s, ": ditto\n");
            continue;
        }
        ds_put_cstr(s, ":\n");
        ops->print(s, aux, i);
    }
}

/* ofp_table_features_format()'s list, for ofp_table_list_format(). */
struct features_list {
    const struct ofp_table_features *tf;
    size_t n;
    uint8_t version;
    bool trailing_blank;
};

static uint8_t
features_id(const void *aux, size_t i)
{
    const struct features_list *l = aux;
    return l->tf[i].table_id;
}

static const char *
features_name(const void *aux, size_t i)
{
    const struct features_list *l = aux;
    return l->tf[i].name;
}

static bool
features_equal_prev(const void *aux, size_t i)
{
    const struct features_list *l = aux;
    return table_features_equal(&l->tf[i - 1], &l->tf[i]);
}

static void
features_print(struct ds *s, const void *aux, size_t i)
{
    const struct features_list *l = aux;
    put_table(s, &l->tf[i], i ? &l->tf[i - 1] : NULL, l->version);
    if (i + 1 < l->n || l->trailing_blank) {
        ds_put_char(s, '\n');
    }
}

void
ofp_table_features_format(struct ds *s, const struct ofp_table_features *tf,
                          size_t n, uint8_t version, bool trailing_blank)
{
    static const struct ofp_table_list_ops ops = {
        features_id, features_name, features_equal_prev, features_print,
    };
    struct features_list l = { tf, n, version, trailing_blank };
    ofp_table_list_format(s, n, &ops, &l);
}
