/* dp-key: the compact flow key of the datapath fast path.
 *
 * Why not 'struct flow'
 * ---------------------
 * 'struct flow' (lib/flow.h) is 640 bytes of key: besides the packet it
 * carries the OpenFlow pipeline's scratch state (registers, metadata,
 * conj_id, actset_output), which a datapath flow never matches, and 256
 * bytes of Geneve option space that is empty for almost every packet.
 * Hashing or comparing all of it per packet and per subtable would cost
 * more than the lookup itself.
 *
 * Layout
 * ------
 * A 'struct dp_key' is an array of 64-bit words in a fixed packed layout:
 *   - the "base" words: every 8-byte word of 'struct flow' that holds a
 *     field the datapath matches, in struct order.  Which words those are
 *     is derived once, at first use, from the field registry
 *     (lib/meta-flow.c): every row with a place in the flow counts, except
 *     the pipeline-only fields listed in dp-key.c, plus the members no row
 *     names (tunnel.md_present, the deeper MPLS label stack entries).
 *     Bytes of such a word that belong to no datapath field (a register
 *     sharing the word with in_port, padding) are cleared on the way in,
 *     so they never split a megaflow.
 *   - the tunnel option words: the 32 words of tunnel.md, at the fixed
 *     index DP_KEY_MD_OFS.  They are copied only when the packet has
 *     options (md_present != 0) and are zero otherwise.
 * Words are copied as they sit in 'struct flow' (packet fields in network
 * order, metadata in host order), so converting is a gather of words and
 * masking, and a field's bits are where the registry says they are.
 *
 * 'map' says which words are non-zero (map[0] bit i: base word i; map[1]
 * bit i: option word i).  The exact-match cache hashes, stores and
 * compares only those words, so an untunnelled IPv4 TCP packet costs
 * about eight words rather than eighty.
 *
 * A 'struct dp_key_mask' has the same layout; a megaflow is a key and a
 * mask, and the masked key (key & mask, word by word) is what the
 * classifier (dp-classifier.h) hashes.
 *
 * Base words beyond dp_key_n_base_words() are never written or read;
 * compare keys with dp_key_equal(), not memcmp().
 *
 * dp_key_extract() builds a key straight from a frame's headers for the
 * common packets (Ethernet, one optional 802.1Q tag, IPv4, IPv6 without
 * extension headers, TCP/UDP/ICMP) and through flow_extract() and
 * dp_key_from_flow() for the rest, which define the result.
 *
 * Not done yet: no recirculation id or datapath hash in the key (the
 * datapath does not recirculate yet); the fast extraction path does not
 * cover ARP, MPLS, NSH, IPv6 extension headers, ICMPv6 or SCTP. */
#ifndef XVS_DP_KEY_H
#define XVS_DP_KEY_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "flow.h"

/* Capacity of the base region: every word of the key part of 'struct
 * flow' outside the option space (fewer are used). */
#define DP_KEY_BASE_MAX ((FLOW_KEY_LEN - FLOW_TUN_MD_SPACE) / 8)
#define DP_KEY_MD_WORDS (FLOW_TUN_MD_SPACE / 8)
#define DP_KEY_MD_OFS DP_KEY_BASE_MAX
#define DP_KEY_WORDS (DP_KEY_BASE_MAX + DP_KEY_MD_WORDS)

struct dp_key {
    uint64_t map[2];            /* Non-zero words: base, then options. */
    uint64_t w[DP_KEY_WORDS];
};

struct dp_key_mask {
    uint64_t w[DP_KEY_WORDS];   /* All words written: zero = wildcard. */
};

/* How many base words the layout uses (at most DP_KEY_BASE_MAX). */
unsigned int dp_key_n_base_words(void);

/* Converts a packet's flow to its key.  Runs per packet. */
void dp_key_from_flow(struct dp_key *, const struct flow *);
/* The key of the Ethernet frame 'packet' ('len' bytes) received on
 * 'in_port': the same as dp_key_from_flow() of flow_extract()'s flow, but
 * written straight from the headers for the common packets (see
 * dp-key.c), without the 'struct flow'. */
void dp_key_extract(struct dp_key *, const void *packet, size_t len,
                    uint32_t in_port);
/* The reverse: a flow whose datapath fields are the key's and whose other
 * members (registers, metadata, conj_id, actset_output, tun_layout) are
 * zero. */
void dp_key_to_flow(const struct dp_key *, struct flow *);

/* The mask of a megaflow from the wildcards translation accumulated.
 * Bits of pipeline-only fields are dropped. */
void dp_key_mask_from_wc(struct dp_key_mask *, const struct flow_wildcards *);
void dp_key_mask_to_wc(const struct dp_key_mask *, struct flow_wildcards *);

/* Whether the datapath key carries 'field' (a row of the registry), i.e.
 * a megaflow can match it. */
struct mf_field;
bool dp_key_has_field(const struct mf_field *);

bool dp_key_equal(const struct dp_key *, const struct dp_key *);
/* True if 'key' & 'mask' == 'masked' & 'mask'. */
bool dp_key_matches(const struct dp_key *key, const struct dp_key *masked,
                    const struct dp_key_mask *mask);

/* Hash of the whole key (its non-zero words), for the exact-match cache. */
uint32_t dp_key_hash(const struct dp_key *, uint32_t basis);

/* The word hash both the cache and the classifier build on: inline and
 * three instructions a word, because the classifier runs it for every
 * word of every subtable's mask per packet.  The multiply carries each
 * word's low bits up and the rotation brings high bits down; the finish
 * folds the halves and multiplies once more, taking the top 32 bits of
 * the product, which depend on every bit below them. */
static inline uint64_t
dp_key_hash_add(uint64_t hash, uint64_t word)
{
    hash = (hash ^ word) * 0x9e3779b97f4a7c15ULL;
    return (hash << 31) | (hash >> 33);
}

static inline uint32_t
dp_key_hash_finish(uint64_t hash, uint64_t n_words)
{
    hash ^= (hash >> 32) ^ n_words;
    return (hash * 0xff51afd7ed558ccdULL) >> 32;
}

#endif
