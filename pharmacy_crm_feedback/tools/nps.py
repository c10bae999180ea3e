# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Net Promoter Score, pure (no ORM): the specification of the SQL view that computes it per
month (``pharmacy.nps.report``)."""

PROMOTER_MIN = 9    # 9 or 10: a promoter
DETRACTOR_MAX = 6   # 0 to 6: a detractor; 7 or 8: passive


def category(score):
    """``promoter`` (9-10), ``passive`` (7-8) or ``detractor`` (0-6) for an answer to "how
    likely are you to recommend us" on the 0-10 scale."""
    if score is None or not 0 <= score <= 10:
        raise ValueError('an NPS answer is a score from 0 to 10, not %r' % (score,))
    if score >= PROMOTER_MIN:
        return 'promoter'
    if score <= DETRACTOR_MAX:
        return 'detractor'
    return 'passive'


def nps(scores):
    """The Net Promoter Score of ``scores`` (answers 0-10): the percentage of promoters minus
    the percentage of detractors, from -100 to +100, rounded to one decimal; passives count
    in the total only. None without answers.

    Why: it is the industry's one-number measure of loyalty (Reichheld, 2003), which patients
    answer in a second; a detractor is worth a call back (service recovery).

    >>> nps([10] * 5 + [8] * 3 + [3] * 2)
    30.0
    """
    scores = list(scores)
    if not scores:
        return None
    kinds = [category(score) for score in scores]
    return round(100.0 * (kinds.count('promoter') - kinds.count('detractor')) / len(kinds), 1)


def nps_from_counts(promoters, detractors, answers):
    """The Net Promoter Score of ``answers`` answers of which ``promoters`` promoters and
    ``detractors`` detractors, rounded to one decimal; None without answers (no score, rather
    than a score of 0). The NPS of several months together is this of their summed counts.

    >>> nps_from_counts(6, 3, 12)
    25.0
    """
    if not answers:
        return None
    return round(100.0 * (promoters - detractors) / answers, 1)
