/*
 * Open-addressing hash map with linear probing, grown at 70% load.
 */
#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "xalloc.h"

#define INLINE_KEY 40	/* key bytes kept in the slot, NUL included */

/*
 * A slot is one 64-byte cache line: a key shorter than INLINE_KEY
 * (customer and rep names, record IDs) sits in it, so a lookup of a
 * large map costs one cache miss, not one for the slot and one for the
 * key.
 */
struct slot {
	uint64_t	 hash;
	intptr_t	 value;
	uint32_t	 len;
	uint32_t	 used;	/* 0 empty, 1 key in inl, 2 key in heap */
	union {
		char	*heap;
		char	 inl[INLINE_KEY];
	} k;
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

static const char *
slot_key(const struct slot *s)
{
	return s->used == 1 ? s->k.inl : s->k.heap;
}

/* cap zeroed slots, aligned to a cache line. */
static struct slot *
new_slots(size_t cap)
{
	void *p;

	if (posix_memalign(&p, 64, cap * sizeof(struct slot)) != 0)
		p = xcalloc(cap, sizeof(struct slot)); /* reports, exits */
	memset(p, 0, cap * sizeof(struct slot));
	return p;
}

struct hmap *
hmap_new(void)
{
	struct hmap *m;

	m = xcalloc(1, sizeof(*m));
	m->cap = 64;
	m->slots = new_slots(m->cap);
	return m;
}

void
hmap_free(struct hmap *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->cap; i++)
		if (m->slots[i].used == 2)
			free(m->slots[i].k.heap);
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
		if (s->used == 0)
			return s;
		if (s->hash == h && s->len == len &&
		    memcmp(slot_key(s), key, len) == 0)
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
	m->slots = new_slots(m->cap);
	for (i = 0; i < oldcap; i++) {
		if (old[i].used == 0)
			continue;
		s = find(m, slot_key(&old[i]), old[i].len, old[i].hash);
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
	if (s->used == 0) {
		if (len < INLINE_KEY) {
			memcpy(s->k.inl, key, len);
			s->k.inl[len] = '\0';
			s->used = 1;
		} else {
			s->k.heap = xmalloc(len + 1);
			memcpy(s->k.heap, key, len);
			s->k.heap[len] = '\0';
			s->used = 2;
		}
		s->len = (uint32_t)len;
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
	if (s->used == 0)
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
		if (m->slots[i].used != 0)
			fn(slot_key(&m->slots[i]), m->slots[i].value, arg);
}
