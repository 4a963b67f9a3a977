/*
 * A string-keyed hash map (open addressing, FNV-1a).  Keys are copied;
 * values are opaque pointers or integers the caller owns.
 */
#ifndef HMAP_H
#define HMAP_H

#include <stddef.h>
#include <stdint.h>

struct hmap;

struct hmap	*hmap_new(void);
void		 hmap_free(struct hmap *);
/* Insert or replace; returns the slot's value storage. */
void		 hmap_put(struct hmap *, const char *key, size_t len,
		    intptr_t value);
/* 1 and *value when found, else 0. */
int		 hmap_get(const struct hmap *, const char *key, size_t len,
		    intptr_t *value);
size_t		 hmap_count(const struct hmap *);
/* Visit every entry (order unspecified). */
void		 hmap_each(const struct hmap *,
		    void (*)(const char *key, intptr_t value, void *), void *);

#endif
