"""The workload layer: AI jobs, their scheduler, and utilisation traces.

``it.workload`` selects what drives rack utilisation:

* ``"profile"``: the beta-level profile of :func:`twin.sim.processes.workload`;
* ``"jobs"``: the job model of :mod:`twin.workload.jobs` and
  :mod:`twin.workload.scheduler` (``[[it.job_classes]]``, ``[it.scheduler]``);
* ``"trace"``: a CSV trace of utilisation or power per group
  (:mod:`twin.workload.trace`, ``it.trace_file``).

Kept import-light: :mod:`twin.scenario.model` imports :mod:`twin.scenario.workload`.
"""
