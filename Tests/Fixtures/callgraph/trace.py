"""Records the call edges a corpus case makes when it runs (ground truth for expected.json).

    python3 trace.py CASE_DIR            prints the traced graph as JSON
    python3 trace.py --check CASE_DIR... compares each case's expected.json with its trace

Edges are project-only: caller and callee code must live in the case folder. Names are
module-qualified (`main` is the module of main.py and stands for its module level); nested
functions drop CPython's `<locals>`; calls made inside lambdas and comprehensions count for
the enclosing definition; class bodies and module bodies are not callees.
"""
import json, os, subprocess, sys

CO_OPTIMIZED = 0x0001


def trace(case):
    case = os.path.abspath(case)
    edges = {}

    def owner(frame):
        code = frame.f_code
        module = frame.f_globals.get("__name__", "?")
        if code.co_name == "<module>":
            return module
        parts = [p for p in code.co_qualname.split(".") if p != "<locals>"]
        while parts and parts[-1].startswith("<"):
            parts.pop()
        return ".".join([module] + parts) if parts else module

    def profile(frame, event, arg):
        if event != "call":
            return
        code = frame.f_code
        if not code.co_filename.startswith(case + os.sep) or not code.co_flags & CO_OPTIMIZED:
            return
        if any(p.startswith("<") for p in code.co_qualname.split(".") if p != "<locals>"):
            return
        caller = frame.f_back
        if caller is None or not caller.f_code.co_filename.startswith(case + os.sep):
            return
        edges.setdefault(owner(caller), set()).add(owner(frame))

    sys.path.insert(0, case)
    os.chdir(case)
    import contextlib, io, runpy
    with contextlib.redirect_stdout(io.StringIO()):
        sys.setprofile(profile)
        try:
            runpy.run_path(os.path.join(case, "main.py"), run_name="main")
        finally:
            sys.setprofile(None)
    return {k: sorted(v) for k, v in sorted(edges.items())}


def main():
    args = sys.argv[1:]
    if args and args[0] == "--check":
        bad = 0
        for case in args[1:]:
            out = subprocess.run([sys.executable, __file__, case], capture_output=True, text=True)
            if out.returncode != 0:
                print(f"{case}: failed: {out.stderr.strip().splitlines()[-1:]}"); bad += 1; continue
            traced = json.loads(out.stdout)
            with open(os.path.join(case, "expected.json")) as f:
                expected = json.load(f)
            norm = lambda g: {k: sorted(v) for k, v in g.items() if v}
            if norm(traced) != norm(expected):
                print(f"{case}: expected.json differs from the trace:\n  traced   {json.dumps(norm(traced))}\n  expected {json.dumps(norm(expected))}")
                bad += 1
        sys.exit(1 if bad else 0)
    print(json.dumps(trace(args[0]), indent=2, sort_keys=True))


main()
