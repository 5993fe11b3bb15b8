"""Real images for tests (uploads are decoded, so a signature followed by zeros is refused)."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def png(width: int = 8, height: int = 6, color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, format="PNG")
    return out.getvalue()


def jpeg(width: int = 8, height: int = 6, color=(30, 30, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, format="JPEG", quality=90)
    return out.getvalue()


def jpeg_with_gps(width: int = 40, height: int = 20) -> bytes:
    """A phone photo: EXIF with a GPS position (Monas, Jakarta), a camera model, an orientation
    saying "rotate 90° to view" (6), and a JPEG comment."""
    image = Image.new("RGB", (width, height), (10, 120, 60))
    exif = Image.Exif()
    exif[0x0110] = "Kamera Ponsel"  # Model
    exif[ORIENTATION] = 6
    exif[GPS_IFD] = {
        1: "S",  # GPSLatitudeRef
        2: (6.0, 10.0, 31.0),  # GPSLatitude
        3: "E",  # GPSLongitudeRef
        4: (106.0, 49.0, 37.0),  # GPSLongitude
    }
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"Rumah Budi, Jl. Melati 3")
    return out.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims `width` x `height` pixels (grey, 8 bits) with a few bytes of data: a
    decompression bomb's header, without building the bomb."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + _chunk(b"IEND", b"")
    )


PNG = png()
JPEG = jpeg()
