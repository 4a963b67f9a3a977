/*
 * The forecast model: a deal's chance to close from what has verifiably
 * happened on it (share/rules/forecast.csv), in working days of the
 * work calendar, as of any day, so that the same code answers "what
 * now" and "what would we have said then" (backtest, fit).
 */
#ifndef FORECAST_H
#define FORECAST_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct workcal;

enum fc_kind { FC_MILESTONE, FC_CAP, FC_DEADLINE, FC_DECAY, FC_CANCEL };

struct fc_rule {
	enum fc_kind kind;
	char *name;
	char *type;
	char *after; /* or NULL */
	int days;
	double value; /* points, or a percentage */
	char *zh, *en;
	int ti, ai; /* indexes of type and after in types */
};

struct fc_model {
	struct fc_rule *rules;
	size_t nrules;
	char **types; /* the activity types rules name */
	size_t ntypes;
	char version[24]; /* a digest of the rules */
};

/* Load dir/forecast.csv, or a file; NULL after reporting (SX_USAGE). */
struct fc_model *fc_model_load(const char *dir);
struct fc_model *fc_model_load_file(const char *path);
void fc_model_free(struct fc_model *);
/* Recompute version after weights changed (fit). */
void fc_model_stamp(struct fc_model *);

/* A deal as the model needs it, read once from the store. */
struct fc_deal {
	char *id, *name, *rep, *region, *stage;
	int64_t amount_fen;            /* yuan fen; 0 also for no rate */
	int64_t native_fen;            /* as stored, in currency */
	char currency[4];              /* the deal's, CNY when none */
	char *no_rate;                 /* the currency fx.csv lacks, or NULL */
	long created, close, expected; /* days, or -1 */
	long *first;                   /* first day of each type, or -1 */
	long *ev_day;                  /* stage events (not blocked) */
	char **ev_to;
	size_t nev;
};

struct fc_payment {
	int64_t amount_fen;
	long day;
	char *rep, *region;
};

struct fc_data {
	struct fc_deal *deals;
	size_t ndeals;
	struct fc_payment *pays;
	size_t npays;
};

/* Read deals, activities, stage events, payments; NULL after reporting. */
struct fc_data *fc_data_load(struct db *, const struct fc_model *);
void fc_data_free(struct fc_data *);

enum fc_state { FC_ABSENT, FC_OPEN, FC_WON, FC_LOST, FC_CANCELLED };

/* What one rule did to a deal. */
struct fc_step {
	int hit;     /* milestone met, cap/deadline/decay applied */
	int pending; /* deadline ahead: a warning */
	long on;     /* the day it was met, or of its after milestone */
	long due;    /* deadline or decay day, or -1 */
	long left;   /* working days left to due */
};

struct fc_result {
	enum fc_state state;
	int probability; /* percent */
	double score;    /* points before caps and decays */
	int64_t expected_fen;
	struct fc_step *steps; /* one per rule, caller's nrules */
};

/* The deal's stage as of day (from the stage events when it has any). */
const char *fc_stage_at(const struct fc_deal *, long day);
/*
 * Evaluate deal d as of day into r (r->steps must hold nrules).  The
 * calendar's fallback warning is its own.
 */
void fc_eval(const struct fc_model *, struct workcal *, const struct fc_deal *,
    long day, struct fc_result *);
/* What amount is expected to bring as r has it: all, a share, none. */
int64_t fc_expected(int64_t amount, const struct fc_result *r);
/* 1 when people's messages should be Chinese (LC_ALL, LC_MESSAGES, LANG). */
int fc_lang_zh(void);
/*
 * The warning of a pending deadline ("需在3个工作日内获取信用证开证行
 * 确认函,否则概率降至41%"), malloc'd.
 */
char *fc_warning(const struct fc_rule *, const struct fc_step *, int zh);
/* The basis in words, into a malloc'd string the caller frees. */
char *fc_explain(const struct fc_model *, const struct fc_deal *,
    const struct fc_result *, long day, int zh);

/* Backtest: replay every closed deal as of each Monday in [from, to]. */
struct fc_bucket {
	long n, won;
	double psum;
};

struct fc_sample {
	size_t deal;
	long day;
	int won;
	int p;
};

struct fc_backtest {
	long weeks, deals;
	struct fc_sample *s;
	size_t ns;
	double brier;
	struct fc_bucket buckets[10];
};

/* 0, or -1 when there is nothing to replay. */
int fc_backtest_run(const struct fc_model *, struct workcal *,
    const struct fc_data *, long from, long to, long today,
    struct fc_backtest *);
void fc_backtest_clear(struct fc_backtest *);

/*
 * Collections of month [first, last]: the forecast made on its first
 * day (deals expected or closing in the month, times their chance) and
 * what was collected, into forecast[k] and actual[k] for the k-th of
 * the sorted keys (reps, or regions when by_region), or into [0] for
 * everything when keys is NULL.
 */
void		 fc_month(const struct fc_model *, struct workcal *,
		    const struct fc_data *, long first, long last,
		    int by_region, char *const *keys, size_t nkeys,
		    double *forecast, int64_t *actual);
/* max(0, 1 - |actual - forecast| / actual); -1 when actual is 0. */
double fc_accuracy(double forecast, int64_t actual);

/*
 * Fit milestone weights to the samples of a backtest: least squares of
 * the Brier score over milestone indicators, with a small ridge, solved
 * exactly; weights clamped to [0, 100] and rounded to whole points.
 * Writes one weight per rule into w (0 for other kinds).  0, or -1 when
 * the samples cannot determine the weights.
 */
int fc_fit(const struct fc_model *, const struct fc_data *,
    const struct fc_backtest *, double *w);

#endif
