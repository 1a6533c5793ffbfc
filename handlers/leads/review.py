"""/lead's last screens: the review (Confirm, Edit a field, keep it myself), the duplicates it found
(add a note there, continue there, or save it anyway as a new lead), and the saved lead's card."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from aiogram.types import InlineKeyboardButton

from bot.callbacks import small_number
from bot.formatting import Html, h, when
from bot.i18n import Translate
from bot.keyboards import button, rows_of
from domain.handoffs.offering import card_goes_out
from domain.leads import capture
from domain.leads import services as lead_service
from domain.leads.model import CaptureOutcome, CaptureResult, DuplicateHit, LeadStatus
from domain.policy import services as policy_service
from domain.team.people import name_of
from domain.team.queries import own_team
from handlers.flow import STAY, Alert, Ctx, Done, Go, Rows, Step, Transition, Typed
from handlers.leads.facts import STEPS, field_lines, steps_for
from handlers.pipeline_ui import DealAct, DealCb

MAX_HITS = 3  # duplicates shown; one more screenful helps nobody on a phone
LEAD_STATUSES = frozenset(s.value for s in LeadStatus)
FACTOR_ORDER = ("budget", "authority", "timeline", "industry", "need", "engagement")


# --- the review -------------------------------------------------------------------------------------------


def review_screen(ctx: Ctx) -> str:
    t = ctx.t
    lines = [ctx.intro or t("lead-summary-title"), *field_lines(t, ctx.data), ""]
    missing = steps_for(capture.missing(ctx.data))
    if missing:
        lines.append(t("lead-summary-missing", fields=t("list-separator").join(t(f"lead-field-{s}") for s in missing)))
    else:
        lines.append(t("lead-summary-hint"))
    return "\n".join(lines)


async def review_keyboard(ctx: Ctx) -> Rows:
    t = ctx.t
    rows: Rows = []
    if not capture.missing(ctx.data):
        rows.append([ctx.button(t("lead-btn-confirm"), "confirm")])
    policy = await policy_service.get_policy(ctx.uow, team_id=ctx.user.team_id)
    if capture.may_keep(ctx.user, policy):
        key = "lead-btn-keep-myself-on" if ctx.data.get("keep_myself") else "lead-btn-keep-myself-off"
        rows.append([ctx.button(t(key), "keep")])
    edits = [ctx.edit_button(t("lead-btn-edit", field=t(f"lead-field-{step}")), step) for step in STEPS]
    return rows + rows_of(edits)


async def on_review_pick(ctx: Ctx, value: str) -> Transition:
    if value == "keep":
        ctx.data["keep_myself"] = not ctx.data.get("keep_myself")
        return STAY
    if value != "confirm":
        return Alert(ctx.t("stale-button"))
    missing = steps_for(capture.missing(ctx.data))
    if missing:
        ctx.data["flow_plan"] = missing
        return Go(missing[0])
    # One duplicate query: matches come back unsaved, or the lead is captured.
    found = await lead_service.capture_unless_duplicate(
        ctx.uow, actor=ctx.user, draft=capture.draft_from(ctx.data), now=ctx.clock.now()
    )
    if isinstance(found, CaptureResult):
        return Done(await result_card(ctx, found))
    ctx.data["hits"] = [hit_data(hit) for hit in found[:MAX_HITS]]
    return Go("duplicates")


# --- duplicates ---------------------------------------------------------------------------------------


def hit_data(hit: DuplicateHit) -> dict[str, Any]:
    """What the rep may see of a hit, as plain values. The service leaves out the details of another
    team's record (an admin sees them all): then only the team's name is kept."""
    detailed = hit.company is not None
    extra = hit.extra if detailed else {}
    return {
        "kind": hit.kind, "id": hit.id if detailed else 0, "team": hit.team_name, "matched": hit.matched_on,
        "detailed": detailed, "same_team": hit.same_team, "mine": detailed and hit.owned_by_viewer,
        # Only a lead of the rep's own team can be linked to a new lead at the same company.
        "lead_id": hit.lead_id if hit.same_team else None,
        "company": hit.company, "owner": hit.owner_name if detailed else None,
        "stage": capture.plain(hit.stage) if detailed else None,
        "last": hit.last_activity_at.isoformat() if detailed and hit.last_activity_at else None,
        "creator": str(extra.get("created_by_name") or ""), "status": str(extra.get("status") or ""),
        "in_pool": bool(extra.get("in_pool")), "waiting": bool(extra.get("waiting_handoff")),
    }  # fmt: skip


def hit_lines(t: Translate, ctx: Ctx, timezone: str, hits: Sequence[dict[str, Any]]) -> list[str]:
    lines = []
    for n, hit in enumerate(hits, start=1):
        matched = t(f"lead-dup-matched-{hit['matched']}")
        if not hit["detailed"]:
            lines.append(t("lead-dup-other-team", n=n, team=h(hit["team"]), matched=matched))
            continue
        last = datetime.fromisoformat(hit["last"]) if hit["last"] else None
        common = {
            "n": n, "company": h(hit["company"] or ""), "id": hit["id"], "matched": matched,
            "last": when(last, timezone, ctx.lang) if last else t("lead-dup-never"),
        }
        if hit["kind"] == "lead":  # not a deal (yet): who captured it and how it stands
            status = hit["status"] if hit["status"] in LEAD_STATUSES else "new"
            lines.append(t("lead-dup-lead", creator=h(hit["creator"] or "—"), status=t(f"lead-status-{status}"), **common))
            continue
        owner = h(hit["owner"]) if hit["owner"] else t("lead-dup-waiting" if hit["waiting"] else "lead-dup-no-owner")
        stage = t(f"stage-{hit['stage']}") if hit["stage"] else t("lead-empty")
        lines.append(t("lead-dup-deal", owner=owner, stage=stage, **common))
    return lines


def hits_of(ctx: Ctx) -> list[dict[str, Any]]:
    return list(ctx.data.get("hits") or [])


async def duplicates_screen(ctx: Ctx) -> str:
    t = ctx.t
    team = await own_team(ctx.uow, ctx.user)
    return "\n".join([t("lead-dup-title"), "", *hit_lines(t, ctx, team.timezone, hits_of(ctx)), "", t("lead-dup-hint")])


def duplicates_keyboard(ctx: Ctx) -> Rows:
    t = ctx.t
    buttons: list[InlineKeyboardButton] = []
    for n, hit in enumerate(hits_of(ctx), start=1):
        if hit["detailed"]:
            buttons.append(ctx.button(t("lead-dup-btn-note", n=n), f"note-{n}"))
        if hit["mine"] and hit["kind"] == "opportunity":
            # Straight to the deal card: /deals opens it, checks access again and ends this capture.
            buttons.append(button(t("lead-dup-btn-continue", n=n), DealCb(act=DealAct.OPEN, id=hit["id"])))
        elif hit["mine"]:
            buttons.append(ctx.button(t("lead-dup-btn-continue", n=n), f"open-{n}"))
    return [*rows_of(buttons, 2), [ctx.button(t("lead-dup-btn-new"), "new")]]


def chosen_hit(ctx: Ctx, number: str) -> dict[str, Any] | Alert:
    """The duplicate a button points at, if it is one this rep was shown and may act on."""
    hits = hits_of(ctx)
    n = small_number(number) or 0
    if not 1 <= n <= len(hits):
        return Alert(ctx.t("stale-button"))
    if not hits[n - 1]["detailed"]:
        return Alert(ctx.t("error-other-team"))
    return hits[n - 1]


async def on_duplicates_pick(ctx: Ctx, value: str) -> Transition:
    t = ctx.t
    if value == "new":
        related = next((hit["lead_id"] for hit in hits_of(ctx) if hit["lead_id"]), None)
        result = await lead_service.capture_lead(
            ctx.uow, actor=ctx.user, draft=capture.draft_from(ctx.data), now=ctx.clock.now(), related_lead_id=related
        )
        return Done(await result_card(ctx, result))
    what, _, number = value.partition("-")
    hit = chosen_hit(ctx, number)
    if isinstance(hit, Alert) or what not in ("note", "open"):
        return hit if isinstance(hit, Alert) else Alert(t("stale-button"))
    if what == "note":
        ctx.data["note_hit"] = int(number)
        return Go("note")
    if not hit["mine"]:
        return Alert(t("lead-dup-not-yours"))
    key = "lead-dup-yours-deal" if hit["kind"] == "opportunity" else "lead-dup-yours-lead"
    return Done(t(key, company=h(hit["company"] or ""), id=hit["id"]))


# --- a note on the existing record instead ------------------------------------------------------------


def noted_hit(ctx: Ctx) -> dict[str, Any] | None:
    hits, n = hits_of(ctx), ctx.data.get("note_hit")
    return hits[n - 1] if isinstance(n, int) and 1 <= n <= len(hits) else None


def note_screen(ctx: Ctx) -> str:
    hit = noted_hit(ctx) or {}
    return ctx.t("lead-note-ask", company=h(hit.get("company") or ""))


def read_note(given: object, ctx: Ctx) -> dict[str, str] | None:
    return {"note": given.text.strip()} if isinstance(given, Typed) else None


async def on_note(ctx: Ctx, answers: Any) -> Transition:
    hit = noted_hit(ctx)
    if hit is None:
        return Done(ctx.t("stale-flow"))
    await lead_service.add_note(
        ctx.uow, actor=ctx.user, kind=hit["kind"], record_id=hit["id"], note=answers["note"], now=ctx.clock.now()
    )
    return Done(ctx.t("lead-note-saved", company=h(hit["company"] or "")))


# --- the saved lead ---------------------------------------------------------------------------------------


def score_line(t: Translate, score: int | None, reasons: dict[str, int]) -> str:
    """"7/10：预算 +2，决策人 +2，时间 +2，…": the biggest reasons first."""
    order = [*FACTOR_ORDER, *sorted(set(reasons) - set(FACTOR_ORDER))]
    ranked = sorted((f for f in order if reasons.get(f, 0) > 0), key=lambda f: (-reasons[f], order.index(f)))
    parts = [
        t(f"score-reason-{factor}", points=reasons[factor]) if factor in FACTOR_ORDER else Html(f"{h(factor)} +{reasons[factor]}")
        for factor in ranked
    ]
    if not parts:
        return t("lead-score-plain", score=score or 0)
    return t("lead-score", score=score or 0, reasons=t("list-separator").join(parts))


async def result_card(ctx: Ctx, result: CaptureResult) -> str:
    t, lead = ctx.t, result.lead
    lines = [t("lead-saved", company=h(lead.company), id=lead.id), score_line(t, lead.score, lead.score_reasons)]
    if lead.related_lead_id:
        lines.append(t("lead-related"))
    if result.outcome is CaptureOutcome.HANDOFF and result.handoff is not None:
        name = h(await name_of(ctx.uow, result.handoff.to_user_id))
        lines.append(t("lead-outcome-handoff", name=name))
        later = await card_goes_out(ctx.uow, result.handoff, ctx.clock.now())
        if later is not None:  # outside working hours: say when the assignee will hear of it
            tz = (await own_team(ctx.uow, ctx.user)).timezone
            lines.append(t("lead-outcome-handoff-later", name=name, at=when(later, tz, ctx.lang)))
    else:
        lines.append(t(f"lead-outcome-{result.outcome.value}"))
    return "\n".join(lines)


HANDLED = "lead-already-handled"
REVIEW_STEPS: tuple[Step, ...] = (
    Step(
        "review", screen=review_screen, keyboard=review_keyboard, pick=on_review_pick, edits=STEPS, back=None,
        expect="lead-expect-summary", done=HANDLED,
    ),
    Step(
        "duplicates", screen=duplicates_screen, keyboard=duplicates_keyboard, pick=on_duplicates_pick,
        back="review", expect="lead-expect-buttons", done=HANDLED,
    ),
    Step(
        "note", screen=note_screen, parse=read_note, accept=on_note, back="duplicates", expect="lead-expect-note",
        problems={"error-note-text": "lead-bad-note"},
    ),
)
