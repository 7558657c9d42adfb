import Domain
import Foundation
import HTTPTypes
import Storage

/// `/mein-bereich/neu/<kind>` for the four listing kinds and `/mein-bereich/eintraege/<id>`: the form in which
/// organisation members and residents post and edit listings.
enum ListingFormPage {
    /// How a form is set up: for which kind, new or existing, and for whom.
    struct Setup {
        var kind: ListingKind
        var action: String
        var isNew: Bool
        /// New postings: the organisations the person may choose, and whether "for myself" is offered.
        var organisationChoices: [MembershipQueries.Membership] = []
        var allowsPersonal = false
        /// Existing postings: their organisation, which does not change.
        var organisationName: String?
        var imageName: String?
        var returnsToModeration = false
        /// A demo value outside the form's choices, offered so that editing does not lose it.
        var storedCommitment: TimeCommitment?
        var storedGermanLevel: GermanLevel?
    }

    /// Item lines read from a form: more than the form offers, so that a forged long form is refused.
    static let itemLinesRead = 30
    static let emptyItemLines = 5

    static var fieldNames: [String] {
        var names = [
            "organisation", "title", "description", "municipality", "location", "address", "topics", "category",
            "commitment", "one_off_date", "hours_per_week", "start_date", "end_date", "minimum_age",
            "police_clearance", "german_level", "barrier_free", "requirements", "insurance", "expense_allowance",
            "contact_name", "show_phone", "contact_phone", "languages", "dropoff", "condition", "delivery",
            "remove_image",
        ]
        for number in 1...itemLinesRead { names += ["item_\(number)_name", "item_\(number)_quantity"] }
        return names
    }

    // MARK: New

    static func new(_ kind: PostingKind, _ context: RequestContext, _ user: SessionUser) throws -> Outcome {
        guard let listingKind = kind.listingKind else { throw HTTPError.notFound }
        let permissions = try PostingPermissions.load(context, userID: user.id)
        guard permissions.mayPost(kind) else { throw HTTPError.forbidden }
        let choices = permissions.organisationChoices(for: kind)
        let setup = Setup(
            kind: listingKind, action: SiteRoute.my(.newPosting(kind)).path, isNew: true, organisationChoices: choices,
            allowsPersonal: kind.allowsPersonal)
        guard context.isPost else {
            var state = FormState()
            state.set("languages", values: ["de"])
            if let first = choices.first, !kind.allowsPersonal {
                state.set("organisation", String(first.organisationID))
            }
            return .page(render(setup, state, context))
        }
        var state = FormState(form: context.form, keeping: fieldNames)
        let owner = try PostingForm.owner(&state, kind: kind, choices: choices, context.strings)
        let draft = draft(from: state, kind: listingKind, context)
        let image = PostingForm.checkedImage(context, &state)
        let outcome = draft.validate(isNew: true, now: context.now, calendar: context.dates.calendar)
        if case .invalid(let problems) = outcome { PostingForm.add(problems, to: &state, context.strings) }
        PostingForm.askAgainForImage(image, &state, context.strings)
        guard case .valid(let content) = outcome, let owner, !state.hasErrors else {
            return .page(render(setup, state, context, status: .unprocessableContent))
        }
        let imageName = try image.map { try context.app.images.save($0, ownerID: user.id, now: context.now) }
        var organisationID: Int64?
        if case .organisation(let id) = owner { organisationID = id }
        let created = try PostingForm.checked {
            try ListingWriteStore(database: context.app.database).create(
                content, organisationID: organisationID, userID: user.id, posterName: user.displayName,
                imageName: imageName, now: context.now, calendar: context.dates.calendar)
        }
        return .redirect(
            SiteRoute.my(.overview).path + "?hinweis=" + PostingForm.savedNotice(created.state, isNew: true))
    }

    // MARK: Edit

    static func edit(id: Int64, _ context: RequestContext, _ user: SessionUser) throws -> Outcome {
        let store = ListingWriteStore(database: context.app.database)
        let stored = try PostingForm.checked { try store.editable(id: id, userID: user.id) }
        guard stored.state != .archived else { throw HTTPError.forbidden }
        let setup = Setup(
            kind: stored.content.kind, action: SiteRoute.my(.editListing(id: id)).path, isNew: false,
            organisationName: stored.organisationName, imageName: stored.imageName,
            returnsToModeration: PostingLifecycle.editReturnsToModeration(
                stored.state, publishesDirectly: stored.publishesDirectly),
            storedCommitment: stored.content.timeCommitment, storedGermanLevel: stored.content.germanLevel)
        guard context.isPost else {
            return .page(render(setup, formState(stored.content, context), context))
        }
        var state = FormState(form: context.form, keeping: fieldNames)
        let draft = draft(from: state, kind: stored.content.kind, context)
        let image = PostingForm.checkedImage(context, &state)
        let outcome = draft.validate(isNew: false, now: context.now, calendar: context.dates.calendar)
        if case .invalid(let problems) = outcome { PostingForm.add(problems, to: &state, context.strings) }
        PostingForm.askAgainForImage(image, &state, context.strings)
        guard case .valid(let content) = outcome, !state.hasErrors else {
            return .page(render(setup, state, context, status: .unprocessableContent))
        }
        let change = try PostingForm.imageChange(image, state, context, userID: user.id)
        let newState = try PostingForm.checked {
            try store.update(
                id: id, content: content, userID: user.id, image: change, now: context.now,
                calendar: context.dates.calendar)
        }
        return .redirect(SiteRoute.my(.overview).path + "?hinweis=" + PostingForm.savedNotice(newState, isNew: false))
    }

    // MARK: Form values

    static func draft(from state: FormState, kind: ListingKind, _ context: RequestContext) -> ListingDraft {
        var draft = ListingDraft(kind: kind)
        draft.title = state.value("title")
        draft.description = state.value("description")
        draft.municipalityID = context.catalog.municipality(slug: state.value("municipality"))?.id
        draft.locationText = state.value("location")
        draft.addressText = state.value("address")
        draft.topicIDs = PostingForm.topicIDs(
            kind.isDonation ? state.values("category") : state.values("topics"), kind: kind.topicKind, context)
        draft.timeCommitment = state.value("commitment")
        draft.oneOffDate = state.value("one_off_date")
        draft.hoursPerWeek = state.value("hours_per_week")
        draft.startDate = state.value("start_date")
        draft.endDate = state.value("end_date")
        draft.minimumAge = state.value("minimum_age")
        draft.policeClearance = state.isChecked("police_clearance")
        draft.germanLevel = state.value("german_level")
        draft.barrierFree = state.isChecked("barrier_free")
        draft.requirements = state.value("requirements")
        draft.insuranceText = state.value("insurance")
        draft.expenseAllowanceText = state.value("expense_allowance")
        draft.contactName = state.value("contact_name")
        draft.showPhone = state.isChecked("show_phone")
        draft.contactPhone = state.value("contact_phone")
        draft.contactLanguages = state.values("languages")
        draft.items = (1...itemLinesRead).map {
            ListingDraft.ItemText(name: state.value("item_\($0)_name"), quantity: state.value("item_\($0)_quantity"))
        }
        draft.dropoffText = state.value("dropoff")
        draft.itemCondition = state.value("condition")
        draft.delivery = state.value("delivery")
        return draft
    }

    /// The stored listing as the form shows it.
    static func formState(_ content: ListingContent, _ context: RequestContext) -> FormState {
        let calendar = context.dates.calendar
        func day(_ date: Date?) -> String { date.map { GermanDateText.format(day: $0, in: calendar) } ?? "" }
        var state = FormState()
        state.set("title", content.title)
        state.set("description", content.description)
        state.set("municipality", PostingForm.municipalitySlug(content.municipalityID, context))
        state.set("location", content.locationText)
        state.set("address", content.addressText)
        state.set(
            content.kind.isDonation ? "category" : "topics", values: PostingForm.topicSlugs(content.topicIDs, context))
        state.set("commitment", content.timeCommitment.rawValue)
        state.set("one_off_date", day(content.oneOffAt))
        state.set("hours_per_week", content.hoursPerWeek.map(String.init) ?? "")
        state.set("start_date", day(content.startsAt))
        state.set("end_date", day(content.endsAt))
        state.set("minimum_age", content.minimumAge.map(String.init) ?? "")
        state.set("police_clearance", content.policeClearance ? "1" : "")
        state.set("german_level", content.germanLevel.rawValue)
        state.set("barrier_free", content.barrierFree ? "1" : "")
        state.set("requirements", content.requirements)
        state.set("insurance", content.insuranceText)
        state.set("expense_allowance", content.expenseAllowanceText)
        state.set("contact_name", content.contactName)
        state.set("show_phone", content.showPhone ? "1" : "")
        state.set("contact_phone", content.contactPhone)
        state.set("languages", values: content.contactLanguages)
        for (offset, item) in content.items.enumerated() {
            state.set("item_\(offset + 1)_name", item.name)
            state.set("item_\(offset + 1)_quantity", String(item.quantity))
        }
        state.set("dropoff", content.dropoffText)
        state.set("condition", content.itemCondition?.rawValue ?? "")
        state.set("delivery", content.delivery?.rawValue ?? "")
        return state
    }

    // MARK: Rendering

    static func render(
        _ setup: Setup, _ state: FormState, _ context: RequestContext, status: HTTPResponse.Status = .ok
    ) -> RenderedPage {
        let strings = context.strings
        let view = FormView(state: state, strings: strings, prefix: PostingForm.prefix)
        let kind = setup.kind
        let postingKind = PostingKind(listingKind: kind) ?? .volunteerNeed
        let heading =
            setup.isNew
            ? strings["posting.heading.new.\(postingKind.stringKey)"]
            : strings.format("posting.heading.edit_listing", ["title": state.value("title")])
        var description = view.textarea("description", required: true, hint: true, rows: 8)
        description["hint"] = strings["posting.description_hint.\(kind.rawValue)"]
        var fields: [String: Any] = [
            "title": view.input("title", required: true, maxLength: PostingLimits.title),
            "description": description,
            "municipality": view.select(
                "municipality", options: PostingForm.municipalityOptions(context), required: true,
                emptyLabel: strings["posting.choose"]),
            "location": view.input("location", hint: true, maxLength: PostingLimits.place),
            "startDate": view.input("start_date", hint: true, inputMode: "numeric"),
            "endDate": view.input("end_date", hint: true, inputMode: "numeric"),
            "contactName": view.input("contact_name", hint: true, maxLength: PostingLimits.contactName),
            "languages": view.checkboxes(
                "languages", options: PostingForm.languageOptions(strings), required: true, hint: true),
            "showPhone": view.checkbox("show_phone", hint: true),
            "contactPhone": view.input("contact_phone", type: "tel", autocomplete: "tel", hint: true),
            "image": view.imageFile("image"),
        ]
        if kind.usesAddress {
            fields["address"] = view.input("address", hint: true, maxLength: PostingLimits.address)
        }
        if kind.isDonation {
            fields["category"] = view.radios(
                "category",
                options: PostingForm.topicOptions(.donation, chosen: view.state.values("category"), context),
                required: true)
        } else {
            fields["topics"] = view.checkboxes(
                "topics",
                options: PostingForm.topicOptions(.volunteering, chosen: view.state.values("topics"), context),
                required: true, hint: true)
        }
        if kind.usesCommitment {
            var choices: [TimeCommitment] = [.once, .weekly, .flexible]
            if let stored = setup.storedCommitment, !choices.contains(stored) { choices.append(stored) }
            fields["commitment"] = view.radios(
                "commitment",
                options: choices.map { .init(value: $0.rawValue, label: strings["posting.commitment.\($0.rawValue)"]) },
                required: true)
            fields["oneOffDate"] = view.input("one_off_date", hint: true, inputMode: "numeric")
            fields["hoursPerWeek"] = view.input("hours_per_week", hint: true, inputMode: "numeric")
        }
        if kind.usesRequirements {
            var levels: [GermanLevel] = [.any, .basic, .good]
            if let stored = setup.storedGermanLevel, !levels.contains(stored) { levels.append(stored) }
            fields["minimumAge"] = view.input("minimum_age", hint: true, inputMode: "numeric")
            fields["policeClearance"] = view.checkbox("police_clearance", hint: true)
            fields["germanLevel"] = view.radios(
                "german_level",
                options: levels.map { .init(value: $0.rawValue, label: strings["posting.german.\($0.rawValue)"]) })
            fields["barrierFree"] = view.checkbox("barrier_free")
            fields["requirements"] = view.textarea(
                "requirements", hint: true, rows: 4, maxLength: PostingLimits.requirements)
            fields["insurance"] = view.textarea("insurance", hint: true, rows: 3, maxLength: PostingLimits.practical)
            fields["expenseAllowance"] = view.textarea(
                "expense_allowance", hint: true, rows: 3, maxLength: PostingLimits.practical)
        }
        if kind == .donationNeed {
            fields["dropoff"] = view.textarea("dropoff", hint: true, rows: 3, maxLength: PostingLimits.dropoff)
        }
        if kind == .donationOffer {
            fields["condition"] = view.radios(
                "condition",
                options: ItemCondition.allCases.map {
                    .init(value: $0.rawValue, label: strings["condition.\($0.rawValue)"])
                },
                required: true)
            fields["delivery"] = view.radios(
                "delivery",
                options: DonationHandover.allCases.map {
                    .init(value: $0.rawValue, label: strings["posting.delivery.\($0.rawValue)"])
                }, required: true)
        }
        if setup.isNew, !setup.organisationChoices.isEmpty {
            fields["organisation"] = view.select(
                "organisation",
                options: PostingForm.ownerOptions(setup.organisationChoices, personal: setup.allowsPersonal, strings),
                required: true, hint: true)
        }
        var values: [String: Any] = [
            "heading": heading,
            "action": setup.action,
            "guard": context.formGuardValues,
            "fields": fields,
            "usesCommitment": kind.usesCommitment,
            "usesRequirements": kind.usesRequirements,
            "isDonationNeed": kind == .donationNeed,
            "isDonationOffer": kind == .donationOffer,
            "returnsToModeration": setup.returnsToModeration,
            "submitLabel": strings[setup.isNew ? "posting.submit.new" : "posting.submit.edit"],
            "backHref": SiteRoute.my(.overview).path,
        ]
        // Absent values stay out of the dictionary: the templates' sections treat any present value as true.
        values["intro"] = setup.isNew ? strings["posting.intro.\(postingKind.stringKey)"] : nil
        values["errorSummary"] = view.errorSummary
        values["organisationName"] = setup.organisationName
        values["currentImage"] = PostingForm.currentImage(setup.imageName, view: view, strings)
        if kind == .donationNeed { values["itemLines"] = itemLines(state, view: view, strings) }
        return RenderedPage(template: .listingForm, title: view.title(heading), context: values, status: status)
    }

    /// The item lines of a donation need: the filled ones where they were, then empty ones to add more.
    static func itemLines(_ state: FormState, view: FormView, _ strings: Localization) -> [[String: Any]] {
        let lastFilled =
            (1...itemLinesRead).last {
                !state.value("item_\($0)_name").isEmpty || !state.value("item_\($0)_quantity").isEmpty
            } ?? 0
        let count = max(lastFilled, min(PostingLimits.itemLines, max(emptyItemLines, lastFilled + 3)))
        return (1...count).map { number in
            var name = view.input("item_\(number)_name", maxLength: PostingLimits.itemName)
            name["label"] = strings["posting.items.name"]
            var quantity = view.input("item_\(number)_quantity", inputMode: "numeric")
            quantity["label"] = strings["posting.items.quantity"]
            return [
                "legend": strings.format("posting.items.legend", ["number": String(number)]), "itemName": name,
                "itemQuantity": quantity,
            ]
        }
    }
}
