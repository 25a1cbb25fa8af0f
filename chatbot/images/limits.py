"""What a prepared photo is, the limits it is held to, and the refusals."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PIL import Image

if TYPE_CHECKING:
    pass


MAX_INPUT_BYTES = 50 * 1024 * 1024  # bigger than any phone photo; refused before decoding
MAX_OUTPUT_BYTES = 5_000_000  # X's image limit is 5 MB; stay under it however MB is counted
MAX_EDGE = 4096  # long edge of the posted image: X's largest size ("4096x4096")
# Pixels we are willing to decode (about 300 MB as RGB). JPEGs are decoded at 1/2..1/8 scale
# when they are much bigger than MAX_EDGE, so their header may claim up to MAX_HEADER_PIXELS
# (a 200-megapixel phone photo) and still decode within MAX_PIXELS.
MAX_PIXELS = 100_000_000
MAX_HEADER_PIXELS = 250_000_000
FACE_EDGE = 800  # long edge of the grey copy the face detector sees
JPEG_QUALITY = 85
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")  # and HEIF, once pillow-heif is registered

# Pillow's own bomb guard agrees with ours: it warns above this and raises above twice this, at
# open time, before any pixel is decoded. Our explicit checks below refuse everything above it.
Image.MAX_IMAGE_PIXELS = MAX_HEADER_PIXELS

FACE_CASCADE = "haarcascade_frontalface_alt2.xml"  # found all four fixture faces; default missed
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
JPEG_INFO_KEYS = {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi"}
JPEG_INFO_KEYS |= {"progressive", "progression"}
PNG_CHUNKS = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}


@dataclass(frozen=True, slots=True)
class PreparedPhoto:
    data: bytes  # metadata-free, oriented, within X's limits
    mime_type: str  # image/jpeg or image/png
    width: int
    height: int
    face_count: int
    sha256: str
    notes: tuple[str, ...] = ()  # things a teacher should know, e.g. an animation became a still


class PhotoRejected(Exception):
    """Not a usable image; str(exc) is a message a teacher understands (rule photo-format)."""


class MetadataNotRemoved(PhotoRejected):
    """The prepared file still carried metadata: never upload it."""
