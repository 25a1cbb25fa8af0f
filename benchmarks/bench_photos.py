"""Photo preparation speed: per 12-megapixel photo, and a whole `chatbot check` with four photos
against a bare Pillow + OpenCV script doing the same unavoidable work (benchmarks/_bare_photos.py),
side by side in one run. Target (issue 3): at most 1.3 times the bare script.

Run: `python -m benchmarks` (all benchmarks) or `python -m benchmarks.bench_photos`.
"""

from __future__ import annotations

import functools
import io
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from benchmarks import _bare_photos
from chatbot import images

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "photos"
BARE_SCRIPT = Path(_bare_photos.__file__)
SIZE = (4000, 3000)  # 12 megapixels, a phone's usual 4:3
RUNS = 5
TARGET = 1.3


def make_photo(fixture: str, seed: int, sideways: bool) -> bytes:
    """A 12 MP JPEG like a phone's: upscaled fixture, sensor-like noise, GPS EXIF, and for some
    photos the pixels stored on their side with EXIF orientation 6 (as iPhones do)."""
    base = Image.open(FIXTURES / fixture).convert("RGB")
    big = base.resize(SIZE, Image.Resampling.BICUBIC)
    rng = np.random.default_rng(seed)
    pixels = np.asarray(big, dtype=np.int16) + rng.normal(0, 4, (SIZE[1], SIZE[0], 3)).astype(
        np.int16
    )
    photo = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")
    exif = Image.Exif()
    exif[0x010F] = "Apple"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (53.0, 23.0, 41.0)
    if sideways:
        photo = photo.transpose(Image.Transpose.ROTATE_90)
        exif[0x0112] = 6
    buf = io.BytesIO()
    photo.save(buf, "JPEG", quality=92, exif=exif)
    return buf.getvalue()


def median_ms(fn: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


@dataclass
class Timing:
    """Medians in ms: wall clock (the target) and CPU time (user + system, all threads or the
    child process), which other load on the machine disturbs much less."""

    wall: float
    cpu: float

    def __str__(self) -> str:
        return f"{self.wall:.0f} ms wall ({self.cpu:.0f} ms CPU)"


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _measure(fn: Callable[[], object]) -> tuple[float, float]:
    cpu0, child0, wall0 = time.process_time(), _child_cpu(), time.perf_counter()
    fn()
    wall = time.perf_counter() - wall0
    return wall, time.process_time() - cpu0 + _child_cpu() - child0


def side_by_side(
    ours: Callable[[], object], bare: Callable[[], object], runs: int = RUNS
) -> tuple[Timing, Timing]:
    """Alternate the two so that both see the same machine state."""
    samples: tuple[list[tuple[float, float]], list[tuple[float, float]]] = ([], [])
    for _ in range(runs):
        for fn, sink in zip((ours, bare), samples, strict=True):
            sink.append(_measure(fn))
    return _median(samples[0]), _median(samples[1])


def _median(samples: list[tuple[float, float]]) -> Timing:
    return Timing(
        statistics.median(wall for wall, _ in samples) * 1000,
        statistics.median(cpu for _, cpu in samples) * 1000,
    )


def verdict(ours: Timing, bare: Timing) -> str:
    ratio = ours.wall / bare.wall
    status = "ok" if ratio <= TARGET else "OVER TARGET"
    return (
        f"ratio {ratio:.2f} wall, {ours.cpu / bare.cpu:.2f} CPU (target <= {TARGET} wall): {status}"
    )


def main() -> None:
    specs = [
        ("group-four-faces.jpg", False),
        ("one-face.jpg", True),
        ("no-face.jpg", False),
        ("group-four-faces.jpg", True),
    ]
    photos = [make_photo(name, seed, sideways) for seed, (name, sideways) in enumerate(specs)]
    print(f"photos: {len(photos)} x {SIZE[0]}x{SIZE[1]} JPEG q92, ", end="")
    print(f"{statistics.mean(len(p) for p in photos) / 1e6:.1f} MB each, two with orientation 6")

    images.prepare(photos[0])  # warm up: OpenCV import and cascade load are start-up costs
    _bare_photos.run(photos[:1])

    print("\n-- one 12 MP photo per prepare() call (decode, orient, faces, resize, encode, verify)")
    for (name, sideways), data in zip(specs, photos, strict=True):
        one = functools.partial(images.prepare, data)
        timing = _median([_measure(one) for _ in range(RUNS)])
        faces = images.prepare(data).face_count
        turned = ", orientation 6" if sideways else ""
        print(f"  {name}{turned}: {timing}, median of {RUNS}; {faces} faces")

    print("\n-- four 12 MP photos in-process: prepare_many vs bare Pillow + OpenCV (2 threads)")
    items = [(p, f"photo{i}.jpg") for i, p in enumerate(photos)]
    ours, bare = side_by_side(
        lambda: images.prepare_many(items, workers=2), lambda: _bare_photos.run(photos)
    )
    print(f"  prepare_many: {ours}\n  bare:         {bare}\n  {verdict(ours, bare)}")

    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, data in enumerate(photos):
            path = Path(tmp) / f"photo{i}.jpg"
            path.write_bytes(data)
            paths.append(str(path))
        whole_check(paths)


def whole_check(paths: list[str]) -> None:
    print("\n-- whole `chatbot check` with four 12 MP photos vs the bare script (subprocesses)")
    check = [sys.executable, "-m", "chatbot", "check", "--json", "--no-pupils-pictured"]
    for path in paths:
        check += ["--photo", path, "--alt", "Children planting bulbs in the school garden"]
    check.append("Year 4 planted bulbs in the school garden today. Well done, everyone!")
    bare = [sys.executable, str(BARE_SCRIPT), *paths]

    probe = subprocess.run(check, capture_output=True, text=True, check=False)
    try:
        result = json.loads(probe.stdout)
    except json.JSONDecodeError:
        result = None
    if probe.returncode not in (0, 1) or not isinstance(result, dict):
        tail = (probe.stderr or probe.stdout).strip().splitlines()[-1:] or ["no output"]
        print(f"  `chatbot check` is not usable yet (exit {probe.returncode}: {tail[0]})")
        print("  measured prepare_many in-process above instead")
        return
    print(f"  chatbot check verdict: {result.get('verdict')}")

    def run(cmd: list[str]) -> Callable[[], object]:
        return lambda: subprocess.run(cmd, capture_output=True, check=False)

    ours, bare_time = side_by_side(run(check), run(bare))
    print(f"  chatbot check: {ours}\n  bare script:   {bare_time}\n  {verdict(ours, bare_time)}")
    text_only = [*check[:5], check[-1]]
    print(f"  for scale: `chatbot check` on the text alone: {median_ms(run(text_only)):.0f} ms;")
    start_only = median_ms(run([sys.executable, "-c", "import PIL.Image, cv2"]))
    print(f"  Python + Pillow + OpenCV start-up alone: {start_only:.0f} ms")


if __name__ == "__main__":
    main()
