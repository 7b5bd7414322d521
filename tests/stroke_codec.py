"""The stored format of a drawing's strokes (sketch-codec.js), read and written independently.

Shared by the Chromium suite (tests/browser/test_sketch.py) and the cross-engine suite
(tests/engines/test_engines.py); importable from both because tests/conftest.py puts tests/ on
``sys.path`` (pytest's default "prepend" import mode).

The format is documented at the top of sketch-codec.js: a stroke ``{"c": colour, "w": width,
"p": points}``, its points the first absolute then deltas, x then y, each number zig-zag mapped
and written 5 bits a character of ``ALPHABET``, low bits first (an index >= 32 continues).
"""

from __future__ import annotations

ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"


def decode_numbers(text: str) -> list[int]:
    numbers, acc, scale = [], 0, 1
    for ch in text:
        digit = ALPHABET.index(ch)
        if digit >= 32:
            acc += (digit - 32) * scale
            scale *= 32
            continue
        acc += digit * scale
        numbers.append(acc // 2 if acc % 2 == 0 else -(acc + 1) // 2)
        acc, scale = 0, 1
    assert scale == 1, "incomplete number"
    return numbers


def stroke_points(stroke: dict) -> list[tuple[int, int]]:
    """A stored stroke's points, in drawing coordinates (0..1000, 0..750)."""
    deltas = decode_numbers(stroke["p"])
    out, x, y = [], 0, 0
    for dx, dy in zip(deltas[::2], deltas[1::2], strict=True):
        x, y = x + dx, y + dy
        out.append((x, y))
    return out


def encode_numbers(numbers: list[int]) -> str:
    out = []
    for n in numbers:
        z = n * 2 if n >= 0 else -n * 2 - 1
        while z >= 32:
            out.append(ALPHABET[32 + (z & 31)])
            z //= 32
        out.append(ALPHABET[z])
    return "".join(out)


def compact(pts: list[tuple[int, int]], c: int = 0, w: int = 7) -> dict:
    """A stored stroke of these points, colour ``c`` and width ``w``."""
    deltas, px, py = [], 0, 0
    for x, y in pts:
        deltas += [x - px, y - py]
        px, py = x, y
    return {"c": c, "w": w, "p": encode_numbers(deltas)}
