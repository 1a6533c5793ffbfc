"""Contact details: phone and e-mail validation, company names for dedupe, and quick capture.

Everything here is a pure function of its input. Errors carry a code (and an example) only; the bot
layer words them in the user's language.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Final, TypeVar

import phonenumbers

from domain.errors import InvalidInput
from domain.leads.model import Authority, Budget, LeadDraft, LeadSource, Timeline

# ---------------------------------------------------------------------------------------------
# Phone
# ---------------------------------------------------------------------------------------------

PHONE_EXAMPLE_CN: Final = "13800138000"
_MAX_PHONE_INPUT = 64


def _phone_example(region: str) -> str:
    if region.upper() == "CN":
        return PHONE_EXAMPLE_CN
    example = phonenumbers.example_number_for_type(region.upper(), phonenumbers.PhoneNumberType.MOBILE)
    if example is None:
        return "+86 138 0013 8000"
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalise_phone(raw: str, default_region: str = "CN") -> str:
    """A valid phone number in E.164 ("+8613800138000").

    Accepts what people type: "13800138000", "138-0013-8000", "+86 138 0013 8000", "0086…",
    full-width digits, "+44 20 7946 0958". A number without a country code is read in
    `default_region`. Mobile and fixed-line numbers are both accepted when the numbering plan says
    they are valid. Anything else raises InvalidInput("error-phone", example=...).
    """
    text = unicodedata.normalize("NFKC", raw or "").strip()
    if text.lower().startswith("tel:"):
        text = text[4:]
    error = InvalidInput("error-phone", example=_phone_example(default_region))
    if not text or len(text) > _MAX_PHONE_INPUT or not any(ch.isdigit() for ch in text):
        raise error
    try:
        number = phonenumbers.parse(text, default_region.upper())
    except phonenumbers.NumberParseException:
        raise error from None
    if not phonenumbers.is_valid_number(number):
        raise error
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def looks_like_phone(text: str) -> bool:
    """Digits (at least five) and what numbers are written with, and no letter: "138 0013 8000", "+86-138…",
    "１３８…". A name with a digit in it ("张三2") is still a name."""
    normal = unicodedata.normalize("NFKC", text or "")
    digits = sum(ch.isdigit() for ch in normal)
    return digits >= 5 and all(ch.isdigit() or ch in " +-().#/" for ch in normal.strip())


def phone_from_card(raw: str) -> str | None:
    """The number of a shared contact card, or None. Telegram sends it in international form, usually
    without the "+"; a number typed into a phone book may be a plain Chinese mobile."""
    digits = "".join(ch for ch in raw if ch.isdigit())
    candidates = [raw.strip()]
    if not raw.strip().startswith("+"):
        candidates = [digits, "+" + digits] if len(digits) == 11 and digits.startswith("1") else ["+" + digits]
    for candidate in candidates:
        try:
            return normalise_phone(candidate)
        except InvalidInput:
            continue
    return None


# ---------------------------------------------------------------------------------------------
# E-mail
# ---------------------------------------------------------------------------------------------

EMAIL_EXAMPLE: Final = "name@company.com"
_EMAIL = re.compile(
    r"(?P<local>[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
    r"@(?P<domain>(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})"
)


def normalise_email(raw: str) -> str:
    """A lower-cased, sanely formed address ("Li.Si@Acme.CN " -> "li.si@acme.cn").

    A sanity check, not RFC 5322: one "@", a dotted domain with a letter TLD, no spaces, at most 254
    characters. "mailto:" and surrounding <> are dropped. Anything else raises
    InvalidInput("error-email", example="name@company.com").
    """
    text = unicodedata.normalize("NFKC", raw or "").strip().strip("<>").strip().lower()
    if text.startswith("mailto:"):
        text = text[len("mailto:") :]
    if len(text) > 254 or not _EMAIL.fullmatch(text) or len(text.split("@", 1)[0]) > 64:
        raise InvalidInput("error-email", example=EMAIL_EXAMPLE)
    return text


# ---------------------------------------------------------------------------------------------
# Company key
# ---------------------------------------------------------------------------------------------

# Legal-form suffixes only: 科技, 网络, 贸易 … are part of the name and stay.
_ZH_LEGAL_SUFFIXES: Final = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "公司")
_EN_LEGAL_SUFFIXES: Final = frozenset(
    {
        "inc", "incorporated", "ltd", "limited", "llc", "llp", "co", "company", "corp",
        "corporation", "gmbh", "plc", "group", "pte", "pty", "ag",
    }
)  # fmt: skip
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕")


def company_key(name: str) -> str:
    """The form of a company name used to spot duplicates.

    Insensitive to case, full/half width (NFKC), punctuation and whitespace; drops bracketed parts
    such as "(中国)" or "(UK)" and trailing legal forms (有限公司, 股份有限公司, 集团, Inc, Ltd, LLC,
    Co., GmbH, Corp …), but keeps descriptive words (科技, Tech). "华东科技有限公司", "华东 科技" and
    "华东科技（上海）有限公司" all give "华东科技"; "Acme Co., Ltd." and "ACME inc" give "acme".
    An empty key means "nothing to compare"; callers must not match on it.
    """
    text = unicodedata.normalize("NFKC", name or "").casefold()
    without_brackets = _BRACKETED.sub(" ", text)
    if _alnum(without_brackets):
        text = without_brackets
    words = [w for w in re.split(r"[^\w]+|_", text) if w]
    while len(words) > 1 and words[-1] in _EN_LEGAL_SUFFIXES:
        words.pop()
    key = "".join(words)
    while True:
        suffix = next((s for s in _ZH_LEGAL_SUFFIXES if key.endswith(s)), None)
        # Keep a name that is nothing but a legal form, and a branch (分公司) apart from its head office.
        if suffix is None or len(key) == len(suffix) or key.endswith("分" + suffix):
            return key
        key = key[: -len(suffix)]


def _alnum(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


# ---------------------------------------------------------------------------------------------
# Quick capture
# ---------------------------------------------------------------------------------------------

_CJK_WORD = re.compile(r"[\u3400-\u9fff]")

# What quick capture must find; anything it could not is listed in QuickCapture.missing, in this
# order, so the flow asks for it. "phone_or_email": at least one way to reach the contact.
REQUIRED_FIELDS: Final = ("contact_name", "company", "phone_or_email", "source")

_SOURCE_WORDS: Final[tuple[tuple[str, LeadSource], ...]] = (
    ("官网", LeadSource.WEBSITE), ("网站", LeadSource.WEBSITE), ("website", LeadSource.WEBSITE),
    ("web", LeadSource.WEBSITE),
    ("展会", LeadSource.EVENT), ("活动", LeadSource.EVENT), ("event", LeadSource.EVENT), ("expo", LeadSource.EVENT),
    ("trade show", LeadSource.EVENT),
    ("转介绍", LeadSource.REFERRAL), ("推荐", LeadSource.REFERRAL), ("referral", LeadSource.REFERRAL),
    ("referred", LeadSource.REFERRAL),
    ("陌拜", LeadSource.COLD_CALL), ("电话", LeadSource.COLD_CALL), ("cold call", LeadSource.COLD_CALL),
    ("cold", LeadSource.COLD_CALL),
    ("广告", LeadSource.ADVERTISING), ("advertising", LeadSource.ADVERTISING), ("ads", LeadSource.ADVERTISING),
    ("ad", LeadSource.ADVERTISING),
    ("合作伙伴", LeadSource.PARTNER), ("渠道", LeadSource.PARTNER), ("partner", LeadSource.PARTNER),
)  # fmt: skip

_TIMELINE_WORDS: Final[tuple[tuple[str, Timeline], ...]] = (
    # Within a word the first listed wins, so the more specific words come first: 下季度 is later
    # than this quarter, 下月底 is next month, not this month's end.
    ("下个季度", Timeline.LATER), ("下季度", Timeline.LATER), ("next quarter", Timeline.LATER),
    ("明年", Timeline.LATER), ("next year", Timeline.LATER), ("以后", Timeline.LATER),
    ("later", Timeline.LATER), ("不急", Timeline.LATER),
    ("下个月底", Timeline.THIS_QUARTER), ("下月底", Timeline.THIS_QUARTER),
    ("下个月", Timeline.THIS_QUARTER), ("下月", Timeline.THIS_QUARTER), ("本季度", Timeline.THIS_QUARTER),
    ("这个季度", Timeline.THIS_QUARTER), ("季度内", Timeline.THIS_QUARTER),
    ("this quarter", Timeline.THIS_QUARTER), ("next month", Timeline.THIS_QUARTER),
    ("本月", Timeline.THIS_MONTH), ("这个月", Timeline.THIS_MONTH), ("月底", Timeline.THIS_MONTH),
    ("本周", Timeline.THIS_MONTH), ("这周", Timeline.THIS_MONTH), ("下周", Timeline.THIS_MONTH),
    ("尽快", Timeline.THIS_MONTH), ("马上", Timeline.THIS_MONTH), ("this month", Timeline.THIS_MONTH),
    ("this week", Timeline.THIS_MONTH), ("next week", Timeline.THIS_MONTH), ("asap", Timeline.THIS_MONTH),
    ("end of the month", Timeline.THIS_MONTH), ("end of month", Timeline.THIS_MONTH),
    ("end of the quarter", Timeline.THIS_QUARTER), ("end of quarter", Timeline.THIS_QUARTER),
)  # fmt: skip
_TIMELINE_VALUE: Final = {word: value for word, value in _TIMELINE_WORDS}
# A timeline is a phrase, not a word: "本月上线", "月底前定", "下个月签合同", "下周见面", "go live this month",
# "by end of month". The whole phrase is the timeline, so none of it is left over as the need. Words are
# tried longest first at each place (下个月底 before 下个月 before 月底).
_WHEN_ZH = "|".join(re.escape(w) for w, _ in sorted(_TIMELINE_WORDS, key=lambda x: -len(x[0])) if _CJK_WORD.search(w))
_WHEN_EN = "|".join(
    re.escape(w).replace(r"\ ", r"\s+") for w, _ in sorted(_TIMELINE_WORDS, key=lambda x: -len(x[0]))
    if not _CJK_WORD.search(w)
)
_TIMELINE_PHRASE: Final = re.compile(
    rf"(?:(?:预计|计划|争取|希望|打算|最好|最迟|务必|必须|需要|想|要|在|于)\s?)?"
    rf"(?P<zh>{_WHEN_ZH})"
    rf"(?:\s?(?:之前|以前|之内|以内|左右|前|内|底|初|中|里))?"
    rf"(?:\s?(?:就|要|能|会|可以|必须|得|再))?"
    rf"(?:\s?(?:上线|落地|启动|签约|签合同|签单|签|下单|采购|定下来|定|决定|确定|拍板|完成|交付|部署|实施|开始|开工|"
    rf"到位|见面|拜访|演示|付款|投产|用上|试用))?"
    rf"|(?<![A-Za-z])(?:(?:go(?:ing)?\s+live|launch(?:ing)?|start(?:ing)?|sign(?:ing)?|decid(?:e|ing)|"
    rf"buy(?:ing)?|deploy(?:ing)?|roll(?:ing)?\s*out|live|close|closing)\s+)?"
    rf"(?:(?:by|before|within|in|for|from|until)\s+)?(?:the\s+)?(?P<en>{_WHEN_EN})(?![A-Za-z])",
    re.IGNORECASE,
)

_AUTHORITY_WORDS: Final[tuple[tuple[str, Authority], ...]] = (
    ("decision maker", Authority.DECISION_MAKER), ("decision-maker", Authority.DECISION_MAKER),
    ("总经理", Authority.DECISION_MAKER), ("董事长", Authority.DECISION_MAKER), ("总裁", Authority.DECISION_MAKER),
    ("老板", Authority.DECISION_MAKER), ("负责人", Authority.DECISION_MAKER), ("决策人", Authority.DECISION_MAKER),
    ("能拍板", Authority.DECISION_MAKER), ("说了算", Authority.DECISION_MAKER), ("拍板", Authority.DECISION_MAKER), ("ceo", Authority.DECISION_MAKER), ("owner", Authority.DECISION_MAKER),
    ("founder", Authority.DECISION_MAKER), ("boss", Authority.DECISION_MAKER),
    ("influencer", Authority.INFLUENCER), ("对接人", Authority.INFLUENCER), ("采购经理", Authority.INFLUENCER),
    ("采购部", Authority.INFLUENCER), ("采购", Authority.INFLUENCER), ("经办人", Authority.INFLUENCER),
)  # fmt: skip
# Words that are a role only when they stand alone: "采购" is the purchasing person in "张三 采购", but
# "采购影像系统" is the need (to buy an imaging system).
_WHOLE_WORD_ONLY: Final = frozenset({"采购"})
# What a source or role word leaves in its word that says nothing more: "官网来的", "从展会认识的".
_FILLERS: Final = frozenset(
    {"来的", "过来的", "进来的", "找来的", "认识的", "介绍的", "加的", "的", "来", "上", "咨询", "留言", "询价", "从",
     "在", "通过", "来自", "经", "由", "客户", "那边", "by", "a", "an", "the", "from", "via", "at", "of", "to", "and",
     "met", "lead", "new"}
)  # fmt: skip
_BUDGET_UNKNOWN = re.compile(
    r"(?:预算|budget)\s?(?:[:是]\s?)?(?:还?没定|未定|待定|不确定|不清楚|未知|没有|无|tbd|unknown|not\s+set)"
    r"|no\s+budget(?:\s+yet)?",
    re.IGNORECASE,
)
# "客户：华东科技；联系人：张三；需求：…": what a label names. A label starts its part of the message
# (after a separator or at the start) and its value runs to the next separator.
_LABELS: Final[tuple[tuple[str, str], ...]] = (
    ("客户名称", "company"), ("公司名称", "company"), ("客户", "company"), ("公司", "company"),
    ("单位", "company"), ("企业", "company"), ("company", "company"), ("customer", "company"), ("client", "company"),
    ("联系人", "contact"), ("姓名", "contact"), ("名字", "contact"), ("contact", "contact"), ("name", "contact"),
    ("需求", "need"), ("need", "need"), ("needs", "need"), ("requirement", "need"),
    ("来源", "source"), ("source", "source"),
    ("上线时间", "timeline"), ("时间表", "timeline"), ("时间", "timeline"), ("timeline", "timeline"),
    ("timing", "timeline"),
)  # fmt: skip
_ANY_LABEL = "|".join(
    [*(re.escape(w) for w, _ in _LABELS), "预算", "budget", "联系电话", "联系方式", "手机号?", "电话", "tel", "phone",
     "mobile", "邮箱", "电邮", "e-?mail"]
)
_LABEL = re.compile(
    r"(?<![^\s,;、|])(?P<label>" + "|".join(re.escape(w) for w, _ in _LABELS) + r")\s?:\s?"
    r"(?P<value>(?:(?!\s+(?:" + _ANY_LABEL + r")\s?:)[^,;、|\n])*)",
    re.IGNORECASE,
)
_LABEL_KIND: Final = {word: kind for word, kind in _LABELS}

_ROUGH = r"(?:约|大约|大概|差不多|估计|roughly|rough|about|around|approx\.?|approximately|~)"
_AMOUNT = r"[$¥€£]?\s?\d+(?:[.,]\d+)*\s?(?:万元|万|千元|千|百万|亿|元|块|[kmw](?![a-z])|rmb|cny|usd)?"
_BUDGET = re.compile(
    rf"(?:{_ROUGH}\s?)?(?:预算|budget)\s?(?:[:是有为]|of|is)?\s?(?P<rough>{_ROUGH}\s?)?(?P<amount>{_AMOUNT})"
    rf"(?P<rough_after>\s?(?:左右|上下|以内|approx\.?|or so))?",
    re.IGNORECASE,
)
_BUDGET_ROUGH_ONLY = re.compile(
    rf"(?:{_ROUGH}\s?(?:预算|budget))|(?:(?:预算|budget)\s?{_ROUGH})", re.IGNORECASE
)
_BUDGET_LEAD_ROUGH = re.compile(rf"^{_ROUGH}", re.IGNORECASE)
_EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){1,8}")

_PHONE_LABEL = re.compile(
    r"(?:电话|手机号?|联系电话|联系方式|tel|phone|mobile|mob)\s?[:：]?\s?$", re.IGNORECASE
)
_EMAIL_LABEL = re.compile(r"(?:邮箱|电邮|e-?mail|mail)\s?[:：]?\s?$", re.IGNORECASE)
_COMPANY_HINTS_ZH: Final = (
    "公司", "集团", "科技", "技术", "网络", "信息", "软件", "贸易", "实业", "电子", "银行", "医院",
    "学校", "大学", "学院", "工厂", "制造", "中心", "研究院", "股份", "控股", "传媒", "文化", "物流",
    "商贸", "咨询", "智能", "电器", "机械", "汽车", "医药", "生物", "能源", "建设", "地产", "餐饮",
)  # fmt: skip
_COMPANY_HINTS_EN: Final = _EN_LEGAL_SUFFIXES | {
    "tech",
    "technologies",
    "technology",
    "systems",
    "bank",
    "labs",
}
_HONORIFICS_ZH: Final = ("先生", "女士", "小姐", "老师", "经理", "总")
_MAX_QUICK_CAPTURE = 2000
_PUNCTUATION: Final = ":：-—·.()（）[]【】\"'“”‘’"
E = TypeVar("E")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class QuickCapture:
    """What one free-text message told us, in LeadDraft terms, plus what it did not."""

    contact_name: str | None = None
    company: str | None = None
    phone: str | None = None  # E.164; only ever a number that is in the message
    email: str | None = None
    source: LeadSource | None = None  # None: no source word found (LeadDraft's default is OTHER)
    need: str | None = None  # the message's words that were not anything else
    budget: Budget = Budget.UNKNOWN
    budget_note: str | None = None  # the amount as written, e.g. "50万", "50k"
    authority: Authority = Authority.NONE
    timeline: Timeline = Timeline.UNKNOWN
    missing: list[str] = field(default_factory=list)  # names from REQUIRED_FIELDS, in that order

    def to_draft(self) -> LeadDraft:
        return LeadDraft(
            company=self.company or "",
            contact_name=self.contact_name,
            phone=self.phone,
            email=self.email,
            source=self.source or LeadSource.OTHER,
            need=self.need,
            budget=self.budget,
            budget_note=self.budget_note,
            authority=self.authority,
            timeline=self.timeline,
        )


@dataclass
class _Token:
    text: str
    start: int
    end: int
    consumed: bool = False  # the whole token was understood as something (phone, keyword, ...)


def parse_quick_capture(text: str) -> QuickCapture:
    """Best-effort reading of one message like "张三 13800138000 华东科技 官网 预算50万 下月上线".

    Never raises and never invents a value: the phone and e-mail are only ever ones written in the
    message (and valid). Order of reading: e-mail, budget ("预算50万", "budget ~50k"), phone, then
    the words for source, timeline and authority; of what is left, a person-like word is the name
    (2–4 Chinese characters, or 1–3 capitalised Latin words), a company-like word the company
    (科技, 公司, Ltd …; otherwise the first other word after the name), and the rest is the need.
    """
    try:
        return _parse(text)
    except Exception:  # pragma: no cover - a safety net; the tests feed arbitrary text
        return QuickCapture(missing=list(REQUIRED_FIELDS))


def without_timeline(text: str) -> str:
    """The text without its timeline phrases ("本月上线", "by end of month"): what is left of a need once
    the words that say when are gone (scoring weighs only that)."""
    return _TIMELINE_PHRASE.sub(" ", unicodedata.normalize("NFKC", text or ""))


QUICK_MAX_CHARS: Final = 300  # a longer message is a conversation, not a lead typed in a hurry


def read_as_lead(text: str) -> QuickCapture | None:
    """The quick capture of an ordinary chat message, when the message reads like a lead; else None.

    Conservative: a short message, not a question, in which quick capture finds a way to reach someone
    (phone or e-mail), a person, a company, and one more sign of a lead (a source, a budget, a timeline
    or a legal form such as 有限公司 / Ltd). Everything else stays ordinary chat (/lead is always there).
    The message is read once: the caller keeps the result instead of parsing it again."""
    stripped = (text or "").strip()
    if len(stripped) > QUICK_MAX_CHARS or stripped.count("\n") > 3 or stripped.startswith("/"):
        return None
    if len(stripped.split()) < 3 or stripped.endswith(("?", "？")):
        return None
    parsed = parse_quick_capture(stripped)
    if not ((parsed.phone or parsed.email) and parsed.company and parsed.contact_name):
        return None
    legal_form = company_key(parsed.company) != "".join(parsed.company.casefold().split())
    said_more = parsed.source or parsed.budget is not Budget.UNKNOWN or parsed.timeline is not Timeline.UNKNOWN
    return parsed if said_more or legal_form else None


def _parse(raw: str) -> QuickCapture:
    text = unicodedata.normalize("NFKC", raw if isinstance(raw, str) else "")[:_MAX_QUICK_CAPTURE]
    text = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in text)
    blanks = [False] * len(text)  # characters already understood

    def blank(start: int, end: int) -> None:
        for i in range(start, end):
            blanks[i] = True

    def unread(start: int, end: int) -> bool:
        return not any(blanks[start:end])

    email = None
    for match in _EMAIL_IN_TEXT.finditer(text):
        try:
            candidate = normalise_email(match.group())
        except InvalidInput:
            continue
        if email is None:
            email = candidate
        blank(_label_start(text, match.start(), _EMAIL_LABEL), match.end())

    budget, budget_note = Budget.UNKNOWN, None
    for match in _BUDGET.finditer(text):
        if not unread(match.start(), match.end()):
            continue
        rough = bool(
            match.group("rough") or match.group("rough_after") or _BUDGET_LEAD_ROUGH.match(match.group())
        )
        budget = Budget.ROUGH if rough else Budget.KNOWN
        budget_note = match.group("amount").strip()
        blank(match.start(), match.end())
        break
    if budget is Budget.UNKNOWN:
        for match in _BUDGET_UNKNOWN.finditer(text):  # "预算没定": said, and unknown
            blank(match.start(), match.end())
        rough_only = _BUDGET_ROUGH_ONLY.search(text)
        if rough_only and unread(rough_only.start(), rough_only.end()):
            budget = Budget.ROUGH
            blank(rough_only.start(), rough_only.end())

    phone = None
    masked = "".join(" " if b else ch for ch, b in zip(text, blanks, strict=True))
    try:
        for found in phonenumbers.PhoneNumberMatcher(masked, "CN", leniency=phonenumbers.Leniency.VALID):
            if phone is None:
                phone = phonenumbers.format_number(found.number, phonenumbers.PhoneNumberFormat.E164)
            # "电话：138…" labels the number; it does not say the lead came from a cold call.
            blank(_label_start(text, found.start, _PHONE_LABEL), found.end)
    except Exception:  # the library is well kept, but a quick capture must never fail
        phone = None

    labelled = _labelled(text, blanks)
    for start, end in labelled.pop("spans"):
        blank(start, end)

    timeline = labelled.get("timeline")
    for match in _TIMELINE_PHRASE.finditer(text):
        if not unread(match.start(), match.end()):
            continue
        word = (match.group("zh") or match.group("en") or "").lower()
        value = _TIMELINE_VALUE.get(word) or _TIMELINE_VALUE.get(" ".join(word.split()))
        if value is not None:
            timeline = timeline or value
            blank(match.start(), match.end())

    tokens = _tokens(text, blanks)
    source = labelled.get("source") or _keyword(tokens, _SOURCE_WORDS)
    authority = _keyword(tokens, _AUTHORITY_WORDS)

    leftovers = [t for t in tokens if not t.consumed and _alnum(t.text)]
    # A part that is only filler ("来的", "by a") says nothing: not a name, a company or a need.
    segments = [s for s in _segments(leftovers, text) if not all(t.text.lower() in _FILLERS for t in s[1])]
    company, contact_name = labelled.get("company"), labelled.get("contact")
    company_seg = None if company else next((s for s in segments if _looks_like_company(s[0])), None)
    name_seg = None
    if not labelled.get("contact_said"):  # a labelled contact is the contact, whatever else looks like a name
        name_seg = next((s for s in segments if s is not company_seg and _looks_like_name(s[0])), None)
    if company is None and company_seg is None:
        after_name = segments[segments.index(name_seg) + 1 :] if name_seg else segments
        company_seg = next((s for s in after_name if len(_alnum(s[0])) >= 2 and _has_letter(s[0])), None)
    contact_name = contact_name or (name_seg[0] if name_seg else None)
    company = company or (company_seg[0] if company_seg else None)
    rest = [s for s in segments if s is not name_seg and s is not company_seg]
    words = [*labelled["need"], *_original_words(text, blanks, rest)]
    need = " ".join(_without_edge_fillers(words)) or None

    missing = [
        name
        for name, found_value in (
            ("contact_name", contact_name),
            ("company", company),
            ("phone_or_email", phone or email),
            ("source", source),
        )
        if not found_value
    ]
    return QuickCapture(
        contact_name=contact_name,
        company=company,
        phone=phone,
        email=email,
        source=source,
        need=need,
        budget=budget,
        budget_note=budget_note,
        authority=authority or Authority.NONE,
        timeline=timeline or Timeline.UNKNOWN,
        missing=missing,
    )


def _labelled(text: str, blanks: list[bool]) -> dict[str, Any]:
    """What "label: value" parts of the message say, and the spans they take ("spans")."""
    found: dict[str, Any] = {"spans": [], "need": []}
    for match in _LABEL.finditer(text):
        if any(blanks[match.start() : match.start("value")]):
            continue
        kind = _LABEL_KIND[match.group("label").lower()]
        start, end = match.start("value"), match.end("value")
        value = "".join(" " if blanks[i] else text[i] for i in range(start, end)).strip()
        if kind in ("company", "contact") and _CJK_WORD.search(value):
            value = value.split()[0] if value.split() else ""  # a Chinese name or company has no spaces
            end = start + text[start:end].find(value) + len(value) if value else start
        if kind == "contact":
            found["contact_said"] = True  # a contact label with no name (a phone) names nobody
            if value and _has_letter(value):
                found.setdefault("contact", value[:64])
        elif kind == "company":
            if value and _has_letter(value):
                found.setdefault("company", value)
        elif kind == "need":
            if value:
                found["need"].append(" ".join(value.split()))
        elif kind == "source":
            tokens = [_Token(word, 0, 0) for word in value.split()]
            found.setdefault("source", _keyword(tokens, _SOURCE_WORDS) if tokens else None)
        elif kind == "timeline":
            phrase = _TIMELINE_PHRASE.search(value)
            word = (phrase.group("zh") or phrase.group("en") or "").lower() if phrase else ""
            found.setdefault("timeline", _TIMELINE_VALUE.get(" ".join(word.split())))
        found["spans"].append((match.start(), end if kind in ("company", "contact") else match.end()))
    return found


def _has_letter(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def _label_start(text: str, start: int, label: re.Pattern[str]) -> int:
    found = label.search(text, max(0, start - 12), start)
    return found.start() if found else start


def _tokens(text: str, blanks: list[bool]) -> list[_Token]:
    """Whitespace- and punctuation-separated words, skipping what is already understood."""
    tokens: list[_Token] = []
    for match in re.finditer(r"[^\s,;，；、。!！?？|/]+", text):
        start, end = match.start(), match.end()
        i = start
        while i < end:
            while i < end and blanks[i]:
                i += 1
            j = i
            while j < end and not blanks[j]:
                j += 1
            if j > i:
                piece = text[i:j].strip(_PUNCTUATION)
                if piece:
                    offset = text.index(piece, i, j)
                    tokens.append(_Token(piece, offset, offset + len(piece)))
            i = j
    return tokens


def _keyword(tokens: list[_Token], words: tuple[tuple[str, E], ...]) -> E | None:
    """The value of the first keyword found (in the message's order), cutting it out of its word.

    Latin keywords match whole words; Chinese ones match inside a word ("华东科技官网"), but are only
    cut out when what remains still says something (so "王经理" stays a name).
    """
    best: tuple[int, int, E] | None = None  # position, token index, value
    table = _keyword_table(words)
    for index, token in enumerate(tokens):
        if token.consumed:
            continue
        lowered = token.text.lower()
        for word, value, phrase in table:
            if phrase is None:  # Chinese: inside the word
                pos = lowered.find(word)
                if pos < 0 or (word in _WHOLE_WORD_ONLY and lowered != word):
                    continue
            else:
                if lowered != phrase[0] or not _phrase_at(tokens, index, phrase):
                    continue
                pos = 0
            where = token.start + pos
            if best is None or where < best[0]:
                best = (where, index, value)
            _cut(tokens, index, word)
            break
    return best[2] if best else None


_KeywordTable = tuple[tuple[str, Any, list[str] | None], ...]


@cache
def _keyword_table(words: tuple[tuple[str, Any], ...]) -> _KeywordTable:
    """`words` with each Latin keyword split into its words once (None for a Chinese one): a quick line
    tries every keyword at every word it has, and looking at each keyword's script there, again and again,
    was a third of the parse (the lists are module constants: two tables in all)."""
    return tuple((word, value, None if _CJK.search(word) else word.split()) for word, value in words)


def _phrase_at(tokens: list[_Token], index: int, phrase: list[str]) -> bool:
    window = tokens[index : index + len(phrase)]
    return len(window) == len(phrase) and all(
        t.text.lower() == w for t, w in zip(window, phrase, strict=True)
    )


def _cut(tokens: list[_Token], index: int, word: str) -> None:
    token = tokens[index]
    phrase = word.split()
    if not _CJK.search(word):
        for t in tokens[index : index + len(phrase)]:
            t.consumed = True
        return
    pos = token.text.lower().find(word)
    parts = [part.strip(_PUNCTUATION) for part in (token.text[:pos], token.text[pos + len(word) :])]
    parts = [part for part in parts if part and part.lower() not in _FILLERS]  # "官网来的": nothing more
    if not parts:
        token.consumed = True
    elif len(parts) == 1 and len(_alnum(parts[0])) >= 2:
        token.text = parts[0]


def _segments(tokens: list[_Token], text: str) -> list[tuple[str, list[_Token]]]:
    """Adjacent Latin words join ("John Smith", "Acme Co"); Chinese words stand alone. A comma or another
    separator ends a part ("Globex Inc, Tom Lee"), except before a legal form ("Acme Co., Ltd."); so does
    a legal form after a name ("Acme Corp wants a CRM": the company, then the need)."""
    segments: list[tuple[str, list[_Token]]] = []
    for token in tokens:
        latin = not _CJK.search(token.text)
        if segments and latin:
            prev_text, prev_tokens = segments[-1]
            prev = prev_tokens[-1]
            ended = len(prev_tokens) > 1 and _legal_form(prev) and not _legal_form(token)
            if not _CJK.search(prev_text) and not ended and _adjacent(prev, token, text):
                segments[-1] = (f"{prev_text} {token.text}", [*prev_tokens, token])
                continue
        segments.append((token.text, [token]))
    return segments


def _legal_form(token: _Token) -> bool:
    return token.text.lower().rstrip(".") in _EN_LEGAL_SUFFIXES


def _adjacent(first: _Token, second: _Token, text: str) -> bool:
    legal_form = second.text.lower() in _EN_LEGAL_SUFFIXES
    if not 0 < second.start - first.end <= (3 if legal_form else 2):
        return False
    return legal_form or not any(ch in ",;、|" for ch in text[first.end : second.start])


def _looks_like_company(text: str) -> bool:
    if _CJK.search(text):
        return len(_alnum(text)) >= 3 and any(hint in text for hint in _COMPANY_HINTS_ZH)
    words = [w for w in re.split(r"[^\w]+", text.lower()) if w]
    return len(words) >= 2 and words[-1] in _COMPANY_HINTS_EN


def _looks_like_name(text: str) -> bool:
    if _CJK.search(text):
        core = text
        for honorific in _HONORIFICS_ZH:
            if core.endswith(honorific) and len(core) > len(honorific):
                core = core[: -len(honorific)]
                break
        return bool(re.fullmatch(r"[\u3400-\u9fff·]{1,4}", core)) and len(text) >= 2
    words = text.split()
    return 1 <= len(words) <= 3 and all(re.fullmatch(r"[A-Z][a-zA-Z'\-.]*", w) for w in words)


def _original_words(text: str, blanks: list[bool], segments: list[tuple[str, list[_Token]]]) -> list[str]:
    """The whole words the leftover segments came from ("下月上线", not "上线"), unless such a word
    also holds a phone, an e-mail or a budget: then only the leftover itself. A word is taken once however
    many leftovers it holds; the same word written twice ("a CRM for a team") is kept twice."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    words: list[str] = []
    taken: set[tuple[int, int]] = set()
    for _, seg_tokens in segments:
        for token in seg_tokens:
            word, where = token.text, (token.start, token.end)
            for start, end in spans:
                if start <= token.start < end:
                    if not any(blanks[start:end]):
                        word, where = text[start:end], (start, end)
                    break
            if where not in taken:
                taken.add(where)
                words.append(word)
    return words


def _without_edge_fillers(words: list[str]) -> list[str]:
    """The need's words without the filler words at either end ("by a", "来的"): inside the need they are
    part of what it says ("a CRM for a team of 20")."""
    start, end = 0, len(words)
    while start < end and words[start].lower() in _FILLERS:
        start += 1
    while end > start and words[end - 1].lower() in _FILLERS:
        end -= 1
    return words[start:end]
