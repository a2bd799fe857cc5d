"""What an update's report measures after training: the old labels and the new one, per domain.

Beside the report (:mod:`.report`), and above the plan it reads: the plan knows the dev texts
and the held-out share of the default corpus, which is where an update is judged.
"""

from __future__ import annotations

from spacy.language import Language

from ..evaluation.domains import DomainReport, DomainSample, measure_domains
from .default_rehearsal import DefaultRehearsal
from .plan import TrainingPlan


def measure_update(nlp: Language, plan: TrainingPlan) -> DomainReport | None:
    """The update report's domains: the user's dev texts and each held-out default-corpus domain.

    None for a new model, or an update without old labels to keep.
    """
    update, ner = plan.update_data, plan.ner
    if update is None or not ner.old_labels:
        return None
    samples = [DomainSample("dev", ner.dev_base_tasks, foreign=False, gold=plan.dev_tasks)]
    by_domain = DefaultRehearsal((), update.held_out, 0).held_out_by_domain()
    samples += [DomainSample(name, tasks, foreign=True) for name, tasks in by_domain.items()]
    return measure_domains(nlp, samples, old_labels=ner.old_labels, new_labels=ner.new_labels)
