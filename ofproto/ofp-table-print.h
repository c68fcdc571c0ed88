/* ofp-table-print: table features as ovs-ofctl prints them.
 *
 * `ovs-ofctl dump-table-features` and `ovs-ofctl ofp-print` of an
 * OFPST_TABLE_FEATURES reply print each table's features, but only what
 * differs from the table before it: a table equal to the previous one
 * (its name aside) is "ditto", runs of unnamed dittos fold into "tables
 * A...B: ditto", and inside a full entry "(same instructions)", "(same
 * actions)" and "(same matching)" stand for parts equal to the previous
 * table's.  Goto-table next to a table is not a difference: table N+1
 * cannot go to table N+1, so "next tables: N+1-M" on table N and
 * "N+2-M" on N+1 count as the same.  This module reproduces that output
 * byte for byte from a decoded struct ofp_table_features array, so that
 * xvs-ofctl prints what ovs-ofctl prints.
 *
 * Field lists
 * -----------
 * Fields print by name in Open vSwitch's field order, folded: three or
 * more consecutively numbered names become "reg0...reg15", and a run of
 * names sharing a prefix up to an underscore becomes "eth_{src,dst,type}",
 * nested as in "tun_{id,ipv6_{src,dst}}".  Open vSwitch's field order is
 * not the registry's (rows are appended as fields are added); the one
 * place that maps one to the other is ofp_table_field_rank() in the .c,
 * which names groups of fields by prefix, not fields one by one, so new
 * rows of a known group land in place.
 *
 * Not done: experimenter properties, instructions and actions are not
 * printed (Open vSwitch does not print them either). */
#ifndef XVS_OFP_TABLE_PRINT_H
#define XVS_OFP_TABLE_PRINT_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp-msgs.h"

struct ds;

/* Appends tables 'tf[0..n)', each line starting "  table" or deeper, as
 * ovs-ofctl prints them for a connection of 'version' (1.4+ adds the
 * eviction and vacancy lines).  A blank line follows every full entry but
 * the last one, which gets it only with 'trailing_blank': ovs-ofctl
 * dump-table-features prints it there, ofp-print of a message does not. */
void ofp_table_features_format(struct ds *,
                               const struct ofp_table_features *tf,
                               size_t n, uint8_t version,
                               bool trailing_blank);

/* The ditto folding above, for any list of tables (table stats use it
 * too): entry 'i' of 'aux' has 'id' and 'name'; 'equal_prev' says it
 * equals entry i - 1 (then it is a ditto line); 'print' appends a full
 * entry's lines after its "  table N ("name"):" line. */
struct ofp_table_list_ops {
    uint8_t (*id)(const void *aux, size_t i);
    const char *(*name)(const void *aux, size_t i);
    bool (*equal_prev)(const void *aux, size_t i);
    void (*print)(struct ds *, const void *aux, size_t i);
};
void ofp_table_list_format(struct ds *, size_t n,
                           const struct ofp_table_list_ops *,
                           const void *aux);

#endif
