"""Forecasts from tables of actors: the expected-utility forecasting model.

May import: ``negsim.scenario`` (for errors and tables).
"""
