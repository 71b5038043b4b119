"""The chart PNG writer: lossless, deterministic, the density stated, alpha kept when used."""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from outturn.report import png
from PIL import Image


def _decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@settings(max_examples=60, deadline=None)
@given(arrays(np.uint8, st.tuples(st.integers(1, 9), st.integers(1, 9), st.just(4))),
       st.booleans())
def test_every_pixel_reads_back_exactly(pixels: np.ndarray, opaque: bool) -> None:
    if opaque:
        pixels[..., 3] = 255
    image = _decoded(png.encode(pixels, dpi=300))
    if opaque:
        assert image.mode == "RGB"
    np.testing.assert_array_equal(np.asarray(image.convert("RGBA")), pixels)


def test_an_opaque_image_is_written_without_its_alpha_channel() -> None:
    pixels = np.full((4, 5, 4), 255, dtype=np.uint8)
    pixels[1, 2] = (10, 20, 30, 255)
    assert _decoded(png.encode(pixels, dpi=300)).mode == "RGB"


def test_a_transparent_pixel_keeps_the_alpha_channel() -> None:
    pixels = np.full((4, 5, 4), 255, dtype=np.uint8)
    pixels[3, 4, 3] = 0
    image = _decoded(png.encode(pixels, dpi=300))
    assert image.mode == "RGBA"
    assert image.getpixel((4, 3))[3] == 0


def test_the_density_is_the_dpi_as_pillow_states_it() -> None:
    pixels = np.full((2, 2, 4), 255, dtype=np.uint8)
    ours = _decoded(png.encode(pixels, dpi=300)).info["dpi"]
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="png", dpi=(300, 300))
    assert ours == pytest.approx(_decoded(buffer.getvalue()).info["dpi"])


def test_the_same_pixels_give_the_same_bytes_and_nothing_but_pixels_and_density() -> None:
    rng = np.random.default_rng(7)
    pixels = rng.integers(0, 256, (30, 40, 4), dtype=np.uint8)
    first, second = png.encode(pixels, dpi=300), png.encode(pixels.copy(), dpi=300)
    assert first == second
    assert [first[i + 4:i + 8] for i in _chunk_offsets(first)] == [b"IHDR", b"pHYs", b"IDAT", b"IEND"]


def _chunk_offsets(data: bytes) -> list[int]:
    out, at = [], len(png.SIGNATURE)
    while at < len(data):
        out.append(at)
        at += 12 + int.from_bytes(data[at:at + 4], "big")
    return out


@pytest.mark.parametrize("shape", [(0, 3, 4), (3, 0, 4), (3, 3, 3), (3, 3)])
def test_pixels_of_no_size_or_the_wrong_shape_are_refused(shape: tuple[int, ...]) -> None:
    with pytest.raises(ValueError):
        png.encode(np.zeros(shape, dtype=np.uint8), dpi=300)
