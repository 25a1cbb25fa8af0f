"""Counting faces (OpenCV, loaded only when needed); nobody is recognised."""

import math
import os
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from PIL import Image

from chatbot.images.converting import flatten
from chatbot.images.limits import FACE_CASCADE, FACE_EDGE

if TYPE_CHECKING:
    import numpy.typing as npt


_CV2_LOCK = threading.Lock()


def _cv2() -> Any:
    """OpenCV, imported under a lock: its loader rearranges sys.modules as it runs, so a second
    thread importing at the same moment can get a half-made module (no `cv2.data`)."""
    with _CV2_LOCK:
        import cv2
    return cv2


def count_faces(im: Image.Image) -> int:
    """How many frontal faces are in an (oriented) image. Counting only: no recognition."""
    import numpy as np

    cv2 = _cv2()

    grey = _face_copy(im)
    pixels: npt.NDArray[np.uint8] = np.asarray(grey)
    with _cascade() as cascade:
        faces = cascade.detectMultiScale(
            cv2.equalizeHist(pixels), scaleFactor=1.1, minNeighbors=5, minSize=(24, 24)
        )
    return len(faces)


def _face_copy(im: Image.Image) -> Image.Image:
    """A grey copy with a long edge of at most FACE_EDGE, made from the decoded pixels."""
    factor = math.ceil(max(im.size) / FACE_EDGE)
    small = im.reduce(factor) if factor > 1 else im  # box average: fast and good enough
    if small.mode in ("RGBA", "LA", "PA", "P") or "transparency" in small.info:
        small = flatten(small.convert("RGBA"))
    return small.convert("L")


# CascadeClassifier keeps per-call state inside, so one instance must not serve two threads at
# once. Each is loaded once and then lent out; at most one per concurrent caller is ever made.
_cascades: queue.SimpleQueue[Any] = queue.SimpleQueue()


@contextmanager
def _cascade() -> Iterator[Any]:
    try:
        cascade = _cascades.get_nowait()
    except queue.Empty:
        cv2 = _cv2()
        folder = cv2.data.haarcascades
        cascade = cv2.CascadeClassifier(os.path.join(folder, FACE_CASCADE))
        if cascade.empty():
            raise RuntimeError(f"OpenCV's {FACE_CASCADE} did not load") from None
    try:
        yield cascade
    finally:
        _cascades.put(cascade)
