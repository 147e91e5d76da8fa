import Hummingbird

/// The page routes a plugin adds its pages to (`context.pages` in a plugin's `register(into:)`), and the shell
/// they render in. A page handler gets the same ``Identity`` and request transaction as a JSON route, so it calls
/// the plugin's service exactly as the controller does: `TenantAccess(context)`, `context.requireConnection()`.
public struct Pages: Sendable {
    /// Routes for signed-in people: anyone else is sent to `/sign-in?next=…`. Every `POST` is checked for its
    /// `csrf` field and `Origin` first.
    public let signedIn: RouterGroup<GatewayRequestContext>
    /// Routes anyone may open (a signed-in person is still recognised); the same checks on `POST`.
    public let anyone: RouterGroup<GatewayRequestContext>
    /// Public pages, `GET` only (``PublicPageMiddleware``): nothing of who asks, no cookie read or set, no CSRF
    /// token; the handler reads ``GatewayRequestContext/requirePublicVisit()`` for the language and a read-only
    /// transaction without a municipality, and answers
    /// ``PageShell/publicPage(title:content:language:alternates:feed:)`` or another ``CachedPage``.
    public let `public`: RouterGroup<GatewayRequestContext>
    /// The layout every page is rendered in.
    public let shell: PageShell
    /// Where people reach the server (`PUBLIC_URL`, without a trailing `/`): for absolute links a plugin writes
    /// into what leaves the server, such as the showcase addresses in the platform's annex of examples.
    public let publicURL: String
    /// What other plugins show on a partnership's page (the Partnerships plugin renders them).
    public let partnershipSections = PartnershipPageSections()
    /// What other plugins show on an activity's page, between its budget and its updates (the Activities plugin
    /// renders them).
    public let activitySections = RecordPageSections()
    /// What plugins show on `/platform`, the platform administrators' page (the gateway renders it).
    public let platformSections: PlatformPageSections
    /// Invites people by e-mail (the members page's "invite by e-mail" form).
    public let invitations: Invitations
    /// Where the Partnerships plugin provides its partnerships to the gateway's `/admin/users`.
    public let partnershipDirectory: PartnershipDirectory
    /// What other plugins show on the dashboard (the Partnerships plugin renders it).
    public let dashboardSections = DashboardSections()
    /// What plugins show on the person's settings page (the gateway renders them).
    public let settingsSections: PageSections
    /// What plugins show on `/admin/municipality`, the municipality's settings (the gateway renders them).
    public let municipalitySections: PageSections
    /// What other plugins show on `/import` below the activities' upload (the Activities plugin renders them; the
    /// Results plugin adds its upload of results).
    public let importSections = PageSections()

    /// The page groups on `router`.
    public init(router: Router<GatewayRequestContext>, environment: GatewayEnvironment) {
        self.signedIn = router.group()
            .add(middleware: PageSessionMiddleware(access: .signedIn, environment: environment))
        self.anyone = router.group()
            .add(middleware: PageSessionMiddleware(access: .anyone, environment: environment))
        self.public = router.group().add(middleware: PublicPageMiddleware(environment: environment))
        self.shell = environment.pages
        self.publicURL = environment.settings.sessions.publicURL
        self.platformSections = environment.platformSections
        self.invitations = Invitations(environment: environment)
        self.partnershipDirectory = environment.partnershipDirectory
        self.settingsSections = environment.settingsSections
        self.municipalitySections = environment.municipalitySections
    }
}
