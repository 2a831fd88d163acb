"""Simulation: the vectorised engine, the Mesa reference model and run results.

May import: ``negsim.scenario``, ``negsim.games`` and ``negsim.protocol``.
"""
