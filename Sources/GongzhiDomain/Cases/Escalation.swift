import Foundation

/// Escalation (督办): an overdue case is raised one level up the tree (community → subdistrict), and one more
/// (→ district) when it stays overdue for `secondLevelAfter`. People can raise a case by hand too, with a reason.
public enum Escalation {
    public static let maxLevel = 2
    public static let secondLevelAfter: TimeInterval = 48 * 3600

    /// The level a case should be at by now from its deadline alone.
    public static func automaticLevel(status: CaseStatus, resolveBy: Date?, now: Date) -> Int {
        guard [.dispatched, .handling, .reportedBack].contains(status), let due = resolveBy, now > due else { return 0 }
        return now > due.addingTimeInterval(secondLevelAfter) ? 2 : 1
    }

    /// The kind of node that watches a case at `level`: 0 its community, 1 the subdistrict or town, 2 the district.
    public static func watcherKinds(level: Int) -> Set<NodeKind> {
        switch level {
        case 0: [.community, .village]
        case 1: [.subdistrict, .town]
        default: [.district]
        }
    }
}
