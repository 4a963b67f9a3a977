/*
 * The insides of struct voc, shared by voc.c (matching) and vocdb.c
 * (the store: scan, correct, suggest, tags and tasks).
 */
#ifndef VOCP_H
#define VOCP_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "hash.h"

enum vrole {
	ROLE_ANY = 1,	/* one of them makes the rule match */
	ROLE_ALL,	/* each must also occur */
	ROLE_NONE,	/* cancels the rule */
	ROLE_NEG,	/* negator */
	ROLE_NONNEG,	/* contains a negator but does not negate */
	ROLE_EXCL	/* a false friend: a phrase inside it does not count */
};

struct vpat {
	char		*text;	/* normalised */
	size_t		 len;
	int		 role;
	long		 rule;	/* index, or -1 for the lexicon */
};

struct vmatch {
	unsigned int	 pat;
	size_t		 from, to;	/* bytes of the normalised text */
};

/*
 * A character of a text whose normal form is not itself: its form is
 * at bytes at to at + len of the normalised text and it is character ci
 * of the original.  Around such pieces, the normalised text is the
 * original's characters one for one.
 */
struct vseg {
	size_t		 at, len;
	long		 ci;
};

/* The pieces of one or more normalised texts. */
struct vpieces {
	struct vseg	*g;
	size_t		 n, cap;
};

struct voc_rule {
	char		*id, *tag, *playbook, *task;
	long		 line;
	int		 due, priority, neg_ignore, scope_never;
	size_t		 nall;
	struct cond	*scope;
};

struct voc {
	char		*path;
	char		 version[HASH_ID_MAX];
	struct voc_rule	*rules;
	size_t		 nrules;
	struct vpat	*pat;
	size_t		 npat, patcap;
	struct hs_database *hdb;
	struct hs_scratch *scratch;
	void		*cc;		/* opencc_t, or NULL */
	unsigned char	*trad;		/* BMP bitmap: OpenCC changes it */
	unsigned char	*asked;		/* BMP bitmap: trad is known */
	unsigned char	*simple;	/* BMP bitmap: not trad (all without cc) */
	struct cond_env	*env;
	struct vmatch	*m;
	size_t		 nm, mcap;
	struct voc_hit	*hits;
	size_t		 nhits, hitcap;
	unsigned char	*seen;		/* per pattern */
	size_t		*best;		/* per rule: match index + 1 */
	size_t		*allok;		/* per rule: "all" phrases seen */
	unsigned char	*cancel;	/* per rule */
	size_t		*cand;		/* rules with a phrase in the text */
	size_t		 candcap;
	struct hmap	*ncache;	/* normal forms of other characters */
	const struct ncp **nbmp;	/* those of the BMP, by code point */
	struct buf	 norm;		/* the text being matched, normalised */
	struct buf	 spans;		/* the spans of hits[] */
	size_t		*spanoff;	/* per hit: its span in spans */
	size_t		 spanoffcap;
	long		*oc;		/* per byte of norm: its character */
	size_t		 occap;
	struct vpieces	 seg;		/* the pieces of norm, in order */
	/* Texts matched by one scan (voc_match_batch()). */
	struct buf	 bnorm;		/* their normal forms, each ended by NUL */
	struct vpieces	 bseg;		/* their pieces */
	size_t		*bat;		/* per text: its form in bnorm; the end */
	size_t		*bsegat;	/* per text: its first piece; the end */
	size_t		*bmat;		/* per text: its first match; the end */
	unsigned char	*balone;	/* per text: matched by voc_match() */
	size_t		 bcap;
	struct vmatch	*bm, *bm2;	/* the matches of all, by text */
	size_t		 nbm, bmcap, bm2cap;
	struct hmap	*scope_memo;	/* customer: per rule, scope result */
};

#endif
