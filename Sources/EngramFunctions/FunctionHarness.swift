/// The small Python program that runs a library function inside the sandbox: it defines the function (and the
/// library functions it depends on), calls it with JSON arguments or runs its test cases, and prints one result line
/// after a marker. The function's own prints are captured so they cannot be mistaken for the result.
enum FunctionHarness {
    static let marker = "\u{1E}ENGRAM-RESULT "
    static let payloadName = "payload.json"

    static let source = #"""
        import json, sys, io, os

        MARKER = "\x1eENGRAM-RESULT "

        def encode(value):
            try:
                return json.loads(json.dumps(value, allow_nan=False)), None
            except (TypeError, ValueError) as e:
                return None, "the return value is not JSON: %s (%s)" % (type(value).__name__, e)

        def call(fn, args, kwargs):
            buf = io.StringIO()
            old = sys.stdout
            sys.stdout = buf
            try:
                value = fn(*args, **kwargs)
                sys.stdout = old
                encoded, problem = encode(value)
                if problem:
                    return {"status": "unencodable", "error": problem, "stdout": buf.getvalue()[:10000]}
                return {"status": "ok", "value": encoded, "stdout": buf.getvalue()[:10000]}
            except MemoryError:
                sys.stdout = old
                return {"status": "memory", "error": "MemoryError", "stdout": ""}
            except BaseException as e:
                sys.stdout = old
                names = [c.__name__ for c in type(e).__mro__]
                return {"status": "raised", "raised": type(e).__name__, "mro": names, "error": str(e)[:2000],
                        "stdout": buf.getvalue()[:10000]}

        def main():
            with open(sys.argv[1]) as f:
                payload = json.load(f)
            os.remove(sys.argv[1])
            namespace = {"__name__": "engram_library"}
            exec(compile(payload["source"], "library.py", "exec"), namespace)
            fn = namespace[payload["function"]]
            if payload["mode"] == "run":
                out = call(fn, payload.get("args", []), payload.get("kwargs", {}))
            else:
                results = []
                for i, case in enumerate(payload["cases"]):
                    r = call(fn, case.get("args", []), case.get("kwargs", {}))
                    expect = case.get("expect")
                    if isinstance(expect, dict) and set(expect) == {"raises"}:
                        passed = r["status"] == "raised" and expect["raises"] in r["mro"]
                        got = {"raises": r["raised"], "message": r["error"]} if r["status"] == "raised" else r.get("value")
                    else:
                        passed = r["status"] == "ok" and r["value"] == expect
                        got = r.get("value") if r["status"] == "ok" else {"raises": r.get("raised") or r["status"], "message": r.get("error")}
                    results.append({"case": i, "status": "passed" if passed else "failed", "expected": expect, "got": got})
                out = {"status": "ok", "results": results}
            sys.stdout.write("\n" + MARKER + json.dumps(out) + "\n")
            sys.stdout.flush()

        main()
        """#
}
