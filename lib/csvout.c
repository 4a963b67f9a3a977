/*
 * Writing CSV.
 */
#include <string.h>

#include "buf.h"
#include "csvout.h"

void
csv_field(struct buf *b, const char *s, size_t n, int guard)
{
	size_t i;
	int quote;

	if (guard && n > 0 && (s[0] == '=' || s[0] == '+' || s[0] == '-' ||
	    s[0] == '@' || s[0] == '\t' || s[0] == '\r')) {
		/* A negative number is data, not a formula. */
		int number = s[0] == '-' && n > 1;

		for (i = 1; i < n && number; i++)
			if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
			    s[i] == ','))
				number = 0;
		if (!number) {
			buf_addc(b, '"');
			buf_addc(b, '\'');
			for (i = 0; i < n; i++) {
				if (s[i] == '"')
					buf_addc(b, '"');
				buf_addc(b, s[i]);
			}
			buf_addc(b, '"');
			return;
		}
	}
	/*
	 * The four bytes that need quotes all sort below '-': one compare
	 * rules out digits, letters and every byte of a UTF-8 sequence.
	 */
	quote = 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ',' && (s[i] == ',' || s[i] == '"' ||
		    s[i] == '\n' || s[i] == '\r')) {
			quote = 1;
			break;
		}
	if (!quote) {
		buf_add(b, s, n);
		return;
	}
	buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			buf_addc(b, '"');
		buf_addc(b, s[i]);
	}
	buf_addc(b, '"');
}

void
csv_line(FILE *fp, const char *const *f, size_t n, int guard)
{
	struct buf b = {0};
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			buf_addc(&b, ',');
		if (f[i] != NULL)
			csv_field(&b, f[i], strlen(f[i]), guard);
	}
	buf_addc(&b, '\n');
	fwrite(b.s, 1, b.len, fp);
	buf_free(&b);
}
