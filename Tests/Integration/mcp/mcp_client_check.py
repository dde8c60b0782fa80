#!/usr/bin/env python3
"""Drives `engram mcp` with the official MCP Python SDK (pip package `mcp`).

Usage: mcp_client_check.py PLAN.json
The plan names the server command and the tool calls to make; this script only reports
what the server answered (one JSON document on stdout). The Swift test judges it.
Exit 3 when the `mcp` package is missing.
"""
import asyncio
import json
import statistics
import sys
import time

try:
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client
except ImportError as e:  # pragma: no cover - reported to the Swift test
    print(f"the MCP Python SDK is not installed ({e}); run `python3 -m pip install mcp`", file=sys.stderr)
    sys.exit(3)


def dump(obj):
    """Pydantic models and plain values to JSON-able data."""
    if obj is None:
        return None
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json", by_alias=True, exclude_none=True)
    return obj


def error_code(exc):
    for attr in ("error", "data"):
        inner = getattr(exc, attr, None)
        if inner is not None and hasattr(inner, "code"):
            return inner.code, getattr(inner, "message", str(exc))
    if hasattr(exc, "code"):
        return exc.code, str(exc)
    return None, f"{type(exc).__name__}: {exc}"


async def call(session, tool, arguments):
    try:
        result = await session.call_tool(tool, arguments)
    except Exception as exc:  # a JSON-RPC error comes back as an exception
        code, message = error_code(exc)
        return {"protocol_error": {"code": code, "message": message}}
    data = dump(result)
    texts = [c.get("text", "") for c in data.get("content", []) if c.get("type") == "text"]
    return {
        "is_error": bool(data.get("isError", False)),
        "text": "\n".join(texts),
        "structured": data.get("structuredContent"),
    }


async def main(plan):
    params = StdioServerParameters(command=plan["command"], args=plan["args"], env=plan.get("env"), cwd=plan.get("cwd"))
    report = {}
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            # Read results through their JSON form (wire names): attribute names differ between SDK versions.
            init = dump(await session.initialize())
            report["server"] = {"name": init["serverInfo"]["name"], "version": init["serverInfo"].get("version"),
                                "protocol": init.get("protocolVersion"),
                                "has_tools": init.get("capabilities", {}).get("tools") is not None,
                                "instructions": init.get("instructions")}
            listed = dump(await session.list_tools())
            report["tools"] = [{"name": t["name"], "description": t.get("description", ""), "input_schema": t.get("inputSchema")}
                               for t in listed["tools"]]
            calls = {}
            for step in plan["calls"]:
                calls[step["label"]] = await call(session, step["tool"], step.get("arguments"))
            report["calls"] = calls

            bench = plan.get("latency")
            if bench:
                samples = []
                for _ in range(bench.get("warmup", 20)):
                    await session.call_tool(bench["tool"], bench.get("arguments"))
                for _ in range(bench["iterations"]):
                    t0 = time.perf_counter()
                    await session.call_tool(bench["tool"], bench.get("arguments"))
                    samples.append((time.perf_counter() - t0) * 1000)
                samples.sort()
                report["latency"] = {"tool": bench["tool"], "n": len(samples),
                                     "p50_ms": round(statistics.median(samples), 3),
                                     "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 3),
                                     "min_ms": round(samples[0], 3)}
    return report


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    with open(sys.argv[1], encoding="utf-8") as f:
        plan = json.load(f)
    out = asyncio.run(main(plan))
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
