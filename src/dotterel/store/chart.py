"""Dyad chart: summed Goldstein score per period (both directions) over stacked quad-class counts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

QUAD_LABELS = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}
QUAD_COLOURS = {1: "#9ecae1", 2: "#3182bd", 3: "#fdae6b", 4: "#e6550d"}


def draw_dyad(series: pd.DataFrame, a: str, b: str, path: Path, *, by: str = "month") -> Path:
    """Write the chart of a ``dyad_series`` frame to ``path`` (.png or .svg); returns the path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise ValueError(f"{path}: chart must be .png or .svg")
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 6), sharex=True, height_ratios=[1, 1.2])
    directions = [f"{a}->{b}", f"{b}->{a}"]
    if series.empty:
        top.text(
            0.5, 0.5, f"no events between {a} and {b}", ha="center", va="center", transform=top.transAxes
        )
    else:
        frame = series.copy()
        frame["period"] = pd.to_datetime(frame["period"])
        for direction, style in zip(directions, ("-o", "--s"), strict=True):
            part = frame[frame["direction"] == direction]
            top.plot(part["period"], part["goldstein"], style, label=direction, markersize=3)
        top.axhline(0, color="grey", linewidth=0.8)
        totals = frame.groupby("period")[[f"quad{q}" for q in QUAD_LABELS]].sum()
        width = {"day": 0.8, "week": 5, "month": 20, "year": 250}[by]
        bottom_stack = None
        for quad, label in QUAD_LABELS.items():
            values = totals[f"quad{quad}"]
            bottom.bar(
                totals.index, values, width=width, bottom=bottom_stack, label=label, color=QUAD_COLOURS[quad]
            )
            bottom_stack = values if bottom_stack is None else bottom_stack + values
        top.legend(loc="upper left", fontsize=8)
        bottom.legend(loc="upper left", fontsize=8, ncol=2)
    top.set_ylabel("summed Goldstein")
    bottom.set_ylabel(f"events per {by}")
    top.set_title(f"{a} and {b}: events per {by}, both directions")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, format=suffix[1:])
    plt.close(fig)
    return path
