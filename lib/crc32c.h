/* crc32c: the CRC-32C (Castagnoli) checksum, as iSCSI, ext4 and SCTP use
 * it, guarding the records of the config store's log against torn writes
 * and flipped bytes.
 *
 * SSE4.2's crc32 instruction computes it where the CPU has it (checked
 * once at run time), a byte-wise table otherwise; both give the same
 * value. */
#ifndef XVS_CRC32C_H
#define XVS_CRC32C_H 1

#include <stddef.h>
#include <stdint.h>

/* Extends 'crc' (0 to start) over 'len' bytes of 'data'. */
uint32_t crc32c(uint32_t crc, const void *data, size_t len);

#endif
