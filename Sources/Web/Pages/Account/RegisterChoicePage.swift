/// "Registrieren": explains the two ways to take part (as a person, as an organisation) and leads to
/// the form for each.
enum RegisterChoicePage {
    static let prefix = "account.register"

    static func respond(_ context: RequestContext) throws -> Outcome {
        let strings = context.strings
        let choices: [[String: Any]] = [
            [
                "title": strings["\(prefix).person.title"], "text": strings["\(prefix).person.text"],
                "points": ["point1", "point2"].map { strings["\(prefix).person.\($0)"] },
                "href": SiteRoute.account(.registerPerson).path, "action": strings["\(prefix).person.action"],
            ],
            [
                "title": strings["\(prefix).organisation.title"], "text": strings["\(prefix).organisation.text"],
                "points": ["point1", "point2"].map { strings["\(prefix).organisation.\($0)"] },
                "href": SiteRoute.account(.registerOrganisation).path,
                "action": strings["\(prefix).organisation.action"],
            ],
        ]
        let values: [String: Any] = [
            "heading": strings["\(prefix).heading"], "choices": choices,
            "loginHref": SiteRoute.account(.login).path,
        ]
        return .page(RenderedPage(template: .registerChoice, title: strings["\(prefix).heading"], context: values))
    }
}
