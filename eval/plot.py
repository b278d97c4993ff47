"""A bar chart of a report's metrics per mode (matplotlib, imported only here, off-screen)."""

from __future__ import annotations

from pathlib import Path

from .metrics import METRICS
from .report import LABELS, ReportOut


def plot_report(report: ReportOut, path: Path) -> None:
    """One panel per judged level (documents, pages), metrics grouped, one bar per mode."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    levels = [
        lv for lv in ("documents", "pages") if any(getattr(r, lv).queries for r in report.results)
    ]
    fig, axes = plt.subplots(
        1, max(len(levels), 1), figsize=(6 * max(len(levels), 1), 4), squeeze=False
    )
    width = 0.8 / max(len(report.results), 1)
    for ax, level in zip(axes[0], levels, strict=False):
        for i, result in enumerate(report.results):
            values = [getattr(result, level).metrics[m] for m in METRICS]
            xs = [x + (i - (len(report.results) - 1) / 2) * width for x in range(len(METRICS))]
            ax.bar(xs, values, width, label=result.mode)
        ax.set_xticks(range(len(METRICS)), [LABELS[m] for m in METRICS])
        ax.set_ylim(0, 1.2)
        ax.set_title(f"{report.set.name}: {level} ({getattr(report.results[0], level).queries} q)")
        ax.grid(axis="y", alpha=0.3)
        ax.legend(loc="upper center", ncol=len(report.results), frameon=False)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
