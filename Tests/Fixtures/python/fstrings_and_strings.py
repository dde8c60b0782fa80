name = "x"
width = 10


def render(items: list[str], sep: str = ", ") -> str:
    """Render items with f-strings of many shapes."""
    head = f"{name!r:>{width}}|{width:#x}|{{literal}}|{sep.join(items)}"
    quoted = f'{"nested double"}' + f"{'nested single'}"
    multi = f"""
    {len(items)} items:
    {", ".join(i.upper() for i in items)}
    """
    raw = rf"\d+{name}" + fr'\w{width}' + Rb"\x00".decode()
    dbg = f"{width = }" f"{name=!s}"
    return head + quoted + multi + raw + dbg + format_tail(items)


def format_tail(items, fmt=f"{width:>{width}}", other=f"a{'b'}c"):
    return "".join(
        str(i)
        for i in items  # comment inside parens
    ) \
        + fmt


def match_demo(command):
    match command.split():
        case ["go", direction]:
            return move(direction)
        case [Point(x=0, y=0) as origin, *rest] if check(rest):
            return origin
        case {"key": value, **others}:
            return value
        case _:
            return None


def with_forms(path):
    with open(path) as a, open(path + ".bak") as b:
        copy(a, b)
    with (
        open(path) as c,
        open(path) as d,
    ):
        copy(c, d)
    try:
        pass
    except* ValueError as eg:
        handle(eg)
    return [y async for y in agen()] if False else None
