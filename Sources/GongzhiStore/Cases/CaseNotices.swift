import Foundation
import GongzhiDomain
import SQLKit

/// Who hears of a case's step: the audience its transition names (decided in the domain), turned into users here.
enum CaseNotices {
    static func subject(_ c: Case) -> NoticeSubject {
        NoticeSubject(kind: "case", id: c.id, communityID: c.communityID, title: c.number + " " + c.title)
    }

    static func users(
        _ sql: any SQLDatabase, _ audience: Set<CaseAudience>, of subject: Case, path: String
    ) async throws -> Set<Int64> {
        var users = Set<Int64>()
        for member in audience {
            switch member {
            case .reporter:
                if let reporter = subject.reporterUserID { users.insert(reporter) }
                // Followers hear of what the reporter hears of.
                users.formUnion(
                    try await sql.raw(
                        "SELECT user_id FROM case_followers WHERE case_id = \(bind: subject.id) AND following = 1"
                    ).all().map { try $0.decode(column: "user_id", as: Int64.self) })
            case .unitMembers:
                guard let unit = subject.unitID else { continue }
                users.formUnion(
                    try await sql.raw("SELECT user_id FROM unit_members WHERE unit_id = \(bind: unit)").all()
                        .map { try $0.decode(column: "user_id", as: Int64.self) })
            case .communityWorkers:
                users.formUnion(
                    try await Notifications.usersHolding(sql, ["communityWorker"], atNodes: [subject.communityID]))
            case .watchers(let level):
                // The administrators of the sub-district (level 1) or district (level 2) above the case.
                let kinds = Escalation.watcherKinds(level: level).map(\.rawValue)
                let ancestors = NodePath.ids(path)
                guard !ancestors.isEmpty else { continue }
                let nodes = try await sql.select().column("id").from("nodes").where("id", .in, ancestors).where(
                    "kind", .in, kinds
                ).all()
                    .map { try $0.decode(column: "id", as: Int64.self) }
                users.formUnion(
                    try await Notifications.usersHolding(sql, ["subdistrictAdmin", "districtAdmin"], atNodes: nodes))
            }
        }
        return users
    }
}
