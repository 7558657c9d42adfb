import Domain
import Testing

@Suite("Listing and event lifecycle")
struct PublicationStateTests {
    /// Every allowed transition; everything not listed here must be refused.
    static let allowed: [(PublicationState, PublicationState.Action, PublicationState)] = [
        (.draft, .submit, .pending),
        (.pending, .approve, .published),
        (.pending, .reject, .rejected),
        (.published, .hide, .hidden),
        (.hidden, .unhide, .published),
        (.published, .expire, .expired),
        (.expired, .republish, .pending),
        (.rejected, .revise, .pending),
        (.draft, .archive, .archived),
        (.pending, .archive, .archived),
        (.published, .archive, .archived),
        (.rejected, .archive, .archived),
        (.hidden, .archive, .archived),
        (.expired, .archive, .archived),
    ]

    @Test("allowed transitions lead to the documented state", arguments: 0..<allowed.count)
    func allowedTransition(index: Int) {
        let (from, action, to) = Self.allowed[index]
        #expect(from.applying(action) == to)
    }

    @Test("every other transition is refused")
    func forbiddenTransitions() {
        for state in PublicationState.allCases {
            for action in PublicationState.Action.allCases
            where !Self.allowed.contains(where: { $0.0 == state && $0.1 == action }) {
                #expect(state.applying(action) == nil, "\(state) --\(action)--> should be refused")
            }
        }
    }

    @Test("archived is final")
    func archivedIsFinal() {
        for action in PublicationState.Action.allCases {
            #expect(PublicationState.archived.applying(action) == nil)
        }
    }

    @Test("only published is public")
    func onlyPublishedIsPublic() {
        #expect(PublicationState.allCases.filter(\.isPublic) == [.published])
    }
}

@Suite("Organisation vetting lifecycle")
struct OrganisationStateTests {
    static let allowed: [(OrganisationState, OrganisationState.Action, OrganisationState)] = [
        (.pending, .approve, .approved),
        (.pending, .reject, .rejected),
        (.approved, .suspend, .suspended),
        (.suspended, .reinstate, .approved),
        (.rejected, .reapply, .pending),
    ]

    @Test("allowed transitions lead to the documented state", arguments: 0..<allowed.count)
    func allowedTransition(index: Int) {
        let (from, action, to) = Self.allowed[index]
        #expect(from.applying(action) == to)
    }

    @Test("every other transition is refused")
    func forbiddenTransitions() {
        for state in OrganisationState.allCases {
            for action in OrganisationState.Action.allCases
            where !Self.allowed.contains(where: { $0.0 == state && $0.1 == action }) {
                #expect(state.applying(action) == nil, "\(state) --\(action)--> should be refused")
            }
        }
    }

    @Test("a pending organisation cannot be suspended before it was approved")
    func pendingCannotBeSuspended() {
        #expect(OrganisationState.pending.applying(.suspend) == nil)
        #expect(!OrganisationState.pending.isPublic)
        #expect(OrganisationState.approved.isPublic)
    }
}
