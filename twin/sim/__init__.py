"""The simulation: a scenario compiled to kernel arrays, its inputs, its SimPy timeline, and
the kernel intervals between events.

:mod:`~twin.sim.compile` (and :mod:`~twin.sim.compile_plant` for the cooling plant) turns a
:class:`~twin.scenario.model.Scenario` into the arrays of :mod:`kernels.layout`;
:mod:`~twin.sim.inputs` puts weather, PV, wind, price and carbon on the step grid;
:mod:`~twin.sim.signals` (with :mod:`~twin.sim.optimum` for the ``optimal`` policy) makes
the per-step supply signals; :mod:`~twin.sim.processes` and :mod:`~twin.sim.timeline`
make the exogenous events; :mod:`~twin.sim.engine` runs SimPy and one kernel call per
interval and returns the raw outputs (:class:`~twin.sim.engine.RawRun`). Results are the
layer above (:mod:`twin.results`); see ``docs/architecture.md``.
"""
