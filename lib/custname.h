/*
 * Customer names compared as people read them: two spellings of one
 * name share a key when they differ only in width, case, white space,
 * punctuation and brackets, traditional or simplified characters, or
 * the legal-form suffix of share/rules/names.csv (有限公司, 有限责任公司,
 * (集团), Co., Ltd. ...).
 */
#ifndef CUSTNAME_H
#define CUSTNAME_H

struct buf;
struct custname;

/*
 * Load the suffixes of dir/names.csv and open OpenCC's traditional to
 * simplified conversion (without it, the key keeps characters as they
 * are).  Returns NULL after reporting a bad table (SX_USAGE).
 */
struct custname	*custname_new(const char *dir);
void		 custname_free(struct custname *);
/*
 * Append the key of name to out: NFKC, case folded, traditional to
 * simplified, without white space, punctuation, symbols or control
 * characters, then without legal-form suffixes (as long as something
 * is left).
 */
void		 custname_key(struct custname *, struct buf *out,
		    const char *name);

#endif
