"""Marshmallow schemas: the shape of the REST and GraphQL inputs and of the OpenAPI document.

Both doors load input through these schemas, then hand it to the same service,
which validates the meaning (known goal codes, dates in order) once more.
"""
from __future__ import annotations

from .initiatives import (  # noqa: F401
    OrganisationRefSchema,
    LocationSchema,
    PartnerInputSchema,
    InitiativeInputSchema,
    LocationOutSchema,
    PartnerOutSchema,
    SuggestedGoalRefSchema,
    FreshnessSchema,
    InitiativeSchema,
    InitiativePageSchema,
    HistoryEntrySchema,
    HistorySchema,
)
from .organisations import (  # noqa: F401
    OrganisationSchema,
    OrganisationPageSchema,
    OrganisationInputSchema,
    OrganisationMergeInputSchema,
    OrganisationUnmergeInputSchema,
    OrganisationMergeSchema,
    OrganisationMergeListSchema,
)
from .goals import (  # noqa: F401
    TargetSchema,
    GoalSchema,
    VisionSchema,
    VisionListSchema,
    VisionTargetInputSchema,
    VisionGoalInputSchema,
    VisionInputSchema,
    TagSchema,
    TagListSchema,
    CuratedTagSchema,
    TagMergeInputSchema,
    TagMergeSchema,
    TagMergeSuggestionListSchema,
    SynonymInputSchema,
    SuggestionInputSchema,
    SuggestedCodeSchema,
    SuggestedPlaceSchema,
    SuggestionsSchema,
)
from .overlaps import (  # noqa: F401
    OverlapComponentsSchema,
    OverlapSideSchema,
    OverlapSchema,
    OverlapListSchema,
    OverlapPageSchema,
    OverlapDecisionInputSchema,
    InboxItemSchema,
    OwnInitiativeSchema,
    InboxBundleSchema,
    InboxSchema,
    InboxReadInputSchema,
    MarkedSchema,
    OrganisationBriefSchema,
    AllySchema,
    ConvergenceGroupSchema,
    GroupListSchema,
    FragmentationCellSchema,
    GapSchema,
    FragmentationSchema,
    NetworkNodeSchema,
    NetworkEdgeSchema,
    NetworkSchema,
)
from .delivery import (  # noqa: F401
    ImportProblemSchema,
    ImportWarningSchema,
    ImportPeriodSchema,
    ImportReportSchema,
    WebhookInputSchema,
    DeliverySchema,
    DeliveryCountsSchema,
    WebhookSchema,
    WebhookCreatedSchema,
    WebhookListSchema,
    DigestInputSchema,
    DigestSubscriptionSchema,
)
from .errors import (  # noqa: F401
    ErrorDetailSchema,
    ErrorSchema,
    flatten_messages,
    load_or_raise,
)
