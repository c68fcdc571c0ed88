/* dp-megaflow: a datapath's flow cache; see dp-megaflow.h. */
#include <config.h>
#include "dp-megaflow.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "dp-classifier.h"
#include "dp-emc.h"
#include "dp-format.h"
#include "packet-set.h"
#include "util.h"

struct dp_megaflows {
    struct dpcls *cls;
    struct dp_emc *emc;
    struct xvs_list flows;      /* 'struct dp_megaflow's, oldest first. */
    size_t n_flows;
    const struct dp_flow_owner_ops *ops;
    struct dp_megaflow_stats stats;
    long long int max_idle;
    size_t flow_limit;
};

struct dp_megaflows *
dp_megaflows_create(const struct dp_flow_owner_ops *ops)
{
    struct dp_megaflows *mfs = xzalloc(sizeof *mfs);
    mfs->cls = dpcls_create();
    mfs->emc = dp_emc_create(0);
    xvs_list_init(&mfs->flows);
    mfs->ops = ops;
    mfs->max_idle = DP_FLOW_MAX_IDLE_DEFAULT;
    mfs->flow_limit = DP_FLOW_LIMIT_DEFAULT;
    return mfs;
}

void
dp_megaflows_destroy(struct dp_megaflows *mfs)
{
    if (mfs) {
        dp_megaflows_flush(mfs);
        dp_emc_destroy(mfs->emc);
        dpcls_destroy(mfs->cls);
        free(mfs);
    }
}

void
dp_megaflows_set_owner_ops(struct dp_megaflows *mfs,
                           const struct dp_flow_owner_ops *ops)
{
    mfs->ops = ops;
}

struct dp_megaflow *
dp_megaflows_lookup(struct dp_megaflows *mfs, const struct dp_key *key)
{
    uint32_t hash = dp_key_hash(key, 0);
    struct dpcls_rule *rule = dp_emc_lookup(mfs->emc, key, hash);
    if (rule) {
        mfs->stats.n_emc_hits++;
        return dpcls_rule_data(rule);
    }
    rule = dpcls_lookup(mfs->cls, key);
    if (rule) {
        mfs->stats.n_megaflow_hits++;
        dp_emc_probabilistic_insert(mfs->emc, key, hash, rule);
        return dpcls_rule_data(rule);
    }
    mfs->stats.n_misses++;
    return NULL;
}

static void
push(struct dp_megaflows *mfs, struct dp_megaflow *mf)
{
    uint64_t n = mf->n_packets - mf->pushed_packets;
    if (n && mfs->ops) {
        mfs->ops->push_stats(mf->owner, n, mf->n_bytes - mf->pushed_bytes,
                             mf->used);
    }
    mf->pushed_packets = mf->n_packets;
    mf->pushed_bytes = mf->n_bytes;
}

static void
hand_back(struct dp_megaflows *mfs, void *owner)
{
    if (owner && mfs->ops) {
        mfs->ops->destroy(owner);
    }
}

struct dp_megaflow *
dp_megaflows_install(struct dp_megaflows *mfs, const struct dp_key *key,
                     const struct flow_wildcards *wc,
                     const struct dp_actions *actions, void *owner,
                     uint32_t len, long long int now)
{
    if (mfs->n_flows >= mfs->flow_limit) {
        mfs->stats.n_not_installed++;
        hand_back(mfs, owner);
        return NULL;
    }
    struct dp_megaflow *mf = xzalloc(sizeof *mf);
    struct dp_key_mask mask;
    dp_key_mask_from_wc(&mask, wc);
    mf->rule = dpcls_insert(mfs->cls, key, &mask, mf);
    if (!mf->rule) {
        free(mf);
        mfs->stats.n_not_installed++;
        hand_back(mfs, owner);
        return NULL;
    }
    mf->owner = owner;
    mf->n_packets = mf->pushed_packets = 1;
    mf->n_bytes = mf->pushed_bytes = len;
    mf->used = now;
    mf->n_acts = actions->n;
    mf->n_sets = actions->n_sets;
    mf->acts = xmemdup(actions->acts, actions->n * sizeof *actions->acts);
    mf->sets = xmemdup(actions->sets,
                       actions->n_sets * sizeof *actions->sets);
    xvs_list_push_back(&mfs->flows, &mf->node);
    mfs->n_flows++;
    mfs->stats.n_installed++;
    return mf;
}

/* Takes 'mf' out, its counts pushed and its owner handed back.  The
 * exact-match cache may still point to its rule, which is dead now and
 * which the cache therefore no longer returns. */
static void
remove_megaflow(struct dp_megaflows *mfs, struct dp_megaflow *mf)
{
    xvs_list_remove(&mf->node);
    mfs->n_flows--;
    push(mfs, mf);
    hand_back(mfs, mf->owner);
    dpcls_remove(mfs->cls, mf->rule);
    free(mf->acts);
    free(mf->sets);
    free(mf);
}

void
dp_megaflows_flush(struct dp_megaflows *mfs)
{
    if (!mfs->n_flows) {
        return;
    }
    dp_emc_flush(mfs->emc);
    while (!xvs_list_is_empty(&mfs->flows)) {
        remove_megaflow(mfs, CONTAINER_OF(mfs->flows.next,
                                          struct dp_megaflow, node));
    }
}

void
dp_megaflows_set_limits(struct dp_megaflows *mfs, long long int max_idle,
                        size_t flow_limit)
{
    mfs->max_idle = max_idle;
    mfs->flow_limit = flow_limit;
}

void
dp_megaflows_run(struct dp_megaflows *mfs, long long int now)
{
    struct dp_megaflow *mf, *next;
    XVS_LIST_FOR_EACH_SAFE (mf, next, node, &mfs->flows) {
        if (now - mf->used >= mfs->max_idle) {
            remove_megaflow(mfs, mf);
            mfs->stats.n_expired++;
        }
    }
    dp_emc_sweep(mfs->emc, dp_emc_n_entries(mfs->emc));
    dpcls_rerank(mfs->cls);
}

void
dp_megaflows_push_stats(struct dp_megaflows *mfs)
{
    struct dp_megaflow *mf;
    XVS_LIST_FOR_EACH (mf, node, &mfs->flows) {
        push(mfs, mf);
    }
}

size_t
dp_megaflows_count(const struct dp_megaflows *mfs)
{
    return mfs->n_flows;
}

void
dp_megaflows_get_stats(const struct dp_megaflows *mfs,
                       struct dp_megaflow_stats *stats)
{
    *stats = mfs->stats;
}

void
dp_megaflows_format(const struct dp_megaflows *mfs, long long int now,
                    struct ds *s)
{
    const struct dp_megaflow *mf;
    XVS_LIST_FOR_EACH (mf, node, &mfs->flows) {
        struct dp_key key;
        struct dp_key_mask mask;
        struct flow flow;
        struct flow_wildcards wc;
        dpcls_rule_get_match(mf->rule, &key, &mask);
        dp_key_to_flow(&key, &flow);
        dp_key_mask_to_wc(&mask, &wc);
        dp_format_key(&flow, &wc, s);
        ds_put_format(s, ", packets:%"PRIu64", bytes:%"PRIu64", used:",
                      mf->n_packets, mf->n_bytes);
        long long int age = now - mf->used;
        ds_put_format(s, "%lld.%03llds", (age < 0 ? 0 : age) / 1000,
                      (age < 0 ? 0 : age) % 1000);
        ds_put_cstr(s, ", actions:");
        dp_format_actions(mf->acts, mf->n_acts, mf->sets, s);
        ds_put_char(s, '\n');
    }
}
