/*
 * The helper functions rule conditions call on a deal, for every engine
 * (stage gates, forecast milestones, ...):
 *
 *	n('tech_qa')		activities of that type on the deal
 *	has('nda_signed')	1 when there is at least one, else 0
 *	evidence('legal_stamp')	1 when an activity of that type names an
 *				evidence file that exists and whose SHA-256
 *				is the one recorded with it
 *	field('company_size')	1 when that column of the deal's row is
 *				neither NULL nor blank
 *	days_in_stage()		days since the deal entered its stage
 *	before('nda_signed', 'quote')
 *				1 when the first activity of the first type
 *				exists and comes before the first of the
 *				second (or there is none of the second)
 *
 * The functions answer for one deal at a time, set with condfn_set();
 * they run their own statements, prepared once (field()'s on first
 * use), outside the sandbox, and are declared to the cond environment
 * so that rules may call them.
 */
#ifndef CONDFN_H
#define CONDFN_H

#include <sqlite3.h>

struct cond_env;
struct condfn;

/*
 * Register the helpers on db for rules of env; view is the row rules
 * read (field() looks there), keyed by column "id".  NULL after
 * reporting (SX_SYS).  Free it after every cond compiled with env.
 * The functions are the connection's: one set of helpers per
 * connection at a time, or the later one answers for both.
 */
struct condfn	*condfn_new(sqlite3 *, struct cond_env *, const char *view);
void		 condfn_free(struct condfn *);
/*
 * The deal the helpers answer for (copied) and today, in days since
 * 1970-01-01; also forgets the last note and the deal's activities,
 * which n() and has() read once per deal: the store must not change
 * between condfn_set() and the calls that ask about the deal.
 */
void		 condfn_set(struct condfn *, const char *deal, long today);
/*
 * Why the last evidence() call since condfn_set() said no, for people
 * ("evidence 'stamp.pdf' has changed: its sha256 is not the one
 * recorded"), or NULL.  Valid until the next condfn_set().
 */
const char	*condfn_note(const struct condfn *);

#endif
