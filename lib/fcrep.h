/*
 * sales-forecast's verbs over the model of forecast.h: JSON lines or
 * tables for run, words for explain, snapshots in the store, backtest
 * figures and fitted weights.
 */
#ifndef FCREP_H
#define FCREP_H

#include <stdio.h>

#include "table.h"

struct db;
struct fc_model;
struct fc_data;
struct workcal;

struct fc_ctx {
	struct db *db;
	struct fc_model *m;
	struct workcal *cal;
	struct fc_data *d;
	long today;
	int zh; /* Chinese words (fc_lang_zh) */
};

/* Each returns 0, or -1 after reporting. */
int fcrep_run(FILE *, struct fc_ctx *, long asof, enum outfmt);
int fcrep_explain(FILE *, struct fc_ctx *, const char *deal, long asof);
/* Store the forecast as of asof, once per as-of day and rules. */
int fcrep_snapshot(FILE *, struct fc_ctx *, long asof);
int fcrep_backtest(FILE *, struct fc_ctx *, long from, long to);
/* write: a forecast.csv with the fitted weights, or NULL. */
int fcrep_fit(FILE *, struct fc_ctx *, long from, long to, const char *write);

#endif
