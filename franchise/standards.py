"""The standards the platform starts with; the central office edits them afterwards."""

from datetime import time

HOUR = 3600
DAY = 24 * HOUR

# code, name, English name, first response, resolution
CATEGORIES = [
    ("study", "学习成长", "Study and growth", DAY, 7 * DAY),
    ("career", "创业就业", "Jobs and entrepreneurship", DAY, 7 * DAY),
    ("mental", "心理健康", "Mental health", 12 * HOUR, 3 * DAY),
    ("rights", "权益维护", "Rights protection and legal aid", DAY, 7 * DAY),
    ("romance", "婚恋交友", "Dating and marriage", 2 * DAY, 7 * DAY),
    ("health", "身体健康", "Physical health", DAY, 7 * DAY),
    ("league", "团务咨询", "League affairs", 2 * DAY, 7 * DAY),
    ("volunteer", "志愿公益", "Volunteering and charity", 2 * DAY, 7 * DAY),
    ("other", "其他", "Other", 2 * DAY, 14 * DAY),
]

# Advertising and illegal trades that must not be published unreviewed.
SENSITIVE_TERMS = [
    "代开发票",
    "办假证",
    "网络赌博",
    "赌博网站",
    "裸贷",
    "出售枪支",
    "毒品交易",
    "刷单返利",
    "信用卡套现",
    "代写论文",
    "替考",
    "私家侦探",
]


def install(category_model, term_model) -> None:
    """Create or update the starting standards (used by the migration, given its models)."""
    for position, (code, name, name_en, first_s, resolve_s) in enumerate(CATEGORIES):
        category_model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "position": position,
                "first_response_s": first_s,
                "resolution_s": resolve_s,
            },
        )
    for term in SENSITIVE_TERMS:
        term_model.objects.get_or_create(term=term)


# The first influence index standard (影响力指数), in force from the platform's start.
INDEX_STANDARD = {
    "version": 1,
    "effective_from": "2016-01-01",
    "visit_weight": 0.01,
    "league_answer_weight": 1.0,
    "other_answer_weight": 0.3,
    "help_weight": 2.0,
    "activity_weight": 0.5,
    "boost_threshold": 0.75,
    "rating_prior_weight": 20,
    "note": "按广东省影响力指数口径：有效独立访问、团组织答复、帮扶成效权重最高。",
}


def install_index_standard(standard_model) -> None:
    standard_model.objects.get_or_create(version=INDEX_STANDARD["version"], defaults=INDEX_STANDARD)


# The first standard score standard (青年评议标准分): an answer, a help case, a youth-home
# service and an activity weigh by how much of a youth's life they touch; a score is shrunk
# as if by 10 ratings at the national mean; five raters of one person whose accounts were made
# within an hour of each other, or a second rater from one address, count a fiftieth and are
# flagged for review.
SCORE_STANDARD = {
    "version": 1,
    "effective_from": "2016-01-01",
    "answer_weight": 1.0,
    "help_weight": 2.0,
    "booking_weight": 1.0,
    "activity_weight": 1.0,
    "prior_weight": 10,
    "suspect_weight": 0.02,
    "burst_accounts": 5,
    "burst_window_s": 3600,
    "note": "按广东省青年评议标准分口径：帮扶成效权重最高，刷分账号降权并交复核。",
}


def install_score_standard(standard_model) -> None:
    standard_model.objects.get_or_create(version=SCORE_STANDARD["version"], defaults=SCORE_STANDARD)


# The assessment's indicators (考核指标), in the order a report shows them; how each is
# measured is ``reporting.assessment``. The four integrations (四个融合) are one each.
ASSESSMENT_INDICATORS = [
    ("activity", "活跃度"),
    ("satisfaction", "满意度"),
    ("answer_rate", "答复率"),
    ("answer_time", "答复时效"),
    ("help", "帮扶成效"),
    ("activities", "有效活动"),
    ("truthfulness", "真实度"),
    ("with_activities", "线上线下融合：活动与品牌活动"),
    ("with_homes", "线上线下融合：青年之家预约与O2O"),
    ("with_organisations", "团内团外融合：各类组织参与"),
    ("with_tree", "上下联动融合：问题与求助沿组织流转"),
]

# The first assessment standard: satisfaction and activity first, as Guangdong's 考核 has it
# (青年满意不满意是最重要的评价标准), then the answers, help and the four integrations.
ASSESSMENT_STANDARD = {
    "version": 1,
    "effective_from": "2016-01-01",
    "latitude": 0.5,
    "weights": {
        "activity": 20,
        "satisfaction": 20,
        "answer_rate": 8,
        "answer_time": 7,
        "help": 10,
        "activities": 5,
        "truthfulness": 10,
        "with_activities": 5,
        "with_homes": 5,
        "with_organisations": 5,
        "with_tree": 5,
    },
    "note": "按“让青年说了算”：活跃度与满意度权重最高，四个融合各计一项。",
}


def install_assessment_standard(standard_model) -> None:
    standard_model.objects.get_or_create(
        node=None, version=ASSESSMENT_STANDARD["version"], defaults=ASSESSMENT_STANDARD
    )


SYNONYMS_NOTE = "初版：常见口语与书面语（丢/不见、医保/医疗保险、考公/公务员考试等）。"


def install_synonyms(list_model) -> None:
    """The first version of the central synonym list, from ``franchise.text.SEED_SYNONYMS``."""
    from .text import SEED_SYNONYMS, groups_of

    groups = [list(group) for group in groups_of(SEED_SYNONYMS)]
    list_model.objects.get_or_create(version=1, defaults={"groups": groups, "note": SYNONYMS_NOTE})


# The working hours of a working day (工作时间), on which deadlines are counted: eight hours,
# as the State Council's rule on working time has it (每日工作8小时，每周40小时), from 09:00 with an
# hour's lunch break that is not counted (a question asked at 11:50 and answered at 13:10 waited
# 20 minutes). A constant rather than a row the central office edits: the national rule has
# stood since 1995; should the hours ever change, they become a versioned standard with a date
# in force (as ``IndexStandard``), since past response times are counted on the hours then.
WORKING_HOURS: tuple[tuple[time, time], ...] = ((time(9), time(12)), (time(13), time(18)))


# The first youth-home standard, after Guangdong's 《“青年之声”线下服务站——“青年之家”建设基本要求》.
HOME_STANDARD = {
    "version": 1,
    "effective_from": "2016-01-01",
    "note": "按《“青年之家”建设基本要求》：阵地标识、软硬件基准、人员配备管理及提问回复要求。",
    "items": [
        {"code": "sign", "area": "signage", "text": "入口处悬挂统一的“青年之家”标识牌"},
        {"code": "notice", "area": "signage", "text": "公示服务项目、开放时间和联系方式"},
        {"code": "space", "area": "equipment", "text": "固定活动场地不少于 50 平方米"},
        {"code": "devices", "area": "equipment", "text": "配备联网电脑及扫码签到设备"},
        {"code": "keeper", "area": "staffing", "text": "至少 1 名专职或兼职管理员，在平台登记"},
        {"code": "activity", "area": "staffing", "text": "每月至少开展 2 次面向青年的服务"},
        {"code": "replies", "area": "replies", "text": "平台上向本阵地的提问 1 个工作日内首次回复"},
    ],
}


def install_home_standard(standard_model) -> None:
    standard_model.objects.get_or_create(version=HOME_STANDARD["version"], defaults=HOME_STANDARD)
