import Domain
import Foundation
import Storage

extension PostingKind {
    /// The part of localization keys that names this kind (`posting.heading.new.<key>`).
    var stringKey: String {
        switch self {
        case .volunteerNeed: "volunteer_need"
        case .volunteerOffer: "volunteer_offer"
        case .donationNeed: "donation_need"
        case .donationOffer: "donation_offer"
        case .event: "event"
        }
    }

    /// Residents post these for themselves.
    var allowsPersonal: Bool { self == .volunteerOffer || self == .donationOffer }

    /// Organisation members post these for one of their organisations.
    var allowsOrganisation: Bool { self != .volunteerOffer }
}

/// What a person may post, read from the database for this request.
struct PostingPermissions {
    /// Every organisation the person belongs to.
    let memberships: [MembershipQueries.Membership]

    static func load(_ context: RequestContext, userID: Int64) throws -> PostingPermissions {
        PostingPermissions(
            memberships: try MembershipQueries(database: context.app.database).memberships(userID: userID))
    }

    /// Organisations the person may post for: approved or still being checked.
    var postingOrganisations: [MembershipQueries.Membership] { memberships.filter(\.canPost) }

    func organisationChoices(for kind: PostingKind) -> [MembershipQueries.Membership] {
        kind.allowsOrganisation ? postingOrganisations : []
    }

    func mayPost(_ kind: PostingKind) -> Bool {
        kind.allowsPersonal || !organisationChoices(for: kind).isEmpty
    }
}

/// For whom a new posting is: the person themselves or one of their organisations.
enum PostingOwner: Equatable {
    case person
    case organisation(Int64)

    /// The value of the organisation select that stands for "for myself".
    static let personValue = "privat"
}

/// Shared steps of the listing and event forms: choices, the owner field, pictures, messages.
enum PostingForm {
    static let prefix = "posting.field"

    /// The organisation select's options (and "for myself" first, when the kind allows it).
    static func ownerOptions(_ choices: [MembershipQueries.Membership], personal: Bool, _ strings: Localization)
        -> [FormView.Option]
    {
        var options: [FormView.Option] = []
        if personal { options.append(.init(value: PostingOwner.personValue, label: strings["posting.owner.person"])) }
        options += choices.map { .init(value: String($0.organisationID), label: $0.organisationName) }
        return options
    }

    /// The owner a new posting's form names. An organisation the person may not post for is a forged form:
    /// 403, nothing stored.
    static func owner(
        _ state: inout FormState, kind: PostingKind, choices: [MembershipQueries.Membership], _ strings: Localization
    ) throws -> PostingOwner? {
        guard kind.allowsOrganisation else { return .person }
        let value = state.value("organisation")
        if kind.allowsPersonal, value == PostingOwner.personValue || (value.isEmpty && choices.isEmpty) {
            return .person
        }
        guard !value.isEmpty else {
            state.addError(strings["posting.error.organisation.missing"], to: "organisation")
            return nil
        }
        guard let id = Int64(value), choices.contains(where: { $0.organisationID == id }) else {
            throw HTTPError.forbidden
        }
        return .organisation(id)
    }

    static func municipalityOptions(_ context: RequestContext) -> [FormView.Option] {
        context.catalog.municipalities.map { .init(value: $0.slug, label: $0.name) }
    }

    /// The active topics of `kind`, plus inactive ones the item already has (`chosen`).
    static func topicOptions(_ kind: TopicKind, chosen: [String], _ context: RequestContext) -> [FormView.Option] {
        context.catalog.choosableTopics(of: kind, keeping: chosen).map { .init(value: $0.slug, label: $0.name) }
    }

    static func languageOptions(_ strings: Localization) -> [FormView.Option] {
        ContactLanguage.codes.map { .init(value: $0, label: strings["language.\($0)"]) }
    }

    /// The ids of the sent topic slugs of one taxonomy; anything else is dropped.
    static func topicIDs(_ slugs: [String], kind: TopicKind, _ context: RequestContext) -> [Int64] {
        slugs.compactMap { slug in context.catalog.topic(slug: slug).flatMap { $0.kind == kind ? $0.id : nil } }
    }

    static func topicSlugs(_ ids: [Int64], _ context: RequestContext) -> [String] {
        ids.compactMap { id in context.catalog.topics.first { $0.id == id }?.slug }
    }

    static func municipalitySlug(_ id: Int64, _ context: RequestContext) -> String {
        context.catalog.municipalities.first { $0.id == id }?.slug ?? ""
    }

    /// Shows each problem of the rules next to its field.
    static func add(_ problems: [FieldProblem], to state: inout FormState, _ strings: Localization) {
        for problem in problems {
            state.addError(strings.format("posting.error.\(problem.code)", problem.values), to: problem.field)
        }
    }

    /// Checks the picture field: a refused or oversized file gets its message. Returns an acceptable file,
    /// which is stored only once the whole form is valid.
    static func checkedImage(_ context: RequestContext, _ state: inout FormState) -> UploadedFile? {
        if context.form.oversizedFileFields.contains("image") {
            state.addError(context.strings[ImageStore.messageKey(.tooLarge)], to: "image")
            return nil
        }
        guard let file = context.form.file("image") else { return nil }
        switch ImageStore.check(file) {
        case .failure(let refusal):
            state.addError(context.strings[ImageStore.messageKey(refusal)], to: "image")
            return nil
        case .success:
            return file
        }
    }

    /// A good picture cannot be carried over a page with errors (files are not sent back): say so.
    static func askAgainForImage(_ image: UploadedFile?, _ state: inout FormState, _ strings: Localization) {
        if image != nil, state.hasErrors { state.addError(strings["posting.image.choose_again"], to: "image") }
    }

    /// The picture change to save: a new file (stored now), removal, or nothing.
    static func imageChange(_ image: UploadedFile?, _ state: FormState, _ context: RequestContext, userID: Int64)
        throws -> PostingImageChange
    {
        if let image { return .replace(try context.app.images.save(image, ownerID: userID, now: context.now)) }
        return state.isChecked("remove_image") ? .remove : .keep
    }

    /// The current picture and the "remove" checkbox, for an edit form.
    static func currentImage(_ name: String?, view: FormView, _ strings: Localization) -> [String: Any]? {
        guard let name else { return nil }
        return [
            "src": SiteRoute.image(name: name).path, "alt": strings["posting.image.current_alt"],
            "remove": view.checkbox("remove_image"),
        ]
    }

    /// Runs a store call, turning refused access into the matching error page.
    static func checked<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PostingAccessError {
            switch error {
            case .notFound: throw HTTPError.notFound
            case .forbidden, .notEditable: throw HTTPError.forbidden
            }
        }
    }

    /// The notice key after saving, by the state the posting is in now.
    static func savedNotice(_ state: PublicationState, isNew: Bool) -> String {
        switch state {
        case .published: isNew ? "my.created_published" : "my.saved_published"
        case .pending: isNew ? "my.created_pending" : "my.saved_pending"
        default: "my.saved"
        }
    }

    /// Localization keys this code builds (listed in `RequiredStrings`).
    static var requiredKeys: [String] {
        var keys = (ListingDraft.problemCodes + EventDraft.problemCodes).map { "posting.error.\($0)" }
        keys += ["posting.error.organisation.missing", "posting.owner.person", "posting.image.choose_again"]
        keys += ["posting.image.current_alt", "posting.items.legend", "posting.items.name", "posting.items.quantity"]
        keys += ["posting.edit_returns_to_moderation", "posting.heading.edit_listing", "posting.heading.edit_event"]
        keys += ["posting.choose", "posting.submit.new", "posting.submit.edit"]
        for kind in PostingKind.allCases {
            keys += ["posting.heading.new.\(kind.stringKey)", "posting.intro.\(kind.stringKey)"]
            keys += ["my.new.\(kind.stringKey)"]
        }
        keys += ListingKind.allCases.map { "posting.description_hint.\($0.rawValue)" }
        keys.append("posting.description_hint.event")
        let fieldsWithHints = [
            "organisation", "description", "topics", "location", "address", "one_off_date", "hours_per_week",
            "start_date", "end_date", "minimum_age", "police_clearance", "requirements", "insurance",
            "expense_allowance",
            "contact_name", "languages", "show_phone", "contact_phone", "dropoff", "image", "date", "start_time",
            "end_time", "venue", "registration_text", "cost",
        ]
        let fieldsWithoutHints = [
            "title", "category", "municipality", "commitment", "german_level", "barrier_free", "condition", "delivery",
            "remove_image", "event_type", "registration_required",
        ]
        keys += fieldsWithHints.flatMap { ["\(prefix).\($0).label", "\(prefix).\($0).hint"] }
        keys += fieldsWithoutHints.map { "\(prefix).\($0).label" }
        keys += ContactLanguage.codes.map { "language.\($0)" }
        keys += TimeCommitment.allCases.map { "posting.commitment.\($0.rawValue)" }
        keys += GermanLevel.allCases.map { "posting.german.\($0.rawValue)" }
        keys += DonationHandover.allCases.map { "posting.delivery.\($0.rawValue)" }
        keys += DonationHandover.allCases.map { "listing.delivery.\($0.rawValue)" }
        keys += PublicationState.allCases.map { "my.state.\($0.rawValue)" }
        keys += ["my.state.closed", "my.state.ended", "my.state.rejected_with_reason", "my.state.not_public"]
        keys += [
            "my.title", "my.greeting", "my.kind.event", "my.for_person", "my.for_organisation", "my.role.admin",
            "my.role.member", "my.edit_label", "my.view_label", "my.close_label", "my.reopen_label",
        ]
        keys += OrganisationState.allCases.map { "my.organisation_state.\($0.rawValue)" }
        keys += [
            "address", "one_off", "hours_per_week", "period", "minimum_age", "police_clearance", "barrier_free",
            "insurance", "expense_allowance", "dropoff", "delivery", "phone",
        ].map { "listing.fact.\($0)" }
        keys += [
            "listing.period.from_to", "listing.period.from", "listing.period.to", "listing.minimum_age",
            "listing.police_clearance", "listing.barrier_free", "listing.image_alt", "listing.cta.help",
            "listing.cta.interest", "listing.hours_per_week.one", "listing.hours_per_week.other", "event.image_alt",
        ]
        return keys
    }
}
