"""``twin serve``: the warm twin over HTTP, and the what-if workbench page.

* :mod:`~twin.serve.config` — what the server was started with (data directory, token,
  workers, queue, Dask scheduler) and the size limits of a request;
* :mod:`~twin.serve.work` — what a simulation process does for a request (a run's JSON,
  the workbench's series, a report), with kernels and weather kept warm in it;
* :mod:`~twin.serve.pool` — the simulation processes and the bounded queue in front of them
  (full: 503 with ``Retry-After``);
* :mod:`~twin.serve.jobs` — sweeps as jobs (local, or on the Dask scheduler when one is set);
* :mod:`~twin.serve.http` — reading a bounded JSON body and the ``{"error": ...}`` answers;
* :mod:`~twin.serve.app` — the FastAPI application: the endpoints and the page.

Scenarios are built by :mod:`twin.frontdoor`, as on the command line, so an answer of
``POST /api/run`` is the text ``twin run --json`` prints for the same scenario, and a
refusal is the CLI's one-line message with status 422. See ``docs/serve.md``.
"""
