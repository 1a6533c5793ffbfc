"""The report's picture: the funnel and the time spent in each stage, one PNG (matplotlib, Agg backend).

matplotlib is imported when the first chart is drawn, never at start-up (an idle bot does not pay its
~30 MB). Chinese labels use the Noto Sans CJK SC font file the `mplfonts` package ships, added to
matplotlib's font manager by path: nothing is downloaded at run time and no system font is assumed.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
DAY = 86_400
_lock = threading.Lock()  # pyplot-free, but the font manager is process-wide


@dataclass(frozen=True)
class ChartText:
    """Every word on the picture, already in the reader's language."""

    title: str
    funnel_title: str
    stages: list[str]  # the funnel's stages, top to bottom
    entered: list[int]
    converted: list[int]
    entered_label: str
    converted_label: str
    times_title: str
    time_stages: list[str]
    median_days: list[float]
    p90_days: list[float]
    median_label: str
    p90_label: str
    days_label: str
    empty: str


@dataclass(frozen=True)
class Chart:
    png: bytes
    title_font: str  # the font file the title was drawn with (tests check it is the CJK one)


@cache
def cjk_font_path() -> Path:
    spec = find_spec("mplfonts")
    if spec is None or spec.origin is None:
        raise RuntimeError("the mplfonts package is missing: pip install mplfonts")
    path = Path(spec.origin).parent / "fonts" / CJK_FONT_FILE
    if not path.is_file():
        raise RuntimeError(f"{path} is missing from the mplfonts package")
    return path


@cache
def _matplotlib() -> tuple[Any, Any, Any]:
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import font_manager
    from matplotlib.figure import Figure

    font_manager.fontManager.addfont(str(cjk_font_path()))
    return Figure, font_manager, font_manager.FontProperties(fname=str(cjk_font_path()))


def draw_report(text: ChartText) -> Chart:
    """The funnel (deals entering each stage, and how many went on) over the median and p90 days in each
    stage, as a PNG."""
    with _lock:
        figure_cls, font_manager, font = _matplotlib()
        family = font.get_name()
        figure = figure_cls(figsize=(8, 7.5), dpi=110)
        funnel, times = figure.subplots(2, 1, gridspec_kw={"height_ratios": [1.2, 1]})
        title = figure.suptitle(text.title, fontproperties=font, fontsize=15)

        rows = list(range(len(text.stages)))
        funnel.barh(rows, text.entered, color="#9ecae1", label=text.entered_label)
        funnel.barh(rows, text.converted, color="#3182bd", height=0.45, label=text.converted_label)
        funnel.set_yticks(rows, text.stages, fontproperties=font)
        funnel.invert_yaxis()
        funnel.set_title(text.funnel_title, fontproperties=font, fontsize=12)
        for row, count in zip(rows, text.entered, strict=True):
            funnel.text(count, row, f" {count}", va="center", fontsize=9)
        funnel.legend(prop=font, loc="lower right", fontsize=9)
        funnel.xaxis.get_major_locator().set_params(integer=True)

        times.set_title(text.times_title, fontproperties=font, fontsize=12)
        if text.time_stages:
            spots = list(range(len(text.time_stages)))
            times.bar([x - 0.2 for x in spots], text.median_days, width=0.4, color="#31a354", label=text.median_label)
            times.bar([x + 0.2 for x in spots], text.p90_days, width=0.4, color="#a1d99b", label=text.p90_label)
            times.set_xticks(spots, text.time_stages, fontproperties=font)
            times.set_ylabel(text.days_label, fontproperties=font)
            times.legend(prop=font, fontsize=9)
        else:
            times.set_axis_off()
            times.text(0.5, 0.5, text.empty, ha="center", va="center", fontproperties=font, transform=times.transAxes)
        for axis in (funnel, times):
            axis.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png")
        used = font_manager.findfont(title.get_fontproperties(), fallback_to_default=False)
        assert family  # the font file was read
    return Chart(out.getvalue(), str(used))
