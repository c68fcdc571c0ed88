/* ofp-names: the names a switch gives its ports and tables, for the
 * tools' --names.
 *
 * Why: ovs-ofctl users write "in_port=p1,actions=output:p2" and
 * "goto_table:acl", and see those names back in dumps.  The names belong
 * to the switch (port descriptions, table features), so a tool must ask
 * for them; it does so only the first time a name is needed, through the
 * loader it installs, so a command that never meets a name never asks.
 * Once a loader is set, every parser of a port (ofp_port_from_string())
 * or a table (ofp_table_from_string()) accepts names, optionally in
 * double quotes; with display on, ofp_port_format() and
 * ofp_table_format() print them, in double quotes with JSON escapes
 * unless the name is a letter followed by letters and digits, as
 * ovs-ofctl does.  Ports and tables without a name print as numbers.
 *
 * The names are process-wide: one tool run talks to one switch, and
 * threading a map through every parser and printer that handles a port
 * or a table would buy nothing more.  The switch itself never sets a
 * loader, so it never resolves or prints names. */
#ifndef XVS_OFP_NAMES_H
#define XVS_OFP_NAMES_H 1

#include <stdbool.h>
#include <stdint.h>
#include "util.h"

void ofp_names_set_loader(void (*load)(const void *aux), const void *aux);
void ofp_names_set_display(bool);
void ofp_names_add_port(const char *name, uint32_t port);
void ofp_names_add_table(const char *name, uint8_t table_id);

/* For ofp-port.c: the displayed name of 'port', or NULL; the port named
 * 's', if a loader is set and knows it. */
const char *ofp_names_port_display(uint32_t port);
bool ofp_names_port_from_name(const char *s, uint32_t *port);
/* Appends a name, quoted if ovs-ofctl would quote it. */
void ofp_names_put(const char *name, struct ds *);

/* Table ids: a number 0..'max' or a table's name. */
bool ofp_table_from_string(const char *, unsigned int max, uint8_t *table_id);
void ofp_table_format(uint8_t table_id, struct ds *);

#endif
