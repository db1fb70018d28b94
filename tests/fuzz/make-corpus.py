#!/usr/bin/env python3
# Writes the seed corpora of tests/fuzz/corpus/<target>/ from the repository's
# fixtures, and (with --host) from this machine's /proc and /sys.  The corpora
# are committed; run this again only to refresh them.  The first byte of each
# seed picks the parser, as each target's header comment says.
import json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, '..', 'fixtures')
OUT = os.path.join(HERE, 'corpus')


def put(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def read(*p):
    with open(os.path.join(*p), 'rb') as f:
        return f.read()


def oci_docs():
    docs = {'runc': read(FIX, 'oci', 'runc', 'config.json'),
            'podman': read(FIX, 'oci', 'podman', 'config.json')}
    for n in sorted(os.listdir(os.path.join(FIX, 'oci', 'broken'))):
        docs['broken-' + n[:-5]] = read(FIX, 'oci', 'broken', n)
    return docs


def json_seeds(docs):
    for name, doc in docs.items():
        put('fuzz-json', name, doc)
    put('fuzz-json', 'seccomp', read(HERE, 'seccomp.json'))
    for i, t in enumerate(['18446744073709551615', '-9223372036854775808', '1e400', '-0.0e-5',
                           '"\\ud83d\\ude00 \\u00e9 \\n\\t\\/"', '[[[[[]]]]]', '{"a":1,"a":2}',
                           '[true,false,null,"x",1.5,{}]', '"\\ud800"', '{"k":"v\\u0000"}']):
        put('fuzz-json', 'edge-%d' % i, t)


def oci_seeds(docs):
    for name, doc in docs.items():
        put('fuzz-oci', 'config-' + name, b'0' + doc)
    for name in ('runc', 'podman'):
        proc = json.loads(docs[name])['process']
        put('fuzz-oci', 'process-' + name, '1' + json.dumps(proc, indent=1))
    put('fuzz-oci', 'process-minimal', '1{"args":["/bin/true"],"cwd":"/"}')
    put('fuzz-oci', 'seccomp-nocaps', b'2' + read(HERE, 'seccomp.json'))
    put('fuzz-oci', 'seccomp-allcaps', b'3' + read(HERE, 'seccomp.json'))
    put('fuzz-oci', 'state', '4' + json.dumps({
        'ociVersion': '1.0.2', 'id': 'c1', 'status': 'creating', 'pid': 4242,
        'bundle': '/run/containers/c1', 'annotations': {
            'org.corral.views': 'true', 'org.corral.views.path': '/var/lib/corral'}}))
    put('fuzz-oci', 'state-noann', '4{"ociVersion":"1.0.2","id":"x","pid":1,"bundle":"/b"}')
    put('fuzz-oci', 'hook-config-runc', b'5' + docs['runc'])
    put('fuzz-oci', 'hook-config-podman', b'5' + docs['podman'])
    put('fuzz-oci', 'update-resources', '6' + json.dumps({
        'memory': {'limit': 268435456, 'reservation': 134217728, 'swap': 536870912,
                   'kernel': 0, 'swappiness': 60},
        'cpu': {'shares': 512, 'quota': 50000, 'period': 100000, 'cpus': '0-1', 'mems': '0',
                'realtimeRuntime': 0},
        'pids': {'limit': 100}, 'blockIO': {'weight': 10}, 'devices': []}))
    put('fuzz-oci', 'update-empty', '6{}')
    for name, fields in [('sizes', ['256m', '1g', '128MiB', '-1', '', '', '', '', '', '']),
                         ('cpu', ['', '', '', '-1', '100000', '1024', '0-1', '0', '100', '']),
                         ('blkio', ['1.5k', '', '', '', '', '', '', '', '', '500'])]:
        put('fuzz-oci', 'update-options-' + name, '7' + '\0'.join(fields))


def cli_seeds():
    argvs = {
        'basic': ['-it', '--rm', 'busybox', 'sh'],
        'limits': ['-m', '256m', '--memory-swap=512m', '--memory-reservation', '128m',
                   '--cpus', '1.5', '--cpu-shares=512', '--cpuset-cpus', '0-1',
                   '--pids-limit', '100', '--', '/bin/sh', '-c', 'echo hi'],
        'user': ['--name', 'c1', '--hostname', 'h', '-u', '1000:1000', '-e', 'A=b', '-e', 'HOME',
                 '-w', '/tmp', '--read-only', '--network', 'none', 'true'],
        'caps': ['--cap-add', 'SYS_ADMIN,NET_ADMIN', '--cap-drop=ALL',
                 '--security-opt', 'no-new-privileges=true', '--init', 'true'],
        'seccomp': ['--security-opt', 'seccomp=unconfined', '--security-opt=seccomp=x.json', 'true'],
        'paths': ['--rootfs', '/', '-v', '/tmp:/mnt:ro', '--views', '/var/lib/corral',
                  '--device', '/dev/null:/dev/n:rwm', '--cgroup-parent', 'a/b/', 'true'],
        'short': ['-m256m', '-c1024', '-h'],
        'noviews': ['--no-views', '--cpus=0.01', 'x'],
    }
    for name, argv in argvs.items():
        put('fuzz-cli', 'run-' + name, '0' + '\0'.join(argv))
    for s in ['512', '64k', '256m', '1g', '2T', '10MB', '9223372036854775807', '8388608t', '0b']:
        put('fuzz-cli', 'size-' + s, '1' + s)


KERNEL = {'strip': 0, 'u64': 1, 'i64': 2, 'u64max': 3, 'limit': 4, 'keyed': 5, 'keyedu64': 6,
          'psi': 7, 'cpumask': 8, 'pidstat': 9, 'idlist': 10, 'meminfo': 11, 'cpuinfo': 12,
          'online': 13, 'stat': 14, 'diskstats': 15, 'usageall': 16, 'percpu': 17,
          'serviced': 18, 'iostat': 19, 'servicebytes': 38}


def kput(kind, name, data):
    # 60 is 0 modulo 20; the selector of io_service_bytes is 18 + 20
    put('fuzz-kernel', kind + '-' + name, bytes([60 + KERNEL[kind]]) + data)


def kernel_seeds():
    for k, v in [('strip', b'  max\n'), ('u64', b'18446744073709551615\n'), ('i64', b'-1\n'),
                 ('u64max', b'max\n'), ('limit', b'9223372036854771712\n'),
                 ('keyed', b'cache 0\nrss 4096\ntotal_cache 8192\ntotal_rss 12288\n'),
                 ('keyedu64', b'nr_periods 12\nnr_throttled 3\nthrottled_time 99\n'),
                 ('psi', b'some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n'
                         b'full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n'),
                 ('cpumask', b'0-3,8,10-11\n'), ('idlist', b'1\n42\n4242\n'),
                 ('pidstat', b'42 (a b) c) S 1 42 42 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 '
                             b'123456 1 1 18446744073709551615\n')]:
        kput(k, 'fixture', v)
    host = os.path.join(FIX, 'host')
    for f, k in [('meminfo', 'meminfo'), ('cpuinfo', 'cpuinfo'), ('cpuinfo-arm64', 'cpuinfo'),
                 ('cpuinfo-x86-2s8c', 'cpuinfo'), ('online', 'online'), ('online-8', 'online'),
                 ('stat', 'stat'), ('diskstats', 'diskstats')]:
        kput(k, 'fixture-' + f, read(host, f))
    v1 = os.path.join(FIX, 'cgroup-v1', 'sys', 'fs', 'cgroup', 'cpu,cpuacct', 'lxc')
    kput('usageall', 'fixture', read(v1, 'c1', 'cpuacct.usage_all'))
    kput('usageall', 'fixture-bad', read(v1, 'bad', 'cpuacct.usage_all'))
    kput('percpu', 'fixture', read(v1, 'c2', 'cpuacct.usage_percpu_user'))
    kput('iostat', 'fixture', read(FIX, 'cgroup-v2', 'sys', 'fs', 'cgroup', 'io.stat'))
    blk = b'8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 0\n8:0 Async 12288\n8:0 Discard 0\n' \
          b'8:0 Total 12288\n253:1 Read 1\nTotal 12289\n'
    kput('servicebytes', 'synthetic', blk)
    kput('serviced', 'synthetic', blk)


def host_seeds():
    own = [l.split(':', 2) for l in open('/proc/self/cgroup').read().splitlines()]
    mem = next(p for _, c, p in own if c == 'memory')
    for path, k in [('/proc/meminfo', 'meminfo'), ('/proc/cpuinfo', 'cpuinfo'),
                    ('/sys/devices/system/cpu/online', 'online'), ('/proc/stat', 'stat'),
                    ('/proc/diskstats', 'diskstats'), ('/proc/pressure/cpu', 'psi'),
                    ('/proc/pressure/io', 'psi'), ('/proc/self/stat', 'pidstat'),
                    ('/sys/fs/cgroup/cpuset/cpuset.cpus', 'cpumask'),
                    ('/sys/fs/cgroup/memory%s/memory.stat' % mem, 'keyed'),
                    ('/sys/fs/cgroup/memory%s/memory.limit_in_bytes' % mem, 'limit'),
                    ('/sys/fs/cgroup/memory%s/cgroup.procs' % mem, 'idlist'),
                    ('/sys/fs/cgroup/cpu/cpu.stat', 'keyedu64'),
                    ('/sys/fs/cgroup/cpuacct/cpuacct.usage_all', 'usageall'),
                    ('/sys/fs/cgroup/cpuacct/cpuacct.usage_percpu_user', 'percpu'),
                    ('/sys/fs/cgroup/blkio/blkio.throttle.io_service_bytes', 'servicebytes'),
                    ('/sys/fs/cgroup/blkio/blkio.throttle.io_serviced', 'serviced')]:
        try:
            kput(k, 'host-' + os.path.basename(path), read(path))
        except OSError as e:
            print('skipped %s: %s' % (path, e), file=sys.stderr)
    put('fuzz-cgroup', 'paths-hybrid-host', b'1' + read('/proc/self/cgroup'))
    put('fuzz-cgroup', 'mountinfo-host', b'3' + read('/proc/self/mountinfo'))
    put('fuzz-cgroup', 'v1-memory-host', b'L' + read('/proc/self/mountinfo') + b'\0' +
        read('/proc/self/cgroup'))
    put('fuzz-cgroup', 'runtime-host', b'5' + read('/proc/self/mountinfo') + b'\0' +
        read('/proc/self/cgroup'))


def cgroup_seeds():
    for i, tree in enumerate(['cgroup-v1', 'cgroup-hybrid', 'cgroup-v2']):
        proc = os.path.join(FIX, tree, 'proc')
        for pid in sorted(os.listdir(proc)):
            f = os.path.join(proc, pid, 'cgroup')
            if os.path.exists(f):
                put('fuzz-cgroup', 'paths-%s-%s' % (tree, pid), str(i).encode() + read(f))
        mi = read(FIX, tree, 'mountinfo')
        put('fuzz-cgroup', 'mountinfo-' + tree, b'3' + mi)
        put('fuzz-cgroup', 'runtime-' + tree, b'5' + mi + b'\0' +
            read(proc, sorted(os.listdir(proc))[0], 'cgroup'))
    mi = read(FIX, 'cgroup-hybrid', 'mountinfo')
    cg = read(FIX, 'cgroup-hybrid', 'proc', '200', 'cgroup')
    for sel, ctrl in [(b'L', 'memory'), (b'R', 'freezer'), (b'4', 'cpu'), (b':', 'devices'),
                      (b'@', 'net_cls')]:
        put('fuzz-cgroup', 'v1-' + ctrl, sel + mi + b'\0' + cg)
    put('fuzz-cgroup', 'paths-escape', b'1' + b'4:memory:/../x\n0::/a/../b\n')
    put('fuzz-cgroup', 'mountinfo-space', b'3' + b'40 30 0:40 / /sys/fs/cgroup/my\\040dir rw - '
        b'cgroup cgroup rw,memory\n41 30 0:41 /sub /x rw - cgroup2 cgroup2 rw\n')


if __name__ == '__main__':
    docs = oci_docs()
    json_seeds(docs)
    oci_seeds(docs)
    cli_seeds()
    kernel_seeds()
    cgroup_seeds()
    if '--host' in sys.argv:
        host_seeds()
