"""The ONEE grid bill as billed: energy by time-of-use period, the premium on the
subscribed power, overrun charges, the power-factor surcharge and VAT.

One tariff option throughout, THT "tres longue utilisation" (the option for an
annual use of the subscribed power above about 6,000 h, i.e. a data centre's flat
load); every price excludes VAT.

Bill of calendar month *m* (MAD, excl. VAT)
-------------------------------------------
* energy: Σ_p E_p × price_p over the three periods p (peak, full, off-peak);
* premium ("redevance de puissance"): Pfi / 12 × PS × f_m, with Pfi the premium
  [MAD/kVA/yr], PS the subscribed power [kVA] and f_m the share of the month the run
  covers (1 for a whole month, so a year bills Pfi × PS);
* overrun ("redevance de dépassement de puissance souscrite"):
  1.5 × Pfi / 12 × Σ_p c_p × max(0, PA_m,p − PS), with PA_m,p the highest apparent
  import of period p in month m [kVA] and the period coefficients c = (1, 0.6, 0.4)
  (the same coefficients weight the subscribed powers of the periods in the ONEE
  "puissance réduite");
* power factor: when cos φ < 0.8 the three terms above are raised by
  2 × (0.8 − cos φ) (2 % per hundredth below 0.8);
* VAT = rate × the bill; it is reported apart, not added to any cost KPI (an operator
  registered for VAT deducts it).

Apparent power [kVA] = active import [kW] / cos φ (``grid.tariff.power_factor``). With
``grid.tariff.subscribed_kva = 0`` the subscription is the run's own peak apparent
import: the smallest subscription with no overrun, what an operator subscribes once the
load is known (it is never the connection limit, ``grid.import_limit_mw``).

Sources
-------
* Premium 2,128.60 MAD/kVA/yr of "tres longue utilisation" from January 2017, and the
  option's definition (> about 6,000 h/yr): L'Economiste, "Electricité : ce qui change
  dans le tarif industriel", 2014-07-30 (ONEE HT/THT tariff reform phased in
  2014-08 to 2017-01).
* Energy prices of the same THT option, peak 0.7833 / full 0.6473 / off-peak
  0.6077 MAD/kWh, the overrun factor 1.5 with the period coefficients 1 / 0.6 / 0.4,
  and the power-factor rule (threshold 0.8, 2 × the shortfall): LOW authority, an
  open-source ONEE bill calculator (2025) that lists them beside the same 2,128.60
  premium; the ministerial order itself (Bulletin Officiel, July 2014) was not
  retrieved. The prices are taken as excluding VAT like the premium beside them
  (assumed).
* Bill terms: ONEE, "Comprendre votre facture" (one.org.ma): a large customer's monthly
  bill is built from the energy, the tariff option, the subscribed and the called
  powers and the power factor.
* VAT 14 % on electricity: Libération, 2018-05 ("la TVA fixée à 14 %"); the 2024
  finance bill's rise to 16-20 % for electricity was withdrawn before the vote (Maroc
  Diplomatique, 2023-11, "Retrait du projet d'augmentation de la TVA sur l'eau et
  l'électricité"). A scenario key, to confirm against the finance law in force.
* Time-of-use windows (17-22 h peak, 22-7 h off-peak, one hour later from April to
  September): assumed, see ``weather/data/morocco_grid.toml``.
"""

from __future__ import annotations

import calendar
import functools

import numpy as np

from kernels.kpisums import T_MAX_IMPORT_SLOT_W, T_MONTH_STEPS
from twin.sim.costdata import OVERRUN_FACTOR, PERIOD_COEFFS  # shared with the LP

#: Power factor below which the bill is raised, and the raise per unit of shortfall.
PF_MIN = 0.8
PF_PENALTY_PER_UNIT = 2.0

__all__ = ["grid_bill", "month_fraction", "subscribed_kva"]


def subscribed_kva(tariff, peak_import_w: float) -> float:
    """The subscribed power [kVA]: the scenario's, or the run's peak apparent import."""
    if tariff.subscribed_kva > 0:
        return float(tariff.subscribed_kva)
    return float(peak_import_w) / 1e3 / tariff.power_factor


@functools.lru_cache(maxsize=4096, typed=True)  # pure; every scenario of a sweep asks the same few
def month_fraction(year: int, month0: int, steps: float, dt_s: float) -> float:
    """Share of calendar month *month0* (0 = January) that *steps* of *dt_s* cover [-]."""
    days = calendar.monthrange(year, month0 + 1)[1]
    return min(1.0, steps * dt_s / (days * 86400.0))


def grid_bill(sc, tot: np.ndarray, dt_s: float, energy_mad: float) -> dict[str, float]:
    """The grid bill of a run from its totals (:func:`kernels.kpisums.run_totals`).

    *energy_mad* is the energy charge Σ E_k price_k [MAD] (the price series already
    holds the period prices). Returns MAD excl. VAT for ``energy``, ``premium``,
    ``overrun`` and ``pf_surcharge``, their sum ``bill``, ``vat`` on it, and
    ``subscribed_kva``.
    """
    t = sc.grid.tariff
    pf = t.power_factor
    peak_w = float(np.max(tot[T_MAX_IMPORT_SLOT_W : T_MAX_IMPORT_SLOT_W + 36]))
    ps_kva = subscribed_kva(t, peak_w)
    monthly_premium = t.premium_mad_per_kva_yr / 12.0
    premium = 0.0
    overrun = 0.0
    for m in range(12):
        steps = float(tot[T_MONTH_STEPS + m])
        if steps <= 0:
            continue
        premium += monthly_premium * ps_kva * month_fraction(sc.site.year, m, steps, dt_s)
        for p, coeff in enumerate(PERIOD_COEFFS):
            called_kva = float(tot[T_MAX_IMPORT_SLOT_W + 3 * m + p]) / 1e3 / pf
            overrun += OVERRUN_FACTOR * monthly_premium * coeff * max(0.0, called_kva - ps_kva)
    base = energy_mad + premium + overrun
    surcharge = PF_PENALTY_PER_UNIT * max(0.0, PF_MIN - pf) * base
    bill = base + surcharge
    return {
        "energy": float(energy_mad),
        "premium": float(premium),
        "overrun": float(overrun),
        "pf_surcharge": float(surcharge),
        "bill": float(bill),
        "vat": float(t.vat_frac * bill),
        "subscribed_kva": ps_kva,
    }
