#include <config.h>
#include "flow-table.h"

#include <stdlib.h>
#include <string.h>
#include "conjunction.h"
#include "ofp-port.h"

void
flow_table_init(struct flow_table *ft)
{
    for (size_t i = 0; i < FT_N_TABLES; i++) {
        struct oftable *t = &ft->tables[i];
        xvs_list_init(&t->rules);
        t->n_rules = 0;
        t->n_lookups = t->n_matched = 0;
    }
}

static void
rule_free(struct rule *rule)
{
    ofpacts_uninit(&rule->ofpacts);
    free(rule);
}

static void
rule_remove(struct flow_table *ft, struct rule *rule)
{
    xvs_list_remove(&rule->node);
    ft->tables[rule->table_id].n_rules--;
    rule_free(rule);
}

void
flow_table_destroy(struct flow_table *ft)
{
    for (size_t i = 0; i < FT_N_TABLES; i++) {
        struct rule *rule, *next;
        XVS_LIST_FOR_EACH_SAFE (rule, next, node, &ft->tables[i].rules) {
            rule_remove(ft, rule);
        }
    }
}

/* True if some packet could match both 'a' and 'b': on every bit both
 * care about, they want the same value. */
static bool
matches_overlap(const struct match *a, const struct match *b)
{
    const uint8_t *av = (const uint8_t *) &a->flow;
    const uint8_t *bv = (const uint8_t *) &b->flow;
    const uint8_t *am = (const uint8_t *) &a->wc.masks;
    const uint8_t *bm = (const uint8_t *) &b->wc.masks;
    for (size_t i = 0; i < sizeof(struct flow); i++) {
        if ((av[i] ^ bv[i]) & am[i] & bm[i]) {
            return false;
        }
    }
    return true;
}

static bool
cookie_ok(uint64_t rule_cookie, uint64_t cookie, uint64_t mask)
{
    return ((rule_cookie ^ cookie) & mask) == 0;
}

static bool
rule_passes_filter(const struct rule *rule, const struct ft_filter *f)
{
    if (f->strict) {
        if (rule->priority != f->priority
            || !match_equal(&rule->match, &f->match)) {
            return false;
        }
    } else if (!match_is_subset(&rule->match, &f->match)) {
        return false;
    }
    return (cookie_ok(rule->cookie, f->cookie, f->cookie_mask)
            && (f->out_port == OFPP_ANY
                || ofpacts_output_to_port(&rule->ofpacts, f->out_port)));
}

static void
rule_set_counters_zero(struct rule *rule, long long int now)
{
    rule->n_packets = rule->n_bytes = 0;
    rule->created = rule->modified = rule->used = now;
}

static enum ofperr
add_rule(struct flow_table *ft, const struct ft_flow_mod *fm)
{
    if (fm->table_id >= FT_N_TABLES) {
        return OFPERR_OFPFMFC_BAD_TABLE_ID;
    }
    struct oftable *t = &ft->tables[fm->table_id];
    struct rule *r;

    /* An identical rule is replaced in place. */
    XVS_LIST_FOR_EACH (r, node, &t->rules) {
        if (r->priority == fm->priority
            && match_equal(&r->match, &fm->match)) {
            ofpacts_uninit(&r->ofpacts);
            ofpacts_clone(&r->ofpacts, fm->ofpacts);
            r->cookie = fm->cookie;
            r->idle_timeout = fm->idle_timeout;
            r->hard_timeout = fm->hard_timeout;
            r->flags = fm->flags;
            rule_set_counters_zero(r, time_msec());
            return 0;
        }
    }
    if (fm->flags & FT_FLAG_CHECK_OVERLAP) {
        XVS_LIST_FOR_EACH (r, node, &t->rules) {
            if (r->priority == fm->priority
                && matches_overlap(&r->match, &fm->match)) {
                return OFPERR_OFPFMFC_OVERLAP;
            }
        }
    }

    struct rule *rule = xzalloc(sizeof *rule);
    rule->table_id = fm->table_id;
    rule->priority = fm->priority;
    rule->match = fm->match;
    match_normalize(&rule->match);
    rule->cookie = fm->cookie;
    ofpacts_clone(&rule->ofpacts, fm->ofpacts);
    rule->idle_timeout = fm->idle_timeout;
    rule->hard_timeout = fm->hard_timeout;
    rule->flags = fm->flags;
    rule_set_counters_zero(rule, time_msec());

    /* Insert after every rule of higher or equal priority. */
    XVS_LIST_FOR_EACH (r, node, &t->rules) {
        if (r->priority < rule->priority) {
            break;
        }
    }
    xvs_list_insert(&r->node, &rule->node);
    t->n_rules++;
    return 0;
}

static void
filter_from_flow_mod(const struct ft_flow_mod *fm, bool strict,
                     struct ft_filter *f)
{
    f->table_id = fm->table_id;
    f->strict = strict;
    f->priority = fm->priority;
    f->match = fm->match;
    match_normalize(&f->match);
    f->cookie = fm->cookie;
    f->cookie_mask = fm->cookie_mask;
    f->out_port = fm->out_port;
}

enum ofperr
flow_table_apply(struct flow_table *ft, const struct ft_flow_mod *fm,
                 size_t *n_changedp)
{
    size_t n_changed = 0;
    enum ofperr error = 0;

    if (fm->command == FT_ADD) {
        error = add_rule(ft, fm);
        n_changed = !error;
    } else {
        bool strict = (fm->command == FT_MODIFY_STRICT
                       || fm->command == FT_DELETE_STRICT);
        bool delete = (fm->command == FT_DELETE
                       || fm->command == FT_DELETE_STRICT);
        struct ft_filter f;

        if (fm->table_id != FT_TABLE_ALL && fm->table_id >= FT_N_TABLES) {
            return OFPERR_OFPFMFC_BAD_TABLE_ID;
        }
        filter_from_flow_mod(fm, strict, &f);
        if (!delete) {
            /* OpenFlow 1.3: out_port is ignored by modify. */
            f.out_port = OFPP_ANY;
        }
        for (size_t i = 0; i < FT_N_TABLES; i++) {
            if (fm->table_id != FT_TABLE_ALL && i != fm->table_id) {
                continue;
            }
            struct rule *rule, *next;
            XVS_LIST_FOR_EACH_SAFE (rule, next, node, &ft->tables[i].rules) {
                if (!rule_passes_filter(rule, &f)) {
                    continue;
                }
                if (delete) {
                    rule_remove(ft, rule);
                } else {
                    ofpacts_uninit(&rule->ofpacts);
                    ofpacts_clone(&rule->ofpacts, fm->ofpacts);
                    if (fm->flags & FT_FLAG_RESET_COUNTS) {
                        rule->n_packets = rule->n_bytes = 0;
                    }
                    rule->modified = time_msec();
                }
                n_changed++;
            }
        }
    }
    if (n_changedp) {
        *n_changedp = n_changed;
    }
    return error;
}

struct rule *
flow_table_lookup(struct flow_table *ft, uint8_t table_id,
                  const struct flow *flow)
{
    if (table_id >= FT_N_TABLES) {
        return NULL;
    }
    struct oftable *t = &ft->tables[table_id];
    t->n_lookups++;
    struct rule *rule = conjunction_lookup(&t->rules, flow);
    t->n_matched += rule != NULL;
    return rule;
}

void
flow_table_for_each(const struct flow_table *ft, const struct ft_filter *f_,
                    ft_rule_cb *cb, void *aux)
{
    struct ft_filter f = *f_;
    match_normalize(&f.match);
    for (size_t i = 0; i < FT_N_TABLES; i++) {
        if (f.table_id != FT_TABLE_ALL && i != f.table_id) {
            continue;
        }
        const struct rule *rule;
        XVS_LIST_FOR_EACH (rule, node, &ft->tables[i].rules) {
            if (rule_passes_filter(rule, &f)) {
                cb(rule, aux);
            }
        }
    }
}

size_t
flow_table_expire(struct flow_table *ft, long long int now)
{
    size_t n = 0;
    for (size_t i = 0; i < FT_N_TABLES; i++) {
        struct rule *rule, *next;
        XVS_LIST_FOR_EACH_SAFE (rule, next, node, &ft->tables[i].rules) {
            bool hard = (rule->hard_timeout
                         && now - rule->created
                            >= rule->hard_timeout * 1000LL);
            bool idle = (rule->idle_timeout
                         && now - rule->used >= rule->idle_timeout * 1000LL);
            if (hard || idle) {
                rule_remove(ft, rule);
                n++;
            }
        }
    }
    return n;
}

size_t
flow_table_count(const struct flow_table *ft)
{
    size_t n = 0;
    for (size_t i = 0; i < FT_N_TABLES; i++) {
        n += ft->tables[i].n_rules;
    }
    return n;
}
