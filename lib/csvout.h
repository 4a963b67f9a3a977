/*
 * CSV output (RFC 4180: quotes when needed, doubled inside, \n ends).
 */
#ifndef CSVOUT_H
#define CSVOUT_H

#include <stddef.h>
#include <stdio.h>

struct buf;

/*
 * Append one field.  With guard, a text that a spreadsheet would run as
 * a formula (= + - @ or a tab/CR first) is prefixed with an apostrophe.
 */
void	csv_field(struct buf *, const char *s, size_t n, int guard);
/* Write fields separated by commas and a newline. */
void	csv_line(FILE *, const char *const *fields, size_t n, int guard);

#endif
