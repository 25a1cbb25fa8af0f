"""Check the pupil-name benchmark corpus: registers, named posts and (if present) clean posts.

Run from the repository root: ``python benchmarks/names/validate.py``. Standard library only.
Prints counts and every problem found; exits 1 if there is any problem.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REGISTERS = tuple(sorted(path.stem for path in (HERE / "registers").glob("*.csv")))
HEADER = [
    "upn",
    "first_name",
    "last_name",
    "preferred_name",
    "year_group",
    "academic_year",
    "twitter_consent",
    "website_consent",
]
YEAR_GROUPS = {"R", "1", "2", "3", "4", "5", "6"}
CONSENT = {"yes", "no"}
KINDS = {
    "first-name",
    "full-name",
    "preferred",
    "lower-case",
    "sentence-start",
    "possessive",
    "hashtag-camel",
    "hashtag-lower",
    "alt-only",
    "typo",
    "no-accent",
    "word-name",
    "list",
    "with-famous",
}
SPLITS = ("dev", "held")
# A second held-back half, written blind in December 2026 after the first was seen: files
# posts-held2-*.jsonl, all "held2"
HELD2 = "held2"
NAMED_FIELDS = {"id", "date", "register", "text", "alts", "photos", "names", "split", "kind"}
UPN_RE = re.compile(r"[A-Z][0-9]{12}")
SCHOOL_YEAR = (dt.date(2026, 9, 1), dt.date(2027, 7, 31))


def load_register(name: str, problems: list[str]) -> set[str]:
    """Return the set of "first_name last_name" on a register, noting problems."""
    path = HERE / "registers" / f"{name}.csv"
    if not path.exists():
        problems.append(f"{path.name}: missing")
        return set()
    pupils: set[str] = set()
    upns: set[str] = set()
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        if header != HEADER:
            problems.append(f"{path.name}: header is {header}, expected {HEADER}")
            return pupils
        for line, row in enumerate(reader, start=2):
            where = f"{path.name}:{line}"
            if len(row) != len(HEADER):
                problems.append(f"{where}: {len(row)} columns, expected {len(HEADER)}")
                continue
            rec = dict(zip(HEADER, row, strict=True))
            if not UPN_RE.fullmatch(rec["upn"]):
                problems.append(f"{where}: bad upn {rec['upn']!r}")
            if rec["upn"] in upns:
                problems.append(f"{where}: duplicate upn {rec['upn']}")
            upns.add(rec["upn"])
            if not rec["first_name"].strip() or not rec["last_name"].strip():
                problems.append(f"{where}: empty first or last name")
            if rec["year_group"] not in YEAR_GROUPS:
                problems.append(f"{where}: bad year_group {rec['year_group']!r}")
            if rec["academic_year"] != "2026/27":
                problems.append(f"{where}: bad academic_year {rec['academic_year']!r}")
            for col in ("twitter_consent", "website_consent"):
                if rec[col] not in CONSENT:
                    problems.append(f"{where}: bad {col} {rec[col]!r}")
            pupils.add(f"{rec['first_name']} {rec['last_name']}")
    print(f"{path.name}: {len(upns)} pupils")
    return pupils


def field_text(post: dict[str, Any], where: str) -> str | None:
    """The text a mention's "where" points at: "text" or "alt N" (1-based)."""
    if where == "text":
        return str(post.get("text", ""))
    match = re.fullmatch(r"alt ([1-9][0-9]*)", where)
    alts = post.get("alts")
    if match and isinstance(alts, list) and int(match.group(1)) <= len(alts):
        return str(alts[int(match.group(1)) - 1])
    return None


def check_common(post: dict[str, Any], tag: str, ids: set[str], problems: list[str]) -> None:
    """Checks shared by named and clean posts."""
    post_id = post.get("id")
    if not isinstance(post_id, str) or not post_id:
        problems.append(f"{tag}: missing id")
    elif post_id in ids:
        problems.append(f"{tag}: duplicate id {post_id}")
    else:
        ids.add(post_id)
    if not isinstance(post.get("text"), str) or not post["text"].strip():
        problems.append(f"{tag}: empty or missing text")
    alts, photos = post.get("alts"), post.get("photos")
    if not isinstance(alts, list) or not all(isinstance(a, str) for a in alts):
        problems.append(f"{tag}: alts must be a list of strings")
    elif not isinstance(photos, int) or isinstance(photos, bool) or photos < 0:
        problems.append(f"{tag}: photos must be a non-negative integer")
    elif len(alts) != photos:
        problems.append(f"{tag}: {len(alts)} alts but photos={photos}")
    if post.get("split") not in (*SPLITS, HELD2):
        problems.append(f"{tag}: bad split {post.get('split')!r}")
    if "date" in post:
        try:
            day = dt.date.fromisoformat(str(post["date"]))
        except ValueError:
            problems.append(f"{tag}: bad date {post['date']!r}")
        else:
            if not SCHOOL_YEAR[0] <= day <= SCHOOL_YEAR[1]:
                problems.append(f"{tag}: date {day} outside the 2026/27 school year")
    if "register" in post and post["register"] not in REGISTERS:
        problems.append(f"{tag}: bad register {post['register']!r}")


def read_jsonl(path: Path, problems: list[str]) -> list[tuple[str, dict[str, Any]]]:
    posts: list[tuple[str, dict[str, Any]]] = []
    with path.open(encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, start=1):
            tag = f"{path.name}:{line_no}"
            if not line.strip():
                problems.append(f"{tag}: blank line")
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{tag}: invalid JSON ({exc})")
                continue
            if not isinstance(obj, dict):
                problems.append(f"{tag}: not a JSON object")
                continue
            posts.append((tag, obj))
    return posts


def check_named(registers: dict[str, set[str]], ids: set[str], problems: list[str]) -> None:
    path = HERE / "posts-named.jsonl"
    if not path.exists():
        problems.append(f"{path.name}: missing")
        return
    posts = read_jsonl(path, problems)
    by_kind: Counter[tuple[str, str]] = Counter()
    mentions = photo_posts = 0
    for index, (tag, post) in enumerate(posts):
        missing = NAMED_FIELDS - post.keys()
        extra = post.keys() - NAMED_FIELDS
        if missing or extra:
            problems.append(f"{tag}: missing fields {sorted(missing)}, unexpected {sorted(extra)}")
            continue
        check_common(post, tag, ids, problems)
        if not re.fullmatch(r"n[0-9]{3}", str(post["id"])):
            problems.append(f"{tag}: id {post['id']!r} is not like n001")
        expected_split = SPLITS[index % 2]
        if post["split"] != expected_split:
            problems.append(f"{tag}: split {post['split']!r}, expected {expected_split!r}")
        if post["kind"] not in KINDS:
            problems.append(f"{tag}: unknown kind {post['kind']!r}")
        register = registers.get(post["register"], set())
        names = post["names"]
        if not isinstance(names, list) or not names:
            problems.append(f"{tag}: a named post needs at least one entry in names")
            names = []
        for mention in names:
            if not isinstance(mention, dict) or set(mention) != {"pupil", "written", "where"}:
                problems.append(f"{tag}: bad names entry {mention!r}")
                continue
            mentions += 1
            if mention["pupil"] not in register:
                problems.append(f"{tag}: {mention['pupil']!r} not on register {post['register']}")
            target = field_text(post, str(mention["where"]))
            if target is None:
                problems.append(f"{tag}: bad where {mention['where']!r}")
            elif not mention["written"] or mention["written"] not in target:
                problems.append(
                    f"{tag}: written {mention['written']!r} not found in {mention['where']}"
                )
        if post["photos"]:
            photo_posts += 1
        by_kind[(str(post["kind"]), str(post["split"]))] += 1
    print(f"{path.name}: {len(posts)} posts, {photo_posts} with photos, {mentions} mentions")
    print(f"  {'kind':<16}{'dev':>5}{'held':>6}")
    for kind in sorted(KINDS):
        dev, held = by_kind[(kind, "dev")], by_kind[(kind, "held")]
        print(f"  {kind:<16}{dev:>5}{held:>6}")
        if not dev or not held:
            problems.append(f"{path.name}: kind {kind!r} is missing from a split")
    total_dev = sum(n for (_, split), n in by_kind.items() if split == "dev")
    print(f"  {'total':<16}{total_dev:>5}{len(posts) - total_dev:>6}")


def check_clean(ids: set[str], problems: list[str]) -> None:
    """Clean posts name no pupil: same line shape, with an empty names list if given."""
    path = HERE / "posts-clean.jsonl"
    if not path.exists():
        print(f"{path.name}: not present yet, skipped")
        return
    posts = read_jsonl(path, problems)
    splits: Counter[str] = Counter()
    for tag, post in posts:
        check_common(post, tag, ids, problems)
        if post.get("names", []) != []:
            problems.append(f"{tag}: a clean post must have an empty names list")
        splits[str(post.get("split"))] += 1
    print(f"{path.name}: {len(posts)} posts, splits {dict(splits)}")


# Every later batch is for development only (posts-extra-dev.jsonl, posts-dev-*.jsonl), but for
# the second held-back half (posts-held2-*.jsonl).
DEV_BATCHES = tuple(
    path.name
    for path in sorted(HERE.glob("posts-*.jsonl"))
    if path.name not in ("posts-named.jsonl", "posts-clean.jsonl")
)


def check_extra(
    registers: dict[str, set[str]], ids: set[str], problems: list[str], name: str
) -> None:
    """A later development batch (all "dev"), e.g. clean posts x…, named posts y… with a
    register; posts-dev-2.jsonl has clean w…, named v…; posts-dev-3-liverpool.jsonl has
    clean L3c…, named L3n…."""
    path = HERE / name
    if not path.exists():
        return
    posts = read_jsonl(path, problems)
    named = 0
    expected = HELD2 if name.startswith("posts-held2-") else "dev"
    for tag, post in posts:
        check_common(post, tag, ids, problems)
        if post.get("split") != expected:
            problems.append(f"{tag}: every post of {name} has split {expected!r}")
        if post.get("names"):
            named += 1
            if post.get("register") not in REGISTERS:
                problems.append(f"{tag}: a named post needs a register")
            if post.get("kind") not in KINDS:
                problems.append(f"{tag}: unknown kind {post.get('kind')!r}")
        for mention in post.get("names") or []:
            register = registers.get(str(post.get("register")), set())
            if mention.get("pupil") not in register:
                problems.append(f"{tag}: {mention.get('pupil')!r} not on {post.get('register')}")
            target = field_text(post, str(mention.get("where")))
            if target is None or not mention.get("written") or mention["written"] not in target:
                problems.append(f"{tag}: written {mention.get('written')!r} not in its field")
    print(f"{path.name}: {len(posts)} posts, {named} naming a pupil, all {expected}")


def main() -> int:
    problems: list[str] = []
    registers = {name: load_register(name, problems) for name in REGISTERS}
    ids: set[str] = set()
    check_named(registers, ids, problems)
    check_clean(ids, problems)
    for name in DEV_BATCHES:
        check_extra(registers, ids, problems, name)
    for problem in problems:
        print(f"PROBLEM: {problem}")
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
