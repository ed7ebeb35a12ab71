from . import branding

# The tab (首页 · 问答 · 提问 · 我的) each portal page belongs to, by URL name.
TABS = {
    "portal:home": "home",
    "portal:notices": "home",
    "portal:notice": "home",
    "qa:archive": "qa",
    "qa:question": "qa",
    "qa:ask": "ask",
    "portal:me": "me",
    "qa:mine": "me",
    "homes:mine": "me",
    "core:notifications": "me",
    "core:profile": "me",
    "core:login": "me",
    "core:register": "me",
}
# Staff pages on a portal's domain (the workbench, the dashboards) are not the youths' portal.
STAFF_PATHS = ("/workbench/", "/reports/")


def shell(request) -> dict:
    """The page shell's brand (青年之声 · <committee>, its text-safe colour) and the tab bar's
    current tab; the tab bar is on every page of a portal, not on the console."""
    committee = getattr(request, "committee", None)
    match = getattr(request, "resolver_match", None)
    return {
        "brand_title": branding.portal_title(committee),
        "brand_colour": branding.text_colour(getattr(committee, "primary_colour", None)),
        "brand_raw_colour": getattr(committee, "primary_colour", None) or branding.DEFAULT_COLOUR,
        "current_tab": TABS.get(match.view_name if match else "", ""),
        "has_tabbar": committee is not None and not request.path.startswith(STAFF_PATHS),
    }
