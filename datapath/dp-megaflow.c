/* dp-megaflow: a datapath's flow cache; see dp-megaflow.h. */
#include <config.h>
#include "dp-megaflow.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "coverage.h"
#include "dp-classifier.h"
#include "dp-emc.h"
#include "dp-flow-limit.h"
#include "dp-format.h"
#include "dp-xdp.h"
#include "packet-set.h"
#include "util.h"

COVERAGE_DEFINE(dpif_flow_put);
COVERAGE_DEFINE(dpif_flow_put_error);
COVERAGE_DEFINE(dpif_flow_del);

struct dp_megaflows {
    struct dpcls *cls;
    struct dp_emc *emc;
    struct xvs_list flows;      /* 'struct dp_megaflow's, oldest first. */
    size_t n_flows;
    const struct dp_flow_owner_ops *ops;
    struct dp_xdp *xdp;
    struct dp_megaflow_stats stats;
    long long int max_idle;
    size_t flow_limit;          /* Configured. */
    size_t dyn_limit;           /* Dynamic, within 'flow_limit'. */

    dp_revalidate_cb *revalidate;
    void *revalidate_aux;
    bool stale;                 /* Every megaflow awaits revalidation. */
    struct dp_actions *scratch; /* Revalidation's actions. */

    /* Housekeeping figures. */
    long long int sweep_duration;   /* Last sweep, ms. */
    long long int reval_duration;   /* Longest revalidation since. */
    size_t avg_flows, max_flows;
};

/* Real milliseconds, which "time/stop" does not freeze: sweeps are timed
 * to size the cache to the machine, not to the test's clock. */
static long long int
real_msec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

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
    mfs->dyn_limit = DP_FLOW_LIMIT_INITIAL;
    return mfs;
}

void
dp_megaflows_destroy(struct dp_megaflows *mfs)
{
    if (mfs) {
        dp_megaflows_flush(mfs);
        free(mfs->scratch);
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

void
dp_megaflows_set_xdp(struct dp_megaflows *mfs, struct dp_xdp *xdp)
{
    mfs->xdp = xdp;
}

/* Adds what the kernel counted for 'mf' since the last read. */
static void
add_kernel_counts(struct dp_megaflows *mfs, struct dp_megaflow *mf,
                  uint64_t n_packets, uint64_t n_bytes, long long int now)
{
    if (n_packets) {
        mf->n_packets += n_packets;
        mf->n_bytes += n_bytes;
        mf->used = now;
        mfs->stats.n_kernel_hits += n_packets;
    }
}

static void
read_kernel(struct dp_megaflows *mfs, struct dp_megaflow *mf,
            long long int now)
{
    uint64_t n_packets = 0, n_bytes = 0;
    if (mf->xdp && dp_xdp_flow_read(mf->xdp, &n_packets, &n_bytes)) {
        add_kernel_counts(mfs, mf, n_packets, n_bytes, now);
    }
}

/* Mirrors 'mf' (as it is now) into the kernel, if it can be. */
static void
offload(struct dp_megaflows *mfs, struct dp_megaflow *mf, long long int now)
{
    uint64_t n_packets = 0, n_bytes = 0;
    struct dp_key key;
    struct dp_key_mask mask;

    if (!mfs->xdp) {
        return;
    }
    dpcls_rule_get_match(mf->rule, &key, &mask);
    mf->xdp = dp_xdp_flow_put(mfs->xdp, mf->xdp, &key, &mask, mf->acts,
                              mf->n_acts, mf->sets, &n_packets, &n_bytes);
    add_kernel_counts(mfs, mf, n_packets, n_bytes, now);
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

void
dp_megaflows_lookup_batch(struct dp_megaflows *mfs,
                          const struct dp_key keys[], size_t n,
                          struct dp_megaflow *found[])
{
    uint32_t hashes[DPCLS_BATCH_MAX];
    const struct dp_key *missed[DPCLS_BATCH_MAX];
    struct dpcls_rule *rules[DPCLS_BATCH_MAX];
    size_t missed_idx[DPCLS_BATCH_MAX];
    size_t n_missed = 0;

    for (size_t i = 0; i < n; i++) {
        hashes[i] = dp_key_hash(&keys[i], 0);
        struct dpcls_rule *rule = dp_emc_lookup(mfs->emc, &keys[i],
                                                hashes[i]);
        if (rule) {
            mfs->stats.n_emc_hits++;
            found[i] = dpcls_rule_data(rule);
        } else {
            found[i] = NULL;
            missed_idx[n_missed] = i;
            missed[n_missed++] = &keys[i];
        }
    }
    if (!n_missed) {
        return;
    }
    dpcls_lookup_batch(mfs->cls, missed, n_missed, rules);
    for (size_t j = 0; j < n_missed; j++) {
        size_t i = missed_idx[j];
        if (rules[j]) {
            mfs->stats.n_megaflow_hits++;
            dp_emc_probabilistic_insert(mfs->emc, &keys[i], hashes[i],
                                        rules[j]);
            found[i] = dpcls_rule_data(rules[j]);
        } else {
            mfs->stats.n_misses++;
        }
    }
}

static void
push(struct dp_megaflows *mfs, struct dp_megaflow *mf)
{
    /* The owners of a stale table may be gone.  What a PMD counted in it
     * since it was marked goes to the owner revalidation gives the
     * megaflow (revalidate_one()), or nowhere. */
    if (mfs->stale) {
        return;
    }
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
    if (mfs->n_flows >= mfs->dyn_limit) {
        COVERAGE_INC(dpif_flow_put_error);
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
        COVERAGE_INC(dpif_flow_put_error);
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
    COVERAGE_INC(dpif_flow_put);
    offload(mfs, mf, now);
    return mf;
}

/* Takes 'mf' out, its counts pushed and its owner handed back.  The
 * exact-match cache may still point to its rule, which is dead now and
 * which the cache therefore no longer returns. */
static void
remove_megaflow(struct dp_megaflows *mfs, struct dp_megaflow *mf)
{
    COVERAGE_INC(dpif_flow_del);
    xvs_list_remove(&mf->node);
    mfs->n_flows--;
    if (mf->xdp) {
        uint64_t n_packets = 0, n_bytes = 0;
        dp_xdp_flow_del(mf->xdp, &n_packets, &n_bytes);
        add_kernel_counts(mfs, mf, n_packets, n_bytes, time_msec());
    }
    push(mfs, mf);
    hand_back(mfs, mf->owner);
    dpcls_remove(mfs->cls, mf->rule);
    free(mf->acts);
    free(mf->sets);
    free(mf);
}

void
dp_megaflows_set_revalidator(struct dp_megaflows *mfs, dp_revalidate_cb *cb,
                             void *aux)
{
    mfs->revalidate = cb;
    mfs->revalidate_aux = aux;
}

void
dp_megaflows_invalidate(struct dp_megaflows *mfs)
{
    /* A stale table counted nothing since it was marked: no push. */
    if (!mfs->stale && mfs->n_flows) {
        dp_megaflows_push_stats(mfs);
        mfs->stale = true;
    }
}

/* Whether every bit of 'need' is in 'have'. */
static bool
mask_covers(const struct dp_key_mask *have, const struct dp_key_mask *need)
{
    unsigned int n = dp_key_n_base_words();
    for (unsigned int i = 0; i < n; i++) {
        if (need->w[i] & ~have->w[i]) {
            return false;
        }
    }
    for (unsigned int i = DP_KEY_MD_OFS; i < DP_KEY_WORDS; i++) {
        if (need->w[i] & ~have->w[i]) {
            return false;
        }
    }
    return true;
}

static bool
same_actions(const struct dp_megaflow *mf, const struct dp_actions *a)
{
    if (mf->n_acts != a->n || mf->n_sets != a->n_sets
        || memcmp(mf->sets, a->sets, a->n_sets * sizeof *a->sets)) {
        return false;
    }
    for (unsigned int i = 0; i < a->n; i++) {
        const struct dp_action *x = &mf->acts[i], *y = &a->acts[i];
        if (x->type != y->type || x->arg != y->arg
            || x->eth_type != y->eth_type) {
            return false;
        }
    }
    return true;
}

static void
set_actions(struct dp_megaflow *mf, const struct dp_actions *actions)
{
    free(mf->acts);
    free(mf->sets);
    mf->n_acts = actions->n;
    mf->n_sets = actions->n_sets;
    mf->acts = xmemdup(actions->acts, actions->n * sizeof *actions->acts);
    mf->sets = xmemdup(actions->sets,
                       actions->n_sets * sizeof *actions->sets);
}

/* Translates 'mf' again: false if it must go. */
static bool
revalidate_one(struct dp_megaflows *mfs, struct dp_megaflow *mf)
{
    struct dp_key key;
    struct dp_key_mask mask, need;
    struct flow flow;
    struct dp_upcall_install inst = { .install = false, .owner = NULL };

    uint64_t late_packets = mf->n_packets - mf->pushed_packets;
    uint64_t late_bytes = mf->n_bytes - mf->pushed_bytes;
    mf->pushed_packets = mf->n_packets;
    mf->pushed_bytes = mf->n_bytes;

    dpcls_rule_get_match(mf->rule, &key, &mask);
    dp_key_to_flow(&key, &flow);
    dp_actions_init(mfs->scratch);
    mfs->revalidate(mfs->revalidate_aux, &flow, mfs->scratch, &inst);
    if (inst.install) {
        dp_key_mask_from_wc(&need, &inst.wc);
    }
    if (!inst.install || !mask_covers(&mask, &need)) {
        hand_back(mfs, inst.owner);
        return false;
    }
    hand_back(mfs, mf->owner);
    mf->owner = inst.owner;
    mf->pushed_packets -= late_packets;
    mf->pushed_bytes -= late_bytes;
    if (!same_actions(mf, mfs->scratch)) {
        set_actions(mf, mfs->scratch);
        mfs->stats.n_reval_modified++;
        offload(mfs, mf, time_msec());
    } else if (!mf->xdp || !dp_xdp_flow_offloaded(mf->xdp)) {
        /* What the kernel can do may have changed (a port came or
         * went, a tunnel's route). */
        offload(mfs, mf, time_msec());
    }
    return true;
}

void
dp_megaflows_revalidate(struct dp_megaflows *mfs)
{
    if (!mfs->stale) {
        return;
    }
    mfs->stale = false;
    long long int start = real_msec();
    if (!mfs->scratch) {
        mfs->scratch = xmalloc(sizeof *mfs->scratch);
    }
    struct dp_megaflow *mf, *next;
    XVS_LIST_FOR_EACH_SAFE (mf, next, node, &mfs->flows) {
        mfs->stats.n_revalidated++;
        if (!mfs->revalidate || !revalidate_one(mfs, mf)) {
            remove_megaflow(mfs, mf);
            mfs->stats.n_reval_deleted++;
        }
    }
    long long int duration = real_msec() - start;
    if (duration > mfs->reval_duration) {
        mfs->reval_duration = duration;
    }
}

void
dp_megaflows_flush(struct dp_megaflows *mfs)
{
    if (mfs->n_flows) {
        dp_emc_flush(mfs->emc);
        while (!xvs_list_is_empty(&mfs->flows)) {
            remove_megaflow(mfs, CONTAINER_OF(mfs->flows.next,
                                              struct dp_megaflow, node));
        }
    }
    mfs->stale = false;
}

void
dp_megaflows_set_limits(struct dp_megaflows *mfs, long long int max_idle,
                        size_t flow_limit)
{
    mfs->max_idle = max_idle;
    mfs->flow_limit = flow_limit;
    /* Sweeps raise it again, up to the new configured limit. */
    if (mfs->dyn_limit > flow_limit) {
        mfs->dyn_limit = flow_limit;
    }
}

void
dp_megaflows_run(struct dp_megaflows *mfs, long long int now)
{
    long long int start = real_msec();
    dp_megaflows_revalidate(mfs);
    struct dp_megaflow *mf, *next;
    XVS_LIST_FOR_EACH_SAFE (mf, next, node, &mfs->flows) {
        read_kernel(mfs, mf, now);
        if (now - mf->used >= mfs->max_idle) {
            remove_megaflow(mfs, mf);
            mfs->stats.n_expired++;
        } else {
            push(mfs, mf);
        }
    }
    dp_emc_sweep(mfs->emc, dp_emc_n_entries(mfs->emc));
    dpcls_rerank(mfs->cls);

    /* A revalidation a change asked for between sweeps is as much the
     * cost of the cache as this sweep. */
    long long int duration = real_msec() - start;
    if (mfs->reval_duration > duration) {
        duration = mfs->reval_duration;
    }
    mfs->reval_duration = 0;
    mfs->sweep_duration = duration;
    mfs->dyn_limit = dp_flow_limit_adjust(mfs->dyn_limit, mfs->n_flows,
                                          duration, mfs->flow_limit);
    mfs->avg_flows = (mfs->avg_flows + mfs->n_flows) / 2;
    if (mfs->n_flows > mfs->max_flows) {
        mfs->max_flows = mfs->n_flows;
    }
    mfs->stats.n_sweeps++;
}

void
dp_megaflows_push_stats(struct dp_megaflows *mfs)
{
    dp_megaflows_read_kernel(mfs);
    struct dp_megaflow *mf;
    XVS_LIST_FOR_EACH (mf, node, &mfs->flows) {
        push(mfs, mf);
    }
}

void
dp_megaflows_read_kernel(struct dp_megaflows *mfs)
{
    long long int now = time_msec();
    struct dp_megaflow *mf;
    XVS_LIST_FOR_EACH (mf, node, &mfs->flows) {
        read_kernel(mfs, mf, now);
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
dp_megaflows_get_sweep(const struct dp_megaflows *mfs,
                       struct dp_megaflow_sweep *sw)
{
    *sw = (struct dp_megaflow_sweep) {
        .n_flows = mfs->n_flows,
        .avg_flows = mfs->avg_flows,
        .max_flows = mfs->max_flows,
        .limit = mfs->dyn_limit,
        .duration = mfs->sweep_duration,
    };
}

void
dp_megaflows_format(struct dp_megaflows *mfs, long long int now,
                    const struct tnl_opt_map *map,
                    enum dp_flow_filter filter, struct ds *s)
{
    struct dp_megaflow *mf;
    XVS_LIST_FOR_EACH (mf, node, &mfs->flows) {
        read_kernel(mfs, mf, now);
        bool offloaded = mf->xdp && dp_xdp_flow_offloaded(mf->xdp);
        if ((filter == DP_FLOWS_OFFLOADED && !offloaded)
            || (filter == DP_FLOWS_NOT_OFFLOADED && offloaded)) {
            continue;
        }
        struct dp_key key;
        struct dp_key_mask mask;
        struct flow flow;
        struct flow_wildcards wc;
        dpcls_rule_get_match(mf->rule, &key, &mask);
        dp_key_to_flow(&key, &flow);
        dp_key_mask_to_wc(&mask, &wc);
        dp_format_key(&flow, &wc, map, s);
        ds_put_format(s, ", packets:%"PRIu64", bytes:%"PRIu64", used:",
                      mf->n_packets, mf->n_bytes);
        long long int age = now - mf->used;
        ds_put_format(s, "%lld.%03llds", (age < 0 ? 0 : age) / 1000,
                      (age < 0 ? 0 : age) % 1000);
        ds_put_cstr(s, (offloaded ? ", offloaded:yes, dp:xdp, actions:"
                        : ", actions:"));
        dp_format_actions(mf->acts, mf->n_acts, mf->sets, s);
        ds_put_char(s, '\n');
    }
}
