"""The negotiation protocol on arrays: utilities, parameters, draws, compliance, rounds.

Every function takes arrays with a leading run axis, so that the Mesa model (one run) and the
vectorised engine (many runs) execute the same arithmetic. May import: ``negsim.scenario``
and ``negsim.games``; never ``negsim.sim`` or anything above it.
"""
