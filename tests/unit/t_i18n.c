/*
 * Labels by locale: where the catalogs are found, and which language
 * the environment selects (build/share/locale holds zh_CN, compiled
 * from po/zh_CN.po by make).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "tap.h"

static void
env(const char *lc_all, const char *lang, const char *language)
{
	unsetenv("LC_MESSAGES");
	if (lc_all != NULL)
		setenv("LC_ALL", lc_all, 1);
	else
		unsetenv("LC_ALL");
	if (lang != NULL)
		setenv("LANG", lang, 1);
	else
		unsetenv("LANG");
	if (language != NULL)
		setenv("LANGUAGE", language, 1);
	else
		unsetenv("LANGUAGE");
}

static int
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n >= m && strcmp(s + n - m, tail) == 0;
}

int
main(void)
{
	unsetenv("SALES_LOCALEDIR");
	ok(ends_with(i18n_localedir(), "/../share/locale"),
	    "catalogs beside the binary (build/share/locale)");
	setenv("SALES_LOCALEDIR", "/nonexistent", 1);
	is_str(i18n_localedir(), "/nonexistent", "SALES_LOCALEDIR wins");
	unsetenv("SALES_LOCALEDIR");

	env("C", NULL, NULL);
	i18n_init();
	is_str(_("Total"), "Total", "C locale: English");
	is_str(i18n_lang(), "en", "C locale: lang en");

	env("C.UTF-8", NULL, "zh_CN");
	i18n_init();
	is_str(_("Total"), "合计", "LANGUAGE=zh_CN under C.UTF-8: Chinese");
	is_str(i18n_lang(), "zh-CN", "and the HTML lang is zh-CN");
	is_str(_("no such label"), "no such label",
	    "a label without a translation stays English");

	/* gettext ignores LANGUAGE under the C locale. */
	env("C", NULL, "zh_CN");
	i18n_init();
	is_str(_("Total"), "Total", "LANGUAGE under LC_ALL=C: English");

	/* Chinese whether or not the system has the zh_CN.UTF-8 locale. */
	env(NULL, "zh_CN.UTF-8", NULL);
	i18n_init();
	is_str(_("By region"), "按区域", "LANG=zh_CN.UTF-8, locale missing");

	env(NULL, "fr_FR.UTF-8", NULL);
	i18n_init();
	is_str(_("By region"), "By region", "no French catalog: English");

	setenv("SALES_LOCALEDIR", "/nonexistent", 1);
	env("C.UTF-8", NULL, "zh_CN");
	i18n_init();
	is_str(_("Total"), "Total", "SALES_LOCALEDIR without catalogs");
	return tap_done();
}
