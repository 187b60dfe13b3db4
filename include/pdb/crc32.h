/*
 * crc32.h — CRC-32 (IEEE 802.3, zlib's), which DynamoDB sends of every
 * response body in x-amz-crc32.
 */
#ifndef PDB_CRC32_H
#define PDB_CRC32_H

#include <stddef.h>
#include <stdint.h>

uint32_t pdb_crc32(const void *p, size_t n);

#endif
