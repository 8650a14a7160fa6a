import Foundation

/// What someone may do with the registry's records (people, households) at a place. Raw values name URLs and locale
/// keys (`registry_capability_<raw>`).
public enum RegistryCapability: String, CaseIterable, Codable, Sendable {
    /// Read the records, masked.
    case view
    /// Add, change, move out: the grid's keepers.
    case edit
    /// Approve or send back the changes in the community's review queue.
    case review
    /// See an ID number or phone in full, with a stated reason (audited).
    case reveal
    /// See the sensitive tags (PIPL art. 28) at all; which ones is `PersonTagPolicy`'s table.
    case viewSensitiveTags
    /// Import people from a file.
    case importRows
    /// Export a filtered list (a second person's approval is the export command's own step).
    case export
}

/// Who may do what with the registry, in one place (issue 12's "grid work"): a grid worker sees and edits only their
/// grid, a community worker reviews the changes of the community's grids, and the subdistrict and district
/// administrators read and review above them. The system administrator keeps the system and the auditor reads the
/// log; neither sees residents' records (三员分立). `place` is the node path where the record lives (its building,
/// or its grid).
public enum RegistryPolicy {
    static let keepers: Set<Role> = [.gridWorker, .communityWorker]
    static let reviewers: Set<Role> = [.communityWorker, .subdistrictAdmin, .districtAdmin]
    static let readers: Set<Role> = keepers.union(reviewers)

    public static func capabilities(of actor: Actor, at place: String) -> Set<RegistryCapability> {
        Set(RegistryCapability.allCases.filter { role(for: $0, actor, place) != nil })
    }

    /// The role that allows the step, or the refusal: "not found" (and audited as outside the jurisdiction) when the
    /// actor may not even read records there, "forbidden" when they may read but not do this.
    @discardableResult
    public static func require(
        _ capability: RegistryCapability, of actor: Actor, at place: String
    ) throws(DomainError) -> Role {
        guard let role = role(for: capability, actor, place) else {
            throw role(for: .view, actor, place) != nil ? DomainError.forbidden : DomainError.outsideJurisdiction
        }
        return role
    }

    /// A full view of an ID number or phone: the `reveal` right and a reason of 2–200 characters
    /// (`reveal_reason_required` on `reason`), returned trimmed for the audit entry with the role.
    public static func requireReveal(
        of actor: Actor, at place: String, reason rawReason: String
    ) throws(DomainError) -> (role: Role, reason: String) {
        let role = try require(.reveal, of: actor, at: place)
        let reason = rawReason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (2...200).contains(reason.count) else { throw .invalid("reveal_reason_required", field: "reason") }
        return (role, reason)
    }

    /// The subtrees where `actor` may read records: the paths of their reading grants, none inside another.
    public static func readablePaths(of actor: Actor) -> [String] {
        guard actor.principal == .user else { return [] }
        let paths = actor.grants.filter { readers.contains($0.role) }.map(\.nodePath).sorted { $0.count < $1.count }
        return paths.reduce(into: [String]()) { kept, path in
            if !kept.contains(where: { NodePath.isInside(path, $0) }) { kept.append(path) }
        }
    }

    /// The subtrees where `actor` may take `capability` (of the ones they read).
    public static func paths(_ capability: RegistryCapability, of actor: Actor) -> [String] {
        readablePaths(of: actor).filter { role(for: capability, actor, $0) != nil }
    }

    /// Whether `actor` may take `capability` anywhere (to offer a page or a button at all).
    public static func holdsAnywhere(_ capability: RegistryCapability, _ actor: Actor) -> Bool {
        !paths(capability, of: actor).isEmpty
    }

    /// The tags of a record at `place` that `actor` may see: ordinary ones with the record, each sensitive one only
    /// when a role that manages it is held there (`PersonTagPolicy`).
    public static func visibleTags(
        _ tags: [PersonTag], of actor: Actor, at place: String,
        managers: [PersonTag: Set<Role>] = PersonTagPolicy.defaultManagers
    ) -> [PersonTag] {
        guard role(for: .view, actor, place) != nil else { return [] }
        return tags.filter { tag in
            guard tag.isSensitive else { return true }
            return actor.grants.contains {
                managers[tag]?.contains($0.role) == true && NodePath.isInside(place, $0.nodePath)
            }
        }.sorted()
    }

    static func role(for capability: RegistryCapability, _ actor: Actor, _ place: String) -> Role? {
        guard actor.principal == .user else { return nil }
        func inside(_ roles: Set<Role>) -> Role? {
            actor.grants.first { roles.contains($0.role) && NodePath.isInside(place, $0.nodePath) }?.role
        }
        switch capability {
        case .view: return inside(readers)
        case .edit: return inside(keepers)
        case .review: return inside(reviewers)
        case .reveal: return inside(readers)
        case .viewSensitiveTags:
            let managers = Set(PersonTagPolicy.defaultManagers.values.joined())
            return inside(managers)
        case .importRows, .export: return inside(reviewers)
        }
    }
}
