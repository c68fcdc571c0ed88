/* dpctl: the datapath's flow cache seen from xvs-appctl, with Open
 * vSwitch's command names:
 *
 *   dpctl/dump-flows [DP]      the megaflows of datapath DP ("netdev@br0",
 *   dpif/dump-flows BRIDGE     or just "br0"; optional with one bridge),
 *                              one per line (datapath/dp-format.h);
 *   dpctl/del-flows [DP]       removes them all (their counts go to the
 *                              OpenFlow rules first);
 *   dpif-netdev/pmd-stats-show cache hits, misses and upcalls per datapath,
 *                              and what revalidation kept, modified and
 *                              deleted;
 *   upcall/show                per datapath the megaflows (current, average
 *                              and most at a sweep), the dynamic flow limit
 *                              and the last sweep's duration (ms, real
 *                              time), in Open vSwitch's layout;
 *   upcall/disable-megaflows   from now on megaflows match all of their
 *   upcall/enable-megaflows    key, or again what translation needed (both
 *                              flush every datapath's megaflows).
 *
 * Each bridge has a datapath of its own, named after it, where Open
 * vSwitch's userspace bridges share one ("ovs-netdev"). */
#ifndef XVS_DPCTL_H
#define XVS_DPCTL_H 1

void dpctl_register_unixctl(void);

#endif
