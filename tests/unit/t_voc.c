/*
 * Customer voice matching (voc.c): normalisation and its offset map,
 * the negation window and clauses, A-not-A questions, exclusions,
 * cancelling and "all" phrases, one hit per tag, and bad tables.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "tap.h"
#include "voc.h"
#include "xalloc.h"

static char dir[] = "/tmp/t_voc.XXXXXX";

static void
write_file(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		exit(99);
	fputs(text, f);
	fclose(f);
}

/* The tags of text as "tag@offset+length tag@..." */
static const char *
tags(struct voc *v, const char *text)
{
	static char out[512];
	struct voc_hit *h;
	size_t len = 0;
	int i, n;

	out[0] = '\0';
	n = voc_match(v, text, NULL, &h);
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(out + len, sizeof(out) - len,
		    "%s%s@%ld+%ld", i > 0 ? " " : "",
		    voc_rule_tag(v, h[i].rule), h[i].start, h[i].len);
	return out;
}

int
main(void)
{
	struct voc *v;
	sqlite3 *db = NULL;
	char *s, msg[512];
	long *oc;
	FILE *dev;
	size_t n;

	if (mkdtemp(dir) == NULL)
		return 99;
	write_file("voc-lexicon.csv", "kind,phrases\n"
	    "negator,不|没|不是\nnon-negator,不但|能不能\n"
	    "exclude,贵公司\n");
	write_file("voc.csv", "id,any,all,none,tag,priority\n"
	    "p,贵|太贵,,,价格,0\n"
	    "p2,价格太高,,,价格,1\n"
	    "a,售后,太慢,,售后,0\n"
	    "c,续约,,不续约,续约,0\n"
	    "d,demo,,,演示,0\n");
	v = voc_load(dir, NULL);
	ok(v != NULL, "rules load");
	if (v == NULL)
		return tap_done();
	is_int(voc_nrules(v), 5, "five rules");

	s = voc_normalize(v, "ＤＥＭＯ價格", &oc);
	is_str(s, "demo价格", "NFKC, case fold and simplified");
	is_int(oc[0], 0, "first byte from character 0");
	is_int(oc[4], 4, "价 from character 4");
	is_int(oc[strlen(s)], 6, "end maps to the character count");
	free(s);
	free(oc);

	is_str(tags(v, "你们太贵了"), "价格@2+2", "leftmost longest, in characters");
	is_str(tags(v, "不太贵"), "", "negator right before");
	is_str(tags(v, "没觉得贵"), "", "negator two characters before");
	is_str(tags(v, "没有人觉得很贵"), "价格@6+1", "negator four characters before");
	is_str(tags(v, "不，太贵了"), "价格@2+2", "a clause ends the window");
	is_str(tags(v, "不。太贵了"), "价格@2+2", "。 ends a clause");
	is_str(tags(v, "不\n太贵了"), "价格@2+2", "so does a new line");
	is_str(tags(v, "不、太贵了"), "", "、 does not");
	is_str(tags(v, "不但贵"), "价格@2+1", "a non-negator does not negate");
	is_str(tags(v, "能不能再贵"), "价格@4+1", "a question word does not negate");
	is_str(tags(v, "贵不贵"), "", "A-not-A is a question");
	is_str(tags(v, "贵公司"), "", "an excluded phrase");
	is_str(tags(v, "价格太高，太贵"), "价格@0+4", "one hit per tag, priority wins");
	is_str(tags(v, "售后"), "", "an 'all' phrase missing");
	is_str(tags(v, "售后太慢"), "售后@0+2", "'all' phrases present");
	is_str(tags(v, "明年不续约"), "", "a 'none' phrase cancels");
	is_str(tags(v, "明年续约"), "续约@2+2", "the rule alone");
	is_str(tags(v, "约个ＤＥＭＯ"), "演示@2+4", "span of full-width letters");
	/* Offsets past characters whose normal form is another length. */
	is_str(tags(v, "约个DEMO"), "演示@2+4", "capitals folded in place");
	is_str(tags(v, "ＡＢ，太贵"), "价格@3+2", "after full-width ones");
	is_str(tags(v, "\xef\xac\x81太贵了"), "价格@1+2", "after a ligature");
	is_str(tags(v, "價格太貴了"), "价格@2+2", "traditional characters");
	is_str(tags(v, "\xff\xfe太贵"), "价格@2+2", "each bad byte a character");
	is_str(tags(v, "e\xcc\x81太贵"), "价格@2+2", "a combining mark");
	voc_free(v);

	/*
	 * Texts matched with one scan are decided as one by one: rules of
	 * one tag and priority (q, r: which wins depends on the order of
	 * the matches), texts that need OpenCC or are not UTF-8, empty ones.
	 */
	write_file("voc.csv", "id,any,all,none,tag,priority\n"
	    "p,贵|太贵,,,价格,0\n"
	    "q,很贵,,,价格,1\n"
	    "r,真的很贵,,,价格,1\n"
	    "s,审批,领导,,审批,0\n"
	    "d,demo,,,演示,0\n");
	if ((v = voc_load(dir, NULL)) != NULL) {
		static const char *const texts[] = {"真的很贵", "太贵了",
		    "價格太貴", "", "\xff太贵", "要领导审批，很贵",
		    "ＤＥＭＯ很贵", "不贵", "你好", "真的很贵，DEMO太贵"};
		enum { NT = sizeof(texts) / sizeof(texts[0]) };
		char one[NT][128];
		struct voc_hit *h;
		size_t k;
		int i;

		for (k = 0; k < NT; k++)
			snprintf(one[k], sizeof(one[k]), "%s", tags(v, texts[k]));
		voc_match_batch(v, texts, NT);
		for (k = 0; k < NT; k++) {
			char got[128];
			size_t len = 0;
			int nh = voc_match_take(v, k, texts[k], NULL, &h);

			got[0] = '\0';
			for (i = 0; i < nh; i++)
				len += (size_t)snprintf(got + len,
				    sizeof(got) - len, "%s%s@%ld+%ld",
				    i > 0 ? " " : "", voc_rule_tag(v,
				    h[i].rule), h[i].start, h[i].len);
			snprintf(msg, sizeof(msg), "batch: '%s' as alone",
			    texts[k]);
			is_str(got, one[k], msg);
		}
		voc_free(v);
	} else
		ok(0, "batch rules load");

	/*
	 * Scoped rules in one text: two scopes to evaluate make an order
	 * (which error is reported first), so the batch decides such a text
	 * as alone, also when both scopes fail.
	 */
	write_file("voc.csv", "id,any,scope,tag\n"
	    "s1,贵,industry = '软件',价格\n"
	    "s2,太贵,industry = '软件',太贵\n"
	    "e1,慢,abs(-9223372036854775808) > 0,慢\n"
	    "e2,很慢,abs(-9223372036854775808) > 0,很慢\n");
	if (sqlite3_open(":memory:", &db) == SQLITE_OK &&
	    sqlite3_exec(db, "CREATE TABLE customer (id TEXT, industry TEXT);"
	    "CREATE VIEW voc_customer AS SELECT * FROM customer;"
	    "INSERT INTO customer VALUES ('C1', '软件')", NULL, NULL,
	    NULL) == SQLITE_OK && (v = voc_load(dir, db)) != NULL) {
		static const char *const texts[] = {"太贵", "太贵", "很慢"};
		struct voc_hit *hh;
		char err1[256], err2[256];

		voc_memo_scopes(v, 1);
		voc_match_batch(v, texts, 3);
		is_int(voc_match_take(v, 0, texts[0], "C1", &hh), 2,
		    "two scopes: both hits");
		is_int(voc_match_take(v, 1, texts[1], "C1", &hh), 2,
		    "two scopes known: both hits");
		if ((dev = tmpfile()) == NULL)
			return 99;
		diag_init("t_voc", dev);
		is_int(voc_match(v, texts[2], "C1", &hh), -1, "a scope fails");
		is_int(voc_match_take(v, 2, texts[2], "C1", &hh), -1,
		    "a scope fails in the batch too");
		rewind(dev);
		n = fread(msg, 1, sizeof(msg) - 1, dev);
		msg[n] = '\0';
		fclose(dev);
		diag_init("t_voc", stderr);
		/* Two lines, the same message. */
		err1[0] = err2[0] = '\0';
		sscanf(msg, "%255[^\n]\n%255[^\n]", err1, err2);
		ok(*err1 != '\0' && strcmp(err1, err2) == 0,
		    "the same scope error reported");
		voc_free(v);
	} else
		ok(0, "scoped rules load");
	sqlite3_close(db);

	/* A bad lexicon is reported with file:line. */
	write_file("voc-lexicon.csv", "kind,phrases\nnegater,不\n");
	if ((dev = tmpfile()) == NULL)
		return 99;
	diag_init("t_voc", dev);
	v = voc_load(dir, NULL);
	ok(v == NULL, "bad lexicon refused");
	is_int(diag_status(), SX_USAGE, "exit status 2");
	rewind(dev);
	n = fread(msg, 1, sizeof(msg) - 1, dev);
	msg[n] = '\0';
	ok(strstr(msg, "voc-lexicon.csv:2:1: error: unknown kind 'negater'") !=
	    NULL, "message names file:line:col and the value");
	fclose(dev);
	diag_init("t_voc", stderr);

	/* The shipped rules: the worked example. */
	if ((v = voc_load("share/rules", NULL)) != NULL) {
		is_str(tags(v, "客户提到友商A的售后响应更快"),
		    "竞品对比@4+2 售后敏感型@8+6", "worked example");
		voc_free(v);
	} else
		ok(0, "shipped rules load");
	write_file("voc.csv", "");
	write_file("voc-lexicon.csv", "");
	snprintf(msg, sizeof(msg), "%s/voc.csv", dir);
	unlink(msg);
	snprintf(msg, sizeof(msg), "%s/voc-lexicon.csv", dir);
	unlink(msg);
	rmdir(dir);
	return tap_done();
}
