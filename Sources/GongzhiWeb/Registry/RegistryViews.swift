import Foundation
import GongzhiDomain
import GongzhiStore

/// The registry's page models, built by pure functions from the store's read models and the words of the page's
/// language.
enum RegistryViews {
    typealias Words = (String) -> String

    struct Choice {
        var value: String
        var label: String
        var selected: Bool
        var dictionary: [String: Any] { ["value": value, "label": label, "selected": selected] }
    }

    static func summary(_ p: PersonSummary, _ w: Words) -> [String: Any] {
        [
            "href": RegistryURL.person(p.id).path, "name": p.name,
            "document": p.documentNumber, "document_kind": w("document_kind_\(p.documentKind.rawValue)"),
            "phone": p.phone ?? "", "sex": w("sex_\(p.sex.rawValue)"), "age": p.age,
            "place": [p.building, p.room].compactMap { $0 }.joined(separator: " "),
            "building_href": p.buildingID.map { RegistryURL.building($0).path } ?? "",
            "residence": w("residence_status_\(p.residence.rawValue)"),
            "tags": p.tags.map { ["label": w("person_tag_\($0.rawValue)"), "sensitive": $0.isSensitive] },
            "moved_out": p.movedOut, "anonymised": p.anonymised,
        ]
    }

    static func tagChoices(_ selected: String, _ w: Words, sensitive: Bool) -> [[String: Any]] {
        PersonTag.allCases.filter { sensitive || !$0.isSensitive }.map {
            Choice(value: $0.rawValue, label: w("person_tag_\($0.rawValue)"), selected: $0.rawValue == selected)
                .dictionary
        }
    }

    static func residenceChoices(_ selected: String, _ w: Words) -> [[String: Any]] {
        ResidenceStatus.allCases.map {
            Choice(value: $0.rawValue, label: w("residence_status_\($0.rawValue)"), selected: $0.rawValue == selected)
                .dictionary
        }
    }

    /// The person form's fields and choices, filled from `form` (as typed, or as the record stands).
    static func form(
        _ form: PersonForm, buildings: [Choice], errors: [String: Any], tagsVisible: [PersonTag], _ w: Words
    ) -> [String: Any] {
        func field(_ name: String, _ value: String?, max: Int = 60, hint: String = "", mode: String = "") -> FormField {
            FormField.text(
                name, label: w("person_field_\(name)"), value: value ?? "", hint: hint, errors: errors,
                maxLength: max, inputMode: mode)
        }
        let chosenTags = Set((try? RegistryValues.tags(from: form.tags ?? "")) ?? [])
        let relation = (try? RegistryValues.relation(from: form.relation ?? "")) ?? nil
        let kind = ((try? RegistryValues.documentKind(from: form.idType ?? "")) ?? nil) ?? .residentID
        let sex = (try? RegistryValues.sex(from: form.sex ?? "")) ?? nil
        let residence = ((try? RegistryValues.residenceStatus(from: form.residenceStatus ?? "")) ?? nil) ?? .registered
        let ethnicity = (try? RegistryValues.ethnicity(from: form.ethnicity ?? "")) ?? nil
        return [
            "name": field("name", form.name, max: Person.maxNameLength),
            "id_number": field("id_number", form.idNumber, max: 30, hint: w("person_hint_id_number")),
            "birth_date": field("birth_date", form.birthDate, max: 10, hint: w("person_hint_birth_date")),
            "phone": field("phone", form.phone, max: 20, mode: "tel"),
            "unit": field("unit", form.unit, max: 20),
            "room": field("room", form.room, max: 20, hint: w("person_hint_room")),
            "household": field("household", form.household, max: 40, hint: w("person_hint_household")),
            "permit_start": field("permit_start", form.permitStart, max: 10),
            "permit_end": field("permit_end", form.permitEnd, max: 10),
            "moved_in_on": field("moved_in_on", form.movedInOn, max: 10),
            "kinds": DocumentKind.allCases.map {
                Choice(value: $0.rawValue, label: w("document_kind_\($0.rawValue)"), selected: $0 == kind).dictionary
            },
            "sexes": Sex.allCases.map {
                Choice(value: $0.rawValue, label: w("sex_\($0.rawValue)"), selected: $0 == sex).dictionary
            },
            "ethnicities": Ethnicity.allCases.map {
                Choice(value: $0.rawValue, label: w("ethnicity_\($0.rawValue)"), selected: $0 == ethnicity).dictionary
            },
            "relations": HouseholdRelation.allCases.map {
                Choice(value: $0.rawValue, label: w("relation_\($0.rawValue)"), selected: $0 == relation).dictionary
            },
            "residences": ResidenceStatus.allCases.map {
                Choice(value: $0.rawValue, label: w("residence_status_\($0.rawValue)"), selected: $0 == residence)
                    .dictionary
            },
            "buildings": buildings.map(\.dictionary),
            "tag_choices": tagsVisible.map {
                [
                    "value": $0.rawValue, "label": w("person_tag_\($0.rawValue)"), "checked": chosenTags.contains($0),
                    "sensitive": $0.isSensitive,
                ]
            },
        ]
    }

    static func detail(_ d: PersonDetail, revealed: [String: String], _ language: Language, _ w: Words) -> [String: Any]
    {
        let can = Set(d.capabilities)
        return [
            "person": summary(d.summary, w),
            "birth_date": d.birthDate.description,
            "ethnicity": d.ethnicity.map { w("ethnicity_\($0.rawValue)") } ?? "",
            "household": d.householdNumber ?? "", "relation": d.relation.map { w("relation_\($0.rawValue)") } ?? "",
            "members": d.members.map { summary($0, w) }, "has_members": !d.members.isEmpty,
            "permit": d.residencePermit.map { "\($0.start) – \($0.end)" } ?? "",
            "moved_in_on": d.movedInOn?.description ?? "", "moved_out_on": d.movedOutOn?.description ?? "",
            "moves": d.moves.map {
                [
                    "kind": w("person_move_\($0.kind)"), "on": $0.onDate?.description ?? "",
                    "at": DateText.format($0.at, language), "building": $0.building ?? "",
                ]
            },
            "version": d.version,
            "can_edit": can.contains(.edit) && !d.summary.anonymised && !d.summary.movedOut,
            "can_reveal": can.contains(.reveal) && !d.summary.anonymised,
            "can_anonymise": can.contains(.review) && !d.summary.anonymised,
            "has_phone": d.summary.phone != nil,
            "revealed_id_number": revealed["id_number"] ?? "", "revealed_phone": revealed["phone"] ?? "",
            "edit_href": RegistryURL.editPerson(d.summary.id).path,
            "reveal_href": RegistryURL.personStep(d.summary.id, .reveal).path,
            "move_out_href": RegistryURL.personStep(d.summary.id, .moveOut).path,
            "anonymise_href": RegistryURL.personStep(d.summary.id, .anonymise).path,
        ]
    }

    static func houses(_ houses: [HouseSummary], tenure: BuildingTenure, _ w: Words) -> [[String: Any]] {
        houses.map {
            let owners = tenure.owners[$0.house.id] ?? []
            let rented = tenure.rentals[$0.house.id] ?? []
            return [
                "label": $0.house.label, "floor": $0.house.floor.map(String.init) ?? "",
                "use": w("house_use_\($0.house.use.rawValue)"), "area": $0.house.areaText ?? "",
                "residents": $0.residents, "href": RegistryURL.house($0.house.id).path,
                "owners": owners.map { "\($0.name) \($0.shareText)" }.joined(separator: "、"),
                "rented_until": rented.map(\.lastDay.description).joined(separator: "、"),
                "people_href": RegistryURL.people.path + "?building=\($0.house.buildingID)",
            ]
        }
    }
}
