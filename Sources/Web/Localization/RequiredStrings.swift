import Domain

/// The localization keys the Swift code builds at run time (templates' keys are checked by the i18n test).
/// Checked at start-up, so a missing translation stops the start instead of showing a key on a page.
enum RequiredStrings {
    static var keys: [String] {
        var keys = [
            "site.name", "site.description", "filter.remove", "pagination.summary", "pagination.page_label",
            "german.any_badge", "legal.missing", "municipalities.title", "municipalities.intro", "municipality.intro",
            "municipality.show_all", "municipality.distance", "home.heading", "home.lead", "events.title",
            "events.title_past", "events.intro", "organisations.title", "organisations.intro",
            "date.format.date", "date.format.date_time", "date.format.time",
            "event.registration.required", "event.registration.open", "organisations.no_open_listings", "layout.dir",
        ]
        keys += NavigationItem.allCases.map(\.labelKey)
        keys += ["footer.imprint", "footer.privacy", "footer.accessibility"]
        keys += ListingKind.allCases.map { "kind.\($0.rawValue)" }
        keys += TimeCommitment.allCases.map { "commitment.\($0.rawValue)" }
        keys += ItemCondition.allCases.map { "condition.\($0.rawValue)" }
        keys += GermanLevel.allCases.map { "german.\($0.rawValue)" }
        keys += EventType.allCases.map { "event_type.\($0.rawValue)" }
        keys += LegalForm.allCases.map { "legal_form.\($0.rawValue)" }
        keys += (1...7).map { "date.weekday.\($0)" }
        keys += (1...12).flatMap { ["date.month.\($0)", "date.month_short.\($0)"] }
        for section in ListingSection.allCases {
            keys += [
                "listings.\(section.rawValue).title", "listings.\(section.rawValue).intro",
                "listing.back.\(section.rawValue)",
            ]
        }
        keys += ["all", "angebote", "gesuche"].map { "listings.spenden.tab.\($0)" }
        keys += ["upcoming", "past"].map { "events.tab.\($0)" }
        for plural in [
            "listings.result_count", "events.result_count", "organisations.result_count", "organisations.open_listings",
            "listing.hours_per_month", "municipality.all_organisations", "home.stats.volunteer_needs",
            "home.stats.volunteer_offers", "home.stats.donations", "home.stats.events", "home.stats.organisations",
            "search.result_count_more",
        ] {
            keys += [plural + ".one", plural + ".other"]
        }
        for code in [400, 403, 404, 405, 413, 415, 429, 500, 503] { keys.append("error.\(code).title") }
        keys += [
            "bad_request", "not_found", "method_not_allowed", "server", "forbidden", "csrf", "too_large",
            "unsupported_form", "bad_form", "too_many_requests", "busy",
        ].map { "error.\($0).text" }
        for empty in ["listings", "events", "organisations"] {
            keys += ["\(empty).empty.none", "\(empty).empty.filtered"]
        }
        keys += [
            "municipality", "location", "quantity", "condition", "pickup", "commitment", "hours", "schedule",
            "requirements", "german", "languages", "published", "expires",
        ].map { "listing.fact.\($0)" }
        keys += ["when", "municipality", "venue", "address", "type", "cost", "registration"].map { "event.fact.\($0)" }
        keys += ["de", "en", "tr", "ar", "uk", "ru"].map { "language.\($0)" }
        keys += ["imprint", "privacy", "accessibility"].flatMap { ["legal.\($0).title", "legal.\($0).intro"] }
        keys += PasswordProblem.allCases.map(\.messageKey) + [PasswordPolicy.hintKey]
        keys += ContactPage.requiredKeys + StaffPages.requiredKeys + OrganisationAdminPages.requiredKeys
        keys += TeamPages.requiredKeys + TopicPages.requiredKeys
        keys += [
            "forms.image.not_an_image", "forms.image.too_large", "forms.bot.honeypot", "forms.bot.too_fast",
            "forms.bot.stale", "forms.summary_title.one", "forms.summary_title.other", "forms.title_with_errors",
            "header.logged_in_as", "account.login.heading", "account.login.failed", "account.login.unconfirmed",
            "account.login.email.missing", "account.login.password.missing",
        ]
        keys += MailTemplate.allCases.map(\.subjectKey)
        keys += [
            "search.title", "search.title_for", "search.intro", "search.too_long", "search.results_for",
            "search.empty.title", "search.form.q.label", "search.form.q.hint",
        ]
        keys += EasyLanguagePage.requiredKeys + AccessibilityFeedbackPage.requiredKeys
        keys += AccountStrings.keys
        keys += PostingForm.requiredKeys
        return keys
    }
}
