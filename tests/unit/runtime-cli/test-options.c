/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* common/options.c: every form of both styles, every event, names never
 * abbreviated, argv never reordered, getopt silent, parsers run again
 * and again in one process (no root). */
#include "common/options.h"

#include <string.h>

static const struct rt_opt table[] = {
	{ "--memory", "-m", true },
	{ "--tty", "-t", false },
	{ "--interactive", "-i", false },
	{ "--name", NULL, true },
	{ "--cpu-share", "--cpu-shares", true },
	{ NULL, NULL, false },
};

/* The events of parsing "cmd" + @args, one line each:
 * "NAME=VALUE" (found; "NAME" for a flag without value), "arg:VALUE",
 * "unknown:ARG[:LETTER]", "missing:NAME", "unwanted:NAME", and last
 * "end:INDEX" ("end:INDEX:--" after "--"). */
static char *events(enum rt_opt_style style, bool mixed, const char *const *args)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GString) out = g_string_new(NULL);
	g_auto(rt_opts) r = { 0 };
	enum rt_opt_event ev;

	g_ptr_array_add(argv, "cmd");
	for (; *args; args++)
		g_ptr_array_add(argv, (char *)*args);
	g_autofree char **copy = g_memdup2(argv->pdata, argv->len * sizeof(char *));
	rt_opts_init(&r, table, sizeof table[0], style, mixed, (int)argv->len, (char **)argv->pdata);
	while ((ev = rt_opts_next(&r)) != RT_OPT_END) {
		if (ev == RT_OPT_FOUND)
			g_string_append_printf(out, "%s%s%s ", r.opt->name, r.value ? "=" : "",
					       r.value ? r.value : "");
		else if (ev == RT_OPT_ARG)
			g_string_append_printf(out, "arg:%s ", r.value);
		else if (ev == RT_OPT_UNKNOWN && r.letter)
			g_string_append_printf(out, "unknown:%s:%c ", r.arg, r.letter);
		else if (ev == RT_OPT_UNKNOWN)
			g_string_append_printf(out, "unknown:%s ", r.arg);
		else
			g_string_append_printf(out, "%s:%s ",
					       ev == RT_OPT_MISSING ? "missing" : "unwanted", r.opt->name);
		if (ev != RT_OPT_FOUND && ev != RT_OPT_ARG)
			break;
	}
	if (ev == RT_OPT_END)
		g_string_append_printf(out, "end:%d%s", r.index, r.dashdash ? ":--" : "");
	/* argv is never reordered */
	g_assert_cmpmem(copy, argv->len * sizeof(char *), argv->pdata, argv->len * sizeof(char *));
	return g_strdup(g_strchomp(out->str));
}

#define GNU(...) events(RT_OPT_GNU, false, (const char *const[]){ __VA_ARGS__, NULL })
#define GO(...) events(RT_OPT_GO, false, (const char *const[]){ __VA_ARGS__, NULL })
#define GO_MIXED(...) events(RT_OPT_GO, true, (const char *const[]){ __VA_ARGS__, NULL })

static void check(char *got, const char *want)
{
	g_assert_cmpstr(got, ==, want);
	g_free(got);
}

static void test_gnu(void)
{
	check(GNU("-it", "-m256m", "--name=a", "--name", "b", "-m", "1g", "sh", "-t"),
	      "--interactive --tty --memory=256m --name=a --name=b --memory=1g end:8");
	check(GNU("-tim", "5", "--cpu-shares=2", "--cpu-share", "3", "--", "-t"),
	      "--tty --interactive --memory=5 --cpu-share=2 --cpu-share=3 end:7:--");
	check(GNU("--memory=", "-m", "-1", "-", "x"), "--memory= --memory=-1 end:4");
	check(GNU("-m=1g", "sh"), "--memory==1g end:2"); /* as Docker's -m=1g is not */
	check(GNU("--"), "end:2:--");
	check(GNU(""), "end:1");
	check(GNU("--name", "--tty"), "--name=--tty end:3");
}

static void test_gnu_errors(void)
{
	check(GNU("--mem", "1g"), "unknown:--mem");          /* a prefix */
	check(GNU("--memory-s", "1g"), "unknown:--memory-s"); /* no prefix */
	check(GNU("--nam", "x"), "unknown:--nam");            /* unique prefix */
	check(GNU("--cpu-sh=1"), "unknown:--cpu-sh=1");
	check(GNU("--t"), "unknown:--t");                     /* a letter is no long name */
	check(GNU("--bogus=1", "-t"), "unknown:--bogus=1");
	check(GNU("-itz", "sh"), "--interactive --tty unknown:-itz:z");
	check(GNU("-x"), "unknown:-x:x");
	check(GNU("-tm"), "--tty missing:--memory");
	check(GNU("--name"), "missing:--name");
	check(GNU("--na"), "unknown:--na");                   /* a prefix, even at the end */
	check(GNU("--tty=1"), "unwanted:--tty");
	check(GNU("--ty=1"), "unknown:--ty=1");
	check(GNU("-memory"), "--memory=emory end:2");        /* a bundle, as Docker's */
}

static void test_go(void)
{
	check(GO("-tty", "--t", "-t=false", "--tty=1", "-m", "1", "-memory=2", "--m=3", "id", "-t"),
	      "--tty --tty --tty=false --tty=1 --memory=1 --memory=2 --memory=3 end:9");
	check(GO("-t", "false"), "--tty end:2");       /* a flag's value only after '=' */
	check(GO("-t=", "--", "-t"), "--tty= end:3:--");
	check(GO("-cpu-shares", "4", "--cpu-share=5"), "--cpu-share=4 --cpu-share=5 end:4");
	check(GO_MIXED("id", "-t", "--name", "n", "x", "-m=5", "--", "-t", "y"),
	      "arg:id --tty --name=n arg:x --memory=5 end:8:--");
	check(GO_MIXED("-", "a"), "arg:- arg:a end:3");
}

static void test_go_errors(void)
{
	check(GO("-it"), "unknown:-it");         /* no bundles */
	check(GO("-m5"), "unknown:-m5");
	check(GO("-mem", "1"), "unknown:-mem");  /* never a prefix */
	check(GO("--ta"), "unknown:--ta");
	check(GO("-x=1"), "unknown:-x=1");
	check(GO("-name"), "missing:--name");
	check(GO_MIXED("id", "--memory"), "arg:id missing:--memory");
	check(GO_MIXED("id", "-z"), "arg:id unknown:-z");
}

/* getopt's own messages never reach stderr */
static void test_silent(void)
{
	if (g_test_subprocess()) {
		g_free(GNU("--bogus"));
		g_free(GNU("-x"));
		g_free(GNU("--name"));
		g_free(GNU("--tty=1"));
		g_free(GNU("--mem"));
		g_free(GO("-bogus"));
		g_free(GO("-name"));
		return;
	}
	g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
	g_test_trap_assert_passed();
	g_test_trap_assert_stderr("");
}

static void test_name(void)
{
	static const struct rt_opt none[] = { { NULL, NULL, false } };
	char *argv[] = { "cmd", "--bundle=b=c", "-a", NULL };
	g_auto(rt_opts) r = { 0 };

	rt_opts_init(&r, none, sizeof none[0], RT_OPT_GO, false, 3, argv);
	g_assert_cmpint(rt_opts_next(&r), ==, RT_OPT_UNKNOWN);
	g_autofree char *name = rt_opts_name(&r);
	g_assert_cmpstr(name, ==, "--bundle");
	g_assert_cmpint(r.at, ==, 1);
}

static void test_parse_bool(void)
{
	static const char *const yes[] = { "1", "t", "T", "TRUE", "true", "True" };
	static const char *const no[] = { "0", "f", "F", "FALSE", "false", "False" };
	static const char *const bad[] = { "", "yes", "tRUE", "2", "on", "true ", "falsE" };

	for (size_t i = 0; i < G_N_ELEMENTS(yes); i++)
		g_assert_cmpint(rt_opts_parse_bool(yes[i]), ==, 1);
	for (size_t i = 0; i < G_N_ELEMENTS(no); i++)
		g_assert_cmpint(rt_opts_parse_bool(no[i]), ==, 0);
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
		g_assert_cmpint(rt_opts_parse_bool(bad[i]), ==, -1);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/options/gnu", test_gnu);
	g_test_add_func("/options/gnu-errors", test_gnu_errors);
	g_test_add_func("/options/go", test_go);
	g_test_add_func("/options/go-errors", test_go_errors);
	g_test_add_func("/options/silent", test_silent);
	g_test_add_func("/options/name", test_name);
	g_test_add_func("/options/parse-bool", test_parse_bool);
	return g_test_run();
}
