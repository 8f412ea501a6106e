"""Dense logic of the controls: fault spreading, the clock's arithmetic, the reconciler's catch-up."""

import datetime as dt

from astroplane.controls.clock import clock_time
from astroplane.controls.repository import StateRow
from astroplane.controls.service import _hits
from astroplane.deployments.reconciler import Reconciler

T0 = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)


def test_a_fraction_picks_its_share_of_calls_evenly():
    for fraction, calls, expected in [(0.5, 6, [2, 4, 6]), (1.0, 3, [1, 2, 3]), (0.25, 8, [4, 8]),
                                      (0.3, 10, [4, 7, 10])]:
        assert [n for n in range(1, calls + 1) if _hits(n, fraction)] == expected
    assert all(_hits(n, None) for n in range(1, 5))


def test_the_clock_adds_its_offset_or_stands_still():
    assert clock_time(StateRow(90_000_000, None, 0), T0) == T0 + dt.timedelta(seconds=90)
    assert clock_time(StateRow(0, T0.replace(tzinfo=None), 0), T0 + dt.timedelta(days=3)) == T0


class _Scripted(Reconciler):
    """A reconciler whose rows fall due at fixed moments: it records the passes catch_up runs."""

    def __init__(self, due: list[dt.datetime], chained_at_end: int = 0):
        self.due, self.passes, self.chained = sorted(due), [], chained_at_end

    def run_once(self, now=None):
        self.passes.append(now)
        if now in self.due:
            return 1
        if self.chained and now == self.end:
            self.chained -= 1
            return 1
        return 0

    def _next_due_after(self, moment):
        return next((value for value in self.due if value > moment), None)

    def catch_up(self, start, end):
        self.end = end
        return super().catch_up(start, end)


def test_catch_up_runs_a_pass_at_every_due_moment_then_settles_at_the_end():
    due = [T0 + dt.timedelta(seconds=s) for s in (5, 10, 15)]
    reconciler = _Scripted(due + [T0 + dt.timedelta(minutes=5)], chained_at_end=2)
    changed = reconciler.catch_up(T0, T0 + dt.timedelta(seconds=60))
    end = T0 + dt.timedelta(seconds=60)
    assert reconciler.passes == [T0, *due, end, end, end]
    assert changed == 3 + 2
