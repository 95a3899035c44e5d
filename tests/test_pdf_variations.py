"""A small draw of the seeded PDF layout generator (corpus/pdf_variations.py); the large draw is
benchmarks/pdf_variations.py. Right or flagged always; ruled and character-drawn layouts exact."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import CORPUS

import extractor
from extractor.evaluation import discover, score

sys.path.insert(0, str(CORPUS))
from pdf_variations import write  # noqa: E402

SEEDS = range(1, 19)
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


@pytest.fixture(scope="module")
def draw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not FONT.exists():
        pytest.skip("CJK font not installed (fonts-wqy-zenhei)")
    out = tmp_path_factory.mktemp("pdfvar")
    for seed in SEEDS:
        write(out, seed)
    return out


def test_pdf_variations_right_or_flagged(draw: Path) -> None:
    by_kind: dict[str, list[int]] = {}
    for case in discover(draw):
        report = extractor.extract(case.document)
        result = score(report, case)
        if report.status == "ok":
            assert not result.wrong and not result.missing, (case.folder.name, result.wrong[:3], result.missing[:3])
        stats = by_kind.setdefault(str(case.meta["layout_kind"]), [0, 0])
        stats[0] += result.right
        stats[1] += result.total
    for kind in ("ruled", "char by char", "landscape, continued"):
        if kind in by_kind:
            right, total = by_kind[kind]
            assert right == total, f"{kind}: {right}/{total}"
    right = sum(r for r, _ in by_kind.values())
    total = sum(t for _, t in by_kind.values())
    assert right / total >= 0.95, by_kind


@pytest.mark.skipif(not FONT.exists(), reason="CJK font not installed (fonts-wqy-zenhei)")
def test_subtotal_column_in_aligned_text_is_placed_by_position(tmp_path: Path) -> None:
    """Regression (draw 7162): horizontal rules, header words run together, a 小计 column and '-' blanks.
    Counting values shifted every row by one column and the identities held (a 小计 equals the sum it sits
    beside): 52 cells wrong in an `ok` report. Values now go under the x-alignment columns, 小计 by its word."""
    folder = write(tmp_path, 7162)
    case = next(iter(discover(folder.parent)))
    report = extractor.extract(case.document)
    result = score(report, case)
    assert not result.wrong and not result.missing, result.wrong[:5]


def _exact(tmp_path: Path, seed: int) -> None:
    folder = write(tmp_path, seed)
    case = next(iter(discover(folder.parent)))
    report = extractor.extract(case.document)
    result = score(report, case)
    assert not result.wrong and not result.missing, (seed, result.wrong[:5], result.missing[:5])


@pytest.mark.skipif(not FONT.exists(), reason="CJK font not installed (fonts-wqy-zenhei)")
def test_numbered_other_row_is_not_a_header(tmp_path: Path) -> None:
    """Regression (draw 7223): '3.其他' at the top of a continuation page named the applicant column 其他
    and was read as a header row, swallowing the rows under it (179/200)."""
    _exact(tmp_path, 7223)


@pytest.mark.skipif(not FONT.exists(), reason="CJK font not installed (fonts-wqy-zenhei)")
def test_label_wrapped_over_many_lines_after_numbers(tmp_path: Path) -> None:
    """Regression (draw 7104): a label wrapped over five lines in a narrow column lost its middle lines,
    and row labels under a repeated header were read into the column paths."""
    _exact(tmp_path, 7104)


@pytest.mark.skipif(not FONT.exists(), reason="CJK font not installed (fonts-wqy-zenhei)")
def test_label_prefix_of_wrapped_label(tmp_path: Path) -> None:
    """Regression (draws 7069, 7230): the first line of a wrapped label ('其他法律') resembled the short
    label '其他' more than the long official label it begins; an exact long prefix now wins."""
    _exact(tmp_path, 7069)
    _exact(tmp_path / "b", 7230)


@pytest.mark.skipif(not FONT.exists(), reason="CJK font not installed (fonts-wqy-zenhei)")
def test_unit_word_apart_from_amount(tmp_path: Path) -> None:
    """Regression (draw 7168): '万元' drawn apart after the procurement amount made a cell of its own and
    the 表二 row was dropped."""
    _exact(tmp_path, 7168)


@pytest.mark.skipif(not FONT.exists(), reason="CJK font not installed (fonts-wqy-zenhei)")
def test_values_closer_than_token_gap_are_two_cells(tmp_path: Path) -> None:
    """Regression (draw 20072): unruled, narrow value columns, a 小计 column: '82' and '108' came out as
    one token '82 108', and stacked header letters whose glyph boxes differ in width ('然' under '自') and
    stacks starting half a line apart were not joined: 37/198."""
    _exact(tmp_path, 20072)


@pytest.mark.skipif(not FONT.exists(), reason="CJK font not installed (fonts-wqy-zenhei)")
def test_stacked_header_letters_side_by_side(tmp_path: Path) -> None:
    """Regression (draw 20234): '其' of 其他 and '小' of 小计 drawn as one token '其小'; stacked letters
    with tight leading put on one text line ('然人'): the 其他/小计 columns were lost, 185/198."""
    _exact(tmp_path, 20234)


@pytest.mark.skipif(not FONT.exists(), reason="CJK font not installed (fonts-wqy-zenhei)")
def test_wrapped_label_first_line_ending_in_punctuation(tmp_path: Path) -> None:
    """Regression (draws 20094, 20114): '2.其他法律、' (the 、 ends the first line) resembled both
    denied.prohibited and other: its row was left out."""
    _exact(tmp_path, 20094)


@pytest.mark.skipif(not FONT.exists(), reason="CJK font not installed (fonts-wqy-zenhei)")
def test_digits_wrapped_under_a_number(tmp_path: Path) -> None:
    """Regression (draw 20266): '113' in a narrow unruled 总计 column wrapped as '11' over '3'; the total
    read 11 (flagged by I1-I3)."""
    _exact(tmp_path, 20266)


@pytest.mark.skipif(not FONT.exists(), reason="CJK font not installed (fonts-wqy-zenhei)")
def test_blank_row_before_a_cut_group_label(tmp_path: Path) -> None:
    """Regression (draw 20251): blank （二）部分公开 followed by '（三' (group label cut) and a numbered row:
    the blank row was dropped as if the numbers were its own."""
    _exact(tmp_path, 20251)


@pytest.mark.skipif(not FONT.exists(), reason="CJK font not installed (fonts-wqy-zenhei)")
def test_numbered_leaf_not_named_by_its_group_line(tmp_path: Path) -> None:
    """Regression (draw 20063): a group line read as '三、本年(一)予以公开' named the cut-short numbered leaf
    '1.申请人无正当理由逾期不' as granted (duplicate cells, other.no_correction missing)."""
    _exact(tmp_path, 20063)


@pytest.mark.skipif(not FONT.exists(), reason="CJK font not installed (fonts-wqy-zenhei)")
def test_blank_row_followed_by_another_blank_label(tmp_path: Path) -> None:
    """Regression (draws 40276, 40044): blanks print nothing; a blank row's wrapped label '5.属于三类内部' /
    '事务信息' followed by the next blank row's label was replaced by it, not emitted: a row missing."""
    _exact(tmp_path, 40276)


@pytest.mark.skipif(not FONT.exists(), reason="CJK font not installed (fonts-wqy-zenhei)")
def test_row_of_few_values_is_not_a_page_number(tmp_path: Path) -> None:
    """Regression (draw 40201): the one 表四 line with values, '1 3 4' (twelve blanks vanished), joined to
    '134' and was dropped as a page footer: 表四 not found."""
    _exact(tmp_path, 40201)


@pytest.mark.skipif(not FONT.exists(), reason="CJK font not installed (fonts-wqy-zenhei)")
def test_row_of_dashes_is_one_line(tmp_path: Path) -> None:
    """Regression (draw 60072): a 表四 row of fifteen '—' blanks, jittered, split into two text lines (the
    dashes' boxes are under a point tall and never overlap): every 表四 cell found twice, flagged."""
    _exact(tmp_path, 60072)


@pytest.mark.skipif(not FONT.exists(), reason="CJK font not installed (fonts-wqy-zenhei)")
def test_applicant_header_line_is_not_a_row(tmp_path: Path) -> None:
    """Regression (draw 43103, horizontal rules, repeated header): the third line of 表三's applicant header,
    '人 | 商业科研 | 社会 | 法律其他', was read as a row without values and its '法律其他' resembled the row
    '其他'; the real '3.其他' row then duplicated it (flagged, cells right)."""
    folder = write(tmp_path, 43103)
    case = next(iter(discover(folder.parent)))
    report = extractor.extract(case.document)
    assert report.status == "ok", [f.code for f in report.findings]
    assert score(report, case).right == score(report, case).total


@pytest.mark.skipif(not FONT.exists(), reason="CJK font not installed (fonts-wqy-zenhei)")
def test_line_holding_a_numbered_label_continues_no_label(tmp_path: Path) -> None:
    """Regression (draw 45090, no rules, a narrow label column, blanks print nothing: 193/200): the line
    '）不 | 2.其他法律行政' (a piece of the stacked group label beside a numbered row's label) was taken for
    the end of the short variant label '（二）部分公开' above it, and the blank row 其他法律行政法规禁止公开 was
    lost. A line holding a numbered label starts a row."""
    _exact(tmp_path, 45090)


def test_label_of_column_words_resembles_no_row() -> None:
    """The rule behind 43103: a label made only of pieces of the column labels is a header line, not a typo."""
    from extractor.lexicon import resemble_row

    assert resemble_row("t3", "2021", ["法律其他"]) is None
    assert resemble_row("t3", "2021", ["商业科研"]) is None
    assert resemble_row("t3", "2021", ["2.其他法律行政法规禁止"]) is not None  # pieces of 其他, not all of them


def test_point_jittered_left_of_the_digit_before_it_stays_between() -> None:
    """Regression (PDF draw 44247, text drawn a character at a time with jitter: '291.08万元' read
    '2910.8万元', the document 'ok', silently wrong): the point's box (its ink, narrower than its advance)
    started left of the jittered '0' before it. Characters of a line are ordered by their centres."""
    from extractor.model import Char
    from extractor.sources.pdflayout import lines_of

    chars = [Char("2", 413.16, 430.11, 416.81, 435.73), Char("9", 417.57, 430.89, 421.2, 436.6),
             Char("1", 421.34, 429.87, 423.93, 435.39), Char(".", 426.8, 431.16, 427.9, 432.27),
             Char("0", 426.49, 429.77, 430.11, 435.47), Char("8", 432.07, 430.81, 435.85, 436.51),
             Char("万", 435.63, 429.44, 443.76, 437.75), Char("元", 443.99, 429.81, 452.09, 437.97)]
    assert ["".join(c.text for c in line) for line in lines_of(chars)] == ["291.08万元"]
