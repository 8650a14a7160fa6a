import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

extension HouseDetail: ResponseEncodable {}
extension HouseOutcome: ResponseEncodable {}
extension OwnerArea: ResponseEncodable {}

/// A house's page (`/registry/houses/{id}`): its use and area, its owners and its rentals (出租房屋登记), each change
/// one form posting to the house writer `RegistryCommands.perform(_:house:_:)`, which the API's routes under
/// `/api/v1/houses/{id}` call too.
struct RegistryHousePages {
    let services: AppServices
    var views: Views { services.views }
    var store: RegistryStore { RegistryStore(db: services.db) }
    var commands: RegistryCommands { RegistryCommands(db: services.db, clock: services.clock) }
    var today: CalendarDate { CalendarDate(services.clock.now()) }

    /// The steps on a house, each its own POST route on the page and in the API.
    enum Step: String, CaseIterable {
        case amend, owners
        case removeOwner = "remove_owner"
        case rentals
        case endRental = "end_rental"
    }

    static func path(_ id: Int64) -> String { RegistryURL.house(id).path }

    /// The step's command from the fields a form or a JSON body gives.
    func command(_ step: Step, _ input: HouseStepInput, house: House) throws -> HouseCommand {
        switch step {
        case .amend:
            var form = input.house
            form.building = "\(house.buildingID)"
            return .amend(try form.draft())
        case .owners: return .addOwner(try input.owner.draft())
        case .removeOwner:
            guard let owner = Int64(input.owner_id ?? "") else { throw DomainError.invalid("owner_required") }
            return .removeOwner(owner)
        case .rentals: return .registerRental(try input.rental.draft())
        case .endRental:
            guard let rental = Int64(input.rental_id ?? "") else {
                throw DomainError.invalid("rental_required", field: "rental_id")
            }
            let day = try RegistryValues.date(from: input.ended_on ?? "", field: "ended_on") ?? today
            return .endRental(rental, on: day)
        }
    }

    func register(pages: RouterGroup<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        pages.get("/registry/houses/:id") { _, context in
            try await page(context, id: try context.parameters.require("id", as: Int64.self))
        }
        for step in Step.allCases {
            pages.post(RouterPath("/registry/houses/:id/\(step.rawValue)")) { request, context in
                let actor = try context.requireActor()
                let id = try context.parameters.require("id", as: Int64.self)
                let detail = try await store.house(id, for: actor)
                let form = try await Form.read(request, context)
                var input = try form.decode(HouseStepInput.self)
                input.tenants = form.all("tenants").joined(separator: ",")
                do {
                    try await commands.perform(
                        actor, house: id, try command(step, input, house: detail.house),
                        expectedVersion: form.int("version").map(Int.init))
                    return Response.redirect(to: Self.path(id))
                } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                    var errors = views.formErrors(error, context)
                    errors["typed"] = input.typed(step)
                    return try await page(context, id: id, errors: errors, status: .unprocessableContent)
                }
            }
        }
        api.get("/houses/:id") { request, context in
            let detail = try await store.house(
                try context.parameters.require("id", as: Int64.self), for: try context.requireActor())
            var response = try detail.response(from: request, context: context)
            response.headers[.eTag] = "\"\(detail.version)\""
            return response
        }
        for step in Step.allCases {
            api.post(RouterPath("/houses/:id/\(step.rawValue)")) { request, context in
                let actor = try context.requireActor()
                let id = try context.parameters.require("id", as: Int64.self)
                let detail = try await store.house(id, for: actor)
                let input = try await request.decodeInput(HouseStepInput.self, context: context)
                let outcome = try await commands.perform(
                    actor, house: id, try command(step, input, house: detail.house),
                    expectedVersion: request.ifMatchVersion)
                var response = try EditedResponse(
                    status: step == .owners || step == .rentals ? .created : .ok, response: outcome
                ).response(from: request, context: context)
                response.headers[.eTag] = "\"\(outcome.version)\""
                return response
            }
        }
        api.get("/registry/owner_areas") { request, context in
            let building = request.uri.queryParameters["building"].flatMap { Int64(String($0)) }
            let estate = request.uri.queryParameters["estate"].flatMap { Int64(String($0)) }
            return Page(
                items: try await store.ownerAreas(
                    building: building, estate: estate, for: try context.requireActor()),
                nextCursor: nil)
        }
    }

    func page(
        _ context: AppRequestContext, id: Int64, errors: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requireActor()
        let detail = try await store.house(id, for: actor)
        var data = errors
        data["page"] = RegistryHouseViews.detail(
            detail, typed: errors["typed"] as? [String: String] ?? [:], errors: errors, today: today
        ) { views.t($0, context) }
        data["typed"] = nil
        let title = detail.buildingName + " " + detail.house.label
        return views.page("registry/house", context, title: title, data: data, status: status, section: "registry")
    }
}

/// One body for every house step: the house fields (amend), an owner's, a rental's, or the owner or rental acted
/// on. Forms and JSON send the same names.
struct HouseStepInput: Decodable, Sendable {
    var unit: String?
    var floor: String?
    var room: String?
    var use: String?
    var area: String?
    var person: String?
    var name: String?
    var share: String?
    var owner_id: String?
    var landlord: String?
    var tenants: String?
    var start_on: String?
    var end_on: String?
    var purpose: String?
    var rental_id: String?
    var ended_on: String?
    /// The house is unsold, held by the developer (a checkbox on the page, `true` in JSON).
    var developer: Bool = false

    enum CodingKeys: String, CodingKey {
        case unit, floor, room, use, area, person, name, share, owner_id, landlord, tenants, start_on, end_on
        case purpose, rental_id, ended_on, developer
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func text(_ key: CodingKeys) -> String? {
            if let s = try? c.decodeIfPresent(String.self, forKey: key) { return s }
            if let i = try? c.decodeIfPresent(Int64.self, forKey: key) { return String(i) }
            if let d = try? c.decodeIfPresent(Double.self, forKey: key) { return String(d) }
            if let list = try? c.decodeIfPresent([Int64].self, forKey: key) {
                return list.map(String.init).joined(separator: ",")
            }
            return nil
        }
        unit = text(.unit)
        floor = text(.floor)
        room = text(.room)
        use = text(.use)
        area = text(.area)
        person = text(.person)
        name = text(.name)
        share = text(.share)
        owner_id = text(.owner_id)
        landlord = text(.landlord)
        tenants = text(.tenants)
        start_on = text(.start_on)
        end_on = text(.end_on)
        purpose = text(.purpose)
        rental_id = text(.rental_id)
        ended_on = text(.ended_on)
        if let flag = try? c.decodeIfPresent(Bool.self, forKey: .developer) {
            developer = flag
        } else if let flag = text(.developer) {
            developer = ["1", "true", "on", "yes"].contains(flag.lowercased())
        }
    }

    var house: HouseForm { HouseForm(unit: unit, floor: floor, room: room, use: use, area: area) }
    var owner: OwnerForm { OwnerForm(person: person, name: name, share: share, developer: developer) }
    var rental: RentalForm {
        RentalForm(landlord: landlord, tenants: tenants, startOn: start_on, endOn: end_on, purpose: purpose)
    }

    /// What was typed in the refused step's form, to show it again.
    func typed(_ step: RegistryHousePages.Step) -> [String: String] {
        var out: [String: String] = ["step": step.rawValue]
        let pairs: [(String, String?)] = [
            ("unit", unit), ("floor", floor), ("room", room), ("use", use), ("area", area), ("person", person),
            ("name", name), ("share", share), ("landlord", landlord), ("tenants", tenants), ("start_on", start_on),
            ("end_on", end_on), ("purpose", purpose), ("rental_id", rental_id), ("ended_on", ended_on),
        ]
        for (key, value) in pairs { if let value { out[key] = value } }
        if developer { out["developer"] = "1" }
        return out
    }
}

/// The house page's model, built from the store's read.
enum RegistryHouseViews {
    typealias Words = (String) -> String

    static func owner(_ o: HouseOwner) -> [String: Any] {
        [
            "id": o.id, "name": o.name, "share": o.shareText, "resident": o.personID != nil, "developer": o.developer,
            "href": o.personID.map { RegistryURL.person($0).path } ?? "",
        ]
    }

    static func rental(_ r: Rental, today: CalendarDate, _ w: Words) -> [String: Any] {
        [
            "id": r.id, "landlord": r.landlordName, "start": r.start.description, "end": r.end.description,
            "ended_text": r.endedOn?.description ?? "", "ended": r.endedOn != nil,
            "purpose": w("rental_purpose_\(r.purpose.rawValue)"),
            "tenants": r.tenants.map { ["name": $0.name, "href": RegistryURL.person($0.personID).path] },
            "active": r.isActive(on: today), "ends_soon": r.endsSoon(today: today),
            "house_href": RegistryHousePages.path(r.houseID),
        ]
    }

    static func detail(
        _ d: HouseDetail, typed: [String: String], errors: [String: Any], today: CalendarDate, _ w: Words
    ) -> [String: Any] {
        let can = Set(d.capabilities).contains(.edit)
        let step = typed["step"] ?? ""
        func value(_ key: String, _ fallback: String, for steps: Set<String>) -> String {
            steps.contains(step) ? typed[key] ?? "" : fallback
        }
        func field(
            _ name: String, _ label: String, _ v: String, max: Int, hint: String = "", mode: String = ""
        )
            -> FormField
        {
            FormField.text(name, label: w(label), value: v, hint: hint, errors: errors, maxLength: max, inputMode: mode)
        }
        let h = d.house
        let running = d.rentals.filter { $0.endedOn == nil && $0.lastDay >= today }
        let chosenTenants = Set((typed["tenants"] ?? "").split(separator: ",").map(String.init))
        return [
            "house": [
                "floor_text": h.floor.map(String.init) ?? "", "has_floor": h.floor != nil,
                "use_text": w("house_use_\(h.use.rawValue)"), "area_text": h.areaText ?? "",
                "has_area": h.areaCenti != nil,
            ] as [String: Any],
            "building_href": RegistryURL.building(h.buildingID).path, "building": d.buildingName,
            "owners": d.owners.map(owner), "has_owners": !d.owners.isEmpty,
            "rentals": d.rentals.map { rental($0, today: today, w) }, "has_rentals": !d.rentals.isEmpty,
            "residents": d.residents.map {
                ["id": $0.personID, "name": $0.name, "href": RegistryURL.person($0.personID).path]
            },
            "has_residents": !d.residents.isEmpty,
            "can_edit": can, "version": h.version, "action": RegistryHousePages.path(h.id),
            "unit": field("unit", "person_field_unit", value("unit", h.unit, for: ["amend"]), max: 20),
            "room": field("room", "person_field_room", value("room", h.room, for: ["amend"]), max: 20),
            "floor": field(
                "floor", "house_floor", value("floor", h.floor.map(String.init) ?? "", for: ["amend"]), max: 4,
                mode: "numeric"),
            "area": field(
                "area", "house_area", value("area", h.areaText ?? "", for: ["amend"]), max: 10,
                hint: w("house_area_hint"), mode: "decimal"),
            "uses": HouseUse.allCases.map {
                [
                    "value": $0.rawValue, "label": w("house_use_\($0.rawValue)"),
                    "selected": $0.rawValue == value("use", h.use.rawValue, for: ["amend"]),
                ]
            },
            "owner_name": field(
                "name", "owner_field_name", value("name", "", for: ["owners"]), max: 60,
                hint: w("owner_hint_name")),
            "owner_share": field(
                "share", "owner_field_share", value("share", "", for: ["owners"]), max: 7,
                hint: w("owner_hint_share"), mode: "decimal"),
            "owner_developer_checked": step == "owners" && typed["developer"] != nil,
            "owner_people": d.residents.map {
                ["value": $0.personID, "label": $0.name, "selected": "\($0.personID)" == typed["person"]]
            },
            "landlords": d.owners.map {
                ["value": $0.id, "label": $0.name, "selected": "\($0.id)" == typed["landlord"]]
            },
            "tenant_choices": d.residents.enumerated().map { i, r in
                [
                    "value": r.personID, "label": r.name, "first": i == 0,
                    "checked": chosenTenants.contains("\(r.personID)"),
                ]
            },
            "start_on": field(
                "start_on", "rental_start_on", value("start_on", "", for: ["rentals"]), max: 10,
                hint: w("rental_hint_date"), mode: "numeric"),
            "end_on": field(
                "end_on", "rental_end_on", value("end_on", "", for: ["rentals"]), max: 10,
                hint: w("rental_hint_date"), mode: "numeric"),
            "purposes": RentalPurpose.allCases.map {
                [
                    "value": $0.rawValue, "label": w("rental_purpose_\($0.rawValue)"),
                    "selected": $0.rawValue == (typed["purpose"] ?? "residence"),
                ]
            },
            "running": running.map {
                [
                    "value": $0.id, "label": "\($0.start) – \($0.end) \($0.tenants.map(\.name).joined(separator: "、"))",
                    "selected": "\($0.id)" == typed["rental_id"],
                ]
            },
            "has_running": !running.isEmpty,
            "ended_on": field(
                "ended_on", "rental_ended_on", value("ended_on", "", for: ["end_rental"]), max: 10,
                hint: w("person_hint_date_today"), mode: "numeric"),
        ]
    }
}
