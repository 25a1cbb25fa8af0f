"""Text-only policy check speed with a 2,000-pupil register (target, issue 3: p95 under 5 ms),
the engine's build time, and `chatbot check "text"` start-up as a teacher would run it.

Texts are generated from realistic templates (activities, year groups, hashtags, links, emoji,
now and then a pupil's name, a typo or a US spelling), so the name index, the dictionary and
the caches are exercised as in school use.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date

from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.drafts import DraftContent
from chatbot.domain.pupils import Pupil, Register, RegisterEntry

PUPILS = 2000
TEXTS = 400
ROUNDS = 5
DAY = date(2026, 11, 25)

FIRST = [
    "Oliver",
    "Amelia",
    "George",
    "Isla",
    "Harry",
    "Ava",
    "Noah",
    "Mia",
    "Jack",
    "Ivy",
    "Leo",
    "Freya",
    "Arthur",
    "Lily",
    "Muhammad",
    "Zoë",
    "Oscar",
    "Grace",
    "Charlie",
    "Summer",
    "Theo",
    "Poppy",
    "Alfie",
    "Rosie",
    "Jacob",
    "Willow",
    "Henry",
    "Evie",
    "Archie",
    "Florence",
    "Freddie",
    "Daisy",
    "Thomas",
    "Sophia",
    "Joshua",
    "Isabella",
    "Lucas",
    "Chloe",
    "Mohammed",
    "Aisha",
    "Aleksander",
    "Siobhán",
    "Kacper",
    "Zuzanna",
    "Ayaan",
    "Fatima",
    "Ibrahim",
    "Maryam",
    "Tomasz",
    "Niamh",
    "Declan",
    "Saoirse",
    "Kai",
    "Amara",
    "Reuben",
    "Eliza",
    "Ronan",
    "Matilda",
    "Dylan",
    "Hallie",
    "Ezra",
    "Wren",
    "Finley",
    "Aurora",
    "Jude",
    "Esme",
    "Rory",
    "Harper",
    "Will",
]
LAST = [
    "Smith",
    "Jones",
    "Williams",
    "Taylor",
    "Brown",
    "Davies",
    "Evans",
    "Wilson",
    "Thomas",
    "Johnson",
    "Roberts",
    "Robinson",
    "Thompson",
    "Wright",
    "Walker",
    "White",
    "Edwards",
    "Hughes",
    "Green",
    "Hall",
    "Lewis",
    "Harris",
    "Clarke",
    "Patel",
    "Jackson",
    "Wood",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Morris",
    "Moore",
    "Clark",
    "Lee",
    "King",
    "Baker",
    "Harrison",
    "Morgan",
    "Allen",
    "James",
    "Scott",
    "Phillips",
    "Watson",
    "Davis",
    "Parker",
    "Price",
    "Bennett",
    "Young",
    "Griffiths",
    "Mitchell",
    "Kelly",
    "Cook",
    "Carter",
    "Richardson",
    "Bailey",
    "Collins",
    "Bell",
    "Shaw",
    "Murphy",
    "Miller",
    "Cox",
    "Richards",
    "Khan",
    "Marshall",
    "Anderson",
    "Simpson",
    "Ellis",
    "Adams",
    "Singh",
    "Begum",
    "Ali",
    "Ahmed",
    "Nowak",
    "Kowalski",
    "Okafor",
    "Mensah",
    "Rahman",
    "Hussain",
]
NICKNAMES = {
    "Oliver": "Ollie",
    "Thomas": "Tom",
    "Isabella": "Bella",
    "Joshua": "Josh",
    "Florence": "Flo",
    "Matilda": "Tilly",
    "Aleksander": "Olek",
    "Alexander": "Sasha",
    "Elizabeth": "Lizzie",
}
ACTIVITIES = (
    "visited the Museum of Liverpool",
    "planted bulbs in the school garden",
    "performed their harvest assembly",
    "had a brilliant PE lesson with a visiting coach",
    "learned about the Romans with a real centurion",
    "raised money for Children in Need",
    "took part in the Merseyside cross-country race",
    "built bridges in DT and tested them to destruction",
    "read stories to Reception during World Book Day",
    "practised their lines for the Christmas play",
)
OPENERS = ("What a day!", "Great news.", "Thank you, families.", "", "Well done everyone.")
EXTRAS = (
    "",
    " Photos on our website: https://www.huntscross.liverpool.sch.uk/news",
    " Thank you to @NSPCC for visiting.",
    " 🎉🌱",
    " Letters go home on Friday.",
    " We are so proud of them.",
    " It was a colorful afternoon.",  # US spelling
    " Everyone recieved a certificate.",  # typo
)
TAGS = ("", " #HuntsCross", " #TeamHuntsCross #PE", " #WorldBookDay #Reading #KS2")


def make_register(rng: random.Random) -> Register:
    year = AcademicYear.of(DAY)
    entries = []
    seen: set[tuple[str, str]] = set()
    while len(entries) < PUPILS:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        if (first, last) in seen:
            last = f"{last}-{rng.choice(LAST)}"
        seen.add((first, last))
        preferred = NICKNAMES.get(first, "") if rng.random() < 0.3 else ""
        pupil = Pupil(first, last, preferred, str(rng.randint(1, 6)))
        entries.append(RegisterEntry(pupil, year, twitter_consent=rng.random() < 0.9))
    return Register(year, tuple(entries))


def make_texts(rng: random.Random, register: Register) -> list[str]:
    texts = []
    for _ in range(TEXTS):
        group = rng.choice(
            ("Year 1", "Year 2", "Year 3", "Year 4", "Year 5", "Year 6", "Reception")
        )
        text = f"{rng.choice(OPENERS)} {group} {rng.choice(ACTIVITIES)}.{rng.choice(EXTRAS)}"
        if rng.random() < 0.2:
            pupil = rng.choice(register.pupils)
            text += f" Special mention to {pupil.first_name} for her effort."
        texts.append((text + rng.choice(TAGS)).strip())
    return texts


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def cli_startup() -> tuple[float, float]:
    """Median wall time of `python -m chatbot check "text"` and of a bare `python -c pass`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHATBOT_")}

    def timed(args: list[str]) -> float:
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run(args, capture_output=True, env=env, check=False)
            runs.append(time.perf_counter() - start)
        return statistics.median(runs)

    check = timed([sys.executable, "-m", "chatbot", "check", "Year 4 visited the museum today."])
    bare = timed([sys.executable, "-c", "pass"])
    return check, bare


def main() -> None:
    from chatbot.policy.engine import PolicyEngine, load_policy

    rng = random.Random(2026)
    register = make_register(rng)
    texts = make_texts(rng, register)

    start = time.perf_counter()
    policy = load_policy()
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    engine = PolicyEngine(policy, register, ["Sarah Whitfield", "David Okoro"])
    cold_build = time.perf_counter() - start
    start = time.perf_counter()
    PolicyEngine(policy, register, ["Sarah Whitfield", "David Okoro"])
    warm_build = time.perf_counter() - start

    contents = [DraftContent(text, post_date=DAY) for text in texts]
    first_pass = []
    for content in contents:  # cold: every word's first dictionary look-up and suggestion
        start = time.perf_counter()
        engine.check(content)
        first_pass.append((time.perf_counter() - start) * 1000)
    timings = []
    cpu = []  # CPU time as well: on a busy machine wall-clock outliers are other processes
    verdicts: dict[str, int] = {}
    for _ in range(ROUNDS):
        for content in contents:
            start, start_cpu = time.perf_counter(), time.thread_time()
            verdict = engine.check(content)
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.thread_time() - start_cpu) * 1000)
            verdicts[verdict.outcome.value] = verdicts.get(verdict.outcome.value, 0) + 1

    print(f"register: {len(register.entries)} pupils; {len(texts)} texts x {ROUNDS} rounds")
    print(f"load_policy:                       {loaded * 1000:7.1f} ms")
    print(f"engine build (dictionary loading): {cold_build * 1000:7.1f} ms")
    print(f"engine build (dictionary cached):  {warm_build * 1000:7.1f} ms")
    print(
        f"text check, first pass:  p50 {statistics.median(first_pass):6.2f} ms   "
        f"p95 {percentile(first_pass, 95):6.2f} ms   max {max(first_pass):7.2f} ms"
    )
    p95 = percentile(timings, 95)
    print(
        f"text check, steady:      p50 {statistics.median(timings):6.2f} ms   "
        f"p95 {p95:6.2f} ms   (target p95 < 5 ms: {'met' if p95 < 5 else 'MISSED'})"
    )
    print(
        f"text check, steady, CPU: p50 {statistics.median(cpu):6.2f} ms   "
        f"p95 {percentile(cpu, 95):6.2f} ms   (load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} cores)"
    )
    print(f"verdicts: {dict(sorted(verdicts.items()))}")
    check, bare = cli_startup()
    print(f'`chatbot check "text"` wall time, median of 5: {check * 1000:7.0f} ms')
    print(f"`python -c pass` on this machine, median of 5: {bare * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
