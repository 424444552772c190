"""Which figure measures each person-level indicator of the demo criteria set
(reporting/demo/criteria.yaml), from measures.yaml beside this module. Idempotent."""

from __future__ import annotations

from pathlib import Path

import yaml

from ..models import IndicatorMeasure, Measure

HERE = Path(__file__).parent


def read() -> dict[str, str]:
    data = yaml.safe_load((HERE / "measures.yaml").read_text(encoding="utf-8"))
    unknown = set(data.values()) - set(Measure.values)
    if unknown:
        raise ValueError(f"measures.yaml: unknown measures {sorted(unknown)}")
    return {str(code): measure for code, measure in data.items()}


def load_demo() -> str:
    created = 0
    for code, measure in read().items():
        _, new = IndicatorMeasure.objects.get_or_create(
            indicator_code=code, defaults={"measure": measure}
        )
        created += new
    return f"Demo individual indicator measures: {created} created"
