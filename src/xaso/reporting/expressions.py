"""Validation rules written as small expressions over indicator codes, read safely.

  ho_ve_sinh_tu_hoai <= so_ho
  hang_rao_xanh_m >= 0 and cong_ngo <= so_ho
  luy_ke_km >= previous(luy_ke_km)         (not below last period's value)
  gia_tri <= 5 * target(gia_tri)

Names are indicator codes, with "_" standing for "-" where a code has one (`so-ho` is
`so_ho`). Python's own parser reads the text into a tree, and only these nodes are allowed:
numbers, names, + - * /, comparisons, and/or/not, parentheses, and the two functions
`previous(name)` and `target(name)`. Nothing is ever executed: the tree is walked here.
A rule whose values are missing does not apply (it is neither kept nor broken).
Pure standard library.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from decimal import Decimal

MAX_LENGTH = 300
MAX_NODES = 200
FUNCTIONS = ("previous", "target")

_COMPARE = {
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
}
_ARITHMETIC = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


class ExpressionError(ValueError):
    """A rule that cannot be read; the message is Vietnamese."""


class Missing(Exception):
    """A value the rule needs is not there: the rule does not apply."""


def _refuse(text: str, why: str) -> ExpressionError:
    return ExpressionError(f"Biểu thức ‘{text}’ không dùng được: {why}.")


def parse_expression(text: str) -> ast.Expression:
    """The checked tree of a rule; ExpressionError (in Vietnamese) for anything else."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("Biểu thức trống.")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"Biểu thức dài quá {MAX_LENGTH} ký tự.")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise _refuse(text, "sai cú pháp") from None
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES:
        raise _refuse(text, "quá dài")
    for node in nodes:
        _check_node(text, node)
    if not isinstance(tree.body, ast.Compare | ast.BoolOp) and not (
        isinstance(tree.body, ast.UnaryOp) and isinstance(tree.body.op, ast.Not)
    ):
        raise _refuse(text, "phải là một so sánh, ví dụ ho_ve_sinh <= so_ho")
    return tree


def _check_node(text: str, node: ast.AST) -> None:
    match node:
        case ast.Expression() | ast.Load() | ast.Name():
            return
        case ast.Constant(value=value):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise _refuse(text, f"chỉ dùng số, không dùng {value!r}")
        case ast.Compare(ops=ops):
            if not all(type(op) in _COMPARE for op in ops):
                raise _refuse(text, "phép so sánh không hỗ trợ")
        case ast.BinOp(op=op):
            if type(op) not in _ARITHMETIC:
                raise _refuse(text, "chỉ dùng + - * /")
        case ast.UnaryOp(op=op):
            if not isinstance(op, ast.USub | ast.UAdd | ast.Not):
                raise _refuse(text, "phép toán không hỗ trợ")
        case ast.BoolOp() | ast.And() | ast.Or() | ast.Not() | ast.USub() | ast.UAdd():
            return
        case ast.Call(func=ast.Name(id=name), args=[ast.Name()], keywords=[]) if name in FUNCTIONS:
            return
        case ast.Call():
            raise _refuse(text, "chỉ có hàm previous(mã) và target(mã)")
        case _ if type(node) in _COMPARE or type(node) in _ARITHMETIC:
            return
        case _:
            raise _refuse(text, f"không được dùng ‘{type(node).__name__}’")


def names_in(tree: ast.Expression) -> set[str]:
    """The indicator names a rule reads (inside functions too)."""
    return {
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id not in FUNCTIONS
    }


Lookup = Callable[[str], Decimal | None]


def evaluate(
    tree: ast.Expression,
    values: Mapping[str, Decimal],
    previous: Lookup = lambda name: None,
    target: Lookup = lambda name: None,
) -> bool | None:
    """True when the rule holds, False when broken, None when a value it needs is missing
    (or a division by zero): then it does not apply."""
    try:
        return bool(_value(tree.body, values, previous, target))
    except Missing:
        return None


def _value(node, values, previous, target):
    match node:
        case ast.Constant(value=value):
            return Decimal(str(value))
        case ast.Name(id=name):
            return _need(values.get(name))
        case ast.Call(func=ast.Name(id=function), args=[ast.Name(id=name)]):
            return _need((previous if function == "previous" else target)(name))
        case ast.UnaryOp(op=ast.Not(), operand=operand):
            return not _value(operand, values, previous, target)
        case ast.UnaryOp(op=op, operand=operand):
            number = _value(operand, values, previous, target)
            return -number if isinstance(op, ast.USub) else number
        case ast.BinOp(left=left, op=op, right=right):
            a = _value(left, values, previous, target)
            b = _value(right, values, previous, target)
            try:
                return _ARITHMETIC[type(op)](a, b)
            except ArithmeticError:  # a division by zero, an overflow
                raise Missing from None
        case ast.BoolOp(op=op, values=parts):
            results = [_value(part, values, previous, target) for part in parts]
            return all(results) if isinstance(op, ast.And) else any(results)
        case ast.Compare(left=left, ops=ops, comparators=rights):
            current = _value(left, values, previous, target)
            for op, right in zip(ops, rights, strict=True):
                following = _value(right, values, previous, target)
                if not _COMPARE[type(op)](current, following):
                    return False
                current = following
            return True
    raise Missing  # not reachable for a parsed tree


def _need(value):
    if value is None:
        raise Missing
    return value
