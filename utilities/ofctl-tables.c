/* ofctl-tables: xvs-ofctl's table commands. */
#include <config.h>
#include "ofctl-tables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ofctl-vconn.h"
#include "ofproto/ofp-msgs.h"
#include "ofproto/ofp-table-mod.h"
#include "ofproto/ofp-table-print.h"
#include "util.h"

#define OF14_UP ((1u << OFP14_VERSION) | (1u << OFP15_VERSION))

void
ofctl_dump_tables(int argc XVS_UNUSED, char *argv[])
{
    dump_simple(argv[1], OFPTYPE_TABLE_STATS_REQUEST);
}

/* The tables of every part of a table features reply: ovs-ofctl prints
 * them as one list, each table compared with the one before it even
 * across parts. */
static struct ofp_table_features *collected_tf;
static size_t n_collected_tf;

static void
collect_table_features(const struct ofp_msg_info *info,
                       const struct ofpbuf *b XVS_UNUSED)
{
    enum ofperr error = ofp_decode_table_features_reply(info, &collected_tf,
                                                        &n_collected_tf);
    if (error) {
        xvs_fatal(0, "bad table features reply (%s)",
                  ofperr_get_name(error));
    }
}

/* dump-table-features SWITCH [TABLE]: TABLE, which ovs-ofctl does not
 * take, prints that table's features alone. */
void
ofctl_dump_table_features(int argc, char *argv[])
{
    long table = -1;
    if (argc > 2) {
        char *end;
        table = strtol(argv[2], &end, 10);
        if (*end || end == argv[2] || table < 0 || table > 254) {
            xvs_fatal(0, "%s: invalid table id", argv[2]);
        }
    }
    struct vconn vc;
    vconn_open(&vc, argv[1]);
    if (vc.version < OFP13_VERSION) {
        xvs_fatal(0, "dump-table-features needs OpenFlow 1.3 or later "
                  "('-O OpenFlow13')");
    }
    dump_transaction(&vc, ofp_encode_empty(OFPTYPE_TABLE_FEATURES_REQUEST,
                                           vc.version, ofpmsg_next_xid()),
                     collect_table_features);
    const struct ofp_table_features *tf = collected_tf;
    size_t n = n_collected_tf;
    if (table >= 0) {
        for (n = 0; n < n_collected_tf; n++) {
            if (collected_tf[n].table_id == table) {
                break;
            }
        }
        if (n == n_collected_tf) {
            xvs_fatal(0, "%s: switch has no table %ld", argv[1], table);
        }
        tf = &collected_tf[n];
        n = 1;
    }
    struct ds s = DS_EMPTY_INITIALIZER;
    ofp_table_features_format(&s, tf, n, vc.version, true);
    fputs(ds_cstr(&s), stdout);
    ds_destroy(&s);
    free(collected_tf);
    collected_tf = NULL;
    n_collected_tf = 0;
    vconn_close(&vc);
}

/* One vacancy threshold, "0" to "100". */
static uint8_t
parse_percent(const char *s, const char *which)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end || v > 100) {
        xvs_fatal(0, "Invalid vacancy %s value \"%s\"", which, s);
    }
    return v;
}

/* What 'setting' changes: eviction ('*eviction' set to it) or vacancy
 * events ('*vacancy', with the thresholds in 'tm'). */
enum table_setting { SET_EVICTION, SET_VACANCY };

static enum table_setting
parse_setting(const char *setting, bool *on, struct ofp_table_mod *tm)
{
    if (!strcmp(setting, "evict") || !strcmp(setting, "noevict")) {
        *on = setting[0] == 'e';
        return SET_EVICTION;
    }
    if (!strcmp(setting, "novacancy")) {
        *on = false;
        return SET_VACANCY;
    }
    if (!strncmp(setting, "vacancy:", 8)) {
        char *copy = xstrdup(setting + 8);
        char *comma = strchr(copy, ',');
        if (!comma) {
            xvs_fatal(0, "Vacancy up value missing");
        }
        *comma = '\0';
        tm->vacancy_down = parse_percent(copy, "down");
        tm->vacancy_up = parse_percent(comma + 1, "up");
        free(copy);
        if (tm->vacancy_down > tm->vacancy_up) {
            xvs_fatal(0, "Invalid vacancy range, vacancy up should be "
                      "greater than vacancy down (OFPBPC_BAD_VALUE)");
        }
        tm->has_vacancy = true;
        *on = true;
        return SET_VACANCY;
    }
    xvs_fatal(0, "invalid table_mod setting %s", setting);
}

/* The description of table 'table_id' (table 0's for OFPTT_ALL). */
static struct ofp_table_desc current_desc;
static uint8_t wanted_table;

static void
keep_desc(const struct ofp_msg_info *info, const struct ofpbuf *b
          XVS_UNUSED)
{
    struct ofp_table_desc *tds;
    size_t n;
    if (!ofp_decode_table_desc_reply(info, &tds, &n)) {
        for (size_t i = 0; i < n; i++) {
            if (tds[i].table_id == wanted_table) {
                current_desc = tds[i];
            }
        }
    }
    free(tds);
}

void
ofctl_mod_table(int argc XVS_UNUSED, char *argv[])
{
    struct ofp_table_mod tm;
    memset(&tm, 0, sizeof tm);
    if (!strcmp(argv[2], "all")) {
        tm.table_id = 0xff;
    } else {
        char *end;
        unsigned long id = strtoul(argv[2], &end, 10);
        if (!*argv[2] || *end || id > 254) {
            xvs_fatal(0, "unknown table \"%s\"", argv[2]);
        }
        tm.table_id = id;
    }
    bool on;
    enum table_setting what = parse_setting(argv[3], &on, &tm);
    if (!(allowed_versions & OF14_UP)) {
        xvs_fatal(0, "table_mod '%s' requires one of the OpenFlow versions "
                  "OpenFlow14, OpenFlow15", argv[3]);
    }
    allowed_versions &= OF14_UP;

    struct vconn vc;
    vconn_open(&vc, argv[1]);
    /* The other setting goes back as the switch has it. */
    wanted_table = tm.table_id == 0xff ? 0 : tm.table_id;
    memset(&current_desc, 0, sizeof current_desc);
    dump_transaction(&vc, ofp_encode_empty(OFPTYPE_TABLE_DESC_STATS_REQUEST,
                                           vc.version, ofpmsg_next_xid()),
                     keep_desc);
    bool eviction = current_desc.eviction, vacancy = current_desc.vacancy;
    if (what == SET_EVICTION) {
        eviction = on;
        tm.has_vacancy = vacancy;
        tm.vacancy_down = current_desc.vacancy_down;
        tm.vacancy_up = current_desc.vacancy_up;
    } else {
        vacancy = on;
        tm.has_eviction_flags = true;
        tm.eviction_flags = current_desc.eviction_flags;
    }
    tm.config = ((eviction ? OFPTC14_EVICTION : 0)
                 | (vacancy ? OFPTC14_VACANCY_EVENTS : 0));
    struct ofpbuf *req = ofp_encode_table_mod(&tm, vc.version,
                                              ofpmsg_next_xid());
    transact_noreply(&vc, &req, 1);
    vconn_close(&vc);
}

void
ofctl_dump_table_desc(int argc XVS_UNUSED, char *argv[])
{
    struct vconn vc;
    vconn_open(&vc, argv[1]);
    if (vc.version < OFP14_VERSION) {
        xvs_fatal(0, "dump-table-desc needs OpenFlow 1.4 or later "
                  "('-O OpenFlow14')");
    }
    dump_transaction(&vc, ofp_encode_empty(OFPTYPE_TABLE_DESC_STATS_REQUEST,
                                           vc.version, ofpmsg_next_xid()),
                     print_reply);
    vconn_close(&vc);
}
