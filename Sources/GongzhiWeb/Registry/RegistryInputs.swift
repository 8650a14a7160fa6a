import Foundation
import GongzhiDomain
import GongzhiStore

/// A full view's request: the field and why (the API's body and the page's form alike).
struct RevealInput: Decodable, Sendable {
    var field: String?
    var reason: String?
    func revealField() throws -> RevealField {
        guard let field = RevealField(rawValue: field ?? "") else {
            throw DomainError.invalid("reveal_field_unknown", field: "field")
        }
        return field
    }
}

/// The day a person moved away (today when left empty).
struct MoveOutInput: Decodable, Sendable {
    var movedOutOn: String?
    enum CodingKeys: String, CodingKey { case movedOutOn = "moved_out_on" }
    func day(today: CalendarDate) throws -> CalendarDate {
        try RegistryValues.date(from: movedOutOn ?? "", field: "moved_out_on") ?? today
    }
}

/// The registry's list filters as the URL (page) or the query string (API) gives them.
struct PersonQuery: Sendable {
    var q = ""
    var tag = ""
    var residence = ""
    var building = ""
    var movedOut = false
    var before: Int64?

    init(_ params: [String: String]) {
        q = String((params["q"] ?? "").prefix(60))
        tag = params["tag"] ?? ""
        residence = params["residence"] ?? ""
        building = params["building"] ?? ""
        movedOut = params["moved_out"] == "1" || params["moved_out"] == "true"
        before = (params["before"] ?? params["cursor"]).flatMap { Int64($0) }
    }

    func filter(limit: Int) throws(DomainError) -> PersonFilter {
        var f = PersonFilter()
        f.query = q
        if !tag.isEmpty {
            guard let value = PersonTag(rawValue: tag) else { throw .invalid("tag_unknown", field: "tag", args: [tag]) }
            f.tag = value
        }
        if !residence.isEmpty {
            guard let value = ResidenceStatus(rawValue: residence) else {
                throw .invalid("residence_status_unknown", field: "residence", args: [residence])
            }
            f.residence = value
        }
        if !building.isEmpty {
            guard let value = Int64(building) else { throw .invalid("building_unknown", field: "building") }
            f.buildingID = value
        }
        f.includeMovedOut = movedOut
        f.before = before
        f.limit = limit
        return f
    }

    /// The query string of these filters without the cursor, for the "older" link.
    var queryString: String {
        [("q", q), ("tag", tag), ("residence", residence), ("building", building), ("moved_out", movedOut ? "1" : "")]
            .filter { !$0.1.isEmpty }.map {
                "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
            }.joined(separator: "&")
    }
}
