#include <config.h>

#include "ofctl-flows.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

void
ofctl_flow_set_init(struct ofctl_flow_set *set)
{
    hmap_init(&set->flows);
    set->next_seq = 0;
}

void
ofctl_flow_set_destroy(struct ofctl_flow_set *set)
{
    struct ofctl_flow *flow, *next;
    HMAP_FOR_EACH_SAFE (flow, next, node, &set->flows) {
        hmap_remove(&set->flows, &flow->node);
        ofpacts_uninit(&flow->ofpacts);
        free(flow);
    }
    hmap_destroy(&set->flows);
}

static uint32_t
flow_identity_hash(uint8_t table_id, uint16_t priority,
                   const struct match *match)
{
    return match_hash(match, ((uint32_t) table_id << 16) | priority);
}

static struct ofctl_flow *
find(const struct ofctl_flow_set *set, uint8_t table_id, uint16_t priority,
     const struct match *match)
{
    struct ofctl_flow *flow;
    HMAP_FOR_EACH_WITH_HASH (flow, node,
                             flow_identity_hash(table_id, priority, match),
                             &set->flows) {
        if (flow->table_id == table_id && flow->priority == priority
            && match_equal(&flow->match, match)) {
            return flow;
        }
    }
    return NULL;
}

const struct ofctl_flow *
ofctl_flow_set_find(const struct ofctl_flow_set *set,
                    const struct ofctl_flow *key)
{
    return find(set, key->table_id, key->priority, &key->match);
}

void
ofctl_flow_set_add(struct ofctl_flow_set *set, uint8_t table_id,
                   uint16_t priority, const struct match *match,
                   uint64_t cookie, uint16_t idle_timeout,
                   uint16_t hard_timeout, uint16_t importance,
                   const struct ofpacts *ofpacts)
{
    struct ofctl_flow *flow = find(set, table_id, priority, match);
    if (flow) {
        ofpacts_uninit(&flow->ofpacts);
    } else {
        flow = xzalloc(sizeof *flow);
        flow->seq = set->next_seq++;
        flow->table_id = table_id;
        flow->priority = priority;
        flow->match = *match;
        hmap_insert(&set->flows, &flow->node,
                    flow_identity_hash(table_id, priority, match));
    }
    flow->cookie = cookie;
    flow->idle_timeout = idle_timeout;
    flow->hard_timeout = hard_timeout;
    flow->importance = importance;
    ofpacts_clone(&flow->ofpacts, ofpacts);
}

static FILE *
open_file(const char *name)
{
    FILE *f = strcmp(name, "-") ? fopen(name, "r") : stdin;
    if (!f) {
        xvs_fatal(errno, "%s: open failed", name);
    }
    return f;
}

static void
close_file(FILE *f)
{
    if (f != stdin) {
        fclose(f);
    }
}

size_t
ofctl_read_flow_lines(const char *name, char ***linesp, size_t **line_nosp)
{
    FILE *f = open_file(name);
    char **lines = NULL;
    size_t *line_nos = NULL;
    size_t n = 0, line_no = 0;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        line_no++;
        char *p = line + strspn(line, " \t\r\n");
        char *hash = strchr(p, '#');
        if (hash) {
            *hash = '\0';
        }
        size_t plen = strlen(p);
        while (plen && strchr(" \t\r\n", p[plen - 1])) {
            p[--plen] = '\0';
        }
        if (!*p) {
            continue;
        }
        lines = xrealloc(lines, (n + 1) * sizeof *lines);
        line_nos = xrealloc(line_nos, (n + 1) * sizeof *line_nos);
        lines[n] = xstrdup(p);
        line_nos[n++] = line_no;
    }
    free(line);
    close_file(f);
    *linesp = lines;
    if (line_nosp) {
        *line_nosp = line_nos;
    } else {
        free(line_nos);
    }
    return n;
}

char *
ofctl_flow_set_read(struct ofctl_flow_set *set, const char *name)
{
    char **lines;
    size_t *line_nos;
    size_t n = ofctl_read_flow_lines(name, &lines, &line_nos);
    char *error = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!error) {
            struct ofp_flow_mod_msg fm;
            char *e = ofp_parse_flow_mod_str(&fm, lines[i], OFPFC_ADD);
            if (e) {
                error = xasprintf("%s:%zu: %s", name, line_nos[i], e);
                free(e);
            } else {
                ofctl_flow_set_add(set, fm.table_id, fm.priority, &fm.match,
                                   fm.new_cookie, fm.idle_timeout,
                                   fm.hard_timeout, fm.importance,
                                   &fm.ofpacts);
                ofp_flow_mod_uninit(&fm);
            }
        }
    }
    ofctl_free_lines(lines, n);
    free(line_nos);
    return error;
}

void
ofctl_free_lines(char **lines, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(lines[i]);
    }
    free(lines);
}

/* If '*line' starts with one of the 'n' keywords of 'kws' (a whole word,
 * not "name=..."), skips it and returns its command; otherwise returns
 * 'command'. */
int
ofctl_line_command(const char **line, const struct ofctl_line_keyword *kws,
                   size_t n, int command)
{
    const char *s = *line + strspn(*line, " \t");
    size_t len = strcspn(s, " \t,");
    for (size_t i = 0; i < n; i++) {
        if (len == strlen(kws[i].name) && !strncmp(s, kws[i].name, len)
            && s[len] != '=') {
            *line = s + len + strspn(s + len, " \t,");
            return kws[i].command;
        }
    }
    return command;
}

void
ofctl_flow_set_add_stats(struct ofctl_flow_set *set,
                         const struct ofp_flow_stats *fs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ofctl_flow_set_add(set, fs[i].table_id, fs[i].priority, &fs[i].match,
                           fs[i].cookie, fs[i].idle_timeout,
                           fs[i].hard_timeout, fs[i].importance,
                           &fs[i].ofpacts);
    }
}

static int
compare_table_then_seq(const void *a_, const void *b_)
{
    const struct ofctl_flow *a = *(const struct ofctl_flow *const *) a_;
    const struct ofctl_flow *b = *(const struct ofctl_flow *const *) b_;
    if (a->table_id != b->table_id) {
        return a->table_id < b->table_id ? -1 : 1;
    }
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

const struct ofctl_flow **
ofctl_flow_set_sorted(const struct ofctl_flow_set *set, size_t *np)
{
    size_t n = hmap_count(&set->flows);
    const struct ofctl_flow **flows = xmalloc((n ? n : 1) * sizeof *flows);
    size_t i = 0;
    const struct ofctl_flow *flow;
    HMAP_FOR_EACH (flow, node, &set->flows) {
        flows[i++] = flow;
    }
    qsort(flows, n, sizeof *flows, compare_table_then_seq);
    *np = n;
    return flows;
}

bool
ofctl_flow_same_version(const struct ofctl_flow *a,
                        const struct ofctl_flow *b)
{
    return (a->cookie == b->cookie
            && a->idle_timeout == b->idle_timeout
            && a->hard_timeout == b->hard_timeout
            && a->importance == b->importance
            && ofpacts_equal(&a->ofpacts, &b->ofpacts));
}

void
ofctl_flow_format(const struct ofctl_flow *flow, struct ds *s)
{
    if (flow->table_id) {
        ds_put_format(s, "table=%u ", flow->table_id);
    }
    match_format(&flow->match, flow->priority, s);
    if (flow->cookie) {
        ds_put_format(s, " cookie=0x%"PRIx64, flow->cookie);
    }
    if (flow->idle_timeout) {
        ds_put_format(s, " idle_timeout=%u", flow->idle_timeout);
    }
    if (flow->hard_timeout) {
        ds_put_format(s, " hard_timeout=%u", flow->hard_timeout);
    }
    if (flow->importance) {
        ds_put_format(s, " importance=%u", flow->importance);
    }
    ds_put_cstr(s, " actions=");
    ofpacts_format(&flow->ofpacts, s);
}

/* Sorting flow stats. */

struct sort_ctx {
    const struct ofp_flow_stats *fs;
    const struct ofctl_sort_key *keys;
    size_t n_keys;
};

static int
compare_by_key(const struct ofp_flow_stats *a, const struct ofp_flow_stats *b,
               const struct ofctl_sort_key *key)
{
    int c;
    if (!key->field) {
        c = a->priority < b->priority ? -1 : a->priority > b->priority;
    } else {
        const struct mf_field *mf = key->field;
        bool a_has = !mf_is_all_wild(mf, &a->match.wc);
        bool b_has = !mf_is_all_wild(mf, &b->match.wc);
        if (a_has != b_has) {
            /* Flows without the field go last in either direction. */
            return a_has ? -1 : 1;
        }
        if (!a_has) {
            return 0;
        }
        union mf_value av, bv;
        mf_get_flow_value(mf, &a->match.flow, &av);
        mf_get_flow_value(mf, &b->match.flow, &bv);
        c = memcmp(&av, &bv, mf->n_bytes);
    }
    return key->descending ? -c : c;
}

static int
compare_flow_stats(const void *a_, const void *b_, void *ctx_)
{
    const struct sort_ctx *ctx = ctx_;
    size_t ai = *(const size_t *) a_, bi = *(const size_t *) b_;
    for (size_t i = 0; i < ctx->n_keys; i++) {
        int c = compare_by_key(&ctx->fs[ai], &ctx->fs[bi], &ctx->keys[i]);
        if (c) {
            return c;
        }
    }
    /* Flows the keys do not tell apart come by descending priority, as
     * ovs-ofctl prints them, then in the reply's order. */
    uint16_t ap = ctx->fs[ai].priority, bp = ctx->fs[bi].priority;
    if (ap != bp) {
        return ap > bp ? -1 : 1;
    }
    return ai < bi ? -1 : ai > bi;
}

void
ofctl_sort_flow_stats(struct ofp_flow_stats *fs, size_t n,
                      const struct ofctl_sort_key *keys, size_t n_keys)
{
    if (n < 2) {
        return;
    }
    size_t *order = xmalloc(n * sizeof *order);
    for (size_t i = 0; i < n; i++) {
        order[i] = i;
    }
    struct sort_ctx ctx = { fs, keys, n_keys };
    qsort_r(order, n, sizeof *order, compare_flow_stats, &ctx);

    struct ofp_flow_stats *sorted = xmalloc(n * sizeof *sorted);
    for (size_t i = 0; i < n; i++) {
        sorted[i] = fs[order[i]];
    }
    memcpy(fs, sorted, n * sizeof *fs);
    free(sorted);
    free(order);
}
