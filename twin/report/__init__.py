"""What a run hands over: its output folder (:mod:`~twin.report.rundir`: time series, KPIs,
scenario, events, plots; written atomically) and one self-contained HTML report
(:mod:`~twin.report.html`). See ``docs/architecture.md``.
"""
