"""Charts drawn on the server: the geometry of small SVG bar charts, and their data tables.

A builder here turns numbers into shapes (bars, grid lines, text positions); the
templates `includes/chart_*.html` write them out as an inline `<svg role="img">` with its
`<title>` and `<desc>`, followed by a `<table>` of the same numbers. The templates escape
every label, so names from the database are safe in the markup; colours come from
classes styled in site.css (the content security policy forbids inline styles).

No JavaScript: the charts are readable as they are, in print, and through their tables.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format

Number = int | float | Decimal

WIDTH = 640
FONT_GAP = 4  # between a bar and its value


def formatted(value: Number) -> str:
    """A number as the visitor's language writes it, grouped: 12,345 or 12.345."""
    return number_format(round(value), decimal_pos=0, use_l10n=True, force_grouping=True)


@dataclass(frozen=True)
class Series:
    """One coloured set of bars: a name for the legend, one value per category."""

    name: str
    values: tuple[Number, ...]


# The table of a chart's data


@dataclass(frozen=True)
class Cell:
    value: Number | str
    href: str = ""


@dataclass(frozen=True)
class TableRow:
    label: str
    cells: tuple[Cell, ...]
    href: str = ""  # the label's link
    language: str = ""  # the label's, when it is a name not translated into the page's


@dataclass(frozen=True)
class Table:
    caption: str
    corner: str  # the header of the labels' column
    columns: tuple[str, ...]
    rows: tuple[TableRow, ...]

    @classmethod
    def of(
        cls,
        caption: str,
        corner: str,
        categories: Sequence[str],
        series: Sequence[Series],
        total: str = "",
    ) -> Table:
        """The table of a chart's series: a row per category, a column per series (and a
        total column when `total` names it)."""
        columns = tuple(item.name for item in series) + ((total,) if total else ())
        rows = []
        for index, category in enumerate(categories):
            values = [item.values[index] for item in series]
            if total:
                values.append(sum(values))
            rows.append(TableRow(str(category), tuple(Cell(value) for value in values)))
        return cls(caption, corner, columns, tuple(rows))


# The shapes


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int  # 1-based: the class chart__bar--<series> colours it
    tooltip: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"  # start, middle or end
    kind: str = "label"  # the class chart__<kind> styles it
    # A text a phone's narrow chart leaves out (chart__<kind>--minor, site.css): every
    # other year under a long axis, the values over grouped bars (the table has them).
    minor: bool = False


@dataclass(frozen=True)
class Rule:
    x1: float
    y1: float
    x2: float
    y2: float
    kind: str = "grid"  # grid or axis


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    table: Table
    height: float = 0
    width: float = WIDTH
    bars: tuple[Bar, ...] = ()
    texts: tuple[Text, ...] = ()
    rules: tuple[Rule, ...] = ()
    legend: tuple[tuple[int, str], ...] = field(default=())  # (series, name)
    # Said beside every chart: what it counts, and what it leaves out for want of data.
    counts: str = ""
    missing: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.bars

    @property
    def title_id(self) -> str:
        return f"{self.id}-title"

    @property
    def desc_id(self) -> str:
        return f"{self.id}-desc"


def nice_step(maximum: float, ticks: int = 4) -> float:
    """A round step (1, 2 or 5 times a power of ten) dividing 0…maximum in about `ticks`."""
    if maximum <= 0:
        return 1
    raw = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(f * magnitude for f in (1, 2, 5, 10) if raw <= f * magnitude)
    return max(step, 1)


def _r(value: float) -> float:
    return round(value, 1)


def column_chart(
    *,
    id: str,
    title: str,
    description: str,
    counts: str = "",
    missing: str = "",
    categories: Sequence[str],
    series: Sequence[Series],
    table: Table,
    stacked: bool = False,
) -> Chart:
    """Vertical bars, one group (or stack) per category, e.g. per year.

    Stacked bars carry their total above them; grouped bars carry each value.
    """
    count = len(categories)
    totals = [sum(item.values[i] for item in series) for i in range(count)]
    if not count or not any(totals):
        return Chart(
            id=id, title=title, description=description, table=table, counts=counts, missing=missing
        )
    top, bottom, left, right, height = 24, 28, 44, 8, 260
    plot_height = height - top - bottom
    plot_width = WIDTH - left - right
    highest = max(totals) if stacked else max(max(item.values) for item in series)
    step = nice_step(float(highest))
    ceiling = step * math.ceil(float(highest) / step)

    def y_of(value: float) -> float:
        return top + plot_height - plot_height * float(value) / ceiling

    rules, texts, bars = [], [], []
    tick = 0.0
    while tick <= ceiling:
        y = _r(y_of(tick))
        rules.append(Rule(left, y, WIDTH - right, y))
        texts.append(Text(left - 6, _r(y + 4), formatted(tick), "end", "tick"))
        tick += step
    band = plot_width / count
    group = band * 0.72
    every = math.ceil(count / 16)  # at most 16 category labels under the axis
    for index, category in enumerate(categories):
        x0 = left + band * index + (band - group) / 2
        if index % every == 0:
            minor = count > 8 and (index // every) % 2 == 1
            x = _r(left + band * (index + 0.5))
            texts.append(Text(x, height - 8, category, "middle", minor=minor))
        if stacked:
            base = 0.0
            for number, item in enumerate(series, start=1):
                value = float(item.values[index])
                if value:
                    y_top = y_of(base + value)
                    bars.append(
                        Bar(
                            _r(x0),
                            _r(y_top),
                            _r(group),
                            _r(y_of(base) - y_top),
                            number,
                            f"{category} · {item.name}: {formatted(value)}",
                        )
                    )
                base += value
            if base:
                texts.append(
                    Text(
                        _r(x0 + group / 2),
                        _r(y_of(base) - FONT_GAP),
                        formatted(base),
                        "middle",
                        "value",
                    )
                )
            continue
        width = group / len(series)
        for number, item in enumerate(series, start=1):
            value = float(item.values[index])
            x = x0 + width * (number - 1)
            if value:
                bars.append(
                    Bar(
                        _r(x),
                        _r(y_of(value)),
                        _r(width),
                        _r(y_of(0) - y_of(value)),
                        number,
                        f"{category} · {item.name}: {formatted(value)}",
                    )
                )
            if width >= 12:  # room for the number above the bar
                texts.append(
                    Text(
                        _r(x + width / 2),
                        _r(y_of(value) - FONT_GAP),
                        formatted(value),
                        "middle",
                        "value",
                        minor=len(series) > 1,
                    )
                )
    rules.append(Rule(left, _r(y_of(0)), WIDTH - right, _r(y_of(0)), "axis"))
    return Chart(
        id=id,
        title=title,
        description=description,
        counts=counts,
        missing=missing,
        table=table,
        height=height,
        bars=tuple(bars),
        texts=tuple(texts),
        rules=tuple(rules),
        legend=_legend(series),
    )


def bar_chart(
    *,
    id: str,
    title: str,
    description: str,
    counts: str = "",
    missing: str = "",
    categories: Sequence[str],
    series: Sequence[Series],
    table: Table,
) -> Chart:
    """Horizontal bars, one row per category, its name above its bars (names may be long)."""
    if not categories or not any(any(item.values) for item in series):
        return Chart(
            id=id, title=title, description=description, table=table, counts=counts, missing=missing
        )
    label_height, bar_height, gap, value_room = 16, 14, 10, 56
    highest = float(max(max(item.values) for item in series))
    plot_width = WIDTH - value_room
    bars, texts = [], []
    y = 0.0
    for index, category in enumerate(categories):
        texts.append(Text(0, _r(y + label_height - 4), category))
        y += label_height
        for number, item in enumerate(series, start=1):
            value = float(item.values[index])
            width = plot_width * value / highest if highest else 0
            if value:
                bars.append(
                    Bar(
                        0,
                        _r(y),
                        _r(max(width, 1)),
                        bar_height,
                        number,
                        f"{category} · {item.name}: {formatted(value)}",
                    )
                )
            texts.append(
                Text(
                    _r(width + FONT_GAP),
                    _r(y + bar_height - 3),
                    formatted(value),
                    kind="value",
                )
            )
            y += bar_height + 2
        y += gap
    return Chart(
        id=id,
        title=title,
        description=description,
        counts=counts,
        missing=missing,
        table=table,
        height=_r(y),
        bars=tuple(bars),
        texts=tuple(texts),
        legend=_legend(series),
    )


def _legend(series: Sequence[Series]) -> tuple[tuple[int, str], ...]:
    """A legend when there is more than one series to tell apart."""
    if len(series) < 2:
        return ()
    return tuple((number, item.name) for number, item in enumerate(series, start=1))
