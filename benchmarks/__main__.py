"""`python -m benchmarks [NAME...]`: run every benchmarks/bench_*.py module's main(), in name
order, or only the ones named (``text_check`` or ``bench_text_check``); options such as
``--quiet`` go to the benchmarks."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def main(argv: list[str]) -> None:
    available = {p.stem: p for p in sorted(Path(__file__).parent.glob("bench_*.py"))}
    # Options (--split=dev, --quiet) are left in sys.argv for the benchmarks that read them.
    names = [n for n in argv if not n.startswith("-")]
    wanted = [n if n.startswith("bench_") else f"bench_{n}" for n in names] or list(available)
    unknown = [n for n in wanted if n not in available]
    if unknown:
        sys.exit(f"no benchmark {', '.join(unknown)}; choose from {', '.join(available)}")
    for name in wanted:
        print(f"\n=== {name} ===", flush=True)
        importlib.import_module(f"benchmarks.{name}").main()


if __name__ == "__main__":
    main(sys.argv[1:])
