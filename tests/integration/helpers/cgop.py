#!/usr/bin/python3
# cgop: exact file-system operations for the cgroup tree test (cgtree.sh).
# Each operation is one system call (or one read loop) and prints one line:
# "OK", "OK <value>", or the errno name (EACCES, EPERM, ENOENT, ...), so the
# test compares exact outcomes.  Operations are separated by "::":
#
#   cgop.py write PATH DATA :: read PATH 7 :: mkdir PATH
#
#   write PATH DATA     open O_WRONLY, exactly one os.write(DATA), close
#                       ("$SELF" in DATA is replaced by this process's pid)
#   writen PATH N DATA  one os.write of DATA left-padded with blanks to N bytes
#   writetrunc PATH DATA  the same as write, opened O_WRONLY|O_CREAT|O_TRUNC
#                       (a shell's `echo DATA > PATH`)
#   pread PATH OFF LEN  one os.pread: "OK" and the bytes, newlines as "|"
#   read PATH [CHUNK]   open, os.read(CHUNK) until it returns 0 (default
#                       65536); prints "OK" and the words of the content
#   mkdir PATH | rmdir PATH | chmod PATH OCTAL | chown PATH UID GID
#   symlink TARGET PATH | link PATH NEW | rename PATH NEW | unlink PATH
#   create PATH         open O_CREAT | O_EXCL | O_WRONLY (a new regular file)
#   stat PATH           "OK uid gid octal-mode" (lstat)
#   ls PATH             "OK" and the sorted names
#   run ARGV...         runs ARGV (the rest of this operation; its stdout
#                       to /dev/null), waits:
#                       "OK exit N" or "OK signal NAME"
#   cgline KEY          this process's /proc/self/cgroup path for the
#                       hierarchy KEY ("memory", "name=systemd"; "" = cgroup2)
#   pid                 "OK <pid>"
#   sleep SECONDS | waitfor PATH (until PATH exists, at most 120 s)
import errno
import os
import signal
import sys
import time

NAMES = {errno.EOPNOTSUPP: "EOPNOTSUPP", errno.EAGAIN: "EAGAIN",
         errno.EDEADLK: "EDEADLK"}


def errname(e):
    return NAMES.get(e.errno) or errno.errorcode.get(e.errno, str(e.errno))


def data_of(s):
    return s.replace("$SELF", str(os.getpid())).encode()


def op_write(path, data):
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, data_of(data))
    finally:
        os.close(fd)
    return "OK"


def op_writetrunc(path, data):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, data_of(data))
    finally:
        os.close(fd)
    return "OK"


def op_pread(path, off, length):
    fd = os.open(path, os.O_RDONLY)
    try:
        b = os.pread(fd, int(length), int(off))
    finally:
        os.close(fd)
    return "OK " + b.decode(errors="replace").replace("\n", "|")


def op_writen(path, n, data):
    d = data_of(data)
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, b" " * (int(n) - len(d)) + d)
    finally:
        os.close(fd)
    return "OK"


def op_read(path, chunk="65536"):
    fd = os.open(path, os.O_RDONLY)
    parts = []
    try:
        while True:
            b = os.read(fd, int(chunk))
            if not b:
                break
            parts.append(b)
    finally:
        os.close(fd)
    words = b"".join(parts).decode(errors="replace").split()
    return " ".join(["OK"] + words)


def op_stat(path):
    st = os.lstat(path)
    return "OK %d %d %o" % (st.st_uid, st.st_gid, st.st_mode & 0o7777)


def op_ls(path):
    return " ".join(["OK"] + sorted(os.listdir(path)))


def op_run(*argv):
    pid = os.fork()
    if pid == 0:
        try:
            fd = os.open(os.devnull, os.O_WRONLY)
            os.dup2(fd, 1)
            os.execvp(argv[0], list(argv))
        finally:
            os._exit(127)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return "OK signal " + signal.Signals(os.WTERMSIG(status)).name
    return "OK exit %d" % os.WEXITSTATUS(status)


def op_cgline(key):
    with open("/proc/self/cgroup") as f:
        for line in f:
            _, ctrls, path = line.rstrip("\n").split(":", 2)
            if ctrls == key or (key and key in ctrls.split(",")):
                return "OK " + path
    return "ENOENT"


def op_waitfor(path):
    for _ in range(1200):
        if os.path.exists(path):
            return "OK"
        time.sleep(0.1)
    return "ETIMEDOUT"


def run_op(words):
    op, args = words[0], words[1:]
    if op == "write":
        return op_write(*args)
    if op == "writen":
        return op_writen(*args)
    if op == "writetrunc":
        return op_writetrunc(*args)
    if op == "pread":
        return op_pread(*args)
    if op == "read":
        return op_read(*args)
    if op == "mkdir":
        os.mkdir(args[0])
        return "OK"
    if op == "rmdir":
        os.rmdir(args[0])
        return "OK"
    if op == "chmod":
        os.chmod(args[0], int(args[1], 8))
        return "OK"
    if op == "chown":
        os.chown(args[0], int(args[1]), int(args[2]))
        return "OK"
    if op == "symlink":
        os.symlink(args[0], args[1])
        return "OK"
    if op == "link":
        os.link(args[0], args[1])
        return "OK"
    if op == "rename":
        os.rename(args[0], args[1])
        return "OK"
    if op == "unlink":
        os.unlink(args[0])
        return "OK"
    if op == "create":
        os.close(os.open(args[0], os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
        return "OK"
    if op == "stat":
        return op_stat(*args)
    if op == "ls":
        return op_ls(*args)
    if op == "run":
        return op_run(*args)
    if op == "cgline":
        return op_cgline(*args)
    if op == "pid":
        return "OK %d" % os.getpid()
    if op == "sleep":
        time.sleep(float(args[0]))
        return "OK"
    if op == "waitfor":
        return op_waitfor(*args)
    return "EUNKNOWNOP " + op


def main(argv):
    ops, cur = [], []
    for w in argv:
        if w == "::":
            ops.append(cur)
            cur = []
        else:
            cur.append(w)
    ops.append(cur)
    for words in ops:
        if not words:
            continue
        try:
            out = run_op(words)
        except OSError as e:
            out = errname(e)
        print(out, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
