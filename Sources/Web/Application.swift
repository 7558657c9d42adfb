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
    let strings: Localization
    let views: Views
    let site: SiteSettings
    let catalog: Catalog
    let dates: DateText
    let staticFiles: StaticFiles
    let listings: ListingStore
    let events: EventStore
    let organisations: OrganisationStore
    let layout: LayoutBuilder

    init(configuration: AppConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        database = try AppDatabase(path: configuration.databasePath)
        try Migrator(directory: configuration.migrationsDirectory).migrate(database)
        let region = try RegionLoader.load(path: configuration.regionFile, into: database)
        let catalogStore = CatalogStore(database: database)
        catalog = Catalog(
            municipalities: try catalogStore.municipalities(slugs: region.map(\.slug)),
            topics: try catalogStore.topics())
        strings = try Localization(language: "de", path: configuration.localizationFile)
        try strings.require(RequiredStrings.keys)
        views = try Views(directory: configuration.templatesDirectory)
        try views.require(PageTemplate.allCases.map(\.rawValue))
        site = try SiteSettings.load(path: configuration.siteSettingsFile)
        dates = DateText(strings: strings, timeZone: configuration.timeZone)
        staticFiles = StaticFiles(root: configuration.publicDirectory)
        listings = ListingStore(database: database)
        events = EventStore(database: database)
        organisations = OrganisationStore(database: database)
        layout = LayoutBuilder(strings: strings, site: site)
    }

    /// Answers one request. Never throws: faults become the 500 page and a log line with the request id.
    public func respond(to request: ServerRequest) -> ServerResponse {
        var response = route(request)
        SecurityHeaders.apply(to: &response.headerFields)
        return response
    }

    private func route(_ request: ServerRequest) -> ServerResponse {
        guard let route = SiteRoute.parse(request.path) else {
            return errorPage(.notFound, request: request)
        }
        if case .staticFile(let path) = route {
            guard request.head.method == .get || request.head.method == .head else {
                return errorPage(.methodNotAllowed, request: request)
            }
            return staticFiles.response(forPath: path, request: request) ?? errorPage(.notFound, request: request)
        }
        guard request.head.method == .get || request.head.method == .head else {
            return errorPage(.methodNotAllowed, request: request)
        }
        do {
            let query = try QueryString(request.query)
            let context = RequestContext(
                app: self, request: request, route: route, query: query, now: configuration.clock())
            let page = try Pages.render(route, context)
            return html(page, request: request)
        } catch let error as HTTPError {
            return errorPage(error, request: request)
        } catch is QueryString.DecodingError {
            return errorPage(.badRequest, request: request)
        } catch {
            logger.error(
                "page failed",
                metadata: ["request_id": "\(request.id)", "path": "\(request.path)", "error": "\(error)"])
            return errorPage(
                HTTPError(status: .internalServerError, messageKey: "error.server.text"), request: request)
        }
    }

    func html(_ page: RenderedPage, request: ServerRequest) -> ServerResponse {
        var context = page.context
        layout.addLayout(to: &context, page: page, request: request)
        let body = views.render(page.template.rawValue, context)
        var response = ServerResponse.text(body, status: page.status, contentType: "text/html")
        response.headerFields[.cacheControl] = "no-cache"
        if page.status == .methodNotAllowed { response.headerFields[.allow] = "GET, HEAD" }
        return response
    }

    func errorPage(_ error: HTTPError, request: ServerRequest) -> ServerResponse {
        html(ErrorPage.render(error, strings: strings), request: request)
    }
}
