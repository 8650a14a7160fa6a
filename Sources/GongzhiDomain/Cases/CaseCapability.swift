import Foundation

/// What someone may do with a case. Pages draw their buttons from `CasePolicy.capabilities`, commands ask
/// `CasePolicy.require`, so a button and its command cannot disagree. Raw values name the steps in URLs,
/// timelines, audit entries and locale keys (`case_step_<raw>`).
public enum CaseCapability: String, CaseIterable, Codable, Sendable {
    case read
    /// Know who reported the case.
    case seeReporter
    case file, reject
    case resolveAtOnce = "resolve_at_once"
    case dispatch
    case acceptHandling = "accept_handling"
    case returnCase = "return"
    case reportBack = "report_back"
    case verify, rate
    case requestExtension = "request_extension"
    case decideExtension = "decide_extension"
    case escalate
    case escalateOverdue = "escalate_overdue"
    case referToDeliberation, review, followUp
    case mediate, merge
    case setFacility = "set_facility"
    case addPhoto = "photo"
    case follow, unfollow, support

    /// Steps a signed-in user may take on a public case they may not otherwise read; they change nothing of the case.
    public var reachesPublicCases: Bool { [.follow, .unfollow, .support].contains(self) }
}

/// Facts about a case the policy and the workflow need but cannot read themselves; the store loads them.
public struct CaseContext: Sendable, Equatable {
    public var now: Date
    /// The path of the case's place (building, grid or community).
    public var path: String
    /// The units (bodies or departments) the actor handles cases for.
    public var units: Set<Int64>
    /// The routing rule's unit and its deadlines counted from now, when a rule covers the case.
    public var routing: RoutedDispatch?
    /// The units this case's jurisdiction may dispatch to (set up at the case's district or sub-district).
    public var usableUnits: Set<Int64>?
    /// The request for more time waiting for a decision.
    public var pendingExtension: ExtensionRequest?
    /// Who reported back last: the same person may not verify their own work.
    public var reportedBackBy: Int64?
    public var photoCount: Int
    /// For `merge`: the case to merge into, when it exists.
    public var mergeTarget: Case?
    /// For `setFacility`: the facility its code names in the case's community, when there is one.
    public var facilityTarget: CaseFacilityTarget?
    /// The actor is the case's caller and gave its tracking code (hotline and walk-in cases).
    public var callerProven = false
    /// The actor follows the case, or has said it is their problem too.
    public var following = false
    public var supporting = false
    /// The community the actor lives in (their account's home), for "this is my problem too".
    public var actorHomeCommunityID: Int64?
    /// Residents who said the case is their problem too.
    public var supporters = 0

    public init(
        now: Date, path: String, units: Set<Int64> = [], routing: RoutedDispatch? = nil, usableUnits: Set<Int64>? = nil,
        pendingExtension: ExtensionRequest? = nil, reportedBackBy: Int64? = nil, photoCount: Int = 0,
        mergeTarget: Case? = nil
    ) {
        self.now = now
        self.path = path
        self.units = units
        self.routing = routing
        self.usableUnits = usableUnits
        self.pendingExtension = pendingExtension
        self.reportedBackBy = reportedBackBy
        self.photoCount = photoCount
        self.mergeTarget = mergeTarget
    }
}

/// A registry facility a case can be about, as the store found it by its code.
public struct CaseFacilityTarget: Sendable, Equatable {
    public var id: Int64
    public var code: String
    public init(id: Int64, code: String) {
        self.id = id
        self.code = code
    }
}

/// A routing rule's answer for one case: the unit and the deadlines counted from now in (working) time.
public struct RoutedDispatch: Sendable, Equatable {
    public var unitID: Int64
    public var respondBy: Date
    public var resolveBy: Date
    public init(unitID: Int64, respondBy: Date, resolveBy: Date) {
        self.unitID = unitID
        self.respondBy = respondBy
        self.resolveBy = resolveBy
    }
}

/// A request for more time, waiting for the community's decision.
public struct ExtensionRequest: Codable, Equatable, Sendable {
    public var until: Date
    public var reason: String
    public var requestedBy: Int64?
    public init(until: Date, reason: String, requestedBy: Int64? = nil) {
        self.until = until
        self.reason = reason
        self.requestedBy = requestedBy
    }
}
