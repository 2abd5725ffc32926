"""The demo set's comments on the open draft (三江侗族自治县乡村旅游促进条例): citizens' online ones, a
bilingual 鼓楼议事 and a 座谈会 recorded by 三江's point, its review (a duplicate merged, an off-topic
one rejected), a 座谈会 at 从江 under the task 三江 forwarded (it flows back: 三江 reviews and submits it
with its own), the batch it submitted, and the office's first adoption decisions."""

import httpx

POINT = "sanjiang"
ONLINE = [
    {"articles": [11], "stance": "support", "text": "支持民宿十四间以下走简易程序，村里老房子改民宿手续太复杂了。"},
    {
        "articles": [11],
        "stance": "amend",
        "text": "建议第十一条写明简易程序的办理时限，比如十个工作日内办结。",
        "contact": {"name": "杨秀英", "phone": "13978123456"},
    },
    {"articles": [13, 16], "stance": "amend", "text": "侗族大歌进景区表演要有报酬标准，不能让歌队白唱。"},
    {"articles": [9], "stance": "question", "text": "老木楼漏雨需要翻修，算不算第九条说的擅自改建？"},
    {
        "articles": [],
        "stance": "support",
        "text": "希望条例早日出台，让更多年轻人回乡发展旅游。",
        "contact": {"name": "吴建华", "phone": "13607721888"},
    },
]
DRUM_TOWER = {
    "channel": "drum_tower",
    "meeting": {"place": "林溪镇程阳八寨马鞍寨鼓楼", "participants": 23},
    "articles": [16],
    "stance": "amend",
    "language": "kmc",
    "text": "Al kgal lagx nyenc, kgal nyenc bail weex xangh, eis lis jenc.",
    "translation": "侗族大歌要从娃娃教起，传承人带徒弟应当有补贴。",
}
SYMPOSIUM = {
    "channel": "symposium",
    "meeting": {"place": "古宜镇人民政府会议室", "participants": 15},
    "articles": [12],
    "stance": "amend",
    "text": "座谈会上民宿业主提出，第十二条明码标价应当包括旺季价格的公示期限。",
}

PARTNER = {
    "point_id": "congjiang",
    "channel": "symposium",
    "meeting": {"place": "从江县小黄村侗族大歌传习所", "participants": 18},
    "articles": [16],
    "stance": "amend",
    "text": "三江和从江的侗族大歌歌队常常一起演出，建议扶持措施对跨省协作的歌队同样适用。",
}


def load_comments(client: httpx.Client, draft_id: str, today: str) -> None:
    """With an administrator's client, as the point's staff and the office would act."""
    comments = f"/v1/legislation/drafts/{draft_id}/comments"
    online = [client.post(f"/v1/public/drafts/{draft_id}/comments", json={**c, "point_id": POINT}) for c in ONLINE]
    for answer in online:
        answer.raise_for_status()
    meetings = []
    for record in (DRUM_TOWER, SYMPOSIUM):
        body = {**record, "point_id": POINT, "meeting": {**record["meeting"], "held_on": today}}
        answer = client.post(comments, json=body)
        answer.raise_for_status()
        meetings.append(answer.json()["comment_id"])
    partner = {**PARTNER, "task_id": f"{draft_id}-congjiang", "meeting": {**PARTNER["meeting"], "held_on": today}}
    heard = client.post(comments, json=partner)
    heard.raise_for_status()
    client.post(f"/v1/legislation/comments/{heard.json()['comment_id']}/accept").raise_for_status()
    duplicate = client.post(f"/v1/public/drafts/{draft_id}/comments", json={**ONLINE[0], "point_id": POINT})
    off_topic = client.post(
        f"/v1/public/drafts/{draft_id}/comments",
        json={"text": "我们村的路灯坏了好久了。", "point_id": POINT},
    )
    kept = [answer.json()["comment_id"] for answer in online] + meetings
    for comment_id in kept:
        client.post(f"/v1/legislation/comments/{comment_id}/accept").raise_for_status()
    edited = {"text": "建议第十一条规定简易程序在十个工作日内办结。"}
    client.post(f"/v1/legislation/comments/{kept[1]}/edit", json=edited).raise_for_status()
    merge = {"into": kept[0]}
    client.post(f"/v1/legislation/comments/{duplicate.json()['comment_id']}/merge", json=merge).raise_for_status()
    reason = {"reason": "与草案无关，已转民情平台办理"}
    client.post(f"/v1/legislation/comments/{off_topic.json()['comment_id']}/reject", json=reason).raise_for_status()
    batch = {"point_id": POINT, "note": "三江县第一批意见（含鼓楼议事双语记录）"}
    client.post(f"/v1/legislation/drafts/{draft_id}/submissions", json=batch).raise_for_status()
    decisions = [
        (kept[1], "adopted", "第十一条已增加简易程序十个工作日内办结的规定"),
        (meetings[0], "partly_adopted", "第十六条已增加对代表性传承人带徒传艺的补贴，具体标准由自治县规定"),
        (kept[3], "not_adopted", "正常修缮不属于改建，将在释义中说明"),
    ]
    for comment_id, decision, why in decisions:
        answer = client.post(
            f"/v1/legislation/comments/{comment_id}/adoption", json={"decision": decision, "reason": why}
        )
        answer.raise_for_status()
