"""Sweeps: many scenarios around a base, batched through the kernels, on a registered backend.

The front door is :func:`twin.sweep` (:mod:`~twin.sweeps.front`); :mod:`~twin.sweeps.design`
chooses the scenarios (grid, Latin hypercube, random), :mod:`~twin.sweeps.chunks` cuts them
into chunks and runs one, :mod:`~twin.sweeps.prepare` compiles each scenario and shares its
inputs, :mod:`~twin.sweeps.arrays` stacks a chunk into the arguments of the batched kernels
(:mod:`kernels.batch`), :mod:`~twin.sweeps.batch` runs them and makes the KPIs,
:mod:`~twin.sweeps.store` writes a resumable output folder and :mod:`~twin.sweeps.dataset`
the xarray result. Backends (:mod:`~twin.sweeps.backends`) are registered by name. See
``docs/architecture.md``.
"""
