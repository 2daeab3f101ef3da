"""Every table of the observatory, imported so that Alembic and the metadata see them all."""

from fne_observatory.committees.models import CommitteeAction, CommitteeDecision, CommitteeParticipant
from fne_observatory.imports.models import DatasetImport, Observation
from fne_observatory.indicators.models import Indicator, IndicatorObjective, PublishedValue
from fne_observatory.jobs.models import ComputationJob
from fne_observatory.roadmap.models import (
    Axis,
    Meeting,
    Milestone,
    Objective,
    ObjectiveStatusChange,
    RoadmapIndicator,
    RoadmapValue,
)
from fne_observatory.territories.models import (
    CommuneAlias,
    GroupingMember,
    Territory,
    TerritoryDataset,
    TerritoryGeometry,
)

__all__ = [
    "Axis",
    "CommitteeAction",
    "CommitteeDecision",
    "CommitteeParticipant",
    "CommuneAlias",
    "ComputationJob",
    "DatasetImport",
    "GroupingMember",
    "Indicator",
    "IndicatorObjective",
    "Meeting",
    "Milestone",
    "Objective",
    "ObjectiveStatusChange",
    "Observation",
    "PublishedValue",
    "RoadmapIndicator",
    "RoadmapValue",
    "Territory",
    "TerritoryDataset",
    "TerritoryGeometry",
]
