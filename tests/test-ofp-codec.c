/* test-ofp-codec: robustness and round-trip checks for the OpenFlow codec.
 *
 *   test-ofp-codec fuzz          encode one of every message in every
 *                                version, check it decodes back, then feed
 *                                every truncation and many mutations of it
 *                                to the decoders (each copy in a buffer of
 *                                exactly its size, so ASan sees over-reads)
 *   test-ofp-codec print HEX     print a message as xvs-ofctl would, or
 *                                its decode error
 *   test-ofp-codec split N V     encode N flow stats in version V and
 *                                check the multipart split
 *   test-ofp-codec write-corpus DIR  write the messages "fuzz" starts from
 *                                into DIR, one file each, as seeds for
 *                                libFuzzer
 *
 * Built with -DXVS_LIBFUZZER (configure --enable-fuzzing, program
 * tests/fuzz-ofp) the file is instead a libFuzzer target: the decoders of
 * "fuzz" run on inputs that libFuzzer evolves to reach new code.
 *
 * Decoding garbage must end in an error or a success, never a crash. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "meta-flow.h"
#include "ofproto/ofp-match.h"
#include "ofproto/ofp-msgs.h"
#include "util.h"

static const uint8_t versions[] = {
    OFP10_VERSION, OFP13_VERSION, OFP14_VERSION, OFP15_VERSION,
};

static struct ofpbuf_vec corpus;

static void
add(struct ofpbuf *b)
{
    if (b) {
        ofpbuf_vec_push(&corpus, b);
    }
}

static void
add_vec(struct ofpbuf_vec *v)
{
    for (size_t i = 0; i < v->n; i++) {
        add(v->msgs[i]);
    }
    free(v->msgs);
    v->msgs = NULL;
    v->n = 0;
}

static struct ofp_msg_info
fake_request(uint8_t version)
{
    struct ofp_msg_info info;
    memset(&info, 0, sizeof info);
    info.version = version;
    info.xid = 42;
    return info;
}

static void
build_corpus(void)
{
    static const uint8_t packet[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    const char *flows[] = {
        "priority=100,in_port=1,ip,nw_src=10.0.0.0/24,tcp,tp_dst=80,"
        "actions=output:2,CONTROLLER:65535,goto_table:1",
        "in_port=1,dl_vlan=5,actions=mod_dl_src:00:00:00:00:00:01,"
        "strip_vlan,output:2",
        "ipv6,ipv6_src=2001:db8::/64,icmp6,icmp_type=135,nd_target=::1,"
        "reg1=0x5/0xff,actions=set_field:7->reg2,write_metadata:0x1/0xff",
        "arp,arp_op=1,arp_sha=00:11:22:33:44:55,metadata=0x10,"
        "actions=push_vlan:0x8100,set_field:4101->vlan_vid,"
        "controller(reason=no_match,max_len=128),clear_actions",
    };

    for (size_t vi = 0; vi < ARRAY_SIZE(versions); vi++) {
        uint8_t v = versions[vi];
        struct ofp_msg_info req = fake_request(v);
        struct ofpbuf_vec vec = { NULL, 0 };

        add(ofp_encode_hello(OFP_SUPPORTED_VERSIONS));
        add(ofp_encode_echo_request(v));
        add(ofp_encode_error(OFPERR_OFPBMC_BAD_FIELD, v, 7, packet, 60));
        for (size_t i = 0; i < ARRAY_SIZE(flows); i++) {
            struct ofp_flow_mod_msg fm;
            char *error = ofp_parse_flow_mod_str(&fm, flows[i], OFPFC_ADD);
            if (error) {
                xvs_fatal(0, "%s", error);
            }
            add(ofp_encode_flow_mod(&fm, v, 3));

            struct ofp_flow_stats fs;
            memset(&fs, 0, sizeof fs);
            fs.match = fm.match;
            fs.priority = fm.priority;
            fs.ofpacts = fm.ofpacts;
            fs.packet_count = 5;
            if (ofp_match_usable_in(&fs.match, v)
                && ofpacts_usable_in(&fs.ofpacts, v)) {
                ofp_encode_flow_stats_reply(&fs, 1, &req, &vec);
                add_vec(&vec);
            }
            struct ofp_flow_removed_msg fr;
            memset(&fr, 0, sizeof fr);
            fr.match = fm.match;
            add(ofp_encode_flow_removed(&fr, v));
            ofp_flow_mod_uninit(&fm);
        }

        struct ofp_flow_stats_request r;
        ofp_flow_stats_request_init(&r);
        add(ofp_encode_flow_stats_request(&r, v, 4));
        r.aggregate = true;
        add(ofp_encode_flow_stats_request(&r, v, 4));

        struct ofp_phy_port ports[2];
        memset(ports, 0, sizeof ports);
        ports[0].port_no = 1;
        strcpy(ports[0].name, "p1");
        ports[0].curr = OFPPF_10GB_FD | OFPPF_COPPER;
        ports[1].port_no = OFPP_LOCAL;
        strcpy(ports[1].name, "br0");
        struct ofp_switch_features f = {
            .datapath_id = 1, .n_tables = 254, .ports = ports, .n_ports = 2,
        };
        add(ofp_encode_features_reply(&f, &req));
        add(ofp_encode_port_desc_reply(ports, 2, &req));
        struct ofp_port_status_msg ps = { .reason = OFPPR_ADD,
                                          .desc = ports[0] };
        add(ofp_encode_port_status(&ps, v));

        struct ofp_port_stats pst[2];
        memset(pst, 0, sizeof pst);
        pst[0].port_no = 1;
        pst[1].port_no = OFPP_LOCAL;
        ofp_encode_port_stats_reply(pst, 2, &req, &vec);
        add_vec(&vec);
        add(ofp_encode_port_stats_request(OFPP_ANY, v, 5));

        struct ofp_switch_config c = { 0, 128 };
        add(ofp_encode_switch_config(OFPTYPE_GET_CONFIG_REPLY, v, 6, &c));
        struct ofp_desc_stats d;
        memset(&d, 0, sizeof d);
        strcpy(d.mfr_desc, "xvswitch");
        add(ofp_encode_desc_stats_reply(&d, &req));
        struct ofp_aggregate_stats as = { 1, 2, 3 };
        add(ofp_encode_aggregate_stats_reply(&as, &req));
        struct ofp_table_stats ts[1];
        memset(ts, 0, sizeof ts);
        add(ofp_encode_table_stats_reply(ts, 1, &req));
        if (v != OFP10_VERSION) {
            struct ofp_table_features tf[2];
            memset(tf, 0, sizeof tf);
            tf[1].table_id = 1;
            ofp_encode_table_features_reply(tf, 2, &req, &vec);
            add_vec(&vec);
        }

        struct ofp_packet_in_msg pin;
        memset(&pin, 0, sizeof pin);
        match_init_catchall(&pin.match);
        pin.match.flow.in_port = 3;
        pin.match.wc.masks.in_port = UINT32_MAX;
        pin.buffer_id = OFP_NO_BUFFER;
        pin.packet = packet;
        pin.packet_len = sizeof packet;
        pin.total_len = sizeof packet;
        add(ofp_encode_packet_in(&pin, v));

        struct ofp_packet_out_msg po;
        memset(&po, 0, sizeof po);
        po.buffer_id = OFP_NO_BUFFER;
        po.in_port = OFPP_CONTROLLER;
        ofpacts_init(&po.ofpacts);
        if (ofpacts_parse("output:1,NORMAL", &po.ofpacts)) {
            xvs_fatal(0, "bad actions");
        }
        po.packet = packet;
        po.packet_len = sizeof packet;
        add(ofp_encode_packet_out(&po, v, 8));
        ofp_packet_out_uninit(&po);
    }
}

/* Runs every decoder that applies; returns the first error. */
static enum ofperr
decode_all(const uint8_t *data, size_t len)
{
    struct ofp_msg_info info;
    enum ofperr error = ofpmsg_decode(&info, data, len);
    char *s = ofp_to_string(data, len);
    free(s);
    if (error) {
        return error;
    }
    switch (info.type) {
    case OFPTYPE_FLOW_MOD: {
        struct ofp_flow_mod_msg fm;
        error = ofp_decode_flow_mod(&info, &fm);
        ofp_flow_mod_uninit(&fm);
        return error;
    }
    case OFPTYPE_PORT_DESC_STATS_REQUEST: {
        uint32_t port;
        return ofp_decode_port_desc_request(&info, &port);
    }
    case OFPTYPE_TABLE_FEATURES_REQUEST:
        return ofp_decode_table_features_request(&info);
    case OFPTYPE_HELLO: {
        uint32_t v;
        return ofp_decode_hello(&info, &v);
    }
    default:
        return 0;
    }
}

static uint32_t rng_state = 12345;

static uint32_t
rng(void)
{
    rng_state = rng_state * 1103515245 + 12345;
    return rng_state >> 8;
}

/* Decodes a copy of 'len' bytes of 'data' with the header length patched
 * to 'len' (when there is a header), in a buffer of exactly that size. */
static enum ofperr
try_copy(const uint8_t *data, size_t len, bool patch_length)
{
    uint8_t *copy = xmalloc(len ? len : 1);
    memcpy(copy, data, len);
    if (patch_length && len >= 4) {
        copy[2] = len >> 8;
        copy[3] = len;
    }
    enum ofperr error = decode_all(copy, len);
    free(copy);
    return error;
}

#ifdef XVS_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    try_copy(data, len, false);
    return 0;
}
#else

static int
cmd_fuzz(void)
{
    size_t n_trials = 0;
    build_corpus();
    for (size_t i = 0; i < corpus.n; i++) {
        const struct ofpbuf *b = corpus.msgs[i];
        enum ofperr error = decode_all(b->data, b->size);
        if (error) {
            char *s = ofp_to_string(b->data, b->size);
            fprintf(stderr, "message %zu does not decode (%s): %s", i,
                    ofperr_get_name(error), s);
            free(s);
            return 1;
        }
        for (size_t len = 0; len < b->size; len++) {
            try_copy(b->data, len, true);
            try_copy(b->data, len, false);
            n_trials += 2;
        }
        for (int k = 0; k < 300; k++) {
            uint8_t *m = xmemdup(b->data, b->size);
            int n_flips = 1 + rng() % 4;
            for (int j = 0; j < n_flips; j++) {
                m[rng() % b->size] = rng();
            }
            try_copy(m, b->size, k % 2);
            free(m);
            n_trials++;
        }
    }
    printf("%zu messages decoded, %zu malformed variants rejected or "
           "accepted without crashing\n", corpus.n, n_trials);
    ofpbuf_vec_destroy(&corpus);
    return 0;
}

/* Encodes 'n' flow stats in 'version' and reports how the reply was
 * split: every part but the last must carry the MORE flag, each must fit
 * in 64 kB, and all entries must come back. */
static int
cmd_split(int n, uint8_t version)
{
    struct ofp_flow_mod_msg fm;
    char *error = ofp_parse_flow_mod_str(
        &fm, "priority=7,ip,nw_src=10.0.0.0/8,actions=output:1,LOCAL",
        OFPFC_ADD);
    if (error) {
        xvs_fatal(0, "%s", error);
    }
    struct ofp_flow_stats *fs = xcalloc(n, sizeof *fs);
    for (int i = 0; i < n; i++) {
        fs[i].match = fm.match;
        fs[i].priority = i;
        fs[i].ofpacts = fm.ofpacts;
    }
    struct ofp_msg_info req = fake_request(version);
    struct ofpbuf_vec vec = { NULL, 0 };
    ofp_encode_flow_stats_reply(fs, n, &req, &vec);
    free(fs);

    size_t total = 0, bad = 0;
    for (size_t i = 0; i < vec.n; i++) {
        struct ofp_msg_info info;
        struct ofp_flow_stats *back = NULL;
        size_t n_back = 0;
        if (ofpmsg_decode(&info, vec.msgs[i]->data, vec.msgs[i]->size)
            || vec.msgs[i]->size > OFP_MAX_MSG_LEN
            || !(info.mp_flags & OFPMPF_REPLY_MORE) != (i == vec.n - 1)
            || ofp_decode_flow_stats_reply(&info, &back, &n_back)) {
            bad++;
        }
        total += n_back;
        ofp_flow_stats_free(back, n_back);
    }
    printf("%zu messages, %zu entries, %zu bad\n", vec.n, total, bad);
    ofpbuf_vec_destroy(&vec);
    ofp_flow_mod_uninit(&fm);
    return 0;
}

static int
cmd_print(const char *hex)
{
    struct ofpbuf b;
    ofpbuf_init(&b, strlen(hex) / 2);
    for (const char *p = hex; *p;) {
        unsigned int byte;
        if (*p == ' ' || *p == '-' || *p == '\n') {
            p++;
            continue;
        }
        if (sscanf(p, "%2x", &byte) != 1) {
            xvs_fatal(0, "bad hex at %s", p);
        }
        ofpbuf_put_u8(&b, byte);
        p += 2;
    }
    uint8_t *exact = xmemdup(b.data, b.size ? b.size : 1);
    char *s = ofp_to_string(exact, b.size);
    fputs(s, stdout);
    free(s);
    free(exact);
    ofpbuf_uninit(&b);
    return 0;
}

/* Writes the corpus into 'dir' as files 0000, 0001, ... */
static int
cmd_write_corpus(const char *dir)
{
    build_corpus();
    for (size_t i = 0; i < corpus.n; i++) {
        char *name = xasprintf("%s/%04zu", dir, i);
        FILE *f = fopen(name, "wb");
        if (!f || fwrite(corpus.msgs[i]->data, 1, corpus.msgs[i]->size, f)
                  != corpus.msgs[i]->size) {
            xvs_fatal(errno, "%s: write failed", name);
        }
        fclose(f);
        free(name);
    }
    printf("%zu messages written to %s\n", corpus.n, dir);
    ofpbuf_vec_destroy(&corpus);
    return 0;
}

int
main(int argc, char *argv[])
{
    xvs_set_program_name(argv[0]);
    if (argc == 2 && !strcmp(argv[1], "fuzz")) {
        return cmd_fuzz();
    }
    if (argc == 3 && !strcmp(argv[1], "print")) {
        return cmd_print(argv[2]);
    }
    if (argc == 4 && !strcmp(argv[1], "split")) {
        return cmd_split(atoi(argv[2]), atoi(argv[3]));
    }
    if (argc == 3 && !strcmp(argv[1], "write-corpus")) {
        return cmd_write_corpus(argv[2]);
    }
    fprintf(stderr, "usage: %s fuzz | print HEX | split N VERSION | "
            "write-corpus DIR\n", argv[0]);
    return 1;
}
#endif
