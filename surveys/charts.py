"""Server-rendered SVG geometry for "indicator against target over time" (no JavaScript).

The template draws what this computes; the data table beside each chart carries the same figures for
screen readers and for anyone who would rather read than look.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from surveys.indicators import IndicatorResult

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 12, 60


@dataclass
class Frame:
    """A chart's canvas: its size, the plotting area inside the margins, and the y-axis ticks."""

    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_margin: int = RIGHT
    top: int = TOP
    bottom_margin: int = BOTTOM
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    has_data: bool = False

    @property
    def right(self) -> int:
        return self.width - self.right_margin

    @property
    def bottom(self) -> int:
        return self.height - self.bottom_margin


@dataclass
class Chart(Frame):
    x_labels: list[tuple[float, str, str]] = field(default_factory=list)
    """(x, quarter, financial year shown under the first quarter of each year or "")."""
    lines: list[str] = field(default_factory=list)
    """SVG polyline point lists for the value, one per unbroken run of shown quarters."""
    points: list[tuple[float, float, str]] = field(default_factory=list)
    intervals: list[tuple[float, float, float]] = field(default_factory=list)
    targets: list[tuple[float, float, float]] = field(default_factory=list)
    """(x1, x2, y) steps, one per quarter that has a target."""


def _y(percent: float) -> float:
    return round(TOP + (HEIGHT - BOTTOM - TOP) * (1 - percent / 100), 1)


def trend_chart(trend: list[tuple[str, IndicatorResult]]) -> Chart:
    chart = Chart(y_ticks=[(_y(value), f"{value}%") for value in range(0, 101, 20)])
    if not trend:
        return chart
    band = (chart.right - chart.left) / len(trend)
    run: list[str] = []
    for index, (label, figures) in enumerate(trend):
        x = round(chart.left + band * (index + 0.5), 1)
        year, _, quarter = label.partition(" ")
        chart.x_labels.append((x, quarter, year if quarter == "Q1" or index == 0 else ""))
        if figures.target is not None:
            half = band / 2
            chart.targets.append((round(x - half, 1), round(x + half, 1), _y(figures.target.value)))
        if figures.suppressed or figures.percent is None:
            if len(run) > 1:
                chart.lines.append(" ".join(run))
            run = []
            continue
        y = _y(figures.percent)
        run.append(f"{x},{y}")
        chart.points.append((x, y, f"{label}: {figures.percent}%"))
        chart.intervals.append((x, _y(figures.ci_low), _y(figures.ci_high)))
    if len(run) > 1:
        chart.lines.append(" ".join(run))
    chart.has_data = bool(chart.points)
    return chart


FUNNEL_WIDTH, FUNNEL_HEIGHT = 720, 420
F_LEFT, F_RIGHT, F_TOP, F_BOTTOM = 64, 16, 16, 64


@dataclass
class FunnelChart(Frame):
    width: int = FUNNEL_WIDTH
    height: int = FUNNEL_HEIGHT
    left: int = F_LEFT
    right_margin: int = F_RIGHT
    top: int = F_TOP
    bottom_margin: int = F_BOTTOM
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    county: float | None = None
    """y of the county rate line."""
    lines: dict[str, str] = field(default_factory=dict)
    """"lower_95", "upper_95", "lower_998", "upper_998" → SVG polyline points."""
    points: list[tuple[float, float, str, str]] = field(default_factory=list)
    """(x, y, verdict, label) per organisation shown."""


def _nice_step(span: float) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if span / step <= 6:
            return step
    return 20000


def funnel_chart(funnel) -> FunnelChart:  # a surveys.reporting.Funnel (not imported: reporting imports this)
    """Geometry for a funnel plot: ratings across, % positive up, the county line and the four limit lines."""
    chart = FunnelChart()
    shown = [point for point in funnel.points if not point.suppressed]
    if not shown or not funnel.curve or funnel.county_n == 0:
        return chart
    x_max = max(max(point.n for point in shown), funnel.curve[-1].n) * 1.05
    lowest = min([100 * funnel.curve[0].lower_998, *(point.percent for point in shown)])
    y_min = max(0.0, 10 * math.floor(lowest / 10 - 0.0001))
    span_y = 100 - y_min

    def x_of(n: float) -> float:
        return round(chart.left + (chart.right - chart.left) * n / x_max, 1)

    def y_of(percent: float) -> float:
        return round(chart.top + (chart.bottom - chart.top) * (100 - percent) / span_y, 1)

    y_step = 5 if span_y <= 30 else 10 if span_y <= 60 else 20
    value = 100.0
    while value >= y_min - 0.0001:
        chart.y_ticks.append((y_of(value), f"{value:g}%"))
        value -= y_step
    x_step = _nice_step(x_max)
    chart.x_ticks = [(x_of(n), str(n)) for n in range(0, int(x_max) + 1, x_step)]
    chart.county = y_of(100 * funnel.county_positive / funnel.county_n)
    for name in ("lower_95", "upper_95", "lower_998", "upper_998"):
        chart.lines[name] = " ".join(
            f"{x_of(limits.n)},{y_of(max(y_min, 100 * getattr(limits, name)))}" for limits in funnel.curve
        )
    for point in shown:
        label = f"{point.organisation}: {point.percent}% of {point.n}"
        chart.points.append((x_of(point.n), y_of(point.percent), point.verdict, label))
    chart.has_data = True
    return chart
