import Foundation
import GongzhiDomain
import SQLKit

/// The jurisdiction's fast path for seeding and imports: nodes with their map points and estates, estates, bodies
/// and duty lists, written straight into the tables.
///
/// It skips what `JurisdictionCommands` does per row (the policy check, versions, node history and one audit entry
/// each), so it is for the command line and importers only: it opens only on a transaction of `Actor.commandLine`
/// (`db.command(.commandLine, clock:)`) and refuses any other with `forbidden`. The caller writes one audit entry
/// for the whole batch. The pure rules (names, codes, which level goes under which) still hold.
public struct JurisdictionBulk: Sendable {
    /// One major item of a duty list with its minor items, in order.
    public struct Duty: Sendable, Equatable {
        public var major: String
        public var minors: [String]
        public init(major: String, minors: [String]) {
            self.major = major
            self.minors = minors
        }
    }

    let tx: Transaction

    public init(_ tx: Transaction) throws(DomainError) {
        try tx.requireCommandLine()
        self.tx = tx
    }

    /// Whether the tree has no node yet, so a seed is never mixed with a real deployment.
    public func treeIsEmpty() async throws -> Bool {
        try await tx.sql.raw("SELECT id FROM nodes LIMIT 1").first() == nil
    }

    /// Adds a node under `parent` (nil: the root), with its map point (WGS 84) and estate when given.
    public func addNode(
        _ kind: NodeKind, name rawName: String, code rawCode: String? = nil, under parent: Node?,
        latitude: Double? = nil, longitude: Double? = nil, estateID: Int64? = nil
    ) async throws -> Node {
        let name = try TreeRules.validName(rawName)
        let code = try TreeRules.validCode(rawCode, kind: kind)
        try TreeRules.checkPlacement(kind, under: parent)
        guard estateID == nil || kind == .building else {
            throw DomainError.invalid("estate_needs_building", field: "estate")
        }
        // The path holds the node's own id, so the row is written first with a placeholder and completed after.
        let id = try await tx.sql.raw(
            """
            INSERT INTO nodes (kind, name, code, parent_id, path, community_id, estate_id, latitude, longitude, created_at)
            VALUES (\(bind: kind.rawValue), \(bind: name), \(bind: code), \(bind: parent?.id), \(bind: "tmp-\(UUID().uuidString)"),
              \(bind: parent?.communityID), \(bind: estateID), \(bind: latitude), \(bind: longitude), \(bind: tx.now.epochMillis))
            RETURNING id
            """
        ).first()!.decode(column: "id", as: Int64.self)
        let path = NodePath.child(of: parent?.path, id: id)
        let communityID = kind.isCommunityLevel ? id : parent?.communityID
        try await tx.sql.raw(
            "UPDATE nodes SET path = \(bind: path), community_id = \(bind: communityID) WHERE id = \(bind: id)"
        ).run()
        return Node(
            id: id, kind: kind, name: name, code: code, parentID: parent?.id, path: path, communityID: communityID,
            estateID: estateID)
    }

    /// Adds an estate (小区) to a community; its buildings name it through `addNode(…, estateID:)`.
    public func addEstate(_ rawName: String, in community: Node) async throws -> Estate {
        let name = try TreeRules.validName(rawName)
        guard community.kind.isCommunityLevel, let communityID = community.communityID else {
            throw DomainError.invalid("estate_needs_community")
        }
        return try await BodyWrites.insertEstate(tx.sql, communityID: communityID, name: name, at: tx.now)
    }

    /// Adds a governance body to a community, after the bodies it already has.
    public func addBody(_ kind: BodyKind, name rawName: String, in community: Node) async throws -> Body {
        try await BodyWrites.insertBody(
            tx.sql, community: community, kind: kind, name: try TreeRules.validName(rawName), at: tx.now)
    }

    /// Appends a duty list to a body: each major item followed by its minor items. Returns how many items it wrote.
    @discardableResult
    public func addDuties(_ duties: [Duty], to body: Body) async throws -> Int {
        var position = try await tx.sql.raw(
            "SELECT COALESCE(MAX(position), 0) AS p FROM duty_items WHERE body_id = \(bind: body.id)"
        ).first()!.decode(column: "p", as: Int.self)
        var written = 0
        func insert(_ title: String, parentID: Int64?) async throws -> Int64 {
            let title = try DutyRules.validTitle(title)
            position += 1
            written += 1
            return try await tx.sql.raw(
                """
                INSERT INTO duty_items (body_id, community_id, parent_id, title, position)
                VALUES (\(bind: body.id), \(bind: body.communityID), \(bind: parentID), \(bind: title), \(bind: position))
                RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
        }
        for duty in duties {
            let major = try await insert(duty.major, parentID: nil)
            for minor in duty.minors { _ = try await insert(minor, parentID: major) }
        }
        return written
    }
}
