"""Games: normal-form games and their solvers, knowing nothing of negotiations.

:class:`~negsim.games.normal_form.NormalFormGame` is the front; the solver modules work on
arrays. May import: nothing else of negsim.
"""
