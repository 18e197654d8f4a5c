"""The demo's last step: fill the KPI rollups so the cockpit has figures at once."""

from __future__ import annotations

from wushe.demo.steps import DemoContext, step

ORDER = 1000  # after every other app's step


@step("reports", order=ORDER)
def reports_demo(ctx: DemoContext) -> dict[str, int]:
    from wushe.reports import rollup

    result = rollup.refresh(trigger="demo")
    return {"rollup_rows": int(result["rows"])}
