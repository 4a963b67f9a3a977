/*
 * Labels for people in the language of the locale (gettext, domain
 * "salestrail", catalogs from po/).  Data is never translated: only
 * titles, column labels and sentences the program writes itself.
 * Column keys of CSV and JSON lines stay English whatever the locale.
 */
#ifndef I18N_H
#define I18N_H

#include <libintl.h>

#define _(s)	gettext(s)
#define N_(s)	(s)

/*
 * Follow the locale for messages and character classes (never for
 * numbers: LC_NUMERIC stays "C"), and find the catalogs: $SALES_LOCALEDIR,
 * else the locale directory beside the running binary, else the
 * compiled-in one.
 */
void	i18n_init(void);
/* The directory the catalogs are read from (static storage). */
const char *i18n_localedir(void);
/* The language of the labels as a tag for HTML ("en", "zh-CN"). */
const char *i18n_lang(void);

#endif
