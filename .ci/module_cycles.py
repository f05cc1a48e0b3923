#!/usr/bin/env python3
"""Checks that a crate's modules depend on each other one way only.

The graph: a module is a top-level module, or a file or folder inside a folder module (key/,
token/, store/, error/, login/, ...); an edge A -> B when code of A (not its comments, not its
tests) names `crate::B` or `super::B`. Every cycle is printed, and the exit status is 1 when there
is one.

    .ci/module_cycles.py paseto-auth/src
"""
import os, re, sys, itertools
root = sys.argv[1]
def module_of(path):
    rel = os.path.relpath(path, root)[:-3].split(os.sep)
    if rel[-1] in ('mod',): rel = rel[:-1]
    return rel
edges = {}
for dirpath, _, files in os.walk(root):
    for f in files:
        if not f.endswith('.rs'): continue
        p = os.path.join(dirpath, f)
        mod = module_of(p)
        if mod and mod[-1] in ('tests', 'vectors'): continue
        text = open(p).read()
        text = re.split(r'#\[cfg\(test\)\]\s*mod tests\s*\{', text)[0]
        text = '\n'.join(l for l in text.split('\n') if not l.strip().startswith('//'))
        for m in re.finditer(r'\b(crate|super)::((?:\w+::)*\w+|\{[^}]*\})', text):
            kind, rest = m.group(1), m.group(2)
            heads = [rest]
            if kind == 'crate':
                target = rest.split('::')[0]
                tgt = [target]
                if '::' in rest:
                    sub = rest.split('::')[1]
                    if os.path.exists(os.path.join(root, target, sub + '.rs')) or os.path.isdir(os.path.join(root, target, sub)):
                        tgt = [target, sub]
            else:
                parent = mod[:-1] if (os.path.basename(p) != 'mod.rs') else mod[:-1]
                first = rest.split('::')[0].strip('{}').split(',')[0].strip()
                tgt = parent + [first]
            a = '/'.join(mod); b = '/'.join(tgt)
            if not a or not b or b.startswith(a + '/') or a == b: continue
            edges.setdefault(a, set()).add(b)
# collapse: a module depends on b if edge a->b or a->b/child
nodes = set(edges) | {b for s in edges.values() for b in s}
def deps(a):
    return edges.get(a, set())
# find cycles with DFS
sys.setrecursionlimit(10000)
cycles = set()
def dfs(node, stack, onstack):
    for n in deps(node):
        if n in onstack:
            cyc = stack[stack.index(n):]
            i = cyc.index(min(cyc)); cycles.add(tuple(cyc[i:]+cyc[:i]))
        elif len(stack) < 30:
            dfs(n, stack+[n], onstack|{n})
for n in sorted(nodes):
    dfs(n, [n], {n})
bad = sorted(cycles, key=len)
for c in bad:
    print(' -> '.join(c + (c[0],)))
print(f"{len(nodes)} modules, {sum(len(s) for s in edges.values())} edges, {len(bad)} cycles")
sys.exit(1 if bad else 0)
