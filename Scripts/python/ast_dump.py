#!/usr/bin/env python3
"""Reference dump of what CPython's `ast` sees, for EngramCode's parser tests (test tooling only).

Usage: ast_dump.py FILE... -> JSON list, one object per file:
  {"file", "symbols": [...], "calls": [...], "imports": [...]} or {"file", "error": {"line", "msg"}}
Signatures follow the seed's _build_signature, extended with "/", bare "*" and keyword-only
parameters; calls follow the seed's _resolve_call and builtin filter. A call belongs to the
innermost def or class whose body contains it ("<module>" otherwise); decorators, defaults,
annotations and bases belong to the enclosing scope, where Python evaluates them.
"""
import ast
import json
import sys

IGNORED = {"print", "len", "range", "enumerate", "zip", "isinstance", "hasattr", "getattr",
           "setattr", "super", "type", "str", "int", "float", "bool", "list", "dict", "set", "tuple"}


def render_param(arg, prefix="", default=None):
    part = prefix + arg.arg
    if arg.annotation is not None:
        part += f": {ast.unparse(arg.annotation)}"
    if default is not None:
        part += f" = {ast.unparse(default)}"
    return part


def build_signature(node):
    a = node.args
    parts = []
    positional = a.posonlyargs + a.args
    defaults = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
    for i, (arg, d) in enumerate(zip(positional, defaults)):
        parts.append(render_param(arg, default=d))
        if a.posonlyargs and i == len(a.posonlyargs) - 1:
            parts.append("/")
    if a.vararg:
        parts.append(render_param(a.vararg, prefix="*"))
    elif a.kwonlyargs:
        parts.append("*")
    for arg, d in zip(a.kwonlyargs, a.kw_defaults):
        parts.append(render_param(arg, default=d))
    if a.kwarg:
        parts.append(render_param(a.kwarg, prefix="**"))
    sig = f"{node.name}({', '.join(parts)})"
    if node.returns is not None:
        sig += f" -> {ast.unparse(node.returns)}"
    return sig


def class_signature(node):
    bases = [ast.unparse(b) for b in node.bases]
    bases += [(f"{k.arg}=" if k.arg else "**") + ast.unparse(k.value) for k in node.keywords]
    return f"{node.name}({', '.join(bases)})" if bases else node.name


def docstring_first_line(node):
    doc = ast.get_docstring(node)
    if doc:
        doc = doc.split("\n")[0].strip()
    return doc or None


class Dumper:
    def __init__(self):
        self.symbols = []
        self.calls = []
        self.imports = []
        self.import_map = {}
        self.stack = []  # (name, is_class)

    def run(self, tree):
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    self.import_map[alias.asname or alias.name] = alias.name
            elif isinstance(node, ast.ImportFrom):
                module = node.module or ""
                for alias in node.names:
                    if alias.name == "*":
                        continue
                    self.import_map[alias.asname or alias.name] = f"{module}.{alias.name}"
        self.visit_body(tree.body)

    def qualified(self, name):
        return ".".join([n for n, _ in self.stack] + [name])

    def caller(self):
        return ".".join(n for n, _ in self.stack) or "<module>"

    def current_class(self):
        for name, is_class in reversed(self.stack):
            if is_class:
                return name
        return None

    def visit_body(self, stmts):
        for s in stmts:
            self.visit(s)

    def visit(self, node):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.visit_def(node)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                self.imports.append({"module": alias.name, "level": 0, "name": None,
                                     "alias": alias.asname, "line": node.lineno})
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                self.imports.append({"module": node.module, "level": node.level, "name": alias.name,
                                     "alias": alias.asname, "line": node.lineno})
        elif isinstance(node, ast.Call):
            self.record_call(node)
        elif isinstance(node, (ast.MatchClass,)):
            # Class patterns are not calls; visit only their sub-patterns.
            for p in node.patterns + node.kwd_patterns:
                self.visit(p)
            return
        for child in ast.iter_child_nodes(node):
            self.visit(child)

    def visit_def(self, node):
        parent = self.stack[-1] if self.stack else None
        in_class = bool(parent and parent[1])
        for d in node.decorator_list:
            self.visit(d)
        if isinstance(node, ast.ClassDef):
            for b in node.bases:
                self.visit(b)
            for k in node.keywords:
                self.visit(k.value)
            kind = "class"
            sig = class_signature(node)
        else:
            a = node.args
            for arg in a.posonlyargs + a.args + a.kwonlyargs + [a.vararg, a.kwarg]:
                if arg is not None and arg.annotation is not None:
                    self.visit(arg.annotation)
            for d in a.defaults + [d for d in a.kw_defaults if d is not None]:
                self.visit(d)
            if node.returns is not None:
                self.visit(node.returns)
            is_async = isinstance(node, ast.AsyncFunctionDef)
            if in_class:
                kind = "async_method" if is_async else "method"
            else:
                kind = "async_function" if is_async else "function"
            sig = build_signature(node)
        self.symbols.append({
            "qualified_name": self.qualified(node.name),
            "kind": kind,
            "parent_class": parent[0] if in_class else None,
            "signature": sig,
            "decorators": [ast.unparse(d) for d in node.decorator_list],
            "docstring": docstring_first_line(node),
            "line_start": node.lineno,
            "line_end": node.end_lineno or node.lineno,
        })
        self.stack.append((node.name, isinstance(node, ast.ClassDef)))
        self.visit_body(node.body)
        self.stack.pop()

    def record_call(self, node):
        name, resolved, resolution = self.resolve_call(node)
        if name in IGNORED:
            return
        self.calls.append({"caller": self.caller(), "callee": name, "resolved": resolved,
                           "resolution": resolution, "line": node.lineno})

    def resolve_call(self, node):
        # The seed's _resolve_call, unchanged apart from using the innermost enclosing class.
        func = node.func
        if isinstance(func, ast.Name):
            if func.id in self.import_map:
                return func.id, self.import_map[func.id], "import"
            return func.id, func.id, "direct"
        if isinstance(func, ast.Attribute):
            method = func.attr
            if isinstance(func.value, ast.Name) and func.value.id == "self":
                cls = self.current_class()
                return f"self.{method}()", (f"{cls}.{method}" if cls else None), "self_method"
            if isinstance(func.value, ast.Name):
                obj = func.value.id
                raw = f"{obj}.{method}()"
                if obj in self.import_map:
                    return raw, f"{self.import_map[obj]}.{method}", "import"
                return raw, f"{obj}.{method}", "direct"
        return ast.unparse(func) + "()", None, "unresolved"


def dump(path):
    with open(path, "rb") as f:
        source = f.read()
    try:
        tree = ast.parse(source, filename=path)
    except (SyntaxError, ValueError) as e:
        return {"file": path, "error": {"line": getattr(e, "lineno", None), "msg": str(e)}}
    d = Dumper()
    d.run(tree)
    return {"file": path, "symbols": d.symbols, "calls": d.calls, "imports": d.imports}


if __name__ == "__main__":
    json.dump([dump(p) for p in sys.argv[1:]], sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
