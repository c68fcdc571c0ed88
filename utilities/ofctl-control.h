/* ofctl-control: the control socket of "xvs-ofctl monitor" and "snoop".
 *
 * Like ovs-ofctl, a monitoring xvs-ofctl listens on a unixctl socket
 * ("$XVS_RUNDIR/xvs-ofctl.PID.ctl", or --unixctl=SOCKET; "none" for no
 * socket), so that with --detach it can still be steered with
 * "xvs-appctl -t SOCKET" (or ovs-appctl):
 *   exit                       stop (removing the pidfile and socket);
 *   ofctl/send HEX...          send OpenFlow messages on the connection,
 *                              each printed as "send: ..." and answered
 *                              "sent";
 *   ofctl/set-output-file FILE print from now on to FILE, not stderr
 *                              (which --detach points at /dev/null);
 *   ofctl/block, ofctl/unblock stop and resume reading the connection
 *                              (to let the switch's queue fill);
 *   ofctl/packet-out PACKET-OUT send a packet-out in ovs-ofctl's
 *                              Packet-Out Syntax, printed as it goes;
 *   ofctl/barrier              send a barrier request and answer once its
 *                              reply has been printed (so everything the
 *                              switch sent before it has been too).
 * While monitoring, the connection and the socket share one event loop
 * (evloop.h); messages are read whole, one per wakeup.
 */
#ifndef XVS_OFCTL_CONTROL_H
#define XVS_OFCTL_CONTROL_H 1

#include <stdio.h>

struct ofpbuf;
struct vconn;

/* --unixctl=SOCKET. */
void ofctl_control_set_path(const char *);

/* Where monitor and snoop print: stderr until ofctl/set-output-file. */
FILE *ofctl_output(void);

/* Creates the socket and registers the commands, for 'vc'.  Fatal if a
 * socket named with --unixctl cannot be created; without --unixctl a
 * failure only means there is no socket (ovs-ofctl would stop). */
void ofctl_control_start(struct vconn *vc);

/* Reads 'vc' and serves the socket until "exit" (returns) or the
 * connection ends (fatal, as before).  Calls 'cb' for each message but
 * answered echo requests; 'cb' frees it. */
typedef void ofctl_msg_cb(struct vconn *, struct ofpbuf *, void *aux);
void ofctl_control_run(struct vconn *vc, ofctl_msg_cb *cb, void *aux);

#endif
