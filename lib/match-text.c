/* match-text: matches as ovs-ofctl writes them ("priority=100,tcp,
 * in_port=1,nw_src=10.0.0.0/24,tp_dst=80").
 *
 * Parsing looks each keyword up in the field registry; printing follows
 * ovs-ofctl's order, which groups by layer and folds dl_type/nw_proto into
 * a protocol shorthand, so it is a fixed sequence of registry rows rather
 * than table order.  The conntrack fields come right after pkt_mark,
 * conj_id and actset_output, then packet_type; the MPLS ones after dl_type
 * ("mpls" and "mplsm" are the shorthands for its two MPLS values); the
 * VXLAN-GBP, ERSPAN and GTP-U fields between the tunnel addresses and
 * tun_flags; the NSH ones right after dl_type. */
#include <config.h>
#include "meta-flow.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

struct shorthand {
    const char *name;
    uint16_t dl_type;
    uint8_t nw_proto;          /* 0: none. */
};

static const struct shorthand shorthands[] = {
    { "ip",    0x0800, 0 },
    { "ipv6",  0x86dd, 0 },
    { "icmp",  0x0800, 1 },
    { "icmp6", 0x86dd, 58 },
    { "tcp",   0x0800, 6 },
    { "tcp6",  0x86dd, 6 },
    { "udp",   0x0800, 17 },
    { "udp6",  0x86dd, 17 },
    { "sctp",  0x0800, 132 },
    { "sctp6", 0x86dd, 132 },
    { "arp",   0x0806, 0 },
    { "rarp",  0x8035, 0 },
    { "mpls",  0x8847, 0 },
    { "mplsm", 0x8848, 0 },
};

static const struct shorthand *
shorthand_lookup(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(shorthands); i++) {
        if (!strcmp(shorthands[i].name, name)) {
            return &shorthands[i];
        }
    }
    return NULL;
}

/* True if a shorthand names 'dl_type' together with 'proto'. */
static bool
shorthand_has_proto(uint16_t dl_type, uint8_t proto)
{
    for (size_t i = 0; i < ARRAY_SIZE(shorthands); i++) {
        if (shorthands[i].dl_type == dl_type && shorthands[i].nw_proto
            && shorthands[i].nw_proto == proto) {
            return true;
        }
    }
    return false;
}

bool
mf_is_protocol_shorthand(const char *key)
{
    return shorthand_lookup(key) != NULL;
}

static void
set_u64(struct match *match, enum mf_field_id id, uint64_t x)
{
    const struct mf_field *mf = mf_from_id(id);
    union mf_value v;
    memset(&v, 0, sizeof v);
    for (unsigned int i = mf->n_bytes; i-- > 0;) {
        v.b[i] = x & 0xff;
        x >>= 8;
    }
    mf_set(mf, &v, NULL, match);
}

char *
mf_parse_match_field(struct match *match, const char *key, const char *value)
{
    const struct shorthand *sh = shorthand_lookup(key);
    if (sh) {
        if (value) {
            return xasprintf("%s: protocol keyword takes no value", key);
        }
        set_u64(match, MFF_ETH_TYPE, sh->dl_type);
        if (sh->nw_proto) {
            set_u64(match, MFF_IP_PROTO, sh->nw_proto);
        }
        return NULL;
    }

    const struct mf_field *mf = mf_from_name(key);
    if (!mf) {
        return xasprintf("unknown keyword %s", key);
    }
    if (!value || !*value) {
        return xasprintf("field %s missing value", key);
    }
    if (mf->id == MFF_DL_VLAN && !strcmp(value, "0xffff")) {
        /* OpenFlow 1.0's "no VLAN tag". */
        union mf_value v, m;
        memset(&v, 0, sizeof v);
        memset(&m, 0, sizeof m);
        m.be16 = htons(0x1fff);
        mf_set(mf_from_id(MFF_VLAN_TCI), &v, &m, match);
        return NULL;
    }
    union mf_value v, m;
    char *error = mf_parse(mf, value, &v, &m);
    if (!error && mf_is_tun_md(mf)) {
        error = mf_tun_md_alloc(mf, &v, &m, match);
    }
    if (error) {
        return error;
    }
    mf_set(mf, &v, &m, match);
    return NULL;
}

char *
match_next_token(char **pos)
{
    static const char delims[] = ", \t\r\n";
    char *p = *pos + strspn(*pos, delims);
    if (!*p) {
        *pos = p;
        return NULL;
    }
    char *tok = p;
    int depth = 0;
    for (; *p && (depth || !strchr(delims, *p)); p++) {
        depth += *p == '(' ? 1 : *p == ')' && depth ? -1 : 0;
    }
    if (*p) {
        *p++ = '\0';
    }
    *pos = p;
    return tok;
}

char *
match_parse(struct match *match, const char *s)
{
    match_init_catchall(match);
    char *copy = xstrdup(s);
    char *pos = copy;
    char *error = NULL;
    for (char *tok = match_next_token(&pos); tok && !error;
         tok = match_next_token(&pos)) {
        char *eq = strchr(tok, '=');
        if (eq) {
            *eq = '\0';
        }
        error = mf_parse_match_field(match, tok, eq ? eq + 1 : NULL);
    }
    free(copy);
    if (!error) {
        error = match_check_prereqs(match);
    }
    return error;
}

/* ovs-ofctl prints tun_metadataN without a mask when the mask is all
 * ones over as many bytes as it has (0xffff for a 4-byte option
 * included), since it reads the field back that long. */
static bool
tun_md_mask_is_exact(const struct mf_field *mf, const union mf_value *mask)
{
    if (!mf_is_tun_md(mf)) {
        return false;
    }
    unsigned int n = mf_tun_md_sig_len(mask);
    for (unsigned int i = mf->n_bytes - n; i < mf->n_bytes; i++) {
        if (mask->b[i] != 0xff) {
            return false;
        }
    }
    return n > 0;
}

/* Prints "NAME=VALUE," for a row if any of its bits are matched. */
static void
format_field(const struct match *match, enum mf_field_id id,
             const char *name, struct ds *s)
{
    const struct mf_field *mf = mf_from_id(id);
    if (mf_is_all_wild(mf, &match->wc)) {
        return;
    }
    union mf_value v, m;
    mf_get_flow_value(mf, &match->flow, &v);
    mf_get_mask(mf, &match->wc, &m);
    ds_put_format(s, "%s=", name ? name : mf->print_name);
    mf_format(mf, &v, tun_md_mask_is_exact(mf, &m) ? NULL : &m, s);
    ds_put_char(s, ',');
}

static void
format_vlan(const struct match *match, struct ds *s)
{
    uint16_t tci = ntohs(match->flow.vlan_tci);
    uint16_t mask = ntohs(match->wc.masks.vlan_tci);
    uint16_t vid_mask = mask & 0x0fff, pcp_mask = mask & 0xe000;

    if (!mask) {
        return;
    }
    if (mask & VLAN_CFI && tci & VLAN_CFI
        && (!vid_mask || vid_mask == 0x0fff)
        && (!pcp_mask || pcp_mask == 0xe000)
        && (vid_mask || pcp_mask)) {
        if (vid_mask) {
            ds_put_format(s, "dl_vlan=%u,", tci & 0x0fff);
        }
        if (pcp_mask) {
            ds_put_format(s, "dl_vlan_pcp=%u,", tci >> 13);
        }
    } else if (mask == 0xffff) {
        ds_put_format(s, "vlan_tci=0x%04x,", tci);
    } else {
        ds_put_format(s, "vlan_tci=0x%04x/0x%04x,", tci, mask);
    }
}

/* The VXLAN-GBP, ERSPAN and GTP-U fields as ovs-ofctl prints them: the
 * flags and most ERSPAN and GTP-U fields by value alone (without a mask,
 * and not at all when zero), the ERSPAN index only for version 1 and the
 * direction and hardware id only for version 2. */
static void
format_tun_extras(const struct match *match, struct ds *s)
{
    const struct flow_tnl *f = &match->flow.tunnel;
    const struct flow_tnl *m = &match->wc.masks.tunnel;

    format_field(match, MFF_TUN_GBP_ID, NULL, s);
    if (m->gbp_flags) {
        ds_put_format(s, "tun_gbp_flags=%#x,", f->gbp_flags);
    }
    if (f->erspan_ver) {
        ds_put_format(s, "tun_erspan_ver=%u,", f->erspan_ver);
    }
    if (f->erspan_ver == 1 && m->erspan_idx) {
        ds_put_format(s, "tun_erspan_idx=%#x,", ntohl(f->erspan_idx));
    } else if (f->erspan_ver == 2) {
        if (f->erspan_dir) {
            ds_put_format(s, "tun_erspan_dir=%u,", f->erspan_dir);
        }
        if (f->erspan_hwid) {
            ds_put_format(s, "tun_erspan_hwid=%#x,", f->erspan_hwid);
        }
    }
    if (f->gtpu_flags) {
        ds_put_format(s, "gtpu_flags=%#x,", f->gtpu_flags);
    }
    if (f->gtpu_msgtype) {
        ds_put_format(s, "gtpu_msgtype=%u,", f->gtpu_msgtype);
    }
}

/* A hexadecimal NSH field as ovs-ofctl prints it in a match: "0x0" for
 * zero, unlike the other hexadecimal fields. */
static void
format_nsh_hex(enum mf_field_id id, uint32_t v, uint32_t m, struct ds *s)
{
    if (!m) {
        return;
    }
    ds_put_format(s, "%s=0x%"PRIx32, mf_from_id(id)->name, v);
    if (m != 0xffffffff && !(id == MFF_NSH_SPI && m == 0xffffff)) {
        ds_put_format(s, "/0x%"PRIx32, m);
    }
    ds_put_char(s, ',');
}

/* The NSH fields, the context headers only when the match says MD type
 * 1 (mf_nsh_context_hidden()).  A masked nsh_flags prints as two hex
 * digits over two. */
static void
format_nsh(const struct match *match, struct ds *s)
{
    const struct flow_nsh *f = &match->flow.nsh;
    const struct flow_nsh *m = &match->wc.masks.nsh;

    if (m->flags == 0xff) {
        ds_put_format(s, "nsh_flags=%"PRIu8",", f->flags);
    } else if (m->flags) {
        ds_put_format(s, "nsh_flags=0x%02"PRIx8"/0x%02"PRIx8",",
                      f->flags, m->flags);
    }
    format_field(match, MFF_NSH_TTL, NULL, s);
    format_field(match, MFF_NSH_MDTYPE, NULL, s);
    format_field(match, MFF_NSH_NP, NULL, s);
    format_nsh_hex(MFF_NSH_SPI, ntohl(f->path) >> 8,
                   ntohl(m->path) >> 8, s);
    format_field(match, MFF_NSH_SI, NULL, s);
    if (!mf_nsh_context_hidden(match)) {
        for (int i = 0; i < 4; i++) {
            format_nsh_hex(MFF_NSH_C1 + i, ntohl(f->c[i]),
                           ntohl(m->c[i]), s);
        }
    }
}

void
match_format(const struct match *match, int priority, struct ds *s)
{
    const struct flow *f = &match->flow;
    const struct flow *m = &match->wc.masks;
    size_t start = s->length;
    /* packet_type=(1,T) stands for dl_type T in choosing the fields to
     * print, but it takes no "ip"/"tcp"/... shorthand. */
    uint16_t dl_type;
    bool l3_exact = mf_match_dl_type(match, &dl_type);
    bool type_exact = m->dl_type == 0xffff;
    bool proto_exact = m->nw_proto == 0xff;
    bool is_ipv6 = l3_exact && dl_type == 0x86dd;
    bool is_ip = l3_exact && (dl_type == 0x0800 || is_ipv6);
    bool is_arp = l3_exact && (dl_type == 0x0806 || dl_type == 0x8035);
    bool skip_type = false, skip_proto = false;

    if (priority != OFP_DEFAULT_PRIORITY) {
        ds_put_format(s, "priority=%d,", priority);
    }
    /* ovs-ofctl puts these before the "ip"/"tcp"/... shorthand. */
    format_field(match, MFF_PKT_MARK, NULL, s);
    format_field(match, MFF_CONJ_ID, NULL, s);
    format_field(match, MFF_ACTSET_OUTPUT, NULL, s);
    for (int id = MFF_CT_STATE; id <= MFF_CT_TP_DST; id++) {
        format_field(match, id, NULL, s);
    }
    format_field(match, MFF_PACKET_TYPE, NULL, s);
    if (type_exact) {
        for (size_t i = 0; i < ARRAY_SIZE(shorthands); i++) {
            const struct shorthand *sh = &shorthands[i];
            if (sh->dl_type != dl_type) {
                continue;
            }
            if (sh->nw_proto
                ? proto_exact && sh->nw_proto == f->nw_proto
                : !(is_ip && proto_exact && shorthand_has_proto(dl_type,
                                                                f->nw_proto))) {
                ds_put_format(s, "%s,", sh->name);
                skip_type = true;
                skip_proto = sh->nw_proto != 0;
                break;
            }
        }
    }
    for (int i = 0; i < FLOW_N_REGS; i++) {
        format_field(match, MFF_REG0 + i, NULL, s);
    }
    for (int id = MFF_TUN_ID; id <= MFF_TUN_IPV6_DST; id++) {
        format_field(match, id, NULL, s);
    }
    format_tun_extras(match, s);
    for (int id = MFF_TUN_FLAGS; id <= MFF_TUN_METADATA63; id++) {
        format_field(match, id, NULL, s);
    }
    format_field(match, MFF_METADATA, NULL, s);
    format_field(match, MFF_IN_PORT, NULL, s);
    format_vlan(match, s);
    format_field(match, MFF_ETH_SRC, NULL, s);
    format_field(match, MFF_ETH_DST, NULL, s);
    if (!skip_type) {
        format_field(match, MFF_ETH_TYPE, NULL, s);
    }
    format_nsh(match, s);
    /* ovs-ofctl's order: the TTL before bottom-of-stack. */
    format_field(match, MFF_MPLS_LABEL, NULL, s);
    format_field(match, MFF_MPLS_TC, NULL, s);
    format_field(match, MFF_MPLS_TTL, NULL, s);
    format_field(match, MFF_MPLS_BOS, NULL, s);
    if (is_ipv6) {
        format_field(match, MFF_IPV6_SRC, NULL, s);
        format_field(match, MFF_IPV6_DST, NULL, s);
        format_field(match, MFF_IPV6_LABEL, NULL, s);
    } else if (is_arp) {
        format_field(match, MFF_ARP_SPA, NULL, s);
        format_field(match, MFF_ARP_TPA, NULL, s);
    } else {
        format_field(match, MFF_IPV4_SRC, NULL, s);
        format_field(match, MFF_IPV4_DST, NULL, s);
    }
    if (!skip_proto) {
        format_field(match, is_arp ? MFF_ARP_OP : MFF_IP_PROTO, NULL, s);
    }
    if (is_arp) {
        format_field(match, MFF_ARP_SHA, NULL, s);
        format_field(match, MFF_ARP_THA, NULL, s);
    }
    format_field(match, MFF_IP_DSCP, NULL, s);
    format_field(match, MFF_IP_ECN, NULL, s);
    format_field(match, MFF_IP_TTL, NULL, s);
    format_field(match, MFF_IP_FRAG, NULL, s);

    bool icmp = is_ip && proto_exact
                && f->nw_proto == (is_ipv6 ? 58 : 1);
    if (icmp) {
        format_field(match, MFF_ICMPV4_TYPE, "icmp_type", s);
        format_field(match, MFF_ICMPV4_CODE, "icmp_code", s);
        format_field(match, MFF_ND_TARGET, NULL, s);
        format_field(match, MFF_ND_SLL, NULL, s);
        format_field(match, MFF_ND_TLL, NULL, s);
        format_field(match, MFF_ND_RESERVED, NULL, s);
        format_field(match, MFF_ND_OPTIONS_TYPE, NULL, s);
    } else {
        format_field(match, MFF_TCP_SRC, NULL, s);
        format_field(match, MFF_TCP_DST, NULL, s);
    }
    format_field(match, MFF_TCP_FLAGS, NULL, s);

    if (s->length > start) {
        ds_chomp(s, ',');
    }
}

char *
match_to_string(const struct match *match, int priority)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    match_format(match, priority, &s);
    return ds_steal_cstr(&s);
}
