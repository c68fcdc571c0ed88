#include <config.h>
#include "flow-table.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conjunction.h"
#include "hmap.h"
#include "nx-actions.h"
#include "nx-learn.h"
#include "ofp-port.h"

void
flow_table_init(struct flow_table *ft)
{
    for (size_t i = 0; i < FT_N_TABLES; i++) {
        struct oftable *t = &ft->tables[i];
        rule_index_init(&t->rules);
        t->name = NULL;
        t->max_rules = SIZE_MAX;
        t->evict = false;
        t->evict_client = false;
        t->vacancy_on = false;
        t->vacancy_down = t->vacancy_up = 0;
        t->vacancy_wait_up = false;
        t->evict_groups = NULL;
        t->n_evict_groups = 0;
        t->n_lookups = t->n_matched = 0;
    }
    xvs_list_init(&ft->removed);
    xvs_list_init(&ft->timed);
    ft->track_changes = false;
    ft->will_change = NULL;
    ft->will_change_aux = NULL;
    ft->gone_learns = NULL;
    ft->n_gone_learns = ft->allocated_gone_learns = 0;
}

static void
set_evict_groups(struct oftable *t, const struct mf_subfield *groups,
                 size_t n)
{
    free(t->evict_groups);
    t->evict_groups = n ? xmemdup(groups, n * sizeof *groups) : NULL;
    t->n_evict_groups = n;
}

/* Notes the learn actions with delete_learned in 'acts', which are
 * leaving the tables.  Like Open vSwitch, only the top level counts. */
static void
note_gone_learns(struct flow_table *ft, const struct ofpacts *acts)
{
    for (size_t i = 0; i < acts->n; i += ofpact_span(&acts->acts[i])) {
        const struct ofpact *a = &acts->acts[i];
        if (a->type == OFPACT_LEARN
            && a->learn.flags & NX_LEARN_F_DELETE_LEARNED) {
            if (ft->n_gone_learns >= ft->allocated_gone_learns) {
                ft->allocated_gone_learns = 2 * ft->allocated_gone_learns + 4;
                ft->gone_learns = xrealloc(ft->gone_learns,
                                           ft->allocated_gone_learns
                                           * sizeof *ft->gone_learns);
            }
            struct ft_learned *l = &ft->gone_learns[ft->n_gone_learns++];
            l->table_id = a->learn.table_id;
            l->cookie = a->learn.cookie;
        }
    }
}

/* Whether some rule still has a learn with delete_learned into 'l'. */
static bool
learn_in_use(const struct flow_table *ft, const struct ft_learned *l)
{
    for (size_t t = 0; t < FT_N_TABLES; t++) {
        const struct rule *rule;
        XVS_LIST_FOR_EACH (rule, node, &ft->tables[t].rules.list) {
            const struct ofpacts *acts = &rule->ofpacts;
            for (size_t i = 0; i < acts->n; i += ofpact_span(&acts->acts[i])) {
                const struct ofpact *a = &acts->acts[i];
                if (a->type == OFPACT_LEARN
                    && a->learn.flags & NX_LEARN_F_DELETE_LEARNED
                    && a->learn.table_id == l->table_id
                    && a->learn.cookie == l->cookie) {
                    return true;
                }
            }
        }
    }
    return false;
}

static enum ofperr apply__(struct flow_table *, const struct ft_flow_mod *,
                           size_t *n_changed);

/* The end of an operation: the flows of learns with delete_learned that
 * are gone for good go too (which may, in turn, remove more learns). */
static void
flush_gone_learns(struct flow_table *ft)
{
    while (ft->n_gone_learns) {
        struct ft_learned l = ft->gone_learns[--ft->n_gone_learns];
        if (!learn_in_use(ft, &l)) {
            struct ofpacts none = OFPACTS_EMPTY_INITIALIZER;
            struct ft_flow_mod fm = {
                .command = FT_DELETE,
                .table_id = l.table_id,
                .cookie = l.cookie,
                .cookie_mask = UINT64_MAX,
                .out_port = OFPP_ANY,
                .ofpacts = &none,
                .reason = FT_REMOVED_DELETE,
            };
            match_init_catchall(&fm.match);
            apply__(ft, &fm, NULL);
        }
    }
}

void
flow_table_set_change_hook(struct flow_table *ft, ft_will_change_cb *cb,
                           void *aux)
{
    ft->will_change = cb;
    ft->will_change_aux = aux;
}

/* Rules are about to change, go or have their counters reset. */
static void
will_change(struct flow_table *ft)
{
    if (ft->will_change) {
        ft->will_change(ft->will_change_aux);
    }
}

void
flow_table_notify_change(struct flow_table *ft)
{
    will_change(ft);
}

static void
rule_free(struct rule *rule)
{
    ofpacts_uninit(&rule->ofpacts);
    free(rule);
}

/* Keeps 'rule', in a table of 'ft', on the list of rules with a timeout,
 * which expiry walks, exactly while it has one. */
static void
update_timed(struct flow_table *ft, struct rule *rule)
{
    bool timed = rule->idle_timeout || rule->hard_timeout;
    if (timed != rule->timed) {
        if (timed) {
            xvs_list_push_back(&ft->timed, &rule->timed_node);
        } else {
            xvs_list_remove(&rule->timed_node);
        }
        rule->timed = timed;
    }
}

/* Puts 'rule', not in any table (a copy's 'timed' may say otherwise), into
 * its table. */
static void
table_insert(struct flow_table *ft, struct rule *rule)
{
    rule->timed = false;
    rule_index_insert(&ft->tables[rule->table_id].rules, rule);
    update_timed(ft, rule);
}

static void
table_remove(struct flow_table *ft, struct rule *rule)
{
    rule_index_remove(&ft->tables[rule->table_id].rules, rule);
    if (rule->timed) {
        xvs_list_remove(&rule->timed_node);
        rule->timed = false;
    }
}

void
flow_table_timeouts_changed(struct flow_table *ft, struct rule *rule)
{
    update_timed(ft, rule);
}

/* Takes 'rule' out of its table and frees it: for replacement, where no
 * one is told. */
static void
rule_destroy(struct flow_table *ft, struct rule *rule)
{
    will_change(ft);
    table_remove(ft, rule);
    rule_free(rule);
}

/* Takes 'rule' out of its table into the removed list, for the owner to
 * report. */
static void
rule_remove(struct flow_table *ft, struct rule *rule,
            enum ft_removed_reason reason)
{
    will_change(ft);
    table_remove(ft, rule);
    note_gone_learns(ft, &rule->ofpacts);
    rule->removed_reason = reason;
    rule->event = FT_EVENT_REMOVED;
    xvs_list_push_back(&ft->removed, &rule->node);
}

/* Records a snapshot of 'rule' as 'event' for flow monitors. */
static void
rule_record(struct flow_table *ft, const struct rule *rule,
            enum ft_event event)
{
    if (ft->track_changes) {
        struct rule *copy = xmemdup(rule, sizeof *rule);
        ofpacts_clone(&copy->ofpacts, &rule->ofpacts);
        copy->event = event;
        xvs_list_push_back(&ft->removed, &copy->node);
    }
}

static void
free_rules(struct flow_table *ft)
{
    for (size_t i = 0; i < FT_N_TABLES; i++) {
        struct rule *rule, *next;
        XVS_LIST_FOR_EACH_SAFE (rule, next, node, &ft->tables[i].rules.list) {
            rule_destroy(ft, rule);
        }
    }
}

void
flow_table_destroy(struct flow_table *ft)
{
    free_rules(ft);
    flow_table_drain_removed(ft, NULL, NULL);
    free(ft->gone_learns);
    ft->gone_learns = NULL;
    ft->n_gone_learns = ft->allocated_gone_learns = 0;
    for (size_t i = 0; i < FT_N_TABLES; i++) {
        struct oftable *t = &ft->tables[i];
        free(t->name);
        t->name = NULL;
        set_evict_groups(t, NULL, 0);
        rule_index_destroy(&t->rules);
    }
}

void
flow_table_drain_removed(struct flow_table *ft, ft_removed_cb *cb, void *aux)
{
    while (!xvs_list_is_empty(&ft->removed)) {
        struct rule *rule = CONTAINER_OF(xvs_list_pop_front(&ft->removed),
                                         struct rule, node);
        if (cb) {
            cb(rule, aux);
        }
        rule_free(rule);
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
    for (size_t i = 0; i < FLOW_KEY_LEN; i++) {
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

/* When 'rule' would expire if nothing refreshed it; LLONG_MAX if it is
 * permanent. */
static long long int
rule_expiry(const struct rule *rule)
{
    long long int when = LLONG_MAX;
    if (rule->hard_timeout) {
        when = rule->created + rule->hard_timeout * 1000LL;
    }
    if (rule->idle_timeout) {
        long long int idle = rule->used + rule->idle_timeout * 1000LL;
        when = idle < when ? idle : when;
    }
    return when;
}

static bool
rule_is_evictable(const struct rule *rule)
{
    return rule->idle_timeout || rule->hard_timeout;
}

/* True if 'r' should be evicted before 'victim' (NULL: anything goes):
 * lower importance first, then sooner expiry. */
static bool
evicts_before(const struct rule *r, const struct rule *victim)
{
    return (!victim || r->importance < victim->importance
            || (r->importance == victim->importance
                && rule_expiry(r) < rule_expiry(victim)));
}

/* One eviction group: the evictable rules whose "groups" subfields have
 * the same values (0 where the match leaves a bit wild). */
struct evict_group {
    struct hmap_node node;
    const uint64_t *key;
    size_t n_rules;
};

/* The rule of 't' to evict, by the algorithm ovs-vswitchd.conf.db(5)
 * gives: among rules with a timeout (permanent rules are never evicted)
 * in the largest groups, the lowest importance, then the soonest expiry.
 * NULL if there is none. */
static struct rule *
choose_eviction_victim(struct oftable *t)
{
    struct rule *victim = NULL, *r;
    size_t n_sf = t->n_evict_groups;

    if (!n_sf) {
        XVS_LIST_FOR_EACH (r, node, &t->rules.list) {
            if (rule_is_evictable(r) && evicts_before(r, victim)) {
                victim = r;
            }
        }
        return victim;
    }

    size_t n = 0;
    struct rule **rules = xcalloc(t->rules.n + 1, sizeof *rules);
    struct evict_group **groupof = xcalloc(t->rules.n + 1, sizeof *groupof);
    uint64_t *keys = xcalloc((t->rules.n + 1) * n_sf, sizeof *keys);
    struct evict_group *groups = xcalloc(t->rules.n + 1, sizeof *groups);
    size_t n_groups = 0, largest = 0;
    struct hmap map;

    hmap_init(&map);
    XVS_LIST_FOR_EACH (r, node, &t->rules.list) {
        if (!rule_is_evictable(r)) {
            continue;
        }
        uint64_t *key = &keys[n * n_sf];
        for (size_t i = 0; i < n_sf; i++) {
            const struct mf_subfield *sf = &t->evict_groups[i];
            key[i] = (nx_subfield_get(sf, &r->match.flow)
                      & nx_subfield_get(sf, &r->match.wc.masks));
        }
        uint32_t hash = hash_bytes(key, n_sf * sizeof *key, 0);
        struct evict_group *g, *found = NULL;
        HMAP_FOR_EACH_WITH_HASH (g, node, hash, &map) {
            if (!memcmp(g->key, key, n_sf * sizeof *key)) {
                found = g;
                break;
            }
        }
        if (!found) {
            found = &groups[n_groups++];
            found->key = key;
            hmap_insert(&map, &found->node, hash);
        }
        found->n_rules++;
        largest = XVS_MAX(largest, found->n_rules);
        rules[n] = r;
        groupof[n++] = found;
    }
    for (size_t i = 0; i < n; i++) {
        if (groupof[i]->n_rules == largest
            && evicts_before(rules[i], victim)) {
            victim = rules[i];
        }
    }
    hmap_destroy(&map);
    free(groups);
    free(keys);
    free(groupof);
    free(rules);
    return victim;
}

/* Makes room for one more rule in table 't' of 'ft'; TABLE_FULL if the
 * table is at its limit and cannot evict. */
static enum ofperr
make_room(struct flow_table *ft, struct oftable *t)
{
    while (t->rules.n >= t->max_rules) {
        struct rule *victim = (t->evict || t->evict_client
                               ? choose_eviction_victim(t) : NULL);
        if (!victim) {
            return OFPERR_OFPFMFC_TABLE_FULL;
        }
        rule_remove(ft, victim, FT_REMOVED_EVICTION);
    }
    return 0;
}

static bool
is_conjunctive(const struct ofpacts *ofpacts)
{
    const struct ofpact *other;
    return conjunction_in(ofpacts, &other);
}

/* Gives 'rule', in its table, a copy of 'ofpacts'. */
static void
set_actions(struct flow_table *ft, struct rule *rule,
            const struct ofpacts *ofpacts)
{
    note_gone_learns(ft, &rule->ofpacts);
    ofpacts_uninit(&rule->ofpacts);
    ofpacts_clone(&rule->ofpacts, ofpacts);
    rule_index_set_conjunctive(&ft->tables[rule->table_id].rules, rule,
                               is_conjunctive(ofpacts));
}

static enum ofperr
add_rule(struct flow_table *ft, const struct ft_flow_mod *fm)
{
    if (fm->table_id >= FT_N_TABLES) {
        return OFPERR_OFPFMFC_BAD_TABLE_ID;
    }
    will_change(ft);
    struct oftable *t = &ft->tables[fm->table_id];
    struct match match = fm->match;
    match_normalize(&match);

    /* An identical rule is replaced in place: a new duration, the
     * counters carried over unless RESET_COUNTS says otherwise. */
    struct rule *r = rule_index_find(&t->rules, fm->priority, &match);
    if (r) {
        uint64_t n_packets = r->n_packets, n_bytes = r->n_bytes;
        set_actions(ft, r, fm->ofpacts);
        r->cookie = fm->cookie;
        r->idle_timeout = fm->idle_timeout;
        r->hard_timeout = fm->hard_timeout;
        update_timed(ft, r);
        r->flags = fm->flags;
        r->importance = fm->importance;
        rule_set_counters_zero(r, time_msec());
        if (!(fm->flags & FT_FLAG_RESET_COUNTS)) {
            r->n_packets = n_packets;
            r->n_bytes = n_bytes;
        }
        rule_record(ft, r, FT_EVENT_MODIFIED);
        return 0;
    }
    if (fm->flags & FT_FLAG_CHECK_OVERLAP) {
        /* Only rules of the same priority can overlap: walk back from the
         * last of them. */
        size_t n;
        r = rule_index_level(&t->rules, fm->priority, &n);
        for (size_t i = 0; i < n; i++) {
            if (matches_overlap(&r->match, &match)) {
                return OFPERR_OFPFMFC_OVERLAP;
            }
            r = CONTAINER_OF(r->node.prev, struct rule, node);
        }
    }
    enum ofperr error = make_room(ft, t);
    if (error) {
        return error;
    }

    struct rule *rule = xzalloc(sizeof *rule);
    rule->table_id = fm->table_id;
    rule->priority = fm->priority;
    rule->match = match;
    rule->cookie = fm->cookie;
    ofpacts_clone(&rule->ofpacts, fm->ofpacts);
    rule->conjunctive = is_conjunctive(&rule->ofpacts);
    rule->idle_timeout = fm->idle_timeout;
    rule->hard_timeout = fm->hard_timeout;
    rule->flags = fm->flags;
    rule->importance = fm->importance;
    rule_set_counters_zero(rule, time_msec());
    table_insert(ft, rule);
    rule_record(ft, rule, FT_EVENT_ADDED);
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
    enum ofperr error = apply__(ft, fm, n_changedp);
    flush_gone_learns(ft);
    return error;
}

bool
flow_table_refresh_learned(struct flow_table *ft,
                           const struct ft_flow_mod *fm)
{
    struct match match = fm->match;
    match_normalize(&match);
    struct rule *r = rule_index_find(&ft->tables[fm->table_id].rules,
                                     fm->priority, &match);
    if (!r || r->cookie != fm->cookie
        || !ofpacts_equal(&r->ofpacts, fm->ofpacts)) {
        return false;
    }
    r->modified = time_msec();
    return true;
}

/* Deletes 'rule' or gives it 'fm''s actions, for a DELETE or MODIFY. */
static void
change_rule(struct flow_table *ft, struct rule *rule,
            const struct ft_flow_mod *fm, bool delete)
{
    if (delete) {
        rule_remove(ft, rule, fm->reason);
        return;
    }
    will_change(ft);
    set_actions(ft, rule, fm->ofpacts);
    if (fm->flags & FT_FLAG_RESET_COUNTS) {
        rule->n_packets = rule->n_bytes = 0;
    }
    rule->modified = time_msec();
    rule_record(ft, rule, FT_EVENT_MODIFIED);
}

static enum ofperr
apply__(struct flow_table *ft, const struct ft_flow_mod *fm,
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
            struct oftable *t = &ft->tables[i];
            if (strict) {
                /* At most one rule: the index has it. */
                struct rule *rule = rule_index_find(&t->rules, f.priority,
                                                    &f.match);
                if (rule && rule_passes_filter(rule, &f)) {
                    change_rule(ft, rule, fm, delete);
                    n_changed++;
                }
                continue;
            }
            struct rule *rule, *next;
            XVS_LIST_FOR_EACH_SAFE (rule, next, node, &t->rules.list) {
                if (rule_passes_filter(rule, &f)) {
                    change_rule(ft, rule, fm, delete);
                    n_changed++;
                }
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
    return flow_table_lookup_wc(ft, table_id, flow, NULL);
}

struct rule *
flow_table_lookup_wc(struct flow_table *ft, uint8_t table_id,
                     const struct flow *flow, struct flow_wildcards *wc)
{
    if (table_id >= FT_N_TABLES) {
        return NULL;
    }
    struct oftable *t = &ft->tables[table_id];
    t->n_lookups++;
    struct rule *rule;
    if (rule_index_use_subtables(&t->rules)) {
        rule = conjunction_lookup_index(&t->rules, flow, wc);
    } else {
        rule = conjunction_lookup(&t->rules.list, flow, wc);
    }
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
        const struct oftable *t = &ft->tables[i];
        if (f.strict) {
            const struct rule *rule = rule_index_find(&t->rules, f.priority,
                                                      &f.match);
            if (rule && rule_passes_filter(rule, &f)) {
                cb(rule, aux);
            }
            continue;
        }
        const struct rule *rule;
        XVS_LIST_FOR_EACH (rule, node, &t->rules.list) {
            if (rule_passes_filter(rule, &f)) {
                cb(rule, aux);
            }
        }
    }
}

const struct rule *
flow_table_find(const struct flow_table *ft, uint8_t table_id,
                uint16_t priority, const struct match *match_)
{
    if (table_id >= FT_N_TABLES) {
        return NULL;
    }
    struct match match = *match_;
    match_normalize(&match);
    return rule_index_find(&ft->tables[table_id].rules, priority, &match);
}

/* Table order, then the table's list order. */
static int
compare_rule_order(const void *a_, const void *b_)
{
    const struct rule *a = *(struct rule *const *) a_;
    const struct rule *b = *(struct rule *const *) b_;
    if (a->table_id != b->table_id) {
        return a->table_id < b->table_id ? -1 : 1;
    }
    if (a->priority != b->priority) {
        return a->priority > b->priority ? -1 : 1;
    }
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

size_t
flow_table_expire(struct flow_table *ft, long long int now)
{
    struct rule **expired = NULL, *rule;
    size_t n = 0, allocated = 0;

    /* Only rules with a timeout are walked; they go in table order, as a
     * walk of the tables would find them. */
    XVS_LIST_FOR_EACH (rule, timed_node, &ft->timed) {
        if (rule_expiry(rule) <= now) {
            if (n >= allocated) {
                allocated = 2 * allocated + 8;
                expired = xrealloc(expired, allocated * sizeof *expired);
            }
            expired[n++] = rule;
        }
    }
    if (n) {
        qsort(expired, n, sizeof *expired, compare_rule_order);
    }
    for (size_t i = 0; i < n; i++) {
        rule = expired[i];
        bool hard = (rule->hard_timeout
                     && now - rule->created >= rule->hard_timeout * 1000LL);
        rule_remove(ft, rule, (hard ? FT_REMOVED_HARD_TIMEOUT
                               : FT_REMOVED_IDLE_TIMEOUT));
    }
    free(expired);
    flush_gone_learns(ft);
    return n;
}

size_t
flow_table_count(const struct flow_table *ft)
{
    size_t n = 0;
    for (size_t i = 0; i < FT_N_TABLES; i++) {
        n += ft->tables[i].rules.n;
    }
    return n;
}

void
flow_table_configure(struct flow_table *ft, uint8_t table_id,
                     const char *name, size_t max_rules, bool evict,
                     const struct mf_subfield *groups, size_t n_groups)
{
    if (table_id >= FT_N_TABLES) {
        return;
    }
    struct oftable *t = &ft->tables[table_id];
    free(t->name);
    t->name = name && *name ? xstrdup(name) : NULL;
    t->max_rules = max_rules;
    t->evict = evict;
    set_evict_groups(t, groups, n_groups);
    while (evict && t->rules.n > max_rules) {
        struct rule *victim = choose_eviction_victim(t);
        if (!victim) {
            break;
        }
        rule_remove(ft, victim, FT_REMOVED_EVICTION);
    }
    flush_gone_learns(ft);
}

void
flow_table_set_eviction(struct flow_table *ft, uint8_t table_id, bool on)
{
    if (table_id < FT_N_TABLES) {
        ft->tables[table_id].evict_client = on;
    }
}

bool
flow_table_evicts(const struct flow_table *ft, uint8_t table_id)
{
    return (table_id < FT_N_TABLES
            && (ft->tables[table_id].evict
                || ft->tables[table_id].evict_client));
}

uint8_t
flow_table_vacancy(const struct flow_table *ft, uint8_t table_id)
{
    const struct oftable *t = &ft->tables[table_id];
    if (t->max_rules == SIZE_MAX) {
        return 100;
    }
    if (!t->max_rules || t->rules.n >= t->max_rules) {
        return 0;
    }
    return (t->max_rules - t->rules.n) * 100 / t->max_rules;
}

void
flow_table_set_vacancy(struct flow_table *ft, uint8_t table_id, bool on,
                       uint8_t down, uint8_t up)
{
    if (table_id >= FT_N_TABLES) {
        return;
    }
    struct oftable *t = &ft->tables[table_id];
    t->vacancy_down = down;
    t->vacancy_up = up;
    if (on && !t->vacancy_on) {
        /* Armed for the crossing that can come first from here. */
        t->vacancy_wait_up = flow_table_vacancy(ft, table_id) < up;
    }
    t->vacancy_on = on;
}

enum ft_vacancy_event
flow_table_vacancy_event(struct flow_table *ft, uint8_t table_id)
{
    struct oftable *t = &ft->tables[table_id];
    if (!t->vacancy_on) {
        return FT_VACANCY_NONE;
    }
    uint8_t vacancy = flow_table_vacancy(ft, table_id);
    if (!t->vacancy_wait_up && vacancy < t->vacancy_down) {
        t->vacancy_wait_up = true;
        return FT_VACANCY_DOWN;
    }
    if (t->vacancy_wait_up && vacancy > t->vacancy_up) {
        t->vacancy_wait_up = false;
        return FT_VACANCY_UP;
    }
    return FT_VACANCY_NONE;
}

const char *
flow_table_name(const struct flow_table *ft, uint8_t table_id)
{
    return (table_id < FT_N_TABLES && ft->tables[table_id].name
            ? ft->tables[table_id].name : "");
}

void
flow_table_clone(struct flow_table *dst, const struct flow_table *src)
{
    for (size_t i = 0; i < FT_N_TABLES; i++) {
        const struct oftable *st = &src->tables[i];
        struct oftable *dt = &dst->tables[i];
        const struct rule *rule;
        XVS_LIST_FOR_EACH (rule, node, &st->rules.list) {
            struct rule *copy = xmemdup(rule, sizeof *rule);
            ofpacts_clone(&copy->ofpacts, &rule->ofpacts);
            table_insert(dst, copy);
        }
        dt->name = st->name ? xstrdup(st->name) : NULL;
        dt->max_rules = st->max_rules;
        dt->evict = st->evict;
        dt->evict_client = st->evict_client;
        dt->vacancy_on = st->vacancy_on;
        dt->vacancy_down = st->vacancy_down;
        dt->vacancy_up = st->vacancy_up;
        dt->vacancy_wait_up = st->vacancy_wait_up;
        set_evict_groups(dt, st->evict_groups, st->n_evict_groups);
    }
    dst->track_changes = src->track_changes;
}

void
flow_table_take_rules(struct flow_table *dst, struct flow_table *src)
{
    will_change(dst);
    free_rules(dst);
    for (size_t i = 0; i < FT_N_TABLES; i++) {
        struct oftable *st = &src->tables[i];
        while (!xvs_list_is_empty(&st->rules.list)) {
            struct rule *rule = CONTAINER_OF(st->rules.list.next, struct rule,
                                             node);
            table_remove(src, rule);
            table_insert(dst, rule);
        }
    }
    while (!xvs_list_is_empty(&src->removed)) {
        xvs_list_push_back(&dst->removed, xvs_list_pop_front(&src->removed));
    }
}

uint32_t
flow_table_count_using(const struct flow_table *ft, ft_uses_cb *uses,
                       uint32_t id)
{
    uint32_t n = 0;
    for (size_t i = 0; i < FT_N_TABLES; i++) {
        const struct rule *rule;
        XVS_LIST_FOR_EACH (rule, node, &ft->tables[i].rules.list) {
            n += uses(&rule->ofpacts, id);
        }
    }
    return n;
}

void
flow_table_delete_using(struct flow_table *ft, ft_uses_cb *uses, uint32_t id,
                        enum ft_removed_reason reason)
{
    for (size_t i = 0; i < FT_N_TABLES; i++) {
        struct rule *rule, *next;
        XVS_LIST_FOR_EACH_SAFE (rule, next, node, &ft->tables[i].rules.list) {
            if (!uses(&rule->ofpacts, id)) {
                continue;
            }
            struct ofpacts none = OFPACTS_EMPTY_INITIALIZER;
            struct ft_flow_mod fm = {
                .command = FT_DELETE_STRICT,
                .table_id = i,
                .priority = rule->priority,
                .match = rule->match,
                .out_port = OFPP_ANY,
                .ofpacts = &none,
                .reason = reason,
            };
            flow_table_apply(ft, &fm, NULL);
        }
    }
}
