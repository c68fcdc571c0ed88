/* conjunction: the conjunction action and conjunctive lookup. */
#include <config.h>
#include "conjunction.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "flow-table.h"
#include "flow-wildcards.h"
#include "ofp-actions.h"
#include "ofpbuf.h"

#define NX_VENDOR_ID 0x00002320
#define OFPAT_EXPERIMENTER 0xffff
#define MAX_CLAUSES 64

static char *
check_clauses(unsigned long long k, unsigned long long n)
{
    if (n < 2) {
        return xstrdup("conjunction must have at least 2 clauses");
    }
    if (n > MAX_CLAUSES) {
        return xstrdup("conjunction must have at most 64 clauses");
    }
    if (k < 1) {
        return xstrdup("clause index must be positive");
    }
    if (k > n) {
        return xstrdup("clause index must be less than or equal to number "
                       "of clauses");
    }
    return NULL;
}

/* "ID,K/N", spaces allowed around the parts. */
char *
conjunction_parse(const char *arg, struct ofpacts *o)
{
    unsigned long long id, k, n;
    char *copy = xstrdup(arg ? arg : ""), *w = copy;
    for (const char *r = copy; *r; r++) {
        if (*r != ' ') {
            *w++ = *r;
        }
    }
    *w = '\0';
    char *comma = strchr(copy, ',');
    char *slash = comma ? strchr(comma, '/') : NULL;
    char *error = NULL;
    if (!slash) {
        error = xasprintf("\"%s\": conjunction syntax is "
                          "\"conjunction(ID,K/N)\"", arg ? arg : "");
    } else {
        *comma = *slash = '\0';
        if (!str_to_ullong(copy, 0, &id) || id > UINT32_MAX
            || !str_to_ullong(comma + 1, 0, &k)
            || !str_to_ullong(slash + 1, 0, &n)) {
            error = xasprintf("\"%s\": bad conjunction argument", arg);
        } else {
            error = check_clauses(k, n);
        }
    }
    free(copy);
    if (!error) {
        struct ofpact *a = ofpacts_put(o, OFPACT_CONJUNCTION);
        a->conjunction.id = id;
        a->conjunction.clause = k;
        a->conjunction.n_clauses = n;
    }
    return error;
}

void
conjunction_format(const struct ofpact *a, struct ds *s)
{
    ds_put_format(s, "conjunction(%"PRIu32",%"PRIu8"/%"PRIu8")",
                  a->conjunction.id, a->conjunction.clause,
                  a->conjunction.n_clauses);
}

/* Wire: clause(8) (K - 1), n_clauses(8), id(32). */
enum ofperr
conjunction_decode(const uint8_t *p, size_t len, struct ofpacts *o)
{
    if (len != 16) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    char *error = check_clauses(p[10] + 1ULL, p[11]);
    if (error) {
        free(error);
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    struct ofpact *a = ofpacts_put(o, OFPACT_CONJUNCTION);
    a->conjunction.clause = p[10] + 1;
    a->conjunction.n_clauses = p[11];
    a->conjunction.id = get_be32(p + 12);
    return 0;
}

void
conjunction_encode(const struct ofpact *a, struct ofpbuf *b)
{
    ofpbuf_put_be16(b, OFPAT_EXPERIMENTER);
    ofpbuf_put_be16(b, 16);
    ofpbuf_put_be32(b, NX_VENDOR_ID);
    ofpbuf_put_be16(b, NXAST_CONJUNCTION);
    ofpbuf_put_u8(b, a->conjunction.clause - 1);
    ofpbuf_put_u8(b, a->conjunction.n_clauses);
    ofpbuf_put_be32(b, a->conjunction.id);
}

bool
conjunction_in(const struct ofpacts *o, const struct ofpact **other)
{
    bool conj = false;
    *other = NULL;
    for (size_t i = 0; i < o->n; i += ofpact_span(&o->acts[i])) {
        enum ofpact_type t = o->acts[i].type;
        if (t == OFPACT_CONJUNCTION) {
            conj = true;
        } else if (t != OFPACT_NOTE && !*other) {
            *other = &o->acts[i];
        }
    }
    if (!conj) {
        *other = NULL;
    }
    return conj;
}

/* ---- Lookup. ---- */

/* The dimensions of one conjunction ID matched so far at one priority. */
struct conj_seen {
    uint32_t id;
    uint8_t n_clauses;
    uint64_t clauses;           /* Bit K-1 set: dimension K matched. */
};

struct conj_scan {
    struct conj_seen *seen;
    size_t n, allocated;
};

static void
note_clauses(struct conj_scan *scan, const struct rule *rule)
{
    const struct ofpacts *o = &rule->ofpacts;
    for (size_t i = 0; i < o->n; i++) {
        const struct ofpact *a = &o->acts[i];
        if (a->type != OFPACT_CONJUNCTION) {
            continue;
        }
        struct conj_seen *s = NULL;
        for (size_t j = 0; j < scan->n; j++) {
            if (scan->seen[j].id == a->conjunction.id
                && scan->seen[j].n_clauses == a->conjunction.n_clauses) {
                s = &scan->seen[j];
                break;
            }
        }
        if (!s) {
            if (scan->n >= scan->allocated) {
                scan->allocated = scan->allocated ? 2 * scan->allocated : 4;
                scan->seen = xrealloc(scan->seen,
                                      scan->allocated * sizeof *scan->seen);
            }
            s = &scan->seen[scan->n++];
            s->id = a->conjunction.id;
            s->n_clauses = a->conjunction.n_clauses;
            s->clauses = 0;
        }
        s->clauses |= UINT64_C(1) << (a->conjunction.clause - 1);
    }
}

/* The second search, for conj_id=ID, over ordinary flows only: the first
 * rule, in list order, that matches 'conj_flow'. */
typedef struct rule *find_ordinary_cb(void *aux, const struct flow *conj_flow,
                                      struct flow_wildcards *wc);

/* Each complete conjunction of 'scan', in the order they were seen, is
 * looked up with 'find' until one finds a rule. */
static struct rule *
resolve(const struct flow *flow, const struct conj_scan *scan,
        find_ordinary_cb *find, void *aux, struct flow_wildcards *wc)
{
    for (size_t i = 0; i < scan->n; i++) {
        const struct conj_seen *s = &scan->seen[i];
        uint64_t all = (s->n_clauses == 64 ? UINT64_MAX
                        : (UINT64_C(1) << s->n_clauses) - 1);
        if (s->clauses != all) {
            continue;
        }
        struct flow conj_flow = *flow;
        conj_flow.conj_id = s->id;
        struct rule *rule = find(aux, &conj_flow, wc);
        if (rule) {
            return rule;
        }
    }
    return NULL;
}

static struct rule *
find_in_list(void *rules_, const struct flow *conj_flow,
             struct flow_wildcards *wc)
{
    struct xvs_list *rules = rules_;
    struct rule *rule;
    XVS_LIST_FOR_EACH (rule, node, rules) {
        if (rule->conjunctive) {
            continue;
        }
        if (match_matches_flow(&rule->match, conj_flow)) {
            if (wc) {
                flow_wc_fold_match(wc, &rule->match);
            }
            return rule;
        }
        if (wc) {
            flow_wc_exclude(wc, conj_flow, &rule->match);
        }
    }
    return NULL;
}

struct rule *
conjunction_lookup(struct xvs_list *rules, const struct flow *flow,
                   struct flow_wildcards *wc)
{
    struct conj_scan scan = { NULL, 0, 0 };
    struct rule *rule, *found = NULL;
    int priority = -1;

    XVS_LIST_FOR_EACH (rule, node, rules) {
        if (rule->priority != priority) {
            /* A priority level ends: did its conjunctions complete? */
            if (scan.n
                && (found = resolve(flow, &scan, find_in_list, rules, wc))) {
                break;
            }
            scan.n = 0;
            priority = rule->priority;
        }
        if (!match_matches_flow(&rule->match, flow)) {
            if (wc) {
                flow_wc_exclude(wc, flow, &rule->match);
            }
            continue;
        }
        if (wc) {
            flow_wc_fold_match(wc, &rule->match);
        }
        if (!rule->conjunctive) {
            found = rule;
            break;
        }
        note_clauses(&scan, rule);
    }
    if (!found && scan.n) {
        found = resolve(flow, &scan, find_in_list, rules, wc);
    }
    free(scan.seen);
    if (wc) {
        /* conj_id is no packet bit: the clauses that matched, which the
         * mask already fixes, decide it. */
        wc->masks.conj_id = 0;
    }
    return found;
}

static struct rule *
find_in_index(void *idx, const struct flow *conj_flow,
              struct flow_wildcards *wc)
{
    return rule_index_lookup(idx, conj_flow, wc);
}

struct rule *
conjunction_lookup_index(struct rule_index *idx, const struct flow *flow,
                         struct flow_wildcards *wc)
{
    struct rule *best = rule_index_lookup(idx, flow, wc);
    size_t n;
    struct rule **conj = rule_index_conjunctive(idx, flow,
                                                best ? best->priority + 1 : 0,
                                                wc, &n);
    struct conj_scan scan = { NULL, 0, 0 };
    struct rule *found = NULL;

    /* Priority by priority, as the scan resolves them. */
    for (size_t i = 0; i < n && !found; ) {
        uint16_t priority = conj[i]->priority;
        scan.n = 0;
        for (; i < n && conj[i]->priority == priority; i++) {
            note_clauses(&scan, conj[i]);
        }
        found = resolve(flow, &scan, find_in_index, idx, wc);
    }
    free(scan.seen);
    free(conj);
    if (wc) {
        wc->masks.conj_id = 0;
    }
    return found ? found : best;
}
