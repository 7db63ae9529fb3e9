"""The bench's targets: a page's median target may differ per scale (the forum's
long lists: 150 ms at scale 1, 250 ms at scale 2), and a result reads its own."""

from bench.run import FORUM_TARGET, Page, Result


def result(page, scale):
    return Result(page, scale, {200}, [10], [100.0, 120.0], [])


def test_a_result_reads_the_target_of_its_scale():
    forum = Page("Forum", "/omgangar/2026/forum/", None, target_ms=FORUM_TARGET)
    assert result(forum, 1).target_ms == 150
    assert result(forum, 2).target_ms == 250


def test_one_target_holds_at_every_scale():
    page = Page("Start", "/", None, target_ms=150)
    assert result(page, 1).target_ms == result(page, 2).target_ms == 150
    assert result(Page("Utan mål", "/", None, target_ms=None), 2).target_ms is None


def test_a_scale_without_a_target_of_its_own_gets_the_loosest():
    page = Page("Forum", "/", None, target_ms={1: 150, 2: 250})
    assert result(page, 3).target_ms == 250
