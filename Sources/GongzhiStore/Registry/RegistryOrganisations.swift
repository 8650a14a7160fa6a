import Foundation
import GongzhiDomain
import SQLKit

/// What the organisations' list asks for: part of a name, a kind, closed ones on request; newest first in pages.
public struct OrganisationFilter: Sendable, Equatable, Codable {
    public var query = ""
    public var kind: OrganisationKind?
    public var includeClosed = false
    /// One community only (an export's).
    public var communityID: Int64?
    public var before: Int64?
    public var limit = 50
    public init() {}
}

/// An organisation as lists and its page show it: contacts masked, with the name of the node it sits in.
public struct OrganisationSummary: Sendable, Equatable, Encodable {
    public var organisation: Organisation
    public var nodeName: String
}

/// One page of organisations, with the cursor of the next.
public struct OrganisationPage: Sendable, Encodable {
    public var items: [OrganisationSummary]
    public var nextCursor: String?
    public init(items: [OrganisationSummary], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

/// An organisation's page: the summary, what the reader may do, and the form as the record stands (contacts left
/// out: they are typed again to change them).
public struct OrganisationDetail: Sendable, Encodable {
    public var summary: OrganisationSummary
    public var capabilities: [RegistryCapability]
    public var form: OrganisationForm
    public var version: Int { summary.organisation.version }
}

/// What an organisation command left: its id and new version.
public struct OrganisationOutcome: Sendable, Encodable {
    public var id: Int64
    public var version: Int
}

extension RegistryStore {
    /// Organisations newest first, inside the reader's grants; a name is found by part through the database.
    public func organisations(_ filter: OrganisationFilter, for actor: Actor) async throws -> OrganisationPage {
        let paths = RegistryPolicy.readablePaths(of: actor)
        guard !paths.isEmpty else { throw DomainError.forbidden }
        let box = try box()
        let limit = max(1, min(filter.limit, 200))
        return try await db.read { sql in
            let communities = try await Self.communities(sql, inside: paths)
            guard !communities.isEmpty else { return OrganisationPage(items: [], nextCursor: nil) }
            var q = SQLQueryString(
                "SELECT o.*, n.path AS place_path, n.name AS node_name FROM registry_organisations o JOIN nodes n ON n.id = o.node_id WHERE "
            )
            q = q + Self.inList("o.community_id", communities) + " AND (" + Self.inside("n.path", paths) + ")"
            if !filter.includeClosed { q = q + " AND o.closed_at IS NULL" }
            if let kind = filter.kind { q = q + " AND o.kind = \(bind: kind.rawValue)" }
            if let community = filter.communityID { q = q + " AND o.community_id = \(bind: community)" }
            if let before = filter.before { q = q + " AND o.id < \(bind: before)" }
            let text = HalfWidth.fold(filter.query).trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty {
                let code = text.uppercased()
                q =
                    q
                    + " AND (o.name LIKE \(bind: Self.likePattern(text)) ESCAPE '\\' OR o.credit_code = \(bind: code))"
            }
            q = q + " ORDER BY o.id DESC LIMIT \(bind: limit + 1)"
            let rows = try await sql.raw(q).all()
            let items = try rows.prefix(limit).map { try Self.organisationSummary($0, box: box) }
            return OrganisationPage(
                items: items, nextCursor: rows.count > limit ? items.last.map { "\($0.organisation.id)" } : nil)
        }
    }

    /// One organisation, or "not found" outside the reader's grants.
    public func organisation(_ id: Int64, for actor: Actor) async throws -> OrganisationDetail {
        let box = try box()
        return try await db.read { sql in
            guard let (summary, place) = try await Self.organisationRow(sql, id, box: box) else {
                throw DomainError.notFound
            }
            try RegistryPolicy.require(.view, of: actor, at: place)
            let o = summary.organisation
            var masked = summary
            masked.organisation.contacts = o.contacts.map(\.masked)
            let can = RegistryPolicy.capabilities(of: actor, at: place)
            return OrganisationDetail(
                summary: masked, capabilities: RegistryCapability.allCases.filter { can.contains($0) },
                form: OrganisationForm(
                    kind: o.kind.rawValue, name: o.name, creditCode: o.creditCode,
                    registration: o.registration?.rawValue,
                    registrationNumber: o.registration == .subdistrictFiling ? o.registrationNumber : nil,
                    address: o.address, node: "\(o.nodeID)"))
        }
    }

    /// A contact of an organisation in full (the `number`th, from 1), for a reader allowed to reveal it who gives a
    /// reason; the view is audited (who, when, which organisation and contact, why), never the value.
    public func revealContact(
        _ id: Int64, number: Int, for actor: Actor, reason: String, clock: Clock
    ) async throws -> OrganisationContact {
        try await db.command(actor, clock: clock) { tx in
            let box = try tx.requirePersonalData()
            guard let (summary, place) = try await Self.organisationRow(tx.sql, id, box: box) else {
                throw DomainError.notFound
            }
            try RegistryPolicy.require(.view, of: actor, at: place)
            let (role, reason) = try RegistryPolicy.requireReveal(of: actor, at: place, reason: reason)
            let contacts = summary.organisation.contacts
            guard (1...max(1, contacts.count)).contains(number), number <= contacts.count else {
                throw DomainError.invalid("contact_unknown", field: "contact")
            }
            try await tx.audit(
                AuditRecord(
                    action: "registry.organisation.reveal", objectType: "organisation", objectID: "\(id)",
                    communityID: summary.organisation.communityID, nodeID: summary.organisation.nodeID,
                    after: AuditJSON.encode(["contact": "\(number)", "reason": reason])),
                role: role)
            return contacts[number - 1]
        }
    }

    static func likePattern(_ text: String) -> String {
        "%"
            + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }

    static func organisationRow(
        _ sql: any SQLDatabase, _ id: Int64, box: PersonalDataBox
    ) async throws -> (OrganisationSummary, String)? {
        guard
            let row = try await sql.raw(
                """
                SELECT o.*, n.path AS place_path, n.name AS node_name FROM registry_organisations o
                JOIN nodes n ON n.id = o.node_id WHERE o.id = \(bind: id)
                """
            ).first()
        else { return nil }
        return (
            try organisationSummary(row, box: box, masked: false), try row.decode(column: "place_path", as: String.self)
        )
    }

    /// A row opened; contacts masked unless the writer asks for them whole.
    static func organisationSummary(
        _ row: any SQLRow, box: PersonalDataBox, masked: Bool = true
    ) throws -> OrganisationSummary {
        var contacts: [OrganisationContact] = []
        if let sealed = try row.decode(column: "contacts_sealed", as: String?.self) {
            contacts = try JSONDecoder().decode([OrganisationContact].self, from: Data(try box.open(sealed).utf8))
        }
        let o = Organisation(
            id: try row.decode(column: "id", as: Int64.self),
            communityID: try row.decode(column: "community_id", as: Int64.self),
            nodeID: try row.decode(column: "node_id", as: Int64.self),
            kind: OrganisationKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .residentUnit,
            name: try row.decode(column: "name", as: String.self),
            creditCode: try row.decode(column: "credit_code", as: String?.self),
            registration: try row.decode(column: "registration", as: String?.self).flatMap(SocialRegistration.init),
            registrationNumber: try row.decode(column: "registration_number", as: String?.self),
            address: try row.decode(column: "address", as: String.self),
            contacts: masked ? contacts.map(\.masked) : contacts,
            closed: try row.decode(column: "closed_at", as: Int64?.self) != nil,
            version: try row.decode(column: "version", as: Int.self))
        return OrganisationSummary(organisation: o, nodeName: try row.decode(column: "node_name", as: String.self))
    }
}

extension RegistryCommands {
    /// The registry's one writer for organisations: loads, asks `RegistryPolicy` where the organisation sits and
    /// where it is to sit, checks the credit code is not registered already, seals the contacts, saves with the
    /// version check and audits before and after (contacts masked).
    @discardableResult
    public func perform(
        _ actor: Actor, organisation id: Int64?, _ command: OrganisationCommand, expectedVersion: Int? = nil
    ) async throws -> OrganisationOutcome {
        try await db.command(actor, clock: clock) { tx in
            try await Self.apply(tx, organisation: id, command, expectedVersion: expectedVersion, checked: true)
        }
    }

    static func apply(
        _ tx: Transaction, organisation id: Int64?, _ command: OrganisationCommand, expectedVersion: Int?,
        checked: Bool
    ) async throws -> OrganisationOutcome {
        let sql = tx.sql
        let box = try tx.requirePersonalData()
        var before: Organisation?
        var role: Role?
        if let id {
            guard let (summary, place) = try await RegistryStore.organisationRow(sql, id, box: box) else {
                throw DomainError.notFound
            }
            if checked {
                try RegistryPolicy.require(.view, of: tx.actor, at: place)
                role = try RegistryPolicy.require(.edit, of: tx.actor, at: place)
            }
            if let expectedVersion, expectedVersion != summary.organisation.version {
                throw DomainError(.conflict, "organisation_changed_meanwhile")
            }
            guard !summary.organisation.closed else { throw DomainError.invalid("organisation_closed") }
            before = summary.organisation
        }
        let now = tx.now.epochMillis
        switch command {
        case .create(let draft), .edit(let draft):
            if case .create = command, id != nil { throw DomainError.invalid("organisation_exists") }
            if case .edit = command, before == nil { throw DomainError.notFound }
            guard let node = try await JurisdictionStore.node(sql, draft.nodeID), node.isOpen,
                node.kind == .grid || node.kind.isCommunityLevel,
                let communityID = node.communityID
            else { throw DomainError.invalid("node_unknown", field: "node") }
            if checked { role = try RegistryPolicy.require(.edit, of: tx.actor, at: node.path) }
            if let code = draft.creditCode,
                try await sql.raw(
                    """
                    SELECT id FROM registry_organisations WHERE credit_code = \(bind: code) AND id <> \(bind: id ?? 0)
                    """
                ).first() != nil
            {
                throw DomainError(.conflict, "credit_code_taken", field: "credit_code")
            }
            var contacts: String?
            if !draft.contacts.isEmpty {
                contacts = try box.seal(String(decoding: try JSONEncoder().encode(draft.contacts), as: UTF8.self))
            }
            let after = Organisation(
                id: id ?? 0, communityID: communityID, nodeID: node.id, kind: draft.kind, name: draft.name,
                creditCode: draft.creditCode, registration: draft.registration,
                registrationNumber: draft.registrationNumber, address: draft.address, contacts: draft.contacts,
                version: (before?.version ?? 0) + 1)
            let newID: Int64
            if let before {
                guard
                    try await sql.raw(
                        """
                        UPDATE registry_organisations SET community_id = \(bind: communityID), node_id = \(bind: node.id),
                          kind = \(bind: draft.kind.rawValue), name = \(bind: draft.name), credit_code = \(bind: draft.creditCode),
                          registration = \(bind: draft.registration?.rawValue), registration_number = \(bind: draft.registrationNumber),
                          address = \(bind: draft.address), contacts_sealed = \(bind: contacts), version = version + 1,
                          updated_at = \(bind: now)
                        WHERE id = \(bind: before.id) AND version = \(bind: before.version) RETURNING id
                        """
                    ).first() != nil
                else { throw DomainError(.conflict, "organisation_changed_meanwhile") }
                newID = before.id
            } else {
                newID = try await sql.raw(
                    """
                    INSERT INTO registry_organisations (community_id, node_id, kind, name, credit_code, registration,
                      registration_number, address, contacts_sealed, created_at, updated_at)
                    VALUES (\(bind: communityID), \(bind: node.id), \(bind: draft.kind.rawValue), \(bind: draft.name),
                      \(bind: draft.creditCode), \(bind: draft.registration?.rawValue), \(bind: draft.registrationNumber),
                      \(bind: draft.address), \(bind: contacts), \(bind: now), \(bind: now))
                    RETURNING id
                    """
                ).first()!.decode(column: "id", as: Int64.self)
            }
            if checked {
                var saved = after
                saved.id = newID
                try await audit(tx, command, saved, before: before, role: role)
            }
            return OrganisationOutcome(id: newID, version: after.version)
        case .close:
            guard let before else { throw DomainError.notFound }
            try await sql.raw(
                """
                UPDATE registry_organisations SET closed_at = \(bind: now), version = version + 1, updated_at = \(bind: now)
                WHERE id = \(bind: before.id)
                """
            ).run()
            var after = before
            after.closed = true
            after.version += 1
            if checked { try await audit(tx, command, after, before: before, role: role) }
            return OrganisationOutcome(id: before.id, version: after.version)
        }
    }

    static func audit(
        _ tx: Transaction, _ command: OrganisationCommand, _ after: Organisation, before: Organisation?, role: Role?
    ) async throws {
        func masked(_ o: Organisation) -> String {
            var copy = o
            copy.contacts = o.contacts.map(\.masked)
            return AuditJSON.encode(copy)
        }
        try await tx.audit(
            AuditRecord(
                action: command.action, objectType: "organisation", objectID: "\(after.id)",
                communityID: after.communityID, nodeID: after.nodeID, before: before.map(masked), after: masked(after)),
            role: role)
    }
}

extension RegistryBulk {
    /// An organisation from the command line (the demo): the writer's checks and seals without the per-row policy
    /// and audit entry.
    @discardableResult
    public static func organisation(_ tx: Transaction, _ draft: OrganisationDraft) async throws -> OrganisationOutcome {
        try tx.requireCommandLine()
        return try await RegistryCommands.apply(
            tx, organisation: nil, .create(draft), expectedVersion: nil, checked: false)
    }
}
