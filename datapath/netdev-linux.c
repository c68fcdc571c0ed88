/* netdev-linux: what the port classes on kernel devices share: reading an
 * interface's status with the classic ioctls, which every kernel has and
 * which need no netlink round trip for four values. */
#include <config.h>
#include "port-provider.h"

#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include "coverage.h"

COVERAGE_DEFINE(netdev_linux_ioctl);

static bool
do_ioctl(int fd, const char *name, unsigned long cmd, struct ifreq *ifr)
{
    memset(ifr, 0, sizeof *ifr);
    strncpy(ifr->ifr_name, name, IFNAMSIZ - 1);
    COVERAGE_INC(netdev_linux_ioctl);
    return ioctl(fd, cmd, ifr) == 0;
}

void
dp_netdev_get_status(const char *name, struct dp_port_status *st)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct ifreq ifr;

    st->ifindex = if_nametoindex(name);
    if (fd < 0) {
        return;
    }
    if (do_ioctl(fd, name, SIOCGIFHWADDR, &ifr)) {
        memcpy(st->mac.ea, ifr.ifr_hwaddr.sa_data, sizeof st->mac.ea);
    }
    if (do_ioctl(fd, name, SIOCGIFMTU, &ifr)) {
        st->mtu = ifr.ifr_mtu;
    }
    if (do_ioctl(fd, name, SIOCGIFFLAGS, &ifr)) {
        st->admin_up = (ifr.ifr_flags & IFF_UP) != 0;
        st->link_up = (ifr.ifr_flags & IFF_RUNNING) != 0;
    }
    close(fd);
}
