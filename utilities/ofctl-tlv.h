/* ofctl-tlv: xvs-ofctl's Geneve option map commands.
 *
 * "add-tlv-map SWITCH MAP" and "del-tlv-map SWITCH [MAP]" send an
 * NXT_TLV_TABLE_MOD (ADD, DELETE, or CLEAR when no MAP is given) and wait
 * for a barrier, so an error reply fails the command; MAP is
 * "{class=C,type=T,len=L}->tun_metadataN[,...]" as ovs-ofctl reads it.
 * "dump-tlv-map SWITCH" prints the NXT_TLV_TABLE_REPLY. */
#ifndef XVS_OFCTL_TLV_H
#define XVS_OFCTL_TLV_H 1

void ofctl_add_tlv_map(int argc, char *argv[]);
void ofctl_del_tlv_map(int argc, char *argv[]);
void ofctl_dump_tlv_map(int argc, char *argv[]);

#endif
