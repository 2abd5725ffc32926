"""What the gateway holds for its lifetime: settings, its stores, the broker, the PII cipher."""

import logging

from contracts.intake.opinions import SubmitOpinion
from gateway.api_keys import ApiKeyStore
from gateway.broker import Broker
from gateway.clients import IntakeClient, LegislationClient, NotifyClient, PhotoFiles, RoutingClient, SupervisionClient
from gateway.db import GatewayDatabase
from gateway.idempotency import IdempotencyStore
from gateway.rate_limit import RateLimiter, parse_limit
from gateway.references import References
from gateway.sessions import SessionStore
from gateway.staff_users import StaffUserStore
from gateway.stores import DivisionStore
from infra.pii import PiiCipher
from infra.settings import Settings

log = logging.getLogger(__name__)

COMMANDS = [SubmitOpinion.TYPE]


class Platform:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.db = GatewayDatabase(settings.mongo_url, settings.data_dir)
        self.api_keys = ApiKeyStore(self.db.collection("api_keys"), settings.api_key_pepper)
        self.divisions = DivisionStore(self.db.collection("divisions"))
        self.idempotency = IdempotencyStore(self.db.collection("idempotency"))
        self.staff_users = StaffUserStore(self.db.collection("staff_users"), self.db.collection("signin_failures"))
        self.sessions = SessionStore(self.db.collection("sessions"))
        self.broker = Broker(settings.amqp_uri, settings.rpc_timeout_seconds)
        self.intake = IntakeClient(self.broker)
        self.references = References(self.intake)
        self.photo_files = PhotoFiles(settings.intake_http_url)
        self.routing = RoutingClient(self.broker)
        self.supervision = SupervisionClient(self.broker)
        self.notify = NotifyClient(self.broker)
        self.legislation = LegislationClient(self.broker)
        self.cipher = PiiCipher(settings.pii_keys)
        limit = parse_limit(settings.public_rate_limit)
        self.public_limiter = RateLimiter(*limit) if limit else None

    async def start(self) -> None:
        await self.api_keys.ensure_indexes()
        await self.idempotency.ensure_indexes()
        await self.sessions.ensure_indexes()
        await self.staff_users.ensure_indexes()
        await self.broker.start(COMMANDS)
        if self.settings.admin_api_key:
            await self.api_keys.bootstrap(self.settings.admin_api_key)
        else:
            log.warning("ADMIN_API_KEY 未设置：没有管理员密钥 / ADMIN_API_KEY is not set: no admin key exists")

    async def close(self) -> None:
        await self.photo_files.close()
        await self.broker.close()
        await self.db.close()
