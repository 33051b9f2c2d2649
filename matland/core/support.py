"""The support mix a policy needs, and the approaches from the catalogue that fit it best.

Report §5.1 hypothesises a support model per paradigm; rules/support.yaml expresses each as
shares of Gold's three models plus a collaboration intensity, and the mix is their blend by
membership, so a policy near a boundary gets a blended mix.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from matland.core.knowledge import MIX_KEYS, Approach, Knowledge
from matland.core.numbers import percents

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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Recommendation:
    approach: Approach
    fit: float
    mix: SupportMix
    risk_hindrances: Mapping[str, tuple[str, ...]]  # hindrance -> ids of the risks behind it
    values: tuple[float, ...]  # its ratings as numbers, in MIX_KEYS order

    @property
    def id(self) -> str:
        return self.approach.id

    @functools.cached_property
    def reasons(self) -> tuple[str, ...]:
        """Why it is recommended: its two strongest ratings against the mix, and the
        hindrances it addresses. Worded when asked for (a check run lists only ids)."""
        approach, mix = self.approach, self.mix
        parts = {
            key: mix.need(key) * value for key, value in zip(MIX_KEYS, self.values, strict=True)
        }
        shares = percents({key: mix.need(key) for key in MIX_KEYS[:3]})  # as the report shows
        reasons = [
            f"rated {approach.ratings[key]} for {LABELS[key]}, "
            + (
                f"which is {shares[key]}% of the mix"
                if key != "collaboration"
                else f"needed at {mix.need(key):.0%} intensity"
            )
            for key in sorted(parts, key=lambda k: -parts[k])[:2]
            if parts[key] > 0
        ]
        for hindrance in approach.mitigates:
            if self.risk_hindrances.get(hindrance):
                risks = ", ".join(self.risk_hindrances[hindrance])
                reasons.append(
                    f"addresses {HINDRANCE_LABELS[hindrance]} ({risks}; report Table 11)"
                )
        return tuple(reasons)


def support_mix(membership: Mapping[str, float], knowledge: Knowledge) -> SupportMix:
    blended = {
        key: sum(weight * getattr(knowledge.mix[p], key) for p, weight in membership.items())
        for key in MIX_KEYS
    }
    return SupportMix(**blended, blend=dict(membership))


def recommend(
    mix: SupportMix, risk_hindrances: Mapping[str, tuple[str, ...]], knowledge: Knowledge
) -> tuple[Recommendation, ...]:
    """The catalogue ranked by fit to the mix, plus a bonus for addressing a hindrance
    behind a fired risk (report Table 11); the top few, each with its reasons."""
    # Collaboration is an intensity on top of the three shares, so the need is normalised to 1.
    scale = 1 + mix.collaboration
    n0, n1, n2, n3 = (mix.need(key) / scale for key in MIX_KEYS)
    bonus = knowledge.ranking.risk_bonus
    fits = []
    table = knowledge.ranking_table
    hit = frozenset(h for h, risk_ids in risk_hindrances.items() if risk_ids)
    for approach_id, ((v0, v1, v2, v3), mitigates) in table.items():
        addressed = len(mitigates & hit)
        fits.append((-(n0 * v0 + n1 * v1 + n2 * v2 + n3 * v3 + bonus * addressed), approach_id))
    fits.sort()
    return tuple(
        Recommendation(
            knowledge.approaches[approach_id],
            -negative,
            mix,
            risk_hindrances,
            table[approach_id][0],
        )
        for negative, approach_id in fits[: knowledge.ranking.top]
    )
