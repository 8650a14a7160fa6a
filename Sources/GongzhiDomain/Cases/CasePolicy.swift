import Foundation

/// Who may do what with a case, in one place. `capabilities` is for pages (buttons are drawn from it), `require`
/// for commands (the returned role goes into the audit entry). Both combine who the actor is (roles at nodes,
/// unit memberships, being the reporter) with what the case's state allows (`CaseWorkflow.isAvailable`).
public enum CasePolicy {
    /// Those who take cases in: the community's workers and the administrators above, inside their subtree.
    static let intakeRoles: Set<Role> = [.communityWorker, .subdistrictAdmin, .districtAdmin]

    public static func capabilities(of actor: Actor, on subject: Case, in context: CaseContext) -> Set<CaseCapability> {
        Set(
            CaseCapability.allCases.filter {
                role(for: $0, actor, subject, context) != nil && CaseWorkflow.isAvailable($0, subject, context)
            })
    }

    /// The role that allows the step, or the refusal: "not found" when the actor may not even read the case,
    /// "forbidden" when they may read it but not do this, "out of order" when the state does not allow it now.
    @discardableResult
    public static func require(
        _ capability: CaseCapability, of actor: Actor, on subject: Case, in context: CaseContext
    ) throws(DomainError) -> Role {
        guard let role = role(for: capability, actor, subject, context) else {
            throw role(for: .read, actor, subject, context) != nil
                ? DomainError.forbidden : DomainError.outsideJurisdiction
        }
        guard CaseWorkflow.isAvailable(capability, subject, context) else {
            throw DomainError(
                .conflict, "case_step_out_of_order", args: [capability.rawValue, subject.status.rawValue])
        }
        return role
    }

    /// Refuses, as a missing case, an actor who may not reach the case for this step: steps that reach public
    /// cases need no reading right, every other step does.
    public static func requireReach(
        _ capability: CaseCapability, of actor: Actor, on subject: Case, in context: CaseContext
    ) throws(DomainError) {
        if capability.reachesPublicCases, subject.isPublic, actor.principal == .user { return }
        try require(.read, of: actor, on: subject, in: context)
    }

    /// The role that lets the actor take this step on this case, whatever its state.
    static func role(for capability: CaseCapability, _ actor: Actor, _ subject: Case, _ context: CaseContext) -> Role? {
        func inside(_ roles: Set<Role>) -> Role? {
            actor.grants.first { roles.contains($0.role) && NodePath.isInside(context.path, $0.nodePath) }?.role
        }
        let isReporter =
            actor.principal == .user && subject.reporterUserID != nil && subject.reporterUserID == actor.userID
        let reporterRole: Role? = isReporter ? (actor.grants.first?.role ?? .resident) : nil
        let inUnit: Role? =
            subject.unitID.map(context.units.contains) == true
            ? (actor.grants.first { $0.role == .departmentHandler }?.role ?? actor.grants.first?.role
                ?? .departmentHandler) : nil
        // Staff who may read cases of their area: everyone but department handlers (who see their unit's work) and auditors.
        let areaReader = actor.grants.first {
            $0.role.isStaff && $0.role != .departmentHandler && $0.role != .auditor
                && NodePath.isInside(context.path, $0.nodePath)
        }?.role
        // The server itself reads what it escalates and does nothing else.
        if actor.principal == .system { return [.read, .escalateOverdue].contains(capability) ? .systemAdmin : nil }
        // A caller who gave the tracking code follows and rates the case filed for them, and does nothing else.
        if actor.principal == .caller {
            guard context.callerProven, Caller.channels.contains(subject.channel) else { return nil }
            switch capability {
            case .read: return .resident
            case .rate: return subject.kind == .appeal ? .resident : nil
            default: return nil
            }
        }
        switch capability {
        case .read:
            return areaReader ?? inUnit ?? reporterRole
        case .seeReporter:
            return inside(intakeRoles) ?? reporterRole
        case .file, .reject, .resolveAtOnce, .dispatch, .merge:
            return inside(intakeRoles)
        case .acceptHandling, .returnCase, .reportBack, .requestExtension:
            return inUnit
        case .verify:
            // Who reported the work back does not verify it.
            guard actor.principal == .user, context.reportedBackBy != actor.userID else { return nil }
            return inside([.gridWorker, .communityWorker])
        case .rate:
            // The person who asked rates; staff who entered a case (patrol, hotline, walk-in) never do: on those
            // channels the caller rates, with the tracking code (above).
            guard subject.kind == .appeal, subject.channel != .patrol, !Caller.channels.contains(subject.channel)
            else { return nil }
            return reporterRole
        case .decideExtension, .escalate:
            return inside(intakeRoles)
        case .escalateOverdue:
            return nil
        case .referToDeliberation, .review, .followUp:
            return inside(intakeRoles.union([.gridWorker]))
        case .mediate:
            return inside(intakeRoles) ?? inUnit
        case .setFacility:
            // Those who take cases in, and the grid workers who keep the grid's facilities.
            return inside(intakeRoles.union([.gridWorker]))
        case .addPhoto:
            return areaReader ?? inUnit ?? reporterRole
        case .follow, .unfollow:
            // The reporter hears of every step already; anyone else signed in follows what they may read or what
            // is public.
            guard actor.principal == .user, !isReporter else { return nil }
            return areaReader ?? inUnit ?? (subject.isPublic ? (actor.grants.first?.role ?? .resident) : nil)
        case .support:
            // Only neighbours count: a resident of the case's community, not its reporter, on a public case.
            guard actor.principal == .user, !isReporter, subject.isPublic,
                context.actorHomeCommunityID == subject.communityID
            else { return nil }
            return actor.grants.first { $0.role == .resident }?.role ?? actor.grants.first?.role ?? .resident
        }
    }
}

/// Who may file what, and where: the submitting half of the case policy.
extension CasePolicy {
    /// Residents report appeals from the web, Open311 or as party members within their own community; staff report
    /// events and disputes and take hotline calls inside their subtree. Auditors file nothing.
    @discardableResult
    public static func requireSubmit(
        _ actor: Actor, kind: CaseKind, channel: CaseChannel, placePath: String, placeCommunityID: Int64,
        homeCommunityID: Int64?
    ) throws(DomainError) -> Role {
        let staff = actor.grants.first {
            $0.role.isStaff && $0.role != .auditor && $0.role != .departmentHandler
                && NodePath.isInside(placePath, $0.nodePath)
        }
        let staffOnly = kind == .event || kind == .dispute || channel == .patrol || channel == .hotline
        if let staff { return staff.role }
        let onlyAuditor = !actor.grants.isEmpty && actor.grants.allSatisfy { $0.role == .auditor }
        guard actor.principal == .user, !onlyAuditor else { throw DomainError.forbidden }
        guard homeCommunityID == placeCommunityID else {
            throw DomainError.invalid("case_place_outside", field: "place")
        }
        guard !staffOnly else { throw DomainError.forbidden }
        return actor.grants.first { $0.role == .resident }?.role ?? actor.grants.first?.role ?? .resident
    }
}
