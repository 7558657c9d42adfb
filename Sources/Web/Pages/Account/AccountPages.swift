/// Dispatches the account routes to their pages.
enum AccountPages {
    static func respond(_ route: AccountRoute, _ context: RequestContext) throws -> Outcome {
        switch route {
        case .login: try LoginPage.respond(context)
        case .logout: try LogoutAction.respond(context)
        case .invitation(let token): try InvitationPage.respond(token: token, context)
        default: try RegistrationPages.respond(route, context)
        }
    }
}
