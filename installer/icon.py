"""Régul's icon, drawn rather than stored: a route (three stops, the last one red) on blue.

The spec gives it to both programs (Windows shows it in the Start menu, on the taskbar and in
the list of installed programs) and the installer to its own setup program.

    python installer/icon.py OUT.ico
"""

import sys
from pathlib import Path

from PIL import Image, ImageDraw

FILE_NAME = "regul.ico"
SIZES = (16, 24, 32, 48, 64, 128, 256)
BLUE = (21, 101, 192, 255)
WHITE = (255, 255, 255, 255)
RED = (211, 47, 47, 255)


def draw(size: int = 256) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    unit = size / 16
    pen.rounded_rectangle((0, 0, size - 1, size - 1), radius=3 * unit, fill=BLUE)
    stops = [(4 * unit, 11.5 * unit), (8 * unit, 5 * unit), (12 * unit, 10.5 * unit)]
    pen.line(stops, fill=WHITE, width=max(1, round(1.4 * unit)), joint="curve")
    radius = 1.9 * unit
    for k, (x, y) in enumerate(stops):
        colour = RED if k == len(stops) - 1 else WHITE
        pen.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
    return image


def write(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    draw().save(target, format="ICO", sizes=[(s, s) for s in SIZES])
    return target


if __name__ == "__main__":
    print(write(Path(sys.argv[1])))
