/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * corral's one option parser, on getopt_long(3): each command declares a
 * table of options once and reads what rt_opts_next() finds, writing its
 * own messages (getopt's are never printed).  Two styles:
 *
 *   RT_OPT_GNU  Docker's `run` and runc's global options: --name VALUE,
 *               --name=VALUE, one-letter aliases -m VALUE, -m256m and
 *               bundled flags (-it).
 *   RT_OPT_GO   runc's commands, which use Go's flag package: -name and
 *               --name alike (a one-letter alias is one more name),
 *               -name=VALUE or -name VALUE, and a flag takes a value only
 *               as "=VALUE" (--detach=false); no bundles.
 *
 * Names are matched exactly (never abbreviated).  getopt keeps global
 * state: one parser at a time, not thread-safe.
 */
#ifndef CORRAL_COMMON_OPTIONS_H
#define CORRAL_COMMON_OPTIONS_H

#include <glib.h>
#include <stdbool.h>

struct rt_opt {
	const char *name;   /* "--memory" */
	const char *alias;  /* another name, "-m" or "--cpu-shares"; NULL: none */
	bool has_value;     /* false: a flag */
};

enum rt_opt_style { RT_OPT_GNU, RT_OPT_GO };

enum rt_opt_event {
	RT_OPT_END,      /* no more options: index is the first argument left */
	RT_OPT_FOUND,    /* opt, with value (a flag: NULL, or in RT_OPT_GO its "=VALUE") */
	RT_OPT_ARG,      /* @mixed: the argument value, between options */
	RT_OPT_UNKNOWN,  /* arg is no option (letter: the unknown one of a bundle) */
	RT_OPT_MISSING,  /* opt needs a value and none is left */
	RT_OPT_UNWANTED, /* RT_OPT_GNU: the flag opt was given "=VALUE" */
};

struct rt_opts {
	/* what the last rt_opts_next() found */
	const struct rt_opt *opt;
	const char *value;
	const char *arg;    /* the argv element it was in */
	int at;             /* its index */
	char letter;
	int index;          /* the next argv element to read */
	bool dashdash;      /* RT_OPT_END: the options ended with "--" */
	/* private */
	int argc;
	char **argv;
	bool go;
	const struct rt_opt *table;
	size_t stride;
	void *longopts;
	char *shortopts;
};

/*
 * Reads the options of @argv (argv[0] is the command) with @table: an
 * array of structs @stride bytes apart, each starting with a struct
 * rt_opt, ended by a NULL name.  Options end at the first argument or
 * "--"; with @mixed, arguments between options come back as RT_OPT_ARG
 * (and options end only at "--").  @argv is never reordered.
 */
void rt_opts_init(struct rt_opts *p, const void *table, size_t stride, enum rt_opt_style style,
		  bool mixed, int argc, char **argv);
enum rt_opt_event rt_opts_next(struct rt_opts *p);
/* The option as written in arg, without "=VALUE" ("--bundle", "-a"). */
char *rt_opts_name(const struct rt_opts *p);
void rt_opts_clear(struct rt_opts *p);
typedef struct rt_opts rt_opts;
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(rt_opts, rt_opts_clear)

/* A flag's value as Go's strconv.ParseBool reads it: 1, t, T, TRUE,
 * true, True are 1; 0, f, F, FALSE, false, False are 0; else -1. */
int rt_opts_parse_bool(const char *v);

#endif
