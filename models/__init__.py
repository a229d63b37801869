"""Validated data models of stagematch (pydantic only; no solver code here)."""

from models.input_report import InputFile, InputReport, InputWarning
from models.instance import (
    DEFAULT_PERIOD,
    Company,
    Decision,
    DecisionKind,
    Equivalence,
    Instance,
    Pathway,
    Period,
    PreviousPlacement,
    ReferenceProblem,
    Student,
    Supervisor,
    TravelMode,
    TravelTime,
    Vacancy,
    cross_reference_problems,
    default_supervisor_id,
    input_hash,
)
from models.policy import Costs, ExtraGuidanceRule, KeepPrevious, Policy, Travel, Weights

__all__ = [
    "DEFAULT_PERIOD", "Company", "Costs", "Decision", "DecisionKind", "Equivalence", "ExtraGuidanceRule", "InputFile",
    "InputReport", "InputWarning", "Instance", "KeepPrevious",
    "Pathway", "Period", "Policy", "PreviousPlacement", "ReferenceProblem", "Student", "Supervisor", "Travel",
    "TravelMode", "TravelTime", "Vacancy", "Weights", "cross_reference_problems", "default_supervisor_id", "input_hash",
]
