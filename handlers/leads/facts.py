"""/lead's fact steps, company to industry: each reads its answer with the capture spec
(domain/leads/capture.py) and shows what it holds so far."""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Sequence
from typing import Any

from bot.formatting import Html, h
from bot.i18n import Translate
from domain.errors import InvalidInput
from domain.leads import capture
from domain.leads.contact import (
    QuickCapture,
    looks_like_phone,
    normalise_email,
    phone_from_card,
    read_as_lead,
)
from domain.leads.model import Authority, Budget, LeadSource, Timeline
from domain.policy import services as policy_service
from handlers.flow import (
    NEXT,
    Answers,
    Card,
    Choice,
    Ctx,
    Go,
    Input,
    Spoken,
    Stay,
    Step,
    Transition,
    Typed,
    typed,
)

STEPS: tuple[str, ...] = (
    "company", "contact", "phone", "email", "source", "need", "budget", "authority", "timeline", "industry",
)  # fmt: skip
FACT_OF_STEP: dict[str, str] = {
    "company": "company", "contact": "contact_name", "phone": "phone", "email": "email", "source": "source",
    "need": "need", "budget": "budget", "authority": "authority", "timeline": "timeline", "industry": "industry",
}  # fmt: skip
# What the capture spec (or quick capture) says is missing, as steps of this flow.
STEP_OF_FACT: dict[str, str] = {fact: step for step, fact in FACT_OF_STEP.items()} | {capture.REACH: "phone"}
CHOICE_KINDS: dict[str, type[enum.StrEnum]] = {
    "source": LeadSource, "budget": Budget, "authority": Authority, "timeline": Timeline,
}  # fmt: skip


def steps_for(facts: Sequence[str]) -> list[str]:
    """The steps that ask for these facts, in the flow's order."""
    wanted = {STEP_OF_FACT[name] for name in facts if name in STEP_OF_FACT}
    return [step for step in STEPS if step in wanted]


def choice_label(t: Translate, step: str, value: str) -> str:
    # Sources are named as everywhere else in the pipeline (hand-off cards, deal cards).
    return t(f"source-{value}") if step == "source" else t(f"lead-{step}-{value}")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def current_value(t: Translate, step: str, values: dict[str, Any]) -> str | None:
    """The step's answer as the rep would read it, or None while unanswered."""
    value = values.get(FACT_OF_STEP[step])
    if step == "need":
        parts: list[str] = [h(_clip(str(value), 200))] if value else []
        if values.get("need_voice_file_id"):
            parts.append(t("lead-voice-need"))
        return Html(" + ").join(parts) or None
    if not value:
        return None
    if step in CHOICE_KINDS:
        label = choice_label(t, step, str(value))
        if step == "budget" and values.get("budget_note"):
            label = t("lead-budget-with-note", budget=label, note=h(values["budget_note"]))
        return label
    return h(value)


def field_lines(t: Translate, values: dict[str, Any], *, answered_only: bool = False) -> list[str]:
    lines = []
    for step in STEPS:
        value = current_value(t, step, values)
        if value or not answered_only:
            lines.append(t("lead-field-line", field=t(f"lead-field-{step}"), value=value or t("lead-empty")))
    return lines


def quick_start(t: Translate, parsed: QuickCapture) -> tuple[dict[str, Any], list[str], str]:
    """What a quick-capture message said, as the flow's values; the steps for what it did not say (none:
    straight to the review); and the text above the first screen."""
    values = capture.quick_values(parsed)
    missing = set(steps_for([*parsed.missing, *capture.missing(values)]))
    if values.get("phone") or values.get("email"):
        missing -= {"phone", "email"}  # one of them is enough
    else:
        missing.discard("email")  # asked after the phone, if the phone is skipped
    plan = [step for step in STEPS if step in missing]
    if not plan:
        return values, plan, t("lead-quick-parsed")
    intro = "\n".join([t("lead-quick-parsed"), *field_lines(t, values, answered_only=True), "", t("lead-quick-ask")])
    return values, plan, intro


def fact_screen(ctx: Ctx) -> str:
    """"Step 3 of 10", the question, and the answer it holds."""
    t, name = ctx.t, ctx.step.name
    prompt = "lead-ask-email-required" if name == "email" and not ctx.data.get("phone") else ctx.step.prompt
    lines = [ctx.intro, ""] if ctx.intro else []
    lines += [t("lead-progress", step=ctx.position(name) + 1, total=len(ctx.plan)), t(prompt)]
    current = current_value(t, name, ctx.data)
    if current:
        lines.append(t("lead-current", value=current))
    return "\n".join(lines)


# --- reading answers ------------------------------------------------------------------------------


def _email(text: str) -> str:
    try:
        return normalise_email(text)
    except InvalidInput as error:
        raise InvalidInput(error.code, input=text.strip()[:60]) from None


def card_name(name: str) -> str | None:
    """The name on a shared contact card; a card saved without a name carries the number there instead."""
    name = name.strip()[: capture.MAX_NAME]
    return None if not name or looks_like_phone(name) else name


_WHOLE_LEAD = "whole_lead"  # an answer of the company step: the quick capture of a whole lead typed there


def read_company(given: Input, ctx: Ctx) -> Answers | None:
    """The company's name. A whole lead typed (or pasted) at /lead's first question, before anything else
    is known, is read as a quick capture, as it would be in ordinary chat (read_as_lead): the rep gets
    the facts it gave and the questions for the rest, not a company named after the whole line."""
    if not isinstance(given, Typed):
        return None
    if not any(ctx.data.get(fact) for fact in FACT_OF_STEP.values()):
        parsed = read_as_lead(given.text)
        if parsed is not None:
            return {_WHOLE_LEAD: parsed}
    return {"company": capture.parse_company(given.text)}


def on_company(ctx: Ctx, answers: Answers) -> Transition:
    parsed = answers.get(_WHOLE_LEAD)
    if parsed is None:
        ctx.data.update(answers)
        return NEXT
    values, plan, ctx.intro = quick_start(ctx.t, parsed)
    ctx.data.update(values)
    ctx.data["flow_plan"] = plan
    return Go(plan[0] if plan else ctx.flow.review)


def read_phone(given: Input, ctx: Ctx) -> Answers | None:
    """A number, a shared contact card, or an e-mail typed where the phone was asked (taken for what it is)."""
    if isinstance(given, Card):
        phone = phone_from_card(given.phone)
        if phone is None:
            raise InvalidInput("error-phone", input=given.phone[:40])
        return {"phone": phone, "contact_name": ctx.data.get("contact_name") or card_name(given.name)}
    if not isinstance(given, Typed):
        return None
    if "@" in given.text:
        return {"email": _email(given.text)}
    return {"phone": capture.parse_phone(given.text)}


def read_contact(given: Input, ctx: Ctx) -> Answers | None:
    """A name. A phone number typed here is taken as the phone when there is none yet (the name is asked
    again, see on_contact); otherwise it is refused: it is not a name."""
    if not isinstance(given, Typed):
        return None
    try:
        name = capture.clean("contact_name", given.text)
    except InvalidInput as error:
        if error.code == "error-lead-contact-phone" and not ctx.data.get("phone"):
            with contextlib.suppress(InvalidInput):
                return {"phone": capture.parse_phone(given.text)}
        raise
    if not name:
        raise InvalidInput("error-lead-too-long", field="contact_name", max=capture.MAX_NAME)
    return {"contact_name": str(name)}


def on_contact(ctx: Ctx, answers: Answers) -> Transition:
    ctx.data.update(answers)
    if answers.get("phone") and not answers.get("contact_name"):  # the phone, typed where the name was asked
        return Stay(ctx.t("lead-contact-was-phone", phone=answers["phone"]))
    return NEXT


def read_need(given: Input, ctx: Ctx) -> Answers | None:
    """Typed, or a voice note (kept beside a typed need)."""
    if isinstance(given, Spoken):
        return {"need_voice_file_id": given.file_id}
    return {"need": capture.parse_need(given.text)} if isinstance(given, Typed) else None


def enum_choices(step: str) -> Any:
    kind, fact = CHOICE_KINDS[step], FACT_OF_STEP[step]

    def choices(ctx: Ctx) -> list[Choice]:
        return [Choice(member.value, choice_label(ctx.t, step, member.value), {fact: member.value}) for member in kind]

    return choices


async def industry_choices(ctx: Ctx) -> list[Choice]:
    """The team's own list of industries (the policy's); a button carries its index."""
    policy = await policy_service.get_policy(ctx.uow, team_id=ctx.user.team_id)
    return [Choice(str(i), name, {"industry": name}) for i, name in enumerate(policy.industries)]


def no_way_to_reach(ctx: Ctx) -> list[str]:
    """Without a phone the e-mail is no longer optional: it is asked right after."""
    return [] if ctx.data.get("phone") or ctx.data.get("email") else ["email"]


BUTTONS = "lead-expect-buttons"
FACT_STEPS: tuple[Step, ...] = (
    Step(
        "company", "lead-ask-company", ("company",), parse=read_company, accept=on_company,
        expect="lead-expect-company", required="lead-expect-company",
        problems={"error-lead-company": "lead-bad-company-length"},
    ),
    Step(
        "contact", "lead-ask-contact", ("contact_name",), parse=read_contact, accept=on_contact, optional=True,
        expect="lead-expect-contact",
        problems={"error-lead-too-long": "lead-bad-contact", "error-lead-contact-phone": "lead-bad-contact-phone"},
    ),
    Step(
        "phone", "lead-ask-phone", ("phone",), parse=read_phone, optional=True, then=no_way_to_reach,
        expect="lead-expect-phone", problems={"error-phone": "lead-bad-phone", "error-email": "lead-bad-email"},
    ),
    Step(
        "email", "lead-ask-email", ("email",), parse=typed("email", _email), optional=lambda ctx: bool(ctx.data.get("phone")),
        expect="lead-expect-email", required="lead-need-phone-or-email", problems={"error-email": "lead-bad-email"},
    ),
    Step("source", "lead-ask-source", ("source",), choices=enum_choices("source"), expect=BUTTONS),
    Step(
        "need", "lead-ask-need", ("need", "need_voice_file_id"), parse=read_need, optional=True,
        expect="lead-expect-need", problems={"error-lead-too-long": "lead-bad-need"},
    ),
    Step("budget", "lead-ask-budget", ("budget",), choices=enum_choices("budget"), expect=BUTTONS),
    Step("authority", "lead-ask-authority", ("authority",), choices=enum_choices("authority"), optional=True, expect=BUTTONS),
    Step("timeline", "lead-ask-timeline", ("timeline",), choices=enum_choices("timeline"), per_row=2, expect=BUTTONS),
    Step("industry", "lead-ask-industry", ("industry",), choices=industry_choices, optional=True, expect=BUTTONS),
)
