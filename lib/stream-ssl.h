/* stream-ssl: TLS for "ssl:IP:PORT" and "pssl:PORT[:IP]" streams.
 *
 * Why: controllers are reached over TLS as in Open vSwitch, with the
 * switch's identity (a private key and its certificate) and the CA that
 * peers' certificates must chain to, from the Open_vSwitch table's SSL row
 * or from xvs-vswitchd's --private-key, --certificate and --ca-cert.  The
 * sockets themselves are opened as "tcp:"/"ptcp:" by stream.h; this module
 * holds the one OpenSSL context of the process and wraps a connected
 * socket in a libevent OpenSSL bufferevent, client or server side.
 *
 * Both sides verify: a peer without a certificate, or with one that does
 * not chain to the CA, fails the handshake.  TLS 1.2 is the minimum.
 *
 * Not done yet: bootstrap_ca_cert (fetching the CA from the first peer),
 * peer name checks (as in Open vSwitch, any certificate from the CA is
 * accepted), ssl_protocols/ssl_ciphers options, and TLS for the JSON-RPC
 * streams (database, unixctl). */
#ifndef XVS_STREAM_SSL_H
#define XVS_STREAM_SSL_H 1

#include <stdbool.h>

struct bufferevent;
struct event_base;

/* Loads the three PEM files into a new context, unless they are the ones
 * already loaded.  NULL or "" for all three drops the configuration.
 * Returns NULL or an error message (free it); on error the previous
 * context stays. */
char *stream_ssl_configure(const char *private_key, const char *certificate,
                           const char *ca_cert);
/* NULL if SSL is configured, else what to tell the user. */
const char *stream_ssl_config_error(void);

/* "ssl:..." or "pssl:...". */
bool stream_ssl_is_ssl(const char *name);
/* The stream.h name of the socket under an SSL name: "ssl:X" becomes
 * "tcp:X", "pssl:X" becomes "ptcp:X"; other names are copied. */
char *stream_ssl_socket_name(const char *name);

/* Wraps connected socket 'fd' (taken: closed with the bufferevent) for a
 * handshake as client or as 'server'.  Returns NULL and an error message
 * in '*errorp' if SSL is not configured; 'fd' is then closed. */
struct bufferevent *stream_ssl_bufferevent(struct event_base *, int fd,
                                           bool server, char **errorp);
/* Why an SSL bufferevent failed, from its OpenSSL error queue, or NULL if
 * it holds no OpenSSL error.  Free the result. */
char *stream_ssl_error(struct bufferevent *);

#endif
