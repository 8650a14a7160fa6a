import Foundation
import GongzhiDomain
import SQLKit

/// What a body command left: the body as it stands now, and the duty item it touched.
public struct BodyOutcome: Sendable, Encodable {
    public var body: Body
    public var item: DutyItem?
}

/// The body half of the tree's one writer: every step on a governance body and its duty list.
extension JurisdictionCommands {
    /// Takes one step on a body: loads it with its community, asks `JurisdictionPolicy.require`, checks the duty
    /// rules, writes, and appends the community's history line and the audit entry, in one transaction.
    @discardableResult
    public func perform(
        _ actor: Actor, body bodyID: Int64, _ command: BodyCommand, expectedVersion: Int? = nil
    ) async throws -> BodyOutcome {
        try await db.command(actor, clock: clock) { tx in
            guard let before = try await JurisdictionStore.body(tx.sql, bodyID) else { throw DomainError.notFound }
            let community = try await loadNode(tx.sql, before.communityID)
            try JurisdictionPolicy.require(.view, of: actor, on: before, in: community)
            if let expectedVersion, expectedVersion != before.version {
                throw DomainError(.conflict, "body_changed_meanwhile")
            }
            let role = try JurisdictionPolicy.require(.editBody, of: actor, on: before, in: community)
            guard
                try await tx.sql.raw(
                    """
                    UPDATE bodies SET version = version + 1 WHERE id = \(bind: bodyID) AND version = \(bind: before.version)
                    RETURNING id
                    """
                ).first() != nil
            else { throw DomainError(.conflict, "body_changed_meanwhile") }
            var body = before
            body.version += 1
            return try await apply(command, tx, body, before: before, community: community, role: role)
        }
    }

    func apply(
        _ command: BodyCommand, _ tx: Transaction, _ body: Body, before: Body, community: Node, role: Role
    ) async throws -> BodyOutcome {
        let sql = tx.sql
        switch command {
        case .rename(let rawName):
            let name = try TreeRules.validName(rawName)
            try await uniqueName(sql) {
                try await sql.raw("UPDATE bodies SET name = \(bind: name) WHERE id = \(bind: body.id)").run()
            }
            var after = body
            after.name = name
            try await Self.record(
                tx, community, "body_renamed", "\(before.name) → \(name)", audit: "body.rename", body: after,
                before: AuditJSON.encode(before), after: AuditJSON.encode(after), role: role)
            return BodyOutcome(body: after)
        case .reorder(let position):
            let ids = try await sql.raw(
                """
                SELECT id FROM bodies WHERE community_id = \(bind: community.id) AND closed_at IS NULL ORDER BY position, id
                """
            ).all().map { try $0.decode(column: "id", as: Int64.self) }
            guard let order = DutyRules.reorder(ids, moving: body.id, to: position) else {
                throw DomainError.invalid("position_invalid", field: "position")
            }
            for (index, id) in order.enumerated() {
                try await sql.raw("UPDATE bodies SET position = \(bind: index + 1) WHERE id = \(bind: id)").run()
            }
            guard let after = try await JurisdictionStore.body(sql, body.id) else { throw DomainError.notFound }
            try await Self.record(
                tx, community, "body_reordered", "\(body.name) \(before.position) → \(after.position)",
                audit: "body.reorder", body: after, before: AuditJSON.encode(ids), after: AuditJSON.encode(order),
                role: role)
            return BodyOutcome(body: after)
        case .close:
            try await sql.raw("UPDATE bodies SET closed_at = \(bind: tx.now.epochMillis) WHERE id = \(bind: body.id)")
                .run()
            var after = body
            after.closedAt = tx.now
            try await Self.record(
                tx, community, "body_closed", body.name, audit: "body.close", body: after,
                before: AuditJSON.encode(before), after: AuditJSON.encode(after), role: role)
            return BodyOutcome(body: after)
        case .addDuty(let parentID, let rawTitle):
            let title = try DutyRules.validTitle(rawTitle)
            if let parentID {
                guard let parent = try await JurisdictionStore.duty(sql, parentID), parent.bodyID == body.id,
                    parent.parentID == nil, parent.isOpen
                else { throw DomainError.invalid("duty_parent_invalid", field: "parent") }
            }
            let item = try await BodyWrites.insertDuty(sql, body: body, parentID: parentID, title: title)
            try await Self.record(
                tx, community, "duty_added", "\(body.name): \(title)", audit: "duty.add", body: body, before: nil,
                after: AuditJSON.encode(item), role: role)
            return BodyOutcome(body: body, item: item)
        case .renameDuty(let itemID, let rawTitle):
            let title = try DutyRules.validTitle(rawTitle)
            let item = try await Self.openItem(sql, itemID, of: body)
            try await sql.raw("UPDATE duty_items SET title = \(bind: title) WHERE id = \(bind: itemID)").run()
            var after = item
            after.title = title
            try await Self.record(
                tx, community, "duty_renamed", "\(item.title) → \(title)", audit: "duty.rename", body: body,
                before: AuditJSON.encode(item), after: AuditJSON.encode(after), role: role)
            return BodyOutcome(body: body, item: after)
        case .reorderDuty(let itemID, let position):
            let item = try await Self.openItem(sql, itemID, of: body)
            let items = try await JurisdictionStore.dutyItems(sql, of: body.id)
            let ids = items.filter { $0.parentID == item.parentID }.map(\.id)
            guard let order = DutyRules.reorder(ids, moving: itemID, to: position) else {
                throw DomainError.invalid("position_invalid", field: "position")
            }
            // The whole list is numbered again, each major item followed by its minor items, so that the stored
            // order reads the same as the list (the export relies on it).
            let rank = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
            let sorted = items.sorted { (rank[$0.id] ?? 0, $0.position) < (rank[$1.id] ?? 0, $1.position) }
            let flat = JurisdictionStore.grouped(sorted).flatMap { [$0.major] + $0.minors }
            for (index, entry) in flat.enumerated() {
                try await sql.raw(
                    "UPDATE duty_items SET position = \(bind: index + 1) WHERE id = \(bind: entry.id)"
                ).run()
            }
            guard let after = try await JurisdictionStore.duty(sql, itemID) else { throw DomainError.notFound }
            try await Self.record(
                tx, community, "duty_reordered",
                "\(item.title) \(ids.firstIndex(of: itemID)! + 1) → \(rank[itemID]! + 1)",
                audit: "duty.reorder", body: body, before: AuditJSON.encode(ids), after: AuditJSON.encode(order),
                role: role)
            return BodyOutcome(body: body, item: after)
        case .closeDuty(let itemID):
            guard let item = try await JurisdictionStore.duty(sql, itemID), item.bodyID == body.id else {
                throw DomainError.invalid("duty_unknown", field: "item")
            }
            let openMinors = try await JurisdictionStore.dutyItems(sql, of: body.id).filter {
                $0.parentID == itemID
            }.count
            try DutyRules.checkClose(item, openMinors: openMinors)
            try await sql.raw(
                "UPDATE duty_items SET closed_at = \(bind: tx.now.epochMillis) WHERE id = \(bind: itemID)"
            ).run()
            var after = item
            after.closedAt = tx.now
            try await Self.record(
                tx, community, "duty_closed", "\(body.name): \(item.title)", audit: "duty.close", body: body,
                before: AuditJSON.encode(item), after: AuditJSON.encode(after), role: role)
            return BodyOutcome(body: body, item: after)
        }
    }

    /// An open item of this body, or the error beside the form's item field.
    static func openItem(_ sql: any SQLDatabase, _ id: Int64, of body: Body) async throws -> DutyItem {
        guard let item = try await JurisdictionStore.duty(sql, id), item.bodyID == body.id else {
            throw DomainError.invalid("duty_unknown", field: "item")
        }
        guard item.isOpen else { throw DomainError(.conflict, "duty_already_closed") }
        return item
    }

    /// The community's history line and the audit entry of a change to one of its bodies.
    static func record(
        _ tx: Transaction, _ community: Node, _ action: String, _ detail: String, audit: String, body: Body,
        before: String?, after: String?, role: Role
    ) async throws {
        try await TreeWrites.history(tx.sql, community, at: tx.now, action: action, detail: detail, actor: tx.actor)
        try await tx.audit(
            AuditRecord(
                action: audit, objectType: "body", objectID: "\(body.id)", communityID: community.id,
                nodeID: community.id, before: before, after: after),
            role: role)
    }
}
