/*
 * Schema migrations, applied in order by db_open().
 */
#ifndef SCHEMA_H
#define SCHEMA_H

extern const char *const schema_migrations[];
extern const int schema_nmigrations;

#endif
