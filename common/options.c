/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The option parser of common/options.h: the table becomes getopt_long's
 * long options (val = LONG_VAL + the entry's index) and, in RT_OPT_GNU,
 * a short option string of the one-letter aliases; getopt's return codes
 * become events.  The optstring starts with '+' (stop at the first
 * argument) or '-' (arguments come back in order), then ':' (a missing
 * value is ':', not '?').
 */
#include "common/options.h"

#include <getopt.h>
#include <string.h>

#define LONG_VAL 256

static const struct rt_opt *entry(const struct rt_opts *p, size_t i)
{
	return (const struct rt_opt *)(const void *)((const char *)p->table + i * p->stride);
}

/* "-m": a short option in RT_OPT_GNU */
static bool is_letter(const char *name)
{
	return name && name[0] == '-' && name[1] && name[1] != '-' && !name[2];
}

static void add_name(struct rt_opts *p, GArray *longs, GString *shorts, const char *name,
		     size_t i)
{
	const struct rt_opt *o = entry(p, i);
	struct option lo = { name + strspn(name, "-"), no_argument, NULL, LONG_VAL + (int)i };

	if (!p->go && is_letter(name)) {
		g_string_append_c(shorts, name[1]);
		if (o->has_value)
			g_string_append_c(shorts, ':');
		return;
	}
	if (o->has_value)
		lo.has_arg = required_argument;
	else if (p->go)
		lo.has_arg = optional_argument; /* --flag=false, never --flag false */
	g_array_append_val(longs, lo);
}

void rt_opts_init(struct rt_opts *p, const void *table, size_t stride, enum rt_opt_style style,
		  bool mixed, int argc, char **argv)
{
	GArray *longs = g_array_new(true, true, sizeof(struct option));
	GString *shorts = g_string_new(mixed ? "-:" : "+:");

	*p = (struct rt_opts){ .argc = argc, .argv = argv, .go = style == RT_OPT_GO,
			       .table = table, .stride = stride, .index = 1 };
	for (size_t i = 0; entry(p, i)->name; i++) {
		add_name(p, longs, shorts, entry(p, i)->name, i);
		if (entry(p, i)->alias)
			add_name(p, longs, shorts, entry(p, i)->alias, i);
	}
	p->longopts = g_array_free(longs, false);
	p->shortopts = g_string_free(shorts, false);
	optind = 0; /* glibc: start again, with the new optstring */
	opterr = 0;
}

void rt_opts_clear(struct rt_opts *p)
{
	g_clear_pointer(&p->longopts, g_free);
	g_clear_pointer(&p->shortopts, g_free);
}

char *rt_opts_name(const struct rt_opts *p)
{
	return g_strndup(p->arg, strcspn(p->arg, "="));
}

/* The entry of getopt's code (LONG_VAL + index, or a letter). */
static const struct rt_opt *lookup(const struct rt_opts *p, int code)
{
	if (code >= LONG_VAL)
		return entry(p, (size_t)(code - LONG_VAL));
	for (size_t i = 0; entry(p, i)->name; i++) {
		const char *alias = entry(p, i)->alias;
		if (is_letter(alias) && alias[1] == code)
			return entry(p, i);
	}
	return NULL;
}

static bool same_name(const struct rt_opts *p, const char *name, const char *written, size_t len)
{
	size_t dashes = written[1] == '-' ? 2 : 1;

	if (!name)
		return false;
	if (p->go) { /* -name and --name alike */
		name += strspn(name, "-");
		written += dashes;
		len -= dashes;
	}
	return strlen(name) == len && !strncmp(name, written, len);
}

/* getopt takes an unambiguous prefix ("--mem" for "--memory"); corral
 * (like Docker and runc) does not. */
static bool exact(const struct rt_opts *p, const struct rt_opt *o)
{
	size_t len = strcspn(p->arg, "=");

	return same_name(p, o->name, p->arg, len) || same_name(p, o->alias, p->arg, len);
}

/* What getopt's @code says about the option at p->at. */
static enum rt_opt_event event(struct rt_opts *p, int code)
{
	int opt = code == ':' || code == '?' ? optopt : code;

	p->opt = opt > 0 ? lookup(p, opt) : NULL;
	if (opt >= LONG_VAL && !exact(p, p->opt)) {
		p->opt = NULL;
		return RT_OPT_UNKNOWN;
	}
	if (code == ':')
		return RT_OPT_MISSING;
	if (code == '?' && p->opt)
		return RT_OPT_UNWANTED; /* getopt's "doesn't allow an argument" */
	if (code == '?') {
		p->letter = opt > 0 && opt < LONG_VAL && !p->go ? (char)opt : 0;
		return RT_OPT_UNKNOWN;
	}
	p->value = optarg;
	return RT_OPT_FOUND;
}

enum rt_opt_event rt_opts_next(struct rt_opts *p)
{
	int code;

	/* getopt is at argv[optind] (or still inside a bundle there) */
	p->at = optind > 0 ? optind : 1;
	p->arg = p->at < p->argc ? p->argv[p->at] : NULL;
	p->opt = NULL;
	p->value = NULL;
	p->letter = 0;
	code = p->go ? getopt_long_only(p->argc, p->argv, p->shortopts, p->longopts, NULL)
		     : getopt_long(p->argc, p->argv, p->shortopts, p->longopts, NULL);
	p->index = optind;
	if (code == -1) {
		p->dashdash = p->arg && optind == p->at + 1 && !strcmp(p->arg, "--");
		return RT_OPT_END;
	}
	if (code == 1) {
		p->value = optarg;
		return RT_OPT_ARG;
	}
	return event(p, code);
}

int rt_opts_parse_bool(const char *v)
{
	static const char *const yes[] = { "1", "t", "T", "TRUE", "true", "True", NULL };
	static const char *const no[] = { "0", "f", "F", "FALSE", "false", "False", NULL };

	if (g_strv_contains(yes, v))
		return 1;
	return g_strv_contains(no, v) ? 0 : -1;
}
