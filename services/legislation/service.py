"""legislation: drafts, consultation tasks and comments (基层立法联系点).

Only the process and its readiness ping exist so far; the consultation capability is its own issue.
"""

from infra.nameko_service import PlatformService


class LegislationService(PlatformService):
    name = "legislation"
