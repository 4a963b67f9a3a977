/*
 * Message catalogs: the locale's language for labels, found beside the
 * running binary so that the build tree and an installed tree both work
 * without configuration.
 */
#include <libintl.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"

#define DOMAIN	"salestrail"

#ifndef SALES_LOCALEDIR
#define SALES_LOCALEDIR	"/usr/local/share/locale"
#endif

/* A directory that may hold our catalogs. */
static int
has_locale(const char *dir)
{
	struct stat st;

	return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *
i18n_localedir(void)
{
	static char found[PATH_MAX + 64];
	char exe[PATH_MAX], *slash;
	const char *env;
	ssize_t n;

	if ((env = getenv("SALES_LOCALEDIR")) != NULL && *env != '\0')
		return env;
	if (found[0] != '\0')
		return found;
	/*
	 * PREFIX/bin -> PREFIX/share/locale, and build/bin ->
	 * build/share/locale, where make puts the compiled catalogs.
	 */
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL)
			*slash = '\0';
		snprintf(found, sizeof(found), "%s/../share/locale", exe);
		if (has_locale(found))
			return found;
	}
	return SALES_LOCALEDIR;
}

/*
 * The language the environment asks for when its locale is not
 * installed (LANG=zh_CN.UTF-8 on a server that never generated it):
 * gettext would fall back to English, so pass the language on through
 * $LANGUAGE under the C.UTF-8 locale, which glibc always has.
 */
static void
missing_locale(void)
{
	static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	char lang[64];
	const char *v;
	size_t i;

	for (i = 0, v = NULL; i < sizeof(vars) / sizeof(vars[0]); i++)
		if ((v = getenv(vars[i])) != NULL && *v != '\0')
			break;
	if (v == NULL || *v == '\0' || strcmp(v, "C") == 0 ||
	    strcmp(v, "POSIX") == 0 || strncmp(v, "C.", 2) == 0)
		return;
	snprintf(lang, sizeof(lang), "%.*s", (int)strcspn(v, ".@"), v);
	if ((v = getenv("LANGUAGE")) == NULL || *v == '\0')
		setenv("LANGUAGE", lang, 1);
	setlocale(LC_MESSAGES, "C.UTF-8");
}

void
i18n_init(void)
{
	if (setlocale(LC_MESSAGES, "") == NULL)
		missing_locale();
	/*
	 * The same for the character set: left "C", glibc writes its own
	 * messages in that language (getopt's, strerror's) as ASCII, each
	 * Chinese character a '?'.
	 */
	if (setlocale(LC_CTYPE, "") == NULL)
		setlocale(LC_CTYPE, "C.UTF-8");
	bindtextdomain(DOMAIN, i18n_localedir());
	/* Labels join UTF-8 data, whatever the locale's own charset. */
	bind_textdomain_codeset(DOMAIN, "UTF-8");
	textdomain(DOMAIN);
}

const char *
i18n_lang(void)
{
	/* TRANSLATORS: the language tag of this catalog, as HTML's lang. */
	return _("en");
}
