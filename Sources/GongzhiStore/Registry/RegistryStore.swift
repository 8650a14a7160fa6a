import Foundation
import GongzhiDomain
import SQLKit

/// What a registry list asks for: the search box, a tag, a residence status, one building; moved-out people only
/// on request; newest first in pages (`before` is the cursor).
public struct PersonFilter: Sendable, Equatable, Codable {
    public var query = ""
    public var tag: PersonTag?
    public var residence: ResidenceStatus?
    public var buildingID: Int64?
    /// One community only (an export's).
    public var communityID: Int64?
    public var includeMovedOut = false
    public var before: Int64?
    public var limit = 50
    public init() {}
}

/// A person as lists show them: the name, the document and phone masked, the place, and only the tags the reader
/// may see.
public struct PersonSummary: Sendable, Equatable, Encodable {
    public var id: Int64
    public var communityID: Int64
    public var name: String
    public var documentKind: DocumentKind
    public var documentNumber: String
    public var phone: String?
    public var sex: Sex
    public var age: Int
    public var buildingID: Int64?
    public var building: String?
    public var room: String?
    public var residence: ResidenceStatus
    public var tags: [PersonTag]
    public var movedOut: Bool
    public var anonymised: Bool
}

/// One page of people, with the cursor of the next.
public struct PersonPage: Sendable, Encodable {
    public var items: [PersonSummary]
    public var nextCursor: String?
    public init(items: [PersonSummary], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

/// A person's record as their page shows it: the summary, the rest of the record, the household's members, the
/// moves, and what the reader may do.
public struct PersonDetail: Sendable, Encodable {
    public var summary: PersonSummary
    public var birthDate: CalendarDate
    public var ethnicity: Ethnicity?
    public var householdNumber: String?
    public var relation: HouseholdRelation?
    public var members: [PersonSummary]
    public var residencePermit: ResidencePermit?
    public var movedInOn: CalendarDate?
    public var movedOutOn: CalendarDate?
    public var moves: [PersonMove]
    public var version: Int
    public var capabilities: [RegistryCapability]
    /// The record as its edit form starts (document and phone left out: they are typed again to change them).
    public var form: PersonForm
}

/// A line of a person's move history.
public struct PersonMove: Sendable, Equatable, Encodable {
    public var kind: String
    public var onDate: CalendarDate?
    public var at: Date
    public var building: String?
}

/// Reads of the registry, each inside what the actor may see (`RegistryPolicy`).
public struct RegistryStore: Sendable {
    let db: Database
    public init(db: Database) { self.db = db }

    func box() throws -> PersonalDataBox { try db.requirePersonalDataBox() }

    /// People newest first, inside the reader's grants.
    public func people(_ filter: PersonFilter, for actor: Actor, today: CalendarDate) async throws -> PersonPage {
        let paths = RegistryPolicy.readablePaths(of: actor)
        guard !paths.isEmpty else { throw DomainError.forbidden }
        let box = try box()
        let limit = max(1, min(filter.limit, 200))
        return try await db.read { sql in
            let communities = try await Self.communities(sql, inside: paths)
            guard !communities.isEmpty else { return PersonPage(items: [], nextCursor: nil) }
            // What every row must meet besides its community and the search (appended to each query below).
            var rest = SQLQueryString(" AND (") + Self.inside("b.path", paths) + ")"
            if !filter.includeMovedOut { rest = rest + " AND p.moved_out_on IS NULL" }
            if let community = filter.communityID { rest = rest + " AND p.community_id = \(bind: community)" }
            if let residence = filter.residence { rest = rest + " AND p.residence = \(bind: residence.rawValue)" }
            if let building = filter.buildingID { rest = rest + " AND p.building_id = \(bind: building)" }
            if let tag = filter.tag {
                rest =
                    rest + """
                         AND p.id IN (SELECT t.person_id FROM registry_person_tags t WHERE \(Self.inList("t.community_id", communities)) AND t.tag = \(bind: try SealedPerson.tagKey(tag, box: box)))
                        """
            }
            var nameFilter: String?
            var singleTerm: String?
            var walkedTerms: [String] = []
            // An exact look-up (ID number, phone, last four): the handful of ids its index holds are listed from
            // the index alone, and rows are read newest first from them until a page is full (at two million people a
            // last four digits is held by about two hundred across a district).
            var exact: SQLQueryString?
            // An ID number is registered once: found through `(document_index)` alone rather than probed in each of
            // the reader's communities (five document kinds times a hundred communities for a district).
            var exactCommunity = "community_id"
            var orderBy = "p.id"
            switch RegistryQuery.parse(filter.query) {
            case nil: break
            case .document(let number):
                exactCommunity = "+community_id"
                exact =
                    " AND document_index IN (" + Self.binds(try SealedPerson.documentIndexes(number, box: box)) + ")"
            case .phone(let digits):
                exact = " AND phone_index = \(bind: try SealedPerson.phoneIndex(digits, box: box))"
            case .phoneTail(let last4):
                exact = " AND phone_tail_index = \(bind: try SealedPerson.tailIndex(last4, box: box))"
            case .name(let text):
                let terms = try NameTerms.ordered(text).map { try SealedPerson.termIndex($0, box: box) }
                guard !terms.isEmpty else { break }
                nameFilter = text
                if communities.count > Self.termWalkCommunities {
                    walkedTerms = terms
                    break
                }
                if terms.count == 1 {
                    singleTerm = terms[0]
                    break
                }
                orderBy = "+p.id"
                rest =
                    rest + """
                         AND p.id IN (SELECT person_id FROM registry_person_terms WHERE \(Self.inList("community_id", communities)) AND term IN (\(Self.binds(terms))) GROUP BY person_id HAVING COUNT(*) = \(bind: terms.count))
                        """
            }
            let select = SQLQueryString("SELECT \(unsafeRaw: PersonRow.columns) FROM \(unsafeRaw: PersonRow.from)")
            let fetch = limit + 1
            func query(before: Int64?) -> SQLQueryString {
                if let term = walkedTerms.first {
                    // Over many communities (a sub-district's or the district's administrator) the holders of the
                    // first term are walked newest first across communities along `(term, person_id)`, each checked
                    // against the reader's communities, the filters and the other terms (against their holders' ids, one
                    // index range each), and the walk stops after a page: a common character held by a hundred
                    // thousand people costs a page, not all of them. The first term holds the surname, usually the
                    // rarest pair of a full name.
                    var ids =
                        SQLQueryString(
                            """
                            SELECT nt.person_id FROM registry_person_terms nt JOIN registry_people p ON p.id = nt.person_id
                              LEFT JOIN nodes b ON b.id = p.building_id
                              WHERE nt.term = \(bind: term)
                            """) + " AND " + Self.inList("+p.community_id", communities)
                    if let before { ids += " AND nt.person_id < \(bind: before)" }
                    for other in walkedTerms.dropFirst() {
                        ids +=
                            " AND nt.person_id IN (SELECT o.person_id FROM registry_person_terms o WHERE o.term = \(bind: other))"
                    }
                    ids += rest
                    ids += " ORDER BY nt.person_id DESC LIMIT \(bind: fetch)"
                    return select + " WHERE p.id IN (" + ids + ") ORDER BY +p.id DESC LIMIT \(bind: fetch)"
                }
                if let term = singleTerm {
                    // One character (a surname) may be held by tens of thousands: each community's people holding
                    // it are walked newest first along `(community_id, term, person_id)`, checked against the
                    // filters and stopped after a page; only the page's ids are gathered and sorted, and only a page
                    // is read whole.
                    var ids = SQLQueryString("")
                    for (i, community) in communities.enumerated() {
                        ids += SQLQueryString(i > 0 ? " UNION ALL " : "")
                        ids +=
                            """
                            SELECT person_id FROM (SELECT nt.person_id FROM registry_person_terms nt JOIN registry_people p ON p.id = nt.person_id
                              LEFT JOIN nodes b ON b.id = p.building_id
                              WHERE nt.community_id = \(bind: community) AND nt.term = \(bind: term) AND p.community_id = \(bind: community)
                            """
                        if let before { ids += " AND nt.person_id < \(bind: before)" }
                        ids += rest
                        ids += " ORDER BY nt.person_id DESC LIMIT \(bind: fetch)) c\(unsafeRaw: "\(i)")"
                    }
                    return select + " WHERE p.id IN (" + ids + ") ORDER BY +p.id DESC LIMIT \(bind: fetch)"
                }
                var q = select + " WHERE "
                if let exact {
                    q += "p.id IN (SELECT id FROM registry_people WHERE " + Self.inList(exactCommunity, communities)
                    q += exact + ")" + rest
                } else {
                    q += Self.inList("p.community_id", communities) + rest
                }
                if let before { q += " AND p.id < \(bind: before)" }
                return q + " ORDER BY \(unsafeRaw: orderBy) DESC LIMIT \(bind: fetch)"
            }
            // A page and one more are read. A name is compared in full once opened (its pairs may be held apart:
            // 王建华建国 holds 王建 and 建国 but not 王建国), so when some candidates do not match, the next ones are
            // read after the last, up to `nameRounds` times; a page still short then ends at the last row read.
            var items: [PersonSummary] = []
            var cursor: Int64?
            var before = filter.before
            var round = 0
            reading: while true {
                round += 1
                let rows = try await sql.raw(query(before: before)).all()
                for row in rows {
                    let r = try PersonRow.decode(row, box: box)
                    before = r.person.id
                    if let nameFilter, !NameTerms.matches(r.person.name, nameFilter) { continue }
                    if items.count == limit {
                        cursor = items.last?.id
                        break reading
                    }
                    items.append(Self.summary(r, for: actor, today: today))
                }
                guard rows.count == fetch, nameFilter != nil else { break }
                if round == Self.nameRounds {
                    cursor = before
                    break
                }
            }
            return PersonPage(items: items, nextCursor: cursor.map { "\($0)" })
        }
    }

    /// How many pages of candidates a name search reads at most for one page of matches.
    static let nameRounds = 4

    /// One person's record, or "not found" outside the reader's grants. Showing a sensitive tag is a view of
    /// sensitive personal information (PIPL art. 28) and is audited.
    public func person(_ id: Int64, for actor: Actor, today: CalendarDate, clock: Clock) async throws -> PersonDetail {
        let box = try box()
        let (detail, place) = try await db.read { sql -> (PersonDetail, String) in
            guard let r = try await Self.row(sql, id, box: box) else { throw DomainError.notFound }
            try RegistryPolicy.require(.view, of: actor, at: r.place)
            var members: [PersonSummary] = []
            if let household = r.person.householdID {
                members = try await sql.raw(
                    SQLQueryString("SELECT \(unsafeRaw: PersonRow.columns) FROM \(unsafeRaw: PersonRow.from) ")
                        + "WHERE p.household_id = \(bind: household) AND p.id <> \(bind: id) ORDER BY p.id"
                ).all().map { Self.summary(try PersonRow.decode($0, box: box), for: actor, today: today) }
            }
            let moves = try await sql.raw(
                """
                SELECT m.kind, m.on_date, m.at, n.name FROM registry_moves m LEFT JOIN nodes n ON n.id = m.building_id
                WHERE m.person_id = \(bind: id) ORDER BY m.id
                """
            ).all().map { row in
                PersonMove(
                    kind: try row.decode(column: "kind", as: String.self),
                    onDate: try row.decode(column: "on_date", as: String?.self).flatMap(CalendarDate.init),
                    at: Date(epochMillis: try row.decode(column: "at", as: Int64.self)),
                    building: try row.decode(column: "name", as: String?.self))
            }
            var form = PersonForm(r.person, householdNumber: r.householdNumber)
            form.idNumber = nil
            form.phone = nil
            form.tags = RegistryPolicy.visibleTags(r.person.tags, of: actor, at: r.place).map(\.rawValue)
                .joined(separator: ";")
            let detail = PersonDetail(
                summary: Self.summary(r, for: actor, today: today), birthDate: r.person.birthDate,
                ethnicity: r.person.ethnicity, householdNumber: r.householdNumber, relation: r.person.relation,
                members: members, residencePermit: r.person.residencePermit, movedInOn: r.person.movedInOn,
                movedOutOn: r.person.movedOutOn, moves: moves, version: r.person.version,
                capabilities: RegistryCapability.allCases.filter {
                    RegistryPolicy.capabilities(of: actor, at: r.place).contains($0)
                }, form: form)
            return (detail, r.place)
        }
        if detail.summary.tags.contains(where: \.isSensitive) {
            try await db.command(actor, clock: clock) { tx in
                try await tx.audit(
                    AuditRecord(
                        action: "registry.person.sensitive_view", objectType: "person", objectID: "\(id)",
                        communityID: detail.summary.communityID, nodeID: detail.summary.buildingID,
                        after: AuditJSON.encode(["tags": detail.summary.tags.filter(\.isSensitive).map(\.rawValue)])),
                    role: try RegistryPolicy.require(.viewSensitiveTags, of: actor, at: place))
            }
        }
        return detail
    }

    /// A document number or phone in full, for a reader allowed to reveal it who gives a reason; the view is audited
    /// (who, when, whose record, which field, the reason), never the value.
    public func reveal(
        _ id: Int64, _ field: RevealField, for actor: Actor, reason: String, clock: Clock
    ) async throws -> String {
        try await db.command(actor, clock: clock) { tx in
            let box = try tx.requirePersonalData()
            guard let r = try await Self.row(tx.sql, id, box: box) else { throw DomainError.notFound }
            try RegistryPolicy.require(.view, of: actor, at: r.place)
            let (role, reason) = try RegistryPolicy.requireReveal(of: actor, at: r.place, reason: reason)
            guard !r.anonymised else { throw DomainError.invalid("person_anonymised") }
            let value: String
            switch field {
            case .idNumber: value = r.person.document.number
            case .phone:
                guard let phone = r.person.phone else { throw DomainError.invalid("phone_none", field: "field") }
                value = phone.formatted
            }
            try await tx.audit(
                AuditRecord(
                    action: "registry.person.reveal", objectType: "person", objectID: "\(id)",
                    communityID: r.person.communityID, nodeID: r.person.address.buildingID,
                    after: AuditJSON.encode(["field": field.rawValue, "reason": reason])),
                role: role)
            return value
        }
    }

    // MARK: - Helpers the writer shares

    static func row(_ sql: any SQLDatabase, _ id: Int64, box: PersonalDataBox) async throws -> PersonRow? {
        try await sql.raw(
            SQLQueryString("SELECT \(unsafeRaw: PersonRow.columns) FROM \(unsafeRaw: PersonRow.from) WHERE p.id = ")
                + "\(bind: id)"
        ).first().map { try PersonRow.decode($0, box: box) }
    }

    static func summary(_ r: PersonRow, for actor: Actor, today: CalendarDate) -> PersonSummary {
        let p = r.person
        return PersonSummary(
            id: p.id, communityID: p.communityID, name: p.name, documentKind: p.document.kind,
            documentNumber: r.anonymised ? "" : p.document.masked, phone: p.phone?.masked, sex: p.sex,
            age: p.birthDate.age(on: today), buildingID: p.address.buildingID, building: r.buildingName,
            room: p.address.room.map { room in p.address.unit.map { "\($0)-\(room)" } ?? room },
            residence: p.residence, tags: RegistryPolicy.visibleTags(p.tags, of: actor, at: r.place),
            movedOut: p.movedOutOn != nil, anonymised: r.anonymised)
    }

    /// The communities that hold part of the subtrees at `paths` (a grid's grant names its own community).
    /// The communities with any node inside `paths`: those whose own node lies inside (read through
    /// `nodes (kind, path)`, a district's hundred communities rather than its ten thousand nodes, which every
    /// registry search of an administrator read: 5–8 ms each), and for a path below a community (a grid worker's
    /// grid), the community of the node at that path.
    static func communities(_ sql: any SQLDatabase, inside paths: [String]) async throws -> [Int64] {
        guard !paths.isEmpty else { return [] }
        var q = SQLQueryString("SELECT id AS community_id FROM nodes WHERE kind IN ('community','village') AND (")
        q += inside("path", paths) + ")"
        q += " UNION SELECT community_id FROM nodes WHERE community_id IS NOT NULL AND path IN (\(binds: paths))"
        return try await sql.raw(q).all().map { try $0.decode(column: "community_id", as: Int64.self) }
    }

    static func inside(_ column: String, _ paths: [String]) -> SQLQueryString {
        var q = SQLQueryString("")
        for (i, path) in paths.enumerated() {
            q =
                q + (i > 0 ? " OR " : "")
                + "(\(unsafeRaw: column) >= \(bind: path) AND \(unsafeRaw: column) < \(bind: NodePath.upperBound(path)))"
        }
        return q
    }

    /// Up to how many communities a name search of one term (one character or one pair) walks each community's
    /// holders along `(community_id, term, person_id)` in turn, a page each, and a longer name gathers the holders of
    /// all its terms there. Beyond, every name search walks the first term's holders across communities newest
    /// first along `(term, person_id)` and stops after a page: with the reader's communities a share s of everyone,
    /// it reads about a page / s rows, against a page per community walked in turn, so the two meet near
    /// √(communities in the database) — about 10 for a district of a hundred communities.
    static let termWalkCommunities = 8

    static func inList(_ column: String, _ ids: [Int64]) -> SQLQueryString {
        SQLQueryString("\(unsafeRaw: column) IN (\(unsafeRaw: ids.map(String.init).joined(separator: ", ")))")
    }

    static func binds(_ values: [String]) -> SQLQueryString {
        var q = SQLQueryString("")
        for (i, v) in values.enumerated() { q = q + (i > 0 ? ", " : "") + "\(bind: v)" }
        return q
    }
}
