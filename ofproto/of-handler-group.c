/* of-handler-group: GROUP_MOD and the group multipart requests. */
#include <config.h>
#include "of-handler-group.h"

#include <stdlib.h>
#include "connmgr.h"
#include "ofp-group.h"
#include "ofproto-private.h"

static void
send_replies(struct ofconn *conn, struct ofpbuf_vec *vec)
{
    for (size_t i = 0; i < vec->n; i++) {
        ofconn_send(conn, vec->msgs[i]);
        vec->msgs[i] = NULL;
    }
    vec->n = 0;
    ofpbuf_vec_destroy(vec);
}

enum ofperr
of_handle_group_mod(struct ofproto *p, struct ofconn *conn XVS_UNUSED,
                 const struct ofp_msg_info *info)
{
    struct ofp_group_mod gm;
    enum ofperr error = ofp_decode_group_mod(info, &gm);
    for (size_t i = 0; !error && i < gm.group.n_buckets; i++) {
        error = ofpacts_check(&gm.group.buckets[i].ofpacts, NULL, 0,
                              FT_N_TABLES, OFPP_MAX);
    }
    if (!error) {
        error = group_table_mod(&p->groups, &p->ft, &gm);
        ofproto_report_removed(p);
    }
    ofp_group_uninit(&gm.group);
    return error;
}

/* Groups in ascending id order, as ovs-ofctl shows them. */
static struct group **
sorted_groups(const struct ofproto *p, uint32_t group_id, size_t *n)
{
    struct group **v = xcalloc(group_table_count(&p->groups) + 1,
                               sizeof *v);
    struct group *g;
    *n = 0;
    HMAP_FOR_EACH (g, node, &p->groups.groups) {
        if (group_id == OFPG_ALL || g->desc.group_id == group_id) {
            size_t i = (*n)++;
            while (i && v[i - 1]->desc.group_id > g->desc.group_id) {
                v[i] = v[i - 1];
                i--;
            }
            v[i] = g;
        }
    }
    return v;
}

enum ofperr
of_handle_group_stats_request(struct ofproto *p, struct ofconn *conn,
                           const struct ofp_msg_info *info)
{
    uint32_t group_id;
    enum ofperr error = ofp_decode_group_stats_request(info, &group_id);
    if (error) {
        return error;
    }
    ofproto_push_stats(p);
    size_t n;
    struct group **groups = sorted_groups(p, group_id, &n);
    struct ofp_group_stats *gs = xcalloc(n + 1, sizeof *gs);
    long long int now = time_msec();
    for (size_t i = 0; i < n; i++) {
        const struct group *g = groups[i];
        long long int age = now - g->created;
        gs[i].group_id = g->desc.group_id;
        gs[i].ref_count = group_ref_count(&p->ft, g->desc.group_id);
        gs[i].packet_count = g->n_packets;
        gs[i].byte_count = g->n_bytes;
        gs[i].duration_sec = age / 1000;
        gs[i].duration_nsec = (age % 1000) * 1000000;
        gs[i].buckets = g->bucket_stats;
        gs[i].n_buckets = g->desc.n_buckets;
    }
    struct ofpbuf_vec vec = { NULL, 0 };
    ofp_encode_group_stats_reply(gs, n, info, &vec);
    send_replies(conn, &vec);
    free(gs);
    free(groups);
    return 0;
}

enum ofperr
of_handle_group_desc_request(struct ofproto *p, struct ofconn *conn,
                          const struct ofp_msg_info *info)
{
    uint32_t group_id;
    enum ofperr error = ofp_decode_group_desc_request(info, &group_id);
    if (error) {
        return error;
    }
    size_t n;
    struct group **groups = sorted_groups(p, group_id, &n);
    struct ofp_group *descs = xcalloc(n + 1, sizeof *descs);
    for (size_t i = 0; i < n; i++) {
        descs[i] = groups[i]->desc;
    }
    struct ofpbuf_vec vec = { NULL, 0 };
    ofp_encode_group_desc_reply(descs, n, info, &vec);
    send_replies(conn, &vec);
    free(descs);
    free(groups);
    return 0;
}

enum ofperr
of_handle_group_features_request(struct ofproto *p XVS_UNUSED,
                              struct ofconn *conn,
                              const struct ofp_msg_info *info)
{
    uint32_t actions = ofp_group_features_actions(info->version);
    struct ofp_group_features f = {
        .types = (1u << OFPGT_ALL) | (1u << OFPGT_SELECT)
                 | (1u << OFPGT_INDIRECT) | (1u << OFPGT_FF),
        .capabilities = OFPGFC_SELECT_WEIGHT | OFPGFC_SELECT_LIVENESS
                        | OFPGFC_CHAINING,
    };
    for (int i = 0; i < 4; i++) {
        f.max_groups[i] = OFPG_MAX;
        f.actions[i] = actions;
    }
    ofconn_send(conn, ofp_encode_group_features_reply(&f, info));
    return 0;
}
