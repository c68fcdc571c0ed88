/* stream: socket names to file descriptors.  Everything here blocks at
 * most for a local connect; callers that must never block use
 * stream_open_active_nonblock(). */
#include <config.h>
#include "stream.h"
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "util.h"

/* Fills 'sun' for 'path'.  A path too long for sun_path goes through
 * /proc/self/fd/N of its directory, opened into '*dirfdp' (close it after
 * bind/connect); else '*dirfdp' is -1.  Returns 0 or a positive errno. */
static int
make_unix_addr(const char *path, struct sockaddr_un *sun, int *dirfdp)
{
    *dirfdp = -1;
    memset(sun, 0, sizeof *sun);
    sun->sun_family = AF_UNIX;
    if (strlen(path) < sizeof sun->sun_path) {
        strcpy(sun->sun_path, path);
        return 0;
    }

    const char *slash = strrchr(path, '/');
    if (!slash) {
        return ENAMETOOLONG;
    }
    char *dir = xstrndup(path, slash - path);
    int dirfd = open(*dir ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(dir);
    if (dirfd < 0) {
        return errno;
    }
    int n = snprintf(sun->sun_path, sizeof sun->sun_path,
                     "/proc/self/fd/%d/%s", dirfd, slash + 1);
    if (n < 0 || (size_t) n >= sizeof sun->sun_path) {
        close(dirfd);
        return ENAMETOOLONG;
    }
    *dirfdp = dirfd;
    return 0;
}

/* Splits "HOST:PORT" or "[HOST]:PORT" (active) or "PORT[:HOST]"
 * (passive) and resolves it.  Returns 0 or a positive errno. */
static int
resolve_tcp(const char *spec, bool passive, struct sockaddr_storage *ss,
            socklen_t *lenp)
{
    char *copy = xstrdup(spec);
    const char *host, *port;

    if (passive) {
        port = copy;
        char *colon = strchr(copy, ':');
        if (colon) {
            *colon = '\0';
            host = colon + 1;
        } else {
            host = "0.0.0.0";
        }
    } else {
        char *colon = strrchr(copy, ':');
        if (!colon) {
            free(copy);
            return EINVAL;
        }
        *colon = '\0';
        host = copy;
        port = colon + 1;
    }

    char *h = xstrdup(host);
    size_t hl = strlen(h);
    if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
        memmove(h, h + 1, hl - 2);
        h[hl - 2] = '\0';
    }

    struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_NUMERICSERV };
    struct addrinfo *ai;
    int retval = *port ? getaddrinfo(*h ? h : NULL, port, &hints, &ai)
                       : EAI_SERVICE;
    free(h);
    free(copy);
    if (retval) {
        return retval == EAI_SYSTEM ? errno : EINVAL;
    }
    memcpy(ss, ai->ai_addr, ai->ai_addrlen);
    *lenp = ai->ai_addrlen;
    freeaddrinfo(ai);
    return 0;
}

/* Opens the socket for 'name' and connects it ('nonblock' sets
 * O_NONBLOCK first, so a TCP connect may still be in progress), with DSCP
 * 'dscp' unless it is negative. */
static int
stream_connect(const char *name, bool nonblock, int dscp)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int dirfd = -1;

    if (!strncmp(name, "unix:", 5)) {
        struct sockaddr_un sun;
        int error = make_unix_addr(name + 5, &sun, &dirfd);
        if (error) {
            return -error;
        }
        memcpy(&ss, &sun, sizeof sun);
        len = sizeof sun;
    } else if (!strncmp(name, "tcp:", 4)) {
        int error = resolve_tcp(name + 4, false, &ss, &len);
        if (error) {
            return -error;
        }
    } else {
        return -EAFNOSUPPORT;
    }

    int fd = socket(ss.ss_family,
                    SOCK_STREAM | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0),
                    0);
    if (fd < 0) {
        int error = errno;
        if (dirfd >= 0) {
            close(dirfd);
        }
        return -error;
    }
    if (ss.ss_family != AF_UNIX) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (dscp >= 0) {
            stream_set_dscp(fd, dscp);
        }
    }
    int retval = connect(fd, (struct sockaddr *) &ss, len);
    int error = retval ? errno : 0;
    if (dirfd >= 0) {
        close(dirfd);
    }
    if (error && !(nonblock && error == EINPROGRESS
                   && ss.ss_family != AF_UNIX)) {
        close(fd);
        return -error;
    }
    return fd;
}

int
stream_open_active(const char *name)
{
    return stream_connect(name, false, -1);
}

int
stream_open_active_nonblock(const char *name)
{
    return stream_connect(name, true, -1);
}

int
stream_open_active_nonblock_dscp(const char *name, int dscp)
{
    return stream_connect(name, true, dscp);
}

int
stream_set_dscp(int fd, int dscp)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *) &ss, &len)) {
        return errno;
    }
    /* DSCP is the top six bits of the TOS byte; TCP keeps the two ECN
     * bits to itself. */
    int tos = dscp << 2;
    int retval = (ss.ss_family == AF_INET
                  ? setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof tos)
                  : ss.ss_family == AF_INET6
                  ? setsockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, &tos,
                               sizeof tos)
                  : 0);
    return retval ? errno : 0;
}

int
stream_open_passive(const char *name, int *bound_port)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int dirfd = -1;
    bool is_unix = !strncmp(name, "punix:", 6);

    if (bound_port) {
        *bound_port = 0;
    }
    if (is_unix) {
        struct sockaddr_un sun;
        int error = make_unix_addr(name + 6, &sun, &dirfd);
        if (error) {
            return -error;
        }
        /* A socket file left by a dead process would make bind fail. */
        unlink(name + 6);
        memcpy(&ss, &sun, sizeof sun);
        len = sizeof sun;
    } else if (!strncmp(name, "ptcp:", 5)) {
        int error = resolve_tcp(name + 5, true, &ss, &len);
        if (error) {
            return -error;
        }
    } else {
        return -EAFNOSUPPORT;
    }

    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        int error = errno;
        if (dirfd >= 0) {
            close(dirfd);
        }
        return -error;
    }
    if (!is_unix) {
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    }
    int error = 0;
    if (bind(fd, (struct sockaddr *) &ss, len) || listen(fd, 64)) {
        error = errno;
    }
    if (dirfd >= 0) {
        close(dirfd);
    }
    if (error) {
        close(fd);
        return -error;
    }
    if (!is_unix && bound_port) {
        struct sockaddr_storage bound;
        socklen_t blen = sizeof bound;
        if (!getsockname(fd, (struct sockaddr *) &bound, &blen)) {
            *bound_port = ntohs(bound.ss_family == AF_INET6
                                ? ((struct sockaddr_in6 *) &bound)->sin6_port
                                : ((struct sockaddr_in *) &bound)->sin_port);
        }
    }
    return fd;
}
