/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * OCI hooks (config.json "hooks"): each is a program run with the state
 * JSON on stdin, its own argv and environment, and an optional timeout in
 * seconds.  Who calls which stage, and in which namespaces: prestart and
 * createRuntime (corral, runtime namespaces, after the init built its
 * mounts but before pivot_root), createContainer (the init, container
 * namespaces, before pivot_root), startContainer (the init, after
 * `start`, just before the exec), poststart (`corral start`, after the
 * init was released), poststop (`corral delete`).
 */
#include "runtime/process/process.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

bool rt_hooks_any(const struct rt_hooks *h, enum rt_hook_stage stage)
{
	return h->stage[stage] != NULL && h->stage[stage]->len > 0;
}

struct hook_run {
	pid_t pid;
	int in, out;          /* our ends: its stdin, its stdout+stderr */
	GString *output;
};

static G_GNUC_NORETURN void hook_child(const struct rt_hook *hk, int in, int out)
{
	static char *no_env[] = { NULL };
	char *fallback[] = { hk->path, NULL };

	rt_reset_signals(); /* corral blocks the signals it forwards: not the hook's */
	if (dup2(in, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 ||
	    dup2(out, STDERR_FILENO) < 0)
		_exit(127);
	execve(hk->path, hk->args ? hk->args : fallback, hk->env ? hk->env : no_env);
	dprintf(STDERR_FILENO, "exec %s: %s\n", hk->path, g_strerror(errno));
	_exit(127);
}

static bool hook_spawn(const struct rt_hook *hk, struct hook_run *r, GError **err)
{
	int in[2], out[2];

	if (pipe2(in, O_CLOEXEC) < 0)
		return rt_fail_errno(err, errno, "pipe for hook %s", hk->path);
	/* our end only: the hook's stdin stays blocking */
	if (fcntl(in[1], F_SETFL, O_NONBLOCK) < 0 || pipe2(out, O_CLOEXEC) < 0) {
		int e = errno;
		close(in[0]);
		close(in[1]);
		return rt_fail_errno(err, e, "pipe for hook %s", hk->path);
	}
	r->pid = fork();
	if (r->pid == 0)
		hook_child(hk, in[0], out[1]);
	int e = errno;
	close(in[0]);
	close(out[1]);
	if (r->pid < 0) {
		close(in[1]);
		close(out[0]);
		return rt_fail_errno(err, e, "fork for hook %s", hk->path);
	}
	r->in = in[1];
	r->out = out[0];
	return true;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What is left of the state for its stdin. */
struct feed {
	const char *p;
	size_t left;
};

/* Some more of the state, as much as the pipe takes.  Once all is written,
 * or the hook closed its stdin (EPIPE: a hook that does not read the
 * state is no error), its stdin is closed. */
static void hook_feed(struct hook_run *r, struct feed *f)
{
	ssize_t w = write(r->in, f->p, MIN(f->left, (size_t)SSIZE_MAX));

	if (w < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (w > 0) {
		f->p += w;
		f->left -= (size_t)w;
	}
	if (w <= 0 || f->left == 0) {
		close(r->in);
		r->in = -1;
	}
}

/* Its output, kept up to 64 KiB; false at EOF. */
static bool hook_read(struct hook_run *r)
{
	char buf[4096];
	ssize_t got = read(r->out, buf, sizeof buf);

	if (got < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (got <= 0)
		return false;
	if (r->output->len < 65536)
		g_string_append_len(r->output, buf, got);
	return true;
}

/* The whole state to its stdin while its output is collected, until it
 * has both and its output ends, or the deadline (-1: none): false on
 * timeout.  (Both at once: a hook may write before it reads.) */
static bool hook_talk(struct hook_run *r, const char *state, int64_t deadline)
{
	struct feed f = { state, strlen(state) };
	bool output_open = true;

	while (output_open || r->in >= 0) {
		int wait = deadline < 0 ? -1 : (int)MAX(deadline - now_ms(), 0);
		struct pollfd p[2] = { { .fd = output_open ? r->out : -1, .events = POLLIN },
				       { .fd = r->in, .events = POLLOUT } };
		int n = poll(p, 2, wait);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			return false;
		if (n < 0)
			return true; /* cannot happen with two valid fds; do not spin */
		if (p[1].revents)
			hook_feed(r, &f);
		if (p[0].revents)
			output_open = hook_read(r);
	}
	return true;
}

/* hook_talk() with SIGPIPE blocked (a hook may close its stdin early);
 * a SIGPIPE that came meanwhile is taken, not delivered. */
static bool hook_talk_nopipe(struct hook_run *r, const char *state, int64_t deadline)
{
	sigset_t pipe_set, old, pending;
	const struct timespec now = { 0, 0 };
	bool ok, ours;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigpending(&pending);
	ours = !sigismember(&pending, SIGPIPE); /* one pending already is not ours */
	sigprocmask(SIG_BLOCK, &pipe_set, &old);
	ok = hook_talk(r, state, deadline);
	while (ours && sigtimedwait(&pipe_set, NULL, &now) < 0 && errno == EINTR)
		;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ok;
}

static int hook_reap(pid_t pid)
{
	int st = 0;

	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return st;
}

static bool hook_run_one(const struct rt_hook *hk, enum rt_hook_stage stage, const char *state,
			 GError **err)
{
	g_autoptr(GString) output = g_string_new(NULL);
	struct hook_run r = { .pid = -1, .in = -1, .out = -1, .output = output };

	if (!hook_spawn(hk, &r, err))
		return false;
	int64_t deadline = hk->timeout > 0 ? now_ms() + hk->timeout * 1000 : -1;
	bool in_time = hook_talk_nopipe(&r, state, deadline);
	if (r.in >= 0)
		close(r.in);
	close(r.out);
	if (!in_time)
		(void)kill(r.pid, SIGKILL);
	int st = hook_reap(r.pid);
	g_strchomp(output->str);
	if (!in_time) {
		g_set_error(err, RT_ERROR, RT_ERROR_SETUP, "%s hook %s: timed out after %" G_GINT64_FORMAT
			    " s", rt_hook_stage_name(stage), hk->path, hk->timeout);
		return false;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return true;
	g_autofree char *how = WIFEXITED(st) ? g_strdup_printf("exit status %d", WEXITSTATUS(st))
					     : g_strdup_printf("signal %d", WTERMSIG(st));
	g_set_error(err, RT_ERROR, RT_ERROR_SETUP, "%s hook %s failed (%s)%s%s", rt_hook_stage_name(stage),
		    hk->path, how, output->len ? ": " : "", output->str);
	return false;
}

bool rt_hooks_run(const struct rt_hooks *h, enum rt_hook_stage stage, const char *state,
		  GError **err)
{
	for (guint i = 0; rt_hooks_any(h, stage) && i < h->stage[stage]->len; i++)
		if (!hook_run_one(h->stage[stage]->pdata[i], stage, state, err))
			return false;
	return true;
}
