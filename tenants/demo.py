"""The demo platform: the central office, three provinces, two cities, and their people."""

from django.core.files.base import ContentFile

# code, name, level, parent, display name, colour, slogan
COMMITTEES = [
    (
        "central",
        "共青团中央",
        "central",
        None,
        "青年之声 · 团中央",
        "#c8161d",
        "青说团听，青说团做",
    ),
    (
        "gd",
        "共青团广东省委",
        "province",
        "central",
        "青年之声 · 广东",
        "#0a6ebd",
        "青春广东，团团为你",
    ),
    (
        "bj",
        "共青团北京市委",
        "province",
        "central",
        "青年之声 · 北京",
        "#b4232a",
        "首都青年，共话未来",
    ),
    (
        "sc",
        "共青团四川省委",
        "province",
        "central",
        "青年之声 · 四川",
        "#2e7d32",
        "天府青年，有声有色",
    ),
    ("gd-gz", "共青团广州市委", "city", "gd", "青年之声 · 广州", "#00897b", "花城青年，敢闯敢试"),
    ("gd-sz", "共青团深圳市委", "city", "gd", "青年之声 · 深圳", "#5e35b1", "来了就是深圳人"),
]
PASSWORD = "Qingnian2026!"
# Each committee gets an admin, a cadre, a youth and an expert: 139 + committee number + role.
ROLES = [("admin", "管理员"), ("cadre", "团干部"), ("youth", "青年"), ("expert", "专家")]

# Each committee's service alliances: name, who answers (cadre or expert), categories.
ALLIANCES = [
    ("青年综合服务联盟", "cadre", ["study", "league", "volunteer", "romance", "other"]),
    ("就业创业服务联盟", "cadre", ["career"]),
    ("心理与权益服务联盟", "expert", ["mental", "rights", "health"]),
]
# Answered questions in every committee's archive.
ANSWERED = [
    (
        "团组织关系转接怎么办理",
        "毕业去外地工作了",
        "league",
        "登录智慧团建，由转出团支部发起转接，接收支部确认即可。",
    ),
    ("考研和工作怎么选", "家里希望我早点工作", "study", "先想清楚三年后想做什么，再看哪条路更近。"),
    (
        "实习单位拖欠工资怎么办",
        "已经两个月没发",
        "rights",
        "保留考勤和聊天记录，可向当地劳动监察大队投诉。",
    ),
]


# Organisations youths may ask for help: one of the League's (团内), one outside it (团外).
ORGANISATIONS = [
    ("青少年维权岗", "league", ["rights", "study"], "青少年权益咨询、法律援助转介"),
    ("青年社工服务中心", "social", ["mental", "career", "other"], "心理疏导、就业帮扶、困难帮扶"),
]
HELP_CASE = (
    "找不到合适的实习单位",
    "大三学生，投了二十多份简历都没有回音，希望有人指导一下。",
    "career",
)


# Each committee's youth home (青年之家): name, district, address, latitude, longitude.
YOUTH_HOMES = {
    "central": (
        "团中央青年之家",
        "东城区",
        "北京市东城区前门东大街10号",
        "39.899000",
        "116.401000",
    ),
    "gd": ("广东青年之家", "越秀区", "广州市越秀区东风中路437号", "23.132000", "113.266000"),
    "bj": ("北京青年之家", "西城区", "北京市西城区西单北大街", "39.912000", "116.373000"),
    "sc": ("四川青年之家", "青羊区", "成都市青羊区人民中路", "30.672000", "104.061000"),
    "gd-gz": ("天河青年之家", "天河区", "广州市天河区体育西路1号", "23.135000", "113.325000"),
    "gd-sz": ("福田青年之家", "福田区", "深圳市福田区福中三路", "22.543000", "114.057000"),
}
# Its services, open Monday to Saturday 09:00–12:00 and 14:00–17:00.
HOME_SERVICES = [
    ("自习室", "study", 20, 4),
    ("心理咨询", "mental", 2, 1),
    ("就业指导", "career", 6, 2),
]


def set_up_youth_home(code: str, *, staff) -> None:
    """The committee's youth home with its services, schedules and the coming days' slots
    (call in its schema)."""
    from datetime import time

    from django.utils import timezone

    from homes import services as homes
    from homes.models import Schedule

    name, district, address, latitude, longitude = YOUTH_HOMES[code]
    home = homes.open_home(
        name=name,
        address=address,
        district=district,
        latitude=latitude,
        longitude=longitude,
        opening_hours="周一至周六 9:00–12:00，14:00–17:00",
        contact="020-12355",
        description="青年之家是团组织在基层服务青年的阵地：自习、心理咨询、就业指导，线上预约、线下服务。",
        staff=[staff],
    )
    for service_name, category, places, group_max in HOME_SERVICES:
        service = homes.add_service(
            home=home, name=service_name, category=category, group_max=group_max
        )
        for weekday in range(6):
            for starts, ends in ((time(9), time(12)), (time(14), time(17))):
                Schedule.objects.create(
                    service=service,
                    weekday=weekday,
                    starts=starts,
                    ends=ends,
                    capacity=places,
                    valid_from=timezone.localdate(),
                )
    homes.make_slots()


# What a committee's admin writes as the evidence of each area of the youth-home standard.
STANDARD_EVIDENCE = {
    "signage": "门口标识牌及服务公示栏照片已存档",
    "equipment": "场地平面图与设备清单已核对",
    "staffing": "管理员名单及本月服务记录已上传",
    "replies": "近一月平台提问均在 1 个工作日内首次回复",
}


def meet_home_standard(*, recorder, checker) -> None:
    """Every item of the youth-home standard in force recorded as met for the committee's
    homes by ``recorder`` (its admin) and confirmed by ``checker`` (the parent's admin); call
    in its schema."""
    from django.utils import timezone

    from homes import standard
    from homes.models import YouthHome

    today = timezone.localdate()
    for home in YouthHome.objects.all():
        for line in standard.lines(home):
            found = standard.record(
                home=home,
                item=line.code,
                is_met=True,
                evidence=STANDARD_EVIDENCE.get(line.area, "已核查"),
                observed_on=today,
                actor=recorder,
            )
            standard.check(compliance=found, confirm=True, actor=checker)


def set_up_services(*, cadre, expert, asker) -> None:
    """The committee's alliances and organisations, routing rules, a few answered questions
    and a public help case (call in its schema)."""
    from casework.models import Member, RoutingRule, Team
    from helpcases import services as help_cases
    from qa import services

    answerers = {"cadre": cadre, "expert": expert}
    for name, kind, categories in ALLIANCES:
        team = Team.objects.create(name=name, supervisor=cadre)
        Member.objects.create(team=team, user=answerers[kind], kind=kind)
        for code in categories:
            RoutingRule.objects.create(category_id=code, team=team)
    for name, sector, categories, description in ORGANISATIONS:
        organisation = Team.objects.create(
            name=name,
            kind=Team.Kind.ORGANISATION,
            sector=sector,
            categories=categories,
            description=description,
            is_listed=True,
            supervisor=cadre,
        )
        Member.objects.create(team=organisation, user=cadre, kind="organisation")
    for title, body, category, answer in ANSWERED:
        question = services.ask_question(asker=asker, title=title, body=body, category=category)
        services.answer(question=question, author=question.assignee, body=answer)
    title, body, category = HELP_CASE
    help_cases.submit(youth=asker, title=title, body=body, category=category, is_public=True)


def phone_for(index: int, role_index: int) -> str:
    return f"139{index:04d}{role_index:04d}"


def logo_png(code: str, colour: str) -> ContentFile:
    """A round logo in the committee's colour with a white speech bubble (a raster image: the
    platform takes no SVG)."""
    import io

    from PIL import Image, ImageDraw

    size = 128
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, size - 4, size - 4), fill=colour)
    draw.rounded_rectangle((30, 36, 98, 80), radius=14, fill="white")
    draw.polygon([(46, 78), (62, 78), (44, 96)], fill="white")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return ContentFile(out.getvalue(), name=f"{code}.png")


def launch_campaign(*, central_admin):
    """The central office's campaign for the nation (every committee receives it)."""
    from datetime import timedelta

    from django.utils import timezone

    from franchise import campaigns
    from tenants.models import Committee

    today = timezone.localdate()
    return campaigns.launch(
        actor=central_admin,
        node=Committee.objects.get(code="central"),
        code="qingchun-2026",
        title="青春志愿行",
        theme="志愿服务",
        description="全团集中行动：各级团委组织青年志愿服务活动，线上报名、现场签到、网络评选。",
        rules="每个账号投 1 票；最终排名按投票 60%、专家评审 40%。",
        entry_guide="以团队为单位提交志愿服务项目：项目名称、服务对象、开展情况。",
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=90),
        vote_weight=0.6,
        panel_weight=0.4,
        criteria=[
            {"code": "idea", "name": "创意", "weight": 4},
            {"code": "effect", "name": "成效", "weight": 6},
        ],
    )


def set_up_activity(*, cadre, youth, campaign: str) -> None:
    """A demand survey, then an activity under the campaign (teams welcome), a youth
    registered, and its vote open (call in a city's schema, once it received the campaign)."""
    from datetime import timedelta

    from django.utils import timezone

    from activities import registration, services, voting
    from surveys import services as surveys

    now = timezone.now()
    starts = (timezone.localtime() + timedelta(days=5)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    activity = services.publish(
        actor=cadre,
        campaign=campaign,
        title="青春志愿行 · 社区旧物改造",
        description="以队为单位，把社区旧物改造成公共设施；结束后上传照片、评选最佳项目。",
        category="volunteer",
        place="天河区体育西路社区服务中心",
        latitude="23.136000",
        longitude="113.323000",
        starts_at=starts,
        ends_at=starts + timedelta(hours=4),
        capacity=60,
        audience="14–35 岁青年",
        allows_teams=True,
        team_min=2,
        team_max=5,
    )
    surveys.publish(
        actor=cadre,
        activity=activity,
        title="志愿活动需求调查",
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=30),
        questions=[
            {
                "kind": "single",
                "text": "你最想参加哪类志愿活动？",
                "options": ["社区服务", "环境保护", "助老助残", "文化宣传"],
            },
            {
                "kind": "multiple",
                "text": "你方便的时间",
                "options": ["周末", "工作日晚上", "节假日"],
            },
            {"kind": "scale", "text": "你对上次活动的满意度", "scale_max": 5},
            {"kind": "text", "text": "你还有什么建议？", "is_required": False},
        ],
    )
    registration.register(activity=activity, youth=youth)
    voting.open_ballot(
        activity=activity,
        actor=cadre,
        title="最佳志愿项目",
        opens_at=now - timedelta(minutes=1),
        closes_at=starts + timedelta(days=7),
    )
