import Foundation
import GongzhiDomain
import SQLKit

/// What the facilities' list asks for: the search box (a code, or its start; a class's name or code; part of the
/// note), a class, a state; newest first in pages.
public struct FacilityFilter: Sendable, Equatable, Codable {
    public var query = ""
    public var classCode: String?
    public var state: FacilityState?
    public var before: Int64?
    public var limit = 50
    public init() {}
}

/// A facility as lists show it, with the name of the grid (or community) it lies in.
public struct FacilitySummary: Sendable, Equatable, Encodable {
    public var facility: Facility
    public var className: String
    public var nodeName: String
}

public struct FacilityPage: Sendable, Encodable {
    public var items: [FacilitySummary]
    public var nextCursor: String?
    public init(items: [FacilitySummary], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

/// A facility's page: the summary, what the reader may do and the form as it stands.
public struct FacilityDetail: Sendable, Encodable {
    public var summary: FacilitySummary
    public var capabilities: [RegistryCapability]
    public var form: FacilityForm
    public var version: Int { summary.facility.version }
}

public struct FacilityOutcome: Sendable, Encodable {
    public var id: Int64
    public var version: Int
    /// Where the placement rule put it.
    public var nodeID: Int64
}

/// What a case page shows of the facility the case is about: the code and class for everyone who reads the case, the
/// link only for those who read the registry there.
public struct CaseFacility: Sendable, Equatable {
    public var id: Int64
    public var code: String
    public var className: String
    public var state: FacilityState
    public var linkable: Bool
}

extension RegistryStore {
    /// Facilities newest first, inside the reader's grants.
    public func facilities(_ filter: FacilityFilter, for actor: Actor) async throws -> FacilityPage {
        let paths = RegistryPolicy.readablePaths(of: actor)
        guard !paths.isEmpty else { throw DomainError.forbidden }
        let limit = max(1, min(filter.limit, 200))
        return try await db.read { sql in
            let communities = try await Self.communities(sql, inside: paths)
            guard !communities.isEmpty else { return FacilityPage(items: [], nextCursor: nil) }
            var q = SQLQueryString(
                "SELECT f.*, n.name AS node_name FROM registry_facilities f JOIN nodes n ON n.id = f.node_id WHERE ")
            q = q + Self.inList("f.community_id", communities) + " AND (" + Self.inside("n.path", paths) + ")"
            if let code = filter.classCode { q = q + " AND f.class_code = \(bind: code)" }
            if let state = filter.state { q = q + " AND f.state = \(bind: state.rawValue)" }
            if let before = filter.before { q = q + " AND f.id < \(bind: before)" }
            let text = HalfWidth.fold(filter.query).trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty {
                // The class table is the domain's data, not the registry's rows: its matching codes go in as binds.
                let classes = ComponentClass.table.filter { $0.name.contains(text) || $0.code == text }.map(\.code)
                q = q + " AND (f.code LIKE \(bind: Self.prefixPattern(text.uppercased())) ESCAPE '\\'"
                q = q + " OR f.note LIKE \(bind: Self.likePattern(text)) ESCAPE '\\'"
                if !classes.isEmpty { q = q + " OR f.class_code IN (" + Self.binds(classes) + ")" }
                q = q + ")"
            }
            q = q + " ORDER BY f.id DESC LIMIT \(bind: limit + 1)"
            let rows = try await sql.raw(q).all()
            let items = try rows.prefix(limit).map { try Self.facilitySummary($0) }
            return FacilityPage(
                items: items, nextCursor: rows.count > limit ? items.last.map { "\($0.facility.id)" } : nil)
        }
    }

    /// One facility, or "not found" outside the reader's grants.
    public func facility(_ id: Int64, for actor: Actor) async throws -> FacilityDetail {
        try await db.read { sql in
            guard let (summary, place) = try await Self.facilityRow(sql, id) else { throw DomainError.notFound }
            try RegistryPolicy.require(.view, of: actor, at: place)
            let f = summary.facility
            let can = RegistryPolicy.capabilities(of: actor, at: place)
            return FacilityDetail(
                summary: summary, capabilities: RegistryCapability.allCases.filter { can.contains($0) },
                form: FacilityForm(
                    code: f.code, classCode: f.classCode, note: f.note, lat: "\(f.latitude)", lng: "\(f.longitude)",
                    state: f.state.rawValue, node: "\(f.nodeID)"))
        }
    }

    /// The facility a case is about, for the case page (which has already checked the reader may see the case).
    public func caseFacility(_ id: Int64, for actor: Actor) async throws -> CaseFacility? {
        try await db.read { sql in
            guard let (summary, place) = try await Self.facilityRow(sql, id) else { return nil }
            let f = summary.facility
            return CaseFacility(
                id: f.id, code: f.code, className: summary.className, state: f.state,
                linkable: RegistryPolicy.capabilities(of: actor, at: place).contains(.view))
        }
    }

    /// A facility named by its code in a community: how a case form's facility field is resolved by the case writer.
    static func facilityID(_ sql: any SQLDatabase, code: String, community: Int64) async throws -> Int64? {
        let folded = HalfWidth.fold(code).trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        return try await sql.raw(
            "SELECT id FROM registry_facilities WHERE community_id = \(bind: community) AND code = \(bind: folded)"
        ).first()?.decode(column: "id", as: Int64.self)
    }

    static func prefixPattern(_ text: String) -> String {
        String(likePattern(text).dropFirst())
    }

    static func facilityRow(_ sql: any SQLDatabase, _ id: Int64) async throws -> (FacilitySummary, String)? {
        guard
            let row = try await sql.raw(
                """
                SELECT f.*, n.name AS node_name, n.path AS place_path FROM registry_facilities f
                JOIN nodes n ON n.id = f.node_id WHERE f.id = \(bind: id)
                """
            ).first()
        else { return nil }
        return (try facilitySummary(row), try row.decode(column: "place_path", as: String.self))
    }

    static func facilitySummary(_ row: any SQLRow) throws -> FacilitySummary {
        let f = Facility(
            id: try row.decode(column: "id", as: Int64.self),
            communityID: try row.decode(column: "community_id", as: Int64.self),
            nodeID: try row.decode(column: "node_id", as: Int64.self),
            code: try row.decode(column: "code", as: String.self),
            classCode: try row.decode(column: "class_code", as: String.self),
            note: try row.decode(column: "note", as: String.self),
            latitude: try row.decode(column: "latitude", as: Double.self),
            longitude: try row.decode(column: "longitude", as: Double.self),
            state: FacilityState(rawValue: try row.decode(column: "state", as: String.self)) ?? .inUse,
            version: try row.decode(column: "version", as: Int.self))
        return FacilitySummary(
            facility: f, className: f.componentClass?.name ?? f.classCode,
            nodeName: try row.decode(column: "node_name", as: String.self))
    }
}

extension RegistryCommands {
    /// The registry's one writer for facilities: places the facility in the grid whose boundary holds its point
    /// (the same rule as cases given a point), inside the chosen community or grid's community, else on the chosen
    /// node; asks `RegistryPolicy` there; keeps the code unique in the district; audits before and after.
    @discardableResult
    public func perform(
        _ actor: Actor, facility id: Int64?, _ command: FacilityCommand, expectedVersion: Int? = nil
    ) async throws -> FacilityOutcome {
        try await db.command(actor, clock: clock) { tx in
            try await Self.apply(tx, facility: id, command, expectedVersion: expectedVersion, checked: true)
        }
    }

    static func apply(
        _ tx: Transaction, facility id: Int64?, _ command: FacilityCommand, expectedVersion: Int?, checked: Bool
    ) async throws -> FacilityOutcome {
        let sql = tx.sql
        var before: Facility?
        var role: Role?
        if let id {
            guard let (summary, place) = try await RegistryStore.facilityRow(sql, id) else {
                throw DomainError.notFound
            }
            if checked {
                try RegistryPolicy.require(.view, of: tx.actor, at: place)
                role = try RegistryPolicy.require(.edit, of: tx.actor, at: place)
            }
            if let expectedVersion, expectedVersion != summary.facility.version {
                throw DomainError(.conflict, "facility_changed_meanwhile")
            }
            before = summary.facility
        }
        let draft: FacilityDraft
        switch command {
        case .create(let d):
            guard id == nil else { throw DomainError.invalid("facility_exists") }
            draft = d
        case .edit(let d):
            guard before != nil else { throw DomainError.notFound }
            draft = d
        }
        guard let chosen = try await JurisdictionStore.node(sql, draft.nodeID), chosen.isOpen,
            chosen.kind == .grid || chosen.kind.isCommunityLevel, let communityID = chosen.communityID,
            let community = try await JurisdictionStore.node(sql, communityID), let districtID = chosen.ancestry.first
        else { throw DomainError.invalid("node_unknown", field: "node") }
        let point = GeoPoint(lat: draft.latitude, lng: draft.longitude)
        let node = try await JurisdictionStore.grid(sql, holding: point, inside: community.path) ?? chosen
        if checked {
            // A point in another grid than the one chosen, which the actor does not keep: said beside the point.
            if node.id != chosen.id, !RegistryPolicy.capabilities(of: tx.actor, at: node.path).contains(.edit) {
                throw DomainError.invalid("facility_point_other_grid", field: "lat", args: [node.name])
            }
            role = try RegistryPolicy.require(.edit, of: tx.actor, at: node.path)
        }
        if try await sql.raw(
            """
            SELECT id FROM registry_facilities WHERE district_id = \(bind: districtID) AND code = \(bind: draft.code)
            AND id <> \(bind: id ?? 0)
            """
        ).first() != nil {
            throw DomainError(.conflict, "facility_code_taken", field: "code")
        }
        let now = tx.now.epochMillis
        var after = Facility(
            id: id ?? 0, communityID: communityID, nodeID: node.id, code: draft.code, classCode: draft.classCode,
            note: draft.note, latitude: draft.latitude, longitude: draft.longitude, state: draft.state,
            version: (before?.version ?? 0) + 1)
        if let before {
            guard
                try await sql.raw(
                    """
                    UPDATE registry_facilities SET community_id = \(bind: communityID), district_id = \(bind: districtID),
                      node_id = \(bind: node.id), code = \(bind: draft.code), class_code = \(bind: draft.classCode),
                      note = \(bind: draft.note), latitude = \(bind: draft.latitude), longitude = \(bind: draft.longitude),
                      state = \(bind: draft.state.rawValue), version = version + 1, updated_at = \(bind: now)
                    WHERE id = \(bind: before.id) AND version = \(bind: before.version) RETURNING id
                    """
                ).first() != nil
            else { throw DomainError(.conflict, "facility_changed_meanwhile") }
        } else {
            after.id = try await sql.raw(
                """
                INSERT INTO registry_facilities (community_id, district_id, node_id, code, class_code, note, latitude,
                  longitude, state, created_at, updated_at)
                VALUES (\(bind: communityID), \(bind: districtID), \(bind: node.id), \(bind: draft.code), \(bind: draft.classCode),
                  \(bind: draft.note), \(bind: draft.latitude), \(bind: draft.longitude), \(bind: draft.state.rawValue),
                  \(bind: now), \(bind: now))
                RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
        }
        if checked {
            try await tx.audit(
                AuditRecord(
                    action: command.action, objectType: "facility", objectID: "\(after.id)", communityID: communityID,
                    nodeID: node.id, before: before.map { AuditJSON.encode($0) }, after: AuditJSON.encode(after)),
                role: role)
        }
        return FacilityOutcome(id: after.id, version: after.version, nodeID: node.id)
    }
}

extension RegistryBulk {
    /// A facility from the command line (the demo), placed by the same rule, without the per-row policy and audit.
    @discardableResult
    public static func facility(_ tx: Transaction, _ draft: FacilityDraft) async throws -> FacilityOutcome {
        try tx.requireCommandLine()
        return try await RegistryCommands.apply(tx, facility: nil, .create(draft), expectedVersion: nil, checked: false)
    }
}
