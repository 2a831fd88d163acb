"""Ensembles: many runs, sweeps, summaries, the chunk store and executors.

May import: ``negsim.scenario`` and ``negsim.sim`` (and what they import).
"""
