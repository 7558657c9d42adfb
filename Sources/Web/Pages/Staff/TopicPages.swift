import Domain
import Foundation
import HTTPTypes
import Logging
import Storage

/// `/verwaltung/themen` and `/verwaltung/themen/{id}` (admins only): the Themenfelder and donation
/// categories. Admins add topics, rename and re-order them, and make them inactive or active again. Topics
/// are never deleted and slugs never change (shared URLs carry them); inactive topics are not offered in
/// forms and filters but stay on what already has them. Every change reloads the cached catalog.
enum TopicPages {
    static let prefix = "staff.topics"
    static let addPrefix = "staff.topics.add"
    static let editPrefix = "staff.topics.edit"
    static let maximumNameLength = 60
    static let sortOrderRange = 0...99_999

    static func respond(_ route: StaffRoute, _ context: RequestContext) throws -> Outcome {
        let admin = try context.requireAdmin()
        switch route {
        case .topics:
            guard context.isPost else {
                var state = FormState()
                state.set("kind", TopicKind.volunteering.rawValue)
                return .page(try renderList(state: state, context))
            }
            return try add(admin, context)
        case .topic(let id):
            let store = TaxonomyStore(database: context.app.database)
            guard let entry = try store.entry(id: id) else { throw HTTPError.notFound }
            guard context.isPost else {
                var state = FormState()
                state.set("name", entry.topic.name)
                state.set("sort_order", String(entry.sortOrder))
                return .page(renderEdit(entry, state: state, context))
            }
            return try edit(entry, admin, context)
        default:
            throw HTTPError.notFound
        }
    }

    private static func add(_ admin: SessionUser, _ context: RequestContext) throws -> Outcome {
        let store = TaxonomyStore(database: context.app.database)
        var state = FormState(form: context.form, keeping: ["name", "kind"])
        let kind = TopicKind(rawValue: state.value("kind"))
        try checkName(state.value("name"), kind: kind, exceptID: nil, prefix: addPrefix, &state, context)
        if kind == nil { state.addError(context.strings["\(addPrefix).kind.missing"], to: "kind") }
        guard !state.hasErrors, let kind else {
            return .page(try renderList(state: state, context, status: .unprocessableContent))
        }
        let topic = try store.add(name: state.value("name"), kind: kind)
        try context.app.reloadCatalog()
        log("topic added", admin: admin, topicID: topic.id, context)
        return .redirect(SiteRoute.staff(.topics).path + "?hinweis=\(prefix).added")
    }

    private static func edit(_ entry: TaxonomyEntry, _ admin: SessionUser, _ context: RequestContext) throws
        -> Outcome
    {
        let store = TaxonomyStore(database: context.app.database)
        let id = entry.topic.id
        let notice: String
        switch context.form.first("action") ?? "save" {
        case "deactivate":
            try store.setActive(false, id: id)
            notice = "deactivated"
        case "activate":
            try store.setActive(true, id: id)
            notice = "activated"
        case "save":
            var state = FormState(form: context.form, keeping: ["name", "sort_order"])
            try checkName(
                state.value("name"), kind: entry.topic.kind, exceptID: id, prefix: editPrefix, &state, context)
            let sortOrder = Int(state.value("sort_order")).flatMap { sortOrderRange.contains($0) ? $0 : nil }
            if sortOrder == nil {
                state.addError(
                    context.strings.format(
                        "\(editPrefix).sort_order.invalid", ["max": String(sortOrderRange.upperBound)]),
                    to: "sort_order")
            }
            guard !state.hasErrors, let sortOrder else {
                return .page(renderEdit(entry, state: state, context, status: .unprocessableContent))
            }
            try store.update(id: id, name: state.value("name"), sortOrder: sortOrder)
            notice = "saved"
        default:
            throw HTTPError.badRequest
        }
        try context.app.reloadCatalog()
        log("topic \(notice)", admin: admin, topicID: id, context)
        return .redirect(SiteRoute.staff(.topics).path + "?hinweis=\(prefix).\(notice)")
    }

    /// Required, at most 60 characters, no control characters, and unique (without case) in its list.
    private static func checkName(
        _ name: String, kind: TopicKind?, exceptID: Int64?, prefix: String, _ state: inout FormState,
        _ context: RequestContext
    ) throws {
        let strings = context.strings
        if name.isEmpty {
            state.addError(strings["\(prefix).name.missing"], to: "name")
        } else if name.count > maximumNameLength {
            state.addError(
                strings.format("\(prefix).name.too_long", ["max": String(maximumNameLength)]), to: "name")
        } else if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            state.addError(strings["\(prefix).name.invalid"], to: "name")
        } else if let kind,
            try TaxonomyStore(database: context.app.database).nameTaken(name, kind: kind, exceptID: exceptID)
        {
            state.addError(strings["\(prefix).name.taken"], to: "name")
        }
    }

    private static func log(_ message: Logger.Message, admin: SessionUser, topicID: Int64, _ context: RequestContext) {
        context.app.logger.notice(
            message,
            metadata: ["admin_id": "\(admin.id)", "topic_id": "\(topicID)", "request_id": "\(context.request.id)"])
    }

    static func renderList(state: FormState, _ context: RequestContext, status: HTTPResponse.Status = .ok) throws
        -> RenderedPage
    {
        let strings = context.strings
        let entries = try TaxonomyStore(database: context.app.database).entries()
        let view = FormView(state: state, strings: strings, prefix: addPrefix)
        let sections = TopicKind.allCases.map { kind -> [String: Any] in
            let rows = entries.filter { $0.topic.kind == kind }
            return [
                "id": "topics-\(kind.rawValue)",
                "heading": strings["\(prefix).section.\(kind.rawValue)"],
                "caption": strings["\(prefix).caption.\(kind.rawValue)"],
                "isEmpty": rows.isEmpty,
                "rows": rows.map { entry -> [String: Any] in
                    [
                        "name": entry.topic.name,
                        "href": SiteRoute.staff(.topic(id: entry.topic.id)).path,
                        "slug": entry.topic.slug,
                        "sortOrder": String(entry.sortOrder),
                        "stateLabel": strings["\(prefix).state.\(entry.topic.isActive ? "active" : "inactive")"],
                        "isInactive": !entry.topic.isActive,
                        "listings": String(entry.listingCount),
                    ]
                },
            ]
        }
        var values: [String: Any] = [
            "back": StaffPages.backToOverview(context),
            "heading": strings["\(prefix).heading"],
            "sections": sections,
            "add": [
                "action": SiteRoute.staff(.topics).path,
                "guard": context.formGuardValues,
                "name": view.input("name", required: true, hint: true, maxLength: maximumNameLength),
                "kind": view.radios(
                    "kind",
                    options: TopicKind.allCases.map {
                        .init(value: $0.rawValue, label: strings["\(prefix).kind.\($0.rawValue)"])
                    },
                    required: true),
            ] as [String: Any],
        ]
        if let summary = view.errorSummary { values["errorSummary"] = summary }
        if let notice = AdminNotice.text(prefix: prefix, context) { values["notice"] = notice }
        return RenderedPage(
            template: .staffTopics, title: view.title(strings["\(prefix).heading"]), context: values, status: status)
    }

    static func renderEdit(
        _ entry: TaxonomyEntry, state: FormState, _ context: RequestContext, status: HTTPResponse.Status = .ok
    ) -> RenderedPage {
        let strings = context.strings
        let topic = entry.topic
        let view = FormView(state: state, strings: strings, prefix: editPrefix)
        let action = SiteRoute.staff(.topic(id: topic.id)).path
        let facts: [(String, String)] = [
            ("kind", strings["\(prefix).kind.\(topic.kind.rawValue)"]),
            ("slug", topic.slug),
            ("state", strings["\(prefix).state.\(topic.isActive ? "active" : "inactive")"]),
            ("listings", String(entry.listingCount)),
        ]
        var values: [String: Any] = [
            "back": ["href": SiteRoute.staff(.topics).path, "label": strings["\(editPrefix).back"]],
            "name": topic.name,
            "facts": facts.map { ["label": strings["\(editPrefix).fact.\($0.0)"], "value": $0.1] },
            "edit": [
                "action": action,
                "guard": context.formGuardValues,
                "name": view.input("name", required: true, hint: true, maxLength: maximumNameLength),
                "sortOrder": view.input("sort_order", required: true, hint: true, inputMode: "numeric"),
            ] as [String: Any],
            "activity": [
                "action": action,
                "csrf": context.csrfToken,
                "isActive": topic.isActive,
            ] as [String: Any],
        ]
        if let summary = view.errorSummary { values["errorSummary"] = summary }
        return RenderedPage(
            template: .staffTopic,
            title: view.title(strings.format("\(editPrefix).title", ["name": topic.name])), context: values,
            status: status)
    }

    static var requiredKeys: [String] {
        var keys = ["\(prefix).heading", "\(prefix).state.active", "\(prefix).state.inactive"]
        keys += ["added", "saved", "deactivated", "activated"].map { "\(prefix).notice.\($0)" }
        for kind in TopicKind.allCases {
            keys += ["section", "caption", "kind"].map { "\(prefix).\($0).\(kind.rawValue)" }
        }
        keys += ["name.label", "name.hint", "kind.label", "kind.missing"].map { "\(addPrefix).\($0)" }
        for formPrefix in [addPrefix, editPrefix] {
            keys += ["missing", "too_long", "invalid", "taken"].map { "\(formPrefix).name.\($0)" }
        }
        keys += ["title", "back", "name.label", "name.hint", "sort_order.label", "sort_order.hint"]
            .map { "\(editPrefix).\($0)" }
        keys += ["\(editPrefix).sort_order.invalid"]
        keys += ["kind", "slug", "state", "listings"].map { "\(editPrefix).fact.\($0)" }
        return keys
    }
}
