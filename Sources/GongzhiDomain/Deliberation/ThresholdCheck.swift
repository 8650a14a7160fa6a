import Foundation

/// What a threshold check measured. Raw values name the locale keys: `deliberation_check_<raw>` for the line's label
/// and `error.vote_<raw>_short` for the reason a result failed on it.
public enum CheckKind: String, CaseIterable, Codable, Sendable {
    /// Those present (or their households) out of those entitled to attend: the quorum.
    case attendance
    /// Representatives among an assembly's members (居民代表 at least 4/5).
    case composition
    /// Yes votes out of those present or out of the ballots cast.
    case majority
    /// Owners' exclusive-part area that took part, out of the total area (民法典 art. 278 ¶2).
    case participationArea
    /// Owner heads that took part, out of all heads.
    case participationHeads
    /// Area that consented, out of the participating area.
    case consentArea
    /// Heads that consented, out of the participating heads.
    case consentHeads
    /// Ballots that did not object, out of all ballots (a consent decision: any objection blocks).
    case noObjection
}

/// How the numbers of a check are counted, for display.
public enum MeasureUnit: String, CaseIterable, Codable, Sendable {
    /// People, households, heads, members or ballots: plain counts.
    case count
    /// Hundredths of a square metre, shown as m².
    case area
}

/// One line of a result's arithmetic: the part, the whole, the threshold and whether it is met, e.g. "area
/// 6,210.5/9,000 m² = 69.0% (≥ 2/3): met". Every result carries its lines so a page can show how it was reached.
public struct ThresholdCheck: Sendable, Equatable, Codable {
    public var kind: CheckKind
    public var part: Int64
    public var whole: Int64
    public var unit: MeasureUnit
    public var threshold: Threshold
    public var isMet: Bool

    public init(_ kind: CheckKind, part: Int64, of whole: Int64, unit: MeasureUnit = .count, threshold: Threshold) {
        self.kind = kind
        self.part = part
        self.whole = whole
        self.unit = unit
        self.threshold = threshold
        self.isMet = threshold.isMet(part, of: whole)
    }

    /// The same check on areas.
    public init(_ kind: CheckKind, area part: Area, of whole: Area, threshold: Threshold) {
        self.init(kind, part: part.hundredths, of: whole.hundredths, unit: .area, threshold: threshold)
    }

    /// `part/whole` in lowest terms; nil for an empty whole.
    public var share: Fraction? { whole > 0 ? Fraction(part, whole) : nil }

    /// How many more (people, heads, or hundredths of m²) it would have taken; 0 when met. Nil when the whole is
    /// empty and nothing could meet it.
    public var shortfall: Int64? {
        guard let least = threshold.minimumPart(of: whole) else { return nil }
        return max(0, least - part)
    }

    /// `6,210.5/9,000 m² = 69.0%` or `71/100 = 71.0%`.
    public var arithmetic: String {
        switch unit {
        case .count: "\(part)/\(whole) = \(Fraction.percentText(part, of: whole))"
        case .area:
            "\(Area(hundredths: part).formatted)/\(Area(hundredths: whole).formatted) m² = "
                + Fraction.percentText(part, of: whole)
        }
    }

    /// `6,210.5/9,000 m² = 69.0% (≥ 2/3)`: the arithmetic with the rule it was held against.
    public var summary: String { "\(arithmetic) (\(threshold))" }

    /// The reason a result failed on this line, a locale key under `error.`.
    public var failureKey: String { "vote_\(kind.rawValue)_short" }
}

/// A decision's result with all its arithmetic: every check in the order the rule applies them (quorum or
/// participation first, then the majority), whether it passed, and why not. The rule set and the articles it was
/// decided under go with it, so a published result can say which law it followed.
public struct DecisionOutcome: Sendable, Equatable, Codable {
    public var ruleSetID: String
    public var basis: [LegalBasis]
    public var checks: [ThresholdCheck]
    /// False also when a check before the majority failed (a meeting without quorum decides nothing).
    public var passed: Bool

    public init(ruleSetID: String, basis: [LegalBasis], checks: [ThresholdCheck]) {
        self.ruleSetID = ruleSetID
        self.basis = basis
        self.checks = checks
        self.passed = !checks.isEmpty && checks.allSatisfy(\.isMet)
    }

    /// The checks that failed, first the one that decided it.
    public var failures: [ThresholdCheck] { checks.filter { !$0.isMet } }

    /// The first reason a result failed, as a domain error (`vote_attendance_short`, …) with the arithmetic in
    /// `args`; nil when it passed.
    public var reason: DomainError? {
        guard let first = failures.first else { return nil }
        return DomainError(.conflict, first.failureKey, args: [first.arithmetic, first.threshold.description])
    }

    /// Whether the meeting could decide at all, whatever the vote: its make-up (an assembly's representatives), its
    /// quorum, or the owners' participation. A resolution needs this before it needs the majority.
    public var isQuorate: Bool {
        checks.filter { [.attendance, .participationArea, .participationHeads, .composition].contains($0.kind) }
            .allSatisfy(\.isMet)
    }

    /// The check of `kind`, when the rule made one.
    public func check(_ kind: CheckKind) -> ThresholdCheck? { checks.first { $0.kind == kind } }
}

/// Where a rule comes from: a law or regulation, its version (the date of the text) and article. A rule the law
/// leaves open carries the project's own default, marked `isProjectDefault` so a page can say so.
public struct LegalBasis: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The short Chinese title: `城市居民委员会组织法`, `民法典`.
    public var law: String
    /// The text's date, e.g. `2025-10-28`.
    public var version: String
    /// `27`, `278 ¶2`.
    public var article: String
    public var isProjectDefault: Bool

    public init(law: String, version: String, article: String, isProjectDefault: Bool = false) {
        self.law = law
        self.version = version
        self.article = article
        self.isProjectDefault = isProjectDefault
    }

    /// A rule the law does not set, chosen by the project and open to configuration.
    public static func projectDefault(_ note: String) -> LegalBasis {
        LegalBasis(law: "gongzhi", version: "default", article: note, isProjectDefault: true)
    }

    /// `城市居民委员会组织法 (2025-10-28) art. 27`.
    public var description: String {
        isProjectDefault ? "project default: \(article)" : "\(law) (\(version)) art. \(article)"
    }
}
