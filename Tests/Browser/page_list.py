"""The product's pages, by who sees them: one list that the accessibility test (axe) and the quality test (weight
and width) walk, so a page added here is checked by both.

Each entry is `(path, screenshot name or None)`; the paths take the ids of a partnership and of one of its
activities the person may see.
"""


def partnership_and_activity_pages(partnership, activity):
    """A coordinator's partnership and activity pages, with their lists and forms."""
    return [
        ("/partnerships", "partnerships"),
        (f"/partnerships/{partnership}", "partnership"),
        ("/partnerships/new", "partnership-new"),
        (f"/partnerships/{partnership}/edit", None),
        (f"/partnerships/{partnership}/activities/new", None),
        (f"/activities/{activity}", "activity"),
        (f"/activities/{activity}/edit", None),
        (f"/activities/{activity}/sectors", None),
        (f"/activities/{activity}/results/new", None),
        (f"/partnerships/{partnership}/results/new", None),
        ("/activities", None),
        ("/activities?q=browser", "activities"),
    ]


def municipality_pages(partnership, activity):
    """Every page a coordinator of a municipality opens: the dashboard, the partnership and activity pages,
    the members, the timeline's older updates, the import, the reports, the library and the settings."""
    return [
        ("/", None),
        *partnership_and_activity_pages(partnership, activity),
        (f"/partnerships/{partnership}/members", None),
        (f"/partnerships/{partnership}/updates", None),
        ("/import", None),
        ("/reports", None),
        ("/library", "library"),
        ("/library?q=registre&side=partner_municipality", None),
        ("/results/review", None),
        ("/results/report", None),
        ("/settings", None),
    ]


# The municipality's administrators' own pages (beside everything a coordinator opens).
ADMINISTRATOR_PAGES = [("/admin/users", "admin-users"), ("/admin/municipality", "admin-municipality")]


def partner_coordinator_pages(partnership, activity):
    """What a partner coordinator opens: their dashboard, partnership, its activity, the reports, the library,
    settings."""
    return [
        ("/", None),
        ("/partnerships", None),
        (f"/partnerships/{partnership}", None),
        (f"/partnerships/{partnership}/updates", None),
        ("/activities", None),
        (f"/activities/{activity}", None),
        ("/results/report", None),
        ("/reports", None),
        ("/library", None),
        ("/settings", None),
    ]


# The platform administrator's page.
PLATFORM_PAGES = [("/platform", "platform")]

# The pages anyone opens signed out (besides the ones behind a mailed link's secret, which need one).
VISITOR_PAGES = [
    ("/sign-in", "sign-in"),
    ("/sign-in/sent", "sign-in-sent"),
    ("/sign-in/oidc/no-such-municipality", None),
    # The public showcase (no session, no cookie): the platform's counts, what is published.
    ("/showcase", "showcase"),
    ("/showcase?lang=fr", None),
]
