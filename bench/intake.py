"""Leads per second through the HTTP intake API, one instance against two, on PostgreSQL.

Starts real `python -m bot run` processes (HTTP_PORT set, a fake Bot API behind them), a team of a
manager and 8 reps, one intake key; then posts N hot leads (each a new customer, so each is scored,
assigned and its hand-off card queued in the request's transaction) with C at a time, round-robin over
the instances. Printed: leads/s for 1 and 2 instances, the ratio, and p50/p99 from POST to the card
queued (the answer comes after the commit that queued it).

    .venv/bin/python bench/intake.py [--leads 400] [--concurrency 16]

The target (issue 15) is two instances ≥ 1.7× one; on a 2-core machine that runs PostgreSQL too, the
instances compete with the database for the same cores, so read the ratio with that in mind. To make that
visible, each run also prints where the CPU went while it lasted (from /proc, Linux only): the instances,
the PostgreSQL server's processes, this load generator, and how many of the machine's cores were busy in
all. When one instance already keeps the machine's cores busy, a second cannot add throughput here.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp

from bench.pg import create_database, drop_database
from domain.intake import services as intake
from domain.leads.model import LeadSource
from domain.team import onboarding
from domain.team.model import Role
from storage import migrate
from storage.db import create_engine, session_factory
from storage.uow import SqlUnitOfWork
from tests.fakeapi import FakeBotApi
from tests.outbox_support import TOKEN

ROOT = Path(__file__).resolve().parent.parent


TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) of one process so far; 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def _postgres_cpu() -> float:
    """CPU seconds of every PostgreSQL server process alive now (the instances' pooled backends stay up)."""
    total = 0.0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/comm") as f:
                    if f.read().strip() == "postgres":
                        total += _proc_cpu(int(entry))
            except OSError:
                continue
    return total


def _machine_busy() -> float:
    """CPU seconds all cores spent busy so far (/proc/stat: all but idle and iowait)."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    return (sum(values) - values[3] - values[4]) / TICK


@dataclass
class CpuShare:
    instances: float = 0.0
    postgres: float = 0.0
    generator: float = 0.0
    machine: float = 0.0

    @classmethod
    def now(cls, pids: list[int]) -> CpuShare:
        if not os.path.exists("/proc/stat"):
            return cls()
        return cls(sum(_proc_cpu(p) for p in pids), _postgres_cpu(), time.process_time(), _machine_busy())

    def since(self, before: CpuShare) -> CpuShare:
        return CpuShare(self.instances - before.instances, self.postgres - before.postgres,
                        self.generator - before.generator, self.machine - before.machine)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def seed(url: str) -> str:
    engine = create_engine(url)
    await migrate.upgrade(engine)
    now = datetime.now(UTC)
    try:
        async with SqlUnitOfWork(session_factory(engine)) as uow:
            team = await onboarding.ensure_team(uow, name="华东销售部", timezone="Asia/Shanghai", now=now)
            assert team.id is not None
            people = []
            for n, role in enumerate([Role.MANAGER] + [Role.REP] * 8):
                code, _ = await onboarding.create_invite(uow, actor=None, role=role, team_id=team.id, now=now)
                user, _ = await onboarding.redeem_invite(
                    uow, code=code, telegram_id=900_000 + n, name=f"P{n}", username=None, language=None, now=now
                )
                people.append(user)
            _, key = await intake.issue_key(uow, actor=people[0], channel="官网表单", source=LeadSource.WEBSITE, now=now)
            await uow.commit()
        return key
    finally:
        await engine.dispose()


async def start(url: str, api: FakeBotApi, port: int) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "REDIS_", "WEBHOOK_", "HTTP_"))}
    env.update(
        BOT_TOKEN=TOKEN, TELEGRAM_API_BASE=api.base, DATABASE_URL=url, HTTP_PORT=str(port), PYTHONPATH=str(ROOT),
        LOG_LEVEL="WARNING", INTAKE_PER_MINUTE="1000000",
    )
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )


async def wait_up(http: aiohttp.ClientSession, port: int) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.2)
    raise SystemExit(f"the instance on port {port} did not come up")


async def load(http: aiohttp.ClientSession, ports: list[int], key: str, leads: int, concurrency: int, base: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(leads):
        queue.put_nowait(n)

    async def worker() -> None:
        while not queue.empty():
            n = queue.get_nowait()
            body = {
                "company": f"客户{base + n}号科技", "contact_name": "陈总", "phone": f"13{base + n:09d}",
                "need": "门店收银系统替换", "budget": "known", "authority": "yes", "timeline": "this_month",
            }
            started = time.perf_counter()
            async with http.post(
                f"http://127.0.0.1:{ports[n % len(ports)]}/api/v1/leads", json=body,
                headers={"Authorization": f"Bearer {key}"},
            ) as response:
                await response.read()
                if response.status != 201:
                    raise SystemExit(f"POST answered {response.status}")
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started, latencies


async def main(args: argparse.Namespace) -> None:
    url, name = await create_database()
    try:
        key = await seed(url)
        results: dict[int, tuple[float, list[float]]] = {}
        cpu: dict[int, CpuShare] = {}
        async with FakeBotApi(TOKEN) as api, aiohttp.ClientSession() as http:
            for count in (1, 2):
                ports = [free_port() for _ in range(count)]
                procs = [await start(url, api, port) for port in ports]
                try:
                    for port in ports:
                        await wait_up(http, port)
                    await load(http, ports, key, 20, 4, base=count * 1_000_000 + 900_000)  # warm up
                    before = CpuShare.now([p.pid for p in procs])
                    results[count] = await load(http, ports, key, args.leads, args.concurrency, base=count * 1_000_000)
                    cpu[count] = CpuShare.now([p.pid for p in procs]).since(before)
                finally:
                    for proc in procs:
                        proc.send_signal(signal.SIGTERM)
                    for proc in procs:
                        await proc.wait()
        load_avg = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(
            f"intake API on PostgreSQL: {args.leads} leads, {args.concurrency} at a time, {os.cpu_count()} cores, "
            f"load average {load_avg:.1f} at the end"
        )
        rates = {}
        for count, (seconds, latencies) in results.items():
            rates[count] = args.leads / seconds
            cuts = statistics.quantiles(latencies, n=100)
            print(
                f"  {count} instance{'s' if count > 1 else ' '}: {rates[count]:7.1f} leads/s   "
                f"POST → card queued p50 {cuts[49] * 1000:6.0f} ms  p99 {cuts[98] * 1000:6.0f} ms"
            )
            used = cpu[count]
            if used.machine:
                print(
                    f"      CPU over the run: instances {used.instances:5.1f} s ({used.instances / args.leads * 1000:.1f} ms a "
                    f"lead), PostgreSQL {used.postgres:5.1f} s, load generator {used.generator:5.1f} s; "
                    f"{used.machine / seconds:.2f} of {os.cpu_count()} cores busy"
                )
        print(f"  two / one: {rates[2] / rates[1]:.2f}× (target ≥ 1.7×)")
    finally:
        await drop_database(name)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--leads", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=16)
    asyncio.run(main(parser.parse_args()))
