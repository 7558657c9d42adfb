/// Impressum, Datenschutzerklärung and Erklärung zur Barrierefreiheit: fixed structure and text from the
/// localization, facts from the county's configuration. A fact the county has not filled in yet is
/// shown as a visibly marked gap, so nobody mistakes an incomplete page for a finished one.
enum LegalPage {
    enum Kind: String {
        case imprint, privacy, accessibility
    }

    /// One heading with its facts and paragraphs.
    private struct Section {
        var key: String
        var facts: [(labelKey: String, value: String)] = []
        var paragraphCount: Int = 0
        /// A link after the facts (the feedback form), label key and route.
        var link: (labelKey: String, route: SiteRoute)? = nil
    }

    static func render(_ kind: Kind, _ context: RequestContext) -> RenderedPage {
        let strings = context.strings
        let site = context.app.site
        let contact = site.contact
        let postalAddress = [
            contact.street,
            [contact.postalCode, contact.city].filter { !$0.isEmpty }
                .joined(separator: " "),
        ].filter { !$0.isEmpty }.joined(separator: ", ")
        let sections: [Section]
        switch kind {
        case .imprint:
            sections = [
                Section(
                    key: "publisher",
                    facts: [
                        ("organisation", contact.organisation), ("department", contact.department),
                        ("address", postalAddress), ("represented_by", site.imprint.representedBy),
                        ("legal_form", site.imprint.legalForm),
                    ]),
                Section(key: "contact", facts: [("phone", contact.phone), ("email", contact.email)]),
                Section(
                    key: "authority",
                    facts: [
                        ("supervisory_authority", site.imprint.supervisoryAuthority), ("vat_id", site.imprint.vatID),
                    ]),
                Section(key: "editorial", facts: [("editorial", site.imprint.editorialResponsibility)]),
                Section(key: "third_party", paragraphCount: 2),
            ]
        case .privacy:
            sections = [
                Section(
                    key: "controller",
                    facts: [
                        ("organisation", contact.organisation), ("address", postalAddress), ("email", contact.email),
                    ]),
                Section(
                    key: "officer",
                    facts: [
                        ("officer", site.privacy.dataProtectionOfficer),
                        ("officer_email", site.privacy.dataProtectionOfficerEmail),
                    ]),
                Section(key: "purposes", paragraphCount: 2),
                Section(key: "logs", paragraphCount: 1),
                Section(key: "cookies", paragraphCount: 1),
                Section(key: "hosting", facts: [("hosting", site.privacy.hosting)]),
                Section(key: "retention", facts: [("retention", site.privacy.retention)]),
                Section(key: "rights", paragraphCount: 2),
                Section(key: "complaint", facts: [("supervisory_authority", site.privacy.supervisoryAuthority)]),
            ]
        case .accessibility:
            sections = [
                Section(key: "scope", paragraphCount: 1),
                Section(key: "conformance", facts: [("conformance", site.accessibility.conformance)]),
                Section(key: "known_issues", facts: [("known_issues", site.accessibility.knownIssues)]),
                Section(key: "statement", facts: [("statement_date", site.accessibility.statementDate)]),
                Section(
                    key: "feedback",
                    facts: [
                        ("feedback_email", site.accessibility.feedbackEmail),
                        ("feedback_phone", site.accessibility.feedbackPhone),
                    ], paragraphCount: 1, link: ("feedback.statement_link", .accessibilityFeedback)),
                Section(
                    key: "enforcement",
                    facts: [
                        ("enforcement_body", site.accessibility.enforcementBody),
                        ("enforcement_url", site.accessibility.enforcementURL),
                    ], paragraphCount: 1),
            ]
        }
        let prefix = "legal.\(kind.rawValue)"
        let values: [String: Any] = [
            "heading": strings["\(prefix).title"],
            "intro": strings.format("\(prefix).intro", site.placeholders),
            "sections": sections.map { section in
                [
                    "heading": strings["\(prefix).\(section.key).heading"],
                    "paragraphs": (0..<section.paragraphCount).map {
                        strings["\(prefix).\(section.key).text_\($0 + 1)"]
                    },
                    "facts": section.facts.map { fact in
                        [
                            "label": strings["legal.field.\(fact.labelKey)"],
                            "value": fact.value.isEmpty ? strings["legal.missing"] : fact.value,
                            "isMissing": fact.value.isEmpty,
                        ] as [String: Any]
                    },
                    "hasFacts": !section.facts.isEmpty,
                    // Set on every section (empty prints nothing), so no section picks up another's link.
                    "link": section.link.map { ["href": $0.route.path, "label": strings[$0.labelKey]] } ?? [:],
                ] as [String: Any]
            },
        ]
        return RenderedPage(template: .legal, title: strings["\(prefix).title"], context: values)
    }
}
