import Foundation
import Storage

/// `/verwaltung/postausgang`: every e-mail the exchange wrote, newest first, 50 a page, with its delivery
/// state; `/verwaltung/postausgang/{id}`: one message's text. For development with the outbox transport and
/// for support. When mail really leaves the system (sendmail), the secret part of links in a message (the
/// token of a password reset or confirmation link) is masked, so reading the outbox gives no one access to
/// another person's account.
enum StaffOutboxPage {
    static let pageSize = 50

    static func render(_ context: RequestContext) throws -> RenderedPage {
        let strings = context.strings
        let store = context.app.outboxMessages
        let pageNumber = try context.pageNumber()
        let total = try store.count()
        let pageCount = max(1, (total + pageSize - 1) / pageSize)
        guard pageNumber <= pageCount else { throw HTTPError.notFound }
        let messages = try store.recent(limit: pageSize, offset: (pageNumber - 1) * pageSize)
        let rows: [[String: Any]] = messages.map { message in
            [
                "href": SiteRoute.staff(.outboxMessage(id: message.id)).path,
                "subject": message.subject,
                "recipient": message.recipient,
                "stateLabel": strings["staff.outbox.state.\(message.state.rawValue)"],
                "stateClass": message.state.rawValue,
                "created": context.dates.dateTime(message.createdAt),
                "createdMachine": context.dates.machineReadable(message.createdAt),
            ]
        }
        let title = strings["staff.outbox.heading"]
        let values: [String: Any] = [
            "back": StaffPages.backToOverview(context),
            "count": strings.plural("staff.outbox.count", count: total),
            "messages": rows,
            "isEmpty": rows.isEmpty,
            "pagination": pagination(pageNumber: pageNumber, pageCount: pageCount, context),
        ]
        return RenderedPage(
            template: .staffOutbox,
            title: pageNumber > 1
                ? strings.format("staff.outbox.title_page", ["title": title, "page": String(pageNumber)]) : title,
            context: values)
    }

    static func renderMessage(id: Int64, _ context: RequestContext) throws -> RenderedPage {
        guard let message = try context.app.outboxMessages.message(id: id) else { throw HTTPError.notFound }
        let strings = context.strings
        let dates = context.dates
        let masked = context.app.configuration.mail.transport != .outbox
        let purposeKey = "staff.outbox.purpose.\(message.purpose)"
        var facts: [(String, String)] = [
            ("recipient", message.recipient),
            ("purpose", strings.contains(purposeKey) ? strings[purposeKey] : message.purpose),
            ("state", strings["staff.outbox.state.\(message.state.rawValue)"]),
            ("created", dates.dateTime(message.createdAt)),
            ("attempts", String(message.attempts)),
        ]
        if let sentAt = message.sentAt { facts.append(("sent", dates.dateTime(sentAt))) }
        if let failedAt = message.failedAt { facts.append(("failed", dates.dateTime(failedAt))) }
        if message.state == .pending { facts.append(("next_attempt", dates.dateTime(message.nextAttemptAt))) }
        if let error = message.lastError { facts.append(("last_error", error)) }
        let values: [String: Any] = [
            "subject": message.subject,
            "back": ["href": SiteRoute.staff(.outbox).path, "label": strings["staff.outbox.back"]],
            "facts": facts.map { ["label": strings["staff.outbox.fact.\($0.0)"], "value": $0.1] },
            "body": masked ? maskTokens(message.textBody) : message.textBody,
            "masked": masked,
        ]
        return RenderedPage(
            template: .staffOutboxMessage,
            title: strings.format("staff.outbox.message_title", ["subject": message.subject]),
            context: values)
    }

    /// Replaces every link token (43 characters of base64url, see `SecureRandom.token()`) that stands as a
    /// whole path segment with a mark, so the link cannot be followed.
    static func maskTokens(_ text: String) -> String {
        var result = ""
        var rest = text[...]
        while let slash = rest.firstIndex(of: "/") {
            result += rest[...slash]
            rest = rest[rest.index(after: slash)...]
            let segment = rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
            if segment.utf8.count == 43 {
                result += "…"
                rest = rest.dropFirst(segment.count)
            }
        }
        return result + rest
    }

    /// Previous/next links and a short run of page numbers, as the list pages show them.
    private static func pagination(pageNumber: Int, pageCount: Int, _ context: RequestContext) -> [String: Any] {
        let base = SiteRoute.staff(.outbox).path
        func link(_ number: Int) -> String { number == 1 ? base : base + "?seite=\(number)" }
        let window = max(1, pageNumber - 2)...min(pageCount, pageNumber + 2)
        return [
            "show": pageCount > 1,
            "summary": context.strings.format(
                "pagination.summary", ["page": String(pageNumber), "count": String(pageCount)]),
            "hasPrevious": pageNumber > 1,
            "previousHref": link(max(1, pageNumber - 1)),
            "hasNext": pageNumber < pageCount,
            "nextHref": link(min(pageCount, pageNumber + 1)),
            "pages": window.map { number in
                [
                    "number": number, "href": link(number), "current": number == pageNumber,
                    "label": context.strings.format("pagination.page_label", ["page": String(number)]),
                ] as [String: Any]
            },
        ]
    }
}
