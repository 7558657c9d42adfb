/// The lifecycle of everything that is published after moderation: listings and events.
///
/// ```
/// draft ─submit→ pending ─approve→ published ─expire→ expired ─republish→ pending
///                   │                 │  ↑
///                   reject            hide│unhide
///                   ↓                 ↓  │
///                rejected ─revise→ pending   hidden
/// any state except archived ─archive→ archived (final)
/// ```
public enum PublicationState: String, Sendable, CaseIterable, Codable {
    case draft, pending, published, rejected, hidden, expired, archived

    /// What a poster, staff or the clock can do to a listing or event.
    public enum Action: String, Sendable, CaseIterable {
        case submit, approve, reject, hide, unhide, expire, revise, republish, archive
    }

    /// The state after `action`, or nil when the action is not allowed in this state.
    public func applying(_ action: Action) -> PublicationState? {
        switch (self, action) {
        case (.draft, .submit): return .pending
        case (.pending, .approve): return .published
        case (.pending, .reject): return .rejected
        case (.published, .hide): return .hidden
        case (.hidden, .unhide): return .published
        case (.published, .expire): return .expired
        case (.expired, .republish): return .pending
        case (.rejected, .revise): return .pending
        case (.archived, _): return nil
        case (_, .archive): return .archived
        default: return nil
        }
    }

    /// Whether residents can see it on the public pages.
    public var isPublic: Bool { self == .published }
}

/// The vetting lifecycle of an organisation: staff approve it before its listings go public.
public enum OrganisationState: String, Sendable, CaseIterable, Codable {
    case pending, approved, rejected, suspended

    public enum Action: String, Sendable, CaseIterable {
        case approve, reject, suspend, reinstate, reapply
    }

    /// The state after `action`, or nil when the action is not allowed in this state.
    public func applying(_ action: Action) -> OrganisationState? {
        switch (self, action) {
        case (.pending, .approve): return .approved
        case (.pending, .reject): return .rejected
        case (.approved, .suspend): return .suspended
        case (.suspended, .reinstate): return .approved
        case (.rejected, .reapply): return .pending
        default: return nil
        }
    }

    public var isPublic: Bool { self == .approved }
}
