import Domain
import Storage

/// `/organisationen`: the directory of vetted clubs and organisations.
enum OrganisationsPage {
    static let pageSize = 20

    static func render(_ context: RequestContext) throws -> RenderedPage {
        let strings = context.strings
        let list = try ListPage(context, topicKind: .volunteering, basePath: SiteRoute.organisations.path)
        let page = try context.app.organisations.page(
            filter: list.filter, pageNumber: list.pageNumber, pageSize: pageSize, now: context.now)
        var values = try list.values(
            page, items: page.items.map { Cards.organisation($0, context) }, keyPrefix: "organisations", context)
        values["heading"] = strings["organisations.title"]
        values["intro"] = strings["organisations.intro"]
        return RenderedPage(
            template: .organisations, title: list.title(strings["organisations.title"], strings), context: values,
            navigation: .organisations, description: strings["organisations.intro"])
    }
}
