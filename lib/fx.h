/*
 * Exchange rates for reports: amounts are stored in the currency they
 * came in (fen, or cents, and a currency code), and every total a
 * report prints is in yuan, at the rates of fx.csv in the rules
 * directory (yuan per unit, as finance fixes them).  An amount in a
 * currency with no rate there has no yuan value: it is left out of
 * every total, and the audit lists it (kind no_rate).
 */
#ifndef FX_H
#define FX_H

#include <stdint.h>

struct db;

/*
 * Load dir/fx.csv (a missing file, or a NULL dir, gives no rates: an
 * older rules directory has none; db_open() registers it so) and
 * register the SQL function cny(fen, currency)
 * on db: fen itself for CNY or no currency, fen at the rate of the
 * currency otherwise, rounded half away from zero, and NULL for a
 * currency without a rate.  0, or -1 after reporting (SX_USAGE: the
 * file's line and cell).
 */
int	 fx_register(struct db *, const char *dir);

/*
 * A rate as fx.csv writes it ("7.1", "0.0472"): yuan per unit in
 * millionths, > 0.  0, or -1 with *why set.
 */
int	 fx_parse_rate(const char *s, int64_t *micro, const char **why);

/*
 * fen in yuan fen at micro millionths of a yuan per unit, rounded half
 * away from zero; 0, or -1 when the result passes the int64 range.
 */
int	 fx_convert(int64_t fen, int64_t micro, int64_t *out);

#endif
