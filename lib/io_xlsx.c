/*
 * XLSX reader: minizip inflates, expat parses, rows stream out.
 *
 * A sheet part is inflated in 64 KiB chunks straight into expat's
 * buffer, and the parser is suspended after every row worth yielding,
 * so memory stays flat whatever the size of the sheet.  Shared strings
 * need random access: they are loaded once into one arena with an
 * offset array.  Merged ranges are listed after the cells, so a sheet
 * that has any is inflated twice: a cheap scan for them first, then
 * the real pass, which fills covered cells from their anchors.  The
 * scan reads every sheet to its end and checks its CRC, so the real
 * pass inflates the part raw, without checking it again.
 *
 * Every error goes through diag_error() with the file (and sheet, row
 * and column when known); next() then returns -1.
 */
#include <ctype.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <expat.h>
#include <zlib.h>
#include "unzip.h"

#include "buf.h"
#include "diag.h"
#include "num.h"
#include "numfmt.h"
#include "reader.h"
#include "row.h"
#include "sheets.h"
#include "xalloc.h"
#include "xldate.h"
#include "xlsx.h"

#define CHUNK		(1 << 16)	/* inflated bytes per expat feed */
#define ZCHUNK		(1 << 16)	/* compressed bytes per read, raw */
#define NS_SEP		':'		/* ends a prefix */
#define PART_MAX	(2ULL << 30)	/* inflated bytes of one part */
#define RATIO_FROM	(64ULL << 20)	/* check the ratio past this */
#define RATIO_MAX	1000		/* inflated / compressed */
#define WB_RATIO_MAX	(3 * RATIO_MAX)	/* all reads / file size */
#define SST_MAX		(512UL << 20)	/* shared strings, offsets included */
#define TEXT_MAX	(32UL << 20)	/* one cell's text */
#define ALLOC_MAX	(64UL << 20)	/* one expat allocation: one token */
#define ENTRY_MAX	65536		/* zip entries */
#define SHEET_MAX	65536
#define XF_MAX		(1 << 20)	/* cell formats in styles.xml */
#define NUMFMT_MAX	(1 << 16)	/* custom number formats */
#define MERGE_MAX	(1 << 20)	/* merged ranges in one sheet */
#define FILL_MAX	(16L << 20)	/* cells filled from merges, a sheet */
#define DAY_CACHE	1024		/* date texts kept, by serial */
#define DAY_SERIAL_MAX	2958466		/* 10000-01-01, as serials go */
#define COL_MAX		16384		/* XFD */
#define ROW_MAX		1048576L

/* Cell types as the t attribute spells them. */
enum ctype {
	CT_N,		/* number (or no t) */
	CT_S,		/* shared string */
	CT_STR,		/* formula string */
	CT_INLINE,	/* <is> inline string */
	CT_B,		/* boolean */
	CT_E,		/* error */
	CT_D		/* ISO 8601 date */
};

/* The elements of a sheet that the reader acts on. */
enum el {
	EL_OTHER,
	EL_C,		/* a cell */
	EL_F,		/* its formula */
	EL_IS,		/* its inline string */
	EL_RPH,		/* a phonetic guide: not part of the text */
	EL_ROW,
	EL_SHEETDATA,
	EL_T,		/* text */
	EL_V		/* a cell's value */
};

/* Where next() is in the current sheet. */
enum phase {
	PH_NONE,	/* between sheets */
	PH_FEED,	/* the parser wants more bytes */
	PH_SUSPENDED,	/* the parser stopped after a row */
	PH_TAIL,	/* parsed: rows covered by merges may remain */
	PH_CLOSE	/* nothing left but closing the part */
};

struct zentry {
	char		*name;	/* '/' separators, no leading '/' */
	unz64_file_pos	 pos;
};

struct rel {
	char		*id;
	char		*type;	/* last segment of the Type URI */
	char		*target; /* resolved part name */
};

struct sheet {
	char		*rid;	/* relationship id in workbook.xml */
	char		*part;	/* zip entry, NULL if none */
	unsigned	 flags;	/* XLSX_* */
};

struct merge {
	long		 r1, r2;	/* sheet rows, 1-based */
	int		 c1, c2;	/* cell indexes, 0-based */
};

/* A merged range being filled, with a copy of its anchor's value. */
struct anchor {
	struct merge	 m;
	enum cell_type	 type;
	unsigned	 flags;
	double		 num;
	char		*text;
	size_t		 len;
};

/* The text a date serial had last time. */
struct day {
	double		 serial;
	enum cell_type	 type;		/* CELL_EMPTY: none yet */
	unsigned char	 len;
	char		 text[CIVIL_TEXT_MAX];
};

struct numfmt {
	unsigned	 id;
	unsigned	 cls;
};

struct xlsx_rd {
	struct reader	 base;
	unzFile		 zf;
	locale_t	 cloc;		/* strtod() and printf() in "C" */
	int		 failed;
	XML_Parser	 p;		/* the parser whose handlers run */

	struct zentry	*ent;
	size_t		 nent, capent;
	const char	*part;		/* the part being inflated */
	unsigned long long pin;		/* its bytes inflated so far */
	unsigned long long pzip;	/* its compressed size */
	unsigned long long tin;		/* bytes inflated from all parts */
	unsigned long long fsize;	/* the file's size */
	int		 popen;
	int		 praw;		/* read raw, inflated through zs */
	z_stream	 zs;
	int		 zinit, zend;
	unsigned char	*zin;		/* ZCHUNK compressed bytes */
	unsigned long long zleft;	/* bytes the part may still yield */

	/* Package and workbook. */
	struct rel	*rels;
	size_t		 nrels, caprels;
	char		*wbpart, *sstpart, *stylepart;
	struct sheet	*sheets;
	char		**names;	/* for xlsx_sheet_names() */
	unsigned	*sflags;
	size_t		 nsheets, capsheets;
	int		 in_sheets;
	int		 date1904;
	size_t		*order;		/* sheets to read */
	size_t		 norder, next_sheet;

	/* Styles: the class of each cellXfs entry. */
	unsigned	*xf;
	size_t		 nxf, capxf;
	struct numfmt	*fmts;
	size_t		 nfmts, capfmts;
	int		 in_numfmts, in_cellxfs;

	/* Shared strings: string i is sst.s[sstoff[i] .. sstoff[i + 1]). */
	struct buf	 sst;
	uint32_t	*sstoff;
	size_t		 nsst, capsst;
	int		 in_si, rph, collect;
	size_t		 si_start;

	/* The sheet being read. */
	struct sheet	*sh;
	const char	*shname;
	XML_Parser	 sp;
	enum phase	 phase;
	int		 final;		/* the last bytes were fed */
	unsigned char	*els;		/* kinds of the open elements */
	size_t		 nels, capels;
	int		 in_sd;		/* inside <sheetData> */
	int		 in_row;
	long		 rownum;	/* row being read */
	long		 lastrow;	/* last row finished */
	int		 row_r;		/* that row had an r attribute */
	int		 row_val;	/* it holds a value */
	int		 col;		/* current cell, 0-based; -1 first */
	int		 in_c, in_is;
	enum ctype	 ctype;
	unsigned	 cstyle;
	int		 has_v, has_f, has_is;
	struct buf	 v, t;		/* texts of <v> and of <is> */
	struct row	 cur, ready, held;
	struct day	*days;		/* DAY_CACHE of them, or NULL */
	int		 have_ready, have_held;
	long		 held_row;
	int		 held_val;

	/* Merged ranges of the sheet, by first row. */
	struct merge	*mg;
	size_t		 nmg, capmg, mnext;
	struct anchor	*act;
	size_t		 nact, capact;
	long		 gap_next, gap_end;	/* rows only merges fill */
	long		 filled;
	char		*scan;			/* buffer of the merge scan */
	long		 nmerged;		/* ranges of the sheets opened */
};

static const struct reader_ops xlsx_ops;

static void	fail(struct xlsx_rd *, long, int, const char *, ...)
		    __attribute__((__format__(__printf__, 4, 5)));

/*
 * Report an error at the file, or at the sheet's row and column when
 * given, once: later failures are consequences of the first.
 */
static void
fail(struct xlsx_rd *x, long line, int col, const char *fmt, ...)
{
	struct pos pos;
	struct buf b = {0};
	va_list ap;

	if (x->failed)
		return;
	x->failed = 1;
	memset(&pos, 0, sizeof(pos));
	pos.file = x->base.name;
	pos.sheet = x->shname;
	pos.line = line;
	pos.col = col;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	diag_error(SX_DATA, &pos, "%s", buf_str(&b));
	buf_free(&b);
}

/* From a handler: no more callbacks after a failure. */
static void
stop(struct xlsx_rd *x)
{
	if (x->p != NULL)
		XML_StopParser(x->p, XML_FALSE);
}

/* The local name of an expanded "uri|name": namespaces never matter. */
static const char *
local(const char *name)
{
	const char *s;

	return (s = strrchr(name, NS_SEP)) != NULL ? s + 1 : name;
}

/*
 * The kind of a sheet's element from one look at its local name.  The
 * end handler takes it from a stack instead: a large sheet has
 * millions of elements, and finding the local name of each twice cost
 * more than the rest of the handlers.
 */
static enum el
el_kind(const char *name)
{
	const char *ln;

	ln = local(name);
	switch (ln[0]) {
	case 'c':
		return ln[1] == '\0' ? EL_C : EL_OTHER;
	case 'f':
		return ln[1] == '\0' ? EL_F : EL_OTHER;
	case 'i':
		return ln[1] == 's' && ln[2] == '\0' ? EL_IS : EL_OTHER;
	case 'r':
		if (strcmp(ln + 1, "ow") == 0)
			return EL_ROW;
		return strcmp(ln + 1, "Ph") == 0 ? EL_RPH : EL_OTHER;
	case 's':
		return strcmp(ln + 1, "heetData") == 0 ? EL_SHEETDATA :
		    EL_OTHER;
	case 't':
		return ln[1] == '\0' ? EL_T : EL_OTHER;
	case 'v':
		return ln[1] == '\0' ? EL_V : EL_OTHER;
	default:
		return EL_OTHER;
	}
}

/* The value of attribute name (compared by local name), or NULL. */
static const char *
attr(const char **atts, const char *name)
{
	for (; atts[0] != NULL; atts += 2)
		if (strncmp(atts[0], "xmlns", 5) != 0 &&	/* xmlns:r */
		    strcmp(local(atts[0]), name) == 0)
			return atts[1];
	return NULL;
}

/*
 * Expat allocates through these so that no single token, such as a
 * start tag with a gigabyte attribute, can take more than 64 MiB.
 */
static void *
capped_malloc(size_t n)
{
	return n > ALLOC_MAX ? NULL : malloc(n);
}

static void *
capped_realloc(void *p, size_t n)
{
	return n > ALLOC_MAX ? NULL : realloc(p, n);
}

/* OOXML never has a DOCTYPE; one here can only mean entity tricks. */
static void
on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int internal)
{
	struct xlsx_rd *x = ud;

	(void)name;
	(void)sysid;
	(void)pubid;
	(void)internal;
	fail(x, 0, 0, "not a valid xlsx file: %s has a DOCTYPE "
	    "declaration (entity expansion attack?)", x->part);
	stop(x);
}

static XML_Parser
new_parser(struct xlsx_rd *x)
{
	static const XML_Memory_Handling_Suite ms = {
		capped_malloc, capped_realloc, free
	};
	XML_Parser p;

	/*
	 * Without namespace processing: names keep their prefix, which
	 * local() drops, as it dropped the namespace; expat's resolving
	 * of every name was 3.6% of reading a large sheet, and nothing
	 * here asks which namespace a name is in.  A prefix nothing
	 * declares is read like any other.
	 */
	if ((p = XML_ParserCreate_MM(NULL, &ms, NULL)) == NULL)
		diag_fatal(SX_SYS, "out of memory");
	XML_SetUserData(p, x);
	XML_SetStartDoctypeDeclHandler(p, on_doctype);
	return p;
}

static void
xml_error(struct xlsx_rd *x, XML_Parser p)
{
	enum XML_Error e;

	if (x->failed)
		return;
	e = XML_GetErrorCode(p);
	if (e == XML_ERROR_NO_MEMORY)
		fail(x, 0, 0, "%s: an XML token larger than %lu MiB "
		    "(hostile file?)", x->part, ALLOC_MAX >> 20);
	else
		fail(x, 0, 0, "not a valid xlsx file: %s: line %lu: %s",
		    x->part, (unsigned long)XML_GetCurrentLineNumber(p),
		    XML_ErrorString(e));
}

/* Zip entries. */

static struct zentry *
find_entry(struct xlsx_rd *x, const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	/* Part names are case-insensitive (OPC); writers disagree. */
	for (i = 0; i < x->nent; i++)
		if (strcasecmp(x->ent[i].name, name) == 0)
			return &x->ent[i];
	return NULL;
}

static int
read_dir(struct xlsx_rd *x)
{
	unz_file_info64 fi;
	struct zentry *e;
	char name[1024], *s, *d;
	int rc;

	for (rc = unzGoToFirstFile(x->zf); rc == UNZ_OK;
	    rc = unzGoToNextFile(x->zf)) {
		if (x->nent >= ENTRY_MAX) {
			fail(x, 0, 0, "zip holds more than %d entries "
			    "(hostile file?)", ENTRY_MAX);
			return -1;
		}
		if (unzGetCurrentFileInfo64(x->zf, &fi, name, sizeof(name),
		    NULL, 0, NULL, 0) != UNZ_OK)
			break;
		if (fi.size_filename >= sizeof(name))
			continue;	/* too long to be a part we read */
		x->ent = xgrow(x->ent, &x->capent, x->nent + 1,
		    sizeof(*x->ent));
		e = &x->ent[x->nent];
		if (unzGetFilePos64(x->zf, &e->pos) != UNZ_OK)
			break;
		/* Some Windows writers use '\' and a leading '/'. */
		for (s = name; *s == '/' || *s == '\\'; s++)
			continue;
		e->name = xstrdup(s);
		for (d = e->name; *d != '\0'; d++)
			if (*d == '\\')
				*d = '/';
		x->nent++;
	}
	if (rc != UNZ_END_OF_LIST_OF_FILE) {
		fail(x, 0, 0, "not a valid xlsx file: damaged zip directory");
		return -1;
	}
	return 0;
}

/*
 * Open a part for inflating: 1, 0 when absent, -1 after an error.  With
 * raw set, a deflated part is inflated here rather than by minizip,
 * which checks its CRC: for a sheet's cells, whose bytes the merge scan
 * has inflated and checked already (CRC-32 cost a quarter of what
 * inflating did).
 */
static int
part_open(struct xlsx_rd *x, const char *name, int raw)
{
	unz_file_info64 fi;
	struct zentry *e;

	if ((e = find_entry(x, name)) == NULL)
		return 0;
	x->part = e->name;
	if (unzGoToFilePos64(x->zf, &e->pos) != UNZ_OK ||
	    unzGetCurrentFileInfo64(x->zf, &fi, NULL, 0, NULL, 0, NULL,
	    0) != UNZ_OK) {
		fail(x, 0, 0, "not a valid xlsx file: cannot find %s",
		    e->name);
		return -1;
	}
	if (fi.flag & 1) {
		fail(x, 0, 0, "%s is encrypted", e->name);
		return -1;
	}
	if (fi.compression_method != 0 && fi.compression_method != 8) {
		fail(x, 0, 0, "%s: unsupported zip compression method %lu",
		    e->name, fi.compression_method);
		return -1;
	}
	x->praw = raw && fi.compression_method == Z_DEFLATED;
	if ((x->praw ? unzOpenCurrentFile2(x->zf, NULL, NULL, 1) :
	    unzOpenCurrentFile(x->zf)) != UNZ_OK) {
		fail(x, 0, 0, "not a valid xlsx file: cannot read %s",
		    e->name);
		return -1;
	}
	if (x->praw) {
		if (!x->zinit) {
			if (inflateInit2(&x->zs, -MAX_WBITS) != Z_OK)
				diag_fatal(SX_SYS, "out of memory");
			x->zinit = 1;
			x->zin = xmalloc(ZCHUNK);
		} else
			inflateReset(&x->zs);
		x->zs.avail_in = 0;
		x->zend = 0;
		x->zleft = fi.uncompressed_size;
	}
	x->popen = 1;
	x->pin = 0;
	x->pzip = fi.compressed_size;
	return 1;
}

/*
 * Inflate up to n bytes of a part opened raw, as unzReadCurrentFile()
 * does: no more than the size the zip directory gives, nothing past
 * the end of the deflate stream.  Returns the count, 0 at the end, or
 * -1 when the data is damaged.
 */
static int
raw_read(struct xlsx_rd *x, char *buf, size_t n)
{
	z_stream *z = &x->zs;
	int rc, got;

	if (n > x->zleft)
		n = (size_t)x->zleft;
	z->next_out = (Bytef *)buf;
	z->avail_out = (uInt)n;
	while (z->avail_out > 0 && !x->zend) {
		if (z->avail_in == 0) {
			got = unzReadCurrentFile(x->zf, x->zin, ZCHUNK);
			if (got <= 0)
				return -1;	/* the stream ends early */
			z->next_in = x->zin;
			z->avail_in = (uInt)got;
		}
		rc = inflate(z, Z_SYNC_FLUSH);
		if (rc == Z_STREAM_END)
			x->zend = 1;
		else if (rc != Z_OK)
			return -1;
	}
	n -= z->avail_out;
	x->zleft -= n;
	return (int)n;
}

/*
 * Inflate up to n bytes of the open part.  Returns the count, 0 at its
 * end, or -1 after an error, including the zip bomb limits.
 */
static long
part_read(struct xlsx_rd *x, char *buf, size_t n)
{
	int rc;

	if (x->praw)
		rc = raw_read(x, buf, n);
	else
		rc = unzReadCurrentFile(x->zf, buf, (unsigned)n);
	if (rc < 0) {
		fail(x, 0, 0, "not a valid xlsx file: %s: damaged compressed "
		    "data", x->part);
		return -1;
	}
	x->pin += (unsigned)rc;
	if (x->pin > PART_MAX) {
		fail(x, 0, 0, "%s inflates to more than %llu GiB: refusing "
		    "it (zip bomb?)", x->part, PART_MAX >> 30);
		return -1;
	}
	if (x->pin > RATIO_FROM && x->pin / (x->pzip ? x->pzip : 1) >
	    RATIO_MAX) {
		fail(x, 0, 0, "%s inflates to more than %d times its "
		    "compressed size: refusing it (zip bomb?)", x->part,
		    RATIO_MAX);
		return -1;
	}
	/*
	 * Many sheets can name one part: a limit for the workbook as a
	 * whole too.  Three times the part's, since one sheet may be
	 * inflated three times (scan_merges(), its ranges, its cells).
	 */
	x->tin += (unsigned)rc;
	if (x->tin > RATIO_FROM && x->tin / (x->fsize ? x->fsize : 1) >
	    WB_RATIO_MAX) {
		fail(x, 0, 0, "%s: the workbook inflates to more than %d "
		    "times its size: refusing it (zip bomb?)", x->part,
		    WB_RATIO_MAX);
		return -1;
	}
	return rc;
}

/* Close the open part; a part read to its end has its CRC checked. */
static int
part_close(struct xlsx_rd *x)
{
	int rc;

	if (!x->popen)
		return 0;
	x->popen = 0;
	rc = unzCloseCurrentFile(x->zf);
	if (rc == UNZ_CRCERROR) {
		fail(x, 0, 0, "not a valid xlsx file: %s: CRC mismatch "
		    "(damaged file)", x->part);
		return -1;
	}
	return 0;
}

/*
 * Parse a whole part with the given handlers.  Returns 1, 0 when the
 * part is absent, or -1 after an error.
 */
static int
parse_part(struct xlsx_rd *x, const char *name, XML_StartElementHandler st,
    XML_EndElementHandler en, XML_CharacterDataHandler ch)
{
	XML_Parser p, saved;
	void *buf;
	long n;
	int rc;

	if ((rc = part_open(x, name, 0)) <= 0)
		return rc;
	p = new_parser(x);
	XML_SetElementHandler(p, st, en);
	XML_SetCharacterDataHandler(p, ch);
	saved = x->p;
	x->p = p;
	rc = 1;
	for (;;) {
		if ((buf = XML_GetBuffer(p, CHUNK)) == NULL) {
			xml_error(x, p);
			rc = -1;
			break;
		}
		if ((n = part_read(x, buf, CHUNK)) < 0) {
			rc = -1;
			break;
		}
		if (XML_ParseBuffer(p, (int)n, n == 0) != XML_STATUS_OK ||
		    x->failed) {
			xml_error(x, p);
			rc = -1;
			break;
		}
		if (n == 0)
			break;
	}
	x->p = saved;
	XML_ParserFree(p);
	if (part_close(x) == -1)
		rc = -1;
	return rc;
}

/* Text. */

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The code unit of an "_xHHHH_" escape at s (n bytes left), or -1. */
static long
escape_at(const char *s, size_t n)
{
	long v;
	int i, h;

	if (n < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_')
		return -1;
	v = 0;
	for (i = 2; i < 6; i++) {
		if ((h = hexval((unsigned char)s[i])) < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

static size_t
put_utf8(char *o, unsigned long cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * Decode the _xHHHH_ escapes of ST_Xstring in place (_x000D_ is a CR,
 * _x005F_ an underscore, which is how a literal "_x000D_" is written)
 * and return the new length.  The output is never longer than the
 * input: seven bytes become at most three, fourteen (a surrogate
 * pair) at most four.
 */
static size_t
unescape(char *s, size_t n)
{
	size_t i, o;
	long cp, lo;

	if (memchr(s, '_', n) == NULL)
		return n;
	for (i = o = 0; i < n;) {
		if (s[i] != '_' || (cp = escape_at(s + i, n - i)) < 0) {
			s[o++] = s[i++];
			continue;
		}
		i += 7;
		if (cp >= 0xd800 && cp < 0xdc00 &&
		    (lo = escape_at(s + i, n - i)) >= 0xdc00 && lo < 0xe000) {
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			i += 7;
		} else if (cp >= 0xd800 && cp < 0xe000)
			cp = 0xfffd;	/* a lone surrogate */
		o += put_utf8(s + o, (unsigned long)cp);
	}
	return o;
}

/*
 * Parse a cell reference "AB12" into a 1-based column and row; either
 * may be absent (0).  Values past the sheet's limits come back capped
 * just above them, for the caller to report.  Returns the end of the
 * reference, or NULL when s does not start with one.
 */
static const char *
parse_ref(const char *s, long *col, long *row)
{
	const char *p;
	long c, r;

	c = r = 0;
	p = s;
	if (*p == '$')
		p++;
	for (; (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'); p++)
		if (c <= COL_MAX)
			c = c * 26 + ((*p | 0x20) - 'a' + 1);
	if (*p == '$')
		p++;
	for (; *p >= '0' && *p <= '9'; p++)
		if (r <= ROW_MAX)
			r = r * 10 + (*p - '0');
	if (c == 0 && r == 0)
		return NULL;
	*col = c;
	*row = r;
	return p;
}

/*
 * The value of s when it is one to nine digits and nothing else, or
 * -1.  Style and shared string indexes are, in all but odd files, and
 * a loop here costs a tenth of strtoul().
 */
static long
small_index(const char *s)
{
	long v;
	int i;

	v = 0;
	for (i = 0; (unsigned)(s[i] - '0') < 10; i++) {
		if (i == 9)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return i > 0 && s[i] == '\0' ? v : -1;
}

/* A row number, or -1. */
static long
parse_rownum(const char *s)
{
	long r;

	if (*s < '0' || *s > '9')
		return -1;
	for (r = 0; *s >= '0' && *s <= '9'; s++)
		if (r <= ROW_MAX)
			r = r * 10 + (*s - '0');
	return *s == '\0' ? r : -1;
}

/* Relationships. */

static void
free_rels(struct xlsx_rd *x)
{
	size_t i;

	for (i = 0; i < x->nrels; i++) {
		free(x->rels[i].id);
		free(x->rels[i].type);
		free(x->rels[i].target);
	}
	x->nrels = 0;
}

static void
rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx_rd *x = ud;
	const char *id, *type, *target, *mode, *s;
	struct rel *r;

	if (x->failed || strcmp(local(name), "Relationship") != 0)
		return;
	id = attr(atts, "Id");
	type = attr(atts, "Type");
	target = attr(atts, "Target");
	mode = attr(atts, "TargetMode");
	if (id == NULL || type == NULL || target == NULL ||
	    (mode != NULL && strcmp(mode, "External") == 0))
		return;
	if (x->nrels >= SHEET_MAX * 4) {
		fail(x, 0, 0, "%s: too many relationships", x->part);
		stop(x);
		return;
	}
	/*
	 * Transitional and Strict OOXML name the same relationships
	 * under different URIs; the last segment is what they share.
	 */
	s = strrchr(type, '/');
	x->rels = xgrow(x->rels, &x->caprels, x->nrels + 1, sizeof(*x->rels));
	r = &x->rels[x->nrels++];
	r->id = xstrdup(id);
	r->type = xstrdup(s != NULL ? s + 1 : type);
	r->target = xstrdup(target);
}

/*
 * The part a relationship of part source points at: target is taken
 * from the package root when it starts with '/', else from the
 * directory of source; "." and ".." segments and %XX escapes are
 * resolved.  The caller frees.
 */
static char *
resolve(const char *source, const char *target)
{
	struct buf in = {0}, out = {0};
	const char *s, *e, *slash;
	size_t len;
	int hi, lo;

	if (*target == '/' || *target == '\\') {
		while (*target == '/' || *target == '\\')
			target++;
	} else if ((slash = strrchr(source, '/')) != NULL)
		buf_add(&in, source, (size_t)(slash - source) + 1);
	for (s = target; *s != '\0'; s++) {
		if (*s == '%' && (hi = hexval((unsigned char)s[1])) >= 0 &&
		    (lo = hexval((unsigned char)s[2])) >= 0) {
			buf_addc(&in, hi * 16 + lo);
			s += 2;
		} else
			buf_addc(&in, *s == '\\' ? '/' : *s);
	}
	for (s = buf_str(&in); *s != '\0'; s = *e != '\0' ? e + 1 : e) {
		if ((e = strchr(s, '/')) == NULL)
			e = s + strlen(s);
		len = (size_t)(e - s);
		if (len == 0 || (len == 1 && s[0] == '.'))
			continue;
		if (len == 2 && s[0] == '.' && s[1] == '.') {
			while (out.len > 0 && out.s[out.len - 1] != '/')
				out.len--;
			if (out.len > 0)
				out.len--;
			buf_truncate(&out, out.len);
			continue;
		}
		if (out.len > 0)
			buf_addc(&out, '/');
		buf_add(&out, s, len);
	}
	buf_free(&in);
	return buf_take(&out);
}

/* Parse the relationships of part source; absent ones are no error. */
static int
load_rels(struct xlsx_rd *x, const char *source)
{
	const char *slash;
	char *path;
	size_t i;
	int rc;

	free_rels(x);
	slash = strrchr(source, '/');
	if (slash == NULL)
		path = xasprintf("_rels/%s.rels", source);
	else
		path = xasprintf("%.*s/_rels/%s.rels", (int)(slash - source),
		    source, slash + 1);
	rc = parse_part(x, path, rels_start, NULL, NULL);
	free(path);
	for (i = 0; i < x->nrels; i++) {
		path = resolve(source, x->rels[i].target);
		free(x->rels[i].target);
		x->rels[i].target = path;
	}
	return rc;
}

static const struct rel *
find_rel(struct xlsx_rd *x, const char *key, int by_type)
{
	size_t i;

	for (i = 0; i < x->nrels; i++)
		if (strcmp(by_type ? x->rels[i].type : x->rels[i].id,
		    key) == 0)
			return &x->rels[i];
	return NULL;
}

/* The workbook. */

static void
wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx_rd *x = ud;
	const char *ln, *nm, *state, *id, *v;
	struct sheet *s;

	if (x->failed)
		return;
	ln = local(name);
	if (strcmp(ln, "sheets") == 0)
		x->in_sheets = 1;
	else if (strcmp(ln, "workbookPr") == 0) {
		if ((v = attr(atts, "date1904")) != NULL)
			x->date1904 = strcmp(v, "1") == 0 ||
			    strcmp(v, "true") == 0;
	} else if (x->in_sheets && strcmp(ln, "sheet") == 0) {
		nm = attr(atts, "name");
		state = attr(atts, "state");
		id = attr(atts, "id");	/* r:id, whatever the prefix */
		if (nm == NULL)
			return;
		if (x->nsheets >= SHEET_MAX) {
			fail(x, 0, 0, "workbook has more than %d sheets",
			    SHEET_MAX);
			stop(x);
			return;
		}
		x->sheets = xgrow(x->sheets, &x->capsheets, x->nsheets + 1,
		    sizeof(*x->sheets));
		x->names = xrealloc(x->names, x->capsheets * sizeof(char *));
		x->sflags = xrealloc(x->sflags, x->capsheets *
		    sizeof(unsigned));
		s = &x->sheets[x->nsheets];
		memset(s, 0, sizeof(*s));
		s->rid = id != NULL ? xstrdup(id) : NULL;
		if (state != NULL && strcmp(state, "hidden") == 0)
			s->flags |= XLSX_HIDDEN;
		else if (state != NULL && strcmp(state, "veryHidden") == 0)
			s->flags |= XLSX_VERYHIDDEN;
		x->names[x->nsheets] = xstrdup(nm);
		x->nsheets++;
	}
}

static void
wb_end(void *ud, const XML_Char *name)
{
	struct xlsx_rd *x = ud;

	if (strcmp(local(name), "sheets") == 0)
		x->in_sheets = 0;
}

static int
load_workbook(struct xlsx_rd *x)
{
	const struct rel *r;
	char *dflt;
	size_t i;
	int rc, norels;

	/* _rels/.rels names the workbook; Strict OOXML uses other paths. */
	if (load_rels(x, "") == -1)
		return -1;
	if ((r = find_rel(x, "officeDocument", 1)) != NULL &&
	    find_entry(x, r->target) != NULL)
		x->wbpart = xstrdup(r->target);
	else if (find_entry(x, "xl/workbook.xml") != NULL)
		x->wbpart = xstrdup("xl/workbook.xml");
	else {
		fail(x, 0, 0, "not a valid xlsx file: no workbook part "
		    "(a zip, but not a spreadsheet?)");
		return -1;
	}
	if ((rc = load_rels(x, x->wbpart)) == -1)
		return -1;
	norels = rc == 0;
	if (parse_part(x, x->wbpart, wb_start, wb_end, NULL) == -1)
		return -1;

	for (i = 0; i < x->nsheets; i++) {
		x->sflags[i] = x->sheets[i].flags;
		if (norels) {
			/* No workbook rels at all: guess the usual names. */
			dflt = xasprintf("worksheets/sheet%zu.xml", i + 1);
			x->sheets[i].part = resolve(x->wbpart, dflt);
			free(dflt);
			continue;
		}
		if (x->sheets[i].rid == NULL ||
		    (r = find_rel(x, x->sheets[i].rid, 0)) == NULL)
			continue;
		if (strcmp(r->type, "worksheet") == 0)
			x->sheets[i].part = xstrdup(r->target);
		else
			x->sheets[i].flags |= XLSX_NOCELLS;
		x->sflags[i] = x->sheets[i].flags;
	}
	if (norels) {
		x->sstpart = resolve(x->wbpart, "sharedStrings.xml");
		x->stylepart = resolve(x->wbpart, "styles.xml");
	} else {
		if ((r = find_rel(x, "sharedStrings", 1)) != NULL)
			x->sstpart = xstrdup(r->target);
		if ((r = find_rel(x, "styles", 1)) != NULL)
			x->stylepart = xstrdup(r->target);
	}
	free_rels(x);
	return 0;
}

/* The sheet list for messages: "a, b (hidden), c (chart)". */
/* The sheets' states, in the order of x->names, for sheets.c. */
static unsigned *
sheet_states(const struct xlsx_rd *x)
{
	unsigned *f;
	size_t i;

	f = xcalloc(x->nsheets + 1, sizeof(*f));
	for (i = 0; i < x->nsheets; i++)
		f[i] = x->sheets[i].flags;
	return f;
}

static int
pick_sheets(struct xlsx_rd *x, const struct reader_opts *o)
{
	struct buf why = {0};
	unsigned *flags;
	size_t i;

	x->order = xcalloc(x->nsheets + 1, sizeof(*x->order));
	flags = sheet_states(x);
	x->norder = sheets_pick(x->names, flags, x->nsheets, o->sheet,
	    o->all_sheets, x->order, &why);
	free(flags);
	if (x->norder == 0) {
		fail(x, 0, 0, "%s", buf_str(&why));
		buf_free(&why);
		return -1;
	}
	if (o->sheet != NULL && x->sheets[x->order[0]].flags & XLSX_NOCELLS) {
		fail(x, 0, 0, "sheet '%s' is a chart sheet: it holds no cells",
		    x->names[x->order[0]]);
		return -1;
	}
	for (i = 0; i < x->norder; i++) {
		if (find_entry(x, x->sheets[x->order[i]].part) == NULL) {
			fail(x, 0, 0, "not a valid xlsx file: sheet '%s' has "
			    "no part in the package", x->names[x->order[i]]);
			return -1;
		}
	}
	return 0;
}

/* Styles: numFmts and cellXfs are all a reader needs. */

static void
styles_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx_rd *x = ud;
	const char *ln, *id, *code;
	char *end;
	unsigned long n;

	if (x->failed)
		return;
	ln = local(name);
	if (strcmp(ln, "numFmts") == 0)
		x->in_numfmts = 1;
	else if (strcmp(ln, "cellXfs") == 0)
		x->in_cellxfs = 1;
	else if (x->in_numfmts && strcmp(ln, "numFmt") == 0) {
		id = attr(atts, "numFmtId");
		code = attr(atts, "formatCode");
		if (id == NULL || code == NULL)
			return;
		n = strtoul(id, &end, 10);
		if (*end != '\0' || x->nfmts >= NUMFMT_MAX)
			return;
		x->fmts = xgrow(x->fmts, &x->capfmts, x->nfmts + 1,
		    sizeof(*x->fmts));
		x->fmts[x->nfmts].id = (unsigned)n;
		x->fmts[x->nfmts].cls = numfmt_class(code);
		x->nfmts++;
	} else if (x->in_cellxfs && strcmp(ln, "xf") == 0) {
		if (x->nxf >= XF_MAX) {
			fail(x, 0, 0, "%s: more than %d cell formats "
			    "(hostile file?)", x->part, XF_MAX);
			stop(x);
			return;
		}
		n = 0;
		if ((id = attr(atts, "numFmtId")) != NULL)
			n = strtoul(id, &end, 10);
		x->xf = xgrow(x->xf, &x->capxf, x->nxf + 1, sizeof(*x->xf));
		x->xf[x->nxf++] = n > 0xffffff ? 0 : (unsigned)n;
	}
}

static void
styles_end(void *ud, const XML_Char *name)
{
	struct xlsx_rd *x = ud;
	const char *ln;

	ln = local(name);
	if (strcmp(ln, "numFmts") == 0)
		x->in_numfmts = 0;
	else if (strcmp(ln, "cellXfs") == 0)
		x->in_cellxfs = 0;
}

static int
load_styles(struct xlsx_rd *x)
{
	size_t i, j;
	unsigned id;

	if (parse_part(x, x->stylepart, styles_start, styles_end, NULL) ==
	    -1)
		return -1;
	/* Replace each numFmtId by its class; a code given wins. */
	for (i = 0; i < x->nxf; i++) {
		id = x->xf[i];
		x->xf[i] = numfmt_builtin(id);
		for (j = x->nfmts; j-- > 0;)
			if (x->fmts[j].id == id) {
				x->xf[i] = x->fmts[j].cls;
				break;
			}
	}
	return 0;
}

/* Shared strings. */

static void
sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx_rd *x = ud;
	const char *ln;

	(void)atts;
	if (x->failed)
		return;
	ln = local(name);
	if (strcmp(ln, "si") == 0) {
		x->in_si = 1;
		x->rph = 0;
		x->si_start = x->sst.len;
	} else if (x->in_si && strcmp(ln, "t") == 0 && x->rph == 0)
		x->collect = 1;
	else if (strcmp(ln, "rPh") == 0)
		x->rph++;	/* phonetic guides are not the text */
}

static void
sst_end(void *ud, const XML_Char *name)
{
	struct xlsx_rd *x = ud;
	const char *ln;
	size_t n;

	if (x->failed)
		return;
	ln = local(name);
	if (strcmp(ln, "t") == 0)
		x->collect = 0;
	else if (strcmp(ln, "rPh") == 0)
		x->rph--;
	else if (strcmp(ln, "si") == 0 && x->in_si) {
		x->in_si = 0;
		n = unescape(x->sst.s != NULL ? x->sst.s + x->si_start : NULL,
		    x->sst.len - x->si_start);
		buf_truncate(&x->sst, x->si_start + n);
		if (x->sst.len + (x->nsst + 2) * sizeof(uint32_t) > SST_MAX) {
			fail(x, 0, 0, "%s: shared strings larger than %lu MiB "
			    "(hostile file?)", x->part, SST_MAX >> 20);
			stop(x);
			return;
		}
		x->sstoff = xgrow(x->sstoff, &x->capsst, x->nsst + 2,
		    sizeof(*x->sstoff));
		x->sstoff[++x->nsst] = (uint32_t)x->sst.len;
	}
}

static void
sst_chars(void *ud, const XML_Char *s, int len)
{
	struct xlsx_rd *x = ud;

	if (!x->collect || x->failed)
		return;
	if (x->sst.len - x->si_start + (size_t)len > TEXT_MAX ||
	    x->sst.len + (size_t)len > SST_MAX) {
		fail(x, 0, 0, "%s: shared string %zu longer than %lu MiB "
		    "(hostile file?)", x->part, x->nsst, TEXT_MAX >> 20);
		stop(x);
		return;
	}
	buf_add(&x->sst, s, (size_t)len);
}

static int
load_sst(struct xlsx_rd *x)
{
	x->sstoff = xgrow(x->sstoff, &x->capsst, 1, sizeof(*x->sstoff));
	x->sstoff[0] = 0;
	return parse_part(x, x->sstpart, sst_start, sst_end, sst_chars) ==
	    -1 ? -1 : 0;
}

/* Merged ranges, from the cheap first pass over a sheet. */

/* "A1:B2" into m (rows 1-based, columns 0-based); -1 if not a range. */
static int
parse_range(const char *s, struct merge *m)
{
	long c1, r1, c2, r2, t;

	if ((s = parse_ref(s, &c1, &r1)) == NULL || *s != ':' ||
	    (s = parse_ref(s + 1, &c2, &r2)) == NULL || *s != '\0')
		return -1;
	if (c1 < 1 || r1 < 1 || c2 < 1 || r2 < 1)
		return -1;
	if (c1 > c2) {
		t = c1;
		c1 = c2;
		c2 = t;
	}
	if (r1 > r2) {
		t = r1;
		r1 = r2;
		r2 = t;
	}
	if (c1 > COL_MAX || r1 > ROW_MAX)
		return -1;
	m->r1 = r1;
	m->r2 = r2 > ROW_MAX ? ROW_MAX : r2;
	m->c1 = (int)c1 - 1;
	m->c2 = (int)(c2 > COL_MAX ? COL_MAX : c2) - 1;
	return 0;
}

static void
merge_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx_rd *x = ud;
	struct merge m;
	const char *ref;

	if (x->failed || strcmp(local(name), "mergeCell") != 0 ||
	    (ref = attr(atts, "ref")) == NULL || parse_range(ref, &m) == -1)
		return;
	if (m.r1 == m.r2 && m.c1 == m.c2)
		return;
	if (x->nmg >= MERGE_MAX) {
		fail(x, 0, 0, "more than %d merged ranges (hostile file?)",
		    MERGE_MAX);
		stop(x);
		return;
	}
	x->mg = xgrow(x->mg, &x->capmg, x->nmg + 1, sizeof(*x->mg));
	x->mg[x->nmg++] = m;
}

static int
merge_cmp(const void *a, const void *b)
{
	const struct merge *ma = a, *mb = b;

	if (ma->r1 != mb->r1)
		return ma->r1 < mb->r1 ? -1 : 1;
	return (ma->c1 > mb->c1) - (ma->c1 < mb->c1);
}

/* Does buf hold "mergeCell"?  memmem() is not in C11 or POSIX. */
static int
has_merge_word(const char *buf, size_t n)
{
	const char *p, *end;

	/* 'C' is rare in sheet XML, where names are lower camel case. */
	end = buf + n;
	for (p = buf + 5; p < end && (p = memchr(p, 'C', (size_t)(end -
	    p))) != NULL; p++)
		if ((size_t)(end - p) >= 4 && memcmp(p - 5, "mergeCell",
		    9) == 0)
			return 1;
	return 0;
}

/*
 * <mergeCells> follows <sheetData>, but the cells need the ranges.
 * Inflating is far cheaper than parsing, so look for the word first
 * and run expat over the part only when it is there.
 */
static int
scan_merges(struct xlsx_rd *x, const char *part)
{
	const size_t carry = 8;	/* strlen("mergeCell") - 1 */
	size_t keep, have;
	long n;
	int found, rc;

	if (x->scan == NULL)
		x->scan = xmalloc(CHUNK + carry);
	if ((rc = part_open(x, part, 0)) != 1) {
		if (rc == 0)
			fail(x, 0, 0, "not a valid xlsx file: %s is missing",
			    part);
		return -1;
	}
	found = 0;
	keep = 0;
	for (;;) {
		if ((n = part_read(x, x->scan + keep, CHUNK)) < 0) {
			part_close(x);
			return -1;
		}
		if (n == 0)
			break;
		have = keep + (size_t)n;
		if (has_merge_word(x->scan, have)) {
			found = 1;
			break;
		}
		/* The word may straddle two chunks. */
		keep = have < carry ? have : carry;
		memmove(x->scan, x->scan + have - keep, keep);
	}
	if (part_close(x) == -1)
		return -1;
	if (!found)
		return 0;
	if (parse_part(x, part, merge_start, NULL, NULL) == -1)
		return -1;
	/* <mergeCells count="0"/> has the word and no range: mg is NULL. */
	if (x->nmg > 1)
		qsort(x->mg, x->nmg, sizeof(*x->mg), merge_cmp);
	x->nmerged += (long)x->nmg;
	return 0;
}

/* Cells. */

static struct cell *
put(struct xlsx_rd *x, enum cell_type type, const char *text, size_t len,
    unsigned flags, double num)
{
	struct cell *c;

	c = row_set(&x->cur, (size_t)x->col, type, text, len);
	c->flags = flags;
	c->num = num;
	if (c->type != CELL_EMPTY || (flags & CF_NOCACHE))
		x->row_val = 1;
	return c;
}

static const double pow10tab[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/*
 * The number in a <v>.  Sets *d and returns 1, and sets *canon when s
 * is already the text num_shortest() makes of *d ("3592.8", "41"), so
 * the common case needs no conversion back to text; returns 0 when s
 * is not a number.
 *
 * The fast path is exact: at most 15 significant digits fit a double's
 * 53-bit mantissa, and dividing by an exact power of ten rounds once.
 */
static int
parse_num(const char *s, size_t len, double *d, int *canon)
{
	const char *p, *e, *ip, *fp;
	char *end;
	uint64_t m;
	size_t nint, nfrac, sig, lead, i;

	*canon = 0;
	p = s;
	e = s + len;
	if (p < e && *p == '-')
		p++;
	ip = p;
	while (p < e && *p >= '0' && *p <= '9')
		p++;
	nint = (size_t)(p - ip);
	fp = NULL;
	nfrac = 0;
	if (p < e && *p == '.') {
		fp = ++p;
		while (p < e && *p >= '0' && *p <= '9')
			p++;
		nfrac = (size_t)(p - fp);
	}
	if (p == e && nint > 0 && (nint == 1 || ip[0] != '0') &&
	    (fp == NULL || (nfrac > 0 && fp[nfrac - 1] != '0'))) {
		/* Significant digits, and zeros right after "0.". */
		lead = 0;
		if (nint == 1 && ip[0] == '0') {
			while (lead < nfrac && fp[lead] == '0')
				lead++;
			sig = nfrac - lead;
		} else
			sig = nint + nfrac;
		/* %.15g switches to an exponent below 1e-4. */
		if (sig <= 15 && lead <= 3) {
			m = 0;
			for (i = 0; i < nint; i++)
				m = m * 10 + (uint64_t)(ip[i] - '0');
			for (i = 0; i < nfrac; i++)
				m = m * 10 + (uint64_t)(fp[i] - '0');
			*d = (double)m / pow10tab[nfrac];
			if (s[0] == '-')
				*d = -*d;
			/* "-0" prints as "0". */
			*canon = !(s[0] == '-' && m == 0);
			return 1;
		}
	}
	/* Exponents, long fractions, "13900000082.0": let libc do it. */
	if (len == 0)
		return 0;
	for (p = s; p < e; p++)
		if ((*p < '0' || *p > '9') && *p != '.' && *p != '-' &&
		    *p != '+' && *p != 'e' && *p != 'E')
			return 0;
	*d = strtod(s, &end);
	return end == e && isfinite(*d);
}

/*
 * Round the significant digits dg[0..n) to prec of them, half up, and
 * drop trailing zeros; *x is the decimal exponent of the first digit.
 * Returns the new count.
 */
static size_t
round_digits(char *dg, size_t n, size_t prec, int *x)
{
	size_t i;

	if (n > prec) {
		i = n = prec;
		if (dg[i] >= '5') {
			while (i > 0 && dg[i - 1] == '9')
				dg[--i] = '0';
			if (i == 0) {
				dg[0] = '1';	/* 99.9 became 100 */
				n = 1;
				(*x)++;
			} else
				dg[i - 1]++;
		}
	}
	while (n > 1 && dg[n - 1] == '0')
		n--;
	return n;
}

/* Digits dg[0..n), first of exponent x, as %g prints them unscaled. */
static size_t
fixed_text(char *out, int neg, const char *dg, size_t n, int x)
{
	size_t o, i;
	int k;

	o = 0;
	if (neg)
		out[o++] = '-';
	if (x < 0) {
		out[o++] = '0';
		out[o++] = '.';
		for (k = -1; k > x; k--)
			out[o++] = '0';
		memcpy(out + o, dg, n);
		return o + n;
	}
	for (i = 0; i <= (size_t)x; i++)
		out[o++] = i < n ? dg[i] : '0';
	if (n > (size_t)x + 1) {
		out[o++] = '.';
		memcpy(out + o, dg + x + 1, n - (size_t)x - 1);
		o += n - (size_t)x - 1;
	}
	return o;
}

/*
 * What num_shortest() makes of d, which s (len bytes) spells with more
 * digits than needed, mostly without printf().  The 15-digit rounding
 * of s is %.15g of d whenever that reads back as d, because 15-digit
 * decimals lie further apart than doubles: only one of them can read
 * as d.  That no longer holds at 16 digits, so those and the rest go
 * through printf() as in num_shortest().  Returns the length of out
 * (NUM_TEXT_MAX bytes).
 */
static size_t
shortest(char *out, const char *s, size_t len, double d)
{
	char dg[48], *end;
	const char *p, *e;
	unsigned long long m;
	size_t n, k, i, o;
	int x, pt, ex, eneg, e10;
	double back;

	if (d == floor(d) && fabs(d) < 1e18) {
		/* Integral, as %.0f prints it; never "-0". */
		m = (unsigned long long)fabs(d);
		end = out + NUM_TEXT_MAX - 1;
		*end = '\0';
		do {
			*--end = (char)('0' + m % 10);
		} while ((m /= 10) != 0);
		if (d < 0)
			*--end = '-';
		o = (size_t)(out + NUM_TEXT_MAX - 1 - end);
		memmove(out, end, o + 1);
		return o;
	}
	/* The significant digits of s and the exponent of the first. */
	p = s;
	e = s + len;
	if (p < e && (*p == '-' || *p == '+'))
		p++;
	n = 0;
	pt = -1;
	x = 0;
	for (i = 0; p < e && ((*p >= '0' && *p <= '9') || *p == '.'); p++) {
		if (*p == '.') {
			pt = (int)i;
			continue;
		}
		i++;
		if (n == 0 && *p == '0')
			continue;
		if (n == 0)
			x = -(int)i;	/* where the first digit is */
		if (n < sizeof(dg))
			dg[n++] = *p;
	}
	x += pt < 0 ? (int)i : pt;
	if (p < e && (*p == 'e' || *p == 'E')) {
		p++;
		eneg = p < e && *p == '-';
		if (p < e && (*p == '-' || *p == '+'))
			p++;
		for (ex = 0; p < e && *p >= '0' && *p <= '9'; p++)
			if (ex < 10000)
				ex = ex * 10 + (*p - '0');
		x += eneg ? -ex : ex;
	}
	if (n > 0 && p == e && x >= -4 && x < 15) {
		k = round_digits(dg, n, 15, &x);
		/* Exact to check: both factors are, so one rounding. */
		for (m = 0, i = 0; i < k; i++)
			m = m * 10 + (unsigned long long)(dg[i] - '0');
		e10 = x - (int)k + 1;
		if (x < 15 && e10 >= -22 && e10 <= 22) {
			back = e10 < 0 ? (double)m / pow10tab[-e10] :
			    (double)m * pow10tab[e10];
			if ((d < 0 ? -back : back) == d) {
				o = fixed_text(out, d < 0, dg, k, x);
				out[o] = '\0';
				return o;
			}
		}
		/* num_shortest()'s next steps. */
		snprintf(out, NUM_TEXT_MAX, "%.16g", d);
		if (strtod(out, NULL) != d)
			snprintf(out, NUM_TEXT_MAX, "%.17g", d);
		return strlen(out);
	}
	num_shortest(out, d);
	return strlen(out);
}

static char *
two(char *p, int v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

/*
 * "YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS" or "HH:MM:SS" into out (20 bytes
 * or more), as civil_format() writes them, without printf().
 */
static size_t
civil_text(char *out, const struct civil *c, enum cell_type type)
{
	char *p;

	p = out;
	if (type != CELL_TIME) {
		p = two(p, c->y / 100);
		p = two(p, c->y);
		*p++ = '-';
		p = two(p, c->m);
		*p++ = '-';
		p = two(p, c->d);
		if (type == CELL_DATE)
			return (size_t)(p - out);
		*p++ = ' ';
	}
	p = two(p, c->hh);
	*p++ = ':';
	p = two(p, c->mm);
	*p++ = ':';
	p = two(p, c->ss);
	return (size_t)(p - out);
}

static void
put_civil(struct xlsx_rd *x, const struct civil *cv, enum cell_type type,
    unsigned flags, double num)
{
	char text[CIVIL_TEXT_MAX];

	put(x, type, text, civil_text(text, cv, type), flags, num);
}

/*
 * A serial under a date or time format.  DATETIME only when the time,
 * rounded to the second, is not midnight: a date format can hide a
 * time, and "yyyy-mm-dd hh:mm:ss" often holds plain dates.  Returns
 * -1 when the serial names no real day.
 */
static int
put_serial(struct xlsx_rd *x, double d, unsigned cls, unsigned flags)
{
	struct civil cv;
	struct day *dc;
	enum cell_type type;
	char text[CIVIL_TEXT_MAX];
	size_t len;
	long secs;

	if (NF_KIND(cls) == NF_TIME && d >= 0 && d < 1) {
		secs = lround(d * 86400.0) % 86400;
		cv.hh = (int)(secs / 3600);
		cv.mm = (int)(secs / 60 % 60);
		cv.ss = (int)(secs % 60);
		put_civil(x, &cv, CELL_TIME, flags, d);
		return 0;
	}
	/*
	 * A column of dates holds few days many times over: the text of
	 * a serial is kept, and one that comes again costs a compare.
	 */
	dc = NULL;
	if (d >= 0 && d < DAY_SERIAL_MAX) {
		if (x->days == NULL)
			x->days = xcalloc(DAY_CACHE, sizeof(*x->days));
		dc = &x->days[(unsigned long)d % DAY_CACHE];
		if (dc->type != CELL_EMPTY && dc->serial == d) {
			put(x, dc->type, dc->text, dc->len, flags, d);
			return 0;
		}
	}
	if (xl_serial_civil(d, x->date1904, &cv) == -1)
		return -1;
	type = cv.hh || cv.mm || cv.ss ? CELL_DATETIME : CELL_DATE;
	len = civil_text(text, &cv, type);
	if (dc != NULL) {
		dc->serial = d;
		dc->type = type;
		dc->len = (unsigned char)len;
		memcpy(dc->text, text, len);
	}
	put(x, type, text, len, flags, d);
	return 0;
}

static void
put_duration(struct xlsx_rd *x, double d, unsigned flags)
{
	char text[48];
	long long secs;

	secs = llround(fabs(d) * 86400.0);
	snprintf(text, sizeof(text), "%s%lld:%02d:%02d", d < 0 ? "-" : "",
	    secs / 3600, (int)(secs / 60 % 60), (int)(secs % 60));
	put(x, CELL_DURATION, text, strlen(text), flags, d);
}

/*
 * Significant digits of a number as written, zeros at either end not
 * counted: 1.10101199001011E+17 and 110101199001011000 have 15.
 */
static int
sig_digits(const char *s, size_t len)
{
	size_t i;
	int n, zeros, lead;

	n = zeros = 0;
	lead = 1;
	for (i = 0; i < len && s[i] != 'e' && s[i] != 'E'; i++) {
		if (!isdigit((unsigned char)s[i]))
			continue;
		if (s[i] == '0') {
			if (!lead)
				zeros++;
			continue;
		}
		lead = 0;
		n += zeros + 1;
		zeros = 0;
	}
	return n;
}

static void
put_number(struct xlsx_rd *x, const char *s, size_t len, unsigned cls,
    unsigned flags)
{
	char text[NUM_TEXT_MAX];
	double d;
	int canon;

	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (!parse_num(s, len, &d, &canon)) {
		/* Not a number after all: keep what the file says. */
		put(x, CELL_TEXT, s, len, flags, 0);
		return;
	}
	switch (NF_KIND(cls)) {
	case NF_DATE:
	case NF_TIME:
		if (put_serial(x, d, cls, flags) == 0)
			return;
		/*
		 * No such day: serial 60 of the 1900 system is 1900-02-29,
		 * which Excel pretends exists; or a negative serial, or one
		 * past 9999.  Keep the number and flag it, so the importer
		 * can say why ("serial 60 is 1900-02-29, a day that does
		 * not exist") instead of storing a wrong date.
		 */
		flags |= CF_LOSSY;
		break;
	case NF_DURATION:
		if (fabs(d) < 1e9) {	/* else no duration at all */
			put_duration(x, d, flags);
			return;
		}
		break;
	default:
		if (cls & NF_PERCENT)
			flags |= CF_PERCENT;
		if (cls & NF_CURRENCY)
			flags |= CF_CURRENCY | CF_CUR_SET(NF_CUR(cls));
		break;
	}
	if (fabs(d) >= 1e15 && sig_digits(s, len) <= 15)
		flags |= CF_TRUNC;	/* Excel kept 15 of the digits */
	if (!canon) {
		len = shortest(text, s, len, d);
		s = text;
	}
	if (NF_PAD(cls) > 0 && d >= 0 && d < 1e15 && d == floor(d) &&
	    len < NF_PAD(cls) && len < sizeof(text)) {
		/*
		 * 000000 shows 456 as 000456, and that is the value people
		 * read (postcodes, customer codes): text, as Excel shows it.
		 */
		char pad[40];
		size_t z = NF_PAD(cls) - len;

		memset(pad, '0', z);
		memcpy(pad + z, s, len);
		put(x, CELL_TEXT, pad, z + len, flags, d);
		return;
	}
	put(x, CELL_NUMBER, s, len, flags, d);
}

static int
digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/*
 * The time in "10:10:10", "10:10:10.5Z", "10:10+08:00": seconds into
 * *secs, the end into *end; -1 if there is no time.  A zone is skipped:
 * a workbook's clock is local time.
 */
static int
parse_hms(const char *s, double *secs, const char **end)
{
	int hh, mm, ss;
	double frac, scale;

	ss = 0;
	frac = 0;
	if (digits(s, 2, &hh) == -1 || s[2] != ':' ||
	    digits(s + 3, 2, &mm) == -1 || hh > 24 || mm > 59)
		return -1;
	s += 5;
	if (*s == ':') {
		if (digits(s + 1, 2, &ss) == -1 || ss > 60)
			return -1;
		s += 3;
		if (*s == '.' || *s == ',') {
			for (s++, scale = 0.1; *s >= '0' && *s <= '9'; s++) {
				frac += (*s - '0') * scale;
				scale /= 10;
			}
		}
	}
	if (*s == 'Z')
		s++;
	else if (*s == '+' || *s == '-') {
		for (s++; (*s >= '0' && *s <= '9') || *s == ':'; s++)
			continue;
	}
	*secs = hh * 3600.0 + mm * 60.0 + ss + frac;
	*end = s;
	return 0;
}

/* A t="d" cell: "2021-01-01", "2021-01-01T10:10:10" or "10:10:10". */
static void
put_iso(struct xlsx_rd *x, const char *s, size_t len, unsigned flags)
{
	struct civil cv;
	const char *end;
	double secs, serial;
	long days, t;
	int has_date;

	memset(&cv, 0, sizeof(cv));
	has_date = 0;
	secs = 0;
	end = s;
	if (len >= 10 && digits(s, 4, &cv.y) == 0 && s[4] == '-' &&
	    digits(s + 5, 2, &cv.m) == 0 && s[7] == '-' &&
	    digits(s + 8, 2, &cv.d) == 0 && civil_valid(cv.y, cv.m, cv.d)) {
		has_date = 1;
		end = s + 10;
		if ((*end == 'T' || *end == ' ') &&
		    parse_hms(end + 1, &secs, &end) == -1)
			end = s;	/* not a date after all */
	} else if (parse_hms(s, &secs, &end) == -1)
		end = s;
	if (end != s + len || end == s) {
		put(x, CELL_TEXT, s, len, flags, 0);
		return;
	}
	t = lround(secs);
	days = has_date ? days_from_civil(cv.y, cv.m, cv.d) : 0;
	days += t / 86400;
	t %= 86400;
	if (has_date)
		civil_from_days(days, &cv.y, &cv.m, &cv.d);
	cv.hh = (int)(t / 3600);
	cv.mm = (int)(t / 60 % 60);
	cv.ss = (int)(t % 60);
	serial = t / 86400.0;
	if (has_date)
		serial += days - days_from_civil(x->date1904 ? 1904 : 1899,
		    x->date1904 ? 1 : 12, x->date1904 ? 1 : 30);
	put_civil(x, &cv, !has_date ? CELL_TIME : t ? CELL_DATETIME :
	    CELL_DATE, flags, serial);
}

/* </c>: the cell's value into the row. */
static void
cell_end(struct xlsx_rd *x)
{
	struct buf *b;
	const char *s;
	unsigned cls, flags;
	unsigned long idx;
	size_t len;
	char *end;
	long n;

	x->in_c = 0;
	x->collect = 0;
	cls = x->cstyle < x->nxf ? x->xf[x->cstyle] : NF_NUMBER;
	flags = x->has_f ? CF_FORMULA : 0;
	if (NF_KIND(cls) == NF_TEXT)
		flags |= CF_TEXTFMT;
	s = buf_str(&x->v);
	len = x->v.len;

	switch (x->ctype) {
	case CT_S:
		if (!x->has_v || len == 0)
			return;		/* a styled empty cell */
		if ((n = small_index(s)) >= 0)
			idx = (unsigned long)n;
		else {
			while (isspace((unsigned char)*s))
				s++;	/* pretty-printed XML */
			idx = strtoul(s, &end, 10);
			while (isspace((unsigned char)*end))
				end++;
			if (!isdigit((unsigned char)*s) || *end != '\0')
				idx = x->nsst;	/* none */
		}
		if (idx >= x->nsst) {
			fail(x, x->rownum, x->col + 1, "shared string '%s' "
			    "does not exist (the workbook has %zu)",
			    diag_val(s), x->nsst);
			stop(x);
			return;
		}
		len = x->sstoff[idx + 1] - x->sstoff[idx];
		if (len > 0)
			put(x, CELL_TEXT, x->sst.s + x->sstoff[idx], len, flags,
			    0);
		return;
	case CT_INLINE:
	case CT_STR:
		if (x->ctype == CT_INLINE && x->has_is)
			b = &x->t;
		else if (x->has_v)
			b = &x->v;
		else {
			if (x->has_f)
				put(x, CELL_EMPTY, "", 0, flags | CF_NOCACHE,
				    0);
			return;
		}
		if (b->len == 0)
			return;		/* "" is no value */
		len = unescape(b->s, b->len);
		put(x, CELL_TEXT, b->s, len, flags, 0);
		return;
	default:
		break;
	}
	if (!x->has_v || len == 0) {
		if (x->has_f)
			put(x, CELL_EMPTY, "", 0, flags | CF_NOCACHE, 0);
		return;
	}
	switch (x->ctype) {
	case CT_B:
		if (strcmp(s, "1") == 0 || strcasecmp(s, "true") == 0)
			put(x, CELL_BOOL, "TRUE", 4, flags, 1);
		else if (strcmp(s, "0") == 0 || strcasecmp(s, "false") == 0)
			put(x, CELL_BOOL, "FALSE", 5, flags, 0);
		else
			put(x, CELL_TEXT, s, len, flags, 0);
		break;
	case CT_E:
		put(x, CELL_ERROR, s, len, flags, 0);
		break;
	case CT_D:
		put_iso(x, s, len, flags);
		break;
	default:
		put_number(x, s, len, cls, flags);
		break;
	}
}

/* Merged cells during the real pass. */

static void
free_anchors(struct xlsx_rd *x)
{
	size_t i;

	for (i = 0; i < x->nact; i++)
		free(x->act[i].text);
	x->nact = 0;
}

/* Copy a's value into the empty cells from..to of row. */
static void
fill(struct xlsx_rd *x, struct row *row, const struct anchor *a, int from,
    int to)
{
	struct cell *c;
	int col;

	for (col = from; col <= to; col++) {
		if ((size_t)col < row->ncells &&
		    (row->cells[col].type != CELL_EMPTY ||
		    (row->cells[col].flags & CF_NOCACHE)))
			continue;	/* a covered cell with its own value */
		if (++x->filled > FILL_MAX) {
			fail(x, row->line, col + 1, "merged ranges cover more "
			    "than %ld cells (hostile file?)", FILL_MAX);
			return;
		}
		c = row_set(row, (size_t)col, a->type, a->text, a->len);
		c->flags = a->flags | CF_MERGED;
		c->num = a->num;
	}
}

/*
 * Row r is complete: retire the merges above it, take the anchors it
 * holds, fill the cells it has under merges.  Returns 1 when the row
 * is to be yielded: it holds a value, its own or a merged one.
 */
static int
finish_row(struct xlsx_rd *x, struct row *row, long r, int val)
{
	struct anchor *a;
	struct cell *c;
	size_t i;

	row->line = r;
	/* Ranges whose anchor row never came have nothing to copy. */
	while (x->mnext < x->nmg && x->mg[x->mnext].r1 < r)
		x->mnext++;
	for (i = 0; i < x->nact;) {
		if (x->act[i].m.r2 < r) {
			free(x->act[i].text);
			x->act[i] = x->act[--x->nact];
		} else
			i++;
	}
	while (x->mnext < x->nmg && x->mg[x->mnext].r1 == r) {
		const struct merge *m = &x->mg[x->mnext++];

		if ((size_t)m->c1 >= row->ncells)
			continue;
		c = &row->cells[m->c1];
		if (c->type == CELL_EMPTY)
			continue;
		x->act = xgrow(x->act, &x->capact, x->nact + 1,
		    sizeof(*x->act));
		a = &x->act[x->nact++];
		a->m = *m;
		a->type = c->type;
		a->flags = c->flags;
		a->num = c->num;
		a->len = c->len;
		a->text = xmalloc(c->len + 1);
		memcpy(a->text, cell_text(row, c), c->len);
		a->text[c->len] = '\0';
	}
	for (i = 0; i < x->nact && !x->failed; i++) {
		a = &x->act[i];
		if (a->m.r1 > r || a->m.r2 < r)
			continue;
		/* The anchor itself is not a copy. */
		fill(x, row, a, a->m.r1 == r ? a->m.c1 + 1 : a->m.c1,
		    a->m.c2);
		val = 1;
	}
	row->sheet = x->shname;
	row->nfields = (int)row->ncells;
	return val;
}

/* Row g has no <row> element but merges from above cover it. */
static int
gap_row(struct xlsx_rd *x, struct row *out)
{
	size_t i;
	long g;

	g = x->gap_next++;
	row_clear(out);
	out->file = x->base.name;
	out->line = g;
	for (i = 0; i < x->nact && !x->failed; i++)
		if (x->act[i].m.r1 < g && g <= x->act[i].m.r2)
			fill(x, out, &x->act[i], x->act[i].m.c1,
			    x->act[i].m.c2);
	out->sheet = x->shname;
	out->nfields = (int)out->ncells;
	return out->ncells > 0;
}

/* Rows between the last one and r that only merges fill, if any. */
static int
find_gap(struct xlsx_rd *x, long r)
{
	size_t i;
	long end;

	end = 0;
	for (i = 0; i < x->nact; i++)
		if (x->act[i].m.r2 > end)
			end = x->act[i].m.r2;
	if (end > r - 1)
		end = r - 1;
	if (x->lastrow + 1 > end)
		return 0;
	x->gap_next = x->lastrow + 1;
	x->gap_end = end;
	return 1;
}

static void
swap_rows(struct row *a, struct row *b)
{
	struct row t;

	t = *a;
	*a = *b;
	*b = t;
}

static void
row_start(struct xlsx_rd *x, const char **atts)
{
	const char *r;
	long n;

	for (r = NULL; atts[0] != NULL; atts += 2)
		if (atts[0][0] == 'r' && atts[0][1] == '\0')
			r = atts[1];
	if (r != NULL) {
		if ((n = parse_rownum(r)) < 1) {
			fail(x, 0, 0, "invalid row number '%s'", diag_val(r));
			stop(x);
			return;
		}
		x->row_r = 1;
	} else {
		n = x->lastrow + 1;	/* r is optional */
		x->row_r = 0;
	}
	if (n > ROW_MAX) {
		fail(x, 0, 0, "row %ld is past the last row %ld", n, ROW_MAX);
		stop(x);
		return;
	}
	x->rownum = n;
	x->in_row = 1;
	x->col = -1;
	x->row_val = 0;
	row_clear(&x->cur);
}

/*
 * </row>: yield the row when it holds a value, suspending the parser
 * so that next() hands it over.  Rows that only merges fill come
 * first: the row waits in held while next() makes them.
 */
static void
row_end(struct xlsx_rd *x)
{
	long r;

	x->in_row = 0;
	r = x->rownum;
	if (x->nact > 0 && r > x->lastrow + 1 && find_gap(x, r)) {
		swap_rows(&x->cur, &x->held);
		x->have_held = 1;
		x->held_row = r;
		x->held_val = x->row_val;
		x->lastrow = r;
		XML_StopParser(x->sp, XML_TRUE);
		return;
	}
	if (r > x->lastrow)
		x->lastrow = r;
	if (finish_row(x, &x->cur, r, x->row_val)) {
		swap_rows(&x->cur, &x->ready);
		x->have_ready = 1;
		XML_StopParser(x->sp, XML_TRUE);
	}
	if (x->failed)
		stop(x);
}

static void
cell_start(struct xlsx_rd *x, const char **atts)
{
	const char *r, *t, *s, *end;
	char ref[16];
	long col, row, n;

	r = t = s = NULL;
	for (; atts[0] != NULL; atts += 2) {
		if (atts[0][1] != '\0')
			continue;	/* r, t and s have no prefix */
		if (atts[0][0] == 'r')
			r = atts[1];
		else if (atts[0][0] == 't')
			t = atts[1];
		else if (atts[0][0] == 's')
			s = atts[1];
	}
	if (r != NULL) {
		if ((end = parse_ref(r, &col, &row)) == NULL || *end != '\0' ||
		    col == 0) {
			fail(x, x->rownum, 0, "invalid cell reference '%s'",
			    diag_val(r));
			stop(x);
			return;
		}
		if (col > COL_MAX || row > ROW_MAX) {
			fail(x, 0, 0, "cell %s is past the last %s %s",
			    diag_val(r), col > COL_MAX ? "column" : "row",
			    col > COL_MAX ? "XFD" : "1048576");
			stop(x);
			return;
		}
		/* A row without r takes its number from its first cell. */
		if (!x->row_r && x->col < 0 && row > x->lastrow)
			x->rownum = row;
		x->col = (int)col - 1;
	} else if (++x->col >= COL_MAX) {
		col_letters(ref, x->col);	/* the cell before */
		fail(x, x->rownum, 0, "a cell after %s%ld is past the last "
		    "column XFD", ref, x->rownum);
		stop(x);
		return;
	}
	x->ctype = CT_N;
	if (t != NULL) {
		if (strcmp(t, "s") == 0)
			x->ctype = CT_S;
		else if (strcmp(t, "str") == 0)
			x->ctype = CT_STR;
		else if (strcmp(t, "inlineStr") == 0)
			x->ctype = CT_INLINE;
		else if (strcmp(t, "b") == 0)
			x->ctype = CT_B;
		else if (strcmp(t, "e") == 0)
			x->ctype = CT_E;
		else if (strcmp(t, "d") == 0)
			x->ctype = CT_D;
	}
	x->cstyle = 0;
	if (s != NULL && (n = small_index(s)) >= 0)
		x->cstyle = (unsigned)n;
	else if (s != NULL)
		x->cstyle = (unsigned)strtoul(s, NULL, 10);
	x->has_v = x->has_f = x->has_is = 0;
	x->in_c = 1;
	x->in_is = 0;
	x->rph = 0;
	buf_reset(&x->v);
	buf_reset(&x->t);
}

static void
sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx_rd *x = ud;
	enum el k;

	/* The end tag closes the element last opened: keep its kind. */
	k = el_kind(name);
	if (x->nels == x->capels)
		x->els = xgrow(x->els, &x->capels, x->nels + 1, 1);
	x->els[x->nels++] = (unsigned char)k;
	if (x->failed)
		return;
	if (!x->in_sd) {
		if (k == EL_SHEETDATA)
			x->in_sd = 1;
		return;
	}
	if (x->in_c) {
		switch (k) {
		case EL_V:
			if (!x->in_is) {
				x->has_v = 1;
				buf_reset(&x->v);
				x->collect = 1;
			}
			break;
		case EL_F:
			x->has_f = 1;
			break;
		case EL_IS:
			x->in_is = x->has_is = 1;
			break;
		case EL_RPH:
			if (x->in_is)
				x->rph++; /* phonetic guides are not the text */
			break;
		case EL_T:
			if (x->in_is && x->rph == 0)
				x->collect = 2;
			break;
		default:
			break;
		}
		return;
	}
	if (k == EL_C && x->in_row)
		cell_start(x, atts);
	else if (k == EL_ROW)
		row_start(x, atts);
}

static void
sheet_end(void *ud, const XML_Char *name)
{
	struct xlsx_rd *x = ud;
	enum el k;

	(void)name;
	k = x->nels > 0 ? x->els[--x->nels] : EL_OTHER;
	if (x->failed || !x->in_sd)
		return;
	if (x->in_c) {
		switch (k) {
		case EL_C:
			cell_end(x);
			break;
		case EL_V:
		case EL_T:
			x->collect = 0;
			break;
		case EL_RPH:
			x->rph--;
			break;
		case EL_IS:
			x->in_is = 0;
			break;
		default:
			break;
		}
		return;
	}
	if (k == EL_ROW && x->in_row)
		row_end(x);
	else if (k == EL_SHEETDATA)
		x->in_sd = 0;
}

static void
sheet_chars(void *ud, const XML_Char *s, int len)
{
	struct xlsx_rd *x = ud;
	struct buf *b;

	if (!x->collect || x->failed)
		return;
	b = x->collect == 1 ? &x->v : &x->t;
	if (b->len + (size_t)len > TEXT_MAX) {
		fail(x, x->rownum, x->col + 1, "cell text longer than %lu MiB "
		    "(hostile file?)", TEXT_MAX >> 20);
		stop(x);
		return;
	}
	buf_add(b, s, (size_t)len);
}

/* Sheets, one after another. */

static void
sheet_close(struct xlsx_rd *x)
{
	if (x->sp != NULL) {
		XML_ParserFree(x->sp);
		x->sp = NULL;
		x->p = NULL;
	}
	part_close(x);
	free_anchors(x);
	x->nmg = x->mnext = 0;
	x->phase = PH_NONE;
}

static int
sheet_open(struct xlsx_rd *x, size_t i)
{
	x->sh = &x->sheets[i];
	x->shname = x->names[i];
	x->lastrow = 0;
	x->gap_next = 1;
	x->gap_end = 0;
	x->filled = 0;
	x->in_sd = x->in_row = x->in_c = x->in_is = x->collect = 0;
	x->nels = 0;
	x->nmg = x->mnext = 0;
	if (scan_merges(x, x->sh->part) == -1)
		return -1;
	if (part_open(x, x->sh->part, 1) != 1)
		return -1;
	x->sp = new_parser(x);
	XML_SetElementHandler(x->sp, sheet_start, sheet_end);
	XML_SetCharacterDataHandler(x->sp, sheet_chars);
	x->p = x->sp;
	x->final = 0;
	x->phase = PH_FEED;
	return 0;
}

/* What XML_ParseBuffer() or XML_ResumeParser() said. */
static int
parsed(struct xlsx_rd *x, enum XML_Status st)
{
	if (x->failed)
		return -1;
	switch (st) {
	case XML_STATUS_SUSPENDED:
		x->phase = PH_SUSPENDED;
		return 0;
	case XML_STATUS_OK:
		x->phase = x->final ? PH_TAIL : PH_FEED;
		return 0;
	default:
		xml_error(x, x->sp);
		return -1;
	}
}

static int
next_row(struct xlsx_rd *x, struct row *out)
{
	void *buf;
	long n;

	for (;;) {
		if (x->failed)
			return -1;
		if (x->have_ready) {
			swap_rows(out, &x->ready);
			row_clear(&x->ready);
			x->have_ready = 0;
			out->file = x->base.name;
			return 1;
		}
		if (x->gap_next <= x->gap_end) {
			if (gap_row(x, out))
				return x->failed ? -1 : 1;
			continue;
		}
		if (x->have_held) {
			x->have_held = 0;
			if (finish_row(x, &x->held, x->held_row,
			    x->held_val)) {
				swap_rows(&x->held, &x->ready);
				x->have_ready = 1;
			} else
				row_clear(&x->held);
			continue;
		}
		switch (x->phase) {
		case PH_NONE:
			if (x->next_sheet >= x->norder)
				return 0;
			if (sheet_open(x, x->order[x->next_sheet++]) == -1)
				return -1;
			break;
		case PH_FEED:
			if ((buf = XML_GetBuffer(x->sp, CHUNK)) == NULL) {
				xml_error(x, x->sp);
				return -1;
			}
			if ((n = part_read(x, buf, CHUNK)) < 0)
				return -1;
			x->final = n == 0;
			if (parsed(x, XML_ParseBuffer(x->sp, (int)n,
			    x->final)) == -1)
				return -1;
			break;
		case PH_SUSPENDED:
			if (parsed(x, XML_ResumeParser(x->sp)) == -1)
				return -1;
			break;
		case PH_TAIL:
			/* Merges reaching below the last row. */
			find_gap(x, ROW_MAX + 1);
			x->phase = PH_CLOSE;
			break;
		case PH_CLOSE:
			if (part_close(x) == -1)
				return -1;
			sheet_close(x);
			break;
		}
	}
}

static int
xlsx_next(struct reader *r, struct row *out)
{
	struct xlsx_rd *x = (struct xlsx_rd *)r;
	locale_t old;
	int rc;

	if (x->failed)
		return -1;
	/* Numbers in the file use '.', whatever the user's locale. */
	old = uselocale(x->cloc);
	rc = next_row(x, out);
	uselocale(old);
	return rc;
}

static void
xlsx_close(struct reader *r)
{
	struct xlsx_rd *x = (struct xlsx_rd *)r;
	size_t i;

	if (x == NULL)
		return;
	if (x->sp != NULL)
		XML_ParserFree(x->sp);
	if (x->zf != NULL) {
		if (x->popen)
			unzCloseCurrentFile(x->zf);
		unzClose(x->zf);
	}
	for (i = 0; i < x->nent; i++)
		free(x->ent[i].name);
	free(x->ent);
	free_rels(x);
	free(x->rels);
	for (i = 0; i < x->nsheets; i++) {
		free(x->sheets[i].rid);
		free(x->sheets[i].part);
		free(x->names[i]);
	}
	free(x->sheets);
	free(x->names);
	free(x->sflags);
	free(x->order);
	free(x->wbpart);
	free(x->sstpart);
	free(x->stylepart);
	free(x->xf);
	free(x->fmts);
	buf_free(&x->sst);
	free(x->sstoff);
	buf_free(&x->v);
	buf_free(&x->t);
	row_free(&x->cur);
	row_free(&x->ready);
	row_free(&x->held);
	free(x->mg);
	free_anchors(x);
	free(x->act);
	free(x->scan);
	free(x->els);
	free(x->days);
	if (x->zinit)
		inflateEnd(&x->zs);
	free(x->zin);
	if (x->cloc != (locale_t)0)
		freelocale(x->cloc);
	free(x);
}

struct reader *
xlsx_open(const char *path, const char *name, const struct reader_opts *o)
{
	struct xlsx_rd *x;
	struct stat st;

	x = xcalloc(1, sizeof(*x));
	x->base.ops = &xlsx_ops;
	x->base.name = name;
	if (stat(path, &st) == 0 && st.st_size > 0)
		x->fsize = (unsigned long long)st.st_size;
	if ((x->cloc = newlocale(LC_ALL_MASK, "C", (locale_t)0)) ==
	    (locale_t)0)
		diag_fatal(SX_SYS, "out of memory");
	if ((x->zf = unzOpen64(path)) == NULL) {
		fail(x, 0, 0, "not a valid xlsx file: cannot read the zip "
		    "directory (truncated or damaged?)");
		goto fail;
	}
	if (read_dir(x) == -1 || load_workbook(x) == -1 ||
	    pick_sheets(x, o) == -1 || load_styles(x) == -1 ||
	    load_sst(x) == -1)
		goto fail;
	return &x->base;
fail:
	xlsx_close(&x->base);
	return NULL;
}

int
xlsx_sheet_names(struct reader *r, const char *const **names,
    const unsigned **flags)
{
	struct xlsx_rd *x = (struct xlsx_rd *)r;

	if (r == NULL || r->ops != &xlsx_ops)
		return -1;
	*names = (const char *const *)x->names;
	*flags = x->sflags;
	return (int)x->nsheets;
}

int
xlsx_info(struct reader *r, int *date1904, long *merged)
{
	struct xlsx_rd *x = (struct xlsx_rd *)r;

	if (r == NULL || r->ops != &xlsx_ops)
		return -1;
	*date1904 = x->date1904;
	*merged = x->nmerged;
	return 0;
}

static const struct reader_ops xlsx_ops = {
	xlsx_next,
	xlsx_close,
};
