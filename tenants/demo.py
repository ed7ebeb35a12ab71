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
