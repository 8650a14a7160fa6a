import Foundation
import GongzhiDomain
import SQLKit

/// People of an import written in batches (issue 12: two million people from one file). Each row is checked as the
/// registry's writer checks it — the record and its ID (`Person.check`), the building, the room among the building's
/// houses, the household (one adult head, members join an existing household) and the ID number against everyone
/// else — but against caches and one look-up per batch instead of a dozen statements per person, and written with
/// multi-row inserts. The personal data is sealed and indexed exactly as `SealedPerson` does for the writer, on every
/// core. Used inside the import's one transaction, so a refused row still leaves nothing written.
struct RegistryPeopleBatch {
    let tx: Transaction
    let box: PersonalDataBox
    let today: CalendarDate
    /// Rows per flush: binds stay under SQLite's and PostgreSQL's limits (23 columns × 400 people).
    static let size = 400

    /// A household as the import knows it: its id (existing, or reserved for a new one) and its current members.
    struct HouseholdState {
        var id: Int64
        var members: [Household.Member]
        var isNew: Bool
        var headPersonID: Int64?
        var buildingID: Int64?
        var houseID: Int64?
    }

    struct Pending {
        var line: Int
        var person: Person
        var houseID: Int64?
        var household: String?
        var sealed: SealedPerson?
    }

    var houses: [Int64: [String: Int64]] = [:]
    var households: [Int64: [String: HouseholdState]] = [:]
    var documents: [String: Int] = [:]
    var pending: [Pending] = []
    var newHouseholds: [(community: Int64, number: String)] = []
    /// Rows refused when their batch met the database (an ID number registered before).
    var problems: [ImportProblem] = []
    /// Set once any row is refused: from then on rows are checked but not written.
    var failed = false
    /// The id each written row's line received, for callers that go on with the people (the demo's owners).
    var written: [Int: Int64] = [:]
    /// The import's: a batch's inserts run on the writer's connection while the next rows are read and checked
    /// (`overlapping`), two cores at work instead of one in turn. Whoever sets it must `settle()` on every way out.
    var overlapping = false
    private var writing: Task<Void, any Error>?
    /// The last id handed out per table: the previous batch may not be written yet when the next asks for ids.
    private var lastIDs: [String: Int64] = [:]

    init(_ tx: Transaction, today: CalendarDate) throws {
        self.tx = tx
        self.box = try tx.requirePersonalData()
        self.today = today
    }

    /// Whether a household number is known in the building's community: registered before, or headed by a row
    /// already taken in.
    mutating func knows(household number: String, at building: Node) async throws -> Bool {
        guard let communityID = building.communityID else { return false }
        if households[communityID] == nil { households[communityID] = try await Self.households(tx.sql, communityID) }
        return households[communityID]?[number] != nil
    }

    /// Checks one row and queues it; a refusal is thrown with its field, for the caller's report.
    mutating func add(line: Int, _ draft: PersonDraft, building: Node) async throws {
        let sql = tx.sql
        guard building.kind == .building, building.isOpen, let communityID = building.communityID else {
            throw DomainError.invalid("building_unknown", field: "building")
        }
        var houseID: Int64?
        if !draft.room.isEmpty {
            if houses[building.id] == nil {
                var rooms: [String: Int64] = [:]
                for row in try await sql.raw(
                    // By community too, so the look-up takes the `(community_id, building_id, unit, room)` index
                    // instead of reading every house (at two million people, 9,000 buildings × 720,000 houses).
                    """
                    SELECT id, unit, room FROM registry_houses WHERE community_id = \(bind: communityID)
                    AND building_id = \(bind: building.id)
                    """
                ).all() {
                    let key =
                        try row.decode(column: "unit", as: String.self) + "\u{1F}"
                        + row.decode(column: "room", as: String.self)
                    rooms[key] = try row.decode(column: "id", as: Int64.self)
                }
                houses[building.id] = rooms
            }
            houseID = houses[building.id]?[draft.unit + "\u{1F}" + draft.room]
            guard houseID != nil else {
                throw DomainError.invalid(
                    "room_unknown", field: "room",
                    args: [draft.unit.isEmpty ? draft.room : "\(draft.unit)-\(draft.room)"])
            }
        } else if !draft.unit.isEmpty {
            throw DomainError.invalid("room_required", field: "room")
        }
        var household: HouseholdState?
        if let number = draft.householdNumber {
            if households[communityID] == nil { households[communityID] = try await Self.households(sql, communityID) }
            household = households[communityID]?[number]
            if household == nil {
                guard draft.relation == .head else {
                    throw DomainError.invalid("household_unknown", field: "household", args: [number])
                }
            }
        }
        var person = draft.person(id: 0, communityID: communityID, householdID: household?.id)
        try person.check(today: today)
        let member = Household.Member(label: person.name, relation: person.relation, birthDate: person.birthDate)
        if draft.householdNumber != nil {
            try Household.validate(members: (household?.members ?? []) + [member], today: today)
        }
        // The ID number: once in the file (the database is asked per batch).
        let documentIndex = try SealedPerson.documentIndex(person.document, box: box)
        if documents[documentIndex] != nil {
            throw DomainError(.conflict, "id_number_duplicate", field: "id_number")
        }
        documents[documentIndex] = line
        // Ids are reserved per batch; a new household takes its id when its head is written.
        person.id = 0
        if let number = draft.householdNumber {
            var state =
                household
                ?? HouseholdState(
                    id: 0, members: [], isNew: true, buildingID: building.id, houseID: houseID)
            state.members.append(member)
            households[communityID]?[number] = state
            if household == nil { newHouseholds.append((communityID, number)) }
        }
        pending.append(Pending(line: line, person: person, houseID: houseID, household: draft.householdNumber))
        if pending.count >= Self.size { try await write(overlapping: overlapping) }
    }

    /// Writes what is queued, after asking the database once whether any of its ID numbers is taken. Once a row has
    /// been refused nothing more is written (the import rolls back), but every row is still checked.
    mutating func flush() async throws { try await write(overlapping: false) }

    /// Waits for the inserts still running, if any; their error is thrown here.
    mutating func settle() async throws {
        let task = writing
        writing = nil
        try await task?.value
    }

    /// Ids for the batch: from the table the first time, then after the last handed out (SQLite's reservation
    /// reads the table's largest id, which the previous batch's rows may not have reached yet). Inside the
    /// command's transaction nobody else writes these tables. PostgreSQL's sequences hand them out.
    mutating func ids(_ table: String, count: Int) async throws -> [Int64] {
        guard count > 0 else { return [] }
        guard tx.backend == .sqlite else { return try await tx.reserveIDs(table, count: count) }
        let first: Int64
        if let last = lastIDs[table] { first = last + 1 } else { first = try await tx.reserveIDs(table, count: 1)[0] }
        lastIDs[table] = first + Int64(count) - 1
        return (0..<Int64(count)).map { first + $0 }
    }

    private mutating func write(overlapping: Bool) async throws {
        guard !pending.isEmpty else {
            if !overlapping { try await settle() }
            return
        }
        let sql = tx.sql
        defer {
            pending = []
            newHouseholds = []
        }
        let box = box
        // Seal on every core: the keyed hashes and ciphers are most of an import's work.
        let people = pending.map(\.person)
        let sealed = try await withThrowingTaskGroup(of: (Int, [SealedPerson]).self) { group in
            let chunk = max(1, (people.count + 1) / 2)
            for start in stride(from: 0, to: people.count, by: chunk) {
                let slice = Array(people[start..<min(start + chunk, people.count)])
                group.addTask { (start, try slice.map { try SealedPerson($0, box: box) }) }
            }
            var all = [SealedPerson?](repeating: nil, count: people.count)
            for try await (start, part) in group { for (i, s) in part.enumerated() { all[start + i] = s } }
            return all.map { $0! }
        }
        let taken = Set(
            try await sql.raw(
                SQLQueryString("SELECT document_index FROM registry_people WHERE document_index IN (")
                    + RegistryStore.binds(sealed.map(\.documentIndex)) + ")"
            ).all().map { try $0.decode(column: "document_index", as: String.self) })
        let before = problems.count
        for (i, s) in sealed.enumerated() where taken.contains(s.documentIndex) {
            problems.append(
                ImportProblem(line: pending[i].line, field: "id_number", key: "id_number_duplicate", args: []))
        }
        if problems.count > before { failed = true }
        guard !failed else {
            if !overlapping { try await settle() }
            return
        }

        let now = tx.now.epochMillis
        let ids = try await self.ids("registry_people", count: pending.count)
        let householdIDs = try await self.ids("registry_households", count: newHouseholds.count)
        for (i, key) in newHouseholds.enumerated() { households[key.community]?[key.number]?.id = householdIDs[i] }
        // Each person with their id and their household's id (a new household's head is the person who made it).
        var heads: [Int64: Int64] = [:]
        for i in pending.indices {
            pending[i].person.id = ids[i]
            pending[i].sealed = sealed[i]
            written[pending[i].line] = ids[i]
        }
        for i in pending.indices {
            let p = pending[i].person
            guard let number = pending[i].household, let state = households[p.communityID]?[number] else { continue }
            pending[i].person.householdID = state.id
            if p.relation == .head { heads[state.id] = p.id }
        }
        var statements: [SQLQueryString] = []
        if !newHouseholds.isEmpty {
            var q = SQLQueryString(
                "INSERT INTO registry_households (id, community_id, number, building_id, house_id, head_person_id, created_at, updated_at) VALUES "
            )
            for (i, key) in newHouseholds.enumerated() {
                let state = households[key.community]![key.number]!
                q +=
                    "\(unsafeRaw: i > 0 ? ", " : "")(\(bind: state.id), \(bind: key.community), \(bind: key.number), \(bind: state.buildingID), \(bind: state.houseID), \(bind: heads.removeValue(forKey: state.id)), \(bind: now), \(bind: now))"
            }
            statements.append(q)
        }
        var q = SQLQueryString(
            """
            INSERT INTO registry_people (id, community_id, building_id, house_id, household_id, relation, name_sealed,
              document_kind, document_sealed, document_index, phone_sealed, phone_index, phone_tail_index, sex,
              birth_date, ethnicity, residence, permit_start, permit_end, moved_in_on, tags, sensitive_sealed,
              created_at, updated_at) VALUES 
            """)
        for (i, entry) in pending.enumerated() {
            let p = entry.person
            let s = entry.sealed!
            q +=
                """
                \(unsafeRaw: i > 0 ? ", " : "")(\(bind: p.id), \(bind: p.communityID), \(bind: p.address.buildingID), \(bind: entry.houseID),
                  \(bind: p.householdID), \(bind: p.relation?.rawValue), \(bind: s.name), \(bind: p.document.kind.rawValue),
                  \(bind: s.document), \(bind: s.documentIndex), \(bind: s.phone), \(bind: s.phoneIndex), \(bind: s.phoneTailIndex),
                  \(bind: p.sex.rawValue), \(bind: p.birthDate.description), \(bind: p.ethnicity?.rawValue), \(bind: p.residence.rawValue),
                  \(bind: p.residencePermit?.start.description), \(bind: p.residencePermit?.end.description),
                  \(bind: p.movedInOn?.description), \(bind: s.ordinaryTags), \(bind: s.sensitive), \(bind: now), \(bind: now))
                """
        }
        statements.append(q)
        // Existing households that gained their head in this batch (new ones were written with theirs).
        for (household, head) in heads {
            statements.append(
                """
                UPDATE registry_households SET head_person_id = \(bind: head), version = version + 1, updated_at = \(bind: now)
                WHERE id = \(bind: household)
                """)
        }
        statements += pairs("registry_person_terms", "term", pending.map { ($0.person, $0.sealed!.terms) })
        statements += pairs("registry_person_tags", "tag", pending.map { ($0.person, $0.sealed!.tagKeys) })
        var moves = SQLQueryString(
            "INSERT INTO registry_moves (person_id, community_id, kind, on_date, building_id, house_id, at, actor_user_id) VALUES "
        )
        for (i, entry) in pending.enumerated() {
            let p = entry.person
            moves +=
                "\(unsafeRaw: i > 0 ? ", " : "")(\(bind: p.id), \(bind: p.communityID), 'in', \(bind: p.movedInOn?.description), \(bind: p.address.buildingID), \(bind: entry.houseID), \(bind: now), \(bind: tx.actor.storedUserID))"
        }
        statements.append(moves)
        // One batch's inserts at a time, in order: the previous batch's are waited for first.
        try await settle()
        let task = Task { for statement in statements { try await sql.raw(statement).run() } }
        if overlapping { writing = task } else { try await task.value }
    }

    /// Term or tag rows of many people in statements of at most 2,000 rows.
    func pairs(_ table: String, _ column: String, _ rows: [(Person, Set<String>)]) -> [SQLQueryString] {
        let flat = rows.flatMap { person, values in values.sorted().map { (person, $0) } }
        return stride(from: 0, to: flat.count, by: 2000).map { start in
            var q = SQLQueryString(
                "INSERT INTO \(unsafeRaw: table) (person_id, community_id, \(unsafeRaw: column)) VALUES ")
            for (i, (person, value)) in flat[start..<min(start + 2000, flat.count)].enumerated() {
                q +=
                    "\(unsafeRaw: i > 0 ? ", " : "")(\(bind: person.id), \(bind: person.communityID), \(bind: value))"
            }
            return q
        }
    }

    /// A community's households with their members, read once when a row first names one of them.
    static func households(_ sql: any SQLDatabase, _ communityID: Int64) async throws -> [String: HouseholdState] {
        var result: [String: HouseholdState] = [:]
        var byID: [Int64: String] = [:]
        for row in try await sql.raw(
            "SELECT id, number, head_person_id FROM registry_households WHERE community_id = \(bind: communityID)"
        ).all() {
            let id = try row.decode(column: "id", as: Int64.self)
            let number = try row.decode(column: "number", as: String.self)
            byID[id] = number
            result[number] = HouseholdState(
                id: id, members: [], isNew: false,
                headPersonID: try row.decode(column: "head_person_id", as: Int64?.self))
        }
        guard !byID.isEmpty else { return result }
        for row in try await sql.raw(
            """
            SELECT id, household_id, relation, birth_date FROM registry_people WHERE community_id = \(bind: communityID)
            AND household_id IS NOT NULL AND moved_out_on IS NULL ORDER BY id
            """
        ).all() {
            guard let number = byID[try row.decode(column: "household_id", as: Int64.self)] else { continue }
            result[number]?.members.append(
                Household.Member(
                    label: "#\(try row.decode(column: "id", as: Int64.self))",
                    relation: try row.decode(column: "relation", as: String?.self).flatMap(HouseholdRelation.init),
                    birthDate: CalendarDate(try row.decode(column: "birth_date", as: String.self))))
        }
        return result
    }
}
