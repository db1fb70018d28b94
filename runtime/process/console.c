/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The --console-socket protocol of runc (what conmon and containerd's
 * shim listen on): the runtime connects to the AF_UNIX socket the caller
 * named and sends the pty master as SCM_RIGHTS, with the pty's name as
 * the message.  The caller then owns the terminal.
 */
#include "runtime/process/process.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

static bool console_connect(const char *path, int *out, GError **err)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof addr.sun_path) {
		g_set_error(err, RT_ERROR, RT_ERROR_USAGE, "--console-socket %s: path too long", path);
		return false;
	}
	g_strlcpy(addr.sun_path, path, sizeof addr.sun_path);
	*out = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (*out < 0)
		return rt_fail_errno(err, errno, "socket for --console-socket %s", path);
	if (connect(*out, (struct sockaddr *)&addr, sizeof addr) < 0)
		return rt_fail_errno(err, errno, "connecting to the console socket %s", path);
	return true;
}

bool rt_send_fd(int sock, int fd, const void *data, size_t len)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = (void *)data, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.buf, .msg_controllen = sizeof u.buf };

	memset(u.buf, 0, sizeof u.buf);
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, MSG_NOSIGNAL) == (ssize_t)len;
}

bool rt_console_send(const char *path, int master, const char *name, GError **err)
{
	autoclose int sock = -1;

	if (!console_connect(path, &sock, err))
		return false;
	if (!rt_send_fd(sock, master, name, strlen(name)))
		return rt_fail_errno(err, errno, "sending the pty master to %s", path);
	return true;
}
