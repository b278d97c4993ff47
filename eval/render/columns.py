"""Two-column flow: the left column filled and written first, balanced when the text ends."""

from __future__ import annotations

from collections.abc import Sequence

from .flow import PARA_GAP, SLACK, Box, chain_height, flow
from .page import BODY_BOTTOM, BODY_LH, COL_W, GUTTER, MARGIN_L, BriefPdf

MIN_LINES = 4  # columns start on a new page when fewer lines than this are left


def flow_columns(pdf: BriefPdf, boxes: list[Box], lead: Sequence[Box] = ()) -> None:
    """Set `boxes` (of column width) in two columns from `pdf.y_pos` on. `lead` boxes (the
    headings just before the columns) are set full width, kept with the columns' first lines.
    A column-break box ends the left column; both columns must then fit on the page."""
    while boxes and boxes[-1].space:
        boxes.pop()
    forced = [k for k, b in enumerate(boxes) if b.column_break]
    if len(forced) > 1:
        raise ValueError("two columns take at most one column break")
    if lead:
        lead_h = sum(b.height for b in lead if not b.space)
        if pdf.y_pos + lead_h + MIN_LINES * BODY_LH > BODY_BOTTOM + SLACK:
            pdf.new_page()
        flow(pdf, lead)
    i = 0
    while i < len(boxes):
        while i < len(boxes) and boxes[i].space:
            i += 1
        if i >= len(boxes):
            break
        avail = BODY_BOTTOM - pdf.y_pos
        if avail < MIN_LINES * BODY_LH:
            pdf.new_page()
            avail = BODY_BOTTOM - pdf.y_pos
        split = _forced_split(boxes, i, forced, avail) if forced else _balanced(boxes, i, avail)
        if split is not None:
            end_left = split
            right_start = _skip_space(boxes, split)
            end_right = len(boxes)
        else:
            end_left = _fill(boxes, i, avail)
            right_start = _skip_space(boxes, end_left)
            end_right = _fill(boxes, right_start, avail)
        y0 = pdf.y_pos
        ends = []
        right_x = MARGIN_L + COL_W + GUTTER
        for a, z, x in ((i, end_left, MARGIN_L), (right_start, end_right, right_x)):
            y = y0
            for b in boxes[a:z]:
                if b.space:
                    if y > y0:
                        y += b.height
                    continue
                if b.draw is not None:
                    b.draw(x, y)
                y += b.height
            ends.append(y)
        i = end_right
        if i < len(boxes):
            pdf.new_page()
        else:
            pdf.y_pos = max(ends) + PARA_GAP


def _skip_space(boxes: Sequence[Box], i: int) -> int:
    while i < len(boxes) and boxes[i].space:
        i += 1
    return i


def _forced_split(boxes: Sequence[Box], i: int, forced: list[int], avail: float) -> int:
    split = forced[0]
    left_h = sum(b.height for b in boxes[i:split])
    right_h = sum(b.height for b in boxes[_skip_space(boxes, split) :])
    if max(left_h, right_h) > avail + SLACK:
        raise ValueError("two columns with a column break must fit on one page")
    return split


def _balanced(boxes: Sequence[Box], i: int, avail: float) -> int | None:
    """Where the left column ends if all of `boxes[i:]` fits in two columns of height `avail`:
    the split that makes the taller column shortest; None if it does not fit."""
    if sum(b.height for b in boxes[i:]) > 2 * avail:
        return None
    best: tuple[float, int] | None = None
    for k in range(i + 1, len(boxes) + 1):
        left_h = sum(b.height for b in boxes[i:k])
        if left_h > avail + SLACK:
            break
        if boxes[k - 1].keep_next and k < len(boxes):
            continue
        right_h = sum(b.height for b in boxes[_skip_space(boxes, k) :])
        worst = max(left_h, right_h)
        if right_h <= avail + SLACK and (best is None or worst < best[0] - SLACK):
            best = (worst, k)
    return best[1] if best is not None else None


def _fill(boxes: Sequence[Box], start: int, avail: float) -> int:
    """Index after the last box that fits into a column of height `avail`."""
    used = 0.0
    i = start
    while i < len(boxes):
        b = boxes[i]
        if b.space:
            used += b.height
            i += 1
            continue
        if used + chain_height(boxes, i) > avail + SLACK and used > 0:
            break
        if used + b.height > avail + SLACK:
            break
        used += b.height
        i += 1
    return i
