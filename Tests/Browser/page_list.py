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
        *lesson_pages(activity),
        ("/activities", None),
        ("/activities?q=browser", "activities"),
    ]


# The lesson forms (Learning plugin): the form that writes what one side learnt in an activity, in every walk
# that opens an activity; with a lesson's id, the forms that change and delete it (test_learning.py walks those
# with the same weight, width and axe checks, after its partner coordinator writes a lesson on a phone).
def lesson_pages(activity, lesson=None):
    """The lesson forms of `activity`, and of `lesson` when given."""
    pages = [(f"/activities/{activity}/lessons/new", None)]
    if lesson is not None:
        pages += [(f"/lessons/{lesson}/edit", None), (f"/lessons/{lesson}/delete", None)]
    return pages


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
        *lesson_pages(activity),
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
