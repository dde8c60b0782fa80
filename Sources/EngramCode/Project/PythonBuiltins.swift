import Foundation

/// Names Python resolves from `builtins` when no scope binds them (3.12).
enum PythonBuiltins {
    static let names: Set<String> = [
        "abs", "aiter", "all", "anext", "any", "ascii", "bin", "bool", "breakpoint", "bytearray", "bytes", "callable", "chr",
        "classmethod", "compile", "complex", "delattr", "dict", "dir", "divmod", "enumerate", "eval", "exec", "exit", "filter",
        "float", "format", "frozenset", "getattr", "globals", "hasattr", "hash", "help", "hex", "id", "input", "int", "isinstance",
        "issubclass", "iter", "len", "list", "locals", "map", "max", "memoryview", "min", "next", "object", "oct", "open", "ord",
        "pow", "print", "property", "quit", "range", "repr", "reversed", "round", "set", "setattr", "slice", "sorted",
        "staticmethod", "str", "sum", "super", "tuple", "type", "vars", "zip", "__import__",
        "BaseException", "Exception", "ArithmeticError", "AssertionError", "AttributeError", "BufferError", "EOFError",
        "ImportError", "ModuleNotFoundError", "LookupError", "IndexError", "KeyError", "MemoryError", "NameError",
        "NotImplementedError", "OSError", "IOError", "EnvironmentError", "OverflowError", "RecursionError", "ReferenceError",
        "RuntimeError", "StopIteration", "StopAsyncIteration", "SyntaxError", "SystemError", "SystemExit", "TypeError",
        "UnboundLocalError", "UnicodeError", "UnicodeDecodeError", "UnicodeEncodeError", "ValueError", "ZeroDivisionError",
        "FileNotFoundError", "FileExistsError", "PermissionError", "TimeoutError", "ConnectionError", "BrokenPipeError",
        "KeyboardInterrupt", "GeneratorExit", "Warning", "UserWarning", "DeprecationWarning", "RuntimeWarning",
        "NotImplemented", "Ellipsis", "ExceptionGroup", "BaseExceptionGroup",
    ]
}
