/*
 * Open-addressing hash map with linear probing, grown at 70% load.
 */
#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "xalloc.h"

struct slot {
	char		*key;
	size_t		 len;
	uint64_t	 hash;
	intptr_t	 value;
};

struct hmap {
	struct slot	*slots;
	size_t		 cap;	/* a power of two */
	size_t		 count;
};

static uint64_t
fnv1a(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

struct hmap *
hmap_new(void)
{
	struct hmap *m;

	m = xcalloc(1, sizeof(*m));
	m->cap = 64;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	return m;
}

void
hmap_free(struct hmap *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	free(m);
}

static struct slot *
find(const struct hmap *m, const char *key, size_t len, uint64_t h)
{
	size_t i;
	struct slot *s;

	for (i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		s = &m->slots[i];
		if (s->key == NULL)
			return s;
		if (s->hash == h && s->len == len &&
		    memcmp(s->key, key, len) == 0)
			return s;
	}
}

static void
grow(struct hmap *m)
{
	struct slot *old, *s;
	size_t oldcap, i;

	old = m->slots;
	oldcap = m->cap;
	m->cap *= 2;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	for (i = 0; i < oldcap; i++) {
		if (old[i].key == NULL)
			continue;
		s = find(m, old[i].key, old[i].len, old[i].hash);
		*s = old[i];
	}
	free(old);
}

void
hmap_put(struct hmap *m, const char *key, size_t len, intptr_t value)
{
	struct slot *s;
	uint64_t h;

	if ((m->count + 1) * 10 > m->cap * 7)
		grow(m);
	h = fnv1a(key, len);
	s = find(m, key, len, h);
	if (s->key == NULL) {
		s->key = xstrndup(key, len);
		s->len = len;
		s->hash = h;
		m->count++;
	}
	s->value = value;
}

int
hmap_get(const struct hmap *m, const char *key, size_t len, intptr_t *value)
{
	struct slot *s;

	s = find(m, key, len, fnv1a(key, len));
	if (s->key == NULL)
		return 0;
	if (value != NULL)
		*value = s->value;
	return 1;
}

size_t
hmap_count(const struct hmap *m)
{
	return m->count;
}

void
hmap_each(const struct hmap *m, void (*fn)(const char *, intptr_t, void *),
    void *arg)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		if (m->slots[i].key != NULL)
			fn(m->slots[i].key, m->slots[i].value, arg);
}
