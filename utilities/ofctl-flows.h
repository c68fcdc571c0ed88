/* ofctl-flows: sets of flows, for xvs-ofctl's commands that compare or
 * order whole flow tables (replace-flows, diff-flows, dump-flows --sort).
 *
 * Why a module: those commands do not send one flow_mod, they reason
 * about a table as a set.  A flow's identity is what OpenFlow uses for
 * "identical" flows: table, priority and match.  Everything else (cookie,
 * timeouts, importance, actions) is its "version"; two sources differ on
 * a flow when one lacks it or their versions differ.  The flows come from
 * files in add-flows syntax or from a switch's flow stats, and both land
 * here in the same form.
 *
 * Order: a set remembers the order in which flows were first added, and
 * ofctl_flow_set_sorted() lists them table by table in that order, which
 * is how ovs-ofctl prints diff-flows (source1's flows first, then the
 * flows only source2 has).
 *
 * Sorting dump-flows output (--sort/--rsort) by a field follows
 * ovs-ofctl(8): flows that do not match on the field come after those
 * that do, whatever the direction; wildcarded bits count as zero; flows
 * the keys do not tell apart come by descending priority.
 *
 * Files: the flow, group and bundle files that commands read share one
 * line syntax ('#' comments, blank lines), and their lines may start with
 * a command keyword; both are read here. */
#ifndef XVS_OFCTL_FLOWS_H
#define XVS_OFCTL_FLOWS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "flow.h"
#include "hmap.h"
#include "meta-flow.h"
#include "ofproto/ofp-actions.h"
#include "ofproto/ofp-msgs.h"

struct ofctl_flow {
    struct hmap_node node;
    size_t seq;                 /* Order of first insertion. */
    /* Identity. */
    uint8_t table_id;
    uint16_t priority;
    struct match match;
    /* Version. */
    uint64_t cookie;
    uint16_t idle_timeout;
    uint16_t hard_timeout;
    uint16_t importance;
    struct ofpacts ofpacts;
};

struct ofctl_flow_set {
    struct hmap flows;
    size_t next_seq;
};

void ofctl_flow_set_init(struct ofctl_flow_set *);
void ofctl_flow_set_destroy(struct ofctl_flow_set *);

/* Adds a copy of the flow with the given identity and version, replacing
 * the version of an identical flow already in the set (it keeps its
 * place in the order). */
void ofctl_flow_set_add(struct ofctl_flow_set *, uint8_t table_id,
                        uint16_t priority, const struct match *,
                        uint64_t cookie, uint16_t idle_timeout,
                        uint16_t hard_timeout, uint16_t importance,
                        const struct ofpacts *);
const struct ofctl_flow *ofctl_flow_set_find(const struct ofctl_flow_set *,
                                             const struct ofctl_flow *);
/* Reads add-flows syntax (one flow per line, '#' comments, blank lines)
 * from the file 'name' ("-" for stdin; fatal if it cannot be opened).
 * Returns NULL or a malloc'd "NAME:LINE: error". */
char *ofctl_flow_set_read(struct ofctl_flow_set *, const char *name);
/* Adds every entry of a flow stats reply. */
void ofctl_flow_set_add_stats(struct ofctl_flow_set *,
                              const struct ofp_flow_stats *, size_t n);
/* The flows by table, then insertion order; free() the array. */
const struct ofctl_flow **ofctl_flow_set_sorted(const struct ofctl_flow_set *,
                                                size_t *n);

/* True if the two versions (cookie, timeouts, importance, actions) are
 * the same. */
bool ofctl_flow_same_version(const struct ofctl_flow *,
                             const struct ofctl_flow *);
/* "table=1 priority=5,ip cookie=0x5 idle_timeout=30 importance=2
 * actions=drop", as
 * ovs-ofctl diff-flows prints a flow. */
void ofctl_flow_format(const struct ofctl_flow *, struct ds *);

/* Reads the lines of a flow, group or bundle file 'name' ("-" for stdin;
 * fatal if it cannot be opened): comments and surrounding blanks
 * stripped, blank lines skipped.  Returns a malloc'd array of malloc'd
 * strings in '*lines' (and their 1-based line numbers in '*line_nos' if
 * non-NULL); ofctl_free_lines() frees the strings and the array. */
size_t ofctl_read_flow_lines(const char *name, char ***lines,
                             size_t **line_nos);
void ofctl_free_lines(char **lines, size_t n);

/* A command keyword that may start a line of a flow or group file (or a
 * "flow"/"group" line of a bundle file), as ovs-ofctl allows. */
struct ofctl_line_keyword {
    const char *name;
    int command;
};
/* If '*line' starts with one of the 'n' keywords of 'kws' (a whole word,
 * not "name=..."), skips it and returns its command; otherwise returns
 * 'command'. */
int ofctl_line_command(const char **line, const struct ofctl_line_keyword *,
                       size_t n, int command);

/* One --sort/--rsort criterion: 'field' NULL means priority. */
struct ofctl_sort_key {
    const struct mf_field *field;
    bool descending;
};
/* Sorts flow stats entries by 'keys' in turn (stable). */
void ofctl_sort_flow_stats(struct ofp_flow_stats *, size_t n,
                           const struct ofctl_sort_key *, size_t n_keys);

#endif
