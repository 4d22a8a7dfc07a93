"""Figures typed by their place in the results chain (input → output → outcome), and kept apart from plans.

Every figure takes its indicator's default place; reporter and partner figures describe a body, not the
assistance, and are context by construction. A figure may override its indicator's place with a reason.
A target is never a result, whatever its place.
"""

from __future__ import annotations

from collections.abc import Iterator

from .errors import Problem
from .load import Document, Loc
from .schema import Case, Figure
from .vocabulary import Vocabulary

CONTEXT = "context"


def placed_figures(case: Case) -> Iterator[tuple[Loc, Figure, bool]]:
    """(location, figure, whether it is context by construction) of every figure of a record."""
    for i, figure in enumerate(case.figures):
        yield ("figures", i), figure, False
    for i, figure in enumerate(case.reporter.figures):
        yield ("reporter", "figures", i), figure, True
    for p, partner in enumerate(case.partners):
        for i, figure in enumerate(partner.figures):
            yield ("partners", p, "figures", i), figure, True
    for m, measure in enumerate(case.measures):
        for i, figure in enumerate(measure.figures):
            yield ("measures", m, "figures", i), figure, False


def default_chain(figure: Figure, vocabulary: Vocabulary, context: bool) -> str:
    """Where a figure sits in the results chain unless it says otherwise."""
    return CONTEXT if context else vocabulary.indicators[figure.indicator].chain


def effective_chain(figure: Figure, vocabulary: Vocabulary, context: bool) -> str:
    """Where a figure sits in the results chain: its own chain, or its default."""
    return figure.chain or default_chain(figure, vocabulary, context)


def is_planned(figure: Figure, measure_status: str = "done") -> bool:
    """A plan or target, never a result: a target figure, or any figure of a planned measure."""
    return figure.target or measure_status == "planned"


def chain_problems(doc: Document, case: Case, vocabulary: Vocabulary) -> list[Problem]:
    """Reporter and partner figures placed outside context; overrides without a reason; reasons without one."""
    problems = []
    for loc, figure, context in placed_figures(case):
        default = default_chain(figure, vocabulary, context)
        if context and figure.chain not in (None, CONTEXT):
            problems.append(doc.problem((*loc, "chain"), f"a figure of the {loc[0].rstrip('s')} is context, "
                                        f"not {figure.chain}",
                                        "it describes the body, not the assistance: remove chain, or move the figure "
                                        "to the measure it came from"))
        elif figure.chain not in (None, default) and figure.chain_note is None:
            problems.append(doc.problem((*loc, "chain"), f"chain {figure.chain} differs from indicator "
                                        f"'{figure.indicator}', which is {default}, without a chain_note",
                                        "add chain_note: {zh: …, en: …} saying why, or remove chain"))
        elif figure.chain in (None, default) and figure.chain_note is not None:
            problems.append(doc.problem((*loc, "chain_note"), f"chain_note explains no override: the figure is "
                                        f"{default}, its default",
                                        "remove chain_note, or give the chain it argues for"))
    return problems
