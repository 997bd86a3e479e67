"""Demo living wages: one per region (rounded, illustrative figures for one adult with no
children, in the range public living-wage calculators give for California's regions)."""

from __future__ import annotations

from grantees.models import Program, Region, User
from labor_market import services

DEMO_SOURCE = "Demo figure: 1 adult, 0 children (check the MIT Living Wage Calculator)"
HOURLY_CENTS = {
    "north-far-north": 2410,
    "bay-area": 3290,
    "central-valley-mother-lode": 2340,
    "south-central-coast": 2870,
    "los-angeles": 2840,
    "orange-county": 3020,
    "inland-empire-desert": 2560,
    "san-diego-imperial": 2910,
}


def seed_labor_market_demo(*, program: Program, ta_admin: User) -> None:
    rows = [
        {
            "region": region,
            "hourly_cents": HOURLY_CENTS.get(region.slug),
            "year": 2026,
            "source": DEMO_SOURCE,
        }
        for region in Region.objects.all()
    ]
    services.living_wages_save(actor=ta_admin, program=program, rows=rows)
