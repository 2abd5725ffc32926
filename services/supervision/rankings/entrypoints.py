"""红黑榜 RPCs, mixed into SupervisionService; the list is read from statistics' unit counters."""

from contracts.errors import ErrorCode, ServiceError, parse
from contracts.supervision.statistics import PERIOD, RankingRulesIn
from infra.nameko_entrypoints import rpc
from services.supervision.rankings import handlers


class RankingEntrypoints:
    @rpc
    def rankings(self, division: str, period: str) -> dict:
        if not PERIOD.match(period):
            raise ServiceError(ErrorCode.INVALID, "期间格式应为 YYYY、YYYY-Qn 或 YYYY-MM (period)", "period")
        return handlers.rankings(self.stats, division, period).model_dump(mode="json", by_alias=True)

    @rpc
    def ranking_rules(self, division: str) -> dict:
        return handlers.rules_for(self.stats, division).model_dump(mode="json")

    @rpc
    def set_ranking_rules(self, division: str, rules: dict) -> dict:
        return handlers.set_rules(self.stats, division, parse(RankingRulesIn, rules)).model_dump(mode="json")
