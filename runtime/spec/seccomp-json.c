/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Seccomp profiles in JSON: the OCI runtime spec's linux.seccomp object and
 * Docker's profile files (the same object plus archMap and per-rule
 * includes/excludes of capabilities and architectures).  Unknown fields are
 * ignored; a wrong type or value is an error naming its JSON path
 * ("syscalls[3].action: unknown action 'SCMP_ACT_FOO'").
 */
#include "runtime/spec/seccomp-json.h"
#include "runtime/spec/cap-names.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static bool bad(GError **err, const char *path, const char *what)
{
	g_set_error(err, RT_ERROR, RT_ERROR_USAGE, "%s: %s", path, what);
	return false;
}

static const struct {
	const char *name;
	enum rt_seccomp_action action;
} actions[] = {
	{ "SCMP_ACT_ALLOW", RT_SECCOMP_ALLOW },
	{ "SCMP_ACT_ERRNO", RT_SECCOMP_ERRNO },
	{ "SCMP_ACT_KILL", RT_SECCOMP_KILL },
	{ "SCMP_ACT_KILL_THREAD", RT_SECCOMP_KILL },
	{ "SCMP_ACT_KILL_PROCESS", RT_SECCOMP_KILL_PROCESS },
	{ "SCMP_ACT_TRAP", RT_SECCOMP_TRAP },
	{ "SCMP_ACT_TRACE", RT_SECCOMP_TRACE },
	{ "SCMP_ACT_LOG", RT_SECCOMP_LOG },
};

static const struct {
	const char *name;
	enum rt_seccomp_op op;
} ops[] = {
	{ "SCMP_CMP_NE", RT_OP_NE }, { "SCMP_CMP_LT", RT_OP_LT },
	{ "SCMP_CMP_LE", RT_OP_LE }, { "SCMP_CMP_EQ", RT_OP_EQ },
	{ "SCMP_CMP_GE", RT_OP_GE }, { "SCMP_CMP_GT", RT_OP_GT },
	{ "SCMP_CMP_MASKED_EQ", RT_OP_MASKED_EQ },
};

/* The member @name of @obj when of @type, else the error @expected; NULL
 * (and true) when absent or null. */
static bool get_typed(const struct rj_value *obj, const char *name, const char *path,
		      enum rj_type type, const char *expected, const struct rj_value **out,
		      GError **err)
{
	const struct rj_value *n = rj_get(obj, name);

	*out = NULL;
	if (!n || n->type == RJ_NULL)
		return true;
	if (n->type != type) {
		g_autofree char *p = g_strdup_printf("%s.%s", path, name);
		return bad(err, p, expected);
	}
	*out = n;
	return true;
}

/* The member @name of @obj as a string; NULL (and true) when absent. */
static bool get_string(const struct rj_value *obj, const char *name, const char *path,
		       const char **out, GError **err)
{
	const struct rj_value *n;
	bool ok = get_typed(obj, name, path, RJ_STRING, "expected string", &n, err);

	*out = n ? n->string : NULL; /* n is NULL on error */
	return ok;
}

/* The member @name as an unsigned integer; @found false when absent. */
static bool get_uint(const struct rj_value *obj, const char *name, const char *path,
		     uint64_t *out, bool *found, GError **err)
{
	const struct rj_value *n = rj_get(obj, name);

	*found = n && n->type != RJ_NULL;
	if (!*found)
		return true;
	if (n->type != RJ_NUMBER || !n->is_uint) {
		g_autofree char *p = g_strdup_printf("%s.%s", path, name);
		return bad(err, p, "expected a non-negative integer");
	}
	*out = n->uinteger;
	return true;
}

/* The member @name as an array (NULL and true when absent). */
static bool get_array(const struct rj_value *obj, const char *name, const char *path,
		      const struct rj_value **out, GError **err)
{
	return get_typed(obj, name, path, RJ_ARRAY, "expected array", out, err);
}

/* An array of strings as a NULL-terminated vector (NULL when absent). */
static bool get_strv(const struct rj_value *obj, const char *name, const char *path,
		     char ***out, GError **err)
{
	const struct rj_value *a;
	g_autoptr(GPtrArray) v = g_ptr_array_new_with_free_func(g_free);

	*out = NULL;
	if (!get_array(obj, name, path, &a, err))
		return false;
	if (!a)
		return true;
	for (size_t i = 0; i < a->n; i++) {
		if (a->items[i].type != RJ_STRING) {
			g_autofree char *p = g_strdup_printf("%s.%s[%zu]", path, name, i);
			return bad(err, p, "expected string");
		}
		g_ptr_array_add(v, g_strdup(a->items[i].string));
	}
	g_ptr_array_add(v, NULL);
	*out = (char **)g_ptr_array_free(g_steal_pointer(&v), FALSE);
	return true;
}

static bool parse_action(const struct rj_value *obj, const char *name, const char *path,
			 enum rt_seccomp_action *out, bool required, GError **err)
{
	const char *s;
	g_autofree char *p = g_strdup_printf("%s.%s", path, name);

	if (!get_string(obj, name, path, &s, err))
		return false;
	if (!s)
		return required ? bad(err, p, "missing") : true;
	for (size_t i = 0; i < G_N_ELEMENTS(actions); i++) {
		if (!strcmp(s, actions[i].name)) {
			*out = actions[i].action;
			return true;
		}
	}
	g_set_error(err, RT_ERROR, RT_ERROR_USAGE, "%s: unknown action '%s'", p, s);
	return false;
}

static bool parse_arg(const struct rj_value *n, const char *path, struct rt_seccomp_arg *a,
		      GError **err)
{
	const struct rj_value *o = n->type == RJ_OBJECT ? n : NULL;
	uint64_t index = 0;
	bool found = false, f2 = false;
	const char *op = NULL;

	if (!o)
		return bad(err, path, "expected object");
	if (!get_uint(o, "index", path, &index, &found, err) ||
	    !get_uint(o, "value", path, &a->value, &f2, err) ||
	    !get_uint(o, "valueTwo", path, &a->value_two, &f2, err) ||
	    !get_string(o, "op", path, &op, err))
		return false;
	if (!found || index > 5)
		return bad(err, path, "index: expected 0..5");
	a->index = (unsigned)index;
	for (size_t i = 0; op && i < G_N_ELEMENTS(ops); i++) {
		if (!strcmp(op, ops[i].name)) {
			a->op = ops[i].op;
			return true;
		}
	}
	g_set_error(err, RT_ERROR, RT_ERROR_USAGE, "%s.op: unknown operator '%s'", path,
		    op ? op : "(missing)");
	return false;
}

static bool parse_args(const struct rj_value *o, const char *path, GArray **out, GError **err)
{
	const struct rj_value *a;

	*out = NULL;
	if (!get_array(o, "args", path, &a, err))
		return false;
	if (!a || a->n == 0)
		return true;
	*out = g_array_new(FALSE, TRUE, sizeof(struct rt_seccomp_arg));
	for (size_t i = 0; i < a->n; i++) {
		struct rt_seccomp_arg arg = { 0 };
		g_autofree char *p = g_strdup_printf("%s.args[%zu]", path, i);

		if (!parse_arg(&a->items[i], p, &arg, err))
			return false;
		g_array_append_val(*out, arg);
	}
	return true;
}

/* Docker's arch names in includes/excludes ("amd64", "arm64", ...). */
static bool arch_is_native(const char *arch)
{
#if defined(__x86_64__)
	return !strcmp(arch, "amd64") || !strcmp(arch, "x86_64") || !strcmp(arch, "SCMP_ARCH_X86_64");
#elif defined(__aarch64__)
	return !strcmp(arch, "arm64") || !strcmp(arch, "aarch64") || !strcmp(arch, "SCMP_ARCH_AARCH64");
#else
	(void)arch;
	return false;
#endif
}

static bool caps_hold(char **caps, const struct rt_caps *have, bool all)
{
	for (char **c = caps; c && *c; c++) {
		int n = rt_cap_from_name(*c);
		bool held = n >= 0 && have && (have->bounding >> n & 1);

		if (all && !held)
			return false;
		if (!all && held)
			return true;
	}
	return all;
}

static bool arch_listed(char **arches)
{
	for (char **a = arches; a && *a; a++) {
		if (arch_is_native(*a))
			return true;
	}
	return false;
}

/* Docker's includes/excludes: does the rule apply to this container? */
static bool rule_applies(const struct rj_value *o, const char *path, const struct rt_caps *caps,
			 bool *applies, GError **err)
{
	static const char *const keys[] = { "includes", "excludes" };

	*applies = true;
	for (int k = 0; k < 2 && *applies; k++) {
		const struct rj_value *n = rj_get(o, keys[k]);
		g_autofree char *p = g_strdup_printf("%s.%s", path, keys[k]);
		g_auto(GStrv) c = NULL, a = NULL;

		if (!n || n->type == RJ_NULL)
			continue;
		if (n->type != RJ_OBJECT)
			return bad(err, p, "expected object");
		if (!get_strv(n, "caps", p, &c, err) || !get_strv(n, "arches", p, &a, err))
			return false;
		if (k == 0) /* all its caps held, and the native arch listed */
			*applies = caps_hold(c, caps, true) && (!a || arch_listed(a));
		else /* none of its caps held, the native arch not listed */
			*applies = !(c && caps_hold(c, caps, false)) && !(a && arch_listed(a));
	}
	return true;
}

static void rule_clear(struct rt_seccomp_rule *r)
{
	g_strfreev(r->names);
	if (r->args)
		g_array_unref(r->args);
}

static bool parse_names(const struct rj_value *o, const char *path, char ***names, GError **err)
{
	const char *one;

	if (!get_strv(o, "names", path, names, err) || !get_string(o, "name", path, &one, err))
		return false;
	if (!*names && one) {
		*names = g_new0(char *, 2);
		(*names)[0] = g_strdup(one);
	}
	if (!*names || !**names)
		return bad(err, path, "names: expected at least one syscall name");
	return true;
}

static bool parse_rule(const struct rj_value *n, const char *path, const struct rt_caps *caps,
		       struct rt_seccomp *s, GError **err)
{
	const struct rj_value *o = n->type == RJ_OBJECT ? n : NULL;
	struct rt_seccomp_rule r = { .errno_ret = EPERM };
	uint64_t eno = 0;
	bool found = false, applies = true;

	if (!o)
		return bad(err, path, "expected object");
	if (!rule_applies(o, path, caps, &applies, err))
		return false;
	if (!applies)
		return true;
	if (!parse_names(o, path, &r.names, err) ||
	    !parse_action(o, "action", path, &r.action, true, err) ||
	    !get_uint(o, "errnoRet", path, &eno, &found, err) || !parse_args(o, path, &r.args, err)) {
		rule_clear(&r);
		return false;
	}
	if (found)
		r.errno_ret = (int)eno;
	g_array_append_val(s->rules, r);
	return true;
}

/* Architectures: the OCI list, else Docker's archMap entries for the
 * native architecture (with their sub-architectures). */
static bool parse_arches(const struct rj_value *o, struct rt_seccomp *s, GError **err)
{
	const struct rj_value *map;
	g_autoptr(GPtrArray) v = NULL;

	if (!get_strv(o, "architectures", "linux.seccomp", &s->architectures, err) ||
	    !get_array(o, "archMap", "linux.seccomp", &map, err))
		return false;
	if (s->architectures || !map)
		return true;
	v = g_ptr_array_new_with_free_func(g_free);
	for (size_t i = 0; i < map->n; i++) {
		const struct rj_value *n = &map->items[i];
		g_autofree char *p = g_strdup_printf("archMap[%zu]", i);
		const char *arch = NULL;
		g_auto(GStrv) subs = NULL;

		if (n->type != RJ_OBJECT)
			return bad(err, p, "expected object");
		if (!get_string(n, "architecture", p, &arch, err) ||
		    !get_strv(n, "subArchitectures", p, &subs, err))
			return false;
		if (!arch || !arch_is_native(arch))
			continue;
		g_ptr_array_add(v, g_strdup(arch));
		for (char **sa = subs; sa && *sa; sa++)
			g_ptr_array_add(v, g_strdup(*sa));
	}
	g_ptr_array_add(v, NULL);
	s->architectures = (char **)g_ptr_array_free(g_steal_pointer(&v), FALSE);
	return true;
}

struct rt_seccomp *rt_seccomp_from_json(const struct rj_value *node, const struct rt_caps *caps,
					GError **err)
{
	g_autoptr(rt_seccomp) s = g_new0(struct rt_seccomp, 1);
	const struct rj_value *o = node->type == RJ_OBJECT ? node : NULL;
	const struct rj_value *rules;
	uint64_t eno = 0;
	bool found = false;

	s->rules = g_array_new(FALSE, TRUE, sizeof(struct rt_seccomp_rule));
	s->default_errno = EPERM;
	if (!o) {
		bad(err, "linux.seccomp", "expected object");
		return NULL;
	}
	if (!parse_action(o, "defaultAction", "linux.seccomp", &s->default_action, true, err) ||
	    !get_uint(o, "defaultErrnoRet", "linux.seccomp", &eno, &found, err) ||
	    !parse_arches(o, s, err) || !get_array(o, "syscalls", "linux.seccomp", &rules, err))
		return NULL;
	if (found)
		s->default_errno = (int)eno;
	for (size_t i = 0; rules && i < rules->n; i++) {
		g_autofree char *p = g_strdup_printf("syscalls[%zu]", i);

		if (!parse_rule(&rules->items[i], p, caps, s, err))
			return NULL;
	}
	return g_steal_pointer(&s);
}

/* Docker's and podman's default profiles are about 16 KiB; 1 MiB is 60 times that. */
#define PROFILE_MAX (1 << 20)

struct rt_seccomp *rt_seccomp_from_file(const char *path, const struct rt_caps *caps,
					GError **err)
{
	size_t len = 0;
	g_autofree char *text = rt_read_file(path, PROFILE_MAX, &len, err);
	g_autoptr(rj_value) root = NULL;
	GError *e = NULL;
	struct rt_seccomp *s = NULL;

	if (!text) {
		g_prefix_error(err, "seccomp profile ");
		return NULL;
	}
	root = rj_parse(text, len, &e);
	if (root)
		s = rt_seccomp_from_json(root, caps, &e);
	if (!s) {
		g_set_error(err, RT_ERROR, RT_ERROR_USAGE, "seccomp profile %s: %s", path,
			    e->message);
		g_error_free(e);
	}
	return s;
}
