/* stream: opening sockets from Open vSwitch-style names.
 *
 * JSON-RPC (OVSDB, unixctl) and the OpenFlow channel name their sockets
 * the same way, so the parsing lives here once:
 *   active:  "unix:PATH", "tcp:IP:PORT"            (IPv6 as tcp:[::1]:PORT)
 *   passive: "punix:PATH", "ptcp:PORT[:IP]"         (IP defaults to 0.0.0.0)
 * Unix socket paths longer than sun_path allows still work (through
 * /proc/self/fd).  Sockets are close-on-exec. */
#ifndef XVS_STREAM_H
#define XVS_STREAM_H 1

/* Return an fd or a negative errno. */
int stream_open_active(const char *name);   /* "unix:", "tcp:" */
/* Same, but the socket is non-blocking and a TCP connect may still be in
 * progress (wait for writability, then check SO_ERROR). */
int stream_open_active_nonblock(const char *name);
/* Same, with IP DSCP 'dscp' (0 to 63) on a TCP socket before it
 * connects. */
int stream_open_active_nonblock_dscp(const char *name, int dscp);
/* "punix:" (removing a stale socket file first), "ptcp:".  With port 0,
 * '*bound_port' (if nonnull) receives the port actually bound. */
int stream_open_passive(const char *name, int *bound_port);
/* Sets the DSCP bits of the IP TOS (IPv4) or traffic class (IPv6) of
 * socket 'fd' to 'dscp' (0 to 63); Unix sockets have none and are left
 * alone.  Returns 0 or a positive errno. */
int stream_set_dscp(int fd, int dscp);

#endif
