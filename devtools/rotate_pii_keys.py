"""Re-encrypts every stored contact under the newest personal-data key: `make rotate-pii-keys`.

Rotation: put the new key first in PII_KEYS (keep the old ones after it), restart the services
and the gateway so new records use it, then run this. It asks the running intake service, over
the broker, to re-seal a batch at a time until nothing is left under an older key; only then may
the old keys be removed from PII_KEYS.
"""

import asyncio
import sys

from gateway.broker import Broker
from gateway.clients import IntakeClient
from infra.settings import get_settings

BATCH = 200


async def rotate() -> int:
    settings = get_settings()
    broker = Broker(settings.amqp_uri, settings.rpc_timeout_seconds)
    await broker.start([])
    try:
        intake, total = IntakeClient(broker), 0
        while True:
            report = await intake.reencrypt_contacts(BATCH)
            total += report.reencrypted
            print(f"已重新加密 {total} 条，剩余 {report.remaining} 条 (key {report.active_key})", flush=True)
            if report.remaining == 0:
                return total
            if report.reencrypted == 0:
                print("没有进展：请确认各服务已使用新的 PII_KEYS 重启 (no progress: restart with the new PII_KEYS)")
                sys.exit(1)
    finally:
        await broker.close()


if __name__ == "__main__":
    asyncio.run(rotate())
