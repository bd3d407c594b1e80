#!/usr/bin/env python3
"""The demo model's training set (issue 17): one object per clip on a black background, captioned
"a <colour> <shape> moving <direction>".

Each clip is FRAMES frames of SIZE x SIZE RGB (uint8): a filled circle or square of a pure, saturated colour, with a
random start position, size and speed, moving left, right, up or down in a straight line and staying inside the
frame. The same seed gives the same clips. Output: one .npz with `video` [N, FRAMES, SIZE, SIZE, 3] uint8 and
`caption` [N] (str), plus captions.txt (one caption per line, for reading).

    python3 train/make_dataset.py --out train/data/clips.npz --clips 4000 --seed 0
"""
import argparse
import pathlib

import numpy as np

COLOURS = {
    "red": (255, 0, 0),
    "green": (0, 255, 0),
    "blue": (0, 0, 255),
    "yellow": (255, 255, 0),
    "white": (255, 255, 255),
}
SHAPES = ("circle", "square")
# direction of motion as (dx, dy) in image coordinates (y grows downwards)
MOTIONS = {"left": (-1, 0), "right": (1, 0), "up": (0, -1), "down": (0, 1)}
SIZE = 64
FRAMES = 17


def caption(colour, shape, motion):
    return f"a {colour} {shape} moving {motion}"


def vocabulary():
    """Every word a caption can hold, in a fixed order."""
    return ["a", *COLOURS, *SHAPES, "moving", *MOTIONS]


def draw(frame, shape, colour, cx, cy, r):
    """A filled circle (radius r) or axis-aligned square (half side r) centred at (cx, cy), anti-aliased by 4x4
    supersampling so that sub-pixel motion shows as a smooth edge."""
    sub = (np.arange(SIZE * 4) + 0.5) / 4
    ys, xs = np.meshgrid(sub, sub, indexing="ij")
    if shape == "circle":
        inside = (xs - cx) ** 2 + (ys - cy) ** 2 <= r * r
    else:
        inside = (np.abs(xs - cx) <= r) & (np.abs(ys - cy) <= r)
    cover = inside.reshape(SIZE, 4, SIZE, 4).mean(axis=(1, 3))
    frame[:] = np.round(cover[..., None] * np.array(colour, dtype=np.float64)).astype(np.uint8)


def clip(rng, colour, shape, motion):
    """One clip: radius 4..10 pixels, speed 0.6..2 pixels per frame, start chosen so the object stays inside."""
    r = rng.uniform(4, 10)
    speed = rng.uniform(0.6, 2.0)
    dx, dy = MOTIONS[motion]
    travel = speed * (FRAMES - 1)
    lo, hi = r + 1, SIZE - r - 1
    # along the motion the start leaves room for the whole travel; across it any position inside
    def start(d):
        if d > 0:
            return rng.uniform(lo, hi - travel)
        if d < 0:
            return rng.uniform(lo + travel, hi)
        return rng.uniform(lo, hi)
    x0, y0 = start(dx), start(dy)
    video = np.zeros((FRAMES, SIZE, SIZE, 3), dtype=np.uint8)
    for f in range(FRAMES):
        draw(video[f], shape, COLOURS[colour], x0 + dx * speed * f, y0 + dy * speed * f, r)
    return video


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=pathlib.Path, required=True)
    ap.add_argument("--clips", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    # the longest travel (2 px/frame over 16 steps) plus the largest object must fit in the frame
    assert 2.0 * (FRAMES - 1) + 2 * 10 + 2 < SIZE
    rng = np.random.default_rng(args.seed)
    combos = [(c, s, m) for c in COLOURS for s in SHAPES for m in MOTIONS]
    videos = np.zeros((args.clips, FRAMES, SIZE, SIZE, 3), dtype=np.uint8)
    captions = []
    for i in range(args.clips):
        colour, shape, motion = combos[i % len(combos)]  # every combination equally often
        videos[i] = clip(rng, colour, shape, motion)
        captions.append(caption(colour, shape, motion))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, video=videos, caption=np.array(captions))
    args.out.with_name("captions.txt").write_text("\n".join(captions) + "\n")
    print(f"{args.out}: {args.clips} clips of {FRAMES} x {SIZE} x {SIZE}, {len(combos)} captions")


if __name__ == "__main__":
    main()
