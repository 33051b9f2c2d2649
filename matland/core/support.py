"""The support mix a policy needs, and the approaches from the catalogue that fit it best.

Report §5.1 hypothesises a support model per paradigm; rules/support.yaml expresses each as
shares of Gold's three models plus a collaboration intensity, and the mix is their blend by
membership, so a policy near a boundary gets a blended mix.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping

from matland.core.conditions import Facts
from matland.core.knowledge import MIX_KEYS, Approach, Knowledge
from matland.core.numbers import percents
from matland.core.records import record

LABELS = {
    "performance_management": "performance management",
    "problem_solving": "problem-solving",
    "capacity_building": "capacity building",
    "collaboration": "collaboration",
}
HINDRANCE_LABELS = {
    "over_optimism": "over-optimism",
    "dispersed_governance": "dispersed governance",
    "collaborative_policymaking": "inadequate collaborative policymaking",
    "political_cycle": "the political cycle",
}


@record
class SupportMix:
    performance_management: float  # the three shares add up to 1
    problem_solving: float
    capacity_building: float
    collaboration: float  # intensity 0-1 of negotiation and coalition building
    blend: Mapping[str, float]  # paradigm -> its weight in the blend (the membership)

    def need(self, key: str) -> float:
        return float(getattr(self, key))

    def leading(self) -> str:
        return max(MIX_KEYS[:3], key=self.need)


@record
class Recommendation:
    approach: Approach
    fit: float  # match + the bonus for the risks it meets: what the ranking sorts by
    mix: SupportMix
    risk_hindrances: Mapping[str, tuple[str, ...]]  # hindrance -> ids of the risks behind it
    values: tuple[float, ...]  # its ratings as numbers, in MIX_KEYS order
    match: float = 0.0  # how its profile matches the mix, both less their means (-1 to 1)
    meets: tuple[str, ...] = ()  # fired risks whose `met_by` names it

    @property
    def id(self) -> str:
        return self.approach.id

    @functools.cached_property
    def reasons(self) -> tuple[str, ...]:
        """Why it is recommended: how its profile matches the mix (its two strongest
        ratings against it), and the risks it meets. Worded when asked for (a check run
        lists only ids)."""
        approach, mix = self.approach, self.mix
        parts = {
            key: mix.need(key) * value for key, value in zip(MIX_KEYS, self.values, strict=True)
        }
        shares = percents({key: mix.need(key) for key in MIX_KEYS[:3]})  # as the report shows
        reasons = [f"its profile matches the mix's emphasis ({self.match:+.2f} of ±1)"]
        reasons += [
            f"rated {approach.ratings[key]} for {LABELS[key]}, "
            + (
                f"which is {shares[key]}% of the mix"
                if key != "collaboration"
                else f"needed at {mix.need(key):.0%} intensity"
            )
            for key in sorted(parts, key=lambda k: -parts[k])[:2]
            if parts[key] > 0
        ]
        if self.meets:
            reasons.append(f"meets {', '.join(self.meets)}")
        for hindrance in approach.mitigates:
            if self.risk_hindrances.get(hindrance):
                risks = ", ".join(self.risk_hindrances[hindrance])
                reasons.append(
                    f"addresses {HINDRANCE_LABELS[hindrance]} ({risks}; report Table 11)"
                )
        return tuple(reasons)


@record
class Excluded:
    """An approach left out because the answers contradict what it presupposes."""

    approach: Approach
    premise: str
    triggers: tuple[str, ...]


def support_mix(membership: Mapping[str, float], knowledge: Knowledge) -> SupportMix:
    blended = {
        key: sum(weight * getattr(knowledge.mix[p], key) for p, weight in membership.items())
        for key in MIX_KEYS
    }
    return SupportMix(**blended, blend=dict(membership))


def excluded(facts: Facts | None, knowledge: Knowledge) -> tuple[Excluded, ...]:
    """The approaches whose premise the answers contradict (rules/support.yaml `premise`)."""
    if facts is None:
        return ()
    left_out = []
    for approach_id, condition in knowledge.premises.items():
        triggers = condition.test(facts)
        if triggers is not None:
            approach = knowledge.approaches[approach_id]
            assert approach.premise is not None
            left_out.append(Excluded(approach, approach.premise.says, tuple(triggers)))
    return tuple(left_out)


def recommend(
    mix: SupportMix,
    risk_hindrances: Mapping[str, tuple[str, ...]],
    knowledge: Knowledge,
    meets: Mapping[str, tuple[str, ...]] | None = None,
    facts: Facts | None = None,
) -> tuple[Recommendation, ...]:
    """The catalogue ranked by how well each approach's profile matches the mix - what the
    paradigm needs and what it does not (report §5.1 Table 10: a different support model
    per paradigm) - plus a bonus for each fired risk it meets (`met_by`) and each hindrance
    behind a fired risk it addresses (report Table 11); approaches whose premise the
    answers contradict are left out. The top few, each with its reasons."""
    centre = knowledge.need_centre
    need = tuple(mix.need(key) - c for key, c in zip(MIX_KEYS, centre, strict=True))
    bonus = knowledge.ranking.risk_bonus
    meets = meets or {}
    out = {e.approach.id for e in excluded(facts, knowledge)}
    hit = frozenset(h for h, risk_ids in risk_hindrances.items() if risk_ids)
    fits = []
    for approach_id, (_, mitigates, profile) in knowledge.ranking_table.items():
        if approach_id in out:
            continue
        match = _cosine(need, profile)
        lift = bonus * (len(mitigates & hit) + len(meets.get(approach_id, ())))
        fits.append((-(match + lift), approach_id, match))
    fits.sort()
    return tuple(
        Recommendation(
            knowledge.approaches[approach_id],
            -negative,
            mix,
            risk_hindrances,
            knowledge.ranking_table[approach_id][0],
            match,
            meets.get(approach_id, ()),
        )
        for negative, approach_id, match in fits[: knowledge.ranking.top]
    )


def _cosine(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """-1 to 1: how far two profiles point the same way (0 when either has no direction)."""
    norms = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return sum(x * y for x, y in zip(a, b, strict=True)) / norms if norms else 0.0
