"""Chinese text as words: one segmentation for search, suggestions and classification.

Words come from jieba's dictionary (through rjieba, its Rust port); punctuation, spaces and
symbols are dropped in Python because PostgreSQL's C locale would index full-width
punctuation as parts of words. Latin words are lower-cased.

Search indexes finely and queries coarsely: a document's words are jieba's search-mode cut,
which also emits the parts of a compound (医疗保险 gives 医疗, 保险 and 医疗保险), and a query's
words are the ordinary cut. Each indexed word is placed at the position of its first
character, so words that follow each other in the text are as far apart as the first one is
long, whatever the overlapping parts of compounds around them (``phrase``).
"""

import re
import unicodedata
from collections.abc import Iterable

import rjieba

from .matching import normalise

# A token is kept when it has at least one letter or digit of any script.
_WORDLIKE = re.compile(r"\w", re.UNICODE)
# PostgreSQL keeps positions 1–16383 and refuses lexemes of 2 KB; nobody searches for a
# word of more than 50 characters, and 64 places of a word say enough for ranking.
MAX_POSITION = 16383
MAX_WORD_LENGTH = 50
MAX_PLACES = 64
# Title and body are indexed as one text with this gap between them, so that no phrase runs
# from the end of one into the start of the other.
PART_GAP = 100


def _is_word(token: str) -> bool:
    return bool(_WORDLIKE.search(token)) and not token.isspace() and token != "_"


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def words(text: str) -> list[str]:
    """The words of ``text`` in order, without punctuation or spaces."""
    return [token.lower() for token in rjieba.cut(_normal(text)) if _is_word(token)]


_HAN = re.compile(r"[\u3400-\u9fff]")


def _pieces(token: str) -> list[str]:
    """A word jieba guessed (not in its dictionary, such as 打九价 or 考公) cut by the
    dictionary alone, mostly into characters; [] for a dictionary word."""
    if len(token) < 2 or not _HAN.search(token) or rjieba.has_word(token):
        return []
    pieces = rjieba.cut(token, hmm=False)
    return pieces if len(pieces) > 1 else []


def search_words(text: str) -> list[tuple[str, int]]:
    """The words of ``text`` by the search-mode cut, each with the 1-based position of its
    first character: the compounds and their parts, and the pieces of guessed words (so
    that 九价 finds 打九价)."""
    found = []
    for token, start, _end in rjieba.tokenize(_normal(text), mode="search"):
        if not _is_word(token) or len(token) > MAX_WORD_LENGTH:
            continue
        found.append((token.lower(), start + 1))
        at = start
        for piece in _pieces(token):
            if _is_word(piece):
                found.append((piece.lower(), at + 1))
            at += len(piece)
    return found


def lexeme(word: str) -> str:
    """``word`` quoted for PostgreSQL's tsvector and tsquery input."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def as_tsvector(parts: Iterable[tuple[str, str]], *, characters_of: int | None = None) -> str:
    """The tsvector, as text, of the (text, weight) ``parts`` in order: every word of the
    search-mode cut at its character's position, weighted by its part (A–D). With
    ``characters_of``, each letter or character of that part (by its index) is also a word
    of its own, weighted D: what the similarity service finds paraphrases by when they share
    no word (驾照 and 驾驶证)."""
    places: dict[str, list[str]] = {}
    offset = 0
    for index, (text, weight) in enumerate(parts):
        text = text or ""
        found = [(word, position, weight) for word, position in search_words(text)]
        if index == characters_of:
            found += [
                (char, i + 1, "D")
                for i, char in enumerate(normalise(text))
                if _is_word(char) and not char.isdigit()
            ]
        for word, position, mark in found:
            at = places.setdefault(word, [])
            place = f"{min(offset + position, MAX_POSITION)}{mark}"
            if len(at) < MAX_PLACES and place[:-1] not in {p[:-1] for p in at}:
                at.append(place)
        offset += len(_normal(text)) + PART_GAP
    return " ".join(f"{lexeme(word)}:{','.join(at)}" for word, at in places.items())


# The central office's first list of words said one way and written another (口语 and 书面语):
# each line is one group. The list in force is kept, versioned, by ``franchise.synonyms``.
SEED_SYNONYMS = """
考公 公务员 公务员考试
考编 事业编 事业编制 事业单位考试 考事业编
不过 没过
挂科 不及格
考研 研究生考试 研究生入学考试 考研究生
二战 二次考研 第二次考研 考研二战
三战 第三次考研 考研三战
上岸 考上 成功上岸
保研 推免 推荐免试 免试推荐 保送研究生
专升本 专科升本科 专接本 专转本
四六级 英语四六级 大学英语四六级 cet
四级 英语四级 cet4
六级 英语六级 cet6
教资 教师资格证 教师资格考试 教资考试 教师证
国考 国家公务员考试
省考 省公务员考试 省级公务员考试
行测 行政职业能力测验 行政能力测验
选调生 定向选调
特岗教师 特岗 特岗计划
三支一扶 三支一扶计划
大学生村官 村官
教师编 教师编制 考教编
考博 考博士 申博
读研 读研究生
研究生 研究僧 硕士生
高考 普通高考
中考 中招考试 初中学业水平考试
复读 高复 高四
志愿填报 填志愿 报志愿 填报志愿
成人高考 成考
自考 自学考试 高等教育自学考试
单招 单独招生 高职单招
强基计划 强基
绩点 gpa 平均学分绩点
补考 重考
重修 重新修读
辍学 退学
厌学 不想上学 不想读书
转专业 换专业
第二学位 双学位 二学位
毕业论文 毕设 毕业设计
查重 论文查重 查重率 重复率
开题 开题报告
答辩 论文答辩 毕业答辩
导师 研究生导师
硕导 硕士生导师
博导 博士生导师
国奖 国家奖学金
国励 国家励志奖学金
国助 国家助学金
助学贷款 国家助学贷款 学贷 助贷
生源地贷款 生源地信用助学贷款 生源地助学贷款
贫困生 困难生 家庭经济困难学生
学历认证 学历验证 学信网认证
学信网 学信 chsi
学位证 学位证书
毕业证 毕业证书
留学 出国留学 出国读书
雅思 ielts
托福 toefl
网课 网上课程 线上课 线上课程 在线课程 网络课程
期末考试 期末考
考研分数线 国家线 考研国家线
复试 考研复试 研究生复试
考证 考证书
普通话考试 普通话测试 普测
计算机二级 计算机等级考试 计二
大专 专科 高职
中专 中职 职高 中等职业学校
老师 教师
辅导员 导员
班主任 班导
室友 舍友
宿舍 寝室
补习班 辅导班 补课班 培训班
ddl deadline 截止日期 截止时间
找工作 求职 找活 谋职
工资 薪水 薪资 薪酬 工钱 薪金
offer 录用通知 录用通知书 入职通知
hr 人事 人力资源 人事部门
码农 程序员 程序猿
大厂 互联网公司 互联网大厂
996 加班 超时加班 加班加点
辞职 离职 辞工 裸辞 主动离职
被炒 被炒鱿鱼 炒鱿鱼 被开除 开除 被辞退 辞退 被解雇 解雇 被裁 被裁员 裁员
老板 雇主 用人单位 用工单位
打工人 社畜 上班族 职场人
零工 打零工 散工
秋招 秋季招聘 秋季校招
春招 春季招聘 春季校招
校招 校园招聘
社招 社会招聘
招聘会 双选会 人才市场 双向选择会
简历 履历 个人简历 cv
群面 无领导小组讨论 小组面试
三方协议 就业协议 就业协议书 就业三方协议
应届生 应届毕业生
失业 待业 没工作 无业
跳槽 换工作
转行 改行 换行业
职业规划 职业生涯规划 生涯规划
内推 内部推荐
离职证明 离职证
晋升 升职 升迁
期望薪资 期望工资 薪资要求 期望待遇
背调 背景调查
竞业限制 竞业协议 竞业禁止
劳务派遣 派遣工
外卖员 外卖小哥 骑手 送外卖
快递员 快递小哥
退役军人 退伍军人 退伍兵
创业 自主创业
创业担保贷款 创业贷款 创业贷
个体工商户 个体户
注册公司 开公司 成立公司 公司注册
摆摊 摆地摊
直播带货 带货 直播卖货
返乡创业 回乡创业
进厂 进工厂 进厂打工
技能培训 职业技能培训 职业培训
职业技能证书 职业资格证书 技能证书
就业见习 见习岗位
kpi 绩效指标
摸鱼 划水
欠薪 拖欠工资 拖工资 欠工资 工资拖欠 不发工资 拖欠薪资
讨薪 讨要工资 要工资 追讨工资
克扣工资 扣工资 乱扣工资
劳动仲裁 仲裁 劳动争议仲裁
法律援助 法援
劳动合同 用工合同 工作合同
经济补偿 经济补偿金 离职补偿 遣散费 辞退补偿
加班费 加班工资
不交社保 不缴社保 没交社保 不给交社保 不买社保 没买社保
交社保 缴社保 买社保 缴纳社保
工伤 工伤事故 上班受伤 工作受伤
工伤认定 认定工伤
诈骗 被骗 受骗 上当受骗 被诈骗 骗局 骗子
电信诈骗 电诈 电信网络诈骗
刷单 刷单诈骗 刷单返利
杀猪盘 婚恋诈骗 网恋诈骗
传销 拉人头
校园贷 校园网贷
网贷 网络贷款 网上贷款 网络借贷
暴力催收 催收 恶意催收
个人信息泄露 信息泄露 隐私泄露
冒用身份 身份被冒用 身份盗用 被冒用身份
消费维权 消费者权益 消费者权益保护
消协 消费者协会
退款 退钱 退费
假货 假冒伪劣 山寨货 冒牌货
预付卡 储值卡 预付费卡
跑路 卷款跑路 卷钱跑路
家暴 家庭暴力
性骚扰 咸猪手
校园霸凌 校园欺凌 霸凌 欺凌 被霸凌 被欺凌 被欺负
网暴 网络暴力
人肉搜索 人肉 开盒
就业歧视 招聘歧视 求职歧视
起诉 打官司 诉讼 告上法庭
报警 报案 打110
抄袭 剽窃
押金不退 不退押金 扣押金
租金贷 租房贷
未成年人保护 未成年保护 未成年人保护法 未保法
维权 维护权益
打游戏 玩游戏 游戏
emo 情绪低落 心情低落 心情不好 心情差 情绪差 不开心
内耗 精神内耗 自我内耗
焦虑症 焦虑障碍
抑郁症 抑郁障碍
双相 双相情感障碍 双相障碍 躁郁症
失眠 睡不着 睡不着觉 入睡困难 睡眠不好
崩溃 崩溃了 心态崩了 破防 绷不住 心态爆炸
心累 身心疲惫 身心俱疲
压力大 压力山大 压力很大
自卑 不自信
孤独 孤单 寂寞
迷茫 迷惘 没方向 没有方向
社恐 社交恐惧 社交恐惧症 社交焦虑
强迫症 强迫障碍 ocd
惊恐发作 惊恐障碍 惊恐症
心理咨询 心理辅导 心理疏导
心理医生 心理咨询师 心理老师
精神科 精神卫生科 心理科
心理热线 心理援助热线 心理咨询热线 心理危机干预热线
自残 自伤 伤害自己
轻生 自杀 不想活 不想活了 想死 活着没意思 活着没意义
拖延症 拖延 爱拖延
讨好型人格 讨好型
心理阴影 心理创伤 童年阴影
职业倦怠 工作倦怠
躺平 摆烂
胡思乱想 想太多 想得太多 瞎想
想不开 钻牛角尖
疑病 疑病症
容貌焦虑 外貌焦虑 颜值焦虑
产后抑郁 产后抑郁症
心理测评 心理测试 心理测验
自我否定 否定自己
敏感多疑 多疑 疑心重
pua 精神控制 精神操控 情感操控
内卷 内卷化
网瘾 网络成瘾 上网成瘾 沉迷网络
游戏成瘾 沉迷游戏 游戏上瘾
手机成瘾 沉迷手机 手机上瘾 手机依赖
叛逆 叛逆期 青春期叛逆
考试焦虑 考前焦虑 考试紧张
情绪失控 控制不住情绪
脾气暴躁 脾气大 易怒 爱发脾气
父母 爸妈 爸爸妈妈 爹妈
mbti 16型人格 十六型人格
放不下 放下
分手 失恋 被分手 被甩
对象 男朋友 女朋友 男友 女友 男票 女票 npy 另一半
老公 丈夫
老婆 妻子 媳妇
配偶 爱人
恋爱 谈恋爱 处对象 谈朋友
复合 挽回 求复合
前任 前男友 前女友 ex
异地恋 异地恋爱
网恋 网上恋爱 网络恋爱
奔现 网友见面 见网友
相亲 介绍对象
联谊 联谊会 联谊活动 交友活动
脱单 找对象 找女朋友 找男朋友
单身 单身狗 母胎单身 光棍
表白 告白
暗恋 单恋 单相思
催婚 被催婚 逼婚
彩礼 聘礼 彩礼钱
结婚 成家
领证 结婚登记 领结婚证 登记结婚 扯证
婚检 婚前检查 婚前体检
离婚 离异
离婚冷静期 冷静期
二婚 再婚
婆媳 婆媳关系 婆媳矛盾
见家长 见父母
冷暴力 冷战
出轨 劈腿 外遇 婚外情
三观不合 三观不一致
剩女 大龄剩女
备胎 工具人
闺蜜 闺密
吵架 闹矛盾 拌嘴
医保 医疗保险
心慌 心悸 心跳 心跳加速 心跳过快
体检 身体检查 健康检查
hpv 人乳头瘤病毒
hpv疫苗 宫颈癌疫苗
狂犬疫苗 狂犬病疫苗
近视 近视眼
减肥 减重 瘦身 减脂
健身 锻炼 锻炼身体 撸铁
崴脚 扭脚 脚崴了
胃疼 胃痛
肚子疼 肚子痛 腹痛
头疼 头痛
腰疼 腰痛
膝盖疼 膝盖痛
感冒 着凉 伤风
发烧 发热
脱发 掉头发 掉发 秃头
长痘 长痘痘 痘痘 青春痘 痤疮
颈椎病 颈椎痛 颈椎疼
腰椎间盘突出 腰间盘突出
高尿酸 尿酸高 尿酸偏高
高血压 血压高 血压偏高
高血脂 血脂高 血脂偏高
痛经 姨妈痛 月经痛
月经 例假 大姨妈 经期 生理期
月经不调 月经不规律
备孕 准备怀孕
避孕套 安全套
电子烟 电子雾化烟
吸毒 嗑药
医保报销 医疗报销 看病报销
挂号 预约挂号
看病 就医 就诊 看医生
蛀牙 龋齿 虫牙
艾滋病 艾滋 hiv
体测 体能测试 体质测试 体质健康测试
熬夜 晚睡 熬通宵
核磁共振 核磁 mri
拉肚子 腹泻 闹肚子
牙齿矫正 正畸 戴牙套 矫正牙齿
入团 加入共青团 加入团组织
团员证 团证
团组织关系 团关系 团员组织关系
团组织关系转接 组织关系转接 团关系转接 转团关系 转接团关系 团关系转移
智慧团建 智慧团建系统 智慧团建平台
推优 推优入党 推荐优秀团员入党
入党 加入中国共产党 加入党组织
入党积极分子 入党积极份子
入团积极分子 入团积极份子
入团申请书 入团申请
入团志愿书 入团志愿表
离团 退团
超龄离团 超龄退团
主题团日 团日活动 主题团日活动 团日
团支书 团支部书记
团委书记 团书记
团干部 团干
团章 共青团章程
青年大学习 大学习
团员教育评议 团员评议 民主评议团员
组织生活会 组织生活
团代会 团代表大会 共青团代表大会
团员档案 团档案
团员编号 团员号
优秀团员 优秀共青团员
优秀团干部 优秀团干
红旗团支部 五四红旗团支部
青马工程 青年马克思主义者培养工程
入团仪式 入团宣誓
团员发展 发展团员
少先队 少年先锋队 中国少年先锋队
共青团 中国共青团 中国共产主义青年团
团中央 共青团中央
团省委 省团委
团市委 市团委
团县委 县团委
义工 志愿者
志愿服务 志愿活动 做志愿
志愿时长 志愿服务时长 志愿时数 服务时长
志愿汇 志愿汇app
志愿服务证明 志愿证明 志愿者证明
志愿者证 志愿者证书
注册志愿者 志愿者注册
志愿者招募 招募志愿者
公益组织 公益机构 公益团体 ngo 非营利组织
献血 无偿献血 义务献血
献血证 无偿献血证
造血干细胞捐献 捐献造血干细胞 骨髓捐献 捐骨髓 捐献骨髓
骨髓库 中华骨髓库
器官捐献 捐献器官 器官捐赠
遗体捐献 遗体捐赠 捐献遗体
捐款 捐钱
旧衣捐赠 捐旧衣服 捐衣服 旧衣回收
支教 义务支教
西部计划 大学生志愿服务西部计划
三下乡 暑期三下乡
研究生支教团 研支团
社会实践 暑期实践 暑期社会实践
敬老院 养老院
福利院 孤儿院 儿童福利院
留守儿童 留守孩子
助残 扶残
残疾人 残障人士 残疾人士
赛会志愿者 赛事志愿者
志愿队 志愿服务队 志愿者队伍
救护员证 红十字救护员证 急救证
不见 丢 丢失 弄丢 遗失
社保 社会保险
补办 重新办理 重办 补领
没钱 缺钱 手头紧 经济困难 经济拮据
户口 户籍
落户 入户 落户口
户口迁移 迁户口 户口迁出 迁移户口 户籍迁移
户口本 户口簿
居住证 暂住证
身份证 居民身份证 二代身份证
社保卡 社会保障卡 医保卡
公积金 住房公积金
提取公积金 公积金提取 取公积金
个税 个人所得税
个税汇算 个税年度汇算 汇算清缴 个税退税
养老保险 养老险
失业保险 失业险
失业金 失业保险金
生育保险 生育险
生育津贴 生育金
工伤保险 工伤险
低保 最低生活保障
残疾证 残疾人证
出生证 出生证明 出生医学证明
准生证 生育服务证
无犯罪证明 无犯罪记录证明
征信 信用记录 征信报告 信用报告
欠钱 欠债 负债
公交 公交车 公共汽车
地铁 轨道交通
高铁票 火车票 动车票
驾照 驾驶证 驾驶执照
考驾照 学车 考驾驶证
港澳通行证 往来港澳通行证
电动车 电瓶车 电驴 小电驴
电动车上牌 电瓶车上牌 电动车挂牌 电动车牌照
违章 交通违法 交通违章
年检 年审 车辆年检
天然气 燃气 煤气
快递驿站 菜鸟驿站 快递站
人才公寓 人才房 人才住房
公租房 公共租赁住房 廉租房
租房 租房子
政务大厅 政务服务中心 办事大厅 行政服务中心 市民中心
12345 市民热线 12345热线 政务服务热线 便民热线
12348 法律服务热线
小程序 微信小程序
微信 vx wx
账号 帐号
注销账号 注销帐号 账号注销 删除账号 销号
登录 登陆 登入
忘记密码 密码忘了 找回密码 重置密码
验证码 短信验证码 校验码
实名认证 实名验证 实名制
意见反馈 问题反馈 提意见
"""


def groups_of(text: str) -> list[tuple[str, ...]]:
    """The groups of a list written one group per line, words separated by spaces."""
    found = []
    for line in text.strip().splitlines():
        group = tuple(dict.fromkeys(normalise(word) for word in line.split()))
        if len(group) > 1:
            found.append(group)
    return found


class Thesaurus:
    """Words of the same meaning, applied when a text is searched (never when it is indexed,
    so that a change of the list takes effect at once). A group's entry may be written as
    several words (公务员考试): a query whose words spell it out one after the other is read
    as that entry."""

    def __init__(self, groups: Iterable[Iterable[str]] = ()) -> None:
        self.groups = tuple(tuple(group) for group in groups)
        alike: dict[str, dict[str, None]] = {}
        for group in self.groups:
            for word in group:
                others = alike.setdefault(word, {})
                others.update(dict.fromkeys(other for other in group if other != word))
        self._alike = {word: tuple(others) for word, others in alike.items()}
        # Entries the ordinary cut splits, by their first word: (their words, the entry).
        self._spelled: dict[str, list[tuple[list[str], str]]] = {}
        for word in self._alike:
            cut = words(word)
            if len(cut) > 1:
                self._spelled.setdefault(cut[0], []).append((cut, word))
        for entries in self._spelled.values():
            entries.sort(key=lambda entry: -len(entry[0]))

    def alike(self, word: str) -> tuple[str, ...]:
        """The other words of ``word``'s groups."""
        return self._alike.get(word, ())

    def joined(self, found: list[str]) -> list[str]:
        """``found`` (words in order) with each run of words that spells an entry as that
        entry (公务员, 考试 → 公务员考试)."""
        if not self._spelled:
            return found
        result, i = [], 0
        while i < len(found):
            for cut, entry in self._spelled.get(found[i], ()):
                if found[i : i + len(cut)] == cut:
                    result.append(entry)
                    i += len(cut)
                    break
            else:
                result.append(found[i])
                i += 1
        return result

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Thesaurus) and self.groups == other.groups

    def __hash__(self) -> int:
        return hash(self.groups)


SEED = Thesaurus(groups_of(SEED_SYNONYMS))


def _trimmed(word: str) -> list[str]:
    """A guessed word without a filler character jieba glued to it (考公好 → 考公)."""
    if len(word) < 3 or not _pieces(word):
        return []
    found = []
    if word[-1] in QUERY_STOP_WORDS:
        found.append(word[:-1])
    if word[0] in QUERY_STOP_WORDS:
        found.append(word[1:])
    return found


def _term(word: str, weight: str, thesaurus: Thesaurus) -> str:
    """A tsquery matching ``word`` or a word of the same meaning; a guessed word also
    without a glued filler character, and each of these also by its pieces one after the
    other."""
    mark = f":{weight}" if weight else ""
    ways = []
    for way in dict.fromkeys([word, *_trimmed(word)]):
        for alike in (way, *thesaurus.alike(way)):
            ways.append(lexeme(alike) + mark)
            pieces = [piece.lower() for piece in _pieces(alike) if _is_word(piece)]
            if pieces:
                ways.append(phrase(pieces, weight))
    return ways[0] if len(ways) == 1 else "(" + " | ".join(ways) + ")"


def forms_of(word: str, thesaurus: Thesaurus = SEED) -> list[str]:
    """The ways a searched word may be written in what it finds: itself, without a glued
    filler character, and the words of the same meaning."""
    forms: dict[str, None] = {}
    for way in (word, *_trimmed(word)):
        forms.update(dict.fromkeys((way, *thesaurus.alike(way))))
    return list(forms)


def written_forms(found: Iterable[str], thesaurus: Thesaurus = SEED) -> list[str]:
    """The ways the searched words ``found`` may be written (for marking them)."""
    forms: dict[str, None] = {}
    for word in found:
        forms.update(dict.fromkeys(forms_of(word, thesaurus)))
    return list(forms)


def term(word: str, weight: str = "", thesaurus: Thesaurus = SEED) -> str:
    """A tsquery matching ``word`` in any of the ways it may be written."""
    return _term(word, weight, thesaurus)


def any_of(found: Iterable[str], weight: str = "", thesaurus: Thesaurus = SEED) -> str:
    """A tsquery matching any of the words ``found``."""
    return " | ".join(_term(word, weight, thesaurus) for word in found)


def every(found: Iterable[str], weight: str = "", thesaurus: Thesaurus = SEED) -> str:
    """A tsquery matching all of the words ``found``, anywhere."""
    return " & ".join(_term(word, weight, thesaurus) for word in found)


def phrase(found: list[str], weight: str = "") -> str:
    """A tsquery matching the words ``found`` one right after the other, as they are
    placed by ``as_tsvector``."""
    parts = [lexeme(found[0]) + (f":{weight}" if weight else "")]
    for before, word in zip(found, found[1:], strict=False):
        parts.append(f"<{len(before)}> " + lexeme(word) + (f":{weight}" if weight else ""))
    return " ".join(parts)


def as_document(*parts: str) -> str:
    """The words of ``parts`` joined by spaces, ready for ``to_tsvector('simple', …)``."""
    return " ".join(word for part in parts for word in words(part))


# Words too common in questions to say what they are about (hot topics leave them out).
FUNCTION_WORDS = frozenset(
    [
        "怎么",
        "怎么办",
        "如何",
        "什么",
        "可以",
        "需要",
        "怎样",
        "哪里",
        "为什么",
        "请问",
        "一下",
        "没有",
        "自己",
        "我们",
        "他们",
        "这个",
        "那个",
        "问题",
        "能否",
        "是否",
        "应该",
        "还是",
        "现在",
        "已经",
        "知道",
        "大家",
        "想要",
        "想问",
        "有没有",
        "是不是",
        "能不能",
        "的话",
        "之后",
        "以后",
        "怎么样",
        "吗",
        "呢",
        "了",
        "的",
    ]
)


# Hot topics (热点关注) keep the content words of a title by their part of speech (jieba's
# tags): nouns, verbal and adjectival nouns, abbreviations (医保), verbs and adjectives of two
# characters or more, fixed expressions that are not question phrases, Latin words.
_NOUN_TAGS = frozenset(["vn", "an", "j"])  # and every tag that starts with "n"
_PREDICATE_TAGS = frozenset(["v", "vd", "vg", "vi", "a", "ag", "z"])
_FIXED_TAGS = frozenset(["l", "i"])
# Verbs and nouns that carry a question, not what it is about.
_LIGHT = (
    "知道 觉得 希望 需要 可以 应该 能够 可能 想要 想问 打算 准备 认为 感觉 发现 开始 出现 "
    "进行 告诉 帮忙 帮助 解决 办理 处理 注意 是否 不到 不了 出来 起来 下来 回来 回去 过去 "
    "来说 算是 属于 包括 选择 决定 值得 导致 造成 变得 成为 作为 得到 受到 遇到 碰到 看到 "
    "听说 建议 考虑 有用 没用 管用 不用 喜欢 要求 影响 时候 东西 区别 情况 事情 办法 方法 "
    "原因 意思 样子 方面 地方 条件 有时候 发现自己 打电话 才能 在外 一般 基本 适合 合适 "
    "推荐 认识 介绍 联系 提高 满足 参加 正常 成功 失败 开心 麻烦 机会 时间 方式 问问"
)
LIGHT_WORDS = frozenset(_LIGHT.split(" "))
# Question words inside a longer token (怎么弄, 值不值得, 哪些方面) make it a question phrase.
_QUESTION = (
    "什么 怎么 怎样 如何 哪些 哪个 哪里 为啥 为什么 是不是 有没有 值不值 要不要 能不能 "
    "会不会 可不可 行不行 咋 啥"
)
_QUESTION_PARTS = tuple(_QUESTION.split(" "))
# A guessed word or an adjective that starts with a word of degree (太贵, 很大) says how much.
_DEGREE = frozenset("很太挺真超蛮巨贼好特最更较越")
# A word jieba guessed that starts with an auxiliary or an adverb glued to the next word
# (能考, 总学, 一到) is not a word; nor one with a particle in it (读的书, 有用吗).
_GLUED = frozenset("能会要总才一在都就还也又再很太后")
_PARTICLES = frozenset("的了吗呢吧啊呀嘛么")
_LATIN = re.compile(r"[a-z]")
# Words a phrase is made of are at most this long: a phrase fits TopicCount.term (64).
MAX_TOPIC_WORD = 30


def _is_topic(word: str, tag: str) -> bool:
    """Whether ``word`` (as jieba tagged it) may name a topic."""
    if word in QUERY_STOP_WORDS or word in LIGHT_WORDS or len(word) > MAX_TOPIC_WORD:
        return False
    if tag == "eng":
        return len(_LATIN.findall(word)) >= 2
    if len(word) < 2 or not _HAN.search(word) or any(p in word for p in _QUESTION_PARTS):
        return False
    guessed = not rjieba.has_word(word)
    # jieba tags a known word of degree it cannot place as a name (太少/nr).
    if word[0] in _DEGREE and (tag.startswith("a") or tag == "nr" or guessed):
        return False
    if (guessed and word[0] in _GLUED) or any(ch in _PARTICLES for ch in word):
        return False
    if tag.startswith("n") or tag in _NOUN_TAGS or tag in _FIXED_TAGS:
        return True
    if tag in _PREDICATE_TAGS:
        return word[0] not in "不没别"
    return False


def _halves(word: str) -> list[str]:
    """A dictionary word made of two content words of the dictionary (拖欠工资, 学校食堂) as
    those two, so that it counts as they do written apart; else ``[word]``."""
    if len(word) >= 4 and _HAN.search(word):
        for cut in range(2, len(word) - 1):
            left, right = word[:cut], word[cut:]
            if (
                rjieba.has_word(left)
                and rjieba.has_word(right)
                and all(
                    _is_topic(part, tag) for half in (left, right) for part, tag in rjieba.tag(half)
                )
                and len(rjieba.tag(left)) == len(rjieba.tag(right)) == 1
            ):
                return [left, right]
    return [word]


def _topic_runs(text: str) -> list[list[str]]:
    """The content words of ``text`` in order, in runs of words written one right after
    the other."""
    runs: list[list[str]] = [[]]
    for token, tag in rjieba.tag(_normal(text)):
        word = token.lower()
        if _is_topic(word, tag):
            runs[-1].extend(_halves(word))
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]


def topic_words(text: str) -> list[str]:
    """The words of ``text`` that may name a topic (content words by their part of speech,
    never pronouns, adverbs, numerals, measure words, function words, time or locality
    words, nor ``QUERY_STOP_WORDS``), in order."""
    return [word for run in _topic_runs(text) for word in run]


PHRASE_JOINT = " "


def _pairs(runs: list[list[str]]) -> list[str]:
    return [
        PHRASE_JOINT.join((first, second))
        for run in runs
        for first, second in zip(run, run[1:], strict=False)
        if first != second
    ]


def topic_phrases(text: str) -> list[str]:
    """Each two content words of ``text`` written together (拖欠 + 工资), joined by
    ``PHRASE_JOINT`` ("拖欠 工资")."""
    return _pairs(_topic_runs(text))


def topic_terms(text: str) -> list[str]:
    """What hot topics count of a question's title: its topic words, then its phrases."""
    runs = _topic_runs(text)
    return [word for run in runs for word in run] + _pairs(runs)


def is_dictionary_phrase(term: str) -> bool:
    """Whether jieba's dictionary has the phrase ``term`` as one word (拖欠工资)."""
    return rjieba.has_word(term.replace(PHRASE_JOINT, ""))


def phrase_label(term: str) -> str:
    """A term as shown: a phrase without the space between its words, unless both sides of
    it are Latin letters or digits (wifi 密码 → wifi密码, ai agent stays apart)."""
    if PHRASE_JOINT not in term:
        return term
    first, second = term.split(PHRASE_JOINT, 1)
    joint = PHRASE_JOINT if first[-1:].isascii() and second[:1].isascii() else ""
    return first + joint + second


# Words that say nothing of what is searched for: a search leaves them out unless it has
# nothing else (single characters and the colloquial phrases around a question).
_SEARCH_FILLERS = (
    "我 你 他 她 它 您 是 在 有 和 与 及 就 都 也 还 又 要 会 能 想 去 给 把 让 对 从 向 "
    "这 那 哪 个 些 很 太 更 最 着 过 得 地 啥 咋 吧 啊 呀 嘛 么 哦 呗 求 急 "
    "咋办 咋整 怎么弄 求助 请教 有人 谁 谁知道 在线等 谢谢 一个 关于 情况 的话 这种 那种 "
    "这样 那样 还有 或者 如果 但是 因为 所以 怎么回事 好 老是 总是 一直 经常 真的 特别 非常 "
    "有点 好多 很多 到底 究竟 是否 不会 会不会 要不要 可不可以 不能 可能 不要"
)
QUERY_STOP_WORDS = FUNCTION_WORDS | frozenset(_SEARCH_FILLERS.split(" "))


def query_words(text: str, thesaurus: Thesaurus = SEED) -> list[str]:
    """The distinct words of a search by the ordinary cut (the words that spell out an entry
    of ``thesaurus`` joined into it), without the words in ``QUERY_STOP_WORDS``: a search of
    nothing but those (怎么办) says nothing to look for."""
    found = thesaurus.joined(words(text))
    return [word for word in dict.fromkeys(found) if word not in QUERY_STOP_WORDS]
