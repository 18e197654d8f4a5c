"""Draw the installable app's icons once (wushe/web/static/web/icons/*.png); the PNGs are committed.

Pure standard library (zlib + struct), so no imaging package is needed: a blue square (the
top bar's colour, edge to edge so a "maskable" crop keeps it whole), a gold ring and five gold
discs on it (the five societies), linked, around a red centre. Anti-aliased by 4x4 supersampling.

    .venv/bin/python scripts/make_icons.py
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "wushe" / "web" / "static" / "web" / "icons"
BLUE = (11, 79, 156)
GOLD = (245, 215, 110)
RED = (200, 16, 46)
SIZES = {"icon-192.png": 192, "icon-512.png": 512, "apple-touch-icon.png": 180}
SAMPLES = 4

# The drawing in unit coordinates (0..1), centred, inside the maskable safe zone (radius 0.4).
RING_R, RING_W = 0.27, 0.035
DOT_R = 0.085
CENTRE_R = 0.13
DOTS = [(0.5 + RING_R * math.sin(2 * math.pi * k / 5), 0.5 - RING_R * math.cos(2 * math.pi * k / 5))
        for k in range(5)]


def colour_at(x: float, y: float) -> tuple[int, int, int]:
    for dx, dy in DOTS:
        if (x - dx) ** 2 + (y - dy) ** 2 <= DOT_R ** 2:
            return GOLD
    r = math.hypot(x - 0.5, y - 0.5)
    if r <= CENTRE_R:
        return RED
    if abs(r - RING_R) <= RING_W / 2:
        return GOLD
    return BLUE


def draw(size: int) -> bytes:
    rows = []
    step = 1 / (size * SAMPLES)
    for py in range(size):
        row = bytearray([0])  # filter type: none
        for px in range(size):
            acc = [0, 0, 0]
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    c = colour_at((px * SAMPLES + sx + 0.5) * step, (py * SAMPLES + sy + 0.5) * step)
                    acc[0] += c[0]
                    acc[1] += c[1]
                    acc[2] += c[2]
            n = SAMPLES * SAMPLES
            row += bytes(round(v / n) for v in acc)
        rows.append(bytes(row))
    return png(size, size, b"".join(rows))


def png(width: int, height: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, size in SIZES.items():
        (OUT / name).write_bytes(draw(size))
        print(OUT / name)


if __name__ == "__main__":
    main()
