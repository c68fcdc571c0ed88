/* dp-emc: the exact-match cache of one PMD thread.
 *
 * What it is for
 * --------------
 * Most traffic is a few busy connections.  For those, a table keyed by the
 * whole packet key (dp-key.h) finds the megaflow with one hash probe and
 * one key compare, before the megaflow classifier (dp-classifier.h) has
 * to search its subtables.  The cache maps a key to a classifier rule;
 * on a miss the caller asks the classifier and offers the rule it found
 * with dp_emc_probabilistic_insert().
 *
 * Shape
 * -----
 * A fixed number of entries (a power of two, chosen at creation; never
 * grown), each holding the hash, the key's word map and its non-zero
 * words packed, and a rule.  A key may live in one of two entries (two
 * indices derived from its hash); a new key evicts an empty entry, an
 * entry whose rule is dead, or otherwise one of the two.  The caller
 * supplies the hash (dp_key_hash(), or a NIC's RSS hash once the ports
 * provide one) and must use the same hash for lookups and inserts.  Keys
 * with more than DP_EMC_MAX_WORDS non-zero words are not cached: they are
 * rare (tunnelled packets with many options) and the classifier handles
 * them.
 *
 * Insertion probability
 * ---------------------
 * With many more flows than entries, inserting every miss only thrashes
 * the cache.  Like Open vSwitch's other_config:emc-insert-inv-prob, an
 * offered insertion happens with probability 1/N (N = 1: always; N = 0:
 * never, which disables the cache in effect).  The default is 100, so
 * only flows that keep sending get in.  The random numbers come from a
 * private generator with a fixed seed, so runs repeat.
 *
 * Invalidation
 * ------------
 * Each entry holds a reference on its rule (dpcls_rule_ref()), so the
 * rule's memory stays valid while cached even after the classifier
 * removed it; a lookup that finds a dead rule frees the entry and misses.
 * dp_emc_sweep(), called from the PMD thread's housekeeping, walks a few
 * entries per call and frees those with dead rules, so the last reference
 * to a removed megaflow goes away even if no packet asks for it again.
 *
 * Threads: one cache per PMD thread, used only by it; no locks.  Lookups
 * never allocate or free; releasing a dead rule may free it.
 *
 * Not done yet: signature-match cache (Open vSwitch's SMC). */
#ifndef XVS_DP_EMC_H
#define XVS_DP_EMC_H 1

#include <stddef.h>
#include <stdint.h>
#include "dp-classifier.h"
#include "dp-key.h"

#define DP_EMC_DEFAULT_ENTRIES 8192
#define DP_EMC_DEFAULT_INV_PROB 100
#define DP_EMC_MAX_WORDS 32

struct dp_emc;

struct dp_emc_stats {
    uint64_t n_lookups;
    uint64_t n_hits;
    uint64_t n_inserts;         /* Insertions done (not offered). */
};

/* 'n_entries' is rounded up to a power of two; 0 means the default. */
struct dp_emc *dp_emc_create(size_t n_entries);
/* Drops every reference and frees the cache. */
void dp_emc_destroy(struct dp_emc *);

void dp_emc_set_insert_inv_prob(struct dp_emc *, uint32_t inv_prob);

/* The live rule cached for 'key', or NULL. */
struct dpcls_rule *dp_emc_lookup(struct dp_emc *, const struct dp_key *,
                                 uint32_t hash);
/* Caches 'key' -> 'rule' (a live rule). */
void dp_emc_insert(struct dp_emc *, const struct dp_key *, uint32_t hash,
                   struct dpcls_rule *);
/* The same with the insertion probability applied. */
void dp_emc_probabilistic_insert(struct dp_emc *, const struct dp_key *,
                                 uint32_t hash, struct dpcls_rule *);

/* Frees the entries among the next 'n' (round robin) whose rules are
 * dead. */
void dp_emc_sweep(struct dp_emc *, size_t n);
/* Empties the cache. */
void dp_emc_flush(struct dp_emc *);

size_t dp_emc_n_entries(const struct dp_emc *);
/* Entries in use (a walk over all of them: not for the packet path). */
size_t dp_emc_count(const struct dp_emc *);
void dp_emc_get_stats(const struct dp_emc *, struct dp_emc_stats *);

#endif
