#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Writes the fixture trees tests/fixtures/cgroup-{v1,hybrid,v2}.

The trees are committed; rerun this after changing it.  File formats
follow a real hybrid host (Debian 12, linux 6.x: /sys/fs/cgroup/*) and,
for cgroup2, the kernel's Documentation/admin-guide/cgroup-v2.rst.  The
unit tests in this directory assert the exact values written here.
"""
import os
import shutil

base = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'fixtures')
for tree in ('cgroup-v1', 'cgroup-hybrid', 'cgroup-v2'):
    shutil.rmtree(os.path.join(base, tree), ignore_errors=True)

def w(root, rel, text):
    p = os.path.join(base, root, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, 'w') as f:
        f.write(text)

def stat(pid, comm, state, start):
    rest = "1 %d %d 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 %d 3133440 387 18446744073709551615 94391104716800 94391104736681 140733781458192 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 94391104752688 94391104754304 94391387115520 140733781465542 140733781465562 140733781465562 140733781467115 0\n" % (pid, pid, start)
    return "%d (%s) %s %s" % (pid, comm, state, rest)

UNL = "9223372036854771712\n"

def v1_memstat(cache, rss, shmem, mapped, dirty, wb, swapc, ia, aa, iff, af, unev, huge, hlim=None, hsw=None):
    local = [("cache", cache), ("rss", rss), ("rss_huge", huge), ("shmem", shmem),
             ("mapped_file", mapped), ("dirty", dirty), ("writeback", wb),
             ("workingset_refault_anon", 0), ("workingset_refault_file", 503),
             ("swap", 0), ("swapcached", swapc), ("pgpgin", 12796), ("pgpgout", 11860),
             ("pgfault", 30115), ("pgmajfault", 12), ("inactive_anon", ia),
             ("active_anon", aa), ("inactive_file", iff), ("active_file", af),
             ("unevictable", unev)]
    out = "".join("%s %d\n" % kv for kv in local)
    if hlim is not None:
        out += "hierarchical_memory_limit %d\n" % hlim
    if hsw is not None:
        out += "hierarchical_memsw_limit %d\n" % hsw
    out += "".join("total_%s %d\n" % kv for kv in local)
    return out

BIG = 9223372036854771712

# ------------------------------------------------------------------ v1
R = 'cgroup-v1'
w(R, 'mountinfo', """21 26 0:20 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
22 26 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
25 21 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:8 - tmpfs tmpfs ro,mode=755
26 25 0:23 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:9 - cgroup cgroup rw,xattr,release_agent=/lib/systemd/systemd-cgroups-agent,name=systemd
27 25 0:24 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup rw,cpu,cpuacct
28 25 0:25 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,memory
29 25 0:26 / /sys/fs/cgroup/cpuset rw,nosuid,nodev,noexec,relatime shared:13 - cgroup cgroup rw,cpuset
30 25 0:27 / /sys/fs/cgroup/blkio rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,blkio
31 25 0:28 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,pids
32 25 0:29 / /sys/fs/cgroup/devices rw,nosuid,nodev,noexec,relatime shared:16 - cgroup cgroup rw,devices
""")
M = 'sys/fs/cgroup/memory/'
def memdir(d, limit, usage, memsw_limit, memsw_usage, swappiness, stat, kmem=None):
    w(R, M + d + 'memory.limit_in_bytes', "%d\n" % limit)
    w(R, M + d + 'memory.usage_in_bytes', "%s\n" % usage)
    w(R, M + d + 'memory.memsw.limit_in_bytes', "%d\n" % memsw_limit)
    w(R, M + d + 'memory.memsw.usage_in_bytes', "%d\n" % memsw_usage)
    w(R, M + d + 'memory.swappiness', "%d\n" % swappiness)
    w(R, M + d + 'memory.stat', stat)
    w(R, M + d + 'cgroup.procs', "")
    w(R, M + d + 'tasks', "")
    if kmem is not None:
        w(R, M + d + 'memory.kmem.usage_in_bytes', "%d\n" % kmem)
memdir('', BIG, 2147483648, BIG, 2147483648, 60,
       v1_memstat(1073741824, 805306368, 4096, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, BIG, BIG), 104857600)
memdir('lxc/', 134217728, 60000000, 201326592, 70000000, 60,
       v1_memstat(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 134217728, 201326592), 2000000)
memdir('lxc/c1/', 268435456, 52428800, 536870912, 62914560, 30,
       v1_memstat(20971520, 25165824, 1048576, 4194304, 65536, 8192, 12288,
                  24117248, 1048576, 10485760, 10485760, 0, 2097152, 134217728, 201326592), 1048576)
memdir('lxc/c1/sub/', BIG, 1000, BIG, 1000, 60,
       v1_memstat(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 134217728, 201326592), 0)
# c2: a memory.stat without hierarchical_* lines: limits by the walk
memdir('lxc/c2/', BIG, 1048576, BIG, 3145728, 70,
       v1_memstat(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13))
memdir('lxc/bad/', 268435456, "garbage", BIG, 1000, 60,
       v1_memstat(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 134217728, 201326592), 0)

C = 'sys/fs/cgroup/cpu,cpuacct/'
def cpudir(d, quota, period, shares, usage, usage_all, stat, tasks="", procs="", percpu=None):
    w(R, C + d + 'cpu.cfs_quota_us', "%d\n" % quota)
    w(R, C + d + 'cpu.cfs_period_us', "%d\n" % period)
    w(R, C + d + 'cpu.shares', "%d\n" % shares)
    w(R, C + d + 'cpuacct.usage', "%d\n" % usage)
    if usage_all is not None:
        w(R, C + d + 'cpuacct.usage_all', usage_all)
    if percpu is not None:
        w(R, C + d + 'cpuacct.usage_percpu_user', percpu[0])
        w(R, C + d + 'cpuacct.usage_percpu_sys', percpu[1])
    w(R, C + d + 'cpuacct.stat', stat)
    w(R, C + d + 'tasks', tasks)
    w(R, C + d + 'cgroup.procs', procs)
cpudir('', -1, 100000, 1024, 47891405168, "cpu user system\n0 8640000000 9928000000\n1 15408000000 13992000000\n",
       "user 2400\nsystem 2387\n", "1\n100\n", "1\n100\n")
cpudir('lxc/', 50000, 100000, 1024, 30000000000, "cpu user system\n0 1 2\n1 3 4\n", "user 1\nsystem 1\n")
cpudir('lxc/c1/', -1, 100000, 512, 20000000000,
       "cpu user system\n0 7440000000 2560000000\n1 6000000000 4000000000\n",
       "user 1344\nsystem 656\n", "100\n101\n102\n103\n", "100\n102\n103\n")
cpudir('lxc/c1/sub/', -1, 100000, 1024, 5, "cpu user system\n0 1 2\n1 3 4\n", "user 0\nsystem 0\n", "104\n", "104\n")
# c2: a tighter-looking quota with another period (0.6 CPU > 0.5), no usage_all
cpudir('lxc/c2/', 30000, 50000, 1024, 330, None, "user 0\nsystem 0\n",
       percpu=("100 200 \n", "10 20 \n"))
cpudir('lxc/bad/', -1, 100000, 1024, 1, "cpu user system\n0 x y\n", "user 0\nsystem 0\n")

S = 'sys/fs/cgroup/cpuset/'
for d, cpus in (('', '0-7'), ('lxc/', '0-1,4-5'), ('lxc/c1/', '0-1,4'), ('lxc/c2/', '5'), ('lxc/bad/', '0-1,x')):
    w(R, S + d + 'cpuset.effective_cpus', cpus + "\n")
    w(R, S + d + 'cpuset.cpus', cpus + "\n")

B = 'sys/fs/cgroup/blkio/'
for d in ('', 'lxc/', 'lxc/c2/', 'lxc/bad/'):
    w(R, B + d + 'blkio.throttle.io_service_bytes_recursive', "Total 0\n")
    w(R, B + d + 'blkio.throttle.io_serviced_recursive', "Total 0\n")
w(R, B + 'lxc/c1/blkio.throttle.io_service_bytes_recursive', """8:16 Read 4096
8:16 Write 8192
8:16 Sync 12288
8:16 Async 0
8:16 Discard 0
8:16 Total 12288
8:0 Read 1048576
8:0 Write 2097152
8:0 Sync 3145728
8:0 Async 0
8:0 Discard 512
8:0 Total 3146240
Total 3158528
""")
w(R, B + 'lxc/c1/blkio.throttle.io_serviced_recursive', """8:16 Read 1
8:16 Write 2
8:16 Sync 3
8:16 Async 0
8:16 Discard 0
8:16 Total 3
8:0 Read 256
8:0 Write 512
8:0 Sync 768
8:0 Async 0
8:0 Discard 1
8:0 Total 769
Total 772
""")

P = 'sys/fs/cgroup/pids/'
w(R, P + 'cgroup.procs', "1\n100\n")
w(R, P + 'tasks', "1\n100\n")
w(R, P + 'lxc/pids.max', "100\n")
w(R, P + 'lxc/pids.current', "7\n")
w(R, P + 'lxc/cgroup.procs', "")
w(R, P + 'lxc/tasks', "")
w(R, P + 'lxc/c1/pids.max', "max\n")
w(R, P + 'lxc/c1/pids.current', "5\n")
w(R, P + 'lxc/c1/cgroup.procs', "100\n102\n103\n")
w(R, P + 'lxc/c1/tasks', "100\n101\n102\n103\n")
w(R, P + 'lxc/c1/sub/pids.max', "max\n")
w(R, P + 'lxc/c1/sub/pids.current', "1\n")
w(R, P + 'lxc/c1/sub/cgroup.procs', "104\n")
w(R, P + 'lxc/c1/sub/tasks', "104\n")
w(R, P + 'lxc/c2/pids.max', "50\n")
w(R, P + 'lxc/c2/pids.current', "0\n")
w(R, P + 'lxc/c2/cgroup.procs', "")
w(R, P + 'lxc/c2/tasks', "")
w(R, P + 'lxc/bad/pids.max', "lots\n")
w(R, P + 'lxc/bad/pids.current', "1\n")
for d in ('', 'lxc/', 'lxc/c1/'):
    w(R, 'sys/fs/cgroup/devices/' + d + 'devices.list', "a *:* rwm\n")
    w(R, 'sys/fs/cgroup/systemd/' + d + 'cgroup.procs', "")

def v1cg(path):
    return """12:devices:%s
11:pids:%s
10:blkio:%s
9:cpuset:%s
8:memory:%s
7:cpu,cpuacct:%s
1:name=systemd:%s
0::/
""" % ((path,) * 7)
w(R, 'proc/1/cgroup', v1cg('/'))
w(R, 'proc/1/stat', stat(1, 'systemd', 'S', 10))
w(R, 'proc/100/cgroup', v1cg('/lxc/c1'))
w(R, 'proc/100/stat', stat(100, 'evil) R 1 2 (x', 'S', 5000))
w(R, 'proc/101/stat', stat(101, 'worker thread', 'R', 5001))
w(R, 'proc/102/cgroup', v1cg('/lxc/c1'))
w(R, 'proc/102/stat', stat(102, 'io', 'D', 4500))
w(R, 'proc/104/cgroup', v1cg('/lxc/c1/sub'))
w(R, 'proc/104/stat', stat(104, 'sub', 'R', 4000))
w(R, 'proc/105/cgroup', v1cg('/lxc/c2'))
w(R, 'proc/106/cgroup', v1cg('/lxc/bad'))
w(R, 'proc/107/cgroup', v1cg('/lxc/gone'))
w(R, 'proc/300/cgroup', "8:memory:/../outside\n0::/\n")
w(R, 'proc/301/cgroup', "nonsense\n")
w(R, 'proc/302/stat', "302 (short) S 1 2\n")

# ------------------------------------------------------------- hybrid
R = 'cgroup-hybrid'
w(R, 'mountinfo', """30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
32 30 0:29 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
33 30 0:30 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
35 30 0:32 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
36 30 0:33 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
37 30 0:34 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
38 30 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
""")
H = 'sys/fs/cgroup/'
for d, lim, usage in (('', BIG, 3000000000), ('ct/', 536870912, 104857600)):
    w(R, H + 'memory/' + d + 'memory.limit_in_bytes', "%d\n" % lim)
    w(R, H + 'memory/' + d + 'memory.usage_in_bytes', "%d\n" % usage)
    w(R, H + 'memory/' + d + 'memory.swappiness', "60\n")
    w(R, H + 'memory/' + d + 'memory.kmem.usage_in_bytes', "933888\n")
    w(R, H + 'memory/' + d + 'memory.stat',
      v1_memstat(2080768, 1687552, 0, 49152, 32768, 0, 0, 1597440, 12288, 512000, 1568768, 0, 0, lim))
    w(R, H + 'memory/' + d + 'cgroup.procs', "")
for d, q in (('', -1), ('ct/', 150000)):
    w(R, H + 'cpu/' + d + 'cpu.cfs_quota_us', "%d\n" % q)
    w(R, H + 'cpu/' + d + 'cpu.cfs_period_us', "100000\n")
    w(R, H + 'cpu/' + d + 'cpu.shares', "2048\n" if d else "1024\n")
    w(R, H + 'cpuacct/' + d + 'cpuacct.usage', "47891405168\n")
    w(R, H + 'cpuacct/' + d + 'cpuacct.usage_all', "cpu user system\n0 8640000000 9928000000\n1 15408000000 13992000000\n")
    w(R, H + 'cpuacct/' + d + 'cpuacct.usage_percpu_user', "8652000000 15408000000 \n")
    w(R, H + 'cpuacct/' + d + 'cpuacct.usage_percpu_sys', "9928000000 14008000000 \n")
    w(R, H + 'cpuacct/' + d + 'cpuacct.stat', "user 2400\nsystem 2387\n")
    w(R, H + 'cpuset/' + d + 'cpuset.effective_cpus', "0-1\n")
    w(R, H + 'blkio/' + d + 'blkio.throttle.io_service_bytes_recursive', "Total 0\n")
    w(R, H + 'blkio/' + d + 'blkio.throttle.io_serviced_recursive', "Total 0\n")
    for c in ('cpu', 'cpuacct', 'pids', 'cpuset', 'blkio'):
        w(R, H + c + '/' + d + 'cgroup.procs', "200\n" if d else "1\n")
        w(R, H + c + '/' + d + 'tasks', "200\n201\n" if d else "1\n")
# Linux 5.x+: throttle counters only for devices with a rule (254:0 here),
# bfq counters for bfq-scheduled devices (7:0 and 254:0): the larger wins.
w(R, H + 'blkio/ct/blkio.throttle.io_service_bytes_recursive',
  "254:0 Read 4096\n254:0 Write 8192\n254:0 Sync 12288\n254:0 Async 0\n254:0 Discard 0\n254:0 Total 12288\nTotal 12288\n")
w(R, H + 'blkio/ct/blkio.throttle.io_serviced_recursive',
  "254:0 Read 1\n254:0 Write 2\n254:0 Sync 3\n254:0 Async 0\n254:0 Discard 0\n254:0 Total 3\nTotal 3\n")
w(R, H + 'blkio/ct/blkio.bfq.io_service_bytes_recursive',
  "7:0 Read 1048576\n7:0 Write 0\n7:0 Sync 1048576\n7:0 Async 0\n7:0 Discard 0\n7:0 Total 1048576\n"
  "254:0 Read 4096\n254:0 Write 4096\n254:0 Sync 8192\n254:0 Async 0\n254:0 Discard 0\n254:0 Total 8192\nTotal 1056768\n")
w(R, H + 'blkio/ct/blkio.bfq.io_serviced_recursive',
  "7:0 Read 256\n7:0 Write 0\n7:0 Sync 256\n7:0 Async 0\n7:0 Discard 0\n7:0 Total 256\n"
  "254:0 Read 1\n254:0 Write 1\n254:0 Sync 2\n254:0 Async 0\n254:0 Discard 0\n254:0 Total 2\nTotal 258\n")
w(R, H + 'pids/ct/pids.max', "max\n")
w(R, H + 'pids/ct/pids.current', "3\n")
U = H + 'unified/'
w(R, U + 'cgroup.controllers', "hugetlb\n")
w(R, U + 'cgroup.subtree_control', "")
w(R, U + 'cgroup.procs', "1\n200\n")
w(R, U + 'cpu.stat', "usage_usec 47856000\nuser_usec 24004000\nsystem_usec 23852000\nnice_usec 0\n")
w(R, U + 'cpu.pressure', "some avg10=10.00 avg60=2.43 avg300=0.94 total=5477124\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n")
w(R, U + 'memory.pressure', "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n")
w(R, U + 'io.pressure', "some avg10=0.00 avg60=0.05 avg300=0.30 total=2555691\nfull avg10=0.00 avg60=0.05 avg300=0.29 total=2415815\n")
w(R, U + 'ct/cgroup.procs', "200\n")
w(R, U + 'ct/cpu.stat', "usage_usec 100\nuser_usec 60\nsystem_usec 40\n")
w(R, U + 'ct/cpu.pressure', "some avg10=0.00 avg60=0.35 avg300=0.62 total=3751239\n")
w(R, U + 'ct/memory.pressure', "some avg10=1.50 avg60=0.25 avg300=0.05 total=12345\nfull avg10=0.75 avg60=0.10 avg300=0.01 total=6789\n")
w(R, U + 'ct/io.pressure', "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n")
w(R, 'proc/1/cgroup', """9:name=systemd:/
8:pids:/
7:blkio:/
6:freezer:/
5:devices:/
4:memory:/
3:cpuset:/
2:cpuacct:/
1:cpu:/
0::/
""")
w(R, 'proc/1/stat', stat(1, 'init', 'S', 7))
w(R, 'proc/200/cgroup', """9:name=systemd:/ct
8:pids:/ct
7:blkio:/ct
6:freezer:/ct
5:devices:/ct
4:memory:/ct
3:cpuset:/ct
2:cpuacct:/ct
1:cpu:/ct
0::/ct
""")
w(R, 'proc/200/stat', stat(200, 'ct init', 'S', 9000))
# a runtime that only manages v1: in /ct everywhere but at the cgroup2 root
w(R, 'proc/202/cgroup', """9:name=systemd:/ct
8:pids:/ct
7:blkio:/ct
6:freezer:/ct
5:devices:/ct
4:memory:/ct
3:cpuset:/ct
2:cpuacct:/ct
1:cpu:/ct
0::/
""")
w(R, 'proc/201/stat', stat(201, 'ct init', 'R', 9001))

# ------------------------------------------------------------------ v2
R = 'cgroup-v2'
w(R, 'mountinfo', """22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
23 28 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw
30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
""")
V = 'sys/fs/cgroup/'
def v2_memstat(anon, file, kernel, kstack, ptables, shmem, mapped, dirty, wb, swapc, athp, ia, aa, iff, af, unev, sr, su, with_kernel=True):
    rows = [("anon", anon), ("file", file)]
    if with_kernel:
        rows.append(("kernel", kernel))
    rows += [("kernel_stack", kstack), ("pagetables", ptables), ("sec_pagetables", 0),
             ("percpu", 1152), ("sock", 0), ("vmalloc", 4096), ("shmem", shmem),
             ("zswap", 0), ("zswapped", 0), ("file_mapped", mapped), ("file_dirty", dirty),
             ("file_writeback", wb), ("swapcached", swapc), ("anon_thp", athp),
             ("file_thp", 0), ("shmem_thp", 0), ("inactive_anon", ia), ("active_anon", aa),
             ("inactive_file", iff), ("active_file", af), ("unevictable", unev),
             ("slab_reclaimable", sr), ("slab_unreclaimable", su), ("slab", sr + su),
             ("workingset_refault_anon", 0), ("workingset_refault_file", 12),
             ("workingset_activate_anon", 0), ("workingset_activate_file", 3),
             ("workingset_restore_anon", 0), ("workingset_restore_file", 0),
             ("workingset_nodereclaim", 0), ("pgscan", 0), ("pgsteal", 0),
             ("pgscan_kswapd", 0), ("pgscan_direct", 0), ("pgsteal_kswapd", 0),
             ("pgsteal_direct", 0), ("pgfault", 40213), ("pgmajfault", 7),
             ("pgrefill", 0), ("pgactivate", 31), ("pgdeactivate", 0),
             ("pglazyfree", 0), ("pglazyfreed", 0), ("thp_fault_alloc", 0),
             ("thp_collapse_alloc", 0)]
    return "".join("%s %d\n" % kv for kv in rows)
w(R, V + 'cgroup.controllers', "cpuset cpu io memory hugetlb pids rdma misc\n")
w(R, V + 'cgroup.subtree_control', "cpuset cpu io memory pids\n")
w(R, V + 'cgroup.procs', "1\n")
w(R, V + 'cgroup.threads', "1\n")
w(R, V + 'cpu.stat', "usage_usec 91000000\nuser_usec 51000000\nsystem_usec 40000000\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\nnr_bursts 0\nburst_usec 0\n")
w(R, V + 'cpuset.cpus.effective', "0-3\n")
w(R, V + 'memory.stat', v2_memstat(1000000, 2000000, 300000, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15))
w(R, V + 'io.stat', "8:0 rbytes=90 wbytes=80 rios=7 wios=6 dbytes=0 dios=0\n")
w(R, V + 'cpu.pressure', "some avg10=0.10 avg60=0.20 avg300=0.30 total=400\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n")
w(R, V + 'io.pressure', "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n")
# no memory.pressure at the root: valid=false
MS = V + 'machine.slice/'
w(R, MS + 'cgroup.controllers', "cpuset cpu io memory pids\n")
w(R, MS + 'cgroup.subtree_control', "cpuset cpu io memory pids\n")
w(R, MS + 'cgroup.procs', "")
w(R, MS + 'cgroup.threads', "")
w(R, MS + 'memory.max', "134217728\n")
w(R, MS + 'memory.current', "60000000\n")
w(R, MS + 'memory.swap.max', "67108864\n")
w(R, MS + 'memory.swap.current', "5000000\n")
w(R, MS + 'memory.stat', v2_memstat(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18))
w(R, MS + 'cpu.max', "50000 100000\n")
w(R, MS + 'cpu.weight', "100\n")
w(R, MS + 'cpu.stat', "usage_usec 1\nuser_usec 1\nsystem_usec 0\n")
w(R, MS + 'cpuset.cpus.effective', "2-3\n")
w(R, MS + 'pids.max', "200\n")
w(R, MS + 'pids.current', "9\n")
CT = MS + 'ctr/'
w(R, CT + 'cgroup.controllers', "cpuset cpu io memory pids\n")
w(R, CT + 'cgroup.subtree_control', "cpu pids\n")
w(R, CT + 'cgroup.procs', "400\n402\n")
w(R, CT + 'cgroup.threads', "400\n401\n402\n")
w(R, CT + 'memory.max', "268435456\n")
w(R, CT + 'memory.current', "52428800\n")
w(R, CT + 'memory.swap.max', "max\n")
w(R, CT + 'memory.swap.current', "4194304\n")
w(R, CT + 'memory.stat', v2_memstat(25165824, 20971520, 3145728, 262144, 524288, 1048576, 4194304,
                                    65536, 8192, 12288, 2097152, 24117248, 1048576, 10485760,
                                    10485760, 0, 1048576, 1310720))
w(R, CT + 'cpu.max', "max 100000\n")
w(R, CT + 'cpu.weight', "10000\n")
w(R, CT + 'cpu.stat', "usage_usec 5000000\nuser_usec 3000000\nsystem_usec 2000000\nnr_periods 10\nnr_throttled 2\nthrottled_usec 30000\nnr_bursts 0\nburst_usec 0\n")
w(R, CT + 'cpuset.cpus.effective', "3\n")
w(R, CT + 'io.stat', "259:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=512 dios=1\n8:16 rbytes=1048576 wbytes=2097152 rios=256 wios=512 dbytes=0 dios=0\n")
w(R, CT + 'pids.max', "max\n")
w(R, CT + 'pids.current', "4\n")
for k in ('cpu', 'memory', 'io'):
    w(R, CT + k + '.pressure', "some avg10=0.00 avg60=0.35 avg300=0.62 total=3751239\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n")
IN = CT + 'inner/'
# memory, io and cpuset are not enabled in ctr's subtree_control
w(R, IN + 'cgroup.controllers', "cpu pids\n")
w(R, IN + 'cgroup.subtree_control', "")
w(R, IN + 'cgroup.procs', "403\n")
w(R, IN + 'cgroup.threads', "403\n")
w(R, IN + 'cpu.max', "25000 100000\n")
w(R, IN + 'cpu.weight', "1\n")
w(R, IN + 'cpu.stat', "usage_usec 7\nuser_usec 4\nsystem_usec 3\n")
w(R, IN + 'pids.max', "max\n")
w(R, IN + 'pids.current', "1\n")
for k in ('cpu', 'memory', 'io'):
    w(R, IN + k + '.pressure', "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n")
OLD = MS + 'old/'
w(R, OLD + 'cgroup.procs', "")
w(R, OLD + 'cgroup.threads', "")
w(R, OLD + 'memory.max', "max\n")
w(R, OLD + 'memory.current', "100\n")
w(R, OLD + 'memory.stat', v2_memstat(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, with_kernel=False))
w(R, OLD + 'cpu.max', "garbage\n")
w(R, 'proc/1/cgroup', "0::/\n")
w(R, 'proc/1/stat', stat(1, 'init', 'S', 1))
w(R, 'proc/400/cgroup', "0::/machine.slice/ctr\n")
w(R, 'proc/400/stat', stat(400, 'ctr', 'S', 7000))
w(R, 'proc/401/stat', stat(401, 'ctr', 'R', 7001))
w(R, 'proc/402/stat', stat(402, 'ctr', 'D', 6500))
w(R, 'proc/403/cgroup', "0::/machine.slice/ctr/inner\n")
w(R, 'proc/403/stat', stat(403, 'inner', 'R', 6000))
