"""A PDF page as blocks: ruled tables as spanned grids, all other text as positioned lines.

Transforms, in order: segments_to_lines -> lines_to_components -> component_to_grid (merged cells from
missing separators) -> chars_to_cells; the characters outside every grid become text lines split into
tokens at wide gaps, which the mapper places under their header words (unruled and partly ruled tables).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from extractor.model import BBox, Block, Cell, Char, PageContent, Provenance, Table
from extractor.normalize import CJK_RANGE
from extractor.sources.rules import (
    Grid,
    Line,
    component_to_grid,
    lines_to_components,
    segments_to_lines,
)

_DIGIT_LINE = re.compile(r"^[0-9０-９,，.．]+$")


# A line of dashes only ('—' for every blank of a 表四 row): glyphs under 2 pt tall never overlap once
# jittered, so they are one line when their centres are this close (a text line is 5 pt or more).
THIN_GLYPH = 2.0
THIN_LINE_GAP = 2.5
STACK_LEVEL = 0.9  # glyphs one over the other overlap vertically by less than this share of the shorter
DASHES = frozenset("-—–－一")
BLANK_DASHES = frozenset("-—–－")  # (not '一', a letter too)
SLASHES = frozenset("/／")  # a blank cell's other mark


def lines_of(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped into text lines by vertical overlap, each line sorted left to right.

    Overlap, not centre distance: a full stop or a quote mark has a tiny box at the baseline or the top
    of the line ("14.47" once came out as "1447" and ".")."""
    if len(chars) <= 1:
        return [list(chars)] if chars else []
    talls = [c.y1 - c.y0 for c in chars]
    shortest = min(talls)
    if min(c.y1 for c in chars) - max(c.y0 for c in chars) >= 0.9 * shortest and shortest >= 0.6 * max(talls):
        return [sorted(chars, key=_reading_x)]  # one line (most grid cells): no banding needed
    lines: list[tuple[list[float], list[Char]]] = []  # ([top, bottom, tallest glyph], chars)
    dashes, chars = _dashes_beside_digits(chars)
    for ch in sorted(chars, key=lambda c: (c.y0, c.x0)):
        smalls = []
        tall = ch.y1 - ch.y0
        for band, members in reversed(lines[-4:]):
            overlap = min(band[1], ch.y1) - max(band[0], ch.y0)
            height = band[1] - band[0]
            # Small against the line's letters, not its extent (jittered letters stretch a line's band).
            if tall < 0.6 * band[2] and band[0] <= (ch.y0 + ch.y1) / 2 <= band[1] + 0.25 * height:
                smalls.append((band, members))
            elif (tall < THIN_GLYPH and band[2] < THIN_GLYPH
                  and abs((ch.y0 + ch.y1 - band[0] - band[1]) / 2) <= THIN_LINE_GAP) or (
                    overlap >= 0.5 * min(height, tall, ch.size) and not _stacked_on(ch, members)):
                members.append(ch)
                if ch.size > 0.6 * band[2]:  # punctuation does not stretch the band
                    band[0], band[1], band[2] = min(band[0], ch.y0), max(band[1], ch.y1), max(band[2], tall)
                break
        else:
            if smalls:
                _best_band(ch, smalls).append(ch)
            else:
                lines.append(([ch.y0, ch.y1, tall], [ch]))
    for ch in dashes:
        centre = (ch.y0 + ch.y1) / 2
        home = [(band, members) for band, members in lines
                if any(m.text.isdigit() and m.y0 <= centre <= m.y1 for m in members)]
        min(home, key=lambda item: abs((item[0][0] + item[0][1]) / 2 - centre))[1].append(ch)
    return [sorted(members, key=_reading_x) for _, members in sorted(lines, key=lambda item: item[0][0])]


def _dashes_beside_digits(chars: list[Char]) -> tuple[list[Char], list[Char]]:
    """(dashes level with a digit, the other characters). A dash is drawn at mid-height, a digit from the
    baseline up: values centred in a cell of a two-line label put the digits on one label line and the
    dashes on the other (browser draw 50009: '3 0 3' apart from five '—'). Such a dash joins the line of a
    digit it is level with, once the lines are made."""
    digits = [(c.y0, c.y1) for c in chars if c.text.isdigit() and c.y1 - c.y0 >= THIN_GLYPH]
    if not digits:
        return [], chars
    dashes: list[Char] = []
    rest: list[Char] = []
    for ch in chars:
        centre = (ch.y0 + ch.y1) / 2
        thin = ch.y1 - ch.y0 < THIN_GLYPH and ch.text in DASHES
        (dashes if thin and any(y0 <= centre <= y1 for y0, y1 in digits) else rest).append(ch)
    return (dashes, rest) if rest else ([], chars)


def _reading_x(ch: Char) -> float:
    """Where a character stands along its line: its centre. A point's box is its ink, narrower than its
    advance; jittered, it can start left of the digit before it ('291.08' read '2910.8' by left edges, draw
    PDF 44247: silently wrong)."""
    return (ch.x0 + ch.x1) / 2


def _stacked_on(ch: Char, members: list[Char]) -> bool:
    """Text runs sideways: a glyph over most of the width of one already on the line, and not level with
    it, is the next line of a stack (stacked header characters set with tight leading overlap vertically;
    a band stretched by header words centred at several heights reaches the next line's letters: browser
    draw 51014 read '法人社或会其法他律组织'). A glyph drawn twice for bold is level with itself."""
    width = ch.x1 - ch.x0
    return width > 0 and any(
        min(ch.x1, m.x1) - max(ch.x0, m.x0) > 0.5 * min(width, m.x1 - m.x0)
        and min(ch.y1, m.y1) - max(ch.y0, m.y0) < STACK_LEVEL * min(ch.y1 - ch.y0, m.y1 - m.y0) for m in members)


def _best_band(ch: Char, bands: list[tuple[list[float], list[Char]]]) -> list[Char]:
    """The line a punctuation mark belongs to when it could sit in several (a '、' low in its em box, level
    with the top of the next line of a wrapped group label): the one whose letter ends just left of it, else
    the one that holds it whole, else the newest."""

    def score(item: tuple[list[float], list[Char]]) -> tuple[bool, bool]:
        band, members = item
        neighbour = any(0 <= ch.x0 - m.x1 <= m.size and m.y0 <= ch.y1 for m in members)
        return neighbour, band[0] <= ch.y0 and ch.y1 <= band[1]

    return max(bands, key=score)[1]


def join_chars(chars: list[Char]) -> str:
    """Text of one line: a space only between ASCII words set apart; CJK never gets spaces."""
    out = ""
    prev: Char | None = None
    for ch in chars:
        words = prev is not None and (prev.text + ch.text).isascii() and (prev.text + ch.text).isalnum()
        if prev is not None and words and ch.x0 - prev.x1 > 0.6 * ch.size:
            out += " "
        out += ch.text
        prev = ch
    return out


def chars_to_cells(grid: Grid, chars: list[Char], page: int, index: int) -> tuple[Table, list[Char]]:
    """Fill the grid's cells with the characters inside them; returns the table and the chars left over."""
    inside: dict[tuple[int, int, int, int], list[Char]] = {}
    rest: list[Char] = []
    for ch in chars:
        cx, cy = (ch.x0 + ch.x1) / 2, (ch.y0 + ch.y1) / 2
        c, r = bisect_right(grid.xs, cx) - 1, bisect_right(grid.ys, cy) - 1
        if 0 <= r < len(grid.ys) - 1 and 0 <= c < len(grid.xs) - 1:
            inside.setdefault(grid.owner[(r, c)], []).append(ch)
        else:
            rest.append(ch)
    cells = []
    for spec in sorted(set(grid.owner.values())):
        r, c, rs, cs = spec
        lines = [join_chars(line) for line in lines_of(inside.get(spec, []))]
        # A cell holds one value: digits wrapped inside it are one number ("2,98" over "8").
        glue = "" if len(lines) > 1 and all(_DIGIT_LINE.match(line) for line in lines) else "\n"
        text = glue.join(lines)
        box = BBox(grid.xs[c], grid.ys[r], grid.xs[c + cs], grid.ys[r + rs])
        cells.append(Cell(r, c, text, rs, cs, Provenance(page=page, bbox=box)))
    table = Table(tuple(cells), len(grid.ys) - 1, len(grid.xs) - 1, "pdf-lattice", (page,), index)
    return table, rest


# A digit or dash set apart from the Chinese letter before it starts a value or the next column's numbered label
# ('…其政府信' '1', '（六）其' '2.申请人…' at a 4 pt gap: browser draw 50009); in running text a digit
# follows a letter closely or after a space of about a quarter em. See _starts_value.
DIGIT_AFTER_WORD = 0.3
DASH_APART = 0.6
DIGIT_SPACE = 0.6  # digits of one number are never a word space apart; values of narrow columns are
_CJK = re.compile(f"[{CJK_RANGE}]")


def _starts_value(before: str, after: str) -> float | None:
    """The gap, in letter sizes, past which `after` starts a value of its own, or None: a digit or dash
    after a Chinese letter or a dash after a digit at DIGIT_AFTER_WORD ('0' '—' of two narrow columns at
    10 pt: browser draw 50000 read '0—'); a digit or dash after a dash at DASH_APART (a minus sign in a
    monospaced face stands a quarter em from its number, '-1'; '——' touching is one blank mark; '—0' and
    '——' of 表四's narrow columns at 14 pt: browser draw 52020); a digit after a digit at DIGIT_SPACE ('1 0 4 5'
    of the same row was one token)."""
    digit, dash = after.isascii() and after.isdigit(), after in BLANK_DASHES
    if _CJK.match(before):
        return DIGIT_AFTER_WORD if digit or dash else None
    if (dash or after in SLASHES) and before.isascii() and before.isdigit():
        return DIGIT_AFTER_WORD  # ('35' '/' of narrow columns set flush left: browser draw 60011)
    if (digit or dash or after in SLASHES) and (before in BLANK_DASHES or before in SLASHES):
        return DASH_APART
    if digit and before.isascii() and before.isdigit():
        return DIGIT_SPACE  # (where text would get a space: join_chars)
    return None


def _tokens(line: list[Char]) -> list[list[Char]]:
    tokens: list[list[Char]] = [[line[0]]]
    for prev, ch in zip(line, line[1:], strict=False):
        small, big = sorted((prev.size, ch.size))
        # A punctuation mark's box is a corner of its em box ('2、其他' leaves a wide gap after the 、): the
        # letter beside it sets the scale.
        scale = big if small < 0.6 * big else small
        gap = ch.x0 - prev.x1
        apart = _starts_value(prev.text, ch.text)
        if gap > max(1.2 * scale, 6.0) or (apart is not None and gap > apart * scale):
            tokens.append([ch])
        else:
            tokens[-1].append(ch)
    return tokens


PAIR_GAP = 0.5  # share of a letter's height: a wider gap between the two letters of a token may part them
WORD_GAP = 2.5  # points beyond a token's own letter spacing that part two words inside it
EM_APART = 0.5  # share of a letter's size: a gap this much wider than the tightest is between words
LETTERS_APART = 0.35  # share of a letter's size: CJK letters all this far apart, evenly, may each be a word


def token_words(token: list[Char]) -> tuple[tuple[str, float, float], ...]:
    """The words of a token whose letters are evenly spaced but some gaps are wider (header words of
    adjacent narrow columns, read as one token): (word, left x, right x), or () for a single word."""
    gaps = sorted(b.x0 - a.x1 for a, b in zip(token, token[1:], strict=False))
    if len(gaps) == 1 and gaps[0] > PAIR_GAP * min(token[0].size, token[1].size):
        # Two letters with nothing to tell their spacing by: apart as words, which the header reader joins
        # back unless each sits in a stack of its own.
        return tuple((ch.text, ch.x0, ch.x1) for ch in token)
    if len(gaps) < 2:
        return ()
    size = sorted(ch.size for ch in token)[len(token) // 2]
    if gaps[0] > LETTERS_APART * size and gaps[-1] - gaps[0] <= WORD_GAP and all(
            _CJK.match(ch.text) for ch in token):
        # Letters all set a third of a letter apart or more, evenly: one letter of each of several narrow
        # columns' stacked words ('自 商 科 会 律' at a 12 pt pitch: browser draw 60269; '结 其 尚' of 表四 at 5 pt
        # gaps: 62121), or one word spread; the header reader tells which by the stacks.
        return tuple((ch.text, ch.x0, ch.x1) for ch in token)
    # Letters set tight (the narrowest gap) part from the next word by half an em at least: words of three
    # narrow columns ('法律' '其' '小' with gaps 0, 12, 9, 12) fall into three gap sizes, and the two-group cut
    # kept '其小' (其他 and 小计 stacked: browser draw 50009).
    cut = min(max(gaps[len(gaps) // 2], 0.0) + WORD_GAP, _apart(gaps),
              max(gaps[0], 0.0) + max(WORD_GAP, EM_APART * size))
    words: list[list[Char]] = [[token[0]]]
    for prev, ch in zip(token, token[1:], strict=False):
        if ch.x0 - prev.x1 > cut:
            words.append([ch])
        else:
            words[-1].append(ch)
    if len(words) < 2:
        return ()
    return tuple((join_chars(w), w[0].x0, w[-1].x1) for w in words)


WORD_CLEAR = 0.5  # points: the narrowest word gap clears the widest letter gap by this at least


def _apart(gaps: list[float]) -> float:
    """Where sorted letter gaps fall into two groups, letters and words, a word gap WORD_GAP wider than a
    letter gap on average and no letter gap near the narrowest word gap: a cut between the groups, else inf.
    Letters jittered apart spread their gaps over points, and a median cut missed words of narrow columns
    (PDF draw 42288: 表四's '结果维' '结果纠' '其他结' read as one word, 表四 lost)."""
    best, cut = 0.0, float("inf")
    for k in range((len(gaps) + 1) // 2, len(gaps)):  # words are fewer than letters
        lower, upper = gaps[:k], gaps[k:]
        low, high = sum(lower) / len(lower), sum(upper) / len(upper)
        spread = len(lower) * len(upper) * (high - low) ** 2  # Otsu's between-group variance
        if spread > best:
            best = spread
            cut = (lower[-1] + upper[0]) / 2 if high - low >= WORD_GAP and upper[0] - lower[-1] >= WORD_CLEAR \
                else float("inf")
    return cut


def text_table(lines: list[list[Char]], page: int, index: int) -> Table:
    cells = []
    n_cols = 0
    for r, line in enumerate(lines):
        for c, token in enumerate(_tokens(line)):
            box = BBox(min(ch.x0 for ch in token), min(ch.y0 for ch in token),
                       max(ch.x1 for ch in token), max(ch.y1 for ch in token))
            cells.append(Cell(r, c, join_chars(token), provenance=Provenance(page=page, bbox=box),
                              words=token_words(token)))
            n_cols = max(n_cols, c + 1)
    return Table(tuple(cells), len(lines), n_cols, "pdf-text", (page,), index)


RULE_BARRIER = 30.0  # points: a horizontal rule at least this long parts the text lines above and below it
CROSSED = 0.25  # share of a glyph's height: a rule further inside its box than this passes by, not between lines


def _lines_between_rules(chars: list[Char], h: list[Line]) -> list[list[Char]]:
    """Text lines of the characters outside every grid, never joined across a horizontal rule: in a table
    ruled between rows only, a wrapped label's last line and the next row's first are set closer than the
    lines of one cell (browser draw 50009: '…其政府信' + '1' + '息公开申请' + '（六）其' read as one line)."""
    barriers = sorted(line.pos for line in h if line.end - line.start >= RULE_BARRIER)
    if not barriers:
        return lines_of(chars)
    bands: dict[int, list[Char]] = {}
    for ch in chars:
        # The rules above the glyph's top quarter: a rule through its middle is not drawn across it (it is a
        # short rule elsewhere on the page: 法人或其他组织's underline level with the middle of the note beside
        # the header, which it split into two lines of alternate letters, browser draw 62184).
        bands.setdefault(bisect_right(barriers, ch.y0 + CROSSED * (ch.y1 - ch.y0)), []).append(ch)
    lines = [line for band in bands.values() for line in lines_of(band)]
    return sorted(lines, key=lambda line: min(c.y0 for c in line))


def _on_page(lines: list[Line], along: float, across: float) -> list[Line]:
    """Rules as far as they are on the page: Chromium draws a table's outer box on to where the table ends on
    a later page, and a grid ending there had its last row, broken by the page, reach past the cells' own
    rules: one cell of the whole row (browser draw 62043, a row of 表三 lost)."""
    return [Line(line.pos, max(line.start, 0.0), min(line.end, along)) for line in lines
            if 0.0 <= line.pos <= across and line.start < along and line.end > 0.0]


def page_blocks(page: PageContent, max_lines: int = 400) -> list[Block]:
    """The page's ruled grids and positioned text lines. A page drawing more than `max_lines` rules in one
    direction is a drawing (or hostile), not a report table: its text is read as lines, its rules ignored
    (the grid would cost rows x columns)."""
    if page.text_layer != "ok":
        return []
    h, v = segments_to_lines(page.segments)
    if len(h) > max_lines or len(v) > max_lines:
        h, v = [], []
    h, v = _on_page(h, page.width, page.height), _on_page(v, page.height, page.width)
    chars = list(page.chars)
    placed: list[tuple[float, Block]] = []
    for k, (hs, vs) in enumerate(lines_to_components(h, v)):
        grid = component_to_grid(hs, vs)
        if len(grid.xs) < 3:
            continue  # a frame (a box around the table, horizontal rules in a box): its text is read as lines
        table, chars = chars_to_cells(grid, chars, page.number, page.number * 100 + k)
        if any(cell.text for cell in table.cells):
            placed.append((grid.ys[0], table))
    # Text outside the grids: one positioned-lines table per stretch between two grids.
    tops = sorted(top for top, _ in placed)
    chunks: dict[int, list[list[Char]]] = {}
    for line in _lines_between_rules(chars, h):
        centre = sum((c.y0 + c.y1) / 2 for c in line) / len(line)
        chunks.setdefault(bisect_right(tops, centre), []).append(line)
    for slot, lines in chunks.items():
        top = min(c.y0 for c in lines[0]) if lines else 0.0
        placed.append((top - 0.01 if slot == 0 else tops[slot - 1] + 0.01,
                       text_table(lines, page.number, page.number * 100 + 50 + slot)))
    placed.sort(key=lambda item: item[0])
    return [block for _, block in placed]
