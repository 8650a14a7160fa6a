import Foundation
import GongzhiDomain

/// One decodable input per step of the tree and its bodies, shared by the form and the JSON API: both decode the
/// same type and turn it into the same command (`NodeStep` and `BodyStep` pair each step with its input).
struct NameInput: Decodable, Sendable {
    var name: String?
    var text: String { name ?? "" }
}

/// A new node: on a page its parent is the node of the URL, in the API `parentId` (none for a new district).
struct NewNodeInput: Decodable, Sendable {
    var kind: String?
    var name: String?
    var code: String?
    var parentId: LooseInt?
    func command() throws -> JurisdictionCommand {
        .createChild(kind: try NodeKind.parse(kind ?? ""), name: name ?? "", code: code)
    }
}

struct MoveInput: Decodable, Sendable {
    var parentId: LooseInt?
    func command() throws -> JurisdictionCommand {
        guard let parent = parentId?.value else { throw DomainError.invalid("parent_required", field: "parent") }
        return .move(to: parent)
    }
}

/// The split of a grid: the halves' names and, for every building, the half it goes to — as `assignment`
/// (`{"12": "first"}`) in JSON, or as one radio field `b_<id>` per building in the form.
struct SplitInput: Decodable, Sendable {
    var firstName: String
    var secondName: String
    var assignment: [Int64: GridChange.Side]

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        firstName = try c.decodeIfPresent(String.self, forKey: Key(stringValue: "firstName")) ?? ""
        secondName = try c.decodeIfPresent(String.self, forKey: Key(stringValue: "secondName")) ?? ""
        var pairs = try c.decodeIfPresent([String: String].self, forKey: Key(stringValue: "assignment")) ?? [:]
        for key in c.allKeys where key.stringValue.hasPrefix("b_") {
            pairs[String(key.stringValue.dropFirst(2))] = try c.decode(String.self, forKey: key)
        }
        assignment = [:]
        for (id, side) in pairs {
            guard let id = Int64(id), let side = GridChange.Side(rawValue: side) else {
                throw DomainError.invalid("split_building_foreign", field: "assignment")
            }
            assignment[id] = side
        }
    }

    func command() -> JurisdictionCommand {
        .splitGrid(firstName: firstName, secondName: secondName, assignment: assignment)
    }
}

struct MergeGridsInput: Decodable, Sendable {
    var other: LooseInt?
    var name: String?
    func command() throws -> JurisdictionCommand {
        guard let other = other?.value else { throw DomainError.invalid("merge_same_grid", field: "other") }
        return .mergeGrids(with: other, name: name ?? "")
    }
}

struct NewBodyInput: Decodable, Sendable {
    var kind: String?
    var name: String?
    func command() throws -> JurisdictionCommand {
        .createBody(kind: try BodyKind.parse(kind ?? ""), name: name ?? "")
    }
}

struct EstateRenameInput: Decodable, Sendable {
    var estate: LooseInt?
    var name: String?
    func command() throws -> JurisdictionCommand {
        guard let estate = estate?.value else { throw DomainError.invalid("estate_unknown", field: "estate") }
        return .renameEstate(estateID: estate, name: name ?? "")
    }
}

/// The estate a building goes into; empty or absent takes it out of its estate.
struct EstateAssignInput: Decodable, Sendable {
    var estate: LooseInt?
}

struct PositionInput: Decodable, Sendable {
    var position: LooseInt?
    func value() throws -> Int {
        guard let position = position?.value, position > 0, position <= Int64(Int32.max) else {
            throw DomainError.invalid("position_invalid", field: "position")
        }
        return Int(position)
    }
}

struct NewDutyInput: Decodable, Sendable {
    var parentId: LooseInt?
    var title: String?
}

/// A step on one item of a duty list: `item` names it; `title` and `position` where the step needs them.
struct DutyItemInput: Decodable, Sendable {
    var item: LooseInt?
    var title: String?
    var position: LooseInt?
    func id() throws -> Int64 {
        guard let item = item?.value else { throw DomainError.invalid("duty_unknown", field: "item") }
        return item
    }
}
