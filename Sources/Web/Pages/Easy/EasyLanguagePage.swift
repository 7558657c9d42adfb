/// `/leichte-sprache`: what the exchange is and how to take part, in Leichte Sprache (easy German; the other
/// languages get plain language of their own under the same keys). One picture beside each point, headings as
/// questions, links to the real pages at the points that mention them, the county's contact for help in person,
/// and the place for the county's video in German Sign Language (DGS).
///
/// The text lives in the template as `{{t.easy.…}}` (every sentence its own key, so each starts on a new line);
/// this builds only what depends on the request and the county: links, pictures, contact and video.
enum EasyLanguagePage {
    /// The pictures of `Public/img/easy/`, by the name the template uses. Each sits beside a heading that says
    /// the same, so each is decorative (`alt=""`).
    static let pictures: [String: String] = [
        "signLanguage": "gebaerden", "exchange": "boerse", "volunteering": "helfen", "club": "verein",
        "search": "suchen", "donation": "spende", "events": "kalender", "account": "brief", "help": "telefon",
    ]

    static func render(_ context: RequestContext) -> RenderedPage {
        let strings = context.strings
        let site = context.app.site
        var values: [String: Any] = [
            "picture": pictures.mapValues { SiteRoute.staticFile(path: "img/easy/\($0).svg"[...]).path },
            "links": [
                "volunteerNeeds": SiteRoute.listings(.volunteerNeeds).path,
                "offerHelp": SiteRoute.my(.newPosting(.volunteerOffer)).path,
                "donations": SiteRoute.listings(.donations).path,
                "offerDonation": SiteRoute.my(.newPosting(.donationOffer)).path,
                "events": SiteRoute.events.path,
                "register": SiteRoute.account(.register).path,
                "feedback": SiteRoute.accessibilityFeedback.path,
            ],
            "contact": contactValues(site.contact),
            // The one sentence that names the county ("für alle Menschen im Kreis Lippe").
            "audience": strings.format("easy.what.text_2", site.placeholders),
        ]
        if let video = videoValues(site.accessibility) { values["video"] = video }
        return RenderedPage(
            template: .easyLanguage, title: strings["easy.title"], context: values,
            description: strings.format("easy.description", site.placeholders))
    }

    /// The county's contact for the "Wer hilft mir?" box; empty parts print nothing (the template marks a
    /// missing phone number and e-mail address as still to be filled in, as the legal pages do).
    static func contactValues(_ contact: SiteSettings.Contact) -> [String: Any] {
        [
            "organisation": contact.organisation,
            "department": contact.department,
            "street": contact.street,
            "place": [contact.postalCode, contact.city].filter { !$0.isEmpty }.joined(separator: " "),
            "phone": contact.phone,
            "phoneHref": "tel:" + contact.phone.filter { $0.isNumber || $0 == "+" },
            "email": contact.email,
            "emailHref": "mailto:" + contact.email,
        ]
    }

    /// The `<video>` values when the county has configured its DGS video, else nil (the page shows the placeholder).
    static func videoValues(_ settings: SiteSettings.Accessibility) -> [String: Any]? {
        guard let path = SiteSettings.publicFilePath(settings.signLanguageVideo) else { return nil }
        // Every key set (empty prints nothing), so the template never picks up a value from around the video.
        return [
            "src": SiteRoute.staticFile(path: path[...]).path,
            "type": videoType(path) ?? "",
            "transcriptHref": SiteSettings.publicFilePath(settings.signLanguageTranscript).map {
                SiteRoute.staticFile(path: $0[...]).path
            } ?? "",
        ]
    }

    /// The media type for `<source type>` (lets a browser skip a format it cannot play); nil when unknown.
    static func videoType(_ path: String) -> String? {
        switch path.split(separator: ".").last?.lowercased() {
        case "mp4", "m4v": "video/mp4"
        case "webm": "video/webm"
        case "ogv": "video/ogg"
        default: nil
        }
    }
}

extension EasyLanguagePage {
    /// The strings the Swift code asks for (the page's text is in its template); to be checked at start-up
    /// through `RequiredStrings` once every language has them.
    static let requiredKeys = ["easy.title", "easy.description", "easy.footer_link", "easy.what.text_2"]
}
