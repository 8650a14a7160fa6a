import Foundation

/// Who may take each step of the closed loop. `casePath` is the path of the case's place (building, grid or
/// community); `memberOf` are the units (bodies or departments) the actor handles cases for.
public enum CasePolicy {
    public static func allows(
        _ actor: Actor, _ action: CaseAction, on subject: Case, casePath: String, memberOf units: Set<Int64>
    ) -> Bool {
        let inside = { (roles: Set<Role>) in
            actor.grants.contains { roles.contains($0.role) && NodePath.isInside(casePath, $0.nodePath) }
        }
        switch action {
        case .file, .reject, .resolveAtOnce, .dispatch:
            return inside([.communityWorker, .subdistrictAdmin, .districtAdmin])
        case .acceptHandling, .returnCase, .reportBack:
            guard let unit = subject.unitID else { return false }
            return units.contains(unit)
        case .verify:
            return inside([.gridWorker, .communityWorker])
        case .rate:
            return subject.reporterUserID == actor.userID
        }
    }
}

extension CasePolicy {
    /// Supervising a case — escalating it, deciding on extensions, recording mediation, merging duplicates:
    /// the community's workers and the administrators above, inside their subtree.
    public static func supervises(_ actor: Actor, casePath: String) -> Bool {
        actor.grants.contains { [.communityWorker, .subdistrictAdmin, .districtAdmin].contains($0.role) && NodePath.isInside(casePath, $0.nodePath) }
    }

    /// The six grid steps' notes (deliberation, review, follow-up): supervisors and the grid's own workers.
    public static func keepsGridSteps(_ actor: Actor, casePath: String) -> Bool {
        supervises(actor, casePath: casePath)
            || actor.grants.contains { $0.role == .gridWorker && NodePath.isInside(casePath, $0.nodePath) }
    }
}
