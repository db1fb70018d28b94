/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A small JSON reader (RFC 8259) for corral's own inputs: seccomp profiles
 * now, OCI config.json later.  corral does not use json-glib: it pulls in
 * gio, gobject, libmount and libselinux, which cost every `corral run`
 * about 1.7 MiB of resident memory and their start-up, with or without
 * JSON to read (measured: peak RSS 3.2 -> 4.9 MiB).
 */
#ifndef CORRAL_RUNTIME_JSON_H
#define CORRAL_RUNTIME_JSON_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

enum rj_type { RJ_NULL, RJ_BOOL, RJ_NUMBER, RJ_STRING, RJ_ARRAY, RJ_OBJECT };

struct rj_value {
	enum rj_type type;
	bool boolean;
	double number;
	bool is_int;       /* the number was written as an integer that fits int64 */
	int64_t integer;
	bool is_uint;      /* ... or as a non-negative integer that fits uint64 */
	uint64_t uinteger;
	char *string;      /* UTF-8, NUL-terminated (embedded NULs are refused) */
	size_t n;          /* array items or object members */
	struct rj_value **items;
	char **keys;       /* objects: keys[i] names items[i] */
};

/* Parse @text; NULL and an error naming the line and column otherwise. */
struct rj_value *rj_parse(const char *text, size_t len, GError **err);
void rj_free(struct rj_value *v);
typedef struct rj_value rj_value;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(rj_value, rj_free)

/* The member @key of object @v (the last one if repeated), or NULL. */
const struct rj_value *rj_get(const struct rj_value *v, const char *key);
const char *rj_type_name(enum rj_type t);

#endif
