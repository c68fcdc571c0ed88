/* dp-classifier: the megaflow classifier of one PMD thread.
 *
 * What it is for
 * --------------
 * A megaflow is a datapath flow with wildcards: a key and a mask over the
 * packed datapath key (dp-key.h), plus whatever the datapath attaches
 * (actions, statistics), which the classifier carries as an opaque
 * pointer.  Translation of a missed packet through the OpenFlow tables
 * yields one megaflow that covers every packet translation would treat
 * the same way; installing it here lets the next such packet skip
 * translation.  This module finds, for a packet's key, the installed
 * megaflow that matches it.
 *
 * How lookup works: tuple space search
 * ------------------------------------
 * Megaflows with the same mask share a subtable: a hash table from the
 * masked key to the megaflow.  Looking a key up means, for each subtable,
 * masking the key with the subtable's mask, hashing the words the mask
 * covers (and only those) and probing the table.  The cost grows with the
 * number of distinct masks, not of megaflows.
 *
 * Subtables are searched in order of how many lookups they answered, so
 * the common traffic is found in the first subtable or two.  That order
 * changes only when the owner calls dpcls_rerank() (the PMD thread does
 * it from its housekeeping, about once a second), never per packet.
 *
 * dpcls_lookup_batch() takes up to DPCLS_BATCH_MAX keys, the size of a
 * receive batch, and walks the subtables once for all of them: it hashes
 * every unresolved key for a subtable and prefetches the slots before
 * probing any, so the memory latency of one key hides behind the hashing
 * of the next; a key whose hash it finds leaves the walk, and the rules
 * of all such keys are fetched together and compared at the end, so
 * their cache misses overlap too.  Hashing is specialised for masks of
 * up to eight words, and a probe compares eight slots' hashes at once.
 * dpcls_lookup() is the same search for one key, without the batch's
 * bookkeeping.
 *
 * The contract: megaflows do not overlap
 * --------------------------------------
 * As in Open vSwitch's datapaths, the classifier has no priorities and
 * does not check overlap: the caller must never install two megaflows
 * that one packet could match both of.  Translation guarantees that by
 * construction (a megaflow is only installed for a packet that missed,
 * and its mask covers every field that decided the outcome, so any other
 * megaflow matching the same packet would have been hit instead).  Under
 * that contract "the first match found" is "the match", and the order of
 * subtables changes speed, never results.  Installing the same masked key
 * under the same mask twice is refused (dpcls_insert() returns NULL).
 *
 * Lifetimes: rules are reference counted
 * --------------------------------------
 * dpcls_insert() returns a 'struct dpcls_rule' that holds the megaflow's
 * data pointer.  dpcls_remove() takes it out of the classifier and marks
 * it dead, then drops the classifier's reference.  Caches that keep rule
 * pointers (the exact-match cache, dp-emc.h) take a reference of their
 * own with dpcls_rule_ref() and test dpcls_rule_is_dead() before using
 * one, so a removed megaflow is never returned and a cached pointer never
 * dangles.  The caller must not use the data pointer of a dead rule.
 *
 * Threads
 * -------
 * No locks.  One classifier per PMD thread, and only that thread calls
 * into it (single writer and reader); rules and their references belong
 * to that thread too.  The classifier never allocates on lookup; insert
 * and remove allocate and free.
 *
 * Not done yet: staged lookup and prefix tracking (Open vSwitch's
 * classifier tricks for building wider megaflows belong to translation,
 * not here); a signature-match cache in front of the classifier. */
#ifndef XVS_DP_CLASSIFIER_H
#define XVS_DP_CLASSIFIER_H 1

#include <stddef.h>
#include <stdint.h>
#include "dp-key.h"

#define DPCLS_BATCH_MAX 32

struct dpcls;
struct dpcls_subtable;

/* A megaflow installed in a classifier.  The members are shared with the
 * exact-match cache; everyone else uses the functions below. */
struct dpcls_rule {
    struct dpcls_subtable *subtable;  /* NULL once removed. */
    void *data;                       /* The caller's megaflow. */
    uint32_t hash;                    /* Of the masked key. */
    unsigned int refcnt;
    uint64_t words[];                 /* Masked key, the subtable's words. */
};

struct dpcls_stats {
    uint64_t n_lookups;         /* Keys looked up. */
    uint64_t n_hits;            /* Keys that found a megaflow. */
    uint64_t n_subtable_probes; /* Subtables searched, over all keys. */
};

struct dpcls *dpcls_create(void);
/* Removes every rule (rules still referenced elsewhere live on, dead)
 * and frees the classifier. */
void dpcls_destroy(struct dpcls *);

/* Installs a megaflow: packets whose key matches 'key' under 'mask' map
 * to 'data'.  'key' need not be masked.  Returns the rule, or NULL if the
 * same masked key is already installed with the same mask. */
struct dpcls_rule *dpcls_insert(struct dpcls *, const struct dp_key *key,
                                const struct dp_key_mask *mask, void *data);
/* Takes 'rule' out of the classifier, marks it dead and drops the
 * classifier's reference (which may free it). */
void dpcls_remove(struct dpcls *, struct dpcls_rule *);

/* The installed rule matching 'key', or NULL. */
struct dpcls_rule *dpcls_lookup(struct dpcls *, const struct dp_key *);
/* Looks up 'n' (at most DPCLS_BATCH_MAX) keys: rules[i] is the rule that
 * matches keys[i], or NULL.  Returns how many were found. */
size_t dpcls_lookup_batch(struct dpcls *, const struct dp_key *const keys[],
                          size_t n, struct dpcls_rule *rules[]);

/* Orders the subtables by the lookups each answered since the last call
 * (older hits count half each time), most first. */
void dpcls_rerank(struct dpcls *);

size_t dpcls_count(const struct dpcls *);
size_t dpcls_n_subtables(const struct dpcls *);
void dpcls_get_stats(const struct dpcls *, struct dpcls_stats *);

/* The megaflow of a live rule: its masked key and mask. */
void dpcls_rule_get_match(const struct dpcls_rule *, struct dp_key *key,
                          struct dp_key_mask *mask);

static inline void *
dpcls_rule_data(const struct dpcls_rule *rule)
{
    return rule->data;
}

static inline bool
dpcls_rule_is_dead(const struct dpcls_rule *rule)
{
    return rule->subtable == NULL;
}

static inline void
dpcls_rule_ref(struct dpcls_rule *rule)
{
    rule->refcnt++;
}

/* Drops a reference; frees a dead rule with none left. */
void dpcls_rule_unref(struct dpcls_rule *);

#endif
