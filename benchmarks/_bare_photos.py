"""The yardstick: the unavoidable photo work in plain Pillow + OpenCV, nothing else.

Decode, orient, resize to a 4096 px long edge, re-encode as JPEG 85, and count faces on an
800 px grey copy with the same cascade and parameters as chatbot.images, two photos at a time
on two threads. No checks, no metadata verification, no hashing. Runs as a script
(`python benchmarks/_bare_photos.py PHOTO...`, prints the face counts) or in-process via `run`.
"""

from __future__ import annotations

import io
import math
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageOps

_local = threading.local()


def _cascade() -> Any:
    if not hasattr(_local, "cascade"):
        folder = cv2.data.haarcascades  # type: ignore[attr-defined]
        path = os.path.join(folder, "haarcascade_frontalface_alt2.xml")
        _local.cascade = cv2.CascadeClassifier(path)
    return _local.cascade


def one(data: bytes) -> tuple[bytes, int]:
    im = Image.open(io.BytesIO(data))
    im.load()
    ImageOps.exif_transpose(im, in_place=True)
    factor = math.ceil(max(im.size) / 800)
    grey = np.asarray((im.reduce(factor) if factor > 1 else im).convert("L"))
    faces = _cascade().detectMultiScale(
        cv2.equalizeHist(grey), scaleFactor=1.1, minNeighbors=5, minSize=(24, 24)
    )
    im.thumbnail((4096, 4096), Image.Resampling.LANCZOS, reducing_gap=3.0)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=85)
    return buf.getvalue(), len(faces)


def run(photos: list[bytes]) -> list[tuple[bytes, int]]:
    with ThreadPoolExecutor(max_workers=min(2, len(photos))) as pool:
        return list(pool.map(one, photos))


if __name__ == "__main__":
    datas = []
    for path in sys.argv[1:]:
        with open(path, "rb") as f:
            datas.append(f.read())
    print(" ".join(str(faces) for _, faces in run(datas)))
