#!/usr/bin/env python3
# check-layers.py: the architecture of src/liburun, checked on the built
# objects and the sources (a TAP test; see src/liburun/README.md).
#
#   check-layers.py SRCDIR BUILDDIR LIBURUN.a LIBURUN_INIT.a
#
# 1. The file-level call graph, read with nm from the two static
#    libraries, has no loop: no two files call each other, directly or
#    through others.
# 2. A file calls, and includes headers of, only its own folder and the
#    folders its layer may use (ALLOWED below).
# 3. The init library is compiled with no GLib on its include path, so
#    that <glib.h> there fails to compile (compile_commands.json).
# 4. No source file of src/ is longer than MAX_LINES.
import collections
import json
import os
import re
import subprocess
import sys

MAX_LINES = 800

# What each folder may call, besides itself.  init/ is the child zone and
# may include only the GLib-free util/urun-fd.h; plan/ fills the types
# that init/ defines.
ALLOWED = {
    'util': set(),
    'spec': {'util'},
    'init': set(),
    'plan': {'util', 'spec', 'init'},
    'cgroup': {'util', 'spec'},
    'state': {'util', 'spec'},
    'container': {'util', 'spec', 'init', 'plan', 'cgroup', 'state'},
}
# Headers a folder may include besides those of ALLOWED: init/ the one
# GLib-free helper of util/; state/ the types of the cgroup outcome it
# records (and no cgroup function: whether a container is frozen is the
# container layer's question).
MAY_ALSO_INCLUDE = {
    'init': {'util/urun-fd.h'},
    'state': {'cgroup/urun-cgroup-types.h'},
}

srcdir, builddir, archives = sys.argv[1], sys.argv[2], sys.argv[3:]
tests = []


def check(ok, name, details=()):
    tests.append((ok, name, list(details)))


def member_file(archive, member):
    """'cgroup_urun-cgroup.c.o' of liburun.a -> 'cgroup/urun-cgroup'; the
    init library is a folder of its own, so its members have no prefix."""
    base = member[:-len('.c.o')]
    if os.path.basename(archive) == 'liburun-init.a':
        return 'init/' + base
    folder, _, name = base.partition('_')
    return folder + '/' + name


# 'ARCHIVE:MEMBER.c.o:[VALUE] TYPE SYMBOL'; thin archives name members by path.
NM_LINE = re.compile(r'^(.*?\.c\.o):\s*(?:[0-9a-f]+\s+)?([A-Za-z])\s+(\S+)$')
defined = {}
used = collections.defaultdict(set)
for archive in archives:
    out = subprocess.run(['nm', '-A', archive], capture_output=True,
                         text=True, check=True).stdout
    for line in out.splitlines():
        m = NM_LINE.match(line)
        if not m:
            continue
        f = member_file(archive, os.path.basename(m.group(1).rsplit(':', 1)[-1]))
        kind, symbol = m.group(2), m.group(3)
        if kind in 'TDBRCG':
            defined[symbol] = f
        elif kind == 'U':
            used[f].add(symbol)

calls = collections.defaultdict(set)
for f, symbols in used.items():
    for s in symbols:
        target = defined.get(s)
        if target and target != f:
            calls[f].add(target)
files = sorted(set(defined.values()) | set(used))

# Tarjan's strongly connected components: any with two files is a loop.
index, low, stack, on_stack, loops = {}, {}, [], set(), []
sys.setrecursionlimit(10000)


def visit(v):
    index[v] = low[v] = len(index)
    stack.append(v)
    on_stack.add(v)
    for w in calls[v]:
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on_stack:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        component = []
        while True:
            w = stack.pop()
            on_stack.discard(w)
            component.append(w)
            if w == v:
                break
        if len(component) > 1:
            loops.append(sorted(component))


for v in files:
    if v not in index:
        visit(v)
details = []
for component in loops:
    details.append('loop: ' + ' '.join(component))
    for a in component:
        details.append('  %s -> %s' % (a, ' '.join(sorted(calls[a] & set(component)))))
check(not loops, 'no file calls back into a file that calls it (%d files)' % len(files), details)


def folder_of(f):
    return f.split('/', 1)[0]


details = []
for f in files:
    for target in sorted(calls[f]):
        a, b = folder_of(f), folder_of(target)
        if a != b and b not in ALLOWED.get(a, set()):
            details.append('%s calls %s (%s/ may call: %s)'
                           % (f, target, a, ' '.join(sorted(ALLOWED.get(a, ()))) or 'nothing'))
check(not details, 'every call goes to its own folder or a layer below', details)

lib = os.path.join(srcdir, 'src', 'liburun')
include = re.compile(r'^\s*#\s*include\s+"([a-z]+/[^"]+)"', re.M)
details = []
for folder in sorted(ALLOWED):
    for name in sorted(os.listdir(os.path.join(lib, folder))):
        if not name.endswith(('.c', '.h')):
            continue
        with open(os.path.join(lib, folder, name), encoding='utf-8') as fh:
            text = fh.read()
        for header in include.findall(text):
            other = header.split('/', 1)[0]
            if other == folder:
                continue
            allowed = (other in ALLOWED[folder]
                       or header in MAY_ALSO_INCLUDE.get(folder, ()))
            if not allowed:
                details.append('%s/%s includes "%s"' % (folder, name, header))
        if folder == 'init' and re.search(r'#\s*include\s*<(glib|gio|json-glib)', text):
            details.append('%s/%s includes a GLib header' % (folder, name))
check(not details, 'every #include names its own folder or a layer below', details)

details = []
commands = os.path.join(builddir, 'compile_commands.json')
with open(commands, encoding='utf-8') as fh:
    entries = json.load(fh)
init_entries = [e for e in entries if '/src/liburun/init/' in e['file']
                or e['file'].startswith('../src/liburun/init/')]
for e in init_entries:
    command = e.get('command') or ' '.join(e.get('arguments', []))
    if 'glib-2.0' in command or 'json-glib' in command:
        details.append('%s is compiled with GLib on its include path' % e['file'])
if not init_entries:
    details.append('no init/ source in %s' % commands)
check(not details, 'init/ is compiled without GLib (%d files)' % len(init_entries), details)

details = []
for top in ('src',):
    for root, _, names in os.walk(os.path.join(srcdir, top)):
        for name in sorted(names):
            if name.endswith(('.c', '.h')):
                path = os.path.join(root, name)
                with open(path, encoding='utf-8') as fh:
                    n = sum(1 for _ in fh)
                if n > MAX_LINES:
                    details.append('%s: %d lines' % (os.path.relpath(path, srcdir), n))
check(not details, 'no source file is over %d lines' % MAX_LINES, details)

print('1..%d' % len(tests))
for i, (ok, name, lines) in enumerate(tests, 1):
    print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
    for line in lines:
        print('#   ' + line)
sys.exit(0 if all(ok for ok, _, _ in tests) else 1)
