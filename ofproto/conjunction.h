/* conjunction: conjunctive matches — the conjunction(ID,K/N) action
 * (NXAST_CONJUNCTION, Nicira subtype 34) and the table lookup that honours
 * it, as ovs-fields(7) "Conjunctive Match Fields" describes.
 *
 * A flow whose actions are conjunction(ID,K/N) (notes aside, nothing
 * else is allowed) does not run actions: it says "dimension K of the N
 * dimensions of conjunctive flow ID matches".  When, at one priority, a
 * packet matches a flow of every dimension of some ID, the table is
 * searched again with conj_id=ID (the NXM_NX_CONJ_ID field, not
 * maskable), ignoring conjunctive flows; the flow found is the result of
 * the lookup.  If that search finds nothing, the conjunctive flows are as
 * if they had not matched and the search goes on at lower priorities.
 * Conjunctive flows at the priority of an ordinary matching flow, or
 * below it, are ignored: the ordinary flow wins.  Conjunctive flows never
 * count packets; the conj_id flow does.
 *
 * Two lookups give the same result: a scan of the list in priority order
 * (conjunction_lookup(), where a conjunctive match costs a second scan),
 * and conjunction_lookup_index(), which asks the table's rule index
 * (rule-index.h) for the best ordinary rule, then for the conjunctive
 * rules matching above it, and resolves those priority by priority. */
#ifndef XVS_CONJUNCTION_H
#define XVS_CONJUNCTION_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "list.h"
#include "ofp-errors.h"

struct ds;
struct flow;
struct flow_wildcards;
struct ofpact;
struct ofpacts;
struct ofpbuf;

#define NXAST_CONJUNCTION 34

char *conjunction_parse(const char *arg, struct ofpacts *);
void conjunction_format(const struct ofpact *, struct ds *);
enum ofperr conjunction_decode(const uint8_t *p, size_t len,
                               struct ofpacts *);
void conjunction_encode(const struct ofpact *, struct ofpbuf *);

/* Whether 'ofpacts' has conjunction actions and, if so, nothing else but
 * notes ('*other' gets the first offending action, or NULL). */
bool conjunction_in(const struct ofpacts *, const struct ofpact **other);

/* The result of looking 'flow' up in 'rules' (a table's 'struct rule'
 * list, priority descending), conjunctive matches included.  If 'wc' is
 * nonnull, adds to it the bits of 'flow' the result depended on
 * (lib/flow-wildcards.h). */
struct rule *conjunction_lookup(struct xvs_list *rules, const struct flow *,
                                struct flow_wildcards *wc);

/* The same, by the table's rule index.  'wc' gets the masks of the
 * subtables searched (rule-index.h). */
struct rule_index;
struct rule *conjunction_lookup_index(struct rule_index *,
                                      const struct flow *,
                                      struct flow_wildcards *wc);

#endif
