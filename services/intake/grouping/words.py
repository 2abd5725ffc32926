"""The vocabulary behind an item's terms: what is left out, which wordings mean the same thing, and
which endings make a place name. Extend it when real items show a wording it misses; the unit tests
hold the cases it must keep apart and together."""

# jieba part-of-speech tags that carry no topic: punctuation, particles, prepositions, conjunctions,
# pronouns, adverbs, numerals and measure words, directions, time words, modal words, interjections
SKIPPED_TAGS = frozenset(
    {
        "x",
        "w",
        "u",
        "uj",
        "ul",
        "uz",
        "ug",
        "uv",
        "ud",
        "p",
        "c",
        "r",
        "d",
        "zg",
        "m",
        "mq",
        "q",
        "f",
        "t",
        "y",
        "e",
        "o",
    }
)

STOP_WORDS = frozenset(
    """
    的 了 着 过 很 太 都 也 就 还 又 再 在 是 有 有个 有些 没 没有 没人 有人 不 被 把 让 给 和 与 及 或 等
    一 一下 一个 一些 一直 一到 一股 好几 好多 好久 好久没 很多 太多 那个 这个 这里 那里 个 里 上 下 前 后
    希望 请 请求 麻烦 尽快 赶紧 能不能 能否 可以 应该 需要 必须 要求 建议 反映 投诉 举报 申请 呼吁
    问题 情况 事情 现象 方面 部门 有关 相关 处理 解决 管理 管 管一管 管一 看看 重视 落实 推进
    严重 非常 特别 十分 比较 实在 真的 总是 经常 每天 天天 最近 现在 以前 以后 时候 时段 时 天 晚上 白天
    早上 中午 下午 上午 一到晚上 感觉 觉得 怀疑 发现 知道 容易 差点 只能 只好 全 满 大 小 多 少 好
    影响 危险 安全 隐患 安全隐患 不便 方便 不方便 困难 希望有关 谢谢 您好 你好 居民 群众 市民 老百姓
    门口 旁边 附近 周边 周围 边上 边 楼下 对面 这边 那边 中间 地方 位置 留下 导致 造成 出现 存在 进行
    人 能 不能 去 到 来 每天晚上 没法 没办法 很大 太大 一样 东西 家里 走
    """.split()
)
"""Words too common in complaints to tell one problem from another, or to be a hot word."""

CONCEPTS: dict[str, tuple[str, ...]] = {
    "坑洼": ("坑", "大坑", "深坑", "坑洼", "坑坑洼洼", "凹坑", "塌陷", "凹陷"),
    "摔倒": ("摔", "摔倒", "摔跤", "跌倒", "绊倒", "滑倒"),
    "骑车": ("骑", "骑车", "电动车", "电瓶车", "自行车", "非机动车"),
    "昏暗": ("不亮", "全黑", "黑漆漆", "漆黑", "黑乎乎", "看不清", "太暗", "昏暗"),
    "井盖": ("井盖", "窨井盖", "窨井", "下水道盖"),
    "缺失": ("丢", "丢了", "丢失", "不见", "缺失", "被盗", "被偷"),
    "垃圾": ("垃圾", "垃圾桶", "垃圾箱", "垃圾堆"),
    "清运": ("清运", "收", "清理", "堆积", "没人收"),
    "臭味": ("臭", "臭味", "发臭", "臭气熏天", "气味", "味道", "难闻", "异味"),
    "噪音": ("噪音", "噪声", "吵", "吵得", "扰民", "太响", "响", "声音", "音量", "音响"),
    "施工": ("施工", "工地", "建筑工地"),
    "夜间": ("夜间", "半夜", "深夜", "夜里"),
    "排污": ("排污", "直排", "偷排", "污水", "脏水", "排污口"),
    "停车": ("停车", "乱停", "停满", "乱停车", "乱停放"),
    "汽车": ("汽车", "私家车", "机动车"),
    "顶棚": ("顶棚", "雨棚", "棚"),
    "拥堵": ("堵车", "拥堵", "堵", "堵得", "水泄不通"),
    "老人": ("老人", "老年人", "老人家"),
    "上下楼": ("爬楼", "上下楼", "上楼", "下楼"),
    "损坏": ("坏", "坏了", "破", "破了", "破损", "损坏"),
    "菜场": ("菜场", "菜市场", "农贸市场"),
    "路口": ("路口", "交叉口", "十字路口"),
    "人行道": ("人行道", "人行横道"),
    "发黑": ("发黑", "变黑", "黑", "黑臭"),
    "水质": ("水质", "河水", "水"),
    "公交站": ("公交站", "公交站台", "站台", "公交车站", "车站"),
    "下雨": ("下雨", "下雨天", "雨天"),
    "漏雨": ("漏雨", "淋湿", "淋雨"),
    "占用": ("占用", "占", "被占", "占道", "侵占"),
    "行人": ("行人", "走路", "路人"),
    "上下学": ("上下学", "放学", "上学", "接送", "送"),
    "蚊蝇": ("蚊蝇", "苍蝇", "蚊子"),
    "广场舞": ("广场舞", "跳舞", "跳广场舞"),
    "老旧小区": ("老旧小区", "老小区"),
    "树木": ("树", "大树", "行道树", "一棵树", "树木", "树枝"),
    "倒伏": ("倒", "刮倒", "倒伏", "倒下", "吹倒"),
    "供水": ("停水", "断水", "没水", "供水", "自来水"),
    "犬只": ("狗", "遛狗", "犬", "宠物狗"),
    "牵绳": ("绳", "狗绳", "拴绳", "牵绳", "牵"),
}
"""Each concept with the wordings citizens use for it; terms are counted and compared as the concept."""

PLACE_ENDINGS = frozenset(
    {"路", "街", "巷", "弄", "南路", "北路", "东路", "西路", "中路", "大道", "大街", "街道", "小区", "新村"}
    | {"公园", "广场", "小学", "中学", "幼儿园", "社区", "村", "桥", "花园", "医院", "河", "江"}
)
"""A name followed by one of these is one place: 海昌 + 路 → 海昌路, 东山 + 小区 → 东山小区."""

PLACE_SPLITS = {"路口": ("路", "路口"), "路上": ("路", None), "路边": ("路", None), "河边": ("河", None)}
PLACE_SPLITS |= {"河里": ("河", None), "桥上": ("桥", None), "村里": ("村", None)}
"""A name followed by one of these words: the place ends in its first part (文苑 + 路口 → 文苑路, 路口)."""

NAME_TAGS = frozenset({"ns", "nr", "nrt", "nrfg", "nz", "nt", "n"})
"""Tags of a word that can start a place name (jieba tags unknown names as ns, nr, or plain n)."""
PLACE_TAG = "place"
