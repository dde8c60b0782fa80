#!/usr/bin/env python3
"""Peer benchmark for EngramCode: CPython ast.parse plus a walk over the same files (test tooling only).

Usage: bench_ast.py FILE... -> one JSON object {"files", "lines", "seconds", "defs", "calls"}.
"""
import ast
import json
import sys
import time


def main(paths):
    sources = []
    for p in paths:
        with open(p, "rb") as f:
            sources.append(f.read())
    lines = sum(s.count(b"\n") for s in sources)
    start = time.perf_counter()
    defs = calls = parsed = 0
    for src in sources:
        try:
            tree = ast.parse(src)
        except (SyntaxError, ValueError):
            continue
        parsed += 1
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                defs += 1
            elif isinstance(node, ast.Call):
                calls += 1
    seconds = time.perf_counter() - start
    json.dump({"files": parsed, "lines": lines, "seconds": seconds, "defs": defs, "calls": calls}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
