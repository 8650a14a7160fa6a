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
        try await users(sql, [(audience, subject, path)])[0]
    }

    /// The users each of several steps reaches (a set-based step's page of cases), in as many queries as one step
    /// needs: one per kind of audience member, whatever the number of cases.
    static func users(
        _ sql: any SQLDatabase, _ steps: [(audience: Set<CaseAudience>, subject: Case, path: String)]
    ) async throws -> [Set<Int64>] {
        var users = Array(repeating: Set<Int64>(), count: steps.count)
        func wanting(_ member: (CaseAudience) -> Bool) -> [Int] {
            steps.indices.filter { steps[$0].audience.contains(where: member) }
        }
        let reporting = wanting { $0 == .reporter }
        if !reporting.isEmpty {
            // Followers hear of what the reporter hears of.
            var following: [Int64: [Int64]] = [:]
            for row in try await sql.raw(
                """
                SELECT case_id, user_id FROM case_followers
                WHERE case_id IN (\(binds: reporting.map { steps[$0].subject.id })) AND following = 1
                """
            ).all() {
                following[try row.decode(column: "case_id", as: Int64.self), default: []].append(
                    try row.decode(column: "user_id", as: Int64.self))
            }
            for i in reporting {
                if let reporter = steps[i].subject.reporterUserID { users[i].insert(reporter) }
                users[i].formUnion(following[steps[i].subject.id] ?? [])
            }
        }
        let inUnits = wanting { $0 == .unitMembers }.filter { steps[$0].subject.unitID != nil }
        if !inUnits.isEmpty {
            var members: [Int64: [Int64]] = [:]
            let units = Set(inUnits.compactMap { steps[$0].subject.unitID }).sorted()
            for row in try await sql.raw("SELECT unit_id, user_id FROM unit_members WHERE unit_id IN (\(binds: units))")
                .all()
            {
                members[try row.decode(column: "unit_id", as: Int64.self), default: []].append(
                    try row.decode(column: "user_id", as: Int64.self))
            }
            for i in inUnits { users[i].formUnion(members[steps[i].subject.unitID!] ?? []) }
        }
        let inCommunities = wanting { $0 == .communityWorkers }
        if !inCommunities.isEmpty {
            let holders = try await Self.holders(
                sql, ["communityWorker"], atNodes: Set(inCommunities.map { steps[$0].subject.communityID }))
            for i in inCommunities { users[i].formUnion(holders[steps[i].subject.communityID] ?? []) }
        }
        // The administrators of the sub-district (level 1) or district (level 2) above each case.
        var watching: [(index: Int, level: Int, ancestors: [Int64])] = []
        for i in steps.indices {
            for case .watchers(let level) in steps[i].audience {
                let ancestors = NodePath.ids(steps[i].path)
                if !ancestors.isEmpty { watching.append((i, level, ancestors)) }
            }
        }
        if !watching.isEmpty {
            let ancestors = Set(watching.flatMap(\.ancestors)).sorted()
            var kinds: [Int64: String] = [:]
            for row in try await sql.raw("SELECT id, kind FROM nodes WHERE id IN (\(binds: ancestors))").all() {
                kinds[try row.decode(column: "id", as: Int64.self)] = try row.decode(column: "kind", as: String.self)
            }
            func watchers(_ w: (index: Int, level: Int, ancestors: [Int64])) -> [Int64] {
                let wanted = Set(Escalation.watcherKinds(level: w.level).map(\.rawValue))
                return w.ancestors.filter { kinds[$0].map(wanted.contains) == true }
            }
            let nodes = Set(watching.flatMap(watchers))
            if !nodes.isEmpty {
                let holders = try await Self.holders(sql, ["subdistrictAdmin", "districtAdmin"], atNodes: nodes)
                for w in watching {
                    for node in watchers(w) { users[w.index].formUnion(holders[node] ?? []) }
                }
            }
        }
        return users
    }

    /// The users holding one of `roles` at each of `nodes`.
    static func holders(
        _ sql: any SQLDatabase, _ roles: [String], atNodes nodes: Set<Int64>
    ) async throws -> [Int64: Set<Int64>] {
        guard !nodes.isEmpty else { return [:] }
        var holders: [Int64: Set<Int64>] = [:]
        for row in try await sql.raw(
            """
            SELECT DISTINCT node_id, user_id FROM role_grants
            WHERE role IN (\(binds: roles)) AND node_id IN (\(binds: nodes.sorted()))
            """
        ).all() {
            holders[try row.decode(column: "node_id", as: Int64.self), default: []].insert(
                try row.decode(column: "user_id", as: Int64.self))
        }
        return holders
    }
}
