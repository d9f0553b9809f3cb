"""A portfolio of campuses on the national grid: ``twin portfolio`` and ``twin.portfolio``.

:mod:`~twin.portfolio.spec` reads and checks a portfolio file, :mod:`~twin.portfolio.run`
runs its campuses in one batch and :mod:`~twin.portfolio.national` puts their grid
energy on the national year of :mod:`weather.national_grid`;
:mod:`~twin.portfolio.whatif` holds the national what-ifs and
:mod:`~twin.portfolio.outputs` writes the tables, plots and report.
"""
