"""The team's delivery checklist template in chat (/policy → 📦 交付清单模板, managers): its lines in order, each
with its name, who owns it in a new checklist (the deal's owner or a named colleague) and its due day in
working days from the start of delivery; a line moves up or down, is removed (never the acceptance sign-off)
or handed to a colleague; ➕ adds one of the team's own (name, days, owner). New checklists use it."""

from __future__ import annotations

from aiogram import Bot, F
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import small_number
from bot.formatting import h
from bot.i18n import Translate
from bot.keyboards import button, keyboard, rows_of
from bot.routing import Routes
from domain.clock import Clock
from domain.delivery import template as tpl
from domain.delivery.model import MAX_DAYS, ItemKey, TemplateItem
from domain.delivery.services import item_label
from domain.errors import AlreadyDone, InvalidInput
from domain.outbox.model import Phrase
from domain.ports import UnitOfWork
from domain.team.model import Language, User
from handlers.common import show
from handlers.flow import Answers, Choice, Ctx, Done, Flow, Step, Transition, typed
from handlers.policy import PolicyAction, PolicyCb, may_edit
from handlers.tickets.checklist_template_cb import TplAct, TplCb

routes = Routes(__name__)
DAY_CHOICES = (0, 1, 2, 3, 5, 7, 10, 14, 20)
DEAL_OWNER = 0  # the owner choice that means "the deal's owner"


def name_of_item(t: Translate, item: TemplateItem) -> str:
    label = item_label(item)
    return t(label.key) if isinstance(label, Phrase) else h(label)


def owner_text(t: Translate, view: tpl.TemplateView, item: TemplateItem) -> str:
    if item.owner_id is None:
        return t("checklist-tpl-owner-deal")
    return h(view.owners.get(item.owner_id, "—"))


def line(t: Translate, view: tpl.TemplateView, n: int, item: TemplateItem) -> str:
    return t("checklist-tpl-line", n=n, name=name_of_item(t, item), days=item.days, owner=owner_text(t, view, item))


def template_screen(t: Translate, view: tpl.TemplateView, done: str = "") -> tuple[str, InlineKeyboardMarkup]:
    lines = [done, ""] if done else []
    lines.append(t("checklist-tpl-head"))
    lines.extend(line(t, view, n, item) for n, item in enumerate(view.items, start=1))
    lines.extend(["", t("checklist-tpl-hint")])
    items = [
        button(f"{n}. {name_of_item(t, item)}"[:40], TplCb(act=TplAct.ITEM, pos=n - 1, ver=view.version))
        for n, item in enumerate(view.items, start=1)
    ]
    rows = rows_of(items, 2)
    rows.append([button(t("checklist-tpl-btn-add"), TplCb(act=TplAct.ADD))])
    rows.append([button(t("btn-back"), PolicyCb(action=PolicyAction.SHOW))])
    return "\n".join(lines), keyboard(*rows)


def item_screen(t: Translate, view: tpl.TemplateView, index: int) -> tuple[str, InlineKeyboardMarkup]:
    item = view.items[index]
    text = "\n".join([t("checklist-tpl-head"), "", line(t, view, index + 1, item)])
    here = {"pos": index, "ver": view.version}
    moves = []
    if index > 0:
        moves.append(button(t("checklist-tpl-btn-up"), TplCb(act=TplAct.UP, **here)))
    if index < len(view.items) - 1:
        moves.append(button(t("checklist-tpl-btn-down"), TplCb(act=TplAct.DOWN, **here)))
    rows: list[list[InlineKeyboardButton]] = [moves]
    second = [button(t("checklist-tpl-btn-owner"), TplCb(act=TplAct.OWNER, **here))]
    if item.key is not ItemKey.ACCEPTANCE:  # the sign-off closes delivery: it stays
        second.append(button(t("checklist-tpl-btn-remove"), TplCb(act=TplAct.REMOVE, **here)))
    rows.append(second)
    rows.append([button(t("btn-back"), TplCb(act=TplAct.SHOW))])
    return text, keyboard(*rows)


async def view_of(uow: UnitOfWork, user: User) -> tpl.TemplateView:
    return await tpl.template_view(uow, viewer=user, team_id=user.team_id)


async def show_template(query: CallbackQuery, uow: UnitOfWork, user: User, t: Translate, done: str = "") -> None:
    text, markup = template_screen(t, await view_of(uow, user), done)
    await show(query, text, markup)


@routes.callback_query(TplCb.filter(F.act == TplAct.SHOW))
async def on_show(query: CallbackQuery, uow: UnitOfWork, user: User, state: FSMContext, t: Translate) -> None:
    if await state.get_state() is not None:  # Back from the add flow ends it
        await state.clear()
    await show_template(query, uow, user, t)


async def _fresh(query: CallbackQuery, uow: UnitOfWork, user: User, t: Translate, cb: TplCb) -> tpl.TemplateView | None:
    """The template as it stands, if the screen pressed on showed it; else the fresh screen and a polite alert."""
    view = await view_of(uow, user)
    if view.version != cb.ver or not 0 <= cb.pos < len(view.items):
        await query.answer(t("error-delivery-template-stale"), show_alert=True)
        text, markup = template_screen(t, view)
        await show(query, text, markup)
        return None
    return view


@routes.callback_query(TplCb.filter(F.act == TplAct.ITEM))
async def on_item(query: CallbackQuery, callback_data: TplCb, uow: UnitOfWork, user: User, t: Translate) -> None:
    view = await _fresh(query, uow, user, t, callback_data)
    if view is not None:
        text, markup = item_screen(t, view, callback_data.pos)
        await show(query, text, markup)


@routes.callback_query(TplCb.filter(F.act.in_({TplAct.UP, TplAct.DOWN, TplAct.REMOVE})))
async def on_change(
    query: CallbackQuery, callback_data: TplCb, uow: UnitOfWork, user: User, t: Translate, clock: Clock
) -> None:
    cb = callback_data
    if await _fresh(query, uow, user, t, cb) is None:
        return
    if cb.act is TplAct.REMOVE:
        await tpl.remove_item(uow, actor=user, team_id=user.team_id, index=cb.pos, seen=cb.ver, now=clock.now())
        await show_template(query, uow, user, t, t("checklist-tpl-removed"))
        return
    up = cb.act is TplAct.UP
    await tpl.move_item(uow, actor=user, team_id=user.team_id, index=cb.pos, up=up, seen=cb.ver, now=clock.now())
    view = await view_of(uow, user)
    text, markup = item_screen(t, view, cb.pos - 1 if up else cb.pos + 1)  # the line where it went
    await show(query, f"{t('checklist-tpl-moved')}\n\n{text}", markup)


async def owner_choices(uow: UnitOfWork, user: User) -> list[User]:
    return sorted((u for u in await uow.users.in_team(user.team_id) if u.active), key=lambda u: (u.name, u.id or 0))[:12]


@routes.callback_query(TplCb.filter(F.act == TplAct.OWNER))
async def on_owner(query: CallbackQuery, callback_data: TplCb, uow: UnitOfWork, user: User, t: Translate) -> None:
    view = await _fresh(query, uow, user, t, callback_data)
    if view is None:
        return
    here = {"pos": callback_data.pos, "ver": view.version}
    people = [button(t("checklist-tpl-owner-deal"), TplCb(act=TplAct.OWNER_SET, user=DEAL_OWNER, **here))]
    people += [button(p.name[:30], TplCb(act=TplAct.OWNER_SET, user=p.id or 0, **here))
               for p in await owner_choices(uow, user)]
    text = "\n".join([line(t, view, callback_data.pos + 1, view.items[callback_data.pos]), "", t("checklist-tpl-ask-owner")])
    await show(query, text, keyboard(*rows_of(people, 3), [button(t("btn-back"), TplCb(act=TplAct.ITEM, **here))]))


@routes.callback_query(TplCb.filter(F.act == TplAct.OWNER_SET))
async def on_owner_set(
    query: CallbackQuery, callback_data: TplCb, uow: UnitOfWork, user: User, t: Translate, clock: Clock
) -> None:
    cb = callback_data
    if await _fresh(query, uow, user, t, cb) is None:
        return
    await tpl.set_item_owner(uow, actor=user, team_id=user.team_id, index=cb.pos, owner_id=cb.user or None,
                             seen=cb.ver, now=clock.now())
    await show_template(query, uow, user, t, t("checklist-tpl-owner-set"))


# --- ➕ a new line: its name, its due day, its owner ---------------------------------------------------------


def read_days(text: str) -> int:
    days = small_number(text.strip(), high=MAX_DAYS)
    if days is None:
        raise InvalidInput("error-delivery-days", max=MAX_DAYS)
    return days


def day_choices(ctx: Ctx) -> list[Choice]:
    return [Choice(str(d), ctx.t("checklist-tpl-days", days=d), {"days": d}) for d in DAY_CHOICES]


async def new_owner_choices(ctx: Ctx) -> list[Choice]:
    people = [Choice("u0", ctx.t("checklist-tpl-owner-deal"), {"owner": DEAL_OWNER})]
    return people + [Choice(f"u{p.id}", p.name[:30], {"owner": p.id}) for p in await owner_choices(ctx.uow, ctx.user)]


async def on_owner_picked(ctx: Ctx, answers: Answers) -> Transition:
    data = {**ctx.data, **answers}
    await tpl.add_item(ctx.uow, actor=ctx.user, team_id=ctx.user.team_id, name=str(data["name"]), days=int(data["days"]),
                       owner_id=int(data["owner"]) or None, now=ctx.clock.now())
    text, markup = template_screen(ctx.t, await view_of(ctx.uow, ctx.user), ctx.t("checklist-tpl-added"))
    return Done(text, markup)


def add_screen(ctx: Ctx) -> str:
    lines = [ctx.t("checklist-tpl-new-head")]
    if ctx.data.get("name"):
        lines.append(ctx.t("checklist-tpl-new-name", name=h(str(ctx.data["name"]))))
    if ctx.data.get("days") is not None and ctx.step.name == "owner":
        lines.append(ctx.t("checklist-tpl-days", days=ctx.data["days"]))
    return "\n".join([*lines, "", ctx.t(ctx.step.prompt)])


ADD = Flow(
    "ctpl",
    (
        Step("name", "checklist-tpl-ask-name", ("name",), parse=typed("name", tpl.read_item_name),
             back=lambda ctx: TplCb(act=TplAct.SHOW), expect="checklist-tpl-expect-name"),
        Step("days", "checklist-tpl-ask-days", ("days",), choices=day_choices, parse=typed("days", read_days),
             expect="checklist-tpl-expect-days"),
        Step("owner", "checklist-tpl-ask-owner", ("owner",), choices=new_owner_choices, accept=on_owner_picked,
             expect="checklist-tpl-expect-owner"),
    ),
    screen=add_screen, plan=("name", "days", "owner"), refusal=may_edit,
)
ADD.install(routes)


@routes.callback_query(TplCb.filter(F.act == TplAct.ADD))
async def on_add(
    query: CallbackQuery, state: FSMContext, bot: Bot, t: Translate, lang: Language, uow: UnitOfWork, user: User,
    clock: Clock,
) -> None:
    view = await view_of(uow, user)  # refuses whoever may not change it, before any question
    if len(view.items) >= 12:
        raise AlreadyDone("error-delivery-template", max=12)
    await ADD.start(ADD.context(query, state, bot, t, lang, uow, user, clock), {})
