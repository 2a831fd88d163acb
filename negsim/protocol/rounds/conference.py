"""The ``conference`` kind: powers decide whether to make the commitments on the table.

For each commitment the powers play a commit / do-not-commit game whose payoffs come from
their demands on the commitment's issue
(:func:`~negsim.protocol.rounds.kernels.commitment_payoffs`); the game is solved for its pure
equilibria, one is selected (highest total payoff, then most commitments,
:func:`~negsim.protocol.rounds.kernels.select_equilibrium`), and each power's actual choice is
a logit response to the selected equilibrium. A run draws one uniform per power and
commitment, commitment-major. Columns: ``ROUND.COMMITMENT.POWER`` (committed?) and
``ROUND.COMMITMENT.POWER.equilibrium``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np

from negsim._frozen import FrozenMap
from negsim._tables import names
from negsim.games import NormalFormGame
from negsim.protocol.compliance import binary_equilibrium_mask
from negsim.protocol.rounds.kernels import choose, commitment_payoffs, select_equilibrium
from negsim.protocol.state import RoundState
from negsim.scenario.kinds import EntryCheck, RoundKind

__all__ = ["Conference", "ConferenceResult"]


@dataclass(frozen=True)
class ConferenceResult:
    """What happened at a conference round.

    Attributes
    ----------
    id : str
    powers : tuple of str
    commitments : FrozenMap
        commitment id -> FrozenMap(power -> committed?).
    equilibrium : FrozenMap
        commitment id -> FrozenMap(power -> commits in the selected pure equilibrium?).

    Examples
    --------
    >>> import negsim, numpy as np
    >>> s = negsim.load_scenario("libya-2020")
    >>> b = negsim.NegotiationModel(s, rng=np.random.SeedSequence([3, 1])).run().round("berlin")
    >>> b.powers
    ('Russia', 'Turkey', 'Egypt', 'UAE')
    >>> list(b.commitments)
    ['arms_embargo', 'ceasefire_support', 'military_committee']
    >>> dict(b.commitments["ceasefire_support"])
    {'Russia': True, 'Turkey': True, 'Egypt': False, 'UAE': False}
    """

    id: str
    powers: tuple[str, ...]
    commitments: FrozenMap
    equilibrium: FrozenMap

    def columns(self) -> dict[str, Any]:
        """Return this round's columns of the runs table (see the module docstring).

        Examples
        --------
        >>> import negsim
        >>> r = negsim.NegotiationModel(negsim.load_scenario("libya-2020"), rng=1).run()
        >>> list(r.round("berlin").columns())[:2]
        ['berlin.arms_embargo.Russia', 'berlin.arms_embargo.Russia.equilibrium']
        """
        row: dict[str, Any] = {}
        for c, by_power in self.commitments.items():
            for a, v in by_power.items():
                row[f"{self.id}.{c}.{a}"] = v
                row[f"{self.id}.{c}.{a}.equilibrium"] = self.equilibrium[c][a]
        return row

    def story(self, reasons: Any = None) -> list[str]:
        """Tell the conference in lines of words (``reasons`` is unused).

        Examples
        --------
        >>> import negsim, numpy as np
        >>> s = negsim.load_scenario("libya-2020")
        >>> r = negsim.NegotiationModel(s, rng=np.random.SeedSequence([3, 1])).run()
        >>> r.round("berlin").story()[1]
        '  arms_embargo: Egypt and UAE committed; Russia and Turkey did not.'
        """
        n = len(self.commitments)
        lines = [f"{self.id}: {names(self.powers)} decided on {n} "
                 f"commitment{'s' if n != 1 else ''}."]
        for c, by_power in self.commitments.items():
            yes = [a for a, v in by_power.items() if v]
            no = [a for a, v in by_power.items() if not v]
            if not yes:
                lines.append(f"  {c}: nobody committed.")
            elif not no:
                lines.append(f"  {c}: all committed.")
            else:
                lines.append(f"  {c}: {names(yes)} committed; {names(no)} did not.")
        return lines


class Conference(RoundKind):
    """The ``conference`` kind (see the module docstring).

    Examples
    --------
    >>> import negsim
    >>> Conference().draws(negsim.load_scenario("libya-2020").timeline[3], None)  # 4 powers x 3
    12
    """

    name = "conference"
    lists = frozenset({"participants", "commitments"})
    decisions = ("commit", "no_commit")
    decision_place = "at a conference"
    observation_kind = "commit"
    result_type = ConferenceResult

    def validate(self, check: EntryCheck) -> None:
        r"""Participants (the powers) and commitments (what is on the table) are required.

        Examples
        --------
        >>> import negsim
        >>> text = negsim.load_scenario("libya-2020").to_toml()
        >>> text = text.replace('"military_committee"]', '"military_committee"]\n', 1)
        >>> negsim.parse_scenario(text.replace(
        ...     'commitments = ["arms_embargo", "ceasefire_support", "military_committee"]',
        ...     'commitments = []'))
        Traceback (most recent call last):
        ...
        negsim.scenario...ScenarioError: <string>: timeline[3].commitments: a conference needs
        at least one commitment
        """
        check.require_list("participants", "missing: a conference needs participants (the "
                           "powers who decide in it)",
                           "a conference needs at least one participant")
        check.require_list("commitments", "missing: a conference needs commitments (what is "
                           "on the table)", "a conference needs at least one commitment")

    def draws(self, entry: Any, scenario: Any) -> int:
        """One uniform per power and commitment.

        Examples
        --------
        >>> import negsim
        >>> Conference().draws(negsim.load_scenario("libya-2020").timeline[3], None)
        12
        """
        return len(entry.participants) * len(entry.commitments)

    def play_batch(self, entry: Any, state: RoundState, u: np.ndarray,
                   cols: dict[str, object]) -> None:
        """Play every commitment's game for every run of the batch.

        Examples
        --------
        >>> import negsim
        >>> from negsim.sim.engine import simulate_runs
        >>> df = simulate_runs(negsim.load_scenario("libya-2020"), 1, 3)
        >>> df["berlin.arms_embargo.UAE"].dtype
        dtype('bool')
        """
        st, p = state.structure, state.params
        powers = state.actor_indices(entry.participants)
        c_ids = {c: j for j, c in enumerate(st.commitment_ids)}
        n_pow = len(powers)
        state.conference_powers.append(powers)
        for c_pos, c in enumerate(c_ids[c] for c in entry.commitments):
            issue = int(st.commitment_issue[c])
            pay = commitment_payoffs(state.w, p.ideal, p.status_quo, powers, issue)
            flat = pay.reshape(p.runs, n_pow, 1 << n_pow)
            mask = binary_equilibrium_mask(flat).reshape(pay.shape[:1] + pay.shape[2:])
            eq = select_equilibrium(pay, mask)  # (R, P)
            place = 1 << (n_pow - 1 - np.arange(n_pow))
            base = (eq * place).sum(axis=1)  # flat index of the selected profile
            gain = np.empty((p.runs, n_pow))
            for j in range(n_pow):
                with_c = base | place[j]
                without = base & ~place[j]
                gain[:, j] = flat[:, j, :][np.arange(p.runs), with_c] - flat[:, j, :][
                    np.arange(p.runs), without
                ]
            values = np.stack([gain, np.zeros_like(gain)], -1)
            pick = choose(values, p.rationality[:, None],
                          u[:, c_pos * n_pow : (c_pos + 1) * n_pow])
            commits = pick == 0
            state.committed[:, powers, c] |= commits
            cid = st.commitment_ids[c]
            for j, a in enumerate(powers):
                cols[f"{entry.id}.{cid}.{st.actor_ids[a]}"] = commits[:, j]
                cols[f"{entry.id}.{cid}.{st.actor_ids[a]}.equilibrium"] = eq[:, j].astype(bool)

    def play_agents(self, entry: Any, model: Any, u: np.ndarray) -> ConferenceResult:
        """Play the conference with the Mesa agents: each power weighs its own payoff.

        The commitment game is a :class:`~negsim.games.NormalFormGame` solved for its pure
        equilibria by the game engine.

        Examples
        --------
        >>> import negsim
        >>> r = negsim.NegotiationModel(negsim.load_scenario("libya-2020"), rng=0).run()
        >>> type(r.round("berlin")).__name__
        'ConferenceResult'
        """
        powers = [model.agent(a) for a in entry.participants]
        n_pow = len(powers)
        model.conference_powers.append(np.array([a.index for a in powers]))
        sq = model.params.status_quo[0]
        commitment_ids = [x.id for x in model.scenario.commitments]
        commitments: dict[str, FrozenMap] = {}
        equilibrium: dict[str, FrozenMap] = {}
        for c_pos, cid in enumerate(entry.commitments):
            c = commitment_ids.index(cid)
            issue = model.issue_index[model.scenario.commitments[c].issue]

            def payoff(profile: tuple[int, ...], issue: int = issue) -> list[float]:
                level = sq[issue] + (1.0 - sq[issue]) * (sum(profile) / n_pow)
                return [a.commitment_payoff(level, issue) for a in powers]

            game = NormalFormGame.from_function(payoff, [2] * n_pow)
            selected = _select(game, game.pure_equilibria())
            commits = {}
            for j, agent in enumerate(powers):
                with_c = list(selected)
                with_c[j] = 1
                without = list(selected)
                without[j] = 0
                gain = game.payoffs[(j, *with_c)] - game.payoffs[(j, *without)]
                pick = choose(np.array([[gain, 0.0]]), model.params.rationality,
                              np.array([u[c_pos * n_pow + j]]))[0]
                commits[agent.actor_id] = bool(pick == 0)
                model.committed[0, agent.index, c] |= bool(pick == 0)
            commitments[cid] = FrozenMap(commits)
            equilibrium[cid] = FrozenMap({a.actor_id: bool(selected[j])
                                          for j, a in enumerate(powers)})
        return ConferenceResult(entry.id, tuple(entry.participants), FrozenMap(commitments),
                                FrozenMap(equilibrium))

    def happened(self, runs: Any, entry: Any, actor: str, commitment: str | None,
                 value: str) -> np.ndarray:
        """Whether ``actor`` took ``value`` (``commit`` or ``no_commit``) on ``commitment``.

        Raises
        ------
        ValueError
            If the runs lack the commitment column.

        Examples
        --------
        >>> import pandas as pd, negsim
        >>> runs = pd.DataFrame({"berlin.arms_embargo.UAE": [True, False]})
        >>> entry = negsim.load_scenario("libya-2020").timeline[3]
        >>> Conference().happened(runs, entry, "UAE", "arms_embargo", "no_commit").tolist()
        [False, True]
        """
        col = f"{entry.id}.{commitment}.{actor}"
        if col not in runs.columns:
            raise ValueError(f"the runs have no column {col!r} for the observation of "
                             f"{actor} on {commitment} at {entry.id}")
        committed = runs[col].to_numpy(dtype=bool)
        return committed if value == "commit" else ~committed


def _select(game: NormalFormGame, equilibria: list[tuple[int, ...]]) -> tuple[int, ...]:
    """Highest total payoff, then most commitments, then the first in C order."""
    if not equilibria:
        profiles = list(itertools.product((0, 1), repeat=game.n_players))
        regrets = [float(np.max(game.regret(prof))) for prof in profiles]
        return profiles[int(np.argmin(regrets))]
    totals = {eq: float(sum(game.payoffs[(i, *eq)] for i in range(game.n_players)))
              for eq in equilibria}
    best = max(totals.values())
    top = [eq for eq in sorted(equilibria) if abs(totals[eq] - best) <= 1e-12]
    return max(top, key=lambda eq: (sum(eq), -top.index(eq)))
