/* of-handler-meter: METER_MOD and the meter multipart requests. */
#include <config.h>
#include "of-handler-meter.h"

#include <stdlib.h>
#include "connmgr.h"
#include "ofp-meter.h"
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
of_handle_meter_mod(struct ofproto *p, struct ofconn *conn XVS_UNUSED,
                    const struct ofp_msg_info *info)
{
    struct ofp_meter_mod mm;
    enum ofperr error = ofp_decode_meter_mod(info, &mm);
    if (!error) {
        error = meter_table_mod(&p->meters, &p->ft, &mm);
        /* Flows a deleted meter took with it (reason meter_delete). */
        ofproto_report_removed(p);
    }
    ofp_meter_mod_uninit(&mm);
    return error;
}

/* Meters in ascending id order, as ovs-ofctl shows them; 'meter_id'
 * OFPM_ALL for all of them. */
static struct meter **
sorted_meters(const struct ofproto *p, uint32_t meter_id, size_t *n)
{
    struct meter **v = xcalloc(meter_table_count(&p->meters) + 1,
                               sizeof *v);
    struct meter *m;
    *n = 0;
    HMAP_FOR_EACH (m, node, &p->meters.meters) {
        if (meter_id == OFPM_ALL || m->id == meter_id) {
            size_t i = (*n)++;
            while (i && v[i - 1]->id > m->id) {
                v[i] = v[i - 1];
                i--;
            }
            v[i] = m;
        }
    }
    return v;
}

enum ofperr
of_handle_meter_stats_request(struct ofproto *p, struct ofconn *conn,
                              const struct ofp_msg_info *info)
{
    uint32_t meter_id;
    enum ofperr error = ofp_decode_meter_request(info, &meter_id);
    if (error) {
        return error;
    }
    size_t n;
    struct meter **meters = sorted_meters(p, meter_id, &n);
    struct ofp_meter_stats *ms = xcalloc(n + 1, sizeof *ms);
    long long int now = time_msec();
    for (size_t i = 0; i < n; i++) {
        const struct meter *m = meters[i];
        long long int age = now - m->created;
        ms[i].meter_id = m->id;
        ms[i].flow_count = meter_ref_count(&p->ft, m->id);
        ms[i].packet_in_count = m->packet_count;
        ms[i].byte_in_count = m->byte_count;
        ms[i].duration_sec = age / 1000;
        ms[i].duration_nsec = (age % 1000) * 1000000;
        ms[i].n_bands = m->n_bands;
        ms[i].bands = xcalloc(m->n_bands + 1, sizeof *ms[i].bands);
        for (size_t j = 0; j < m->n_bands; j++) {
            ms[i].bands[j].packet_count = m->bands[j].packet_count;
            ms[i].bands[j].byte_count = m->bands[j].byte_count;
        }
    }
    struct ofpbuf_vec vec = { NULL, 0 };
    ofp_encode_meter_stats_reply(ms, n, info, &vec);
    send_replies(conn, &vec);
    ofp_meter_stats_free(ms, n);
    free(meters);
    return 0;
}

enum ofperr
of_handle_meter_config_request(struct ofproto *p, struct ofconn *conn,
                               const struct ofp_msg_info *info)
{
    uint32_t meter_id;
    enum ofperr error = ofp_decode_meter_request(info, &meter_id);
    if (error) {
        return error;
    }
    size_t n;
    struct meter **meters = sorted_meters(p, meter_id, &n);
    struct ofp_meter_mod *mc = xcalloc(n + 1, sizeof *mc);
    for (size_t i = 0; i < n; i++) {
        meter_get_config(meters[i], &mc[i]);
    }
    struct ofpbuf_vec vec = { NULL, 0 };
    ofp_encode_meter_config_reply(mc, n, info, &vec);
    send_replies(conn, &vec);
    ofp_meter_configs_free(mc, n);
    free(meters);
    return 0;
}

enum ofperr
of_handle_meter_features_request(struct ofproto *p XVS_UNUSED,
                                 struct ofconn *conn,
                                 const struct ofp_msg_info *info)
{
    struct ofp_meter_features mf = {
        .max_meters = METER_TABLE_MAX,
        .band_types = 1u << OFPMBT_DROP,
        .capabilities = OFPMF_KBPS | OFPMF_PKTPS | OFPMF_BURST | OFPMF_STATS,
        .max_bands = METER_TABLE_MAX_BANDS,
        .max_color = 0,
    };
    ofconn_send(conn, ofp_encode_meter_features_reply(&mf, info));
    return 0;
}
