"""Pupil names at a real school's scale (`python -m benchmarks names`): false alarms on clean
posts and the share of names caught, on the hand-labelled corpus in benchmarks/names/, for each
half of it (dev: look at it while working; held: the figure that counts, never tuned on).

Targets: false alarms (any pupil-name finding on a clean post) at most 2% and names caught at
least 98%, on the held-back half, with each register. Every misclassified post is printed, with
what the engine found, so a regression can be read straight off the output: the development
half's only. The held halves (`held`, and `held2`, written blind in December 2026 once some
of the first had been seen) print their figures alone, so that nobody tunes on their posts by
accident; `--show-held` prints their misclassified posts too, for a deliberate review that ends
a held half's use (a fresh one must then be written).

`python -m benchmarks names --split=dev` prints one half only; `--quiet` only the figures;
`--register=leeds` one register; `--posts=posts-dev-6-*` only the files matching a glob (a new
batch's first run). Every register in names/registers/ is measured; clean posts against each.
"""

from __future__ import annotations

import csv
import json
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.drafts import DraftContent, PhotoCheck
from chatbot.domain.pupils import Pupil, Register, RegisterEntry
from chatbot.policy.engine import PolicyEngine, load_policy
from chatbot.policy.names import NameMatch
from chatbot.policy.rules import Post

CORPUS = Path(__file__).parent / "names"
YEAR = AcademicYear.of(date(2026, 12, 1))
MAX_FALSE_ALARMS = 0.02
MIN_CAUGHT = 0.98


@dataclass
class Tally:
    clean: int = 0
    false_alarms: int = 0
    mentions: int = 0
    caught: int = 0
    unsure: int = 0  # caught only as a question for the author
    extra: int = 0  # named posts with a match that is not one of the labelled names
    wrong: list[str] = field(default_factory=list)

    def line(self) -> str:
        fa = self.false_alarms / self.clean if self.clean else 0.0
        caught = self.caught / self.mentions if self.mentions else 1.0
        ok = "ok" if fa <= MAX_FALSE_ALARMS and caught >= MIN_CAUGHT else "MISSES TARGET"
        return (
            f"false alarms {self.false_alarms}/{self.clean} = {fa:.1%} (target <= 2%); "
            f"names caught {self.caught}/{self.mentions} = {caught:.1%} (target >= 98%), "
            f"{self.unsure} of them as questions; named posts with an extra match: "
            f"{self.extra}  [{ok}]"
        )


def load_posts(pattern: str = "posts-*.jsonl") -> list[dict[str, object]]:
    posts: list[dict[str, object]] = []
    for path in sorted(CORPUS.glob(pattern)):
        with path.open(encoding="utf-8") as lines:
            posts.extend(json.loads(line) for line in lines if line.strip())
    return posts


def load_register(name: str) -> Register:
    """Read directly: the register has two pairs of same-name pupils told apart by their upn,
    which the importer cannot hold yet."""
    with (CORPUS / "registers" / f"{name}.csv").open(encoding="utf-8", newline="") as rows:
        entries = tuple(
            RegisterEntry(
                Pupil(r["first_name"], r["last_name"], r["preferred_name"], r["year_group"]),
                YEAR,
                twitter_consent=r["twitter_consent"] == "yes",
            )
            for r in csv.DictReader(rows)
        )
    return Register(YEAR, entries)


def content_of(post: dict[str, object]) -> DraftContent:
    alts = [str(a) for a in post.get("alts", []) or []]  # type: ignore[attr-defined]
    return DraftContent(
        text=str(post["text"]),
        photos=tuple(PhotoCheck(alt_text=a, face_count=1) for a in alts),
        declared=True,
        post_date=date.fromisoformat(str(post.get("date", "2026-12-01"))),
    )


def matches_of(engine: PolicyEngine, post: dict[str, object]) -> dict[str, list[NameMatch]]:
    """What the name engine finds in each part of the post ("text", "alt 1", ...)."""
    texts = Post.of(content_of(post)).texts()
    matches = engine.names.find_in_post([analysis for _, analysis in texts])
    return {
        where.replace("alt text of photo", "alt") or "text": found
        for (where, _), found in zip(texts, matches, strict=True)
    }


def _field(post: dict[str, object], where: str) -> str:
    if where == "text":
        return str(post["text"])
    alts = post["alts"]
    assert isinstance(alts, list)
    return str(alts[int(where.split()[1]) - 1])


def _unsure(match: NameMatch) -> str:
    return ", unsure" if getattr(match, "unsure", False) else ""


def _describe(matches: dict[str, list[NameMatch]]) -> str:
    return "; ".join(
        f"{where}: {m.matched!r}->{m.pupil.full_name} ({m.how}{_unsure(m)})"
        for where, found in matches.items()
        for m in found
    )


def judge(engine: PolicyEngine, register: str, post: dict[str, object], tally: Tally) -> None:
    matches = matches_of(engine, post)
    named = post.get("names") or []
    assert isinstance(named, list)
    if not named:
        tally.clean += 1
        if any(matches.values()):
            tally.false_alarms += 1
            tally.wrong.append(
                f"  FALSE ALARM {post['id']}: {post['text']!r}\n    {_describe(matches)}"
            )
        return
    if post.get("register") != register:
        return
    labelled: list[tuple[int, int, str]] = []
    for mention in named:
        where, written = mention["where"], mention["written"]
        text = _field(post, where)
        spans = []
        start = text.find(written)
        while start >= 0:
            spans.append((start, start + len(written)))
            start = text.find(written, start + 1)
        tally.mentions += 1
        hits = [
            m
            for m in matches.get(where, [])
            if any(m.start < end and start < m.end for start, end in spans)
        ]
        labelled.extend((s, e, where) for s, e in spans)
        if hits:
            tally.caught += 1
            tally.unsure += all(getattr(m, "unsure", False) for m in hits)
        else:
            tally.wrong.append(
                f"  MISSED {post['id']} ({post.get('kind')}): {written!r} in {where}: "
                f"{_field(post, where)!r}\n    found: {_describe(matches) or 'nothing'}"
            )
    extra = [
        m
        for where, found in matches.items()
        for m in found
        if not any(w == where and m.start < e and s < m.end for s, e, w in labelled)
    ]
    if extra:
        tally.extra += 1


# held2: a second held-back half, written blind in December 2026 once the first had been seen
SPLITS = ["dev", "held", "held2"]


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    splits = [a.split("=", 1)[1] for a in args if a.startswith("--split=")] or SPLITS
    quiet = "--quiet" in args
    show_held = "--show-held" in args
    pattern = next((a.split("=", 1)[1] for a in args if a.startswith("--posts=")), "posts-*")
    chosen = [a.split("=", 1)[1] for a in args if a.startswith("--register=")]
    policy = load_policy()
    posts = load_posts(pattern if pattern.endswith(".jsonl") else pattern + ".jsonl")
    print(f"corpus: {len(posts)} posts ({CORPUS})")
    registers = sorted(path.stem for path in (CORPUS / "registers").glob("*.csv"))
    unknown = sorted(set(chosen) - set(registers))
    if unknown:
        sys.exit(f"no register {unknown[0]!r} in {CORPUS / 'registers'}; there are {registers}")
    for register_name in chosen or registers:
        register = load_register(register_name)
        builds = []
        for _ in range(3):
            started = time.perf_counter()
            engine = PolicyEngine(policy, register)
            builds.append(time.perf_counter() - started)
        tallies: dict[str, Tally] = defaultdict(Tally)
        for post in posts:
            judge(engine, register_name, post, tallies[str(post["split"])])
        print(
            f"\n{register_name}: {len(register.pupils)} pupils; engine build median "
            f"{statistics.median(builds) * 1000:.0f} ms (target < 300 ms)"
        )
        for split in splits:
            tally = tallies[split]
            if not tally.clean and not tally.mentions:
                continue
            print(f"  {split:>4}: {tally.line()}")
            if not quiet and (not split.startswith("held") or show_held):
                for line in tally.wrong:
                    print(line)


if __name__ == "__main__":
    main(sys.argv[1:])
