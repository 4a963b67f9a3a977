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
