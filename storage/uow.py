"""The unit of work and repositories over one AsyncSession."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.clock import Clock
from domain.outbox.model import Notification
from domain.outbox.ports import NoticeRenderer
from domain.reminders.model import Reminder
from storage.assist_repo import SqlAssists
from storage.checklists_repo import SqlChecklists
from storage.contracts_repo import SqlContracts
from storage.customers_repo import SqlCustomers
from storage.deals_repo import SqlOpportunities, SqlStageChanges
from storage.delivery_repo import SqlDeadLetters
from storage.digest_repo import SqlDigestRuns
from storage.followup_repo import SqlActivities, SqlFollowups
from storage.handoffs_repo import SqlHandoffs
from storage.intake_repo import SqlApiKeys, SqlReceipts
from storage.leads_repo import SqlLeads
from storage.outbox_repo import SqlOutbox
from storage.policy_repo import SqlPolicies, SqlRepSkills
from storage.preload import Preloaded
from storage.quotes_repo import SqlProducts, SqlQuotes
from storage.reminder_repo import SqlReminders
from storage.renewals_repo import SqlRenewals
from storage.reports_repo import SqlReports
from storage.sql import flush_pending, forget_inserted
from storage.team_repo import SqlAudit, SqlInvites, SqlTeams, SqlUsers
from storage.tickets_repo import SqlTickets
from storage.webhooks_repo import SqlWebhooks


class Participant(Protocol):
    """Writes kept back until the commit (write-behind): flushed just before it, dropped on a rollback."""

    async def flush(self) -> None: ...

    def discard(self) -> None: ...


class SqlUnitOfWork:
    """One transaction. `async with uow:` opens it; leaving without commit() rolls back.

    Participants (the audit trail, an update's conversation state) keep their writes back and
    write them in one go just before each commit; a rollback drops them."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        renderer: NoticeRenderer | None = None,
        clock: Clock | None = None,
        outbox_hook: Callable[[], Any] | None = None,
    ) -> None:
        self._sessions = sessions
        # Called after a commit that queued notifications: wakes the dispatcher at once.
        self.outbox_hook = outbox_hook
        self._renderer = renderer
        self._clock = clock
        self.session: AsyncSession | None = None
        self.after_commit: list[Callable[[], Any]] = []
        self.participants: list[Participant] = []

    async def __aenter__(self) -> SqlUnitOfWork:
        if self.session is not None:
            raise RuntimeError("unit of work already open")
        self.session = self._sessions()
        self.preloaded = Preloaded(self.session)
        self.teams = SqlTeams(self.session)
        self.users = SqlUsers(self.session, self.preloaded)
        self.invites = SqlInvites(self.session)
        self.audit = SqlAudit(self.session)
        self.outbox = SqlOutbox(self.session, self._wake_after_commit)
        self.dead_letters = SqlDeadLetters(self.session, self._wake_after_commit)
        self.reminders = SqlReminders(self.session, self.preloaded)
        self.leads = SqlLeads(self.session)
        self.opportunities = SqlOpportunities(self.session)
        self.handoffs = SqlHandoffs(self.session)
        self.policies = SqlPolicies(self.session)
        self.activities = SqlActivities(self.session)
        self.stage_changes = SqlStageChanges(self.session)
        self.rep_skills = SqlRepSkills(self.session)
        self.digests = SqlDigestRuns(self.session)
        self.followups = SqlFollowups(self.session, self.preloaded)
        self.api_keys = SqlApiKeys(self.session)
        self.intake_receipts = SqlReceipts(self.session)
        self.webhooks = SqlWebhooks(self.session, self.preloaded)
        self.products = SqlProducts(self.session)
        self.quotes = SqlQuotes(self.session)
        self.contracts = SqlContracts(self.session)
        self.reports = SqlReports(self.session)
        self.tickets = SqlTickets(self.session)
        self.checklists = SqlChecklists(self.session)
        self.renewals = SqlRenewals(self.session)
        self.customers = SqlCustomers(self.session)
        self.assists = SqlAssists(self.session)
        self.preloaded.policies = self.policies
        self.participants = [self.audit, self.preloaded]
        return self

    def join(self, participant: Participant) -> None:
        """`participant` flushes before each commit of this unit of work and is discarded on a rollback."""
        self.participants.append(participant)

    @property
    def renderer(self) -> NoticeRenderer:
        """Renders notifications (the bot's, handed over at the wiring point); storage never calls it."""
        if self._renderer is None:
            raise RuntimeError("this unit of work has no renderer for notifications")
        return self._renderer

    def _wake_after_commit(self) -> None:
        if self.outbox_hook is not None and self.outbox_hook not in self.after_commit:
            self.after_commit.append(self.outbox_hook)

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self.session is not None
        try:
            # close() rolls back whatever was not committed and detaches the objects with their
            # loaded state intact (a rollback() first would expire them).
            await self.session.close()
        finally:
            self.session = None
            self.after_commit = []
            self.participants = []

    async def commit(self) -> None:
        assert self.session is not None
        for participant in self.participants:
            await participant.flush()
        # Last before the commit: the round robin's cursor, a row every capture of the team writes (locked
        # from this write to the commit, the shorter the better with several instances).
        await flush_pending(self.session)
        await self.policies.flush()
        await self.session.commit()
        forget_inserted(self.session, rolled_back=False)
        hooks, self.after_commit = self.after_commit, []
        for hook in hooks:
            hook()

    async def rollback(self) -> None:
        assert self.session is not None
        forget_inserted(self.session, rolled_back=True)  # before the rollback expires them: they keep their values
        await self.session.rollback()
        self.after_commit = []
        for participant in self.participants:
            participant.discard()
        self.policies.discard()

    async def flush(self) -> None:
        assert self.session is not None
        await flush_pending(self.session)

    def now(self) -> datetime:
        assert self._clock is not None
        return self._clock.now()


__all__ = ["Notification", "Reminder", "SqlUnitOfWork"]
