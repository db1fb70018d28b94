/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * -t: a pty pair, opened by the container's init in the container's own
 * devpts (container.c, mounts.c) or by `corral exec` in the container.
 * The slave becomes the container's stdio and its /dev/console; the master
 * comes back to corral, which copies between its terminal (raw while the
 * container runs) and the master (rt_container_wait) or hands it over to
 * the --console-socket.
 */
#include "runtime/process/process.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

void rt_pty_resize(struct rt_pty *p)
{
	struct winsize ws;

	if (p->master < 0)
		return;
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) < 0 && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) < 0)
		return; /* no host terminal: the kernel's default size stays */
	(void)ioctl(p->master, TIOCSWINSZ, &ws);
}

void rt_pty_set_size(struct rt_pty *p, unsigned rows, unsigned cols)
{
	struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };

	if (p->master >= 0 && rows > 0 && cols > 0)
		(void)ioctl(p->master, TIOCSWINSZ, &ws);
}

bool rt_pty_take_master(struct rt_pty *p, int master, GError **err)
{
	int n = 0, unlock = 0;

	p->master = master;
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0 || ioctl(master, TIOCGPTN, &n) < 0)
		return rt_fail_errno(err, errno, "unlocking the pty master");
	p->slave_path = g_strdup_printf("/dev/pts/%d", n);
	p->slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (p->slave < 0)
		return rt_fail_errno(err, errno, "opening the pty slave %s", p->slave_path);
	return true;
}

bool rt_pty_open(struct rt_pty *p, GError **err)
{
	int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (master < 0)
		return rt_fail_errno(err, errno, "opening a pty on /dev/ptmx");
	if (!rt_pty_take_master(p, master, err))
		return false;
	rt_pty_resize(p);
	return true;
}

void rt_pty_raw(struct rt_pty *p)
{
	struct termios raw;

	if (p->master < 0 || p->raw || !isatty(STDIN_FILENO))
		return;
	if (tcgetattr(STDIN_FILENO, &p->saved) < 0)
		return;
	raw = p->saved;
	cfmakeraw(&raw);
	if (tcsetattr(STDIN_FILENO, TCSADRAIN, &raw) == 0)
		p->raw = true;
}

void rt_pty_close(struct rt_pty *p)
{
	if (p->raw) {
		(void)tcsetattr(STDIN_FILENO, TCSADRAIN, &p->saved);
		p->raw = false;
	}
	if (p->master >= 0)
		close(p->master);
	if (p->slave >= 0)
		close(p->slave);
	p->master = p->slave = -1;
	g_clear_pointer(&p->slave_path, g_free);
}
