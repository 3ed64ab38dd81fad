"""The load: writers POSTing realistic initiatives and readers running REST and GraphQL reads.

`run_load` drives a served platform from threads with http.client: every loop is bounded in
requests and in time, and `Results` holds what the clients saw (statuses, latencies, the
acknowledged writes).
"""
from __future__ import annotations

import http.client
import random
import threading
import time
import uuid
from dataclasses import dataclass, field

from .load_server import request

# Realistic bodies: real SDG targets, towns with coordinates, the tags NGOs type.
PLACES = [("Kisumu", "KE", -0.0917, 34.768), ("Nairobi", "KE", -1.2864, 36.8172),
          ("Garissa", "KE", -0.4532, 39.6461), ("Thiès", "SN", 14.7910, -16.9359),
          ("Dakar", "SN", 14.7167, -17.4677), ("Gulu", "UG", 2.7724, 32.2881),
          ("Cox's Bazar", "BD", 21.4272, 92.0058), ("Maiduguri", "NG", 11.8333, 13.1500)]
WORK = [("Repairing community wells", ["6.1"], ["WASH", "water"]),
        ("School feeding for primary pupils", ["2.1", "4.1"], ["Food security", "Education"]),
        ("Mobile clinics for mothers and newborns", ["3.1", "3.2"], ["Health", "maternal health"]),
        ("Cash transfers to displaced families", ["1.3", "10.7"], ["Cash", "Protection"]),
        ("Latrine building and hygiene promotion", ["6.2"], ["Water & Sanitation", "hygiene"]),
        ("Drought-resistant seed distribution", ["2.4", "13.1"], ["Agriculture", "climate"]),
        ("Girls' secondary school bursaries", ["4.1", "5.1"], ["Education", "gender"])]
GRAPHQL_QUERY = """query($goal: String, $first: Int) {
  initiatives(filter: {goal: $goal}, first: $first) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id title organisation { name } goals { code } tags { key } locations { name country } } }
  }
}"""
READS = [
    ("rest", "/api/v1/initiatives?goal=6&first=20"),
    ("rest", "/api/v1/initiatives?country=KE&status=implementation&first=50"),
    ("rest", "/api/v1/initiatives?tag=wash&year=2025"),
    ("rest", "/api/v1/initiatives?q=school&first=10"),
    ("rest", "/api/v1/initiatives?bbox=33,-2,40,1&active_on=2025-06-01"),
    ("graphql", {"goal": "2", "first": 20}),
    ("graphql", {"goal": "6", "first": 50}),
]


def initiative_body(rng: random.Random, marker: str) -> dict:
    """A realistic initiative whose title carries a unique marker (to find it again)."""
    title, goals, tags = rng.choice(WORK)
    name, country, lat, lon = rng.choice(PLACES)
    year = rng.choice([2024, 2025, 2026])
    return {
        "title": f"{title} in {name} [{marker}]",
        "description": f"{title} with local committees in {name}; follow-up visits every quarter. " * 3,
        "goals": goals, "tags": tags, "status": rng.choice(["pipeline", "implementation"]),
        "locations": [{"name": name, "country": country, "lat": lat + rng.uniform(-0.05, 0.05),
                       "lon": lon + rng.uniform(-0.05, 0.05)}],
        "start": f"{year}-01-01", "end": f"{year}-12-31",
        "budget": rng.randrange(5_000, 500_000), "currency": "USD",
        "people_targeted": rng.randrange(100, 20_000),
    }


@dataclass
class Results:
    """What the clients saw."""

    samples: list = field(default_factory=list)  # (kind, status, seconds)
    acknowledged: dict = field(default_factory=dict)  # id -> title
    duplicate_acks: int = 0
    unknown_writes: list = field(default_factory=list)  # titles whose outcome is unknown (no answer)
    wall: float = 0.0
    warm_up_failures: list = field(default_factory=list)  # statuses of failed warm-up writes
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            self.samples.append((kind, status, seconds))


class Client:
    """A keep-alive connection that reconnects after a failure."""

    def __init__(self, host: str, port: int, timeout: float = 30):
        self.host, self.port, self.timeout = host, port, timeout
        self.conn: http.client.HTTPConnection | None = None

    def call(self, method: str, path: str, body=None, headers=None):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            return request(self.host, self.port, method, path, body, headers, conn=self.conn)
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = None
            raise

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def post_write(client: Client, results: Results, body: dict, headers: dict, since: float | None = None) -> None:
    """POST one initiative and record it: status, seconds (from `since` if given, else the
    request's own), the acknowledged id, or the title when no answer came."""
    try:
        status, data, secs = client.call("POST", "/api/v1/initiatives", body, headers)
    except (OSError, http.client.HTTPException):
        results.add("write", 0, 0.0)
        with results.lock:
            results.unknown_writes.append(body["title"])
        return
    results.add("write", status, secs if since is None else time.perf_counter() - since)
    if status == 201 and isinstance(data, dict) and "id" in data:
        with results.lock:
            if int(data["id"]) in results.acknowledged:
                results.duplicate_acks += 1
            results.acknowledged[int(data["id"])] = body["title"]


def read_once(client: Client, kind: str, what) -> tuple[int, float]:
    """One read of `READS` (kind rest or graphql): (status, seconds); a 200 carrying errors
    counts as 299, no answer as 0."""
    try:
        if kind == "rest":
            status, _, secs = client.call("GET", what)
        else:
            status, data, secs = client.call("POST", "/graphql", {"query": GRAPHQL_QUERY, "variables": what})
            if status == 200 and (not isinstance(data, dict) or data.get("errors")):
                status = 299
    except (OSError, http.client.HTTPException):
        status, secs = 0, 0.0
    return status, secs


def warm_writes(host: str, port: int, tokens: list[str], results: Results) -> None:
    """One write per kind of work first: creates the tags and builds each worker's index, so the
    figures describe the steady state (see test_concurrent_writes for the cold start)."""
    client = Client(host, port)
    for i, (_, goals, tags) in enumerate(WORK):
        body = {**initiative_body(random.Random(i), f"warm-{i}"), "goals": goals, "tags": tags}
        status, data, _ = client.call("POST", "/api/v1/initiatives", body,
                                      {"Authorization": f"Bearer {tokens[i % len(tokens)]}"})
        if status == 201:
            results.acknowledged[int(data["id"])] = body["title"]
        else:
            results.warm_up_failures.append(status)
    client.close()


def run_load(host: str, port: int, tokens: list[str], writers: int = 8, writes_per_writer: int = 25,
             readers: int = 4, max_reads: int = 2_000, time_limit: float = 90, seed: int = 7,
             warm_up: bool = True) -> Results:
    """Writers POST their writes while readers share `max_reads` reads: a fixed amount of work,
    so runs with different worker counts compare; bounded in time too."""
    results = Results()
    deadline = time.monotonic() + time_limit
    reads_left = [max_reads]

    def writer(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        client = Client(host, port)
        headers = {"Authorization": f"Bearer {tokens[n % len(tokens)]}"}
        try:
            write_all(client, headers, rng, n)
        finally:
            client.close()

    def write_all(client: Client, headers: dict, rng: random.Random, n: int) -> None:
        for k in range(writes_per_writer):
            if time.monotonic() > deadline:
                break
            post_write(client, results, initiative_body(rng, f"w{n}-{k}-{uuid.uuid4().hex[:8]}"), headers)

    def reader(n: int) -> None:
        rng = random.Random(seed * 7919 + n)
        client = Client(host, port)
        try:
            read_until_done(client, rng)
        finally:
            client.close()

    def read_until_done(client: Client, rng: random.Random) -> None:
        while time.monotonic() < deadline:
            with results.lock:
                if reads_left[0] <= 0:
                    return
                reads_left[0] -= 1
            kind, what = rng.choice(READS)
            results.add(f"read_{kind}", *read_once(client, kind, what))

    if warm_up:
        warm_writes(host, port, tokens, results)
    start = time.perf_counter()
    write_threads = [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
    read_threads = [threading.Thread(target=reader, args=(i,)) for i in range(readers)]
    for t in write_threads + read_threads:
        t.start()
    for t in write_threads:
        t.join(timeout=max(1.0, deadline - time.monotonic() + 35))
    for t in read_threads:
        t.join(timeout=max(1.0, deadline - time.monotonic() + 35))
    results.wall = time.perf_counter() - start
    return results


