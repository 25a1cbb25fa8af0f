"""Photo preparation: orientation, metadata stripping, X's limits, refusals, face counts.

Every test image except the three photo fixtures is generated here with Pillow.
"""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageCms, ImageFile, PngImagePlugin

from chatbot import images
from chatbot.images import (
    MAX_INPUT_BYTES,
    MAX_OUTPUT_BYTES,
    MetadataNotRemoved,
    PhotoRejected,
    PreparedPhoto,
    prepare,
    prepare_many,
    verify_no_metadata,
)

PHOTOS = Path(__file__).resolve().parents[1] / "fixtures" / "photos"
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def fixture(name: str) -> bytes:
    return (PHOTOS / name).read_bytes()


def encode(im: Image.Image, fmt: str, **params: object) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **params)
    return buf.getvalue()


def exif_with_gps(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Apple"  # Make
    exif[0x0110] = "iPhone 15"  # Model
    if orientation:
        exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (53.0, 23.0, 41.0)  # Hunts Cross, more or less
    gps[3] = "W"
    gps[4] = (2.0, 51.0, 12.0)
    return exif


def reopen(photo: PreparedPhoto) -> Image.Image:
    im = Image.open(io.BytesIO(photo.data))
    im.load()
    return im


def assert_clean(photo: PreparedPhoto) -> None:
    im = reopen(photo)
    assert len(im.getexif()) == 0
    assert not {"exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment"} & set(im.info)
    assert b"Exif" not in photo.data
    assert b"Apple" not in photo.data
    assert b"http://ns.adobe.com/xap" not in photo.data  # XMP's namespace


def near(pixel: object, expected: tuple[int, ...], tolerance: int = 40) -> bool:
    assert isinstance(pixel, tuple)
    return all(abs(int(a) - b) <= tolerance for a, b in zip(pixel, expected, strict=True))


def rejected_quickly(data: bytes, filename: str = "") -> str:
    start = time.perf_counter()
    with pytest.raises(PhotoRejected) as caught:
        prepare(data, filename)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"refusal took {elapsed:.2f} s"
    return str(caught.value)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a size in its header, with one tiny IDAT: a decompression bomb's face."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small real JPEG whose SOF header is patched to claim another size."""
    data = bytearray(encode(Image.new("RGB", (16, 16), "red"), "JPEG"))
    sof = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


# --- faces --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "faces"),
    [("one-face.jpg", 1), ("group-four-faces.jpg", 4), ("no-face.jpg", 0)],
)
def test_fixture_face_counts(name: str, faces: int) -> None:
    assert prepare(fixture(name), name).face_count == faces


def test_faces_are_counted_after_orientation() -> None:
    # Stored on its side with "rotate 90° clockwise to view": upright faces only after rotating.
    group = Image.open(io.BytesIO(fixture("group-four-faces.jpg")))
    sideways = group.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    photo = prepare(encode(sideways, "JPEG", quality=95, exif=exif))
    assert (photo.width, photo.height) == group.size
    assert photo.face_count == 4


def test_face_count_on_a_12_megapixel_upscale() -> None:
    group = Image.open(io.BytesIO(fixture("group-four-faces.jpg"))).resize((4000, 2250))
    photo = prepare(encode(group, "JPEG", quality=90))
    assert photo.face_count == 4
    assert (photo.width, photo.height) == (4000, 2250)


# --- metadata and orientation -------------------------------------------------------------------


def test_gps_exif_stripped_and_orientation_applied() -> None:
    im = Image.new("RGB", (400, 300), "white")
    im.paste((255, 0, 0), (0, 0, 50, 50))  # a red mark in the stored top-left corner
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://ns.adobe.com/xap/1.0/"/></x:xmpmeta>'
    data = encode(
        im, "JPEG", quality=95, exif=exif_with_gps(orientation=6), xmp=xmp, comment="Year 4 trip"
    )
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the input really has GPS

    photo = prepare(data, "IMG_0001.JPG")

    assert photo.mime_type == "image/jpeg"
    assert (photo.width, photo.height) == (300, 400)  # orientation 6: turned a quarter clockwise
    out = reopen(photo)
    assert out.size == (300, 400)
    assert near(out.getpixel((290, 10)), (255, 0, 0))  # the mark moved to the top-right corner
    assert near(out.getpixel((10, 10)), (255, 255, 255))
    assert_clean(photo)
    assert b"Year 4 trip" not in photo.data


def test_colour_profile_and_png_text_are_dropped() -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "Mia Jones, Year 2")
    info.add_itxt("Author", "Mrs Patel")
    im = Image.new("RGB", (64, 48), (10, 120, 200))
    photo = prepare(encode(im, "PNG", pnginfo=info, icc_profile=srgb))
    assert_clean(photo)
    assert b"Mia" not in photo.data
    assert b"Patel" not in photo.data


def test_photo_in_another_colour_space_is_converted_and_untagged() -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    # The same primaries under another name: the conversion path runs, colours must survive.
    renamed = srgb.replace("sRGB".encode("utf-16-be"), "Wide".encode("utf-16-be"))
    im = Image.new("RGB", (64, 48), (200, 40, 40))
    photo = prepare(encode(im, "JPEG", quality=95, icc_profile=renamed))
    assert_clean(photo)
    assert near(reopen(photo).getpixel((30, 20)), (200, 40, 40), tolerance=12)


def test_verifier_refuses_metadata_it_finds() -> None:
    with_exif = encode(Image.new("RGB", (8, 8)), "JPEG", exif=exif_with_gps())
    with pytest.raises(
        MetadataNotRemoved, match=r"where the photo was taken\) from this photo \(EXIF\)"
    ):
        verify_no_metadata(with_exif)
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "hello")
    with pytest.raises(MetadataNotRemoved, match="tEXt"):
        verify_no_metadata(encode(Image.new("RGB", (8, 8)), "PNG", pnginfo=info))
    assert verify_no_metadata(encode(Image.new("RGB", (8, 6)), "JPEG")) == (8, 6)


def test_sha256_is_of_the_output() -> None:
    import hashlib

    photo = prepare(fixture("no-face.jpg"))
    assert photo.sha256 == hashlib.sha256(photo.data).hexdigest()


# --- formats ------------------------------------------------------------------------------------


def test_png_with_real_transparency_stays_png() -> None:
    im = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    im.paste((0, 128, 0, 255), (50, 25, 150, 75))
    photo = prepare(encode(im, "PNG"), "logo.png")
    assert photo.mime_type == "image/png"
    out = reopen(photo)
    assert out.mode == "RGBA"
    assert out.getpixel((0, 0))[3] == 0  # type: ignore[index]
    assert out.getpixel((100, 50)) == (0, 128, 0, 255)
    assert_clean(photo)


def test_png_with_opaque_alpha_becomes_jpeg() -> None:
    im = Image.new("RGBA", (120, 80), (200, 30, 30, 255))
    photo = prepare(encode(im, "PNG"))
    assert photo.mime_type == "image/jpeg"
    assert reopen(photo).mode == "RGB"


def test_transparent_png_too_big_for_x_is_flattened_onto_white() -> None:
    rng = np.random.default_rng(7)
    noise = rng.integers(0, 256, (1500, 1500, 4), dtype=np.uint8)
    noise[:100, :100, 3] = 0  # a fully transparent corner
    data = encode(Image.fromarray(noise, "RGBA"), "PNG", compress_level=1)
    assert len(data) > MAX_OUTPUT_BYTES
    photo = prepare(data)
    assert photo.mime_type == "image/jpeg"
    assert len(photo.data) < MAX_OUTPUT_BYTES
    assert min(reopen(photo).getpixel((10, 10))) > 240  # type: ignore[arg-type]


def test_heic_round_trip() -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    face = Image.open(io.BytesIO(fixture("one-face.jpg")))
    fast = {"preset": "ultrafast"}  # x265 defaults are slow; the test is about decoding
    data = encode(face, "HEIF", quality=90, enc_params=fast, exif=exif_with_gps().tobytes())
    assert data[4:12] == b"ftypheic"
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the input carries GPS
    photo = prepare(data, "IMG_0002.HEIC")
    assert photo.mime_type == "image/jpeg"
    assert (photo.width, photo.height) == face.size
    assert photo.face_count == 1
    assert_clean(photo)


def test_heic_orientation_is_applied_once() -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    im = Image.new("RGB", (400, 300), "white")
    im.paste((255, 0, 0), (0, 0, 50, 50))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    data = encode(im, "HEIF", quality=90, enc_params={"preset": "ultrafast"}, exif=exif.tobytes())
    photo = prepare(data, "IMG_0003.HEIC")
    assert (photo.width, photo.height) == (300, 400)
    assert near(reopen(photo).getpixel((290, 10)), (255, 0, 0))


def test_webp_is_accepted() -> None:
    im = Image.new("RGB", (300, 200), (30, 60, 90))
    photo = prepare(encode(im, "WEBP", exif=exif_with_gps(orientation=8)))
    assert photo.mime_type == "image/jpeg"
    assert (photo.width, photo.height) == (200, 300)
    assert_clean(photo)


def test_animated_gif_becomes_a_still_and_says_so() -> None:
    frames = [Image.new("RGB", (60, 40), colour) for colour in ("red", "green", "blue")]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], comment=b"hello")
    photo = prepare(data, "wave.gif")
    assert photo.mime_type == "image/jpeg"
    assert (photo.width, photo.height) == (60, 40)
    assert any("first frame" in note for note in photo.notes)
    assert_clean(photo)


def test_mpo_from_a_phone_is_a_still_jpeg_without_its_second_image() -> None:
    left, right = Image.new("RGB", (80, 60), "navy"), Image.new("RGB", (80, 60), "olive")
    data = encode(left, "MPO", save_all=True, append_images=[right])
    assert Image.open(io.BytesIO(data)).format == "MPO"
    photo = prepare(data, "DSC_0001.JPG")
    assert photo.mime_type == "image/jpeg"
    assert photo.notes == ()
    assert photo.data.count(b"\xff\xd8") == 1  # one image, no MPF index
    assert_clean(photo)


def test_cmyk_jpeg_becomes_rgb() -> None:
    photo = prepare(encode(Image.new("CMYK", (40, 30), (0, 255, 255, 0)), "JPEG"))
    out = reopen(photo)
    assert out.mode == "RGB"
    assert near(out.getpixel((20, 15)), (255, 0, 0))


def test_huge_jpeg_is_decoded_reduced_and_fits_the_long_edge() -> None:
    # 9000 × 6000 (54 MP): decoded at half scale by libjpeg, then resized to 4096 wide.
    im = Image.new("RGB", (9000, 6000), (90, 140, 60))
    im.paste((250, 250, 250), (0, 0, 4500, 3000))
    photo = prepare(encode(im, "JPEG", quality=80))
    assert (photo.width, photo.height) == (4096, 2731)
    assert photo.face_count == 0


def test_big_noisy_photo_is_brought_under_five_megabytes() -> None:
    rng = np.random.default_rng(3)
    noise = rng.integers(0, 256, (3000, 4000, 3), dtype=np.uint8)
    data = encode(Image.fromarray(noise, "RGB"), "JPEG", quality=95)
    assert len(data) > MAX_OUTPUT_BYTES
    photo = prepare(data, "noise.jpg")
    assert len(photo.data) < MAX_OUTPUT_BYTES
    assert photo.mime_type == "image/jpeg"
    assert photo.width / photo.height == pytest.approx(4 / 3, rel=0.01)


# --- refusals -----------------------------------------------------------------------------------


def test_truncated_jpeg_is_refused() -> None:
    data = fixture("one-face.jpg")
    message = rejected_quickly(data[: len(data) // 2], "cut.jpg")
    assert "damaged or incomplete" in message
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_truncated_png_is_refused() -> None:
    data = encode(Image.new("RGB", (300, 300), (1, 2, 3)), "PNG")
    assert "damaged" in rejected_quickly(data[:-40])


@pytest.mark.parametrize(
    ("data", "filename", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "newsletter.pdf", "a PDF"),
        (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + bytes(64), "", "a video"),
        (b"Dear parents,\nSports day is on Friday.\n", "letter.txt", "text"),
        (b"PK\x03\x04" + bytes(100), "slides.pptx", "a document"),
    ],
)
def test_non_images_are_refused_with_what_they_are(data: bytes, filename: str, kind: str) -> None:
    message = rejected_quickly(data, filename)
    assert f"This file is {kind}" in message
    assert "JPEG or PNG" in message


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"II*\x00" + bytes(200), "a TIFF"),
        (b"BM" + bytes(200), "a BMP"),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf" + bytes(100), "an AVIF"),
    ],
)
def test_other_image_formats_are_named(data: bytes, kind: str) -> None:
    message = rejected_quickly(data)
    assert f"This file is {kind} image" in message
    assert "JPEG or PNG" in message


def test_unreadable_heic_says_how_to_share_a_jpeg() -> None:
    message = rejected_quickly(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64))
    assert "HEIC" in message
    assert "JPEG" in message


def test_unknown_binary_is_refused() -> None:
    message = rejected_quickly(os.urandom(2048))
    assert "not a photo the bot can read" in message


def test_zero_bytes_refused() -> None:
    assert "empty" in rejected_quickly(b"")


def test_input_over_the_size_limit_refused_with_the_limit() -> None:
    data = fixture("one-face.jpg") + bytes(MAX_INPUT_BYTES)
    message = rejected_quickly(data, "huge.jpg")
    assert f"{MAX_INPUT_BYTES // 1_048_576} MB" in message


@pytest.mark.parametrize(
    "make",
    [
        lambda: png_header_only(100_000, 100_000),  # Pillow's own guard: DecompressionBombError
        lambda: png_header_only(12_000, 10_000),  # 120 MP: over our decode limit
        lambda: jpeg_claiming(65_000, 65_000),
    ],
    ids=["png-10-gigapixels", "png-120-megapixels", "jpeg-4-gigapixels"],
)
def test_decompression_bombs_refused_from_the_header(make: Callable[[], bytes]) -> None:
    message = rejected_quickly(make())
    assert "far too large" in message
    assert "100 megapixels" in message


def test_bomb_between_pillows_warning_and_error_is_refused() -> None:
    # 20000 × 15000 = 300 MP: Pillow only warns; our own check refuses it.
    with pytest.warns(Image.DecompressionBombWarning):
        assert "far too large" in rejected_quickly(png_header_only(20_000, 15_000))


# --- several photos -----------------------------------------------------------------------------


def test_prepare_many_keeps_order_and_puts_refusals_in_place() -> None:
    items = [
        (fixture("group-four-faces.jpg"), "a.jpg"),
        (b"%PDF-1.4\n", "b.pdf"),
        (fixture("one-face.jpg"), "c.jpg"),
        (fixture("no-face.jpg"), "d.jpg"),
        (b"", "e.jpg"),
    ]
    results = prepare_many(items, workers=2)
    assert len(results) == 5
    counts = [r.face_count if isinstance(r, PreparedPhoto) else None for r in results]
    assert counts == [4, None, 1, 0, None]
    assert isinstance(results[1], PhotoRejected)
    assert "PDF" in str(results[1])
    assert isinstance(results[4], PhotoRejected)
    assert "empty" in str(results[4])
    assert prepare_many([]) == []


def test_prepare_many_results_match_prepare() -> None:
    items = [(fixture(name), name) for name in ("one-face.jpg", "no-face.jpg")]
    together = prepare_many(items, workers=2)
    alone = [prepare(data, name) for data, name in items]
    assert together == alone


def test_prepare_many_in_background_gives_the_same_results() -> None:
    items = [(fixture("group-four-faces.jpg"), "a.jpg"), (b"not a photo", "b.txt")]
    future = images.prepare_many_in_background(items, workers=2)
    results = future.result(timeout=60)
    first, second = results
    assert isinstance(first, PreparedPhoto)
    assert first.face_count == 4
    assert isinstance(second, PhotoRejected)


def test_a_global_truncated_images_switch_is_refused_loudly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Someone else's `LOAD_TRUNCATED_IMAGES = True` would let half a photo through as grey.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    data = fixture("one-face.jpg")
    with pytest.raises(RuntimeError, match="LOAD_TRUNCATED_IMAGES"):
        prepare(data[: len(data) // 2])


def test_importing_images_does_not_load_opencv_or_heif() -> None:
    code = "import sys, chatbot.images; print('cv2' in sys.modules, 'pillow_heif' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["False", "False"]


def test_module_limits() -> None:
    assert images.MAX_OUTPUT_BYTES <= 5_000_000
    assert Image.MAX_IMAGE_PIXELS == images.MAX_HEADER_PIXELS
