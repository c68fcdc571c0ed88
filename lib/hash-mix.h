/* hash-mix: the Murmur3-style mixing behind hash_add() and hash_finish()
 * (util.h), on the kernel's fixed-width types so that the XDP program
 * (datapath/dp-xdp.bpf.c) can include it too: where both sides must
 * compute the same hash (a tunnel's UDP source port, tnl_flow_hash()),
 * they share these two functions rather than two copies of them. */
#ifndef XVS_HASH_MIX_H
#define XVS_HASH_MIX_H 1

#include <linux/types.h>

static inline __u32
hash_mix_add(__u32 hash, __u32 data)
{
    data *= 0xcc9e2d51;
    data = (data << 15) | (data >> 17);
    data *= 0x1b873593;
    hash ^= data;
    hash = (hash << 13) | (hash >> 19);
    return hash * 5 + 0xe6546b64;
}

static inline __u32
hash_mix_finish(__u32 hash, __u32 final)
{
    hash ^= final;
    hash ^= hash >> 16;
    hash *= 0x85ebca6b;
    hash ^= hash >> 13;
    hash *= 0xc2b2ae35;
    hash ^= hash >> 16;
    return hash;
}

#endif
