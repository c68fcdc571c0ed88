/* ofp-parse: ovs-ofctl's flow syntax for flow_mods and flow-statistics
 * requests ("priority=100,in_port=1,actions=output:2"). */
#include <config.h>
#include "ofp-msgs.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "meta-flow.h"
#include "ofp-names.h"

/* Splits 's' into the part before "actions=" and the actions; *actions is
 * NULL if there is no "actions=". */
static char *
split_actions(const char *s, char **actions)
{
    const char *p = s;
    *actions = NULL;
    while ((p = strstr(p, "actions")) != NULL) {
        const char *after = p + 7;
        while (*after == ' ') {
            after++;
        }
        if ((p == s || p[-1] == ',' || isspace((unsigned char) p[-1]))
            && *after == '=') {
            *actions = xstrdup(after + 1);
            return xstrndup(s, p - s);
        }
        p += 7;
    }
    return xstrdup(s);
}

static char *
parse_uint(const char *key, const char *value, uint64_t max, uint64_t *out)
{
    unsigned long long x;
    if (!value || !str_to_ullong(value, 0, &x) || x > max) {
        return xasprintf("%s: invalid value for %s",
                         value ? value : "(missing)", key);
    }
    *out = x;
    return NULL;
}

static char *
parse_cookie(const char *value, uint64_t *cookie, uint64_t *mask,
             bool *has_mask)
{
    const char *slash = value ? strchr(value, '/') : NULL;
    char *vs = slash ? xstrndup(value, slash - value)
                     : xstrdup(value ? value : "");
    char *error = parse_uint("cookie", vs, UINT64_MAX, cookie);
    free(vs);
    *has_mask = slash != NULL;
    *mask = UINT64_MAX;
    if (!error && slash && strcmp(slash + 1, "-1")) {
        error = parse_uint("cookie mask", slash + 1, UINT64_MAX, mask);
    }
    return error;
}

static char *
parse_port(const char *key, const char *value, uint32_t *port)
{
    if (!value || !ofp_port_from_string(value, port)) {
        return xasprintf("%s: invalid port for %s",
                         value ? value : "(missing)", key);
    }
    return NULL;
}

/* mod_tp_src/mod_tp_dst name TCP ports; under a UDP match they are the
 * UDP fields, as the OXM encoding must say. */
static void
udp_port_actions(const struct match *match, struct ofpacts *ofpacts)
{
    if (!mf_are_prereqs_ok(mf_from_id(MFF_UDP_SRC), match)) {
        return;
    }
    for (size_t i = 0; i < ofpacts->n; i++) {
        struct ofpact *a = &ofpacts->acts[i];
        if (a->type == OFPACT_SET_FIELD) {
            if (a->set_field.field == MFF_TCP_SRC) {
                a->set_field.field = MFF_UDP_SRC;
            } else if (a->set_field.field == MFF_TCP_DST) {
                a->set_field.field = MFF_UDP_DST;
            }
        }
    }
}

static const struct {
    const char *name;
    int command;
} command_names[] = {
    { "add", OFPFC_ADD },
    { "modify", OFPFC_MODIFY },
    { "modify_strict", OFPFC_MODIFY_STRICT },
    { "delete", OFPFC_DELETE },
    { "delete_strict", OFPFC_DELETE_STRICT },
};

char *
ofp_parse_flow_mod_str(struct ofp_flow_mod_msg *fm, const char *s,
                       int command)
{
    ofp_flow_mod_init(fm);
    while (isspace((unsigned char) *s)) {
        s++;
    }
    if (command < 0) {
        command = OFPFC_ADD;
        for (size_t i = 0; i < ARRAY_SIZE(command_names); i++) {
            size_t n = strlen(command_names[i].name);
            if (!strncmp(s, command_names[i].name, n)
                && (isspace((unsigned char) s[n]) || !s[n])) {
                command = command_names[i].command;
                s += n;
                break;
            }
        }
    }
    fm->command = command;
    bool is_del = command == OFPFC_DELETE || command == OFPFC_DELETE_STRICT;
    fm->table_id = command == OFPFC_ADD ? 0 : OFPTT_ALL;

    char *actions;
    char *match_part = split_actions(s, &actions);
    char *error = NULL;
    char *pos = match_part;
    uint64_t cookie = 0, cookie_mask = 0;
    bool has_cookie = false, has_mask = false;

    for (char *tok = match_next_token(&pos);
         tok && !error; tok = match_next_token(&pos)) {
        char *value = strchr(tok, '=');
        uint64_t x = 0;
        if (value) {
            *value++ = '\0';
        }
        if (!strcmp(tok, "priority")) {
            error = parse_uint(tok, value, UINT16_MAX, &x);
            fm->priority = x;
        } else if (!strcmp(tok, "table")) {
            uint8_t id;
            error = (value && ofp_table_from_string(value, 254, &id)
                     ? (x = id, NULL) : parse_uint(tok, value, 254, &x));
            fm->table_id = x;
        } else if (!strcmp(tok, "idle_timeout")) {
            error = parse_uint(tok, value, UINT16_MAX, &x);
            fm->idle_timeout = x;
        } else if (!strcmp(tok, "hard_timeout")) {
            error = parse_uint(tok, value, UINT16_MAX, &x);
            fm->hard_timeout = x;
        } else if (!strcmp(tok, "cookie")) {
            error = parse_cookie(value, &cookie, &cookie_mask, &has_mask);
            has_cookie = true;
        } else if (!strcmp(tok, "importance")) {
            error = parse_uint(tok, value, UINT16_MAX, &x);
            fm->importance = x;
        } else if (!strcmp(tok, "out_port")) {
            error = parse_port(tok, value, &fm->out_port);
        } else if (!strcmp(tok, "out_group")) {
            error = parse_uint(tok, value, UINT32_MAX, &x);
            fm->out_group = x;
        } else if (!strcmp(tok, "buffer_id")) {
            error = parse_uint(tok, value, UINT32_MAX, &x);
            fm->buffer_id = x;
        } else if (!strcmp(tok, "send_flow_rem") && !value) {
            fm->flags |= OFPFF_SEND_FLOW_REM;
        } else if (!strcmp(tok, "check_overlap") && !value) {
            fm->flags |= OFPFF_CHECK_OVERLAP;
        } else if (!strcmp(tok, "reset_counts") && !value) {
            fm->flags |= OFPFF_RESET_COUNTS;
        } else {
            error = mf_parse_match_field(&fm->match, tok, value);
        }
    }
    free(match_part);

    if (!error && has_cookie) {
        if (command == OFPFC_ADD) {
            if (has_mask) {
                error = xstrdup("flow additions cannot use a cookie mask");
            } else {
                fm->new_cookie = cookie;
            }
        } else if (has_mask || is_del) {
            fm->cookie = cookie & cookie_mask;
            fm->cookie_mask = cookie_mask;
        } else {
            fm->new_cookie = cookie;
        }
    }
    if (!error && command == OFPFC_ADD) {
        fm->new_cookie = has_cookie ? cookie : 0;
    }
    if (!error) {
        error = match_check_prereqs(&fm->match);
    }
    if (!error && actions) {
        error = ofpacts_parse(actions, &fm->ofpacts);
    } else if (!error && !is_del) {
        error = xstrdup("must specify an action");
    }
    if (!error) {
        udp_port_actions(&fm->match, &fm->ofpacts);
        ofpacts_add_implicit_push_vlan(&fm->ofpacts, &fm->match);
        enum ofperr err = ofpacts_check(&fm->ofpacts, &fm->match,
                                        fm->table_id == OFPTT_ALL
                                        ? 0 : fm->table_id,
                                        255, OFPP_MAX);
        if (err) {
            error = xasprintf("actions are invalid with specified match "
                              "(%s)", ofperr_get_name(err));
        }
    }
    free(actions);
    if (error) {
        ofp_flow_mod_uninit(fm);
    }
    return error;
}

char *
ofp_parse_flow_stats_request_str(struct ofp_flow_stats_request *r,
                                 const char *s, bool aggregate)
{
    ofp_flow_stats_request_init(r);
    r->aggregate = aggregate;
    char *copy = xstrdup(s), *pos = copy, *error = NULL;
    for (char *tok = match_next_token(&pos); tok && !error;
         tok = match_next_token(&pos)) {
        char *value = strchr(tok, '=');
        uint64_t x = 0;
        if (value) {
            *value++ = '\0';
        }
        if (!strcmp(tok, "table")) {
            uint8_t id;
            error = (value && ofp_table_from_string(value, 255, &id)
                     ? (x = id, NULL) : parse_uint(tok, value, 255, &x));
            r->table_id = x;
        } else if (!strcmp(tok, "cookie")) {
            bool has_mask;
            error = parse_cookie(value, &r->cookie, &r->cookie_mask,
                                 &has_mask);
            r->cookie &= r->cookie_mask;
        } else if (!strcmp(tok, "out_port")) {
            error = parse_port(tok, value, &r->out_port);
        } else if (!strcmp(tok, "out_group")) {
            error = parse_uint(tok, value, UINT32_MAX, &x);
            r->out_group = x;
        } else {
            error = mf_parse_match_field(&r->match, tok, value);
        }
    }
    free(copy);
    if (!error) {
        error = match_check_prereqs(&r->match);
    }
    return error;
}
