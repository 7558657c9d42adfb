/// Every page template; checked at start-up so a missing file stops the start, not a request.
enum PageTemplate: String, CaseIterable {
    case home = "pages/home/index"
    case listings = "pages/listings/index"
    case listingDetail = "pages/listings/detail"
    case events = "pages/events/index"
    case eventDetail = "pages/events/detail"
    case organisations = "pages/organisations/index"
    case organisationDetail = "pages/organisations/detail"
    case municipalities = "pages/municipalities/index"
    case municipality = "pages/municipalities/detail"
    case search = "pages/search/index"
    case legal = "pages/legal/legal"
    case accessibilityFeedback = "pages/legal/feedback"
    case easyLanguage = "pages/easy/index"
    case error = "pages/errors/error"
    // Accounts
    case login = "pages/account/login"
    case registerChoice = "pages/account/register"
    case registerPerson = "pages/account/register-person"
    case registerOrganisation = "pages/account/register-organisation"
    /// A confirmation link's page: one button that confirms (links in e-mails must not change state on GET).
    case confirmLink = "pages/account/confirm-link"
    case resendConfirmation = "pages/account/resend-confirmation"
    case forgotPassword = "pages/account/forgot-password"
    case resetPassword = "pages/account/reset-password"
    /// "Please check your inbox" and similar one-message pages.
    case accountMessage = "pages/account/message"
    case invitation = "pages/account/invitation"
    // Mein Bereich
    case myOverview = "pages/my/overview"
    case mySettings = "pages/my/settings"
    case listingForm = "pages/my/listing-form"
    case eventForm = "pages/my/event-form"
    case organisationForm = "pages/my/organisation-form"
    case members = "pages/my/members"
    // Contact
    case contact = "pages/contact/contact"
    // Staff
    case staffOverview = "pages/staff/overview"
    case staffOrganisations = "pages/staff/organisations"
    case staffOrganisation = "pages/staff/organisation"
    case staffOutbox = "pages/staff/outbox"
    case staffOutboxMessage = "pages/staff/outbox-message"
    case staffTeam = "pages/staff/team"
    case staffTopics = "pages/staff/topics"
    case staffTopic = "pages/staff/topic"
}

/// Dispatches a route to its page.
enum Pages {
    /// The answer for any route: read-only pages render; form routes handle GET and POST themselves.
    static func respond(_ route: SiteRoute, _ context: RequestContext) throws -> Outcome {
        switch route {
        case .account(let route): try AccountPages.respond(route, context)
        case .my(let route): try MyPages.respond(route, context)
        case .staff(let route): try StaffPages.respond(route, context)
        case .contact(let section, let id): try ContactPage.respond(section, id: id, context)
        case .accessibilityFeedback: try AccessibilityFeedbackPage.respond(context)
        case .image(let name): try ImageResponse.respond(name: name, context)
        default: .page(try render(route, context))
        }
    }

    static func render(_ route: SiteRoute, _ context: RequestContext) throws -> RenderedPage {
        switch route {
        case .home: try HomePage.render(context)
        case .listings(let section): try ListingsPage.render(section, context)
        case .listing(let section, let id): try ListingDetailPage.render(section, id: id, context)
        case .events: try EventsPage.render(context)
        case .event(let id): try EventDetailPage.render(id: id, context)
        case .organisations: try OrganisationsPage.render(context)
        case .organisation(let id): try OrganisationDetailPage.render(id: id, context)
        case .municipalities: MunicipalitiesPage.render(context)
        case .municipality(let slug): try MunicipalityPage.render(slug: slug, context)
        case .search: try SearchPage.render(context)
        case .imprint: LegalPage.render(.imprint, context)
        case .privacy: LegalPage.render(.privacy, context)
        case .accessibility: LegalPage.render(.accessibility, context)
        case .easyLanguage: EasyLanguagePage.render(context)
        case .staticFile, .themeStylesheet, .health, .account, .my, .staff, .contact, .image, .accessibilityFeedback:
            throw HTTPError.notFound
        }
    }
}
