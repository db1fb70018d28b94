/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * OCI config.json into struct rt_spec; see bundle.h.  Each part of the config
 * has its own small parser taking the object and its JSON path; the typed
 * getters below name the path in every error.  A JSON null counts as an
 * absent member.
 */
#include "runtime/spec/bundle.h"
#include "runtime/spec/cap-names.h"
#include "common/json.h"
#include "runtime/spec/seccomp-json.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

typedef const struct rj_value node;

/* ------------------------------------------------------------ getters */

static bool fail(GError **err, const char *path, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static bool fail(GError **err, const char *path, const char *fmt, ...)
{
	va_list ap;
	g_autofree char *what = NULL;

	va_start(ap, fmt);
	what = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(err, RT_ERROR, RT_ERROR_USAGE, "%s: %s", path, what);
	return false;
}

static char *join(const char *path, const char *key)
{
	return *path ? g_strdup_printf("%s.%s", path, key) : g_strdup(key);
}

static char *join_index(const char *path, size_t i)
{
	return g_strdup_printf("%s[%zu]", path, i);
}

/* The member @key of @obj; NULL when absent or null. */
static node *member(node *obj, const char *key)
{
	node *n = rj_get(obj, key);

	return n && n->type != RJ_NULL ? n : NULL;
}

static bool need(node *obj, const char *path, const char *key, GError **err)
{
	g_autofree char *p = NULL;

	if (member(obj, key))
		return true;
	p = join(path, key);
	return fail(err, p, "missing");
}

/* The member @key if it has type @t; NULL (and true) when absent. */
static bool get_typed(node *obj, const char *path, const char *key, enum rj_type t, node **out,
		      GError **err)
{
	g_autofree char *p = NULL;

	*out = member(obj, key);
	if (!*out || (*out)->type == t)
		return true;
	p = join(path, key);
	*out = NULL;
	return fail(err, p, "expected %s", rj_type_name(t));
}

/* Scalar getters: *out is left alone when the member is absent. */
static bool get_str(node *obj, const char *path, const char *key, char **out, GError **err)
{
	node *n;

	if (!get_typed(obj, path, key, RJ_STRING, &n, err))
		return false;
	if (n) {
		g_free(*out);
		*out = g_strdup(n->string);
	}
	return true;
}

static bool get_bool(node *obj, const char *path, const char *key, bool *out, GError **err)
{
	node *n;

	if (!get_typed(obj, path, key, RJ_BOOL, &n, err))
		return false;
	if (n)
		*out = n->boolean;
	return true;
}

static bool get_i64(node *obj, const char *path, const char *key, int64_t *out, GError **err)
{
	node *n = member(obj, key);
	g_autofree char *p = NULL;

	if (!n)
		return true;
	if (n->type == RJ_NUMBER && n->is_int) {
		*out = n->integer;
		return true;
	}
	p = join(path, key);
	return fail(err, p, "expected integer");
}

/* An unsigned integer no larger than @max. */
static bool get_u64(node *obj, const char *path, const char *key, uint64_t max, uint64_t *out,
		    GError **err)
{
	node *n = member(obj, key);
	g_autofree char *p = NULL;

	if (!n)
		return true;
	if (n->type == RJ_NUMBER && n->is_uint && n->uinteger <= max) {
		*out = n->uinteger;
		return true;
	}
	p = join(path, key);
	if (n->type == RJ_NUMBER && n->is_uint)
		return fail(err, p, "out of range (at most %" G_GUINT64_FORMAT ")", max);
	return fail(err, p, "expected non-negative integer");
}

static bool get_u32(node *obj, const char *path, const char *key, uint32_t *out, GError **err)
{
	uint64_t v = *out;

	if (!get_u64(obj, path, key, UINT32_MAX, &v, err))
		return false;
	*out = (uint32_t)v;
	return true;
}

/* An array of strings as a NULL-terminated vector (left alone when absent). */
static bool get_strv(node *obj, const char *path, const char *key, char ***out, GError **err)
{
	node *a = member(obj, key);
	g_autofree char *p = NULL;
	g_autoptr(GPtrArray) v = g_ptr_array_new_with_free_func(g_free);

	if (!a)
		return true;
	for (size_t i = 0; a->type == RJ_ARRAY && i < a->n && a->items[i].type == RJ_STRING; i++)
		g_ptr_array_add(v, g_strdup(a->items[i].string));
	if (a->type != RJ_ARRAY || v->len != a->n) {
		p = join(path, key);
		return fail(err, p, "expected array of strings");
	}
	g_ptr_array_add(v, NULL);
	g_strfreev(*out);
	*out = (char **)g_ptr_array_free(g_steal_pointer(&v), FALSE);
	return true;
}

/* Every member of an object is a string; else the first that is not, named
 * under path, is the error. */
static bool all_strings(node *o, const char *path, GError **err)
{
	for (size_t i = 0; i < o->n; i++) {
		const struct rj_member *m = &o->members[i];

		if (m->value.type != RJ_STRING) {
			g_autofree char *kp = join(path, m->key);
			return fail(err, kp, "expected string");
		}
	}
	return true;
}

/* An object of strings as a table (left alone when absent). */
static bool get_strmap(node *obj, const char *path, const char *key, GHashTable **out,
		       GError **err)
{
	node *o;
	g_autofree char *p = join(path, key);
	g_autoptr(GHashTable) t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

	if (!get_typed(obj, path, key, RJ_OBJECT, &o, err))
		return false;
	if (!o)
		return true;
	if (!all_strings(o, p, err))
		return false;
	for (size_t i = 0; i < o->n; i++)
		g_hash_table_insert(t, g_strdup(o->members[i].key),
				    g_strdup(o->members[i].value.string));
	if (*out)
		g_hash_table_unref(*out);
	*out = g_steal_pointer(&t);
	return true;
}

static bool is_absolute(const char *s)
{
	return s && s[0] == '/';
}

/* The member @key as a required absolute path. */
static bool get_abs_path(node *obj, const char *path, const char *key, char **out, GError **err)
{
	g_autofree char *p = NULL;

	if (!need(obj, path, key, err) || !get_str(obj, path, key, out, err))
		return false;
	if (is_absolute(*out))
		return true;
	p = join(path, key);
	return fail(err, p, "expected absolute path, got '%s'", *out);
}

/* Each item of the array @key with @one(item, its path, @data). */
typedef bool (*item_fn)(node *item, const char *path, void *data, GError **err);

static bool each_item(node *obj, const char *path, const char *key, item_fn one, void *data,
		      GError **err)
{
	node *a;
	g_autofree char *p = join(path, key);

	if (!get_typed(obj, path, key, RJ_ARRAY, &a, err))
		return false;
	for (size_t i = 0; a && i < a->n; i++) {
		g_autofree char *ip = join_index(p, i);

		if (a->items[i].type != RJ_OBJECT)
			return fail(err, ip, "expected object");
		if (!one(&a->items[i], ip, data, err))
			return false;
	}
	return true;
}

/* ------------------------------------------------------------ process */

static const struct {
	const char *key;
	size_t offset;
} cap_sets[] = {
	{ "bounding", offsetof(struct rt_caps, bounding) },
	{ "effective", offsetof(struct rt_caps, effective) },
	{ "inheritable", offsetof(struct rt_caps, inheritable) },
	{ "permitted", offsetof(struct rt_caps, permitted) },
	{ "ambient", offsetof(struct rt_caps, ambient) },
};

static bool parse_cap_set(node *obj, const char *path, const char *key, uint64_t *set,
			  GError **err)
{
	g_auto(GStrv) names = NULL;

	if (!get_strv(obj, path, key, &names, err))
		return false;
	for (size_t i = 0; names && names[i]; i++) {
		int cap = rt_cap_from_name(names[i]);

		if (cap < 0 || cap >= 64) {
			g_autofree char *p = g_strdup_printf("%s.%s[%zu]", path, key, i);
			return fail(err, p, "unknown capability '%s'", names[i]);
		}
		*set |= UINT64_C(1) << cap;
	}
	return true;
}

static bool parse_caps(node *proc, const char *path, struct rt_caps *caps, GError **err)
{
	g_autofree char *cp = join(path, "capabilities");
	node *o;

	if (!get_typed(proc, path, "capabilities", RJ_OBJECT, &o, err))
		return false;
	for (size_t i = 0; o && i < G_N_ELEMENTS(cap_sets); i++) {
		uint64_t *set = (uint64_t *)((char *)caps + cap_sets[i].offset);

		if (!parse_cap_set(o, cp, cap_sets[i].key, set, err))
			return false;
	}
	return true;
}

static bool parse_gids(node *user, const char *path, GArray **out, GError **err)
{
	node *a;
	g_autofree char *p = join(path, "additionalGids");

	if (!get_typed(user, path, "additionalGids", RJ_ARRAY, &a, err))
		return false;
	if (!a)
		return true;
	*out = g_array_new(FALSE, FALSE, sizeof(gid_t));
	for (size_t i = 0; i < a->n; i++) {
		gid_t g;

		if (a->items[i].type != RJ_NUMBER || !a->items[i].is_uint ||
		    a->items[i].uinteger > UINT32_MAX)
			return fail(err, p, "expected array of non-negative integers");
		g = (gid_t)a->items[i].uinteger;
		g_array_append_val(*out, g);
	}
	return true;
}

/* process.user; a process.json may leave it out (uid 0, gid 0), as runc
 * allows: @required is false there. */
static bool parse_user(node *proc, const char *ppath, bool required, struct rt_spec *s,
		       GError **err)
{
	g_autofree char *path = join(ppath, "user");
	node *u;
	uint32_t uid = 0, gid = 0;

	if ((required && !need(proc, ppath, "user", err)) ||
	    !get_typed(proc, ppath, "user", RJ_OBJECT, &u, err))
		return false;
	if (!u)
		return true;
	if (!need(u, path, "uid", err) || !need(u, path, "gid", err) ||
	    !get_u32(u, path, "uid", &uid, err) || !get_u32(u, path, "gid", &gid, err) ||
	    !parse_gids(u, path, &s->process.user.additional_gids, err))
		return false;
	s->process.user.uid = uid;
	s->process.user.gid = gid;
	s->has_umask = member(u, "umask") != NULL;
	return get_u32(u, path, "umask", &s->umask, err);
}

static const struct {
	const char *name;
	int resource;
} rlimit_names[] = {
	{ "RLIMIT_AS", RLIMIT_AS }, { "RLIMIT_CORE", RLIMIT_CORE },
	{ "RLIMIT_CPU", RLIMIT_CPU }, { "RLIMIT_DATA", RLIMIT_DATA },
	{ "RLIMIT_FSIZE", RLIMIT_FSIZE }, { "RLIMIT_LOCKS", RLIMIT_LOCKS },
	{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK }, { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
	{ "RLIMIT_NICE", RLIMIT_NICE }, { "RLIMIT_NOFILE", RLIMIT_NOFILE },
	{ "RLIMIT_NPROC", RLIMIT_NPROC }, { "RLIMIT_RSS", RLIMIT_RSS },
	{ "RLIMIT_RTPRIO", RLIMIT_RTPRIO }, { "RLIMIT_RTTIME", RLIMIT_RTTIME },
	{ "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING }, { "RLIMIT_STACK", RLIMIT_STACK },
};

static int rlimit_from_name(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(rlimit_names); i++) {
		if (!strcmp(name, rlimit_names[i].name))
			return rlimit_names[i].resource;
	}
	return -1;
}

static bool parse_rlimit(node *o, const char *path, void *data, GError **err)
{
	GArray *out = data;
	g_autofree char *type = NULL, *tp = join(path, "type");
	struct rt_rlimit r = { 0 };

	if (!need(o, path, "type", err) || !need(o, path, "soft", err) ||
	    !need(o, path, "hard", err) || !get_str(o, path, "type", &type, err) ||
	    !get_u64(o, path, "soft", UINT64_MAX, &r.soft, err) ||
	    !get_u64(o, path, "hard", UINT64_MAX, &r.hard, err))
		return false;
	r.resource = rlimit_from_name(type);
	if (r.resource < 0)
		return fail(err, tp, "unknown rlimit '%s'", type);
	for (guint i = 0; i < out->len; i++) {
		if (g_array_index(out, struct rt_rlimit, i).resource == r.resource)
			return fail(err, tp, "duplicate rlimit '%s'", type);
	}
	g_array_append_val(out, r);
	return true;
}

static bool parse_args(node *proc, const char *path, struct rt_process *p, GError **err)
{
	g_autofree char *ap = join(path, "args");

	if (!need(proc, path, "args", err) || !get_strv(proc, path, "args", &p->args, err))
		return false;
	if (!p->args[0])
		return fail(err, ap, "expected at least one argument");
	return true;
}

/* process.consoleSize: height and width, both required when it is given. */
static bool parse_console_size(node *proc, const char *path, struct rt_process *p, GError **err)
{
	g_autofree char *sp = join(path, "consoleSize");
	uint32_t h = 0, w = 0;
	node *size;

	if (!get_typed(proc, path, "consoleSize", RJ_OBJECT, &size, err))
		return false;
	if (!size)
		return true;
	if (!need(size, sp, "height", err) || !need(size, sp, "width", err) ||
	    !get_u32(size, sp, "height", &h, err) || !get_u32(size, sp, "width", &w, err))
		return false;
	p->console_size.height = h;
	p->console_size.width = w;
	return true;
}

/* The process object @proc at @path ("process" in a config.json, "" for
 * a process.json) into s->process (and s->umask). */
static bool parse_process_object(node *proc, const char *path, bool user_required,
				 struct rt_spec *s, GError **err)
{
	struct rt_process *p = &s->process;

	p->rlimits = g_array_new(FALSE, FALSE, sizeof(struct rt_rlimit));
	return get_bool(proc, path, "terminal", &p->terminal, err) &&
	       parse_console_size(proc, path, p, err) &&
	       parse_user(proc, path, user_required, s, err) && parse_args(proc, path, p, err) &&
	       get_strv(proc, path, "env", &p->env, err) &&
	       get_abs_path(proc, path, "cwd", &p->cwd, err) && parse_caps(proc, path, &p->caps, err) &&
	       each_item(proc, path, "rlimits", parse_rlimit, p->rlimits, err) &&
	       get_bool(proc, path, "noNewPrivileges", &p->no_new_privileges, err);
}

static bool parse_process(node *root, struct rt_spec *s, GError **err)
{
	node *proc;

	if (!need(root, "", "process", err) ||
	    !get_typed(root, "", "process", RJ_OBJECT, &proc, err))
		return false;
	return parse_process_object(proc, "process", true, s, err);
}

/* ------------------------------------------------- root, mounts, hooks */

/* @bundle_dir (NULL: the working directory) as an absolute path. */
static char *absolute_bundle(const char *bundle_dir)
{
	return g_canonicalize_filename(bundle_dir ? bundle_dir : ".", NULL);
}

static bool parse_root(node *top, const char *bundle_dir, struct rt_spec *s, GError **err)
{
	node *root;
	g_autofree char *path = NULL, *bundle = NULL;

	if (!need(top, "", "root", err) || !get_typed(top, "", "root", RJ_OBJECT, &root, err) ||
	    !need(root, "root", "path", err) || !get_str(root, "root", "path", &path, err) ||
	    !get_bool(root, "root", "readonly", &s->root.readonly, err))
		return false;
	if (!*path)
		return fail(err, "root.path", "expected non-empty path");
	bundle = absolute_bundle(bundle_dir);
	s->root.path = g_canonicalize_filename(path, bundle);
	return true;
}

static bool parse_mount(node *o, const char *path, void *data, GError **err)
{
	struct rt_spec *s = data;
	struct rt_mount m = { 0 }, *mp;

	g_array_append_val(s->mounts, m); /* the spec owns it from here */
	mp = &g_array_index(s->mounts, struct rt_mount, s->mounts->len - 1);

	return get_abs_path(o, path, "destination", &mp->destination, err) &&
	       get_str(o, path, "type", &mp->type, err) &&
	       get_str(o, path, "source", &mp->source, err) &&
	       get_strv(o, path, "options", &mp->options, err);
}

static void hook_free(gpointer p)
{
	struct rt_hook *h = p;

	g_free(h->path);
	g_strfreev(h->args);
	g_strfreev(h->env);
	g_free(h);
}

static bool parse_hook(node *o, const char *path, void *data, GError **err)
{
	struct rt_hook *h = g_new0(struct rt_hook, 1);
	g_autofree char *tp = join(path, "timeout");

	g_ptr_array_add(data, h);
	if (!get_abs_path(o, path, "path", &h->path, err) ||
	    !get_strv(o, path, "args", &h->args, err) || !get_strv(o, path, "env", &h->env, err) ||
	    !get_i64(o, path, "timeout", &h->timeout, err))
		return false;
	if (member(o, "timeout") && h->timeout <= 0)
		return fail(err, tp, "expected positive integer");
	return true;
}

static bool parse_hooks(node *top, struct rt_spec *s, GError **err)
{
	node *o;

	if (!get_typed(top, "", "hooks", RJ_OBJECT, &o, err))
		return false;
	for (int i = 0; o && i < RT_HOOK_N; i++) {
		if (!member(o, rt_hook_stage_name(i)))
			continue;
		s->hooks.stage[i] = g_ptr_array_new_with_free_func(hook_free);
		if (!each_item(o, "hooks", rt_hook_stage_name(i), parse_hook, s->hooks.stage[i], err))
			return false;
	}
	return true;
}

/* -------------------------------------------------- linux: namespaces */

static const struct {
	const char *name;
	int ns; /* RT_NS_N: the time namespace (spec->time_ns) */
} ns_types[] = {
	{ "pid", RT_NS_PID }, { "network", RT_NS_NET }, { "mount", RT_NS_MOUNT },
	{ "ipc", RT_NS_IPC }, { "uts", RT_NS_UTS }, { "user", RT_NS_USER },
	{ "cgroup", RT_NS_CGROUP }, { "time", RT_NS_N },
};

static struct rt_namespace *ns_slot(struct rt_spec *s, const char *type)
{
	for (size_t i = 0; i < G_N_ELEMENTS(ns_types); i++) {
		if (!strcmp(type, ns_types[i].name))
			return ns_types[i].ns == RT_NS_N ? &s->time_ns : &s->linux.ns[ns_types[i].ns];
	}
	return NULL;
}

static bool parse_namespace(node *o, const char *path, void *data, GError **err)
{
	g_autofree char *type = NULL, *tp = join(path, "type");
	struct rt_namespace *ns;

	if (!need(o, path, "type", err) || !get_str(o, path, "type", &type, err))
		return false;
	ns = ns_slot(data, type);
	if (!ns)
		return fail(err, tp, "unknown namespace type '%s'", type);
	if (ns->enabled)
		return fail(err, tp, "duplicate namespace '%s'", type);
	ns->enabled = true;
	return get_str(o, path, "path", &ns->path, err);
}

static bool parse_mapping(node *o, const char *path, void *data, GError **err)
{
	struct rt_id_mapping m = { 0 };

	if (!need(o, path, "containerID", err) || !need(o, path, "hostID", err) ||
	    !need(o, path, "size", err) || !get_u32(o, path, "containerID", &m.container_id, err) ||
	    !get_u32(o, path, "hostID", &m.host_id, err) || !get_u32(o, path, "size", &m.size, err))
		return false;
	g_array_append_val((GArray *)data, m);
	return true;
}

static bool parse_mappings(node *lx, const char *key, GArray **out, GError **err)
{
	if (!member(lx, key))
		return true;
	*out = g_array_new(FALSE, FALSE, sizeof(struct rt_id_mapping));
	return each_item(lx, "linux", key, parse_mapping, *out, err);
}

/* --------------------------------------------------- linux: resources */

const struct rt_oci_res_int rt_oci_res_ints[] = {
	{ "memory", "limit", offsetof(struct rt_resources, memory.limit), false },
	{ "memory", "reservation", offsetof(struct rt_resources, memory.reservation), false },
	{ "memory", "swap", offsetof(struct rt_resources, memory.swap), false },
	{ "cpu", "shares", offsetof(struct rt_resources, cpu.shares), true },
	{ "cpu", "quota", offsetof(struct rt_resources, cpu.quota), false },
	{ "cpu", "period", offsetof(struct rt_resources, cpu.period), true },
	{ "pids", "limit", offsetof(struct rt_resources, pids.limit), false },
	{ NULL, NULL, 0, false },
};
#define res_ints rt_oci_res_ints

static bool parse_res_int(node *res, size_t i, struct rt_resources *r, GError **err)
{
	int64_t *out = (int64_t *)((char *)r + res_ints[i].offset);
	g_autofree char *gp = g_strdup_printf("linux.resources.%s", res_ints[i].group);
	node *g;
	uint64_t u = 0;

	if (!get_typed(res, "linux.resources", res_ints[i].group, RJ_OBJECT, &g, err))
		return false;
	if (!g)
		return true;
	if (!res_ints[i].is_unsigned)
		return get_i64(g, gp, res_ints[i].key, out, err);
	if (!get_u64(g, gp, res_ints[i].key, INT64_MAX, &u, err))
		return false;
	if (member(g, res_ints[i].key))
		*out = (int64_t)u;
	return true;
}

static bool parse_res_extras(node *res, struct rt_spec *s, GError **err)
{
	struct rt_resources *r = &s->linux.resources;
	node *mem = member(res, "memory"), *cpu = member(res, "cpu");
	uint64_t sw = 0;

	if (mem && member(mem, "swappiness")) {
		if (!get_u64(mem, "linux.resources.memory", "swappiness", 100, &sw, err))
			return false;
		s->memory_swappiness = (int64_t)sw;
	}
	return !cpu || (get_str(cpu, "linux.resources.cpu", "cpus", &r->cpu.cpus, err) &&
			get_str(cpu, "linux.resources.cpu", "mems", &r->cpu.mems, err));
}

static bool parse_dev_type(node *o, const char *path, const char *allowed, char *type,
			   GError **err)
{
	g_autofree char *t = NULL, *tp = join(path, "type");

	if (!get_str(o, path, "type", &t, err))
		return false;
	if (!t)
		return true;
	if (strlen(t) != 1 || !strchr(allowed, t[0]))
		return fail(err, tp, "unknown device type '%s'", t);
	*type = t[0];
	return true;
}

static bool parse_dev_rule(node *o, const char *path, void *data, GError **err)
{
	struct rt_device_rule d = { .type = 'a', .major = -1, .minor = -1, .access = "rwm" };
	g_autofree char *access = NULL, *ap = join(path, "access");

	if (!need(o, path, "allow", err) || !get_bool(o, path, "allow", &d.allow, err) ||
	    !parse_dev_type(o, path, "abc", &d.type, err) ||
	    !get_i64(o, path, "major", &d.major, err) || !get_i64(o, path, "minor", &d.minor, err) ||
	    !get_str(o, path, "access", &access, err))
		return false;
	if (access && (strlen(access) > 3 || strspn(access, "rwm") != strlen(access)))
		return fail(err, ap, "expected a subset of 'rwm', got '%s'", access);
	if (access)
		g_strlcpy(d.access, access, sizeof(d.access));
	g_array_append_val((GArray *)data, d);
	return true;
}

static bool parse_resources(node *lx, struct rt_spec *s, GError **err)
{
	struct rt_resources *r = &s->linux.resources;
	node *res;

	if (!get_typed(lx, "linux", "resources", RJ_OBJECT, &res, err))
		return false;
	if (!res)
		return true;
	for (size_t i = 0; res_ints[i].group; i++) {
		if (!parse_res_int(res, i, r, err))
			return false;
	}
	if (member(res, "devices"))
		r->devices = g_array_new(FALSE, FALSE, sizeof(struct rt_device_rule));
	return parse_res_extras(res, s, err) &&
	       each_item(res, "linux.resources", "devices", parse_dev_rule, r->devices, err) &&
	       get_strmap(res, "linux.resources", "unified", &s->unified, err);
}

/* ------------------------------------------------------ linux: others */

static bool parse_device(node *o, const char *path, void *data, GError **err)
{
	GArray *devices = data;
	struct rt_device d = { .type = 0, .file_mode = 0666 };
	struct rt_device *dp;

	g_array_append_val(devices, d); /* the spec owns it from here */
	dp = &g_array_index(devices, struct rt_device, devices->len - 1);
	if (!get_abs_path(o, path, "path", &dp->path, err) || !need(o, path, "type", err) ||
	    !parse_dev_type(o, path, "cbup", &dp->type, err))
		return false;
	if (dp->type != 'p' && (!need(o, path, "major", err) || !need(o, path, "minor", err)))
		return false;
	return get_i64(o, path, "major", &dp->major, err) &&
	       get_i64(o, path, "minor", &dp->minor, err) &&
	       get_u32(o, path, "fileMode", &dp->file_mode, err) &&
	       get_u32(o, path, "uid", (uint32_t *)&dp->uid, err) &&
	       get_u32(o, path, "gid", (uint32_t *)&dp->gid, err);
}

static bool parse_seccomp(node *lx, struct rt_spec *s, GError **err)
{
	node *n = member(lx, "seccomp");
	GError *e = NULL;

	if (!n)
		return true;
	s->linux.seccomp = rt_seccomp_from_json(n, &s->process.caps, &e);
	if (s->linux.seccomp)
		return true;
	/* seccomp-json.c names the rules from the profile's root. */
	if (!g_str_has_prefix(e->message, "linux.seccomp"))
		g_prefix_error(&e, "linux.seccomp.");
	g_propagate_error(err, e);
	return false;
}

static bool parse_sysctl(node *lx, struct rt_spec *s, GError **err)
{
	node *o;
	g_autoptr(GPtrArray) v = g_ptr_array_new_with_free_func(g_free);

	if (!get_typed(lx, "linux", "sysctl", RJ_OBJECT, &o, err))
		return false;
	if (!o)
		return true;
	if (!all_strings(o, "linux.sysctl", err))
		return false;
	for (size_t i = 0; i < o->n; i++)
		g_ptr_array_add(v, g_strdup_printf("%s=%s", o->members[i].key,
						   o->members[i].value.string));
	g_ptr_array_add(v, NULL);
	s->linux.sysctl = (char **)g_ptr_array_free(g_steal_pointer(&v), FALSE);
	return true;
}

static bool parse_propagation(node *lx, struct rt_spec *s, GError **err)
{
	static const char *const ok[] = { "shared", "slave", "private", "unbindable",
					  "rshared", "rslave", "rprivate", "runbindable" };

	if (!get_str(lx, "linux", "rootfsPropagation", &s->rootfs_propagation, err))
		return false;
	for (size_t i = 0; s->rootfs_propagation && i < G_N_ELEMENTS(ok); i++) {
		if (!strcmp(s->rootfs_propagation, ok[i]))
			return true;
	}
	return !s->rootfs_propagation ||
	       fail(err, "linux.rootfsPropagation", "unknown propagation '%s'",
		    s->rootfs_propagation);
}

static bool parse_linux(node *top, struct rt_spec *s, GError **err)
{
	node *lx;

	if (!get_typed(top, "", "linux", RJ_OBJECT, &lx, err))
		return false;
	if (!lx)
		return true;
	return each_item(lx, "linux", "namespaces", parse_namespace, s, err) &&
	       parse_mappings(lx, "uidMappings", &s->uid_mappings, err) &&
	       parse_mappings(lx, "gidMappings", &s->gid_mappings, err) &&
	       parse_resources(lx, s, err) &&
	       get_str(lx, "linux", "cgroupsPath", &s->linux.cgroups_path, err) &&
	       each_item(lx, "linux", "devices", parse_device, s->linux.devices, err) &&
	       parse_seccomp(lx, s, err) &&
	       get_strv(lx, "linux", "maskedPaths", &s->linux.masked_paths, err) &&
	       get_strv(lx, "linux", "readonlyPaths", &s->linux.readonly_paths, err) &&
	       parse_sysctl(lx, s, err) && parse_propagation(lx, s, err);
}

/* ---------------------------------------------------------------- top */

/* 1.0.x, 1.1.x and 1.2.x, with or without a patch level or suffix. */
static bool version_ok(const char *v)
{
	static const char *const majors[] = { "1.0", "1.1", "1.2" };

	for (size_t i = 0; i < G_N_ELEMENTS(majors); i++) {
		if (g_str_has_prefix(v, majors[i]) && (!v[3] || strchr(".-+", v[3])))
			return true;
	}
	return false;
}

static bool parse_version(node *top, struct rt_spec *s, GError **err)
{
	if (!need(top, "", "ociVersion", err) || !get_str(top, "", "ociVersion", &s->oci_version, err))
		return false;
	if (version_ok(s->oci_version))
		return true;
	return fail(err, "ociVersion", "unsupported version '%s' (corral reads 1.0 to 1.2)",
		    s->oci_version);
}

static bool parse_top(node *top, const char *bundle_dir, struct rt_spec *s, GError **err)
{
	if (top->type != RJ_OBJECT)
		return fail(err, "config", "expected object");
	return parse_version(top, s, err) && parse_process(top, s, err) &&
	       parse_root(top, bundle_dir, s, err) &&
	       get_str(top, "", "hostname", &s->hostname, err) &&
	       each_item(top, "", "mounts", parse_mount, s, err) && parse_hooks(top, s, err) &&
	       get_strmap(top, "", "annotations", &s->annotations, err) &&
	       parse_linux(top, s, err);
}

struct rt_spec *rt_oci_parse(const char *text, size_t len, const char *bundle_dir, GError **err)
{
	g_autoptr(rj_value) top = rj_parse(text, len, err);
	g_autoptr(rt_spec) s = NULL;

	if (!top)
		return NULL;
	s = rt_spec_new();
	if (!parse_top(top, bundle_dir, s, err))
		return NULL;
	return g_steal_pointer(&s);
}

/* A real config.json is a few KiB (`runc spec` 2.5 KiB, podman's 4.5 KiB).
 * Parsed, it costs 8 times its size (all numbers) to 16 times (all empty
 * strings; measured), so 4 MiB bounds the parse at 64 MiB. */
#define CONFIG_MAX (4 << 20)

/* @path (at most CONFIG_MAX) parsed as the config of @bundle, or as a
 * process.json when @bundle is NULL; the error names @path. */
static struct rt_spec *load_file(const char *path, const char *bundle, GError **err)
{
	g_autofree char *text = NULL;
	size_t len = 0;
	struct rt_spec *s;

	text = rt_read_file(path, CONFIG_MAX, &len, err);
	if (!text)
		return NULL;
	s = bundle ? rt_oci_parse(text, len, bundle, err) : rt_oci_parse_process(text, len, err);
	if (!s)
		g_prefix_error(err, "%s: ", path);
	return s;
}

struct rt_spec *rt_oci_load(const char *bundle_dir, GError **err)
{
	g_autofree char *bundle = absolute_bundle(bundle_dir);
	g_autofree char *path = g_build_filename(bundle, "config.json", NULL);

	return load_file(path, bundle, err);
}

/* ------------------------------------------------------- process.json */

struct rt_spec *rt_oci_parse_process(const char *text, size_t len, GError **err)
{
	g_autoptr(rj_value) top = rj_parse(text, len, err);
	g_autoptr(rt_spec) s = NULL;

	if (!top)
		return NULL;
	if (top->type != RJ_OBJECT) {
		fail(err, "process", "expected object");
		return NULL;
	}
	s = rt_spec_new();
	if (!parse_process_object(top, "", false, s, err))
		return NULL;
	return g_steal_pointer(&s);
}

struct rt_spec *rt_oci_load_process(const char *path, GError **err)
{
	return load_file(path, NULL, err);
}
