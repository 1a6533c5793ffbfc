"""Per-person caps: how much one person may hold or do, so that a loop (a script, a stuck key, a
forwarded chat) cannot bury the team, the database or the sweeps. Each cap is counted per person,
never per team, and refused with a message that says the limit and what to do about it.

| cap                      | limit | counted                                                        |
|--------------------------|-------|----------------------------------------------------------------|
| OPEN_REMINDERS           | 200   | a person's personal reminders waiting to fire (/remind)        |
| LEADS_PER_HOUR           | 60    | leads a person captured in the last 60 minutes (/lead, intake) |

Not capped, and why:
- a follow-up's next step is a reminder too, but logging a follow-up completes the owner's earlier
  steps on that deal, so there is at most one per deal and owner: the deals one owns bound them;
- voice notes are stored as Telegram file ids, one per record at most (a lead's need, an activity's
  note): the record caps them, and the files themselves stay on Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from domain.errors import InvalidInput


class CapReached(InvalidInput):
    """A per-person cap is reached. An InvalidInput, so that a flow keeps its step and every answer:
    nothing typed is lost, and the same tap works once there is room again."""

    code = "error-cap"


@dataclass(frozen=True)
class Cap:
    limit: int
    code: str  # the refusal's message key; it gets `limit`
    window: timedelta | None = None  # None: held at one time; else: done within this rolling window

    def check(self, used: int) -> None:
        """Refuses one more when `used` already reaches the limit: the limit-th is fine, the next is not."""
        if used >= self.limit:
            raise CapReached(self.code, limit=self.limit)


OPEN_REMINDERS = Cap(200, "error-cap-reminders")
LEADS_PER_HOUR = Cap(60, "error-cap-leads", window=timedelta(hours=1))
