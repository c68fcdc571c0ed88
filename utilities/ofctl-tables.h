/* ofctl-tables: xvs-ofctl's table commands.
 *
 * "dump-tables SWITCH" prints the table statistics reply.
 * "dump-table-features SWITCH [TABLE]" (OpenFlow 1.3 or later) gathers
 * every part of the table features reply and prints the tables as one
 * list, each compared with the one before it as ovs-ofctl does; TABLE, an
 * extension, prints one table alone.
 *
 * "mod-table SWITCH TABLE SETTING" with SETTING evict, noevict,
 * vacancy:DOWN,UP or novacancy sends a TABLE_MOD as ovs-ofctl does: it
 * first reads the table's description so that the setting it does not
 * change is sent back as it is, and waits for a barrier.  TABLE is a
 * number or "all".  "dump-table-desc SWITCH" prints the OFPMP_TABLE_DESC
 * reply.  Both need OpenFlow 1.4 or later, with ovs-ofctl's messages.
 *
 * Not done: ovs-ofctl's OpenFlow 1.1/1.2 table-miss settings (drop,
 * continue, controller), which no version this tool speaks has. */
#ifndef XVS_OFCTL_TABLES_H
#define XVS_OFCTL_TABLES_H 1

void ofctl_dump_tables(int argc, char *argv[]);
void ofctl_dump_table_features(int argc, char *argv[]);
void ofctl_mod_table(int argc, char *argv[]);
void ofctl_dump_table_desc(int argc, char *argv[]);

#endif
