/* stream-ssl: TLS for "ssl:IP:PORT" and "pssl:PORT[:IP]" streams.
 *
 * Why: controllers are reached over TLS as in Open vSwitch, with the
 * switch's identity (a private key and its certificate) and the CA that
 * peers' certificates must chain to, from the Open_vSwitch table's SSL row
 * or from xvs-vswitchd's --private-key, --certificate and --ca-cert (or
 * --bootstrap-ca-cert).  The sockets themselves are opened as
 * "tcp:"/"ptcp:" by stream.h; this module holds the one OpenSSL context of
 * the process and wraps a connected socket in a libevent OpenSSL
 * bufferevent, client or server side.
 *
 * Both sides verify: a peer without a certificate, or with one that does
 * not chain to the CA, fails the handshake.  As in Open vSwitch, any
 * certificate from the CA is accepted (names are not checked).  The
 * protocols and ciphers are Open vSwitch's --ssl-protocols (default
 * "TLSv1.2,TLSv1.3") and --ssl-ciphers (default "HIGH:!aNULL:!MD5").
 *
 * The files are read again, under the same names, when one of them has
 * changed (its inode, size or modification time) by the time a new
 * connection starts, so that renewed keys and certificates take effect
 * without a restart.
 *
 * Bootstrapping (SSL bootstrap_ca_cert, --bootstrap-ca-cert): while the CA
 * file does not exist, any peer is let through the handshake, and the
 * self-signed CA certificate at the top of the chain it sends is saved to
 * the CA file; that connection is then dropped, and from the next one on
 * the saved CA is enforced.  This trusts the first peer, as Open vSwitch
 * warns.
 *
 * Not done yet: TLS for the JSON-RPC streams (database, unixctl);
 * --peer-ca-cert; TLS 1.3 cipher suites (--ssl-ciphers applies to TLS 1.2
 * and below, as in OpenSSL). */
#ifndef XVS_STREAM_SSL_H
#define XVS_STREAM_SSL_H 1

#include <stdbool.h>

struct bufferevent;
struct event_base;

/* Loads the three PEM files into a new context, unless they are the ones
 * already loaded and unchanged.  With 'bootstrap', a missing 'ca_cert' is
 * fetched from the first peer.  NULL or "" for all three drops the
 * configuration.  Returns NULL or an error message (free it); on error
 * the previous context stays. */
char *stream_ssl_configure(const char *private_key, const char *certificate,
                           const char *ca_cert, bool bootstrap);
/* NULL if SSL is configured, else what to tell the user. */
const char *stream_ssl_config_error(void);

/* --ssl-protocols: a comma- or space-separated list of TLSv1, TLSv1.1,
 * TLSv1.2 and TLSv1.3; --ssl-ciphers: an OpenSSL cipher list.  They apply
 * to contexts made afterward (set them before stream_ssl_configure()).
 * Return NULL or an error message (free it). */
char *stream_ssl_set_protocols(const char *protocols);
char *stream_ssl_set_ciphers(const char *ciphers);

/* "ssl:..." or "pssl:...". */
bool stream_ssl_is_ssl(const char *name);
/* The stream.h name of the socket under an SSL name: "ssl:X" becomes
 * "tcp:X", "pssl:X" becomes "ptcp:X"; other names are copied. */
char *stream_ssl_socket_name(const char *name);

/* Wraps connected socket 'fd' (taken: closed with the bufferevent) for a
 * handshake as client or as 'server', first reloading changed files.
 * Returns NULL and an error message in '*errorp' if SSL is not
 * configured; 'fd' is then closed. */
struct bufferevent *stream_ssl_bufferevent(struct event_base *, int fd,
                                           bool server, char **errorp);
/* To call when 'bev' has completed its handshake.  Returns NULL if the
 * connection may be used, else why it must be dropped (free it): a CA
 * certificate was just bootstrapped from it, or bootstrapping failed. */
char *stream_ssl_connected(struct bufferevent *);
/* Why an SSL bufferevent failed, from its OpenSSL error queue, or NULL if
 * it holds no OpenSSL error.  Free the result. */
char *stream_ssl_error(struct bufferevent *);

#endif
