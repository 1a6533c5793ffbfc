"""Lead scoring (评分): a 0–10 score from six BANT-style factors, and why.

Each factor earns its team weight (TeamPolicy.weights, DEFAULT_WEIGHTS for any factor a team has
not set) in full, half, or not at all:

- need: a need with some substance (see `need_is_clear`), or a voice note: full. When it is wanted is
  the timeline, not the need: "本月上线" alone is no need.
- authority: decision maker full, influencer half.
- budget: known full, rough half.
- timeline: this month full, this quarter half; later or unknown nothing.
- industry: an industry on the team's list other than 其他/other: full.
- engagement: a warm source (referral, website, event, partner): full.

Half of a weight rounds up ((w + 1) // 2): a partial answer is always worth something when the
factor counts at all, and never more than the full answer. With the default weights (2) half is 1.
Negative weights count as 0. The total is capped at 10.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Final, Protocol

from domain.leads.contact import without_timeline
from domain.leads.model import Authority, Budget, LeadSource, Timeline
from domain.policy.model import DEFAULT_WEIGHTS, TeamPolicy

FACTORS: Final = ("need", "authority", "budget", "timeline", "industry", "engagement")
MAX_SCORE: Final = 10
WARM_SOURCES: Final = frozenset(
    {LeadSource.REFERRAL, LeadSource.WEBSITE, LeadSource.EVENT, LeadSource.PARTNER}
)
OTHER_INDUSTRY: Final = frozenset({"其他", "其它", "other", "others"})
_EMPTY_NEEDS: Final = frozenset(
    {"无", "暂无", "没有", "不知道", "不清楚", "待定", "未知", "n/a", "na", "none", "tbd", "unknown"}
)
_NEED_MIN_WEIGHT: Final = 8  # a Chinese character counts 2, any other letter or digit 1


class Scorable(Protocol):
    """What scoring reads; both Lead and LeadDraft have it."""

    @property
    def need(self) -> str | None: ...
    @property
    def need_voice_file_id(self) -> str | None: ...
    @property
    def authority(self) -> Authority: ...
    @property
    def budget(self) -> Budget: ...
    @property
    def timeline(self) -> Timeline: ...
    @property
    def industry(self) -> str | None: ...
    @property
    def source(self) -> LeadSource: ...


@dataclass(frozen=True)
class Score:
    total: int  # 0..10
    reasons: dict[str, int] = field(default_factory=dict)  # factor -> points, non-zero only, FACTORS order
    qualified: bool = False  # total >= the team's threshold


def need_is_clear(need: str | None) -> bool:
    """A need says something: at least 4 Chinese characters or 8 other letters/digits (mixed counts,
    a Chinese character as 2), and not a placeholder such as 无 / 待定 / n/a. Timeline phrases ("本月上线",
    "next month") do not count: they earn the timeline's points, never the need's too."""
    if not need:
        return False
    text = without_timeline(need).strip().casefold()
    if text in _EMPTY_NEEDS:
        return False
    weight = sum(2 if _is_cjk(ch) else 1 for ch in text if ch.isalnum())
    return weight >= _NEED_MIN_WEIGHT


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _half(weight: int) -> int:
    return (weight + 1) // 2


def _fraction(lead: Scorable, policy: TeamPolicy) -> dict[str, str]:
    """For each factor: "full", "half" or "none"."""
    served = {_norm(i) for i in policy.industries} - OTHER_INDUSTRY
    industry = _norm(lead.industry) if lead.industry else ""
    return {
        "need": "full" if need_is_clear(lead.need) or lead.need_voice_file_id else "none",
        "authority": {Authority.DECISION_MAKER: "full", Authority.INFLUENCER: "half"}.get(
            lead.authority, "none"
        ),
        "budget": {Budget.KNOWN: "full", Budget.ROUGH: "half"}.get(lead.budget, "none"),
        "timeline": {Timeline.THIS_MONTH: "full", Timeline.THIS_QUARTER: "half"}.get(lead.timeline, "none"),
        "industry": "full" if industry and industry in served else "none",
        "engagement": "full" if lead.source in WARM_SOURCES else "none",
    }


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def score_lead(lead: Scorable, policy: TeamPolicy) -> Score:
    """Score a Lead or a LeadDraft against a team's weights and threshold. Pure and deterministic."""
    reasons: dict[str, int] = {}
    for factor, part in _fraction(lead, policy).items():
        weight = max(0, int(policy.weights.get(factor, DEFAULT_WEIGHTS[factor])))
        points = weight if part == "full" else _half(weight) if part == "half" else 0
        if points:
            reasons[factor] = points
    total = min(MAX_SCORE, sum(reasons.values()))
    return Score(total=total, reasons=reasons, qualified=total >= policy.threshold)
