"""Spreadsheets in and out (docs/exchange.md)."""

app_name = "exchange"
urlpatterns: list = []
