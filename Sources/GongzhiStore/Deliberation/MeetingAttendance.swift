import Foundation
import GongzhiDomain
import SQLKit

/// A signature on a meeting's attendance sheet as its page lists it: the signer's name masked as the registry
/// masks it, where they live, their household's number, when they signed and who recorded it.
public struct AttendanceLine: Sendable, Equatable, Encodable {
    public var personID: Int64
    public var name: String
    public var place: String
    public var household: String?
    public var signedAt: Date
    public var recordedBy: String?
}

/// A registry person offered by a picker: the name masked, where they live (building, unit and room).
public struct PersonChoice: Sendable, Equatable, Encodable {
    public var id: Int64
    public var name: String
    public var place: String
    public var householdID: Int64?
    /// Their age today, so that two masked names in one home can be told apart (and a minor seen as one).
    public var age: Int?

    public init(id: Int64, name: String, place: String, householdID: Int64?, age: Int? = nil) {
        self.id = id
        self.name = name
        self.place = place
        self.householdID = householdID
        self.age = age
    }

    /// "3栋 2-201" from a registry summary.
    static func place(building: String?, room: String?) -> String {
        [building, room].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
    }
}

/// The attendance sheet's rows: read into the domain's `AttendanceSheet` for its rules, and as lines for the page.
enum MeetingAttendanceRows {
    static func sheet(_ sql: any SQLDatabase, _ meetingID: Int64, basis: CountBasis) async throws -> AttendanceSheet {
        let rows = try await sql.raw(
            """
            SELECT person_id, household_id, signed_at FROM meeting_attendance WHERE meeting_id = \(bind: meetingID)
            ORDER BY signed_at, id
            """
        ).all()
        return AttendanceSheet(
            basis: basis,
            signatures: try rows.map {
                AttendanceSignature(
                    personID: try $0.decode(column: "person_id", as: Int64.self),
                    householdID: try $0.decode(column: "household_id", as: Int64?.self),
                    at: Date(epochMillis: try $0.decode(column: "signed_at", as: Int64.self)))
            })
    }

    static func lines(_ sql: any SQLDatabase, _ meetingID: Int64, box: PersonalDataBox) async throws -> [AttendanceLine]
    {
        let rows = try await sql.raw(
            SQLQueryString(
                """
                SELECT \(unsafeRaw: PersonRow.columns), a.signed_at AS a_signed_at, u.display_name AS a_recorder
                FROM meeting_attendance a JOIN registry_people p ON p.id = a.person_id
                LEFT JOIN nodes b ON b.id = p.building_id LEFT JOIN registry_households h ON h.id = p.household_id
                LEFT JOIN registry_houses r ON r.id = p.house_id LEFT JOIN users u ON u.id = a.recorded_by
                WHERE a.meeting_id = 
                """) + "\(bind: meetingID) ORDER BY a.signed_at, a.id"
        ).all()
        return try rows.map { row in
            let r = try PersonRow.decode(row, box: box)
            let p = r.person
            return AttendanceLine(
                personID: p.id, name: PersonalDataMask.name(p.name),
                place: PersonChoice.place(
                    building: r.buildingName,
                    room: p.address.room.map { room in p.address.unit.map { "\($0)-\(room)" } ?? room }),
                household: r.householdNumber,
                signedAt: Date(epochMillis: try row.decode(column: "a_signed_at", as: Int64.self)),
                recordedBy: try row.decode(column: "a_recorder", as: String?.self))
        }
    }
}

extension MeetingStore {
    /// The picker's people for a meeting's sign-in: the registry's own search (`RegistryStore.people`, inside what
    /// the actor may read) narrowed to the meeting's community, names masked. Only for who may sign people in.
    public func signInChoices(
        _ meetingID: Int64, query: String, for actor: Actor, now: Date
    ) async throws -> [PersonChoice] {
        let communityID = try await db.read { sql -> Int64 in
            guard let (m, context) = try await Self.loaded(sql, meetingID, actor: actor, now: now) else {
                throw DomainError.notFound
            }
            try MeetingPolicy.require(.signIn, of: actor, on: m, in: context)
            return m.communityID
        }
        return try await RegistryStore(db: db).choices(query: query, communityID: communityID, for: actor, now: now)
    }
}

extension RegistryStore {
    /// People of one community matching a search box's text (a name or part of it, an ID number, a phone), as a
    /// picker offers them: masked, at most `limit`, inside what the actor may read. An empty query finds nobody.
    public func choices(
        query: String, communityID: Int64, for actor: Actor, now: Date, limit: Int = 20
    ) async throws -> [PersonChoice] {
        let text = query.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return [] }
        var filter = PersonFilter()
        filter.query = String(text.prefix(60))
        filter.communityID = communityID
        filter.limit = limit
        return try await people(filter, for: actor, today: CalendarDate(now)).items.filter { !$0.anonymised }.map {
            PersonChoice(
                id: $0.id, name: PersonalDataMask.name($0.name),
                place: PersonChoice.place(building: $0.building, room: $0.room),
                householdID: nil, age: $0.age)
        }
    }

    /// Masked labels of the given people (for a picker's chosen entry), only those the actor may read.
    public func labels(_ ids: [Int64], for actor: Actor) async throws -> [Int64: PersonChoice] {
        let paths = RegistryPolicy.readablePaths(of: actor)
        guard !paths.isEmpty, !ids.isEmpty else { return [:] }
        let box = try box()
        return try await db.read { sql in
            var q = SQLQueryString("SELECT \(unsafeRaw: PersonRow.columns) FROM \(unsafeRaw: PersonRow.from) WHERE ")
            q = q + Self.inList("p.id", ids) + " AND (" + Self.inside("b.path", paths) + ")"
            var out: [Int64: PersonChoice] = [:]
            for row in try await sql.raw(q).all() {
                let r = try PersonRow.decode(row, box: box)
                let p = r.person
                out[p.id] = PersonChoice(
                    id: p.id, name: PersonalDataMask.name(p.name),
                    place: PersonChoice.place(
                        building: r.buildingName,
                        room: p.address.room.map { room in p.address.unit.map { "\($0)-\(room)" } ?? room }),
                    householdID: p.householdID)
            }
            return out
        }
    }
}
