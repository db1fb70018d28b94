/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A small JSON reader (RFC 8259) for corral's own inputs: seccomp profiles
 * now, OCI config.json later.  corral does not use json-glib: it pulls in
 * gio, gobject, libmount and libselinux, which cost every `corral run`
 * about 1.7 MiB of resident memory and their start-up, with or without
 * JSON to read (measured: peak RSS 3.2 -> 4.9 MiB).
 */
#ifndef CORRAL_COMMON_JSON_H
#define CORRAL_COMMON_JSON_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

enum rj_type { RJ_NULL, RJ_BOOL, RJ_NUMBER, RJ_STRING, RJ_ARRAY, RJ_OBJECT };

struct rj_member;

/*
 * One value in 16 bytes: the type says which member of the union holds
 * its payload.  An array's items and an object's members are each one
 * allocation.  Measured with mallinfo2: 8 MiB of "[0,0,...]" takes 64 MiB
 * (416 MiB before), 8 MiB of "[\"\",\"\",...]" 128 MiB (672 MiB before).
 */
struct rj_value {
	uint8_t type;      /* enum rj_type */
	bool is_int;       /* a number written as an integer that fits int64: integer */
	bool is_uint;      /* ... a non-negative one that fits uint64: uinteger */
	uint32_t n;        /* array items or object members */
	union {
		bool boolean;
		double number;     /* neither is_int nor is_uint; rj_number() reads any */
		int64_t integer;   /* is_int (the same bits as uinteger when both are set) */
		uint64_t uinteger; /* is_uint */
		char *string;      /* UTF-8, NUL-terminated (embedded NULs are refused) */
		struct rj_value *items;    /* RJ_ARRAY: items[0 .. n-1] */
		struct rj_member *members; /* RJ_OBJECT: members[0 .. n-1], in order */
	};
};

struct rj_member {
	char *key;
	struct rj_value value;
};

/* Parse @text; NULL and an error naming the line and column otherwise. */
struct rj_value *rj_parse(const char *text, size_t len, GError **err);
void rj_free(struct rj_value *v);
typedef struct rj_value rj_value;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(rj_value, rj_free)

/* The member @key of object @v (the last one if repeated), or NULL. */
const struct rj_value *rj_get(const struct rj_value *v, const char *key);
const char *rj_type_name(enum rj_type t);
/* A number's value as a double (integers converted). */
double rj_number(const struct rj_value *v);

#endif
