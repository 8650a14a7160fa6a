import Foundation

/// What kind of rules a community or estate gives itself. Raw values name the locale keys (`convention_kind_<raw>`).
public enum ConventionKind: String, CaseIterable, Codable, Sendable {
    /// 居民公约.
    case residentsConvention
    /// 居民自治章程.
    case selfGovernanceCharter
    /// 管理规约 (an estate's owners' statute).
    case ownersStatute
}

/// One version of a convention: its text, the resolution that adopted it, when it takes effect, and its filing with
/// the sub-district (备案): filed by the community, acknowledged by the sub-district.
public struct ConventionVersion: Sendable, Equatable, Codable {
    /// 1 for the first version.
    public var number: Int
    public var text: String
    public var resolutionID: Int64?
    public var effectiveOn: CalendarDate
    public var createdAt: Date
    public var filedAt: Date?
    public var filedBy: Int64?
    public var acknowledgedAt: Date?
    public var acknowledgedBy: Int64?

    public init(
        number: Int, text: String, resolutionID: Int64?, effectiveOn: CalendarDate, createdAt: Date
    ) {
        self.number = number
        self.text = text
        self.resolutionID = resolutionID
        self.effectiveOn = effectiveOn
        self.createdAt = createdAt
    }
}

/// A residents' convention, self-government charter or owners' statute of a community (or of one estate in it),
/// with every version it has had.
public struct Convention: Sendable, Equatable, Codable, Identifiable {
    public var id: Int64
    public var communityID: Int64
    public var estateID: Int64?
    public var kind: ConventionKind
    public var title: String
    public var versions: [ConventionVersion]
    public var version: Int

    public init(
        id: Int64, communityID: Int64, estateID: Int64? = nil, kind: ConventionKind, title: String,
        versions: [ConventionVersion] = [], version: Int = 1
    ) {
        self.id = id
        self.communityID = communityID
        self.estateID = estateID
        self.kind = kind
        self.title = title
        self.versions = versions
        self.version = version
    }

    public static let maxTitle = 80
    public static let maxText = 50_000

    /// The version in force on `day`: the latest whose effective date has come.
    public func inForce(on day: CalendarDate) -> ConventionVersion? {
        versions.filter { $0.effectiveOn <= day }.max { $0.number < $1.number }
    }

    /// Checks a new convention's title and kind: `convention_title_required`, `convention_title_too_long`; an owners'
    /// statute belongs to an estate (`convention_estate_required`).
    public static func validate(title raw: String, kind: ConventionKind, estateID: Int64?) throws(DomainError) -> String
    {
        let title = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else { throw .invalid("convention_title_required", field: "title") }
        guard title.count <= maxTitle else {
            throw .invalid("convention_title_too_long", field: "title", args: ["\(maxTitle)"])
        }
        if kind == .ownersStatute, estateID == nil { throw .invalid("convention_estate_required", field: "estate") }
        return title
    }
}

/// Every step on an existing convention.
public enum ConventionCommand: Sendable, Equatable {
    /// A new version adopted (by a resolution, when one made it), in force from `effectiveOn`.
    case addVersion(text: String, resolutionID: Int64?, effectiveOn: CalendarDate)
    /// The community files a version with the sub-district (备案).
    case file(number: Int)
    /// The sub-district acknowledges a filed version.
    case acknowledge(number: Int)

    /// The step's name in audit entries and locale keys (`convention_step_<raw>`).
    public var action: String {
        switch self {
        case .addVersion: "add_version"
        case .file: "file"
        case .acknowledge: "acknowledge"
        }
    }
}

/// What someone may do with a convention.
public enum ConventionCapability: String, CaseIterable, Codable, Sendable {
    case read
    case addVersion = "add_version"
    case file
    case acknowledge
}

/// Who may do what with a convention: the community's organisers write and file its versions, the sub-district's
/// (or district's) administrators acknowledge filings, the community's residents and the area's staff read it.
public enum ConventionPolicy {
    /// `path` is the community's; `actorInCommunity` whether the actor lives there.
    public static func role(
        for capability: ConventionCapability, _ actor: Actor, path: String, actorInCommunity: Bool
    ) -> Role? {
        guard actor.principal == .user else { return nil }
        func inside(_ roles: Set<Role>) -> Role? {
            actor.grants.first { roles.contains($0.role) && NodePath.isInside(path, $0.nodePath) }?.role
        }
        switch capability {
        case .read:
            let staff = actor.grants.first {
                $0.role.isStaff && $0.role != .departmentHandler && $0.role != .auditor
                    && NodePath.isInside(path, $0.nodePath)
            }?.role
            return staff ?? (actorInCommunity ? actor.grants.first?.role ?? .resident : nil)
        case .addVersion, .file: return inside([.communityWorker])
        case .acknowledge: return inside([.subdistrictAdmin, .districtAdmin])
        }
    }

    /// The role that allows the step: "not found" for who may not read, "forbidden" for a reader.
    @discardableResult
    public static func require(
        _ capability: ConventionCapability, of actor: Actor, path: String, actorInCommunity: Bool
    ) throws(DomainError) -> Role {
        guard let role = role(for: capability, actor, path: path, actorInCommunity: actorInCommunity) else {
            throw role(for: .read, actor, path: path, actorInCommunity: actorInCommunity) != nil
                ? DomainError.forbidden : .outsideJurisdiction
        }
        return role
    }

    public static func capabilities(
        of actor: Actor, path: String, actorInCommunity: Bool
    ) -> Set<ConventionCapability> {
        Set(
            ConventionCapability.allCases.filter {
                role(for: $0, actor, path: path, actorInCommunity: actorInCommunity) != nil
            })
    }
}

/// A convention's versions and filings as a pure function.
public enum ConventionWorkflow {
    /// The convention after a step, and the note its audit entry carries. Refused: empty or too long text
    /// (`convention_text_required`, `convention_text_too_long`); a version identical to the latest
    /// (`convention_version_unchanged`); one taking effect before the latest's (`convention_effective_invalid`); an
    /// unknown version (`convention_version_unknown`); filing twice (`convention_filed_already`); acknowledging
    /// what is not filed (`convention_not_filed`) or twice (`convention_acknowledged_already`).
    public static func transition(
        _ command: ConventionCommand, of current: Convention, by actor: Actor, at now: Date
    ) throws(DomainError) -> (next: Convention, note: String) {
        var next = current
        switch command {
        case .addVersion(let raw, let resolutionID, let effectiveOn):
            let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { throw .invalid("convention_text_required", field: "text") }
            guard text.count <= Convention.maxText else {
                throw .invalid("convention_text_too_long", field: "text", args: ["\(Convention.maxText)"])
            }
            let latest = current.versions.max { $0.number < $1.number }
            if let latest {
                guard latest.text != text else { throw .invalid("convention_version_unchanged", field: "text") }
                guard effectiveOn >= latest.effectiveOn else {
                    throw .invalid("convention_effective_invalid", field: "effective_on")
                }
            }
            let number = (latest?.number ?? 0) + 1
            next.versions.append(
                ConventionVersion(
                    number: number, text: text, resolutionID: resolutionID, effectiveOn: effectiveOn, createdAt: now))
            return (next, "\(number)")
        case .file(let number):
            guard let i = current.versions.firstIndex(where: { $0.number == number }) else {
                throw .invalid("convention_version_unknown", field: "number")
            }
            guard current.versions[i].filedAt == nil else { throw DomainError(.conflict, "convention_filed_already") }
            next.versions[i].filedAt = now
            next.versions[i].filedBy = actor.storedUserID
            return (next, "\(number)")
        case .acknowledge(let number):
            guard let i = current.versions.firstIndex(where: { $0.number == number }) else {
                throw .invalid("convention_version_unknown", field: "number")
            }
            guard current.versions[i].filedAt != nil else { throw DomainError(.conflict, "convention_not_filed") }
            guard current.versions[i].acknowledgedAt == nil else {
                throw DomainError(.conflict, "convention_acknowledged_already")
            }
            next.versions[i].acknowledgedAt = now
            next.versions[i].acknowledgedBy = actor.storedUserID
            return (next, "\(number)")
        }
    }
}

/// One line of a difference between two texts.
public enum DiffLine: Sendable, Equatable, Codable {
    case same(String)
    case removed(String)
    case added(String)
}

/// A readable line-by-line difference: the longest common subsequence of lines is kept, the rest shows as removed
/// from the old text and added in the new, removals before additions where both happen.
public enum LineDiff {
    public static func lines(_ text: String) -> [String] {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
    }

    public static func diff(from old: String, to new: String) -> [DiffLine] {
        diff(lines(old), lines(new))
    }

    public static func diff(_ a: [String], _ b: [String]) -> [DiffLine] {
        let n = a.count
        let m = b.count
        // lcs[i][j]: the longest common subsequence of a[i...] and b[j...].
        var lcs = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var out: [DiffLine] = []
        var i = 0
        var j = 0
        while i < n || j < m {
            if i < n, j < m, a[i] == b[j] {
                out.append(.same(a[i]))
                i += 1
                j += 1
            } else if i < n, j == m || lcs[i + 1][j] >= lcs[i][j + 1] {
                out.append(.removed(a[i]))
                i += 1
            } else {
                out.append(.added(b[j]))
                j += 1
            }
        }
        return out
    }
}
