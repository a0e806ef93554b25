"""Krejcie & Morgan sample sizes against the published table (Sanggau Lampiran II huruf H).

The formula s = X²·N·P(1−P) / (d²·(N−1) + X²·P(1−P)) with X² = 3.841, P = 0.5, d = 0.05,
rounded to the nearest whole respondent, reproduces the table; rounding up does not
(/work/shared/notes/domain.md).
"""

import pytest

from patuh.skm.method import krejcie_morgan

PUBLISHED = {
    10: 10,
    100: 80,
    220: 140,
    1_000: 278,
    1_500: 306,
    75_000: 382,
    1_000_000: 384,
}


@pytest.mark.parametrize("population,sample", sorted(PUBLISHED.items()))
def test_sample_equals_published_table(population, sample):
    assert krejcie_morgan(population) == sample
