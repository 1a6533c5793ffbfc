"""How a report reads in chat and on its picture: the key numbers, in the reader's language."""

from __future__ import annotations

from bot.charts import ChartText
from bot.formatting import h, money, when
from bot.i18n import Translate
from domain.deals.model import PIPELINE, Stage
from domain.money import Money
from domain.reports.model import BreakpointRow, Durations, Report, WinRate, rate
from domain.reports.periods import Period
from domain.team.model import Language
from handlers.pipeline_ui import stage_name

HOURS, DAY = 3_600, 86_400
SHOWN = 5  # lines per list (reasons, reps, sources)


def percent(value: float | None) -> str:
    if value is None:
        return "—"
    shown = round(value * 100, 1)
    return f"{shown:.0f}%" if shown == int(shown) else f"{shown}%"


def duration(t: Translate, seconds: int | None) -> str:
    if seconds is None:
        return "—"
    if seconds < HOURS:
        return t("report-dur-minutes", n=max(1, round(seconds / 60)))
    if seconds < DAY:
        return t("report-dur-hours", n=_one_decimal(seconds / HOURS))
    return t("report-dur-days", n=_one_decimal(seconds / DAY))


def _one_decimal(value: float) -> str:
    shown = round(value, 1)
    return f"{shown:.0f}" if shown == int(shown) else f"{shown}"


def _times(t: Translate, d: Durations) -> str:
    if d.count == 0:
        return t("report-none")
    return t("report-times", median=duration(t, d.median), p90=duration(t, d.p90), n=d.count)


def period_text(t: Translate, period: Period) -> str:
    first, last = period.first_day, period.last_day
    if first == last:
        return t("report-day", m=first.month, d=first.day)
    return t("report-span", m1=first.month, d1=first.day, m2=last.month, d2=last.day)


def _win(t: Translate, row: WinRate, name: str) -> str:
    return t("report-win-line", name=name, rate=percent(row.rate), won=row.won, closed=row.won + row.lost)


def _board_line(t: Translate, row: BreakpointRow, tz: str, lang: Language) -> list[str]:
    mark = "🔴" if row.now else "🟢"
    lines = [t(
        "report-bp-line", mark=mark, label=t(f"report-bp-{row.key}"), now=row.now, period=row.period,
        alerts=t("report-bp-alerts", alerted=row.alerted, escalated="—" if row.escalated is None else row.escalated)
        if row.alerted is not None else "",
    )]
    details = []
    if row.holders:
        details.append(t("report-bp-holders", who=t("list-separator").join(
            f"{h(holder.name or '—')} {holder.count}" for holder in row.holders
        )))
    if row.now and row.oldest is not None:
        details.append(t("report-bp-oldest", since=when(row.oldest, tz, lang)))
    if details:
        lines.append("    " + " · ".join(details))
    return lines


def summary(t: Translate, lang: Language, report: Report) -> str:
    f, c, period = report.funnel, report.cycle, report.period
    title = h(report.title) if report.title else t("report-whole-org")
    lines = [
        t("report-title-mine" if report.scope.owner_id else "report-title", team=title, period=period_text(t, period)),
        t("report-leads", leads=f.leads, won=f.leads_won, rate=percent(f.lead_to_won)),
        t("report-closed", won=f.won, amount=money(Money(f.won_amount_minor, "CNY")), lost=f.lost, rate=percent(f.win_rate)),
        "", t("report-funnel"),
    ]
    for row in f.stages:
        if row.stage is Stage.WON:
            continue
        lines.append(t(
            "report-funnel-line", stage=stage_name(t, row.stage), entered=row.entered, converted=row.converted,
            rate=percent(row.conversion),
        ))
    lines += [
        "", t("report-cycle"),
        t("report-cycle-first", times=_times(t, c.first_followup))
        + (t("report-cycle-no-followup", n=c.no_followup) if c.no_followup else ""),
        t("report-cycle-handoff", times=_times(t, c.handoff_accept)),
        t("report-cycle-quote", times=_times(t, c.quote_approval)),
    ]
    lines += [
        t("report-cycle-stage", stage=stage_name(t, stage), times=_times(t, c.in_stage[stage]))
        for stage in PIPELINE if stage in c.in_stage
    ]
    lines += ["", t("report-board")]
    for bp in report.board:
        lines += _board_line(t, bp, period.tz, lang)
    if report.lost.total or report.lost.quote_rejections:
        lines += ["", t("report-lost", n=report.lost.total)]
        lines += [
            t("report-lost-line", reason=h(line.key) or t("report-lost-no-reason"), n=line.count,
              amount=money(Money(line.amount_minor, "CNY")))
            for line in report.lost.by_reason[:SHOWN]
        ]
        if report.lost.by_stage:
            lines.append(t("report-lost-stages", stages=t("list-separator").join(
                f"{stage_name(t, Stage(line.key))} {line.count}" for line in report.lost.by_stage if line.key
            )))
        if report.lost.quote_rejections:
            lines.append(t("report-rejections", reasons=t("list-separator").join(
                f"{h(line.key) or t('report-lost-no-reason')} {line.count}" for line in report.lost.quote_rejections[:SHOWN]
            )))
    if f.by_source:
        lines += ["", t("report-by-source")]
        lines += [_win(t, row, t(f"source-{row.key}")) for row in f.by_source[:SHOWN]]
    if f.by_rep and not report.scope.owner_id:
        lines += ["", t("report-by-rep")]
        lines += [_win(t, row, h(row.key)) for row in f.by_rep[:SHOWN]]
    activity = _activity(t, report)
    if activity:
        lines += ["", t("report-activity"), *activity]
    return "\n".join(lines)


def _activity(t: Translate, report: Report) -> list[str]:
    totals: dict[str, dict[str, int]] = {}
    for count in report.activity:
        kinds = totals.setdefault(count.name, {})
        kinds[count.kind] = kinds.get(count.kind, 0) + count.count
    timely = {row.name: row for row in report.timeliness}
    lines = []
    for name in sorted(set(totals) | set(timely)):
        kinds = totals.get(name, {})
        parts = t("list-separator").join(f"{t(f'activity-kind-{kind}')} {n}" for kind, n in sorted(kinds.items()))
        weeks = max(1, len(report.period.weeks()))
        line = t("report-activity-line", name=h(name), n=sum(kinds.values()), per_week=_one_decimal(
            sum(kinds.values()) / weeks), kinds=parts or "—")
        if name in timely:
            row = timely[name]
            line += t("report-activity-timely", on_time=row.on_time, late=row.late,
                      rate=percent(rate(row.on_time, row.on_time + row.late)))
        lines.append(line)
    return lines[:12]


def chart_text(t: Translate, report: Report) -> ChartText:
    stages = list(report.funnel.stages)
    timed = [stage for stage in PIPELINE if stage in report.cycle.in_stage]
    title = report.title or t("report-whole-org")
    return ChartText(
        title=t("report-chart-title", team=title, period=period_text(t, report.period)),
        funnel_title=t("report-chart-funnel"),
        stages=[stage_name(t, row.stage) for row in stages],
        entered=[row.entered for row in stages],
        converted=[row.converted for row in stages],
        entered_label=t("report-chart-entered"), converted_label=t("report-chart-converted"),
        times_title=t("report-chart-times"),
        time_stages=[stage_name(t, stage) for stage in timed],
        median_days=[(report.cycle.in_stage[s].median or 0) / DAY for s in timed],
        p90_days=[(report.cycle.in_stage[s].p90 or 0) / DAY for s in timed],
        median_label=t("report-chart-median"), p90_label=t("report-chart-p90"), days_label=t("report-chart-days"),
        empty=t("report-chart-empty"),
    )
