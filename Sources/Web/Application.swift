import Domain
import Foundation
import HTTPServer
import HTTPTypes
import Logging
import Storage

/// The composition root: builds every part of the web application once, for `boerse serve` and for tests.
public func buildApplication(_ configuration: AppConfiguration, logger: Logger) throws -> Application {
    try Application(configuration: configuration, logger: logger)
}

/// The exchange as a request handler: routes a request to its page and renders the answer.
public final class Application: Sendable {
    let configuration: AppConfiguration
    let logger: Logger
    let database: AppDatabase
    /// German strings: the source language, used for the command line (mail has every language's).
    let strings: Localization
    /// Strings, dates and layout per language; German always, others when their file exists.
    let languages: [Language: LanguagePack]
    let views: Views
    let site: SiteSettings
    private let catalogBox: CatalogBox
    /// Listing pages as anonymous visitors see them (`PageCache`).
    let pageCache = PageCache()
    /// Municipalities and topics with their stored (German) names; replaced as a whole when an admin
    /// changes the taxonomy.
    var catalog: Catalog { catalogBox.current }
    /// The catalog with topic names in `language`.
    func catalog(_ language: Language) -> Catalog { catalogBox.current(language) }
    let dates: DateText
    let staticFiles: StaticFiles
    let listings: ListingStore
    let events: EventStore
    let organisations: OrganisationStore
    let layout: LayoutBuilder
    let users: UserStore
    let sessions: SessionManager
    let passwords: PasswordHasher
    let passwordPolicy: PasswordPolicy
    let formGuard: FormGuard
    let rateLimits = RateLimits()
    let images: ImageStore
    let mailer: Mailer
    /// Sends what the outbox holds; nil with the `outbox` transport (mail stays there for staff to read).
    let mailWorker: MailDeliveryWorker?
    let maintenance = PeriodicJob(label: "boerse.maintenance")
    private let regionSlugs: [String]

    init(configuration: AppConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        database = try AppDatabase(path: configuration.databasePath)
        try Migrator(directory: configuration.migrationsDirectory).migrate(database)
        let region = try RegionLoader.load(path: configuration.regionFile, into: database)
        regionSlugs = region.map(\.slug)
        var packs: [Language: LanguagePack] = [:]
        let settings = try SiteSettings.load(path: configuration.siteSettingsFile)
        for language in Language.allCases {
            let path = configuration.localizationFile(language)
            guard language == .de || FileManager.default.fileExists(atPath: path) else { continue }
            let strings = try Localization(language: language.rawValue, path: path)
            try strings.require(RequiredStrings.keys)
            packs[language] = LanguagePack(strings: strings, timeZone: configuration.timeZone, site: settings)
        }
        languages = packs
        catalogBox = CatalogBox(
            try Self.loadCatalog(database: database, regionSlugs: region.map(\.slug)),
            strings: packs.mapValues(\.strings))
        strings = packs[.de]!.strings
        views = try Views(directory: configuration.templatesDirectory)
        try views.require(PageTemplate.allCases.map(\.rawValue))
        site = settings
        dates = packs[.de]!.dates
        staticFiles = StaticFiles(root: configuration.publicDirectory, commonFields: SecurityHeaders.fieldSets)
        listings = ListingStore(database: database)
        events = EventStore(database: database)
        organisations = OrganisationStore(database: database)
        layout = packs[.de]!.layout
        users = UserStore(database: database)
        sessions = SessionManager(
            store: SessionStore(database: database), idleTimeout: configuration.sessionIdleTimeout,
            lifetime: configuration.sessionLifetime)
        passwords = PasswordHasher()
        passwordPolicy = try PasswordPolicy(commonPasswordsFile: configuration.commonPasswordsFile)
        formGuard = FormGuard(minimumFillTime: configuration.minimumFormFillTime)
        images = ImageStore(directory: configuration.uploadsDirectory, database: database)
        mailer = try Mailer(
            configuration: configuration, database: database, strings: packs.mapValues(\.strings), site: site)
        let outbox = OutboxStore(database: database)
        mailWorker = configuration.mail.deliveryTransport.map {
            MailDeliveryWorker(store: outbox, transport: $0, clock: configuration.clock, logger: logger)
        }
    }

    /// Starts the background work of a running server: mail delivery, and every 15 minutes the account
    /// clean-up (unconfirmed accounts after 7 days, used and expired links, ended sessions). Tests never
    /// start it; they call the jobs directly.
    public func startBackgroundJobs() {
        mailWorker?.start(interval: 10)
        maintenance.start(every: 15 * 60) { [self] in
            do {
                let report = try AccountMaintenance.run(self, now: configuration.clock())
                logger.debug("maintenance", metadata: ["report": "\(report)"])
            } catch {
                logger.error("maintenance failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Stops the background work, waiting for running passes to finish.
    public func stopBackgroundJobs() {
        mailWorker?.stop()
        maintenance.stop()
    }

    private static func loadCatalog(database: AppDatabase, regionSlugs: [String]) throws -> Catalog {
        let store = CatalogStore(database: database)
        return Catalog(municipalities: try store.municipalities(slugs: regionSlugs), topics: try store.topics())
    }

    /// Reads municipalities and topics again (after an admin changed the taxonomy).
    func reloadCatalog() throws {
        catalogBox.replace(with: try Self.loadCatalog(database: database, regionSlugs: regionSlugs))
    }

    /// Answers one request. Never throws: faults become the 500 page and a log line with the request id.
    public func respond(to request: ServerRequest) -> ServerResponse {
        var response = route(request)
        // A kept page, a file or the health answer already carries them, in its head made once.
        if !response.hasSerializedHead {
            SecurityHeaders.apply(to: &response.headerFields, https: servedOverHTTPS(request))
        }
        return response
    }

    /// The answers that never block, for the server's `QuickHandler`: `/healthz`, files from `Public/`
    /// (kept in memory, checked with one `stat`) and kept listing pages for a request without cookies
    /// (`PageCache`: a lookup under a lock). Nil for everything else, including a missing file or a page
    /// not kept, which `respond(to:)` renders on a worker. Same responses as `respond(to:)`.
    public func respondQuickly(to request: ServerRequest) -> ServerResponse? {
        let method = request.head.method
        guard method == .get || method == .head else { return nil }
        let https = servedOverHTTPS(request)
        let fieldSet = SecurityHeaders.fieldSet(https: https)
        // The two fixed addresses first, on bytes: they have no language prefix and no other route
        // starts like them. Other spellings ("/healthz/") take the general way below, to the same answer.
        let path = request.path
        if path.utf8.elementsEqual(SiteRoute.health.path.utf8) { return healthResponses[fieldSet] }
        if path.utf8.starts(with: SiteRoute.staticPrefix.utf8) {
            return staticFiles.response(
                forPath: path.dropFirst(SiteRoute.staticPrefix.count), request: request, commonFieldSet: fieldSet
            ).map { secured($0, https: https) }
        }
        // Only a request without any cookie is surely a visitor without a session; the rest (and whatever
        // is not kept yet) goes to a worker, which looks at the session. Only listing pages are ever kept,
        // so a kept page is looked up before the path is parsed.
        if method == .get, !request.head.headerFields.contains(.cookie),
            let slot = pageCacheSlot(request: request, https: https),
            let kept = pageCache.response(for: slot.key, validity: slot.validity, now: configuration.clock())
        {
            return kept.response(for: request)
        }
        let (language, rest) = Language.split(path)
        guard language == .de, let route = SiteRoute.parse(rest) else { return nil }
        switch route {
        case .health: return healthResponses[fieldSet]
        case .staticFile(let file):
            return staticFiles.response(forPath: file, request: request, commonFieldSet: fieldSet).map {
                secured($0, https: https)
            }
        default: return nil
        }
    }

    /// `response` with the security fields: already there in a head made once (a file, a kept page),
    /// added here to anything else (a refused path's 400, a 405).
    private func secured(_ response: ServerResponse, https: Bool) -> ServerResponse {
        guard !response.hasSerializedHead else { return response }
        var secured = response
        SecurityHeaders.apply(to: &secured.headerFields, https: https)
        return secured
    }

    /// Where the page for this request would be kept, and what it must still match to be served; nil when
    /// pages are not kept or the target is too long. Whether a page may be kept at all is decided when it
    /// is stored (`PageCache.accepts`, the visitor, the response).
    private func pageCacheSlot(request: ServerRequest, https: Bool) -> (
        key: PageCache.Key, validity: PageCache.Validity
    )? {
        guard configuration.keepsListingPages, let key = PageCache.key(target: request.head.path ?? "", https: https)
        else { return nil }
        let validity = PageCache.Validity(
            listingWrites: database.listingPageWrites.value, catalogGeneration: catalogBox.currentGeneration)
        return (key, validity)
    }

    /// `GET /healthz`: the process is up and answering; made once per field set of `SecurityHeaders`.
    private let healthResponses: [ServerResponse] = [false, true].map { https in
        var response = ServerResponse.text("ok", contentType: "text/plain")
        response.headerFields[.cacheControl] = "no-store"
        SecurityHeaders.apply(to: &response.headerFields, https: https)
        return ReusableResponse(response).plain
    }

    private func servedOverHTTPS(_ request: ServerRequest) -> Bool {
        configuration.isServedOverHTTPS
            || ClientAddress.isForwardedHTTPS(request, trustedProxies: configuration.trustedProxies)
    }

    private func route(_ request: ServerRequest) -> ServerResponse {
        let (language, path) = Language.split(request.path)
        return Language.$current.withValue(languages[language] == nil ? .de : language) {
            guard languages[language] != nil else { return errorPage(.notFound, request: request) }
            return route(request, path: path, language: language)
        }
    }

    private func route(_ request: ServerRequest, path: Substring, language: Language) -> ServerResponse {
        guard let route = SiteRoute.parse(path) else {
            return errorPage(.notFound, request: request)
        }
        let method = request.head.method
        if route == .health {
            guard language == .de, method == .get || method == .head else {
                return errorPage(.notFound, request: request)
            }
            return healthResponses[SecurityHeaders.fieldSet(https: servedOverHTTPS(request))]
        }
        if route == .themeStylesheet {
            guard language == .de, method == .get || method == .head else {
                return errorPage(.notFound, request: request)
            }
            var response = ServerResponse.text(site.effectiveTheme.stylesheet, contentType: "text/css")
            response.headerFields[.cacheControl] = "public, max-age=3600"
            return response
        }
        if case .staticFile(let file) = route {
            // Files have one address in every language.
            guard language == .de else { return errorPage(.notFound, request: request) }
            guard method == .get || method == .head else {
                return errorPage(.methodNotAllowed, request: request, allow: "GET, HEAD")
            }
            return staticFiles.response(
                forPath: file, request: request,
                commonFieldSet: SecurityHeaders.fieldSet(https: servedOverHTTPS(request)))
                ?? errorPage(.notFound, request: request)
        }
        let isRead = method == .get || method == .head
        guard (isRead && route.acceptsGet) || (method == .post && route.acceptsPost) else {
            return errorPage(.methodNotAllowed, request: request, allow: Self.allowed(route))
        }
        if route == .home, language == .de, isRead, let preferred = preferredLanguage(request) {
            var response = redirect(to: SiteRoute.home.path(in: preferred), extras: ResponseExtras(), status: .found)
            response.headerFields[.vary] = "Accept-Language"
            return response
        }
        let now = configuration.clock()
        let extras = ResponseExtras()
        var visitor: Visitor?
        do {
            let query = try QueryString(request.query)
            let currentVisitor = try sessions.visitor(for: request, now: now)
            visitor = currentVisitor
            if currentVisitor.staleSessionCookie {
                extras.cookies.append(Cookies.expired(SessionManager.sessionCookie))
            }
            let form = method == .post ? try checkedForm(request, route: route, visitor: currentVisitor) : FormData()
            var cacheSlot: (key: PageCache.Key, validity: PageCache.Validity)?
            if method == .get, currentVisitor.session == nil, !currentVisitor.staleSessionCookie,
                PageCache.accepts(route), let slot = pageCacheSlot(request: request, https: servedOverHTTPS(request))
            {
                if let kept = pageCache.response(for: slot.key, validity: slot.validity, now: now) {
                    return kept.response(for: request)
                }
                cacheSlot = slot
            }
            let context = RequestContext(
                app: self, request: request, route: route, language: language, query: query, now: now,
                visitor: currentVisitor,
                clientAddress: ClientAddress.of(request, trustedProxies: configuration.trustedProxies), form: form,
                extras: extras)
            let outcome = try Pages.respond(route, context)
            var response = finish(outcome, context: context)
            if let cacheSlot, !extras.carriesFormToken, extras.cookies.isEmpty {
                // Kept complete, so that a hit needs nothing added but what the server adds.
                SecurityHeaders.apply(to: &response.headerFields, https: cacheSlot.key.https)
                if let kept = pageCache.store(response, for: cacheSlot.key, validity: cacheSlot.validity, now: now) {
                    return kept.response(for: request)
                }
            }
            return response
        } catch let error as HTTPError {
            return errorPage(error, request: request, visitor: visitor, extras: extras)
        } catch is LoginRequired {
            var target = SiteRoute.account(.login).path
            if isRead { target += "?weiter=" + QueryBuilder.encode(String(request.head.path ?? "/")) }
            return redirect(to: target, extras: extras)
        } catch is PasswordHasher.Busy {
            // A flood of password checks: refuse this one quickly instead of tying up a worker thread.
            return errorPage(
                HTTPError(status: .serviceUnavailable, messageKey: "error.busy.text", retryAfter: 2), request: request,
                visitor: visitor, extras: extras)
        } catch is QueryString.DecodingError {
            return errorPage(.badRequest, request: request, visitor: visitor, extras: extras)
        } catch let error as FormError {
            return errorPage(Self.httpError(for: error), request: request, visitor: visitor, extras: extras)
        } catch {
            logger.error(
                "page failed",
                metadata: ["request_id": "\(request.id)", "path": "\(request.path)", "error": "\(error)"])
            return errorPage(
                HTTPError(status: .internalServerError, messageKey: "error.server.text"), request: request,
                visitor: visitor, extras: extras)
        }
    }

    /// The form of a POST, after the origin check, parsing under limits, and the CSRF token check.
    /// Any failure ends the request before a handler runs, so nothing is changed.
    private func checkedForm(_ request: ServerRequest, route: SiteRoute, visitor: Visitor) throws -> FormData {
        guard CSRFGuard.originAllows(request, publicBaseURL: configuration.publicBaseURL) else {
            throw HTTPError.csrfFailed
        }
        let form = try FormParser.parse(request, limits: Self.isUploadPath(request.path) ? .upload : .standard)
        let expected = visitor.session?.csrfToken ?? visitor.anonymousToken
        guard CSRFGuard.tokenMatches(form.first(CSRFGuard.fieldName), expected: expected) else {
            throw HTTPError.csrfFailed
        }
        return form
    }

    /// Paths whose forms may carry an image (organisation logo, listing picture); the server allows
    /// them bigger bodies, and the form parser bigger files, so the page can answer "too big" itself.
    public static let uploadPathPrefixes = Language.allCases.flatMap { language in
        ["/registrieren/organisation", "/mein-bereich/"].map { language.pathPrefix + $0 }
    }

    static func isUploadPath(_ path: Substring) -> Bool {
        uploadPathPrefixes.contains { path.hasPrefix($0) }
    }

    private static func allowed(_ route: SiteRoute) -> String {
        switch (route.acceptsGet, route.acceptsPost) {
        case (true, true): "GET, HEAD, POST"
        case (false, true): "POST"
        default: "GET, HEAD"
        }
    }

    private static func httpError(for error: FormError) -> HTTPError {
        switch error.status {
        case .contentTooLarge: HTTPError(status: .contentTooLarge, messageKey: "error.too_large.text")
        case .unsupportedMediaType:
            HTTPError(status: .unsupportedMediaType, messageKey: "error.unsupported_form.text")
        default: HTTPError(status: .badRequest, messageKey: "error.bad_form.text")
        }
    }

    private func finish(_ outcome: Outcome, context: RequestContext) -> ServerResponse {
        switch outcome {
        case .page(let page):
            return html(page, request: context.request, visitor: context.visitor, extras: context.extras)
        case .redirect(let location):
            return redirect(to: location, extras: context.extras)
        case .response(let response):
            return response
        }
    }

    /// A visitor arriving at the German start page from outside (no referrer of ours) whose browser
    /// prefers another language of ours is sent to that language's start page. Everywhere else the
    /// URL decides, so a choice made with the switcher is never overridden.
    private func preferredLanguage(_ request: ServerRequest) -> Language? {
        guard let header = request.head.headerFields[.acceptLanguage] else { return nil }
        if let referer = request.head.headerFields[.referer], let authority = request.head.authority,
            referer.hasPrefix("http://" + authority) || referer.hasPrefix("https://" + authority)
                || referer.hasPrefix(configuration.publicBaseURL)
        {
            return nil
        }
        let preferred = Language.preferred(acceptLanguage: header, among: Array(languages.keys))
        return preferred == .de ? nil : preferred
    }

    private func redirect(
        to location: String, extras: ResponseExtras, status: HTTPResponse.Status = .seeOther
    ) -> ServerResponse {
        var response = ServerResponse.text("", status: status, contentType: "text/plain")
        response.headerFields[.location] = location
        response.headerFields[.cacheControl] = "no-store"
        for cookie in extras.cookies { response.headerFields.append(HTTPField(name: .setCookie, value: cookie)) }
        return response
    }

    func html(
        _ page: RenderedPage, request: ServerRequest, visitor: Visitor? = nil, extras: ResponseExtras? = nil
    ) -> ServerResponse {
        var context = page.context
        let language = Language.current
        pack(language).layout.addLayout(to: &context, page: page, request: request)
        addLanguageLinks(to: &context, request: request, current: language)
        if let visitor { addAccountNavigation(to: &context, visitor: visitor, extras: extras) }
        if let notice = notice(in: request) { context["notice"] = notice }
        var fields = HTTPFields()
        fields[.contentType] = "text/html; charset=utf-8"
        var response = ServerResponse(
            status: page.status, headerFields: fields, body: views.render(page.template.rawValue, context))
        // Pages of a logged-in person, and pages with a form token, are never stored by shared caches.
        let personal = visitor?.session != nil || !(extras?.cookies.isEmpty ?? true)
        response.headerFields[.cacheControl] = personal ? "private, no-store" : "no-cache"
        for cookie in extras?.cookies ?? [] {
            response.headerFields.append(HTTPField(name: .setCookie, value: cookie))
        }
        return response
    }

    /// The language switcher (this page in every language, each name in its own language) and the
    /// `hreflang` alternates for search engines.
    private func addLanguageLinks(to context: inout [String: Any], request: ServerRequest, current: Language) {
        let rest = Language.split(request.path).1
        let query = request.query.isEmpty ? "" : "?" + request.query
        let available = Language.allCases.filter { languages[$0] != nil }
        func href(_ language: Language) -> String {
            (language == .de ? String(rest) : language.pathPrefix + (rest == "/" ? "/" : String(rest))) + query
        }
        context["languageLinks"] = available.map { language in
            [
                "code": language.rawValue, "name": language.nativeName, "href": href(language),
                "current": language == current, "dir": language.isRightToLeft ? "rtl" : "ltr",
            ] as [String: Any]
        }
        context["alternates"] = available.map { language in
            ["code": language.rawValue, "href": configuration.publicBaseURL + href(language)]
        }
        context["defaultAlternate"] = configuration.publicBaseURL + href(.de)
        // Printed only: where the page lives, for people who take a listing home on paper.
        context["pageAddress"] = configuration.publicBaseURL + href(current)
        context["hasLanguageChoice"] = available.count > 1
    }

    /// The header's account links: "Anmelden" for visitors; "Mein Bereich", staff pages and a logout
    /// button (a form with the session's token) for logged-in people.
    private func addAccountNavigation(to context: inout [String: Any], visitor: Visitor, extras: ResponseExtras?) {
        guard let session = visitor.session else {
            context["account"] = [
                "loginHref": SiteRoute.account(.login).path, "registerHref": SiteRoute.account(.register).path,
            ]
            return
        }
        let role = session.user.role
        context["account"] = [
            "user": true,
            "loggedInAs": pack(Language.current).strings.format(
                "header.logged_in_as", ["name": session.user.displayName]),
            "myHref": SiteRoute.my(.overview).path,
            "staffHref": (role == .staff || role == .admin) ? SiteRoute.staff(.overview).path : "",
            "logoutAction": SiteRoute.account(.logout).path,
            "csrf": session.csrfToken,
        ]
    }

    /// The one-line confirmation after a redirect: `?hinweis=<section>.<name>` shows the string
    /// `<section>.notice.<name>`; anything else is ignored.
    private func notice(in request: ServerRequest) -> String? {
        guard let query = try? QueryString(request.query), let value = query.first("hinweis"),
            let dot = value.firstIndex(of: "."), value.utf8.count <= 60,
            value.utf8.allSatisfy({ (0x61...0x7A).contains($0) || $0 == 0x5F || $0 == 0x2E })
        else { return nil }
        let key = String(value[..<dot]) + ".notice." + String(value[value.index(after: dot)...])
        let strings = pack(Language.current).strings
        return strings.contains(key) ? strings[key] : nil
    }

    func errorPage(
        _ error: HTTPError, request: ServerRequest, allow: String? = nil, visitor: Visitor? = nil,
        extras: ResponseExtras? = nil
    ) -> ServerResponse {
        var response = html(
            ErrorPage.render(error, strings: pack(Language.current).strings), request: request, visitor: visitor,
            extras: extras)
        if let allow { response.headerFields[.allow] = allow }
        if let seconds = error.retryAfter { response.headerFields[.retryAfter] = String(seconds) }
        return response
    }
}

extension Application {
    public enum AccountError: Error, CustomStringConvertible {
        case emailTaken
        case invalidEmail
        case weakPassword(String)

        public var description: String {
            switch self {
            case .emailTaken: "An account with this e-mail address exists already."
            case .invalidEmail: "This is not a valid e-mail address."
            case .weakPassword(let reason): "The password is not accepted: \(reason)."
            }
        }
    }

    /// Creates a confirmed account (staff and admins from the command line, accounts in tests). The
    /// password must pass the same policy as on the registration page.
    @discardableResult
    public func addAccount(email: String, name: String, role: Role, password: String) throws -> Int64 {
        let address = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard EmailAddress.isValid(address) else { throw AccountError.invalidEmail }
        if let problem = passwordPolicy.problem(with: password, email: address, name: name) {
            throw AccountError.weakPassword(problem.rawValue)
        }
        let now = configuration.clock()
        do {
            return try users.create(
                email: address, displayName: name, role: role, passwordHash: try passwords.hash(password),
                consentedAt: nil,
                now: now, confirmedAt: now)
        } catch UserStore.CreateError.emailTaken {
            throw AccountError.emailTaken
        }
    }
}

extension Application {
    /// The strings, dates and layout of `language` (German when the language has no file).
    func pack(_ language: Language) -> LanguagePack {
        languages[language] ?? languages[.de]!
    }
}
