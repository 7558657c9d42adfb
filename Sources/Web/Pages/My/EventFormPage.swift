import Domain
import Foundation
import HTTPTypes
import Storage

/// `/mein-bereich/neu/veranstaltung` and `/mein-bereich/veranstaltungen/<id>`: organisation members post and
/// edit their organisation's events.
enum EventFormPage {
    struct Setup {
        var action: String
        var isNew: Bool
        var organisationChoices: [MembershipQueries.Membership] = []
        var organisationName: String?
        var imageName: String?
        var returnsToModeration = false
    }

    static let fieldNames = [
        "organisation", "title", "description", "event_type", "date", "start_time", "end_time", "municipality", "venue",
        "address", "registration_required", "registration_text", "cost", "topics", "remove_image",
    ]

    static func new(_ context: RequestContext, _ user: SessionUser) throws -> Outcome {
        let permissions = try PostingPermissions.load(context, userID: user.id)
        guard permissions.mayPost(.event) else { throw HTTPError.forbidden }
        let choices = permissions.organisationChoices(for: .event)
        let setup = Setup(action: SiteRoute.my(.newPosting(.event)).path, isNew: true, organisationChoices: choices)
        guard context.isPost else {
            var state = FormState()
            if let first = choices.first { state.set("organisation", String(first.organisationID)) }
            return .page(render(setup, state, context))
        }
        var state = FormState(form: context.form, keeping: fieldNames)
        let owner = try PostingForm.owner(&state, kind: .event, choices: choices, context.strings)
        let image = PostingForm.checkedImage(context, &state)
        let outcome = draft(from: state, context).validate(
            isNew: true, now: context.now, calendar: context.dates.calendar)
        if case .invalid(let problems) = outcome { PostingForm.add(problems, to: &state, context.strings) }
        PostingForm.askAgainForImage(image, &state, context.strings)
        guard case .valid(let content) = outcome, case .organisation(let organisationID) = owner, !state.hasErrors
        else {
            return .page(render(setup, state, context, status: .unprocessableContent))
        }
        let imageName = try image.map { try context.app.images.save($0, ownerID: user.id, now: context.now) }
        let created = try PostingForm.checked {
            try EventWriteStore(database: context.app.database).create(
                content, organisationID: organisationID, userID: user.id, imageName: imageName, now: context.now)
        }
        return .redirect(
            SiteRoute.my(.overview).path + "?hinweis=" + PostingForm.savedNotice(created.state, isNew: true))
    }

    static func edit(id: Int64, _ context: RequestContext, _ user: SessionUser) throws -> Outcome {
        let store = EventWriteStore(database: context.app.database)
        let stored = try PostingForm.checked { try store.editable(id: id, userID: user.id) }
        guard stored.state != .archived else { throw HTTPError.forbidden }
        let setup = Setup(
            action: SiteRoute.my(.editEvent(id: id)).path, isNew: false, organisationName: stored.organisationName,
            imageName: stored.imageName,
            returnsToModeration: PostingLifecycle.editReturnsToModeration(
                stored.state, publishesDirectly: stored.publishesDirectly))
        guard context.isPost else {
            return .page(render(setup, formState(stored.content, context), context))
        }
        var state = FormState(form: context.form, keeping: fieldNames)
        let image = PostingForm.checkedImage(context, &state)
        let outcome = draft(from: state, context).validate(
            isNew: false, now: context.now, calendar: context.dates.calendar)
        if case .invalid(let problems) = outcome { PostingForm.add(problems, to: &state, context.strings) }
        PostingForm.askAgainForImage(image, &state, context.strings)
        guard case .valid(let content) = outcome, !state.hasErrors else {
            return .page(render(setup, state, context, status: .unprocessableContent))
        }
        let change = try PostingForm.imageChange(image, state, context, userID: user.id)
        let newState = try PostingForm.checked {
            try store.update(id: id, content: content, userID: user.id, image: change, now: context.now)
        }
        return .redirect(SiteRoute.my(.overview).path + "?hinweis=" + PostingForm.savedNotice(newState, isNew: false))
    }

    static func draft(from state: FormState, _ context: RequestContext) -> EventDraft {
        var draft = EventDraft()
        draft.title = state.value("title")
        draft.description = state.value("description")
        draft.eventType = state.value("event_type")
        draft.date = state.value("date")
        draft.startTime = state.value("start_time")
        draft.endTime = state.value("end_time")
        draft.municipalityID = context.catalog.municipality(slug: state.value("municipality"))?.id
        draft.venue = state.value("venue")
        draft.address = state.value("address")
        draft.registrationRequired = state.isChecked("registration_required")
        draft.registrationText = state.value("registration_text")
        draft.costText = state.value("cost")
        draft.topicIDs = PostingForm.topicIDs(state.values("topics"), kind: .volunteering, context)
        return draft
    }

    static func formState(_ content: EventContent, _ context: RequestContext) -> FormState {
        let calendar = context.dates.calendar
        var state = FormState()
        state.set("title", content.title)
        state.set("description", content.description)
        state.set("event_type", content.eventType.rawValue)
        state.set("date", GermanDateText.format(day: content.startsAt, in: calendar))
        state.set("start_time", GermanDateText.format(time: content.startsAt, in: calendar))
        state.set("end_time", content.endsAt.map { GermanDateText.format(time: $0, in: calendar) } ?? "")
        state.set("municipality", PostingForm.municipalitySlug(content.municipalityID, context))
        state.set("venue", content.venue)
        state.set("address", content.address)
        state.set("registration_required", content.registrationRequired ? "1" : "")
        state.set("registration_text", content.registrationText)
        state.set("cost", content.costText)
        state.set("topics", values: PostingForm.topicSlugs(content.topicIDs, context))
        return state
    }

    static func render(
        _ setup: Setup, _ state: FormState, _ context: RequestContext, status: HTTPResponse.Status = .ok
    ) -> RenderedPage {
        let strings = context.strings
        let view = FormView(state: state, strings: strings, prefix: PostingForm.prefix)
        let heading =
            setup.isNew
            ? strings["posting.heading.new.event"]
            : strings.format("posting.heading.edit_event", ["title": state.value("title")])
        var description = view.textarea("description", required: true, hint: true, rows: 8)
        description["hint"] = strings["posting.description_hint.event"]
        var fields: [String: Any] = [
            "title": view.input("title", required: true, maxLength: PostingLimits.title),
            "description": description,
            "eventType": view.radios(
                "event_type",
                options: EventType.allCases.map {
                    .init(value: $0.rawValue, label: strings["event_type.\($0.rawValue)"])
                },
                required: true),
            "date": view.input("date", required: true, hint: true, inputMode: "numeric"),
            "startTime": view.input("start_time", required: true, hint: true, inputMode: "numeric"),
            "endTime": view.input("end_time", hint: true, inputMode: "numeric"),
            "municipality": view.select(
                "municipality", options: PostingForm.municipalityOptions(context), required: true,
                emptyLabel: strings["posting.choose"]),
            "venue": view.input("venue", hint: true, maxLength: PostingLimits.venue),
            "address": view.input("address", hint: true, maxLength: PostingLimits.address),
            "registrationRequired": view.checkbox("registration_required"),
            "registrationText": view.textarea(
                "registration_text", hint: true, rows: 3, maxLength: PostingLimits.registration),
            "cost": view.input("cost", hint: true, maxLength: PostingLimits.cost),
            "topics": view.checkboxes(
                "topics",
                options: PostingForm.topicOptions(.volunteering, chosen: view.state.values("topics"), context),
                hint: true),
            "image": view.imageFile("image"),
        ]
        if setup.isNew {
            fields["organisation"] = view.select(
                "organisation", options: PostingForm.ownerOptions(setup.organisationChoices, personal: false, strings),
                required: true, hint: true)
        }
        var values: [String: Any] = [
            "heading": heading,
            "action": setup.action,
            "guard": context.formGuardValues,
            "fields": fields,
            "returnsToModeration": setup.returnsToModeration,
            "submitLabel": strings[setup.isNew ? "posting.submit.new" : "posting.submit.edit"],
            "backHref": SiteRoute.my(.overview).path,
        ]
        // Absent values stay out of the dictionary: the templates' sections treat any present value as true.
        values["intro"] = setup.isNew ? strings["posting.intro.event"] : nil
        values["errorSummary"] = view.errorSummary
        values["organisationName"] = setup.organisationName
        values["currentImage"] = PostingForm.currentImage(setup.imageName, view: view, strings)
        return RenderedPage(template: .eventForm, title: view.title(heading), context: values, status: status)
    }
}
