"""What a run means: invariants, KPIs, costs, components, ride-through, tables and plots.

:func:`~twin.results.simulate.simulate` runs the engine (:mod:`twin.sim`) and makes a
:class:`~twin.results.result.Result` from its raw outputs: the invariants are checked
(:mod:`~twin.results.invariants`), the KPIs computed (:mod:`~twin.results.kpis`, with
:mod:`~twin.results.economics`, :mod:`~twin.results.components`,
:mod:`~twin.results.ridethrough` and the ASHRAE envelope of :mod:`~twin.results.envelope`).
Figures of one run hang off ``Result.plot`` (:mod:`~twin.results.figures`); analysis plots
of runs and sweeps are :mod:`twin.plots` (:mod:`~twin.results.plots`). See
``docs/architecture.md``.
"""
