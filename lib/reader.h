/*
 * Readers: CSV, XLSX, XLS, JSON lines, chat transcripts, RSS/Atom, all
 * behind one interface that yields struct row.  reader_open() picks the
 * format from the file's first bytes (the suffix only breaks ties).
 */
#ifndef READER_H
#define READER_H

#include <stddef.h>

struct row;

enum fmt {
	FMT_AUTO = 0,
	FMT_CSV,
	FMT_XLSX,
	FMT_XLS,
	FMT_JSONL,
	FMT_CHAT,
	FMT_RSS
};

struct reader_opts {
	const char	*encoding;	/* text formats: NULL detects */
	const char	*sheet;		/* name or 1-based number; NULL first */
	int		 all_sheets;	/* workbooks: every visible sheet */
	int		 delimiter;	/* CSV: 0 sniffs */
};

struct reader;

struct reader_ops {
	/* 1 and a row, 0 at end, -1 after an error was reported. */
	int	(*next)(struct reader *, struct row *);
	void	(*close)(struct reader *);
};

/* Every format's state begins with this struct. */
struct reader {
	const struct reader_ops *ops;
	enum fmt	 fmt;
	const char	*name;		/* for messages: the path or <stdin> */
	char		 encoding[24];	/* detected text encoding, or "" */
	char		*spool;		/* temp copy of stdin, removed on close */
	long		 nrows;		/* rows returned so far */
	/* Chat: the two people a header line names, or NULL; owned by
	 * the reader and set once the header row has been returned. */
	const char	*party[2];
	long long	 nbytes;	/* text read so far, 0: not counted */
};

/*
 * Open path ("-" is standard input, spooled to a temporary file so that
 * every format can seek).  Returns NULL after reporting why.
 */
struct reader	*reader_open(const char *path, enum fmt,
		    const struct reader_opts *);
int		 reader_next(struct reader *, struct row *);
void		 reader_close(struct reader *);

enum fmt	 fmt_parse(const char *);	/* FMT_AUTO if unknown */
const char	*fmt_name(enum fmt);
/* The format of a file from its first bytes and its name. */
enum fmt	 fmt_sniff(const char *name, const unsigned char *, size_t);

/* Format openers (io_*.c); path is a real file, name is for messages. */
struct reader	*csv_open(const char *path, const char *name,
		    const struct reader_opts *);
struct reader	*xlsx_open(const char *path, const char *name,
		    const struct reader_opts *);
struct reader	*xls_open(const char *path, const char *name,
		    const struct reader_opts *);
struct reader	*jsonl_open(const char *path, const char *name,
		    const struct reader_opts *);
struct reader	*chat_open(const char *path, const char *name,
		    const struct reader_opts *);
struct reader	*rss_open(const char *path, const char *name,
		    const struct reader_opts *);
/* 1 when the first line of p looks like a chat transcript's. */
int		 chat_sniff(const unsigned char *p, size_t n);
/* System lines (date banners, recalls) a chat reader skipped so far. */
long		 chat_system_lines(const struct reader *);

#endif
