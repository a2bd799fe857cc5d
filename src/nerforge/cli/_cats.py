"""Printing text-category scores: one table per class, the averages, and a confusion table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._common import msg

if TYPE_CHECKING:
    from ..evaluation.textcat import TextcatScores


def show_cats(cats: TextcatScores, title: str) -> None:
    """Per class P/R/F (and ROC AUC), macro and micro F, and for exclusive classes the confusions."""
    rows = [
        (
            label,
            f"{100 * prf.precision:.1f}",
            f"{100 * prf.recall:.1f}",
            f"{100 * prf.f:.1f}",
            f"{cats.auc[label]:.3f}" if label in cats.auc else "-",
            prf.tp + prf.fn,
        )
        for label, prf in sorted(cats.per_class.items())
    ]
    msg.table(
        rows,
        header=("class", "P", "R", "F", "ROC AUC", "gold"),
        divider=True,
        aligns=("l", "r", "r", "r", "r", "r"),
    )
    kind = "exclusive" if cats.exclusive else "multi-label"
    msg.text(
        f"{title} ({kind}, {cats.n_tasks} texts): macro F {100 * cats.macro_f:.1f}, "
        f"micro F {100 * cats.micro_f:.1f}, macro ROC AUC {cats.macro_auc:.3f}"
    )
    if cats.exclusive and cats.confusion:
        _show_confusion(cats.confusion)


def _show_confusion(confusion: dict[str, dict[str, int]]) -> None:
    """Rows: the gold class; columns: the predicted one."""
    predicted = sorted({label for row in confusion.values() for label in row} | set(confusion))
    rows = [(gold, *(row.get(label, 0) for label in predicted)) for gold, row in sorted(confusion.items())]
    msg.table(rows, header=("gold \\ predicted", *predicted), divider=True)
