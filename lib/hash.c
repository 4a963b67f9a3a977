/*
 * Hashing through libcrypto's EVP interface.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "hash.h"

static void
to_hex(char *out, const unsigned char *md, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[2 * n] = '\0';
}

/*
 * The digest, fetched once: EVP_sha256() makes EVP_Digest look the
 * implementation up again on every call, which costs more than hashing
 * a short key.  Kept for the life of the process.
 */
static const EVP_MD *
sha256(void)
{
	static EVP_MD *md;

	if (md == NULL && (md = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL)
		return EVP_sha256();
	return md;
}

/*
 * One context for the process, as for the digest: EVP_Digest() makes
 * and frees a context on every call, for keys of a few dozen bytes.
 */
void
hash_id(char *out, char prefix, const char *s, size_t n)
{
	static EVP_MD_CTX *ctx;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len;

	if (ctx == NULL)
		ctx = EVP_MD_CTX_new();
	if (ctx == NULL || EVP_DigestInit_ex(ctx, sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, s, n) != 1 ||
	    EVP_DigestFinal_ex(ctx, md, &len) != 1)
		EVP_Digest(s, n, md, &len, sha256(), NULL);
	out[0] = prefix;
	to_hex(out + 1, md, 8);
}

int
sha256_file(const char *path, char *hex)
{
	unsigned char md[EVP_MAX_MD_SIZE], buf[65536];
	unsigned int len;
	EVP_MD_CTX *ctx;
	size_t n;
	FILE *fp;
	int rc;

	if ((fp = fopen(path, "rb")) == NULL)
		return -1;
	ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		EVP_DigestUpdate(ctx, buf, n);
	rc = ferror(fp) ? -1 : 0;
	EVP_DigestFinal_ex(ctx, md, &len);
	EVP_MD_CTX_free(ctx);
	fclose(fp);
	if (rc == 0)
		to_hex(hex, md, len);
	return rc;
}
