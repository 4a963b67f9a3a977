/*
 * Message catalogs.
 */
#include <libintl.h>
#include <locale.h>
#include <stdlib.h>

#include "i18n.h"

void
i18n_init(void)
{
	const char *dir;

	setlocale(LC_MESSAGES, "");
	if ((dir = getenv("SALES_LOCALEDIR")) != NULL && *dir != '\0')
		bindtextdomain("salestrail", dir);
	textdomain("salestrail");
}
