"""Who may do what in the surveys service (the README's "who reads what" says it for people).

`surveys:write` fills questionnaires (mediators, coordinators, partner platforms); a mediator or a partner key
reads and changes only the responses it collected, coordinators and administrators all of them.
`surveys:read` reads the protected aggregates; a campaign's results are for the coordinator who created it and
administrators. Raw responses, row by row, need `surveys:export` (administrators, coordinators for their own
campaigns, keys an administrator granted it) and each export is journaled. Writing questionnaires and
campaigns, and answering a person's erasure request, also needs `surveys:write` but is refused to mediator
accounts; a person's access export is for coordinator and administrator accounts only, never for a key.
"""

from typing import TYPE_CHECKING, Annotated

from fastapi import Depends

from fne_kernel.access import Access, require_scopes
from fne_kernel.errors import Forbidden, NotFound
from fne_kernel.identity import Principal, Role, Scope

if TYPE_CHECKING:
    from fne_surveys.campaigns.models import Campaign
    from fne_surveys.responses.models import Response

_writer = require_scopes(Scope.SURVEYS_WRITE)
COORDINATING_ROLES = frozenset({Role.ADMIN.value, Role.COORDINATOR.value})


def coordinates(principal: Principal) -> bool:
    return principal.kind == "user" and principal.role in COORDINATING_ROLES


async def coordinator(principal: Annotated[Principal, Depends(_writer)]) -> Principal:
    if principal.kind == "user" and principal.role not in COORDINATING_ROLES:
        raise Forbidden(
            "Réservé aux coordinateurs et administrateurs", required_roles=sorted(COORDINATING_ROLES)
        )
    return principal


_writing_person = Access(Scope.SURVEYS_WRITE, kinds=("user",))  # declared as such in OpenAPI (x-fne-access)


async def coordinating_person(principal: Annotated[Principal, Depends(_writing_person)]) -> Principal:
    if not coordinates(principal):
        raise Forbidden(
            "Réservé aux comptes de coordinateurs et d'administrateurs (pas aux clés d'API)",
            required_roles=sorted(COORDINATING_ROLES),
        )
    return principal


def may_touch_response(principal: Principal, response: "Response") -> None:
    """A response is read or changed by whoever collected it, or by a coordinator: to anyone else it does not
    exist (404, so that its identifier tells nothing)."""
    if not coordinates(principal) and response.administered_by != principal.subject:
        raise NotFound("Réponse introuvable")


def own_responses_only(principal: Principal) -> str | None:
    """The account whose responses a listing is limited to (None: every response)."""
    return None if coordinates(principal) else principal.subject


def may_read_results(principal: Principal, campaign: "Campaign") -> None:
    if principal.kind == "user" and (
        principal.role == Role.ADMIN.value
        or (principal.role == Role.COORDINATOR.value and campaign.created_by == principal.subject)
    ):
        return
    raise Forbidden(
        "Les résultats d'une campagne sont pour le coordinateur qui l'a créée et les administrateurs ; "
        "les agrégats protégés (/agregats) sont ouverts aux lecteurs"
    )


def may_export(principal: Principal, campaign: "Campaign | None") -> None:
    """Coordinators export their own campaigns only; administrators and keys granted surveys:export, any."""
    if (
        principal.kind == "user"
        and principal.role == Role.COORDINATOR.value
        and (campaign is None or campaign.created_by != principal.subject)
    ):
        raise Forbidden(
            "Un coordinateur exporte les réponses des campagnes qu'il a créées : précisez campagne"
        )


Reader = Annotated[Principal, Depends(require_scopes(Scope.SURVEYS_READ))]
Filler = Annotated[Principal, Depends(_writer)]
Coordinator = Annotated[Principal, Depends(coordinator)]
CoordinatingPerson = Annotated[Principal, Depends(coordinating_person)]
Exporter = Annotated[Principal, Depends(require_scopes(Scope.SURVEYS_EXPORT))]
Administrator = Annotated[Principal, Depends(require_scopes(Scope.USERS_MANAGE))]
