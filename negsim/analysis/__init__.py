"""Analysis of simulated deals: deal analysis, fixed texts, deal design and backtests.

May import: every layer below (scenario, games, protocol, sim, ensemble).
"""
