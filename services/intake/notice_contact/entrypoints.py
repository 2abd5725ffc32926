"""`intake.contact_for_notice`: notify asks for the citizen's phone right before an SMS about their item.

The contact stays encrypted in intake; notify keeps it only for the send, and gets nothing once the
citizen erased it (PIPL 删除权) or gave none.
"""

from infra.nameko_entrypoints import rpc


class NoticeContactEntrypoints:
    @rpc
    def contact_for_notice(self, tracking_code: str) -> dict | None:
        opinion = self.store.opinions.get(tracking_code)
        if opinion is None or opinion.contact is None or opinion.contact_erased:
            return None
        phone = self.cipher.open(opinion.contact).get("phone")
        return {"phone": phone} if phone else None
