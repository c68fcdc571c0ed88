#include <config.h>
#include "stream-ssl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(stream_ssl);

/* A configured file, and what it was when last read. */
struct ssl_file {
    char *name;
    bool exists;
    struct stat st;
};
enum { SSL_KEY, SSL_CERT, SSL_CA, N_SSL_FILES };

static SSL_CTX *ctx;
static struct ssl_file files[N_SSL_FILES];
static bool cur_bootstrap;

/* --ssl-protocols as a range of versions and the ones left out inside it;
 * --ssl-ciphers. */
static int proto_min = TLS1_2_VERSION, proto_max = TLS1_3_VERSION;
static uint64_t proto_excluded;
static char *ciphers;
#define DEFAULT_CIPHERS "HIGH:!aNULL:!MD5"

static const struct {
    const char *name;
    int version;
    uint64_t no_option;
} protocols[] = {
    { "TLSv1", TLS1_VERSION, SSL_OP_NO_TLSv1 },
    { "TLSv1.1", TLS1_1_VERSION, SSL_OP_NO_TLSv1_1 },
    { "TLSv1.2", TLS1_2_VERSION, SSL_OP_NO_TLSv1_2 },
    { "TLSv1.3", TLS1_3_VERSION, SSL_OP_NO_TLSv1_3 },
};

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

/* Bootstrapping: the peer's chain is not checked (the CA is what we are
 * about to learn from it). */
static int
accept_any_peer(int preverify_ok XVS_UNUSED, X509_STORE_CTX *store XVS_UNUSED)
{
    return 1;
}

static bool
ctx_is_bootstrapping(const SSL_CTX *c)
{
    return SSL_CTX_get_verify_callback(c) == accept_any_peer;
}

static void
file_stat(const char *name, bool *exists, struct stat *st)
{
    *exists = !stat(name, st);
    if (!*exists) {
        memset(st, 0, sizeof *st);
    }
}

static bool
file_changed(const struct ssl_file *f)
{
    struct stat st;
    bool exists;
    file_stat(f->name, &exists, &st);
    return (exists != f->exists
            || (exists && (st.st_dev != f->st.st_dev
                           || st.st_ino != f->st.st_ino
                           || st.st_size != f->st.st_size
                           || st.st_mtim.tv_sec != f->st.st_mtim.tv_sec
                           || st.st_mtim.tv_nsec != f->st.st_mtim.tv_nsec)));
}

static void
files_record(const char *key, const char *cert, const char *ca)
{
    /* Copied before the old names go: they may be among the arguments. */
    const char *names[N_SSL_FILES] = { key, cert, ca };
    char *copies[N_SSL_FILES];
    for (int i = 0; i < N_SSL_FILES; i++) {
        copies[i] = names[i] ? xstrdup(names[i]) : NULL;
    }
    for (int i = 0; i < N_SSL_FILES; i++) {
        free(files[i].name);
        files[i].name = copies[i];
        if (copies[i]) {
            file_stat(copies[i], &files[i].exists, &files[i].st);
        }
    }
}

static char *
make_ctx(const char *key, const char *cert, const char *ca, bool bootstrap,
         SSL_CTX **ctxp)
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
    SSL_CTX_set_min_proto_version(c, proto_min);
    SSL_CTX_set_max_proto_version(c, proto_max);
    SSL_CTX_set_options(c, proto_excluded);
    bool fetch_ca = bootstrap && access(ca, F_OK) && errno == ENOENT;
    char *error = NULL;
    if (SSL_CTX_set_cipher_list(c, ciphers ? ciphers : DEFAULT_CIPHERS)
        != 1) {
        error = openssl_error("setting SSL ciphers", NULL);
    } else if (SSL_CTX_use_PrivateKey_file(c, key, SSL_FILETYPE_PEM) != 1) {
        error = openssl_error("loading private key", key);
    } else if (SSL_CTX_use_certificate_chain_file(c, cert) != 1) {
        error = openssl_error("loading certificate", cert);
    } else if (SSL_CTX_check_private_key(c) != 1) {
        error = openssl_error("private key does not match certificate",
                              cert);
    } else if (!fetch_ca && SSL_CTX_load_verify_locations(c, ca, NULL) != 1) {
        error = openssl_error("loading CA certificate", ca);
    }
    if (error) {
        SSL_CTX_free(c);
        return error;
    }
    /* Peers must prove themselves: a server asks for the client's
     * certificate and neither side accepts a missing one. */
    SSL_CTX_set_verify(c, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                       fetch_ca ? accept_any_peer : NULL);
    if (fetch_ca) {
        VLOG_INFO("%s: CA certificate missing, will bootstrap it from the "
                  "first SSL peer", ca);
    }
    *ctxp = c;
    return NULL;
}

static void
set_ctx(SSL_CTX *c)
{
    /* SSL objects made from the old context hold their own reference. */
    SSL_CTX_free(ctx);
    ctx = c;
}

char *
stream_ssl_configure(const char *key, const char *cert, const char *ca,
                     bool bootstrap)
{
    if (ctx && same(key, files[SSL_KEY].name)
        && same(cert, files[SSL_CERT].name) && same(ca, files[SSL_CA].name)
        && bootstrap == cur_bootstrap) {
        return NULL;
    }
    SSL_CTX *c = NULL;
    if ((key && *key) || (cert && *cert) || (ca && *ca)) {
        char *error = make_ctx(key, cert, ca, bootstrap, &c);
        if (error) {
            return error;
        }
    }
    set_ctx(c);
    files_record(c ? key : NULL, c ? cert : NULL, c ? ca : NULL);
    cur_bootstrap = bootstrap;
    return NULL;
}

/* Reads the files again if one of them changed since they were read. */
static void
reload_if_changed(void)
{
    if (!ctx || !(file_changed(&files[SSL_KEY])
                  || file_changed(&files[SSL_CERT])
                  || file_changed(&files[SSL_CA]))) {
        return;
    }
    char *key = xstrdup(files[SSL_KEY].name);
    char *cert = xstrdup(files[SSL_CERT].name);
    char *ca = xstrdup(files[SSL_CA].name);
    /* Recorded either way: files caught half-written are tried again only
     * once they change again. */
    files_record(key, cert, ca);
    SSL_CTX *c;
    char *error = make_ctx(key, cert, ca, cur_bootstrap, &c);
    if (error) {
        VLOG_WARN("SSL files changed but cannot be used (%s); keeping the "
                  "ones loaded before", error);
        free(error);
    } else {
        VLOG_INFO("SSL files changed: reloaded %s, %s and %s", key, cert,
                  ca);
        set_ctx(c);
    }
    free(key);
    free(cert);
    free(ca);
}

const char *
stream_ssl_config_error(void)
{
    return (ctx ? NULL
            : "SSL is not configured (set the Open_vSwitch ssl column or "
              "--private-key, --certificate and --ca-cert)");
}

char *
stream_ssl_set_protocols(const char *list)
{
    int lo = 0, hi = 0;
    uint64_t listed = 0;
    char *copy = xstrdup(list), *save = NULL;
    for (char *word = strtok_r(copy, ", ", &save); word;
         word = strtok_r(NULL, ", ", &save)) {
        size_t i;
        for (i = 0; i < ARRAY_SIZE(protocols); i++) {
            if (!strcmp(word, protocols[i].name)) {
                break;
            }
        }
        if (i == ARRAY_SIZE(protocols)) {
            char *error = xasprintf("%s: SSL protocol not recognized", word);
            free(copy);
            return error;
        }
        listed |= protocols[i].no_option;
        lo = lo ? XVS_MIN(lo, protocols[i].version) : protocols[i].version;
        hi = XVS_MAX(hi, protocols[i].version);
    }
    free(copy);
    if (!lo) {
        return xstrdup("no SSL protocols listed");
    }
    /* OpenSSL takes a range; the versions inside it that were not listed
     * are switched off one by one. */
    proto_min = lo;
    proto_max = hi;
    proto_excluded = 0;
    for (size_t i = 0; i < ARRAY_SIZE(protocols); i++) {
        if (!(listed & protocols[i].no_option)) {
            proto_excluded |= protocols[i].no_option;
        }
    }
    return NULL;
}

char *
stream_ssl_set_ciphers(const char *list)
{
    SSL_CTX *c = SSL_CTX_new(TLS_method());
    if (!c) {
        return openssl_error("SSL_CTX_new", NULL);
    }
    char *error = (SSL_CTX_set_cipher_list(c, list) != 1
                   ? openssl_error("SSL ciphers", list) : NULL);
    SSL_CTX_free(c);
    if (!error) {
        free(ciphers);
        ciphers = xstrdup(list);
    }
    return error;
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
    reload_if_changed();
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

/* Saves 'cert' as the CA file and starts enforcing it.  Returns NULL or
 * an error message. */
static char *
save_ca(X509 *cert)
{
    const char *ca = files[SSL_CA].name;
    char *tmp = xasprintf("%s.tmp", ca);
    FILE *f = fopen(tmp, "w");
    char *error = NULL;
    if (!f) {
        error = xasprintf("%s: %s", tmp, strerror(errno));
    } else {
        bool ok = PEM_write_X509(f, cert) == 1;
        if (fclose(f) || !ok) {
            error = xasprintf("%s: cannot write the CA certificate", tmp);
        } else if (rename(tmp, ca)) {
            error = xasprintf("%s: %s", ca, strerror(errno));
        }
    }
    if (error) {
        unlink(tmp);
        free(tmp);
        return error;
    }
    free(tmp);

    SSL_CTX *c;
    error = make_ctx(files[SSL_KEY].name, files[SSL_CERT].name, ca,
                     cur_bootstrap, &c);
    if (!error) {
        set_ctx(c);
        files_record(files[SSL_KEY].name, files[SSL_CERT].name, ca);
    }
    return error;
}

char *
stream_ssl_connected(struct bufferevent *bev)
{
    SSL *ssl = bufferevent_openssl_get_ssl(bev);
    if (!ssl || !ctx_is_bootstrapping(SSL_get_SSL_CTX(ssl))) {
        return NULL;
    }
    if (SSL_get_SSL_CTX(ssl) != ctx || !ctx_is_bootstrapping(ctx)) {
        /* Another connection bootstrapped the CA first; this one was not
         * checked against it. */
        return xstrdup("connected while bootstrapping the CA certificate");
    }

    /* The top of the chain the peer sent (a server's chain starts with
     * its own certificate, a client's does not include it). */
    STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
    int n = chain ? sk_X509_num(chain) : 0;
    X509 *top = n ? sk_X509_value(chain, n - 1) : NULL;
    if (!top || X509_check_issued(top, top) != X509_V_OK
        || X509_check_ca(top) < 1) {
        VLOG_ERR("could not bootstrap CA certificate: the peer sent no "
                 "self-signed CA certificate in its chain");
        return xstrdup("peer sent no CA certificate to bootstrap from");
    }
    char *error = save_ca(top);
    if (error) {
        VLOG_ERR("could not bootstrap CA certificate: %s", error);
        return error;
    }
    char subject[256];
    X509_NAME_oneline(X509_get_subject_name(top), subject, sizeof subject);
    VLOG_INFO("successfully bootstrapped CA certificate %s to %s", subject,
              files[SSL_CA].name);
    return xasprintf("bootstrapped CA certificate to %s, reconnecting",
                     files[SSL_CA].name);
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
