"""Server-rendered SVG charts: no script, no CDN, readable without colour (values printed)."""

from dataclasses import dataclass


@dataclass
class Bar:
    label: str
    value: float | None
    text: str
    y: float
    width: float  # in % of the plot width
    marker: float | None = None  # e.g. the standard, in % of the plot width
    tone: str = "primary"


def horizontal_bars(
    rows: list[tuple[str, float | None, str]],
    *,
    maximum: float | None = None,
    markers: list[float | None] | None = None,
    tones: list[str] | None = None,
) -> dict:
    """Rows of (label, value, printed text); widths scaled to ``maximum``."""
    values = [v for _, v, _ in rows if v is not None] + [m for m in (markers or []) if m]
    top = maximum or (max(values) if values else 1) or 1
    bars = []
    for index, (label, value, text) in enumerate(rows):
        marker = markers[index] if markers else None
        bars.append(
            Bar(
                label=label,
                value=value,
                text=text,
                y=index * 26 + 4,
                width=round(100 * (value or 0) / top, 2),
                marker=round(100 * marker / top, 2) if marker else None,
                tone=tones[index] if tones else "primary",
            )
        )
    return {"bars": bars, "height": len(rows) * 26 + 8}


@dataclass
class Column:
    x: float
    height: float
    y: float
    value: int
    series: int


def grouped_columns(groups: list[tuple[str, list[int]]], series: list[str]) -> dict:
    """Vertical grouped columns, e.g. per month: received / completed / rejected."""
    plot_height = 160.0
    top = max([v for _, values in groups for v in values] + [1])
    group_width = 100.0 / max(len(groups), 1)
    column_width = group_width * 0.8 / max(len(series), 1)
    labels, columns = [], []
    for gi, (label, values) in enumerate(groups):
        start = gi * group_width + group_width * 0.1
        labels.append({"x": round(start + group_width * 0.4, 2), "text": label})
        for si, value in enumerate(values):
            height = plot_height * value / top
            columns.append(
                Column(
                    x=round(start + si * column_width, 2),
                    height=round(height, 2),
                    y=round(plot_height - height, 2),
                    value=value,
                    series=si,
                )
            )
    return {
        "columns": columns,
        "labels": labels,
        "column_width": round(column_width, 2),
        "series": series,
        "plot_height": plot_height,
        "top": top,
    }
