/*
 * Encoding detection and conversion to UTF-8 with iconv(3).
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "diag.h"
#include "text.h"
#include "textin.h"
#include "xalloc.h"

#define INCAP 65536
#define GB_NONE		0xffffffffu	/* gb2: not a pair the table has */

struct textin {
	FILE		*fp;
	const char	*name;
	char		 enc[24];
	int		 utf8;		/* no conversion, only validation */
	int		 valid;		/* scan_utf8() found all of it valid */
	int		 euro80;	/* GBK family: byte 80 is code page 936's € */
	iconv_t		 cd;
	uint32_t	*gb2;		/* GBK family: two-byte codes, see gb_fast() */
	char		 in[INCAP];	/* raw bytes not yet decoded */
	size_t		 inlen;
	long long	 consumed;	/* raw bytes taken from the file */
	long long	 size;
	long		 lines;		/* line feeds handed out so far */
	int		 eof;
};

static int
is_utf8_name(const char *e)
{
	return strcasecmp(e, "UTF-8") == 0 || strcasecmp(e, "UTF8") == 0 ||
	    strcasecmp(e, "UTF-8-BOM") == 0;
}

/* 1 when the rest of the file is strictly valid UTF-8. */
static int
scan_utf8(FILE *fp)
{
	char buf[INCAP + 4];
	size_t carry, n, ok;

	carry = 0;
	while ((n = fread(buf + carry, 1, INCAP, fp)) > 0) {
		n += carry;
		ok = utf8_valid_prefix(buf, n);
		if (ok < n) {
			/* Only a sequence cut by the buffer end may continue. */
			if (n - ok > 3 || feof(fp))
				return 0;
			carry = n - ok;
			memmove(buf, buf + ok, carry);
			if (utf8_valid_prefix(buf, carry) != 0)
				return 0;
			continue;
		}
		carry = 0;
	}
	return carry == 0;
}

struct textin *
textin_open(const char *path, const char *name, const char *encoding)
{
	struct textin *t;
	struct pos pos;
	struct stat st;
	unsigned char bom[4];
	size_t n, skip;
	const char *from;

	memset(&pos, 0, sizeof(pos));
	pos.file = name;
	t = xcalloc(1, sizeof(*t));
	t->name = name;
	t->cd = (iconv_t)-1;
	if ((t->fp = fopen(path, "rb")) == NULL) {
		diag_syserr(&pos, "cannot open");
		free(t);
		return NULL;
	}
	if (fstat(fileno(t->fp), &st) == 0)
		t->size = st.st_size;
	n = fread(bom, 1, sizeof(bom), t->fp);
	skip = 0;
	from = NULL;
	if (n >= 3 && memcmp(bom, "\xef\xbb\xbf", 3) == 0) {
		skip = 3;
		snprintf(t->enc, sizeof(t->enc), "UTF-8-BOM");
	} else if (n >= 2 && bom[0] == 0xff && bom[1] == 0xfe) {
		skip = 2;
		from = "UTF-16LE";
	} else if (n >= 2 && bom[0] == 0xfe && bom[1] == 0xff) {
		skip = 2;
		from = "UTF-16BE";
	}
	if (encoding != NULL) {
		/* The user knows best, but a BOM is never data. */
		from = is_utf8_name(encoding) ? NULL : encoding;
		if (from == NULL && t->enc[0] == '\0')
			snprintf(t->enc, sizeof(t->enc), "UTF-8");
	} else if (from == NULL && skip == 0) {
		rewind(t->fp);
		if (scan_utf8(t->fp)) {
			snprintf(t->enc, sizeof(t->enc), "UTF-8");
			t->valid = 1;
		} else
			from = "GB18030";
	}
	if (from != NULL) {
		snprintf(t->enc, sizeof(t->enc), "%s", from);
		if ((t->cd = iconv_open("UTF-8", from)) == (iconv_t)-1) {
			diag_error(SX_USAGE, &pos, "unknown encoding '%s'",
			    diag_val(from));
			fclose(t->fp);
			free(t);
			return NULL;
		}
		t->euro80 = strcasecmp(from, "GB18030") == 0 ||
		    strcasecmp(from, "GBK") == 0 ||
		    strcasecmp(from, "CP936") == 0;
		if (t->euro80)
			t->gb2 = xcalloc(0x10000, sizeof(*t->gb2));
	} else
		t->utf8 = 1;
	if (fseek(t->fp, (long)skip, SEEK_SET) != 0) {
		diag_syserr(&pos, "cannot seek");
		textin_close(t);
		return NULL;
	}
	t->consumed = (long long)skip;
	return t;
}

static void
count_lines(struct textin *t, const char *s, size_t n)
{
	const char *p, *end;

	end = s + n;
	for (p = s; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		t->lines++;
}

/* 1 when s[0..n) can begin a longer, valid UTF-8 sequence. */
static int
partial_seq(const char *s, size_t n)
{
	unsigned char c = (unsigned char)s[0];
	size_t i, need;

	if (c >= 0xc2 && c <= 0xdf)
		need = 1;
	else if (c >= 0xe0 && c <= 0xef)
		need = 2;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 3;
	else
		return 0;
	if (n > need)
		return 0;
	for (i = 1; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			return 0;
	return 1;
}

/*
 * Length of the prefix of s that holds whole characters, for text known
 * to be valid UTF-8: only a sequence cut by the end of s is left out.
 */
static size_t
whole_chars(const char *s, size_t n)
{
	unsigned char c;
	size_t k, need;

	for (k = 1; k <= 3 && k <= n; k++) {
		c = (unsigned char)s[n - k];
		if ((c & 0xc0) == 0x80)
			continue;
		need = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
		return need > k ? n - k : n;
	}
	return n;
}

static ssize_t
bad_bytes(struct textin *t, const char *at, size_t left)
{
	struct pos pos;
	char hex[32];
	size_t i, k;

	memset(&pos, 0, sizeof(pos));
	pos.file = t->name;
	pos.line = t->lines + 1;
	k = 0;
	for (i = 0; i < left && i < 4; i++)
		k += (size_t)snprintf(hex + k, sizeof(hex) - k, "%s%02x",
		    i ? " " : "", (unsigned char)at[i]);
	if (t->utf8)
		diag_error(SX_DATA, &pos, "invalid %s byte sequence '%s'; "
		    "give --encoding if the file is not UTF-8",
		    t->enc[0] ? t->enc : "UTF-8", hex);
	else
		diag_error(SX_DATA, &pos, "invalid %s byte sequence '%s'; "
		    "the file is neither UTF-8 nor %s, give --encoding",
		    t->enc, hex, t->enc);
	return -1;
}

static void
fill(struct textin *t)
{
	size_t n;

	if (t->eof || t->inlen == INCAP)
		return;
	n = fread(t->in + t->inlen, 1, INCAP - t->inlen, t->fp);
	t->inlen += n;
	t->consumed += (long long)n;
	if (n == 0)
		t->eof = 1;
}

/*
 * GBK and GB18030 write every character of daily use as two bytes, a
 * lead in 81-FE and a trail in 40-7E or 80-FE, decoded alone whatever
 * surrounds them.  gb2, indexed by the two bytes, holds what iconv
 * makes of each such pair, found the first time the pair is met: up to
 * three bytes of UTF-8 and their number in the fourth, in memory order;
 * 0 not yet known, GB_NONE for any other two bytes and for a pair that
 * iconv refuses.
 */
static uint32_t
gb_pair(struct textin *t, const unsigned char *p)
{
	uint32_t *e = &t->gb2[p[0] << 8 | p[1]];
	char in[2], outb[8], *ip, *op;
	unsigned char b[4];
	size_t il, ol;

	if (*e != 0)
		return *e;
	*e = GB_NONE;
	if (p[0] < 0x81 || p[0] > 0xfe || p[1] < 0x40 || p[1] == 0x7f ||
	    p[1] > 0xfe)
		return *e;
	memcpy(in, p, 2);
	ip = in;
	il = 2;
	op = outb;
	ol = sizeof(outb);
	if (iconv(t->cd, &ip, &il, &op, &ol) != (size_t)-1 && il == 0 &&
	    op > outb && op - outb <= 3) {
		memset(b, 0, sizeof(b));
		memcpy(b, outb, (size_t)(op - outb));
		b[3] = (unsigned char)(op - outb);
		memcpy(e, b, 4);
	}
	iconv(t->cd, NULL, NULL, NULL, NULL);
	return *e;
}

/*
 * Convert ASCII and two-byte characters from the table, stopping before
 * anything else (a four-byte GB18030 sequence, a stray byte, a pair cut
 * by the end of the input).  The encoding is stateless, so iconv goes
 * on from there as if it had converted it all: a table filled by iconv
 * itself, a pair at a time.  Returns 1 when it stopped at a character
 * the output has no room for, where iconv would stop too.
 */
static int
gb_fast(struct textin *t, char **inp, size_t *inleft, char **outp,
    size_t *outleft)
{
	const unsigned char *p = (const unsigned char *)*inp;
	const unsigned char *e = p + *inleft;
	unsigned char *o = (unsigned char *)*outp;
	unsigned char *oe = o + *outleft;
	unsigned char b[4];
	uint32_t v;
	int full = 0;

	while (p < e) {
		if (p[0] < 0x80) {
			if (o == oe) {
				full = 1;
				break;
			}
			*o++ = *p++;
			continue;
		}
		if (e - p < 2)
			break;
		if ((v = t->gb2[p[0] << 8 | p[1]]) == 0)
			v = gb_pair(t, p);
		if (v == GB_NONE)
			break;
		memcpy(b, &v, 4);
		if (oe - o >= 4)
			memcpy(o, b, 4);
		else if (oe - o >= b[3])
			memcpy(o, b, b[3]);
		else {
			full = 1;
			break;
		}
		o += b[3];
		p += 2;
	}
	*inleft -= (size_t)(p - (const unsigned char *)*inp);
	*outleft -= (size_t)(o - (unsigned char *)*outp);
	*inp = (char *)p;
	*outp = (char *)o;
	return full;
}

/* 1 when p holds a four-byte GB18030 sequence. */
static int
gb_four(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	return p[0] >= 0x81 && p[0] <= 0xfe && p[1] >= 0x30 && p[1] <= 0x39 &&
	    p[2] >= 0x81 && p[2] <= 0xfe && p[3] >= 0x30 && p[3] <= 0x39;
}

ssize_t
textin_read(struct textin *t, char *out, size_t cap)
{
	char *inp, *outp, *ip;
	size_t inleft, outleft, ok, n, il;
	int full, four;

	if (cap < 8)
		return 0;
	fill(t);
	if (t->inlen == 0)
		return 0;
	while (t->utf8) {
		n = t->inlen < cap ? t->inlen : cap;
		/*
		 * A file whose every byte was checked when it was opened is
		 * only cut at a character boundary, not checked again.
		 */
		ok = t->valid ? whole_chars(t->in, n) :
		    utf8_valid_prefix(t->in, n);
		if (ok < n && !(n - ok <= 3 && !t->eof &&
		    partial_seq(t->in + ok, n - ok))) {
			count_lines(t, t->in, ok);
			return bad_bytes(t, t->in + ok, t->inlen - ok);
		}
		if (ok == 0) {
			/* Only a cut sequence is here: read on. */
			fill(t);
			continue;
		}
		memcpy(out, t->in, ok);
		memmove(t->in, t->in + ok, t->inlen - ok);
		t->inlen -= ok;
		count_lines(t, out, ok);
		return (ssize_t)ok;
	}
	inp = t->in;
	inleft = t->inlen;
	outp = out;
	outleft = cap;
	full = 0;
	four = 0;
	while (t->gb2 != NULL) {
		if ((full = gb_fast(t, &inp, &inleft, &outp, &outleft)))
			break;
		/*
		 * A four-byte GB18030 character: iconv takes it alone, and
		 * the rest of a buffer full of them in one call.
		 */
		if (inleft < 4 || outleft < 4 || !gb_four(inp) || ++four > 64)
			break;
		ip = inp;
		il = 4;
		if (iconv(t->cd, &ip, &il, &outp, &outleft) == (size_t)-1 ||
		    il != 0) {
			iconv(t->cd, NULL, NULL, NULL, NULL);
			break;
		}
		inp += 4;
		inleft -= 4;
	}
	/*
	 * Where the table stopped for want of room iconv would too, after
	 * converting into its own buffers what it then has to drop.
	 */
	if (!full && iconv(t->cd, &inp, &inleft, &outp, &outleft) ==
	    (size_t)-1) {
		if (errno == EILSEQ && t->euro80 && inleft > 0 &&
		    (unsigned char)*inp == 0x80 && outleft >= 3) {
			/*
			 * Chinese Windows (code page 936) writes the euro
			 * sign as the lone byte 80, which GB18030 leaves
			 * unused (its € is A2 E3).
			 */
			memcpy(outp, "\xe2\x82\xac", 3);
			outp += 3;
			outleft -= 3;
			inp++;
			inleft--;
		} else if (errno == EILSEQ || (errno == EINVAL && t->eof)) {
			count_lines(t, out, (size_t)(outp - out));
			return bad_bytes(t, inp, inleft);
		}
		/* EINVAL: a sequence continues past the buffer; E2BIG. */
	}
	n = (size_t)(outp - out);
	memmove(t->in, inp, inleft);
	t->inlen = inleft;
	if (n == 0 && inleft > 0 && !t->eof) {
		fill(t);
		return textin_read(t, out, cap);
	}
	count_lines(t, out, n);
	return (ssize_t)n;
}

const char *
textin_encoding(const struct textin *t)
{
	return t->enc;
}

long long
textin_consumed(const struct textin *t)
{
	return t->consumed - (long long)t->inlen;
}

long long
textin_size(const struct textin *t)
{
	return t->size;
}

void
textin_close(struct textin *t)
{
	if (t == NULL)
		return;
	if (t->cd != (iconv_t)-1)
		iconv_close(t->cd);
	free(t->gb2);
	if (t->fp != NULL)
		fclose(t->fp);
	free(t);
}
