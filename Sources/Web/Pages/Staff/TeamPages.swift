import Domain
import Foundation
import HTTPTypes
import Logging
import Storage

/// `/verwaltung/team` (admins only): who moderates (staff) and who administers (admin). An admin adds a
/// person with a confirmed account by e-mail address, changes roles and takes people off the team. Every
/// change ends the changed account's sessions (new login, new session id); nobody changes their own role,
/// and the last admin stays.
enum TeamPages {
    static let prefix = "staff.team"
    static let maximumEmailLength = 254

    static func respond(_ route: StaffRoute, _ context: RequestContext) throws -> Outcome {
        let admin = try context.requireAdmin()
        switch route {
        case .team:
            guard context.isPost else {
                var state = FormState()
                state.set("role", Role.staff.rawValue)
                return .page(try render(state: state, context))
            }
            return try add(admin, context)
        case .teamMember(let userID):
            return try change(userID: userID, admin, context)
        default:
            throw HTTPError.notFound
        }
    }

    private static func add(_ admin: SessionUser, _ context: RequestContext) throws -> Outcome {
        let strings = context.strings
        var state = FormState(form: context.form, keeping: ["email", "role"])
        let email = state.value("email").lowercased()
        if email.isEmpty {
            state.addError(strings["\(prefix).email.missing"], to: "email")
        } else if email.utf8.count > maximumEmailLength || !EmailAddress.isValid(email) {
            state.addError(strings["\(prefix).email.invalid"], to: "email")
        }
        let role = Role(rawValue: state.value("role"))
        if role != .staff && role != .admin { state.addError(strings["\(prefix).role.missing"], to: "role") }
        guard !state.hasErrors, let role else {
            return .page(try render(state: state, context, status: .unprocessableContent))
        }
        let (userID, change) = try StaffAccountStore(database: context.app.database).addToTeam(
            email: email, role: role, actorID: admin.id)
        switch change {
        case .changed(let from, let to):
            log(admin: admin, targetID: userID, from: from, to: to, context)
            return .redirect(path(notice: "added"))
        case .notAllowed:
            throw HTTPError.forbidden
        case .notFound, .notLoginable:
            state.addError(strings["\(prefix).email.not_registered"], to: "email")
        case .unchanged:
            state.addError(strings["\(prefix).email.already_in_role"], to: "email")
        case .ownRole:
            state.addError(strings["\(prefix).own_role"], to: "email")
        case .lastAdmin:
            state.addError(strings["\(prefix).last_admin"], to: "email")
        case .invalidRole:
            state.addError(strings["\(prefix).role.missing"], to: "role")
        }
        return .page(try render(state: state, context, status: .unprocessableContent))
    }

    /// POST `/verwaltung/team/{id}` with `role` = staff, admin or resident (off the team).
    private static func change(userID: Int64, _ admin: SessionUser, _ context: RequestContext) throws -> Outcome {
        guard let role = context.form.first("role").flatMap(Role.init(rawValue:)),
            StaffAccountStore.assignableRoles.contains(role)
        else { throw HTTPError.badRequest }
        let change = try StaffAccountStore(database: context.app.database).changeRole(
            userID: userID, to: role, actorID: admin.id)
        let problemKey: String
        switch change {
        case .changed(let from, let to):
            log(admin: admin, targetID: userID, from: from, to: to, context)
            return .redirect(path(notice: to == .resident ? "removed" : "changed"))
        case .notFound: throw HTTPError.notFound
        case .notAllowed: throw HTTPError.forbidden
        case .invalidRole: throw HTTPError.badRequest
        case .unchanged: problemKey = "unchanged"
        case .ownRole: problemKey = "own_role"
        case .lastAdmin: problemKey = "last_admin"
        case .notLoginable: problemKey = "not_loginable"
        }
        var state = FormState()
        state.set("role", Role.staff.rawValue)
        return .page(
            try render(state: state, context, status: .conflict, problem: context.strings["\(prefix).\(problemKey)"]))
    }

    /// A record of who changed whose role; ids only, no addresses or names.
    private static func log(admin: SessionUser, targetID: Int64?, from: Role, to: Role, _ context: RequestContext) {
        context.app.logger.notice(
            "team role changed",
            metadata: [
                "admin_id": "\(admin.id)", "target_id": "\(targetID.map(String.init) ?? "-")",
                "from": "\(from.rawValue)", "to": "\(to.rawValue)", "request_id": "\(context.request.id)",
            ])
    }

    private static func path(notice name: String) -> String {
        SiteRoute.staff(.team).path + "?hinweis=\(prefix).\(name)"
    }

    static func render(
        state: FormState, _ context: RequestContext, status: HTTPResponse.Status = .ok, problem: String? = nil
    ) throws -> RenderedPage {
        let strings = context.strings
        let members = try StaffAccountStore(database: context.app.database).members()
        let view = FormView(state: state, strings: strings, prefix: prefix)
        let csrf = context.csrfToken
        let roles: [Role] = [.staff, .admin]
        var values: [String: Any] = [
            "back": StaffPages.backToOverview(context),
            "heading": strings["\(prefix).heading"],
            "count": strings.plural("\(prefix).count", count: members.count),
            "isEmpty": members.isEmpty,
            "members": members.map { member -> [String: Any] in
                var row: [String: Any] = [
                    "name": member.displayName,
                    "email": member.email,
                    "roleLabel": strings["\(prefix).role.\(member.role.rawValue)"],
                    "since": context.dates.date(member.createdAt),
                    "sinceMachine": context.dates.machineReadable(member.createdAt),
                    "isYou": member.id == context.user?.id,
                ]
                if member.id != context.user?.id {
                    let targets = roles.filter { $0 != member.role } + [.resident]
                    row["actions"] = [
                        "action": SiteRoute.staff(.teamMember(userID: member.id)).path,
                        "csrf": csrf,
                        "buttons": targets.map { role in
                            ["role": role.rawValue, "label": strings["\(prefix).make.\(role.rawValue)"]]
                        },
                    ]
                }
                return row
            },
            "add": [
                "action": SiteRoute.staff(.team).path,
                "guard": context.formGuardValues,
                "email": view.input(
                    "email", type: "email", required: true, autocomplete: "off", hint: true,
                    maxLength: maximumEmailLength),
                "role": view.radios(
                    "role",
                    options: roles.map { .init(value: $0.rawValue, label: strings["\(prefix).role.\($0.rawValue)"]) },
                    required: true, hint: true),
            ] as [String: Any],
        ]
        if let summary = view.errorSummary { values["errorSummary"] = summary }
        if let problem { values["problem"] = problem }
        if let notice = AdminNotice.text(prefix: prefix, context) { values["notice"] = notice }
        return RenderedPage(
            template: .staffTeam, title: view.title(strings["\(prefix).heading"]), context: values, status: status)
    }

    static var requiredKeys: [String] {
        var keys = ["heading", "count.one", "count.other", "unchanged", "own_role", "last_admin", "not_loginable"]
        keys += ["email.label", "email.hint", "email.missing", "email.invalid", "email.not_registered"]
        keys += ["email.already_in_role", "role.label", "role.hint", "role.missing"]
        keys += [Role.staff, .admin, .resident].map { "make.\($0.rawValue)" }
        keys += [Role.staff, .admin].map { "role.\($0.rawValue)" }
        keys += ["added", "changed", "removed"].map { "notice.\($0)" }
        return keys.map { "\(prefix).\($0)" }
    }
}

/// The confirmation after a redirect to an admin page: `?hinweis=staff.team.<name>` shows
/// `staff.team.notice.<name>` (the layout's own notices are one level shallower).
enum AdminNotice {
    static func text(prefix: String, _ context: RequestContext) -> String? {
        let start = prefix + "."
        guard let value = context.query.first("hinweis"), value.hasPrefix(start), value.utf8.count <= 60 else {
            return nil
        }
        let name = value.dropFirst(start.count)
        guard !name.isEmpty, name.utf8.allSatisfy({ (0x61...0x7A).contains($0) || $0 == 0x5F }) else { return nil }
        let key = start + "notice." + name
        return context.strings.contains(key) ? context.strings[key] : nil
    }
}
