/*
 * Local time: the zone the store's dates and weeks are counted in
 * (--tz, else $SALES_TZ, else Asia/Shanghai).
 */
#ifndef TZ_H
#define TZ_H

#include "xldate.h"

#define TZ_DEFAULT "Asia/Shanghai"
#define INSTANT_TEXT_MAX 40

/* Select the zone; 0, or -1 after reporting an unknown zone. */
int		 tz_init(const char *zone);
const char	*tz_name(void);
/* UTC offset in minutes of the zone at a local civil time. */
int		 tz_offset_at(const struct civil *local);
/* An instant written with offset tzmin, as local civil time. */
void		 tz_to_local(const struct civil *in, int tzmin,
		    struct civil *local);
/* "2026-03-05T14:22:00+08:00" (INSTANT_TEXT_MAX bytes). */
void		 tz_format_instant(char *out, const struct civil *local);
/* Today in the zone as days since 1970-01-01 ($SALES_TODAY overrides). */
long		 tz_today(void);
/* The current instant, formatted ($SALES_NOW overrides, for tests). */
void		 tz_now(char *out);

#endif
