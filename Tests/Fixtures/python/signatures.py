# Signature edge cases: defaults with calls, lambdas, odd constants, annotations.
import os
import typing as t
from collections import OrderedDict as OD


def defaults(a, b=os.path.join("x", 'y'), c=lambda: None, d=lambda x, *y, z=1, **w: (x, y), e=-1, f=+2.5,
             g=~0x1F, h=0o17, i=0b101, j=1_000_000, k=1e10, l=1.5e-7, m=3j, n=None, o=True, p=...,
             q=(1,), r=(), s=[1, 2], u={"a": 1, **{}}, v={1, 2}, w=set(), x=b"bytes\x00\n", y=r"raw\d",
             z='it\'s', aa="say \"hi\"", bb='''tri''', cc="tab\there", dd="é ü", ee="\u2028", ff=u"unicode",
             gg=not True, hh=1 if os else 2, ii=(a := 1) if False else 0, jj=[i for i in range(3) if i],
             kk={k: v for k, v in {}.items()}, ll=(x for x in "ab"), mm={x for x in ()}, nn=a or b and c,
             oo=(a or b) and c, pp=a + b * c - (d - e), qq=2 ** -1, rr=(-2) ** 2, ss=a < b <= c is not d not in e,
             tt=x[1:2, ::3], uu=x[...], vv=x[:], ww=f"{a!r} and {b:>10} and {c=}", xx=f'{"q"}', yy="a" "b",
             zz=1 .real, a1=0.0001, a2=0.00001, a3=1e16, a4=123456789012345678, a5=1e400, a6=OD(),
             a7=t.cast("int", 0), a8=(yield_ := 3), a9=[*s, *u], b1=print(*s, sep=""), b2=(lambda: 1)()):
    pass


def annotations(
    x: "Forward",
    y: t.Optional[t.Dict[str, t.List[int]]] = None,
    *args: t.Any,
    key: t.Callable[[int, str], bool] = lambda i, s: bool(i),
    flag: bool,
    **kwargs: "t.Mapping[str, int]",
) -> t.Tuple[int, ...]:
    return (1,)


def posonly(a, b, /):
    pass


def posonly_defaults(a, b=1, /, c=2, *, d, e=3):
    pass


def kwonly(*, a: int, b: str = "x"):
    pass


def stararg_only(*args):
    pass


def nothing() -> None: pass


async def agen(n: int) -> t.AsyncIterator[int]:
    for i in range(n):
        yield i
        await other(i)


async def other(i): return i
