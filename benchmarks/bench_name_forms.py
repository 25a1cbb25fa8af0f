"""Every pupil on every register, written each way staff write names (`python -m benchmarks
name_forms`): first name, lower case, possessive, hashtags, full name, without accents, a
typed slip; then at a sentence's start, only in an alt text, in a list, and a lower-case full
name. The hand-written corpus (`names`) has a few hundred names; this puts each of the
2,390 pupils of the six registers into short posts, so a form the engine misses for some kind
of name (short names, word-names, accents) shows up as a share, with examples.

Targets: at least 98% caught for the exact forms. Slips are reported without a target: a slip
that makes a word or another known name (Bell for Bella, Luca for Lucas) is rightly no pupil.
Deterministic: the slips and sentences are drawn with a fixed seed.
"""

from __future__ import annotations

import random
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable

from benchmarks.bench_names import CORPUS, load_register, matches_of
from chatbot.domain.folding import fold
from chatbot.domain.pupils import Pupil
from chatbot.policy.engine import PolicyEngine, load_policy
from chatbot.resources import default_policy_file

SEED = 20261202
TARGET = 0.98

# {n}: the name as the form writes it; {s}: the surname
SENTENCES: dict[str, tuple[str, ...]] = {
    "first name": (
        "Well done to {n} for a brilliant week in Year 4!",
        "{n} painted a lovely picture of the seaside today.",
        "A huge thank you to {n} for helping in the library.",
        "Star of the week is {n} for always trying her best.",
    ),
    "lower case": (
        "well done {n} for a brilliant week 👏",
        "ty {n} for helping in the library",
        "massive congrats to {n} in y3 🎉",
        "{n} scored twice at football club today!!",
    ),
    "possessive": (
        "{n}'s painting won the art competition.",
        "We loved hearing {n}'s poem about autumn.",
    ),
    "hashtag": ("What a week! #WellDone{n}", "so proud #welldone{n} ⭐"),
    "full name": ("Congratulations to {n} {s} on a super term.", "{n} {s} read in assembly."),
    "no accent": ("Well done to {n} for a brilliant week!",),
    "slip": ("Well done to {n} for a brilliant week!", "{n} painted a lovely picture today."),
    "lower-case slip": ("well done {n} 👏", "{n} painted a lovely picture today"),
}
# Forms added later draw from a generator of their own, so the figures above stay comparable
MORE: dict[str, tuple[str, ...]] = {
    "sentence start": (
        "{n} was brilliant in assembly this morning.",
        "{n} has worked so hard on her handwriting this term.",
        "{n} made everyone laugh at lunch today 😂",
        "{n} read her poem to the whole school.",
    ),
    "alt text only": (
        "{n} at the easel, painting a sunflower",
        "{n} holding up her certificate in the hall",
    ),
    "in a list": (
        "Well done to {n}, {m} and {o} for their brilliant science projects!",
        "Our school council: {m}, {n}, {o}. Congratulations!",
        "{m} and {n} read in assembly today.",
    ),
    "lower-case full name": ("well done {n} {s} 👏", "ty {n} {s} for helping today"),
}
EXACT = (
    "first name",
    "lower case",
    "possessive",
    "hashtag",
    "full name",
    "no accent",
    *MORE,
)


def _slip(name: str, rng: random.Random) -> str | None:
    """One typing slip: two letters swapped, one left out, one doubled (not the first)."""
    if len(name) < 4 or not name.isalpha():
        return None
    i = rng.randrange(1, len(name) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if kind == 1:
        return name[:i] + name[i + 1 :]
    return name[:i] + name[i] + name[i:]


def _unaccented(name: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)
    ).replace("ł", "l")


def _written(form: str, name: str, rng: random.Random) -> str | None:
    writers: dict[str, Callable[[], str | None]] = {
        "first name": lambda: name,
        "lower case": name.lower,
        "possessive": lambda: name,
        "hashtag": lambda: name.replace("-", "") if rng.random() < 0.5 else name.lower(),
        "full name": lambda: name,
        "no accent": lambda: _unaccented(name) if _unaccented(name) != name else None,
        "slip": lambda: _slip(name, rng),
        "lower-case slip": lambda: (_slip(name, rng) or "").lower() or None,
    }
    return writers[form]()


def measure(register_name: str, engine: PolicyEngine, pupils: list[Pupil]) -> None:
    rng = random.Random(f"{SEED}-{register_name}")
    tally: Counter[tuple[str, bool]] = Counter()
    missed: dict[str, list[str]] = defaultdict(list)
    for pupil in pupils:
        name = pupil.preferred_name or pupil.first_name
        for form, sentences in SENTENCES.items():
            written = _written(form, name, rng)
            if written is None or (form.endswith("slip") and fold(written) == fold(name)):
                continue
            text = rng.choice(sentences).format(n=written, s=pupil.last_name)
            found = matches_of(engine, {"text": text, "alts": [], "photos": 0})
            caught = any(m.pupil == pupil for ms in found.values() for m in ms)
            tally[(form, caught)] += 1
            if not caught:
                missed[form].append(written)
    more = random.Random(f"{SEED}-{register_name}-more")
    for pupil in pupils:
        name = pupil.preferred_name or pupil.first_name
        for form, sentences in MORE.items():
            others = more.sample(pupils, 2)
            sentence = more.choice(sentences)
            written = name.lower() if form.startswith("lower") else name
            fill = {
                "n": written,
                "s": pupil.last_name.lower(),
                "m": others[0].preferred_name or others[0].first_name,
                "o": others[1].preferred_name or others[1].first_name,
            }
            post = (
                {"text": "A lovely afternoon in Year 2.", "alts": [sentence.format(**fill)]}
                if form == "alt text only"
                else {"text": sentence.format(**fill), "alts": []}
            )
            found = matches_of(engine, {**post, "photos": len(post["alts"])})
            caught = any(m.pupil == pupil for ms in found.values() for m in ms)
            tally[(form, caught)] += 1
            if not caught:
                missed[form].append(written)
    print(f"\n{register_name}: {len(pupils)} pupils")
    for form in (*SENTENCES, *MORE):
        caught, total = tally[(form, True)], tally[(form, True)] + tally[(form, False)]
        share = caught / total if total else 1.0
        mark = ("ok" if share >= TARGET else "MISSES TARGET") if form in EXACT else "reported"
        examples = ", ".join(missed[form][:8])
        print(
            f"  {form:<16} {caught}/{total} = {share:.1%}  [{mark}]"
            + (f"  missed: {examples}" if examples else "")
        )


def main() -> None:
    policy = load_policy(default_policy_file())
    wanted = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--register=")), None)
    for path in sorted((CORPUS / "registers").glob("*.csv")):
        if wanted and path.stem != wanted:
            continue
        register = load_register(path.stem)
        pupils = [entry.pupil for entry in register.entries]
        measure(path.stem, PolicyEngine(policy, register), pupils)


if __name__ == "__main__":
    main()
