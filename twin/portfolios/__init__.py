"""A portfolio of campuses on the national grid: ``twin portfolio`` and ``twin.portfolio``.

:mod:`~twin.portfolios.spec` reads and checks a portfolio file, :mod:`~twin.portfolios.run`
runs its campuses in one batch and :mod:`~twin.portfolios.national` puts their grid
energy on the national year of :mod:`weather.national_grid`;
:mod:`~twin.portfolios.whatif` holds the national what-ifs and
:mod:`~twin.portfolios.outputs` writes the tables, plots and report.
"""
