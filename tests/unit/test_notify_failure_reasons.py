"""A failure reason keeps what went wrong and loses any address or phone number it quotes."""

import pytest

from services.notify.delivery.record import without_contacts


@pytest.mark.parametrize(
    ("reason", "kept"),
    [
        ("550 5.1.1 <zhang.xiuying@haining.example.cn>: User unknown", "550 5.1.1 <***>: User unknown"),
        ("phone +8613857300123 is in the blacklist", "phone *** is in the blacklist"),
        ("号码 13857300123 无效", "号码 *** 无效"),
        ("办公电话 0573-87212503 占线", "办公电话 *** 占线"),
    ],
)
def test_contacts_are_replaced(reason, kept):
    assert without_contacts(reason) == kept


@pytest.mark.parametrize(
    "reason",
    [
        "短信未发送（provider status FailedOperation.PhoneNumberInBlacklist）",
        "行政区划 330481001 未配置群机器人（no robot for this division）",
        "接收方拒绝（the receiver answered 503）",
        "群机器人拒绝（errcode 130101）",
        "下次尝试 2026-11-23 10:00",
    ],
)
def test_everything_else_is_kept(reason):
    assert without_contacts(reason) == reason


def test_the_address_it_was_sent_to_is_replaced_whatever_its_shape():
    assert without_contacts("bad header 张秀英 <x>", "张秀英 <x>") == "bad header ***"
