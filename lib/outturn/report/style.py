"""Chinese number and list style: the one home of how the report numbers, lists and ends.

Official documents number the points of a list 一是、二是、三是 …, join the names of a
series with 、, end every item with closing punctuation, and number subsections （一）、（二）
only when there are two or more. Every section builds its lists through these functions,
so the report reads in one style.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Chinese numerals for list points and subsection numbers (up to 二十).
_DIGITS = "一二三四五六七八九"
#: Marks that may end a list item or a sentence as written.
CLOSING = "。！？；…"
#: How a self-evaluation report speaks of its department when its profile does not say.
DEFAULT_SELF_NAME = "我局"

def self_name(profile: dict[str, object]) -> str:
    """How the report speaks of its department: the profile's ``self_name`` (我局, 本单位,
    我委 …), else 我局.

    >>> self_name({}), self_name({"self_name": "本单位"})
    ('我局', '本单位')
    """
    return str(profile.get("self_name") or DEFAULT_SELF_NAME)


_ORDERED_ITEM = re.compile(r"^\s*(?:\d+[.．、]|[（(]\d+[)）]|[一二三四五六七八九十]+[是、])\s*")


def numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十.

    >>> [numeral(n) for n in (1, 9, 10, 11, 20)]
    ['一', '九', '十', '十一', '二十']
    """
    if not 1 <= n <= 20:
        raise ValueError(f"no Chinese list numeral for {n}")
    if n < 10:
        return _DIGITS[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens - 1]) + "十" + ("" if ones == 0 else _DIGITS[ones - 1])


def point(n: int) -> str:
    """The lead of the ``n``-th point of a list: ``一是``, ``二是`` …

    >>> point(1), point(3)
    ('一是', '三是')
    """
    return f"{numeral(n)}是"


def subsection_number(n: int) -> str:
    """``（一）``, ``（二）`` …

    >>> subsection_number(2)
    '（二）'
    """
    return f"（{numeral(n)}）"


def closed(text: str) -> str:
    """``text`` ending with closing punctuation (a ``。`` added where it has none; a
    trailing comma or 、 becomes ``。``).

    >>> closed("提升城市管理效率"), closed("已完成。"), closed("推进中，")
    ('提升城市管理效率。', '已完成。', '推进中。')
    """
    text = text.rstrip()
    if not text or text[-1] in CLOSING:
        return text
    if text[-1] in "，,、；;：:":
        text = text[:-1]
    return text + "。"


def series(names: Iterable[str]) -> str:
    """Names joined as a Chinese series: ``甲、乙、丙``.

    >>> series(["办公费", "水电费", "差旅费"])
    '办公费、水电费、差旅费'
    """
    return "、".join(names)


def list_items(markdown: str) -> list[str] | None:
    """The items of a narrative that is only an ordered list (``1. …`` lines, ``（1）``,
    ``一是`` …), their numbers removed; ``None`` when the text is anything else, so the
    caller keeps it as written.

    >>> list_items("1. 项目预算与实际支出仍有出入\\n2. 执行率偏低。")
    ['项目预算与实际支出仍有出入', '执行率偏低。']
    >>> list_items("全年工作总体顺利。") is None
    True
    """
    lines = [line for line in markdown.splitlines() if line.strip()]
    if not lines or not all(_ORDERED_ITEM.match(line) for line in lines):
        return None
    return [_ORDERED_ITEM.sub("", line, count=1).strip() for line in lines]


def sentences(text: str) -> list[str]:
    """A text cut after each 。！？； (the unit the no-repeat rule counts).

    >>> sentences("一是执行率偏低；二是追加较多。完成。")
    ['一是执行率偏低；', '二是追加较多。', '完成。']
    """
    return [s for s in re.split(r"(?<=[。！？；])", text) if s.strip()]


def without_repeats(text: str, said: str) -> str:
    """``text`` without the sentences ``said`` already holds, so profile facts written
    both in a narrative and in a field are printed once.

    >>> without_repeats("负责市容管理。负责路灯维护。", "我局成立于2004年。负责路灯维护。")
    '负责市容管理。'
    """
    already = {s.strip() for s in sentences(said)}
    return "".join(s for s in sentences(text) if s.strip() not in already)
