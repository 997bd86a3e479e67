from django.apps import AppConfig


class LaborMarketConfig(AppConfig):
    name = "labor_market"
    verbose_name = "Labor-market data"
