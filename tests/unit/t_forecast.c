/*
 * The forecast model on deals built in memory: the worked example of
 * the field report as the days pass, decay, cancellation, closed deals,
 * the words, a backtest by hand, and a fit on a generated history whose
 * true weights are known.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "forecast.h"
#include "tap.h"
#include "workcal.h"
#include "xalloc.h"
#include "xldate.h"

static long
day(const char *s)
{
	int y, m, d;

	if (sscanf(s, "%d-%d-%d", &y, &m, &d) != 3)
		abort();
	return days_from_civil(y, m, d);
}

static int
tindex(const struct fc_model *m, const char *t)
{
	size_t i;

	for (i = 0; i < m->ntypes; i++)
		if (strcmp(m->types[i], t) == 0)
			return (int)i;
	abort();
}

static void
deal_init(struct fc_deal *x, const struct fc_model *m, const char *id,
    const char *stage, long created)
{
	size_t i;

	memset(x, 0, sizeof(*x));
	x->id = xstrdup(id);
	x->stage = xstrdup(stage);
	x->amount_fen = 100000000;
	x->created = created;
	x->close = x->expected = -1;
	x->first = xmalloc((m->ntypes + 1) * sizeof(long));
	for (i = 0; i < m->ntypes; i++)
		x->first[i] = -1;
}

static int
prob(const struct fc_model *m, struct workcal *cal, const struct fc_deal *x,
    const char *on, struct fc_result *r)
{
	fc_eval(m, cal, x, day(on), r);
	return r->probability;
}

/* The default rules on the field report's deal. */
static void
worked_example(const struct fc_model *m, struct workcal *cal)
{
	struct fc_result r;
	struct fc_deal x;
	char *s;

	r.steps = xcalloc(m->nrules, sizeof(*r.steps));
	deal_init(&x, m, "A", "quote", day("2026-02-01"));
	x.first[tindex(m, "nda_signed")] = day("2026-02-09");
	is_int(prob(m, cal, &x, "2026-02-10", &r), 30, "NDA alone: 30");
	x.first[tindex(m, "tech_review_passed")] = day("2026-02-12");
	is_int(prob(m, cal, &x, "2026-02-12", &r), 68,
	    "NDA + review, no L/C: the configured 68");
	s = fc_explain(m, &x, &r, day("2026-02-12"), 1);
	is_str(s, "68%: 已签保密协议 + 技术评审完成; 未确认信用证, 存在流失风险; "
	    "需在3个工作日内获取信用证开证行确认函,否则概率降至41%; "
	    "未完成: 信用证付款条款已签 (30)", "the basis in Chinese");
	free(s);
	/* Mon-Fri would say 02-17; the break and 02-14 make it 02-24. */
	is_int(prob(m, cal, &x, "2026-02-18", &r), 68,
	    "no drop on 02-18: the Spring Festival break is not counted");
	is_int(prob(m, cal, &x, "2026-02-24", &r), 68, "due day: still 68");
	is_int(prob(m, cal, &x, "2026-02-25", &r), 41,
	    "after 3 working days: down to 41");
	is_int(prob(m, cal, &x, "2026-03-11", &r), 41,
	    "15th working day after the review: no decay yet");
	is_int(prob(m, cal, &x, "2026-03-12", &r), 26,
	    "after 15 working days without payment terms: minus 15");
	x.first[tindex(m, "lc_confirmed")] = day("2026-02-13");
	is_int(prob(m, cal, &x, "2026-02-25", &r), 68,
	    "the confirmation came in time: no drop");
	x.first[tindex(m, "payment_terms_lc")] = day("2026-02-26");
	is_int(prob(m, cal, &x, "2026-03-12", &r), 100, "all three: 100");
	is_int(r.expected_fen, 100000000, "expected amount");
	x.first[tindex(m, "order_cancelled")] = day("2026-03-02");
	is_int(prob(m, cal, &x, "2026-03-01", &r), 100, "before the "
	    "cancellation: 100");
	is_int(prob(m, cal, &x, "2026-03-02", &r), 0,
	    "a cancellation overrides every milestone");
	is_int(r.state, FC_CANCELLED, "state cancelled");
	s = fc_explain(m, &x, &r, day("2026-03-02"), 0);
	is_str(s, "0%: order cancelled", "cancellation in English");
	free(s);

	/* Closed by the stage log: won 100, lost 0. */
	x.first[tindex(m, "order_cancelled")] = -1;
	x.nev = 1;
	x.ev_day = xmalloc(sizeof(long));
	x.ev_to = xmalloc(sizeof(char *));
	x.ev_day[0] = day("2026-03-20");
	x.ev_to[0] = xstrdup("lost");
	is_int(prob(m, cal, &x, "2026-03-19", &r), 100, "open before the "
	    "move");
	is_int(prob(m, cal, &x, "2026-03-20", &r), 0, "lost: 0");
	free(x.ev_to[0]);
	x.ev_to[0] = xstrdup("won");
	is_int(prob(m, cal, &x, "2026-03-20", &r), 100, "won: 100");
	is_int(prob(m, cal, &x, "2026-01-31", &r), 0, "before it existed");
	is_int(r.state, FC_ABSENT, "absent before created");
	free(x.ev_to[0]);
	free(x.ev_to);
	free(x.ev_day);
	free(x.first);
	free(x.id);
	free(x.stage);
	free(r.steps);
}

static unsigned long long rng = 88172645463325252ULL;

/* xorshift64: the same history on every machine. */
static double
uniform(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

/*
 * 3,000 deals, each milestone present with chance 1/2 from the day the
 * deal opens, won with chance (20 nda + 50 review + 25 terms) / 100,
 * closed 8 weeks later.
 */
static void
fit_known_weights(const char *rulesfile, struct workcal *cal)
{
	static const double truth[3] = {20, 50, 25};
	static const char *const types[3] = {
		"nda_signed", "tech_review_passed", "payment_terms_lc"
	};
	struct fc_model *m;
	struct fc_data *d;
	struct fc_backtest bt, bt2;
	double w[8];
	long start = day("2025-01-06");
	size_t i, j, k = 0;

	if ((m = fc_model_load_file(rulesfile)) == NULL) {
		ok(0, "load the fit rules");
		return;
	}
	d = xcalloc(1, sizeof(*d));
	d->ndeals = 3000;
	d->deals = xcalloc(d->ndeals, sizeof(*d->deals));
	for (i = 0; i < d->ndeals; i++) {
		struct fc_deal *x = &d->deals[i];
		double p = 0;
		char id[32];

		snprintf(id, sizeof(id), "G%zu", i);
		deal_init(x, m, id, "won", start + 7 * (long)(i % 52));
		for (j = 0; j < 3; j++)
			if (uniform() < 0.5) {
				x->first[tindex(m, types[j])] = x->created;
				p += truth[j] / 100;
			}
		free(x->stage);
		x->stage = xstrdup(uniform() < p ? "won" : "lost");
		x->close = x->created + 56;
	}
	if (fc_backtest_run(m, cal, d, start, day("2026-03-30"),
	    day("2026-06-01"), &bt) < 0) {
		ok(0, "backtest of the generated history");
		return;
	}
	is_int(bt.deals, 3000, "every generated deal replayed");
	is_int(bt.ns, 3000 * 8, "8 Mondays open each");
	ok(fc_fit(m, d, &bt, w) == 0, "fit");
	for (i = 0; i < m->nrules; i++) {
		char name[64];

		if (m->rules[i].kind != FC_MILESTONE)
			continue;
		snprintf(name, sizeof(name), "fitted %s %g within 3 points of "
		    "%g", m->rules[i].name, w[i], truth[k]);
		ok(fabs(w[i] - truth[k]) <= 3, name);
		m->rules[i].value = w[i];
		k++;
	}
	fc_backtest_run(m, cal, d, start, day("2026-03-30"),
	    day("2026-06-01"), &bt2);
	printf("# brier configured %.4f fitted %.4f\n", bt.brier, bt2.brier);
	ok(bt2.brier < bt.brier, "fitted weights score a better Brier than "
	    "30/40/30");
	ok(fabs(bt.brier - 0.1675) < 0.01, "Brier of 30/40/30 near its "
	    "expectation 0.1675");
	fc_backtest_clear(&bt);
	fc_backtest_clear(&bt2);
	fc_data_free(d);
	fc_model_free(m);
}

int
main(void)
{
	struct fc_model *m;
	struct workcal *cal;
	FILE *fp;
	char path[] = "/tmp/t_forecast.XXXXXX";
	int fd;

	diag_init("t_forecast", stderr);
	if ((m = fc_model_load("share/rules")) == NULL ||
	    (cal = workcal_load("share/rules")) == NULL) {
		ok(0, "load share/rules");
		return tap_done();
	}
	is_int(m->nrules, 7, "seven default rules");
	worked_example(m, cal);
	is_int(lround(fc_accuracy(30, 150) * 1000), 200, "accuracy 1 - 120/150");
	is_int(fc_accuracy(400, 150) * 1000, 0, "accuracy never negative");
	is_int(fc_accuracy(5, 0), -1, "no accuracy without collections");

	if ((fd = mkstemp(path)) < 0 || (fp = fdopen(fd, "w")) == NULL)
		return tap_done();
	fputs("kind,name,type,after,days,value,zh,en\n"
	    "milestone,nda,nda_signed,,,30,,\n"
	    "milestone,review,tech_review_passed,,,40,,\n"
	    "milestone,terms,payment_terms_lc,,,30,,\n", fp);
	fclose(fp);
	fit_known_weights(path, cal);
	remove(path);
	workcal_free(cal);
	fc_model_free(m);
	return tap_done();
}
