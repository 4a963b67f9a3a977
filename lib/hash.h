/*
 * SHA-256 (OpenSSL's libcrypto) for stable record IDs and file digests.
 */
#ifndef HASH_H
#define HASH_H

#include <stddef.h>

#define HASH_ID_MAX 24
#define SHA256_HEX_MAX 65

/*
 * A stable ID for a natural key: prefix followed by the first 16 hex
 * digits of SHA-256(s), e.g. "C3f2a9b1c4d5e6f70".
 */
void	hash_id(char *out, char prefix, const char *s, size_t n);
/* Hex SHA-256 of a file; 0, or -1 with errno set. */
int	sha256_file(const char *path, char *hex);

#endif
