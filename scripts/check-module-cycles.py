#!/usr/bin/env python3
"""Fails when the core's top-level modules import each other in a cycle.

A top-level module is a file or folder directly under crates/myeloma-pathway/src; an import is
any `crate::<module>` path outside comments and `#[cfg(test)]` code. Prints the graph and the
modules on a cycle. `--self-test` first checks that a tree with a cycle is reported.
"""
import os
import re
import sys
import tempfile


def graph(src):
    files = []
    for root, _, names in os.walk(src):
        files += [os.path.join(root, n) for n in names if n.endswith(".rs")]
    top = lambda f: os.path.relpath(f, src).split(os.sep)[0].removesuffix(".rs")
    mods = {top(f) for f in files} - {"lib", "main"}
    g = {m: set() for m in mods}
    for f in files:
        me = top(f)
        if me not in g:
            continue
        text = open(f, encoding="utf-8").read()
        m = re.search(r"^\s*#\[cfg\(test\)\]", text, re.M)
        text = text[: m.start()] if m else text
        text = re.sub(r"//[^\n]*", "", text)
        g[me] |= {n for n in re.findall(r"crate::([a-z_][a-z0-9_]*)", text) if n in mods and n != me}
    return g


def on_cycle(g):
    def reach(a):
        seen, todo = set(), [a]
        while todo:
            for w in g[todo.pop()]:
                if w not in seen:
                    seen.add(w)
                    todo.append(w)
        return seen
    return sorted(m for m in g if m in reach(m))


def self_test():
    with tempfile.TemporaryDirectory() as d:
        for name, body in {"a.rs": "use crate::b::X;", "b.rs": "use crate::a::Y;", "c.rs": "use crate::a::Z;"}.items():
            open(os.path.join(d, name), "w").write(body)
        assert on_cycle(graph(d)) == ["a", "b"], "the cycle check missed a planted cycle"


def main():
    if "--self-test" in sys.argv:
        self_test()
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "crates", "myeloma-pathway", "src")
    g = graph(src)
    for m in sorted(g):
        print(f"  {m} -> {', '.join(sorted(g[m])) or '(nothing)'}")
    cyc = on_cycle(g)
    if cyc:
        print("module cycle: " + " ".join(cyc))
        return 1
    print(f"module graph: {len(g)} modules, no cycle")
    return 0


if __name__ == "__main__":
    sys.exit(main())
