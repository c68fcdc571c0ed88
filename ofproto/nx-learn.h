/* nx-learn: the learn action (NXAST_LEARN, 16, and NXAST_LEARN2, 45):
 * a flow that adds flows.
 *
 * learn(table=T,priority=P,idle_timeout=I,hard_timeout=H,
 * fin_idle_timeout=FI,fin_hard_timeout=FH,cookie=C,send_flow_rem,
 * delete_learned,limit=L,result_dst=SUBFIELD,SPEC...) builds, from the
 * packet being translated, a flow_mod that adds a flow to table T.  Each
 * SPEC says one thing about the new flow:
 *
 *   FIELD[..]=SRC[..]   match the FIELD bits on the packet's SRC bits
 *   FIELD[..]           the same with SRC = FIELD
 *   FIELD=VALUE         match on a constant
 *   load:SRC[..]->DST[..], load:VALUE->DST[..]
 *                       an action loading the packet's bits (a constant)
 *   output:SRC[..]      an action outputting to the port in the packet's
 *                       SRC bits
 *
 * so the classic MAC learning flow
 *   learn(table=1,hard_timeout=60,NXM_OF_VLAN_TCI[0..11],
 *         NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[])
 * teaches table 1 where the packet's source MAC lives.
 *
 * Text, wire and the stored form are Open vSwitch's: the action is an
 * OFPACT_LEARN followed by one OFPACT_LEARN_SPEC per spec (its
 * 'n_nested' counts them).  limit or result_dst make it NXAST_LEARN2.
 *
 * The flow is built by nx_learn_build(); xlate.c installs it through the
 * ordinary flow_mod path once the packet's translation is over (never
 * from ofproto/trace, which only shows it); learning a flow that is
 * already there with the same actions and cookie only refreshes it.
 * limit counts the flows of the target table with the learned cookie,
 * and result_dst says whether the flow was learned.  fin_idle_timeout and
 * fin_hard_timeout give the learned flow a fin_timeout action, first.
 * delete_learned is the flow table's business (flow-table.h).
 *
 * fin_timeout(idle_timeout=I,hard_timeout=H) (NXAST_FIN_TIMEOUT, 19)
 * lives here too, being learn's companion: a TCP packet with FIN or RST
 * shortens the running flow's timeouts to I and H (xlate.c applies
 * nx_fin_timeout_apply() to the rule).  Unlike Open vSwitch, a flow_mod
 * whose match is not TCP is not refused in OpenFlow 1.1+.
 *
 * Specs move up to all of a tun_metadataN (992 bits): immediates are as
 * wide, and a learned load over 64 bits is a set_field that travels as
 * NX loads (nx_put_wide_load()), or NXAST_REG_LOAD2 for tun_metadataN.
 * A learned match on tun_metadataN takes the option's place and length
 * from the packet's layout (the bridge's TLV map); bits beyond the
 * option's length are dropped. */
#ifndef XVS_NX_LEARN_H
#define XVS_NX_LEARN_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"

struct ds;
struct flow;
struct ft_flow_mod;
struct ofpact;
struct ofpacts;
struct ofpbuf;

#define NXAST_LEARN 16
#define NXAST_LEARN2 45
#define NXAST_FIN_TIMEOUT 19

/* learn's flags (the wire's). */
#define NX_LEARN_F_SEND_FLOW_REM 1
#define NX_LEARN_F_DELETE_LEARNED 2
#define NX_LEARN_F_WRITE_RESULT 4

/* A spec's source and destination kinds (the wire's). */
enum nx_learn_src { NX_LEARN_SRC_FIELD = 0, NX_LEARN_SRC_IMMEDIATE = 1 };
enum nx_learn_dst {
    NX_LEARN_DST_MATCH = 0,
    NX_LEARN_DST_LOAD = 1,
    NX_LEARN_DST_OUTPUT = 2,
};

char *nx_parse_learn(const char *arg, struct ofpacts *);
void nx_format_learn(const struct ofpact *, struct ds *);
char *nx_parse_fin_timeout(const char *arg, struct ofpacts *);
void nx_format_fin_timeout(const struct ofpact *, struct ds *);

/* 'p' is the whole NX action (subtype 16, 45 or 19). */
enum ofperr nx_learn_decode(uint16_t subtype, const uint8_t *p, size_t len,
                            struct ofpacts *);
/* Encodes a learn or a fin_timeout. */
void nx_learn_encode(const struct ofpact *, struct ofpbuf *);

/* fin_timeout on a packet carrying 'tcp_flags': shortens '*idle' and
 * '*hard' (0 = none) to the action's where those are shorter, if the
 * packet has FIN or RST.  Returns true if it changed either. */
bool nx_fin_timeout_apply(const struct ofpact *, uint16_t tcp_flags,
                          uint16_t *idle, uint16_t *hard);

/* Fills 'fm' (an ADD) and 'actions' (which 'fm' points to) with the flow
 * 'learn' teaches for a packet whose flow is 'flow'. */
void nx_learn_build(const struct ofpact *learn, const struct flow *,
                    struct ft_flow_mod *fm, struct ofpacts *actions);

#endif
