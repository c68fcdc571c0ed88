#include <config.h>
#include "stream-ssl.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include "util.h"

static SSL_CTX *ctx;
static char *cur_key, *cur_cert, *cur_ca;

static bool
same(const char *a, const char *b)
{
    return !strcmp(a ? a : "", b ? b : "");
}

/* The oldest error on OpenSSL's queue as text, and the queue cleared. */
static char *
openssl_error(const char *what, const char *file)
{
    unsigned long e = ERR_get_error();
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    ERR_clear_error();
    return (file ? xasprintf("%s %s: %s", what, file, e ? buf : "failed")
            : xasprintf("%s: %s", what, e ? buf : "failed"));
}

static char *
make_ctx(const char *key, const char *cert, const char *ca, SSL_CTX **ctxp)
{
    *ctxp = NULL;
    if (!key || !*key || !cert || !*cert || !ca || !*ca) {
        return xstrdup("SSL needs a private key, a certificate and a CA "
                       "certificate");
    }
    SSL_CTX *c = SSL_CTX_new(TLS_method());
    if (!c) {
        return openssl_error("SSL_CTX_new", NULL);
    }
    SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION);
    char *error = NULL;
    if (SSL_CTX_use_PrivateKey_file(c, key, SSL_FILETYPE_PEM) != 1) {
        error = openssl_error("loading private key", key);
    } else if (SSL_CTX_use_certificate_chain_file(c, cert) != 1) {
        error = openssl_error("loading certificate", cert);
    } else if (SSL_CTX_check_private_key(c) != 1) {
        error = openssl_error("private key does not match certificate",
                              cert);
    } else if (SSL_CTX_load_verify_locations(c, ca, NULL) != 1) {
        error = openssl_error("loading CA certificate", ca);
    }
    if (error) {
        SSL_CTX_free(c);
        return error;
    }
    /* Peers must prove themselves: a server asks for the client's
     * certificate and neither side accepts a missing one. */
    SSL_CTX_set_verify(c, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                       NULL);
    *ctxp = c;
    return NULL;
}

char *
stream_ssl_configure(const char *key, const char *cert, const char *ca)
{
    if (ctx && same(key, cur_key) && same(cert, cur_cert)
        && same(ca, cur_ca)) {
        return NULL;
    }
    SSL_CTX *c = NULL;
    if ((key && *key) || (cert && *cert) || (ca && *ca)) {
        char *error = make_ctx(key, cert, ca, &c);
        if (error) {
            return error;
        }
    }
    /* SSL objects made from the old context hold their own reference. */
    SSL_CTX_free(ctx);
    ctx = c;
    free(cur_key);
    free(cur_cert);
    free(cur_ca);
    cur_key = c ? xstrdup(key) : NULL;
    cur_cert = c ? xstrdup(cert) : NULL;
    cur_ca = c ? xstrdup(ca) : NULL;
    return NULL;
}

const char *
stream_ssl_config_error(void)
{
    return (ctx ? NULL
            : "SSL is not configured (set the Open_vSwitch ssl column or "
              "--private-key, --certificate and --ca-cert)");
}

bool
stream_ssl_is_ssl(const char *name)
{
    return !strncmp(name, "ssl:", 4) || !strncmp(name, "pssl:", 5);
}

char *
stream_ssl_socket_name(const char *name)
{
    if (!strncmp(name, "ssl:", 4)) {
        return xasprintf("tcp:%s", name + 4);
    } else if (!strncmp(name, "pssl:", 5)) {
        return xasprintf("ptcp:%s", name + 5);
    }
    return xstrdup(name);
}

struct bufferevent *
stream_ssl_bufferevent(struct event_base *base, int fd, bool server,
                       char **errorp)
{
    *errorp = NULL;
    SSL *ssl = ctx ? SSL_new(ctx) : NULL;
    if (!ssl) {
        close(fd);
        *errorp = (ctx ? openssl_error("SSL_new", NULL)
                   : xstrdup(stream_ssl_config_error()));
        return NULL;
    }
    struct bufferevent *bev = bufferevent_openssl_socket_new(
        base, fd, ssl,
        server ? BUFFEREVENT_SSL_ACCEPTING : BUFFEREVENT_SSL_CONNECTING,
        BEV_OPT_CLOSE_ON_FREE);
    if (!bev) {
        /* libevent has not taken the SSL object or the socket. */
        SSL_free(ssl);
        close(fd);
        *errorp = xstrdup("cannot create SSL bufferevent");
        return NULL;
    }
    /* Peers that close without a TLS close_notify (most OpenFlow tools)
     * end the stream; they have not attacked it. */
    bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
    return bev;
}

char *
stream_ssl_error(struct bufferevent *bev)
{
    /* libevent queues OpenSSL's codes and also bare errno values, which
     * have no library; the first real OpenSSL code says most. */
    unsigned long e, best = 0;
    while ((e = bufferevent_get_openssl_error(bev))) {
        if (!best && ERR_GET_LIB(e)) {
            best = e;
        }
    }
    if (!best) {
        return NULL;
    }
    char buf[256];
    ERR_error_string_n(best, buf, sizeof buf);
    return xstrdup(buf);
}
